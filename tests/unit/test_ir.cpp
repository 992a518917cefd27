// IR: graph editing (bypass, topological re-sort), the verifier's messages, counts and the text dump.
#include <gtest/gtest.h>

#include "nnfpga/ir/graph.h"
#include "nnfpga/support/diagnostics.h"

using namespace nnfpga;

namespace {

// x -> fc (Dense 3->2) -> act (relu)
Graph small() {
    Graph g;
    int x = g.addTensor("x", {3}, FixedType::fixed(16, 6));
    Node in{"x", "InputLayer", InputAttrs{}, {}, {x}, {}, {}};
    g.addNode(in);
    DenseAttrs d;
    d.nIn = 3;
    d.nOut = 2;
    d.kernel = {1, 0, 2, 0, 0, 3};
    d.bias = {0.5, 0};
    int h = g.addTensor("fc", {2}, FixedType::fixed(16, 6));
    g.addNode(Node{"fc", "Dense", d, {x}, {h}, {}, {}});
    ActivationAttrs a;
    a.kind = ActKind::Relu;
    int y = g.addTensor("act", {2}, FixedType::fixed(16, 6));
    g.addNode(Node{"act", "Activation", a, {h}, {y}, {}, {}});
    g.inputs = {x};
    g.outputs = {y};
    return g;
}

std::string verifyMessage(const Graph& g) {
    try {
        verifyGraph(g);
    } catch (const UserError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(Graph, VerifiesAndCounts) {
    Graph g = small();
    EXPECT_EQ(verifyMessage(g), "");
    NodeCounts c = countNode(g, g.nodes[1]);
    EXPECT_EQ(c.params, 8);
    EXPECT_EQ(c.nonzeroWeights, 4);  // 1, 2, 3, 0.5
    EXPECT_EQ(c.mults, 6);
    EXPECT_EQ(c.nonzeroMults, 3);
}

TEST(Graph, WeightsQuantizedToZeroCountAsPruned) {
    Graph g = small();
    auto& d = std::get<DenseAttrs>(g.nodes[1].attrs);
    d.weightT = FixedType::fixed(8, 2);  // lsb 1/64: 0.004 rounds (truncates) to zero, -0.004 to -1/64
    d.kernel = {1, 0.004, 2, -0.004, 0, 3};
    NodeCounts c = countNode(g, g.nodes[1]);
    EXPECT_EQ(c.mults, 6);
    EXPECT_EQ(c.nonzeroMults, 4);  // 1, 2, -1/64, 3
}

TEST(Graph, BypassRewiresConsumersAndOutputs) {
    Graph g = small();
    g.bypassNode(2);  // drop the activation: the model output becomes fc's output
    EXPECT_EQ(g.nodes.size(), 2u);
    EXPECT_EQ(g.tensor(g.outputs[0]).name, "fc");
    EXPECT_EQ(verifyMessage(g), "");
}

TEST(Graph, FinalizeSortsTopologically) {
    Graph g = small();
    std::swap(g.nodes[1], g.nodes[2]);
    g.finalize();
    EXPECT_EQ(g.nodes[1].name, "fc");
    EXPECT_EQ(g.nodes[2].name, "act");
    EXPECT_EQ(verifyMessage(g), "");
}

TEST(Graph, VerifierMessagesNameTheLayer) {
    Graph g = small();
    g.nodes[1].as<DenseAttrs>()->kernel.pop_back();
    EXPECT_EQ(verifyMessage(g), "layer 'fc' (Dense): kernel has 5 values, expected 6");

    g = small();
    g.nodes[1].as<DenseAttrs>()->bias = {1, 2, 3};
    EXPECT_EQ(verifyMessage(g), "layer 'fc' (Dense): bias has 3 values, expected 2");

    g = small();
    g.nodes[2].name = "fc";
    EXPECT_EQ(verifyMessage(g), "layer 'fc' (Activation): duplicate layer name");

    g = small();
    g.tensor(g.nodes[2].outputs[0]).shape = {3};
    EXPECT_EQ(verifyMessage(g), "layer 'act' (Activation): output shape differs from input shape");

    g = small();
    g.outputs.clear();
    EXPECT_EQ(verifyMessage(g), "the model has no outputs");
}

TEST(Graph, PrintShowsKindsShapesTypesAndCounts) {
    const std::string s = printGraph(small());
    EXPECT_NE(s.find("fc  Dense\n  in:     x (3,)\n  out:    (2,) ap_fixed<16,6>\n  weight: ap_fixed<16,6>"),
              std::string::npos)
        << s;
    EXPECT_NE(s.find("params: 8 (4 nonzero)  mults: 6 (3 nonzero)"), std::string::npos) << s;
    EXPECT_NE(s.find("act  Activation relu"), std::string::npos) << s;
    EXPECT_NE(s.find("total: 3 layers, 8 params (4 nonzero), 6 mults (3 nonzero)"), std::string::npos) << s;
}
