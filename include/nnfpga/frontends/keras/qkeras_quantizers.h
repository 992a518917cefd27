// QKeras quantizers (qkeras/quantizers.py): reading their serialised forms, the fixed-point type of their
// outputs, and their application to weights with the float32 arithmetic QKeras uses, so that the quantized
// weights are exactly the values the QKeras model multiplies with (docs/semantics.md, "QKeras").
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nnfpga/fixed/fixed_type.h"
#include "nnfpga/ir/ops/activation_ops.h"

namespace nnfpga {

enum class QKerasKind { Bits, Relu, Tanh, Sigmoid, Binary, Ternary, Po2, ReluPo2, BinaryTanh };

// The alpha (scale) of quantized_bits, binary and ternary: none (1), a number, or computed per channel from
// the weights ('auto': a float scale; 'auto_po2': a power of two).
enum class QKerasAlpha { None, Value, Auto, AutoPo2 };

struct QKerasQuantizer {
    QKerasKind kind = QKerasKind::Bits;
    std::string text;  // as written, for messages
    int bits = 8;
    int integer = 0;
    bool symmetric = false;
    bool keepNegative = true;
    QKerasAlpha alphaMode = QKerasAlpha::None;
    double alpha = 1.0;  // QKerasAlpha::Value
    double negativeSlope = 0.0;
    std::optional<double> reluUpperBound;
    bool quantizedClip = true;          // quantized_relu is_quantized_clip
    bool use01 = false;                 // binary: {0, 1} instead of {-1, +1}
    std::optional<double> threshold;    // ternary (activations)
    std::optional<double> maxValue;     // po2
    bool quadratic = false;             // po2 quadratic_approximation (weights only)
    bool floorLog = false;              // po2 log2_rounding == "floor"
    int unrolls = 5;                    // ternary number_of_unrolls
    // Options that only training uses, or that make the output depend on TF's float functions: kept to
    // refuse them with a reason.
    bool stochastic = false, useSigmoid = false, useReal = false;
    double qnoiseFactor = 1.0;
};

// From a Keras config value: a dict {"class_name": …, "config": {…}} or a string such as
// "quantized_relu(3,1)" or "quantized_bits(4,0,alpha='auto_po2')". Null: nullopt. Unknown quantizers and
// malformed strings raise a UserError naming the text (without a layer prefix; handlers add it).
std::optional<QKerasQuantizer> parseQKerasQuantizer(const nlohmann::json& j);

// What QKeras layers do to kernel quantizers (and QBatchNormalization's gamma and variance quantizers) in
// their constructor: quantized_bits, binary and ternary without alpha get alpha='auto_po2' (quantized_bits
// also becomes symmetric).
void applyTrainableDefault(QKerasQuantizer& q);

// The result of a QActivation (or a quantizer used as a layer's activation) as an IR activation: its kind
// and parameters, and the result type, exact for every output with QKeras's rounding (round half to even:
// RND_CONV) and clipping (SAT, SAT_SYM). Raises a UserError for quantizers that cannot be reproduced
// bit for bit (use_real_tanh, use_sigmoid, stochastic rounding, …).
struct QKerasActivation {
    ActivationAttrs attrs;
    FixedType result;
};
QKerasActivation qkerasActivation(const QKerasQuantizer& q);

// A weight tensor quantized as QKeras does, channels on the last axis (`nChannels` of them; the tensor's size
// is a multiple). The layer multiplies with values[i] * scale[i % nChannels]; `values` are exact in `type`,
// `scale` holds float32 values (all 1 unless alpha is 'auto'/'auto_po2', or numeric and not 1).
struct QuantizedWeights {
    std::vector<double> values;
    std::vector<double> scale;
    FixedType type;
    bool unitScale = true;
    bool po2Scale = true;  // every scale is a power of two (the product stays exact)
};
// `rank` is the rank of the stored tensor (1 for a bias: QKeras then computes 'auto' scales per element).
QuantizedWeights quantizeQKerasWeights(const QKerasQuantizer& q, const std::vector<double>& w, int nChannels,
                                       int rank);

// The narrowest type that holds every value exactly (signed if any is negative); nullopt when that takes
// more than `maxWidth` bits or a value is not finite.
std::optional<FixedType> exactTypeFor(const std::vector<double>& values, int maxWidth = 64);

// Float32 helpers with TF's semantics (exposed for tests): round half to even, and QKeras's rounded log2
// of a positive float, round(log(x) / log(2)) (or floor) in float32.
float roundHalfEven(float x);
float qkerasLog2(float x, bool floorLog);

}  // namespace nnfpga
