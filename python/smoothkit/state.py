"""LogSumExpState: logsumexp of data that arrives in pieces (streams, files, workers)."""
import numpy as np

from . import clib
from ._layout import FLOATS, as_float_array, contiguous_rows, normalize_axis
from .core import _scalar


class LogSumExpState:
    """The mergeable state ``(m, s)`` of a logsumexp along one axis, one pair per row.

    A chunk gives ``m = max x`` and ``s = Σ exp((x_i − m)/τ)``; two states merge as
    ``m = max(m1, m2)``, ``s = s1·exp((m1 − m)/τ) + s2·exp((m2 − m)/τ)`` (``smk_lse_merge``:
    ±∞ never turns into NaN), and :meth:`logsumexp` gives ``L = m + τ·log s``. The merge is
    commutative and associative up to rounding, so chunks combined in any order, on any
    thread or machine, agree with one pass within SPEC's ``8u·max(|L|, τ)`` for up to about 8
    merge levels. The empty state ``(−∞, 0)`` is the identity; a NaN chunk gives ``(NaN, NaN)``,
    which every merge keeps.

    >>> import numpy as np, smoothkit as sk
    >>> x = np.random.default_rng(0).normal(size=(4, 1000))
    >>> state = sk.LogSumExpState.from_chunk(x[:, :600])
    >>> state = state.merge(sk.LogSumExpState.from_chunk(x[:, 600:]))
    >>> bool(np.allclose(state.logsumexp(), sk.logsumexp(x)))
    True
    """

    __slots__ = ("m", "s", "temperature")

    def __init__(self, m, s, temperature=1.0):
        m, s = as_float_array(m, "m"), as_float_array(s, "s")
        if m.dtype != s.dtype or m.shape != s.shape:
            raise ValueError(f"m and s differ: {m.dtype}{m.shape} and {s.dtype}{s.shape}")
        self.m, self.s = np.ascontiguousarray(m), np.ascontiguousarray(s)
        self.temperature = float(temperature)

    @classmethod
    def empty(cls, shape=(), dtype=np.float64, temperature=1.0):
        """The identity of merge: ``m = −∞``, ``s = 0`` for every row."""
        if np.dtype(dtype) not in FLOATS:
            raise TypeError(f"dtype: float32 or float64, got {np.dtype(dtype)}")
        return cls(np.full(shape, -np.inf, dtype), np.zeros(shape, dtype), temperature)

    @classmethod
    def from_chunk(cls, x, axis=-1, temperature=1.0):
        """The state of a chunk along `axis` (``smk_lse_state``); the other axes are the rows."""
        x = as_float_array(x)
        axis = normalize_axis(axis, x.ndim)
        moved, (address, rows, cols, ld) = contiguous_rows(np.moveaxis(x, axis, -1))
        m, s = np.empty(moved.shape[:-1], x.dtype), np.empty(moved.shape[:-1], x.dtype)
        clib.call("lse_state", x.dtype, address, rows, cols, ld, _scalar(x.dtype, temperature), m.ctypes.data,
                  s.ctypes.data)
        return cls(m, s, temperature)

    @property
    def dtype(self):
        return self.m.dtype

    @property
    def shape(self):
        return self.m.shape

    def _check_partner(self, other):
        if not isinstance(other, LogSumExpState):
            raise TypeError(f"merge: a LogSumExpState is needed, got {type(other).__name__}")
        if other.dtype != self.dtype or other.shape != self.shape:
            raise ValueError(f"merge: states differ: {self.dtype}{self.shape} and {other.dtype}{other.shape}")
        if other.temperature != self.temperature:
            raise ValueError(f"merge: temperatures differ: {self.temperature} and {other.temperature}")

    def merge(self, other: "LogSumExpState") -> "LogSumExpState":
        """A new state for the union of both chunks."""
        self._check_partner(other)
        m, s = np.empty_like(self.m), np.empty_like(self.s)
        self._merge_into(other, m, s)
        return LogSumExpState(m, s, self.temperature)

    def update(self, x, axis=-1) -> "LogSumExpState":
        """Merge the chunk `x` (along `axis`) into this state, in place; returns self."""
        other = LogSumExpState.from_chunk(x, axis, self.temperature)
        self._check_partner(other)
        self._merge_into(other, self.m, self.s)
        return self

    def _merge_into(self, other, m, s):
        clib.call("lse_merge", self.dtype, self.m.ctypes.data, self.s.ctypes.data, other.m.ctypes.data,
                  other.s.ctypes.data, self.m.size, _scalar(self.dtype, self.temperature), m.ctypes.data,
                  s.ctypes.data)

    def logsumexp(self) -> np.ndarray:
        """``L = m + τ·log s`` per row (``smk_lse_finalize``)."""
        out = np.empty_like(self.m)
        clib.call("lse_finalize", self.dtype, self.m.ctypes.data, self.s.ctypes.data, self.m.size,
                  _scalar(self.dtype, self.temperature), out.ctypes.data)
        return out

    def __repr__(self):
        return f"LogSumExpState(shape={self.shape}, dtype={self.dtype}, temperature={self.temperature})"
