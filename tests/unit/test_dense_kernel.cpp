// Dense kernel vs a step-by-step reference of docs/semantics.md §3 (each product converted to accum_t, then
// added in accum_t, one result conversion), over random types that take both the vectorized and general paths.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "nnfpga/emulator/emulator.h"
#include "nnfpga/fixed/quantize.h"

using namespace nnfpga;

namespace {

Graph denseGraph(int nIn, int nOut, const FixedType& inT, const DenseAttrs& a, const FixedType& outT) {
    Graph g;
    int x = g.addTensor("x", {nIn}, inT);
    Node in;
    in.name = "x";
    in.kind = "InputLayer";
    in.attrs = InputAttrs{};
    in.outputs = {x};
    g.addNode(in);
    int y = g.addTensor("fc", {nOut}, outT);
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

FixedType randomType(std::mt19937& rng, int minW, int maxW) {
    const int w = std::uniform_int_distribution<int>(minW, maxW)(rng);
    const int i = std::uniform_int_distribution<int>(-2, w + 2)(rng);
    const bool s = rng() % 4 != 0;
    return FixedType::fixed(w, i, s, static_cast<Rounding>(rng() % 7), static_cast<Overflow>(rng() % 4));
}

}  // namespace

namespace {

// The emulator on 20 random samples against the step-by-step reference: every output and the overflow counts.
void checkAgainstReference(std::mt19937& rng, const FixedType& inT, const DenseAttrs& a, const FixedType& outT,
                           const std::string& what) {
    const int nIn = a.nIn, nOut = a.nOut;
    Graph g = denseGraph(nIn, nOut, inT, a, outT);
    std::normal_distribution<double> nd(0.0, 2.0);
    const int nSamples = 20;
    std::vector<double> x(nSamples * nIn);
    for (double& v : x) v = rng() % 4 == 0 ? 0.0 : nd(rng) * 3;
    Emulator emu(g);
    EmulatorOptions opt;
    opt.threads = 1;
    EmulationResult r = emu.run({x}, nSamples, opt);

    int64_t refOverflows = 0;
    for (int s = 0; s < nSamples; ++s) {
        std::vector<int64_t> xr(nIn);
        for (int i = 0; i < nIn; ++i) xr[i] = fromDouble(static_cast<float>(x[s * nIn + i]), inT);
        for (int j = 0; j < nOut; ++j) {
            QuantizeFlags f;
            int64_t acc = 0;
            if (!a.bias.empty()) acc = quantize(fromWeightText(a.bias[j], a.biasT), a.biasT.frac(), a.accumT);
            i128 exact = acc;
            bool any = false;
            for (int i = 0; i < nIn; ++i) {
                const int64_t w = fromWeightText(a.kernel[i * nOut + j], a.weightT);
                const int64_t m = quantize(static_cast<i128>(xr[i]) * w, inT.frac() + a.weightT.frac(), a.accumT, &f);
                refOverflows += f.overflowed;
                acc = quantize(static_cast<i128>(acc) + m, a.accumT.frac(), a.accumT, &f);
                any |= f.overflowed;
                exact += m;
            }
            if (a.accumT.overflow == Overflow::WRAP) any = exact < a.accumT.rawMin() || exact > a.accumT.rawMax();
            const int64_t y = quantize(acc, a.accumT.frac(), outT, &f);
            refOverflows += any + f.overflowed;
            ASSERT_EQ(r.outputs[0][s * nOut + j], toDouble(y, outT))
                << what << " sample " << s << " output " << j << " acc " << a.accumT.str();
        }
    }
    EXPECT_EQ(r.overflow[1].stats.overflowed, refOverflows)
        << what << " in " << inT.str() << " w " << a.weightT.str() << " acc " << a.accumT.str() << " out " << outT.str();
    EXPECT_EQ(r.overflow[1].stats.conversions, nSamples * (nIn * nOut + 2 * nOut));
}

}  // namespace

TEST(DenseKernel, MatchesStepByStepReference) {
    std::mt19937 rng(1234);
    int fastEligible = 0;
    for (int trial = 0; trial < 400; ++trial) {
        const int nIn = 1 + rng() % 12, nOut = 1 + rng() % 9;
        FixedType inT = randomType(rng, 2, 16);
        inT.rounding = Rounding::TRN;
        DenseAttrs a;
        a.nIn = nIn;
        a.nOut = nOut;
        a.weightT = randomType(rng, 2, 16);
        a.biasT = randomType(rng, 2, 16);
        a.accumT = randomType(rng, 4, 24);
        if (trial % 2) {  // the common case: TRN/WRAP accumulator (vectorized path)
            a.accumT.rounding = Rounding::TRN;
            a.accumT.overflow = Overflow::WRAP;
            ++fastEligible;
        }
        const FixedType outT = randomType(rng, 2, 18);
        std::normal_distribution<double> nd(0.0, 2.0);
        for (int k = 0; k < nIn * nOut; ++k) a.kernel.push_back(rng() % 5 == 0 ? 0.0 : nd(rng));
        if (rng() % 3) for (int j = 0; j < nOut; ++j) a.bias.push_back(nd(rng));
        checkAgainstReference(rng, inT, a, outT, "trial " + std::to_string(trial));
    }
    EXPECT_GT(fastEligible, 100);
}

TEST(DenseKernel, BlockedInt32Sums) {
    // TRN/WRAP accumulators whose sums cannot leave int32: outputs in blocks of 4, 8 and 16 lanes (several blocks
    // for 17 to 40 outputs), with products that can wrap and that provably cannot (the wrap left out), products
    // shifted right and left, and the widest accumulator the int32 sums allow for the input count.
    std::mt19937 rng(77);
    const FixedType f16 = FixedType::fixed(16, 6);
    for (int nOut : {1, 3, 4, 5, 8, 9, 16, 17, 40})
        for (int nIn : {1, 7, 64}) {
            for (const FixedType& acc : {f16, FixedType::fixed(10, 5), FixedType::fixed(24, 4), FixedType::fixed(26, 12)}) {
                DenseAttrs a;
                a.nIn = nIn, a.nOut = nOut;
                a.weightT = FixedType::fixed(8, 3), a.biasT = f16, a.accumT = acc;
                std::normal_distribution<double> nd(0.0, 2.0);
                for (int k = 0; k < nIn * nOut; ++k) a.kernel.push_back(rng() % 5 == 0 ? 0.0 : nd(rng));
                for (int j = 0; j < nOut; ++j) a.bias.push_back(nd(rng));
                const std::string what = std::to_string(nIn) + "x" + std::to_string(nOut) + " acc " + acc.str();
                checkAgainstReference(rng, FixedType::fixed(10, 4), a, f16, what);
                for (double& w : a.kernel) w /= 16;  // |x*w| < 2: no product can wrap in ap_fixed<16,6>
                checkAgainstReference(rng, FixedType::fixed(10, 4), a, f16, what + ", small weights");
            }
        }
}

TEST(DenseKernel, Hls4mlDefaultProductWraps) {
    // ap_fixed<16,6> everywhere: 20 * 20 = 400 does not fit the accumulator and wraps (400 - 64*6 = 16).
    DenseAttrs a;
    a.nIn = 1;
    a.nOut = 1;
    a.kernel = {20.0};
    a.weightT = a.biasT = a.accumT = FixedType::fixed(16, 6);
    Graph g = denseGraph(1, 1, FixedType::fixed(16, 6), a, FixedType::fixed(16, 6));
    Emulator emu(g);
    EmulationResult r = emu.run({{20.0}}, 1, {});
    EXPECT_EQ(r.outputs[0][0], 16.0);
    EXPECT_EQ(r.overflow[1].stats.overflowed, 1);
}

TEST(DenseKernel, FloatModeIsPlainMatrixProduct) {
    DenseAttrs a;
    a.nIn = 2;
    a.nOut = 2;
    a.kernel = {1.0, 2.0, 3.0, 4.0};  // (nIn, nOut) row-major
    a.bias = {0.5, -0.5};
    Graph g = denseGraph(2, 2, FixedType::fixed(16, 6), a, FixedType::fixed(16, 6));
    Emulator emu(g);
    EmulatorOptions opt;
    opt.floatMode = true;
    EmulationResult r = emu.run({{1.0, 10.0}}, 1, opt);
    EXPECT_DOUBLE_EQ(r.outputs[0][0], 0.5 + 1.0 + 30.0);
    EXPECT_DOUBLE_EQ(r.outputs[0][1], -0.5 + 2.0 + 40.0);
}

// hls4ml's power-of-two product (Po2Product: hls4ml), by hand. x in ap_fixed<4,2> (2^-2 grid), product type
// ap_fixed<8,4> (2^-4 grid), an exact accumulator. Weights 1/8, -1/8 and 8:
//   x = 0.75:  3/32 floors to 1/16; -(1/16); 6.
//   x = -0.75: -3/32 floors to -1/8; -(-1/8) = 1/8; -6.
//   x = 1.75:  ...; 14 wraps in [-8, 8) to -2 (one product overflow).
// The exact products would be +-3/32 and +-14.
TEST(DenseKernel, Hls4mlPowerOfTwoShiftProduct) {
    DenseAttrs a;
    a.nIn = 1;
    a.nOut = 3;
    a.kernel = {0.125, -0.125, 8.0};
    a.weightT = FixedType::fixed(8, 5);
    a.accumT = FixedType::fixed(20, 8);
    a.po2.exponentBits = 2;
    a.po2.type = FixedType::fixed(8, 4);
    const FixedType inT = FixedType::fixed(4, 2);
    Graph g = denseGraph(1, 3, inT, a, a.accumT);
    EmulatorOptions opt;
    opt.threads = 1;
    EmulationResult r = Emulator(g).run({{0.75, -0.75, 1.75}}, 3, opt);
    EXPECT_EQ(r.outputs[0], (std::vector<double>{0.0625, -0.0625, 6.0, -0.125, 0.125, -6.0, 0.1875, -0.1875, -2.0}));
    EXPECT_EQ(r.overflow[1].stats.overflowed, 1);

    a.po2.type.reset();  // the exact products
    Graph exact = denseGraph(1, 3, inT, a, a.accumT);
    r = Emulator(exact).run({{0.75, -0.75, 1.75}}, 3, opt);
    EXPECT_EQ(r.outputs[0],
              (std::vector<double>{0.09375, -0.09375, 6.0, -0.09375, 0.09375, -6.0, 0.21875, -0.21875, 14.0}));
    EXPECT_EQ(r.overflow[1].stats.overflowed, 0);
}
