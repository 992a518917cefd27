// Dense kernel: hls4ml's latency/resource dense numerics (each product cast to accum_t, accumulated in accum_t,
// one cast to the result type). A vectorizable int32 path covers the usual TRN/WRAP accumulators; the general
// path handles every rounding and overflow mode one conversion at a time.
#include "kernels_internal.h"

#include "nnfpga/fixed/converter.h"
#include "nnfpga/fixed/quantize.h"

namespace nnfpga {

namespace {

int magnitudeBits(const FixedType& t) { return t.isSigned ? t.width - 1 : t.width; }

// One input row of the vectorized path: acc[j] += wrap_accW(floor(xi * w[j] / 2^s)) (or * 2^-s for s < 0), all
// in int32; returns how many products did not fit accum_t. Compiled for AVX-512, AVX2 and baseline x86-64.
__attribute__((target_clones("avx512f", "avx2", "default"))) int32_t accumulateRow(int32_t xi, const int32_t* w,
                                                                                     int64_t* acc, int nOut, int s,
                                                                                     int up) {
    int32_t ovf = 0;
    if (s >= 0) {
        for (int j = 0; j < nOut; ++j) {
            const int32_t m = (xi * w[j]) >> s;  // floor: TRN into accum_t's grid
            const int32_t mw = static_cast<int32_t>(static_cast<uint32_t>(m) << up) >> up;  // wrap to accW
            ovf += (m != mw);
            acc[j] += mw;
        }
    } else {
        const int32_t scale = 1 << -s;
        for (int j = 0; j < nOut; ++j) {
            const int32_t m = (xi * w[j]) * scale;
            const int32_t mw = static_cast<int32_t>(static_cast<uint32_t>(m) << up) >> up;
            ovf += (m != mw);
            acc[j] += mw;
        }
    }
    return ovf;
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
        const FixedType& acc = a_.accumT;
        prodFrac_ = in_.frac() + a_.weightT.frac();
        shift_ = prodFrac_ - acc.frac();
        fast_ = acc.overflow == Overflow::WRAP && acc.isSigned && (acc.rounding == Rounding::TRN || shift_ <= 0) &&
                acc.width <= 32 && magnitudeBits(in_) + magnitudeBits(a_.weightT) <= 30 && shift_ >= -30 &&
                shift_ <= 62 && in_.width <= 32;
        toResult_ = Converter(acc, out_);
        if (fast_) {
            w32_.resize(w_.size());
            for (size_t k = 0; k < w_.size(); ++k) w32_[k] = static_cast<int32_t>(w_[k]);
            // A left shift of the product must stay in int32: otherwise use the general path.
            if (shift_ < 0 && magnitudeBits(in_) + magnitudeBits(a_.weightT) - shift_ > 30) fast_ = false;
        }
        wf_ = a_.kernel;
        bf_ = a_.bias;
    }

    void run(const int64_t* const* in, int64_t* out, OverflowStats& st) const override {
        if (fast_) runFast(in[0], out, st);
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
                int64_t m = quantize(static_cast<i128>(x[i]) * w, prodFrac_, acc, &f);
                st.overflowed += f.overflowed;
                sum = quantize(static_cast<i128>(sum) + m, acc.frac(), acc, &f);
                sumOverflowed |= f.overflowed;
                exact += m;
            }
            if (acc.overflow == Overflow::WRAP) sumOverflowed = exact < acc.rawMin() || exact > acc.rawMax();
            out[j] = quantize(sum, acc.frac(), out_, &f);
            st.overflowed += sumOverflowed + f.overflowed;
        }
        st.conversions += static_cast<int64_t>(nIn) * nOut + 2 * nOut;
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
        const int64_t mask = (int64_t(1) << accT.width) - 1, sign = int64_t(1) << (accT.width - 1);
        int64_t sumOverflows = 0;
        for (int j = 0; j < nOut; ++j) {
            const int64_t exact = acc[j];
            sumOverflows += (exact < lo || exact > hi);
            const int64_t wrapped = ((exact & mask) ^ sign) - sign;  // two's complement wrap to accW bits
            out[j] = toResult_(wrapped, sumOverflows);
        }
        st.overflowed += prodOverflows + sumOverflows;
        st.conversions += static_cast<int64_t>(nIn) * nOut + 2 * nOut;
    }

    static std::vector<int64_t>& scratch() {
        thread_local std::vector<int64_t> buf;
        return buf;
    }

    const DenseAttrs& a_;
    FixedType in_, out_;
    std::vector<int64_t> w_, biasAcc_;
    std::vector<int32_t> w32_;
    std::vector<double> wf_, bf_;
    Converter toResult_;
    int prodFrac_ = 0, shift_ = 0;
    bool fast_ = false;
};

}  // namespace

std::unique_ptr<Kernel> makeDenseKernel(const Graph& g, const Node& n) { return std::make_unique<DenseKernel>(g, n); }

}  // namespace nnfpga
