// Keras handlers of QKeras layers (QDense, QActivation, QBatchNormalization) and of the binary/ternary dense
// layers of BinaryNet-style Keras models (BinaryDense, TernaryDense). Quantizers become the types of the IR
// (qkeras_quantizers.h) and are marked model-fixed, so the configuration's defaults do not replace them; the
// layers' own sums stay exact ('auto'). A per-channel alpha becomes a BatchNorm node after the layer
// ("<layer>_alpha"), as hls4ml's ApplyAlpha. docs/semantics.md, "QKeras".
#include <cmath>

#include "handler_util.h"
#include "nnfpga/frontends/keras/qkeras_quantizers.h"
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
    const int out = ctx.addUnary(name, "QActivation", std::move(act.attrs), input);
    ctx.graph.tensor(out).type = act.result;
    markFixed(ctx.graph, out, {"result"});
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

// Dense from a kernel (nIn, nOut) whose values and types the caller has set; appends the alpha node when
// `scale` is not all ones. Returns the output tensor (before the activation).
int addDense(KerasLayerContext& ctx, DenseAttrs a, std::vector<std::string> fixed, const std::vector<double>& scale,
             bool biasFixed, std::vector<std::string> exact) {
    const int in = kerasSingleInput(ctx);
    const bool unit = std::all_of(scale.begin(), scale.end(), [](double s) { return s == 1.0; });
    std::vector<double> bias;
    FixedType biasT = a.biasT;
    if (!unit) {  // y = (x . q) * scale + bias: the bias moves after the scale
        bias = a.bias.empty() ? std::vector<double>(a.nOut, 0.0) : a.bias;
        if (a.bias.empty()) biasT = FixedType::integerType(1, false);
        a.bias.clear();
        std::erase(fixed, "bias");
    }
    const int nOut = a.nOut;
    const int out = kerasAddNode(ctx, ctx.layer.name, ctx.layer.className, std::move(a), {in}, {nOut});
    markFixed(ctx.graph, out, fixed, exact);
    if (unit) return out;
    BatchNormAttrs b;
    b.nFilt = nOut;
    b.scale = scale;
    b.bias = bias;
    b.scaleT = constantType(ctx, scale, "alpha scale");
    b.biasT = biasT;
    const int o2 = ctx.addUnary(ctx.layer.name + "_alpha", "ApplyAlpha", std::move(b), out);
    std::vector<std::string> bFixed = {"scale"};
    if (biasFixed || bias.empty() || std::all_of(bias.begin(), bias.end(), [](double v) { return v == 0; }))
        bFixed.push_back("bias");
    markFixed(ctx.graph, o2, bFixed, {"result"});
    return o2;
}

DenseAttrs denseShape(KerasLayerContext& ctx) {
    const int in = kerasSingleInput(ctx);
    const Shape& inShape = ctx.graph.tensor(in).shape;
    if (inShape.size() != 1)
        ctx.fail(ctx.layer.className + " on an input of shape " + shapeStr(inShape) + " is not supported yet (Flatten first)");
    const KerasWeight& k = ctx.weight(0, "kernel");
    if (k.shape.size() != 2 || k.shape[0] != inShape[0])
        ctx.fail("kernel shape does not match the input of " + std::to_string(inShape[0]) + " values");
    DenseAttrs a;
    a.nIn = static_cast<int>(k.shape[0]);
    a.nOut = static_cast<int>(k.shape[1]);
    return a;
}

std::vector<int> qdense(KerasLayerContext& ctx) {
    DenseAttrs a = denseShape(ctx);
    const json& c = ctx.layer.config;
    auto kq = quantizerAt(ctx, "kernel_quantizer");
    auto bq = quantizerAt(ctx, "bias_quantizer");
    std::vector<std::string> fixed;
    std::vector<double> scale(a.nOut, 1.0);
    const KerasWeight& k = ctx.weight(0, "kernel");
    if (kq) {
        applyTrainableDefault(*kq);
        QuantizedWeights w = atLayer(ctx, [&] { return quantizeQKerasWeights(*kq, k.data, a.nOut, 2); });
        a.kernel = std::move(w.values);
        a.weightT = w.type;
        scale = w.scale;
        fixed.push_back("weight");
    } else {
        a.kernel = k.data;
    }
    bool biasFixed = false;
    if (kerasCfgOr<bool>(c, "use_bias", true)) {
        const KerasWeight& b = ctx.weight(1, "bias");
        if (static_cast<int>(b.data.size()) != a.nOut) ctx.fail("bias size does not match units");
        if (bq) {
            QuantizedWeights w = atLayer(ctx, [&] { return quantizeQKerasWeights(*bq, b.data, a.nOut, 1); });
            a.bias = std::move(w.values);
            a.biasT = w.type;
            fixed.push_back("bias");
            biasFixed = true;
        } else {
            // A float32 bias: held exactly when that takes at most 32 bits, else typed by the configuration.
            a.bias = b.data;
            if (auto t = exactTypeFor(a.bias, 32)) {
                a.biasT = *t;
                fixed.push_back("bias");
                biasFixed = true;
            }
        }
    }
    const int out = addDense(ctx, std::move(a), fixed, scale, biasFixed, {"accum", "result"});
    return {addLayerActivation(ctx, out)};
}

// BinaryDense / TernaryDense: kernel (and bias) quantized as hls4ml does: binary x >= 0 → 1 else -1; ternary
// x > 0.5 → 1, x <= -0.5 → -1, else 0; type ap_int<2>.
std::vector<int> binaryDense(KerasLayerContext& ctx, bool ternary) {
    DenseAttrs a = denseShape(ctx);
    auto q = [ternary](double v) { return ternary ? (v > 0.5 ? 1.0 : (v <= -0.5 ? -1.0 : 0.0)) : (v >= 0 ? 1.0 : -1.0); };
    for (double v : ctx.weight(0, "kernel").data) a.kernel.push_back(q(v));
    a.weightT = FixedType::integerType(2);
    std::vector<std::string> fixed = {"weight"};
    if (kerasCfgOr<bool>(ctx.layer.config, "use_bias", true)) {
        for (double v : ctx.weight(1, "bias").data) a.bias.push_back(q(v));
        if (static_cast<int>(a.bias.size()) != a.nOut) ctx.fail("bias size does not match units");
        a.biasT = FixedType::integerType(2);
        fixed.push_back("bias");
    }
    // Sums and results as configured (hls4ml converts these models with the configured types: 'model'
    // granularity, since Keras itself cannot rebuild the layers).
    const int out = addDense(ctx, std::move(a), fixed, std::vector<double>(ctx.weight(0, "kernel").shape[1], 1.0), true, {});
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
    t["BinaryDense"] = [](KerasLayerContext& ctx) { return binaryDense(ctx, false); };
    t["TernaryDense"] = [](KerasLayerContext& ctx) { return binaryDense(ctx, true); };
}

}  // namespace nnfpga
