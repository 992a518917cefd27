// Kernel of the quantizer family: each element converted to its own type, then held exactly in the result type.
// Float mode applies the same conversions to the double value (the framework's quantizer is part of its maths).
#include "nnfpga/emulator/kernel.h"
#include "nnfpga/fixed/quantize.h"

namespace nnfpga {

namespace {

class QuantizeKernel final : public Kernel {
public:
    QuantizeKernel(const Graph& g, const Node& n) : a_(*n.as<QuantizeAttrs>()) {
        in_ = g.tensor(n.inputs[0]).type;
        out_ = g.tensor(n.outputs[0]).type;
        size_ = numElements(g.tensor(n.inputs[0]).shape);
    }

    void run(const int64_t* const* in, int64_t* out, OverflowStats& st) const override {
        for (int64_t i = 0; i < size_; ++i) {
            const FixedType& t = a_.typeAt(i);
            if (isZeroWidth(t)) {
                out[i] = 0;
                continue;
            }
            const int64_t q = quantize(in[0][i], in_.frac(), t);
            out[i] = static_cast<int64_t>(static_cast<i128>(q) << (out_.frac() - t.frac()));  // exact: out_ holds t
        }
        // Not counted as overflow: wrapping or saturating is what the model's quantizer is defined to do (HGQ's
        // 'aggressive' proxies wrap on purpose).
        st.conversions += size_;
    }

    void runFloat(const double* const* in, double* out) const override {
        for (int64_t i = 0; i < size_; ++i) {
            const FixedType& t = a_.typeAt(i);
            out[i] = isZeroWidth(t) ? 0.0 : toDouble(fromDouble(in[0][i], t), t);
        }
    }

private:
    const QuantizeAttrs& a_;
    FixedType in_, out_;
    int64_t size_ = 0;
};

}  // namespace

std::unique_ptr<Kernel> makeQuantizeKernel(const Graph& g, const Node& n) { return std::make_unique<QuantizeKernel>(g, n); }

}  // namespace nnfpga
