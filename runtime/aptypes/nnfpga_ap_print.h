// Text output of ap_int/ap_fixed: to_string() and operator<<, reproducing what the Vitis headers print (their
// format was measured, see README.md), computed from the exact value, never through a double.
#ifndef NNFPGA_AP_PRINT_H
#define NNFPGA_AP_PRINT_H

#include "nnfpga_ap_ops.h"

namespace nnfpga {
namespace apdetail {

// Decimal digits of an unsigned 128-bit integer.
inline std::string decimalOf(UInt128 m) {
    char buf[48];
    int n = 0;
    do {
        buf[n++] = char('0' + int(m % 10));
        m /= 10;
    } while (m != 0);
    std::string s;
    while (n > 0) s += buf[--n];
    return s;
}

// Digits of |v| in base 8 or 16 (lower or upper case).
inline std::string digitsOf(UInt128 m, int radix, bool upper) {
    const char* d = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    std::string s;
    do {
        s.insert(s.begin(), d[int(m % unsigned(radix))]);
        m /= unsigned(radix);
    } while (m != 0);
    return s;
}

// Exact decimal expansion of mag * 2^-f: integer digits ("0" when none) and fraction digits without trailing
// zeros. Limbs (base 1e9) bounds the size: 2 + (128 + 3|f|) / 29 suffices.
template <int Limbs>
inline void exactDecimal(UInt128 mag, int f, std::string& ip, std::string& fp) {
    uint32_t d[Limbs];
    int n = 0;
    do {
        d[n++] = uint32_t(mag % 1000000000u);
        mag /= 1000000000u;
    } while (mag != 0);
    // Multiply by 5^f (f > 0: value = N / 10^f) or 2^-f (f < 0: value = N).
    int left = f > 0 ? f : -f;
    while (left > 0) {
        const int step = f > 0 ? (left < 13 ? left : 13) : (left < 29 ? left : 29);
        uint64_t k = 1;
        for (int i = 0; i < step; ++i) k *= f > 0 ? 5 : 2;
        uint64_t carry = 0;
        for (int i = 0; i < n; ++i) {
            const uint64_t cur = uint64_t(d[i]) * k + carry;
            d[i] = uint32_t(cur % 1000000000u);
            carry = cur / 1000000000u;
        }
        while (carry != 0) {
            d[n++] = uint32_t(carry % 1000000000u);
            carry /= 1000000000u;
        }
        left -= step;
    }
    std::string s;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%u", unsigned(d[n - 1]));
    s = buf;
    for (int i = n - 2; i >= 0; --i) {
        std::snprintf(buf, sizeof buf, "%09u", unsigned(d[i]));
        s += buf;
    }
    if (f <= 0) {
        ip = s;
        fp.clear();
        return;
    }
    if (int(s.size()) <= f) s.insert(size_t(0), size_t(f + 1) - s.size(), '0');
    ip = s.substr(0, s.size() - size_t(f));
    fp = s.substr(s.size() - size_t(f));
    while (!fp.empty() && fp[fp.size() - 1] == '0') fp.erase(fp.size() - 1);
}

// Round the digit string to n digits, halves up; returns true when a carry added a digit (then still n digits).
inline bool roundDigits(std::string& g, int n) {
    if (int(g.size()) <= n) {
        g.append(size_t(n) - g.size(), '0');
        return false;
    }
    const bool up = g[size_t(n)] >= '5';
    g.erase(size_t(n));
    if (!up) return false;
    for (int i = n - 1; i >= 0; --i) {
        if (g[size_t(i)] == '9') {
            g[size_t(i)] = '0';
        } else {
            ++g[size_t(i)];
            return false;
        }
    }
    g.insert(g.begin(), '1');
    g.erase(size_t(n));
    return true;
}

inline std::string scientific(const std::string& digits, int e) {
    std::string m(1, digits[0]);
    std::string rest = digits.substr(1);
    while (!rest.empty() && rest[rest.size() - 1] == '0') rest.erase(rest.size() - 1);
    if (!rest.empty()) m.append(".").append(rest);
    char buf[16];
    std::snprintf(buf, sizeof buf, "e%c%02d", e < 0 ? '-' : '+', e < 0 ? -e : e);
    return m + buf;
}

// What Vitis's operator<< prints for a fixed-point value, with p significant digits (the stream precision): like
// %g on the exact value with halves rounded up, except that integers with at most p significant digits print in
// full, and a non-integer of more than p integer digits keeps its integer digits rounded to p+1 and then cut to
// p, and rounding a value with two or more integer digits to a fraction below 1e-4 also selects scientific
// notation. Stream flags (fixed, scientific, showpos, hex) do not apply.
inline std::string formatLikeVitis(bool neg, const std::string& ip, const std::string& fp, int p) {
    if (p <= 0) p = 1;
    if (ip == "0" && fp.empty()) return "0";
    const std::string sign(neg ? 1 : 0, '-');
    if (fp.empty()) {
        std::string sig = ip;
        while (sig.size() > 1 && sig[sig.size() - 1] == '0') sig.erase(sig.size() - 1);
        if (int(sig.size()) <= p) return sign + ip;
        std::string g = ip;
        const int e = int(ip.size()) - 1 + (roundDigits(g, p) ? 1 : 0);
        return sign + scientific(g, e);
    }
    int e;
    std::string g;
    if (ip != "0") {
        e = int(ip.size()) - 1;
        if (e >= p) {
            g = ip;
            if (roundDigits(g, p + 1)) ++e;
            g.erase(size_t(p));
            return sign + scientific(g, e);
        }
        g = ip + fp;
    } else {
        size_t z = 0;
        while (fp[z] == '0') ++z;
        e = -int(z) - 1;
        g = fp.substr(z);
    }
    if (roundDigits(g, p)) ++e;
    if (e < -4 || e >= p) return sign + scientific(g, e);
    std::string out;
    if (e >= 0) {
        out = g.substr(0, size_t(e) + 1);
        std::string rest = g.substr(size_t(e) + 1);
        while (!rest.empty() && rest[rest.size() - 1] == '0') rest.erase(rest.size() - 1);
        // Vitis: a rounded value with two or more integer digits and a fraction below 1e-4 prints in scientific
        // notation (measured).
        if (ip.size() >= 2 && ip.size() + fp.size() > size_t(p) && rest.compare(0, 4, "0000") == 0 && rest.size() > 4)
            return sign + scientific(g, e);
        if (!rest.empty()) out.append(".").append(rest);
    } else {
        out = "0.";
        out.append(size_t(-e - 1), '0').append(g);
        while (out[out.size() - 1] == '0') out.erase(out.size() - 1);
    }
    return sign + out;
}

// Digits of an integer as Vitis's to_string(radix) prints them: a negative value (in base 8 or 16) as '-' and its
// magnitude's shortest digits, a negative binary value as all W bits; otherwise the shortest two's-complement bit
// string (its leading 0 sign bit included, at most W bits) cut into digits from the right, so the first digit may be
// 0 ("0o040" for 32). A zero wider than 64 bits prints as a bare "0". Measured on the Vitis headers.
template <class T>
inline std::string intToString(T v, int w, int radix, bool upperHex) {
    const bool neg = isNeg(v);
    const UInt128 mag = neg ? UInt128(0) - UInt128(v) : UInt128(v);
    // (Strings are built by appending: GCC 12 warns falsely about `"literal" + std::string` at -O3.)
    std::string out = neg && radix != 2 ? "-" : "";
    if (radix != 2 && radix != 8 && radix != 16) return out.append(decimalOf(mag));
    if (w > 64 && v == 0) return "0";
    out.append(radix == 2 ? "0b" : radix == 8 ? "0o" : "0x");
    const int k = radix == 2 ? 1 : radix == 8 ? 3 : 4;
    if (neg && radix != 2) return out.append(digitsOf(mag, radix, upperHex));
    int len = w;  // bits shown: all W for a negative value
    if (!neg) {
        len = 1;
        for (UInt128 t = mag; t != 0; t >>= 1) ++len;
        if (len > w) len = w;
    }
    int digits = (len + k - 1) / k;
    if (w > 64 && !neg && radix != 2) {
        // Wider values print their shortest digits after one 0, at most the digits of W bits.
        digits = (len - 1 + k - 1) / k + 1;
        if (digits > (w + k - 1) / k) digits = (w + k - 1) / k;
    }
    const char* d = upperHex ? "0123456789ABCDEF" : "0123456789abcdef";
    const UInt128 bits = UInt128(v);
    for (int hi = digits * k - 1; hi >= 0; hi -= k) {
        int digit = 0;
        for (int b = hi; b > hi - k; --b) digit = digit * 2 + (b < len && bitAt(bits, b) ? 1 : 0);
        out += d[digit];
    }
    return out;
}

template <int W, int F, class T>
inline void fixedDecimal(T v, bool& neg, std::string& ip, std::string& fp) {
    neg = isNeg(v);
    const UInt128 mag = neg ? UInt128(0) - UInt128(v) : UInt128(v);
    exactDecimal<2 + (128 + 3 * (F > 0 ? F : -F)) / 29>(mag, F, ip, fp);
}

}  // namespace apdetail
}  // namespace nnfpga

