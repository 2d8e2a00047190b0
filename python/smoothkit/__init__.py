"""smoothkit: batched logsumexp, softmax, log_softmax and soft-argmax on numpy arrays.

The SmoothKit C kernels (SIMD, runtime instruction-set dispatch, SPEC §1 accuracy: ≤ 8u for
any row length) behind a numpy API: any axis and ndim, a temperature τ, ``out=`` (in place for
softmax and log_softmax), masks (``where=``, ``lengths=``), float32 and float64 (other dtypes
raise TypeError: nothing is cast silently). Inputs are used where they lie: numpy arrays,
strided views whose rows have contiguous elements, and DLPack / buffer-protocol tensors
(torch, JAX on the CPU) without a copy. Every C error status raises a :class:`SmoothKitError`
subclass carrying the library's own message, and nothing is written then.

>>> import numpy as np, smoothkit as sk
>>> x = np.array([[1.0, 2.0, 3.0, 4.0], [0.0, 0.0, -np.inf, -np.inf]])
>>> sk.logsumexp(x)
array([4.4401897 , 0.69314718])
>>> sk.softmax(x, temperature=0.5)[1]
array([0.5, 0.5, 0. , 0. ])
"""
from .catalog import smooth_abs, smooth_abs_gap, smooth_max, smooth_max2, smooth_max_gap, smooth_min, smooth_min2
from .clib import (ComputeError, DomainError, NullPointerError, ShapeError, SmoothKitError, TemperatureError, isa,
                   version)
from .core import log_softmax, logsumexp, softargmax, softmax
from .state import LogSumExpState
from .train import cross_entropy, log_softmax_backward, logsumexp_backward, softargmax_backward, softmax_backward

__version__ = "{}.{}.{}".format(*version())

__all__ = [
    "logsumexp", "softmax", "log_softmax", "softargmax",
    "logsumexp_backward", "softmax_backward", "log_softmax_backward", "softargmax_backward", "cross_entropy",
    "LogSumExpState",
    "smooth_max", "smooth_min", "smooth_max2", "smooth_min2", "smooth_abs", "smooth_abs_gap", "smooth_max_gap",
    "SmoothKitError", "NullPointerError", "ShapeError", "TemperatureError", "DomainError", "ComputeError",
    "version", "isa",
]
