"""Golden cases for sorting, cumulative operations, Median and Mode (sort.json)
and Fourier transforms (fft.json)."""

import numpy as np

from gen import INF, NAN, T, case, convert, is_complex, is_int, wrap

F = "sort"


def arr(t):
    a = np.empty(len(t.vals), dtype=object)
    a[:] = t.vals
    return a.reshape(t.shape)


def tensor(dtype, a):
    a = np.asarray(a, dtype=object)
    return T(dtype, list(a.reshape(-1)), a.shape, exact=True)


def key(v):
    """Sort key: NaN above everything, -0 equal to +0."""
    if isinstance(v, float) and v != v:
        return (1, 0.0)
    return (0, v)


def lanes(a, axis, fn):
    """Applies fn to every 1-D lane of a along axis; fn returns a list of the
    same length (or a scalar, reducing the lane)."""
    moved = np.moveaxis(a, axis, -1)
    out = None
    for idx in np.ndindex(*moved.shape[:-1]):
        r = fn(list(moved[idx]))
        if out is None:
            shape = moved.shape[:-1] + ((len(r),) if isinstance(r, list) else ())
            out = np.empty(shape, dtype=object)
        out[idx] = r if not isinstance(r, list) else np.array(r + [None], dtype=object)[:-1]
    if out is None:  # no lanes
        out = np.empty(moved.shape, dtype=object)
    if out.ndim == moved.ndim:
        return np.moveaxis(out, -1, axis)
    return out


def sorts():
    def order(lane, desc):
        return sorted(range(len(lane)), key=lambda i: key(lane[i]), reverse=desc)

    def srt(name, t, axis=None, desc=False):
        ax = 0 if axis is None else axis
        want = lanes(arr(t), ax, lambda l: [l[i] for i in order(l, desc)])
        opts = {}
        if axis is not None:
            opts["axis"] = axis
        if desc:
            opts["order"] = "desc"
        case(F, name, "Sort", [t], tensor(t.dtype, want), opts=opts)

    def argsrt(name, t, axis=None, desc=False, dtype="s64"):
        ax = 0 if axis is None else axis
        want = lanes(arr(t), ax, lambda l: order(l, desc))
        opts = {}
        if axis is not None:
            opts["axis"] = axis
        if desc:
            opts["order"] = "desc"
        if dtype != "s64":
            opts["type"] = dtype
        case(F, name, "Argsort", [t], tensor(dtype, want), opts=opts)

    f = T("f32", [3, NAN, -1, INF, -0.0, 0.0, -INF, 3, NAN, 1])
    m = T("s32", [4, 5, 2, 2, 5, 3, 1, 5, 2], (3, 3))
    for fn in [srt, argsrt]:
        fn("f32_nan_inf", f)
        fn("f32_desc", f, desc=True)
        fn("s32_axis0_default", m)
        fn("s32_axis1", m, axis=1)
        fn("s32_axis_negative_desc", m, axis=-1, desc=True)
        fn("u64_limits", T("u64", [2**64 - 1, 0, 2**63, 1]))
        fn("s8_limits_desc", T("s8", [-128, 127, 0, -1, 127]), desc=True)
        fn("f16_3d", T("f16", [0.5, -2, 3, 1, 0.1, 0.2, 0.3, 0.4], (2, 2, 2)), axis=1)
        fn("bf16", T("bf16", [1, -1, 0.5]))
        fn("empty", T("f64", [], (0, 3)), axis=1)
    argsrt("type_s32", m, axis=1, dtype="s32")
    argsrt("stable_ties", T("u8", [1, 0, 1, 0, 1, 0]))
    argsrt("stable_ties_desc", T("u8", [1, 0, 1, 0, 1, 0]), desc=True)

    def topk(name, t, k):
        moved = arr(t)
        vals = lanes(moved, -1, lambda l: [l[i] for i in order(l, True)][:k])
        idx = lanes(moved, -1, lambda l: order(l, True)[:k])
        case(F, name + "_values", "TopK", [t], tensor(t.dtype, vals), params={"k": k, "output": 0})
        case(F, name + "_indices", "TopK", [t], tensor("s64", idx), params={"k": k, "output": 1})

    topk("f32", T("f32", [1, 5, 3, NAN, 5, -INF]), 3)
    topk("s32_2d", T("s32", [4, 1, 4, 2, 9, 0, 9, 9], (2, 4)), 2)
    topk("all", T("u8", [3, 1, 2]), 3)


