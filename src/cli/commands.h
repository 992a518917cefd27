// Subcommands of the nnfpga CLI: options structs, registration, and execution.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "nnfpga/config/config.h"
#include "nnfpga/ir/graph.h"
#include "nnfpga/support/array_io.h"

namespace nnfpga {

// Options every model-reading command takes.
struct CommonOptions {
    std::string model;
    std::string weights;
    std::string config;
    std::string precision;
    int reuseFactor = 0;
    std::string strategy;
    bool bitExact = false;
    std::string po2Product;  // --po2-product: "" (configuration's), exact, hls4ml
    bool printPipeline = false;
};

struct PredictOptions {
    std::string input, output, trace;
    bool floatMode = false;
    bool quiet = false;
    int threads = 0;
};

struct ReportOptions {
    std::string input, labels;
    int threads = 0;
};

void addInfoCommand(CLI::App& app, CommonOptions& c);
void addPredictCommand(CLI::App& app, CommonOptions& c, PredictOptions& p);
void addReportCommand(CLI::App& app, CommonOptions& c, ReportOptions& r);
void addHelpCommand(CLI::App& app);
void addBackendCommands(CLI::App& app, CommonOptions& c);
void addAnalysisCommands(CLI::App& app, CommonOptions& c);
int runConvert(const CommonOptions& c);
int runCsim();
int runBuild();
int runProfile(const CommonOptions& c);
int runScan(const CommonOptions& c);
int runSelected(CLI::App& app, const CommonOptions& c, const PredictOptions& p, const ReportOptions& r);

// Shared: samples (one per row) split into the model's inputs, and the outputs joined back into rows. The rvalue
// forms move the values instead of copying them when the model has a single input (output).
std::vector<std::vector<double>> splitInputs(const Graph& g, const Matrix& m, const std::string& path);
std::vector<std::vector<double>> splitInputs(const Graph& g, Matrix&& m, const std::string& path);
struct EmulationResult;
Matrix joinOutputs(const Graph& g, const EmulationResult& res, int64_t rows);
Matrix joinOutputs(const Graph& g, EmulationResult&& res, int64_t rows);

// Shared: the model, --weights, --config, --precision, --reuse-factor and --strategy options.
void addCommon(CLI::App* cmd, CommonOptions& c, bool modelRequired = false);

// Shared: the index of the largest value in row r (the predicted class).
int argmaxRow(const Matrix& m, int64_t r);
// Shared: the true class of each of `samples` samples, from one class index per row or one-hot rows of `classes`
// values (their argmax). Bad counts and out-of-range indices are UserErrors naming the file.
std::vector<int> readLabels(const std::string& path, int64_t samples, int64_t classes);

// Shared: the configuration (file + command-line overrides) and the typed graph.
ProjectConfig loadConfig(const CommonOptions& c);
Graph loadGraph(const CommonOptions& c, const ProjectConfig& cfg);
// The same model through the front end only: the untyped graph, before any pass.
Graph importGraph(const CommonOptions& c, const ProjectConfig& cfg);

}  // namespace nnfpga
