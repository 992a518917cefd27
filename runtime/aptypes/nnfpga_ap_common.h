// nnfpga's own ap_int/ap_fixed headers, shared part: mode enums, storage choice, and the one conversion routine
// (rounding then overflow, docs/semantics.md §2 plus the Vitis behaviours listed in README.md). Written from the
// documented semantics and black-box tests against the vendor headers; no vendor code.
#ifndef NNFPGA_AP_COMMON_H
#define NNFPGA_AP_COMMON_H

#include <cassert>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <sstream>
#include <string>
#include <type_traits>

// Same enumerators and order as Vitis (ap_decl.h), so code that stores or compares modes behaves the same.
enum ap_q_mode { AP_RND, AP_RND_ZERO, AP_RND_MIN_INF, AP_RND_INF, AP_RND_CONV, AP_TRN, AP_TRN_ZERO };
enum ap_o_mode { AP_SAT, AP_SAT_ZERO, AP_SAT_SYM, AP_WRAP, AP_WRAP_SM };

// Widest value these headers hold (Vitis: 1024 by default). Exact + - * / results must fit too.
#ifndef AP_INT_MAX_W
#define AP_INT_MAX_W 128
#endif
#define NNFPGA_AP_MAX_W 128
#ifndef AP_MAX
#define AP_MAX(a, b) ((a) > (b) ? (a) : (b))
#endif
#ifndef AP_MIN
#define AP_MIN(a, b) ((a) < (b) ? (a) : (b))
#endif
#ifndef AP_ABS
#define AP_ABS(a) ((a) >= 0 ? (a) : -(a))
#endif

template <int W, bool S>
struct ap_int_base;
template <int W>
struct ap_int;
template <int W>
struct ap_uint;
template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>
struct ap_fixed_base;
template <int W, int I, ap_q_mode Q = AP_TRN, ap_o_mode O = AP_WRAP, int N = 0>
struct ap_fixed;
template <int W, int I, ap_q_mode Q = AP_TRN, ap_o_mode O = AP_WRAP, int N = 0>
struct ap_ufixed;
template <int W, bool S>
struct ap_range_ref;
template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>
struct af_range_ref;
template <int W, bool S>
struct ap_bit_ref;

// The general conversion routine is one out-of-line function per storage width: inlining it into every
// conversion site costs far more compile time than the call costs at run time (common conversions take the
// inline fast paths of convertRaw).
#if defined(__clang__)
#define NNFPGA_AP_OUTLINE __attribute__((noinline))
#elif defined(__GNUC__)
#define NNFPGA_AP_OUTLINE __attribute__((noinline, noclone))
#else
#define NNFPGA_AP_OUTLINE
#endif