template <int W, bool S>
std::string ap_int_base<W, S>::to_string(int radix, bool) const {
    return nnfpga::apdetail::intToString(v_, W, radix, W > 64);
}

// Decimal (radix 10) is the exact value; other radixes print the raw bits in the given base with the binary
// point (not Vitis's layout, see README.md).
template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>
std::string ap_fixed_base<W, I, S, Q, O, N>::to_string(int radix, bool) const {
    bool neg;
    std::string ip, fp;
    if (radix == 10) {
        nnfpga::apdetail::fixedDecimal<W, W - I>(v_, neg, ip, fp);
        std::string out = neg ? "-" : "";
        out.append(ip);
        if (!fp.empty()) out.append(".").append(fp);
        return out;
    }
    std::string out = nnfpga::apdetail::intToString(v_, W, radix, false);
    if (W - I != 0) out.append("p-").append(std::to_string(W - I));
    return out;
}

// ap_int prints its exact value as to_string(10), (16) or (8) does, padded as a string. The base comes from
// std::cout's flags whatever the stream (Vitis; reproduced), and hex digits are upper case above 64 bits.
template <int W, bool S>
inline std::ostream& operator<<(std::ostream& os, const ap_int_base<W, S>& x) {
    const std::ios_base::fmtflags base = std::cout.flags() & std::ios_base::basefield;
    const int radix = base == std::ios_base::hex ? 16 : base == std::ios_base::oct ? 8 : 10;
    return os << nnfpga::apdetail::intToString(x.raw(), W, radix, W > 64);
}

// ap_fixed prints as formatLikeVitis describes. Vitis pads to a width w as w - len + w - 1 fill characters
// before the text whenever w > len (and ignores the adjustment); reproduced.
template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>
inline std::ostream& operator<<(std::ostream& os, const ap_fixed_base<W, I, S, Q, O, N>& x) {
    bool neg;
    std::string ip, fp;
    nnfpga::apdetail::fixedDecimal<W, W - I>(x.raw(), neg, ip, fp);
    const std::string s = nnfpga::apdetail::formatLikeVitis(neg, ip, fp, int(os.precision()));
    const std::streamsize w = os.width();
    os.width(0);
    if (w > std::streamsize(s.size())) os << std::string(size_t(2 * w - std::streamsize(s.size()) - 1), os.fill());
    return os << s;
}

template <int W, bool S>
inline std::ostream& operator<<(std::ostream& os, const ap_range_ref<W, S>& r) {
    return os << ap_int_base<W, false>(r);
}
template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>
inline std::ostream& operator<<(std::ostream& os, const af_range_ref<W, I, S, Q, O, N>& r) {
    return os << nnfpga::apdetail::intToString(r.get(), W, 2, false);
}

#endif  // NNFPGA_AP_PRINT_H
