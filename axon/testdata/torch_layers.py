#!/usr/bin/env python3
"""Writes torch_layers.json: PyTorch's forward outputs of axon's layers.

    /usr/bin/python3 axon/testdata/torch_layers.py     # Debian's python3-torch (1.13, CPU)

Every case builds one PyTorch module in float64, gives it fixed random weights
(torch.manual_seed, per case), runs it on a fixed random input and stores, by
the names PyTorch uses (the module's state_dict), the input, the weights, the
configuration and every output. TestTorchLayers (torch_test.go) builds the same
layer with axon, maps the weights onto axon's parameters and compares the
outputs within 1e-10; the tests never run Python.

Weight mapping, PyTorch -> axon (also written in torch_test.go):

  Linear       weight [out][in]           -> dense.kernel = weight^T [in][out]
               bias                       -> dense.bias
  Conv2d       weight [out][in/groups][kh][kw] -> conv.kernel, the same layout
               bias                       -> conv.bias
  BatchNorm2d  weight, bias               -> batch_norm.gamma, .beta
               running_mean, running_var  -> batch_norm state mean, var
  LayerNorm    weight, bias               -> layer_norm.gamma, .beta
  LSTM         weight_ih_l0 [4H][in]      -> lstm.kernel = weight_ih_l0^T [in][4H]
               weight_hh_l0 [4H][H]       -> lstm.recurrent_kernel = weight_hh_l0^T
               bias_ih_l0 + bias_hh_l0    -> lstm.bias (axon has one bias: the sum)
               gate blocks along 4H: input, forget, cell (candidate), output —
               the same order in both, so no blocks are permuted
  GRU          weight_ih_l0 [3H][in]      -> gru.kernel = weight_ih_l0^T [in][3H]
               weight_hh_l0 [3H][H]       -> gru.recurrent_kernel = weight_hh_l0^T
               bias_ih_l0, bias_hh_l0     -> gru.bias, gru.recurrent_bias (both kept:
               b_hn sits inside r * (W_hn h + b_hn))
               gate blocks along 3H: reset, update, new — the same order in both
               (Keras orders GRU gates update, reset, new; PyTorch's and Axon's are
               reset, update, new)

The one difference in results: in training mode BatchNorm's running variance
is updated with the batch's unbiased variance (n/(n-1) times the biased one)
in PyTorch and with the biased variance in axon, as in Axon, Keras and Flax.
The outputs agree (both normalize with the biased variance); the test converts
PyTorch's running_var to axon's rule from the stored count n.
"""

import json
import os
import sys
import warnings

import torch

# Conv2d(padding="same") with an even kernel warns that it pads a copy.
warnings.filterwarnings("ignore", message="Using padding='same'")

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "torch_layers.json")


def t(x):
    """A tensor as {"shape": [...], "data": [...]} with float64 values."""
    x = x.detach().to(torch.float64).contiguous()
    return {"shape": list(x.shape), "data": [float(v) for v in x.reshape(-1).tolist()]}


def params(m):
    return {k: t(v) for k, v in m.state_dict().items() if v.dtype.is_floating_point}


