#!/usr/bin/python3
"""Writes the golden cases that golden_test.go checks nx against.

Run it from anywhere with Debian's Python and NumPy 1.24:

    /usr/bin/python3 nx/testdata/golden/gen.py

This file holds the helpers (types, conversions, tensors, case writer); the
cases_*.py files beside it define the cases, one area each, and gen.py runs
them all. It rewrites the *.json files beside it. Each file holds
{"cases": [...]}, one case per line:

    {"name": "Add/u8_wrap", "op": "Add",
     "args": [TENSOR, ...], "opts": {...}, "params": {...},
     "want": TENSOR, "ulps": 2, "atol": 1e-15, "skip": "why"}

TENSOR is {"dtype": "f32", "shape": [2, 3], "data": [...], "weak": true}.
Every element is a string so that 64-bit integers and special floats survive
JSON: integers in decimal, floats as Python's repr of the exact float64 value
("1.5", "-0.0", "nan", "inf", "-inf", "1e-45"), complex numbers as a pair
[re, im]. A weak tensor is a Go number wrapped with nx.Number.

"opts" become nx options (axes, axis, keep_axes, tie, type, ddof, ...);
"params" are an operation's other arguments (a shape, a dtype, n, k, ...).
The test compares dtype and shape exactly, integers exactly, and floats within
"ulps" units in the last place of the result type (plus "atol"), with NaN
equal to NaN. Without "ulps" the tolerance is 1 ulp (2 for complex numbers);
operations in EXACT get "ulps": 0 unless a case says otherwise.

Expected values are NumPy (or Python) expressions chosen to compute Nx's
semantics, which differ from NumPy's in places: integer Divide gives f32, Sum
of u8 gives u64, Remainder follows the dividend (np.fmod), Quotient truncates,
Round halves away from zero, comparisons give u8, and Go numbers (nx.Number)
are weak. Float results are computed in float64 from the exactly converted
inputs and rounded once to the result type.
"""

import itertools
import json
import math
import os

import numpy as np

np.seterr(all="ignore")

HERE = os.path.dirname(os.path.abspath(__file__))
INF = math.inf
NAN = math.nan

# ---------------------------------------------------------------------------
# Types

INTS = ["u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64"]
FLOATS = ["f16", "bf16", "f32", "f64"]
COMPLEX = ["c64", "c128"]
ALL = INTS + FLOATS + COMPLEX
BITS = {"u8": 8, "u16": 16, "u32": 32, "u64": 64, "s8": 8, "s16": 16, "s32": 32,
        "s64": 64, "f16": 16, "bf16": 16, "f32": 32, "f64": 64, "c64": 64, "c128": 128}
KIND = {d: d.rstrip("0123456789") for d in ALL}  # u s f bf c


def is_int(d): return KIND[d] in ("u", "s")
def is_float(d): return KIND[d] in ("f", "bf")
def is_complex(d): return KIND[d] == "c"


def limits(d):
    b = BITS[d]
    if KIND[d] == "u":
        return 0, (1 << b) - 1
    return -(1 << (b - 1)), (1 << (b - 1)) - 1


def wrap(v, d):
    """Wraps the integer v to type d (two's complement)."""
    lo, _ = limits(d)
    return (v - lo) % (1 << BITS[d]) + lo


def round_bits(v, p, emin, emax):
    """Rounds float v to p significant bits (ties to even) with exponent range
    [emin, emax], subnormals included, overflowing to infinity."""
    if v == 0 or not math.isfinite(v):
        return v
    a = abs(v)
    e = max(math.frexp(a)[1] - 1, emin)
    ulp = math.ldexp(1.0, e - p + 1)
    r = round(a / ulp) * ulp  # round() on floats is ties-to-even
    if r >= math.ldexp(1.0, emax + 1):
        r = INF
    return math.copysign(r, v)


def to_float(v, d):
    """Rounds the Python float v to the float type d, exactly as IEEE does."""
    v = float(v)
    if math.isnan(v):
        return NAN
    if d == "f64":
        return v
    if d == "f32":
        return float(np.float32(v))
    if d == "f16":
        return float(np.float16(v))
    if d == "bf16":
        return round_bits(v, 8, -126, 127)
    raise ValueError(d)


