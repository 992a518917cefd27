#!/usr/bin/env python3
"""Make the HGQ2 (Keras 3) fixtures under tests/fixtures/hgq2/ with the real hgq2 package.

Runs in the `hgq2` environment (tools/venv.sh hgq2: tensorflow-cpu 2.20.0, hgq2 0.2.0, Keras 3 on the TensorFlow
backend). Stages:

  make    build each small seeded model of QDense, QConv1D, QConv2D, QMaxPooling2D and QUnaryFunctionLUT layers, set every quantizer's per-element bit widths at random
          (some elements pruned to 0 bits), save it as model.keras and write input.csv (random inputs put on the
          first layer's input-quantizer grid by that quantizer itself), hgq2_output.csv (the model's own predict(),
          float32 printed with %.9g) and meta.json.
  check   reload every model.keras and compare with hgq2_output.csv bit for bit.
"""

import argparse
import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("PYTHONHASHSEED", "0")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

import numpy as np  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES_DIR = os.path.join(ROOT, "tests", "fixtures", "hgq2")
SEED = 1234
ROWS = 200
FMT = "%.17g"


def randomize(model, rng):
    """Random integer bit widths for every quantizer variable: KIF i in [-1, 3], f in [-1, 6]; KBI b in [0, 8],
    i in [-1, 3]; about one element in eight pruned (no bits)."""
    for layer in model.layers:
        for attr in ("iq", "kq", "bq", "oq"):
            try:
                q = getattr(layer, attr)
            except (AttributeError, ValueError, AssertionError):
                continue
            if q is None or not hasattr(q, "quantizer"):
                continue
            iq = q.quantizer
            if hasattr(iq, "_f"):  # KIF
                shape = iq._i.shape
                i = rng.integers(-1, 4, shape)
                f = rng.integers(-1, 7, shape)
                f = np.where(rng.random(shape) < 0.12, -i - 1, f)  # pruned: k + i + f <= 0
                iq._i.assign(i.astype(np.float32))
                iq._f.assign(f.astype(np.float32))
            elif hasattr(iq, "_b"):  # KBI
                shape = iq._b.shape
                b = np.where(rng.random(shape) < 0.12, 0, rng.integers(1, 9, shape))
                iq._b.assign(b.astype(np.float32))
                iq._i.assign(rng.integers(-1, 4, shape).astype(np.float32))


def build(name):
    import keras
    from hgq.config import QuantizerConfig
    from hgq.layers import QDense
    from hgq.layers import QConv1D, QConv2D, QMaxPooling2D, QUnaryFunctionLUT
    keras.utils.set_random_seed(SEED)
    shapes = {"conv2d": (8, 8, 2), "conv1d": (16, 3), "pool_lut": (6, 6, 2)}
    inp = keras.Input(shapes.get(name, (12,)), name="x")
    if name == "pool_lut":
        x = QConv2D(3, (3, 3), name="c1")(inp)
        x = QMaxPooling2D((2, 2), name="pool")(x)
        x = QUnaryFunctionLUT("relu", name="act")(x)
        x = keras.layers.Flatten(name="flat")(x)
        out = QDense(4, name="d1")(x)
    elif name == "conv2d":
        x = QConv2D(4, (3, 3), activation="relu", name="c1")(inp)
        x = keras.layers.MaxPooling2D((2, 2), name="pool")(x)
        x = keras.layers.Flatten(name="flat")(x)
        out = QDense(5, name="d1")(x)
    elif name == "conv1d":
        x = QConv1D(4, 3, padding="same", activation="relu", name="c1", enable_oq=True)(inp)
        x = keras.layers.Flatten(name="flat")(x)
        out = QDense(3, name="d1")(x)
    elif name == "dense_wrap":
        x = QDense(16, activation="relu", name="d1")(inp)
        x = QDense(10, activation="relu", name="d2", enable_oq=True)(x)
        out = QDense(4, name="d3")(x)
    elif name == "dense_sat":
        iq = QuantizerConfig("kif", "datalane", overflow_mode="SAT", round_mode="RND_CONV")
        kq = QuantizerConfig("kbi", "weight", overflow_mode="SAT", round_mode="TRN")
        x = QDense(12, activation="relu", name="d1", iq_conf=iq, kq_conf=kq)(inp)
        out = QDense(5, name="d2", iq_conf=iq, enable_oq=True, oq_conf=iq)(x)
    else:
        raise SystemExit(f"unknown fixture {name}")
    model = keras.Model(inp, out)
    randomize(model, np.random.default_rng(SEED))
    return model


def on_grid(model, rng):
    shape = (ROWS,) + tuple(int(d) for d in model.inputs[0].shape[1:])
    x = (rng.normal(0, 2, shape) * rng.choice([1.0, 4.0], shape, p=[0.9, 0.1])).astype(np.float32)
    return np.asarray(model.layers[1].iq(x)).astype(np.float32)


def make(names):
    import hgq
    import keras
    for name in names:
        d = os.path.join(FIXTURES_DIR, name)
        os.makedirs(d, exist_ok=True)
        model = build(name)
        path = os.path.join(d, "model.keras")
        model.save(path)
        model = keras.models.load_model(path, compile=False)
        x = on_grid(model, np.random.default_rng(SEED + 1))
        y = model.predict(x, verbose=0)
        np.savetxt(os.path.join(d, "input.csv"), x.reshape(len(x), -1), fmt=FMT, delimiter=",")
        np.savetxt(os.path.join(d, "hgq2_output.csv"), y.reshape(len(y), -1), fmt=FMT, delimiter=",")
        meta = {"rows": len(x), "inputs": int(np.prod(x.shape[1:])), "input_shape": list(x.shape[1:]), "outputs": int(np.prod(y.shape[1:])), "hgq2": hgq.__version__,
                "keras": keras.__version__, "backend": keras.backend.backend(),
                "layers": [l.__class__.__name__ for l in model.layers]}
        with open(os.path.join(d, "meta.json"), "w") as f:
            json.dump(meta, f, indent=2)
            f.write("\n")
        print(f"made {name}", file=sys.stderr)


def check(names):
    import hgq  # noqa: F401  (registers the layers for loading)
    import keras
    for name in names:
        d = os.path.join(FIXTURES_DIR, name)
        model = keras.models.load_model(os.path.join(d, "model.keras"), compile=False)
        meta = json.load(open(os.path.join(d, "meta.json")))
        x = np.loadtxt(os.path.join(d, "input.csv"), delimiter=",", ndmin=2).astype(np.float32)
        y = model.predict(x.reshape([-1] + meta.get("input_shape", [meta["inputs"]])), verbose=0).reshape(len(x), -1)
        ref = np.loadtxt(os.path.join(d, "hgq2_output.csv"), delimiter=",", ndmin=2).astype(np.float32)
        bad = int(np.sum(y != ref))
        print(f"{name}: {y.size} values, {bad} differ", file=sys.stderr)
        if bad:
            raise SystemExit(1)


ALL = ["dense_wrap", "dense_sat", "conv2d", "conv1d", "pool_lut"]

if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("stage", choices=["make", "check"])
    ap.add_argument("--only", nargs="*")
    a = ap.parse_args()
    (make if a.stage == "make" else check)(a.only or ALL)
