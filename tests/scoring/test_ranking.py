"""rank(): tie handling with tolerance, all methods."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gridgov.errors import ScoringError
from gridgov.scoring import rank


def test_competition_dense_average_stable() -> None:
    s = [0.5, 0.9, 0.5, 0.1]
    assert rank(s).tolist() == [2, 1, 2, 4]
    assert rank(s, method="dense").tolist() == [2, 1, 2, 3]
    assert rank(s, method="average").tolist() == [2.5, 1.0, 2.5, 4.0]
    assert rank(s, True, "average").tolist() == [2.5, 1.0, 2.5, 4.0]
    assert rank(s, method="stable").tolist() == [2, 1, 3, 4]
    assert rank(s, method="stable", ids=["z", "y", "a", "x"]).tolist() == [3, 1, 2, 4]


def test_lower_is_better() -> None:
    assert rank([0.2, 0.1, 0.3], higher_is_better=False).tolist() == [2, 1, 3]


def test_float_noise_does_not_invent_an_order() -> None:
    a = 0.1 + 0.2  # 0.30000000000000004
    assert rank([0.3, a]).tolist() == [1, 1]
    assert rank([1e6, 1e6 * (1 + 1e-12)]).tolist() == [1, 1]
    assert rank([0.3, 0.3 + 1e-6]).tolist() == [2, 1]
    assert rank([0.3, 0.3 + 1e-6], atol=1e-5).tolist() == [1, 1]


def test_ties_chain() -> None:
    # neighbours within tolerance chain into one group
    s = [0.0, 0.6e-9, 1.2e-9]
    assert rank(s).tolist() == [1, 1, 1]


def test_empty_and_errors() -> None:
    assert rank([]).tolist() == []
    assert rank([], method="average").dtype == np.float64
    with pytest.raises(ScoringError, match="not finite"):
        rank([1.0, np.nan])
    with pytest.raises(ScoringError, match="1-D"):
        rank([[1.0]])
    with pytest.raises(ScoringError, match="unknown rank method"):
        rank([1.0], method="olympic")
    with pytest.raises(ScoringError, match="ids"):
        rank([1.0, 2.0], method="stable", ids=["a"])


# values on a 1e-3 grid: no chains of near-ties, so "better" is unambiguous
scores = st.lists(
    st.sampled_from([0.0, 0.25, 0.5, 1.0, 2.0]) | st.floats(-5, 5).map(lambda v: round(v, 3)),
    min_size=1,
    max_size=30,
)


@given(scores, st.booleans())
def test_ranking_consistent_with_scores(s: list[float], higher: bool) -> None:
    r = rank(s, higher)
    arr = np.asarray(s)
    oriented = arr if higher else -arr
    assert r.min() == 1
    for i in range(len(s)):
        # competition rank = 1 + number of strictly better alternatives (beyond tolerance)
        better = oriented - oriented[i] > 1e-9 + 1e-9 * np.maximum(abs(oriented), abs(oriented[i]))
        assert r[i] == 1 + better.sum()


@given(scores)
def test_methods_agree(s: list[float]) -> None:
    comp, dense = rank(s), rank(s, method="dense")
    avg, stable = rank(s, method="average"), rank(s, method="stable")
    assert sorted(stable.tolist()) == list(range(1, len(s) + 1))
    assert (dense <= comp).all()
    assert (comp <= avg).all()
    assert np.isclose(avg.sum(), len(s) * (len(s) + 1) / 2)
    # stable only breaks ties: never contradicts the competition order
    assert ((comp[:, None] < comp[None, :]) <= (stable[:, None] < stable[None, :])).all()


def test_permutation_invariance() -> None:
    rng = np.random.default_rng(0)
    s = rng.integers(0, 5, 40).astype(float)
    p = rng.permutation(40)
    assert (rank(s)[p] == rank(s[p])).all()
