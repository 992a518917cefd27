// ap_int_base<W, S> (the integer types ap_int<W> and ap_uint<W>) and the bit/range proxies that x[i], x.range(hi, lo)
// and x(hi, lo) return for both integer and fixed-point values.
#ifndef NNFPGA_AP_INT_BASE_H
#define NNFPGA_AP_INT_BASE_H

#include "nnfpga_ap_common.h"

// One bit of an ap_int/ap_fixed, readable as bool and assignable (any nonzero value sets it).
template <int W, bool S>
struct ap_bit_ref {
    typedef typename nnfpga::apdetail::Store<W, S>::type Raw;
    typedef typename nnfpga::apdetail::Store<W, S>::utype U;

    ap_bit_ref(Raw* p, int index) : p_(p), i_(index) { assert(index >= 0 && index < W); }
    ap_bit_ref(const ap_bit_ref& o) : p_(o.p_), i_(o.i_) {}

    operator bool() const { return nnfpga::apdetail::bitAt(U(*p_), i_); }
    bool to_bool() const { return bool(*this); }
    bool operator~() const { return !bool(*this); }
    bool operator!() const { return !bool(*this); }
    int length() const { return 1; }

    ap_bit_ref& operator=(bool b) {
        const U m = U(U(1) << i_);
        *p_ = nnfpga::apdetail::fromPattern<W, S>(U(b ? U(*p_) | m : U(*p_) & U(~m)));
        return *this;
    }
    template <class T>
    typename std::enable_if<nnfpga::apdetail::CInt<T>::ok, ap_bit_ref&>::type operator=(T x) {
        return *this = bool(x != 0);
    }
    ap_bit_ref& operator=(const ap_bit_ref& o) { return *this = bool(o); }
    template <int W2, bool S2>
    ap_bit_ref& operator=(const ap_bit_ref<W2, S2>& o) {
        return *this = bool(o);
    }

private:
    Raw* p_;
    int i_;
};

// Bits hi..lo of an ap_int/ap_fixed as an unsigned number (ap_uint<W> of the parent's width). hi < lo selects the
// same bits in reverse order, as in Vitis.
template <int W, bool S>
struct ap_range_ref {
    typedef typename nnfpga::apdetail::Store<W, S>::type Raw;
    typedef typename nnfpga::apdetail::Store<W, S>::utype U;

    ap_range_ref(Raw* p, int hi, int lo) : p_(p), hi_(hi), lo_(lo) {
        assert(hi >= 0 && lo >= 0 && hi < W && lo < W);
    }
    ap_range_ref(const ap_range_ref& o) : p_(o.p_), hi_(o.hi_), lo_(o.lo_) {}

    int length() const { return (hi_ >= lo_ ? hi_ - lo_ : lo_ - hi_) + 1; }

    U get() const {
        using namespace nnfpga::apdetail;
        if (hi_ >= lo_) return U(shr(U(*p_), lo_) & lowMask<U>(hi_ - lo_ + 1));
        U r = 0;  // reversed: bit j of the result is bit lo - j of the parent
        for (int j = 0; j <= lo_ - hi_; ++j) {
            if (bitAt(U(*p_), lo_ - j)) r |= U(U(1) << j);
        }
        return r;
    }
    void set(U bits) {
        using namespace nnfpga::apdetail;
        U v = U(*p_);
        if (hi_ >= lo_) {
            const U m = U(lowMask<U>(hi_ - lo_ + 1) << lo_);
            v = U((v & U(~m)) | (U(bits << lo_) & m));
        } else {
            for (int j = 0; j <= lo_ - hi_; ++j) {
                const U m = U(U(1) << (lo_ - j));
                v = bitAt(bits, j) ? U(v | m) : U(v & U(~m));
            }
        }
        *p_ = fromPattern<W, S>(v);
    }

