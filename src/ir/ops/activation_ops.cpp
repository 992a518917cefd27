// Per-op invariants and counts of the activation families (element-wise activations, softmax).
#include "nnfpga/ir/ops/op_checks.h"

#include "nnfpga/support/diagnostics.h"

namespace nnfpga {

namespace {
void checkElementwise(const Graph& g, const Node& n) {
    if (n.inputs.size() != 1) failAtLayer(n.name, n.kind, "expects 1 input, got " + std::to_string(n.inputs.size()));
    if (g.tensor(n.inputs[0]).shape != g.tensor(n.outputs[0]).shape)
        failAtLayer(n.name, n.kind, "output shape differs from input shape");
}
}  // namespace

bool usesTable(ActKind k) {
    switch (k) {
        case ActKind::Sigmoid:
        case ActKind::Tanh:
        case ActKind::Softplus:
        case ActKind::Softsign:
        case ActKind::Elu:
        case ActKind::Selu: return true;
        default: return false;
    }
}

FixedType lutIndexType(const ActivationAttrs& a) {
    int bits = 0;
    while ((size_t(1) << bits) < a.lut.size()) ++bits;
    return FixedType::fixed(bits, bits - a.lutFrac, true, Rounding::RND_CONV, Overflow::WRAP);
}

void verifyOp(const Graph& g, const Node& n, const ActivationAttrs& a) {
    checkElementwise(g, n);
    if (a.kind == ActKind::Lut && (a.lut.size() < 2 || (a.lut.size() & (a.lut.size() - 1)) || a.lut.size() > (size_t(1) << 24)))
        failAtLayer(n.name, n.kind, "the lookup table needs a power-of-two size in [2, 2^24], got " + std::to_string(a.lut.size()));
    if (a.kind == ActKind::PRelu &&
        static_cast<int64_t>(a.alpha.size()) != numElements(g.tensor(n.inputs[0]).shape))
        failAtLayer(n.name, n.kind, "PReLU needs one alpha per input value, got " + std::to_string(a.alpha.size()));
    if (a.tableSize <= 0) failAtLayer(n.name, n.kind, "table_size must be > 0, got " + std::to_string(a.tableSize));
    if (!a.thrHi.empty()) {
        const Shape& s = g.tensor(n.inputs[0]).shape;
        const bool ternary = a.kind == ActKind::Ternary;
        if ((a.kind != ActKind::Binary && !ternary) || s.empty() || a.thrHi.size() != static_cast<size_t>(s.back()) ||
            a.thrLo.size() != (ternary ? a.thrHi.size() : 0))
            failAtLayer(n.name, n.kind, "per-channel thresholds need a binary or ternary activation and one threshold "
                                        "(ternary: a pair) per channel");
    }
    if (a.negClip && (a.kind != ActKind::LeakyRelu || !(*a.negClip <= 0)))
        failAtLayer(n.name, n.kind,
                    "a negative-side clip needs a leaky relu and a bound <= 0, got " + std::to_string(*a.negClip));
    if (a.kind == ActKind::Ternary && a.thrHi.empty() && !(a.param > 0))
        failAtLayer(n.name, n.kind, "ternary threshold must be > 0, got " + std::to_string(a.param));
    if (a.kind == ActKind::Po2 && (a.po2.minExp > a.po2.maxExp || a.po2.minExp < -kMaxIntegerBits ||
                                   a.po2.maxExp > kMaxIntegerBits || a.po2.negSlope < 0))
        failAtLayer(n.name, n.kind, "power-of-two exponents must satisfy min <= max, got [" +
                                        std::to_string(a.po2.minExp) + ", " + std::to_string(a.po2.maxExp) + "]");
}

void verifyOp(const Graph& g, const Node& n, const SoftmaxAttrs& a) {
    checkElementwise(g, n);
    if (a.tableSize <= 0) failAtLayer(n.name, n.kind, "table_size must be > 0, got " + std::to_string(a.tableSize));
}

NodeCounts countOp(const Graph& g, const Node& n, const ActivationAttrs& a) {
    NodeCounts c;
    c.params = static_cast<int64_t>(a.alpha.size());
    for (double x : a.alpha) c.nonzeroWeights += x != 0.0;
    const int64_t size = numElements(g.tensor(n.inputs[0]).shape);
    if (a.kind == ActKind::PRelu) {
        c.mults = size;
        c.nonzeroMults = c.nonzeroWeights;
    } else if (a.kind == ActKind::LeakyRelu || a.kind == ActKind::HardSigmoid || a.kind == ActKind::Elu ||
               a.kind == ActKind::Selu) {
        c.mults = c.nonzeroMults = size;
    }
    return c;
}

NodeCounts countOp(const Graph& g, const Node& n, const SoftmaxAttrs&) {
    NodeCounts c;
    c.mults = c.nonzeroMults = numElements(g.tensor(n.inputs[0]).shape);
    return c;
}

}  // namespace nnfpga
