// Bit-exact test of the HLS layer library (runtime/hls) against the emulator kernels: for many layer
// configurations (types with every rounding/overflow mode, signed and unsigned, table sizes 1024/2048/1000/odd,
// every activation kind, every softmax variant incl. narrow inputs, batchnorm; conv, pooling, layout and merges
// in hls_layers_test.cpp, io_parallel and io_stream) both compute the same random inputs, with the tables and
// constants from nnfpga/emulator/tables.h. Built and run by run.sh against nnfpga's own ap types and the vendor
// ones. Exit status 1 on any mismatch.
#include "harness.h"
#include "nnfpga/emulator/tables.h"
#include "nnfpga/fixed/quantize.h"
#include "nnfpga/support/diagnostics.h"
#include "nnfpga_activation.h"
#include "nnfpga_batchnorm.h"
#include "nnfpga_softmax.h"

// Conv, pooling, layout and merge cases (hls_layers_test.cpp).
void layerCases(hlstest::Rng& rng);

namespace {

using namespace hlstest;
using nnfpga::ActKind;
using nnfpga::SoftmaxImpl;

// The unsigned difference type of the stable softmax, and signedness, at compile time.
template <class T>
struct NormOf;
template <int W, int I, ap_q_mode Q, ap_o_mode O, int N>
struct NormOf<ap_fixed<W, I, Q, O, N>> {
    typedef ap_ufixed<W - 1, I - 1> type;
    static const bool isSigned = true;
};
template <int W, int I, ap_q_mode Q, ap_o_mode O, int N>
struct NormOf<ap_ufixed<W, I, Q, O, N>> {
    typedef ap_ufixed<W, I> type;
    static const bool isSigned = false;
};

template <int W>
struct NormOf<ap_int<W>> {
    typedef ap_ufixed<W - 1, W - 1> type;
    static const bool isSigned = true;
};
template <int W>
struct NormOf<ap_uint<W>> {
    typedef ap_ufixed<W, W> type;
    static const bool isSigned = false;
};


const int kRounds = 300;

// ---- activations -----------------------------------------------------------------------------------------

template <class table_T, class param_T, unsigned N, unsigned NIN>
struct ActConfig {
    static const unsigned n_in = NIN;
    static const unsigned table_size = N;
    typedef table_T table_t;
    typedef param_T param_t;
    typedef ap_ufixed<16, 0> slope_t;
    typedef ap_ufixed<2, 0> shift_t;
};

template <class data_T, class res_T, class table_T, class param_T, unsigned N>
void activationCases(const char* label, Rng& rng) {
    const unsigned nIn = 64;
    typedef ActConfig<table_T, param_T, N, nIn> C;
    const FixedType inT = typeOf<data_T>(), outT = typeOf<res_T>();
    const ActKind kinds[] = {ActKind::Linear,      ActKind::Relu,      ActKind::Sigmoid,         ActKind::Tanh,
                             ActKind::Elu,         ActKind::Selu,      ActKind::Softplus,        ActKind::Softsign,
                             ActKind::HardSigmoid, ActKind::LeakyRelu, ActKind::ThresholdedRelu, ActKind::PRelu};
    for (ActKind kind : kinds) {
        for (int variant = 0; variant < 2; ++variant) {
            nnfpga::ActivationAttrs a;
            a.kind = kind;
            a.tableSize = N;
            a.tableT = typeOf<table_T>();
            a.paramT = typeOf<param_T>();
            a.param = variant == 0 ? 0.3 : (kind == ActKind::ThresholdedRelu ? -1.37 : 1.7);
            a.slope = variant == 0 ? 0.2 : 1.0 / 6;
            for (unsigned i = 0; i < nIn; ++i) a.alpha.push_back(0.37 * (static_cast<int>(i % 9) - 3));
            if (!(a.slopeT == typeOf<typename C::slope_t>()) || !(a.shiftT == typeOf<typename C::shift_t>())) {
                std::printf("TEST BUG: hard_sigmoid types differ from the IR defaults\n");
                ++totals.mismatches;
            }
            OneNode one(a, "Activation", nIn, inT, outT);
            one.kernel = nnfpga::makeActivationKernel(one.g, one.node());
            std::vector<table_T> table;
            if (nnfpga::usesTable(kind)) table = hlsArray<table_T>(nnfpga::activationTable(one.node()).raw);
            const nnfpga::ActivationConsts k = nnfpga::activationConsts(a);
            const param_T param = fromRaw<param_T>(k.param.raw);
            const std::vector<param_T> alpha =
                kind == ActKind::PRelu ? hlsArray<param_T>(k.alpha) : std::vector<param_T>();
            const typename C::slope_t slope = fromRaw<typename C::slope_t>(k.slope.raw);
            const typename C::shift_t shift = fromRaw<typename C::shift_t>(k.shift.raw);
            const ap_ufixed<16, 1> lambda = fromRaw<ap_ufixed<16, 1>>(k.seluLambda.raw);
            if (kind == ActKind::Selu && !(k.seluLambda.type == typeOf<ap_ufixed<16, 1>>())) {
                std::printf("TEST BUG: selu lambda type\n");
                ++totals.mismatches;
            }
            ++totals.cases;
            const std::string what = std::string(label) + " " + nnfpga::toString(kind) + " v" + std::to_string(variant);
            for (int r = 0; r < kRounds; ++r) {
                std::vector<int64_t> x(nIn);
                for (auto& v : x) v = randomRaw(inT, rng);
                const std::vector<int64_t> want = one.run(x);
                data_T d[nIn];
                res_T y[nIn];
                for (unsigned i = 0; i < nIn; ++i) d[i] = fromRaw<data_T>(x[i]);
                switch (kind) {
                    case ActKind::Linear:
                        nnfpga_hls::linear<data_T, res_T, C>(d, y);
                        break;
                    case ActKind::Relu:
                        nnfpga_hls::relu<data_T, res_T, C>(d, y);
                        break;
                    case ActKind::Sigmoid:
                        nnfpga_hls::sigmoid<data_T, res_T, C>(d, y, table.data());
                        break;
                    case ActKind::Tanh:
                        nnfpga_hls::tanh<data_T, res_T, C>(d, y, table.data());
                        break;
                    case ActKind::Softplus:
                        nnfpga_hls::softplus<data_T, res_T, C>(d, y, table.data());
                        break;
                    case ActKind::Softsign:
                        nnfpga_hls::softsign<data_T, res_T, C>(d, y, table.data());
                        break;
                    case ActKind::Elu:
                        nnfpga_hls::elu<data_T, res_T, C>(d, y, param, table.data());
                        break;
                    case ActKind::Selu:
                        nnfpga_hls::selu<data_T, res_T, C>(d, y, lambda, table.data());
                        break;
                    case ActKind::HardSigmoid:
                        nnfpga_hls::hard_sigmoid<data_T, res_T, C>(d, y, slope, shift);
                        break;
                    case ActKind::LeakyRelu:
                        nnfpga_hls::leaky_relu<data_T, res_T, C>(d, y, param);
                        break;
                    case ActKind::ThresholdedRelu:
                        nnfpga_hls::thresholded_relu<data_T, res_T, C>(d, y, param);
                        break;
                    case ActKind::PRelu:
                        nnfpga_hls::prelu<data_T, res_T, C>(d, y, alpha.data());
                        break;
                }
                compare(what, x, want, rawArray(y, nIn));
            }
        }
    }
}

// ---- softmax ---------------------------------------------------------------------------------------------

constexpr int ceilLog2(long long x) {
    return x <= 2 ? 1 : 1 + ceilLog2((x + 1) / 2);
}

// Table sizes as nnfpga::softmaxPlan derives them, at compile time (the emitter writes the plan's values;
// the test checks that both agree).
template <class data_T, class inv_T, unsigned TS>
struct SoftmaxSizes {
    static constexpr int limitBits = data_T::width < inv_T::width ? data_T::width : inv_T::width;
    static constexpr long long table = (limitBits < 62 && (1LL << limitBits) < TS) ? (1LL << limitBits) : TS;
    static constexpr long long stableExp =
        NormOf<data_T>::isSigned && data_T::width - 1 < 62 && (1LL << (data_T::width - 1)) < table
            ? (1LL << (data_T::width - 1))
            : table;
};

template <class data_T, unsigned NIN, unsigned TS, class accum_T, class exp_T, class inv_T, class inv_inp_T,
          bool STABLE>
struct SoftmaxConfig {
    static const unsigned n_in = NIN;
    static const unsigned exp_size =
        STABLE ? SoftmaxSizes<data_T, inv_T, TS>::stableExp : SoftmaxSizes<data_T, inv_T, TS>::table;
    static const unsigned inv_size = SoftmaxSizes<data_T, inv_T, TS>::table;
    static const int exp_bits = ceilLog2(exp_size);
    static const int inv_bits = ceilLog2(inv_size);
    typedef exp_T exp_table_t;
    typedef inv_T inv_table_t;
    typedef inv_inp_T inv_inp_t;
    typedef accum_T accum_t;
    typedef typename NormOf<data_T>::type inp_norm_t;
    typedef ap_fixed<18, 8> table_t;
};

// Rows: independent values, clusters around one value (the usual softmax input), or all equal.
std::vector<int64_t> softmaxRow(const FixedType& t, unsigned n, Rng& rng) {
    std::vector<int64_t> x(n);
    const unsigned mode = rng() % 4;
    const int64_t base = randomRaw(t, rng);
    const int spread = static_cast<int>(rng() % (t.width + 1));
    for (auto& v : x) {
        if (mode == 0) {
            v = randomRaw(t, rng);
        } else if (mode == 3) {
            v = base;
        } else {
            const int64_t m = spread >= 62 ? (int64_t(1) << 62) : (int64_t(1) << spread);
            const int64_t d = static_cast<int64_t>(rng() % static_cast<uint64_t>(m)) * ((rng() & 1) ? -1 : 1);
            v = std::clamp<__int128>(static_cast<__int128>(base) + d, t.rawMin(), t.rawMax());
        }
    }
    return x;
}

template <class data_T, class res_T, unsigned NIN, unsigned TS, class accum_T,
          class exp_T = ap_fixed<18, 8, AP_RND, AP_SAT>, class inv_T = ap_fixed<18, 8, AP_RND, AP_SAT>,
          class inv_inp_T = ap_fixed<18, 8, AP_RND, AP_SAT>>
void softmaxCases(const char* label, Rng& rng) {
    typedef SoftmaxConfig<data_T, NIN, TS, accum_T, exp_T, inv_T, inv_inp_T, true> CS;
    typedef SoftmaxConfig<data_T, NIN, TS, accum_T, exp_T, inv_T, inv_inp_T, false> CL;
    const FixedType inT = typeOf<data_T>(), outT = typeOf<res_T>();
    for (SoftmaxImpl impl : {SoftmaxImpl::Stable, SoftmaxImpl::Latency, SoftmaxImpl::Legacy, SoftmaxImpl::Argmax}) {
        nnfpga::SoftmaxAttrs a;
        a.impl = impl;
        a.tableSize = TS;
        a.expTableT = typeOf<exp_T>();
        a.invTableT = typeOf<inv_T>();
        a.invInpT = typeOf<inv_inp_T>();
        a.accumT = typeOf<accum_T>();
        const std::string what = std::string(label) + " softmax_" + nnfpga::toString(impl);
        OneNode one(a, "Softmax", NIN, inT, outT);
        nnfpga::SoftmaxPlan plan;
        try {
            one.kernel = nnfpga::makeActivationKernel(one.g, one.node());
            plan = nnfpga::softmaxPlan(one.node(), inT);
        } catch (const nnfpga::UserError& e) {
            ++totals.rejected;
            std::printf("rejected (as the emulator does) %s: %s\n", what.c_str(), e.what());
            continue;
        }
        const bool stable = impl == SoftmaxImpl::Stable;
        const long long expSize = stable ? CS::exp_size : CL::exp_size, invSize = CL::inv_size;
        const int expBits = stable ? CS::exp_bits : CL::exp_bits;
        bool planOk = plan.expSize == expSize && plan.invSize == invSize;
        if (impl == SoftmaxImpl::Stable || impl == SoftmaxImpl::Latency) {
            planOk = planOk && plan.exp.bits == expBits && plan.inv.bits == CL::inv_bits &&
                     plan.exp.addrT == (stable ? typeOf<typename CS::inp_norm_t>() : inT) &&
                     plan.inv.addrT == typeOf<inv_inp_T>() && plan.exp.table.type == typeOf<exp_T>() &&
                     plan.inv.table.type == typeOf<inv_T>();
            if (stable) planOk = planOk && plan.inpNormT == typeOf<typename CS::inp_norm_t>();
        }
        if (impl == SoftmaxImpl::Legacy) planOk = planOk && plan.legacyExp.type == typeOf<typename CL::table_t>();
        if (!planOk) {
            std::printf("TEST BUG %s: the compile-time configuration differs from softmaxPlan\n", what.c_str());
            ++totals.mismatches;
            continue;
        }
        std::vector<exp_T> expTab;
        std::vector<inv_T> invTab;
        std::vector<typename CL::table_t> legExp, legInv;
        if (stable || impl == SoftmaxImpl::Latency) {
            expTab = hlsArray<exp_T>(plan.exp.table.raw);
            invTab = hlsArray<inv_T>(plan.inv.table.raw);
        } else if (impl == SoftmaxImpl::Legacy) {
            legExp = hlsArray<typename CL::table_t>(plan.legacyExp.raw);
            legInv = hlsArray<typename CL::table_t>(plan.legacyInv.raw);
        }
        ++totals.cases;
        for (int r = 0; r < kRounds * 2; ++r) {
            const std::vector<int64_t> x = softmaxRow(inT, NIN, rng);
            const std::vector<int64_t> want = one.run(x);
            data_T d[NIN];
            res_T y[NIN];
            for (unsigned i = 0; i < NIN; ++i) d[i] = fromRaw<data_T>(x[i]);
            switch (impl) {
                case SoftmaxImpl::Stable:
                    nnfpga_hls::softmax_stable<data_T, res_T, CS>(d, y, expTab.data(), invTab.data());
                    break;
                case SoftmaxImpl::Latency:
                    nnfpga_hls::softmax_latency<data_T, res_T, CL>(d, y, expTab.data(), invTab.data());
                    break;
                case SoftmaxImpl::Legacy:
                    nnfpga_hls::softmax_legacy<data_T, res_T, CL>(d, y, legExp.data(), legInv.data());
                    break;
                case SoftmaxImpl::Argmax:
                    nnfpga_hls::softmax_argmax<data_T, res_T, CL>(d, y);
                    break;
            }
            compare(what, x, want, rawArray(y, NIN));
        }
    }
}

// ---- batchnorm -------------------------------------------------------------------------------------------

template <class scale_T, class bias_T, unsigned NFILT, unsigned NIN>
struct BatchNormConfig {
    static const unsigned n_in = NIN;
    static const unsigned n_filt = NFILT;
    typedef scale_T scale_t;
    typedef bias_T bias_t;
};

template <class data_T, class res_T, class scale_T, class bias_T, unsigned NFILT, unsigned NIN>
void batchnormCases(const char* label, Rng& rng) {
    typedef BatchNormConfig<scale_T, bias_T, NFILT, NIN> C;
    const FixedType inT = typeOf<data_T>(), outT = typeOf<res_T>();
    std::uniform_real_distribution<double> u(-3.0, 3.0);
    for (int variant = 0; variant < 3; ++variant) {
        nnfpga::BatchNormAttrs a;
        a.nFilt = NFILT;
        a.scaleT = typeOf<scale_T>();
        a.biasT = typeOf<bias_T>();
        for (unsigned k = 0; k < NFILT; ++k) {
            a.scale.push_back(u(rng) * (variant + 1));
            a.bias.push_back(u(rng) * (variant + 1));
        }
        OneNode one(a, "BatchNormalization", NIN, inT, outT);
        one.kernel = nnfpga::makeCoreKernel(one.g, one.node());
        std::vector<scale_T> scale(NFILT);
        std::vector<bias_T> bias(NFILT);
        for (unsigned k = 0; k < NFILT; ++k) {  // as the emitter writes them: weight text read back
            scale[k] = fromRaw<scale_T>(nnfpga::fromWeightText(a.scale[k], a.scaleT));
            bias[k] = fromRaw<bias_T>(nnfpga::fromWeightText(a.bias[k], a.biasT));
        }
        ++totals.cases;
        for (int r = 0; r < kRounds; ++r) {
            std::vector<int64_t> x(NIN);
            for (auto& v : x) v = randomRaw(inT, rng);
            const std::vector<int64_t> want = one.run(x);
            data_T d[NIN];
            res_T y[NIN];
            for (unsigned i = 0; i < NIN; ++i) d[i] = fromRaw<data_T>(x[i]);
            nnfpga_hls::batchnorm<data_T, res_T, C>(d, y, scale.data(), bias.data());
            compare(std::string(label) + " batchnorm v" + std::to_string(variant), x, want, rawArray(y, NIN));
        }
    }
}

// ---- the harness itself ----------------------------------------------------------------------------------

template <class T>
void rawRoundTrip(Rng& rng) {
    const FixedType t = typeOf<T>();
    for (int i = 0; i < 2000; ++i) {
        const int64_t r = randomRaw(t, rng);
        ++totals.values;
        if (toRaw(fromRaw<T>(r)) != r) {
            ++totals.mismatches;
            std::printf("HARNESS raw round trip fails for %s raw %lld\n", t.str().c_str(), static_cast<long long>(r));
            return;
        }
    }
}

}  // namespace

