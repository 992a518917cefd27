# QKeras: the emulator (fixed mode, types from the model's quantizers, no --precision) reproduces the QKeras
# models' own predict() outputs bit for bit (tests/fixtures/qkeras, made by tools/make_qkeras_fixtures.py); the
# quantized types show in `nnfpga info`; the configuration's LayerName entries still override them; the
# shared QKeras and binary/ternary models load and run; and the generated HLS projects C-simulate exactly like
# the emulator (binary weights as one bit, XNOR-popcount, ternary selects, power-of-two activations).
import json
import re

import numpy as np
import pytest

from conftest import ROOT, SHARED_MODELS, block, info, load, run

QKERAS = ROOT / "tests" / "fixtures" / "qkeras"


def qkeras_names():
    return sorted(p.name for p in QKERAS.iterdir() if p.is_dir())


def predict(tmp_path, model, x, *extra):
    out = tmp_path / "y.csv"
    run("predict", model, "--input", x, "--output", out, "--quiet", *extra)
    return load(out)


def assert_bit_exact(got, ref, exact=True):
    """`got` (the emulator's exact fixed-point values) equals QKeras's float32 outputs value for value. With
    `exact`, the model's float32 arithmetic is exact and so is every output as a float32; otherwise (a float bias
    or scale) QKeras's float32 result must be our exact value rounded to float32."""
    assert got.shape == ref.shape
    as32 = got.astype(np.float32)
    if exact:
        assert np.array_equal(as32.astype(np.float64), got), "an output is not a float32 value"
    bad = np.argwhere(as32 != ref.astype(np.float32))
    assert len(bad) == 0, f"{len(bad)} of {got.size} outputs differ, first at {bad[0].tolist()}: " \
                          f"{got[tuple(bad[0])]!r} vs QKeras {ref[tuple(bad[0])]!r}"


def exact(name):
    return json.loads((QKERAS / name / "meta.json").read_text())["exact"]


@pytest.mark.parametrize("name", qkeras_names())
def test_predict_equals_qkeras(tmp_path, name):
    d = QKERAS / name
    got = predict(tmp_path, d / "model_full.h5", d / "input.csv")
    assert_bit_exact(got, load(d / "qkeras_output.csv"), exact(name))


@pytest.mark.parametrize("name", ["bits_relu", "binary", "po2"])
def test_json_and_weights_equal_full_model(tmp_path, name):
    d = QKERAS / name
    got = predict(tmp_path, d / "model.json", d / "input.csv", "--weights", d / "model_weights.h5")
    assert_bit_exact(got, load(d / "qkeras_output.csv"))


def test_fixtures_are_real_qkeras_models():
    for name in qkeras_names():
        meta = json.loads((QKERAS / name / "meta.json").read_text())
        assert meta["qkeras"] == "0.9.0" and meta["tensorflow"].startswith("2.14")
        rows = load(QKERAS / name / "input.csv")
        assert rows.shape == (meta["rows"], meta["inputs"])
        # inputs on the 2^-8 grid: exact in the default ap_fixed<16,6> input type
        assert np.array_equal(np.round(rows * 256) / 256, rows) and np.abs(rows).max() < 16
        assert sum(f.stat().st_size for f in (QKERAS / name).iterdir()) < 200_000


def test_info_shows_the_quantizer_types():
    t = info(QKERAS / "bits_relu" / "model_full.h5")
    assert "out:    (30,) ap_fixed<8,4,AP_RND_CONV,AP_SAT>" in block(t, "q_input")  # quantized_bits(8,3)
    fc1 = block(t, "fc1")
    assert "weight: ap_fixed<6,1>" in fc1 and "bias:   ap_fixed<6,1>" in fc1
    # the sum is exact: 8-bit inputs, 6-bit weights, 30 terms, plus the bias
    assert "out:    (16,) ap_fixed<20,11>" in fc1 and "accum:  ap_fixed<20,11>" in fc1
    assert "relu1  Activation relu  [QActivation]" in t
    assert "out:    (16,) ap_ufixed<6,2,AP_RND_CONV,AP_SAT>" in block(t, "relu1")
    t = info(QKERAS / "tanh_sigmoid" / "model_full.h5")
    assert "ap_fixed<6,1,AP_RND_CONV,AP_SAT>" in block(t, "tanh1")
    assert "ap_fixed<5,1,AP_RND_CONV,AP_SAT_SYM>" in block(t, "tanh_sym")
    assert "Activation hard_sigmoid" in block(t, "sigmoid1") and "ap_ufixed<6,0,AP_RND_CONV,AP_SAT>" in t
    t = info(QKERAS / "binary" / "model_full.h5")
    assert "bin1  Activation binary  [QActivation]" in t and "out:    (64,) ap_int<2>" in block(t, "bin1")
    assert "weight: ap_int<2>" in block(t, "fc2")
    assert "ApplyAlpha" in block(t, "fc3_alpha")  # binary() kernel: alpha auto_po2
    t = info(QKERAS / "po2" / "model_full.h5")
    assert "Activation po2" in block(t, "relu_po2") and "Activation po2" in block(t, "po2")
    assert "weight: ap_fixed<10,2>" in block(t, "fc1")  # quantized_po2(4, 1): 2^-8 .. 2^0


