"""Golden cases for type conversion and shape operations (shape.json) and for
tensor builders (build.json)."""

import math

import numpy as np

from gen import INF, NAN, T, case, convert, to_float

F = "shape"
B = "build"


def astype():
    def conv(name, t, dst, **kw):
        want = T(dst, [convert(v, t.dtype, dst) for v in t.vals], t.shape, exact=True)
        case(F, name, "AsType", [t], want, params={"dtype": dst}, **kw)

    fl = [NAN, INF, -INF, -1.9, -0.5, 0.5, 1.9, 127.5, 128, -129, 300, 1e10]
    conv("f32_to_s8_saturates", T("f32", fl), "s8")
    conv("f64_to_u8_saturates", T("f64", fl), "u8")
    conv("f32_to_s32_nonfinite", T("f32", [INF, NAN, -INF, 2147483520, -2147483648]), "s32")
    conv("f64_to_s64_limits", T("f64", [9.3e18, -9.3e18, 2.0**63, -(2.0**63), 2.0**62, -1.5]), "s64")
    conv("f64_to_u64_limits", T("f64", [1.9e19, 2.0**64, 2.0**63, -1, 1e19, NAN]), "u64")
    conv("f16_to_s16", T("f16", [65504, -65504, 1.5, -2.5]), "s16")
    conv("bf16_to_u32", T("bf16", [3e38, 1.5, -1, 65536]), "u32")
    conv("s32_to_s8_wraps", T("s32", [127, 128, 255, 256, -129, -2**31]), "s8")
    conv("u64_to_s64_wraps", T("u64", [2**64 - 1, 2**63, 5]), "s64")
    conv("s8_to_u8_wraps", T("s8", [-1, -128, 127]), "u8")
    conv("s8_to_u64_wraps", T("s8", [-1, 3]), "u64")
    conv("u16_to_s16_wraps", T("u16", [65535, 32768, 32767]), "s16")
    conv("s64_to_f32_rounds", T("s64", [2**53 + 1, 16777217, -(2**63), 2**62 + 2**38]), "f32")
    conv("u64_to_f64", T("u64", [2**64 - 1, 2**53 + 1, 0]), "f64")
    conv("s32_to_f16", T("s32", [65504, 65520, 70000, 2049, -3]), "f16")
    conv("u8_to_bf16", T("u8", [255, 129, 1]), "bf16")
    conv("f64_to_f32_rounds", T("f64", [0.1, 1e39, 1e-46, -1e-39, NAN, -INF]), "f32")
    conv("f64_to_f16", T("f64", [0.1, 65519, 65520, 1e-8, 3e-8, 6e-5, -INF, NAN]), "f16")
    conv("f32_to_bf16_rounds", T("f32", [1 / 3, 1.00390625, 1.01171875, 3.4e38, 1e-40, NAN]), "bf16")
    conv("bf16_to_f16", T("bf16", [1e5, 0.1, 1e-10, -2]), "f16")
    conv("f16_to_f64", T("f16", [0.1, 6e-8, 65504, -INF]), "f64")
    conv("c64_to_f32_real", T("c64", [1 + 2j, -3 - 4j]), "f32")
    conv("c128_to_s32_real", T("c128", [-2.7 + 9j, 1e20]), "s32")
    conv("f32_to_c64", T("f32", [1.5, NAN, -INF]), "c64")
    conv("s16_to_c128", T("s16", [-32768, 7]), "c128")
    conv("c128_to_c64", T("c128", [0.1 + 0.2j, 1e300j]), "c64")
    conv("empty", T("f32", [], (0, 2)), "s64")
    conv("scalar", T("f64", [-7.9], ()), "s32")
    conv("same_type", T("u16", [1, 2]), "u16")

    def bitcast(name, t, dst, npsrc, npdst):
        raw = np.array(t.vals, dtype=npsrc) if npsrc else None
        vals = raw.view(npdst).reshape(-1).tolist()
        case(F, name, "Bitcast", [t], T(dst, vals, t.shape, exact=True), params={"dtype": dst})

    bitcast("f32_to_s32", T("f32", [1.0, -0.0, INF, -2.5]), "s32", np.float32, np.int32)
    bitcast("f32_to_u32", T("f32", [1.0, -0.0, 1e-45]), "u32", np.float32, np.uint32)
    bitcast("s8_to_u8", T("s8", [-1, -128, 5], (3, 1)), "u8", np.int8, np.uint8)
    bitcast("u64_to_f64", T("u64", [0x3FF0000000000000, 0x8000000000000000, 1]), "f64", np.uint64, np.float64)
    bitcast("f16_to_u16", T("f16", [1.0, -2.0, 65504]), "u16", np.float16, np.uint16)
    bitcast("f64_to_c64", T("f64", [1.0, -2.0], (2,)), "c64", np.float64, np.complex64)
    bitcast("empty", T("s16", [], (0,)), "u16", np.int16, np.uint16)
    # bf16 has no NumPy type: its bits are the top half of a float32's.
    vals = [1.0, -2.0, 0.1]
    bits = [int(np.array([to_float(v, "bf16")], dtype=np.float32).view(np.uint32)[0]) >> 16 for v in vals]
    case(F, "bf16_to_u16", "Bitcast", [T("bf16", vals)], T("u16", bits), params={"dtype": "u16"})
    case(F, "u16_to_bf16", "Bitcast", [T("u16", bits)], T("bf16", vals), params={"dtype": "bf16"})


