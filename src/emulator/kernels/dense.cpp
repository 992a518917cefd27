// Dense kernel: hls4ml's latency/resource dense numerics (each product cast to accum_t, accumulated in accum_t,
// one cast to the result type). A vectorizable int32 path covers the usual TRN/WRAP accumulators; the general
// path handles every rounding and overflow mode one conversion at a time.
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

__attribute__((target_clones("avx512f", "avx2", "default"))) int32_t accumulateRow(int32_t xi, const int32_t* w,
                                                                                     int64_t* acc, int nOut, int s,
                                                                                     int up) {
    return accumulateRowInline(xi, w, acc, nOut, s, up);
}

namespace {

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
        fast_ = int32Accumulation(in_, a_.weightT, a_.accumT, shift_);
        toResult_ = Converter(a_.accumT, out_);
        if (fast_) {
            w32_.resize(w_.size());
            for (size_t k = 0; k < w_.size(); ++k) w32_[k] = static_cast<int32_t>(w_[k]);
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
        int64_t sumOverflows = 0;
        for (int j = 0; j < nOut; ++j) {
            const int64_t exact = acc[j];
            sumOverflows += (exact < lo || exact > hi);
            out[j] = toResult_(wrapToWidth(exact, accT.width), sumOverflows);
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

std::unique_ptr<Kernel> makeDenseKernel(const Graph& g, const Node& n) {
    if (auto k = makeXnorDenseKernel(g, n)) return k;  // binary weights on binary inputs (dense_binary.cpp)
    return std::make_unique<DenseKernel>(g, n);
}

}  // namespace nnfpga
