#!/usr/bin/env python3
"""Train the small QKeras models committed under tests/fixtures/qkeras/.

Runs in the `qk` environment (tools/venv.sh qk: tensorflow-cpu 2.14.1, QKeras 0.9.0, scikit-learn); use
tools/make_qkeras_fixtures.sh, which makes it.  Stages:

  make    train every model on a data set shipped inside scikit-learn and write, per fixture,
          model.json, model_weights.h5, model_full.h5, input.csv, qkeras_output.csv (the QKeras model's own
          predict(), float32 printed with %.9g) and meta.json.
  check   reload model_full.h5 and model.json + model_weights.h5 with QKeras and compare with
          qkeras_output.csv bit for bit.

QActivation layers name their quantizer as a string: a quantizer object in a QActivation does not survive
QKeras's own JSON round trip (the check stage reloads every model).  The inputs are standardised features rounded to a 2^-8 grid inside (-16, 16): exact in the default
ap_fixed<16,6> input type, so that the first quantizer sees the very values QKeras sees.  `exact` in
meta.json says whether the model's float32 arithmetic is exact (every sum and product representable), which
is what makes a bit-exact reproduction possible; the fixtures marked inexact document how close a model
with a float scale (alpha='auto', a QBatchNormalization with a general epsilon) comes.

All seeds are fixed; training takes seconds.
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
FIXTURES_DIR = os.path.join(ROOT, "tests", "fixtures", "qkeras")
SEED = 1234
ROWS = 200
GRID = 2.0 ** -8  # input grid
FMT = "%.9g"


def import_tf():
    import tensorflow as tf
    tf.config.threading.set_inter_op_parallelism_threads(1)
    tf.config.threading.set_intra_op_parallelism_threads(1)
    return tf


def dataset(name):
    from sklearn import datasets
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler
    loader = {"iris": datasets.load_iris, "wine": datasets.load_wine, "cancer": datasets.load_breast_cancer,
              "digits": datasets.load_digits}[name]
    x, y = loader(return_X_y=True)
    xtr, xte, ytr, yte = train_test_split(x, y, test_size=0.3, random_state=SEED, stratify=y)
    sc = StandardScaler().fit(xtr)
    q = lambda a: np.clip(np.round(sc.transform(a) / GRID) * GRID, -15.5, 15.5).astype(np.float32)
    return q(xtr), ytr, q(xte), yte, int(y.max()) + 1


# ----------------------------------------------------------------------------------------------
# The fixtures: name -> (data set, builder(keras, qkeras, n_in, n_out), epochs, exact, notes)
# ----------------------------------------------------------------------------------------------

def b_bits_relu(k, q, n_in, n_out):
    L = k.layers
    return k.Sequential([
        k.Input((n_in,), name="features"),
        q.QActivation("quantized_bits(8,3,alpha=1)", name="q_input"),
        q.QDense(16, kernel_quantizer=q.quantized_bits(6, 0, alpha=1), bias_quantizer=q.quantized_bits(6, 0, alpha=1),
                 name="fc1"),
        q.QActivation("quantized_relu(6,2)", name="relu1"),
        q.QDense(12, kernel_quantizer=q.quantized_bits(4, 0, alpha=1), bias_quantizer=q.quantized_bits(8, 2, alpha=1),
                 name="fc2"),
        q.QActivation("quantized_relu(4,1)", name="relu2"),
        q.QDense(n_out, kernel_quantizer=q.quantized_bits(8, 1, alpha=1), bias_quantizer=q.quantized_bits(8, 3, alpha=1),
                 name="out"),
    ], name="bits_relu")


def b_bits_wide(k, q, n_in, n_out):
    """Wider and narrower quantized_bits, symmetric and unsigned variants, a quantizer used as activation."""
    return k.Sequential([
        k.Input((n_in,), name="features"),
        q.QActivation("quantized_bits(10,4,alpha=1)", name="q_input"),
        q.QDense(20, kernel_quantizer="quantized_bits(3,0,1,alpha=1)", bias_quantizer="quantized_bits(5,1,alpha=1)",
                 activation="quantized_relu(5,2)", name="fc1"),
        q.QDense(10, kernel_quantizer=q.quantized_bits(2, 0, alpha=1), use_bias=False, name="fc2"),
        q.QActivation("quantized_bits(6,2,symmetric=1,alpha=1)", name="sym"),
        q.QDense(10, kernel_quantizer=q.quantized_bits(7, 1, alpha=1), bias_quantizer=q.quantized_bits(7, 1, alpha=1),
                 name="fc3"),
        q.QActivation("quantized_bits(6,3,keep_negative=False,alpha=1)", name="unsigned"),
        q.QDense(n_out, kernel_quantizer=q.quantized_bits(8, 0, alpha=1), bias_quantizer=q.quantized_bits(8, 0, alpha=1),
                 name="out"),
    ], name="bits_wide")


def b_auto_po2(k, q, n_in, n_out):
    """alpha='auto_po2' (explicit, and implied by a kernel quantizer without alpha): per-channel power-of-two scales.
    The output layer keeps a float32 bias (no bias quantizer), so its float32 sum rounds."""
    return k.Sequential([
        k.Input((n_in,), name="features"),
        q.QActivation("quantized_bits(8,3,alpha=1)", name="q_input"),
        q.QDense(16, kernel_quantizer=q.quantized_bits(4, 0, alpha="auto_po2"), bias_quantizer=q.quantized_bits(8, 3),
                 name="fc1"),
        q.QActivation("quantized_relu(6,2)", name="relu1"),
        q.QDense(12, kernel_quantizer=q.quantized_bits(5, 1), bias_quantizer=q.quantized_bits(8, 3), name="fc2"),
        q.QActivation("quantized_relu(5,2)", name="relu2"),
        q.QDense(n_out, kernel_quantizer=q.quantized_bits(6, 0, alpha="auto_po2"), name="out"),
    ], name="auto_po2")


def b_auto(k, q, n_in, n_out):
    """alpha='auto': float per-channel scales (TensorFlow rounds the scaled weights and the sums to float32)."""
    return k.Sequential([
        k.Input((n_in,), name="features"),
        q.QActivation("quantized_bits(8,3,alpha=1)", name="q_input"),
        q.QDense(16, kernel_quantizer=q.quantized_bits(4, 0, alpha="auto"), bias_quantizer=q.quantized_bits(8, 3),
                 name="fc1"),
        q.QActivation("quantized_relu(6,2)", name="relu1"),
        q.QDense(n_out, kernel_quantizer=q.quantized_bits(6, 0, alpha=1), bias_quantizer=q.quantized_bits(8, 3),
                 name="out"),
        q.QActivation("quantized_bits(8,3,alpha=1)", name="q_out"),
    ], name="auto")


def b_tanh_sigmoid(k, q, n_in, n_out):
    return k.Sequential([
        k.Input((n_in,), name="features"),
        q.QActivation("quantized_bits(8,3,alpha=1)", name="q_input"),
        q.QDense(16, kernel_quantizer=q.quantized_bits(6, 0, alpha=1), bias_quantizer=q.quantized_bits(6, 0, alpha=1),
                 name="fc1"),
        q.QActivation("quantized_tanh(6)", name="tanh1"),
        q.QDense(12, kernel_quantizer=q.quantized_bits(6, 0, alpha=1), bias_quantizer=q.quantized_bits(6, 0, alpha=1),
                 name="fc2"),
        q.QActivation("quantized_tanh(5,symmetric=True)", name="tanh_sym"),
        q.QDense(12, kernel_quantizer=q.quantized_bits(6, 0, alpha=1), bias_quantizer=q.quantized_bits(6, 0, alpha=1),
                 name="fc3"),
        q.QActivation("quantized_sigmoid(6)", name="sigmoid1"),
        q.QDense(n_out, kernel_quantizer=q.quantized_bits(8, 1, alpha=1), bias_quantizer=q.quantized_bits(8, 1, alpha=1),
                 name="out"),
        q.QActivation("quantized_sigmoid(8)", name="sigmoid_out"),
    ], name="tanh_sigmoid")


def b_qbn(k, q, n_in, n_out):
    """QBatchNormalization with its default (power-of-two) quantizers and an epsilon below the variance's float32
    resolution: every float32 operation is exact."""
    return k.Sequential([
        k.Input((n_in,), name="features"),
        q.QActivation("quantized_bits(8,3,alpha=1)", name="q_input"),
        q.QDense(16, kernel_quantizer=q.quantized_bits(6, 0, alpha=1), bias_quantizer=q.quantized_bits(6, 0, alpha=1),
                 name="fc1"),
        q.QBatchNormalization(epsilon=1e-9, name="bn1"),
        q.QActivation("quantized_relu(6,2)", name="relu1"),
        q.QDense(n_out, kernel_quantizer=q.quantized_bits(8, 1, alpha=1), bias_quantizer=q.quantized_bits(8, 1, alpha=1),
                 name="out"),
    ], name="qbn")


def b_qbn_eps(k, q, n_in, n_out):
    """QBatchNormalization with the default epsilon 1e-3: TensorFlow's rsqrt and float32 rounding enter."""
    return k.Sequential([
        k.Input((n_in,), name="features"),
        q.QActivation("quantized_bits(8,3,alpha=1)", name="q_input"),
        q.QDense(16, kernel_quantizer=q.quantized_bits(6, 0, alpha=1), bias_quantizer=q.quantized_bits(6, 0, alpha=1),
                 name="fc1"),
        q.QBatchNormalization(name="bn1"),
        q.QActivation("quantized_relu(6,2)", name="relu1"),
        q.QDense(n_out, kernel_quantizer=q.quantized_bits(8, 1, alpha=1), bias_quantizer=q.quantized_bits(8, 1, alpha=1),
                 name="out"),
    ], name="qbn_eps")


