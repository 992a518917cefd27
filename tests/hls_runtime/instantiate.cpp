// Instantiates every function of the HLS layer library once (all headers together), so that run.sh can
// compile the library as generated projects do: C++11 and C++17, g++ and clang++, -Wall -Wextra -Werror.
// Needs nothing but the library and an ap types directory (with hls_stream.h).
#include <type_traits>

#include "nnfpga_activation.h"
#include "nnfpga_batchnorm.h"
#include "nnfpga_conv.h"
#include "nnfpga_dense.h"
#include "nnfpga_layout.h"
#include "nnfpga_merge.h"
#include "nnfpga_quantize.h"
#include "nnfpga_pool.h"
#include "nnfpga_softmax.h"

namespace {

typedef ap_fixed<16, 6> data_t;
typedef ap_fixed<12, 2, AP_RND, AP_SAT> result_t;

struct act_config {
    static const unsigned n_in = 8;
    static const unsigned table_size = 1024;
    typedef ap_fixed<18, 8> table_t;
    typedef ap_fixed<16, 6> param_t;
    typedef ap_ufixed<16, 0> slope_t;
    typedef ap_ufixed<2, 0> shift_t;
    typedef ap_fixed<10, 7, AP_RND_CONV, AP_WRAP> index_t;
};

struct softmax_config {
    static const unsigned n_in = 8;
    static const unsigned exp_size = 1024;
    static const unsigned inv_size = 1024;
    static const int exp_bits = 10;
    static const int inv_bits = 10;
    typedef ap_fixed<18, 8, AP_RND, AP_SAT> exp_table_t;
    typedef ap_fixed<18, 8, AP_RND, AP_SAT> inv_table_t;
    typedef ap_fixed<18, 8, AP_RND, AP_SAT> inv_inp_t;
    typedef ap_fixed<18, 8, AP_RND, AP_SAT> accum_t;
    typedef ap_ufixed<15, 5> inp_norm_t;
    typedef ap_fixed<18, 8> table_t;
};

struct batchnorm_config {
    static const unsigned n_in = 8;
    static const unsigned n_filt = 4;
    typedef ap_fixed<16, 6> scale_t;
    typedef ap_fixed<16, 6> bias_t;
};

struct dense_config {
    static const unsigned n_in = 8;
    static const unsigned n_out = 4;
    static const unsigned reuse_factor = 2;
    static const unsigned strategy = 0;
    static const unsigned nonzero = 0;
    typedef ap_fixed<16, 6> weight_t;
    typedef ap_fixed<16, 6> bias_t;
    typedef ap_fixed<32, 12> accum_t;
};

// A 2D window: 4x5 input, 3x3 taps, stride 1, 'same' padding; and a 1D one with inserted zeros and dilation.
struct window_2d {
    static const unsigned in_h = 4, in_w = 5, n_chan = 2, out_h = 4, out_w = 5, kh = 3, kw = 3, sh = 1, sw = 1;
    static const unsigned dh = 1, dw = 1, pad_top = 1, pad_bottom = 1, pad_left = 1, pad_right = 1, dil_h = 1, dil_w = 1;
};
struct window_1d {
    static const unsigned in_h = 1, in_w = 6, n_chan = 2, out_h = 1, out_w = 10, kh = 1, kw = 3, sh = 1, sw = 1;
    static const unsigned dh = 1, dw = 2, pad_top = 0, pad_bottom = 0, pad_left = 1, pad_right = 1, dil_h = 1, dil_w = 2;
};

template <class W, unsigned STRATEGY, unsigned DM>
struct conv_config : W {
    static const unsigned n_filt = DM ? W::n_chan * DM : 3;
    static const unsigned depth_multiplier = DM;
    static const unsigned n_weights = W::kh * W::kw * W::n_chan * (DM ? DM : n_filt);
    static const unsigned reuse_factor = STRATEGY ? 3 : 1;
    static const unsigned strategy = STRATEGY;
    static const unsigned nonzero = 1;
    static const bool ternary = true;
    typedef ap_fixed<16, 6> weight_t;
    typedef ap_uint<1> bias_t;
    typedef ap_fixed<32, 12> accum_t;
    // Every product policy is compiled: multiply (plain), add/subtract (multiplier 1), XNOR (multiplier 2).
    typedef typename std::conditional<
        DM == 0, nnfpga_hls::mult_product<conv_config>,
        typename std::conditional<DM == 1, nnfpga_hls::sign_product<conv_config>,
                                  nnfpga_hls::xnor_product<conv_config> >::type>::type product;
};

template <class W, unsigned OP>
struct pool_config : W {
    static const unsigned op = OP;
    static const unsigned count_pad = 0;
    typedef ap_fixed<24, 10> accum_t;
};

struct pad_config {
    static const unsigned in_h = 4, in_w = 5, n_chan = 2, out_h = 5, out_w = 4;
    static const int pad_top = 1, pad_left = -1;
};
struct upsample_config {
    static const unsigned in_h = 2, in_w = 3, n_chan = 2, fh = 2, fw = 2;
};
struct transpose_config {
    static const unsigned n_elem = 24, d0 = 1, d1 = 2, d2 = 3, d3 = 4, s0 = 0, s1 = 1, s2 = 8, s3 = 2;
    static const unsigned in_pixel = 2, out_pixel = 4;
};
struct repack_config {
    static const unsigned n_elem = 24, in_pixel = 4, out_pixel = 6;
};
struct merge_config {
    static const unsigned n_elem = 8, op = nnfpga_hls::merge_average, avg_shift = 1;
};
struct concat_config {
    static const unsigned outer = 2, in_len = 4, out_len = 8, offset = 4;
};
struct dot_config {
    static const unsigned n_in = 8;
    typedef ap_fixed<32, 12> accum_t;
};

// n zero pixels, what a stream function of the library reads per sample.
template <class T, unsigned C>
void feed(hls::stream<nnfpga_hls::array<T, C> >& s, unsigned n) {
    nnfpga_hls::array<T, C> z;
    for (unsigned c = 0; c < C; c++) z[c] = 0;
    for (unsigned p = 0; p < n; p++) s.write(z);
}

template <class C>
void conv_all(const conv_config<window_2d, 0, 0>::weight_t* w, const conv_config<window_2d, 0, 0>::bias_t* b) {
    data_t x[C::in_h * C::in_w * C::n_chan] = {0};
    result_t y[C::out_h * C::out_w * C::n_filt];
    nnfpga_hls::conv<data_t, result_t, C>(x, y, w, b);
    hls::stream<nnfpga_hls::array<data_t, C::n_chan> > in;
    hls::stream<nnfpga_hls::array<result_t, C::n_filt> > out;
    feed(in, C::in_h * C::in_w);
    nnfpga_hls::conv_stream<data_t, result_t, C>(in, out, w, b);
}

template <class C>
void pool_all() {
    data_t x[C::in_h * C::in_w * C::n_chan] = {0};
    result_t y[C::out_h * C::out_w * C::n_chan];
    nnfpga_hls::pool<data_t, result_t, C>(x, y);
    nnfpga_hls::global_pool<data_t, result_t, C>(x, y);
    hls::stream<nnfpga_hls::array<data_t, C::n_chan> > in;
    hls::stream<nnfpga_hls::array<result_t, C::n_chan> > out;
    feed(in, C::in_h * C::in_w);
    nnfpga_hls::pool_stream<data_t, result_t, C>(in, out);
    feed(in, C::in_h * C::in_w);
    nnfpga_hls::global_pool_stream<data_t, result_t, C>(in, out);
}
const act_config::table_t table[act_config::table_size] = {0};
const result_t lut[act_config::table_size] = {0};
const conv_config<window_2d, 0, 0>::weight_t conv_weights[4 * 9 * 2 * 3] = {0};
const conv_config<window_2d, 0, 0>::bias_t conv_biases[8] = {0};
const softmax_config::exp_table_t exp_table[softmax_config::exp_size] = {0};
const softmax_config::inv_table_t inv_table[softmax_config::inv_size] = {0};
const softmax_config::table_t legacy_table[softmax_config::exp_size] = {0};
const act_config::param_t alpha[act_config::n_in] = {0};
const batchnorm_config::scale_t scale[batchnorm_config::n_filt] = {0};
const batchnorm_config::bias_t bias[batchnorm_config::n_filt] = {0};
const dense_config::weight_t weights[dense_config::n_in * dense_config::n_out] = {0};
const dense_config::bias_t biases[dense_config::n_out] = {0};

}  // namespace

