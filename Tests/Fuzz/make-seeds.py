#!/usr/bin/env python3
"""Writes the seed corpus of Tests/Fuzz/fuzz_rowops.c into Tests/Fuzz/corpus/ (and the
reproducers of fixed bugs into Tests/Fuzz/regressions/ with --regressions).

Each seed is one call in the byte format documented at the top of fuzz_rowops.c. The seeds
cover every row of SPEC §1's edge table for every op, dtype and the first two ISA paths,
every special temperature, row lengths around the SIMD widths and summation blocks, every
argument error (ld < cols, huge ld and cols, NULL pointers, rows == 0) and in-place calls.

Usage: Tests/Fuzz/make-seeds.py [--regressions]      (rewrites the directories)
"""
import os
import shutil
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OPS = {"lse": 0, "softmax": 1, "logsoftmax": 2, "softargmax": 3}
DTYPES = {"f32": 0, "f64": 4}

# Byte codes of fuzz_body.inc's special_x table.
NAN, INF, NINF, MAX, NMAX, HUGE, NHUGE, TMIN, NTMIN, NMIN_, NNMIN = range(11)
ZERO, NZERO, ONE, NONE, HALF, EDGE, NEDGE, EDGE2, NEDGE2 = range(11, 20)
TINY, BIG, NBIG = 20, 21, 22


def g(v):
    """The byte of grid value v = (b − 144)/8, v in [−14, 13.875] in steps of 1/8."""
    b = int(round(v * 8)) + 144
    assert 32 <= b <= 255, v
    return b


# Indices into fuzz_body.inc's special_t table.
TAU = {"0": 0, "-0": 1, "-1": 2, "nan": 3, "inf": 4, "-inf": 5, "true_min": 6, "min": 7,
       "-min": 8, "1e-30": 9, "1e-7": 10, "1e-3": 11, "0.01": 12, "0.1": 13, "0.5": 14, "1": 15,
       "2": 16, "10": 17, "1000": 18, "1e30": 19, "max": 20, "max/2": 21, "3true_min": 22,
       "min/2": 23}


def ld_delta(d):
    """ld byte for ld = cols + d, d in [−3, 12]."""
    assert -3 <= d <= 12
    return d + 3


def huge_ld(k):
    return 0xF0 | k


def call(op, dt, data=b"", isa=0, rows=1, cols=None, ldx=ld_delta(0), ldy=ld_delta(0), tau=TAU["1"],
         in_place=False, x_null=False, out_null=False, raw=False, huge_cols=None):
    if cols is None:
        cols = len(data) if not raw else len(data) // (4 if dt == "f32" else 8)
    flags = OPS[op] | DTYPES[dt] | (8 if in_place else 0) | (16 if x_null else 0) | (32 if out_null else 0) \
        | (64 if raw else 0) | (128 if huge_cols is not None else 0)
    c16 = huge_cols if huge_cols is not None else cols
    return bytes([flags, isa, rows, c16 & 0xFF, (c16 >> 8) & 0xFF, ldx, ldy, tau]) + bytes(data)


def raw_row(dt, values):
    fmt = "<f" if dt == "f32" else "<d"
    return b"".join(struct.pack(fmt, v) for v in values)