def b_binary(k, q, n_in, n_out):
    """Binary weights and binary activations (XNOR-popcount), then a binary layer with auto_po2 scales."""
    return k.Sequential([
        k.Input((n_in,), name="features"),
        q.QActivation("quantized_bits(8,3,alpha=1)", name="q_input"),
        q.QDense(64, kernel_quantizer=q.binary(alpha=1), bias_quantizer=q.quantized_bits(8, 3, alpha=1), name="fc1"),
        q.QActivation("binary()", name="bin1"),
        q.QDense(32, kernel_quantizer=q.binary(alpha=1), use_bias=False, name="fc2"),
        q.QActivation("binary_tanh", name="bin2"),
        q.QDense(32, kernel_quantizer=q.binary(), bias_quantizer=q.quantized_bits(8, 3, alpha=1), name="fc3"),
        q.QActivation("binary(use_01=True)", name="bin01"),
        q.QDense(n_out, kernel_quantizer=q.quantized_bits(8, 2, alpha=1), bias_quantizer=q.quantized_bits(8, 3, alpha=1),
                 name="out"),
    ], name="binary")


def b_ternary(k, q, n_in, n_out):
    return k.Sequential([
        k.Input((n_in,), name="features"),
        q.QActivation("quantized_bits(8,3,alpha=1)", name="q_input"),
        q.QDense(32, kernel_quantizer=q.ternary(alpha=1), bias_quantizer=q.quantized_bits(8, 3, alpha=1), name="fc1"),
        q.QActivation("ternary()", name="tern1"),
        q.QDense(16, kernel_quantizer=q.ternary(), use_bias=False, name="fc2"),
        q.QActivation("ternary(threshold=0.5)", name="tern2"),
        q.QDense(n_out, kernel_quantizer=q.quantized_bits(8, 2, alpha=1), bias_quantizer=q.quantized_bits(8, 3, alpha=1),
                 name="out"),
    ], name="ternary")


