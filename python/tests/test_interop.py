"""Other people's arrays: DLPack, the buffer protocol and __array_interface__, used without
a copy (in-place writes through them prove it); torch when installed."""
import array

import numpy as np
import pytest

import smoothkit as sk
from smoothkit import clib


class DLPackOnly:
    """A tensor that offers nothing but DLPack (as torch / JAX CPU tensors do)."""

    def __init__(self, a):
        self._a = a

    def __dlpack__(self, **kwargs):
        return self._a.__dlpack__(**kwargs)

    def __dlpack_device__(self):
        return self._a.__dlpack_device__()


class InterfaceOnly:
    def __init__(self, a):
        self.__array_interface__ = a.__array_interface__
        self._a = a


@pytest.mark.parametrize("wrap", [DLPackOnly, InterfaceOnly, memoryview])
def test_foreign_arrays_without_a_copy(wrap, rng):
    x = rng.normal(size=(4, 9))
    expected = sk.softmax(x)
    buf = x.copy()
    assert np.array_equal(sk.logsumexp(wrap(buf)), sk.logsumexp(x))
    sk.softmax(wrap(buf), out=wrap(buf))          # in place through the wrapper: the same memory
    assert np.array_equal(buf, expected)


def test_array_module_buffers():
    a = array.array("f", [0.0, 0.0, float("-inf")])
    p = sk.softmax(a)
    assert p.dtype == np.float32 and p.tolist() == [0.5, 0.5, 0.0]
    with pytest.raises(TypeError, match="float32 or float64"):
        sk.softmax(array.array("i", [1, 2]))


def test_version_and_library():
    major, minor, patch = clib.version()
    assert (major, minor) >= (1, 1) and sk.__version__ == f"{major}.{minor}.{patch}"
    assert clib.LIBRARY_PATH.parent.name == "smoothkit" and clib.LIBRARY_PATH.is_file()
    assert sk.isa() in ("portable", "avx2", "avx512", "neon")


def test_torch_tensors(rng):
    torch = pytest.importorskip("torch", reason="torch not installed: torch interop skipped")
    t = torch.tensor(rng.normal(size=(3, 8)).astype(np.float32))
    expected = sk.softmax(t.numpy().copy())
    assert np.array_equal(sk.softmax(t), expected)
    sk.softmax(t, out=t)                           # writes the tensor's own storage
    assert np.array_equal(t.numpy(), expected)
    strided = torch.tensor(rng.normal(size=(6, 10)))[::2, 1:7]
    assert np.array_equal(sk.logsumexp(strided), sk.logsumexp(strided.numpy().copy()))
    with pytest.raises(TypeError):
        sk.softmax(torch.ones(2, 3, dtype=torch.bfloat16))


def test_jax_arrays(rng):
    jnp = pytest.importorskip("jax.numpy", reason="jax not installed: JAX interop skipped")
    x = rng.normal(size=(3, 8)).astype(np.float32)
    assert np.array_equal(sk.softmax(jnp.asarray(x)), sk.softmax(x))
    with pytest.raises(ValueError, match="read-only"):    # JAX arrays are immutable
        sk.softmax(jnp.asarray(x), out=jnp.asarray(x))


def test_no_copy_where_a_leading_dimension_suffices(rng, monkeypatch):
    """Strided rows, transposes, axis 0 and wide middle axes reach the kernels as they lie:
    with numpy's copying functions disabled the ops still run (and agree with a copy)."""
    base = rng.normal(size=(6, 40, 130))
    cases = [(base[0, ::2, 5:100], -1), (base[0].T, 0), (base[0], 0), (base, 1), (base, 0), (DLPackOnly(base[1]), -1)]
    expected = [[op(np.array(np.asarray(v) if not isinstance(v, DLPackOnly) else base[1]), axis=a) for v, a in cases]
                for op in (sk.softmax, sk.logsumexp)]

    def no_copy(*args, **kwargs):
        raise AssertionError("copied")

    monkeypatch.setattr(np, "ascontiguousarray", no_copy)
    for op, wanted in zip((sk.softmax, sk.logsumexp), expected):
        for (view, axis), e in zip(cases, wanted):
            np.testing.assert_allclose(op(view, axis=axis), e, rtol=1e-14)
    with pytest.raises(AssertionError, match="copied"):   # the guard does catch a copy
        sk.softmax(base[0, :, ::2])
