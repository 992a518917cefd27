// Tests for the Keras file readers: every container and serialization (Keras 2 JSON + H5, full H5 from
// Keras 2 and 3, .keras from Keras 2.15 and 3), the H5 wrapper, and the exact text of every file error,
// including truncated and byte-flipped copies that must fail cleanly instead of crashing.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "nnfpga/frontends/keras/h5_file.h"
#include "nnfpga/frontends/keras/keras_file.h"
#include "nnfpga/frontends/keras/keras_weights.h"
#include "nnfpga/support/diagnostics.h"

namespace nnfpga {
namespace {

namespace fs = std::filesystem;

const std::string kData = NNFPGA_SOURCE_DIR "/tests/unit/data/keras/";
const std::string kErrors = NNFPGA_SOURCE_DIR "/tests/errors/files/";
const std::string kShared = NNFPGA_SOURCE_DIR "/../shared/models/keras/";

#define SKIP_WITHOUT_SHARED_MODELS() \
    if (!fs::exists(kShared)) GTEST_SKIP() << "no shared models at " << kShared

std::string errorOf(const std::string& path, const std::optional<std::string>& weights = std::nullopt) {
    try {
        readKerasModel(path, weights);
    } catch (const UserError& e) {
        return e.what();
    }
    return "(no error)";
}

bool startsWith(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

// A scratch directory for damaged copies, removed after each test.
class KerasFileTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("nnfpga_keras_test_" + std::to_string(getpid()));
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    std::string write(const std::string& name, const std::string& bytes) {
        std::string path = (dir_ / name).string();
        std::ofstream(path, std::ios::binary) << bytes;
        return path;
    }
    static std::string slurp(const std::string& path) {
        std::ifstream in(path, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), {});
    }

