// infer_precision: resolves 'auto' types the way hls4ml's infer_precision_types does: accumulators and results
// wide enough for every product and sum of a Dense or BatchNorm layer; other layers get the model default.
#include <algorithm>
#include <cmath>

#include "nnfpga/passes/pass.h"
#include "nnfpga/support/diagnostics.h"

namespace nnfpga {

namespace {

int ceilLog2(int64_t n) {
    int b = 0;
    while ((int64_t(1) << b) < n) ++b;
    return b;
}

// Adds a bias of type b to a value of type (w, i, signed): hls4ml's +1 rule.
FixedType addBias(int w, int i, bool s, const FixedType& b) {
    const int frac = w - i;
    const bool sb = b.isSigned;
    const int iOut = std::max(i + (sb && !s ? 1 : 0), b.integer + (s && !sb ? 1 : 0)) + 1;
    const int wOut = iOut + std::max(frac, b.width - b.integer);
    return FixedType::fixed(wOut, iOut, s || sb);
}

bool has(const Node& n, const char* var) {
    return std::find(n.autoTypes.begin(), n.autoTypes.end(), var) != n.autoTypes.end();
}

class InferPrecision final : public Pass {
public:
    const char* name() const override { return "infer_precision"; }
    const char* summary() const override { return "resolve 'auto' types (hls4ml's rules)"; }
    const char* description() const override {
        return "Dense: accum = result = ap_fixed<Ww+Wi+ceil(log2 nIn), Iw+Ii+ceil(log2 nIn)> widened for the bias "
               "(one more integer bit). BatchNorm: product width plus the bias rule. Any other 'auto' variable "
               "gets the model's default precision. Runs in graph order so inputs are typed first.";
    }

    bool run(Graph& g, PassContext& ctx) override {
        const FixedType dflt = parseFixedTypeOrFail(ctx.config.model.precision.count("default")
                                                        ? ctx.config.model.precision.at("default")
                                                        : std::string("ap_fixed<16,6>"));
        bool changed = false;
        for (Node& n : g.nodes) {
            if (n.as<ReshapeAttrs>()) {  // in place: keeps its input's (possibly just inferred) type
                g.tensor(n.outputs[0]).type = g.tensor(n.inputs[0]).type;
                continue;
            }
            if (n.autoTypes.empty()) continue;
            changed = true;
            TensorInfo& out = g.tensor(n.outputs.at(0));
            const FixedType in = n.inputs.empty() ? dflt : g.tensor(n.inputs[0]).type;
            if (auto* a = n.as<DenseAttrs>()) {
                if (has(n, "weight")) a->weightT = dflt;
                if (has(n, "bias")) a->biasT = dflt;
                const int lg = ceilLog2(a->nIn);
                const FixedType bias = a->bias.empty() ? FixedType::integerType(1, false) : a->biasT;
                const FixedType acc = addBias(a->weightT.width + in.width + lg, a->weightT.integer + in.integer + lg,
                                              a->weightT.isSigned || in.isSigned, bias);
                if (has(n, "accum")) a->accumT = acc;
                if (has(n, "result")) out.type = acc;
            } else if (auto* b = n.as<BatchNormAttrs>()) {
                if (has(n, "scale")) b->scaleT = dflt;
                if (has(n, "bias")) b->biasT = dflt;
                if (has(n, "result"))
                    out.type = addBias(in.width + b->scaleT.width, in.integer + b->scaleT.integer,
                                       in.isSigned || b->scaleT.isSigned, b->biasT);
            } else {
                if (auto* a = n.as<ActivationAttrs>(); a && has(n, "param")) a->paramT = dflt;
                if (has(n, "result")) out.type = dflt;
            }
            if (out.type.width > kMaxWidth)
                failAtLayer(n.name, n.kind, "inferred type " + out.type.str() + " is wider than " +
                                                std::to_string(kMaxWidth) + " bits; set a precision for it");
            n.autoTypes.clear();
        }
        return changed;
    }
};

}  // namespace

std::unique_ptr<Pass> makeInferPrecision() { return std::make_unique<InferPrecision>(); }

}  // namespace nnfpga
