// Kernels of the spatial family: Conv (plain, depthwise, transposed) with Dense's numerics per output pixel,
// Pool (max, average, global), and the layout copies Pad, Upsample and Transpose as one gather with conversion.
// Window geometry (padding, strides, dilations, inserted zeros) is resolved once into per-pixel tap lists.
#include <algorithm>
#include <cstring>
#include <limits>
#include <optional>
#include <vector>

#include "kernels_internal.h"
#include "nnfpga/fixed/converter.h"
#include "nnfpga/fixed/quantize.h"
#include "nnfpga/support/diagnostics.h"

namespace nnfpga {

void convFloat(const ConvAttrs& a, const TapList& taps, const double* x, double* out) {
    const int nChan = a.nChan, nFilt = a.nFilt, mult = a.depthMultiplier;
    for (int p = 0; p < taps.pixels(); ++p) {
        double* y = out + static_cast<size_t>(p) * nFilt;
        std::fill(y, y + nFilt, 0.0);
        for (int t = taps.begin[p]; t < taps.begin[p + 1]; ++t) {
            const double* xs = x + static_cast<size_t>(taps.taps[t].pixel) * nChan;
            if (a.depthwise()) {
                const double* ws = a.kernel.data() + static_cast<size_t>(taps.taps[t].index) * nFilt;
                for (int k = 0; k < nFilt; ++k) y[k] += xs[k / mult] * ws[k];
            } else {
                const double* ws = a.kernel.data() + static_cast<size_t>(taps.taps[t].index) * nChan * nFilt;
                for (int c = 0; c < nChan; ++c)
                    for (int k = 0; k < nFilt; ++k) y[k] += xs[c] * ws[static_cast<size_t>(c) * nFilt + k];
            }
        }
        for (int k = 0; k < nFilt && !a.bias.empty(); ++k) y[k] += a.bias[k];
    }
}

namespace {

// One tap of a plain convolution: accumulateRow for each channel's input value and weight row
// w[c*nFilt .. c*nFilt + nFilt); one call per tap keeps the dispatch out of the channel loop.
__attribute__((target_clones("avx512f", "avx2", "default"))) int32_t accumulateTap(const int64_t* x, const int32_t* w,
                                                                                   int64_t* acc, int nChan, int nFilt,
                                                                                   int s, int up) {
    int32_t ovf = 0;
    for (int c = 0; c < nChan; ++c) {
        const int32_t xi = static_cast<int32_t>(x[c]);
        if (xi != 0) ovf += accumulateRowInline(xi, w + static_cast<size_t>(c) * nFilt, acc, nFilt, s, up);
    }
    return ovf;
}

// Depthwise counterpart of accumulateRow: one tap of every channel, acc[c*mult + m] += wrap(floor(x[c] *
// w[c*mult + m] / 2^s)); returns how many products did not fit accum_t.
__attribute__((target_clones("avx512f", "avx2", "default"))) int32_t accumulateDepthwise(const int64_t* x,
                                                                                         const int32_t* w, int64_t* acc,
                                                                                         int nChan, int mult, int s,
                                                                                         int up) {
    int32_t ovf = 0;
    const int32_t scale = s < 0 ? 1 << -s : 1;
    const int r = s < 0 ? 0 : s;
    for (int c = 0; c < nChan; ++c) {
        const int32_t xi = static_cast<int32_t>(x[c]);
        for (int m = 0; m < mult; ++m) {
            const int k = c * mult + m;
            const int32_t p = ((xi * w[k]) >> r) * scale;
            const int32_t pw = static_cast<int32_t>(static_cast<uint32_t>(p) << up) >> up;
            ovf += (p != pw);
            acc[k] += pw;
        }
    }
    return ovf;
}

// A whole plain convolution layer in blocks of B lanes: per output pixel, the nonzero inputs of its real taps
// (gathered into xs with their weight rows) and macBlocks into that pixel's nFiltPad sums of acc. One call per
// layer, so that the instruction-set dispatch of the clones is paid once, not per pixel.
template <class V, class U>
__attribute__((always_inline)) inline int32_t convBlocks(const int64_t* x, const TapList& taps, int nChan,
                                                         const int32_t* w, const int32_t* bias, int32_t* acc,
                                                         int nFiltPad, int r, int l, int up, int32_t* xs,
                                                         int32_t* rows) {
    int32_t ovf = 0;
    const int pixels = taps.pixels();
    for (int p = 0; p < pixels; ++p) {
        int n = 0;
        for (int t = taps.begin[p]; t < taps.begin[p + 1]; ++t) {
            const int64_t* xp = x + static_cast<size_t>(taps.taps[t].pixel) * nChan;
            const int32_t row = taps.taps[t].index * nChan * nFiltPad;
            for (int c = 0; c < nChan; ++c) {
                xs[n] = static_cast<int32_t>(xp[c]);
                rows[n] = row + c * nFiltPad;
                n += xp[c] != 0;
            }
        }
        ovf += macBlocks<V, U>(xs, rows, n, w, bias, acc + static_cast<size_t>(p) * nFiltPad, nFiltPad, r, l, up);
    }
    return ovf;
}

__attribute__((target_clones("avx512f", "avx2", "default"))) int32_t convBlocks16(
    const int64_t* x, const TapList& taps, int nChan, const int32_t* w, const int32_t* bias, int32_t* acc,
    int nFiltPad, int r, int l, int up, int32_t* xs, int32_t* rows) {
    return convBlocks<I32x16, U32x16>(x, taps, nChan, w, bias, acc, nFiltPad, r, l, up, xs, rows);
}

__attribute__((target_clones("avx512f", "avx2", "default"))) int32_t convBlocks8(
    const int64_t* x, const TapList& taps, int nChan, const int32_t* w, const int32_t* bias, int32_t* acc,
    int nFiltPad, int r, int l, int up, int32_t* xs, int32_t* rows) {
    return convBlocks<I32x8, U32x8>(x, taps, nChan, w, bias, acc, nFiltPad, r, l, up, xs, rows);
}

__attribute__((target_clones("avx512f", "avx2", "default"))) int32_t convBlocks4(
    const int64_t* x, const TapList& taps, int nChan, const int32_t* w, const int32_t* bias, int32_t* acc,
    int nFiltPad, int r, int l, int up, int32_t* xs, int32_t* rows) {
    return convBlocks<I32x4, U32x4>(x, taps, nChan, w, bias, acc, nFiltPad, r, l, up, xs, rows);
}

// Conv: per output pixel and filter, acc = (accum_t) bias; acc += (accum_t)(x * w) for every real tap and channel
// in the order (i, j, c); result = (result_t) acc. Plain: filter k reads every channel with weight
// kernel[(tap*nChan + c)*nFilt + k]; depthwise: filter k = c*mult + m reads channel c with kernel[tap*nFilt + k].
class ConvKernel final : public Kernel {
public:
    ConvKernel(const Graph& g, const Node& n) : a_(*n.as<ConvAttrs>()), taps_(a_.win) {
        in_ = g.tensor(n.inputs[0]).type;
        out_ = g.tensor(n.outputs[0]).type;
        w_.resize(a_.kernel.size());
        for (size_t k = 0; k < w_.size(); ++k) w_[k] = fromWeightText(a_.kernel[k], a_.weightT);
        biasAcc_.assign(a_.nFilt, 0);  // an absent bias is zero (hls4ml: ap_uint<1> zeros)
        for (int k = 0; k < a_.nFilt && !a_.bias.empty(); ++k)
            biasAcc_[k] = quantize(fromWeightText(a_.bias[k], a_.biasT), a_.biasT.frac(), a_.accumT);
        prodFrac_ = in_.frac() + a_.weightT.frac();
        if (a_.po2.type) po2_.emplace(*a_.po2.type, in_.frac(), a_.weightT.frac());
        fast_ = !po2_ && int32Accumulation(in_, a_.weightT, a_.accumT, shift_);
        if (fast_) w32_.assign(w_.begin(), w_.end());
        // Plain convolutions whose sums cannot leave int32 (every term and the bias are accum_t values) use the
        // register-blocked int32 sums, with filters padded to the block size.
        const int64_t terms = int64_t(a_.win.kh) * a_.win.kw * a_.nChan + 1;
        blocked_ = fast_ && !a_.depthwise() && (terms << (a_.accumT.width - 1)) <= (int64_t(1) << 31);
        if (blocked_) {
            block_ = a_.nFilt > 8 ? 16 : a_.nFilt > 4 ? 8 : 4;
            nFiltPad_ = (a_.nFilt + block_ - 1) / block_ * block_;
            const size_t rows = w_.size() / static_cast<size_t>(a_.nFilt);
            w32_.assign(rows * static_cast<size_t>(nFiltPad_), 0);
            for (size_t i = 0; i < rows; ++i)
                for (int k = 0; k < a_.nFilt; ++k)
                    w32_[i * static_cast<size_t>(nFiltPad_) + static_cast<size_t>(k)] =
                        static_cast<int32_t>(w_[i * static_cast<size_t>(a_.nFilt) + static_cast<size_t>(k)]);
            bias32_.assign(static_cast<size_t>(nFiltPad_), 0);
            std::copy(biasAcc_.begin(), biasAcc_.end(), bias32_.begin());
            // Few filters at stride 1: output pixels in the lanes instead (conv_pixels.cpp).
            pixels_ = ConvPixelLanes::make(a_, w_, biasAcc_, in_, shift_, a_.accumT, out_);
        }
        toResult_ = Converter(a_.accumT, out_);
        const int64_t perTap = a_.depthwise() ? a_.nFilt : int64_t(a_.nChan) * a_.nFilt;
        products_ = static_cast<int64_t>(taps_.taps.size()) * perTap;
    }

