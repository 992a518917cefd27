// Reads an hls4ml YAML configuration file into a ProjectConfig: top-level keys, then HLSConfig's Model,
// LayerType and LayerName scopes. Bad values are UserErrors naming file, key path and value; keys we do not
// know are warnings, so an hls4ml config written for a newer release still converts.
#include "nnfpga/config/config.h"
#include "nnfpga/fixed/fixed_type.h"
#include "nnfpga/support/diagnostics.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <set>
#include <string_view>
#include <vector>

namespace nnfpga {

namespace {

using Keys = std::initializer_list<std::string_view>;

const Keys kTopKeys = {"KerasJson",   "KerasH5", "KerasModel", "OnnxModel",   "OutputDir",
                       "ProjectName", "Part",    "XilinxPart", "ClockPeriod", "ClockUncertainty",
                       "IOType",      "Backend", "Version",    "InputData",   "OutputPredictions",
                       "HLSConfig"};
// Written by hls4ml (hls4ml_config.yml) or meaningful only to its Python writer; nothing for us to do.
const Keys kTopIgnored = {"Stamp", "WriterConfig", "AcceleratorConfig"};

const Keys kSections = {"Model", "LayerType", "LayerName"};
// Pass selection in hls4ml; our pipelines are fixed, so these have no counterpart.
const Keys kSectionsIgnored = {"Flows", "Optimizers", "SkipOptimizers"};

const Keys kScopeKeys = {"Precision", "ReuseFactor", "Strategy", "TableSize", "table_size", "Trace",
                         "Implementation", "BitExact", "Po2Product"};
// hls4ml keys we accept without acting on them (resources, pipelining, reporting), so that configs written by
// hls4ml load without noise.
const Keys kScopeIgnored = {"BramFactor",         "TraceOutput",   "Compression",      "ParallelizationFactor",
                            "ConvImplementation", "PipelineStyle", "PipelineInterval", "TargetCycles"};

const Keys kPrecisionVars = {"default",   "result",     "accum",            "weight",         "bias",
                             "scale",     "param",      "table",            "depthwise",      "pointwise",
                             "embeddings", "recurrent_weight", "recurrent_bias", "dw_output", "expr",
                             "maximum",   "slope",      "shift",            "exp_table",      "inv_table",
                             "inv_inp"};

bool contains(Keys keys, std::string_view k) { return std::find(keys.begin(), keys.end(), k) != keys.end(); }

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

bool endsWith(std::string_view s, std::string_view suffix) {
    return s.size() > suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Case-insensitive edit distance, used to suggest the key a typo was meant to be.
size_t editDistance(const std::string& a, const std::string& b) {
    std::string x = lower(a), y = lower(b);
    std::vector<size_t> row(y.size() + 1);
    for (size_t j = 0; j <= y.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= x.size(); ++i) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= y.size(); ++j) {
            size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (x[i - 1] == y[j - 1] ? 0 : 1)});
            diag = up;
        }
    }
    return row[y.size()];
}

std::string suggestion(const std::string& key, std::vector<Keys> candidates) {
    size_t limit = std::clamp<size_t>(key.size() / 3, 1, 2);
    std::string best;
    size_t bestDist = limit + 1;
    for (Keys keys : candidates)
        for (std::string_view k : keys)
            if (size_t d = editDistance(key, std::string(k)); d < bestDist) bestDist = d, best = k;
    return best.empty() ? "" : " (did you mean '" + best + "'?)";
}

const char* describe(const YAML::Node& n) {
    switch (n.Type()) {
        case YAML::NodeType::Map: return "a mapping";
        case YAML::NodeType::Sequence: return "a list";
        case YAML::NodeType::Scalar: return "a single value";
        default: return "nothing";
    }
}

enum class ScopeKind { Model, Layer };

class ConfigReader {
public:
    explicit ConfigReader(std::string file) : file_(std::move(file)) {}