    operator ap_int_base<W, false>() const { return ap_int_base<W, false>::fromRaw(get()); }
    operator unsigned long long() const { return static_cast<unsigned long long>(get()); }
    bool to_bool() const { return get() != 0; }
    int to_int() const { return static_cast<int>(get()); }
    unsigned to_uint() const { return static_cast<unsigned>(get()); }
    long to_long() const { return static_cast<long>(get()); }
    unsigned long to_ulong() const { return static_cast<unsigned long>(get()); }
    int64_t to_int64() const { return static_cast<int64_t>(get()); }
    uint64_t to_uint64() const { return static_cast<uint64_t>(get()); }
    // Vitis gives shifts of a range the range's ap_uint<W> type.
    ap_int_base<W, false> operator<<(int n) const { return ap_int_base<W, false>(*this) << n; }
    ap_int_base<W, false> operator>>(int n) const { return ap_int_base<W, false>(*this) >> n; }

    ap_range_ref& operator=(const ap_range_ref& o) {
        set(o.get());
        return *this;
    }
    template <int W2, bool S2>
    ap_range_ref& operator=(const ap_range_ref<W2, S2>& o) {
        set(U(o.get()));
        return *this;
    }
    template <int W2, bool S2>
    ap_range_ref& operator=(const ap_int_base<W2, S2>& o) {
        set(U(o.raw()));
        return *this;
    }
    template <class T>
    typename std::enable_if<nnfpga::apdetail::CInt<T>::ok, ap_range_ref&>::type operator=(T x) {
        set(U(x));
        return *this;
    }

private:
    Raw* p_;
    int hi_, lo_;
};

// The range proxy of an ap_fixed: the same bits, printed as Vitis prints them (binary).
template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>
struct af_range_ref : ap_range_ref<W, S> {
    typedef ap_range_ref<W, S> Base;
    af_range_ref(typename Base::Raw* p, int hi, int lo) : Base(p, hi, lo) {}
    af_range_ref(const af_range_ref& o) : Base(o) {}
    using Base::operator=;
    af_range_ref& operator=(const af_range_ref& o) {
        Base::set(o.get());
        return *this;
    }
};

template <int W, bool S>
struct ap_int_base {
    static_assert(W >= 1 && W <= NNFPGA_AP_MAX_W, "nnfpga ap_int: width must be in 1..128");
    typedef typename nnfpga::apdetail::Store<W, S>::type Raw;
    typedef typename nnfpga::apdetail::Store<W, S>::utype URaw;
    // The C type the value converts to implicitly (Vitis: long long / unsigned long long, low 64 bits).
    typedef typename nnfpga::apdetail::Sel<S, long long, unsigned long long>::type CType;
    static const int width = W;

    ap_int_base() : v_(0) {}
    template <int W2, bool S2>
    ap_int_base(const ap_int_base<W2, S2>& o) : v_(nnfpga::apdetail::fromPattern<W, S>(o.raw())) {}
    // From fixed point: the integer part (toward zero; Vitis gives -1 for negative values of types with I <= 0),
    // then wrapped.
    template <int W2, int I2, bool S2, ap_q_mode Q2, ap_o_mode O2, int N2>
    ap_int_base(const ap_fixed_base<W2, I2, S2, Q2, O2, N2>& o)
        : v_(nnfpga::apdetail::fromPattern<W, S>(o.intPattern())) {}
    template <int W2, bool S2>
    ap_int_base(const ap_range_ref<W2, S2>& o) : v_(nnfpga::apdetail::fromPattern<W, S>(o.get())) {}
    template <int W2, bool S2>
    ap_int_base(const ap_bit_ref<W2, S2>& o) : v_(bool(o) ? 1 : 0) {}
#define NNFPGA_AP_INT_CTOR(T) \
    ap_int_base(T x) : v_(nnfpga::apdetail::fromPattern<W, S>(x)) {}
    NNFPGA_AP_INT_CTOR(bool)
    NNFPGA_AP_INT_CTOR(char)
    NNFPGA_AP_INT_CTOR(signed char)
    NNFPGA_AP_INT_CTOR(unsigned char)
    NNFPGA_AP_INT_CTOR(short)
    NNFPGA_AP_INT_CTOR(unsigned short)
    NNFPGA_AP_INT_CTOR(int)
    NNFPGA_AP_INT_CTOR(unsigned int)
    NNFPGA_AP_INT_CTOR(long)
    NNFPGA_AP_INT_CTOR(unsigned long)
    NNFPGA_AP_INT_CTOR(long long)
    NNFPGA_AP_INT_CTOR(unsigned long long)
#undef NNFPGA_AP_INT_CTOR
    // From floating point: truncation toward zero, then wrap (NaN and infinities give 0). Vitis turns negative
    // values above -0.5 into 1, not 0 (measured; reproduced).
    ap_int_base(double x)
        : v_(x < 0 && x > -0.5 ? nnfpga::apdetail::fromPattern<W, S>(1)
                               : nnfpga::apdetail::fromDouble<W, 0, S, AP_TRN_ZERO, AP_WRAP, 0>(x)) {}
    ap_int_base(float x) : ap_int_base(double(x)) {}
    // Vitis parses strings ("0x1f", radix argument); not supported here, and rejected rather than read as a bool.
    ap_int_base(const char*) = delete;
    ap_int_base(const char*, signed char) = delete;

