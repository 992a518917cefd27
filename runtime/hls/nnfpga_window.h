// Sliding-window geometry shared by convolution and pooling (nnfpga::Window): the input is dilated (dil - 1
// zeros between neighbouring pixels), padded, and a kh x kw window of taps dh/dw apart slides over this "grid"
// with strides sh/sw. io_parallel reads the taps straight from the input array; io_stream keeps the last
// (kh - 1) * dh + 1 grid rows in a line buffer fed in raster order, so an output pixel leaves as soon as the
// grid position of its bottom-right tap has arrived.
// CONFIG_T: in_h, in_w, n_chan, out_h, out_w, kh, kw, sh, sw, dh, dw, pad_top, pad_bottom, pad_left, pad_right,
// dil_h, dil_w (a 1D window has in_h = out_h = kh = 1).
#ifndef NNFPGA_HLS_WINDOW_H_
#define NNFPGA_HLS_WINDOW_H_

#include "nnfpga_common.h"

namespace nnfpga_hls {

template <typename CONFIG_T>
struct window {
    static const unsigned span_h = (CONFIG_T::kh - 1) * CONFIG_T::dh + 1;  // grid rows one window covers
    static const unsigned span_w = (CONFIG_T::kw - 1) * CONFIG_T::dw + 1;
    static const unsigned grid_h = (CONFIG_T::in_h - 1) * CONFIG_T::dil_h + 1 + CONFIG_T::pad_top + CONFIG_T::pad_bottom;
    static const unsigned grid_w = (CONFIG_T::in_w - 1) * CONFIG_T::dil_w + 1 + CONFIG_T::pad_left + CONFIG_T::pad_right;
    static const unsigned taps = CONFIG_T::kh * CONFIG_T::kw;
    static const unsigned line_rows = span_h > 1 ? span_h - 1 : 1;  // rows kept besides the current one

