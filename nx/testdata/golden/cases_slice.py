"""Golden cases for slicing, indexing, joining, padding and diagonals
(slice.json)."""

import itertools

import numpy as np

from gen import T, case, convert, is_int, merge, num, wrap

F = "slice"


def arr(t):
    """t's values as a NumPy object array of its shape (Python numbers)."""
    a = np.empty(len(t.vals), dtype=object)
    a[:] = t.vals
    return a.reshape(t.shape)


def tensor(dtype, a):
    a = np.asarray(a, dtype=object)
    return T(dtype, list(a.reshape(-1)), a.shape, exact=True)


def slices():
    x = T("s32", list(range(24)), (2, 3, 4))

    def sl(name, t, starts, lengths, strides=None):
        a = arr(t)
        idx = []
        for s, n, d, st in zip(starts, lengths, t.shape, strides or [1] * len(starts)):
            s = max(0, min(s, d - n))
            idx.append(slice(s, s + n, st))
        opts = {"strides": strides} if strides else None
        case(F, name, "Slice", [t], tensor(t.dtype, a[tuple(idx)]),
             params={"starts": starts, "lengths": lengths}, opts=opts)

    sl("3d", x, [1, 0, 1], [1, 2, 3])
    sl("clamped_start", x, [1, 2, 3], [2, 2, 2])
    sl("strides", x, [0, 0, 0], [2, 3, 4], [1, 2, 3])
    sl("single_stride", T("f32", list(range(10))), [1], [9], [4])
    sl("empty_length", T("f64", list(range(6)), (2, 3)), [0, 1], [2, 0])
    sl("scalar", T("u8", [7], ()), [], [])
    sl("c64", T("c64", [1j, 2, 3, 4j]), [1], [2])

    def sla(name, t, start, length, axis=None, stride=None):
        a = arr(t)
        ax = 0 if axis is None else axis % len(t.shape)
        d = t.shape[ax]
        s = max(0, min(start, d - length))
        idx = [slice(None)] * len(t.shape)
        idx[ax] = slice(s, s + length, stride or 1)
        opts = {}
        if axis is not None:
            opts["axis"] = axis
        if stride:
            opts["strides"] = [stride]
        case(F, name, "SliceAlongAxis", [t], tensor(t.dtype, a[tuple(idx)]),
             params={"start": start, "length": length}, opts=opts)

    sla("axis0", x, 1, 1)
    sla("axis_negative", x, 1, 2, axis=-1)
    sla("stride", x, 0, 3, axis=1, stride=2)
    sla("clamped", T("bf16", [1, 2, 3, 4, 5]), 4, 3)

    def dyn(name, t, starts, lengths, start_dtype="s32"):
        a = arr(t)
        idx = []
        for s, n, d in zip(starts, lengths, t.shape):
            s = max(0, min(s, d - n))
            idx.append(slice(s, s + n))
        args = [t] + [T(start_dtype, [s], ()) for s in starts]
        case(F, name, "SliceDynamic", args, tensor(t.dtype, a[tuple(idx)]), params={"lengths": lengths})

    dyn("2d", T("f32", list(range(12)), (3, 4)), [1, 2], [2, 2])
    dyn("clamped_high", T("s64", list(range(12)), (3, 4)), [5, 3], [2, 2], "u8")
    dyn("clamped_negative", T("u8", list(range(12)), (3, 4)), [-1, -7], [1, 3], "s64")

    def put(name, t, starts, s, dynamic=False):
        dt = merge(t.dtype, s.dtype)
        a = np.array([convert(v, t.dtype, dt) for v in t.vals], dtype=object).reshape(t.shape)
        idx = []
        for st, n, d in zip(starts, s.shape, t.shape):
            st = max(0, min(st, d - n))
            idx.append(slice(st, st + n))
        a[tuple(idx)] = np.array([convert(v, s.dtype, dt) for v in s.vals], dtype=object).reshape(s.shape)
        if dynamic:
            case(F, name, "PutSliceDynamic", [t, s] + [T("s32", [v], ()) for v in starts], tensor(dt, a))
        else:
            case(F, name, "PutSlice", [t, s], tensor(dt, a), params={"starts": starts})

    put("2d", T("f32", [0] * 12, (3, 4)), [1, 1], T("f32", [1, 2, 3, 4], (2, 2)))
    put("clamped", T("s32", list(range(6)), (2, 3)), [1, 2], T("s32", [-1, -2], (1, 2)))
    put("merge_types", T("u8", [1, 2, 3]), [0], T("s8", [-1]))
    put("whole", T("f64", [1, 2]), [0], T("f64", [3, 4]))
    put("dyn_2d", T("s16", [0] * 9, (3, 3)), [2, -1], T("s16", [5, 6], (1, 2)), dynamic=True)
    put("dyn_clamped", T("f32", [0] * 4), [9], T("f32", [1, 2]), dynamic=True)
    put("dyn_1d", T("u8", [0] * 5), [1], T("u8", [9, 8]), dynamic=True)


