// Unit tests of the spatial and merge kernels against straightforward references written here: tap positions from
// TensorFlow's formulas (valid/same padding, strides, dilations, transposed convolution as a scatter), one
// quantize() per step of hls4ml's arithmetic, exact double arithmetic for merges. Plus hand-computed values, the
// agreement of Conv's int32 and general paths, and float mode.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "nnfpga/emulator/dense_variants.h"
#include "nnfpga/emulator/emulator.h"
#include "nnfpga/emulator/kernel.h"
#include "nnfpga/fixed/quantize.h"
#include "nnfpga/ir/graph.h"

namespace nnfpga {
namespace {

using Raw = std::vector<int64_t>;
FixedType fx(int w, int i, bool s = true, Rounding r = Rounding::TRN, Overflow o = Overflow::WRAP) {
    return FixedType::fixed(w, i, s, r, o);
}

Node node(const std::string& name, OpAttrs attrs, std::vector<int> ins, int out) {
    Node n;
    n.name = name;
    n.kind = ins.empty() ? "InputLayer" : "Op";
    n.attrs = std::move(attrs);
    n.inputs = std::move(ins);
    n.outputs = {out};
    return n;
}

// Inputs -> one node; the kernel is made from the graph (which it references, so the graph never moves).
struct OneNode {
    Graph g;
    std::unique_ptr<Kernel> k;

    OneNode(const std::vector<std::pair<Shape, FixedType>>& ins, OpAttrs attrs, Shape outShape, FixedType outT) {
        std::vector<int> ids;
        for (size_t i = 0; i < ins.size(); ++i) {
            std::string name = "x";
            name += std::to_string(i);
            const int t = g.addTensor(name, ins[i].first, ins[i].second);
            g.addNode(node(name, InputAttrs{}, {}, t));
            ids.push_back(t);
        }
        const int y = g.addTensor("y", outShape, outT);
        const bool merge = std::holds_alternative<MergeAttrs>(attrs) || std::holds_alternative<ConcatAttrs>(attrs) ||
                           std::holds_alternative<DotAttrs>(attrs);
        g.addNode(node("op", std::move(attrs), ids, y));
        g.inputs = ids;
        g.outputs = {y};
        verifyGraph(g);
        k = merge ? makeMergeKernel(g, g.nodes.back()) : makeSpatialKernel(g, g.nodes.back());
    }
    const FixedType& outT() const { return g.tensor(g.outputs[0]).type; }
    int64_t outSize() const { return g.outputSize(0); }

    Raw run(const std::vector<Raw>& in, OverflowStats* st = nullptr) const {
        std::vector<const int64_t*> p;
        for (const Raw& r : in) p.push_back(r.data());
        Raw out(static_cast<size_t>(outSize()));
        OverflowStats local;
        k->run(p.data(), out.data(), st ? *st : local);
        return out;
    }
    std::vector<double> runFloat(const std::vector<std::vector<double>>& in) const {
        std::vector<const double*> p;
        for (const auto& r : in) p.push_back(r.data());
        std::vector<double> out(static_cast<size_t>(outSize()));
        k->runFloat(p.data(), out.data());
        return out;
    }
};

Raw randomRaw(std::mt19937& rng, const FixedType& t, int64_t n) {
    std::uniform_int_distribution<int64_t> d(t.rawMin(), t.rawMax());
    Raw r(static_cast<size_t>(n));
    for (int64_t& v : r) v = rng() % 6 == 0 ? 0 : d(rng);
    return r;
}

FixedType randomType(std::mt19937& rng, int minW, int maxW, bool modes = true) {
    const int w = std::uniform_int_distribution<int>(minW, maxW)(rng);
    const int i = std::uniform_int_distribution<int>(-2, w + 2)(rng);
    if (!modes) return fx(w, i, rng() % 4 != 0);
    return fx(w, i, rng() % 4 != 0, static_cast<Rounding>(rng() % 7), static_cast<Overflow>(rng() % 4));
}

std::vector<double> values(const Raw& r, const FixedType& t) {
    std::vector<double> v;
    for (int64_t x : r) v.push_back(toDouble(x, t));
    return v;
}

// TensorFlow's 'same' padding of one dimension, written out independently of the IR's helper.
void tfSame(int in, int k, int s, int d, int& before, int& after) {
    const int out = (in + s - 1) / s;
    const int total = std::max(0, (out - 1) * s + (k - 1) * d + 1 - in);
    before = total / 2;
    after = total - before;
}

// ---------------------------------------------------------------------------------------------------- Conv

struct ConvCase {
    int rank = 2, inH = 5, inW = 6, nChan = 2, nFilt = 3, mult = 0;  // mult > 0: depthwise
    int kh = 3, kw = 3, sh = 1, sw = 1, dh = 1, dw = 1;
    bool same = false, bias = true;
    int tStride = 0, tPad = 0;  // tStride > 0: transposed convolution, output o = i*tStride + tap - tPad
    FixedType inT = fx(10, 4), wT = fx(8, 2), bT = fx(10, 4), accT = fx(24, 10), outT = fx(16, 8);
};

struct ConvSetup {
    ConvCase c;
    ConvAttrs a;
    int padTop = 0, padLeft = 0;
    std::unique_ptr<OneNode> node;

