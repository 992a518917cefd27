// Graph-level checks (ids, producers, topological order) plus each op family's own invariants.
#include <set>

#include "nnfpga/ir/graph.h"
#include "nnfpga/ir/ops/op_checks.h"
#include "nnfpga/support/diagnostics.h"

namespace nnfpga {

void verifyGraph(const Graph& g) {
    std::set<std::string> names;
    std::vector<bool> available(g.tensors.size(), false);
    for (size_t i = 0; i < g.nodes.size(); ++i) {
        const Node& n = g.nodes[i];
        if (!names.insert(n.name).second) failAtLayer(n.name, n.kind, "duplicate layer name");
        for (int t : n.inputs) {
            if (t < 0 || t >= static_cast<int>(g.tensors.size()))
                failAtLayer(n.name, n.kind, "input tensor id out of range");
            if (!available[t]) failAtLayer(n.name, n.kind, "reads tensor '" + g.tensor(t).name + "' before it is produced");
        }
        for (int t : n.outputs) {
            if (t < 0 || t >= static_cast<int>(g.tensors.size()))
                failAtLayer(n.name, n.kind, "output tensor id out of range");
            if (g.tensor(t).producer != static_cast<int>(i))
                failAtLayer(n.name, n.kind, "output tensor '" + g.tensor(t).name + "' has another producer");
            available[t] = true;
        }
        std::visit([&](const auto& a) { verifyOp(g, n, a); }, n.attrs);
    }
    if (g.inputs.empty()) fail("the model has no inputs");
    if (g.outputs.empty()) fail("the model has no outputs");
    for (int t : g.outputs)
        if (!available[t]) fail("model output '" + g.tensor(t).name + "' is never produced");
}

NodeCounts countNode(const Graph& g, const Node& n) {
    return std::visit([&](const auto& a) { return countOp(g, n, a); }, n.attrs);
}

}  // namespace nnfpga
