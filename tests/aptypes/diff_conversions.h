// Differential test, conversions: every rounding x overflow mode (and N = 1, 2 saturation bits for the wrap
// modes) into a set of target shapes, from several source types and from double.
#pragma once

#include "diff_common.h"

namespace difftest {

template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>
using Fx = typename std::conditional<S, ap_fixed<W, I, Q, O, N>, ap_ufixed<W, I, Q, O, N>>::type;

constexpr int kPerPair = 24;

template <class D>
void convInto(Rng& r) {
    constexpr int fd = kFrac<D>;
    forEach<ap_fixed<64, 24>, ap_ufixed<64, 40>, ap_fixed<20, -3>, ap_int<16>, ap_uint<64>, ap_fixed<100, 44>,
            ap_ufixed<128, 60>, ap_fixed<7, 9>>([&](auto tag) {
        typedef typename decltype(tag)::type Src;
        for (int k = 0; k < kPerPair; ++k) {
            const Src x = randomValue<Src>(r, kFrac<Src> - fd);
            const D d = x;
            std::cout << "cv " << desc(x) << " -> " << desc(d) << "\n";
        }
    });
    for (int k = 0; k < kPerPair * 2; ++k) {
        const double v = randomDouble(r, D::width, fd);
        const D d = v;
        std::cout << "cd " << dbits(v) << " -> " << desc(d) << "\n";
    }
    for (int k = 0; k < 4; ++k) {
        const float v = float(randomDouble(r, D::width, fd));
        const D d = v;
        std::cout << "cf " << fbits(v) << " -> " << desc(d) << "\n";
    }
    // From C integer types and from bit/range proxies.
    const int iv = int(r.next());
    const unsigned uv = unsigned(r.next());
    const long long lv = (long long)(r.next() >> r.below(64));
    const D a = iv, b = uv, c = lv, e = (char)iv, g = (bool)(iv & 1), h = (short)iv;
    const D ull = (unsigned long long)(r.next());
    std::cout << "ci " << iv << " " << uv << " " << lv << " -> " << desc(a) << " " << desc(b) << " " << desc(c) << " "
              << desc(e) << " " << desc(g) << " " << desc(h) << " " << desc(ull) << "\n";
}

// Unsigned types do not support WRAP_SM (Vitis exits at run time, nnfpga rejects it at compile time).
template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>
void convIntoValid(Rng& r) {
    if constexpr (S || O != AP_WRAP_SM) convInto<Fx<W, I, S, Q, O, N>>(r);
}
template <int W, int I, bool S, int... K>
void allModes(Rng& r, std::integer_sequence<int, K...>) {
    (convIntoValid<W, I, S, ap_q_mode(K / 5), ap_o_mode(K % 5), 0>(r), ...);
}
template <int W, int I, bool S, int... K>
void satBits(Rng& r, std::integer_sequence<int, K...>) {
    // K enumerates Q (7) x {WRAP, WRAP_SM} x N in {1, 2}.
    (convIntoValid<W, I, S, ap_q_mode(K % 7), (K / 7) % 2 ? AP_WRAP_SM : AP_WRAP, 1 + K / 14>(r), ...);
}
template <int W, int I, bool S>
void shape(Rng& r) {
    allModes<W, I, S>(r, std::make_integer_sequence<int, 35>());
    if constexpr (W >= 2) satBits<W, I, S>(r, std::make_integer_sequence<int, 28>());
}

}  // namespace difftest
