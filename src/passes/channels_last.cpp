// channels_last: removes the layout changes that front ends put around each channels_first layer (a Transpose to
// channels-last before it, one back after it), so a channels_first network runs channels-last from end to end.
#include <algorithm>

#include "nnfpga/passes/pass.h"

namespace nnfpga {

namespace {

bool isIdentity(const std::vector<int>& perm) {
    for (size_t k = 0; k < perm.size(); ++k)
        if (perm[k] != static_cast<int>(k)) return false;
    return true;
}

// Second(first(x)) == x: out[k] = mid[second[k]] = x[first[second[k]]].
bool undoes(const std::vector<int>& first, const std::vector<int>& second) {
    if (first.size() != second.size()) return false;
    for (size_t k = 0; k < second.size(); ++k)
        if (first[second[k]] != static_cast<int>(k)) return false;
    return true;
}

// Readers of tensor `from` (and the model outputs) read `to` instead.
void redirect(Graph& g, int from, int to) {
    for (auto& n : g.nodes) std::replace(n.inputs.begin(), n.inputs.end(), from, to);
    std::replace(g.outputs.begin(), g.outputs.end(), from, to);
}

class ChannelsLast final : public Pass {
public:
    const char* name() const override { return "channels_last"; }
    const char* summary() const override { return "remove pairs of mutually inverse Transposes"; }
    const char* description() const override {
        return "A Transpose that reads another Transpose and undoes its permutation is bypassed: its readers read "
               "the first Transpose's input. Identity Transposes are bypassed too, and Transposes that nothing reads "
               "are removed. Front ends wrap each channels_first layer in a Transpose to channels-last and one back, "
               "so between consecutive such layers the pairs cancel and a channels_first CNN keeps one Transpose "
               "after its input and one before its Flatten (whose order depends on the layout). Only Transposes "
               "that keep their input's type are touched, so no value changes.";
    }

    bool run(Graph& g, PassContext&) override {
        bool changed = false;
        while (step(g)) changed = true;
        return changed;
    }

private:
    // One removal; false when there is nothing left to remove.
    static bool step(Graph& g) {
        for (size_t i = 0; i < g.nodes.size(); ++i) {
            const Node& n = g.nodes[i];
            const auto* t = n.as<TransposeAttrs>();
            if (!t || !keepsType(g, n)) continue;
            const int in = n.inputs[0], out = n.outputs[0];
            const int producer = g.tensor(in).producer;
            const Node* prev = producer >= 0 ? &g.nodes[producer] : nullptr;
            const auto* p = prev ? prev->as<TransposeAttrs>() : nullptr;
            int source = -1;
            if (isIdentity(t->perm))
                source = in;
            else if (p && keepsType(g, *prev) && undoes(p->perm, t->perm))
                source = prev->inputs[0];
            const bool unread =
                g.consumers(out).empty() && std::find(g.outputs.begin(), g.outputs.end(), out) == g.outputs.end();
            if (source < 0 && !unread) continue;
            if (source >= 0) redirect(g, out, source);
            g.nodes.erase(g.nodes.begin() + static_cast<long>(i));
            g.finalize();
            return true;
        }
        return false;
    }

    static bool keepsType(const Graph& g, const Node& n) {
        return g.tensor(n.inputs[0]).type == g.tensor(n.outputs[0]).type;
    }
};

}  // namespace

std::unique_ptr<Pass> makeChannelsLast() {
    return std::make_unique<ChannelsLast>();
}

}  // namespace nnfpga
