// Layout layers, channels-last: zero padding and cropping, nearest-neighbour upsampling, transpose, and the
// io_stream repacking of a tensor into another pixel size (Reshape/Flatten). Values are only moved (and
// converted to the result type); padding is zero.
// Pad CONFIG_T: in_h, in_w, n_chan, out_h, out_w, pad_top, pad_left (ints; negative crops).
// Upsample CONFIG_T: in_h, in_w, n_chan, fh, fw. Transpose CONFIG_T: n_elem, d0..d3 (output dims, leading
// ones for lower ranks), s0..s3 (the input stride of each output axis), in_pixel, out_pixel (io_stream).
// Repack CONFIG_T: n_elem, in_pixel, out_pixel.
#ifndef NNFPGA_HLS_LAYOUT_H_
#define NNFPGA_HLS_LAYOUT_H_

#include "nnfpga_common.h"

namespace nnfpga_hls {

// ---- padding and cropping -----------------------------------------------------------------------------

template <class data_T, class res_T, typename CONFIG_T>
void pad(const data_T data[CONFIG_T::in_h * CONFIG_T::in_w * CONFIG_T::n_chan],
         res_T res[CONFIG_T::out_h * CONFIG_T::out_w * CONFIG_T::n_chan]) {
NNFPGA_PRAGMA(HLS INLINE)
NNFPGA_LABEL(Pixels)
    for (unsigned oh = 0; oh < CONFIG_T::out_h; oh++) {
NNFPGA_PRAGMA(HLS UNROLL)
        for (unsigned ow = 0; ow < CONFIG_T::out_w; ow++) {
NNFPGA_PRAGMA(HLS UNROLL)
            const int h = int(oh) - CONFIG_T::pad_top, w = int(ow) - CONFIG_T::pad_left;
            const bool real = h >= 0 && h < int(CONFIG_T::in_h) && w >= 0 && w < int(CONFIG_T::in_w);
            for (unsigned c = 0; c < CONFIG_T::n_chan; c++) {
NNFPGA_PRAGMA(HLS UNROLL)
                res[(oh * CONFIG_T::out_w + ow) * CONFIG_T::n_chan + c] =
                    real ? (res_T)data[(unsigned(h) * CONFIG_T::in_w + unsigned(w)) * CONFIG_T::n_chan + c] : (res_T)0;
            }
        }
    }
}

// One axis of padding/cropping seen as a common grid: input index i sits at grid i + in_off, output index o at
// grid o + out_off; the grid covers both.
template <unsigned IN, unsigned OUT, int BEFORE>
struct pad_axis {
    static const unsigned in_off = BEFORE > 0 ? unsigned(BEFORE) : 0;
    static const unsigned out_off = BEFORE < 0 ? unsigned(-BEFORE) : 0;
    static const unsigned size = in_off + IN > out_off + OUT ? in_off + IN : out_off + OUT;
    static bool in(unsigned g) { return g - in_off < IN; }  // unsigned: false below in_off too
    static bool out(unsigned g) { return g - out_off < OUT; }
};

// Walks the grid in raster order: reads where the input lies, writes where the output lies (zeros where only
// the output does), so cropped pixels are read and dropped.
template <class data_T, class res_T, typename CONFIG_T>
void pad_stream(hls::stream<array<data_T, CONFIG_T::n_chan> >& in, hls::stream<array<res_T, CONFIG_T::n_chan> >& out) {
    typedef pad_axis<CONFIG_T::in_h, CONFIG_T::out_h, CONFIG_T::pad_top> AH;
    typedef pad_axis<CONFIG_T::in_w, CONFIG_T::out_w, CONFIG_T::pad_left> AW;
NNFPGA_LABEL(Grid)
    for (unsigned g = 0; g < AH::size * AW::size; g++) {
NNFPGA_PRAGMA(HLS PIPELINE II = 1)
        const unsigned gh = g / AW::size, gw = g % AW::size;
        array<data_T, CONFIG_T::n_chan> x;
        const bool real = AH::in(gh) && AW::in(gw);
        if (real) {
            x = in.read();
        } else {
            for (unsigned c = 0; c < CONFIG_T::n_chan; c++) {
NNFPGA_PRAGMA(HLS UNROLL)
                x[c] = 0;
            }
        }
        if (AH::out(gh) && AW::out(gw)) {
            array<res_T, CONFIG_T::n_chan> y;
            for (unsigned c = 0; c < CONFIG_T::n_chan; c++) {
NNFPGA_PRAGMA(HLS UNROLL)
                y[c] = (res_T)x[c];
            }
            out.write(y);
        }
    }
}

// ---- nearest-neighbour upsampling -------------------------------------------------------------------

template <class data_T, class res_T, typename CONFIG_T>
void upsample(const data_T data[CONFIG_T::in_h * CONFIG_T::in_w * CONFIG_T::n_chan],
              res_T res[CONFIG_T::in_h * CONFIG_T::fh * CONFIG_T::in_w * CONFIG_T::fw * CONFIG_T::n_chan]) {
NNFPGA_PRAGMA(HLS INLINE)
    const unsigned out_w = CONFIG_T::in_w * CONFIG_T::fw;
NNFPGA_LABEL(Pixels)
    for (unsigned oh = 0; oh < CONFIG_T::in_h * CONFIG_T::fh; oh++) {
NNFPGA_PRAGMA(HLS UNROLL)
        for (unsigned ow = 0; ow < out_w; ow++) {
NNFPGA_PRAGMA(HLS UNROLL)
            for (unsigned c = 0; c < CONFIG_T::n_chan; c++) {
NNFPGA_PRAGMA(HLS UNROLL)
                res[(oh * out_w + ow) * CONFIG_T::n_chan + c] =
                    (res_T)data[((oh / CONFIG_T::fh) * CONFIG_T::in_w + ow / CONFIG_T::fw) * CONFIG_T::n_chan + c];
            }
        }
    }
}

// Each input row is kept in a row buffer while it is written fh times, each pixel fw times.
template <class data_T, class res_T, typename CONFIG_T>
void upsample_stream(hls::stream<array<data_T, CONFIG_T::n_chan> >& in,
                     hls::stream<array<res_T, CONFIG_T::n_chan> >& out) {
    static array<data_T, CONFIG_T::n_chan> row[CONFIG_T::in_w];
NNFPGA_PRAGMA(HLS ARRAY_PARTITION variable = row complete dim = 0)
    const unsigned out_w = CONFIG_T::in_w * CONFIG_T::fw;
NNFPGA_LABEL(Pixels)
    for (unsigned q = 0; q < CONFIG_T::in_h * CONFIG_T::fh * out_w; q++) {
NNFPGA_PRAGMA(HLS PIPELINE II = 1)
        const unsigned r = (q / out_w) % CONFIG_T::fh, ow = q % out_w;
        if (r == 0 && ow % CONFIG_T::fw == 0) row[ow / CONFIG_T::fw] = in.read();
        array<res_T, CONFIG_T::n_chan> y;
        for (unsigned c = 0; c < CONFIG_T::n_chan; c++) {
NNFPGA_PRAGMA(HLS UNROLL)
            y[c] = (res_T)row[ow / CONFIG_T::fw][c];
        }
        out.write(y);
    }
}

// ---- transpose ---------------------------------------------------------------------------------------

// The input index of output element o (output dims d0..d3 in C order).
template <typename CONFIG_T>
unsigned transpose_source(unsigned o) {
NNFPGA_PRAGMA(HLS INLINE)
    const unsigned i3 = o % CONFIG_T::d3, i2 = (o / CONFIG_T::d3) % CONFIG_T::d2;
    const unsigned i1 = (o / (CONFIG_T::d3 * CONFIG_T::d2)) % CONFIG_T::d1;
    const unsigned i0 = (o / (CONFIG_T::d3 * CONFIG_T::d2 * CONFIG_T::d1)) % CONFIG_T::d0;
    return i0 * CONFIG_T::s0 + i1 * CONFIG_T::s1 + i2 * CONFIG_T::s2 + i3 * CONFIG_T::s3;
}

template <class data_T, class res_T, typename CONFIG_T>
void transpose(const data_T data[CONFIG_T::n_elem], res_T res[CONFIG_T::n_elem]) {
NNFPGA_PRAGMA(HLS INLINE)
NNFPGA_LABEL(Elements)
    for (unsigned o = 0; o < CONFIG_T::n_elem; o++) {
NNFPGA_PRAGMA(HLS UNROLL)
        res[o] = (res_T)data[transpose_source<CONFIG_T>(o)];
    }
}

// Output position o reads input position Source::at(o): the transposition, or the identity for a repack.
template <typename CONFIG_T>
struct transpose_order {
    static unsigned at(unsigned o) { return transpose_source<CONFIG_T>(o); }
};
struct same_order {
    static unsigned at(unsigned o) { return o; }
};

// Buffers the whole input (in_pixel values per read), then writes it (out_pixel values per write) in the order
// Source gives.
template <class data_T, class res_T, typename CONFIG_T, class Source>
void reorder_stream(hls::stream<array<data_T, CONFIG_T::in_pixel> >& in,
                    hls::stream<array<res_T, CONFIG_T::out_pixel> >& out) {
    static data_T buf[CONFIG_T::n_elem];
NNFPGA_PRAGMA(HLS ARRAY_PARTITION variable = buf complete)
NNFPGA_LABEL(Read)
    for (unsigned p = 0; p < CONFIG_T::n_elem / CONFIG_T::in_pixel; p++) {
NNFPGA_PRAGMA(HLS PIPELINE II = 1)
        const array<data_T, CONFIG_T::in_pixel> x = in.read();
        for (unsigned c = 0; c < CONFIG_T::in_pixel; c++) {
NNFPGA_PRAGMA(HLS UNROLL)
            buf[p * CONFIG_T::in_pixel + c] = x[c];
        }
    }
NNFPGA_LABEL(Write)
    for (unsigned p = 0; p < CONFIG_T::n_elem / CONFIG_T::out_pixel; p++) {
NNFPGA_PRAGMA(HLS PIPELINE II = 1)
        array<res_T, CONFIG_T::out_pixel> y;
        for (unsigned c = 0; c < CONFIG_T::out_pixel; c++) {
NNFPGA_PRAGMA(HLS UNROLL)
            y[c] = (res_T)buf[Source::at(p * CONFIG_T::out_pixel + c)];
        }
        out.write(y);
    }
}

template <class data_T, class res_T, typename CONFIG_T>
void transpose_stream(hls::stream<array<data_T, CONFIG_T::in_pixel> >& in,
                      hls::stream<array<res_T, CONFIG_T::out_pixel> >& out) {
NNFPGA_PRAGMA(HLS INLINE)
    reorder_stream<data_T, res_T, CONFIG_T, transpose_order<CONFIG_T> >(in, out);
}

// ---- io_stream repacking (Reshape, Flatten: the values keep their order) ------------------------------

template <class data_T, class res_T, typename CONFIG_T>
void repack_stream(hls::stream<array<data_T, CONFIG_T::in_pixel> >& in,
                   hls::stream<array<res_T, CONFIG_T::out_pixel> >& out) {
NNFPGA_PRAGMA(HLS INLINE)
    reorder_stream<data_T, res_T, CONFIG_T, same_order>(in, out);
}

}  // namespace nnfpga_hls

#endif