    fs::path dir_;
};

const KerasLayer& layer(const KerasModelDesc& m, const std::string& name) {
    for (const auto& l : m.layers)
        if (l.name == name) return l;
    throw std::runtime_error("no layer " + name);
}

std::vector<std::string> layerNames(const KerasModelDesc& m) {
    std::vector<std::string> names;
    for (const auto& l : m.layers) names.push_back(l.name);
    return names;
}

std::vector<std::string> weightNames(const KerasLayer& l) {
    std::vector<std::string> names;
    for (const auto& w : l.weights) names.push_back(w.name);
    return names;
}

std::string refs(const std::vector<KerasRef>& list) {
    std::string s;
    for (const auto& r : list) s += (s.empty() ? "" : " ") + r.layer + ":" + std::to_string(r.node) + ":" + std::to_string(r.tensor);
    return s;
}

// tools/make_reader_test_files.py sets element i of a layer's j-th variable to (base + 10 j + i) / 4.
void expectRamp(const KerasWeight& w, std::vector<int64_t> shape, int base) {
    EXPECT_EQ(w.shape, shape) << w.name;
    for (size_t i = 0; i < w.data.size(); ++i) ASSERT_EQ(w.data[i], (base + double(i)) / 4) << w.name << "[" << i << "]";
}

// ---- the fixture models --------------------------------------------------------------------------------

void checkSequential(const KerasModelDesc& m, int version, const std::string& inputName,
                     const std::vector<std::string>& names) {
    EXPECT_EQ(m.kerasVersion, version);
    EXPECT_EQ(layerNames(m), (std::vector<std::string>{inputName, "fc1", "bn", "drop", "out"}));
    EXPECT_EQ(m.layers[0].className, "InputLayer");
    EXPECT_TRUE(m.layers[0].inbound.empty());
    EXPECT_EQ(refs(layer(m, "bn").inbound), "fc1:0:0");
    EXPECT_EQ(refs(layer(m, "out").inbound), "drop:0:0");
    EXPECT_EQ(refs(m.inputs), inputName + ":0:0");
    EXPECT_EQ(refs(m.outputs), "out:0:0");
    ASSERT_EQ(m.inputShapes.size(), 1u);
    EXPECT_EQ(m.inputShapes[0].first, inputName);
    EXPECT_EQ(m.inputShapes[0].second, (std::vector<int64_t>{4}));
    EXPECT_EQ(layer(m, "fc1").className, "Dense");
    EXPECT_EQ(layer(m, "fc1").config.at("units"), 3);
    const auto& fc1 = layer(m, "fc1");
    ASSERT_EQ(fc1.weights.size(), 2u);
    EXPECT_EQ(fc1.weights[0].name, names[0]);
    EXPECT_EQ(fc1.weights[1].name, names[1]);
    expectRamp(fc1.weights[0], {4, 3}, 0);
    expectRamp(fc1.weights[1], {3}, 10);
    const auto& bn = layer(m, "bn");
    ASSERT_EQ(bn.weights.size(), 4u);
    for (int j = 0; j < 4; ++j) expectRamp(bn.weights[size_t(j)], {3}, 100 + 10 * j);
    EXPECT_TRUE(layer(m, "drop").weights.empty());
    expectRamp(layer(m, "out").weights.at(0), {3, 2}, 200);
}

void checkFunctional(const KerasModelDesc& m, int version, bool kerasNumbering) {
    EXPECT_EQ(m.kerasVersion, version);
    bool lambda = version == 2;  // the Keras 2 fixture multiplies by 2 with a TFOpLambda
    std::vector<std::string> names{"in_b", "in_a", "gap", "shared", "add", "cat"};
    if (lambda) names.push_back("tf.math.multiply");
    names.push_back("head");
    EXPECT_EQ(layerNames(m), names);
    EXPECT_EQ(refs(layer(m, "shared").inbound), "in_a:0:0");  // first of its two calls
    EXPECT_EQ(refs(layer(m, "add").inbound), "shared:0:0 shared:1:0");
    EXPECT_EQ(refs(layer(m, "cat").inbound), "add:0:0 shared:0:0");
    EXPECT_EQ(refs(layer(m, "head").inbound), lambda ? "tf.math.multiply:0:0" : "cat:0:0");
    if (lambda) {
        EXPECT_EQ(refs(layer(m, "tf.math.multiply").inbound), "cat:0:0");
    }
    EXPECT_EQ(refs(m.inputs), "in_a:0:0 in_b:0:0");
    EXPECT_EQ(refs(m.outputs), "head:0:0 add:0:0");
    ASSERT_EQ(m.inputShapes.size(), 2u);
    EXPECT_EQ(m.inputShapes[0].first, "in_a");
    EXPECT_EQ(m.inputShapes[0].second, (std::vector<int64_t>{4}));
    EXPECT_EQ(m.inputShapes[1].first, "in_b");
    EXPECT_EQ(m.inputShapes[1].second, (std::vector<int64_t>{-1, 4}));
    const auto& shared = layer(m, "shared");
    EXPECT_EQ(weightNames(shared), kerasNumbering ? (std::vector<std::string>{"0", "1"})
                                                  : (std::vector<std::string>{"kernel", "bias"}));
    expectRamp(shared.weights.at(0), {4, 4}, 300);
    expectRamp(shared.weights.at(1), {4}, 310);
    expectRamp(layer(m, "head").weights.at(0), {8, 1}, 400);
    for (const char* empty : {"in_a", "in_b", "gap", "add", "cat"}) EXPECT_TRUE(layer(m, empty).weights.empty());
}

TEST_F(KerasFileTest, Keras2JsonAndWeights) {
    auto m = readKerasModel(kData + "k2_functional.json", kData + "k2_functional_weights.h5");
    EXPECT_EQ(m.path, kData + "k2_functional.json");
    checkFunctional(m, 2, false);
}

TEST_F(KerasFileTest, Keras2FullH5) {
    checkSequential(readKerasModel(kData + "k2_sequential.h5", std::nullopt), 2, "input_1", {"kernel", "bias"});
    checkFunctional(readKerasModel(kData + "k2_functional.h5", std::nullopt), 2, false);
    auto bn = layer(readKerasModel(kData + "k2_sequential.h5", std::nullopt), "bn");
    EXPECT_EQ(weightNames(bn), (std::vector<std::string>{"gamma", "beta", "moving_mean", "moving_variance"}));
}

TEST_F(KerasFileTest, Keras2ArchiveMatchesGroupsByClassName) {
    // Keras 2.15 .keras files keep the Keras 2 config format and do not record layer names on the groups.
    checkSequential(readKerasModel(kData + "k2_sequential.keras", std::nullopt), 2, "input_1", {"0", "1"});
    checkFunctional(readKerasModel(kData + "k2_functional.keras", std::nullopt), 2, true);
}

TEST_F(KerasFileTest, Keras3Archive) {
    checkSequential(readKerasModel(kData + "k3_sequential.keras", std::nullopt), 3, "input_layer", {"0", "1"});
    checkFunctional(readKerasModel(kData + "k3_functional.keras", std::nullopt), 3, true);
}

TEST_F(KerasFileTest, Keras3LegacyH5) {
    auto seq = readKerasModel(kData + "k3_sequential.h5", std::nullopt);
    checkSequential(seq, 3, "input_layer", {"kernel", "bias"});
    EXPECT_TRUE(seq.layers[0].config.contains("batch_shape"));
    checkFunctional(readKerasModel(kData + "k3_functional.h5", std::nullopt), 3, false);
}

TEST_F(KerasFileTest, Keras3JsonAndWeights) {
    checkFunctional(readKerasModel(kData + "k3_functional.json", kData + "k3_functional.weights.h5"), 3, true);
}

TEST_F(KerasFileTest, WeightsPathOverridesEmbeddedWeights) {
    checkFunctional(readKerasModel(kData + "k2_functional.h5", kData + "k2_functional_weights.h5"), 2, false);
    checkFunctional(readKerasModel(kData + "k3_functional.keras", kData + "k3_functional.weights.h5"), 3, true);
    // A .keras whose weights member is missing is fine when the weights come from elsewhere.
    auto m = readKerasModel(kErrors + "no_weights.keras", kData + "k3_sequential.h5");
    EXPECT_EQ(weightNames(layer(m, "fc1")), (std::vector<std::string>{"kernel", "bias"}));
}

TEST_F(KerasFileTest, UnknownExtensionIsSniffed) {
    std::string copy = (dir_ / "model.bin").string();
    fs::copy_file(kData + "k3_sequential.keras", copy);
    checkSequential(readKerasModel(copy, std::nullopt), 3, "input_layer", {"0", "1"});
}

// ---- the shared hls4ml-style fixtures ------------------------------------------------------------------

TEST_F(KerasFileTest, SharedFunctionalJson) {
    SKIP_WITHOUT_SHARED_MODELS();
    auto m = readKerasModel(kShared + "KERAS_3layer.json", kShared + "KERAS_3layer_weights.h5");
    EXPECT_EQ(m.kerasVersion, 2);
    EXPECT_EQ(layerNames(m),
              (std::vector<std::string>{"input_1", "fc1_relu", "fc2_relu", "fc3_relu", "output_softmax"}));
    const auto& fc1 = layer(m, "fc1_relu");
    ASSERT_EQ(weightNames(fc1), (std::vector<std::string>{"kernel", "bias"}));
    EXPECT_EQ(fc1.weights[0].shape, (std::vector<int64_t>{16, 64}));
    EXPECT_EQ(fc1.weights[0].data[0], double(0.2731347382068634f));
    EXPECT_EQ(fc1.weights[0].data[16 * 64 - 1], double(-0.3651207387447357f));
    double sum = 0;
    for (double v : fc1.weights[0].data) sum += v;
    EXPECT_NEAR(sum, -17.441249780531507, 1e-9);
    EXPECT_EQ(m.inputShapes.at(0).second, (std::vector<int64_t>{16}));
}

TEST_F(KerasFileTest, SharedOldSequentialGetsAnInputLayer) {
    SKIP_WITHOUT_SHARED_MODELS();
    // Keras 2.0 Sequential: the config is a bare list and the shape sits on the first layer.
    auto m = readKerasModel(kShared + "KERAS_conv2d_model.json", kShared + "KERAS_conv2d_model_weights.h5");
    EXPECT_EQ(layerNames(m), (std::vector<std::string>{"conv2d_1_input", "conv2d_1", "dropout_1", "flatten_1", "dense_1"}));
    EXPECT_EQ(m.layers[0].className, "InputLayer");
    EXPECT_EQ(m.layers[0].config.at("batch_input_shape"), nlohmann::json::parse("[null, 8, 8, 1]"));
    EXPECT_EQ(refs(layer(m, "conv2d_1").inbound), "conv2d_1_input:0:0");
    EXPECT_EQ(refs(m.inputs), "conv2d_1_input:0:0");
    EXPECT_EQ(m.inputShapes.at(0).second, (std::vector<int64_t>{8, 8, 1}));
    EXPECT_EQ(layer(m, "conv2d_1").weights.at(0).shape, (std::vector<int64_t>{3, 3, 1, 2}));
    EXPECT_EQ(layer(m, "conv2d_1").weights.at(0).data[1], double(0.48134955763816833f));
}

TEST_F(KerasFileTest, SharedMultiInputAndQKeras) {
    SKIP_WITHOUT_SHARED_MODELS();
    auto garnet = readKerasModel(kShared + "garnet_1layer.json", kShared + "garnet_1layer_weights.h5");
    EXPECT_EQ(refs(layer(garnet, "gar_1").inbound), "input_1:0:0 input_2:0:0");
    EXPECT_EQ(weightNames(layer(garnet, "gar_1")),
              (std::vector<std::string>{"FLR_kernel", "FLR_bias", "S_kernel", "S_bias", "Fout_kernel", "Fout_bias"}));
    EXPECT_EQ(garnet.inputShapes.at(1).second, (std::vector<int64_t>{1}));
    auto q = readKerasModel(kShared + "qkeras_3layer.json", kShared + "qkeras_3layer_weights.h5");
    EXPECT_EQ(layer(q, "fc1").className, "QDense");
    EXPECT_EQ(layer(q, "fc1").weights.at(0).shape, (std::vector<int64_t>{16, 64}));
}

TEST_F(KerasFileTest, SharedHgqFullModel) {
    SKIP_WITHOUT_SHARED_MODELS();
    // Written by Keras 2.13: variable-length string attributes and int8 quantizer state.
    auto m = readKerasModel(kShared + "hgq_jet_classifier.h5", std::nullopt);
    EXPECT_EQ(m.kerasVersion, 2);
    EXPECT_EQ(m.layers.size(), 16u);
    EXPECT_EQ(layer(m, "inp_q_quantizer").className, "FixedPointQuantizer");
    const auto& q = layer(m, "inp_q_quantizer");
    ASSERT_EQ(weightNames(q), (std::vector<std::string>{"keep_negative", "bits", "integers"}));
    EXPECT_EQ(q.weights[1].shape, (std::vector<int64_t>{1, 16}));
    EXPECT_EQ(std::vector<double>(q.weights[1].data.begin(), q.weights[1].data.begin() + 4),
              (std::vector<double>{6, 6, 10, 10}));
    const auto& dense = layer(m, "dense_1");
    double sum = 0;
    for (double v : dense.weights.at(0).data) sum += v;
    EXPECT_EQ(sum, -28.3125);
    EXPECT_EQ(layer(m, "dense_4").weights.at(1).data,
              (std::vector<double>{-1.109375, 1.234375, 0.484375, 0.3046875, -0.578125}));
    EXPECT_EQ(refs(m.outputs), "dense_4_quantizer:0:0");
}

// ---- pieces ----------------------------------------------------------------------------------------------

TEST(KerasSnakeCase, MatchesKerasNaming) {
    EXPECT_EQ(kerasSnakeCase("Dense"), "dense");
    EXPECT_EQ(kerasSnakeCase("GlobalAveragePooling1D"), "global_average_pooling1d");
    EXPECT_EQ(kerasSnakeCase("TFOpLambda"), "tf_op_lambda");
    EXPECT_EQ(kerasSnakeCase("QDense"), "q_dense");
    EXPECT_EQ(kerasSnakeCase("Conv2D"), "conv2d");
    EXPECT_EQ(kerasSnakeCase("ReLU"), "re_lu");
    EXPECT_EQ(kerasSnakeCase("PReLU"), "p_re_lu");
    EXPECT_EQ(kerasSnakeCase("LSTM"), "lstm");
    EXPECT_EQ(kerasSnakeCase("HGQ2Dense"), "hgq2_dense");
    EXPECT_EQ(kerasSnakeCase("Conv1DTranspose"), "conv1d_transpose");
}

TEST(H5File, ReadsAttributesGroupsAndDatasets) {
    // Fixed-length string arrays (save_weights) …
    H5File weights = H5File::open(kData + "k2_functional_weights.h5");
    H5Group root = weights.root();
    auto names = root.stringListAttribute("layer_names");
    ASSERT_TRUE(names);
    EXPECT_EQ(names->front(), "in_b");
    EXPECT_FALSE(root.stringListAttribute("no_such_attribute"));
    EXPECT_EQ(root.stringAttribute("keras_version"), "2.15.0");
    EXPECT_TRUE(root.hasGroup("shared/shared"));
    EXPECT_FALSE(root.hasGroup("shared/nothing/deeper"));
    EXPECT_TRUE(root.hasDataset("shared/shared/kernel:0"));
    EXPECT_FALSE(root.hasDataset("shared/shared"));
    H5Group gap = root.group("gap");
    EXPECT_EQ(gap.path(), "/gap");
    EXPECT_EQ(gap.stringListAttribute("weight_names"), std::vector<std::string>{});  // stored as empty float64
    H5Array kernel = root.group("shared").readDataset("shared/kernel:0");
    EXPECT_EQ(kernel.shape, (std::vector<int64_t>{4, 4}));
    EXPECT_EQ(kernel.data.at(5), (300 + 5) / 4.0);
    EXPECT_EQ(root.group("shared").members(), std::vector<std::string>{"shared"});
    // … and variable-length ones (model.save).
    H5File full = H5File::open(kData + "k2_functional.h5");
    auto config = full.root().stringAttribute("model_config");
    ASSERT_TRUE(config);
    EXPECT_TRUE(startsWith(*config, "{\"class_name\": \"Functional\""));
    EXPECT_EQ(full.root().group("model_weights").stringListAttribute("layer_names")->size(), 8u);
}

// ---- errors: the exact text of each -------------------------------------------------------------------

TEST_F(KerasFileTest, ErrorsForMissingAndEmptyFiles) {
    for (const char* ext : {".h5", ".json", ".keras"}) {
        std::string path = (dir_ / (std::string("missing") + ext)).string();
        EXPECT_EQ(errorOf(path, kData + "k2_functional_weights.h5"), path + ": no such file");
    }
    EXPECT_EQ(errorOf(dir_.string() + "/nothing.bin"), dir_.string() + "/nothing.bin: no such file");
    EXPECT_EQ(errorOf(kErrors + "empty.h5"), kErrors + "empty.h5: empty file");
    EXPECT_EQ(errorOf(kErrors + "empty.keras"), kErrors + "empty.keras: empty file");
    std::string emptyJson = write("empty.json", "");
    EXPECT_EQ(errorOf(emptyJson, kData + "k2_functional_weights.h5"), emptyJson + ": empty file");
    std::string folder = (dir_ / "folder.h5").string();
    fs::create_directory(folder);
    EXPECT_EQ(errorOf(folder), folder + ": is a directory, not a model file");
    std::string missingWeights = (dir_ / "w.h5").string();
    EXPECT_EQ(errorOf(kData + "k2_functional.json", missingWeights), missingWeights + ": no such file");
}

TEST_F(KerasFileTest, ErrorsForDamagedHdf5) {
    EXPECT_EQ(errorOf(kErrors + "not_hdf5.h5"), kErrors + "not_hdf5.h5: not an HDF5 file or corrupt");
    EXPECT_EQ(errorOf(kErrors + "truncated.h5"),
              kErrors + "truncated.h5: truncated or corrupt HDF5 file (only 4096 of its 20632 bytes are present)");
    EXPECT_EQ(errorOf(kErrors + "truncated_superblock.h5"),
              kErrors + "truncated_superblock.h5: truncated or corrupt HDF5 file (cannot read its superblock)");
    // HDF5 1.10 reads past its buffer on this one; the probe turns that into an error (a more careful HDF5
    // may instead refuse it itself, with another "corrupt HDF5 file" message).
    std::string crash = errorOf(kErrors + "heap_crash.h5");
    EXPECT_TRUE(startsWith(crash, kErrors + "heap_crash.h5: ")) << crash;
    EXPECT_NE(crash.find("corrupt HDF5 file"), std::string::npos) << crash;
    EXPECT_EQ(errorOf(kData + "k2_functional.json", kErrors + "truncated.h5"),
              kErrors + "truncated.h5: truncated or corrupt HDF5 file (only 4096 of its 20632 bytes are present)");
}

TEST_F(KerasFileTest, ErrorsForDamagedArchives) {
    EXPECT_EQ(errorOf(kErrors + "not_zip.keras"), kErrors + "not_zip.keras: not a .keras archive (not a zip file)");
    EXPECT_EQ(errorOf(kErrors + "truncated.keras"),
              kErrors + "truncated.keras: truncated or corrupt .keras archive (the zip directory at its end is missing)");
    EXPECT_EQ(errorOf(kErrors + "no_config.keras"), kErrors + "no_config.keras: not a .keras archive (no config.json)");
    EXPECT_EQ(errorOf(kErrors + "no_weights.keras"), kErrors + "no_weights.keras: .keras archive has no model.weights.h5");
    EXPECT_EQ(errorOf(kErrors + "crc_mismatch.keras"),
              kErrors + "crc_mismatch.keras: corrupt .keras archive (cannot read config.json: CRC mismatch)");
    EXPECT_EQ(errorOf(kErrors + "truncated_weights.keras"),
              kErrors + "truncated_weights.keras/model.weights.h5: truncated or corrupt HDF5 file (only 3000 of its "
                        "17684 bytes are present)");
    EXPECT_EQ(errorOf(kErrors + "bad_json.keras"),
              kErrors + "bad_json.keras: invalid JSON in config.json: parse error at line 1, column 3: syntax error "
                        "while parsing object key - invalid literal; last read: '{no'; expected string literal");
}

TEST_F(KerasFileTest, ErrorsForConfigs) {
    const std::string w = kData + "k2_functional_weights.h5";
    EXPECT_EQ(errorOf(kData + "k2_functional.json"),
              kData + "k2_functional.json: a JSON architecture needs a weights file (--weights)");
    EXPECT_EQ(errorOf(kErrors + "bad.json", w),
              kErrors + "bad.json: invalid JSON: parse error at line 1, column 40: syntax error while parsing value - "
                        "unexpected end of input; expected '[', '{', or a literal");
    EXPECT_EQ(errorOf(kData + "k2_functional_weights.h5"),
              kData + "k2_functional_weights.h5: not a Keras model (no model_config attribute); it looks like a weights "
                      "file: give the architecture JSON as the model and this file with --weights");
    std::string p = write("a.json", "[1, 2]");
    EXPECT_EQ(errorOf(p, w), p + ": not a Keras model config (expected a JSON object)");
    p = write("b.json", R"({"config": {}})");
    EXPECT_EQ(errorOf(p, w), p + ": not a Keras model config (no 'class_name')");
    p = write("c.json", R"({"class_name": "MyModel", "config": {}})");
    EXPECT_EQ(errorOf(p, w),
              p + ": top-level class 'MyModel' is not a Keras Sequential or Functional model (subclassed models cannot be read)");
    p = write("d.json", R"({"class_name": "Sequential", "config": {"layers": []}})");
    EXPECT_EQ(errorOf(p, w), p + ": the model has no layers");
    p = write("e.json", R"({"class_name": "Sequential", "config": {"name": "s"}})");
    EXPECT_EQ(errorOf(p, w), p + ": Sequential model config has no 'layers' list");
    p = write("f.json", R"({"class_name": "Sequential", "config": [{"class_name": "Dense", "config": {"name": "d"}}]})");
    EXPECT_EQ(errorOf(p, w), p + ": Sequential model has no input shape (first layer 'd' has no batch_input_shape and "
                                 "the model has no InputLayer)");
    p = write("g.json", R"({"class_name": "Sequential", "config": [{"config": {"name": "d"}}]})");
    EXPECT_EQ(errorOf(p, w), p + ": layers[0] has no class_name");
    p = write("h.json", R"({"class_name": "Sequential", "config": [{"class_name": "Dense", "config": {}}]})");
    EXPECT_EQ(errorOf(p, w), p + ": layers[0] (Dense) has no name");
    const std::string fnHead = R"({"class_name": "Functional", "config": {"layers": [
        {"class_name": "InputLayer", "name": "x", "config": {"name": "x", "batch_input_shape": [null, 3]}, "inbound_nodes": []},
        {"class_name": "Dense", "name": "d", "config": {"name": "d"}, "inbound_nodes": )";
    p = write("i.json", fnHead + R"([[["y", 0, 0, {}]]]}], "input_layers": [["x", 0, 0]], "output_layers": ["d", 0, 0]}})");
    EXPECT_EQ(errorOf(p, w), p + ": layer 'd' (Dense): takes input from 'y', which is not a layer of the model");
    p = write("j.json", fnHead + R"([[["x", "0", 0, {}]]]}], "input_layers": [["x", 0, 0]], "output_layers": ["d", 0, 0]}})");
    EXPECT_EQ(errorOf(p, w), p + ": layer 'd' (Dense): malformed inbound node: [\"x\",\"0\",0,{}]");
    p = write("k.json", fnHead + R"([[["x", 0, 0, {}]]]}], "output_layers": ["d", 0, 0]}})");
    EXPECT_EQ(errorOf(p, w), p + ": Functional model config has no 'input_layers'");
    p = write("l.json", fnHead + R"([[["x", 0, 0, {}]]]}], "input_layers": [["x", 0, 0]], "output_layers": ["z", 0, 0]}})");
    EXPECT_EQ(errorOf(p, w), p + ": model output 'z' is not a layer of the model");
    p = write("m.json", R"({"class_name": "Functional", "config": {"layers": [
        {"class_name": "InputLayer", "name": "x", "config": {"name": "x", "batch_input_shape": [null, "3"]}},
        {"class_name": "Dense", "name": "x", "config": {"name": "x"}}], "input_layers": [["x", 0, 0]], "output_layers": [["x", 0, 0]]}})");
    EXPECT_EQ(errorOf(p, w), p + ": two layers are named 'x'");
    p = write("n.json", R"({"class_name": "Functional", "config": {"layers": [
        {"class_name": "InputLayer", "name": "x", "config": {"name": "x", "batch_input_shape": [null, "3"]}}],
        "input_layers": [["x", 0, 0]], "output_layers": [["x", 0, 0]]}})");
    EXPECT_EQ(errorOf(p, w), p + ": layer 'x' (InputLayer): malformed input shape [null,\"3\"]");
    p = write("o.json", R"({"class_name": "Functional", "config": {"layers": {"a": 1}}})");
    EXPECT_EQ(errorOf(p, w), p + ": Functional model config has no 'layers' list");
}

