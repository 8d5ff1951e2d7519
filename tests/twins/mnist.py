"""MNIST for the twins: the four IDX files (raw or .gz) from MNIST_DIR, in file order, as numpy arrays.

load() returns (x_train, y_train), (x_test, y_test) as uint8 (n, 28, 28) and uint8 (n,), as keras'
mnist.load_data() does; the twins reshape and scale exactly as each question's code does."""
import gzip
import os

import numpy as np


def _open(directory, name):
    raw = os.path.join(directory, name)
    if os.path.exists(raw):
        return open(raw, "rb")
    return gzip.open(raw + ".gz", "rb")


def _read(directory, name, magic):
    with _open(directory, name) as f:
        data = f.read()
    found = int.from_bytes(data[0:4], "big")
    if found != magic:
        raise ValueError(f"{name}: expected IDX magic {magic}, found {found}")
    count = int.from_bytes(data[4:8], "big")
    if magic == 2051:
        rows, cols = int.from_bytes(data[8:12], "big"), int.from_bytes(data[12:16], "big")
        return np.frombuffer(data, np.uint8, count * rows * cols, 16).reshape(count, rows, cols)
    return np.frombuffer(data, np.uint8, count, 8)


def load():
    directory = os.environ.get("MNIST_DIR")
    if not directory:
        raise SystemExit("set MNIST_DIR to the folder holding the four MNIST files")
    x_train = _read(directory, "train-images-idx3-ubyte", 2051)
    y_train = _read(directory, "train-labels-idx1-ubyte", 2049)
    x_test = _read(directory, "t10k-images-idx3-ubyte", 2051)
    y_test = _read(directory, "t10k-labels-idx1-ubyte", 2049)
    return (x_train, y_train), (x_test, y_test)


def figure(value, rel=None, abs=None):
    """One figure of a twin's output: its value and the tolerance the chapter's value must meet."""
    rule = {"value": value}
    if rel is not None:
        rule["rel"] = rel
    if abs is not None:
        rule["abs"] = abs
    return rule


def _plain(v):
    """NaN and ±Infinity as the strings the chapters print; numpy scalars as Python numbers."""
    if isinstance(v, (list, tuple, np.ndarray)):
        return [_plain(x) for x in v]
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        v = float(v)
        if v != v:
            return "NaN"
        if v in (float("inf"), float("-inf")):
            return "Infinity" if v > 0 else "-Infinity"
        return v
    return v


def dump(notebook, figures):
    """Prints the twin's result as the one JSON line TwinTests reads: the chapter's notebook and its figures."""
    import json

    out = {"notebook": notebook, "numpy": np.__version__,
           "figures": {k: {**r, "value": _plain(r["value"])} for k, r in figures.items()}}
    print(json.dumps(out, allow_nan=False))
