"""Every bad input: a clear exception, the C library's own message for its status codes, and
not one element of any output written."""
import ctypes

import numpy as np
import pytest

import smoothkit as sk
from smoothkit import clib

from conftest import DTYPES

OPS = [sk.logsumexp, sk.softmax, sk.log_softmax, sk.softargmax]
SENTINEL = 12345.0


def status_text(code):
    return clib.lib.smk_status_string(code).decode()


@pytest.mark.parametrize("bad", [np.int64, np.int32, np.complex128, np.bool_, ">f8", ">f4", ">f2", object])  # float16: test_half.py
@pytest.mark.parametrize("op", OPS)
def test_other_dtypes_are_a_type_error(op, bad):
    x = np.zeros((2, 3), dtype=bad)
    with pytest.raises(TypeError, match="float32 or float64"):
        op(x)


def test_lists_of_ints_are_not_cast():
    with pytest.raises(TypeError, match="int"):
        sk.softmax([[1, 2, 3]])
    assert sk.softmax([[1.0, 2.0]]).dtype == np.float64


@pytest.mark.parametrize("tau", [0.0, -1.0, np.nan, np.inf, -np.inf, 1e300])
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("op", OPS)
def test_bad_temperature(op, dtype, tau):
    x = np.ones((3, 4), dtype)
    is_map = op in (sk.softmax, sk.log_softmax)
    out = np.full(x.shape if is_map else (3,), SENTINEL, dtype)
    if tau == 1e300 and dtype == np.float64:
        op(x, temperature=tau, out=out)       # a finite float64 temperature: fine
        return
    with pytest.raises(sk.TemperatureError) as info:
        op(x, temperature=tau, out=out)
    assert info.value.status == 3 and status_text(3) in str(info.value)
    assert np.all(out == SENTINEL), "nothing written on error"
    # in place as well
    y = x.copy()
    if is_map:
        with pytest.raises(sk.TemperatureError):
            op(y, temperature=tau, out=y)
        assert np.all(y == 1)


@pytest.mark.parametrize("op", OPS)
def test_out_mismatch(op):
    x = np.ones((3, 4))
    shape = (3, 4) if op in (sk.softmax, sk.log_softmax) else (3,)
    wrong_dtype = np.full(shape, SENTINEL, np.float32)
    with pytest.raises(TypeError, match="dtype"):
        op(x, out=wrong_dtype)
    wrong_shape = np.full((4, 3), SENTINEL)
    with pytest.raises(ValueError, match="shape"):
        op(x, out=wrong_shape)
    read_only = np.full(shape, SENTINEL)
    read_only.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        op(x, out=read_only)
    assert np.all(wrong_dtype == SENTINEL) and np.all(wrong_shape == SENTINEL) and np.all(read_only == SENTINEL)


@pytest.mark.parametrize("op", OPS)
def test_axis_out_of_range_and_scalars(op):
    with pytest.raises(IndexError):           # numpy's AxisError is an IndexError
        op(np.ones((2, 3)), axis=2)
    with pytest.raises(ValueError, match="dimension"):
        op(np.float64(1.0))


@pytest.mark.parametrize("dtype", DTYPES)
def test_leading_dimension_errors_from_c(dtype):
    """The status codes straight from the C entry points: ld below cols, extents past
    PTRDIFF_MAX, NULL data; each with the library's message and nothing written."""
    x = np.ones(16, dtype)
    y = np.full(16, SENTINEL, dtype)
    with pytest.raises(sk.ShapeError) as info:
        clib.call("softmax", dtype, x.ctypes.data, 2, 8, 7, 1.0, y.ctypes.data, 8)   # ldx < cols
    assert info.value.status == 2 and status_text(2) in str(info.value)
    with pytest.raises(sk.ShapeError):
        clib.call("softmax", dtype, x.ctypes.data, 2, 8, 8, 1.0, y.ctypes.data, 4)   # ldy < cols
    with pytest.raises(sk.ShapeError):
        clib.call("logsumexp", dtype, x.ctypes.data, 2 ** 40, 8, 2 ** 40, 1.0, y.ctypes.data)  # extent
    with pytest.raises(sk.NullPointerError) as info:
        clib.call("logsumexp", dtype, None, 2, 8, 8, 1.0, y.ctypes.data)
    assert info.value.status == 1 and status_text(1) in str(info.value)
    assert np.all(y == SENTINEL)


def test_every_status_code_maps_to_its_exception():
    for code, cls in clib.ERRORS.items():
        err = cls(code)
        assert isinstance(err, sk.SmoothKitError) and str(err) == status_text(code)
    assert issubclass(sk.ComputeError, RuntimeError) and issubclass(sk.ShapeError, ValueError)
    clib.check(0)                             # SMK_OK raises nothing
    with pytest.raises(sk.SmoothKitError, match="unknown status"):
        clib.check(99)


def test_domain_errors_write_nothing():
    x = np.zeros((2, 3))
    with pytest.raises(sk.DomainError) as info:
        sk.cross_entropy(x, np.array([0, 3]))
    assert status_text(4) in str(info.value)
    with pytest.raises(sk.DomainError):
        sk.smooth_max(np.array([[1.0, -1.0]]), "power", 2.0)
    with pytest.raises(sk.DomainError):
        sk.softmax(x, lengths=np.array([4, 1]))          # a length past the row


def test_gradient_and_state_mismatches():
    x = np.ones((2, 3))
    with pytest.raises(ValueError, match="shape"):
        sk.logsumexp_backward(x, np.ones(3))
    with pytest.raises(TypeError, match="dtype"):
        sk.softmax_backward(x, np.ones((2, 3), np.float32))
    with pytest.raises(ValueError, match="form"):
        sk.log_softmax_backward(x, x, form="logit")
    with pytest.raises(ValueError, match="labels or targets"):
        sk.cross_entropy(x)
    with pytest.raises(TypeError, match="integers"):
        sk.cross_entropy(x, np.array([0.0, 1.0]))
    with pytest.raises(ValueError, match="reduction"):
        sk.cross_entropy(x, np.array([0, 1]), reduction="avg")
    a = sk.LogSumExpState.from_chunk(x)
    with pytest.raises(ValueError, match="temperatures"):
        a.merge(sk.LogSumExpState.from_chunk(x, temperature=2.0))
    with pytest.raises(ValueError, match="differ"):
        a.merge(sk.LogSumExpState.from_chunk(np.ones((3, 3))))
    with pytest.raises(ValueError, match="kind"):
        sk.smooth_abs(x, "cosh")
    with pytest.raises(sk.TemperatureError):
        sk.smooth_abs(x, "huber", 0.0)


def test_float32_temperature_is_passed_as_float():
    """The f32 entry points take a C float: a temperature that rounds to 0 in float is rejected."""
    assert clib.function("softmax", np.float32).argtypes[4] is ctypes.c_float
    with pytest.raises(sk.TemperatureError):
        sk.softmax(np.ones((1, 2), np.float32), temperature=1e-50)
