"""gridgov.assess.indicators: the catalogue, user indicators, and vectorised = plain loop."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import polars as pl
import pytest

from gridgov import datasets
from gridgov.assess import (
    Indicator,
    IndicatorContext,
    compute_indicators,
    indicator_function,
    indicators,
    load_indicators,
)
from gridgov.assess.indicators import lookup, subjects
from gridgov.errors import AssessError
from gridgov.service import cases


def test_catalogue_is_valid_and_bilingual() -> None:
    catalogue = indicators()
    ids = [i.id for i in catalogue]
    assert len(ids) == len(set(ids))
    for ind in catalogue:
        assert ind.name_zh
        assert ind.name_en
        assert ind.source
    assert {"complaint_rate", "resolution_rate", "satisfaction", "on_time_closing_rate"} <= set(ids)
    kinds = {i.subject for i in catalogue}
    assert {"property_company", "grid", "party_member", "co_building_unit"} <= kinds


def test_unknown_indicator_names_the_choices() -> None:
    with pytest.raises(AssessError, match=r"did you mean 'complaint_rate'\?"):
        lookup(["complaint_rat"])


def test_vectorised_equals_a_plain_loop_on_bozhou() -> None:
    structure = datasets.load("bozhou")
    table = cases(datasets.events("bozhou"))
    chosen = lookup(["complaint_rate", "resolution_rate", "satisfaction"])
    got = compute_indicators(structure, table, chosen, kind="property_company")

    # the same definitions by a plain Python loop over compounds, households and cases
    company_of_building = {
        b: c.property_company
        for c in structure.compounds
        if c.property_company
        for b in c.buildings
    }
    unit_parent = {a.id: a.parent for a in structure.areas}
    households: dict[str, int] = defaultdict(int)
    for unit in structure.households.frame.get_column("parent").to_list():
        company = company_of_building.get(unit_parent.get(unit, ""))
        if company:
            households[company] += 1
    complaints: dict[str, int] = defaultdict(int)
    rated: dict[str, list[int]] = defaultdict(list)
    for row in table.iter_rows(named=True):
        if row["target"] is None:
            continue
        if row["kind"] == "complaint":
            complaints[row["target"]] += 1
        if row["rating"] is not None:
            rated[row["target"]].append(row["rating"])
    for row in got.iter_rows(named=True):
        company = row["subject"]
        assert row["households"] == households[company]
        expected = 100 * complaints[company] / households[company] if households[company] else None
        assert row["complaint_rate"] == pytest.approx(expected)
        ratings = rated[company]
        if ratings:
            assert row["satisfaction"] == pytest.approx(sum(ratings) / len(ratings))
            # resolution: rated at least 3 (the default profile's service.resolved_min_rating)
            share = sum(r >= 3 for r in ratings) / len(ratings)
            assert row["resolution_rate"] == pytest.approx(share)
        else:
            assert row["satisfaction"] is None
            assert row["resolution_rate"] is None
    values = got.select("complaint_rate", "satisfaction", "resolution_rate")
    assert not any(values.select(pl.all().is_nan().any()).row(0))


def test_linked_households_per_member_matches_a_loop() -> None:
    structure = datasets.load("youyi")
    got = compute_indicators(
        structure,
        cases(datasets.events("youyi")),
        lookup(["linked_households_per_member"]),
        kind="party_member",
        as_of=structure.reference_date,
    )
    links: dict[str, set[str]] = defaultdict(set)
    as_of = structure.reference_date
    assert as_of is not None
    for m, h, start, end in structure.linked_households.frame.iter_rows():
        if (start is None or start <= as_of) and (end is None or end > as_of):
            links[m].add(h)
    for member, value in got.select("subject", "linked_households_per_member").iter_rows():
        assert value == len(links[member])


def test_grid_households_match_the_rollup() -> None:
    structure = datasets.load("huanan")
    ours = subjects(structure, "grid").sort("subject")
    rollup = structure.rollup("grid")
    key = "id" if "id" in rollup.columns else rollup.columns[0]
    theirs = rollup.select(pl.col(key).alias("subject"), "households").sort("subject")
    assert (
        ours.select("subject", "households").to_dicts()
        == theirs.cast({"households": pl.Int64}).to_dicts()
    )


def test_user_indicator_from_a_file_and_a_function(tmp_path: Path) -> None:
    @indicator_function("test_households_share")
    def _share(ctx: IndicatorContext) -> pl.DataFrame:
        total = ctx.subjects.get_column("households").sum()
        return ctx.subjects.select("subject", value=pl.col("households") / total)

    path = tmp_path / "mine.toml"
    path.write_text(
        """
[[indicator]]
id = "household_share"
name_en = "share of households"
name_zh = "户数占比"
subject = "property_company"
definition = "households managed / all managed households"
direction = "benefit"
unit = "share"
source = "test"
compute = "function"
function = "test_households_share"
""",
        encoding="utf-8",
    )
    mine = load_indicators(path)
    assert isinstance(mine[0], Indicator)
    structure = datasets.load("bozhou")
    got = compute_indicators(
        structure, cases(datasets.events("bozhou")), mine, kind="property_company"
    )
    assert got.get_column("household_share").sum() == pytest.approx(1.0)


def test_bad_indicator_file_lists_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(
        '[[indicator]]\nid = "X"\n\n[[indicator]]\nid = "y"\ndirection = "up"\n', "utf-8"
    )
    with pytest.raises(AssessError) as info:
        load_indicators(path)
    text = str(info.value)
    assert "indicator #1 (X)" in text
    assert "indicator #2 (y): direction" in text


def test_indicator_for_another_kind_is_refused() -> None:
    structure = datasets.load("bozhou")
    with pytest.raises(AssessError, match="another subject kind"):
        compute_indicators(
            structure,
            cases(datasets.events("bozhou")),
            lookup(["closing_rate"]),
            kind="property_company",
        )


def test_resolution_share_equals_the_service_rate() -> None:
    from gridgov.service import resolution_rate

    structure = datasets.load("bozhou")
    table = cases(datasets.events("bozhou"))
    ours = compute_indicators(
        structure, table, lookup(["resolution_rate"]), kind="property_company"
    )
    theirs = resolution_rate(table, by="target", period=None)
    joined = ours.join(theirs, left_on="subject", right_on="target", how="inner")
    assert joined.height > 70
    diff = (joined.get_column("resolution_rate") - joined.get_column("rate")).abs().max()
    assert diff == 0.0
