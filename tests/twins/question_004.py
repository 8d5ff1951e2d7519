"""Question 004, run beside chapter 06 (notebooks/06-wrong-gradient.ipynb).

The asker's 784-300-10 sigmoid network on squared error, in numpy as they posted it: `_forward_prop`, the per-sample
`_back_prop` (lam = 0.001, decay 2·lam·W on the weights, none on the biases) and the gradient-check `cost_function`
(0.5·Σ(out − y)²/n + 0.5·reg·Σ W² over the whole flat W, biases included; the post's stray `)` removed). Not shown in
the question, assumed as the chapter says: np.random.seed(0) at the top; W = [Wl1.ravel(), bl1, Wl2.ravel(), bl2] (the
order `_back_prop` returns), the weights drawn U(±sqrt(6/(fan_in + fan_out))) (Wl1 first), biases 0; pixels / 255;
RMSprop as in Hinton's lecture 6e (cache = 0.9·cache + (1 − 0.9)·g·g, W −= lr·g/(sqrt(cache) + 1e-8), lr = 0.001),
batches of 100 in the order of np.random.permutation per epoch.

Sizes the chapter cuts to keep its run short: the gradient check uses the first 20 training images and samples 10
entries per tensor as the library's GradientCheck does (the first 10 of RandomState(0).permutation(size), sorted, one
generator across the tensors); four runs of 30 epochs train on the first 500 training images, and the asker's own run
(their gradient, lam = 0.001) once more on the first 3,000 (900 updates: enough for its cost to rise; the asker had
15,000).

Vectorised where provably equivalent: training uses `gradient`, the batched form of the asker's loop (their sums over
samples of outer products and vectors become matrix products and column sums: the same sums, in another order). The
twin runs the asker's `_back_prop` loop on the check batch and asserts the batched form gives its numbers within
1e-12 of the largest entry (`batched_matches_loop`), which the chapter also checks. The per-epoch cost is the asker's
`cost_function` with reg = lam and reg = 0.

Tolerances: the gradient check's relative errors are ratios of differences of costs; at small ε, and in float32, they
are rounding noise, which depends on the order in which BLAS and the chapter add: the asker's float64 errors (about 1,
not noise) are compared as log10 within 0.3 (a factor of 2); the fixed gradient's float64 errors, which at ε ≤ 1e-4
are rounding (about 1e-8 to 1e-10; measured twin vs chapter up to 0.41 apart in log10), and every float32 error within
1 (the same decade); the separation and the pass/fail of each tensor as booleans. Training is
deterministic, not chaotic over 30 epochs here; measured against the chapter, its figures differ by at most about 2e-14
relative (the products' summation order), so they must agree within 1e-8. Prints the chapter's figures as one JSON
line (mnist.dump)."""
import numpy as np
from mnist import dump, figure, load

np.random.seed(0)

HIDDEN, CHECK_IMAGES, ENTRIES, SUBSAMPLE, LONG_IMAGES, EPOCHS, BATCH = 300, 20, 10, 500, 3000, 30, 100
EPSILONS = [1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7]
LAM, LAM_SMALL, LEARNING_RATE = 0.001, 0.000002, 0.001


# ---- the asker's code ---------------------------------------------------------------------------------------------
def sigmoid(z):
    return np.true_divide(1, 1 + np.exp(-z))


def sigmoid_prime(a):
    return (a) * (1 - a)


class Net:
    def __init__(self, inputs=784, hidden=HIDDEN, classes=10):
        self.sizes = inputs, hidden, classes

    def _extract_weights(self, W):
        d, h, c = self.sizes
        return (W[:d * h].reshape(d, h), W[d * h:d * h + h], W[d * h + h:d * h + h + h * c].reshape(h, c),
                W[d * h + h + h * c:])

    def make_1_of_c_encoding(self, labels):
        y = np.zeros((len(labels), self.sizes[2]))
        y[np.arange(len(labels)), labels] = 1
        return y

    def _forward_prop(self, W, X, transfer_func=sigmoid):
        weights_L1, bias_L1, weights_L2, bias_L2 = self._extract_weights(W)
        A_2 = transfer_func(np.dot(X, weights_L1) + bias_L1)
        A_3 = transfer_func(np.dot(A_2, weights_L2) + bias_L2)
        return [A_2, A_3]

    def _back_prop(self, W, X, labels, f=sigmoid, fprime=sigmoid_prime, lam=0.001):
        Wl1, bl1, Wl2, bl2 = self._extract_weights(W)
        layers_outputs = self._forward_prop(W, X, f)
        y = self.make_1_of_c_encoding(labels)
        num_samples = X.shape[0]
        big_delta = np.zeros(Wl2.size + bl2.size + Wl1.size + bl1.size)
        big_delta_wl1, big_delta_bl1, big_delta_wl2, big_delta_bl2 = self._extract_weights(big_delta)
        for i, x in enumerate(X):
            dE_dy = layers_outputs[-1][i, :] - y[i, :]
            big_delta_bl2 += dE_dy
            dE_dz_out = dE_dy * fprime(layers_outputs[-1][i, :])
            dE_dhl = dE_dy.dot(Wl2.T)
            big_delta_bl1 += dE_dhl
            small_delta_hl = dE_dhl * fprime(layers_outputs[-2][i, :])
            big_delta_wl2 += np.outer(layers_outputs[-2][i, :], dE_dz_out)
            big_delta_wl1 += np.outer(x, small_delta_hl)
        big_delta_wl2 = np.true_divide(big_delta_wl2, num_samples) + lam * Wl2 * 2
        big_delta_bl2 = np.true_divide(big_delta_bl2, num_samples)
        big_delta_wl1 = np.true_divide(big_delta_wl1, num_samples) + lam * Wl1 * 2
        big_delta_bl1 = np.true_divide(big_delta_bl1, num_samples)
        return np.concatenate([big_delta_wl1.ravel(), big_delta_bl1, big_delta_wl2.ravel(),
                               big_delta_bl2.reshape(big_delta_bl2.size)])

    def cost_function(self, W, X, labels, reg=0.001):
        outputs = self._forward_prop(W, X, sigmoid)[-1]
        sample_size = X.shape[0]
        y = self.make_1_of_c_encoding(labels)
        e1 = np.sum((outputs - y) ** 2, axis=1) * 0.5
        error = e1.sum() / sample_size + 0.5 * reg * (np.square(W)).sum()
        return error