int main() {
    Rng rng(20240611);
    rawRoundTrip<ap_fixed<16, 6>>(rng);
    rawRoundTrip<ap_ufixed<12, 1, AP_RND_CONV, AP_SAT>>(rng);
    rawRoundTrip<ap_fixed<40, 16>>(rng);
    rawRoundTrip<ap_int<8>>(rng);

    typedef ap_fixed<16, 6> F16;
    typedef ap_fixed<18, 8> T18;
    typedef ap_fixed<12, 2, AP_RND, AP_SAT> T12;
    typedef ap_ufixed<16, 1, AP_RND_CONV> U16;
    typedef ap_fixed<8, 1, AP_RND, AP_SAT> P8;

    // Activations: input type x result type x table type x param type x table size.
    activationCases<F16, F16, T18, F16, 1024>("in16,6 out16,6 t18,8 N1024", rng);
    activationCases<F16, F16, T18, F16, 2048>("in16,6 out16,6 t18,8 N2048", rng);
    activationCases<F16, F16, T18, F16, 1000>("in16,6 out16,6 t18,8 N1000", rng);
    activationCases<F16, F16, T18, F16, 7>("in16,6 out16,6 t18,8 N7", rng);
    activationCases<F16, F16, T18, F16, 1>("in16,6 out16,6 t18,8 N1", rng);
    activationCases<ap_fixed<8, 3>, ap_fixed<10, 2, AP_RND, AP_SAT>, T12, P8, 1024>("in8,3 out10,2RS t12,2RS N1024",
                                                                                    rng);
    activationCases<ap_fixed<12, 4, AP_RND, AP_SAT>, ap_ufixed<12, 1, AP_RND_CONV, AP_SAT>, T18, F16, 2048>(
        "in12,4RS outU12,1 N2048", rng);
    activationCases<ap_ufixed<10, 4>, ap_fixed<8, 1>, U16, P8, 1000>("inU10,4 out8,1 tU16,1 N1000", rng);
    activationCases<ap_fixed<10, -2>, ap_fixed<20, 8, AP_RND_ZERO, AP_SAT_SYM>, T18, F16, 1024>("in10,-2 out20,8 N1024",
                                                                                                rng);
    activationCases<ap_fixed<24, 30>, ap_fixed<16, 6, AP_RND_INF, AP_SAT_ZERO>, T12, F16, 1024>("in24,30 out16,6 N1024",
                                                                                                rng);
    activationCases<ap_fixed<32, 12>, ap_fixed<24, 10, AP_RND_MIN_INF, AP_SAT>, ap_fixed<24, 4, AP_RND_CONV, AP_SAT>,
                    ap_fixed<12, 3, AP_RND_ZERO>, 2048>("in32,12 out24,10 t24,4 N2048", rng);
    activationCases<ap_fixed<40, 16>, F16, T18, F16, 1024>("in40,16 out16,6 N1024", rng);
    activationCases<ap_fixed<6, 6, AP_TRN_ZERO, AP_SAT>, ap_fixed<8, 4>, T18, F16, 1000>("in6,6 out8,4 N1000", rng);
    activationCases<ap_fixed<18, 3>, ap_fixed<18, 3>, ap_fixed<20, 2>, ap_fixed<18, 2>, 4096>("in18,3 N4096", rng);
    activationCases<ap_fixed<64, 32>, ap_fixed<64, 40, AP_RND, AP_SAT>, T18, ap_fixed<32, 8>, 1024>("in64,32 out64,40",
                                                                                                    rng);
    activationCases<ap_int<8>, F16, T18, F16, 1024>("in int8 N1024", rng);
    activationCases<ap_uint<5>, ap_uint<3>, T12, P8, 1000>("in uint5 out uint3 N1000", rng);

    // Softmax: every variant; narrow inputs limit the table sizes (and the stable exp table further).
    softmaxCases<F16, F16, 5, 1024, F16>("in16,6 n5 N1024 acc16,6", rng);
    softmaxCases<F16, F16, 1, 1024, F16>("in16,6 n1", rng);
    softmaxCases<F16, F16, 2, 1024, ap_fixed<18, 8, AP_RND, AP_SAT>>("in16,6 n2 accRS", rng);
    softmaxCases<F16, ap_ufixed<16, 0, AP_RND, AP_SAT>, 3, 2048, ap_fixed<18, 8, AP_RND, AP_SAT>>("in16,6 n3 N2048",
                                                                                                  rng);
    softmaxCases<F16, F16, 8, 1000, F16>("in16,6 n8 N1000", rng);
    softmaxCases<F16, ap_fixed<10, 2, AP_RND_CONV, AP_SAT_SYM>, 13, 1000, ap_fixed<14, 6, AP_RND, AP_SAT>>(
        "in16,6 n13 N1000", rng);
    softmaxCases<F16, F16, 32, 1024, ap_fixed<18, 8, AP_RND, AP_SAT>>("in16,6 n32", rng);
    softmaxCases<ap_fixed<8, 3>, F16, 5, 1024, F16>("in8,3 n5 (256/128 entries)", rng);
    softmaxCases<ap_fixed<6, 3, AP_RND, AP_SAT>, ap_fixed<8, 1, AP_RND, AP_SAT>, 7, 1024,
                 ap_fixed<12, 4, AP_RND, AP_SAT>>("in6,3 n7 (64/32 entries)", rng);
    softmaxCases<ap_fixed<3, 1>, F16, 4, 1024, F16>("in3,1 n4 (8/4 entries)", rng);
    softmaxCases<ap_ufixed<8, 4>, F16, 6, 1024, ap_fixed<18, 8, AP_RND, AP_SAT>>("inU8,4 n6", rng);
    softmaxCases<ap_ufixed<12, 2, AP_RND, AP_SAT>, ap_ufixed<10, 0, AP_RND, AP_SAT>, 9, 1000,
                 ap_fixed<18, 8, AP_RND, AP_SAT>>("inU12,2 n9 N1000", rng);
    softmaxCases<ap_fixed<10, -1>, F16, 5, 1024, F16>("in10,-1 n5", rng);
    softmaxCases<ap_int<6>, F16, 5, 1024, F16>("in int6 n5", rng);
    softmaxCases<ap_uint<7>, F16, 4, 1024, ap_fixed<18, 8, AP_RND, AP_SAT>>("in uint7 n4", rng);
    softmaxCases<ap_fixed<20, 24>, F16, 5, 2048, F16>("in20,24 n5", rng);
    softmaxCases<ap_fixed<24, 8>, ap_fixed<18, 2, AP_RND, AP_SAT>, 10, 2048, ap_fixed<20, 10, AP_RND, AP_SAT>,
                 ap_fixed<16, 6, AP_RND_CONV, AP_SAT>, ap_fixed<14, 4, AP_RND, AP_SAT>,
                 ap_fixed<16, 8, AP_RND, AP_SAT>>("in24,8 n10 custom tables", rng);
    softmaxCases<ap_fixed<12, 5>, F16, 6, 1000, ap_ufixed<12, 4>, ap_ufixed<16, 4, AP_RND>, ap_ufixed<12, 6, AP_RND>,
                 ap_ufixed<12, 4, AP_RND, AP_SAT>>("in12,5 n6 unsigned tables", rng);
    // A wrapping exp table gives negative terms, so a saturating accumulator makes the adder tree's order visible.
    typedef ap_fixed<12, 4> ExpWrap;
    typedef ap_fixed<10, 5, AP_RND, AP_SAT> AccSat;
    softmaxCases<ap_fixed<8, 4>, F16, 3, 1024, AccSat, ExpWrap>("in8,4 n3 exp wraps, acc saturates", rng);
    softmaxCases<ap_fixed<8, 4>, F16, 7, 1024, AccSat, ExpWrap>("in8,4 n7 exp wraps, acc saturates", rng);
    softmaxCases<ap_fixed<8, 4>, F16, 12, 1024, AccSat, ExpWrap>("in8,4 n12 exp wraps, acc saturates", rng);
    softmaxCases<F16, F16, 3, 1024, F16, ap_fixed<18, 8, AP_RND, AP_SAT>, ap_fixed<18, 8, AP_RND, AP_SAT>,
                 ap_fixed<8, 4>>("in16,6 inv_inp 8 bits (rejected)", rng);

    // BatchNorm.
    batchnormCases<F16, F16, F16, F16, 4, 16>("in16,6 scale16,6", rng);
    batchnormCases<ap_fixed<8, 3>, ap_fixed<10, 2, AP_RND, AP_SAT>, ap_fixed<12, 3, AP_RND>, ap_fixed<8, 4>, 3, 12>(
        "in8,3 out10,2RS", rng);
    batchnormCases<ap_ufixed<10, 4>, ap_fixed<12, 5, AP_RND_CONV, AP_SAT_SYM>, ap_ufixed<8, 2>, ap_fixed<16, 10>, 5, 5>(
        "inU10,4", rng);
    batchnormCases<ap_fixed<24, 30>, ap_fixed<20, 12, AP_RND_ZERO, AP_SAT_ZERO>, ap_fixed<16, -2>, ap_fixed<6, 8>, 2,
                   8>("in24,30 scale16,-2 bias6,8", rng);

    layerCases(rng);

    std::printf("%d cases (%d rejected by the emulator, as expected), %lld values compared, %lld mismatches\n",
                totals.cases, totals.rejected, totals.values, totals.mismatches);
    return totals.mismatches == 0 ? 0 : 1;
}
