// HLS emitters of the activation family: the configuration struct, lookup tables and constants written from
// the same construction the emulator uses (nnfpga/emulator/tables.h), and the library call.
#include "emit_context.h"
#include "nnfpga/emulator/tables.h"
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
    const int64_t size = numElements(ctx.g.tensor(n.inputs[0]).shape);
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
            break;
        }
        case ActKind::PRelu: {
            fn = "prelu";
            const std::string pT = ctx.typedefFor(base + "_param_t", a.paramT);
            lines.push_back("typedef " + pT + " param_t;");
            const std::string arr = ctx.uniqueName(base + "_alpha");
            ctx.weightArray(arr, pT, a.paramT, k.alpha);
            extra = ", " + arr;
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
    if (shape.size() != 1) failAtLayer(n.name, n.kind, "the HLS backend supports softmax over a vector only, got shape " + shapeStr(shape));
    const SoftmaxPlan plan = softmaxPlan(n, ctx.g.tensor(n.inputs[0]).type);
    ctx.params.open("struct " + cfg);
    ctx.params.line("static const unsigned n_in = " + std::to_string(numElements(shape)) + ";");
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
    return {"nnfpga_hls::" + fn + args(ctx, n, cfg) + "(" + in[0] + ", " + out + extra + ");"};
}

}  // namespace nnfpga
