# Bad input: one line "error: …" naming the file or the layer, exit code 1 (bad input) or 2 (bad usage),
# no crash, no stack trace, no output file. Each case pins its message.
import json
import shutil

import pytest

from conftest import FIXTURES, run

D = FIXTURES / "digits_mlp"


def check(p, code, message, out=None):
    assert p.returncode == code, p.stderr
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1, p.stderr
    assert lines[0] == "error: " + message
    if out is not None:
        assert not out.exists()


def test_missing_model(tmp_path):
    out = tmp_path / "y.csv"
    check(run("predict", tmp_path / "nope.h5", "--input", D / "input.csv", "--output", out, check=False),
          1, f"{tmp_path / 'nope.h5'}: no such file", out)


@pytest.mark.parametrize("cut", [100, 2000, 5000, 20000])
def test_truncated_h5(tmp_path, cut):
    bad = tmp_path / "m.h5"
    bad.write_bytes((D / "model_full.h5").read_bytes()[:cut])
    p = run("info", bad, check=False)
    assert p.returncode == 1
    assert p.stderr.startswith(f"error: {bad}: ") and len(p.stderr.strip().splitlines()) == 1


def test_truncated_h5_message(tmp_path):
    bad = tmp_path / "m.h5"
    bad.write_bytes((D / "model_full.h5").read_bytes()[:5000])
    check(run("info", bad, check=False), 1,
          f"{bad}: truncated or corrupt HDF5 file (only 5000 of its 32360 bytes are present)")


def test_not_hdf5(tmp_path):
    bad = tmp_path / "m.h5"
    bad.write_bytes(b"this is not hdf5 at all" * 100)
    p = run("info", bad, check=False)
    assert p.returncode == 1 and p.stderr.startswith(f"error: {bad}: ")


def test_corrupt_json(tmp_path):
    bad = tmp_path / "m.json"
    bad.write_text('{"class_name": \n')
    check(run("info", bad, "--weights", D / "model_weights.h5", check=False), 1,
          f"{bad}: invalid JSON: parse error at line 2, column 1: syntax error while parsing value - "
          "unexpected end of input; expected '[', '{', or a literal")


def test_truncated_keras_zip(tmp_path):
    bad = tmp_path / "m.keras"
    bad.write_bytes((D / "model.keras").read_bytes()[:3000])
    check(run("info", bad, check=False), 1,
          f"{bad}: truncated or corrupt .keras archive (the zip directory at its end is missing)")


def test_json_needs_weights():
    check(run("info", D / "model.json", check=False), 1,
          f"{D / 'model.json'}: a JSON architecture needs a weights file (--weights)")


def test_unsupported_layers_listed_at_once(tmp_path):
    cfg = json.loads((D / "model.json").read_text())
    layers = cfg["config"]["layers"]
    kinds = {"Dropout": "Lambda", "BatchNormalization": "Conv3D"}
    names = []
    for layer in layers:
        if layer["class_name"] in kinds:
            layer["class_name"] = kinds[layer["class_name"]]
            names.append(f"'{layer['config']['name']}' ({layer['class_name']})")
    bad = tmp_path / "m.json"
    bad.write_text(json.dumps(cfg))
    check(run("info", bad, "--weights", D / "model_weights.h5", check=False), 1,
          f"{bad}: unsupported layers: " + ", ".join(sorted(names)))


def test_wrong_number_of_columns(tmp_path):
    x = tmp_path / "x.csv"
    x.write_text("\n".join(",".join(row.split(",")[:63]) for row in (D / "input.csv").read_text().splitlines()))
    out = tmp_path / "y.csv"
    check(run("predict", D / "model_full.h5", "--input", x, "--output", out, check=False), 1,
          f"{x}: 63 values per sample, the model input 'input_1' takes 64", out)


def test_not_a_number_in_input(tmp_path):
    x = tmp_path / "x.csv"
    x.write_text("1,2,abc\n")
    out = tmp_path / "y.csv"
    check(run("predict", D / "model_full.h5", "--input", x, "--output", out, check=False), 1,
          f"{x}: line 1: not a number: 'abc'", out)


