# Bit-exact widths (--bit-exact / Model.BitExact): on every fixture and shared model, 10,000 random samples
# spanning the input type never overflow; the accumulators total no more bits than hls4ml's 'auto' rule gives;
# results equal the configured mode's wherever that mode does not overflow (same fractional bits), and the
# QKeras models' own outputs bit for bit; the generated HLS projects C-simulate like the emulator.
import re

import numpy as np
import pytest

from conftest import FIXTURES, ROOT, SHARED_MODELS, fixture_names, load, run
from test_hgq import HGQ, HGQ2, OWN, OWN2
from test_hgq import assert_bit_exact as assert_hgq_exact
from test_qkeras import QKERAS, assert_bit_exact, exact, qkeras_names

SHARED = {
    "KERAS_3layer": ("KERAS_3layer.json", "KERAS_3layer_weights.h5"),
    "KERAS_3layer_batch_norm": ("KERAS_3layer_batch_norm.json", "KERAS_3layer_batch_norm_weights.h5"),
    "KERAS_3layer_70pruned": ("KERAS_3layer.json", "KERAS_3layer_70pruned_retrained_weights.h5"),
    "KERAS_conv1d_small": ("KERAS_conv1d_small.json", "KERAS_conv1d_small_weights.h5"),
    "KERAS_conv2d_model": ("KERAS_conv2d_model.json", "KERAS_conv2d_model_weights.h5"),
    "qkeras_3layer": ("qkeras_3layer.json", "qkeras_3layer_weights.h5"),
    "qkeras_mnist_dense": ("qkeras_mnist_dense.json", "qkeras_mnist_dense_weights.h5"),
    "KERAS_3layer_binary_smaller": ("KERAS_3layer_binary_smaller.json", "KERAS_3layer_binary_smaller_weights.h5"),
    "KERAS_3layer_ternary_small": ("KERAS_3layer_ternary_small.json", "KERAS_3layer_ternary_small_weights.h5"),
    "hgq_jet_classifier": ("hgq_jet_classifier.h5", None),
}

CASES = [f"keras/{n}" for n in fixture_names()] + [f"qkeras/{n}" for n in qkeras_names()] + \
        [f"hgq/{n}" for n in OWN] + [f"hgq2/{n}" for n in OWN2] + [f"shared/{n}" for n in SHARED]


def model_args(case):
    kind, name = case.split("/")
    if kind == "shared":
        if not SHARED_MODELS.is_dir():
            pytest.skip("../shared/models is not present")
        arch, weights = SHARED[name]
        return [SHARED_MODELS / "keras" / arch] + (["--weights", SHARED_MODELS / "keras" / weights] if weights else [])
    if kind == "hgq":
        return [HGQ / name / "model.h5"]
    if kind == "hgq2":
        return [HGQ2 / name / "model.keras"]
    return [(FIXTURES if kind == "keras" else QKERAS) / name / "model_full.h5"]


TYPE = re.compile(r"ap_(u?)(fixed|int)<(\d+)(?:,\s*(-?\d+))?")


def input_types(info):
    """(element count, signed, width, integer bits) of each model input, from `nnfpga info`."""
    out = []
    for m in re.finditer(r"^\S+  Input .*\n  out:\s+\(([\d, ]*)\) (\S+)", info, re.M):
        count = int(np.prod([int(v) for v in m.group(1).replace(" ", "").strip(",").split(",")]))
        t = TYPE.match(m.group(2))
        width = int(t.group(3))
        integer = width if t.group(2) == "int" else int(t.group(4))
        out.append((count, t.group(1) != "u", width, integer))
    assert out, info
    return out


def random_inputs(info, rows=10_000, seed=7):
    """Samples spread uniformly over every value of each input's type."""
    rng = np.random.default_rng(seed)
    cols = []
    for count, signed, width, integer in input_types(info):
        lo, hi = (-(2 ** (width - 1)), 2 ** (width - 1) - 1) if signed else (0, 2 ** width - 1)
        cols.append(rng.integers(lo, hi, size=(rows, count), endpoint=True) * 2.0 ** (integer - width))
    return np.hstack(cols)


def summary(info):
    m = re.search(r"^bit-exact widths: accumulators (\d+) bits \(hls4ml 'auto': (\d+), .*\), results (\d+) bits",
                  info, re.M)
    assert m, info
    return tuple(int(v) for v in m.groups())


@pytest.mark.parametrize("case", CASES)
def test_no_overflow_and_no_wider_than_auto(tmp_path, case):
    args = model_args(case)
    info = run("info", *args, "--bit-exact").stdout
    acc, auto_acc, _ = summary(info)
    assert acc <= auto_acc
    x = tmp_path / "x.npy"
    np.save(x, random_inputs(info))
    p = run("predict", *args, "--bit-exact", "--input", x, "--output", tmp_path / "y.npy")
    assert "warning" not in p.stderr and re.search(r"^overflow: none in \d+ layers$", p.stderr, re.M), p.stderr


