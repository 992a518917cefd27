// Keras handlers of the core family: InputLayer, Dense, BatchNormalization, Dropout, Flatten, Reshape.
#include <cmath>

#include "handler_util.h"
#include "nnfpga/support/diagnostics.h"

namespace nnfpga {

namespace {

using json = nlohmann::json;

std::vector<int> inputLayer(KerasLayerContext& ctx) {
    std::vector<int64_t> dims;
    for (const auto& [name, shape] : ctx.model.inputShapes)
        if (name == ctx.layer.name) dims = shape;
    if (dims.empty()) ctx.fail("input shape is unknown");
    Shape s;
    for (int64_t d : dims) {
        if (d <= 0) ctx.fail("input dimensions must be known, got a free dimension");
        s.push_back(static_cast<int>(d));
    }
    const int t = ctx.graph.addTensor(ctx.layer.name, s);
    Node n;
    n.name = ctx.layer.name;
    n.kind = "InputLayer";
    n.attrs = InputAttrs{};
    n.outputs = {t};
    ctx.graph.addNode(std::move(n));
    return {t};
}

std::vector<int> dense(KerasLayerContext& ctx) {
    const int in = kerasSingleInput(ctx);
    const json& c = ctx.layer.config;
    DenseAttrs a = kerasDenseShape(ctx, ctx.graph.tensor(in).shape);
    a.kernel = ctx.weight(0, "kernel").data;
    if (kerasCfgOr<bool>(c, "use_bias", true)) {
        a.bias = ctx.weight(1, "bias").data;
        if (static_cast<int>(a.bias.size()) != a.nOut) ctx.fail("bias size does not match units");
    }
    const int out = ctx.graph.addTensor(ctx.layer.name, {a.nOut});
    Node n;
    n.name = ctx.layer.name;
    n.kind = "Dense";
    n.attrs = std::move(a);
    n.inputs = {in};
    n.outputs = {out};
    ctx.graph.addNode(std::move(n));
    auto act = c.find("activation");
    if (act == c.end()) return {out};
    return {addKerasActivation(ctx, *act, out)};
}

// Inference batch norm folded to scale/bias the way hls4ml computes them (float32 numpy arithmetic on the
// stored float32 arrays), so that the quantized constants match hls4ml's bit for bit.
// The channel axis of a channels_first tensor (axis 1) is handled channels-last between two Transposes.
std::vector<int> batchNorm(KerasLayerContext& ctx) {
    int in = kerasSingleInput(ctx);
    const int axis = kerasBatchNormAxis(ctx);
    const int rank = static_cast<int>(ctx.graph.tensor(in).shape.size());
    const bool channelsFirst = axis == 1 && rank > 1;
    if (!channelsFirst && axis != -1 && axis != rank)
        ctx.fail("only the last axis (or axis 1, channels_first) is supported, got axis " + std::to_string(axis));
    if (channelsFirst) in = kerasToChannelsLast(ctx, in);
    const int nf = ctx.graph.tensor(in).shape.back();
    const KerasBatchNormStats st = kerasBatchNormStats(ctx, nf);
    BatchNormAttrs a;
    a.nFilt = nf;
    for (int k = 0; k < nf; ++k) {
        const float g = st.gamma ? static_cast<float>(st.gamma->data.at(k)) : 1.0f;
        const float b = st.beta ? static_cast<float>(st.beta->data.at(k)) : 0.0f;
        const float sc = g / std::sqrt(static_cast<float>(st.var->data[k]) + st.eps);
        a.scale.push_back(sc);
        a.bias.push_back(b - sc * static_cast<float>(st.mean->data[k]));
    }
    const int out = ctx.addUnary(ctx.layer.name, "BatchNormalization", std::move(a), in);
    return {channelsFirst ? kerasToChannelsFirst(ctx, out) : out};
}

std::vector<int> dropout(KerasLayerContext& ctx) { return {kerasSingleInput(ctx)}; }

std::vector<int> reshapeTo(KerasLayerContext& ctx, int in, Shape target, const char* kind) {
    const int64_t size = numElements(ctx.graph.tensor(in).shape);
    int64_t known = 1, free = -1;
    for (size_t i = 0; i < target.size(); ++i) {
        if (target[i] == -1) {
            if (free >= 0) ctx.fail("target shape has more than one -1");
            free = static_cast<int64_t>(i);
        } else {
            known *= target[i];
        }
    }
    if (free >= 0) {
        if (known == 0 || size % known) ctx.fail("cannot reshape " + shapeStr(ctx.graph.tensor(in).shape) + " to " + shapeStr(target));
        target[free] = static_cast<int>(size / known);
    }
    if (numElements(target) != size)
        ctx.fail("cannot reshape " + shapeStr(ctx.graph.tensor(in).shape) + " to " + shapeStr(target));
    const int out = ctx.graph.addTensor(ctx.layer.name, target);
    Node n;
    n.name = ctx.layer.name;
    n.kind = kind;
    n.attrs = ReshapeAttrs{target};
    n.inputs = {in};
    n.outputs = {out};
    ctx.graph.addNode(std::move(n));
    return {out};
}

// Keras flattens a channels_first tensor in channels-last order: it moves the channels last first.
std::vector<int> flatten(KerasLayerContext& ctx) {
    int in = kerasSingleInput(ctx);
    if (kerasChannelsFirst(ctx) && ctx.graph.tensor(in).shape.size() > 1) in = kerasToChannelsLast(ctx, in);
    return reshapeTo(ctx, in, {static_cast<int>(numElements(ctx.graph.tensor(in).shape))}, "Flatten");
}

std::vector<int> reshape(KerasLayerContext& ctx) {
    Shape target;
    for (const auto& d : ctx.layer.config.at("target_shape")) target.push_back(d.is_null() ? -1 : d.get<int>());
    return reshapeTo(ctx, kerasSingleInput(ctx), target, "Reshape");
}

}  // namespace

void registerKerasCoreHandlers(KerasHandlerTable& t) {
    t["InputLayer"] = inputLayer;
    t["Dense"] = dense;
    t["BatchNormalization"] = batchNorm;
    t["Dropout"] = dropout;
    t["Flatten"] = flatten;
    t["Reshape"] = reshape;
}

}  // namespace nnfpga