def reshapes():
    x = T("s32", list(range(6)), (2, 3))
    case(F, "2x3_to_3x2", "Reshape", [x], T("s32", list(range(6)), (3, 2)), params={"shape": [3, 2]})
    case(F, "infer", "Reshape", [x], T("s32", list(range(6)), (1, 6, 1)), params={"shape": [1, -1, 1]})
    case(F, "to_scalar", "Reshape", [T("f32", [2.5], (1, 1))], T("f32", [2.5], ()), params={"shape": []})
    case(F, "from_scalar", "Reshape", [T("f32", [2.5], ())], T("f32", [2.5], (1, 1, 1)), params={"shape": [1, 1, 1]})
    case(F, "empty", "Reshape", [T("u8", [], (0, 3))], T("u8", [], (3, 0, 2)), params={"shape": [3, 0, 2]})
    case(F, "same_shape", "Reshape", [x], x, params={"shape": [2, 3]})
    case(F, "2d", "Flatten", [x], T("s32", list(range(6))))
    case(F, "scalar", "Flatten", [T("c64", [1j], ())], T("c64", [1j]))
    case(F, "empty", "Flatten", [T("f64", [], (2, 0, 3))], T("f64", [], (0,)))

    y = T("f32", [1, 2, 3], (1, 3, 1))
    case(F, "all", "Squeeze", [y], T("f32", [1, 2, 3]))
    case(F, "axes", "Squeeze", [y], T("f32", [1, 2, 3], (3, 1)), opts={"axes": [0]})
    case(F, "negative_axes", "Squeeze", [y], T("f32", [1, 2, 3], (1, 3)), opts={"axes": [-1]})
    case(F, "to_scalar", "Squeeze", [T("s8", [4], (1, 1))], T("s8", [4], ()))
    case(F, "nothing_to_squeeze", "Squeeze", [x], x)
    case(F, "empty", "Squeeze", [T("u8", [], (1, 0, 1))], T("u8", [], (0,)))

    case(F, "front", "NewAxis", [x], T("s32", list(range(6)), (1, 2, 3)), params={"axis": 0})
    case(F, "middle", "NewAxis", [x], T("s32", list(range(6)), (2, 1, 3)), params={"axis": 1})
    case(F, "back_negative", "NewAxis", [x], T("s32", list(range(6)), (2, 3, 1)), params={"axis": -1})
    case(F, "scalar", "NewAxis", [T("f64", [1], ())], T("f64", [1], (1,)), params={"axis": 0})
    case(F, "empty", "NewAxis", [T("f64", [], (0,))], T("f64", [], (0, 1)), params={"axis": 1})


