// Rounding and overflow of exact values into a FixedType (docs/semantics.md, "Conversion").
#include "nnfpga/fixed/quantize.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "nnfpga/support/diagnostics.h"

namespace nnfpga {

namespace {

constexpr i128 kI128Min = static_cast<i128>(static_cast<unsigned __int128>(1) << 127);

// floor(x / 2^s), for s in [1, 127].
inline i128 floorShift(i128 x, int s) { return x >> s; }  // arithmetic shift floors

}  // namespace

i128 roundShift(i128 raw, int shift, Rounding r) {
    if (shift <= 0) return raw;
    if (shift > 127) {
        // |raw| <= 2^127, so |value| <= 1/2 LSB, with equality only for raw = -2^127 at shift 128. Below half an
        // LSB floor gives -1 for negatives and every other mode 0; the one tie is decided like any other.
        if (raw == 0) return 0;
        const bool tie = shift == 128 && raw == kI128Min;
        switch (r) {
            case Rounding::TRN: return raw < 0 ? -1 : 0;
            case Rounding::RND_MIN_INF:
            case Rounding::RND_INF: return tie ? -1 : 0;
            default: return 0;
        }
    }
    i128 q = floorShift(raw, shift);
    i128 rem = raw - (q << shift);  // 0 <= rem < 2^shift
    if (rem == 0) return q;
    i128 half = i128(1) << (shift - 1);
    bool neg = raw < 0;
    switch (r) {
        case Rounding::TRN: return q;
        case Rounding::TRN_ZERO: return neg ? q + 1 : q;
        case Rounding::RND: return rem >= half ? q + 1 : q;
        case Rounding::RND_ZERO: return (rem > half || (rem == half && neg)) ? q + 1 : q;
        case Rounding::RND_MIN_INF: return rem > half ? q + 1 : q;
        case Rounding::RND_INF: return (rem > half || (rem == half && !neg)) ? q + 1 : q;
        case Rounding::RND_CONV: return (rem > half || (rem == half && (q & 1))) ? q + 1 : q;
    }
    return q;
}

int64_t applyOverflow(i128 q, const FixedType& t, bool* overflowed) {
    const i128 lo = t.rawMin(), hi = t.rawMax();
    bool under = q < lo, over = q > hi;
    // SAT_SYM on a signed type also maps the most negative code to -max (Vitis ap_fixed behaviour); on a 1-bit
    // signed type Vitis behaves as plain SAT.
    const bool sym = t.overflow == Overflow::SAT_SYM && t.isSigned && t.width > 1;
    bool symMin = sym && q == lo;
    if (overflowed) *overflowed = under || over;
    if (!under && !over && !symMin) return static_cast<int64_t>(q);
    switch (t.overflow) {
        case Overflow::WRAP: {
            const int w = t.width;
            if (w >= 128) return static_cast<int64_t>(q);
            unsigned __int128 m = static_cast<unsigned __int128>(q);
            if (w < 128) m &= (static_cast<unsigned __int128>(1) << w) - 1;
            if (t.isSigned && w > 0 && ((m >> (w - 1)) & 1)) {
                return static_cast<int64_t>(static_cast<i128>(m) - (static_cast<i128>(1) << w));
            }
            return static_cast<int64_t>(static_cast<i128>(m));
        }
        case Overflow::SAT: return static_cast<int64_t>(under ? lo : hi);
        case Overflow::SAT_ZERO: return 0;
        case Overflow::SAT_SYM:
            if (over) return static_cast<int64_t>(hi);
            return static_cast<int64_t>(sym ? lo + 1 : lo);
    }
    return static_cast<int64_t>(q);
}

int64_t quantize(i128 raw, int srcFrac, const FixedType& t, QuantizeFlags* flags) {
    const int shift = srcFrac - t.frac();
    i128 q;
    if (shift >= 0) {
        q = roundShift(raw, shift, t.rounding);
    } else {
        const int up = -shift;
        q = up < 127 ? static_cast<i128>(static_cast<unsigned __int128>(raw) << up) : 0;
        if (raw != 0 && (up >= 127 || (q >> up) != raw)) {
            // The exact value leaves the 128-bit range, so it overflows any type of <= 64 bits. Stand in a value
            // that is just as out of range with the same sign (for SAT) and the same low 64 bits (for WRAP).
            const unsigned __int128 low =
                up < 64 ? (static_cast<unsigned __int128>(raw) << up) & ~uint64_t(0) : 0;
            q = (raw > 0 ? (i128(1) << 100) : -(i128(1) << 100)) + static_cast<i128>(low);
        }
    }
    bool ovf = false;
    int64_t out = applyOverflow(q, t, &ovf);
    if (flags) flags->overflowed = ovf;
    return out;
}

int64_t fromDouble(double v, const FixedType& t, QuantizeFlags* flags) {
    if (v == 0.0) {
        if (flags) flags->overflowed = false;
        return 0;
    }
    if (std::isnan(v) || std::isinf(v)) {  // Vitis converts a NaN as the infinity of its sign
        i128 big = std::signbit(v) ? -(i128(1) << 100) : (i128(1) << 100);
        bool ovf = false;
        int64_t out = applyOverflow(big, t, &ovf);
        if (flags) flags->overflowed = ovf;
        return out;
    }
    int exp = 0;
    double m = std::frexp(v, &exp);  // v = m * 2^exp, 0.5 <= |m| < 1
    // 53-bit integer mantissa: v = mant * 2^(exp-53), exact.
    auto mant = static_cast<int64_t>(std::ldexp(m, 53));
    return quantize(mant, 53 - exp, t, flags);
}

double toDouble(int64_t raw, int frac) { return std::ldexp(static_cast<double>(raw), -frac); }

int64_t truncToInt(int64_t raw, int frac) {
    // Too-wide results reduce modulo 2^64, like C's conversion of an over-wide integer.
    if (frac <= -64) return 0;
    if (frac <= 0) return static_cast<int64_t>(static_cast<uint64_t>(raw) << (-frac));
    if (frac >= 64) return 0;  // |value| < 1; frac 63 still holds -1.0 (raw = INT64_MIN)
    int64_t q = raw >> frac;
    if (raw < 0 && (static_cast<uint64_t>(raw) & ((uint64_t(1) << frac) - 1))) q += 1;
    return q;
}

}  // namespace nnfpga

namespace nnfpga {

int64_t fromWeightText(double v, const FixedType& t, QuantizeFlags* flags) {
    const int decimals = t.frac() > 0 && !t.isInt ? t.frac() : 0;
    char buf[512];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return fromDouble(std::strtod(buf, nullptr), t, flags);
}

}  // namespace nnfpga
