// Passes: apply_config (hls4ml's lookup order onto node types) and infer_precision ('auto' types wide enough
// that a Dense layer never overflows: checked with the emulator on random inputs spanning the input type; the
// Conv, pooling, layout, merge and dot rules with concrete expected types).
#include <gtest/gtest.h>

#include <random>

#include "nnfpga/emulator/emulator.h"
#include "nnfpga/fixed/quantize.h"
#include "nnfpga/passes/pass.h"
#include "nnfpga/support/diagnostics.h"

using namespace nnfpga;

namespace {

Node makeNode(const std::string& name, const std::string& kind, OpAttrs attrs, std::vector<int> ins, int out) {
    Node n;
    n.name = name;
    n.kind = kind;
    n.attrs = std::move(attrs);
    n.inputs = std::move(ins);
    n.outputs = {out};
    return n;
}

Graph mlp(std::mt19937& rng, int nIn, int nHidden, int nOut) {
    Graph g;
    int x = g.addTensor("x", {nIn});
    g.addNode(makeNode("x", "InputLayer", InputAttrs{}, {}, x));
    std::normal_distribution<double> nd(0, 1.5);
    auto dense = [&](const std::string& name, int in, int nI, int nO) {
        DenseAttrs d;
        d.nIn = nI;
        d.nOut = nO;
        for (int k = 0; k < nI * nO; ++k) d.kernel.push_back(nd(rng));
        for (int k = 0; k < nO; ++k) d.bias.push_back(nd(rng));
        int t = g.addTensor(name, {nO});
        g.addNode(makeNode(name, "Dense", d, {in}, t));
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
    ASSERT_EQ(p.size(), allPasses().size());  // every pass runs in it
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
            g.addNode(makeNode(std::string(name) + "_linear", "Activation", a, {in}, out));
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

// ------------------------------------------------------------------ infer_precision: spatial and merge rules

namespace {

// Inputs x0, x1, … typed by the configuration, then one node "op" whose 'result' and 'accum' are 'auto'.
struct AutoCase {
    Graph g;
    ProjectConfig cfg;

    AutoCase(const std::vector<std::pair<Shape, std::string>>& ins, OpAttrs attrs, Shape out) {
        std::vector<int> ids;
        for (size_t k = 0; k < ins.size(); ++k) {
            std::string name = "x";
            name += std::to_string(k);
            const int t = g.addTensor(name, ins[k].first);
            g.addNode(makeNode(name, "InputLayer", InputAttrs{}, {}, t));
            cfg.layerName[name].precision["result"] = ins[k].second;
            ids.push_back(t);
        }
        const int y = g.addTensor("op", std::move(out));
        g.addNode(makeNode("op", "Op", std::move(attrs), ids, y));
        g.inputs = ids;
        g.outputs = {y};
        cfg.layerName["op"].precision["result"] = "auto";
        cfg.layerName["op"].precision["accum"] = "auto";
    }
    // Runs the default pipeline; returns the result type and the accumulator type (if the op has one).
    std::pair<std::string, std::string> infer() {
        PassContext ctx{cfg};
        runPipeline("default", g, ctx);
        const Node& n = g.nodes.back();
        EXPECT_TRUE(n.autoTypes.empty());
        std::string acc;
        if (auto* c = n.as<ConvAttrs>()) acc = c->accumT.str();
        if (auto* p = n.as<PoolAttrs>()) acc = p->accumT.str();
        if (auto* d = n.as<DotAttrs>()) acc = d->accumT.str();
        return {g.tensor(n.outputs[0]).type.str(), acc};
    }
};

ConvAttrs convAttrs(int rank, int in, int k, int nChan, int nFilt, int mult, bool bias) {
    ConvAttrs a;
    a.win.rank = rank;
    a.win.inW = a.win.inH = in;
    a.win.kw = a.win.kh = k;
    if (rank == 1) a.win.inH = a.win.kh = 1;
    a.win.computeOutput();
    a.nChan = nChan;
    a.depthMultiplier = mult;
    a.nFilt = mult ? nChan * mult : nFilt;
    a.kernel.assign(static_cast<size_t>(a.kernelSize()), 0.25);
    if (bias) a.bias.assign(static_cast<size_t>(a.nFilt), 0.5);
    return a;
}

PoolAttrs poolAttrs(PoolOp op, int in, int k, int nChan, bool global = false) {
    PoolAttrs a;
    a.op = op;
    a.nChan = nChan;
    a.global = global;
    a.win.inH = a.win.inW = in;
    a.win.kh = a.win.kw = k;
    a.win.sh = a.win.sw = k;
    a.win.computeOutput();
    return a;
}

}  // namespace

TEST(InferPrecisionPass, ConvFollowsDenseRuleWithWindowOperandCount) {
    // Plain 3x3 over 3 channels: n = 27, ceil(log2) = 5; <16+16+5, 6+6+5> plus the bias bit -> <38,18>.
    ConvAttrs plain = convAttrs(2, 6, 3, 3, 4, 0, true);
    AutoCase a({{{6, 6, 3}, "ap_fixed<16,6>"}}, plain, plain.win.outShape(4));
    EXPECT_EQ(a.infer(), std::make_pair(std::string("ap_fixed<38,18>"), std::string("ap_fixed<38,18>")));
    // Depthwise 3x3 (n = 9, 4 bits), no bias (ap_uint<1>): <16+8+4, 6+3+4> = <28,13>, then I = max(13, 2)+1.
    ConvAttrs dw = convAttrs(2, 6, 3, 2, 0, 2, false);
    AutoCase b({{{6, 6, 2}, "ap_fixed<8,3>"}}, dw, dw.win.outShape(4));
    EXPECT_EQ(b.infer().first, "ap_fixed<29,14>");
    // 1D, kernel 5 over 4 channels (n = 20), unsigned input, explicit 4-bit weights: <4+8+5, 1+2+5> = <17,8>;
    // the <16,6> bias: I = max(8, 6)+1 = 9, W = 9 + max(9, 10) = 19.
    ConvAttrs c1 = convAttrs(1, 8, 5, 4, 2, 0, true);
    AutoCase c({{{8, 4}, "ap_ufixed<8,2>"}}, c1, c1.win.outShape(2));
    c.cfg.layerName["op"].precision["weight"] = "ap_fixed<4,1>";
    EXPECT_EQ(c.infer().first, "ap_fixed<19,9>");
}

TEST(InferPrecisionPass, PoolingAndLayoutOps) {
    AutoCase avg({{{6, 6, 2}, "ap_fixed<10,4>"}}, poolAttrs(PoolOp::Average, 6, 3, 2), {2, 2, 2});
    EXPECT_EQ(avg.infer(), std::make_pair(std::string("ap_fixed<10,4>"), std::string("ap_fixed<18,8>")));  // P = 9
    AutoCase mx({{{4, 4, 1}, "ap_ufixed<8,3,AP_RND,AP_SAT>"}}, poolAttrs(PoolOp::Max, 4, 2, 1), {2, 2, 1});
    EXPECT_EQ(mx.infer(),
              std::make_pair(std::string("ap_ufixed<8,3,AP_RND,AP_SAT>"), std::string("ap_ufixed<8,3,AP_RND,AP_SAT>")));
    AutoCase gl({{{4, 4, 1}, "ap_fixed<10,4>"}}, poolAttrs(PoolOp::Average, 4, 4, 1, true), {1});
    gl.cfg.model.precision["default"] = "ap_fixed<14,5>";
    EXPECT_EQ(gl.infer(), std::make_pair(std::string("ap_fixed<14,5>"), std::string("ap_fixed<14,5>")));

    const std::string in = "ap_fixed<9,2,AP_RND_CONV,AP_SAT>";
    PadAttrs pad{{1, 0, 0}, {1, 2, 0}}, crop{{0, -1, 0}, {-1, 0, 0}};
    AutoCase p({{{3, 3, 2}, in}}, pad, {5, 5, 2});
    EXPECT_EQ(p.infer().first, in);
    AutoCase cr({{{3, 3, 2}, in}}, crop, {2, 2, 2});
    EXPECT_EQ(cr.infer().first, "ap_fixed<16,6>");  // hls4ml has no rule for cropping
    AutoCase up({{{3, 3, 2}, in}}, UpsampleAttrs{{2, 2}}, {6, 6, 2});
    EXPECT_EQ(up.infer().first, in);
    AutoCase tr({{{3, 4, 2}, in}}, TransposeAttrs{{2, 0, 1}}, {2, 3, 4});
    EXPECT_EQ(tr.infer().first, in);
}

TEST(InferPrecisionPass, MergeConcatDot) {
    const std::string u = "ap_ufixed<8,3>", s = "ap_fixed<10,6>";
    auto merge = [](MergeOp op, std::vector<std::string> types) {
        std::vector<std::pair<Shape, std::string>> ins;
        for (auto& t : types) ins.push_back({{4}, t});
        AutoCase c(ins, MergeAttrs{op}, {4});
        return c.infer().first;
    };
    // Aligned integer bits: the unsigned input gets one more (3+1 = 4), the widest is 6, fracs 5 and 4.
    EXPECT_EQ(merge(MergeOp::Add, {u, s}), "ap_fixed<12,7>");
    EXPECT_EQ(merge(MergeOp::Subtract, {u, s}), "ap_fixed<12,7>");
    EXPECT_EQ(merge(MergeOp::Average, {u, s}), "ap_fixed<12,7>");
    EXPECT_EQ(merge(MergeOp::Add, {u, s, u, s}), "ap_fixed<13,8>");  // four inputs: two more bits
    EXPECT_EQ(merge(MergeOp::Subtract, {u, "ap_ufixed<6,4>"}), "ap_fixed<10,5>");
    EXPECT_EQ(merge(MergeOp::Multiply, {u, s}), "ap_fixed<18,9>");
    EXPECT_EQ(merge(MergeOp::Maximum, {u, s}), "ap_fixed<11,6>");
    EXPECT_EQ(merge(MergeOp::Minimum, {u, s}), "ap_fixed<11,6>");
    EXPECT_EQ(merge(MergeOp::Maximum, {"ap_fixed<10,6,AP_RND,AP_SAT>", "ap_fixed<10,6,AP_RND,AP_SAT>"}),
              "ap_fixed<10,6,AP_RND,AP_SAT>");

    auto concat = [](std::string a, std::string b) {
        AutoCase c({{{2, 3}, a}, {{2, 5}, b}}, ConcatAttrs{1}, {2, 8});
        return c.infer().first;
    };
    EXPECT_EQ(concat(u, s), "ap_fixed<11,6>");
    EXPECT_EQ(concat(u, "ap_fixed<10,6,AP_RND,AP_SAT>"), "ap_fixed<11,6,AP_RND,AP_SAT>");
    EXPECT_EQ(concat(s, s), s);

    AutoCase dot({{{5}, u}, {{5}, s}}, DotAttrs{}, {1});  // n = 5: 3 more bits
    EXPECT_EQ(dot.infer(), std::make_pair(std::string("ap_fixed<21,12>"), std::string("ap_fixed<21,12>")));
}

TEST(InferPrecisionPass, AutoConvAndMergeNeverOverflow) {
    // x -> conv (auto) -> average pool (auto) ; x2 + pool output (auto): random inputs spanning the input types.
    std::mt19937 rng(11);
    Graph g;
    ProjectConfig cfg;
    cfg.model.precision["default"] = "ap_fixed<8,3>";
    const int x = g.addTensor("x", {6, 6, 2});
    g.addNode(makeNode("x", "InputLayer", InputAttrs{}, {}, x));
    ConvAttrs c = convAttrs(2, 6, 3, 2, 3, 0, true);
    std::normal_distribution<double> nd(0, 2);
    for (double& v : c.kernel) v = nd(rng);
    for (double& v : c.bias) v = nd(rng);
    const int y = g.addTensor("conv", {4, 4, 3});
    g.addNode(makeNode("conv", "Conv2D", c, {x}, y));
    const int p = g.addTensor("pool", {2, 2, 3});
    g.addNode(makeNode("pool", "AveragePooling2D", poolAttrs(PoolOp::Average, 4, 2, 3), {y}, p));
    const int x2 = g.addTensor("x2", {2, 2, 3});
    g.addNode(makeNode("x2", "InputLayer", InputAttrs{}, {}, x2));
    const int s = g.addTensor("add", {2, 2, 3});
    g.addNode(makeNode("add", "Add", MergeAttrs{MergeOp::Add}, {p, x2}, s));
    g.inputs = {x, x2};
    g.outputs = {s};
    for (const char* n : {"conv", "pool", "add"}) {
        cfg.layerName[n].precision["result"] = "auto";
        cfg.layerName[n].precision["accum"] = "auto";
    }
    PassContext ctx{cfg};
    runPipeline("default", g, ctx);
    const int64_t n = 1000;
    std::vector<double> a(n * 72), b(n * 12);
    std::uniform_real_distribution<double> ud(-4.0, 4.0);
    for (double& v : a) v = ud(rng);
    for (double& v : b) v = ud(rng);
    EmulatorOptions opt;
    opt.threads = 1;
    const EmulationResult r = Emulator(g).run({a, b}, n, opt);
    for (const auto& lo : r.overflow) EXPECT_EQ(lo.stats.overflowed, 0) << lo.name;
}

namespace {

// x (2 inputs) -> fc: y = 0.5 x0 - 0.25 x1 (+ d's bias), the layer of class `kind`; fc's output is the graph's.
Graph smallDense(DenseAttrs d, const std::string& kind) {
    Graph g;
    int x = g.addTensor("x", {2});
    g.addNode(makeNode("x", "InputLayer", InputAttrs{}, {}, x));
    d.nIn = 2;
    d.nOut = 1;
    d.kernel = {0.5, -0.25};
    int h = g.addTensor("fc", {1});
    g.addNode(makeNode("fc", kind, d, {x}, h));
    g.inputs = {x};
    g.outputs = {h};
    return g;
}

}  // namespace

// Bit-exact widths, checked by hand: x in ap_fixed<8,3> ([-4, 4) at 2^-5), y = 0.5 x0 - 0.25 x1 + 1.
// Weights 0.5 and -0.25 need 2 fractional bits: ap_fixed<3,1>; the bias 1: ap_ufixed<1,1>. The sum lies in
// [-255, 510] * 2^-7: accum ap_fixed<10,3>; the result keeps the configured 10 fractional bits' worth of what
// exists (7): ap_fixed<10,3>; the ReLU after it [0, 510] * 2^-7: ap_ufixed<9,2>.
TEST(BitExactWidths, SmallDenseByHand) {
    DenseAttrs d;
    d.bias = {1.0};
    Graph g = smallDense(d, "Dense");
    const int x = g.inputs[0], h = g.outputs[0];
    ActivationAttrs r;
    r.kind = ActKind::Relu;
    int y = g.addTensor("relu", {1});
    g.addNode(makeNode("relu", "Activation", r, {h}, y));
    g.inputs = {x};
    g.outputs = {y};
    ProjectConfig cfg;
    cfg.layerName["x"].precision["result"] = "ap_fixed<8,3>";
    cfg.model.bitExact = true;
    PassContext ctx{cfg};
    runPipeline("default", g, ctx);
    const auto& fc = *g.nodes[1].as<DenseAttrs>();
    EXPECT_EQ(g.tensor(x).type.str(), "ap_fixed<8,3>");
    EXPECT_EQ(fc.weightT.str(), "ap_fixed<3,1>");
    EXPECT_EQ(fc.biasT.str(), "ap_ufixed<1,1>");
    EXPECT_EQ(fc.accumT.str(), "ap_fixed<10,3>");
    EXPECT_EQ(g.tensor(h).type.str(), "ap_fixed<10,3>");
    EXPECT_EQ(g.tensor(y).type.str(), "ap_ufixed<9,2>");
    EXPECT_EQ(fc.kernel, (std::vector<double>{0.5, -0.25}));

    // The extreme inputs reach both ends of the accumulator without overflow.
    Emulator emu(g);
    std::vector<std::vector<double>> in = {{-4.0, 3.96875, 3.96875, -4.0}};
    EmulationResult res = emu.run(in, 2, EmulatorOptions{});
    EXPECT_EQ(res.outputs[0], (std::vector<double>{0.0, 510.0 / 128}));
    for (const LayerOverflow& lo : res.overflow) EXPECT_EQ(lo.stats.overflowed, 0) << lo.name;
}

// Po2Product: hls4ml. A power-of-two kernel (exponentBits 3) on ap_fixed<8,3> inputs gets hls4ml's product type
// ap_fixed<2(3+8), 3+8> = ap_fixed<22,11>, and its 'auto' accum and result the default, as in hls4ml (which infers
// nothing from an exponent type). Without the switch: no product type, the exact 'auto' rule. With BitExact: an error.
TEST(InferPrecision, Hls4mlPowerOfTwoProduct) {
    auto build = [](ProjectConfig& cfg) {
        DenseAttrs d;
        d.po2.exponentBits = 3;
        Graph g = smallDense(d, "QDense");
        cfg.layerName["x"].precision["result"] = "ap_fixed<8,3>";
        cfg.layerName["fc"].precision["weight"] = "ap_fixed<3,1>";
        cfg.layerName["fc"].precision["accum"] = "auto";
        cfg.layerName["fc"].precision["result"] = "auto";
        return g;
    };
    ProjectConfig cfg;
    cfg.model.po2Product = "hls4ml";
    Graph g = build(cfg);
    PassContext ctx{cfg};
    runPipeline("default", g, ctx);
    const auto& fc = *g.nodes[1].as<DenseAttrs>();
    ASSERT_TRUE(fc.po2.type.has_value());
    EXPECT_EQ(fc.po2.type->str(), "ap_fixed<22,11>");
    EXPECT_EQ(fc.accumT.str(), "ap_fixed<16,6>");
    EXPECT_EQ(g.tensor(g.outputs[0]).type.str(), "ap_fixed<16,6>");

    ProjectConfig exactCfg;
    Graph e = build(exactCfg);
    PassContext exactCtx{exactCfg};
    runPipeline("default", e, exactCtx);
    EXPECT_FALSE(e.nodes[1].as<DenseAttrs>()->po2.type.has_value());
    EXPECT_EQ(e.nodes[1].as<DenseAttrs>()->accumT.str(), "ap_fixed<13,6>");

    cfg.model.bitExact = true;
    Graph b = build(cfg);
    try {
        runPipeline("default", b, ctx);
        FAIL() << "expected an error";
    } catch (const UserError& err) {
        EXPECT_STREQ(err.what(), "layer 'fc' (QDense): BitExact cannot be combined with Po2Product: hls4ml (the exact "
                                 "widths need exact products; hls4ml's power-of-two products truncate)");
    }
}

TEST(BitExactWidths, OffWithoutTheSwitch) {
    std::mt19937 rng(3);
    Graph a = mlp(rng, 4, 3, 2);
    Graph b = a;
    ProjectConfig cfg;
    PassContext ctx{cfg};
    EXPECT_FALSE(makePass("bit_exact_widths")->run(b, ctx));
    runPipeline("default", a, ctx);
    EXPECT_EQ(a.nodes[1].as<DenseAttrs>()->accumT.str(), "ap_fixed<16,6>");
}

// bn_threshold: BN(s = 2, b = -1) then binary: t = 0.5, on the input's 2^-2 grid: x >= 0.5. BN(s = 3, b = -1):
// t = 1/3, floored to the grid (hls4ml's rounding): x >= 0.25, so x = 0.25 gives +1 where BN + sign gives -1.
TEST(BnThreshold, FoldsIntoFlooredThresholds) {
    Graph g;
    int x = g.addTensor("x", {2});
    g.addNode(makeNode("x", "InputLayer", InputAttrs{}, {}, x));
    BatchNormAttrs b;
    b.nFilt = 2;
    b.scale = {2.0, 3.0};
    b.bias = {-1.0, -1.0};
    int h = g.addTensor("bn", {2});
    g.addNode(makeNode("bn", "BatchNormalization", b, {x}, h));
    ActivationAttrs a;
    a.kind = ActKind::Binary;
    int y = g.addTensor("act", {2}, FixedType::integerType(2));
    Node act = makeNode("act", "Activation", a, {h}, y);
    act.modelTypes = {"result"};
    g.addNode(act);
    g.inputs = {x};
    g.outputs = {y};
    ProjectConfig cfg;
    cfg.model.precision["default"] = "ap_fixed<8,6>";
    PassContext ctx{cfg};
    runPipeline("default", g, ctx);
    ASSERT_EQ(g.nodes.size(), 2u);
    const auto& t = *g.nodes[1].as<ActivationAttrs>();
    EXPECT_EQ(t.thrHi, (std::vector<double>{0.5, 0.25}));
    Emulator emu(g);
    std::vector<std::vector<double>> in = {{0.25, 0.25, 0.5, 0.0}};
    EmulationResult res = emu.run(in, 2, EmulatorOptions{});
    EXPECT_EQ(res.outputs[0], (std::vector<double>{-1, 1, 1, -1}));
}
