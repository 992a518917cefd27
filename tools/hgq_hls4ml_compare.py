#!/usr/bin/env python3
"""Compare nnfpga's emulator with hls4ml's C simulation (and HGQ's own predict) on an HGQ model.

HGQ1 proxy models (.h5) run in the `hgq` environment (tools/venv.sh hgq: HGQ 0.2.6 and hls4ml 1.3.0 on TensorFlow
2.15.1); HGQ2 models (.keras) in the `hgq2` one (hgq2 0.2.0 and hls4ml 1.3.0 on TensorFlow 2.20, Keras 3):

    python tools/hgq_hls4ml_compare.py MODEL INPUT.csv [--io io_parallel]

hls4ml converts the model (HGQ1: with its 'name'-granularity configuration; either way its bit-exact flow takes
the types from the quantizers), compiles its C simulation and predicts the rows of INPUT.csv; `nnfpga predict` (no
configuration) predicts the same rows. Prints one JSON line: values compared, values where hls4ml differs from
nnfpga, and where HGQ's predict() differs from nnfpga. NNFPGA_BIN selects the nnfpga binary (default build/nnfpga).
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
    ap.add_argument("model")
    ap.add_argument("input")
    ap.add_argument("--io", default="io_parallel")
    a = ap.parse_args()

    work = tempfile.mkdtemp(prefix="nnfpga_hls4ml_hgq_")
    if a.model.endswith(".keras"):  # HGQ2
        os.environ.setdefault("KERAS_BACKEND", "tensorflow")
        import hgq  # noqa: F401  (registers the layers)
        import hls4ml
        import keras
        model = keras.models.load_model(a.model, compile=False)
        h = hls4ml.converters.convert_from_keras_model(model, output_dir=os.path.join(work, "prj"), backend="Vivado",
                                                       io_type=a.io)
    else:
        import hls4ml
        import tensorflow as tf
        from HGQ.proxy import FixedPointQuantizer, UnaryLUT
        model = tf.keras.models.load_model(a.model, compile=False, custom_objects={
            "FixedPointQuantizer": FixedPointQuantizer, "UnaryLUT": UnaryLUT})
        cfg = hls4ml.utils.config_from_keras_model(model, granularity="name", backend="Vivado")
        h = hls4ml.converters.convert_from_keras_model(model, hls_config=cfg, output_dir=os.path.join(work, "prj"),
                                                       backend="Vivado", io_type=a.io)
    h.compile()
    x = np.loadtxt(a.input, delimiter=",", ndmin=2).astype(np.float32)
    shape = [-1] + [int(d) for d in model.inputs[0].shape[1:]]
    y_hls = np.asarray(h.predict(np.ascontiguousarray(x.reshape(shape)))).reshape(len(x), -1).astype(np.float64)
    y_hgq = model.predict(x.reshape(shape), verbose=0).reshape(len(x), -1).astype(np.float64)
    out = os.path.join(work, "y.csv")
    nnfpga = os.environ.get("NNFPGA_BIN", os.path.join(ROOT, "build", "nnfpga"))
    subprocess.run([nnfpga, "predict", a.model, "--input", a.input, "--output", out, "--quiet"], check=True)
    y = np.loadtxt(out, delimiter=",", ndmin=2)
    print(json.dumps({"values": int(y.size), "hls4ml_differing": int(np.sum(y_hls != y)),
                      "hgq_differing": int(np.sum(y_hgq != y))}))


if __name__ == "__main__":
    sys.exit(main())