    // Grid row g holds input row h (false: padding or an inserted zero row).
    static bool real_row(int g, unsigned& h) {
NNFPGA_PRAGMA(HLS INLINE)
        const int p = g - int(CONFIG_T::pad_top);
        if (p < 0 || p % int(CONFIG_T::dil_h) != 0) return false;
        h = unsigned(p) / CONFIG_T::dil_h;
        return h < CONFIG_T::in_h;
    }
    static bool real_col(int g, unsigned& w) {
NNFPGA_PRAGMA(HLS INLINE)
        const int p = g - int(CONFIG_T::pad_left);
        if (p < 0 || p % int(CONFIG_T::dil_w) != 0) return false;
        w = unsigned(p) / CONFIG_T::dil_w;
        return w < CONFIG_T::in_w;
    }
    // Output (oh, ow), tap (i, j) reads input pixel (h, w); false when the tap is on padding or an inserted zero.
    static bool source(unsigned oh, unsigned ow, unsigned i, unsigned j, unsigned& h, unsigned& w) {
NNFPGA_PRAGMA(HLS INLINE)
        const bool rh = real_row(int(oh * CONFIG_T::sh + i * CONFIG_T::dh), h);
        const bool rw = real_col(int(ow * CONFIG_T::sw + j * CONFIG_T::dw), w);
        return rh && rw;
    }
    // The grid position (gh, gw) completes the window of output (oh, ow).
    static bool completes(unsigned gh, unsigned gw, unsigned& oh, unsigned& ow) {
NNFPGA_PRAGMA(HLS INLINE)
        if (gh + 1 < span_h || gw + 1 < span_w) return false;
        const unsigned th = gh + 1 - span_h, tw = gw + 1 - span_w;
        if (th % CONFIG_T::sh != 0 || tw % CONFIG_T::sw != 0) return false;
        oh = th / CONFIG_T::sh;
        ow = tw / CONFIG_T::sw;
        return oh < CONFIG_T::out_h && ow < CONFIG_T::out_w;
    }
};

// io_parallel: the im2col vector of output (oh, ow), taps x channels, zeros where the tap reads no input pixel.
template <class data_T, typename CONFIG_T>
void window_gather(const data_T data[CONFIG_T::in_h * CONFIG_T::in_w * CONFIG_T::n_chan], unsigned oh, unsigned ow,
                   data_T col[window<CONFIG_T>::taps * CONFIG_T::n_chan]) {
NNFPGA_PRAGMA(HLS INLINE)
NNFPGA_LABEL(Taps)
    for (unsigned i = 0; i < CONFIG_T::kh; i++) {
NNFPGA_PRAGMA(HLS UNROLL)
        for (unsigned j = 0; j < CONFIG_T::kw; j++) {
NNFPGA_PRAGMA(HLS UNROLL)
            unsigned h = 0, w = 0;
            const bool real = window<CONFIG_T>::source(oh, ow, i, j, h, w);
            for (unsigned c = 0; c < CONFIG_T::n_chan; c++) {
NNFPGA_PRAGMA(HLS UNROLL)
                col[(i * CONFIG_T::kw + j) * CONFIG_T::n_chan + c] =
                    real ? data[(h * CONFIG_T::in_w + w) * CONFIG_T::n_chan + c] : data_T(0);
            }
        }
    }
}

// io_stream line buffer, two arrays that the stream functions keep as static state:
//   lines[r][gw][c]: grid row (current - line_rows + r) at column gw, the rows above the current one;
//   win[r][q][c]: the span_h x span_w grid positions ending at the current one, position
//                 (gh - span_h + 1 + r, gw - span_w + 1 + q),
// so tap (i, j) of the output completed at the current position is win[i * dh][j * dw].
// Reads the pixel of grid position (gh, gw) from the stream when it is a real input pixel, zeros otherwise.
template <class data_T, typename CONFIG_T>
void window_read(hls::stream<array<data_T, CONFIG_T::n_chan> >& in, unsigned gh, unsigned gw,
                 data_T px[CONFIG_T::n_chan]) {
NNFPGA_PRAGMA(HLS INLINE)
    unsigned h = 0, w = 0;
    const bool rh = window<CONFIG_T>::real_row(int(gh), h);
    const bool rw = window<CONFIG_T>::real_col(int(gw), w);
    if (rh && rw) {
        const array<data_T, CONFIG_T::n_chan> v = in.read();
        for (unsigned c = 0; c < CONFIG_T::n_chan; c++) {
NNFPGA_PRAGMA(HLS UNROLL)
            px[c] = v[c];
        }
    } else {
        for (unsigned c = 0; c < CONFIG_T::n_chan; c++) {
NNFPGA_PRAGMA(HLS UNROLL)
            px[c] = 0;
        }
    }
}

// Shifts the pixel of grid column gw (current row) into the line buffer and the window.
template <class data_T, typename CONFIG_T>
void window_shift(data_T lines[window<CONFIG_T>::line_rows][window<CONFIG_T>::grid_w][CONFIG_T::n_chan],
                  data_T win[window<CONFIG_T>::span_h][window<CONFIG_T>::span_w][CONFIG_T::n_chan], unsigned gw,
                  const data_T px[CONFIG_T::n_chan]) {
NNFPGA_PRAGMA(HLS INLINE)
    typedef window<CONFIG_T> W;
    data_T col[W::span_h][CONFIG_T::n_chan];
NNFPGA_PRAGMA(HLS ARRAY_PARTITION variable = col complete dim = 0)
    for (unsigned c = 0; c < CONFIG_T::n_chan; c++) {
NNFPGA_PRAGMA(HLS UNROLL)
        for (unsigned r = 0; r + 1 < W::span_h; r++) col[r][c] = lines[r][gw][c];
        col[W::span_h - 1][c] = px[c];
        for (unsigned r = 0; r + 1 < W::span_h; r++) lines[r][gw][c] = col[r + 1][c];
    }
NNFPGA_LABEL(ShiftWindow)
    for (unsigned r = 0; r < W::span_h; r++) {
NNFPGA_PRAGMA(HLS UNROLL)
        for (unsigned c = 0; c < CONFIG_T::n_chan; c++) {
NNFPGA_PRAGMA(HLS UNROLL)
            for (unsigned q = 0; q + 1 < W::span_w; q++) win[r][q][c] = win[r][q + 1][c];
            win[r][W::span_w - 1][c] = col[r][c];
        }
    }
}

// The im2col vector of the window that the current grid position completes.
template <class data_T, typename CONFIG_T>
void window_taps(const data_T win[window<CONFIG_T>::span_h][window<CONFIG_T>::span_w][CONFIG_T::n_chan],
                 data_T col[window<CONFIG_T>::taps * CONFIG_T::n_chan]) {
NNFPGA_PRAGMA(HLS INLINE)
    for (unsigned i = 0; i < CONFIG_T::kh; i++) {
NNFPGA_PRAGMA(HLS UNROLL)
        for (unsigned j = 0; j < CONFIG_T::kw; j++) {
NNFPGA_PRAGMA(HLS UNROLL)
            for (unsigned c = 0; c < CONFIG_T::n_chan; c++) {
NNFPGA_PRAGMA(HLS UNROLL)
                col[(i * CONFIG_T::kw + j) * CONFIG_T::n_chan + c] = win[i * CONFIG_T::dh][j * CONFIG_T::dw][c];
            }
        }
    }
}

}  // namespace nnfpga_hls

#endif
