# profile and scan: the profile's ranges and out-of-range fractions against the float trace of `predict`, the
# suggested configuration removing every overflow, the figures (SVG structure, PNG validity and size), and the
# scan's accuracy against `report` at the same types.
import math
import re
import struct
import xml.etree.ElementTree as ET
import zlib

import numpy as np
import pytest

from conftest import FIXTURES, ROOT, load, run

D = FIXTURES / "digits_mlp"
MODEL = D / "model_full.h5"
SVG = "{http://www.w3.org/2000/svg}"

LAYER_RE = re.compile(r"^layer (\S+) \((.+)\): fixed-point overflow (\d+) of (\d+) conversions")
VAR_RE = re.compile(r"^  (\w+)\s+(\d+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+"  # variable, count, min, max, max|x|, type
                    r"\[(\S+), (\S+)\) lsb 2\^(-?\d+)\s+(\S+)\s+(\S+)$")  # range, lsb, outside, suggested


def parse_profile(text):
    """{layer: {"kind", "overflow", "conversions", "vars": {var: {...}}}}, in printed order."""
    layers, cur = {}, None
    for line in text.splitlines():
        if m := LAYER_RE.match(line):
            cur = layers[m.group(1)] = {"kind": m.group(2), "overflow": int(m.group(3)),
                                        "conversions": int(m.group(4)), "vars": {}}
        elif (m := VAR_RE.match(line)) and cur is not None:
            name, n, lo, hi, mx, typ, rlo, rhi, lsb, outside, suggested = m.groups()
            cur["vars"][name] = {"n": int(n), "min": float(lo), "max": float(hi), "maxabs": float(mx), "type": typ,
                                 "range": (float(rlo), float(rhi), int(lsb)), "outside": float(outside.rstrip("%")),
                                 "suggested": suggested}
    assert layers, text
    return layers


def type_wi(t):
    m = re.fullmatch(r"ap_fixed<(\d+),(-?\d+)>", t)
    assert m, t
    return int(m.group(1)), int(m.group(2))


def profile(tmp_path, *args):
    return run("profile", MODEL, "--input", D / "input.csv", *args).stdout


@pytest.fixture(scope="module")
def float_trace(tmp_path_factory):
    d = tmp_path_factory.mktemp("trace")
    run("predict", MODEL, "--float", "--input", D / "input.csv", "--output", d / "y.csv", "--trace", d / "t", "--quiet")
    return d / "t"


def test_result_ranges_equal_the_float_trace(tmp_path, float_trace):
    layers = parse_profile(profile(tmp_path))
    assert list(layers) == ["input_1", "dense_1", "dense_1_relu", "batch_norm_1", "dense_2", "dense_2_relu",
                            "dense_3", "dense_3_softmax"]
    for name, layer in layers.items():
        values = load(float_trace / f"{name}.csv")
        r = layer["vars"]["result"]
        assert r["n"] == values.size, name
        assert r["min"] == pytest.approx(values.min(), rel=1e-5, abs=1e-300), name
        assert r["max"] == pytest.approx(values.max(), rel=1e-5), name
        assert r["maxabs"] == pytest.approx(np.abs(values).max(), rel=1e-5), name
        assert r["type"] == "ap_fixed<16,6>" and r["range"] == (-32.0, 32.0, -10), name
    # weights and biases of the dense layers: 64x32, 32x16, 16x10
    assert [layers[d]["vars"]["weight"]["n"] for d in ("dense_1", "dense_2", "dense_3")] == [2048, 512, 160]
    assert [layers[d]["vars"]["bias"]["n"] for d in ("dense_1", "dense_2", "dense_3")] == [32, 16, 10]
    assert layers["batch_norm_1"]["vars"]["scale"]["n"] == 32
    # The emulator's conversion count of a dense layer: nIn*nOut products, nOut sums and nOut results per sample.
    assert layers["dense_1"]["conversions"] == 200 * (64 * 32 + 2 * 32)


def test_dense_accumulator_holds_the_result(tmp_path, float_trace):
    """The last partial sum of a dense accumulator is the layer's float result: its range covers the result's."""
    layers = parse_profile(profile(tmp_path))
    for d in ("dense_1", "dense_2", "dense_3"):
        acc, res = layers[d]["vars"]["accum"], layers[d]["vars"]["result"]
        assert acc["min"] <= res["min"] and acc["max"] >= res["max"]


