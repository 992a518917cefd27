// Element-wise activations. Numerics (docs/semantics.md "Element-wise activations"): every sum and product is
// exact, one conversion to the result type; table activations read a constant table written by the emitter
// (nnfpga::activationTable) at index trunc(x * N / d) + offset, clipped to [0, N - 1].
// CONFIG_T: n_in, table_size, and as used: table_t, param_t, slope_t, shift_t, index_t; step: ternary, thr_t; po2: the
// exponent range and magnitude bounds of nnfpga::Po2Consts.
#ifndef NNFPGA_HLS_ACTIVATION_H_
#define NNFPGA_HLS_ACTIVATION_H_

#include "nnfpga_common.h"

namespace nnfpga_hls {

// Bits needed to hold the unsigned value N.
template <unsigned long long N>
struct bits_for {
    static const int value = 1 + bits_for<N / 2>::value;
};
template <>
struct bits_for<0> {
    static const int value = 0;
};

// trunc(x * N / 2^K), toward zero like C's int conversion; magnitudes of N and more may come out saturated
// (still >= N: every caller clips the index to [0, N - 1] afterwards, so this changes nothing). The product with N is
// exact; the conversion to a whole-number type with AP_TRN_ZERO truncates toward zero and saturates, and C integer
// division truncates toward zero again: trunc(trunc(v) / 2^K) = trunc(v / 2^K).
template <unsigned N, int K, class data_T>
int scaled_trunc(const data_T& x) {
NNFPGA_PRAGMA(HLS INLINE)
    static const int nb = bits_for<N>::value;
    static const int tw = nb + K + 2;
    typedef ap_fixed<tw, tw, AP_TRN_ZERO, AP_SAT> whole_t;
    static_assert(tw <= 32, "nnfpga_hls: table_size too large for a 32-bit index computation");
    const ap_uint<nb> n = N;
    const whole_t t = x * n;
    return t.to_int() / (1 << K);
}

template <unsigned N>
int clip_index(int idx) {
NNFPGA_PRAGMA(HLS INLINE)
    return idx < 0 ? 0 : (idx > int(N) - 1 ? int(N) - 1 : idx);
}

// ---- piecewise-linear activations ----------------------------------------------------------------------

template <class data_T, class res_T, typename CONFIG_T>
void linear(const data_T data[CONFIG_T::n_in], res_T res[CONFIG_T::n_in]) {
NNFPGA_PRAGMA(HLS INLINE)
NNFPGA_LABEL(Elements)
    for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
NNFPGA_PRAGMA(HLS UNROLL)
        res[i] = (res_T)data[i];
    }
}

template <class data_T, class res_T, typename CONFIG_T>
void relu(const data_T data[CONFIG_T::n_in], res_T res[CONFIG_T::n_in]) {
NNFPGA_PRAGMA(HLS INLINE)
NNFPGA_LABEL(Elements)
    for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
NNFPGA_PRAGMA(HLS UNROLL)
        res[i] = data[i] > 0 ? (res_T)data[i] : (res_T)0;
    }
}

// x for x > 0, otherwise alpha * x (exact product).
template <class data_T, class res_T, typename CONFIG_T>
void leaky_relu(const data_T data[CONFIG_T::n_in], res_T res[CONFIG_T::n_in], const typename CONFIG_T::param_t alpha) {
NNFPGA_PRAGMA(HLS INLINE)
NNFPGA_LABEL(Elements)
    for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
NNFPGA_PRAGMA(HLS UNROLL)
        res[i] = data[i] > 0 ? (res_T)data[i] : (res_T)(alpha * data[i]);
    }
}

// leaky_relu whose negative side stops at `low` (a value of res_T), after the conversion.
template <class data_T, class res_T, typename CONFIG_T>
void leaky_relu_clip(const data_T data[CONFIG_T::n_in], res_T res[CONFIG_T::n_in],
                     const typename CONFIG_T::param_t alpha, const res_T low) {
NNFPGA_PRAGMA(HLS INLINE)
NNFPGA_LABEL(Elements)
    for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
NNFPGA_PRAGMA(HLS UNROLL)
        if (data[i] > 0) {
            res[i] = (res_T)data[i];
        } else {
            const res_T v = (res_T)(alpha * data[i]);
            res[i] = v < low ? low : v;
        }
    }
}

