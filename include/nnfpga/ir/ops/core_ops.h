// Attribute structs of the core layer families: Input, Dense, BatchNorm, Reshape (Flatten, Reshape, Dropout).
// Weights are kept as the framework's float values; the types say how they are quantized (docs/semantics.md).
#pragma once

#include <vector>

#include "nnfpga/fixed/fixed_type.h"

namespace nnfpga {

using Shape = std::vector<int>;  // one sample, channels-last, no batch dimension

struct InputAttrs {};

// y[j] = bias[j] + sum_i x[i] * kernel[i*nOut + j]  (Keras kernel (nIn, nOut) in C order)
struct DenseAttrs {
    int nIn = 0;
    int nOut = 0;
    std::vector<double> kernel;
    std::vector<double> bias;  // empty: no bias (hls4ml: ap_uint<1> zeros)
    FixedType weightT, biasT, accumT;
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