    void run(const int64_t* const* in, int64_t* out, OverflowStats& st) const override {
        if (pixels_)
            runPixels(in[0], out, st);
        else if (blocked_)
            runBlocked(in[0], out, st);
        else if (fast_)
            runFast(in[0], out, st);
        else
            runGeneral(in[0], out, st);
    }

    void runFloat(const double* const* in, double* out) const override { convFloat(a_, taps_, in[0], out); }

private:
    // Counting as Dense: every product conversion, one accumulator check per output (WRAP: whether the exact
    // total is out of range, since transient wraps cancel; other modes: whether any step overflowed), one result
    // conversion per output.
    void runGeneral(const int64_t* x, int64_t* out, OverflowStats& st) const {
        const FixedType& acc = a_.accumT;
        const int nChan = a_.nChan, nFilt = a_.nFilt, mult = a_.depthMultiplier;
        QuantizeFlags f;
        for (int p = 0; p < taps_.pixels(); ++p) {
            for (int k = 0; k < nFilt; ++k) {
                int64_t sum = biasAcc_[k];
                i128 exact = sum;
                bool sumOverflowed = false;
                auto step = [&](int64_t xv, int64_t w) {
                    if (xv == 0 || w == 0) return;  // a zero product leaves the accumulator unchanged in every mode
                    const int64_t m = po2_ ? quantize((*po2_)(xv, w, st.overflowed), po2_->frac(), acc, &f)
                                           : quantize(static_cast<i128>(xv) * w, prodFrac_, acc, &f);
                    st.overflowed += f.overflowed;
                    sum = quantize(static_cast<i128>(sum) + m, acc.frac(), acc, &f);
                    sumOverflowed |= f.overflowed;
                    exact += m;
                };
                for (int t = taps_.begin[p]; t < taps_.begin[p + 1]; ++t) {
                    const int64_t* xs = x + static_cast<size_t>(taps_.taps[t].pixel) * nChan;
                    const size_t tap = static_cast<size_t>(taps_.taps[t].index);
                    if (a_.depthwise()) {
                        step(xs[k / mult], w_[tap * nFilt + k]);
                    } else {
                        const int64_t* ws = w_.data() + tap * nChan * nFilt + k;
                        for (int c = 0; c < nChan; ++c) step(xs[c], ws[static_cast<size_t>(c) * nFilt]);
                    }
                }
                if (acc.overflow == Overflow::WRAP) sumOverflowed = exact < acc.rawMin() || exact > acc.rawMax();
                out[static_cast<size_t>(p) * nFilt + k] = quantize(sum, acc.frac(), out_, &f);
                st.overflowed += sumOverflowed + f.overflowed;
            }
        }
        st.conversions += (po2_ ? 2 : 1) * products_ + 2 * int64_t(nFilt) * taps_.pixels();
    }

