"""smoothkit.dask on a LocalCluster of 2 worker processes against the single-process results."""
import numpy as np
import pytest

import smoothkit as sk

from conftest import DTYPES, assert_within_spec

da = pytest.importorskip("dask.array", reason="dask not installed: smoothkit.dask tests skipped "
                                              "(pip install 'dask[distributed]')")
distributed = pytest.importorskip("distributed", reason="dask.distributed not installed: smoothkit.dask tests "
                                                        "skipped (pip install 'dask[distributed]')")
skd = pytest.importorskip("smoothkit.dask")


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


@pytest.mark.parametrize("dtype", DTYPES)
def test_row_ops_on_two_workers(client, dtype):
    x = (np.random.default_rng(3).normal(size=(600, 300)) * 4).astype(dtype)
    x[5, :] = -np.inf
    x[7, 3] = np.nan
    d = da.from_array(x, chunks=(150, 100))             # the row axis split over 3 chunks
    for axis in (1, 0):
        got = client.compute([skd.softmax(d, axis=axis, temperature=0.6), skd.log_softmax(d, axis=axis),
                              skd.softargmax(d, axis=axis)], sync=True)
        expected = [sk.softmax(x, axis=axis, temperature=0.6), sk.log_softmax(x, axis=axis),
                    sk.softargmax(x, axis=axis)]
        for g, e in zip(got, expected):
            assert g.dtype == dtype
            assert np.array_equal(g, e, equal_nan=True), f"axis {axis}: differs from one process"


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("axis", [0, 1])
def test_logsumexp_reduction_merges_states(client, dtype, axis):
    x = (np.random.default_rng(4).normal(size=(500, 700)) * 4).astype(dtype)
    d = da.from_array(x, chunks=(60, 90))               # 9 × 8 chunks: a tree of merges on both axes
    got = skd.logsumexp(d, axis=axis, temperature=0.5, split_every=3).compute()
    one = sk.logsumexp(x, axis=axis, temperature=0.5)
    assert got.shape == one.shape and got.dtype == dtype
    assert_within_spec("logsumexp", got, x, 0.5, axis=axis)
    u = np.finfo(dtype).eps / 2
    assert np.all(np.abs(got - one) <= 16 * u * np.maximum(np.abs(one), 0.5))
    kept = skd.logsumexp(d, axis=axis, keepdims=True).compute()
    assert kept.shape == (1, 700) if axis == 0 else kept.shape == (500, 1)


def test_logsumexp_edge_rows_through_merges(client):
    x = np.random.default_rng(5).normal(size=(4, 40))
    x[0, :] = -np.inf
    x[1, 33] = np.inf
    x[2, 5] = np.nan
    got = skd.logsumexp(da.from_array(x, chunks=(2, 8)), axis=1).compute()
    assert got[0] == -np.inf and got[1] == np.inf and np.isnan(got[2]) and np.isfinite(got[3])


def test_dask_rejects_other_dtypes():
    with pytest.raises(TypeError, match="float32 or float64"):
        skd.softmax(da.zeros((4, 4), dtype=np.int32))
