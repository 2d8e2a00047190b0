"""float16 / bfloat16 (ml_dtypes) against SPEC §1.6: a float64 reference computed from the exact
stored values (widening is exact), the float32 bound of SPEC §1.3 plus, for maps, one rounding
to the storage type; the edge rows of SPEC §1.1; in place; every bad argument raises and
writes nothing. bfloat16 cases skip when ml_dtypes is not installed (scripts/test-python
installs it)."""
import numpy as np
import pytest
from scipy import special

import smoothkit as sk
from smoothkit._layout import BFLOAT16, HALVES

U = 2.0 ** -24  # float32's unit roundoff: the ops compute in float32
# Storage rounding (SPEC §1.6): relative unit roundoff of the type, or half the subnormal
# spacing below its normal range (2^-25 for float16, 2^-134 for bfloat16: float's range).
ROUNDING = {np.dtype(np.float16): (2.0 ** -11, 2.0 ** -25)}
if BFLOAT16 is not None:
    ROUNDING[BFLOAT16] = (2.0 ** -8, 2.0 ** -134)
MAPS = ["softmax", "log_softmax"]
REDUCTIONS = ["logsumexp", "softargmax"]
# Every half-precision test runs for both types; bfloat16 is reported as skipped without ml_dtypes.
TYPES = [np.dtype(np.float16), pytest.param(BFLOAT16, id="bfloat16",
                                            marks=pytest.mark.skipif(BFLOAT16 is None, reason="ml_dtypes not installed"))]


def reference(op, x, tau):
    """SPEC §1 in float64 on the stored values, along the last axis (τ as the kernel sees it:
    rounded to float32)."""
    w = x.astype(np.float64) / float(np.float32(tau))
    if op == "logsumexp":
        return float(np.float32(tau)) * special.logsumexp(w, axis=-1)
    if op == "softmax":
        return special.softmax(w, axis=-1)
    if op == "log_softmax":
        return special.log_softmax(w, axis=-1)
    return np.sum(special.softmax(w, axis=-1) * np.arange(x.shape[-1]), axis=-1)


def spec_bound(op, ref, n, tau, dtype):
    """SPEC §1.3's float32 bound, plus for maps the rounding to `dtype` (SPEC §1.6)."""
    t = float(np.float32(tau))
    if op == "logsumexp":
        return 8 * U * np.maximum(np.abs(ref), t)
    if op == "softargmax":
        return 8 * U * n * np.ones_like(ref)
    if op == "softmax":
        f32 = np.where(ref >= 2.0 ** -100, 8 * U * ref, 8 * U * 2.0 ** -100)
    else:
        f32 = 8 * U * np.maximum(1, np.abs(ref))
    rel, sub = ROUNDING[np.dtype(dtype)]
    return f32 + np.maximum(rel * (np.abs(ref) + f32), sub)


def assert_spec(op, got, x, tau):
    ref = reference(op, x, tau)
    bound = spec_bound(op, ref, x.shape[-1], tau, x.dtype)
    err = np.abs(got.astype(np.float64) - ref)
    worst = np.unravel_index(np.argmax(err / bound), err.shape) if err.size else None
    assert worst is None or err[worst] <= bound[worst], (
        f"{op} {x.dtype} τ={tau}: |error| {err[worst]:.3g} > bound {bound[worst]:.3g} at {worst} "
        f"(got {got[worst]!r}, reference {ref[worst]!r})")


def stored(rng, shape, scale, dtype):
    return (rng.standard_normal(shape) * scale).astype(dtype)


