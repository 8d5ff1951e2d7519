"""Question 001, run beside chapter 03 (notebooks/03-dead-sigmoids.ipynb).

The asker's 784-16-10 sigmoid network without biases, in numpy as they wrote it: weights1 then weights2 drawn as
2 * np.random.random(...) - 1, inputs = x_test/256 (the 10,000 test images, file order, flattened as their
`x_train, t_train, x_test, t_test = mnist.load()` loader returns them), one-hot outputs, full-batch `weights += w` with
the summed adjustments and no learning rate, n = 10. Assumed, as the chapter says: np.random.seed(0) at the top (the
asker did not seed). The chapter's fixes that keep the asker's code (a learning rate, the answer's `-=`, the small
batches) are the same loop with `weights += learning_rate * w`; the validation split is training images 50,000-59,999.
None of these runs is chaotic: measured against the chapter, the largest relative difference of any figure is about
1e-14 (the products' summation order) and every accuracy is equal, so every figure must agree within 1e-9 relative.
Prints the chapter's figures as one JSON line (mnist.dump)."""
import numpy as np
from mnist import dump, figure, load

np.random.seed(0)

SWEEP = [0.1, 0.01, 0.001, 0.0001]
SWEEP_ITERATIONS, RATE_ITERATIONS, CHUNK = 50, 200, 10
OVERFIT_SIZES, OVERFIT_ITERATIONS, OVERFIT_RATE_ITERATIONS = [1, 10, 100], 50, 200


# ---- the asker's code ---------------------------------------------------------------------------------------------
def sigmoid(x):
    a = 1 / (1 + np.exp(-x))
    return a


def sigmoid_derivative(x):
    return x * (1 - x)


printed = []  # what the asker printed, for every iteration: their printout, kept instead of printed


def train(n, inputs):
    input_layer = inputs
    weights1 = 2 * np.random.random((784, 16)) - 1
    weights2 = 2 * np.random.random((16, 10)) - 1
    printed.append({"weights1": weights1.copy(), "weights2": weights2.copy()})
    for i in range(n):
        trained_hidden = sigmoid(np.dot(input_layer, weights1))
        trained_outputs = sigmoid(np.dot(trained_hidden, weights2))
        o_error = (outputs - trained_outputs)
        o_adjustments = o_error * sigmoid_derivative(trained_outputs)
        h_error = np.dot(o_adjustments, weights2.T)
        h_adjustments = h_error * sigmoid_derivative(trained_hidden)
        w1 = np.dot(input_layer.T, h_adjustments)
        w2 = np.dot(trained_hidden.T, o_adjustments)
        weights1 += w1
        weights2 += w2
        printed.append({"trained_hidden": trained_hidden, "trained_outputs": trained_outputs,
                        "o_adjustments": o_adjustments, "w1": w1, "w2": w2,
                        "weights1": weights1.copy(), "weights2": weights2.copy()})
    return trained_outputs


(x_train, t_train), (x_test, t_test) = load()
x_train, x_test = x_train.reshape(60000, 784), x_test.reshape(10000, 784)  # their loader's (n, 784)
inputs = x_test/256
outputs = np.zeros((10000, 10), dtype=int)
for i in range(10000):
    x = t_test[int(i)]
    outputs[i][x] = 1
np.seterr(over="ignore")  # exp overflows after the first update, as in the asker's run (a RuntimeWarning there)
set = train(10, inputs)


# ---- the chapter's measurements of that run -----------------------------------------------------------------------
def loss(o, y):
    return 0.5 * np.sum((o - y) ** 2) / len(y)


def saturated(h):
    return np.mean((h < 0.01) | (h > 0.99))


def counts(o):
    return np.bincount(np.argmax(o, axis=1), minlength=10)


init, first, second = printed[0], printed[1], printed[2]
h_after, o_after = second["trained_hidden"], second["trained_outputs"]
z_after = np.dot(h_after, first["weights2"])
zero_pixels = np.all(inputs == 0, axis=0)
w32 = [first["weights1"].astype(np.float32), first["weights2"].astype(np.float32)]
o32 = sigmoid(np.dot(sigmoid(np.dot(inputs.astype(np.float32), w32[0])), w32[1]))

fig = {
    "weights1_row0_init": figure(init["weights1"][0], rel=1e-12),
    "w2_row0": figure(first["w2"][0], rel=1e-9),
    "weights2_row0_after": figure(first["weights2"][0], rel=1e-9),
    "zero_pixels": figure(int(zero_pixels.sum())),
    "w1_zero_on_zero_pixels": figure(bool(np.all(first["w1"][zero_pixels] == 0))),
    "update_ratio_w1": figure(np.linalg.norm(first["w1"]) / np.linalg.norm(init["weights1"]), rel=1e-9),
    "update_ratio_w2": figure(np.linalg.norm(first["w2"]) / np.linalg.norm(init["weights2"]), rel=1e-9),
    "hidden_saturated_before": figure(saturated(first["trained_hidden"]), rel=1e-9),
    "hidden_saturated_after": figure(saturated(h_after), rel=1e-9),
    "hidden_exact_0_or_1_after": figure(np.mean((h_after == 0) | (h_after == 1)), rel=1e-9),
    "output_max_after": figure(o_after.max(), rel=1e-9),
    "outputs_exact_zero_after": figure(np.mean(o_after == 0), rel=1e-9),
    "predicted_counts_init": figure(counts(first["trained_outputs"])),
    "predicted_counts_after": figure(counts(o_after)),
    "loss_per_iteration": figure([loss(p["trained_outputs"], outputs) for p in printed[1:]], rel=1e-9),
    "adjustment_max_after_first": figure(max(max(abs(p["w1"]).max(), abs(p["w2"]).max()) for p in printed[2:]), rel=1e-9),
    "weights_unchanged_after_first": figure(bool(np.array_equal(printed[-1]["weights1"], first["weights1"])
                                                 and np.array_equal(printed[-1]["weights2"], first["weights2"]))),
    "z_max_range": figure([z_after.max(axis=1).min(), z_after.max(axis=1).max()], rel=1e-9),
    "argmax_z_counts": figure(np.bincount(np.argmax(z_after, axis=1), minlength=10)),
    "init_mean_outputs": figure(first["trained_outputs"].mean(axis=0), rel=1e-9),
    "o_adjustments_column_sums": figure(first["o_adjustments"].sum(axis=0), rel=1e-9),
    "weights2_column_sums_after": figure(first["weights2"].sum(axis=0), rel=1e-9),
    "float32_predicted_counts": figure(counts(o32)),
    "float32_outputs_exact_zero": figure(float(np.mean(o32 == 0))),
}