def b_po2(k, q, n_in, n_out):
    return k.Sequential([
        k.Input((n_in,), name="features"),
        q.QActivation("quantized_bits(8,3,alpha=1)", name="q_input"),
        q.QDense(16, kernel_quantizer=q.quantized_po2(4, 1), bias_quantizer=q.quantized_po2(5), name="fc1"),
        q.QActivation("quantized_relu_po2(4)", name="relu_po2"),
        q.QDense(12, kernel_quantizer=q.quantized_po2(5), bias_quantizer=q.quantized_bits(8, 3, alpha=1), name="fc2"),
        q.QActivation("quantized_po2(5,4)", name="po2"),
        q.QDense(n_out, kernel_quantizer=q.quantized_bits(8, 1, alpha=1), bias_quantizer=q.quantized_bits(8, 3, alpha=1),
                 name="out"),
    ], name="po2")


# ---- convolutions (digits: the 64 features as an 8x8 image, or 8 steps of 8 channels) -------------------------

def head(k, q, n_out):
    """Flatten and a quantized output layer."""
    return [k.layers.Flatten(name="flatten"),
            q.QDense(n_out, kernel_quantizer=q.quantized_bits(8, 1, alpha=1), bias_quantizer=q.quantized_bits(8, 3, alpha=1),
                     name="out")]


