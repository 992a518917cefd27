// Converter (the emulator's specialised conversion) must equal quantize() for every pair of types, on the fast
// path and the fallback alike, including the overflow count.
#include <gtest/gtest.h>

#include <random>

#include "nnfpga/fixed/converter.h"

using namespace nnfpga;

TEST(Converter, EqualsQuantizeOnRandomTypesAndValues) {
    std::mt19937_64 rng(99);
    int64_t cases = 0;
    for (int trial = 0; trial < 4000; ++trial) {
        const int sw = 1 + rng() % 40, dw = 1 + rng() % 40;
        const FixedType src = FixedType::fixed(sw, static_cast<int>(rng() % (sw + 10)) - 5, rng() % 3 != 0);
        const FixedType dst = FixedType::fixed(dw, static_cast<int>(rng() % (dw + 10)) - 5, rng() % 3 != 0,
                                               static_cast<Rounding>(rng() % 7), static_cast<Overflow>(rng() % 4));
        const Converter c(src, dst);
        for (int k = 0; k < 200; ++k) {
            const int64_t raw = src.rawMin() + static_cast<int64_t>(rng() % static_cast<uint64_t>(src.rawMax() - src.rawMin() + 1));
            QuantizeFlags f;
            const int64_t want = quantize(raw, src.frac(), dst, &f);
            int64_t ovf = 0;
            ASSERT_EQ(c(raw, ovf), want) << src.str() << " -> " << dst.str() << " raw " << raw;
            ASSERT_EQ(ovf, f.overflowed ? 1 : 0) << src.str() << " -> " << dst.str() << " raw " << raw;
            ++cases;
        }
    }
    EXPECT_EQ(cases, 800000);
}
