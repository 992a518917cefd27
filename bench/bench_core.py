#!/usr/bin/env python3
"""nnfpga vs hls4ml, side by side on this machine: time to the first emulated prediction and
fixed-point emulation throughput at ap_fixed<16,6>, plus a bit-for-bit comparison of the outputs.

Run it through bench/run_bench.sh (it makes the k2 venv with hls4ml 1.3.0 and builds nnfpga).
Everything runs one thing at a time, never in parallel, so the two tools never share the CPU with
each other. Before each measurement it waits (up to --quiet-wait s) for the machine to be idle, and
it records the CPU time (user + sys, children included) beside every wall time, since other
programs on the machine inflate wall times but hardly CPU times.

(a) time to first prediction, starting from model.json + model_weights.h5 on disk
    nnfpga  wall time of one `nnfpga predict` process on a 1-sample .npy (process start, model
            load, conversion, emulation, output file written), median of --nnfpga-runs after
            one untimed warm-up run.
    hls4ml  a fresh Python process per run (--hls4ml-runs of them). Inside it, timed separately:
            `import hls4ml` (which imports TensorFlow), conversion, hls_model.compile() (writes the
            C++ project and builds it with g++ -O3), predict() on the same 1 sample. The headline
            hls4ml number is convert + compile + predict, EXCLUDING Python start-up and imports
            (the smallest fair number for hls4ml; the full process wall time is also recorded).
            Conversion reads the files directly, as nnfpga does: hls4ml.converters.keras_v2_to_hls()
            with KerasJson/KerasH5 and HLSConfig Model {Precision ap_fixed<16,6>, ReuseFactor 1,
            Strategy Latency} (what config_from_keras_model(granularity='model') gives), Vivado
            backend, io_parallel. (hls4ml 1.3.0's convert_from_config() returns None for a
            KerasJson/KerasH5 config: it only dispatches on KerasModel; keras_v2_to_hls(), which it
            would call, is called directly. No Keras model object is needed, so no Keras load time
            is included.) --hls4ml-keras-runs more runs time the usual user route too: Keras
            model_from_json + load_weights, config_from_keras_model(granularity='model'),
            convert_from_keras_model(); reported, not used for the ratio.
(b) emulation throughput on --samples random samples, N(0,1) float32, seeded, one .npy shared by
    both tools
    nnfpga  end to end: wall time of `nnfpga predict` on the .npy (median of --tp-runs), for
            --threads 1 and --threads 0 (all cores)
            emulation only: the "fixed point: X ms" line of `nnfpga report` (times the emulator's
            run() alone; median of --tp-runs)
            end to end minus the 1-sample process (start-up + model load taken away)
    hls4ml  predict() on the same array, in the last hls4ml process (kept up after its first
            prediction), in --tp-runs slices; predict() is single-threaded. The slices alternate with
            the nnfpga runs (one round = one slice, then every nnfpga run once), so that both tools
            see the same background load; nnfpga's numbers are medians over the rounds.
    The single-thread target is judged on the end-to-end ratio (process start, model load and .npy
    I/O charged to nnfpga, nothing but predict() to hls4ml), by wall time AND by CPU time: both
    must reach it, so that a busy machine slowing hls4ml's long predict() cannot fake a pass.
    bit-exactness: hls4ml predict() (float32 input) vs nnfpga's .npy output, both thread settings,
    compared exactly (every value is a multiple of 2^-10): the count of rows that differ.

Targets: >= 40x faster to first prediction, >= 30x the single-threaded throughput.
"""

import argparse
import json
import os
import re
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

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
             what="jet tagger 16-64-32-32-5 (hls4ml example-models, ../shared/models/keras)"),
        dict(name="mlp_16_100x5_5", json=os.path.join(mlp, "model.json"),
             weights=os.path.join(mlp, "model_weights.h5"),
             what="16-100x5-5 MLP, seeded random weights (tools/make_bench_models.py)"),
        dict(name="KERAS_conv2d_model", json=os.path.join(shared, "KERAS_conv2d_model.json"),
             weights=os.path.join(shared, "KERAS_conv2d_model_weights.h5"),
             what="Conv2D network (hls4ml example-models, ../shared/models/keras)"),
        dict(name="conv_ae_16x16", json=os.path.join(ROOT, "bench", "models", "conv_ae_16x16", "model.json"),
             weights=os.path.join(ROOT, "bench", "models", "conv_ae_16x16", "model_weights.h5"),
             what="conv autoencoder 16x16x1, Conv2D/MaxPool/UpSampling, seeded random weights "
                  "(tools/make_bench_models.py)"),
    ]


