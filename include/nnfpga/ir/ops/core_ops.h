// Attribute structs of the core layer families: Input, Dense, BatchNorm, Reshape (Flatten, Reshape, Dropout).
// Weights are kept as the framework's float values; the types say how they are quantized (docs/semantics.md).
#pragma once

#include <optional>
#include <vector>

#include "nnfpga/fixed/fixed_type.h"

namespace nnfpga {

using Shape = std::vector<int>;  // one sample, channels-last, no batch dimension

struct InputAttrs {};

// A power-of-two kernel (QKeras quantized_po2) and, opt-in (Model Po2Product: hls4ml), hls4ml's product for it
// (weight_exponential): x converted to `type`, shifted by the exponent there (the product's low bits dropped: a
// floor), negated there for a negative weight, then converted to accum_t. `type` = ap_fixed<2(E+Wx), E+Wx> with
// E = exponentBits and Wx the input's width (TRN, WRAP); unset: the exact product (docs/semantics.md, "Dense").
struct Po2Product {
    int exponentBits = 0;  // the quantizer's bits; 0: not a power-of-two kernel
    std::optional<FixedType> type;
};

// y[j] = bias[j] + sum_i x[i] * kernel[i*nOut + j]  (Keras kernel (nIn, nOut) in C order)
struct DenseAttrs {
    int nIn = 0;
    int nOut = 0;
    std::vector<double> kernel;
    std::vector<double> bias;  // empty: no bias (hls4ml: ap_uint<1> zeros)
    FixedType weightT, biasT, accumT;
    Po2Product po2;
};

// y[i] = x[i] * scale[k] + bias[k], k = i % nFilt: inference-time batch normalisation, or any per-channel affine.
struct BatchNormAttrs {
    int nFilt = 0;
    std::vector<double> scale;
    std::vector<double> bias;
    FixedType scaleT, biasT;
};

// A copy that only changes the shape (Flatten, Reshape). The output keeps the input's type.
struct ReshapeAttrs {
    Shape target;
};

}  // namespace nnfpga
