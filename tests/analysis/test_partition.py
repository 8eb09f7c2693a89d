"""Grid partitioning on random towns and on the youyi example."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from gridgov import datasets
from gridgov.analysis import hilbert_order, partition_grids
from gridgov.org import Structure


def _town(seed: int, communities: int, buildings: int) -> Structure:
    rng = np.random.default_rng(seed)
    areas = [{"id": "S1", "level": "street"}]
    households = []
    points = []
    m_per_deg = 111_320.0
    for c in range(communities):
        cid = f"C{c}"
        areas.append({"id": cid, "level": "community", "parent": "S1"})
        areas.append({"id": f"{cid}G", "level": "grid", "parent": cid})
        for b in range(buildings):
            bid = f"{cid}B{b}"
            areas.append({"id": bid, "level": "building", "parent": f"{cid}G"})
            areas.append({"id": f"{bid}U", "level": "unit", "parent": bid})
            households += [
                {"id": f"{bid}H{k}", "parent": f"{bid}U"} for k in range(int(rng.integers(10, 70)))
            ]
            x, y = c * 2000 + rng.uniform(0, 800), rng.uniform(0, 800)
            points.append(
                {
                    "id": f"L{bid}",
                    "kind": "building",
                    "subject": bid,
                    "lon": 120 + x / m_per_deg,
                    "lat": y / m_per_deg,
                }
            )
    return Structure.model_validate(
        {"areas": areas, "households": households, "geography": {"points": points}}
    )


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 3), st.integers(8, 40))
def test_random_towns_give_valid_grids(seed: int, communities: int, buildings: int) -> None:
    s = _town(seed, communities, buildings)
    p = partition_grids(s, band=(150, 300), keep=False)
    f = p.to_frame()
    assignment = p.assignment()
    all_buildings = set(s.areas.frame.filter(level="building").get_column("id").to_list())
    solved = set(f.get_column("community").to_list())
    # no building split or lost: each building of a partitioned community is in exactly one grid
    covered = [b for ms in p.members for b in ms]
    assert len(covered) == len(set(covered))
    assert {b for b in all_buildings if b[: b.index("B")] in solved} == set(assignment)
    # within the band and within one community
    assert f.get_column("households").is_between(150, 300).all()
    for comm, ms in zip(p.community, p.members, strict=True):
        assert {b[: b.index("B")] for b in ms} == {comm}
    # contiguous unless the result says it could not be
    if not p.problems:
        assert f.get_column("contiguous").all()
    assert p.gap >= -1e-9


def test_youyi_gives_about_76_grids_of_200_to_300_households() -> None:
    p = partition_grids(datasets.load("youyi"), profile="youyi", keep=False)
    f = p.to_frame()
    # seed report, 友谊县: 「以200—300户为单位，统一划分网格76个」
    assert 70 <= f.height <= 82
    assert f.get_column("households").is_between(200, 300).all()
    assert f.get_column("contiguous").all()
    assert p.lineage[0] is not None
    assert "户" in p.explain(p.grids[0], lang="zh")


def test_hilbert_order_keeps_neighbours_together() -> None:
    xs, ys = np.meshgrid(np.arange(8.0), np.arange(8.0))
    order = hilbert_order(xs.ravel(), ys.ravel())
    pts = np.column_stack([xs.ravel(), ys.ravel()])[order]
    steps = np.abs(np.diff(pts, axis=0)).sum(axis=1)
    assert (steps == 1).all()  # a Hilbert curve moves one cell at a time


def test_repartition_after_households_move_keeps_the_other_grids() -> None:
    import polars as pl

    from gridgov.org import HouseholdTable

    s = datasets.load("youyi")
    before = partition_grids(s, profile="youyi")
    assert all(before.unchanged)  # every bundled grid fits the band: nothing to redraw
    # 120 households move into one unit of grid S01C01G01, pushing it over 300
    unit = s.areas.frame.filter(level="unit", parent="S01C01G01B01").get_column("id")[0]
    extra = pl.DataFrame(
        {"id": [f"NEW{k}" for k in range(120)], "parent": [unit] * 120, "residents": [2] * 120}
    )
    frame = pl.concat([s.households.frame, extra], how="diagonal_relaxed")
    moved = s.model_copy(update={"households": HouseholdTable(frame)})
    after = partition_grids(moved, profile="youyi")
    f = after.to_frame()
    assert f.get_column("households").is_between(200, 300).all()
    assert f.get_column("contiguous").all()
    changed = f.filter(~pl.col("unchanged"))
    # only grids of the crowded community are redrawn; every other grid is kept as it was
    assert set(changed.get_column("community").to_list()) == {"S01C01"}
    assert f.filter(pl.col("unchanged")).height >= 76 - 12
    assert "S01C01G01" in changed.get_column("lineage").to_list()


def test_new_grids_get_codes_under_the_structure_scheme() -> None:
    from gridgov.org.codes import get_scheme

    s = datasets.load("youyi")
    scheme = get_scheme(s.code_scheme or "")
    areas = s.areas.frame
    code_of = dict(zip(areas.get_column("id"), areas.get_column("code"), strict=True))
    old_codes = {c for c in areas.get_column("code").to_list() if c}
    p = partition_grids(s, profile="youyi", keep=False)
    f = p.to_frame()
    assert f.get_column("code").is_unique().all()
    assert f.get_column("grid").is_unique().all()
    fresh = f.filter(~f.get_column("unchanged"))
    assert fresh.height > 0
    for row in fresh.iter_rows(named=True):
        parsed = scheme.parse(row["code"])
        assert parsed.level == "grid"
        assert scheme.check_child(code_of[row["community"]], row["code"], immediate=True) is None
        assert row["code"] not in old_codes  # no collision with any existing code
        assert row["grid"] not in code_of  # nor with any existing id
        # numbering continues after the community's highest existing grid number
        top = max(
            int(scheme.parse(c).parts["grid"])
            for g, c in code_of.items()
            if g.startswith(row["community"] + "G") and c
        )
        assert int(parsed.parts["grid"]) > top
        assert row["grid"] == f"{row['community']}G{int(parsed.parts['grid']):02d}"
        assert row["name"].endswith(f"第{int(parsed.parts['grid'])}网格")
    # a grid drawn exactly as before keeps its id and code
    for row in f.filter(f.get_column("unchanged")).iter_rows(named=True):
        assert row["grid"] == row["lineage"]
        assert row["code"] == code_of[row["grid"]]


def test_kept_grids_keep_their_codes_when_repartitioning() -> None:
    s = datasets.load("youyi")
    areas = s.areas.frame
    code_of = dict(zip(areas.get_column("id"), areas.get_column("code"), strict=True))
    p = partition_grids(s, profile="youyi", community="S01C02")
    assert all(p.unchanged)
    assert p.codes == [code_of[g] for g in p.grids]
    assert set(p.grids) == set(areas.filter(level="grid", parent="S01C02").get_column("id"))


def test_a_scheme_without_grid_codes_is_reported_not_invented() -> None:
    s = datasets.load("youyi")
    bare = s.model_copy(update={"code_scheme": "civil_affairs_12"})
    p = partition_grids(bare, profile="youyi", community="S01C01", keep=False)
    fresh = [c for c, u in zip(p.codes, p.unchanged, strict=True) if not u]
    assert fresh
    assert all(c is None for c in fresh)
    assert any("civil_affairs_12 codes no grid level" in m for m in p.problems)


def test_grid_numbers_past_the_scheme_width_are_reported_not_truncated() -> None:
    base = _town(3, 1, 12)
    areas = base.areas.frame.to_dicts()
    for row in areas:
        if row["id"] == "C0":
            row["code"] = "10010099010100100100"  # CJ/T 349: community 001 of street 001
        if row["id"] == "C0G":
            row["id"], row["code"] = "C0G99", "10010099010100100199"  # grid part at its max
        if row["parent"] == "C0G":
            row["parent"] = "C0G99"
    s = Structure.model_validate(
        {
            "code_scheme": "cjt349_20",
            "areas": areas,
            "households": base.households.frame.to_dicts(),
            "geography": {"points": base.geography.points.frame.to_dicts()},  # type: ignore[union-attr]
        }
    )
    p = partition_grids(s, band=(150, 300), keep=False)
    fresh = [c for c, u in zip(p.codes, p.unchanged, strict=True) if not u]
    assert fresh
    assert all(c is None for c in fresh)  # 100 does not fit the two-digit grid part
    assert any("does not fit the cjt349_20 grid part" in m for m in p.problems)
    assert all(g.startswith("C0G") and int(g[3:]) >= 100 for g in p.grids)
