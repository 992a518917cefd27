// bit_exact_widths (Model.BitExact / --bit-exact): derives accumulator and result widths from the value ranges
// that the input types and the quantized weights allow, so that no value can overflow and no bit is wasted
// (docs/semantics.md, "Bit-exact widths"). Runs after infer_precision and replaces its choices.
#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

#include "nnfpga/fixed/quantize.h"
#include "nnfpga/passes/pass.h"
#include "nnfpga/support/diagnostics.h"

namespace nnfpga {

namespace {

// The exact range of a value: [lo, hi] * 2^-frac of the tensor it belongs to.
struct Range {
    i128 lo = 0, hi = 0;
};

// Every value a tensor can hold: one range per channel (index on the last axis), all at one resolution.
struct Ranges {
    int frac = 0;
    std::vector<Range> ch;
};

// Past this magnitude a range cannot belong to a type of kMaxWidth bits; clamping keeps the i128 arithmetic far
// from overflow, and the width check reports it.
constexpr i128 kHuge = i128(1) << 100;

i128 clampHuge(i128 v) { return std::clamp(v, -kHuge, kHuge); }
i128 up(i128 v, int s) { return clampHuge(s >= 64 ? (v == 0 ? 0 : (v > 0 ? kHuge : -kHuge)) : v * (i128(1) << s)); }
Range upRange(Range r, int s) { return {up(r.lo, s), up(r.hi, s)}; }
Range hull(Range a, Range b) { return {std::min(a.lo, b.lo), std::max(a.hi, b.hi)}; }
Range withZero(Range r) { return hull(r, Range{0, 0}); }
Range add(Range a, Range b) { return {clampHuge(a.lo + b.lo), clampHuge(a.hi + b.hi)}; }
Range times(Range a, Range b) {
    const i128 c[4] = {a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi};  // |operands| <= 2^100: no overflow
    auto [mn, mx] = std::minmax_element(c, c + 4);
    return {clampHuge(*mn), clampHuge(*mx)};
}
Range scaleBy(Range a, i128 w) { return times(a, Range{w, w}); }

Range hullAll(const Ranges& r) {
    Range h = r.ch.at(0);
    for (const Range& x : r.ch) h = hull(h, x);
    return h;
}

// The same ranges at a finer resolution.
Ranges refine(const Ranges& r, int frac) {
    Ranges o{frac, {}};
    for (const Range& x : r.ch) o.ch.push_back(upRange(x, frac - r.frac));
    return o;
}

// Channel c of `r` for a tensor of `n` channels: ranges of another channel count collapse to their hull.
Range channel(const Ranges& r, size_t c) { return r.ch.size() == 1 ? r.ch[0] : r.ch.at(c); }
Ranges collapse(const Ranges& r, size_t n) {
    Ranges o{r.frac, std::vector<Range>(n, hullAll(r))};
    if (r.ch.size() == n) o.ch = r.ch;
    return o;
}

// Minimal signed width holding v (a raw value), and the minimal unsigned width (v >= 0).
int signedBits(i128 v) {
    int b = 1;
    while (v < -(i128(1) << (b - 1)) || v > (i128(1) << (b - 1)) - 1) ++b;
    return b;
}
int unsignedBits(i128 v) {
    int b = 0;
    while (v > (i128(1) << b) - 1) ++b;
    return b;
}

// The narrowest type holding every raw value of `r` at resolution `frac`.
FixedType cover(Range r, int frac, Rounding rnd) {
    const bool s = r.lo < 0;
    const int w = std::max(1, s ? std::max(signedBits(r.lo), signedBits(r.hi)) : unsignedBits(r.hi));
    return FixedType::fixed(w, w - frac, s, rnd, Overflow::WRAP);
}

// Raw values of a type's whole range.
Range typeRange(const FixedType& t) { return {t.rawMin(), t.rawMax()}; }

// What a value range becomes once converted to `t`: the converted bounds (conversion is monotonic), or t's whole
// range when a WRAP type cannot hold them.
Range convertRange(Range r, int frac, const FixedType& t) {
    QuantizeFlags a, b;
    const Range q{quantize(r.lo, frac, t, &a), quantize(r.hi, frac, t, &b)};
    if ((a.overflowed || b.overflowed) && t.overflow == Overflow::WRAP) return typeRange(t);
    return q;
}

// Trailing zero bits of a nonzero raw value.
int trailingZeros(int64_t v) {
    int z = 0;
    while (z < 62 && (v & 1) == 0) {
        v >>= 1;
        ++z;
    }
    return z;
}

// A constant array quantized to its type and then re-typed to the narrowest type holding the same values: the
// values (rewritten exactly into `v`) are unchanged, only bits that are always zero or always sign go.
struct Constants {
    std::vector<int64_t> raw;
    int frac = 0;
};
Constants narrowConstants(std::vector<double>& v, FixedType& t, bool retype) {
    Constants c{std::vector<int64_t>(v.size()), t.frac()};
    for (size_t k = 0; k < v.size(); ++k) c.raw[k] = fromWeightText(v[k], t);
    if (!retype || v.empty()) return c;
    int tz = 62;
    Range r{0, 0};
    for (int64_t x : c.raw)
        if (x != 0) {
            tz = std::min(tz, trailingZeros(x));
            r = hull(r, Range{x, x});
        }
    if (tz == 62) tz = 0;  // all zero
    const int drop = std::max(0, std::min(tz, c.frac - std::min(c.frac, 0)));
    for (int64_t& x : c.raw) x >>= drop;
    c.frac -= drop;
    r = {r.lo >> drop, r.hi >> drop};
    FixedType n = cover(r, c.frac, Rounding::TRN);
    n.overflow = t.overflow;
    n.rounding = t.rounding;
    t = n;
    for (size_t k = 0; k < v.size(); ++k) v[k] = std::ldexp(static_cast<double>(c.raw[k]), -c.frac);
    return c;
}

class BitExactWidths final : public Pass {
public:
    const char* name() const override { return "bit_exact_widths"; }
    const char* summary() const override { return "derive exact accumulator and result widths (BitExact mode)"; }
    const char* description() const override {
        return "Only with Model.BitExact: true or --bit-exact. Propagates per-channel value ranges from the input "
               "types through the quantized weights: weight, bias and scale types shrink to the narrowest type "
               "holding the same values; Dense, Conv, Dot and pooling accumulators become the narrowest type "
               "holding every sum exactly; results of exact layers (Dense, Conv, BatchNorm, ReLU, linear, leaky "
               "ReLU, merges, pooling, layout) keep the configured fractional bits (all of them when configured "
               "'auto' or left exact by a quantizer) and get just enough integer bits to never overflow; "
               "sigmoid, tanh, softsign, softplus, ELU, SELU, hard sigmoid and softmax results get the integer "
               "bits of their bounded output. Types fixed by the model's quantizers or by a LayerName entry are "
               "kept.";
    }