def seeds():
    out = {}
    edge_rows = {
        "nan": [g(1), NAN, g(2)],
        "inf1": [ZERO, INF, ONE],
        "inf2": [INF, ZERO, INF, NINF],
        "masked": [NINF] * 5,
        "some-neg-inf": [NINF, ONE, NINF, g(2)],
        "huge": [HUGE, NHUGE, MAX, NMAX],
        "ties17": [ONE] * 17,
        "subnormal": [TMIN, NTMIN, ZERO, NZERO],
        "exp-edge": [EDGE, NEDGE, EDGE2, NEDGE2, TINY, BIG, NBIG],
    }
    for op in OPS:
        for dt in DTYPES:
            for isa in (0, 1):
                for name, row in edge_rows.items():
                    out[f"edge-{name}-{op}-{dt}-isa{isa}"] = call(op, dt, row, isa=isa)
                out[f"edge-empty-{op}-{dt}-isa{isa}"] = call(op, dt, rows=3, cols=0)
                # Four rows, NaN only in the second: rows are independent.
                out[f"edge-nan-one-row-{op}-{dt}-isa{isa}"] = call(
                    op, dt, [g(0.5), g(-1), g(3), g(2), g(1), g(0), NAN, g(1), g(2), g(3)] + [g(1)] * 10,
                    isa=isa, rows=4, cols=5)
            for tname, t in TAU.items():
                out[f"tau-{tname.replace('/', 'over')}-{op}-{dt}"] = call(op, dt, [ZERO, ONE, NONE, g(13), g(-13), HUGE], tau=t)
            # Row lengths around vector widths (4/8/16 float lanes) and summation blocks (32·lanes).
            for cols in (1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 33, 63, 65, 127, 129, 255, 257, 511, 513, 1023,
                         1025, 2047, 4095, 4096, 4097, 8191, 8192, 8193):
                pattern = [g(v) for v in (0.5, -2, 3.25, 0, -7.5, 1, 2.125)]
                out[f"len-{cols}-{op}-{dt}"] = call(op, dt, pattern, rows=2, cols=cols, ldx=ld_delta(1),
                                                    ldy=ld_delta(2))
            # Rows past logsumexp's one-pass threshold (32 KiB: 8192 floats, 4096 doubles), edge
            # entries late (the data repeats up to cols): the one-pass form must hand each row
            # back to the two-pass form or get it right.
            ascending = [b for b in range(32, 256) for _ in range(11)]          # a new max per block
            long_rows = {
                "ascending": ascending,
                "descending": ascending[::-1],
                "inf-late": [g(1), g(-2)] * 1150 + [INF],
                "nan-late": [g(1), g(-2)] * 1150 + [NAN],
                "huge-late": [g(1), g(-2)] * 1150 + [HUGE],
                "masked-prefix": [NINF] * 500 + [g(0.5)] + [NINF] * 500 + [g(v / 8) for v in range(-80, 80)] * 8,
                "masked": [NINF] * 2100,
            }
            for name, row in long_rows.items():
                out[f"long-{name}-{op}-{dt}"] = call(op, dt, row, cols=9000)
            # Argument errors.
            row = [g(1), g(2), g(3)]
            out[f"err-ldx-below-{op}-{dt}"] = call(op, dt, row, cols=3, ldx=ld_delta(-1), rows=2)
            if op in ("softmax", "logsoftmax"):
                out[f"err-ldy-below-{op}-{dt}"] = call(op, dt, row, cols=3, ldy=ld_delta(-3), rows=2)
            for k in range(16):
                for rows in (1, 2, 16):
                    out[f"err-huge-ldx{k}-rows{rows}-{op}-{dt}"] = call(op, dt, row, rows=rows, cols=3,
                                                                         ldx=huge_ld(k))
                    out[f"err-huge-ldx{k}-rows{rows}-badtau-{op}-{dt}"] = call(
                        op, dt, row, rows=rows, cols=3, ldx=huge_ld(k), tau=TAU["0"])
                if op in ("softmax", "logsoftmax"):
                    out[f"err-huge-ldy{k}-{op}-{dt}"] = call(op, dt, row, rows=2, cols=3, ldy=huge_ld(k))
            for k in range(4):
                out[f"err-huge-cols{k}-{op}-{dt}"] = call(op, dt, row, rows=1, huge_cols=k, ldx=huge_ld(12),
                                                          ldy=huge_ld(12))
                out[f"err-huge-cols{k}-rows2-{op}-{dt}"] = call(op, dt, row, rows=2, huge_cols=k,
                                                                ldx=huge_ld(12), ldy=huge_ld(12))
            out[f"err-x-null-{op}-{dt}"] = call(op, dt, row, x_null=True)
            out[f"err-out-null-{op}-{dt}"] = call(op, dt, row, out_null=True)
            out[f"ok-rows0-all-null-bad-tau-{op}-{dt}"] = call(op, dt, rows=0, cols=3, x_null=True, out_null=True,
                                                               tau=TAU["nan"], ldx=ld_delta(-3))
            out[f"err-bad-tau-and-null-{op}-{dt}"] = call(op, dt, row, out_null=True, tau=TAU["-1"])
            if op in ("softmax", "logsoftmax"):
                out[f"inplace-gaps-{op}-{dt}"] = call(op, dt, [g(1), NINF, g(3), INF, g(-2)] * 4, rows=4, cols=5,
                                                      ldx=ld_delta(3), in_place=True)
                out[f"inplace-edge-{op}-{dt}"] = call(op, dt, [NAN, g(1), NINF, NINF, INF, INF, HUGE, NHUGE],
                                                      rows=4, cols=2, in_place=True)
            # Raw bit patterns: NaN payloads, signed zeros, values next to the limits.
            specials = [float("nan"), -0.0, 5e-324 if dt == "f64" else 1.4e-45, 1.7e308 if dt == "f64" else 3.4e38,
                        -1.0e-3, 7.25, -float("inf"), 123.5]
            out[f"raw-{op}-{dt}"] = call(op, dt, raw_row(dt, specials[1:]), raw=True, cols=7)
            out[f"raw-nan-{op}-{dt}"] = call(op, dt, raw_row(dt, specials), raw=True, cols=8, rows=2)
    return out


