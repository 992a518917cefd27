// Binary operators of ap_int/ap_fixed. + - * are exact in a result type as wide as needed (the Vitis result
// types below); / divides the raw integers truncating toward zero and keeps the dividend's fraction bits;
// comparisons are exact, except against floating point (to_double(), as Vitis) and for the signed/unsigned mixes
// described at compareVitis.
#ifndef NNFPGA_AP_OPS_H
#define NNFPGA_AP_OPS_H

#include "nnfpga_ap_fixed_base.h"

namespace nnfpga {
namespace apdetail {

// Vitis result types. An unsigned operand mixed with a signed one needs one more integer bit.
template <int W1, int I1, bool S1, int W2, int I2, bool S2>
struct FixedOp {
    enum {
        F1 = W1 - I1,
        F2 = W2 - I2,
        F = F1 > F2 ? F1 : F2,
        A1 = I1 + (S2 && !S1),
        A2 = I2 + (S1 && !S2),
        PI = (A1 > A2 ? A1 : A2) + 1,
        F2P = F2 > 0 ? F2 : 0,
        S = S1 || S2
    };
    typedef ap_fixed_base<PI + F, PI, S, AP_TRN, AP_WRAP, 0> plus;
    typedef ap_fixed_base<PI + F, PI, true, AP_TRN, AP_WRAP, 0> minus;
    typedef ap_fixed_base<W1 + W2, I1 + I2, S, AP_TRN, AP_WRAP, 0> mult;
    typedef ap_fixed_base<W1 + F2P + S2, I1 + F2 + S2, S, AP_TRN, AP_WRAP, 0> div;
};
template <int W1, bool S1, int W2, bool S2>
struct IntOp {
    enum {
        A1 = W1 + (S2 && !S1),
        A2 = W2 + (S1 && !S2),
        L = A1 > A2 ? A1 : A2,
        M2 = W2 + (S1 && !S2),
        S = S1 || S2
    };
    typedef ap_int_base<L + 1, S> plus;
    typedef ap_int_base<L + 1, true> minus;
    typedef ap_int_base<W1 + W2, S> mult;
    typedef ap_int_base<W1 + S2, S> div;
    typedef ap_int_base<(W1 < M2 ? W1 : M2), S1> mod;
    typedef ap_int_base<L, S> logic;
};

template <class RR>
struct UnsignedOf {
    typedef typename Sel<(sizeof(RR) > 8), UInt128, uint64_t>::type type;
};
// v * 2^s in the result's storage (exact: the caller's result type has room).
template <class RR, class T>
inline RR alignTo(T v, int s) {
    typedef typename UnsignedOf<RR>::type U;
    return RR(shl(U(RR(v)), s));
}

template <class R, class A, class B>
inline R fixedAdd(A a, int fa, B b, int fb) {
    typedef typename R::Raw RR;
    const int fr = R::width - R::iwidth;
    return R::fromRaw(RR(alignTo<RR>(a, fr - fa) + alignTo<RR>(b, fr - fb)));
}
template <class R, class A, class B>
inline R fixedSub(A a, int fa, B b, int fb) {
    typedef typename R::Raw RR;
    const int fr = R::width - R::iwidth;
    return R::fromRaw(RR(alignTo<RR>(a, fr - fa) - alignTo<RR>(b, fr - fb)));
}
template <class R, class A, class B>
inline R fixedMul(A a, int, B b, int) {
    typedef typename R::Raw RR;
    return R::fromRaw(RR(RR(a) * RR(b)));
}
// Raw quotient trunc((a * 2^max(fb, 0)) / b): the dividend keeps its fraction bits. Computed in 64 bits when
// the result and divisor fit, else in 128 bits.
template <class R, class A, class B>
inline R fixedDiv(A a, int, B b, int fb) {
    typedef typename R::Raw RR;
    const int sh = fb > 0 ? fb : 0;
    const bool small = R::width <= 62 && sizeof(B) == 8 && (isNeg(b) || uint64_t(b) < (uint64_t(1) << 62));
    if (isNeg(RR(-1))) {
        if (small) return R::fromRaw(RR(int64_t(shl(uint64_t(int64_t(a)), sh)) / int64_t(b)));
        return R::fromRaw(RR(Int128(shl(UInt128(Int128(a)), sh)) / Int128(b)));
    }
    if (small) return R::fromRaw(RR(shl(uint64_t(a), sh) / uint64_t(b)));
    return R::fromRaw(RR(shl(UInt128(a), sh) / UInt128(b)));
}
// C remainder (sign of the dividend) of exact values.
template <class R, class A, class B>
inline R intMod(A a, B b) {
    if (isNeg(a) || isNeg(b) || sizeof(A) > 8 || sizeof(B) > 8) {
        if (!isNeg(a) && !isNeg(b)) return R::fromRaw(typename R::Raw(UInt128(a) % UInt128(b)));
        return R::fromRaw(typename R::Raw(Int128(a) % Int128(b)));
    }
    return R::fromRaw(typename R::Raw(uint64_t(a) % uint64_t(b)));
}

// Comparison as Vitis does it: exact, except that, as in C, mixing signed and unsigned compares unsigned when the
// unsigned operand (aligned to the common binary point) has at least 32 bits and at least as many as the signed
// one (which counts as 32 when narrower): the signed value is then read modulo 2^width (measured; reproduced).
template <int WA, int FA, bool SA, int WB, int FB, bool SB, class A, class B>
inline int compareVitis(A a, B b) {
    if (SA == SB) return compareRaw(a, FA, b, FB);
    const int f = FA > FB ? FA : FB;
    const int aw = WA + f - FA, bw = WB + f - FB;
    const int uw = SA ? bw : aw;
    const int sw = (SA ? aw : bw) < 32 ? 32 : (SA ? aw : bw);
    if (uw < 32 || uw < sw || uw > 127) return compareRaw(a, FA, b, FB);
    const UInt128 m = lowMask<UInt128>(uw);
    const UInt128 ua = shl(UInt128(a), f - FA) & m, ub = shl(UInt128(b), f - FB) & m;
    return ua < ub ? -1 : ua > ub ? 1 : 0;
}

template <int W, bool S>
inline ap_fixed_base<W, W, S, AP_TRN, AP_WRAP, 0> asFixed(const ap_int_base<W, S>& x) {
    return ap_fixed_base<W, W, S, AP_TRN, AP_WRAP, 0>::fromRaw(x.raw());
}
template <class T>
inline ap_fixed_base<CInt<T>::W, CInt<T>::W, CInt<T>::S, AP_TRN, AP_WRAP, 0> asFixed(T x) {
    typedef ap_fixed_base<CInt<T>::W, CInt<T>::W, CInt<T>::S, AP_TRN, AP_WRAP, 0> R;
    return R::fromRaw(typename R::Raw(x));
}
template <class T>
inline ap_int_base<CInt<T>::W, CInt<T>::S> asInt(T x) {
    typedef ap_int_base<CInt<T>::W, CInt<T>::S> R;
    return R::fromRaw(typename R::Raw(x));
}

}  // namespace apdetail
}  // namespace nnfpga