    // int32 products, int64 sums; the running sum wraps in accum_t at every step, and modular arithmetic lets
    // the total wrap once at the end.
    void runFast(const int64_t* x, int64_t* out, OverflowStats& st) const {
        const int nChan = a_.nChan, nFilt = a_.nFilt, mult = a_.depthMultiplier;
        const int s = shift_, up = 32 - a_.accumT.width;
        const int64_t lo = a_.accumT.rawMin(), hi = a_.accumT.rawMax();
        std::vector<int64_t>& acc = scratch();
        int64_t overflows = 0;
        for (int p = 0; p < taps_.pixels(); ++p) {
            acc.assign(biasAcc_.begin(), biasAcc_.end());
            for (int t = taps_.begin[p]; t < taps_.begin[p + 1]; ++t) {
                const int64_t* xs = x + static_cast<size_t>(taps_.taps[t].pixel) * nChan;
                const size_t tap = static_cast<size_t>(taps_.taps[t].index);
                if (a_.depthwise()) {
                    overflows += accumulateDepthwise(xs, w32_.data() + tap * nFilt, acc.data(), nChan, mult, s, up);
                    continue;
                }
                overflows += accumulateTap(xs, w32_.data() + tap * nChan * nFilt, acc.data(), nChan, nFilt, s, up);
            }
            int64_t* y = out + static_cast<size_t>(p) * nFilt;
            for (int k = 0; k < nFilt; ++k) {
                overflows += acc[k] < lo || acc[k] > hi;
                y[k] = toResult_(wrapToWidth(acc[k], a_.accumT.width), overflows);
            }
        }
        st.overflowed += overflows;
        st.conversions += products_ + 2 * int64_t(nFilt) * taps_.pixels();
    }

