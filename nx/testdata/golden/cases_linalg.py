"""Golden cases for dot products and convolutions (linalg.json) and window
operations (window.json)."""

import itertools
import math

import numpy as np

from gen import INF, NAN, T, case, convert, is_int, limits, num, result_type, wrap

F = "linalg"
W = "window"


def arr(t, dtype=None):
    """t's values converted to dtype, as an object array (exact Python numbers)."""
    dtype = dtype or t.dtype
    a = np.empty(len(t.vals), dtype=object)
    a[:] = [convert(v, t.dtype, dtype) for v in t.vals]
    return a.reshape(t.shape)


def fit(a, dtype):
    """A tensor of dtype from an object array of exact results (wrapped or
    rounded once)."""
    a = np.asarray(a, dtype=object)
    vals = []
    for v in a.reshape(-1):
        if v is None:  # NumPy's dot of empty object arrays
            v = 0
        if is_int(dtype):
            vals.append(wrap(int(v), dtype))
        else:
            vals.append(v)
    return T(dtype, vals, a.shape, exact=True)


def dots():
    def dot(name, a, b, **kw):
        dt = result_type([a, b])
        x, y = arr(a, dt), arr(b, dt)
        if x.ndim == 0 or y.ndim == 0:
            want = x * y
        else:
            want = np.dot(x, y)
        case(F, name, "Dot", [a, b], fit(want, dt), **kw)

    m23 = T("s32", [1, 2, 3, 4, 5, 6], (2, 3))
    m32 = T("s32", [7, 8, 9, 10, 11, 12], (3, 2))
    dot("vectors", T("f32", [1, 2, 3]), T("f32", [4, -5, 6]))
    dot("matrices", m23, m32)
    dot("matrix_vector", m23, T("s32", [1, 0, -1]))
    dot("vector_matrix", T("f64", [1, 2]), T("f64", [1, 2, 3, 4, 5, 6], (2, 3)))
    dot("scalar", T("f32", [2], ()), T("f32", [1, 2, 3]))
    dot("nd_nd", T("s64", list(range(12)), (2, 3, 2)), T("s64", list(range(8)), (2, 2, 2)))
    dot("nd_vector", T("f32", list(range(12)), (2, 3, 2)), T("f32", [1, -1]))
    dot("merge_u8_s8_gives_s16", T("u8", [200, 100]), T("s8", [-1, 2]))
    dot("s8_wraps", T("s8", [100, 100]), T("s8", [2, 1]))
    dot("c64_not_conjugated", T("c64", [1 + 1j, 2j]), T("c64", [1 - 1j, 3]))
    dot("empty_contraction", T("f32", [], (2, 0)), T("f32", [], (0, 3)))
    rng = np.random.default_rng(3)
    a = rng.standard_normal((4, 5))
    b = rng.standard_normal((5, 3))
    dot("f64_random", T("f64", a.reshape(-1).tolist(), (4, 5)), T("f64", b.reshape(-1).tolist(), (5, 3)),
        ulps=8, atol=1e-15)

    def general(name, a, ca, ba, b, cb, bb, **kw):
        dt = result_type([a, b])
        x, y = arr(a, dt), arr(b, dt)
        fa = [d for d in range(x.ndim) if d not in ca and d not in ba]
        fb = [d for d in range(y.ndim) if d not in cb and d not in bb]
        xs = np.transpose(x, ba + fa + ca)
        ys = np.transpose(y, bb + cb + fb)
        bshape = [x.shape[d] for d in ba]
        B = math.prod(bshape)
        K = math.prod(x.shape[d] for d in ca)
        Fa = math.prod(x.shape[d] for d in fa)
        Fb = math.prod(y.shape[d] for d in fb)
        xs = xs.reshape(B, Fa, K)
        ys = ys.reshape(B, K, Fb)
        out = np.empty((B, Fa, Fb), dtype=object)
        for i in range(B):
            for p in range(Fa):
                for q in range(Fb):
                    s = 0
                    for k in range(K):
                        s = s + xs[i, p, k] * ys[i, k, q]
                    out[i, p, q] = s
        shape = bshape + [x.shape[d] for d in fa] + [y.shape[d] for d in fb]
        case(F, name, "DotGeneral", [a, b], fit(out.reshape(shape), dt),
             params={"contract_a": ca, "batch_a": ba, "contract_b": cb, "batch_b": bb}, **kw)

    general("matmul", m23, [1], [], m32, [0], [])
    general("batched", T("s32", list(range(12)), (2, 2, 3)), [2], [0], T("s32", list(range(12)), (2, 3, 2)), [1], [0])
    general("contract_two_axes", T("f32", list(range(24)), (2, 3, 4)), [0, 2], [], T("f32", list(range(24)), (4, 2, 3)), [1, 0], [])
    general("outer_no_axes", T("u8", [1, 2]), [], [], T("u8", [3, 4, 250]), [], [])

    def outer(name, a, b):
        dt = result_type([a, b])
        x, y = arr(a, dt).reshape(-1), arr(b, dt).reshape(-1)
        if dt in ("c64", "c128"):
            y = np.array([v.conjugate() for v in y], dtype=object)
        case(F, name, "Outer", [a, b], fit(np.outer(x, y), dt))

    outer("vectors", T("s32", [1, 2, 3]), T("s32", [4, 5]))
    outer("flattens", T("f32", [1, 2, 3, 4], (2, 2)), T("f32", [0.5], ()))
    outer("c64_conjugates_b", T("c64", [1j, 2]), T("c64", [1 + 1j, 3j]))
    outer("merge", T("u8", [255]), T("s8", [-1, 2]))