def indexing():
    x = T("f32", list(range(12)), (3, 4))

    def take(name, t, idx, axis=None):
        a = arr(t)
        i = np.array(idx.vals, dtype=np.int64).reshape(idx.shape)
        want = np.take(a, i, axis=0 if axis is None else axis)
        case(F, name, "Take", [t, idx], tensor(t.dtype, want), opts={"axis": axis} if axis is not None else None)

    take("axis0", x, T("s64", [2, 0, 2]))
    take("axis1_2d_indices", x, T("s32", [3, 0, 1, 1], (2, 2)), axis=1)
    take("axis_negative", T("s8", list(range(8)), (2, 2, 2)), T("u8", [1]), axis=-1)
    take("scalar_index", x, T("s32", [1], ()), axis=1)
    take("empty_indices", x, T("s64", [], (0,)))

    def along(name, t, idx, axis=None):
        a = arr(t)
        i = np.array(idx.vals, dtype=np.int64).reshape(idx.shape)
        want = np.take_along_axis(a, i, axis=0 if axis is None else axis)
        case(F, name, "TakeAlongAxis", [t, idx], tensor(t.dtype, want), opts={"axis": axis} if axis is not None else None)

    along("axis1", x, T("s64", [3, 2, 1, 0, 0, 0, 1, 1, 2, 2, 3, 3], (3, 4)), axis=1)
    along("axis0_fewer", x, T("s32", [2, 1, 0, 0], (1, 4)))
    along("3d_negative", T("c64", [1, 2j, 3, 4j, 5, 6, 7, 8j], (2, 2, 2)), T("u8", [1, 1, 0, 0], (2, 2, 1)), axis=-1)

    def gather(name, t, idx, axes=None):
        a = arr(t)
        i = np.array(idx.vals, dtype=np.int64).reshape(idx.shape)
        k = idx.shape[-1]
        ax = list(range(k)) if axes is None else [v % len(t.shape) for v in axes]
        moved = np.moveaxis(a, ax, list(range(k)))
        want = moved[tuple(i[..., j] for j in range(k))]
        case(F, name, "Gather", [t, idx], tensor(t.dtype, want), opts={"axes": axes} if axes is not None else None)

    gather("elements", x, T("s32", [0, 0, 2, 3, 1, 2], (3, 2)))
    gather("rows", x, T("s64", [2, 0], (2, 1)))
    gather("batched_indices", T("u16", list(range(24)), (2, 3, 4)), T("s32", [1, 2, 0, 0, 1, 1, 0, 1], (2, 2, 2)))
    gather("axes_option", T("f64", list(range(24)), (2, 3, 4)), T("s32", [3, 0, 1], (3, 1)), axes=[2])
    gather("axes_two", T("s8", list(range(24)), (2, 3, 4)), T("s32", [1, 3, 0, 0], (2, 2)), axes=[0, 2])

    def indexed(name, op, t, idx, upd, axes=None):
        dt = merge(t.dtype, upd.dtype)
        a = np.array([convert(v, t.dtype, dt) for v in t.vals], dtype=object).reshape(t.shape)
        i = np.array(idx.vals, dtype=np.int64).reshape(idx.shape)
        u = np.array([convert(v, upd.dtype, dt) for v in upd.vals], dtype=object).reshape(upd.shape)
        if i.ndim == 1 and u.ndim == 0:
            i, u = i.reshape(1, -1), u.reshape(1)
        k = i.shape[1]
        ax = list(range(k)) if axes is None else [v % len(t.shape) for v in axes]
        rest = [d for d in range(len(t.shape)) if d not in ax]
        for r in range(i.shape[0]):
            w = np.asarray(u[r], dtype=object)
            for pos in itertools.product(*[range(n) for n in w.shape]):
                full = [0] * len(t.shape)
                for j, d in enumerate(ax):
                    full[d] = int(i[r, j])
                for j, d in enumerate(rest):
                    full[d] = pos[j]
                full = tuple(full)
                if op == "IndexedAdd":
                    s = a[full] + w[pos]
                    a[full] = wrap_or(s, dt)
                else:
                    a[full] = w[pos]
        case(F, name, op, [t, idx, upd], tensor(dt, a), opts={"axes": axes} if axes is not None else None)

    for op in ["IndexedAdd", "IndexedPut"]:
        indexed("elements_repeated", op, T("f32", [0] * 6, (2, 3)), T("s64", [0, 1, 1, 2, 0, 1], (3, 2)), T("f32", [1, 2, 4]))
        indexed("rows", op, T("s32", list(range(6)), (3, 2)), T("s32", [2, 0], (2, 1)), T("s32", [10, 20, 30, 40], (2, 2)))
        indexed("window", op, T("f64", [0] * 12, (3, 4)), T("s32", [1], (1, 1)), T("f64", [1, 2], (1, 2)))
        indexed("axes_option", op, T("u8", [0] * 6, (2, 3)), T("s32", [2, 0], (2, 1)), T("u8", [7, 8, 9, 250], (2, 2)), axes=[1])
        indexed("merge_types", op, T("u8", [1, 2, 3]), T("s32", [0, 2], (2, 1)), T("f32", [0.5, 0.25]))
        indexed("single_element", op, T("s8", [127, 0, 0, 0], (2, 2)), T("s32", [0, 0]), T("s8", [1], ()))


