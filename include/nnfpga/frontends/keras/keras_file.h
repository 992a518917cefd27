// Reading Keras model files without Keras: Keras 2 architecture JSON + weights H5, Keras 2 full-model H5
// (model.save), and Keras 3 `.keras` zips. The result is framework-neutral: the layer list with each
// layer's config JSON, its inbound connections and its weight arrays in Keras' order.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace nnfpga {

struct KerasWeight {
    std::string name;  // variable name without layer prefix and ":0" ("kernel", "bias", "gamma" …); Keras 3: "0","1"…
    std::vector<int64_t> shape;
    std::vector<double> data;  // C order, converted from the stored float type
};

// One input connection: the producing layer, which of its call nodes, which of its output tensors.
struct KerasRef {
    std::string layer;
    int node = 0;
    int tensor = 0;
};

struct KerasLayer {
    std::string className;  // "Dense", "QDense", …
    std::string name;
    nlohmann::json config;          // the layer's "config" object
    std::vector<KerasRef> inbound;  // first call only; empty for InputLayer
    std::vector<KerasWeight> weights;  // Keras' order (kernel, bias; gamma, beta, moving_mean, moving_variance …)
};

struct KerasModelDesc {
    int kerasVersion = 2;  // 2 or 3 (format of the config)
    std::string path;      // the model file, for messages
    std::vector<KerasLayer> layers;  // in the file's order; Sequential models get InputLayer + chained inbounds
    std::vector<KerasRef> inputs;
    std::vector<KerasRef> outputs;
    // Input shapes (without batch) by InputLayer name; -1 for unknown dims.
    std::vector<std::pair<std::string, std::vector<int64_t>>> inputShapes;
};

// path: .json (then weightsPath is required), .h5/.hdf5 (full model; weightsPath optional, overrides weights),
// or .keras. Any unreadable/corrupt/truncated file raises UserError "<file>: <what is wrong>".
KerasModelDesc readKerasModel(const std::string& path, const std::optional<std::string>& weightsPath);

}  // namespace nnfpga
