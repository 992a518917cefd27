// HLS emitters of the activation family: the configuration struct, lookup tables and constants written from
// the same construction the emulator uses (nnfpga/emulator/tables.h: tables, step thresholds, power-of-two
// bounds), and the library call.
#include "emit_context.h"
#include "nnfpga/emulator/tables.h"
#include "nnfpga/fixed/quantize.h"
#include "nnfpga/support/diagnostics.h"

namespace nnfpga {

namespace {

std::string args(HlsEmitContext& ctx, const Node& n, const std::string& cfg) {
    return "<" + ctx.typeOf.at(n.inputs[0]) + ", " + ctx.typeOf.at(n.outputs[0]) + ", " + cfg + ">";
}

std::string constant(const std::string& typeName, const FixedConst& c) {
    return typeName + "(" + exactLiteral(c.raw, c.type) + ")";
}

}  // namespace

NodeCall emitHlsNode(HlsEmitContext& ctx, const Node& n, const ActivationAttrs& a, const std::vector<std::string>& in,
                     const std::string& out) {
    const std::string base = cIdentifier(n.name);
    const std::string cfg = ctx.uniqueName("config_" + base);
    const int64_t size = ctx.callSize(n.inputs[0]);
    const ActivationConsts k = activationConsts(a);
    std::vector<std::string> lines = {"static const unsigned n_in = " + std::to_string(size) + ";"};
    std::string extra;  // arguments after (data, res)
    std::string fn;
    switch (a.kind) {
        case ActKind::Linear: fn = "linear"; break;
        case ActKind::Relu: fn = "relu"; break;
        case ActKind::LeakyRelu:
        case ActKind::ThresholdedRelu: {
            fn = a.kind == ActKind::LeakyRelu ? "leaky_relu" : "thresholded_relu";
            const std::string pT = ctx.typedefFor(base + "_param_t", k.param.type);
            lines.push_back("typedef " + pT + " param_t;");
            extra = ", " + constant(pT, k.param);
            if (a.negClip) {  // the result type's value of the bound
                const FixedType& outT = ctx.g.tensor(n.outputs[0]).type;
                fn = "leaky_relu_clip";
                extra += ", " + constant(ctx.typeOf.at(n.outputs[0]), {outT, fromDouble(*a.negClip, outT)});
            }
            break;
        }
        case ActKind::PRelu: {
            fn = "prelu";
            const std::string pT = ctx.typedefFor(base + "_param_t", a.paramT);
            lines.push_back("typedef " + pT + " param_t;");
            const std::string arr = ctx.uniqueName(base + "_alpha");
            // io_stream: one write at a time; the alphas of the current pixel, or one set when all pixels share it.
            std::vector<int64_t> alpha = k.alpha;
            bool shared = true;
            for (size_t i = static_cast<size_t>(size); i < alpha.size() && shared; ++i) shared = alpha[i] == alpha[i % size];
            if (shared) alpha.resize(static_cast<size_t>(size));
            ctx.weightArray(arr, pT, a.paramT, alpha);
            extra = ", " + (shared ? arr : "&" + arr + "[pixel * " + std::to_string(size) + "]");
            break;
        }
        case ActKind::HardSigmoid: {
            fn = "hard_sigmoid";
            const std::string sT = ctx.typedefFor(base + "_slope_t", k.slope.type);
            const std::string hT = ctx.typedefFor(base + "_shift_t", k.shift.type);
            lines.push_back("typedef " + sT + " slope_t;");
            lines.push_back("typedef " + hT + " shift_t;");
            extra = ", " + constant(sT, k.slope) + ", " + constant(hT, k.shift);
            break;
        }
        case ActKind::Binary:
        case ActKind::Ternary: {
            fn = "step";
            const FixedType& inT = ctx.g.tensor(n.inputs[0]).type;
            const FixedType& outT = ctx.g.tensor(n.outputs[0]).type;
            const StepConsts c = stepConsts(a, inT, outT);
            // The thresholds may lie one step outside the input's range: two more integer bits hold them.
            const FixedType thrT = FixedType::fixed(inT.width + 2, inT.integer + 2, true);
            const std::string tT = ctx.typedefFor(base + "_thr_t", thrT);
            const std::string rT = ctx.typeOf.at(n.outputs[0]);
            lines.push_back(std::string("static const bool ternary = ") + (a.kind == ActKind::Ternary ? "true;" : "false;"));
            lines.push_back("static const unsigned n_thr = " + std::to_string(c.hiFrom.size()) + ";");
            lines.push_back("typedef " + tT + " thr_t;");
            // One threshold pair per channel (or one for every element), indexed by element % n_thr.
            const std::string hiArr = ctx.uniqueName(base + "_hi_from"), loArr = ctx.uniqueName(base + "_lo_to");
            ctx.weightArray(hiArr, tT, thrT, c.hiFrom);
            ctx.weightArray(loArr, tT, thrT, c.loTo);
            extra = ", " + hiArr + ", " + loArr + ", " + constant(rT, {outT, c.hi}) + ", " + constant(rT, {outT, c.lo}) +
                    ", " + constant(rT, {outT, c.zero});
            break;
        }
        case ActKind::Po2: {
            fn = "po2";
            const FixedType& inT = ctx.g.tensor(n.inputs[0]).type;
            const FixedType& outT = ctx.g.tensor(n.outputs[0]).type;
            const Po2Consts c = po2Consts(a, inT, outT);
            auto u64 = [](uint64_t v) { return std::to_string(v) + "ULL"; };
            auto flag = [](bool b) { return std::string(b ? "true" : "false"); };
            lines.push_back("static const unsigned n_exp = " + std::to_string(c.pos.size()) + ";");
            lines.push_back("static const int min_exp = " + std::to_string(a.po2.minExp) + ";");
            lines.push_back("static const int max_exp = " + std::to_string(a.po2.maxExp) + ";");
            lines.push_back("static const int max_value_exp = " + std::to_string(c.maxValueExp) + ";");
            lines.push_back("static const int in_frac = " + std::to_string(inT.frac()) + ";");
            lines.push_back("static const int slope_shift = " + std::to_string(c.slopeShift) + ";");
            lines.push_back("static const bool relu = " + flag(a.po2.relu) + ";");
            lines.push_back("static const bool neg_slope = " + flag(a.po2.negSlope > 0) + ";");
            lines.push_back("static const bool floor_log = " + flag(a.po2.floorLog) + ";");
            lines.push_back("static const bool has_max = " + flag(a.po2.maxValue > 0) + ";");
            lines.push_back("static const unsigned long long tiny_below = " + u64(c.tinyBelow) + ";");
            lines.push_back("static const unsigned long long max_from = " + u64(c.maxFrom) + ";");
            lines.push_back("static const unsigned long long tiny_below_neg = " + u64(c.tinyBelowNeg) + ";");
            lines.push_back("static const unsigned long long max_from_neg = " + u64(c.maxFromNeg) + ";");
            const std::string rT = ctx.typeOf.at(n.outputs[0]);
            const std::string pos = ctx.uniqueName(base + "_pos"), neg = ctx.uniqueName(base + "_neg");
            ctx.weightArray(pos, rT, outT, c.pos);
            ctx.weightArray(neg, rT, outT, c.neg);
            extra = ", " + pos + ", " + neg;
            break;
        }
        case ActKind::Lut: {
            fn = "unary_lut";
            const FixedType& outT = ctx.g.tensor(n.outputs[0]).type;
            const std::string iT = ctx.typedefFor(base + "_index_t", lutIndexType(a));
            lines.push_back("static const unsigned table_size = " + std::to_string(a.lut.size()) + ";");
            lines.push_back("typedef " + iT + " index_t;");
            const std::string arr = ctx.uniqueName(base + "_lut");
            ctx.weightArray(arr, ctx.typeOf.at(n.outputs[0]), outT, quantizeAll(a.lut, outT));
            extra = ", " + arr;
            break;
        }
        case ActKind::Sigmoid:
        case ActKind::Tanh:
        case ActKind::Softplus:
        case ActKind::Softsign:
        case ActKind::Elu:
        case ActKind::Selu: {
            fn = toString(a.kind);
            const LookupTable table = activationTable(n);
            const std::string tT = ctx.typedefFor(base + "_table_t", table.type);
            lines.push_back("static const unsigned table_size = " + std::to_string(table.raw.size()) + ";");
            lines.push_back("typedef " + tT + " table_t;");
            const std::string arr = ctx.uniqueName(base + "_table");
            ctx.weightArray(arr, tT, table.type, table.raw);
            if (a.kind == ActKind::Elu) {
                const std::string pT = ctx.typedefFor(base + "_param_t", k.param.type);
                lines.push_back("typedef " + pT + " param_t;");
                extra = ", " + constant(pT, k.param) + ", " + arr;
            } else if (a.kind == ActKind::Selu) {
                extra = ", " + constant("ap_ufixed<16, 1>", k.seluLambda) + ", " + arr;
            } else {
                extra = ", " + arr;
            }
            break;
        }
    }
    ctx.params.open("struct " + cfg);
    for (const auto& l : lines) ctx.params.line(l);
    ctx.params.close(";").line();
    return {"nnfpga_hls::" + fn + args(ctx, n, cfg) + "(" + in[0] + ", " + out + extra + ");"};
}

NodeCall emitHlsNode(HlsEmitContext& ctx, const Node& n, const SoftmaxAttrs& a, const std::vector<std::string>& in,
                     const std::string& out) {
    const std::string base = cIdentifier(n.name);
    const std::string cfg = ctx.uniqueName("config_" + base);
    const Shape& shape = ctx.g.tensor(n.inputs[0]).shape;
    if (shape.size() > 1 && a.nInner != 1)
        failAtLayer(n.name, n.kind, "the HLS backend supports softmax over the last axis only, got n_inner " +
                                        std::to_string(a.nInner) + " for shape " + shapeStr(shape));
    // Over the last axis: one pixel per call (io_stream), or a loop over the pixels (io_parallel).
    const int64_t width = shape.empty() ? 1 : (shape.size() == 1 ? shape[0] : shape.back());
    const int64_t pixels = ctx.stream() ? 1 : numElements(shape) / width;
    const SoftmaxPlan plan = softmaxPlan(n, ctx.g.tensor(n.inputs[0]).type);
    ctx.params.open("struct " + cfg);
    ctx.params.line("static const unsigned n_in = " + std::to_string(width) + ";");
    ctx.params.line("static const unsigned exp_size = " + std::to_string(plan.expSize) + ";");
    ctx.params.line("static const unsigned inv_size = " + std::to_string(plan.invSize) + ";");
    ctx.params.line("static const unsigned exp_bits = " + std::to_string(plan.exp.bits) + ";");
    ctx.params.line("static const unsigned inv_bits = " + std::to_string(plan.inv.bits) + ";");
    std::string extra, fn;
    switch (a.impl) {
        case SoftmaxImpl::Stable:
        case SoftmaxImpl::Latency: {
            fn = a.impl == SoftmaxImpl::Stable ? "softmax_stable" : "softmax_latency";
            const std::string eT = ctx.typedefFor(base + "_exp_table_t", plan.exp.table.type);
            const std::string iT = ctx.typedefFor(base + "_inv_table_t", plan.inv.table.type);
            const std::string inT = ctx.typedefFor(base + "_inv_inp_t", a.invInpT);
            const std::string accT = ctx.typedefFor(base + "_accum_t", a.accumT);
            const std::string normT = ctx.typedefFor(base + "_inp_norm_t", a.impl == SoftmaxImpl::Stable
                                                                              ? plan.inpNormT
                                                                              : FixedType::fixed(1, 0));
            ctx.params.line("typedef " + eT + " exp_table_t;").line("typedef " + iT + " inv_table_t;");
            ctx.params.line("typedef " + inT + " inv_inp_t;").line("typedef " + accT + " accum_t;");
            ctx.params.line("typedef " + normT + " inp_norm_t;");
            const std::string et = ctx.uniqueName(base + "_exp_table"), it = ctx.uniqueName(base + "_inv_table");
            ctx.weightArray(et, eT, plan.exp.table.type, plan.exp.table.raw);
            ctx.weightArray(it, iT, plan.inv.table.type, plan.inv.table.raw);
            extra = ", " + et + ", " + it;
            break;
        }
        case SoftmaxImpl::Legacy: {
            fn = "softmax_legacy";
            const std::string tT = ctx.typedefFor(base + "_table_t", legacySoftmaxTableType());
            ctx.params.line("typedef " + tT + " table_t;");
            const std::string et = ctx.uniqueName(base + "_exp_table"), it = ctx.uniqueName(base + "_inv_table");
            ctx.weightArray(et, tT, plan.legacyExp.type, plan.legacyExp.raw);
            ctx.weightArray(it, tT, plan.legacyInv.type, plan.legacyInv.raw);
            extra = ", " + et + ", " + it;
            break;
        }
        case SoftmaxImpl::Argmax: fn = "softmax_argmax"; break;
    }
    ctx.params.close(";").line();
    const std::string call = "nnfpga_hls::" + fn + args(ctx, n, cfg);
    if (pixels == 1) return {call + "(" + in[0] + ", " + out + extra + ");"};
    const std::string w = std::to_string(width), inT = ctx.typeOf.at(n.inputs[0]), outT = ctx.typeOf.at(n.outputs[0]);
    return {"for (unsigned p = 0; p < " + std::to_string(pixels) + "; p++) {\n" +
            "    NNFPGA_PRAGMA(HLS UNROLL)\n" +
            "    " + inT + " x[" + w + "];\n" +
            "    " + outT + " y[" + w + "];\n" +
            "    NNFPGA_PRAGMA(HLS ARRAY_PARTITION variable = x complete)\n" +
            "    NNFPGA_PRAGMA(HLS ARRAY_PARTITION variable = y complete)\n" +
            "    for (unsigned i = 0; i < " + w + "; i++) x[i] = " + in[0] + "[p * " + w + " + i];\n" +
            "    " + call + "(x, y" + extra + ");\n" +
            "    for (unsigned i = 0; i < " + w + "; i++) " + out + "[p * " + w + " + i] = y[i];\n}"};
}

}  // namespace nnfpga
