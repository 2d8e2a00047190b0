"""The four row ops along any axis: logsumexp, softmax, log_softmax, softargmax.

Each call becomes one C call (or one per leading index) on the caller's memory:
  * the reduced axis is the last one, or can be moved there as a view whose rows step by one
    stride (a transposed array, a slice of columns): the row kernels smk_<op>, with that
    stride as the leading dimension;
  * otherwise the elements after the axis are contiguous (axis 0 of a C-ordered matrix, axis 1
    of a (B, N, D) batch): the column kernels smk_col_<op>, down the axis;
  * otherwise a contiguous copy with the axis last.
Results are the C library's, bit for bit; the row and column kernels are different sums, so
the last bits of the two paths may differ (each is within SPEC's bounds).

float16 (and ml_dtypes' bfloat16, when that package is installed) are taken too: computed in
float32 by the C library's float16 / bfloat16 entry points (SPEC §1.6: the float32 result on
the exact stored values, rounded once), softmax and log_softmax returned in the input's dtype,
logsumexp and softargmax in float32. Row kernels only: an axis that is not the last
(strided) one is copied last, and where= / lengths= raise TypeError.

>>> import numpy as np, smoothkit as sk
>>> sk.softmax(np.array([0, 0, -np.inf], dtype=np.float16))
array([0.5, 0.5, 0. ], dtype=float16)
"""
import ctypes

import numpy as np

from . import clib
from ._layout import (HALVES, as_array, as_float_array, check_out, contiguous_rows, matrix_view,
                      normalize_axis, overlaps, rows_view, same_layout)

# Below this many contiguous elements after the axis, one column call per leading index costs
# more than the copy it saves.
_MIN_COLUMN_WIDTH = 64


def _scalar(dtype, temperature):
    t = float(temperature)
    return ctypes.c_double(t) if dtype == np.float64 else ctypes.c_float(t)  # float for the halves too


def _check_half(x, where, lengths):
    """float16 / bfloat16 have the row kernels only: no masks (where=, lengths=)."""
    if x.dtype in HALVES and (where is not None or lengths is not None):
        raise TypeError(f"where= and lengths= take float32 or float64, not {x.dtype}")


def _plan(x: np.ndarray, axis: int):
    """("rows", x with the axis last (a view, or a copy), its row view) or ("cols", x, the
    column view of x[0, …, 0] (the axis as rows, the axes after it as columns)). float16 and
    bfloat16 take rows only (no column kernels): a copy with the axis last when needed."""
    moved = np.moveaxis(x, axis, -1)
    view = rows_view(moved)
    if view is not None:
        return "rows", moved, view
    if axis < x.ndim - 1 and x.dtype not in HALVES:
        prefix = x.shape[:axis]
        first = x[(0,) * axis] if x.size else None
        view = matrix_view(first, 1) if first is not None else None
        if view is not None and (len(prefix) == 0 or view[2] >= _MIN_COLUMN_WIDTH):
            return "cols", x, view
    moved = np.ascontiguousarray(moved)
    return "rows", moved, rows_view(moved)


def _prefix_addresses(a: np.ndarray, axis: int):
    """Address of a[idx] for every index over the axes before `axis`, in C order."""
    if axis == 0:
        return [a.ctypes.data]
    strides = np.array(a.strides[:axis], dtype=np.int64)
    return [a.ctypes.data + int(np.dot(idx, strides)) for idx in np.ndindex(*a.shape[:axis])]


