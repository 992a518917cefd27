// Passes: apply_config (hls4ml's lookup order onto node types) and infer_precision ('auto' types wide enough
// that a Dense layer never overflows: checked with the emulator on random inputs spanning the input type).
#include <gtest/gtest.h>

#include <random>

#include "nnfpga/emulator/emulator.h"
#include "nnfpga/fixed/quantize.h"
#include "nnfpga/passes/pass.h"

using namespace nnfpga;

namespace {

Graph mlp(std::mt19937& rng, int nIn, int nHidden, int nOut) {
    Graph g;
    int x = g.addTensor("x", {nIn});
    g.addNode(Node{"x", "InputLayer", InputAttrs{}, {}, {x}, {}, {}});
    std::normal_distribution<double> nd(0, 1.5);
    auto dense = [&](const std::string& name, int in, int nI, int nO) {
        DenseAttrs d;
        d.nIn = nI;
        d.nOut = nO;
        for (int k = 0; k < nI * nO; ++k) d.kernel.push_back(nd(rng));
        for (int k = 0; k < nO; ++k) d.bias.push_back(nd(rng));
        int t = g.addTensor(name, {nO});
        g.addNode(Node{name, "Dense", d, {in}, {t}, {}, {}});
        return t;
    };
    int h = dense("fc1", x, nIn, nHidden);
    int y = dense("fc2", h, nHidden, nOut);
    g.inputs = {x};
    g.outputs = {y};
    return g;
}

}  // namespace

TEST(ApplyConfig, FollowsHls4mlLookupOrder) {
    std::mt19937 rng(1);
    Graph g = mlp(rng, 4, 3, 2);
    ProjectConfig cfg;
    cfg.model.precision["default"] = "ap_fixed<12,4>";
    cfg.layerType["Dense"].precision["weight"] = "ap_fixed<8,2>";
    cfg.layerName["fc2"].precision["default"] = "ap_fixed<20,8>";
    cfg.layerName["fc2"].reuseFactor = 3;
    PassContext ctx{cfg};
    runPipeline("default", g, ctx);
    const auto& fc1 = *g.nodes[1].as<DenseAttrs>();
    const auto& fc2 = *g.nodes[2].as<DenseAttrs>();
    EXPECT_EQ(g.tensor(g.inputs[0]).type.str(), "ap_fixed<12,4>");
    EXPECT_EQ(fc1.weightT.str(), "ap_fixed<8,2>");   // LayerType
    EXPECT_EQ(fc1.accumT.str(), "ap_fixed<12,4>");   // Model
    EXPECT_EQ(fc2.weightT.str(), "ap_fixed<20,8>");  // LayerName default beats LayerType's variable
    EXPECT_EQ(g.nodes[2].settings.reuseFactor, 3);
    EXPECT_EQ(g.nodes[1].settings.reuseFactor, 1);
}

TEST(InferPrecision, AutoTypesNeverOverflow) {
    std::mt19937 rng(7);
    for (int trial = 0; trial < 20; ++trial) {
        Graph g = mlp(rng, 2 + trial % 9, 3 + trial % 5, 2);
        ProjectConfig cfg;
        cfg.model.precision["default"] = trial % 2 ? "ap_fixed<10,4>" : "ap_fixed<8,3>";
        for (const char* n : {"fc1", "fc2"}) {
            cfg.layerName[n].precision["result"] = "auto";
            cfg.layerName[n].precision["accum"] = "auto";
        }
        PassContext ctx{cfg};
        runPipeline("default", g, ctx);
        EXPECT_TRUE(g.nodes[1].autoTypes.empty());
        // hls4ml's rule for fc1: W = Ww + Wi + ceil(log2 nIn) (+1 with the bias), I likewise.
        const auto& fc1 = *g.nodes[1].as<DenseAttrs>();
        const FixedType in = g.tensor(g.inputs[0]).type;
        int lg = 0;
        while ((1 << lg) < fc1.nIn) ++lg;
        EXPECT_EQ(fc1.accumT.integer, fc1.weightT.integer + in.integer + lg + 1);
        EXPECT_EQ(fc1.accumT.frac(), fc1.weightT.frac() + in.frac());

        // Random inputs spanning the input type: no conversion in the Dense layers may overflow.
        const int64_t n = 2000;
        std::vector<double> x(n * fc1.nIn);
        std::uniform_real_distribution<double> ud(in.minValue(), in.maxValue());
        for (double& v : x) v = ud(rng);
        EmulatorOptions opt;
        opt.threads = 1;
        EmulationResult r = Emulator(g).run({x}, n, opt);
        EXPECT_EQ(r.overflow[1].stats.overflowed, 0) << "trial " << trial;
        EXPECT_EQ(r.overflow[2].stats.overflowed, 0) << "trial " << trial;
    }
}

TEST(Pipelines, DefaultIsPrintableAndComplete) {
    const auto& p = pipeline("default");
    ASSERT_EQ(p.size(), 3u);
    for (const auto& name : p) EXPECT_EQ(makePass(name)->name(), name);
}

TEST(EliminateLinearActivation, RemovesOnlyIdentitiesAndKeepsOutputs) {
    std::mt19937 rng(3);
    for (int variant = 0; variant < 2; ++variant) {
        Graph g = mlp(rng, 5, 4, 3);
        // Append a linear activation after each Dense; the second one converts to another type (variant 1).
        for (const char* name : {"fc1", "fc2"}) {
            const int idx = *g.findNode(name);
            const int in = g.nodes[idx].outputs[0];
            ActivationAttrs a;
            a.kind = ActKind::Linear;
            const int out = g.addTensor(std::string(name) + "_linear", g.tensor(in).shape, g.tensor(in).type);
            for (auto& n : g.nodes)
                for (int& t : n.inputs)
                    if (t == in) t = out;
            for (int& t : g.outputs)
                if (t == in) t = out;
            g.addNode(Node{std::string(name) + "_linear", "Activation", a, {in}, {out}, {}, {}});
        }
        g.finalize();
        ProjectConfig cfg;
        cfg.model.precision["default"] = "ap_fixed<14,5>";
        if (variant) cfg.layerName["fc2_linear"].precision["result"] = "ap_fixed<8,3,AP_RND,AP_SAT>";
        PassContext ctx{cfg};
        makePass("apply_config")->run(g, ctx);
        std::vector<double> x(300 * 5);
        std::normal_distribution<double> nd(0, 2);
        for (double& v : x) v = nd(rng);
        const auto before = Emulator(g).run({x}, 300, {}).outputs;
        EXPECT_TRUE(makePass("eliminate_linear_activation")->run(g, ctx));
        verifyGraph(g);
        EXPECT_EQ(g.nodes.size(), variant ? 4u : 3u);
        EXPECT_EQ(g.findNode("fc2_linear").has_value(), variant == 1);
        EXPECT_EQ(Emulator(g).run({x}, 300, {}).outputs, before);
    }
}
