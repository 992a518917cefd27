// Bit-exact test of the spatial and merge parts of the HLS layer library against the emulator kernels, on
// one-node graphs built as a frontend would: convolutions (plain, depthwise, strided, dilated, padded, inserted
// zeros, 1D and 2D) under Latency and Resource at several reuse factors, pooling (max, average with and without
// counting padding, global), padding/cropping, upsampling, transpose, the io_stream repacking, merges (every op,
// mixed types, chains of more than two inputs), concatenation on every axis and dot. The io_parallel functions
// and the io_stream ones (pixels in raster order through hls::stream, line buffers kept across samples) both.
#include <type_traits>

#include "harness.h"
#include "nnfpga/fixed/quantize.h"
#include "nnfpga/support/diagnostics.h"
#include "nnfpga_activation.h"
#include "nnfpga_conv.h"
#include "nnfpga_layout.h"
#include "nnfpga_merge.h"
#include "nnfpga_pool.h"
#include "nnfpga_quantize.h"

using namespace hlstest;
using nnfpga::Shape;

namespace {

const int kLayerRounds = 40;

// Model inputs -> one node, verified like any graph; the emulator's kernel for it.
struct Net {
    nnfpga::Graph g;
    std::unique_ptr<nnfpga::Kernel> kernel;

    Net(nnfpga::OpAttrs attrs, const std::vector<Shape>& inShapes, const std::vector<FixedType>& inTypes,
        const Shape& outShape, const FixedType& outT) {
        std::vector<int> ins;
        for (size_t k = 0; k < inShapes.size(); ++k) {
            const int x = g.addTensor("x" + std::to_string(k), inShapes[k], inTypes[k]);
            nnfpga::Node a;
            a.name = "x" + std::to_string(k);
            a.kind = "InputLayer";
            a.attrs = nnfpga::InputAttrs{};
            a.outputs = {x};
            g.addNode(a);
            ins.push_back(x);
        }
        const int y = g.addTensor("y", outShape, outT);
        nnfpga::Node b;
        b.name = "layer";
        b.kind = "Layer";
        b.attrs = std::move(attrs);
        b.inputs = ins;
        b.outputs = {y};
        g.addNode(b);
        g.inputs = ins;
        g.outputs = {y};
        nnfpga::verifyGraph(g);
        const nnfpga::Node& n = g.nodes.back();
        if (n.as<nnfpga::MergeAttrs>() || n.as<nnfpga::ConcatAttrs>() || n.as<nnfpga::DotAttrs>())
            kernel = nnfpga::makeMergeKernel(g, n);
        else if (n.as<nnfpga::ReshapeAttrs>())
            kernel = nnfpga::makeCoreKernel(g, n);
        else if (n.as<nnfpga::QuantizeAttrs>())
            kernel = nnfpga::makeQuantizeKernel(g, n);
        else if (n.as<nnfpga::ActivationAttrs>())
            kernel = nnfpga::makeActivationKernel(g, n);
        else
            kernel = nnfpga::makeSpatialKernel(g, n);
    }
    std::vector<int64_t> run(const std::vector<std::vector<int64_t>>& xs) const {
        std::vector<int64_t> y(static_cast<size_t>(g.outputSize(0)));
        std::vector<const int64_t*> ins;
        for (const auto& x : xs) ins.push_back(x.data());
        nnfpga::OverflowStats st;
        kernel->run(ins.data(), y.data(), st);
        return y;
    }
};

std::vector<int64_t> randomVector(const FixedType& t, size_t n, Rng& rng) {
    std::vector<int64_t> x(n);
    for (auto& v : x) v = randomRaw(t, rng);
    return x;
}

// ---- streams --------------------------------------------------------------------------------------------

template <class T, unsigned C>
void push(hls::stream<nnfpga_hls::array<T, C> >& s, const std::vector<int64_t>& raw) {
    for (size_t p = 0; p < raw.size() / C; ++p) {
        nnfpga_hls::array<T, C> a;
        for (unsigned c = 0; c < C; ++c) a[c] = fromRaw<T>(raw[p * C + c]);
        s.write(a);
    }
}

// Reads n values; a stream left with data, or too short, is a mismatch.
template <class T, unsigned C>
std::vector<int64_t> pop(hls::stream<nnfpga_hls::array<T, C> >& s, size_t n, const std::string& what) {
    std::vector<int64_t> r;
    while (r.size() < n && !s.empty()) {
        const nnfpga_hls::array<T, C> a = s.read();
        for (unsigned c = 0; c < C; ++c) r.push_back(toRaw(a[c]));
    }
    if (r.size() != n || !s.empty()) {
        ++totals.mismatches;
        std::printf("MISMATCH %s: the stream holds %zu values, expected %zu\n", what.c_str(), r.size() + (s.empty() ? 0 : 1), n);
        r.resize(n, 0);
        while (!s.empty()) s.read();
    }
    return r;
}

template <class in_T, unsigned CI>
void drain(hls::stream<nnfpga_hls::array<in_T, CI> >& s, const std::string& what) {
    if (s.empty()) return;
    ++totals.mismatches;
    std::printf("MISMATCH %s: input values left unread\n", what.c_str());
    while (!s.empty()) s.read();
}

// ---- window geometry ------------------------------------------------------------------------------------

template <unsigned IH, unsigned IW, unsigned C, unsigned F, unsigned KH, unsigned KW, unsigned SH = 1, unsigned SW = 1,
          unsigned DH = 1, unsigned DW = 1, unsigned PT = 0, unsigned PB = 0, unsigned PL = 0, unsigned PR = 0,
          unsigned DIH = 1, unsigned DIW = 1, unsigned DM = 0, int RANK = 2>
struct Geom {
    static const unsigned in_h = IH, in_w = IW, n_chan = C, n_filt = F, kh = KH, kw = KW, sh = SH, sw = SW;
    static const unsigned dh = DH, dw = DW, pad_top = PT, pad_bottom = PB, pad_left = PL, pad_right = PR;
    static const unsigned dil_h = DIH, dil_w = DIW, depth_multiplier = DM;
    static const unsigned out_h = ((IH - 1) * DIH + 1 + PT + PB - ((KH - 1) * DH + 1)) / SH + 1;
    static const unsigned out_w = ((IW - 1) * DIW + 1 + PL + PR - ((KW - 1) * DW + 1)) / SW + 1;
    static nnfpga::Window window() {
        nnfpga::Window w;
        w.rank = RANK;
        w.inH = IH, w.inW = IW, w.kh = KH, w.kw = KW, w.sh = SH, w.sw = SW, w.dh = DH, w.dw = DW;
        w.padTop = PT, w.padBottom = PB, w.padLeft = PL, w.padRight = PR, w.inDilH = DIH, w.inDilW = DIW;
        w.computeOutput();
        if (w.outH != int(out_h) || w.outW != int(out_w)) {
            std::printf("TEST BUG: window output %dx%d, geometry says %ux%u\n", w.outH, w.outW, out_h, out_w);
            ++totals.mismatches;
        }
        return w;
    }
};

// ---- convolution ----------------------------------------------------------------------------------------

template <class G, class W_T, class B_T, class A_T, unsigned STRATEGY, unsigned RF, bool SIGN = false>
struct ConvCfg : G {
    static const unsigned n_weights = G::kh * G::kw * G::n_chan * (G::depth_multiplier ? G::depth_multiplier : G::n_filt);
    static const unsigned reuse_factor = RF, strategy = STRATEGY, nonzero = 1;
    static const bool ternary = true;
    typedef A_T accum_t;
    typedef W_T weight_t;
    typedef B_T bias_t;
    // Weights in {-1, 0, +1}: the multiplier-free product, as the emitter chooses for binary and ternary kernels.
    typedef typename std::conditional<SIGN, nnfpga_hls::sign_product<ConvCfg>, nnfpga_hls::mult_product<ConvCfg> >::type
        product;
};

template <class CFG, class data_T, class res_T>
void convRun(const std::string& what, const std::vector<int64_t>& x, const std::vector<int64_t>& want,
             const std::vector<typename CFG::weight_t>& w, const std::vector<typename CFG::bias_t>& b, bool stream) {
    const size_t nOut = CFG::out_h * CFG::out_w * CFG::n_filt;
    if (!stream) {
        const std::vector<data_T> d = hlsArray<data_T>(x);
        std::vector<res_T> y(nOut);
        nnfpga_hls::conv<data_T, res_T, CFG>(d.data(), y.data(), w.data(), b.data());
        compare(what, x, want, rawArray(y.data(), nOut));
        return;
    }
    hls::stream<nnfpga_hls::array<data_T, CFG::n_chan> > in;
    hls::stream<nnfpga_hls::array<res_T, CFG::n_filt> > out;
    push<data_T, CFG::n_chan>(in, x);
    nnfpga_hls::conv_stream<data_T, res_T, CFG>(in, out, w.data(), b.data());
    drain(in, what);
    compare(what, x, want, pop<res_T, CFG::n_filt>(out, nOut, what));
}

template <class G, class data_T, class res_T, class W_T, class B_T, class A_T, bool SIGN = false>
void convCases(const char* label, Rng& rng, double zeros = 0.2, bool bias = true) {
    nnfpga::ConvAttrs a;
    a.win = G::window();
    a.nChan = G::n_chan;
    a.nFilt = G::n_filt;
    a.depthMultiplier = G::depth_multiplier;
    a.weightT = typeOf<W_T>();
    a.biasT = typeOf<B_T>();
    a.accumT = typeOf<A_T>();
    std::uniform_real_distribution<double> u(-2.0, 2.0), z(0.0, 1.0);
    for (int64_t k = 0; k < a.kernelSize(); ++k)
        a.kernel.push_back(z(rng) < zeros ? 0.0 : SIGN ? (z(rng) < 0.5 ? -1.0 : 1.0) : u(rng));
    if (bias)
        for (unsigned f = 0; f < G::n_filt; ++f) a.bias.push_back(u(rng));
    const FixedType inT = typeOf<data_T>();
    Net net(a, {a.win.inShape(G::n_chan)}, {inT}, a.win.outShape(G::n_filt), typeOf<res_T>());
    std::vector<W_T> w;
    for (double v : a.kernel) w.push_back(fromRaw<W_T>(nnfpga::fromWeightText(v, a.weightT)));
    std::vector<B_T> b(G::n_filt, B_T(0));
    for (size_t f = 0; f < a.bias.size(); ++f) b[f] = fromRaw<B_T>(nnfpga::fromWeightText(a.bias[f], a.biasT));
    typedef nnfpga_hls::conv_shape<ConvCfg<G, W_T, B_T, A_T, 0, 1, SIGN> > S;
    typedef ConvCfg<G, W_T, B_T, A_T, 0, 1, SIGN> Lat;
    typedef ConvCfg<G, W_T, B_T, A_T, 1, 1, SIGN> Res1;
    typedef ConvCfg<G, W_T, B_T, A_T, 1, S::n_rows, SIGN> ResRows;
    typedef ConvCfg<G, W_T, B_T, A_T, 1, S::n_products, SIGN> ResAll;
    ++totals.cases;
    const std::string l = std::string(label) + " conv";
    for (int r = 0; r < kLayerRounds; ++r) {
        const std::vector<int64_t> x = randomVector(inT, G::in_h * G::in_w * G::n_chan, rng);
        const std::vector<int64_t> want = net.run({x});
        convRun<Lat, data_T, res_T>(l + " latency", x, want, w, b, false);
        convRun<Res1, data_T, res_T>(l + " resource rf1", x, want, w, b, false);
        convRun<ResRows, data_T, res_T>(l + " resource rf n_rows", x, want, w, b, false);
        convRun<ResAll, data_T, res_T>(l + " resource rf all", x, want, w, b, false);
        convRun<Lat, data_T, res_T>(l + " stream latency", x, want, w, b, true);
        convRun<ResRows, data_T, res_T>(l + " stream resource", x, want, w, b, true);
    }
}

// ---- pooling --------------------------------------------------------------------------------------------

template <class G, class A_T, unsigned OP, unsigned COUNT_PAD>
struct PoolCfg : G {
    static const unsigned op = OP, count_pad = COUNT_PAD;
    typedef A_T accum_t;
};

template <class CFG, class data_T, class res_T>
void poolRun(const std::string& what, const std::vector<int64_t>& x, const std::vector<int64_t>& want, bool global,
             bool stream) {
    const size_t nOut = global ? CFG::n_chan : CFG::out_h * CFG::out_w * CFG::n_chan;
    if (!stream) {
        const std::vector<data_T> d = hlsArray<data_T>(x);
        std::vector<res_T> y(nOut);
        if (global) nnfpga_hls::global_pool<data_T, res_T, CFG>(d.data(), y.data());
        else nnfpga_hls::pool<data_T, res_T, CFG>(d.data(), y.data());
        compare(what, x, want, rawArray(y.data(), nOut));
        return;
    }
    hls::stream<nnfpga_hls::array<data_T, CFG::n_chan> > in;
    hls::stream<nnfpga_hls::array<res_T, CFG::n_chan> > out;
    push<data_T, CFG::n_chan>(in, x);
    if (global) nnfpga_hls::global_pool_stream<data_T, res_T, CFG>(in, out);
    else nnfpga_hls::pool_stream<data_T, res_T, CFG>(in, out);
    drain(in, what);
    compare(what, x, want, pop<res_T, CFG::n_chan>(out, nOut, what));
}

template <class G, class data_T, class res_T, class A_T, unsigned OP, unsigned COUNT_PAD>
void poolCase(const char* label, Rng& rng, bool global) {
    nnfpga::PoolAttrs a;
    a.op = OP == 0 ? nnfpga::PoolOp::Max : nnfpga::PoolOp::Average;
    a.win = G::window();
    a.nChan = G::n_chan;
    a.global = global;
    a.countPad = COUNT_PAD;
    a.accumT = typeOf<A_T>();
    const FixedType inT = typeOf<data_T>();
    Net net(a, {a.win.inShape(G::n_chan)}, {inT}, global ? Shape{int(G::n_chan)} : a.win.outShape(G::n_chan),
            typeOf<res_T>());
    typedef PoolCfg<G, A_T, OP, COUNT_PAD> C;
    ++totals.cases;
    const std::string l = std::string(label) + (OP == 0 ? " maxpool" : COUNT_PAD ? " avgpool countpad" : " avgpool");
    for (int r = 0; r < kLayerRounds; ++r) {
        const std::vector<int64_t> x = randomVector(inT, G::in_h * G::in_w * G::n_chan, rng);
        const std::vector<int64_t> want = net.run({x});
        poolRun<C, data_T, res_T>(l, x, want, global, false);
        poolRun<C, data_T, res_T>(l + " stream", x, want, global, true);
    }
}

template <class G, class data_T, class res_T, class A_T>
void poolCases(const char* label, Rng& rng, bool global = false) {
    poolCase<G, data_T, res_T, A_T, 0, 0>(label, rng, global);
    poolCase<G, data_T, res_T, A_T, 1, 0>(label, rng, global);
    if (!global) poolCase<G, data_T, res_T, A_T, 1, 1>(label, rng, global);
}

// ---- layout ---------------------------------------------------------------------------------------------

// Runs a layout op on the io_parallel and io_stream functions, given as lambdas on raw vectors.
template <class data_T, class res_T, unsigned CI, unsigned CO, class Par, class Str>
void layoutRounds(const std::string& what, const Net& net, size_t nIn, size_t nOut, Rng& rng, Par par, Str str) {
    ++totals.cases;
    const FixedType inT = typeOf<data_T>();
    for (int r = 0; r < kLayerRounds; ++r) {
        const std::vector<int64_t> x = randomVector(inT, nIn, rng);
        const std::vector<int64_t> want = net.run({x});
        const std::vector<data_T> d = hlsArray<data_T>(x);
        std::vector<res_T> y(nOut);
        par(d.data(), y.data());
        compare(what, x, want, rawArray(y.data(), nOut));
        hls::stream<nnfpga_hls::array<data_T, CI> > in;
        hls::stream<nnfpga_hls::array<res_T, CO> > out;
        push<data_T, CI>(in, x);
        str(in, out);
        drain(in, what + " stream");
        compare(what + " stream", x, want, pop<res_T, CO>(out, nOut, what + " stream"));
    }
}

template <unsigned IH, unsigned IW, unsigned C, int PT, int PB, int PL, int PR>
struct PadCfg {
    static const unsigned in_h = IH, in_w = IW, n_chan = C, out_h = IH + PT + PB, out_w = IW + PL + PR;
    static const int pad_top = PT, pad_left = PL;
};

template <class data_T, class res_T, unsigned IH, unsigned IW, unsigned C, int PT, int PB, int PL, int PR, bool RANK3>
void padCase(const char* label, Rng& rng) {
    typedef PadCfg<IH, IW, C, PT, PB, PL, PR> P;
    nnfpga::PadAttrs a;
    Shape is, os;
    if (RANK3) {
        a.before = {PT, PL, 0}, a.after = {PB, PR, 0};
        is = {int(IH), int(IW), int(C)}, os = {int(P::out_h), int(P::out_w), int(C)};
    } else {
        a.before = {PL, 0}, a.after = {PR, 0};
        is = {int(IW), int(C)}, os = {int(P::out_w), int(C)};
    }
    Net net(a, {is}, {typeOf<data_T>()}, os, typeOf<res_T>());
    layoutRounds<data_T, res_T, C, C>(
        std::string(label) + " pad", net, IH * IW * C, P::out_h * P::out_w * C, rng,
        [](const data_T* d, res_T* y) { nnfpga_hls::pad<data_T, res_T, P>(d, y); },
        [](hls::stream<nnfpga_hls::array<data_T, C> >& i, hls::stream<nnfpga_hls::array<res_T, C> >& o) {
            nnfpga_hls::pad_stream<data_T, res_T, P>(i, o);
        });
}

template <unsigned IH, unsigned IW, unsigned C, unsigned FH, unsigned FW>
struct UpCfg {
    static const unsigned in_h = IH, in_w = IW, n_chan = C, fh = FH, fw = FW;
};

template <class data_T, class res_T, unsigned IH, unsigned IW, unsigned C, unsigned FH, unsigned FW, bool RANK3>
void upsampleCase(const char* label, Rng& rng) {
    typedef UpCfg<IH, IW, C, FH, FW> U;
    nnfpga::UpsampleAttrs a;
    Shape is, os;
    if (RANK3) {
        a.factor = {int(FH), int(FW)};
        is = {int(IH), int(IW), int(C)}, os = {int(IH * FH), int(IW * FW), int(C)};
    } else {
        a.factor = {int(FW)};
        is = {int(IW), int(C)}, os = {int(IW * FW), int(C)};
    }
    Net net(a, {is}, {typeOf<data_T>()}, os, typeOf<res_T>());
    layoutRounds<data_T, res_T, C, C>(
        std::string(label) + " upsample", net, IH * IW * C, IH * FH * IW * FW * C, rng,
        [](const data_T* d, res_T* y) { nnfpga_hls::upsample<data_T, res_T, U>(d, y); },
        [](hls::stream<nnfpga_hls::array<data_T, C> >& i, hls::stream<nnfpga_hls::array<res_T, C> >& o) {
            nnfpga_hls::upsample_stream<data_T, res_T, U>(i, o);
        });
}

// Transpose of a tensor with dims D0..D3 (leading ones for lower ranks) by the permutation P0..P3 of those
// four axes (the leading ones stay in place).
template <unsigned D, unsigned D0, unsigned D1, unsigned D2, unsigned D3>
struct Pick {  // dimension D of (D0, D1, D2, D3), and the C-order stride of that axis
    static const unsigned dim = D == 0 ? D0 : D == 1 ? D1 : D == 2 ? D2 : D3;
    static const unsigned stride = D == 3 ? 1 : D == 2 ? D3 : D == 1 ? D2 * D3 : D1 * D2 * D3;
};

template <unsigned RANK, unsigned D0, unsigned D1, unsigned D2, unsigned D3, unsigned P0, unsigned P1, unsigned P2,
          unsigned P3>
struct TransCfg {
    static const unsigned n_elem = D0 * D1 * D2 * D3;
    static const unsigned d0 = Pick<P0, D0, D1, D2, D3>::dim, d1 = Pick<P1, D0, D1, D2, D3>::dim;
    static const unsigned d2 = Pick<P2, D0, D1, D2, D3>::dim, d3 = Pick<P3, D0, D1, D2, D3>::dim;
    static const unsigned s0 = Pick<P0, D0, D1, D2, D3>::stride, s1 = Pick<P1, D0, D1, D2, D3>::stride;
    static const unsigned s2 = Pick<P2, D0, D1, D2, D3>::stride, s3 = Pick<P3, D0, D1, D2, D3>::stride;
    static const unsigned in_pixel = RANK >= 2 ? D3 : n_elem;
    static const unsigned out_pixel = RANK >= 2 ? d3 : n_elem;
};

template <class data_T, class res_T, unsigned RANK, unsigned D0, unsigned D1, unsigned D2, unsigned D3, unsigned P0,
          unsigned P1, unsigned P2, unsigned P3>
void transposeCase(const char* label, Rng& rng) {
    static const unsigned din[4] = {D0, D1, D2, D3}, perm[4] = {P0, P1, P2, P3};
    typedef TransCfg<RANK, D0, D1, D2, D3, P0, P1, P2, P3> C;
    nnfpga::TransposeAttrs a;
    Shape is, os;
    for (unsigned k = 4 - RANK; k < 4; ++k) {
        is.push_back(int(din[k]));
        os.push_back(int(din[perm[k]]));
        a.perm.push_back(int(perm[k]) - int(4 - RANK));
    }
    Net net(a, {is}, {typeOf<data_T>()}, os, typeOf<res_T>());
    layoutRounds<data_T, res_T, C::in_pixel, C::out_pixel>(
        std::string(label) + " transpose", net, C::n_elem, C::n_elem, rng,
        [](const data_T* d, res_T* y) { nnfpga_hls::transpose<data_T, res_T, C>(d, y); },
        [](hls::stream<nnfpga_hls::array<data_T, C::in_pixel> >& i,
           hls::stream<nnfpga_hls::array<res_T, C::out_pixel> >& o) { nnfpga_hls::transpose_stream<data_T, res_T, C>(i, o); });
}

template <unsigned N, unsigned CI, unsigned CO>
struct RepackCfg {
    static const unsigned n_elem = N, in_pixel = CI, out_pixel = CO;
};

template <class data_T, class res_T, unsigned N, unsigned CI, unsigned CO>
void repackCase(const char* label, const Shape& is, const Shape& os, Rng& rng) {
    typedef RepackCfg<N, CI, CO> C;
    Net net(nnfpga::ReshapeAttrs{os}, {is}, {typeOf<data_T>()}, os, typeOf<res_T>());
    layoutRounds<data_T, res_T, CI, CO>(
        std::string(label) + " repack " + nnfpga::shapeStr(is) + " to " + nnfpga::shapeStr(os), net, N, N, rng,
        [](const data_T* d, res_T* y) {
            for (unsigned i = 0; i < N; ++i) y[i] = (res_T)d[i];
        },
        [](hls::stream<nnfpga_hls::array<data_T, CI> >& i, hls::stream<nnfpga_hls::array<res_T, CO> >& o) {
            nnfpga_hls::repack_stream<data_T, res_T, C>(i, o);
        });
}

// ---- merges ---------------------------------------------------------------------------------------------

template <unsigned N, unsigned OP, unsigned SHIFT>
struct MergeCfg {
    static const unsigned n_elem = N, op = OP, avg_shift = SHIFT;
};

// Two inputs of types a_T and b_T, every op.
template <class a_T, class b_T, class res_T>
void mergeCases(const char* label, Rng& rng) {
    const unsigned n = 12;
    const nnfpga::MergeOp ops[] = {nnfpga::MergeOp::Add, nnfpga::MergeOp::Subtract, nnfpga::MergeOp::Multiply,
                                   nnfpga::MergeOp::Average, nnfpga::MergeOp::Maximum, nnfpga::MergeOp::Minimum};
    for (unsigned op = 0; op < 6; ++op) {
        Net net(nnfpga::MergeAttrs{ops[op]}, {{int(n)}, {int(n)}}, {typeOf<a_T>(), typeOf<b_T>()}, {int(n)},
                typeOf<res_T>());
        ++totals.cases;
        const std::string what = std::string(label) + " merge " + nnfpga::toString(ops[op]);
        for (int r = 0; r < kLayerRounds * 4; ++r) {
            const std::vector<int64_t> x = randomVector(typeOf<a_T>(), n, rng), y = randomVector(typeOf<b_T>(), n, rng);
            const std::vector<int64_t> want = net.run({x, y});
            const std::vector<a_T> a = hlsArray<a_T>(x);
            const std::vector<b_T> b = hlsArray<b_T>(y);
            std::vector<res_T> z(n);
            switch (op) {
                case 0: nnfpga_hls::merge<a_T, b_T, res_T, MergeCfg<n, nnfpga_hls::merge_add, 0> >(a.data(), b.data(), z.data()); break;
                case 1: nnfpga_hls::merge<a_T, b_T, res_T, MergeCfg<n, nnfpga_hls::merge_subtract, 0> >(a.data(), b.data(), z.data()); break;
                case 2: nnfpga_hls::merge<a_T, b_T, res_T, MergeCfg<n, nnfpga_hls::merge_multiply, 0> >(a.data(), b.data(), z.data()); break;
                case 3: nnfpga_hls::merge<a_T, b_T, res_T, MergeCfg<n, nnfpga_hls::merge_average, 1> >(a.data(), b.data(), z.data()); break;
                case 4: nnfpga_hls::merge<a_T, b_T, res_T, MergeCfg<n, nnfpga_hls::merge_maximum, 0> >(a.data(), b.data(), z.data()); break;
                default: nnfpga_hls::merge<a_T, b_T, res_T, MergeCfg<n, nnfpga_hls::merge_minimum, 0> >(a.data(), b.data(), z.data()); break;
            }
            compare(what, x, want, rawArray(z.data(), n));
        }
    }
}

// Four inputs: the chain a (op) b -> exact, (op) c -> exact, (op) d -> result, as the emitter builds it.
template <class T, class exact_T, class res_T>
void mergeChainCases(const char* label, Rng& rng) {
    const unsigned n = 10;
    const nnfpga::MergeOp ops[] = {nnfpga::MergeOp::Add, nnfpga::MergeOp::Multiply, nnfpga::MergeOp::Average,
                                   nnfpga::MergeOp::Maximum, nnfpga::MergeOp::Minimum};
    const unsigned codes[] = {nnfpga_hls::merge_add, nnfpga_hls::merge_multiply, nnfpga_hls::merge_average,
                              nnfpga_hls::merge_maximum, nnfpga_hls::merge_minimum};
    for (unsigned op = 0; op < 5; ++op) {
        const FixedType t = typeOf<T>();
        Net net(nnfpga::MergeAttrs{ops[op]}, {{int(n)}, {int(n)}, {int(n)}, {int(n)}}, {t, t, t, t}, {int(n)},
                typeOf<res_T>());
        ++totals.cases;
        const std::string what = std::string(label) + " merge4 " + nnfpga::toString(ops[op]);
        for (int r = 0; r < kLayerRounds * 4; ++r) {
            std::vector<std::vector<int64_t>> xs;
            std::vector<std::vector<T>> v;
            for (int k = 0; k < 4; ++k) {
                xs.push_back(randomVector(t, n, rng));
                v.push_back(hlsArray<T>(xs.back()));
            }
            const std::vector<int64_t> want = net.run(xs);
            std::vector<exact_T> e1(n), e2(n);
            std::vector<res_T> z(n);
#define NNFPGA_CHAIN(CODE, LAST)                                                                              \
    nnfpga_hls::merge<T, T, exact_T, MergeCfg<n, CODE, 0> >(v[0].data(), v[1].data(), e1.data());            \
    nnfpga_hls::merge<exact_T, T, exact_T, MergeCfg<n, CODE, 0> >(e1.data(), v[2].data(), e2.data());        \
    nnfpga_hls::merge<exact_T, T, res_T, MergeCfg<n, LAST, (LAST == nnfpga_hls::merge_average ? 2 : 0)> >( \
        e2.data(), v[3].data(), z.data());
            switch (codes[op]) {
                case nnfpga_hls::merge_add: NNFPGA_CHAIN(nnfpga_hls::merge_add, nnfpga_hls::merge_add) break;
                case nnfpga_hls::merge_multiply: NNFPGA_CHAIN(nnfpga_hls::merge_multiply, nnfpga_hls::merge_multiply) break;
                case nnfpga_hls::merge_average: NNFPGA_CHAIN(nnfpga_hls::merge_add, nnfpga_hls::merge_average) break;
                case nnfpga_hls::merge_maximum: NNFPGA_CHAIN(nnfpga_hls::merge_maximum, nnfpga_hls::merge_maximum) break;
                default: NNFPGA_CHAIN(nnfpga_hls::merge_minimum, nnfpga_hls::merge_minimum) break;
            }
#undef NNFPGA_CHAIN
            compare(what, xs[0], want, rawArray(z.data(), n));
        }
    }
}

template <unsigned OUTER, unsigned IN_LEN, unsigned OUT_LEN, unsigned OFFSET>
struct ConcatCfg {
    static const unsigned outer = OUTER, in_len = IN_LEN, out_len = OUT_LEN, offset = OFFSET;
};

// Concatenation of [H, W, C1] (type a_T) and [H, W, C2] (type b_T) along every axis, both ways.
template <class a_T, class b_T, class res_T, unsigned H, unsigned W, unsigned C>
void concatCases(const char* label, Rng& rng) {
    const Shape sa = {int(H), int(W), int(C)}, sb = {int(H), int(W), int(C + 1)};
    // Axis 2 (last): per pixel in io_stream, blocks of C and C + 1.
    {
        Net net(nnfpga::ConcatAttrs{2}, {sa, sb}, {typeOf<a_T>(), typeOf<b_T>()}, {int(H), int(W), int(2 * C + 1)},
                typeOf<res_T>());
        ++totals.cases;
        for (int r = 0; r < kLayerRounds; ++r) {
            const auto x = randomVector(typeOf<a_T>(), H * W * C, rng), y = randomVector(typeOf<b_T>(), H * W * (C + 1), rng);
            const auto want = net.run({x, y});
            const auto a = hlsArray<a_T>(x);
            const auto b = hlsArray<b_T>(y);
            std::vector<res_T> z(want.size());
            nnfpga_hls::concat_part<a_T, res_T, ConcatCfg<H * W, C, 2 * C + 1, 0> >(a.data(), z.data());
            nnfpga_hls::concat_part<b_T, res_T, ConcatCfg<H * W, C + 1, 2 * C + 1, C> >(b.data(), z.data());
            compare(std::string(label) + " concat axis 2", x, want, rawArray(z.data(), z.size()));
            std::vector<res_T> zs(want.size());  // io_stream: pixel by pixel
            for (unsigned p = 0; p < H * W; ++p) {
                nnfpga_hls::concat_part<a_T, res_T, ConcatCfg<1, C, 2 * C + 1, 0> >(&a[p * C], &zs[p * (2 * C + 1)]);
                nnfpga_hls::concat_part<b_T, res_T, ConcatCfg<1, C + 1, 2 * C + 1, C> >(&b[p * (C + 1)], &zs[p * (2 * C + 1)]);
            }
            compare(std::string(label) + " concat axis 2 per pixel", x, want, rawArray(zs.data(), zs.size()));
        }
    }
    // Axes 0 and 1 (same C on both): whole blocks.
    for (int axis = 0; axis < 2; ++axis) {
        const Shape sb2 = axis == 0 ? Shape{int(H + 1), int(W), int(C)} : Shape{int(H), int(W + 2), int(C)};
        Shape so = sa;
        so[axis] += sb2[axis];
        Net net(nnfpga::ConcatAttrs{axis}, {sa, sb2}, {typeOf<a_T>(), typeOf<b_T>()}, so, typeOf<res_T>());
        ++totals.cases;
        const std::string what = std::string(label) + " concat axis " + std::to_string(axis);
        for (int r = 0; r < kLayerRounds; ++r) {
            const auto x = randomVector(typeOf<a_T>(), H * W * C, rng);
            const auto y = randomVector(typeOf<b_T>(), size_t(nnfpga::numElements(sb2)), rng);
            const auto want = net.run({x, y});
            const auto a = hlsArray<a_T>(x);
            const auto b = hlsArray<b_T>(y);
            std::vector<res_T> z(want.size());
            hls::stream<nnfpga_hls::array<a_T, C> > sa_;
            hls::stream<nnfpga_hls::array<b_T, C> > sb_;
            hls::stream<nnfpga_hls::array<res_T, C> > so_;
            push<a_T, C>(sa_, x);
            push<b_T, C>(sb_, y);
            if (axis == 0) {
                nnfpga_hls::concat_part<a_T, res_T, ConcatCfg<1, H * W * C, (2 * H + 1) * W * C, 0> >(a.data(), z.data());
                nnfpga_hls::concat_part<b_T, res_T, ConcatCfg<1, (H + 1) * W * C, (2 * H + 1) * W * C, H * W * C> >(
                    b.data(), z.data());
                nnfpga_hls::concat_forward<a_T, res_T, H * W, C>(sa_, so_);
                nnfpga_hls::concat_forward<b_T, res_T, (H + 1) * W, C>(sb_, so_);
            } else {
                nnfpga_hls::concat_part<a_T, res_T, ConcatCfg<H, W * C, (2 * W + 2) * C, 0> >(a.data(), z.data());
                nnfpga_hls::concat_part<b_T, res_T, ConcatCfg<H, (W + 2) * C, (2 * W + 2) * C, W * C> >(b.data(), z.data());
                for (unsigned o = 0; o < H; ++o) {
                    nnfpga_hls::concat_forward<a_T, res_T, W, C>(sa_, so_);
                    nnfpga_hls::concat_forward<b_T, res_T, W + 2, C>(sb_, so_);
                }
            }
            compare(what, x, want, rawArray(z.data(), z.size()));
            drain(sa_, what);
            drain(sb_, what);
            compare(what + " stream", x, want, pop<res_T, C>(so_, want.size(), what + " stream"));
        }
    }
}

template <unsigned N, class acc_T>
struct DotCfg {
    static const unsigned n_in = N;
    typedef acc_T accum_t;
};

template <class a_T, class b_T, class res_T, class acc_T, unsigned N>
void dotCases(const char* label, Rng& rng) {
    typedef DotCfg<N, acc_T> C;
    nnfpga::DotAttrs attrs;
    attrs.accumT = typeOf<acc_T>();
    Net net(attrs, {{int(N)}, {int(N)}}, {typeOf<a_T>(), typeOf<b_T>()}, {1}, typeOf<res_T>());
    ++totals.cases;
    for (int r = 0; r < kLayerRounds * 4; ++r) {
        const auto x = randomVector(typeOf<a_T>(), N, rng), y = randomVector(typeOf<b_T>(), N, rng);
        const auto want = net.run({x, y});
        const auto a = hlsArray<a_T>(x);
        const auto b = hlsArray<b_T>(y);
        res_T z[1];
        nnfpga_hls::dot<a_T, b_T, res_T, C>(a.data(), b.data(), z);
        compare(std::string(label) + " dot", x, want, rawArray(z, 1));
    }
}

// Per-element quantization over 8 elements: {0, 3, 5} through q0_T, {1, 4, 6} through q1_T, {2, 7} pruned; and
// every element through q0_T (quantize_all).
template <class data_T, class res_T, class q0_T, class q1_T>
void quantizeCases(const char* label, Rng& rng) {
    static const unsigned idx0[3] = {0, 3, 5}, idx1[3] = {1, 4, 6}, zero[2] = {2, 7};
    nnfpga::QuantizeAttrs mixed;
    const FixedType none{0, 0, false};
    mixed.types = {typeOf<q0_T>(), typeOf<q1_T>(), none, typeOf<q0_T>(), typeOf<q1_T>(), typeOf<q0_T>(), typeOf<q1_T>(), none};
    nnfpga::QuantizeAttrs all;
    all.types = {typeOf<q0_T>()};
    const Net netMixed(mixed, {{8}}, {typeOf<data_T>()}, {8}, typeOf<res_T>());
    const Net netAll(all, {{8}}, {typeOf<data_T>()}, {8}, typeOf<res_T>());
    totals.cases += 2;
    for (int r = 0; r < kLayerRounds * 4; ++r) {
        const auto x = randomVector(typeOf<data_T>(), 8, rng);
        const auto a = hlsArray<data_T>(x);
        res_T y[8];
        nnfpga_hls::quantize_some<data_T, res_T, q0_T, 3>(a.data(), y, idx0);
        nnfpga_hls::quantize_some<data_T, res_T, q1_T, 3>(a.data(), y, idx1);
        nnfpga_hls::quantize_zero<res_T, 2>(y, zero);
        compare(std::string(label) + " quantize mixed", x, netMixed.run({x}), rawArray(y, 8));
        nnfpga_hls::quantize_all<data_T, res_T, q0_T, 8>(a.data(), y);
        compare(std::string(label) + " quantize all", x, netAll.run({x}), rawArray(y, 8));
    }
}

template <unsigned NIN, unsigned TS, class index_T>
struct LutCfg {
    static const unsigned n_in = NIN;
    static const unsigned table_size = TS;
    typedef index_T index_t;
};

// HGQ's UnaryLUT over 2^NB entries on a 2^-F grid: random table values of res_T, inputs of any data_T (off-grid ones
// round half to even, out-of-range ones wrap).
template <class data_T, class res_T, int NB, int F>
void lutCases(const char* label, Rng& rng) {
    nnfpga::ActivationAttrs a;
    a.kind = nnfpga::ActKind::Lut;
    a.lutFrac = F;
    const FixedType rT = typeOf<res_T>();
    for (int j = 0; j < (1 << NB); ++j) a.lut.push_back(nnfpga::toDouble(randomRaw(rT, rng), rT));
    typedef ap_fixed<NB, NB - F, AP_RND_CONV, AP_WRAP> index_T;
    typedef LutCfg<6, (1u << NB), index_T> C;
    if (!(nnfpga::lutIndexType(a) == typeOf<index_T>())) throw std::runtime_error("lut index type");
    const Net net(a, {{6}}, {typeOf<data_T>()}, {6}, rT);
    std::vector<res_T> table(a.lut.size());
    for (size_t j = 0; j < a.lut.size(); ++j) table[j] = res_T(a.lut[j]);
    ++totals.cases;
    for (int r = 0; r < kLayerRounds * 4; ++r) {
        const auto x = randomVector(typeOf<data_T>(), 6, rng);
        const auto d = hlsArray<data_T>(x);
        res_T y[6];
        nnfpga_hls::unary_lut<data_T, res_T, C>(d.data(), y, table.data());
        compare(std::string(label) + " unary_lut", x, net.run({x}), rawArray(y, 6));
    }
}

}  // namespace

