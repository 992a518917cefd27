#!/usr/bin/env python3
"""Compare nnfpga's emulator with hls4ml's C simulation on a QKeras (or binary/ternary Keras) model.

Runs in the `qk` environment (tools/venv.sh qk: QKeras 0.9.0 and hls4ml 1.3.0 on TensorFlow 2.14.1):

    python tools/qkeras_hls4ml_compare.py MODEL.json WEIGHTS.h5 N_INPUTS [--rows 200] [--nonneg]
                                          [--input X.csv [--reference Y.csv]]
                                          [--po2-product exact|hls4ml] [--own-types]

hls4ml converts the model with its own 'name'-granularity configuration (quantizer types, 'auto' sums), compiles
its C simulation and predicts random inputs on a 2^-8 grid; the same configuration, written as an hls4ml YAML
file, is given to `nnfpga predict --config`. Prints one JSON line: the number of differing output values, the
rows, and hls4ml's layer types. With --input, those rows instead of random ones; with --reference (the QKeras
model's own outputs on them), also how many of hls4ml's values differ from QKeras's. --po2-product sets nnfpga's
Model.Po2Product; --own-types leaves hls4ml's 'auto' types to nnfpga's own inference. NNFPGA_BIN selects the
nnfpga binary (default build/nnfpga).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("json")
    ap.add_argument("weights")
    ap.add_argument("n_inputs", type=int)
    ap.add_argument("--rows", type=int, default=200)
    ap.add_argument("--nonneg", action="store_true", help="non-negative inputs (images)")
    ap.add_argument("--input", help="CSV of input rows (default: random rows on a 2^-8 grid)")
    ap.add_argument("--reference", help="CSV of the QKeras model's outputs on --input")
    ap.add_argument("--po2-product", choices=["exact", "hls4ml"], help="nnfpga's Model.Po2Product")
    ap.add_argument("--own-types", action="store_true",
                    help="leave hls4ml's 'auto' types to nnfpga's own inference instead of passing hls4ml's")
    a = ap.parse_args()

    import hls4ml
    import tensorflow as tf
    import yaml
    from qkeras.utils import _add_supported_quantized_objects
    co = {}
    _add_supported_quantized_objects(co)
    work = tempfile.mkdtemp(prefix="nnfpga_hls4ml_")
    try:
        with open(a.json) as f:
            model = tf.keras.models.model_from_json(f.read(), custom_objects=co)
    except ValueError:  # layers Keras cannot build (BinaryDense): hls4ml reads the files, 'model' granularity
        model = None
    if model is not None:
        model.load_weights(a.weights)
        cfg = hls4ml.utils.config_from_keras_model(model, granularity="name", backend="Vivado")
        h = hls4ml.converters.convert_from_keras_model(model, hls_config=cfg, output_dir=os.path.join(work, "prj"),
                                                       backend="Vivado", io_type="io_parallel")
    else:
        cfg = {"Model": {"Precision": "ap_fixed<16,6>", "ReuseFactor": 1, "Strategy": "Latency"}}
        h = hls4ml.converters.keras_v2_to_hls({"KerasJson": a.json, "KerasH5": a.weights, "OutputDir": os.path.join(work, "prj"),
                                           "ProjectName": "myproject", "Backend": "Vivado", "IOType": "io_parallel",
                                           "HLSConfig": cfg})
    h.compile()
    # nnfpga gets hls4ml's resolved types: 'auto' results and accumulators as hls4ml inferred them. The weight
    # and bias types of the quantizers come from the model in both; hls4ml's configuration spells a
    # power-of-two type as an integer (int<4>), so they are left out of nnfpga's.
    for lname, layer in cfg.get("LayerName", {}).items():
        prec = layer.get("Precision")
        if not isinstance(prec, dict):
            continue
        prec.pop("weight", None)
        prec.pop("bias", None)
        if a.own_types:
            continue
        node = next((l for l in h.get_layers() if l.name == lname), None)
        if node is None:
            continue
        if prec.get("result") == "auto":
            prec["result"] = str(node.get_output_variable().type.precision)
        if prec.get("accum") == "auto" and node.get_attr("accum_t") is not None:
            prec["accum"] = str(node.get_attr("accum_t").precision)
    rng = np.random.default_rng(0)
    x = np.round(rng.normal(0, 1.0, (a.rows, a.n_inputs)) * 256) / 256
    x = (np.abs(x) if a.nonneg else x).astype(np.float32)
    if a.input:
        x = np.loadtxt(a.input, delimiter=",", ndmin=2).astype(np.float32)
    xs = os.path.join(work, "x.csv")
    np.savetxt(xs, x, fmt="%.9g", delimiter=",")
    y = np.asarray(h.predict(np.ascontiguousarray(x))).reshape(len(x), -1)
    conf = os.path.join(work, "config.yml")
    if a.po2_product:
        cfg.setdefault("Model", {})["Po2Product"] = a.po2_product
    with open(conf, "w") as f:
        yaml.safe_dump({"KerasJson": os.path.abspath(a.json), "KerasH5": os.path.abspath(a.weights), "HLSConfig": cfg}, f)
    out = os.path.join(work, "nnfpga.csv")
    nnfpga = os.environ.get("NNFPGA_BIN", os.path.join(ROOT, "build", "nnfpga"))
    r = subprocess.run([nnfpga, "predict", "--config", conf, "--input", xs, "--output", out, "--quiet"],
                       capture_output=True, text=True)
    if r.returncode:
        sys.exit(r.stderr)
    z = np.loadtxt(out, delimiter=",", ndmin=2)
    res = {
        "values": int(y.size), "differing": int((z != y).sum()), "rows": int(len(y)),
        "rows_differing": int((z != y).any(axis=1).sum()),
        "types": {l.name: str(l.get_output_variable().type.precision) for l in h.get_layers()},
    }
    if a.reference:
        ref = np.loadtxt(a.reference, delimiter=",", ndmin=2).astype(np.float32)
        res["hls4ml_differing_from_qkeras"] = int((y.astype(np.float32) != ref).sum())
        res["nnfpga_differing_from_qkeras"] = int((z.astype(np.float32) != ref).sum())
    print(json.dumps(res))


if __name__ == "__main__":
    main()
