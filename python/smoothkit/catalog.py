"""Smooth max / min / |x| from the smoothing catalog (SPEC §2), with their bounds.

Parameters follow SPEC: a sharpness (β, k, μ of "erf", p) recovers the hard function as it
grows, a width (τ, μ of "sqrt" and "huber") as it shrinks. Every parameter must be finite
and > 0 (else :class:`TemperatureError`).
"""
import ctypes

import numpy as np

from . import clib
from ._layout import as_float_array, contiguous_rows, normalize_axis, same_dtype
from .core import _scalar

MAX_KINDS = {"logsumexp": 0, "boltzmann": 1, "power": 2, "loglog": 3}
PAIR_KINDS = {"erf": 0, "sqrt": 1}
ABS_KINDS = {"logcosh": 0, "source6": 1, "sqrt": 2, "erf": 3, "huber": 4}


def _kind(table, kind, what):
    try:
        return table[kind]
    except KeyError:
        raise ValueError(f"{what}: one of {', '.join(table)}; got {kind!r}") from None


def _row_extremum(x, kind, parameter, axis, extremum):
    x = as_float_array(x)
    axis = normalize_axis(axis, x.ndim)
    code = _kind(MAX_KINDS, kind, "kind")
    moved, (address, rows, cols, ld) = contiguous_rows(np.moveaxis(x, axis, -1))
    out = np.empty(moved.shape[:-1], x.dtype)
    clib.call("smooth_max", x.dtype, address, rows, cols, ld, code, _scalar(x.dtype, parameter), extremum,
              out.ctypes.data)
    return out


def smooth_max(x, kind="logsumexp", parameter=1.0, axis=-1):
    """Smooth maximum along `axis`, m = max x, n its length:

    ===========  =====  ====================================  ==============================
    kind         param  formula                               bound
    ===========  =====  ====================================  ==============================
    logsumexp    τ      τ·log Σ e^{x_i/τ}                     m ≤ · ≤ m + τ ln n
    boltzmann    β      Σ x_i e^{βx_i} / Σ e^{βx_i}            m − (n−1)/(eβ) ≤ · ≤ m
    power        p      (Σ x_i^p)^{1/p}, x ≥ 0                 m ≤ · ≤ n^{1/p}·m
    loglog       k      (1/k) ln ln Σ e^{e^{k x_i}}            m ≤ · ≤ m + log1p(ln(n)e^{−km})/k
    ===========  =====  ====================================  ==============================

    Edge rows: NaN → NaN; an entry +∞ → +∞; all −∞ → −∞. A negative entry for "power" is a
    :class:`DomainError` (nothing computed).

    >>> import numpy as np, smoothkit as sk
    >>> round(float(sk.smooth_max(np.array([1.0, 2.0, 3.0, 3.0]), "boltzmann", 10.0)), 6)
    2.999977
    """
    return _row_extremum(x, kind, parameter, axis, 0)


def smooth_min(x, kind="logsumexp", parameter=1.0, axis=-1):
    """Smooth minimum ``−smooth_max(−x)`` (computed with a sign flag, no negated copy); the
    bounds of :func:`smooth_max` mirror. "power" needs entries ≤ 0.

    >>> import numpy as np, smoothkit as sk
    >>> bool(sk.smooth_min(np.array([0.0, 0.0]), "logsumexp", 1.0) == -np.log(2))
    True
    """
    return _row_extremum(x, kind, parameter, axis, 1)


def _pair_extremum(a, b, kind, parameter, extremum):
    a, b = as_float_array(a, "a"), as_float_array(b, "b")
    same_dtype(a, b, "b")
    code = _kind(PAIR_KINDS, kind, "kind")
    a, b = (np.ascontiguousarray(v) for v in np.broadcast_arrays(a, b))
    out = np.empty(a.shape, a.dtype)
    clib.call("smooth_max2", a.dtype, a.ctypes.data, b.ctypes.data, a.size, code, _scalar(a.dtype, parameter),
              extremum, out.ctypes.data)
    return out


