// Plain stride-1 convolutions with few filters, output pixels in the vector lanes: the input is copied once per
// layer into zero-padded int32 channel planes, and every output pixel of a padded row-major grid is one lane, so
// that tap (i, j) of channel c is one contiguous load per 16 pixels and a weight is a broadcast scalar.
#include <algorithm>
#include <cstring>

#include "kernels_internal.h"
#include "nnfpga/fixed/converter.h"

namespace nnfpga {

namespace {

constexpr int kLanes = 16;

// The result conversion of 16 exact sums (Args::convert): count the sums outside accum_t, wrap them to it, then
// Converter's shift, rounding (TRN/RND) and overflow (WRAP/SAT) into the result type, counting what did not fit.
// Range checks compare a value with its own wrap (no vector comparisons, which AVX-512F without DQ lowers to
// scalar code).
__attribute__((always_inline)) inline void convertLanes(I32x16& v, const ConvPixelLanes::Args& p, I32x16& o) {
    const I32x16 w = reinterpret_cast<I32x16>(reinterpret_cast<U32x16>(v) << p.up) >> p.up;
    countDiffers(o, v, w);
    I32x16 q;
    if (p.shift > 0) q = p.rnd ? ((w >> (p.shift - 1)) + 1) >> 1 : w >> p.shift;
    else q = reinterpret_cast<I32x16>(reinterpret_cast<U32x16>(w) << -p.shift);
    const I32x16 qw = p.outSigned ? reinterpret_cast<I32x16>(reinterpret_cast<U32x16>(q) << p.outUp) >> p.outUp
                                  : q & p.outMask;
    I32x16 bad = {};
    countDiffers(bad, q, qw);
    o += bad;
    if (p.outWrap) {
        v = qw;
        return;
    }
    // Saturation: an out-of-range negative value is below the range, any other above it.
    const I32x16 neg = q >> 31, all = -bad;
    v = (all & ((neg & p.outLo) | (~neg & p.outHi))) | (~all & q);
}

// One group of K filters over every lane block of the grid: sums[k*nq + q] = bias[k] + sum over terms t of
// floor(plane[off[t] + q] * w[t*K + k] / 2^r) * 2^l, each product wrapped to accW (up = 32 - accW) when Wrap;
// with p.convert, the sums converted to the result (convertLanes). The caller guarantees that no sum leaves
// int32. Returns how many products (and conversions) of the lanes that mask marks (-1) did not fit; the other
// lanes are outside the output and are never read.
template <int K, bool Wrap>
__attribute__((always_inline)) inline int32_t laneSums(const ConvPixelLanes::Args& p) {
    int32_t ovf = 0;
    for (int q = 0; q < p.nq; q += kLanes) {
        I32x16 a[K], o = {};
        for (int k = 0; k < K; ++k) a[k] = I32x16{} + p.bias[k];
        for (int t = 0; t < p.nTerms; ++t) {
            I32x16 xv;
            std::memcpy(&xv, p.plane + p.off[t] + q, sizeof xv);
            const int32_t* w = p.w + static_cast<size_t>(t) * K;
            for (int k = 0; k < K; ++k) {
                const I32x16 m = reinterpret_cast<I32x16>(reinterpret_cast<U32x16>((xv * w[k]) >> p.r) << p.l);
                if constexpr (Wrap) {
                    const I32x16 mw = reinterpret_cast<I32x16>(reinterpret_cast<U32x16>(m) << p.up) >> p.up;
                    countDiffers(o, m, mw);
                    a[k] += mw;
                } else {
                    a[k] += m;
                }
            }
        }
        if (p.convert)
            for (int k = 0; k < K; ++k) convertLanes(a[k], p, o);
        for (int k = 0; k < K; ++k) std::memcpy(p.sums + static_cast<size_t>(k) * p.nq + q, &a[k], sizeof a[k]);
        if (Wrap || p.convert) {
            I32x16 valid;
            std::memcpy(&valid, p.mask + q, sizeof valid);
            o &= valid;
            for (int k = 0; k < kLanes; ++k) ovf += o[k];
        }
    }
    return ovf;
}

// One instruction-set dispatch per filter group.
__attribute__((target_clones("avx512f", "avx2", "default"))) int32_t laneSums1(const ConvPixelLanes::Args& p) {
    return p.wrap ? laneSums<1, true>(p) : laneSums<1, false>(p);
}
__attribute__((target_clones("avx512f", "avx2", "default"))) int32_t laneSums2(const ConvPixelLanes::Args& p) {
    return p.wrap ? laneSums<2, true>(p) : laneSums<2, false>(p);
}
__attribute__((target_clones("avx512f", "avx2", "default"))) int32_t laneSums4(const ConvPixelLanes::Args& p) {
    return p.wrap ? laneSums<4, true>(p) : laneSums<4, false>(p);
}
__attribute__((target_clones("avx512f", "avx2", "default"))) int32_t laneSums8(const ConvPixelLanes::Args& p) {
    return p.wrap ? laneSums<8, true>(p) : laneSums<8, false>(p);
}

}  // namespace

std::unique_ptr<ConvPixelLanes> ConvPixelLanes::make(const ConvAttrs& a, const std::vector<int64_t>& w,
                                                     const std::vector<int64_t>& bias, const FixedType& in, int shift,
                                                     const FixedType& accum, const FixedType& out) {
    const Window& win = a.win;
    if (a.depthwise() || a.nFilt > kMaxFilters || win.sh != 1 || win.sw != 1 || win.inDilH != 1 ||
        win.inDilW != 1 || win.padTop < 0 || win.padBottom < 0 || win.padLeft < 0 || win.padRight < 0)
        return nullptr;
    auto c = std::unique_ptr<ConvPixelLanes>(new ConvPixelLanes());
    c->inH_ = win.inH, c->inW_ = win.inW, c->nChan_ = a.nChan, c->nFilt_ = a.nFilt;
    c->padTop_ = win.padTop, c->padLeft_ = win.padLeft, c->outH_ = win.outH, c->outW_ = win.outW;
    // The grid: wide and tall enough for the input with its padding and for every window.
    c->hp_ = std::max(win.padTop + win.inH + win.padBottom, win.outH + (win.kh - 1) * win.dh);
    c->wp_ = std::max(win.padLeft + win.inW + win.padRight, win.outW + (win.kw - 1) * win.dw);
    const int plane = c->hp_ * c->wp_;
    c->nq_ = ((win.outH - 1) * c->wp_ + win.outW + kLanes - 1) / kLanes * kLanes;
    c->planeSize_ = static_cast<size_t>(a.nChan - 1) * plane + (win.kh - 1) * win.dh * c->wp_ +
                    (win.kw - 1) * win.dw + c->nq_;
    c->planeSize_ = std::max(c->planeSize_, static_cast<size_t>(a.nChan) * plane);
    c->mask_.assign(static_cast<size_t>(c->nq_), 0);
    for (int oh = 0; oh < win.outH; ++oh)
        for (int ow = 0; ow < win.outW; ++ow) c->mask_[static_cast<size_t>(oh) * c->wp_ + ow] = -1;
    c->r_ = std::max(shift, 0), c->l_ = std::max(-shift, 0), c->up_ = 32 - accum.width;
    c->wrap_ = !productsFit(w, in, shift, accum);
    c->accum_ = accum;
    c->toResult_ = Converter(accum, out);
    // The result conversion in the lanes where int32 holds every step (as Converter: TRN/RND, WRAP/SAT).
    const int convShift = accum.frac() - out.frac();
    c->convert_ = accum.width <= 30 && out.width <= 30 &&
                  (convShift <= 0 || out.rounding == Rounding::TRN || out.rounding == Rounding::RND) &&
                  (out.overflow == Overflow::WRAP || out.overflow == Overflow::SAT) && convShift <= 30 &&
                  accum.width - convShift <= 30;
    c->shift_ = convShift;
    c->rnd_ = out.rounding == Rounding::RND;
    // Filter groups of 8, 4, 2 or 1 lanes' worth of accumulators; (c, i, j) terms whose weights are all zero in a
    // group are left out, since a zero product leaves the sums unchanged.
    for (int first = 0; first < a.nFilt;) {
        Group g;
        const int left = a.nFilt - first;
        g.k = left >= 8 ? 8 : left > 2 ? 4 : left;
        g.first = first;
        g.count = std::min(g.k, left);
        for (int k = 0; k < g.k; ++k) g.bias.push_back(k < g.count ? static_cast<int32_t>(bias[first + k]) : 0);
        for (int ch = 0; ch < a.nChan; ++ch)
            for (int i = 0; i < win.kh; ++i)
                for (int j = 0; j < win.kw; ++j) {
                    const size_t row = (static_cast<size_t>(i * win.kw + j) * a.nChan + ch) * a.nFilt;
                    bool any = false;
                    for (int k = 0; k < g.count; ++k) any |= w[row + first + k] != 0;
                    if (!any) continue;
                    g.off.push_back(ch * plane + i * win.dh * c->wp_ + j * win.dw);
                    for (int k = 0; k < g.k; ++k)
                        g.w.push_back(k < g.count ? static_cast<int32_t>(w[row + first + k]) : 0);
                }
        c->groups_.push_back(std::move(g));
        first += c->groups_.back().count;
    }
    return c;
}

int64_t ConvPixelLanes::run(const int64_t* x, int64_t* out) const {
    thread_local std::vector<int32_t> plane, sums;
    plane.resize(planeSize_);
    sums.resize(static_cast<size_t>(nq_) * 8);
    // Zero-padded channel planes.
    int32_t* pp = plane.data();
    for (int ch = 0; ch < nChan_; ++ch)
        for (int hp = 0; hp < hp_; ++hp) {
            int32_t* row = pp + (static_cast<size_t>(ch) * hp_ + hp) * wp_;
            const int h = hp - padTop_;
            if (h < 0 || h >= inH_) {
                std::fill(row, row + wp_, 0);
                continue;
            }
            std::fill(row, row + padLeft_, 0);
            const int64_t* src = x + static_cast<size_t>(h) * inW_ * nChan_ + ch;
            for (int v = 0; v < inW_; ++v) row[padLeft_ + v] = static_cast<int32_t>(src[static_cast<size_t>(v) * nChan_]);
            std::fill(row + padLeft_ + inW_, row + wp_, 0);
        }
    std::fill(plane.begin() + static_cast<ptrdiff_t>(nChan_) * hp_ * wp_, plane.end(), 0);
    int64_t ovf = 0;
    const FixedType& ot = toResult_.dst();
    Args args{};
    args.plane = pp, args.mask = mask_.data(), args.nq = nq_, args.r = r_, args.l = l_, args.up = up_;
    args.wrap = wrap_, args.sums = sums.data(), args.convert = convert_;
    args.accLo = static_cast<int32_t>(accum_.rawMin()), args.accHi = static_cast<int32_t>(accum_.rawMax());
    if (convert_) {
        args.outLo = static_cast<int32_t>(ot.rawMin()), args.outHi = static_cast<int32_t>(ot.rawMax());
        args.outMask = static_cast<int32_t>((int64_t(1) << ot.width) - 1), args.outUp = 32 - ot.width;
        args.shift = shift_, args.rnd = rnd_, args.outWrap = ot.overflow == Overflow::WRAP;
        args.outSigned = ot.isSigned;
    }
    for (const Group& g : groups_) {
        args.off = g.off.data(), args.nTerms = static_cast<int>(g.off.size()), args.w = g.w.data();
        args.bias = g.bias.data();
        ovf += (g.k == 8 ? laneSums8 : g.k == 4 ? laneSums4 : g.k == 2 ? laneSums2 : laneSums1)(args);
        for (int k = 0; k < g.count; ++k) {
            const int32_t* s = sums.data() + static_cast<size_t>(k) * nq_;
            int64_t* y = out + g.first + k;
            for (int oh = 0; oh < outH_; ++oh)
                for (int ow = 0; ow < outW_; ++ow) {
                    const int32_t v = s[static_cast<size_t>(oh) * wp_ + ow];
                    int64_t& dst = y[(static_cast<size_t>(oh) * outW_ + ow) * nFilt_];
                    if (convert_) {
                        dst = v;
                        continue;
                    }
                    ovf += v < args.accLo || v > args.accHi;
                    dst = toResult_(wrapToWidth(v, accum_.width), ovf);
                }
        }
    }
    return ovf;
}

}  // namespace nnfpga
