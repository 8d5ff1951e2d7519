"""Question 002, run beside chapter 04 (notebooks/04-softmax-overflow.ipynb).

The asker's functions as posted (sigmoid and relu with their np.clip, he_init, softmax, softmax_cost), samples in
columns, and the unshown loop completed as the chapter says: np.random.seed(1) before he_init, the first 500 training
images / 255, 10 full-batch epochs, each the cost of its forward pass then dZ = aL - Y, dW = k * dZ . A_prev.T,
db = k * sum(dZ), dA = W.T . dZ, dZ = dA * g'(Z), W -= lr * dW. The chapter's five runs (k = 1/m or 1, relu or
sigmoid, lr 0.01 or 0.001) and its Fix's first step (the same loop with the max subtracted in softmax and the cost by
log-sum-exp). Per run: the costs and the epochs where numpy warns (exp overflow in a sigmoid or in the softmax,
divide by zero in log). Figures are rounded to 12 significant digits, so that another BLAS's rounding does not change
the stored copy. Prints the chapter's figures as one JSON line (mnist.dump)."""
import numpy as np
from mnist import dump, figure, load

M = 500
layer_dims = [784, 512, 256, 128, 64, 10]
events = []
np.seterrcall(lambda kind, flag: events.append(kind))
np.seterr(all="call")


# ---- the asker's code -----------------------------------------------------------------------------------------
def sigmoid(matrix):
    s = np.clip( matrix, -500, 500 )
    s = 1 / (1 + np.exp(-matrix))
    return s

def relu(matrix):
    matrix = np.clip(matrix, -500, 500)
    matrix = matrix * (matrix > 0)
    return matrix

def zero_init(n):
    return np.zeros((n, 1))

def he_init(layer_dims):
    parameters = {}
    L = len(layer_dims)
    for i in range(1, L):
        parameters['w' + str(i)] = np.random.randn(layer_dims[i], layer_dims[i - 1]) * np.sqrt(2 / layer_dims[i - 1])
        parameters['b' + str(i)] = zero_init(layer_dims[i])
    return parameters

def softmax(z):
    softmax_matrix = np.exp(z) / np.sum(np.exp(z), axis = 0, keepdims=True)
    return softmax_matrix

def softmax_cost(aL, y): # aL: The last layer, y: labels
    loss = np.sum(-y * np.log(aL), axis=0, keepdims=True)
    cost = (1 / y.shape[1]) * np.sum(loss, axis=1)
    return cost


# ---- the unshown loop, completed as the chapter assumes ---------------------------------------------------------
def train(X, Y, use_sigmoid, k, learning_rate, stable=False, epochs=10):
    g = sigmoid if use_sigmoid else relu
    np.random.seed(1)
    parameters = he_init(layer_dims)
    log = []
    for epoch in range(epochs):
        A, Z = [X], []
        del events[:]
        for l in range(1, len(layer_dims)):
            Z.append(parameters['w%d' % l] @ A[-1] + parameters['b%d' % l])
            if l < len(layer_dims) - 1:
                A.append(g(Z[-1]))
        sigmoid_overflow = use_sigmoid and "overflow" in events
        del events[:]
        z = Z[-1]
        if stable:
            aL = softmax(z - z.max(axis=0, keepdims=True))
            shifted = z - z.max(axis=0, keepdims=True)
            logp = shifted - np.log(np.sum(np.exp(shifted), axis=0, keepdims=True))
            cost = -np.mean(np.sum(Y * logp, axis=0))
        else:
            aL = softmax(z)
            cost = softmax_cost(aL, Y)[0]
        softmax_overflow = not stable and "overflow" in events
        del events[:]
        log.append((float(cost), bool(sigmoid_overflow), bool(softmax_overflow), bool(np.any(aL == 0))))
        dZ = aL - Y
        for l in range(len(layer_dims) - 1, 0, -1):
            dW = k * dZ @ A[l - 1].T
            db = k * np.sum(dZ, axis=1, keepdims=True)
            if l > 1:
                dA = parameters['w%d' % l].T @ dZ
                dZ = dA * (A[l - 1] * (1 - A[l - 1]) if use_sigmoid else (Z[l - 2] > 0))
            parameters['w%d' % l] = parameters['w%d' % l] - learning_rate * dW
            parameters['b%d' % l] = parameters['b%d' % l] - learning_rate * db
        del events[:]
    return log


def r12(v):
    return float("%.12g" % v) if v == v and abs(v) != float("inf") else v


(x_train, y_train), _ = load()
X = (x_train[:M].reshape(M, 784) / 255).T
Y = np.zeros((10, M))
Y[y_train[:M], np.arange(M)] = 1

RUNS = [(False, 1 / M, 0.01), (True, 1 / M, 0.01), (False, 1.0, 0.001), (False, 1.0, 0.01), (True, 1.0, 0.01)]
fig = {}
for i, (use_sigmoid, k, lr) in enumerate(RUNS):
    log = train(X, Y, use_sigmoid, k, lr)
    costs = [c for c, _, _, _ in log]
    nonfinite = [j + 1 for j, c in enumerate(costs) if not np.isfinite(c)]
    fig["run%d_costs" % i] = figure([r12(c) for c in costs], rel=1e-9)
    fig["run%d_first_nonfinite_epoch" % i] = figure(nonfinite[0] if nonfinite else 0)
    fig["run%d_softmax_overflow_epochs" % i] = figure([j + 1.0 for j, e in enumerate(log) if e[2]])
    fig["run%d_log_zero_epochs" % i] = figure([j + 1.0 for j, e in enumerate(log) if e[3]])
    fig["run%d_sigmoid_overflow_epochs" % i] = figure([j + 1.0 for j, e in enumerate(log) if e[1]])
fig["stable_costs"] = figure([r12(c) for c, _, _, _ in train(X, Y, False, 1.0, 0.01, stable=True)], rel=1e-9)

dump("04-softmax-overflow.ipynb", fig)
