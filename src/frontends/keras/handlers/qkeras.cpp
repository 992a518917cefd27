// Keras handlers of QKeras layers (QDense, QActivation, QBatchNormalization; the quantized convolutions through
// the convolution handlers' hooks, QConv2DBatchnorm with its batch normalisation folded) and of the binary/ternary
// dense layers of BinaryNet-style Keras models (BinaryDense, TernaryDense). Quantizers become the types of the IR
// (qkeras_quantizers.h) and are marked model-fixed, so the configuration's defaults do not replace them; the
// layers' own sums stay exact ('auto'). A per-channel alpha becomes a BatchNorm node after the layer
// ("<layer>_alpha"), as hls4ml's ApplyAlpha. docs/semantics.md, "QKeras".
#include <cmath>

#include "handler_util.h"
#include "nnfpga/frontends/keras/qkeras_quantizers.h"
#include "nnfpga/support/array_io.h"
#include "nnfpga/support/diagnostics.h"

namespace nnfpga {

namespace {

using json = nlohmann::json;

// Runs `f`, re-raising a quantizer's error with the layer's name.
template <class F>
auto atLayer(const KerasLayerContext& ctx, F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const UserError& e) {
        ctx.fail(e.what());
    }
}

std::optional<QKerasQuantizer> quantizerAt(const KerasLayerContext& ctx, const char* key) {
    auto it = ctx.layer.config.find(key);
    if (it == ctx.layer.config.end()) return std::nullopt;
    return atLayer(ctx, [&] { return parseQKerasQuantizer(*it); });
}

// Whether a layer's `activation` value names a QKeras quantizer (rather than a Keras activation).
bool isQuantizer(const json& act) {
    static const char* names[] = {"quantized_bits", "quantized_relu", "quantized_tanh", "quantized_sigmoid", "binary",
                                  "ternary", "quantized_po2", "quantized_relu_po2", "binary_tanh",
                                  "quantized_ulaw", "quantized_hswish", "stochastic_binary", "stochastic_ternary",
                                  "bernoulli"};
    std::string name;
    if (act.is_string()) name = act.get<std::string>().substr(0, act.get<std::string>().find('('));
    else if (act.is_object() && act.contains("class_name") && act["class_name"].is_string())
        name = act["class_name"].get<std::string>();
    while (!name.empty() && name.back() == ' ') name.pop_back();
    for (const char* n : names)
        if (name == n) return true;
    return false;
}

void markFixed(Graph& g, int tensor, std::vector<std::string> vars, std::vector<std::string> autoVars = {}) {
    Node& n = g.nodes.at(g.tensor(tensor).producer);
    for (auto& v : vars) n.modelTypes.push_back(std::move(v));
    for (auto& v : autoVars) n.modelAutoTypes.push_back(std::move(v));
}

// A quantizer applied to `input` as an activation node named `name`; its result type is model-fixed.
int addQuantizerNode(const KerasLayerContext& ctx, const std::string& name, const QKerasQuantizer& q, int input) {
    QKerasActivation act = atLayer(ctx, [&] { return qkerasActivation(q); });
    std::vector<std::string> fixed = {"result"};
    if (act.attrs.kind == ActKind::LeakyRelu) fixed.push_back("param");  // the slope, exact
    const int out = ctx.addUnary(name, "QActivation", std::move(act.attrs), input);
    ctx.graph.tensor(out).type = act.result;
    markFixed(ctx.graph, out, fixed);
    return out;
}

// The `activation` of a QDense-like layer: a quantizer node "<layer>_<quantizer>", or a Keras activation
// ("<layer>_<activation>").
int addLayerActivation(KerasLayerContext& ctx, int out) {
    auto it = ctx.layer.config.find("activation");
    if (it == ctx.layer.config.end() || it->is_null()) return out;
    // QKeras's linear is the identity: no conversion node, the exact sum is the output.
    if (it->is_string() && it->get<std::string>() == "linear") return out;
    if (!isQuantizer(*it)) return addKerasActivation(ctx, *it, out);
    auto q = atLayer(ctx, [&] { return parseQKerasQuantizer(*it); });
    const std::string cls = it->is_string() ? it->get<std::string>().substr(0, it->get<std::string>().find('('))
                                            : (*it)["class_name"].get<std::string>();
    return addQuantizerNode(ctx, ctx.layer.name + "_" + cls, *q, out);
}

// A constant vector's type: exact when that fits `maxWidth` bits, otherwise the widest type holding the largest
// magnitude, rounding to nearest (the layer then is not bit-exact with the framework; a warning says so).
FixedType constantType(const KerasLayerContext& ctx, const std::vector<double>& v, const char* what, int maxWidth = 32) {
    if (auto t = exactTypeFor(v, maxWidth)) return *t;
    double top = 0;
    for (double x : v) top = std::max(top, std::fabs(x));
    int integer = 1;
    while (std::ldexp(1.0, integer - 1) <= top) ++integer;
    warn(layerPrefix(ctx.layer.name, ctx.layer.className) + std::string(what) +
         " values are not exact in " + std::to_string(maxWidth) + " bits; they are rounded to " +
         FixedType::fixed(maxWidth, integer, true, Rounding::RND).str());
    return FixedType::fixed(maxWidth, integer, true, Rounding::RND);
}

// A layer's weights as the layer multiplies with them: the kernel and bias with their types, the names of the
// model-fixed types, and the alpha scale per output (all ones without one).
struct LayerWeights {
    std::vector<double> kernel, bias;
    FixedType weightT, biasT;
    std::vector<std::string> fixed;
    std::vector<double> scale;
    bool biasFixed = false;
    int po2Bits = 0;  // quantized_po2 kernel: its bits (hls4ml's exponent width)
    std::vector<std::string> exact = {"accum", "result"};  // left to 'auto' inference: the exact sums
};

// `kernel` (Keras layout: its last axis has nLast entries; output o takes the scale of entry o % nLast) through
// the quantizer at `key` (with the trainable default), or as it is without one.
void quantizeKernel(const KerasLayerContext& ctx, const char* key, const std::vector<double>& kernel, int nLast,
                    int nOut, LayerWeights& w) {
    w.scale.assign(nOut, 1.0);
    auto kq = quantizerAt(ctx, key);
    if (!kq) {
        w.kernel = kernel;
        return;
    }
    applyTrainableDefault(*kq);
    QuantizedWeights q = atLayer(ctx, [&] { return quantizeQKerasWeights(*kq, kernel, nLast, 2); });
    w.kernel = std::move(q.values);
    w.weightT = q.type;
    if (kq->kind == QKerasKind::Po2) w.po2Bits = kq->bits;
    for (int o = 0; o < nOut; ++o) w.scale[o] = q.scale[o % nLast];
    w.fixed.push_back("weight");
}

// The bias through the layer's bias_quantizer; a float32 bias without one is held exactly when that takes at
// most 32 bits, else typed by the configuration.
void quantizeBias(const KerasLayerContext& ctx, const std::vector<double>& bias, int nOut, LayerWeights& w) {
    if (static_cast<int>(bias.size()) != nOut) ctx.fail("bias size does not match the outputs");
    if (auto bq = quantizerAt(ctx, "bias_quantizer")) {
        QuantizedWeights q = atLayer(ctx, [&] { return quantizeQKerasWeights(*bq, bias, nOut, 1); });
        w.bias = std::move(q.values);
        w.biasT = q.type;
        w.fixed.push_back("bias");
        w.biasFixed = true;
        return;
    }
    w.bias = bias;
    if (auto t = exactTypeFor(w.bias, 32)) {
        w.biasT = *t;
        w.fixed.push_back("bias");
        w.biasFixed = true;
    }
}

// Adds the layer node (Dense or Conv attributes `a`, given the weights `w`, through `add`) and, when the scale is
// not all ones, the alpha node "<name>_alpha" after it: y = (x . q) * scale + bias, the bias moved after the
// scale. Returns the output tensor (before the activation).
template <class Attrs, class Add>
int addScaled(KerasLayerContext& ctx, const std::string& name, Attrs a, LayerWeights w, int nOut, Add&& add) {
    const bool unit = std::all_of(w.scale.begin(), w.scale.end(), [](double s) { return s == 1.0; });
    std::vector<double> bias;
    FixedType biasT = w.biasT;
    a.kernel = std::move(w.kernel);
    a.weightT = w.weightT;
    a.po2.exponentBits = w.po2Bits;
    if (unit) {
        a.bias = std::move(w.bias);
        a.biasT = w.biasT;
    } else {
        bias = w.bias.empty() ? std::vector<double>(nOut, 0.0) : w.bias;
        if (w.bias.empty()) biasT = FixedType::integerType(1, false);
        std::erase(w.fixed, "bias");
    }
    const int out = add(std::move(a));
    markFixed(ctx.graph, out, w.fixed, w.exact);
    if (unit) return out;
    BatchNormAttrs b;
    b.nFilt = nOut;
    b.scale = w.scale;
    b.bias = bias;
    b.scaleT = constantType(ctx, w.scale, "alpha scale");
    b.biasT = biasT;
    const int o2 = ctx.addUnary(name + "_alpha", "ApplyAlpha", std::move(b), out);
    std::vector<std::string> bFixed = {"scale"};
    if (w.biasFixed || bias.empty() || std::all_of(bias.begin(), bias.end(), [](double v) { return v == 0; }))
        bFixed.push_back("bias");
    markFixed(ctx.graph, o2, bFixed, {"result"});
    return o2;
}

int addDense(KerasLayerContext& ctx, DenseAttrs a, LayerWeights w) {
    const int in = kerasSingleInput(ctx);
    const int nOut = a.nOut;
    return addScaled(ctx, ctx.layer.name, std::move(a), std::move(w), nOut, [&](DenseAttrs d) {
        return kerasAddNode(ctx, ctx.layer.name, ctx.layer.className, std::move(d), {in}, {nOut});
    });
}

DenseAttrs denseShape(KerasLayerContext& ctx) { return kerasDenseShape(ctx, ctx.graph.tensor(kerasSingleInput(ctx)).shape); }

std::vector<int> qdense(KerasLayerContext& ctx) {
    DenseAttrs a = denseShape(ctx);
    LayerWeights w;
    quantizeKernel(ctx, "kernel_quantizer", ctx.weight(0, "kernel").data, a.nOut, a.nOut, w);
    if (kerasCfgOr<bool>(ctx.layer.config, "use_bias", true)) quantizeBias(ctx, ctx.weight(1, "bias").data, a.nOut, w);
    const int out = addDense(ctx, std::move(a), std::move(w));
    return {addLayerActivation(ctx, out)};
}

// QConv2DBatchnorm at inference: the batch normalisation folded in float32 as QKeras does,
// inv = rsqrt(moving_variance + eps) * gamma, kernel = inv * kernel, bias = inv * (bias - moving_mean) + beta;
// the folded kernel then goes through the kernel quantizer and the folded bias through the bias quantizer.
void foldBatchNorm(const KerasLayerContext& ctx, int nf, std::vector<double>& kernel, std::vector<double>& bias) {
    // By name: the batch normalisation's weights ("batch_normalization/gamma", …) are not contiguous (QKeras's
    // "iteration" counter sits between beta and moving_mean).
    auto find = [&](const std::string& name) -> const KerasWeight* {
        for (const KerasWeight& w : ctx.layer.weights)
            if (w.name == name || w.name.ends_with("/" + name)) return &w;
        return nullptr;
    };
    const double eps = kerasCfgOr<double>(ctx.layer.config, "epsilon", 1e-3);
    if (!(eps > 0)) ctx.fail("epsilon must be > 0, got " + formatDouble(eps));
    const KerasWeight* gamma = find("gamma");
    const KerasWeight* beta = find("beta");
    const KerasWeight* mean = find("moving_mean");
    const KerasWeight* var = find("moving_variance");
    if (!mean || !var) ctx.fail("missing the batch normalisation's moving_mean or moving_variance");
    for (const KerasWeight* w : {gamma, beta, mean, var})
        if (w && static_cast<int>(w->data.size()) != nf)
            ctx.fail(w->name + " has " + std::to_string(w->data.size()) + " values, the layer has " +
                     std::to_string(nf) + " filters");
    if (bias.empty()) bias.assign(nf, 0.0);
    std::vector<float> inv(nf);
    for (int f = 0; f < nf; ++f) {
        inv[f] = 1.0f / std::sqrt(static_cast<float>(var->data[f]) + static_cast<float>(eps));
        if (gamma) inv[f] *= static_cast<float>(gamma->data[f]);
        float b = inv[f] * (static_cast<float>(bias[f]) - static_cast<float>(mean->data[f]));
        if (beta) b += static_cast<float>(beta->data[f]);
        bias[f] = b;
    }
    for (size_t i = 0; i < kernel.size(); ++i) kernel[i] = inv[i % nf] * static_cast<float>(kernel[i]);
}

// One node of a quantized convolution: its kernel through the part's quantizer (kernel_quantizer, or
// depthwise_quantizer / pointwise_quantizer), its bias through bias_quantizer, an alpha node when scaled.
int addQConv(KerasLayerContext& ctx, const std::string& name, ConvAttrs a, int input, KerasConvPart part) {
    const bool depthwiseLayer = ctx.layer.className.find("Depthwise") != std::string::npos;
    const char* key = part == KerasConvPart::Pointwise                       ? "pointwise_quantizer"
                      : (part == KerasConvPart::Depthwise || depthwiseLayer) ? "depthwise_quantizer"
                                                                             : "kernel_quantizer";
    std::vector<double> kernel = std::move(a.kernel), bias = std::move(a.bias);
    a.kernel.clear();
    a.bias.clear();
    if (ctx.layer.className == "QConv2DBatchnorm") foldBatchNorm(ctx, a.nFilt, kernel, bias);
    LayerWeights w;
    quantizeKernel(ctx, key, kernel, a.depthwise() ? a.depthMultiplier : a.nFilt, a.nFilt, w);
    if (!bias.empty()) quantizeBias(ctx, bias, a.nFilt, w);
    const int nOut = a.nFilt;
    const Shape outShape = a.win.outShape(nOut);
    return addScaled(ctx, name, std::move(a), std::move(w), nOut, [&](ConvAttrs c) {
        return kerasAddNode(ctx, name, ctx.layer.className, std::move(c), {input}, outShape);
    });
}

KerasHandler qconv(int spatial, KerasConvKind kind) {
    return [spatial, kind](KerasLayerContext& ctx) {
        if (ctx.layer.className == "QConv2DBatchnorm") {
            const std::string mode = kerasCfgOr<std::string>(ctx.layer.config, "folding_mode", "ema_stats_folding");
            if (mode != "ema_stats_folding" && mode != "batch_stats_folding")
                ctx.fail("folding_mode must be 'ema_stats_folding' or 'batch_stats_folding', got '" + mode + "'");
            const int axis = kerasBatchNormAxis(ctx);
            if (axis != -1 && axis != spatial + 1)
                ctx.fail("only the last axis is supported, got axis " + std::to_string(axis));
        }
        KerasConvHooks hooks;
        hooks.addNode = addQConv;
        hooks.activation = addLayerActivation;
        return kerasConvLayer(ctx, spatial, kind, hooks);
    };
}

// BinaryDense / TernaryDense: kernel (and bias) quantized as hls4ml does: binary x >= 0 → 1 else -1; ternary
// x > 0.5 → 1, x <= -0.5 → -1, else 0; type ap_int<2>.
std::vector<int> binaryDense(KerasLayerContext& ctx, bool ternary) {
    DenseAttrs a = denseShape(ctx);
    auto q = [ternary](double v) { return ternary ? (v > 0.5 ? 1.0 : (v <= -0.5 ? -1.0 : 0.0)) : (v >= 0 ? 1.0 : -1.0); };
    LayerWeights w;
    for (double v : ctx.weight(0, "kernel").data) w.kernel.push_back(q(v));
    w.weightT = FixedType::integerType(2);
    w.fixed = {"weight"};
    w.scale.assign(a.nOut, 1.0);
    if (kerasCfgOr<bool>(ctx.layer.config, "use_bias", true)) {
        for (double v : ctx.weight(1, "bias").data) w.bias.push_back(q(v));
        if (static_cast<int>(w.bias.size()) != a.nOut) ctx.fail("bias size does not match units");
        w.biasT = FixedType::integerType(2);
        w.fixed.push_back("bias");
    }
    // Sums and results as configured (hls4ml converts these models with the configured types: 'model'
    // granularity, since Keras itself cannot rebuild the layers).
    w.exact.clear();
    const int out = addDense(ctx, std::move(a), std::move(w));
    return {addLayerActivation(ctx, out)};
}

std::vector<int> qactivation(KerasLayerContext& ctx) {
    const int in = kerasSingleInput(ctx);
    const json act = ctx.layer.config.value("activation", json("linear"));
    if (!isQuantizer(act)) {
        // A Keras activation inside a QActivation: named "<layer>_<activation>" like any layer's activation.
        return {addKerasActivation(ctx, act, in)};
    }
    auto q = atLayer(ctx, [&] { return parseQKerasQuantizer(act); });
    return {addQuantizerNode(ctx, ctx.layer.name, *q, in)};
}

// QBatchNormalization at inference: the quantized gamma, beta, mean and variance combined as TensorFlow's
// batch_normalization does in float32: inv = rsqrt(var + eps) * gamma, y = x * inv + (beta - mean * inv).
// The float32 scale and bias are held exactly (their types fit them), so the node computes x * inv + bias
// exactly where TensorFlow rounds the product and the sum to float32.
std::vector<int> qbatchNorm(KerasLayerContext& ctx) {
    const int in = kerasSingleInput(ctx);
    const Shape s = ctx.graph.tensor(in).shape;
    const int axis = kerasBatchNormAxis(ctx);
    if (axis != -1 && axis != static_cast<int>(s.size()))
        ctx.fail("only the last axis is supported, got axis " + std::to_string(axis));
    const int nf = s.back();
    const KerasBatchNormStats st = kerasBatchNormStats(ctx, nf);
    const KerasWeight *gamma = st.gamma, *beta = st.beta;
    auto quantized = [&](const char* key, const std::vector<double>& v, bool trainable) {
        auto q = quantizerAt(ctx, key);
        if (!q) return v;
        if (trainable) applyTrainableDefault(*q);
        return atLayer(ctx, [&] { return quantizeQKerasWeights(*q, v, nf, 1).values; });
    };
    const std::vector<double> g = gamma ? quantized("gamma_quantizer", gamma->data, true) : std::vector<double>();
    const std::vector<double> b = beta ? quantized("beta_quantizer", beta->data, false) : std::vector<double>();
    const std::vector<double> m = quantized("mean_quantizer", st.mean->data, false);
    const std::vector<double> v = quantized("variance_quantizer", st.var->data, true);
    BatchNormAttrs a;
    a.nFilt = nf;
    for (int k = 0; k < nf; ++k) {
        float inv = 1.0f / std::sqrt(static_cast<float>(v[k]) + st.eps);
        if (gamma) inv *= static_cast<float>(g[k]);
        const float mi = static_cast<float>(m[k]) * inv;
        a.scale.push_back(inv);
        a.bias.push_back(beta ? static_cast<float>(b[k]) - mi : -mi);
    }
    a.scaleT = constantType(ctx, a.scale, "scale");
    a.biasT = constantType(ctx, a.bias, "bias");
    const int out = ctx.addUnary(ctx.layer.name, "QBatchNormalization", std::move(a), in);
    markFixed(ctx.graph, out, {"scale", "bias"}, {"result"});
    return {out};
}

}  // namespace

void registerKerasQKerasHandlers(KerasHandlerTable& t) {
    t["QDense"] = qdense;
    t["QActivation"] = qactivation;
    t["QBatchNormalization"] = qbatchNorm;
    t["QConv1D"] = qconv(1, KerasConvKind::Plain);
    t["QConv2D"] = qconv(2, KerasConvKind::Plain);
    t["QDepthwiseConv2D"] = qconv(2, KerasConvKind::Depthwise);
    t["QSeparableConv1D"] = qconv(1, KerasConvKind::Separable);
    t["QSeparableConv2D"] = qconv(2, KerasConvKind::Separable);
    t["QConv2DBatchnorm"] = qconv(2, KerasConvKind::Plain);
    t["BinaryDense"] = [](KerasLayerContext& ctx) { return binaryDense(ctx, false); };
    t["TernaryDense"] = [](KerasLayerContext& ctx) { return binaryDense(ctx, true); };
}

}  // namespace nnfpga
