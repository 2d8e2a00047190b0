"""From whatever the caller holds to (address, rows, cols, ld) without copying when possible.

The C kernels take row-major matrices with a leading dimension: element (r, c) at
base + r·ld + c. An n-d array fits that shape without a copy when its elements along the
"column" axes are contiguous and its "row" axes step by one common stride; `matrix_view`
finds that view or says there is none, and the callers copy only then.
"""
import operator

import numpy as np

FLOATS = (np.dtype(np.float32), np.dtype(np.float64))
try:  # bfloat16 as numpy sees it, when the ml_dtypes package is installed
    import ml_dtypes
    BFLOAT16 = np.dtype(ml_dtypes.bfloat16)
except ImportError:
    BFLOAT16 = None
# 16-bit storage the four row ops take (smoothkit_half.h): computed in float32, maps written in
# the storage type, reductions in float32.
HALVES = tuple(d for d in (np.dtype(np.float16), BFLOAT16) if d is not None)
AxisError = getattr(np, "exceptions", np).AxisError


def as_array(x, name: str = "x") -> np.ndarray:
    """numpy view of x: an ndarray, a DLPack tensor (torch, JAX, cupy on CPU…), anything with
    the buffer protocol or __array_interface__; sequences are converted as numpy does."""
    if isinstance(x, np.ndarray):
        return x
    if hasattr(x, "__dlpack__") and hasattr(np, "from_dlpack"):
        try:
            return np.from_dlpack(x)
        except (BufferError, TypeError, RuntimeError):
            pass  # e.g. a device tensor or a read-only export: fall through to the array protocols
    return np.asarray(x)


def as_float_array(x, name: str = "x", halves: bool = False) -> np.ndarray:
    """as_array, then check the dtype: float32 or float64 (or with `halves`, float16 or
    bfloat16) in native byte order, never a cast."""
    a = as_array(x, name)
    if (a.dtype not in FLOATS and not (halves and a.dtype in HALVES)) or not a.dtype.isnative:
        kinds = "float32 or float64 (or float16, bfloat16)" if halves else "float32 or float64"
        raise TypeError(f"{name}: smoothkit takes {kinds} here, got {a.dtype}; convert it "
                        f"explicitly (e.g. x.astype(np.float32)) if that is what you mean")
    return a


def same_dtype(a: np.ndarray, b: np.ndarray, name: str) -> None:
    if b.dtype != a.dtype:
        raise TypeError(f"{name}: dtype {b.dtype} does not match the input's {a.dtype}")


def normalize_axis(axis, ndim: int) -> int:
    if ndim == 0:
        raise ValueError("smoothkit: the input must have at least one dimension")
    axis = operator.index(axis)
    if not -ndim <= axis < ndim:
        raise AxisError(axis, ndim)
    return axis % ndim


def matrix_view(a: np.ndarray, split: int):
    """(address, rows, cols, ld) of `a` seen as a matrix whose rows are the axes [:split] and
    whose columns are the axes [split:], or None when that needs a copy.

    The column axes must collapse to contiguous elements, the row axes to one positive stride
    that is a whole number of elements, at least cols (rows never overlap)."""
    item = a.itemsize
    rows = int(np.prod(a.shape[:split], dtype=np.int64))
    cols = int(np.prod(a.shape[split:], dtype=np.int64))
    if a.size == 0:
        return a.ctypes.data, rows, cols, cols
    step = item
    for size, stride in zip(reversed(a.shape[split:]), reversed(a.strides[split:])):
        if size != 1:
            if stride != step:
                return None
            step *= size
    row_dims = [(size, stride) for size, stride in zip(a.shape[:split], a.strides[:split]) if size != 1]
    if not row_dims:
        return a.ctypes.data, rows, cols, cols
    for (_, outer), (size, inner) in zip(row_dims, row_dims[1:]):
        if outer != inner * size:
            return None
    ld_bytes = row_dims[-1][1]
    if ld_bytes <= 0 or ld_bytes % item or ld_bytes // item < cols:
        return None
    return a.ctypes.data, rows, cols, ld_bytes // item


def rows_view(a: np.ndarray):
    """matrix_view with the last axis as the columns."""
    return matrix_view(a, a.ndim - 1)


def contiguous_rows(a: np.ndarray):
    """(array, view) for the rows over the last axis: `a` itself when it has a row view, else
    a C-contiguous copy."""
    view = rows_view(a)
    if view is None:
        a = np.ascontiguousarray(a)
        view = rows_view(a)
    return a, view


def check_out(out, shape, dtype, name: str = "out") -> np.ndarray:
    """The caller's `out` as an ndarray after checking shape, dtype and writability (before any
    computing, so a mismatch writes nothing)."""
    o = as_array(out, name)
    if o.dtype != dtype:
        raise TypeError(f"{name}: dtype {o.dtype} does not match the result's {dtype}")
    if o.shape != tuple(shape):
        raise ValueError(f"{name}: shape {o.shape} does not match the result's {tuple(shape)}")
    if not o.flags.writeable:
        raise ValueError(f"{name}: the array is read-only")
    return o


def same_layout(a: np.ndarray, b: np.ndarray) -> bool:
    """a and b are the same elements in the same order (an exact alias)."""
    return (a.ctypes.data == b.ctypes.data and a.shape == b.shape and a.strides == b.strides
            and a.dtype == b.dtype)


def overlaps(out: np.ndarray, inputs) -> bool:
    return any(np.may_share_memory(out, x) for x in inputs)
