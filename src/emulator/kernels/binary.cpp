// The multiplier-free Dense forms (nnfpga/emulator/dense_variants.h) and the XNOR-popcount kernels of Dense and
// plain convolutions: binary weights and binary (±1) inputs packed 64 to a word, one popcount per word and output. The other forms
// (binary or ternary weights with any input) are exact multiplications by ±1 and 0, which the ordinary Dense
// kernel's vectorized path already computes at full speed.
#include <algorithm>
#include <bit>

#include "kernels_internal.h"
#include "nnfpga/emulator/dense_variants.h"
#include "nnfpga/fixed/converter.h"
#include "nnfpga/fixed/quantize.h"

namespace nnfpga {

namespace {

// Raw value of +1 in type t (frac >= 0), or 0 when t cannot hold 1 exactly.
int64_t rawOne(const FixedType& t) {
    if (t.frac() < 0 || t.frac() > 62) return 0;
    const int64_t one = int64_t(1) << t.frac();
    return one <= t.rawMax() ? one : 0;
}

// The bias raw in accum_t (zeros when absent).
std::vector<int64_t> rawBias(const std::vector<double>& bias, const FixedType& biasT, const FixedType& accumT, int n) {
    std::vector<int64_t> b(n, 0);
    for (int j = 0; j < n && !bias.empty(); ++j) b[j] = quantize(fromWeightText(bias[j], biasT), biasT.frac(), accumT);
    return b;
}

// Whether the input tensor holds only +1 and -1: the output of a Binary activation whose values land on ±1.
bool binaryInput(const Graph& g, const Node& n) {
    const TensorInfo& t = g.tensor(n.inputs.at(0));
    if (t.producer < 0) return false;
    const auto* act = g.nodes.at(t.producer).as<ActivationAttrs>();
    if (!act || act->kind != ActKind::Binary) return false;
    const int64_t one = rawOne(t.type);
    return one != 0 && fromDouble(act->hi, t.type) == one && fromDouble(act->lo, t.type) == -one;
}

// Whether every ±1 product and every partial sum of up to `terms` of them after a bias of `bias` (raw in acc) is
// exact in acc, so that a popcount and one conversion equal the product-by-product accumulation: a signed type
// holding 1, and WRAP (modular sums) or a range holding |bias| + terms.
bool xnorSumsExact(const FixedType& acc, const std::vector<int64_t>& bias, int64_t terms) {
    const int64_t accOne = rawOne(acc);
    if (!acc.isSigned || accOne == 0 || acc.width > 62) return false;
    if (acc.overflow == Overflow::WRAP) return true;
    int64_t top = 0;
    for (int64_t b : bias) top = std::max(top, b < 0 ? -b : b);
    return top + terms * accOne <= acc.rawMax();
}

// Whether every weight is +1 or -1 in its type.
bool binaryWeights(const std::vector<double>& kernel, const FixedType& t) {
    const int64_t one = rawOne(t);
    return one != 0 && !kernel.empty() && std::all_of(kernel.begin(), kernel.end(), [&](double v) {
        const int64_t r = fromWeightText(v, t);
        return r == one || r == -one;
    });
}

class XnorDenseKernel final : public Kernel {
public:
    XnorDenseKernel(const Graph& g, const Node& n) : a_(*n.as<DenseAttrs>()) {
        out_ = g.tensor(n.outputs[0]).type;
        words_ = (a_.nIn + 63) / 64;
        w_.assign(static_cast<size_t>(a_.nOut) * words_, 0);
        for (int i = 0; i < a_.nIn; ++i)
            for (int j = 0; j < a_.nOut; ++j)
                if (fromWeightText(a_.kernel[static_cast<size_t>(i) * a_.nOut + j], a_.weightT) > 0)
                    w_[static_cast<size_t>(j) * words_ + i / 64] |= uint64_t(1) << (i % 64);
        tailMask_ = a_.nIn % 64 ? (uint64_t(1) << (a_.nIn % 64)) - 1 : ~uint64_t(0);
        biasAcc_ = rawBias(a_.bias, a_.biasT, a_.accumT, a_.nOut);
        accOne_ = rawOne(a_.accumT);
        toResult_ = Converter(a_.accumT, out_);
    }

