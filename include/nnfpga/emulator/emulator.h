// The bit-exact emulator: runs a typed graph on a batch of samples, in integer mode (the specification of
// what the firmware computes) or float mode (float64, the framework's maths). Batches are split over threads.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "nnfpga/emulator/kernel.h"
#include "nnfpga/ir/graph.h"

namespace nnfpga {

// Every tensor of one sample, after the last node ran (EmulatorOptions::onSample).
struct SampleValues {
    int worker = 0;      // which worker thread: 0 <= worker < Emulator::workerCount(opt, nSamples)
    int64_t sample = 0;  // row of the batch
    // Per tensor id, its values: float mode the float64 ones, integer mode the fixed-point ones as doubles.
    const std::vector<std::vector<double>>* tensors = nullptr;
};

struct EmulatorOptions {
    bool floatMode = false;
    int threads = 0;        // 0: all hardware threads
    std::string traceDir;   // non-empty: write every layer's output (one CSV per layer, one row per sample)
    bool inputsAsFloat32 = true;  // round inputs to float32 before the input type (hls4ml's predict on float32)
    // In-memory trace: called once per sample with every tensor's values, concurrently from the worker threads
    // (calls with the same `worker` never overlap, so per-worker accumulators need no locks). Unset: no cost.
    std::function<void(const SampleValues&)> onSample;
};

struct LayerOverflow {
    std::string name, kind;
    OverflowStats stats;
};

struct EmulationResult {
    std::vector<std::vector<double>> outputs;  // per model output: nSamples * outputSize, row-major
    std::vector<LayerOverflow> overflow;       // per node, in graph order (integer mode)
};

class Emulator {
public:
    explicit Emulator(const Graph& g);
    ~Emulator();
    // inputs[k]: nSamples * inputSize(k) values, row-major.
    EmulationResult run(const std::vector<std::vector<double>>& inputs, int64_t nSamples,
                        const EmulatorOptions& opt) const;
    // How many worker threads run() uses for this batch (the range of SampleValues::worker).
    static int workerCount(const EmulatorOptions& opt, int64_t nSamples);

private:
    const Graph& graph_;
    std::vector<std::unique_ptr<Kernel>> kernels_;
};

}  // namespace nnfpga