def cumulative():
    def cum(name, op, t, axis=None, reverse=False):
        ax = 0 if axis is None else axis
        dt = t.dtype

        def scan(lane):
            seq = lane[::-1] if reverse else lane
            out, acc = [], None
            for v in seq:
                if acc is None:
                    acc = v
                elif op == "CumulativeSum":
                    acc = acc + v
                elif op == "CumulativeProduct":
                    acc = acc * v
                elif op == "CumulativeMax":
                    acc = NAN if (acc != acc or v != v) else max(acc, v)
                else:
                    acc = NAN if (acc != acc or v != v) else min(acc, v)
                if is_int(dt):
                    acc = wrap(acc, dt)
                out.append(convert(acc, "c128" if is_complex(dt) else ("f64" if not is_int(dt) else dt), dt))
            return out[::-1] if reverse else out

        want = lanes(arr(t), ax, scan)
        opts = {}
        if axis is not None:
            opts["axis"] = axis
        if reverse:
            opts["reverse"] = True
        case(F, name, op, [t], tensor(dt, want), opts=opts)

    for op in ["CumulativeSum", "CumulativeProduct", "CumulativeMax", "CumulativeMin"]:
        cum("s32_axis0", op, T("s32", [1, 2, 3, 4, -5, 6], (2, 3)))
        cum("s32_axis1_reversed", op, T("s32", [1, 2, 3, 4, -5, 6], (2, 3)), axis=1, reverse=True)
        cum("u8_wraps", op, T("u8", [200, 100, 3, 255]))
        cum("s8_wraps_reversed", op, T("s8", [100, 100, -128, 2]), reverse=True)
        cum("f32_specials", op, T("f32", [1, 2.5, NAN, 4, INF, -1]))
        cum("f64_3d_axis_negative", op, T("f64", [0.5, 2, -1, 4, 3, 0.25, 1, 8], (2, 2, 2)), axis=-1)
        cum("bf16", op, T("bf16", [1, 2, 3, 0.5]))
        cum("empty", op, T("f32", [], (0, 2)))
        if op in ("CumulativeSum", "CumulativeProduct"):
            cum("c64", op, T("c64", [1 + 1j, 2, -1j]))