# ---- the chapter's gradients: the asker's, one line fixed, all fixed; batched (sums over samples as products) -----
def gradient(net, W, X, labels, kind, lam):
    Wl1, bl1, Wl2, bl2 = net._extract_weights(W)
    h, out = net._forward_prop(W, X)
    y, n = net.make_1_of_c_encoding(labels), X.shape[0]
    dE_dy = out - y
    dE_dz_out = dE_dy * sigmoid_prime(out)
    if kind == "fixed":
        g_bl2, dE_dhl = dE_dz_out.sum(axis=0), dE_dz_out.dot(Wl2.T)
    else:
        g_bl2, dE_dhl = dE_dy.sum(axis=0), dE_dy.dot(Wl2.T)
    small_delta_hl = dE_dhl * sigmoid_prime(h)
    g_bl1 = dE_dhl.sum(axis=0) if kind == "asker" else small_delta_hl.sum(axis=0)
    decay = 2 * lam if kind != "fixed" else lam
    return np.concatenate([(X.T.dot(small_delta_hl) / n + decay * Wl1).ravel(), g_bl1 / n,
                           (h.T.dot(dE_dz_out) / n + decay * Wl2).ravel(), g_bl2 / n])


def cost(net, W, X, labels, lam, biases):
    """The asker's cost_function with reg = lam over the whole W (biases=True), or over the weights only."""
    if biases:
        return net.cost_function(W, X, labels, reg=lam)
    Wl1, _, Wl2, _ = net._extract_weights(W)
    return net.cost_function(W, X, labels, reg=0) + 0.5 * lam * (np.square(Wl1).sum() + np.square(Wl2).sum())


# ---- the library's GradientCheck.Compare, in numpy ----------------------------------------------------------------
def check(net, W, analytic, loss, eps, entries=ENTRIES, seed=0, rel_tol=1e-3, abs_tol=1e-7):
    """Max relative error |a − n| / max(|a|, |n|, abs_tol / rel_tol) per tensor and whether each passes (≤ rel_tol)."""
    rng = np.random.RandomState(seed)
    floor = abs_tol / rel_tol
    rows = []
    offset = 0
    for part in net._extract_weights(W):
        size = part.size
        picked = np.arange(size) if size <= entries else np.sort(rng.permutation(size)[:entries])
        worst = 0.0
        for i in picked:
            j = offset + i
            saved = W[j]
            W[j] = saved + eps
            plus = loss(W)
            W[j] = saved - eps
            minus = loss(W)
            W[j] = saved
            n = float((plus - minus) / (eps + eps))
            a = float(analytic[j])
            worst = max(worst, abs(a - n) / max(abs(a), abs(n), floor))
        rows.append(worst)
        offset += size
    return rows


(x_train, t_train), (x_test, t_test) = load()
x_train, x_test = x_train.reshape(60000, 784) / 255.0, x_test.reshape(10000, 784) / 255.0
net = Net()
r1, r2 = np.sqrt(6 / (784 + HIDDEN)), np.sqrt(6 / (HIDDEN + 10))
W0 = np.concatenate([np.random.uniform(-r1, r1, 784 * HIDDEN), np.zeros(HIDDEN),
                     np.random.uniform(-r2, r2, HIDDEN * 10), np.zeros(10)])