    // Per output pixel: the nonzero inputs of its real taps with their weight rows, then the blocked sums (one
    // call for the layer); then the conversions of every sum.
    void runBlocked(const int64_t* x, int64_t* out, OverflowStats& st) const {
        const int nChan = a_.nChan;
        const int r = std::max(shift_, 0), l = std::max(-shift_, 0), up = 32 - a_.accumT.width;
        thread_local std::vector<int32_t> xs, rows, acc;
        xs.resize(static_cast<size_t>(a_.win.kh) * a_.win.kw * nChan);
        rows.resize(xs.size());
        const int pixels = taps_.pixels();
        acc.resize(static_cast<size_t>(pixels) * nFiltPad_);
        const int64_t overflows = (block_ == 16 ? convBlocks16 : block_ == 8 ? convBlocks8 : convBlocks4)(
            x, taps_, nChan, w32_.data(), bias32_.data(), acc.data(), nFiltPad_, r, l, up, xs.data(), rows.data());
        convertSums(acc.data(), nFiltPad_, overflows, out, st);
    }

    // Pixels in the lanes, with the counting of runFast.
    void runPixels(const int64_t* x, int64_t* out, OverflowStats& st) const {
        st.overflowed += pixels_->run(x, out);
        st.conversions += products_ + 2 * int64_t(a_.nFilt) * taps_.pixels();
    }

    // The exact int32 sums acc[p*stride + k] wrapped to accum_t and converted to the result, with the counting of
    // runFast; `overflows`: the products that did not fit.
    void convertSums(const int32_t* acc, int stride, int64_t overflows, int64_t* out, OverflowStats& st) const {
        const int nFilt = a_.nFilt, accW = a_.accumT.width;
        const int64_t lo = a_.accumT.rawMin(), hi = a_.accumT.rawMax();
        for (int p = 0; p < taps_.pixels(); ++p) {
            const int32_t* ap = acc + static_cast<size_t>(p) * stride;
            int64_t* y = out + static_cast<size_t>(p) * nFilt;
            for (int k = 0; k < nFilt; ++k) {
                overflows += ap[k] < lo || ap[k] > hi;
                y[k] = toResult_(wrapToWidth(ap[k], accW), overflows);
            }
        }
        st.overflowed += overflows;
        st.conversions += products_ + 2 * int64_t(nFilt) * taps_.pixels();
    }

    static std::vector<int64_t>& scratch() {
        thread_local std::vector<int64_t> buf;
        return buf;
    }

