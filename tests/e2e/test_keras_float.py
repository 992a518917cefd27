# Float mode vs Keras: the emulator's float64 reference agrees with Keras' own predictions within float32
# rounding (max |diff| <= 1e-5 x the output's scale), for every fixture and all three Keras formats.
import numpy as np
import pytest

from conftest import FIXTURES, fixture_names, load, run

FORMATS = {
    "json": (lambda d: [d / "model.json", "--weights", d / "model_weights.h5"], "keras_output.csv"),
    "h5": (lambda d: [d / "model_full.h5"], "keras_output.csv"),
    "keras": (lambda d: [d / "model.keras"], "keras3_output.csv"),
}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("name", fixture_names())
def test_float_matches_keras(tmp_path, name, fmt):
    d = FIXTURES / name
    args, ref_file = FORMATS[fmt]
    out = tmp_path / "y.csv"
    run("predict", *args(d), "--float", "--input", d / "input.csv", "--output", out)
    ours, ref = load(out), load(d / ref_file)
    assert ours.shape == ref.shape
    scale = np.abs(ref).max()
    assert np.abs(ours - ref).max() <= 1e-5 * scale


@pytest.mark.parametrize("name", fixture_names())
def test_fixed_point_traces_close_to_float(tmp_path, name):
    """At a generous precision every layer's fixed-point trace stays within table resolution of the float
    trace (softmax excluded: hls4ml's table indexing is coarse by design for wide inputs)."""
    if name == "cancer_acts":
        pytest.skip("its softplus inputs reach 14, beyond hls4ml's softplus table range [-8, 8)")
    d = FIXTURES / name
    for mode in ("fixed", "float"):
        extra = ["--float"] if mode == "float" else ["--precision", "ap_fixed<32,12>"]
        run("predict", d / "model_full.h5", *extra, "--input", d / "input.csv", "--output", tmp_path / f"{mode}.csv",
            "--trace", tmp_path / mode, "--quiet")
    files = sorted(p.name for p in (tmp_path / "float").iterdir())
    assert len(files) >= 2  # the input and every layer (a layer_* fixture may have a single layer)
    for f in files:
        if "softmax" in f:
            continue
        fx, fl = load(tmp_path / "fixed" / f), load(tmp_path / "float" / f)
        scale = max(np.abs(fl).max(), 1.0)
        assert np.abs(fx - fl).max() <= 0.03 * scale, f
