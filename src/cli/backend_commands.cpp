// convert, csim and build: the commands that write and run HLS projects.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <regex>
#include <sstream>

#include "commands.h"
#include "nnfpga/backends/hls/hls_backend.h"
#include "nnfpga/emulator/emulator.h"
#include "nnfpga/support/array_io.h"
#include "nnfpga/support/diagnostics.h"

namespace fs = std::filesystem;

namespace nnfpga {

namespace {

struct ConvertOptions {
    std::string output, input, io, part, project, backend = "hls";
    double clockPeriod = 0;
};
ConvertOptions convertOpts;

struct CsimOptions {
    std::string dir, cxx = "g++", apTypes;
};
CsimOptions csimOpts;
std::string buildDir;

bool onPath(const std::string& exe) {
    const char* path = std::getenv("PATH");
    if (!path) return false;
    std::stringstream ss(path);
    std::string d;
    while (std::getline(ss, d, ':'))
        if (!d.empty() && fs::exists(fs::path(d) / exe)) return true;
    return false;
}

// 1000 samples uniformly spanning each input's type (fixed seed: generation is deterministic).
Matrix randomInputs(const Graph& g, int64_t rows) {
    Matrix m;
    m.rows = rows;
    for (size_t k = 0; k < g.inputs.size(); ++k) m.cols += g.inputSize(k);
    m.data.resize(rows * m.cols);
    std::mt19937_64 rng(20261127);
    for (int64_t r = 0; r < rows; ++r) {
        int64_t c = 0;
        for (size_t k = 0; k < g.inputs.size(); ++k) {
            const FixedType& t = g.tensor(g.inputs[k]).type;
            for (int64_t e = 0; e < g.inputSize(k); ++e, ++c) {
                const double u = static_cast<double>(rng() >> 11) * 0x1.0p-53;
                m.data[r * m.cols + c] = static_cast<float>(t.minValue() + u * (t.maxValue() - t.minValue()));
            }
        }
    }
    return m;
}

std::string findProject(const std::string& dir) {
    if (!fs::is_directory(dir)) fail(dir + ": no such project folder");
    for (const auto& e : fs::directory_iterator(dir)) {
        const std::string name = e.path().filename().string();
        const std::string suffix = "_test.cpp";
        if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
            return name.substr(0, name.size() - suffix.size());
    }
    fail(dir + ": not an nnfpga HLS project (no <project>_test.cpp)");
}

std::string shellQuote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

}  // namespace

void addBackendCommands(CLI::App& app, CommonOptions& c) {
    auto* cv = app.add_subcommand("convert", "write a Vitis/Vivado HLS project (C-simulated by `nnfpga csim`)");
    addCommon(cv, c, /*modelRequired=*/false);
    cv->add_option("--io", convertOpts.io, "parallel or stream")->check(CLI::IsMember({"parallel", "stream"}));
    cv->add_option("--part", convertOpts.part, "FPGA part");
    cv->add_option("--clock-period", convertOpts.clockPeriod, "clock period in ns")->check(CLI::PositiveNumber);
    cv->add_option("--project", convertOpts.project, "project (top function) name");
    cv->add_option("--input", convertOpts.input, "testbench samples (CSV or .npy); default: 1000 random samples");
    cv->add_option("-o,--output", convertOpts.output, "output folder")->required();

    auto* cs = app.add_subcommand("csim", "compile a generated project's testbench with g++ and run it");
    cs->add_option("dir", csimOpts.dir, "project folder")->required();
    cs->add_option("--cxx", csimOpts.cxx, "C++ compiler (default g++)");
    cs->add_option("--ap-types", csimOpts.apTypes, "folder with ap_fixed.h/ap_int.h to use instead of the project's");

    auto* b = app.add_subcommand("build", "synthesize a generated project with vitis_hls (when installed)");
    b->add_option("dir", buildDir, "project folder")->required();
}

int runConvert(const CommonOptions& c) {
    ProjectConfig cfg = loadConfig(c);
    if (!convertOpts.io.empty()) cfg.ioType = convertOpts.io == "stream" ? "io_stream" : "io_parallel";
    if (!convertOpts.part.empty()) cfg.part = convertOpts.part;
    if (convertOpts.clockPeriod > 0) cfg.clockPeriod = convertOpts.clockPeriod;
    if (!convertOpts.project.empty()) {
        if (!std::regex_match(convertOpts.project, std::regex("[A-Za-z_][A-Za-z0-9_]*")))
            usageError("--project: invalid value '" + convertOpts.project + "' (expected a C identifier)");
        cfg.projectName = convertOpts.project;
    }
    Graph g = loadGraph(c, cfg);
    HlsOptions opt = hlsOptionsFromConfig(cfg);
    opt.modelName = c.model.empty() ? cfg.configPath : fs::path(c.model).filename().string();
    legalizeForHls(g, opt);
    Matrix in = convertOpts.input.empty() ? randomInputs(g, 1000) : readMatrix(convertOpts.input);
    const auto inputs = splitInputs(g, in, convertOpts.input.empty() ? "the testbench samples" : convertOpts.input);
    EmulatorOptions eo;
    const Matrix out = joinOutputs(g, Emulator(g).run(inputs, in.rows, eo), in.rows);
    OutputTree tree = emitHlsProject(g, opt, in, out);
    tree.writeTo(convertOpts.output);
    std::cout << "wrote " << convertOpts.output << " (" << tree.files().size() << " files, project "
              << opt.projectName << ", " << (opt.io == IoType::Stream ? "io_stream" : "io_parallel") << ")\n";
    return 0;
}

int runCsim() {
    const std::string dir = csimOpts.dir;
    const std::string prj = findProject(dir);
    if (!onPath(csimOpts.cxx) && !fs::exists(csimOpts.cxx))
        fail(csimOpts.cxx + " is not on PATH: C simulation needs a C++ compiler");
    const std::string apTypes = csimOpts.apTypes.empty() ? "firmware/ap_types" : fs::absolute(csimOpts.apTypes).string();
    const std::string exe = "csim_" + prj;
    const std::string compile = "cd " + shellQuote(dir) + " && " + csimOpts.cxx +
                                " -std=c++17 -O1 -Wall -Wextra -Ifirmware -Ifirmware/nnfpga -isystem " + shellQuote(apTypes) + " " + prj +
                                "_test.cpp firmware/" + prj + ".cpp -o " + exe + " 2> csim_build.log";
    if (std::system(compile.c_str()) != 0) {
        std::ifstream log(fs::path(dir) / "csim_build.log");
        std::string first;
        for (std::string l; std::getline(log, l);)
            if (l.find("error") != std::string::npos) {
                first = l;
                break;
            }
        fail(dir + ": the testbench does not compile (" + (first.empty() ? "see csim_build.log" : first) + ")");
    }
    const int rc = std::system(("cd " + shellQuote(dir) + " && ./" + exe).c_str());
    return rc == 0 ? 0 : 1;
}

int runBuild() {
    const std::string prj = findProject(buildDir);
    if (!onPath("vitis_hls") && !onPath("vivado_hls"))
        fail("vitis_hls is not on PATH: install Vitis HLS to synthesize " + buildDir +
             " (C simulation needs no vendor tools: nnfpga csim " + buildDir + ")");
    const std::string tool = onPath("vitis_hls") ? "vitis_hls" : "vivado_hls";
    const int rc = std::system(("cd " + shellQuote(buildDir) + " && " + tool + " -f build_prj.tcl").c_str());
    const fs::path report = fs::path(buildDir) / (prj + "_prj") / "solution1" / "syn" / "report" / (prj + "_csynth.xml");
    if (fs::exists(report)) {
        std::ifstream f(report);
        std::stringstream ss;
        ss << f.rdbuf();
        const std::string xml = ss.str();
        auto tag = [&](const std::string& name) {
            std::smatch m;
            return std::regex_search(xml, m, std::regex("<" + name + ">([^<]*)</" + name + ">")) ? m[1].str() : "?";
        };
        std::cout << "latency (cycles): " << tag("Best-caseLatency") << "-" << tag("Worst-caseLatency")
                  << ", II: " << tag("Interval-min") << ", DSP: " << tag("DSP") << ", LUT: " << tag("LUT")
                  << ", FF: " << tag("FF") << ", BRAM_18K: " << tag("BRAM_18K") << "\n";
    }
    return rc == 0 ? 0 : 1;
}

}  // namespace nnfpga