    bool run(Graph& g, PassContext& ctx) override {
        if (!ctx.config.bitExact()) return false;
        cfg_ = &ctx.config;
        ranges_.assign(g.tensors.size(), Ranges{});
        for (int t : g.inputs) {
            const FixedType& ty = g.tensor(t).type;
            ranges_[t] = Ranges{ty.frac(), {typeRange(ty)}};
        }
        for (Node& n : g.nodes) {
            if (n.as<InputAttrs>()) continue;
            const auto* d = n.as<DenseAttrs>();
            const auto* c = n.as<ConvAttrs>();
            if ((d && d->po2.type) || (c && c->po2.type))
                failAtLayer(n.name, n.kind,
                            "BitExact cannot be combined with Po2Product: hls4ml (the exact widths need exact "
                            "products; hls4ml's power-of-two products truncate)");
            node_ = &n;
            g_ = &g;
            std::visit([&](auto& a) { derive(a); }, n.attrs);
            const FixedType& out = g.tensor(n.outputs[0]).type;
            if (out.width > kMaxWidth)
                failAtLayer(n.name, n.kind,
                            "bit-exact result type " + out.str() + " is wider than " + std::to_string(kMaxWidth) +
                                " bits; set a narrower input or result precision");
        }
        return true;
    }

private:
    const Ranges& in(size_t k = 0) const { return ranges_.at(node_->inputs.at(k)); }
    TensorInfo& out() { return g_->tensor(node_->outputs[0]); }
    size_t outChannels() { return static_cast<size_t>(out().shape.back()); }
    void setOut(Ranges r) { ranges_.at(node_->outputs[0]) = std::move(r); }

