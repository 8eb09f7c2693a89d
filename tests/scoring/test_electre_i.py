"""ELECTRE I: a hand-worked example of Roy's definitions, the kernel, a loop reference."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis.extra.numpy import arrays

from gridgov.errors import ScoringError
from gridgov.scoring import CriteriaTable, ElectreI, electre_i, get_scorer
from gridgov.scoring.methods._outranking import components, kernel
from gridgov.scoring.testing import check_scorer


def test_hand_worked_example() -> None:
    # Roy (1968) / Figueira, Mousseau & Roy (2005), worked by hand. Three alternatives, two
    # benefit criteria weighted 0.6 and 0.4, ranges 2 and 2:
    #   A = (3, 1), B = (2, 3), C = (1, 2)
    # C(A,B) = 0.6, D(A,B) = 2/2 = 1;  C(B,A) = 0.4, D(B,A) = 1/2
    # C(A,C) = 0.6, D(A,C) = 1/2;      C(C,A) = 0.4, D(C,A) = 2/2 = 1
    # C(B,C) = 1.0, D(B,C) = 0;        C(C,B) = 0.0, D(C,B) = 1/2
    # with c_hat = 0.6, d_hat = 0.5: A S C, B S C (and nothing else).
    t = CriteriaTable([[3, 1], [2, 3], [1, 2]], ["A", "B", "C"], ["x", "y"], "benefit", [0.6, 0.4])
    r = ElectreI(c_hat=0.6, d_hat=0.5).score(t)
    assert np.allclose(r.details["concordance"], [[1, 0.6, 0.6], [0.4, 1, 1.0], [0.4, 0.0, 1]])
    assert np.allclose(r.details["discordance"], [[0, 1, 0.5], [0.5, 0, 0], [1, 0.5, 0]])
    assert r.details["outranking"].tolist() == [
        [False, False, True],
        [False, False, True],
        [False, False, False],
    ]
    assert r.scores.tolist() == [1.0, 1.0, -2.0]
    assert r.details["kernel"].tolist() == [True, True, False]


def test_kernel_with_a_cycle() -> None:
    # 0 -> 1 -> 2 -> 0 is one class; it outranks 3; 4 is alone
    rel = np.zeros((5, 5), dtype=bool)
    rel[0, 1] = rel[1, 2] = rel[2, 0] = rel[2, 3] = True
    assert components(rel)[:3].tolist() == [components(rel)[0]] * 3
    assert kernel(rel).tolist() == [True, True, True, False, True]


@settings(max_examples=80)
@given(arrays(np.bool_, (7, 7)))
def test_kernel_is_stable_and_absorbing_on_acyclic_relations(rel: np.ndarray) -> None:
    rel = np.triu(rel, 1)  # acyclic
    k = kernel(rel)
    assert not rel[np.ix_(k, k)].any()  # no kernel member outranks another
    outside = ~k
    assert rel[np.ix_(k, outside)].any(axis=0).all()  # every other one is outranked by it


def _reference(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    g = np.where(b, x, -x)
    span = g.max(axis=0) - g.min(axis=0)
    m, n = g.shape
    c = np.ones((m, m))
    d = np.zeros((m, m))
    for i in range(m):
        for k in range(m):
            if i != k:
                c[i, k] = sum(w[j] for j in range(n) if g[i, j] >= g[k, j])
                d[i, k] = max(max(g[k, j] - g[i, j], 0) / span[j] for j in range(n))
    return c, d


def test_agrees_with_the_definition(peer_tables: list) -> None:
    for x, w, b in peer_tables:
        r = ElectreI().score(
            CriteriaTable(
                x,
                [f"A{i}" for i in range(len(x))],
                [f"C{j}" for j in range(len(w))],
                ["benefit" if v else "cost" for v in b],
                w,
            )
        )
        c, d = _reference(x, w, b)
        assert np.allclose(r.details["concordance"], c)
        assert np.allclose(r.details["discordance"], d)


def test_params_and_conformance() -> None:
    assert get_scorer("electre_i", c_hat=0.6).params == {"c_hat": 0.6, "d_hat": 0.3}
    check_scorer(ElectreI())
    check_scorer(ElectreI(c_hat=0.5, d_hat=0.5))
    with pytest.raises(ScoringError, match="c_hat"):
        ElectreI(c_hat=1.5)
    assert electre_i([[3.0, 3.0], [2.0, 2.0], [1.0, 3.0]], [0.5, 0.5]).tolist() == [2, -1, -1]
