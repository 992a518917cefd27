// Internal to src/report/: replays a layer's accumulation in float (products and running sums in the kernel's
// order) to see the values its accumulator holds, checking each conversion as the emulator counts it.
#pragma once

#include <vector>

#include "nnfpga/ir/graph.h"
#include "nnfpga/report/profile.h"

namespace nnfpga {

// Whether node `n` has an accumulator whose values replayAccum can observe (Dense, Conv, Pool, Dot, and the
// table-based Softmax variants), and its type.
bool hasAccum(const Node& n, FixedType* type);

// Adds one sample's accumulator values of node `n` to `acc`, checking conversions into `type` (tensors: every
// tensor's float values).
void replayAccum(const Graph& g, const Node& n, const std::vector<std::vector<double>>& tensors, const FixedType& type,
                 ValueStats& acc);

}  // namespace nnfpga
