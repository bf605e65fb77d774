"""Golden cases for elementwise functions of two operands (binary.json) and for
comparisons, logical operations, Select and Clip (compare.json)."""

import itertools

import numpy as np

from gen import INF, NAN, T, case, convert, ewise, limits, merge, num, result_type

S64LO, S64HI = limits("s64")
U64HI = 2**64 - 1


def binop(file, name, op, fn, a, b, out=None, compute=None, **kw):
    """A case whose expected value is fn over the broadcast operands converted
    to the merged type (or compute), with the result in out."""
    merged = result_type([a, b])
    want = ewise(fn, out or merged, [a, b], compute or out or merged)
    case(file, name, op, [a, b], want, **kw)


def f64(fn):
    """Lifts a NumPy float64 function to Python numbers (NaN/Inf without errors)."""
    return lambda x, y: float(fn(np.float64(x), np.float64(y)))


def fmax(x, y):
    if x != x or y != y:
        return NAN
    return max(x, y)


def fmin(x, y):
    if x != x or y != y:
        return NAN
    return min(x, y)


def quot(x, y):
    q = abs(x) // abs(y)
    return q if (x >= 0) == (y >= 0) else -q


def rem(x, y):
    if isinstance(x, int):
        return x - y * quot(x, y)
    return float(np.fmod(np.float64(x), np.float64(y)))


def div(x, y):
    if isinstance(x, complex):
        return x / y
    return float(np.float64(x) / np.float64(y))


def power(x, y):
    if isinstance(x, int):
        return x**y
    if isinstance(x, complex):
        return x**y
    return float(np.power(np.float64(x), np.float64(y)))


def add(x, y): return x + y
def sub(x, y): return x - y
def mul(x, y): return x * y


F = "binary"
F32S = [1.5, INF, -INF, NAN, 3e38, -0.0, 0.0, -2.75]


def arithmetic():
    f32b = T("f32", [2.25, -INF, -INF, 1, 3e38, -0.0, -0.0, 1e-45])
    for op, fn in [("Add", add), ("Subtract", sub), ("Multiply", mul)]:
        binop(F, "f32_specials", op, fn, T("f32", F32S), f32b)
        binop(F, "f64_broadcast_2x1_3", op, fn, T("f64", [0.1, -1e300], (2, 1)), T("f64", [0.2, 1e300, -7]))
        binop(F, "u8_wraps", op, fn, T("u8", [250, 255, 0, 16]), T("u8", [10, 1, 1, 16]))
        binop(F, "s8_wraps", op, fn, T("s8", [127, -128, -1, -128]), T("s8", [1, -1, 1, -128]))
        binop(F, "s64_limits", op, fn, T("s64", [S64HI, S64LO, S64HI]), T("s64", [1, -1, S64HI]))
        binop(F, "u64_limits", op, fn, T("u64", [U64HI, 0, 2**32]), T("u64", [1, 1, 2**32]))
        binop(F, "s32_broadcast", op, fn, T("s32", [1, -2], (2, 1)), T("s32", [10, 20, -30]))
        binop(F, "u8_s8_gives_s16", op, fn, T("u8", [200, 255]), T("s8", [-1, 127]))
        binop(F, "u32_s32_gives_s64", op, fn, T("u32", [2**32 - 1]), T("s32", [-(2**31)]))
        binop(F, "s32_f32_gives_f32", op, fn, T("s32", [16777217, -3]), T("f32", [0.5, 0.25]))
        binop(F, "f16_bf16_gives_f32", op, fn, T("f16", [1.5, 0.1]), T("bf16", [3, 0.1]))
        binop(F, "f64_c64_gives_c128", op, fn, T("f64", [0.1]), T("c64", [1 + 2j]))
        binop(F, "f16_rounding", op, fn, T("f16", [65504, 0.1, 6e-8]), T("f16", [32, 0.2, 3]))
        binop(F, "bf16_rounding", op, fn, T("bf16", [1, 3e38, 1.5]), T("bf16", [2**-8, 3e38, 1 / 3]))
        binop(F, "c128", op, fn, T("c128", [1 + 2j, -0.5j]), T("c128", [3 - 4j, 2 + 2j]))
        binop(F, "weak_int_keeps_u8", op, fn, T("u8", [254, 255, 3]), num(3))
        binop(F, "weak_int_left_s16", op, fn, num(-2), T("s16", [100, -32768]))
        binop(F, "weak_float_s32_gives_f32", op, fn, T("s32", [1, -3]), num(0.5))
        binop(F, "weak_float_keeps_f16", op, fn, T("f16", [1, 2048]), num(1.0))
        binop(F, "weak_complex_f64_gives_c128", op, fn, T("f64", [2.0]), num(1j))
        binop(F, "weak_complex_f32_gives_c64", op, fn, num(1 + 1j), T("f32", [2.0, 0.5]))
        binop(F, "empty_0x3_3", op, fn, T("f32", [], (0, 3)), T("f32", [1, 2, 3]))
        binop(F, "empty_2x0_1", op, fn, T("s64", [], (2, 0)), T("s64", [5], (1,)))
        binop(F, "scalars", op, fn, T("f64", [0.5], ()), T("f64", [4], ()))
        binop(F, "scalar_broadcast", op, fn, T("s32", [3], ()), T("s32", [1, 2, 3, 4], (2, 2)))
    # Numbers widen integer types only as far as their value needs
    # (Nx.Type.merge_number).
    case(F, "weak_int_out_of_range", "Add", [T("u8", [1, 255]), num(256)], T("u16", [257, 511]))
    case(F, "weak_negative_with_unsigned", "Add", [T("u8", [1, 255]), num(-1)], T("s16", [0, 254]))
    case(F, "weak_int_fits", "Add", [T("s8", [1, -128]), num(127)], T("s8", [-128, -1]))


