// Unit tests of the activation and softmax kernels: hand-computed hls4ml values (table entries, index
// truncation, softmax tables, adder tree, table-size limits), overflow counting, and float mode against std::.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "nnfpga/emulator/kernel.h"
#include "nnfpga/emulator/tables.h"
#include "nnfpga/fixed/quantize.h"
#include "nnfpga/ir/graph.h"
#include "nnfpga/support/diagnostics.h"

namespace nnfpga {
namespace {

const FixedType kT16 = FixedType::fixed(16, 6);  // hls4ml's model default, frac 10

Node makeNode(std::string name, std::string kind, OpAttrs attrs, std::vector<int> ins, std::vector<int> outs) {
    Node n;
    n.name = std::move(name);
    n.kind = std::move(kind);
    n.attrs = std::move(attrs);
    n.inputs = std::move(ins);
    n.outputs = std::move(outs);
    return n;
}

// Input -> one activation node, as a frontend would build it.
struct OneNode {
    Graph g;
    std::unique_ptr<Kernel> k;
    FixedType inT, outT;

    OneNode(OpAttrs attrs, Shape shape, FixedType in = kT16, FixedType out = kT16) : inT(in), outT(out) {
        const int x = g.addTensor("x", shape, in);
        const int y = g.addTensor("y", shape, out);
        g.addNode(makeNode("x", "InputLayer", InputAttrs{}, {}, {x}));
        g.addNode(makeNode("act", "Activation", std::move(attrs), {x}, {y}));
        g.inputs = {x};
        g.outputs = {y};
        k = makeActivationKernel(g, g.nodes[1]);
    }

