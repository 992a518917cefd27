// QKeras quantizers: parsing (dict and string forms), their output types, and weight quantization in float32
// following the operation sequence of qkeras/quantizers.py (version 0.9), so that every weight comes out as
// the float32 value the QKeras layer multiplies with.
#include "nnfpga/frontends/keras/qkeras_quantizers.h"

#include <algorithm>
#include <cfenv>
#include <cmath>
#include <map>

#include "nnfpga/support/array_io.h"
#include "nnfpga/support/diagnostics.h"

namespace nnfpga {

namespace {

using json = nlohmann::json;

constexpr float kEps = 1e-7f;  // Keras' epsilon(), as the float32 tensors QKeras compares with

// Positional parameters of each quantizer's constructor, in order.
const std::map<std::string, std::vector<std::string>>& positional() {
    static const std::map<std::string, std::vector<std::string>> t = {
        {"quantized_bits", {"bits", "integer", "symmetric", "keep_negative", "alpha", "use_stochastic_rounding",
                            "scale_axis", "qnoise_factor", "var_name", "use_ste", "use_variables"}},
        {"quantized_relu", {"bits", "integer", "use_sigmoid", "negative_slope", "use_stochastic_rounding",
                            "relu_upper_bound", "is_quantized_clip", "qnoise_factor", "var_name", "use_ste",
                            "use_variables"}},
        {"quantized_tanh", {"bits", "use_stochastic_rounding", "symmetric", "use_real_tanh"}},
        {"quantized_sigmoid", {"bits", "symmetric", "use_real_sigmoid", "use_stochastic_rounding"}},
        {"quantized_po2", {"bits", "max_value", "use_stochastic_rounding", "quadratic_approximation",
                           "log2_rounding", "qnoise_factor", "var_name", "use_ste", "use_variables"}},
        {"quantized_relu_po2", {"bits", "max_value", "negative_slope", "use_stochastic_rounding",
                                "quadratic_approximation", "log2_rounding", "qnoise_factor", "var_name", "use_ste",
                                "use_variables"}},
        {"binary", {"use_01", "alpha", "use_stochastic_rounding"}},
        {"ternary", {"alpha", "threshold", "use_stochastic_rounding", "number_of_unrolls"}},
        {"binary_tanh", {}},
    };
    return t;
}

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\n");
    if (b == std::string::npos) return "";
    return s.substr(b, s.find_last_not_of(" \t\n") - b + 1);
}

// One argument of the string form: a Python literal (True/False/None, a number, a quoted string).
json literal(const std::string& text, const std::string& whole) {
    const std::string t = trim(text);
    if (t == "True") return true;
    if (t == "False") return false;
    if (t == "None") return nullptr;
    if (t.size() >= 2 && (t.front() == '\'' || t.front() == '"') && t.back() == t.front())
        return t.substr(1, t.size() - 2);
    try {
        size_t used = 0;
        if (t.find_first_of(".eE") == std::string::npos) {
            const long long v = std::stoll(t, &used);
            if (used == t.size()) return v;
        }
        const double v = std::stod(t, &used);
        if (used == t.size()) return v;
    } catch (const std::exception&) {
    }
    fail("cannot read argument '" + t + "' of quantizer '" + whole + "'");
}

// "name(a, b, key=c)" → class name and config dict.
std::pair<std::string, json> parseString(const std::string& whole) {
    const std::string s = trim(whole);
    const auto open = s.find('(');
    std::string name = trim(s.substr(0, open));
    if (!positional().count(name)) fail("unsupported QKeras quantizer '" + whole + "'");
    json cfg = json::object();
    if (open == std::string::npos) return {name, cfg};
    if (s.back() != ')') fail("cannot read quantizer '" + whole + "': missing ')'");
    const std::string inner = s.substr(open + 1, s.size() - open - 2);
    std::vector<std::string> args;
    std::string cur;
    char quote = 0;
    for (char c : inner) {
        if (quote) {
            if (c == quote) quote = 0;
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == ',') {
            args.push_back(cur);
            cur.clear();
            continue;
        }
        cur += c;
    }
    if (!trim(cur).empty() || !args.empty()) args.push_back(cur);
    auto pos = positional().find(name);
    size_t next = 0;
    for (const auto& a : args) {
        const auto eq = a.find('=');
        const bool quoted = a.find_first_of("'\"") < eq;
        if (eq != std::string::npos && !quoted) {
            cfg[trim(a.substr(0, eq))] = literal(a.substr(eq + 1), whole);
        } else {
            if (pos == positional().end() || next >= pos->second.size())
                fail("quantizer '" + whole + "' has more arguments than " + name + " takes");
            cfg[pos->second[next++]] = literal(a, whole);
        }
    }
    return {name, cfg};
}

double num(const json& c, const char* key, double dflt) {
    auto it = c.find(key);
    if (it == c.end() || it->is_null()) return dflt;
    if (it->is_boolean()) return it->get<bool>() ? 1.0 : 0.0;
    if (!it->is_number()) fail(std::string("quantizer option '") + key + "' must be a number, got " + it->dump());
    return it->get<double>();
}

bool flag(const json& c, const char* key, bool dflt) { return num(c, key, dflt ? 1.0 : 0.0) != 0.0; }

int intOf(const json& c, const char* key, int dflt) {
    const double v = num(c, key, dflt);
    if (v != std::floor(v)) fail(std::string("quantizer option '") + key + "' must be an integer, got " + std::to_string(v));
    return static_cast<int>(v);
}

std::optional<double> optNum(const json& c, const char* key) {
    auto it = c.find(key);
    if (it == c.end() || it->is_null()) return std::nullopt;
    return num(c, key, 0.0);
}

void readAlpha(const json& c, QKerasQuantizer& q) {
    auto it = c.find("alpha");
    if (it == c.end() || it->is_null()) return;
    if (it->is_string()) {
        const std::string a = it->get<std::string>();
        if (a == "auto") q.alphaMode = QKerasAlpha::Auto;
        else if (a == "auto_po2") q.alphaMode = QKerasAlpha::AutoPo2;
        else fail("alpha must be a number, 'auto' or 'auto_po2', got '" + a + "'");
        return;
    }
    q.alpha = num(c, "alpha", 1.0);
    q.alphaMode = QKerasAlpha::Value;
}

// ---- float32 building blocks ---------------------------------------------------------------------------

float signOf(float x) { return x > 0 ? 1.0f : (x < 0 ? -1.0f : 0.0f); }

// 2^round(log2(s + eps)): the power-of-two rounding of an 'auto_po2' scale.
float po2Scale(float s) {
    const float e = qkerasLog2(s + kEps, false);
    if (!std::isfinite(e)) fail("an 'auto_po2' scale is not finite (an all-zero channel?)");
    return std::ldexp(1.0f, static_cast<int>(e));
}

// QKeras returns x + stop_gradient(-x + xq): the same float32 sum.
float straightThrough(float x, float xq) { return x + (xq - x); }

bool isPowerOfTwo(double v) {
    if (!(v > 0) || !std::isfinite(v)) return false;
    int e;
    return std::frexp(v, &e) == 0.5;
}

// _get_scale for 'auto'/'auto_po2': per channel mean(x*q) / (mean(q*q) + eps); rank 1: per element. The
// means are summed in double and rounded once (TF's float32 reduction order is not reproduced; the
// power-of-two rounding makes that matter only at exact half-way exponents).
std::vector<float> leastSquaresScale(const std::vector<float>& x, const std::vector<float>& q, int nChannels,
                                     int rank, bool po2) {
    const size_t n = x.size();
    std::vector<float> scale;
    if (rank <= 1) {
        scale.resize(n);
        for (size_t i = 0; i < n; ++i) scale[i] = (x[i] * q[i]) / (q[i] * q[i] + kEps);
    } else {
        const size_t per = n / static_cast<size_t>(nChannels);
        scale.resize(nChannels);
        for (int c = 0; c < nChannels; ++c) {
            double sx = 0, sq = 0;
            for (size_t k = 0; k < per; ++k) {
                const size_t i = k * nChannels + c;
                sx += static_cast<double>(x[i] * q[i]);
                sq += static_cast<double>(q[i] * q[i]);
            }
            const float mx = static_cast<float>(sx / static_cast<double>(per));
            const float mq = static_cast<float>(sq / static_cast<double>(per));
            scale[c] = mx / (mq + kEps);
        }
    }
    if (po2)
        for (float& s : scale) s = po2Scale(s);
    return scale;
}

// Per-channel max |x| (rank 1: of the whole tensor).
std::vector<float> channelMaxAbs(const std::vector<float>& x, int nChannels, int rank) {
    const int nc = rank <= 1 ? 1 : nChannels;
    std::vector<float> m(nc, 0.0f);
    for (size_t i = 0; i < x.size(); ++i) m[rank <= 1 ? 0 : i % nc] = std::max(m[rank <= 1 ? 0 : i % nc], std::fabs(x[i]));
    return m;
}

float scaleAt(const std::vector<float>& s, size_t i, int nChannels) {
    return s.size() == 1 ? s[0] : (s.size() == static_cast<size_t>(nChannels) ? s[i % nChannels] : s[i]);
}

// _clip_power_of_two: the exponent of |x| (x_abs >= 0).
float po2Exponent(float xAbs, int minExp, int maxExp, const std::optional<double>& maxValue, bool quadratic,
                  bool floorLog) {
    if (xAbs < kEps) return static_cast<float>(minExp);
    float f = xAbs;
    if (maxValue && f >= static_cast<float>(*maxValue)) f = static_cast<float>(*maxValue);
    const float qf = quadratic ? 2.0f : 1.0f;
    const float in = quadratic ? std::sqrt(f) : f;
    const float e = std::clamp(qkerasLog2(in, floorLog), static_cast<float>(minExp), static_cast<float>(maxExp));
    return qf * e;
}

// Exponent range of quantized_po2 (signBit = 1) and quantized_relu_po2 (0).
std::pair<int, int> po2Range(const QKerasQuantizer& q, bool signBit) {
    const int needSign = (!q.maxValue || *q.maxValue > 1) ? 1 : 0;
    const int effective = q.bits - (signBit ? 1 : 0) - needSign;
    if (effective < 0 || effective > 16) fail("quantizer '" + q.text + "': unsupported number of bits");
    int minExp = -(1 << effective), maxExp = (1 << effective) - 1;
    if (q.quadratic) maxExp = 2 * (maxExp / 2);  // floor division, as Python's // for these values
    return {minExp, maxExp};
}

// Largest exponent an input can reach: bounded by max_value when there is one.
int po2TopExponent(const QKerasQuantizer& q, int minExp, int maxExp) {
    if (!q.maxValue) return q.quadratic ? 2 * maxExp : maxExp;
    const float e = po2Exponent(static_cast<float>(*q.maxValue), minExp, maxExp, q.maxValue, q.quadratic, q.floorLog);
    return std::max(minExp, static_cast<int>(e));
}

FixedType po2Type(int minExp, int maxExp, bool isSigned) {
    // Values ±2^e, minExp <= e <= maxExp: frac = -minExp; magnitude 2^maxExp needs maxExp + 1 integer bits.
    const int integer = maxExp + 1 + (isSigned ? 1 : 0);
    return FixedType::fixed(integer - minExp, integer, isSigned);
}

// ---- weights ---------------------------------------------------------------------------------------------

struct Quantized {
    std::vector<float> q;      // the quantized value before the per-channel scale
    std::vector<float> scale;  // 1, nChannels or size(q) entries
};

Quantized bitsWeights(const QKerasQuantizer& qz, const std::vector<float>& x0, int nChannels, int rank) {
    Quantized r;
    const int unsignedBits = qz.bits - (qz.keepNegative ? 1 : 0);
    const float m = std::ldexp(1.0f, unsignedBits), mi = std::ldexp(1.0f, qz.integer);
    const size_t n = x0.size();
    r.q.resize(n);
    if (qz.alphaMode == QKerasAlpha::Auto || qz.alphaMode == QKerasAlpha::AutoPo2) {
        std::vector<float> x(n);
        for (size_t i = 0; i < n; ++i) x[i] = x0[i] / mi;
        const float levels = static_cast<float>(((int64_t(1) << (qz.bits - 1)) - 1) * 2);
        std::vector<float> mx = channelMaxAbs(x, nChannels, rank);
        std::vector<float> scale(mx.size());
        for (size_t c = 0; c < mx.size(); ++c) scale[c] = (mx[c] * 2.0f) / levels;
        std::vector<float> z(n);
        auto computeZ = [&](const std::vector<float>& s) {
            for (size_t i = 0; i < n; ++i) {
                const float v = std::floor(std::fabs(x[i]) / scaleAt(s, i, nChannels) + 0.5f);
                z[i] = signOf(x[i]) * (v < levels / 2.0f ? v : levels / 2.0f);
            }
        };
        if (qz.alphaMode == QKerasAlpha::AutoPo2) {
            for (float& s : scale) s = po2Scale(s);
            for (int it = 0; it < 5; ++it) {
                computeZ(scale);
                scale = leastSquaresScale(x, z, nChannels, rank, true);
            }
        } else {
            computeZ(scale);
        }
        // QKeras multiplies (scale * m) by (m_i * z / m); scale * m and the division by m are exact.
        for (size_t i = 0; i < n; ++i) r.q[i] = (mi * z[i]) / m;
        for (float& s : scale) s *= m;
        r.scale = scale;
        return r;
    }
    for (size_t i = 0; i < n; ++i) {
        const float x = x0[i];
        if (unsignedBits > 0) {
            const float p = x * m / mi;
            const float lo = qz.keepNegative ? (-m + (qz.symmetric ? 1.0f : 0.0f)) : 0.0f;
            r.q[i] = mi * std::clamp(roundHalfEven(p), lo, m - 1.0f) / m;
        } else {
            float s = signOf(x);
            s += 1.0f - std::fabs(s);
            r.q[i] = s;
        }
    }
    r.scale = {qz.alphaMode == QKerasAlpha::Value ? static_cast<float>(qz.alpha) : 1.0f};
    return r;
}

Quantized binaryWeights(const QKerasQuantizer& qz, const std::vector<float>& x, int nChannels, int rank) {
    Quantized r;
    r.q.resize(x.size());
    for (size_t i = 0; i < x.size(); ++i) {
        float s = signOf(x[i]);
        s += 1.0f - std::fabs(s);
        r.q[i] = qz.use01 ? (s + 1.0f) / 2.0f : s;
    }
    if (qz.alphaMode == QKerasAlpha::Auto || qz.alphaMode == QKerasAlpha::AutoPo2)
        r.scale = leastSquaresScale(x, r.q, nChannels, rank, qz.alphaMode == QKerasAlpha::AutoPo2);
    else
        r.scale = {qz.alphaMode == QKerasAlpha::Value ? static_cast<float>(qz.alpha) : 1.0f};
    return r;
}

Quantized ternaryWeights(const QKerasQuantizer& qz, const std::vector<float>& x, int nChannels, int rank) {
    Quantized r;
    const size_t n = x.size();
    r.q.resize(n);
    if (qz.alphaMode == QKerasAlpha::Auto || qz.alphaMode == QKerasAlpha::AutoPo2) {
        if (qz.threshold) fail("quantizer '" + qz.text + "': a threshold with alpha='auto' is not supported by QKeras");
        const bool po2 = qz.alphaMode == QKerasAlpha::AutoPo2;
        std::vector<float> scale = channelMaxAbs(x, nChannels, rank);
        for (float& s : scale) {
            s = 2.0f * s / 3.0f;
            if (po2) s = po2Scale(s);
        }
        for (int it = 0; it < qz.unrolls; ++it) {
            for (size_t i = 0; i < n; ++i) {
                const float s = scaleAt(scale, i, nChannels);
                const float v = s * roundHalfEven(x[i] / s);
                r.q[i] = (std::fabs(v) >= s / 2.0f ? 1.0f : 0.0f) * signOf(x[i]);
            }
            scale = leastSquaresScale(x, r.q, nChannels, rank, po2);
        }
        r.scale = scale;
        return r;
    }
    const float t = static_cast<float>(qz.threshold.value_or(0.33));
    for (size_t i = 0; i < n; ++i) r.q[i] = (std::fabs(x[i]) >= t ? 1.0f : 0.0f) * signOf(x[i]);
    r.scale = {qz.alphaMode == QKerasAlpha::Value ? static_cast<float>(qz.alpha) : 1.0f};
    return r;
}

Quantized po2Weights(const QKerasQuantizer& qz, const std::vector<float>& x) {
    Quantized r;
    r.q.resize(x.size());
    r.scale = {1.0f};
    const bool relu = qz.kind == QKerasKind::ReluPo2;
    const auto [minExp, maxExp] = po2Range(qz, !relu);
    for (size_t i = 0; i < x.size(); ++i) {
        const float v = x[i];
        if (!relu) {
            float s = signOf(v);
            s += 1.0f - std::fabs(s);
            const float e = po2Exponent(std::fabs(v), minExp, maxExp, qz.maxValue, qz.quadratic, qz.floorLog);
            r.q[i] = s * std::ldexp(1.0f, static_cast<int>(e));
        } else if (v >= 0 || qz.negativeSlope == 0) {
            const float e = po2Exponent(std::max(v, 0.0f), minExp, maxExp, qz.maxValue, qz.quadratic, qz.floorLog);
            r.q[i] = std::ldexp(1.0f, static_cast<int>(e));
        } else {
            const float a = std::max(-v, 0.0f) * static_cast<float>(qz.negativeSlope);
            const float e = po2Exponent(a, minExp, maxExp, qz.maxValue, qz.quadratic, qz.floorLog);
            r.q[i] = -std::ldexp(1.0f, static_cast<int>(e));
        }
    }
    return r;
}

// The value QKeras's straight-through sum leaves for one weight: x_ste + (xq - x_ste), where x_ste is the
// input as the quantizer passes it through (relu'd and clipped for quantized_relu_po2, tanh'd for binary
// and ternary without alpha).
float steInput(const QKerasQuantizer& qz, float x) {
    if ((qz.kind == QKerasKind::Binary || qz.kind == QKerasKind::Ternary) && qz.alphaMode == QKerasAlpha::None)
        return std::tanh(x);
    if (qz.kind == QKerasKind::ReluPo2) {
        const float ns = static_cast<float>(qz.negativeSlope);
        const float relu = x >= 0 ? x : x * ns;
        if (qz.maxValue && !(x <= static_cast<float>(*qz.maxValue))) return static_cast<float>(*qz.maxValue);
        return relu;
    }
    return x;
}

void checkWeightOptions(const QKerasQuantizer& q) {
    if (q.stochastic) fail("quantizer '" + q.text + "': stochastic rounding is not supported");
    if (q.qnoiseFactor != 1.0) fail("quantizer '" + q.text + "': qnoise_factor must be 1 at inference, got " + std::to_string(q.qnoiseFactor));
}

}  // namespace

