// Attribute structs of element-wise activations and softmax, with hls4ml's table parameters.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "nnfpga/fixed/fixed_type.h"

namespace nnfpga {

enum class ActKind {
    Linear,
    Relu,
    Sigmoid,
    Tanh,
    Elu,
    Selu,
    Softplus,
    Softsign,
    HardSigmoid,
    LeakyRelu,
    ThresholdedRelu,
    PRelu,
    Binary,   // y = x >= 0 ? hi : lo (x > 0 when `strict`): binary_tanh, QKeras binary
    Ternary,  // y = x >= t ? hi : (x <= -t ? lo : 0) (x > t when `strict`), t = param: ternary_tanh, QKeras ternary
    Po2,      // y = ±2^e, e the rounded log2 of |x| (QKeras quantized_po2 / quantized_relu_po2), see Po2Spec
    Lut,      // y = lut[lutIndex(x)]: a table over the input's values (HGQ's UnaryLUT), see lutIndexType
};
const char* toString(ActKind k);
// Sigmoid, Tanh, Softplus, Softsign, Elu and Selu are computed from a lookup table.
bool usesTable(ActKind k);

// The power-of-two quantizer of QKeras (docs/semantics.md, "Power-of-two activations"): for a magnitude a,
// e = clip(round(log2 a), minExp, maxExp) (floor(log2 a) with `floorLog`), with a replaced by maxValue when
// a >= maxValue > 0, and e = minExp when a < tiny (float32 1e-7). Signed (quantized_po2): y = s * 2^e, s = -1
// for x < 0, else +1. Relu (quantized_relu_po2): y = 2^e(max(x, 0)) for x >= 0 or negSlope == 0, otherwise
// y = -2^e(negSlope * |x|).
struct Po2Spec {
    int minExp = 0, maxExp = 0;
    double maxValue = 0.0;  // 0: none
    bool relu = false;
    double negSlope = 0.0;
    bool floorLog = false;
    double tiny = 1.00000001168609742e-07;  // float32(1e-7), Keras' epsilon
};

struct ActivationAttrs {
    ActKind kind = ActKind::Linear;
    double param = 0.0;         // LeakyReLU/ELU alpha, ThresholdedReLU theta
    std::vector<double> alpha;  // PReLU, one per element
    double slope = 0.2;         // hard_sigmoid: clip(slope*x + shift, 0, 1)
    double shift = 0.5;
    int tableSize = 1024;
    FixedType tableT = FixedType::fixed(18, 8);
    FixedType paramT;  // alpha/theta/PReLU weights
    FixedType slopeT = FixedType::fixed(16, 0, false);
    FixedType shiftT = FixedType::fixed(2, 0, false);
    double hi = 1.0, lo = -1.0;  // Binary and Ternary output values (exact in the result type)
    bool strict = false;         // Binary/Ternary: the comparison that gives `hi` is strict
    // Binary/Ternary with a batch normalization folded in (hls4ml's BatchNormalizationQuantizedTanh): one
    // threshold per channel (last axis) on the input's grid. Binary: hi for x >= thrHi[c], else lo; ternary: hi
    // for x > thrHi[c], lo for x <= thrLo[c], else 0. Empty: the rule above with `param`.
    std::vector<double> thrHi, thrLo;
    Po2Spec po2;
    // LeakyReLU: a lower bound of the negative side, applied after the conversion to the result type (QKeras's
    // quantized_relu with a negative_slope stops at -negative_slope * 2^integer). Exact in the result type.
    std::optional<double> negClip;
    // Lut: entry j is the result for the input whose value in units of 2^-lutFrac is j modulo lut.size() (a power
    // of two); the values are exact in the result type.
    std::vector<double> lut;
    int lutFrac = 0;
};

// The type whose conversion turns an input into its Lut index: lutFrac fractional bits, log2(size) bits in all,
// round half to even, wrap; the index is its raw bits read as unsigned.
FixedType lutIndexType(const ActivationAttrs& a);

enum class SoftmaxImpl { Stable, Latency, Legacy, Argmax };
const char* toString(SoftmaxImpl s);

struct SoftmaxAttrs {
    SoftmaxImpl impl = SoftmaxImpl::Stable;
    int tableSize = 1024;
    FixedType expTableT = FixedType::fixed(18, 8, true, Rounding::RND, Overflow::SAT);
    FixedType invTableT = FixedType::fixed(18, 8, true, Rounding::RND, Overflow::SAT);
    FixedType invInpT = FixedType::fixed(18, 8, true, Rounding::RND, Overflow::SAT);
    FixedType accumT = FixedType::fixed(18, 8, true, Rounding::RND, Overflow::SAT);
    int nInner = 1;  // softmax over the last axis: nOuter groups of nIn/nOuter, stride 1
};

}  // namespace nnfpga
