// Differential test, the rest: to_int/to_double/... and C conversions, shifts, stream output (precision, width,
// fill, hex), bit and range access (including reversed ranges), ap_int from double and from fixed point.
#include <iomanip>

#include "diff_common.h"

namespace difftest {
namespace {

template <class T>
void conversionsOut(Rng& r, int n) {
    for (int k = 0; k < n; ++k) {
        const T x = randomValue<T>(r, 0);
        std::cout << "to " << desc(x) << " " << x.to_int() << " " << x.to_uint() << " " << x.to_int64() << " "
                  << x.to_uint64() << " " << dbits(x.to_double()) << " " << fbits(x.to_float()) << " "
                  << (long long)x << " " << (unsigned long long)x << " " << bool(x) << " " << int(x.to_char()) << " "
                  << (int)x << " " << (unsigned)x << " " << (short)x << " " << (int)(unsigned char)x << " "
                  << (x.is_neg() ? 1 : 0) << (x.is_zero() ? 1 : 0) << " " << T(x).countLeadingZeros();
        std::cout << " " << dbits(double(x)) << " " << fbits(float(x)) << " " << x.length() << "\n";
    }
}

template <class T>
void shifts(Rng& r, int n) {
    for (int k = 0; k < n; ++k) {
        const T x = randomValue<T>(r, 0);
        const int c = r.below(2 * T::width + 8) - T::width - 4;
        const unsigned uc = unsigned(r.below(T::width + 4));
        const ap_int<5> ac = ap_int<5>(r.below(32) - 16);
        const ap_uint<4> uac = ap_uint<4>(r.below(16));
        T y = x;
        y <<= uac;
        T z = x;
        z >>= ac;
        std::cout << "sh " << desc(x) << " " << c << " " << uc << " " << ac.to_int() << " " << uac.to_int() << " : "
                  << desc(x << c) << " " << desc(x >> c) << " " << desc(x << uc) << " " << desc(x >> uc) << " "
                  << desc(x << ac) << " " << desc(x >> ac) << " " << desc(x << uac) << " " << desc(x >> uac) << " "
                  << desc(y) << " " << desc(z) << "\n";
    }
}

template <class T>
void printing(Rng& r, int n) {
    for (int k = 0; k < n; ++k) {
        const T x = randomValue<T>(r, 0);
        std::ostringstream os;
        os << std::setprecision(1 + r.below(20)) << x << "|";
        os << std::setprecision(6) << x << "|" << std::setw(r.below(30)) << x << "|" << std::setfill('*')
           << std::setw(r.below(30)) << std::left << x << "|" << std::right << std::setfill(' ');
        os << std::setprecision(r.below(3) + 1) << x << "|" << std::setprecision(17) << x;
        std::cout << "pr " << desc(x) << " " << os.str() << " " << x.to_string(10) << "\n";
    }
}

template <class T>
void printingInt(Rng& r, int n) {
    for (int k = 0; k < n; ++k) {
        const T x = randomValue<T>(r, 0);
        std::ostringstream os;
        os << x << "|" << std::hex << x << "|" << std::oct << x << "|" << std::dec << std::setw(r.below(40)) << x
           << "|" << std::left << std::setfill('.') << std::setw(r.below(40)) << x << "|" << std::right
           << std::setfill(' ') << std::uppercase << std::hex << x << std::nouppercase << std::dec;
        std::cout << "pi " << desc(x) << " " << os.str() << " " << x.to_string(10) << " " << x.to_string(16) << " "
                  << x.to_string(8) << " " << x.to_string(2) << " " << x.to_string() << "\n";
    }
}

template <class T>
void bits(Rng& r, int n) {
    constexpr int w = T::width;
    for (int k = 0; k < n; ++k) {
        T x = randomValue<T>(r, 0);
        const int hi = r.below(w), lo = r.below(w);
        const int lo64 = hi - lo >= 64 ? hi - 63 : lo;  // keep forward ranges within 64 bits for the readback
        // get_bit of ap_fixed counts from the binary point; beyond the MSB Vitis reads undefined bits.
        std::cout << "bi " << desc(x) << " " << hi << " " << lo << " " << (unsigned long long)x.range(hi, lo64) << " "
                  << x.range(hi, lo64).length() << " " << x[hi] << x.get_bit(lo - kFrac<T>) << " "
                  << (unsigned long long)x(hi, lo64);
        if (hi - lo < 64 && lo - hi < 64) {
            std::cout << " " << (unsigned long long)x.range(hi, lo);
            T y = x;
            const unsigned long long v = r.next();
            y.range(hi, lo) = v;
            std::cout << " " << desc(y);
            y.range(lo, hi) = (int)-3;
            std::cout << " " << desc(y);
            y(hi, lo) = ap_int<7>(-5);
            std::cout << " " << desc(y);
            y.range(hi, lo) = x.range(hi, lo);
            std::cout << " " << desc(y);
        }
        T z = x;
        z[hi] = !z[hi];
        z[lo] = 1;
        std::cout << " " << desc(z) << " " << (x.range(hi < 62 ? hi : 62, 0) + 1) << "\n";
    }
}

template <class I, class F>
void intFrom(Rng& r, int n) {
    for (int k = 0; k < n; ++k) {
        const F f = randomValue<F>(r, 0);
        const double d = randomDouble(r, I::width, 0);
        const I b = d;
        std::cout << "if " << desc(f) << " " << dbits(d) << " " << desc(b);
        // From a type without integer bits Vitis reads undefined bits (results vary with the optimization level).
        if constexpr (F::iwidth > 0) {
            const I a = f;
            std::cout << " " << desc(a) << " " << desc(f.to_ap_int_base());
        }
        std::cout << "\n";
    }
}

}  // namespace

void misc() {
    Rng r(4);
    forEach<ap_fixed<8, 4>, ap_ufixed<8, 3>, ap_fixed<16, 6>, ap_fixed<8, 0>, ap_fixed<8, -2>, ap_ufixed<8, 0>,
            ap_fixed<10, 14>, ap_fixed<48, 44>, ap_fixed<64, 1>, ap_fixed<64, 64>, ap_fixed<70, 3>, ap_ufixed<100, 100>,
            ap_fixed<128, 64>, ap_fixed<90, -10>, ap_fixed<40, 39>>(
        [&](auto t) { conversionsOut<typename decltype(t)::type>(r, 200); });
    forEach<ap_int<8>, ap_uint<8>, ap_int<1>, ap_int<33>, ap_uint<64>, ap_int<64>, ap_int<70>, ap_uint<70>,
            ap_int<128>, ap_uint<128>>([&](auto t) {
        typedef typename decltype(t)::type T;
        for (int k = 0; k < 200; ++k) {
            const T x = randomValue<T>(r, 0);
            std::cout << "ti " << desc(x) << " " << x.to_int() << " " << x.to_uint() << " " << x.to_int64() << " "
                      << x.to_uint64() << " " << x.to_long() << " " << x.to_ulong() << " " << dbits(x.to_double())
                      << " " << fbits(x.to_float()) << " " << (long long)x << " " << x.to_bool() << x.iszero()
                      << x.is_zero() << x.sign() << " " << int(x.to_char()) << " " << x.to_short() << " "
                      << x.to_ushort() << " " << int(x.to_uchar()) << " " << T(x).countLeadingZeros() << " "
                      << x.and_reduce() << x.or_reduce() << x.xor_reduce() << "\n";
        }
    });
    forEach<ap_fixed<8, 4>, ap_ufixed<8, 4>, ap_fixed<16, 6, AP_RND, AP_SAT>, ap_fixed<64, 20>, ap_fixed<100, 50>,
            ap_int<8>, ap_uint<8>, ap_int<64>, ap_uint<100>>([&](auto t) { shifts<typename decltype(t)::type>(r, 150); });
    forEach<ap_fixed<8, 4>, ap_fixed<16, 6>, ap_ufixed<18, 8>, ap_fixed<32, 16>, ap_fixed<40, 20>, ap_fixed<64, 1>,
            ap_fixed<64, 40>, ap_ufixed<64, 64>, ap_fixed<24, -4>, ap_fixed<100, 60>, ap_fixed<128, 2>, ap_fixed<80, 80>,
            ap_fixed<4, 2>>([&](auto t) { printing<typename decltype(t)::type>(r, 1500); });
    // (Types with I > W are left out: Vitis prints garbage for them, see README.md.)
    forEach<ap_int<8>, ap_uint<8>, ap_int<1>, ap_int<40>, ap_uint<64>, ap_int<64>, ap_int<100>, ap_uint<100>>(
        [&](auto t) { printingInt<typename decltype(t)::type>(r, 300); });
    forEach<ap_fixed<8, 4>, ap_ufixed<12, 3>, ap_fixed<64, 32>, ap_fixed<100, 10>, ap_int<8>, ap_uint<16>, ap_int<64>,
            ap_uint<128>>([&](auto t) { bits<typename decltype(t)::type>(r, 300); });
    intFrom<ap_int<8>, ap_fixed<16, 8>>(r, 300);
    intFrom<ap_uint<8>, ap_fixed<16, 8>>(r, 300);
    intFrom<ap_int<16>, ap_fixed<12, 0>>(r, 300);
    intFrom<ap_int<4>, ap_fixed<12, -3>>(r, 300);
    intFrom<ap_int<40>, ap_ufixed<20, 30>>(r, 300);
    intFrom<ap_int<64>, ap_fixed<64, 70>>(r, 300);
    intFrom<ap_int<100>, ap_fixed<80, 40>>(r, 300);
    intFrom<ap_uint<70>, ap_fixed<70, 70>>(r, 300);
}

}  // namespace difftest