TEST_F(KerasFileTest, ErrorsForWeightsThatDoNotFit) {
    SKIP_WITHOUT_SHARED_MODELS();
    EXPECT_EQ(errorOf(kData + "k2_functional.json", kShared + "KERAS_3layer_weights.h5"),
              kShared + "KERAS_3layer_weights.h5: the weights file has weights for layer 'fc1_relu', which the model "
                        "does not have");
}

TEST_F(KerasFileTest, ErrorsForKeras3WeightsThatDoNotFit) {
    // Renaming a layer in the config leaves its variable group unclaimed.
    std::string json = slurp(kData + "k3_functional.json");
    for (size_t pos; (pos = json.find("\"head\"")) != std::string::npos;) json.replace(pos, 6, "\"top\"");
    std::string p = write("renamed.json", json);
    EXPECT_EQ(errorOf(p, kData + "k3_functional.weights.h5"),
              kData + "k3_functional.weights.h5: the weights file has variables in '/layers/dense_1' that belong to no "
                      "layer of the model");
}

TEST_F(KerasFileTest, ErrorsForMissingWeightDatasets) {
    const std::string model = kData + "k2_functional.json";
    EXPECT_EQ(errorOf(model, kErrors + "missing_layer_group.h5"),
              kErrors + "missing_layer_group.h5: weights for layer 'head' not found (layer_names lists it, but there "
                        "is no group '/head')");
    EXPECT_EQ(errorOf(model, kErrors + "missing_dataset.h5"),
              kErrors + "missing_dataset.h5: weights for layer 'head' not found (no dataset '/head/head/bias:0')");
    // A legacy weights file of another model.
    EXPECT_EQ(errorOf(kData + "k3_functional.json", kData + "k3_sequential.h5"),
              kData + "k3_sequential.h5: the weights file has weights for layer 'fc1', which the model does not have");
}

