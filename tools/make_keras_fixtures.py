#!/usr/bin/env python3
"""Train the small Keras models committed under tests/fixtures/keras/ and examples/.

The fixtures are made with the real frameworks, in two Python environments:

  * a Keras 2 one (tensorflow-cpu 2.15.1, whose tf.keras is Keras 2.15; with hls4ml 1.3.0)
  * a Keras 3 one (tensorflow-cpu 2.20.0, with Keras 3 on its TensorFlow backend)

Run it through tools/make_keras_fixtures.sh, which makes the environments and runs the stages in
order.  Each stage is one run of this script inside one environment:

  k2        (Keras 2) train every model on a data set shipped inside scikit-learn (or, for the layer_*
            fixtures of keras_layer_fixtures.py, draw random inputs and biases), write model.json,
            model_weights.h5, model_full.h5, input.csv, labels.csv, keras_output.csv, meta.json.
  k3        (Keras 3) rebuild the same architecture with the Keras 3 API, copy the weights in from
            model_weights.h5 (read with h5py, layer by layer), write model.keras and
            keras3_output.csv, complete meta.json.
  example   copy digits_mlp to examples/digits_mlp/ and write its hls4ml-style config.yml.
  check-k2  (Keras 2) reload model_full.h5 and model.json + model_weights.h5, compare with the CSVs.
  check-k3  (Keras 3) reload model.keras, compare with keras3_output.csv, and compare the Keras 3
            outputs with the Keras 2 ones.
  hls4ml    (Keras 2, optional) convert examples/digits_mlp/config.yml with hls4ml, compile its C
            simulation and compare its class predictions with Keras.

All seeds are fixed; training takes seconds.
"""

import argparse
import json
import os
import shutil
import sys
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("PYTHONHASHSEED", "0")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import keras_layer_fixtures as layer_fixtures  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES_DIR = os.path.join(ROOT, "tests", "fixtures", "keras")
EXAMPLES_DIR = os.path.join(ROOT, "examples")
SEED = 1234
ROWS = 200  # rows of input.csv (fewer when the data set's test split is smaller)
REL_TOL = 1e-5  # Keras 3 vs Keras 2 agreement (float32 rounding only)
ABS_TOL = 1e-7  # floor for outputs close to 0 (a softmax's 1e-12 has no meaningful relative error)
SCALE_TOL = 1e-6  # and for outputs close to 0 among large ones (a sum's rounding follows its terms' size)
FMT = "%.9g"  # repr-exact for float32


# ----------------------------------------------------------------------------------------------
# Framework access (the same builders run under Keras 2 and Keras 3)
# ----------------------------------------------------------------------------------------------

def import_keras():
    import tensorflow as tf
    import keras
    tf.config.threading.set_inter_op_parallelism_threads(1)
    tf.config.threading.set_intra_op_parallelism_threads(1)
    return tf, keras


def is_keras3(keras):
    return int(keras.__version__.split(".")[0]) >= 3


def seed_everything(tf, keras, seed):
    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()


class Layers:
    """Layer constructors that spell each layer the way the running Keras wants it.

    `dropped` collects the layers the running Keras does not have (they are left out)."""

    def __init__(self, keras):
        self.k = keras
        self.L = keras.layers
        self.k3 = is_keras3(keras)
        self.dropped = []

    def input(self, shape, name):
        return self.k.Input(shape=shape, name=name)

    def dense(self, units, name, activation=None, use_bias=True):
        return self.L.Dense(units, activation=activation, use_bias=use_bias, name=name)

    def act(self, kind, name):
        return self.L.Activation(kind, name=name)

    def leaky_relu(self, alpha, name):
        if self.k3:
            return self.L.LeakyReLU(negative_slope=alpha, name=name)
        return self.L.LeakyReLU(alpha=alpha, name=name)

    def thresholded_relu(self, theta, name):
        if hasattr(self.L, "ThresholdedReLU"):
            return self.L.ThresholdedReLU(theta=theta, name=name)
        self.dropped.append({"name": name, "class_name": "ThresholdedReLU", "theta": theta})
        return None

    def __getattr__(self, cls):  # plain pass-through for the layers spelled alike in both
        return getattr(self.L, cls)


