// Pooling, per channel, over the window taps on real input pixels (docs/semantics.md): Max takes the largest
// input value (padding never wins), converted to accum_t and then to the result (hls4ml's pool_op); Average adds the values in accum_t, one tap after the other, then divides
// the raw sum by the count (sdiv: truncation toward zero at accum_t's resolution), the count being the real taps
// (count_pad = 0, Keras) or kh * kw; one conversion to the result. Global pooling reduces the whole input to [C].
// CONFIG_T: the window fields (nnfpga_window.h), op (0 max, 1 average), count_pad, accum_t.
#ifndef NNFPGA_HLS_POOL_H_
#define NNFPGA_HLS_POOL_H_

#include "nnfpga_common.h"
#include "nnfpga_window.h"

namespace nnfpga_hls {

// sum / n, truncated toward zero (ap_fixed division by an integer keeps the dividend's fractional bits); a
// window without real pixels divides by 1.
template <class accum_T>
accum_T pool_divide(const accum_T& sum, unsigned n) {
NNFPGA_PRAGMA(HLS INLINE)
    return (accum_T)(sum / int(n > 0 ? n : 1));
}

// The most negative value of T (only the sign bit set; 0 for an unsigned type): what padding would hold.
template <class T>
T lowest() {
NNFPGA_PRAGMA(HLS INLINE)
    T m = 0;
    m[T::width - 1] = 1;
    if (!(m < 0)) m = 0;
    return m;
}

// One output pixel (oh, ow) from its im2col vector (zeros at padding).
template <class data_T, class res_T, typename CONFIG_T>
void pool_pixel(const data_T col[window<CONFIG_T>::taps * CONFIG_T::n_chan], unsigned oh, unsigned ow,
                res_T res[CONFIG_T::n_chan]) {
NNFPGA_PRAGMA(HLS INLINE)
    typedef window<CONFIG_T> W;
    bool real[W::taps];
NNFPGA_PRAGMA(HLS ARRAY_PARTITION variable = real complete)
    unsigned count = 0;
    for (unsigned t = 0; t < W::taps; t++) {
NNFPGA_PRAGMA(HLS UNROLL)
        unsigned h = 0, w = 0;
        real[t] = W::source(oh, ow, t / CONFIG_T::kw, t % CONFIG_T::kw, h, w);
        count += real[t] ? 1 : 0;
    }
NNFPGA_LABEL(Channels)
    for (unsigned c = 0; c < CONFIG_T::n_chan; c++) {
NNFPGA_PRAGMA(HLS UNROLL)
        if (CONFIG_T::op == 0) {
            data_T best = lowest<data_T>();
            for (unsigned t = 0; t < W::taps; t++) {
NNFPGA_PRAGMA(HLS UNROLL)
                const data_T x = col[t * CONFIG_T::n_chan + c];
                if (real[t] && x > best) best = x;
            }
            res[c] = (res_T)(typename CONFIG_T::accum_t)best;
        } else {
            typename CONFIG_T::accum_t sum = 0;
            for (unsigned t = 0; t < W::taps; t++) {
NNFPGA_PRAGMA(HLS UNROLL)
                if (real[t]) sum += col[t * CONFIG_T::n_chan + c];
            }
            res[c] = (res_T)pool_divide(sum, CONFIG_T::count_pad ? W::taps : count);
        }
    }
}

// ---- io_parallel ----------------------------------------------------------------------------------------

template <class data_T, class res_T, typename CONFIG_T>
void pool(const data_T data[CONFIG_T::in_h * CONFIG_T::in_w * CONFIG_T::n_chan],
          res_T res[CONFIG_T::out_h * CONFIG_T::out_w * CONFIG_T::n_chan]) {
NNFPGA_PRAGMA(HLS INLINE)
NNFPGA_LABEL(Pixels)
    for (unsigned p = 0; p < CONFIG_T::out_h * CONFIG_T::out_w; p++) {
NNFPGA_PRAGMA(HLS UNROLL)
        data_T col[window<CONFIG_T>::taps * CONFIG_T::n_chan];
NNFPGA_PRAGMA(HLS ARRAY_PARTITION variable = col complete)
        window_gather<data_T, CONFIG_T>(data, p / CONFIG_T::out_w, p % CONFIG_T::out_w, col);
        res_T y[CONFIG_T::n_chan];
NNFPGA_PRAGMA(HLS ARRAY_PARTITION variable = y complete)
        pool_pixel<data_T, res_T, CONFIG_T>(col, p / CONFIG_T::out_w, p % CONFIG_T::out_w, y);
        for (unsigned c = 0; c < CONFIG_T::n_chan; c++) {
NNFPGA_PRAGMA(HLS UNROLL)
            res[p * CONFIG_T::n_chan + c] = y[c];
        }
    }
}

// Global pooling: the values of one channel in input order (in_h * in_w of them, no padding).
template <class data_T, class res_T, typename CONFIG_T>
void global_pool(const data_T data[CONFIG_T::in_h * CONFIG_T::in_w * CONFIG_T::n_chan], res_T res[CONFIG_T::n_chan]) {
NNFPGA_PRAGMA(HLS INLINE)
    const unsigned n = CONFIG_T::in_h * CONFIG_T::in_w;
NNFPGA_LABEL(Channels)
    for (unsigned c = 0; c < CONFIG_T::n_chan; c++) {
NNFPGA_PRAGMA(HLS UNROLL)
        if (CONFIG_T::op == 0) {
            data_T best = data[c];
            for (unsigned p = 1; p < n; p++) {
NNFPGA_PRAGMA(HLS UNROLL)
                if (data[p * CONFIG_T::n_chan + c] > best) best = data[p * CONFIG_T::n_chan + c];
            }
            res[c] = (res_T)(typename CONFIG_T::accum_t)best;
        } else {
            typename CONFIG_T::accum_t sum = 0;
            for (unsigned p = 0; p < n; p++) {
NNFPGA_PRAGMA(HLS UNROLL)
                sum += data[p * CONFIG_T::n_chan + c];
            }
            res[c] = (res_T)pool_divide(sum, n);
        }
    }
}

// ---- io_stream ------------------------------------------------------------------------------------------

// Reads in_h * in_w pixels, writes out_h * out_w pixels per sample, one grid position per cycle.
template <class data_T, class res_T, typename CONFIG_T>
void pool_stream(hls::stream<array<data_T, CONFIG_T::n_chan> >& in, hls::stream<array<res_T, CONFIG_T::n_chan> >& out) {
    typedef window<CONFIG_T> W;
    static data_T lines[W::line_rows][W::grid_w][CONFIG_T::n_chan];
    static data_T win[W::span_h][W::span_w][CONFIG_T::n_chan];
NNFPGA_PRAGMA(HLS ARRAY_PARTITION variable = lines complete dim = 1)
NNFPGA_PRAGMA(HLS ARRAY_PARTITION variable = lines complete dim = 3)
NNFPGA_PRAGMA(HLS ARRAY_PARTITION variable = win complete dim = 0)
NNFPGA_LABEL(Grid)
    for (unsigned g = 0; g < W::grid_h * W::grid_w; g++) {
NNFPGA_PRAGMA(HLS PIPELINE II = 1)
        const unsigned gh = g / W::grid_w, gw = g % W::grid_w;
        data_T px[CONFIG_T::n_chan];
NNFPGA_PRAGMA(HLS ARRAY_PARTITION variable = px complete)
        window_read<data_T, CONFIG_T>(in, gh, gw, px);
        window_shift<data_T, CONFIG_T>(lines, win, gw, px);
        unsigned oh = 0, ow = 0;
        if (W::completes(gh, gw, oh, ow)) {
            data_T col[W::taps * CONFIG_T::n_chan];
NNFPGA_PRAGMA(HLS ARRAY_PARTITION variable = col complete)
            window_taps<data_T, CONFIG_T>(win, col);
            array<res_T, CONFIG_T::n_chan> y;
            pool_pixel<data_T, res_T, CONFIG_T>(col, oh, ow, y.data);
            out.write(y);
        }
    }
}

// Reads in_h * in_w pixels, writes one vector of n_chan.
template <class data_T, class res_T, typename CONFIG_T>
void global_pool_stream(hls::stream<array<data_T, CONFIG_T::n_chan> >& in,
                        hls::stream<array<res_T, CONFIG_T::n_chan> >& out) {
    data_T best[CONFIG_T::n_chan];
    typename CONFIG_T::accum_t sum[CONFIG_T::n_chan];
NNFPGA_PRAGMA(HLS ARRAY_PARTITION variable = best complete)
NNFPGA_PRAGMA(HLS ARRAY_PARTITION variable = sum complete)
    for (unsigned c = 0; c < CONFIG_T::n_chan; c++) {
NNFPGA_PRAGMA(HLS UNROLL)
        best[c] = 0;
        sum[c] = 0;
    }
NNFPGA_LABEL(Pixels)
    for (unsigned p = 0; p < CONFIG_T::in_h * CONFIG_T::in_w; p++) {
NNFPGA_PRAGMA(HLS PIPELINE II = 1)
        const array<data_T, CONFIG_T::n_chan> x = in.read();
        for (unsigned c = 0; c < CONFIG_T::n_chan; c++) {
NNFPGA_PRAGMA(HLS UNROLL)
            if (p == 0 || x[c] > best[c]) best[c] = x[c];
            sum[c] += x[c];
        }
    }
    array<res_T, CONFIG_T::n_chan> y;
    for (unsigned c = 0; c < CONFIG_T::n_chan; c++) {
NNFPGA_PRAGMA(HLS UNROLL)
        y[c] = CONFIG_T::op == 0 ? (res_T)(typename CONFIG_T::accum_t)best[c]
                                 : (res_T)pool_divide(sum[c], CONFIG_T::in_h * CONFIG_T::in_w);
    }
    out.write(y);
}

}  // namespace nnfpga_hls

#endif