def _map(op: str, x, axis, temperature, out, where, lengths):
    x = as_float_array(x, halves=True)
    _check_half(x, where, lengths)
    axis = normalize_axis(axis, x.ndim)
    t = _scalar(x.dtype, temperature)
    if out is not None:
        out = check_out(out, x.shape, x.dtype)
    if where is not None or lengths is not None:
        result = _masked(op, x, axis, t, None, where, lengths)
        return result if out is None else _copy_into(out, result)
    kind, src, view = _plan(x, axis)
    # The caller's out is written directly when it is x itself (in place, same leading
    # dimension) or shares no memory with x, and has the view the kernel needs.
    dest = out if out is not None and (same_layout(out, x) or not overlaps(out, [x])) else None
    _, rows, cols, ld = view
    if kind == "rows":
        tview = rows_view(np.moveaxis(dest, axis, -1)) if dest is not None else None
        result = dest
        if tview is None:
            target = np.empty(src.shape, x.dtype)
            tview, result = rows_view(target), np.moveaxis(target, -1, axis)
        clib.call(op, x.dtype, view[0], rows, cols, ld, t, tview[0], tview[3])
    else:
        tview = matrix_view(dest[(0,) * axis], 1) if dest is not None else None
        result = dest
        if tview is None:
            result = np.empty(x.shape, x.dtype)
            tview = matrix_view(result[(0,) * axis], 1)
        fn = clib.function("col_" + op, x.dtype)
        for xa, ya in zip(_prefix_addresses(x, axis), _prefix_addresses(result, axis)):
            clib.check(fn(xa, rows, cols, ld, t, ya, tview[3]), "smk_col_" + op)
    return result if out is None or result is out else _copy_into(out, result)


def _copy_into(out, result):
    np.copyto(out, result)
    return out


def _reduce(op: str, x, axis, temperature, out, where, lengths, keepdims):
    x = as_float_array(x, halves=True)
    _check_half(x, where, lengths)
    axis = normalize_axis(axis, x.ndim)
    t = _scalar(x.dtype, temperature)
    shape = x.shape[:axis] + x.shape[axis + 1:]
    rdtype = np.dtype(np.float32) if x.dtype in HALVES else x.dtype  # halves reduce to float32
    if out is not None:
        out = check_out(out, x.shape[:axis] + (1,) + x.shape[axis + 1:] if keepdims else shape, rdtype)
    # One value per row, in C order of the remaining axes: the caller's out directly when it
    # is C-contiguous and apart from x.
    direct = out is not None and out.flags.c_contiguous and not overlaps(out, [x])
    result = out.reshape(shape) if direct else np.empty(shape, rdtype)
    if where is not None or lengths is not None:
        _masked(op, x, axis, t, result, where, lengths)
    else:
        kind, src, view = _plan(x, axis)  # src keeps a copy alive during the call
        _, rows, cols, ld = view
        if kind == "rows":
            clib.call(op, x.dtype, view[0], rows, cols, ld, t, result.ctypes.data)
        else:
            fn = clib.function("col_" + op, x.dtype)
            for xa, oa in zip(_prefix_addresses(x, axis), _prefix_addresses(result, axis)):
                clib.check(fn(xa, rows, cols, ld, t, oa), "smk_col_" + op)
    if out is None:
        return np.expand_dims(result, axis) if keepdims else result
    if not direct:
        np.copyto(out, result.reshape(out.shape))
    return out


def _masked(op, x, axis, t, result, where, lengths):
    """The masked entry points (rows only: the axis is moved last, copied if it must be):
    entries with where == False, or at positions ≥ lengths, act as −∞. `result` is a
    C-contiguous array of the reduced shape (reductions), else None: the map is returned."""
    moved, (address, rows, cols, ld) = contiguous_rows(np.moveaxis(x, axis, -1))
    mask_address, ldm = None, 0
    if where is not None:
        mask = as_array(where, "where")
        if mask.dtype != np.bool_ and mask.dtype.kind not in "iu":
            raise TypeError(f"where: a boolean mask is needed, got {mask.dtype}")
        mask = np.moveaxis(np.broadcast_to(mask, x.shape), axis, -1)
        if mask.dtype != np.bool_ and mask.dtype != np.uint8:
            mask = mask != 0
        mask, mview = contiguous_rows(mask)
        mask_address, ldm = mview[0], mview[3]
    lengths_address = None
    if lengths is not None:
        lens = as_array(lengths, "lengths")
        if lens.dtype.kind not in "iu":
            raise TypeError(f"lengths: integers are needed, got {lens.dtype}")
        lens = np.ascontiguousarray(np.broadcast_to(lens, moved.shape[:-1]), dtype=np.int64)
        lengths_address = lens.ctypes.data
    args = (address, rows, cols, ld, lengths_address, mask_address, ldm, t)
    if result is not None:
        clib.call("masked_" + op, x.dtype, *args, result.ctypes.data)
        return result
    y = np.empty(moved.shape, x.dtype)
    clib.call("masked_" + op, x.dtype, *args, y.ctypes.data, cols)
    return np.moveaxis(y, -1, axis)


