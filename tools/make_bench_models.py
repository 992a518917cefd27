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
  conv_ae_16x16   Keras 2 convolutional autoencoder 16x16x1 -> Conv2D(8,3,same,relu) -> MaxPool 2 ->
                   Conv2D(4,3,same,relu) -> MaxPool 2 -> Conv2D(4,3,same,relu) -> UpSampling 2 ->
                   Conv2D(8,3,same,relu) -> UpSampling 2 -> Conv2D(1,3,same) -> 16x16x1 (only layers
                   hls4ml also implements, so that both tools run it).

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


def build_conv_ae(keras, rng):
    L = keras.layers
    model = keras.Sequential([
        L.InputLayer(input_shape=(16, 16, 1), name="input_1"),
        L.Conv2D(8, 3, padding="same", activation="relu", name="enc1"),
        L.MaxPooling2D(2, name="pool1"),
        L.Conv2D(4, 3, padding="same", activation="relu", name="enc2"),
        L.MaxPooling2D(2, name="pool2"),
        L.Conv2D(4, 3, padding="same", activation="relu", name="dec1"),
        L.UpSampling2D(2, name="up1"),
        L.Conv2D(8, 3, padding="same", activation="relu", name="dec2"),
        L.UpSampling2D(2, name="up2"),
        L.Conv2D(1, 3, padding="same", name="out"),
    ], name="conv_ae")
    weights = []
    for w in model.get_weights():
        if w.ndim == 4:  # He-uniform on the kernel's fan-in (kh*kw*chan)
            limit = np.sqrt(6.0 / np.prod(w.shape[:3]))
            weights.append(rng.uniform(-limit, limit, size=w.shape).astype(np.float32))
        else:
            weights.append(rng.uniform(-0.1, 0.1, size=w.shape).astype(np.float32))
    model.set_weights(weights)
    return model


def write_model(keras, model, name):
    """Writes model.json + model_weights.h5, checks that the reloaded pair computes the same; returns it."""
    d = os.path.join(MODELS_DIR, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "model.json"), "w") as f:
        f.write(model.to_json())
    model.save_weights(os.path.join(d, "model_weights.h5"))
    with open(os.path.join(d, "model.json")) as f:
        again = keras.models.model_from_json(f.read())
    again.load_weights(os.path.join(d, "model_weights.h5"))
    x = np.random.default_rng(1).standard_normal((100,) + tuple(model.input_shape[1:])).astype(np.float32)
    y0, y1 = model.predict(x, verbose=0), again.predict(x, verbose=0)
    assert np.array_equal(y0, y1), "reloaded model differs"
    print(f"{name}: {model.count_params()} parameters, written to {os.path.relpath(d, ROOT)}; "
          f"max |output| on 100 N(0,1) samples = {np.abs(y0).max():.2f}")
    return again


def main():
    import tensorflow as tf
    import keras

    if int(keras.__version__.split(".")[0]) >= 3:
        sys.exit("make_bench_models.py needs Keras 2 (the k2 venv: tensorflow-cpu 2.15)")
    tf.config.threading.set_inter_op_parallelism_threads(1)
    tf.config.threading.set_intra_op_parallelism_threads(1)

    mlp = write_model(keras, build_mlp(keras, 16, [100] * 5, 5, np.random.default_rng(SEED)), "mlp_16_100x5_5")
    x = np.random.default_rng(1).standard_normal((1000, 16)).astype(np.float32)
    h, peak = x, 0.0
    for layer in mlp.layers[:-1]:  # the hidden Dense+ReLU layers
        h = layer(h).numpy()
        peak = max(peak, float(np.abs(h).max()))
    print(f"  max |hidden activation| on 1000 N(0,1) samples = {peak:.2f}; class counts "
          f"{np.bincount(mlp.predict(x, verbose=0).argmax(1), minlength=5).tolist()}")
    write_model(keras, build_conv_ae(keras, np.random.default_rng(SEED + 1)), "conv_ae_16x16")


if __name__ == "__main__":
    main()