def transposes():
    def tr(name, t, perm=None, **kw):
        arr = np.arange(t.size).reshape(t.shape)
        idx = np.transpose(arr, perm).reshape(-1)
        opts = {"axes": perm} if perm is not None else None
        want = T(t.dtype, [t.vals[i] for i in idx], np.transpose(arr, perm).shape, exact=True)
        case(F, name, "Transpose", [t], want, opts=opts, **kw)

    tr("2d_default", T("s32", list(range(6)), (2, 3)))
    tr("3d_default", T("f32", list(range(24)), (2, 3, 4)))
    tr("3d_perm", T("u8", list(range(24)), (2, 3, 4)), [1, 2, 0])
    tr("3d_negative_perm", T("f64", list(range(24)), (2, 3, 4)), [-1, 0, -2])
    tr("4d_perm", T("s64", list(range(120)), (2, 3, 4, 5)), [3, 1, 0, 2])
    tr("identity", T("c64", [1, 2j, 3, 4j], (2, 2)), [0, 1])
    tr("1d", T("bf16", [1, 2, 3]))
    tr("scalar", T("f16", [1], ()))
    tr("empty", T("f32", [], (0, 3)))

    def bc(name, t, shape, axes=None):
        if axes is None:
            src = np.arange(t.size).reshape(t.shape)
            idx = np.broadcast_to(src, shape).reshape(-1)
        else:
            sh = [1] * len(shape)
            for i, a in enumerate(axes):
                sh[a % len(shape)] = t.shape[i]
            idx = np.broadcast_to(np.arange(t.size).reshape(sh), shape).reshape(-1)
        want = T(t.dtype, [t.vals[i] for i in idx], shape, exact=True)
        case(F, name, "Broadcast", [t], want, params={"shape": list(shape)},
             opts={"axes": axes} if axes is not None else None)

    bc("row_to_matrix", T("f32", [1, 2, 3]), (2, 3))
    bc("size1_axes", T("s8", [7], (1,)), (2, 2))
    bc("scalar", T("c128", [1 + 1j], ()), (2, 3))
    bc("middle", T("u16", [1, 2, 3, 4, 5, 6], (2, 1, 3)), (2, 4, 3))
    bc("with_axes_column", T("f64", [1, 2, 3]), (3, 2), axes=[0])
    bc("with_axes_3d", T("s32", [1, 2, 3, 4, 5, 6], (2, 3)), (2, 4, 3), axes=[0, 2])
    bc("with_negative_axes", T("s32", [1, 2]), (2, 3), axes=[-2])
    bc("empty", T("f32", [], (0,)), (2, 0))
    bc("same_shape", T("u8", [1, 2]), (2,))

    a, like = T("f32", [1, 2], (2, 1)), T("u8", [0] * 6, (2, 3))
    case(F, "column", "BroadcastTo", [a, like], T("f32", [1, 1, 1, 2, 2, 2], (2, 3)))
    case(F, "scalar", "BroadcastTo", [T("s64", [5], ()), T("f64", [0, 0])], T("s64", [5, 5]))
    case(F, "empty", "BroadcastTo", [T("s8", [1]), T("s8", [], (3, 0))], T("s8", [], (3, 0)))


