// infer_precision: resolves 'auto' types the way hls4ml's infer_precision_types does: accumulators and results
// wide enough for every product and sum of a Dense, Conv, BatchNorm, average pooling, merge or dot layer; layout
// layers keep their input type; layers without a rule get the model default.
#include <algorithm>
#include <climits>
#include <cmath>
#include <vector>

#include "nnfpga/passes/pass.h"
#include "nnfpga/support/diagnostics.h"

namespace nnfpga {

namespace {

// Adds a bias of type b to a value of type (w, i, signed): hls4ml's +1 rule.
FixedType addBias(int w, int i, bool s, const FixedType& b) {
    const int frac = w - i;
    const bool sb = b.isSigned;
    const int iOut = std::max(i + (sb && !s ? 1 : 0), b.integer + (s && !sb ? 1 : 0)) + 1;
    const int wOut = iOut + std::max(frac, b.width - b.integer);
    return FixedType::fixed(wOut, iOut, s || sb);
}

// hls4ml's Dense/Conv rule: n products of input x weight summed, then the bias (an absent one is ap_uint<1>).
FixedType accumulatorType(const FixedType& in, const FixedType& w, int64_t nOps, bool hasBias, const FixedType& b) {
    const int lg = ceilLog2(nOps);
    return addBias(w.width + in.width + lg, w.integer + in.integer + lg, w.isSigned || in.isSigned,
                   hasBias ? b : FixedType::integerType(1, false));
}

// Integer bits of input t once converted to a signed common type: one more for an unsigned input.
int alignedInteger(const FixedType& t, bool signedCommon) { return t.integer + (signedCommon && !t.isSigned); }

// Merge and Concat over input types `ts` (hls4ml's rules for two inputs, extended to n).
FixedType mergeType(MergeOp op, const std::vector<FixedType>& ts) {
    bool anySigned = false, allSame = true;
    int maxFrac = ts[0].frac(), maxInt = INT32_MIN, width = 0, integer = 0;
    for (const FixedType& t : ts) {
        anySigned |= t.isSigned;
        allSame &= t == ts[0];
        maxFrac = std::max(maxFrac, t.frac());
        width += t.width;
        integer += t.integer;
    }
    for (const FixedType& t : ts) maxInt = std::max(maxInt, alignedInteger(t, anySigned));
    switch (op) {
        case MergeOp::Add:
        case MergeOp::Subtract:
        case MergeOp::Average: {
            const int i = maxInt + ceilLog2(static_cast<int64_t>(ts.size()));
            return FixedType::fixed(i + maxFrac, i, anySigned || op == MergeOp::Subtract);
        }
        case MergeOp::Multiply:
            return FixedType::fixed(width, integer, anySigned);
        case MergeOp::Maximum:
        case MergeOp::Minimum:
            return allSame ? ts[0] : FixedType::fixed(maxInt + maxFrac, maxInt, anySigned);
    }
    return ts[0];
}

// Concat: as maximum/minimum, with the first non-default rounding and overflow modes of the inputs.
FixedType concatType(const std::vector<FixedType>& ts) {
    FixedType t = mergeType(MergeOp::Maximum, ts);
    if (t == ts[0]) return t;
    for (const FixedType& x : ts)
        if (x.rounding != Rounding::TRN) {
            t.rounding = x.rounding;
            break;
        }
    for (const FixedType& x : ts)
        if (x.overflow != Overflow::WRAP) {
            t.overflow = x.overflow;
            break;
        }
    return t;
}

bool has(const Node& n, const char* var) {
    return std::find(n.autoTypes.begin(), n.autoTypes.end(), var) != n.autoTypes.end();
}

// Whether the model (not the configuration) leaves `var` to inference: it asks for the exact type.
bool modelAuto(const Node& n, const char* var) {
    return std::find(n.modelAutoTypes.begin(), n.modelAutoTypes.end(), var) != n.modelAutoTypes.end();
}

// The exact type of relu(x) for x of type t: the non-negative half of a signed type, unsigned.
FixedType reluType(const FixedType& t) {
    if (!t.isSigned || t.width < 2) return FixedType::fixed(t.width, t.integer, t.isSigned);
    return FixedType::fixed(t.width - 1, t.integer - 1, false);
}

class InferPrecision final : public Pass {
public:
    const char* name() const override { return "infer_precision"; }
    const char* summary() const override { return "resolve 'auto' types (hls4ml's rules)"; }
    const char* description() const override {
        return "Dense/Conv: accum = result = ap_fixed<Ww+Wi+ceil(log2 n), Iw+Ii+ceil(log2 n)> widened for the bias "
               "(one more integer bit), n = inputs per output (Conv: channels*kh*kw, depthwise kh*kw). BatchNorm: "
               "product width plus the bias rule. Pool: max keeps the input type; average accum "
               "<W+2*ceil(log2 kh*kw), I+ceil(log2 kh*kw)>, result = input type. Merge add/subtract/average: "
               "one more integer bit than the widest input (per doubling of the input count), multiply: sums of "
               "widths and integer bits, maximum/minimum and Concat: a type covering every input. Dot: "
               "<W1+W2+ceil(log2 n), I1+I2+ceil(log2 n)>. Pad, Upsample, Transpose keep the input type; global "
               "pooling, cropping and any other 'auto' variable get the model's default precision, except a relu or linear "
               "activation whose model asks for exact types (HGQ): the input type (relu: its unsigned half). With "
               "Po2Product: hls4ml, a power-of-two kernel gets hls4ml's product type ap_fixed<2(E+Wx), E+Wx> (E its "
               "exponent bits, Wx the input width) and its 'auto' accum and result the default, as hls4ml infers "
               "nothing from an exponent type. Runs in graph order so inputs are typed first.";
    }