void layerCases(Rng& rng) {
    const int before = totals.cases;
    typedef ap_fixed<16, 6> F16;
    typedef ap_fixed<12, 4, AP_RND, AP_SAT> R12;
    typedef ap_fixed<8, 3> F8;
    typedef ap_fixed<32, 12> A32;

    // Convolutions: 2D 3x3 valid and same, strided, dilated, 1x1, 1D, depthwise, transposed (inserted zeros).
    convCases<Geom<5, 5, 2, 3, 3, 3>, F16, F16, F16, F16, A32>("2D 5x5x2 k3 valid", rng);
    convCases<Geom<5, 6, 3, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1>, F16, R12, F8, F8, F16>("2D 5x6x3 k3 same, acc16 wrap", rng);
    convCases<Geom<6, 7, 2, 3, 3, 2, 2, 2, 1, 1, 0, 1, 0, 1>, F8, F16, F8, F16, ap_fixed<14, 6, AP_RND, AP_SAT> >(
        "2D 6x7x2 k3x2 stride 2, acc sat", rng, 0.3, false);
    convCases<Geom<7, 7, 1, 2, 3, 3, 1, 1, 2, 2, 2, 2, 2, 2>, F16, F16, F16, F16, A32>("2D 7x7 k3 dilation 2 same", rng);
    convCases<Geom<4, 4, 5, 3, 1, 1>, ap_ufixed<8, 2>, F16, F8, F16, ap_fixed<20, 8> >("2D 4x4x5 pointwise, unsigned in", rng);
    convCases<Geom<1, 9, 3, 4, 1, 3, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 1>, F16, F16, F16, F16, A32>("1D 9x3 k3 same", rng);
    convCases<Geom<1, 10, 2, 2, 1, 4, 1, 3, 1, 1, 0, 0, 0, 0, 1, 1, 0, 1>, F16, F16, F8, F8, A32>("1D 10x2 k4 stride 3", rng);
    convCases<Geom<5, 5, 3, 6, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2>, F16, F16, F16, F16, A32>("depthwise 5x5x3 x2 same", rng);
    convCases<Geom<1, 8, 4, 4, 1, 3, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1>, F16, F16, F16, F16, A32>("depthwise 1D 8x4", rng);
    convCases<Geom<3, 4, 2, 3, 3, 3, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2>, F16, F16, F16, F16, A32>(
        "transposed 3x4x2 stride 2 (inserted zeros)", rng);
    convCases<Geom<4, 4, 2, 2, 2, 2, 2, 2>, ap_int<6>, ap_fixed<10, 8, AP_RND_CONV, AP_SAT_SYM>, ap_fixed<6, 1>, F8,
              ap_fixed<12, 8, AP_TRN_ZERO, AP_SAT> >("2D 4x4 k2 s2 int6 in, acc sat", rng);
    // Binary and ternary kernels through the multiplier-free product (ternary: 30 % zeros; binary: none).
    convCases<Geom<5, 6, 3, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1>, F16, F16, ap_int<2>, F8, ap_fixed<14, 8>, true>(
        "2D 5x6x3 k3 same ternary kernel, acc14 wrap", rng, 0.3);
    convCases<Geom<5, 5, 3, 6, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2>, ap_int<2>, F16, ap_int<2>, F8, A32, true>(
        "depthwise 5x5x3 x2 binary kernel on +-1/0 inputs", rng, 0.0);
    convCases<Geom<1, 9, 3, 4, 1, 3, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 1>, F16, F16, ap_fixed<8, 3>, F16, A32, true>(
        "1D 9x3 k3 same, +-1 weights in a wide type", rng, 0.1);

    // Pooling: max, average (count padding or not); strided, same padding, 1D, global.
    poolCases<Geom<6, 6, 3, 3, 2, 2, 2, 2>, F16, F16, F16>("2D 6x6x3 pool 2", rng);
    poolCases<Geom<5, 5, 2, 2, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1>, F16, R12, ap_fixed<20, 8> >("2D 5x5x2 pool 3 s2 same", rng);
    poolCases<Geom<5, 7, 2, 2, 2, 3, 1, 2, 1, 1, 0, 1, 1, 1>, ap_fixed<10, 3, AP_RND, AP_SAT>, F16,
              ap_fixed<12, 4, AP_RND, AP_SAT> >("2D 5x7x2 pool 2x3 same, narrow acc sat", rng);
    poolCases<Geom<1, 9, 4, 4, 1, 2, 1, 2, 1, 1, 0, 0, 0, 1, 1, 1, 0, 1>, F16, F16, F16>("1D 9x4 pool 2 same", rng);
    poolCases<Geom<4, 5, 3, 3, 4, 5>, F16, F16, ap_fixed<24, 12> >("global 2D 4x5x3", rng, true);
    poolCases<Geom<1, 6, 2, 2, 1, 6, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 0, 1>, ap_ufixed<8, 3>, F16, ap_fixed<12, 6> >(
        "global 1D 6x2 unsigned", rng, true);

    // Layout.
    padCase<F16, F16, 4, 5, 2, 1, 2, 0, 1, true>("2D 4x5x2 pad", rng);
    padCase<F16, R12, 5, 6, 3, -1, -2, 1, -1, true>("2D 5x6x3 crop/pad", rng);
    padCase<F16, F16, 1, 7, 2, 0, 0, -2, 1, false>("1D 7x2 crop/pad", rng);
    upsampleCase<F16, F16, 3, 4, 2, 2, 3, true>("2D 3x4x2 x2x3", rng);
    upsampleCase<F16, F8, 1, 5, 3, 1, 2, false>("1D 5x3 x2", rng);
    transposeCase<F16, F16, 3, 1, 3, 4, 2, 0, 3, 1, 2>("[3,4,2] to [2,3,4]", rng);
    transposeCase<F16, R12, 3, 1, 3, 4, 2, 0, 2, 1, 3>("[3,4,2] to [4,3,2]", rng);
    transposeCase<F16, F16, 2, 1, 1, 5, 3, 0, 1, 3, 2>("[5,3] to [3,5]", rng);
    transposeCase<F16, F16, 4, 2, 3, 2, 4, 3, 0, 2, 1>("[2,3,2,4] to [4,2,2,3]", rng);
    repackCase<F16, F16, 24, 24, 4>("", {24}, {6, 4}, rng);
    repackCase<F16, F16, 24, 4, 24>("", {2, 3, 4}, {24}, rng);
    repackCase<F16, R12, 24, 4, 6>("", {2, 3, 4}, {4, 6}, rng);

    // Merges.
    mergeCases<F16, F16, F16>("16,6 16,6 -> 16,6", rng);
    mergeCases<F8, ap_ufixed<10, 2>, R12>("8,3 u10,2 -> 12,4RS", rng);
    mergeCases<ap_fixed<10, -1>, ap_int<5>, ap_fixed<18, 8, AP_RND_CONV, AP_SAT_SYM> >("10,-1 int5 -> 18,8", rng);
    mergeChainCases<F16, ap_fixed<72, 36>, F16>("16,6 x4", rng);
    mergeChainCases<F8, ap_fixed<40, 16>, R12>("8,3 x4 -> 12,4RS", rng);
    concatCases<F16, F8, R12, 2, 3, 2>("2x3x2", rng);
    concatCases<F16, F16, F16, 1, 4, 3>("1x4x3", rng);
    dotCases<F16, F8, F16, A32, 7>("n7", rng);
    dotCases<F16, F16, R12, ap_fixed<16, 6, AP_RND, AP_SAT>, 16>("n16 acc sat", rng);
    quantizeCases<F16, ap_fixed<8, 4>, ap_fixed<6, 2, AP_RND, AP_SAT>, ap_ufixed<5, 3, AP_RND_CONV, AP_WRAP> >(
        "16,6 -> 6,2RS u5,3", rng);
    quantizeCases<F16, ap_fixed<8, 5>, ap_fixed<4, 1, AP_RND_ZERO, AP_SAT_SYM>,
                  ap_fixed<7, 5, AP_RND_MIN_INF, AP_SAT_ZERO> >("16,6 -> 4,1 SAT_SYM 7,5 SAT_ZERO", rng);
    quantizeCases<ap_fixed<12, 2>, ap_fixed<14, 3>, ap_fixed<3, -2, AP_RND_INF, AP_SAT>, ap_fixed<4, 3, AP_TRN_ZERO, AP_WRAP> >(
        "12,2 -> 3,-2 4,3", rng);
    lutCases<ap_fixed<8, 5>, ap_fixed<7, 3>, 8, 3>("8,5 on its grid", rng);
    lutCases<ap_fixed<12, 4>, ap_ufixed<6, 1>, 6, 2>("12,4 off grid, wrapping", rng);
    lutCases<ap_ufixed<5, 5>, ap_fixed<9, 2>, 4, -1>("u5,5 on a coarser grid", rng);
    std::printf("conv, pooling, layout and merge cases: %d\n", totals.cases - before);
}
