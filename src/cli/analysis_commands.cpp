// profile and scan: the commands that choose types. profile measures every layer's values on calibration
// samples against its types and suggests new ones; scan emulates the model at a range of widths and reports
// the accuracy at each.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <random>

#include "commands.h"
#include "nnfpga/emulator/emulator.h"
#include "nnfpga/report/plots.h"
#include "nnfpga/report/profile.h"
#include "nnfpga/report/suggest_config.h"
#include "nnfpga/support/array_io.h"
#include "nnfpga/support/diagnostics.h"

namespace fs = std::filesystem;

namespace nnfpga {

namespace {

struct ProfileOptions {
    std::string input, output, plot;
    int bits = 0;
    int threads = 0;
};
ProfileOptions profileOpts;

struct ScanOptions {
    std::string input, labels, bits = "4:18", plot, output;
    std::optional<int> integer;
    int threads = 0;
};
ScanOptions scanOpts;

std::string fmt(const char* f, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, f, v);
    return buf;
}

std::string lowerExtension(const std::string& path) {
    std::string ext = fs::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    return ext;
}

// Bad output names are usage errors, found before any work is done.
void checkOutputName(const std::string& option, const std::string& path, std::initializer_list<const char*> exts) {
    if (path.empty()) return;
    const std::string ext = lowerExtension(path);
    std::string expected;
    bool ok = false;
    for (const char* e : exts) {
        ok |= ext == e;
        expected += expected.empty() ? std::string(e) : std::string(" or ") + e;
    }
    if (!ok) usageError(option + ": '" + path + "' must end in " + expected);
}

// Missing folders are bad input, also found before any work is done.
void checkOutputFolder(const std::string& path) {
    if (path.empty()) return;
    std::error_code ec;
    if (fs::is_directory(path, ec)) fail(path + ": is a folder, expected a file name");
    const fs::path parent = fs::path(path).parent_path();
    if (!parent.empty() && !fs::is_directory(parent, ec)) fail(path + ": no such folder '" + parent.string() + "'");
}

// Written beside the target under a temporary name, then renamed: a failure leaves no partial file.
void writeFileAtomically(const std::string& path, const std::string& bytes) {
    std::random_device rd;
    const fs::path target(path);
    const fs::path tmp =
        target.parent_path() / ("." + target.filename().string() + ".tmp-" + std::to_string(rd() % 1000000));
    {
        std::ofstream f(tmp, std::ios::binary);
        f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        f.close();
        if (!f) {
            std::error_code ec;
            fs::remove(tmp, ec);
            fail(path + ": cannot write");
        }
    }
    std::error_code ec;
    fs::rename(tmp, target, ec);
    if (ec) {
        std::error_code ignored;
        fs::remove(tmp, ignored);
        fail(path + ": cannot write (" + ec.message() + ")");
    }
}

Matrix readSamples(const std::string& path) {
    Matrix m = readMatrix(path);
    if (m.rows == 0) fail(path + ": no samples");
    return m;
}

// ---- profile

std::string cell(const ValueStats& s, double v) {
    return s.count ? fmt("%.6g", v) : "-";
}

void printProfile(const Profile& p, std::optional<int> bits) {
    std::printf("profile: %lld samples; float values against the configured types, fixed-point overflow counters\n",
                static_cast<long long>(p.samples));
    for (const LayerProfile& l : p.layers) {
        const double pct = 100.0 * double(l.overflow.overflowed) / double(std::max<int64_t>(1, l.overflow.conversions));
        std::printf("\nlayer %s (%s): fixed-point overflow %lld of %lld conversions (%s)\n", l.name.c_str(),
                    l.kind.c_str(), static_cast<long long>(l.overflow.overflowed),
                    static_cast<long long>(l.overflow.conversions),
                    l.overflow.overflowed ? fmt("%.3g%%", pct).c_str() : "0%");
        std::printf("  %-8s %10s %13s %13s %13s  %-24s %-26s %9s  %s\n", "variable", "values", "min", "max", "max|x|",
                    "type", "range (lsb)", "outside", "suggested");
        for (const ProfileVar& v : l.vars) {
            const ValueStats& s = v.stats;
            // The largest value is one lsb below a power of two; printed rounded it would look included.
            const std::string range = "[" + fmt("%.6g", v.type.minValue()) + ", " +
                                      fmt("%.6g", v.type.maxValue() + v.type.lsb()) + ") lsb 2^" +
                                      std::to_string(-v.type.frac());
            const std::string outside =
                s.outside ? fmt("%.3g%%", 100.0 * double(s.outside) / double(std::max<int64_t>(1, s.checked))) : "0%";
            std::printf("  %-8s %10lld %13s %13s %13s  %-24s %-26s %9s  %s\n", v.name.c_str(),
                        static_cast<long long>(s.count), cell(s, s.min).c_str(), cell(s, s.max).c_str(),
                        cell(s, s.maxAbs).c_str(), v.type.str().c_str(), range.c_str(), outside.c_str(),
                        v.configurable ? suggestType(v, bits).str().c_str() : "(input's)");
        }
    }
}

// Layers of the model that the pipeline removed (linear activations whose type equalled their input's), each
// with the profiled layer whose values it passes on, found by following first inputs through the front end's
// graph (past Reshapes, whose type follows their input's).
std::map<std::string, std::string> removedIdentities(const Graph& imported, const Graph& typed) {
    std::map<std::string, const Node*> kept;
    for (const Node& n : typed.nodes) kept[n.name] = &n;
    std::map<std::string, std::string> out;
    for (const Node& n : imported.nodes) {
        if (kept.count(n.name)) continue;
        const Node* cur = &n;
        while (!cur->inputs.empty()) {
            const int producer = imported.tensor(cur->inputs[0]).producer;
            if (producer < 0) break;
            cur = &imported.nodes[producer];
            if (auto it = kept.find(cur->name); it != kept.end() && !it->second->as<ReshapeAttrs>()) {
                out[n.name] = cur->name;
                break;
            }
        }
    }
    return out;
}

int profileCommand(const CommonOptions& c) {
    const ProfileOptions& o = profileOpts;
    checkOutputName("--output", o.output, {".yml", ".yaml"});
    checkOutputName("--plot", o.plot, {".svg", ".png"});
    checkOutputFolder(o.output);
    checkOutputFolder(o.plot);
    const ProjectConfig cfg = loadConfig(c);
    const Graph g = loadGraph(c, cfg);
    const Matrix in = readSamples(o.input);
    const auto inputs = splitInputs(g, in, o.input);
    const Profile prof = profileGraph(g, inputs, in.rows, o.threads);
    const std::optional<int> bits = o.bits > 0 ? std::optional<int>(o.bits) : std::nullopt;
    printProfile(prof, bits);

    // Render everything before writing anything.
    std::string yaml, plot;
    if (!o.output.empty()) {
        const std::string how = bits ? std::to_string(*bits) + " bits in total" : "total widths as configured";
        yaml = configYaml(suggestConfig(prof, cfg, bits, removedIdentities(importGraph(c, cfg), g)),
                          "Written by nnfpga profile from " + std::to_string(in.rows) + " samples of " +
                              fs::path(o.input).filename().string() +
                              ".\nEach profiled variable's type under LayerName: integer bits for the largest "
                              "magnitude seen (sign\nincluded) plus one guard bit; " +
                              how + ".");
    }
    if (!o.plot.empty())
        plot = renderPlot(*plotFormatFor(o.plot), profileChartSize(prof), "nnfpga profile",
                          [&](Surface& s) { drawProfile(prof, s); });
    std::cout << "\n";
    if (!o.output.empty()) {
        writeFileAtomically(o.output, yaml);
        std::cout << "wrote " << o.output << " (suggested types)\n";
    }
    if (!o.plot.empty()) {
        writeFileAtomically(o.plot, plot);
        const ChartSize size = profileChartSize(prof);
        std::cout << "wrote " << o.plot << " (" << size.width << "x" << size.height << ")\n";
    }
    return 0;
}

// ---- scan

// "4:18", "4:18:2", "8,12,16" or a mix; every width from 1 to 64.
std::vector<int> parseWidths(const std::string& text) {
    const auto bad = [&]() {
        usageError("--bits: invalid value '" + text +
                   "' (expected widths such as 4:18, 4:18:2 or 8,12,16, each from 1 to " + std::to_string(kMaxWidth) +
                   ")");
    };
    // Splits keeping empty fields, so that "4:" and "8,,9" are errors rather than "4" and "8,9".
    const auto split = [](const std::string& s, char sep) {
        std::vector<std::string> out(1);
        for (char ch : s) {
            if (ch == sep)
                out.emplace_back();
            else
                out.back().push_back(ch);
        }
        return out;
    };
    std::vector<int> widths;
    for (const std::string& item : split(text, ',')) {
        std::vector<int> parts;
        for (const std::string& f : split(item, ':')) {
            size_t used = 0;
            int v = 0;
            try {
                v = std::stoi(f, &used);
            } catch (const std::exception&) {
                bad();
            }
            if (used != f.size()) bad();
            parts.push_back(v);
        }
        if (parts.empty() || parts.size() > 3 || (parts.size() == 3 && parts[2] <= 0)) bad();
        const int first = parts[0], last = parts.size() > 1 ? parts[1] : parts[0],
                  step = parts.size() > 2 ? parts[2] : 1;
        if (first < 1 || last > kMaxWidth || last < first) bad();
        for (int w = first; w <= last; w += step) widths.push_back(w);
    }
    if (widths.empty()) bad();
    std::sort(widths.begin(), widths.end());
    widths.erase(std::unique(widths.begin(), widths.end()), widths.end());
    return widths;
}

// The configuration with every precision it sets (Model, LayerType, LayerName) at `width` bits: the integer bits
// are kept, or set to `integer`; signedness and modes are kept. 'auto' stays for precision inference, and
// Model's 'maximum' (the cap of that inference) is left alone.
ProjectConfig atWidth(const ProjectConfig& base, int width, std::optional<int> integer) {
    ProjectConfig cfg = base;
    const auto rewrite = [&](ScopeSettings& s) {
        for (auto& [var, type] : s.precision) {
            if (type == "auto" || var == "maximum") continue;
            const FixedType t = parseFixedTypeOrFail(type);
            type = FixedType::fixed(width, integer.value_or(t.integer), t.isSigned, t.rounding, t.overflow).str();
        }
    };
    rewrite(cfg.model);
    for (auto& [name, s] : cfg.layerType) rewrite(s);
    for (auto& [name, s] : cfg.layerName) rewrite(s);
    return cfg;
}

std::string modelDefault(const ProjectConfig& cfg) {
    auto it = cfg.model.precision.find("default");
    return it == cfg.model.precision.end() ? "-" : it->second;
}

struct WidthResult {
    ScanPoint point;
    OverflowStats overflow;
};

int scanCommand(const CommonOptions& c) {
    const ScanOptions& o = scanOpts;
    const std::vector<int> widths = parseWidths(o.bits);
    if (o.integer && std::abs(*o.integer) > kMaxIntegerBits)
        usageError("--integer: invalid value " + std::to_string(*o.integer) + " (expected -" +
                   std::to_string(kMaxIntegerBits) + " to " + std::to_string(kMaxIntegerBits) + ")");
    checkOutputName("--output", o.output, {".csv"});
    checkOutputName("--plot", o.plot, {".svg", ".png"});
    checkOutputFolder(o.output);
    checkOutputFolder(o.plot);
    const ProjectConfig base = loadConfig(c);
    const Graph g = loadGraph(c, base);
    const Matrix in = readSamples(o.input);
    const auto inputs = splitInputs(g, in, o.input);

    EmulatorOptions opt;
    opt.threads = o.threads;
    opt.floatMode = true;
    const Matrix fl = joinOutputs(g, Emulator(g).run(inputs, in.rows, opt), in.rows);
    opt.floatMode = false;
    std::vector<int> labels;
    if (!o.labels.empty()) labels = readLabels(o.labels, in.rows, fl.cols);
    const auto accuracy = [&](const Matrix& m) {
        int64_t ok = 0;
        for (int64_t s = 0; s < in.rows; ++s) ok += argmaxRow(m, s) == labels[s];
        return double(ok) / double(in.rows);
    };
    std::optional<double> floatAccuracy;
    if (!labels.empty()) floatAccuracy = accuracy(fl);

    const std::string what = o.integer ? "every precision ap_fixed<W," + std::to_string(*o.integer) + ">"
                                       : "every precision at W bits, integer bits as configured";
    std::printf("scan: %s; %lld samples\n", what.c_str(), static_cast<long long>(in.rows));
    if (floatAccuracy) std::printf("float accuracy: %.2f%%\n", 100 * *floatAccuracy);
    std::printf("%5s  %-20s %9s  %20s  %s\n", "width", "model default", "accuracy", "same argmax as float",
                "overflowed conversions");
    std::fflush(stdout);
    std::vector<WidthResult> results;
    for (int w : widths) {
        const ProjectConfig cfg = atWidth(base, w, o.integer);
        WidthResult r;
        r.point.width = w;
        try {
            const Graph gw = loadGraph(c, cfg);
            const EmulationResult res = Emulator(gw).run(inputs, in.rows, opt);
            const Matrix fx = joinOutputs(gw, res, in.rows);
            int64_t agree = 0;
            for (int64_t s = 0; s < in.rows; ++s) agree += argmaxRow(fx, s) == argmaxRow(fl, s);
            r.point.agreement = double(agree) / double(in.rows);
            if (!labels.empty()) r.point.accuracy = accuracy(fx);
            for (const LayerOverflow& lo : res.overflow) r.overflow.merge(lo.stats);
        } catch (const UserError& e) {
            // One width the model cannot be built at (a table too small to address, say) does not end the scan.
            std::fflush(stdout);
            warn("width " + std::to_string(w) + ": " + e.what());
            continue;
        }
        std::printf("%5d  %-20s %9s  %19.2f%%  %lld of %lld\n", w, modelDefault(cfg).c_str(),
                    r.point.accuracy ? fmt("%.2f%%", 100 * *r.point.accuracy).c_str() : "-", 100 * r.point.agreement,
                    static_cast<long long>(r.overflow.overflowed), static_cast<long long>(r.overflow.conversions));
        std::fflush(stdout);
        results.push_back(r);
    }
    if (results.empty())
        fail("scan: the model could not be emulated at any of the widths given (--bits " + o.bits + ")");

    std::string csv, plot;
    if (!o.output.empty()) {
        csv = "width,accuracy,float_agreement,overflowed,conversions,float_accuracy\n";
        for (const WidthResult& r : results)
            csv += std::to_string(r.point.width) + "," +
                   (r.point.accuracy ? formatDouble(*r.point.accuracy) : std::string()) + "," +
                   formatDouble(r.point.agreement) + "," + std::to_string(r.overflow.overflowed) + "," +
                   std::to_string(r.overflow.conversions) + "," +
                   (floatAccuracy ? formatDouble(*floatAccuracy) : std::string()) + "\n";
    }
    if (!o.plot.empty()) {
        ScanChart chart;
        chart.subtitle = what + ", " + std::to_string(in.rows) + " samples";
        chart.floatAccuracy = floatAccuracy;
        for (const WidthResult& r : results) chart.points.push_back(r.point);
        plot =
            renderPlot(*plotFormatFor(o.plot), scanChartSize(), "nnfpga scan", [&](Surface& s) { drawScan(chart, s); });
    }
    if (!o.output.empty()) {
        writeFileAtomically(o.output, csv);
        std::cout << "wrote " << o.output << "\n";
    }
    if (!o.plot.empty()) {
        writeFileAtomically(o.plot, plot);
        std::cout << "wrote " << o.plot << " (" << scanChartSize().width << "x" << scanChartSize().height << ")\n";
    }
    return 0;
}

}  // namespace

