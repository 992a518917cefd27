# Shared fixtures of the end-to-end suite: where the binary, the fixtures and the shared models are,
# and a helper that runs the nnfpga command.
import os
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
NNFPGA = Path(os.environ.get("NNFPGA_BIN", ROOT / "build" / "nnfpga"))
FIXTURES = ROOT / "tests" / "fixtures" / "keras"
SHARED_MODELS = Path(os.environ.get("NNFPGA_SHARED_MODELS", ROOT.parent / "shared" / "models"))


def run(*args, check=True, cwd=None):
    """Runs nnfpga; returns the CompletedProcess (text mode)."""
    p = subprocess.run([str(NNFPGA), *map(str, args)], capture_output=True, text=True, cwd=cwd)
    if check and p.returncode != 0:
        raise AssertionError(f"nnfpga {' '.join(map(str, args))} exited {p.returncode}:\n{p.stderr}")
    return p


def info(*args):
    """`nnfpga info`'s text."""
    return run("info", *args).stdout


def block(text, layer):
    """The lines `nnfpga info` prints for one layer."""
    m = re.search(rf"^{re.escape(layer)}  .*?(?=^\S|\Z)", text, re.S | re.M)
    assert m, f"no layer {layer} in:\n{text}"
    return m.group(0)


def load(path):
    return np.loadtxt(path, delimiter=",", ndmin=2)


def fixture_names():
    return sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())


@pytest.fixture
def shared_models():
    if not SHARED_MODELS.is_dir():
        pytest.skip("../shared/models is not present")
    return SHARED_MODELS