# ---- the fixes that keep the asker's loop: a learning rate (negative: the answer's `-=`) --------------------------
def train_rate(n, input_layer, outputs, labels, learning_rate, weights1, weights2, log):
    for i in range(n):
        trained_hidden = sigmoid(np.dot(input_layer, weights1))
        trained_outputs = sigmoid(np.dot(trained_hidden, weights2))
        log.append((loss(trained_outputs, outputs), np.mean(np.argmax(trained_outputs, axis=1) == labels)))
        o_error = (outputs - trained_outputs)
        o_adjustments = o_error * sigmoid_derivative(trained_outputs)
        h_error = np.dot(o_adjustments, weights2.T)
        h_adjustments = h_error * sigmoid_derivative(trained_hidden)
        w1 = np.dot(input_layer.T, h_adjustments)
        w2 = np.dot(trained_hidden.T, o_adjustments)
        if learning_rate < 0:  # the answer's lines, as written
            weights1 -= w1 * -learning_rate
            weights2 -= w2 * -learning_rate
        else:
            weights1 += learning_rate * w1
            weights2 += learning_rate * w2
    return weights1, weights2


def forward(x, weights1, weights2):
    return sigmoid(np.dot(sigmoid(np.dot(x, weights1)), weights2))


def accuracy(o, labels):
    return np.mean(np.argmax(o, axis=1) == labels)


W1_0, W2_0 = init["weights1"], init["weights2"]
x_val, t_val = x_train[50000:]/256, t_train[50000:]

answer_log, descent_log = [], []
A1, A2 = train_rate(10, inputs, outputs, t_test, -0.001, W1_0.copy(), W2_0.copy(), answer_log)
fig["answer_loss"] = figure([l for l, _ in answer_log] + [loss(forward(inputs, A1, A2), outputs)], rel=1e-9)

def run_rate(rate, weights1, weights2, iterations, log, val):
    """The chapter's Continue: train_rate in chunks of 10 iterations, the validation accuracy after each."""
    if not val:
        val.append(accuracy(forward(x_val, weights1, weights2), t_val))
    for _ in range(iterations // CHUNK):
        weights1, weights2 = train_rate(CHUNK, inputs, outputs, t_test, rate, weights1, weights2, log)
        val.append(accuracy(forward(x_val, weights1, weights2), t_val))
    return weights1, weights2


runs = {}
for rate in SWEEP:
    log, val = [], []
    runs[rate] = (*run_rate(rate, W1_0.copy(), W2_0.copy(), SWEEP_ITERATIONS, log, val), log, val)
sweep_val = [runs[rate][3][-1] for rate in SWEEP]
chosen = SWEEP[int(np.argmax(sweep_val))]
fig["sweep_val_curves"] = figure([a for rate in SWEEP for a in runs[rate][3]], rel=1e-9)
fig["chosen_rate"] = figure(chosen, rel=1e-12)

R1, R2, rate_log, val_curve = runs[chosen]
R1, R2 = run_rate(chosen, R1, R2, RATE_ITERATIONS - SWEEP_ITERATIONS, rate_log, val_curve)
final = forward(inputs, R1, R2)
fig["rate_loss_at_10"] = figure(rate_log[10][0], rel=1e-9)
fig["rate_accuracy_at_10"] = figure(rate_log[10][1], rel=1e-9)
fig["rate_loss_final"] = figure(loss(final, outputs), rel=1e-9)
fig["rate_train_accuracy_final"] = figure(accuracy(final, t_test), rel=1e-9)
fig["rate_val_curve"] = figure(val_curve, rel=1e-9)
fig["rate_hidden_saturated_final"] = figure(saturated(sigmoid(np.dot(inputs, R1))), rel=1e-9)

overfit_loss, overfit_accuracy = [], []
for m in OVERFIT_SIZES:
    log = []
    O1, O2 = train_rate(OVERFIT_ITERATIONS, inputs[:m], outputs[:m], t_test[:m], 1.0, W1_0.copy(), W2_0.copy(), log)
    o = forward(inputs[:m], O1, O2)
    overfit_loss.append(loss(o, outputs[:m]))
    overfit_accuracy.append(accuracy(o, t_test[:m]))
m = OVERFIT_SIZES[-1]
O1, O2 = train_rate(OVERFIT_RATE_ITERATIONS, inputs[:m], outputs[:m], t_test[:m], chosen * 10000 / m,
                    W1_0.copy(), W2_0.copy(), [])
o = forward(inputs[:m], O1, O2)
fig["overfit_loss"] = figure(overfit_loss, rel=1e-9)
fig["overfit_accuracy"] = figure(overfit_accuracy)
fig["overfit_rate_loss"] = figure(loss(o, outputs[:m]), rel=1e-9)
fig["overfit_rate_accuracy"] = figure(accuracy(o, t_test[:m]))

dump("03-dead-sigmoids.ipynb", fig)
