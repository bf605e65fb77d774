"""Golden cases for reductions (reduce.json)."""

import math

import numpy as np

from gen import INF, NAN, T, case, convert, is_complex, limits, to_float

F = "reduce"
S64LO, S64HI = limits("s64")


def rows(t, axes):
    """Splits t's values into the groups reduced over axes (all by default), in
    row-major order of the kept axes, each group in row-major order of the
    reduced axes. Returns the groups and the kept shape."""
    rank = len(t.shape)
    axes = list(range(rank)) if axes is None else sorted(a % rank for a in axes)
    kept = [a for a in range(rank) if a not in axes]
    arr = np.array(t.vals + [None], dtype=object)[:-1].reshape(t.shape)
    arr = np.transpose(arr, kept + axes)
    kshape = tuple(t.shape[a] for a in kept)
    group = math.prod(t.shape[a] for a in axes)
    flat = arr.reshape(math.prod(kshape), group) if math.prod(kshape) else np.zeros((0, group), dtype=object)
    return [list(r) for r in flat], kshape, axes


def out_shape(t, axes, kshape, keep):
    if not keep:
        return kshape
    return tuple(1 if a in axes else d for a, d in enumerate(t.shape))


def red(name, op, t, fn, out, axes=None, keep=False, compute=None, **kw):
    """A reduction case: fn over each group of values converted to compute (out
    by default), the result converted to out."""
    compute = compute or out
    conv = T(compute, [convert(v, t.dtype, compute) for v in t.vals], t.shape)
    groups, kshape, ax = rows(conv, axes)
    vals = [fn(g) for g in groups]
    vals = [convert(v, compute, out) for v in vals]
    opts = {}
    if axes is not None:
        opts["axes"] = axes
    if keep:
        opts["keep_axes"] = True
    opts.update(kw.pop("opts", {}))
    want = T(out, vals, out_shape(t, ax, kshape, keep), exact=True)
    case(F, name, op, [t], want, opts=opts, **kw)


def seq_sum(g, zero=0):
    s = zero
    for v in g:
        s = s + v
    return s


def seq_prod(g):
    p = 1
    for v in g:
        p = p * v
    return p


def fmax_all(g, lo):
    m = lo
    for v in g:
        if v != v or m != m:
            m = NAN
        else:
            m = max(m, v)
    return m


def fmin_all(g, hi):
    m = hi
    for v in g:
        if v != v or m != m:
            m = NAN
        else:
            m = min(m, v)
    return m


def sums():
    x23 = T("f32", [1, 2, 3, 4, 5, 6], (2, 3))
    x234 = T("s32", list(range(-12, 12)), (2, 3, 4))
    for op, fn in [("Sum", seq_sum), ("Product", seq_prod)]:
        z = 0.0 if op == "Sum" else 1.0

        def f(g, fn=fn, z=z):
            return fn([float(v) for v in g]) if g else z
        red("f32_all", op, x23, f, "f32")
        red("f32_axis1_keep", op, x23, f, "f32", axes=[1], keep=True)
        red("f32_axis0", op, x23, f, "f32", axes=[0])
        red("s32_axes_0_2", op, x234, fn, "s64", axes=[0, 2])
        red("s32_negative_axis", op, x234, fn, "s64", axes=[-1], keep=True)
        red("u8_gives_u64", op, T("u8", [255, 255, 255, 7]), fn, "u64")
        red("s8_gives_s64", op, T("s8", [-128, -128, 127], (3, 1)), fn, "s64", axes=[0])
        red("s64_wraps", op, T("s64", [S64HI, 2, S64HI]), fn, "s64")
        red("u64_wraps", op, T("u64", [2**64 - 1, 2, 2**63]), fn, "u64")
        red("f32_specials", op, T("f32", [1, INF, -INF, 2, NAN, 3, INF, 3e38, 3e38], (3, 3)), f, "f32", axes=[1])
        red("f64", op, T("f64", [0.1, 0.2, 0.3, 1e-300, 1e300, -7]), f, "f64", ulps=2)
        red("f16", op, T("f16", [0.1, 0.2, 0.3, 1000, 60000, 5], (2, 3)), f, "f16", axes=[0])
        red("bf16", op, T("bf16", [0.1, 0.2, 3e38, 3e38]), f, "bf16")
        red("c64", op, T("c64", [1 + 1j, 2 - 1j, 0.5j, 3], (2, 2)), lambda g, fn=fn, z=z: fn(g) if g else z, "c64", axes=[1])
        red("empty_all", op, T("f32", [], (0, 3)), f, "f32")
        red("empty_axis0", op, T("s32", [], (0, 3)), fn, "s64", axes=[0])
        red("empty_axis1", op, T("f64", [], (0, 3)), f, "f64", axes=[1], keep=True)
        red("scalar", op, T("f64", [2.5], ()), f, "f64")
        red("scalar_u16", op, T("u16", [7], ()), fn, "u64")
        red("no_axes", op, x23, f, "f32", axes=[])


