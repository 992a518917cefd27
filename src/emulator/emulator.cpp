// Batch execution: per-thread tensor buffers, nodes in topological order, overflow counters merged at the end,
// optional per-layer traces (CSV files, or a per-sample callback with every tensor).
#include "nnfpga/emulator/emulator.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "nnfpga/fixed/quantize.h"
#include "nnfpga/support/diagnostics.h"
#include "nnfpga/support/large_buffer.h"

namespace nnfpga {

namespace {

std::unique_ptr<Kernel> makeKernel(const Graph& g, const Node& n) {
    if (n.as<ActivationAttrs>() || n.as<SoftmaxAttrs>()) return makeActivationKernel(g, n);
    if (n.as<ConvAttrs>() || n.as<PoolAttrs>() || n.as<PadAttrs>() || n.as<UpsampleAttrs>() || n.as<TransposeAttrs>())
        return makeSpatialKernel(g, n);
    if (n.as<MergeAttrs>() || n.as<ConcatAttrs>() || n.as<DotAttrs>()) return makeMergeKernel(g, n);
    if (n.as<QuantizeAttrs>()) return makeQuantizeKernel(g, n);
    return makeCoreKernel(g, n);
}

// fromDouble() of one input type, with a fast path for TRN types: v * 2^F is exact in double (a power-of-two
// scaling, the same as ldexp), so its floor is the rounded value whenever it is well inside the double's integer
// range.
class InputConversion {
public:
    explicit InputConversion(const FixedType& t)
        : t_(t), scale_(std::ldexp(1.0, t.frac())), lo_(t.rawMin()), hi_(t.rawMax()) {
        fast_ = t.rounding == Rounding::TRN && (t.overflow == Overflow::WRAP || t.overflow == Overflow::SAT) &&
                t.width <= 62 && t.frac() > -60 && t.frac() < 60;
    }
    int64_t operator()(double v) const {
        if (fast_) {
            const double scaled = std::floor(v * scale_);
            if (scaled > -0x1p52 && scaled < 0x1p52) {
                const auto q = static_cast<int64_t>(scaled);
                if (q >= lo_ && q <= hi_) return q;
                return applyOverflow(q, t_);
            }
        }
        return fromDouble(v, t_);
    }

private:
    FixedType t_;
    double scale_;
    int64_t lo_, hi_;
    bool fast_ = false;
};

// toDouble() of one type: double(raw) * 2^-F is the same correctly rounded product as ldexp whenever 2^-F is a
// normal double.
class OutputConversion {
public:
    explicit OutputConversion(const FixedType& t) : frac_(t.frac()), scale_(std::ldexp(1.0, -t.frac())) {
        exact_ = frac_ >= -1000 && frac_ <= 1000;
    }
    double operator()(int64_t raw) const {
        return exact_ ? static_cast<double>(raw) * scale_ : toDouble(raw, frac_);
    }

private:
    int frac_;
    double scale_;
    bool exact_ = false;
};

std::string safeFileName(const std::string& s) {
    std::string out = s;
    for (char& c : out)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.')) c = '_';
    return out;
}

}  // namespace

Emulator::Emulator(const Graph& g) : graph_(g) {
    for (const Node& n : g.nodes) kernels_.push_back(makeKernel(g, n));
}

Emulator::~Emulator() = default;

int Emulator::workerCount(const EmulatorOptions& opt, int64_t nSamples) {
    const int threads =
        opt.threads > 0 ? opt.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    return static_cast<int>(std::min<int64_t>(threads, std::max<int64_t>(1, nSamples / 16)));
}

EmulationResult Emulator::run(const std::vector<std::vector<double>>& inputs, int64_t nSamples,
                              const EmulatorOptions& opt) const {
    const Graph& g = graph_;
    NNFPGA_ASSERT(inputs.size() == g.inputs.size(), "input count mismatch");
    const size_t nT = g.tensors.size();
    std::vector<int64_t> tsize(nT);
    for (size_t t = 0; t < nT; ++t) tsize[t] = numElements(g.tensors[t].shape);

    EmulationResult res;
    res.outputs.resize(g.outputs.size());
    for (size_t k = 0; k < g.outputs.size(); ++k)
        assignLarge(res.outputs[k], static_cast<size_t>(nSamples * tsize[g.outputs[k]]));
    const bool tracing = !opt.traceDir.empty();
    // Trace storage: per node output, nSamples * size doubles.
    std::vector<std::vector<double>> trace(tracing ? g.nodes.size() : 0);
    if (tracing)
        for (size_t i = 0; i < g.nodes.size(); ++i) trace[i].assign(nSamples * tsize[g.nodes[i].outputs[0]], 0.0);

    const int threads = workerCount(opt, nSamples);
    std::vector<std::vector<OverflowStats>> stats(threads, std::vector<OverflowStats>(g.nodes.size()));

    std::vector<InputConversion> toRaw;
    for (int t : g.inputs) toRaw.emplace_back(g.tensor(t).type);
    std::vector<OutputConversion> toValue;
    for (size_t t = 0; t < nT; ++t) toValue.emplace_back(g.tensors[t].type);

    auto worker = [&](int tid, int64_t begin, int64_t end) {
        std::vector<std::vector<int64_t>> ibuf(opt.floatMode ? 0 : nT);
        std::vector<std::vector<double>> fbuf(opt.floatMode ? nT : 0);
        for (size_t t = 0; t < nT; ++t) (opt.floatMode ? (void)fbuf[t].resize(tsize[t]) : ibuf[t].resize(tsize[t]));
        // Each node's input pointers, fixed for the worker's buffers.
        std::vector<std::vector<const int64_t*>> iin(g.nodes.size());
        std::vector<std::vector<const double*>> fin(g.nodes.size());
        for (size_t i = 0; i < g.nodes.size(); ++i)
            for (int t : g.nodes[i].inputs) {
                if (opt.floatMode) fin[i].push_back(fbuf[t].data());
                else iin[i].push_back(ibuf[t].data());
            }
        // onSample in integer mode: the raw values converted to doubles, once per sample.
        std::vector<std::vector<double>> asDouble(opt.onSample && !opt.floatMode ? nT : 0);
        for (size_t t = 0; t < asDouble.size(); ++t) asDouble[t].resize(tsize[t]);
        for (int64_t s = begin; s < end; ++s) {
            for (size_t k = 0; k < g.inputs.size(); ++k) {
                const int t = g.inputs[k];
                const double* src = inputs[k].data() + s * tsize[t];
                if (opt.floatMode) {
                    for (int64_t e = 0; e < tsize[t]; ++e)
                        fbuf[t][e] = opt.inputsAsFloat32 ? static_cast<double>(static_cast<float>(src[e])) : src[e];
                } else if (opt.inputsAsFloat32) {
                    for (int64_t e = 0; e < tsize[t]; ++e)
                        ibuf[t][e] = toRaw[k](static_cast<double>(static_cast<float>(src[e])));
                } else {
                    for (int64_t e = 0; e < tsize[t]; ++e) ibuf[t][e] = toRaw[k](src[e]);
                }
            }
            for (size_t i = 0; i < g.nodes.size(); ++i) {
                const Node& n = g.nodes[i];
                if (n.inputs.empty()) continue;  // Input nodes: their tensor was filled above
                const int out = n.outputs[0];
                if (opt.floatMode) kernels_[i]->runFloat(fin[i].data(), fbuf[out].data());
                else kernels_[i]->run(iin[i].data(), ibuf[out].data(), stats[tid][i]);
            }
            auto value = [&](int t, int64_t e) { return opt.floatMode ? fbuf[t][e] : toValue[t](ibuf[t][e]); };
            for (size_t k = 0; k < g.outputs.size(); ++k) {
                const int t = g.outputs[k];
                double* dst = res.outputs[k].data() + s * tsize[t];
                if (opt.floatMode) std::copy_n(fbuf[t].data(), tsize[t], dst);
                else
                    for (int64_t e = 0; e < tsize[t]; ++e) dst[e] = toValue[t](ibuf[t][e]);
            }
            if (opt.onSample) {
                for (size_t t = 0; t < asDouble.size(); ++t)
                    for (int64_t e = 0; e < tsize[t]; ++e) asDouble[t][e] = toValue[t](ibuf[t][e]);
                opt.onSample(SampleValues{tid, s, opt.floatMode ? &fbuf : &asDouble});
            }
            if (tracing)
                for (size_t i = 0; i < g.nodes.size(); ++i) {
                    const int t = g.nodes[i].outputs[0];
                    for (int64_t e = 0; e < tsize[t]; ++e) trace[i][s * tsize[t] + e] = value(t, e);
                }
        }
    };

    std::vector<std::thread> pool;
    const int64_t chunk = (nSamples + threads - 1) / threads;
    for (int tid = 1; tid < threads; ++tid) {
        const int64_t b = tid * chunk, e = std::min(nSamples, b + chunk);
        if (b < e) pool.emplace_back(worker, tid, b, e);
    }
    worker(0, 0, std::min(nSamples, chunk));
    for (auto& th : pool) th.join();

    for (size_t i = 0; i < g.nodes.size(); ++i) {
        LayerOverflow lo{g.nodes[i].name, g.nodes[i].kind, {}};
        for (int tid = 0; tid < threads; ++tid) lo.stats.merge(stats[tid][i]);
        res.overflow.push_back(lo);
    }

    if (tracing) {
        std::filesystem::create_directories(opt.traceDir);
        for (size_t i = 0; i < g.nodes.size(); ++i) {
            const int64_t size = tsize[g.nodes[i].outputs[0]];
            std::ofstream f(std::filesystem::path(opt.traceDir) / (safeFileName(g.nodes[i].name) + ".csv"));
            if (!f) fail(opt.traceDir + ": cannot write trace files");
            char buf[40];
            for (int64_t s = 0; s < nSamples; ++s) {
                for (int64_t e = 0; e < size; ++e) {
                    std::snprintf(buf, sizeof buf, "%.17g", trace[i][s * size + e]);
                    f << (e ? "," : "") << buf;
                }
                f << "\n";
            }
        }
    }
    return res;
}

}  // namespace nnfpga