def cpu_now():
    """CPU seconds (user + sys) of this process plus its waited-for descendants."""
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


class Clock:
    """Wall and CPU time of a block."""

    def __enter__(self):
        self.w0, self.c0 = time.perf_counter(), cpu_now()
        return self

    def __exit__(self, *exc):
        self.wall, self.cpu = time.perf_counter() - self.w0, cpu_now() - self.c0


# ------------------------------------------------------------------------------------------------
# hls4ml worker: one fresh Python process per measurement, as for a user running a script
# ------------------------------------------------------------------------------------------------

def hls4ml_worker(a):
    t = {}
    with Clock() as c:
        import numpy as np
        import hls4ml
    t["import"], t["import_cpu"] = c.wall, c.cpu
    x1 = np.load(a.x1)
    out_dir = a.outdir
    t["keras_load"] = t["keras_load_cpu"] = 0.0
    if a.route == "files":
        with Clock() as c:
            config = {
                "KerasJson": a.json, "KerasH5": a.weights, "OutputDir": out_dir, "ProjectName": "myproject",
                "Backend": "Vivado", "IOType": "io_parallel", "Part": "xcku115-flvb2104-2-i", "ClockPeriod": 5,
                "HLSConfig": {"Model": {"Precision": PRECISION, "ReuseFactor": 1, "Strategy": "Latency"}},
            }
            hls_model = hls4ml.converters.keras_v2_to_hls(config)
    else:
        with Clock() as c:
            import keras
            model = keras.models.model_from_json(open(a.json).read())
            model.load_weights(a.weights)
        t["keras_load"], t["keras_load_cpu"] = c.wall, c.cpu
        with Clock() as c:
            cfg = hls4ml.utils.config_from_keras_model(model, granularity="model", default_precision=PRECISION,
                                                       backend="Vivado")
            hls_model = hls4ml.converters.convert_from_keras_model(
                model, hls_config=cfg, output_dir=out_dir, backend="Vivado", io_type="io_parallel")
    t["convert"], t["convert_cpu"] = c.wall, c.cpu
    with Clock() as c:
        hls_model.compile()
    t["compile"], t["compile_cpu"] = c.wall, c.cpu
    with Clock() as c:
        y1 = hls_model.predict(x1)
    t["predict1"], t["predict1_cpu"] = c.wall, c.cpu
    t["first_prediction"] = t["convert"] + t["compile"] + t["predict1"]
    t["first_prediction_cpu"] = t["convert_cpu"] + t["compile_cpu"] + t["predict1_cpu"]
    np.save(os.path.join(out_dir, "y1.npy"), np.asarray(y1).reshape(len(x1), -1))
    import tensorflow
    t["versions"] = {"hls4ml": hls4ml.__version__, "tensorflow": tensorflow.__version__, "numpy": np.__version__}
    print("HLS4ML_RESULT " + json.dumps(t), flush=True)
    if not a.serve:
        return
    # Throughput: predict() on slices of the big input when the parent asks, so that the parent can
    # interleave its nnfpga runs with these and both tools see the same background load.
    xb = np.load(a.xbig)
    ys = {}
    print("READY", flush=True)
    for line in sys.stdin:
        cmd = line.split()
        if cmd[0] == "predict":
            i0, i1 = int(cmd[1]), int(cmd[2])
            with Clock() as c:
                y = hls_model.predict(xb[i0:i1])
            ys[i0] = np.asarray(y).reshape(i1 - i0, -1)
            print(f"PREDICTED {c.wall} {c.cpu}", flush=True)
        elif cmd[0] == "save":
            np.save(a.ybig, np.concatenate([ys[k] for k in sorted(ys)]))
            print("SAVED", flush=True)
        else:
            break


def hls4ml_cmd(a, m, route, x1, out_dir):
    return [a.python, os.path.abspath(__file__), "--worker", "--route", route, "--json", m["json"],
            "--weights", m["weights"], "--outdir", out_dir, "--x1", x1]


HLS4ML_ENV = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", CUDA_VISIBLE_DEVICES="")


def parse_result(t, out_dir):
    t = json.loads(t[len("HLS4ML_RESULT "):])
    t["y1"] = os.path.join(out_dir, "y1.npy")
    t["out_dir"] = out_dir
    return t


