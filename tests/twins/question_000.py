"""Question 000, "My python code for MNIST dataset shows gigantic error values": the asker's code in numpy, beside
notebooks/02-raw-pixels-explode.ipynb.

The reproduction runs the asker's own functions (w_sum, vect_mat_mul, outer_prod and the per-element update) as posted.
Longer runs use the same loop with matrix operations that are provably equivalent: w_sum adds a[i]·b[i] from i = 0 in
order, which is what np.cumsum(..., axis=0)[-1] does (checked bit for bit on sample 0 below); np.outer multiplies the
same pairs as outer_prod; `weights - alpha * weight_deltas` is the per-element update. Where 50 updates on one sample
are replaced by one step (the fix's sweeps, clipping by norm), the identity is exact in exact arithmetic and checked
against the loop on the first 200 samples.

Prints one JSON line (mnist.dump) that tests/Course.Tests/TwinTests.cs compares with the chapter's FIGURES lines.
Its output is stored beside it as question_000.json, which the chapter reads for its results table:
    MNIST_DIR=... /usr/bin/python3 tests/twins/question_000.py > tests/twins/question_000.json
QUESTION_000_FULL=1 also runs the asker's whole loop (60,000 samples x 50 updates; minutes) and checks its last line.
"""
import os
import sys

import numpy as np

from mnist import dump, figure, load

np.random.seed(0)  # the question seeds nothing; the course seeds numpy's global generator where the code starts
np.seterr(over="ignore", invalid="ignore")  # numpy warns, then goes on: the asker's run went on too


def log(*args):
    print(*args, file=sys.stderr, flush=True)


# ---- the asker's code, as posted (the label loop moved below the load, where it can run) ----
def w_sum(a, b):
    assert len(a) == len(b)
    output = 0
    for i in range(len(a)):
        output += a[i] * b[i]
    return output


def neural_network(input1, weights):
    pred = vect_mat_mul(input1, weights)
    return pred


def vect_mat_mul(vect, matrix):
    output = np.zeros(10)
    for i in range(10):
        output[i] = w_sum(vect[0], matrix[:, i])
    return output


def outer_prod(a, b):
    out = np.zeros((len(a), len(b)))
    for i in range(len(a)):
        for j in range(len(b)):
            out[i][j] = a[i] * b[j]
    return out


(x_train, x_label), (t_test, t_label) = load()  # ks.datasets.mnist.load_data(): the same arrays, in file order
x_train = x_train.reshape(x_train.shape[0], 28 * 28)
weights = np.random.rand(784, 10)
x_labels = np.zeros((x_train.shape[0], 10))
for i in range(x_train.shape[0]):
    x_labels[i, x_label[i]] = 1
alpha = 0.00001

W0 = weights.copy()
t_test = t_test.reshape(t_test.shape[0], 28 * 28)


def asker_sample(i, weights, record):
    """The asker's 50 updates on sample i, exactly as posted; records (Σ error, prediction finite, all weights NaN)."""
    error = np.zeros(10)
    delta = np.zeros(10)
    for iter in range(50):
        x_train_to_NN = np.array([x_train[i]])
        pred = neural_network(x_train_to_NN, weights)
        for j in range(10):
            error[j] = (pred[j] - x_labels[i, j]) ** 2
            delta[j] = pred[j] - x_labels[i, j]
        weight_deltas = outer_prod(x_train[i], delta)  # calculate the gradient
        for idx in range(784):
            for jdx in range(10):
                weights[idx][jdx] -= alpha * weight_deltas[idx][jdx]  # update weight matrix
        record.append((error.sum(), bool(np.isfinite(pred).all()), bool(np.isnan(weights).all()), pred.copy()))
    return error, delta, pred


# ---- Reproduce: samples 0-3 (200 updates); from update 181 every weight is NaN ----
log("asker's loop, samples 0-3 ...")
record = []
for i in range(4):
    asker_sample(i, weights, record)
errors = [r[0] for r in record]
first = lambda cond: next(u for u, r in enumerate(record) if cond(r))
above_1e30 = first(lambda r: r[0] > 1e30)
error_infinite = first(lambda r: not np.isfinite(r[0]))
prediction_infinite = first(lambda r: not r[1])
error_nan = first(lambda r: np.isnan(r[0]))
all_nan = first(lambda r: r[2])
first_prediction = record[0][3]