int main() {
    data_t x[8] = {0};
    result_t y[8];
    const act_config::param_t p = 0.25;
    const act_config::slope_t slope = 0.2;
    const act_config::shift_t shift = 0.5;
    const ap_ufixed<16, 1> lambda = 1.0507009873554805;
    nnfpga_hls::linear<data_t, result_t, act_config>(x, y);
    nnfpga_hls::relu<data_t, result_t, act_config>(x, y);
    nnfpga_hls::leaky_relu<data_t, result_t, act_config>(x, y, p);
    nnfpga_hls::thresholded_relu<data_t, result_t, act_config>(x, y, p);
    nnfpga_hls::prelu<data_t, result_t, act_config>(x, y, alpha);
    nnfpga_hls::hard_sigmoid<data_t, result_t, act_config>(x, y, slope, shift);
    nnfpga_hls::unary_lut<data_t, result_t, act_config>(x, y, lut);
    nnfpga_hls::sigmoid<data_t, result_t, act_config>(x, y, table);
    nnfpga_hls::tanh<data_t, result_t, act_config>(x, y, table);
    nnfpga_hls::softplus<data_t, result_t, act_config>(x, y, table);
    nnfpga_hls::softsign<data_t, result_t, act_config>(x, y, table);
    nnfpga_hls::elu<data_t, result_t, act_config>(x, y, p, table);
    nnfpga_hls::selu<data_t, result_t, act_config>(x, y, lambda, table);
    nnfpga_hls::softmax_stable<data_t, result_t, softmax_config>(x, y, exp_table, inv_table);
    nnfpga_hls::softmax_latency<data_t, result_t, softmax_config>(x, y, exp_table, inv_table);
    nnfpga_hls::softmax_legacy<data_t, result_t, softmax_config>(x, y, legacy_table, legacy_table);
    nnfpga_hls::softmax_argmax<data_t, result_t, softmax_config>(x, y);
    nnfpga_hls::batchnorm<data_t, result_t, batchnorm_config>(x, y, scale, bias);
    result_t d[4];
    nnfpga_hls::dense<data_t, result_t, dense_config>(x, d, weights, biases);

    conv_all<conv_config<window_2d, 0, 0> >(conv_weights, conv_biases);
    conv_all<conv_config<window_2d, 1, 0> >(conv_weights, conv_biases);
    conv_all<conv_config<window_2d, 0, 2> >(conv_weights, conv_biases);
    conv_all<conv_config<window_1d, 1, 1> >(conv_weights, conv_biases);
    pool_all<pool_config<window_2d, 0> >();
    pool_all<pool_config<window_1d, 1> >();

    data_t t[24] = {0};
    result_t u[24];
    nnfpga_hls::pad<data_t, result_t, pad_config>(t, u);
    nnfpga_hls::upsample<data_t, result_t, upsample_config>(t, u);
    nnfpga_hls::transpose<data_t, result_t, transpose_config>(t, u);
    hls::stream<nnfpga_hls::array<data_t, 2> > s2;
    hls::stream<nnfpga_hls::array<result_t, 2> > r2;
    feed(s2, 20);
    nnfpga_hls::pad_stream<data_t, result_t, pad_config>(s2, r2);
    feed(s2, 6);
    nnfpga_hls::upsample_stream<data_t, result_t, upsample_config>(s2, r2);
    hls::stream<nnfpga_hls::array<result_t, 4> > r4;
    feed(s2, 12);
    nnfpga_hls::transpose_stream<data_t, result_t, transpose_config>(s2, r4);
    hls::stream<nnfpga_hls::array<data_t, 4> > s4;
    hls::stream<nnfpga_hls::array<result_t, 6> > r6;
    feed(s4, 6);
    nnfpga_hls::repack_stream<data_t, result_t, repack_config>(s4, r6);
    const ap_fixed<8, 3> x8[8] = {0};
    nnfpga_hls::merge<data_t, ap_fixed<8, 3>, result_t, merge_config>(x, x8, y);
    nnfpga_hls::concat_part<data_t, result_t, concat_config>(x, y);
    feed(s2, 3);
    nnfpga_hls::concat_forward<data_t, result_t, 3, 2>(s2, r2);
    nnfpga_hls::dot<data_t, data_t, result_t, dot_config>(x, x, d);
    static const unsigned qidx[2] = {0, 3};
    nnfpga_hls::quantize_all<data_t, result_t, ap_fixed<6, 2, AP_RND, AP_SAT>, 8>(x, y);
    nnfpga_hls::quantize_some<data_t, result_t, ap_ufixed<4, 2>, 2>(x, y, qidx);
    nnfpga_hls::quantize_zero<result_t, 2>(y, qidx);
    return y[0] == 0 && d[0] == 0 ? 0 : 1;
}