@pytest.mark.parametrize("dtype", TYPES)
@pytest.mark.parametrize("op", MAPS + REDUCTIONS)
@pytest.mark.parametrize("shape,scale,tau", [
    ((37, 129), 4.0, 1.0),
    ((16, 33), 30.0, 0.3),    # probabilities down to the subnormal range and 0
    ((5, 300), 3.0, 7.0),
    ((3, 5000), 2.0, 1.0),    # rows past 4096 entries: widened into a heap buffer
    ((64, 1), 1.0, 1.0),      # one entry per row: logsumexp = x, softmax = 1, log_softmax = 0
])
def test_within_spec_bound(dtype, op, shape, scale, tau, rng):
    x = stored(rng, shape, scale, dtype)
    got = getattr(sk, op)(x, temperature=tau)
    assert got.dtype == (dtype if op in MAPS else np.float32)
    assert np.all(np.isfinite(got)) or op == "log_softmax"
    assert_spec(op, got, x, tau)
    if shape[1] == 1:
        want = {"logsumexp": x[:, 0].astype(np.float32), "softmax": np.ones(shape), "log_softmax": np.zeros(shape),
                "softargmax": np.zeros(shape[0])}[op]
        assert np.array_equal(got.astype(np.float64), np.asarray(want, np.float64))


@pytest.mark.parametrize("dtype", TYPES)
@pytest.mark.parametrize("op", MAPS + REDUCTIONS)
def test_along_other_axes(dtype, op, rng):
    """axis 0 and the middle axis of a 3-d array (copied with the axis last): the same bound."""
    x = stored(rng, (11, 7, 23), 5.0, dtype)
    for axis in (0, 1):
        got = getattr(sk, op)(x, axis=axis, temperature=0.5)
        moved = np.moveaxis(x, axis, -1)
        assert_spec(op, np.moveaxis(got, axis, -1) if op in MAPS else got, moved, 0.5)


def edge_rows(dtype):
    """SPEC §1.1's rows, stored in `dtype`."""
    inf, nan = np.inf, np.nan
    return np.array([
        [1.0, nan, 2.0, -inf, 0.5],      # a NaN anywhere
        [inf, 1.0, nan, 3.0, 0.0],       # NaN beside +∞
        [inf, 1.0, -inf, inf, 0.0],      # k = 2 entries +∞ (and a −∞)
        [2.0, inf, 0.0, 1.0, -3.0],      # k = 1
        [-inf, -inf, -inf, -inf, -inf],  # fully masked
        [-inf, 0.5, -inf, -1.0, 2.0],    # some −∞, the rest finite
        [-inf, -inf, 7.0, -inf, -inf],   # a single finite entry
    ], dtype=dtype)


@pytest.mark.parametrize("dtype", TYPES)
def test_edge_rows(dtype):
    x = edge_rows(dtype)
    lse, sam = sk.logsumexp(x), sk.softargmax(x)
    p, lp = sk.softmax(x), sk.log_softmax(x)
    lp64, p64 = lp.astype(np.float64), p.astype(np.float64)
    for r in (0, 1):
        assert np.isnan(lse[r]) and np.isnan(sam[r]) and np.all(np.isnan(p64[r])) and np.all(np.isnan(lp64[r]))
    # +∞ entries: p = 1/k there (rounded once to the storage type), 0 elsewhere; −log k there
    half = np.float32(0.5).astype(dtype).astype(np.float64)
    assert lse[2] == np.inf and sam[2] == 1.5
    assert list(p64[2]) == [half, 0, 0, half, 0]
    assert lp64[2, 1] == lp64[2, 2] == lp64[2, 4] == -np.inf
    assert abs(lp64[2, 0] + np.log(2)) <= spec_bound("log_softmax", np.log(2), 5, 1.0, dtype) and lp64[2, 0] == lp64[2, 3]
    assert lse[3] == np.inf and sam[3] == 1 and list(p64[3]) == [0, 1, 0, 0, 0]
    assert list(lp64[3]) == [-np.inf, 0, -np.inf, -np.inf, -np.inf]
    # fully masked: −∞, 0, −∞, NaN
    assert lse[4] == -np.inf and np.isnan(sam[4]) and np.all(p64[4] == 0) and np.all(lp64[4] == -np.inf)
    # some −∞: finite results, exactly 0 / −∞ at the −∞ entries, the rest as the finite entries alone
    kept = [1, 3, 4]
    assert np.all(p64[5, [0, 2]] == 0) and np.all(lp64[5, [0, 2]] == -np.inf)
    finite = x[5:6, kept]
    assert_spec("softmax", p[5:6, kept], finite, 1.0)
    assert_spec("log_softmax", lp[5:6, kept], finite, 1.0)
    assert_spec("logsumexp", lse[5:6], finite, 1.0)
    assert abs(sam[5] - np.sum(np.array(kept) * reference("softmax", finite, 1.0)[0])) <= 8 * U * 5
    # a single finite entry: exactly its value, 1, 0 and its index
    assert lse[6] == 7 and sam[6] == 2 and list(p64[6]) == [0, 0, 1, 0, 0]
    assert list(lp64[6]) == [-np.inf, -np.inf, 0, -np.inf, -np.inf]
    # rows do not affect each other: each row alone gives the same bits
    for r in range(x.shape[0]):
        for op, batch in (("softmax", p), ("log_softmax", lp)):
            alone = getattr(sk, op)(x[r:r + 1])
            assert np.array_equal(alone.view(np.uint16), batch[r:r + 1].view(np.uint16)), (op, r)


