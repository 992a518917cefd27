// Lookup tables and constants of the activation and softmax layers, built exactly as the emulator uses them
// (docs/semantics.md, "Element-wise activations", "Softmax"), so that the HLS backend can write the very same
// values as constant arrays: one construction, used by the emulator kernels and by the emitters.
#pragma once

#include <cstdint>
#include <vector>

#include "nnfpga/fixed/fixed_type.h"
#include "nnfpga/ir/graph.h"

namespace nnfpga {

// A table of raw values of `type` (value = raw * 2^-type.frac()).
struct LookupTable {
    FixedType type;
    std::vector<int64_t> raw;
};

// One constant as its raw value in its type.
struct FixedConst {
    FixedType type;
    int64_t raw = 0;
};

// ---- element-wise activations -------------------------------------------------------------------------


// The table of a table activation: a.tableSize entries of a.tableT. Fails (naming the layer) when the
// table size is < 1. `n` must be an Activation node whose kind uses a table.
LookupTable activationTable(const Node& n);

// The scalar constants of an activation, each in the type the firmware holds it in. Only the members that
// the kind uses are set (the others keep type ap_fixed<16,6> and raw 0).
struct ActivationConsts {
    FixedConst param;            // LeakyReLU/ELU alpha, ThresholdedReLU theta: Q_param_t(a.param)
    std::vector<int64_t> alpha;  // PReLU: raw param_t, one per element, read back from weight text
    FixedConst slope, shift;     // HardSigmoid: Q_slope_t(a.slope), Q_shift_t(a.shift)
    FixedConst seluLambda;       // Selu: the positive slope lambda in ap_ufixed<16,1>
};
ActivationConsts activationConsts(const ActivationAttrs& a);

// Binary and Ternary as comparisons of the input's raw value: hi for raw >= hiFrom[c], lo for raw <= loTo[c]
// (Binary: every other raw), 0 otherwise, c the channel (one entry: every element); the outputs as raw values
// of the result type. The thresholds are clamped to one past the input type's range.
struct StepConsts {
    std::vector<int64_t> hiFrom, loTo;
    int64_t hi = 0, lo = 0, zero = 0;
};
StepConsts stepConsts(const ActivationAttrs& a, const FixedType& in, const FixedType& out);

// Po2 (Po2Spec) on raw magnitudes m of the input (scaled by 2^-frac, frac = in.frac() + slopeShift for the
// negative side of a relu with a slope 2^-slopeShift): m < tinyBelow → minExp; m >= maxFrom (when maxValue > 0)
// → maxValueExp; otherwise round (or floor) of log2, clipped to [minExp, maxExp]. pos/neg: the result type's raw
// values of +2^e and -2^e for e = minExp … maxExp.
struct Po2Consts {
    int slopeShift = 0;
    uint64_t tinyBelow = 0, maxFrom = UINT64_MAX;         // magnitudes at in.frac()
    uint64_t tinyBelowNeg = 0, maxFromNeg = UINT64_MAX;   // at in.frac() + slopeShift
    int maxValueExp = 0;
    std::vector<int64_t> pos, neg;
};
Po2Consts po2Consts(const ActivationAttrs& a, const FixedType& in, const FixedType& out);
// floor(log2 v) (floorOnly) or round(log2 v) of v = m * 2^-frac, m > 0, exactly.
int po2Log2(unsigned __int128 m, int frac, bool floorOnly);

// ---- softmax ---------------------------------------------------------------------------------------------

// A table addressed by the top `bits` bits of the raw pattern of an `addrT` value (sign bit included, read as
// unsigned). A size that is not a power of two can give an index past the end: it is clamped to the last entry.
struct BitTable {
    FixedType addrT;
    int bits = 0;
    LookupTable table;

    uint64_t index(int64_t v) const;  // unclamped
    int64_t lookup(int64_t v) const;  // raw entry of table.type, index clamped
};

// Everything the softmax of one layer needs besides its input values. Sizes and index widths follow
// hls4ml's Vivado backend (the table may not have more entries than the input or inv_table_t can address;
// the stable variant's exp table no more than its unsigned difference type can).
struct SoftmaxPlan {
    int64_t expSize = 0, invSize = 0;
    FixedType inpNormT;  // stable: the type of x_max - x_i (unsigned, one bit narrower for a signed input)
    BitTable exp;        // stable: addressed by inpNormT, entries exp(-v); latency: by the input, exp(v)
    BitTable inv;        // stable/latency: addressed by inv_inp_t, entries 1/v in inv_table_t
    // Legacy: exp(v) over [-8, 8) (expSize entries) and 1/v over [0, 64) (invSize entries), both in
    // ap_fixed<18,8> (legacyTableType()).
    LookupTable legacyExp, legacyInv;
};
// `n` must be a Softmax node; `inputType` is the type of its input. Fails (naming the layer) when the table
// size is < 1 or a table cannot be addressed by its index type. Argmax needs no table (sizes are still set).
SoftmaxPlan softmaxPlan(const Node& n, const FixedType& inputType);
// The table_t of the legacy softmax: hls4ml's activation default ap_fixed<18,8> (its config never overrides it).
FixedType legacySoftmaxTableType();

}  // namespace nnfpga
