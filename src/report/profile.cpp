// Numerical profiling: the constants of every layer are checked once; results and accumulators are collected
// from the float reference through the emulator's per-sample callback (one accumulator set per worker thread,
// merged at the end); a second, integer-mode run gives the emulator's own overflow counters.
#include "nnfpga/report/profile.h"

#include <algorithm>
#include <cmath>

#include "accum_replay.h"
#include "nnfpga/emulator/emulator.h"
#include "nnfpga/fixed/converter.h"
#include "nnfpga/fixed/quantize.h"

namespace nnfpga {

void ValueStats::add(double v) {
    ++count;
    if (std::isnan(v)) return;
    min = std::min(min, v);
    max = std::max(max, v);
    const double a = std::fabs(v);
    if (a == 0) {
        ++zeros;
        return;
    }
    minAbs = std::min(minAbs, a);
    maxAbs = std::max(maxAbs, a);
    if (hist.empty()) hist.assign(kBins, 0);
    const double bin = std::clamp((std::log2(a) - kLog2Min) * kBinsPerOctave, 0.0, double(kBins - 1));
    ++hist[static_cast<size_t>(bin)];
}

void ValueStats::merge(const ValueStats& o) {
    count += o.count;
    zeros += o.zeros;
    min = std::min(min, o.min);
    max = std::max(max, o.max);
    minAbs = std::min(minAbs, o.minAbs);
    maxAbs = std::max(maxAbs, o.maxAbs);
    checked += o.checked;
    outside += o.outside;
    if (o.hist.empty()) return;
    if (hist.empty()) hist.assign(kBins, 0);
    for (int b = 0; b < kBins; ++b) hist[b] += o.hist[b];
}

double ValueStats::log2Quantile(double q) const {
    if (hist.empty()) return 0;
    int64_t total = 0;
    for (int64_t h : hist) total += h;
    const double target = std::clamp(q, 0.0, 1.0) * double(total);
    double cum = 0, pos = kBins;
    for (int b = 0; b < kBins; ++b) {
        if (hist[b] > 0 && cum + double(hist[b]) >= target) {
            pos = b + (target - cum) / double(hist[b]);
            break;
        }
        cum += double(hist[b]);
    }
    const double v = kLog2Min + pos / kBinsPerOctave;
    return std::clamp(v, std::log2(minAbs), std::log2(maxAbs));
}

bool overflowsType(double v, const FixedType& t, bool asWeight) {
    if (std::isnan(v)) return false;  // converts to 0
    // Inside [min, max - lsb] no rounding mode can leave the range; only values near the edges need the exact test.
    if (v >= t.minValue() && v <= t.maxValue() - t.lsb()) return false;
    QuantizeFlags f;
    if (asWeight)
        fromWeightText(v, t, &f);
    else
        fromDouble(v, t, &f);
    return f.overflowed;
}

int integerBitsFor(double maxAbs) {
    if (!(maxAbs > 0)) return 1;
    if (!std::isfinite(maxAbs)) return kMaxIntegerBits;
    int e = 0;
    std::frexp(maxAbs, &e);  // maxAbs = m * 2^e, 0.5 <= m < 1: 2^(e-1) <= maxAbs < 2^e
    return std::min(e + 1, kMaxIntegerBits);
}

FixedType suggestType(const ProfileVar& v, std::optional<int> width) {
    const int integer = std::min(integerBitsFor(v.stats.maxAbs) + 1, kMaxIntegerBits);
    return FixedType::fixed(width.value_or(v.type.width), integer, true, v.type.rounding, v.type.overflow);
}

namespace {

void addConstant(LayerProfile& lp, const char* name, const std::vector<double>& values, const FixedType& t,
                 bool asWeight) {
    if (values.empty()) return;
    ProfileVar v{name, VarKind::Constant, t, true, {}};
    for (double x : values) {
        v.stats.add(x);
        ++v.stats.checked;
        v.stats.outside += overflowsType(x, t, asWeight);
    }
    lp.vars.push_back(std::move(v));
}

// The constants of one layer: weight arrays are written as text and read back (fromWeightText); scalar
// activation parameters are C++ literals (fromDouble).
void addConstants(LayerProfile& lp, const Node& n) {
    if (const auto* a = n.as<DenseAttrs>()) {
        addConstant(lp, "weight", a->kernel, a->weightT, true);
        addConstant(lp, "bias", a->bias, a->biasT, true);
    } else if (const auto* c = n.as<ConvAttrs>()) {
        addConstant(lp, "weight", c->kernel, c->weightT, true);
        addConstant(lp, "bias", c->bias, c->biasT, true);
    } else if (const auto* b = n.as<BatchNormAttrs>()) {
        addConstant(lp, "scale", b->scale, b->scaleT, true);
        addConstant(lp, "bias", b->bias, b->biasT, true);
    } else if (const auto* act = n.as<ActivationAttrs>()) {
        if (act->kind == ActKind::PRelu)
            addConstant(lp, "param", act->alpha, act->paramT, true);
        else if (act->kind == ActKind::LeakyRelu || act->kind == ActKind::ThresholdedRelu || act->kind == ActKind::Elu)
            addConstant(lp, "param", {act->param}, act->paramT, false);
    }
}

}  // namespace

Profile profileGraph(const Graph& g, const std::vector<std::vector<double>>& inputs, int64_t nSamples, int threads) {
    const size_t nNodes = g.nodes.size();
    Profile prof;
    prof.samples = nSamples;
    std::vector<FixedType> accumType(nNodes);
    std::vector<char> accum(nNodes);
    for (size_t i = 0; i < nNodes; ++i) {
        const Node& n = g.nodes[i];
        LayerProfile lp{n.name, n.kind, {}, {}};
        addConstants(lp, n);
        accum[i] = hasAccum(n, &accumType[i]);
        if (accum[i]) lp.vars.push_back({"accum", VarKind::Accum, accumType[i], true, {}});
        lp.vars.push_back({"result", VarKind::Result, g.tensor(n.outputs.at(0)).type, !n.as<ReshapeAttrs>(), {}});
        prof.layers.push_back(std::move(lp));
    }

    Emulator emu(g);
    EmulatorOptions opt;
    opt.floatMode = true;
    opt.threads = threads;
    struct WorkerStats {
        std::vector<ValueStats> result, accum;
    };
    std::vector<WorkerStats> perWorker(Emulator::workerCount(opt, nSamples),
                                       WorkerStats{std::vector<ValueStats>(nNodes), std::vector<ValueStats>(nNodes)});
    opt.onSample = [&](const SampleValues& sv) {
        WorkerStats& w = perWorker[sv.worker];
        const auto& tensors = *sv.tensors;
        for (size_t i = 0; i < nNodes; ++i) {
            const Node& n = g.nodes[i];
            const int out = n.outputs[0];
            const FixedType& t = g.tensor(out).type;
            ValueStats& r = w.result[i];
            for (double v : tensors[out]) {
                r.add(v);
                r.outside += overflowsType(v, t);
            }
            r.checked += static_cast<int64_t>(tensors[out].size());
            if (accum[i]) replayAccum(g, n, tensors, accumType[i], w.accum[i]);
        }
    };
    emu.run(inputs, nSamples, opt);
    for (size_t i = 0; i < nNodes; ++i)
        for (ProfileVar& v : prof.layers[i].vars)
            for (const WorkerStats& w : perWorker) {
                if (v.kind == VarKind::Result) v.stats.merge(w.result[i]);
                if (v.kind == VarKind::Accum) v.stats.merge(w.accum[i]);
            }

    EmulatorOptions fixedOpt;
    fixedOpt.threads = threads;
    const EmulationResult fixedRes = emu.run(inputs, nSamples, fixedOpt);
    for (size_t i = 0; i < nNodes; ++i) prof.layers[i].overflow = fixedRes.overflow[i].stats;
    return prof;
}

}  // namespace nnfpga