    // nnfpga extension (not in Vitis): the stored value.
    Raw raw() const { return v_; }
    static ap_int_base fromRaw(Raw r) {
        ap_int_base x;
        x.v_ = nnfpga::apdetail::fromPattern<W, S>(r);
        return x;
    }

    operator CType() const { return CType(v_); }
    bool to_bool() const { return W > 64 ? uint64_t(v_) != 0 : v_ != 0; }  // Vitis: low 64 bits only
    char to_char() const { return char(v_); }
    signed char to_schar() const { return static_cast<signed char>(v_); }
    unsigned char to_uchar() const { return static_cast<unsigned char>(v_); }
    short to_short() const { return short(v_); }
    unsigned short to_ushort() const { return static_cast<unsigned short>(v_); }
    int to_int() const { return int(v_); }
    unsigned to_uint() const { return unsigned(v_); }
    long to_long() const { return long(v_); }
    unsigned long to_ulong() const { return static_cast<unsigned long>(v_); }
    int64_t to_int64() const { return int64_t(v_); }
    uint64_t to_uint64() const { return uint64_t(v_); }
    // Vitis converts only the low 64 bits of wider values.
    double to_double() const { return double(CType(v_)); }
    float to_float() const { return float(CType(v_)); }
    std::string to_string(int radix = 2, bool sign = false) const;

    int length() const { return W; }
    bool iszero() const { return v_ == 0; }
    bool is_zero() const { return v_ == 0; }
    bool sign() const { return nnfpga::apdetail::isNeg(v_); }
    bool and_reduce() const { return URaw(v_ | ~nnfpga::apdetail::lowMask<URaw>(W)) == URaw(~URaw(0)); }
    bool or_reduce() const { return v_ != 0; }
    // Vitis counts the sign copies up to its storage width (8, 16, 32, 64 bits or 64-bit words) too.
    bool xor_reduce() const {
        const int storage = W <= 8 ? 8 : W <= 16 ? 16 : W <= 32 ? 32 : (W + 63) / 64 * 64;
        bool r = nnfpga::apdetail::isNeg(v_) && (storage - W) % 2 == 1;
        for (int i = 0; i < W; ++i) r ^= nnfpga::apdetail::bitAt(URaw(v_), i);
        return r;
    }
    bool nand_reduce() const { return !and_reduce(); }
    bool nor_reduce() const { return !or_reduce(); }
    bool xnor_reduce() const { return !xor_reduce(); }
    int countLeadingZeros() const {
        int n = 0;
        for (int i = W - 1; i >= 0 && !nnfpga::apdetail::bitAt(URaw(v_), i); --i) ++n;
        return n;
    }
    ap_int_base& reverse() {
        URaw r = 0;
        for (int i = 0; i < W; ++i) {
            if (nnfpga::apdetail::bitAt(URaw(v_), i)) r |= URaw(URaw(1) << (W - 1 - i));
        }
        v_ = nnfpga::apdetail::fromPattern<W, S>(r);
        return *this;
    }
    void b_not() { v_ = nnfpga::apdetail::fromPattern<W, S>(URaw(~URaw(v_))); }
    void lrotate(int n) {
        n %= W;
        if (n < 0) n += W;
        const URaw u = URaw(v_) & nnfpga::apdetail::lowMask<URaw>(W);
        v_ = nnfpga::apdetail::fromPattern<W, S>(
            URaw(nnfpga::apdetail::shl(u, n) | nnfpga::apdetail::shr(u, W - n)));
    }
    void rrotate(int n) { lrotate(W - n % W); }

