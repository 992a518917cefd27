// Conversion of exact values to a FixedType: the only place where rounding and overflow are applied.
// A value is an integer `raw` scaled by 2^-frac. Everything here is integer arithmetic except fromDouble,
// which decomposes the double exactly first.
#pragma once

#include <cstdint>

#include "nnfpga/fixed/fixed_type.h"

namespace nnfpga {

using i128 = __int128;

// What happened in a conversion: the value did not fit the type's range (before the overflow mode acted).
struct QuantizeFlags {
    bool overflowed = false;
};

// Convert the exact value raw * 2^-srcFrac to `t`; returns the raw value of t (scaled by 2^-t.frac()).
int64_t quantize(i128 raw, int srcFrac, const FixedType& t, QuantizeFlags* flags = nullptr);

// Round an exact value raw * 2^-shift (shift >= 0) to an integer with mode r.
i128 roundShift(i128 raw, int shift, Rounding r);
// Apply the overflow mode to an integer already on t's grid.
int64_t applyOverflow(i128 q, const FixedType& t, bool* overflowed = nullptr);

// ap_fixed(double) semantics: the double's exact value converted with t's modes. NaN converts to 0.
int64_t fromDouble(double v, const FixedType& t, QuantizeFlags* flags = nullptr);
double toDouble(int64_t raw, int frac);
inline double toDouble(int64_t raw, const FixedType& t) { return toDouble(raw, t.frac()); }

// C `int` conversion of a fixed value: truncation toward zero (ap_fixed's to_int()).
int64_t truncToInt(int64_t raw, int frac);

}  // namespace nnfpga

namespace nnfpga {

// How hls4ml writes a weight and reads it back in C simulation: printed with max(0, frac) decimals
// ('{:.Ff}'), parsed as a double, converted with the type's modes. Differs from fromDouble(v, t) only for
// values within half a decimal digit below a grid point.
int64_t fromWeightText(double v, const FixedType& t, QuantizeFlags* flags = nullptr);

}  // namespace nnfpga
