# HGQ: the emulator (no precision given: the types come from the model's quantizers) reproduces HGQ proxy models'
# own predict() outputs bit for bit (tests/fixtures/hgq, made by tools/make_hgq_fixtures.py with HGQ 0.2.6), and
# the generated HLS projects C-simulate exactly like the emulator. The shared jet classifier
# (../shared/models/keras/hgq_jet_classifier.h5) is checked against its committed reference when present.
import json
import re

import numpy as np
import pytest

from conftest import ROOT, SHARED_MODELS, block, info, load, run

HGQ = ROOT / "tests" / "fixtures" / "hgq"
OWN = ["mlp_wrap", "conv_sat", "lut_tanh"]


def model_of(name):
    if name == "jet_classifier":
        path = SHARED_MODELS / "keras" / "hgq_jet_classifier.h5"
        if not path.exists():
            pytest.skip("../shared/models is not present")
        return path
    return HGQ / name / "model.h5"


def predict(tmp_path, model, x, *extra):
    out = tmp_path / "y.csv"
    run("predict", model, "--input", x, "--output", out, "--quiet", *extra)
    return load(out)


def assert_bit_exact(got, ref):
    """Every output equals HGQ's float32 output exactly (the proxy model's float32 arithmetic is exact)."""
    assert got.shape == ref.shape
    bad = np.argwhere(got != ref)
    assert len(bad) == 0, f"{len(bad)} of {got.size} outputs differ, first at {bad[0].tolist()}: " \
                          f"{got[tuple(bad[0])]!r} vs HGQ {ref[tuple(bad[0])]!r}"


@pytest.mark.parametrize("name", OWN + ["jet_classifier"])
def test_predict_equals_hgq(tmp_path, name):
    got = predict(tmp_path, model_of(name), HGQ / name / "input.csv")
    ref = load(HGQ / name / "hgq_output.csv")
    assert_bit_exact(got, ref)
    assert got.size >= 800 and len(np.unique(got)) > 8  # not a degenerate comparison


def test_fixtures_are_real_hgq_models():
    for name in OWN + ["jet_classifier"]:
        meta = json.loads((HGQ / name / "meta.json").read_text())
        assert meta["hgq"] == "0.2.6" and meta["tensorflow"].startswith("2.15")
        assert load(HGQ / name / "input.csv").shape == (meta["rows"], meta["inputs"])
        assert "FixedPointQuantizer" in meta["layers"]
        assert sum(f.stat().st_size for f in (HGQ / name).iterdir()) < 250_000


def test_info_shows_the_quantizer_types():
    t = info(HGQ / "mlp_wrap" / "model.h5")
    q = block(t, "inp_q")
    assert "Quantize" in q and "types:" in q and "AP_RND" in q
    fc1 = block(t, "fc1")
    assert "weight: ap_fixed<" in fc1 and "accum:  ap_fixed<" in fc1
    assert "ap_fixed<12," in block(t, "fc1_quantizer")  # homogeneous: one type
    # relu of the quantized sum: exact, unsigned
    assert re.search(r"out:    \(24,\) ap_ufixed<11,", block(t, "re_lu"))


def test_unary_lut_is_a_table_activation():
    t = info(HGQ / "lut_tanh" / "model.h5")
    assert "unary_lut  Activation unary_lut  [HGQ>UnaryLUT]" in t
    assert "out:    (12,) ap_fixed<7,3>" in block(t, "unary_lut")  # kif_out (1, 2, 4)


def test_model_default_does_not_replace_quantizer_types(tmp_path):
    d = HGQ / "mlp_wrap"
    got = predict(tmp_path, d / "model.h5", d / "input.csv", "--precision", "ap_fixed<8,3>")
    assert_bit_exact(got, load(d / "hgq_output.csv"))


# ---- HLS C simulation -------------------------------------------------------------------------------------

def csim(tmp_path, model, x, *extra):
    prj = tmp_path / "prj"
    run("convert", model, "--input", x, "-o", prj, *extra)
    c = run("csim", prj, check=False)
    assert c.returncode == 0, c.stdout[-2000:] + c.stderr[-2000:]
    rows = sum(1 for _ in open(prj / "tb_data" / "tb_input_features.dat"))
    assert c.stdout.strip().splitlines()[-1] == f"{rows} passed, 0 failed"
    return prj


@pytest.mark.parametrize("name", OWN + ["jet_classifier"])
def test_csim_equals_emulator(tmp_path, name):
    prj = csim(tmp_path, model_of(name), HGQ / name / "input.csv")
    # the testbench's expected outputs are the emulator's, which are HGQ's
    expected = np.loadtxt(prj / "tb_data" / "tb_output_predictions.dat", ndmin=2)
    assert_bit_exact(expected, load(HGQ / name / "hgq_output.csv"))


@pytest.mark.parametrize("name", ["mlp_wrap", "lut_tanh", "jet_classifier"])
def test_csim_io_stream(tmp_path, name):
    """Vectors move whole through io_stream: per-element quantizers work there too."""
    csim(tmp_path, model_of(name), HGQ / name / "input.csv", "--io", "stream")


def test_io_stream_refuses_pixel_dependent_quantizers(tmp_path):
    """io_stream moves one pixel per write: per-element types must repeat from pixel to pixel (hls4ml refuses
    heterogeneous quantizers in io_stream altogether)."""
    d = HGQ / "conv_sat"
    p = run("convert", d / "model.h5", "--io", "stream", "-o", tmp_path / "prj", check=False)
    assert p.returncode == 1
    assert p.stderr.strip() == (
        "error: layer 'inp_q' (HGQ>FixedPointQuantizer): element types that differ from pixel to pixel are not "
        "supported with io_stream (element 3 is ap_fixed<6,4,AP_RND,AP_SAT>, element 1 of the first pixel is "
        "ap_fixed<11,4,AP_RND,AP_SAT>); use io_parallel")
    assert not (tmp_path / "prj").exists()


