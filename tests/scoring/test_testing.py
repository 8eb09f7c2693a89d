"""The conformance kit fails loudly on broken scorers."""

from __future__ import annotations

import numpy as np
import pytest

from gridgov.scoring import CriteriaTable, ScoreResult, WeightedSum, scorer
from gridgov.scoring.testing import check_scorer, conformance_table


def test_conformance_table() -> None:
    t = conformance_table()
    assert t.shape == (7, 4)
    assert t.directions == ("benefit", "cost", "benefit", "cost")
    assert t.weights.tolist() == pytest.approx([0.4, 0.3, 0.2, 0.1])
    assert conformance_table(seed=0) == t
    assert conformance_table(seed=1) != t


class Base:
    name = "broken"
    higher_is_better = True

    def scores(self, table: CriteriaTable) -> np.ndarray:
        return table.values @ np.where(table.is_benefit, 1.0, -1.0)

    def score(self, table: CriteriaTable) -> ScoreResult:
        return ScoreResult(self.name, self.scores(table), self.higher_is_better, table)


def test_good_scorer_passes() -> None:
    check_scorer(Base(), monotone=True)
    check_scorer(WeightedSum(), table=conformance_table(seed=5, m=12, n=6), monotone=True)


def test_not_a_scorer() -> None:
    with pytest.raises(AssertionError, match="protocol"):
        check_scorer(object())


def test_bad_attributes() -> None:
    class NoName(Base):
        name = ""

    class BadDirection(Base):
        higher_is_better = 1  # type: ignore[assignment]

    with pytest.raises(AssertionError, match="non-empty str"):
        check_scorer(NoName())
    with pytest.raises(AssertionError, match="must be a bool"):
        check_scorer(BadDirection())


def test_raising_scorer() -> None:
    class Raises(Base):
        def score(self, table: CriteriaTable) -> ScoreResult:
            raise RuntimeError("boom")

    with pytest.raises(AssertionError, match="raised RuntimeError: boom"):
        check_scorer(Raises())


def test_wrong_return_type() -> None:
    class ReturnsArray(Base):
        def score(self, table: CriteriaTable) -> ScoreResult:
            return self.scores(table)  # type: ignore[return-value]

    with pytest.raises(AssertionError, match="not ScoreResult"):
        check_scorer(ReturnsArray())


def test_direction_mismatch() -> None:
    class Mismatch(Base):
        def score(self, table: CriteriaTable) -> ScoreResult:
            return ScoreResult(self.name, self.scores(table), False, table)

    with pytest.raises(AssertionError, match="higher_is_better differs"):
        check_scorer(Mismatch())


def test_nondeterministic() -> None:
    class Noisy(Base):
        def __init__(self) -> None:
            self.rng = np.random.default_rng(0)

        def scores(self, table: CriteriaTable) -> np.ndarray:
            return super().scores(table) + self.rng.normal(0, 1e-3, len(table))

    with pytest.raises(AssertionError, match="not deterministic"):
        check_scorer(Noisy())


def test_order_dependent() -> None:
    class ByPosition(Base):
        def scores(self, table: CriteriaTable) -> np.ndarray:
            return np.arange(len(table), dtype=float)

    with pytest.raises(AssertionError, match="another order"):
        check_scorer(ByPosition())


def test_other_alternatives() -> None:
    class Renamed(Base):
        def score(self, table: CriteriaTable) -> ScoreResult:
            other = CriteriaTable(
                table.values,
                [f"x{i}" for i in range(len(table))],
                table.criteria,
                table.directions,
                table.weights,
            )
            return ScoreResult(self.name, self.scores(table), True, other)

    with pytest.raises(AssertionError, match="alternatives differ"):
        check_scorer(Renamed())


def test_not_monotone() -> None:
    class Perverse(Base):
        def scores(self, table: CriteriaTable) -> np.ndarray:
            return -super().scores(table)  # improving lowers the score

    check_scorer(Perverse())  # the other checks pass
    with pytest.raises(AssertionError, match="not monotone: improving"):
        check_scorer(Perverse(), monotone=True)


def test_warning_on_conformance_table_fails() -> None:
    @scorer(register=False)
    def noisy(values: np.ndarray, weights: np.ndarray, is_benefit: np.ndarray) -> np.ndarray:
        import warnings

        warnings.warn("something odd", UserWarning, stacklevel=1)
        return values @ weights

    with pytest.raises(AssertionError, match="UserWarning: something odd"):
        check_scorer(noisy())
