// Unit tests of runtime/aptypes, nnfpga's ap_fixed/ap_int for C simulation: conversions agree bit for bit with
// nnfpga::quantize and nnfpga::fromDouble (exhaustively for targets of up to 6 bits, every rounding and overflow
// mode), + - * / are exact, comparisons, to_int, bit/range access and printing. tests/aptypes/differential.sh
// checks the same headers against the Vitis ones.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <iomanip>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "../../runtime/aptypes/ap_fixed.h"
#include "../../runtime/aptypes/ap_int.h"
#include "nnfpga/fixed/fixed_type.h"
#include "nnfpga/fixed/quantize.h"

namespace {

using nnfpga::FixedType;
using nnfpga::i128;
using nnfpga::Overflow;
using nnfpga::Rounding;

constexpr int kMaxReported = 20;

Rounding toRounding(ap_q_mode q) {
    switch (q) {
        case AP_RND: return Rounding::RND;
        case AP_RND_ZERO: return Rounding::RND_ZERO;
        case AP_RND_MIN_INF: return Rounding::RND_MIN_INF;
        case AP_RND_INF: return Rounding::RND_INF;
        case AP_RND_CONV: return Rounding::RND_CONV;
        case AP_TRN: return Rounding::TRN;
        case AP_TRN_ZERO: return Rounding::TRN_ZERO;
    }
    return Rounding::TRN;
}
Overflow toOverflow(ap_o_mode o) {
    switch (o) {
        case AP_SAT: return Overflow::SAT;
        case AP_SAT_ZERO: return Overflow::SAT_ZERO;
        case AP_SAT_SYM: return Overflow::SAT_SYM;
        default: return Overflow::WRAP;  // WRAP_SM has its own test
    }
}

template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>
FixedType typeOf(const ap_fixed_base<W, I, S, Q, O, N>*) {
    return FixedType::fixed(W, I, S, toRounding(Q), toOverflow(O));
}
template <int W, bool S>
FixedType typeOf(const ap_int_base<W, S>*) {
    return FixedType::integerType(W, S);
}
template <class T>
FixedType typeOf() {
    return typeOf(static_cast<T*>(nullptr));
}

template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O>
using Fx = typename std::conditional<S, ap_fixed<W, I, Q, O>, ap_ufixed<W, I, Q, O>>::type;

// Typed conversions behind plain function pointers, so the exhaustive loops below are written (and compiled) once.
typedef int64_t (*FromRawFn)(int64_t raw);
typedef int64_t (*FromDoubleFn)(double v);
template <class D, class Src>
int64_t convertFrom(int64_t raw) {
    return int64_t(D(Src::fromRaw(typename Src::Raw(raw))).raw());
}
template <class D>
int64_t convertDouble(double v) {
    return int64_t(D(v).raw());
}

// Source types whose every raw value is tried: their fraction bits 6, 6, 0, -2 put the targets' grids both
// finer and coarser than the source's.
struct Source {
    FixedType type;
    int64_t rawMin, rawMax;
};
typedef ap_fixed<12, 6> Src0;
typedef ap_ufixed<12, 6> Src1;
typedef ap_int<8> Src2;
typedef ap_fixed<10, 12> Src3;
const Source kSources[] = {{typeOf<Src0>(), -2048, 2047},
                           {typeOf<Src1>(), 0, 4095},
                           {typeOf<Src2>(), -128, 127},
                           {typeOf<Src3>(), -512, 511}};

struct Target {
    FixedType type;
    FromRawFn fromRaw[4];
    FromDoubleFn fromDouble;
};
template <class D>
Target target() {
    return {typeOf<D>(),
            {&convertFrom<D, Src0>, &convertFrom<D, Src1>, &convertFrom<D, Src2>, &convertFrom<D, Src3>},
            &convertDouble<D>};
}
// Typed targets: every shape of width 1..6 with integer bits -2..W+2, signed and unsigned, in four mode pairs
// that select each of convertRaw's paths (the TRN/WRAP shift, the lossless shift with and without SAT_SYM's
// boundary, the general routine); and every mode pair for a few shapes. The general routine itself is checked for
// every shape and mode pair by CoreMatchesQuantizeExhaustively, without instantiating a type for each.
template <int W, int I, bool S>
void addShape(std::vector<Target>& out) {
    out.push_back(target<Fx<W, I, S, AP_TRN, AP_WRAP>>());
    out.push_back(target<Fx<W, I, S, AP_RND, AP_SAT_SYM>>());
    out.push_back(target<Fx<W, I, S, AP_RND_CONV, AP_SAT>>());
    out.push_back(target<Fx<W, I, S, AP_TRN_ZERO, AP_SAT_ZERO>>());
}
template <int W, int... K>
void addWidth(std::vector<Target>& out, std::integer_sequence<int, K...>) {
    (addShape<W, K - 2, true>(out), ...);
    (addShape<W, K - 2, false>(out), ...);
}
template <int W, int I, bool S, int... K>
void addModes(std::vector<Target>& out, std::integer_sequence<int, K...>) {
    // K enumerates the 7 roundings x {SAT, SAT_ZERO, SAT_SYM, WRAP} (WRAP_SM is outside docs/semantics.md).
    (out.push_back(target<Fx<W, I, S, ap_q_mode(K / 4), ap_o_mode(K % 4)>>()), ...);
}
std::vector<Target> allTargets() {
    std::vector<Target> out;
    addWidth<1>(out, std::make_integer_sequence<int, 5>());
    addWidth<2>(out, std::make_integer_sequence<int, 6>());
    addWidth<3>(out, std::make_integer_sequence<int, 7>());
    addWidth<4>(out, std::make_integer_sequence<int, 8>());
    addWidth<5>(out, std::make_integer_sequence<int, 9>());
    addWidth<6>(out, std::make_integer_sequence<int, 10>());
    addModes<1, 1, true>(out, std::make_integer_sequence<int, 28>());
    addModes<3, 1, true>(out, std::make_integer_sequence<int, 28>());
    addModes<4, 2, false>(out, std::make_integer_sequence<int, 28>());
    addModes<6, 8, true>(out, std::make_integer_sequence<int, 28>());
    return out;
}

// What Vitis does where it is not docs/semantics.md: SAT_SYM on a 1-bit signed type is plain SAT (there is no
// symmetric range), measured with tests/aptypes/differential.sh.
FixedType vitisEquivalent(FixedType t) {
    if (t.isSigned && t.width == 1 && t.overflow == Overflow::SAT_SYM) t.overflow = Overflow::SAT;
    return t;
}

TEST(ApTypes, ConversionsMatchQuantizeExhaustively) {
    const std::vector<Target> targets = allTargets();
    int failures = 0;
    int64_t cases = 0;
    for (const Target& t : targets) {
        const FixedType expectedType = vitisEquivalent(t.type);
        for (int s = 0; s < 4; ++s) {
            const Source& src = kSources[s];
            for (int64_t raw = src.rawMin; raw <= src.rawMax; ++raw) {
                const int64_t got = t.fromRaw[s](raw);
                const int64_t want = nnfpga::quantize(raw, src.type.frac(), expectedType);
                ++cases;
                if (got != want && ++failures <= kMaxReported) {
                    ADD_FAILURE() << src.type.str() << " raw " << raw << " -> " << t.type.str()
                                  << (t.type.isSigned ? "" : " (unsigned)") << ": got raw " << got << ", want " << want;
                }
            }
        }
    }
    EXPECT_EQ(failures, 0);
    EXPECT_GT(cases, 4000000);
}

// The general conversion routine (64- and 128-bit patterns) for every target of width 1..6 with integer bits
// -3..W+3, every rounding and overflow mode, from every raw value in [-256, 511] at fraction bits -3..10.
TEST(ApTypes, CoreMatchesQuantizeExhaustively) {
    using nnfpga::apdetail::convertCore;
    using nnfpga::apdetail::UInt128;
    int failures = 0;
    int64_t cases = 0;
    for (int w = 1; w <= 6; ++w) {
        for (int i = -3; i <= w + 3; ++i) {
            for (bool s : {true, false}) {
                for (int k = 0; k < 28; ++k) {
                    const ap_q_mode q = ap_q_mode(k / 4);
                    const ap_o_mode o = ap_o_mode(k % 4);
                    const FixedType t = FixedType::fixed(w, i, s, toRounding(q), toOverflow(o));
                    const FixedType expectedType = vitisEquivalent(t);
                    for (int srcFrac = -3; srcFrac <= 10; ++srcFrac) {
                        for (int64_t raw = -256; raw <= 511; ++raw) {
                            const int shift = srcFrac - t.frac();
                            const uint64_t p64 = convertCore<uint64_t>(uint64_t(raw), raw < 0, shift, w, s, q, o, 0);
                            const UInt128 p128 = convertCore<UInt128>(UInt128(raw), raw < 0, shift, w, s, q, o, 0);
                            // Sign- or zero-extend the low w bits, as the typed wrapper does.
                            const uint64_t m = (uint64_t(1) << w) - 1, low = p64 & m;
                            const int64_t got = s && (low >> (w - 1)) ? int64_t(low | ~m) : int64_t(low);
                            const int64_t want = nnfpga::quantize(raw, srcFrac, expectedType);
                            ++cases;
                            if ((got != want || uint64_t(p128) % (m + 1) != low) && ++failures <= kMaxReported) {
                                ADD_FAILURE() << raw << " * 2^-" << srcFrac << " -> " << t.str()
                                              << (s ? "" : " (unsigned)") << ": got raw " << got << ", want " << want;
                            }
                        }
                    }
                }
            }
        }
    }
    EXPECT_EQ(failures, 0);
    EXPECT_GT(cases, 30000000);
}

std::vector<double> testDoubles(const FixedType& t, std::mt19937_64& rng) {
    std::vector<double> v = {0.0, -0.0, NAN, -NAN, INFINITY, -INFINITY, 1e300, -1e300, 5e-324, -5e-324, 0.1, -0.1,
                             1.0 / 3, 2.5, -2.5, 1e-30, 7.0};
    const double lsb = std::ldexp(1.0, -t.frac());
    for (int k = -40; k <= 40; ++k) {
        v.push_back(k * lsb);
        v.push_back((k + 0.5) * lsb);
        v.push_back((k + 0.25) * lsb);
        v.push_back(std::nextafter((k + 0.5) * lsb, 1e9));
        v.push_back(std::nextafter((k + 0.5) * lsb, -1e9));
    }
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    for (int k = 0; k < 60; ++k) v.push_back(std::ldexp(u(rng), int(rng() % 40) - 20));
    return v;
}

TEST(ApTypes, FromDoubleMatchesEmulator) {
    std::mt19937_64 rng(7);
    int failures = 0;
    for (const Target& t : allTargets()) {
        const FixedType expectedType = vitisEquivalent(t.type);
        for (double d : testDoubles(t.type, rng)) {
            // Vitis converts a NaN as the infinity of its sign (docs/semantics.md: 0).
            const double e = std::isnan(d) ? std::copysign(INFINITY, d) : d;
            const int64_t got = t.fromDouble(d), want = nnfpga::fromDouble(e, expectedType);
            if (got != want && ++failures <= kMaxReported) {
                ADD_FAILURE() << std::setprecision(17) << d << " -> " << t.type.str() << ": got raw " << got
                              << ", want " << want;
            }
        }
    }
    EXPECT_EQ(failures, 0);
}

// WRAP_SM (not in docs/semantics.md) against the rule measured on the Vitis headers: keep the low W bits and
// invert them all when bit W-1 of the exact rounded value differs from bit W.
TEST(ApTypes, WrapSignMagnitude) {
    for (int v = -40; v <= 40; ++v) {
        const int64_t low = int64_t(uint64_t(v) & 15), b3 = (v >> 3) & 1, b4 = (v >> 4) & 1;
        int64_t r = b3 != b4 ? (~low & 15) : low;
        if (r >= 8) r -= 16;
        EXPECT_EQ((ap_fixed<4, 4, AP_TRN, AP_WRAP_SM>(v).to_int()), r) << v;
    }
    EXPECT_EQ((ap_fixed<4, 2, AP_RND, AP_WRAP_SM>(ap_fixed<12, 8>(-6.0)).to_double()), 1.75);
    // With rounding, Vitis takes bit W from the value before the rounding increment.
    EXPECT_EQ((ap_fixed<4, 4, AP_RND, AP_WRAP_SM>(ap_fixed<12, 8>(-112.5)).to_int()), 0);
    EXPECT_EQ((ap_fixed<4, 4, AP_RND, AP_WRAP_SM>(ap_fixed<12, 8>(-96.5)).to_int()), -1);
    EXPECT_EQ((ap_fixed<4, 4, AP_TRN, AP_WRAP, 1>(8).to_int()), 0);   // N = 1: the sign saturates
    EXPECT_EQ((ap_fixed<4, 4, AP_TRN, AP_WRAP, 2>(-9).to_int()), -5);  // N = 2: sign, its complement, wrap
    EXPECT_EQ((ap_ufixed<4, 4, AP_TRN, AP_WRAP, 1>(-8).to_int()), 8);  // unsigned: top bits all ones
}

// Exact a op b for every pair of raw values (small types) or random ones (wide), checked on the raw integers.
template <class A, class B>
void checkArithmetic(int samples) {
    const FixedType ta = typeOf<A>(), tb = typeOf<B>();
    typedef decltype(A() + B()) Sum;
    typedef decltype(A() - B()) Diff;
    typedef decltype(A() * B()) Prod;
    typedef decltype(A() / B()) Quot;
    const int fs = typeOf<Sum>().frac(), fd = typeOf<Diff>().frac();
    std::mt19937_64 rng(11);
    const bool exhaustive = samples == 0;
    const int64_t na = exhaustive ? (ta.rawMax() - ta.rawMin() + 1) : samples;
    const int64_t nb = exhaustive ? (tb.rawMax() - tb.rawMin() + 1) : 1;
    int failures = 0;
    for (int64_t i = 0; i < na; ++i) {
        for (int64_t j = 0; j < nb; ++j) {
            const int64_t ra = exhaustive ? ta.rawMin() + i : int64_t(rng()) >> (64 - ta.width);
            int64_t rb = exhaustive ? tb.rawMin() + j : int64_t(rng()) >> (64 - tb.width);
            if (!tb.isSigned && rb < 0) rb = rb & ((int64_t(1) << (tb.width - 1)) - 1);
            const int64_t ra2 = !ta.isSigned && ra < 0 ? ra & ((int64_t(1) << (ta.width - 1)) - 1) : ra;
            const A a = A::fromRaw(typename A::Raw(ra2));
            const B b = B::fromRaw(typename B::Raw(rb));
            const i128 wantSum = (i128(ra2) << (fs - ta.frac())) + (i128(rb) << (fs - tb.frac()));
            const i128 wantDiff = (i128(ra2) << (fd - ta.frac())) - (i128(rb) << (fd - tb.frac()));
            bool ok = i128((a + b).raw()) == wantSum && i128((a - b).raw()) == wantDiff &&
                      i128((a * b).raw()) == i128(ra2) * rb;
            if (rb != 0) {
                const int sh = tb.frac() > 0 ? tb.frac() : 0;
                ok = ok && i128((a / b).raw()) == (i128(ra2) << sh) / rb;  // C division truncates toward zero
            }
            const i128 lhs = i128(ra2) << (fs - ta.frac()), rhs = i128(rb) << (fs - tb.frac());
            ok = ok && (a < b) == (lhs < rhs) && (a == b) == (lhs == rhs) && (a >= b) == (lhs >= rhs);
            if (!ok && ++failures <= kMaxReported) {
                ADD_FAILURE() << ta.str() << " raw " << ra2 << " op " << tb.str() << " raw " << rb;
            }
        }
    }
    EXPECT_EQ(failures, 0) << ta.str() << " op " << tb.str();
    static_assert(sizeof(Prod) > 0 && sizeof(Quot) > 0, "result types are complete");
}

TEST(ApTypes, ArithmeticIsExact) {
    checkArithmetic<ap_fixed<7, 3>, ap_fixed<6, 1>>(0);
    checkArithmetic<ap_ufixed<7, 5>, ap_fixed<6, 8>>(0);
    checkArithmetic<ap_int<7>, ap_ufixed<6, -1>>(0);
    checkArithmetic<ap_uint<7>, ap_int<6>>(0);
    checkArithmetic<ap_fixed<5, -2>, ap_uint<8>>(0);
    checkArithmetic<ap_fixed<64, 20>, ap_fixed<64, 40>>(20000);
    checkArithmetic<ap_fixed<63, 63>, ap_fixed<62, 1>>(20000);
    checkArithmetic<ap_int<40>, ap_fixed<30, 10>>(20000);
}

TEST(ApTypes, ResultTypesAreVitis) {
    // a*b: W1+W2, I1+I2. a+b: one more integer bit than the wider (an unsigned operand mixed with a signed one
    // counts one bit more), the finer fraction. a/b: W1 + max(F2,0) + S2 bits, I1 + F2 + S2 integer bits.
    typedef decltype(ap_fixed<16, 6>() * ap_fixed<8, 3>()) P;
    static_assert(P::width == 24 && P::iwidth == 9, "product type");
    typedef decltype(ap_ufixed<8, 8>() + ap_fixed<8, 8>()) Q;
    static_assert(Q::width == 10 && Q::iwidth == 10, "sum type");
    typedef decltype(ap_fixed<16, 6>() / ap_fixed<16, 6>()) D;
    static_assert(D::width == 27 && D::iwidth == 17, "quotient type");
    typedef decltype(ap_fixed<16, 6>() + 1) S1;
    static_assert(S1::width == 43 && S1::iwidth == 33, "int is ap_fixed<32,32>");
    static_assert(decltype(ap_int<8>() + ap_uint<8>())::width == 10, "int sum");
    static_assert(decltype(ap_int<8>() << 2)::width == 8, "shift keeps the type");
    EXPECT_EQ((ap_fixed<8, 4>(-3.25) / 3).to_double(), -1.0625);  // truncated toward zero, dividend's lsb
}

TEST(ApTypes, IntegerConversions) {
    for (int raw = -128; raw < 128; ++raw) {
        const ap_fixed<8, 4> x = ap_fixed<8, 4>::fromRaw(raw);
        EXPECT_EQ(x.to_int(), nnfpga::truncToInt(raw, 4)) << raw;
        EXPECT_EQ(int(ap_int<6>(x).to_int()), int(((nnfpga::truncToInt(raw, 4) + 32) & 63) - 32)) << raw;
        // Vitis: a type without integer bits gives -1 for every negative value (not 0).
        EXPECT_EQ((ap_fixed<8, 0>::fromRaw(raw).to_int()), raw < 0 ? -1 : 0) << raw;
    }
    EXPECT_EQ(ap_int<8>(-1.5).to_int(), -1);      // from double: toward zero, then wrap
    EXPECT_EQ(ap_int<8>(-0.43).to_int(), 1);      // Vitis: negative values above -0.5 give 1
    EXPECT_EQ(ap_int<8>(-0.5).to_int(), 0);
    EXPECT_EQ(ap_int<8>(NAN).to_int(), 0);
    EXPECT_EQ(ap_int<8>(300.7).to_int(), 44);
    EXPECT_EQ(ap_uint<8>(-1.5).to_int(), 255);
    EXPECT_EQ((ap_fixed<48, 40>(-1e11 - 0.5).to_int()), -1215752192);  // low 32 bits
    EXPECT_EQ((ap_fixed<48, 40>(-1e11 - 0.5).to_int64()), int64_t(-100000000000));
    ap_uint<70> big = 1;
    big <<= 69;
    big += 7;
    EXPECT_EQ(big.to_double(), 7.0);  // Vitis converts only the low 64 bits of a wide ap_int
    EXPECT_EQ((ap_fixed<100, 50>(1.0e14 + 0.25).to_double()), 1.0e14 + 0.25);
}

TEST(ApTypes, Comparisons) {
    EXPECT_TRUE(ap_uint<8>(200) > -1);
    EXPECT_FALSE(ap_int<8>(-1) == ap_uint<8>(255));
    EXPECT_TRUE((ap_fixed<8, 4>(-0.5) < 0));
    EXPECT_TRUE((ap_fixed<8, 4>(-0.5) == -0.5));
    EXPECT_TRUE((ap_fixed<64, 0>::fromRaw(1) > ap_fixed<64, 64>(0)));  // scales 2^64 apart
    EXPECT_TRUE((ap_fixed<64, 0>::fromRaw(-1) < ap_ufixed<64, 64>(0)));
    // Against double through to_double(), as Vitis does (inexact beyond 53 bits).
    ap_int<64> x = 0x4000000000000001LL;
    EXPECT_TRUE(x == 4611686018427387904.0);
    ap_fixed<64, 10> f;
    f.range(63, 0) = 0x4000000000000001ULL;
    EXPECT_TRUE(f == 256.0);
    EXPECT_TRUE((f > ap_fixed<8, 10>(256)));
    // Mixed signedness compares as C would once the unsigned side has 32 or more (aligned) bits (Vitis).
    EXPECT_FALSE(ap_int<8>(-1) < 1u);
    EXPECT_TRUE(ap_int<8>(-1) < (unsigned short)1);
    EXPECT_FALSE(ap_int<8>(-1) < ap_uint<32>(1));
    EXPECT_TRUE(ap_int<8>(-1) < ap_uint<31>(1));
    EXPECT_TRUE(ap_int<40>(-1) < ap_uint<39>(1));
    EXPECT_FALSE(ap_int<40>(-1) < ap_uint<40>(1));
    EXPECT_FALSE((ap_fixed<8, 4>(-1) < ap_uint<28>(1)));  // aligned to 4 fraction bits: 32 bits
    EXPECT_TRUE((ap_fixed<8, 4>(-1) < ap_uint<27>(1)));
}

TEST(ApTypes, BitsAndRanges) {
    ap_fixed<8, 4> f = -3.25;  // raw 0xCC
    EXPECT_EQ((unsigned long long)f.range(7, 0), 0xCCu);
    EXPECT_EQ((unsigned long long)f.range(3, 0), 0xCu);
    EXPECT_EQ((unsigned long long)f.range(0, 3), 0x3u);  // reversed
    EXPECT_EQ((unsigned long long)f(7, 4), 0xCu);
    EXPECT_TRUE(f[7]);
    EXPECT_FALSE(f[0]);
    EXPECT_TRUE(f.bit(2));
    EXPECT_FALSE(f.get_bit(0));  // get_bit counts from the binary point: raw bit 4
    EXPECT_TRUE(f.get_bit(-2));  // raw bit 2
    EXPECT_TRUE(f.get_bit(3));   // raw bit 7
    ap_int<8> k = 0;
    k.range(0, 3) = 1;
    EXPECT_EQ(k.to_int(), 8);
    k.range(7, 4) = -1;
    EXPECT_EQ(k.to_int(), -8);
    k.range(5, 2) = ap_int<8>(-1);
    EXPECT_EQ(k.to_int(), -4);
    ap_fixed<8, 4> z = 0;
    z.range(3, 0) = 15;
    EXPECT_EQ(z.to_double(), 0.9375);
    z[7] = 2;  // any nonzero value sets the bit
    EXPECT_EQ(z.to_double(), -7.0625);
    ap_uint<100> w = 0;
    w.range(99, 64) = 5ULL;
    w.range(63, 0) = ~0ULL;
    EXPECT_EQ((unsigned long long)w.range(99, 64), 5u);
    EXPECT_EQ(w.countLeadingZeros(), 36 - 3);
    ap_fixed<16, 6> r, x = 1.5;
    r.range() = x.range();
    EXPECT_EQ(r.to_double(), 1.5);
    EXPECT_EQ((ap_uint<4>(f.range(7, 0))).to_int(), 12);
    EXPECT_EQ((ap_fixed<8, 4>(f.range(7, 0))).to_double(), -4.0);  // a range is an integer value
}

std::string str(const std::function<void(std::ostream&)>& f) {
    std::ostringstream os;
    f(os);
    return os.str();
}

TEST(ApTypes, PrintingLikeVitis) {
    // Expected texts were printed by the Vitis headers (see README.md for the rules).
    EXPECT_EQ(str([](std::ostream& o) { o << ap_fixed<16, 6>(3.14159); }), "3.14063");  // halves round up
    EXPECT_EQ(str([](std::ostream& o) { o << std::setprecision(10) << ap_fixed<16, 6>(3.14159); }), "3.140625");
    EXPECT_EQ(str([](std::ostream& o) { o << ap_ufixed<64, 64>(1e19); }), "10000000000000000000");
    EXPECT_EQ(str([](std::ostream& o) { o << ap_fixed<40, 30>(1234567); }), "1.23457e+06");
    EXPECT_EQ(str([](std::ostream& o) { o << ap_fixed<40, 30>(1200000); }), "1200000");
    EXPECT_EQ(str([](std::ostream& o) { o << ap_fixed<32, 30>(1000000.25); }), "1e+06");
    EXPECT_EQ(str([](std::ostream& o) { o << ap_fixed<40, 20>(0.0001); }), "9.91821e-05");
    EXPECT_EQ(str([](std::ostream& o) { o << std::setprecision(4) << ap_fixed<64, 40>(-73739.71); }), "-7.373e+04");
    EXPECT_EQ(str([](std::ostream& o) { o << std::setprecision(6) << ap_fixed<64, 40>(336748984.59); }),
              "3.36749e+08");
    EXPECT_EQ(str([](std::ostream& o) { o << std::fixed << std::setprecision(3) << ap_fixed<16, 6>(3.14159); }),
              "3.14");
    EXPECT_EQ(str([](std::ostream& o) { o << "[" << std::setw(10) << ap_fixed<16, 6>(3.14159) << "]"; }),
              "[            3.14063]");
    {
        // The base comes from std::cout's flags, whatever the stream (Vitis).
        std::ostringstream os;
        os << std::hex << ap_int<8>(-90);  // decimal: std::cout is in dec
        std::cout << std::hex;
        os << " " << ap_int<8>(-90) << " " << ap_uint<8>(200);
        std::cout << std::oct;
        os << " " << ap_int<8>(-9);
        std::cout << std::dec;
        EXPECT_EQ(os.str(), "-90 -0x5a 0xc8 -0o11");
    }
    EXPECT_EQ(str([](std::ostream& o) { o << std::setw(8) << std::left << ap_int<8>(-90) << "|"; }), "-90     |");
    EXPECT_EQ(ap_int<8>(-90).to_string(), "0b10100110");
    EXPECT_EQ(ap_int<8>(-1).to_string(), "0b11111111");
    EXPECT_EQ(ap_uint<8>(5).to_string(), "0b0101");
    EXPECT_EQ(ap_uint<8>(32).to_string(8), "0o040");
    EXPECT_EQ(ap_int<9>(255).to_string(16), "0x0ff");
    EXPECT_EQ(ap_int<9>(-32).to_string(8), "-0o40");
    EXPECT_EQ(ap_int<70>(0).to_string(), "0");
    EXPECT_EQ(str([](std::ostream& o) { o << std::setprecision(17) << ap_fixed<32, 16>::fromRaw(0x4000001); }),
              "1.0240000152587891e+03");  // a fraction below 1e-4 selects scientific notation
    EXPECT_EQ((ap_fixed<8, 4>(-3.25).to_string(10)), "-3.25");
    EXPECT_EQ(str([](std::ostream& o) { o << ap_int<128>(ap_int<64>(0x7fffffffffffffffLL) *
                                                         ap_int<64>(0x7fffffffffffffffLL)); }),
              "85070591730234615847396907784232501249");
}

TEST(ApTypes, ShiftsKeepTheType) {
    const ap_fixed<8, 4> s = -3.25;
    EXPECT_EQ((s << 1).to_double(), -6.5);
    EXPECT_EQ((s << -1).to_double(), -1.625);  // a negative count shifts the other way
    EXPECT_EQ((s >> 10).to_double(), -0.0625);  // arithmetic
    EXPECT_EQ((s << 10).to_double(), 0.0);
    EXPECT_EQ((s << ap_int<3>(-2)).to_double(), -0.8125);
    EXPECT_EQ((ap_ufixed<8, 4>(13.25) >> 1).to_double(), 6.625);
    EXPECT_EQ((ap_int<8>(-100) << 1).to_int(), 56);
}

}  // namespace