# ---- oracles: HGQ itself and hls4ml's C simulation ----------------------------------------------------------

def oracle_python(venv, modules):
    """The python of tools/venv.sh `venv` (with `modules` importable), or skip."""
    import os
    import subprocess
    from pathlib import Path
    py = Path(os.environ.get("NNFPGA_CACHE", Path.home() / ".cache" / "nnfpga")) / venv / "bin" / "python"
    if not py.exists() or subprocess.run([py, "-c", f"import {modules}"], capture_output=True).returncode:
        pytest.skip(f"{modules} are not installed: tools/venv.sh {venv}")
    return py


def compare_with_hls4ml(py, model, inputs, reference):
    import os
    import subprocess
    env = dict(os.environ, NNFPGA_BIN=str(run.__globals__["NNFPGA"]))
    r = subprocess.run([py, ROOT / "tools" / "hgq_hls4ml_compare.py", model, inputs],
                       capture_output=True, text=True, env=env, timeout=900)
    assert r.returncode == 0, r.stderr[-3000:]
    res = json.loads(r.stdout.strip().splitlines()[-1])
    assert res["values"] == load(reference).size
    assert res["hls4ml_differing"] == 0 and res["hgq_differing"] == 0


@pytest.mark.parametrize("name", ["jet_classifier", "conv_sat", "lut_tanh"])
def test_equals_hls4ml_csim_and_hgq(name):
    """hls4ml 1.3's C simulation of the proxy model (its bit-exact flow) and HGQ's predict() agree with the
    emulator on every output."""
    compare_with_hls4ml(oracle_python("hgq", "hls4ml, HGQ"), model_of(name), HGQ / name / "input.csv",
                        HGQ / name / "hgq_output.csv")


# ---- HGQ2 (Keras 3) ----------------------------------------------------------------------------------------

HGQ2 = ROOT / "tests" / "fixtures" / "hgq2"
OWN2 = ["dense_wrap", "dense_sat", "conv2d", "conv1d", "pool_lut"]


@pytest.mark.parametrize("name", OWN2)
def test_hgq2_predict_equals_hgq2(tmp_path, name):
    got = predict(tmp_path, HGQ2 / name / "model.keras", HGQ2 / name / "input.csv")
    assert_bit_exact(got, load(HGQ2 / name / "hgq2_output.csv"))
    assert got.size >= 600 and len(np.unique(got)) > 50


def test_hgq2_fixtures_are_real_hgq2_models():
    for name in OWN2:
        meta = json.loads((HGQ2 / name / "meta.json").read_text())
        assert meta["hgq2"] == "0.2.0" and meta["keras"].startswith("3.") and meta["backend"] == "tensorflow"
        assert meta["layers"][1] in ("QDense", "QConv1D", "QConv2D")
        assert load(HGQ2 / name / "input.csv").shape == (meta["rows"], meta["inputs"])
        assert sum(f.stat().st_size for f in (HGQ2 / name).iterdir()) < 250_000
    assert "QMaxPooling2D" in json.loads((HGQ2 / "pool_lut" / "meta.json").read_text())["layers"]


def test_hgq2_info_shows_the_quantizers():
    t = info(HGQ2 / "dense_wrap" / "model.keras")
    assert "Quantize  [QDense]" in block(t, "d1_iq") and "types:" in block(t, "d1_iq")
    assert "Quantize  [QDense]" in block(t, "d2_oq")  # enable_oq
    assert re.search(r"weight: ap_fixed<\d+,1>", block(t, "d1"))  # the kernel quantizer applied at import


@pytest.mark.parametrize("name,io", [(n, "parallel") for n in OWN2] + [("dense_wrap", "stream"), ("dense_sat", "stream")])
def test_hgq2_csim_equals_emulator(tmp_path, name, io):
    prj = csim(tmp_path, HGQ2 / name / "model.keras", HGQ2 / name / "input.csv", "--io", io)
    expected = np.loadtxt(prj / "tb_data" / "tb_output_predictions.dat", ndmin=2)
    assert_bit_exact(expected, load(HGQ2 / name / "hgq2_output.csv"))


def test_hgq2_conv_refused_in_io_stream(tmp_path):
    p = run("convert", HGQ2 / "conv2d" / "model.keras", "--io", "stream", "-o", tmp_path / "prj", check=False)
    assert p.returncode == 1 and p.stderr.startswith("error: layer 'c1_iq' (QConv2D): element types that differ from "
                                                     "pixel to pixel are not supported with io_stream")


@pytest.mark.parametrize("name", ["dense_sat", "conv2d"])
def test_hgq2_equals_hls4ml_csim_and_hgq2(name):
    """The same for HGQ2 models: hls4ml 1.3 (Keras 3 front end) and hgq2's predict() agree with the emulator.
    (pool_lut is not compared: hls4ml 1.3 refuses QUnaryFunctionLUT's heterogeneous table quantizer.)"""
    compare_with_hls4ml(oracle_python("hgq2", "hls4ml, hgq"), HGQ2 / name / "model.keras", HGQ2 / name / "input.csv",
                        HGQ2 / name / "hgq2_output.csv")