    ConvSetup(const ConvCase& cc, std::mt19937& rng) : c(cc) {
        if (c.rank == 1) c.inH = c.kh = c.sh = c.dh = 1;
        Window& w = a.win;
        w.rank = c.rank;
        w.inH = c.inH, w.inW = c.inW, w.kh = c.kh, w.kw = c.kw;
        int outH, outW;
        if (c.tStride) {  // a forward convolution of the dilated input with the flipped kernel
            w.inDilW = c.tStride;
            w.padLeft = w.padRight = c.kw - 1 - c.tPad;
            if (c.rank == 2) {
                w.inDilH = c.tStride;
                w.padTop = w.padBottom = c.kh - 1 - c.tPad;
            }
            outW = (c.inW - 1) * c.tStride + c.kw - 2 * c.tPad;
            outH = c.rank == 1 ? 1 : (c.inH - 1) * c.tStride + c.kh - 2 * c.tPad;
        } else {
            w.sh = c.sh, w.sw = c.sw, w.dh = c.dh, w.dw = c.dw;
            if (c.same) {
                tfSame(c.inH, c.kh, c.sh, c.dh, w.padTop, w.padBottom);
                tfSame(c.inW, c.kw, c.sw, c.dw, w.padLeft, w.padRight);
                outH = (c.inH + c.sh - 1) / c.sh, outW = (c.inW + c.sw - 1) / c.sw;
            } else {
                outH = (c.inH - (c.kh - 1) * c.dh - 1) / c.sh + 1, outW = (c.inW - (c.kw - 1) * c.dw - 1) / c.sw + 1;
            }
        }
        padTop = w.padTop, padLeft = w.padLeft;
        w.computeOutput();
        EXPECT_EQ(w.outH, outH);
        EXPECT_EQ(w.outW, outW);
        a.nChan = c.nChan;
        a.depthMultiplier = c.mult;
        a.nFilt = c.mult ? c.nChan * c.mult : c.nFilt;
        c.nFilt = a.nFilt;
        a.weightT = c.wT, a.biasT = c.bT, a.accumT = c.accT;
        std::normal_distribution<double> nd(0.0, std::max(1.0, c.wT.maxValue() / 2));
        a.kernel.resize(static_cast<size_t>(a.kernelSize()));
        for (double& v : a.kernel) v = rng() % 5 == 0 ? 0.0 : nd(rng);
        if (c.bias)
            for (int f = 0; f < a.nFilt; ++f) a.bias.push_back(nd(rng));
        node = std::make_unique<OneNode>(std::vector<std::pair<Shape, FixedType>>{{w.inShape(c.nChan), c.inT}}, a,
                                         w.outShape(a.nFilt), c.outT);
    }

    // The input pixel along one axis read by output o through tap t (IR tap order), from TF's definitions.
    bool source(int o, int t, int k, int s, int d, int pad, int in, int& pos) const {
        if (c.tStride) {  // scatter: output o = pos*tStride + tf - tPad, where tf = k-1-t is TF's tap
            const int num = o - (k - 1 - t) + c.tPad;
            pos = num / c.tStride;
            return num >= 0 && num % c.tStride == 0 && pos < in;
        }
        pos = o * s + t * d - pad;
        return pos >= 0 && pos < in;
    }

    // hls4ml's arithmetic step by step; counts overflows and conversions as the kernel documents.
    Raw reference(const Raw& x, OverflowStats& st) const {
        const FixedType& acc = c.accT;
        const Window& w = a.win;
        Raw y;
        QuantizeFlags f;
        for (int oh = 0; oh < w.outH; ++oh)
            for (int ow = 0; ow < w.outW; ++ow)
                for (int k = 0; k < c.nFilt; ++k) {
                    int64_t sum = c.bias ? quantize(fromWeightText(a.bias[k], c.bT), c.bT.frac(), acc) : 0;
                    i128 exact = sum;
                    bool any = false;
                    for (int i = 0; i < c.kh; ++i)
                        for (int j = 0; j < c.kw; ++j) {
                            int h = 0, v;
                            if (c.rank == 2 && !source(oh, i, c.kh, c.sh, c.dh, padTop, c.inH, h)) continue;
                            if (!source(ow, j, c.kw, c.sw, c.dw, padLeft, c.inW, v)) continue;
                            for (int ch = 0; ch < c.nChan; ++ch) {
                                if (c.mult && ch != k / c.mult) continue;
                                const int tap = i * c.kw + j;
                                const size_t wi = c.mult
                                                      ? static_cast<size_t>((tap * c.nChan + ch) * c.mult + k % c.mult)
                                                      : static_cast<size_t>((tap * c.nChan + ch) * c.nFilt + k);
                                const int64_t wr = fromWeightText(a.kernel[wi], c.wT);
                                const int64_t xr = x[static_cast<size_t>((h * c.inW + v) * c.nChan + ch)];
                                const int64_t m =
                                    quantize(static_cast<i128>(xr) * wr, c.inT.frac() + c.wT.frac(), acc, &f);
                                st.overflowed += f.overflowed;
                                sum = quantize(static_cast<i128>(sum) + m, acc.frac(), acc, &f);
                                any |= f.overflowed;
                                exact += m;
                                ++st.conversions;
                            }
                        }
                    if (acc.overflow == Overflow::WRAP) any = exact < acc.rawMin() || exact > acc.rawMax();
                    y.push_back(quantize(sum, acc.frac(), c.outT, &f));
                    st.overflowed += any + f.overflowed;
                    st.conversions += 2;
                }
        return y;
    }

