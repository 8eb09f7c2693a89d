"""Harker's completion, group AHP with missing judgements, AHP hierarchies."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gridgov.errors import ScoringError
from gridgov.scoring.weights import AHPHierarchy, ahp, ahp_hierarchy, group_ahp, harker


@settings(max_examples=40)
@given(st.lists(st.floats(0.1, 1.0), min_size=3, max_size=7), st.data())
def test_harker_recovers_a_consistent_matrix(raw: list[float], data: st.DataObject) -> None:
    # Harker (1987), Theorem: for a consistent matrix with judgements removed (the rest
    # still connecting every element) the completion is exact, a_ij = w_i / w_j
    w = np.array(raw) / sum(raw)
    n = w.size
    full = w[:, None] / w[None, :]
    cells = full.astype(object)
    pairs = [(i, j) for i in range(n) for j in range(i + 2, n)]  # keep the chain i, i+1
    for i, j in data.draw(st.lists(st.sampled_from(pairs), unique=True)) if pairs else []:
        cells[i, j] = cells[j, i] = None
    r = harker(cells.tolist())
    assert np.allclose(r.matrix, full)
    assert np.allclose(r.weights, w)
    assert r.cr == pytest.approx(0.0, abs=1e-9)
    assert r.params["completion"] == "harker"


def test_harker_auxiliary_matrix_by_hand() -> None:
    # an inconsistent 3x3 with (A, C) missing: C = [[2, 2, 0], [1/2, 1, 3], [0, 1/3, 2]]
    # (diagonal 1 + one missing judgement in rows A and C); its principal eigenvector
    # fills (A, C) = w_A / w_C
    r = harker([[1, 2, None], ["1/2", 1, 3], [None, "1/3", 1]], criteria="ABC")
    c = np.array([[2, 2, 0], [0.5, 1, 3], [0, 1 / 3, 2]])
    values, vectors = np.linalg.eig(c)
    v = np.abs(vectors[:, np.argmax(values.real)].real)
    assert r.matrix[0, 2] == pytest.approx(v[0] / v[2])
    assert r.matrix[2, 0] == pytest.approx(v[2] / v[0])
    assert np.allclose(r.weights, v / v.sum())  # completed matrix, same eigenvector
    assert "(A, C) was missing" in r.notes[0]


def test_harker_errors() -> None:
    with pytest.raises(ScoringError, match="disconnected"):
        harker(
            [[1, 2, None, None], [0.5, 1, None, None], [None, None, 1, 3], [None, None, "1/3", 1]]
        )


def test_group_ahp_completes_then_merges() -> None:
    ann = [[1, 2, None], ["1/2", 1, 2], [None, "1/2", 1]]
    bob = [[1, 3, 5], ["1/3", 1, 2], ["1/5", "1/2", 1]]
    g = group_ahp({"ann": ann, "bob": bob}, criteria="ABC")
    completed_ann = harker(ann, criteria="ABC").matrix
    expected = ahp(np.sqrt(completed_ann * ahp(bob).matrix), criteria="ABC")
    assert np.allclose(g.weights, expected.weights)
    assert g.included == ("ann", "bob")
    assert any("rater 'ann'" in n and "Harker" in n for n in g.notes)
    with pytest.raises(ScoringError, match="rater 'bob'"):
        group_ahp({"ann": ann, "bob": [[1, None, None], [None, 1, None], [None, None, 1]]})


def test_hierarchy_papathanasiou_ploskas_2018() -> None:
    # Papathanasiou, J., Ploskas, N. (2018). AHP. In Multiple Criteria Decision Aid,
    # 109-129, Springer: four criteria, six alternatives; published global priorities
    # 0.117, 0.071, 0.095, 0.212, 0.350, 0.155 (as in pyrepo-mcda
    # tests/test_mcda_methods_2.py)
    criteria = [[1, 1, 5, 3], [1, 1, 5, 3], ["1/5", "1/5", 1, "1/3"], ["1/3", "1/3", 3, 1]]
    alternatives = [f"A{i}" for i in range(1, 7)]
    local = {
        "C1": [
            [1, 5, 1, 1, "1/3", 3],
            ["1/5", 1, "1/3", "1/5", "1/7", 1],
            [1, 3, 1, "1/3", "1/5", 1],
            [1, 5, 3, 1, "1/3", 3],
            [3, 7, 5, 3, 1, 7],
            ["1/3", 1, 1, "1/3", "1/7", 1],
        ],
        "C2": [
            [1, 7, 3, "1/3", "1/3", "1/3"],
            ["1/7", 1, "1/3", "1/7", "1/9", "1/7"],
            ["1/3", 3, 1, "1/5", "1/5", "1/5"],
            [3, 7, 5, 1, 1, 1],
            [3, 9, 5, 1, 1, 1],
            [3, 7, 5, 1, 1, 1],
        ],
        "C3": [
            [1, "1/9", "1/7", "1/9", 1, "1/5"],
            [9, 1, 1, 1, 5, 3],
            [7, 1, 1, 1, 5, 1],
            [9, 1, 1, 1, 7, 3],
            [1, "1/5", "1/5", "1/7", 1, "1/3"],
            [5, "1/3", 1, "1/3", 3, 1],
        ],
        "C4": [
            [1, "1/5", "1/5", "1/3", "1/7", "1/5"],
            [5, 1, 1, 3, "1/3", 1],
            [5, 1, 1, 1, "1/3", 1],
            [3, "1/3", 1, 1, "1/7", 1],
            [7, 3, 3, 7, 1, 5],
            [5, 1, 1, 1, "1/5", 1],
        ],
    }
    h = ahp_hierarchy(
        criteria,
        criteria=["C1", "C2", "C3", "C4"],
        children={c: {"pairwise": m, "criteria": alternatives} for c, m in local.items()},
    )
    assert isinstance(h, AHPHierarchy)
    assert len(h.weights) == 24
    assert h.weights.weights.sum() == pytest.approx(1.0)
    overall = h.by_leaf()
    assert np.allclose(
        [overall[a] for a in alternatives], [0.117, 0.071, 0.095, 0.212, 0.350, 0.155], atol=5e-4
    )
    assert set(h.local) == {"", "C1", "C2", "C3", "C4"}


def test_hierarchy_three_levels_and_errors() -> None:
    h = ahp_hierarchy(
        [[1, 3], ["1/3", 1]],
        criteria=["cost", "service"],
        children={
            "cost": {
                "pairwise": [[1, 1], [1, 1]],
                "criteria": ["price", "upkeep"],
                "children": {
                    "upkeep": {"pairwise": [[1, 3], ["1/3", 1]], "criteria": ["parts", "labour"]}
                },
            }
        },
    )
    assert h.weights.as_dict() == pytest.approx(
        {
            "cost/price": 0.375,
            "cost/upkeep/parts": 0.28125,
            "cost/upkeep/labour": 0.09375,
            "service": 0.25,
        }
    )
    with pytest.raises(ScoringError, match="unknown criteria"):
        ahp_hierarchy([[1, 3], ["1/3", 1]], criteria=["a", "b"], children={"c": {}})
    with pytest.raises(ScoringError, match="hierarchy node 'a'"):
        ahp_hierarchy(
            [[1, 3], ["1/3", 1]],
            criteria=["a", "b"],
            children={"a": {"pairwise": [[1, -2], [1, 1]]}},
        )
