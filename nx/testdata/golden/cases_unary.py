"""Golden cases for elementwise functions of one operand (unary.json)."""

import cmath
import math

import numpy as np

from gen import INF, NAN, T, case, convert, float_of, limits

F = "unary"


def np1(f):
    return lambda x: float(f(np.float64(x)))


def sigmoid(x):
    x = np.float64(x)
    if x >= 0:
        return float(1 / (1 + np.exp(-x)))
    if x != x:
        return NAN
    e = np.exp(x)
    return float(e / (1 + e))


def erfinv(y):
    """The inverse error function by Newton's method on erf (|y| <= 0.5) or on
    erfc (|y| > 0.5, where 1 - |y| is exact), accurate to float64."""
    if y != y or y < -1 or y > 1:
        return NAN
    if y == 1:
        return INF
    if y == -1:
        return -INF
    if y == 0:
        return y
    s, a = math.copysign(1, y), abs(y)
    x = 0.0 if a <= 0.5 else math.sqrt(-math.log((1 - a) / 2))
    c = 1 - a
    for _ in range(100):
        if a <= 0.5:
            step = (math.erf(x) - a) / (2 / math.sqrt(math.pi) * math.exp(-x * x))
        else:
            step = -(math.erfc(x) - c) / (2 / math.sqrt(math.pi) * math.exp(-x * x))
        x -= step
        if abs(step) <= 1e-17 * abs(x):
            break
    return s * x


GENERIC = [NAN, -INF, -10, -2.5, -1, -0.5, -0.0, 0.0, 1e-8, 0.25, 0.5, 1, 2, 3.14159265, 10, INF]
LOGS = [NAN, -INF, -1, -0.0, 0.0, 1e-40, 1e-8, 0.5, 1, 2, 10, 1e30, INF]
ROOTS = [NAN, -INF, -4, -0.0, 0.0, 1e-40, 0.25, 2, 9, 1e30, INF]
UNIT = [NAN, -INF, -1.5, -1, -0.5, -0.0, 0.0, 0.5, 0.999, 1, 1.5, INF]
CPLX = [0.5 + 1j, -1.5 + 0.25j, 2 - 3j, 0.25 - 0.5j]

# name: (float64 function, complex function or None, values, extra ints, f64 ulps, c128 ulps)
FUNCS = {
    "Exp": (np1(np.exp), cmath.exp, GENERIC + [88.5, 89, -103, -110, 709, 710], [-3, 0, 1, 2, 100], 4, 64),
    "Expm1": (np1(np.expm1), lambda z: cmath.exp(z) - 1, GENERIC + [1e-20, -1e-10, 89, 710], [-3, 0, 1, 2], 4, 64),
    "Log": (np1(np.log), cmath.log, LOGS, [0, 1, 2, 1000], 4, 64),
    "Log1p": (np1(np.log1p), lambda z: cmath.log(1 + z), LOGS + [-1.5, -0.999, 1e-20], [-1, 0, 1, 1000], 4, 64),
    "Log2": (np1(np.log2), lambda z: cmath.log(z) / math.log(2), LOGS + [1024, 0.125], [0, 1, 2, 1024], 4, 64),
    "Log10": (np1(np.log10), cmath.log10, LOGS + [1000, 1e-5], [0, 1, 10, 1000], 4, 64),
    "Sqrt": (np1(np.sqrt), cmath.sqrt, ROOTS, [0, 1, 4, 1000], 2, 64),
    "Rsqrt": (lambda x: float(1 / np.sqrt(np.float64(x))), lambda z: 1 / cmath.sqrt(z), ROOTS, [0, 1, 4, 1000], 2, 64),
    "Cbrt": (np1(np.cbrt), None, ROOTS + [-27, 8, -1e-30], [-8, 0, 1, 27], 4, 0),
    "Sigmoid": (sigmoid, lambda z: 1 / (1 + cmath.exp(-z)), GENERIC + [-40, 40, -800, 800], [-3, 0, 1, 100], 4, 64),
    "Sin": (np1(np.sin), cmath.sin, GENERIC + [1e6, 100.5, -7.5], [-3, 0, 1, 2], 4, 64),
    "Cos": (np1(np.cos), cmath.cos, GENERIC + [1e6, 100.5, -7.5], [-3, 0, 1, 2], 4, 64),
    "Tan": (np1(np.tan), cmath.tan, GENERIC + [1.5707963, 100.5, -7.5], [-3, 0, 1, 2], 4, 64),
    "Asin": (np1(np.arcsin), cmath.asin, UNIT, [-1, 0, 1, 2], 4, 64),
    # Go's math.Acos is pi/2 - Asin(x): up to ~64 ulps off near 1.
    "Acos": (np1(np.arccos), cmath.acos, UNIT, [-1, 0, 1, 2], 64, 64),
    "Atan": (np1(np.arctan), cmath.atan, GENERIC + [1e30, -1e-30], [-3, 0, 1, 2], 4, 64),
    "Sinh": (np1(np.sinh), cmath.sinh, GENERIC + [89, -89, 709, 1e-10], [-3, 0, 1, 2], 4, 64),
    "Cosh": (np1(np.cosh), cmath.cosh, GENERIC + [89, -89, 709], [-3, 0, 1, 2], 4, 64),
    "Tanh": (np1(np.tanh), cmath.tanh, GENERIC + [20, -20, 1e-10], [-3, 0, 1, 2], 4, 64),
    "Asinh": (np1(np.arcsinh), cmath.asinh, GENERIC + [1e30, -1e-10], [-3, 0, 1, 2], 4, 64),
    "Acosh": (np1(np.arccosh), cmath.acosh, [NAN, -INF, -1, 0.5, 1, 1.5, 2, 10, 1e30, INF], [0, 1, 2, 100], 4, 64),
    "Atanh": (np1(np.arctanh), cmath.atanh, UNIT + [1e-10], [-1, 0, 1, 2], 4, 64),
    "Erf": (math.erf, None, GENERIC + [6, -6, 1e-10], [-3, 0, 1, 2], 4, 0),
    "Erfc": (math.erfc, None, GENERIC + [6, 27, -6, 1e-10], [-3, 0, 1, 2], 4, 0),
    "ErfInv": (erfinv, None, [NAN, -INF, -1.5, -1, -0.999999, -0.5, -0.0, 0.0, 1e-10, 0.25, 0.9, 0.999999, 1, 1.5, INF],
               [-1, 0, 1, 2], 16, 0),
}


