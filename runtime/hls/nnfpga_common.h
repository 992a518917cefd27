// nnfpga HLS layer library: common definitions. Header-only, used by every generated project; vendor
// differences (Vitis/Vivado HLS, or plain g++ with nnfpga's own ap_types) stay behind these few lines.
#ifndef NNFPGA_HLS_COMMON_H_
#define NNFPGA_HLS_COMMON_H_

#include "ap_fixed.h"
#include "ap_int.h"
#include "hls_stream.h"

// HLS directives and loop labels exist for synthesis only: C simulation builds see neither, so generated
// projects compile warning-free (-Wall -Wextra -Werror) with g++ and clang++.
#ifdef __SYNTHESIS__
#define NNFPGA_PRAGMA(...) _Pragma(#__VA_ARGS__)
#define NNFPGA_LABEL(name) name:
#else
#define NNFPGA_PRAGMA(...)
#define NNFPGA_LABEL(name)
#endif

namespace nnfpga_hls {

// A packed group of values moved as one stream transaction (io_stream).
template <class T, unsigned N>
struct array {
    typedef T value_type;
    static const unsigned size = N;
    T data[N];
    T& operator[](unsigned i) { return data[i]; }
    const T& operator[](unsigned i) const { return data[i]; }
};

#ifndef __SYNTHESIS__
// C simulation: converts the exact double values of a constant array into its fixed-point type, once, before
// main() (generated weight headers call it from a static initialiser).
template <class T>
bool fill(T* dst, const double* values, unsigned n) {
    for (unsigned i = 0; i < n; i++) dst[i] = T(values[i]);
    return true;
}
#endif

// The product of one input and one weight, converted to accum_t and added into acc. mult_product multiplies
// (zero weights skipped when CONFIG_T::nonzero); sign_product is multiplier-free: binary weights (weight_t
// ap_uint<1>, 1 for +1, 0 for -1) or ternary weights (CONFIG_T::ternary, weight_t ap_int<2>) add x or -x
// (ternary zeros skipped); po2_product (below) is hls4ml's truncating power-of-two product. Dense and convolutions take
// one of them as their product policy.
template <typename CONFIG_T>
struct mult_product {
    template <class data_T>
    static void add(typename CONFIG_T::accum_t& acc, const data_T& x, const typename CONFIG_T::weight_t& w) {
NNFPGA_PRAGMA(HLS INLINE)
        if (CONFIG_T::nonzero == 0 || w != 0) acc += (typename CONFIG_T::accum_t)(x * w);
    }
};

template <typename CONFIG_T>
struct sign_product {
    template <class data_T>
    static void add(typename CONFIG_T::accum_t& acc, const data_T& x, const typename CONFIG_T::weight_t& w) {
NNFPGA_PRAGMA(HLS INLINE)
        const bool plus = CONFIG_T::ternary ? w > 0 : w == 1;
        typedef typename CONFIG_T::accum_t accum_t;
        if (!CONFIG_T::ternary || w != 0) acc += plus ? (accum_t)x : (accum_t)(-x);
    }
};

// xnor_product: binary weights stored as one bit (weight_t ap_uint<1>, 1 for +1) on inputs of -1 or +1 (a binary
// activation; 0 only for a padding tap, which adds nothing): +1 where the two signs agree (XNOR), -1 where they
// differ, so a sum over n real taps is 2 * popcount(x XNOR w) - n.
template <typename CONFIG_T>
struct xnor_product {
    template <class data_T>
    static void add(typename CONFIG_T::accum_t& acc, const data_T& x, const typename CONFIG_T::weight_t& w) {
NNFPGA_PRAGMA(HLS INLINE)
        typedef typename CONFIG_T::accum_t accum_t;
        if (x != 0) acc += ((x > 0) == (w == 1)) ? (accum_t)1 : (accum_t)(-1);
    }
};

// po2_product: hls4ml's product for power-of-two weights (Model Po2Product: hls4ml; docs/semantics.md "Dense"): x
// converted to CONFIG_T::product_t (ap_fixed<2(E+Wx), E+Wx>), times |w| there (a shift: its dropped low bits are a
// floor), negated there for a negative weight, then converted to accum_t.
template <typename CONFIG_T>
struct po2_product {
    template <class data_T>
    static void add(typename CONFIG_T::accum_t& acc, const data_T& x, const typename CONFIG_T::weight_t& w) {
NNFPGA_PRAGMA(HLS INLINE)
        typedef typename CONFIG_T::product_t product_t;
        typedef typename CONFIG_T::accum_t accum_t;
        const product_t xp = x;
        if (w < 0) {
            const product_t m = xp * (-w);
            acc += (accum_t)(product_t)(-m);
        } else {
            acc += (accum_t)(product_t)(xp * w);
        }
    }
};

}  // namespace nnfpga_hls

#endif
