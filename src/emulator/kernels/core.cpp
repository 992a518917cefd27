// Kernels of the core family: Input (nothing to do), Reshape (a copy), BatchNorm (x*scale + bias, one cast),
// and the dispatch to Dense.
#include <algorithm>

#include "kernels_internal.h"
#include "nnfpga/fixed/quantize.h"
#include "nnfpga/support/diagnostics.h"

namespace nnfpga {

namespace {

class InputKernel final : public Kernel {
public:
    void run(const int64_t* const*, int64_t*, OverflowStats&) const override {}
    void runFloat(const double* const*, double*) const override {}
};

class ReshapeKernel final : public Kernel {
public:
    ReshapeKernel(const Graph& g, const Node& n)
        : size_(numElements(g.tensor(n.outputs[0]).shape)),
          in_(g.tensor(n.inputs[0]).type),
          out_(g.tensor(n.outputs[0]).type) {}
    void run(const int64_t* const* in, int64_t* out, OverflowStats& st) const override {
        if (in_ == out_) {
            std::copy(in[0], in[0] + size_, out);
            return;
        }
        QuantizeFlags f;
        for (int64_t i = 0; i < size_; ++i) {
            out[i] = quantize(in[0][i], in_.frac(), out_, &f);
            st.overflowed += f.overflowed;
        }
        st.conversions += size_;
    }
    void runFloat(const double* const* in, double* out) const override { std::copy(in[0], in[0] + size_, out); }

private:
    int64_t size_;
    FixedType in_, out_;
};

// hls4ml normalize(): res = (res_T)(x * scale[k] + bias[k]), exact product and sum.
class BatchNormKernel final : public Kernel {
public:
    BatchNormKernel(const Graph& g, const Node& n) : a_(*n.as<BatchNormAttrs>()) {
        in_ = g.tensor(n.inputs[0]).type;
        out_ = g.tensor(n.outputs[0]).type;
        size_ = numElements(g.tensor(n.inputs[0]).shape);
        for (int k = 0; k < a_.nFilt; ++k) {
            scale_.push_back(fromWeightText(a_.scale[k], a_.scaleT));
            bias_.push_back(fromWeightText(a_.bias[k], a_.biasT));
        }
        prodFrac_ = in_.frac() + a_.scaleT.frac();
        sumFrac_ = std::max(prodFrac_, a_.biasT.frac());
    }
    void run(const int64_t* const* in, int64_t* out, OverflowStats& st) const override {
        QuantizeFlags f;
        const int nf = a_.nFilt;
        const int ps = sumFrac_ - prodFrac_, bs = sumFrac_ - a_.biasT.frac();
        for (int64_t i = 0; i < size_; ++i) {
            const int k = static_cast<int>(i % nf);
            const i128 v = ((static_cast<i128>(in[0][i]) * scale_[k]) << ps) + (static_cast<i128>(bias_[k]) << bs);
            out[i] = quantize(v, sumFrac_, out_, &f);
            st.overflowed += f.overflowed;
        }
        st.conversions += size_;
    }
    void runFloat(const double* const* in, double* out) const override {
        const int nf = a_.nFilt;
        for (int64_t i = 0; i < size_; ++i) out[i] = in[0][i] * a_.scale[i % nf] + a_.bias[i % nf];
    }

private:
    const BatchNormAttrs& a_;
    FixedType in_, out_;
    int64_t size_ = 0;
    std::vector<int64_t> scale_, bias_;
    int prodFrac_ = 0, sumFrac_ = 0;
};

}  // namespace

std::unique_ptr<Kernel> makeCoreKernel(const Graph& g, const Node& n) {
    if (n.as<InputAttrs>()) return std::make_unique<InputKernel>();
    if (n.as<ReshapeAttrs>()) return std::make_unique<ReshapeKernel>(g, n);
    if (n.as<BatchNormAttrs>()) return std::make_unique<BatchNormKernel>(g, n);
    if (n.as<DenseAttrs>()) return makeDenseKernel(g, n);
    internalError(__FILE__, __LINE__, std::string("no emulator kernel for op ") + opName(n.attrs));
}

}  // namespace nnfpga