def test_invalid_precision_flag(tmp_path):
    out = tmp_path / "y.csv"
    check(run("predict", D / "model_full.h5", "--precision", "ap_fixd<16,6>", "--input", D / "input.csv",
              "--output", out, check=False), 2,
          "--precision: invalid type 'ap_fixd<16,6>': unknown type name 'ap_fixd' (expected ap_fixed, ap_ufixed, "
          "ap_int, ap_uint, or fixed, ufixed, int, uint)", out)


def test_invalid_type_in_config(tmp_path):
    cfg = tmp_path / "c.yml"
    cfg.write_text("HLSConfig:\n  LayerName:\n    dense_1:\n      Precision: ap_fixed<70,6>\n")
    out = tmp_path / "y.csv"
    check(run("predict", D / "model_full.h5", "--config", cfg, "--input", D / "input.csv", "--output", out,
              check=False), 1,
          f"{cfg}: HLSConfig.LayerName.dense_1.Precision: invalid type 'ap_fixed<70,6>': "
          "width must be between 1 and 64, got 70", out)


def test_missing_required_option(tmp_path):
    check(run("predict", D / "model_full.h5", "--input", D / "input.csv", check=False), 2,
          "--output is required")


def test_no_partial_output_on_failure(tmp_path):
    """A failing predict leaves neither the output nor a temporary file behind."""
    out = tmp_path / "y.csv"
    run("predict", D / "model_full.h5", "--input", tmp_path / "missing.csv", "--output", out, check=False)
    assert list(tmp_path.iterdir()) == []


# Convolutional and structural layers: each case edits a fixture's model.json (keeping the layer names, so the
# weights still attach) and pins the message.
def _set(layer, **config):
    return lambda layers: layers[layer]["config"].update(config)


def _input_shape(*shape):
    return lambda layers: layers["input_1"]["config"].update(batch_input_shape=[None, *shape])


def _inbound(layer, names):
    def edit(layers):
        layers[layer]["inbound_nodes"] = [[[n, 0, 0, {}] for n in names]]
    return edit


def _both(*edits):
    def edit(layers):
        for e in edits:
            e(layers)
    return edit


def _rename_class(layer, cls):
    def edit(layers):
        layers[layer]["class_name"] = cls
    return edit