# The smallest and largest values of each type: (lowest, highest, smallest
# positive) for floats, (min, max) for integers.
FLOAT_LIMITS = {
    "f16": (-65504.0, 65504.0, 2.0**-24),
    "bf16": (-3.3895313892515355e38, 3.3895313892515355e38, 2.0**-133),
    "f32": (-3.4028234663852886e38, 3.4028234663852886e38, 2.0**-149),
    "f64": (-1.7976931348623157e308, 1.7976931348623157e308, 5e-324),
}


def type_limits():
    from gen import INTS
    for dt in INTS:
        lo, hi = limits(dt)
        a = T(dt, [lo, hi, lo, hi, 0])
        b = T(dt, [(1 if lo == 0 else -1), 1, hi, lo, lo])
        binop(F, f"limits_{dt}", "Add", add, a, b)
        binop(F, f"limits_{dt}", "Subtract", sub, a, b)
        binop(F, f"limits_{dt}", "Multiply", mul, a, b)
        cmpop(f"limits_{dt}", "Less", lambda x, y: x < y, a, b)
    for dt, (lo, hi, tiny) in FLOAT_LIMITS.items():
        a = T(dt, [lo, hi, tiny, -tiny, hi, tiny])
        b = T(dt, [lo, hi, tiny, tiny, -hi, 0.5])
        binop(F, f"limits_{dt}", "Add", add, a, b)
        binop(F, f"limits_{dt}", "Subtract", sub, a, b)
        binop(F, f"limits_{dt}", "Multiply", mul, a, b)
        binop(F, f"limits_{dt}", "Divide", div, a, b)
        cmpop(f"limits_{dt}", "Less", lambda x, y: x < y, a, b)