float roundHalfEven(float x) { return std::nearbyint(x); }  // the default rounding mode: to nearest, ties to even

float qkerasLog2(float x, bool floorLog) {
    const float v = std::log(x) / static_cast<float>(std::log(2.0));
    return floorLog ? std::floor(v) : roundHalfEven(v);
}

std::optional<QKerasQuantizer> parseQKerasQuantizer(const json& j) {
    if (j.is_null()) return std::nullopt;
    std::string name;
    json cfg = json::object();
    QKerasQuantizer q;
    if (j.is_string()) {
        q.text = j.get<std::string>();
        std::tie(name, cfg) = parseString(q.text);
    } else if (j.is_object() && j.contains("class_name")) {
        name = j["class_name"].get<std::string>();
        if (j.contains("config") && j["config"].is_object()) cfg = j["config"];
        q.text = name + cfg.dump();
    } else {
        fail("cannot read quantizer " + j.dump());
    }
    static const std::map<std::string, QKerasKind> kinds = {
        {"quantized_bits", QKerasKind::Bits},     {"quantized_relu", QKerasKind::Relu},
        {"quantized_tanh", QKerasKind::Tanh},     {"quantized_sigmoid", QKerasKind::Sigmoid},
        {"binary", QKerasKind::Binary},           {"ternary", QKerasKind::Ternary},
        {"quantized_po2", QKerasKind::Po2},       {"quantized_relu_po2", QKerasKind::ReluPo2},
        {"binary_tanh", QKerasKind::BinaryTanh},
    };
    auto k = kinds.find(name);
    if (k == kinds.end()) fail("unsupported QKeras quantizer '" + q.text + "'");
    q.kind = k->second;
    switch (q.kind) {
        case QKerasKind::Bits:
            q.bits = intOf(cfg, "bits", 8);
            q.integer = intOf(cfg, "integer", 0);
            q.symmetric = flag(cfg, "symmetric", false);
            q.keepNegative = flag(cfg, "keep_negative", true);
            readAlpha(cfg, q);
            if (q.alphaMode == QKerasAlpha::Auto || q.alphaMode == QKerasAlpha::AutoPo2) q.symmetric = true;
            break;
        case QKerasKind::Relu:
            q.bits = intOf(cfg, "bits", 8);
            q.integer = intOf(cfg, "integer", 0);
            q.useSigmoid = flag(cfg, "use_sigmoid", false);
            q.negativeSlope = num(cfg, "negative_slope", 0.0);
            q.reluUpperBound = optNum(cfg, "relu_upper_bound");
            q.quantizedClip = flag(cfg, "is_quantized_clip", true);
            break;
        case QKerasKind::Tanh:
            q.bits = intOf(cfg, "bits", 8);
            q.symmetric = flag(cfg, "symmetric", false);
            q.useReal = flag(cfg, "use_real_tanh", false);
            break;
        case QKerasKind::Sigmoid:
            q.bits = intOf(cfg, "bits", 8);
            q.symmetric = flag(cfg, "symmetric", false);
            q.useReal = flag(cfg, "use_real_sigmoid", false);
            break;
        case QKerasKind::Binary:
            q.use01 = flag(cfg, "use_01", false);
            readAlpha(cfg, q);
            break;
        case QKerasKind::Ternary:
            readAlpha(cfg, q);
            q.threshold = optNum(cfg, "threshold");
            q.unrolls = intOf(cfg, "number_of_unrolls", 5);
            break;
        case QKerasKind::Po2:
        case QKerasKind::ReluPo2: {
            q.bits = intOf(cfg, "bits", 8);
            q.maxValue = optNum(cfg, "max_value");
            if (q.maxValue && *q.maxValue < 0) fail("quantizer '" + q.text + "': max_value must be >= 0");
            q.quadratic = flag(cfg, "quadratic_approximation", false);
            if (q.kind == QKerasKind::ReluPo2) q.negativeSlope = num(cfg, "negative_slope", 0.0);
            const std::string lr = cfg.value("log2_rounding", std::string("rnd"));
            if (lr != "rnd" && lr != "floor") fail("quantizer '" + q.text + "': log2_rounding must be 'rnd' or 'floor'");
            q.floorLog = lr == "floor";
            break;
        }
        case QKerasKind::BinaryTanh: break;
    }
    q.stochastic = flag(cfg, "use_stochastic_rounding", false);
    q.qnoiseFactor = num(cfg, "qnoise_factor", 1.0);
    if (q.bits < 1 || q.bits > 32) fail("quantizer '" + q.text + "': bits must be in [1, 32], got " + std::to_string(q.bits));
    if (q.negativeSlope < 0 || (q.negativeSlope > 0 && !isPowerOfTwo(q.negativeSlope)))
        fail("quantizer '" + q.text + "': negative_slope must be 0 or a power of two");
    return q;
}

