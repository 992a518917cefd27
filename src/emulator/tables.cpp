// Lookup tables and constants of the activation and softmax layers (include/nnfpga/emulator/tables.h). Tables
// are built with the same float/double operation sequence as hls4ml's C simulation table initialisers.
#include "nnfpga/emulator/tables.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <functional>
#include <string>

#include "nnfpga/fixed/quantize.h"
#include "nnfpga/support/diagnostics.h"

namespace nnfpga {

namespace {

// hls4ml's SELU constants (Keras values), and the ap_ufixed<16,1> in which the positive slope is held.
constexpr double kSeluScale = 1.0507009873554804934193349852946;
constexpr double kSeluAlpha = 1.6732632423543772848170429916717;
constexpr double kSeluLambdaLiteral = 1.0507009873554805;

// hls4ml computes the x grid of a table in double (the literals are double) and stores it in a float.
float gridSymmetric(int ii, int n, double halfRange) {  // [-halfRange, halfRange) in n steps
    return static_cast<float>(2 * halfRange * (ii - static_cast<float>(n) / 2.0) / static_cast<float>(n));
}
float gridNegative(int ii, int n) {  // [0, -8) in n steps
    return static_cast<float>(-8.0 * ii / static_cast<float>(n));
}

// Each function's value at a grid point, as the float hls4ml's table initialiser returns (std::exp and
// std::tanh of a float are the float overloads; a double literal in the expression promotes to double).
float sigmoidEntry(float v) {
    return static_cast<float>(1.0 / (1 + std::exp(-v)));
}
float tanhEntry(float v) {
    return std::tanh(v);
}
float softplusEntry(float v) {
    return static_cast<float>(std::log(std::exp(v) + 1.));
}
float softsignEntry(float v) {
    return static_cast<float>(v / (std::abs(v) + 1.));
}
float eluEntry(float v) {
    return static_cast<float>(std::exp(v) - 1.);
}
float seluEntry(float v) {
    return static_cast<float>(kSeluScale * (kSeluAlpha * (std::exp(v) - 1.)));
}

// hls4ml's helper: ceillog2 is 1 for x <= 2.
int hlsCeilLog2(int64_t x) {
    return x <= 2 ? 1 : 1 + hlsCeilLog2((x + 1) / 2);
}

uint64_t widthMask(const FixedType& t) {
    return t.width >= 64 ? ~uint64_t(0) : (uint64_t(1) << t.width) - 1;
}

// softmax_real_val_from_idx: the index in the top bits, zeros below, read as addrT, as a float.
float valueOfIndex(const BitTable& t, unsigned i) {
    const uint64_t pattern = static_cast<uint64_t>(i) << (t.addrT.width - t.bits);
    int64_t r = static_cast<int64_t>(pattern);
    if (t.addrT.isSigned && ((pattern >> (t.addrT.width - 1)) & 1)) {
        r = static_cast<int64_t>(pattern | ~widthMask(t.addrT));  // sign-extend
    }
    return static_cast<float>(toDouble(r, t.addrT.frac()));
}

[[noreturn]] void failAt(const Node& n, const std::string& msg) {
    failAtLayer(n.name, n.kind, msg);
}

BitTable addressed(const Node& n, const FixedType& addrT, int64_t size, const FixedType& entryT, const char* what) {
    BitTable t;
    t.addrT = addrT;
    t.bits = hlsCeilLog2(size);
    if (t.bits > addrT.width || addrT.width > 64) {
        failAt(n, std::string(what) + " table of " + std::to_string(int64_t(1) << t.bits) +
                      " entries cannot be addressed by the " + std::to_string(addrT.width) + "-bit type " +
                      addrT.str());
    }
    t.table.type = entryT;
    t.table.raw.resize(size);
    return t;
}

// exp_table[i] = exp(±value of index i) in float, converted to exp_table_t.
BitTable expTable(const Node& n, const SoftmaxAttrs& a, const FixedType& addrT, int64_t size, bool negate) {
    BitTable t = addressed(n, addrT, size, a.expTableT, "exp");
    constexpr float kExpScale = 1.0f;  // hls4ml's exp_scale
    for (int64_t i = 0; i < size; ++i) {
        float v = valueOfIndex(t, static_cast<unsigned>(i)) * kExpScale;
        if (negate) v = -v;
        t.table.raw[i] = fromDouble(std::exp(v), a.expTableT);
    }
    return t;
}

// inv_table[i] = 1 / value of index i (float division), converted to inv_table_t; entry 0 is +inf.
BitTable invTable(const Node& n, const SoftmaxAttrs& a, int64_t size) {
    BitTable t = addressed(n, a.invInpT, size, a.invTableT, "inverse");
    for (int64_t i = 0; i < size; ++i) {
        const float v = valueOfIndex(t, static_cast<unsigned>(i));
        t.table.raw[i] = fromDouble(1 / v, a.invTableT);
    }
    return t;
}

}  // namespace

LookupTable activationTable(const Node& n) {
    const ActivationAttrs* a = n.as<ActivationAttrs>();
    NNFPGA_ASSERT(a && usesTable(a->kind), "activationTable on a node without an activation table");
    if (a->tableSize < 1) failAt(n, "table_size must be >= 1, got " + std::to_string(a->tableSize));
    const int size = a->tableSize;
    std::function<float(int)> entry;
    switch (a->kind) {
        case ActKind::Sigmoid:
            entry = [size](int ii) { return sigmoidEntry(gridSymmetric(ii, size, 8.0)); };
            break;
        case ActKind::Tanh:
            entry = [size](int ii) { return tanhEntry(gridSymmetric(ii, size, 4.0)); };
            break;
        case ActKind::Softplus:
            entry = [size](int ii) { return softplusEntry(gridSymmetric(ii, size, 8.0)); };
            break;
        case ActKind::Softsign:
            entry = [size](int ii) { return softsignEntry(gridSymmetric(ii, size, 8.0)); };
            break;
        case ActKind::Elu:
            entry = [size](int ii) { return eluEntry(gridNegative(ii, size)); };
            break;
        case ActKind::Selu:
            entry = [size](int ii) { return seluEntry(gridNegative(ii, size)); };
            break;
        default:
            break;
    }
    LookupTable t{a->tableT, std::vector<int64_t>(size)};
    for (int ii = 0; ii < size; ++ii) t.raw[ii] = fromDouble(entry(ii), a->tableT);
    return t;
}

ActivationConsts activationConsts(const ActivationAttrs& a) {
    ActivationConsts c;
    switch (a.kind) {
        // Scalar parameters are C++ literals in hls4ml's generated call, converted to param_t there.
        case ActKind::LeakyRelu:
        case ActKind::ThresholdedRelu:
        case ActKind::Elu:
            c.param = {a.paramT, fromDouble(a.param, a.paramT)};
            break;
        // PReLU alphas are a weight array, written as text and read back.
        case ActKind::PRelu:
            for (double v : a.alpha) c.alpha.push_back(fromWeightText(v, a.paramT));
            break;
        case ActKind::HardSigmoid:
            c.slope = {a.slopeT, fromDouble(a.slope, a.slopeT)};
            c.shift = {a.shiftT, fromDouble(a.shift, a.shiftT)};
            break;
        case ActKind::Selu: {
            const FixedType lambdaT = FixedType::fixed(16, 1, false);
            c.seluLambda = {lambdaT, fromDouble(kSeluLambdaLiteral, lambdaT)};
            break;
        }
        default:
            break;
    }
    return c;
}

namespace {

// Smallest integer >= v (up) or largest <= v, clamped to int64.
int64_t intBound(double v, bool up) {
    const double r = up ? std::ceil(v) : std::floor(v);
    if (r >= 9.2e18) return INT64_MAX;
    if (r <= -9.2e18) return INT64_MIN;
    return static_cast<int64_t>(r);
}

// ceil(v) for v >= 0 as an unsigned magnitude bound, clamped to uint64.
uint64_t magBound(double v) {
    if (!(v > 0)) return 0;
    const double r = std::ceil(v);
    return r >= 1.8e19 ? UINT64_MAX : static_cast<uint64_t>(r);
}

}  // namespace

StepConsts stepConsts(const ActivationAttrs& a, const FixedType& in, const FixedType& out) {
    StepConsts c;
    // x >= t  <=>  raw >= ceil(t 2^F);  x > t  <=>  raw >= floor(t 2^F) + 1;  x <= t'  <=>  raw <= floor(t' 2^F)
    const int64_t below = in.rawMin() == INT64_MIN ? INT64_MIN : in.rawMin() - 1;
    const int64_t above = in.rawMax() == INT64_MAX ? INT64_MAX : in.rawMax() + 1;
    const bool perChannel = !a.thrHi.empty();
    const size_t n = perChannel ? a.thrHi.size() : 1;
    for (size_t k = 0; k < n; ++k) {
        const double tHi = perChannel ? a.thrHi[k] : (a.kind == ActKind::Binary ? 0.0 : a.param);
        const double tLo = perChannel ? (a.kind == ActKind::Ternary ? a.thrLo.at(k) : 0.0) : -tHi;
        const bool strict = perChannel ? a.kind == ActKind::Ternary : a.strict;
        const double scaled = std::ldexp(tHi, in.frac());
        const int64_t hi = strict ? intBound(scaled, false) : intBound(scaled, true);
        c.hiFrom.push_back(std::clamp(strict && hi < INT64_MAX ? hi + 1 : hi, in.rawMin(), above));
        c.loTo.push_back(a.kind == ActKind::Binary ? below
                                                   : std::clamp(intBound(std::ldexp(tLo, in.frac()), false), below,
                                                                in.rawMax()));
    }
    c.hi = fromDouble(a.hi, out);
    c.lo = fromDouble(a.lo, out);
    c.zero = fromDouble(0.0, out);
    return c;
}

int po2Log2(unsigned __int128 m, int frac, bool floorOnly) {
    int b = 0;
    while (b < 127 && (m >> (b + 1)) != 0) ++b;  // b = bitlen(m) - 1
    const int e = b - frac;
    if (floorOnly) return e;
    // Round up when v >= 2^(floor + 1/2), i.e. m^2 >= 2^(2b + 1); log2 of a rational is never half-way.
    if (b >= 63) m >>= (b - 62), b = 62;  // keeps m^2 in 128 bits; only a value within 2^-62 of the bound could differ
    return m * m >= (static_cast<unsigned __int128>(1) << (2 * b + 1)) ? e + 1 : e;
}

Po2Consts po2Consts(const ActivationAttrs& a, const FixedType& in, const FixedType& out) {
    const Po2Spec& p = a.po2;
    Po2Consts c;
    int e;
    std::frexp(p.negSlope > 0 ? p.negSlope : 1.0, &e);
    c.slopeShift = 1 - e;  // negSlope = 2^-slopeShift (a power of two)
    const int f = in.frac(), fn = in.frac() + c.slopeShift;
    c.tinyBelow = magBound(std::ldexp(p.tiny, f));
    c.tinyBelowNeg = magBound(std::ldexp(p.tiny, fn));
    if (p.maxValue > 0) {
        c.maxFrom = magBound(std::ldexp(p.maxValue, f));
        c.maxFromNeg = magBound(std::ldexp(p.maxValue, fn));
        const double m = std::frexp(p.maxValue, &e);
        c.maxValueExp = po2Log2(static_cast<unsigned __int128>(std::ldexp(m, 53)), 53 - e, p.floorLog);
    }
    for (int k = p.minExp; k <= p.maxExp; ++k) {
        c.pos.push_back(quantize(1, -k, out));
        c.neg.push_back(quantize(-1, -k, out));
    }
    return c;
}

uint64_t BitTable::index(int64_t v) const {
    const uint64_t pattern = static_cast<uint64_t>(v) & widthMask(addrT);
    return pattern >> (addrT.width - bits);
}

int64_t BitTable::lookup(int64_t v) const {
    return table.raw[std::min<uint64_t>(index(v), table.raw.size() - 1)];
}

FixedType legacySoftmaxTableType() {
    return FixedType::fixed(18, 8);
}

SoftmaxPlan softmaxPlan(const Node& n, const FixedType& in) {
    const SoftmaxAttrs* a = n.as<SoftmaxAttrs>();
    NNFPGA_ASSERT(a, "softmaxPlan on a node that is not a softmax");
    if (a->tableSize < 1) failAt(n, "table_size must be >= 1, got " + std::to_string(a->tableSize));
    SoftmaxPlan p;
    // fix_softmax_table_size: the table may not have more entries than the input or the inverse table type
    // can address.
    int64_t tableSize = a->tableSize;
    const int limitBits = std::min(in.width, a->invTableT.width);
    if (limitBits < 62 && (int64_t(1) << limitBits) < tableSize) tableSize = int64_t(1) << limitBits;
    p.expSize = p.invSize = tableSize;
    switch (a->impl) {
        case SoftmaxImpl::Stable: {
            // The differences x_max - x_i are non-negative: an unsigned type one bit narrower.
            const int s = in.isSigned ? 1 : 0;
            p.inpNormT = FixedType::fixed(in.width - s, in.integer - s, false);
            if (s && in.width - 1 < 62) p.expSize = std::min(p.expSize, int64_t(1) << (in.width - 1));
            p.exp = expTable(n, *a, p.inpNormT, p.expSize, true);
            p.inv = invTable(n, *a, p.invSize);
            break;
        }
        case SoftmaxImpl::Latency:
            p.exp = expTable(n, *a, in, p.expSize, false);
            p.inv = invTable(n, *a, p.invSize);
            break;
        case SoftmaxImpl::Legacy: {
            const FixedType t = legacySoftmaxTableType();
            p.legacyExp = {t, std::vector<int64_t>(p.expSize)};
            p.legacyInv = {t, std::vector<int64_t>(p.invSize)};
            for (int64_t ii = 0; ii < p.expSize; ++ii) {  // exp over [-8, 8)
                const float v = static_cast<float>(2 * 8.0 * (ii - static_cast<float>(p.expSize) / 2.0) /
                                                   static_cast<float>(p.expSize));
                p.legacyExp.raw[ii] = fromDouble(std::exp(v), t);
            }
            for (int64_t ii = 0; ii < p.invSize; ++ii) {  // 1/v over [0, 64), 0 at v = 0
                const float v = static_cast<float>(64.0 * ii / static_cast<float>(p.invSize));
                p.legacyInv.raw[ii] = v > 0.0 ? fromDouble(1.0 / v, t) : 0;
            }
            break;
        }
        case SoftmaxImpl::Argmax:
            break;
    }
    return p;
}

}  // namespace nnfpga