    bool get_bit(int i) const { return nnfpga::apdetail::bitAt(URaw(v_), i); }
    bool bit(int i) const { return get_bit(i); }
    void set_bit(int i, bool b) { ap_bit_ref<W, S>(&v_, i) = b; }
    void set(int i, bool b) { set_bit(i, b); }
    void set(int i) { set_bit(i, true); }
    void clear(int i) { set_bit(i, false); }
    void invert(int i) { set_bit(i, !get_bit(i)); }
    ap_bit_ref<W, S> operator[](int i) { return ap_bit_ref<W, S>(&v_, i); }
    bool operator[](int i) const { return get_bit(i); }
    ap_range_ref<W, S> range(int hi, int lo) { return ap_range_ref<W, S>(&v_, hi, lo); }
    ap_range_ref<W, S> range(int hi, int lo) const { return ap_range_ref<W, S>(const_cast<Raw*>(&v_), hi, lo); }
    ap_range_ref<W, S> range() { return range(W - 1, 0); }
    ap_range_ref<W, S> range() const { return range(W - 1, 0); }
    ap_range_ref<W, S> operator()(int hi, int lo) { return range(hi, lo); }
    ap_range_ref<W, S> operator()(int hi, int lo) const { return range(hi, lo); }

    ap_int_base operator+() const { return *this; }
    // -x has one more bit (Vitis gives ap_int<1> three).
    ap_int_base<(S && W == 1) ? 3 : W + 1, true> operator-() const {
        typedef ap_int_base<(S && W == 1) ? 3 : W + 1, true> R;
        return R::fromRaw(typename R::Raw(typename R::Raw(0) - v_));
    }
    ap_int_base operator~() const { return fromRaw(Raw(~v_)); }
    bool operator!() const { return v_ == 0; }
    ap_int_base& operator++() { return *this = fromRaw(Raw(URaw(v_) + 1)); }
    ap_int_base& operator--() { return *this = fromRaw(Raw(URaw(v_) - 1)); }
    ap_int_base operator++(int) {
        const ap_int_base old = *this;
        ++*this;
        return old;
    }
    ap_int_base operator--(int) {
        const ap_int_base old = *this;
        --*this;
        return old;
    }

