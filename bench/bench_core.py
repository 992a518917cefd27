#!/usr/bin/env python3
"""nnfpga vs hls4ml, side by side on this machine: time to the first emulated prediction and
fixed-point emulation throughput at ap_fixed<16,6>, plus a bit-for-bit comparison of the outputs.

Run it through bench/run_bench.sh (it makes the k2 venv with hls4ml 1.3.0 and builds nnfpga).
Everything runs one thing at a time, never in parallel, so the two tools never share the CPU.

(a) time to first prediction, starting from model.json + model_weights.h5 on disk
    nnfpga  wall time of one `nnfpga predict` process on a 1-sample .npy (process start, model
            load, conversion, emulation, output file written), median of --nnfpga-runs after
            one untimed warm-up run.
    hls4ml  a fresh Python process per run (--hls4ml-runs of them). Inside it, timed separately:
            `import hls4ml` (which imports TensorFlow), conversion, hls_model.compile() (writes the
            C++ project and builds it with g++), predict() on the same 1 sample. The headline hls4ml
            number is convert + compile + predict, EXCLUDING Python start-up and imports (the
            smallest fair number for hls4ml; the full process wall time is also recorded).
            Conversion reads the files directly, like nnfpga: hls4ml.converters.keras_v2_to_hls()
            with KerasJson/KerasH5 and HLSConfig Model {Precision ap_fixed<16,6>, ReuseFactor 1,
            Strategy Latency} (what config_from_keras_model(granularity='model') gives), Vivado
            backend, io_parallel. (In hls4ml 1.3.0 convert_from_config() returns None for a
            KerasJson/KerasH5 config, so keras_v2_to_hls(), which it would dispatch to, is called
            directly; no Keras model object is needed, so no Keras load time is included.)
            One extra run (--hls4ml-keras-runs) times the usual user route too: Keras
            model_from_json + load_weights, config_from_keras_model(granularity='model'),
            convert_from_keras_model(); it is reported, not used for the ratio.
(b) emulation throughput on --samples random samples, N(0,1) float32, seeded, one .npy shared by
    both tools
    nnfpga  end to end: wall time of `nnfpga predict` on the .npy (median of --tp-runs), per
            --threads 1 and --threads 0 (all cores)
            emulation only: the "fixed point: X ms" line of `nnfpga report` (times the emulator's
            run() alone; median of --tp-runs)
            end to end minus the 1-sample process (start-up + model load taken away)
    hls4ml  predict() on the same array in the last hls4ml run (after its timings were taken);
            predict() is single-threaded.
    bit-exactness: hls4ml predict() (float32 input) vs nnfpga's .npy output, both thread settings,
    compared exactly (every value is a multiple of 2^-10); the count of rows that differ.

Targets: >= 40x faster to first prediction, >= 30x the single-threaded throughput.
"""

import argparse
import datetime
import json
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

T_PROCESS_START = time.perf_counter()

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PRECISION = "ap_fixed<16,6>"
SEED = 12345
TARGET_TTFP = 40.0
TARGET_TP = 30.0


def model_list():
    shared = os.path.normpath(os.path.join(ROOT, "..", "shared", "models", "keras"))
    mlp = os.path.join(ROOT, "bench", "models", "mlp_16_100x5_5")
    return [
        dict(name="KERAS_3layer", json=os.path.join(shared, "KERAS_3layer.json"),
             weights=os.path.join(shared, "KERAS_3layer_weights.h5"),
             what="jet tagger 16-64-32-32-5 (hls4ml example-models)"),
        dict(name="mlp_16_100x5_5", json=os.path.join(mlp, "model.json"),
             weights=os.path.join(mlp, "model_weights.h5"),
             what="16-100x5-5 MLP, seeded random weights (tools/make_bench_models.py)"),
    ]


# ------------------------------------------------------------------------------------------------
# hls4ml worker: one fresh Python process per measurement (so imports and caches start cold-ish,
# as for a user running a script)
# ------------------------------------------------------------------------------------------------