def real_of(d):
    return {"c64": "f32", "c128": "f64"}.get(d, d)


def convert(v, src, dst):
    """Converts one value from type src to dst with Nx's as_type rules:
    integers wrap, floats truncate into integers saturating at the limits
    (NaN is 0), complex numbers keep their real part."""
    if is_complex(src) and not is_complex(dst):
        v = v.real
    if is_int(dst):
        if isinstance(v, int):
            return wrap(v, dst)
        v = float(v)
        if math.isnan(v):
            return 0
        lo, hi = limits(dst)
        if v == INF:
            return hi
        if v == -INF:
            return lo
        return max(lo, min(hi, int(v)))
    if is_float(dst):
        return to_float(v, dst)
    c = complex(v)
    r = real_of(dst)
    return complex(to_float(c.real, r), to_float(c.imag, r))


def merge(a, b):
    """Nx's type promotion (Nx.Type.merge), except that f16 with bf16 gives f32
    as in gonx (and JAX)."""
    if a == b:
        return a
    order = {"u": 0, "s": 1, "bf": 2, "f": 3, "c": 4}
    if (order[KIND[a]], BITS[a]) > (order[KIND[b]], BITS[b]):
        a, b = b, a
    ka, kb = KIND[a], KIND[b]
    if ka == kb:
        return ka + str(max(BITS[a], BITS[b]))
    if ka == "u" and kb == "s":
        return "s" + str(max(min(2 * BITS[a], 64), BITS[b]))
    if ka in ("u", "s"):
        return b
    if (ka, kb) in (("bf", "f"), ("f", "bf")):
        return "f" + str(max(32, BITS[b] if kb == "f" else BITS[a]))
    if kb == "c":
        return "c" + str(max(BITS[b], 2 * max(32, BITS[a])))
    return b


def weak_merge(strong, weak):
    """The type of a binary operation between a tensor and a Go number."""
    if is_int(weak):
        return strong
    if is_float(weak):
        return "f32" if is_int(strong) else strong
    if is_complex(strong):
        return strong
    return "c128" if strong == "f64" else "c64"


def float_of(d):
    return "f32" if is_int(d) else d


# ---------------------------------------------------------------------------
# Tensors

class T:
    """A tensor: type, shape and flat row-major values as Python numbers."""

    def __init__(self, dtype, vals, shape=None, weak=False, exact=False):
        vals = list(np.asarray(vals, dtype=object).reshape(-1)) if not isinstance(vals, list) else flatten(vals)
        if shape is None:
            shape = (len(vals),)
        shape = tuple(shape)
        assert math.prod(shape) == len(vals), (shape, len(vals))
        self.dtype, self.shape, self.weak = dtype, shape, weak
        self.vals = [self._fit(v, exact) for v in vals]

    def _fit(self, v, exact):
        d = self.dtype
        if is_int(d):
            v = int(v)
            lo, hi = limits(d)
            assert exact or lo <= v <= hi, (v, d)
            return wrap(v, d)
        if is_float(d):
            return to_float(v, d)
        c = complex(v)
        r = real_of(d)
        return complex(to_float(c.real, r), to_float(c.imag, r))

    @property
    def size(self):
        return len(self.vals)

    def at(self, idx):
        """The element at multi-index idx, broadcasting size-1 and missing axes."""
        idx = idx[len(idx) - len(self.shape):]
        flat = 0
        for i, d in zip(idx, self.shape):
            flat = flat * d + (0 if d == 1 else i)
        return self.vals[flat]

    def np(self):
        """The values as a NumPy array of float64, complex128 or Python ints."""
        if is_int(self.dtype):
            return np.array(self.vals, dtype=object).reshape(self.shape)
        if is_complex(self.dtype):
            return np.array(self.vals, dtype=np.complex128).reshape(self.shape)
        return np.array(self.vals, dtype=np.float64).reshape(self.shape)

    def json(self):
        out = {"dtype": self.dtype, "shape": list(self.shape), "data": [enc(v) for v in self.vals]}
        if self.weak:
            out["weak"] = True
        return out


def flatten(x):
    if isinstance(x, (list, tuple)):
        return [y for e in x for y in flatten(e)]
    return [x]


