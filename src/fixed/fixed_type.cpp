// FixedType: mode names, ranges, the C++ spelling (str()) and the parser for every spelling that Vitis,
// hls4ml configs and hls4ml's printed precisions use.
#include "nnfpga/fixed/fixed_type.h"

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <vector>

#include "nnfpga/support/diagnostics.h"

namespace nnfpga {

namespace {

constexpr std::array<Rounding, 7> kRoundings = {Rounding::TRN,     Rounding::TRN_ZERO,    Rounding::RND,
                                                Rounding::RND_ZERO, Rounding::RND_MIN_INF, Rounding::RND_INF,
                                                Rounding::RND_CONV};
constexpr std::array<Overflow, 4> kOverflows = {Overflow::WRAP, Overflow::SAT, Overflow::SAT_ZERO,
                                                Overflow::SAT_SYM};

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

// Mode names are matched without case and with an optional AP_ prefix, because hls4ml configs write "RND_CONV"
// while C++ code writes "AP_RND_CONV", and hand-written YAML is not consistent about case.
std::string modeKey(std::string_view token) {
    std::string u = upper(token);
    if (u.rfind("AP_", 0) == 0) u.erase(0, 3);
    return u;
}

template <class Mode, size_t N>
std::optional<Mode> findMode(const std::array<Mode, N>& modes, std::string_view token) {
    const std::string key = modeKey(token);
    for (Mode m : modes)
        if (key == toString(m)) return m;
    return std::nullopt;
}

template <class Mode, size_t N>
std::string modeList(const std::array<Mode, N>& modes) {
    std::string out;
    for (size_t i = 0; i < N; ++i) out += (i ? ", " : "") + std::string(toString(modes[i]));
    return out;
}

// Parses a whole token as a decimal integer. Out-of-range numbers come back as nullopt with *tooBig set, so the
// caller can report them as a range error rather than as "not a number".
std::optional<long long> parseInt(std::string_view token, bool* tooBig) {
    *tooBig = false;
    if (!token.empty() && token.front() == '+') token.remove_prefix(1);
    if (token.empty()) return std::nullopt;
    long long v = 0;
    auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), v);
    if (end != token.data() + token.size()) return std::nullopt;
    if (ec == std::errc::result_out_of_range) {
        *tooBig = true;
        return std::nullopt;
    }
    if (ec != std::errc()) return std::nullopt;
    return v;
}

struct Kind {
    const char* name;
    bool isSigned;
    bool isInt;
};

// Short forms ("fixed", "int") are what hls4ml prints for its precision types.
constexpr std::array<Kind, 8> kKinds = {{{"ap_fixed", true, false},
                                          {"ap_ufixed", false, false},
                                          {"ap_int", true, true},
                                          {"ap_uint", false, true},
                                          {"fixed", true, false},
                                          {"ufixed", false, false},
                                          {"int", true, true},
                                          {"uint", false, true}}};

// The parser proper: returns the reason on failure, so both public entry points share one wording.
std::optional<FixedType> parse(std::string_view text, std::string& why) {
    std::string_view s = trim(text);
    if (s.empty()) {
        why = "empty type";
        return std::nullopt;
    }
    const size_t open = s.find('<');
    const std::string_view name = trim(s.substr(0, open));
    const Kind* kind = nullptr;
    const std::string lowerName = [&] {
        std::string n(name);
        for (char& c : n) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return n;
    }();
    for (const Kind& k : kKinds)
        if (lowerName == k.name) kind = &k;
    if (!kind) {
        why = "unknown type name '" + std::string(name) +
              "' (expected ap_fixed, ap_ufixed, ap_int, ap_uint, or fixed, ufixed, int, uint)";
        return std::nullopt;
    }
    if (open == std::string_view::npos) {
        why = "expected '<' after '" + std::string(name) + "'";
        return std::nullopt;
    }
    const size_t close = s.find('>', open);
    if (close == std::string_view::npos) {
        why = "missing closing '>'";
        return std::nullopt;
    }
    if (close + 1 < s.size()) {
        why = "unexpected text '" + std::string(trim(s.substr(close + 1))) + "' after '>'";
        return std::nullopt;
    }

    std::vector<std::string_view> params;
    std::string_view inner = s.substr(open + 1, close - open - 1);
    for (;;) {
        const size_t comma = inner.find(',');
        params.push_back(trim(inner.substr(0, comma)));
        if (comma == std::string_view::npos) break;
        inner.remove_prefix(comma + 1);
    }
    for (size_t i = 0; i < params.size(); ++i) {
        if (params[i].empty()) {
            why = params.size() == 1 ? "missing width" : "parameter " + std::to_string(i + 1) + " is empty";
            return std::nullopt;
        }
    }

    if (kind->isInt && params.size() != 1) {
        why = std::string(kind->name) + " takes exactly 1 parameter (width), got " + std::to_string(params.size());
        return std::nullopt;
    }
    // Vitis would default ap_fixed<W> to I = W, but a lone width in a config is far more often a typo than an
    // integer type in disguise, so it is rejected.
    if (!kind->isInt && (params.size() < 2 || params.size() > 5)) {
        why = std::string(kind->name) +
              " takes 2 to 5 parameters (width, integer bits[, rounding[, overflow[, saturation bits]]]), got " +
              std::to_string(params.size());
        return std::nullopt;
    }

    bool tooBig = false;
    const std::optional<long long> width = parseInt(params[0], &tooBig);
    if (!width && !tooBig) {
        why = "width must be an integer, got '" + std::string(params[0]) + "'";
        return std::nullopt;
    }
    if (!width || *width < 1 || *width > kMaxWidth) {
        why = "width must be between 1 and " + std::to_string(kMaxWidth) + ", got " + std::string(params[0]);
        return std::nullopt;
    }
    // Raw values are int64, so an unsigned 64-bit type's upper half would not be representable.
    if (!kind->isSigned && *width == kMaxWidth) {
        why = "unsigned width must be at most " + std::to_string(kMaxWidth - 1) + ", got " + std::string(params[0]);
        return std::nullopt;
    }

    FixedType t;
    t.width = static_cast<int>(*width);
    t.isSigned = kind->isSigned;
    if (kind->isInt) {
        t.integer = t.width;
        t.isInt = true;
        return t;
    }

    const std::optional<long long> integer = parseInt(params[1], &tooBig);
    if (!integer && !tooBig) {
        why = "integer bits must be an integer, got '" + std::string(params[1]) + "'";
        return std::nullopt;
    }
    if (!integer || *integer < -kMaxIntegerBits || *integer > kMaxIntegerBits) {
        why = "integer bits must be between " + std::to_string(-kMaxIntegerBits) + " and " +
              std::to_string(kMaxIntegerBits) + ", got " + std::string(params[1]);
        return std::nullopt;
    }
    t.integer = static_cast<int>(*integer);

    if (params.size() >= 3) {
        const std::optional<Rounding> r = findMode(kRoundings, params[2]);
        if (!r) {
            why = "unknown rounding mode '" + std::string(params[2]) + "' (expected " + modeList(kRoundings) + ")";
            return std::nullopt;
        }
        t.rounding = *r;
    }
    if (params.size() >= 4) {
        const std::optional<Overflow> o = findMode(kOverflows, params[3]);
        if (!o) {
            why = "unknown overflow mode '" + std::string(params[3]) + "' (expected " + modeList(kOverflows) + ")";
            return std::nullopt;
        }
        t.overflow = *o;
    }
    if (params.size() == 5) {
        // hls4ml always prints the saturation-bit count; only the default 0 has the plain semantics we emulate.
        const std::optional<long long> nbits = parseInt(params[4], &tooBig);
        if (!nbits && !tooBig) {
            why = "saturation bits must be an integer, got '" + std::string(params[4]) + "'";
            return std::nullopt;
        }
        if (!nbits || *nbits != 0) {
            why = "saturation bits other than 0 are not supported, got " + std::string(params[4]);
            return std::nullopt;
        }
    }
    return t;
}

}  // namespace