# NaN in, NaN out: from all-NaN weights every later update leaves them NaN, so the question's closing print (after
# sample 59,999) shows what the asker's last sample gives from them.
error, delta, pred = asker_sample(59999, weights, [])
final_error = list(error)

# The same loop with w_sum as np.cumsum (its order) is bit for bit the asker's: checked on sample 0.
def w_sum_rows(x, w):
    return np.cumsum(x[:, None] * w, axis=0)[-1]


w = W0.copy()
x = x_train[0].astype(np.float64)
for u in range(50):
    delta_v = w_sum_rows(x, w) - x_labels[0]
    assert (delta_v ** 2).sum() == errors[u], "the vectorised loop differs from the asker's"
    w = w - alpha * np.outer(x_train[0], delta_v)

# ---- Diagnose: alpha * ||x||^2 ----
X = x_train.astype(np.float64)
sq = (X * X).sum(axis=1)
factors = alpha * sq
s0 = factors[0]
growth = [errors[t + 1] / errors[t] for t in range(49)]
growth_deviation = max(abs(g / (1 - s0) ** 2 - 1) for g in growth)

# The answer blamed the initialisation: start from W = 0 instead.
w = np.zeros((784, 10))
zero_infinite = None
for u in range(400):
    i = u // 50
    d = w_sum_rows(X[i], w) - x_labels[i]
    if zero_infinite is None and not np.isfinite((d ** 2).sum()):
        zero_infinite = u
        break
    w = w - alpha * np.outer(x_train[i], d)


def accuracy(w, x, labels):
    return float(np.mean(np.argmax(x @ w, axis=1) == labels))


# ---- The asker's fix: gradient clipping (c = 1), by norm and by value ----
c = 1.0
norms = np.sqrt(sq)


def clipped_sample(w, i, kind):
    x = X[i]
    for iter in range(50):
        d = w_sum_rows(x, w) - x_labels[i]
        g = np.outer(x, d)
        if kind == "norm":
            n = np.sqrt(np.sum(g * g))
            if n > c:
                g = g * (c / n)
        else:
            g = np.clip(g, -c, c)
        w = w - alpha * g
    return w, (d ** 2).sum()


log("clipping ...")
w = W0.copy()
for i in range(200):
    w, _ = clipped_sample(w, i, "norm")
norm_literal_200 = w

# Every update clipped: 50 updates move W by 50·α·c along x⊗δ/(‖x‖‖δ‖), δ keeps its direction (checked per sample).
w = W0.copy()
every_clipped = True
for i in range(60000):
    d = w_sum_rows(X[i], w) - x_labels[i]
    nd = np.sqrt(np.sum(d * d))
    every_clipped &= bool(norms[i] * (nd - 49 * alpha * c * norms[i]) > c)
    w = w - np.outer(X[i], ((50 * alpha * c) / (norms[i] * nd)) * d)
    if i == 199:
        norm_closed_200 = w.copy()
    last_norm = (nd - 49 * alpha * c * norms[i]) ** 2
clip_norm_w = w
norm_rel = float(np.abs(norm_closed_200 - norm_literal_200).max() / np.abs(norm_literal_200).max())

w = W0.copy()
for i in range(1000):
    w, last_value = clipped_sample(w, i, "value")
clip_value_w = w

# ---- Fix: train on the first 50,000 images, choose on the last 10,000 (validation), report on test ----
Xs = x_train / 255
Xt = t_test / 255
sq_s = (Xs * Xs).sum(axis=1)
val_x, val_y = Xs[50000:], x_label[50000:]


def asker_scaled_literal(w, n, a):
    for i in range(n):
        for iter in range(50):
            d = w_sum_rows(Xs[i], w) - x_labels[i]
            w = w - a * np.outer(Xs[i], d)
    return w


def fifty_updates(w, n, a):
    """50 updates on sample i are one: δ ← (1 − s)δ each time (s = α‖x‖²), so W moves by α·Σ_t (1 − s)^t · x⊗δ₀."""
    for i in range(n):
        s = a * sq_s[i]
        step = a * (1 - (1 - s) ** 50) / s
        d = Xs[i] @ w - x_labels[i]
        w = w - np.outer(Xs[i], step * d)
    return w