@pytest.mark.parametrize("dtype", TYPES)
def test_huge_and_tiny_values(dtype, rng):
    """The type's largest finite values do not overflow the float32 computation; subnormal
    probabilities are rounded, not flushed (bfloat16 has float's subnormals)."""
    top = float(np.finfo(dtype).max)
    x = np.array([[top, -top, top / 2, 0.0], [-top, -top, -top / 2, -top]], dtype=dtype)
    for op in MAPS + REDUCTIONS:
        got = getattr(sk, op)(x)
        assert not np.any(np.isnan(got.astype(np.float64))), op
        if op != "log_softmax":  # log p of the smallest entries is −∞ once rounded (below)
            assert_spec(op, got, x, 1.0)
    tiny = float(np.finfo(dtype).smallest_subnormal)
    # p = e^-d for entries d below the max: subnormal results of the storage type
    d = -np.log(tiny) - np.array([0.0, 1.0, 2.0, 4.0])
    y = np.concatenate([[0.0], -d]).astype(dtype)[None, :]
    p = sk.softmax(y)
    assert_spec("softmax", p, y, 1.0)
    assert np.any((p.astype(np.float64) > 0) & (p.astype(np.float64) < float(np.finfo(dtype).tiny)))


@pytest.mark.parametrize("dtype", TYPES)
@pytest.mark.parametrize("op", MAPS)
def test_in_place(dtype, op, rng):
    x = stored(rng, (9, 40), 3.0, dtype)
    want = getattr(sk, op)(x)
    y = x.copy()
    assert getattr(sk, op)(y, out=y) is y
    assert np.array_equal(y.view(np.uint16), want.view(np.uint16))
    # rows of a wider array (leading dimension 48 > 40): the columns past 40 are not touched
    wide = stored(rng, (9, 48), 3.0, dtype)
    wide[:, :40] = x
    before = wide[:, 40:].copy()
    view = wide[:, :40]
    assert getattr(sk, op)(view, out=view) is view
    assert np.array_equal(view.view(np.uint16), want.view(np.uint16))
    assert np.array_equal(wide[:, 40:].view(np.uint16), before.view(np.uint16))
    # along axis 0, in place (the kernel runs on a copy with the axis last, then writes out)
    z = x.copy()
    assert getattr(sk, op)(z, axis=0, out=z) is z
    assert np.array_equal(z.view(np.uint16), getattr(sk, op)(x, axis=0).view(np.uint16))


def canary(shape, dtype):
    return np.full(shape, 0.3, dtype)


def unchanged(out, dtype):
    return np.array_equal(out.view(np.uint8), canary(out.shape, dtype).view(np.uint8))