def division():
    binop(F, "s32_gives_f32", "Divide", div, T("s32", [7, -7, 1, 0, -1]), T("s32", [2, 2, 0, 0, 0]), out="f32")
    binop(F, "u8_weak_gives_f32", "Divide", div, T("u8", [1, 255]), num(2), out="f32")
    binop(F, "weak_left_s64_gives_f32", "Divide", div, num(1), T("s64", [3, -4]), out="f32")
    binop(F, "f32_specials", "Divide", div, T("f32", [INF, 1, 1, NAN, 1e-45, 3e38]), T("f32", [INF, -0.0, 0.0, 1, 2, 1e-3]))
    binop(F, "f64_broadcast", "Divide", div, T("f64", [1, 2, 3, 4, 5, 6], (2, 3)), T("f64", [3, 7], (2, 1)))
    binop(F, "f16", "Divide", div, T("f16", [1, 65504, 1]), T("f16", [3, 0.5, 6e-8]))
    binop(F, "c128", "Divide", div, T("c128", [1 + 2j, 1j]), T("c128", [3 - 4j, 1 + 1j]), ulps=4)
    binop(F, "empty", "Divide", div, T("s32", [], (0,)), T("s32", [], (0,)), out="f32")

    binop(F, "s32_truncates", "Quotient", quot, T("s32", [7, -7, 7, -7, 0]), T("s32", [2, 2, -2, -2, 5]))
    binop(F, "s8_min_by_minus_one_wraps", "Quotient", quot, T("s8", [-128, -128, 127]), T("s8", [-1, 2, -1]))
    binop(F, "s64_limits", "Quotient", quot, T("s64", [S64LO, S64HI]), T("s64", [-1, 2]))
    binop(F, "u64_large", "Quotient", quot, T("u64", [U64HI, 2**63]), T("u64", [2, 3]))
    binop(F, "u8_broadcast", "Quotient", quot, T("u8", [255, 7], (2, 1)), T("u8", [1, 2, 255]))
    binop(F, "u8_s8_gives_s16", "Quotient", quot, T("u8", [200]), T("s8", [-3]))
    binop(F, "weak", "Quotient", quot, T("s32", [10, -10]), num(3))
    binop(F, "empty", "Quotient", quot, T("u16", [], (0, 2)), T("u16", [1, 2]))

    binop(F, "s32_sign_of_dividend", "Remainder", rem, T("s32", [7, -7, 7, -7, 0]), T("s32", [3, 3, -3, -3, 5]))
    binop(F, "s8_min_by_minus_one", "Remainder", rem, T("s8", [-128, -128]), T("s8", [-1, 3]))
    binop(F, "u64", "Remainder", rem, T("u64", [U64HI, 10]), T("u64", [2**63, 3]))
    binop(F, "f32_fmod", "Remainder", rem, T("f32", [5.5, -5.5, INF, 1, NAN, 3, -0.0]), T("f32", [2, 2, 2, INF, 1, 0, 1]))
    binop(F, "f64_broadcast", "Remainder", rem, T("f64", [10.5, -10.5], (2, 1)), T("f64", [3, -3, 0.25]))
    binop(F, "f16", "Remainder", rem, T("f16", [5.5, 1000]), T("f16", [0.75, 3]))
    binop(F, "weak", "Remainder", rem, T("s64", [-7, 8]), num(3))
    binop(F, "empty", "Remainder", rem, T("f32", [], (0,)), T("f32", [1], ()))


