#!/usr/bin/python3
"""numpy from-scratch MNIST MLP training peer (standalone).

The "fixed" version of the typical Stack Overflow from-scratch MLP: float32
throughout, numerically stable softmax / log-softmax cross-entropy, vectorised
minibatch forward and backprop (three matmuls per layer), no Python loops over
samples. Same network and hyper-parameters as torch_mlp.py.

Usage:
  /usr/bin/python3 numpy_mlp.py --threads N --arch small|deep --opt sgd|adam [--epochs 10] [--seed 0] [--json out.jsonl]

Weights are stored (in, out) so forward is X @ W, dW = A.T @ dZ, dA = dZ @ W.T
(transposes are views: BLAS gets trans flags). --threads sets OPENBLAS_NUM_THREADS;
numpy's element-wise work is always single threaded.
"""
import argparse, gzip, json, os, struct, time

ap = argparse.ArgumentParser()
ap.add_argument("--threads", type=int, required=True)
ap.add_argument("--arch", choices=["small", "deep"], default="small")
ap.add_argument("--opt", choices=["sgd", "adam"], default="sgd")
ap.add_argument("--epochs", type=int, default=10)
ap.add_argument("--batch", type=int, default=128)
ap.add_argument("--seed", type=int, default=0)
ap.add_argument("--data", default=os.environ.get("MNIST_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "data", "mnist")))
ap.add_argument("--json", default=None)
ap.add_argument("--quiet-wait", type=float, default=20.0,
                help="before each epoch wait up to this many s until other processes leave --threads cores free (shared machine)")
args = ap.parse_args()
for v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[v] = str(args.threads)

import numpy as np  # noqa: E402

f32 = np.float32


def load_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack(">I", data[:4])[0]
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load_mnist(d):
    xtr = load_idx(f"{d}/train-images-idx3-ubyte.gz").reshape(-1, 784).astype(f32) / f32(255)
    ytr = load_idx(f"{d}/train-labels-idx1-ubyte.gz").astype(np.int64)
    xte = load_idx(f"{d}/t10k-images-idx3-ubyte.gz").reshape(-1, 784).astype(f32) / f32(255)
    yte = load_idx(f"{d}/t10k-labels-idx1-ubyte.gz").astype(np.int64)
    return xtr, ytr, xte, yte


class ForeignLoad:
    """Cores used by *other* processes between start() and stop()."""
    HZ = os.sysconf("SC_CLK_TCK")

    @staticmethod
    def _sys():
        with open("/proc/stat") as f:
            v = list(map(int, f.readline().split()[1:]))
        return v[0] + v[1] + v[2] + v[5] + v[6] + v[7]

    @staticmethod
    def _own():
        with open("/proc/self/stat") as f:
            p = f.read().rsplit(")", 1)[1].split()
        return int(p[11]) + int(p[12])

    def start(self):
        self.s0, self.o0, self.t0 = self._sys(), self._own(), time.monotonic()

    def stop(self):
        s1, o1, t1 = self._sys(), self._own(), time.monotonic()
        own = (o1 - self.o0) / self.HZ
        return max(0.0, ((s1 - self.s0) / self.HZ - own) / (t1 - self.t0)), own

    def wait_quiet(self, max_s, need, window=0.5):
        """Sleep until other processes leave `need` cores free (use < ncpu - need + 0.1 cores
        over one window), or max_s passed."""
        thr = os.cpu_count() - need + 0.1
        t_end = time.monotonic() + max_s
        while True:
            s0, o0, t0 = self._sys(), self._own(), time.monotonic()
            time.sleep(window)
            f = ((self._sys() - s0) - (self._own() - o0)) / self.HZ / (time.monotonic() - t0)
            if f < thr or time.monotonic() >= t_end:
                return f


class MLP:
    def __init__(self, sizes, rng):
        # He init: N(0, 2/fan_in), zero bias
        self.W = [(rng.standard_normal((i, o)) * np.sqrt(2.0 / i)).astype(f32) for i, o in zip(sizes[:-1], sizes[1:])]
        self.b = [np.zeros(o, f32) for o in sizes[1:]]

    def forward(self, X):
        acts = [X]
        a = X
        L = len(self.W)
        for l in range(L):
            z = a @ self.W[l] + self.b[l]
            a = np.maximum(z, 0) if l < L - 1 else z
            acts.append(a)
        return acts  # acts[-1] = logits

    def loss_and_grads(self, X, y):
        acts = self.forward(X)
        logits = acts[-1]
        B = X.shape[0]
        # stable softmax / log-softmax
        m = logits.max(axis=1, keepdims=True)
        e = np.exp(logits - m)
        s = e.sum(axis=1, keepdims=True)
        logp_y = logits[np.arange(B), y] - m[:, 0] - np.log(s[:, 0])
        loss = -logp_y.mean()
        dz = e / s
        dz[np.arange(B), y] -= 1
        dz /= B
        gW, gb = [None] * len(self.W), [None] * len(self.W)
        for l in range(len(self.W) - 1, -1, -1):
            gW[l] = acts[l].T @ dz
            gb[l] = dz.sum(axis=0)
            if l > 0:
                da = dz @ self.W[l].T
                dz = da * (acts[l] > 0)  # ReLU'
        return loss, gW, gb

    def params(self):
        return self.W + self.b

    def predict(self, X):
        return self.forward(X)[-1].argmax(axis=1)


class SGD:
    def __init__(self, params, lr):
        self.p, self.lr = params, f32(lr)

    def step(self, grads):
        for p, g in zip(self.p, grads):
            p -= self.lr * g


class Adam:
    def __init__(self, params, lr=1e-3, b1=0.9, b2=0.999, eps=1e-8):
        self.p, self.lr, self.b1, self.b2, self.eps = params, lr, b1, b2, eps
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]
        self.t = 0

    def step(self, grads):
        self.t += 1
        b1, b2 = self.b1, self.b2
        c1, c2 = 1 - b1 ** self.t, 1 - b2 ** self.t
        step = f32(self.lr / c1)
        for p, g, m, v in zip(self.p, grads, self.m, self.v):
            m *= f32(b1); m += f32(1 - b1) * g
            v *= f32(b2); v += f32(1 - b2) * (g * g)
            p -= step * m / (np.sqrt(v / f32(c2)) + f32(self.eps))


xtr, ytr, xte, yte = load_mnist(args.data)
sizes = [784, 300, 10] if args.arch == "small" else [784, 512, 256, 128, 64, 10]
rng = np.random.default_rng(args.seed)
net = MLP(sizes, rng)
opt = SGD(net.params(), 0.1) if args.opt == "sgd" else Adam(net.params(), 1e-3)
n, B = xtr.shape[0], args.batch
print(f"# numpy {np.__version__} threads={args.threads} arch={'-'.join(map(str, sizes))} opt={args.opt} batch={B} seed={args.seed} "
      f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '<unset>')} LD_LIBRARY_PATH={os.environ.get('LD_LIBRARY_PATH', '<unset>')}",
      flush=True)
