#!/usr/bin/env python3
"""A Python user of libsmoothkit through raw ctypes, checked against scipy.special.

For Python code, use the smoothkit package instead (`pip install ./python`, then
`import smoothkit`): it ships its own copy of the library and covers every axis, dtype check,
out=, masks and error. This file shows what the C ABI looks like from another language.

Usage: python3 example.py PATH/TO/libsmoothkit.so   (scripts/install-clib PREFIX installs it)
Exits non-zero if SmoothKit and scipy disagree beyond SPEC.md's bounds.
"""
import ctypes
import sys

import numpy as np
from scipy import special

lib = ctypes.CDLL(sys.argv[1] if len(sys.argv) > 1 else "libsmoothkit.so")
f64p = ctypes.POINTER(ctypes.c_double)
size = ctypes.c_size_t
lib.smk_logsumexp_f64.argtypes = [f64p, size, size, size, ctypes.c_double, f64p]
lib.smk_softmax_f64.argtypes = [f64p, size, size, size, ctypes.c_double, f64p, size]
lib.smk_status_string.restype = ctypes.c_char_p
for fn in (lib.smk_logsumexp_f64, lib.smk_softmax_f64):
    fn.restype = ctypes.c_int


def logsumexp(x: np.ndarray, tau: float = 1.0) -> np.ndarray:
    """Row-wise τ·log Σ exp(x/τ) of a C-contiguous float64 matrix."""
    x = np.ascontiguousarray(x, dtype=np.float64)
    out = np.empty(x.shape[0])
    status = lib.smk_logsumexp_f64(x.ctypes.data_as(f64p), x.shape[0], x.shape[1], x.shape[1], tau,
                                   out.ctypes.data_as(f64p))
    if status != 0:
        raise ValueError(lib.smk_status_string(status).decode())
    return out


def softmax(x: np.ndarray, tau: float = 1.0) -> np.ndarray:
    """Row-wise softmax(x/τ) of a C-contiguous float64 matrix."""
    x = np.ascontiguousarray(x, dtype=np.float64)
    y = np.empty_like(x)
    status = lib.smk_softmax_f64(x.ctypes.data_as(f64p), x.shape[0], x.shape[1], x.shape[1], tau,
                                 y.ctypes.data_as(f64p), x.shape[1])
    if status != 0:
        raise ValueError(lib.smk_status_string(status).decode())
    return y


x = np.random.default_rng(7).normal(size=(64, 1000)) * 5
u = 2.0 ** -53
lse, lse_ref = logsumexp(x, 0.5), 0.5 * special.logsumexp(x / 0.5, axis=1)
p, p_ref = softmax(x), special.softmax(x, axis=1)
# scipy is itself float64 and forms exp(x - max) plainly: its argument carries a rounding
# error of up to u·|x - max|, i.e. a relative error of that size in each p (about 18u here,
# where SmoothKit stays within SPEC's 8u). The tolerance adds both sides' bounds.
ok_lse = np.all(np.abs(lse - lse_ref) <= 16 * u * np.maximum(np.abs(lse_ref), 0.5))
spread = np.abs(x - x.max(axis=1, keepdims=True))
ok_p = np.all(np.abs(p - p_ref) <= (12 + 2 * spread) * u * p_ref)
print(f"logsumexp max |diff| {np.max(np.abs(lse - lse_ref)):.3g}, softmax max rel diff "
      f"{np.max(np.abs(p - p_ref) / p_ref):.3g}: {'agrees with scipy' if ok_lse and ok_p else 'MISMATCH'}")
try:
    logsumexp(x, 0.0)
except ValueError as e:
    print(f"temperature 0 rejected: {e}")
sys.exit(0 if ok_lse and ok_p else 1)
