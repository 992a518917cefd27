// Kernels of the merge family: Merge (element-wise over N inputs, exact then one cast), Concat (copies with
// conversion), Dot (products cast to accum_t, summed in accum_t, one cast). Inputs may have different types:
// exact values are aligned to a common number of fractional bits before they are combined.
#include <algorithm>
#include <string>
#include <vector>

#include "kernels_internal.h"
#include "nnfpga/fixed/converter.h"
#include "nnfpga/fixed/quantize.h"
#include "nnfpga/support/diagnostics.h"

namespace nnfpga {

namespace {

// One step of an element-wise merge: v op x (Add and Average sum; Average scales the total afterwards).
template <class T>
T combine(MergeOp op, T v, T x) {
    switch (op) {
        case MergeOp::Subtract: return v - x;
        case MergeOp::Multiply: return v * x;
        case MergeOp::Maximum: return std::max(v, x);
        case MergeOp::Minimum: return std::min(v, x);
        case MergeOp::Add:
        case MergeOp::Average: return v + x;
    }
    return v + x;
}

// Element-wise merge. The exact result is computed in __int128 at `srcFrac_` fractional bits (Add, Subtract,
// Maximum, Minimum: the largest input frac; Average: that plus log2 n, the exact division by n = 2^k; Multiply: the
// sum of the input fracs), then converted once to the output type.
class MergeKernel final : public Kernel {
public:
    MergeKernel(const Graph& g, const Node& n) : op_(n.as<MergeAttrs>()->op) {
        out_ = g.tensor(n.outputs[0]).type;
        size_ = numElements(g.tensor(n.outputs[0]).shape);
        for (int t : n.inputs) types_.push_back(g.tensor(t).type);
        const int nIn = static_cast<int>(types_.size());
        int maxFrac = types_[0].frac();
        for (const FixedType& t : types_) maxFrac = std::max(maxFrac, t.frac());
        int bits = 0;  // bound on the magnitude bits of the exact result, sign included
        if (op_ == MergeOp::Multiply) {
            srcFrac_ = 0;
            for (const FixedType& t : types_) {
                srcFrac_ += t.frac();
                bits += t.width;
            }
            bits += 1;
        } else {
            for (const FixedType& t : types_) {
                shift_.push_back(maxFrac - t.frac());
                bits = std::max(bits, t.width + shift_.back());
            }
            bits += 1 + (op_ == MergeOp::Maximum || op_ == MergeOp::Minimum ? 0 : ceilLog2(nIn));
            srcFrac_ = maxFrac + (op_ == MergeOp::Average ? ceilLog2(nIn) : 0);
        }
        if (bits > 126)
            failAtLayer(n.name, n.kind,
                        "the exact " + std::string(toString(op_)) + " of these input types needs " +
                            std::to_string(bits) + " bits, at most 126 are supported");
        small_ = bits <= 62;
        if (small_) conv_ = Converter(srcFrac_, bits, out_);
    }

    void run(const int64_t* const* in, int64_t* out, OverflowStats& st) const override {
        const size_t nIn = types_.size();
        int64_t ovf = 0;
        QuantizeFlags f;
        for (int64_t i = 0; i < size_; ++i) {
            i128 v;
            if (op_ == MergeOp::Multiply) {
                v = in[0][i];
                for (size_t k = 1; k < nIn; ++k) v *= in[k][i];
            } else {
                v = static_cast<i128>(in[0][i]) << shift_[0];
                for (size_t k = 1; k < nIn; ++k) {
                    v = combine(op_, v, static_cast<i128>(in[k][i]) << shift_[k]);
                }
            }
            if (small_) {
                out[i] = conv_(static_cast<int64_t>(v), ovf);
            } else {
                out[i] = quantize(v, srcFrac_, out_, &f);
                ovf += f.overflowed;
            }
        }
        st.overflowed += ovf;
        st.conversions += size_;
    }