def smooth_max2(a, b, kind="sqrt", parameter=1.0):
    """Elementwise smooth maximum of two arrays (broadcast together), d = a − b, m = max(a, b):

    * "erf", μ (sharpness): ``(a + b + d·erf(μd))/2``, ``m − 0.24038/(2μ) ≤ · ≤ m``
    * "sqrt", μ (width): ``(a + b + √(d² + μ²))/2``, ``m ≤ · ≤ m + μ/2``

    Infinite entries give the hard max.

    >>> import numpy as np, smoothkit as sk
    >>> sk.smooth_max2(np.array([1.0]), np.array([1.0]), "sqrt", 2.0)
    array([2.])
    """
    return _pair_extremum(a, b, kind, parameter, 0)


def smooth_min2(a, b, kind="sqrt", parameter=1.0):
    """Elementwise smooth minimum ``−smooth_max2(−a, −b)``; bounds mirror.

    >>> import numpy as np, smoothkit as sk
    >>> sk.smooth_min2(np.array([1.0]), np.array([1.0]), "sqrt", 2.0)
    array([-0.])
    """
    return _pair_extremum(a, b, kind, parameter, 1)


def smooth_abs(x, kind="logcosh", parameter=1.0, derivative=False):
    """Elementwise smooth |x|, and its derivative with ``derivative=True`` (then a pair):

    ========  =====  ===============================  ==========================  ===============
    kind      param  f(x)                             bound                       f'(x)
    ========  =====  ===============================  ==========================  ===============
    logcosh   k      |x| + log1p(e^{−2k|x|})/k        |x| ≤ f ≤ |x| + ln2/k       tanh(kx)
    source6   k      (1/k) ln(2 + e^{kx} + e^{−kx})   |x| ≤ f ≤ |x| + 2 ln2/k     tanh(kx/2)
    sqrt      μ      √(x² + μ²)                       |x| ≤ f ≤ |x| + μ           x/√(x²+μ²)
    erf       μ      x·erf(μx)                        |x| − 0.24038/μ ≤ f ≤ |x|
    huber     μ      x²/(2μ) if |x| ≤ μ, else |x|−μ/2  |x| − μ/2 ≤ f ≤ |x|         clamp(x/μ, −1, 1)
    ========  =====  ===============================  ==========================  ===============

    Finite for every finite x; ±∞ → +∞; NaN → NaN.

    >>> import numpy as np, smoothkit as sk
    >>> sk.smooth_abs(np.array([-2.0, 0.0]), "huber", 1.0)
    array([1.5, 0. ])
    """
    x = np.ascontiguousarray(as_float_array(x))
    code = _kind(ABS_KINDS, kind, "kind")
    y = np.empty(x.shape, x.dtype)
    dy = np.empty(x.shape, x.dtype) if derivative else None
    clib.call("smooth_abs", x.dtype, x.ctypes.data, x.size, code, _scalar(x.dtype, parameter), y.ctypes.data,
              dy.ctypes.data if derivative else None)
    return (y, dy) if derivative else y


class _Gap(ctypes.Structure):
    _fields_ = [("below", ctypes.c_double), ("above", ctypes.c_double)]


def smooth_abs_gap(kind, parameter):
    """``(below, above)`` with ``|x| − below ≤ smooth_abs(x) ≤ |x| + above`` for every x.

    >>> import smoothkit as sk
    >>> sk.smooth_abs_gap("huber", 1.0)
    (0.5, 0.0)
    """
    gap = _Gap()
    clib.check(clib.lib.smk_smooth_abs_gap(_kind(ABS_KINDS, kind, "kind"), float(parameter), ctypes.byref(gap)),
               "smk_smooth_abs_gap")
    return gap.below, gap.above


def smooth_max_gap(kind, parameter, n, m=0.0):
    """``(below, above)`` with ``m − below ≤ smooth_max(x) ≤ m + above`` for rows of length n
    and max m (m matters for "power", relative, and "loglog").

    >>> import math, smoothkit as sk
    >>> sk.smooth_max_gap("logsumexp", 1.0, 4) == (0.0, math.log(4))
    True
    """
    gap = _Gap()
    clib.check(clib.lib.smk_smooth_max_gap(_kind(MAX_KINDS, kind, "kind"), float(parameter), int(n), float(m),
                                           ctypes.byref(gap)), "smk_smooth_max_gap")
    return gap.below, gap.above