def test_model_default_does_not_replace_quantizer_types(tmp_path):
    d = QKERAS / "bits_relu"
    t = info(d / "model_full.h5", "--precision", "ap_fixed<8,3>")
    assert "weight: ap_fixed<6,1>" in block(t, "fc1")
    assert "ap_ufixed<6,2,AP_RND_CONV,AP_SAT>" in block(t, "relu1")
    assert "out:    (30,) ap_fixed<8,3>" in block(t, "features")  # the input has no quantizer
    # and with a LayerType entry for QActivation
    cfg = tmp_path / "c.yml"
    cfg.write_text("HLSConfig:\n  Model:\n    Precision: ap_fixed<16,6>\n  LayerType:\n    QActivation:\n"
                   "      Precision: ap_fixed<4,2>\n")
    assert "ap_ufixed<6,2,AP_RND_CONV,AP_SAT>" in block(info(d / "model_full.h5", "--config", cfg), "relu1")


def test_layer_name_config_overrides_quantizer_types(tmp_path):
    d = QKERAS / "bits_relu"
    cfg = tmp_path / "c.yml"
    cfg.write_text("HLSConfig:\n  Model:\n    Precision: ap_fixed<16,6>\n  LayerName:\n    relu1:\n"
                   "      Precision:\n        result: ap_ufixed<4,2>\n    fc1:\n      Precision:\n"
                   "        weight: ap_fixed<4,1>\n        result: ap_fixed<18,9>\n")
    t = info(d / "model_full.h5", "--config", cfg)
    assert "out:    (16,) ap_ufixed<4,2>" in block(t, "relu1")
    fc1 = block(t, "fc1")
    assert "weight: ap_fixed<4,1>" in fc1 and "out:    (16,) ap_fixed<18,9>" in fc1
    assert "bias:   ap_fixed<6,1>" in fc1  # not named: still the quantizer's
    assert "accum:  ap_fixed<" in fc1 and "accum:  ap_fixed<16,6>" not in fc1  # still exact ('auto')


# ---- shared models ---------------------------------------------------------------------------------------

def shared(name):
    if not SHARED_MODELS.is_dir():
        pytest.skip("../shared/models is not present")
    k = SHARED_MODELS / "keras"
    return [k / f"{name}.json", "--weights", k / f"{name}_weights.h5"]


def random_input(tmp_path, n, rows=50, seed=0, scale=1.0):
    x = np.round(np.random.default_rng(seed).normal(0, scale, (rows, n)) * 256) / 256
    p = tmp_path / "x.csv"
    np.savetxt(p, x, delimiter=",", fmt="%.9g")
    return p


