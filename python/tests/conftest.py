"""Shared helpers: SPEC §1 bounds against references in higher precision."""
import numpy as np
import pytest

DTYPES = [np.float32, np.float64]
UNIT = {np.dtype(np.float32): 2.0 ** -24, np.dtype(np.float64): 2.0 ** -53}
# softmax: relative bound above this probability, absolute 8u·floor below (SPEC §1)
P_FLOOR = {np.dtype(np.float32): 2.0 ** -100, np.dtype(np.float64): 2.0 ** -1000}


def wide(x):
    """The reference precision: float64 for float32 data, long double for float64 data."""
    return x.astype(np.float64 if x.dtype == np.float32 else np.longdouble)


def reference(op, x, tau, axis=-1):
    """SPEC §1's definitions evaluated in the wider type, along `axis`."""
    from scipy import special
    tau = float(x.dtype.type(tau))  # the temperature the kernel sees, rounded to the element type
    w = wide(x) / tau
    if op == "logsumexp":
        return tau * special.logsumexp(w, axis=axis)
    if op == "softmax":
        return special.softmax(w, axis=axis)
    if op == "log_softmax":
        return special.log_softmax(w, axis=axis)
    p = special.softmax(w, axis=axis)
    shape = [1] * x.ndim
    shape[axis] = x.shape[axis]
    return np.sum(p * np.arange(x.shape[axis]).reshape(shape), axis=axis)


def assert_within_spec(op, got, x, tau, axis=-1):
    """Assert SPEC §1's accuracy bound for `op` (finite rows)."""
    u = UNIT[np.dtype(x.dtype)]
    ref = reference(op, x, tau, axis)
    tau = float(x.dtype.type(tau))
    err = np.abs(wide(got) - ref)
    if op == "logsumexp":
        bound = 8 * u * np.maximum(np.abs(ref), tau)
    elif op == "softmax":
        floor = P_FLOOR[np.dtype(x.dtype)]
        bound = np.where(ref >= floor, 8 * u * ref, 8 * u * floor)
    elif op == "log_softmax":
        bound = 8 * u * np.maximum(1, np.abs(ref))
    else:
        bound = 8 * u * x.shape[axis] * np.ones_like(ref)
    worst = np.max(err / bound) if err.size else 0
    assert worst <= 1, f"{op} {x.dtype} τ={tau}: error {float(worst):.3g}× SPEC's bound"


@pytest.fixture
def rng():
    return np.random.default_rng(20261205)