    // Shifts keep the type; a negative count shifts the other way.
    ap_int_base shiftLeft(int64_t n) const {
        if (n < 0) return shiftRight(-n);
        return fromRaw(Raw(nnfpga::apdetail::shl(URaw(v_), n > 1024 ? 1024 : int(n))));
    }
    ap_int_base shiftRight(int64_t n) const {
        if (n < 0) return shiftLeft(-n);
        const int k = n > W ? W : int(n);
        if (S && k >= W) return fromRaw(nnfpga::apdetail::isNeg(v_) ? Raw(-1) : Raw(0));
        return fromRaw(nnfpga::apdetail::sar(v_, k));
    }
    template <class T>
    typename std::enable_if<nnfpga::apdetail::CInt<T>::ok, ap_int_base>::type operator<<(T n) const {
        return shiftLeft(nnfpga::apdetail::clampCount(n));
    }
    template <class T>
    typename std::enable_if<nnfpga::apdetail::CInt<T>::ok, ap_int_base>::type operator>>(T n) const {
        return shiftRight(nnfpga::apdetail::clampCount(n));
    }
    template <int W2, bool S2>
    ap_int_base operator<<(const ap_int_base<W2, S2>& n) const {
        return shiftLeft(nnfpga::apdetail::clampCount(n.raw()));
    }
    template <int W2, bool S2>
    ap_int_base operator>>(const ap_int_base<W2, S2>& n) const {
        return shiftRight(nnfpga::apdetail::clampCount(n.raw()));
    }
    template <class T>
    ap_int_base& operator<<=(const T& n) {
        return *this = *this << n;
    }
    template <class T>
    ap_int_base& operator>>=(const T& n) {
        return *this = *this >> n;
    }

#define NNFPGA_AP_INT_COMPOUND(OP)                                                      \
    template <int W2, bool S2>                                                          \
    ap_int_base& operator OP##=(const ap_int_base<W2, S2>& o) {                         \
        return *this = *this OP o;                                                      \
    }                                                                                   \
    template <class T>                                                                  \
    typename std::enable_if<nnfpga::apdetail::CInt<T>::ok, ap_int_base&>::type operator OP##=(T o) { \
        return *this = *this OP o;                                                      \
    }
    NNFPGA_AP_INT_COMPOUND(+)
    NNFPGA_AP_INT_COMPOUND(-)
    NNFPGA_AP_INT_COMPOUND(*)
    NNFPGA_AP_INT_COMPOUND(/)
    NNFPGA_AP_INT_COMPOUND(%)
    NNFPGA_AP_INT_COMPOUND(&)
    NNFPGA_AP_INT_COMPOUND(|)
    NNFPGA_AP_INT_COMPOUND(^)
#undef NNFPGA_AP_INT_COMPOUND

private:
    Raw v_;
};

template <int W, bool S>
const int ap_int_base<W, S>::width;

// Constructors every derived integer/fixed class repeats (constructors are not inherited from a base of the same
// template family without surprises, see README.md).
#define NNFPGA_AP_FORWARD_CTORS(CLS, BASE)                                                                  \
    CLS() {}                                                                                                \
    template <int W2, bool S2>                                                                              \
    CLS(const ap_int_base<W2, S2>& o) : BASE(o) {}                                                          \
    template <int W2, int I2, bool S2, ap_q_mode Q2, ap_o_mode O2, int N2>                                  \
    CLS(const ap_fixed_base<W2, I2, S2, Q2, O2, N2>& o) : BASE(o) {}                                        \
    template <int W2, bool S2>                                                                              \
    CLS(const ap_range_ref<W2, S2>& o) : BASE(o) {}                                                         \
    template <int W2, bool S2>                                                                              \
    CLS(const ap_bit_ref<W2, S2>& o) : BASE(o) {}                                                           \
    CLS(bool x) : BASE(x) {}                                                                                \
    CLS(char x) : BASE(x) {}                                                                                \
    CLS(signed char x) : BASE(x) {}                                                                         \
    CLS(unsigned char x) : BASE(x) {}                                                                       \
    CLS(short x) : BASE(x) {}                                                                               \
    CLS(unsigned short x) : BASE(x) {}                                                                      \
    CLS(int x) : BASE(x) {}                                                                                 \
    CLS(unsigned int x) : BASE(x) {}                                                                        \
    CLS(long x) : BASE(x) {}                                                                                \
    CLS(unsigned long x) : BASE(x) {}                                                                       \
    CLS(long long x) : BASE(x) {}                                                                           \
    CLS(unsigned long long x) : BASE(x) {}                                                                  \
    CLS(float x) : BASE(x) {}                                                                               \
    CLS(double x) : BASE(x) {}                                                                              \
    CLS(const char*) = delete;                                                                              \
    CLS(const char*, signed char) = delete;

template <int W>
struct ap_int : ap_int_base<W, true> {
    typedef ap_int_base<W, true> Base;
    NNFPGA_AP_FORWARD_CTORS(ap_int, Base)
};

template <int W>
struct ap_uint : ap_int_base<W, false> {
    typedef ap_int_base<W, false> Base;
    NNFPGA_AP_FORWARD_CTORS(ap_uint, Base)
};

#endif  // NNFPGA_AP_INT_BASE_H