def test_qkeras_3layer_with_its_config(tmp_path):
    if not SHARED_MODELS.is_dir():
        pytest.skip("../shared/models is not present")
    cfg = SHARED_MODELS / "config" / "qkeras_3layer_config.yml"
    t = info("--config", cfg)
    fc1 = block(t, "fc1")
    assert "weight: ap_fixed<6,1>" in fc1 and "bias:   ap_fixed<6,1>" in fc1
    assert "out:    (64,) ap_fixed<27,12>" in fc1  # not named by the config: the exact sum
    assert "out:    (64,) ap_fixed<7,1,AP_RND_CONV,AP_SAT>" in block(t, "relu1")  # named: the config's type
    # without the config: quantized_relu(6, 0) is ap_ufixed<6,0> (the same values)
    t2 = info(*shared("qkeras_3layer"))
    assert "out:    (64,) ap_ufixed<6,0,AP_RND_CONV,AP_SAT>" in block(t2, "relu1")
    # ap_fixed<7,1> (the config) and ap_ufixed<6,0> (the quantizer) hold the same relu outputs: the layers
    # before the softmax (which the config gives other tables) compute the same values
    x = random_input(tmp_path, 16)
    run("predict", "--config", cfg, "--input", x, "--output", tmp_path / "a.csv", "--trace", tmp_path / "ta", "--quiet")
    run("predict", *shared("qkeras_3layer"), "--input", x, "--output", tmp_path / "b.csv", "--trace", tmp_path / "tb",
        "--quiet")
    for layer in ("relu1", "relu2", "relu3", "output"):
        assert np.array_equal(load(tmp_path / "ta" / f"{layer}.csv"), load(tmp_path / "tb" / f"{layer}.csv")), layer
    assert load(tmp_path / "a.csv").shape == (50, 5)


def test_qkeras_mnist_dense(tmp_path):
    t = info(*shared("qkeras_mnist_dense"))
    assert "out:    (784,) ap_ufixed<2,0,AP_RND_CONV,AP_SAT>" in block(t, "q_activation_2")  # quantized_relu(2)
    d2 = block(t, "q_dense_2")
    assert "weight: ap_fixed<10,2>" in d2  # quantized_po2(4, max_value=1): ±2^-8 … ±1
    assert "bias:   ap_fixed<2,1>" in d2  # quantized_bits(2, 0, symmetric)
    assert "out:    (20,) ap_ufixed<3,1,AP_RND_CONV,AP_SAT>" in block(t, "q_activation_3")
    assert "weight: ap_fixed<4,1>" in block(t, "q_dense_3")
    x = random_input(tmp_path, 784, rows=20, scale=0.5)
    y = predict(tmp_path, shared("qkeras_mnist_dense")[0], x, *shared("qkeras_mnist_dense")[1:])
    assert y.shape == (20, 10) and (y >= 0).all() and (y <= 1.5).all()


@pytest.mark.parametrize("name,kind", [("KERAS_3layer_binary_smaller", "binary"),
                                       ("KERAS_3layer_ternary_small", "ternary")])
def test_binary_ternary_shared_models(tmp_path, name, kind):
    t = info(*shared(name))
    assert "weight: ap_int<2>" in block(t, "fc1") and "weight: ap_int<2>" in block(t, "output")
    assert f"act1  Activation {kind}" in t and "out:    (64,) ap_int<2>" in block(t, "act1")
    x = random_input(tmp_path, 16)
    y = predict(tmp_path, *shared(name)[:1], x, *shared(name)[1:])
    assert y.shape == (50, 5)
    # the inputs of fc2 are the ±1 (or 0) outputs of act1: the dense sums are integers
    tr = tmp_path / "trace"
    run("predict", *shared(name), "--input", x, "--output", tmp_path / "z.csv", "--trace", tr, "--quiet")
    act1 = load(tr / "act1.csv")
    assert set(np.unique(act1)) <= ({-1.0, 1.0} if kind == "binary" else {-1.0, 0.0, 1.0})
    fc2 = load(tr / "fc2.csv")
    assert np.array_equal(fc2, np.round(fc2))


# ---- HLS C simulation -------------------------------------------------------------------------------------

def csim(tmp_path, model_args, x, *extra):
    prj = tmp_path / "prj"
    run("convert", *model_args, "--input", x, "-o", prj, *extra)
    c = run("csim", prj, check=False)
    assert c.returncode == 0, c.stdout[-2000:] + c.stderr[-2000:]
    rows = sum(1 for _ in open(prj / "tb_data" / "tb_input_features.dat"))
    assert c.stdout.strip().splitlines()[-1] == f"{rows} passed, 0 failed"
    return prj


@pytest.mark.parametrize("name", qkeras_names())
def test_csim_equals_emulator(tmp_path, name):
    d = QKERAS / name
    prj = csim(tmp_path, [d / "model_full.h5"], d / "input.csv")
    # the testbench's expected outputs are the emulator's, which are QKeras's
    expected = np.loadtxt(prj / "tb_data" / "tb_output_predictions.dat", ndmin=2)
    assert_bit_exact(expected, load(d / "qkeras_output.csv"), exact(name))