def run_hls4ml(a, m, route, x1):
    """One fresh hls4ml process: convert, compile, predict one sample; its timings."""
    out_dir = tempfile.mkdtemp(prefix=f"hls4ml_{m['name']}_", dir=a.work)
    a.background.append(wait_quiet(a))
    with Clock() as c:
        p = subprocess.run(hls4ml_cmd(a, m, route, x1, out_dir), capture_output=True, text=True, env=HLS4ML_ENV)
    a.log.write(p.stdout + p.stderr)
    if p.returncode != 0:
        sys.exit(f"hls4ml worker failed ({p.returncode}):\n{p.stdout[-3000:]}\n{p.stderr[-3000:]}")
    t = parse_result([ln for ln in p.stdout.splitlines() if ln.startswith("HLS4ML_RESULT ")][-1], out_dir)
    t["process_wall"] = c.wall
    return t


class Hls4mlServer:
    """A fresh hls4ml process as in run_hls4ml() that then stays up for predict() on slices of xbig."""

    def __init__(self, a, m, x1, xbig, ybig):
        self.out_dir = tempfile.mkdtemp(prefix=f"hls4ml_{m['name']}_", dir=a.work)
        cmd = hls4ml_cmd(a, m, "files", x1, self.out_dir) + ["--serve", "--xbig", xbig, "--ybig", ybig]
        a.log.flush()
        a.background.append(wait_quiet(a))
        t0 = time.perf_counter()
        self.p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=a.log, text=True,
                                  env=HLS4ML_ENV)
        self.result = parse_result(self.expect("HLS4ML_RESULT "), self.out_dir)
        self.result["process_wall"] = time.perf_counter() - t0  # start to first prediction, whole process
        self.expect("READY")

    def expect(self, prefix):
        for line in self.p.stdout:
            if line.startswith(prefix):
                return line.rstrip("\n")
        sys.exit(f"hls4ml worker ended early (exit {self.p.wait()}); see its log")

    def ask(self, command, prefix):
        self.p.stdin.write(command + "\n")
        self.p.stdin.flush()
        return self.expect(prefix)

    def predict(self, i0, i1):
        _, wall, cpu = self.ask(f"predict {i0} {i1}", "PREDICTED ").split()
        return float(wall), float(cpu)

    def close(self):
        self.ask("save", "SAVED")
        self.p.stdin.write("quit\n")
        self.p.stdin.close()
        self.p.wait()


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
    """(wall s, cpu s, stdout) of one run of cmd."""
    with Clock() as c:
        p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"command failed ({p.returncode}): {shlex.join(cmd)}\n{p.stderr[-3000:]}")
    return c.wall, c.cpu, p.stdout


def timed_runs(a, cmd, n):
    """Median wall and median CPU of n runs (after waiting for an idle machine), and all walls."""
    a.background.append(wait_quiet(a))
    runs = [timed(cmd) for _ in range(n)]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs), [r[0] for r in runs]


REPORT_RE = re.compile(r"samples: (\d+), fixed point: ([0-9.]+) ms \(([0-9.]+) samples/s\)")


def report_emulation_s(a, m, inp, threads):
    """The emulator's own time from one `nnfpga report` run."""
    out = timed(nnfpga_report_cmd(a.nnfpga, m, inp, threads))[2]
    mo = REPORT_RE.search(out)
    if not mo:
        sys.exit("could not find the 'fixed point: X ms' line in nnfpga report's output")
    return float(mo.group(2)) / 1e3


# ------------------------------------------------------------------------------------------------
# machine
# ------------------------------------------------------------------------------------------------

def cpu_busy_fraction(interval):
    """Fraction of all CPUs busy over `interval` seconds (from /proc/stat)."""
    def read():
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
        idle = v[3] + (v[4] if len(v) > 4 else 0)
        return sum(v[:8]), idle
    t0, i0 = read()
    time.sleep(interval)
    t1, i1 = read()
    return 1.0 - (i1 - i0) / max(t1 - t0, 1)


def wait_quiet(a):
    """Wait until other programs leave the CPUs (nearly) idle, up to a.quiet_wait seconds; return
    the busy fraction seen last (0..1, of all CPUs) for the record."""
    deadline = time.time() + a.quiet_wait
    busy = cpu_busy_fraction(0.5)
    warned = False
    while busy > a.quiet_threshold and time.time() < deadline:
        if not warned:
            print(f"  (machine {busy:.0%} busy with other programs: waiting up to {a.quiet_wait:.0f} s)", flush=True)
            warned = True
        time.sleep(2)
        busy = cpu_busy_fraction(1.0)
    return busy


def sh(cmd):
    p = subprocess.run(cmd, shell=True, capture_output=True, text=True)
    return (p.stdout.strip() or p.stderr.strip() or "?").splitlines()[0]