def sequential(keras, name, layers):
    return keras.Sequential([l for l in layers if l is not None], name=name)


def chain(x, layers):
    for layer in layers:
        if layer is not None:
            x = layer(x)
    return x


# ----------------------------------------------------------------------------------------------
# The fixtures
# ----------------------------------------------------------------------------------------------

def build_digits_mlp(keras, L):
    return sequential(keras, "digits_mlp", [
        L.input((64,), "input_1"),
        L.dense(32, "dense_1", activation="relu"),
        L.BatchNormalization(name="batch_norm_1"),
        L.dense(16, "dense_2", activation="relu"),
        L.Dropout(0.2, name="dropout_1"),
        L.dense(10, "dense_3", activation="softmax"),
    ])


def build_cancer_acts(keras, L):
    layers = [L.input((30,), "input_1")]
    kinds = [(16, "sigmoid"), (16, "tanh"), (12, "elu"), (12, "selu"), (8, "softplus"),
             (8, "softsign"), (8, "hard_sigmoid"), (8, "linear")]
    for i, (units, kind) in enumerate(kinds, 1):
        layers.append(L.dense(units, f"dense_{i}"))
        layers.append(L.act(kind, f"act_{kind}"))
    layers.append(L.dense(1, "output", activation="sigmoid"))
    return sequential(keras, "cancer_acts", layers)


def build_wine_advanced(keras, L):
    inp = L.input((13,), "features")
    out = chain(inp, [
        L.dense(16, "dense_1"),
        L.ReLU(name="relu_1"),
        L.dense(16, "dense_2_nobias", use_bias=False),
        L.leaky_relu(0.1, "leaky_relu_1"),
        L.dense(12, "dense_3"),
        L.ELU(alpha=0.7, name="elu_1"),
        L.dense(12, "dense_4"),
        L.PReLU(alpha_initializer=keras.initializers.Constant(0.25), name="prelu_1"),
        L.dense(8, "dense_5"),
        L.act("leaky_relu", "act_leaky_relu"),
        L.dense(3, "dense_6_nobias", use_bias=False),
        L.Softmax(name="softmax_1"),
    ])
    return keras.Model(inp, out, name="wine_advanced")


def build_digits_reshape(keras, L):
    return sequential(keras, "digits_reshape", [
        L.input((64,), "pixels"),
        L.Reshape((8, 8), name="reshape_8x8"),
        L.BatchNormalization(scale=False, name="batch_norm_rows"),  # over the last axis: 8 channels
        L.Flatten(name="flatten_1"),
        L.dense(32, "dense_1"),
        L.BatchNormalization(center=False, name="batch_norm_1"),
        L.act("relu", "act_relu"),
        L.Dropout(0.25, name="dropout_1"),
        L.dense(10, "dense_2"),
        L.act("softmax", "act_softmax"),
    ])


def build_iris_functional(keras, L):
    inp = L.input((4,), "measurements")
    out = chain(inp, [
        L.dense(16, "hidden_1", activation="relu"),
        L.dense(12, "hidden_2", activation="tanh"),
        L.dense(3, "probabilities", activation="softmax"),
    ])
    return keras.Model(inp, out, name="iris_functional")


def build_digits_thresholded(keras, L):
    return sequential(keras, "digits_thresholded", [
        L.input((64,), "input_1"),
        L.dense(24, "dense_1"),
        L.thresholded_relu(0.3, "thresholded_relu_1"),
        L.Dropout(0.1, name="dropout_1"),
        L.dense(10, "dense_2", activation="softmax"),
    ])


