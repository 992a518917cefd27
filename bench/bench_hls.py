#!/usr/bin/env python3
"""HLS backend vs hls4ml 1.3.0 on this machine, side by side:

(a) time from the model files to a C-simulated prediction: nnfpga = `nnfpga convert` (1-sample testbench) +
    `nnfpga csim` (g++ build of the project and its run); hls4ml = convert + compile() (writes the project and
    builds it with g++) + predict() on 1 sample, in a fresh process, imports excluded. Median of --runs.
(b) size of the generated project for the 16->100x5->5 MLP: files, lines and bytes; all files, and without the
    copied support headers (nnfpga: firmware/nnfpga + firmware/ap_types; hls4ml: firmware/ap_types +
    firmware/nnet_utils).

Run with the k2 venv's python: bench/run_bench_hls.sh. Appends a section to bench/RESULTS.md.
"""
import argparse
import datetime
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

HLS4ML_WORKER = r"""
import sys, time, numpy as np
t0 = time.time()
import hls4ml
t1 = time.time()
json_path, h5_path, out_dir = sys.argv[1:4]
m = hls4ml.converters.keras_v2_to_hls({'KerasJson': json_path, 'KerasH5': h5_path, 'Backend': 'Vivado',
    'IOType': 'io_parallel', 'OutputDir': out_dir, 'ProjectName': 'myproject', 'Part': 'xcvu13p-flga2577-2-e',
    'ClockPeriod': 5, 'HLSConfig': {'Model': {'Precision': 'ap_fixed<16,6>', 'ReuseFactor': 1, 'Strategy': 'Latency'}}})
t2 = time.time()
m.compile()
t3 = time.time()
x = np.zeros((1, 16), dtype=np.float32)
m.predict(x)
t4 = time.time()
print(f"{t1-t0} {t2-t1} {t3-t2} {t4-t3}")
"""


def tree_size(root, exclude=()):
    files = lines = size = 0
    for p in Path(root).rglob("*"):
        if not p.is_file() or any(str(p.relative_to(root)).startswith(e) for e in exclude):
            continue
        data = p.read_bytes()
        files += 1
        size += len(data)
        lines += data.count(b"\n")
    return files, lines, size


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--nnfpga", default=str(ROOT / "build" / "nnfpga"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--results", default=str(ROOT / "bench" / "RESULTS.md"))
    args = ap.parse_args()
    model = ROOT / "bench" / "models" / "mlp_16_100x5_5"
    js, h5 = model / "model.json", model / "model_weights.h5"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        x1 = tmp / "x1.csv"
        x1.write_text(",".join(["0"] * 16) + "\n")
        ours = []
        for r in range(args.runs):
            prj = tmp / f"ours{r}"
            t0 = time.time()
            subprocess.run([args.nnfpga, "convert", js, "--weights", h5, "--precision", "ap_fixed<16,6>", "--input", x1,
                            "-o", prj], check=True, capture_output=True)
            t1 = time.time()
            c = subprocess.run([args.nnfpga, "csim", prj], check=True, capture_output=True, text=True)
            t2 = time.time()
            assert c.stdout.strip().splitlines()[-1] == "1 passed, 0 failed", c.stdout
            ours.append((t1 - t0, t2 - t1))
        theirs = []
        for r in range(args.runs):
            out = tmp / f"hls4ml{r}"
            p = subprocess.run([sys.executable, "-c", HLS4ML_WORKER, js, h5, out], check=True, capture_output=True,
                               text=True)
            theirs.append(tuple(float(v) for v in p.stdout.split()[-4:]))
        ours_total = statistics.median(a + b for a, b in ours)
        theirs_total = statistics.median(c + d + e for _, c, d, e in theirs)
        ours_all = tree_size(tmp / "ours0")
        ours_gen = tree_size(tmp / "ours0", exclude=("firmware/nnfpga", "firmware/ap_types", "csim_"))
        ours_all = tree_size(tmp / "ours0", exclude=("csim_",))
        th_all = tree_size(tmp / "hls4ml0", exclude=("firmware/myproject-", "myproject.o", "myproject_bridge.o"))
        th_gen = tree_size(tmp / "hls4ml0", exclude=("firmware/ap_types", "firmware/nnet_utils", "firmware/myproject-",
                                                     "myproject.o", "myproject_bridge.o"))
    gxx = subprocess.run(["g++", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    version = subprocess.run([args.nnfpga, "--version"], capture_output=True, text=True).stdout.strip()
    import hls4ml  # noqa: E402  (version only)
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    lines = [
        f"## HLS backend, {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC",
        "",
        f"- machine: {os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}; {version}; hls4ml "
        f"{hls4ml.__version__}; {gxx}",
        "- model: bench/models/mlp_16_100x5_5 (16→100×5→5), ap_fixed<16,6>, io_parallel, Latency; "
        f"median of {args.runs} runs; command: `bench/run_bench_hls.sh`",
        "",
        "**(a) model files → first C-simulated prediction**",
        "",
        "| | nnfpga convert | nnfpga csim (g++ build + run) | nnfpga total | hls4ml convert + compile() + predict() | ratio |",
        "|---|---|---|---|---|---|",
        f"| mlp_16_100x5_5 | {statistics.median(a for a, _ in ours):.2f} s | {statistics.median(b for _, b in ours):.2f} s "
        f"| {ours_total:.2f} s | {theirs_total:.2f} s | {theirs_total / ours_total:.1f}× |",
        "",
        "**(b) size of the generated project** (files / lines / bytes)",
        "",
        "| | nnfpga | hls4ml | ratio (bytes) |",
        "|---|---|---|---|",
        f"| everything written | {ours_all[0]} / {ours_all[1]:,} / {ours_all[2]:,} | {th_all[0]} / {th_all[1]:,} / "
        f"{th_all[2]:,} | {th_all[2] / ours_all[2]:.1f}× smaller |",
        f"| without the copied support headers | {ours_gen[0]} / {ours_gen[1]:,} / {ours_gen[2]:,} | {th_gen[0]} / "
        f"{th_gen[1]:,} / {th_gen[2]:,} | {th_gen[2] / ours_gen[2]:.1f}× smaller |",
        "",
        "hls4ml's numbers exclude its compiled objects; nnfpga's exclude the csim binary. hls4ml writes weights both as "
        "headers and as .txt files.",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if args.results:
        with open(args.results, "a") as f:
            f.write("\n" + text)


if __name__ == "__main__":
    main()
