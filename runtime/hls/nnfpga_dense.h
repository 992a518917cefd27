// Dense layers. Numerics (docs/semantics.md "Dense"): each product converted to accum_t, added in accum_t in
// increasing input order per output, one conversion to the result type. Latency: fully unrolled, II = 1 at
// reuse factor 1. Resource: folded over reuse_factor cycles; each cycle handles a contiguous block of the
// (input, output) products in input order, so the addition order per output is the same as Latency's.
#ifndef NNFPGA_HLS_DENSE_H_
#define NNFPGA_HLS_DENSE_H_

#include "nnfpga_common.h"

namespace nnfpga_hls {

// Fully unrolled: bias, then every product in input order, one conversion per output.
template <class data_T, class res_T, typename CONFIG_T, class Product>
void dense_unrolled(const data_T data[CONFIG_T::n_in], res_T res[CONFIG_T::n_out],
                    const typename CONFIG_T::weight_t weights[CONFIG_T::n_in * CONFIG_T::n_out],
                    const typename CONFIG_T::bias_t biases[CONFIG_T::n_out]) {
NNFPGA_PRAGMA(HLS INLINE)
    typename CONFIG_T::accum_t acc[CONFIG_T::n_out];
NNFPGA_PRAGMA(HLS ARRAY_PARTITION variable = acc complete)
NNFPGA_LABEL(InitAccum)
    for (unsigned j = 0; j < CONFIG_T::n_out; j++) {
NNFPGA_PRAGMA(HLS UNROLL)
        acc[j] = (typename CONFIG_T::accum_t)biases[j];
    }
NNFPGA_LABEL(Product)
    for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
NNFPGA_PRAGMA(HLS UNROLL)
        for (unsigned j = 0; j < CONFIG_T::n_out; j++) {
NNFPGA_PRAGMA(HLS UNROLL)
            Product::add(acc[j], data[i], weights[i * CONFIG_T::n_out + j]);
        }
    }
NNFPGA_LABEL(Result)
    for (unsigned j = 0; j < CONFIG_T::n_out; j++) {
NNFPGA_PRAGMA(HLS UNROLL)
        res[j] = (res_T)acc[j];
    }
}

template <class data_T, class res_T, typename CONFIG_T>
void dense_latency(const data_T data[CONFIG_T::n_in], res_T res[CONFIG_T::n_out],
                   const typename CONFIG_T::weight_t weights[CONFIG_T::n_in * CONFIG_T::n_out],
                   const typename CONFIG_T::bias_t biases[CONFIG_T::n_out]) {
NNFPGA_PRAGMA(HLS INLINE)
    dense_unrolled<data_T, res_T, CONFIG_T, mult_product<CONFIG_T> >(data, res, weights, biases);
}

// reuse_factor R: n_in*n_out products in R steps of block = n_in*n_out/R products each, in (input, output)
// order. Valid R: divides n_in (whole rows per step) or is a multiple of n_in dividing n_in*n_out.
template <class data_T, class res_T, typename CONFIG_T, class Product = mult_product<CONFIG_T> >
void dense_resource(const data_T data[CONFIG_T::n_in], res_T res[CONFIG_T::n_out],
                    const typename CONFIG_T::weight_t weights[CONFIG_T::n_in * CONFIG_T::n_out],
                    const typename CONFIG_T::bias_t biases[CONFIG_T::n_out]) {
NNFPGA_PRAGMA(HLS INLINE)
    const unsigned total = CONFIG_T::n_in * CONFIG_T::n_out;
    const unsigned block = total / CONFIG_T::reuse_factor;
    typename CONFIG_T::accum_t acc[CONFIG_T::n_out];
NNFPGA_PRAGMA(HLS ARRAY_PARTITION variable = acc complete)
NNFPGA_PRAGMA(HLS ARRAY_RESHAPE variable = weights block factor = block)
NNFPGA_LABEL(InitAccum)
    for (unsigned j = 0; j < CONFIG_T::n_out; j++) {
NNFPGA_PRAGMA(HLS UNROLL)
        acc[j] = (typename CONFIG_T::accum_t)biases[j];
    }
NNFPGA_LABEL(Reuse)
    for (unsigned r = 0; r < CONFIG_T::reuse_factor; r++) {
NNFPGA_PRAGMA(HLS PIPELINE II = 1 rewind)
    NNFPGA_LABEL(Block)
        for (unsigned k = 0; k < block; k++) {
NNFPGA_PRAGMA(HLS UNROLL)
            const unsigned idx = r * block + k;
            const unsigned i = idx / CONFIG_T::n_out;
            const unsigned j = idx % CONFIG_T::n_out;
            Product::add(acc[j], data[i], weights[idx]);
        }
    }
NNFPGA_LABEL(Result)
    for (unsigned j = 0; j < CONFIG_T::n_out; j++) {
NNFPGA_PRAGMA(HLS UNROLL)
        res[j] = (res_T)acc[j];
    }
}

