"""The examples in the docstrings run and print what they say."""
import doctest
import importlib
import importlib.util

import pytest

MODULES = ["smoothkit", "smoothkit.clib", "smoothkit.core", "smoothkit.train", "smoothkit.state",
           "smoothkit.catalog", "smoothkit.dask"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    if name == "smoothkit.dask" and importlib.util.find_spec("dask") is None:
        pytest.skip("dask not installed: smoothkit.dask's examples skipped")
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0, f"{name}: {result.failed} of {result.attempted} examples failed"
