// Finds each layer's weight arrays in a Keras weights file (see keras_weights.h). Two layouts exist:
// the legacy one names layers and variables explicitly; the Keras 3 one names groups after the layer's
// class ("dense_1") and numbers the variables, so layers are matched by a name attribute or by position.
#include "nnfpga/frontends/keras/keras_weights.h"

#include <algorithm>
#include <map>
#include <regex>
#include <set>

#include "nnfpga/support/diagnostics.h"

namespace nnfpga {

namespace {

KerasLayer* findLayer(KerasModelDesc& model, const std::string& name) {
    for (auto& layer : model.layers)
        if (layer.name == name) return &layer;
    return nullptr;
}

// "dense_1/kernel:0" → "kernel", "seq/bn/moving_mean" → "moving_mean".
std::string shortWeightName(const std::string& weightName) {
    std::string name = weightName.substr(weightName.rfind('/') + 1);
    auto colon = name.rfind(':');
    if (colon != std::string::npos && colon + 1 < name.size() &&
        std::all_of(name.begin() + long(colon) + 1, name.end(), [](char c) { return c >= '0' && c <= '9'; }))
        name.resize(colon);
    return name;
}

KerasWeight toWeight(std::string name, H5Array array) {
    return KerasWeight{std::move(name), std::move(array.shape), std::move(array.data)};
}

// Keras 2 save_weights, and the model_weights group of model.save(".h5") in Keras 2 and 3.
void attachLegacy(const H5Group& group, KerasModelDesc& model) {
    const std::string& file = group.fileName();
    auto layerNames = group.stringListAttribute("layer_names").value_or(std::vector<std::string>{});
    for (const auto& name : layerNames) {
        if (!group.hasGroup(name))
            fail(file + ": weights for layer '" + name + "' not found (layer_names lists it, but there is no group '" +
                 (group.path() == "/" ? "" : group.path()) + "/" + name + "')");
        H5Group layerGroup = group.group(name);
        auto weightNames = layerGroup.stringListAttribute("weight_names").value_or(std::vector<std::string>{});
        KerasLayer* layer = findLayer(model, name);
        if (!layer) {
            if (weightNames.empty()) continue;
            fail(file + ": the weights file has weights for layer '" + name + "', which the model does not have");
        }
        layer->weights.clear();
        for (const auto& weightName : weightNames) {
            if (!layerGroup.hasDataset(weightName))
                fail(file + ": weights for layer '" + name + "' not found (no dataset '" + layerGroup.path() + "/" +
                     weightName + "')");
            layer->weights.push_back(toWeight(shortWeightName(weightName), layerGroup.readDataset(weightName)));
        }
    }
}

bool isIndex(const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Variables of one Keras 3 layer group: vars/0, vars/1 … (numeric order, so "10" follows "9"), then
// those of sub-layers (e.g. a nested model's "layers/dense/vars/0" → "layers/dense/0").
void collectVars(const H5Group& group, const std::string& prefix, std::vector<KerasWeight>& out) {
    if (group.hasGroup("vars")) {
        H5Group vars = group.group("vars");
        std::vector<std::string> names;
        for (auto& m : vars.members())
            if (vars.hasDataset(m)) names.push_back(m);
        std::stable_sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
            if (isIndex(a) && isIndex(b)) return a.size() != b.size() ? a.size() < b.size() : a < b;
            return isIndex(a) && !isIndex(b);
        });
        for (const auto& name : names) out.push_back(toWeight(prefix + name, vars.readDataset(name)));
    }
    for (const auto& member : group.members())
        if (member != "vars" && group.hasGroup(member)) collectVars(group.group(member), prefix + member + "/", out);
}

bool hasVariables(const H5Group& group) {
    std::vector<KerasWeight> vars;
    collectVars(group, "", vars);
    return !vars.empty();
}

// Keras 3 (.keras, *.weights.h5) and Keras 2.13+ .keras archives.
void attachKeras3(const H5Group& container, KerasModelDesc& model, bool sequential) {
    const std::string& file = container.fileName();
    std::vector<std::string> groups;
    for (auto& m : container.members())
        if (container.hasGroup(m)) groups.push_back(m);

    // Recent Keras 3 writes the layer's own name on each vars group; that is the reliable match.
    std::map<std::string, std::string> groupOfLayer;
    bool allNamed = !groups.empty();
    for (const auto& g : groups) {
        H5Group group = container.group(g);
        std::optional<std::string> name;
        if (group.hasGroup("vars")) name = group.group("vars").stringAttribute("name");
        if (!name) {
            allNamed = false;
            break;
        }
        groupOfLayer[*name] = g;
    }
    if (!allNamed) {
        // Older writers: groups are named after the class, numbered in layer order ("dense", "dense_1", …).
        // A Sequential's layer list does not include its InputLayer.
        groupOfLayer.clear();
        std::map<std::string, int> used;
        for (const auto& layer : model.layers) {
            if (sequential && layer.className == "InputLayer") continue;
            std::string base = kerasSnakeCase(layer.className);
            auto it = used.find(base);
            if (it == used.end()) {
                used[base] = 0;
                groupOfLayer[layer.name] = base;
            } else {
                groupOfLayer[layer.name] = base + "_" + std::to_string(++it->second);
            }
        }
    }

    std::set<std::string> claimed;
    for (auto& layer : model.layers) {
        auto it = groupOfLayer.find(layer.name);
        if (it == groupOfLayer.end() || !container.hasGroup(it->second)) continue;
        claimed.insert(it->second);
        layer.weights.clear();
        collectVars(container.group(it->second), "", layer.weights);
    }
    for (const auto& g : groups) {
        if (claimed.count(g) || !hasVariables(container.group(g))) continue;
        fail(file + ": the weights file has variables in '" + container.group(g).path() +
             "' that belong to no layer of the model");
    }
}

}  // namespace

std::string kerasSnakeCase(const std::string& className) {
    // The same three substitutions Keras applies (drop non-word characters, split before capitalised
    // words, split lower→upper), so acronyms come out as Keras spells them: "TFOpLambda" → "tf_op_lambda".
    static const std::regex nonWord(R"(\W+)");
    static const std::regex capitalised("(.)([A-Z][a-z]+)");
    static const std::regex lowerUpper("([a-z])([A-Z])");
    std::string s = std::regex_replace(className, nonWord, "");
    s = std::regex_replace(s, capitalised, "$1_$2");
    s = std::regex_replace(s, lowerUpper, "$1_$2");
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

void attachKerasWeights(const H5Group& root, KerasModelDesc& model, bool sequential) {
    if (root.hasAttribute("layer_names")) return attachLegacy(root, model);
    if (root.hasGroup("model_weights")) {
        H5Group weights = root.group("model_weights");
        if (weights.hasAttribute("layer_names")) return attachLegacy(weights, model);
    }
    for (const char* container : {"layers", "_layer_checkpoint_dependencies"})
        if (root.hasGroup(container)) return attachKeras3(root.group(container), model, sequential);
    fail(root.fileName() +
         ": no Keras weights in this file (no layer_names attribute, model_weights group or layers group)");
}

}  // namespace nnfpga
