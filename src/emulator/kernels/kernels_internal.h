// Factories of the individual kernels, shared between the family files of src/emulator/kernels/, and the
// vectorized int32 accumulation that Dense and Conv share.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "nnfpga/emulator/kernel.h"
#include "nnfpga/fixed/converter.h"

namespace nnfpga {

std::unique_ptr<Kernel> makeDenseKernel(const Graph& g, const Node& n);
// The XNOR-popcount Dense kernel when denseProduct() says Xnor, else null (binary.cpp).
std::unique_ptr<Kernel> makeXnorDenseKernel(const Graph& g, const Node& n);
// The XNOR-popcount kernel of a plain convolution when convXnor() holds and accum_t sums exactly, else null
// (binary.cpp).
std::unique_ptr<Kernel> makeXnorConvKernel(const Graph& g, const Node& n);
std::unique_ptr<Kernel> makeSoftmaxKernel(const Graph& g, const Node& n);

// The taps of each output pixel that read a real input pixel (padding and inserted zeros contribute nothing and
// are left out), in window order: output pixel p = oh*outW + ow owns taps[begin[p] .. begin[p+1]).
struct TapList {
    struct Tap {
        int pixel;  // input pixel h*inW + w
        int index;  // tap i*kw + j
    };
    std::vector<int> begin;
    std::vector<Tap> taps;

    explicit TapList(const Window& w) {
        int h, x;
        for (int oh = 0; oh < w.outH; ++oh)
            for (int ow = 0; ow < w.outW; ++ow) {
                begin.push_back(static_cast<int>(taps.size()));
                for (int i = 0; i < w.kh; ++i)
                    for (int j = 0; j < w.kw; ++j)
                        if (w.source(oh, ow, i, j, h, x)) taps.push_back({h * w.inW + x, i * w.kw + j});
            }
        begin.push_back(static_cast<int>(taps.size()));
    }
    int pixels() const { return static_cast<int>(begin.size()) - 1; }
    int count(int p) const { return begin[p + 1] - begin[p]; }
};

// A convolution in float64 (the float mode): every real tap's products summed per output pixel, plus the bias.
void convFloat(const ConvAttrs& a, const TapList& taps, const double* x, double* out);


// hls4ml's power-of-two product (Po2Product, core_ops.h): x (raw at xFrac) converted to `type`, times |w| (raw
// at wFrac) converted to `type`, negated in `type` for w < 0. Returns the product raw at type.frac(); `overflowed`
// counts one product whose conversions wrapped.
class Po2ShiftProduct {
public:
    Po2ShiftProduct(const FixedType& type, int xFrac, int wFrac) : t_(type), xFrac_(xFrac), wFrac_(wFrac) {}
    int frac() const { return t_.frac(); }
    int64_t operator()(int64_t x, int64_t w, int64_t& overflowed) const;

private:
    FixedType t_;
    int xFrac_, wFrac_;
};

// Whether products of `in` x `weight` values cast to `accum` and summed there can be computed in int32 with one
// wrap of the int64 total at the end: a signed WRAP accumulator of <= 32 bits whose conversion of a product is a
// floor (TRN, or no fractional bits dropped) and whose products and shifted products stay inside int32.
// `shift` receives in.frac() + weight.frac() - accum.frac().
bool int32Accumulation(const FixedType& in, const FixedType& weight, const FixedType& accum, int& shift);

// One input value against a row of weights: acc[j] += wrap_accW(floor(xi * w[j] / 2^s)) (or * 2^-s for s < 0),
// with up = 32 - accW; returns how many products did not fit accum_t. Inlined into the callers' loops, which are
// compiled for AVX-512, AVX2 and x86-64 (target_clones).
__attribute__((always_inline)) inline int32_t accumulateRowInline(int32_t xi, const int32_t* w, int64_t* acc, int nOut,
                                                                  int s, int up) {
    int32_t ovf = 0;
    if (s >= 0) {
        for (int j = 0; j < nOut; ++j) {
            const int32_t m = (xi * w[j]) >> s;  // floor: TRN into accum_t's grid
            const int32_t mw = static_cast<int32_t>(static_cast<uint32_t>(m) << up) >> up;  // wrap to accW
            ovf += (m != mw);
            acc[j] += mw;
        }
    } else {
        const int32_t scale = 1 << -s;
        for (int j = 0; j < nOut; ++j) {
            const int32_t m = (xi * w[j]) * scale;
            const int32_t mw = static_cast<int32_t>(static_cast<uint32_t>(m) << up) >> up;
            ovf += (m != mw);
            acc[j] += mw;
        }
    }
    return ovf;
}

// Vectors of 16, 8 and 4 int32 lanes (GCC vector extensions; lowered to the instruction set of each clone).
typedef int32_t I32x16 __attribute__((vector_size(64)));
typedef uint32_t U32x16 __attribute__((vector_size(64)));
typedef int32_t I32x8 __attribute__((vector_size(32)));
typedef uint32_t U32x8 __attribute__((vector_size(32)));
typedef int32_t I32x4 __attribute__((vector_size(16)));
typedef uint32_t U32x4 __attribute__((vector_size(16)));

// Per lane, count += 1 where a != b, without a vector comparison (AVX-512F without DQ has no mask-to-vector move,
// and GCC lowers a comparison's -1/0 vector to scalar code there): a != b exactly when d = a ^ b has its sign bit
// or, through -d, some other bit set.
template <class V>
__attribute__((always_inline)) inline void countDiffers(V& count, const V& a, const V& b) {
    const V d = a ^ b;
    typedef unsigned int UL __attribute__((vector_size(sizeof(V))));
    count += reinterpret_cast<V>(reinterpret_cast<UL>(d | -d) >> 31);
}

// All outputs of one dot-product group (Dense, or one pixel of a plain convolution) in blocks of B lanes whose
// int32 sums stay in registers over the n nonzero inputs xs (weight row of input i at w + rows[i], nFiltPad >= the
// output count, a multiple of B, zero-padded). The caller guarantees that no sum leaves int32, so acc holds exact
// totals. Products are floor(x*w / 2^r) * 2^l wrapped to accW (up = 32 - accW); returns how many did not fit.
// Without Wrap (productsFit() holds) the wrap and its count are left out.
template <class V, class U, bool Wrap = true>
__attribute__((always_inline)) inline int32_t macBlocks(const int32_t* xs, const int32_t* rows, int n, const int32_t* w,
                                                        const int32_t* bias, int32_t* acc, int nFiltPad, int r, int l,
                                                        int up) {
    constexpr int B = sizeof(V) / sizeof(int32_t);
    int32_t ovf = 0;
    for (int kb = 0; kb < nFiltPad; kb += B) {
        V a, o = {};
        std::memcpy(&a, bias + kb, sizeof a);
        for (int i = 0; i < n; ++i) {
            V wv;
            std::memcpy(&wv, w + rows[i] + kb, sizeof wv);
            const V m = reinterpret_cast<V>(reinterpret_cast<U>((xs[i] * wv) >> r) << l);
            if constexpr (Wrap) {
                const V mw = reinterpret_cast<V>(reinterpret_cast<U>(m) << up) >> up;
                countDiffers(o, m, mw);
                a += mw;
            } else {
                a += m;
            }
        }
        std::memcpy(acc + kb, &a, sizeof a);
        if constexpr (Wrap)
            for (int k = 0; k < B; ++k) ovf += o[k];
    }
    return ovf;
}

// accumulateRowInline for one input row, dispatched to the best instruction set.
int32_t accumulateRow(int32_t xi, const int32_t* w, int64_t* acc, int nOut, int s, int up);

// Whether floor(x*w / 2^r) * 2^l (r, l from `shift` as int32Accumulation() gives it) fits accum for every raw
// input x of `in` and every raw weight w, so that no product needs its wrap to accum_t.
bool productsFit(const std::vector<int64_t>& w, const FixedType& in, int shift, const FixedType& accum);

// A plain convolution with stride 1, no inserted zeros and at most kMaxFilters filters, computed with output pixels
// in the vector lanes (conv_pixels.cpp): for ConvKernel's int32 case, where the caller has checked that no sum can
// leave int32 (every term and the bias are accum_t values).
class ConvPixelLanes {
public:
    static constexpr int kMaxFilters = 8;
    // Null when the layer does not qualify. w: the kernel's raw weights (Keras layout), bias: raw in accum_t,
    // shift as int32Accumulation() gives it, out: the result type.
    static std::unique_ptr<ConvPixelLanes> make(const ConvAttrs& a, const std::vector<int64_t>& w,
                                                const std::vector<int64_t>& bias, const FixedType& in, int shift,
                                                const FixedType& accum, const FixedType& out);
    // The results of every output pixel p and filter k into out[p*nFilt + k]: exact int32 sums of the products
    // wrapped to accum_t, the sum wrapped once, converted to the result type. Returns how many products, sums
    // and results did not fit their types (ConvKernel's counting).
    int64_t run(const int64_t* x, int64_t* out) const;

