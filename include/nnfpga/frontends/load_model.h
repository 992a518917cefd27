// One entry point from a model file (chosen by extension) to a typed, verified graph.
#pragma once

#include <optional>
#include <string>

#include "nnfpga/config/config.h"
#include "nnfpga/ir/graph.h"

namespace nnfpga {

// model: .json (+ weights .h5), .h5/.hdf5 (full model), .keras. Runs the "default" pipeline with `cfg`.
Graph loadModel(const std::string& model, const std::optional<std::string>& weights, const ProjectConfig& cfg);

// The front end only (untyped graph), for tests of handlers and passes.
Graph importModel(const std::string& model, const std::optional<std::string>& weights);

}  // namespace nnfpga
