# Bad input: one line "error: …" naming the file or the layer, exit code 1 (bad input) or 2 (bad usage),
# no crash, no stack trace, no output file. Each case pins its message.
import json
import shutil

import pytest

from conftest import FIXTURES, run

D = FIXTURES / "digits_mlp"


def check(p, code, message, out=None):
    assert p.returncode == code, p.stderr
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1, p.stderr
    assert lines[0] == "error: " + message
    if out is not None:
        assert not out.exists()


def test_missing_model(tmp_path):
    out = tmp_path / "y.csv"
    check(run("predict", tmp_path / "nope.h5", "--input", D / "input.csv", "--output", out, check=False),
          1, f"{tmp_path / 'nope.h5'}: no such file", out)


@pytest.mark.parametrize("cut", [100, 2000, 5000, 20000])
def test_truncated_h5(tmp_path, cut):
    bad = tmp_path / "m.h5"
    bad.write_bytes((D / "model_full.h5").read_bytes()[:cut])
    p = run("info", bad, check=False)
    assert p.returncode == 1
    assert p.stderr.startswith(f"error: {bad}: ") and len(p.stderr.strip().splitlines()) == 1


def test_truncated_h5_message(tmp_path):
    bad = tmp_path / "m.h5"
    bad.write_bytes((D / "model_full.h5").read_bytes()[:5000])
    check(run("info", bad, check=False), 1,
          f"{bad}: truncated or corrupt HDF5 file (only 5000 of its 32360 bytes are present)")


def test_not_hdf5(tmp_path):
    bad = tmp_path / "m.h5"
    bad.write_bytes(b"this is not hdf5 at all" * 100)
    p = run("info", bad, check=False)
    assert p.returncode == 1 and p.stderr.startswith(f"error: {bad}: ")


def test_corrupt_json(tmp_path):
    bad = tmp_path / "m.json"
    bad.write_text('{"class_name": \n')
    check(run("info", bad, "--weights", D / "model_weights.h5", check=False), 1,
          f"{bad}: invalid JSON: parse error at line 2, column 1: syntax error while parsing value - "
          "unexpected end of input; expected '[', '{', or a literal")


def test_truncated_keras_zip(tmp_path):
    bad = tmp_path / "m.keras"
    bad.write_bytes((D / "model.keras").read_bytes()[:3000])
    check(run("info", bad, check=False), 1,
          f"{bad}: truncated or corrupt .keras archive (the zip directory at its end is missing)")


def test_json_needs_weights():
    check(run("info", D / "model.json", check=False), 1,
          f"{D / 'model.json'}: a JSON architecture needs a weights file (--weights)")


def test_unsupported_layers_listed_at_once(tmp_path):
    cfg = json.loads((D / "model.json").read_text())
    layers = cfg["config"]["layers"]
    kinds = {"Dropout": "Lambda", "BatchNormalization": "Conv2D"}
    names = []
    for layer in layers:
        if layer["class_name"] in kinds:
            layer["class_name"] = kinds[layer["class_name"]]
            names.append(f"'{layer['config']['name']}' ({layer['class_name']})")
    bad = tmp_path / "m.json"
    bad.write_text(json.dumps(cfg))
    check(run("info", bad, "--weights", D / "model_weights.h5", check=False), 1,
          f"{bad}: unsupported layers: " + ", ".join(sorted(names)))


def test_wrong_number_of_columns(tmp_path):
    x = tmp_path / "x.csv"
    x.write_text("\n".join(",".join(row.split(",")[:63]) for row in (D / "input.csv").read_text().splitlines()))
    out = tmp_path / "y.csv"
    check(run("predict", D / "model_full.h5", "--input", x, "--output", out, check=False), 1,
          f"{x}: 63 values per sample, the model input 'input_1' takes 64", out)


def test_not_a_number_in_input(tmp_path):
    x = tmp_path / "x.csv"
    x.write_text("1,2,abc\n")
    out = tmp_path / "y.csv"
    check(run("predict", D / "model_full.h5", "--input", x, "--output", out, check=False), 1,
          f"{x}: line 1: not a number: 'abc'", out)


def test_invalid_precision_flag(tmp_path):
    out = tmp_path / "y.csv"
    check(run("predict", D / "model_full.h5", "--precision", "ap_fixd<16,6>", "--input", D / "input.csv",
              "--output", out, check=False), 2,
          "--precision: invalid type 'ap_fixd<16,6>': unknown type name 'ap_fixd' (expected ap_fixed, ap_ufixed, "
          "ap_int, ap_uint, or fixed, ufixed, int, uint)", out)


def test_invalid_type_in_config(tmp_path):
    cfg = tmp_path / "c.yml"
    cfg.write_text("HLSConfig:\n  LayerName:\n    dense_1:\n      Precision: ap_fixed<70,6>\n")
    out = tmp_path / "y.csv"
    check(run("predict", D / "model_full.h5", "--config", cfg, "--input", D / "input.csv", "--output", out,
              check=False), 1,
          f"{cfg}: HLSConfig.LayerName.dense_1.Precision: invalid type 'ap_fixed<70,6>': "
          "width must be between 1 and 64, got 70", out)


def test_missing_required_option(tmp_path):
    check(run("predict", D / "model_full.h5", "--input", D / "input.csv", check=False), 2,
          "--output is required")


def test_no_partial_output_on_failure(tmp_path):
    """A failing predict leaves neither the output nor a temporary file behind."""
    out = tmp_path / "y.csv"
    run("predict", D / "model_full.h5", "--input", tmp_path / "missing.csv", "--output", out, check=False)
    assert list(tmp_path.iterdir()) == []


