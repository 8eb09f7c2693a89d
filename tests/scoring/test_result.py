"""ScoreResult and Explanation: immutability, consistency, bilingual text, rows."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from gridgov.errors import ScoringError
from gridgov.scoring import CriteriaTable, ScoreResult, Vikor, WeightedSum, get_scorer


def table() -> CriteriaTable:
    return CriteriaTable(
        [[0.9, 3, 40], [0.8, 1, 55], [0.95, 6, 38], [0.7, 2, 60]],
        ["G1", "G2", "G3", "G4"],
        ["coverage", "overdue", "visits"],
        ["benefit", "cost", "benefit"],
        [0.5, 0.3, 0.2],
    )


def test_result_is_frozen_and_read_only() -> None:
    r = WeightedSum().score(table())
    with pytest.raises(AttributeError):
        r.scores = np.zeros(4)  # type: ignore[misc]
    for array in (r.scores, r.ranking, r.normalised, r.contributions):
        assert array is not None
        assert not array.flags.writeable
    with pytest.raises(TypeError):
        r.details["x"] = np.zeros(1)  # type: ignore[index]


def test_ranking_always_consistent() -> None:
    t = table()
    r = ScoreResult("custom", [0.5, 0.5 + 1e-15, 0.9, 0.1], True, t)
    assert r.ranking.tolist() == [2, 2, 1, 4]
    low = ScoreResult("custom", [0.5, 0.5, 0.9, 0.1], False, t)
    assert low.ranking.tolist() == [2, 2, 4, 1]
    assert low.best == "G4"
    assert low.ranked()[0] == (1, "G4", 0.1)
    assert "best='G4'" in repr(low)


def test_invalid_scores() -> None:
    with pytest.raises(ScoringError, match="shape"):
        ScoreResult("x", [1.0, 2.0], True, table())
    with pytest.raises(ScoringError, match="non-finite score"):
        ScoreResult("x", [1.0, np.nan, 1.0, 1.0], True, table())
    with pytest.raises(ScoringError, match="normalised has shape"):
        ScoreResult("x", [1.0, 2.0, 3.0, 4.0], True, table(), normalised=np.zeros((2, 2)))


def test_explanation_weighted_sum() -> None:
    r = WeightedSum().score(table())
    e = r.explain()
    rows = e.to_rows()
    assert len(rows) == 12
    assert rows[0]["alternative"] == r.best
    assert rows[0]["rank"] == 1
    by_alt: dict[str, float] = {}
    for row in rows:
        assert row["contribution"] == pytest.approx(row["normalised"] * row["weight"])
        by_alt[row["alternative"]] = by_alt.get(row["alternative"], 0.0) + row["contribution"]
    for name, score in zip(r.alternatives, r.scores, strict=True):
        assert by_alt[name] == pytest.approx(score)
    frame = pl.DataFrame(e.to_dict())
    assert frame.shape == (12, 9)
    assert str(e) == e.to_text("en")


def test_explanation_text_en_zh() -> None:
    e = Vikor().score(table()).explain()
    en = e.to_text("en")
    assert en.startswith("method: vikor (lower is better)")
    assert "parameters: v=0.5" in en
    assert "compromise_set:" in en
    assert "normalised | weight | contribution" in en
    zh = e.to_text("zh")
    for label in (
        "方法",
        "越低越好",
        "排名",
        "标准化值",
        "权重",
        "贡献",
        "折中解集",
        "成本型",
        "效益型",
    ):
        assert label in zh
    short = e.to_text(max_alternatives=1)
    assert "3 more alternative(s) not shown" in short
    assert "另有 3 个评价对象未显示" in e.to_text("zh", max_alternatives=1)
    with pytest.raises(ScoringError, match="unknown language"):
        e.to_text("fr")  # type: ignore[arg-type]


def test_result_rows_and_dict() -> None:
    r = get_scorer("topsis").score(table())
    d = r.to_dict()
    assert list(d) == ["alternative", "score", "rank", "d_plus", "d_minus"]
    rows = r.to_rows()
    assert rows[0]["alternative"] == "G1"
    assert pl.DataFrame(d).height == 4


def test_explanation_without_contributions() -> None:
    r = ScoreResult("plain", [1.0, 2.0, 3.0, 4.0], True, table())
    e = r.explain()
    assert e.to_rows()[0]["contribution"] is None
    assert "contribution" not in e.to_text()


def test_square_table_details_are_not_confused() -> None:
    # m == n: a per-criterion detail (TOPSIS ideal) must not be shown per alternative
    t = CriteriaTable(
        [[0.9, 3, 40], [0.8, 1, 55], [0.95, 6, 38]],
        ["G1", "G2", "G3"],
        ["a", "b", "c"],
        ["benefit", "cost", "benefit"],
    )
    r = get_scorer("topsis").score(t)
    e = r.explain()
    assert set(e.per_alternative) == {"d_plus", "d_minus"}
    assert set(e.per_criterion) == {"ideal", "anti_ideal"}
    assert "ideal" not in r.to_dict()
    g = get_scorer("grey_relational").score(t).explain()
    assert set(g.per_criterion) == {"reference"}
