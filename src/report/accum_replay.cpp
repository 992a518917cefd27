// Float replay of each accumulating layer family, in the order and with the conversion counting of its emulator
// kernel (docs/semantics.md): Dense, Conv and Dot sum products; Pool sums or takes the maximum of a window;
// Softmax sums exponentials in hls4ml's pairwise tree.
#include "accum_replay.h"

#include <algorithm>
#include <cmath>

namespace nnfpga {

namespace {

template <class... F>
struct Overloaded : F... {
    using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

// A row of accumulators. Counting follows the kernels: every product is one conversion; the running sum is one
// check per accumulator (WRAP: whether the exact total is outside the type, since transient wraps cancel; other
// modes: whether any step was). Every value the accumulator holds goes into the statistics.
class Accumulators {
public:
    Accumulators(const FixedType& t, ValueStats& s, size_t n)
        : t_(t), s_(s), wrap_(t.overflow == Overflow::WRAP), sum_(n), anyStep_(n) {}

    // Initial value (a bias): converted once, not counted, as in the kernels.
    void start(size_t k, double v) {
        sum_[k] = v;
        anyStep_[k] = false;
        if (v != 0) s_.add(v);
    }
    void product(size_t k, double p) {
        ++s_.checked;
        if (p == 0) return;  // the kernels skip zero products: the accumulator is unchanged
        s_.add(p);
        s_.outside += overflowsType(p, t_);
        term(k, p);
    }
    // A term added without a conversion of its own (pooling adds input values directly).
    void term(size_t k, double v) {
        sum_[k] += v;
        s_.add(sum_[k]);
        if (!wrap_ && !anyStep_[k]) anyStep_[k] = overflowsType(sum_[k], t_);
    }
    void finish() {
        for (size_t k = 0; k < sum_.size(); ++k) {
            ++s_.checked;
            s_.outside += wrap_ ? overflowsType(sum_[k], t_) : anyStep_[k];
        }
    }

private:
    const FixedType& t_;
    ValueStats& s_;
    bool wrap_;
    std::vector<double> sum_;
    std::vector<char> anyStep_;
};

void checked(double v, const FixedType& t, ValueStats& s) {
    s.add(v);
    ++s.checked;
    s.outside += overflowsType(v, t);
}

void replayDense(const DenseAttrs& a, const double* x, const FixedType& t, ValueStats& s) {
    Accumulators acc(t, s, a.nOut);
    for (int j = 0; j < a.nOut; ++j) acc.start(j, a.bias.empty() ? 0.0 : a.bias[j]);
    for (int i = 0; i < a.nIn; ++i) {
        const double* w = a.kernel.data() + static_cast<size_t>(i) * a.nOut;
        for (int j = 0; j < a.nOut; ++j) acc.product(j, x[i] * w[j]);
    }
    acc.finish();
}

void replayConv(const ConvAttrs& a, const double* x, const FixedType& t, ValueStats& s) {
    const Window& win = a.win;
    const int mult = a.depthMultiplier;
    Accumulators acc(t, s, a.nFilt);
    for (int oh = 0; oh < win.outH; ++oh)
        for (int ow = 0; ow < win.outW; ++ow) {
            for (int f = 0; f < a.nFilt; ++f) acc.start(f, a.bias.empty() ? 0.0 : a.bias[f]);
            for (int i = 0; i < win.kh; ++i)
                for (int j = 0; j < win.kw; ++j) {
                    int h = 0, w = 0;
                    if (!win.source(oh, ow, i, j, h, w)) continue;
                    const double* px = x + (static_cast<size_t>(h) * win.inW + w) * a.nChan;
                    const size_t tap = static_cast<size_t>(i) * win.kw + j;
                    for (int c = 0; c < a.nChan; ++c) {
                        if (a.depthwise()) {
                            const double* wt = a.kernel.data() + (tap * a.nChan + c) * mult;
                            for (int m = 0; m < mult; ++m)
                                acc.product(static_cast<size_t>(c) * mult + m, px[c] * wt[m]);
                        } else {
                            const double* wt = a.kernel.data() + (tap * a.nChan + c) * a.nFilt;
                            for (int f = 0; f < a.nFilt; ++f) acc.product(f, px[c] * wt[f]);
                        }
                    }
                }
            acc.finish();
        }
}

void replayPool(const PoolAttrs& a, const double* x, const FixedType& t, ValueStats& s) {
    Window win = a.win;
    if (a.global) {  // the whole input, one output pixel
        win = Window{};
        win.rank = a.win.rank;
        win.inH = win.kh = a.win.inH;
        win.inW = win.kw = a.win.inW;
    }
    Accumulators acc(t, s, a.nChan);
    for (int oh = 0; oh < win.outH; ++oh)
        for (int ow = 0; ow < win.outW; ++ow) {
            if (a.op == PoolOp::Average)
                for (int c = 0; c < a.nChan; ++c) acc.start(c, 0.0);
            std::vector<double> best(a.nChan, -INFINITY);
            bool any = false;
            for (int i = 0; i < win.kh; ++i)
                for (int j = 0; j < win.kw; ++j) {
                    int h = 0, w = 0;
                    if (!win.source(oh, ow, i, j, h, w)) continue;
                    any = true;
                    const double* px = x + (static_cast<size_t>(h) * win.inW + w) * a.nChan;
                    for (int c = 0; c < a.nChan; ++c) {
                        if (a.op == PoolOp::Average)
                            acc.term(c, px[c]);
                        else
                            best[c] = std::max(best[c], px[c]);
                    }
                }
            if (a.op == PoolOp::Average)
                acc.finish();
            else if (any)  // a window of padding only holds the input type's minimum: nothing observed
                for (int c = 0; c < a.nChan; ++c) checked(best[c], t, s);
        }
}

void replayDot(const Graph& g, const Node& n, const std::vector<std::vector<double>>& tensors, const FixedType& t,
               ValueStats& s) {
    const auto& a = tensors[n.inputs.at(0)];
    const auto& b = tensors[n.inputs.at(1)];
    Accumulators acc(t, s, 1);
    acc.start(0, 0.0);
    const int64_t len = numElements(g.tensor(n.inputs[0]).shape);
    for (int64_t i = 0; i < len; ++i) acc.product(0, a[i] * b[i]);
    acc.finish();
}

int floorLog2(int64_t v) {
    int r = 0;
    while (v >>= 1) ++r;
    return r;
}

// hls4ml's reduce(): split at the largest power of two below n; each pairwise sum is a conversion.
double reduceAdd(const double* v, int64_t n, const FixedType& t, ValueStats& s) {
    if (n == 1) return v[0];
    const int64_t left = n == 2 ? 1 : int64_t(1) << floorLog2(n - 1);
    const double sum = reduceAdd(v, left, t, s) + reduceAdd(v + left, n - left, t, s);
    checked(sum, t, s);
    return sum;
}

// Softmax over one axis: the whole tensor for rank <= 1, else the axis whose trailing elements number nInner
// (element o*slice*inner + j*inner + k), as the kernel lays it out.
void replaySoftmax(const SoftmaxAttrs& a, const Shape& shape, const double* x, const FixedType& t, ValueStats& s) {
    const int64_t size = numElements(shape);
    int64_t slice = size, inner = 1;
    if (shape.size() > 1) {
        int64_t trailing = 1;
        for (int d = static_cast<int>(shape.size()) - 1; d >= 0; --d) {
            if (trailing == a.nInner) {
                slice = shape[d];
                inner = a.nInner;
                break;
            }
            trailing *= shape[d];
        }
    }
    if (slice < 1) return;
    const int64_t outer = size / (slice * inner);
    std::vector<double> e(slice);
    for (int64_t o = 0; o < outer; ++o)
        for (int64_t k = 0; k < inner; ++k) {
            const double* base = x + o * slice * inner + k;
            double m = base[0];
            for (int64_t j = 1; j < slice; ++j) m = std::max(m, base[j * inner]);
            for (int64_t j = 0; j < slice; ++j) {
                e[j] = std::exp(a.impl == SoftmaxImpl::Stable ? base[j * inner] - m : base[j * inner]);
                checked(e[j], t, s);
            }
            reduceAdd(e.data(), slice, t, s);
        }
}

}  // namespace

bool hasAccum(const Node& n, FixedType* type) {
    return std::visit(Overloaded{
                          [&](const DenseAttrs& a) { return *type = a.accumT, true; },
                          [&](const ConvAttrs& a) { return *type = a.accumT, true; },
                          [&](const PoolAttrs& a) { return *type = a.accumT, true; },
                          [&](const DotAttrs& a) { return *type = a.accumT, true; },
                          [&](const SoftmaxAttrs& a) {
                              *type = a.accumT;
                              return a.impl == SoftmaxImpl::Stable || a.impl == SoftmaxImpl::Latency;
                          },
                          [](const InputAttrs&) { return false; },
                          [](const BatchNormAttrs&) { return false; },
                          [](const ReshapeAttrs&) { return false; },
                          [](const ActivationAttrs&) { return false; },
                          [](const PadAttrs&) { return false; },
                          [](const UpsampleAttrs&) { return false; },
                          [](const TransposeAttrs&) { return false; },
                          [](const MergeAttrs&) { return false; },
                          [](const ConcatAttrs&) { return false; },
                          [](const QuantizeAttrs&) { return false; },
                      },
                      n.attrs);
}

void replayAccum(const Graph& g, const Node& n, const std::vector<std::vector<double>>& tensors, const FixedType& t,
                 ValueStats& acc) {
    const double* x = n.inputs.empty() ? nullptr : tensors[n.inputs[0]].data();
    if (const auto* a = n.as<DenseAttrs>())
        replayDense(*a, x, t, acc);
    else if (const auto* c = n.as<ConvAttrs>())
        replayConv(*c, x, t, acc);
    else if (const auto* p = n.as<PoolAttrs>())
        replayPool(*p, x, t, acc);
    else if (n.as<DotAttrs>())
        replayDot(g, n, tensors, t, acc);
    else if (const auto* s = n.as<SoftmaxAttrs>())
        replaySoftmax(*s, g.tensor(n.inputs[0]).shape, x, t, acc);
}

}  // namespace nnfpga