def test_outside_fractions_at_a_narrow_precision(tmp_path, float_trace):
    """ap_fixed<16,2> (TRN, WRAP) holds [-2, 2): the printed share of results outside is numpy's on the trace."""
    layers = parse_profile(profile(tmp_path, "--precision", "ap_fixed<16,2>"))
    positive = 0
    for name, layer in layers.items():
        values = load(float_trace / f"{name}.csv")
        expected = 100 * np.mean((values < -2) | (values >= 2))
        got = layer["vars"]["result"]["outside"]
        assert got == pytest.approx(expected, rel=6e-3, abs=1e-12), name
        positive += got > 0
    assert positive >= 5
    assert layers["dense_1"]["overflow"] > 0 and layers["dense_3_softmax"]["overflow"] > 0


def test_threads_do_not_change_the_profile(tmp_path):
    assert profile(tmp_path, "--threads", "1") == profile(tmp_path, "--threads", "3")


def test_suggested_types_follow_the_rule(tmp_path):
    """Integer bits: the smallest I with 2^(I-1) > max|x|, plus one guard bit; width as configured or --bits."""
    for args, width in (((), 16), (("--bits", "12"), 12)):
        for layer in parse_profile(profile(tmp_path, "--precision", "ap_fixed<16,2>", *args)).values():
            for v in layer["vars"].values():
                if v["maxabs"] > 0 and abs(math.log2(v["maxabs"]) - round(math.log2(v["maxabs"]))) < 1e-5:
                    continue  # printed to 6 digits: too close to a power of two to tell which side it is on
                w, i = type_wi(v["suggested"])
                need = math.floor(math.log2(v["maxabs"])) + 2 if v["maxabs"] > 0 else 1
                assert (w, i) == (width, need + 1), v


def test_suggested_config_removes_every_overflow(tmp_path):
    narrow = run("predict", MODEL, "--precision", "ap_fixed<16,2>", "--input", D / "input.csv",
                 "--output", tmp_path / "n.csv")
    assert "wrapped or saturated" in narrow.stderr
    cfg = tmp_path / "suggested.yml"
    out = profile(tmp_path, "--precision", "ap_fixed<16,2>", "--output", cfg)
    assert f"wrote {cfg} (suggested types)" in out
    text = cfg.read_text()
    assert "default: 'ap_fixed<16,2>'" in text
    printed = parse_profile(out)
    assert re.search(r"^    dense_1:\n      Precision:\n(        .*\n)*        weight: '"
                     + re.escape(printed["dense_1"]["vars"]["weight"]["suggested"]) + "'", text, re.M)

    p = run("predict", MODEL, "--config", cfg, "--input", D / "input.csv", "--output", tmp_path / "y.csv")
    assert "overflow: none in" in p.stderr and "warning" not in p.stderr
    again = parse_profile(profile(tmp_path, "--config", cfg))
    for name, layer in again.items():
        assert layer["overflow"] == 0, name
        for var, v in layer["vars"].items():
            assert v["outside"] == 0, (name, var)
            assert v["type"] == printed[name]["vars"][var]["suggested"], (name, var)


def test_suggested_config_keeps_removed_linear_activations_identities(tmp_path):
    """wine_advanced's linear activations are removed at the default types; with the suggested types they
    must stay identities instead of converting back to the default."""
    w = FIXTURES / "wine_advanced"
    cfg = tmp_path / "s.yml"
    run("profile", w / "model_full.h5", "--input", w / "input.csv", "--output", cfg)
    p = run("predict", w / "model_full.h5", "--config", cfg, "--input", w / "input.csv", "--output", tmp_path / "y.csv")
    assert "overflow: none in" in p.stderr and "warning" not in p.stderr


def test_suggested_config_from_a_config_file_stands_alone(tmp_path):
    """With the model named in the YAML, the written file names it too (absolute) and works from anywhere."""
    ex = ROOT / "examples" / "digits_mlp"
    cfg = tmp_path / "s.yml"
    run("profile", "--config", ex / "config.yml", "--input", ex / "input.csv", "--output", cfg)
    assert f"KerasJson: '{ex / 'model.json'}'" in cfg.read_text()
    out = run("report", "--config", cfg, "--input", ex / "input.csv", "--labels", ex / "labels.csv",
              cwd=tmp_path).stdout
    m = re.search(r"accuracy: float ([\d.]+)%, fixed point ([\d.]+)%", out)
    assert m and float(m.group(1)) > 90 and float(m.group(2)) > 90