def hls4ml_worker(a):
    t = {"t_python_to_main": time.perf_counter() - T_PROCESS_START}
    t0 = time.perf_counter()
    import numpy as np
    import hls4ml
    t["import"] = time.perf_counter() - t0
    x1 = np.load(a.x1)
    out_dir = a.outdir
    t0 = time.perf_counter()
    if a.route == "files":
        config = {
            "KerasJson": a.json, "KerasH5": a.weights, "OutputDir": out_dir, "ProjectName": "myproject",
            "Backend": "Vivado", "IOType": "io_parallel", "Part": "xcku115-flvb2104-2-i", "ClockPeriod": 5,
            "HLSConfig": {"Model": {"Precision": PRECISION, "ReuseFactor": 1, "Strategy": "Latency"}},
        }
        hls_model = hls4ml.converters.keras_v2_to_hls(config)
        t["keras_load"] = 0.0
    else:
        import keras
        model = keras.models.model_from_json(open(a.json).read())
        model.load_weights(a.weights)
        t["keras_load"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        cfg = hls4ml.utils.config_from_keras_model(model, granularity="model", default_precision=PRECISION,
                                                   backend="Vivado")
        hls_model = hls4ml.converters.convert_from_keras_model(
            model, hls_config=cfg, output_dir=out_dir, backend="Vivado", io_type="io_parallel")
    t["convert"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    hls_model.compile()
    t["compile"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    y1 = hls_model.predict(x1)
    t["predict1"] = time.perf_counter() - t0
    t["first_prediction"] = t["convert"] + t["compile"] + t["predict1"]
    np.save(os.path.join(out_dir, "y1.npy"), np.asarray(y1).reshape(len(x1), -1))
    if a.xbig:
        xb = np.load(a.xbig)
        t0 = time.perf_counter()
        yb = hls_model.predict(xb)
        t["predict_big"] = time.perf_counter() - t0
        t["big_samples"] = len(xb)
        np.save(a.ybig, np.asarray(yb).reshape(len(xb), -1))
    import tensorflow
    t["versions"] = {"hls4ml": hls4ml.__version__, "tensorflow": tensorflow.__version__, "numpy": np.__version__}
    print("HLS4ML_RESULT " + json.dumps(t), flush=True)


def run_hls4ml(python, m, route, work, x1, xbig=None, ybig=None, log=None):
    out_dir = tempfile.mkdtemp(prefix=f"hls4ml_{m['name']}_", dir=work)
    cmd = [python, os.path.abspath(__file__), "--worker", "--route", route, "--json", m["json"],
           "--weights", m["weights"], "--outdir", out_dir, "--x1", x1]
    if xbig:
        cmd += ["--xbig", xbig, "--ybig", ybig]
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", CUDA_VISIBLE_DEVICES="")
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t0
    if log:
        log.write(p.stdout + p.stderr)
    if p.returncode != 0:
        sys.exit(f"hls4ml worker failed ({p.returncode}):\n{p.stdout[-3000:]}\n{p.stderr[-3000:]}")
    line = [ln for ln in p.stdout.splitlines() if ln.startswith("HLS4ML_RESULT ")][-1]
    t = json.loads(line[len("HLS4ML_RESULT "):])
    t["process_wall"] = wall
    t["y1"] = os.path.join(out_dir, "y1.npy")
    t["out_dir"] = out_dir
    return t


# ------------------------------------------------------------------------------------------------
# nnfpga
# ------------------------------------------------------------------------------------------------

def nnfpga_predict_cmd(exe, m, inp, out, threads=None):
    cmd = [exe, "predict", m["json"], "--weights", m["weights"], "--precision", PRECISION,
           "--input", inp, "--output", out, "--quiet"]
    if threads is not None:
        cmd += ["--threads", str(threads)]
    return cmd


def nnfpga_report_cmd(exe, m, inp, threads):
    return [exe, "report", m["json"], "--weights", m["weights"], "--precision", PRECISION,
            "--input", inp, "--threads", str(threads)]


def timed(cmd):
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit(f"command failed ({p.returncode}): {shlex.join(cmd)}\n{p.stderr[-3000:]}")
    return wall, p.stdout


REPORT_RE = re.compile(r"samples: (\d+), fixed point: ([0-9.]+) ms \(([0-9.]+) samples/s\)")


def report_emulation_ms(exe, m, inp, threads):
    _, out = timed(nnfpga_report_cmd(exe, m, inp, threads))
    mo = REPORT_RE.search(out)
    if not mo:
        sys.exit("could not find the 'fixed point: X ms' line in nnfpga report's output")
    return float(mo.group(2)) / 1e3


# ------------------------------------------------------------------------------------------------
# helpers
# ------------------------------------------------------------------------------------------------

def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()
    except OSError:
        return "?"


def machine_info(exe, versions):
    mem_kb = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    git = sh(f"git -C {shlex.quote(ROOT)} rev-parse --short HEAD")
    dirty = sh(f"git -C {shlex.quote(ROOT)} status --porcelain --untracked-files=no")
    return {
        "date": sh("date -u"),
        "nproc": sh("nproc"),
        "cpu": sh("lscpu | sed -n 's/^Model name:[[:space:]]*//p'") or "?",
        "ram": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "nnfpga": sh(f"{shlex.quote(exe)} --version"),
        "git": git + (" (with uncommitted changes)" if dirty else ""),
        "gxx": sh("g++ --version | head -1"),
        "hls4ml": versions.get("hls4ml", "?"),
        "tensorflow": versions.get("tensorflow", "?"),
        "numpy": versions.get("numpy", "?"),
        "python": sys.version.split()[0],
    }


def fmt_s(x):
    return f"{x * 1e3:.0f} ms" if x < 1 else f"{x:.2f} s"


def fmt_rate(x):
    return f"{x:,.0f}"


def mismatches(np, a_path, b):
    a = np.load(a_path).astype(np.float64).reshape(b.shape)
    return int(np.any(a != b.astype(np.float64), axis=1).sum())


# ------------------------------------------------------------------------------------------------
# main
# ------------------------------------------------------------------------------------------------

def bench_model(a, m, work, np, log):
    print(f"\n== {m['name']}: {m['what']}", flush=True)
    r = {"name": m["name"], "what": m["what"]}
    rng = np.random.default_rng(SEED)
    # the input width, from the Keras JSON's first layer
    cfg = json.load(open(m["json"]))
    layers = cfg["config"]["layers"] if isinstance(cfg["config"], dict) else cfg["config"]
    first = layers[0]["config"]
    shape = first.get("batch_input_shape") or first.get("batch_shape")
    n_in = int(np.prod(shape[1:]))
    x = rng.standard_normal((a.samples, n_in)).astype(np.float32)
    xbig = os.path.join(work, f"{m['name']}_x.npy")
    x1 = os.path.join(work, f"{m['name']}_x1.npy")
    np.save(xbig, x)
    np.save(x1, x[:1])
    r["samples"] = a.samples
    r["n_in"] = n_in

    # (a) nnfpga time to first prediction
    y1n = os.path.join(work, f"{m['name']}_nnfpga_y1.npy")
    cmd1 = nnfpga_predict_cmd(a.nnfpga, m, x1, y1n)
    timed(cmd1)  # warm-up (binary and libraries into the page cache)
    walls = [timed(cmd1)[0] for _ in range(a.nnfpga_runs)]
    r["nnfpga_ttfp"] = statistics.median(walls)
    r["nnfpga_ttfp_all"] = walls
    print(f"nnfpga first prediction: median {fmt_s(r['nnfpga_ttfp'])} of {len(walls)} "
          f"[{', '.join(fmt_s(w) for w in walls)}]", flush=True)

    # (b) nnfpga throughput
    for threads in (1, 0):
        yb = os.path.join(work, f"{m['name']}_nnfpga_y_t{threads}.npy")
        cmdb = nnfpga_predict_cmd(a.nnfpga, m, xbig, yb, threads)
        e2e = statistics.median([timed(cmdb)[0] for _ in range(a.tp_runs)])
        small = statistics.median([timed(nnfpga_predict_cmd(a.nnfpga, m, x1, y1n, threads))[0]
                                   for _ in range(a.nnfpga_runs)])
        emu = statistics.median([report_emulation_ms(a.nnfpga, m, xbig, threads) for _ in range(a.tp_runs)])
        r[f"t{threads}"] = {"e2e": e2e, "small": small, "emu": emu, "y": yb,
                            "rate_e2e": a.samples / e2e, "rate_emu": a.samples / emu,
                            "rate_diff": (a.samples - 1) / max(e2e - small, 1e-9)}
        print(f"nnfpga --threads {threads}: end to end {fmt_s(e2e)} ({fmt_rate(a.samples / e2e)}/s), "
              f"emulation only {fmt_s(emu)} ({fmt_rate(a.samples / emu)}/s), "
              f"end to end minus 1-sample run {fmt_rate(r[f't{threads}']['rate_diff'])}/s", flush=True)

    # (a) + (b) hls4ml
    runs = []
    for i in range(a.hls4ml_runs):
        last = i == a.hls4ml_runs - 1
        ybh = os.path.join(work, f"{m['name']}_hls4ml_y.npy")
        t = run_hls4ml(a.python, m, "files", work, x1, xbig if last else None, ybh if last else None, log)
        runs.append(t)
        print(f"hls4ml run {i + 1}/{a.hls4ml_runs}: import {fmt_s(t['import'])}, convert {fmt_s(t['convert'])}, "
              f"compile {fmt_s(t['compile'])}, predict(1) {fmt_s(t['predict1'])} -> first prediction "
              f"{fmt_s(t['first_prediction'])}; process wall {fmt_s(t['process_wall'])}"
              + (f"; predict({t['big_samples']}) {fmt_s(t['predict_big'])}" if last else ""), flush=True)
    r["hls4ml_runs"] = runs
    r["hls4ml_ttfp"] = statistics.median(t["first_prediction"] for t in runs)
    r["hls4ml_wall"] = statistics.median(t["process_wall"] for t in runs)
    last = runs[-1]
    r["hls4ml_rate"] = last["big_samples"] / last["predict_big"]
    r["hls4ml_predict_big"] = last["predict_big"]
    r["versions"] = last["versions"]
    keras_runs = []
    for i in range(a.hls4ml_keras_runs):
        t = run_hls4ml(a.python, m, "keras", work, x1, log=log)
        keras_runs.append(t)
        print(f"hls4ml via a Keras model: import {fmt_s(t['import'])}, keras load {fmt_s(t['keras_load'])}, "
              f"config+convert {fmt_s(t['convert'])}, compile {fmt_s(t['compile'])}, predict(1) "
              f"{fmt_s(t['predict1'])}; process wall {fmt_s(t['process_wall'])}", flush=True)
    r["hls4ml_keras_runs"] = keras_runs

    # bit-exactness
    yh = np.load(os.path.join(work, f"{m['name']}_hls4ml_y.npy"))
    r["rows"] = len(yh)
    r["mismatch_t1"] = mismatches(np, r["t1"]["y"], yh)
    r["mismatch_t0"] = mismatches(np, r["t0"]["y"], yh)
    y1h = np.load(runs[0]["y1"])
    r["mismatch_1"] = mismatches(np, y1n, y1h)
    for t in runs + keras_runs:
        r["mismatch_1"] += mismatches(np, t["y1"], y1h)  # every hls4ml build agrees with itself
    print(f"bit-exactness: {r['mismatch_t1']} (--threads 1) and {r['mismatch_t0']} (--threads 0) of {len(yh)} "
          f"rows differ from hls4ml; 1-sample outputs: {r['mismatch_1']} differ", flush=True)
    if not a.keep:
        for t in runs + keras_runs:
            shutil.rmtree(t["out_dir"], ignore_errors=True)
    r["ratio_ttfp"] = r["hls4ml_ttfp"] / r["nnfpga_ttfp"]
    r["ratio_tp_e2e"] = r["t1"]["rate_e2e"] / r["hls4ml_rate"]
    r["ratio_tp_emu"] = r["t1"]["rate_emu"] / r["hls4ml_rate"]
    r["ratio_tp_all_e2e"] = r["t0"]["rate_e2e"] / r["hls4ml_rate"]
    r["ratio_tp_all_emu"] = r["t0"]["rate_emu"] / r["hls4ml_rate"]
    r["cmds"] = {
        "ttfp": shlex.join(cmd1),
        "e2e": shlex.join(nnfpga_predict_cmd(a.nnfpga, m, xbig, "Y.npy", "{1|0}")),
        "report": shlex.join(nnfpga_report_cmd(a.nnfpga, m, xbig, "{1|0}")),
    }
    return r


def yesno(ok):
    return "**met**" if ok else "**NOT met**"


def render(results, info, a, skipped):
    rel = lambda p: os.path.relpath(p, ROOT) if p.startswith(ROOT) else p  # noqa: E731
    L = []
    L.append(f"## {info['date']}")
    L.append("")
    L.append(f"- machine: {info['nproc']} CPUs ({info['cpu']}), {info['ram']} RAM")
    L.append(f"- nnfpga: {info['nnfpga']} (git {info['git']}), built by tools/setup.sh (Release)")
    L.append(f"- hls4ml {info['hls4ml']}, tensorflow {info['tensorflow']}, numpy {info['numpy']}, "
             f"Python {info['python']}; {info['gxx']} (hls4ml's compile() uses g++ -O3)")
    L.append(f"- inputs: {a.samples} samples, N(0,1) float32 (numpy default_rng({SEED})), one .npy for both tools; "
             f"precision {PRECISION} everywhere; hls4ml: Vivado backend, io_parallel, Latency, ReuseFactor 1")
    L.append(f"- runs: nnfpga first prediction median of {a.nnfpga_runs} (after 1 warm-up), nnfpga throughput "
             f"median of {a.tp_runs}; hls4ml {a.hls4ml_runs} fresh processes (median), its throughput from the "
             f"last one")
    for s in skipped:
        L.append(f"- skipped: {s}")
    L.append("")
    L.append("| model | nnfpga 1st prediction | hls4ml 1st prediction | ratio (target ≥ 40×) |")
    L.append("|---|---|---|---|")
    for r in results:
        L.append(f"| {r['name']} | {fmt_s(r['nnfpga_ttfp'])} | {fmt_s(r['hls4ml_ttfp'])} "
                 f"(process {fmt_s(r['hls4ml_wall'])}) | {r['ratio_ttfp']:.0f}× {yesno(r['ratio_ttfp'] >= TARGET_TTFP)} |")
    L.append("")
    L.append("Throughput, samples/s (hls4ml predict() is single-threaded):")
    L.append("")
    L.append("| model | hls4ml | nnfpga 1 thread: end to end / emulation only / e2e − 1-sample run "
             f"| nnfpga all {info['nproc']} threads: e2e / emulation only "
             "| ratio 1 thread e2e / emu (target ≥ 30×) | ratio all threads e2e / emu |")
    L.append("|---|---|---|---|---|---|")
    for r in results:
        t1, t0 = r["t1"], r["t0"]
        ok = r["ratio_tp_e2e"] >= TARGET_TP
        L.append(f"| {r['name']} | {fmt_rate(r['hls4ml_rate'])} | {fmt_rate(t1['rate_e2e'])} / {fmt_rate(t1['rate_emu'])}"
                 f" / {fmt_rate(t1['rate_diff'])} | {fmt_rate(t0['rate_e2e'])} / {fmt_rate(t0['rate_emu'])} "
                 f"| {r['ratio_tp_e2e']:.0f}× / {r['ratio_tp_emu']:.0f}× {yesno(ok)} "
                 f"| {r['ratio_tp_all_e2e']:.0f}× / {r['ratio_tp_all_emu']:.0f}× |")
    L.append("")
    L.append("Bit-exactness (rows of the benchmark inputs where nnfpga's output differs from hls4ml predict()):")
    L.append("")
    for r in results:
        L.append(f"- {r['name']}: {r['mismatch_t1']} of {r['rows']} (--threads 1), {r['mismatch_t0']} of "
                 f"{r['rows']} (--threads 0); 1-sample runs: {r['mismatch_1']}")
    L.append("")
    L.append("Details (seconds):")
    L.append("")
    for r in results:
        hr = r["hls4ml_runs"]
        L.append(f"- {r['name']}: nnfpga 1-sample process runs {', '.join(f'{w:.3f}' for w in r['nnfpga_ttfp_all'])}; "
                 f"{r['samples']}-sample process {r['t1']['e2e']:.3f} (1 thread) / {r['t0']['e2e']:.3f} (all), "
                 f"report emulation {r['t1']['emu']:.3f} / {r['t0']['emu']:.3f}, 1-sample process "
                 f"{r['t1']['small']:.3f} / {r['t0']['small']:.3f}")
        L.append("  - hls4ml per run (import / convert / compile / predict(1) / process wall): "
                 + "; ".join(f"{t['import']:.2f} / {t['convert']:.2f} / {t['compile']:.2f} / {t['predict1']:.3f} / "
                             f"{t['process_wall']:.2f}" for t in hr)
                 + f"; predict({r['samples']}) {r['hls4ml_predict_big']:.2f}")
        for t in r["hls4ml_keras_runs"]:
            L.append(f"  - hls4ml via a Keras model (not used for the ratio): import {t['import']:.2f}, keras "
                     f"model_from_json+load_weights {t['keras_load']:.2f}, config_from_keras_model+"
                     f"convert_from_keras_model {t['convert']:.2f}, compile {t['compile']:.2f}, predict(1) "
                     f"{t['predict1']:.3f}, process wall {t['process_wall']:.2f}")
    L.append("")
    L.append("Commands:")
    L.append("")
    L.append("```")
    L.append(f"bench/run_bench.sh {' '.join(a.passthrough)}".rstrip())
    for r in results:
        for k in ("ttfp", "e2e", "report"):
            L.append(r["cmds"][k].replace(ROOT + "/", "").replace(a.work + "/", "$WORK/"))
    L.append("# hls4ml, one fresh python process per run (bench/bench_core.py --worker):")
    L.append("hls_model = hls4ml.converters.keras_v2_to_hls({'KerasJson': J, 'KerasH5': H, 'Backend': 'Vivado', "
             "'IOType': 'io_parallel', 'HLSConfig': {'Model': {'Precision': 'ap_fixed<16,6>', 'ReuseFactor': 1, "
             "'Strategy': 'Latency'}}, 'OutputDir': D, 'ProjectName': 'myproject', 'Part': 'xcku115-flvb2104-2-i', "
             "'ClockPeriod': 5})")
    L.append("hls_model.compile(); hls_model.predict(x[:1]); hls_model.predict(x)  # x = np.load($WORK/<model>_x.npy)")
    L.append("```")
    L.append("")
    return "\n".join(L)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--nnfpga", default=os.path.join(ROOT, "build", "nnfpga"))
    p.add_argument("--python", default=sys.executable, help="Python with hls4ml 1.3.0 (the k2 venv)")
    p.add_argument("--samples", type=int, default=100_000)
    p.add_argument("--nnfpga-runs", type=int, default=7)
    p.add_argument("--tp-runs", type=int, default=3)
    p.add_argument("--hls4ml-runs", type=int, default=3)
    p.add_argument("--hls4ml-keras-runs", type=int, default=1)
    p.add_argument("--models", default="", help="comma-separated subset of: KERAS_3layer,mlp_16_100x5_5")
    p.add_argument("--results", default=os.path.join(HERE, "RESULTS.md"), help="append here ('' = don't)")
    p.add_argument("--keep", action="store_true", help="keep the work directory and hls4ml projects")
    # worker mode (internal)
    p.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--route", default="files", help=argparse.SUPPRESS)
    p.add_argument("--json", help=argparse.SUPPRESS)
    p.add_argument("--weights", help=argparse.SUPPRESS)
    p.add_argument("--outdir", help=argparse.SUPPRESS)
    p.add_argument("--x1", help=argparse.SUPPRESS)
    p.add_argument("--xbig", help=argparse.SUPPRESS)
    p.add_argument("--ybig", help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.worker:
        return hls4ml_worker(a)
    a.passthrough = sys.argv[1:]
    a.passthrough = [x for x in a.passthrough if not x.startswith("--python") and not x.startswith("--nnfpga=")]
    a.nnfpga = os.path.abspath(a.nnfpga)
    import numpy as np

    if not os.access(a.nnfpga, os.X_OK):
        sys.exit(f"{a.nnfpga} not found: build it with tools/setup.sh")
    # warm the page cache for hls4ml's imports too (the first import after boot reads ~1 GB of TensorFlow)
    subprocess.run([a.python, "-c", "import hls4ml"], capture_output=True,
                   env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"))

    wanted = [s for s in a.models.split(",") if s]
    results, skipped = [], []
    a.work = tempfile.mkdtemp(prefix="nnfpga_bench_")
    log = open(os.path.join(a.work, "hls4ml.log"), "w")
    try:
        for m in model_list():
            if wanted and m["name"] not in wanted:
                continue
            if not (os.path.exists(m["json"]) and os.path.exists(m["weights"])):
                note = f"{m['name']}: {m['json']} or its weights are absent"
                print("SKIP " + note)
                skipped.append(note)
                continue
            results.append(bench_model(a, m, a.work, np, log))
    finally:
        log.close()
        if not a.keep:
            shutil.rmtree(a.work, ignore_errors=True)
        else:
            print(f"work directory kept: {a.work}")
    if not results:
        sys.exit("no model was benchmarked")
    info = machine_info(a.nnfpga, results[0]["versions"])
    text = render(results, info, a, skipped)
    print("\n" + text)
    if a.results:
        new = not os.path.exists(a.results)
        with open(a.results, "a") as f:
            if new:
                f.write("# nnfpga vs hls4ml benchmark results\n\nAppended by bench/run_bench.sh, newest last; "
                        "see bench/README.md for what is measured.\n\n")
            f.write(text + "\n")
        print(f"appended to {os.path.relpath(a.results, ROOT)}")
    bad = sum(r["mismatch_t1"] + r["mismatch_t0"] + r["mismatch_1"] for r in results)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