// Multiplier-free dense (nnfpga::denseProduct): binary or ternary weights, in the order and with the
// conversions of dense_latency.
template <class data_T, class res_T, typename CONFIG_T>
void dense_sign(const data_T data[CONFIG_T::n_in], res_T res[CONFIG_T::n_out],
                const typename CONFIG_T::weight_t weights[CONFIG_T::n_in * CONFIG_T::n_out],
                const typename CONFIG_T::bias_t biases[CONFIG_T::n_out]) {
NNFPGA_PRAGMA(HLS INLINE)
    dense_unrolled<data_T, res_T, CONFIG_T, sign_product<CONFIG_T> >(data, res, weights, biases);
}

// Binary weights (ap_uint<1>, 1 for +1) on inputs that are +1 or -1: the sum of the products is
// 2 * popcount(x XNOR w) - n_in. accum_t holds every product and partial sum exactly (nnfpga::denseProduct
// checks), so converting bias + sum once equals the product-by-product accumulation.
template <class data_T, class res_T, typename CONFIG_T>
void dense_xnor(const data_T data[CONFIG_T::n_in], res_T res[CONFIG_T::n_out],
                const typename CONFIG_T::weight_t weights[CONFIG_T::n_in * CONFIG_T::n_out],
                const typename CONFIG_T::bias_t biases[CONFIG_T::n_out]) {
NNFPGA_PRAGMA(HLS INLINE)
    ap_uint<1> x[CONFIG_T::n_in];
NNFPGA_PRAGMA(HLS ARRAY_PARTITION variable = x complete)
    for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
NNFPGA_PRAGMA(HLS UNROLL)
        x[i] = data[i] > 0 ? 1 : 0;
    }
NNFPGA_LABEL(Popcount)
    for (unsigned j = 0; j < CONFIG_T::n_out; j++) {
NNFPGA_PRAGMA(HLS UNROLL)
        int pop = 0;
        for (unsigned i = 0; i < CONFIG_T::n_in; i++) {
NNFPGA_PRAGMA(HLS UNROLL)
            pop += (x[i] == weights[i * CONFIG_T::n_out + j]) ? 1 : 0;
        }
        typename CONFIG_T::accum_t acc = (typename CONFIG_T::accum_t)biases[j];
        acc += (typename CONFIG_T::accum_t)(2 * pop - int(CONFIG_T::n_in));
        res[j] = (res_T)acc;
    }
}

// Latency (unrolled) or Resource (folded over reuse_factor) by CONFIG_T::strategy, with the product policy Product.
template <class data_T, class res_T, typename CONFIG_T, class Product>
void dense_strategy(const data_T data[CONFIG_T::n_in], res_T res[CONFIG_T::n_out],
                    const typename CONFIG_T::weight_t weights[CONFIG_T::n_in * CONFIG_T::n_out],
                    const typename CONFIG_T::bias_t biases[CONFIG_T::n_out]) {
NNFPGA_PRAGMA(HLS INLINE)
    if (CONFIG_T::strategy == 0) {
        dense_unrolled<data_T, res_T, CONFIG_T, Product>(data, res, weights, biases);
    } else {
        dense_resource<data_T, res_T, CONFIG_T, Product>(data, res, weights, biases);
    }
}

// Power-of-two weights with hls4ml's truncating shift products (po2_product, CONFIG_T::product_t).
template <class data_T, class res_T, typename CONFIG_T>
void dense_po2(const data_T data[CONFIG_T::n_in], res_T res[CONFIG_T::n_out],
               const typename CONFIG_T::weight_t weights[CONFIG_T::n_in * CONFIG_T::n_out],
               const typename CONFIG_T::bias_t biases[CONFIG_T::n_out]) {
NNFPGA_PRAGMA(HLS INLINE)
    dense_strategy<data_T, res_T, CONFIG_T, po2_product<CONFIG_T> >(data, res, weights, biases);
}

template <class data_T, class res_T, typename CONFIG_T>
void dense(const data_T data[CONFIG_T::n_in], res_T res[CONFIG_T::n_out],
           const typename CONFIG_T::weight_t weights[CONFIG_T::n_in * CONFIG_T::n_out],
           const typename CONFIG_T::bias_t biases[CONFIG_T::n_out]) {
NNFPGA_PRAGMA(HLS INLINE)
    dense_strategy<data_T, res_T, CONFIG_T, mult_product<CONFIG_T> >(data, res, weights, biases);
}

}  // namespace nnfpga_hls

#endif
