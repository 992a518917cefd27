// Dense kernel: hls4ml's latency/resource dense numerics (each product cast to accum_t, accumulated in accum_t,
// one cast to the result type). A vectorizable int32 path covers the usual TRN/WRAP accumulators; the general
// path handles every rounding and overflow mode one conversion at a time.
#include <algorithm>
#include <optional>

#include "kernels_internal.h"
#include "nnfpga/fixed/converter.h"
#include "nnfpga/fixed/quantize.h"

namespace nnfpga {

namespace {
int magnitudeBits(const FixedType& t) { return t.isSigned ? t.width - 1 : t.width; }
}  // namespace

bool int32Accumulation(const FixedType& in, const FixedType& weight, const FixedType& acc, int& shift) {
    shift = in.frac() + weight.frac() - acc.frac();
    const int prodBits = magnitudeBits(in) + magnitudeBits(weight);
    // A right shift of 31 already reduces every product (|p| < 2^30) to 0 or -1, so larger shifts need not be
    // supported; a left shift must keep the product inside int32.
    return acc.overflow == Overflow::WRAP && acc.isSigned && (acc.rounding == Rounding::TRN || shift <= 0) &&
           acc.width <= 32 && in.width <= 32 && prodBits <= 30 && shift <= 31 && (shift >= 0 || prodBits - shift <= 30);
}

bool productsFit(const std::vector<int64_t>& w, const FixedType& in, int shift, const FixedType& accum) {
    // floor(p / 2^r) * 2^l is monotone in p = x*w, so the extremes of x*w decide.
    int64_t pmin = 0, pmax = 0;
    for (int64_t v : w)
        for (int64_t x : {in.rawMin(), in.rawMax()}) pmin = std::min(pmin, x * v), pmax = std::max(pmax, x * v);
    const int r = std::max(shift, 0), l = std::max(-shift, 0);
    auto product = [&](int64_t p) { return (p >> r) * (int64_t(1) << l); };
    return product(pmin) >= accum.rawMin() && product(pmax) <= accum.rawMax();
}

int64_t Po2ShiftProduct::operator()(int64_t x, int64_t w, int64_t& overflowed) const {
    QuantizeFlags f;
    bool wrapped = false;
    const int64_t xr = quantize(x, xFrac_, t_, &f);
    wrapped |= f.overflowed;
    int64_t m = quantize(static_cast<i128>(xr) * (w < 0 ? -static_cast<i128>(w) : static_cast<i128>(w)),
                         t_.frac() + wFrac_, t_, &f);
    wrapped |= f.overflowed;
    if (w < 0) {
        m = quantize(-static_cast<i128>(m), t_.frac(), t_, &f);
        wrapped |= f.overflowed;
    }
    overflowed += wrapped;
    return m;
}

__attribute__((target_clones("avx512f", "avx2", "default"))) int32_t accumulateRow(int32_t xi, const int32_t* w,
                                                                                     int64_t* acc, int nOut, int s,
                                                                                     int up) {
    return accumulateRowInline(xi, w, acc, nOut, s, up);
}

namespace {

// The blocked int32 sums of a whole layer in blocks of B lanes over its n nonzero inputs (macBlocks), one
// instruction-set dispatch per sample.
template <class V, class U>
__attribute__((always_inline)) inline int32_t denseBlocks(const int32_t* xs, const int32_t* rows, int n,
                                                          const int32_t* w, const int32_t* bias, int32_t* acc,
                                                          int nOutPad, int r, int l, int up, bool wrap) {
    return wrap ? macBlocks<V, U, true>(xs, rows, n, w, bias, acc, nOutPad, r, l, up)
                : macBlocks<V, U, false>(xs, rows, n, w, bias, acc, nOutPad, r, l, up);
}

__attribute__((target_clones("avx512f", "avx2", "default"))) int32_t denseBlocks16(
    const int32_t* xs, const int32_t* rows, int n, const int32_t* w, const int32_t* bias, int32_t* acc, int nOutPad,
    int r, int l, int up, bool wrap) {
    return denseBlocks<I32x16, U32x16>(xs, rows, n, w, bias, acc, nOutPad, r, l, up, wrap);
}

__attribute__((target_clones("avx512f", "avx2", "default"))) int32_t denseBlocks8(
    const int32_t* xs, const int32_t* rows, int n, const int32_t* w, const int32_t* bias, int32_t* acc, int nOutPad,
    int r, int l, int up, bool wrap) {
    return denseBlocks<I32x8, U32x8>(xs, rows, n, w, bias, acc, nOutPad, r, l, up, wrap);
}

__attribute__((target_clones("avx512f", "avx2", "default"))) int32_t denseBlocks4(
    const int32_t* xs, const int32_t* rows, int n, const int32_t* w, const int32_t* bias, int32_t* acc, int nOutPad,
    int r, int l, int up, bool wrap) {
    return denseBlocks<I32x4, U32x4>(xs, rows, n, w, bias, acc, nOutPad, r, l, up, wrap);
}

class DenseKernel final : public Kernel {
public:
    DenseKernel(const Graph& g, const Node& n) : a_(*n.as<DenseAttrs>()) {
        in_ = g.tensor(n.inputs[0]).type;
        out_ = g.tensor(n.outputs[0]).type;
        w_.resize(a_.kernel.size());
        for (size_t k = 0; k < w_.size(); ++k) w_[k] = fromWeightText(a_.kernel[k], a_.weightT);
        // Absent bias: zeros (hls4ml uses ap_uint<1> zeros).
        biasAcc_.assign(a_.nOut, 0);
        for (int j = 0; j < a_.nOut && !a_.bias.empty(); ++j) {
            int64_t b = fromWeightText(a_.bias[j], a_.biasT);
            biasAcc_[j] = quantize(b, a_.biasT.frac(), a_.accumT);
        }
        prodFrac_ = in_.frac() + a_.weightT.frac();
        if (a_.po2.type) po2_.emplace(*a_.po2.type, in_.frac(), a_.weightT.frac());
        fast_ = !po2_ && int32Accumulation(in_, a_.weightT, a_.accumT, shift_);
        toResult_ = Converter(a_.accumT, out_);
        if (fast_) {
            w32_.resize(w_.size());
            for (size_t k = 0; k < w_.size(); ++k) w32_[k] = static_cast<int32_t>(w_[k]);
        }
        // Sums that cannot leave int32 (every term and the bias are accum_t values): register-blocked int32 sums,
        // the outputs padded to the block size.
        blocked_ = fast_ && (int64_t(a_.nIn + 1) << (a_.accumT.width - 1)) <= (int64_t(1) << 31);
        if (blocked_) {
            block_ = a_.nOut > 8 ? 16 : a_.nOut > 4 ? 8 : 4;
            nOutPad_ = (a_.nOut + block_ - 1) / block_ * block_;
            w32_.assign(static_cast<size_t>(a_.nIn) * nOutPad_, 0);
            for (int i = 0; i < a_.nIn; ++i)
                for (int j = 0; j < a_.nOut; ++j)
                    w32_[static_cast<size_t>(i) * nOutPad_ + j] =
                        static_cast<int32_t>(w_[static_cast<size_t>(i) * a_.nOut + j]);
            bias32_.assign(static_cast<size_t>(nOutPad_), 0);
            std::copy(biasAcc_.begin(), biasAcc_.end(), bias32_.begin());
            wrap_ = !productsFit(w_, in_, shift_, a_.accumT);
        }
        wf_ = a_.kernel;
        bf_ = a_.bias;
    }

