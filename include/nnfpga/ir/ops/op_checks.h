// Per-family verify and count functions, overloaded on the attribute struct so that graph.h's
// verifyGraph/countNode can std::visit them. A new op that lacks one is a compile error.
#pragma once

#include <string>
#include <vector>

#include "nnfpga/ir/graph.h"

namespace nnfpga {

// Shared by the family files: a verification failure naming the layer, and the nonzero count of a weight array
// once quantized to its type `t` (a weight the type rounds to zero costs nothing, like a pruned one).
[[noreturn]] void failOpCheck(const Node& n, const std::string& msg);
int64_t countNonzero(const std::vector<double>& v, const FixedType& t);
bool isNonzero(double v, const FixedType& t);

void verifyOp(const Graph& g, const Node& n, const InputAttrs& a);
void verifyOp(const Graph& g, const Node& n, const DenseAttrs& a);
void verifyOp(const Graph& g, const Node& n, const BatchNormAttrs& a);
void verifyOp(const Graph& g, const Node& n, const ReshapeAttrs& a);
void verifyOp(const Graph& g, const Node& n, const ActivationAttrs& a);
void verifyOp(const Graph& g, const Node& n, const SoftmaxAttrs& a);
void verifyOp(const Graph& g, const Node& n, const ConvAttrs& a);
void verifyOp(const Graph& g, const Node& n, const PoolAttrs& a);
void verifyOp(const Graph& g, const Node& n, const PadAttrs& a);
void verifyOp(const Graph& g, const Node& n, const UpsampleAttrs& a);
void verifyOp(const Graph& g, const Node& n, const TransposeAttrs& a);
void verifyOp(const Graph& g, const Node& n, const MergeAttrs& a);
void verifyOp(const Graph& g, const Node& n, const ConcatAttrs& a);
void verifyOp(const Graph& g, const Node& n, const DotAttrs& a);
void verifyOp(const Graph& g, const Node& n, const QuantizeAttrs& a);

NodeCounts countOp(const Graph& g, const Node& n, const InputAttrs& a);
NodeCounts countOp(const Graph& g, const Node& n, const DenseAttrs& a);
NodeCounts countOp(const Graph& g, const Node& n, const BatchNormAttrs& a);
NodeCounts countOp(const Graph& g, const Node& n, const ReshapeAttrs& a);
NodeCounts countOp(const Graph& g, const Node& n, const ActivationAttrs& a);
NodeCounts countOp(const Graph& g, const Node& n, const SoftmaxAttrs& a);
NodeCounts countOp(const Graph& g, const Node& n, const ConvAttrs& a);
NodeCounts countOp(const Graph& g, const Node& n, const PoolAttrs& a);
NodeCounts countOp(const Graph& g, const Node& n, const PadAttrs& a);
NodeCounts countOp(const Graph& g, const Node& n, const UpsampleAttrs& a);
NodeCounts countOp(const Graph& g, const Node& n, const TransposeAttrs& a);
NodeCounts countOp(const Graph& g, const Node& n, const MergeAttrs& a);
NodeCounts countOp(const Graph& g, const Node& n, const ConcatAttrs& a);
NodeCounts countOp(const Graph& g, const Node& n, const DotAttrs& a);
NodeCounts countOp(const Graph& g, const Node& n, const QuantizeAttrs& a);

}  // namespace nnfpga
