"""Time limits (时限): a whole amount of working days, working hours, hours or calendar days.

Workflow templates and profiles write limits as text in English or Chinese; :meth:`Limit.parse`
reads them into a typed :class:`Limit` that :meth:`WorkingCalendar.due
<gridgov.service.clock.WorkingCalendar.due>` turns into a deadline.

Examples
--------
>>> Limit.parse("5个工作日") == Limit(5, LimitUnit.WORKING_DAYS)
True
>>> Limit.parse("24 hours").label("zh")
'24小时'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

from gridgov.errors import CalendarError
from gridgov.org.vocab import BilingualEnum

__all__ = ["Limit", "LimitUnit"]


class LimitUnit(BilingualEnum):
    """The unit of a time limit (时限)."""

    WORKING_DAYS = "working_days", "working days", "工作日"
    WORKING_HOURS = "working_hours", "working hours", "工作小时"
    HOURS = "hours", "hours", "小时"
    DAYS = "days", "calendar days", "自然日"


_EN_UNITS: Final = {
    "working day": LimitUnit.WORKING_DAYS,
    "working hour": LimitUnit.WORKING_HOURS,
    "hour": LimitUnit.HOURS,
    "h": LimitUnit.HOURS,
    "day": LimitUnit.DAYS,
    "calendar day": LimitUnit.DAYS,
}
_ZH_UNITS: Final = {
    "工作日": LimitUnit.WORKING_DAYS,
    "工作小时": LimitUnit.WORKING_HOURS,
    "小时": LimitUnit.HOURS,
    "天": LimitUnit.DAYS,
    "日": LimitUnit.DAYS,
    "自然日": LimitUnit.DAYS,
}
_EN_LIMIT = re.compile(
    r"^\s*(\d+)\s*(working[\s_]+days?|working[\s_]+hours?|calendar[\s_]+days?|days?|hours?|h)\s*$",
    re.IGNORECASE,
)
_ZH_LIMIT = re.compile(r"^\s*(\d+)\s*个?\s*(工作日|工作小时|自然日|小时|天|日)\s*$")


@dataclass(frozen=True, slots=True)
class Limit:
    """A time limit: a whole positive ``amount`` of a :class:`LimitUnit`.

    Examples
    --------
    >>> Limit.parse("5 working days")
    Limit(amount=5, unit=<LimitUnit.WORKING_DAYS: 'working_days'>)
    >>> str(Limit.parse("5个工作日")), str(Limit.parse("24小时"))
    ('5 working days', '24 hours')
    >>> Limit.parse("2 working hours").label("zh")
    '2个工作小时'
    """

    amount: int
    unit: LimitUnit

    def __post_init__(self) -> None:
        if isinstance(self.amount, bool) or not isinstance(self.amount, int) or self.amount < 1:
            raise CalendarError(
                f"a time limit needs a whole number ≥ 1, got {self.amount!r} / "
                f"时限须为不小于 1 的整数，实为 {self.amount!r}"
            )
        object.__setattr__(self, "unit", LimitUnit(self.unit))

    @classmethod
    def parse(cls, text: str | Limit) -> Limit:
        """Read a limit written in English or Chinese.

        ``"5 working days"``, ``"2 working hours"``, ``"24 hours"``, ``"3 days"``,
        ``"5个工作日"``, ``"2个工作小时"``, ``"24小时"`` or ``"3天"``; a :class:`Limit` is
        returned as it is.
        """
        if isinstance(text, Limit):
            return text
        match = _EN_LIMIT.match(text)
        if match:
            word = re.sub(r"[\s_]+", " ", match.group(2).lower()).removesuffix("s")
            return cls(int(match.group(1)), _EN_UNITS[word])
        match = _ZH_LIMIT.match(text)
        if match:
            return cls(int(match.group(1)), _ZH_UNITS[match.group(2)])
        raise CalendarError(
            f"cannot read the time limit {text!r}: write e.g. '5 working days', "
            f"'2 working hours', '24 hours', '3 days' / 无法解析时限 {text!r}："
            "应写作 '5个工作日'、'2个工作小时'、'24小时'、'3天'"
        )

    def label(self, lang: Literal["en", "zh"] = "en") -> str:
        """The limit as words in English or Chinese."""
        if lang == "zh":
            if self.unit is LimitUnit.DAYS:
                return f"{self.amount}天"
            if self.unit is LimitUnit.HOURS:
                return f"{self.amount}小时"
            return f"{self.amount}个{self.unit.label_zh}"
        return f"{self.amount} {self.unit.label_en}"

    def __str__(self) -> str:
        return self.label("en")
