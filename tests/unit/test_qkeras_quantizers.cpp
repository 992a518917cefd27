// QKeras quantizers: parsing of both serialised forms, the quantizer → type mapping, weight quantization in
// float32 (expected values computed by QKeras 0.9.0 itself on the same inputs), and apply_config keeping
// model-fixed types unless a LayerName entry names them.
#include <gtest/gtest.h>

#include "nnfpga/emulator/emulator.h"
#include "nnfpga/frontends/keras/qkeras_quantizers.h"
#include "nnfpga/passes/pass.h"
#include "nnfpga/support/diagnostics.h"

using namespace nnfpga;
using json = nlohmann::json;

namespace {

QKerasQuantizer parse(const json& j) {
    auto q = parseQKerasQuantizer(j);
    EXPECT_TRUE(q.has_value());
    return *q;
}

std::vector<double> quantize(const std::string& text, const std::vector<double>& w, int nChannels, int rank,
                             QuantizedWeights* out = nullptr) {
    QuantizedWeights r = quantizeQKerasWeights(parse(text), w, nChannels, rank);
    std::vector<double> v(r.values.size());
    for (size_t i = 0; i < v.size(); ++i) v[i] = r.values[i] * r.scale[i % nChannels];
    if (out) *out = r;
    return v;
}

std::string errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const UserError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(QKerasQuantizers, ParsesStringsAndDicts) {
    QKerasQuantizer q = parse("quantized_relu(3,1)");
    EXPECT_EQ(q.kind, QKerasKind::Relu);
    EXPECT_EQ(q.bits, 3);
    EXPECT_EQ(q.integer, 1);
    q = parse("quantized_bits(4, 0, alpha='auto_po2')");
    EXPECT_EQ(q.kind, QKerasKind::Bits);
    EXPECT_EQ(q.alphaMode, QKerasAlpha::AutoPo2);
    EXPECT_TRUE(q.symmetric);  // 'auto*' implies symmetric
    q = parse("quantized_bits(6,2,symmetric=1,alpha=1)");
    EXPECT_EQ(q.alphaMode, QKerasAlpha::Value);
    EXPECT_EQ(q.alpha, 1.0);
    EXPECT_TRUE(q.symmetric);
    q = parse("quantized_bits(6,3,keep_negative=False,alpha=1)");
    EXPECT_FALSE(q.keepNegative);
    q = parse("ternary(threshold=0.5)");
    EXPECT_EQ(q.kind, QKerasKind::Ternary);
    EXPECT_EQ(*q.threshold, 0.5);
    EXPECT_TRUE(parse("binary(use_01=True)").use01);
    q = parse(json::parse(R"({"class_name": "quantized_po2", "config": {"bits": 4, "max_value": 1,
                               "use_stochastic_rounding": false, "quadratic_approximation": false}})"));
    EXPECT_EQ(q.kind, QKerasKind::Po2);
    EXPECT_EQ(*q.maxValue, 1.0);
    q = parse(json::parse(R"({"class_name": "quantized_bits", "config": {"bits": 2, "integer": 0, "symmetric": 1,
                               "alpha": null, "keep_negative": true}})"));
    EXPECT_EQ(q.alphaMode, QKerasAlpha::None);
    EXPECT_FALSE(parseQKerasQuantizer(json()).has_value());
    EXPECT_EQ(errorOf([] { parseQKerasQuantizer(json("quantized_foo(3)")); }),
              "unsupported QKeras quantizer 'quantized_foo(3)'");
    EXPECT_EQ(errorOf([] { parseQKerasQuantizer(json("quantized_relu(3,1,0,0.3)")); }),
              "quantizer 'quantized_relu(3,1,0,0.3)': negative_slope must be 0 or a power of two");
}

TEST(QKerasQuantizers, TrainableDefaultIsAutoPo2) {
    QKerasQuantizer q = parse("quantized_bits(4,0)");
    applyTrainableDefault(q);
    EXPECT_EQ(q.alphaMode, QKerasAlpha::AutoPo2);
    EXPECT_TRUE(q.symmetric);
    q = parse("quantized_bits(4,0,alpha=1)");
    applyTrainableDefault(q);
    EXPECT_EQ(q.alphaMode, QKerasAlpha::Value);
    q = parse("quantized_po2(4)");
    applyTrainableDefault(q);
    EXPECT_EQ(q.alphaMode, QKerasAlpha::None);
}