def stats():
    def median(name, t, axis=None, keep=False):
        def med(lane):
            s = sorted(lane, key=key)
            n = len(s)
            if n % 2 == 1:
                return s[n // 2]
            return s[n // 2 - 1], s[n // 2]
        a = arr(t)
        flat = axis is None
        even = (t.size if flat else t.shape[axis]) % 2 == 0
        out_dt = ("f32" if is_int(t.dtype) else t.dtype) if even else t.dtype
        src = a.reshape(-1) if flat else a
        ax = 0 if flat else axis
        r = lanes(src, ax, med)

        def fin(v):
            if not even:
                return convert(v, t.dtype, out_dt)
            x, y = (convert(w, t.dtype, out_dt) for w in v)
            s = convert(float(np.float64(x) + np.float64(y)), "f64", out_dt)
            return convert(float(np.float64(s) / 2), "f64", out_dt)
        out = np.empty(r.shape, dtype=object)
        for idx in np.ndindex(*r.shape):
            out[idx] = fin(r[idx])
        if keep:
            shape = [1] * len(t.shape) if flat else [1 if d == axis % len(t.shape) else n for d, n in enumerate(t.shape)]
            out = out.reshape(shape)
        opts = {}
        if axis is not None:
            opts["axis"] = axis
        if keep:
            opts["keep_axes"] = True
        case(F, name, "Median", [t], tensor(out_dt, out), opts=opts)

    m = T("s32", [4, 5, 2, 2, 5, 3, 1, 5, 2, 7, 7, 0], (3, 4))
    median("s32_all_even_gives_f32", m)
    median("s32_axis0_odd", m, axis=0)
    median("s32_axis1_even_keep", m, axis=1, keep=True)
    median("f32_nan_largest", T("f32", [3, NAN, 1]))
    median("f64_even", T("f64", [0.1, 0.3, 10, -5]))
    median("u8_all_keep", T("u8", [200, 100, 255], (3, 1)), keep=True)
    median("f16_axis_negative", T("f16", [1, 2, 3, 4, 5, 6], (2, 3)), axis=-1)

    def mode(name, t, axis=None, keep=False):
        def md(lane):
            counts = {}
            for v in lane:
                if isinstance(v, float) and v != v:
                    continue
                counts[v] = counts.get(v, 0) + 1
            best = None
            for v, c in counts.items():
                if best is None or c > best[1] or (c == best[1] and v < best[0]):
                    best = (v, c)
            if best is None:
                return NAN
            return best[0]
        a = arr(t)
        flat = axis is None
        r = lanes(a.reshape(-1) if flat else a, 0 if flat else axis, md)
        if keep:
            shape = [1] * len(t.shape) if flat else [1 if d == axis % len(t.shape) else n for d, n in enumerate(t.shape)]
            r = np.asarray(r, dtype=object).reshape(shape)
        opts = {}
        if axis is not None:
            opts["axis"] = axis
        if keep:
            opts["keep_axes"] = True
        case(F, name, "Mode", [t], tensor(t.dtype, r), opts=opts)

    mode("s32_all", m)
    mode("s32_axis0_ties_smallest", m, axis=0)
    mode("s32_axis1_keep", m, axis=1, keep=True)
    mode("f32_nan_each_once", T("f32", [NAN, NAN, 2, 1, 2]))
    mode("u8_all_keep", T("u8", [3, 3, 1, 1], (2, 2)), keep=True)
    mode("f64_negative_zero", T("f64", [-0.0, 0.0, 1.5]))


def ffts():
    def fft(name, op, t, axis=None, length=None, **kw):
        src = np.array(t.vals, dtype=np.complex128).reshape(t.shape)
        out_dt = "c128" if t.dtype in ("f64", "c128") else "c64"
        ax = -1 if axis is None else axis
        n = length or src.shape[ax]
        f = np.fft.fft if op == "FFT" else np.fft.ifft
        want = f(src, n=n, axis=ax)
        scale = float(np.max(np.abs(want))) if want.size else 0.0
        opts = {}
        if axis is not None:
            opts["axis"] = axis
        if length is not None:
            opts["length"] = length
        case("fft", name, op, [t], T(out_dt, want.reshape(-1).tolist(), want.shape, exact=True), opts=opts,
             atol=1e-13 * scale, **kw)

    rng = np.random.default_rng(1)
    for op in ["FFT", "IFFT"]:
        fft("f32_pow2", op, T("f32", [1, 2, 3, 4, 0, -1, -2, -3]))
        fft("f64_prime_length", op, T("f64", rng.standard_normal(7).tolist()))
        fft("c128_2d_last_axis", op, T("c128", (rng.standard_normal(12) + 1j * rng.standard_normal(12)).tolist(), (3, 4)))
        fft("c64_axis0", op, T("c64", [1, 1j, 2, -1, 0.5j, 3], (3, 2)), axis=0)
        fft("s32_gives_c64", op, T("s32", [1, 0, 0, 0, 0]))
        fft("length_pad", op, T("f64", [1, 2, 3]), length=8)
        fft("length_cut", op, T("f64", [1, 2, 3, 4, 5, 6]), length=4)
        fft("impulse_big", op, T("c128", [1] + [0] * 99))

    def fft2(name, op, t, axes=None, lengths=None):
        src = np.array(t.vals, dtype=np.complex128).reshape(t.shape)
        out_dt = "c128" if t.dtype in ("f64", "c128") else "c64"
        ax = (-2, -1) if axes is None else tuple(axes)
        f = np.fft.fft2 if op == "FFT2" else np.fft.ifft2
        want = f(src, s=lengths, axes=ax)
        scale = float(np.max(np.abs(want))) if want.size else 0.0
        opts = {}
        if axes is not None:
            opts["axes"] = axes
        if lengths is not None:
            opts["lengths"] = lengths
        case("fft", name, op, [t], T(out_dt, want.reshape(-1).tolist(), want.shape, exact=True), opts=opts,
             atol=1e-13 * scale)

    for op in ["FFT2", "IFFT2"]:
        fft2("f64_3x4", op, T("f64", list(range(12)), (3, 4)))
        fft2("c64_batched", op, T("c64", [1, 2j, 3, 4, 5, 6j, 7, 8], (2, 2, 2)))
        fft2("axes_option", op, T("f64", rng.standard_normal(24).tolist(), (2, 3, 4)), axes=[0, 2])
        fft2("lengths", op, T("f32", [1, 2, 3, 4], (2, 2)), lengths=[3, 4])


sorts()
cumulative()
stats()
ffts()
