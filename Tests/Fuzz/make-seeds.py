#!/usr/bin/env python3
"""Writes the seed corpora of Tests/Fuzz/fuzz_rowops.c into Tests/Fuzz/corpus/ and of
Tests/Fuzz/fuzz_train.c into Tests/Fuzz/corpus-train/ (and the reproducers of fixed bugs
into Tests/Fuzz/regressions/ and regressions-train/ with --regressions).

Each seed is one call in the byte format documented at the top of fuzz_rowops.c. The seeds
cover every row of SPEC §1's edge table for every op, dtype and the first two ISA paths,
every special temperature, row lengths around the SIMD widths and summation blocks, every
argument error (ld < cols, huge ld and cols, NULL pointers, rows == 0) and in-place calls.
The training seeds (byte format at the top of fuzz_train.c) do the same for the masked
(lengths, byte mask, both), column-wise and cross-entropy (labels, soft targets, every
reduction, label smoothing, ignored rows) entry points, with bad lengths, labels, ε and
reductions, and the extreme temperatures.

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
    # 4. The scan-ahead of the next row ran when the tiny groups had taken every row: a read
    #    past the matrix (log_softmax f64, 2 rows of 3, ldx = cols + 1, τ = 1).
    out["scan-ahead-past-tiny-groups"] = bytes([6, 0, 2, 3, 0, 3, 0xFD, 0x0F, 0x98, 0xA0, 0xA8])
    return out


# ---- fuzz_train.c ----------------------------------------------------------------------

FAMILIES = {"masked": 0, "col": 1, "ce": 2, "cesoft": 3}
ROW_OPS = {"lse": 0, "softmax": 1, "logsoftmax": 2, "softargmax": 3}
REDUCE = {"none": 0, "mean": 1, "sum": 2, "bad": 3}
# Indices into fuzz_train_body.inc's smoothing table.
EPS = {"0": 0, "0.1": 1, "1": 2, "0.5": 3, "1e-30": 4, "-0": 5, "0.25": 6, "1-u": 7,
       "-0.1": 8, "1+4u": 9, "nan": 10, "inf": 11, "-true_min": 12}
IGNORED, BAD_LABEL = 0xE0, 0xF8  # label bytes: ignored row, first out-of-range code
BAD_LENGTH = 0xF8                # length bytes: first out-of-range code


def tcall(family, op, dt, data=b"", isa=0, rows=1, cols=None, ldx=ld_delta(0), ldy=ld_delta(0), lda=ld_delta(0),
          tau=TAU["1"], eps=EPS["0"], in_place=False, raw=False, huge_cols=None, x_null=False, out_null=False,
          lengths=None, mask=None, dx=False, labels=None, target=None, aux_null=False, ignore_class=None):
    """One fuzz_train.c call; op is a ROW_OPS or REDUCE key. lengths/labels: one byte per row;
    mask/target: the pattern bytes (period = len)."""
    fam = FAMILIES[family]
    opc = ROW_OPS[op] if fam < 2 else REDUCE[op]
    flags = fam | opc << 2 | (16 if dt == "f64" else 0) | (32 if in_place else 0) | (64 if raw else 0) \
        | (128 if huge_cols is not None else 0)
    opt = (1 if x_null else 0) | (2 if out_null else 0) | (4 if lengths is not None or dx else 0) \
        | (8 if mask is not None or aux_null else 0) | ((ignore_class + 8) << 4 if ignore_class is not None else 0)
    if cols is None:
        cols = len(data) // rows if not raw else len(data) // (4 if dt == "f32" else 8) // rows
    c16 = huge_cols if huge_cols is not None else cols
    rows_byte = rows if rows < 17 else 0xC0 + (rows - 17) // 61
    head = bytes([flags, isa, opt, rows_byte, c16 & 0xFF, (c16 >> 8) & 0xFF, ldx, ldy, lda, tau, eps])
    per_row = bytes(lengths if lengths is not None else labels if labels is not None else [])
    pattern = mask if mask is not None else target
    pat = bytes([len(pattern) - 1]) + bytes(pattern) if pattern is not None else b""
    return head + per_row + pat + bytes(data)


def train_seeds():
    out = {}
    edge_rows = {  # 2 rows of 6
        "mixed": [g(1), NAN, g(2), INF, NINF, g(-3), g(0.5), g(2), NINF, g(1), HUGE, NHUGE],
        "inf": [INF, ZERO, INF, NINF, ONE, g(3), NINF] * 2,
        "masked": [NINF] * 12,
        "huge": [MAX, NMAX, HUGE, NHUGE, g(1), ZERO] * 2,
        "subnormal": [TMIN, NTMIN, ZERO, NZERO, TINY, NINF] * 2,
        "exp-edge": [EDGE, NEDGE, EDGE2, NEDGE2, BIG, NBIG] * 2,
        "ties": [ONE] * 12,
    }
    taus = ("1", "true_min", "min/2", "1e-30", "1e30", "max", "1e-7")
    for dt in DTYPES:
        for isa in (0, 1):
            for op in ROW_OPS:
                for name, row in edge_rows.items():
                    # masked: lengths (one row short, one empty), a byte mask, both
                    out[f"masked-len-{name}-{op}-{dt}-isa{isa}"] = tcall("masked", op, dt, row, isa=isa, rows=2,
                                                                          lengths=[4, 0])
                    out[f"masked-mask-{name}-{op}-{dt}-isa{isa}"] = tcall("masked", op, dt, row, isa=isa, rows=2,
                                                                           mask=[1, 0, 1, 1, 0])
                    out[f"masked-both-{name}-{op}-{dt}-isa{isa}"] = tcall("masked", op, dt, row, isa=isa, rows=2,
                                                                           lengths=[6, 3], mask=[0, 1, 1])
                    out[f"col-{name}-{op}-{dt}-isa{isa}"] = tcall("col", op, dt, row, isa=isa, rows=3, cols=4,
                                                                   ldx=ld_delta(2), ldy=ld_delta(1))
                for t in taus:
                    tn = t.replace("/", "over")
                    out[f"masked-tau-{tn}-{op}-{dt}-isa{isa}"] = tcall(
                        "masked", op, dt, [g(1), g(-2), HUGE, ZERO, g(3), NINF] * 2, isa=isa, rows=2, tau=TAU[t],
                        mask=[1, 1, 0])
                    out[f"col-tau-{tn}-{op}-{dt}-isa{isa}"] = tcall(
                        "col", op, dt, [g(1), g(-2), HUGE, ZERO, g(3), NINF] * 2, isa=isa, rows=4, cols=3, tau=TAU[t])
                # long rows and tall columns (past the chunk, panel and row-block sizes)
                pattern = [g(v) for v in (0.5, -2, 3.25, 0, -7.5, 1, 2.125)]
                for cols in (1, 7, 16, 17, 33, 511, 513, 1025, 4097):
                    out[f"masked-len-{cols}-{op}-{dt}-isa{isa}"] = tcall(
                        "masked", op, dt, pattern, isa=isa, rows=2, cols=cols, ldx=ld_delta(1), ldy=ld_delta(2),
                        lengths=[255, 17], mask=[1, 1, 1, 0, 1])
                    out[f"col-wide-{cols}-{op}-{dt}-isa{isa}"] = tcall("col", op, dt, pattern, isa=isa, rows=5,
                                                                        cols=cols, ldx=ld_delta(3), ldy=ld_delta(1))
                for rows in (17, 78, 139, 261, 1054):
                    out[f"col-tall-{rows}-{op}-{dt}-isa{isa}"] = tcall("col", op, dt, pattern + [NINF, INF], isa=isa,
                                                                       rows=rows, cols=37, ldx=ld_delta(2))
                out[f"col-rows0-{op}-{dt}-isa{isa}"] = tcall("col", op, dt, rows=0, cols=9, x_null=True)
                if op in ("softmax", "logsoftmax"):
                    out[f"masked-inplace-{op}-{dt}-isa{isa}"] = tcall(
                        "masked", op, dt, edge_rows["mixed"] * 2, isa=isa, rows=4, cols=6, ldx=ld_delta(2),
                        in_place=True, lengths=[6, 2, 0, 5], mask=[1, 1, 0, 1, 1, 1, 1])
                    out[f"col-inplace-{op}-{dt}-isa{isa}"] = tcall("col", op, dt, edge_rows["mixed"], isa=isa, rows=4,
                                                                    cols=3, ldx=ld_delta(2), in_place=True)
            # cross-entropy: every reduction, labels (ignored rows, ignore = a class), soft targets
            ce_x = [g(1), g(-2), g(3), ZERO, g(0.5), g(-1)] + edge_rows["mixed"] + edge_rows["inf"][:6] \
                + [NINF] * 6
            for red in ("none", "mean", "sum"):
                for e in ("0", "0.1", "1", "1e-30", "1-u"):
                    out[f"ce-{red}-eps{e}-{dt}-isa{isa}"] = tcall(
                        "ce", red, dt, ce_x, isa=isa, rows=5, cols=6, eps=EPS[e], dx=True, ldy=ld_delta(2),
                        labels=[2, IGNORED, 0, 5, 1])
                    out[f"cesoft-{red}-eps{e}-{dt}-isa{isa}"] = tcall(
                        "cesoft", red, dt, ce_x, isa=isa, rows=5, cols=6, eps=EPS[e], dx=True, lda=ld_delta(1),
                        target=[0, 32, 0, 16, 16, 0, 5])
                for t in taus:
                    out[f"ce-tau-{t.replace('/', 'over')}-{red}-{dt}-isa{isa}"] = tcall(
                        "ce", red, dt, ce_x, isa=isa, rows=5, cols=6, tau=TAU[t], eps=EPS["0.1"], dx=True,
                        labels=[2, 3, 0, 5, 1])
                out[f"ce-all-ignored-{red}-{dt}-isa{isa}"] = tcall("ce", red, dt, ce_x, isa=isa, rows=3, cols=6,
                                                                     dx=True, labels=[IGNORED] * 3)
                out[f"ce-ignore-class-{red}-{dt}-isa{isa}"] = tcall("ce", red, dt, ce_x, isa=isa, rows=3, cols=6,
                                                                      dx=True, labels=[3, 3, 4], ignore_class=3)
                out[f"ce-inplace-{red}-{dt}-isa{isa}"] = tcall("ce", red, dt, ce_x, isa=isa, rows=5, cols=6,
                                                                 ldx=ld_delta(3), dx=True, in_place=True,
                                                                 eps=EPS["0.25"], labels=[0, 1, 2, 3, 4])
                out[f"ce-loss-only-{red}-{dt}-isa{isa}"] = tcall("ce", red, dt, ce_x, isa=isa, rows=5, cols=6,
                                                                   labels=[0, 1, 2, 3, 4])
                for cols in (1, 17, 1000, 4097):
                    out[f"ce-len-{cols}-{red}-{dt}-isa{isa}"] = tcall(
                        "ce", red, dt, [g(v) for v in (0.5, -2, 3.25, 0, -7.5)], isa=isa, rows=2, cols=cols,
                        dx=True, eps=EPS["0.1"], labels=[0x50, 0x13])
        # argument errors (status model, nothing written)
        row = [g(1), g(2), g(3)] * 2
        for op in ROW_OPS:
            for fam in ("masked", "col"):
                out[f"err-{fam}-ldx-below-{op}-{dt}"] = tcall(fam, op, dt, row, rows=2, cols=3, ldx=ld_delta(-1))
                out[f"err-{fam}-ldy-below-{op}-{dt}"] = tcall(fam, op, dt, row, rows=2, cols=3, ldy=ld_delta(-2))
                out[f"err-{fam}-bad-tau-{op}-{dt}"] = tcall(fam, op, dt, row, rows=2, cols=3, tau=TAU["nan"])
                out[f"err-{fam}-x-null-{op}-{dt}"] = tcall(fam, op, dt, row, rows=2, cols=3, x_null=True)
                out[f"err-{fam}-out-null-{op}-{dt}"] = tcall(fam, op, dt, row, rows=2, cols=3, out_null=True)
                for k in range(16):
                    out[f"err-{fam}-huge-ldx{k}-{op}-{dt}"] = tcall(fam, op, dt, row, rows=2, cols=3, ldx=huge_ld(k))
                for k in range(4):
                    out[f"err-{fam}-huge-cols{k}-{op}-{dt}"] = tcall(fam, op, dt, row, rows=2, huge_cols=k,
                                                                      ldx=huge_ld(12), ldy=huge_ld(12),
                                                                      lda=huge_ld(12))
            for b in range(BAD_LENGTH, 0x100):
                out[f"err-masked-length{b - BAD_LENGTH}-{op}-{dt}"] = tcall("masked", op, dt, row, rows=2, cols=3,
                                                                           lengths=[3, b])
            for k in range(16):
                out[f"err-masked-huge-ldm{k}-{op}-{dt}"] = tcall("masked", op, dt, row, rows=2, cols=3, lda=huge_ld(k),
                                                                 mask=[1])
            out[f"err-masked-ldm-below-{op}-{dt}"] = tcall("masked", op, dt, row, rows=2, cols=3, lda=ld_delta(-1),
                                                           mask=[1])
            out[f"ok-masked-rows0-{op}-{dt}"] = tcall("masked", op, dt, rows=0, cols=3, x_null=True, out_null=True,
                                                      tau=TAU["nan"], lengths=[], mask=[0])
            out[f"ok-masked-cols0-huge-ld-{op}-{dt}"] = tcall("masked", op, dt, rows=5, cols=0, ldx=huge_ld(9),
                                                              ldy=huge_ld(9), lengths=[0] * 5)
        for fam in ("ce", "cesoft"):
            kw = {"labels": [0, 1]} if fam == "ce" else {"target": [16, 0]}
            for red in ("none", "mean", "bad"):
                out[f"err-{fam}-bad-reduction-{red}-{dt}"] = tcall(fam, "bad" if red == "bad" else red, dt, row,
                                                                   rows=2, cols=3, dx=True, **kw)
            for e in ("-0.1", "1+4u", "nan", "inf", "-true_min"):
                out[f"err-{fam}-eps{e}-{dt}"] = tcall(fam, "none", dt, row, rows=2, cols=3, eps=EPS[e], **kw)
            out[f"err-{fam}-aux-null-{dt}"] = tcall(fam, "sum", dt, row, rows=2, cols=3, aux_null=True)
            out[f"err-{fam}-loss-null-{dt}"] = tcall(fam, "sum", dt, row, rows=2, cols=3, out_null=True, **kw)
            out[f"err-{fam}-lddx-below-{dt}"] = tcall(fam, "none", dt, row, rows=2, cols=3, dx=True,
                                                      ldy=ld_delta(-1), **kw)
            out[f"err-{fam}-bad-tau-{dt}"] = tcall(fam, "none", dt, row, rows=2, cols=3, tau=TAU["-1"], **kw)
        for b in range(BAD_LABEL, 0x100):
            out[f"err-ce-label{b - BAD_LABEL}-{dt}"] = tcall("ce", "mean", dt, row, rows=2, cols=3, labels=[1, b])
        out[f"err-cesoft-ldq-below-{dt}"] = tcall("cesoft", "none", dt, row, rows=2, cols=3, lda=ld_delta(-2),
                                                  target=[16])
        out[f"ok-cesoft-cols0-null-target-{dt}"] = tcall("cesoft", "mean", dt, rows=2, cols=0, aux_null=True,
                                                         x_null=True, dx=True)
        # raw bit patterns
        specials = [float("nan"), -0.0, 5e-324 if dt == "f64" else 1.4e-45, 1.7e308 if dt == "f64" else 3.4e38,
                    -1.0e-3, 7.25, -float("inf"), 123.5]
        out[f"raw-masked-{dt}"] = tcall("masked", "softmax", dt, raw_row(dt, specials), raw=True, rows=2, cols=4,
                                        mask=[1, 0, 1])
        out[f"raw-col-{dt}"] = tcall("col", "logsoftmax", dt, raw_row(dt, specials), raw=True, rows=4, cols=2)
        out[f"raw-ce-{dt}"] = tcall("ce", "none", dt, raw_row(dt, specials[1:]), raw=True, rows=1, cols=7, dx=True,
                                    labels=[5])
    return out


def train_crashers():
    """fuzz_train.c inputs that failed with the library before their fixes."""
    out = {}
    # 1. x == NULL is valid when rows·cols == 0, but the kernels formed x + r·ldx (masked,
    #    cross-entropy: cols == 0 and rows ≥ 2) or x + j (column ops: rows == 0) from the NULL
    #    pointer: undefined behaviour, reported by UBSan (pointer-overflow) in train.inc.
    for dt in DTYPES:
        for op in ROW_OPS:
            out[f"null-x-cols0-masked-{op}-{dt}"] = tcall("masked", op, dt, rows=5, cols=0, ldx=ld_delta(5),
                                                          x_null=True, lengths=[0] * 5)
            out[f"null-x-rows0-col-{op}-{dt}"] = tcall("col", op, dt, rows=0, cols=40, x_null=True)
        for red in ("none", "mean", "sum"):
            out[f"null-x-cols0-cesoft-{red}-{dt}"] = tcall("cesoft", red, dt, rows=4, cols=0, ldx=ld_delta(5),
                                                           ldy=ld_delta(2), lda=ld_delta(3), x_null=True,
                                                           aux_null=True, dx=True)
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
    write(os.path.join(HERE, "corpus-train"), train_seeds())
    if "--regressions" in sys.argv:
        write(os.path.join(HERE, "regressions"), crashers())
        write(os.path.join(HERE, "regressions-train"), train_crashers())
