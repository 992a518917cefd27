# Bad input and bad usage of profile and scan: one line "error: …", exit 1 (bad input) or 2 (bad usage), and no
# output file (nor a temporary one) left behind.
import pytest

from conftest import FIXTURES, run

D = FIXTURES / "digits_mlp"
MODEL = D / "model_full.h5"


def check(p, code, message, folder=None):
    assert p.returncode == code, p.stderr
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1, p.stderr
    assert lines[0] == "error: " + message
    if folder is not None:
        assert list(folder.iterdir()) == []


def profile(*args):
    return run("profile", MODEL, *args, check=False)


def scan(*args):
    return run("scan", MODEL, *args, check=False)


def test_profile_plot_extension(tmp_path):
    check(profile("--input", D / "input.csv", "--plot", tmp_path / "p.jpg"), 2,
          f"--plot: '{tmp_path / 'p.jpg'}' must end in .svg or .png", tmp_path)


def test_profile_output_extension(tmp_path):
    check(profile("--input", D / "input.csv", "--output", tmp_path / "s.txt"), 2,
          f"--output: '{tmp_path / 's.txt'}' must end in .yml or .yaml", tmp_path)


def test_profile_bits_range(tmp_path):
    check(profile("--input", D / "input.csv", "--bits", "65", "--output", tmp_path / "s.yml"), 2,
          "--bits: Value 65 not in range 1 to 64", tmp_path)


def test_profile_needs_input():
    check(profile(), 2, "--input is required")


def test_profile_missing_output_folder(tmp_path):
    out = tmp_path / "nope" / "s.yml"
    check(profile("--input", D / "input.csv", "--output", out), 1, f"{out}: no such folder '{tmp_path / 'nope'}'",
          tmp_path)


def test_profile_output_is_a_folder(tmp_path):
    (tmp_path / "s.yml").mkdir()
    check(profile("--input", D / "input.csv", "--output", tmp_path / "s.yml"), 1,
          f"{tmp_path / 's.yml'}: is a folder, expected a file name")


def test_profile_bad_input_writes_nothing(tmp_path):
    x = tmp_path / "in" / "x.csv"
    x.parent.mkdir()
    x.write_text("1,2,3\n")
    out = tmp_path / "out"
    out.mkdir()
    check(profile("--input", x, "--output", out / "s.yml", "--plot", out / "p.png"), 1,
          f"{x}: 3 values per sample, the model input 'input_1' takes 64", out)


def test_profile_no_samples(tmp_path):
    x = tmp_path / "x.csv"
    x.write_text("# nothing\n")
    check(profile("--input", x), 1, f"{x}: no samples")


def test_profile_invalid_config_type(tmp_path):
    cfg = tmp_path / "c.yml"
    cfg.write_text("HLSConfig:\n  Model:\n    Precision: ap_fixed<16,6,AP_FOO>\n")
    out = tmp_path / "out"
    out.mkdir()
    p = profile("--config", cfg, "--input", D / "input.csv", "--output", out / "s.yml")
    assert p.returncode == 1 and p.stderr.startswith(f"error: {cfg}: HLSConfig.Model.Precision: invalid type ")
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("bits", ["3:70", "0:4", "abc", "8:4", "4:18:0", "4:", "", "8,,9"])
def test_scan_bits(tmp_path, bits):
    check(scan("--input", D / "input.csv", "--bits", bits, "--output", tmp_path / "s.csv"), 2,
          f"--bits: invalid value '{bits}' (expected widths such as 4:18, 4:18:2 or 8,12,16, each from 1 to 64)",
          tmp_path)


def test_scan_integer_range():
    check(scan("--input", D / "input.csv", "--integer", "5000"), 2,
          "--integer: invalid value 5000 (expected -1000 to 1000)")


def test_scan_output_extension(tmp_path):
    check(scan("--input", D / "input.csv", "--output", tmp_path / "s.txt"), 2,
          f"--output: '{tmp_path / 's.txt'}' must end in .csv", tmp_path)


def test_scan_label_count(tmp_path):
    lab = tmp_path / "in" / "l.csv"
    lab.parent.mkdir()
    lab.write_text("1\n2\n3\n")
    out = tmp_path / "out"
    out.mkdir()
    check(scan("--input", D / "input.csv", "--labels", lab, "--output", out / "s.csv", "--plot", out / "s.svg"), 1,
          f"{lab}: 3 labels for 200 samples", out)


def test_scan_label_out_of_range(tmp_path):
    lab = tmp_path / "l.csv"
    rows = (D / "labels.csv").read_text().split()
    rows[1] = "12"
    lab.write_text("\n".join(rows) + "\n")
    check(scan("--input", D / "input.csv", "--labels", lab), 1,
          f"{lab}: row 2: expected a class index from 0 to 9, got 12")


def test_scan_label_not_an_index(tmp_path):
    lab = tmp_path / "l.csv"
    lab.write_text("0.5\n" * 200)
    check(scan("--input", D / "input.csv", "--labels", lab), 1,
          f"{lab}: row 1: expected a class index from 0 to 9, got 0.5")


def test_scan_label_width(tmp_path):
    lab = tmp_path / "l.csv"
    lab.write_text("0,1,0\n" * 200)
    check(scan("--input", D / "input.csv", "--labels", lab), 1,
          f"{lab}: 3 values per row, expected 1 (a class index) or 10 (one-hot, one per model output)")