// ---- robustness: damaged copies of real files never crash and always name the file ---------------------

void expectCleanFailure(const std::string& model, const std::optional<std::string>& weights,
                        const std::string& damaged) {
    try {
        readKerasModel(model, weights);
    } catch (const UserError& e) {
        EXPECT_TRUE(startsWith(e.what(), damaged + ": ") || startsWith(e.what(), damaged + "/model.weights.h5: "))
            << e.what();
    }
}

TEST_F(KerasFileTest, TruncatedCopiesFailCleanly) {
    std::vector<std::string> sources{kData + "k2_functional.h5", kData + "k3_functional.keras",
                                     kData + "k3_sequential.h5", kData + "k2_functional_weights.h5"};
    if (fs::exists(kShared)) sources.push_back(kShared + "hgq_jet_classifier.h5");
    for (const auto& source : sources) {
        std::string bytes = slurp(source);
        std::string ext = fs::path(source).extension().string();
        bool weightsOnly = source.find("_weights.h5") != std::string::npos;
        for (size_t cut : {size_t(1), size_t(8), size_t(100), size_t(700), bytes.size() / 3, bytes.size() / 2,
                           bytes.size() - 100, bytes.size() - 1}) {
            std::string path = write("cut" + ext, bytes.substr(0, cut));
            SCOPED_TRACE(source + " cut at " + std::to_string(cut));
            std::string error = weightsOnly ? errorOf(kData + "k2_functional.json", path) : errorOf(path);
            EXPECT_TRUE(startsWith(error, path + ": truncated or corrupt") ||
                        startsWith(error, path + ": not an HDF5 file or corrupt") ||
                        startsWith(error, path + ": not a .keras archive"))
                << error;
        }
    }
}