#define NNFPGA_AP_FIXED_PARAMS(n) int W##n, int I##n, bool S##n, ap_q_mode Q##n, ap_o_mode O##n, int N##n
#define NNFPGA_AP_FIXED_T(n) ap_fixed_base<W##n, I##n, S##n, Q##n, O##n, N##n>
#define NNFPGA_AP_CINT_RET(T, R) typename std::enable_if<nnfpga::apdetail::CInt<T>::ok, R>::type

// Fixed-point arithmetic: fixed op fixed, with ap_int (as ap_fixed<W, W>) and with C integers.
#define NNFPGA_AP_FIXED_ARITH(OP, KIND, FN)                                                                     \
    template <NNFPGA_AP_FIXED_PARAMS(1), NNFPGA_AP_FIXED_PARAMS(2)>                                           \
    inline typename nnfpga::apdetail::FixedOp<W1, I1, S1, W2, I2, S2>::KIND operator OP(                      \
        const NNFPGA_AP_FIXED_T(1) & a, const NNFPGA_AP_FIXED_T(2) & b) {                                     \
        return nnfpga::apdetail::FN<typename nnfpga::apdetail::FixedOp<W1, I1, S1, W2, I2, S2>::KIND>(         \
            a.raw(), W1 - I1, b.raw(), W2 - I2);                                                              \
    }                                                                                                         \
    template <NNFPGA_AP_FIXED_PARAMS(1), int W2, bool S2>                                                     \
    inline typename nnfpga::apdetail::FixedOp<W1, I1, S1, W2, W2, S2>::KIND operator OP(                      \
        const NNFPGA_AP_FIXED_T(1) & a, const ap_int_base<W2, S2>& b) {                                       \
        return a OP nnfpga::apdetail::asFixed(b);                                                             \
    }                                                                                                         \
    template <int W1, bool S1, NNFPGA_AP_FIXED_PARAMS(2)>                                                     \
    inline typename nnfpga::apdetail::FixedOp<W1, W1, S1, W2, I2, S2>::KIND operator OP(                      \
        const ap_int_base<W1, S1>& a, const NNFPGA_AP_FIXED_T(2) & b) {                                       \
        return nnfpga::apdetail::asFixed(a) OP b;                                                             \
    }                                                                                                         \
    template <NNFPGA_AP_FIXED_PARAMS(1), class T>                                                             \
    inline NNFPGA_AP_CINT_RET(                                                                                \
        T, typename nnfpga::apdetail::FixedOp<W1 NNFPGA_AP_COMMA I1 NNFPGA_AP_COMMA S1 NNFPGA_AP_COMMA          \
                                                  nnfpga::apdetail::CInt<T>::W NNFPGA_AP_COMMA                  \
                                                      nnfpga::apdetail::CInt<T>::W NNFPGA_AP_COMMA              \
                                                          nnfpga::apdetail::CInt<T>::S>::KIND)                  \
    operator OP(const NNFPGA_AP_FIXED_T(1) & a, T b) {                                                        \
        return a OP nnfpga::apdetail::asFixed(b);                                                             \
    }                                                                                                         \
    template <class T, NNFPGA_AP_FIXED_PARAMS(2)>                                                             \
    inline NNFPGA_AP_CINT_RET(                                                                                \
        T, typename nnfpga::apdetail::FixedOp<nnfpga::apdetail::CInt<T>::W NNFPGA_AP_COMMA                      \
                                                  nnfpga::apdetail::CInt<T>::W NNFPGA_AP_COMMA                  \
                                                      nnfpga::apdetail::CInt<T>::S NNFPGA_AP_COMMA W2           \
                                                          NNFPGA_AP_COMMA I2 NNFPGA_AP_COMMA S2>::KIND)         \
    operator OP(T a, const NNFPGA_AP_FIXED_T(2) & b) {                                                        \
        return nnfpga::apdetail::asFixed(a) OP b;                                                             \
    }
