// Softmax over a whole rank-1 input (docs/semantics.md "Softmax"): stable, latency, legacy and argmax. The
// tables are constant arrays written by the emitter from nnfpga::softmaxPlan; sizes and index widths come
// from the same plan. CONFIG_T: n_in, exp_size, inv_size, exp_bits, inv_bits, and the types exp_table_t,
// inv_table_t, inv_inp_t, accum_t, inp_norm_t (stable); table_t (legacy, ap_fixed<18,8>).
#ifndef NNFPGA_HLS_SOFTMAX_H_
#define NNFPGA_HLS_SOFTMAX_H_

#include "nnfpga_activation.h"
#include "nnfpga_common.h"

namespace nnfpga_hls {

// The top BITS bits of x's raw pattern (sign bit included) read as unsigned, clamped to SIZE - 1 (a size that
// is not a power of two has fewer entries than the index can reach).
template <int BITS, unsigned SIZE, class T>
unsigned softmax_index(const T& x) {
NNFPGA_PRAGMA(HLS INLINE)
    const ap_uint<BITS> top = x.range(T::width - 1, T::width - BITS);
    const unsigned idx = top.to_uint();
    return idx < SIZE ? idx : SIZE - 1;
}

template <unsigned N>
struct pow2_below {  // the largest power of two strictly below N (N >= 2)
    static const unsigned value = 2 * pow2_below<(N + 1) / 2>::value;
};
template <>
struct pow2_below<2> {
    static const unsigned value = 1;
};
template <>
struct pow2_below<1> {
    static const unsigned value = 1;
};

// Sum of N values in accum_t as a tree: split at the largest power of two below N, every pairwise sum
// converted to accum_t.
template <class T, unsigned N>
struct adder_tree {
    static T sum(const T* x) {
NNFPGA_PRAGMA(HLS INLINE)
        return (T)(adder_tree<T, pow2_below<N>::value>::sum(x) +
                   adder_tree<T, N - pow2_below<N>::value>::sum(x + pow2_below<N>::value));
    }
};
template <class T>
struct adder_tree<T, 2> {
    static T sum(const T* x) {
NNFPGA_PRAGMA(HLS INLINE)
        return (T)(x[0] + x[1]);
    }
};
template <class T>
struct adder_tree<T, 1> {
    static T sum(const T* x) {
NNFPGA_PRAGMA(HLS INLINE)
        return x[0];
    }
};

// 1 / sum(e) from the inverse table, addressed by the sum in inv_inp_t; then y_i = e_i * inverse.
template <class res_T, typename CONFIG_T>
void softmax_normalize(const typename CONFIG_T::accum_t e[CONFIG_T::n_in], res_T res[CONFIG_T::n_in],
                       const typename CONFIG_T::inv_table_t inv_table[CONFIG_T::inv_size]) {
NNFPGA_PRAGMA(HLS INLINE)
    const typename CONFIG_T::accum_t sum = adder_tree<typename CONFIG_T::accum_t, CONFIG_T::n_in>::sum(e);
    const typename CONFIG_T::inv_inp_t sum_inv_inp = sum;
    const typename CONFIG_T::inv_table_t inv =
        inv_table[softmax_index<CONFIG_T::inv_bits, CONFIG_T::inv_size>(sum_inv_inp)];
NNFPGA_LABEL(Results)
    for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
NNFPGA_PRAGMA(HLS UNROLL)
        res[i] = (res_T)(e[i] * inv);
    }
}

// exp(-(x_max - x_i)) from a table addressed by the difference in inp_norm_t.
template <class data_T, class res_T, typename CONFIG_T>
void softmax_stable(const data_T data[CONFIG_T::n_in], res_T res[CONFIG_T::n_in],
                    const typename CONFIG_T::exp_table_t exp_table[CONFIG_T::exp_size],
                    const typename CONFIG_T::inv_table_t inv_table[CONFIG_T::inv_size]) {
NNFPGA_PRAGMA(HLS INLINE)
    data_T x_max = data[0];
NNFPGA_LABEL(Max)
    for (unsigned i = 1; i < CONFIG_T::n_in; i++) {
NNFPGA_PRAGMA(HLS UNROLL)
        if (data[i] > x_max) x_max = data[i];
    }
    typename CONFIG_T::accum_t e[CONFIG_T::n_in];
NNFPGA_PRAGMA(HLS ARRAY_PARTITION variable = e complete)
NNFPGA_LABEL(Exp)
    for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
NNFPGA_PRAGMA(HLS UNROLL)
        const typename CONFIG_T::inp_norm_t d = x_max - data[i];
        e[i] = (typename CONFIG_T::accum_t)exp_table[softmax_index<CONFIG_T::exp_bits, CONFIG_T::exp_size>(d)];
    }
    softmax_normalize<res_T, CONFIG_T>(e, res, inv_table);
}

