"""float16 / bfloat16 storage (SPEC §1.6): every result equals the float32 op on the exactly
widened input, rounded once to the storage type (maps) or left in float32 (reductions). The
bfloat16 row ops read two packets at a time as the even and the odd entries, so their sums run
in another order: a few float32 roundings apart, one storage step after rounding."""
import numpy as np
import pytest

import smoothkit as sk
from smoothkit._layout import BFLOAT16, HALVES

OPS = ["logsumexp", "softmax", "log_softmax", "softargmax"]


@pytest.mark.parametrize("dtype", HALVES, ids=str)
@pytest.mark.parametrize("op", OPS)
@pytest.mark.parametrize("axis", [-1, 0])
def test_matches_widened_float32(dtype, op, axis):
    rng = np.random.default_rng(2)
    x = (rng.standard_normal((37, 129)) * 4).astype(dtype)
    x[3, 5] = np.inf
    x[7, :] = -np.inf
    x[9, 2] = np.nan
    got = getattr(sk, op)(x, axis=axis)
    want = getattr(sk, op)(x.astype(np.float32), axis=axis)
    if op in ("softmax", "log_softmax"):
        assert got.dtype == dtype
        want = want.astype(dtype)  # numpy's cast rounds to nearest even, as the library does
    else:
        assert got.dtype == np.float32
    if (axis == 0 or dtype == BFLOAT16) and op in ("logsumexp", "softargmax"):
        # float32 along axis 0 runs the column kernels, the halves the row kernels on a copy
        np.testing.assert_allclose(got, want, rtol=2e-6, atol=2e-6 * 129)
    elif dtype == BFLOAT16:  # maps: equal, or one storage step apart
        g, w = got.view(np.uint16).astype(np.int32), want.view(np.uint16).astype(np.int32)
        nan = np.isnan(want.astype(np.float32))
        assert np.array_equal(np.isnan(got.astype(np.float32)), nan)
        assert np.max(np.abs(g - w)[~nan], initial=0) <= 1
    else:
        np.testing.assert_array_equal(got, want)  # NaN equal to NaN (their sign bits may differ)
        assert np.array_equal(np.signbit(got) | np.isnan(got), np.signbit(want) | np.isnan(want))


@pytest.mark.parametrize("dtype", HALVES, ids=str)
def test_out_in_place_and_errors(dtype):
    x = np.array([[1, 2, 3], [0, 0, -np.inf]], dtype=dtype)
    expected = sk.softmax(x)
    y = x.copy()
    assert sk.softmax(y, out=y) is y and np.array_equal(y.view(np.uint16), expected.view(np.uint16))
    out = np.empty(2, np.float32)
    assert sk.logsumexp(x, out=out) is out
    with pytest.raises(TypeError):
        sk.logsumexp(x, out=np.empty(2, dtype))  # reductions of halves are float32
    with pytest.raises(TypeError):
        sk.softmax(x, where=np.ones(x.shape, bool))
    with pytest.raises(sk.TemperatureError):
        sk.softmax(x, temperature=0)


def test_float16_overflow_to_infinity():
    x = np.array([65504, -65504], dtype=np.float16)
    assert list(sk.log_softmax(x)) == [0, -np.inf]


def test_bfloat16_needs_ml_dtypes():
    if BFLOAT16 is None:
        pytest.skip("ml_dtypes is not installed: bfloat16 arrays cannot be made with numpy alone")
    assert BFLOAT16 in HALVES