def logsumexp(x, axis=-1, *, temperature=1.0, out=None, where=None, lengths=None, keepdims=False):
    """Smooth maximum along `axis`: ``L = τ·log Σ_i exp(x_i/τ)``, computed as
    ``m + τ·log Σ_i exp((x_i − m)/τ)`` with ``m = max x``.

    Accuracy: ``|err| ≤ 8u·max(|L|, τ)`` (u = 2^-24 for float32, 2^-53 for float64), for any
    length. Edge rows: any NaN → NaN; +∞ entries → +∞; all −∞ (fully masked) → −∞; an empty
    axis → −∞; huge finite values (±3e38) do not overflow.

    Parameters: `x` float32 or float64 of any shape (numpy, or anything with the buffer
    protocol, ``__array_interface__`` or DLPack: torch/JAX CPU tensors without a copy);
    `temperature` τ finite and > 0 (else :class:`TemperatureError`); `out` an array of the
    result's shape and dtype; `where` a boolean mask broadcastable to x (False entries act as
    −∞, through ``smk_masked_logsumexp``); `lengths` per-row counts of kept entries (a ragged
    batch padded along the axis); `keepdims` keeps the reduced axis with length 1.

    >>> import numpy as np, smoothkit as sk
    >>> sk.logsumexp(np.array([[1.0, 2.0, 3.0, 4.0], [0.0, 0.0, -np.inf, -np.inf]]))
    array([4.4401897 , 0.69314718])
    """
    return _reduce("logsumexp", x, axis, temperature, out, where, lengths, keepdims)


def softargmax(x, axis=-1, *, temperature=1.0, out=None, where=None, lengths=None, keepdims=False):
    """Expected index under the softmax along `axis`: ``a = Σ_i i·p_i`` (zero-based), with
    ``p = softmax(x/τ)``, fused in one pass.

    Accuracy: ``|err| ≤ 8u·n``. Edge rows: any NaN → NaN; k entries +∞ → the mean index of
    them; all −∞ → NaN; an empty axis → NaN. Arguments as :func:`logsumexp`.

    >>> import numpy as np, smoothkit as sk
    >>> float(sk.softargmax(np.array([0.0, -np.inf, 0.0])))
    1.0
    """
    return _reduce("softargmax", x, axis, temperature, out, where, lengths, keepdims)


def softmax(x, axis=-1, *, temperature=1.0, out=None, where=None, lengths=None):
    """``p_i = exp((x_i − m)/τ) / Σ_j exp((x_j − m)/τ)`` along `axis` (m = max x).

    Accuracy: relative error ≤ 8u per element for p ≥ 2^-100 (float32) / 2^-1000 (float64),
    ``|Σ p − 1| ≤ 8u·√n``. Edge rows: any NaN → all NaN; k entries +∞ → 1/k on them, 0
    elsewhere; all −∞ → all 0 (as masked attention); −∞ entries get exactly 0.

    `out` may be `x` itself (in place); any other overlap of `out` and `x` is computed into a
    temporary first. `where` / `lengths`: left-out entries act as −∞ (they get 0). Other
    arguments as :func:`logsumexp`.

    >>> import numpy as np, smoothkit as sk
    >>> sk.softmax(np.array([0.0, 0.0, -np.inf], dtype=np.float32))
    array([0.5, 0.5, 0. ], dtype=float32)
    """
    return _map("softmax", x, axis, temperature, out, where, lengths)


def log_softmax(x, axis=-1, *, temperature=1.0, out=None, where=None, lengths=None):
    """``log p_i = (x_i − m)/τ − log Σ_j exp((x_j − m)/τ)`` along `axis`.

    Accuracy: ``|err| ≤ 8u·max(1, |log p_i|)``. Edge rows: any NaN → all NaN; k entries +∞ →
    −log k there, −∞ elsewhere; all −∞ → all −∞. In place (``out=x``) is allowed; left-out
    entries of `where` / `lengths` get −∞. Other arguments as :func:`logsumexp`.

    >>> import numpy as np, smoothkit as sk
    >>> sk.log_softmax(np.array([0.0, 0.0]))
    array([-0.69314718, -0.69314718])
    """
    return _map("log_softmax", x, axis, temperature, out, where, lengths)
