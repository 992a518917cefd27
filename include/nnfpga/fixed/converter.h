// Converter: quantize() specialised once for a (source type, destination type) pair, so that the emulator's
// inner loops convert with a shift, a compare and a clamp/wrap. Modes other than TRN/RND rounding and
// WRAP/SAT overflow, and shifts that could leave 64 bits, fall back to quantize().
#pragma once

#include <cstdint>

#include "nnfpga/fixed/quantize.h"

namespace nnfpga {

class Converter {
public:
    Converter() = default;
    // Values of `src` (raw, scaled by 2^-srcFrac where srcFrac = src.frac()) into `dst`. `srcFrac` may be given
    // explicitly for products and sums whose scale differs from any declared type; `srcBits` bounds |raw|.
    Converter(int srcFrac, int srcBits, const FixedType& dst);
    Converter(const FixedType& src, const FixedType& dst) : Converter(src.frac(), src.width, dst) {}

    // Converts raw; adds 1 to `overflows` when the value did not fit.
    int64_t operator()(int64_t raw, int64_t& overflows) const {
        if (general_) {
            QuantizeFlags f;
            const int64_t q = quantize(raw, srcFrac_, dst_, &f);
            overflows += f.overflowed;
            return q;
        }
        int64_t q;
        if (shift_ > 0) q = rnd_ ? ((raw >> (shift_ - 1)) + 1) >> 1 : raw >> shift_;
        else q = static_cast<int64_t>(static_cast<uint64_t>(raw) << -shift_);
        if (q >= lo_ && q <= hi_) return q;
        ++overflows;
        if (wrap_) {
            const uint64_t m = static_cast<uint64_t>(q) & mask_;
            return signed_ && (m >> (width_ - 1)) ? static_cast<int64_t>(m | ~mask_) : static_cast<int64_t>(m);
        }
        return q < lo_ ? lo_ : hi_;
    }

    const FixedType& dst() const { return dst_; }

private:
    FixedType dst_;
    int srcFrac_ = 0, shift_ = 0, width_ = 1;
    int64_t lo_ = 0, hi_ = 0;
    uint64_t mask_ = 0;
    bool general_ = true, rnd_ = false, wrap_ = false, signed_ = true;
};

}  // namespace nnfpga