FIXTURES = {
    # name: data set, builder, task, training settings
    "digits_mlp": dict(source="digits", build=build_digits_mlp, epochs=12, lr=3e-3, batch=32),
    "cancer_acts": dict(source="breast_cancer", build=build_cancer_acts, epochs=30, lr=5e-3, batch=32,
                        binary=True),
    "wine_advanced": dict(source="wine", build=build_wine_advanced, epochs=60, lr=5e-3, batch=16),
    "digits_reshape": dict(source="digits", build=build_digits_reshape, epochs=10, lr=3e-3, batch=32),
    "iris_functional": dict(source="iris", build=build_iris_functional, epochs=80, lr=1e-2, batch=16),
    "digits_thresholded": dict(source="digits", build=build_digits_thresholded, epochs=10, lr=3e-3,
                               batch=32),
}
FIXTURES.update(layer_fixtures.LAYER_FIXTURES)
EXAMPLE = "digits_mlp"


def load_data(source):
    """Standardized float32 train/test split of a data set that ships inside scikit-learn; "digits_image"
    is the digits as 8x8x1 images."""
    if source == "digits_image":
        xtr, ytr, xte, yte = load_data("digits")
        return xtr.reshape(-1, 8, 8, 1), ytr, xte.reshape(-1, 8, 8, 1), yte
    from sklearn import datasets
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler
    loader = {"digits": datasets.load_digits, "breast_cancer": datasets.load_breast_cancer,
              "iris": datasets.load_iris, "wine": datasets.load_wine}[source]
    x, y = loader(return_X_y=True)
    # 200 test rows where the data set is big enough, half of it otherwise.
    test_size = ROWS if len(x) >= 2 * ROWS else 0.5
    xtr, xte, ytr, yte = train_test_split(x, y, test_size=test_size, random_state=SEED, stratify=y)
    scaler = StandardScaler().fit(xtr)
    return (scaler.transform(xtr).astype(np.float32), ytr.astype(np.int64),
            scaler.transform(xte).astype(np.float32)[:ROWS], yte.astype(np.int64)[:ROWS])


# ----------------------------------------------------------------------------------------------
# Files
# ----------------------------------------------------------------------------------------------

def write_csv(path, a):
    a = np.asarray(a)
    a = a.reshape(len(a), -1)
    with open(path, "w") as f:
        for row in a:
            f.write(",".join(FMT % v for v in row) + "\n")


def read_csv(path, dtype=np.float32):
    with open(path) as f:
        return np.array([[dtype(float(v)) for v in line.strip().split(",")] for line in f if line.strip()],
                        dtype=dtype)


def csv_text(a):
    a = np.asarray(a)
    a = a.reshape(len(a), -1)
    return "".join(",".join(FMT % v for v in row) + "\n" for row in a)


def predict(model, x):
    """The one prediction call used everywhere (one batch, inference mode, float32); rows of x may be
    flattened (input.csv)."""
    x = np.asarray(x, np.float32).reshape((len(x),) + tuple(model.input_shape[1:]))
    y = np.asarray(model.predict(x, batch_size=len(x), verbose=0), dtype=np.float32)
    return y.reshape(len(y), -1)


def layer_class_names(config_json):
    cfg = json.loads(config_json)["config"]
    return [layer["class_name"] for layer in cfg["layers"]]


def read_meta(d):
    with open(os.path.join(d, "meta.json")) as f:
        return json.load(f)


def write_meta(d, meta):
    with open(os.path.join(d, "meta.json"), "w") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")


def read_keras2_weights(path):
    """{layer name: [arrays in Keras order]} from a Keras 2 save_weights() HDF5 file."""
    import h5py

    def s(v):
        return v.decode("utf8") if isinstance(v, bytes) else str(v)

    out = {}
    with h5py.File(path, "r") as f:
        for lname in (s(n) for n in f.attrs["layer_names"]):
            g = f[lname]
            out[lname] = [np.asarray(g[s(w)]) for w in g.attrs["weight_names"]]
    return out


def rel_diff(a, b):
    a = np.asarray(a, np.float64)
    b = np.asarray(b, np.float64)
    return float(np.max(np.abs(a - b) / np.maximum(np.maximum(np.abs(a), np.abs(b)), 1e-30)))


def close(a, b):
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    floor = max(ABS_TOL, SCALE_TOL * float(np.max(np.abs(b), initial=0.0)))
    return bool(np.all(np.abs(a - b) <= REL_TOL * np.maximum(np.abs(a), np.abs(b)) + floor))