// x for x > theta (strict, exact comparison), otherwise 0.
template <class data_T, class res_T, typename CONFIG_T>
void thresholded_relu(const data_T data[CONFIG_T::n_in], res_T res[CONFIG_T::n_in],
                      const typename CONFIG_T::param_t theta) {
NNFPGA_PRAGMA(HLS INLINE)
NNFPGA_LABEL(Elements)
    for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
NNFPGA_PRAGMA(HLS UNROLL)
        res[i] = data[i] > theta ? (res_T)data[i] : (res_T)0;
    }
}

// leaky_relu with one alpha per element.
template <class data_T, class res_T, typename CONFIG_T>
void prelu(const data_T data[CONFIG_T::n_in], res_T res[CONFIG_T::n_in],
           const typename CONFIG_T::param_t alpha[CONFIG_T::n_in]) {
NNFPGA_PRAGMA(HLS INLINE)
NNFPGA_LABEL(Elements)
    for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
NNFPGA_PRAGMA(HLS UNROLL)
        res[i] = data[i] > 0 ? (res_T)data[i] : (res_T)(alpha[i] * data[i]);
    }
}

// clip(slope * x + shift, 0, 1), exact, then one conversion.
template <class data_T, class res_T, typename CONFIG_T>
void hard_sigmoid(const data_T data[CONFIG_T::n_in], res_T res[CONFIG_T::n_in], const typename CONFIG_T::slope_t slope,
                  const typename CONFIG_T::shift_t shift) {
NNFPGA_PRAGMA(HLS INLINE)
NNFPGA_LABEL(Elements)
    for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
NNFPGA_PRAGMA(HLS UNROLL)
        const auto y = slope * data[i] + shift;  // exact: the result types of ap_fixed * and + are wide enough
        if (y > 1) {
            res[i] = (res_T)1;
        } else if (y < 0) {
            res[i] = (res_T)0;
        } else {
            res[i] = (res_T)y;
        }
    }
}

// ---- table activations ------------------------------------------------------------------------------------

// The symmetric tables: table[k] = f(2^K (k - N/2) / N), index trunc(x * N / 2^K) + N/2, clipped to [0, N-1].
// K = 4 (range [-8, 8)): sigmoid, softplus, softsign; K = 3 (range [-4, 4)): tanh.
template <int K, class data_T, class res_T, typename CONFIG_T>
void table_activation_symmetric(const data_T data[CONFIG_T::n_in], res_T res[CONFIG_T::n_in],
                                const typename CONFIG_T::table_t table[CONFIG_T::table_size]) {
NNFPGA_PRAGMA(HLS INLINE)
NNFPGA_LABEL(Elements)
    for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
NNFPGA_PRAGMA(HLS UNROLL)
        const int offset = CONFIG_T::table_size / 2;
        const int idx = scaled_trunc<CONFIG_T::table_size, K>(data[i]) + offset;
        res[i] = (res_T)table[clip_index<CONFIG_T::table_size>(idx)];
    }
}

template <class data_T, class res_T, typename CONFIG_T>
void sigmoid(const data_T data[CONFIG_T::n_in], res_T res[CONFIG_T::n_in],
             const typename CONFIG_T::table_t table[CONFIG_T::table_size]) {
NNFPGA_PRAGMA(HLS INLINE)
    table_activation_symmetric<4, data_T, res_T, CONFIG_T>(data, res, table);
}

template <class data_T, class res_T, typename CONFIG_T>
void softplus(const data_T data[CONFIG_T::n_in], res_T res[CONFIG_T::n_in],
              const typename CONFIG_T::table_t table[CONFIG_T::table_size]) {
NNFPGA_PRAGMA(HLS INLINE)
    table_activation_symmetric<4, data_T, res_T, CONFIG_T>(data, res, table);
}

