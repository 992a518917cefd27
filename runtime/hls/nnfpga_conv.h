// Convolutions (plain, depthwise, transposed as a window over a dilated input), channels-last. Numerics as
// Dense (docs/semantics.md): per output pixel, each product converted to accum_t, added in accum_t in increasing
// (tap, channel) order after the bias, one conversion to the result. Taps on padding or inserted zeros add
// nothing, so skipping them (io_parallel Latency) or multiplying zeros (elsewhere) gives the same result.
// Latency: one dense per output pixel, fully unrolled, zero weights skipped (nonzero = 1). Resource: the
// im2col vector of a pixel goes through a reuse loop of reuse_factor steps (the Dense resource scheme).
// CONFIG_T: the window fields (nnfpga_window.h), n_filt, depth_multiplier (0: plain), n_weights, reuse_factor,
// strategy (0 latency, 1 resource), nonzero, ternary, the types accum_t, weight_t, bias_t, and the product policy
// `product` (nnfpga_common.h): mult_product, the multiplier-free sign_product for weights in {-1, 0, +1}, or
// xnor_product for one-bit weights on a binary activation's -1/+1.
// Weights: plain [tap][chan][filt] (tap = i * kw + j); depthwise [tap][filt], filter f reading channel f / dm.
#ifndef NNFPGA_HLS_CONV_H_
#define NNFPGA_HLS_CONV_H_

#include "nnfpga_common.h"
#include "nnfpga_window.h"