def powers():
    binop(F, "s32", "Pow", power, T("s32", [2, -3, 0, 1, -1, 5, 0]), T("s32", [10, 3, 0, 100, 7, 0, 3]))
    binop(F, "s64_wraps", "Pow", power, T("s64", [3, 2, 2, -2]), T("s64", [41, 63, 64, 63]))
    binop(F, "u8_wraps", "Pow", power, T("u8", [2, 3, 16, 255]), T("u8", [8, 5, 2, 2]))
    fa = [NAN, 1, -8, 0, -0.0, 2, -1, 0.5, 2, -2, 10]
    fb = [0, NAN, 1 / 3, -1, -1, 128, INF, -INF, 0.5, 3, -2]
    binop(F, "f32_specials", "Pow", power, T("f32", fa), T("f32", fb))
    binop(F, "f64_specials", "Pow", power, T("f64", fa), T("f64", fb), ulps=4)
    binop(F, "f64_broadcast", "Pow", power, T("f64", [1.5, 2.7, 0.3], (3, 1)), T("f64", [17.5, -3.25]), ulps=16)
    binop(F, "weak_float_s32_gives_f32", "Pow", power, T("s32", [2, 9]), num(0.5))
    binop(F, "bf16", "Pow", power, T("bf16", [3, 0.5]), T("bf16", [2, 3]))
    binop(F, "empty", "Pow", power, T("u8", [], (0,)), num(2))
    binop(F, "c128", "Pow", power, T("c128", [1 + 1j, 2, 1j]), T("c128", [2, 0.5, 1j]), ulps=16, atol=1e-15)

    at = f64(np.arctan2)
    ys = [0.0, -0.0, 0.0, -0.0, 1, -1, 1, -1, INF, INF, -INF, NAN, 3]
    xs = [0.0, 0.0, -0.0, -0.0, 1, 1, -1, -1, INF, -INF, 2, 1, 0]
    binop(F, "f32_quadrants", "Atan2", at, T("f32", ys), T("f32", xs))
    binop(F, "f64_quadrants", "Atan2", at, T("f64", ys), T("f64", xs), ulps=2)
    binop(F, "s32_gives_f32", "Atan2", at, T("s32", [1, -1, 0]), T("s32", [0, -1, -5]), out="f32")
    binop(F, "f16_broadcast", "Atan2", at, T("f16", [1, 2], (2, 1)), T("f16", [3, -4]))
    binop(F, "empty", "Atan2", at, T("f64", [], (0,)), T("f64", [], (0,)))


def extrema_and_bits():
    for op, fn in [("Max", fmax), ("Min", fmin)]:
        binop(F, "f32_nan_wins", op, fn, T("f32", [NAN, 1, -INF, INF, 2]), T("f32", [1, NAN, 5, 3, -0.5]))
        binop(F, "s8_limits", op, fn, T("s8", [-128, 127, 0]), T("s8", [127, -128, 0]))
        binop(F, "u64_limits", op, fn, T("u64", [U64HI, 0]), T("u64", [1, 2**63]))
        binop(F, "u8_s8_gives_s16", op, fn, T("u8", [255, 0]), T("s8", [-1, -128]))
        binop(F, "broadcast", op, fn, T("f64", [1, 5], (2, 1)), T("f64", [0, 3, 9]))
        binop(F, "weak", op, fn, T("s32", [-5, 5]), num(0))
        binop(F, "bf16", op, fn, T("bf16", [1.5, -2]), T("bf16", [1.25, -3]))
        binop(F, "empty", op, fn, T("u8", [], (0, 1)), T("u8", [1, 2]))
        binop(F, "scalar", op, fn, T("f32", [2], ()), T("f32", [1], ()))
    for op, fn in [("BitwiseAnd", lambda x, y: x & y), ("BitwiseOr", lambda x, y: x | y),
                   ("BitwiseXor", lambda x, y: x ^ y)]:
        binop(F, "s8_negative", op, fn, T("s8", [-1, -128, 85, -86]), T("s8", [127, -1, -86, 15]))
        binop(F, "u8", op, fn, T("u8", [255, 0xF0, 0x0F]), T("u8", [0x3C, 0x3C, 0xFF]))
        binop(F, "u64", op, fn, T("u64", [U64HI, 2**63]), T("u64", [2**63 + 1, 1]))
        binop(F, "u8_s8_gives_s16", op, fn, T("u8", [200]), T("s8", [-1]))
        binop(F, "broadcast", op, fn, T("s32", [1, 2, 4], (3, 1)), T("s32", [3, 6]))
        binop(F, "weak", op, fn, T("s64", [S64LO, 12]), num(-1))
        binop(F, "empty", op, fn, T("u16", [], (0,)), T("u16", [1], ()))
    shl = lambda x, y: x << y
    shr = lambda x, y: x >> y
    binop(F, "s8_wraps", "LeftShift", shl, T("s8", [1, 1, -1, 64, 3]), T("s8", [7, 8, 1, 1, 100]))
    binop(F, "u8", "LeftShift", shl, T("u8", [1, 255, 3, 1]), T("u8", [7, 1, 9, 255]))
    binop(F, "s64_limits", "LeftShift", shl, T("s64", [1, 1, -1, 3]), T("s64", [63, 64, 63, 62]))
    binop(F, "u64", "LeftShift", shl, T("u64", [1, U64HI]), T("u64", [63, 64]))
    binop(F, "broadcast_weak", "LeftShift", shl, num(1), T("u16", [0, 15, 16], (3, 1)))
    binop(F, "s32_arithmetic", "RightShift", shr, T("s32", [-8, -1, 8, S64LO >> 32, 2**31 - 1]), T("s32", [1, 40, 40, 31, 30]))
    binop(F, "s8", "RightShift", shr, T("s8", [-128, 127, -1]), T("s8", [7, 6, 7]))
    binop(F, "u8_logical", "RightShift", shr, T("u8", [128, 255, 255]), T("u8", [7, 4, 8]))
    binop(F, "u64", "RightShift", shr, T("u64", [U64HI, 2**63]), T("u64", [63, 64]))
    binop(F, "broadcast", "RightShift", shr, T("s64", [-1024, 1024], (2, 1)), T("s64", [0, 3, 10]))
    binop(F, "empty", "RightShift", shr, T("s16", [], (0,)), num(1))