@pytest.mark.parametrize("dtype", TYPES)
@pytest.mark.parametrize("op", MAPS + REDUCTIONS)
def test_bad_arguments_write_nothing(dtype, op):
    x = np.array([[1, 2, 3], [0, 0, -np.inf]], dtype=dtype)
    fn = getattr(sk, op)
    rdtype = dtype if op in MAPS else np.dtype(np.float32)
    shape = x.shape if op in MAPS else (2,)
    for tau in (0.0, -1.0, np.nan, np.inf, 1e-50):  # 1e-50 is 0 in float32, the type τ is passed in
        out = canary(shape, rdtype)
        with pytest.raises(sk.TemperatureError):
            fn(x, temperature=tau, out=out)
        assert unchanged(out, rdtype), tau
    wrong = np.float32 if op in MAPS else dtype  # maps return the storage type, reductions float32
    out = canary(shape, wrong)
    with pytest.raises(TypeError):
        fn(x, out=out)
    assert unchanged(out, wrong)
    out = canary((3, 2) if op in MAPS else (3,), rdtype)
    with pytest.raises(ValueError):
        fn(x, out=out)
    assert unchanged(out, rdtype)
    out = canary(shape, rdtype)
    out.flags.writeable = False
    with pytest.raises(ValueError):
        fn(x, out=out)
    # masks are for float32 / float64 only (no masked half kernels): refused before any call
    out = canary(shape, rdtype)
    with pytest.raises(TypeError):
        fn(x, out=out, where=np.ones(x.shape, bool))
    with pytest.raises(TypeError):
        fn(x, out=out, lengths=np.array([3, 2]))
    assert unchanged(out, rdtype)
    with pytest.raises(np.exceptions.AxisError if hasattr(np, "exceptions") else np.AxisError):
        fn(x, axis=2)
    with pytest.raises(ValueError):
        fn(np.array(1.0, dtype=dtype))
    y = x.copy()
    with pytest.raises(sk.TemperatureError):  # in place: the input stays as it was
        fn(y, temperature=0.0, **({"out": y} if op in MAPS else {}))
    assert np.array_equal(y.view(np.uint16), x.view(np.uint16))


def test_bfloat16_is_taken_when_ml_dtypes_is_installed():
    if BFLOAT16 is None:
        pytest.skip("ml_dtypes is not installed")
    assert BFLOAT16 in HALVES and sk.softmax(np.zeros((1, 2), BFLOAT16)).dtype == BFLOAT16


# ---- backward ops and cross-entropy (SPEC §1.4, §1.6) ----------------------------------------
# SPEC states no float32 bound for the gradients; the float32 suite (test_train.py) holds them
# to rtol = atol = 64·eps (256·eps for soft-argmax's), so that plus one rounding to the type.
GRAD_F32 = 64 * 2.0 ** -23


def grad_bound(ref, dtype, f32=GRAD_F32):
    f32b = f32 * (1 + np.abs(ref))
    if dtype is None:  # float32 results (the loss): no rounding
        return f32b
    rel, sub = ROUNDING[np.dtype(dtype)]
    return f32b + np.maximum(rel * (np.abs(ref) + f32b), sub)


def assert_grad(name, got, ref, dtype, f32=GRAD_F32):
    bound = grad_bound(ref, dtype, f32)
    err = np.abs(np.asarray(got, np.float64) - ref)
    assert np.all(err <= bound), f"{name}: |error| {np.max(err - bound) + np.max(bound):.3g}, worst excess at " \
                                 f"{np.unravel_index(np.argmax(err - bound), np.shape(err))}"


def same_bits_as_float32(name, got, f32_result):
    """SPEC §1.6: the float32 op on the widened inputs, rounded once to the storage type."""
    want = f32_result.astype(got.dtype)
    assert np.array_equal(got.view(np.uint16), want.view(np.uint16)), name


