"""PROMETHEE II: the Brans-Vincke-Mareschal example, preference functions, chunking."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from gridgov.errors import ScoringError
from gridgov.scoring import CriteriaTable, DegenerateDataWarning, PrometheeII, promethee_ii
from gridgov.scoring.methods.promethee import _preference
from gridgov.scoring.testing import check_scorer

# Brans, J.-P., Vincke, Ph., Mareschal, B. (1986). How to select and how to rank projects: the
# PROMETHEE method. EJOR 24(2), 228-238: location of a hydroelectric power station, six
# projects, six criteria with one generalised criterion each (input table as in Mareschal,
# "Exercises with Visual PROMETHEE", 2019, Table 1; f3 in 10^4 units with q=50, p=500 and f4
# with q=10, p=60 - equivalent scalings of the original).
BVM_X = [
    [80, 90, 600, 54, 8, 5],
    [65, 58, 200, 97, 1, 1],
    [83, 60, 400, 72, 4, 7],
    [40, 80, 1000, 75, 7, 10],
    [52, 72, 600, 20, 3, 8],
    [94, 96, 700, 36, 5, 6],
]
BVM_DIRS = ["cost", "benefit", "cost", "cost", "cost", "benefit"]
BVM_SCORER = PrometheeII(
    preference=["u-shape", "v-shape", "linear", "level", "usual", "gaussian"],
    q=[10, None, 50, 10, None, None],
    p=[None, 30, 500, 60, None, None],
    s=[None, None, None, None, None, 5],
)
# Published valued outranking matrix pi (3 d.p.) and net flows as plain sums (not divided by
# n - 1), from a course reproduction of the 1986 example.
BVM_PI = np.array(
    [
        [0, 0.296, 0.250, 0.268, 0.100, 0.185],
        [0.462, 0, 0.389, 0.333, 0.296, 0.500],
        [0.236, 0.180, 0, 0.333, 0.056, 0.429],
        [0.399, 0.505, 0.305, 0, 0.223, 0.212],
        [0.444, 0.515, 0.487, 0.380, 0, 0.448],
        [0.286, 0.399, 0.250, 0.432, 0.133, 0],
    ]
)
BVM_NET_SUM = [-0.728, 0.085, -0.447, -0.102, 1.466, -0.274]


def bvm_table(weights: list[float] | None = None) -> CriteriaTable:
    return CriteriaTable(
        BVM_X, [f"a{i}" for i in range(1, 7)], [f"f{j}" for j in range(1, 7)], BVM_DIRS, weights
    )


def test_brans_vincke_mareschal_1986() -> None:
    r = BVM_SCORER.score(bvm_table())
    n1 = 5  # the paper sums flows; we divide by n - 1 as in Brans & Mareschal (2005)
    # the source rounds pi to 3 d.p. before summing, hence 3e-3
    assert np.allclose(r.scores * n1, BVM_NET_SUM, atol=3e-3)
    assert np.allclose(r.details["phi_plus"] * n1, BVM_PI.sum(axis=1), atol=3e-3)
    assert np.allclose(r.details["phi_minus"] * n1, BVM_PI.sum(axis=0), atol=3e-3)
    assert [r.alternatives[i] for i in r.order] == ["a5", "a2", "a4", "a6", "a3", "a1"]
    assert r.params["preference"] == ("u-shape", "v-shape", "linear", "level", "usual", "gaussian")
    assert r.params["q"] == (10.0, None, 50.0, 10.0, None, None)
    assert np.allclose(r.contributions.sum(axis=1), r.scores)  # type: ignore[union-attr]
    assert r.scores.sum() == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize(
    ("weights", "best"), [([10, 50, 10, 10, 10, 10], "a6"), ([9, 9, 9, 9, 55, 9], "a2")]
)
def test_mareschal_weight_sensitivity(weights: list[float], best: str) -> None:
    # Mareschal (2019), Exercises with Visual PROMETHEE: with w2 = 50 (others 10) France (a6)
    # becomes best; with w5 = 55 (others 9) Belgium (a2) does.
    w = np.asarray(weights, dtype=float)
    assert BVM_SCORER.score(bvm_table(list(w / w.sum()))).best == best


def test_preference_functions() -> None:
    d = np.array([-1.0, 0.0, 0.5, 1.0, 1.5, 2.0, 3.0])
    assert _preference(d, "usual", np.nan, np.nan, np.nan).tolist() == [0, 0, 1, 1, 1, 1, 1]
    assert _preference(d, "u-shape", 1.0, np.nan, np.nan).tolist() == [0, 0, 0, 0, 1, 1, 1]
    assert _preference(d, "v-shape", np.nan, 2.0, np.nan).tolist() == [0, 0, 0.25, 0.5, 0.75, 1, 1]
    assert _preference(d, "level", 0.5, 2.0, np.nan).tolist() == [0, 0, 0, 0.5, 0.5, 0.5, 1]
    assert _preference(d, "linear", 1.0, 2.0, np.nan).tolist() == [0, 0, 0, 0, 0.5, 1, 1]
    g = _preference(d, "gaussian", np.nan, np.nan, 1.0)
    assert np.allclose(g, [0, 0, *(1 - np.exp(-(d[2:] ** 2) / 2))])


def test_chunking_gives_identical_flows() -> None:
    rng = np.random.default_rng(3)
    x = rng.uniform(0, 10, (37, 3))
    w = np.array([0.5, 0.3, 0.2])
    kwargs = {
        "preference": ["linear", "gaussian", "level"],
        "q": [1, None, 0.5],
        "p": [4, None, 2],
        "s": [None, 2, None],
    }
    full = promethee_ii(x, w, **kwargs)  # type: ignore[arg-type]
    for chunk in (1, 5, 36, 100):
        assert np.allclose(promethee_ii(x, w, chunk_size=chunk, **kwargs), full)  # type: ignore[arg-type]


def test_mapping_specification_and_repr() -> None:
    t = bvm_table()
    by_name = PrometheeII(
        preference={
            "f1": "u-shape",
            "f2": "v-shape",
            "f3": "linear",
            "f4": "level",
            "f5": "usual",
            "f6": "gaussian",
        },
        q={"f1": 10, "f3": 50, "f4": 10},
        p={"f2": 30, "f3": 500, "f4": 60},
        s={"f6": 5},
    )
    assert np.allclose(by_name.score(t).scores, BVM_SCORER.score(t).scores)
    assert "PrometheeII(preference=" in repr(by_name)
    assert "preference" in by_name.params


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"preference": "stepwise"}, "unknown preference 'stepwise'"),
        ({"preference": "u-shape"}, "needs a finite q"),
        ({"preference": "v-shape"}, "needs a finite p"),
        ({"preference": "gaussian"}, "needs a finite s"),
        ({"preference": "linear", "q": 2, "p": 1}, "q < p"),
        ({"preference": "level", "q": 1, "p": 1}, "q < p"),
        ({"preference": "u-shape", "q": -1}, "q must be >= 0"),
        ({"preference": "v-shape", "p": 0}, "p must be > 0"),
        ({"preference": "gaussian", "s": -1}, "s must be > 0"),
        ({"chunk_size": 0}, "chunk_size"),
    ],
)
def test_invalid_specifications(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ScoringError, match=message):
        PrometheeII(**kwargs)  # type: ignore[arg-type]


def test_table_dependent_errors_name_the_criterion() -> None:
    with pytest.raises(ScoringError, match="criterion 'f2'"):
        PrometheeII(preference=["usual", "v-shape", "usual", "usual", "usual", "usual"]).score(
            bvm_table()
        )
    with pytest.raises(ScoringError, match="2 entries for 6 criteria"):
        PrometheeII(preference=["usual", "usual"]).score(bvm_table())
    with pytest.raises(ScoringError, match="unknown criteria"):
        PrometheeII(preference={"nope": "usual"}).score(bvm_table())


def test_check_scorer() -> None:
    check_scorer(PrometheeII(), monotone=True)
    check_scorer(PrometheeII(preference="linear", q=0.5, p=3.0), monotone=True)
    check_scorer(PrometheeII(preference="gaussian", s=2.0), monotone=True)


def test_degenerate_data() -> None:
    with pytest.raises(ScoringError, match="at least 2"):
        promethee_ii([[1.0, 2.0]], [0.5, 0.5])
    with pytest.warns(DegenerateDataWarning, match="identical"):
        phi = promethee_ii([[1.0, 2.0], [1.0, 2.0]], [0.5, 0.5])
    assert phi.tolist() == [0.0, 0.0]
    # negative values are fine: only differences matter
    assert promethee_ii([[-5.0], [-1.0]], [1.0]).tolist() == [-1.0, 1.0]


@st.composite
def problems(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    m = draw(st.integers(2, 8))
    n = draw(st.integers(1, 3))
    x = draw(arrays(np.float64, (m, n), elements=st.integers(-20, 20).map(float)))
    w = np.array(draw(st.lists(st.integers(1, 10), min_size=n, max_size=n)), dtype=float)
    b = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    return x, w / w.sum(), b


@settings(max_examples=60)
@given(problems(), st.sampled_from(["usual", "v-shape", "linear", "gaussian"]))
def test_properties(problem: tuple[np.ndarray, np.ndarray, np.ndarray], kind: str) -> None:
    x, w, b = problem
    if (x.max(axis=0) == x.min(axis=0)).all():
        return
    phi = promethee_ii(x, w, b, preference=kind, q=1.0, p=5.0, s=3.0)
    assert ((phi >= -1 - 1e-12) & (phi <= 1 + 1e-12)).all()
    assert phi.sum() == pytest.approx(0.0, abs=1e-9)
    p = np.random.default_rng(4).permutation(x.shape[0])
    assert np.allclose(promethee_ii(x[p], w, b, preference=kind, q=1.0, p=5.0, s=3.0), phi[p])