def builders():
    def iota(name, shape, axis=None, dtype="s64"):
        opts = {}
        if axis is not None:
            opts["axis"] = axis
        if dtype != "s64":
            opts["type"] = dtype
        n = math.prod(shape)
        if axis is None:
            vals = list(range(n))
        else:
            a = axis % len(shape)
            inner = math.prod(shape[a + 1:])
            vals = [(i // inner) % shape[a] for i in range(n)]
        want = T(dtype, [convert(v, "s64", dtype) for v in vals], shape, exact=True)
        case(B, name, "Iota", [], want, opts=opts, params={"shape": list(shape)})

    iota("1d", (5,))
    iota("2d_flat", (2, 3))
    iota("axis0", (3, 2), axis=0)
    iota("axis1", (2, 3), axis=1)
    iota("axis_negative", (2, 3, 2), axis=-2)
    iota("type_f32", (4,), dtype="f32")
    iota("type_u8_wraps", (300,), dtype="u8")
    iota("type_bf16", (2, 3), axis=1, dtype="bf16")
    iota("scalar", ())
    iota("empty", (0, 4), axis=1)

    def eye(name, dtype, shape):
        s = shape if len(shape) > 1 else shape * 2
        arr = np.broadcast_to(np.eye(s[-2], s[-1], dtype=np.int64), s)
        case(B, name, "Eye", [], from_np_as(arr, dtype), params={"dtype": dtype, "shape": list(shape)})

    eye("square_f32", "f32", [3])
    eye("rect_s8", "s8", [2, 4])
    eye("tall_u8", "u8", [3, 2])
    eye("batched_f64", "f64", [2, 2, 3])
    eye("c64", "c64", [2])
    eye("empty", "s32", [0])

    def lin(name, start, stop, n, dtype="f32"):
        vals = np.linspace(np.float64(start), np.float64(stop), n, dtype=np.float64).tolist()
        want = T(dtype, [convert(v, "f64", dtype) for v in vals], (n,), exact=True)
        case(B, name, "Linspace", [], want, opts={"type": dtype} if dtype != "f32" else None,
             params={"start": repr(float(start)), "stop": repr(float(stop)), "n": n})

    lin("f32", 0, 1, 5)
    lin("f64_thirds", 0, 1, 7, "f64")
    lin("reverse", 1, -1, 4)
    lin("s64_truncates", 0, 10, 4, "s64")
    lin("u8_like_nx", 0, 10, 10, "u8")
    lin("one_point", 3, 7, 1)
    lin("empty", 0, 1, 0)
    lin("large_f64", -1e300, 1e300, 3, "f64")

    def tri(name, n, m, k):
        arr = np.tri(n, m, k, dtype=np.int64)
        case(B, name, "Tri", [], from_np_as(arr, "u8"), params={"n": n, "m": m, "k": k})

    tri("square", 3, 3, 0)
    tri("above", 3, 4, 1)
    tri("below", 4, 3, -1)
    tri("empty", 0, 2, 0)
    tri("far_above", 2, 2, 5)

    def trilu(name, op, t, k):
        arr = np.arange(t.size).reshape(t.shape)
        mask = np.tril(np.ones(t.shape[-2:], dtype=bool), k) if op == "Tril" else np.triu(np.ones(t.shape[-2:], dtype=bool), k)
        mask = np.broadcast_to(mask, t.shape).reshape(-1)
        zero = convert(0, "s64", t.dtype)
        vals = [t.vals[i] if mask[i] else zero for i in arr.reshape(-1)]
        case(B, name, op, [t], T(t.dtype, vals, t.shape, exact=True), params={"k": k})

    m = T("s32", list(range(1, 13)), (3, 4))
    for op in ["Tril", "Triu"]:
        trilu("k0", op, m, 0)
        trilu("k1", op, m, 1)
        trilu("k_minus1", op, m, -1)
        trilu("batched_f32", op, T("f32", list(range(12)), (2, 2, 3)), 0)
        trilu("c64", op, T("c64", [1j, 2, 3, 4j], (2, 2)), 0)
        trilu("empty", op, T("f64", [], (0, 3)), 0)

    for op, v in [("Zeros", 0), ("Ones", 1)]:
        for dt, shape in [("f32", [2, 3]), ("u8", []), ("bf16", [2]), ("c128", [1, 2]), ("s64", [0, 2])]:
            case(B, f"{dt}_{len(shape)}d", op, [], T(dt, [v] * math.prod(shape), shape),
                 params={"dtype": dt, "shape": shape})

    def full(name, value, dtype, shape):
        kind, _, text = value.partition(":")
        pv = int(text) if kind in ("int", "uint") else float(text)
        src = {"int": "s64", "uint": "u64", "float": "f64"}[kind]
        v = convert(pv, src, dtype)
        case(B, name, "Full", [], T(dtype, [v] * math.prod(shape), shape, exact=True),
             params={"value": value, "dtype": dtype, "shape": shape})

    full("float_to_f16", "float:1.1", "f16", [2, 2])
    full("float_to_s32_truncates", "float:-2.7", "s32", [3])
    full("float_saturates", "float:1e10", "s32", [1])
    full("int_to_s8", "int:7", "s8", [])
    full("uint_to_f64", "uint:18446744073709551615", "f64", [2])
    full("int_to_c64", "int:-3", "c64", [1, 1])
    full("empty", "float:2.5", "bf16", [0])

    def scalar(name, value, dtype):
        kind, _, text = value.partition(":")
        pv = int(text) if kind in ("int", "uint") else float(text)
        src = {"int": "s64", "uint": "u64", "float": "f64"}[kind]
        case(B, name, "Scalar", [], T(dtype, [convert(pv, src, dtype)], (), exact=True),
             params={"value": value, "dtype": dtype})

    scalar("float_to_bf16", "float:3.14159", "bf16")
    scalar("int_to_u8_wraps", "int:300", "u8")
    scalar("float_nan_to_s16", "float:nan", "s16")
    scalar("uint_to_s64_wraps", "uint:18446744073709551615", "s64")


def from_np_as(arr, dtype):
    vals = [convert(int(v), "s64", dtype) for v in np.asarray(arr).reshape(-1)]
    return T(dtype, vals, np.asarray(arr).shape, exact=True)


astype()
reshapes()
transposes()
builders()