    void run(const int64_t* const* in, int64_t* out, OverflowStats& st) const override {
        const int64_t* x = in[0];
        thread_local std::vector<uint64_t> xb;
        xb.assign(words_, 0);
        for (int i = 0; i < a_.nIn; ++i)
            if (x[i] > 0) xb[i / 64] |= uint64_t(1) << (i % 64);
        const FixedType& acc = a_.accumT;
        int64_t ovf = 0;
        for (int j = 0; j < a_.nOut; ++j) {
            const uint64_t* w = w_.data() + static_cast<size_t>(j) * words_;
            int pop = 0;
            for (int k = 0; k < words_; ++k) {
                const uint64_t same = ~(xb[k] ^ w[k]) & (k == words_ - 1 ? tailMask_ : ~uint64_t(0));
                pop += std::popcount(same);
            }
            const int64_t exact = biasAcc_[j] + static_cast<int64_t>(2 * pop - a_.nIn) * accOne_;
            const bool outside = exact < acc.rawMin() || exact > acc.rawMax();
            ovf += outside;
            out[j] = toResult_(outside ? wrapToWidth(exact, acc.width) : exact, ovf);
        }
        st.overflowed += ovf;
        st.conversions += static_cast<int64_t>(a_.nIn) * a_.nOut + 2 * a_.nOut;
    }

    void runFloat(const double* const* in, double* out) const override {
        const double* x = in[0];
        for (int j = 0; j < a_.nOut; ++j) out[j] = a_.bias.empty() ? 0.0 : a_.bias[j];
        for (int i = 0; i < a_.nIn; ++i)
            for (int j = 0; j < a_.nOut; ++j) out[j] += x[i] * a_.kernel[static_cast<size_t>(i) * a_.nOut + j];
    }

private:
    const DenseAttrs& a_;
    FixedType out_;
    int64_t accOne_ = 0;
    int words_ = 0;
    uint64_t tailMask_ = 0;
    std::vector<uint64_t> w_;  // per output: nIn bits, 1 for +1
    std::vector<int64_t> biasAcc_;
    Converter toResult_;
};

// A plain convolution of binary weights on binary inputs: per output pixel and filter, the input pixels' channel
// bits against the filter's weight bits tap by tap, one popcount per word; sum = bias + 2 * pop - n over the n
// real taps x channels (padding taps add nothing), one conversion (xnorSumsExact holds).
class XnorConvKernel final : public Kernel {
public:
    XnorConvKernel(const Graph& g, const Node& n) : a_(*n.as<ConvAttrs>()), taps_(a_.win) {
        out_ = g.tensor(n.outputs[0]).type;
        const int nChan = a_.nChan, nFilt = a_.nFilt, nTaps = a_.win.kh * a_.win.kw;
        words_ = (nChan + 63) / 64;
        w_.assign(static_cast<size_t>(nTaps) * nFilt * words_, 0);
        for (int t = 0; t < nTaps; ++t)
            for (int c = 0; c < nChan; ++c)
                for (int k = 0; k < nFilt; ++k)
                    if (fromWeightText(a_.kernel[(static_cast<size_t>(t) * nChan + c) * nFilt + k], a_.weightT) > 0)
                        w_[(static_cast<size_t>(t) * nFilt + k) * words_ + c / 64] |= uint64_t(1) << (c % 64);
        tailMask_ = nChan % 64 ? (uint64_t(1) << (nChan % 64)) - 1 : ~uint64_t(0);
        biasAcc_ = rawBias(a_.bias, a_.biasT, a_.accumT, nFilt);
        accOne_ = rawOne(a_.accumT);
        toResult_ = Converter(a_.accumT, out_);
        products_ = static_cast<int64_t>(taps_.taps.size()) * nChan * nFilt;
    }