template <class data_T, class res_T, typename CONFIG_T>
void softsign(const data_T data[CONFIG_T::n_in], res_T res[CONFIG_T::n_in],
              const typename CONFIG_T::table_t table[CONFIG_T::table_size]) {
NNFPGA_PRAGMA(HLS INLINE)
    table_activation_symmetric<4, data_T, res_T, CONFIG_T>(data, res, table);
}

template <class data_T, class res_T, typename CONFIG_T>
void tanh(const data_T data[CONFIG_T::n_in], res_T res[CONFIG_T::n_in],
          const typename CONFIG_T::table_t table[CONFIG_T::table_size]) {
NNFPGA_PRAGMA(HLS INLINE)
    table_activation_symmetric<3, data_T, res_T, CONFIG_T>(data, res, table);
}

// x >= 0: x; x < 0: alpha * table[k], table[k] = exp(-8k/N) - 1, index trunc(x * N / -8) (at most N - 1).
template <class data_T, class res_T, typename CONFIG_T>
void elu(const data_T data[CONFIG_T::n_in], res_T res[CONFIG_T::n_in], const typename CONFIG_T::param_t alpha,
         const typename CONFIG_T::table_t table[CONFIG_T::table_size]) {
NNFPGA_PRAGMA(HLS INLINE)
NNFPGA_LABEL(Elements)
    for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
NNFPGA_PRAGMA(HLS UNROLL)
        if (data[i] >= 0) {
            res[i] = (res_T)data[i];
        } else {
            const int idx = -scaled_trunc<CONFIG_T::table_size, 3>(data[i]);
            res[i] = (res_T)(alpha * table[clip_index<CONFIG_T::table_size>(idx)]);
        }
    }
}

// x >= 0: lambda * x with lambda in ap_ufixed<16,1>; x < 0: table[k] = lambda alpha (exp(-8k/N) - 1), index as elu.
template <class data_T, class res_T, typename CONFIG_T>
void selu(const data_T data[CONFIG_T::n_in], res_T res[CONFIG_T::n_in], const ap_ufixed<16, 1> lambda,
          const typename CONFIG_T::table_t table[CONFIG_T::table_size]) {
NNFPGA_PRAGMA(HLS INLINE)
NNFPGA_LABEL(Elements)
    for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
NNFPGA_PRAGMA(HLS UNROLL)
        if (data[i] >= 0) {
            res[i] = (res_T)(lambda * data[i]);
        } else {
            const int idx = -scaled_trunc<CONFIG_T::table_size, 3>(data[i]);
            res[i] = (res_T)table[clip_index<CONFIG_T::table_size>(idx)];
        }
    }
}

// ---- quantizer activations (QKeras binary, ternary, power of two) -------------------------------------------

// hi for x >= hi_from[c]; lo for x <= lo_to[c] (ternary) or for every other x (binary); otherwise zero; c =
// i % n_thr (one pair per channel, or one for all). The thresholds lie on the input's grid (nnfpga::stepConsts),
// so the comparisons are exact.
template <class data_T, class res_T, typename CONFIG_T>
void step(const data_T data[CONFIG_T::n_in], res_T res[CONFIG_T::n_in],
          const typename CONFIG_T::thr_t hi_from[CONFIG_T::n_thr], const typename CONFIG_T::thr_t lo_to[CONFIG_T::n_thr],
          const res_T hi, const res_T lo, const res_T zero) {
NNFPGA_PRAGMA(HLS INLINE)
NNFPGA_LABEL(Elements)
    for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
NNFPGA_PRAGMA(HLS UNROLL)
        const unsigned c = i % CONFIG_T::n_thr;
        res[i] = data[i] >= hi_from[c] ? hi : ((!CONFIG_T::ternary || data[i] <= lo_to[c]) ? lo : zero);
    }
}

