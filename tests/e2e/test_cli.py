# The command-line contract other tools rely on: --version, info, predict (CSV/.npy, threads, trace, overflow
# warnings), report, and configuration precedence (command line over YAML over defaults).
import re

import numpy as np

from conftest import FIXTURES, ROOT, load, run

D = FIXTURES / "digits_mlp"


def test_version():
    p = run("--version")
    assert re.fullmatch(r"nnfpga \d+\.\d+\.\d+\n", p.stdout)


def test_info_lists_layers_types_and_counts():
    p = run("info", D / "model_full.h5")
    out = p.stdout
    for name in ["input_1", "dense_1", "dense_1_relu", "batch_norm_1", "dense_3_softmax"]:
        assert re.search(rf"^{name}  ", out, re.M), name
    assert "dense_1  Dense" in out
    assert "  out:    (32,) ap_fixed<16,6>" in out
    assert "  accum:  ap_fixed<16,6>" in out
    # 64*32 + 32*16 + 16*10 weights; biases 32+16+10; batch norm 2*32
    assert "params: 2080 (" in out
    m = re.search(r"^total: (\d+) layers, (\d+) params \((\d+) nonzero\), (\d+) mults", out, re.M)
    assert m and int(m.group(2)) == 2080 + 528 + 170 + 64 and int(m.group(4)) == 2048 + 512 + 160 + 32 + 10  # dense, batch norm, softmax


def test_info_counts_pruned_weights(shared_models):
    """A 70 %-pruned model shows its nonzero multiplications."""
    k = shared_models / "keras"
    out = run("info", k / "KERAS_3layer.json", "--weights", k / "KERAS_3layer_70pruned_retrained_weights.h5").stdout
    m = re.search(r"^total: .* (\d+) mults \((\d+) nonzero\)", out, re.M)
    total, nonzero = int(m.group(1)), int(m.group(2))
    assert total == 16 * 64 + 64 * 32 + 32 * 32 + 32 * 5 + 5  # dense + softmax
    assert nonzero < 0.35 * total


def test_info_counts_weights_quantized_to_zero_as_pruned(shared_models):
    """A weight that the weight type rounds to zero costs no multiplier either."""
    k = shared_models / "keras"
    def nonzero(precision):
        out = run("info", k / "KERAS_3layer.json", "--weights", k / "KERAS_3layer_weights.h5", "--precision", precision).stdout
        return int(re.search(r"^total: .* mults \((\d+) nonzero\)", out, re.M).group(1))
    # At 16 bits 12 of the 4256 weights quantize to zero; at ap_fixed<8,3> (lsb 2^-5, truncation) a further 236
    # small positive weights truncate to zero.
    assert nonzero("ap_fixed<16,6>") == 4249
    assert nonzero("ap_fixed<8,3>") == 4013


def test_predict_csv_and_npy_agree(tmp_path):
    run("predict", D / "model_full.h5", "--input", D / "input.csv", "--output", tmp_path / "a.csv", "--quiet")
    np.save(tmp_path / "x.npy", load(D / "input.csv").astype(np.float32))
    run("predict", D / "model_full.h5", "--input", tmp_path / "x.npy", "--output", tmp_path / "b.npy", "--quiet")
    a, b = load(tmp_path / "a.csv"), np.load(tmp_path / "b.npy")
    assert a.shape == (200, 10) and np.array_equal(a, b)


def test_npy_predict_in_blocks_matches_one_batch(tmp_path):
    """.npy in and out runs in blocks of rows (16,384 here): outputs and overflow counts as the one-batch path
    (CSV output), for both modes and thread counts; a wrong column count leaves no output file."""
    x = np.random.default_rng(7).standard_normal((40000, 64)).astype(np.float32) * 4
    np.save(tmp_path / "x.npy", x)
    for extra in ([], ["--threads", "1"], ["--threads", "3"], ["--float"]):
        args = ["predict", D / "model_full.h5", "--precision", "ap_fixed<8,3>", "--input", tmp_path / "x.npy", *extra]
        a = run(*args, "--output", tmp_path / "a.csv")
        b = run(*args, "--output", tmp_path / "b.npy")
        assert np.array_equal(load(tmp_path / "a.csv"), np.load(tmp_path / "b.npy")), extra
        assert a.stderr == b.stderr, extra
        if not extra or extra[0] != "--float":
            assert "warning: layer 'dense_1' (Dense)" in b.stderr, b.stderr
    np.save(tmp_path / "bad.npy", x[:, :63])
    p = run("predict", D / "model_full.h5", "--input", tmp_path / "bad.npy", "--output", tmp_path / "c.npy", check=False)
    assert p.returncode == 1 and "63 values per sample" in p.stderr, p.stderr
    assert not (tmp_path / "c.npy").exists() and not (tmp_path / "c.npy.tmp").exists()


