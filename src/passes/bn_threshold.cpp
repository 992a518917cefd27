// bn_threshold: a batch normalization followed by a binary or ternary activation becomes per-channel thresholds
// on the batch normalization's input, as hls4ml's BatchNormalizationQuantizedTanh computes them (a comparator per
// channel instead of a multiplier); a binary/ternary Dense reading such thresholds gets hls4ml's integer
// accumulator. docs/semantics.md, "Batch normalization before a binary or ternary activation".
#include <cmath>

#include "nnfpga/emulator/dense_variants.h"
#include "nnfpga/passes/pass.h"

namespace nnfpga {

namespace {

// floor(t * 2^F) / 2^F in float32, as hls4ml's numpy code does it (exact: scaling by a power of two).
double floorToGrid(float t, int frac) { return std::ldexp(std::floor(std::ldexp(static_cast<double>(t), frac)), -frac); }

class BnThreshold final : public Pass {
public:
    const char* name() const override { return "bn_threshold"; }
    const char* summary() const override { return "batch norm + binary/ternary activation -> thresholds (hls4ml)"; }
    const char* description() const override {
        return "A BatchNormalization (scale s, bias b per channel) read only by a binary or ternary activation "
               "becomes thresholds on its input, computed in float32 like hls4ml's "
               "BatchNormalizationQuantizedTanh: t = -b/s; binary: 1 for x >= floor_F(t); ternary (threshold h): "
               "1 for x > floor_F(h/s + t), -1 for x <= floor_F(-h/s + t), else 0; floor_F rounds down to the "
               "input's grid. A Dense with binary or ternary weights reading such an activation gets "
               "accum = result = ap_int<ceil(log2 n_in) + 2> unless a LayerName entry sets them. QKeras alpha "
               "scales (ApplyAlpha) are not folded.";
    }

    bool run(Graph& g, PassContext& ctx) override {
        bool changed = false;
        for (size_t i = 0; i < g.nodes.size(); ++i) {
            Node& n = g.nodes[i];
            if (auto* d = n.as<DenseAttrs>()) {
                changed |= retypeDense(g, n, *d, ctx.config);
                continue;
            }
            const auto* bn = n.as<BatchNormAttrs>();
            if (!bn || (n.kind != "BatchNormalization" && n.kind != "QBatchNormalization")) continue;
            const std::vector<int> readers = g.consumers(n.outputs[0]);
            if (readers.size() != 1 || isGraphOutput(g, n.outputs[0])) continue;
            auto* act = g.nodes[readers[0]].as<ActivationAttrs>();
            if (!act || (act->kind != ActKind::Binary && act->kind != ActKind::Ternary) || !act->thrHi.empty()) continue;
            const int frac = g.tensor(n.inputs[0]).type.frac();
            const float h = static_cast<float>(act->param);
            for (int k = 0; k < bn->nFilt; ++k) {
                const float s = static_cast<float>(bn->scale[k]), b = static_cast<float>(bn->bias[k]);
                const float t = -b / s;
                if (act->kind == ActKind::Binary) {
                    act->thrHi.push_back(floorToGrid(t, frac));
                } else {
                    act->thrHi.push_back(floorToGrid(h / s + t, frac));
                    act->thrLo.push_back(floorToGrid(-h / s + t, frac));
                }
            }
            g.bypassNode(static_cast<int>(i));
            --i;
            changed = true;
        }
        return changed;
    }

private:
    static bool isGraphOutput(const Graph& g, int t) {
        for (int o : g.outputs)
            if (o == t) return true;
        return false;
    }

    // hls4ml's QuantizeDenseOutput: the sum of n_in values of ±1 (or 0) is an integer of ceil(log2 n_in) + 2 bits.
    static bool retypeDense(Graph& g, Node& n, DenseAttrs& d, const ProjectConfig& cfg) {
        const int producer = g.tensor(n.inputs[0]).producer;
        if (producer < 0) return false;
        const auto* act = g.nodes[producer].as<ActivationAttrs>();
        if (!act || act->thrHi.empty()) return false;
        const DenseProduct p = denseProduct(g, n);
        if (p == DenseProduct::Multiply || p == DenseProduct::Po2Shift) return false;
        const FixedType t = FixedType::integerType(ceilLog2(d.nIn) + 2);
        if (!cfg.layerNameSetsPrecision(n.name, "accum")) d.accumT = t;
        if (!cfg.layerNameSetsPrecision(n.name, "result")) g.tensor(n.outputs[0]).type = t;
        return true;
    }
};

}  // namespace

std::unique_ptr<Pass> makeBnThreshold() { return std::make_unique<BnThreshold>(); }

}  // namespace nnfpga
