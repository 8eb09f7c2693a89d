"""The column fast path of the new methods gives _normalise's arrays, or defers to it."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from gridgov.errors import ScoringError
from gridgov.scoring._normalise import _normalise
from gridgov.scoring.methods._columns import Columns, normalise, weighted_rows

values = st.one_of(
    st.floats(-1e3, 1e3),
    st.floats(1e-310, 1e-300),
    st.floats(1e300, 1.7e308),
    st.floats(-1.7e308, -1e300),
    st.integers(0, 5).map(float),
)


@settings(max_examples=200)
@given(
    arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(1, 4)), elements=values),
    st.data(),
    st.sampled_from(
        ["minmax", "max", "sum", "vector", "zscore", "log", "zavadskas_turskis", "none"]
    ),
)
def test_same_as_the_reference(x: np.ndarray, data: st.DataObject, method: str) -> None:
    b = np.array(data.draw(st.lists(st.booleans(), min_size=x.shape[1], max_size=x.shape[1])))
    try:
        expected, constant = _normalise(x, b, method)
    except ScoringError as exc:
        with pytest.raises(ScoringError, match=str(exc)[:30].replace("(", r"\(")):
            normalise(Columns(x), b, method)
        return
    r, c = normalise(Columns(x), b, method)
    assert np.array_equal(c, constant)
    assert np.allclose(r, expected, rtol=1e-12, atol=1e-300)


def test_weighted_rows() -> None:
    r = np.arange(12.0).reshape(4, 3)
    assert np.array_equal(weighted_rows(r, np.array([1.0, 0.5, 0.0])), r @ [1.0, 0.5, 0.0])
