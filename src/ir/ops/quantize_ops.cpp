// Per-op invariants and counts of the quantizer family (Quantize), and the type that covers its element types.
#include <algorithm>
#include <climits>

#include "nnfpga/ir/ops/op_checks.h"
#include "nnfpga/support/diagnostics.h"

namespace nnfpga {

bool typeHolds(const FixedType& outer, const FixedType& inner) {
    if (isZeroWidth(inner)) return true;
    if (inner.isSigned && !outer.isSigned) return false;
    if (outer.frac() < inner.frac()) return false;
    return outer.integer >= inner.integer + (outer.isSigned && !inner.isSigned ? 1 : 0);
}

FixedType quantizeCoveringType(const QuantizeAttrs& a) {
    bool anySigned = false, any = false;
    int frac = INT_MIN;
    for (const FixedType& t : a.types) {
        if (isZeroWidth(t)) continue;
        any = true;
        anySigned |= t.isSigned;
        frac = std::max(frac, t.frac());
    }
    if (!any) return FixedType::integerType(1, false);
    int integer = INT_MIN;
    for (const FixedType& t : a.types)
        if (!isZeroWidth(t)) integer = std::max(integer, t.integer + (anySigned && !t.isSigned ? 1 : 0));
    return FixedType::fixed(integer + frac, integer, anySigned);
}

void verifyOp(const Graph& g, const Node& n, const QuantizeAttrs& a) {
    if (n.inputs.size() != 1) failOpCheck(n, "expects 1 input, got " + std::to_string(n.inputs.size()));
    const Shape& s = g.tensor(n.inputs[0]).shape;
    if (g.tensor(n.outputs[0]).shape != s) failOpCheck(n, "output shape differs from input shape");
    const int64_t size = numElements(s);
    if (a.types.size() != 1 && static_cast<int64_t>(a.types.size()) != size)
        failOpCheck(n, "needs 1 or " + std::to_string(size) + " element types, got " + std::to_string(a.types.size()));
    const FixedType& out = g.tensor(n.outputs[0]).type;
    for (size_t i = 0; i < a.types.size(); ++i) {
        const FixedType& t = a.types[i];
        if (t.width < 0 || t.width > kMaxWidth)
            failOpCheck(n, "element " + std::to_string(i) + ": width must be in [0, " + std::to_string(kMaxWidth) +
                               "], got " + std::to_string(t.width));
        if (!typeHolds(out, t))
            failOpCheck(n, "element " + std::to_string(i) + ": type " + t.str() + " does not fit the result type " +
                               out.str());
    }
}

NodeCounts countOp(const Graph&, const Node&, const QuantizeAttrs&) { return {}; }

}  // namespace nnfpga
