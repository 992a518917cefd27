// HLS emitters of the core family: Input (nothing), Reshape (a copy of the flat array; in io_stream a repacking
// when the pixel size changes), Dense and BatchNorm (configuration struct, weight arrays, library call).
#include "emit_context.h"
#include "nnfpga/emulator/dense_variants.h"
#include "nnfpga/fixed/quantize.h"
#include "nnfpga/support/diagnostics.h"

namespace nnfpga {

namespace {

std::string templateArgs(HlsEmitContext& ctx, const Node& n, const std::string& cfg) {
    return "<" + ctx.typeOf.at(n.inputs[0]) + ", " + ctx.typeOf.at(n.outputs[0]) + ", " + cfg + ">";
}

}  // namespace

NodeCall emitHlsNode(HlsEmitContext&, const Node&, const InputAttrs&, const std::vector<std::string>&,
                     const std::string&) {
    return {};
}

NodeCall emitHlsNode(HlsEmitContext& ctx, const Node& n, const ReshapeAttrs&, const std::vector<std::string>& in,
                     const std::string& out) {
    const int ti = n.inputs[0], to = n.outputs[0];
    if (ctx.stream() && ctx.streamWidth(ti) != ctx.streamWidth(to)) {
        // Another pixel size: the stream is repacked (the values keep their order).
        ctx.libraries.insert("nnfpga_layout.h");
        const std::string cfg = ctx.uniqueName("config_" + cIdentifier(n.name));
        ctx.params.open("struct " + cfg)
            .line("static const unsigned n_elem = " + std::to_string(numElements(ctx.g.tensor(to).shape)) + ";")
            .line("static const unsigned in_pixel = " + std::to_string(ctx.streamWidth(ti)) + ";")
            .line("static const unsigned out_pixel = " + std::to_string(ctx.streamWidth(to)) + ";")
            .close(";");
        ctx.params.line();
        return {"", "nnfpga_hls::repack_stream<" + ctx.typeOf.at(ti) + ", " + ctx.typeOf.at(to) + ", " + cfg +
                        ">(s_in0, s_out);"};
    }
    const int64_t size = ctx.callSize(to);
    return {"for (unsigned i = 0; i < " + std::to_string(size) + "; i++) {\n    NNFPGA_PRAGMA(HLS UNROLL)\n    " + out +
            "[i] = " + in[0] + "[i];\n}"};
}

NodeCall emitHlsNode(HlsEmitContext& ctx, const Node& n, const DenseAttrs& a, const std::vector<std::string>& in,
                     const std::string& out) {
    const std::string base = cIdentifier(n.name);
    // Binary weights are stored one bit each (1 for +1), for dense_sign and dense_xnor.
    const DenseProduct product = denseProduct(ctx.g, n);
    const bool bitWeights = product == DenseProduct::BinaryWeight || product == DenseProduct::Xnor;
    const FixedType storedT = bitWeights ? FixedType::integerType(1, false) : a.weightT;
    const std::string wT = ctx.typedefFor(base + "_weight_t", storedT);
    const FixedType biasType = a.bias.empty() ? FixedType::integerType(1, false) : a.biasT;
    const std::string bT = ctx.typedefFor(base + "_bias_t", biasType);
    const std::string accT = ctx.typedefFor(base + "_accum_t", a.accumT);
    const std::string prodT = a.po2.type ? ctx.typedefFor(base + "_product_t", *a.po2.type) : "";
    const std::string w = ctx.uniqueName(base + "_w"), b = ctx.uniqueName(base + "_b");
    std::vector<int64_t> wRaw = quantizeAll(a.kernel, a.weightT);
    if (bitWeights)
        for (int64_t& r : wRaw) r = r > 0 ? 1 : 0;
    ctx.weightArray(w, wT, storedT, wRaw);
    ctx.weightArray(b, bT, biasType,
                    a.bias.empty() ? std::vector<int64_t>(a.nOut, 0) : quantizeAll(a.bias, a.biasT));
    const std::string cfg = ctx.uniqueName("config_" + base);
    bool anyZero = false;
    for (double v : a.kernel) anyZero |= fromWeightText(v, a.weightT) == 0;
    ctx.params.open("struct " + cfg)
        .line("static const unsigned n_in = " + std::to_string(a.nIn) + ";")
        .line("static const unsigned n_out = " + std::to_string(a.nOut) + ";")
        .line("static const unsigned reuse_factor = " + std::to_string(n.settings.reuseFactor) + ";")
        .line(std::string("static const unsigned strategy = ") +
              (n.settings.strategy == Strategy::Latency ? "0;  // latency" : "1;  // resource"))
        .line(std::string("static const unsigned nonzero = ") + (anyZero ? "1;  // skip zero weights" : "0;"))
        .line(std::string("static const bool ternary = ") + (product == DenseProduct::TernaryWeight ? "true;" : "false;") +
              "  // " + toString(product))
        .line("typedef " + accT + " accum_t;")
        .line("typedef " + wT + " weight_t;")
        .line("typedef " + bT + " bias_t;");
    if (!prodT.empty()) ctx.params.line("typedef " + prodT + " product_t;  // hls4ml's power-of-two shift product");
    ctx.params.close(";");
    ctx.params.line();
    const char* fn = product == DenseProduct::Multiply   ? "dense"
                     : product == DenseProduct::Xnor     ? "dense_xnor"
                     : product == DenseProduct::Po2Shift ? "dense_po2"
                                                         : "dense_sign";
    return {std::string("nnfpga_hls::") + fn + templateArgs(ctx, n, cfg) + "(" + in[0] + ", " + out + ", " + w + ", " + b + ");"};
}

NodeCall emitHlsNode(HlsEmitContext& ctx, const Node& n, const BatchNormAttrs& a, const std::vector<std::string>& in,
                     const std::string& out) {
    const std::string base = cIdentifier(n.name);
    const std::string sT = ctx.typedefFor(base + "_scale_t", a.scaleT);
    const std::string bT = ctx.typedefFor(base + "_bias_t", a.biasT);
    const std::string s = ctx.uniqueName(base + "_s"), b = ctx.uniqueName(base + "_b");
    ctx.weightArray(s, sT, a.scaleT, quantizeAll(a.scale, a.scaleT));
    ctx.weightArray(b, bT, a.biasT, quantizeAll(a.bias, a.biasT));
    const int64_t size = ctx.callSize(n.inputs[0]);
    if (size % a.nFilt != 0)
        failAtLayer(n.name, n.kind, "io_stream needs the " + std::to_string(a.nFilt) +
                                        " scale/bias values to repeat within each pixel of " + std::to_string(size) +
                                        " values");
    const std::string cfg = ctx.uniqueName("config_" + base);
    ctx.params.open("struct " + cfg)
        .line("static const unsigned n_in = " + std::to_string(size) + ";")
        .line("static const unsigned n_filt = " + std::to_string(a.nFilt) + ";")
        .line("static const unsigned reuse_factor = " + std::to_string(n.settings.reuseFactor) + ";")
        .line("typedef " + sT + " scale_t;")
        .line("typedef " + bT + " bias_t;")
        .close(";");
    ctx.params.line();
    return {"nnfpga_hls::batchnorm" + templateArgs(ctx, n, cfg) + "(" + in[0] + ", " + out + ", " + s + ", " + b +
            ");"};
}

}  // namespace nnfpga
