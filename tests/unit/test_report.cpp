// The report library: type-fit checks and suggestions, value statistics, the accumulator replay against the
// emulator's overflow counters, the suggested configuration's YAML round trip, and the drawing surfaces.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>

#include "nnfpga/config/config.h"
#include "nnfpga/emulator/emulator.h"
#include "nnfpga/fixed/quantize.h"
#include "nnfpga/report/canvas.h"
#include "nnfpga/report/plots.h"
#include "nnfpga/report/profile.h"
#include "nnfpga/report/suggest_config.h"

using namespace nnfpga;

namespace {

TEST(ReportTypes, IntegerBitsHoldTheMagnitudeWithSign) {
    EXPECT_EQ(integerBitsFor(0), 1);
    EXPECT_EQ(integerBitsFor(0.2336), -1);  // [-0.25, 0.25)
    EXPECT_EQ(integerBitsFor(0.5), 1);      // [-1, 1)
    EXPECT_EQ(integerBitsFor(1.0), 2);
    EXPECT_EQ(integerBitsFor(15.9), 5);
    EXPECT_EQ(integerBitsFor(16), 6);
    for (double m : {0.001, 0.3, 0.7, 3.0, 31.5, 1000.0}) {
        const int i = integerBitsFor(m);
        EXPECT_GT(std::ldexp(1.0, i - 1), m);
        EXPECT_LE(std::ldexp(1.0, i - 2), m);
    }
}

TEST(ReportTypes, OverflowFollowsRoundingAndSign) {
    const FixedType trn = FixedType::fixed(8, 3);  // [-4, 3.96875], lsb 1/32
    EXPECT_FALSE(overflowsType(3.99, trn));        // truncates to 3.96875
    EXPECT_TRUE(overflowsType(4.0, trn));
    EXPECT_FALSE(overflowsType(-4.0, trn));
    EXPECT_TRUE(overflowsType(-4.001, trn));
    const FixedType rnd = FixedType::fixed(8, 3, true, Rounding::RND, Overflow::SAT);
    EXPECT_TRUE(overflowsType(3.99, rnd));  // rounds to 4
    EXPECT_FALSE(overflowsType(3.97, rnd));
    const FixedType u = FixedType::fixed(8, 3, false);
    EXPECT_TRUE(overflowsType(-0.01, u));
    EXPECT_FALSE(overflowsType(0.0, u));
    EXPECT_FALSE(overflowsType(std::nan(""), trn));
}

TEST(ReportTypes, SuggestionKeepsWidthAndModes) {
    ProfileVar v{"result", VarKind::Result, FixedType::fixed(12, 2, false, Rounding::RND, Overflow::SAT), true, {}};
    v.stats.add(-5.5);
    v.stats.add(3);
    EXPECT_EQ(suggestType(v).str(), "ap_fixed<12,5,AP_RND,AP_SAT>");  // 4 bits hold 5.5, plus a guard bit
    EXPECT_EQ(suggestType(v, 20).str(), "ap_fixed<20,5,AP_RND,AP_SAT>");
}

TEST(ReportStats, ExtremesQuantilesAndMerge) {
    ValueStats a, b, all;
    for (int k = -3; k <= 4; ++k) {
        (k % 2 ? a : b).add(-std::ldexp(1.0, k));
        all.add(-std::ldexp(1.0, k));
    }
    a.add(0);
    all.add(0);
    a.merge(b);
    EXPECT_EQ(a.count, all.count);
    EXPECT_EQ(a.zeros, 1);
    EXPECT_EQ(a.hist, all.hist);
    EXPECT_EQ(a.min, -16);
    EXPECT_EQ(a.max, 0);
    EXPECT_EQ(a.minAbs, 0.125);
    EXPECT_EQ(a.maxAbs, 16);
    EXPECT_DOUBLE_EQ(a.log2Quantile(0), -3);
    EXPECT_DOUBLE_EQ(a.log2Quantile(1), 4);
    const double median = a.log2Quantile(0.5);
    EXPECT_GE(median, 0);
    EXPECT_LE(median, 1);
}

// x -> Dense(nIn, nOut), all values on coarse grids so that float and fixed point compute the same sums: inputs
// on 2^-4, weights and biases on 2^-5, so products land on 2^-9, the accumulator's grid.
Graph denseGraph(const FixedType& accT, const FixedType& outT, std::mt19937& rng, int nIn, int nOut) {
    Graph g;
    const int x = g.addTensor("x", {nIn}, FixedType::fixed(8, 4));
    Node in;
    in.name = "x";
    in.kind = "InputLayer";
    in.attrs = InputAttrs{};
    in.outputs = {x};
    g.addNode(in);
    DenseAttrs a;
    a.nIn = nIn;
    a.nOut = nOut;
    std::uniform_int_distribution<int> w(-64, 63);
    for (int k = 0; k < nIn * nOut; ++k) a.kernel.push_back(w(rng) / 32.0);
    for (int k = 0; k < nOut; ++k) a.bias.push_back(w(rng) / 16.0);
    a.weightT = FixedType::fixed(8, 3);
    a.biasT = FixedType::fixed(8, 3);
    a.accumT = accT;
    const int y = g.addTensor("fc", {nOut}, outT);
    Node d;
    d.name = "fc";
    d.kind = "Dense";
    d.attrs = a;
    d.inputs = {x};
    d.outputs = {y};
    g.addNode(d);
    g.inputs = {x};
    g.outputs = {y};
    verifyGraph(g);
    return g;
}

// With exact inputs, the replayed accumulator checks count what the kernel counts: products that do not fit
// (none here: |x*w| < 16), plus one per output whose sum overflowed (WRAP: the total; SAT: any step).
TEST(ReportProfile, DenseAccumulatorChecksMatchTheEmulator) {
    for (Overflow mode : {Overflow::WRAP, Overflow::SAT}) {
        std::mt19937 rng(7);
        const int nIn = 12, nOut = 5, samples = 64;
        const Graph g =
            denseGraph(FixedType::fixed(14, 5, true, Rounding::TRN, mode), FixedType::fixed(40, 20), rng, nIn, nOut);
        std::vector<std::vector<double>> inputs(1);
        std::uniform_int_distribution<int> x(-120, 120);
        for (int k = 0; k < samples * nIn; ++k) inputs[0].push_back(x(rng) / 16.0);
        const Profile p = profileGraph(g, inputs, samples, 2);
        ASSERT_EQ(p.layers.size(), 2u);
        const LayerProfile& fc = p.layers[1];
        ASSERT_EQ(fc.vars.size(), 4u);  // weight, bias, accum, result
        const ProfileVar& acc = fc.vars[2];
        EXPECT_EQ(acc.name, "accum");
        EXPECT_GT(acc.stats.outside, 0);
        EXPECT_EQ(acc.stats.checked, int64_t(samples) * (nIn * nOut + nOut));
        EXPECT_EQ(fc.vars[3].stats.outside, 0);  // the result type is wide
        EXPECT_EQ(fc.overflow.overflowed, acc.stats.outside) << toString(mode);
        EXPECT_EQ(fc.overflow.conversions, acc.stats.checked + fc.vars[3].stats.checked);
    }
}

TEST(ReportConfig, SuggestionsRoundTripThroughYaml) {
    Profile p;
    p.samples = 1;
    LayerProfile l{"Fc 1", "Dense", {}, {}};
    l.vars.push_back({"weight", VarKind::Constant, FixedType::fixed(16, 6), true, {}});
    l.vars.back().stats.add(0.7);
    l.vars.push_back({"result", VarKind::Result, FixedType::fixed(16, 6), true, {}});
    l.vars.back().stats.add(-40);
    p.layers.push_back(l);
    LayerProfile r{"flat", "Flatten", {}, {}};
    r.vars.push_back({"result", VarKind::Result, FixedType::fixed(16, 6), false, {}});
    p.layers.push_back(r);
    ProjectConfig base;
    base.model.precision["default"] = "ap_fixed<16,2>";
    base.layerName["fc 1"].reuseFactor = 4;  // matched case-insensitively, and kept
    const ProjectConfig cfg = suggestConfig(p, base, std::nullopt, {{"fc_1_linear", "Fc 1"}});
    const auto path = std::filesystem::temp_directory_path() / "nnfpga_test_report_suggest.yml";
    std::ofstream(path) << configYaml(cfg, "two\ncomment lines");
    const ProjectConfig back = loadProjectConfig(path.string());
    std::filesystem::remove(path);
    EXPECT_EQ(back.precision("Fc 1", "Dense", "weight"), "ap_fixed<16,2>");
    EXPECT_EQ(back.precision("Fc 1", "Dense", "result"), "ap_fixed<16,8>");
    EXPECT_EQ(back.precision("fc_1_linear", "Activation", "result"), "ap_fixed<16,8>");
    EXPECT_EQ(back.precision("flat", "Flatten", "result"), "ap_fixed<16,2>");
    EXPECT_EQ(back.reuseFactor("Fc 1", "Dense"), 4);
    EXPECT_EQ(back.layerName.count("Fc 1"), 0u);
}

TEST(ReportCanvas, SvgEscapesAndClosesGroups) {
    SvgSurface s(10, 20, "a<b");
    s.beginGroup("layer", "layer-a&b\"");
    s.text(0, 0, "x<y & z", Rgb{}, Anchor::Start, 1);
    const std::string svg = s.finish();
    EXPECT_NE(svg.find("<title>a&lt;b</title>"), std::string::npos);
    EXPECT_NE(svg.find("<g class=\"layer\" id=\"layer-a&amp;b&quot;\">"), std::string::npos);
    EXPECT_NE(svg.find(">x&lt;y &amp; z</text>"), std::string::npos);
    EXPECT_NE(svg.find("</g>\n</svg>\n"), std::string::npos);
}

TEST(ReportCanvas, RasterDrawsAndEncodes) {
    RasterSurface r(40, 12);
    r.fillRect(0, 0, 2, 2, Rgb{255, 0, 0});
    r.text(10, 2, "H", Rgb{0, 0, 255}, Anchor::Start, 1);
    EXPECT_EQ(r.pixel(1, 1), (Rgb{255, 0, 0}));
    EXPECT_EQ(r.pixel(10, 2), (Rgb{0, 0, 255}));  // H: left column, top row
    EXPECT_EQ(r.pixel(12, 2), (Rgb{255, 255, 255}));
    EXPECT_EQ(r.pixel(12, 5), (Rgb{0, 0, 255}));  // H: the bar
    const std::string png = r.png();
    ASSERT_GT(png.size(), 33u);
    EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
    const auto be32 = [&](size_t at) {
        return (uint32_t(uint8_t(png[at])) << 24) | (uint32_t(uint8_t(png[at + 1])) << 16) |
               (uint32_t(uint8_t(png[at + 2])) << 8) | uint32_t(uint8_t(png[at + 3]));
    };
    EXPECT_EQ(png.substr(12, 4), "IHDR");
    EXPECT_EQ(be32(16), 40u);
    EXPECT_EQ(be32(20), 12u);
}

TEST(ReportPlots, FormatByExtension) {
    EXPECT_EQ(plotFormatFor("a/b.SVG"), PlotFormat::Svg);
    EXPECT_EQ(plotFormatFor("b.png"), PlotFormat::Png);
    EXPECT_EQ(plotFormatFor("b.jpg"), std::nullopt);
    EXPECT_EQ(plotFormatFor("png"), std::nullopt);
}

}  // namespace
