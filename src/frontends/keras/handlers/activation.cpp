// Keras handlers of the activation family: Activation, ReLU, LeakyReLU, ELU, PReLU, ThresholdedReLU, Softmax,
// and the `activation=` argument of other layers (split into its own node, named "<layer>_<activation>").
// Also binary_tanh and ternary_tanh, the activations of BinaryNet-style binary/ternary models.
#include "nnfpga/frontends/keras/keras_frontend.h"
#include "nnfpga/support/diagnostics.h"

namespace nnfpga {

namespace {

using json = nlohmann::json;

double numberOr(const json& c, const char* key, double dflt) {
    auto it = c.find(key);
    if (it == c.end() || it->is_null()) return dflt;
    if (!it->is_number()) return dflt;
    return it->get<double>();
}

// Keras 3 may serialise an activation as {"class_name": "function", "config": "relu", …}.
std::string activationName(const json& a) {
    if (a.is_string()) return a.get<std::string>();
    if (a.is_object()) {
        if (a.contains("config") && a["config"].is_string()) return a["config"].get<std::string>();
        if (a.contains("class_name") && a["class_name"].is_string()) return a["class_name"].get<std::string>();
    }
    if (a.is_null()) return "linear";
    return a.dump();
}

int singleInput(KerasLayerContext& ctx) {
    if (ctx.inputs.size() != 1) ctx.fail("expects 1 input, got " + std::to_string(ctx.inputs.size()));
    return ctx.inputs[0];
}

int addActivation(KerasLayerContext& ctx, const std::string& name, const std::string& kind, ActivationAttrs a,
                  int input) {
    return ctx.addUnary(name, kind, std::move(a), input);
}

// Returns the output tensor; `nodeName` and `kind` name the node.
int activationByName(KerasLayerContext& ctx, const std::string& act, const std::string& nodeName,
                     const std::string& kind, int input) {
    ActivationAttrs a;
    if (act == "linear") {
        a.kind = ActKind::Linear;
    } else if (act == "relu") {
        a.kind = ActKind::Relu;
    } else if (act == "sigmoid") {
        a.kind = ActKind::Sigmoid;
    } else if (act == "tanh") {
        a.kind = ActKind::Tanh;
    } else if (act == "elu") {
        a.kind = ActKind::Elu;
        a.param = 1.0;
    } else if (act == "selu") {
        a.kind = ActKind::Selu;
    } else if (act == "softplus") {
        a.kind = ActKind::Softplus;
    } else if (act == "softsign") {
        a.kind = ActKind::Softsign;
    } else if (act == "hard_sigmoid") {
        a.kind = ActKind::HardSigmoid;
        // Keras 2: clip(0.2x + 0.5); Keras 3: relu6(x + 3) / 6 = clip(x/6 + 0.5).
        a.slope = ctx.model.kerasVersion >= 3 ? 1.0 / 6.0 : 0.2;
        a.shift = 0.5;
    } else if (act == "leaky_relu") {
        a.kind = ActKind::LeakyRelu;
        a.param = 0.2;
    } else if (act == "softmax") {
        return ctx.addUnary(nodeName, "Softmax", SoftmaxAttrs{}, input);
    } else if (act == "binary_tanh" || act == "ternary_tanh") {
        // The activations of BinaryNet-style Keras models, as hls4ml computes them: binary x >= 0 → 1 else -1;
        // ternary 2x > 1 → 1, 2x <= -1 → -1, else 0. Their ap_int<2> result is fixed by the model.
        a.kind = act == "binary_tanh" ? ActKind::Binary : ActKind::Ternary;
        a.param = 0.5;
        a.strict = a.kind == ActKind::Ternary;
        const int out = addActivation(ctx, nodeName, kind, a, input);
        ctx.graph.tensor(out).type = FixedType::integerType(2);
        ctx.graph.nodes.at(ctx.graph.tensor(out).producer).modelTypes.push_back("result");
        return out;
    } else {
        ctx.fail("unsupported activation '" + act + "'");
    }
    return addActivation(ctx, nodeName, kind, a, input);
}

std::vector<int> activationLayer(KerasLayerContext& ctx) {
    const int in = singleInput(ctx);
    const std::string act = activationName(ctx.layer.config.value("activation", json("linear")));
    return {activationByName(ctx, act, ctx.layer.name, act == "softmax" ? "Softmax" : "Activation", in)};
}

std::vector<int> reluLayer(KerasLayerContext& ctx) {
    const int in = singleInput(ctx);
    const json& c = ctx.layer.config;
    if (c.contains("max_value") && !c["max_value"].is_null())
        ctx.fail("max_value is not supported, got " + c["max_value"].dump());
    const double slope = numberOr(c, "negative_slope", 0.0), threshold = numberOr(c, "threshold", 0.0);
    if (threshold != 0.0) ctx.fail("threshold other than 0 is not supported, got " + std::to_string(threshold));
    ActivationAttrs a;
    a.kind = slope != 0.0 ? ActKind::LeakyRelu : ActKind::Relu;
    a.param = slope;
    return {addActivation(ctx, ctx.layer.name, "Activation", a, in)};
}

std::vector<int> leakyReluLayer(KerasLayerContext& ctx) {
    const int in = singleInput(ctx);
    ActivationAttrs a;
    a.kind = ActKind::LeakyRelu;
    // Keras 2 calls it alpha, Keras 3 negative_slope; both default to 0.3.
    a.param = numberOr(ctx.layer.config, "negative_slope", numberOr(ctx.layer.config, "alpha", 0.3));
    return {addActivation(ctx, ctx.layer.name, "LeakyReLU", a, in)};
}

std::vector<int> eluLayer(KerasLayerContext& ctx) {
    const int in = singleInput(ctx);
    ActivationAttrs a;
    a.kind = ActKind::Elu;
    a.param = numberOr(ctx.layer.config, "alpha", 1.0);
    return {addActivation(ctx, ctx.layer.name, "ELU", a, in)};
}

std::vector<int> thresholdedReluLayer(KerasLayerContext& ctx) {
    const int in = singleInput(ctx);
    ActivationAttrs a;
    a.kind = ActKind::ThresholdedRelu;
    a.param = numberOr(ctx.layer.config, "theta", 1.0);
    if (a.param < 0) ctx.fail("theta must be >= 0, got " + std::to_string(a.param));
    return {addActivation(ctx, ctx.layer.name, "ThresholdedReLU", a, in)};
}

// PReLU's alpha has the input's shape, with size-1 dimensions along shared_axes: broadcast it per element.
std::vector<int> preluLayer(KerasLayerContext& ctx) {
    const int in = singleInput(ctx);
    const Shape& s = ctx.graph.tensor(in).shape;
    const KerasWeight& w = ctx.weight(0, "alpha");
    std::vector<int64_t> ashape = w.shape;
    if (ashape.size() != s.size()) ctx.fail("alpha shape does not match the input shape " + shapeStr(s));
    ActivationAttrs a;
    a.kind = ActKind::PRelu;
    const int64_t n = numElements(s);
    a.alpha.resize(n);
    for (int64_t i = 0; i < n; ++i) {
        int64_t rem = i, idx = 0, stride = 1;
        std::vector<int64_t> coord(s.size());
        for (int d = static_cast<int>(s.size()) - 1; d >= 0; --d) {
            coord[d] = rem % s[d];
            rem /= s[d];
        }
        for (int d = static_cast<int>(s.size()) - 1; d >= 0; --d) {
            if (ashape[d] != 1 && ashape[d] != s[d]) ctx.fail("alpha shape does not match the input shape " + shapeStr(s));
            idx += (ashape[d] == 1 ? 0 : coord[d]) * stride;
            stride *= ashape[d];
        }
        a.alpha[i] = w.data.at(idx);
    }
    return {addActivation(ctx, ctx.layer.name, "PReLU", a, in)};
}

std::vector<int> softmaxLayer(KerasLayerContext& ctx) {
    const int in = singleInput(ctx);
    const json& c = ctx.layer.config;
    int axis = -1;
    if (c.contains("axis") && !c["axis"].is_null()) {
        const json& ax = c["axis"];
        axis = ax.is_array() ? (ax.size() == 1 ? ax[0].get<int>() : 0) : ax.get<int>();
    }
    const int rank = static_cast<int>(ctx.graph.tensor(in).shape.size());
    if (axis != -1 && axis != rank) ctx.fail("softmax is supported over the last axis only, got axis " + std::to_string(axis));
    return {ctx.addUnary(ctx.layer.name, "Softmax", SoftmaxAttrs{}, in)};
}

}  // namespace

// Like hls4ml, a linear activation also becomes a node ("<layer>_linear"): with its own configured type it is a
// cast; eliminate_linear_activation removes it when it changes nothing.
int addKerasActivation(KerasLayerContext& ctx, const json& activation, int input) {
    const std::string act = activationName(activation);
    return activationByName(ctx, act, ctx.layer.name + "_" + act, act == "softmax" ? "Softmax" : "Activation",
                            input);
}

void registerKerasActivationHandlers(KerasHandlerTable& t) {
    t["Activation"] = activationLayer;
    t["ReLU"] = reluLayer;
    t["LeakyReLU"] = leakyReluLayer;
    t["ELU"] = eluLayer;
    t["ThresholdedReLU"] = thresholdedReluLayer;
    t["PReLU"] = preluLayer;
    t["Softmax"] = softmaxLayer;
}

}  // namespace nnfpga
