"""Builders of the convolutional and structural Keras fixtures (imported by make_keras_fixtures.py).

Two kinds:

  * layer_*: one layer family alone (or a few of them), on random normal inputs, untrained: the kernels
    keep Keras' seeded initialisation, every bias, BatchNormalization statistic and scale is drawn at
    random (see randomize_weights) so that none is zero.
  * digits_*: small networks trained briefly on scikit-learn's 8x8 digits as 8x8x1 images.

Each builder takes (keras, L) where L is make_keras_fixtures.Layers (pass-through to keras.layers) and
returns a model; the same code runs under Keras 2 and Keras 3.
"""

import numpy as np


def seq(keras, name, shape, layers):
    inp = keras.Input(shape=shape, name="input_1")
    x = inp
    for layer in layers:
        x = layer(x)
    return keras.Model(inp, x, name=name)


def single(layer_factory, shape):
    """A builder for `input -> layer` (layer_factory(L) gives the layer or list of layers)."""
    def build(keras, L, name):
        made = layer_factory(L)
        return seq(keras, name, shape, made if isinstance(made, list) else [made])
    return build


def build_merge_ops(keras, L, name):
    inp = keras.Input(shape=(12,), name="input_1")
    d = [L.Dense(8, name=f"dense_{i}")(inp) for i in range(1, 5)]
    merged = [
        L.Add(name="add_3")([d[0], d[1], d[2]]),
        L.Subtract(name="subtract")([d[0], d[1]]),
        L.Multiply(name="multiply_3")([d[0], d[1], d[2]]),
        L.Average(name="average_2")([d[1], d[2]]),
        L.Average(name="average_4")(d),
        L.Maximum(name="maximum_3")([d[0], d[2], d[3]]),
        L.Minimum(name="minimum_2")([d[1], d[3]]),
    ]
    return keras.Model(inp, L.Concatenate(name="concat_all")(merged), name=name)


def build_merge_pairs(keras, L, name):
    """Two-input merges only (what hls4ml implements), on image tensors, combined by 2-input concatenations."""
    inp = keras.Input(shape=(3, 3, 2), name="input_1")
    a = L.Conv2D(2, 1, name="conv_a")(inp)
    b = L.Conv2D(2, 1, name="conv_b", activation="relu")(inp)
    m = [L.Add(name="add")([a, b]), L.Subtract(name="subtract")([a, b]), L.Multiply(name="multiply")([a, b]),
         L.Average(name="average")([a, b]), L.Maximum(name="maximum")([a, b]), L.Minimum(name="minimum")([a, b])]
    c1 = L.Concatenate(axis=-1, name="concat_1")([m[0], m[1]])
    c2 = L.Concatenate(axis=-1, name="concat_2")([m[2], m[3]])
    c3 = L.Concatenate(axis=1, name="concat_3")([m[4], m[5]])
    c4 = L.Concatenate(axis=-1, name="concat_4")([c1, c2])
    f = [L.Flatten(name="flatten_1")(c4), L.Flatten(name="flatten_2")(c3)]
    return keras.Model(inp, L.Concatenate(axis=-1, name="concat_flat")(f), name=name)


def build_concat_axes(keras, L, name):
    inp = keras.Input(shape=(3, 4, 2), name="input_1")
    a = L.Conv2D(3, 1, name="conv_1x1")(inp)
    c_chan = L.Concatenate(axis=-1, name="concat_channels")([inp, a])                  # (3, 4, 5)
    padded = L.ZeroPadding2D(((1, 1), (0, 0)), name="pad_rows")(inp)                  # (5, 4, 2)
    c_rows = L.Concatenate(axis=1, name="concat_rows")([inp, padded])                  # (8, 4, 2)
    cropped = L.Cropping2D(((0, 0), (1, 2)), name="crop_cols")(inp)                    # (3, 1, 2)
    c_cols = L.Concatenate(axis=-2, name="concat_cols")([inp, cropped, inp])           # (3, 9, 2)
    flat = [L.Flatten(name=f"flatten_{i}")(t) for i, t in enumerate((c_chan, c_rows, c_cols), 1)]
    return keras.Model(inp, L.Concatenate(axis=1, name="concat_flat")(flat), name=name)


def build_dot(keras, L, name):
    inp = keras.Input(shape=(12,), name="input_1")
    a = L.Dense(6, name="dense_a")(inp)
    b = L.Dense(6, name="dense_b", activation="tanh")(inp)
    dot1 = L.Dot(axes=1, name="dot_1")([a, b])
    dot2 = L.Dot(axes=-1, name="dot_2")([b, b])
    return keras.Model(inp, L.Concatenate(name="concat")([dot1, dot2]), name=name)