    const ConvAttrs& a_;
    TapList taps_;
    FixedType in_, out_;
    std::vector<int64_t> w_, biasAcc_;
    std::vector<int32_t> w32_, bias32_;  // blocked: rows padded to nFiltPad_
    std::unique_ptr<ConvPixelLanes> pixels_;  // set: the blocked sums with output pixels in the lanes
    Converter toResult_;
    int64_t products_ = 0;  // real products per sample
    std::optional<Po2ShiftProduct> po2_;  // hls4ml's power-of-two product; only the general path
    int prodFrac_ = 0, shift_ = 0, block_ = 0, nFiltPad_ = 0;
    bool fast_ = false, blocked_ = false;
};

// Pooling per channel over each window's real pixels. Max: the largest input (raw compare within one type), then
// (accum_t) and (result_t) as hls4ml's pool_op returns accum_t. Average: y = 0 in accum_t, y += x per pixel
// (each sum re-quantized into accum_t), y = sdiv(raw y, count) at accum_t's resolution, then (result_t) y.
class PoolKernel final : public Kernel {
public:
    PoolKernel(const Graph& g, const Node& n) : a_(*n.as<PoolAttrs>()), win_(window(a_)), taps_(win_) {
        in_ = g.tensor(n.inputs[0]).type;
        out_ = g.tensor(n.outputs[0]).type;
        const FixedType& acc = a_.accumT;
        toAccum_ = Converter(in_, acc);
        toResult_ = Converter(acc, out_);
        sumFrac_ = std::max(acc.frac(), in_.frac());
        accShift_ = sumFrac_ - acc.frac();
        inShift_ = sumFrac_ - in_.frac();
        const int sumBits = std::max(acc.width + accShift_, in_.width + inShift_) + 1;
        if (a_.op == PoolOp::Average && sumBits > 126)
            failAtLayer(n.name, n.kind,
                        "input type " + in_.str() + " and accumulator type " + acc.str() +
                            " are too far apart to add exactly (" + std::to_string(sumBits) + " bits, at most 126)");
        smallSum_ = sumBits <= 62;
        if (smallSum_) addConv_ = Converter(sumFrac_, sumBits, acc);
    }

    void run(const int64_t* const* in, int64_t* out, OverflowStats& st) const override {
        const int64_t* x = in[0];
        const int nChan = a_.nChan;
        int64_t ovf = 0;
        for (int p = 0; p < taps_.pixels(); ++p) {
            for (int c = 0; c < nChan; ++c) {
                int64_t y;
                if (a_.op == PoolOp::Max) {
                    // A window of padding only: the most negative input (padding never wins otherwise).
                    int64_t best = in_.rawMin();
                    for (int t = taps_.begin[p]; t < taps_.begin[p + 1]; ++t)
                        best = std::max(best, x[static_cast<size_t>(taps_.taps[t].pixel) * nChan + c]);
                    y = toAccum_(best, ovf);
                } else {
                    y = average(x, p, c, ovf);
                }
                out[static_cast<size_t>(p) * nChan + c] = toResult_(y, ovf);
            }
        }
        st.overflowed += ovf;
        st.conversions += 2 * int64_t(nChan) * taps_.pixels();
    }

    void runFloat(const double* const* in, double* out) const override {
        const double* x = in[0];
        const int nChan = a_.nChan;
        for (int p = 0; p < taps_.pixels(); ++p)
            for (int c = 0; c < nChan; ++c) {
                double y = a_.op == PoolOp::Max && taps_.count(p) ? -std::numeric_limits<double>::infinity() : 0.0;
                for (int t = taps_.begin[p]; t < taps_.begin[p + 1]; ++t) {
                    const double v = x[static_cast<size_t>(taps_.taps[t].pixel) * nChan + c];
                    y = a_.op == PoolOp::Max ? std::max(y, v) : y + v;
                }
                if (a_.op == PoolOp::Average) y /= count(p);
                out[static_cast<size_t>(p) * nChan + c] = y;
            }
    }

private:
    static Window window(const PoolAttrs& a) {
        if (!a.global) return a.win;
        Window w;  // the whole input, one output pixel
        w.rank = a.win.rank;
        w.inH = w.kh = a.win.inH;
        w.inW = w.kw = a.win.inW;
        return w;
    }

    int64_t count(int p) const {
        const int64_t n = a_.countPad ? int64_t(win_.kh) * win_.kw : taps_.count(p);
        return std::max<int64_t>(n, 1);
    }

    // Counting: one accumulator check per output (WRAP: whether the exact sum is out of range, since transient
    // wraps cancel; other modes: whether any step overflowed), one result conversion (counted by the caller).
    int64_t average(const int64_t* x, int p, int c, int64_t& ovf) const {
        const FixedType& acc = a_.accumT;
        const int nChan = a_.nChan;
        int64_t y = 0;
        i128 exact = 0;
        bool anyStep = false;
        QuantizeFlags f;
        for (int t = taps_.begin[p]; t < taps_.begin[p + 1]; ++t) {
            const int64_t v = x[static_cast<size_t>(taps_.taps[t].pixel) * nChan + c];
            const i128 sum = (static_cast<i128>(y) << accShift_) + (static_cast<i128>(v) << inShift_);
            exact += static_cast<i128>(v) << inShift_;
            if (smallSum_) {
                int64_t stepOvf = 0;
                y = addConv_(static_cast<int64_t>(sum), stepOvf);
                anyStep |= stepOvf != 0;
            } else {
                y = quantize(sum, sumFrac_, acc, &f);
                anyStep |= f.overflowed;
            }
        }
        if (acc.overflow == Overflow::WRAP)
            anyStep = exact < (static_cast<i128>(acc.rawMin()) << accShift_) ||
                      exact > (static_cast<i128>(acc.rawMax()) << accShift_);
        ovf += anyStep;
        // C++ integer division truncates toward zero: ap_fixed's sdiv at accum_t's resolution.
        return quantize(y / count(p), acc.frac(), acc);
    }

