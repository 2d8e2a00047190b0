"""Backward ops against SPEC §1's gradient formulas and finite differences, cross-entropy
against its definition, the streaming state, and the catalog's bounds."""
import numpy as np
import pytest
from scipy import special

import smoothkit as sk

from conftest import DTYPES, assert_within_spec


def tol(dtype, scale=64):
    return dict(rtol=scale * np.finfo(dtype).eps, atol=scale * np.finfo(dtype).eps)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("axis", [-1, 0])
def test_backward_formulas(dtype, axis, rng):
    tau = 0.7
    x = rng.normal(size=(9, 40)).astype(dtype)
    xt = float(dtype(tau))
    p = special.softmax(x.astype(np.float64) / xt, axis=axis)
    g_map = rng.normal(size=x.shape).astype(dtype)
    g_row = rng.normal(size=x.shape[1] if axis == 0 else x.shape[0]).astype(dtype)
    keep = lambda v: np.expand_dims(v, axis)  # noqa: E731
    g64 = g_map.astype(np.float64)
    np.testing.assert_allclose(sk.logsumexp_backward(x, g_row, axis, temperature=tau), keep(g_row) * p, **tol(dtype))
    np.testing.assert_allclose(sk.softmax_backward(p.astype(dtype), g_map, axis, temperature=tau),
                               p * (g64 - keep(np.sum(g64 * p, axis))) / xt, **tol(dtype))
    for form, y in (("log", np.log(p)), ("prob", p)):
        np.testing.assert_allclose(sk.log_softmax_backward(y.astype(dtype), g_map, axis, temperature=tau, form=form),
                                   (g64 - p * keep(np.sum(g64, axis))) / xt, **tol(dtype))
    n = x.shape[axis]
    idx = np.arange(n).reshape((n, 1) if axis == 0 else (1, n))
    a = np.sum(idx * p, axis)
    np.testing.assert_allclose(sk.softargmax_backward(x, g_row, axis, temperature=tau),
                               keep(g_row) * p * (idx - keep(a)) / xt, **tol(dtype, 256))


def test_softargmax_backward_matches_finite_differences(rng):
    x = rng.normal(size=(1, 12))
    grad = sk.softargmax_backward(x, np.array([1.0]))
    h = 1e-6
    for i in range(12):
        e = np.zeros_like(x)
        e[0, i] = h
        fd = (sk.softargmax(x + e)[0] - sk.softargmax(x - e)[0]) / (2 * h)
        assert abs(fd - grad[0, i]) < 1e-8


@pytest.mark.parametrize("dtype", DTYPES)
def test_backward_in_place_and_out(dtype, rng):
    p = sk.softmax(rng.normal(size=(5, 30)).astype(dtype))
    g = rng.normal(size=(5, 30)).astype(dtype)
    expected = sk.softmax_backward(p, g)
    g2 = g.copy()
    assert sk.softmax_backward(p, g2, out=g2) is g2 and np.array_equal(g2, expected)
    p2 = p.copy()
    assert sk.softmax_backward(p2, g, out=p2) is p2 and np.array_equal(p2, expected)
    out = np.empty_like(g, order="F")
    assert np.array_equal(sk.softmax_backward(p, g, out=out), expected)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
@pytest.mark.parametrize("smoothing", [0.0, 0.1])
def test_cross_entropy(dtype, reduction, smoothing, rng):
    x = rng.normal(size=(7, 11)).astype(dtype)
    labels = rng.integers(0, 11, size=7)
    labels[3] = -100                              # ignored
    logp = special.log_softmax(x.astype(np.float64), axis=-1)
    q = np.full(x.shape, smoothing / 11)
    counted = labels != -100
    q[np.arange(7)[counted], labels[counted]] += 1 - smoothing
    q[~counted] = 0
    per_row = -np.sum(q * logp, axis=-1)
    expected = {"none": per_row, "sum": per_row.sum(), "mean": per_row.sum() / counted.sum()}[reduction]
    loss, dx = sk.cross_entropy(x, labels, label_smoothing=smoothing, reduction=reduction, return_grad=True)
    np.testing.assert_allclose(loss, expected, **tol(dtype))
    scale = 1 / counted.sum() if reduction == "mean" else 1.0
    np.testing.assert_allclose(dx, scale * (np.exp(logp) * q.sum(-1, keepdims=True) - q), **tol(dtype))
    # soft targets: the same distribution q (0 on the ignored row), label smoothing applied by us
    soft = sk.cross_entropy(x, targets=q.astype(dtype), reduction="none") if smoothing == 0 else None
    if soft is not None:
        np.testing.assert_allclose(soft, per_row, **tol(dtype))


