"""Time limits: English and Chinese spellings read into one typed value."""

from __future__ import annotations

import pytest

from gridgov.errors import CalendarError
from gridgov.service import Limit, LimitUnit


@pytest.mark.parametrize(
    ("text", "amount", "unit"),
    [
        ("5 working days", 5, LimitUnit.WORKING_DAYS),
        ("1 working day", 1, LimitUnit.WORKING_DAYS),
        ("2 Working Hours", 2, LimitUnit.WORKING_HOURS),
        ("24 hours", 24, LimitUnit.HOURS),
        ("24h", 24, LimitUnit.HOURS),
        ("3 days", 3, LimitUnit.DAYS),
        ("5个工作日", 5, LimitUnit.WORKING_DAYS),
        ("2个工作小时", 2, LimitUnit.WORKING_HOURS),
        ("24小时", 24, LimitUnit.HOURS),
        ("3天", 3, LimitUnit.DAYS),
        ("15个自然日", 15, LimitUnit.DAYS),
    ],
)
def test_limit_parse(text: str, amount: int, unit: LimitUnit) -> None:
    limit = Limit.parse(text)
    assert limit == Limit(amount, unit)
    assert Limit.parse(str(limit)) == limit
    assert Limit.parse(limit.label("zh")) == limit


@pytest.mark.parametrize("text", ["five working days", "5 weeks", "-2 hours", "5", "0个工作日"])
def test_limit_parse_rejects(text: str) -> None:
    with pytest.raises(CalendarError, match=r"time limit|≥ 1"):
        Limit.parse(text)


@pytest.mark.parametrize("amount", [0, -1, 1.5, True])
def test_limit_needs_a_whole_positive_amount(amount: object) -> None:
    with pytest.raises(CalendarError, match="≥ 1"):
        Limit(amount, LimitUnit.HOURS)  # type: ignore[arg-type]
