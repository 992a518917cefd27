// Kernels of the element-wise activations (docs/semantics.md, "Activations"): hls4ml's lookup tables for
// sigmoid/tanh/softplus/softsign/elu/selu, the exact piecewise-linear ones, the binary/ternary steps and
// QKeras's power-of-two quantizer, and the dispatch to softmax.
// Tables and constants come from nnfpga/emulator/tables.h, shared with the HLS backend.
#include <algorithm>
#include <climits>
#include <cmath>
#include <optional>
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

// hls4ml's SELU constants (Keras values), for float mode.
constexpr double kSeluScale = 1.0507009873554804934193349852946;
constexpr double kSeluAlpha = 1.6732632423543772848170429916717;

// C `int` conversion of the ap_fixed expression (x * n) / d, with x = raw * 2^-frac: the product is exact,
// the division truncates toward zero at x's resolution, the int conversion truncates toward zero again;
// two truncations toward zero compose into one, so this is trunc(raw * n / (d * 2^frac)) for any n and d.
int64_t truncScaled(int64_t raw, int frac, int64_t n, int64_t d) {
    i128 num = static_cast<i128>(raw) * n;
    i128 den = d;
    if (frac >= 0) {
        den <<= frac;
    } else {
        num <<= -frac;
    }
    return static_cast<int64_t>(num / den);  // C division truncates toward zero
}

class ActivationKernel final : public Kernel {
public:
    ActivationKernel(const Graph& g, const Node& n) : a_(*n.as<ActivationAttrs>()) {
        in_ = g.tensor(n.inputs[0]).type;
        out_ = g.tensor(n.outputs[0]).type;
        size_ = numElements(g.tensor(n.inputs[0]).shape);
        if (usesTable(a_.kind)) table_ = activationTable(n).raw;
        if (a_.kind == ActKind::PRelu && static_cast<int64_t>(a_.alpha.size()) != size_) {
            failAtLayer(n.name, n.kind,
                        "PReLU needs one alpha per element (" + std::to_string(size_) + "), got " +
                            std::to_string(a_.alpha.size()));
        }
        const ActivationConsts c = activationConsts(a_);
        param_ = c.param.raw;
        alpha_ = c.alpha;
        slope_ = c.slope.raw;
        shift_ = c.shift.raw;
        lambda_ = c.seluLambda.raw;
        lambdaFrac_ = c.seluLambda.type.frac();
        fromInput_ = Converter(in_, out_);
        fromTable_ = Converter(a_.tableT, out_);
        // The result type holds every input value (and 0) exactly: the input's conversion is the identity.
        identity_ = in_.frac() == out_.frac() && out_.rawMin() <= std::min<int64_t>(in_.rawMin(), 0) &&
                    out_.rawMax() >= in_.rawMax();
        // A quantizer's saturating result type (QKeras) clips on purpose: not reported as overflow.
        clipsByDesign_ = out_.overflow != Overflow::WRAP &&
                         std::find(n.modelTypes.begin(), n.modelTypes.end(), "result") != n.modelTypes.end();
        if (a_.kind == ActKind::Binary || a_.kind == ActKind::Ternary) step_ = stepConsts(a_, in_, out_);
        if (a_.kind == ActKind::Po2) po2_ = po2Consts(a_, in_, out_);
        if (a_.negClip) negClip_ = fromDouble(*a_.negClip, out_);
        if (a_.kind == ActKind::Lut) {
            lutIndexT_ = lutIndexType(a_);
            for (double v : a_.lut) lut_.push_back(fromDouble(v, out_));
        }
    }