def build_channels_first_cnn(keras, L, name):
    cf = "channels_first"
    return seq(keras, name, (2, 8, 8), [
        L.Conv2D(4, 3, padding="same", activation="relu", data_format=cf, name="conv_1"),
        L.BatchNormalization(axis=1, name="batch_norm_1"),
        L.MaxPooling2D(2, data_format=cf, name="pool_1"),
        L.Conv2D(3, 3, padding="same", data_format=cf, name="conv_2"),
        L.AveragePooling2D(3, strides=2, padding="same", data_format=cf, name="pool_2"),  # (3, 2, 2)
        L.Flatten(name="flatten"),
        L.Dense(5, activation="softmax", name="dense_out"),
    ])


def build_channels_first_layers(keras, L, name):
    cf = "channels_first"
    inp = keras.Input(shape=(3, 5, 5), name="input_1")
    x = inp
    for layer in [
        L.ZeroPadding2D(1, data_format=cf, name="pad"),                                      # (3, 7, 7)
        L.DepthwiseConv2D(3, depth_multiplier=2, data_format=cf, name="depthwise"),          # (6, 5, 5)
        L.UpSampling2D(2, data_format=cf, name="upsample"),                                  # (6, 10, 10)
        L.Cropping2D(((1, 1), (2, 0)), data_format=cf, name="crop"),                         # (6, 8, 8)
        L.SeparableConv2D(2, 3, strides=2, data_format=cf, name="separable"),                # (2, 3, 3)
        L.Conv2DTranspose(2, 2, strides=2, data_format=cf, name="conv_transpose"),           # (2, 6, 6)
    ]:
        x = layer(x)
    pooled = L.AveragePooling2D(2, data_format=cf, name="avg_pool")(x)                       # (2, 3, 3)
    glob = L.GlobalMaxPooling2D(data_format=cf, keepdims=True, name="global_max")(x)         # (2, 1, 1)
    flat = [L.Flatten(name="flatten_pooled")(pooled), L.Flatten(name="flatten_global")(glob)]
    return keras.Model(inp, L.Concatenate(name="concat")(flat), name=name)


def build_channels_first_1d(keras, L, name):
    cf = "channels_first"
    return seq(keras, name, (3, 16), [
        L.Conv1D(4, 3, padding="same", activation="relu", data_format=cf, name="conv_1"),
        L.MaxPooling1D(2, data_format=cf, name="pool_1"),
        L.Conv1D(2, 3, data_format=cf, name="conv_2"),
        L.Flatten(data_format=cf, name="flatten"),
        L.Dense(3, name="dense_out"),
    ])


def build_digits_cnn(keras, L, name):
    return seq(keras, name, (8, 8, 1), [
        L.Conv2D(8, 3, padding="same", activation="relu", name="conv_1"),
        L.MaxPooling2D(2, name="pool_1"),
        L.Conv2D(8, 3, activation="relu", name="conv_2"),
        L.Flatten(name="flatten"),
        L.Dense(10, activation="softmax", name="dense_out"),
    ])


def build_digits_conv_autoencoder(keras, L, name):
    return seq(keras, name, (8, 8, 1), [
        L.Conv2D(4, 3, padding="same", activation="relu", name="enc_conv_1"),
        L.MaxPooling2D(2, name="enc_pool_1"),                                            # 4x4x4
        L.Conv2D(2, 3, padding="same", activation="relu", name="enc_conv_2"),
        L.MaxPooling2D(2, name="enc_pool_2"),                                            # 2x2x2
        L.UpSampling2D(2, name="dec_upsample"),                                          # 4x4x2
        L.Conv2DTranspose(4, 3, strides=2, padding="same", activation="relu", name="dec_deconv"),  # 8x8x4
        L.Conv2D(1, 3, padding="same", name="dec_conv_out"),                             # 8x8x1
    ])


def build_digits_skip_concat(keras, L, name):
    inp = keras.Input(shape=(8, 8, 1), name="input_1")
    c1 = L.Conv2D(4, 3, padding="same", activation="relu", name="conv_1")(inp)
    c2 = L.Conv2D(4, 3, padding="same", name="conv_2")(c1)
    skip = L.Add(name="add_skip")([c1, c2])                      # c1 is read by conv_2, add_skip, conv_3, concat
    act = L.Activation("relu", name="relu_skip")(skip)
    c3 = L.Conv2D(2, 1, name="conv_3")(c1)
    cat = L.Concatenate(name="concat")([act, c3, c1])
    x = L.MaxPooling2D(2, name="pool")(cat)
    x = L.Flatten(name="flatten")(x)
    out = L.Dense(10, activation="softmax", name="dense_out")(x)
    return keras.Model(inp, out, name=name)