@pytest.mark.parametrize("dtype", TYPES)
@pytest.mark.parametrize("tau", [1.0, 0.4])
def test_backward_within_bound(dtype, tau, rng):
    x = stored(rng, (13, 70), 3.0, dtype)
    x[4, 9] = -np.inf                                   # an entry that counts for nothing
    t = float(np.float32(tau))
    x64 = x.astype(np.float64)
    p = special.softmax(x64 / t, axis=-1)
    g_row = rng.standard_normal(13).astype(np.float32)  # the gradient of a float32 output
    g = stored(rng, x.shape, 1.0, dtype)
    g64, gr = g.astype(np.float64), g_row.astype(np.float64)[:, None]
    f32 = lambda a: a.astype(np.float32)  # noqa: E731  (exact widening)

    got = sk.logsumexp_backward(x, g_row, temperature=tau)
    assert got.dtype == dtype
    assert_grad("logsumexp_backward", got, gr * p, dtype)
    same_bits_as_float32("logsumexp_backward", got, sk.logsumexp_backward(f32(x), g_row, temperature=tau))

    n = x.shape[1]
    a = np.sum(np.arange(n) * p, axis=-1, keepdims=True)
    got = sk.softargmax_backward(x, g_row, temperature=tau)
    assert_grad("softargmax_backward", got, gr * p * (np.arange(n) - a) / t, dtype, 4 * GRAD_F32)
    same_bits_as_float32("softargmax_backward", got, sk.softargmax_backward(f32(x), g_row, temperature=tau))

    ps = sk.softmax(x, temperature=tau)                 # the stored forward output is the input
    ps64 = ps.astype(np.float64)
    got = sk.softmax_backward(ps, g, temperature=tau)
    assert_grad("softmax_backward", got, ps64 * (g64 - np.sum(g64 * ps64, -1, keepdims=True)) / t, dtype)
    same_bits_as_float32("softmax_backward", got, sk.softmax_backward(f32(ps), f32(g), temperature=tau))

    for form, y in (("log", sk.log_softmax(x, temperature=tau)), ("prob", ps)):
        y64 = y.astype(np.float64)
        prob = np.exp(y64) if form == "log" else y64
        got = sk.log_softmax_backward(y, g, temperature=tau, form=form)
        assert_grad(f"log_softmax_backward {form}", got, (g64 - prob * np.sum(g64, -1, keepdims=True)) / t, dtype)
        same_bits_as_float32(f"log_softmax_backward {form}", got,
                             sk.log_softmax_backward(f32(y), f32(g), temperature=tau, form=form))


@pytest.mark.parametrize("dtype", TYPES)
@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
@pytest.mark.parametrize("smoothing", [0.0, 0.1])
def test_cross_entropy_within_bound(dtype, reduction, smoothing, rng):
    x = stored(rng, (9, 31), 3.0, dtype)
    labels = rng.integers(0, 31, size=9)
    labels[2] = -100                                     # ignored: loss 0, dx 0, out of the mean
    logp = special.log_softmax(x.astype(np.float64), axis=-1)
    counted = labels != -100
    q = np.full(x.shape, smoothing / 31)
    q[np.arange(9)[counted], labels[counted]] += 1 - smoothing
    q[~counted] = 0
    per_row = -np.sum(q * logp, axis=-1)
    want = {"none": per_row, "sum": per_row.sum(), "mean": per_row.sum() / counted.sum()}[reduction]
    loss, dx = sk.cross_entropy(x, labels, label_smoothing=smoothing, reduction=reduction, return_grad=True)
    assert np.asarray(loss).dtype == np.float32 and dx.dtype == dtype
    assert_grad("cross_entropy loss", loss, want, None)
    scale = 1 / counted.sum() if reduction == "mean" else 1.0
    assert_grad("cross_entropy dx", dx, scale * (np.exp(logp) * q.sum(-1, keepdims=True) - q), dtype)
    assert np.all(dx[2].astype(np.float64) == 0)
    loss32, dx32 = sk.cross_entropy(x.astype(np.float32), labels, label_smoothing=smoothing, reduction=reduction,
                                    return_grad=True)
    same_bits_as_float32("cross_entropy dx", dx, dx32)
    assert np.array_equal(loss, loss32)
    # soft targets in the storage type: q as stored
    qs = (q * (1 - smoothing) + 0).astype(dtype) if smoothing == 0 else None
    if qs is not None:
        q64 = qs.astype(np.float64)
        soft, dsoft = sk.cross_entropy(x, targets=qs, reduction="none", return_grad=True)
        assert_grad("cross_entropy_soft loss", soft, -np.sum(q64 * logp, axis=-1), None)
        assert_grad("cross_entropy_soft dx", dsoft, np.exp(logp) * q64.sum(-1, keepdims=True) - q64, dtype)