#define NNFPGA_AP_COMMA ,
NNFPGA_AP_FIXED_ARITH(+, plus, fixedAdd)
NNFPGA_AP_FIXED_ARITH(-, minus, fixedSub)
NNFPGA_AP_FIXED_ARITH(*, mult, fixedMul)
NNFPGA_AP_FIXED_ARITH(/, div, fixedDiv)
#undef NNFPGA_AP_FIXED_ARITH

namespace nnfpga {
namespace apdetail {
template <class R, class A, class B>
inline R intAdd(A a, B b) {
    return R::fromRaw(typename R::Raw(typename R::Raw(a) + typename R::Raw(b)));
}
template <class R, class A, class B>
inline R intSub(A a, B b) {
    return R::fromRaw(typename R::Raw(typename R::Raw(a) - typename R::Raw(b)));
}
template <class R, class A, class B>
inline R intMul(A a, B b) {
    return R::fromRaw(typename R::Raw(typename R::Raw(a) * typename R::Raw(b)));
}
template <class R, class A, class B>
inline R intDiv(A a, B b) {
    return fixedDiv<R>(a, 0, b, 0);
}
template <class R, class A, class B>
inline R intAnd(A a, B b) {
    return R::fromRaw(typename R::Raw(typename R::Raw(a) & typename R::Raw(b)));
}
template <class R, class A, class B>
inline R intOr(A a, B b) {
    return R::fromRaw(typename R::Raw(typename R::Raw(a) | typename R::Raw(b)));
}
template <class R, class A, class B>
inline R intXor(A a, B b) {
    return R::fromRaw(typename R::Raw(typename R::Raw(a) ^ typename R::Raw(b)));
}
}  // namespace apdetail
}  // namespace nnfpga