// exp(x_i) from a table addressed by x_i itself.
template <class data_T, class res_T, typename CONFIG_T>
void softmax_latency(const data_T data[CONFIG_T::n_in], res_T res[CONFIG_T::n_in],
                     const typename CONFIG_T::exp_table_t exp_table[CONFIG_T::exp_size],
                     const typename CONFIG_T::inv_table_t inv_table[CONFIG_T::inv_size]) {
NNFPGA_PRAGMA(HLS INLINE)
    typename CONFIG_T::accum_t e[CONFIG_T::n_in];
NNFPGA_PRAGMA(HLS ARRAY_PARTITION variable = e complete)
NNFPGA_LABEL(Exp)
    for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
NNFPGA_PRAGMA(HLS UNROLL)
        e[i] = (typename CONFIG_T::accum_t)exp_table[softmax_index<CONFIG_T::exp_bits, CONFIG_T::exp_size>(data[i])];
    }
    softmax_normalize<res_T, CONFIG_T>(e, res, inv_table);
}

// y_i = 1 / sum_j exp(x_j - x_i): exp over [-8, 8) at index trunc((x_j - x_i) * N / 16) + N/2, the sum in
// table_t in increasing j (the j = i term is exactly 1), the inverse over [0, 64) at trunc(sum * N / 64).
template <class data_T, class res_T, typename CONFIG_T>
void softmax_legacy(const data_T data[CONFIG_T::n_in], res_T res[CONFIG_T::n_in],
                    const typename CONFIG_T::table_t exp_table[CONFIG_T::exp_size],
                    const typename CONFIG_T::table_t inv_table[CONFIG_T::inv_size]) {
NNFPGA_PRAGMA(HLS INLINE)
NNFPGA_LABEL(Rows)
    for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
NNFPGA_PRAGMA(HLS UNROLL)
        typename CONFIG_T::table_t acc = 0;
    NNFPGA_LABEL(Terms)
        for (unsigned j = 0; j < CONFIG_T::n_in; j++) {
NNFPGA_PRAGMA(HLS UNROLL)
            typename CONFIG_T::table_t term = 1;
            if (j != i) {
                const int idx = scaled_trunc<CONFIG_T::exp_size, 4>(data[j] - data[i]) + 8 * CONFIG_T::exp_size / 16;
                term = exp_table[clip_index<CONFIG_T::exp_size>(idx)];
            }
            acc = acc + term;
        }
        const int inv_idx = scaled_trunc<CONFIG_T::inv_size, 6>(acc);
        res[i] = (res_T)inv_table[clip_index<CONFIG_T::inv_size>(inv_idx)];
    }
}

// One-hot at the first maximum.
template <class data_T, class res_T, typename CONFIG_T>
void softmax_argmax(const data_T data[CONFIG_T::n_in], res_T res[CONFIG_T::n_in]) {
NNFPGA_PRAGMA(HLS INLINE)
    data_T x_max = data[0];
    unsigned best = 0;
NNFPGA_LABEL(Max)
    for (unsigned i = 1; i < CONFIG_T::n_in; i++) {
NNFPGA_PRAGMA(HLS UNROLL)
        if (data[i] > x_max) {
            x_max = data[i];
            best = i;
        }
    }
NNFPGA_LABEL(Results)
    for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
NNFPGA_PRAGMA(HLS UNROLL)
        res[i] = i == best ? (res_T)1 : (res_T)0;
    }
}

}  // namespace nnfpga_hls

#endif
