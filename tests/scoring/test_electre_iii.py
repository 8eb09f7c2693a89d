"""ELECTRE III: a hand-worked example of Roy's definitions and distillation, a loop reference."""

from __future__ import annotations

import numpy as np
import pytest

from gridgov.errors import ScoringError
from gridgov.scoring import CriteriaTable, ElectreIII, electre_iii, get_scorer
from gridgov.scoring.testing import check_scorer


def table() -> CriteriaTable:
    return CriteriaTable(
        [[3, 1], [2, 3], [1, 2]], ["A", "B", "C"], ["x", "y"], "benefit", [0.6, 0.4]
    )


def test_hand_worked_credibility_and_distillation() -> None:
    # Roy (1978) / Figueira, Mousseau & Roy (2005), worked by hand with q = 0.5, p = 1.5,
    # no veto. Concordance (= credibility without veto), rows a, columns b:
    #   C(A,B) = 0.6*1 + 0.4*0 = 0.6     C(B,A) = 0.6*0.5 + 0.4*1 = 0.7
    #   C(A,C) = 0.6*1 + 0.4*0.5 = 0.8   C(C,A) = 0.6*0 + 0.4*1 = 0.4
    #   C(B,C) = 1.0                     C(C,B) = 0.6*0.5 + 0.4*0.5 = 0.5
    # Descending: lambda0 = 1.0, s = 0.15, lambda1 = 0.8: only B T C, so B first; then
    # {A, C}: lambda0 = 0.8, lambda1 = 0.4: A T C; order B, A, C.
    # Ascending: C last; then {A, B}: lambda0 = 0.7, lambda1 = 0: no T, so A and B tie.
    r = ElectreIII(q=0.5, p=1.5).score(table())
    s = [[1, 0.6, 0.8], [0.7, 1, 1.0], [0.4, 0.5, 1]]
    assert np.allclose(r.details["concordance"], s)
    assert np.allclose(r.details["credibility"], s)
    assert r.details["descending"].tolist() == [2, 1, 3]
    assert r.details["ascending"].tolist() == [1, 1, 2]
    assert r.scores.tolist() == [-1.5, -1.0, -2.5]
    assert r.ranking.tolist() == [2, 1, 3]


def test_hand_worked_veto() -> None:
    # with v = 1.8 on y: d_y(A,B) = (2 - 1.5) / (1.8 - 1.5) = 1 -> S(A,B) = 0;
    # d_y(A,C) = 0 (1 <= p); d_y(C,A) = 0 (y favours C): the rest is unchanged
    r = ElectreIII(q=0.5, p=1.5, v=[10.0, 1.8]).score(table())
    assert r.details["credibility"][0, 1] == 0.0
    assert r.details["credibility"][0, 2] == pytest.approx(0.8)
    # a partial veto: v = 2.5 on y gives d_y(A,B) = 0.5 < C(A,B) = 0.6, no effect; v = 2.1
    # gives d = 5/6 > 0.6, so S = 0.6 * (1 - 5/6) / (1 - 0.6) = 0.25
    partial = ElectreIII(q=0.5, p=1.5, v=[10.0, 2.1]).score(table())
    assert partial.details["credibility"][0, 1] == pytest.approx(0.25)


def _credibility(x: np.ndarray, w: np.ndarray, b: np.ndarray, q: float, p: float, v: float):
    g = np.where(b, x, -x)
    m, n = g.shape
    s = np.ones((m, m))
    for a in range(m):
        for c in range(m):
            if a == c:
                continue
            conc, disc = 0.0, []
            for j in range(n):
                diff = g[c, j] - g[a, j]
                conc += w[j] * (1.0 if diff <= q else 0.0 if diff >= p else (p - diff) / (p - q))
                disc.append(0.0 if diff <= p else 1.0 if diff >= v else (diff - p) / (v - p))
            value = conc
            for d in disc:
                if d > conc:
                    value *= (1 - d) / (1 - conc)
            s[a, c] = value
    return s


def test_agrees_with_the_definition(peer_tables: list) -> None:
    for x, w, b in peer_tables:
        names = [f"A{i}" for i in range(len(x))]
        crit = [f"C{j}" for j in range(len(w))]
        t = CriteriaTable(x, names, crit, ["benefit" if v else "cost" for v in b], w)
        r = ElectreIII(q=0.5, p=2.0, v=6.0, exploitation="net_flow").score(t)
        expected = _credibility(x, w, b, 0.5, 2.0, 6.0)
        assert np.allclose(r.details["credibility"], expected)
        assert np.allclose(r.scores, expected.sum(axis=1) - expected.sum(axis=0))


def test_params_and_conformance() -> None:
    s = get_scorer("electre_iii", q=[0.1] * 4, p=1, exploitation="net_flow")
    assert s.params == {"exploitation": "net_flow", "p": (1.0,), "q": (0.1,) * 4, "v": None}
    check_scorer(ElectreIII(), monotone=True)
    check_scorer(ElectreIII(q=0.5, p=2.0, v=6.0))
    check_scorer(ElectreIII(q=0.5, p=2.0, v=6.0, exploitation="net_flow"), monotone=True)
    with pytest.raises(ScoringError, match="q <= p < v"):
        electre_iii([[1.0], [2.0]], [1.0], q=2.0, p=1.0)
    with pytest.raises(ScoringError, match="exploitation"):
        ElectreIII(exploitation="kernel")