def test_threads_do_not_change_results(tmp_path):
    for t in (1, 2, 7):
        run("predict", D / "model_full.h5", "--input", D / "input.csv", "--output", tmp_path / f"{t}.csv",
            "--threads", t, "--quiet")
    assert (tmp_path / "1.csv").read_bytes() == (tmp_path / "2.csv").read_bytes() == (tmp_path / "7.csv").read_bytes()


def test_trace_writes_every_layer(tmp_path):
    run("predict", D / "model_full.h5", "--input", D / "input.csv", "--output", tmp_path / "y.csv",
        "--trace", tmp_path / "trace", "--quiet")
    files = sorted(p.name for p in (tmp_path / "trace").iterdir())
    assert "dense_1.csv" in files and "dense_3_softmax.csv" in files
    assert np.array_equal(load(tmp_path / "trace" / "dense_3_softmax.csv"), load(tmp_path / "y.csv"))
    assert load(tmp_path / "trace" / "dense_1.csv").shape == (200, 32)


def test_overflow_warning_names_the_layer(tmp_path):
    p = run("predict", D / "model_full.h5", "--precision", "ap_fixed<8,2>", "--input", D / "input.csv",
            "--output", tmp_path / "y.csv")
    warnings = [l for l in p.stderr.splitlines() if l.startswith("warning: ")]
    assert any(re.match(r"warning: layer 'dense_1' \(Dense\): \d+ of \d+ conversions wrapped or saturated", w)
               for w in warnings), p.stderr


def test_no_overflow_at_wide_precision(tmp_path):
    p = run("predict", D / "model_full.h5", "--precision", "ap_fixed<40,16>", "--input", D / "input.csv",
            "--output", tmp_path / "y.csv")
    assert "overflow: none in" in p.stderr and "warning" not in p.stderr


def test_precision_flag_overrides_config(tmp_path):
    cfg = tmp_path / "c.yml"
    cfg.write_text(f"KerasH5: {D / 'model_full.h5'}\nHLSConfig:\n  Model:\n    Precision: ap_fixed<8,3>\n")
    out8 = run("info", "--config", cfg).stdout
    assert "(32,) ap_fixed<8,3>" in out8
    out16 = run("info", "--config", cfg, "--precision", "ap_fixed<18,7>").stdout
    assert "(32,) ap_fixed<18,7>" in out16


def test_layer_name_precision_and_auto(tmp_path):
    cfg = tmp_path / "c.yml"
    cfg.write_text("HLSConfig:\n  Model:\n    Precision: ap_fixed<16,6>\n  LayerName:\n    dense_1:\n"
                   "      Precision:\n        result: auto\n        accum: auto\n    dense_2:\n"
                   "      Precision: {weight: 'ap_fixed<8,2>'}\n")
    out = run("info", D / "model_full.h5", "--config", cfg).stdout
    block = out.split("dense_1  Dense")[1].split("\n\n")[0]
    # auto: 16+16+ceil(log2 64)=38 bits, 6+6+6=18 integer bits, +1 for the bias
    assert "out:    (32,) ap_fixed<39,19>" in block
    assert "weight: ap_fixed<8,2>" in out.split("dense_2  Dense")[1]


def test_report_on_bundled_example():
    ex = ROOT / "examples" / "digits_mlp"
    p = run("report", "--config", ex / "config.yml", "--input", ex / "input.csv", "--labels", ex / "labels.csv")
    out = p.stdout
    assert "== model" in out and "== emulation" in out and "== overflow" in out
    m = re.search(r"accuracy: float ([\d.]+)%, fixed point ([\d.]+)%", out)
    assert m and float(m.group(1)) > 90 and abs(float(m.group(1)) - float(m.group(2))) < 3