def test_cross_entropy_against_torch(rng):
    torch = pytest.importorskip("torch", reason="torch not installed: PyTorch comparison skipped")
    x = rng.normal(size=(6, 9)).astype(np.float32)
    y = rng.integers(0, 9, 6)
    t = torch.tensor(x, requires_grad=True)
    ref = torch.nn.functional.cross_entropy(t, torch.tensor(y), label_smoothing=0.2)
    ref.backward()
    loss, dx = sk.cross_entropy(x, y, label_smoothing=0.2, return_grad=True)
    np.testing.assert_allclose(loss, ref.item(), rtol=1e-5)
    np.testing.assert_allclose(dx, t.grad.numpy(), rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("dtype", DTYPES)
def test_logsumexp_state_merges_like_one_pass(dtype, rng):
    x = (rng.normal(size=(6, 3000)) * 4).astype(dtype)
    x[1, :1500] = -np.inf                           # a fully masked chunk
    x[2, 2000] = np.inf
    x[3, 10] = np.nan
    chunks = np.array_split(np.arange(3000), 7)
    states = [sk.LogSumExpState.from_chunk(x[:, c], temperature=0.5) for c in chunks]
    forward = states[0]
    for s in states[1:]:
        forward = forward.merge(s)
    backward = states[-1]
    for s in reversed(states[:-1]):
        backward = s.merge(backward)
    streamed = sk.LogSumExpState.empty(6, dtype, temperature=0.5)
    for c in chunks:
        streamed.update(x[:, c])
    one_pass = sk.logsumexp(x, temperature=0.5)
    finite = [0, 1, 4, 5]
    for state in (forward, backward, streamed):
        got = state.logsumexp()
        assert got.dtype == dtype
        assert_within_spec("logsumexp", got[finite], x[finite], 0.5)
        assert got[2] == np.inf and np.isnan(got[3])
        np.testing.assert_allclose(got[finite], one_pass[finite], rtol=16 * np.finfo(dtype).eps)
    # the empty state is the identity
    merged = states[0].merge(sk.LogSumExpState.empty(6, dtype, temperature=0.5))
    assert np.array_equal(merged.logsumexp(), states[0].logsumexp(), equal_nan=True)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("kind,param", [("logsumexp", 0.3), ("boltzmann", 4.0), ("power", 3.0), ("loglog", 2.0)])
def test_smooth_max_and_min_within_their_gaps(dtype, kind, param, rng):
    x = np.abs(rng.normal(size=(20, 17))).astype(dtype) + 0.5
    m = x.max(-1).astype(np.float64)
    slack = 64 * np.finfo(dtype).eps * np.maximum(1, m)
    got = sk.smooth_max(x, kind, param).astype(np.float64)
    for i in range(20):
        below, above = sk.smooth_max_gap(kind, param, 17, m[i])
        assert m[i] - below - slack[i] <= got[i] <= m[i] + above + slack[i], (kind, i)
    if kind != "power":
        # two different kernels (the min has its own): each within 8u·max(|m|, param) of the truth
        diff = np.abs(sk.smooth_min(x, kind, param) - -sk.smooth_max(-x, kind, param))
        assert np.all(diff <= 16 * np.finfo(dtype).eps / 2 * np.maximum(np.abs(x).max(-1), param))
    if kind == "logsumexp":
        np.testing.assert_allclose(sk.smooth_max(x, kind, param), sk.logsumexp(x, temperature=param),
                                   rtol=4 * np.finfo(dtype).eps)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("kind", ["logcosh", "source6", "sqrt", "erf", "huber"])
def test_smooth_abs_bounds_and_derivative(dtype, kind):
    x = np.linspace(-5, 5, 1001).astype(dtype)
    y, dy = sk.smooth_abs(x, kind, 0.8, derivative=True)
    below, above = sk.smooth_abs_gap(kind, 0.8)
    slack = 16 * np.finfo(dtype).eps * np.maximum(1, np.abs(x))
    assert np.all(np.abs(x) - below - slack <= y) and np.all(y <= np.abs(x) + above + slack)
    h = 1e-3 if dtype == np.float32 else 1e-6
    x64 = x.astype(np.float64)[1:-1]
    fd = (sk.smooth_abs(x64 + h, kind, 0.8) - sk.smooth_abs(x64 - h, kind, 0.8)) / (2 * h)
    np.testing.assert_allclose(dy[1:-1], fd, atol=1e-2 if dtype == np.float32 else 1e-6)
    assert np.array_equal(sk.smooth_abs(x.reshape(7, 143)[:, ::2], kind, 0.8),
                          sk.smooth_abs(np.ascontiguousarray(x.reshape(7, 143)[:, ::2]), kind, 0.8))


@pytest.mark.parametrize("kind,param", [("sqrt", 0.5), ("erf", 3.0)])
def test_smooth_max2(kind, param, rng):
    a, b = rng.normal(size=100), rng.normal(size=100)
    below, above = {"sqrt": (0.0, param / 2), "erf": (0.24038 / (2 * param), 0.0)}[kind]
    got = sk.smooth_max2(a, b, kind, param)
    m = np.maximum(a, b)
    assert np.all(m - below - 1e-12 <= got) and np.all(got <= m + above + 1e-12)
    np.testing.assert_allclose(sk.smooth_min2(a, b, kind, param), -sk.smooth_max2(-a, -b, kind, param))
    assert sk.smooth_max2(a[:, None], b[None, :5], kind, param).shape == (100, 5)   # broadcasting