Xc, Lc = x_train[:CHECK_IMAGES], t_train[:CHECK_IMAGES]
asker = net._back_prop(W0, Xc, Lc, lam=LAM)
batched = gradient(net, W0, Xc, Lc, "asker", LAM)
fixed = gradient(net, W0, Xc, Lc, "fixed", LAM)
fig = {
    "w0_first": figure(W0[:3], rel=1e-12),
    "asker_cost_check_batch": figure(net.cost_function(W0, Xc, Lc), rel=1e-9),
    "batched_matches_loop": figure(bool(np.max(np.abs(batched - asker)) <= 1e-12 * np.max(np.abs(asker)))),
}
W = W0.copy()
asker_own = check(net, W, asker, lambda w: net.cost_function(w, Xc, Lc), 1e-5)
asker_zero = check(net, W, net._back_prop(W0, Xc, Lc, lam=0), lambda w: cost(net, w, Xc, Lc, 0, True), 1e-5)
fixed_check = check(net, W, fixed, lambda w: cost(net, w, Xc, Lc, LAM, False), 1e-5)
fig["check_asker_own_cost_log10"] = figure(np.log10(asker_own), abs=0.3)
fig["check_asker_lambda0_log10"] = figure(np.log10(asker_zero), abs=0.3)
fig["check_fixed_log10"] = figure(np.log10(fixed_check), abs=1.0)  # rounding noise: see the docstring
fig["check_asker_own_cost_failed"] = figure([r > 1e-3 for r in asker_own])
fig["check_asker_lambda0_failed"] = figure([r > 1e-3 for r in asker_zero])
fig["check_fixed_failed"] = figure([r > 1e-3 for r in fixed_check])

# The sweep over ε, float64 and float32, both gradients against the same cost (weights-only decay, as `fixed`).
def cost32(W, X, y, lam):
    """cost(…, biases=False) with every operation in float32 (numpy would widen a float32 scalar / int to float64)."""
    Wl1, bl1, Wl2, bl2 = net._extract_weights(W)
    A_3 = sigmoid(np.dot(sigmoid(np.dot(X, Wl1) + bl1), Wl2) + bl2)
    e1 = np.sum((A_3 - y) ** 2, axis=1) * np.float32(0.5)
    return e1.sum() / np.float32(X.shape[0]) + np.float32(0.5) * lam * (np.square(Wl1).sum() + np.square(Wl2).sum())


W32, Xc32, Yc32 = W0.astype(np.float32), Xc.astype(np.float32), net.make_1_of_c_encoding(Lc).astype(np.float32)
sweep = {}
for precision in ("f64", "f32"):
    for name, g in (("fixed", fixed), ("asker", asker)):
        rows = []
        for eps in EPSILONS:
            if precision == "f64":
                rows.append(check(net, W, g, lambda w: cost(net, w, Xc, Lc, LAM, False), eps))
            else:
                rows.append(check(net, W32, g.astype(np.float32), lambda w: cost32(w, Xc32, Yc32, np.float32(LAM)),
                                  np.float32(eps)))
        sweep[precision, name] = np.array(rows)  # (eps, tensor)
        fig[f"sweep_{precision}_{name}_log10"] = figure(np.log10(sweep[precision, name]).ravel(),
                                                        abs=0.3 if (precision, name) == ("f64", "asker") else 1.0)
for precision in ("f64", "f32"):  # separated: the asker's error at least 5x the fixed gradient's on every tensor
    factor = (sweep[precision, "asker"] / sweep[precision, "fixed"]).min(axis=1)
    fig[f"sweep_{precision}_separates"] = figure([bool(f >= 5) for f in factor])


# ---- 30 epochs on the first 500 training images, and the asker's run on the first 3,000 ---------------------------
def train(kind, lam, images):
    W, cache = W0.copy(), np.zeros_like(W0)
    X, labels = x_train[:images], t_train[:images]
    log = {"cost": [], "data_cost": [], "norm_wl1": [], "norm_bl1": [], "norm_wl2": [], "norm_bl2": []}
    for epoch in range(EPOCHS):
        order = np.random.permutation(images)
        for start in range(0, images, BATCH):
            batch = order[start:start + BATCH]
            grad = gradient(net, W, X[batch], labels[batch], kind, lam)
            cache = 0.9 * cache + (1 - 0.9) * grad * grad
            W = W - LEARNING_RATE * grad / (np.sqrt(cache) + 1e-8)
        log["cost"].append(net.cost_function(W, X, labels, reg=lam))
        log["data_cost"].append(net.cost_function(W, X, labels, reg=0))
        for name, part in zip(("norm_wl1", "norm_bl1", "norm_wl2", "norm_bl2"), net._extract_weights(W)):
            log[name].append(np.linalg.norm(part))
    log["test_error"] = np.mean(np.argmax(net._forward_prop(W, x_test)[-1], axis=1) != t_test)
    return log


RUNS = {"asker": ("asker", LAM, SUBSAMPLE), "asker_small_lambda": ("asker", LAM_SMALL, SUBSAMPLE),
        "bl1_fixed": ("bl1", LAM, SUBSAMPLE), "fixed": ("fixed", LAM, SUBSAMPLE),
        "asker_long": ("asker", LAM, LONG_IMAGES)}
for run, (kind, lam, images) in RUNS.items():
    for name, value in train(kind, lam, images).items():
        fig[f"{run}_{name}"] = figure(value, rel=1e-8)

dump("06-wrong-gradient.ipynb", fig)
