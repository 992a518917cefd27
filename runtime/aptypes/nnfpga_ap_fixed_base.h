// ap_fixed_base<W, I, S, Q, O, N> (the fixed-point types ap_fixed and ap_ufixed): a W-bit raw integer scaled by
// 2^-(W-I). Every conversion into it goes through apdetail::convertRaw with this type's Q, O and N.
#ifndef NNFPGA_AP_FIXED_BASE_H
#define NNFPGA_AP_FIXED_BASE_H

#include "nnfpga_ap_int_base.h"

template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>
struct ap_fixed_base {
    static_assert(W >= 1 && W <= NNFPGA_AP_MAX_W, "nnfpga ap_fixed: width must be in 1..128");
    static_assert(N >= 0 && N <= W, "nnfpga ap_fixed: saturation bits must be in 0..W");
    static_assert(S || O != AP_WRAP_SM, "nnfpga ap_ufixed: AP_WRAP_SM needs a signed type (Vitis exits at run time)");
    typedef typename nnfpga::apdetail::Store<W, S>::type Raw;
    typedef typename nnfpga::apdetail::Store<W, S>::utype URaw;
    // Pattern wide enough for the integer part (it needs up to max(W, I) bits).
    typedef typename nnfpga::apdetail::Sel<(W > 64 || I > 64), nnfpga::apdetail::UInt128, uint64_t>::type IntPattern;
    static const int width = W;
    static const int iwidth = I;
    static const ap_q_mode qmode = Q;
    static const ap_o_mode omode = O;

    ap_fixed_base() : v_(0) {}
    template <int W2, int I2, bool S2, ap_q_mode Q2, ap_o_mode O2, int N2>
    ap_fixed_base(const ap_fixed_base<W2, I2, S2, Q2, O2, N2>& o)
        : v_(nnfpga::apdetail::convertRaw<W, W - I, S, Q, O, N, W2, W2 - I2, S2>(o.raw())) {}
    template <int W2, bool S2>
    ap_fixed_base(const ap_int_base<W2, S2>& o) : v_(nnfpga::apdetail::convertRaw<W, W - I, S, Q, O, N, W2, 0, S2>(o.raw())) {}
    template <int W2, bool S2>
    ap_fixed_base(const ap_range_ref<W2, S2>& o)
        : v_(nnfpga::apdetail::convertRaw<W, W - I, S, Q, O, N, W2, 0, false>(o.get())) {}
    template <int W2, bool S2>
    ap_fixed_base(const ap_bit_ref<W2, S2>& o)
        : v_(nnfpga::apdetail::convertRaw<W, W - I, S, Q, O, N, 1, 0, false>(uint64_t(bool(o) ? 1 : 0))) {}
#define NNFPGA_AP_FIXED_CTOR(T)                                                                              \
    ap_fixed_base(T x)                                                                                       \
        : v_(nnfpga::apdetail::convertRaw<W, W - I, S, Q, O, N, nnfpga::apdetail::CInt<T>::W, 0,             \
                                          nnfpga::apdetail::CInt<T>::S>(                                      \
              typename nnfpga::apdetail::Sel<nnfpga::apdetail::CInt<T>::S, int64_t, uint64_t>::type(x))) {}
    NNFPGA_AP_FIXED_CTOR(bool)
    NNFPGA_AP_FIXED_CTOR(char)
    NNFPGA_AP_FIXED_CTOR(signed char)
    NNFPGA_AP_FIXED_CTOR(unsigned char)
    NNFPGA_AP_FIXED_CTOR(short)
    NNFPGA_AP_FIXED_CTOR(unsigned short)
    NNFPGA_AP_FIXED_CTOR(int)
    NNFPGA_AP_FIXED_CTOR(unsigned int)
    NNFPGA_AP_FIXED_CTOR(long)
    NNFPGA_AP_FIXED_CTOR(unsigned long)
    NNFPGA_AP_FIXED_CTOR(long long)
    NNFPGA_AP_FIXED_CTOR(unsigned long long)
#undef NNFPGA_AP_FIXED_CTOR
    ap_fixed_base(double x) : v_(nnfpga::apdetail::fromDouble<W, W - I, S, Q, O, N>(x)) {}
    ap_fixed_base(float x) : v_(nnfpga::apdetail::fromDouble<W, W - I, S, Q, O, N>(x)) {}
    // Vitis parses strings ("1.5", "0x1f"); not supported here, and rejected rather than read as a bool.
    ap_fixed_base(const char*) = delete;
    ap_fixed_base(const char*, signed char) = delete;

