// Merges (docs/semantics.md): element-wise add, subtract, multiply, average, maximum, minimum of two arrays;
// concatenation; dot product. Element-wise results are exact, with one conversion to the result type; an
// n-input merge is a chain of two-input steps through types that hold every partial result exactly (the
// emitter chooses them), so only the last step rounds. Average is the exact sum times 2^-avg_shift.
// CONFIG_T: n_elem, op (merge_op), avg_shift; concat: outer, in_len, out_len, offset; dot: n_in, accum_t.
#ifndef NNFPGA_HLS_MERGE_H_
#define NNFPGA_HLS_MERGE_H_

#include "nnfpga_common.h"

namespace nnfpga_hls {

enum merge_op { merge_add = 0, merge_subtract, merge_multiply, merge_average, merge_maximum, merge_minimum };

template <class a_T, class b_T, class res_T, typename CONFIG_T>
void merge(const a_T a[CONFIG_T::n_elem], const b_T b[CONFIG_T::n_elem], res_T res[CONFIG_T::n_elem]) {
NNFPGA_PRAGMA(HLS INLINE)
    // 2^-avg_shift exactly: one bit at weight 2^-avg_shift.
    const ap_ufixed<1, 1 - int(CONFIG_T::avg_shift)> scale = 1.0 / double(1ull << CONFIG_T::avg_shift);
NNFPGA_LABEL(Elements)
    for (unsigned i = 0; i < CONFIG_T::n_elem; i++) {
NNFPGA_PRAGMA(HLS UNROLL)
        switch (CONFIG_T::op) {
            case merge_add:
                res[i] = (res_T)(a[i] + b[i]);
                break;
            case merge_subtract:
                res[i] = (res_T)(a[i] - b[i]);
                break;
            case merge_multiply:
                res[i] = (res_T)(a[i] * b[i]);
                break;
            case merge_average:
                res[i] = (res_T)((a[i] + b[i]) * scale);
                break;
            case merge_maximum:
                res[i] = a[i] > b[i] ? (res_T)a[i] : (res_T)b[i];
                break;
            default:
                res[i] = a[i] < b[i] ? (res_T)a[i] : (res_T)b[i];
                break;
        }
    }
}

// Copies in (outer blocks of in_len values) into res (outer blocks of out_len) at offset, converting.
template <class data_T, class res_T, typename CONFIG_T>
void concat_part(const data_T in[CONFIG_T::outer * CONFIG_T::in_len],
                 res_T res[CONFIG_T::outer * CONFIG_T::out_len]) {
NNFPGA_PRAGMA(HLS INLINE)
NNFPGA_LABEL(Blocks)
    for (unsigned o = 0; o < CONFIG_T::outer; o++) {
NNFPGA_PRAGMA(HLS UNROLL)
        for (unsigned i = 0; i < CONFIG_T::in_len; i++) {
NNFPGA_PRAGMA(HLS UNROLL)
            res[o * CONFIG_T::out_len + CONFIG_T::offset + i] = (res_T)in[o * CONFIG_T::in_len + i];
        }
    }
}

// io_stream concatenation along a non-last axis: forwards n pixels from one input, converting.
template <class data_T, class res_T, unsigned N, unsigned C>
void concat_forward(hls::stream<array<data_T, C> >& in, hls::stream<array<res_T, C> >& out) {
NNFPGA_LABEL(Pixels)
    for (unsigned p = 0; p < N; p++) {
NNFPGA_PRAGMA(HLS PIPELINE II = 1)
        const array<data_T, C> x = in.read();
        array<res_T, C> y;
        for (unsigned c = 0; c < C; c++) {
NNFPGA_PRAGMA(HLS UNROLL)
            y[c] = (res_T)x[c];
        }
        out.write(y);
    }
}

// sum_i (accum_t)(a[i] * b[i]) in accum_t in increasing i, one conversion.
template <class a_T, class b_T, class res_T, typename CONFIG_T>
void dot(const a_T a[CONFIG_T::n_in], const b_T b[CONFIG_T::n_in], res_T res[1]) {
NNFPGA_PRAGMA(HLS INLINE)
    typename CONFIG_T::accum_t acc = 0;
NNFPGA_LABEL(Products)
    for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
NNFPGA_PRAGMA(HLS UNROLL)
        acc += (typename CONFIG_T::accum_t)(a[i] * b[i]);
    }
    res[0] = (res_T)acc;
}

}  // namespace nnfpga_hls

#endif
