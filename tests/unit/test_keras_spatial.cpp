// The Keras handlers of the convolutional and structural layers (graph shapes, transposed-convolution geometry,
// separable split) and the channels_last pass: mutually inverse Transposes vanish, the emulator's outputs do not
// change, and a channels_first CNN keeps one Transpose after its input and one before its Flatten.
#include <gtest/gtest.h>

#include <random>

#include "nnfpga/emulator/emulator.h"
#include "nnfpga/frontends/keras/keras_file.h"
#include "nnfpga/frontends/keras/keras_frontend.h"
#include "nnfpga/passes/pass.h"

using namespace nnfpga;

namespace {

const std::string kFixtures = NNFPGA_SOURCE_DIR "/tests/fixtures/keras/";

Graph load(const std::string& fixture) {
    return buildKerasGraph(readKerasModel(kFixtures + fixture + "/model_full.h5", std::nullopt));
}

std::vector<int> transposes(const Graph& g) {
    std::vector<int> v;
    for (size_t i = 0; i < g.nodes.size(); ++i)
        if (g.nodes[i].as<TransposeAttrs>()) v.push_back(static_cast<int>(i));
    return v;
}

const Node& node(const Graph& g, const std::string& name) {
    auto i = g.findNode(name);
    EXPECT_TRUE(i.has_value()) << name;
    return g.nodes.at(*i);
}

Node makeNode(const std::string& name, OpAttrs attrs, std::vector<int> ins, int out) {
    Node n;
    n.name = name;
    n.kind = opName(attrs);
    n.attrs = std::move(attrs);
    n.inputs = std::move(ins);
    n.outputs = {out};
    return n;
}

int addTranspose(Graph& g, const std::string& name, int in, std::vector<int> perm) {
    Shape s;
    for (int p : perm) s.push_back(g.tensor(in).shape[p]);
    const int t = g.addTensor(name, s);
    g.addNode(makeNode(name, TransposeAttrs{std::move(perm)}, {in}, t));
    return t;
}

// The default pipeline without channels_last (typed so the emulator runs), optionally preceded by it.
void typeGraph(Graph& g, bool channelsLast) {
    ProjectConfig cfg;
    cfg.model.precision["default"] = "ap_fixed<24,10>";
    PassContext ctx{cfg};
    for (const auto& name : pipeline("default"))
        if (name != "channels_last" || channelsLast) makePass(name)->run(g, ctx);
    verifyGraph(g);
}

std::vector<double> randomInputs(const Graph& g, int64_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<double> nd(0, 1);
    std::vector<double> x(static_cast<size_t>(n * g.inputSize(0)));
    for (double& v : x) v = nd(rng);
    return x;
}

// channels_last changes neither the float nor the fixed-point outputs of a Keras fixture.
void expectSameOutputs(const std::string& fixture) {
    Graph before = load(fixture), after = load(fixture);
    typeGraph(before, false);
    typeGraph(after, true);
    const int64_t n = 50;
    const std::vector<double> x = randomInputs(before, n, 11);
    for (bool floatMode : {true, false}) {
        EmulatorOptions opt;
        opt.floatMode = floatMode;
        opt.threads = 1;
        EXPECT_EQ(Emulator(before).run({x}, n, opt).outputs, Emulator(after).run({x}, n, opt).outputs)
            << fixture << (floatMode ? " float" : " fixed");
    }
}

}  // namespace

TEST(KerasChannelsFirst, CnnKeepsOneTransposeAfterTheInputAndOneBeforeTheFlatten) {
    Graph g = load("layer_channels_first_cnn");
    // Two per channels_first layer: conv_1, batch_norm_1, pool_1, conv_2, pool_2.
    EXPECT_EQ(transposes(g).size(), 10u);
    typeGraph(g, true);
    const auto t = transposes(g);
    ASSERT_EQ(t.size(), 2u);
    EXPECT_EQ(g.nodes[t[0]].inputs[0], g.inputs[0]);
    EXPECT_EQ(g.nodes[t[0]].as<TransposeAttrs>()->perm, (std::vector<int>{1, 2, 0}));
    const auto readers = g.consumers(g.nodes[t[1]].outputs[0]);
    ASSERT_EQ(readers.size(), 1u);
    EXPECT_EQ(g.nodes[readers[0]].name, "flatten");
    EXPECT_EQ(g.nodes[t[1]].as<TransposeAttrs>()->perm, (std::vector<int>{2, 0, 1}));
}

TEST(KerasChannelsFirst, FlattenWithChannelsFirstNeedsNoTranspose) {
    Graph g = load("layer_channels_first_1d");  // Flatten(data_format='channels_first') moves channels last itself
    typeGraph(g, true);
    const auto t = transposes(g);
    ASSERT_EQ(t.size(), 1u);
    EXPECT_EQ(g.nodes[t[0]].inputs[0], g.inputs[0]);
}

TEST(KerasChannelsFirst, PassKeepsTheEmulatorOutputs) {
    for (const char* f : {"layer_channels_first_cnn", "layer_channels_first_1d", "layer_channels_first_layers"})
        expectSameOutputs(f);
}

