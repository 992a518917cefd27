// Numerical profile of a typed graph on calibration samples: per layer and per variable (weights, biases,
// results, accumulators) the float values seen, the configured type, how many values fall outside it, and a
// suggested type; plus the integer-mode overflow counters of the emulator.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "nnfpga/emulator/kernel.h"
#include "nnfpga/fixed/fixed_type.h"
#include "nnfpga/ir/graph.h"

namespace nnfpga {

// Streaming statistics of one variable's values: exact extremes, and a histogram of log2|x| for plots.
struct ValueStats {
    // Histogram bins: kBinsPerOctave per power of two over [kLog2Min, kLog2Max); values beyond go to the end bins.
    static constexpr int kBinsPerOctave = 8;
    static constexpr int kLog2Min = -64;
    static constexpr int kLog2Max = 64;
    static constexpr int kBins = (kLog2Max - kLog2Min) * kBinsPerOctave;

    int64_t count = 0;
    int64_t zeros = 0;
    double min = std::numeric_limits<double>::infinity();
    double max = -std::numeric_limits<double>::infinity();
    double minAbs = std::numeric_limits<double>::infinity();  // smallest nonzero magnitude
    double maxAbs = 0;
    // Conversions into the variable's type and how many of them would wrap or saturate. For most variables
    // one per value; for accumulators, as the emulator counts them (each product, one check per sum).
    int64_t checked = 0;
    int64_t outside = 0;
    std::vector<int64_t> hist;  // kBins entries once a nonzero value was added

    void add(double v);
    void merge(const ValueStats& o);
    bool empty() const { return count == 0; }
    // log2|x| below which a fraction q of the nonzero values lie (histogram resolution, clamped to the extremes).
    double log2Quantile(double q) const;
};

enum class VarKind { Constant, Result, Accum };  // Constant: weight, bias, scale, param

struct ProfileVar {
    std::string name;  // the configuration's precision variable: weight, bias, scale, param, result, accum
    VarKind kind = VarKind::Result;
    FixedType type;
    bool configurable = true;  // false: the type follows another variable (Reshape keeps its input's type)
    ValueStats stats;
};

struct LayerProfile {
    std::string name, kind;  // node name, framework class
    std::vector<ProfileVar> vars;
    OverflowStats overflow;  // integer-mode emulator counters of the whole layer
};

struct Profile {
    int64_t samples = 0;
    std::vector<LayerProfile> layers;  // graph order
};

// Runs the float reference on the samples (inputs[k]: nSamples * inputSize(k)) to collect the values, then the
// integer mode for the overflow counters. threads as EmulatorOptions::threads.
Profile profileGraph(const Graph& g, const std::vector<std::vector<double>>& inputs, int64_t nSamples, int threads);

// Whether `v` does not fit `t` (the conversion would wrap or saturate): `asWeight` converts as a weight is
// written and read back (fromWeightText), otherwise as ap_fixed(double).
bool overflowsType(double v, const FixedType& t, bool asWeight = false);

// Integer bits (sign included) for values up to `maxAbs` in magnitude: the smallest I with 2^(I-1) > maxAbs.
int integerBitsFor(double maxAbs);

// A signed type for the variable: integerBitsFor(max |x| seen) + 1 guard bit, the configured width (or `width`),
// the configured rounding and overflow modes.
FixedType suggestType(const ProfileVar& v, std::optional<int> width = std::nullopt);

}  // namespace nnfpga