namespace nnfpga_hls {

template <typename CONFIG_T>
struct conv_shape {
    static const unsigned taps = window<CONFIG_T>::taps;
    static const unsigned n_col = taps * CONFIG_T::n_chan;  // im2col vector length
    static const unsigned dm = CONFIG_T::depth_multiplier > 0 ? CONFIG_T::depth_multiplier : 1;
    static const bool depthwise = CONFIG_T::depth_multiplier > 0;
    // Products per output pixel: the dense over the im2col vector, or taps x filters (depthwise).
    static const unsigned n_rows = depthwise ? taps : n_col;
    static const unsigned n_products = n_rows * CONFIG_T::n_filt;
};

// Product k of row r (the weight index r * n_filt + f): the im2col value it multiplies.
template <class data_T, typename CONFIG_T>
data_T conv_operand(const data_T col[conv_shape<CONFIG_T>::n_col], unsigned r, unsigned f) {
NNFPGA_PRAGMA(HLS INLINE)
    typedef conv_shape<CONFIG_T> S;
    return S::depthwise ? col[r * CONFIG_T::n_chan + f / S::dm] : col[r];
}

// One output pixel from its im2col vector, all products in parallel.
template <class data_T, class res_T, typename CONFIG_T>
void conv_pixel_latency(const data_T col[conv_shape<CONFIG_T>::n_col], res_T res[CONFIG_T::n_filt],
                        const typename CONFIG_T::weight_t weights[CONFIG_T::n_weights],
                        const typename CONFIG_T::bias_t biases[CONFIG_T::n_filt]) {
NNFPGA_PRAGMA(HLS INLINE)
    typedef conv_shape<CONFIG_T> S;
    typename CONFIG_T::accum_t acc[CONFIG_T::n_filt];
NNFPGA_PRAGMA(HLS ARRAY_PARTITION variable = acc complete)
    for (unsigned f = 0; f < CONFIG_T::n_filt; f++) {
NNFPGA_PRAGMA(HLS UNROLL)
        acc[f] = (typename CONFIG_T::accum_t)biases[f];
    }
NNFPGA_LABEL(Product)
    for (unsigned r = 0; r < S::n_rows; r++) {
NNFPGA_PRAGMA(HLS UNROLL)
        for (unsigned f = 0; f < CONFIG_T::n_filt; f++) {
NNFPGA_PRAGMA(HLS UNROLL)
            CONFIG_T::product::add(acc[f], conv_operand<data_T, CONFIG_T>(col, r, f), weights[r * CONFIG_T::n_filt + f]);
        }
    }
    for (unsigned f = 0; f < CONFIG_T::n_filt; f++) {
NNFPGA_PRAGMA(HLS UNROLL)
        res[f] = (res_T)acc[f];
    }
}

// One output pixel in reuse_factor steps of n_products / reuse_factor products, in weight order (so each
// filter's additions keep Latency's order). Valid reuse factors: as Dense with n_in = n_rows, n_out = n_filt.
template <class data_T, class res_T, typename CONFIG_T>
void conv_pixel_resource(const data_T col[conv_shape<CONFIG_T>::n_col], res_T res[CONFIG_T::n_filt],
                         const typename CONFIG_T::weight_t weights[CONFIG_T::n_weights],
                         const typename CONFIG_T::bias_t biases[CONFIG_T::n_filt]) {
NNFPGA_PRAGMA(HLS INLINE)
    typedef conv_shape<CONFIG_T> S;
    const unsigned block = S::n_products / CONFIG_T::reuse_factor;
    typename CONFIG_T::accum_t acc[CONFIG_T::n_filt];
NNFPGA_PRAGMA(HLS ARRAY_PARTITION variable = acc complete)
NNFPGA_PRAGMA(HLS ARRAY_RESHAPE variable = weights block factor = block)
    for (unsigned f = 0; f < CONFIG_T::n_filt; f++) {
NNFPGA_PRAGMA(HLS UNROLL)
        acc[f] = (typename CONFIG_T::accum_t)biases[f];
    }
NNFPGA_LABEL(Reuse)
    for (unsigned step = 0; step < CONFIG_T::reuse_factor; step++) {
NNFPGA_PRAGMA(HLS PIPELINE II = 1 rewind)
    NNFPGA_LABEL(Block)
        for (unsigned k = 0; k < block; k++) {
NNFPGA_PRAGMA(HLS UNROLL)
            const unsigned idx = step * block + k;
            const unsigned r = idx / CONFIG_T::n_filt;
            const unsigned f = idx % CONFIG_T::n_filt;
            CONFIG_T::product::add(acc[f], conv_operand<data_T, CONFIG_T>(col, r, f), weights[idx]);
        }
    }
    for (unsigned f = 0; f < CONFIG_T::n_filt; f++) {
NNFPGA_PRAGMA(HLS UNROLL)
        res[f] = (res_T)acc[f];
    }
}

template <class data_T, class res_T, typename CONFIG_T>
void conv_pixel(const data_T col[conv_shape<CONFIG_T>::n_col], res_T res[CONFIG_T::n_filt],
                const typename CONFIG_T::weight_t weights[CONFIG_T::n_weights],
                const typename CONFIG_T::bias_t biases[CONFIG_T::n_filt]) {
NNFPGA_PRAGMA(HLS INLINE)
    if (CONFIG_T::strategy == 0) {
        conv_pixel_latency<data_T, res_T, CONFIG_T>(col, res, weights, biases);
    } else {
        conv_pixel_resource<data_T, res_T, CONFIG_T>(col, res, weights, biases);
    }
}

// ---- io_parallel ----------------------------------------------------------------------------------------

// Fully unrolled: only the taps on real input pixels and the nonzero weights get a multiplier (or, with
// sign_product, an adder).
template <class data_T, class res_T, typename CONFIG_T>
void conv_latency(const data_T data[CONFIG_T::in_h * CONFIG_T::in_w * CONFIG_T::n_chan],
                  res_T res[CONFIG_T::out_h * CONFIG_T::out_w * CONFIG_T::n_filt],
                  const typename CONFIG_T::weight_t weights[CONFIG_T::n_weights],
                  const typename CONFIG_T::bias_t biases[CONFIG_T::n_filt]) {
NNFPGA_PRAGMA(HLS INLINE)
    typedef conv_shape<CONFIG_T> S;
NNFPGA_LABEL(Pixels)
    for (unsigned oh = 0; oh < CONFIG_T::out_h; oh++) {
NNFPGA_PRAGMA(HLS UNROLL)
        for (unsigned ow = 0; ow < CONFIG_T::out_w; ow++) {
NNFPGA_PRAGMA(HLS UNROLL)
            typename CONFIG_T::accum_t acc[CONFIG_T::n_filt];
NNFPGA_PRAGMA(HLS ARRAY_PARTITION variable = acc complete)
            for (unsigned f = 0; f < CONFIG_T::n_filt; f++) {
NNFPGA_PRAGMA(HLS UNROLL)
                acc[f] = (typename CONFIG_T::accum_t)biases[f];
            }
        NNFPGA_LABEL(Taps)
            for (unsigned t = 0; t < S::taps; t++) {
NNFPGA_PRAGMA(HLS UNROLL)
                unsigned h = 0, w = 0;
                if (!window<CONFIG_T>::source(oh, ow, t / CONFIG_T::kw, t % CONFIG_T::kw, h, w)) continue;
                const unsigned base = (h * CONFIG_T::in_w + w) * CONFIG_T::n_chan;
                for (unsigned c = 0; c < CONFIG_T::n_chan; c++) {
NNFPGA_PRAGMA(HLS UNROLL)
                    for (unsigned f = 0; f < CONFIG_T::n_filt; f++) {
NNFPGA_PRAGMA(HLS UNROLL)
                        if (S::depthwise && f / S::dm != c) continue;
                        const unsigned widx = S::depthwise ? t * CONFIG_T::n_filt + f
                                                           : (t * CONFIG_T::n_chan + c) * CONFIG_T::n_filt + f;
                        CONFIG_T::product::add(acc[f], data[base + c], weights[widx]);
                    }
                }
            }
            for (unsigned f = 0; f < CONFIG_T::n_filt; f++) {
NNFPGA_PRAGMA(HLS UNROLL)
                res[(oh * CONFIG_T::out_w + ow) * CONFIG_T::n_filt + f] = (res_T)acc[f];
            }
        }
    }
}

// One output pixel after the other, each through the reuse loop.
template <class data_T, class res_T, typename CONFIG_T>
void conv_resource(const data_T data[CONFIG_T::in_h * CONFIG_T::in_w * CONFIG_T::n_chan],
                   res_T res[CONFIG_T::out_h * CONFIG_T::out_w * CONFIG_T::n_filt],
                   const typename CONFIG_T::weight_t weights[CONFIG_T::n_weights],
                   const typename CONFIG_T::bias_t biases[CONFIG_T::n_filt]) {
NNFPGA_PRAGMA(HLS INLINE)
NNFPGA_LABEL(Pixels)
    for (unsigned p = 0; p < CONFIG_T::out_h * CONFIG_T::out_w; p++) {
        data_T col[conv_shape<CONFIG_T>::n_col];
NNFPGA_PRAGMA(HLS ARRAY_PARTITION variable = col complete)
        window_gather<data_T, CONFIG_T>(data, p / CONFIG_T::out_w, p % CONFIG_T::out_w, col);
        res_T y[CONFIG_T::n_filt];
NNFPGA_PRAGMA(HLS ARRAY_PARTITION variable = y complete)
        conv_pixel_resource<data_T, res_T, CONFIG_T>(col, y, weights, biases);
        for (unsigned f = 0; f < CONFIG_T::n_filt; f++) {
NNFPGA_PRAGMA(HLS UNROLL)
            res[p * CONFIG_T::n_filt + f] = y[f];
        }
    }
}

template <class data_T, class res_T, typename CONFIG_T>
void conv(const data_T data[CONFIG_T::in_h * CONFIG_T::in_w * CONFIG_T::n_chan],
          res_T res[CONFIG_T::out_h * CONFIG_T::out_w * CONFIG_T::n_filt],
          const typename CONFIG_T::weight_t weights[CONFIG_T::n_weights],
          const typename CONFIG_T::bias_t biases[CONFIG_T::n_filt]) {
NNFPGA_PRAGMA(HLS INLINE)
    if (CONFIG_T::strategy == 0) {
        conv_latency<data_T, res_T, CONFIG_T>(data, res, weights, biases);
    } else {
        conv_resource<data_T, res_T, CONFIG_T>(data, res, weights, biases);
    }
}

// ---- io_stream: one input pixel (or padding position) per step through the line buffer ------------------

template <class data_T, class res_T, typename CONFIG_T>
void conv_stream_step(hls::stream<array<data_T, CONFIG_T::n_chan> >& in,
                      hls::stream<array<res_T, CONFIG_T::n_filt> >& out, unsigned gh, unsigned gw,
                      data_T lines[window<CONFIG_T>::line_rows][window<CONFIG_T>::grid_w][CONFIG_T::n_chan],
                      data_T win[window<CONFIG_T>::span_h][window<CONFIG_T>::span_w][CONFIG_T::n_chan],
                      const typename CONFIG_T::weight_t weights[CONFIG_T::n_weights],
                      const typename CONFIG_T::bias_t biases[CONFIG_T::n_filt]) {
NNFPGA_PRAGMA(HLS INLINE)
    data_T px[CONFIG_T::n_chan];
NNFPGA_PRAGMA(HLS ARRAY_PARTITION variable = px complete)
    window_read<data_T, CONFIG_T>(in, gh, gw, px);
    window_shift<data_T, CONFIG_T>(lines, win, gw, px);
    unsigned oh = 0, ow = 0;
    if (window<CONFIG_T>::completes(gh, gw, oh, ow)) {
        data_T col[conv_shape<CONFIG_T>::n_col];
NNFPGA_PRAGMA(HLS ARRAY_PARTITION variable = col complete)
        window_taps<data_T, CONFIG_T>(win, col);
        array<res_T, CONFIG_T::n_filt> y;
        conv_pixel<data_T, res_T, CONFIG_T>(col, y.data, weights, biases);
        out.write(y);
    }
}

// Reads in_h * in_w pixels, writes out_h * out_w pixels per sample. Latency: one grid position per
// reuse_factor cycles; Resource: each output pixel takes the reuse loop's reuse_factor steps.
template <class data_T, class res_T, typename CONFIG_T>
void conv_stream(hls::stream<array<data_T, CONFIG_T::n_chan> >& in, hls::stream<array<res_T, CONFIG_T::n_filt> >& out,
                 const typename CONFIG_T::weight_t weights[CONFIG_T::n_weights],
                 const typename CONFIG_T::bias_t biases[CONFIG_T::n_filt]) {
    typedef window<CONFIG_T> W;
    static data_T lines[W::line_rows][W::grid_w][CONFIG_T::n_chan];
    static data_T win[W::span_h][W::span_w][CONFIG_T::n_chan];
NNFPGA_PRAGMA(HLS ARRAY_PARTITION variable = lines complete dim = 1)
NNFPGA_PRAGMA(HLS ARRAY_PARTITION variable = lines complete dim = 3)
NNFPGA_PRAGMA(HLS ARRAY_PARTITION variable = win complete dim = 0)
    if (CONFIG_T::strategy == 0) {
    NNFPGA_LABEL(GridLatency)
        for (unsigned g = 0; g < W::grid_h * W::grid_w; g++) {
NNFPGA_PRAGMA(HLS PIPELINE II = CONFIG_T::reuse_factor)
            conv_stream_step<data_T, res_T, CONFIG_T>(in, out, g / W::grid_w, g % W::grid_w, lines, win, weights,
                                                      biases);
        }
    } else {
    NNFPGA_LABEL(GridResource)
        for (unsigned g = 0; g < W::grid_h * W::grid_w; g++) {
            conv_stream_step<data_T, res_T, CONFIG_T>(in, out, g / W::grid_w, g % W::grid_w, lines, win, weights,
                                                      biases);
        }
    }
}

}  // namespace nnfpga_hls

#endif
