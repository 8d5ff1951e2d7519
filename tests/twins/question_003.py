"""Question 003, "MNIST NN from scratch, output converge on one number", run beside chapter 05
(notebooks/05-wrong-axis.ipynb).

The asker's 784-20-10 ReLU network in numpy as they wrote it: w1, b1, w2, b2 = np.random.rand(...) - 0.5 in that
order, Softmax(z) = np.exp(z)/sum(np.exp(z)) (Python's built-in sum: over the samples), dadc = a2 - y_hat and the
1/m gradients of b_propagation, full batch, alpha = 0.01, the predictions np.argmax(a2.T, 0) of each iteration's
forward pass. Assumed, as the chapter says: np.random.seed(0) at the top (the asker did not seed); the data are the
first 4,200 MNIST training images in file order (one tenth of the asker's 42,000 Kaggle rows, for time), x/255.
One change to their loop, the chapter's too: it stops 10 iterations after the first NaN in a2 (by then every weight
is NaN, so every later iteration is the same); the asker's printout every 10 iterations is recorded for every
iteration instead of printed.

The fix is the same code with one line changed, the softmax over each sample's classes (np.sum(..., axis=1,
keepdims=True)), the same weights and 500 iterations. The answer's code (stable softmax over axis=1, no 1/m,
alpha = 0.0001) runs on the same images from the same weights for 200 iterations.
None of these runs is chaotic before the overflow: the chapter's figures agree with these within 1e-9 relative.
Prints the chapter's figures as one JSON line (mnist.dump)."""
import numpy as np
from mnist import dump, figure, load

np.random.seed(0)
np.seterr(over="ignore", invalid="ignore")  # numpy warns (the asker's RuntimeWarnings), then goes on

M = 4200
ITERATIONS, FIX_ITERATIONS, ANSWER_ITERATIONS, AFTER_NAN = 500, 500, 200, 10

(x_all, y_all), (x_test_all, y_test_all) = load()
data = np.column_stack([y_all[:M], x_all[:M].reshape(M, 784)]).astype(np.int64)  # a (m, 785) table like train.csv

# ---- the asker's code ---------------------------------------------------------------------------------------------
m, n = data.shape
x_train = data[0:m, 1:785]
y_train = data[0:m, 0]
x_train = x_train / 255


def init_param():
    w1 = np.random.rand(784, 20) - 0.5
    b1 = np.random.rand(1, 20) - 0.5
    w2 = np.random.rand(20, 10) - 0.5
    b2 = np.random.rand(1, 10) - 0.5
    return w1, b1, w2, b2


def ReLU(z):
    return np.maximum(z, 0)


def Softmax(z):
    a2 = np.exp(z) / sum(np.exp(z))
    return a2


def f_propagation(a0, w1, b1, w2, b2):
    z1 = a0.dot(w1) + b1  # m x 20
    a1 = ReLU(z1)  # m x 20
    z2 = a1.dot(w2) + b2  # m x 10
    a2 = Softmax(z2)  # m x 10
    return z1, a1, z2, a2


def dev_ReLU(z):
    return z > 0


def one_hotencode(y):
    y_hat = np.zeros((np.size(y), 10))
    y_hat[np.arange(y.size), y] = 1
    return y_hat


def b_propagation(x, y, z1, w1, a1, z2, w2, a2):
    y_hat = one_hotencode(y)
    dadc = a2 - y_hat  # m x 10
    dw2 = 1 / m * (a1.T.dot(dadc))  # 20 x 10
    db2 = 1 / m * np.sum(dadc, axis=0)  # 1 x 10
    dw1 = 1 / m * x.T.dot((w2.dot(dadc.T).T * dev_ReLU(z1)))  # 784 x 20
    db1 = 1 / m * np.sum((w2.dot(dadc.T).T * dev_ReLU(z1)), axis=0)  # 1 x 20
    return dw2, db2, dw1, db1


def update_param(w1, b1, w2, b2, dw1, db1, dw2, db2, alpha):
    w1 = w1 - alpha * dw1
    b1 = b1 - alpha * db1
    w2 = w2 - alpha * dw2
    b2 = b2 - alpha * db2
    return w1, b1, w2, b2


def get_predictions(A2):
    return np.argmax(A2, 0)


def get_accuracy(predictions, Y):
    return np.sum(predictions == Y) / Y.size


printed = []  # per iteration: what the asker printed every 10 iterations, and what the chapter measures


def gradient_descent(x, y, alpha=0.01, iterations=500, stop_after_nan=True):
    w1, b1, w2, b2 = init_param()
    first_nan = None
    log = []
    for i in range(iterations):
        z1, a1, z2, a2 = f_propagation(x, w1, b1, w2, b2)
        dw2, db2, dw1, db1 = b_propagation(x, y, z1, w1, a1, z2, w2, a2)
        w1, b1, w2, b2 = update_param(w1, b1, w2, b2, dw1, db1, dw2, db2, alpha)
        predictions = get_predictions(a2.T)
        log.append({"a2": a2 if i == 0 else None, "z2": z2 if i == 0 else None, "db2": db2 if i == 0 else None,
                    "accuracy": get_accuracy(predictions, y),
                    "counts": np.bincount(predictions, minlength=10),
                    "z2_max": np.max(z2), "exp_inf": bool(np.isinf(np.exp(z2)).any()),
                    "a2_nan": bool(np.isnan(a2).any())})
        if first_nan is None and np.isnan(a2).any():
            first_nan = i
        if stop_after_nan and first_nan is not None and i == first_nan + AFTER_NAN:
            break
    return (w1, b1, w2, b2), log