def randomize(m, seed):
    """Fills every floating tensor of m's state with N(0, 0.5²) values (running
    variances with values in [0.5, 1.5])."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, v in m.state_dict().items():
            if not v.dtype.is_floating_point:
                continue
            if name.endswith("running_var"):
                v.copy_(0.5 + torch.rand(v.shape, generator=g, dtype=v.dtype))
            else:
                v.copy_(0.5 * torch.randn(v.shape, generator=g, dtype=v.dtype))
    return m


def data(shape, seed):
    g = torch.Generator().manual_seed(1000 + seed)
    return torch.randn(shape, generator=g, dtype=torch.float64)


def case(m, x, seed, config, train=False):
    m = randomize(m.to(torch.float64), seed)
    before = params(m)
    m.train(train)
    out = m(x)
    outputs = {}
    if isinstance(out, tuple):  # recurrent: (seq, h_n) or (seq, (h_n, c_n))
        seq, state = out
        outputs["seq"] = t(seq)
        if isinstance(state, tuple):
            outputs["h"], outputs["c"] = t(state[0][0]), t(state[1][0])
        else:
            outputs["h"] = t(state[0])
    else:
        outputs["output"] = t(out)
    c = {"module": repr(m), "config": config, "train": train, "input": t(x), "params": before,
         "outputs": outputs}
    if train:
        c["params_after"] = params(m)
    return c


def main():
    torch.set_num_threads(1)
    nn = torch.nn
    cases = {}

    cases["dense"] = case(nn.Linear(5, 3), data((2, 3, 5), 1), 1, {"units": 3})
    cases["conv_stride_pad"] = case(
        nn.Conv2d(3, 4, 3, stride=2, padding=1), data((2, 3, 7, 7), 2), 2,
        {"filters": 4, "kernel": [3, 3], "stride": [2, 2], "padding": [[1, 1], [1, 1]], "dilation": [1, 1], "groups": 1})
    cases["conv_rect_dilated"] = case(
        nn.Conv2d(2, 3, (3, 2), stride=(1, 2), padding=(0, 1), dilation=(2, 1)), data((2, 2, 8, 7), 3), 3,
        {"filters": 3, "kernel": [3, 2], "stride": [1, 2], "padding": [[0, 0], [1, 1]], "dilation": [2, 1], "groups": 1})
    cases["conv_grouped"] = case(
        nn.Conv2d(4, 6, 3, groups=2), data((1, 4, 5, 5), 4), 4,
        {"filters": 6, "kernel": [3, 3], "stride": [1, 1], "padding": [[0, 0], [0, 0]], "dilation": [1, 1], "groups": 2})
    cases["conv_same"] = case(
        nn.Conv2d(2, 3, (4, 3), padding="same"), data((2, 2, 6, 5), 5), 5,
        {"filters": 3, "kernel": [4, 3], "stride": [1, 1], "padding": "same", "dilation": [1, 1], "groups": 1})
    cases["max_pool"] = case(nn.MaxPool2d(2), data((2, 3, 6, 6), 6), 6,
                             {"kernel": 2, "stride": 2, "padding": [[0, 0], [0, 0]]})
    cases["max_pool_stride_pad"] = case(nn.MaxPool2d(3, stride=2, padding=1), data((2, 2, 7, 6), 7), 7,
                                        {"kernel": 3, "stride": 2, "padding": [[1, 1], [1, 1]]})
    cases["avg_pool"] = case(nn.AvgPool2d(2), data((2, 3, 6, 6), 8), 8,
                             {"kernel": 2, "stride": 2, "padding": [[0, 0], [0, 0]]})
    cases["avg_pool_stride_pad"] = case(nn.AvgPool2d(3, stride=2, padding=1), data((2, 2, 7, 6), 9), 9,
                                        {"kernel": 3, "stride": 2, "padding": [[1, 1], [1, 1]]})
    x = data((4, 3, 5, 5), 10)
    cases["batch_norm_train"] = case(nn.BatchNorm2d(3), x, 10, {"epsilon": 1e-5, "momentum": 0.1, "count": 4 * 5 * 5},
                                     train=True)
    cases["batch_norm_inference"] = case(nn.BatchNorm2d(3), x, 11, {"epsilon": 1e-5})
    cases["batch_norm_1d_train"] = case(nn.BatchNorm1d(6, eps=1e-3, momentum=0.3), data((5, 6), 12), 12,
                                        {"epsilon": 1e-3, "momentum": 0.3, "count": 5}, train=True)
    cases["layer_norm"] = case(nn.LayerNorm(6), data((2, 3, 6), 13), 13, {"epsilon": 1e-5})
    cases["lstm"] = case(nn.LSTM(4, 5, batch_first=True), data((2, 6, 4), 14), 14, {"units": 5})
    cases["gru"] = case(nn.GRU(4, 5, batch_first=True), data((2, 6, 4), 15), 15, {"units": 5})

    doc = {"generator": "axon/testdata/torch_layers.py", "torch": torch.__version__, "dtype": "float64",
           "cases": cases}
    with open(OUT, "w") as f:
        json.dump(doc, f, indent=None, sort_keys=True, separators=(",", ":"))
        f.write("\n")
    print("wrote %s (%d cases, PyTorch %s)" % (OUT, len(cases), torch.__version__), file=sys.stderr)


if __name__ == "__main__":
    main()
