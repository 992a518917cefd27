#!/usr/bin/env python3
"""Make the HGQ1 proxy-model fixtures under tests/fixtures/hgq/ with the real HGQ package.

Runs in the `hgq` environment (tools/venv.sh hgq: tensorflow-cpu 2.15.1, HGQ 0.2.6); use
tools/make_hgq_fixtures.sh, which makes it.  Stages:

  make    build each small HGQ model (seeded weights; per-element bit widths drawn at random instead of trained,
          so that every quantizer is heterogeneous), calibrate its ranges with trace_minmax, convert it with
          HGQ's to_proxy_model and write, per fixture: model.h5 (the proxy model, the file hls4ml reads),
          input.csv (random inputs put on the input quantizer's grid by that quantizer itself) and
          hgq_output.csv (the proxy model's own predict(), float32 printed with %.9g), plus meta.json.
          For the shared jet classifier (../shared/models/keras/hgq_jet_classifier.h5, when present) only
          input.csv and hgq_output.csv are written (fixture jet_classifier; the model is not copied).
  check   reload every model.h5 with HGQ and compare with hgq_output.csv bit for bit.
"""

import argparse
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("PYTHONHASHSEED", "0")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

import numpy as np  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES_DIR = os.path.join(ROOT, "tests", "fixtures", "hgq")
SHARED_JET = os.path.join(os.path.dirname(ROOT), "shared", "models", "keras", "hgq_jet_classifier.h5")
SEED = 1234
ROWS = 200
FMT = "%.9g"


def tf_and_hgq():
    import tensorflow as tf
    import HGQ
    tf.keras.utils.set_random_seed(SEED)
    return tf, HGQ


def randomize_bit_widths(model, rng, lo=-1, hi=7):
    """Per-element fractional bit widths drawn from [lo, hi] for every quantizer of every HGQ layer."""
    for layer in model.layers:
        for q in (getattr(layer, "kq", None), getattr(layer, "paq", None)):
            if q is not None and hasattr(q, "fbw"):
                q.fbw.assign(rng.integers(lo, hi + 1, q.fbw.shape).astype(np.float32))


def build(name):
    tf, HGQ = tf_and_hgq()
    from HGQ.layers import HActivation, HConv2D, HDense, HQuantize, PFlatten, PMaxPool2D
    rq = {"init_bw": 4, "skip_dims": (0,), "rnd_strategy": "standard_round", "exact_q_value": True,
          "dtype": None, "bw_clip": (-23, 23), "trainable": True, "regularizer": None, "minmax_record": True}
    if name == "mlp_wrap":
        model = tf.keras.Sequential([
            HQuantize(paq_conf=rq, input_shape=(12,), name="inp_q"),
            HDense(24, activation="relu", name="fc1"),
            HDense(16, activation="relu", name="fc2"),
            HDense(5, name="out"),
        ])
        shape, aggressive = (12,), True
    elif name == "lut_tanh":
        model = tf.keras.Sequential([
            HQuantize(paq_conf=rq, input_shape=(10,), name="inp_q"),
            HDense(12, name="fc1"),
            HActivation("tanh", name="tanh1"),
            HDense(4, name="out"),
        ])
        shape, aggressive = (10,), True
    elif name == "conv_sat":
        model = tf.keras.Sequential([
            HQuantize(paq_conf=rq, input_shape=(8, 8, 2), name="inp_q"),
            HConv2D(4, (3, 3), activation="relu", name="conv1"),
            PMaxPool2D((2, 2), name="pool1"),
            PFlatten(name="flat"),
            HDense(6, name="out"),
        ])
        shape, aggressive = (8, 8, 2), False
    else:
        raise SystemExit(f"unknown fixture {name}")
    rng = np.random.default_rng(SEED)
    randomize_bit_widths(model, rng, hi=3 if name == "lut_tanh" else 7)  # small tables for the LUT
    calib = rng.normal(0, 2, (1000,) + shape).astype(np.float32)
    HGQ.trace_minmax(model, calib, verbose=False)
    lut = 1024 if name == "lut_tanh" else -1  # table activations become UnaryLUT layers
    proxy = HGQ.to_proxy_model(model, aggressive=aggressive, unary_lut_max_table_size=lut)
    return proxy, shape, {"aggressive": aggressive, "unary_lut_max_table_size": lut}


