// Suggested per-layer types folded into a ProjectConfig, and the YAML writer for it (block style; every string
// single-quoted, so type strings with commas and layer names with odd characters survive).
#include "nnfpga/report/suggest_config.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <sstream>

namespace nnfpga {

namespace {

bool sameIgnoringCase(const std::string& a, const std::string& b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
               return std::tolower(x) == std::tolower(y);
           });
}

std::string quoted(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
}

// Plain keys stay plain; anything YAML could read differently is quoted.
std::string key(const std::string& s) {
    const bool plain = !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '_' || c == '-' || c == '.';
    }) && !std::isdigit(static_cast<unsigned char>(s[0]));
    return plain ? s : quoted(s);
}

std::string capitalized(std::string s) {
    if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
    return s;
}

// hls4ml's spelling of a strategy read in lower case.
std::string strategyName(const std::string& s) {
    return capitalized(s);
}

void writeScope(std::ostringstream& out, const ScopeSettings& s, const std::string& indent) {
    if (!s.precision.empty()) {
        out << indent << "Precision:\n";
        // "default" first: it reads as the rule the per-variable entries refine.
        if (auto it = s.precision.find("default"); it != s.precision.end())
            out << indent << "  default: " << quoted(it->second) << "\n";
        for (const auto& [var, type] : s.precision)
            if (var != "default") out << indent << "  " << key(var) << ": " << quoted(type) << "\n";
    }
    if (s.reuseFactor) out << indent << "ReuseFactor: " << *s.reuseFactor << "\n";
    if (s.strategy) out << indent << "Strategy: " << strategyName(*s.strategy) << "\n";
    if (s.tableSize) out << indent << "TableSize: " << *s.tableSize << "\n";
    for (const auto& [k, type] : s.types) out << indent << key(k) << ": " << quoted(type) << "\n";
    if (s.implementation) out << indent << "Implementation: " << *s.implementation << "\n";
    if (s.trace) out << indent << "Trace: " << (*s.trace ? "true" : "false") << "\n";
}

void writeScopes(std::ostringstream& out, const char* section, const std::map<std::string, ScopeSettings>& scopes) {
    if (scopes.empty()) return;
    out << "  " << section << ":\n";
    for (const auto& [name, s] : scopes) {
        out << "    " << key(name) << ":\n";
        writeScope(out, s, "      ");
    }
}

// Model and data paths are written absolute, resolved as the reader resolves them.
std::string absoluteModelPath(const ProjectConfig& cfg, const std::string& p) {
    return std::filesystem::absolute(resolveConfigPath(cfg, p)).lexically_normal().string();
}

}  // namespace

namespace {

ScopeSettings& layerScope(ProjectConfig& cfg, const std::string& layer) {
    if (auto it = cfg.layerName.find(layer); it != cfg.layerName.end()) return it->second;
    for (auto& [name, s] : cfg.layerName)
        if (sameIgnoringCase(name, layer)) return s;
    return cfg.layerName[layer];
}

}  // namespace

ProjectConfig suggestConfig(const Profile& p, const ProjectConfig& base, std::optional<int> width,
                            const std::map<std::string, std::string>& identities) {
    ProjectConfig cfg = base;
    for (const LayerProfile& l : p.layers)
        for (const ProfileVar& v : l.vars)
            if (v.configurable) layerScope(cfg, l.name).precision[v.name] = suggestType(v, width).str();
    for (const auto& [removed, source] : identities)
        for (const LayerProfile& l : p.layers)
            if (l.name == source)
                for (const ProfileVar& v : l.vars)
                    if (v.kind == VarKind::Result && v.configurable)
                        layerScope(cfg, removed).precision["result"] = suggestType(v, width).str();
    return cfg;
}

std::string configYaml(const ProjectConfig& cfg, const std::string& comment) {
    std::ostringstream out;
    std::istringstream lines(comment);
    for (std::string line; std::getline(lines, line);) out << "# " << line << "\n";
    if (!cfg.configPath.empty()) {
        if (cfg.kerasJson) out << "KerasJson: " << quoted(absoluteModelPath(cfg, *cfg.kerasJson)) << "\n";
        if (cfg.kerasH5) out << "KerasH5: " << quoted(absoluteModelPath(cfg, *cfg.kerasH5)) << "\n";
        if (cfg.kerasModel) out << "KerasModel: " << quoted(absoluteModelPath(cfg, *cfg.kerasModel)) << "\n";
        if (cfg.onnxModel) out << "OnnxModel: " << quoted(absoluteModelPath(cfg, *cfg.onnxModel)) << "\n";
        out << "OutputDir: " << quoted(cfg.outputDir) << "\n";
        out << "ProjectName: " << quoted(cfg.projectName) << "\n";
        out << "Part: " << quoted(cfg.part) << "\n";
        out << "ClockPeriod: " << cfg.clockPeriod << "\n";
        if (cfg.clockUncertainty) out << "ClockUncertainty: " << quoted(*cfg.clockUncertainty) << "\n";
        out << "IOType: " << cfg.ioType << "\n";
        out << "Backend: " << cfg.backend << "\n";
        out << "Version: " << quoted(cfg.version) << "\n";
        if (cfg.inputData) out << "InputData: " << quoted(absoluteModelPath(cfg, *cfg.inputData)) << "\n";
        if (cfg.outputPredictions)
            out << "OutputPredictions: " << quoted(absoluteModelPath(cfg, *cfg.outputPredictions)) << "\n";
    }
    out << "HLSConfig:\n  Model:\n";
    writeScope(out, cfg.model, "    ");
    writeScopes(out, "LayerType", cfg.layerType);
    writeScopes(out, "LayerName", cfg.layerName);
    return out.str();
}

}  // namespace nnfpga
