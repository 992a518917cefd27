// Converter set-up: decides once whether the fast path reproduces quantize() exactly for this pair of types.
#include "nnfpga/fixed/converter.h"

namespace nnfpga {

Converter::Converter(int srcFrac, int srcBits, const FixedType& dst) : dst_(dst), srcFrac_(srcFrac) {
    shift_ = srcFrac - dst.frac();
    width_ = dst.width;
    signed_ = dst.isSigned;
    lo_ = dst.rawMin();
    hi_ = dst.rawMax();
    mask_ = width_ >= 64 ? ~uint64_t(0) : (uint64_t(1) << width_) - 1;
    rnd_ = dst.rounding == Rounding::RND;
    wrap_ = dst.overflow == Overflow::WRAP;
    const bool roundingOk = shift_ <= 0 || dst.rounding == Rounding::TRN || rnd_;
    const bool overflowOk = wrap_ || dst.overflow == Overflow::SAT;
    // A left shift must keep every source value inside int64; a right shift must stay below 64.
    const bool shiftOk = shift_ > 0 ? shift_ <= 62 : srcBits - shift_ <= 62;
    general_ = !(roundingOk && overflowOk && shiftOk && srcBits <= 63 && width_ <= 63);
}

}  // namespace nnfpga