def test_csim_uses_multiplier_free_dense(tmp_path):
    d = QKERAS / "binary"
    prj = tmp_path / "prj"
    run("convert", d / "model_full.h5", "-o", prj)
    top = (prj / "firmware" / "myproject.cpp").read_text()
    assert "nnfpga_hls::dense_xnor<bin1_t, fc2_t" in top  # binary weights on binary activations
    assert "nnfpga_hls::dense_sign<q_input_t, fc1_t" in top  # binary weights on 8-bit inputs
    params = (prj / "firmware" / "parameters.h").read_text()
    assert re.search(r"typedef ap_uint<1> fc2_weight_t;", (prj / "firmware" / "defines.h").read_text() + params)
    d = QKERAS / "ternary"
    run("convert", d / "model_full.h5", "-o", tmp_path / "t")
    top = (tmp_path / "t" / "firmware" / "myproject.cpp").read_text()
    assert "nnfpga_hls::dense_sign<q_input_t, fc1_t" in top


def test_csim_uses_multiplier_free_conv(tmp_path):
    """Binary and ternary QConv2D kernels: the HLS convolutions add or subtract (sign_product), or XNOR one-bit
    weights with binary activations (xnor_product); the C simulation equals the emulator, which equals QKeras
    (test_csim_equals_emulator, test_csim_io_stream_and_resource)."""
    d = QKERAS / "qconv_binary"
    run("convert", d / "model_full.h5", "-o", tmp_path / "prj")
    params = (tmp_path / "prj" / "firmware" / "parameters.h").read_text()
    assert "typedef nnfpga_hls::sign_product<config_conv1> product;" in params  # binary kernel, 8-bit pixels
    assert "typedef nnfpga_hls::xnor_product<config_conv2> product;" in params  # binary kernel, binary inputs
    assert "typedef nnfpga_hls::sign_product<config_conv3> product;" in params  # ternary kernel
    assert "typedef nnfpga_hls::mult_product<config_conv" not in params
    assert re.search(r"typedef ap_uint<1> conv2_weight_t;", params + (tmp_path / "prj" / "firmware" / "defines.h").read_text())


@pytest.mark.parametrize("name", ["KERAS_3layer_binary_smaller", "KERAS_3layer_ternary_small", "qkeras_mnist_dense",
                                  "qkeras_3layer"])
def test_csim_shared_models(tmp_path, name):
    x = random_input(tmp_path, 784 if "mnist" in name else 16, rows=20, scale=0.5 if "mnist" in name else 1.0)
    csim(tmp_path, shared(name), x)


CONV_FIXTURES = ["qconv1d", "qconv2d", "qdepthwise", "qseparable1d", "qseparable2d", "qconv2dbn"]


@pytest.mark.parametrize("io,strategy", [("stream", "latency"), ("parallel", "resource")])
@pytest.mark.parametrize("name", ["binary", "ternary", "po2", "auto_po2", "relu_slope"] + CONV_FIXTURES)
def test_csim_io_stream_and_resource(tmp_path, name, io, strategy):
    d = QKERAS / name
    csim(tmp_path, [d / "model_full.h5"], d / "input.csv", "--io", io, "--strategy", strategy)


@pytest.mark.parametrize("name", ["binary", "po2", "relu_slope", "qconv2d"])
def test_csim_with_xilinx_ap_types(tmp_path, name):
    from test_hls_csim import xilinx_ap_types
    ap = xilinx_ap_types()
    d = QKERAS / name
    prj = tmp_path / "prj"
    run("convert", d / "model_full.h5", "--input", d / "input.csv", "--io", "stream", "-o", prj)
    c = run("csim", prj, "--ap-types", ap, check=False)
    assert c.returncode == 0, c.stdout[-2000:] + c.stderr[-2000:]
    assert c.stdout.strip().splitlines()[-1] == f"{load(d / 'input.csv').shape[0]} passed, 0 failed"


def qk_python():
    """The `qk` environment's python (QKeras 0.9.0 + hls4ml 1.3.0), or skip."""
    import os
    import subprocess
    from pathlib import Path
    py = Path(os.environ.get("NNFPGA_CACHE", Path.home() / ".cache" / "nnfpga")) / "qk" / "bin" / "python"
    if not py.exists() or subprocess.run([py, "-c", "import hls4ml, qkeras"], capture_output=True).returncode:
        pytest.skip("QKeras + hls4ml are not installed: tools/venv.sh qk")
    return py