TEST(QKerasQuantizers, ActivationTypes) {
    auto act = [](const std::string& s) { return qkerasActivation(parse(s)); };
    QKerasActivation a = act("quantized_bits(8,3)");
    EXPECT_EQ(a.attrs.kind, ActKind::Linear);
    EXPECT_EQ(a.result.str(), "ap_fixed<8,4,AP_RND_CONV,AP_SAT>");
    EXPECT_EQ(act("quantized_bits(6,2,1)").result.str(), "ap_fixed<6,3,AP_RND_CONV,AP_SAT_SYM>");
    EXPECT_EQ(act("quantized_bits(6,3,keep_negative=False)").result.str(), "ap_ufixed<6,3,AP_RND_CONV,AP_SAT>");
    a = act("quantized_relu(6,2)");
    EXPECT_EQ(a.attrs.kind, ActKind::Relu);
    EXPECT_EQ(a.result.str(), "ap_ufixed<6,2,AP_RND_CONV,AP_SAT>");
    EXPECT_EQ(act("quantized_relu(2)").result.str(), "ap_ufixed<2,0,AP_RND_CONV,AP_SAT>");
    a = act("quantized_relu(6,2,negative_slope=0.25)");  // one sign bit: the grid 2^-3 on both sides
    EXPECT_EQ(a.attrs.kind, ActKind::LeakyRelu);
    EXPECT_EQ(a.attrs.param, 0.25);
    EXPECT_EQ(a.attrs.paramT.str(), "ap_ufixed<3,1>");
    EXPECT_EQ(a.attrs.negClip, -1.0);
    EXPECT_EQ(a.result.str(), "ap_fixed<6,3,AP_RND_CONV,AP_SAT>");
    EXPECT_EQ(errorOf([&] { act("quantized_relu(4,0,negative_slope=1)"); }),
              "quantizer 'quantized_relu(4,0,negative_slope=1)': negative_slope must be < 1, got 1");
    EXPECT_EQ(act("quantized_tanh(5,symmetric=True)").result.str(), "ap_fixed<5,1,AP_RND_CONV,AP_SAT_SYM>");
    a = act("quantized_sigmoid(6)");
    EXPECT_EQ(a.attrs.kind, ActKind::HardSigmoid);
    EXPECT_EQ(a.attrs.slope, 0.5);
    EXPECT_EQ(a.attrs.shift, 0.5);
    EXPECT_EQ(a.result.str(), "ap_ufixed<6,0,AP_RND_CONV,AP_SAT>");
    a = act("binary()");
    EXPECT_EQ(a.attrs.kind, ActKind::Binary);
    EXPECT_EQ(a.attrs.hi, 1.0);
    EXPECT_EQ(a.attrs.lo, -1.0);
    EXPECT_FALSE(a.attrs.strict);
    EXPECT_EQ(a.result.str(), "ap_int<2>");
    EXPECT_EQ(act("binary(use_01=True)").result.str(), "ap_uint<1>");
    EXPECT_TRUE(act("binary_tanh").attrs.strict);  // 2*round(hard_sigmoid(x)) - 1 is -1 at 0
    a = act("ternary()");
    EXPECT_EQ(a.attrs.kind, ActKind::Ternary);
    EXPECT_EQ(a.attrs.param, static_cast<double>(0.33f));
    EXPECT_EQ(a.result.str(), "ap_int<2>");
    a = act("quantized_po2(5,4)");  // exponents [-8, 7], clipped at max_value 4 = 2^2
    EXPECT_EQ(a.attrs.kind, ActKind::Po2);
    EXPECT_EQ(a.attrs.po2.minExp, -8);
    EXPECT_EQ(a.attrs.po2.maxExp, 7);
    EXPECT_EQ(a.result.str(), "ap_fixed<12,4>");
    a = act("quantized_relu_po2(4)");
    EXPECT_TRUE(a.attrs.po2.relu);
    EXPECT_EQ(a.result.str(), "ap_ufixed<16,8>");
    EXPECT_EQ(errorOf([&] { act("quantized_tanh(4,use_real_tanh=True)"); }),
              "quantizer 'quantized_tanh(4,use_real_tanh=True)': use_real_tanh cannot be reproduced bit for bit");
    EXPECT_EQ(errorOf([&] { act("quantized_bits(4,0,alpha='auto')"); }),
              "quantizer 'quantized_bits(4,0,alpha='auto')': alpha other than 1 is not supported on activations");
}

