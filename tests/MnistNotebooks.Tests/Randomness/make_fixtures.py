#!/usr/bin/python3
"""numpy's legacy RandomState output, as the oracle for MnistNotebooks.Randomness.

Run once with Debian's python3-numpy (not a pyenv python) to rewrite the committed fixture:

    /usr/bin/python3 tests/MnistNotebooks.Tests/Randomness/make_fixtures.py

With --stdin it reads a JSON list of cases {"seed": s, "ops": [...]} and prints every result in full
(the live comparison test in RandomStateTests.cs uses this mode).

An op is a list: ["random_sample"], ["random_sample", n], ["rand", d0, ...], ["random", d0, ...],
["randn", d0, ...], ["randint", low, high] or ["randint", low, high, n], ["permutation", n],
["shuffle", n] (shuffles np.arange(n)), ["uniform", low, high, n], ["normal", loc, scale, n].
A result is {"kind": "f64" | "i64", "shape": [...], "sha256": hex of the little-endian bytes,
"values": [...]} (doubles as the 16 hex digits of their IEEE-754 bits); long results keep a head,
a tail and a sample of [index, value] pairs instead of all values.
"""
import hashlib
import json
import os
import sys

import numpy as np

FULL = 64


def run_op(rs, op):
    name, args = op[0], op[1:]
    if name == "random_sample":
        return rs.random_sample() if not args else rs.random_sample(args[0])
    if name == "rand":
        return rs.rand(*args)
    if name == "random":
        return rs.random(tuple(args))
    if name == "randn":
        return rs.randn(*args)
    if name == "randint":
        return rs.randint(args[0], args[1]) if len(args) == 2 else rs.randint(args[0], args[1], args[2])
    if name == "permutation":
        return rs.permutation(args[0])
    if name == "shuffle":
        x = np.arange(args[0])
        rs.shuffle(x)
        return x
    if name == "uniform":
        return rs.uniform(args[0], args[1], args[2])
    if name == "normal":
        return rs.normal(args[0], args[1], args[2])
    raise ValueError(f"unknown op {op!r}")


