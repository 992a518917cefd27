// Attribute structs of the spatial families: convolutions (plain, depthwise, transposed), pooling, and the
// layout layers (padding/cropping, upsampling, transpose). Tensors are channels-last: a 1D tensor is [W, C], a 2D
// one [H, W, C]. Every spatial op works on a Window, which treats 1D as 2D with H = 1.
#pragma once

#include <vector>

#include "nnfpga/ir/ops/core_ops.h"

namespace nnfpga {

// The geometry of a sliding window over an [inH, inW, C] input. The input is conceptually
//   1. dilated: (inDil - 1) zeros inserted between neighbouring input pixels (a transposed convolution),
//   2. padded: padTop/padBottom rows and padLeft/padRight columns of padding,
// then the window of kh x kw taps spaced dh/dw apart slides with strides sh/sw. Output pixel (oh, ow), tap
// (i, j) reads dilated-padded position (oh*sh + i*dh - padTop, ow*sw + j*dw - padLeft); it is a real input
// pixel only if that position is >= 0, divisible by inDil and its quotient < inH (same for w).
struct Window {
    int rank = 2;  // 1 or 2 (for rank 1: inH = outH = kh = sh = dh = inDilH = 1, no top/bottom padding)
    int inH = 1, inW = 1, outH = 1, outW = 1;
    int kh = 1, kw = 1;
    int sh = 1, sw = 1;
    int dh = 1, dw = 1;
    int padTop = 0, padBottom = 0, padLeft = 0, padRight = 0;
    int inDilH = 1, inDilW = 1;

    // outH/outW from the other fields (floor of the last full window position).
    void computeOutput();
    // The input pixel (h, w) read by output (oh, ow), tap (i, j); false for padding and inserted zeros.
    bool source(int oh, int ow, int i, int j, int& h, int& w) const;
    // Shape of a tensor of this window's input/output with `c` channels ([W, C] for rank 1, [H, W, C] for rank 2).
    Shape inShape(int c) const;
    Shape outShape(int c) const;
};

// TensorFlow's 'same' padding for one dimension: total = max((ceil(in/s)-1)*s + (k-1)*d + 1 - in, 0), the
// extra pixel after (bottom/right).
void samePadding(int in, int k, int s, int d, int& before, int& after);

// Convolution. Plain: y[oh][ow][f] = bias[f] + sum_{i,j,c} x[src(i,j)][c] * kernel[((i*kw + j)*nChan + c)*nFilt + f]
// (Keras layout [kh][kw][chan][filt]). Depthwise (depthMultiplier > 0): nFilt = nChan * depthMultiplier and output
// channel c*depthMultiplier + m reads only input channel c: kernel[((i*kw + j)*nChan + c)*depthMultiplier + m].
// Numerics as Dense (hls4ml): each product cast to accum_t, summed in accum_t, one cast to the result.
struct ConvAttrs {
    Window win;
    int nChan = 0;
    int nFilt = 0;
    int depthMultiplier = 0;  // 0: plain convolution
    std::vector<double> kernel;
    std::vector<double> bias;  // empty: no bias
    FixedType weightT, biasT, accumT;
    Po2Product po2;  // as Dense
    bool depthwise() const { return depthMultiplier > 0; }
    int64_t kernelSize() const {
        return int64_t(win.kh) * win.kw * nChan * (depthwise() ? depthMultiplier : nFilt);
    }
};

enum class PoolOp { Max, Average };

// Pooling over a window, per channel. Max: the largest value (padding never wins). Average: exact sum of the
// real pixels in accum_t, divided (sdiv: truncation toward zero at accum_t's resolution) by their count
// (countPad false, Keras) or by kh*kw; then cast to the result. Global pooling is a window over the whole input
// whose output is the vector [C].
struct PoolAttrs {
    PoolOp op = PoolOp::Max;
    Window win;
    int nChan = 0;
    bool global = false;
    bool countPad = false;
    FixedType accumT;
};

// Zero padding (before/after > 0) and cropping (< 0) of the spatial axes: before[k]/after[k] apply to axis k of
// the input shape (the channel axis, last, is never padded).
struct PadAttrs {
    std::vector<int> before, after;
};

// Nearest-neighbour upsampling of the spatial axes: out[h][w][c] = in[h / factor[0]][w / factor[1]][c].
struct UpsampleAttrs {
    std::vector<int> factor;  // one per spatial axis
};

// out axis k = in axis perm[k] (0-based, over the sample's axes).
struct TransposeAttrs {
    std::vector<int> perm;
};

}  // namespace nnfpga