    void check(std::mt19937& rng, int samples, const std::string& what) const {
        for (int s = 0; s < samples; ++s) {
            const Raw x = randomRaw(rng, c.inT, node->g.inputSize(0));
            OverflowStats got, want;
            const Raw y = node->run({x}, &got);
            const Raw r = reference(x, want);
            ASSERT_EQ(y, r) << what << " sample " << s << " acc " << c.accT.str();
            EXPECT_EQ(got.overflowed, want.overflowed) << what;
            EXPECT_EQ(got.conversions, want.conversions) << what;
        }
    }
};

void checkConv(const ConvCase& c, const std::string& what, int samples = 8) {
    std::mt19937 rng(static_cast<unsigned>(std::hash<std::string>{}(what)));
    ConvSetup(c, rng).check(rng, samples, what);
}

TEST(SpatialConv, HandComputed2DSameStride1) {
    // 3x3 input 1..9, 2x2 kernel of ones, 'same': one row and column of padding after (bottom/right).
    ConvAttrs a;
    a.win.inH = a.win.inW = 3, a.win.kh = a.win.kw = 2;
    samePadding(3, 2, 1, 1, a.win.padTop, a.win.padBottom);
    samePadding(3, 2, 1, 1, a.win.padLeft, a.win.padRight);
    a.win.computeOutput();
    a.nChan = a.nFilt = 1;
    a.kernel = {1, 1, 1, 1};
    a.bias = {0.5};
    a.weightT = a.biasT = a.accumT = fx(16, 6);
    OneNode n({{{3, 3, 1}, fx(16, 6)}}, a, {3, 3, 1}, fx(16, 6));
    Raw x;
    for (int v = 1; v <= 9; ++v) x.push_back(v << 10);
    EXPECT_EQ(values(n.run({x}), fx(16, 6)), (std::vector<double>{12.5, 16.5, 9.5, 24.5, 28.5, 15.5, 15.5, 17.5, 9.5}));
}

TEST(SpatialConv, HandComputedAccumulatorWrapAndSaturate) {
    // 1D, one tap per channel: products 7, 7, -7 into ap_fixed<8,4> (range [-8, 8)).
    for (Overflow o : {Overflow::WRAP, Overflow::SAT}) {
        ConvAttrs a;
        a.win.rank = 1, a.win.inW = 1, a.win.kw = 1;
        a.win.computeOutput();
        a.nChan = 3, a.nFilt = 1;
        a.kernel = {1, 1, -1};
        a.weightT = fx(4, 2);
        a.accumT = fx(8, 4, true, Rounding::TRN, o);
        OneNode n({{{1, 3}, fx(8, 4)}}, a, {1, 1}, fx(16, 8));
        OverflowStats st;
        const Raw y = n.run({{7 << 4, 7 << 4, 7 << 4}}, &st);
        // WRAP: 7+7 wraps to -2, then -2-7 = -9 wraps to 7 (the exact total). SAT: 7+7 saturates at 7.9375, -7.
        EXPECT_EQ(toDouble(y[0], fx(16, 8)), o == Overflow::WRAP ? 7.0 : 0.9375);
        EXPECT_EQ(st.overflowed, o == Overflow::WRAP ? 0 : 1);
        EXPECT_EQ(st.conversions, 3 + 2);
    }
}

TEST(SpatialConv, Geometry2D) {
    ConvCase c;
    checkConv(c, "valid 3x3");
    c.same = true;
    checkConv(c, "same 3x3");
    c.sh = c.sw = 2;
    checkConv(c, "same stride 2");
    c.same = false;
    checkConv(c, "valid stride 2");
    c.sh = c.sw = 1, c.dh = c.dw = 2, c.inH = 7, c.inW = 8;
    checkConv(c, "valid dilation 2");
    c.same = true;
    checkConv(c, "same dilation 2");
    c.kh = 2, c.kw = 4, c.sh = 2, c.dh = c.dw = 1;
    checkConv(c, "same 2x4 mixed strides");
}

TEST(SpatialConv, Geometry1D) {
    ConvCase c;
    c.rank = 1, c.inW = 9, c.kw = 3;
    checkConv(c, "1D valid");
    c.same = true, c.sw = 2;
    checkConv(c, "1D same stride 2");
    c.sw = 1, c.dw = 2;
    checkConv(c, "1D same dilation 2");
    c.bias = false;
    checkConv(c, "1D no bias");
}

TEST(SpatialConv, Transposed) {
    ConvCase c;
    c.tStride = 2, c.tPad = 1, c.inH = 4, c.inW = 3;
    checkConv(c, "transposed 2D stride 2 pad 1");
    c.tPad = 0, c.kh = 2, c.kw = 3;
    checkConv(c, "transposed 2D stride 2 pad 0");
    c.accT = fx(14, 8, true, Rounding::RND, Overflow::SAT);
    checkConv(c, "transposed 2D saturating");
    c.rank = 1, c.inW = 5, c.tPad = 1, c.accT = fx(24, 10);
    checkConv(c, "transposed 1D");
}

TEST(SpatialConv, Depthwise) {
    ConvCase c;
    c.mult = 2, c.nChan = 3, c.same = true;
    checkConv(c, "depthwise multiplier 2");
    c.mult = 1, c.sh = c.sw = 2, c.bias = false;
    checkConv(c, "depthwise multiplier 1 stride 2 no bias");
    c.mult = 2, c.accT = fx(12, 5, true, Rounding::RND_CONV, Overflow::SAT_SYM);
    checkConv(c, "depthwise general path");
}

TEST(SpatialConv, AccumulatorModes) {
    ConvCase c;
    c.same = true;
    c.accT = fx(10, 5);  // TRN/WRAP, narrow: products and sums wrap (int32 path)
    checkConv(c, "narrow TRN/WRAP");
    c.accT = fx(10, 5, true, Rounding::TRN, Overflow::SAT);
    checkConv(c, "SAT");
    c.accT = fx(12, 4, true, Rounding::RND, Overflow::WRAP);
    checkConv(c, "RND");
    c.accT = fx(11, 4, false, Rounding::TRN, Overflow::WRAP);
    checkConv(c, "unsigned accumulator");
    c.accT = fx(40, 20);
    checkConv(c, "wide accumulator");
    c.accT = fx(32, 12);  // TRN/WRAP but too wide for exact int32 sums: int64 sums of int32 products
    checkConv(c, "32-bit accumulator");
    c.nFilt = 20, c.accT = fx(12, 5);  // filters in blocks of 16, padded to 32
    checkConv(c, "20 filters, narrow");
    c.accT = fx(16, 6);
    checkConv(c, "20 filters");
}

TEST(SpatialConv, PixelLanes) {
    // Stride-1 plain convolutions with up to 8 filters put output pixels in the vector lanes: every filter group
    // size (8 + 1 for 9 filters), grids wider than one 16-lane block, dilations, asymmetric 'same' padding, 1D,
    // products that wrap (and a masked lane whose product would) or provably cannot, left-shifted products.
    for (int nFilt : {1, 2, 3, 4, 5, 8, 9}) {
        ConvCase c;
        c.nFilt = nFilt, c.same = true, c.inH = 6, c.inW = 13, c.nChan = 3;
        const std::string f = std::to_string(nFilt) + " filters";
        checkConv(c, f + ", same 3x3");
        c.accT = fx(10, 5);
        checkConv(c, f + ", narrow accumulator");
        c.accT = fx(20, 3);  // more fractional bits than the products: shifted left
        checkConv(c, f + ", products shifted left");
        c.accT = fx(24, 10), c.kh = 2, c.kw = 4, c.dh = 2;
        checkConv(c, f + ", 2x4 dilated rows, asymmetric padding");
        c.same = false, c.kh = c.kw = 3, c.dh = 1, c.dw = 2, c.inW = 21;
        checkConv(c, f + ", valid, dilated columns");
        c.rank = 1, c.inW = 40, c.same = true, c.dw = 1, c.kw = 5;
        checkConv(c, f + ", 1D");
    }
    ConvCase c;
    c.nChan = 1, c.nFilt = 2, c.inH = c.inW = 8, c.same = true;
    c.inT = fx(16, 6), c.wT = fx(16, 6), c.accT = fx(16, 6);  // the bench's Conv2D: 8x8x1, 2 filters
    checkConv(c, "ap_fixed<16,6> 8x8x1");
    c.inT = fx(6, 6), c.wT = fx(4, 4), c.accT = fx(12, 12);  // |x*w| <= 256: no product can wrap
    checkConv(c, "integers, products always fit");
    c.accT = fx(8, 8);  // some products wrap, also in lanes outside the output
    checkConv(c, "integers, products wrap");
    // The result conversion in the lanes (TRN/RND, WRAP/SAT, signed or not, right or left shifts) and the types
    // that take the scalar Converter instead (other modes, results or accumulators over 30 bits).
    for (int nFilt : {2, 5}) {
        ConvCase d;
        d.nFilt = nFilt, d.same = true, d.inH = 5, d.inW = 7;
        for (const FixedType& out :
             {fx(8, 4, true, Rounding::RND, Overflow::SAT), fx(6, 2, false, Rounding::TRN, Overflow::WRAP),
              fx(7, 3, false, Rounding::RND, Overflow::SAT), fx(9, 1, true, Rounding::TRN, Overflow::WRAP),
              fx(12, 12, true, Rounding::RND, Overflow::WRAP), fx(30, 4, true, Rounding::RND, Overflow::SAT),
              fx(8, 4, true, Rounding::RND_CONV, Overflow::SAT_SYM), fx(10, 6, true, Rounding::TRN, Overflow::SAT_ZERO),
              fx(31, 8), fx(40, 30, false, Rounding::RND, Overflow::SAT)})
            for (const FixedType& acc : {fx(24, 10), fx(12, 7), fx(30, 14), fx(31, 14)}) {
                d.outT = out, d.accT = acc;
                checkConv(d, std::to_string(nFilt) + " filters, acc " + acc.str() + ", result " + out.str(), 4);
            }
        d.nChan = 1, d.kh = 1, d.kw = 3;  // 3 terms and the bias: int32 sums for accumulators up to 30 bits
        for (const FixedType& acc : {fx(30, 14), fx(29, 2), fx(28, 27)})
            for (const FixedType& out : {fx(30, 14, true, Rounding::RND, Overflow::SAT), fx(8, 4), fx(31, 20)}) {
                d.outT = out, d.accT = acc;
                checkConv(d, std::to_string(nFilt) + " filters, 1x3, acc " + acc.str() + ", result " + out.str(), 4);
            }
    }
}

TEST(SpatialConv, RandomCasesMatchReference) {
    std::mt19937 rng(99);
    for (int trial = 0; trial < 150; ++trial) {
        ConvCase c;
        c.rank = 1 + trial % 2;
        c.inH = 2 + rng() % 5, c.inW = 2 + rng() % 6, c.nChan = 1 + rng() % 3, c.nFilt = 1 + rng() % 4;
        c.kh = 1 + rng() % 3, c.kw = 1 + rng() % 3, c.bias = rng() % 3 != 0;
        c.mult = rng() % 3 == 0 ? 1 + rng() % 2 : 0;
        if (rng() % 4 == 0) {
            c.tStride = 1 + rng() % 2, c.tPad = std::min<int>(rng() % 2, std::min(c.kh, c.kw) - 1);
        } else {
            c.sh = 1 + rng() % 2, c.sw = 1 + rng() % 2, c.dh = 1 + rng() % 2, c.dw = 1 + rng() % 2;
            c.same = rng() % 2;
            if (!c.same) c.inH += (c.kh - 1) * c.dh, c.inW += (c.kw - 1) * c.dw;
        }
        c.inT = randomType(rng, 2, 14, false), c.wT = randomType(rng, 2, 12), c.bT = randomType(rng, 2, 16);
        c.accT = randomType(rng, 4, 26), c.outT = randomType(rng, 2, 18);
        if (trial % 2) c.accT.rounding = Rounding::TRN, c.accT.overflow = Overflow::WRAP, c.accT.isSigned = true;
        ConvSetup s(c, rng);
        s.check(rng, 3, "trial " + std::to_string(trial));
    }
}

TEST(SpatialConv, Int32AndGeneralPathsAgree) {
    // The same values in a 12-bit input type (int32 path) and a 40-bit one with the same fractional bits (too wide
    // for int32 products: general path) must give identical outputs and overflow counts.
    std::mt19937 rng(5);
    for (int mult : {0, 2})
        for (int accW : {9, 14, 24, 32}) {
            ConvCase c;
            c.mult = mult, c.same = true, c.sh = 2, c.inH = 7, c.inW = 6;
            c.inT = fx(12, 4), c.wT = fx(10, 3), c.accT = fx(accW, accW / 2);
            std::mt19937 r1(accW + mult), r2(accW + mult);
            ConvSetup narrow(c, r1);
            c.inT = fx(40, 32);
            ConvSetup wide(c, r2);
            for (int s = 0; s < 10; ++s) {
                const Raw x = randomRaw(rng, fx(12, 4), narrow.node->g.inputSize(0));
                OverflowStats a, b;
                EXPECT_EQ(narrow.node->run({x}, &a), wide.node->run({x}, &b)) << accW;
                EXPECT_EQ(a.overflowed, b.overflowed) << accW;
                EXPECT_EQ(a.conversions, b.conversions);
            }
        }
}

TEST(SpatialConv, FloatModeIsPlainConvolution) {
    std::mt19937 rng(8);
    for (int mult : {0, 2}) {
        ConvCase c;
        c.mult = mult, c.same = true, c.sw = 2, c.dh = 2;
        ConvSetup s(c, rng);
        std::vector<double> x(static_cast<size_t>(s.node->g.inputSize(0)));
        std::normal_distribution<double> nd;
        for (double& v : x) v = nd(rng);
        const std::vector<double> y = s.node->runFloat({x});
        const Window& w = s.a.win;
        for (int oh = 0; oh < w.outH; ++oh)
            for (int ow = 0; ow < w.outW; ++ow)
                for (int k = 0; k < s.c.nFilt; ++k) {
                    double want = s.a.bias[k];
                    for (int i = 0; i < c.kh; ++i)
                        for (int j = 0; j < c.kw; ++j) {
                            int h, v;
                            if (!s.source(oh, i, c.kh, c.sh, c.dh, s.padTop, c.inH, h) ||
                                !s.source(ow, j, c.kw, c.sw, c.dw, s.padLeft, c.inW, v))
                                continue;
                            for (int ch = 0; ch < c.nChan; ++ch) {
                                if (mult && ch != k / mult) continue;
                                const int tap = i * c.kw + j;
                                want += x[static_cast<size_t>((h * c.inW + v) * c.nChan + ch)] *
                                        s.a.kernel[mult ? (tap * c.nChan + ch) * mult + k % mult
                                                        : (tap * c.nChan + ch) * s.c.nFilt + k];
                            }
                        }
                    EXPECT_NEAR(y[static_cast<size_t>((oh * w.outW + ow) * s.c.nFilt + k)], want, 1e-12);
                }
    }
}

// ---------------------------------------------------------------------------------------------------- Pool

struct PoolCase {
    int rank = 2, inH = 5, inW = 7, nChan = 2, kh = 2, kw = 3, sh = 2, sw = 2;
    bool same = false, global = false, countPad = false;
    PoolOp op = PoolOp::Average;
    FixedType inT = fx(10, 4), accT = fx(16, 7), outT = fx(12, 5);
};

// Runs the kernel on random inputs and compares with a loop over TF's window positions.
void checkPool(PoolCase c, std::mt19937& rng, const std::string& what) {
    if (c.rank == 1) c.inH = c.kh = c.sh = 1;
    PoolAttrs a;
    a.op = c.op, a.nChan = c.nChan, a.global = c.global, a.countPad = c.countPad, a.accumT = c.accT;
    Window& w = a.win;
    w.rank = c.rank, w.inH = c.inH, w.inW = c.inW;
    if (c.global) c.kh = c.inH, c.kw = c.inW, c.sh = c.sw = 1, c.same = false;
    w.kh = c.kh, w.kw = c.kw, w.sh = c.sh, w.sw = c.sw;
    if (c.same) {
        tfSame(c.inH, c.kh, c.sh, 1, w.padTop, w.padBottom);
        tfSame(c.inW, c.kw, c.sw, 1, w.padLeft, w.padRight);
    }
    w.computeOutput();
    OneNode n({{w.inShape(c.nChan), c.inT}}, a, c.global ? Shape{c.nChan} : w.outShape(c.nChan), c.outT);
    const FixedType& acc = c.accT;
    for (int s = 0; s < 6; ++s) {
        const Raw x = randomRaw(rng, c.inT, n.g.inputSize(0));
        Raw want;
        int64_t wantOvf = 0;
        QuantizeFlags f;
        for (int oh = 0; oh < w.outH; ++oh)
            for (int ow = 0; ow < w.outW; ++ow)
                for (int ch = 0; ch < c.nChan; ++ch) {
                    std::vector<int64_t> vals;
                    for (int i = 0; i < c.kh; ++i)
                        for (int j = 0; j < c.kw; ++j) {
                            const int h = oh * c.sh + i - w.padTop, v = ow * c.sw + j - w.padLeft;
                            if (h >= 0 && h < c.inH && v >= 0 && v < c.inW)
                                vals.push_back(x[static_cast<size_t>((h * c.inW + v) * c.nChan + ch)]);
                        }
                    int64_t y;
                    if (c.op == PoolOp::Max) {
                        y = quantize(*std::max_element(vals.begin(), vals.end()), c.inT.frac(), acc, &f);
                        wantOvf += f.overflowed;
                    } else {
                        const int sf = std::max(acc.frac(), c.inT.frac());
                        y = 0;
                        bool any = false;
                        i128 exact = 0;
                        for (int64_t v : vals) {
                            y = quantize((static_cast<i128>(y) << (sf - acc.frac())) +
                                             (static_cast<i128>(v) << (sf - c.inT.frac())),
                                         sf, acc, &f);
                            any |= f.overflowed;
                            exact += static_cast<i128>(v) << (sf - c.inT.frac());
                        }
                        if (acc.overflow == Overflow::WRAP)
                            any = exact < (static_cast<i128>(acc.rawMin()) << (sf - acc.frac())) ||
                                  exact > (static_cast<i128>(acc.rawMax()) << (sf - acc.frac()));
                        wantOvf += any;
                        const int64_t count = c.countPad ? c.kh * c.kw : static_cast<int64_t>(vals.size());
                        const int64_t q = y / count;  // truncation toward zero (sdiv)
                        y = quantize(q, acc.frac(), acc);
                    }
                    want.push_back(quantize(y, acc.frac(), c.outT, &f));
                    wantOvf += f.overflowed;
                }
        OverflowStats st;
        ASSERT_EQ(n.run({x}, &st), want) << what << " sample " << s;
        EXPECT_EQ(st.overflowed, wantOvf) << what;
        EXPECT_EQ(st.conversions, 2 * n.outSize());
    }
}

TEST(SpatialPool, HandComputedSamePadding) {
    // 3x3 input 1..9, 2x2 windows with stride 2, 'same': one row and column of padding after.
    for (PoolOp op : {PoolOp::Max, PoolOp::Average})
        for (bool countPad : {false, true}) {
            PoolAttrs a;
            a.op = op, a.nChan = 1, a.countPad = countPad, a.accumT = fx(16, 6);
            a.win.inH = a.win.inW = 3, a.win.kh = a.win.kw = 2, a.win.sh = a.win.sw = 2;
            a.win.padBottom = a.win.padRight = 1;
            a.win.computeOutput();
            OneNode n({{{3, 3, 1}, fx(16, 6)}}, a, {2, 2, 1}, fx(16, 6));
            Raw x;
            for (int v = 1; v <= 9; ++v) x.push_back(v << 10);
            std::vector<double> want = op == PoolOp::Max ? std::vector<double>{5, 6, 8, 9}
                                       : countPad        ? std::vector<double>{3, 2.25, 3.75, 2.25}
                                                         : std::vector<double>{3, 4.5, 7.5, 9};
            EXPECT_EQ(values(n.run({x}), fx(16, 6)), want);
            const std::vector<double> xf = values(x, fx(16, 6));
            if (!countPad) {
                EXPECT_EQ(n.runFloat({xf}), want);  // Keras: padding is excluded
            }
        }
}

TEST(SpatialPool, AverageDivisionTruncatesTowardZero) {
    // ap_fixed<8,4> accumulator (lsb 1/16), windows of 3: raw -1/3 truncates toward zero to 0 (a floor would
    // give -1), raw -5/3 to -1 (floor: -2).
    PoolAttrs a;
    a.op = PoolOp::Average, a.nChan = 1, a.accumT = fx(8, 4);
    a.win.rank = 1, a.win.inW = 6, a.win.kw = 3, a.win.sw = 3;
    a.win.computeOutput();
    OneNode n({{{6, 1}, fx(8, 4)}}, a, {2, 1}, fx(8, 4));
    EXPECT_EQ(n.run({{-1, 0, 0, -3, -2, 0}}), (Raw{0, -1}));
}

TEST(SpatialPool, RandomCasesMatchReference) {
    std::mt19937 rng(21);
    for (int trial = 0; trial < 120; ++trial) {
        PoolCase c;
        c.rank = 1 + trial % 2;
        c.op = trial % 4 < 2 ? PoolOp::Max : PoolOp::Average;
        c.inH = 2 + rng() % 5, c.inW = 2 + rng() % 6, c.nChan = 1 + rng() % 3;
        c.kh = 1 + rng() % std::min(3, c.inH), c.kw = 1 + rng() % std::min(3, c.inW);
        c.sh = 1 + rng() % 3, c.sw = 1 + rng() % 3, c.same = rng() % 2, c.countPad = rng() % 4 == 0;
        c.global = rng() % 8 == 0;
        c.inT = randomType(rng, 2, 14, false), c.accT = randomType(rng, 4, 24), c.outT = randomType(rng, 2, 16);
        checkPool(c, rng, "trial " + std::to_string(trial));
    }
}

TEST(SpatialPool, GlobalAndSaturatingAccumulator) {
    std::mt19937 rng(4);
    PoolCase c;
    c.global = true;
    checkPool(c, rng, "global average");
    c.op = PoolOp::Max;
    checkPool(c, rng, "global max");
    c.op = PoolOp::Average, c.global = false, c.same = true, c.accT = fx(8, 4, true, Rounding::RND, Overflow::SAT);
    checkPool(c, rng, "saturating accumulator");
    c.rank = 1, c.countPad = true;
    checkPool(c, rng, "1D count padding");

    PoolAttrs a;  // global average of 2x2x1 in float mode: the mean
    a.op = PoolOp::Average, a.global = true, a.nChan = 1, a.accumT = fx(16, 6);
    a.win.inH = a.win.inW = a.win.kh = a.win.kw = 2;
    a.win.computeOutput();
    OneNode n({{{2, 2, 1}, fx(16, 6)}}, a, {1}, fx(16, 6));
    EXPECT_EQ(n.runFloat({{1.0, 2.0, 3.0, 6.0}}), std::vector<double>{3.0});
    EXPECT_EQ(values(n.run({{1 << 10, 2 << 10, 3 << 10, 7 << 10}}), fx(16, 6)), std::vector<double>{3.25});
}

// ---------------------------------------------------------------------------------------------------- Layout

// Element (row-major) offsets helper for the layout references.
int64_t at(const Shape& s, const std::vector<int>& idx) {
    int64_t off = 0;
    for (size_t k = 0; k < s.size(); ++k) off = off * s[k] + idx[k];
    return off;
}

TEST(SpatialLayout, PadAndCropConvert) {
    const FixedType inT = fx(12, 6), outT = fx(8, 3, true, Rounding::RND, Overflow::SAT);
    PadAttrs a;
    a.before = {1, -1, 0}, a.after = {2, 0, 0};  // pad 1 row before and 2 after, crop the first column
    const Shape is{2, 3, 2}, os{5, 2, 2};
    OneNode n({{is, inT}}, a, os, outT);
    std::mt19937 rng(2);
    const Raw x = randomRaw(rng, inT, 12);
    OverflowStats st;
    const Raw y = n.run({x}, &st);
    for (int h = 0; h < 5; ++h)
        for (int w = 0; w < 2; ++w)
            for (int c = 0; c < 2; ++c) {
                const int64_t got = y[static_cast<size_t>(at(os, {h, w, c}))];
                if (h < 1 || h >= 3)
                    EXPECT_EQ(got, 0);
                else
                    EXPECT_EQ(got, quantize(x[static_cast<size_t>(at(is, {h - 1, w + 1, c}))], inT.frac(), outT));
            }
    EXPECT_EQ(st.conversions, 8);
    EXPECT_EQ(n.runFloat({{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}}),
              (std::vector<double>{0, 0, 0, 0, 2, 3, 4, 5, 8, 9, 10, 11, 0, 0, 0, 0, 0, 0, 0, 0}));
}

TEST(SpatialLayout, UpsampleNearest) {
    UpsampleAttrs a;
    a.factor = {2, 3};
    OneNode n({{{2, 2, 1}, fx(8, 4)}}, a, {4, 6, 1}, fx(8, 4));
    const Raw y = n.run({{1, 2, 3, 4}});
    EXPECT_EQ(y, (Raw{1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 4}));
    UpsampleAttrs b;
    b.factor = {2};
    OneNode m({{{2, 2}, fx(8, 4)}}, b, {4, 2}, fx(5, 3, true, Rounding::TRN, Overflow::SAT));
    EXPECT_EQ(m.run({{1, 127, -128, 5}}), (Raw{0, 15, 0, 15, -16, 1, -16, 1}));  // frac 4 -> 2, saturated to [-4, 4)
}

TEST(SpatialLayout, TransposePermutation) {
    TransposeAttrs a;
    a.perm = {2, 0, 1};
    const Shape is{2, 3, 4}, os{4, 2, 3};
    OneNode n({{is, fx(16, 8)}}, a, os, fx(16, 8));
    Raw x(24);
    for (int i = 0; i < 24; ++i) x[i] = i;
    const Raw y = n.run({x});
    for (int p = 0; p < 4; ++p)
        for (int q = 0; q < 2; ++q)
            for (int r = 0; r < 3; ++r) EXPECT_EQ(y[static_cast<size_t>(at(os, {p, q, r}))], at(is, {q, r, p}));
}

// ---------------------------------------------------------------------------------------------------- Merge

TEST(MergeKernel, EveryOpWithMixedTypesMatchesExactArithmetic) {
    std::mt19937 rng(13);
    for (MergeOp op :
         {MergeOp::Add, MergeOp::Subtract, MergeOp::Multiply, MergeOp::Average, MergeOp::Maximum, MergeOp::Minimum})
        for (int nIn : {2, 4}) {
            if (op == MergeOp::Subtract && nIn != 2) continue;
            for (int trial = 0; trial < 25; ++trial) {
                // Widths <= 10 and small fractional ranges: every exact result is a double.
                std::vector<std::pair<Shape, FixedType>> ins;
                for (int k = 0; k < nIn; ++k) ins.push_back({{3, 4}, randomType(rng, 2, 10, false)});
                const FixedType outT = randomType(rng, 2, 16);
                MergeAttrs a;
                a.op = op;
                OneNode n(ins, a, {3, 4}, outT);
                std::vector<Raw> x;
                for (auto& [s, t] : ins) x.push_back(randomRaw(rng, t, 12));
                OverflowStats st;
                const Raw y = n.run(x, &st);
                int64_t ovf = 0;
                for (size_t e = 0; e < 12; ++e) {
                    double v = toDouble(x[0][e], ins[0].second);
                    for (int k = 1; k < nIn; ++k) {
                        const double u = toDouble(x[k][e], ins[k].second);
                        v = op == MergeOp::Subtract   ? v - u
                            : op == MergeOp::Multiply ? v * u
                            : op == MergeOp::Maximum  ? std::max(v, u)
                            : op == MergeOp::Minimum  ? std::min(v, u)
                                                      : v + u;
                    }
                    if (op == MergeOp::Average) v /= nIn;
                    QuantizeFlags f;
                    ASSERT_EQ(y[e], fromDouble(v, outT, &f)) << toString(op) << " n " << nIn << " trial " << trial;
                    ovf += f.overflowed;
                }
                EXPECT_EQ(st.overflowed, ovf);
                EXPECT_EQ(st.conversions, 12);
            }
        }
}

TEST(MergeKernel, HandComputedAndFloat) {
    // ap_ufixed<8,4> 3.5 and ap_fixed<8,2> -1.75 into ap_fixed<8,4>.
    const FixedType u = fx(8, 4, false), s = fx(8, 2), o = fx(8, 4);
    const std::vector<std::pair<MergeOp, double>> cases = {{MergeOp::Add, 1.75},        {MergeOp::Subtract, 5.25},
                                                           {MergeOp::Multiply, -6.125}, {MergeOp::Average, 0.875},
                                                           {MergeOp::Maximum, 3.5},     {MergeOp::Minimum, -1.75}};
    for (auto [op, want] : cases) {
        MergeAttrs a;
        a.op = op;
        OneNode n({{{1}, u}, {{1}, s}}, a, {1}, o);
        EXPECT_EQ(toDouble(n.run({{56}, {-112}})[0], o), want) << toString(op);
        EXPECT_EQ(n.runFloat({{3.5}, {-1.75}})[0], want) << toString(op);
    }
    MergeAttrs avg;  // the average of four is exact before the one cast: (1+2+3+5)/4 = 2.75 -> TRN to 2.5 at lsb 1/2
    avg.op = MergeOp::Average;
    OneNode n({{{1}, o}, {{1}, o}, {{1}, o}, {{1}, o}}, avg, {1}, fx(4, 3));
    EXPECT_EQ(toDouble(n.run({{16}, {32}, {48}, {80}})[0], fx(4, 3)), 2.5);
}

TEST(MergeConcat, AnyAxisConvertsEachInput) {
    std::mt19937 rng(17);
    const Shape base{2, 3, 4};
    for (int axis = 0; axis < 3; ++axis) {
        std::vector<std::pair<Shape, FixedType>> ins;
        Shape os = base;
        os[axis] = 0;
        for (int k = 0; k < 3; ++k) {
            Shape s = base;
            s[axis] = 1 + k;
            os[axis] += s[axis];
            ins.push_back({s, k == 1 ? fx(9, 5, false) : randomType(rng, 4, 14, false)});
        }
        const FixedType outT = fx(9, 4, true, Rounding::RND, Overflow::SAT);
        ins[1].second = outT;  // one input already in the output type: a plain copy
        ConcatAttrs a;
        a.axis = axis;
        OneNode n(ins, a, os, outT);
        std::vector<Raw> x;
        for (auto& [s, t] : ins) x.push_back(randomRaw(rng, t, numElements(s)));
        const Raw y = n.run(x);
        for (int i = 0; i < os[0]; ++i)
            for (int j = 0; j < os[1]; ++j)
                for (int l = 0; l < os[2]; ++l) {
                    std::vector<int> idx{i, j, l};
                    int k = 0;
                    while (idx[axis] >= ins[k].first[axis]) idx[axis] -= ins[k++].first[axis];
                    const int64_t src = x[k][static_cast<size_t>(at(ins[k].first, idx))];
                    EXPECT_EQ(y[static_cast<size_t>(at(os, {i, j, l}))], quantize(src, ins[k].second.frac(), outT))
                        << "axis " << axis;
                }
    }
}

TEST(MergeDot, ProductsCastToAccumulator) {
    std::mt19937 rng(29);
    for (int trial = 0; trial < 60; ++trial) {
        const int len = 1 + rng() % 9;
        const FixedType t1 = randomType(rng, 2, 14, false), t2 = randomType(rng, 2, 14, false);
        const FixedType acc = randomType(rng, 4, 24), outT = randomType(rng, 2, 16);
        DotAttrs a;
        a.accumT = acc;
        OneNode n({{{len}, t1}, {{len}, t2}}, a, {1}, outT);
        const Raw x = randomRaw(rng, t1, len), w = randomRaw(rng, t2, len);
        QuantizeFlags f;
        int64_t sum = 0;
        for (int i = 0; i < len; ++i) {
            const int64_t m = quantize(static_cast<i128>(x[i]) * w[i], t1.frac() + t2.frac(), acc);
            sum = quantize(static_cast<i128>(sum) + m, acc.frac(), acc);
        }
        OverflowStats st;
        EXPECT_EQ(n.run({x, w}, &st)[0], quantize(sum, acc.frac(), outT)) << "trial " << trial;
        EXPECT_EQ(st.conversions, len + 2);
    }
    DotAttrs a;  // 1.5*2 + (-0.5)*3 = 1.5
    a.accumT = fx(16, 6);
    OneNode n({{{2}, fx(8, 4)}, {{2}, fx(8, 4)}}, a, {1}, fx(8, 4));
    EXPECT_EQ(toDouble(n.run({{24, -8}, {32, 48}})[0], fx(8, 4)), 1.5);
    EXPECT_EQ(n.runFloat({{1.5, -0.5}, {2.0, 3.0}})[0], 1.5);
}

}  // namespace
}  // namespace nnfpga

