"""Fuzzy comprehensive evaluation (模糊综合评价)."""

from __future__ import annotations

import numpy as np
import pytest

from gridgov.errors import ScoringError
from gridgov.scoring import (
    DegenerateDataWarning,
    WeightsNormalisedWarning,
    fuzzy_comprehensive,
)

# Textbook clothing example (服装评判): factors 花色, 式样, 耐穿程度, 价格; grades 很欢迎,
# 较欢迎, 不太欢迎, 不欢迎 (谢季坚, 刘承平《模糊数学方法及其应用》, 华中科技大学出版社,
# 模糊综合评判; reproduced as MATLAB "Example8_4" with the M(∧,∨) model). Two customer groups
# weigh the factors A1 = (0.1, 0.2, 0.3, 0.4) and A2 = (0.4, 0.35, 0.15, 0.1); the published
# results are B1 = (0.2, 0.3, 0.4, 0.1) -> 不太欢迎 and B2 = (0.35, 0.4, 0.2, 0.1) -> 较欢迎.
R = [
    [0.2, 0.5, 0.2, 0.1],
    [0.7, 0.2, 0.1, 0.0],
    [0.0, 0.4, 0.5, 0.1],
    [0.2, 0.3, 0.5, 0.0],
]
GRADES = ["很欢迎", "较欢迎", "不太欢迎", "不欢迎"]


def test_textbook_clothing_zadeh() -> None:
    one = fuzzy_comprehensive([0.1, 0.2, 0.3, 0.4], R, operator="zadeh", grades=GRADES)
    assert np.allclose(one.membership, [0.2, 0.3, 0.4, 0.1])
    assert one.label == "不太欢迎"
    two = fuzzy_comprehensive([0.4, 0.35, 0.15, 0.1], R, operator="zadeh", grades=GRADES)
    assert np.allclose(two.membership, [0.35, 0.4, 0.2, 0.1])
    assert two.label == "较欢迎"
    assert two.grade == 1
    assert two.tied_grades == (1,)
    assert two.operator == "zadeh"
    assert np.allclose(two.normalised, np.array([0.35, 0.4, 0.2, 0.1]) / 1.05)


def test_weighted_average() -> None:
    # SPSSAU's clothing case (five factors, weights (0.1, 0.1, 0.15, 0.3, 0.35)); B computed
    # by hand: b_j = sum_i a_i r_ij.
    a = [0.1, 0.1, 0.15, 0.3, 0.35]
    r = [
        [0.2, 0.5, 0.3, 0.0],
        [0.1, 0.3, 0.5, 0.1],
        [0.0, 0.1, 0.6, 0.3],
        [0.0, 0.4, 0.5, 0.1],
        [0.5, 0.3, 0.2, 0.0],
    ]
    ev = fuzzy_comprehensive(a, r)
    assert np.allclose(ev.membership, [0.205, 0.32, 0.39, 0.085])
    assert ev.grade == 2
    assert ev.score is None
    assert ev.label is None
    scored = fuzzy_comprehensive(a, r, grade_scores=[100, 80, 60, 40])
    assert scored.score == pytest.approx(0.205 * 100 + 0.32 * 80 + 0.39 * 60 + 0.085 * 40)


def test_weights_normalised_with_warning() -> None:
    with pytest.warns(WeightsNormalisedWarning, match="summed to 10"):
        ev = fuzzy_comprehensive([1, 2, 3, 4], R)
    assert np.allclose(ev.factor_weights, [0.1, 0.2, 0.3, 0.4])


def test_tie_warns_and_reports_first() -> None:
    with pytest.warns(DegenerateDataWarning, match="share the largest membership"):
        ev = fuzzy_comprehensive([0.5, 0.5], [[0.5, 0.5], [0.5, 0.5]], grades=["good", "bad"])
    assert ev.grade == 0
    assert ev.tied_grades == (0, 1)


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (([0.5, 0.5], [[0.5, 0.5]]), {}, "one row per factor"),
        (([0.5, 0.5], [[0.5, 1.5], [0.2, 0.8]]), {}, r"membership\[0, 1\] = 1.5"),
        (([0.5, 0.5], [[0.5, np.nan], [0.2, 0.8]]), {}, "not in"),
        (([0.5, -0.5], R[:2]), {}, "non-negative"),
        (([0.0, 0.0], R[:2]), {}, "sum to zero"),
        (([0.5, 0.5], R[:2]), {"operator": "max_product"}, "unknown operator"),
        (([0.5, 0.5], R[:2]), {"grade_scores": [1, 2]}, "2 values for 4 grades"),
        (([0.5, 0.5], R[:2]), {"grades": ["a"]}, "1 labels"),
        (([], []), {}, "non-empty"),
        (([1.0, 0.0], [[0.0, 0.0], [1.0, 0.0]]), {"operator": "zadeh"}, "zero for every grade"),
        ((["a"], [[1.0]]), {}, "numbers"),
        (([1.0], [["a"]]), {}, "numbers"),
    ],
)
def test_invalid(args: tuple[object, object], kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ScoringError, match=message):
        fuzzy_comprehensive(*args, **kwargs)  # type: ignore[arg-type]


def test_huge_factor_weights_are_scaled_before_summing() -> None:
    # issue 8: [1e308] * 4 summed to inf and every factor weight became 0
    with pytest.warns(WeightsNormalisedWarning, match=r"summed to more than 1\.79769e\+308, not 1"):
        huge = fuzzy_comprehensive([1e308] * 4, R, grades=GRADES)
    plain = fuzzy_comprehensive([0.25] * 4, R, grades=GRADES)
    np.testing.assert_allclose(huge.membership, plain.membership, rtol=1e-15)
    assert huge.factor_weights.tolist() == [0.25] * 4