fl = ForeignLoad()
epochs = []
for ep in range(1, args.epochs + 1):
    if args.quiet_wait > 0:
        fl.wait_quiet(args.quiet_wait, args.threads)
    fl.start()
    t0 = time.perf_counter()
    perm = rng.permutation(n)
    tot = 0.0
    for s in range(0, n, B):
        idx = perm[s:s + B]
        loss, gW, gb = net.loss_and_grads(xtr[idx], ytr[idx])
        opt.step(gW + gb)
        tot += float(loss) * len(idx)
    secs = time.perf_counter() - t0
    foreign, cpu = fl.stop()
    t1 = time.perf_counter()
    acc = float((net.predict(xte) == yte).mean())
    esecs = time.perf_counter() - t1
    rec = dict(epoch=ep, secs=secs, cpu_secs=cpu, foreign_cores=foreign, loss=tot / n, test_acc=acc, eval_secs=esecs)
    epochs.append(rec)
    print(f"epoch {ep:2d}  train {secs:7.3f} s  (cpu {cpu:6.2f} s, foreign {foreign:4.2f} cores)  loss {rec['loss']:.4f}  "
          f"test acc {acc*100:6.2f}%  eval {esecs:.3f} s", flush=True)

assert all(w.dtype == np.float32 for w in net.params()), "weights left float32"
t = sorted(e["secs"] for e in epochs)
clean = sorted(e["secs"] for e in epochs if e["foreign_cores"] < os.cpu_count() - args.threads + 0.1)
summ = dict(peer="numpy", threads=args.threads, arch=args.arch, opt=args.opt, epochs=args.epochs, seed=args.seed,
            coretype=os.environ.get("OPENBLAS_CORETYPE", "<unset>"), ld=os.environ.get("LD_LIBRARY_PATH", ""),
            median=t[len(t) // 2] if len(t) % 2 else 0.5 * (t[len(t) // 2 - 1] + t[len(t) // 2]), min=t[0], max=t[-1],
            clean_n=len(clean), clean_median=(clean[len(clean) // 2] if clean else None),
            acc={e["epoch"]: e["test_acc"] for e in epochs}, per_epoch=epochs)
print(f"SUMMARY numpy t={args.threads} {args.arch} {args.opt}: s/epoch median {summ['median']:.3f} min {summ['min']:.3f} "
      f"max {summ['max']:.3f} (clean epochs {len(clean)}/{len(t)}); acc@1 {epochs[0]['test_acc']*100:.2f} "
      f"@5 {epochs[min(4, len(epochs)-1)]['test_acc']*100:.2f} @{len(epochs)} {epochs[-1]['test_acc']*100:.2f}", flush=True)
if args.json:
    with open(args.json, "a") as f:
        f.write(json.dumps(summ) + "\n")