def image(k, q, n_in, shape):
    return [k.Input((n_in,), name="features"), k.layers.Reshape(shape, name="image"),
            q.QActivation("quantized_bits(8,3,alpha=1)", name="q_input")]


def b_qconv1d(k, q, n_in, n_out):
    """QConv1D: 'valid' with alpha 1, then 'same' with alpha='auto' (float scales) and a quantizer activation."""
    return k.Sequential(image(k, q, n_in, (8, 8)) + [
        q.QConv1D(6, 3, kernel_quantizer=q.quantized_bits(6, 0, alpha=1), bias_quantizer=q.quantized_bits(6, 2, alpha=1),
                  name="conv1"),
        q.QActivation("quantized_relu(6,2)", name="relu1"),
        q.QConv1D(4, 3, padding="same", kernel_quantizer=q.quantized_bits(5, 0, alpha="auto"),
                  bias_quantizer=q.quantized_bits(8, 3, alpha=1), activation="quantized_relu(5,2)", name="conv2"),
    ] + head(k, q, n_out), name="qconv1d")


def b_qconv2d(k, q, n_in, n_out):
    """QConv2D with alpha 1, max pooling, then a QConv2D whose kernel quantizer has no alpha (auto_po2 implied)."""
    return k.Sequential(image(k, q, n_in, (8, 8, 1)) + [
        q.QConv2D(4, (3, 3), kernel_quantizer=q.quantized_bits(6, 0, alpha=1), bias_quantizer=q.quantized_bits(6, 2, alpha=1),
                  name="conv1"),
        q.QActivation("quantized_relu(6,2)", name="relu1"),
        k.layers.MaxPooling2D((2, 2), name="pool1"),
        q.QConv2D(6, (2, 2), padding="same", kernel_quantizer=q.quantized_bits(4, 2),
                  bias_quantizer=q.quantized_bits(8, 3, alpha=1), activation="quantized_relu(6,2)", name="conv2"),
    ] + head(k, q, n_out), name="qconv2d")


def b_qdepthwise(k, q, n_in, n_out):
    """QDepthwiseConv2D (depth multiplier 2, alpha='auto_po2': one scale per multiplier index) after a QConv2D."""
    return k.Sequential(image(k, q, n_in, (8, 8, 1)) + [
        q.QConv2D(3, (3, 3), kernel_quantizer=q.quantized_bits(6, 0, alpha=1), bias_quantizer=q.quantized_bits(6, 2, alpha=1),
                  name="conv1"),
        q.QActivation("quantized_relu(6,2)", name="relu1"),
        q.QDepthwiseConv2D((3, 3), depth_multiplier=2, depthwise_quantizer=q.quantized_bits(5, 2, alpha="auto_po2"),
                           bias_quantizer=q.quantized_bits(8, 3, alpha=1), name="dw1"),
        q.QActivation("quantized_relu(6,2)", name="relu2"),
    ] + head(k, q, n_out), name="qdepthwise")


