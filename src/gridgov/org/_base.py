"""Shared building blocks of the governance model: the base config, ids and dated entities."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from gridgov.org._ids import check_id

__all__ = ["Dated", "GridgovModel", "Id", "is_valid_on"]

#: An identifier chosen by the user (often a grid code): 1–64 characters without white space,
#: normalised to NFC, without invisible characters or confusable mixed scripts
#: (:mod:`gridgov.org._ids`).
Id = Annotated[
    str,
    StringConstraints(min_length=1, max_length=64, pattern=r"^\S+$"),
    AfterValidator(check_id),
]


class GridgovModel(BaseModel):
    """Base of every gridgov model: unknown fields are errors, instances are immutable.

    Validation errors never echo the input value (``hide_input_in_errors``).
    """

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        str_strip_whitespace=True,
        validate_default=True,
        use_enum_values=False,
        ser_json_inf_nan="strings",
        # errors name the field and the problem, never echo the input: it may hold personal
        # data (a person's phone), and a table's input is a million rows
        hide_input_in_errors=True,
    )


class Dated(GridgovModel):
    """An entity valid over the closed period ``[start, end]``; ``None`` means open-ended.

    ``start`` after ``end`` is not rejected here: :class:`~gridgov.org.Structure` reports it
    together with every other problem (code ``end-before-start``).

    Examples
    --------
    >>> import datetime as dt
    >>> class Thing(Dated):
    ...     pass
    >>> Thing(start=dt.date(2024, 1, 1)).valid_on(dt.date(2023, 12, 31))
    False
    """

    start: dt.date | None = Field(default=None, description="First day valid (inclusive).")
    end: dt.date | None = Field(default=None, description="Last day valid (inclusive).")

    def valid_on(self, day: dt.date) -> bool:
        """Whether the entity is valid on ``day``."""
        return is_valid_on(self.start, self.end, day)


def is_valid_on(start: dt.date | None, end: dt.date | None, day: dt.date) -> bool:
    """Whether the closed period ``[start, end]`` (``None`` = open) contains ``day``.

    Examples
    --------
    >>> import datetime as dt
    >>> is_valid_on(None, dt.date(2024, 6, 30), dt.date(2024, 6, 30))
    True
    """
    return (start is None or start <= day) and (end is None or day <= end)