    void run(const int64_t* const* in, int64_t* out, OverflowStats& st) const override {
        const int64_t* x = in[0];
        const int nChan = a_.nChan, nFilt = a_.nFilt, inPixels = a_.win.inH * a_.win.inW;
        thread_local std::vector<uint64_t> xb;
        xb.assign(static_cast<size_t>(inPixels) * words_, 0);
        for (int p = 0; p < inPixels; ++p)
            for (int c = 0; c < nChan; ++c)
                if (x[static_cast<size_t>(p) * nChan + c] > 0)
                    xb[static_cast<size_t>(p) * words_ + c / 64] |= uint64_t(1) << (c % 64);
        const FixedType& acc = a_.accumT;
        int64_t ovf = 0;
        for (int p = 0; p < taps_.pixels(); ++p) {
            const int64_t terms = static_cast<int64_t>(taps_.count(p)) * nChan;
            for (int k = 0; k < nFilt; ++k) {
                int64_t pop = 0;
                for (int t = taps_.begin[p]; t < taps_.begin[p + 1]; ++t) {
                    const uint64_t* xs = xb.data() + static_cast<size_t>(taps_.taps[t].pixel) * words_;
                    const uint64_t* ws = w_.data() + (static_cast<size_t>(taps_.taps[t].index) * nFilt + k) * words_;
                    for (int i = 0; i < words_; ++i)
                        pop += std::popcount(~(xs[i] ^ ws[i]) & (i == words_ - 1 ? tailMask_ : ~uint64_t(0)));
                }
                const int64_t exact = biasAcc_[k] + (2 * pop - terms) * accOne_;
                const bool outside = exact < acc.rawMin() || exact > acc.rawMax();
                ovf += outside;
                out[static_cast<size_t>(p) * nFilt + k] = toResult_(outside ? wrapToWidth(exact, acc.width) : exact, ovf);
            }
        }
        st.overflowed += ovf;
        st.conversions += products_ + 2 * static_cast<int64_t>(nFilt) * taps_.pixels();
    }

    void runFloat(const double* const* in, double* out) const override { convFloat(a_, taps_, in[0], out); }

private:
    const ConvAttrs& a_;
    TapList taps_;
    FixedType out_;
    int64_t accOne_ = 0, products_ = 0;
    int words_ = 0;
    uint64_t tailMask_ = 0;
    std::vector<uint64_t> w_;  // per tap and filter: nChan bits, 1 for +1
    std::vector<int64_t> biasAcc_;
    Converter toResult_;
};

}  // namespace

std::unique_ptr<Kernel> makeXnorConvKernel(const Graph& g, const Node& n) {
    const ConvAttrs& a = *n.as<ConvAttrs>();
    if (a.depthwise() || !convXnor(g, n) ||
        !xnorSumsExact(a.accumT, rawBias(a.bias, a.biasT, a.accumT, a.nFilt),
                       static_cast<int64_t>(a.win.kh) * a.win.kw * a.nChan))
        return nullptr;
    return std::make_unique<XnorConvKernel>(g, n);
}

const char* toString(DenseProduct p) {
    switch (p) {
        case DenseProduct::Multiply: return "multiply";
        case DenseProduct::BinaryWeight: return "binary weights";
        case DenseProduct::TernaryWeight: return "ternary weights";
        case DenseProduct::Xnor: return "xnor-popcount";
        case DenseProduct::Po2Shift: return "hls4ml power-of-two shift";
    }
    return "?";
}

DenseProduct denseProduct(const Graph& g, const Node& n) {
    const DenseAttrs& a = *n.as<DenseAttrs>();
    if (a.po2.type) return DenseProduct::Po2Shift;
    const int64_t one = rawOne(a.weightT);
    if (one == 0 || a.kernel.empty()) return DenseProduct::Multiply;
    bool zero = false;
    for (double v : a.kernel) {
        const int64_t r = fromWeightText(v, a.weightT);
        if (r == 0) zero = true;
        else if (r != one && r != -one) return DenseProduct::Multiply;
    }
    if (zero) return DenseProduct::TernaryWeight;
    if (!binaryInput(g, n)) return DenseProduct::BinaryWeight;
    // Xnor sums exactly: each ±1 product and every partial sum must be exact in accum_t.
    return xnorSumsExact(a.accumT, rawBias(a.bias, a.biasT, a.accumT, a.nOut), a.nIn) ? DenseProduct::Xnor : DenseProduct::BinaryWeight;
}

bool convXnor(const Graph& g, const Node& n) {
    const ConvAttrs& a = *n.as<ConvAttrs>();
    return !a.po2.type && binaryWeights(a.kernel, a.weightT) && binaryInput(g, n);
}

std::unique_ptr<Kernel> makeXnorDenseKernel(const Graph& g, const Node& n) {
    if (denseProduct(g, n) != DenseProduct::Xnor) return nullptr;
    return std::make_unique<XnorDenseKernel>(g, n);
}

}  // namespace nnfpga
