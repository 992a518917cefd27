// Softmax kernel (docs/semantics.md, "Softmax"): hls4ml's stable, latency, legacy and argmax variants, bit
// for bit, including the table-size limits of its Vivado backend and the accumulator adder tree. The tables
// come from nnfpga/emulator/tables.h, shared with the HLS backend.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "kernels_internal.h"
#include "nnfpga/emulator/kernel.h"
#include "nnfpga/emulator/tables.h"
#include "nnfpga/fixed/converter.h"
#include "nnfpga/fixed/quantize.h"
#include "nnfpga/support/diagnostics.h"

namespace nnfpga {

namespace {

// hls4ml's helper: floorlog2 is 0 for x < 2.
int floorLog2(int64_t x) {
    return x < 2 ? 0 : 1 + floorLog2(x / 2);
}

class SoftmaxKernel final : public Kernel {
public:
    SoftmaxKernel(const Graph& g, const Node& n) : a_(*n.as<SoftmaxAttrs>()) {
        in_ = g.tensor(n.inputs[0]).type;
        out_ = g.tensor(n.outputs[0]).type;
        const Shape& shape = g.tensor(n.inputs[0]).shape;
        size_ = numElements(shape);
        layout(n, shape);
        plan_ = softmaxPlan(n, in_);
        // The table variants' conversions specialised once (Converter reproduces quantize()), where every value
        // and product fits int64 with room to spare.
        const int accW = a_.accumT.width;
        convert_ = in_.width <= 60 && accW <= 60 && a_.expTableT.width <= 60 && accW + a_.invTableT.width <= 60;
        if (convert_) {
            toNorm_ = Converter(in_.frac(), in_.width + 1, plan_.inpNormT);
            expToAcc_ = Converter(a_.expTableT, a_.accumT);
            sumToAcc_ = Converter(a_.accumT.frac(), accW + 1, a_.accumT);
            toInvInp_ = Converter(a_.accumT, a_.invInpT);
            toOut_ = Converter(a_.accumT.frac() + a_.invTableT.frac(), accW + a_.invTableT.width, out_);
        }
    }

    void run(const int64_t* const* in, int64_t* out, OverflowStats& st) const override {
        thread_local std::vector<int64_t> x, y;
        x.resize(static_cast<size_t>(slice_));
        y.resize(static_cast<size_t>(slice_));
        for (int64_t o = 0; o < outer_; ++o) {
            for (int64_t k = 0; k < inner_; ++k) {
                const int64_t base = o * slice_ * inner_ + k;
                for (int64_t j = 0; j < slice_; ++j) x[j] = in[0][base + j * inner_];
                switch (a_.impl) {
                    case SoftmaxImpl::Stable:
                    case SoftmaxImpl::Latency:
                        if (convert_) convertedTableSoftmax(x, y, st);
                        else tableSoftmax(x, y, st);
                        break;
                    case SoftmaxImpl::Legacy:
                        legacySoftmax(x, y, st);
                        break;
                    case SoftmaxImpl::Argmax:
                        argmax(x, y, st);
                        break;
                }
                for (int64_t j = 0; j < slice_; ++j) out[base + j * inner_] = y[j];
            }
        }
    }

    // The framework's softmax (max subtracted) for every variant; argmax is hls4ml's approximation of it.
    void runFloat(const double* const* in, double* out) const override {
        std::vector<double> e(slice_);
        for (int64_t o = 0; o < outer_; ++o) {
            for (int64_t k = 0; k < inner_; ++k) {
                const int64_t base = o * slice_ * inner_ + k;
                double m = in[0][base];
                for (int64_t j = 1; j < slice_; ++j) m = std::max(m, in[0][base + j * inner_]);
                double sum = 0;
                for (int64_t j = 0; j < slice_; ++j) sum += e[j] = std::exp(in[0][base + j * inner_] - m);
                for (int64_t j = 0; j < slice_; ++j) out[base + j * inner_] = e[j] / sum;
            }
        }
    }

private:
    SoftmaxAttrs a_;
    FixedType in_, out_;
    int64_t size_ = 0, slice_ = 0, inner_ = 1, outer_ = 1;
    SoftmaxPlan plan_;
    bool convert_ = false;  // the table variants through the converters below
    Converter toNorm_, expToAcc_, sumToAcc_, toInvInp_, toOut_;

