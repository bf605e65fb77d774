"""softmax.py: the NumPy (and PyTorch) peer of gonxbench's softmax table.

Times softmax over the rows of a rows×cols f32 matrix, written as NumPy users
write it (max, subtract, exp, sum, divide), and torch.softmax when PyTorch is
importable, printing JSON lines of the peer protocol (bench/peer.go). The input
is filled as gonxbench fills nx's; "check" is the sum of the first column of
the result.
"""

import protocol


def main():
    p = protocol.parser(__doc__)
    p.add_argument("--rows", type=int, default=4096)
    p.add_argument("--cols", type=int, default=1024)
    p.add_argument("--torch", action="store_true", help="also time torch.softmax")
    a = p.parse_args()

    import numpy as np

    # Make NumPy load its BLAS, then report which library that is.
    np.ones((2, 2)) @ np.ones((2, 2))
    blas = protocol.blas_libraries()
    protocol.info("numpy", "NumPy %s; BLAS %s; elementwise ops single-threaded"
                  % (np.__version__, ", ".join(blas) or "not found in /proc/self/maps"))

    case = "softmax %d×%d" % (a.rows, a.cols)
    i = np.arange(a.rows * a.cols, dtype=np.int64)
    x = (((i * 7) % 17).astype(np.float32) / np.float32(4) - np.float32(2)).reshape(a.rows, a.cols)

    def softmax():
        m = x.max(axis=1, keepdims=True)
        e = np.exp(x - m)
        return e / e.sum(axis=1, keepdims=True)

    check = softmax()[:, 0].astype(np.float64).sum()
    protocol.result("numpy", case, protocol.measure(softmax, a.target_ms, a.rounds), check)

    if not a.torch:
        return
    try:
        import torch
    except ImportError as e:
        protocol.error("torch", case, "PyTorch is not importable: %s" % e)
        return
    torch.set_num_threads(a.threads)
    protocol.info("torch", "PyTorch %s; %d threads" % (torch.__version__, torch.get_num_threads()))
    tx = torch.from_numpy(x)
    with torch.no_grad():
        check = tx.softmax(dim=1)[:, 0].double().sum().item()
        ns = protocol.measure(lambda: tx.softmax(dim=1), a.target_ms, a.rounds)
    protocol.result("torch", case, ns, check)


if __name__ == "__main__":
    main()
