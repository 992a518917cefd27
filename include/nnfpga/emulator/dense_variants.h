// Multiplier-free forms of a Dense layer and XNOR convolutions (docs/semantics.md, "Binary and ternary dense and
// convolutions"), decided once from the quantized weights and the input's producer, so that the emulator and the
// HLS backend choose alike. Every form computes exactly the Dense (Conv) rule of the semantics, except Po2Shift,
// which is hls4ml's product; they differ only in how hardware (and the emulator) gets there.
#pragma once

#include "nnfpga/ir/graph.h"

namespace nnfpga {

enum class DenseProduct {
    Multiply,       // x * w
    BinaryWeight,   // every weight is +1 or -1: w ? x : -x
    TernaryWeight,  // every weight is -1, 0 or +1: add, subtract or skip
    Xnor,           // binary weights and an input that is +1 or -1 (a Binary activation): popcount(x XNOR w)
    Po2Shift,       // power-of-two weights with hls4ml's truncating shift product (DenseAttrs::po2.type)
};

// Po2Shift is chosen whenever the node has a po2 product type (it changes the numerics; the others do not).
// Xnor additionally needs an accumulator in which every product (±1) and every partial sum is exact: a signed
// type with at least 2 integer bits and no negative fractional bits, WRAP (modular sums) or a range holding
// |bias| + n_in. `n` must be a Dense node.
DenseProduct denseProduct(const Graph& g, const Node& n);
const char* toString(DenseProduct p);

// Whether a convolution (ConvAttrs node) multiplies binary weights (every weight +1 or -1) with an input that
// holds only +1 and -1 (a Binary activation's output; padding taps add nothing): XNOR products, the HLS
// backend's xnor_product. The emulator sums them by popcount when accum_t also holds every partial sum exactly
// (as for Dense's Xnor).
bool convXnor(const Graph& g, const Node& n);

}  // namespace nnfpga
