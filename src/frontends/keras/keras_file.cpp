// readKerasModel: picks the container (.json + weights, .h5, .keras), parses the model config in either
// Keras 2 or Keras 3 serialization into the framework-neutral KerasModelDesc, then attaches the weights.
// Every error names the file it is about.
#include "nnfpga/frontends/keras/keras_file.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "nnfpga/frontends/keras/h5_file.h"
#include "nnfpga/frontends/keras/keras_weights.h"
#include "nnfpga/frontends/keras/keras_zip.h"
#include "nnfpga/support/diagnostics.h"

namespace nnfpga {

namespace {

using nlohmann::json;

std::string lowerExtension(const std::string& path) {
    std::string ext = std::filesystem::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return ext;
}

std::string readTextFile(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) fail(path + ": no such file");
    if (fs::is_directory(status)) fail(path + ": is a directory, not a model file");
    std::ifstream in(path, std::ios::binary);
    if (!in) fail(path + ": cannot read file");
    std::ostringstream text;
    text << in.rdbuf();
    if (text.str().empty()) fail(path + ": empty file");
    return text.str();
}

// nlohmann's messages start with "[json.exception.parse_error.101] "; the rest is what a user needs.
std::string jsonDetail(const json::exception& e) {
    std::string what = e.what();
    auto close = what.find("] ");
    return close == std::string::npos ? what : what.substr(close + 2);
}

// Python's json writes the non-standard literals NaN, Infinity and -Infinity (HGQ2 quantizer configs hold an
// infinite i_decay_speed); outside strings they become null, which no handler reads as a number.
std::string withoutPythonLiterals(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    bool inString = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            out += c;
            if (c == '\\' && i + 1 < text.size()) out += text[++i];
            else if (c == '"') inString = false;
            continue;
        }
        if (c == '"') inString = true;
        bool replaced = false;
        for (const char* lit : {"-Infinity", "Infinity", "NaN"}) {
            const size_t n = std::char_traits<char>::length(lit);
            if (text.compare(i, n, lit) == 0) {
                out += "null";
                i += n - 1;
                replaced = true;
                break;
            }
        }
        if (!replaced) out += c;
    }
    return out;
}

json parseJson(const std::string& text, const std::string& path, const std::string& where) {
    try {
        return json::parse(withoutPythonLiterals(text));
    } catch (const json::parse_error& e) {
        fail(path + ": invalid JSON" + where + ": " + jsonDetail(e));
    }
}

// Turns one model config (the object with class_name and config) into layers and connections.
class ConfigReader {
public:
    explicit ConfigReader(KerasModelDesc& model) : model_(model), path_(model.path) {}

    // Returns whether the model is a Sequential.
    bool read(const json& root) {
        if (!root.is_object()) fail(path_ + ": not a Keras model config (expected a JSON object)");
        auto cls = root.find("class_name");
        if (cls == root.end() || !cls->is_string()) fail(path_ + ": not a Keras model config (no 'class_name')");
        std::string className = cls->get<std::string>();
        const json& config = root.contains("config") ? root["config"] : emptyObject();
        bool sequential = className == "Sequential";
        if (sequential)
            readSequential(root, config);
        else if (className == "Functional" || className == "Model")
            readFunctional(config);
        else
            fail(path_ + ": top-level class '" + className +
                 "' is not a Keras Sequential or Functional model (subclassed models cannot be read)");
        checkReferences();
        readInputShapes();
        return sequential;
    }

private:
    static const json& emptyObject() {
        static const json empty = json::object();
        return empty;
    }

    KerasLayer readLayer(const json& j, size_t index) {
        std::string where = path_ + ": layers[" + std::to_string(index) + "]";
        if (!j.is_object()) fail(where + " is not a JSON object");
        auto cls = j.find("class_name");
        if (cls == j.end() || !cls->is_string()) fail(where + " has no class_name");
        KerasLayer layer;
        layer.className = cls->get<std::string>();
        auto config = j.find("config");
        if (config == j.end() || !config->is_object())
            fail(where + " (" + layer.className + ") has no config object");
        layer.config = *config;
        // Keras 2 Functional layers repeat the name at the top level; Sequential and Keras 3 may not.
        if (j.contains("name") && j["name"].is_string())
            layer.name = j["name"].get<std::string>();
        else if (config->contains("name") && (*config)["name"].is_string())
            layer.name = (*config)["name"].get<std::string>();
        else
            fail(where + " (" + layer.className + ") has no name");
        noteVersion(layer);
        return layer;
    }

