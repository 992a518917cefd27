// Helpers shared by the Keras handler files (see handler_util.h).
#include "handler_util.h"

namespace nnfpga {

int kerasSingleInput(const KerasLayerContext& ctx) {
    if (ctx.inputs.size() != 1) ctx.fail("expects 1 input, got " + std::to_string(ctx.inputs.size()));
    return ctx.inputs[0];
}

DenseAttrs kerasDenseShape(const KerasLayerContext& ctx, const Shape& in) {
    if (in.size() != 1)
        ctx.fail(ctx.layer.className + " on an input of shape " + shapeStr(in) + " is not supported yet (Flatten first)");
    const KerasWeight& k = ctx.weight(0, "kernel");
    if (k.shape.size() != 2 || k.shape[0] != in[0])
        ctx.fail("kernel shape does not match the input of " + std::to_string(in[0]) + " values");
    DenseAttrs a;
    a.nIn = static_cast<int>(k.shape[0]);
    a.nOut = static_cast<int>(k.shape[1]);
    return a;
}

std::vector<int> kerasInts(const KerasLayerContext& ctx, const char* key, size_t count, int dflt) {
    auto it = ctx.layer.config.find(key);
    if (it == ctx.layer.config.end() || it->is_null()) return std::vector<int>(count, dflt);
    if (it->is_number_integer()) return std::vector<int>(count, it->get<int>());
    std::vector<int> v;
    if (it->is_array())
        for (const auto& e : *it) {
            if (!e.is_number_integer()) break;
            v.push_back(e.get<int>());
        }
    if (v.size() == 1 && count > 1) v.resize(count, v[0]);
    if (v.size() != count)
        ctx.fail(std::string(key) + " must be " + std::to_string(count) + " integer" + (count > 1 ? "s" : "") +
                 ", got " + it->dump());
    return v;
}

int kerasAddNode(const KerasLayerContext& ctx, const std::string& name, const std::string& kind, OpAttrs attrs,
                 std::vector<int> inputs, Shape outShape) {
    const int out = ctx.graph.addTensor(name, std::move(outShape));
    Node n;
    n.name = name;
    n.kind = kind;
    n.attrs = std::move(attrs);
    n.inputs = std::move(inputs);
    n.outputs = {out};
    ctx.graph.addNode(std::move(n));
    return out;
}

bool kerasChannelsFirst(const KerasLayerContext& ctx) {
    return kerasCfgOr<std::string>(ctx.layer.config, "data_format", "channels_last") == "channels_first";
}

namespace {
int addTranspose(const KerasLayerContext& ctx, int input, const std::string& suffix, std::vector<int> perm) {
    const Shape& s = ctx.graph.tensor(input).shape;
    Shape o;
    for (int p : perm) o.push_back(s[p]);
    return kerasAddNode(ctx, ctx.layer.name + suffix, "Transpose", TransposeAttrs{std::move(perm)}, {input}, o);
}
}  // namespace

int kerasToChannelsLast(const KerasLayerContext& ctx, int input) {
    const int rank = static_cast<int>(ctx.graph.tensor(input).shape.size());
    if (rank < 2)
        ctx.fail("channels_first needs an input with channels and spatial axes, got shape " +
                 shapeStr(ctx.graph.tensor(input).shape));
    std::vector<int> perm;
    for (int k = 1; k < rank; ++k) perm.push_back(k);
    perm.push_back(0);
    return addTranspose(ctx, input, "_to_channels_last", std::move(perm));
}

int kerasToChannelsFirst(const KerasLayerContext& ctx, int input) {
    const int rank = static_cast<int>(ctx.graph.tensor(input).shape.size());
    std::vector<int> perm{rank - 1};
    for (int k = 0; k < rank - 1; ++k) perm.push_back(k);
    return addTranspose(ctx, input, "_to_channels_first", std::move(perm));
}

void kerasExpectSpatial(const KerasLayerContext& ctx, const Shape& in, int spatial) {
    if (static_cast<int>(in.size()) != spatial + 1)
        ctx.fail("expects an input with " + std::to_string(spatial) + " spatial ax" + (spatial > 1 ? "es" : "is") +
                 " and channels, got shape " + shapeStr(in));
}

Window kerasWindow(const KerasLayerContext& ctx, const Shape& in, const std::vector<int>& k, const std::vector<int>& s,
                   const std::vector<int>& d, bool allowCausal) {
    Window w;
    w.rank = static_cast<int>(in.size()) - 1;
    for (size_t a = 0; a < k.size(); ++a)
        if (k[a] < 1 || s[a] < 1 || d[a] < 1) ctx.fail("kernel sizes, strides and dilations must be >= 1");
    // Axis a of the layer is H (2D: a = 0) or W (the last spatial axis).
    const int hAxis = w.rank == 2 ? 0 : -1, wAxis = w.rank - 1;
    if (hAxis >= 0) {
        w.inH = in[0];
        w.kh = k[0];
        w.sh = s[0];
        w.dh = d[0];
    }
    w.inW = in[wAxis];
    w.kw = k[wAxis];
    w.sw = s[wAxis];
    w.dw = d[wAxis];
    const std::string padding = kerasCfgOr<std::string>(ctx.layer.config, "padding", "valid");
    if (padding == "same") {
        if (hAxis >= 0) samePadding(w.inH, w.kh, w.sh, w.dh, w.padTop, w.padBottom);
        samePadding(w.inW, w.kw, w.sw, w.dw, w.padLeft, w.padRight);
    } else if (padding == "causal" && allowCausal) {
        w.padLeft = (w.kw - 1) * w.dw;
    } else if (padding != "valid") {
        ctx.fail("padding '" + padding + "' is not supported (" +
                 (allowCausal ? "valid, same, causal" : "valid, same") + " are)");
    }
    w.computeOutput();
    if (w.outH < 1 || w.outW < 1) ctx.fail("the window " + shapeStr(k) + " does not fit the input " + shapeStr(in));
    return w;
}

int kerasBatchNormAxis(const KerasLayerContext& ctx) {
    const nlohmann::json& c = ctx.layer.config;
    if (!c.contains("axis")) return -1;
    const nlohmann::json& ax = c["axis"];
    return ax.is_array() ? (ax.size() == 1 ? ax[0].get<int>() : 0) : ax.get<int>();
}

KerasBatchNormStats kerasBatchNormStats(const KerasLayerContext& ctx, int nf) {
    const nlohmann::json& c = ctx.layer.config;
    const double eps = kerasCfgOr<double>(c, "epsilon", 1e-3);
    if (!(eps > 0)) ctx.fail("epsilon must be > 0, got " + std::to_string(eps));
    KerasBatchNormStats st;
    st.eps = static_cast<float>(eps);
    size_t w = 0;
    if (kerasCfgOr<bool>(c, "scale", true)) st.gamma = &ctx.weight(w++, "gamma");
    if (kerasCfgOr<bool>(c, "center", true)) st.beta = &ctx.weight(w++, "beta");
    st.mean = &ctx.weight(w++, "moving_mean");
    st.var = &ctx.weight(w++, "moving_variance");
    if (static_cast<int>(st.mean->data.size()) != nf || static_cast<int>(st.var->data.size()) != nf)
        ctx.fail("moving statistics have " + std::to_string(st.mean->data.size()) + " channels, input has " +
                 std::to_string(nf));
    return st;
}

}  // namespace nnfpga