    // Raw outputs for real inputs (each input converted to the input type first, as hls4ml's input_t(float)).
    std::vector<int64_t> raw(const std::vector<double>& xs, OverflowStats* st = nullptr) const {
        std::vector<int64_t> in, out(xs.size());
        for (double v : xs) in.push_back(fromDouble(v, inT));
        const int64_t* ins[] = {in.data()};
        OverflowStats local;
        k->run(ins, out.data(), st ? *st : local);
        return out;
    }
    std::vector<double> real(const std::vector<double>& xs) const {
        std::vector<double> r;
        for (int64_t v : raw(xs)) r.push_back(toDouble(v, outT));
        return r;
    }
    std::vector<double> flt(const std::vector<double>& xs) const {
        std::vector<double> out(xs.size());
        const double* ins[] = {xs.data()};
        k->runFloat(ins, out.data());
        return out;
    }
};

ActivationAttrs act(ActKind kind) {
    ActivationAttrs a;
    a.kind = kind;
    a.paramT = kT16;
    return a;
}

OneNode one(ActivationAttrs a, int n = 1) {
    return OneNode(a, {n});
}

// ---- piecewise-linear kinds -------------------------------------------------------------------------

TEST(ActivationKernel, LinearCastsAndCountsOverflow) {
    OneNode k(act(ActKind::Linear), {3}, kT16, FixedType::fixed(8, 3));
    OverflowStats st;
    // 5.0 does not fit ap_fixed<8,3> ([-4, 4)): raw 160 wraps to -96, i.e. -3.0.
    EXPECT_EQ(k.raw({1.5, 5.0, -0.03125}, &st), (std::vector<int64_t>{48, -96, -1}));
    EXPECT_EQ(st.conversions, 3);
    EXPECT_EQ(st.overflowed, 1);
}

TEST(ActivationKernel, Relu) {
    EXPECT_EQ(one(act(ActKind::Relu), 4).real({-2.5, 0.0, 0.0009765625, 31.5}),
              (std::vector<double>{0, 0, 0.0009765625, 31.5}));
}

TEST(ActivationKernel, ReluResultTypes) {
    // A result type that holds every input (a plain max with 0) and ones that convert: each output is
    // (result_t) max(x, 0), counted and checked for overflow as one conversion per element.
    const std::vector<double> xs = {-2.5, 0.0, 0.0009765625, 3.75, -31.9990234375, 31.9990234375, 7.5, -0.5};
    for (const FixedType& out : {kT16, FixedType::fixed(20, 10), FixedType::fixed(16, 6, false),
                                 FixedType::fixed(8, 4), FixedType::fixed(12, 6, true, Rounding::RND, Overflow::SAT),
                                 FixedType::fixed(18, 6, true, Rounding::RND_CONV, Overflow::SAT_SYM)}) {
        OneNode k(act(ActKind::Relu), {static_cast<int>(xs.size())}, kT16, out);
        OverflowStats st;
        const std::vector<int64_t> y = k.raw(xs, &st);
        OverflowStats want;
        for (size_t i = 0; i < xs.size(); ++i) {
            QuantizeFlags f;
            const int64_t x = fromDouble(xs[i], kT16);
            EXPECT_EQ(y[i], quantize(x > 0 ? x : 0, kT16.frac(), out, &f)) << out.str() << " " << xs[i];
            want.overflowed += f.overflowed;
        }
        EXPECT_EQ(st.conversions, static_cast<int64_t>(xs.size())) << out.str();
        EXPECT_EQ(st.overflowed, want.overflowed) << out.str();
    }
}

TEST(ActivationKernel, LeakyReluAlphaInParamType) {
    ActivationAttrs a = act(ActKind::LeakyRelu);
    a.param = 0.3;  // ap_fixed<16,6>: floor(0.3 * 1024) = 307
    // -1.0 * 307/1024 exact; -0.5 * 307/1024 = -153.5/1024 floors to -154/1024.
    EXPECT_EQ(one(a, 3).raw({2.0, -1.0, -0.5}), (std::vector<int64_t>{2048, -307, -154}));
}

TEST(ActivationKernel, LeakyReluNegativeClipAfterTheCast) {
    // QKeras quantized_relu(6, 2, negative_slope=0.25): ap_fixed<6,3,RND_CONV,SAT>, grid 1/8, negative side >= -1.
    ActivationAttrs a = act(ActKind::LeakyRelu);
    a.param = 0.25;
    a.paramT = FixedType::fixed(3, 1, false);
    a.negClip = -1.0;
    OneNode k(a, {7}, kT16, FixedType::fixed(6, 3, true, Rounding::RND_CONV, Overflow::SAT));
    // 0.25 * -0.75 = -0.1875 → -0.25 (tie to even -2/8); -4 → -1; -20 → -5 → clipped -1 (the type alone: -4);
    // 5 → 3.875 (the type's top); 0.0625 → 0 (tie to even).
    EXPECT_EQ(k.real({-0.75, -4.0, -20.0, 5.0, 0.0625, 0.0, -3.5}),
              (std::vector<double>{-0.25, -1.0, -1.0, 3.875, 0.0, 0.0, -0.875}));
    EXPECT_EQ(k.flt({-20.0, -2.0, 1.5, 0.0, -4.0, 3.0, -0.5}),
              (std::vector<double>{-1.0, -0.5, 1.5, 0.0, -1.0, 3.0, -0.125}));
}

TEST(ActivationKernel, ThresholdedReluIsStrict) {
    ActivationAttrs a = act(ActKind::ThresholdedRelu);
    a.param = 1.0;
    EXPECT_EQ(one(a, 3).real({1.0, 1.0009765625, -3.0}), (std::vector<double>{0.0, 1.0009765625, 0.0}));
}

TEST(ActivationKernel, PReluPerElementAlpha) {
    ActivationAttrs a = act(ActKind::PRelu);
    a.alpha = {0.25, -0.5, 0.1};
    // 0.1 is read back from its 10-decimal text and floored: 102/1024; -3 * 102/1024 = -306/1024.
    EXPECT_EQ(one(a, 3).raw({-2.0, -2.0, -3.0}), (std::vector<int64_t>{-512, 1024, -306}));
    a.alpha = {0.25};
    EXPECT_THROW(one(a, 3), UserError);
}

TEST(ActivationKernel, HardSigmoidExactThenOneCast) {
    ActivationAttrs a = act(ActKind::HardSigmoid);  // slope 0.2 -> ap_ufixed<16,0> 13107/65536, shift 0.5
    // 1.0: 13107/65536 + 0.5 = 0.6999969…, floored to 716/1024.
    EXPECT_EQ(one(a, 4).raw({1.0, 3.0, -3.0, 0.0}), (std::vector<int64_t>{716, 1024, 0, 512}));
}

// ---- table kinds: default table_size 1024, table_t ap_fixed<18,8> (floors to 2^-10) -----------------

TEST(ActivationKernel, SigmoidTableAndTruncatingIndex) {
    auto k = one(act(ActKind::Sigmoid), 5);
    // 0 -> table[512] = sigmoid(0) = 0.5. 1.0 -> index 64 + 512, entry sigmoid(1) = 0.7310…, 748/1024.
    // -0.03 -> x = -31/1024, x*1024/16 = -1.9375 truncates to -1 (floor would give -2): table[511] =
    // sigmoid(-1/64) = 0.49609…, 508/1024 (table[510] would be 504/1024). ±20 clip to the table ends.
    EXPECT_EQ(k.raw({0.0, 1.0, -0.03, 20.0, -20.0}), (std::vector<int64_t>{512, 748, 508, 1023, 0}));
}

TEST(ActivationKernel, TanhTable) {
    auto k = one(act(ActKind::Tanh), 4);
    // index = trunc(x*1024/8) + 512 over [-4, 4): 0.5 -> 576, tanh(0.5) = 0.4621…, 473/1024.
    // -0.01 -> x = -11/1024, x*128 = -1.375 -> -1 -> 511, tanh(-1/128) = -0.0078123… floors to -8/1024.
    // 5 -> clipped to 1023, tanh(3.9921875) -> 1023/1024; -5 -> 0, tanh(-4) = -0.99933 floors to -1.
    EXPECT_EQ(k.raw({0.5, -0.01, 5.0, -5.0}), (std::vector<int64_t>{473, -8, 1023, -1024}));
}

TEST(ActivationKernel, TanhCustomTable) {
    ActivationAttrs a = act(ActKind::Tanh);
    a.tableSize = 2048;
    a.tableT = FixedType::fixed(18, 2);  // frac 16
    // 0.5 -> trunc(0.5*2048/8) + 1024 = 1152, v = 8*(1152-1024)/2048 = 0.5; tanh(0.5) = 0.46211715…
    // floored to 2^-16 is 30285/65536, then floored to 2^-10: 473/1024.
    EXPECT_EQ(one(a, 1).raw({0.5}), (std::vector<int64_t>{473}));
    OneNode fine(a, {1}, kT16, FixedType::fixed(24, 2));
    EXPECT_EQ(fine.raw({0.5}), (std::vector<int64_t>{30285 * 64}));  // the table entry itself
}

TEST(ActivationKernel, SoftplusAndSoftsign) {
    EXPECT_EQ(one(act(ActKind::Softplus), 1).raw({0.0}), (std::vector<int64_t>{709}));  // log 2 = 0.6931…
    EXPECT_EQ(one(act(ActKind::Softsign), 1).raw({2.0}), (std::vector<int64_t>{682}));  // 2/3 = 0.6666…
}

TEST(ActivationKernel, EluTableTimesAlpha) {
    ActivationAttrs a = act(ActKind::Elu);
    a.param = 1.0;
    // -1.0 -> index trunc(-1*1024/-8) = 128, v = -1, exp(-1) - 1 = -0.63212 floors to -648/1024.
    // -10 -> index 1280, clipped to 1023: exp(-7.9921875) - 1 floors to -1.
    EXPECT_EQ(one(a, 3).raw({-1.0, 0.75, -10.0}), (std::vector<int64_t>{-648, 768, -1024}));
    a.param = 0.5;
    EXPECT_EQ(one(a, 1).raw({-1.0}), (std::vector<int64_t>{-324}));
}

TEST(ActivationKernel, Selu) {
    // x >= 0: ap_ufixed<16,1>(1.0507…) = 34429/32768; 1.0 * 34429/32768 floors to 1075/1024.
    // x = -1: table[128] = 1.0507*1.6733*(exp(-1) - 1) = -1.11133…, floored to -1139/1024.
    EXPECT_EQ(one(act(ActKind::Selu), 3).raw({1.0, -1.0, 0.0}), (std::vector<int64_t>{1075, -1139, 0}));
}

TEST(ActivationKernel, TableSizeNotMultipleOf16) {
    ActivationAttrs a = act(ActKind::Sigmoid);
    a.tableSize = 1000;
    // index = trunc(x*1000/16) + 8*1000/16: 1.0 -> 62 + 500 = 562, v = 16*(562 - 500)/1000 = 0.992,
    // sigmoid(0.992) = 0.72947… -> 746/1024.
    EXPECT_EQ(one(a, 1).raw({1.0}), (std::vector<int64_t>{746}));
}

TEST(ActivationKernel, FloatModeMatchesStd) {
    const std::vector<double> xs = {-3.7, -0.2, 0.0, 0.4, 2.9};
    auto check = [&](ActivationAttrs a, auto f) {
        auto k = one(a, static_cast<int>(xs.size()));
        auto y = k.flt(xs);
        for (size_t i = 0; i < xs.size(); ++i)
            EXPECT_NEAR(y[i], f(xs[i], i), 1e-12) << toString(a.kind) << " " << xs[i];
    };
    check(act(ActKind::Sigmoid), [](double x, size_t) { return 1 / (1 + std::exp(-x)); });
    check(act(ActKind::Tanh), [](double x, size_t) { return std::tanh(x); });
    check(act(ActKind::Softplus), [](double x, size_t) { return std::log(std::exp(x) + 1); });
    check(act(ActKind::Softsign), [](double x, size_t) { return x / (std::abs(x) + 1); });
    check(act(ActKind::Relu), [](double x, size_t) { return x > 0 ? x : 0; });
    ActivationAttrs e = act(ActKind::Elu);
    e.param = 0.7;
    check(e, [](double x, size_t) { return x > 0 ? x : 0.7 * (std::exp(x) - 1); });
    check(act(ActKind::Selu),
          [](double x, size_t) { return 1.0507009873554805 * (x > 0 ? x : 1.6732632423543772 * (std::exp(x) - 1)); });
    ActivationAttrs h = act(ActKind::HardSigmoid);
    h.slope = 1.0 / 6;
    check(h, [](double x, size_t) { return std::fmin(1.0, std::fmax(0.0, x / 6 + 0.5)); });
    ActivationAttrs l = act(ActKind::LeakyRelu);
    l.param = 0.3;
    check(l, [](double x, size_t) { return x > 0 ? x : 0.3 * x; });
    ActivationAttrs t = act(ActKind::ThresholdedRelu);
    t.param = 0.4;
    check(t, [](double x, size_t) { return x > 0.4 ? x : 0; });
    ActivationAttrs p = act(ActKind::PRelu);
    p.alpha = {0.1, 0.2, 0.3, 0.4, 0.5};
    check(p, [&](double x, size_t i) { return x > 0 ? x : p.alpha[i] * x; });
}

// ---- softmax -------------------------------------------------------------------------------------------

SoftmaxAttrs sm(SoftmaxImpl impl) {
    SoftmaxAttrs a;
    a.impl = impl;
    a.accumT = kT16;  // 'model' granularity: the softmax accum_t is the model default
    return a;
}

TEST(SoftmaxKernel, StableFiveVector) {
    OneNode k(sm(SoftmaxImpl::Stable), {5});
    OverflowStats st;
    // d = x_max - x = 2, 1, 0, 2.5, 4 in ap_ufixed<15,5>; index = raw >> 5, entry exp(-index/32) rounded
    // to 2^-10: 139, 377, 1024, 84, 19. Tree ((139+377) + (1024+84)) + 19 = 1643; inverse index
    // 1643 >> 8 = 6 -> 1/1.5 -> 683/1024. Results floor(e*683/1024).
    EXPECT_EQ(k.raw({1.0, 2.0, 3.0, 0.5, -1.0}, &st), (std::vector<int64_t>{92, 251, 683, 56, 12}));
    // 5 differences, 5 exponentials into accum_t, 4 tree sums, 1 inv_inp_t cast, 5 results.
    EXPECT_EQ(st.conversions, 20);
    EXPECT_EQ(st.overflowed, 0);
}

TEST(SoftmaxKernel, StableDifferenceWraps) {
    OneNode k(sm(SoftmaxImpl::Stable), {2});
    OverflowStats st;
    // 16.25 - (-16.25) = 32.5 does not fit ap_ufixed<15,5> and wraps to 0.5: exp(-0.5) instead of exp(-32.5).
    auto y = k.raw({16.25, -16.25}, &st);
    EXPECT_GT(y[1], 256);
    EXPECT_EQ(st.overflowed, 1);
}

TEST(SoftmaxKernel, LatencyFiveVector) {
    SoftmaxAttrs a = sm(SoftmaxImpl::Latency);
    a.accumT = FixedType::fixed(18, 8, true, Rounding::RND, Overflow::SAT);
    OneNode k(a, {5});
    // index = top 10 bits of the 16-bit pattern; -0.25 is 0xFF00 -> 1020 -> -0.25. exp rounded: 1688, 377,
    // 1024, 2784, 797; sum 6670 -> inverse index 26 -> 1/6.5 -> 158/1024.
    EXPECT_EQ(k.raw({0.5, -1.0, 0.0, 1.0, -0.25}), (std::vector<int64_t>{260, 58, 158, 429, 122}));
}

TEST(SoftmaxKernel, LatencyAccumulatorWrapsInTree) {
    OneNode k(sm(SoftmaxImpl::Latency), {5});
    OverflowStats st;
    // exp(1)+exp(2)+exp(3)+exp(0.5) = 32606/1024 fits ap_fixed<16,6>; adding exp(-1) wraps.
    k.raw({1.0, 2.0, 3.0, 0.5, -1.0}, &st);
    EXPECT_EQ(st.overflowed, 1);
}

TEST(SoftmaxKernel, Legacy) {
    OneNode k(sm(SoftmaxImpl::Legacy), {3});
    // sums of exp(x_j - x_i) from a floored [-8, 8) table in ap_fixed<18,8>: 1538, 4183, 11373; inverse
    // index trunc(sum/64) -> 1/1.5, 1/4.0625, 1/11.0625 floored.
    EXPECT_EQ(k.raw({1.0, 0.0, -1.0}), (std::vector<int64_t>{682, 252, 92}));
}

TEST(SoftmaxKernel, ArgmaxFirstMaximum) {
    OneNode k(sm(SoftmaxImpl::Argmax), {4});
    EXPECT_EQ(k.real({1.0, 3.0, 3.0, 0.0}), (std::vector<double>{0, 1, 0, 0}));
}

TEST(SoftmaxKernel, TableVariantsMatchStepByStepReference) {
    // Stable and latency softmax over random types, modes and lengths against hls4ml's steps written out with one
    // quantize() each (the plan's tables as the kernel uses them): outputs and counts. Wide accumulators (more
    // than 60 bits) take the kernel's i128 path, the others its specialised conversions.
    std::mt19937 rng(31);
    auto type = [&](int minW, int maxW) {
        const int w = std::uniform_int_distribution<int>(minW, maxW)(rng);
        const int i = std::uniform_int_distribution<int>(1, w)(rng);
        return FixedType::fixed(w, i, rng() % 5 != 0, static_cast<Rounding>(rng() % 7), static_cast<Overflow>(rng() % 4));
    };
    int checked = 0;
    for (int trial = 0; trial < 300; ++trial) {
        SoftmaxAttrs a = sm(trial % 2 ? SoftmaxImpl::Stable : SoftmaxImpl::Latency);
        a.tableSize = std::vector<int>{64, 256, 1000, 1024}[rng() % 4];
        a.accumT = trial % 10 == 0 ? type(61, 63) : type(6, 24);
        a.expTableT = type(8, 20), a.invTableT = type(8, 20), a.invInpT = type(8, 20);
        const FixedType inT = type(4, 20), outT = type(6, 20);
        const int n = 1 + static_cast<int>(rng() % 12);
        std::unique_ptr<OneNode> k;
        SoftmaxPlan plan;
        try {
            k = std::make_unique<OneNode>(a, Shape{n}, inT, outT);
            plan = softmaxPlan(k->g.nodes[1], inT);
        } catch (const std::exception&) {
            continue;  // tables that these types cannot address: a diagnostic, tested elsewhere
        }
        ++checked;
        std::normal_distribution<double> nd(0.0, 3.0);
        for (int sample = 0; sample < 5; ++sample) {
            std::vector<double> xs(static_cast<size_t>(n));
            for (double& v : xs) v = nd(rng);
            OverflowStats got;
            const std::vector<int64_t> y = k->raw(xs, &got);
            // The reference.
            OverflowStats want;
            auto q = [&](i128 raw, int frac, const FixedType& t) {
                QuantizeFlags f;
                const int64_t r = quantize(raw, frac, t, &f);
                ++want.conversions;
                want.overflowed += f.overflowed;
                return r;
            };
            std::vector<int64_t> x, e;
            for (double v : xs) x.push_back(fromDouble(v, inT));
            const int64_t xMax = *std::max_element(x.begin(), x.end());
            for (int64_t v : x) {
                const int64_t idx = a.impl == SoftmaxImpl::Stable ? q(i128(xMax) - v, inT.frac(), plan.inpNormT) : v;
                e.push_back(q(plan.exp.lookup(idx), a.expTableT.frac(), a.accumT));
            }
            std::function<int64_t(size_t, size_t)> tree = [&](size_t b, size_t len) -> int64_t {
                if (len == 1) return e[b];
                size_t left = 1;
                while (left * 2 < len) left *= 2;  // the largest power of two below len
                return q(i128(tree(b, left)) + tree(b + left, len - left), a.accumT.frac(), a.accumT);
            };
            const int64_t inv = plan.inv.lookup(q(tree(0, e.size()), a.accumT.frac(), a.invInpT));
            std::vector<int64_t> ref;
            for (int64_t v : e) ref.push_back(q(i128(v) * inv, a.accumT.frac() + a.invTableT.frac(), outT));
            ASSERT_EQ(y, ref) << "trial " << trial << " acc " << a.accumT.str();
            EXPECT_EQ(got.conversions, want.conversions) << "trial " << trial;
            EXPECT_EQ(got.overflowed, want.overflowed) << "trial " << trial;
        }
    }
    EXPECT_GT(checked, 150);
}

TEST(SoftmaxKernel, TableSizeLimitedByInputWidth) {
    // ap_fixed<8,3> input: table_size 1024 -> 2^min(8, 18) = 256 (inverse, 8 index bits); the exp table of
    // the stable variant is addressed by ap_ufixed<7,2>: 128 entries. d = 0, 1 -> 1024, exp(-1) = 377;
    // sum 1401 -> inverse index 1401 >> 10 = 1 -> 1/1.0. (A 1024-entry inverse table would give 1/1.25.)
    OneNode k(sm(SoftmaxImpl::Stable), {2}, FixedType::fixed(8, 3), kT16);
    EXPECT_EQ(k.raw({1.0, 0.0}), (std::vector<int64_t>{1024, 377}));
}

TEST(SoftmaxKernel, RowsOfRank2) {
    OneNode k2(sm(SoftmaxImpl::Stable), {2, 5});
    OneNode k1(sm(SoftmaxImpl::Stable), {5});
    std::vector<double> r0 = {1.0, 2.0, 3.0, 0.5, -1.0}, r1 = {0.25, -0.5, 0.0, 1.75, 1.0};
    std::vector<double> both = r0;
    both.insert(both.end(), r1.begin(), r1.end());
    std::vector<int64_t> want = k1.raw(r0), w1 = k1.raw(r1);
    want.insert(want.end(), w1.begin(), w1.end());
    EXPECT_EQ(k2.raw(both), want);
}

TEST(SoftmaxKernel, FloatModeIsSoftmax) {
    for (SoftmaxImpl impl : {SoftmaxImpl::Stable, SoftmaxImpl::Latency, SoftmaxImpl::Legacy, SoftmaxImpl::Argmax}) {
        OneNode k(sm(impl), {2, 3});
        std::vector<double> x = {1.0, 2.0, 3.0, 100.0, 100.0, 99.0};
        auto y = k.flt(x);
        const double s0 = std::exp(-2.0) + std::exp(-1.0) + 1, s1 = 2 + std::exp(-1.0);
        EXPECT_NEAR(y[2], 1 / s0, 1e-12);
        EXPECT_NEAR(y[0], std::exp(-2.0) / s0, 1e-12);
        EXPECT_NEAR(y[3], 1 / s1, 1e-12);
        EXPECT_NEAR(y[5], std::exp(-1.0) / s1, 1e-12);
    }
}

TEST(SoftmaxKernel, UnaddressableInverseTableIsAnError) {
    SoftmaxAttrs a = sm(SoftmaxImpl::Stable);
    a.invInpT = FixedType::fixed(8, 4);  // 1024-entry inverse table needs 10 index bits
    EXPECT_THROW(OneNode(a, {3}), UserError);
}

}  // namespace
}  // namespace nnfpga
