// FixedType: an ap_fixed / ap_ufixed / ap_int / ap_uint type (width, integer bits, signedness, rounding and
// overflow modes), its parsing from the strings hls4ml and Vitis write, and its printing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nnfpga {

enum class Rounding { TRN, TRN_ZERO, RND, RND_ZERO, RND_MIN_INF, RND_INF, RND_CONV };
enum class Overflow { WRAP, SAT, SAT_ZERO, SAT_SYM };

// Mode names as hls4ml writes them, without the AP_ prefix ("RND_CONV"); str() adds the prefix.
const char* toString(Rounding r);
const char* toString(Overflow o);

// Widest value path: raw values live in int64, products and sums of two values in __int128.
inline constexpr int kMaxWidth = 64;
// Parser limit on |integer bits|: keeps frac() and the shifts derived from it far from int overflow, and lsb(),
// minValue() and maxValue() inside double's exponent range.
inline constexpr int kMaxIntegerBits = 1000;

struct FixedType {
    int width = 16;
    int integer = 6;  // ap_fixed convention: includes the sign bit; may be <= 0 or > width
    bool isSigned = true;
    Rounding rounding = Rounding::TRN;
    Overflow overflow = Overflow::WRAP;
    bool isInt = false;  // spelled ap_int/ap_uint (integer == width); printing only

    int frac() const { return width - integer; }
    // Raw (integer) range: value = raw * 2^-frac.
    int64_t rawMin() const;
    int64_t rawMax() const;
    double lsb() const;
    double minValue() const;
    double maxValue() const;

    // C++ spelling: ap_fixed<16,6>, ap_ufixed<8,0,AP_RND,AP_SAT>, ap_int<8>, ap_uint<1>. Modes are printed
    // only when they differ from TRN/WRAP.
    std::string str() const;

    bool operator==(const FixedType&) const = default;

    static FixedType fixed(int w, int i, bool s = true, Rounding r = Rounding::TRN, Overflow o = Overflow::WRAP);
    static FixedType integerType(int w, bool s = true);
};

// The smallest b with 2^b >= n (0 for n <= 1): the bits a sum of n terms adds.
inline int ceilLog2(int64_t n) {
    int b = 0;
    while ((int64_t(1) << b) < n) ++b;
    return b;
}

// Parse a type string: "ap_fixed<16,6>", "ap_fixed<16, 6, AP_RND_CONV, AP_SAT>", "ap_ufixed<8,0>", "ap_int<8>",
// "ap_uint<1>", the short forms "fixed<16,6>", "ufixed<…>", "int<8>", "uint<8>", hls4ml's printed
// "fixed<16,6,TRN,WRAP,0>", and mode names with or without the AP_ prefix. Returns nullopt with a reason.
std::optional<FixedType> parseFixedType(std::string_view text, std::string* why = nullptr);
// Same, but raises a UserError "invalid type '…': <reason>".
FixedType parseFixedTypeOrFail(std::string_view text);

}  // namespace nnfpga
