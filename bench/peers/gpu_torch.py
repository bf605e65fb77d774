"""gpu_torch.py: the PyTorch peer of bench/cmd/gpubench, on the same GPU.

Prints one JSON object a line, as gpubench does:

  train  mlp, cnn   samples/s of training steps (zero_grad, forward, softmax
                    cross-entropy, backward, Adam 1e-3, dropout active) on one
                    random batch kept on the GPU, the models of examples/mnist
  gemm   n          TFLOP/s of an n×n·n×n f32 product (torch.mm, cuBLAS),
                    TF32 off as in nx

    /usr/bin/python3 bench/peers/gpu_torch.py --rounds 5
"""

import argparse
import json
import statistics
import time


def emit(kind, case, value, unit):
    print(json.dumps({"system": "torch", "kind": kind, "case": case, "value": value, "unit": unit}), flush=True)


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


def train(name, rounds, steps, batch):
    import torch
    dev = torch.device("cuda")
    net = model(name).to(dev).train()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    x = torch.rand(batch, 1, 28, 28, device=dev)
    y = torch.arange(batch, device=dev) % 10

    def step():
        opt.zero_grad()
        loss = loss_fn(net(x), y)
        loss.backward()
        opt.step()
        return loss

    for _ in range(2):
        step()
    torch.cuda.synchronize()
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(steps):
            step()
        torch.cuda.synchronize()
        times.append(time.perf_counter() - start)
    return steps * batch / statistics.median(times)


def gemm(n, rounds):
    import torch
    torch.backends.cuda.matmul.allow_tf32 = False
    a = torch.rand(n, n, device="cuda") * 2 - 1
    b = torch.rand(n, n, device="cuda") * 2 - 1
    reps = 10
    for _ in range(2):
        torch.mm(a, b)
    torch.cuda.synchronize()
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(reps):
            torch.mm(a, b)
        torch.cuda.synchronize()
        times.append(time.perf_counter() - start)
    return 2.0 * n ** 3 * reps / statistics.median(times) / 1e12


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--sizes", default="1024,2048,4096,8192")
    p.add_argument("--models", default="mlp,cnn")
    a = p.parse_args()
    import torch
    if not torch.cuda.is_available():
        raise SystemExit("gpu_torch.py: PyTorch sees no CUDA device")
    print(json.dumps({"info": "torch", "value": "%s on %s" % (torch.__version__, torch.cuda.get_device_name(0))}), flush=True)
    for m in a.models.split(","):
        emit("train", m, train(m, a.rounds, a.steps, a.batch), "samples/s")
    for n in a.sizes.split(","):
        emit("gemm", n, gemm(int(n), a.rounds), "TFLOP/s")


if __name__ == "__main__":
    main()
