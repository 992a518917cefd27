// Instantiates every function of the HLS layer library once (and the dense layer, to check all headers
// together), so that run.sh can compile the library as generated projects do: C++11 and C++17, g++ and
// clang++, -Wall -Wextra -Werror. Needs nothing but the library and an ap types directory.
#include "nnfpga_activation.h"
#include "nnfpga_batchnorm.h"
#include "nnfpga_dense.h"
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

const act_config::table_t table[act_config::table_size] = {0};
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
    return y[0] == 0 && d[0] == 0 ? 0 : 1;
}