    void runFloat(const double* const* in, double* out) const override {
        const size_t nIn = types_.size();
        for (int64_t i = 0; i < size_; ++i) {
            double v = in[0][i];
            for (size_t k = 1; k < nIn; ++k) {
                v = combine(op_, v, in[k][i]);
            }
            out[i] = op_ == MergeOp::Average ? v / static_cast<double>(nIn) : v;
        }
    }

private:
    MergeOp op_;
    FixedType out_;
    std::vector<FixedType> types_;
    std::vector<int> shift_;  // per input: left shift onto the common frac
    int64_t size_ = 0;
    int srcFrac_ = 0;
    bool small_ = false;
    Converter conv_;
};

// Concatenation along `axis`: for each index over the axes before it, the blocks of every input in turn.
class ConcatKernel final : public Kernel {
public:
    ConcatKernel(const Graph& g, const Node& n) {
        const int axis = n.as<ConcatAttrs>()->axis;
        const FixedType& out = g.tensor(n.outputs[0]).type;
        const Shape& s0 = g.tensor(n.inputs[0]).shape;
        outer_ = 1;
        for (int k = 0; k < axis; ++k) outer_ *= s0[k];
        for (int t : n.inputs) {
            const Shape& s = g.tensor(t).shape;
            int64_t inner = 1;
            for (size_t k = static_cast<size_t>(axis); k < s.size(); ++k) inner *= s[k];
            inner_.push_back(inner);
            same_.push_back(g.tensor(t).type == out);
            conv_.emplace_back(g.tensor(t).type, out);
        }
    }

    void run(const int64_t* const* in, int64_t* out, OverflowStats& st) const override {
        int64_t ovf = 0, conversions = 0;
        for (int64_t o = 0; o < outer_; ++o)
            for (size_t k = 0; k < inner_.size(); ++k) {
                const int64_t* x = in[k] + o * inner_[k];
                if (same_[k]) {
                    out = std::copy(x, x + inner_[k], out);
                    continue;
                }
                for (int64_t e = 0; e < inner_[k]; ++e) *out++ = conv_[k](x[e], ovf);
                conversions += inner_[k];
            }
        st.overflowed += ovf;
        st.conversions += conversions;
    }

    void runFloat(const double* const* in, double* out) const override {
        for (int64_t o = 0; o < outer_; ++o)
            for (size_t k = 0; k < inner_.size(); ++k)
                out = std::copy(in[k] + o * inner_[k], in[k] + (o + 1) * inner_[k], out);
    }

private:
    int64_t outer_ = 1;
    std::vector<int64_t> inner_;  // per input: elements of one block (its axis and the axes after it)
    std::vector<bool> same_;      // per input: its type is the output's (a plain copy)
    std::vector<Converter> conv_;
};

// Dot product: acc = 0; acc += (accum_t)(a[i] * b[i]) in accum_t; result = (result_t) acc. Counted as Dense:
// every product, one accumulator check (WRAP: the exact total of the cast products), the result.
class DotKernel final : public Kernel {
public:
    DotKernel(const Graph& g, const Node& n) : accT_(n.as<DotAttrs>()->accumT) {
        out_ = g.tensor(n.outputs[0]).type;
        n_ = numElements(g.tensor(n.inputs[0]).shape);
        prodFrac_ = g.tensor(n.inputs[0]).type.frac() + g.tensor(n.inputs[1]).type.frac();
    }

    void run(const int64_t* const* in, int64_t* out, OverflowStats& st) const override {
        QuantizeFlags f;
        int64_t sum = 0;
        i128 exact = 0;
        bool sumOverflowed = false;
        for (int64_t i = 0; i < n_; ++i) {
            const int64_t m = quantize(static_cast<i128>(in[0][i]) * in[1][i], prodFrac_, accT_, &f);
            st.overflowed += f.overflowed;
            sum = quantize(static_cast<i128>(sum) + m, accT_.frac(), accT_, &f);
            sumOverflowed |= f.overflowed;
            exact += m;
        }
        if (accT_.overflow == Overflow::WRAP) sumOverflowed = exact < accT_.rawMin() || exact > accT_.rawMax();
        out[0] = quantize(sum, accT_.frac(), out_, &f);
        st.overflowed += sumOverflowed + f.overflowed;
        st.conversions += n_ + 2;
    }

    void runFloat(const double* const* in, double* out) const override {
        double s = 0.0;
        for (int64_t i = 0; i < n_; ++i) s += in[0][i] * in[1][i];
        out[0] = s;
    }

private:
    FixedType accT_, out_;
    int64_t n_ = 0;
    int prodFrac_ = 0;
};

}  // namespace

std::unique_ptr<Kernel> makeMergeKernel(const Graph& g, const Node& n) {
    if (n.as<MergeAttrs>()) return std::make_unique<MergeKernel>(g, n);
    if (n.as<ConcatAttrs>()) return std::make_unique<ConcatKernel>(g, n);
    if (n.as<DotAttrs>()) return std::make_unique<DotKernel>(g, n);
    internalError(__FILE__, __LINE__, std::string("no emulator kernel for op ") + opName(n.attrs));
}

}  // namespace nnfpga
