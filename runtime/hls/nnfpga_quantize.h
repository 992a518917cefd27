// Per-element quantization (docs/semantics.md "Quantize"): the elements of one element type are converted to
// that type (its own rounding and overflow modes) and stored in the result type, which holds the value exactly.
// The emitter writes one call per distinct element type with the constant list of its element indices; the
// loops unroll fully, so synthesis sees one cast per element.
#ifndef NNFPGA_HLS_QUANTIZE_H_
#define NNFPGA_HLS_QUANTIZE_H_

#include "nnfpga_common.h"

namespace nnfpga_hls {

// Every one of the n elements through q_T.
template <class data_T, class res_T, class q_T, unsigned N>
void quantize_all(const data_T data[N], res_T res[N]) {
NNFPGA_PRAGMA(HLS INLINE)
NNFPGA_LABEL(Elements)
    for (unsigned i = 0; i < N; i++) {
NNFPGA_PRAGMA(HLS UNROLL)
        res[i] = (res_T)(q_T)data[i];
    }
}

// The elements idx[0..N) through q_T.
template <class data_T, class res_T, class q_T, unsigned N>
void quantize_some(const data_T* data, res_T* res, const unsigned idx[N]) {
NNFPGA_PRAGMA(HLS INLINE)
NNFPGA_LABEL(Elements)
    for (unsigned k = 0; k < N; k++) {
NNFPGA_PRAGMA(HLS UNROLL)
        res[idx[k]] = (res_T)(q_T)data[idx[k]];
    }
}

// The elements idx[0..N) of width 0: always 0.
template <class res_T, unsigned N>
void quantize_zero(res_T* res, const unsigned idx[N]) {
NNFPGA_PRAGMA(HLS INLINE)
NNFPGA_LABEL(Elements)
    for (unsigned k = 0; k < N; k++) {
NNFPGA_PRAGMA(HLS UNROLL)
        res[idx[k]] = 0;
    }
}

}  // namespace nnfpga_hls

#endif