def crashers():
    """Inputs that failed with the library before their fixes (docs/reliability.md, "Findings")."""
    out = {}
    # 1. x == NULL with cols == 0 and rows > 0 is a valid call (SPEC §1: x may be NULL when
    #    rows·cols == 0), but the kernels form x + r·ldx from the NULL pointer: undefined
    #    behaviour, reported by UBSan (pointer-overflow) at rowops.inc "const T *xr = x + r * ldx".
    for op in OPS:
        for dt in DTYPES:
            out[f"null-x-cols0-{op}-{dt}"] = call(op, dt, rows=8, cols=0, ldx=ld_delta(5), x_null=True)
    # 2. Summation error: a dominant entry followed by 255 equal small ones, τ = 1. Each lane
    #    adds 16 terms in plain T before the compensated block total, and the 15 roundings of
    #    1 + e^v have the same sign: Σ is off by up to ≈ 15u, so softmax p_0, logsumexp and
    #    log_softmax miss SPEC's 8u bounds (measured ≈ 15.4u) on every ISA, float and double.
    v64, v32 = -15.074450000000969, -16.63307
    for op in ("lse", "softmax", "logsoftmax"):
        for dt, v in (("f64", v64), ("f32", v32)):
            for isa in (0, 1):
                out[f"sum-dominant-plus-255-equal-{op}-{dt}-isa{isa}"] = call(
                    op, dt, raw_row(dt, [0.0] + [v] * 255), isa=isa, raw=True, cols=256)
    # 3. One-pass logsumexp (rows of 2048+ entries) dropped a NaN: the lanes' join leaves out
    #    lanes far below the largest reference (here τ = 1e-3 puts the lanes of −12 values
    #    17,000 binades below the lane of 1), and the NaN sat in such a lane: 1.006 instead of NaN.
    #    Found at cols 2819 (the threshold was 2048 entries then); cols 9000 here, past 32 KiB.
    out["online-lse-nan-in-dropped-lane-f32"] = bytes([0, 0, 1, 9000 & 0xFF, 9000 >> 8, 11, 11, 11, 11,
                                                       47, 47, 47, 47, 47, 47, 42, 0, 13])
    return out


def write(directory, files):
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory)
    for name, data in sorted(files.items()):
        with open(os.path.join(directory, name), "wb") as f:
            f.write(data)
    print(f"{len(files)} files in {os.path.relpath(directory)}")


if __name__ == "__main__":
    write(os.path.join(HERE, "corpus"), seeds())
    if "--regressions" in sys.argv:
        write(os.path.join(HERE, "regressions"), crashers())
