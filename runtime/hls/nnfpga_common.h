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

}  // namespace nnfpga_hls

#endif