LAYER_ERRORS = [
    ("layer_conv2d_valid_nobias", _set("conv", groups=2),
     "layer 'conv' (Conv2D): grouped convolution (groups 2) is not supported"),
    ("layer_conv2d_same_stride2", _set("conv", dilation_rate=[2, 2]),
     "layer 'conv' (Conv2D): dilation with strides > 1 is not supported"),
    ("layer_conv2d_transpose_valid", _set("deconv", dilation_rate=[2, 2]),
     "layer 'deconv' (Conv2DTranspose): dilation in a transposed convolution is not supported"),
    ("layer_conv2d_transpose_valid", _set("deconv", output_padding=[2, 2]),
     "layer 'deconv' (Conv2DTranspose): output_padding must be >= 0 and < strides, got 2 (strides 2)"),
    ("layer_conv2d_transpose_same", _set("deconv", output_padding=[0, 0]),
     "layer 'deconv' (Conv2DTranspose): output length 6 does not match the input length 4 with kernel 4 and "
     "strides 2"),
    ("layer_conv2d_same_stride2", _set("conv", padding="causal"),
     "layer 'conv' (Conv2D): padding 'causal' is not supported (valid, same are)"),
    ("layer_conv1d_valid", _set("conv", padding="full"),
     "layer 'conv' (Conv1D): padding 'full' is not supported (valid, same, causal are)"),
    ("layer_conv2d_same_stride2", _set("conv", filters=5),
     "layer 'conv' (Conv2D): kernel has shape (3, 3, 2, 3), expected (3, 3, 2, 5)"),
    ("layer_depthwise2d", _set("depthwise", depth_multiplier=3),
     "layer 'depthwise' (DepthwiseConv2D): depthwise_kernel has shape (3, 3, 2, 2), expected (3, 3, 2, 3)"),
    ("layer_conv2d_valid_nobias", _input_shape(2, 6, 2),
     "layer 'conv' (Conv2D): the window (3, 2) does not fit the input (2, 6, 2)"),
    ("layer_conv1d_valid", _rename_class("conv", "Conv2D"),
     "layer 'conv' (Conv2D): expects an input with 2 spatial axes and channels, got shape (16, 3)"),
    ("layer_conv2d_same_stride2", _set("conv", kernel_size=[3, 3, 3]),
     "layer 'conv' (Conv2D): kernel_size must be 2 integers, got [3,3,3]"),
    ("layer_maxpool2d", _set("pool", strides=[0, 0]),
     "layer 'pool' (MaxPooling2D): kernel sizes, strides and dilations must be >= 1"),
    ("layer_conv1d_valid", _both(_input_shape(48), _set("conv", data_format="channels_first")),
     "layer 'conv' (Conv1D): channels_first needs an input with channels and spatial axes, got shape (48,)"),
    ("layer_channels_first_cnn", _set("batch_norm_1", axis=2),
     "layer 'batch_norm_1' (BatchNormalization): only the last axis (or axis 1, channels_first) is supported, "
     "got axis 2"),
    ("layer_zeropad_crop2d", _set("pad", padding="abc"), "layer 'pad' (ZeroPadding2D): malformed padding: \"abc\""),
    ("layer_zeropad_crop2d", _set("pad", padding=[[1, 2], [0, -1]]),
     "layer 'pad' (ZeroPadding2D): padding must be >= 0"),
    ("layer_zeropad_crop2d", _set("crop", cropping=[[5, 3], [1, 1]]),
     "layer 'crop' (Cropping2D): cropping 5 + 3 removes the whole axis of length 8"),
    ("layer_upsample2d", _set("upsample", interpolation="bilinear"),
     "layer 'upsample' (UpSampling2D): interpolation 'bilinear' is not supported (nearest is)"),
    ("layer_upsample2d", _set("upsample", size=[0, 3]), "layer 'upsample' (UpSampling2D): size must be >= 1, got 0"),
    ("layer_permute", _set("permute_1", dims=[1, 1, 3]),
     "layer 'permute_1' (Permute): dims [1,1,3] is not a permutation of 1..3"),
    ("layer_merge_ops", _inbound("add_3", ["dense_1"]), "layer 'add_3' (Add): expects at least 2 inputs, got 1"),
    ("layer_merge_ops", _inbound("subtract", ["dense_1", "dense_2", "dense_3"]),
     "layer 'subtract' (Subtract): expects exactly 2 inputs, got 3"),
    ("layer_merge_ops", _inbound("average_4", ["dense_1", "dense_2", "dense_3"]),
     "layer 'average_4' (Average): average of 3 inputs is not supported (a power of two is)"),
    ("layer_merge_ops", _inbound("add_3", ["dense_1", "input_1"]),
     "layer 'add_3' (Add): inputs have different shapes (8,) and (12,); broadcasting is not supported"),
    ("layer_concat_axes", _set("concat_channels", axis=5),
     "layer 'concat_channels' (Concatenate): axis 5 is out of range for inputs of shape (3, 4, 2)"),
    ("layer_concat_axes", _set("concat_channels", axis=0),
     "layer 'concat_channels' (Concatenate): axis 0 is out of range for inputs of shape (3, 4, 2) "
     "(concatenation along the batch axis is not supported)"),
    ("layer_concat_axes", _set("concat_rows", axis=-1),
     "layer 'concat_rows' (Concatenate): inputs (3, 4, 2) and (5, 4, 2) differ off axis -1"),
    ("layer_dot", _set("dot_1", normalize=True),
     "layer 'dot_1' (Dot): normalize=True (cosine similarity) is not supported"),
    ("layer_dot", _set("dot_1", axes=2), "layer 'dot_1' (Dot): axes must be 1 or -1 for two vectors, got 2"),
    ("layer_dot", _inbound("dot_1", ["dense_a", "input_1"]),
     "layer 'dot_1' (Dot): only the dot product of two vectors of the same length is supported, got shapes (6,) "
     "and (12,)"),
    ("layer_dot", _inbound("dot_1", ["dense_a", "dense_b", "dense_b"]), "layer 'dot_1' (Dot): expects 2 inputs, got 3"),
]


