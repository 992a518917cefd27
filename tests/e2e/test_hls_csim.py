# HLS backend: generated projects C-simulate (g++, nnfpga's own ap types) bit for bit like the emulator, for
# every fixture and shared model in io_parallel and io_stream: the dense models under Latency and Resource
# (reuse factors 1, 2 and 4 where valid), the single-layer fixtures (layer_*) under Latency, the CNNs under
# Latency and Resource; a representative subset with the real Xilinx ap types from the hls4ml wheel;
# warning-free builds under g++ and clang++ with both ap types; deterministic, atomic generation; golden
# copies of three generated projects.
import filecmp
import json
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from conftest import FIXTURES, NNFPGA, ROOT, SHARED_MODELS, fixture_names, load, run

SHARED_DENSE = ["KERAS_3layer", "KERAS_1layer", "KERAS_3layer_batch_norm", "KERAS_3layer_70pruned_retrained"]
SHARED_CNN = ["KERAS_conv1d_small", "KERAS_conv2d_model"]
SHARED = SHARED_DENSE + SHARED_CNN
DENSE_LAYERS = {"InputLayer", "Dense", "Activation", "BatchNormalization", "Dropout", "Flatten", "Reshape", "ReLU",
                "LeakyReLU", "ELU", "PReLU", "ThresholdedReLU", "Softmax"}


def model_args(name):
    if name in SHARED:
        if not SHARED_MODELS.is_dir():
            pytest.skip("../shared/models is not present")
        k = SHARED_MODELS / "keras"
        arch = "KERAS_3layer" if name.startswith("KERAS_3layer_70") else name
        return [k / f"{arch}.json", "--weights", k / f"{name}_weights.h5"]
    return [FIXTURES / name / "model_full.h5"]


def model_input(name, tmp_path):
    """A few hundred real samples: the golden inputs or the fixture's test split."""
    if name in SHARED:
        src = SHARED_MODELS / "golden" / f"{name.replace('_70pruned_retrained', '')}_input.csv"
        rows = src.read_text().splitlines()[:300]
        dst = tmp_path / "x.csv"
        dst.write_text("\n".join(rows) + "\n")
        return dst
    return FIXTURES / name / "input.csv"


CONFIGS = [(io, strategy, rf) for io in ("parallel", "stream")
           for strategy, rf in (("latency", 1), ("resource", 1), ("resource", 2), ("resource", 4))]
LATENCY = [("parallel", "latency", 1), ("stream", "latency", 1)]
CNN = LATENCY + [("parallel", "resource", 1), ("stream", "resource", 1)]


def family(name):
    """'dense' (only Dense-family layers), 'layer' (a single-layer fixture, layer_*) or 'cnn'."""
    if name in SHARED:
        return "cnn" if name in SHARED_CNN else "dense"
    if name.startswith("layer_"):
        return "layer"
    layers = json.loads((FIXTURES / name / "meta.json").read_text())["layers"]
    return "dense" if set(layers) <= DENSE_LAYERS else "cnn"


def csim_cases():
    configs = {"dense": CONFIGS, "layer": LATENCY, "cnn": CNN}
    return [pytest.param(name, *c, id=f"{name}-{c[0]}-{c[1]}-rf{c[2]}")
            for name in fixture_names() + SHARED for c in configs[family(name)]]


def convert(tmp_path, name, io, strategy, rf, extra=()):
    out = tmp_path / "prj"
    p = run("convert", *model_args(name), "--io", io, "--strategy", strategy, "--reuse-factor", rf,
            "--input", model_input(name, tmp_path), "-o", out, *extra, check=False)
    return p, out


@pytest.mark.parametrize("name,io,strategy,rf", csim_cases())
def test_csim_equals_emulator(tmp_path, name, io, strategy, rf):
    p, prj = convert(tmp_path, name, io, strategy, rf)
    if p.returncode != 0:
        assert "is not valid for the resource strategy" in p.stderr and "valid: 1, " in p.stderr, p.stderr
        assert not prj.exists()
        pytest.skip(f"reuse factor {rf} is not valid for this model")
    c = run("csim", prj, check=False)
    assert c.returncode == 0, c.stdout[-2000:] + c.stderr[-2000:]
    rows = sum(1 for _ in open(prj / "tb_data" / "tb_input_features.dat"))
    assert c.stdout.strip().splitlines()[-1] == f"{rows} passed, 0 failed"


@pytest.mark.parametrize("name", ["KERAS_3layer", "KERAS_1layer", "KERAS_3layer_batch_norm", "KERAS_conv1d_small",
                                  "KERAS_conv2d_model"])
