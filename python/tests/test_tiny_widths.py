"""Rows of 1 … 16 entries on every instruction-set path this CPU runs. The kernels group such
rows across SIMD lanes, with one copy of the group code per width in optimized builds; the
Swift suite's debug build compiles the single generic copy, so these sweeps are what runs the
per-width copies. Each matrix mixes finite rows (SPEC §1's bound against scipy) with edge
rows inside the groups (NaN, +∞, all −∞), checked against the same row computed alone."""
import contextlib

import numpy as np
import pytest

import smoothkit as sk
from smoothkit import clib
from smoothkit._layout import HALVES

from conftest import DTYPES, assert_within_spec

OPS = ["logsumexp", "softmax", "log_softmax", "softargmax"]
PATHS = {1: "portable", 2: "avx2", 3: "avx512", 4: "neon"}  # smk_isa (smoothkit.h)
SUPPORTED = [k for k in PATHS if clib.lib.smk_isa_supported(k)]
ROWS = 37  # two groups of 16 lanes (float, AVX-512) and a tail; four and more of the others
EDGE = {5: "nan", 18: "posinf", 30: "neginf"}  # inside the first, second, last group


@contextlib.contextmanager
def isa(path):
    assert clib.lib.smk_force_isa(path) == 0, PATHS[path]
    try:
        yield
    finally:
        clib.lib.smk_force_isa(0)


def matrix(cols, dtype, seed):
    x = (np.random.default_rng(seed).standard_normal((ROWS, cols)) * 5).astype(dtype)
    x[5, cols // 2] = np.nan
    x[18, cols - 1] = np.inf
    x[30, :] = -np.inf
    return x


def same_bits(a, b):
    return np.array_equal(a, b, equal_nan=True) and np.array_equal(np.signbit(a) | np.isnan(a),
                                                                    np.signbit(b) | np.isnan(b))


@pytest.mark.parametrize("path", SUPPORTED, ids=[PATHS[k] for k in SUPPORTED])
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("op", OPS)
def test_every_width_within_spec(path, dtype, op):
    finite = [r for r in range(ROWS) if r not in EDGE]
    with isa(path):
        for cols in range(1, 17):
            for tau in (1.0, 0.37):
                x = matrix(cols, dtype, cols)
                got = getattr(sk, op)(x, temperature=tau)
                assert_within_spec(op, got[finite], x[finite], tau)
                for r in EDGE:
                    alone = getattr(sk, op)(x[r:r + 1], temperature=tau)[0]
                    assert same_bits(got[r], alone), f"{PATHS[path]} {cols} cols, {EDGE[r]} row: {got[r]} vs {alone}"


@pytest.mark.parametrize("path", SUPPORTED, ids=[PATHS[k] for k in SUPPORTED])
@pytest.mark.parametrize("dtype", HALVES, ids=str)
@pytest.mark.parametrize("op", OPS)
def test_every_width_of_halves_matches_widened_float32(path, dtype, op):
    """float16 equals the float32 op on the widened input, rounded once (maps); bfloat16 adds
    the even and the odd entries apart, so within a few float32 roundings: reductions at
    float32's scale, maps one storage step apart (log p near 0 by the absolute bound)."""
    with isa(path):
        for cols in range(1, 17):
            x = matrix(cols, dtype, 100 + cols)
            got = getattr(sk, op)(x, temperature=0.37)
            want = getattr(sk, op)(x.astype(np.float32), temperature=0.37)
            if op in ("softmax", "log_softmax"):
                want = want.astype(dtype)
            g, w = got.astype(np.float32), want.astype(np.float32)
            assert np.array_equal(np.isnan(g), np.isnan(w)), f"{PATHS[path]} {cols} cols: NaN rows"
            if dtype == np.float16:
                assert same_bits(g, w), f"{PATHS[path]} {cols} cols"
            elif op in ("softmax", "log_softmax"):  # one storage step (log p near 0: absolute)
                atol = 8 * 2.0 ** -24 if op == "log_softmax" else 2.0 ** -126
                np.testing.assert_allclose(g, w, rtol=2.0 ** -7, atol=atol, err_msg=f"{PATHS[path]} {cols} cols")
            else:
                np.testing.assert_allclose(g, w, rtol=2e-6, atol=2e-6 * cols, err_msg=f"{PATHS[path]} {cols} cols")