namespace nnfpga {
namespace {

// A plain convolution of binary weights after a Binary activation (its ±1 outputs): XNOR products (convXnor), which
// the emulator sums by popcount. Against the same convolution reading the ±1 values from an input layer (ordinary
// products), over padding, channel counts across a 64-bit word, and accumulators that wrap or saturate.
Graph binaryConvGraph(const ConvAttrs& c, const Shape& inShape, const FixedType& outT, bool afterActivation) {
    Graph g;
    int x = g.addTensor("x", inShape, afterActivation ? FixedType::fixed(8, 3) : FixedType::integerType(2));
    g.addNode(node("x", InputAttrs{}, {}, x));
    int in = x;
    if (afterActivation) {
        ActivationAttrs b;
        b.kind = ActKind::Binary;
        in = g.addTensor("sign", inShape, FixedType::integerType(2));
        g.addNode(node("sign", b, {x}, in));
    }
    const int y = g.addTensor("conv", c.win.outShape(c.nFilt), outT);
    g.addNode(node("conv", c, {in}, y));
    g.inputs = {x};
    g.outputs = {y};
    verifyGraph(g);
    return g;
}

TEST(SpatialConv, XnorPopcountEqualsProducts) {
    std::mt19937 rng(11);
    struct Case {
        int nChan, nFilt, k;
        bool same, bias;
        FixedType acc;
    };
    for (const Case& cs : {Case{3, 4, 3, true, true, FixedType::fixed(12, 12)},
                           Case{70, 5, 2, false, false, FixedType::fixed(8, 8)},  // wraps; 2 words per pixel
                           Case{64, 3, 3, true, true, FixedType::fixed(16, 16, true, Rounding::TRN, Overflow::SAT)},
                           Case{9, 2, 1, false, true, FixedType::fixed(4, 4)}}) {
        ConvAttrs c;
        c.win.inH = 5, c.win.inW = 6, c.win.kh = cs.k, c.win.kw = cs.k;
        if (cs.same) c.win.padTop = c.win.padBottom = c.win.padLeft = c.win.padRight = (cs.k - 1) / 2;
        c.win.computeOutput();
        c.nChan = cs.nChan;
        c.nFilt = cs.nFilt;
        c.weightT = FixedType::integerType(2);
        c.biasT = FixedType::fixed(8, 8);
        c.accumT = cs.acc;
        for (int64_t i = 0; i < c.kernelSize(); ++i) c.kernel.push_back(rng() % 2 ? 1.0 : -1.0);
        for (int f = 0; f < c.nFilt && cs.bias; ++f) c.bias.push_back(static_cast<double>(int(rng() % 21) - 10));
        const Shape inShape = c.win.inShape(c.nChan);
        const FixedType outT = FixedType::fixed(10, 10, true, Rounding::TRN, Overflow::SAT);
        Graph xnor = binaryConvGraph(c, inShape, outT, true);
        Graph plain = binaryConvGraph(c, inShape, outT, false);
        ASSERT_TRUE(convXnor(xnor, xnor.nodes.back()));
        ASSERT_FALSE(convXnor(plain, plain.nodes.back()));
        const int n = 6;
        std::vector<double> x(static_cast<size_t>(n * numElements(inShape)));
        for (double& v : x) v = (rng() % 2 ? 1.0 : -1.0) * 0.25 * (1 + rng() % 8);
        std::vector<double> signs(x.size());
        for (size_t i = 0; i < x.size(); ++i) signs[i] = x[i] >= 0 ? 1.0 : -1.0;
        EmulatorOptions opt;
        opt.threads = 1;
        const EmulationResult a = Emulator(xnor).run({x}, n, opt);
        const EmulationResult b = Emulator(plain).run({signs}, n, opt);
        EXPECT_EQ(a.outputs[0], b.outputs[0]) << cs.nChan << " channels";
        EXPECT_EQ(a.overflow.back().stats.overflowed, b.overflow.back().stats.overflowed) << cs.nChan << " channels";
        EXPECT_EQ(a.overflow.back().stats.conversions, b.overflow.back().stats.conversions);
    }
}

}  // namespace
}  // namespace nnfpga