def test_csim_reproduces_hls4ml_golden(tmp_path, name):
    """The testbench's expected outputs are the emulator's; they equal hls4ml's golden C-simulation outputs,
    and the C simulation passes: so the generated firmware reproduces hls4ml bit for bit."""
    if not SHARED_MODELS.is_dir():
        pytest.skip("../shared/models is not present")
    k, golden = SHARED_MODELS / "keras", SHARED_MODELS / "golden"
    prj = tmp_path / "prj"
    run("convert", k / f"{name}.json", "--weights", k / f"{name}_weights.h5", "--precision", "ap_fixed<16,6>",
        "--input", golden / f"{name}_input.csv", "-o", prj)
    expected = np.loadtxt(prj / "tb_data" / "tb_output_predictions.dat", ndmin=2)
    ref = load(golden / f"{name}_hls4ml_ap_fixed_16_6.csv")
    assert expected.shape == ref.shape == (1000, ref.shape[1])
    assert np.array_equal(expected * 1024, np.round(ref * 1024))
    c = run("csim", prj)
    assert c.stdout.strip().splitlines()[-1] == "1000 passed, 0 failed"


def xilinx_ap_types():
    venv = Path(os.environ.get("NNFPGA_CACHE", Path.home() / ".cache" / "nnfpga")) / "k2"
    hits = list(venv.glob("lib/python3*/site-packages/hls4ml/templates/vivado/ap_types"))
    if not hits:
        pytest.skip("hls4ml (with the Xilinx ap_types headers) is not installed: tools/venv.sh k2")
    return hits[0]


# A subset covering vectors, pixel streams, line buffers (convolutions of every kind, pooling), the layout
# layers, clones and skip FIFOs, merges and concatenation.
XILINX = ["KERAS_3layer", "wine_advanced", "digits_skip_concat", "digits_conv_autoencoder", "KERAS_conv1d_small",
          "layer_channels_first_layers", "layer_concat_axes", "layer_merge_ops"]


@pytest.mark.parametrize("io", ["parallel", "stream"])
@pytest.mark.parametrize("name", XILINX)
def test_csim_with_xilinx_ap_types(tmp_path, name, io):
    ap = xilinx_ap_types()
    p, prj = convert(tmp_path, name, io, "latency", 1)
    assert p.returncode == 0, p.stderr
    c = run("csim", prj, "--ap-types", ap, check=False)
    assert c.returncode == 0, c.stdout[-2000:] + c.stderr[-2000:]
    assert c.stdout.strip().splitlines()[-1].endswith("passed, 0 failed")


@pytest.mark.parametrize("cxx", ["g++", "clang++"])
@pytest.mark.parametrize("io", ["parallel", "stream"])
@pytest.mark.parametrize("name,strategy", [("wine_advanced", "latency"), ("digits_skip_concat", "resource"),
                                           ("layer_channels_first_layers", "latency")])
def test_generated_code_is_warning_free(tmp_path, cxx, io, name, strategy):
    """-Wall -Wextra -Werror with nnfpga's ap types (C++17 built at -O1, which enables the flow-based warnings;
    C++11 checked by the front end), and with the Xilinx ones (C++17, front end: with optimisation g++ 12 flags
    uninitialized values inside the Xilinx headers' own operators, in every project that uses them; their other
    warnings are theirs too: -isystem)."""
    if not shutil.which(cxx):
        pytest.skip(f"{cxx} is not installed")
    p, prj = convert(tmp_path, name, io, strategy, 1)
    assert p.returncode == 0, p.stderr
    builds = [("c++17", ["-O1", "-o", "t"], "-Ifirmware/ap_types"), ("c++11", ["-fsyntax-only"], "-Ifirmware/ap_types")]
    try:
        builds.append(("c++17", ["-fsyntax-only"], f"-isystem{xilinx_ap_types()}"))
    except pytest.skip.Exception:
        pass
    for std, mode, ap in builds:
        r = subprocess.run([cxx, f"-std={std}", *mode, "-Wall", "-Wextra", "-Werror", "-Ifirmware", "-Ifirmware/nnfpga",
                            ap, "myproject_test.cpp", "firmware/myproject.cpp"], cwd=prj, capture_output=True, text=True)
        assert r.returncode == 0, f"{std} {mode} {ap}:\n" + r.stderr[-3000:]