def wrap_or(v, dt):
    """Wraps an integer to dt or rounds a float to it."""
    if is_int(dt):
        return wrap(int(v), dt)
    return convert(v, dt, dt)


def joins():
    a = T("s32", [1, 2, 3, 4], (2, 2))
    b = T("s32", [5, 6], (1, 2))

    def concat(name, ts, axis=None):
        dt = ts[0].dtype
        for t in ts[1:]:
            dt = merge(dt, t.dtype)
        arrs = [np.array([convert(v, t.dtype, dt) for v in t.vals], dtype=object).reshape(t.shape) for t in ts]
        want = np.concatenate(arrs, axis=0 if axis is None else axis)
        case(F, name, "Concatenate", ts, tensor(dt, want), opts={"axis": axis} if axis is not None else None)

    concat("axis0", [a, b])
    concat("axis1_merge", [a, T("f32", [0.5, 1.5], (2, 1))], axis=1)
    concat("three_negative_axis", [T("u8", [1], (1, 1)), T("u8", [2, 3], (1, 2)), T("u8", [4], (1, 1))], axis=-1)
    concat("with_empty", [T("f64", [], (0, 2)), T("f64", [1, 2], (1, 2))])
    concat("single", [a])

    def stack(name, ts, axis=None):
        dt = ts[0].dtype
        for t in ts[1:]:
            dt = merge(dt, t.dtype)
        arrs = [np.array([convert(v, t.dtype, dt) for v in t.vals], dtype=object).reshape(t.shape) for t in ts]
        want = np.stack(arrs, axis=0 if axis is None else axis)
        case(F, name, "Stack", ts, tensor(dt, want), opts={"axis": axis} if axis is not None else None)

    stack("axis0", [a, a])
    stack("axis1", [a, T("s8", [-1, -2, -3, -4], (2, 2)), a], axis=1)
    stack("last_negative", [T("f32", [1, 2]), T("f32", [3, 4])], axis=-1)
    stack("scalars", [T("c64", [1j], ()), T("c64", [2], ())])

    x = T("f32", list(range(12)), (3, 4))

    def split(name, op, t, arg, axis=None):
        a = arr(t)
        ax = 0 if axis is None else axis
        d = t.shape[ax]
        if op == "SplitN":
            sizes = [d // arg] * arg
            params = {"n": arg}
        else:
            sizes = list(arg)
            if -1 in sizes:
                sizes[sizes.index(-1)] = d - (sum(sizes) + 1)
            params = {"sizes": arg}
        cuts = np.cumsum(sizes)[:-1]
        pieces = np.split(a, cuts, axis=ax)
        for k, p in enumerate(pieces):
            case(F, f"{name}_{k}", op, [t], tensor(t.dtype, p), params=dict(params, index=k),
                 opts={"axis": axis} if axis is not None else None)

    split("rows", "Split", x, [1, 2])
    split("inferred_axis1", "Split", x, [1, -1, 1], axis=1)
    split("n_axis_negative", "SplitN", x, 2, axis=-1)
    split("n3", "SplitN", x, 3)


def pads():
    def pad(name, t, value, config):
        dt = merge(t.dtype, value.dtype) if not value.weak else t.dtype
        a = np.array([convert(v, t.dtype, dt) for v in t.vals], dtype=object).reshape(t.shape)
        pv = convert(value.vals[0], value.dtype, dt)
        for ax, (lo, hi, interior) in enumerate(config):
            n = a.shape[ax]
            size = n + max(n - 1, 0) * interior
            shape = list(a.shape)
            shape[ax] = size
            b = np.full(shape, pv, dtype=object)
            idx = [slice(None)] * a.ndim
            idx[ax] = slice(0, size, interior + 1)
            b[tuple(idx)] = a
            # low/high: add padding or crop
            lo_shape = list(b.shape)
            lo_shape[ax] = max(lo, 0)
            hi_shape = list(b.shape)
            hi_shape[ax] = max(hi, 0)
            b = np.concatenate([np.full(lo_shape, pv, dtype=object), b, np.full(hi_shape, pv, dtype=object)], axis=ax)
            idx = [slice(None)] * a.ndim
            idx[ax] = slice(max(-lo, 0), b.shape[ax] - max(-hi, 0))
            a = b[tuple(idx)]
        case(F, name, "Pad", [t, value], tensor(dt, a), params={"config": [list(c) for c in config]})

    pad("low_high", T("s32", [1, 2, 3]), num(0), [(2, 1, 0)])
    pad("interior_2d", T("f32", [1, 2, 3, 4], (2, 2)), T("f32", [9], ()), [(1, 0, 1), (0, 1, 2)])
    pad("negative_crops", T("u8", list(range(12)), (3, 4)), num(7), [(-1, 1, 0), (1, -2, 1)])
    pad("merge_types", T("s8", [1, -1]), T("f64", [0.5], ()), [(1, 1, 1)])
    pad("scalar_no_axes", T("c64", [1j], ()), num(0), [])
    pad("empty_axis", T("f64", [], (0,)), num(1.5), [(1, 2, 3)])

    def rev(name, t, axes=None):
        a = arr(t)
        want = np.flip(a, axis=None if axes is None else tuple(axes))
        case(F, name, "Reverse", [t], tensor(t.dtype, want), opts={"axes": axes} if axes is not None else None)

    rev("all", T("s32", list(range(6)), (2, 3)))
    rev("axis1", T("f32", list(range(6)), (2, 3)), [1])
    rev("3d_two_axes", T("u8", list(range(24)), (2, 3, 4)), [0, -1])
    rev("scalar", T("f64", [1], ()))
    rev("empty", T("f64", [], (2, 0)))

    def tile(name, t, reps):
        want = np.tile(arr(t), reps)
        case(F, name, "Tile", [t], tensor(t.dtype, want), params={"reps": reps})

    tile("1d", T("s32", [1, 2]), [3])
    tile("fewer_reps", T("f32", [1, 2, 3, 4], (2, 2)), [2])
    tile("more_reps", T("u8", [1, 2]), [2, 1, 2])
    tile("zero", T("f64", [1, 2]), [0])
    tile("scalar", T("c64", [1j], ()), [2, 2])

    def diag(name, t, k):
        a = arr(t)
        n = t.shape[-1] + abs(k)
        zero = convert(0, "s64", t.dtype)
        out = np.full(t.shape[:-1] + (n, n), zero, dtype=object)
        for idx in itertools.product(*[range(d) for d in t.shape[:-1]]):
            for i in range(t.shape[-1]):
                r, c = (i, i + k) if k >= 0 else (i - k, i)
                out[idx + (r, c)] = a[idx + (i,)]
        case(F, name, "MakeDiagonal", [t], tensor(t.dtype, out), params={"k": k})

    diag("main", T("s32", [1, 2, 3]), 0)
    diag("above", T("f32", [1, 2]), 1)
    diag("below_batched", T("u8", [1, 2, 3, 4], (2, 2)), -2)

    def takediag(name, t, k):
        want = np.diagonal(arr(t), k, axis1=-2, axis2=-1)
        case(F, name, "TakeDiagonal", [t], tensor(t.dtype, want), params={"k": k})

    takediag("main", T("s32", list(range(9)), (3, 3)), 0)
    takediag("above_rect", T("f32", list(range(12)), (3, 4)), 1)
    takediag("below_batched", T("s64", list(range(24)), (2, 3, 4)), -1)
    takediag("far_above", T("c64", [1, 2, 3j, 4, 5, 6], (2, 3)), 2)


slices()
indexing()
joins()
pads()