    void run(const int64_t* const* in, int64_t* out, OverflowStats& st) const override {
        const int64_t* x = in[0];
        QuantizeFlags f;
        int64_t ovf = 0;
        auto cast = [&](i128 raw, int frac) {
            int64_t r = quantize(raw, frac, out_, &f);
            ovf += f.overflowed;
            return r;
        };
        auto castInput = [&](int64_t raw) { return fromInput_(raw, ovf); };
        auto castTable = [&](int64_t raw) { return fromTable_(raw, ovf); };
        if (a_.kind == ActKind::Relu && identity_) {  // the common case: a plain max with 0
            for (int64_t i = 0; i < size_; ++i) out[i] = x[i] > 0 ? x[i] : 0;
            st.conversions += size_;
            return;
        }
        if (a_.kind == ActKind::Relu) {  // without the per-element dispatch
            for (int64_t i = 0; i < size_; ++i) out[i] = fromInput_(x[i] > 0 ? x[i] : 0, ovf);
            st.conversions += size_;
            st.overflowed += clipsByDesign_ ? 0 : ovf;
            return;
        }
        const int fx = in_.frac();
        const int ft = a_.tableT.frac();
        const int64_t n = a_.tableSize;
        for (int64_t i = 0; i < size_; ++i) {
            const int64_t v = x[i];
            switch (a_.kind) {
                case ActKind::Linear:
                    out[i] = castInput(v);
                    break;
                case ActKind::Relu:
                    out[i] = castInput(v > 0 ? v : 0);
                    break;
                case ActKind::Sigmoid:
                case ActKind::Softplus:
                case ActKind::Softsign:
                    out[i] = castTable(table_[clip(truncScaled(v, fx, n, 16) + 8 * n / 16)]);
                    break;
                case ActKind::Tanh:
                    out[i] = castTable(table_[clip(truncScaled(v, fx, n, 8) + 4 * n / 8)]);
                    break;
                case ActKind::Elu:
                    if (v >= 0) {
                        out[i] = castInput(v);
                    } else {  // only the upper clip: a negative x gives a non-negative index
                        int64_t idx = std::min<int64_t>(truncScaled(v, fx, n, -8), n - 1);
                        out[i] = cast(static_cast<i128>(param_) * table_[idx], a_.paramT.frac() + ft);
                    }
                    break;
                case ActKind::Selu:
                    if (v >= 0) {
                        out[i] = cast(static_cast<i128>(lambda_) * v, lambdaFrac_ + fx);
                    } else {
                        out[i] = castTable(table_[clip(truncScaled(v, fx, n, -8))]);
                    }
                    break;
                case ActKind::HardSigmoid:
                    out[i] = hardSigmoid(v, cast);
                    break;
                case ActKind::LeakyRelu:
                    out[i] = v > 0 ? castInput(v) : cast(static_cast<i128>(param_) * v, a_.paramT.frac() + fx);
                    if (a_.negClip && v <= 0) out[i] = std::max(out[i], *negClip_);
                    break;
                case ActKind::PRelu:
                    out[i] = v > 0 ? castInput(v) : cast(static_cast<i128>(alpha_[i]) * v, a_.paramT.frac() + fx);
                    break;
                case ActKind::ThresholdedRelu:
                    out[i] = greater(v, fx, param_, a_.paramT.frac()) ? castInput(v) : castInput(0);
                    break;
                case ActKind::Binary:
                case ActKind::Ternary: {
                    const size_t c = static_cast<size_t>(i % static_cast<int64_t>(step_.hiFrom.size()));
                    out[i] = v >= step_.hiFrom[c] ? step_.hi
                                                  : (v <= step_.loTo[c] || a_.kind == ActKind::Binary ? step_.lo : step_.zero);
                    break;
                }
                case ActKind::Po2:
                    out[i] = po2(v);
                    break;
                case ActKind::Lut:
                    out[i] = lut_[lutIndex(v)];
                    break;
            }
        }
        st.conversions += size_;
        st.overflowed += clipsByDesign_ ? 0 : ovf;
    }

    void runFloat(const double* const* in, double* out) const override {
        const double* x = in[0];
        for (int64_t i = 0; i < size_; ++i) out[i] = floatValue(x[i], i);
    }

private:
    ActivationAttrs a_;
    FixedType in_, out_;
    int64_t size_ = 0;
    std::vector<int64_t> table_;      // raw values of tableT
    int64_t param_ = 0;               // raw paramT
    std::optional<int64_t> negClip_;  // raw result, LeakyReLU
    std::vector<int64_t> alpha_;      // raw paramT, PReLU
    int64_t slope_ = 0, shift_ = 0, lambda_ = 0;
    Converter fromInput_, fromTable_;  // input → result, table entry → result
    int lambdaFrac_ = 0;
    StepConsts step_;  // Binary, Ternary
    Po2Consts po2_;
    bool clipsByDesign_ = false;
    bool identity_ = false;  // fromInput_ changes no value and never overflows
    FixedType lutIndexT_;
    std::vector<int64_t> lut_;  // raw result values

    // The raw bits of the input converted to lutIndexType, as an unsigned index.
    size_t lutIndex(int64_t v) const {
        const int64_t q = quantize(v, in_.frac(), lutIndexT_);
        return static_cast<size_t>(static_cast<uint64_t>(q) & (lut_.size() - 1));
    }

    int64_t clip(int64_t idx) const { return std::clamp<int64_t>(idx, 0, a_.tableSize - 1); }

    // QKeras's power-of-two exponent (Po2Spec) of the magnitude m * 2^-f.
    int po2Exponent(unsigned __int128 m, int f, uint64_t tinyBelow, uint64_t maxFrom) const {
        const Po2Spec& p = a_.po2;
        if (m < tinyBelow) return p.minExp;
        const int e = p.maxValue > 0 && m >= maxFrom ? po2_.maxValueExp : po2Log2(m, f, p.floorLog);
        return std::clamp(e, p.minExp, p.maxExp);
    }

