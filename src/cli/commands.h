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
int runConvert(const CommonOptions& c);
int runCsim();
int runBuild();
int runSelected(CLI::App& app, const CommonOptions& c, const PredictOptions& p, const ReportOptions& r);

// Shared: samples (one per row) split into the model's inputs, and the outputs joined back into rows.
std::vector<std::vector<double>> splitInputs(const Graph& g, const Matrix& m, const std::string& path);
struct EmulationResult;
Matrix joinOutputs(const Graph& g, const EmulationResult& res, int64_t rows);

// Shared: the configuration (file + command-line overrides) and the typed graph.
ProjectConfig loadConfig(const CommonOptions& c);
Graph loadGraph(const CommonOptions& c, const ProjectConfig& cfg);

}  // namespace nnfpga