    [[noreturn]] static void fail(const Node& n, const std::string& msg) { failAtLayer(n.name, n.kind, msg); }

    // Softmax runs over one axis: the whole tensor for rank <= 1; otherwise the last axis, or the axis whose
    // trailing elements number nInner (hls4ml's softmax_multidim: element o*slice*inner + j*inner + k).
    void layout(const Node& n, const Shape& shape) {
        slice_ = size_;
        inner_ = 1;
        if (shape.size() > 1) {
            int64_t trailing = 1;
            int axis = -1;
            for (int d = static_cast<int>(shape.size()) - 1; d >= 0; --d) {
                if (trailing == a_.nInner) {
                    axis = d;
                    break;
                }
                trailing *= shape[d];
            }
            if (axis < 0) {
                fail(n, "n_inner " + std::to_string(a_.nInner) + " matches no axis of shape " + shapeStr(shape));
            }
            slice_ = shape[axis];
            inner_ = a_.nInner;
        } else if (a_.nInner != 1) {
            fail(n, "n_inner must be 1 for a rank-1 input, got " + std::to_string(a_.nInner));
        }
        if (slice_ < 1) fail(n, "softmax over an empty axis");
        outer_ = size_ / (slice_ * inner_);
    }

    static int64_t counted(i128 raw, int frac, const FixedType& t, OverflowStats& st) {
        QuantizeFlags f;
        const int64_t r = quantize(raw, frac, t, &f);
        ++st.conversions;
        st.overflowed += f.overflowed;
        return r;
    }

    // hls4ml's reduce(): split at the largest power of two below n, each pairwise sum cast to accum_t.
    int64_t reduceAdd(const int64_t* v, int64_t n, OverflowStats& st) const {
        if (n == 1) return v[0];
        const int fa = a_.accumT.frac();
        if (n == 2) return counted(static_cast<i128>(v[0]) + v[1], fa, a_.accumT, st);
        const int64_t left = int64_t(1) << floorLog2(n - 1);
        const int64_t l = reduceAdd(v, left, st);
        const int64_t r = reduceAdd(v + left, n - left, st);
        return counted(static_cast<i128>(l) + r, fa, a_.accumT, st);
    }

    // stable: exp(-(x_max - x_i)) from a table addressed by the difference; latency: exp(x_i) directly.
    void tableSoftmax(const std::vector<int64_t>& x, std::vector<int64_t>& y, OverflowStats& st) const {
        const int64_t n = slice_;
        std::vector<int64_t> e(n);
        const int fe = a_.expTableT.frac();
        if (a_.impl == SoftmaxImpl::Stable) {
            const int64_t xMax = *std::max_element(x.begin(), x.end());
            for (int64_t i = 0; i < n; ++i) {
                const int64_t d = counted(static_cast<i128>(xMax) - x[i], in_.frac(), plan_.inpNormT, st);
                e[i] = counted(plan_.exp.lookup(d), fe, a_.accumT, st);
            }
        } else {
            for (int64_t i = 0; i < n; ++i) e[i] = counted(plan_.exp.lookup(x[i]), fe, a_.accumT, st);
        }
        const int64_t sum = reduceAdd(e.data(), n, st);
        const int64_t sumInv = counted(sum, a_.accumT.frac(), a_.invInpT, st);
        const int64_t inv = plan_.inv.lookup(sumInv);
        const int fp = a_.accumT.frac() + a_.invTableT.frac();
        for (int64_t i = 0; i < n; ++i) y[i] = counted(static_cast<i128>(e[i]) * inv, fp, out_, st);
    }

