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

template <ap_q_mode Q>
inline bool roundsUp(bool neg, int cmpHalf, bool odd) {
    switch (Q) {
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

// Q_T(v) of docs/semantics.md §2 for T = <DW bits, DS signed, modes Q O N>. The exact value is
// v * 2^-s where v = p - (neg ? 2^bits(U) : 0), i.e. p is v's two's-complement pattern and neg its sign; so a
// 64-bit unsigned value and a 64-bit signed one share U = uint64_t. s > 0 drops s fraction bits (rounding),
// s < 0 appends -s zero bits. Returns the storage form of the result.
template <int DW, bool DS, ap_q_mode Q, ap_o_mode O, int N, class U>
inline typename Store<DW, DS>::type convertCore(U p, bool neg, int s) {
    typedef typename Store<DW, DS>::type T;
    const int B = int(sizeof(U) * 8);
    U q;          // the result's pattern (modulo 2^B); exact when it fits
    bool qneg;    // sign of the rounded value
    bool fits;    // the rounded value lies in the type's range
    int up = 0;   // zero bits appended (s < 0)
    if (s > 0) {
        U fl;         // floor(v / 2^s)
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
        const bool inc = nz && roundsUp<Q>(neg, cmpHalf, (fl & 1) != 0);
        q = U(fl + U(inc ? 1 : 0));
        qneg = neg && !(inc && fl == U(~U(0)));
        if (DS) {
            fits = qneg ? shr(q, DW - 1) == shr(U(~U(0)), DW - 1) : shr(q, DW - 1) == 0;
        } else {
            fits = !qneg && shr(q, DW) == 0;
        }
    } else {
        up = -s;
        q = shl(p, up);
        qneg = neg;
        if (DS) {
            const int k = DW - 1 - up;  // v itself must fit in k+1 signed bits
            fits = k < 0 ? (p == 0 && !neg) : neg ? shr(p, k) == shr(U(~U(0)), k) : shr(p, k) == 0;
        } else {
            const int m = DW - up;  // v itself must fit in m unsigned bits
            fits = !neg && (m >= B || (m <= 0 ? p == 0 : shr(p, m) == 0));
        }
    }
    const U msb = shl(U(1), DW - 1);
    if (fits) {
        // SAT_SYM also moves the most negative code to -max (Vitis; a 1-bit type has no symmetric range).
        if (O == AP_SAT_SYM && DS && DW > 1 && qneg && (q & lowMask<U>(DW)) == msb) return T(fromPattern<DW, DS>(msb) + 1);
        return fromPattern<DW, DS>(q);
    }
    const U maxPattern = DS ? lowMask<U>(DW - 1) : lowMask<U>(DW);
    const T satValue = qneg ? (DS ? fromPattern<DW, DS>(msb) : T(0)) : fromPattern<DW, DS>(maxPattern);
    // Bit k of the exact (unbounded) value, for the sign-magnitude wrap.
    const bool bitDW = s > 0 ? (DW < B ? bitAt(q, DW) : qneg) : (DW < up ? false : DW - up < B ? bitAt(p, DW - up) : neg);
    const int kN = DW - (N > 0 ? N : 1);
    const bool bitKN = s > 0 ? bitAt(q, kN) : (kN < up ? false : kN - up < B ? bitAt(p, kN - up) : neg);
    // The N saturated top bits of WRAP/WRAP_SM: sign then its complement (signed), all ones (unsigned).
    const U lowN = lowMask<U>(DW - N);
    const U topN = DS ? (qneg ? msb : U(lowMask<U>(DW - 1) & ~lowN)) : U(lowMask<U>(DW) & ~lowN);
    switch (O) {
        case AP_SAT: return satValue;
        case AP_SAT_ZERO: return T(0);
        case AP_SAT_SYM:
            if (DS && DW > 1) return qneg ? T(fromPattern<DW, DS>(msb) + 1) : satValue;
            return satValue;
        case AP_WRAP:
            if (N == 0) return fromPattern<DW, DS>(q);
            return fromPattern<DW, DS>(U((q & lowN) | topN));
        case AP_WRAP_SM:
            if (!DS) return satValue;
            if (N == 0) {
                U r = q & lowMask<U>(DW);
                if (bitAt(q, DW - 1) != bitDW) r = U(~r) & lowMask<U>(DW);
                return fromPattern<DW, DS>(r);
            } else {
                U r = q & lowN;
                const bool topBit = N == 1 ? qneg : !qneg;  // the saturated bit just above the kept ones
                if (bitKN != topBit) r = U(~r) & lowN;
                return fromPattern<DW, DS>(U(r | topN));
            }
    }
    return fromPattern<DW, DS>(q);
}

// Convert a stored raw value with srcFrac fraction bits to <DW, DF, DS, Q, O, N>.
template <int DW, int DF, bool DS, ap_q_mode Q, ap_o_mode O, int N, class T>
inline typename Store<DW, DS>::type convertRaw(T v, int srcFrac) {
    typedef typename Pattern<T, typename Store<DW, DS>::type>::type U;
    return convertCore<DW, DS, Q, O, N, U>(U(v), isNeg(v), srcFrac - DF);
}

// ap_fixed(double): the double's exact value (sign, 53-bit mantissa, exponent) converted with the modes. NaN is
// 0; an infinity is a value beyond every range with zero low bits (0 under WRAP, the bound under SAT).
template <int DW, int DF, bool DS, ap_q_mode Q, ap_o_mode O, int N>
inline typename Store<DW, DS>::type fromDouble(double d) {
    typedef typename Pattern<typename Store<DW, DS>::type, uint64_t>::type U;
    uint64_t bits;
    std::memcpy(&bits, &d, sizeof bits);
    const bool neg = (bits >> 63) != 0;
    const int biased = int((bits >> 52) & 0x7ff);
    uint64_t mant = bits & ((uint64_t(1) << 52) - 1);
    if (biased == 0x7ff) {
        if (mant != 0) return 0;
        return convertCore<DW, DS, Q, O, N, U>(neg ? U(~U(0)) : U(1), neg, -(1 << 20));
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
    return convertCore<DW, DS, Q, O, N, U>(p, neg, -e2 - DF);
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
