"""The C library inside the package: loading, signatures, status codes → exceptions.

`libsmoothkit.so` sits beside this file and is loaded by its path (never from the loader's
search path, so an installed C library of another version cannot be picked up by mistake).
Every `smk_*` entry point used by the package is declared here once, with pointers passed as
integer addresses (`c_void_p`), so a call converts no data.

Low-level use (the functions of the package are built on it):

    >>> import numpy as np
    >>> from smoothkit import clib
    >>> x = np.array([[1.0, 2.0, 3.0]]); out = np.empty(1)
    >>> clib.call("logsumexp", x.dtype, x.ctypes.data, 1, 3, 3, 1.0, out.ctypes.data)
    >>> round(float(out[0]), 6)
    3.407606
"""
import ctypes
from pathlib import Path

import numpy as np

from . import _layout

LIBRARY_PATH = Path(__file__).with_name("libsmoothkit.so")
lib = ctypes.CDLL(str(LIBRARY_PATH))

lib.smk_status_string.restype = ctypes.c_char_p
lib.smk_status_string.argtypes = [ctypes.c_int]
lib.smk_version.restype = ctypes.c_int
lib.smk_version.argtypes = []
lib.smk_isa_name.restype = ctypes.c_char_p
lib.smk_isa_name.argtypes = []


class SmoothKitError(Exception):
    """An error status of the C library; the message is `smk_status_string`'s text.

    `status` holds the numeric code. Nothing was written to any output when it is raised.
    """

    def __init__(self, status: int, context: str = ""):
        self.status = status
        text = lib.smk_status_string(status).decode()
        super().__init__(f"{context}: {text}" if context else text)


class NullPointerError(SmoothKitError, ValueError):
    """SMK_ERR_NULL: a required buffer was missing."""


class ShapeError(SmoothKitError, ValueError):
    """SMK_ERR_SHAPE: a leading dimension below cols, an extent past PTRDIFF_MAX, mismatched sizes."""


class TemperatureError(SmoothKitError, ValueError):
    """SMK_ERR_TEMPERATURE: a temperature (or smoothing parameter) that is not finite and > 0."""


class DomainError(SmoothKitError, ValueError):
    """SMK_ERR_DOMAIN: an input outside the function's domain (a label out of range, a negative
    entry of the power max, an unknown option)."""


class ComputeError(SmoothKitError, RuntimeError):
    """SMK_ERR_COMPUTE: a computation could not finish (LAPACK failed, or out of memory)."""


ERRORS = {1: NullPointerError, 2: ShapeError, 3: TemperatureError, 4: DomainError, 5: ComputeError}


def check(status: int, context: str = "") -> None:
    """Raise the exception of a non-zero status code."""
    if status:
        raise ERRORS.get(status, SmoothKitError)(status, context)


# Signatures, written once for both element types: P a pointer (an address), N size_t,
# T the element type's scalar (float or double), E an enum, I int64, D double.
_CODES = {"P": ctypes.c_void_p, "N": ctypes.c_size_t, "E": ctypes.c_int, "I": ctypes.c_int64,
          "D": ctypes.c_double}
_SIGNATURES = {
    "logsumexp": "PNNNTP", "softmax": "PNNNTPN", "log_softmax": "PNNNTPN", "softargmax": "PNNNTP",
    "col_logsumexp": "PNNNTP", "col_softmax": "PNNNTPN", "col_log_softmax": "PNNNTPN",
    "col_softargmax": "PNNNTP",
    "masked_logsumexp": "PNNNPPNTP", "masked_softmax": "PNNNPPNTPN", "masked_log_softmax": "PNNNPPNTPN",
    "masked_softargmax": "PNNNPPNTP",
    "logsumexp_backward": "PNNNPTPN", "softmax_backward": "PNNNPNTPN", "log_softmax_backward": "PNNNEPNTPN",
    "softargmax_backward": "PNNNPTPN",
    "cross_entropy": "PNNNPITTEPPN", "cross_entropy_soft": "PNNNPNTTEPPN",
    "lse_state": "PNNNTPP", "lse_merge": "PPPPNTPP", "lse_finalize": "PPNTP",
    "smooth_max": "PNNNETEP", "smooth_max2": "PPNETEP", "smooth_abs": "PNETPP",
    "logsumexp_weighted": "PNNNPNTPP",
}
_SCALAR = {np.dtype(np.float32): ("f32", ctypes.c_float), np.dtype(np.float64): ("f64", ctypes.c_double),
           np.dtype(np.float16): ("f16", ctypes.c_float)}  # half storage: float scalars
if _layout.BFLOAT16 is not None:
    _SCALAR[_layout.BFLOAT16] = ("bf16", ctypes.c_float)
_functions = {}


def function(name: str, dtype) -> ctypes._CFuncPtr:
    """The C entry point smk_<name>_<f32|f64|f16|bf16> for `dtype`, with its signature set."""
    key = (name, np.dtype(dtype))
    fn = _functions.get(key)
    if fn is None:
        suffix, scalar = _SCALAR[key[1]]
        fn = getattr(lib, f"smk_{name}_{suffix}")
        fn.restype = ctypes.c_int
        fn.argtypes = [scalar if code == "T" else _CODES[code] for code in _SIGNATURES[name]]
        _functions[key] = fn
    return fn


def call(name: str, dtype, *args) -> None:
    """Call smk_<name>_<f32|f64>(*args) and raise the status as an exception."""
    check(function(name, dtype)(*args), f"smk_{name}")


# The gap (bound) functions take double parameters whatever the element type.
lib.smk_smooth_abs_gap.argtypes = [ctypes.c_int, ctypes.c_double, ctypes.c_void_p]
lib.smk_smooth_max_gap.argtypes = [ctypes.c_int, ctypes.c_double, ctypes.c_size_t, ctypes.c_double, ctypes.c_void_p]
lib.smk_smooth_max2_gap.argtypes = [ctypes.c_int, ctypes.c_double, ctypes.c_void_p]
for _gap in (lib.smk_smooth_abs_gap, lib.smk_smooth_max_gap, lib.smk_smooth_max2_gap):
    _gap.restype = ctypes.c_int


def version() -> tuple:
    """The loaded library's version as (major, minor, patch), from smk_version()."""
    v = lib.smk_version()
    return (v // 10000, v // 100 % 100, v % 100)


def isa() -> str:
    """The instruction-set path the kernels run on: "avx512", "avx2", "neon" or "portable"."""
    return lib.smk_isa_name().decode()