    // ±2^e as the result type's raw value.
    int64_t po2(int64_t v) const {
        const Po2Spec& p = a_.po2;
        const int f = in_.frac();
        const unsigned __int128 mag = v < 0 ? static_cast<unsigned __int128>(-static_cast<i128>(v)) : v;
        if (!p.relu) {
            const int e = po2Exponent(mag, f, po2_.tinyBelow, po2_.maxFrom) - p.minExp;
            return v < 0 ? po2_.neg[e] : po2_.pos[e];
        }
        if (v >= 0 || p.negSlope == 0)
            return po2_.pos[po2Exponent(v > 0 ? mag : 0, f, po2_.tinyBelow, po2_.maxFrom) - p.minExp];
        return po2_.neg[po2Exponent(mag, f + po2_.slopeShift, po2_.tinyBelowNeg, po2_.maxFromNeg) - p.minExp];
    }

    // a > b for a = ra * 2^-fa and b = rb * 2^-fb, exactly.
    static bool greater(int64_t ra, int fa, int64_t rb, int fb) {
        const int f = std::max(fa, fb);
        return (static_cast<i128>(ra) << (f - fa)) > (static_cast<i128>(rb) << (f - fb));
    }

    // clip(slope*x + shift, 0, 1), exact, then one cast. Works at a resolution fine enough for 1 as well.
    template <class Cast>
    int64_t hardSigmoid(int64_t v, Cast& cast) const {
        const int fp = a_.slopeT.frac() + in_.frac();
        const int fs = a_.shiftT.frac();
        const int f = std::max({fp, fs, 0});
        const i128 y = ((static_cast<i128>(slope_) * v) << (f - fp)) + (static_cast<i128>(shift_) << (f - fs));
        const i128 one = i128(1) << f;
        if (y > one) return cast(1, 0);
        if (y < 0) return cast(0, 0);
        return cast(y, f);
    }

    double floatValue(double x, int64_t i) const {
        switch (a_.kind) {
            case ActKind::Linear:
                return x;
            case ActKind::Relu:
                return x > 0 ? x : 0.0;
            case ActKind::Sigmoid:
                return 1.0 / (1.0 + std::exp(-x));
            case ActKind::Tanh:
                return std::tanh(x);
            case ActKind::Elu:
                return x > 0 ? x : a_.param * std::expm1(x);
            case ActKind::Selu:
                return kSeluScale * (x > 0 ? x : kSeluAlpha * std::expm1(x));
            case ActKind::Softplus:
                return std::max(x, 0.0) + std::log1p(std::exp(-std::abs(x)));
            case ActKind::Softsign:
                return x / (std::abs(x) + 1.0);
            case ActKind::HardSigmoid:
                return std::clamp(a_.slope * x + a_.shift, 0.0, 1.0);
            case ActKind::LeakyRelu:
                return x > 0 ? x : std::max(a_.param * x, a_.negClip.value_or(-HUGE_VAL));
            case ActKind::PRelu:
                return x > 0 ? x : a_.alpha[i] * x;
            case ActKind::ThresholdedRelu:
                return x > a_.param ? x : 0.0;
            case ActKind::Binary:
                return (a_.strict ? x > 0 : x >= 0) ? a_.hi : a_.lo;
            case ActKind::Ternary:
                return (a_.strict ? x > a_.param : x >= a_.param) ? a_.hi : (x <= -a_.param ? a_.lo : 0.0);
            case ActKind::Lut: {  // the input on its table's grid (already there in a proxy model)
                const FixedType t = lutIndexType(a_);
                const double r = std::nearbyint(std::ldexp(x, a_.lutFrac));
                const double m = std::ldexp(1.0, t.width);
                return a_.lut[static_cast<size_t>(r - m * std::floor(r / m))];
            }
            case ActKind::Po2: {
                const Po2Spec& p = a_.po2;
                auto expOf = [&](double m) {
                    if (m < p.tiny) return double(p.minExp);
                    if (p.maxValue > 0 && m >= p.maxValue) m = p.maxValue;
                    const double l = std::log2(m);
                    return std::clamp(p.floorLog ? std::floor(l) : std::nearbyint(l), double(p.minExp), double(p.maxExp));
                };
                if (!p.relu) return (x < 0 ? -1.0 : 1.0) * std::exp2(expOf(std::fabs(x)));
                if (x >= 0 || p.negSlope == 0) return std::exp2(expOf(std::max(x, 0.0)));
                return -std::exp2(expOf(-x * p.negSlope));
            }
        }
        return x;
    }
};

}  // namespace

std::unique_ptr<Kernel> makeActivationKernel(const Graph& g, const Node& n) {
    if (n.as<SoftmaxAttrs>()) return makeSoftmaxKernel(g, n);
    NNFPGA_ASSERT(n.as<ActivationAttrs>(), "makeActivationKernel on a node that is not an activation");
    return std::make_unique<ActivationKernel>(g, n);
}

}  // namespace nnfpga
