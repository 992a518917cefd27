// The Quantize op (per-element types, zero-width elements, the covering result type, float mode) and the HGQ1 proxy
// front end: per-element FixedPointQuantizer parameters, exact types for the other layers, and every diagnostic.
#include <gtest/gtest.h>

#include "nnfpga/emulator/emulator.h"
#include "nnfpga/fixed/quantize.h"
#include "nnfpga/frontends/keras/keras_file.h"
#include "nnfpga/frontends/keras/keras_frontend.h"
#include "nnfpga/passes/pass.h"
#include "nnfpga/support/diagnostics.h"

using namespace nnfpga;

namespace {

const std::string kMlp = NNFPGA_SOURCE_DIR "/tests/fixtures/hgq/mlp_wrap/model.h5";
const std::string kLut = NNFPGA_SOURCE_DIR "/tests/fixtures/hgq/lut_tanh/model.h5";
const std::string kHgq2 = NNFPGA_SOURCE_DIR "/tests/fixtures/hgq2/dense_wrap/model.keras";

// input (4) → Quantize with `types` → output.
Graph quantizeGraph(const std::vector<FixedType>& types, const FixedType& inT) {
    Graph g;
    const int in = g.addTensor("x", {4}, inT);
    Node i;
    i.name = "x";
    i.kind = "Input";
    i.attrs = InputAttrs{};
    i.outputs = {in};
    g.addNode(std::move(i));
    QuantizeAttrs a{types};
    const int out = g.addTensor("q", {4}, quantizeCoveringType(a));
    Node q;
    q.name = "q";
    q.kind = "Quantize";
    q.attrs = std::move(a);
    q.inputs = {in};
    q.outputs = {out};
    g.addNode(std::move(q));
    g.inputs = {in};
    g.outputs = {out};
    g.finalize();
    verifyGraph(g);
    return g;
}

std::vector<double> run(const Graph& g, const std::vector<double>& x, bool floatMode = false) {
    EmulatorOptions o;
    o.floatMode = floatMode;
    o.threads = 1;
    return Emulator(g).run({x}, 1, o).outputs.at(0);
}

TEST(Quantize, EachElementThroughItsOwnType) {
    const std::vector<FixedType> t = {
        FixedType::fixed(4, 2, true, Rounding::RND, Overflow::SAT),    // step 1/4, [-2, 1.75]
        FixedType::fixed(3, 3, false, Rounding::TRN, Overflow::WRAP),  // integers mod 8
        FixedType{0, 0, false},                                        // pruned: always 0
        FixedType::fixed(2, 3, true, Rounding::TRN, Overflow::WRAP),   // step 2, [-4, 2]
    };
    const Graph g = quantizeGraph(t, FixedType::fixed(16, 6));
    EXPECT_EQ(g.tensor(g.outputs[0]).type.str(), "ap_fixed<6,4>");  // signed, 2 fractional bits, 4 integer bits
    EXPECT_EQ(run(g, {0.375, 9.5, 3.0, 3.5}), (std::vector<double>{0.5, 1.0, 0.0, 2.0}));
    EXPECT_EQ(run(g, {-7.0, -1.0, -3.0, -5.0}), (std::vector<double>{-2.0, 7.0, 0.0, 2.0}));
    // float mode applies the same conversions to the double value
    EXPECT_EQ(run(g, {0.375, 9.5, 3.0, 3.5}, true), (std::vector<double>{0.5, 1.0, 0.0, 2.0}));
}

TEST(Quantize, CoveringType) {
    EXPECT_EQ(quantizeCoveringType({{FixedType::fixed(4, 2, false), FixedType::fixed(3, 3, false)}}).str(),
              "ap_ufixed<5,3>");
    // an unsigned element in a signed result needs one more integer bit
    EXPECT_EQ(quantizeCoveringType({{FixedType::fixed(4, 2, false), FixedType::fixed(3, 1, true)}}).str(),
              "ap_fixed<5,3>");
    EXPECT_EQ(quantizeCoveringType({{FixedType{0, 0, false}}}).str(), "ap_uint<1>");
    EXPECT_TRUE(typeHolds(FixedType::fixed(5, 3), FixedType::fixed(4, 2, false)));
    EXPECT_FALSE(typeHolds(FixedType::fixed(4, 2), FixedType::fixed(4, 2, false)));
}

TEST(Quantize, VerifierNamesTheLayer) {
    auto verifyError = [](Graph g) {
        try {
            verifyGraph(g);
        } catch (const UserError& e) {
            return std::string(e.what());
        }
        return std::string("(no error)");
    };
    Graph g = quantizeGraph({FixedType::fixed(4, 2)}, FixedType::fixed(16, 6));
    Graph two = g;
    two.nodes[1].as<QuantizeAttrs>()->types.push_back(FixedType::fixed(4, 2));
    EXPECT_EQ(verifyError(two), "layer 'q' (Quantize): needs 1 or 4 element types, got 2");
    Graph wide = g;
    wide.nodes[1].as<QuantizeAttrs>()->types[0].width = 65;
    EXPECT_EQ(verifyError(wide), "layer 'q' (Quantize): element 0: width must be in [0, 64], got 65");
    Graph narrow = g;
    narrow.tensor(narrow.outputs[0]).type = FixedType::fixed(4, 2, false);
    EXPECT_EQ(verifyError(narrow),
              "layer 'q' (Quantize): element 0: type ap_fixed<4,2> does not fit the result type ap_ufixed<4,2>");
}

// ---- HGQ1 proxy models -----------------------------------------------------------------------------------

KerasLayer& layer(KerasModelDesc& m, const std::string& name) {
    for (KerasLayer& l : m.layers)
        if (l.name == name) return l;
    throw std::runtime_error("no layer " + name);
}

KerasWeight& weight(KerasLayer& l, const std::string& name) {
    for (KerasWeight& w : l.weights)
        if (w.name == name || w.name.ends_with("/" + name)) return w;
    throw std::runtime_error("no weight " + name);
}

std::string errorOf(const KerasModelDesc& m) {
    try {
        buildKerasGraph(m);
    } catch (const UserError& e) {
        return e.what();
    }
    return "(no error)";
}

TEST(HgqProxy, QuantizersAndExactTypes) {
    Graph g = buildKerasGraph(readKerasModel(kMlp, std::nullopt));
    const Node& q = g.nodes.at(*g.findNode("fc1_relu_quantizer"));
    ASSERT_TRUE(q.as<QuantizeAttrs>());
    EXPECT_EQ(q.as<QuantizeAttrs>()->types.size(), 24u);  // per element
    EXPECT_EQ(g.nodes.at(*g.findNode("fc1_quantizer")).as<QuantizeAttrs>()->types.size(), 1u);  // homogeneous
    const Node& fc1 = g.nodes.at(*g.findNode("fc1"));
    EXPECT_EQ(fc1.as<DenseAttrs>()->weightT.str(), "ap_fixed<8,1>");  // exactly the stored kernel
    ProjectConfig cfg;
    PassContext ctx{cfg};
    for (const auto& name : pipeline("default")) makePass(name)->run(g, ctx);
    verifyGraph(g);
    EXPECT_EQ(g.tensor(g.inputs[0]).type.str(), "ap_fixed<12,5>");  // the input quantizer's covering type
    EXPECT_EQ(g.tensor(g.nodes.at(*g.findNode("re_lu")).outputs[0]).type.str(), "ap_ufixed<11,4>");  // exact relu
}

TEST(HgqProxy, Diagnostics) {
    const KerasModelDesc base = readKerasModel(kMlp, std::nullopt);
    auto with = [&](auto edit) {
        KerasModelDesc m = base;
        edit(m);
        return errorOf(m);
    };
    EXPECT_EQ(with([](KerasModelDesc& m) { layer(m, "inp_q").config["SAT"] = "WRAP_SM"; }),
              "layer 'inp_q' (HGQ>FixedPointQuantizer): unsupported overflow mode 'WRAP_SM' (WRAP, SAT, SAT_ZERO or "
              "SAT_SYM)");
    EXPECT_EQ(with([](KerasModelDesc& m) { layer(m, "inp_q").config["RND"] = "STOCHASTIC"; }),
              "layer 'inp_q' (HGQ>FixedPointQuantizer): unknown rounding mode 'STOCHASTIC' (TRN, TRN_ZERO, RND, "
              "RND_ZERO, RND_MIN_INF, RND_INF or RND_CONV)");
    EXPECT_EQ(with([](KerasModelDesc& m) { weight(layer(m, "inp_q"), "bits").data[3] = 70; }),
              "layer 'inp_q' (HGQ>FixedPointQuantizer): bits must be in [0, 64], got 70 at element 3");
    EXPECT_EQ(with([](KerasModelDesc& m) { weight(layer(m, "inp_q"), "keep_negative").data[0] = 2; }),
              "layer 'inp_q' (HGQ>FixedPointQuantizer): keep_negative must be 0 or 1, got 2 at element 0");
    EXPECT_EQ(with([](KerasModelDesc& m) {
                  KerasWeight& w = weight(layer(m, "inp_q"), "bits");
                  w.shape = {1, 6};
                  w.data.resize(6);
              }),
              "layer 'inp_q' (HGQ>FixedPointQuantizer): 'bits' of shape (1, 6) does not broadcast to the input shape "
              "(12,)");
    EXPECT_EQ(with([](KerasModelDesc& m) { weight(layer(m, "inp_q"), "bits").shape = {2, 6}; }),
              "layer 'inp_q' (HGQ>FixedPointQuantizer): 'bits' has more axes than the input of shape (12,)");
    EXPECT_EQ(with([](KerasModelDesc& m) {
                  auto& ws = layer(m, "inp_q").weights;
                  std::erase_if(ws, [](const KerasWeight& w) { return w.name.ends_with("integers"); });
              }),
              "layer 'inp_q' (HGQ>FixedPointQuantizer): missing weight 'integers'");
    EXPECT_EQ(with([](KerasModelDesc& m) { weight(layer(m, "fc2"), "kernel").data[5] = 0.1; }),
              "layer 'fc2' (Dense): in an HGQ model the kernel must hold quantized values, but they need more "
              "than 32 bits to be exact (a float layer?)");
    EXPECT_EQ(with([](KerasModelDesc& m) {
                  KerasLayer& l = layer(m, "re_lu");
                  l.className = "Activation";
                  l.config["activation"] = "tanh";
              }),
              "HGQ model: no bit-exact form yet for layer 're_lu' (Activation); supported are Dense, Conv, "
              "BatchNormalization, relu and linear activations, max pooling, merges other than Average, "
              "Concatenate, Reshape and Flatten");
}

TEST(HgqProxy, UnaryLutDiagnostics) {
    const KerasModelDesc base = readKerasModel(kLut, std::nullopt);
    auto with = [&](auto edit) {
        KerasModelDesc m = base;
        edit(m);
        return errorOf(m);
    };
    EXPECT_EQ(with([](KerasModelDesc&) {}), "(no error)");
    EXPECT_EQ(with([](KerasModelDesc& m) { layer(m, "unary_lut").config["kif_in"] = {2, 4, 3}; }),
              "layer 'unary_lut' (HGQ>UnaryLUT): kif_in must be [k, i, f] with k 0 or 1, got [2,4,3]");
    EXPECT_EQ(with([](KerasModelDesc& m) { layer(m, "unary_lut").config["kif_in"] = {1, 4, 4}; }),
              "layer 'unary_lut' (HGQ>UnaryLUT): the table has 256 entries, kif_in [1,4,4] needs 512");
    EXPECT_EQ(with([](KerasModelDesc& m) { layer(m, "unary_lut").config["kif_out"] = {0, 0, 0}; }),
              "layer 'unary_lut' (HGQ>UnaryLUT): kif_out [0,0,0] gives no valid type");
    EXPECT_EQ(with([](KerasModelDesc& m) { weight(layer(m, "unary_lut"), "table").data[7] = 0.1; }),
              "layer 'unary_lut' (HGQ>UnaryLUT): table value 0.100000 is not exact in ap_fixed<7,3> (kif_out [1,2,4])");
    Graph g = buildKerasGraph(base);
    g.nodes.at(*g.findNode("unary_lut")).as<ActivationAttrs>()->lut.resize(100);
    try {
        verifyGraph(g);
        FAIL();
    } catch (const UserError& e) {
        EXPECT_STREQ(e.what(), "layer 'unary_lut' (HGQ>UnaryLUT): the lookup table needs a power-of-two size in "
                               "[2, 2^24], got 100");
    }
}

// ---- HGQ2 --------------------------------------------------------------------------------------------------

TEST(Hgq2, QuantizersBecomeNodesAndTypes) {
    const Graph g = buildKerasGraph(readKerasModel(kHgq2, std::nullopt));
    for (const char* q : {"d1_iq", "d2_iq", "d2_oq", "d3_iq"}) {
        ASSERT_TRUE(g.findNode(q)) << q;
        EXPECT_TRUE(g.nodes.at(*g.findNode(q)).as<QuantizeAttrs>()) << q;
    }
    EXPECT_FALSE(g.findNode("d1_oq"));  // enable_oq is off there
    const DenseAttrs& d1 = *g.nodes.at(*g.findNode("d1")).as<DenseAttrs>();
    for (double w : d1.kernel) EXPECT_EQ(toDouble(fromDouble(w, d1.weightT), d1.weightT), w);  // exact
}

TEST(Hgq2, Diagnostics) {
    const KerasModelDesc base = readKerasModel(kHgq2, std::nullopt);
    auto with = [&](auto edit) {
        KerasModelDesc m = base;
        edit(m);
        return errorOf(m);
    };
    EXPECT_EQ(with([](KerasModelDesc& m) { layer(m, "d1").config["kq_conf"]["config"]["q_type"] = "float"; }),
              "layer 'd1' (QDense): kq_conf: q_type 'float' is not supported (fixed-point 'kbi' and 'kif' only)");
    EXPECT_EQ(with([](KerasModelDesc& m) { layer(m, "d1").config["iq_conf"]["config"]["scaler"] = 2.0; }),
              "layer 'd1' (QDense): iq_conf: a quantizer with 'scaler' is not supported, got 2.0");
    EXPECT_EQ(with([](KerasModelDesc& m) { layer(m, "d1").config["iq_conf"] = nullptr; }),
              "layer 'd1' (QDense): iq_conf: expected a QuantizerConfig object, got null");
    // a SAT quantizer trains i, so its variables come in another order and number: the file does not match
    EXPECT_EQ(with([](KerasModelDesc& m) { layer(m, "d1").config["iq_conf"]["config"]["overflow_mode"] = "SAT"; }),
              "layer 'd1' (QDense): iq: the weights file has 4 variables for this quantizer, expected 3");
    EXPECT_EQ(with([](KerasModelDesc& m) { weight(layer(m, "d1"), "iq/quantizer/1").data[2] = 3; }),
              "layer 'd1' (QDense): iq: k must be 0 or 1, got 3 at element 2");
    EXPECT_EQ(with([](KerasModelDesc& m) { weight(layer(m, "d1"), "iq/quantizer/0").data[0] = 80; }),
              "layer 'd1' (QDense): iq: k + i + f must be at most 64, got 84 at element 0");
    // kernel elements typed far apart: exact one by one, but no 64-bit type holds them all
    EXPECT_EQ(with([](KerasModelDesc& m) {
                  KerasLayer& d1 = layer(m, "d1");
                  KerasWeight& b = weight(d1, "kq/quantizer/0");
                  KerasWeight& i = weight(d1, "kq/quantizer/1");
                  b.data[0] = 50, i.data[0] = 30;  // f = 20: a large weight on a fine grid
                  b.data[1] = 50, i.data[1] = -10;  // f = 60
                  weight(d1, "0").data[0] = 1000.25f;
                  weight(d1, "0").data[1] = 0x1.8p-59;
              }),
              "layer 'd1' (QDense): the quantized kernel needs more than 64 bits");
    EXPECT_EQ(with([](KerasModelDesc& m) { weight(layer(m, "d1"), "1").data.resize(3); }),
              "layer 'd1' (QDense): bias size does not match units");
    EXPECT_EQ(with([](KerasModelDesc& m) { weight(layer(m, "d1"), "0").shape = {16, 6}; }),
              "layer 'd1' (QDense): kernel shape does not match the input of 12 values");
}

}  // namespace