TEST(ChannelsLast, RemovesInversePairsIdentitiesAndUnreadTransposesOnly) {
    Graph g;
    const int x = g.addTensor("x", {2, 3, 4});
    g.addNode(makeNode("x", InputAttrs{}, {}, x));
    const int a = addTranspose(g, "to_last", x, {1, 2, 0});     // (3, 4, 2)
    const int b = addTranspose(g, "to_first", a, {2, 0, 1});    // back to (2, 3, 4): cancels with to_last
    const int c = addTranspose(g, "identity", b, {0, 1, 2});    // removed
    const int d = addTranspose(g, "swap", c, {1, 0, 2});        // (3, 2, 4)
    const int e = addTranspose(g, "swap_other", d, {0, 2, 1});  // not the inverse of swap: kept
    addTranspose(g, "unread", x, {2, 1, 0});                    // read by nothing: removed
    const int f = g.addTensor("flatten", {24});
    g.addNode(makeNode("flatten", ReshapeAttrs{{24}}, {e}, f));
    g.inputs = {x};
    g.outputs = {f};
    verifyGraph(g);
    ProjectConfig cfg;
    PassContext ctx{cfg};
    EXPECT_TRUE(makePass("channels_last")->run(g, ctx));
    verifyGraph(g);
    std::vector<std::string> names;
    for (const auto& n : g.nodes) names.push_back(n.name);
    EXPECT_EQ(names, (std::vector<std::string>{"x", "swap", "swap_other", "flatten"}));
    EXPECT_EQ(node(g, "swap").inputs[0], x);
    EXPECT_FALSE(makePass("channels_last")->run(g, ctx));
}

TEST(ChannelsLast, KeepsTransposesThatConvertTheType) {
    Graph g;
    const int x = g.addTensor("x", {2, 3}, FixedType::fixed(16, 6, true));
    g.addNode(makeNode("x", InputAttrs{}, {}, x));
    const int a = addTranspose(g, "t1", x, {1, 0});
    g.tensor(a).type = FixedType::fixed(8, 3, true);
    const int b = addTranspose(g, "t2", a, {1, 0});
    g.tensor(b).type = FixedType::fixed(8, 3, true);
    g.inputs = {x};
    g.outputs = {b};
    ProjectConfig cfg;
    PassContext ctx{cfg};
    EXPECT_FALSE(makePass("channels_last")->run(g, ctx));
    EXPECT_EQ(transposes(g).size(), 2u);
}

TEST(KerasConv, TransposedConvolutionIsAConvolutionOverTheDilatedInput) {
    const KerasModelDesc m = readKerasModel(kFixtures + "layer_conv2d_transpose_same/model_full.h5", std::nullopt);
    const Graph g = buildKerasGraph(m);
    const auto& a = *node(g, "deconv").as<ConvAttrs>();
    // Conv2DTranspose(2, (3, 4), strides=2, padding='same') on 4x4x3: output 8x8x2.
    EXPECT_EQ(a.win.inDilH, 2);
    EXPECT_EQ(a.win.inDilW, 2);
    EXPECT_EQ(a.win.sh, 1);
    EXPECT_EQ(a.win.sw, 1);
    // TensorFlow pads the forward convolution of 8 by 1 (0 before) for k=3 and by 2 (1 before) for k=4.
    EXPECT_EQ(a.win.padTop, 2);
    EXPECT_EQ(a.win.padBottom, 1);
    EXPECT_EQ(a.win.padLeft, 2);
    EXPECT_EQ(a.win.padRight, 2);
    EXPECT_EQ(a.win.outShape(a.nFilt), (Shape{8, 8, 2}));
    // Keras kernel (kh, kw, filters, chan) → flipped [kh][kw][chan][filt].
    const KerasWeight* k = nullptr;
    for (const auto& l : m.layers)
        if (l.name == "deconv") k = &l.weights.at(0);
    ASSERT_NE(k, nullptr);
    ASSERT_EQ(k->shape, (std::vector<int64_t>{3, 4, 2, 3}));
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 4; ++j)
            for (int c = 0; c < 3; ++c)
                for (int f = 0; f < 2; ++f)
                    EXPECT_EQ(a.kernel[((i * 4 + j) * 3 + c) * 2 + f],
                              k->data[(((2 - i) * 4 + (3 - j)) * 2 + f) * 3 + c]);
}

TEST(KerasConv, SeparableIsDepthwiseThenPointwise) {
    const Graph g = load("layer_separable2d");
    const auto& dw = *node(g, "separable_depthwise").as<ConvAttrs>();
    const auto& pw = *node(g, "separable").as<ConvAttrs>();
    EXPECT_TRUE(dw.depthwise());
    EXPECT_TRUE(dw.bias.empty());
    EXPECT_EQ(dw.win.sh, 2);
    EXPECT_EQ(pw.win.kh * pw.win.kw, 1);
    EXPECT_EQ(pw.nChan, dw.nFilt);
    EXPECT_EQ(pw.bias.size(), 3u);
    EXPECT_EQ(g.tensor(g.outputs[0]).shape, (Shape{4, 4, 3}));
}

TEST(KerasConv, CausalPaddingIsAllBefore) {
    const Graph g = load("layer_conv1d_causal");  // Conv1D(3, 3, dilation_rate=2, padding='causal')
    const auto& a = *node(g, "conv").as<ConvAttrs>();
    EXPECT_EQ(a.win.padLeft, 4);
    EXPECT_EQ(a.win.padRight, 0);
    EXPECT_EQ(a.win.outW, 16);
}

TEST(KerasPooling, GlobalKeepdimsReshapesAndAverageExcludesPadding) {
    const Graph g = load("layer_global_avg2d_keepdims");
    EXPECT_EQ(g.tensor(g.outputs[0]).shape, (Shape{1, 1, 3}));
    EXPECT_TRUE(node(g, "pool").as<PoolAttrs>()->global);
    const Graph p = load("layer_avgpool2d_same");
    EXPECT_FALSE(node(p, "pool").as<PoolAttrs>()->countPad);
}