void applyTrainableDefault(QKerasQuantizer& q) {
    if (q.alphaMode != QKerasAlpha::None) return;
    if (q.kind == QKerasKind::Bits || q.kind == QKerasKind::Binary || q.kind == QKerasKind::Ternary) {
        q.alphaMode = QKerasAlpha::AutoPo2;
        if (q.kind == QKerasKind::Bits) q.symmetric = true;
    }
}

std::optional<FixedType> exactTypeFor(const std::vector<double>& values, int maxWidth) {
    int frac = -1100;
    bool neg = false;
    for (double v : values) {
        if (!std::isfinite(v)) return std::nullopt;
        if (v == 0) continue;
        neg |= v < 0;
        int e;
        double m = std::frexp(std::fabs(v), &e);  // v = m * 2^e, m in [0.5, 1)
        // Lowest set bit: scale the mantissa to an odd integer.
        int f = 53 - e;  // |v| * 2^(53-e) is an integer < 2^53
        int64_t mi = static_cast<int64_t>(std::ldexp(m, 53));
        while (mi % 2 == 0) {
            mi /= 2;
            --f;
        }
        frac = std::max(frac, f);
    }
    if (frac == -1100) return FixedType::integerType(1, false);  // all zero
    int width = 1;
    for (double v : values) {
        if (v == 0) continue;
        const double raw = std::fabs(std::ldexp(v, frac));  // an integer
        int bits = 0;
        while (bits < 80 && std::ldexp(1.0, bits) <= raw) ++bits;  // bits to hold |raw| unsigned
        if (neg) {
            // signed: [-2^(W-1), 2^(W-1) - 1]
            const bool exactPow = v < 0 && std::ldexp(1.0, bits - 1) == raw;
            bits = exactPow ? bits : bits + 1;
        }
        width = std::max(width, bits);
    }
    if (width > maxWidth) return std::nullopt;
    if (frac == 0) return FixedType::integerType(width, neg);
    return FixedType::fixed(width, width - frac, neg);
}

