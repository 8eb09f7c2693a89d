"""Rank-similarity coefficients (Sałabun & Urbaniak 2020's examples, pymcdm) and compare()."""

from __future__ import annotations

import json

import matplotlib as mpl
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pymcdm import correlations as pc

from gridgov.errors import ScoringError, UnknownScorerError
from gridgov.scoring import (
    COEFFICIENTS,
    CriteriaTable,
    RankingComparison,
    Topsis,
    compare,
    goodman_kruskal_gamma,
    kendall_tau,
    plot_comparison,
    spearman,
    weighted_spearman,
    ws_similarity,
)

mpl.use("Agg")


def test_salabun_urbaniak_2020() -> None:
    # Sałabun, W., Urbaniak, K. (2020). A new coefficient of rankings similarity in
    # decision-making problems. ICCS 2020, LNCS 12138, 632-645: R = (1, 2, 3, 4, 5) against
    # Q = (1, 3, 2, 4, 5) gives r_s = 0.9, r_w = 0.8833, WS = 0.8542 (as in pyrepo-mcda
    # tests/test_correlations.py)
    r, q = [1, 2, 3, 4, 5], [1, 3, 2, 4, 5]
    assert spearman(r, q) == pytest.approx(0.9)
    assert weighted_spearman(r, q) == pytest.approx(0.8833, abs=5e-5)
    assert ws_similarity(r, q) == pytest.approx(0.8542, abs=5e-5)
    # the paper's point: a swap at the top costs more than one at the bottom
    assert ws_similarity(r, [2, 1, 3, 4, 5]) < ws_similarity(r, [1, 2, 3, 5, 4])
    assert weighted_spearman(r, [2, 1, 3, 4, 5]) < weighted_spearman(r, [1, 2, 3, 5, 4])


def test_kendall_and_gamma_by_hand() -> None:
    # one discordant pair of ten: tau = (9 - 1) / 10, gamma = (9 - 1) / (9 + 1)
    assert kendall_tau([1, 2, 3, 4, 5], [1, 3, 2, 4, 5]) == pytest.approx(0.8)
    assert goodman_kruskal_gamma([1, 2, 3, 4, 5], [1, 3, 2, 4, 5]) == pytest.approx(0.8)
    # ties: x = (1, 2, 2, 4) vs y = (1, 2, 3, 4): P = 5, Q = 0, one pair tied in x only;
    # tau_b = 5 / sqrt(5 * 6), tau_a = 5 / 6, gamma = 1
    assert kendall_tau([1, 2, 2, 4], [1, 2, 3, 4]) == pytest.approx(5 / np.sqrt(30))
    assert kendall_tau([1, 2, 2, 4], [1, 2, 3, 4], variant="a") == pytest.approx(5 / 6)
    assert goodman_kruskal_gamma([1, 2, 2, 4], [1, 2, 3, 4]) == 1.0


@settings(max_examples=60)
@given(
    st.integers(2, 12).flatmap(
        lambda n: st.tuples(st.permutations(range(1, n + 1)), st.permutations(range(1, n + 1)))
    )
)
def test_agrees_with_pymcdm(pair: tuple[list[int], list[int]]) -> None:
    x, y = np.array(pair[0], dtype=float), np.array(pair[1], dtype=float)
    assert spearman(x, y) == pytest.approx(pc.spearman(x, y))
    assert weighted_spearman(x, y) == pytest.approx(pc.weighted_spearman(x, y))
    assert ws_similarity(x, y) == pytest.approx(pc.rank_similarity_coef(x, y))
    assert kendall_tau(x, y, variant="a") == pytest.approx(pc.kendall_tau(x, y))
    assert kendall_tau(x, y) == pytest.approx(pc.kendall_tau(x, y))  # no ties: a == b
    assert goodman_kruskal_gamma(x, y) == pytest.approx(pc.goodman_kruskal_gamma(x, y))
    for name, f in COEFFICIENTS.items():
        assert f(x, x) == pytest.approx(1.0), name


def test_undefined_and_malformed() -> None:
    with pytest.raises(ScoringError, match="every alternative ties"):
        spearman([1, 1, 1], [1, 2, 3])
    with pytest.raises(ScoringError, match="no pair is ordered"):
        goodman_kruskal_gamma([1, 1], [1, 2])
    with pytest.raises(ScoringError, match="one length"):
        spearman([1, 2], [1, 2, 3])
    with pytest.raises(ScoringError, match="variant"):
        kendall_tau([1, 2], [1, 2], variant="c")


def table() -> CriteriaTable:
    rng = np.random.default_rng(7)
    return CriteriaTable(
        rng.uniform(1, 10, size=(8, 4)),
        [f"A{i}" for i in range(8)],
        ["c1", "c2", "c3", "c4"],
        ["benefit", "cost", "benefit", "cost"],
        [0.4, 0.3, 0.2, 0.1],
    )


def test_compare_side_by_side() -> None:
    methods = ["topsis", "vikor", "spotis", "edas", "mabac"]
    c = compare(table(), methods, coefficient="ws")
    assert isinstance(c, RankingComparison)
    assert c.labels == tuple(methods)
    assert c.rankings.shape == (8, 5)
    assert c.similarity.shape == (5, 5)
    assert np.allclose(np.diag(c.similarity), 1.0)
    # each column is its method's ranking (lower-is-better methods included)
    for j, name in enumerate(methods):
        from gridgov.scoring import get_scorer, rank

        result = get_scorer(name).score(table())
        assert np.array_equal(
            c.rankings[:, j], rank(result.scores, result.higher_is_better, "average")
        )
        assert c.similarity[0, j] == pytest.approx(
            ws_similarity(c.rankings[:, 0], c.rankings[:, j])
        )
    assert np.allclose(c.matrix("rs"), c.matrix("rs").T)
    d = c.to_dict()
    assert json.loads(json.dumps(d)) == d
    assert d["rankings"]["topsis"] == c.rankings[:, 0].tolist()
    assert "similarity (ws)" in c.to_text()
    assert "排名相似度（ws）" in c.to_text("zh")


def test_compare_labels_and_errors() -> None:
    c = compare(table(), {"TOPSIS minmax": Topsis(normalisation="minmax"), "TOPSIS": "topsis"})
    assert c.labels == ("TOPSIS minmax", "TOPSIS")
    assert c.params[0] == {"normalisation": "minmax"}
    assert compare(table(), ["topsis", "topsis"]).labels == ("topsis", "topsis#2")
    with pytest.raises(ScoringError, match="at least one method"):
        compare(table(), [])
    with pytest.raises(ScoringError, match="unknown rank coefficient"):
        compare(table(), ["topsis"], coefficient="pearson")
    with pytest.raises(UnknownScorerError):
        compare(table(), ["topsys"])


def test_plot() -> None:
    fig = plot_comparison(compare(table(), ["topsis", "vikor", "waspas"]), title="t")
    left, right, _ = fig.axes
    assert len(left.lines) == 8
    assert [t.get_text() for t in right.get_xticklabels()] == ["topsis", "vikor", "waspas"]
    assert left.yaxis_inverted()