def _spec(build, shape, **kw):
    return dict(source="random", build=build, input_shape=shape, epochs=0, **kw)


def _layer(factory, shape, **kw):
    return _spec(single(factory, shape), shape, **kw)


# name: builder and data. source "random": random normal inputs of input_shape, untrained weights;
# source "digits_image": the digits as 8x8x1 images, trained (task "classify" or "reconstruct").
LAYER_FIXTURES = {
    "layer_conv1d_valid": _layer(lambda L: L.Conv1D(4, 3, name="conv"), (16, 3)),
    "layer_conv1d_same_stride2": _layer(
        lambda L: L.Conv1D(3, 4, strides=2, padding="same", activation="relu", name="conv"), (15, 3)),
    "layer_conv1d_dilated": _layer(lambda L: L.Conv1D(3, 3, dilation_rate=2, padding="same", name="conv"), (16, 2)),
    "layer_conv1d_causal": _layer(
        lambda L: L.Conv1D(3, 3, dilation_rate=2, padding="causal", activation="tanh", name="conv"), (16, 2)),
    "layer_conv2d_valid_nobias": _layer(lambda L: L.Conv2D(3, (3, 2), use_bias=False, name="conv"), (6, 6, 2)),
    "layer_conv2d_same_stride2": _layer(
        lambda L: L.Conv2D(3, 3, strides=2, padding="same", activation="relu", name="conv"), (7, 7, 2)),
    "layer_conv2d_strides_rect": _layer(
        lambda L: L.Conv2D(2, (2, 3), strides=(1, 2), padding="same", name="conv"), (6, 7, 2)),
    "layer_conv2d_dilated": _layer(lambda L: L.Conv2D(3, 3, dilation_rate=(2, 1), name="conv"), (7, 6, 2)),
    "layer_depthwise1d": _layer(
        lambda L: L.DepthwiseConv1D(3, depth_multiplier=2, padding="same", name="depthwise"), (16, 3)),
    "layer_depthwise2d": _layer(
        lambda L: L.DepthwiseConv2D(3, strides=2, depth_multiplier=2, activation="relu", name="depthwise"),
        (7, 7, 2)),
    "layer_separable1d": _layer(
        lambda L: L.SeparableConv1D(4, 3, depth_multiplier=2, activation="relu", name="separable"), (16, 3)),
    "layer_separable2d": _layer(
        lambda L: L.SeparableConv2D(3, 3, strides=2, padding="same", name="separable"), (7, 7, 2)),
    "layer_conv1d_transpose": _layer(lambda L: L.Conv1DTranspose(3, 3, strides=2, name="deconv"), (8, 3)),
    "layer_conv1d_transpose_same": _layer(
        lambda L: L.Conv1DTranspose(2, 4, strides=3, padding="same", name="deconv"), (6, 3)),
    "layer_conv2d_transpose_valid": _layer(lambda L: L.Conv2DTranspose(2, 3, strides=2, name="deconv"), (4, 4, 3)),
    "layer_conv2d_transpose_same": _layer(
        lambda L: L.Conv2DTranspose(2, (3, 4), strides=2, padding="same", activation="relu", name="deconv"),
        (4, 4, 3)),
    "layer_conv2d_transpose_outpad": _layer(
        lambda L: L.Conv2DTranspose(2, 2, strides=3, output_padding=2, name="deconv"), (3, 3, 2)),
    "layer_conv2d_transpose_same_outpad": _layer(
        lambda L: L.Conv2DTranspose(2, 3, strides=2, padding="same", output_padding=0, name="deconv"), (4, 4, 2)),
    "layer_maxpool1d_same": _layer(lambda L: L.MaxPooling1D(3, strides=2, padding="same", name="pool"), (15, 3)),
    "layer_maxpool2d": _layer(lambda L: L.MaxPooling2D(2, name="pool"), (8, 8, 2)),
    "layer_maxpool2d_same": _layer(lambda L: L.MaxPooling2D(3, strides=2, padding="same", name="pool"), (7, 7, 2)),
    "layer_avgpool1d": _layer(lambda L: L.AveragePooling1D(2, name="pool"), (16, 3)),
    "layer_avgpool2d_same": _layer(
        lambda L: L.AveragePooling2D(3, strides=2, padding="same", name="pool"), (7, 7, 2)),
    "layer_avgpool2d_rect": _layer(lambda L: L.AveragePooling2D((2, 3), strides=(2, 1), name="pool"), (6, 7, 2)),
    "layer_global_max1d": _layer(lambda L: L.GlobalMaxPooling1D(name="pool"), (16, 3)),
    "layer_global_avg1d": _layer(lambda L: L.GlobalAveragePooling1D(name="pool"), (16, 3)),
    "layer_global_max2d": _layer(lambda L: L.GlobalMaxPooling2D(name="pool"), (6, 6, 3)),
    "layer_global_avg2d_keepdims": _layer(lambda L: L.GlobalAveragePooling2D(keepdims=True, name="pool"), (6, 6, 3)),
    "layer_zeropad_crop1d": _layer(
        lambda L: [L.ZeroPadding1D((1, 2), name="pad"), L.Cropping1D((3, 1), name="crop")], (12, 3)),
    "layer_zeropad_crop2d": _layer(
        lambda L: [L.ZeroPadding2D(((1, 2), (0, 1)), name="pad"), L.Cropping2D(((2, 0), (1, 1)), name="crop")],
        (5, 6, 2)),
    "layer_upsample1d": _layer(lambda L: L.UpSampling1D(3, name="upsample"), (8, 3)),
    "layer_upsample2d": _layer(lambda L: L.UpSampling2D((2, 3), name="upsample"), (4, 3, 2)),
    "layer_permute": _layer(
        lambda L: [L.Permute((3, 1, 2), name="permute_1"), L.Conv2D(2, 1, name="conv"),
                   L.Permute((2, 1, 3), name="permute_2")], (4, 5, 3)),
    "layer_merge_ops": _spec(build_merge_ops, (12,)),
    "layer_concat_axes": _spec(build_concat_axes, (3, 4, 2)),
    "layer_merge_pairs": _spec(build_merge_pairs, (3, 3, 2)),
    "layer_dot": _spec(build_dot, (12,)),
    "layer_channels_first_cnn": _spec(build_channels_first_cnn, (2, 8, 8)),
    "layer_channels_first_layers": _spec(build_channels_first_layers, (3, 5, 5)),
    "layer_channels_first_1d": _spec(build_channels_first_1d, (3, 16)),
    "digits_cnn": dict(source="digits_image", build=build_digits_cnn, epochs=10, lr=3e-3, batch=32, rows=100),
    "digits_conv_autoencoder": dict(source="digits_image", build=build_digits_conv_autoencoder, epochs=15,
                                    lr=5e-3, batch=32, rows=64, task="reconstruct"),
    "digits_skip_concat": dict(source="digits_image", build=build_digits_skip_concat, epochs=10, lr=3e-3, batch=32,
                               rows=100),
}
for _name, _spec_of in LAYER_FIXTURES.items():  # builders get their fixture's name as the model name
    _spec_of["build"] = (lambda b, n: lambda keras, L: b(keras, L, n))(_spec_of["build"], _name)