# ---------------------------------------------------------------------------
# compare.json

C = "compare"


def cmpop(name, op, fn, a, b):
    want = ewise(lambda x, y: int(fn(x, y)), "u8", [a, b], result_type([a, b]))
    case(C, name, op, [a, b], want)


def truth(v):
    return v != 0


def comparisons():
    import operator
    fa = [NAN, 1, INF, -0.0, -INF, 1, NAN]
    fb = [NAN, 1, INF, 0.0, 1, NAN, 2]
    for op, fn in [("Equal", operator.eq), ("NotEqual", operator.ne), ("Less", operator.lt),
                   ("LessEqual", operator.le), ("Greater", operator.gt), ("GreaterEqual", operator.ge)]:
        cmpop("f32_specials", op, fn, T("f32", fa), T("f32", fb))
        cmpop("s8_u8_gives_s16", op, fn, T("s8", [-1, 127, -128]), T("u8", [255, 127, 0]))
        cmpop("s64_limits", op, fn, T("s64", [S64LO, S64HI, 0]), T("s64", [S64HI, S64HI, -1]))
        cmpop("broadcast", op, fn, T("s32", [1, 2], (2, 1)), T("s32", [0, 1, 2]))
        cmpop("weak_float_s32", op, fn, T("s32", [2, 3, -1]), num(2.5))
        cmpop("weak_int_f16", op, fn, T("f16", [0.5, 1, 2]), num(1))
        cmpop("bf16_f32", op, fn, T("bf16", [1 / 3, 1]), T("f32", [1 / 3, 1]))
        cmpop("empty", op, fn, T("f64", [], (0, 2)), T("f64", [1], ()))
        cmpop("scalars", op, fn, T("u64", [U64HI], ()), T("u64", [0], ()))
    for op, fn in [("Equal", operator.eq), ("NotEqual", operator.ne)]:
        cmpop("c64", op, fn, T("c64", [1 + 2j, 1, NAN]), T("c64", [1 + 2j, 1 + 1j, NAN]))
        cmpop("c128_f64", op, fn, T("c128", [2, 2 + 1j]), T("f64", [2, 2]))
    for op, fn in [("LogicalAnd", lambda x, y: truth(x) and truth(y)),
                   ("LogicalOr", lambda x, y: truth(x) or truth(y)),
                   ("LogicalXor", lambda x, y: truth(x) != truth(y))]:
        cmpop("f32_nan_is_true", op, fn, T("f32", [0, NAN, 1, -0.0]), T("f32", [1, 0, 1, 0]))
        cmpop("s8", op, fn, T("s8", [0, -1, 5, 0]), T("s8", [0, 0, -128, 7]))
        cmpop("c64", op, fn, T("c64", [0, 1j, 1, 0]), T("c64", [1, 1, 0, 0]))
        cmpop("mixed_broadcast", op, fn, T("u8", [0, 2], (2, 1)), T("f64", [0.0, 0.5, NAN]))
        cmpop("weak", op, fn, T("s32", [0, 3]), num(1))
        cmpop("empty", op, fn, T("u8", [], (0,)), T("u8", [], (0,)))