QuantizedWeights quantizeQKerasWeights(const QKerasQuantizer& qz, const std::vector<double>& w, int nChannels,
                                       int rank) {
    checkWeightOptions(qz);
    if (nChannels <= 0 || w.size() % static_cast<size_t>(nChannels)) fail("weights do not split into channels");
    std::vector<float> x(w.size());
    for (size_t i = 0; i < w.size(); ++i) x[i] = static_cast<float>(w[i]);
    Quantized r;
    FixedType nominal;
    switch (qz.kind) {
        case QKerasKind::Bits: {
            r = bitsWeights(qz, x, nChannels, rank);
            if (qz.bits - (qz.keepNegative ? 1 : 0) == 0) nominal = FixedType::integerType(2);
            else if (qz.keepNegative) nominal = FixedType::fixed(qz.bits, qz.integer + 1, true);
            else nominal = FixedType::fixed(qz.bits, qz.integer, false);
            break;
        }
        case QKerasKind::Binary:
            r = binaryWeights(qz, x, nChannels, rank);
            nominal = qz.use01 ? FixedType::integerType(1, false) : FixedType::integerType(2);
            break;
        case QKerasKind::Ternary:
            r = ternaryWeights(qz, x, nChannels, rank);
            nominal = FixedType::integerType(2);
            break;
        case QKerasKind::Po2:
        case QKerasKind::ReluPo2: {
            r = po2Weights(qz, x);
            const bool relu = qz.kind == QKerasKind::ReluPo2;
            const auto [minExp, maxExp] = po2Range(qz, !relu);
            const int lowest = qz.quadratic ? 2 * minExp : minExp;
            nominal = po2Type(std::min(lowest, minExp), po2TopExponent(qz, minExp, maxExp),
                              !relu || qz.negativeSlope > 0);
            break;
        }
        case QKerasKind::Relu: {
            if (qz.useSigmoid || qz.negativeSlope != 0)
                fail("quantizer '" + qz.text + "' is not supported for weights");
            const float m = std::ldexp(1.0f, qz.bits), mi = std::ldexp(1.0f, qz.integer);
            r.q.resize(x.size());
            for (size_t i = 0; i < x.size(); ++i)
                r.q[i] = mi * std::clamp(roundHalfEven(x[i] * m / mi) / m, 0.0f, 1.0f - 1.0f / m);
            r.scale = {1.0f};
            nominal = FixedType::fixed(qz.bits, qz.integer, false);
            break;
        }
        default:
            fail("quantizer '" + qz.text + "' is not supported for weights");
    }
    QuantizedWeights out;
    out.values.resize(x.size());
    out.scale.assign(static_cast<size_t>(nChannels), 1.0);
    std::vector<double> scaled(x.size());
    for (size_t i = 0; i < x.size(); ++i) {
        const float s = scaleAt(r.scale, i, nChannels);
        const float xq = s * r.q[i];
        const float got = straightThrough(steInput(qz, x[i]), xq);
        // With a float scale ('auto') QKeras's sum may round the scaled weight; the scale stays approximate then.
        if (!(got == xq) && isPowerOfTwo(s))
            fail("quantizer '" + qz.text + "': weight " + std::to_string(x[i]) + " leaves QKeras's float32 sum as " +
                 std::to_string(got) + ", not the quantized " + std::to_string(xq) + " (the weight is far outside the range)");
        out.values[i] = r.q[i];
        scaled[i] = xq;
    }
    const bool allOne = std::all_of(r.scale.begin(), r.scale.end(), [](float v) { return v == 1.0f; });
    if (rank <= 1 && !allOne) {
        // A bias (or other vector): the layer adds the scaled values themselves.
        out.values = scaled;
    } else if (r.scale.size() == static_cast<size_t>(nChannels)) {
        for (int c = 0; c < nChannels; ++c) out.scale[c] = r.scale[c];
    } else if (r.scale.size() == 1) {
        out.scale.assign(nChannels, r.scale[0]);
    } else {
        out.values = scaled;
    }
    out.unitScale = std::all_of(out.scale.begin(), out.scale.end(), [](double s) { return s == 1.0; });
    out.po2Scale = std::all_of(out.scale.begin(), out.scale.end(), isPowerOfTwo);
    out.type = nominal;
    bool fits = std::all_of(out.values.begin(), out.values.end(), [&](double v) {
        const double r2 = std::ldexp(v, nominal.frac());
        return r2 == std::floor(r2) && v >= nominal.minValue() && v <= nominal.maxValue();
    });
    if (!fits) {
        auto t = exactTypeFor(out.values);
        if (!t) fail("quantizer '" + qz.text + "': the quantized weights need more than 64 bits");
        out.type = *t;
    }
    for (double v : out.values)
        if (!std::isfinite(v)) fail("quantizer '" + qz.text + "': a quantized weight is not finite (an all-zero channel?)");
    return out;
}