void addAnalysisCommands(CLI::App& app, CommonOptions& c) {
    auto* p = app.add_subcommand("profile", "per-layer value ranges against the configured types; suggest types");
    addCommon(p, c);
    p->add_option("--input", profileOpts.input, "calibration samples: CSV or .npy")->required();
    p->add_option("--output", profileOpts.output, "write the suggested types as an hls4ml YAML config (.yml)");
    p->add_option("--plot", profileOpts.plot, "draw the distributions against the type ranges (.svg or .png)");
    p->add_option("--bits", profileOpts.bits, "total width of the suggested types (default: as configured)")
        ->check(CLI::Range(1, kMaxWidth));
    p->add_option("--threads", profileOpts.threads, "worker threads (default: all)");

    auto* s = app.add_subcommand("scan", "accuracy and agreement with float at a range of total widths");
    addCommon(s, c);
    s->add_option("--input", scanOpts.input, "samples: CSV or .npy")->required();
    s->add_option("--labels", scanOpts.labels, "true class per sample: one index per row, or one-hot rows");
    s->add_option("--bits", scanOpts.bits, "widths: 4:18, 4:18:2 or 8,12,16 (default 4:18)");
    s->add_option("--integer", scanOpts.integer, "integer bits of every type (default: as configured)");
    s->add_option("--output", scanOpts.output, "write the table as CSV");
    s->add_option("--plot", scanOpts.plot, "draw accuracy against width (.svg or .png)");
    s->add_option("--threads", scanOpts.threads, "worker threads (default: all)");
}

int runProfile(const CommonOptions& c) {
    return profileCommand(c);
}
int runScan(const CommonOptions& c) {
    return scanCommand(c);
}

}  // namespace nnfpga