    ProjectConfig read(const YAML::Node& root) {
        ProjectConfig cfg;
        cfg.configPath = file_;
        if (!root.IsMap()) fail(file_ + ": expected a mapping at the top level");
        std::optional<std::string> part, xilinxPart;
        forEachEntry(root, "", [&](const std::string& key, const YAML::Node& v) {
            if (key == "HLSConfig") return readHlsConfig(v, cfg);
            if (contains(kTopIgnored, key)) return;
            if (!contains(kTopKeys, key)) return warnUnknown(key, "", {kTopKeys, kTopIgnored});
            std::optional<std::string> s = scalar(v, key);
            if (!s) return;  // `Key:` with no value means "not set", as dict.get() does in hls4ml
            if (key == "KerasJson") cfg.kerasJson = s;
            else if (key == "KerasH5") cfg.kerasH5 = s;
            else if (key == "KerasModel") cfg.kerasModel = s;
            else if (key == "OnnxModel") cfg.onnxModel = s;
            else if (key == "OutputDir") cfg.outputDir = *s;
            else if (key == "ProjectName") cfg.projectName = checkProjectName(*s, key);
            else if (key == "Part") part = s;
            else if (key == "XilinxPart") xilinxPart = s;
            else if (key == "ClockPeriod") cfg.clockPeriod = positiveNumber(*s, key);
            else if (key == "ClockUncertainty") cfg.clockUncertainty = s;
            else if (key == "IOType") cfg.ioType = checkIoType(*s, key);
            else if (key == "Backend") cfg.backend = checkBackend(*s, key);
            else if (key == "Version") cfg.version = *s;
            else if (key == "InputData") cfg.inputData = s;
            else if (key == "OutputPredictions") cfg.outputPredictions = s;
        });
        // XilinxPart is the older spelling of Part; when both are present the current one wins.
        if (part && xilinxPart && *part != *xilinxPart)
            warn("both Part '" + *part + "' and XilinxPart '" + *xilinxPart + "' are set in " + file_ +
                 "; using Part");
        if (part) cfg.part = *part;
        else if (xilinxPart) cfg.part = *xilinxPart;
        return cfg;
    }

private:
    std::string file_;

    [[noreturn]] void failAt(const std::string& path, const std::string& msg) const {
        fail(file_ + ": " + path + ": " + msg);
    }
    [[noreturn]] void invalidValue(const std::string& path, const std::string& value,
                                   const std::string& expected) const {
        failAt(path, "invalid value '" + value + "' (expected " + expected + ")");
    }

    std::string where(const std::string& parent) const {
        return parent.empty() ? " in " + file_ : " at " + parent + " in " + file_;
    }
    void warnUnknown(const std::string& key, const std::string& parent, std::vector<Keys> candidates) const {
        warn("unknown key '" + key + "'" + where(parent) + suggestion(key, std::move(candidates)));
    }

    static std::string join(const std::string& parent, const std::string& key) {
        return parent.empty() ? key : parent + "." + key;
    }

    // Visits a mapping's entries in file order. PyYAML keeps the last of duplicate keys silently; we keep the
    // last too (so results match hls4ml) but say so, because the first one is almost always a forgotten edit.
    void forEachEntry(const YAML::Node& map, const std::string& path,
                      const std::function<void(const std::string&, const YAML::Node&)>& visit) const {
        std::set<std::string> seen;
        for (const auto& entry : map) {
            if (!entry.first.IsScalar())
                failAt(path.empty() ? "(top level)" : path,
                       std::string("expected keys to be names, got ") + describe(entry.first));
            std::string key = entry.first.Scalar();
            if (!seen.insert(key).second)
                warn("duplicate key '" + key + "'" + where(path) + "; the last value is used");
            visit(key, entry.second);
        }
    }

    // A single value, or nullopt for an empty (null) entry.
    std::optional<std::string> scalar(const YAML::Node& v, const std::string& path) const {
        if (v.IsNull()) return std::nullopt;
        if (!v.IsScalar()) failAt(path, std::string("expected a single value, got ") + describe(v));
        return v.Scalar();
    }

    // Null or a mapping; anything else is an error naming what was found.
    bool mappingOrNull(const YAML::Node& v, const std::string& path) const {
        if (v.IsNull()) return false;
        if (!v.IsMap()) failAt(path, std::string("expected a mapping, got ") + describe(v));
        return true;
    }