def b_qseparable1d(k, q, n_in, n_out):
    """QSeparableConv1D: depthwise alpha 1, pointwise without alpha (auto_po2 implied), a quantizer activation."""
    return k.Sequential(image(k, q, n_in, (8, 8)) + [
        q.QSeparableConv1D(6, 3, depthwise_quantizer=q.quantized_bits(6, 0, alpha=1), pointwise_quantizer=q.quantized_bits(6, 0),
                           bias_quantizer=q.quantized_bits(8, 3, alpha=1), activation="quantized_relu(6,2)", name="sep1"),
    ] + head(k, q, n_out), name="qseparable1d")


def b_qseparable2d(k, q, n_in, n_out):
    """QSeparableConv2D then QDepthwiseConv2D, depth multiplier 1 and alpha 1 (what hls4ml 1.3 converts), then
    max pooling."""
    return k.Sequential(image(k, q, n_in, (8, 8, 1)) + [
        q.QSeparableConv2D(4, (3, 3), depthwise_quantizer=q.quantized_bits(6, 0, alpha=1),
                           pointwise_quantizer=q.quantized_bits(5, 0, alpha=1), bias_quantizer=q.quantized_bits(8, 3, alpha=1),
                           name="sep1"),
        q.QActivation("quantized_relu(6,2)", name="relu1"),
        q.QDepthwiseConv2D((3, 3), depthwise_quantizer=q.quantized_bits(6, 1, alpha=1),
                           bias_quantizer=q.quantized_bits(8, 3, alpha=1), name="dw1"),
        q.QActivation("quantized_relu(6,2)", name="relu2"),
        k.layers.MaxPooling2D((2, 2), name="pool1"),
    ] + head(k, q, n_out), name="qseparable2d")


def b_qconv2dbn(k, q, n_in, n_out):
    """QConv2DBatchnorm: the batch normalisation folded into the kernel and bias (moving statistics, TensorFlow's
    rsqrt), the folded kernel quantized (alpha 1) and the folded bias quantized."""
    return k.Sequential(image(k, q, n_in, (8, 8, 1)) + [
        q.QConv2DBatchnorm(4, (3, 3), kernel_quantizer=q.quantized_bits(8, 2, alpha=1),
                           bias_quantizer=q.quantized_bits(10, 4, alpha=1), activation="quantized_relu(6,2)", name="convbn1"),
    ] + head(k, q, n_out), name="qconv2dbn")


def b_relu_slope(k, q, n_in, n_out):
    """quantized_relu with negative_slope (a leaky relu: the negative side rounded on the same grid and clipped at
    -negative_slope * 2^integer), as a QActivation and as a QDense activation."""
    return k.Sequential([
        k.Input((n_in,), name="features"),
        q.QActivation("quantized_bits(8,3,alpha=1)", name="q_input"),
        q.QDense(16, kernel_quantizer=q.quantized_bits(6, 0, alpha=1), bias_quantizer=q.quantized_bits(6, 0, alpha=1),
                 name="fc1"),
        q.QActivation("quantized_relu(6,2,negative_slope=0.25)", name="leaky1"),
        q.QDense(12, kernel_quantizer=q.quantized_bits(6, 0, alpha=1), bias_quantizer=q.quantized_bits(6, 0, alpha=1),
                 activation="quantized_relu(5,1,negative_slope=0.125)", name="fc2"),
        q.QDense(n_out, kernel_quantizer=q.quantized_bits(8, 1, alpha=1), bias_quantizer=q.quantized_bits(8, 3, alpha=1),
                 name="out"),
    ], name="relu_slope")