    // Keras 3 writes batch_shape and DTypePolicy objects; Keras 2 (even in .keras archives) does not.
    void noteVersion(const KerasLayer& layer) {
        if (layer.config.contains("batch_shape")) model_.kerasVersion = 3;
        auto dtype = layer.config.find("dtype");
        if (dtype != layer.config.end() && dtype->is_object() && dtype->contains("class_name") &&
            (*dtype)["class_name"].is_string() &&
            (*dtype)["class_name"].get<std::string>().find("DTypePolicy") != std::string::npos)
            model_.kerasVersion = 3;
    }

    const json* layerList(const json& config, const char* kind) {
        if (config.is_array()) return &config;  // Keras < 2.2 Sequential: the config is the layer list
        if (config.is_object() && config.contains("layers") && config["layers"].is_array()) return &config["layers"];
        fail(path_ + ": " + kind + " model config has no 'layers' list");
    }

    void readSequential(const json& root, const json& config) {
        const json& list = *layerList(config, "Sequential");
        if (list.empty()) fail(path_ + ": the model has no layers");
        for (size_t i = 0; i < list.size(); ++i) model_.layers.push_back(readLayer(list[i], i));
        if (model_.layers.front().className != "InputLayer") synthesizeInput(root, config);
        for (size_t i = 1; i < model_.layers.size(); ++i)
            model_.layers[i].inbound = {KerasRef{model_.layers[i - 1].name, 0, 0}};
        model_.inputs = {KerasRef{model_.layers.front().name, 0, 0}};
        model_.outputs = {KerasRef{model_.layers.back().name, 0, 0}};
    }

    // Sequential models built without an explicit Input: Keras keeps the shape on the first layer (or on
    // the model's build config) and names the implicit input "<first layer>_input".
    void synthesizeInput(const json& root, const json& config) {
        const KerasLayer& first = model_.layers.front();
        const json* shape = nullptr;
        for (const char* key : {"batch_input_shape", "batch_shape"})
            if (!shape && first.config.contains(key)) shape = &first.config[key];
        if (!shape && config.is_object() && config.contains("build_input_shape"))
            shape = &config["build_input_shape"];
        if (!shape && root.contains("build_config") && root["build_config"].is_object() &&
            root["build_config"].contains("input_shape"))
            shape = &root["build_config"]["input_shape"];
        if (!shape || !shape->is_array())
            fail(path_ + ": Sequential model has no input shape (first layer '" + first.name +
                 "' has no batch_input_shape and the model has no InputLayer)");
        KerasLayer input;
        input.className = "InputLayer";
        input.name = first.name + "_input";
        input.config = json::object();
        input.config["name"] = input.name;
        input.config[model_.kerasVersion == 3 ? "batch_shape" : "batch_input_shape"] = *shape;
        input.config["dtype"] = first.config.contains("dtype") && first.config["dtype"].is_string()
                                    ? first.config["dtype"]
                                    : json("float32");
        model_.layers.insert(model_.layers.begin(), std::move(input));
    }

    void readFunctional(const json& config) {
        const json& list = *layerList(config, "Functional");
        if (list.empty()) fail(path_ + ": the model has no layers");
        for (size_t i = 0; i < list.size(); ++i) {
            KerasLayer layer = readLayer(list[i], i);
            if (list[i].contains("inbound_nodes")) layer.inbound = readInbound(list[i]["inbound_nodes"], layer);
            model_.layers.push_back(std::move(layer));
        }
        model_.inputs = readRefList(config, "input_layers");
        model_.outputs = readRefList(config, "output_layers");
    }

    [[noreturn]] void malformed(const KerasLayer& layer, const std::string& what, const json& j) {
        std::string text = j.dump();
        if (text.size() > 120) text = text.substr(0, 117) + "...";
        fail(path_ + ": " + layerPrefix(layer.name, layer.className) + "malformed " + what + ": " + text);
    }

    // [name, node, tensor(, kwargs)] (Keras 2) or keras_history [name, node, tensor] (Keras 3).
    KerasRef readRef(const json& j, const KerasLayer& layer, const char* what) {
        if (!j.is_array() || j.size() < 3 || !j[0].is_string() || !j[1].is_number_integer() ||
            !j[2].is_number_integer())
            malformed(layer, what, j);
        return KerasRef{j[0].get<std::string>(), j[1].get<int>(), j[2].get<int>()};
    }