@pytest.mark.parametrize("fixture,edit,message", LAYER_ERRORS, ids=[m.split(": ", 1)[1][:48] for _, _, m in LAYER_ERRORS])
def test_layer_config_errors(tmp_path, fixture, edit, message):
    check_edited(tmp_path, FIXTURES / fixture, edit, message)


def check_edited(tmp_path, d, edit, message):
    """The fixture in `d` with its model.json edited (layers by name) gives exactly `message`."""
    cfg = json.loads((d / "model.json").read_text())
    edit({layer["config"]["name"]: layer for layer in cfg["config"]["layers"]})
    bad = tmp_path / "m.json"
    bad.write_text(json.dumps(cfg))
    check(run("info", bad, "--weights", d / "model_weights.h5", check=False), 1, message)


# QKeras's quantized convolutions and quantizers: each case edits a QKeras fixture's model.json.
QKERAS = FIXTURES.parent / "qkeras"
QKERAS_ERRORS = [
    ("qconv2d", _set("conv1", kernel_quantizer="quantized_tanh(4)"),
     "layer 'conv1' (QConv2D): quantizer 'quantized_tanh(4)' is not supported for weights"),
    ("qdepthwise", _set("dw1", depthwise_quantizer="quantized_bits(4,0,use_stochastic_rounding=True)"),
     "layer 'dw1' (QDepthwiseConv2D): quantizer 'quantized_bits(4,0,use_stochastic_rounding=True)': stochastic "
     "rounding is not supported"),
    ("qseparable2d", _set("sep1", pointwise_quantizer="quantized_relu(4,0,negative_slope=0.5)"),
     "layer 'sep1' (QSeparableConv2D): quantizer 'quantized_relu(4,0,negative_slope=0.5)' is not supported for "
     "weights"),
    ("qseparable1d", _set("sep1", bias_quantizer="quantized_foo(4)"),
     "layer 'sep1' (QSeparableConv1D): unsupported QKeras quantizer 'quantized_foo(4)'"),
    ("qconv2dbn", _set("convbn1", folding_mode="batch_norm"),
     "layer 'convbn1' (QConv2DBatchnorm): folding_mode must be 'ema_stats_folding' or 'batch_stats_folding', got "
     "'batch_norm'"),
    ("qconv2dbn", _set("convbn1", axis=1), "layer 'convbn1' (QConv2DBatchnorm): only the last axis is supported, got axis 1"),
    ("qconv2dbn", _set("convbn1", epsilon=0), "layer 'convbn1' (QConv2DBatchnorm): epsilon must be > 0, got 0"),
    ("relu_slope", _set("leaky1", activation="quantized_relu(6,2,negative_slope=2)"),
     "layer 'leaky1' (QActivation): quantizer 'quantized_relu(6,2,negative_slope=2)': negative_slope must be < 1, got 2"),
    ("relu_slope", _set("fc2", activation="quantized_relu(1,0,negative_slope=0.5)"),
     "layer 'fc2' (QDense): quantizer 'quantized_relu(1,0,negative_slope=0.5)': negative_slope needs bits >= 2"),
]


@pytest.mark.parametrize("fixture,edit,message", QKERAS_ERRORS, ids=[m.split(": ", 1)[1][:48] for _, _, m in QKERAS_ERRORS])
def test_qkeras_layer_errors(tmp_path, fixture, edit, message):
    check_edited(tmp_path, QKERAS / fixture, edit, message)