    double positiveNumber(const std::string& s, const std::string& path) const {
        const char* begin = s.c_str();
        char* end = nullptr;
        double d = std::strtod(begin, &end);
        if (s.empty() || end != begin + s.size() || !std::isfinite(d) || d <= 0)
            invalidValue(path, s, "a positive number");
        return d;
    }

    int positiveInt(const std::string& s, const std::string& path) const {
        int n = 0;
        auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
        if (s.empty() || ec != std::errc() || ptr != s.data() + s.size() || n <= 0)
            invalidValue(path, s, "a positive integer");
        return n;
    }

    bool boolean(const YAML::Node& v, const std::string& s, const std::string& path) const {
        bool b = false;
        if (!YAML::convert<bool>::decode(v, b)) invalidValue(path, s, "true or false");
        return b;
    }

    // The project name becomes the top-level C++ function and file names of the generated project.
    std::string checkProjectName(const std::string& s, const std::string& path) const {
        bool ok = !s.empty() && !std::isdigit(static_cast<unsigned char>(s[0])) &&
                  std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isalnum(c) || c == '_'; });
        if (!ok) invalidValue(path, s, "a C identifier: letters, digits and '_', not starting with a digit");
        return s;
    }

    std::string checkIoType(const std::string& s, const std::string& path) const {
        if (s != "io_parallel" && s != "io_stream") invalidValue(path, s, "io_parallel or io_stream");
        return s;
    }

    // hls4ml looks backends up case-insensitively; we keep the canonical spelling for messages and reports.
    std::string checkBackend(const std::string& s, const std::string& path) const {
        for (const char* name : {"Vivado", "Vitis", "VivadoAccelerator"})
            if (lower(s) == lower(name)) return name;
        invalidValue(path, s, "Vivado, Vitis or VivadoAccelerator");
    }

    std::string checkStrategy(const std::string& s, const std::string& path) const {
        std::string l = lower(s);
        if (l == "latency" || l == "resource") return l;
        if (l == "resource_unrolled" || l == "unrolled" || l == "distributed_arithmetic" || l == "da")
            failAt(path, "'" + s + "' is not supported yet (expected Latency or Resource)");
        invalidValue(path, s, "Latency or Resource");
    }

    std::string checkPo2Product(const std::string& s, const std::string& path) const {
        std::string l = lower(s);
        if (l == "exact" || l == "hls4ml") return l;
        invalidValue(path, s, "exact or hls4ml");
    }

    std::string checkImplementation(const std::string& s, const std::string& path) const {
        std::string l = lower(s);
        if (l == "stable" || l == "latency" || l == "legacy" || l == "argmax") return l;
        invalidValue(path, s, "stable, latency, legacy or argmax");
    }

    // 'auto' asks the precision inference to pick a type; hls4ml has no layer to infer from at model level.
    std::string checkType(const std::string& s, const std::string& path, ScopeKind kind) const {
        if (s == "auto") {
            if (kind == ScopeKind::Model) failAt(path, "'auto' is allowed only for layers");
            return s;
        }
        std::string why;
        if (!parseFixedType(s, &why)) {
            // In a flow mapping ({Precision: ap_fixed<16,6>}) YAML splits an unquoted type at its comma.
            if (s.find('<') != std::string::npos && s.find('>') == std::string::npos)
                why += " (inside {...} quote the type: YAML splits it at the comma)";
            failAt(path, "invalid type '" + s + "': " + why);
        }
        return s;
    }

    void readHlsConfig(const YAML::Node& v, ProjectConfig& cfg) const {
        if (!mappingOrNull(v, "HLSConfig")) return;
        forEachEntry(v, "HLSConfig", [&](const std::string& key, const YAML::Node& section) {
            std::string path = "HLSConfig." + key;
            if (key == "Model") {
                if (mappingOrNull(section, path)) readScope(section, path, ScopeKind::Model, cfg.model);
            } else if (key == "LayerType") {
                readScopes(section, path, cfg.layerType);
            } else if (key == "LayerName") {
                readScopes(section, path, cfg.layerName);
            } else if (!contains(kSectionsIgnored, key)) {
                warnUnknown(key, "HLSConfig", {kSections, kSectionsIgnored});
            }
        });
    }

    void readScopes(const YAML::Node& v, const std::string& path, std::map<std::string, ScopeSettings>& out) const {
        if (!mappingOrNull(v, path)) return;
        forEachEntry(v, path, [&](const std::string& name, const YAML::Node& scope) {
            std::string scopePath = path + "." + name;
            ScopeSettings& settings = out[name] = ScopeSettings{};
            if (mappingOrNull(scope, scopePath)) readScope(scope, scopePath, ScopeKind::Layer, settings);
        });
    }

    void readScope(const YAML::Node& v, const std::string& path, ScopeKind kind, ScopeSettings& out) const {
        forEachEntry(v, path, [&](const std::string& key, const YAML::Node& value) {
            std::string keyPath = join(path, key);
            if (contains(kScopeIgnored, key)) return;
            bool isType = endsWith(key, "_t");
            if (!isType && !contains(kScopeKeys, key)) return warnUnknown(key, path, {kScopeKeys, kScopeIgnored});
            const bool modelOnly = key == "BitExact" || key == "Po2Product";
            bool perLayer = isType || !(key == "Precision" || key == "ReuseFactor" || key == "Strategy" || modelOnly);
            if (modelOnly && kind != ScopeKind::Model) {
                warn("key '" + key + "'" + where(path) + " has no effect: it applies to the whole model (HLSConfig.Model)");
                return;
            }
            if (kind == ScopeKind::Model && perLayer) {
                // hls4ml's get_layer_config merges LayerType and LayerName only; applying this here would make
                // our results differ from hls4ml's for the same file.
                warn("key '" + key + "'" + where(path) +
                     " has no effect: hls4ml reads it only under LayerType and LayerName");
                return;
            }
            if (key == "Precision") return readPrecision(value, keyPath, kind, out);
            std::optional<std::string> s = scalar(value, keyPath);
            if (!s) return;
            if (isType) out.types[key] = checkType(*s, keyPath, kind);
            else if (key == "ReuseFactor") out.reuseFactor = positiveInt(*s, keyPath);
            else if (key == "Strategy") out.strategy = checkStrategy(*s, keyPath);
            else if (key == "TableSize" || key == "table_size") out.tableSize = positiveInt(*s, keyPath);
            else if (key == "Trace") out.trace = boolean(value, *s, keyPath);
            else if (key == "BitExact") out.bitExact = boolean(value, *s, keyPath);
            else if (key == "Po2Product") out.po2Product = checkPo2Product(*s, keyPath);
            else if (key == "Implementation") out.implementation = checkImplementation(*s, keyPath);
        });
    }

    void readPrecision(const YAML::Node& v, const std::string& path, ScopeKind kind, ScopeSettings& out) const {
        if (v.IsNull()) return;
        if (v.IsScalar()) {
            out.precision["default"] = checkType(v.Scalar(), path, kind);
            return;
        }
        if (!v.IsMap())
            failAt(path, std::string("expected a type or a mapping of variables to types, got ") + describe(v));
        forEachEntry(v, path, [&](const std::string& var, const YAML::Node& type) {
            std::string varPath = path + "." + var;
            // Variable names depend on the layer and grow with hls4ml, so an unknown one is kept, not dropped.
            if (!contains(kPrecisionVars, var))
                warn("unknown precision variable '" + var + "'" + where(path) + suggestion(var, {kPrecisionVars}));
            if (std::optional<std::string> s = scalar(type, varPath)) out.precision[var] = checkType(*s, varPath, kind);
        });
    }
};

}  // namespace

ProjectConfig loadProjectConfig(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::exists(path, ec)) fail(path + ": no such file");
    if (fs::is_directory(path, ec)) fail(path + ": is a folder, expected a YAML file");
    YAML::Node root;
    try {
        root = YAML::LoadFile(path);
    } catch (const YAML::BadFile&) {
        fail(path + ": cannot open the file");
    } catch (const YAML::Exception& e) {
        // yaml-cpp prefixes every message with its own name; the line and column are what the user needs.
        std::string msg = e.what();
        if (msg.rfind("yaml-cpp: ", 0) == 0) msg.erase(0, 10);
        fail(path + ": invalid YAML: " + msg);
    }
    return ConfigReader(path).read(root);
}

}  // namespace nnfpga
