#!/usr/bin/python3
"""Writes grads.json: PyTorch's values and gradients that grad_torch_test.go
checks nx.ValueAndGrad against.

Regenerate it with Debian's python3-torch (PyTorch 1.13, CPU), from anywhere:

    /usr/bin/python3 nx/testdata/torch/gen.py

The output is deterministic (fixed inputs from a seeded generator, float64
throughout), so rerunning it should change nothing.

Each case is one scalar function of named tensors. "params" are the tensors
differentiated, "consts" the ones held fixed; "value" is the function's value
and "grads" its gradient with respect to each param, all from torch.autograd
in float64. A tensor is {"shape": [...], "data": [row-major float64 values]};
the values are written with Python's repr, which reads back exactly. Layouts
are nx's: NCHW inputs and OIHW kernels, which are also torch's. The Go test
builds the same functions from nx operations, by case name.
"""

import json
import os

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
gen = torch.Generator().manual_seed(20240611)


def rand(*shape, lo=-1.0, hi=1.0):
    return torch.rand(*shape, generator=gen) * (hi - lo) + lo


def distinct(*shape, step=0.05):
    """Distinct values (no ties for max, sort, top-k) in a random order."""
    n = 1
    for s in shape:
        n *= s
    perm = torch.randperm(n, generator=gen).to(torch.float64)
    return ((perm - n / 2) * step).reshape(shape)


def mlp(p, c):
    h = torch.tanh(p["x"] @ p["w"] + p["b"])
    return -(c["labels"] * F.log_softmax(h, dim=1)).sum(dim=1).mean()


def conv_relu_pool(p, c):
    y = F.conv2d(p["x"], p["k"], padding=1)
    y = torch.relu(y)
    y = F.max_pool2d(y, kernel_size=2, stride=2)
    return y.mean()


def conv1d_grouped_avg(p, c):
    y = F.conv1d(p["x"], p["k"], stride=2, padding=2, dilation=2, groups=2)
    y = F.avg_pool1d(torch.sin(y), kernel_size=3, stride=1, padding=1)
    return (y * c["w"]).sum()


def conv3d_strided(p, c):
    y = F.conv3d(p["x"], p["k"], stride=(1, 2, 1), padding=(1, 0, 1))
    return (torch.tanh(y) * c["w"]).sum()


def log_softmax(p, c):
    return (F.log_softmax(p["x"], dim=1) * c["w"]).sum()


def cumprod(p, c):
    return (torch.cumprod(p["x"], dim=1) * c["w"]).sum()


def sort_loss(p, c):
    s = torch.sort(p["x"], dim=1).values
    return (s * c["w"]).sum()


def topk_loss(p, c):
    v = torch.topk(p["x"], 3, dim=-1).values
    return (torch.square(v) * c["w"]).sum()


def cases():
    labels = torch.zeros(4, 5)
    labels[torch.arange(4), torch.tensor([1, 4, 0, 2])] = 1
    yield "mlp", mlp, {"x": rand(4, 3), "w": rand(3, 5), "b": rand(5)}, {"labels": labels}
    yield "conv_relu_pool", conv_relu_pool, {"x": rand(2, 2, 6, 6), "k": rand(3, 2, 3, 3)}, {}
    yield "conv1d_grouped_avg", conv1d_grouped_avg, {"x": rand(2, 4, 11), "k": rand(6, 2, 3)}, {"w": rand(2, 6, 6)}
    yield "conv3d_strided", conv3d_strided, {"x": rand(1, 2, 3, 5, 4), "k": rand(2, 2, 2, 3, 2)}, {"w": rand(1, 2, 4, 2, 5)}
    yield "log_softmax", log_softmax, {"x": rand(3, 4, lo=-3, hi=3)}, {"w": rand(3, 4)}
    yield "cumprod", cumprod, {"x": rand(2, 5, lo=0.5, hi=1.5) * torch.tensor([1, -1, 1, 1, -1])}, {"w": rand(2, 5)}
    yield "sort", sort_loss, {"x": distinct(3, 5)}, {"w": rand(3, 5)}
    yield "top_k", topk_loss, {"x": distinct(2, 3, 6)}, {"w": rand(2, 3, 3)}


def tensor(t):
    return {"shape": list(t.shape), "data": [float(v) for v in t.detach().reshape(-1)]}


def main():
    out = []
    for name, fn, params, consts in cases():
        params = {k: v.clone().requires_grad_(True) for k, v in params.items()}
        value = fn(params, consts)
        names = sorted(params)
        grads = torch.autograd.grad(value, [params[k] for k in names])
        out.append({
            "name": name,
            "params": {k: tensor(params[k]) for k in names},
            "consts": {k: tensor(v) for k, v in sorted(consts.items())},
            "value": float(value),
            "grads": {k: tensor(g) for k, g in zip(names, grads)},
        })
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "grads.json")
    with open(path, "w") as f:
        f.write('{"cases": [\n')
        f.write(",\n".join(json.dumps(c) for c in out))
        f.write("\n]}\n")


if __name__ == "__main__":
    main()
