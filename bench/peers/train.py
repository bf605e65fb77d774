"""train.py: the PyTorch peer of gonxbench's training table.

Two MNIST models, with the loss, optimizer and batch size of
examples/mnist/internal/mnist:

  mlp  Flatten → Linear 784-128 → ReLU → Linear 128-10
  cnn  Conv 1→32 3×3 → ReLU → Conv 32→64 3×3 → ReLU → MaxPool 2 → Dropout 0.25
       → Flatten → Linear 9216-128 → ReLU → Dropout 0.5 → Linear 128-10

  softmax cross-entropy, Adam lr 1e-3, batches of 128, pixels / 255.

Throughput (the default): times one training step (zero_grad, forward, loss,
backward, Adam step, dropout active) on random images with bench.Protocol,
once for every thread count from 1 to --threads, and prints JSON lines of the
peer protocol (bench/peer.go): the fastest thread count's time as the result
of each model, the others as info lines.

    /usr/bin/python3 bench/peers/train.py --threads 2
    {"info": "torch", "value": "PyTorch 1.13.0a0; mkldnn on; BLAS ..."}
    {"system": "torch", "case": "mlp train step, batch 128", "ns": ...}

Accuracy (--mnist DIR): trains on the real MNIST (DIR/mnist/*.gz) for
--epochs with --threads threads and prints the test accuracy after each
epoch, the reference figures of examples/mnist/README.md:

    /usr/bin/python3 bench/peers/train.py --mnist ../shared/data --models cnn --epochs 3
"""

import gzip
import os
import time

import protocol


def model(name):
    import torch.nn as nn
    if name == "mlp":
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    if name == "cnn":
        return nn.Sequential(
            nn.Conv2d(1, 32, 3), nn.ReLU(), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Dropout(0.25), nn.Flatten(), nn.Linear(9216, 128), nn.ReLU(), nn.Dropout(0.5),
            nn.Linear(128, 10))
    raise SystemExit("unknown model %r" % name)


def stepper(net, lr):
    import torch
    opt = torch.optim.Adam(net.parameters(), lr=lr)
    loss_fn = torch.nn.CrossEntropyLoss()

    def step(x, y):
        opt.zero_grad()
        loss = loss_fn(net(x), y)
        loss.backward()
        opt.step()
        return loss
    return step


def throughput(a, torch):
    g = torch.Generator().manual_seed(0)
    x = torch.rand((a.batch, 1, 28, 28), generator=g)
    y = torch.randint(0, 10, (a.batch,), generator=g)
    for name in a.models:
        case = "%s train step, batch %d" % (name, a.batch)
        try:
            times = {}
            for threads in range(1, max(a.threads, 1) + 1):
                torch.set_num_threads(threads)
                torch.manual_seed(1)
                net = model(name)
                net.train()
                step = stepper(net, 1e-3)
                step(x, y)  # allocate Adam's state outside the warm-up
                times[threads] = protocol.measure(lambda: step(x, y), a.target_ms, a.rounds)
            best = min(times, key=times.get)
            protocol.info("%s %s" % (a.system, name), "best of %s: %d thread%s" % (
                ", ".join("%d thread%s %.0f samples/s" % (n, "" if n == 1 else "s", a.batch / (ns / 1e9))
                          for n, ns in sorted(times.items())),
                best, "" if best == 1 else "s"))
            protocol.result(a.system, case, times[best])
        except Exception as e:  # a failed model must not hide the other
            protocol.error(a.system, case, "%s: %s" % (type(e).__name__, e))


def idx(path, offset):
    import numpy as np
    with gzip.open(path, "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)


def accuracy(a, torch):
    import numpy as np
    torch.set_num_threads(a.threads)
    d = os.path.join(a.mnist, "mnist")
    xs = torch.from_numpy(idx(os.path.join(d, "train-images-idx3-ubyte.gz"), 16).reshape(-1, 1, 28, 28).astype(np.float32) / 255)
    ys = torch.from_numpy(idx(os.path.join(d, "train-labels-idx1-ubyte.gz"), 8).astype(np.int64))
    xt = torch.from_numpy(idx(os.path.join(d, "t10k-images-idx3-ubyte.gz"), 16).reshape(-1, 1, 28, 28).astype(np.float32) / 255)
    yt = torch.from_numpy(idx(os.path.join(d, "t10k-labels-idx1-ubyte.gz"), 8).astype(np.int64))
    for name in a.models:
        torch.manual_seed(a.seed)
        net = model(name)
        step = stepper(net, 1e-3)
        for epoch in range(1, a.epochs + 1):
            net.train()
            perm = torch.randperm(len(xs))
            start = time.perf_counter()
            for i in range(0, len(xs), a.batch):
                j = perm[i:i + a.batch]
                step(xs[j], ys[j])
            elapsed = time.perf_counter() - start
            net.eval()
            with torch.no_grad():
                correct = sum((net(xt[i:i + 500]).argmax(1) == yt[i:i + 500]).sum().item() for i in range(0, len(xt), 500))
            protocol.info("torch %s epoch %d" % (name, epoch), "test accuracy %.4f, %.1f s, %.0f samples/s, %d threads" % (
                correct / len(xt), elapsed, len(xs) / elapsed, torch.get_num_threads()))


def main():
    p = protocol.parser(__doc__)
    p.add_argument("--models", default="mlp,cnn", help="comma-separated: mlp, cnn")
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--mnist", default="", help="train on the real MNIST in DIR/mnist instead of timing steps")
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--system", default="torch", help="the system name of the result lines")
    a = p.parse_args()
    a.models = [m for m in a.models.split(",") if m]

    import torch
    torch.set_num_interop_threads(1)
    protocol.info("torch", "PyTorch %s; mkldnn %s; BLAS %s" % (
        torch.__version__, "on" if torch.backends.mkldnn.is_available() else "off",
        ", ".join(protocol.blas_libraries()) or "not found in /proc/self/maps"))
    if a.mnist:
        accuracy(a, torch)
    else:
        throughput(a, torch)


if __name__ == "__main__":
    main()
