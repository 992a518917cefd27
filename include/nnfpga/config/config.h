// hls4ml-compatible project configuration: the YAML file (KerasJson, OutputDir, HLSConfig: Model / LayerType /
// LayerName …), command-line overrides, and the per-layer resolution order of hls4ml.
#pragma once

#include <map>
#include <optional>
#include <string>

namespace nnfpga {

// Settings of one scope (HLSConfig: Model, LayerType: <Class>, or LayerName: <name>).
struct ScopeSettings {
    // Precision: a string sets "default"; a dict sets per variable (result, accum, weight, bias, scale, param …).
    std::map<std::string, std::string> precision;
    std::optional<int> reuseFactor;
    std::optional<std::string> strategy;        // "latency" | "resource" (normalised to lower case)
    std::optional<int> tableSize;               // TableSize / table_size
    std::map<std::string, std::string> types;   // *_t keys set directly: table_t, exp_table_t, inv_table_t, …
    std::optional<std::string> implementation;  // Softmax: stable | latency | legacy | argmax
    std::optional<bool> trace;
    std::optional<bool> bitExact;  // Model only
    std::optional<std::string> po2Product;  // Model only: "exact" | "hls4ml"
};

struct ProjectConfig {
    std::string configPath;  // the YAML file, if any (relative model paths are resolved from here)
    std::optional<std::string> kerasJson, kerasH5, kerasModel, onnxModel;
    std::string outputDir = "my-hls-test";
    std::string projectName = "myproject";
    std::string part = "xcvu13p-flga2577-2-e";
    double clockPeriod = 5.0;
    std::optional<std::string> clockUncertainty;  // kept as written ("12.5%", "1.25"); backend default if unset
    std::string ioType = "io_parallel";
    std::string backend = "Vivado";                // Vivado | Vitis | VivadoAccelerator (canonical spelling)
    std::string version = "1.0.0";
    std::optional<std::string> inputData, outputPredictions;  // testbench data (.npy / .dat)

    ScopeSettings model;  // HLSConfig: Model (precision default "ap_fixed<16,6>", reuse factor 1)
    std::map<std::string, ScopeSettings> layerType;
    std::map<std::string, ScopeSettings> layerName;
    // Model.BitExact (or --bit-exact): accumulator and result widths derived from value ranges (the
    // bit_exact_widths pass) instead of hls4ml's 'auto' rules.
    bool bitExact() const { return model.bitExact.value_or(false); }
    // Model.Po2Product: hls4ml (or --po2-product hls4ml): power-of-two (QKeras quantized_po2) kernels multiply
    // as hls4ml's weight_exponential does, truncating each product (DenseAttrs::po2); 'exact' (the default)
    // computes the QKeras model.
    bool po2ProductHls4ml() const { return model.po2Product.value_or("exact") == "hls4ml"; }

    ProjectConfig();

    // hls4ml's lookup order for a variable's precision: LayerName[name].Precision[var], that layer's default,
    // LayerType[cls].Precision[var], the type's default, Model.Precision[var], Model.Precision.default.
    // `var` is "result", "accum", "weight", … Returns the type string (may be "auto").
    std::string precision(const std::string& layer, const std::string& cls, const std::string& var) const;
    // Whether the layer's own LayerName scope sets `var` (or its default precision).
    bool layerNameSetsPrecision(const std::string& layer, const std::string& var) const;
    // Same order for the other keys; nullopt when no scope sets them. As in hls4ml, layer and class names match
    // case-insensitively for precision, reuse factor and strategy, and exactly for the other keys. The reader
    // never fills Model's tableSize/types/implementation/trace (hls4ml ignores them there, so it warns), but
    // values set on `model` in code (command-line overrides) apply to every layer.
    int reuseFactor(const std::string& layer, const std::string& cls) const;
    std::string strategy(const std::string& layer, const std::string& cls) const;
    std::optional<int> tableSize(const std::string& layer, const std::string& cls) const;
    std::optional<std::string> namedType(const std::string& layer, const std::string& cls,
                                         const std::string& key) const;
    std::optional<std::string> implementation(const std::string& layer, const std::string& cls) const;
    bool trace(const std::string& layer, const std::string& cls) const;
};

// Reads a YAML file. Unknown keys: a warning naming the key (with its path, e.g. "HLSConfig.Model.Foo").
// Invalid values (a malformed type string, a non-positive reuse factor, an unknown strategy or IOType):
// UserError naming key and value. A missing or unparsable file: UserError naming the file.
ProjectConfig loadProjectConfig(const std::string& path);

// Resolve a model path written in the config: as given if it exists, else relative to the config's folder,
// else relative to that folder's parent.
std::string resolveConfigPath(const ProjectConfig& cfg, const std::string& p);

}  // namespace nnfpga