    // nnfpga extension (not in Vitis): the raw integer (value * 2^(W-I)).
    Raw raw() const { return v_; }
    static ap_fixed_base fromRaw(Raw r) {
        ap_fixed_base x;
        x.v_ = nnfpga::apdetail::fromPattern<W, S>(r);
        return x;
    }
    // Integer part, two's-complement pattern: toward zero, except that Vitis gives -1 for every negative value
    // of a type without integer bits (I <= 0).
    IntPattern intPattern() const {
        using namespace nnfpga::apdetail;
        const int f = W - I;
        if (f <= 0) return shl(IntPattern(v_), -f);
        if (f >= W) return isNeg(v_) ? IntPattern(~IntPattern(0)) : IntPattern(0);
        Raw q = sar(v_, f);
        if (isNeg(v_) && (URaw(v_) & lowMask<URaw>(f)) != 0) q = Raw(q + 1);
        return IntPattern(q);
    }

    int to_int() const { return int(intPattern()); }
    unsigned to_uint() const { return unsigned(intPattern()); }
    int64_t to_int64() const { return int64_t(intPattern()); }
    uint64_t to_uint64() const { return uint64_t(intPattern()); }
    char to_char() const { return char(intPattern()); }
    double to_double() const { return nnfpga::apdetail::rawToDouble(v_, W - I); }
    float to_float() const { return std::ldexp(static_cast<float>(v_), -(W - I)); }  // one rounding
    ap_int_base<AP_MAX(I, 1), S> to_ap_int_base(bool = true) const { return ap_int_base<AP_MAX(I, 1), S>(*this); }
    std::string to_string(int radix = 2, bool sign = false) const;

    // Implicit conversions to every C arithmetic type, as in Vitis (so mixing with double is ambiguous there
    // and here alike); integers take the integer part's low bits.
    operator bool() const { return nonzero(); }
#define NNFPGA_AP_FIXED_TO(T) \
    operator T() const { return static_cast<T>(intPattern()); }
    NNFPGA_AP_FIXED_TO(char)
    NNFPGA_AP_FIXED_TO(signed char)
    NNFPGA_AP_FIXED_TO(unsigned char)
    NNFPGA_AP_FIXED_TO(short)
    NNFPGA_AP_FIXED_TO(unsigned short)
    NNFPGA_AP_FIXED_TO(int)
    NNFPGA_AP_FIXED_TO(unsigned int)
    NNFPGA_AP_FIXED_TO(long)
    NNFPGA_AP_FIXED_TO(unsigned long)
    NNFPGA_AP_FIXED_TO(long long)
    NNFPGA_AP_FIXED_TO(unsigned long long)
#undef NNFPGA_AP_FIXED_TO
    operator float() const { return to_float(); }
    operator double() const { return to_double(); }
    operator long double() const { return to_double(); }

    int length() const { return W; }
    bool is_neg() const { return nnfpga::apdetail::isNeg(v_); }
    bool is_zero() const { return v_ == 0; }
    int countLeadingZeros() const {
        int n = 0;
        for (int i = W - 1; i >= 0 && !nnfpga::apdetail::bitAt(URaw(v_), i); --i) ++n;
        return n;
    }
    // get_bit counts from the binary point (bit 0 is the units bit; negative indexes are fraction bits); bit()
    // and [] count raw bits from the LSB (Vitis). Beyond the MSB this reads the sign (Vitis reads undefined bits).
    bool get_bit(int i) const {
        const int j = i + W - I;
        return j < 0 ? false : j >= W ? is_neg() : nnfpga::apdetail::bitAt(URaw(v_), j);
    }
    bool bit(int i) const { return nnfpga::apdetail::bitAt(URaw(v_), i); }
    ap_bit_ref<W, S> operator[](int i) { return ap_bit_ref<W, S>(&v_, i); }
    bool operator[](int i) const { return get_bit(i); }
    af_range_ref<W, I, S, Q, O, N> range(int hi, int lo) { return af_range_ref<W, I, S, Q, O, N>(&v_, hi, lo); }
    af_range_ref<W, I, S, Q, O, N> range(int hi, int lo) const {
        return af_range_ref<W, I, S, Q, O, N>(const_cast<Raw*>(&v_), hi, lo);
    }
    af_range_ref<W, I, S, Q, O, N> range() { return range(W - 1, 0); }
    af_range_ref<W, I, S, Q, O, N> range() const { return range(W - 1, 0); }
    af_range_ref<W, I, S, Q, O, N> operator()(int hi, int lo) { return range(hi, lo); }
    af_range_ref<W, I, S, Q, O, N> operator()(int hi, int lo) const { return range(hi, lo); }