def hls4ml_compare(model_json, weights, n_inputs, *extra, check=True):
    """tools/qkeras_hls4ml_compare.py in the `qk` environment: hls4ml's C simulation against nnfpga (its JSON line)."""
    import os
    import subprocess
    py = qk_python()
    env = dict(os.environ, NNFPGA_BIN=str(run.__globals__["NNFPGA"]))
    r = subprocess.run([py, ROOT / "tools" / "qkeras_hls4ml_compare.py", model_json, weights, str(n_inputs), *extra],
                       capture_output=True, text=True, env=env, timeout=900)
    if not check:
        return r
    assert r.returncode == 0, r.stderr[-3000:]
    return json.loads(r.stdout.strip().splitlines()[-1])


def test_qkeras_3layer_equals_hls4ml_csim():
    """hls4ml 1.3 ('name' granularity: the quantizers' types, 'auto' sums) and nnfpga given the same configuration
    agree on every output, softmax included; the types hls4ml infers are the ones nnfpga takes from the model."""
    args = shared("qkeras_3layer")
    res = hls4ml_compare(args[0], args[2], 16)
    assert res["values"] == 1000 and res["differing"] == 0
    assert res["types"]["fc1"] == "fixed<27,12,TRN,WRAP,0>" and res["types"]["relu1"] == "ufixed<6,0,RND_CONV,SAT,0>"
    t = info(*args)
    assert "out:    (64,) ap_fixed<27,12>" in block(t, "fc1")
    assert "ap_ufixed<6,0,AP_RND_CONV,AP_SAT>" in block(t, "relu1")


@pytest.mark.parametrize("name,act", [("KERAS_3layer_binary_smaller", "uint<1>"),
                                      ("KERAS_3layer_ternary_small", "int<2>")])
def test_binary_ternary_shared_models_equal_hls4ml_csim(name, act):
    """hls4ml folds each BatchNormalization + binary/ternary tanh into thresholds and gives the dense layers after
    them integer sums; nnfpga's bn_threshold pass does the same: every output of 1000 random rows agrees."""
    args = shared(name)
    res = hls4ml_compare(args[0], args[2], 16, "--rows", "1000")
    assert res["values"] == 5000 and res["differing"] == 0
    assert res["types"]["bnbt_bn1"] == act and res["types"]["fc2"] == "int<8>" and res["types"]["fc3"] == "int<7>"
    t = info(*args)
    assert "bn1" not in t and "out:    (32,) ap_int<8>" in block(t, "fc2")


QKERAS_LAYER_OUTPUT = """
import os, sys, numpy as np
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import tensorflow as tf
from qkeras.utils import _add_supported_quantized_objects
co = {}
_add_supported_quantized_objects(co)
arch, weights, layer, x, out = sys.argv[1:]
m = tf.keras.models.model_from_json(open(arch).read(), custom_objects=co)
m.load_weights(weights)
y = tf.keras.Model(m.inputs, m.get_layer(layer).output).predict(np.loadtxt(x, delimiter=",", ndmin=2).astype(np.float32), verbose=0)
np.savetxt(out, y, fmt="%.9g", delimiter=",")
"""


