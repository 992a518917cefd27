// HLS emitters of the spatial family: Conv and Pool (a window configuration, runtime/hls/nnfpga_conv.h and
// nnfpga_pool.h; io_stream through a line buffer), Pad, Upsample and Transpose (nnfpga_layout.h).
#include <algorithm>

#include "emit_context.h"
#include "nnfpga/emulator/dense_variants.h"
#include "nnfpga/fixed/quantize.h"
#include "nnfpga/support/diagnostics.h"

namespace nnfpga {

namespace {

std::string templateArgs(HlsEmitContext& ctx, const Node& n, const std::string& cfg) {
    return "<" + ctx.typeOf.at(n.inputs[0]) + ", " + ctx.typeOf.at(n.outputs[0]) + ", " + cfg + ">";
}

std::string field(const std::string& name, int64_t v, const char* type = "unsigned") {
    return std::string("static const ") + type + " " + name + " = " + std::to_string(v) + ";";
}

// The spatial extent of a channels-last tensor of rank 2 ([W, C]) or 3 ([H, W, C]) as (H, W), for the layout ops.
void spatialDims(const Node& n, const Shape& s, int& h, int& w) {
    if (s.size() == 2) {
        h = 1;
        w = s[0];
    } else if (s.size() == 3) {
        h = s[0];
        w = s[1];
    } else {
        failAtLayer(
            n.name, n.kind,
            "the HLS backend supports this layer on 1D and 2D data ([W, C] or [H, W, C]), got shape " + shapeStr(s));
    }
}

}  // namespace

NodeCall emitHlsNode(HlsEmitContext& ctx, const Node& n, const ConvAttrs& a, const std::vector<std::string>& in,
                     const std::string& out) {
    ctx.libraries.insert("nnfpga_conv.h");
    const std::string base = cIdentifier(n.name);
    // The Keras kernel layout [kh][kw][chan][filt] (depthwise [kh][kw][chan][mult]) is the library's weight order.
    std::vector<int64_t> raw = quantizeAll(a.kernel, a.weightT);
    bool anyZero = false;
    for (int64_t v : raw) anyZero |= v == 0;
    // Weights of value -1, 0 or +1 (binary and ternary kernels) need no multiplier: x is added or subtracted. On
    // the -1/+1 of a binary activation, weights of -1 and +1 become one bit each and products an XNOR.
    const int64_t one = a.weightT.frac() >= 0 && a.weightT.frac() < 62 ? int64_t(1) << a.weightT.frac() : 0;
    const bool sign = !a.po2.type && one != 0 && std::all_of(raw.begin(), raw.end(), [&](int64_t v) { return v == 0 || v == one || v == -one; });
    const bool xnor = convXnor(ctx.g, n);
    FixedType weightType = a.weightT;
    if (xnor) {
        for (int64_t& v : raw) v = v > 0 ? 1 : 0;
        weightType = FixedType::integerType(1, false);
    }
    const std::string wT = ctx.typedefFor(base + "_weight_t", weightType);
    const FixedType biasType = a.bias.empty() ? FixedType::integerType(1, false) : a.biasT;
    const std::string bT = ctx.typedefFor(base + "_bias_t", biasType);
    const std::string accT = ctx.typedefFor(base + "_accum_t", a.accumT);
    const std::string prodT = a.po2.type ? ctx.typedefFor(base + "_product_t", *a.po2.type) : "";
    const std::string w = ctx.uniqueName(base + "_w"), b = ctx.uniqueName(base + "_b");
    ctx.weightArray(w, wT, weightType, raw);
    ctx.weightArray(b, bT, biasType, a.bias.empty() ? std::vector<int64_t>(a.nFilt, 0) : quantizeAll(a.bias, a.biasT));
    const char* product = xnor ? "xnor_product" : sign ? "sign_product" : prodT.empty() ? "mult_product" : "po2_product";
    const std::string cfg = ctx.uniqueName("config_" + base);
    ctx.params.open("struct " + cfg);
    windowFields(ctx.params, a.win, a.nChan);
    ctx.params.line(field("n_filt", a.nFilt))
        .line(field("depth_multiplier", a.depthMultiplier))
        .line(field("n_weights", static_cast<int64_t>(raw.size())))
        .line(field("reuse_factor", n.settings.reuseFactor))
        .line(std::string("static const unsigned strategy = ") +
              (n.settings.strategy == Strategy::Latency ? "0;  // latency" : "1;  // resource"))
        .line(std::string("static const unsigned nonzero = ") + (anyZero ? "1;  // skip zero weights" : "0;"))
        .line("static const bool ternary = true;  // sign_product: weights -1, 0, +1 of weight_t")
        .line("typedef " + accT + " accum_t;")
        .line("typedef " + wT + " weight_t;")
        .line("typedef " + bT + " bias_t;");
    if (!prodT.empty()) ctx.params.line("typedef " + prodT + " product_t;");
    ctx.params
        .line("typedef nnfpga_hls::" + std::string(product) + "<" + cfg + "> product;" +
              (xnor ? "  // one-bit weights on -1/+1 inputs: XNOR-popcount"
               : sign ? "  // weights in {-1, 0, +1}: no multipliers"
               : prodT.empty() ? "" : "  // hls4ml's power-of-two shift product"))
        .close(";");
    ctx.params.line();
    const std::string args = templateArgs(ctx, n, cfg);
    return {"nnfpga_hls::conv" + args + "(" + in[0] + ", " + out + ", " + w + ", " + b + ");",
            "nnfpga_hls::conv_stream" + args + "(s_in0, s_out, " + w + ", " + b + ");"};
}

NodeCall emitHlsNode(HlsEmitContext& ctx, const Node& n, const PoolAttrs& a, const std::vector<std::string>& in,
                     const std::string& out) {
    ctx.libraries.insert("nnfpga_pool.h");
    const std::string base = cIdentifier(n.name);
    const std::string accT = ctx.typedefFor(base + "_accum_t", a.accumT);
    const std::string cfg = ctx.uniqueName("config_" + base);
    ctx.params.open("struct " + cfg);
    windowFields(ctx.params, a.win, a.nChan);
    ctx.params
        .line(std::string("static const unsigned op = ") + (a.op == PoolOp::Max ? "0;  // max" : "1;  // average"))
        .line(field("count_pad", a.countPad ? 1 : 0))
        .line("typedef " + accT + " accum_t;")
        .close(";");
    ctx.params.line();
    const std::string args = templateArgs(ctx, n, cfg);
    const std::string fn = a.global ? "global_pool" : "pool";
    return {"nnfpga_hls::" + fn + args + "(" + in[0] + ", " + out + ");",
            "nnfpga_hls::" + fn + "_stream" + args + "(s_in0, s_out);"};
}

NodeCall emitHlsNode(HlsEmitContext& ctx, const Node& n, const PadAttrs& a, const std::vector<std::string>& in,
                     const std::string& out) {
    ctx.libraries.insert("nnfpga_layout.h");
    const Shape& is = ctx.g.tensor(n.inputs[0]).shape;
    const Shape& os = ctx.g.tensor(n.outputs[0]).shape;
    int inH, inW, outH, outW;
    spatialDims(n, is, inH, inW);
    spatialDims(n, os, outH, outW);
    const bool rank2 = is.size() == 2;
    const std::string cfg = ctx.uniqueName("config_" + cIdentifier(n.name));
    ctx.params.open("struct " + cfg)
        .line(field("in_h", inH))
        .line(field("in_w", inW))
        .line(field("n_chan", is.back()))
        .line(field("out_h", outH))
        .line(field("out_w", outW))
        .line(field("pad_top", rank2 ? 0 : a.before[0], "int"))
        .line(field("pad_left", rank2 ? a.before[0] : a.before[1], "int"))
        .close(";");
    ctx.params.line();
    const std::string args = templateArgs(ctx, n, cfg);
    return {"nnfpga_hls::pad" + args + "(" + in[0] + ", " + out + ");",
            "nnfpga_hls::pad_stream" + args + "(s_in0, s_out);"};
}

NodeCall emitHlsNode(HlsEmitContext& ctx, const Node& n, const UpsampleAttrs& a, const std::vector<std::string>& in,
                     const std::string& out) {
    ctx.libraries.insert("nnfpga_layout.h");
    const Shape& is = ctx.g.tensor(n.inputs[0]).shape;
    int inH, inW;
    spatialDims(n, is, inH, inW);
    const bool rank2 = is.size() == 2;
    const std::string cfg = ctx.uniqueName("config_" + cIdentifier(n.name));
    ctx.params.open("struct " + cfg)
        .line(field("in_h", inH))
        .line(field("in_w", inW))
        .line(field("n_chan", is.back()))
        .line(field("fh", rank2 ? 1 : a.factor[0]))
        .line(field("fw", rank2 ? a.factor[0] : a.factor[1]))
        .close(";");
    ctx.params.line();
    const std::string args = templateArgs(ctx, n, cfg);
    return {"nnfpga_hls::upsample" + args + "(" + in[0] + ", " + out + ");",
            "nnfpga_hls::upsample_stream" + args + "(s_in0, s_out);"};
}

NodeCall emitHlsNode(HlsEmitContext& ctx, const Node& n, const TransposeAttrs& a, const std::vector<std::string>& in,
                     const std::string& out) {
    ctx.libraries.insert("nnfpga_layout.h");
    const Shape& is = ctx.g.tensor(n.inputs[0]).shape;
    const size_t rank = is.size();
    if (rank > 4)
        failAtLayer(n.name, n.kind, "the HLS backend transposes tensors of up to 4 axes, got shape " + shapeStr(is));
    std::vector<int64_t> inStride(rank, 1);
    for (size_t k = rank; k-- > 1;) inStride[k - 1] = inStride[k] * is[k];
    // Output axes d0..d3, leading ones for lower ranks; s_k: the input stride that output axis k walks.
    int64_t d[4] = {1, 1, 1, 1}, st[4] = {0, 0, 0, 0};
    for (size_t k = 0; k < rank; ++k) {
        d[4 - rank + k] = is[static_cast<size_t>(a.perm[k])];
        st[4 - rank + k] = inStride[static_cast<size_t>(a.perm[k])];
    }
    const std::string cfg = ctx.uniqueName("config_" + cIdentifier(n.name));
    ctx.params.open("struct " + cfg).line(field("n_elem", numElements(is)));
    for (int k = 0; k < 4; ++k) ctx.params.line(field("d" + std::to_string(k), d[k]));
    for (int k = 0; k < 4; ++k) ctx.params.line(field("s" + std::to_string(k), st[k]));
    ctx.params.line(field("in_pixel", ctx.streamWidth(n.inputs[0])))
        .line(field("out_pixel", ctx.streamWidth(n.outputs[0])))
        .close(";");
    ctx.params.line();
    const std::string args = templateArgs(ctx, n, cfg);
    return {"nnfpga_hls::transpose" + args + "(" + in[0] + ", " + out + ");",
            "nnfpga_hls::transpose_stream" + args + "(s_in0, s_out);"};
}

}  // namespace nnfpga