def enc(v):
    if isinstance(v, complex):
        return [enc(v.real), enc(v.imag)]
    if isinstance(v, int):
        return str(v)
    return repr(float(v))


def num(v):
    """A weak Go number: int → s64, float → f64, complex → c128."""
    if isinstance(v, bool):
        v = int(v)
    if isinstance(v, int):
        return T("s64", [v], (), weak=True)
    if isinstance(v, float):
        return T("f64", [v], (), weak=True)
    return T("c128", [complex(v)], (), weak=True)


def result_type(args):
    """The merged type of a binary operation's operands, weak numbers included."""
    a, b = args
    if a.weak and not b.weak:
        return weak_merge(b.dtype, a.dtype)
    if b.weak and not a.weak:
        return weak_merge(a.dtype, b.dtype)
    return merge(a.dtype, b.dtype)


def ewise(fn, out_dtype, args, compute_dtype=None):
    """Applies fn elementwise with broadcasting. Operands are converted to
    compute_dtype (default out_dtype) first; fn's Python result is converted
    to out_dtype (integers wrap, floats round)."""
    compute_dtype = compute_dtype or out_dtype
    shape = np.broadcast_shapes(*[a.shape for a in args])
    conv = [T(compute_dtype, [convert(v, a.dtype, compute_dtype) for v in a.vals], a.shape) for a in args]
    out = []
    for idx in itertools.product(*[range(d) for d in shape]):
        out.append(fn(*[c.at(idx) for c in conv]))
    res = []
    for v in out:
        if is_int(out_dtype):
            res.append(wrap(int(v), out_dtype))
        elif is_float(out_dtype):
            res.append(to_float(v.real if isinstance(v, complex) else v, out_dtype))
        else:
            res.append(complex(v))
    return T(out_dtype, res, shape, exact=True)


# ---------------------------------------------------------------------------
# Cases

FILES = {}


# Operations whose float results are exactly rounded in both implementations:
# their cases compare exactly unless they say otherwise.
EXACT = set("""Add Subtract Multiply Divide Quotient Remainder Max Min BitwiseAnd BitwiseOr
BitwiseXor LeftShift RightShift Equal NotEqual Less LessEqual Greater GreaterEqual LogicalAnd
LogicalOr LogicalXor LogicalNot Select Clip Negate Sign Abs Square Floor Ceil Round IsNaN
IsInfinity BitwiseNot PopulationCount CountLeadingZeros Conjugate Real Imag AsType Bitcast
Reshape Flatten Squeeze NewAxis Transpose Broadcast BroadcastTo Iota Eye Tri Tril Triu Zeros
Ones Full Scalar Linspace Sum Product ReduceMax ReduceMin All Any Mean Argmax Argmin""".split())


def case(file, name, op, args, want, opts=None, params=None, ulps=None, atol=None, skip=None):
    if ulps is None and op in EXACT:
        ulps = 0
    c = {"name": f"{op}/{name}", "op": op, "args": [a.json() for a in args]}
    if opts:
        c["opts"] = opts
    if params:
        c["params"] = params
    c["want"] = want.json()
    if ulps is not None:
        c["ulps"] = ulps
    if atol is not None:
        c["atol"] = atol
    if skip:
        c["skip"] = skip
    names = [x["name"] for x in FILES.setdefault(file, [])]
    assert c["name"] not in names, c["name"]
    FILES[file].append(c)


def write():
    for f in sorted(FILES):
        path = os.path.join(HERE, f + ".json")
        with open(path, "w") as out:
            out.write('{"cases": [\n')
            lines = [json.dumps(c, separators=(",", ":")) for c in FILES[f]]
            out.write(",\n".join(lines))
            out.write("\n]}\n")
        print(f"{path}: {len(FILES[f])} cases")


# Run the case definitions: they call case() as they load.
if __name__ == "__main__":
    import importlib.util
    import sys
    sys.path.insert(0, HERE)
    for mod in sorted(os.listdir(HERE)):
        if mod.startswith("cases_") and mod.endswith(".py"):
            spec = importlib.util.spec_from_file_location(mod[:-3], os.path.join(HERE, mod))
            m = importlib.util.module_from_spec(spec)
            sys.modules["gen"] = sys.modules["__main__"]
            spec.loader.exec_module(m)
    write()