namespace nnfpga {
namespace apdetail {

__extension__ typedef __int128 Int128;
__extension__ typedef unsigned __int128 UInt128;

template <bool C, class A, class B>
struct Sel {
    typedef A type;
};
template <class A, class B>
struct Sel<false, A, B> {
    typedef B type;
};

// A W-bit value lives in a 64- or 128-bit integer, always sign- (or zero-) extended to the full storage width.
template <int W, bool S>
struct Store {
    typedef typename Sel<(W > 64), typename Sel<S, Int128, UInt128>::type,
                         typename Sel<S, int64_t, uint64_t>::type>::type type;
    typedef typename Sel<(W > 64), UInt128, uint64_t>::type utype;
};
// Unsigned type wide enough for the bit patterns of two storages.
template <class A, class B>
struct Pattern {
    typedef typename Sel<(sizeof(A) > 8 || sizeof(B) > 8), UInt128, uint64_t>::type type;
};

inline bool isNeg(int64_t v) { return v < 0; }
inline bool isNeg(uint64_t) { return false; }
inline bool isNeg(Int128 v) { return v < 0; }
inline bool isNeg(UInt128) { return false; }

// Shifts and masks that accept any count (the language leaves counts >= the width undefined).
template <class U>
inline U lowMask(int w) {
    return w <= 0 ? U(0) : w >= int(sizeof(U) * 8) ? ~U(0) : (U(U(1) << w) - 1);
}
template <class U>
inline U shl(U x, int s) {
    return s >= int(sizeof(U) * 8) ? U(0) : U(x << s);
}
template <class U>
inline U shr(U x, int s) {
    return s >= int(sizeof(U) * 8) ? U(0) : U(x >> s);
}
// Arithmetic (flooring) right shift of a signed or unsigned storage value by any count >= 0.
template <class T>
inline T sar(T v, int s) {
    return s >= int(sizeof(T) * 8) ? (isNeg(v) ? T(~T(0)) : T(0)) : T(v >> s);
}
template <class U>
inline bool bitAt(U x, int k) {
    return k < int(sizeof(U) * 8) && ((x >> k) & 1) != 0;
}

// Storage form of the low W bits of a pattern: sign-extended when S.
template <int W, bool S, class U>
inline typename Store<W, S>::type fromPattern(U p) {
    typedef typename Store<W, S>::utype UT;
    UT m = UT(p) & lowMask<UT>(W);
    if (S && bitAt(m, W - 1)) m |= ~lowMask<UT>(W);
    return typename Store<W, S>::type(m);
}

// C integer types as ap_int operands (Vitis treats `int` as ap_int<32>, `bool` as ap_uint<1>, ...).
template <class T>
struct CInt {
    enum { ok = 0, W = 1, S = 0 };
};
#define NNFPGA_AP_CINT(T, WIDTH, SIGNED)              \
    template <>                                       \
    struct CInt<T> {                                  \
        enum { ok = 1, W = WIDTH, S = SIGNED };       \
    };
NNFPGA_AP_CINT(bool, 1, 0)
NNFPGA_AP_CINT(char, 8, (char(-1) < 0))
NNFPGA_AP_CINT(signed char, 8, 1)
NNFPGA_AP_CINT(unsigned char, 8, 0)
NNFPGA_AP_CINT(short, 16, 1)
NNFPGA_AP_CINT(unsigned short, 16, 0)
NNFPGA_AP_CINT(int, 32, 1)
NNFPGA_AP_CINT(unsigned int, 32, 0)
NNFPGA_AP_CINT(long, int(sizeof(long) * 8), 1)
NNFPGA_AP_CINT(unsigned long, int(sizeof(long) * 8), 0)
NNFPGA_AP_CINT(long long, 64, 1)
NNFPGA_AP_CINT(unsigned long long, 64, 0)
#undef NNFPGA_AP_CINT

inline bool roundsUp(ap_q_mode q, bool neg, int cmpHalf, bool odd) {
    switch (q) {
        case AP_TRN: return false;
        case AP_TRN_ZERO: return neg;
        case AP_RND: return cmpHalf >= 0;
        case AP_RND_ZERO: return cmpHalf > 0 || (cmpHalf == 0 && neg);
        case AP_RND_MIN_INF: return cmpHalf > 0;
        case AP_RND_INF: return cmpHalf > 0 || (cmpHalf == 0 && !neg);
        case AP_RND_CONV: return cmpHalf > 0 || (cmpHalf == 0 && odd);
    }
    return false;
}

// Q_T(v) of docs/semantics.md §2 for a target of dw bits (signed when ds) with modes q, o and n saturation
// bits. The exact value is v * 2^-s where v = p - (neg ? 2^bits(U) : 0): p is v's two's-complement pattern and
// neg its sign, so 64-bit unsigned and signed values share U = uint64_t. s > 0 drops s fraction bits
// (rounding), s < 0 appends -s zero bits. Returns a pattern whose low dw bits are the result. One function for
// all types (modes are arguments) keeps compile times low; typed fast paths are in convertRaw.
template <class U>
NNFPGA_AP_OUTLINE U convertCore(U p, bool neg, int s, int dw, bool ds, ap_q_mode qm, ap_o_mode om, int n) {
    const int B = int(sizeof(U) * 8);
    U q;        // the rounded value's pattern (modulo 2^B); exact when it fits
    U fl;       // floor(v / 2^s): the value before the rounding increment
    bool qneg;  // sign of the rounded value
    bool fits;  // the rounded value lies in the type's range
    int up = 0; // zero bits appended (s < 0)
    if (s > 0) {
        bool nz;      // v / 2^s is not an integer
        int cmpHalf;  // the dropped part compared with one half
        if (s < B) {
            fl = U(p >> s);
            if (neg) fl |= U(~(U(~U(0)) >> s));
            const U rem = p & lowMask<U>(s), half = U(U(1) << (s - 1));
            nz = rem != 0;
            cmpHalf = rem > half ? 1 : rem == half ? 0 : -1;
        } else if (s == B) {
            fl = neg ? U(~U(0)) : U(0);
            const U half = U(U(1) << (B - 1));
            nz = p != 0;
            cmpHalf = p > half ? 1 : p == half ? 0 : -1;
        } else {  // |v| <= 2^B <= half an LSB; the one tie is v = -2^(s-1)
            fl = neg ? U(~U(0)) : U(0);
            nz = p != 0 || neg;
            cmpHalf = !neg ? -1 : (s == B + 1 && p == 0) ? 0 : 1;
        }
        const bool inc = nz && roundsUp(qm, neg, cmpHalf, (fl & 1) != 0);
        q = U(fl + U(inc ? 1 : 0));
        qneg = neg && !(inc && fl == U(~U(0)));
        if (ds) {
            fits = qneg ? shr(q, dw - 1) == shr(U(~U(0)), dw - 1) : shr(q, dw - 1) == 0;
        } else {
            fits = !qneg && shr(q, dw) == 0;
        }
    } else {
        up = -s;
        q = shl(p, up);
        fl = q;
        qneg = neg;
        if (ds) {
            const int k = dw - 1 - up;  // v itself must fit in k+1 signed bits
            fits = k < 0 ? (p == 0 && !neg) : neg ? shr(p, k) == shr(U(~U(0)), k) : shr(p, k) == 0;
        } else {
            const int m = dw - up;  // v itself must fit in m unsigned bits
            fits = !neg && (m >= B || (m <= 0 ? p == 0 : shr(p, m) == 0));
        }
    }
    const U msb = shl(U(1), dw - 1);
    const U mask = lowMask<U>(dw);
    // SAT_SYM also moves the most negative code to -max (Vitis; a 1-bit type has no symmetric range).
    const bool symmetric = om == AP_SAT_SYM && ds && dw > 1;
    if (fits) return symmetric && qneg && (q & mask) == msb ? U(msb + 1) : q;
    const U satValue = qneg ? (ds ? msb : U(0)) : (ds ? lowMask<U>(dw - 1) : mask);
    // Bits of the unbounded values, for the sign-magnitude wrap. With N = 0 Vitis compares bit W-1 of the rounded
    // value with bit W of the value before rounding (measured; it matters when the rounding carries into bit W).
    const int kn = dw - (n > 0 ? n : 1);
    const bool bitDw = s > 0 ? (dw < B ? bitAt(fl, dw) : neg) : (dw < up ? false : dw - up < B ? bitAt(p, dw - up) : neg);
    const bool bitKn = s > 0 ? bitAt(q, kn) : (kn < up ? false : kn - up < B ? bitAt(p, kn - up) : neg);
    // The n saturated top bits of WRAP/WRAP_SM: the sign then its complement (signed), all ones (unsigned).
    const U lowN = lowMask<U>(dw - n);
    const U topN = ds ? (qneg ? msb : U(lowMask<U>(dw - 1) & ~lowN)) : U(mask & ~lowN);
    switch (om) {
        case AP_SAT: return satValue;
        case AP_SAT_ZERO: return U(0);
        case AP_SAT_SYM: return symmetric && qneg ? U(msb + 1) : satValue;
        case AP_WRAP: return n == 0 ? q : U((q & lowN) | topN);
        case AP_WRAP_SM:
            if (!ds) return satValue;
            if (n == 0) return bitAt(q, dw - 1) != bitDw ? U(~q) : q;
            // the low bits flip when the exact value's bit below the saturated ones differs from the saturated bit
            return U(((bitKn != (n == 1 ? qneg : !qneg) ? U(~q) : q) & lowN) | topN);
    }
    return q;
}

// Convert a stored value of type <SW bits, SF fraction bits, SS signed> to <DW, DF, DS, Q, O, N>. Conversions that
// cannot lose anything, and TRN/WRAP ones, are a shift; the rest go through convertCore.
template <int DW, int DF, bool DS, ap_q_mode Q, ap_o_mode O, int N, int SW, int SF, bool SS, class T>
inline typename Store<DW, DS>::type convertRaw(T v) {
    typedef typename Pattern<T, typename Store<DW, DS>::type>::type U;
    const int s = SF - DF;
    const int up = s < 0 ? -s : 0;
    // The whole source range, shifted, lies strictly inside the target's range.
    const bool lossless = s <= 0 && (DS ? SW - int(SS) + up < DW - 1 + int(O != AP_SAT_SYM) : !SS && SW + up <= DW);
    if (lossless) return fromPattern<DW, DS>(shl(U(v), up));
    if (Q == AP_TRN && O == AP_WRAP && N == 0) {
        if (s <= 0) return fromPattern<DW, DS>(shl(U(v), up));
        // arithmetic shift right (floor), valid for any count
        return fromPattern<DW, DS>(isNeg(v) ? U(~shr(U(~U(v)), s)) : shr(U(v), s));
    }
    return fromPattern<DW, DS>(convertCore<U>(U(v), isNeg(v), s, DW, DS, Q, O, N));
}

// ap_fixed(double): the double's exact value (sign, 53-bit mantissa, exponent) converted with the modes. An
// infinity is a value beyond every range with zero low bits (0 under WRAP, the bound under SAT); Vitis treats a
// NaN as the infinity of the same sign (docs/semantics.md says 0; see README.md).
template <int DW, int DF, bool DS, ap_q_mode Q, ap_o_mode O, int N>
inline typename Store<DW, DS>::type fromDouble(double d) {
    typedef typename Pattern<typename Store<DW, DS>::type, uint64_t>::type U;
    uint64_t bits;
    std::memcpy(&bits, &d, sizeof bits);
    const bool neg = (bits >> 63) != 0;
    const int biased = int((bits >> 52) & 0x7ff);
    uint64_t mant = bits & ((uint64_t(1) << 52) - 1);
    if (biased == 0x7ff) {
        return fromPattern<DW, DS>(convertCore<U>(neg ? U(~U(0)) : U(1), neg, -(1 << 20), DW, DS, Q, O, N));
    }
    int e2;
    if (biased == 0) {
        if (mant == 0) return 0;
        e2 = -1074;
    } else {
        mant |= uint64_t(1) << 52;
        e2 = biased - 1075;
    }
    const U p = neg ? U(U(0) - U(mant)) : U(mant);
    return fromPattern<DW, DS>(convertCore<U>(p, neg, -e2 - DF, DW, DS, Q, O, N));
}

// Sign of a*2^-fa - b*2^-fb for raw values of any storage type (exact for any scales).
template <class T>
inline int compareSameSign(T a, int fa, T b, int fb) {
    if (fa < fb) return -compareSameSign(b, fb, a, fa);
    const int d = fa - fb;
    const T q = d >= 128 ? (isNeg(a) ? T(-1) : T(0)) : T(a >> d);  // floor(a / 2^d)
    if (q != b) return q < b ? -1 : 1;
    return (UInt128(a) & lowMask<UInt128>(d)) != 0 ? 1 : 0;
}
template <class A, class B>
inline int compareRaw(A a, int fa, B b, int fb) {
    const bool na = isNeg(a), nb = isNeg(b);
    if (na != nb) return na ? -1 : 1;
    if (fa == fb && sizeof(A) == 8 && sizeof(B) == 8) {
        if (na) return int64_t(a) < int64_t(b) ? -1 : int64_t(a) > int64_t(b) ? 1 : 0;
        return uint64_t(a) < uint64_t(b) ? -1 : uint64_t(a) > uint64_t(b) ? 1 : 0;
    }
    if (na) return compareSameSign(Int128(a), fa, Int128(b), fb);
    return compareSameSign(UInt128(a), fa, UInt128(b), fb);
}

// A shift count of any integer type, clamped to [-4096, 4096] (far beyond every width).
template <class T>
inline int64_t clampCountImpl(T n, std::true_type) {
    return n < T(-4096) ? -4096 : n > T(4096) ? 4096 : int64_t(n);
}
template <class T>
inline int64_t clampCountImpl(T n, std::false_type) {
    return n > T(4096) ? 4096 : int64_t(n);
}
template <class T>
inline int64_t clampCount(T n) {
    return clampCountImpl(n, std::integral_constant<bool, (T(-1) < T(0))>());
}

// Value of a raw fixed-point number as a double: the integer converts with one correct rounding (also from
// 128 bits), the power of two is exact outside the subnormal range.
template <class T>
inline double rawToDouble(T v, int frac) {
    return std::ldexp(static_cast<double>(v), -frac);
}

}  // namespace apdetail
}  // namespace nnfpga

#endif  // NNFPGA_AP_COMMON_H
