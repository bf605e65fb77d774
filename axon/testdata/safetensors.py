#!/usr/bin/env python3
"""Cross-checks axon's safetensors files against an independent reader/writer.

The safetensors format is read and written by hand with NumPy (no safetensors
package): an 8-byte little-endian header length, a JSON header, then the
tensors' little-endian bytes.

    python3 axon/testdata/safetensors.py write   # (re)writes python.safetensors
    python3 axon/testdata/safetensors.py check   # verifies go.safetensors

go.safetensors is written by the Go test TestSafetensorsGolden (run it with
-update to regenerate it); python.safetensors is read by TestSafetensorsFromPython.
"""
import json
import os
import struct
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))

DTYPES = {"F64": "<f8", "F32": "<f4", "F16": "<f2", "I64": "<i8", "I32": "<i4", "I16": "<i2",
          "I8": "i1", "U8": "u1", "U16": "<u2", "U32": "<u4", "U64": "<u8", "BOOL": "u1"}


def bf16_bytes(values):
    """bfloat16 as the high halves of float32 (the values are exact)."""
    f = np.asarray(values, dtype="<f4").view("<u4")
    return (f >> 16).astype("<u2").tobytes()


def write():
    tensors = [  # name, dtype, shape, raw bytes (deliberately not in name order)
        ("dense_0.kernel", "F32", [2, 3], np.array([[0.5, -1.25, 2], [3, 0, -0.125]], "<f4").tobytes()),
        ("dense_0.bias", "F32", [3], np.array([1, 2, 3], "<f4").tobytes()),
        ("batch_norm_0.mean", "F64", [2], np.array([0.1, -0.2], "<f8").tobytes()),
        ("misc.ids", "I64", [4], np.array([1, -2, 3, 1 << 40], "<i8").tobytes()),
        ("misc.half", "F16", [2], np.array([1.5, -0.25], "<f2").tobytes()),
        ("misc.brain", "BF16", [3], bf16_bytes([1.0, -2.5, 0.15625])),
        ("misc.flags", "BOOL", [3], bytes([1, 0, 1])),
        ("misc.pixels", "U8", [2, 2], bytes([0, 127, 128, 255])),
        ("misc.scalar", "F32", [], np.array(7.5, "<f4").tobytes()),
    ]
    header, data = {}, b""
    for name, dtype, shape, raw in tensors:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    header["__metadata__"] = {"format": "pt", "gonx.state": "batch_norm_0.mean"}
    js = json.dumps(header).encode()
    js += b" " * ((8 - len(js) % 8) % 8)
    with open(os.path.join(HERE, "python.safetensors"), "wb") as f:
        f.write(struct.pack("<Q", len(js)) + js + data)
    print("wrote python.safetensors")


def read(path):
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n])
    meta = header.pop("__metadata__", {})
    data = blob[8 + n:]
    spans = sorted((e["data_offsets"], name) for name, e in header.items())
    pos = 0
    for (begin, end), name in spans:
        assert begin == pos, f"{name}: hole or overlap at {begin}"
        pos = end
    assert pos == len(data), f"data is {len(data)} bytes, header covers {pos}"
    out = {}
    for name, e in header.items():
        begin, end = e["data_offsets"]
        raw = data[begin:end]
        if e["dtype"] == "BF16":
            u = np.frombuffer(raw, "<u2").astype("<u4") << 16
            arr = u.view("<f4")
        else:
            arr = np.frombuffer(raw, DTYPES[e["dtype"]])
        out[name] = (e["dtype"], arr.reshape(e["shape"]))
    return out, meta, n


def check():
    tensors, meta, n = read(os.path.join(HERE, "go.safetensors"))
    assert n % 8 == 0, "the header is not padded to 8 bytes"
    want = {
        "dense_0.kernel": ("F32", np.arange(6, dtype="<f4").reshape(2, 3) / 4 - 0.5),
        "dense_0.bias": ("F32", np.array([0.25, -0.5, 1], "<f4")),
        "batch_norm_0.mean": ("F32", np.array([1, 2], "<f4")),
        "batch_norm_0.var": ("F32", np.array([3, 4], "<f4")),
        "embedding_0.kernel": ("F64", np.array([[1e-300, -2.5], [np.pi, 1e300]], "<f8")),
        "misc.counts": ("I32", np.array([-7, 0, 2147483647], "<i4")),
        "misc.half": ("F16", np.array([0.5, -3], "<f2")),
    }
    assert set(tensors) == set(want), f"tensors {sorted(tensors)}"
    for name, (dtype, arr) in want.items():
        got_dtype, got = tensors[name]
        assert got_dtype == dtype, f"{name}: dtype {got_dtype}, want {dtype}"
        assert got.shape == arr.shape and np.array_equal(got, arr), f"{name}: {got} != {arr}"
    assert meta.get("model") == "golden", meta
    assert meta.get("gonx.state") == "batch_norm_0.mean,batch_norm_0.var", meta
    assert meta.get("gonx.frozen") == "dense_0.bias", meta
    print("go.safetensors: OK,", len(tensors), "tensors")


if __name__ == "__main__":
    {"write": write, "check": check}[sys.argv[1] if len(sys.argv) > 1 else "check"]()
