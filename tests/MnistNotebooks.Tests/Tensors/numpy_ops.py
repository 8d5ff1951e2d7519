"""numpy's results for the matrix operations of MatrixOperatorsTests, as the hex of each double's bits.

Run by the test with Debian's /usr/bin/python3: prints one JSON object {name: [shape, [hex, ...]]}."""
import json
import sys

import numpy as np

rs = np.random.RandomState(0)
a = rs.rand(37, 11) * 40 - 20
b = rs.rand(37, 11) * 4 - 2
row = rs.rand(1, 11) - 0.5
col = rs.rand(37, 1) + 0.5
long_row = rs.randn(1, 1000)
results = {
    "add": a + b,
    "sub_row": a - row,
    "mul_col": a * col,
    "div": a / b,
    "scalar": 2 * a - 1,
    "rscalar": 1 / (1 + np.exp(-a)),
    "exp": np.exp(a * 30),
    "log": np.log(np.abs(a)),
    "maximum": np.maximum(a, 0),
    "clip": np.clip(a, -5, 5),
    "greater": a * (b > 0),
    "sum_all": np.array([[np.sum(a)]]),
    "sum_long": np.array([[np.sum(long_row)]]),
    "sum_axis0": np.sum(a, axis=0, keepdims=True),
    "sum_axis1": np.sum(long_row * 3, axis=1, keepdims=True),
    "sum_rows": np.sum(a, axis=1, keepdims=True),
    "mean": np.array([[np.mean(a)]]),
    "max_axis1": np.max(a, axis=1, keepdims=True),
    "argmax0": np.argmax(a, 0).astype(np.float64).reshape(1, -1),
    "argmax1": np.argmax(a, 1).astype(np.float64).reshape(1, -1),
    "outer": np.outer(a[0], b[1]),
    "dot": a.T.dot(b),
}
out = {k: [list(v.shape), [float(x).hex() for x in np.ravel(v)]] for k, v in results.items()}
out["numpy"] = [[1], [np.__version__]]
json.dump(out, sys.stdout)