    bool has(const std::vector<std::string>& v, const std::string& var) const {
        return std::find(v.begin(), v.end(), var) != v.end();
    }
    // The configuration or the model fixes this variable: keep it.
    bool pinned(const std::string& var) const {
        if (cfg_->layerNameSetsPrecision(node_->name, var)) return true;
        return has(node_->modelTypes, var) && !has(node_->modelAutoTypes, var);
    }
    // Whether the variable was left to inference ('auto', or exact by the model's quantizer).
    bool exact(const std::string& var) const {
        return has(node_->modelAutoTypes, var) || cfg_->precision(node_->name, node_->kind, var) == "auto";
    }

    // The output of an exact computation whose values lie in `r` (per channel, at r.frac): a pinned result type
    // is kept, otherwise the configured fractional bits (or all of r's) with the integer bits of the range.
    void result(const Ranges& r, bool lossless = true) {
        FixedType& t = out().type;
        Ranges o{t.frac(), {}};
        if (pinned("result")) {
            for (const Range& x : r.ch) o.ch.push_back(convertRange(x, r.frac, t));
            return setOut(std::move(o));
        }
        const int frac = lossless && exact("result") ? r.frac : std::min(r.frac, t.frac());
        o.frac = frac;
        for (const Range& x : r.ch)  // rounding is monotonic: the rounded bounds bound every rounded value
            o.ch.push_back({roundShift(x.lo, r.frac - frac, t.rounding), roundShift(x.hi, r.frac - frac, t.rounding)});
        t = cover(hullAll(o), frac, frac < r.frac ? t.rounding : Rounding::TRN);
        setOut(std::move(o));
    }
    // A result bounded by [lo, hi] (an activation's output range), at the configured resolution.
    void boundedResult(double lo, double hi) {
        FixedType& t = out().type;
        if (pinned("result")) return setOut(Ranges{t.frac(), {typeRange(t)}});
        const int f = t.frac();
        const Range r{static_cast<i128>(std::floor(std::ldexp(lo, f))), static_cast<i128>(std::ceil(std::ldexp(hi, f)))};
        t = cover(r, f, t.rounding);
        setOut(Ranges{f, {r}});
    }
    // The largest value of a range set, as a double rounded up (0 for a non-positive range).
    static double upperBound(const Ranges& r) {
        return std::max(0.0, std::ldexp(static_cast<double>(hullAll(r).hi), -r.frac) * (1 + 1e-12));
    }
    // An output the pass does not derive: whatever its type holds.
    void keep() { setOut(Ranges{out().type.frac(), {typeRange(out().type)}}); }

    void setAccum(FixedType& accum, Range r, int frac) {
        if (pinned("accum") || cfg_->namedType(node_->name, node_->kind, "accum_t")) return;
        accum = cover(r, frac, Rounding::TRN);
        if (accum.width > kMaxWidth)
            failAtLayer(node_->name, node_->kind,
                        "bit-exact accumulator " + accum.str() + " is wider than " + std::to_string(kMaxWidth) +
                            " bits; set a narrower input or weight precision");
    }

    // Sum ranges of a weighted sum: acc[j] = bias[j] + sum over i of w(i, j) * x(i).
    template <class Terms>
    Ranges weightedSums(int nOut, const Constants& b, int prodFrac, int accFrac, Terms&& terms) {
        Ranges acc{accFrac, {}};
        for (int j = 0; j < nOut; ++j) {
            Range s = b.raw.empty() ? Range{0, 0} : upRange(Range{b.raw[j], b.raw[j]}, accFrac - b.frac);
            terms(j, [&](Range x, int64_t w) { s = add(s, upRange(scaleBy(x, w), accFrac - prodFrac)); });
            acc.ch.push_back(s);
        }
        return acc;
    }

