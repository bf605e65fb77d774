"""Golden cases for Complex, Phase, AllClose, WeightedMean and Covariance
(misc.json)."""

import numpy as np

from gen import INF, NAN, T, case, convert, ewise, is_int, merge

F = "misc"


def complexes():
    def cplx(name, re, im):
        dt = merge(re.dtype, im.dtype)
        dt = "c128" if dt == "f64" else "c64"
        want = ewise(lambda a, b: complex(a, b), dt, [re, im], "c128")
        case(F, name, "Complex", [re, im], want)

    cplx("f32", T("f32", [1, -2, NAN]), T("f32", [0.5, -7, 3]))
    cplx("f64_gives_c128", T("f64", [0.1]), T("f32", [0.2]))
    cplx("s32_broadcast", T("s32", [1, 2], (2, 1)), T("u8", [3, 4, 5]))
    cplx("empty", T("f32", [], (0,)), T("f32", [1], ()))

    def phase(name, t, **kw):
        out = {"c64": "f32", "c128": "f64"}.get(t.dtype, "f32" if is_int(t.dtype) else t.dtype)
        vals = []
        for v in t.vals:
            c = complex(v)
            vals.append(convert(float(np.arctan2(np.float64(c.imag), np.float64(c.real))), "f64", out))
        case(F, name, "Phase", [t], T(out, vals, t.shape, exact=True), **kw)

    phase("c64", T("c64", [1 + 1j, -1, -1j, 1j, 0, -3 - 4j]))
    phase("c128_2d", T("c128", [1 + 1j, -1 + 1e-300j, 2, -2j], (2, 2)), ulps=2)
    phase("f32_real", T("f32", [1.5, -2, 0, NAN, -INF]))
    phase("s32_gives_f32", T("s32", [-3, 0, 7]))


def closeness():
    def allclose(name, a, b, rtol=1e-5, atol=1e-8):
        fa = [convert(v, a.dtype, "f64") for v in a.vals]
        fb = [convert(v, b.dtype, "f64") for v in b.vals]
        shape = np.broadcast_shapes(a.shape, b.shape)
        x = np.broadcast_to(np.array(fa).reshape(a.shape), shape).reshape(-1)
        y = np.broadcast_to(np.array(fb).reshape(b.shape), shape).reshape(-1)
        ok = all(p == q or abs(p - q) <= atol + rtol * abs(q) for p, q in zip(x.tolist(), y.tolist()))
        case(F, name, "AllClose", [a, b], T("u8", [int(ok)], ()), params={"rtol": repr(rtol), "atol": repr(atol)})

    allclose("equal", T("f32", [1, 2, 3]), T("f32", [1, 2, 3]))
    allclose("within_rtol", T("f64", [1e6 + 5, 1]), T("f64", [1e6, 1]))
    allclose("outside", T("f64", [1e6 + 20, 1]), T("f64", [1e6, 1]))
    allclose("atol_near_zero", T("f32", [1e-9, 0]), T("f32", [0, 5e-9]))
    allclose("nan_never_close", T("f32", [NAN]), T("f32", [NAN]))
    allclose("infinities", T("f64", [INF, -INF]), T("f64", [INF, -INF]))
    allclose("opposite_infinities", T("f64", [INF]), T("f64", [-INF]))
    allclose("custom_tolerances", T("s32", [100, 200]), T("s32", [110, 190]), rtol=0.1, atol=0)
    allclose("broadcast", T("f32", [1, 1.0000001], (2, 1)), T("f32", [1, 1, 1]))


def weighted():
    def wmean(name, t, w, axes=None, keep=False):
        ft = "f32" if is_int(t.dtype) else t.dtype
        x = np.array([convert(v, t.dtype, "f64") for v in t.vals]).reshape(t.shape)
        ww = np.broadcast_to(np.array([convert(v, w.dtype, "f64") for v in w.vals]).reshape(w.shape), t.shape)
        ax = None if axes is None else tuple(axes)
        want = np.sum(x * ww, axis=ax, keepdims=keep) / np.sum(ww, axis=ax, keepdims=keep)
        want = np.asarray(want)
        opts = {}
        if axes is not None:
            opts["axes"] = axes
        if keep:
            opts["keep_axes"] = True
        case(F, name, "WeightedMean", [t, w], T(ft, [convert(v, "f64", ft) for v in want.reshape(-1).tolist()], want.shape, exact=True),
             opts=opts, ulps=2)

    wmean("all", T("f32", [1, 2, 3, 4]), T("f32", [1, 0, 1, 2]))
    wmean("axis1_keep", T("f64", [1, 2, 3, 4, 5, 6], (2, 3)), T("f64", [3, 2, 1]), axes=[1], keep=True)
    wmean("s32_gives_f32", T("s32", [10, 20, 30], (3, 1)), T("s32", [1, 1, 2], (3, 1)), axes=[0])
    wmean("zero_weights_nan", T("f32", [1, 2]), T("f32", [0, 0]))

    def cov(name, t, ddof=0, **kw):
        ft = "f32" if is_int(t.dtype) else t.dtype
        x = np.array([convert(v, t.dtype, "c128" if t.dtype.startswith("c") else "f64") for v in t.vals]).reshape(t.shape)
        n = t.shape[-2]
        c = x - x.mean(axis=-2, keepdims=True)
        want = np.einsum("...ni,...nj->...ij", np.conj(c), c) / (n - ddof)
        vals = [convert(v, "c128" if ft.startswith("c") else "f64", ft) for v in want.reshape(-1).tolist()]
        case(F, name, "Covariance", [t], T(ft, vals, want.shape, exact=True),
             opts={"ddof": ddof} if ddof else None, **kw)

    cov("2x2", T("f64", [1, 2, 3, 5], (2, 2)), ulps=4)
    cov("f32_ddof1", T("f32", [1, 2, 3, 4, 5, 7, 0, 0, 1], (3, 3)), ddof=1, ulps=4)
    cov("s32_batched", T("s32", list(range(12)), (2, 3, 2)), ulps=2)
    cov("c64", T("c64", [1j, 2, 3, 4 + 1j], (2, 2)), ulps=4)


complexes()
closeness()
weighted()
