"""Question 002: which completion of the unshown code gives the asker's printed costs? (chapter 04's search)

The asker's functions as posted (sigmoid, relu, he_init, softmax, softmax_cost), samples in columns, np.random.seed(1)
before he_init, the first M training images (default 1,000), 10 full-batch epochs: the cost of each epoch's forward
pass, then dZ = aL - Y, dW = k * dZ . A_prev.T, db = k * sum(dZ), dA = W.T . dZ, dZ = dA * g'(Z), W -= lr * dW.
Searched: hidden activation (relu, sigmoid) x pixels (/255, raw; with k = 1/m also standardised per pixel, globally,
[-1, 1]) x k (1/m, 1) x lr (1e-5 ... 0.1). Prints one JSON line per completion: its costs (11 forward passes) and, per
pass, which numpy warnings it raised. The chapter reads the stored output, search_question_002.jsonl (run with
OpenBLAS; about 5 s a completion there, far longer with the reference BLAS; the
whole grid takes about 2 minutes on one OpenBLAS thread). Not run by the tests: named search_, not question_, so
that TwinTests does not take it for a twin.
Usage: MNIST_DIR=... python3 search_question_002.py [M] > search_question_002.jsonl"""
import itertools
import json
import sys

import numpy as np
from mnist import load

M = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
dims = [784, 512, 256, 128, 64, 10]
events = []
np.seterrcall(lambda kind, flag: events.append(kind))
np.seterr(all="call")


def sigmoid(matrix):
    s = np.clip(matrix, -500, 500)
    s = 1 / (1 + np.exp(-matrix))
    return s


def relu(matrix):
    matrix = np.clip(matrix, -500, 500)
    matrix = matrix * (matrix > 0)
    return matrix


def softmax(z):
    softmax_matrix = np.exp(z) / np.sum(np.exp(z), axis=0, keepdims=True)
    return softmax_matrix


def softmax_cost(aL, y):
    loss = np.sum(-y * np.log(aL), axis=0, keepdims=True)
    cost = (1 / y.shape[1]) * np.sum(loss, axis=1)
    return cost


def he_init(layer_dims):
    parameters = {}
    L = len(layer_dims)
    for i in range(1, L):
        parameters['w' + str(i)] = np.random.randn(layer_dims[i], layer_dims[i - 1]) * np.sqrt(2 / layer_dims[i - 1])
        parameters['b' + str(i)] = np.zeros((layer_dims[i], 1))
    return parameters


def run(act, X, Y, lr, mean, epochs=10):
    g = sigmoid if act == "sigmoid" else relu
    np.random.seed(1)
    p = he_init(dims)
    k = 1 / X.shape[1] if mean else 1.0
    costs, warnings = [], []
    for epoch in range(epochs + 1):
        del events[:]
        A, Z = [X], []
        for i in range(1, 6):
            Z.append(p['w%d' % i] @ A[-1] + p['b%d' % i])
            if i < 5:
                A.append(g(Z[-1]))
        hidden = bool(events)
        del events[:]
        aL = softmax(Z[-1])
        soft = "overflow" in events
        del events[:]
        costs.append(float(softmax_cost(aL, Y)[0]))
        log0 = "divide" in events
        warnings.append([w for w, on in (("exp(sigmoid)", hidden and act == "sigmoid"), ("exp(softmax)", soft),
                                         ("log(0)", log0)) if on])
        if epoch == epochs:
            break
        dZ = aL - Y
        for i in range(5, 0, -1):
            dW = k * dZ @ A[i - 1].T
            db = k * np.sum(dZ, axis=1, keepdims=True)
            if i > 1:
                dA = p['w%d' % i].T @ dZ
                dZ = dA * A[i - 1] * (1 - A[i - 1]) if act == "sigmoid" else dA * (Z[i - 2] > 0)
            p['w%d' % i] = p['w%d' % i] - lr * dW
            p['b%d' % i] = p['b%d' % i] - lr * db
    return costs, warnings


(x_train, y_train), _ = load()
X0 = x_train[:M].reshape(M, 784).T.astype(float)
Y = np.zeros((10, M))
Y[y_train[:M], np.arange(M)] = 1
mu, sd = X0.mean(axis=1, keepdims=True), X0.std(axis=1, keepdims=True)
scalings = {"/255": X0 / 255, "raw": X0, "pixel-std": (X0 - mu) / np.where(sd == 0, 1, sd),
            "global-std": (X0 - X0.mean()) / X0.std(), "[-1,1]": X0 / 127.5 - 1}
grid = [(a, s, mean, lr) for a, s, mean, lr in itertools.product(
    ["sigmoid", "relu"], ["/255", "raw"], [True, False], [0.1, 0.01, 0.001, 0.0001, 0.00001])]
grid += [(a, s, True, lr) for a, s, lr in itertools.product(
    ["relu", "sigmoid"], ["pixel-std", "global-std", "[-1,1]"], [0.1, 0.01, 0.001])]
for act, scale, mean, lr in grid:
    costs, warnings = run(act, scalings[scale], Y, lr, mean)
    print(json.dumps({"act": act, "scale": scale, "mean": mean, "lr": lr,
                      "costs": [c if c == c else "NaN" for c in costs], "warnings": warnings}), flush=True)