    void derive(InputAttrs&) {}
    void derive(DenseAttrs& a) {
        const Ranges x = collapse(in(), static_cast<size_t>(a.nIn));
        const Constants w = narrowConstants(a.kernel, a.weightT, !pinned("weight") && a.weightT.width > 2);
        const Constants b = narrowConstants(a.bias, a.biasT, !pinned("bias"));
        const int prodFrac = x.frac + w.frac, accFrac = std::max(prodFrac, a.bias.empty() ? prodFrac : b.frac);
        const Ranges acc = weightedSums(a.nOut, b, prodFrac, accFrac, [&](int j, auto&& addTerm) {
            for (int i = 0; i < a.nIn; ++i) addTerm(x.ch[i], w.raw[static_cast<size_t>(i) * a.nOut + j]);
        });
        setAccum(a.accumT, hullAll(acc), accFrac);
        result(acc);
    }
    void derive(ConvAttrs& a) {
        // Padding and the zeros of a transposed convolution: every tap may also read 0.
        Ranges x = collapse(in(), static_cast<size_t>(a.nChan));
        for (Range& r : x.ch) r = withZero(r);
        const Constants w = narrowConstants(a.kernel, a.weightT, !pinned("weight"));
        const Constants b = narrowConstants(a.bias, a.biasT, !pinned("bias"));
        const int prodFrac = x.frac + w.frac, accFrac = std::max(prodFrac, a.bias.empty() ? prodFrac : b.frac);
        const int taps = a.win.kh * a.win.kw;
        const Ranges acc = weightedSums(a.nFilt, b, prodFrac, accFrac, [&](int f, auto&& addTerm) {
            for (int t = 0; t < taps; ++t) {
                if (a.depthwise()) {
                    const int c = f / a.depthMultiplier;
                    addTerm(x.ch[c], w.raw[static_cast<size_t>(t) * a.nChan * a.depthMultiplier + f]);
                } else {
                    for (int c = 0; c < a.nChan; ++c)
                        addTerm(x.ch[c], w.raw[(static_cast<size_t>(t) * a.nChan + c) * a.nFilt + f]);
                }
            }
        });
        setAccum(a.accumT, hullAll(acc), accFrac);
        result(acc);
    }
    void derive(BatchNormAttrs& a) {
        const Ranges x = collapse(in(), static_cast<size_t>(a.nFilt));
        const Constants s = narrowConstants(a.scale, a.scaleT, !pinned("scale"));
        const Constants b = narrowConstants(a.bias, a.biasT, !pinned("bias"));
        const int prodFrac = x.frac + s.frac, sumFrac = std::max(prodFrac, b.frac);
        Ranges y{sumFrac, {}};
        for (int k = 0; k < a.nFilt; ++k)
            y.ch.push_back(add(upRange(scaleBy(x.ch[k], s.raw[k]), sumFrac - prodFrac),
                               upRange(Range{b.raw[k], b.raw[k]}, sumFrac - b.frac)));
        result(y);
    }
    void derive(ReshapeAttrs&) {
        // In place: the output keeps the input's type and, over a new channel axis, the hull of its ranges.
        out().type = g_->tensor(node_->inputs[0]).type;
        setOut(collapse(in(), outChannels()));
    }
    void derive(ActivationAttrs& a) {
        const Ranges& x = in();
        Ranges y = x;
        switch (a.kind) {
            case ActKind::Linear:
                return result(x);
            case ActKind::Relu:
                for (Range& r : y.ch) r = {std::max<i128>(r.lo, 0), std::max<i128>(r.hi, 0)};
                return result(y);
            case ActKind::ThresholdedRelu:
                for (Range& r : y.ch) r = withZero(r);
                return result(y);
            case ActKind::LeakyRelu:
            case ActKind::PRelu: {
                // x > 0: x; otherwise x * alpha, at the product's resolution.
                std::vector<double> alphas = a.kind == ActKind::PRelu ? a.alpha : std::vector<double>{a.param};
                const Constants al = narrowConstants(alphas, a.paramT, false);
                Range ar{al.raw.at(0), al.raw.at(0)};
                for (int64_t v : al.raw) ar = hull(ar, Range{v, v});
                y.frac = x.frac + std::max(0, al.frac);
                y.ch.clear();
                for (const Range& r : x.ch) {
                    const Range pos{std::max<i128>(r.lo, 0), std::max<i128>(r.hi, 0)};
                    const Range neg = times(Range{std::min<i128>(r.lo, 0), std::min<i128>(r.hi, 0)}, ar);
                    y.ch.push_back(hull(upRange(pos, y.frac - x.frac), upRange(neg, y.frac - x.frac - al.frac)));
                }
                return result(y);
            }
            case ActKind::Sigmoid:
            case ActKind::HardSigmoid:
                return boundedResult(0.0, 1.0);
            case ActKind::Tanh:
            case ActKind::Softsign:
                return boundedResult(-1.0, 1.0);
            case ActKind::Elu: {
                // x >= 0: x; otherwise alpha * (e^x - 1) from a table of values in [-1, 0].
                std::vector<double> alpha{a.param};
                const Constants al = narrowConstants(alpha, a.paramT, false);
                const double m = std::ldexp(std::fabs(static_cast<double>(al.raw[0])), -al.frac);
                return boundedResult(-m, std::max(m, upperBound(x)));
            }
            case ActKind::Selu:  // x >= 0: 1.0507 x; otherwise a table of values in [-1.7581, 0]
                return boundedResult(-1.7582, 1.0508 * upperBound(x));
            case ActKind::Softplus:  // a table over [-8, 8): values in [0, softplus(8) = 8.00034]
                return boundedResult(0.0, 8.0004);
            default:  // binary, ternary, powers of two: as configured
                return keep();
        }
    }
    void derive(SoftmaxAttrs&) { boundedResult(0.0, 1.0); }
    void derive(PoolAttrs& a) {
        Ranges x = collapse(in(), static_cast<size_t>(a.nChan));
        if (a.op == PoolOp::Max) {
            // The accumulator holds the running maximum: the input's values.
            setAccum(a.accumT, hullAll(x), x.frac);
            return result(x);
        }
        const int64_t n = a.global ? int64_t(a.win.inH) * a.win.inW : int64_t(a.win.kh) * a.win.kw;
        for (Range& r : x.ch) r = withZero(r);  // padding
        // Average: the sum's resolution sets the division's rounding, so only its integer bits are derived.
        const int accFrac = a.accumT.frac();
        if (accFrac >= x.frac && !pinned("accum") && !cfg_->namedType(node_->name, node_->kind, "accum_t")) {
            Range s = scaleBy(hullAll(x), n);
            FixedType t = cover(upRange(s, accFrac - x.frac), accFrac, a.accumT.rounding);
            t.overflow = a.accumT.overflow;
            a.accumT = t;
        }
        result(refine(x, std::max(accFrac, x.frac)), /*lossless=*/false);
    }
    void derive(PadAttrs&) {
        Ranges x = in();
        for (Range& r : x.ch) r = withZero(r);
        result(x);
    }
    void derive(UpsampleAttrs&) { result(in()); }
    void derive(TransposeAttrs&) { result(collapse(in(), outChannels())); }
    void derive(MergeAttrs& a) {
        int frac = 0;
        for (size_t k = 0; k < node_->inputs.size(); ++k) frac = std::max(frac, in(k).frac);
        const size_t nc = outChannels();
        Ranges y{frac, std::vector<Range>(nc)};
        if (a.op == MergeOp::Multiply) {
            y.frac = 0;
            for (size_t k = 0; k < node_->inputs.size(); ++k) y.frac += in(k).frac;
        }
        const int nIn = static_cast<int>(node_->inputs.size());
        for (size_t c = 0; c < nc; ++c) {
            Range v = upRange(channel(in(0), c), a.op == MergeOp::Multiply ? 0 : frac - in(0).frac);
            for (int k = 1; k < nIn; ++k) {
                const Range x = upRange(channel(in(k), c), a.op == MergeOp::Multiply ? 0 : frac - in(k).frac);
                switch (a.op) {
                    case MergeOp::Add:
                    case MergeOp::Average: v = add(v, x); break;
                    case MergeOp::Subtract: v = {clampHuge(v.lo - x.hi), clampHuge(v.hi - x.lo)}; break;
                    case MergeOp::Multiply: v = times(v, x); break;
                    case MergeOp::Maximum: v = {std::max(v.lo, x.lo), std::max(v.hi, x.hi)}; break;
                    case MergeOp::Minimum: v = {std::min(v.lo, x.lo), std::min(v.hi, x.hi)}; break;
                }
            }
            y.ch[c] = v;
        }
        if (a.op == MergeOp::Average) {
            // The sum divided by n at log2(n) more fractional bits: bounds rounded outwards.
            const int e = ceilLog2(nIn);
            y.frac += e;
            for (Range& r : y.ch) {
                const i128 lo = r.lo * (i128(1) << e), hi = r.hi * (i128(1) << e);
                r = {lo / nIn - (lo % nIn < 0 ? 1 : 0), hi / nIn + (hi % nIn > 0 ? 1 : 0)};
            }
        }
        result(y);
    }
    void derive(ConcatAttrs& a) {
        int frac = 0;
        for (size_t k = 0; k < node_->inputs.size(); ++k) frac = std::max(frac, in(k).frac);
        const bool lastAxis = a.axis == static_cast<int>(out().shape.size()) - 1;
        Ranges y{frac, {}};
        for (size_t k = 0; k < node_->inputs.size(); ++k) {
            const Shape& s = g_->tensor(node_->inputs[k]).shape;
            const Ranges x = refine(collapse(in(k), static_cast<size_t>(s.back())), frac);
            if (lastAxis) {
                y.ch.insert(y.ch.end(), x.ch.begin(), x.ch.end());
            } else if (y.ch.empty()) {
                y.ch = x.ch;
            } else {
                for (size_t c = 0; c < y.ch.size(); ++c) y.ch[c] = hull(y.ch[c], x.ch[c]);
            }
        }
        result(y);
    }
    void derive(DotAttrs& a) {
        const int n = g_->tensor(node_->inputs[0]).shape.at(0);
        const Ranges x = collapse(in(0), static_cast<size_t>(n)), z = collapse(in(1), static_cast<size_t>(n));
        Range s{0, 0};
        for (int i = 0; i < n; ++i) s = add(s, times(x.ch[i], z.ch[i]));
        const Ranges acc{x.frac + z.frac, {s}};
        setAccum(a.accumT, s, acc.frac);
        result(acc);
    }

