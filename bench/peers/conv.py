"""conv.py: the PyTorch peer of gonxbench's conv2d table.

Times a two-layer convolution, input [batch,1,28,28] → 32 filters 3×3 → 64
filters 3×3 (no padding, stride 1, no bias), forward only and forward plus the
gradients of the sum of the output with respect to both kernels and the input,
printing JSON lines of the peer protocol (bench/peer.go). The tensors are filled
as gonxbench fills nx's; "check" is the sum of absolute values of the output
(forward) or of all three gradients (backward).
"""

import protocol


def fill(n, mul, mod, div, sub):
    import torch
    i = torch.arange(n, dtype=torch.int64)
    return ((i * mul) % mod).to(torch.float32) / div - sub


def main():
    p = protocol.parser(__doc__)
    p.add_argument("--batch", type=int, default=128)
    a = p.parse_args()

    import torch
    import torch.nn.functional as F

    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    protocol.info("torch", "PyTorch %s; %d threads; mkldnn %s; BLAS %s" % (
        torch.__version__, torch.get_num_threads(),
        "on" if torch.backends.mkldnn.is_available() else "off",
        ", ".join(protocol.blas_libraries()) or "not found in /proc/self/maps"))

    x = fill(a.batch * 28 * 28, 7, 13, 6, 1).reshape(a.batch, 1, 28, 28)
    w1 = fill(32 * 9, 5, 11, 20, 0.25).reshape(32, 1, 3, 3)
    w2 = fill(64 * 32 * 9, 3, 7, 40, 0.075).reshape(64, 32, 3, 3)

    def forward():
        return F.conv2d(F.conv2d(x, w1), w2)

    with torch.no_grad():
        check = forward().double().abs().sum().item()
        protocol.result("torch", "forward", protocol.measure(forward, a.target_ms, a.rounds), check)

    xg, w1g, w2g = (t.clone().requires_grad_(True) for t in (x, w1, w2))

    def backward():
        y = F.conv2d(F.conv2d(xg, w1g), w2g)
        return torch.autograd.grad(y.sum(), (xg, w1g, w2g))

    check = sum(g.double().abs().sum().item() for g in backward())
    protocol.result("torch", "forward+backward", protocol.measure(backward, a.target_ms, a.rounds), check)


if __name__ == "__main__":
    main()