    // reduceAdd with sumToAcc_; `conv` counts the conversions, `ovf` the overflows.
    int64_t reduceAddConverted(const int64_t* v, int64_t n, int64_t& conv, int64_t& ovf) const {
        if (n == 1) return v[0];
        ++conv;
        if (n == 2) return sumToAcc_(v[0] + v[1], ovf);
        const int64_t left = int64_t(1) << floorLog2(n - 1);
        const int64_t l = reduceAddConverted(v, left, conv, ovf);
        const int64_t r = reduceAddConverted(v + left, n - left, conv, ovf);
        return sumToAcc_(l + r, ovf);
    }

    // tableSoftmax with the conversions specialised once (convert_).
    void convertedTableSoftmax(const std::vector<int64_t>& x, std::vector<int64_t>& y, OverflowStats& st) const {
        const int64_t n = slice_;
        thread_local std::vector<int64_t> e;
        e.resize(static_cast<size_t>(n));
        int64_t conv = 0, ovf = 0;
        if (a_.impl == SoftmaxImpl::Stable) {
            const int64_t xMax = *std::max_element(x.begin(), x.end());
            for (int64_t i = 0; i < n; ++i) e[i] = expToAcc_(plan_.exp.lookup(toNorm_(xMax - x[i], ovf)), ovf);
            conv += 2 * n;
        } else {
            for (int64_t i = 0; i < n; ++i) e[i] = expToAcc_(plan_.exp.lookup(x[i]), ovf);
            conv += n;
        }
        const int64_t sum = reduceAddConverted(e.data(), n, conv, ovf);
        const int64_t inv = plan_.inv.lookup(toInvInp_(sum, ovf));
        for (int64_t i = 0; i < n; ++i) y[i] = toOut_(e[i] * inv, ovf);
        st.conversions += conv + 1 + n;
        st.overflowed += ovf;
    }

    // legacy: sum_j exp(x_j - x_i) in table_t from a [-8, 8) table, then a [0, 64) inverse table.
    void legacySoftmax(const std::vector<int64_t>& x, std::vector<int64_t>& y, OverflowStats& st) const {
        const int64_t n = slice_;
        const FixedType tableT = legacySoftmaxTableType();
        const int ft = tableT.frac();
        const int64_t one = fromDouble(1.0, tableT);
        for (int64_t i = 0; i < n; ++i) {
            int64_t acc = 0;
            for (int64_t j = 0; j < n; ++j) {
                int64_t term = one;
                if (j != i) {
                    const int64_t diff = x[j] - x[i];  // exact: one more bit than the input
                    int64_t idx = diffIndex(diff);
                    term = plan_.legacyExp.raw[idx];
                }
                acc = counted(static_cast<i128>(acc) + term, ft, tableT, st);
            }
            i128 num = static_cast<i128>(acc) * plan_.invSize;
            int64_t idx = static_cast<int64_t>(num / (i128(64) << ft));
            idx = std::clamp<int64_t>(idx, 0, plan_.invSize - 1);
            y[i] = counted(plan_.legacyInv.raw[idx], ft, out_, st);
        }
    }

    int64_t diffIndex(int64_t diff) const {
        const int f = in_.frac();
        i128 num = static_cast<i128>(diff) * plan_.expSize;
        i128 den = 16;
        if (f >= 0) {
            den <<= f;
        } else {
            num <<= -f;
        }
        const int64_t idx = static_cast<int64_t>(num / den) + 8 * plan_.expSize / 16;
        return std::clamp<int64_t>(idx, 0, plan_.expSize - 1);
    }

    // argmax: one-hot at the first maximum.
    void argmax(const std::vector<int64_t>& x, std::vector<int64_t>& y, OverflowStats& st) const {
        int64_t best = 0;
        for (int64_t i = 1; i < slice_; ++i) {
            if (x[i] > x[best]) best = i;
        }
        for (int64_t i = 0; i < slice_; ++i) y[i] = counted(i == best ? 1 : 0, 0, out_, st);
    }
};

}  // namespace

std::unique_ptr<Kernel> makeSoftmaxKernel(const Graph& g, const Node& n) {
    return std::make_unique<SoftmaxKernel>(g, n);
}

}  // namespace nnfpga