    ap_fixed_base operator+() const { return *this; }
    ap_fixed_base<W + 1, I + 1, true, AP_TRN, AP_WRAP, 0> operator-() const {
        return ap_fixed_base<W + 1, I + 1, true, AP_TRN, AP_WRAP, 0>::fromRaw(
            typename ap_fixed_base<W + 1, I + 1, true, AP_TRN, AP_WRAP, 0>::Raw(0) - v_);
    }
    ap_fixed_base operator~() const { return fromRaw(Raw(~v_)); }
    bool operator!() const { return !nonzero(); }
    ap_fixed_base& operator++() { return *this = *this + 1; }
    ap_fixed_base& operator--() { return *this = *this - 1; }
    ap_fixed_base operator++(int) {
        const ap_fixed_base old = *this;
        ++*this;
        return old;
    }
    ap_fixed_base operator--(int) {
        const ap_fixed_base old = *this;
        --*this;
        return old;
    }

    // Shifts move the raw bits and keep the type (arithmetic right shift when signed); a negative count shifts
    // the other way.
    ap_fixed_base shiftLeft(int64_t n) const { return fromRaw(ap_int_base<W, S>::fromRaw(v_).shiftLeft(n).raw()); }
    ap_fixed_base shiftRight(int64_t n) const {
        return fromRaw(ap_int_base<W, S>::fromRaw(v_).shiftRight(n).raw());
    }
    template <class T>
    typename std::enable_if<nnfpga::apdetail::CInt<T>::ok, ap_fixed_base>::type operator<<(T n) const {
        return shiftLeft(nnfpga::apdetail::clampCount(n));
    }
    template <class T>
    typename std::enable_if<nnfpga::apdetail::CInt<T>::ok, ap_fixed_base>::type operator>>(T n) const {
        return shiftRight(nnfpga::apdetail::clampCount(n));
    }
    template <int W2, bool S2>
    ap_fixed_base operator<<(const ap_int_base<W2, S2>& n) const {
        return shiftLeft(nnfpga::apdetail::clampCount(n.raw()));
    }
    template <int W2, bool S2>
    ap_fixed_base operator>>(const ap_int_base<W2, S2>& n) const {
        return shiftRight(nnfpga::apdetail::clampCount(n.raw()));
    }
    template <class T>
    ap_fixed_base& operator<<=(const T& n) {
        return *this = *this << n;
    }
    template <class T>
    ap_fixed_base& operator>>=(const T& n) {
        return *this = *this >> n;
    }

#define NNFPGA_AP_FIXED_COMPOUND(OP)                                                                           \
    template <int W2, int I2, bool S2, ap_q_mode Q2, ap_o_mode O2, int N2>                                     \
    ap_fixed_base& operator OP##=(const ap_fixed_base<W2, I2, S2, Q2, O2, N2>& o) {                            \
        return *this = *this OP o;                                                                             \
    }                                                                                                          \
    template <int W2, bool S2>                                                                                 \
    ap_fixed_base& operator OP##=(const ap_int_base<W2, S2>& o) {                                              \
        return *this = *this OP o;                                                                             \
    }                                                                                                          \
    template <class T>                                                                                         \
    typename std::enable_if<nnfpga::apdetail::CInt<T>::ok, ap_fixed_base&>::type operator OP##=(T o) {         \
        return *this = *this OP o;                                                                             \
    }
    NNFPGA_AP_FIXED_COMPOUND(+)
    NNFPGA_AP_FIXED_COMPOUND(-)
    NNFPGA_AP_FIXED_COMPOUND(*)
    NNFPGA_AP_FIXED_COMPOUND(/)
#undef NNFPGA_AP_FIXED_COMPOUND

private:
    // Vitis tests only the low 64 bits of a wider value for truth (measured; reproduced).
    bool nonzero() const { return W > 64 ? uint64_t(v_) != 0 : v_ != 0; }

    Raw v_;
};

template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>
const int ap_fixed_base<W, I, S, Q, O, N>::width;
template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>
const int ap_fixed_base<W, I, S, Q, O, N>::iwidth;
template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>
const ap_q_mode ap_fixed_base<W, I, S, Q, O, N>::qmode;
template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>
const ap_o_mode ap_fixed_base<W, I, S, Q, O, N>::omode;

template <int W, int I, ap_q_mode Q, ap_o_mode O, int N>
struct ap_fixed : ap_fixed_base<W, I, true, Q, O, N> {
    typedef ap_fixed_base<W, I, true, Q, O, N> Base;
    NNFPGA_AP_FORWARD_CTORS(ap_fixed, Base)
};

template <int W, int I, ap_q_mode Q, ap_o_mode O, int N>
struct ap_ufixed : ap_fixed_base<W, I, false, Q, O, N> {
    typedef ap_fixed_base<W, I, false, Q, O, N> Base;
    NNFPGA_AP_FORWARD_CTORS(ap_ufixed, Base)
};

#endif  // NNFPGA_AP_FIXED_BASE_H