// Integer arithmetic and bit operations: ap_int op ap_int and with C integers.
#define NNFPGA_AP_INT_ARITH(OP, KIND, FN)                                                                        \
    template <int W1, bool S1, int W2, bool S2>                                                                \
    inline typename nnfpga::apdetail::IntOp<W1, S1, W2, S2>::KIND operator OP(const ap_int_base<W1, S1>& a,    \
                                                                             const ap_int_base<W2, S2>& b) {   \
        return nnfpga::apdetail::FN<typename nnfpga::apdetail::IntOp<W1, S1, W2, S2>::KIND>(a.raw(), b.raw()); \
    }                                                                                                          \
    template <int W1, bool S1, class T>                                                                        \
    inline NNFPGA_AP_CINT_RET(T, typename nnfpga::apdetail::IntOp<W1 NNFPGA_AP_COMMA S1 NNFPGA_AP_COMMA          \
                                                                      nnfpga::apdetail::CInt<T>::W NNFPGA_AP_COMMA \
                                                                          nnfpga::apdetail::CInt<T>::S>::KIND)     \
    operator OP(const ap_int_base<W1, S1>& a, T b) {                                                           \
        return a OP nnfpga::apdetail::asInt(b);                                                                \
    }                                                                                                          \
    template <class T, int W2, bool S2>                                                                        \
    inline NNFPGA_AP_CINT_RET(T, typename nnfpga::apdetail::IntOp<nnfpga::apdetail::CInt<T>::W NNFPGA_AP_COMMA    \
                                                                      nnfpga::apdetail::CInt<T>::S NNFPGA_AP_COMMA \
                                                                          W2 NNFPGA_AP_COMMA S2>::KIND)            \
    operator OP(T a, const ap_int_base<W2, S2>& b) {                                                           \
        return nnfpga::apdetail::asInt(a) OP b;                                                                \
    }
NNFPGA_AP_INT_ARITH(+, plus, intAdd)
NNFPGA_AP_INT_ARITH(-, minus, intSub)
NNFPGA_AP_INT_ARITH(*, mult, intMul)
NNFPGA_AP_INT_ARITH(/, div, intDiv)
NNFPGA_AP_INT_ARITH(%, mod, intMod)
NNFPGA_AP_INT_ARITH(&, logic, intAnd)
NNFPGA_AP_INT_ARITH(|, logic, intOr)
NNFPGA_AP_INT_ARITH(^, logic, intXor)
#undef NNFPGA_AP_INT_ARITH

// Comparisons: exact between ap types and C integers (but see compareVitis for mixed signedness); against
// float/double through to_double() (Vitis).
#define NNFPGA_AP_CMP(WA, FA, SA, WB, FB, SB, a, b) \
    nnfpga::apdetail::compareVitis<WA, FA, bool(SA), WB, FB, bool(SB)>(a, b)