    void run(const int64_t* const* in, int64_t* out, OverflowStats& st) const override {
        if (blocked_) runBlocked(in[0], out, st);
        else if (fast_) runFast(in[0], out, st);
        else runGeneral(in[0], out, st);
    }

    void runFloat(const double* const* in, double* out) const override {
        const double* x = in[0];
        const int nIn = a_.nIn, nOut = a_.nOut;
        for (int j = 0; j < nOut; ++j) out[j] = bf_.empty() ? 0.0 : bf_[j];
        for (int i = 0; i < nIn; ++i) {
            const double xi = x[i];
            const double* w = wf_.data() + static_cast<size_t>(i) * nOut;
            for (int j = 0; j < nOut; ++j) out[j] += xi * w[j];
        }
    }

private:
    // Counting (both paths alike): every product conversion, one accumulator check per output (did any step
    // of the running sum overflow), one result conversion per output.
    void runGeneral(const int64_t* x, int64_t* out, OverflowStats& st) const {
        const FixedType& acc = a_.accumT;
        const int nIn = a_.nIn, nOut = a_.nOut;
        QuantizeFlags f;
        for (int j = 0; j < nOut; ++j) {
            int64_t sum = biasAcc_[j];
            i128 exact = sum;  // WRAP: transient wraps cancel, so only the exact total's range counts
            bool sumOverflowed = false;
            for (int i = 0; i < nIn; ++i) {
                const int64_t w = w_[static_cast<size_t>(i) * nOut + j];
                if (w == 0 || x[i] == 0) continue;  // a zero product leaves the accumulator unchanged in every mode
                int64_t m = po2_ ? quantize((*po2_)(x[i], w, st.overflowed), po2_->frac(), acc, &f)
                                 : quantize(static_cast<i128>(x[i]) * w, prodFrac_, acc, &f);
                st.overflowed += f.overflowed;
                sum = quantize(static_cast<i128>(sum) + m, acc.frac(), acc, &f);
                sumOverflowed |= f.overflowed;
                exact += m;
            }
            if (acc.overflow == Overflow::WRAP) sumOverflowed = exact < acc.rawMin() || exact > acc.rawMax();
            out[j] = quantize(sum, acc.frac(), out_, &f);
            st.overflowed += sumOverflowed + f.overflowed;
        }
        st.conversions += (po2_ ? 2 : 1) * static_cast<int64_t>(nIn) * nOut + 2 * nOut;
    }

