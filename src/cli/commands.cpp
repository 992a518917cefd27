// info, predict and report: the commands that read a model and run the emulator.
#include "commands.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <optional>
#include <sstream>
#include <utility>

#include "nnfpga/emulator/emulator.h"
#include "nnfpga/frontends/load_model.h"
#include "nnfpga/passes/pass.h"
#include "nnfpga/support/array_io.h"
#include "nnfpga/support/diagnostics.h"

namespace nnfpga {

void addCommon(CLI::App* cmd, CommonOptions& c, bool modelRequired) {
    auto* m = cmd->add_option("model", c.model, "model file: .json (with --weights), .h5, .keras");
    if (modelRequired) m->required();
    cmd->add_option("--weights", c.weights, "weights .h5 for a JSON architecture");
    cmd->add_option("--config", c.config, "hls4ml YAML configuration");
    cmd->add_option("--precision", c.precision, "model default precision, e.g. 'ap_fixed<16,6>'");
    cmd->add_option("--reuse-factor", c.reuseFactor, "model default reuse factor")->check(CLI::PositiveNumber);
    cmd->add_option("--strategy", c.strategy, "latency or resource");
    cmd->add_flag("--bit-exact", c.bitExact,
                  "derive accumulator and result widths from value ranges: no overflow, no wasted bit "
                  "(Model.BitExact)");
    cmd->add_option("--po2-product", c.po2Product,
                    "power-of-two kernels: 'exact' (the QKeras model, default) or 'hls4ml' (its truncating shift "
                    "products, Model.Po2Product)")
        ->check(CLI::IsMember({"exact", "hls4ml"}));
}

int argmaxRow(const Matrix& m, int64_t r) {
    const double* row = m.data.data() + r * m.cols;
    return static_cast<int>(std::max_element(row, row + m.cols) - row);
}

std::vector<int> readLabels(const std::string& path, int64_t samples, int64_t classes) {
    Matrix lab = readMatrix(path);
    if (lab.rows != samples)
        fail(path + ": " + std::to_string(lab.rows) + " labels for " + std::to_string(samples) + " samples");
    if (lab.cols != 1 && lab.cols != classes)
        fail(path + ": " + std::to_string(lab.cols) + " values per row, expected 1 (a class index) or " +
             std::to_string(classes) + " (one-hot, one per model output)");
    std::vector<int> y(samples);
    for (int64_t r = 0; r < samples; ++r) {
        if (lab.cols > 1) {
            y[r] = argmaxRow(lab, r);
            continue;
        }
        const double v = lab.data[r];
        if (!(v >= 0 && v < double(classes) && v == std::floor(v)))
            fail(path + ": row " + std::to_string(r + 1) + ": expected a class index from 0 to " +
                 std::to_string(classes - 1) + ", got " + formatDouble(v));
        y[r] = static_cast<int>(v);
    }
    return y;
}

std::vector<std::vector<double>> splitInputs(const Graph& g, const Matrix& m, const std::string& path) {
    int64_t total = 0;
    for (size_t k = 0; k < g.inputs.size(); ++k) total += g.inputSize(k);
    if (m.cols != total) {
        std::string what = g.inputs.size() == 1 ? "the model input '" + g.tensor(g.inputs[0]).name + "' takes " +
                                                      std::to_string(total)
                                                : "the model's inputs take " + std::to_string(total) + " together";
        fail(path + ": " + std::to_string(m.cols) + " values per sample, " + what);
    }
    std::vector<std::vector<double>> ins(g.inputs.size());
    int64_t off = 0;
    for (size_t k = 0; k < g.inputs.size(); ++k) {
        const int64_t sz = g.inputSize(k);
        ins[k].resize(m.rows * sz);
        for (int64_t r = 0; r < m.rows; ++r)
            std::copy_n(m.data.begin() + r * m.cols + off, sz, ins[k].begin() + r * sz);
        off += sz;
    }
    return ins;
}

std::vector<std::vector<double>> splitInputs(const Graph& g, Matrix&& m, const std::string& path) {
    if (g.inputs.size() != 1 || m.cols != g.inputSize(0)) return splitInputs(g, std::as_const(m), path);
    std::vector<std::vector<double>> ins(1);
    ins[0] = std::move(m.data);
    return ins;
}

Matrix joinOutputs(const Graph& g, EmulationResult&& res, int64_t rows) {
    if (g.outputs.size() != 1) return joinOutputs(g, std::as_const(res), rows);
    Matrix out;
    out.rows = rows;
    out.cols = g.outputSize(0);
    out.data = std::move(res.outputs[0]);
    return out;
}

Matrix joinOutputs(const Graph& g, const EmulationResult& res, int64_t rows) {
    Matrix out;
    out.rows = rows;
    for (size_t k = 0; k < g.outputs.size(); ++k) out.cols += g.outputSize(k);
    out.data.resize(rows * out.cols);
    int64_t off = 0;
    for (size_t k = 0; k < g.outputs.size(); ++k) {
        const int64_t sz = g.outputSize(k);
        for (int64_t r = 0; r < rows; ++r)
            std::copy_n(res.outputs[k].begin() + r * sz, sz, out.data.begin() + r * out.cols + off);
        off += sz;
    }
    return out;
}

namespace {

// Per-layer overflow table on stderr; a warning for each layer that wrapped or saturated.
void reportOverflow(const Graph& g, const EmulationResult& res, bool quiet) {
    int64_t layers = 0;
    for (const LayerOverflow& lo : res.overflow) {
        if (lo.stats.overflowed == 0) continue;
        ++layers;
        char pct[32];
        std::snprintf(pct, sizeof pct, "%.3g%%", 100.0 * double(lo.stats.overflowed) / double(std::max<int64_t>(1, lo.stats.conversions)));
        warn(layerPrefix(lo.name, lo.kind) + std::to_string(lo.stats.overflowed) + " of " +
             std::to_string(lo.stats.conversions) + " conversions wrapped or saturated (" + pct +
             "); widen its result or accum precision");
    }
    if (!quiet && layers == 0) std::cerr << "overflow: none in " << g.nodes.size() << " layers\n";
}

}  // namespace

ProjectConfig loadConfig(const CommonOptions& c) {
    ProjectConfig cfg = c.config.empty() ? ProjectConfig() : loadProjectConfig(c.config);
    if (!c.precision.empty()) {
        std::string why;
        if (!parseFixedType(c.precision, &why)) usageError("--precision: invalid type '" + c.precision + "': " + why);
        cfg.model.precision["default"] = c.precision;
    }
    if (c.reuseFactor > 0) cfg.model.reuseFactor = c.reuseFactor;
    if (c.bitExact) cfg.model.bitExact = true;
    if (!c.po2Product.empty()) cfg.model.po2Product = c.po2Product;
    if (!c.strategy.empty()) {
        std::string s = c.strategy;
        std::transform(s.begin(), s.end(), s.begin(), ::tolower);
        if (s != "latency" && s != "resource")
            usageError("--strategy: invalid value '" + c.strategy + "' (expected latency or resource)");
        cfg.model.strategy = s;
    }
    return cfg;
}

namespace {

// The model file and weights: from the command line, else from the configuration's KerasJson/KerasH5/KerasModel.
std::pair<std::string, std::optional<std::string>> modelFiles(const CommonOptions& c, const ProjectConfig& cfg) {
    std::string model = c.model;
    std::optional<std::string> weights;
    if (!c.weights.empty()) weights = c.weights;
    if (model.empty()) {
        if (cfg.kerasJson) {
            model = resolveConfigPath(cfg, *cfg.kerasJson);
            if (!weights && cfg.kerasH5) weights = resolveConfigPath(cfg, *cfg.kerasH5);
        } else if (cfg.kerasH5) {
            model = resolveConfigPath(cfg, *cfg.kerasH5);
        } else if (cfg.kerasModel) {
            model = resolveConfigPath(cfg, *cfg.kerasModel);
        } else {
            usageError("no model: give a model file or a --config with KerasJson/KerasH5");
        }
    }
    return {model, weights};
}

}  // namespace

Graph loadGraph(const CommonOptions& c, const ProjectConfig& cfg) {
    const auto [model, weights] = modelFiles(c, cfg);
    return loadModel(model, weights, cfg);
}

Graph importGraph(const CommonOptions& c, const ProjectConfig& cfg) {
    const auto [model, weights] = modelFiles(c, cfg);
    return importModel(model, weights);
}

void addInfoCommand(CLI::App& app, CommonOptions& c) {
    auto* cmd = app.add_subcommand("info", "print the layers: kinds, shapes, types, parameter and multiplication counts");
    addCommon(cmd, c);
    cmd->add_flag("--print-pipeline", c.printPipeline, "print the pass pipeline and exit");
}

void addPredictCommand(CLI::App& app, CommonOptions& c, PredictOptions& p) {
    auto* cmd = app.add_subcommand("predict", "emulate the model bit-exactly on a batch of samples");
    addCommon(cmd, c);
    cmd->add_option("--input", p.input, "samples: CSV (one per row, channels-last flattened) or .npy")->required();
    cmd->add_option("--output", p.output, "outputs: CSV or .npy")->required();
    cmd->add_flag("--float", p.floatMode, "float64 reference (the framework's maths) instead of fixed point");
    cmd->add_option("--trace", p.trace, "write every layer's outputs to DIR/<layer>.csv");
    cmd->add_option("--threads", p.threads, "worker threads (default: all)");
    cmd->add_flag("--quiet", p.quiet, "print only warnings and errors");
}

void addReportCommand(CLI::App& app, CommonOptions& c, ReportOptions& r) {
    auto* cmd = app.add_subcommand("report", "model summary, fixed-point vs float agreement, accuracy, overflow");
    addCommon(cmd, c);
    cmd->add_option("--input", r.input, "samples: CSV or .npy")->required();
    cmd->add_option("--labels", r.labels, "true class per sample: one index per row, or one-hot rows");
    cmd->add_option("--threads", r.threads, "worker threads (default: all)");
}

namespace {

// Widths of the accumulators that hls4ml's 'auto' rule sizes (Dense, Conv, Dot, window pooling: global pooling
// gets its default type, with no width rule to compare with) and of every layer result.
std::pair<int64_t, int64_t> accumAndResultBits(const Graph& g) {
    int64_t acc = 0, res = 0;
    for (const Node& n : g.nodes) {
        if (n.as<InputAttrs>() || n.as<ReshapeAttrs>()) continue;
        res += g.tensor(n.outputs[0]).type.width;
        if (auto* d = n.as<DenseAttrs>()) acc += d->accumT.width;
        if (auto* cv = n.as<ConvAttrs>()) acc += cv->accumT.width;
        if (auto* p = n.as<PoolAttrs>(); p && !p->global) acc += p->accumT.width;
        if (auto* d = n.as<DotAttrs>()) acc += d->accumT.width;
    }
    return {acc, res};
}

// The bit-exact widths against hls4ml's 'auto' accumulators (same configuration, accum 'auto', results as
// configured) and against the configured result types.
std::string bitExactSummary(const Graph& g, const CommonOptions& c, const ProjectConfig& cfg) {
    ProjectConfig autoCfg = cfg;
    autoCfg.model.bitExact = false;
    autoCfg.model.precision["accum"] = "auto";
    ProjectConfig plainCfg = cfg;
    plainCfg.model.bitExact = false;
    const auto [acc, res] = accumAndResultBits(g);
    const int64_t autoAcc = accumAndResultBits(loadGraph(c, autoCfg)).first;
    const int64_t plainRes = accumAndResultBits(loadGraph(c, plainCfg)).second;
    // "12.5 % fewer" or "3.0 % more" than the reference b.
    auto vs = [](int64_t a, int64_t b) {
        char s[64];
        const double p = b ? 100.0 * double(b - a) / double(b) : 0.0;
        std::snprintf(s, sizeof s, "%lld, %.1f %% %s", static_cast<long long>(b), p >= 0 ? p : -p, p >= 0 ? "fewer" : "more");
        return std::string(s);
    };
    std::ostringstream o;
    o << "bit-exact widths: accumulators " << acc << " bits (hls4ml 'auto': " << vs(acc, autoAcc) << "), results "
      << res << " bits (as configured: " << vs(res, plainRes) << ")\n";
    return o.str();
}

int runInfo(CLI::App* cmd, const CommonOptions& c) {
    if (c.printPipeline) {
        for (const auto& p : pipeline("default")) std::cout << p << "\n";
        return 0;
    }
    ProjectConfig cfg = loadConfig(c);
    Graph g = loadGraph(c, cfg);
    std::cout << printGraph(g);
    if (cfg.bitExact()) std::cout << bitExactSummary(g, c, cfg);
    return 0;
}

bool endsWithNpy(const std::string& s) { return s.size() >= 4 && s.compare(s.size() - 4, 4, ".npy") == 0; }

// .npy in and out, no trace: blocks of rows read, emulated and written in turn (the same outputs and overflow
// counts as one batch), so that no more than a block of samples is in memory.
int predictInBlocks(const Graph& g, const PredictOptions& p) {
    NpyRowReader reader(p.input);
    const int64_t rows = reader.rows(), cols = reader.cols();
    int64_t outCols = 0;
    for (size_t k = 0; k < g.outputs.size(); ++k) outCols += g.outputSize(k);
    const int64_t block = std::max<int64_t>(1024, (int64_t(1) << 20) / std::max<int64_t>(cols, 1));
    Emulator emu(g);
    EmulatorOptions opt;
    opt.floatMode = p.floatMode;
    opt.threads = p.threads;
    std::optional<NpyRowWriter> writer;
    std::vector<LayerOverflow> overflow;
    std::vector<double> buf;
    for (int64_t done = 0; done < rows || (rows == 0 && !writer);) {
        Matrix in;
        in.cols = cols;
        in.rows = std::min(block, rows - done);
        buf.resize(static_cast<size_t>(in.rows * cols));
        reader.read(in.rows, buf.data());
        in.data = std::move(buf);
        auto inputs = splitInputs(g, std::move(in), p.input);
        if (!writer) writer.emplace(p.output, rows, outCols);  // after the first block's checks
        EmulationResult res = emu.run(inputs, in.rows, opt);
        if (inputs.size() == 1) buf = std::move(inputs[0]);  // reused for the next block
        if (overflow.empty()) overflow = res.overflow;
        else
            for (size_t i = 0; i < overflow.size(); ++i) overflow[i].stats.merge(res.overflow[i].stats);
        const Matrix out = joinOutputs(g, std::move(res), in.rows);
        writer->write(out.data.data(), in.rows);
        done += in.rows;
        if (rows == 0) break;
    }
    writer->finish();
    if (!p.floatMode) {
        EmulationResult all;
        all.overflow = std::move(overflow);
        reportOverflow(g, all, p.quiet);
    }
    return 0;
}

int runPredict(const CommonOptions& c, const PredictOptions& p) {
    ProjectConfig cfg = loadConfig(c);
    Graph g = loadGraph(c, cfg);
    if (endsWithNpy(p.input) && endsWithNpy(p.output) && p.trace.empty()) return predictInBlocks(g, p);
    Matrix in = readMatrix(p.input);
    const int64_t rows = in.rows;
    auto inputs = splitInputs(g, std::move(in), p.input);
    Emulator emu(g);
    EmulatorOptions opt;
    opt.floatMode = p.floatMode;
    opt.threads = p.threads;
    opt.traceDir = p.trace;
    EmulationResult res = emu.run(inputs, rows, opt);
    inputs.clear();
    writeMatrix(p.output, joinOutputs(g, std::move(res), rows));
    if (!p.floatMode) reportOverflow(g, res, p.quiet);
    return 0;
}

int runReport(const CommonOptions& c, const ReportOptions& r) {
    ProjectConfig cfg = loadConfig(c);
    Graph g = loadGraph(c, cfg);
    std::cout << "== model\n" << printGraph(g);
    Matrix in = readMatrix(r.input);
    auto inputs = splitInputs(g, in, r.input);
    Emulator emu(g);
    EmulatorOptions opt;
    opt.threads = r.threads;
    auto t0 = std::chrono::steady_clock::now();
    EmulationResult fixedRes = emu.run(inputs, in.rows, opt);
    auto t1 = std::chrono::steady_clock::now();
    opt.floatMode = true;
    EmulationResult floatRes = emu.run(inputs, in.rows, opt);
    Matrix fx = joinOutputs(g, fixedRes, in.rows), fl = joinOutputs(g, floatRes, in.rows);
    double maxDiff = 0, scale = 0;
    for (size_t i = 0; i < fx.data.size(); ++i) {
        maxDiff = std::max(maxDiff, std::fabs(fx.data[i] - fl.data[i]));
        scale = std::max(scale, std::fabs(fl.data[i]));
    }
    int64_t agree = 0;
    for (int64_t s = 0; s < in.rows; ++s) agree += argmaxRow(fx, s) == argmaxRow(fl, s);
    const double secs = std::chrono::duration<double>(t1 - t0).count();
    std::printf("== emulation\nsamples: %lld, fixed point: %.3f ms (%.0f samples/s)\n", (long long)in.rows, secs * 1e3,
                in.rows / std::max(secs, 1e-9));
    std::printf("fixed vs float: max |diff| %.6g (output scale %.6g), same argmax on %.2f%% of samples\n", maxDiff,
                scale, 100.0 * agree / in.rows);
    if (!r.labels.empty()) {
        const std::vector<int> labels = readLabels(r.labels, in.rows, fx.cols);
        int64_t okFx = 0, okFl = 0;
        for (int64_t s = 0; s < in.rows; ++s) {
            const int y = labels[s];
            okFx += argmaxRow(fx, s) == y;
            okFl += argmaxRow(fl, s) == y;
        }
        std::printf("accuracy: float %.2f%%, fixed point %.2f%%\n", 100.0 * okFl / in.rows, 100.0 * okFx / in.rows);
    }
    std::printf("== overflow\n");
    for (const LayerOverflow& lo : fixedRes.overflow)
        if (lo.stats.conversions)
            std::printf("%-24s %-20s %lld of %lld\n", lo.name.c_str(), lo.kind.c_str(), (long long)lo.stats.overflowed,
                        (long long)lo.stats.conversions);
    std::fflush(stdout);
    reportOverflow(g, fixedRes, true);
    return 0;
}

}  // namespace

static std::string& helpTopic() {
    static std::string topic;
    return topic;
}

void addHelpCommand(CLI::App& app) {
    auto* cmd = app.add_subcommand("help", "documentation generated from the code: 'passes' lists every pass and pipeline");
    cmd->add_option("topic", helpTopic(), "passes")->required();
}

namespace {
int runHelp(const std::string& topic) {
    if (topic != "passes") usageError("help: unknown topic '" + topic + "' (expected passes)");
    for (const auto& p : allPasses()) std::cout << p->name() << ": " << p->summary() << "\n    " << p->description() << "\n";
    for (const auto& name : pipelineNames()) {
        std::cout << "pipeline " << name << ":";
        for (const auto& p : pipeline(name)) std::cout << " " << p;
        std::cout << "\n";
    }
    return 0;
}
}  // namespace

int runSelected(CLI::App& app, const CommonOptions& c, const PredictOptions& p, const ReportOptions& r) {
    if (auto* cmd = app.get_subcommand("info"); cmd->parsed()) return runInfo(cmd, c);
    if (app.get_subcommand("predict")->parsed()) return runPredict(c, p);
    if (app.get_subcommand("report")->parsed()) return runReport(c, r);
    if (app.get_subcommand("help")->parsed()) return runHelp(helpTopic());
    if (app.get_subcommand("convert")->parsed()) return runConvert(c);
    if (app.get_subcommand("csim")->parsed()) return runCsim();
    if (app.get_subcommand("build")->parsed()) return runBuild();
    if (app.get_subcommand("profile")->parsed()) return runProfile(c);
    if (app.get_subcommand("scan")->parsed()) return runScan(c);
    return 2;
}

}  // namespace nnfpga