    bool run(Graph& g, PassContext& ctx) override {
        const FixedType dflt = parseFixedTypeOrFail(ctx.config.model.precision.count("default")
                                                        ? ctx.config.model.precision.at("default")
                                                        : std::string("ap_fixed<16,6>"));
        bool changed = false;
        const bool po2Hls4ml = ctx.config.po2ProductHls4ml();
        for (Node& n : g.nodes) {
            Po2Product* po2 = n.as<DenseAttrs>() ? &n.as<DenseAttrs>()->po2 : n.as<ConvAttrs>() ? &n.as<ConvAttrs>()->po2 : nullptr;
            const bool shift = po2Hls4ml && po2 && po2->exponentBits > 0;
            if (n.as<ReshapeAttrs>()) {  // in place: keeps its input's (possibly just inferred) type
                g.tensor(n.outputs[0]).type = g.tensor(n.inputs[0]).type;
                continue;
            }
            if (shift) {
                // hls4ml's weight_exponential: r_T = ap_fixed<2(E+Wx), E+Wx> of the input's width Wx.
                const int w = po2->exponentBits + g.tensor(n.inputs[0]).type.width;
                po2->type = FixedType::fixed(2 * w, w, true);
                changed = true;
            }
            if (n.autoTypes.empty()) continue;
            changed = true;
            TensorInfo& out = g.tensor(n.outputs.at(0));
            const FixedType in = n.inputs.empty() ? dflt : g.tensor(n.inputs[0]).type;
            std::vector<FixedType> ins;
            for (int t : n.inputs) ins.push_back(g.tensor(t).type);
            FixedType* accum = nullptr;  // the node's accumulator type, checked for width below
            if (auto* a = n.as<DenseAttrs>()) {
                if (has(n, "weight")) a->weightT = dflt;
                if (has(n, "bias")) a->biasT = dflt;
                // hls4ml infers nothing from a power-of-two weight type: the default.
                const FixedType acc = shift ? dflt : accumulatorType(in, a->weightT, a->nIn, !a->bias.empty(), a->biasT);
                if (has(n, "accum")) a->accumT = acc;
                if (has(n, "result")) out.type = acc;
                accum = &a->accumT;
            } else if (auto* c = n.as<ConvAttrs>()) {
                if (has(n, "weight")) c->weightT = dflt;
                if (has(n, "bias")) c->biasT = dflt;
                const int64_t taps = int64_t(c->win.kh) * c->win.kw;
                const FixedType acc = shift ? dflt
                                            : accumulatorType(in, c->weightT, c->depthwise() ? taps : taps * c->nChan,
                                                              !c->bias.empty(), c->biasT);
                if (has(n, "accum")) c->accumT = acc;
                if (has(n, "result")) out.type = acc;
                accum = &c->accumT;
            } else if (auto* p = n.as<PoolAttrs>()) {
                // hls4ml has no rule for global pooling: its 'auto' types get the default.
                if (has(n, "accum")) {
                    const int e = ceilLog2(int64_t(p->win.kh) * p->win.kw);
                    p->accumT = p->global ? dflt
                                : p->op == PoolOp::Max
                                    ? in
                                    : FixedType::fixed(in.width + 2 * e, in.integer + e, in.isSigned);
                }
                if (has(n, "result")) out.type = p->global ? dflt : in;
                accum = &p->accumT;
            } else if (auto* pad = n.as<PadAttrs>()) {
                // Cropping has no rule in hls4ml (default); zero padding keeps the input type.
                const bool crops = std::any_of(pad->before.begin(), pad->before.end(), [](int v) { return v < 0; }) ||
                                   std::any_of(pad->after.begin(), pad->after.end(), [](int v) { return v < 0; });
                if (has(n, "result")) out.type = crops ? dflt : in;
            } else if (n.as<UpsampleAttrs>() || n.as<TransposeAttrs>()) {
                if (has(n, "result")) out.type = in;
            } else if (auto* m = n.as<MergeAttrs>()) {
                if (has(n, "result")) out.type = mergeType(m->op, ins);
            } else if (n.as<ConcatAttrs>()) {
                if (has(n, "result")) out.type = concatType(ins);
            } else if (auto* d = n.as<DotAttrs>()) {
                const int lg = ceilLog2(numElements(g.tensor(n.inputs[0]).shape));
                const FixedType t =
                    FixedType::fixed(ins[0].width + ins[1].width + lg, ins[0].integer + ins[1].integer + lg,
                                     ins[0].isSigned || ins[1].isSigned);
                if (has(n, "accum")) d->accumT = t;
                if (has(n, "result")) out.type = t;
                accum = &d->accumT;
            } else if (auto* b = n.as<BatchNormAttrs>()) {
                if (has(n, "scale")) b->scaleT = dflt;
                if (has(n, "bias")) b->biasT = dflt;
                if (has(n, "result"))
                    out.type = addBias(in.width + b->scaleT.width, in.integer + b->scaleT.integer,
                                       in.isSigned || b->scaleT.isSigned, b->biasT);
            } else if (auto* act = n.as<ActivationAttrs>(); act && has(n, "result") && modelAuto(n, "result") &&
                                                            (act->kind == ActKind::Relu || act->kind == ActKind::Linear)) {
                out.type = act->kind == ActKind::Relu ? reluType(in) : in;  // exact (HGQ proxy models)
            } else {
                if (auto* a = n.as<ActivationAttrs>(); a && has(n, "param")) a->paramT = dflt;
                if (has(n, "result")) out.type = dflt;
            }
            for (const FixedType* t : {static_cast<const FixedType*>(&out.type), static_cast<const FixedType*>(accum)})
                if (t && t->width > kMaxWidth)
                    failAtLayer(n.name, n.kind,
                                "inferred type " + t->str() + " is wider than " + std::to_string(kMaxWidth) +
                                    " bits; set a precision for it");
            n.autoTypes.clear();
        }
        return changed;
    }
};

}  // namespace

std::unique_ptr<Pass> makeInferPrecision() { return std::make_unique<InferPrecision>(); }

}  // namespace nnfpga
