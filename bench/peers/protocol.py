"""Shared helpers of gonxbench's Python peers: flags, timing loop, output.

The timing loop is bench.Protocol's (bench/measure.go), and every line printed
is one JSON object of the peer protocol (bench/peer.go).
"""

import argparse
import json
import math
import sys
import time


def parser(description):
    """Returns an argument parser with the flags every peer takes."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--threads", type=int, default=1, help="threads the peer may use")
    p.add_argument("--target-ms", type=float, default=1000, help="time to spend measuring one case")
    p.add_argument("--rounds", type=int, default=5, help="rounds to take the median of (at most)")
    return p


def measure(fn, target_ms, rounds_max):
    """Times fn as bench.Protocol does and returns the median ns of one call."""
    target = target_ms / 1e3
    t0 = time.perf_counter()
    fn()
    t0 = max(time.perf_counter() - t0, 1e-9)
    rounds = max(rounds_max, 1)
    fit = int(target / t0)
    if fit < rounds:
        rounds = max(fit, 1)
    calls = max(int(math.floor(target / rounds / t0 + 0.5)), 1)
    per = []
    for _ in range(rounds):
        s = time.perf_counter()
        for _ in range(calls):
            fn()
        per.append((time.perf_counter() - s) / calls)
    per.sort()
    mid = len(per) // 2
    median = per[mid] if len(per) % 2 else (per[mid - 1] + per[mid]) / 2
    return median * 1e9


def emit(**fields):
    """Prints one protocol line and flushes it, so a crash keeps what came before."""
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


def info(key, value):
    """Prints an info line."""
    emit(info=key, value=value)


def result(system, case, ns, check=None):
    """Prints a result line."""
    if check is None:
        emit(system=system, case=case, ns=ns)
    else:
        emit(system=system, case=case, ns=ns, check=float(check))


def error(system, case, message):
    """Prints a line saying the peer could not run the case."""
    emit(system=system, case=case, error=message)


def blas_libraries():
    """Returns the mapped shared libraries whose file name has "blas" in it."""
    libs = []
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                path = line[line.find("/"):].strip() if "/" in line else ""
                name = path.rsplit("/", 1)[-1]
                if "blas" in name and path not in libs:
                    libs.append(path)
    except OSError:
        pass
    return libs