def machine_info(exe, versions):
    mem_kb = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    git = sh(f"git -C {shlex.quote(ROOT)} rev-parse --short HEAD")
    dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no", "--", "src",
                            "include", "CMakeLists.txt"], capture_output=True, text=True).stdout.strip()
    return {
        "date": sh("date -u"),
        "nproc": sh("nproc"),
        "cpu": sh("lscpu | sed -n 's/^Model name:[[:space:]]*//p'"),
        "ram": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "nnfpga": sh(f"{shlex.quote(exe)} --version"),
        "git": git + (" + uncommitted changes in src/include" if dirty else ""),
        "gxx": sh("g++ --version"),
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
# one model
# ------------------------------------------------------------------------------------------------

def print_hls4ml_run(a, runs):
    t = runs[-1]
    print(f"hls4ml run {len(runs)}/{a.hls4ml_runs}: import {fmt_s(t['import'])}, convert {fmt_s(t['convert'])}, "
          f"compile {fmt_s(t['compile'])}, predict(1) {fmt_s(t['predict1'])} -> first prediction "
          f"{fmt_s(t['first_prediction'])} (CPU {fmt_s(t['first_prediction_cpu'])}); process wall "
          f"{fmt_s(t['process_wall'])}", flush=True)


def bench_model(a, m, np):
    print(f"\n== {m['name']}: {m['what']}", flush=True)
    r = {"name": m["name"], "what": m["what"], "samples": a.samples}
    cfg = json.load(open(m["json"]))  # the input width, from the Keras JSON's first layer
    layers = cfg["config"]["layers"] if isinstance(cfg["config"], dict) else cfg["config"]
    first = layers[0]["config"]
    shape = first.get("batch_input_shape") or first.get("batch_shape")
    n_in = int(np.prod(shape[1:]))
    x = np.random.default_rng(SEED).standard_normal((a.samples, n_in)).astype(np.float32)
    xbig = os.path.join(a.work, f"{m['name']}_x.npy")
    x1 = os.path.join(a.work, f"{m['name']}_x1.npy")
    np.save(xbig, x)
    np.save(x1, x[:1])

    # (a) nnfpga time to first prediction
    y1n = os.path.join(a.work, f"{m['name']}_nnfpga_y1.npy")
    cmd1 = nnfpga_predict_cmd(a.nnfpga, m, x1, y1n)
    timed(cmd1)  # warm-up: binary and libraries into the page cache
    r["nnfpga_ttfp"], r["nnfpga_ttfp_cpu"], r["nnfpga_ttfp_all"] = timed_runs(a, cmd1, a.nnfpga_runs)
    print(f"nnfpga first prediction: median {fmt_s(r['nnfpga_ttfp'])} (CPU {fmt_s(r['nnfpga_ttfp_cpu'])}) of "
          f"{a.nnfpga_runs} [{', '.join(fmt_s(w) for w in r['nnfpga_ttfp_all'])}]", flush=True)

    # hls4ml: fresh processes for the time to first prediction; the last one stays up for (b)
    runs = []
    for i in range(a.hls4ml_runs - 1):
        runs.append(run_hls4ml(a, m, "files", x1))
        print_hls4ml_run(a, runs)
    ybh = os.path.join(a.work, f"{m['name']}_hls4ml_y.npy")
    server = Hls4mlServer(a, m, x1, xbig, ybh)
    runs.append(server.result)
    print_hls4ml_run(a, runs)

    # (b) throughput, in --tp-runs rounds: hls4ml predict() on the next 1/tp_runs of the samples, then
    # nnfpga on all of them (end to end, 1-sample process, report) with 1 thread and with all; the two
    # tools take turns, so both see the same background load.
    bounds = np.linspace(0, a.samples, a.tp_runs + 1).astype(int)
    hls_wall = hls_cpu = 0.0
    nn = {th: {"e2e": [], "e2e_cpu": [], "small": [], "emu": []} for th in (1, 0)}
    for k in range(a.tp_runs):
        a.background.append(wait_quiet(a))
        hw, hc = server.predict(int(bounds[k]), int(bounds[k + 1]))
        hls_wall, hls_cpu = hls_wall + hw, hls_cpu + hc
        for th in (1, 0):
            yb = os.path.join(a.work, f"{m['name']}_nnfpga_y_t{th}.npy")
            w, c, _ = timed(nnfpga_predict_cmd(a.nnfpga, m, xbig, yb, th))
            nn[th]["e2e"].append(w)
            nn[th]["e2e_cpu"].append(c)
            nn[th]["small"].append(timed(nnfpga_predict_cmd(a.nnfpga, m, x1, y1n, th))[0])
            nn[th]["emu"].append(report_emulation_s(a, m, xbig, th))
        print(f"  round {k + 1}/{a.tp_runs}: hls4ml predict({bounds[k + 1] - bounds[k]}) {fmt_s(hw)}; nnfpga "
              f"end to end {fmt_s(nn[1]['e2e'][-1])} (1 thread) / {fmt_s(nn[0]['e2e'][-1])} (all)", flush=True)
    server.close()
    r["hls4ml_rate"] = a.samples / hls_wall
    r["hls4ml_rate_cpu"] = a.samples / hls_cpu
    r["hls4ml_predict_big"], r["hls4ml_predict_big_cpu"] = hls_wall, hls_cpu
    for th in (1, 0):
        med = {key: statistics.median(v) for key, v in nn[th].items()}
        d = dict(med, y=os.path.join(a.work, f"{m['name']}_nnfpga_y_t{th}.npy"), e2e_all=nn[th]["e2e"],
                 rate_e2e=a.samples / med["e2e"], rate_emu=a.samples / med["emu"],
                 rate_cpu=a.samples / med["e2e_cpu"],
                 rate_diff=(a.samples - 1) / max(med["e2e"] - med["small"], 1e-9))
        r[f"t{th}"] = d
        print(f"nnfpga --threads {th}: end to end {fmt_s(d['e2e'])} = {fmt_rate(d['rate_e2e'])}/s "
              f"(CPU {fmt_s(d['e2e_cpu'])}), emulation only {fmt_s(d['emu'])} = {fmt_rate(d['rate_emu'])}/s, "
              f"end to end minus the 1-sample run ({fmt_s(d['small'])}) {fmt_rate(d['rate_diff'])}/s", flush=True)
    print(f"hls4ml predict(): {a.samples} samples in {fmt_s(hls_wall)} = {fmt_rate(r['hls4ml_rate'])}/s "
          f"(CPU {fmt_s(hls_cpu)})", flush=True)

    r["hls4ml_runs"] = runs
    r["hls4ml_ttfp"] = statistics.median(t["first_prediction"] for t in runs)
    r["hls4ml_ttfp_cpu"] = statistics.median(t["first_prediction_cpu"] for t in runs)
    r["hls4ml_wall"] = statistics.median(t["process_wall"] for t in runs)
    r["versions"] = runs[-1]["versions"]
    keras_runs = []
    for i in range(a.hls4ml_keras_runs):
        t = run_hls4ml(a, m, "keras", x1)
        keras_runs.append(t)
        print(f"hls4ml via a Keras model: import {fmt_s(t['import'])}, keras load {fmt_s(t['keras_load'])}, "
              f"config+convert {fmt_s(t['convert'])}, compile {fmt_s(t['compile'])}, predict(1) "
              f"{fmt_s(t['predict1'])}; process wall {fmt_s(t['process_wall'])}", flush=True)
    r["hls4ml_keras_runs"] = keras_runs

    # bit-exactness
    yh = np.load(ybh)
    r["rows"] = len(yh)
    r["mismatch_t1"] = mismatches(np, r["t1"]["y"], yh)
    r["mismatch_t0"] = mismatches(np, r["t0"]["y"], yh)
    y1h = np.load(runs[0]["y1"])
    r["mismatch_1"] = mismatches(np, y1n, y1h)
    print(f"bit-exactness: {r['mismatch_t1']} (--threads 1) and {r['mismatch_t0']} (--threads 0) of {len(yh)} "
          f"rows differ from hls4ml; 1-sample output: {r['mismatch_1']} differ", flush=True)
    for t in runs + keras_runs:
        shutil.rmtree(t["out_dir"], ignore_errors=True)

    r["ratio_ttfp"] = r["hls4ml_ttfp"] / r["nnfpga_ttfp"]
    r["ratio_ttfp_cpu"] = r["hls4ml_ttfp_cpu"] / r["nnfpga_ttfp_cpu"]
    r["ratio_tp_e2e"] = r["t1"]["rate_e2e"] / r["hls4ml_rate"]
    r["ratio_tp_emu"] = r["t1"]["rate_emu"] / r["hls4ml_rate"]
    r["ratio_tp_cpu"] = r["t1"]["rate_cpu"] / r["hls4ml_rate_cpu"]
    r["ratio_tp_all_e2e"] = r["t0"]["rate_e2e"] / r["hls4ml_rate"]
    r["ratio_tp_all_emu"] = r["t0"]["rate_emu"] / r["hls4ml_rate"]
    r["cmds"] = [
        shlex.join(cmd1),
        shlex.join(nnfpga_predict_cmd(a.nnfpga, m, xbig, os.path.join(a.work, f"{m['name']}_nnfpga_y_tN.npy"), "N")),
        shlex.join(nnfpga_report_cmd(a.nnfpga, m, xbig, "N")),
    ]
    return r


# ------------------------------------------------------------------------------------------------
# report
# ------------------------------------------------------------------------------------------------

def yesno(ok):
    return "**met**" if ok else "**NOT met**"


def render(results, info, a, skipped):
    L = [f"## {info['date']}", ""]
    L.append(f"- machine: {info['nproc']} CPUs ({info['cpu']}), {info['ram']} RAM")
    L.append(f"- nnfpga: `{info['nnfpga']}` (git {info['git']}), CMake Release build as tools/setup.sh makes it")
    L.append(f"- hls4ml {info['hls4ml']}, tensorflow {info['tensorflow']}, numpy {info['numpy']}, "
             f"Python {info['python']}; {info['gxx']} (hls4ml's compile() builds with g++ -O3)")
    L.append(f"- inputs: {a.samples:,} samples, N(0,1) float32 (numpy default_rng({SEED})), the same .npy for both "
             f"tools; {PRECISION} everywhere; hls4ml: Vivado backend, io_parallel, Latency, ReuseFactor 1")
    L.append(f"- runs: nnfpga first prediction median of {a.nnfpga_runs} (after 1 warm-up); hls4ml first prediction "
             f"median of {a.hls4ml_runs} fresh processes; throughput in {a.tp_runs} rounds, each = hls4ml predict() "
             f"on the next 1/{a.tp_runs} of the samples (in the last hls4ml process, kept up), then nnfpga on all "
             f"of them (median of the rounds), so that both tools see the same background load")
    L.append(f"- priority: the benchmark's processes (both tools) ran at nice {os.nice(0)}")
    bg = max(a.background) if a.background else 0.0
    L.append(f"- other programs on the machine just before the measurements: at most {bg:.0%} of the CPUs busy "
             f"(median {statistics.median(a.background):.0%}); wall times can be inflated where that is high, CPU "
             f"times much less")
    for s in skipped:
        L.append(f"- skipped: {s}")
    L.append("")
    L.append("**(a) Time from the model files to the first emulated prediction** (nnfpga: the whole `predict` "
             "process; hls4ml: convert + compile + predict, imports and Python start-up excluded)")
    L.append("")
    L.append("| model | nnfpga | hls4ml | hls4ml whole process | ratio | ratio of CPU times "
             "| target ≥ 40× (by wall and by CPU time) |")
    L.append("|---|---|---|---|---|---|---|")
    for r in results:
        ok = min(r["ratio_ttfp"], r["ratio_ttfp_cpu"]) >= TARGET_TTFP
        L.append(f"| {r['name']} | {fmt_s(r['nnfpga_ttfp'])} | {fmt_s(r['hls4ml_ttfp'])} | {fmt_s(r['hls4ml_wall'])} "
                 f"| {r['ratio_ttfp']:.0f}× | {r['ratio_ttfp_cpu']:.0f}× | {yesno(ok)} |")
    L.append("")
    L.append(f"**(b) Emulation throughput at {PRECISION}**, samples/s on {a.samples:,} samples (hls4ml predict() "
             "is single-threaded; nnfpga end to end = whole `predict` process incl. start-up, model load and "
             ".npy I/O; emulation only = `nnfpga report`'s fixed-point timing)")
    L.append("")
    L.append(f"| model | hls4ml predict() | nnfpga 1 thread, end to end | 1 thread, emulation only "
             f"| 1 thread, e2e − 1-sample run | all {info['nproc']} threads, end to end | all threads, emulation only |")
    L.append("|---|---|---|---|---|---|---|")
    for r in results:
        t1, t0 = r["t1"], r["t0"]
        L.append(f"| {r['name']} | {fmt_rate(r['hls4ml_rate'])} | {fmt_rate(t1['rate_e2e'])} | {fmt_rate(t1['rate_emu'])}"
                 f" | {fmt_rate(t1['rate_diff'])} | {fmt_rate(t0['rate_e2e'])} | {fmt_rate(t0['rate_emu'])} |")
    L.append("")
    L.append("Ratios to hls4ml. The single-thread target (≥ 30×) is judged on nnfpga's end-to-end process, by wall "
             "time and by CPU time (both must reach it, so a busy machine cannot fake a pass); emulation only is "
             "shown for where the kernels stand.")
    L.append("")
    L.append("| model | 1 thread, end to end | 1 thread, end to end by CPU time | target ≥ 30× "
             "| 1 thread, emulation only | all threads, end to end | all threads, emulation only |")
    L.append("|---|---|---|---|---|---|---|")
    for r in results:
        ok = min(r["ratio_tp_e2e"], r["ratio_tp_cpu"]) >= TARGET_TP
        L.append(f"| {r['name']} | {r['ratio_tp_e2e']:.1f}× | {r['ratio_tp_cpu']:.1f}× | {yesno(ok)} "
                 f"| {r['ratio_tp_emu']:.1f}× | {r['ratio_tp_all_e2e']:.1f}× | {r['ratio_tp_all_emu']:.1f}× |")
    L.append("")
    L.append("**Bit-exactness** (rows where nnfpga's output differs from hls4ml predict() on the same float32 inputs; "
             "values compared exactly):")
    L.append("")
    for r in results:
        L.append(f"- {r['name']}: {r['mismatch_t1']} of {r['rows']:,} (--threads 1), {r['mismatch_t0']} of "
                 f"{r['rows']:,} (--threads 0); 1-sample run: {r['mismatch_1']} of 1")
    L.append("")
    L.append("Details (seconds):")
    L.append("")
    for r in results:
        L.append(f"- {r['name']}: nnfpga 1-sample process {', '.join(f'{w:.3f}' for w in r['nnfpga_ttfp_all'])} "
                 f"(CPU {r['nnfpga_ttfp_cpu']:.3f}); {r['samples']:,}-sample process "
                 f"{r['t1']['e2e']:.3f} (CPU {r['t1']['e2e_cpu']:.3f}) with 1 thread, {r['t0']['e2e']:.3f} "
                 f"(CPU {r['t0']['e2e_cpu']:.3f}) with all; report's emulation {r['t1']['emu']:.3f} / "
                 f"{r['t0']['emu']:.3f}; 1-sample process with --threads 1 / 0: {r['t1']['small']:.3f} / "
                 f"{r['t0']['small']:.3f}; end-to-end runs per round, 1 thread: "
                 f"{', '.join(f'{w:.3f}' for w in r['t1']['e2e_all'])}, all: "
                 f"{', '.join(f'{w:.3f}' for w in r['t0']['e2e_all'])}")
        L.append("  - hls4ml runs (import / convert / compile / predict(1) / whole process wall; CPU of "
                 "convert+compile+predict): " + "; ".join(
                     f"{t['import']:.2f} / {t['convert']:.3f} / {t['compile']:.2f} / {t['predict1']:.3f} / "
                     f"{t['process_wall']:.2f}; {t['first_prediction_cpu']:.2f}" for t in r["hls4ml_runs"])
                 + f"; predict({r['samples']:,}) {r['hls4ml_predict_big']:.2f} "
                   f"(CPU {r['hls4ml_predict_big_cpu']:.2f})")
        for t in r["hls4ml_keras_runs"]:
            L.append(f"  - hls4ml via a Keras model (not used for the ratio): import {t['import']:.2f}, Keras "
                     f"model_from_json + load_weights {t['keras_load']:.2f}, config_from_keras_model + "
                     f"convert_from_keras_model {t['convert']:.3f}, compile {t['compile']:.2f}, predict(1) "
                     f"{t['predict1']:.3f}, whole process {t['process_wall']:.2f}")
    L.append("")
    L.append("Commands ($WORK = a temporary directory; N = 1 and 0):")
    L.append("")
    L.append("```")
    L.append(f"bench/run_bench.sh {shlex.join(a.passthrough)}".rstrip())
    for r in results:
        for c in r["cmds"]:
            L.append(c.replace(a.nnfpga, os.path.relpath(a.nnfpga_given, ROOT)).replace(ROOT + "/", "")
                     .replace(a.work + "/", "$WORK/"))
    L.append("# hls4ml, one fresh Python process per run (bench/bench_core.py --worker), x = np.load($WORK/<model>_x.npy):")
    L.append("hls_model = hls4ml.converters.keras_v2_to_hls({'KerasJson': JSON, 'KerasH5': H5, 'Backend': 'Vivado', "
             "'IOType': 'io_parallel', 'HLSConfig': {'Model': {'Precision': 'ap_fixed<16,6>', 'ReuseFactor': 1, "
             "'Strategy': 'Latency'}}, 'OutputDir': D, 'ProjectName': 'myproject', 'Part': 'xcku115-flvb2104-2-i', "
             "'ClockPeriod': 5})")
    L.append("hls_model.compile(); hls_model.predict(x[:1])  # first prediction; then, one slice per round:")
    L.append("hls_model.predict(x[i0:i1])")
    L.append("```")
    L.append("")
    return "\n".join(L)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--nnfpga", default=os.path.join(ROOT, "build", "nnfpga"))
    p.add_argument("--python", default=sys.executable, help="Python with hls4ml 1.3.0 (the k2 venv)")
    p.add_argument("--samples", type=int, default=100_000)
    p.add_argument("--nnfpga-runs", type=int, default=7)
    p.add_argument("--tp-runs", type=int, default=5,
                   help="throughput rounds: nnfpga runs per setting, and slices of the samples for hls4ml")
    p.add_argument("--hls4ml-runs", type=int, default=3)
    p.add_argument("--hls4ml-keras-runs", type=int, default=1)
    p.add_argument("--models", default="", help="comma-separated subset of: KERAS_3layer,mlp_16_100x5_5,KERAS_conv2d_model,conv_ae_16x16")
    p.add_argument("--results", default=os.path.join(HERE, "RESULTS.md"), help="append here ('' = don't)")
    p.add_argument("--quiet-wait", type=float, default=30.0,
                   help="wait up to this many seconds for other programs to leave the CPUs idle before each measurement")
    p.add_argument("--quiet-threshold", type=float, default=0.15, help="busy fraction of all CPUs counted as idle")
    p.add_argument("--keep", action="store_true", help="keep the work directory")
    # worker mode (internal)
    p.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--route", default="files", help=argparse.SUPPRESS)
    p.add_argument("--json", help=argparse.SUPPRESS)
    p.add_argument("--weights", help=argparse.SUPPRESS)
    p.add_argument("--outdir", help=argparse.SUPPRESS)
    p.add_argument("--x1", help=argparse.SUPPRESS)
    p.add_argument("--xbig", help=argparse.SUPPRESS)
    p.add_argument("--ybig", help=argparse.SUPPRESS)
    p.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.worker:
        return hls4ml_worker(a)
    argv, a.passthrough = sys.argv[1:], []
    skip_next = False
    for x in argv:  # the arguments the user gave run_bench.sh (not the ones it adds)
        if skip_next:
            skip_next = False
        elif x in ("--python", "--nnfpga"):
            skip_next = True
        elif not x.startswith(("--python=", "--nnfpga=")):
            a.passthrough.append(x)
    a.nnfpga = os.path.abspath(a.nnfpga)
    import numpy as np

    if not os.access(a.nnfpga, os.X_OK):
        sys.exit(f"{a.nnfpga} not found: build it with tools/setup.sh")
    # warm the page cache for hls4ml's imports (TensorFlow is large)
    subprocess.run([a.python, "-c", "import hls4ml"], capture_output=True, env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"))

    wanted = [s for s in a.models.split(",") if s]
    results, skipped = [], []
    a.work = tempfile.mkdtemp(prefix="nnfpga_bench_")
    # Benchmark a snapshot of the binary, so that a rebuild of build/ meanwhile cannot swap it mid-run.
    a.nnfpga_given = a.nnfpga
    a.nnfpga = os.path.join(a.work, "nnfpga")
    shutil.copy2(a.nnfpga_given, a.nnfpga)
    info = machine_info(a.nnfpga_given, {})  # git state now, when the binary was taken
    a.background = []
    a.log = open(os.path.join(a.work, "hls4ml.log"), "w")
    try:
        for m in model_list():
            if wanted and m["name"] not in wanted:
                continue
            if not (os.path.exists(m["json"]) and os.path.exists(m["weights"])):
                note = f"{m['name']}: {m['json']} or its weights file is absent"
                print("SKIP " + note)
                skipped.append(note)
                continue
            results.append(bench_model(a, m, np))
    finally:
        a.log.close()
        if a.keep:
            print(f"work directory kept: {a.work}")
        else:
            shutil.rmtree(a.work, ignore_errors=True)
    if not results:
        sys.exit("no model was benchmarked")
    info.update({k: v for k, v in results[0]["versions"].items()})
    info["date"] = sh("date -u")
    text = render(results, info, a, skipped)
    print("\n" + text)
    if a.results:
        new = not os.path.exists(a.results)
        with open(a.results, "a") as f:
            if new:
                f.write("# nnfpga vs hls4ml: benchmark results\n\nAppended by bench/run_bench.sh, newest last; "
                        "bench/README.md says what is measured.\n\n")
            f.write(text + "\n")
        print(f"appended to {os.path.relpath(a.results, ROOT)}")
    bad = sum(r["mismatch_t1"] + r["mismatch_t0"] + r["mismatch_1"] for r in results)
    if bad:
        print(f"BIT MISMATCHES: {bad} rows differ from hls4ml", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
