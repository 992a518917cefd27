#!/usr/bin/env python3
"""Store hls4ml 1.3.0's own C-simulation outputs beside the Keras fixtures, as an oracle.

For every fixture directory under tests/fixtures/keras/ (or the ones named on the command line) this
converts model_full.h5 with hls4ml (Vivado backend, io_parallel, Latency, 'model' granularity with
Model.Precision ap_fixed<16,6>: what `config_from_keras_model(granularity='model')` gives), compiles
the C simulation, runs predict() on input.csv (float32) and writes

  hls4ml_output.csv   the outputs, one row per input row (%.10g; every value is a multiple of 2^-10)
  hls4ml.json         hls4ml's version, the settings above, and "status": "ok", or "unsupported" with
                      hls4ml's error when it cannot convert or compile the model

Run it in the k2 venv (tensorflow-cpu 2.15.1 + hls4ml 1.3.0), from the repository root:

    $(tools/venv.sh k2)/bin/python tools/make_hls4ml_references.py [fixture ...]

tests/e2e/test_hls4ml_fixtures.py compares nnfpga's emulator (--precision 'ap_fixed<16,6>') with these
files bit for bit. Layers hls4ml does not implement (transposed convolutions, dilated convolutions,
'causal' padding) are marked unsupported by a list below rather than by hls4ml, because hls4ml 1.3
converts some of them without error and computes something else (it ignores dilation_rate).
"""

import json
import os
import subprocess
import sys
import tempfile
import traceback

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

import numpy as np  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "tests", "fixtures", "keras")
PRECISION = "ap_fixed<16,6>"


def unsupported_reason(model):
    """Why hls4ml 1.3 cannot reproduce this Keras model, or None."""
    for layer in model.layers:
        cfg = layer.get_config()
        cls = layer.__class__.__name__
        if "Transpose" in cls:
            return f"{cls} is not implemented by hls4ml"
        dil = cfg.get("dilation_rate")
        if dil is not None and any(d != 1 for d in np.atleast_1d(dil)):
            return f"{cls} with dilation_rate {dil}: hls4ml ignores dilation"
        if cfg.get("padding") == "causal":
            return f"{cls} with causal padding is not implemented by hls4ml"
        if cfg.get("data_format") == "channels_first":
            return f"{cls} with channels_first: hls4ml's conversion differs from Keras' layout"
    return None


def reference(name):
    import hls4ml
    import tensorflow as tf

    d = os.path.join(FIXTURES, name)
    info = {"hls4ml": hls4ml.__version__, "tensorflow": tf.__version__, "backend": "Vivado",
            "io_type": "io_parallel", "strategy": "Latency", "granularity": "model", "precision": PRECISION,
            "input": "input.csv as float32"}
    out_csv = os.path.join(d, "hls4ml_output.csv")
    model = tf.keras.models.load_model(os.path.join(d, "model_full.h5"), compile=False)
    reason = unsupported_reason(model)
    if reason is None:
        try:
            config = hls4ml.utils.config_from_keras_model(model, granularity="model",
                                                          default_precision=PRECISION)
            with tempfile.TemporaryDirectory() as tmp:
                hm = hls4ml.converters.convert_from_keras_model(
                    model, hls_config=config, output_dir=os.path.join(tmp, "prj"), backend="Vivado",
                    io_type="io_parallel")
                hm.compile()
                x = np.loadtxt(os.path.join(d, "input.csv"), delimiter=",", ndmin=2).astype(np.float32)
                x = x.reshape((x.shape[0],) + tuple(model.input_shape[1:]))
                y = np.asarray(hm.predict(x)).reshape(x.shape[0], -1)
            np.savetxt(out_csv, y, fmt="%.10g", delimiter=",")
            info["status"] = "ok"
        except Exception as e:  # hls4ml rejects the model: record why
            info["status"] = "unsupported"
            info["reason"] = f"{type(e).__name__}: {e}".splitlines()[0][:300]
            traceback.print_exc()
    else:
        info["status"] = "unsupported"
        info["reason"] = reason
    if info["status"] != "ok" and os.path.exists(out_csv):
        os.remove(out_csv)
    with open(os.path.join(d, "hls4ml.json"), "w") as f:
        json.dump(info, f, indent=2)
        f.write("\n")
    print(f"{name}: {info['status']} {info.get('reason', '')}", flush=True)


def record_crash(name, stderr):
    """hls4ml's C simulation can abort the Python process (assertions in its C++): record the reason."""
    lines = [ln for ln in stderr.splitlines() if "Assertion" in ln or "rror" in ln]
    reason = (lines[-1] if lines else "the hls4ml process crashed").strip()[:300]
    info = {"status": "unsupported", "reason": "hls4ml's C simulation aborted: " + reason}
    out_csv = os.path.join(FIXTURES, name, "hls4ml_output.csv")
    if os.path.exists(out_csv):
        os.remove(out_csv)
    with open(os.path.join(FIXTURES, name, "hls4ml.json"), "w") as f:
        json.dump(info, f, indent=2)
        f.write("\n")
    print(f"{name}: unsupported {info['reason']}", flush=True)


def main():
    if sys.argv[1:2] == ["--one"]:
        reference(sys.argv[2])
        return
    names = sys.argv[1:] or sorted(n for n in os.listdir(FIXTURES) if os.path.isdir(os.path.join(FIXTURES, n)))
    for n in names:  # one process per fixture
        p = subprocess.run([sys.executable, os.path.abspath(__file__), "--one", n], capture_output=True, text=True)
        sys.stdout.write(p.stdout)
        if p.returncode != 0:
            record_crash(n, p.stderr)


if __name__ == "__main__":
    main()