def random_inputs(name, shape, rows):
    """Standard normal float32 inputs, seeded by the fixture's name."""
    rng = np.random.default_rng(sum(name.encode()) * 7919)
    return rng.standard_normal((rows,) + tuple(shape)).astype(np.float32)


def randomize_weights(model, name):
    """Nonzero biases and BatchNormalization parameters drawn at random (kernels keep Keras' initialisation)."""
    rng = np.random.default_rng(sum(name.encode()) * 104729)
    for layer in model.layers:
        values = layer.get_weights()
        if not values:
            continue
        for i, var in enumerate(layer.weights):
            short = var.name.split("/")[-1].split(":")[0]
            shape = values[i].shape
            if short == "bias" or short == "beta" or short == "moving_mean":
                values[i] = rng.normal(0.0, 0.5, shape)
            elif short == "gamma":
                values[i] = rng.uniform(0.5, 1.5, shape)
            elif short == "moving_variance":
                values[i] = rng.uniform(0.5, 2.0, shape)
        layer.set_weights([v.astype(np.float32) for v in values])


def rows_for(n_in, n_out):
    """Rows of input.csv for a random-input fixture: up to 100, fewer for wide tensors, so that input.csv and
    the two output CSVs (about 13 bytes a value) stay near 180 kB together."""
    return int(max(32, min(100, 13800 // (n_in + 2 * n_out))))