np.random.seed(0)
asker_params, asker = gradient_descent(x_train, y_train, 0.01, ITERATIONS)


# ---- the chapter's measurements of that run -----------------------------------------------------------------------
def top_share(counts):
    return counts.max() / counts.sum()


a2_0, z2_0 = asker[0]["a2"], asker[0]["z2"]
first_overflow = next(i for i, r in enumerate(asker) if r["exp_inf"])
first_nan = next(i for i, r in enumerate(asker) if r["a2_nan"])
shares = np.bincount(y_train, minlength=10) / m
collapse = int(np.argmax(asker[first_nan - 1]["counts"]))
fig = {
    "label_counts": figure(np.bincount(y_train, minlength=10)),
    "w1_first_row_init": None,  # filled below from a fresh draw with the same seed
    "accuracy": figure([r["accuracy"] for r in asker], rel=1e-9),
    "top_share": figure([top_share(r["counts"]) for r in asker], rel=1e-9),
    "top_class": figure([int(np.argmax(r["counts"])) for r in asker]),
    "z2_max": figure([r["z2_max"] for r in asker], rel=1e-9),
    "first_overflow": figure(first_overflow),
    "first_nan": figure(first_nan),
    "iterations_run": figure(len(asker)),
    "weights_all_nan_at_stop": figure(bool(all(np.isnan(p).all() for p in asker_params))),
    "counts_before_nan": figure(asker[first_nan - 1]["counts"]),
    "counts_at_stop": figure(asker[-1]["counts"]),
    "row_sums_0": figure([a2_0.sum(axis=1).min(), a2_0.sum(axis=1).max()], rel=1e-9),
    "column_sums_0": figure(a2_0.sum(axis=0), rel=1e-12),
    "db2_0": figure(asker[0]["db2"], rel=1e-9),
}
np.random.seed(0)
fig["w1_first_row_init"] = figure(init_param()[0][0], rel=1e-15)


# ---- the fix: the softmax over each sample's classes, one line changed -------------------------------------------
def SoftmaxOverClasses(z):
    a2 = np.exp(z) / np.sum(np.exp(z), axis=1, keepdims=True)
    return a2


def test_accuracy(params):
    w1, b1, w2, b2 = params
    x_test = x_test_all.reshape(10000, 784) / 255
    _, _, _, a2 = f_propagation(x_test, w1, b1, w2, b2)
    return get_accuracy(get_predictions(a2.T), y_test_all)


Softmax = SoftmaxOverClasses
np.random.seed(0)
fix_params, fix = gradient_descent(x_train, y_train, 0.01, FIX_ITERATIONS, stop_after_nan=False)
w1, b1, w2, b2 = fix_params
_, _, _, a2_end = f_propagation(x_train, w1, b1, w2, b2)
fig["fix_accuracy"] = figure([r["accuracy"] for r in fix], rel=1e-9)
fig["fix_top_share"] = figure([top_share(r["counts"]) for r in fix], rel=1e-9)
fig["fix_z2_max"] = figure([r["z2_max"] for r in fix], rel=1e-9)
fig["fix_train_accuracy_end"] = figure(get_accuracy(get_predictions(a2_end.T), y_train), rel=1e-9)
fig["fix_test_accuracy_end"] = figure(test_accuracy(fix_params), rel=1e-9)


# ---- the answer's code: stable softmax over axis=1, summed gradients, alpha = 0.0001 -----------------------------
def AnswerSoftmax(z):
    exp_z = np.exp(z - np.max(z, axis=1, keepdims=True))
    softmax = exp_z / np.sum(exp_z, axis=1, keepdims=True)
    return softmax


def answer_b_propagation(x, y, z1, w1, a1, z2, w2, a2):
    y_hat = one_hotencode(y)
    dadz2 = a2 - y_hat  # m x 10
    dw2 = np.dot(a1.T, dadz2)  # 20 x 10
    db2 = np.sum(dadz2, axis=0)  # 1 x 10
    dadz1 = np.dot(dadz2, w2.T) * dev_ReLU(z1)  # m x 20
    dw1 = np.dot(x.T, dadz1)  # 64 x 20
    db1 = np.sum(dadz1, axis=0)  # 1 x 20
    return dw2, db2, dw1, db1


Softmax = AnswerSoftmax
b_propagation = answer_b_propagation
np.random.seed(0)
answer_params, answer = gradient_descent(x_train, y_train, 0.0001, ANSWER_ITERATIONS, stop_after_nan=False)
fig["answer_accuracy"] = figure([r["accuracy"] for r in answer], rel=1e-9)
fig["answer_test_accuracy_end"] = figure(test_accuracy(answer_params), rel=1e-9)

dump("05-wrong-axis.ipynb", fig)
