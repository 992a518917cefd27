#!/usr/bin/env python3
"""Write the small Keras models that the benchmarks (bench/) run, under bench/models/.

  mlp_16_100x5_5   Keras 2 Sequential MLP 16 -> 100 -> 100 -> 100 -> 100 -> 100 -> 5,
                   ReLU on the hidden layers, softmax on the output (42,605 parameters).

The weights are random but seeded, NOT trained: they are drawn with numpy's PCG64 generator
(seed below), independently of TensorFlow's initialisers, so the files do not depend on the TF
version:
  kernels  He-uniform, U(-sqrt(6/fan_in), +sqrt(6/fan_in)), which keeps ReLU activations O(1)
           through the five hidden layers for N(0,1) inputs (well inside ap_fixed<16,6>'s +-32)
  biases   U(-0.1, +0.1) (non-zero, so the bias path is exercised)
Each model directory gets model.json (model.to_json()) and model_weights.h5 (model.save_weights()),
the pair that nnfpga (`predict model.json --weights model_weights.h5`) and hls4ml (KerasJson +
KerasH5) both read.

Run in the Keras 2 venv:  "$(tools/venv.sh k2)/bin/python" tools/make_bench_models.py
It reloads what it wrote and checks that the reloaded model computes the same outputs.
"""

import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

import numpy as np  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODELS_DIR = os.path.join(ROOT, "bench", "models")
SEED = 20240601


def build_mlp(keras, n_in, hidden, n_out, rng):
    layers = [keras.layers.InputLayer(input_shape=(n_in,), name="input_1")]
    for i, width in enumerate(hidden):
        layers.append(keras.layers.Dense(width, activation="relu", name=f"fc{i + 1}"))
    layers.append(keras.layers.Dense(n_out, activation="softmax", name="output"))
    model = keras.Sequential(layers, name="mlp")
    weights = []
    fan_in = n_in
    for width in list(hidden) + [n_out]:
        limit = np.sqrt(6.0 / fan_in)
        weights.append(rng.uniform(-limit, limit, size=(fan_in, width)).astype(np.float32))
        weights.append(rng.uniform(-0.1, 0.1, size=(width,)).astype(np.float32))
        fan_in = width
    model.set_weights(weights)
    return model


def main():
    import tensorflow as tf
    import keras

    if int(keras.__version__.split(".")[0]) >= 3:
        sys.exit("make_bench_models.py needs Keras 2 (the k2 venv: tensorflow-cpu 2.15)")
    tf.config.threading.set_inter_op_parallelism_threads(1)
    tf.config.threading.set_intra_op_parallelism_threads(1)

    rng = np.random.default_rng(SEED)
    name = "mlp_16_100x5_5"
    model = build_mlp(keras, 16, [100] * 5, 5, rng)
    d = os.path.join(MODELS_DIR, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "model.json"), "w") as f:
        f.write(model.to_json())
    model.save_weights(os.path.join(d, "model_weights.h5"))

    # Check: reload from the two files and compare; report activation ranges on N(0,1) inputs.
    with open(os.path.join(d, "model.json")) as f:
        again = keras.models.model_from_json(f.read())
    again.load_weights(os.path.join(d, "model_weights.h5"))
    x = np.random.default_rng(1).standard_normal((1000, 16)).astype(np.float32)
    y0, y1 = model.predict(x, verbose=0), again.predict(x, verbose=0)
    assert np.array_equal(y0, y1), "reloaded model differs"
    peak = 0.0
    h = x
    for layer in again.layers[:-1]:  # the hidden Dense+ReLU layers
        h = layer(h).numpy()
        peak = max(peak, float(np.abs(h).max()))
    print(f"{name}: {model.count_params()} parameters, written to {os.path.relpath(d, ROOT)}; "
          f"max |hidden activation| on 1000 N(0,1) samples = {peak:.2f}; "
          f"class counts {np.bincount(y0.argmax(1), minlength=5).tolist()}")


if __name__ == "__main__":
    main()
