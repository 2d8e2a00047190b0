"""Backward ops (vector–Jacobian products) of the row ops, and fused cross-entropy.

Formulas (SPEC §1, per row along `axis`, p = softmax(x/τ)):
  logsumexp_backward    dx_i = g · p_i                     (g: one value per row)
  softmax_backward      dx_i = p_i · (g_i − ⟨g, p⟩) / τ    (from p, the forward output)
  log_softmax_backward  dx_i = (g_i − p_i · Σ_j g_j) / τ    (from log p, or p with form="prob")
  softargmax_backward   dx_i = g · p_i · (i − a) / τ        (g: one value per row)
The axis is moved last (a view when possible, else a copy): these are row kernels.

float16 (and ml_dtypes' bfloat16) are taken as by the forward ops (SPEC §1.6): computed in
float32 on the exact stored values, dx and the soft targets in the input's dtype, the per-row
gradients `grad` of logsumexp and soft-argmax (the gradient of a float32 output) and the loss
in float32.
"""
import numpy as np

from . import clib
from ._layout import (HALVES, as_array, as_float_array, check_out, contiguous_rows, normalize_axis, overlaps,
                      rows_view, same_dtype, same_layout)
from .core import _scalar

_REDUCTIONS = {"none": 0, "mean": 1, "sum": 2}
_FORMS = {"log": 0, "prob": 1}


def _rows(a, axis):
    return contiguous_rows(np.moveaxis(a, axis, -1))


def _reduced_dtype(x):
    """The dtype of a per-row value (a loss, the gradient of a reduction): float32 for the halves."""
    return np.dtype(np.float32) if x.dtype in HALVES else x.dtype


def _per_row(g, x, axis, name):
    """A per-row upstream gradient (the reduced shape of x) as a contiguous vector."""
    g = as_float_array(g, name)
    if g.dtype != _reduced_dtype(x):
        raise TypeError(f"{name}: dtype {g.dtype} does not match the reduced dtype {_reduced_dtype(x)}")
    shape = x.shape[:axis] + x.shape[axis + 1:]
    if g.shape != shape:
        raise ValueError(f"{name}: shape {g.shape} does not match the reduced shape {shape}")
    return np.ascontiguousarray(g)


def _backward(name, x, axis, temperature, out, grad, per_row, extra=()):
    """dx of x's shape: the call smk_<name>(x rows, [extra], g, [ldg], t, dx, lddx)."""
    x = as_float_array(x, halves=True)
    axis = normalize_axis(axis, x.ndim)
    t = _scalar(x.dtype, temperature)
    if per_row:
        g = _per_row(grad, x, axis, "grad")
        g_args, inputs = (g.ctypes.data,), [x]
    else:
        g = as_float_array(grad, "grad", halves=True)
        same_dtype(x, g, "grad")
        if g.shape != x.shape:
            raise ValueError(f"grad: shape {g.shape} does not match the input's {x.shape}")
        g_moved, g_view = _rows(g, axis)
        g_args, inputs = (g_view[0], g_view[3]), [x, g]
    if out is not None:
        out = check_out(out, x.shape, x.dtype)
    x_moved, (address, rows, cols, ld) = _rows(x, axis)
    # dx may be the storage of an input with the same layout (in place), else apart from all.
    dest = out if out is not None and (any(same_layout(out, a) for a in inputs) or not overlaps(out, inputs)) \
        else None
    # (an alias has the input's strides, hence its leading dimension, as the C call requires)
    dview = rows_view(np.moveaxis(dest, axis, -1)) if dest is not None else None
    result = dest
    if dview is None:
        target = np.empty(x_moved.shape, x.dtype)
        dview, result = rows_view(target), np.moveaxis(target, -1, axis)
    clib.call(name, x.dtype, address, rows, cols, ld, *extra, *g_args, t, dview[0], dview[3])
    if out is not None and result is not out:
        np.copyto(out, result)
        return out
    return result


def logsumexp_backward(x, grad, axis=-1, *, temperature=1.0, out=None):
    """Gradient of ``logsumexp(x, axis)``: ``dx_i = g·p_i`` with ``p = softmax(x/τ)``.

    `grad` has the reduced shape (one value per row). A NaN row gives NaN; +∞ entries share
    ``p = 1/k``; a fully masked (all −∞) row gives dx = 0. `out` may be `x` (in place).

    >>> import numpy as np, smoothkit as sk
    >>> sk.logsumexp_backward(np.array([[0.0, 0.0]]), np.array([2.0]))
    array([[1., 1.]])
    """
    return _backward("logsumexp_backward", x, axis, temperature, out, grad, per_row=True)


def softargmax_backward(x, grad, axis=-1, *, temperature=1.0, out=None):
    """Gradient of ``softargmax(x, axis)``: ``dx_i = g·p_i·(i − a)/τ``, a the soft-argmax.

    `grad` has the reduced shape. A fully masked row gives dx = 0. `out` may be `x`.

    >>> import numpy as np, smoothkit as sk
    >>> sk.softargmax_backward(np.array([[0.0, 0.0]]), np.array([1.0]))
    array([[-0.25,  0.25]])
    """
    return _backward("softargmax_backward", x, axis, temperature, out, grad, per_row=True)