log("fix ...")
literal = asker_scaled_literal(W0.copy(), 200, alpha)
closed = fifty_updates(W0.copy(), 200, alpha)
scaled_rel = float(np.abs(closed - literal).max() / np.abs(literal).max())
scaling_alone = fifty_updates(W0.copy(), 50000, alpha)

alphas = [1e-6, 3e-6, 1e-5, 1e-4, 1e-3, 1e-2, 3e-2]
sweep_acc, sweep_finite, sweep_w = [], [], []
for a in alphas:
    np.random.seed(0)
    w0 = 0.01 * np.random.randn(784, 10)
    w = fifty_updates(w0, 50000, a)
    sweep_w.append(w)
    sweep_finite.append(bool(np.isfinite(w).all()))
    sweep_acc.append(accuracy(w, val_x, val_y))
    log(f"  alpha {a:g}: validation {sweep_acc[-1]:.4f}")
best = int(np.argmax([acc if ok else -1 for acc, ok in zip(sweep_acc, sweep_finite)]))

if os.environ.get("QUESTION_000_FULL") == "1":
    log("the whole loop, 60,000 x 50 updates ...")
    w = W0.copy()
    for i in range(60000):
        for iter in range(50):
            d = w_sum_rows(X[i], w) - x_labels[i]
            w = w - alpha * np.outer(x_train[i], d)
    assert np.isnan(d).all() and np.isnan(w).all(), "the whole loop did not end all NaN"
    log("  ends with every weight and every error NaN, as the shortcut says")

# Accuracy on test of a model that is all NaN: np.argmax returns the first NaN, class 0.
dump("02-raw-pixels-explode.ipynb", {
    "error_per_update": figure(errors, rel=1e-9),
    "first_prediction": figure(list(first_prediction), rel=1e-9),
    "update_error_above_1e30": figure(above_1e30),
    "update_error_infinite": figure(error_infinite),
    "update_prediction_infinite": figure(prediction_infinite),
    "update_error_nan": figure(error_nan),
    "update_all_weights_nan": figure(all_nan),
    "final_error_sample_59999": figure(final_error),
    "alpha_x2_samples_0_3": figure(list(factors[:4]), rel=1e-12),
    "alpha_x2_mean": figure(factors.mean(), rel=1e-12),
    "alpha_x2_min": figure(factors.min(), rel=1e-12),
    "alpha_x2_max": figure(factors.max(), rel=1e-12),
    "growth_follows_1_minus_s_squared": figure(bool(growth_deviation < 1e-9)),
    "zero_init_update_error_infinite": figure(zero_infinite),
    "clip_norm_matches_loop": figure(bool(norm_rel < 1e-9)),
    "clip_norm_every_update_clipped": figure(every_clipped),
    "clip_norm_last_error": figure(last_norm, rel=1e-6),
    "clip_norm_test_accuracy": figure(accuracy(clip_norm_w, t_test.astype(np.float64), t_label), abs=1e-4),
    "clip_value_finite": figure(bool(np.isfinite(clip_value_w).all())),
    "clip_value_last_error": figure(last_value, rel=1e-6),
    "clip_value_test_accuracy": figure(accuracy(clip_value_w, t_test.astype(np.float64), t_label), abs=1e-4),
    "scaled_alpha_x2_mean": figure(alpha * sq_s.mean(), rel=1e-12),
    "fifty_updates_match_loop": figure(bool(scaled_rel < 1e-9)),
    "scaling_alone_validation_accuracy": figure(accuracy(scaling_alone, val_x, val_y), abs=1e-4),
    "sweep_alphas": figure(alphas),
    "sweep_nonfinite_alphas": figure([a for a, ok in zip(alphas, sweep_finite) if not ok]),
    "sweep_validation_accuracy": figure(sweep_acc, abs=1e-4),
    "best_alpha": figure(alphas[best]),
    "fixed_linear_test_accuracy": figure(accuracy(sweep_w[best], Xt, t_label), abs=1e-4),
})