#define NNFPGA_AP_CW(T) nnfpga::apdetail::CInt<T>::W
#define NNFPGA_AP_CS(T) nnfpga::apdetail::CInt<T>::S
#define NNFPGA_AP_COMPARE(OP)                                                                                   \
    template <NNFPGA_AP_FIXED_PARAMS(1), NNFPGA_AP_FIXED_PARAMS(2)>                                           \
    inline bool operator OP(const NNFPGA_AP_FIXED_T(1) & a, const NNFPGA_AP_FIXED_T(2) & b) {                 \
        return NNFPGA_AP_CMP(W1, W1 - I1, S1, W2, W2 - I2, S2, a.raw(), b.raw()) OP 0;                        \
    }                                                                                                         \
    template <NNFPGA_AP_FIXED_PARAMS(1), int W2, bool S2>                                                     \
    inline bool operator OP(const NNFPGA_AP_FIXED_T(1) & a, const ap_int_base<W2, S2>& b) {                   \
        return NNFPGA_AP_CMP(W1, W1 - I1, S1, W2, 0, S2, a.raw(), b.raw()) OP 0;                              \
    }                                                                                                         \
    template <int W1, bool S1, NNFPGA_AP_FIXED_PARAMS(2)>                                                     \
    inline bool operator OP(const ap_int_base<W1, S1>& a, const NNFPGA_AP_FIXED_T(2) & b) {                   \
        return NNFPGA_AP_CMP(W1, 0, S1, W2, W2 - I2, S2, a.raw(), b.raw()) OP 0;                              \
    }                                                                                                         \
    template <NNFPGA_AP_FIXED_PARAMS(1), class T>                                                             \
    inline NNFPGA_AP_CINT_RET(T, bool) operator OP(const NNFPGA_AP_FIXED_T(1) & a, T b) {                     \
        return NNFPGA_AP_CMP(W1, W1 - I1, S1, NNFPGA_AP_CW(T), 0, NNFPGA_AP_CS(T), a.raw(),                   \
                             nnfpga::apdetail::asInt(b).raw()) OP 0;                                          \
    }                                                                                                         \
    template <class T, NNFPGA_AP_FIXED_PARAMS(2)>                                                             \
    inline NNFPGA_AP_CINT_RET(T, bool) operator OP(T a, const NNFPGA_AP_FIXED_T(2) & b) {                     \
        return NNFPGA_AP_CMP(NNFPGA_AP_CW(T), 0, NNFPGA_AP_CS(T), W2, W2 - I2, S2,                            \
                             nnfpga::apdetail::asInt(a).raw(), b.raw()) OP 0;                                 \
    }                                                                                                         \
    template <NNFPGA_AP_FIXED_PARAMS(1), class T>                                                             \
    inline typename std::enable_if<std::is_floating_point<T>::value, bool>::type operator OP(                 \
        const NNFPGA_AP_FIXED_T(1) & a, T b) {                                                                \
        return a.to_double() OP double(b);                                                                    \
    }                                                                                                         \
    template <class T, NNFPGA_AP_FIXED_PARAMS(2)>                                                             \
    inline typename std::enable_if<std::is_floating_point<T>::value, bool>::type operator OP(                 \
        T a, const NNFPGA_AP_FIXED_T(2) & b) {                                                                \
        return double(a) OP b.to_double();                                                                    \
    }                                                                                                         \
    template <int W1, bool S1, int W2, bool S2>                                                               \
    inline bool operator OP(const ap_int_base<W1, S1>& a, const ap_int_base<W2, S2>& b) {                     \
        return NNFPGA_AP_CMP(W1, 0, S1, W2, 0, S2, a.raw(), b.raw()) OP 0;                                    \
    }                                                                                                         \
    template <int W1, bool S1, class T>                                                                       \
    inline NNFPGA_AP_CINT_RET(T, bool) operator OP(const ap_int_base<W1, S1>& a, T b) {                       \
        return NNFPGA_AP_CMP(W1, 0, S1, NNFPGA_AP_CW(T), 0, NNFPGA_AP_CS(T), a.raw(),                         \
                             nnfpga::apdetail::asInt(b).raw()) OP 0;                                          \
    }                                                                                                         \
    template <class T, int W2, bool S2>                                                                       \
    inline NNFPGA_AP_CINT_RET(T, bool) operator OP(T a, const ap_int_base<W2, S2>& b) {                       \
        return NNFPGA_AP_CMP(NNFPGA_AP_CW(T), 0, NNFPGA_AP_CS(T), W2, 0, S2, nnfpga::apdetail::asInt(a).raw(),  \
                             b.raw()) OP 0;                                                                   \
    }
