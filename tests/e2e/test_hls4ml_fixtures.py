# nnfpga's fixed-point emulation vs hls4ml 1.3.0's C simulation on the project's own Keras fixtures, bit for bit.
# The hls4ml outputs are stored beside each fixture by tools/make_hls4ml_references.py (hls4ml.json says how, or
# why hls4ml cannot run the model).
import json

import numpy as np
import pytest

from conftest import FIXTURES, fixture_names, load, run


def hls4ml_info(name):
    p = FIXTURES / name / "hls4ml.json"
    return json.loads(p.read_text()) if p.exists() else None


SUPPORTED = [n for n in fixture_names() if (hls4ml_info(n) or {}).get("status") == "ok"]


def test_most_fixtures_have_an_hls4ml_reference():
    """Every fixture has a record, and hls4ml runs the bulk of them (the rest say why not)."""
    names = fixture_names()
    missing = [n for n in names if hls4ml_info(n) is None]
    assert not missing, f"run tools/make_hls4ml_references.py for {missing}"
    for n in names:
        info = hls4ml_info(n)
        assert info["status"] == "ok" or info.get("reason"), n
    assert len(SUPPORTED) >= 25


@pytest.mark.parametrize("name", SUPPORTED)
def test_emulator_equals_hls4ml(tmp_path, name):
    d = FIXTURES / name
    out = tmp_path / "y.csv"
    run("predict", d / "model_full.h5", "--precision", "ap_fixed<16,6>", "--input", d / "input.csv",
        "--output", out, "--quiet")
    ours, ref = load(out), load(d / "hls4ml_output.csv")
    assert ours.shape == ref.shape
    raw = ours * 2**10
    assert np.array_equal(raw, np.round(raw))
    mismatched = np.any(raw != np.round(ref * 2**10), axis=1)
    assert mismatched.sum() == 0, f"{mismatched.sum()} of {len(raw)} rows differ, first at {np.argmax(mismatched)}"
