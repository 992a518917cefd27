// Per-op invariants and counts of the core families (Input, Dense, BatchNorm, Reshape).
#include "nnfpga/ir/ops/op_checks.h"

#include "nnfpga/fixed/quantize.h"
#include "nnfpga/support/diagnostics.h"

namespace nnfpga {

void failOpCheck(const Node& n, const std::string& msg) { failAtLayer(n.name, n.kind, msg); }

bool isNonzero(double v, const FixedType& t) { return v != 0.0 && fromWeightText(v, t) != 0; }

int64_t countNonzero(const std::vector<double>& v, const FixedType& t) {
    int64_t c = 0;
    for (double x : v) c += isNonzero(x, t);
    return c;
}

namespace {
[[noreturn]] void bad(const Node& n, const std::string& msg) { failOpCheck(n, msg); }
}  // namespace

void verifyOp(const Graph& g, const Node& n, const InputAttrs&) {
    if (!n.inputs.empty() || n.outputs.size() != 1) bad(n, "an input layer has no inputs and one output");
    (void)g;
}

void verifyOp(const Graph& g, const Node& n, const DenseAttrs& a) {
    if (n.inputs.size() != 1) bad(n, "expects 1 input, got " + std::to_string(n.inputs.size()));
    const int64_t in = numElements(g.tensor(n.inputs[0]).shape);
    const Shape& inShape = g.tensor(n.inputs[0]).shape;
    if (inShape.size() != 1)
        bad(n, "input must be a vector (Flatten it first), got shape " + shapeStr(inShape));
    if (in != a.nIn) bad(n, "input has " + std::to_string(in) + " values, kernel expects " + std::to_string(a.nIn));
    if (static_cast<int64_t>(a.kernel.size()) != int64_t(a.nIn) * a.nOut)
        bad(n, "kernel has " + std::to_string(a.kernel.size()) + " values, expected " +
                   std::to_string(int64_t(a.nIn) * a.nOut));
    if (!a.bias.empty() && static_cast<int>(a.bias.size()) != a.nOut)
        bad(n, "bias has " + std::to_string(a.bias.size()) + " values, expected " + std::to_string(a.nOut));
    if (g.tensor(n.outputs[0]).shape != Shape{a.nOut}) bad(n, "output shape does not match the kernel");
}

void verifyOp(const Graph& g, const Node& n, const BatchNormAttrs& a) {
    if (n.inputs.size() != 1) bad(n, "expects 1 input, got " + std::to_string(n.inputs.size()));
    const Shape& s = g.tensor(n.inputs[0]).shape;
    if (a.nFilt <= 0 || s.empty() || s.back() != a.nFilt)
        bad(n, "scale/bias have " + std::to_string(a.nFilt) + " channels, input shape is " + shapeStr(s));
    if (static_cast<int>(a.scale.size()) != a.nFilt || static_cast<int>(a.bias.size()) != a.nFilt)
        bad(n, "scale and bias must have one value per channel");
}

void verifyOp(const Graph& g, const Node& n, const ReshapeAttrs& a) {
    if (n.inputs.size() != 1) bad(n, "expects 1 input, got " + std::to_string(n.inputs.size()));
    const Shape& s = g.tensor(n.inputs[0]).shape;
    if (numElements(s) != numElements(a.target))
        bad(n, "cannot reshape " + shapeStr(s) + " to " + shapeStr(a.target));
}

NodeCounts countOp(const Graph&, const Node&, const InputAttrs&) { return {}; }
NodeCounts countOp(const Graph&, const Node&, const ReshapeAttrs&) { return {}; }

NodeCounts countOp(const Graph&, const Node&, const DenseAttrs& a) {
    NodeCounts c;
    c.params = static_cast<int64_t>(a.kernel.size() + a.bias.size());
    c.nonzeroWeights = countNonzero(a.kernel, a.weightT) + countNonzero(a.bias, a.biasT);
    c.mults = static_cast<int64_t>(a.kernel.size());
    c.nonzeroMults = countNonzero(a.kernel, a.weightT);
    return c;
}

NodeCounts countOp(const Graph& g, const Node& n, const BatchNormAttrs& a) {
    NodeCounts c;
    c.params = static_cast<int64_t>(a.scale.size() + a.bias.size());
    c.nonzeroWeights = countNonzero(a.scale, a.scaleT) + countNonzero(a.bias, a.biasT);
    const int64_t per = numElements(g.tensor(n.inputs[0]).shape) / a.nFilt;
    c.mults = numElements(g.tensor(n.inputs[0]).shape);
    c.nonzeroMults = countNonzero(a.scale, a.scaleT) * per;
    return c;
}

}  // namespace nnfpga