    // Keras 3 call arguments: tensors may sit anywhere in nested lists (merge layers take a list).
    void collectTensors(const json& j, const KerasLayer& layer, std::vector<KerasRef>& out) {
        if (j.is_array()) {
            for (const auto& item : j) collectTensors(item, layer, out);
        } else if (j.is_object()) {
            if (j.value("class_name", "") == "__keras_tensor__") {
                const json* config = j.contains("config") ? &j["config"] : nullptr;
                if (!config || !config->is_object() || !config->contains("keras_history"))
                    malformed(layer, "inbound tensor", j);
                out.push_back(readRef((*config)["keras_history"], layer, "keras_history"));
                return;
            }
            for (const auto& item : j) collectTensors(item, layer, out);
        }
    }

    std::vector<KerasRef> readInbound(const json& nodes, const KerasLayer& layer) {
        if (nodes.is_null()) return {};
        if (!nodes.is_array()) malformed(layer, "inbound_nodes", nodes);
        if (nodes.empty()) return {};
        const json& node = nodes[0];  // later nodes are further calls of a shared layer
        std::vector<KerasRef> refs;
        if (node.is_object()) {
            model_.kerasVersion = 3;
            // Positional tensors first; tensors passed by keyword (e.g. value= of attention) follow.
            if (node.contains("args")) collectTensors(node["args"], layer, refs);
            if (node.contains("kwargs")) collectTensors(node["kwargs"], layer, refs);
        } else if (node.is_array()) {
            // Usually a list of entries; TFOpLambda-style nodes hold one bare entry instead.
            if (!node.empty() && node[0].is_string())
                refs.push_back(readRef(node, layer, "inbound node"));
            else
                for (const auto& entry : node) refs.push_back(readRef(entry, layer, "inbound node"));
        } else {
            malformed(layer, "inbound node", node);
        }
        return refs;
    }

    std::vector<KerasRef> readRefList(const json& config, const char* key) {
        if (!config.is_object() || !config.contains(key))
            fail(path_ + ": Functional model config has no '" + key + "'");
        const json& j = config[key];
        std::vector<KerasRef> refs;
        auto one = [&](const json& r) {
            if (!r.is_array() || r.size() < 3 || !r[0].is_string() || !r[1].is_number_integer() ||
                !r[2].is_number_integer())
                fail(path_ + ": malformed " + key + " entry: " + r.dump());
            refs.push_back(KerasRef{r[0].get<std::string>(), r[1].get<int>(), r[2].get<int>()});
        };
        if (j.is_array() && !j.empty() && j[0].is_string()) {
            one(j);  // a single ["name", 0, 0]
        } else if (j.is_array() || j.is_object()) {
            for (const auto& r : j) one(r);  // a list, or a dict of named outputs (Keras 3)
        } else {
            fail(path_ + ": malformed " + key + ": " + j.dump());
        }
        if (refs.empty()) fail(path_ + ": Functional model config has an empty '" + key + "'");
        return refs;
    }

    void checkReferences() {
        std::map<std::string, const KerasLayer*> byName;
        for (const auto& layer : model_.layers)
            if (!byName.emplace(layer.name, &layer).second) fail(path_ + ": two layers are named '" + layer.name + "'");
        for (const auto& layer : model_.layers)
            for (const auto& ref : layer.inbound)
                if (!byName.count(ref.layer))
                    fail(path_ + ": " + layerPrefix(layer.name, layer.className) + "takes input from '" + ref.layer +
                         "', which is not a layer of the model");
        for (const auto* list : {&model_.inputs, &model_.outputs})
            for (const auto& ref : *list)
                if (!byName.count(ref.layer))
                    fail(path_ + ": model " + (list == &model_.inputs ? "input" : "output") + " '" + ref.layer +
                         "' is not a layer of the model");
    }