    // One filter group's call (the lane loop, compiled per instruction set).
    struct Args {
        const int32_t* plane;
        const int32_t* off;
        int nTerms;
        const int32_t* w;
        const int32_t* bias;
        const int32_t* mask;
        int nq, r, l, up;
        bool wrap;
        int32_t* sums;
        // The result conversion in the lanes: accum_t's range, accum_t -> result shift (> 0: right), rounding,
        // the result's range and overflow mode.
        bool convert, rnd, outWrap, outSigned;
        int32_t accLo, accHi, outLo, outHi, outMask;
        int shift, outUp;
    };

private:
    ConvPixelLanes() = default;
    struct Group {
        int k = 0, first = 0, count = 0;  // k accumulators for filters first .. first+count
        std::vector<int32_t> off, w, bias;  // per (channel, tap) term: plane offset and k weights
    };
    int inH_ = 0, inW_ = 0, nChan_ = 0, nFilt_ = 0, padTop_ = 0, padLeft_ = 0, outH_ = 0, outW_ = 0;
    int hp_ = 0, wp_ = 0, nq_ = 0, r_ = 0, l_ = 0, up_ = 0;
    size_t planeSize_ = 0;
    bool wrap_ = true, convert_ = false, rnd_ = false;
    int shift_ = 0;
    FixedType accum_;
    Converter toResult_;
    std::vector<int32_t> mask_;
    std::vector<Group> groups_;
};

// Two's complement wrap of an int64 sum to `width` bits (1..64).
inline int64_t wrapToWidth(int64_t v, int width) {
    if (width >= 64) return v;
    const int64_t mask = (int64_t(1) << width) - 1, sign = int64_t(1) << (width - 1);
    return ((v & mask) ^ sign) - sign;
}

}  // namespace nnfpga
