"""A report at the ``public`` level: small cells suppressed, person-level items left out.

What :func:`public_report` does to a report built on the whole structure
(:func:`~gridgov.report.build_report` with ``privacy="public"``):

* **counts of people and households** — in the summary (households, residents, people,
  party members, posts filled and vacant, appointments, cross-appointments, linked
  households, report-backs), in every roll-up row (the same), in the community–company
  entry pairs (cross-appointed people) and in household coverage — from 1 to ``k - 1`` are
  suppressed (*primary* suppression): held as ``None`` and printed as ``<k`` (``＜k`` in
  Chinese). Zeros are kept: a zero reveals no one. Counts of areas, organisations, posts,
  agreements and projects are structural facts the public Popolo export holds too, and stay.
* **complementary suppression** — a suppressed cell must not come back by subtraction from
  what is printed. Every roll-up row is a part of its nearest rolled-up ancestor (a grid of
  its community, a community of its street …; the top rows of the summary), and
  ``posts = posts filled + posts vacant`` in each row, and ``households = linked households
  + households without a linked member`` in the summary and coverage. Wherever exactly one
  cell of such a sum is hidden while its total is printed, the smallest non-zero printed
  part is hidden too (or, with no part left, the total), and this is repeated until no sum
  has a single hidden cell. These cells, which may hold any value, are named in
  :attr:`Report.complementary` and print as ``x``. Items that sit directly under an ancestor
  (households in a community but in no grid) are an unprinted part: when they are fewer than
  ``k`` they count as a hidden cell of their own. A rate is hidden with its numerator or
  denominator; rates per month are printed without a yearly total, so each row stands alone.
* **person-level items** are left out: cross-appointments (people by name), the household
  ids among coverage examples, and the rows of an assessment whose subjects are people.
* **findings are counted, not listed**: a finding's message quotes the very counts the
  roll-ups suppress ("grid G0 has 3 households") and may name a person, so the list is left
  out; the rules table keeps the number of findings per rule (a count of shortcomings, not of
  people).

Examples
--------
>>> protect([7, 3, 12], {1}, total=22, k=5)
({0, 1}, False)
>>> protect([3], {0}, total=3, k=5)
({0}, True)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from gridgov.org.privacy import protect
from gridgov.report.model import (
    Coverage,
    EntryPairEntry,
    RateRow,
    Report,
    RollupRow,
    Summary,
)

if TYPE_CHECKING:
    from gridgov.org.structure import Structure
    from gridgov.report.reach import SpatialAnalysis

__all__ = ["COMPLEMENTARY_MARK", "PERSON_COUNTS", "cell_path", "marker", "protect", "public_report"]

#: How a cell hidden by complementary suppression prints: it may hold any value.
COMPLEMENTARY_MARK = "x"

#: Count fields of people and households (summary and roll-up rows) suppressed at ``public``.
PERSON_COUNTS = (
    "households",
    "residents",
    "people",
    "party_members",
    "posts_filled",
    "posts_vacant",
    "appointments",
    "cross_appointments",
    "linked_households",
    "report_backs",
)
_ROLLUP_COUNTS = tuple(c for c in PERSON_COUNTS if c in RollupRow.model_fields)
#: A pseudo-column of the summary row: households without a linked party member (coverage).
_UNLINKED = "households_unlinked"
#: Sums inside one row: (total, parts).
_ROW_SUMS = (("posts", ("posts_filled", "posts_vacant")),)
_SUMMARY_SUMS = (*_ROW_SUMS, ("households", ("linked_households", _UNLINKED)))
_PERSON_SUBJECTS = frozenset({"party_member"})
Key = tuple[str, str]  # (level, id); the summary is ("", "")
_SUMMARY: Key = ("", "")


def marker(k: int, lang: str = "en") -> str:
    """How a suppressed cell prints: ``<k`` (``＜k`` in Chinese).

    Examples
    --------
    >>> marker(5), marker(5, "zh")
    ('<5', '＜5')
    """
    return f"{'＜' if lang == 'zh' else '<'}{k}"


class _Cells:
    """The count cells of a report: true values, and which are hidden."""

    def __init__(self, k: int) -> None:
        self.k = k
        self.values: dict[Key, dict[str, int]] = {}
        self.hidden: set[tuple[Key, str]] = set()

    def add(self, key: Key, values: dict[str, int], suppressed: Sequence[str]) -> None:
        self.values[key] = values
        for c in suppressed:
            if 0 < values.get(c, 0) < self.k:
                self.hidden.add((key, c))

    def shown(self, key: Key, column: str) -> int | None:
        return None if (key, column) in self.hidden else self.values[key][column]

    def hide_sum(self, total: tuple[Key, str], parts: Sequence[tuple[Key, str]]) -> bool:
        """Complementary suppression of ``total = sum(parts)``; whether a cell was hidden."""
        cells = [self.values[key][column] for key, column in parts]
        before = {i for i, part in enumerate(parts) if part in self.hidden}
        after, hide_total = protect(
            cells,
            before,
            total=self.values[total[0]][total[1]],
            total_hidden=total in self.hidden,
            k=self.k,
        )
        self.hidden.update(parts[i] for i in after - before)
        if hide_total:
            self.hidden.add(total)
        return bool(after - before) or hide_total

    def hide_sums(self, key: Key, sums: Sequence[tuple[str, Sequence[str]]]) -> bool:
        """Within row ``key``: each ``total = sum(parts)`` of ``sums``."""
        row = self.values[key]
        changed = False
        for total, parts in sums:
            if total in row and all(c in row for c in parts):
                changed = self.hide_sum((key, total), [(key, c) for c in parts]) or changed
        return changed

    def hide_groups(self, groups: dict[Key, list[Key]], column: str) -> bool:
        """Across rows: each parent's ``column`` is the sum of its children's."""
        changed = False
        for parent, children in groups.items():
            if column in self.values[parent]:
                parts = [(c, column) for c in children]
                changed = self.hide_sum((parent, column), parts) or changed
        return changed


def public_report(report: Report, structure: Structure, k: int) -> Report:
    """``report`` (built on the whole ``structure``) as the ``public`` level lets it leave."""
    cells = _Cells(k)
    summary = report.summary.model_dump()
    household = next((c for c in report.coverage if c.level == "household"), None)
    if household is not None:
        summary[_UNLINKED] = household.uncovered
    cells.add(_SUMMARY, summary, (*PERSON_COUNTS, _UNLINKED))
    for level, rows in report.rollups.items():
        for row in rows:
            values = row.model_dump(exclude={"id", "name"})
            cells.add((level, row.id), values, _ROLLUP_COUNTS)
    groups = _groups(report, structure)
    changed = True
    while changed:
        changed = cells.hide_sums(_SUMMARY, _SUMMARY_SUMS)
        for key in cells.values:
            if key != _SUMMARY:
                changed = cells.hide_sums(key, _ROW_SUMS) or changed
        for column in _ROLLUP_COUNTS:
            changed = cells.hide_groups(groups, column) or changed
    new_summary = Summary(**{c: cells.shown(_SUMMARY, c) for c in report.summary.model_dump()})
    rollups = {
        level: tuple(
            RollupRow(
                id=row.id,
                name=row.name,
                **{c: cells.shown((level, row.id), c) for c in _counts(row)},
            )
            for row in rows
        )
        for level, rows in report.rollups.items()
    }
    coverage = tuple(_coverage(c, cells) for c in report.coverage)
    complementary = sorted(
        cell_path(key, column)
        for key, column in cells.hidden
        if not 0 < cells.values[key][column] < k
    )
    return report.model_copy(
        update={
            "privacy": "public",
            "suppressed_below": k,
            "complementary": tuple(complementary),
            "summary": new_summary,
            "rollups": rollups,
            "findings": (),
            "rules": report.rules,
            "cross_appointments": (),
            "entry_pairs": tuple(_pair(p, k) for p in report.entry_pairs),
            "coverage": coverage,
            "rates": tuple(_rate(r, k) for r in report.rates),
            "assessment": _public_assessment(report),
            "analysis": _public_analysis(report, cells),
        }
    )


def _public_analysis(report: Report, cells: _Cells) -> SpatialAnalysis | None:
    """The spatial section without the communities whose household count the roll-up hides.

    A service-circle row prints its community's households (and shares of them), so a row
    would give back a count the roll-up hides (small, or hidden to protect a small one): those
    rows are left out (its other figures are buildings, not people). Mobilisation holds
    probabilities per grid and no counts of people.
    """
    analysis = report.analysis
    if analysis is None:
        return None
    hidden = {k[1] for k, column in cells.hidden if k[0] == "community" and column == "households"}
    circles = tuple(
        c.model_copy(update={"rows": tuple(r for r in c.rows if r.community not in hidden)})
        for c in analysis.circles
    )
    return analysis.model_copy(update={"circles": circles})


def cell_path(key: Key, column: str) -> str:
    """A cell's name in :attr:`Report.complementary`: ``summary::households``, ``grid:G1:…``."""
    return f"summary::{column}" if key == _SUMMARY else f"{key[0]}:{key[1]}:{column}"