QKerasActivation qkerasActivation(const QKerasQuantizer& q) {
    if (q.stochastic) fail("quantizer '" + q.text + "': stochastic rounding is not supported");
    if (q.qnoiseFactor != 1.0) fail("quantizer '" + q.text + "': qnoise_factor must be 1 at inference");
    QKerasActivation r;
    ActivationAttrs& a = r.attrs;
    switch (q.kind) {
        case QKerasKind::Bits: {
            if (q.alphaMode != QKerasAlpha::None && !(q.alphaMode == QKerasAlpha::Value && q.alpha == 1.0))
                fail("quantizer '" + q.text + "': alpha other than 1 is not supported on activations");
            const int unsignedBits = q.bits - (q.keepNegative ? 1 : 0);
            if (unsignedBits == 0) {  // one bit: sign(x), 0 counting as positive
                a.kind = ActKind::Binary;
                r.result = FixedType::integerType(2);
                break;
            }
            a.kind = ActKind::Linear;
            r.result = q.keepNegative ? FixedType::fixed(q.bits, q.integer + 1, true, Rounding::RND_CONV,
                                                         q.symmetric ? Overflow::SAT_SYM : Overflow::SAT)
                                      : FixedType::fixed(q.bits, q.integer, false, Rounding::RND_CONV, Overflow::SAT);
            break;
        }
        case QKerasKind::Relu: {
            if (q.useSigmoid) fail("quantizer '" + q.text + "': use_sigmoid is not supported");
            if (!q.quantizedClip && q.reluUpperBound) {
                const int steps = q.bits - (q.negativeSlope != 0 ? 1 : 0);
                const double top = std::ldexp(1.0, q.integer) - std::ldexp(1.0, q.integer - steps);
                if (*q.reluUpperBound < top)
                    fail("quantizer '" + q.text + "': relu_upper_bound below the quantizer's maximum is not supported");
            }
            if (q.negativeSlope != 0) {
                // A sign bit: the positive side on the grid 2^(integer - bits + 1) up to 2^integer minus one step;
                // the negative side negative_slope * x on the same grid, from -negative_slope * 2^integer.
                if (q.negativeSlope >= 1)
                    fail("quantizer '" + q.text + "': negative_slope must be < 1, got " +
                         formatDouble(q.negativeSlope));
                if (q.bits < 2) fail("quantizer '" + q.text + "': negative_slope needs bits >= 2");
                int e;
                std::frexp(q.negativeSlope, &e);  // slope = 2^(e-1)
                a.kind = ActKind::LeakyRelu;
                a.param = q.negativeSlope;
                a.paramT = FixedType::fixed(2 - e, 1, false);
                a.negClip = -q.negativeSlope * std::ldexp(1.0, q.integer);
                r.result = FixedType::fixed(q.bits, q.integer + 1, true, Rounding::RND_CONV, Overflow::SAT);
                break;
            }
            a.kind = ActKind::Relu;
            r.result = FixedType::fixed(q.bits, q.integer, false, Rounding::RND_CONV, Overflow::SAT);
            break;
        }
        case QKerasKind::Tanh:
            if (q.useReal) fail("quantizer '" + q.text + "': use_real_tanh cannot be reproduced bit for bit");
            // 2*hard_sigmoid(x) - 1 = clip(x, -1, 1), rounded to 2^-(bits-1) and clipped inside (-1, 1).
            a.kind = ActKind::Linear;
            r.result = FixedType::fixed(q.bits, 1, true, Rounding::RND_CONV, q.symmetric ? Overflow::SAT_SYM : Overflow::SAT);
            break;
        case QKerasKind::Sigmoid:
            if (q.useReal) fail("quantizer '" + q.text + "': use_real_sigmoid cannot be reproduced bit for bit");
            if (q.symmetric) fail("quantizer '" + q.text + "': symmetric is not supported");
            a.kind = ActKind::HardSigmoid;  // clip(0.5 x + 0.5, 0, 1)
            a.slope = 0.5;
            a.shift = 0.5;
            r.result = FixedType::fixed(q.bits, 0, false, Rounding::RND_CONV, Overflow::SAT);
            break;
        case QKerasKind::Binary:
        case QKerasKind::BinaryTanh: {
            if (q.alphaMode == QKerasAlpha::Auto || q.alphaMode == QKerasAlpha::AutoPo2)
                fail("quantizer '" + q.text + "': alpha='auto' is not supported on activations");
            const double s = q.alphaMode == QKerasAlpha::Value ? static_cast<double>(static_cast<float>(q.alpha)) : 1.0;
            a.kind = ActKind::Binary;
            a.strict = q.kind == QKerasKind::BinaryTanh;  // 2*round(hard_sigmoid(x)) - 1: -1 at x = 0
            a.hi = s;
            a.lo = q.use01 ? 0.0 : -s;
            r.result = *exactTypeFor({a.hi, a.lo});
            break;
        }
        case QKerasKind::Ternary: {
            if (q.alphaMode == QKerasAlpha::Auto || q.alphaMode == QKerasAlpha::AutoPo2)
                fail("quantizer '" + q.text + "': alpha='auto' is not supported on activations");
            const double s = q.alphaMode == QKerasAlpha::Value ? static_cast<double>(static_cast<float>(q.alpha)) : 1.0;
            a.kind = ActKind::Ternary;
            a.param = static_cast<float>(q.threshold.value_or(0.33));
            if (!(a.param > 0)) fail("quantizer '" + q.text + "': threshold must be > 0");
            a.hi = s;
            a.lo = -s;
            r.result = *exactTypeFor({a.hi, a.lo, 0.0});
            break;
        }
        case QKerasKind::Po2:
        case QKerasKind::ReluPo2: {
            if (q.quadratic) fail("quantizer '" + q.text + "': quadratic_approximation is supported on weights only");
            const bool relu = q.kind == QKerasKind::ReluPo2;
            const auto [minExp, maxExp] = po2Range(q, !relu);
            a.kind = ActKind::Po2;
            a.po2.minExp = minExp;
            a.po2.maxExp = maxExp;
            a.po2.maxValue = q.maxValue.value_or(0.0) > 0 ? static_cast<double>(static_cast<float>(*q.maxValue)) : 0.0;
            a.po2.relu = relu;
            a.po2.negSlope = q.negativeSlope;
            a.po2.floorLog = q.floorLog;
            a.po2.tiny = kEps;
            r.result = po2Type(minExp, po2TopExponent(q, minExp, maxExp), !relu || q.negativeSlope > 0);
            break;
        }
    }
    return r;
}

}  // namespace nnfpga
