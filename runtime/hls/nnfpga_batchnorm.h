// Batch normalisation, folded into a per-channel affine map (docs/semantics.md "BatchNormalization"):
// res[i] = (res_T)(x[i] * scale[c] + bias[c]), c = i % n_filt (the channel is the last axis), exact product
// and sum, one conversion. CONFIG_T: n_in, n_filt, scale_t, bias_t.
#ifndef NNFPGA_HLS_BATCHNORM_H_
#define NNFPGA_HLS_BATCHNORM_H_

#include "nnfpga_common.h"

namespace nnfpga_hls {

template <class data_T, class res_T, typename CONFIG_T>
void batchnorm(const data_T data[CONFIG_T::n_in], res_T res[CONFIG_T::n_in],
               const typename CONFIG_T::scale_t scale[CONFIG_T::n_filt],
               const typename CONFIG_T::bias_t bias[CONFIG_T::n_filt]) {
NNFPGA_PRAGMA(HLS INLINE)
NNFPGA_LABEL(Elements)
    for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
NNFPGA_PRAGMA(HLS UNROLL)
        const unsigned c = i % CONFIG_T::n_filt;
        res[i] = (res_T)(data[i] * scale[c] + bias[c]);
    }
}

}  // namespace nnfpga_hls

#endif
