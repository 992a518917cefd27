// The HLS backend: a complete Vitis/Vivado HLS project (top function, types, weights, nnfpga's layer library,
// a bit-exact testbench with the emulator's expected outputs, build script) in an OutputTree.
#pragma once

#include <string>

#include "nnfpga/config/config.h"
#include "nnfpga/ir/graph.h"
#include "nnfpga/support/array_io.h"
#include "nnfpga/support/output_tree.h"

namespace nnfpga {

enum class IoType { Parallel, Stream };

struct HlsOptions {
    std::string projectName = "myproject";
    std::string part = "xcvu13p-flga2577-2-e";
    double clockPeriod = 5.0;
    IoType io = IoType::Parallel;
    std::string modelName;  // for the README
};

HlsOptions hlsOptionsFromConfig(const ProjectConfig& cfg);

// Backend passes that may change the graph (reuse-factor checks; none rewrite yet). Raises UserError naming
// the layer for settings the backend cannot implement.
void legalizeForHls(Graph& g, const HlsOptions& opt);

// The whole project. `tbInputs` are the testbench samples; `tbOutputs` the emulator's outputs for them.
OutputTree emitHlsProject(const Graph& g, const HlsOptions& opt, const Matrix& tbInputs, const Matrix& tbOutputs);

// The valid reuse factors of a Dense layer under the resource strategy, ascending.
std::vector<int> validDenseReuseFactors(int nIn, int nOut);

// Files of runtime/ compiled into the binary (relative path → content).
const std::map<std::string, std::string>& embeddedRuntimeFiles();

}  // namespace nnfpga