def svg_layers(path):
    root = ET.parse(path).getroot()
    groups = [g for g in root.iter(SVG + "g") if g.get("class") == "layer"]
    return root, groups


def test_profile_svg_has_one_group_per_layer(tmp_path):
    plot = tmp_path / "p.svg"
    out = profile(tmp_path, "--plot", plot)
    layers = parse_profile(out)
    root, groups = svg_layers(plot)
    assert [g.get("id") for g in groups] == [f"layer-{n}" for n in layers]
    for g, (name, layer) in zip(groups, layers.items()):
        vars_ = [v.get("id") for v in g.iter(SVG + "g") if v.get("class") == "var"]
        assert vars_ == [f"{name}.{v}" for v in layer["vars"]]
    assert f"wrote {plot} ({root.get('width')}x{root.get('height')})" in out


def read_png(path):
    """(width, height, rows of RGB bytes) of an 8-bit RGB, non-interlaced PNG."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks = 8, []
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        assert zlib.crc32(kind + body) == crc
        chunks.append((kind, body))
        pos += 12 + length
    assert chunks[0][0] == b"IHDR" and chunks[-1][0] == b"IEND"
    w, h, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    assert (depth, color, interlace) == (8, 2, 0)
    raw = zlib.decompress(b"".join(b for k, b in chunks if k == b"IDAT"))
    stride = 3 * w
    assert len(raw) == h * (1 + stride)
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f, line = raw[y * (1 + stride)], bytearray(raw[y * (1 + stride) + 1:(y + 1) * (1 + stride)])
        for x in range(stride):
            a = line[x - 3] if x >= 3 else 0
            b, c = prev[x], prev[x - 3] if x >= 3 else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, rows


def test_profile_png_is_valid_and_sized_like_the_svg(tmp_path):
    out = profile(tmp_path, "--plot", tmp_path / "p.png")
    profile(tmp_path, "--plot", tmp_path / "p.svg")
    root, _ = svg_layers(tmp_path / "p.svg")
    w, h, rows = read_png(tmp_path / "p.png")
    assert (w, h) == (int(root.get("width")), int(root.get("height")))
    assert f"({w}x{h})" in out
    pixels = {rows[y][3 * x:3 * x + 3] for y in range(h) for x in range(0, w, 2)}
    # white background, the grey type band, the box colours, black text
    for colour in (b"\xff\xff\xff", b"\xd6\xd6\xd6", b"\x1f\x77\xb4", b"\xff\x7f\x0e", b"\x00\x00\x00"):
        assert colour in pixels


def report_numbers(*args):
    out = run("report", MODEL, "--input", D / "input.csv", "--labels", D / "labels.csv", *args).stdout
    acc = re.search(r"accuracy: float ([\d.]+)%, fixed point ([\d.]+)%", out)
    agree = re.search(r"same argmax on ([\d.]+)% of samples", out)
    return float(acc.group(1)), float(acc.group(2)), float(agree.group(1))


def parse_scan(text):
    rows = {}
    for line in text.splitlines():
        if m := re.match(r"^\s*(\d+)  (\S+)\s+([\d.]+)%\s+([\d.]+)%\s+(\d+) of (\d+)$", line):
            rows[int(m.group(1))] = {"type": m.group(2), "accuracy": float(m.group(3)),
                                     "agreement": float(m.group(4)), "overflowed": int(m.group(5))}
    fl = re.search(r"^float accuracy: ([\d.]+)%", text, re.M)
    return rows, float(fl.group(1)) if fl else None


def test_scan_at_16_bits_equals_report(tmp_path):
    rows, float_acc = parse_scan(run("scan", MODEL, "--input", D / "input.csv", "--labels", D / "labels.csv",
                                     "--bits", "8,12,16").stdout)
    assert sorted(rows) == [8, 12, 16]
    for w in rows:
        fl, fx, agree = report_numbers("--precision", f"ap_fixed<{w},6>")
        assert rows[w]["type"] == f"ap_fixed<{w},6>"
        assert (rows[w]["accuracy"], rows[w]["agreement"]) == (fx, agree), w
        assert float_acc == fl


def test_scan_keeps_configured_integer_bits(tmp_path):
    """Without --integer, each configured precision keeps its integer bits at the scanned width."""
    cfg = tmp_path / "c.yml"
    cfg.write_text("HLSConfig:\n  Model:\n    Precision: ap_fixed<16,7>\n  LayerName:\n    dense_1:\n"
                   "      Precision: {result: 'ap_fixed<20,5>', accum: 'ap_fixed<20,8>'}\n")
    rows, _ = parse_scan(run("scan", MODEL, "--config", cfg, "--input", D / "input.csv", "--labels",
                             D / "labels.csv", "--bits", "9").stdout)
    same = tmp_path / "same.yml"
    same.write_text("HLSConfig:\n  Model:\n    Precision: ap_fixed<9,7>\n  LayerName:\n    dense_1:\n"
                    "      Precision: {result: 'ap_fixed<9,5>', accum: 'ap_fixed<9,8>'}\n")
    _, fx, agree = report_numbers("--config", same)
    assert (rows[9]["accuracy"], rows[9]["agreement"]) == (fx, agree)
    # --integer overrides every integer width, layer scopes included
    rows, _ = parse_scan(run("scan", MODEL, "--config", cfg, "--input", D / "input.csv", "--labels",
                             D / "labels.csv", "--bits", "10", "--integer", "6").stdout)
    _, fx, agree = report_numbers("--precision", "ap_fixed<10,6>")
    assert (rows[10]["accuracy"], rows[10]["agreement"]) == (fx, agree)


def test_scan_csv_and_plots(tmp_path):
    csv, svg, png = tmp_path / "s.csv", tmp_path / "s.svg", tmp_path / "s.png"
    out = run("scan", MODEL, "--input", D / "input.csv", "--labels", D / "labels.csv", "--bits", "4:18",
              "--output", csv, "--plot", svg).stdout
    rows, float_acc = parse_scan(out)
    assert sorted(rows) == list(range(4, 19))
    header, *lines = csv.read_text().splitlines()
    assert header == "width,accuracy,float_agreement,overflowed,conversions,float_accuracy"
    table = np.array([[float(x) for x in line.split(",")] for line in lines])
    assert list(table[:, 0]) == list(range(4, 19))
    for w, acc, agree, ovf, _, fl in table:
        assert round(100 * acc, 2) == rows[int(w)]["accuracy"] and round(100 * agree, 2) == rows[int(w)]["agreement"]
        assert ovf == rows[int(w)]["overflowed"] and round(100 * fl, 2) == float_acc
    assert rows[18]["agreement"] == 100.0 and rows[4]["agreement"] < 50
    assert rows[4]["overflowed"] > 0 and rows[16]["overflowed"] == 0

    root = ET.parse(svg).getroot()
    series = {g.get("id") for g in root.iter(SVG + "g") if g.get("class") == "series"}
    assert series == {"float", "accuracy", "agreement"}
    acc_points = [r for g in root.iter(SVG + "g") if g.get("id") == "accuracy" for r in g.iter(SVG + "rect")]
    assert len(acc_points) == 15

    out = run("scan", MODEL, "--input", D / "input.csv", "--bits", "6:12:3", "--plot", png).stdout
    w, h, _ = read_png(png)
    assert (w, h) == (760, 460) and f"wrote {png} (760x460)" in out
    assert sorted(parse_scan(out)[0]) == []  # no labels: no accuracy column values
    assert re.search(r"^\s+9  ap_fixed<9,6>\s+-\s+[\d.]+%", out, re.M)


def test_one_hot_labels_give_the_same_accuracy(tmp_path):
    labels = load(D / "labels.csv").astype(int).ravel()
    onehot = tmp_path / "onehot.csv"
    np.savetxt(onehot, np.eye(10)[labels], delimiter=",", fmt="%g")
    a = run("scan", MODEL, "--input", D / "input.csv", "--labels", D / "labels.csv", "--bits", "10").stdout
    b = run("scan", MODEL, "--input", D / "input.csv", "--labels", onehot, "--bits", "10").stdout
    assert parse_scan(a) == parse_scan(b)
    r1 = run("report", MODEL, "--input", D / "input.csv", "--labels", D / "labels.csv").stdout
    r2 = run("report", MODEL, "--input", D / "input.csv", "--labels", onehot).stdout
    assert re.search(r"accuracy: .*", r1).group(0) == re.search(r"accuracy: .*", r2).group(0)