def selected(args):
    names = args.only or list(FIXTURES)
    for n in names:
        if n not in FIXTURES:
            sys.exit(f"unknown fixture {n!r}; known: {', '.join(FIXTURES)}")
    return names


# ----------------------------------------------------------------------------------------------
# Stages
# ----------------------------------------------------------------------------------------------

def stage_k2(args):
    tf, keras = import_keras()
    assert not is_keras3(keras), "stage k2 needs Keras 2 (tensorflow 2.15)"
    for name in selected(args):
        spec = FIXTURES[name]
        d = os.path.join(FIXTURES_DIR, name)
        os.makedirs(d, exist_ok=True)
        for stale in os.listdir(d):
            os.remove(os.path.join(d, stale))
        seed_everything(tf, keras, SEED)
        L = Layers(keras)
        model = spec["build"](keras, L)
        assert not L.dropped
        binary = spec.get("binary", False)
        classify = spec.get("task", "classify") == "classify" and spec["source"] != "random"
        if spec["source"] == "random":  # untrained: random inputs, random biases and statistics
            n_in, n_out = int(np.prod(model.input_shape[1:])), int(np.prod(model.output_shape[1:]))
            xtr, xte = np.zeros((0,)), layer_fixtures.random_inputs(
                name, model.input_shape[1:], spec.get("rows") or layer_fixtures.rows_for(n_in, n_out))
            layer_fixtures.randomize_weights(model, name)
        else:
            xtr, ytr, xte, yte = load_data(spec["source"])
            xte, yte = xte[:spec.get("rows", ROWS)], yte[:spec.get("rows", ROWS)]
            loss = "binary_crossentropy" if binary else "sparse_categorical_crossentropy"
            model.compile(optimizer=keras.optimizers.Adam(learning_rate=spec["lr"]),
                          loss=loss if classify else "mse", metrics=["accuracy"] if classify else [])
            model.fit(xtr, ytr if classify else xtr, epochs=spec["epochs"], batch_size=spec["batch"],
                      shuffle=True, verbose=0)

        write_csv(os.path.join(d, "input.csv"), xte)
        x = read_csv(os.path.join(d, "input.csv"))
        assert np.array_equal(x, xte.reshape(len(xte), -1)), "input.csv does not round-trip"
        y = predict(model, x)
        write_csv(os.path.join(d, "keras_output.csv"), y)
        if not classify:  # no classes: the labels are Keras' own argmax, so --labels measures agreement
            yte = np.argmax(y, axis=1)
        with open(os.path.join(d, "labels.csv"), "w") as f:
            f.writelines(f"{int(v)}\n" for v in yte)

        config_json = model.to_json()
        with open(os.path.join(d, "model.json"), "w") as f:
            f.write(config_json)
        model.save_weights(os.path.join(d, "model_weights.h5"))
        model.save(os.path.join(d, "model_full.h5"), save_format="h5", include_optimizer=False)

        pred = (y[:, 0] > 0.5).astype(np.int64) if binary else np.argmax(y, axis=1)
        acc = float(np.mean(pred == yte))
        if spec["source"] == "random":
            training = {"epochs": 0, "seed": SEED, "inputs": "standard normal, seeded by the fixture name",
                        "weights": "Keras' seeded initialisation; biases, BatchNormalization statistics and "
                                   "scales drawn at random (keras_layer_fixtures.randomize_weights)"}
        else:
            training = {"epochs": spec["epochs"], "batch_size": spec["batch"], "adam_lr": spec["lr"],
                        "seed": SEED, "train_rows": int(len(xtr)),
                        "loss": ("mse, reconstructing the input" if not classify else
                                 "binary_crossentropy" if binary else "sparse_categorical_crossentropy"),
                        "preprocessing": "sklearn StandardScaler fitted on the train split"}
        meta = {
            "source": spec["source"],
            "inputs": int(np.prod(model.input_shape[1:])),
            "outputs": int(np.prod(model.output_shape[1:])),
            "layers": layer_class_names(config_json),
            "keras2": tf.__version__,
            "keras3": None,
            "api": "Sequential" if isinstance(model, keras.Sequential) else "Functional",
            "input_shape": list(model.input_shape[1:]),
            "output_shape": list(model.output_shape[1:]),
            "rows": int(len(x)),
            "keras2_keras_version": keras.__version__,
            "test_accuracy": round(acc, 4) if classify else None,
            "labels": "true class" if classify else "argmax of keras_output.csv (no classes)",
            "training": training,
            "notes": [],
        }
        write_meta(d, meta)
        print(f"[k2] {name}: {meta['layers']} accuracy {acc:.3f} on {len(x)} rows" if classify else
              f"[k2] {name}: {meta['layers']} on {len(x)} rows")