def select_clip():
    def sel(name, p, a, b, **kw):
        shape = np.broadcast_shapes(p.shape, a.shape, b.shape)
        dt = result_type([a, b])
        vals = []
        for idx in itertools.product(*[range(d) for d in shape]):
            v, src = (a.at(idx), a.dtype) if truth(p.at(idx)) else (b.at(idx), b.dtype)
            vals.append(convert(v, src, dt))
        case(C, name, "Select", [p, a, b], T(dt, vals, shape, exact=True), **kw)

    sel("u8_pred", T("u8", [1, 0, 2]), T("f32", [1, 2, 3]), T("f32", [-1, -2, -3]))
    sel("f32_pred_nan_true", T("f32", [NAN, 0, -0.0, 0.5]), T("s32", [1, 2, 3, 4]), T("s32", [9, 9, 9, 9]))
    sel("scalar_pred", T("u8", [0], ()), T("f64", [1, 2]), T("f64", [3, 4]))
    sel("broadcast_all", T("u8", [1, 0], (2, 1)), T("s8", [1, 2, 3]), T("s8", [-1], ()))
    sel("merge_s32_f32", T("u8", [1, 0]), T("s32", [16777217, 1]), T("f32", [0.5, 0.5]))
    sel("weak_branch_keeps_u8", T("u8", [1, 0]), T("u8", [200, 201]), num(7))
    sel("c64_branches", T("s64", [0, 1]), T("c64", [1j, 2]), T("f32", [3, 4]))
    sel("empty", T("u8", [], (0, 2)), T("f32", [1, 2]), T("f32", [3], ()))

    def clip(name, t, lo, hi, **kw):
        dt = merge(merge(t.dtype, lo.dtype), hi.dtype) if not (lo.weak or hi.weak) else result_type([t, lo])
        want = ewise(lambda x, a, b: fmin(fmax(x, a), b), dt, [t, lo, hi])
        case(C, name, "Clip", [t, lo, hi], want, **kw)

    clip("f32_specials", T("f32", [NAN, -INF, 0.5, 5, INF, -0.0]), T("f32", [0], ()), T("f32", [1], ()))
    clip("s32", T("s32", [-5, 0, 5, 10], (2, 2)), T("s32", [0], ()), T("s32", [6], ()))
    clip("u8_weak_bounds", T("u8", [0, 100, 255]), num(10), num(200))
    clip("s32_f32_bounds_gives_f32", T("s32", [1, 2, 3, 4, 5, 6], (2, 3)), T("f32", [2], ()), T("f32", [3.5], ()))
    clip("f64_broadcast_bounds", T("f64", [1, 2, 3, 4, 5, 6], (2, 3)), T("f64", [2, 0, 5]), T("f64", [3, 1, 5.5]))
    clip("lo_above_hi", T("f32", [0, 5, 10]), T("f32", [6], ()), T("f32", [4], ()))
    clip("empty", T("bf16", [], (0,)), T("bf16", [0], ()), T("bf16", [1], ()))


arithmetic()
division()
powers()
extrema_and_bits()
comparisons()
select_clip()
type_limits()