// floor(log2 v), or round(log2 v) unless floor_only, of v = m * 2^-frac (m > 0): the highest set bit b of m,
// plus one when m^2 >= 2^(2b + 1) (v >= 2^(b - frac + 1/2)).
template <int W>
int po2_log2(const ap_uint<W> m, int frac, bool floor_only) {
NNFPGA_PRAGMA(HLS INLINE)
    int b = 0;
    for (int k = 0; k < W; k++) {
NNFPGA_PRAGMA(HLS UNROLL)
        if (m[k]) b = k;
    }
    if (floor_only) return b - frac;
    const ap_uint<2 * W> sq = ap_uint<2 * W>(m) * m;
    ap_uint<2 * W> bound = 0;
    bound[2 * b + 1] = 1;
    return b - frac + (sq >= bound ? 1 : 0);
}

// The exponent of the magnitude m * 2^-frac (nnfpga::Po2Consts): min_exp below tiny, max_value_exp from
// max_value on, otherwise log2, clipped to [min_exp, max_exp].
template <typename CONFIG_T, int W>
int po2_exponent(const ap_uint<W> m, int frac, unsigned long long tiny_below, unsigned long long max_from) {
NNFPGA_PRAGMA(HLS INLINE)
    if (m < tiny_below) return CONFIG_T::min_exp;
    const int e = (CONFIG_T::has_max && m >= max_from) ? CONFIG_T::max_value_exp : po2_log2<W>(m, frac, CONFIG_T::floor_log);
    return e < CONFIG_T::min_exp ? CONFIG_T::min_exp : (e > CONFIG_T::max_exp ? CONFIG_T::max_exp : e);
}

// QKeras quantized_po2 (relu = false: the sign of x, +1 at 0) and quantized_relu_po2 (relu = true; negative x
// give -2^e of slope * |x| when neg_slope, else the smallest power). pos/neg hold +2^e and -2^e in res_T for
// e = min_exp … max_exp.
template <class data_T, class res_T, typename CONFIG_T>
void po2(const data_T data[CONFIG_T::n_in], res_T res[CONFIG_T::n_in], const res_T pos[CONFIG_T::n_exp],
         const res_T neg[CONFIG_T::n_exp]) {
NNFPGA_PRAGMA(HLS INLINE)
    static const int W = data_T::width;
NNFPGA_LABEL(Elements)
    for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
NNFPGA_PRAGMA(HLS UNROLL)
        const bool negative = data[i] < 0;
        const ap_uint<W> bits = data[i].range(W - 1, 0);
        const ap_uint<W> m = negative ? ap_uint<W>(-bits) : bits;
        const int f = CONFIG_T::in_frac;
        if (!CONFIG_T::relu) {
            const int e = po2_exponent<CONFIG_T, W>(m, f, CONFIG_T::tiny_below, CONFIG_T::max_from) - CONFIG_T::min_exp;
            res[i] = negative ? neg[e] : pos[e];
        } else if (!negative || !CONFIG_T::neg_slope) {
            const ap_uint<W> mp = negative ? ap_uint<W>(0) : m;
            res[i] = pos[po2_exponent<CONFIG_T, W>(mp, f, CONFIG_T::tiny_below, CONFIG_T::max_from) - CONFIG_T::min_exp];
        } else {
            res[i] = neg[po2_exponent<CONFIG_T, W>(m, f + CONFIG_T::slope_shift, CONFIG_T::tiny_below_neg,
                                                   CONFIG_T::max_from_neg) -
                         CONFIG_T::min_exp];
        }
    }
}

// HGQ's UnaryLUT: the table entry of the input's value. index_t has the table's fractional bits and log2(table_size)
// bits in all (round half to even, wrap): its raw bits, read as unsigned, are the index.
template <class data_T, class res_T, typename CONFIG_T>
void unary_lut(const data_T data[CONFIG_T::n_in], res_T res[CONFIG_T::n_in], const res_T table[CONFIG_T::table_size]) {
NNFPGA_PRAGMA(HLS INLINE)
    typedef typename CONFIG_T::index_t index_t;
NNFPGA_LABEL(Elements)
    for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
NNFPGA_PRAGMA(HLS UNROLL)
        const index_t x = data[i];
        const ap_uint<index_t::width> idx = x.range(index_t::width - 1, 0);
        res[i] = table[idx.to_uint()];
    }
}

}  // namespace nnfpga_hls

#endif