const char* toString(Rounding r) {
    switch (r) {
        case Rounding::TRN: return "TRN";
        case Rounding::TRN_ZERO: return "TRN_ZERO";
        case Rounding::RND: return "RND";
        case Rounding::RND_ZERO: return "RND_ZERO";
        case Rounding::RND_MIN_INF: return "RND_MIN_INF";
        case Rounding::RND_INF: return "RND_INF";
        case Rounding::RND_CONV: return "RND_CONV";
    }
    return "?";
}

const char* toString(Overflow o) {
    switch (o) {
        case Overflow::WRAP: return "WRAP";
        case Overflow::SAT: return "SAT";
        case Overflow::SAT_ZERO: return "SAT_ZERO";
        case Overflow::SAT_SYM: return "SAT_SYM";
    }
    return "?";
}

int64_t FixedType::rawMin() const {
    if (!isSigned) return 0;
    // Built from the unsigned magnitude so that width 64 gives INT64_MIN without a signed overflow.
    return static_cast<int64_t>(~uint64_t(0) << (width - 1));
}

int64_t FixedType::rawMax() const {
    const int magnitudeBits = isSigned ? width - 1 : width;
    if (magnitudeBits >= 64) return INT64_MAX;  // not reachable from the parser (unsigned width <= 63)
    return static_cast<int64_t>((uint64_t(1) << magnitudeBits) - 1);
}

double FixedType::lsb() const { return std::ldexp(1.0, -frac()); }
double FixedType::minValue() const { return std::ldexp(static_cast<double>(rawMin()), -frac()); }
double FixedType::maxValue() const { return std::ldexp(static_cast<double>(rawMax()), -frac()); }

std::string FixedType::str() const {
    const bool defaultModes = rounding == Rounding::TRN && overflow == Overflow::WRAP;
    // isInt is only a spelling hint; a type it no longer describes is printed in the fixed form so that nothing
    // is lost in a print/parse round trip.
    if (isInt && integer == width && defaultModes)
        return std::string(isSigned ? "ap_int<" : "ap_uint<") + std::to_string(width) + ">";
    std::string out = isSigned ? "ap_fixed<" : "ap_ufixed<";
    out += std::to_string(width) + "," + std::to_string(integer);
    if (!defaultModes) {
        out += ",AP_" + std::string(toString(rounding));
        if (overflow != Overflow::WRAP) out += ",AP_" + std::string(toString(overflow));
    }
    return out + ">";
}

FixedType FixedType::fixed(int w, int i, bool s, Rounding r, Overflow o) {
    FixedType t;
    t.width = w;
    t.integer = i;
    t.isSigned = s;
    t.rounding = r;
    t.overflow = o;
    t.isInt = false;
    return t;
}

FixedType FixedType::integerType(int w, bool s) {
    FixedType t = fixed(w, w, s);
    t.isInt = true;
    return t;
}

std::optional<FixedType> parseFixedType(std::string_view text, std::string* why) {
    std::string reason;
    std::optional<FixedType> t = parse(text, reason);
    if (!t && why) *why = reason;
    return t;
}

FixedType parseFixedTypeOrFail(std::string_view text) {
    std::string reason;
    std::optional<FixedType> t = parse(text, reason);
    if (!t) fail("invalid type '" + std::string(text) + "': " + reason);
    return *t;
}

}  // namespace nnfpga
