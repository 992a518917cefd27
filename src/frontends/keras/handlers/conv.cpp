// Keras handlers of the convolution family: Conv1D/2D, DepthwiseConv1D/2D, SeparableConv1D/2D (a depthwise node
// "<layer>_depthwise" then a pointwise 1x1 node "<layer>") and Conv1DTranspose/2DTranspose (a convolution over
// the stride-dilated input with the flipped kernel). All become ConvAttrs nodes; `activation=` is its own node.
// QKeras's quantized convolutions reuse this through kerasConvLayer's hooks (handler_util.h).
#include <algorithm>

#include "handler_util.h"
#include "nnfpga/support/diagnostics.h"

namespace nnfpga {

namespace {

using json = nlohmann::json;

Shape toShape(const std::vector<int64_t>& v) {
    return Shape(v.begin(), v.end());
}

const KerasWeight& weightOfShape(const KerasLayerContext& ctx, size_t index, const char* what, const Shape& expect) {
    const KerasWeight& w = ctx.weight(index, what);
    if (toShape(w.shape) != expect)
        ctx.fail(std::string(what) + " has shape " + shapeStr(toShape(w.shape)) + ", expected " + shapeStr(expect));
    return w;
}

// kernel-size axes followed by `tail`.
Shape kernelShape(const std::vector<int>& k, std::initializer_list<int> tail) {
    Shape s(k.begin(), k.end());
    s.insert(s.end(), tail);
    return s;
}

// Keras' output length of a transposed convolution along one axis (TensorFlow backend).
int transposeLength(int in, int k, int s, bool same, int outputPadding) {
    if (outputPadding < 0) return same ? in * s : in * s + std::max(k - s, 0);
    return (in - 1) * s + (same ? k % 2 : k) + outputPadding;
}

// The window of a transposed convolution: the input dilated by the strides, padded so that a stride-1
// correlation with the flipped kernel computes the transpose of the forward convolution from the output
// (length O) to the input. The forward convolution's padding before is TensorFlow's for O; this side gets
// k-1 minus it, the other side whatever makes the output O long.
Window transposeWindow(const KerasLayerContext& ctx, const Shape& in, const std::vector<int>& k,
                       const std::vector<int>& s) {
    const std::string padding = kerasCfgOr<std::string>(ctx.layer.config, "padding", "valid");
    if (padding != "valid" && padding != "same")
        ctx.fail("padding '" + padding + "' is not supported (valid, same are)");
    const size_t rank = k.size();
    std::vector<int> op(rank, -1);
    if (ctx.layer.config.contains("output_padding") && !ctx.layer.config["output_padding"].is_null()) {
        op = kerasInts(ctx, "output_padding", rank, 0);
        for (size_t a = 0; a < rank; ++a)
            if (op[a] < 0 || op[a] >= s[a])
                ctx.fail("output_padding must be >= 0 and < strides, got " + std::to_string(op[a]) + " (strides " +
                         std::to_string(s[a]) + ")");
    }
    Window w;
    w.rank = static_cast<int>(rank);
    auto axis = [&](size_t a, int& inLen, int& kLen, int& dil, int& before, int& after, int& outLen) {
        inLen = in[a];
        kLen = k[a];
        dil = s[a];
        outLen = transposeLength(in[a], k[a], s[a], padding == "same", op[a]);
        // TensorFlow needs the forward convolution of the output to give back the input length.
        const int back = padding == "same" ? (outLen + s[a] - 1) / s[a] : (outLen - k[a]) / s[a] + 1;
        if ((padding == "valid" && outLen < k[a]) || back != in[a])
            ctx.fail("output length " + std::to_string(outLen) + " does not match the input length " +
                     std::to_string(in[a]) + " with kernel " + std::to_string(k[a]) + " and strides " +
                     std::to_string(s[a]));
        int fwdBefore = 0, fwdAfter = 0;
        if (padding == "same") samePadding(outLen, k[a], s[a], 1, fwdBefore, fwdAfter);
        before = k[a] - 1 - fwdBefore;
        after = outLen - ((in[a] - 1) * s[a] + 1) - before + k[a] - 1;
        NNFPGA_ASSERT(before >= 0 && after >= 0, "transposed convolution padding");
    };
    int outH = 1, outW = 1;
    if (rank == 2) axis(0, w.inH, w.kh, w.inDilH, w.padTop, w.padBottom, outH);
    axis(rank - 1, w.inW, w.kw, w.inDilW, w.padLeft, w.padRight, outW);
    w.computeOutput();
    NNFPGA_ASSERT(w.outH == outH && w.outW == outW, "transposed convolution output length");
    return w;
}

// Keras (k..., filters, chan) → IR [kh][kw][chan][filt], flipped along both spatial axes.
std::vector<double> flipTransposeKernel(const std::vector<double>& k, int kh, int kw, int nChan, int nFilt) {
    std::vector<double> out(k.size());
    for (int i = 0; i < kh; ++i)
        for (int j = 0; j < kw; ++j)
            for (int c = 0; c < nChan; ++c)
                for (int f = 0; f < nFilt; ++f)
                    out[((size_t(i) * kw + j) * nChan + c) * nFilt + f] =
                        k[((size_t(kh - 1 - i) * kw + (kw - 1 - j)) * nFilt + f) * nChan + c];
    return out;
}

int addConv(const KerasLayerContext& ctx, const std::string& name, ConvAttrs a, int input) {
    const Shape out = a.win.outShape(a.nFilt);
    return kerasAddNode(ctx, name, ctx.layer.className, std::move(a), {input}, out);
}

using ConvKind = KerasConvKind;

KerasHandler conv(int spatial, ConvKind kind) {
    return [spatial, kind](KerasLayerContext& ctx) { return kerasConvLayer(ctx, spatial, kind); };
}

}  // namespace

std::vector<int> kerasConvLayer(KerasLayerContext& ctx, int spatial, KerasConvKind kind, const KerasConvHooks& hooks) {
    auto add = [&](const std::string& name, ConvAttrs a, int input, KerasConvPart part) {
        return hooks.addNode ? hooks.addNode(ctx, name, std::move(a), input, part)
                             : addConv(ctx, name, std::move(a), input);
    };
    const json& c = ctx.layer.config;
    const bool channelsFirst = kerasChannelsFirst(ctx);
    int in = kerasSingleInput(ctx);
    if (channelsFirst) in = kerasToChannelsLast(ctx, in);
    const Shape inShape = ctx.graph.tensor(in).shape;
    kerasExpectSpatial(ctx, inShape, spatial);
    const int nChan = inShape.back();
    const std::vector<int> k = kerasInts(ctx, "kernel_size", spatial, 1);
    const std::vector<int> s = kerasInts(ctx, "strides", spatial, 1);
    const std::vector<int> d = kerasInts(ctx, "dilation_rate", spatial, 1);
    if (int groups = kerasCfgOr<int>(c, "groups", 1); groups != 1)
        ctx.fail("grouped convolution (groups " + std::to_string(groups) + ") is not supported");
    const bool dilated = std::any_of(d.begin(), d.end(), [](int v) { return v > 1; });
    if (dilated && kind == ConvKind::Transpose) ctx.fail("dilation in a transposed convolution is not supported");
    if (dilated && std::any_of(s.begin(), s.end(), [](int v) { return v > 1; }))
        ctx.fail("dilation with strides > 1 is not supported");
    const bool useBias = kerasCfgOr<bool>(c, "use_bias", true);

    ConvAttrs a;
    a.nChan = nChan;
    int out = -1;
    if (kind == ConvKind::Plain) {
        a.nFilt = kerasCfgOr<int>(c, "filters", 0);
        a.win = kerasWindow(ctx, inShape, k, s, d, spatial == 1);
        a.kernel = weightOfShape(ctx, 0, "kernel", kernelShape(k, {nChan, a.nFilt})).data;
        if (useBias) a.bias = weightOfShape(ctx, 1, "bias", {a.nFilt}).data;
        out = add(ctx.layer.name, std::move(a), in, KerasConvPart::Whole);
    } else if (kind == ConvKind::Depthwise) {
        a.depthMultiplier = kerasCfgOr<int>(c, "depth_multiplier", 1);
        a.nFilt = nChan * a.depthMultiplier;
        a.win = kerasWindow(ctx, inShape, k, s, d, spatial == 1);
        a.kernel = weightOfShape(ctx, 0, "depthwise_kernel", kernelShape(k, {nChan, a.depthMultiplier})).data;
        if (useBias) a.bias = weightOfShape(ctx, 1, "bias", {a.nFilt}).data;
        out = add(ctx.layer.name, std::move(a), in, KerasConvPart::Whole);
    } else if (kind == ConvKind::Separable) {
        const int dm = kerasCfgOr<int>(c, "depth_multiplier", 1);
        const int nFilt = kerasCfgOr<int>(c, "filters", 0);
        a.depthMultiplier = dm;
        a.nFilt = nChan * dm;
        a.win = kerasWindow(ctx, inShape, k, s, d, spatial == 1);
        a.kernel = weightOfShape(ctx, 0, "depthwise_kernel", kernelShape(k, {nChan, dm})).data;
        const Window dwWin = a.win;
        const int mid = add(ctx.layer.name + "_depthwise", std::move(a), in, KerasConvPart::Depthwise);
        ConvAttrs p;
        p.nChan = nChan * dm;
        p.nFilt = nFilt;
        p.win.rank = spatial;
        p.win.inH = p.win.outH = dwWin.outH;
        p.win.inW = p.win.outW = dwWin.outW;
        p.kernel =
            weightOfShape(ctx, 1, "pointwise_kernel", kernelShape(std::vector<int>(spatial, 1), {p.nChan, nFilt})).data;
        if (useBias) p.bias = weightOfShape(ctx, 2, "bias", {nFilt}).data;
        out = add(ctx.layer.name, std::move(p), mid, KerasConvPart::Pointwise);
    } else {
        a.nFilt = kerasCfgOr<int>(c, "filters", 0);
        a.win = transposeWindow(ctx, inShape, k, s);
        const KerasWeight& w = weightOfShape(ctx, 0, "kernel", kernelShape(k, {a.nFilt, nChan}));
        a.kernel = flipTransposeKernel(w.data, a.win.kh, a.win.kw, nChan, a.nFilt);
        if (useBias) a.bias = weightOfShape(ctx, 1, "bias", {a.nFilt}).data;
        out = add(ctx.layer.name, std::move(a), in, KerasConvPart::Whole);
    }
    if (hooks.activation)
        out = hooks.activation(ctx, out);
    else if (auto act = c.find("activation"); act != c.end())
        out = addKerasActivation(ctx, *act, out);
    return {channelsFirst ? kerasToChannelsFirst(ctx, out) : out};
}

void registerKerasConvHandlers(KerasHandlerTable& t) {
    t["Conv1D"] = conv(1, ConvKind::Plain);
    t["Conv2D"] = conv(2, ConvKind::Plain);
    t["DepthwiseConv1D"] = conv(1, ConvKind::Depthwise);
    t["DepthwiseConv2D"] = conv(2, ConvKind::Depthwise);
    t["SeparableConv1D"] = conv(1, ConvKind::Separable);
    t["SeparableConv2D"] = conv(2, ConvKind::Separable);
    t["Conv1DTranspose"] = conv(1, ConvKind::Transpose);
    t["Conv2DTranspose"] = conv(2, ConvKind::Transpose);
}

}  // namespace nnfpga
