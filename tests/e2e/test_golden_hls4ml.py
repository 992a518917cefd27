# hls4ml compatibility: nnfpga's fixed-point emulation reproduces hls4ml 1.3.0's C simulation
# (ap_fixed<16,6> everywhere) bit for bit on the example models (dense, batch-norm, Conv1D and Conv2D networks), all 1000 rows.
import numpy as np
import pytest

from conftest import load, run

MODELS = ["KERAS_3layer", "KERAS_1layer", "KERAS_3layer_batch_norm", "KERAS_conv1d_small", "KERAS_conv2d_model"]


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("fmt", ["csv", "npy"])
def test_golden_bit_exact(shared_models, tmp_path, name, fmt):
    keras = shared_models / "keras"
    golden = shared_models / "golden"
    inp = golden / f"{name}_input.csv"
    if fmt == "npy":
        x = load(inp).astype(np.float32)
        inp = tmp_path / "x.npy"
        np.save(inp, x)
    out = tmp_path / f"y.{fmt}"
    run("predict", keras / f"{name}.json", "--weights", keras / f"{name}_weights.h5",
        "--precision", "ap_fixed<16,6>", "--input", inp, "--output", out)
    ours = np.load(out) if fmt == "npy" else load(out)
    ref = load(golden / f"{name}_hls4ml_ap_fixed_16_6.csv")
    assert ours.shape == ref.shape == (1000, ref.shape[1])
    raw = ours * 2**10  # ap_fixed<16,6>: 10 fractional bits; the golden file prints 9 decimals
    assert np.array_equal(raw, np.round(raw))
    mismatched = np.any(raw != np.round(ref * 2**10), axis=1)
    assert mismatched.sum() == 0, f"{mismatched.sum()} rows differ, first at {np.argmax(mismatched)}"


def test_golden_through_hls4ml_config(shared_models, tmp_path):
    """The hls4ml YAML that ships with the models (relative KerasJson/KerasH5 paths) gives the same bits."""
    golden = shared_models / "golden"
    out = tmp_path / "y.csv"
    run("predict", "--config", shared_models / "config" / "keras-config.yml",
        "--input", golden / "KERAS_3layer_input.csv", "--output", out)
    ref = load(golden / "KERAS_3layer_hls4ml_ap_fixed_16_6.csv")
    assert np.array_equal(load(out) * 1024, np.round(ref * 1024))


def test_wrong_precision_differs(shared_models, tmp_path):
    """The comparison can fail: another precision gives other bits."""
    keras, golden = shared_models / "keras", shared_models / "golden"
    out = tmp_path / "y.csv"
    run("predict", keras / "KERAS_3layer.json", "--weights", keras / "KERAS_3layer_weights.h5",
        "--precision", "ap_fixed<12,4>", "--input", golden / "KERAS_3layer_input.csv", "--output", out)
    ref = load(golden / "KERAS_3layer_hls4ml_ap_fixed_16_6.csv")
    assert not np.array_equal(np.round(load(out) * 1024), np.round(ref * 1024))