def b_qconv_binary(k, q, n_in, n_out):
    """Binary and ternary convolution kernels: a binary kernel on 8-bit pixels and a ternary one (the HLS library adds
    or subtracts instead of multiplying), and a binary kernel on binary activations with 'same' padding
    (XNOR-popcount)."""
    return k.Sequential(image(k, q, n_in, (8, 8, 1)) + [
        q.QConv2D(4, (3, 3), kernel_quantizer=q.binary(alpha=1), bias_quantizer=q.quantized_bits(8, 3, alpha=1),
                  name="conv1"),
        q.QActivation("binary()", name="bin1"),
        q.QConv2D(4, (3, 3), padding="same", kernel_quantizer=q.binary(alpha=1), use_bias=False, name="conv2"),
        q.QActivation("binary()", name="bin2"),
        q.QConv2D(4, (3, 3), kernel_quantizer=q.ternary(alpha=1), use_bias=False, name="conv3"),
        q.QActivation("ternary()", name="tern3"),
    ] + head(k, q, n_out), name="qconv_binary")


def b_qconv_po2(k, q, n_in, n_out):
    """Power-of-two kernels (quantized_po2) on a QConv2D over signed pixels and on two QDense layers: the products
    hls4ml computes as truncating shifts."""
    return k.Sequential(image(k, q, n_in, (8, 8, 1)) + [
        q.QConv2D(4, (3, 3), kernel_quantizer=q.quantized_po2(5), bias_quantizer=q.quantized_bits(6, 2, alpha=1),
                  name="conv1"),
        q.QActivation("quantized_relu(6,2)", name="relu1"),
        k.layers.Flatten(name="flatten"),
        q.QDense(16, kernel_quantizer=q.quantized_po2(5, 1), bias_quantizer=q.quantized_bits(8, 3, alpha=1), name="fc1"),
        q.QActivation("quantized_relu(4,2)", name="relu2"),
        q.QDense(n_out, kernel_quantizer=q.quantized_po2(4, 1), bias_quantizer=q.quantized_bits(8, 3, alpha=1),
                 name="out"),
    ], name="qconv_po2")


FIXTURES = {
    "bits_relu": ("cancer", b_bits_relu, 20, True),
    "bits_wide": ("wine", b_bits_wide, 30, True),
    "auto_po2": ("cancer", b_auto_po2, 20, False),  # the output layer's bias is a float
    "auto": ("cancer", b_auto, 20, False),
    "tanh_sigmoid": ("wine", b_tanh_sigmoid, 30, True),
    "qbn": ("cancer", b_qbn, 20, True),
    "qbn_eps": ("cancer", b_qbn_eps, 20, False),
    "binary": ("digits", b_binary, 10, True),
    "ternary": ("digits", b_ternary, 10, True),
    "po2": ("wine", b_po2, 30, True),
    "qconv1d": ("digits", b_qconv1d, 10, False),  # alpha='auto'
    "qconv2d": ("digits", b_qconv2d, 10, True),
    "qdepthwise": ("digits", b_qdepthwise, 10, True),
    "qseparable1d": ("digits", b_qseparable1d, 10, True),
    "qseparable2d": ("digits", b_qseparable2d, 10, True),
    "qconv2dbn": ("digits", b_qconv2dbn, 10, False),  # TensorFlow's rsqrt and a float32 fold
    "relu_slope": ("cancer", b_relu_slope, 20, True),
    "qconv_binary": ("digits", b_qconv_binary, 10, True),
    "qconv_po2": ("digits", b_qconv_po2, 10, True),
}


def write_csv(path, a):
    np.savetxt(path, np.asarray(a, dtype=np.float32), fmt=FMT, delimiter=",")


def custom_objects():
    from qkeras.utils import _add_supported_quantized_objects
    co = {}
    _add_supported_quantized_objects(co)
    return co