def _counts(row: RollupRow) -> list[str]:
    return [c for c in type(row).model_fields if c not in ("id", "name")]


def _groups(report: Report, structure: Structure) -> dict[Key, list[Key]]:
    """Each rolled-up row under its nearest rolled-up ancestor (the summary for top rows)."""
    where: dict[str, Key] = {
        row.id: (level, row.id) for level, rows in report.rollups.items() for row in rows
    }
    groups: dict[Key, list[Key]] = {_SUMMARY: []}
    for key in where.values():
        parent = next((where[a] for a in structure.ancestors(key[1]) if a in where), _SUMMARY)
        groups.setdefault(parent, []).append(key)
    return groups


def _coverage(c: Coverage, cells: _Cells) -> Coverage:
    if c.level != "household":
        return c
    total = cells.shown(_SUMMARY, "households")
    uncovered = cells.shown(_SUMMARY, _UNLINKED)
    if total is None:
        uncovered = None
    return c.model_copy(update={"total": total, "uncovered": uncovered, "examples": ()})


def _pair(p: EntryPairEntry, k: int) -> EntryPairEntry:
    return p.model_copy(
        update={
            "community_to_company": _small(p.community_to_company, k),
            "company_to_community": _small(p.company_to_community, k),
        }
    )


def _rate(r: RateRow, k: int) -> RateRow:
    numerator, denominator = _small(r.numerator, k), _small(r.denominator, k)
    hidden = (numerator is None and r.numerator is not None) or (
        denominator is None and r.denominator is not None
    )
    return r.model_copy(
        update={
            "numerator": numerator,
            "denominator": None if hidden and r.denominator is not None else denominator,
            "rate": None if hidden else r.rate,
        }
    )


def _small(value: int | None, k: int) -> int | None:
    return None if value is not None and 0 < value < k else value


def _public_assessment(report: Report) -> Any:
    a = report.assessment
    if a is None or a.subject not in _PERSON_SUBJECTS:
        return a
    return a.model_copy(update={"rows": ()})