def dilate(a, axis, d):
    if d == 1:
        return a
    shape = list(a.shape)
    n = shape[axis]
    shape[axis] = (n - 1) * d + 1 if n else 0
    out = np.zeros(shape, dtype=object)
    idx = [slice(None)] * a.ndim
    idx[axis] = slice(0, shape[axis], d)
    out[tuple(idx)] = a
    return out


def pad_axis(a, axis, lo, hi, value):
    shp = list(a.shape)
    lo_shape, hi_shape = shp.copy(), shp.copy()
    lo_shape[axis], hi_shape[axis] = max(lo, 0), max(hi, 0)
    a = np.concatenate([np.full(lo_shape, value, dtype=object), a, np.full(hi_shape, value, dtype=object)], axis=axis)
    idx = [slice(None)] * a.ndim
    idx[axis] = slice(max(-lo, 0), a.shape[axis] - max(-hi, 0))
    return a[tuple(idx)]


def convs():
    def conv(name, inp, ker, strides=None, pad=None, in_dil=None, k_dil=None, groups=1, **kw):
        dt = result_type([inp, ker])
        dt = "f32" if is_int(dt) else dt
        x, k = arr(inp, dt), arr(ker, dt)
        r = x.ndim - 2
        st = strides or [1] * r
        st = st * r if len(st) == 1 else st
        idl = in_dil or [1] * r
        kdl = k_dil or [1] * r
        for i in range(r):
            x = dilate(x, 2 + i, idl[i])
            k = dilate(k, 2 + i, kdl[i])
        if pad is None or pad == "valid":
            pads = [(0, 0)] * r
        elif pad == "same":
            pads = [((k.shape[2 + i] - 1) // 2, (k.shape[2 + i] - 1) - (k.shape[2 + i] - 1) // 2) for i in range(r)]
        else:
            pads = pad
        zero = convert(0, "s64", dt)
        for i, (lo, hi) in enumerate(pads):
            x = pad_axis(x, 2 + i, lo, hi, zero)
        N, C = x.shape[:2]
        O, Cg = k.shape[:2]
        og = O // groups
        out_sp = [max((x.shape[2 + i] - k.shape[2 + i]) // st[i] + 1, 0) for i in range(r)]
        out = np.empty([N, O] + out_sp, dtype=object)
        for n in range(N):
            for o in range(O):
                g = o // og
                for pos in itertools.product(*[range(s) for s in out_sp]):
                    s = 0.0 if dt not in ("c64", "c128") else 0j
                    for c in range(Cg):
                        for kp in itertools.product(*[range(s2) for s2 in k.shape[2:]]):
                            xi = tuple(pos[i] * st[i] + kp[i] for i in range(r))
                            s = s + x[(n, g * Cg + c) + xi] * k[(o, c) + kp]
                    out[(n, o) + pos] = s
        opts = {}
        if strides:
            opts["strides"] = strides
        if pad is not None:
            opts["pad"] = pad
        if in_dil:
            opts["input_dilation"] = in_dil
        if k_dil:
            opts["kernel_dilation"] = k_dil
        if groups != 1:
            opts["feature_groups"] = groups
        case(F, name, "Conv", [inp, ker], T(dt, out.reshape(-1).tolist(), out.shape, exact=True), opts=opts, **kw)

    x1 = T("f32", list(range(1, 11)), (1, 2, 5))
    k1 = T("f32", [1, 0, -1, 2, 1, 0, 0.5, 0.5, 1, 1, -1, -1], (2, 2, 3))
    conv("1d_valid", x1, k1)
    conv("1d_same", x1, k1, pad="same")
    conv("1d_strides_pads", x1, k1, strides=[2], pad=[[2, -1]])
    conv("1d_input_dilation", x1, k1, in_dil=[2], pad=[[2, 2]])
    conv("1d_kernel_dilation", x1, k1, k_dil=[2])
    conv("1d_feature_groups", x1, T("f32", [1, 2, 3, 4, 5, 6], (2, 1, 3)), groups=2)
    x2 = T("s32", list(range(2 * 1 * 4 * 5)), (2, 1, 4, 5))
    k2 = T("s32", [1, 0, 0, -1, 2, 1, 1, 2], (2, 1, 2, 2))
    conv("2d_s32_gives_f32", x2, k2)
    conv("2d_strides_same", x2, k2, strides=[2, 3], pad="same")
    conv("2d_all_options", x2, k2, strides=[1, 2], pad=[[1, 0], [0, 2]], in_dil=[1, 2], k_dil=[2, 1])
    conv("2d_c64", T("c64", [1, 1j, 2, -1j, 0.5, 3], (1, 1, 2, 3)), T("c64", [1j, 1, 2, 0], (1, 1, 2, 2)))
    rng = np.random.default_rng(5)
    conv("2d_f64_random", T("f64", rng.standard_normal(2 * 3 * 5 * 5).tolist(), (2, 3, 5, 5)),
         T("f64", rng.standard_normal(4 * 3 * 3 * 3).tolist(), (4, 3, 3, 3)), pad="same", ulps=16, atol=1e-14)


def windows():
    def window(name, op, t, dims, strides=None, pad=None, wdil=None, skip=None):
        dt = t.dtype
        out_dt = ("f32" if is_int(dt) else dt) if op == "WindowMean" else dt
        r = len(t.shape)
        st = strides or [1] * r
        st = st * r if len(st) == 1 else st
        wd = wdil or [1] * r
        dd = [(dims[i] - 1) * wd[i] + 1 for i in range(r)]
        if pad is None or pad == "valid":
            pads = [(0, 0)] * r
        elif pad == "same":
            pads = [((d - 1) // 2, (d - 1) - (d - 1) // 2) for d in dd]
        else:
            pads = pad
        lo, hi = (limits(dt) if is_int(dt) else (-INF, INF))
        ident = {"WindowSum": 0, "WindowMean": 0, "WindowProduct": 1, "WindowMax": lo, "WindowMin": hi}[op]
        x = arr(t)
        for i, (pl, ph) in enumerate(pads):
            x = pad_axis(x, i, pl, ph, ident)
        out_sp = [max((x.shape[i] - dd[i]) // st[i] + 1, 0) for i in range(r)]
        out = np.empty(out_sp, dtype=object)
        size = math.prod(dims)
        for pos in itertools.product(*[range(s) for s in out_sp]):
            vals = [x[tuple(pos[i] * st[i] + kp[i] * wd[i] for i in range(r))]
                    for kp in itertools.product(*[range(d) for d in dims])]
            if op in ("WindowSum", "WindowMean"):
                acc = 0
                for v in vals:
                    acc = acc + v
                    if is_int(dt):
                        acc = wrap(acc, dt)
                if op == "WindowMean":
                    s = convert(acc, dt if is_int(dt) else "f64", out_dt)
                    acc = float(np.float64(s) / np.float64(size))
            elif op == "WindowProduct":
                acc = 1
                for v in vals:
                    acc = acc * v
                    if is_int(dt):
                        acc = wrap(acc, dt)
            elif op == "WindowMax":
                acc = NAN if any(v != v for v in vals) else max(vals)
            else:
                acc = NAN if any(v != v for v in vals) else min(vals)
            out[pos] = convert(acc, "f64", out_dt) if not is_int(out_dt) else acc
        opts = {}
        if strides:
            opts["strides"] = strides
        if pad is not None:
            opts["pad"] = pad
        if wdil:
            opts["window_dilations"] = wdil
        case(W, name, op, [t], T(out_dt, out.reshape(-1).tolist(), out.shape, exact=True),
             opts=opts, params={"window": dims}, skip=skip)

    x = T("f32", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], (3, 4))
    xs = T("s32", [1, -2, 3, 4, 5, -6, 7, 8, 9, 10, -11, 12], (3, 4))
    for op in ["WindowSum", "WindowProduct", "WindowMax", "WindowMin", "WindowMean"]:
        window("valid_2x2", op, x, [2, 2])
        window("strides", op, x, [2, 2], strides=[1, 2])
        window("same", op, xs, [2, 3], pad="same")
        window("explicit_pads", op, xs, [1, 2], pad=[[1, 0], [0, 2]], strides=[2])
        window("dilations", op, x, [2, 2], wdil=[2, 3])
        window("1d_nan", op, T("f32", [1, NAN, 3, 4, -INF]), [2])
        window("u8_wraps", op, T("u8", [200, 100, 3, 255]), [2])
        window("only_padding", op, T("s16", [5, 6]), [1], pad=[[2, 0]])

    def scatter(name, op, t, src, init, dims, strides=None, pad=None, skip=None):
        dt = result_type([src, init])
        r = len(t.shape)
        st = strides or [1] * r
        st = st * r if len(st) == 1 else st
        if pad is None or pad == "valid":
            pads = [(0, 0)] * r
        elif pad == "same":
            pads = [((d - 1) // 2, (d - 1) - (d - 1) // 2) for d in dims]
        else:
            pads = pad
        x = arr(t)
        s = arr(src, dt)
        out = np.full(t.shape, convert(init.vals[0], init.dtype, dt), dtype=object)
        for pos in itertools.product(*[range(n) for n in src.shape]):
            best, bv = None, None
            for kp in itertools.product(*[range(d) for d in dims]):
                p = tuple(pos[i] * st[i] + kp[i] - pads[i][0] for i in range(r))
                if any(q < 0 or q >= t.shape[i] for i, q in enumerate(p)):
                    continue
                v = x[p]
                better = bv is None or (v >= bv if op == "WindowScatterMax" else v <= bv)  # the last of equal elements, as Nx
                if better:
                    best, bv = p, v
            if best is not None:
                acc = out[best] + s[pos]
                out[best] = wrap(acc, dt) if is_int(dt) else convert(acc, dt, dt)
        opts = {}
        if strides:
            opts["strides"] = strides
        if pad is not None:
            opts["pad"] = pad
        case(W, name, op, [t, src, init], T(dt, out.reshape(-1).tolist(), out.shape, exact=True),
             opts=opts, params={"window": dims}, skip=skip)

    t = T("f32", [7, 2, 5, 3, 10, 2, 3, 8, 9, 1, 4, 6], (3, 4))
    for op in ["WindowScatterMax", "WindowScatterMin"]:
        skip = None
        scatter("non_overlapping", op, t, T("f32", [1, 2], (1, 2)), num(0), [2, 2], strides=[2], skip=skip)
        scatter("overlapping_accumulates", op, t, T("f32", list(range(1, 7)), (2, 3)), T("f32", [0.5], ()), [2, 2],
                skip=skip)
        scatter("ties_last", op, T("s32", [1, 1, 1, 1]), T("s32", [5, 6, 7]), num(0), [2])
        scatter("no_ties", op, T("f64", [5, 0, 11, 3, 8, 1, 9, 4, 2, 10, 7, 6], (3, 4)),
                T("f64", [1, 2, 3, 4, 5, 6], (2, 3)), num(0), [2, 2])
        scatter("same_padding", op, T("f64", [3, 1, 2, 5]), T("f64", [1, 2, 3, 4]), num(0), [3], pad="same")
        scatter("merge_types", op, T("f32", [1, 2, 3, 4]), T("s32", [5, 6]), T("f64", [0], ()), [2], strides=[2])


dots()
convs()
windows()
