// Shared pieces of the HLS library tests (hls_runtime_test.cpp, hls_layers_test.cpp): the ap types seen as
// nnfpga FixedTypes, raw values in and out of them, random raw values, and the mismatch bookkeeping.
#pragma once

#include <algorithm>
#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "ap_fixed.h"
#include "ap_int.h"
#include "nnfpga/emulator/kernel.h"
#include "nnfpga/fixed/fixed_type.h"
#include "nnfpga/ir/graph.h"

namespace hlstest {

using nnfpga::FixedType;
using nnfpga::Overflow;
using nnfpga::Rounding;
using Rng = std::mt19937_64;

// ---- the ap types seen as FixedTypes, and raw values in and out ------------------------------------------

inline Rounding roundingOf(ap_q_mode q) {
    switch (q) {
        case AP_RND:
            return Rounding::RND;
        case AP_RND_ZERO:
            return Rounding::RND_ZERO;
        case AP_RND_MIN_INF:
            return Rounding::RND_MIN_INF;
        case AP_RND_INF:
            return Rounding::RND_INF;
        case AP_RND_CONV:
            return Rounding::RND_CONV;
        case AP_TRN:
            return Rounding::TRN;
        case AP_TRN_ZERO:
            return Rounding::TRN_ZERO;
    }
    return Rounding::TRN;
}
inline Overflow overflowOf(ap_o_mode o) {
    switch (o) {
        case AP_SAT:
            return Overflow::SAT;
        case AP_SAT_ZERO:
            return Overflow::SAT_ZERO;
        case AP_SAT_SYM:
            return Overflow::SAT_SYM;
        default:
            return Overflow::WRAP;
    }
}

template <int W, int I, ap_q_mode Q, ap_o_mode O, int N>
FixedType typeOfPtr(const ap_fixed<W, I, Q, O, N>*) {
    return FixedType::fixed(W, I, true, roundingOf(Q), overflowOf(O));
}
template <int W, int I, ap_q_mode Q, ap_o_mode O, int N>
FixedType typeOfPtr(const ap_ufixed<W, I, Q, O, N>*) {
    return FixedType::fixed(W, I, false, roundingOf(Q), overflowOf(O));
}
template <int W>
FixedType typeOfPtr(const ap_int<W>*) {
    return FixedType::integerType(W, true);
}
template <int W>
FixedType typeOfPtr(const ap_uint<W>*) {
    return FixedType::integerType(W, false);
}
template <class T>
FixedType typeOf() {
    return typeOfPtr(static_cast<const T*>(nullptr));
}

template <class T>
T fromRaw(int64_t raw) {
    T x;
    ap_uint<T::width> bits = static_cast<unsigned long long>(raw);
    x.range(T::width - 1, 0) = bits;
    return x;
}
template <class T>
int64_t toRaw(const T& x) {
    ap_uint<T::width> bits = x.range(T::width - 1, 0);
    uint64_t u = bits.to_uint64();
    if (typeOf<T>().isSigned && T::width < 64 && ((u >> (T::width - 1)) & 1)) u |= ~uint64_t(0) << T::width;
    return static_cast<int64_t>(u);
}

// A mix of uniform raw values, log-uniform magnitudes (small values hit every index boundary) and the ends.
inline int64_t randomRaw(const FixedType& t, Rng& rng) {
    const int64_t lo = t.rawMin(), hi = t.rawMax();
    const unsigned pick = rng() % 8;
    if (pick == 0) {
        const unsigned __int128 span = static_cast<unsigned __int128>(static_cast<__int128>(hi) - lo) + 1;
        return static_cast<int64_t>(lo + static_cast<__int128>(rng() % span));
    }
    if (pick == 1) {
        const int64_t ends[] = {lo, hi, 0, 1, -1, lo + 1, hi - 1};
        return std::clamp<int64_t>(ends[rng() % 7], lo, hi);
    }
    const int b = static_cast<int>(rng() % (t.width + 1));
    const int64_t m = b >= 63 ? hi : (int64_t(1) << b);
    const int64_t v = static_cast<int64_t>(rng() % (static_cast<uint64_t>(m) + 1)) * ((rng() & 1) ? -1 : 1);
    return std::clamp<int64_t>(v, lo, hi);
}

// ---- bookkeeping ---------------------------------------------------------------------------------------------

struct Totals {
    int cases = 0, rejected = 0;
    long long values = 0, mismatches = 0;
};
inline Totals totals;

inline void compare(const std::string& what, const std::vector<int64_t>& x, const std::vector<int64_t>& want,
             const std::vector<int64_t>& got, const char* note = "") {
    for (size_t i = 0; i < want.size(); ++i) {
        ++totals.values;
        if (want[i] == got[i]) continue;
        if (++totals.mismatches <= 30) {
            std::printf("MISMATCH %s%s: element %zu input raw %lld: emulator %lld, hls %lld\n", what.c_str(), note, i,
                        static_cast<long long>(i < x.size() ? x[i] : 0), static_cast<long long>(want[i]),
                        static_cast<long long>(got[i]));
        }
    }
}

// Input -> one node, as a frontend would build it; the emulator's kernel for it.
struct OneNode {
    nnfpga::Graph g;
    std::unique_ptr<nnfpga::Kernel> kernel;

    OneNode(nnfpga::OpAttrs attrs, const char* kind, int n, const FixedType& in, const FixedType& out) {
        const int x = g.addTensor("x", {n}, in);
        const int y = g.addTensor("y", {n}, out);
        nnfpga::Node a;
        a.name = "x";
        a.kind = "InputLayer";
        a.attrs = nnfpga::InputAttrs{};
        a.outputs = {x};
        g.addNode(a);
        nnfpga::Node b;
        b.name = "layer";
        b.kind = kind;
        b.attrs = std::move(attrs);
        b.inputs = {x};
        b.outputs = {y};
        g.addNode(b);
        g.inputs = {x};
        g.outputs = {y};
    }
    const nnfpga::Node& node() const { return g.nodes[1]; }
    std::vector<int64_t> run(const std::vector<int64_t>& x) const {
        std::vector<int64_t> y(x.size());
        const int64_t* ins[] = {x.data()};
        nnfpga::OverflowStats st;
        kernel->run(ins, y.data(), st);
        return y;
    }
};

template <class T>
std::vector<T> hlsArray(const std::vector<int64_t>& raw) {
    std::vector<T> v(raw.size());
    for (size_t i = 0; i < raw.size(); ++i) v[i] = fromRaw<T>(raw[i]);
    return v;
}
template <class T>
std::vector<int64_t> rawArray(const T* v, size_t n) {
    std::vector<int64_t> r(n);
    for (size_t i = 0; i < n; ++i) r[i] = toRaw(v[i]);
    return r;
}

}  // namespace hlstest