# The configured mode with exact products (hls4ml's 'auto' accumulators), for the comparison below.
AUTO_ACCUM = "HLSConfig:\n  Model:\n    Precision: ap_fixed<16,6>\n  LayerType:\n" + "".join(
    f"    {k}: {{Precision: {{accum: auto}}}}\n" for k in
    ["Dense", "Conv1D", "Conv2D", "DepthwiseConv1D", "DepthwiseConv2D", "SeparableConv1D", "SeparableConv2D",
     "Conv1DTranspose", "Conv2DTranspose", "Dot"])


@pytest.mark.parametrize("name", fixture_names())
def test_same_values_as_exact_accumulators_without_overflow(tmp_path, name):
    """Bit-exact mode keeps the configured fractional bits of every result: against the configured types with
    exact products ('auto' accumulators), on the fixture's own samples and where those types do not overflow,
    every layer's output is the same. Softmax is left out: hls4ml's softmax indexes its tables by its input
    type's integer bits, which bit-exact mode changes."""
    model, x = FIXTURES / name / "model_full.h5", FIXTURES / name / "input.csv"
    cfg = tmp_path / "auto.yml"
    cfg.write_text(AUTO_ACCUM)
    p = run("predict", model, "--config", cfg, "--input", x, "--output", tmp_path / "a.csv", "--trace", tmp_path / "a")
    if "overflow: none" not in p.stderr:
        pytest.skip("the configured types overflow on this fixture's samples")
    run("predict", model, "--bit-exact", "--input", x, "--output", tmp_path / "b.csv", "--trace", tmp_path / "b",
        "--quiet")
    kinds = dict(re.findall(r"^(\S+)  (\S+)", run("info", model).stdout, re.M))
    compared = 0
    for f in sorted((tmp_path / "a").iterdir()):
        if kinds.get(f.stem) == "Softmax":
            continue
        assert np.array_equal(load(f), load(tmp_path / "b" / f.name)), f.stem
        compared += 1
    assert compared >= 2


@pytest.mark.parametrize("name", qkeras_names())
def test_qkeras_outputs_unchanged(tmp_path, name):
    d = QKERAS / name
    run("predict", d / "model_full.h5", "--bit-exact", "--input", d / "input.csv", "--output", tmp_path / "y.csv",
        "--quiet")
    assert_bit_exact(load(tmp_path / "y.csv"), load(d / "qkeras_output.csv"), exact(name))


@pytest.mark.parametrize("case", [f"hgq/{n}" for n in OWN] + [f"hgq2/{n}" for n in OWN2])
def test_hgq_outputs_unchanged(tmp_path, case):
    kind, name = case.split("/")
    d = (HGQ if kind == "hgq" else HGQ2) / name
    run("predict", *model_args(case), "--bit-exact", "--input", d / "input.csv", "--output", tmp_path / "y.csv",
        "--quiet")
    assert_hgq_exact(load(tmp_path / "y.csv"), load(d / f"{kind}_output.csv"))


@pytest.mark.parametrize("io", ["parallel", "stream"])
@pytest.mark.parametrize("case", ["keras/wine_advanced", "keras/digits_cnn", "keras/digits_skip_concat",
                                  "keras/layer_merge_ops", "qkeras/bits_relu", "shared/KERAS_3layer"])
def test_csim_equals_emulator(tmp_path, case, io):
    args = model_args(case)
    info = run("info", *args, "--bit-exact").stdout
    x = tmp_path / "x.npy"
    np.save(x, random_inputs(info, rows=300, seed=3))
    prj = tmp_path / "prj"
    run("convert", *args, "--bit-exact", "--io", io, "--input", x, "-o", prj)
    c = run("csim", prj, check=False)
    assert c.returncode == 0, c.stdout[-2000:] + c.stderr[-2000:]
    assert c.stdout.strip().splitlines()[-1] == "300 passed, 0 failed"


def test_config_key_equals_flag(tmp_path):
    cfg = tmp_path / "c.yml"
    cfg.write_text("HLSConfig:\n  Model:\n    Precision: ap_fixed<16,6>\n    BitExact: true\n")
    model = FIXTURES / "wine_advanced" / "model_full.h5"
    assert run("info", model, "--config", cfg).stdout == run("info", model, "--bit-exact").stdout


def test_bit_exact_under_layer_name_warns(tmp_path):
    cfg = tmp_path / "c.yml"
    cfg.write_text("HLSConfig:\n  LayerName:\n    dense_1:\n      BitExact: true\n")
    p = run("info", FIXTURES / "wine_advanced" / "model_full.h5", "--config", cfg)
    assert f"warning: key 'BitExact' at HLSConfig.LayerName.dense_1 in {cfg} has no effect: it applies to the " \
           "whole model (HLSConfig.Model)" in p.stderr, p.stderr
    assert "bit-exact widths" not in p.stdout