    void derive(QuantizeAttrs& a) {
        // Per-element quantizers (HGQ): the output type is the model's; each channel's range is the hull of its
        // elements' quantized ranges.
        const Ranges x = collapse(in(), outChannels());
        const FixedType& t = out().type;
        const size_t nc = outChannels();
        const int64_t n = a.types.size() == 1 ? static_cast<int64_t>(nc) : numElements(out().shape);
        Ranges y{t.frac(), std::vector<Range>(nc)};
        std::vector<bool> seen(nc, false);
        for (int64_t i = 0; i < n; ++i) {
            const size_t c = static_cast<size_t>(i) % nc;
            const FixedType& et = a.typeAt(i);
            const Range r = isZeroWidth(et) ? Range{0, 0} : upRange(convertRange(x.ch[c], x.frac, et), t.frac() - et.frac());
            y.ch[c] = seen[c] ? hull(y.ch[c], r) : r;
            seen[c] = true;
        }
        setOut(std::move(y));
    }

    const ProjectConfig* cfg_ = nullptr;
    Graph* g_ = nullptr;
    Node* node_ = nullptr;
    std::vector<Ranges> ranges_;  // per tensor
};

}  // namespace

std::unique_ptr<Pass> makeBitExactWidths() { return std::make_unique<BitExactWidths>(); }

}  // namespace nnfpga
