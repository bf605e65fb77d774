#!/usr/bin/env python3
"""torch_train.py: PyTorch 1.13 (CPU) peer of examples/mnist's training recipe.

Two jobs, with the models, loss, optimizer and batch size of
examples/mnist/internal/mnist:

  mlp  Flatten → Linear 784-128 → ReLU → Linear 128-10
  cnn  Conv 1→32 3×3 → ReLU → Conv 32→64 3×3 → ReLU → MaxPool 2 → Dropout 0.25
       → Flatten → Linear 9216-128 → ReLU → Dropout 0.5 → Linear 128-10

  softmax cross-entropy, Adam lr 1e-3, batches of 128, pixels / 255.

Throughput (the default): times one training step (zero_grad, forward, loss,
backward, Adam step) on random images with gonxbench's protocol (bench.Protocol:
one warm-up call, then the median of up to 5 rounds over about --target-ms) and
prints JSON lines of the gonxbench peer protocol (bench/peer.go), one per model,
with samples/s added:

    /usr/bin/python3 examples/mnist/testdata/torch_train.py --threads 1
    {"info": "torch", "value": "PyTorch 1.13.0a0; 1 threads; ..."}
    {"system": "torch", "case": "mlp train step, batch 128", "ns": ..., "samples_per_s": ...}

Accuracy (--mnist DIR): trains on the real MNIST (DIR/mnist/*.gz, the project's
../shared/data) for --epochs and prints the test accuracy after each epoch, the
reference figures of examples/mnist/README.md:

    /usr/bin/python3 examples/mnist/testdata/torch_train.py --mnist ../shared/data --models cnn --epochs 3
"""

import argparse
import gzip
import json
import math
import os
import sys
import time


def emit(**fields):
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


def measure(fn, target_ms, rounds_max):
    """bench.Protocol: one warm-up call, then the median per-call time of up
    to rounds_max rounds of k calls over about target_ms; returns ns."""
    target = target_ms / 1e3
    t0 = time.perf_counter()
    fn()
    t0 = max(time.perf_counter() - t0, 1e-9)
    rounds = max(rounds_max, 1)
    fit = int(target / t0)
    if fit < rounds:
        rounds = max(fit, 1)
    calls = max(int(math.floor(target / rounds / t0 + 0.5)), 1)
    per = []
    for _ in range(rounds):
        s = time.perf_counter()
        for _ in range(calls):
            fn()
        per.append((time.perf_counter() - s) / calls)
    per.sort()
    mid = len(per) // 2
    median = per[mid] if len(per) % 2 else (per[mid - 1] + per[mid]) / 2
    return median * 1e9


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
        torch.manual_seed(1)
        net = model(name)
        net.train()
        step = stepper(net, 1e-3)
        step(x, y)  # allocate Adam's state outside the warm-up
        ns = measure(lambda: step(x, y), a.target_ms, a.rounds)
        emit(system="torch", case="%s train step, batch %d" % (name, a.batch), ns=ns,
             samples_per_s=a.batch / (ns / 1e9), threads=torch.get_num_threads())


def idx(path, offset):
    import numpy as np
    with gzip.open(path, "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)


def accuracy(a, torch):
    import numpy as np
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
            emit(system="torch", model=name, epoch=epoch, test_accuracy=correct / len(xt),
                 train_seconds=elapsed, samples_per_s=len(xs) / elapsed, threads=torch.get_num_threads())


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--threads", type=int, default=1, help="torch.set_num_threads")
    p.add_argument("--models", default="mlp,cnn", help="comma-separated: mlp, cnn")
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--target-ms", type=float, default=1000, help="time to spend measuring one model")
    p.add_argument("--rounds", type=int, default=5, help="rounds to take the median of (at most)")
    p.add_argument("--mnist", default="", help="train on the real MNIST in DIR/mnist instead of timing steps")
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()
    a.models = [m for m in a.models.split(",") if m]

    import torch
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    emit(info="torch", value="PyTorch %s; %d threads; mkldnn %s" % (
        torch.__version__, torch.get_num_threads(), "on" if torch.backends.mkldnn.is_available() else "off"))
    if a.mnist:
        accuracy(a, torch)
    else:
        throughput(a, torch)


if __name__ == "__main__":
    main()