def test_qkeras_mnist_dense_equals_qkeras(tmp_path):
    """The shared model's logits (before its float softmax) equal QKeras's bit for bit: po2 weights, a 2-bit
    symmetric bias, quantized_relu(2) on the inputs."""
    import subprocess
    py = qk_python()
    args = shared("qkeras_mnist_dense")
    x = np.abs(np.round(np.random.default_rng(0).normal(0, 1, (100, 784)) * 256) / 256)
    np.savetxt(tmp_path / "x.csv", x, fmt="%.9g", delimiter=",")
    r = subprocess.run([py, "-c", QKERAS_LAYER_OUTPUT, args[0], args[2], "q_dense_3", tmp_path / "x.csv",
                        tmp_path / "ref.csv"], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    run("predict", *args, "--input", tmp_path / "x.csv", "--output", tmp_path / "y.csv", "--trace", tmp_path / "t",
        "--quiet")
    assert_bit_exact(load(tmp_path / "t" / "q_dense_3.csv"), load(tmp_path / "ref.csv"))


# hls4ml 1.3's C simulation on the fixtures' own inputs ('name' granularity; nnfpga given the same resolved types).
# Where hls4ml cannot convert or run a fixture, the test pins why.
HLS4ML_CANNOT = {
    # nnet_sepconv2d_latency.h asserts n_filt == n_chan in its depthwise convolution
    "qdepthwise": "only a depth multiplier of 1 is currently supported",
    # qkeras_factorize_alpha reads the name of the pointwise node hls4ml makes for a separable layer: None
    "qseparable1d": "TypeError: unsupported operand type(s) for +: 'NoneType' and 'str'",
}
# quantized_relu(negative_slope=s) becomes hls4ml's LeakyReLU, which does not stop the negative side at
# -s * 2^integer as QKeras does (it saturates at the result type's -2^integer): hls4ml differs from QKeras exactly
# on the outputs that depend on an input below -2^integer; nnfpga does not.
HLS4ML_DIFFERS_FROM_QKERAS = {"relu_slope"}
# alpha='auto': hls4ml's ApplyAlpha node holds the float32 scale in the default ap_fixed<16,6>, which rounds it; given
# that configuration nnfpga computes hls4ml's values, and both differ from QKeras (nnfpga's own type of the scale,
# ap_ufixed<24,0>, holds it exactly and matches QKeras).
HLS4ML_TYPES_TRUNCATE = {"qconv1d"}


@pytest.mark.parametrize("name", ["qconv1d", "qconv2d", "qseparable2d", "qconv2dbn", "relu_slope"] + sorted(HLS4ML_CANNOT))
def test_fixture_against_hls4ml_csim(name):
    d = QKERAS / name
    meta = json.loads((d / "meta.json").read_text())
    r = hls4ml_compare(d / "model.json", d / "model_weights.h5", meta["inputs"], "--input", d / "input.csv",
                       "--reference", d / "qkeras_output.csv", check=False)
    if name in HLS4ML_CANNOT:
        assert r.returncode != 0 and HLS4ML_CANNOT[name] in r.stderr, r.stderr[-3000:]
        return
    assert r.returncode == 0, r.stderr[-3000:]
    res = json.loads(r.stdout.strip().splitlines()[-1])
    assert res["values"] == meta["rows"] * meta["outputs"]
    if name in HLS4ML_TYPES_TRUNCATE:
        assert res["differing"] == 0 and res["nnfpga_differing_from_qkeras"] == res["hls4ml_differing_from_qkeras"]
        return
    assert res["nnfpga_differing_from_qkeras"] == 0
    if name in HLS4ML_DIFFERS_FROM_QKERAS:
        assert res["hls4ml_differing_from_qkeras"] > 0 and res["differing"] == res["hls4ml_differing_from_qkeras"]
    else:
        assert res["differing"] == 0 and res["hls4ml_differing_from_qkeras"] == 0


# ---- power-of-two kernels: hls4ml's shift product (--po2-product hls4ml / Model.Po2Product) --------------------
# hls4ml multiplies a quantized_po2 kernel with weight_exponential: the input shifted in ap_fixed<2(E+Wx), E+Wx>, whose
# dropped low bits floor each product before the accumulator, so hls4ml does not compute the QKeras model. By default
# nnfpga computes the QKeras model (test_predict_equals_qkeras, test_qkeras_mnist_dense_equals_qkeras); the opt-in
# mode computes hls4ml's values, with nnfpga's own type inference (hls4ml's 'auto' types are not passed).

def test_po2_product_hls4ml_equals_hls4ml_csim_on_qkeras_mnist_dense():
    m = shared("qkeras_mnist_dense")
    args = [m[0], m[2], 784, "--rows", "300", "--nonneg"]
    hls = hls4ml_compare(*args, "--po2-product", "hls4ml", "--own-types")
    assert hls["values"] == 3000 and hls["differing"] == 0
    # the default (exact) products, given hls4ml's resolved types: the truncation is the whole difference
    default = hls4ml_compare(*args)
    assert default["differing"] == 397 and default["rows_differing"] == 59


def test_po2_product_hls4ml_equals_hls4ml_csim_on_qconv_po2():
    d = QKERAS / "qconv_po2"
    args = [d / "model.json", d / "model_weights.h5", 64, "--input", d / "input.csv", "--reference", d / "qkeras_output.csv"]
    hls = hls4ml_compare(*args, "--po2-product", "hls4ml", "--own-types")
    assert hls["values"] == 1000 and hls["differing"] == 0 and hls["hls4ml_differing_from_qkeras"] > 0
    assert hls4ml_compare(*args)["differing"] > 0


@pytest.mark.parametrize("io,strategy", [("parallel", "latency"), ("stream", "latency"), ("parallel", "resource")])
def test_po2_product_hls4ml_csim_equals_emulator(tmp_path, io, strategy):
    d = QKERAS / "qconv_po2"
    prj = csim(tmp_path, [d / "model_full.h5"], d / "input.csv", "--po2-product", "hls4ml", "--io", io,
               "--strategy", strategy)
    params = (prj / "firmware" / "parameters.h").read_text()
    assert "typedef nnfpga_hls::po2_product<config_conv1> product;" in params
    assert "nnfpga_hls::dense_po2<" in (prj / "firmware" / "myproject.cpp").read_text()
    # the testbench's expected outputs are the emulator's in this mode, which differ from QKeras's
    expected = np.loadtxt(prj / "tb_data" / "tb_output_predictions.dat", ndmin=2)
    assert (expected.astype(np.float32) != load(d / "qkeras_output.csv").astype(np.float32)).any()


def test_po2_product_hls4ml_on_qkeras_mnist_dense(tmp_path):
    x = random_input(tmp_path, 784, rows=20, scale=0.5)
    csim(tmp_path, shared("qkeras_mnist_dense"), x, "--po2-product", "hls4ml")
    d2 = block(info(*shared("qkeras_mnist_dense"), "--po2-product", "hls4ml"), "q_dense_2")
    # ap_fixed<2(4+2), 4+2>: 4 exponent bits, inputs ap_ufixed<2,0>; 'auto' accum and result: the default
    assert "product: ap_fixed<12,6> (hls4ml power-of-two shift)" in d2 and "accum:  ap_fixed<16,6>" in d2
    assert "product:" not in info(*shared("qkeras_mnist_dense"))


def test_po2_product_config_key_equals_flag(tmp_path):
    cfg = tmp_path / "c.yml"
    cfg.write_text("HLSConfig:\n  Model:\n    Precision: ap_fixed<16,6>\n    Po2Product: hls4ml\n")
    d = QKERAS / "qconv_po2"
    a = predict(tmp_path, d / "model_full.h5", d / "input.csv", "--config", cfg)
    b = predict(tmp_path, d / "model_full.h5", d / "input.csv", "--po2-product", "hls4ml")
    assert np.array_equal(a, b) and not np.array_equal(a, load(d / "qkeras_output.csv"))


def test_po2_product_and_bit_exact_refused(tmp_path):
    d = QKERAS / "qconv_po2"
    out = tmp_path / "y.csv"
    p = run("predict", d / "model_full.h5", "--input", d / "input.csv", "--output", out, "--po2-product", "hls4ml",
            "--bit-exact", check=False)
    assert p.returncode == 1 and not out.exists()
    assert p.stderr.strip().splitlines() == [
        "error: layer 'conv1' (QConv2D): BitExact cannot be combined with Po2Product: hls4ml (the exact widths need "
        "exact products; hls4ml's power-of-two products truncate)"]


def test_po2_product_invalid_value(tmp_path):
    d = QKERAS / "qconv_po2"
    p = run("info", d / "model_full.h5", "--po2-product", "shift", check=False)
    assert p.returncode == 2 and len(p.stderr.strip().splitlines()) == 1
    assert p.stderr.startswith("error: --po2-product: "), p.stderr


def test_po2_product_hls4ml_csim_with_xilinx_ap_types(tmp_path):
    from test_hls_csim import xilinx_ap_types
    ap = xilinx_ap_types()
    d = QKERAS / "qconv_po2"
    prj = tmp_path / "prj"
    run("convert", d / "model_full.h5", "--input", d / "input.csv", "--po2-product", "hls4ml", "-o", prj)
    c = run("csim", prj, "--ap-types", ap, check=False)
    assert c.returncode == 0, c.stdout[-2000:] + c.stderr[-2000:]
    assert c.stdout.strip().splitlines()[-1] == "100 passed, 0 failed"