def test_generation_is_deterministic(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for d in (a, b):
        run("convert", FIXTURES / "digits_mlp" / "model.keras", "--io", "stream", "-o", d)
    cmp = filecmp.dircmp(a, b)

    def same(c):
        return not c.diff_files and not c.left_only and not c.right_only and all(same(s) for s in c.subdirs.values())
    assert same(cmp)


def test_failed_conversion_leaves_nothing(tmp_path):
    out = tmp_path / "prj"
    p = run("convert", FIXTURES / "wine_advanced" / "model_full.h5", "--strategy", "resource", "--reuse-factor", 4,
            "-o", out, check=False)
    assert p.returncode == 1
    assert p.stderr.strip() == ("error: layer 'dense_1' (Dense): reuse factor 4 is not valid for the resource "
                                "strategy with 13 inputs and 16 outputs; valid: 1, 13, 26, 52, 104, 208")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("strategy,rf,message", [
    ("resource", 4, "reuse factor 4 is not valid for the resource strategy with a 3x3 window over 1 channel and 8 "
                    "filters (9 inputs and 8 outputs per pixel); valid: 1, 3, 9, 18, 36, 72"),
    ("latency", 100, "reuse factor 100 exceeds the 72 multiplications per output pixel of the layer")])
def test_conv_reuse_factor_is_checked(tmp_path, strategy, rf, message):
    out = tmp_path / "prj"
    p = run("convert", FIXTURES / "digits_cnn" / "model_full.h5", "--strategy", strategy, "--reuse-factor", rf,
            "-o", out, check=False)
    assert p.returncode == 1
    assert p.stderr.strip() == "error: layer 'conv_1' (Conv2D): " + message
    assert not out.exists()


def test_two_projects_link_together(tmp_path):
    """Names are namespaced per project: two generated models link into one program."""
    for name, fx in (("model_a", "iris_functional"), ("model_b", "wine_advanced")):
        run("convert", FIXTURES / fx / "model_full.h5", "--project", name, "-o", tmp_path / name)
    main = tmp_path / "main.cpp"
    main.write_text('#include "model_a/firmware/model_a.h"\n#include "model_b/firmware/model_b.h"\n'
                    "int main() {\n"
                    "  nnfpga_model_a::input_t a[4] = {}; nnfpga_model_a::result_t ya[3];\n"
                    "  nnfpga_model_b::input_t b[13] = {}; nnfpga_model_b::result_t yb[3];\n"
                    "  model_a(a, ya); model_b(b, yb); return 0;\n}\n")
    inc = []
    for name in ("model_a", "model_b"):
        inc += [f"-I{tmp_path / name / 'firmware'}", f"-I{tmp_path / name / 'firmware' / 'nnfpga'}"]
    inc.append(f"-I{tmp_path / 'model_a' / 'firmware' / 'ap_types'}")
    r = subprocess.run(["g++", "-std=c++17", *inc, "-I", tmp_path, main, tmp_path / "model_a/firmware/model_a.cpp",
                        tmp_path / "model_b/firmware/model_b.cpp", "-o", tmp_path / "both"], capture_output=True,
                       text=True)
    assert r.returncode == 0, r.stderr[-3000:]
    assert subprocess.run([tmp_path / "both"]).returncode == 0


GOLDEN = ROOT / "tests" / "golden" / "hls"


def test_golden_projects_are_current(tmp_path):
    """tools/update_goldens regenerates tests/golden/hls; the generated files must equal the committed ones."""
    env = dict(os.environ, NNFPGA_BIN=str(NNFPGA))
    work = tmp_path / "repo"
    shutil.copytree(ROOT / "tools", work / "tools")
    shutil.copytree(ROOT / "tests" / "fixtures", work / "tests" / "fixtures")
    r = subprocess.run([work / "tools" / "update_goldens"], cwd=work, env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    cmp = filecmp.dircmp(GOLDEN, work / "tests" / "golden" / "hls")

    def diffs(c, prefix=""):
        out = [prefix + f for f in c.diff_files + c.left_only + c.right_only]
        for k, s in c.subdirs.items():
            out += diffs(s, prefix + k + "/")
        return out
    assert diffs(cmp) == [], "generated projects changed: run tools/update_goldens and review the diff"


def test_build_without_vitis_says_so(tmp_path):
    prj = tmp_path / "prj"
    run("convert", FIXTURES / "iris_functional" / "model_full.h5", "-o", prj)
    env = dict(os.environ, PATH="/usr/bin:/bin")
    if shutil.which("vitis_hls", path=env["PATH"]) or shutil.which("vivado_hls", path=env["PATH"]):
        pytest.skip("Vitis HLS is installed here")
    p = subprocess.run([str(NNFPGA), "build", prj], capture_output=True, text=True, env=env)
    assert p.returncode == 1
    assert p.stderr.strip() == (f"error: vitis_hls is not on PATH: install Vitis HLS to synthesize {prj} "
                                f"(C simulation needs no vendor tools: nnfpga csim {prj})")


def test_csim_of_a_missing_project(tmp_path):
    p = run("csim", tmp_path / "nope", check=False)
    assert p.returncode == 1 and p.stderr.strip() == f"error: {tmp_path / 'nope'}: no such project folder"
