"""Tests for gridgov.report._suppress: public reports hide small cells, and keep them hidden."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gridgov.org import Structure
from gridgov.report import Report, build_report, render
from gridgov.report._suppress import PERSON_COUNTS, marker, protect
from gridgov.testing import structures

ROLLUP_COUNTS = [c for c in PERSON_COUNTS if c in ("households", "residents", "party_members",
                                                   "posts_filled", "posts_vacant",
                                                   "linked_households")]  # fmt: skip


def cells(report: Report) -> dict[tuple[str, str, str], int | None]:
    """Every count cell of a report: (table, row id, column) -> value."""
    out: dict[tuple[str, str, str], int | None] = {}
    for column, value in report.summary.model_dump().items():
        out["summary", "", column] = value
    for c in report.coverage:
        if c.level == "household":
            out["summary", "", "households_unlinked"] = c.uncovered
    for level, rows in report.rollups.items():
        for row in rows:
            for column, value in row.model_dump(exclude={"id", "name"}).items():
                out[level, row.id, column] = value
    return out


def equations(
    report: Report, structure: Structure
) -> list[tuple[tuple[str, str, str], list[tuple[str, str, str]]]]:
    """Every sum a reader can form from a report: (total cell, its part cells)."""
    rows = {row.id: level for level, rs in report.rollups.items() for row in rs}
    children: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for rid, level in rows.items():
        parent = next(
            ((rows[a], a) for a in structure.ancestors(rid) if a in rows), ("summary", "")
        )
        children.setdefault(parent, []).append((level, rid))
    out = [
        ((plevel, pid, column), [(lv, i, column) for lv, i in kids])
        for (plevel, pid), kids in children.items()
        for column in ROLLUP_COUNTS
    ]
    for level, rid in [("summary", ""), *((lv, i) for i, lv in rows.items())]:
        out.append(
            ((level, rid, "posts"), [(level, rid, "posts_filled"), (level, rid, "posts_vacant")])
        )
    linked = [("summary", "", "linked_households"), ("summary", "", "households_unlinked")]
    out.append((("summary", "", "households"), linked))
    return out


def recovered(
    truth: dict[tuple[str, str, str], int | None],
    shown: dict[tuple[str, str, str], int | None],
    sums: list[tuple[tuple[str, str, str], list[tuple[str, str, str]]]],
    k: int,
) -> set[tuple[str, str, str]]:
    """Hidden cells an attacker solves by subtraction, one unknown at a time, to a fixpoint.

    The part of a total that no printed cell explains (items directly under an area) is
    taken as known unless it is itself a small count (1 to k-1): the strongest reader who
    still cannot see what the report does not print.
    """
    known = {c for c, v in shown.items() if v is not None}
    found: set[tuple[str, str, str]] = set()
    progress = True
    while progress:
        progress = False
        for total, parts in sums:
            if total not in truth or any(p not in truth for p in parts):
                continue
            rest = (truth[total] or 0) - sum(truth[p] or 0 for p in parts)
            unknown = [c for c in (total, *parts) if c not in known]
            if len(unknown) == 1 and not 0 < rest < k:
                known.add(unknown[0])
                found.add(unknown[0])
                progress = True
    return found


@settings(
    max_examples=50,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(structures(max_households=40), st.integers(2, 12))
def test_small_cells_hidden_and_not_recoverable(s: Structure, k: int) -> None:
    truth = cells(build_report(s, privacy="internal"))
    public = build_report(s, privacy="public", k=k)
    printed = Report.model_validate_json(render(public, "json"))  # what a reader gets
    shown = cells(printed)
    assert printed.suppressed_below == k
    assert printed.privacy == "public"
    person = (*PERSON_COUNTS, "households_unlinked")
    for (table, rid, column), value in shown.items():
        if column in person:
            assert value is None or value == 0 or value >= k, (table, rid, column, value)
            if value is not None:
                assert value == truth[table, rid, column]
        else:  # structural counts (areas, organisations, posts) stay
            assert value == truth[table, rid, column]
    for key, value in truth.items():
        if key[2] in person and value is not None and 0 < value < k:
            assert shown[key] is None, key  # primary suppression
    sums = equations(printed, s)
    assert not recovered(truth, shown, sums, k)
    assert printed.cross_appointments == ()
    assert printed.findings == ()  # messages quote counts ("grid G0 has 3 households")
    assert printed.rules == build_report(s, privacy="internal").rules  # counted per rule
    for path in printed.complementary:  # named cells are hidden ones, not small ones
        table, rest = path.split(":", 1)  # ids may hold ":" (gridgov.testing.ID_ALPHABET)
        rid, column = rest.rsplit(":", 1)
        key = ("summary" if table == "summary" else table, rid, column)
        assert shown[key] is None
        assert not 0 < (truth[key] or 0) < k
    for fmt in ("text", "md", "json", "html"):
        for lang in ("en", "zh"):
            out = render(public, fmt, lang, max_rows=None)  # type: ignore[arg-type]
            for p in s.people:
                assert p.id not in out
                for secret in (p.phone, p.id_number):
                    assert secret is None or secret.get_secret_value() not in out


def grid_city(households: list[int]) -> Structure:
    """One street, one community, one grid per entry holding that many households."""
    areas: list[dict[str, Any]] = [
        {"id": "S1", "level": "street", "name": "街道"},
        {"id": "C1", "level": "community", "parent": "S1", "name": "社区"},
    ]
    rows: list[dict[str, Any]] = []
    for g, n in enumerate(households):
        areas.append({"id": f"G{g}", "level": "grid", "parent": "C1"})
        rows += [{"id": f"H{g}-{i}", "parent": f"G{g}", "residents": 2} for i in range(n)]
    return Structure.model_validate(
        {"name": "t", "reference_date": "2024-06-30", "areas": areas, "households": rows}
    )


def test_one_small_grid_takes_a_second_cell_with_it() -> None:
    # grids of 3, 40 and 12 households: 3 is under k = 5 (primary); 40 - the community total
    # (55) would give it back, so the smallest other grid (12) is hidden too (complementary)
    report = build_report(grid_city([3, 40, 12]), privacy="public")
    grids = {r.id: r.households for r in report.rollups["grid"]}
    assert grids == {"G0": None, "G1": 40, "G2": None}
    assert report.summary.households == 55
    assert report.complementary == ("grid:G2:households",)  # residents (2 each) are >= 5
    text = render(report, "text", "en")
    assert "<5" in text
    assert "  G2                 x" in text  # hidden to protect G0: any value, not "<5"
    assert "＜5" in render(report, "text", "zh")
    assert "has 3 households" not in text
    assert "有 3 户" not in render(report, "md", "zh")
    assert '"households": null' in render(report, "json")
    assert "&lt;5" in render(report, "html", "en")


def test_a_lone_small_grid_hides_its_community() -> None:
    # one grid of 2 households: the community and the street equal it, so they are hidden too
    report = build_report(grid_city([2]), privacy="public")
    assert report.rollups["grid"][0].households is None
    assert report.rollups["community"][0].households is None
    assert report.summary.households is None


def test_k_from_the_parameter() -> None:
    city = grid_city([7, 30, 30])
    assert build_report(city, privacy="public").rollups["grid"][0].households == 7
    hidden = build_report(city, privacy="public", k=10).rollups["grid"]
    assert hidden[0].households is None
    assert render(build_report(city, privacy="public", k=10), "md").count("<10") >= 2


@pytest.mark.parametrize(
    ("cells_", "hidden", "total", "expected"),
    [
        ([7, 3, 12], {1}, 22, ({0, 1}, False)),  # one hidden: the smallest other joins it
        ([7, 3, 2], {1, 2}, 12, ({1, 2}, False)),  # two hidden: nothing to add
        ([3], {0}, 3, ({0}, True)),  # nothing else to hide: the total goes
        ([0, 3, 9], {1}, 12, ({1, 2}, False)),  # a zero reveals no one: not chosen
        ([7, 3], {1}, None, ({1}, False)),  # no total: nothing to subtract from
        ([8, 9], set(), 19, ({0}, False)),  # two items directly under the total: small rest
    ],
)
def test_protect(
    cells_: list[int], hidden: set[int], total: int | None, expected: tuple[set[int], bool]
) -> None:
    assert protect(cells_, hidden, total=total, k=5) == expected


def test_protect_a_hidden_total() -> None:
    # a hidden total of printed parts is their sum: one part must go too
    assert protect([0, 6, 9], set(), total=15, k=5, total_hidden=True) == ({1}, False)
    assert protect([0, 6, 9], {1}, total=15, k=5, total_hidden=True) == ({1}, False)


def test_marker() -> None:
    assert (marker(5), marker(11, "zh")) == ("<5", "＜11")


def test_person_subjects_of_an_assessment_are_left_out() -> None:
    import gridgov
    from gridgov.assess import assess

    s = gridgov.datasets.load("youyi")
    a = assess(s, gridgov.datasets.events("youyi"), None, "youyi_party_member_points")
    public = build_report(s, "youyi", privacy="public", assessment=a)
    assert public.assessment is not None
    assert public.assessment.rows == ()
    key = b"sixteen bytes or more, a key"
    research = build_report(s, "youyi", privacy="research", key=key, assessment=a)
    assert research.assessment is not None
    people = {p.id for p in s.people}
    assert all(r.id.startswith("R") and r.id not in people for r in research.assessment.rows)
    assert all(r.name == "" for r in research.assessment.rows)


def test_rates_hidden_with_their_small_counts() -> None:
    import gridgov

    s = gridgov.datasets.load("youyi")
    events = gridgov.datasets.events("youyi")
    spread = events.get_column("case_id").unique().sort().gather_every(40)  # a few a month
    few = events.filter(events.get_column("case_id").is_in(spread.implode()))
    internal = build_report(s, "youyi", events=few)
    public = build_report(s, "youyi", events=few, privacy="public")
    assert len(public.rates) == len(internal.rates)
    small = 0
    for before, after in zip(internal.rates, public.rates, strict=True):
        for was, now in (
            (before.numerator, after.numerator),
            (before.denominator, after.denominator),
        ):
            if was is not None and 0 < was < 5:
                assert now is None
                small += 1
        if after.numerator is None or (
            after.denominator is None and before.denominator is not None
        ):
            assert after.rate is None  # a rate and one count give the other back
    assert small  # the log is small enough to have small cells
    page = render(public, "html", "zh")
    assert "＜5" in page


def test_circle_rows_never_give_back_a_hidden_community_count() -> None:
    # youyi's communities hold 1 900-2 900 households: with k = 2 500 some are hidden in the
    # roll-up, and a service-circle row prints its community's households, so theirs go too
    import gridgov

    report = build_report(
        gridgov.datasets.load("youyi"), "youyi", privacy="public", k=2500, runs=20
    )
    shown = {r.id: r.households for r in report.rollups["community"]}
    assert None in shown.values()
    assert any(v is not None for v in shown.values())
    assert report.analysis is not None
    assert report.analysis.circles
    for circle in report.analysis.circles:
        assert circle.rows
        for row in circle.rows:
            assert shown[row.community] is not None
            assert row.households == shown[row.community]