TEST_F(KerasFileTest, ByteFlippedCopiesFailCleanly) {
    std::mt19937 rng(12345);
    for (const std::string& source : {kData + "k2_functional.h5", kData + "k3_sequential.keras"}) {
        std::string bytes = slurp(source);
        std::string ext = fs::path(source).extension().string();
        for (int trial = 0; trial < 40; ++trial) {
            std::string damaged = bytes;
            int flips = trial % 3 == 0 ? 1 : 8;
            for (int k = 0; k < flips; ++k) damaged[rng() % damaged.size()] = char(rng() & 0xFF);
            std::string path = write("flip" + std::to_string(trial) + ext, damaged);
            SCOPED_TRACE(source + " trial " + std::to_string(trial));
            expectCleanFailure(path, std::nullopt, path);
        }
    }
}

TEST_F(KerasFileTest, RandomBytesFailCleanly) {
    std::mt19937 rng(7);
    for (const char* ext : {".h5", ".keras", ".json", ".bin"}) {
        std::string bytes(size_t(rng() % 4000 + 1), '\0');
        for (auto& c : bytes) c = char(rng() & 0xFF);
        std::string path = write(std::string("random") + ext, bytes);
        std::string error = errorOf(path, kData + "k2_functional_weights.h5");
        EXPECT_TRUE(startsWith(error, path + ": ")) << error;
    }
}

}  // namespace
}  // namespace nnfpga
