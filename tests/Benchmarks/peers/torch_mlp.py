#!/usr/bin/python3
"""PyTorch CPU MNIST MLP training peer (standalone).

Usage:
  /usr/bin/python3 torch_mlp.py --threads N --arch small|deep --opt sgd|adam [--epochs 10] [--seed 0] [--json out.jsonl]

  small = 784-300-10, deep = 784-512-256-128-64-10; ReLU hidden layers, He (Kaiming
  normal, fan_in) weights, zero biases, softmax cross-entropy on logits (F.cross_entropy),
  plain SGD lr 0.1 (no momentum / weight decay) or Adam lr 1e-3 (default betas/eps),
  batch 128 (last batch 96), reshuffled every epoch, float32, inputs = pixels/255.
  No DataLoader: the whole set is one in-memory tensor and batches are index_select'ed
  (this is the fast way; DataLoader adds Python overhead).

Per epoch it prints wall seconds of the training loop only (evaluation is timed
separately), process CPU seconds, and the CPU cores other processes used meanwhile
(the machine is shared; see cpuwatch.py), then test accuracy.
"""
import argparse, gzip, json, os, struct, sys, time

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
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

torch.set_num_threads(args.threads)
torch.manual_seed(args.seed)
np.random.seed(args.seed)


def load_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack(">I", data[:4])[0]
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load_mnist(d):
    xtr = load_idx(f"{d}/train-images-idx3-ubyte.gz").reshape(-1, 784).astype(np.float32) / 255.0
    ytr = load_idx(f"{d}/train-labels-idx1-ubyte.gz").astype(np.int64)
    xte = load_idx(f"{d}/t10k-images-idx3-ubyte.gz").reshape(-1, 784).astype(np.float32) / 255.0
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
        return int(p[11]) + int(p[12])  # utime + stime, all threads

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


xtr, ytr, xte, yte = load_mnist(args.data)
Xtr, Ytr, Xte, Yte = map(torch.from_numpy, (xtr, ytr, xte, yte))
sizes = [784, 300, 10] if args.arch == "small" else [784, 512, 256, 128, 64, 10]

layers = []
for i, o in zip(sizes[:-1], sizes[1:]):
    lin = torch.nn.Linear(i, o)
    torch.nn.init.kaiming_normal_(lin.weight, mode="fan_in", nonlinearity="relu")
    torch.nn.init.zeros_(lin.bias)
    layers += [lin, torch.nn.ReLU()]
model = torch.nn.Sequential(*layers[:-1])
opt = (torch.optim.SGD(model.parameters(), lr=0.1) if args.opt == "sgd"
       else torch.optim.Adam(model.parameters(), lr=1e-3))


def evaluate():
    model.eval()
    with torch.no_grad():
        pred = model(Xte).argmax(1)
    model.train()
    return (pred == Yte).float().mean().item()


gen = torch.Generator().manual_seed(args.seed)
n = Xtr.shape[0]
B = args.batch
print(f"# torch {torch.__version__} numpy {np.__version__} threads={args.threads} (torch.get_num_threads()={torch.get_num_threads()}) "
      f"arch={'-'.join(map(str, sizes))} opt={args.opt} batch={B} seed={args.seed} "
      f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '<unset>')} LD_LIBRARY_PATH={os.environ.get('LD_LIBRARY_PATH', '<unset>')}",
      flush=True)
fl = ForeignLoad()
epochs = []
for ep in range(1, args.epochs + 1):
    if args.quiet_wait > 0:
        fl.wait_quiet(args.quiet_wait, args.threads)
    fl.start()
    t0 = time.perf_counter()
    perm = torch.randperm(n, generator=gen)
    tot = torch.zeros(())
    for s in range(0, n, B):
        idx = perm[s:s + B]
        xb, yb = Xtr.index_select(0, idx), Ytr.index_select(0, idx)
        loss = F.cross_entropy(model(xb), yb)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        tot += loss.detach() * len(idx)
    secs = time.perf_counter() - t0
    foreign, cpu = fl.stop()
    t1 = time.perf_counter()
    acc = evaluate()
    esecs = time.perf_counter() - t1
    rec = dict(epoch=ep, secs=secs, cpu_secs=cpu, foreign_cores=foreign, loss=tot.item() / n, test_acc=acc, eval_secs=esecs)
    epochs.append(rec)
    print(f"epoch {ep:2d}  train {secs:7.3f} s  (cpu {cpu:6.2f} s, foreign {foreign:4.2f} cores)  loss {rec['loss']:.4f}  "
          f"test acc {acc*100:6.2f}%  eval {esecs:.3f} s", flush=True)

t = sorted(e["secs"] for e in epochs)
clean = sorted(e["secs"] for e in epochs if e["foreign_cores"] < os.cpu_count() - args.threads + 0.1)
summ = dict(peer="torch", threads=args.threads, arch=args.arch, opt=args.opt, epochs=args.epochs, seed=args.seed,
            coretype=os.environ.get("OPENBLAS_CORETYPE", "<unset>"), ld=os.environ.get("LD_LIBRARY_PATH", ""),
            median=t[len(t) // 2] if len(t) % 2 else 0.5 * (t[len(t) // 2 - 1] + t[len(t) // 2]), min=t[0], max=t[-1],
            clean_n=len(clean), clean_median=(clean[len(clean) // 2] if clean else None),
            acc={e["epoch"]: e["test_acc"] for e in epochs}, per_epoch=epochs)
print(f"SUMMARY torch t={args.threads} {args.arch} {args.opt}: s/epoch median {summ['median']:.3f} min {summ['min']:.3f} "
      f"max {summ['max']:.3f} (clean epochs {len(clean)}/{len(t)}); acc@1 {epochs[0]['test_acc']*100:.2f} "
      f"@5 {epochs[min(4, len(epochs)-1)]['test_acc']*100:.2f} @{len(epochs)} {epochs[-1]['test_acc']*100:.2f}", flush=True)
if args.json:
    with open(args.json, "a") as f:
        f.write(json.dumps(summ) + "\n")
