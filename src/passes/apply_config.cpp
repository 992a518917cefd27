// apply_config: gives every node its types and hardware settings from the configuration, following hls4ml's
// lookup order (LayerName, LayerType, Model). Variables set to 'auto' are left for infer_precision. Types that
// the model fixes (Node::modelTypes, e.g. QKeras quantizers) win over LayerType and Model settings; only a
// LayerName entry for that layer and variable replaces them.
#include <algorithm>

#include "nnfpga/passes/pass.h"
#include "nnfpga/support/diagnostics.h"

namespace nnfpga {

namespace {

class ApplyConfig final : public Pass {
public:
    const char* name() const override { return "apply_config"; }
    const char* summary() const override { return "assign types, reuse factors and strategies from the configuration"; }
    const char* description() const override {
        return "Resolves each layer's precision per variable (result, weight, bias, accum, scale, param, tables) "
               "in hls4ml's order: LayerName, then LayerType, then Model. 'auto' variables are marked for "
               "infer_precision. A variable whose type the model fixes (a QKeras quantizer) keeps it unless the "
               "layer's LayerName entry sets that variable (or its default). Also sets reuse factor, strategy, "
               "trace, table sizes and softmax implementation.";
    }

    bool run(Graph& g, PassContext& ctx) override {
        const ProjectConfig& cfg = ctx.config;
        for (Node& n : g.nodes) {
            cur_ = &n;
            cfg_ = &cfg;
            n.autoTypes.clear();
            n.settings.reuseFactor = cfg.reuseFactor(n.name, n.kind);
            n.settings.strategy = cfg.strategy(n.name, n.kind) == "resource" ? Strategy::Resource : Strategy::Latency;
            n.settings.trace = cfg.trace(n.name, n.kind);
            TensorInfo& out = g.tensor(n.outputs.at(0));
            if (n.as<ReshapeAttrs>()) {
                out.type = g.tensor(n.inputs.at(0)).type;  // in place: keeps the input's type
                continue;
            }
            if (auto* q = n.as<QuantizeAttrs>()) {  // the element types are the layer; the result just holds them
                out.type = quantizeCoveringType(*q);
                continue;
            }
            out.type = type("result", out.type);
            std::visit([&](auto& a) { apply(a); }, n.attrs);
        }
        return true;
    }

private:
    bool namedByLayer(const std::string& var) const { return cfg_->layerNameSetsPrecision(cur_->name, var); }

    // The configured type of variable `var`; 'auto' records the variable and keeps `current`. A model-fixed
    // variable keeps `current` (or is recorded as 'auto' when the model leaves it to inference) unless the
    // layer's own LayerName entry sets it.
    FixedType type(const std::string& var, const FixedType& current) {
        auto in = [&](const std::vector<std::string>& v) { return std::find(v.begin(), v.end(), var) != v.end(); };
        if (!namedByLayer(var)) {
            if (in(cur_->modelAutoTypes)) {
                cur_->autoTypes.push_back(var);
                return current;
            }
            if (in(cur_->modelTypes)) return current;
        }
        const std::string s = cfg_->precision(cur_->name, cur_->kind, var);
        if (s == "auto") {
            cur_->autoTypes.push_back(var);
            return current;
        }
        return parseFixedTypeOrFail(s);
    }
    FixedType named(const std::string& key, const FixedType& dflt) {
        auto s = cfg_->namedType(cur_->name, cur_->kind, key);
        return s ? parseFixedTypeOrFail(*s) : dflt;
    }

    void apply(InputAttrs&) {}
    void apply(ReshapeAttrs&) {}
    void apply(DenseAttrs& a) {
        a.weightT = type("weight", a.weightT);
        a.biasT = type("bias", a.biasT);
        a.accumT = named("accum_t", type("accum", a.accumT));
    }
    void apply(ConvAttrs& a) {
        a.weightT = type("weight", a.weightT);
        a.biasT = type("bias", a.biasT);
        a.accumT = named("accum_t", type("accum", a.accumT));
    }
    void apply(PoolAttrs& a) { a.accumT = named("accum_t", type("accum", a.accumT)); }
    void apply(DotAttrs& a) { a.accumT = named("accum_t", type("accum", a.accumT)); }
    void apply(PadAttrs&) {}
    void apply(UpsampleAttrs&) {}
    void apply(TransposeAttrs&) {}
    void apply(MergeAttrs&) {}
    void apply(ConcatAttrs&) {}
    void apply(QuantizeAttrs&) {}
    void apply(BatchNormAttrs& a) {
        a.scaleT = type("scale", a.scaleT);
        a.biasT = type("bias", a.biasT);
    }
    void apply(ActivationAttrs& a) {
        a.paramT = type("param", a.paramT);
        a.tableT = named("table_t", a.tableT);
        if (auto ts = cfg_->tableSize(cur_->name, cur_->kind)) a.tableSize = *ts;
    }
    void apply(SoftmaxAttrs& a) {
        a.expTableT = named("exp_table_t", a.expTableT);
        a.invTableT = named("inv_table_t", a.invTableT);
        a.invInpT = named("inv_inp_t", a.invInpT);
        // Softmax's accum_t: the configured precision (the model default under 'model' granularity); 'auto'
        // keeps the attribute default ap_fixed<18,8,AP_RND,AP_SAT>.
        const std::string acc = cfg_->precision(cur_->name, cur_->kind, "accum");
        a.accumT = named("accum_t", acc == "auto" ? a.accumT : parseFixedTypeOrFail(acc));
        if (auto ts = cfg_->tableSize(cur_->name, cur_->kind)) a.tableSize = *ts;
        if (auto impl = cfg_->implementation(cur_->name, cur_->kind)) {
            if (*impl == "latency") a.impl = SoftmaxImpl::Latency;
            else if (*impl == "legacy") a.impl = SoftmaxImpl::Legacy;
            else if (*impl == "argmax") a.impl = SoftmaxImpl::Argmax;
            else a.impl = SoftmaxImpl::Stable;
        }
    }

    Node* cur_ = nullptr;
    const ProjectConfig* cfg_ = nullptr;
};

}  // namespace

std::unique_ptr<Pass> makeApplyConfig() { return std::make_unique<ApplyConfig>(); }

}  // namespace nnfpga