def softmax_backward(p, grad, axis=-1, *, temperature=1.0, out=None):
    """Gradient through ``p = softmax(x, axis)`` from p itself: ``dx = p ⊙ (g − ⟨g, p⟩)/τ``.

    `grad` has p's shape. `out` may be `p` or `grad` (in place).

    >>> import numpy as np, smoothkit as sk
    >>> sk.softmax_backward(np.array([0.5, 0.5]), np.array([1.0, 0.0]))
    array([ 0.25, -0.25])
    """
    return _backward("softmax_backward", p, axis, temperature, out, grad, per_row=False)


def log_softmax_backward(y, grad, axis=-1, *, temperature=1.0, out=None, form="log"):
    """Gradient through ``y = log_softmax(x, axis)``: ``dx = (g − p·Σ_j g_j)/τ``.

    `y` is the forward output ``log p`` (``form="log"``) or ``p`` (``form="prob"``). A fully
    masked row gives ``g/τ``. `out` may be `y` or `grad`.

    >>> import numpy as np, smoothkit as sk
    >>> sk.log_softmax_backward(np.log([0.5, 0.5]), np.array([1.0, 0.0]))
    array([ 0.5, -0.5])
    """
    if form not in _FORMS:
        raise ValueError(f"form: 'log' or 'prob', got {form!r}")
    return _backward("log_softmax_backward", y, axis, temperature, out, grad, per_row=False, extra=(_FORMS[form],))


def cross_entropy(logits, labels=None, *, targets=None, axis=-1, ignore_index=-100, label_smoothing=0.0,
                  temperature=1.0, reduction="mean", return_grad=False):
    """Fused softmax cross-entropy over the class axis `axis` (PyTorch's F.cross_entropy).

    Per row, with ``log p = log_softmax(x/τ)`` and a target distribution q:
    ``loss = −Σ_i q_i·log p_i`` and ``dx_i = (p_i·Σ_j q_j − q_i)/τ`` (scaled by 1/count for
    "mean"), in two passes over the row. `labels` (integers, the reduced shape) give
    ``q = (1 − ε)·onehot(y) + ε/n``; `targets` (x's shape and dtype) give
    ``q = (1 − ε)·targets + ε/n``; ε = `label_smoothing`. A row whose label is `ignore_index`
    counts 0 and leaves the mean; any other label outside [0, n) is a :class:`DomainError`
    (nothing computed). `reduction`: "mean" (no counted row → NaN), "sum" or "none" (a loss
    per row). Returns the loss, or ``(loss, dlogits)`` with `return_grad`. float16 / bfloat16
    logits (and targets) give a float32 loss and dlogits in their dtype (SPEC §1.6).

    >>> import numpy as np, smoothkit as sk
    >>> round(float(sk.cross_entropy(np.array([[0.0, 0.0]]), np.array([1]))), 6)
    0.693147
    """
    x = as_float_array(logits, "logits", halves=True)
    axis = normalize_axis(axis, x.ndim)
    if (labels is None) == (targets is None):
        raise ValueError("cross_entropy: give labels or targets (one of them)")
    if reduction not in _REDUCTIONS:
        raise ValueError(f"reduction: 'mean', 'sum' or 'none', got {reduction!r}")
    t, eps = _scalar(x.dtype, temperature), _scalar(x.dtype, label_smoothing)
    x_moved, (address, rows, cols, ld) = _rows(x, axis)
    if labels is not None:
        y = as_array(labels, "labels")
        if y.dtype.kind not in "iu":
            raise TypeError(f"labels: integers are needed, got {y.dtype}")
        if y.shape != x_moved.shape[:-1]:
            raise ValueError(f"labels: shape {y.shape} does not match {x_moved.shape[:-1]}")
        y = np.ascontiguousarray(y, dtype=np.int64)
        name, target_args = "cross_entropy", (y.ctypes.data, int(ignore_index))
    else:
        q = as_float_array(targets, "targets", halves=True)
        same_dtype(x, q, "targets")
        if q.shape != x.shape:
            raise ValueError(f"targets: shape {q.shape} does not match the logits' {x.shape}")
        q_rows, q_view = _rows(q, axis)  # q_rows: a copy must outlive the call
        name, target_args = "cross_entropy_soft", (q_view[0], q_view[3])
    loss = np.empty(rows if reduction == "none" else 1, _reduced_dtype(x))
    dx = np.empty(x_moved.shape, x.dtype) if return_grad else None
    clib.call(name, x.dtype, address, rows, cols, ld, *target_args, eps, t, _REDUCTIONS[reduction],
              loss.ctypes.data, dx.ctypes.data if return_grad else None, cols)
    loss = loss.reshape(x_moved.shape[:-1]) if reduction == "none" else loss[0]
    return (loss, np.moveaxis(dx, -1, axis)) if return_grad else loss
