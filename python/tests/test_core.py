"""The four row ops: accuracy against scipy in higher precision, SPEC §1's edge table, axes,
strided views, out= and masks."""
import numpy as np
import pytest
from scipy import special

import smoothkit as sk
from smoothkit import clib

from conftest import DTYPES, assert_within_spec

OPS = {"logsumexp": sk.logsumexp, "softmax": sk.softmax, "log_softmax": sk.log_softmax,
       "softargmax": sk.softargmax}
MAPS = ("softmax", "log_softmax")
INF, NAN = np.inf, np.nan


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("op", OPS)
@pytest.mark.parametrize("tau", [1.0, 0.37, 4.0])
@pytest.mark.parametrize("cols", [1, 7, 128, 1000, 20000])
def test_accuracy_against_scipy(op, dtype, tau, cols, rng):
    x = (rng.normal(size=(8, cols)) * 5).astype(dtype)
    got = OPS[op](x, temperature=tau)
    assert got.dtype == dtype
    assert_within_spec(op, got, x, tau)


@pytest.mark.parametrize("dtype", DTYPES)
def test_agrees_with_scipy_float64(dtype, rng):
    """Plain agreement with scipy.special at its own precision (as a user would compare)."""
    x = rng.normal(size=(16, 300)).astype(dtype)
    tol = dict(rtol=2e-6, atol=1e-6) if dtype == np.float32 else dict(rtol=1e-13, atol=1e-13)
    np.testing.assert_allclose(sk.logsumexp(x), special.logsumexp(x.astype(np.float64), axis=-1), **tol)
    np.testing.assert_allclose(sk.softmax(x), special.softmax(x.astype(np.float64), axis=-1), **tol)
    np.testing.assert_allclose(sk.log_softmax(x), special.log_softmax(x.astype(np.float64), axis=-1), **tol)


# SPEC §1's edge table: row → (logsumexp, softmax, log_softmax, softargmax)
EDGE_ROWS = {
    "any NaN": ([1.0, NAN, 2.0], NAN, [NAN] * 3, [NAN] * 3, NAN),
    "k entries +inf": ([INF, 0.0, INF, -INF], INF, [0.5, 0.0, 0.5, 0.0], [-np.log(2), -INF, -np.log(2), -INF], 1.0),
    "one +inf": ([1.0, INF, 3.0], INF, [0.0, 1.0, 0.0], [-INF, 0.0, -INF], 1.0),
    "all -inf": ([-INF] * 3, -INF, [0.0] * 3, [-INF] * 3, NAN),
    "some -inf": ([0.0, -INF, 0.0], np.log(2), [0.5, 0.0, 0.5], [-np.log(2), -INF, -np.log(2)], 1.0),
}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("row", EDGE_ROWS)
def test_edge_table(row, dtype):
    x, lse, p, logp, arg = EDGE_ROWS[row]
    x = np.array([x, [1.0, 2.0, 3.0, 4.0][:len(x)]], dtype)  # a finite neighbour row stays finite
    tol = dict(rtol=1e-6 if dtype == np.float32 else 1e-15, atol=0)
    np.testing.assert_allclose(sk.logsumexp(x)[0], lse, **tol, err_msg=row)
    np.testing.assert_allclose(sk.softmax(x)[0], p, **tol, err_msg=row)
    np.testing.assert_allclose(sk.log_softmax(x)[0], logp, **tol, err_msg=row)
    np.testing.assert_allclose(sk.softargmax(x)[0], arg, **tol, err_msg=row)
    for op in OPS:
        assert np.all(np.isfinite(OPS[op](x)[1])), f"{row}: {op} of the neighbour row"
    if row == "some -inf":
        assert np.all(sk.softmax(x)[0][np.isneginf(x[0])] == 0), "−∞ entries get exactly 0"


@pytest.mark.parametrize("dtype", DTYPES)
def test_edge_empty_and_huge(dtype):
    empty = np.empty((3, 0), dtype)
    assert np.all(np.isneginf(sk.logsumexp(empty)))
    assert np.all(np.isnan(sk.softargmax(empty)))
    assert sk.softmax(empty).shape == (3, 0) and sk.log_softmax(empty).shape == (3, 0)
    assert sk.logsumexp(np.empty((0, 5), dtype)).shape == (0,)
    big = np.finfo(dtype).max / 1.2
    huge = np.array([[big, -big, big, 0.0]], dtype)
    assert np.isfinite(sk.logsumexp(huge)).all() and np.isfinite(sk.softmax(huge)).all()
    assert not np.isnan(sk.log_softmax(huge)).any() and np.isfinite(sk.softargmax(huge)).all()
    np.testing.assert_allclose(sk.softmax(huge)[0], [0.5, 0, 0.5, 0])