NNFPGA_AP_COMPARE(==)
NNFPGA_AP_COMPARE(!=)
NNFPGA_AP_COMPARE(<)
NNFPGA_AP_COMPARE(<=)
NNFPGA_AP_COMPARE(>)
NNFPGA_AP_COMPARE(>=)
#undef NNFPGA_AP_COMPARE
#undef NNFPGA_AP_CMP
#undef NNFPGA_AP_CW
#undef NNFPGA_AP_CS
#undef NNFPGA_AP_COMMA

// Concatenation (a, b) of two ap_int: the bits of a above the bits of b, as ap_uint<W1 + W2>. Other operands
// (fixed point, bit and range proxies) do not concatenate here (Vitis rejects fixed point as ambiguous and
// supports the proxies); the comma is deleted for them so that the built-in comma cannot silently take its place.
template <int W1, bool S1, int W2, bool S2>
inline ap_uint<W1 + W2> operator,(const ap_int_base<W1, S1>& a, const ap_int_base<W2, S2>& b) {
    typedef typename ap_int_base<W1 + W2, false>::Raw R;
    using nnfpga::apdetail::lowMask;
    return ap_int_base<W1 + W2, false>::fromRaw(
        R(nnfpga::apdetail::shl(R(R(a.raw()) & lowMask<R>(W1)), W2) | R(R(b.raw()) & lowMask<R>(W2))));
}
template <int W1, bool S1, class T>
inline NNFPGA_AP_CINT_RET(T, ap_uint<W1 + nnfpga::apdetail::CInt<T>::W>)
operator,(const ap_int_base<W1, S1>& a, T b) {
    return (a, nnfpga::apdetail::asInt(b));
}
template <class T, int W2, bool S2>
inline NNFPGA_AP_CINT_RET(T, ap_uint<nnfpga::apdetail::CInt<T>::W + W2>)
operator,(T a, const ap_int_base<W2, S2>& b) {
    return (nnfpga::apdetail::asInt(a), b);
}
template <NNFPGA_AP_FIXED_PARAMS(1), class T>
void operator,(const NNFPGA_AP_FIXED_T(1) &, const T&) = delete;
template <class T, NNFPGA_AP_FIXED_PARAMS(2)>
void operator,(const T&, const NNFPGA_AP_FIXED_T(2) &) = delete;
template <int W, bool S, class T>
void operator,(const ap_range_ref<W, S>&, const T&) = delete;
template <int W, bool S, class T>
void operator,(const T&, const ap_range_ref<W, S>&) = delete;
template <int W, bool S, class T>
void operator,(const ap_bit_ref<W, S>&, const T&) = delete;
template <int W, bool S, class T>
void operator,(const T&, const ap_bit_ref<W, S>&) = delete;
#undef NNFPGA_AP_CINT_RET
#undef NNFPGA_AP_FIXED_T
#undef NNFPGA_AP_FIXED_PARAMS

#endif  // NNFPGA_AP_OPS_H
