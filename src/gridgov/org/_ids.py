r"""Identifier hygiene shared by the models and the columnar tables.

An id is chosen by the user, so two ids that *look* the same must not be two different
things. Every id is normalised to Unicode NFC (a composed ``é`` and ``e`` + U+0301 are one
id) and refused when it holds

* an invisible, format, control or private-use character (U+200B ZERO WIDTH SPACE, U+FEFF,
  U+202E RIGHT-TO-LEFT OVERRIDE…): ``G1`` and ``G1`` + U+200B would print alike; or
* letters of two of the scripts whose letters look alike (Latin, Greek, Cyrillic, Armenian,
  Cherokee): Latin ``C1`` and Cyrillic ``С1`` print alike, and an id mixing them is almost
  always a typing accident. Han, digits and punctuation mix freely with any one of them
  (``S01第1网格`` is a legitimate grid id).

The same rule is implemented twice: once per string for the few ids held in models
(:func:`check_id`) and once over whole polars columns for the tables (:func:`id_problem_masks`).

Examples
--------
>>> check_id("S01第1网格")
'S01第1网格'
>>> check_id("G1\u200b")
Traceback (most recent call last):
...
ValueError: contains an invisible or format character (U+200B); ids must print as they are
>>> check_id("C1"), id_problem("\u0421" + "1")  # Latin C1 is fine; Cyrillic С + 1 alone too
('C1', None)
>>> id_problem("\u0421C1")
'mixes letters of the Cyrillic and Latin scripts, which look alike; use one script'
"""

from __future__ import annotations

import functools
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

__all__ = ["CONFUSABLE_SCRIPTS", "check_id", "id_problem", "id_problem_masks", "normalise_id"]

#: Scripts whose letters look alike; an id may use letters of at most one of them.
CONFUSABLE_SCRIPTS: tuple[str, ...] = ("Latin", "Greek", "Cyrillic", "Armenian", "Cherokee")
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc", "Co", "Cs"})
_INVISIBLE_RE = r"[\p{Cf}\p{Cc}\p{Co}]"  # (no surrogates in Arrow text)
_INVISIBLE_MSG = "contains an invisible or format character ({}); ids must print as they are"
_MIXED_MSG = "mixes letters of the {} scripts, which look alike; use one script"


def normalise_id(value: str) -> str:
    """``value`` in Unicode NFC."""
    return unicodedata.normalize("NFC", value)


@functools.cache
def _script(ch: str) -> str | None:
    if not ch.isalpha():
        return None
    words = unicodedata.name(ch, "").split()
    for script in CONFUSABLE_SCRIPTS:
        if script.upper() in words:
            return script
    return None


def id_problem(value: str) -> str | None:
    """Why ``value`` (already NFC) is not an acceptable id, or ``None``."""
    for ch in value:
        if unicodedata.category(ch) in _INVISIBLE_CATEGORIES:
            return _INVISIBLE_MSG.format(f"U+{ord(ch):04X}")
    scripts = sorted({s for s in map(_script, value) if s is not None})
    if len(scripts) > 1:
        return _MIXED_MSG.format(" and ".join(scripts))
    return None


def check_id(value: str) -> str:
    """``value`` in NFC; ``ValueError`` (naming the reason) when it is not an acceptable id."""
    if value.isascii() and value.isprintable():
        return value  # the common case: ASCII is NFC, visible and of one script
    value = normalise_id(value)
    problem = id_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value


def id_problem_masks(series: pl.Series) -> list[tuple[pl.Series, str]]:
    """Masks of the cells of an (NFC) id column that break the rule, each with its message.

    Whole-column regular expressions, no per-cell Python.
    """
    import polars as pl

    invisible = series.str.contains(_INVISIBLE_RE).fill_null(False)
    hits = [series.str.contains(rf"\p{{{s}}}").fill_null(False) for s in CONFUSABLE_SCRIPTS]
    n_scripts = pl.Series([0] * len(series), dtype=pl.Int32)
    for hit in hits:
        n_scripts = n_scripts + hit.cast(pl.Int32)
    mixed = (n_scripts > 1) & ~invisible
    return [
        (invisible, _INVISIBLE_MSG.format("e.g. U+200B, U+FEFF")),
        (mixed, _MIXED_MSG.format("/".join(CONFUSABLE_SCRIPTS[:3]))),
    ]
