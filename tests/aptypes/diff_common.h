// Shared helpers of the differential test (tests/aptypes): a deterministic RNG, random raw patterns biased toward
// rounding ties and range edges, and printers that show a value's type and raw bits. The same source is compiled
// against nnfpga's runtime/aptypes headers and against the Vitis headers shipped with hls4ml; outputs must match.
#pragma once

#include <ap_fixed.h>
#include <ap_int.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <limits>
#include <sstream>
#include <string>
#include <type_traits>
#include <utility>

namespace difftest {

__extension__ typedef unsigned __int128 U128;

struct Rng {
    uint64_t s;
    explicit Rng(uint64_t seed) : s(seed) {}
    uint64_t next() {
        uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    int below(int n) { return int(next() % uint64_t(n)); }
    U128 next128() { return (U128(next()) << 64) | next(); }
};

inline U128 mask128(int w) { return w >= 128 ? ~U128(0) : (U128(1) << w) - 1; }

// Fraction bits and signedness of any ap type (ap_int counts as ap_fixed<W, W>).
template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>
constexpr int fracOf(const ap_fixed_base<W, I, S, Q, O, N>*) { return W - I; }
template <int W, bool S>
constexpr int fracOf(const ap_int_base<W, S>*) { return 0; }
template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>
constexpr bool signOf(const ap_fixed_base<W, I, S, Q, O, N>*) { return S; }
template <int W, bool S>
constexpr bool signOf(const ap_int_base<W, S>*) { return S; }
template <class T>
constexpr int kFrac = fracOf(static_cast<T*>(nullptr));
template <class T>
constexpr bool kSigned = signOf(static_cast<T*>(nullptr));

template <class T>
void setBits(T& x, U128 p) {
    constexpr int w = T::width;
    if (w <= 64) {
        x.range(w - 1, 0) = (unsigned long long)(uint64_t(p & mask128(w)));
    } else {
        x.range(63, 0) = (unsigned long long)(uint64_t(p));
        x.range(w - 1, 64) = (unsigned long long)(uint64_t((p >> 64) & mask128(w - 64)));
    }
}
template <class T>
U128 getBits(const T& x) {
    constexpr int w = T::width;
    if (w <= 64) return U128((unsigned long long)x.range(w - 1, 0));
    return (U128((unsigned long long)x.range(w - 1, 64)) << 64) | U128((unsigned long long)x.range(63, 0));
}
inline std::string hex128(U128 v) {
    char buf[40];
    if (uint64_t(v >> 64) != 0) {
        std::snprintf(buf, sizeof buf, "%llx%016llx", (unsigned long long)(v >> 64), (unsigned long long)v);
    } else {
        std::snprintf(buf, sizeof buf, "%llx", (unsigned long long)v);
    }
    return buf;
}

// "F<W>,<I>,<S>:<hex bits>" for fixed point, "I<W>,<S>:<hex>" for integers: type and value in one token.
template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>
std::string desc(const ap_fixed_base<W, I, S, Q, O, N>& x) {
    return "F" + std::to_string(W) + "," + std::to_string(I) + "," + std::to_string(int(S)) + ":" +
           hex128(getBits(x));
}
template <int W, bool S>
std::string desc(const ap_int_base<W, S>& x) {
    return "I" + std::to_string(W) + "," + std::to_string(int(S)) + ":" + hex128(getBits(x));
}

inline std::string dbits(double d) {
    uint64_t b;
    std::memcpy(&b, &d, 8);
    char buf[24];
    std::snprintf(buf, sizeof buf, "%016llx", (unsigned long long)b);
    return buf;
}
inline std::string fbits(float f) {
    uint32_t b;
    std::memcpy(&b, &f, 4);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%08x", b);
    return buf;
}

// A raw pattern for a w-bit type. `tie` is the number of bits a conversion will drop (when positive), so that
// exact halves and their neighbours appear often.
inline U128 randomPattern(Rng& r, int w, int tie) {
    U128 p = 0;
    const int k = tie >= 1 && tie < w ? tie : 1 + r.below(w > 1 ? w - 1 : 1);
    switch (r.below(11)) {
        case 0: p = r.next128(); break;
        case 1: p = r.next128() >> r.below(128); break;
        case 2: p = U128(0) - (r.next128() >> r.below(128)); break;
        case 3:
        case 4: p = (r.next128() << k) | (U128(1) << (k - 1)); break;
        case 5: p = (r.next128() << k) | ((U128(1) << (k - 1)) + (r.below(2) ? 1 : U128(0) - 1)); break;
        case 6: {
            const U128 mn = U128(1) << (w - 1);
            const U128 specials[] = {0, 1, ~U128(0), mn, mn - 1, mn + 1, mn - 2, mask128(w), U128(1) << k};
            p = specials[r.below(9)];
            break;
        }
        case 7: p = r.next128() & r.next128() & r.next128(); break;
        case 8: p = (U128(r.below(64)) - 32) << k; break;
        case 9: p = r.below(2) ? mask128(r.below(129)) : ~mask128(r.below(129)); break;
        default: p = (r.next128() >> r.below(128)) << r.below(64); break;
    }
    return p & mask128(w);
}

template <class T>
T randomValue(Rng& r, int tie) {
    T x;
    setBits(x, randomPattern(r, T::width, tie));
    return x;
}

// A double for a target with w bits and f fraction bits: grid points, exact halves, near the range ends, and
// specials (NaN, infinities, subnormals, huge).
inline double randomDouble(Rng& r, int w, int f) {
    const int mag = w < 60 ? w : 60;
    const double sign = r.below(2) ? -1.0 : 1.0;
    switch (r.below(9)) {
        case 0: return sign * std::ldexp(double(r.next() >> (64 - mag - 3)), -f - r.below(4));
        case 1: return sign * std::ldexp(double(r.next() >> (64 - (mag < 50 ? mag : 50))) + 0.5, -f);
        case 2: return std::ldexp(double(r.next() >> (64 - 53)) * sign, w - f - 1 - 53 + r.below(3) - 1);
        case 3: {
            const double s[] = {0.0,           -0.0,          std::nan(""), HUGE_VAL,     -HUGE_VAL, 1e300,
                                -1e300,        5e-324,        -5e-324,      1e-300,       0.5,       -0.5,
                                std::ldexp(1.0, w - f - 1), -std::ldexp(1.0, w - f - 1), std::ldexp(1.0, -f - 1),
                                -std::ldexp(1.0, -f - 1)};
            return s[r.below(16)];
        }
        case 4: {
            uint64_t b = r.next();
            double d;
            std::memcpy(&d, &b, 8);
            return d;
        }
        case 5: return sign * std::ldexp(double(r.next() >> 11), r.below(2200) - 1100);
        case 6: return sign * std::ldexp(double(r.next() >> 11), w - f - 53 + r.below(9) - 4);
        case 7: return sign * std::ldexp(double(r.next() >> 11), -f - 53 + r.below(9) - 4);
        default: return sign * double(r.below(1000)) / double(1 + r.below(1000));
    }
}

// Calls f(Tag<T>{}) for every T in the list.
template <class T>
struct Tag {
    typedef T type;
};
template <class... Ts, class F>
void forEach(F&& f) {
    (f(Tag<Ts>{}), ...);
}

// Section entry points (each in its own translation unit).
void conversionsA();
void conversionsB();
void arithmetic();
void misc();

}  // namespace difftest