def extrema():
    x = T("f32", [3, NAN, 1, -INF, 7, 2, 0.5, INF, -0.0], (3, 3))
    for op, fn, ext in [("ReduceMax", fmax_all, -INF), ("ReduceMin", fmin_all, INF)]:
        def f(g, fn=fn, ext=ext):
            return fn(g, ext)

        def fi(dt, fn=fn, op=op):
            lo, hi = limits(dt)
            return lambda g: fn(g, lo if op == "ReduceMax" else hi)
        red("f32_nan_wins_axis1", op, x, f, "f32", axes=[1])
        red("f32_axis0_keep", op, x, f, "f32", axes=[0], keep=True)
        red("f32_all", op, T("f32", [1, -2, 3.5]), f, "f32")
        red("s8_limits", op, T("s8", [-128, 127, 0, -1], (2, 2)), fi("s8"), "s8", axes=[1])
        red("u64_limits", op, T("u64", [2**64 - 1, 0, 5]), fi("u64"), "u64")
        red("s64_3d", op, T("s64", list(range(24)), (2, 3, 4)), fi("s64"), "s64", axes=[0, 2])
        red("f16", op, T("f16", [65504, -65504, 0.1]), f, "f16")
        red("bf16", op, T("bf16", [1, 2, 3, 4], (2, 2)), f, "bf16", axes=[-1])
        red("empty_float_gives_identity", op, T("f32", [], (2, 0)), f, "f32", axes=[1])
        red("empty_int_gives_limit", op, T("s16", [], (0,)), fi("s16"), "s16")
        red("empty_u8_gives_limit", op, T("u8", [], (0,)), fi("u8"), "u8")
        red("scalar", op, T("s32", [-3], ()), fi("s32"), "s32")


def boolean():
    x = T("f32", [0, NAN, 1, -0.0, 2, 3], (2, 3))
    for op, fn, empty in [("All", all, 1), ("Any", any, 0)]:
        def f(g, fn=fn):
            return int(fn(v != 0 for v in g))
        red("f32_nan_is_true_axis1", op, x, f, "u8", axes=[1], compute="f32")
        red("f32_axis0_keep", op, x, f, "u8", axes=[0], keep=True, compute="f32")
        red("s8_all", op, T("s8", [1, -1, 5]), f, "u8", compute="s8")
        red("u8_values", op, T("u8", [0, 2, 255, 0], (2, 2)), f, "u8", axes=[0])
        red("c64", op, T("c64", [0, 1j, 1, 1]), f, "u8", compute="c64")
        red("scalar", op, T("f64", [0.5], ()), f, "u8", compute="f64")
        red("empty_axis", op, T("f32", [], (3, 0)), f, "u8", axes=[1], compute="f32")
        red("empty_all", op, T("s32", [], (0,)), f, "u8", compute="s32")


