"""Makes the small Keras files in tests/unit/data/keras/ that test_keras_file.cpp reads, and the damaged
files in tests/errors/files/ derived from them.

Run it twice, once per Keras major version (the venvs the project's tooling installs):
    /root/.cache/nnfpga/k2/bin/python tools/make_reader_test_files.py   # tensorflow-cpu 2.15, Keras 2 -> k2_*
    /root/.cache/nnfpga/k3/bin/python tools/make_reader_test_files.py   # tensorflow-cpu 2.20, Keras 3 -> k3_*
then, with either venv (it needs only h5py), the damaged copies:
    /root/.cache/nnfpga/k2/bin/python tools/make_reader_test_files.py --error-files
Weights are set to exact binary fractions, so the C++ test can compare values exactly:
element i of the j-th variable of a layer is (base + 10 * j + i) / 4, with base fixed per layer below.
"""
import os
import shutil
import sys
import zipfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "tests", "unit", "data", "keras")
ERRORS = os.path.join(ROOT, "tests", "errors", "files")

if "--error-files" not in sys.argv:
    import numpy as np  # noqa: E402
    import keras  # noqa: E402
    from keras import layers  # noqa: E402

    MAJOR = int(keras.__version__.split(".")[0])
    PREFIX = f"k{MAJOR}_"
BASE = {"fc1": 0, "bn": 100, "out": 200, "shared": 300, "head": 400}


def setExactWeights(model):
    for layer in model.layers:
        values = []
        for j, w in enumerate(layer.get_weights()):
            base = BASE.get(layer.name, 500)
            values.append(((base + 10 * j + np.arange(w.size)) / 4.0).reshape(w.shape).astype(w.dtype))
        layer.set_weights(values)


def sequentialModel():
    # Dropout: Keras 3 stores a seed-generator state for it in .keras files.
    return keras.Sequential(
        [
            keras.Input((4,)),
            layers.Dense(3, activation="relu", name="fc1"),
            layers.BatchNormalization(name="bn"),
            layers.Dropout(0.1, name="drop"),
            layers.Dense(2, name="out"),
        ],
        name="seq",
    )


def functionalModel():
    # Two inputs (one with an unknown dim), a layer called twice (only its first call is kept),
    # merge layers and two outputs, listed in a different order from the inputs.
    a = keras.Input((4,), name="in_a")
    b = keras.Input((None, 4), name="in_b")
    shared = layers.Dense(4, name="shared")
    x = shared(a)
    y = shared(layers.GlobalAveragePooling1D(name="gap")(b))
    s = layers.Add(name="add")([x, y])
    c = layers.Concatenate(name="cat")([s, x])
    if MAJOR == 2:
        c = c * 2.0  # a TFOpLambda, whose inbound_nodes entry is not wrapped in a list
    o = layers.Dense(1, name="head")(c)
    return keras.Model([a, b], [o, s], name="fn")


def save(model, stem):
    path = os.path.join(OUT, PREFIX + stem)
    if stem.endswith(".json"):
        with open(path, "w") as f:
            f.write(model.to_json())
    else:
        model.save(path)
    print(path, os.path.getsize(path))


def writeZip(path, members):
    # Stored, like Keras' own archives.
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        for name, data in members.items():
            z.writestr(name, data)


def errorFiles():
    os.makedirs(ERRORS, exist_ok=True)
    h5 = open(os.path.join(OUT, "k2_functional.h5"), "rb").read()
    archive = zipfile.ZipFile(os.path.join(OUT, "k3_sequential.keras"))
    members = {name: archive.read(name) for name in archive.namelist()}
    keras3 = open(os.path.join(OUT, "k3_sequential.keras"), "rb").read()

    # The global heap holds the variable-length strings (model_config among them). Setting the high bytes of
    # the third object's size makes HDF5 1.10 copy far past its buffer: the file that crashes the library.
    heap = h5.index(b"GCOL")
    obj = heap + 16
    for _ in range(2):
        size = int.from_bytes(h5[obj + 8 : obj + 16], "little")
        obj += 16 + (size + 7) // 8 * 8
    heapCrash = bytearray(h5)
    heapCrash[obj + 14] = 4

    # A flipped byte inside config.json, where the zip's CRC still describes the original.
    config = keras3.index(b'{"module"')
    crcMismatch = bytearray(keras3)
    crcMismatch[config + 10] ^= 0x01

    files = {
        "empty.h5": b"",
        "not_hdf5.h5": b"this is a text file, not HDF5\n",
        "truncated.h5": h5[:4096],
        "truncated_superblock.h5": h5[:20],
        "heap_crash.h5": bytes(heapCrash),
        "empty.keras": b"",
        "not_zip.keras": b"this is a text file, not a zip\n",
        "truncated.keras": keras3[: len(keras3) // 2],
        "crc_mismatch.keras": bytes(crcMismatch),
        "bad.json": b'{"class_name": "Sequential", "config": ',
    }
    for name, data in files.items():
        with open(os.path.join(ERRORS, name), "wb") as f:
            f.write(data)
    writeZip(os.path.join(ERRORS, "no_config.keras"), {k: v for k, v in members.items() if k != "config.json"})
    writeZip(os.path.join(ERRORS, "no_weights.keras"), {k: v for k, v in members.items() if k != "model.weights.h5"})
    writeZip(os.path.join(ERRORS, "bad_json.keras"), {**members, "config.json": b"{not json"})
    writeZip(
        os.path.join(ERRORS, "truncated_weights.keras"),
        {**members, "model.weights.h5": members["model.weights.h5"][:3000]},
    )
    # Legacy weights whose layer_names / weight_names point at something that is not there.
    import h5py

    for name, victim in (("missing_layer_group.h5", "head"), ("missing_dataset.h5", "head/head/bias:0")):
        path = os.path.join(ERRORS, name)
        shutil.copyfile(os.path.join(OUT, "k2_functional_weights.h5"), path)
        with h5py.File(path, "r+") as f:
            del f[victim]
    for name in sorted(os.listdir(ERRORS)):
        print(os.path.join(ERRORS, name), os.path.getsize(os.path.join(ERRORS, name)))
    return 0


def main():
    if "--error-files" in sys.argv:
        return errorFiles()
    os.makedirs(OUT, exist_ok=True)
    seq = sequentialModel()
    fn = functionalModel()
    setExactWeights(seq)
    setExactWeights(fn)
    save(seq, "sequential.keras")
    save(fn, "functional.keras")
    save(seq, "sequential.h5")
    save(fn, "functional.h5")
    save(fn, "functional.json")
    weights = os.path.join(OUT, PREFIX + ("functional.weights.h5" if MAJOR == 3 else "functional_weights.h5"))
    fn.save_weights(weights)
    print(weights, os.path.getsize(weights))
    return 0


if __name__ == "__main__":
    sys.exit(main())
