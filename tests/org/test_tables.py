"""Tests for gridgov.org.tables: columnar rows, every bad cell reported, pydantic integration."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gridgov.errors import TableError
from gridgov.org import (
    AreaLevel,
    AreaTable,
    Building,
    Community,
    Grid,
    Household,
    HouseholdTable,
    LinkedHousehold,
    LinkTable,
    Street,
    Structure,
)
from gridgov.testing import ids, periods

D = dt.date


@st.composite
def household_rows(draw: st.DrawFn) -> list[dict[str, Any]]:
    n = draw(st.integers(0, 20))
    rows = []
    for k in range(n):
        start, end = draw(periods())
        rows.append(
            {
                "id": f"H{k}",
                "parent": draw(ids(max_size=10)),
                "residents": draw(st.integers(0, 100)),
                "start": start,
                "end": end,
            }
        )
    return rows


def locations(err: TableError) -> list[tuple[str, str]]:
    return [(p.code, p.location) for p in err.problems]


# -- every bad cell, with row and column ------------------------------------------------------
def test_every_bad_cell_is_reported_with_row_and_column() -> None:
    rows = [
        {"id": "H1", "parent": "U1", "residents": 3},
        {"id": "H 2", "parent": "U1", "residents": -1},
        {"id": "H3", "parent": None, "residents": "three"},
        {"id": "H4", "parent": "U1", "residents": 2, "start": "2024-13-01"},
    ]
    with pytest.raises(TableError) as info:
        HouseholdTable.from_rows(rows)
    assert sorted(locations(info.value)) == sorted(
        [
            ("bad-id", "households row 2, column id"),
            ("out-of-range", "households row 2, column residents"),
            ("missing", "households row 3, column parent"),
            ("bad-type", "households row 3, column residents"),
            ("bad-type", "households row 4, column start"),
        ]
    )
    assert isinstance(info.value, ValueError)
    assert str(info.value).startswith("households: 5 problem(s)")


def test_fractional_and_boolean_numbers_are_bad_types() -> None:
    with pytest.raises(TableError) as info:
        HouseholdTable.from_columns(
            {"id": ["H1", "H2"], "parent": ["U", "U"], "residents": [1.5, 2.0]}
        )
    assert locations(info.value) == [("bad-type", "households row 1, column residents")]
    with pytest.raises(TableError) as info:
        HouseholdTable.from_columns({"id": ["H1"], "parent": ["U"], "residents": [True]})
    assert locations(info.value) == [("bad-type", "households row 1, column residents")]


def test_ids_longer_than_64_characters_are_rejected() -> None:
    with pytest.raises(TableError) as info:
        LinkTable.from_rows([{"member": "P" * 65, "household": "H1"}])
    assert locations(info.value) == [("bad-id", "linked_households row 1, column member")]


def test_bad_area_level_lists_the_choices() -> None:
    with pytest.raises(TableError) as info:
        AreaTable.from_rows([{"id": "X", "level": "household"}, {"id": "Y", "level": "grid"}])
    (problem,) = info.value.problems
    assert problem.location == "areas row 1, column level"
    assert "micro_grid" in problem.message


# -- columns ----------------------------------------------------------------------------------
def test_unknown_columns_are_reported_for_rows_columns_and_frames() -> None:
    row = {"id": "H1", "parent": "U1", "size": 3, "colour": "red"}
    expected = [
        ("unknown-column", "households column colour"),
        ("unknown-column", "households column size"),
    ]
    for make in (
        lambda: HouseholdTable.from_rows([row]),
        lambda: HouseholdTable.from_columns({k: [v] for k, v in row.items()}),
        lambda: HouseholdTable(pl.DataFrame({k: [v] for k, v in row.items()})),
    ):
        with pytest.raises(TableError) as info:
            make()
        assert sorted(locations(info.value)) == expected


def test_missing_required_columns_are_reported() -> None:
    with pytest.raises(TableError) as info:
        HouseholdTable.from_columns({"residents": [1]})
    assert locations(info.value) == [
        ("missing-column", "households column id"),
        ("missing-column", "households column parent"),
    ]


def test_optional_columns_take_their_defaults() -> None:
    t = HouseholdTable.from_columns({"id": ["H1"], "parent": ["U1"]})
    assert t.row(0) == Household(id="H1", parent="U1", residents=1)
    a = AreaTable.from_columns({"id": ["S1"], "level": ["street"]})
    assert a.row(0) == Street(id="S1", name="")


def test_rows_must_be_mappings() -> None:
    with pytest.raises(TableError) as info:
        HouseholdTable.from_rows([("H1", "U1")])  # type: ignore[list-item]
    assert info.value.codes == ["bad-row"]


def test_coerce_rejects_what_is_not_a_table() -> None:
    with pytest.raises(TableError) as info:
        HouseholdTable.coerce(42)
    assert info.value.codes == ["bad-table"]
    with pytest.raises(TableError):
        HouseholdTable.coerce("H1,U1")


# -- equivalent inputs ------------------------------------------------------------------------
@settings(max_examples=25, deadline=None)
@given(household_rows())
def test_rows_columns_frames_and_models_give_the_same_table(rows: list[dict[str, Any]]) -> None:
    from_rows = HouseholdTable.from_rows(rows)
    columns = {c.name: [r[c.name] for r in rows] for c in HouseholdTable.columns}
    from_columns = HouseholdTable.from_columns(columns)
    frame = pl.DataFrame(
        columns,
        schema={
            "id": pl.String,
            "parent": pl.String,
            "residents": pl.Int64,
            "start": pl.Date,
            "end": pl.Date,
        },
    )
    from_frame = HouseholdTable(frame)
    from_models = HouseholdTable.from_rows([Household(**r) for r in rows])
    assert from_rows == from_columns == from_frame == from_models
    assert HouseholdTable.coerce(rows) == HouseholdTable.coerce(columns) == from_rows
    assert HouseholdTable.coerce(frame) == HouseholdTable.coerce(from_rows) == from_rows
    assert from_rows.to_rows() == rows
    assert list(from_rows) == [Household(**r) for r in rows]


@settings(max_examples=25, deadline=None)
@given(household_rows())
def test_date_strings_are_parsed(rows: list[dict[str, Any]]) -> None:
    as_text = [
        {
            **r,
            "start": r["start"] and r["start"].isoformat(),
            "end": r["end"] and r["end"].isoformat(),
        }
        for r in rows
    ]
    assert HouseholdTable.from_rows(as_text) == HouseholdTable.from_rows(rows)
    as_datetimes = [
        {**r, "start": r["start"] and dt.datetime.combine(r["start"], dt.time(8, 30))} for r in rows
    ]
    assert HouseholdTable.from_rows(as_datetimes) == HouseholdTable.from_rows(rows)


def test_area_models_enum_levels_and_mixed_rows_are_accepted() -> None:
    # A list of Area models is the documented way to build a small structure by hand.
    models = [Street(id="S1"), Community(id="C1", parent="S1"), Grid(id="G1", parent="C1")]
    dicts = [
        {"id": "S1", "level": "street"},
        {"id": "C1", "level": "community", "parent": "S1"},
        {"id": "G1", "level": "grid", "parent": "C1"},
    ]
    enums = [{**d, "level": AreaLevel(d["level"])} for d in dicts]
    expected = AreaTable.from_rows(dicts)
    assert AreaTable.from_rows(models) == expected
    assert AreaTable.from_rows(enums) == expected
    s = Structure(areas=models)
    assert s.areas == expected


# -- access -----------------------------------------------------------------------------------
def test_access_methods() -> None:
    t = AreaTable.from_rows(
        [
            {"id": "G1", "level": "grid", "parent": "C1", "code": None},
            {"id": "B1", "level": "building", "parent": "G1", "start": "2020-01-01"},
        ]
    )
    assert len(t) == 2
    assert repr(t) == "AreaTable(2 rows)"
    assert isinstance(t.row(0), Grid)
    assert t.get("B1") == Building(id="B1", parent="G1", start=D(2020, 1, 1))
    assert t.get("NOPE") is None
    assert t.position("B1") == 1
    assert "G1" in t
    assert "NOPE" not in t
    assert 3 not in t
    assert t.ids() == ["G1", "B1"]
    assert [a.id for a in t] == ["G1", "B1"]
    only = t.filter(pl.col("level") == "building")
    assert only.ids() == ["B1"]
    assert only.position("B1") == 0
    assert t.frame.schema["start"] == pl.Date


def test_link_table_has_no_key() -> None:
    t = LinkTable.from_rows([LinkedHousehold(member="P1", household="H1")])
    assert t.row(0).member == "P1"
    with pytest.raises(TypeError, match="no key"):
        t.ids()


def test_tables_are_unhashable_and_compare_by_content() -> None:
    a = HouseholdTable.from_rows([{"id": "H1", "parent": "U1"}])
    b = HouseholdTable.from_columns({"id": ["H1"], "parent": ["U1"]})
    assert a == b
    assert a != HouseholdTable()
    assert a != LinkTable()
    with pytest.raises(TypeError):
        hash(a)


def test_empty_tables_round_trip() -> None:
    for table in (AreaTable, HouseholdTable, LinkTable):
        empty = table()
        assert len(empty) == 0
        assert table.from_rows([]) == empty
        assert table.from_rows(empty.to_rows()) == empty


def test_tables_inside_structure_dump_as_rows_and_document_their_schema() -> None:
    s = Structure.model_validate(
        {
            "areas": {"id": ["S1"], "level": ["street"]},
            "households": pl.DataFrame(
                {"id": [], "parent": []}, schema={"id": pl.String, "parent": pl.String}
            ),
        }
    )
    dumped = s.model_dump()
    assert dumped["areas"] == [
        {
            "id": "S1",
            "level": "street",
            "parent": None,
            "name": "",
            "code": None,
            "start": None,
            "end": None,
        }
    ]
    assert dumped["households"] == []
    schema = Structure.model_json_schema()
    assert schema["properties"]["areas"]["type"] == "array"
    assert "items" in schema["properties"]["households"]


@pytest.mark.parametrize("value", [10**30, "1e30", 2**40, -(2**40)])
def test_a_huge_integer_is_out_of_range_with_the_range_stated(value: object) -> None:
    # issue 8: 10**30 residents used to say "must be int"
    with pytest.raises(TableError) as info:
        HouseholdTable.from_rows([{"id": "H1", "parent": "U1", "residents": value}])
    (problem,) = info.value.problems
    assert problem.code == "out-of-range"
    assert problem.location == "households row 1, column residents"
    assert "out of range" in problem.message
    assert "between 0 and 100" in problem.message


def test_every_bad_cell_is_in_problems_and_the_message_counts_the_rest() -> None:
    # issue 8: cell problems were capped at 50 with no "… and N more"
    n = 137
    rows = [{"id": f"H {i}", "parent": "U1"} for i in range(n)]
    with pytest.raises(TableError) as info:
        HouseholdTable.from_rows(rows)
    assert len(info.value.problems) == n
    assert [p.location for p in info.value.problems[:3]] == [
        f"households row {r}, column id" for r in (1, 2, 3)
    ]
    assert f"… and {n - 20} more" in str(info.value)


def test_rows_are_counted_from_one_everywhere() -> None:
    with pytest.raises(TableError) as info:
        HouseholdTable.from_rows([{"id": "H1", "parent": "U1"}, 5])  # type: ignore[list-item]
    assert locations(info.value) == [("bad-row", "households row 2")]


def test_salvage_keeps_the_good_rows_and_names_the_bad_ones() -> None:
    rows = [
        {"id": "H1", "parent": "U1", "residents": 10**30},
        {"id": "H2", "parent": "U1"},
        {"id": "H3", "parent": "U1", "colour": "red"},
    ]
    table, dropped = HouseholdTable.salvage(rows)
    assert table.ids() == ["H2", "H3"]
    assert dropped == {"H1"}


# -- the id fast path against the straightforward check of every cell ------------------------
def every_cell_id_check(series: pl.Series) -> tuple[pl.Series, pl.Series, list[pl.Series]]:
    """What the id check did before its ASCII fast path: every cell normalised and matched."""
    from gridgov.org._ids import id_problem_masks

    series = series.str.normalize("NFC")
    lengths = series.str.len_chars()
    wrong = (lengths < 1) | (lengths > 64) | series.str.contains(r"\s")
    return series, wrong, [mask for mask, _ in id_problem_masks(series)]


ODD_CHARACTERS = st.sampled_from(
    (
        *("a", "Z", "7", "-", "网", " ", "\t", "\u200b", "\ufeff", "\u0421", "\u03b1", "e\u0301"),
        *("\u00e9", "\x00", "\x7f", "\u3000", "\ue000", "~"),
    )
)
ID_CELLS = st.one_of(
    st.none(),
    ids(),
    st.lists(ODD_CHARACTERS, max_size=70).map("".join),
    st.text(max_size=8),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(ID_CELLS, max_size=30))
def test_the_id_fast_path_flags_what_checking_every_cell_flags(cells: list[str | None]) -> None:
    from gridgov.org.tables import _id_cells

    column = pl.Series("id", cells, dtype=pl.String)
    fast, wrong, masks = _id_cells(column)
    slow, slow_wrong, slow_masks = every_cell_id_check(column)
    assert fast.to_list() == slow.to_list()
    assert wrong.fill_null(False).to_list() == slow_wrong.fill_null(False).to_list()
    assert [m.fill_null(False).to_list() for m, _ in masks] == [
        m.fill_null(False).to_list() for m in slow_masks
    ]
    assert column.to_list() == cells  # the input column is left as it was


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(ID_CELLS, ID_CELLS), min_size=1, max_size=20))
def test_household_tables_report_the_same_problems_as_checking_every_id_cell(
    rows: list[tuple[str | None, str | None]],
) -> None:
    """Whole tables: the problems (codes, rows, messages, order) of the fast and the full path."""
    import gridgov.org.tables as tables

    frame = pl.DataFrame(
        {"id": [r[0] for r in rows], "parent": [r[1] for r in rows]},
        schema={"id": pl.String, "parent": pl.String},
    )

    def problems() -> list[tuple[str, str, str]]:
        try:
            HouseholdTable(frame)
        except TableError as exc:
            return [(p.code, p.location, p.message) for p in exc.problems]
        return []

    fast = problems()
    original = tables._id_cells

    def reference(series: pl.Series) -> tuple[pl.Series, pl.Series, list[tuple[pl.Series, str]]]:
        from gridgov.org._ids import id_problem_masks

        slow, wrong, masks = every_cell_id_check(series)
        messages = [message for _, message in id_problem_masks(series[:0])]
        return slow, wrong, list(zip(masks, messages, strict=True))

    tables._id_cells = reference  # type: ignore[assignment]  # the reference path, this test only
    try:
        slow = problems()
    finally:
        tables._id_cells = original
    assert fast == slow


# -- indexes kept on the tables ---------------------------------------------------------------
def _city_tables() -> tuple[AreaTable, HouseholdTable, LinkTable]:
    from gridgov.datasets import synthetic_city

    city = synthetic_city(400, seed=2)
    return city.areas, city.households, city.linked_households


def test_area_index_is_kept_per_areas_table_and_is_what_a_fresh_build_gives() -> None:
    from gridgov.org._index import AreaIndex

    areas, households, _ = _city_tables()
    index = households.area_index(areas)
    assert households.area_index(areas) is index  # kept
    fresh = AreaIndex(areas, households)
    assert index.ids == fresh.ids
    assert (index.parent == fresh.parent).all()
    assert (index.hh_parent == fresh.hh_parent).all()
    other = AreaTable(areas.frame.clone())  # equal content, another table: built again
    assert households.area_index(other) is not index
    assert households.area_index(areas) is not index  # one pair is kept, the latest


def test_household_rows_of_links_are_the_key_index_positions_and_kept() -> None:
    _, households, links = _city_tables()
    rows = links.household_rows(households)
    assert links.household_rows(households) is rows
    expected = households.key_index.positions(links.frame.get_column("household"))
    assert rows.dtype.name == "int32"
    assert (rows == expected).all()
    unknown = LinkTable.from_rows([{"member": "P1", "household": "nowhere"}])
    assert unknown.household_rows(households).tolist() == [-1]
