// eliminate_linear_activation: removes linear activations whose output type equals their input type (an
// identity); ones that convert to another type stay, as in hls4ml, because they change the values.
#include "nnfpga/passes/pass.h"

namespace nnfpga {

namespace {

class EliminateLinearActivation final : public Pass {
public:
    const char* name() const override { return "eliminate_linear_activation"; }
    const char* summary() const override { return "remove linear activations that do not change the type"; }
    const char* description() const override {
        return "A linear activation is a conversion to its result type. When that type equals its input's, the "
               "node is the identity and is bypassed (its consumers and the model outputs read its input). A "
               "model input is never removed.";
    }

    bool run(Graph& g, PassContext&) override {
        bool changed = false;
        for (size_t i = 0; i < g.nodes.size();) {
            const Node& n = g.nodes[i];
            const auto* a = n.as<ActivationAttrs>();
            if (a && a->kind == ActKind::Linear && g.tensor(n.inputs[0]).type == g.tensor(n.outputs[0]).type) {
                g.bypassNode(static_cast<int>(i));
                changed = true;
                continue;
            }
            ++i;
        }
        return changed;
    }
};

}  // namespace

std::unique_ptr<Pass> makeEliminateLinearActivation() { return std::make_unique<EliminateLinearActivation>(); }

}  // namespace nnfpga
