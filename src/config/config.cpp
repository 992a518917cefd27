// ProjectConfig defaults, hls4ml's per-layer lookup order (LayerName, then LayerType, then Model), and the
// resolution of model paths written in a config file. The YAML reader is in config_reader.cpp.
#include "nnfpga/config/config.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <system_error>

namespace nnfpga {

namespace {

bool equalsIgnoreCase(const std::string& a, const std::string& b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
               return std::tolower(x) == std::tolower(y);
           });
}

// hls4ml keys its precision, reuse-factor and strategy tables by the lower-cased layer or class name, so "FC1"
// in the config applies to layer "fc1" for those three; the other per-layer keys (Trace, TableSize, *_t,
// Implementation) come from hls4ml's get_layer_config, which matches names exactly. An exact match wins
// when both spellings are present.
const ScopeSettings* findScope(const std::map<std::string, ScopeSettings>& scopes, const std::string& name,
                               bool ignoreCase) {
    if (auto it = scopes.find(name); it != scopes.end()) return &it->second;
    if (!ignoreCase) return nullptr;
    for (const auto& [key, scope] : scopes)
        if (equalsIgnoreCase(key, name)) return &scope;
    return nullptr;
}

// The scopes that apply to one layer, most specific first; missing scopes are null.
struct ScopeChain {
    const ScopeSettings* byName;
    const ScopeSettings* byType;
    const ScopeSettings* model;
};

ScopeChain chainFor(const ProjectConfig& cfg, const std::string& layer, const std::string& cls, bool ignoreCase) {
    return {findScope(cfg.layerName, layer, ignoreCase), findScope(cfg.layerType, cls, ignoreCase), &cfg.model};
}

// First scope (name, type, model) whose `field` is set.
template <typename Field>
auto firstSet(const ScopeChain& chain, Field field) -> std::remove_cvref_t<decltype(chain.model->*field)> {
    for (const ScopeSettings* scope : {chain.byName, chain.byType, chain.model})
        if (scope && (scope->*field)) return scope->*field;
    return std::nullopt;
}

std::optional<std::string> lookup(const std::map<std::string, std::string>& m, const std::string& key) {
    if (auto it = m.find(key); it != m.end()) return it->second;
    return std::nullopt;
}

}  // namespace

ProjectConfig::ProjectConfig() {
    model.precision["default"] = "ap_fixed<16,6>";
    model.reuseFactor = 1;
    model.strategy = "latency";
}

std::string ProjectConfig::precision(const std::string& layer, const std::string& cls, const std::string& var) const {
    ScopeChain chain = chainFor(*this, layer, cls, /*ignoreCase=*/true);
    for (const ScopeSettings* scope : {chain.byName, chain.byType, chain.model}) {
        if (!scope) continue;
        if (auto p = lookup(scope->precision, var)) return *p;
        if (auto p = lookup(scope->precision, "default")) return *p;
    }
    // Only reachable if a caller erased Model's default; hls4ml's own default keeps the answer defined.
    return "ap_fixed<16,6>";
}

bool ProjectConfig::layerNameSetsPrecision(const std::string& layer, const std::string& var) const {
    const ScopeSettings* scope = findScope(layerName, layer, /*ignoreCase=*/true);
    return scope && (scope->precision.count(var) || scope->precision.count("default"));
}

int ProjectConfig::reuseFactor(const std::string& layer, const std::string& cls) const {
    return firstSet(chainFor(*this, layer, cls, true), &ScopeSettings::reuseFactor).value_or(1);
}

std::string ProjectConfig::strategy(const std::string& layer, const std::string& cls) const {
    return firstSet(chainFor(*this, layer, cls, true), &ScopeSettings::strategy).value_or("latency");
}

std::optional<int> ProjectConfig::tableSize(const std::string& layer, const std::string& cls) const {
    return firstSet(chainFor(*this, layer, cls, false), &ScopeSettings::tableSize);
}

std::optional<std::string> ProjectConfig::namedType(const std::string& layer, const std::string& cls,
                                                    const std::string& key) const {
    ScopeChain chain = chainFor(*this, layer, cls, false);
    for (const ScopeSettings* scope : {chain.byName, chain.byType, chain.model})
        if (scope)
            if (auto t = lookup(scope->types, key)) return t;
    return std::nullopt;
}

std::optional<std::string> ProjectConfig::implementation(const std::string& layer, const std::string& cls) const {
    return firstSet(chainFor(*this, layer, cls, false), &ScopeSettings::implementation);
}

bool ProjectConfig::trace(const std::string& layer, const std::string& cls) const {
    return firstSet(chainFor(*this, layer, cls, false), &ScopeSettings::trace).value_or(false);
}

std::string resolveConfigPath(const ProjectConfig& cfg, const std::string& p) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (p.empty() || fs::exists(p, ec)) return p;
    fs::path given(p);
    if (given.is_absolute()) return p;
    // hls4ml's example configs sit in config/ and name models as keras/…, relative to the folder above.
    fs::path dir = fs::path(cfg.configPath).parent_path();
    if (dir.empty()) dir = ".";
    fs::path besideConfig = (dir / given).lexically_normal();
    if (fs::exists(besideConfig, ec)) return besideConfig.string();
    fs::path aboveConfig = (dir / ".." / given).lexically_normal();
    if (fs::exists(aboveConfig, ec)) return aboveConfig.string();
    return besideConfig.string();
}

}  // namespace nnfpga