def encode(result, full):
    a = np.asarray(result)
    if a.dtype.kind == "f":
        flat = np.ascontiguousarray(a, dtype="<f8").ravel()
        kind, values = "f64", [format(int(b), "016x") for b in flat.view("<u8")]
    elif a.dtype.kind in "iu":
        flat = np.ascontiguousarray(a, dtype="<i8").ravel()
        kind, values = "i64", [int(v) for v in flat]
    else:
        raise TypeError(f"unexpected dtype {a.dtype}")
    out = {"kind": kind, "shape": list(a.shape), "sha256": hashlib.sha256(flat.tobytes()).hexdigest()}
    n = len(values)
    if full or n <= FULL:
        out["values"] = values
    else:
        step = max(1, n // 40)
        out["head"] = values[:16]
        out["tail"] = values[-16:]
        out["sample"] = [[i, values[i]] for i in range(0, n, step)]
    return out


def run_case(seed, ops, full=False):
    rs = np.random.RandomState(seed)
    return [encode(run_op(rs, op), full) for op in ops]


def state_of(seed, draws):
    rs = np.random.RandomState(seed)
    if draws:
        rs.random_sample(draws)  # two 32-bit words per double
    _, key, pos, _, _ = rs.get_state()
    key = np.ascontiguousarray(key, dtype="<u4")
    return {"seed": seed, "doubles_drawn": draws, "pos": int(pos), "head": [int(k) for k in key[:8]],
            "tail": [int(k) for k in key[-8:]], "sha256": hashlib.sha256(key.tobytes()).hexdigest()}


I64_MIN, I64_MAX = -(2**63), 2**63 - 1

CASES = {
    # Several seeds, a short program each: scalar, rand, randn (odd count leaves a cached value), randint.
    **{f"seed_{s}": (s, [["random_sample"], ["rand", 5], ["randn", 5], ["randn"], ["randint", 0, 10, 10]])
       for s in [0, 1, 42, 5489, 123456789, 2**31, 2**32 - 1]},
    "rand_784x10_seed0": (0, [["rand", 784, 10]]),
    "rand_seed1_after_block": (1, [["rand", 700], ["rand", 3, 4]]),
    "random_and_random_sample": (2, [["random", 3, 4], ["random_sample", 5], ["random", 7]]),
    # The cached second normal: 1 + scalar + 3 + 2x3 + scalar draws cross the has_gauss boundary both ways.
    "randn_cache_seed0": (0, [["randn", 1], ["randn"], ["randn", 3], ["randn", 2, 3], ["randn"], ["randn", 784, 3]]),
    "randn_cache_seed1": (1, [["randn"], ["rand", 2], ["randn"], ["randn", 4]]),
    "randint_ranges_seed0": (0, [
        ["randint", 0, 1, 5],            # rng 0: draws nothing
        ["randint", 5, 6],               # rng 0, scalar
        ["randint", 0, 10, 20],
        ["randint", -5, 5, 20],
        ["randint", -1000, -990, 20],
        ["randint", 0, 2**31, 20],       # rng 2**31 - 1: mask is all 31 bits, no rejection
        ["randint", 0, 2**31 + 1, 20],   # rng 2**31: mask 2**32 - 1, half rejected
        ["randint", 0, 2**32 - 1, 20],
        ["randint", 0, 2**32, 20],       # rng 2**32 - 1: one raw 32-bit word
        ["randint", 0, 2**32 + 1, 20],   # rng 2**32: 64-bit words
        ["randint", -7, 2**40, 20],
        ["randint", -(2**62), 2**62, 20],
        ["randint", I64_MIN, 0, 20],
        ["randint", 0, I64_MAX, 20],
        ["randint", I64_MIN, I64_MAX, 20],
        ["randint", I64_MAX - 1, I64_MAX, 3],
        ["randint", I64_MIN, I64_MIN + 3, 20],
        ["randint", -3, 1000],
        ["rand", 3],                     # where the integers left the stream
    ]),
    "permutation_10_seed0": (0, [["permutation", 10]]),
    "permutation_60000_seed0": (0, [["permutation", 60000]]),
    "permutation_small_seed1": (1, [["permutation", 0], ["permutation", 1], ["permutation", 2], ["permutation", 33]]),
    "shuffle_seed0": (0, [["shuffle", 10], ["shuffle", 1000], ["rand", 2]]),
    "mixed_seed0": (0, [["rand", 3, 4], ["randn", 5], ["randint", 0, 10, 6], ["permutation", 10], ["rand", 2],
                        ["randn", 3], ["random_sample"], ["randn"]]),
    "uniform_normal_seed3": (3, [["uniform", -1.0, 1.0, 5], ["uniform", 2.0, -3.0, 5], ["normal", 0.0, 1.0, 3],
                                 ["normal", 5.0, 0.1, 4], ["normal", 1.0, 0.0, 2], ["randn"]]),
}

STATES = [(0, 0), (1, 0), (42, 0), (2**32 - 1, 0), (0, 1), (0, 312), (0, 313), (7, 1000)]


def main():
    if sys.argv[1:] == ["--stdin"]:
        cases = json.load(sys.stdin)
        json.dump([run_case(c["seed"], c["ops"], full=True) for c in cases], sys.stdout)
        return
    if sys.argv[1:]:
        sys.exit(f"usage: {sys.argv[0]} [--stdin]")
    fixture = {
        "generator": "numpy.random.RandomState (legacy MT19937)",
        "numpy_version": np.__version__,
        "made_by": "tests/MnistNotebooks.Tests/Randomness/make_fixtures.py",
        "cases": {name: {"seed": seed, "ops": ops, "results": run_case(seed, ops)}
                  for name, (seed, ops) in CASES.items()},
        "states": [state_of(seed, draws) for seed, draws in STATES],
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "numpy-fixtures.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(fixture, f, indent=1)
        f.write("\n")
    print(f"wrote {path} ({os.path.getsize(path)} bytes) with numpy {np.__version__}")


if __name__ == "__main__":
    main()