def make(name):
    tf = import_tf()
    import qkeras as q
    k = tf.keras
    data, builder, epochs, exact = FIXTURES[name]
    k.utils.set_random_seed(SEED)
    tf.config.experimental.enable_op_determinism()
    xtr, ytr, xte, yte, n_out = dataset(data)
    model = builder(k, q, xtr.shape[1], n_out)
    model.compile(optimizer=k.optimizers.Adam(0.01),
                  loss=k.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    model.fit(xtr, ytr, epochs=epochs, batch_size=32, verbose=0)
    d = os.path.join(FIXTURES_DIR, name)
    os.makedirs(d, exist_ok=True)
    x = xte[:ROWS if xtr.shape[1] <= 32 else ROWS // 2]  # wide inputs: fewer rows (fixtures stay < 200 kB)
    y = model.predict(x, verbose=0)
    acc = float(np.mean(np.argmax(model.predict(xte, verbose=0), axis=1) == yte))
    with open(os.path.join(d, "model.json"), "w") as f:
        f.write(model.to_json())
    model.save_weights(os.path.join(d, "model_weights.h5"))
    model.save(os.path.join(d, "model_full.h5"), include_optimizer=False)
    write_csv(os.path.join(d, "input.csv"), x)
    write_csv(os.path.join(d, "qkeras_output.csv"), y)
    meta = {
        "source": data,
        "inputs": int(x.shape[1]),
        "outputs": int(y.shape[1]),
        "rows": int(x.shape[0]),
        "layers": [l.__class__.__name__ for l in model.layers],
        "quantizers": {l.name: {kk: str(v) for kk, v in l.get_config().items() if "quantizer" in kk or kk == "activation"}
                       for l in model.layers},
        "exact": exact,
        "tensorflow": tf.__version__,
        "qkeras": getattr(q, "__version__", "0.9.0"),
        "input_grid": GRID,
        "test_accuracy": acc,
        "training": {"epochs": epochs, "batch_size": 32, "adam_lr": 0.01, "seed": SEED,
                     "preprocessing": "sklearn StandardScaler, rounded to the input grid"},
        "doc": (builder.__doc__ or "").strip(),
    }
    with open(os.path.join(d, "meta.json"), "w") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")
    print(f"{name}: accuracy {acc:.3f}", file=sys.stderr)


def check(name):
    tf = import_tf()
    d = os.path.join(FIXTURES_DIR, name)
    co = custom_objects()
    x = np.loadtxt(os.path.join(d, "input.csv"), delimiter=",", ndmin=2).astype(np.float32)
    ref = np.loadtxt(os.path.join(d, "qkeras_output.csv"), delimiter=",", ndmin=2).astype(np.float32)
    full = tf.keras.models.load_model(os.path.join(d, "model_full.h5"), custom_objects=co, compile=False)
    with open(os.path.join(d, "model.json")) as f:
        arch = tf.keras.models.model_from_json(f.read(), custom_objects=co)
    arch.load_weights(os.path.join(d, "model_weights.h5"))
    for what, m in (("model_full.h5", full), ("model.json", arch)):
        y = m.predict(x, verbose=0)
        if not np.array_equal(y, ref):
            raise SystemExit(f"{name}: {what} reloaded gives other outputs ({np.sum(y != ref)} differ)")
    for f in os.listdir(d):
        size = os.path.getsize(os.path.join(d, f))
        if size > 200_000:
            raise SystemExit(f"{name}/{f} is {size} bytes (fixtures stay under 200 kB)")
    print(f"{name}: ok", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("stage", choices=["make", "check"])
    ap.add_argument("--only", nargs="*", default=None)
    a = ap.parse_args()
    names = a.only or list(FIXTURES)
    for n in names:
        if n not in FIXTURES:
            raise SystemExit(f"unknown fixture {n}")
        (make if a.stage == "make" else check)(n)


if __name__ == "__main__":
    main()
