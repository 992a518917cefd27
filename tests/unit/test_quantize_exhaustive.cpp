// Exhaustive tests of src/fixed/quantize.cpp against an independent model written with plain rational
// arithmetic: exact value num/den, the two neighbouring grid points by integer division, the rounding choice by
// comparing exact distances, then the overflow mode by range. No shifts or bit tricks in the model.
#include <gtest/gtest.h>

#include <cfloat>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "nnfpga/fixed/fixed_type.h"
#include "nnfpga/fixed/quantize.h"

namespace nnfpga {
namespace {

constexpr Rounding kAllRoundings[] = {Rounding::TRN,     Rounding::TRN_ZERO,    Rounding::RND,    Rounding::RND_ZERO,
                                      Rounding::RND_MIN_INF, Rounding::RND_INF, Rounding::RND_CONV};
constexpr Overflow kAllOverflows[] = {Overflow::WRAP, Overflow::SAT, Overflow::SAT_ZERO, Overflow::SAT_SYM};

// Stop reporting after a few failures so that a broken mode does not print millions of lines.
constexpr int kMaxReported = 20;

std::string toText(i128 v) {
    if (v == 0) return "0";
    bool neg = v < 0;
    unsigned __int128 m = neg ? -static_cast<unsigned __int128>(v) : static_cast<unsigned __int128>(v);
    std::string s;
    while (m) {
        s.insert(s.begin(), char('0' + int(m % 10)));
        m /= 10;
    }
    return neg ? "-" + s : s;
}

i128 pow2(int e) {
    i128 p = 1;
    for (int i = 0; i < e; ++i) p *= 2;
    return p;
}

i128 floorDiv(i128 n, i128 d) {  // d > 0
    i128 q = n / d;
    if (n % d != 0 && n < 0) q -= 1;
    return q;
}

i128 mathMod(i128 n, i128 d) {  // d > 0, result in [0, d)
    i128 r = n % d;
    return r < 0 ? r + d : r;
}

struct Expected {
    int64_t raw;
    bool overflowed;
};

// The target grid value of num/den with rounding mode r: the nearer of floor and ceiling by exact distance.
i128 roundRational(i128 num, i128 den, Rounding r) {
    const i128 lo = floorDiv(num, den);
    if (lo * den == num) return lo;
    const i128 hi = lo + 1;
    const i128 dLo = num - lo * den, dHi = hi * den - num;
    const bool negative = num < 0;
    switch (r) {
        case Rounding::TRN: return lo;
        case Rounding::TRN_ZERO: return negative ? hi : lo;
        default: break;
    }
    if (dLo < dHi) return lo;
    if (dHi < dLo) return hi;
    switch (r) {  // exactly halfway
        case Rounding::RND: return hi;
        case Rounding::RND_ZERO: return negative ? hi : lo;
        case Rounding::RND_MIN_INF: return lo;
        case Rounding::RND_INF: return negative ? lo : hi;
        case Rounding::RND_CONV: return mathMod(lo, 2) == 0 ? lo : hi;
        default: break;
    }
    ADD_FAILURE() << "unreachable";
    return 0;
}

Expected overflowModel(i128 q, const FixedType& t) {
    const int w = t.width;
    const i128 lo = t.isSigned ? -pow2(w - 1) : 0;
    const i128 hi = t.isSigned ? pow2(w - 1) - 1 : pow2(w) - 1;
    const bool out = q < lo || q > hi;
    i128 v = q;
    switch (t.overflow) {
        case Overflow::WRAP: v = mathMod(q - lo, pow2(w)) + lo; break;
        case Overflow::SAT: v = q < lo ? lo : q > hi ? hi : q; break;
        case Overflow::SAT_ZERO: v = out ? 0 : q; break;
        case Overflow::SAT_SYM: {
            const i128 symLo = t.isSigned && w > 1 ? -hi : lo;  // the most negative code is excluded too (W > 1)
            v = q < symLo ? symLo : q > hi ? hi : q;
            break;
        }
    }
    return {static_cast<int64_t>(v), out};
}

// Value num * 2^-k converted to t, or nullopt when the exact grid value does not fit the model's i128.
std::optional<Expected> model(i128 num, int k, const FixedType& t) {
    const int e = t.frac() - k;  // grid value = num * 2^e
    i128 n = num, den = 1;
    if (e > 0) {
        if (e > 125 || __builtin_mul_overflow(num, pow2(e), &n)) return std::nullopt;
    } else if (e < 0) {
        if (-e > 125) return std::nullopt;
        den = pow2(-e);
    }
    return overflowModel(roundRational(n, den, t.rounding), t);
}

std::string describe(i128 raw, int srcFrac, const FixedType& t) {
    return toText(raw) + " * 2^-" + std::to_string(srcFrac) + " -> " + t.str() + (t.isSigned ? "" : " (unsigned)");
}

std::vector<FixedType> smallTargets() {
    std::vector<FixedType> out;
    for (int w = 1; w <= 8; ++w)
        for (bool s : {true, false})
            for (int i = -3; i <= w + 3; ++i)
                for (Rounding r : kAllRoundings)
                    for (Overflow o : kAllOverflows) out.push_back(FixedType::fixed(w, i, s, r, o));
    return out;
}

// Every source value of every source type of width <= 8 (signed raws -128..127, unsigned 0..255, so -128..255
// covers all of them), source frac -3..10, into every target type of width 1..8 with integer bits -3..W+3.
TEST(QuantizeExhaustive, AllSmallTypes) {
    const auto start = std::chrono::steady_clock::now();
    const std::vector<FixedType> targets = smallTargets();
    ASSERT_EQ(targets.size(), 2u * 92u * 28u);
    int failures = 0;
    long long cases = 0, overflows = 0;
    for (const FixedType& t : targets) {
        for (int srcFrac = -3; srcFrac <= 10; ++srcFrac) {
            for (int raw = -128; raw <= 255; ++raw) {
                QuantizeFlags flags;
                flags.overflowed = !flags.overflowed;  // must be written on every call, not only on overflow
                const int64_t got = quantize(raw, srcFrac, t, &flags);
                const Expected want = *model(raw, srcFrac, t);
                ++cases;
                overflows += want.overflowed;
                if ((got != want.raw || flags.overflowed != want.overflowed) && ++failures <= kMaxReported) {
                    ADD_FAILURE() << describe(raw, srcFrac, t) << ": got " << got << (flags.overflowed ? " (ovf)" : "")
                                  << ", want " << want.raw << (want.overflowed ? " (ovf)" : "");
                }
                if (quantize(raw, srcFrac, t) != got && ++failures <= kMaxReported)
                    ADD_FAILURE() << describe(raw, srcFrac, t) << ": result depends on the flags pointer";
            }
        }
    }
    EXPECT_EQ(failures, 0);
    EXPECT_EQ(cases, 5152LL * 14 * 384);
    EXPECT_GT(overflows, cases / 10);  // the sweep really exercises the overflow modes
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    RecordProperty("seconds", std::to_string(secs));
}

// applyOverflow on its own, for integers well past both ends of every small range.
TEST(QuantizeExhaustive, ApplyOverflowSmall) {
    int failures = 0;
    for (const FixedType& t : smallTargets()) {
        if (t.rounding != Rounding::TRN) continue;  // rounding plays no part here
        for (int q = -700; q <= 700; ++q) {
            const Expected want = overflowModel(q, t);
            bool ovf = !want.overflowed;  // must be written on every call
            const int64_t got = applyOverflow(q, t, &ovf);
            if ((got != want.raw || ovf != want.overflowed) && ++failures <= kMaxReported)
                ADD_FAILURE() << q << " -> " << t.str() << ": got " << got << ", want " << want.raw;
        }
    }
    EXPECT_EQ(failures, 0);
}

// roundShift on its own: every mode, every small raw and shift, against the rational rounding.
TEST(QuantizeExhaustive, RoundShiftSmall) {
    int failures = 0;
    for (Rounding r : kAllRoundings)
        for (int shift = 0; shift <= 12; ++shift)
            for (int raw = -5000; raw <= 5000; ++raw) {
                const i128 got = roundShift(raw, shift, r);
                const i128 want = roundRational(raw, pow2(shift), r);
                if (got != want && ++failures <= kMaxReported)
                    ADD_FAILURE() << raw << " >> " << shift << " " << toString(r) << ": got " << toText(got)
                                  << ", want " << toText(want);
            }
    EXPECT_EQ(failures, 0);
}

// Wide types (9..64 bits) and wide raw values, sampled: the model stays exact in i128 for these ranges.
TEST(QuantizeExhaustive, WideTypesRandom) {
    std::mt19937_64 rng(12345);
    int failures = 0, checked = 0;
    for (int iter = 0; iter < 400000; ++iter) {
        const int w = 9 + int(rng() % 56);
        const bool s = (rng() & 1) || w == 64;
        const int i = int(rng() % (w + 40)) - 20;
        const FixedType t = FixedType::fixed(w, i, s, kAllRoundings[rng() % 7], kAllOverflows[rng() % 4]);
        const int bits = 1 + int(rng() % 100);
        i128 raw = static_cast<i128>(rng() >> 1) << 36 | static_cast<i128>(rng() >> 28);
        raw >>= (100 - bits);
        if (rng() & 1) raw = -raw;
        // Aim the source frac near the target's so that both rounding and in-range values are common; left shifts
        // of up to 70 bits reach the widest types' ends.
        const int srcFrac = t.frac() + int(rng() % 190) - 70;
        std::optional<Expected> want = model(raw, srcFrac, t);
        if (!want) continue;
        QuantizeFlags flags;
        const int64_t got = quantize(raw, srcFrac, t, &flags);
        ++checked;
        if ((got != want->raw || flags.overflowed != want->overflowed) && ++failures <= kMaxReported)
            ADD_FAILURE() << describe(raw, srcFrac, t) << ": got " << got << (flags.overflowed ? " (ovf)" : "")
                          << ", want " << want->raw << (want->overflowed ? " (ovf)" : "");
    }
    EXPECT_EQ(failures, 0);
    EXPECT_GT(checked, 300000);
}

// Left shifts into the widest types: the value is exactly representable although the shift is >= 62 bits.
TEST(QuantizeExhaustive, WideLeftShiftsStayExact) {
    const FixedType s64 = FixedType::fixed(64, 1);  // [-1, 1)
    QuantizeFlags flags;
    EXPECT_EQ(quantize(-1, 0, s64, &flags), INT64_MIN);
    EXPECT_FALSE(flags.overflowed);
    EXPECT_EQ(quantize(1, 1, s64, &flags), int64_t(1) << 62);
    EXPECT_FALSE(flags.overflowed);
    const FixedType s64i2 = FixedType::fixed(64, 2);
    EXPECT_EQ(quantize(1, 0, s64i2, &flags), int64_t(1) << 62);
    EXPECT_FALSE(flags.overflowed);
    const FixedType u63 = FixedType::fixed(63, 0, false);
    EXPECT_EQ(quantize(1, 63, u63, &flags), 1);
    EXPECT_EQ(quantize(3, 2, u63, &flags), int64_t(3) << 61);
    EXPECT_FALSE(flags.overflowed);
    // Overflowing wide shifts keep the low bits for WRAP (5 * 2^62 mod 2^64 = 2^62) and the sign for SAT.
    EXPECT_EQ(quantize(5, 0, s64i2, &flags), int64_t(1) << 62);
    EXPECT_TRUE(flags.overflowed);
    EXPECT_EQ(quantize(-5, 0, FixedType::fixed(64, 2, true, Rounding::TRN, Overflow::SAT), &flags), INT64_MIN);
    EXPECT_TRUE(flags.overflowed);
    // Zero stays zero however far it is shifted.
    flags.overflowed = true;
    EXPECT_EQ(quantize(0, -200, FixedType::fixed(8, 8, true, Rounding::TRN, Overflow::SAT), &flags), 0);
    EXPECT_FALSE(flags.overflowed);
    EXPECT_EQ(quantize(0, -127, FixedType::integerType(8)), 0);
    // Shifts far past i128: low bits are all zero.
    EXPECT_EQ(quantize(3, -200, FixedType::integerType(64), &flags), 0);
    EXPECT_TRUE(flags.overflowed);
    EXPECT_EQ(quantize(-3, -200, FixedType::fixed(8, 8, true, Rounding::TRN, Overflow::SAT), &flags), -128);
    EXPECT_EQ(quantize(3, -200, FixedType::fixed(8, 8, false, Rounding::TRN, Overflow::SAT_SYM), &flags), 255);
    // A huge i128 raw whose shift overflows i128 only by a little: low 64 bits survive.
    const i128 big = (i128(1) << 120) + 7;
    EXPECT_EQ(quantize(big, -10, FixedType::integerType(64), &flags), 7 << 10);
    EXPECT_TRUE(flags.overflowed);
}

// Right shifts past 120 bits with raws of any i128 size: the value is below half an LSB except one tie.
TEST(QuantizeExhaustive, HugeRightShifts) {
    const i128 kMin = static_cast<i128>(static_cast<unsigned __int128>(1) << 127);
    const i128 big = (i128(1) << 100) + 12345;
    for (Rounding r : kAllRoundings) {
        const FixedType t = FixedType::fixed(8, 8, true, r, Overflow::SAT);
        for (int k : {121, 126, 127, 128, 129, 200, 5000}) {
            EXPECT_EQ(quantize(big, k, t), 0) << k << " " << toString(r);
            EXPECT_EQ(quantize(-big, k, t), r == Rounding::TRN ? -1 : 0) << k << " " << toString(r);
            EXPECT_EQ(quantize(1, k, t), 0);
            EXPECT_EQ(quantize(-1, k, t), r == Rounding::TRN ? -1 : 0);
        }
        // -2^127 * 2^-128 = -1/2 exactly.
        const bool down = r == Rounding::TRN || r == Rounding::RND_MIN_INF || r == Rounding::RND_INF;
        EXPECT_EQ(quantize(kMin, 128, t), down ? -1 : 0) << toString(r);
        EXPECT_EQ(quantize(kMin, 127, t), -1) << toString(r);
        EXPECT_EQ(quantize(kMin, 129, t), r == Rounding::TRN ? -1 : 0) << toString(r);
        EXPECT_EQ(roundShift(kMin, 128, r), down ? -1 : 0) << toString(r);
    }
}

// The exact rational value of a double, found by doubling/halving (exact in binary floating point), not frexp.
std::pair<i128, int> exactDouble(double v) {
    int k = 0;
    while (v != std::floor(v)) {
        v *= 2;
        ++k;
    }
    while (std::fabs(v) >= 0x1p62) {
        v /= 2;
        --k;
    }
    return {static_cast<i128>(static_cast<int64_t>(v)), k};
}

std::vector<FixedType> doubleTargets() {
    std::vector<FixedType> out;
    for (int w : {1, 2, 3, 5, 8, 12, 16, 24, 32, 48, 63, 64})
        for (bool s : {true, false}) {
            if (!s && w == 64) continue;
            for (int i : {-20, -3, 0, 1, 3, w / 2, w, w + 5, 40})
                for (Rounding r : kAllRoundings)
                    for (Overflow o : kAllOverflows) out.push_back(FixedType::fixed(w, i, s, r, o));
        }
    return out;
}

TEST(QuantizeExhaustive, FromDoubleMatchesModel) {
    const std::vector<FixedType> targets = doubleTargets();
    std::mt19937_64 rng(777);
    std::vector<double> values = {0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.25, -0.75, 0.125, 1.0, -1.0, 3.0, -4.0,
                                  0.1, -0.1, 1.0 / 3, -2.0 / 3, 1e-6, -1e-6, 1e-12, 123.456, -987.25, 1e9, -1e9,
                                  0x1p40, -0x1p40, 0x1p40 + 0.5, 0x1.fffffffffffffp52, -0x1p62, 0x1p62 - 1024};
    for (int n = 0; n < 4000; ++n) {
        // Random 53-bit mantissas at exponents around the targets' grids, and exact halves between grid points.
        const double m = std::ldexp(static_cast<double>(rng() >> 11), -53);
        const int e = int(rng() % 100) - 50;
        double v = std::ldexp(m, e);
        if (n % 3 == 0) v = std::ldexp(std::round(std::ldexp(m, 20)) + 0.5, int(rng() % 40) - 40);
        values.push_back(rng() & 1 ? -v : v);
    }
    int failures = 0, checked = 0;
    for (double v : values) {
        const auto [num, k] = exactDouble(v);
        ASSERT_EQ(std::ldexp(static_cast<double>(num), -k), v);
        for (const FixedType& t : targets) {
            std::optional<Expected> want = model(num, k, t);
            if (!want) continue;
            QuantizeFlags flags;
            flags.overflowed = !want->overflowed;
            const int64_t got = fromDouble(v, t, &flags);
            ++checked;
            if ((got != want->raw || flags.overflowed != want->overflowed) && ++failures <= kMaxReported) {
                std::ostringstream os;
                os.precision(17);
                os << v;
                ADD_FAILURE() << os.str() << " -> " << t.str() << ": got " << got << (flags.overflowed ? " (ovf)" : "")
                              << ", want " << want->raw << (want->overflowed ? " (ovf)" : "");
            }
        }
    }
    EXPECT_EQ(failures, 0);
    EXPECT_GT(checked, 3000000);
}

TEST(QuantizeExhaustive, FromDoubleExtremes) {
    for (const FixedType& t : doubleTargets()) {
        QuantizeFlags flags;
        flags.overflowed = true;
        EXPECT_EQ(fromDouble(0.0, t, &flags), 0);
        EXPECT_FALSE(flags.overflowed);
        EXPECT_EQ(fromDouble(-0.0, t), 0);
        // A NaN converts as the infinity of its sign (Vitis).
        EXPECT_EQ(fromDouble(std::nan(""), t, &flags), fromDouble(INFINITY, t)) << t.str();
        EXPECT_EQ(fromDouble(-std::nan(""), t), fromDouble(-INFINITY, t)) << t.str();
        // Below half an LSB: floor gives -1 LSB for negatives, every other mode 0.
        for (double tiny : {5e-324, 1e-300, 1e-30, 0x1p-60}) {
            const bool belowHalf = std::ldexp(tiny, t.frac()) < 0.5;
            if (!belowHalf) continue;
            const int64_t negTiny = t.rounding == Rounding::TRN ? -1 : 0;
            EXPECT_EQ(fromDouble(tiny, t, &flags), 0) << tiny << " " << t.str();
            EXPECT_FALSE(flags.overflowed);
            EXPECT_EQ(fromDouble(-tiny, t, &flags), overflowModel(negTiny, t).raw) << -tiny << " " << t.str();
            EXPECT_EQ(flags.overflowed, !t.isSigned && negTiny != 0);
        }
        // Far out of range: SAT modes clamp by sign, WRAP keeps the low bits, which are 0 for these values.
        for (double huge : {1e300, DBL_MAX, 0x1p200, HUGE_VAL}) {
            for (double v : {huge, -huge}) {
                const Expected sat = overflowModel(v > 0 ? pow2(100) : -pow2(100), t);
                EXPECT_EQ(fromDouble(v, t, &flags), sat.raw) << v << " " << t.str();
                EXPECT_TRUE(flags.overflowed);
            }
        }
    }
    // Huge but with low bits: 2^70 + 2^20 wraps to 2^20 in any integer type of more than 21 bits.
    EXPECT_EQ(fromDouble(0x1p70 + 0x1p20, FixedType::integerType(64)), int64_t(1) << 20);
    EXPECT_EQ(fromDouble(0x1p70 + 0x1p20, FixedType::integerType(32)), int64_t(1) << 20);
    EXPECT_EQ(fromDouble(-(0x1p70 + 0x1p20), FixedType::integerType(32)), -(int64_t(1) << 20));
}

TEST(QuantizeExhaustive, ToDouble) {
    EXPECT_EQ(toDouble(5, 2), 1.25);
    EXPECT_EQ(toDouble(-3, 0), -3.0);
    EXPECT_EQ(toDouble(3, -2), 12.0);
    EXPECT_EQ(toDouble(INT64_MIN, 63), -1.0);
    EXPECT_EQ(toDouble(7, FixedType::fixed(8, 3)), 7.0 / 32);
    for (const FixedType& t : smallTargets())
        for (int64_t raw = t.rawMin(); raw <= t.rawMax(); ++raw) {
            // SAT_SYM moves the most negative code even when it is in range.
            const int64_t want =
                t.overflow == Overflow::SAT_SYM && t.isSigned && t.width > 1 && raw == t.rawMin() ? raw + 1 : raw;
            ASSERT_EQ(fromDouble(toDouble(raw, t), t), want) << raw << " " << t.str();
        }
}

TEST(QuantizeExhaustive, TruncToInt) {
    for (int frac = -3; frac <= 12; ++frac)
        for (int64_t raw = -3000; raw <= 3000; ++raw) {
            // C++ integer division truncates toward zero, which is exactly the rule under test.
            const int64_t want = frac >= 0 ? raw / (int64_t(1) << frac) : raw * (int64_t(1) << -frac);
            ASSERT_EQ(truncToInt(raw, frac), want) << raw << " * 2^-" << frac;
        }
    EXPECT_EQ(truncToInt(INT64_MIN, 63), -1);  // exactly -1.0
    EXPECT_EQ(truncToInt(INT64_MIN + 1, 63), 0);
    EXPECT_EQ(truncToInt(INT64_MAX, 63), 0);
    EXPECT_EQ(truncToInt(INT64_MIN, 62), -2);
    EXPECT_EQ(truncToInt(INT64_MIN, 64), 0);
    EXPECT_EQ(truncToInt(INT64_MIN, 200), 0);
    EXPECT_EQ(truncToInt(-1, 200), 0);
    EXPECT_EQ(truncToInt(INT64_MAX, 62), 1);
    EXPECT_EQ(truncToInt(-5, 1), -2);
    EXPECT_EQ(truncToInt(5, 1), 2);
    // Left shifts reduce modulo 2^64 like the C conversion of an over-wide integer, never undefined behaviour.
    EXPECT_EQ(truncToInt(3, -62), static_cast<int64_t>(uint64_t(3) << 62));
    EXPECT_EQ(truncToInt(3, -64), 0);
    EXPECT_EQ(truncToInt(-3, -300), 0);
}

// hls4ml's weight path: print with max(0, frac) decimals, parse, convert.
TEST(QuantizeExhaustive, FromWeightText) {
    const FixedType t = FixedType::fixed(8, 3);  // frac 5: 5 decimals, lsb 1/32 = 0.03125
    EXPECT_EQ(fromWeightText(0.03125, t), 1);
    EXPECT_EQ(fromDouble(0.031249, t), 0);
    EXPECT_EQ(fromWeightText(0.031249, t), 1);   // printed as 0.03125, a grid point
    EXPECT_EQ(fromWeightText(0.031244, t), 0);   // printed as 0.03124
    EXPECT_EQ(fromWeightText(-0.031249, t), -1); // -0.03125 exactly
    EXPECT_EQ(fromDouble(-0.031249, t), -1);
    EXPECT_EQ(fromWeightText(1.5, t), 48);
    EXPECT_EQ(fromWeightText(-4.0, t), -128);
    QuantizeFlags flags;
    EXPECT_EQ(fromWeightText(4.0, t, &flags), -128);  // WRAP
    EXPECT_TRUE(flags.overflowed);
    // frac <= 0 prints no decimals: "%.0f" rounds half to even before the type's own rounding applies.
    const FixedType coarse = FixedType::fixed(8, 10);  // frac -2, lsb 4
    EXPECT_EQ(fromWeightText(7.9, coarse), 2);  // "8" -> 8 / 4
    EXPECT_EQ(fromDouble(7.9, coarse), 1);
    EXPECT_EQ(fromWeightText(2.5, FixedType::integerType(8)), 2);  // "2"
    EXPECT_EQ(fromWeightText(3.5, FixedType::integerType(8)), 4);  // "4"
    // Rounding modes still act on the parsed value.
    const FixedType rnd = FixedType::fixed(8, 3, true, Rounding::RND, Overflow::SAT);
    EXPECT_EQ(fromWeightText(0.046875, rnd), 2);  // 1.5 LSB, printed as 0.04688 -> rounds up
    EXPECT_EQ(fromWeightText(0.0468, rnd), 1);    // 1.4976 LSB
    EXPECT_EQ(fromWeightText(100.0, rnd), 127);
}

}  // namespace
}  // namespace nnfpga
