// Attribute struct of the explicit quantizer op: every element converted to its own fixed-point type (HGQ's
// per-element bit widths, docs/semantics.md "Quantize"). Homogeneous quantizers usually become result types instead.
#pragma once

#include <cstdint>
#include <vector>

#include "nnfpga/fixed/fixed_type.h"

namespace nnfpga {

// y[i] = Q_{t(i)}(x[i]) with t(i) = types[i], or types[0] for every element when there is one type. An element type
// of width 0 makes the element 0 (a pruned value). The output tensor's type holds every element type exactly.
struct QuantizeAttrs {
    std::vector<FixedType> types;

    const FixedType& typeAt(int64_t i) const { return types.size() == 1 ? types[0] : types[static_cast<size_t>(i)]; }
};

// Whether an element type is the always-zero type (width 0).
inline bool isZeroWidth(const FixedType& t) { return t.width == 0; }
// The smallest TRN/WRAP type that holds every value of every element type exactly (ap_uint<1> when all are zero).
FixedType quantizeCoveringType(const QuantizeAttrs& a);
// Whether every value of `inner` is exactly representable in `outer`.
bool typeHolds(const FixedType& outer, const FixedType& inner);

}  // namespace nnfpga