    // Shapes by input, in the model's input order; the batch dimension is dropped, unknown dims are -1.
    void readInputShapes() {
        for (const auto& ref : model_.inputs) {
            const KerasLayer* layer = nullptr;
            for (const auto& l : model_.layers)
                if (l.name == ref.layer) layer = &l;
            const json* shape = nullptr;
            for (const char* key : {"batch_shape", "batch_input_shape"})
                if (!shape && layer->config.contains(key)) shape = &layer->config[key];
            if (!shape)
                fail(path_ + ": " + layerPrefix(layer->name, layer->className) +
                     "model input has no batch_input_shape or batch_shape");
            if (!shape->is_array() || shape->empty())
                fail(path_ + ": " + layerPrefix(layer->name, layer->className) + "malformed input shape " +
                     shape->dump());
            std::vector<int64_t> dims;
            for (size_t i = 1; i < shape->size(); ++i) {
                const json& d = (*shape)[i];
                if (d.is_null())
                    dims.push_back(-1);
                else if (d.is_number_integer() && d.get<int64_t>() >= 0)
                    dims.push_back(d.get<int64_t>());
                else
                    fail(path_ + ": " + layerPrefix(layer->name, layer->className) + "malformed input shape " +
                         shape->dump());
            }
            model_.inputShapes.emplace_back(layer->name, std::move(dims));
        }
    }

    KerasModelDesc& model_;
    std::string path_;
};

// Parses the config; JSON that has the wrong shape somewhere we did not check still names the file.
bool readConfig(const json& root, KerasModelDesc& model) {
    try {
        return ConfigReader(model).read(root);
    } catch (const json::exception& e) {
        fail(model.path + ": malformed Keras model config (" + jsonDetail(e) + ")");
    }
}

std::string sniff(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    char head[4] = {};
    in.read(head, 4);
    if (std::memcmp(head, "PK\x03\x04", 4) == 0) return ".keras";
    if (std::memcmp(head, "\x89HDF", 4) == 0) return ".h5";
    return ".json";
}

void attachWeightsFile(const std::string& weightsPath, KerasModelDesc& model, bool sequential) {
    H5File weights = H5File::open(weightsPath);
    attachKerasWeights(weights.root(), model, sequential);
}

KerasModelDesc readJsonModel(const std::string& path, const std::optional<std::string>& weightsPath) {
    KerasModelDesc model;
    model.path = path;
    std::string text = readTextFile(path);
    if (!weightsPath) fail(path + ": a JSON architecture needs a weights file (--weights)");
    bool sequential = readConfig(parseJson(text, path, ""), model);
    attachWeightsFile(*weightsPath, model, sequential);
    return model;
}

KerasModelDesc readH5Model(const std::string& path, const std::optional<std::string>& weightsPath) {
    KerasModelDesc model;
    model.path = path;
    H5File file = H5File::open(path);
    H5Group root = file.root();
    auto config = root.stringAttribute("model_config");
    if (!config) {
        bool weightsOnly = root.hasAttribute("layer_names") || root.hasGroup("layers");
        fail(path + ": not a Keras model (no model_config attribute)" +
             (weightsOnly ? std::string("; it looks like a weights file: give the architecture JSON as the model "
                                        "and this file with --weights")
                          : std::string()));
    }
    bool sequential = readConfig(parseJson(*config, path, " in the model_config attribute"), model);
    if (weightsPath)
        attachWeightsFile(*weightsPath, model, sequential);
    else
        attachKerasWeights(root, model, sequential);
    return model;
}

KerasModelDesc readKerasArchiveModel(const std::string& path, const std::optional<std::string>& weightsPath) {
    KerasModelDesc model;
    model.path = path;
    KerasArchive archive = readKerasArchive(path, !weightsPath);
    bool sequential = readConfig(parseJson(archive.configJson, path, " in config.json"), model);
    if (weightsPath) {
        attachWeightsFile(*weightsPath, model, sequential);
    } else {
        H5File weights = H5File::openImage(archive.weightsImage, path + "/model.weights.h5");
        attachKerasWeights(weights.root(), model, sequential);
    }
    return model;
}

KerasModelDesc readModel(const std::string& path, const std::optional<std::string>& weightsPath) {
    std::string ext = lowerExtension(path);
    if (ext != ".json" && ext != ".h5" && ext != ".hdf5" && ext != ".keras") {
        if (!std::filesystem::exists(path)) fail(path + ": no such file");
        ext = sniff(path);
    }
    if (ext == ".json") return readJsonModel(path, weightsPath);
    if (ext == ".keras") return readKerasArchiveModel(path, weightsPath);
    return readH5Model(path, weightsPath);
}

}  // namespace

KerasModelDesc readKerasModel(const std::string& path, const std::optional<std::string>& weightsPath) {
    // A dry run in a child process turns an HDF5 crash on a damaged file into an error naming the file.
    probeHdf5Read([&] { readModel(path, weightsPath); }, path);
    return readModel(path, weightsPath);
}

}  // namespace nnfpga