def near_overflow():
    # sinh and cosh of 710 are finite (1.1e308) though exp(710) is not.
    for name, f in [("Sinh", np.sinh), ("Cosh", np.cosh)]:
        t = T("f64", [710, -710])
        case(F, "f64_near_overflow", name, [t], fmap(np1(f), t), ulps=4)


def fmap(fn, t, out=None):
    """Applies a float64 function to t's values converted to its float type."""
    out = out or float_of(t.dtype)
    vals = [fn(convert(v, t.dtype, out)) for v in t.vals]
    return T(out, vals, t.shape, exact=True)


def float_funcs():
    for name, (f, cf, vals, ints, ulps64, culps) in FUNCS.items():
        for dt in ["f32", "f64", "f16", "bf16"]:
            t = T(dt, vals)
            case(F, dt, name, [t], fmap(f, t), ulps=ulps64 if dt == "f64" else None)
        case(F, "f64_2d", name, [T("f64", vals[:6], (2, 3))], fmap(f, T("f64", vals[:6], (2, 3))), ulps=ulps64)
        t = T("s32", ints)
        case(F, "s32_gives_f32", name, [t], fmap(f, t))
        t = T("u8", [v for v in ints if 0 <= v < 255][:3] + [255])
        case(F, "u8_gives_f32", name, [t], fmap(f, t))
        case(F, "empty", name, [T("f32", [], (0, 3))], T("f32", [], (0, 3)))
        t = T("f64", [vals[9]], ())
        case(F, "scalar", name, [t], fmap(f, t), ulps=ulps64)
        if cf is not None:
            for dt in ["c64", "c128"]:
                t = T(dt, CPLX, (2, 2))
                want = T(dt, [cf(v) for v in t.vals], t.shape, exact=True)
                case(F, dt, name, [t], want, ulps=4 if dt == "c64" else culps)


def round_half_away(x):
    if not math.isfinite(x):
        return x
    f = math.floor(abs(x))
    r = f + (1 if abs(x) - f >= 0.5 else 0)
    return math.copysign(float(r), x)


def sign(x):
    if x != x or x == 0:
        return x
    return 1.0 if x > 0 else -1.0