    void runFast(const int64_t* x, int64_t* out, OverflowStats& st) const {
        const int nIn = a_.nIn, nOut = a_.nOut;
        const int accW = a_.accumT.width;
        const int up = 32 - accW;
        std::vector<int64_t>& acc = scratch();
        acc.assign(biasAcc_.begin(), biasAcc_.end());
        int64_t prodOverflows = 0;
        const int s = shift_;
        for (int i = 0; i < nIn; ++i) {
            const int32_t xi = static_cast<int32_t>(x[i]);
            if (xi == 0) continue;
            prodOverflows += accumulateRow(xi, w32_.data() + static_cast<size_t>(i) * nOut, acc.data(), nOut, s, up);
        }
        // The running sum wraps in accum_t at every step; modular arithmetic lets us wrap once at the end.
        const FixedType& accT = a_.accumT;
        const int64_t lo = accT.rawMin(), hi = accT.rawMax();
        int64_t sumOverflows = 0;
        for (int j = 0; j < nOut; ++j) {
            const int64_t exact = acc[j];
            sumOverflows += (exact < lo || exact > hi);
            out[j] = toResult_(wrapToWidth(exact, accT.width), sumOverflows);
        }
        st.overflowed += prodOverflows + sumOverflows;
        st.conversions += static_cast<int64_t>(nIn) * nOut + 2 * nOut;
    }

    // The nonzero inputs with their weight rows, the blocked sums, then runFast's conversions and counting.
    void runBlocked(const int64_t* x, int64_t* out, OverflowStats& st) const {
        const int nIn = a_.nIn, nOut = a_.nOut, accW = a_.accumT.width;
        thread_local std::vector<int32_t> xs, rows, acc;
        xs.resize(static_cast<size_t>(nIn));
        rows.resize(static_cast<size_t>(nIn));
        acc.resize(static_cast<size_t>(nOutPad_));
        int n = 0;
        for (int i = 0; i < nIn; ++i) {
            xs[n] = static_cast<int32_t>(x[i]);
            rows[n] = i * nOutPad_;
            n += x[i] != 0;
        }
        const int r = std::max(shift_, 0), l = std::max(-shift_, 0), up = 32 - accW;
        int64_t overflows = (block_ == 16 ? denseBlocks16 : block_ == 8 ? denseBlocks8 : denseBlocks4)(
            xs.data(), rows.data(), n, w32_.data(), bias32_.data(), acc.data(), nOutPad_, r, l, up, wrap_);
        const int64_t lo = a_.accumT.rawMin(), hi = a_.accumT.rawMax();
        for (int j = 0; j < nOut; ++j) {
            overflows += acc[j] < lo || acc[j] > hi;
            out[j] = toResult_(wrapToWidth(acc[j], accW), overflows);
        }
        st.overflowed += overflows;
        st.conversions += static_cast<int64_t>(nIn) * nOut + 2 * nOut;
    }

    static std::vector<int64_t>& scratch() {
        thread_local std::vector<int64_t> buf;
        return buf;
    }

    const DenseAttrs& a_;
    FixedType in_, out_;
    std::vector<int64_t> w_, biasAcc_;
    std::vector<int32_t> w32_, bias32_;  // blocked: rows padded to nOutPad_
    std::vector<double> wf_, bf_;
    Converter toResult_;
    std::optional<Po2ShiftProduct> po2_;  // hls4ml's power-of-two product; only the general path
    int prodFrac_ = 0, shift_ = 0, block_ = 0, nOutPad_ = 0;
    bool fast_ = false, blocked_ = false, wrap_ = true;
};

}  // namespace

std::unique_ptr<Kernel> makeDenseKernel(const Graph& g, const Node& n) {
    if (auto k = makeXnorDenseKernel(g, n)) return k;  // binary weights on binary inputs (binary.cpp)
    return std::make_unique<DenseKernel>(g, n);
}

}  // namespace nnfpga
