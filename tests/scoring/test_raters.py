"""Tests of gridgov.scoring.raters: weighted rater groups and group AHP."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from gridgov.errors import ScoringError
from gridgov.scoring.raters import RaterGroup, aggregate_ratings, merge_ahp

# The evaluators of the red/black list of property companies (DOMAIN.md section 6).
GROUPS = [
    RaterGroup(name="industry_party_committee", weight=0.2, label_zh="行业党委"),
    RaterGroup(name="departments", weight=0.15, label_zh="职能部门"),
    RaterGroup(name="street_working_committee", weight=0.15, label_zh="街道工委"),
    RaterGroup(name="community_party_org", weight=0.15, label_zh="社区党组织"),
    RaterGroup(name="owners_committee", weight=0.15, label_zh="业主委员会", aggregate="median"),
    RaterGroup(
        name="residents",
        weight=0.2,
        label_zh="居民",
        aggregate="trimmed_mean",
        trim=0.1,
        min_sample=5,
    ),
]


def _rows(subject: str, group: str, scores: list[float]) -> list[tuple[str, str, str, float]]:
    return [(subject, group, f"{group}-{k}", s) for k, s in enumerate(scores)]


def test_missing_group_weight_is_redistributed_hand_computed() -> None:
    rows = [
        *_rows("CoA", "industry_party_committee", [90]),
        *_rows("CoA", "departments", [80]),
        *_rows("CoA", "street_working_committee", [70]),
        *_rows("CoA", "community_party_org", [85]),
        *_rows("CoA", "owners_committee", [60, 70, 90]),  # median 70
        *_rows("CoA", "residents", [0, 60, 62, 64, 66, 68, 70, 72, 74, 100]),  # trimmed 67
        # CoB: no street rating at all, residents below the minimum sample of 5
        *_rows("CoB", "industry_party_committee", [80]),
        *_rows("CoB", "departments", [80]),
        *_rows("CoB", "community_party_org", [60]),
        *_rows("CoB", "owners_committee", [70, 90]),  # median 80
        *_rows("CoB", "residents", [10, 20, 30]),
    ]
    r = aggregate_ratings(GROUPS, rows)
    assert r.subjects == ("CoA", "CoB")
    # CoA: every group present, nominal weights
    expected_a = 0.2 * 90 + 0.15 * 80 + 0.15 * 70 + 0.15 * 85 + 0.15 * 70 + 0.2 * 67
    assert r.score_of("CoA") == pytest.approx(expected_a)
    assert r.notes_of("CoA") == ()
    # CoB: street (0.15) and residents (0.2) missing; 0.65 left, divided proportionally
    w = {"industry_party_committee": 0.2, "departments": 0.15, "community_party_org": 0.15}
    w["owners_committee"] = 0.15
    expected_b = (0.2 * 80 + 0.15 * 80 + 0.15 * 60 + 0.15 * 80) / 0.65
    assert r.score_of("CoB") == pytest.approx(expected_b)
    weights = r.weights_of("CoB")
    assert weights["street_working_committee"] == 0.0
    assert weights["residents"] == 0.0
    for name, nominal in w.items():
        assert weights[name] == pytest.approx(nominal / 0.65)
    notes = r.notes_of("CoB")
    assert len(notes) == 2
    assert notes[0].startswith("group 'street_working_committee' has no ratings: its weight 0.15")
    assert "has 3 rating(s), fewer than its minimum sample 5" in notes[1]
    assert np.isnan(r.group_scores[1, 2])
    assert r.counts[1].tolist() == [1, 1, 0, 1, 2, 3]


def test_trimmed_mean_matches_scipy() -> None:
    stats = pytest.importorskip("scipy.stats")
    rng = np.random.default_rng(7)
    scores = rng.uniform(0, 100, 37)
    group = RaterGroup(name="residents", weight=1, aggregate="trimmed_mean", trim=0.2)
    r = aggregate_ratings([group], subject=["x"] * 37, group=["residents"] * 37, score=scores)
    assert r.score_of("x") == pytest.approx(stats.trim_mean(scores, 0.2))


@pytest.mark.parametrize(
    ("aggregate", "scores", "expected"),
    [
        ("mean", [1, 2, 3, 10], 4.0),
        ("median", [1, 2, 3, 10], 2.5),
        ("median", [5, 1, 3], 3.0),
        ("trimmed_mean", [0, 60, 62, 64, 66, 68, 70, 72, 74, 100], 67.0),
        ("trimmed_mean", [1, 2, 3], 2.0),  # floor(0.1 * 3) = 0: nothing cut
    ],
)
def test_group_aggregates(aggregate: str, scores: list[float], expected: float) -> None:
    g = RaterGroup(name="g", weight=1, aggregate=aggregate)  # type: ignore[arg-type]
    r = aggregate_ratings([g], subject=["s"] * len(scores), group=["g"] * len(scores), score=scores)
    assert r.score_of("s") == pytest.approx(expected)


def test_min_sample_treats_group_as_missing() -> None:
    groups = [
        RaterGroup(name="a", weight=1),
        RaterGroup(name="b", weight=1, min_sample=3),
    ]
    r = aggregate_ratings(groups, subject=["s"] * 3, group=["a", "b", "b"], score=[50, 100, 100])
    assert r.score_of("s") == 50.0
    assert r.weights_of("s") == {"a": 1.0, "b": 0.0}
    assert "fewer than its minimum sample 3" in r.notes_of("s")[0]


def test_no_group_present_gives_nan_with_a_note() -> None:
    groups = [RaterGroup(name="a", weight=1, min_sample=2)]
    r = aggregate_ratings(groups, subject=["s"], group=["a"], score=[70], subjects=["t"])
    assert r.subjects == ("s", "t")
    assert math.isnan(r.score_of("s"))
    assert math.isnan(r.score_of("t"))
    assert r.notes_of("t")[-1] == "no rater group is present: the score is undefined (NaN)"
    assert r.effective_weights.sum() == 0.0


def test_nan_scores_are_dropped() -> None:
    g = [RaterGroup(name="a", weight=1)]
    r = aggregate_ratings(g, subject=["s", "s", "s"], group=["a"] * 3, score=[10, np.nan, 30])
    assert r.score_of("s") == 20.0
    assert r.counts.tolist() == [[2]]


def test_input_forms_agree() -> None:
    pl = pytest.importorskip("polars")
    cols = {
        "subject": ["s", "s", "t"],
        "group": ["a", "b", "a"],
        "rater": ["r1", "r2", "r1"],
        "score": [1.0, 3.0, 5.0],
    }
    groups = [RaterGroup(name="a", weight=3), RaterGroup(name="b", weight=1)]
    tuples = list(zip(cols["subject"], cols["group"], cols["rater"], cols["score"], strict=True))
    results = [
        aggregate_ratings(groups, cols),
        aggregate_ratings(groups, pl.DataFrame(cols)),
        aggregate_ratings(groups, tuples),
        aggregate_ratings(
            groups, subject=cols["subject"], group=cols["group"], score=cols["score"]
        ),
    ]
    for r in results:
        assert r.as_dict() == pytest.approx({"s": 0.75 * 1 + 0.25 * 3, "t": 5.0})
    np.testing.assert_allclose(results[0].nominal_weights, [0.75, 0.25])


def test_errors_name_the_problem() -> None:
    groups = [RaterGroup(name="a", weight=1), RaterGroup(name="b", weight=1)]
    with pytest.raises(
        ScoringError, match=r"unknown rater group\(s\) \['zz'\]; known groups: a, b"
    ):
        aggregate_ratings(groups, [("s", "zz", "r", 1.0)])
    with pytest.raises(
        ScoringError, match="rater 'r1' rated subject 's' more than once in group 'a'"
    ):
        aggregate_ratings(groups, [("s", "a", "r1", 1.0), ("s", "b", "r1", 2), ("s", "a", "r1", 3)])
    with pytest.raises(ScoringError, match="duplicate rater group names"):
        aggregate_ratings([*groups, RaterGroup(name="a", weight=1)], [("s", "a", "r", 1)])
    with pytest.raises(ScoringError, match="sum to zero"):
        aggregate_ratings([RaterGroup(name="a", weight=0)], [("s", "a", "r", 1)])
    with pytest.raises(ScoringError, match=r"\(subject, group, rater, score\) tuple"):
        aggregate_ratings(groups, [("s", "a", 1.0)])
    with pytest.raises(ScoringError, match="lack the column"):
        aggregate_ratings(groups, {"subject": ["s"], "score": [1]})
    with pytest.raises(ScoringError, match="equal length"):
        aggregate_ratings(groups, subject=["s", "t"], group=["a"], score=[1.0])
    with pytest.raises(ScoringError, match="no ratings for subject 'nobody'"):
        aggregate_ratings(groups, [("s", "a", "r", 1.0)]).score_of("nobody")


def test_rater_group_validation() -> None:
    with pytest.raises(ValidationError):
        RaterGroup(name="a", weight=-1)
    with pytest.raises(ValidationError):
        RaterGroup(name="a", weight=1, trim=0.5)
    with pytest.raises(ValidationError):
        RaterGroup(name="a", weight=1, min_sample=0)
    assert RaterGroup(name="a", weight=1, label_zh="居民").describe() == "a (居民)"


def _naive(groups: list[RaterGroup], rows: list[tuple[str, str, float]]) -> dict[str, float]:
    """Per-subject loop: the definition, for comparison with the vectorised version."""
    out: dict[str, float] = {}
    for s in sorted({r[0] for r in rows}):
        num = den = 0.0
        for g in groups:
            xs = sorted(r[2] for r in rows if r[0] == s and r[1] == g.name)
            if len(xs) < g.min_sample or not xs:
                continue
            if g.aggregate == "mean":
                v = sum(xs) / len(xs)
            elif g.aggregate == "median":
                v = float(np.median(xs))
            else:
                k = math.floor(g.trim * len(xs))
                v = float(np.mean(xs[k : len(xs) - k]))
            num += g.weight * v
            den += g.weight
        out[s] = num / den if den else math.nan
    return out


@settings(deadline=None, max_examples=60)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["s1", "s2", "s3", "s4"]),
            st.sampled_from([g.name for g in GROUPS]),
            st.floats(0, 100, allow_nan=False),
        ),
        min_size=1,
        max_size=80,
    )
)
def test_vectorised_matches_the_definition(rows: list[tuple[str, str, float]]) -> None:
    r = aggregate_ratings(
        GROUPS,
        subject=[x[0] for x in rows],
        group=[x[1] for x in rows],
        score=[x[2] for x in rows],
    )
    expected = _naive(GROUPS, rows)
    assert r.subjects == tuple(expected)
    for s, v in expected.items():
        if math.isnan(v):
            assert math.isnan(r.score_of(s))
        else:
            assert r.score_of(s) == pytest.approx(v, abs=1e-9)
            assert sum(r.weights_of(s).values()) == pytest.approx(1.0)
            present = r.group_scores[r.subjects.index(s)]
            assert np.nanmin(present) - 1e-9 <= r.score_of(s) <= np.nanmax(present) + 1e-9


# --------------------------------------------------------------------------- group AHP

ANN = [[1, 4, 2], ["1/4", 1, "1/2"], ["1/2", 2, 1]]  # consistent, from (4, 1, 2)
BOB = [[1, 1, 1], [1, 1, 1], [1, 1, 1]]  # consistent, equal
CYCLE = [[1, 9, "1/9"], ["1/9", 1, 9], [9, "1/9", 1]]  # a > b > c > a: CR far above 0.1


def test_merge_ahp_geometric_mean_with_a_rater_excluded_for_cr() -> None:
    g = merge_ahp({"ann": ANN, "bob": BOB, "cyc": CYCLE}, criteria=["x", "y", "z"])
    assert g.included == ("ann", "bob")
    assert list(g.excluded) == ["cyc"]
    assert g.excluded["cyc"] == pytest.approx(g.individual["cyc"].cr)
    assert g.excluded["cyc"] > 0.1
    assert g.notes == (f"rater 'cyc' excluded: consistency ratio {g.excluded['cyc']:.3f} >= 0.1",)
    # element-wise geometric mean of a consistent (4, 1, 2) and a uniform matrix is the
    # consistent matrix of sqrt(4 * 1), sqrt(1 * 1), sqrt(2 * 1) = (2, 1, sqrt 2)
    expected = np.array([2.0, 1.0, math.sqrt(2)])
    np.testing.assert_allclose(g.weights, expected / expected.sum())
    np.testing.assert_allclose(g.result.matrix[0, 1], math.sqrt(4 * 1))
    assert g.cr == pytest.approx(0.0, abs=1e-12)
    assert g.criteria == ("x", "y", "z")
    assert g.result.method == "group_ahp"
    assert g.result.params["raters"] == ("ann", "bob")
    assert g.rater_weights == {"ann": 0.5, "bob": 0.5}


def test_merge_ahp_weighted_geometric_mean_hand_computed() -> None:
    g = merge_ahp([[[1, 2], ["1/2", 1]], [[1, 8], ["1/8", 1]]], rater_weights={"R1": 3, "R2": 1})
    # a12 = 2 ** 0.75 * 8 ** 0.25 = 2 ** 1.5
    a12 = 2**1.5
    np.testing.assert_allclose(g.weights, [a12 / (1 + a12), 1 / (1 + a12)])
    assert g.rater_weights == {"R1": 0.75, "R2": 0.25}


def test_merge_ahp_merged_matrix_is_reciprocal() -> None:
    rng = np.random.default_rng(3)
    judgements = []
    for _ in range(5):
        w = rng.uniform(1, 5, 4)
        noise = np.exp(rng.normal(0, 0.1, (4, 4)))
        noise = np.sqrt(noise / noise.T)
        judgements.append(w[:, None] / w[None, :] * noise)
    g = merge_ahp(judgements)
    m = g.result.matrix
    np.testing.assert_allclose(m * m.T, 1.0)


def test_merge_ahp_errors() -> None:
    with pytest.raises(ScoringError, match=r"cyc: CR=.*nothing to merge"):
        merge_ahp({"cyc": CYCLE})
    with pytest.raises(ScoringError, match="at least one rater"):
        merge_ahp([])
    with pytest.raises(ScoringError, match="rater 'b' compares"):
        merge_ahp({"a": ANN, "b": [[1, 2], ["1/2", 1]]})
    with pytest.raises(ScoringError, match="rater 'bad': cannot read judgement"):
        merge_ahp({"good": ANN, "bad": [[1, "?"], [1, 1]]})
    with pytest.raises(ScoringError, match="unknown rater"):
        merge_ahp({"ann": ANN}, rater_weights={"zed": 1})


def test_huge_weights_are_scaled_before_summing() -> None:
    # issue 8: group or rater weights of 1e308 summed to inf and every weight became 0
    groups = [RaterGroup(name="a", weight=1e308), RaterGroup(name="b", weight=1e308)]
    r = aggregate_ratings(groups, [("S", "a", "a1", 60.0), ("S", "b", "b1", 80.0)])
    assert r.score_of("S") == 70.0
    assert r.weights_of("S") == {"a": 0.5, "b": 0.5}
    g = merge_ahp(
        [[[1, 2], ["1/2", 1]], [[1, 8], ["1/8", 1]]], rater_weights={"R1": 1e308, "R2": 1e308}
    )
    assert g.rater_weights == {"R1": 0.5, "R2": 0.5}