@pytest.mark.parametrize("dtype", TYPES)
def test_backward_edge_rows(dtype):
    """SPEC §1.4 at the edge rows: NaN → NaN, +∞ entries share p = 1/k, a fully masked row has
    dx = 0 (log_softmax from log p: g/τ)."""
    x = edge_rows(dtype)[[0, 2, 4]]                     # NaN, two +∞, fully masked
    g_row = np.ones(3, np.float32)
    dx = sk.logsumexp_backward(x, g_row).astype(np.float64)
    assert np.all(np.isnan(dx[0]))
    half = np.float32(0.5).astype(dtype).astype(np.float64)
    assert list(dx[1]) == [half, 0, 0, half, 0] and np.all(dx[2] == 0)
    dsa = sk.softargmax_backward(x, g_row).astype(np.float64)
    assert np.all(np.isnan(dsa[0])) and np.all(dsa[2] == 0)
    g = np.full(x.shape, 0.25, dtype)
    dl = sk.log_softmax_backward(sk.log_softmax(x), g).astype(np.float64)
    assert np.all(np.isnan(dl[0])) and np.all(dl[2] == 0.25)
    loss, dce = sk.cross_entropy(x, np.array([0, 0, 1]), reduction="none", return_grad=True)
    assert np.isnan(loss[0]) and np.all(np.isnan(dce[0].astype(np.float64)))


@pytest.mark.parametrize("dtype", TYPES)
def test_backward_in_place(dtype, rng):
    x = stored(rng, (6, 25), 2.0, dtype)
    g_row = rng.standard_normal(6).astype(np.float32)
    for name in ("logsumexp_backward", "softargmax_backward"):
        want = getattr(sk, name)(x, g_row)
        y = x.copy()
        assert getattr(sk, name)(y, g_row, out=y) is y
        assert np.array_equal(y.view(np.uint16), want.view(np.uint16)), name
    p, g = sk.softmax(x), stored(rng, x.shape, 1.0, dtype)
    want = sk.softmax_backward(p, g)
    for target in ("p", "g"):
        p2, g2 = p.copy(), g.copy()
        out = p2 if target == "p" else g2
        assert sk.softmax_backward(p2, g2, out=out) is out
        assert np.array_equal(out.view(np.uint16), want.view(np.uint16)), target


@pytest.mark.parametrize("dtype", TYPES)
def test_backward_bad_arguments_write_nothing(dtype):
    x = np.array([[1, 2, 3], [0, 0, -np.inf]], dtype=dtype)
    g_row = np.ones(2, np.float32)
    out = canary(x.shape, dtype)
    with pytest.raises(sk.TemperatureError):
        sk.logsumexp_backward(x, g_row, temperature=0.0, out=out)
    with pytest.raises(TypeError):                      # the per-row gradient is float32
        sk.logsumexp_backward(x, g_row.astype(dtype), out=out)
    with pytest.raises(TypeError):                      # a map gradient has x's dtype
        sk.softmax_backward(x, np.ones(x.shape, np.float32), out=out)
    with pytest.raises(TypeError):                      # dx in the storage type
        sk.softargmax_backward(x, g_row, out=np.zeros(x.shape, np.float32))
    with pytest.raises(ValueError):
        sk.log_softmax_backward(x, np.ones(x.shape, dtype), form="logits", out=out)
    with pytest.raises(sk.DomainError):                 # a label out of range: nothing computed
        sk.cross_entropy(x, np.array([0, 3]), return_grad=True)
    with pytest.raises(TypeError):
        sk.cross_entropy(x, targets=np.ones(x.shape, np.float32))
    assert unchanged(out, dtype)
    y = x.copy()
    with pytest.raises(sk.TemperatureError):
        sk.logsumexp_backward(y, g_row, temperature=np.inf, out=y)
    assert np.array_equal(y.view(np.uint16), x.view(np.uint16))