def on_grid(proxy, rng, shape):
    """Random inputs (some outside the calibrated range) through the proxy's input quantizer."""
    import tensorflow as tf
    x = (rng.normal(0, 2, (ROWS,) + shape) * rng.choice([1.0, 4.0], (ROWS,) + shape, p=[0.9, 0.1])).astype(np.float32)
    q = proxy.layers[1] if isinstance(proxy.layers[0], tf.keras.layers.InputLayer) else proxy.layers[0]
    return q(x).numpy().astype(np.float32)


def write(d, proxy, x, meta):
    import tensorflow as tf
    os.makedirs(d, exist_ok=True)
    y = proxy.predict(x, verbose=0)
    np.savetxt(os.path.join(d, "input.csv"), x.reshape(len(x), -1), fmt=FMT, delimiter=",")
    np.savetxt(os.path.join(d, "hgq_output.csv"), y.reshape(len(y), -1), fmt=FMT, delimiter=",")
    import HGQ
    meta.update({"rows": len(x), "inputs": int(np.prod(x.shape[1:])), "outputs": int(np.prod(y.shape[1:])),
                 "input_shape": list(x.shape[1:]), "tensorflow": tf.__version__, "hgq": HGQ.__version__,
                 "layers": [l.__class__.__name__ for l in proxy.layers]})
    with open(os.path.join(d, "meta.json"), "w") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")


def load_proxy(path):
    import tensorflow as tf
    from HGQ.proxy import FixedPointQuantizer, UnaryLUT
    return tf.keras.models.load_model(path, custom_objects={"FixedPointQuantizer": FixedPointQuantizer,
                                                            "UnaryLUT": UnaryLUT}, compile=False)


def make(names):
    for name in names:
        d = os.path.join(FIXTURES_DIR, name)
        rng = np.random.default_rng(SEED + 1)
        if name == "jet_classifier":
            if not os.path.exists(SHARED_JET):
                print(f"skip {name}: {SHARED_JET} is not present", file=sys.stderr)
                continue
            tf_and_hgq()
            proxy = load_proxy(SHARED_JET)
            write(d, proxy, on_grid(proxy, rng, (16,)), {"model": "../shared/models/keras/hgq_jet_classifier.h5"})
        else:
            proxy, shape, meta = build(name)
            os.makedirs(d, exist_ok=True)
            proxy.save(os.path.join(d, "model.h5"))
            write(d, load_proxy(os.path.join(d, "model.h5")), on_grid(proxy, rng, shape), meta)
        print(f"made {name}", file=sys.stderr)


def check(names):
    tf_and_hgq()
    for name in names:
        d = os.path.join(FIXTURES_DIR, name)
        path = SHARED_JET if name == "jet_classifier" else os.path.join(d, "model.h5")
        if not os.path.exists(path):
            continue
        meta = json.load(open(os.path.join(d, "meta.json")))
        proxy = load_proxy(path)
        x = np.loadtxt(os.path.join(d, "input.csv"), delimiter=",", ndmin=2).astype(np.float32)
        y = proxy.predict(x.reshape([-1] + meta["input_shape"]), verbose=0).reshape(len(x), -1)
        ref = np.loadtxt(os.path.join(d, "hgq_output.csv"), delimiter=",", ndmin=2).astype(np.float32)
        bad = int(np.sum(y != ref))
        print(f"{name}: {y.size} values, {bad} differ", file=sys.stderr)
        if bad:
            raise SystemExit(1)


ALL = ["mlp_wrap", "conv_sat", "lut_tanh", "jet_classifier"]

if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("stage", choices=["make", "check"])
    ap.add_argument("--only", nargs="*")
    a = ap.parse_args()
    (make if a.stage == "make" else check)(a.only or ALL)