// Expected values: QKeras 0.9.0 (TensorFlow 2.14.1) applied to the same float32 inputs.
TEST(QKerasQuantizers, WeightsAsQKerasComputesThem) {
    QuantizedWeights r;
    EXPECT_EQ(quantize("quantized_bits(4,0,alpha=1)", {0.3, -0.3, 0.95, -1.2, 0.0625, 0.1875, 0.3125, 0.0}, 1, 1, &r),
              (std::vector<double>{0.25, -0.25, 0.875, -1.0, 0.0, 0.25, 0.25, 0.0}));  // ties to even
    EXPECT_EQ(r.type.str(), "ap_fixed<4,1>");
    EXPECT_EQ(quantize("quantized_bits(4,0,1,alpha=1)", {-1.2, 1.2}, 1, 1), (std::vector<double>{-0.875, 0.875}));
    const std::vector<double> k = {0.30, -0.70, -0.05, 0.20, 0.90, 0.11};  // a (3, 2) kernel
    EXPECT_EQ(quantize("quantized_bits(4,0,alpha='auto_po2')", k, 2, 2, &r),
              (std::vector<double>{0.25, -0.75, 0.0, 0.25, 0.875, 0.125}));
    EXPECT_EQ(r.scale, (std::vector<double>{1.0, 1.0}));
    // 'auto': float scales; the products are QKeras's float32 values
    std::vector<double> autoW = quantize("quantized_bits(4,0,alpha='auto')", k, 2, 2, &r);
    EXPECT_EQ(r.scale, (std::vector<double>{1.028571367263794, 0.800000011920929}));
    EXPECT_FALSE(r.po2Scale);
    const std::vector<double> qk = {0.2571428418159485, -0.699999988079071, 0.0, 0.20000000298023224,
                                    0.8999999761581421, 0.10000000149011612};
    for (size_t i = 0; i < k.size(); ++i) EXPECT_EQ(static_cast<float>(autoW[i]), static_cast<float>(qk[i])) << i;
    EXPECT_EQ(quantize("ternary(alpha='auto_po2')", k, 2, 2, &r), (std::vector<double>{0.5, -0.5, 0, 0, 0.5, 0}));
    EXPECT_EQ(r.type.str(), "ap_int<2>");
    EXPECT_EQ(quantize("binary(alpha='auto_po2')", k, 2, 2, &r),
              (std::vector<double>{0.5, -0.25, -0.5, 0.25, 0.5, 0.25}));
    EXPECT_EQ(r.scale, (std::vector<double>{0.5, 0.25}));
    EXPECT_EQ(quantize("quantized_po2(4,1)", {0.7, -0.3, 1.5, 0.0, -0.001, 0.0039, 0.0029}, 1, 1, &r),
              (std::vector<double>{0.5, -0.25, 1.0, 0.00390625, -0.00390625, 0.00390625, 0.00390625}));
    EXPECT_EQ(r.type.str(), "ap_fixed<10,2>");
    EXPECT_EQ(quantize("quantized_relu_po2(6,quadratic_approximation=True)", {0.7, 3.0, 5.0, 0.01}, 1, 1),
              (std::vector<double>{1.0, 4.0, 4.0, 0.015625}));
}

TEST(QKerasQuantizers, ExactTypes) {
    EXPECT_EQ(exactTypeFor({0.75, -0.5})->str(), "ap_fixed<3,1>");
    EXPECT_EQ(exactTypeFor({1.0, 0.0})->str(), "ap_uint<1>");
    EXPECT_EQ(exactTypeFor({-4.0, 3.0})->str(), "ap_int<3>");
    EXPECT_EQ(exactTypeFor({0.09375})->str(), "ap_ufixed<2,-3>");
    EXPECT_FALSE(exactTypeFor({1.0, std::ldexp(1.0, -40)}, 32).has_value());
    EXPECT_EQ(roundHalfEven(2.5f), 2.0f);
    EXPECT_EQ(roundHalfEven(3.5f), 4.0f);
    EXPECT_EQ(roundHalfEven(-2.5f), -2.0f);
    EXPECT_EQ(qkerasLog2(0.7f, false), -1.0f);
    EXPECT_EQ(qkerasLog2(1.4142f, false), 0.0f);
    EXPECT_EQ(qkerasLog2(1.4143f, false), 1.0f);
    EXPECT_EQ(qkerasLog2(1.9f, true), 0.0f);
}