def keras2_semantics_model(keras, model, dropped):
    """A Keras 3 copy of `model` computing what Keras 2 computes (for the cross-check only).

    Keras 3's hard_sigmoid is relu6(x + 3) / 6; Keras 2's is clip(0.2 x + 0.5, 0, 1).  A dropped
    ThresholdedReLU(theta) is put back as x * (x > theta)."""
    import tensorflow as tf

    def hard_sigmoid_k2(x):
        return tf.clip_by_value(0.2 * x + 0.5, 0.0, 1.0)

    after = {}  # layer name -> dropped layer spec that followed it
    for dspec in dropped:
        # the dropped layer sat right after the layer recorded in its spec
        after[dspec["after"]] = dspec
    x = inp = keras.Input(shape=model.input_shape[1:])
    for layer in model.layers:
        if isinstance(layer, keras.layers.InputLayer):
            continue
        if isinstance(layer, keras.layers.Activation) and layer.get_config()["activation"] == "hard_sigmoid":
            x = keras.layers.Lambda(hard_sigmoid_k2)(x)
        else:
            x = layer(x)
        if layer.name in after:
            theta = after[layer.name]["theta"]
            x = keras.layers.Lambda(lambda t, th=theta: t * tf.cast(t > th, t.dtype))(x)
    return keras.Model(inp, x)


def stage_k3(args):
    tf, keras = import_keras()
    assert is_keras3(keras), "stage k3 needs Keras 3"
    for name in selected(args):
        spec = FIXTURES[name]
        d = os.path.join(FIXTURES_DIR, name)
        meta = read_meta(d)
        with open(os.path.join(d, "model.json")) as f:
            k2_config = json.load(f)
        k2_names = [l["config"]["name"] for l in k2_config["config"]["layers"]]

        seed_everything(tf, keras, SEED)
        L = Layers(keras)
        model = spec["build"](keras, L)
        weights = read_keras2_weights(os.path.join(d, "model_weights.h5"))
        k3_names = set()
        for layer in model.layers:
            k3_names.add(layer.name)
            want = weights.get(layer.name, [])
            have = layer.get_weights()
            assert len(want) == len(have), (name, layer.name, len(want), len(have))
            for w, h in zip(want, have):
                assert w.shape == h.shape, (name, layer.name, w.shape, h.shape)
            if want:
                layer.set_weights(want)
        missing = {n for n, w in weights.items() if w} - k3_names
        assert not missing, (name, missing)
        for dspec in L.dropped:  # remember where the dropped layer sat, for the cross-check
            i = k2_names.index(dspec["name"])
            dspec["after"] = k2_names[i - 1]

        x = read_csv(os.path.join(d, "input.csv"))
        model.save(os.path.join(d, "model.keras"))
        y3 = predict(model, x)
        write_csv(os.path.join(d, "keras3_output.csv"), y3)
        y2 = read_csv(os.path.join(d, "keras_output.csv"))

        notes = [n for n in meta.get("notes", []) if not n.startswith("keras3:")]
        meta["keras3"] = keras.__version__
        meta["keras3_tensorflow"] = tf.__version__
        # The class names Keras 3 writes into model.keras (InputLayer first, as in model.json).
        cfg = json.loads(json.dumps(model.get_config()))
        meta["keras3_layers"] = [l["class_name"] for l in cfg["layers"]]
        meta["keras3_vs_keras2_max_rel_diff"] = rel_diff(y3, y2)
        meta["keras3_matches_keras2"] = close(y3, y2)
        meta["keras3_dropped_layers"] = [{k: v for k, v in s.items()} for s in L.dropped]
        hard_sigmoid = "hard_sigmoid" in json.dumps(k2_config)
        if L.dropped or hard_sigmoid:
            ref = keras2_semantics_model(keras, model, L.dropped)
            yk = predict(ref, x)
            meta["keras3_with_keras2_semantics_max_rel_diff"] = rel_diff(yk, y2)
            assert close(yk, y2), f"{name}: Keras 3 with Keras 2 semantics disagrees with Keras 2"
        if hard_sigmoid:
            notes.append("keras3: hard_sigmoid differs: Keras 2 computes clip(0.2*x + 0.5, 0, 1), Keras 3 "
                         "relu6(x + 3) / 6 = clip(x/6 + 0.5, 0, 1); model.keras has the same weights, but "
                         "keras3_output.csv is Keras 3's (different) answer. Replacing it with the Keras 2 "
                         "formula in Keras 3 reproduces keras_output.csv "
                         "(keras3_with_keras2_semantics_max_rel_diff).")
        for s in L.dropped:
            notes.append(f"keras3: Keras 3 has no {s['class_name']}; model.keras leaves out "
                         f"{s['name']} (theta {s['theta']}), so it is a different model and "
                         "keras3_output.csv differs from keras_output.csv. Putting x * (x > theta) back "
                         "in Keras 3 reproduces keras_output.csv.")
        meta["notes"] = notes
        if not (hard_sigmoid or L.dropped):
            assert meta["keras3_matches_keras2"], f"{name}: Keras 3 disagrees with Keras 2 ({rel_diff(y3, y2)})"
        write_meta(d, meta)
        print(f"[k3] {name}: matches keras2: {meta['keras3_matches_keras2']} "
              f"(max rel diff {meta['keras3_vs_keras2_max_rel_diff']:.3g})")


