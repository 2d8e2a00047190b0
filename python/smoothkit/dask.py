"""smoothkit on dask arrays: the row ops block by block, logsumexp as a tree of state merges.

* :func:`softmax`, :func:`log_softmax`, :func:`softargmax` — ``map_blocks`` over chunks that
  hold the whole `axis` (the array is rechunked to one chunk along it when needed; the other
  axes keep their chunks), each block computed by the C kernels on the worker. Every row is
  computed independently, so the result equals the single-process one bit for bit.
* :func:`logsumexp` — ``da.reduction`` along `axis`, chunked or not: each block gives its
  :class:`~smoothkit.LogSumExpState` ``(m, s)``, blocks are merged pairwise with
  ``smk_lse_merge`` as the combine step, and the root finalises ``m + τ·log s``. Agrees with
  the single-process logsumexp within SPEC's ``8u·max(|L|, τ)`` for trees up to ~8 levels.

dask is not a dependency of smoothkit: install it to use this module
(``pip install "dask[array,distributed]"``).

>>> import dask.array as da, numpy as np, smoothkit.dask as skd
>>> x = da.from_array(np.random.default_rng(0).normal(size=(1000, 400)), chunks=(250, 100))
>>> lse = skd.logsumexp(x, axis=1)            # 4 column chunks per row, merged as states
>>> p = skd.softmax(x, axis=1)                # rechunked to whole rows, then map_blocks
>>> bool(np.allclose(lse.compute(), np.log(np.exp(x.compute()).sum(1))))
True
"""
from functools import partial

import dask.array as da
import numpy as np

from . import core
from ._layout import FLOATS, normalize_axis
from .state import LogSumExpState


def _check(x):
    if not isinstance(x, da.Array):
        x = da.asarray(x)
    if x.dtype not in FLOATS:
        raise TypeError(f"smoothkit computes in float32 or float64, got {x.dtype}; convert it explicitly")
    return x


def _whole_axis(x, axis):
    return x if len(x.chunks[axis]) == 1 else x.rechunk({axis: -1})


def softmax(x, axis=-1, *, temperature=1.0):
    """:func:`smoothkit.softmax` of a dask array along `axis` (lazy; same values)."""
    x = _check(x)
    axis = normalize_axis(axis, x.ndim)
    return _whole_axis(x, axis).map_blocks(core.softmax, axis=axis, temperature=temperature, dtype=x.dtype)


def log_softmax(x, axis=-1, *, temperature=1.0):
    """:func:`smoothkit.log_softmax` of a dask array along `axis` (lazy; same values)."""
    x = _check(x)
    axis = normalize_axis(axis, x.ndim)
    return _whole_axis(x, axis).map_blocks(core.log_softmax, axis=axis, temperature=temperature, dtype=x.dtype)


def softargmax(x, axis=-1, *, temperature=1.0):
    """:func:`smoothkit.softargmax` of a dask array along `axis` (lazy; same values)."""
    x = _check(x)
    axis = normalize_axis(axis, x.ndim)
    return _whole_axis(x, axis).map_blocks(core.softargmax, axis=axis, temperature=temperature, dtype=x.dtype,
                                           drop_axis=axis)


def _state_dtype(dtype):
    return np.dtype([("m", dtype), ("s", dtype)])


def _chunk_state(block, axis, keepdims, temperature, computing_meta=False):
    """A block's state along the reduced axis, kept as a length-1 axis of (m, s) records."""
    (axis,) = axis
    if computing_meta or not any(block.shape):
        # dask's meta probe (a block with every dimension 0): a plain array of the element type,
        # which dask casts to the result's dtype; combine and aggregate pass such blocks through
        return np.empty((0,) * block.ndim, block.dtype)
    out = np.empty(block.shape[:axis] + (1,) + block.shape[axis + 1:], _state_dtype(block.dtype))
    state = LogSumExpState.from_chunk(block, axis=axis, temperature=temperature)
    out["m"], out["s"] = np.expand_dims(state.m, axis), np.expand_dims(state.s, axis)
    return out


def _merge_states(states, axis, temperature):
    """Merge the records along `axis` down to one, pairwise (a tree of depth log2 k); every
    level is one smk_lse_merge call over all pairs."""
    m = np.moveaxis(states["m"], axis, -1)
    s = np.moveaxis(states["s"], axis, -1)
    while m.shape[-1] > 1:
        half = m.shape[-1] // 2
        left = LogSumExpState(m[..., :2 * half:2], s[..., :2 * half:2], temperature)
        merged = left.merge(LogSumExpState(m[..., 1:2 * half:2], s[..., 1:2 * half:2], temperature))
        m = np.concatenate([merged.m, m[..., 2 * half:]], axis=-1)
        s = np.concatenate([merged.s, s[..., 2 * half:]], axis=-1)
    return LogSumExpState(m[..., 0], s[..., 0], temperature)


def _combine(states, axis, keepdims, temperature, computing_meta=False):
    (axis,) = axis
    if computing_meta or states.dtype.names is None:
        return states
    merged = _merge_states(states, axis, temperature)
    out = np.empty(merged.m.shape, states.dtype)
    out["m"], out["s"] = merged.m, merged.s
    return np.expand_dims(out, axis)


def _aggregate(states, axis, keepdims, temperature, computing_meta=False):
    (axis,) = axis
    if computing_meta or states.dtype.names is None:
        return np.empty((0,) * (states.ndim - (not keepdims)), states.dtype["m"] if states.dtype.names else states.dtype)
    lse = _merge_states(states, axis, temperature).logsumexp()
    return np.expand_dims(lse, axis) if keepdims else lse


def logsumexp(x, axis=-1, *, temperature=1.0, keepdims=False, split_every=None):
    """:func:`smoothkit.logsumexp` of a dask array along `axis`, which may be split over many
    chunks: a ``da.reduction`` whose blocks yield LogSumExpState records, merged by
    ``smk_lse_merge`` (combine) and finalised at the root (aggregate). `split_every` sets the
    tree's fan-in as for any dask reduction."""
    x = _check(x)
    axis = normalize_axis(axis, x.ndim)
    t = float(temperature)
    return da.reduction(x, partial(_chunk_state, temperature=t), partial(_aggregate, temperature=t),
                        combine=partial(_combine, temperature=t), axis=axis, keepdims=keepdims, dtype=x.dtype,
                        split_every=split_every, concatenate=True,
                        meta=np.empty((0,) * (x.ndim - (not keepdims)), x.dtype))