def int_like():
    s8 = T("s8", [-128, -1, 0, 1, 127])
    u8 = T("u8", [0, 1, 127, 128, 255])
    f32 = T("f32", [NAN, -INF, -1.5, -0.0, 0.0, 2.5, INF])
    s64lo, s64hi = limits("s64")

    # Negate: unsigned and the minimum signed value wrap.
    case(F, "u8_wraps", "Negate", [u8], T("u8", [0, 255, 129, 128, 1]))
    case(F, "s8_min_wraps", "Negate", [s8], T("s8", [-128, 1, 0, -1, -127]))
    case(F, "s64_limits", "Negate", [T("s64", [s64lo, s64hi])], T("s64", [s64lo, -s64hi]))
    case(F, "f32_specials", "Negate", [f32], T("f32", [NAN, INF, 1.5, 0.0, -0.0, -2.5, -INF]))
    case(F, "bf16", "Negate", [T("bf16", [1.5, -3])], T("bf16", [-1.5, 3]))
    case(F, "c64", "Negate", [T("c64", [1 + 2j, -3 - 0.5j])], T("c64", [-1 - 2j, 3 + 0.5j]))
    case(F, "empty", "Negate", [T("s32", [], (2, 0))], T("s32", [], (2, 0)))
    case(F, "scalar_u64", "Negate", [T("u64", [1], ())], T("u64", [2**64 - 1], ()))

    # Sign
    case(F, "s8", "Sign", [s8], T("s8", [-1, -1, 0, 1, 1]))
    case(F, "u8", "Sign", [u8], T("u8", [0, 1, 1, 1, 1]))
    case(F, "f32_specials", "Sign", [f32], T("f32", [sign(v) for v in f32.vals]))
    case(F, "f16", "Sign", [T("f16", [-0.001, 0, 65504])], T("f16", [-1, 0, 1]))
    case(F, "c128", "Sign", [T("c128", [3 + 4j, 0, -2j])], T("c128", [0.6 + 0.8j, 0, -1j]))
    case(F, "scalar_s64", "Sign", [T("s64", [s64lo], ())], T("s64", [-1], ()))

    # Abs: complex gives the modulus in the real type.
    case(F, "s8_min_wraps", "Abs", [s8], T("s8", [-128, 1, 0, 1, 127]))
    case(F, "u8", "Abs", [u8], u8)
    case(F, "f32_specials", "Abs", [f32], T("f32", [NAN, INF, 1.5, 0.0, 0.0, 2.5, INF]))
    case(F, "f64_2d", "Abs", [T("f64", [-1e300, 5e-324, -2, 0], (2, 2))], T("f64", [1e300, 5e-324, 2, 0], (2, 2)))
    case(F, "c64", "Abs", [T("c64", [3 + 4j, -5j, 0])], T("f32", [5, 5, 0]))
    case(F, "c128", "Abs", [T("c128", [1 + 1j, -6 - 8j])], T("f64", [math.sqrt(2), 10]))
    case(F, "c64_large", "Abs", [T("c64", [3e30 + 4e30j])], T("f32", [5e30]))
    case(F, "c128_large", "Abs", [T("c128", [3e200 - 4e200j, 3e-200 + 4e-200j])], T("f64", [5e200, 5e-200]), ulps=2)

    # Square: integers wrap.
    case(F, "u8_wraps", "Square", [T("u8", [3, 16, 255])], T("u8", [9, 0, 1]))
    case(F, "s8_wraps", "Square", [s8], T("s8", [0, 1, 0, 1, 1]))
    case(F, "f32", "Square", [f32], T("f32", [NAN, INF, 2.25, 0, 0, 6.25, INF]))
    case(F, "c64", "Square", [T("c64", [1 + 2j])], T("c64", [-3 + 4j]))

    # Floor, Ceil, Round (halves away from zero); integers pass through.
    halves = [NAN, -INF, -2.5, -1.5, -0.5, -0.2, -0.0, 0.49999997, 0.5, 1.5, 2.5, 1e20, INF]
    f64s = [0.49999999999999994, -0.49999999999999994, 4503599627370497.0, -4503599627370496.5, 2.5, -2.5]
    for name, fn in [("Floor", lambda x: float(np.floor(x))), ("Ceil", lambda x: float(np.ceil(x))),
                     ("Round", round_half_away)]:
        for dt in ["f32", "f16", "bf16"]:
            t = T(dt, halves)
            case(F, dt, name, [t], T(dt, [fn(v) for v in t.vals]))
        case(F, "f64", name, [T("f64", f64s, (3, 2))], T("f64", [fn(v) for v in f64s], (3, 2)))
        case(F, "s32_unchanged", name, [T("s32", [-3, 0, 7])], T("s32", [-3, 0, 7]))
        case(F, "empty", name, [T("f64", [], (0,))], T("f64", [], (0,)))

    # IsNaN and IsInfinity give u8.
    for name, fn in [("IsNaN", math.isnan), ("IsInfinity", math.isinf)]:
        case(F, "f32", name, [f32], T("u8", [int(fn(v)) for v in f32.vals]))
        case(F, "f16", name, [T("f16", [NAN, INF, 70000, 1])], T("u8", [int(fn(v)) for v in [NAN, INF, INF, 1]]))
        case(F, "s32_zeros", name, [T("s32", [0, 1], (2, 1))], T("u8", [0, 0], (2, 1)))
        cv = [complex(NAN, 0), complex(0, NAN), complex(INF, 1), complex(1, -INF), 1 + 1j]
        case(F, "c64", name, [T("c64", cv)], T("u8", [int(fn(v.real) or fn(v.imag)) for v in cv]))
        case(F, "empty", name, [T("bf16", [], (0, 2))], T("u8", [], (0, 2)))

    # Bitwise complement, population count, count of leading zeros.
    case(F, "u8", "BitwiseNot", [u8], T("u8", [255, 254, 128, 127, 0]))
    case(F, "s8", "BitwiseNot", [s8], T("s8", [127, 0, -1, -2, -128]))
    case(F, "u64", "BitwiseNot", [T("u64", [0, 2**64 - 1])], T("u64", [2**64 - 1, 0]))
    case(F, "s64_scalar", "BitwiseNot", [T("s64", [s64lo], ())], T("s64", [s64hi], ()))
    case(F, "u8", "PopulationCount", [u8], T("u8", [0, 1, 7, 1, 8]))
    case(F, "s8_negative", "PopulationCount", [s8], T("s8", [1, 8, 0, 1, 7]))
    case(F, "u64", "PopulationCount", [T("u64", [2**64 - 1, 2**63, 0xF0F0])], T("u64", [64, 1, 8]))
    case(F, "s32_2d", "PopulationCount", [T("s32", [-1, 0, 255, -256], (2, 2))], T("s32", [32, 0, 8, 24], (2, 2)))
    case(F, "u8", "CountLeadingZeros", [u8], T("u8", [8, 7, 1, 0, 0]))
    case(F, "s8", "CountLeadingZeros", [s8], T("s8", [0, 0, 8, 7, 1]))
    case(F, "s32", "CountLeadingZeros", [T("s32", [-1, 0, 1, 65536])], T("s32", [0, 32, 31, 15]))
    case(F, "u64", "CountLeadingZeros", [T("u64", [0, 1, 2**63])], T("u64", [64, 63, 0]))

    # Complex parts.
    case(F, "c64", "Conjugate", [T("c64", [1 + 2j, -3 - 0.5j])], T("c64", [1 - 2j, -3 + 0.5j]))
    case(F, "f32_to_c64", "Conjugate", [T("f32", [1.5, -2])], T("c64", [1.5, -2]))
    case(F, "s32_to_c64", "Conjugate", [T("s32", [7])], T("c64", [7]))
    case(F, "f64_to_c128", "Conjugate", [T("f64", [0.1], ())], T("c128", [0.1], ()))
    case(F, "c64", "Real", [T("c64", [1 + 2j, -3 - 0.5j])], T("f32", [1, -3]))
    case(F, "f64", "Real", [T("f64", [1.5, NAN])], T("f64", [1.5, NAN]))
    case(F, "c128_2d", "Real", [T("c128", [1j, 2, 3, 4j], (2, 2))], T("f64", [0, 2, 3, 0], (2, 2)))
    case(F, "s32_gives_f32", "Real", [T("s32", [1, -2])], T("f32", [1, -2]))
    case(F, "c64", "Imag", [T("c64", [1 + 2j, -3 - 0.5j])], T("f32", [2, -0.5]))
    case(F, "c128", "Imag", [T("c128", [1j, 2], (2, 1))], T("f64", [1, 0], (2, 1)))
    case(F, "f32_zeros", "Imag", [T("f32", [1.5, NAN])], T("f32", [0, 0]))
    case(F, "s32_zeros_f32", "Imag", [T("s32", [1, 2])], T("f32", [0, 0]))

    # LogicalNot: NaN is true, as every non-zero value.
    case(F, "f32", "LogicalNot", [T("f32", [0, -0.0, NAN, 1, -INF])], T("u8", [1, 1, 0, 0, 0]))
    case(F, "s8", "LogicalNot", [s8], T("u8", [0, 0, 1, 0, 0]))
    case(F, "c64", "LogicalNot", [T("c64", [0, 1j, 1])], T("u8", [1, 0, 0]))
    case(F, "u8_scalar", "LogicalNot", [T("u8", [0], ())], T("u8", [1], ()))


float_funcs()
near_overflow()
int_like()
