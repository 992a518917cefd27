// The kernel interface of the emulator: one prepared instance per node (tables and quantized weights are
// built once), then called once per sample. Integer mode works on raw values (value * 2^frac of the tensor's
// type); float mode on doubles with the framework's maths.
#pragma once

#include <cstdint>
#include <memory>

#include "nnfpga/ir/graph.h"

namespace nnfpga {

// Values that did not fit a type in one node, counted over every conversion the node makes (products and
// sums into the accumulator, the result cast, table indices excluded).
struct OverflowStats {
    int64_t conversions = 0;
    int64_t overflowed = 0;
    void merge(const OverflowStats& o) {
        conversions += o.conversions;
        overflowed += o.overflowed;
    }
};

class Kernel {
public:
    virtual ~Kernel() = default;
    // in[k] points at input k's raw values (sizes from the graph); out at the output's.
    virtual void run(const int64_t* const* in, int64_t* out, OverflowStats& stats) const = 0;
    virtual void runFloat(const double* const* in, double* out) const = 0;
};

// Factories, one per op family (src/emulator/kernels/<family>.cpp).
std::unique_ptr<Kernel> makeCoreKernel(const Graph& g, const Node& n);        // Input, Dense, BatchNorm, Reshape
std::unique_ptr<Kernel> makeActivationKernel(const Graph& g, const Node& n);  // Activation, Softmax
std::unique_ptr<Kernel> makeSpatialKernel(const Graph& g, const Node& n);     // Conv, Pool, Pad, Upsample, Transpose
std::unique_ptr<Kernel> makeMergeKernel(const Graph& g, const Node& n);       // Merge, Concat, Dot
std::unique_ptr<Kernel> makeQuantizeKernel(const Graph& g, const Node& n);    // Quantize

}  // namespace nnfpga