def means():
    def mean_of(dt):
        """Mean as gonx computes it: the sum in float64, rounded to dt, then
        divided by the count in dt."""
        def f(g):
            n = len(g)
            s = seq_sum([complex(v) if is_complex(dt) else float(v) for v in g], 0.0)
            if is_complex(dt):
                r = "f32" if dt == "c64" else "f64"
                s = complex(to_float(s.real, r), to_float(s.imag, r))
                return complex(s.real / n if n else NAN, s.imag / n if n else NAN)
            s = to_float(s, dt)
            return float(np.float64(s) / np.float64(to_float(n, dt)))
        return f
    x = T("s32", [1, 2, 3, 4, 5, 6], (2, 3))
    red("s32_gives_f32", "Mean", x, mean_of("f32"), "f32", compute="f32")
    red("s32_axis1_keep", "Mean", x, mean_of("f32"), "f32", axes=[1], keep=True, compute="f32")
    red("f64_axis0", "Mean", T("f64", [0.1, 0.2, 0.3, 0.4], (2, 2)), mean_of("f64"), "f64", axes=[0], ulps=2)
    red("f32_nan_inf", "Mean", T("f32", [1, NAN, INF, 1, -INF, INF], (3, 2)), mean_of("f32"), "f32", axes=[1])
    red("u8_gives_f32", "Mean", T("u8", [255, 255, 0]), mean_of("f32"), "f32", compute="f32")
    red("f16", "Mean", T("f16", [1, 2, 4, 8]), mean_of("f16"), "f16")
    red("c64", "Mean", T("c64", [1 + 1j, 3 - 1j]), mean_of("c64"), "c64")
    red("empty_gives_nan", "Mean", T("f32", [], (0,)), mean_of("f32"), "f32")
    red("scalar", "Mean", T("f64", [7], ()), mean_of("f64"), "f64")
    red("3d_axes", "Mean", T("f64", list(range(24)), (2, 3, 4)), mean_of("f64"), "f64", axes=[0, -1])

    def lse(g):
        if not g:
            return -INF
        m = max(g) if all(v == v for v in g) else NAN
        if m != m:
            return NAN
        if math.isinf(m):
            m = 0.0
        return float(np.log(np.float64(seq_sum([float(np.exp(np.float64(v - m))) for v in g], 0.0)))) + m
    red("f32", "LogSumExp", T("f32", [1, 2, 3]), lse, "f32", ulps=2)
    red("f32_large_stable", "LogSumExp", T("f32", [1000, 1000, -1000, 88, 89, 90], (2, 3)), lse, "f32", axes=[1], ulps=2)
    red("f64_axis0_keep", "LogSumExp", T("f64", [0.5, -1, 2, 3], (2, 2)), lse, "f64", axes=[0], keep=True, ulps=4)
    red("infinities", "LogSumExp", T("f32", [-INF, -INF, INF, 1, NAN, 1], (3, 2)), lse, "f32", axes=[1])
    red("s32_gives_f32", "LogSumExp", T("s32", [0, 1, 2]), lse, "f32", compute="f32", ulps=2)
    red("empty_axis", "LogSumExp", T("f32", [], (2, 0)), lse, "f32", axes=[1])

    def var_of(ddof, sqrt=False):
        def f(g):
            n = len(g)
            mu = seq_sum([float(v) for v in g], 0.0) / n if n else NAN
            s = seq_sum([(float(v) - mu) ** 2 for v in g], 0.0)
            v = float(np.float64(s) / np.float64(n - ddof))
            return math.sqrt(v) if sqrt and v == v and v >= 0 else v
        return f
    x = T("f32", [1, 2, 3, 4, 10, 20, 30, 40], (2, 4))
    for op, sq in [("Variance", False), ("StandardDeviation", True)]:
        red("f32_all", op, x, var_of(0, sq), "f32", ulps=2)
        red("f32_axis1_ddof1", op, x, var_of(1, sq), "f32", axes=[1], opts={"ddof": 1}, ulps=2)
        red("f32_axis0_keep", op, x, var_of(0, sq), "f32", axes=[0], keep=True, ulps=2)
        red("s32_gives_f32", op, T("s32", [2, 4, 4, 4, 5, 5, 7, 9]), var_of(0, sq), "f32", compute="f32")
        red("f64_ddof_half", op, T("f64", [0.1, 0.7, -3.2]), var_of(0.5, sq), "f64", opts={"ddof": 0.5}, ulps=8)
        red("one_element_ddof1_nan", op, T("f64", [5]), var_of(1, sq), "f64", opts={"ddof": 1})
        red("f32_nan", op, T("f32", [1, NAN, 3]), var_of(0, sq), "f32")


def argext():
    def arg(op, tie):
        def f(g):
            best = 0
            for j in range(1, len(g)):
                a, b = g[j], g[best]
                if b != b:
                    better = a != a and tie == "high"
                elif a != a:
                    better = True
                else:
                    better = (a > b if op == "Argmax" else a < b) or (a == b and tie == "high")
                if better:
                    best = j
            return best
        return f

    def case_arg(name, op, t, axis=None, tie="low", keep=False, dtype="s64"):
        opts = {}
        if axis is not None:
            opts["axis"] = axis
        if tie != "low":
            opts["tie"] = tie
        if keep:
            opts["keep_axes"] = True
        if dtype != "s64":
            opts["type"] = dtype
        groups, kshape, ax = rows(t, None if axis is None else [axis])
        vals = [arg(op, tie)(g) for g in groups]
        if axis is None:
            shape = tuple(1 for _ in t.shape) if keep else ()
        else:
            shape = out_shape(t, ax, kshape, keep)
        case(F, name, op, [t], T(dtype, vals, shape), opts=opts)

    x = T("s32", [3, 1, 3, 0, 0, 2, 1, 3, 2, 0, 1, 0], (3, 4))
    for op in ["Argmax", "Argmin"]:
        case_arg("flat_tie_low", op, x)
        case_arg("flat_tie_high", op, x, tie="high")
        case_arg("axis1", op, x, axis=1)
        case_arg("axis0_tie_high", op, x, axis=0, tie="high")
        case_arg("axis_negative_keep", op, x, axis=-1, keep=True)
        case_arg("flat_keep", op, x, keep=True)
        case_arg("type_u8", op, x, axis=1, dtype="u8")
        f = T("f32", [1, NAN, 5, NAN, -INF, INF, 2, 2], (2, 4))
        case_arg("f32_nan_first", op, f, axis=1)
        case_arg("f32_nan_last_tie_high", op, f, axis=1, tie="high")
        case_arg("f32_inf", op, T("f32", [-INF, INF, 0, INF, -INF]))
        case_arg("u64_limits", op, T("u64", [0, 2**64 - 1, 2**63, 2**64 - 1]))
        case_arg("s8_limits", op, T("s8", [-128, 127, -128, 127]), tie="high")
        case_arg("f16_3d", op, T("f16", [0.5, 0.25, 0.75, 1, 0.1, 0.2, 0.3, 0.4], (2, 2, 2)), axis=1)
        case_arg("scalar", op, T("f64", [3], ()))


sums()
extrema()
boolean()
means()
argext()