// The activation kernels reproduce QKeras's outputs on the same inputs (values from QKeras 0.9.0).
TEST(QKerasQuantizers, ActivationKernelsMatchQKeras) {
    struct Case {
        std::string quantizer;
        std::vector<double> x, y;
    };
    const std::vector<Case> cases = {
        {"quantized_relu(6,2)", {-1.0, 0.03125, 0.09375, 3.99, 5.0}, {0.0, 0.0, 0.125, 3.9375, 3.9375}},
        {"quantized_tanh(4)", {-2.0, -0.0625, 0.1875, 0.99, 2.0}, {-1.0, 0.0, 0.25, 0.875, 0.875}},
        {"quantized_sigmoid(4)", {-3.0, 0.0, 0.125, 0.5, 3.0}, {0.0, 0.5, 0.5625, 0.75, 0.9375}},
        {"ternary()", {0.33, 0.32, -0.33, -0.5, 0.0}, {1.0, 0.0, -1.0, -1.0, 0.0}},
        {"quantized_po2(5,4)", {0.7, -0.3, 6.0, 0.0, -0.001}, {0.5, -0.25, 4.0, 0.00390625, -0.00390625}},
        {"binary()", {-0.5, 0.0, 0.25}, {-1.0, 1.0, 1.0}},
        {"quantized_relu(6,2,negative_slope=0.25)", {-20.0, -4.1, -0.75, -0.3125, 0.0625, 3.99, 5.0},
         {-1.0, -1.0, -0.25, -0.125, 0.0, 3.875, 3.875}},
        {"quantized_relu(5,1,negative_slope=0.125)", {-3.0, -2.0, -0.5, -0.0625, 0.09375, 1.5, 2.5},
         {-0.25, -0.25, 0.0, 0.0, 0.125, 1.5, 1.875}},
    };
    for (const Case& c : cases) {
        QKerasActivation act = qkerasActivation(parse(c.quantizer));
        Graph g;
        const int n = static_cast<int>(c.x.size());
        const int x = g.addTensor("x", {n}, FixedType::fixed(40, 8));  // float32 inputs of |x| < 128 are exact
        Node in;
        in.name = "x";
        in.kind = "InputLayer";
        in.attrs = InputAttrs{};
        in.outputs = {x};
        g.addNode(in);
        const int y = g.addTensor("q", {n}, act.result);
        Node q;
        q.name = "q";
        q.kind = "QActivation";
        q.attrs = act.attrs;
        q.inputs = {x};
        q.outputs = {y};
        g.addNode(q);
        g.inputs = {x};
        g.outputs = {y};
        g.finalize();
        // 0.33 and 0.32 are not on a binary grid: inputs are their float32 values, converted by the input type
        std::vector<double> xs(c.x.size());
        for (size_t i = 0; i < xs.size(); ++i) xs[i] = static_cast<float>(c.x[i]);
        const EmulationResult r = Emulator(g).run({xs}, 1, EmulatorOptions{});
        EXPECT_EQ(r.outputs.at(0), c.y) << c.quantizer;
    }
}

TEST(ApplyConfig, KeepsModelFixedTypesUnlessTheLayerIsNamed) {
    auto build = [] {
        Graph g;
        const int x = g.addTensor("x", {4});
        Node in;
        in.name = "x";
        in.kind = "InputLayer";
        in.attrs = InputAttrs{};
        in.outputs = {x};
        g.addNode(in);
        const int y = g.addTensor("relu1", {4}, FixedType::fixed(6, 2, false, Rounding::RND_CONV, Overflow::SAT));
        Node r;
        r.name = "relu1";
        r.kind = "QActivation";
        ActivationAttrs a;
        a.kind = ActKind::Relu;
        r.attrs = a;
        r.inputs = {x};
        r.outputs = {y};
        r.modelTypes = {"result"};
        g.addNode(r);
        g.inputs = {x};
        g.outputs = {y};
        g.finalize();
        return g;
    };
    ProjectConfig cfg;
    cfg.model.precision["default"] = "ap_fixed<12,4>";
    cfg.layerType["QActivation"].precision["result"] = "ap_fixed<8,3>";
    Graph g = build();
    PassContext ctx{cfg};
    runPipeline("default", g, ctx);
    EXPECT_EQ(g.tensor(g.nodes[1].outputs[0]).type.str(), "ap_ufixed<6,2,AP_RND_CONV,AP_SAT>");
    EXPECT_EQ(g.tensor(g.nodes[0].outputs[0]).type.str(), "ap_fixed<12,4>");
    cfg.layerName["RELU1"].precision["result"] = "ap_fixed<10,3>";  // names match case-insensitively
    g = build();
    runPipeline("default", g, ctx);
    EXPECT_EQ(g.tensor(g.nodes[1].outputs[0]).type.str(), "ap_fixed<10,3>");
}