def direct(op, x2d, tau=1.0, column=False):
    """What the C library gives for a C-contiguous matrix, called through ctypes by hand."""
    x2d = np.ascontiguousarray(x2d)
    rows, cols = x2d.shape
    name = ("col_" if column else "") + op
    if op in MAPS:
        y = np.empty_like(x2d)
        clib.call(name, x2d.dtype, x2d.ctypes.data, rows, cols, cols, tau, y.ctypes.data, cols)
    else:
        y = np.empty(cols if column else rows, x2d.dtype)
        clib.call(name, x2d.dtype, x2d.ctypes.data, rows, cols, cols, tau, y.ctypes.data)
    return y


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("op", OPS)
def test_bitwise_equal_to_the_c_library(op, dtype, rng):
    x = rng.normal(size=(33, 129)).astype(dtype)
    assert np.array_equal(OPS[op](x, temperature=0.7), direct(op, x, 0.7), equal_nan=True)
    # axis 0 of a C-ordered matrix: the column kernels
    assert np.array_equal(OPS[op](x, axis=0), direct(op, x, column=True), equal_nan=True)
    # axis 0 of a Fortran-ordered matrix: its transpose's rows, without a copy
    f = np.asfortranarray(x)
    assert np.array_equal(OPS[op](f, axis=0), OPS[op](np.ascontiguousarray(x.T)).T)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("op", OPS)
@pytest.mark.parametrize("axis", [0, 1, 2, -1, -2])
def test_any_axis_of_a_3d_array(op, dtype, axis, rng):
    x = rng.normal(size=(5, 70, 130)).astype(dtype) * 3
    got = OPS[op](x, axis=axis, temperature=0.8)
    expected_shape = x.shape if op in MAPS else x.shape[:axis % 3] + x.shape[axis % 3 + 1:]
    assert got.shape == expected_shape
    assert_within_spec(op, got, x, 0.8, axis=axis)
    moved = np.ascontiguousarray(np.moveaxis(x, axis, -1))
    flat = direct(op, moved.reshape(-1, moved.shape[-1]), 0.8)
    if axis % 3 == 2:  # the rows themselves: bit for bit the C library's result
        assert np.array_equal(got, flat.reshape(got.shape))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("op", OPS)
def test_strided_views(op, dtype, rng):
    base = rng.normal(size=(40, 300)).astype(dtype)
    strided_rows = base[::3, 10:210]             # rows stepping by 900 elements: used in place
    strided_elems = base[:, ::2]                 # elements not contiguous: copied
    reversed_rows = base[::-1]                   # negative stride: copied
    for view in (strided_rows, strided_elems, reversed_rows):
        assert np.array_equal(OPS[op](view), direct(op, view))
    # keepdims and reductions into a non-contiguous out
    if op not in MAPS:
        out = np.full((40, 2), 7, dtype)[:, 0]
        assert OPS[op](base, out=out) is out
        assert np.array_equal(out, direct(op, base))
        assert OPS[op](base, keepdims=True).shape == (40, 1)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("op", MAPS)
def test_out_and_in_place(op, dtype, rng):
    x = rng.normal(size=(16, 50)).astype(dtype)
    expected = OPS[op](x)
    out = np.empty_like(x)
    assert OPS[op](x, out=out) is out and np.array_equal(out, expected)
    y = x.copy()
    assert OPS[op](y, out=y) is y and np.array_equal(y, expected)      # in place
    z = x.copy()
    assert OPS[op](z, axis=0, out=z) is z and np.array_equal(z, OPS[op](x, axis=0))
    w = x.copy()                                                        # overlapping, not the same layout
    assert OPS[op](w, out=w[::-1]) is not None and np.array_equal(w[::-1], expected)
    t = x.copy()
    OPS[op](t[:, :25], out=t[:, 25:])                                   # disjoint halves of one buffer
    assert np.array_equal(t[:, 25:], OPS[op](x[:, :25])) and np.array_equal(t[:, :25], x[:, :25])
    fo = np.empty_like(x, order="F")                                    # an out of another layout
    assert np.array_equal(OPS[op](x, out=fo), expected)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("op", OPS)
def test_where_and_lengths(op, dtype, rng):
    x = rng.normal(size=(6, 20)).astype(dtype)
    mask = rng.random((6, 20)) < 0.7
    mask[2] = False                                                     # a fully masked row
    filled = np.where(mask, x, -np.inf).astype(dtype)
    got = OPS[op](x, where=mask)
    ref = OPS[op](filled)
    np.testing.assert_allclose(got, ref, rtol=8 * np.finfo(dtype).eps, atol=0)
    lengths = np.array([20, 3, 0, 1, 19, 7])
    cut = np.where(np.arange(20) < lengths[:, None], x, -np.inf).astype(dtype)
    np.testing.assert_allclose(OPS[op](x, lengths=lengths), OPS[op](cut), rtol=8 * np.finfo(dtype).eps, atol=0)
    # a mask along axis 0, broadcast from one column
    col_mask = mask[:, :1]
    np.testing.assert_allclose(OPS[op](x, axis=0, where=col_mask),
                               OPS[op](np.where(col_mask, x, -np.inf).astype(dtype), axis=0),
                               rtol=8 * np.finfo(dtype).eps, atol=0)


def test_where_rejects_float_masks():
    with pytest.raises(TypeError, match="boolean"):
        sk.softmax(np.zeros((2, 3)), where=np.ones((2, 3)))