EXAMPLE_CONFIG = """\
# hls4ml-style configuration of the bundled example (paths are relative to this file's folder).
KerasJson: model.json
KerasH5: model_weights.h5
OutputDir: digits_mlp_prj
ProjectName: digits_mlp
Part: xcvu13p-flga2577-2-e
ClockPeriod: 5
IOType: io_parallel
HLSConfig:
  Model:
    Precision: ap_fixed<16,6>
    ReuseFactor: 1
"""


def stage_example(args):
    src = os.path.join(FIXTURES_DIR, EXAMPLE)
    dst = os.path.join(EXAMPLES_DIR, EXAMPLE)
    os.makedirs(dst, exist_ok=True)  # README.md there is written by hand and kept
    for f in sorted(os.listdir(src)):
        shutil.copy2(os.path.join(src, f), os.path.join(dst, f))
    with open(os.path.join(dst, "config.yml"), "w") as f:
        f.write(EXAMPLE_CONFIG)
    print(f"[example] {dst}: {', '.join(sorted(os.listdir(dst)))}")


def stage_check_k2(args):
    tf, keras = import_keras()
    assert not is_keras3(keras)
    for name in selected(args):
        d = os.path.join(FIXTURES_DIR, name)
        x = read_csv(os.path.join(d, "input.csv"))
        with open(os.path.join(d, "keras_output.csv")) as f:
            want = f.read()
        full = keras.models.load_model(os.path.join(d, "model_full.h5"), compile=False)
        assert csv_text(predict(full, x)) == want, f"{name}: model_full.h5 disagrees with keras_output.csv"
        with open(os.path.join(d, "model.json")) as f:
            m = keras.models.model_from_json(f.read())
        m.load_weights(os.path.join(d, "model_weights.h5"))
        assert csv_text(predict(m, x)) == want, f"{name}: model.json + weights disagree with keras_output.csv"
        meta = read_meta(d)
        assert meta["layers"] == layer_class_names(full.to_json())
        assert meta["inputs"] == x.shape[1] and meta["outputs"] == len(want.splitlines()[0].split(","))
        sizes = {f: os.path.getsize(os.path.join(d, f)) for f in os.listdir(d)}
        for f, size in sizes.items():
            assert size < 200_000, f"{name}/{f} is {size} bytes"
        if name in layer_fixtures.LAYER_FIXTURES:
            assert sum(sizes.values()) < 300_000, f"{name} is {sum(sizes.values())} bytes"
        print(f"[check-k2] {name}: model_full.h5 and model.json+model_weights.h5 reproduce keras_output.csv")
    if os.path.isdir(os.path.join(EXAMPLES_DIR, EXAMPLE)):
        for f in os.listdir(os.path.join(FIXTURES_DIR, EXAMPLE)):
            if f.endswith((".csv", ".json", ".h5")) and not f.startswith("hls4ml"):
                a = open(os.path.join(FIXTURES_DIR, EXAMPLE, f), "rb").read()
                b = open(os.path.join(EXAMPLES_DIR, EXAMPLE, f), "rb").read()
                assert a == b, f"examples/{EXAMPLE}/{f} differs from the fixture"
        print(f"[check-k2] examples/{EXAMPLE} matches tests/fixtures/keras/{EXAMPLE}")


