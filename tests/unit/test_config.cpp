// Unit tests for the hls4ml YAML config reader: every accepted key, the text of every error and warning,
// hls4ml's per-layer lookup order, model-path resolution, and the real configs in ../shared/models.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <unistd.h>
#include <vector>

#include "nnfpga/config/config.h"
#include "nnfpga/fixed/fixed_type.h"
#include "nnfpga/support/diagnostics.h"

namespace nnfpga {
namespace {

namespace fs = std::filesystem;

const std::string kDataDir = std::string(NNFPGA_SOURCE_DIR) + "/tests/unit/data/config/";

// Collects warnings for one test and restores the stderr sink afterwards.
class WarningCapture {
public:
    WarningCapture() {
        setWarningSink([this](const std::string& m) { messages.push_back(m); });
    }
    ~WarningCapture() {
        setWarningSink([](const std::string& m) { std::cerr << "warning: " << m << "\n"; });
    }
    std::vector<std::string> messages;
};

// A scratch folder per test process, so parallel ctest runs do not share files; removed at exit.
fs::path scratchDir() {
    struct Scratch {
        fs::path dir = fs::temp_directory_path() / ("nnfpga_test_config_" + std::to_string(::getpid()));
        ~Scratch() {
            std::error_code ec;
            fs::remove_all(dir, ec);
        }
    };
    static Scratch scratch;
    fs::create_directories(scratch.dir);
    return scratch.dir;
}

std::string writeFile(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
    return path.string();
}

std::string writeConfig(const std::string& yaml) { return writeFile(scratchDir() / "cfg.yml", yaml); }

void replaceAll(std::string& s, const std::string& from, const std::string& to) {
    for (size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size())
        s.replace(pos, from.size(), to);
}

// Loads `yaml` and returns the UserError text with the scratch path shortened to "cfg.yml".
std::string errorFor(const std::string& yaml) {
    std::string path = writeConfig(yaml);
    try {
        loadProjectConfig(path);
    } catch (const UserError& e) {
        EXPECT_EQ(e.exitCode(), 1);
        std::string msg = e.what();
        replaceAll(msg, path, "cfg.yml");
        return msg;
    }
    ADD_FAILURE() << "no error for:\n" << yaml;
    return "";
}

// Loads `yaml` and returns its warnings with the scratch path shortened to "cfg.yml".
std::vector<std::string> warningsFor(const std::string& yaml) {
    std::string path = writeConfig(yaml);
    WarningCapture capture;
    loadProjectConfig(path);
    for (std::string& m : capture.messages) replaceAll(m, path, "cfg.yml");
    return capture.messages;
}

std::string typeReason(const std::string& text) {
    std::string why;
    EXPECT_FALSE(parseFixedType(text, &why).has_value()) << text;
    EXPECT_FALSE(why.empty()) << text;
    return why;
}

// ---------------------------------------------------------------------------------------------- defaults

TEST(Config, Defaults) {
    ProjectConfig cfg;
    EXPECT_EQ(cfg.outputDir, "my-hls-test");
    EXPECT_EQ(cfg.projectName, "myproject");
    EXPECT_EQ(cfg.part, "xcvu13p-flga2577-2-e");
    EXPECT_EQ(cfg.clockPeriod, 5.0);
    EXPECT_FALSE(cfg.clockUncertainty);
    EXPECT_EQ(cfg.ioType, "io_parallel");
    EXPECT_EQ(cfg.backend, "Vivado");
    EXPECT_EQ(cfg.version, "1.0.0");
    EXPECT_FALSE(cfg.kerasJson || cfg.kerasH5 || cfg.kerasModel || cfg.onnxModel || cfg.inputData ||
                 cfg.outputPredictions);
    EXPECT_EQ(cfg.model.precision, (std::map<std::string, std::string>{{"default", "ap_fixed<16,6>"}}));
    EXPECT_EQ(cfg.model.reuseFactor, 1);
    EXPECT_EQ(cfg.model.strategy, "latency");
    EXPECT_EQ(cfg.precision("fc1", "Dense", "result"), "ap_fixed<16,6>");
    EXPECT_EQ(cfg.reuseFactor("fc1", "Dense"), 1);
    EXPECT_EQ(cfg.strategy("fc1", "Dense"), "latency");
    EXPECT_EQ(cfg.tableSize("fc1", "Dense"), std::nullopt);
    EXPECT_EQ(cfg.namedType("fc1", "Dense", "table_t"), std::nullopt);
    EXPECT_EQ(cfg.implementation("fc1", "Dense"), std::nullopt);
    EXPECT_FALSE(cfg.trace("fc1", "Dense"));
}

TEST(Config, MinimalFileKeepsDefaults) {
    WarningCapture capture;
    ProjectConfig cfg = loadProjectConfig(writeConfig("KerasJson: m.json\nHLSConfig:\n"));
    EXPECT_TRUE(capture.messages.empty());
    EXPECT_EQ(cfg.kerasJson, "m.json");
    EXPECT_EQ(cfg.projectName, "myproject");
    EXPECT_EQ(cfg.model.precision.at("default"), "ap_fixed<16,6>");
    EXPECT_EQ(cfg.model.reuseFactor, 1);
    EXPECT_EQ(cfg.model.strategy, "latency");
}

// ---------------------------------------------------------------------------------------------- every key

TEST(Config, AllKeys) {
    WarningCapture capture;
    std::string path = kDataDir + "all_keys.yml";
    ProjectConfig cfg = loadProjectConfig(path);
    EXPECT_TRUE(capture.messages.empty()) << capture.messages.front();

    EXPECT_EQ(cfg.configPath, path);
    EXPECT_EQ(cfg.kerasJson, "model.json");
    EXPECT_EQ(cfg.kerasH5, "model_weights.h5");
    EXPECT_EQ(cfg.kerasModel, "model.keras");  // hls4ml writes it with a !keras_model tag
    EXPECT_EQ(cfg.onnxModel, "model.onnx");
    EXPECT_EQ(cfg.outputDir, "out-dir");
    EXPECT_EQ(cfg.projectName, "my_project");
    EXPECT_EQ(cfg.part, "xcu250-figd2104-2L-e");
    EXPECT_DOUBLE_EQ(cfg.clockPeriod, 3.3);
    EXPECT_EQ(cfg.clockUncertainty, "12.5%");
    EXPECT_EQ(cfg.ioType, "io_stream");
    EXPECT_EQ(cfg.backend, "Vitis");
    EXPECT_EQ(cfg.version, "2.0.0");
    EXPECT_EQ(cfg.inputData, "tb_input.dat");
    EXPECT_EQ(cfg.outputPredictions, "tb_output.dat");

    EXPECT_EQ(cfg.model.precision,
              (std::map<std::string, std::string>{{"default", "ap_fixed<18,8>"}, {"maximum", "ap_fixed<24,12>"}}));
    EXPECT_EQ(cfg.model.reuseFactor, 4);
    EXPECT_EQ(cfg.model.strategy, "resource");
    EXPECT_TRUE(cfg.model.types.empty());

    ASSERT_EQ(cfg.layerType.size(), 2u);
    const ScopeSettings& dense = cfg.layerType.at("Dense");
    EXPECT_EQ(dense.precision, (std::map<std::string, std::string>{{"default", "fixed<12,4,RND,SAT>"}}));
    EXPECT_EQ(dense.reuseFactor, 2);
    EXPECT_EQ(dense.strategy, "latency");
    const ScopeSettings& softmaxType = cfg.layerType.at("Softmax");
    EXPECT_EQ(softmaxType.implementation, "legacy");
    EXPECT_EQ(softmaxType.tableSize, 2048);

    ASSERT_EQ(cfg.layerName.size(), 3u);
    const ScopeSettings& fc1 = cfg.layerName.at("fc1");
    EXPECT_EQ(fc1.precision.size(), 19u);
    EXPECT_EQ(fc1.precision.at("result"), "auto");
    EXPECT_EQ(fc1.precision.at("accum"), "ap_fixed<24,12>");
    EXPECT_EQ(fc1.precision.at("scale"), "ap_ufixed<8,0>");
    EXPECT_EQ(fc1.precision.at("param"), "ap_int<8>");
    EXPECT_EQ(fc1.precision.at("inv_inp"), "ap_fixed<8,3>");
    EXPECT_EQ(fc1.reuseFactor, 8);
    EXPECT_EQ(fc1.strategy, "resource");
    EXPECT_EQ(fc1.trace, true);
    EXPECT_FALSE(fc1.tableSize || fc1.implementation);

    const ScopeSettings& softmax = cfg.layerName.at("softmax");
    EXPECT_EQ(softmax.precision.at("default"), "ap_fixed<16, 6, AP_RND_CONV, AP_SAT>");
    EXPECT_EQ(softmax.implementation, "argmax");
    EXPECT_EQ(softmax.tableSize, 512);
    EXPECT_EQ(softmax.trace, false);
    EXPECT_EQ(softmax.types, (std::map<std::string, std::string>{{"table_t", "ap_fixed<18,8,TRN,WRAP,0>"},
                                                                 {"exp_table_t", "ap_ufixed<18,8>"},
                                                                 {"inv_table_t", "ap_fixed<18,4>"},
                                                                 {"inv_inp_t", "auto"},
                                                                 {"accum_t", "ap_fixed<20,10>"}}));
    const ScopeSettings& empty = cfg.layerName.at("empty_layer");
    EXPECT_TRUE(empty.precision.empty() && empty.types.empty());
    EXPECT_FALSE(empty.reuseFactor || empty.strategy || empty.tableSize || empty.implementation || empty.trace);
}

TEST(Config, XilinxPartIsPart) {
    EXPECT_EQ(loadProjectConfig(writeConfig("XilinxPart: xcku115-flvb2104-2-i\n")).part, "xcku115-flvb2104-2-i");
    EXPECT_EQ(loadProjectConfig(writeConfig("Part: a\nXilinxPart: a\n")).part, "a");
}

TEST(Config, SpellingsAccepted) {
    EXPECT_EQ(loadProjectConfig(writeConfig("Backend: VIVADOACCELERATOR\n")).backend, "VivadoAccelerator");
    EXPECT_EQ(loadProjectConfig(writeConfig("Backend: vivado\n")).backend, "Vivado");
    EXPECT_EQ(loadProjectConfig(writeConfig("ClockPeriod: 10\n")).clockPeriod, 10.0);
    EXPECT_EQ(loadProjectConfig(writeConfig("ClockUncertainty: 1.25\n")).clockUncertainty, "1.25");
    ProjectConfig cfg = loadProjectConfig(writeConfig("HLSConfig:\n"
                                                      "  LayerName:\n"
                                                      "    a: {Strategy: LATENCY, Implementation: STABLE, Trace: on}\n"
                                                      "    b: {Strategy: Resource, Implementation: Latency}\n"
                                                      "    c: {Precision: null, ReuseFactor: , TableSize: '64'}\n"));
    EXPECT_EQ(cfg.layerName.at("a").strategy, "latency");
    EXPECT_EQ(cfg.layerName.at("a").implementation, "stable");
    EXPECT_EQ(cfg.layerName.at("a").trace, true);
    EXPECT_EQ(cfg.layerName.at("b").strategy, "resource");
    EXPECT_EQ(cfg.layerName.at("b").implementation, "latency");
    // An empty value means "not set" (hls4ml reads it as None).
    EXPECT_TRUE(cfg.layerName.at("c").precision.empty());
    EXPECT_FALSE(cfg.layerName.at("c").reuseFactor);
    EXPECT_EQ(cfg.layerName.at("c").tableSize, 64);
}

// ---------------------------------------------------------------------------------------------- errors

TEST(ConfigErrors, FileProblems) {
    fs::path missing = scratchDir() / "missing.yml";
    try {
        loadProjectConfig(missing.string());
        FAIL();
    } catch (const UserError& e) {
        EXPECT_EQ(std::string(e.what()), missing.string() + ": no such file");
    }
    try {
        loadProjectConfig(scratchDir().string());
        FAIL();
    } catch (const UserError& e) {
        EXPECT_EQ(std::string(e.what()), scratchDir().string() + ": is a folder, expected a YAML file");
    }
    std::string notMapping = kDataDir + "not_mapping.yml";
    try {
        loadProjectConfig(notMapping);
        FAIL();
    } catch (const UserError& e) {
        EXPECT_EQ(std::string(e.what()), notMapping + ": expected a mapping at the top level");
    }
    std::string badSyntax = kDataDir + "bad_syntax.yml";
    try {
        loadProjectConfig(badSyntax);
        FAIL();
    } catch (const UserError& e) {
        EXPECT_EQ(std::string(e.what()),
                  badSyntax + ": invalid YAML: error at line 4, column 1: end of map flow not found");
    }
    EXPECT_EQ(errorFor(""), "cfg.yml: expected a mapping at the top level");
    EXPECT_EQ(errorFor("just a string\n"), "cfg.yml: expected a mapping at the top level");
    EXPECT_EQ(errorFor("a: b: c\n"), "cfg.yml: invalid YAML: error at line 1, column 5: illegal map value");
}

TEST(ConfigErrors, TopLevelValues) {
    EXPECT_EQ(errorFor("ClockPeriod: abc\n"), "cfg.yml: ClockPeriod: invalid value 'abc' (expected a positive number)");
    EXPECT_EQ(errorFor("ClockPeriod: 0\n"), "cfg.yml: ClockPeriod: invalid value '0' (expected a positive number)");
    EXPECT_EQ(errorFor("ClockPeriod: -5\n"), "cfg.yml: ClockPeriod: invalid value '-5' (expected a positive number)");
    EXPECT_EQ(errorFor("ClockPeriod: .inf\n"),
              "cfg.yml: ClockPeriod: invalid value '.inf' (expected a positive number)");
    EXPECT_EQ(errorFor("ClockPeriod: 5ns\n"), "cfg.yml: ClockPeriod: invalid value '5ns' (expected a positive number)");
    EXPECT_EQ(errorFor("IOType: io_serial\n"),
              "cfg.yml: IOType: invalid value 'io_serial' (expected io_parallel or io_stream)");
    EXPECT_EQ(errorFor("IOType: IO_STREAM\n"),
              "cfg.yml: IOType: invalid value 'IO_STREAM' (expected io_parallel or io_stream)");
    EXPECT_EQ(errorFor("Backend: Quartus\n"),
              "cfg.yml: Backend: invalid value 'Quartus' (expected Vivado, Vitis or VivadoAccelerator)");
    EXPECT_EQ(errorFor("ProjectName: my-project\n"),
              "cfg.yml: ProjectName: invalid value 'my-project' (expected a C identifier: letters, digits and '_', "
              "not starting with a digit)");
    EXPECT_EQ(errorFor("ProjectName: 1st\n"),
              "cfg.yml: ProjectName: invalid value '1st' (expected a C identifier: letters, digits and '_', "
              "not starting with a digit)");
    EXPECT_EQ(errorFor("KerasJson: {a: 1}\n"), "cfg.yml: KerasJson: expected a single value, got a mapping");
    EXPECT_EQ(errorFor("OutputDir: [a, b]\n"), "cfg.yml: OutputDir: expected a single value, got a list");
    EXPECT_EQ(errorFor("[a]: 1\n"), "cfg.yml: (top level): expected keys to be names, got a list");
}

TEST(ConfigErrors, Sections) {
    EXPECT_EQ(errorFor("HLSConfig: [Model]\n"), "cfg.yml: HLSConfig: expected a mapping, got a list");
    EXPECT_EQ(errorFor("HLSConfig: abc\n"), "cfg.yml: HLSConfig: expected a mapping, got a single value");
    EXPECT_EQ(errorFor("HLSConfig: {Model: 3}\n"), "cfg.yml: HLSConfig.Model: expected a mapping, got a single value");
    EXPECT_EQ(errorFor("HLSConfig: {LayerName: [fc1]}\n"),
              "cfg.yml: HLSConfig.LayerName: expected a mapping, got a list");
    EXPECT_EQ(errorFor("HLSConfig: {LayerType: {Dense: 4}}\n"),
              "cfg.yml: HLSConfig.LayerType.Dense: expected a mapping, got a single value");
    EXPECT_EQ(errorFor("HLSConfig: {LayerName: {{a: 1}: {}}}\n"),
              "cfg.yml: HLSConfig.LayerName: expected keys to be names, got a mapping");
}

TEST(ConfigErrors, ScopeValues) {
    EXPECT_EQ(errorFor("HLSConfig: {LayerName: {fc1: {ReuseFactor: abc}}}\n"),
              "cfg.yml: HLSConfig.LayerName.fc1.ReuseFactor: invalid value 'abc' (expected a positive integer)");
    EXPECT_EQ(errorFor("HLSConfig: {Model: {ReuseFactor: 0}}\n"),
              "cfg.yml: HLSConfig.Model.ReuseFactor: invalid value '0' (expected a positive integer)");
    EXPECT_EQ(errorFor("HLSConfig: {Model: {ReuseFactor: -2}}\n"),
              "cfg.yml: HLSConfig.Model.ReuseFactor: invalid value '-2' (expected a positive integer)");
    EXPECT_EQ(errorFor("HLSConfig: {Model: {ReuseFactor: 1.5}}\n"),
              "cfg.yml: HLSConfig.Model.ReuseFactor: invalid value '1.5' (expected a positive integer)");
    EXPECT_EQ(errorFor("HLSConfig: {Model: {ReuseFactor: 99999999999}}\n"),
              "cfg.yml: HLSConfig.Model.ReuseFactor: invalid value '99999999999' (expected a positive integer)");
    EXPECT_EQ(errorFor("HLSConfig: {LayerType: {Dense: {ReuseFactor: [1]}}}\n"),
              "cfg.yml: HLSConfig.LayerType.Dense.ReuseFactor: expected a single value, got a list");
    EXPECT_EQ(errorFor("HLSConfig: {LayerName: {sm: {TableSize: 0}}}\n"),
              "cfg.yml: HLSConfig.LayerName.sm.TableSize: invalid value '0' (expected a positive integer)");
    EXPECT_EQ(errorFor("HLSConfig: {LayerName: {sm: {table_size: big}}}\n"),
              "cfg.yml: HLSConfig.LayerName.sm.table_size: invalid value 'big' (expected a positive integer)");
    EXPECT_EQ(errorFor("HLSConfig: {Model: {Strategy: Fast}}\n"),
              "cfg.yml: HLSConfig.Model.Strategy: invalid value 'Fast' (expected Latency or Resource)");
    for (const char* s : {"Resource_Unrolled", "unrolled", "distributed_arithmetic", "DA"})
        EXPECT_EQ(errorFor(std::string("HLSConfig: {LayerType: {Dense: {Strategy: ") + s + "}}}\n"),
                  std::string("cfg.yml: HLSConfig.LayerType.Dense.Strategy: '") + s +
                      "' is not supported yet (expected Latency or Resource)");
    EXPECT_EQ(errorFor("HLSConfig: {LayerName: {sm: {Implementation: fast}}}\n"),
              "cfg.yml: HLSConfig.LayerName.sm.Implementation: invalid value 'fast' "
              "(expected stable, latency, legacy or argmax)");
    EXPECT_EQ(errorFor("HLSConfig: {LayerName: {fc1: {Trace: maybe}}}\n"),
              "cfg.yml: HLSConfig.LayerName.fc1.Trace: invalid value 'maybe' (expected true or false)");
    EXPECT_EQ(errorFor("HLSConfig: {Model: {Po2Product: shift}}\n"),
              "cfg.yml: HLSConfig.Model.Po2Product: invalid value 'shift' (expected exact or hls4ml)");
}

TEST(ConfigErrors, Types) {
    EXPECT_EQ(errorFor("HLSConfig: {Model: {Precision: 'ap_fixd<16,6>'}}\n"),
              "cfg.yml: HLSConfig.Model.Precision: invalid type 'ap_fixd<16,6>': " + typeReason("ap_fixd<16,6>"));
    EXPECT_EQ(errorFor("HLSConfig: {Model: {Precision: {accum: 'ap_fixed<16>'}}}\n"),
              "cfg.yml: HLSConfig.Model.Precision.accum: invalid type 'ap_fixed<16>': " + typeReason("ap_fixed<16>"));
    EXPECT_EQ(errorFor("HLSConfig: {LayerType: {Dense: {Precision: 'float'}}}\n"),
              "cfg.yml: HLSConfig.LayerType.Dense.Precision: invalid type 'float': " + typeReason("float"));
    EXPECT_EQ(errorFor("HLSConfig: {LayerName: {sm: {exp_table_t: 'ap_fixed<18,8,AP_FOO>'}}}\n"),
              "cfg.yml: HLSConfig.LayerName.sm.exp_table_t: invalid type 'ap_fixed<18,8,AP_FOO>': " +
                  typeReason("ap_fixed<18,8,AP_FOO>"));
    EXPECT_EQ(errorFor("HLSConfig: {LayerName: {fc1: {Precision: {result: Auto}}}}\n"),
              "cfg.yml: HLSConfig.LayerName.fc1.Precision.result: invalid type 'Auto': " + typeReason("Auto"));
    EXPECT_EQ(errorFor("HLSConfig: {Model: {Precision: auto}}\n"),
              "cfg.yml: HLSConfig.Model.Precision: 'auto' is allowed only for layers");
    EXPECT_EQ(errorFor("HLSConfig: {Model: {Precision: {default: 'ap_fixed<16,6>', result: auto}}}\n"),
              "cfg.yml: HLSConfig.Model.Precision.result: 'auto' is allowed only for layers");
    EXPECT_EQ(errorFor("HLSConfig: {Model: {Precision: ap_fixed<16,6>}}\n"),
              "cfg.yml: HLSConfig.Model.Precision: invalid type 'ap_fixed<16': " + typeReason("ap_fixed<16") +
                  " (inside {...} quote the type: YAML splits it at the comma)");
    EXPECT_EQ(errorFor("HLSConfig: {LayerName: {fc1: {Precision: ['ap_fixed<8,3>']}}}\n"),
              "cfg.yml: HLSConfig.LayerName.fc1.Precision: expected a type or a mapping of variables to types, "
              "got a list");
    EXPECT_EQ(errorFor("HLSConfig: {LayerName: {fc1: {Precision: {weight: [1]}}}}\n"),
              "cfg.yml: HLSConfig.LayerName.fc1.Precision.weight: expected a single value, got a list");
}

// ---------------------------------------------------------------------------------------------- warnings

TEST(ConfigWarnings, EveryWarning) {
    std::string path = kDataDir + "warnings.yml";
    WarningCapture capture;
    ProjectConfig cfg = loadProjectConfig(path);
    std::vector<std::string> expected = {
        "unknown key 'Foo' in " + path,
        "unknown key 'ClockPerod' in " + path + " (did you mean 'ClockPeriod'?)",
        "unknown key 'Modl' at HLSConfig in " + path + " (did you mean 'Model'?)",
        "unknown key 'ReuseFactr' at HLSConfig.Model in " + path + " (did you mean 'ReuseFactor'?)",
        "key 'Trace' at HLSConfig.Model in " + path +
            " has no effect: hls4ml reads it only under LayerType and LayerName",
        "key 'TableSize' at HLSConfig.Model in " + path +
            " has no effect: hls4ml reads it only under LayerType and LayerName",
        "key 'table_t' at HLSConfig.Model in " + path +
            " has no effect: hls4ml reads it only under LayerType and LayerName",
        "key 'Implementation' at HLSConfig.Model in " + path +
            " has no effect: hls4ml reads it only under LayerType and LayerName",
        "unknown precision variable 'reslt' at HLSConfig.LayerName.fc1.Precision in " + path +
            " (did you mean 'result'?)",
        "unknown precision variable 'custom_var' at HLSConfig.LayerName.fc1.Precision in " + path,
        "duplicate key 'ReuseFactor' at HLSConfig.LayerName.fc1 in " + path + "; the last value is used",
        "unknown key 'skip' at HLSConfig.LayerName.fc1 in " + path,
        "both Part 'xcvu9p-flga2577-2-e' and XilinxPart 'xcku115-flvb2104-2-i' are set in " + path + "; using Part",
    };
    EXPECT_EQ(capture.messages, expected);
    // Everything warned about is left out; the rest is read.
    EXPECT_EQ(cfg.part, "xcvu9p-flga2577-2-e");
    EXPECT_EQ(cfg.model.reuseFactor, 1);
    EXPECT_FALSE(cfg.model.trace || cfg.model.tableSize || cfg.model.implementation);
    EXPECT_TRUE(cfg.model.types.empty());
    EXPECT_EQ(cfg.layerName.at("fc1").reuseFactor, 3);
    EXPECT_EQ(cfg.layerName.at("fc1").precision.at("custom_var"), "ap_fixed<8,3>");
    EXPECT_FALSE(cfg.trace("fc1", "Dense"));
}

TEST(ConfigWarnings, TopLevelDuplicateAndQuietKeys) {
    EXPECT_EQ(warningsFor("OutputDir: a\nOutputDir: b\n"),
              std::vector<std::string>{"duplicate key 'OutputDir' in cfg.yml; the last value is used"});
    {
        WarningCapture capture;
        EXPECT_EQ(loadProjectConfig(writeConfig("OutputDir: a\nOutputDir: b\n")).outputDir, "b");
    }
    EXPECT_TRUE(warningsFor("Stamp: abc\nWriterConfig: {WriteTar: true}\nAcceleratorConfig: {}\n"
                            "HLSConfig: {Flows: [a], Optimizers: [b], SkipOptimizers: [c]}\n")
                    .empty());
    EXPECT_TRUE(warningsFor("HLSConfig:\n"
                            "  LayerName:\n"
                            "    c1: {BramFactor: 1, TraceOutput: 1, Compression: 1, ParallelizationFactor: 1,\n"
                            "         ConvImplementation: 1, PipelineStyle: 1, PipelineInterval: 1,\n"
                            "         TargetCycles: 1}\n")
                    .empty());
    EXPECT_EQ(warningsFor("HLSConfig: {LayerName: {c1: {BitExact: true}}}\n"),
              std::vector<std::string>{"key 'BitExact' at HLSConfig.LayerName.c1 in cfg.yml has no effect: it "
                                       "applies to the whole model (HLSConfig.Model)"});
    EXPECT_TRUE(loadProjectConfig(writeConfig("HLSConfig: {Model: {BitExact: true}}\n")).bitExact());
    EXPECT_FALSE(loadProjectConfig(writeConfig("HLSConfig: {Model: {BitExact: false}}\n")).bitExact());
    EXPECT_EQ(warningsFor("HLSConfig: {LayerType: {Dense: {Po2Product: hls4ml}}}\n"),
              std::vector<std::string>{"key 'Po2Product' at HLSConfig.LayerType.Dense in cfg.yml has no effect: it "
                                       "applies to the whole model (HLSConfig.Model)"});
    EXPECT_TRUE(loadProjectConfig(writeConfig("HLSConfig: {Model: {Po2Product: HLS4ML}}\n")).po2ProductHls4ml());
    EXPECT_FALSE(loadProjectConfig(writeConfig("HLSConfig: {Model: {Po2Product: exact}}\n")).po2ProductHls4ml());
    EXPECT_FALSE(loadProjectConfig(writeConfig("HLSConfig: {Model: {}}\n")).po2ProductHls4ml());
    EXPECT_EQ(warningsFor("HLSConfig: {Passes: []}\n"),
              std::vector<std::string>{"unknown key 'Passes' at HLSConfig in cfg.yml"});
    EXPECT_EQ(warningsFor("HLSConfig: {LayerType: {Dense: {Foo: 1}}}\n"),
              std::vector<std::string>{"unknown key 'Foo' at HLSConfig.LayerType.Dense in cfg.yml"});
}

// ---------------------------------------------------------------------------------------------- resolution

class Resolution : public ::testing::Test {
protected:
    ProjectConfig cfg = loadProjectConfig(kDataDir + "resolution.yml");
};

TEST_F(Resolution, PrecisionOrder) {
    // 1. LayerName[name].Precision[var]
    EXPECT_EQ(cfg.precision("fc1", "Dense", "bias"), "ap_fixed<8,2>");
    // 2. that layer's default beats everything from LayerType and Model, even a matching var there
    EXPECT_EQ(cfg.precision("fc1", "Dense", "weight"), "ap_fixed<20,8>");
    EXPECT_EQ(cfg.precision("fc1", "Dense", "accum"), "ap_fixed<20,8>");
    // 3. LayerType[cls].Precision[var]
    EXPECT_EQ(cfg.precision("fc3", "Dense", "weight"), "ap_fixed<10,2>");
    EXPECT_EQ(cfg.precision("relu1", "Activation", "result"), "ap_fixed<9,3>");
    // 4. the type's default beats Model's var
    EXPECT_EQ(cfg.precision("fc3", "Dense", "accum"), "ap_fixed<14,4>");
    // 5. Model.Precision[var]
    EXPECT_EQ(cfg.precision("relu1", "Activation", "accum"), "ap_fixed<30,15>");
    EXPECT_EQ(cfg.precision("x", "Conv2D", "accum"), "ap_fixed<30,15>");
    // 6. Model.Precision.default
    EXPECT_EQ(cfg.precision("relu1", "Activation", "weight"), "ap_fixed<16,6>");
    // A layer entry with only a var falls through to the type for other vars; hls4ml lower-cases names here.
    EXPECT_EQ(cfg.precision("fc2", "Dense", "bias"), "ap_fixed<7,2>");
    EXPECT_EQ(cfg.precision("fc2", "Dense", "weight"), "ap_fixed<10,2>");
    EXPECT_EQ(cfg.precision("FC1", "dense", "weight"), "ap_fixed<20,8>");
    EXPECT_EQ(cfg.precision("fc3", "DENSE", "weight"), "ap_fixed<10,2>");
}

TEST_F(Resolution, ReuseFactorAndStrategy) {
    EXPECT_EQ(cfg.reuseFactor("fc1", "Dense"), 8);
    EXPECT_EQ(cfg.reuseFactor("fc2", "Dense"), 16);  // "FC2" in the file
    EXPECT_EQ(cfg.reuseFactor("fc3", "Dense"), 4);
    EXPECT_EQ(cfg.reuseFactor("fc3", "dense"), 4);
    EXPECT_EQ(cfg.reuseFactor("relu1", "Activation"), 2);
    EXPECT_EQ(cfg.strategy("fc1", "Dense"), "resource");
    EXPECT_EQ(cfg.strategy("fc2", "Dense"), "latency");
    EXPECT_EQ(cfg.strategy("relu1", "Activation"), "resource");
}

TEST_F(Resolution, PerLayerKeys) {
    EXPECT_EQ(cfg.namedType("fc1", "Dense", "table_t"), "ap_fixed<24,8>");
    EXPECT_EQ(cfg.namedType("fc3", "Dense", "table_t"), "ap_fixed<12,4>");
    EXPECT_EQ(cfg.namedType("fc3", "Dense", "exp_table_t"), std::nullopt);
    EXPECT_EQ(cfg.namedType("relu1", "Activation", "table_t"), std::nullopt);
    EXPECT_EQ(cfg.tableSize("fc1", "Dense"), 256);
    EXPECT_EQ(cfg.tableSize("fc3", "Dense"), 512);
    EXPECT_EQ(cfg.tableSize("relu1", "Activation"), std::nullopt);
    EXPECT_EQ(cfg.implementation("fc1", "Dense"), "stable");
    EXPECT_EQ(cfg.implementation("fc3", "Dense"), "latency");
    EXPECT_EQ(cfg.implementation("relu1", "Activation"), std::nullopt);
    EXPECT_FALSE(cfg.trace("fc1", "Dense"));  // an explicit false beats the type's true
    EXPECT_TRUE(cfg.trace("fc3", "Dense"));
    EXPECT_FALSE(cfg.trace("relu1", "Activation"));
    // hls4ml's get_layer_config matches names exactly, so "FC2" does not apply to layer "fc2" here.
    EXPECT_EQ(cfg.tableSize("fc2", "Dense"), 512);
    EXPECT_EQ(cfg.tableSize("FC2", "Dense"), 128);
    EXPECT_EQ(cfg.tableSize("fc3", "dense"), std::nullopt);
}

TEST_F(Resolution, ModelValuesSetInCodeApplyEverywhere) {
    cfg.model.trace = true;
    cfg.model.tableSize = 4096;
    cfg.model.types["exp_table_t"] = "ap_fixed<18,8>";
    cfg.model.implementation = "legacy";
    EXPECT_TRUE(cfg.trace("relu1", "Activation"));
    EXPECT_FALSE(cfg.trace("fc1", "Dense"));
    EXPECT_EQ(cfg.tableSize("relu1", "Activation"), 4096);
    EXPECT_EQ(cfg.namedType("fc1", "Dense", "exp_table_t"), "ap_fixed<18,8>");
    EXPECT_EQ(cfg.implementation("relu1", "Activation"), "legacy");
    cfg.model.reuseFactor.reset();
    cfg.model.strategy.reset();
    cfg.model.precision.clear();
    EXPECT_EQ(cfg.reuseFactor("relu1", "Activation"), 1);
    EXPECT_EQ(cfg.strategy("relu1", "Activation"), "latency");
    EXPECT_EQ(cfg.precision("relu1", "Activation", "weight"), "ap_fixed<16,6>");
}

// ---------------------------------------------------------------------------------------------- paths

TEST(ConfigPath, Resolution) {
    fs::path root = scratchDir() / "paths";
    std::string cfgPath = writeFile(root / "config" / "cfg.yml", "KerasJson: keras/m.json\n");
    writeFile(root / "keras" / "m.json", "{}");
    writeFile(root / "config" / "beside.json", "{}");
    writeFile(root / "config" / "keras" / "both.json", "{}");
    writeFile(root / "keras" / "both.json", "{}");
    ProjectConfig cfg = loadProjectConfig(cfgPath);

    // As given: absolute, or relative to the working folder.
    std::string absolute = (root / "keras" / "m.json").string();
    EXPECT_EQ(resolveConfigPath(cfg, absolute), absolute);
    std::string fromCwd = fs::relative(root / "keras" / "m.json", fs::current_path()).string();
    EXPECT_EQ(resolveConfigPath(cfg, fromCwd), fromCwd);
    // Beside the config, then in the folder above it (hls4ml's config/ + keras/ layout).
    EXPECT_EQ(resolveConfigPath(cfg, "beside.json"), (root / "config" / "beside.json").string());
    EXPECT_EQ(resolveConfigPath(cfg, *cfg.kerasJson), (root / "keras" / "m.json").string());
    EXPECT_EQ(resolveConfigPath(cfg, "keras/both.json"), (root / "config" / "keras" / "both.json").string());
    // Nowhere: the config-relative path, so that the reader's "no such file" names where we looked.
    EXPECT_EQ(resolveConfigPath(cfg, "nowhere.json"), (root / "config" / "nowhere.json").string());
    EXPECT_EQ(resolveConfigPath(cfg, "/no/such/file.json"), "/no/such/file.json");
    EXPECT_EQ(resolveConfigPath(cfg, ""), "");
    // Without a config file, paths stay as given.
    EXPECT_EQ(resolveConfigPath(ProjectConfig{}, "nowhere.json"), "nowhere.json");
}

TEST(ConfigPath, RelativeConfigPath) {
    // A config given as a bare file name: its folder is ".", the folder above is "..".
    ProjectConfig cfg;
    cfg.configPath = "cfg.yml";
    EXPECT_EQ(resolveConfigPath(cfg, "nowhere.json"), "nowhere.json");
    cfg.configPath = "a/b/cfg.yml";
    EXPECT_EQ(resolveConfigPath(cfg, "nowhere.json"), "a/b/nowhere.json");
}

// ---------------------------------------------------------------------------------------------- shared models

fs::path sharedConfigs() { return fs::path(NNFPGA_SOURCE_DIR) / ".." / "shared" / "models" / "config"; }

TEST(SharedConfigs, KerasConfig) {
    fs::path path = sharedConfigs() / "keras-config.yml";
    if (!fs::exists(path)) GTEST_SKIP() << path << " not present";
    WarningCapture capture;
    ProjectConfig cfg = loadProjectConfig(path.string());
    EXPECT_TRUE(capture.messages.empty());
    EXPECT_EQ(cfg.part, "xcku115-flvb2104-2-i");  // written as XilinxPart
    EXPECT_EQ(cfg.kerasJson, "keras/KERAS_3layer.json");
    EXPECT_EQ(cfg.kerasH5, "keras/KERAS_3layer_weights.h5");
    EXPECT_FALSE(cfg.inputData);  // commented out in the file
    EXPECT_EQ(cfg.outputDir, "my-hls-test");
    EXPECT_EQ(cfg.clockPeriod, 5.0);
    EXPECT_EQ(cfg.ioType, "io_parallel");
    EXPECT_EQ(cfg.backend, "Vivado");
    EXPECT_EQ(cfg.precision("fc1", "Dense", "weight"), "ap_fixed<16,6>");
    EXPECT_EQ(cfg.reuseFactor("fc1", "Dense"), 1);
    std::string json = resolveConfigPath(cfg, *cfg.kerasJson);
    EXPECT_TRUE(fs::exists(json)) << json;
    EXPECT_TRUE(fs::exists(resolveConfigPath(cfg, *cfg.kerasH5)));
}

TEST(SharedConfigs, QKerasConfig) {
    fs::path path = sharedConfigs() / "qkeras_3layer_config.yml";
    if (!fs::exists(path)) GTEST_SKIP() << path << " not present";
    WarningCapture capture;
    ProjectConfig cfg = loadProjectConfig(path.string());
    EXPECT_TRUE(capture.messages.empty());
    EXPECT_EQ(cfg.part, "xcvu9p-flga2577-2-e");
    EXPECT_EQ(cfg.precision("fc1", "QDense", "weight"), "ap_fixed<6,1>");
    EXPECT_EQ(cfg.precision("fc1", "QDense", "result"), "ap_fixed<16,6>");
    EXPECT_EQ(cfg.precision("relu1", "Activation", "result"), "ap_fixed<7,1,AP_RND_CONV,AP_SAT>");
    EXPECT_TRUE(cfg.trace("relu2", "Activation"));
    EXPECT_EQ(cfg.namedType("softmax", "Softmax", "exp_table_t"), "ap_fixed<18,8>");
    EXPECT_EQ(cfg.namedType("softmax", "Softmax", "inv_table_t"), "ap_fixed<18,4>");
    EXPECT_EQ(cfg.tableSize("softmax", "Softmax"), 1024);
    EXPECT_TRUE(fs::exists(resolveConfigPath(cfg, *cfg.kerasJson)));
}

TEST(SharedConfigs, GarnetAndOnnxConfigs) {
    fs::path garnet = sharedConfigs() / "garnet_1layer_config.yml";
    fs::path onnx = sharedConfigs() / "onnx-config.yml";
    if (!fs::exists(garnet) || !fs::exists(onnx)) GTEST_SKIP() << "shared configs not present";
    WarningCapture capture;
    ProjectConfig g = loadProjectConfig(garnet.string());
    EXPECT_EQ(g.strategy("regression_linear", "Dense"), "latency");
    EXPECT_EQ(g.strategy("gar_1", "GarNet"), "resource");
    EXPECT_EQ(g.reuseFactor("gar_1", "GarNet"), 16);
    EXPECT_EQ(g.precision("gar_1", "GarNet", "weight"), "ap_fixed<16, 6, AP_RND, AP_SAT>");
    EXPECT_EQ(g.precision("input_2", "InputLayer", "result"), "ap_uint<8>");
    EXPECT_EQ(g.precision("dense", "Dense", "accum"), "ap_fixed<18, 8>");
    ProjectConfig o = loadProjectConfig(onnx.string());
    EXPECT_EQ(o.onnxModel, "onnx/three_layer_keras.onnx");
    EXPECT_TRUE(fs::exists(resolveConfigPath(o, *o.onnxModel)));
    EXPECT_TRUE(capture.messages.empty());
}

}  // namespace
}  // namespace nnfpga