    const PoolAttrs& a_;
    Window win_;
    TapList taps_;
    FixedType in_, out_;
    Converter toAccum_, toResult_, addConv_;
    int sumFrac_ = 0, accShift_ = 0, inShift_ = 0;
    bool smallSum_ = false;
};

// Pad, Upsample, Transpose: out[i] = (result_t) in[src[i]], or 0 where src[i] < 0 (zero padding).
class GatherKernel final : public Kernel {
public:
    GatherKernel(const Graph& g, const Node& n) {
        in_ = g.tensor(n.inputs[0]).type;
        out_ = g.tensor(n.outputs[0]).type;
        conv_ = Converter(in_, out_);
        const Shape& is = g.tensor(n.inputs[0]).shape;
        const Shape& os = g.tensor(n.outputs[0]).shape;
        const size_t rank = os.size();
        std::vector<int64_t> inStride(rank, 1);
        for (size_t k = rank; k-- > 1;) inStride[k - 1] = inStride[k] * is[k];
        // Source coordinate along input axis `ax` of output coordinate `o` along output axis `k` (-1: padding).
        auto coord = [&](size_t k, int o, size_t& ax) -> int {
            ax = k;
            if (auto* p = n.as<PadAttrs>()) {
                const int v = o - p->before[k];
                return v >= 0 && v < is[k] ? v : -1;
            }
            if (auto* u = n.as<UpsampleAttrs>()) return k < u->factor.size() ? o / u->factor[k] : o;
            ax = static_cast<size_t>(n.as<TransposeAttrs>()->perm[k]);
            return o;
        };
        const int64_t size = numElements(os);
        src_.resize(static_cast<size_t>(size));
        std::vector<int> idx(rank, 0);
        for (int64_t i = 0; i < size; ++i) {
            int64_t off = 0;
            for (size_t k = 0; k < rank && off >= 0; ++k) {
                size_t ax;
                const int v = coord(k, idx[k], ax);
                off = v < 0 ? -1 : off + v * inStride[ax];
            }
            src_[static_cast<size_t>(i)] = off;
            real_ += off >= 0;
            for (size_t k = rank; k-- > 0;) {  // next output coordinate, row-major
                if (++idx[k] < os[k]) break;
                idx[k] = 0;
            }
        }
    }

    void run(const int64_t* const* in, int64_t* out, OverflowStats& st) const override {
        const int64_t* x = in[0];
        const size_t n = src_.size();
        if (in_ == out_) {
            for (size_t i = 0; i < n; ++i) out[i] = src_[i] < 0 ? 0 : x[src_[i]];
            return;
        }
        int64_t ovf = 0;
        for (size_t i = 0; i < n; ++i) out[i] = src_[i] < 0 ? 0 : conv_(x[src_[i]], ovf);
        st.overflowed += ovf;
        st.conversions += real_;
    }

    void runFloat(const double* const* in, double* out) const override {
        for (size_t i = 0; i < src_.size(); ++i) out[i] = src_[i] < 0 ? 0.0 : in[0][src_[i]];
    }

private:
    FixedType in_, out_;
    Converter conv_;
    std::vector<int64_t> src_;
    int64_t real_ = 0;  // elements copied from the input
};

}  // namespace

std::unique_ptr<Kernel> makeSpatialKernel(const Graph& g, const Node& n) {
    if (n.as<ConvAttrs>()) {
        if (auto k = makeXnorConvKernel(g, n)) return k;  // binary weights on binary inputs (binary.cpp)
        return std::make_unique<ConvKernel>(g, n);
    }
    if (n.as<PoolAttrs>()) return std::make_unique<PoolKernel>(g, n);
    if (n.as<PadAttrs>() || n.as<UpsampleAttrs>() || n.as<TransposeAttrs>())
        return std::make_unique<GatherKernel>(g, n);
    internalError(__FILE__, __LINE__, std::string("no emulator kernel for op ") + opName(n.attrs));
}

}  // namespace nnfpga