def stage_check_k3(args):
    tf, keras = import_keras()
    assert is_keras3(keras)
    for name in selected(args):
        d = os.path.join(FIXTURES_DIR, name)
        x = read_csv(os.path.join(d, "input.csv"))
        with open(os.path.join(d, "keras3_output.csv")) as f:
            want = f.read()
        model = keras.models.load_model(os.path.join(d, "model.keras"), compile=False)
        y3 = predict(model, x)
        assert csv_text(y3) == want, f"{name}: model.keras disagrees with keras3_output.csv"
        y2 = read_csv(os.path.join(d, "keras_output.csv"))
        meta = read_meta(d)
        ok = close(y3, y2)
        assert ok == meta["keras3_matches_keras2"], name
        if not ok:
            assert meta["notes"], f"{name}: Keras 3 disagrees with Keras 2 and meta.json says nothing"
        print(f"[check-k3] {name}: model.keras reproduces keras3_output.csv; "
              f"{'agrees with' if ok else 'differs (as noted) from'} keras_output.csv "
              f"(max rel diff {rel_diff(y3, y2):.3g})")


def stage_hls4ml(args):
    """Convert the example with hls4ml (reference tool) and compare class predictions."""
    import yaml
    import hls4ml
    src = os.path.join(EXAMPLES_DIR, EXAMPLE)
    with tempfile.TemporaryDirectory() as tmp:
        for f in os.listdir(src):
            shutil.copy2(os.path.join(src, f), tmp)
        cwd = os.getcwd()
        os.chdir(tmp)
        try:
            with open("config.yml") as f:
                config = yaml.safe_load(f)
            config.setdefault("Backend", "Vivado")  # hls4ml's own default, which this entry point needs
            hls_model = hls4ml.converters.keras_v2_to_hls(config)
            hls_model.compile()
            x = read_csv("input.csv")
            y = np.asarray(hls_model.predict(np.ascontiguousarray(x)), dtype=np.float64).reshape(len(x), -1)
        finally:
            os.chdir(cwd)
    k = read_csv(os.path.join(src, "keras_output.csv"))
    agree = float(np.mean(np.argmax(y, 1) == np.argmax(k, 1)))
    print(f"[hls4ml] {EXAMPLE}: hls4ml {hls4ml.__version__} ap_fixed<16,6> argmax agrees with Keras on "
          f"{agree:.1%} of rows; max |diff| {np.max(np.abs(y - k)):.4g}")
    assert agree >= 0.95


STAGES = {"k2": stage_k2, "k3": stage_k3, "example": stage_example, "check-k2": stage_check_k2,
          "check-k3": stage_check_k3, "hls4ml": stage_hls4ml}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("stage", choices=list(STAGES))
    p.add_argument("--only", nargs="*", help="fixture names (default: all)")
    args = p.parse_args()
    STAGES[args.stage](args)


if __name__ == "__main__":
    main()
