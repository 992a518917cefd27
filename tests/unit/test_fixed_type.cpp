// Unit tests for FixedType: ranges, printing, parsing of every accepted spelling, print/parse round trips,
// and the text of every parse error.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>

#include "nnfpga/fixed/fixed_type.h"
#include "nnfpga/support/diagnostics.h"

namespace nnfpga {
namespace {

constexpr Rounding kAllRoundings[] = {Rounding::TRN,     Rounding::TRN_ZERO,    Rounding::RND,    Rounding::RND_ZERO,
                                      Rounding::RND_MIN_INF, Rounding::RND_INF, Rounding::RND_CONV};
constexpr Overflow kAllOverflows[] = {Overflow::WRAP, Overflow::SAT, Overflow::SAT_ZERO, Overflow::SAT_SYM};

FixedType parseOk(const std::string& text) {
    std::string why;
    std::optional<FixedType> t = parseFixedType(text, &why);
    EXPECT_TRUE(t.has_value()) << text << ": " << why;
    return t.value_or(FixedType{});
}

std::string reasonFor(const std::string& text) {
    std::string why;
    std::optional<FixedType> t = parseFixedType(text, &why);
    EXPECT_FALSE(t.has_value()) << text << " parsed as " << (t ? t->str() : "");
    return why;
}

TEST(FixedType, ModeNames) {
    EXPECT_STREQ(toString(Rounding::TRN), "TRN");
    EXPECT_STREQ(toString(Rounding::TRN_ZERO), "TRN_ZERO");
    EXPECT_STREQ(toString(Rounding::RND), "RND");
    EXPECT_STREQ(toString(Rounding::RND_ZERO), "RND_ZERO");
    EXPECT_STREQ(toString(Rounding::RND_MIN_INF), "RND_MIN_INF");
    EXPECT_STREQ(toString(Rounding::RND_INF), "RND_INF");
    EXPECT_STREQ(toString(Rounding::RND_CONV), "RND_CONV");
    EXPECT_STREQ(toString(Overflow::WRAP), "WRAP");
    EXPECT_STREQ(toString(Overflow::SAT), "SAT");
    EXPECT_STREQ(toString(Overflow::SAT_ZERO), "SAT_ZERO");
    EXPECT_STREQ(toString(Overflow::SAT_SYM), "SAT_SYM");
}

TEST(FixedType, RawRange) {
    EXPECT_EQ(FixedType::fixed(16, 6).rawMin(), -32768);
    EXPECT_EQ(FixedType::fixed(16, 6).rawMax(), 32767);
    EXPECT_EQ(FixedType::fixed(8, 0, false).rawMin(), 0);
    EXPECT_EQ(FixedType::fixed(8, 0, false).rawMax(), 255);
    EXPECT_EQ(FixedType::fixed(1, 1).rawMin(), -1);
    EXPECT_EQ(FixedType::fixed(1, 1).rawMax(), 0);
    EXPECT_EQ(FixedType::integerType(1, false).rawMin(), 0);
    EXPECT_EQ(FixedType::integerType(1, false).rawMax(), 1);
    EXPECT_EQ(FixedType::integerType(64).rawMin(), INT64_MIN);
    EXPECT_EQ(FixedType::integerType(64).rawMax(), INT64_MAX);
    EXPECT_EQ(FixedType::integerType(63).rawMin(), -(int64_t(1) << 62));
    EXPECT_EQ(FixedType::integerType(63, false).rawMax(), INT64_MAX);
    for (int w = 1; w <= 63; ++w) {
        EXPECT_EQ(FixedType::fixed(w, 0).rawMin(), -(int64_t(1) << (w - 1))) << w;
        EXPECT_EQ(FixedType::fixed(w, 0).rawMax(), (int64_t(1) << (w - 1)) - 1) << w;
        EXPECT_EQ(FixedType::fixed(w, 0, false).rawMax(), static_cast<int64_t>((uint64_t(1) << w) - 1)) << w;
    }
}

TEST(FixedType, Values) {
    FixedType t = FixedType::fixed(16, 6);
    EXPECT_EQ(t.frac(), 10);
    EXPECT_EQ(t.lsb(), 1.0 / 1024);
    EXPECT_EQ(t.minValue(), -32.0);
    EXPECT_EQ(t.maxValue(), 32.0 - 1.0 / 1024);
    FixedType u = FixedType::fixed(4, 6, false);  // integer bits above the width: a coarse grid
    EXPECT_EQ(u.frac(), -2);
    EXPECT_EQ(u.lsb(), 4.0);
    EXPECT_EQ(u.minValue(), 0.0);
    EXPECT_EQ(u.maxValue(), 60.0);
    FixedType n = FixedType::fixed(4, -2);  // negative integer bits: only small values
    EXPECT_EQ(n.lsb(), 1.0 / 64);
    EXPECT_EQ(n.minValue(), -8.0 / 64);
    EXPECT_EQ(n.maxValue(), 7.0 / 64);
    EXPECT_EQ(FixedType::integerType(64).minValue(), -std::ldexp(1.0, 63));
    // The extremes of the integer-bit limit stay finite and non-zero in double.
    FixedType lo = FixedType::fixed(64, -kMaxIntegerBits);
    EXPECT_GT(lo.lsb(), 0.0);
    FixedType hi = FixedType::fixed(64, kMaxIntegerBits);
    EXPECT_TRUE(std::isfinite(hi.maxValue()));
    EXPECT_TRUE(std::isfinite(hi.minValue()));
    EXPECT_TRUE(std::isfinite(FixedType::fixed(1, 1 - kMaxIntegerBits).lsb()));
}

TEST(FixedType, Constructors) {
    FixedType f = FixedType::fixed(8, 3, false, Rounding::RND, Overflow::SAT);
    EXPECT_EQ(f.width, 8);
    EXPECT_EQ(f.integer, 3);
    EXPECT_FALSE(f.isSigned);
    EXPECT_EQ(f.rounding, Rounding::RND);
    EXPECT_EQ(f.overflow, Overflow::SAT);
    EXPECT_FALSE(f.isInt);
    FixedType i = FixedType::integerType(12, false);
    EXPECT_EQ(i.width, 12);
    EXPECT_EQ(i.integer, 12);
    EXPECT_FALSE(i.isSigned);
    EXPECT_TRUE(i.isInt);
    EXPECT_EQ(i.rounding, Rounding::TRN);
    EXPECT_EQ(i.overflow, Overflow::WRAP);
    EXPECT_TRUE(FixedType::integerType(5).isSigned);
}

TEST(FixedType, Print) {
    EXPECT_EQ(FixedType::fixed(16, 6).str(), "ap_fixed<16,6>");
    EXPECT_EQ(FixedType::fixed(8, 0, false, Rounding::RND, Overflow::SAT).str(), "ap_ufixed<8,0,AP_RND,AP_SAT>");
    EXPECT_EQ(FixedType::fixed(8, 3, true, Rounding::TRN, Overflow::SAT).str(), "ap_fixed<8,3,AP_TRN,AP_SAT>");
    EXPECT_EQ(FixedType::fixed(8, 3, true, Rounding::RND_CONV).str(), "ap_fixed<8,3,AP_RND_CONV>");
    EXPECT_EQ(FixedType::fixed(8, -3, true, Rounding::TRN_ZERO, Overflow::SAT_SYM).str(),
              "ap_fixed<8,-3,AP_TRN_ZERO,AP_SAT_SYM>");
    EXPECT_EQ(FixedType::integerType(8).str(), "ap_int<8>");
    EXPECT_EQ(FixedType::integerType(1, false).str(), "ap_uint<1>");
    EXPECT_EQ(FixedType::fixed(8, 8).str(), "ap_fixed<8,8>");  // not spelled as an integer: prints as written
    // An isInt type that is no longer an integer type prints in full rather than losing information.
    FixedType odd = FixedType::integerType(8);
    odd.overflow = Overflow::SAT;
    EXPECT_EQ(odd.str(), "ap_fixed<8,8,AP_TRN,AP_SAT>");
    odd = FixedType::integerType(8);
    odd.integer = 4;
    EXPECT_EQ(odd.str(), "ap_fixed<8,4>");
}

TEST(FixedType, ParseSpellings) {
    EXPECT_EQ(parseOk("ap_fixed<16,6>"), FixedType::fixed(16, 6));
    EXPECT_EQ(parseOk("ap_fixed< 16 , 6 >"), FixedType::fixed(16, 6));
    EXPECT_EQ(parseOk("  ap_fixed <16,6>  "), FixedType::fixed(16, 6));
    EXPECT_EQ(parseOk("\tap_fixed<\n16,\t6\n>"), FixedType::fixed(16, 6));
    EXPECT_EQ(parseOk("ap_ufixed<8,0>"), FixedType::fixed(8, 0, false));
    EXPECT_EQ(parseOk("fixed<16,6>"), FixedType::fixed(16, 6));
    EXPECT_EQ(parseOk("ufixed<8,3>"), FixedType::fixed(8, 3, false));
    EXPECT_EQ(parseOk("ap_int<8>"), FixedType::integerType(8));
    EXPECT_EQ(parseOk("ap_uint<1>"), FixedType::integerType(1, false));
    EXPECT_EQ(parseOk("int<8>"), FixedType::integerType(8));
    EXPECT_EQ(parseOk("uint< 12 >"), FixedType::integerType(12, false));
    EXPECT_EQ(parseOk("AP_FIXED<16,6>"), FixedType::fixed(16, 6));
    EXPECT_EQ(parseOk("ap_fixed<16,6,AP_RND_CONV,AP_SAT>"),
              FixedType::fixed(16, 6, true, Rounding::RND_CONV, Overflow::SAT));
    EXPECT_EQ(parseOk("ap_fixed<16, 6, RND_CONV, SAT>"),
              FixedType::fixed(16, 6, true, Rounding::RND_CONV, Overflow::SAT));
    EXPECT_EQ(parseOk("ap_fixed<16,6,rnd_conv,ap_sat_sym>"),
              FixedType::fixed(16, 6, true, Rounding::RND_CONV, Overflow::SAT_SYM));
    EXPECT_EQ(parseOk("ap_fixed<16,6,Ap_Rnd>"), FixedType::fixed(16, 6, true, Rounding::RND));
    EXPECT_EQ(parseOk("fixed<16,6,TRN,WRAP,0>"), FixedType::fixed(16, 6));
    EXPECT_EQ(parseOk("fixed<16,6,RND_MIN_INF,SAT_ZERO,0>"),
              FixedType::fixed(16, 6, true, Rounding::RND_MIN_INF, Overflow::SAT_ZERO));
    EXPECT_EQ(parseOk("ufixed<8,0,RND_INF,SAT, 0 >"),
              FixedType::fixed(8, 0, false, Rounding::RND_INF, Overflow::SAT));
    EXPECT_EQ(parseOk("ap_fixed<8,-3>"), FixedType::fixed(8, -3));
    EXPECT_EQ(parseOk("ap_fixed<8,+3>"), FixedType::fixed(8, 3));
    EXPECT_EQ(parseOk("ap_fixed<4,12>"), FixedType::fixed(4, 12));
    EXPECT_EQ(parseOk("ap_fixed<64,64>"), FixedType::fixed(64, 64));
    EXPECT_EQ(parseOk("ap_int<64>"), FixedType::integerType(64));
    EXPECT_EQ(parseOk("ap_ufixed<63,0>"), FixedType::fixed(63, 0, false));
    EXPECT_EQ(parseOk("ap_uint<63>"), FixedType::integerType(63, false));
    EXPECT_EQ(parseOk("ap_fixed<1,1>"), FixedType::fixed(1, 1));
    EXPECT_EQ(parseOk("ap_fixed<8,-1000>"), FixedType::fixed(8, -kMaxIntegerBits));
    EXPECT_EQ(parseOk("ap_fixed<8,1000>"), FixedType::fixed(8, kMaxIntegerBits));
    EXPECT_EQ(parseOk("ap_fixed<008,03>"), FixedType::fixed(8, 3));
    EXPECT_FALSE(parseOk("ap_fixed<8,8>").isInt);
    EXPECT_TRUE(parseOk("ap_int<8>").isInt);
}

TEST(FixedType, ParseWithoutReasonPointer) {
    EXPECT_TRUE(parseFixedType("ap_fixed<8,3>").has_value());
    EXPECT_FALSE(parseFixedType("ap_fixed<8>").has_value());
}

TEST(FixedType, PrintParseRoundTrip) {
    int checked = 0;
    for (bool s : {true, false}) {
        for (int w = 1; w <= 64; ++w) {
            if (!s && w == 64) continue;
            FixedType it = FixedType::integerType(w, s);
            EXPECT_EQ(parseOk(it.str()), it) << it.str();
            for (int i : {-kMaxIntegerBits, -9, -1, 0, 1, w - 1, w, w + 1, w + 7, kMaxIntegerBits}) {
                for (Rounding r : kAllRoundings) {
                    for (Overflow o : kAllOverflows) {
                        FixedType t = FixedType::fixed(w, i, s, r, o);
                        EXPECT_EQ(parseOk(t.str()), t) << t.str();
                        ++checked;
                    }
                }
            }
        }
    }
    EXPECT_GT(checked, 35000);
}

TEST(FixedType, ParseErrors) {
    EXPECT_EQ(reasonFor(""), "empty type");
    EXPECT_EQ(reasonFor("   "), "empty type");
    EXPECT_EQ(reasonFor("ap_float<8,3>"),
              "unknown type name 'ap_float' (expected ap_fixed, ap_ufixed, ap_int, ap_uint, or fixed, ufixed, int, "
              "uint)");
    EXPECT_EQ(reasonFor("garbage"),
              "unknown type name 'garbage' (expected ap_fixed, ap_ufixed, ap_int, ap_uint, or fixed, ufixed, int, "
              "uint)");
    EXPECT_EQ(reasonFor("<8,3>"),
              "unknown type name '' (expected ap_fixed, ap_ufixed, ap_int, ap_uint, or fixed, ufixed, int, uint)");
    EXPECT_EQ(reasonFor("ap_fixed"), "expected '<' after 'ap_fixed'");
    EXPECT_EQ(reasonFor("ap_fixed<16,6"), "missing closing '>'");
    EXPECT_EQ(reasonFor("ap_fixed<16,6> x"), "unexpected text 'x' after '>'");
    EXPECT_EQ(reasonFor("ap_fixed<16,6>>"), "unexpected text '>' after '>'");
    EXPECT_EQ(reasonFor("ap_fixed<>"), "missing width");
    EXPECT_EQ(reasonFor("ap_int< >"), "missing width");
    EXPECT_EQ(reasonFor("ap_fixed<16,>"), "parameter 2 is empty");
    EXPECT_EQ(reasonFor("ap_fixed<16,6,,SAT>"), "parameter 3 is empty");
    EXPECT_EQ(reasonFor("ap_fixed<16>"),
              "ap_fixed takes 2 to 5 parameters (width, integer bits[, rounding[, overflow[, saturation bits]]]), "
              "got 1");
    EXPECT_EQ(reasonFor("fixed<16,6,TRN,WRAP,0,1>"),
              "fixed takes 2 to 5 parameters (width, integer bits[, rounding[, overflow[, saturation bits]]]), got 6");
    EXPECT_EQ(reasonFor("ap_int<8,3>"), "ap_int takes exactly 1 parameter (width), got 2");
    EXPECT_EQ(reasonFor("uint<8,3>"), "uint takes exactly 1 parameter (width), got 2");
    EXPECT_EQ(reasonFor("ap_fixed<x,6>"), "width must be an integer, got 'x'");
    EXPECT_EQ(reasonFor("ap_fixed<1 6,6>"), "width must be an integer, got '1 6'");
    EXPECT_EQ(reasonFor("ap_fixed<16.0,6>"), "width must be an integer, got '16.0'");
    EXPECT_EQ(reasonFor("ap_fixed<70,6>"), "width must be between 1 and 64, got 70");
    EXPECT_EQ(reasonFor("ap_fixed<0,0>"), "width must be between 1 and 64, got 0");
    EXPECT_EQ(reasonFor("ap_int<-4>"), "width must be between 1 and 64, got -4");
    EXPECT_EQ(reasonFor("ap_int<99999999999999999999>"), "width must be between 1 and 64, got 99999999999999999999");
    EXPECT_EQ(reasonFor("ap_ufixed<64,0>"), "unsigned width must be at most 63, got 64");
    EXPECT_EQ(reasonFor("ap_uint<64>"), "unsigned width must be at most 63, got 64");
    EXPECT_EQ(reasonFor("ap_fixed<16,six>"), "integer bits must be an integer, got 'six'");
    EXPECT_EQ(reasonFor("ap_fixed<16,1001>"), "integer bits must be between -1000 and 1000, got 1001");
    EXPECT_EQ(reasonFor("ap_fixed<16,-1001>"), "integer bits must be between -1000 and 1000, got -1001");
    EXPECT_EQ(reasonFor("ap_fixed<16,-99999999999999999999>"),
              "integer bits must be between -1000 and 1000, got -99999999999999999999");
    EXPECT_EQ(reasonFor("ap_fixed<16,6,AP_ROUND>"),
              "unknown rounding mode 'AP_ROUND' (expected TRN, TRN_ZERO, RND, RND_ZERO, RND_MIN_INF, RND_INF, "
              "RND_CONV)");
    EXPECT_EQ(reasonFor("ap_fixed<16,6,SAT>"),
              "unknown rounding mode 'SAT' (expected TRN, TRN_ZERO, RND, RND_ZERO, RND_MIN_INF, RND_INF, RND_CONV)");
    EXPECT_EQ(reasonFor("ap_fixed<16,6,RND,CLAMP>"),
              "unknown overflow mode 'CLAMP' (expected WRAP, SAT, SAT_ZERO, SAT_SYM)");
    EXPECT_EQ(reasonFor("ap_fixed<16,6,RND,RND>"),
              "unknown overflow mode 'RND' (expected WRAP, SAT, SAT_ZERO, SAT_SYM)");
    EXPECT_EQ(reasonFor("fixed<16,6,TRN,WRAP,2>"), "saturation bits other than 0 are not supported, got 2");
    EXPECT_EQ(reasonFor("fixed<16,6,TRN,WRAP,-1>"), "saturation bits other than 0 are not supported, got -1");
    EXPECT_EQ(reasonFor("fixed<16,6,TRN,WRAP,n>"), "saturation bits must be an integer, got 'n'");
}

TEST(FixedType, ParseOrFail) {
    EXPECT_EQ(parseFixedTypeOrFail("fixed<8,3,RND,SAT,0>"), FixedType::fixed(8, 3, true, Rounding::RND, Overflow::SAT));
    try {
        parseFixedTypeOrFail("ap_fixed<70,6>");
        FAIL() << "expected a UserError";
    } catch (const UserError& e) {
        EXPECT_STREQ(e.what(), "invalid type 'ap_fixed<70,6>': width must be between 1 and 64, got 70");
        EXPECT_EQ(e.exitCode(), 1);
    }
    try {
        parseFixedTypeOrFail(" ap_fixed<16,6,FOO> ");  // the text is quoted as given, spaces included
        FAIL() << "expected a UserError";
    } catch (const UserError& e) {
        EXPECT_STREQ(e.what(),
                     "invalid type ' ap_fixed<16,6,FOO> ': unknown rounding mode 'FOO' (expected TRN, TRN_ZERO, RND, "
                     "RND_ZERO, RND_MIN_INF, RND_INF, RND_CONV)");
    }
}

}  // namespace
}  // namespace nnfpga
