"""Tests for gridgov.report._analysis: the report's service circles and mobilisation section.

Known answers: the report's figures are those of gridgov.analysis called directly on the same
structure (the bundled youyi example, profile youyi: 15-minute community life circle,
targets 10 and 30 minutes from youyi.toml, 「指令在发布10分钟内覆盖全部群众、30分钟内党员干部
全部到位」).
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from gridgov.analysis import mobilisation, service_circles
from gridgov.datasets import load
from gridgov.org import Structure
from gridgov.report import Report, build_report, render
from gridgov.report._analysis import DEFAULT_RUNS


@cache
def youyi() -> Report:
    return build_report(load("youyi"), "youyi")


def test_circle_coverage_is_the_analysis() -> None:
    s = load("youyi")
    a = youyi().analysis
    assert a is not None
    [circle] = a.circles  # youyi.toml sets service_circle.community_life_minutes = 15
    assert (circle.rule, circle.key, circle.minutes) == (
        "community_life_circle",
        "service_circle.community_life_minutes",
        15.0,
    )
    sc = service_circles(s, profile="youyi")
    assert circle.kinds == tuple(sc.kinds)
    expected = sc.coverage(15)
    for row in circle.rows:
        for kind in circle.kinds:
            [want] = expected.filter(community=row.community, kind=kind).iter_rows(named=True)
            assert row.share_households[kind] == pytest.approx(want["share_households"])
            assert row.share_buildings[kind] == pytest.approx(want["share_buildings"])
            assert row.uncovered_by_kind[kind] == len(want["uncovered"])
            assert row.buildings == want["buildings"]
    # buildings missing some kind: the subjects of the circle rule's findings
    missing = {f.subject for f in sc.findings() if f.rule == "community_life_circle"}
    assert circle.uncovered == len(missing) == sum(r.uncovered for r in circle.rows) > 0
    for row in circle.rows:
        assert set(row.examples) <= missing
    # share of households within reach of every kind, recomputed from the minutes
    every = (sc.minutes <= 15).all(axis=1)
    for row in circle.rows:
        mask = np.asarray([c == row.community for c in sc.communities])
        hh = np.asarray(sc.households)
        assert row.share_all == pytest.approx(hh[mask & every].sum() / hh[mask].sum())


def test_huanan_shows_its_walking_circle() -> None:
    s = load("huanan")
    report = build_report(s, "huanan", runs=5)
    assert report.analysis is not None
    [circle] = report.analysis.circles  # huanan.toml: party_mass_walk_minutes = 10
    assert (circle.rule, circle.minutes, circle.kinds) == (
        "party_mass_walk_circle",
        10.0,
        ("party_mass_service_centre",),
    )
    sc = service_circles(s, profile="huanan", kinds=["party_mass_service_centre"])
    walk = [f for f in sc.findings() if f.rule == "party_mass_walk_circle"]
    assert circle.uncovered == len(walk) == len(sc.uncovered("party_mass_service_centre", 10))
    assert len(circle.rows) == 21


def test_mobilisation_is_the_analysis() -> None:
    m = mobilisation(load("youyi"), runs=DEFAULT_RUNS, seed=0, profile="youyi")
    got = youyi().analysis
    assert got is not None
    assert got.mobilisation is not None
    rep = got.mobilisation
    assert (rep.runs, rep.seed, rep.reach_target, rep.cadre_target) == (200, 0, 10.0, 30.0)
    frame = m.to_frame()
    assert [g.grid for g in rep.grids] == frame.get_column("grid").to_list()
    for g, row in zip(rep.grids, frame.iter_rows(named=True), strict=True):
        for key in ("p_reach", "p_reach_low", "p_reach_high", "p_cadres", "p_cadres_low"):
            assert getattr(g, key) == row[key]
        assert list(g.reasons_en) == m.reasons[g.grid]
        assert list(g.reasons_zh) == m.reasons_zh[g.grid]
    assert list(rep.misses) == m.misses(0.9)
    worst = rep.worst(1)[0]
    assert worst.worst == min(min(g.p_reach, g.p_cadres) for g in rep.grids)


def test_runs_and_seed_are_parameters_and_reproducible() -> None:
    s = load("youyi")
    a = build_report(s, "youyi", runs=20, seed=3)
    b = build_report(s, "youyi", runs=20, seed=3)
    assert a.analysis is not None
    assert a.analysis.mobilisation is not None
    assert a.analysis.mobilisation.runs == 20
    assert a.analysis == b.analysis
    assert build_report(s, "youyi", analysis=False).analysis is None


def test_no_section_without_geography(town: Structure) -> None:
    report = build_report(town, "youyi")
    assert report.analysis is None
    assert "Mobilisation" not in render(report)


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "en",
            [
                "15-minute community life circle",
                "Mobilisation: 10 and 30 minutes",
                "P(all households ≤ 10 min)",
                "P(all cadres ≤ 30 min)",
                "Grids least likely to meet a target",
            ],
        ),
        (
            "zh",
            [
                "15分钟社区生活圈",
                "应急动员：10分钟与30分钟",
                "10分钟内覆盖全部群众的概率",
                "30分钟内干部全部到位的概率",
                "最难达到目标的网格",
            ],
        ),
    ],
)
@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_every_format_shows_the_section(fmt: str, lang: str, words: list[str]) -> None:
    out = render(youyi(), fmt, lang)  # type: ignore[arg-type]
    for word in words:
        assert word in out, word
    worst = youyi().analysis.mobilisation.worst(1)[0]  # type: ignore[union-attr]
    assert worst.grid in out
    assert f"{100 * worst.p_cadres:.1f}%" in out


def test_json_carries_the_section() -> None:
    text = render(youyi(), "json")
    assert '"reach_target": 10.0' in text
    assert '"share_households"' in text
    assert Report.model_validate_json(text) == youyi()


def test_research_reports_name_no_cadre() -> None:
    s = load("youyi")
    internal = youyi().analysis
    research = build_report(s, "youyi", privacy="research", key="a key of sixteen bytes").analysis
    assert internal is not None
    assert research is not None
    assert internal.mobilisation is not None
    assert research.mobilisation is not None
    # the same probabilities: computed from where cadres live, before redaction
    assert [g.p_cadres for g in research.mobilisation.grids] == [
        g.p_cadres for g in internal.mobilisation.grids
    ]
    people = {p.id for p in s.people}
    named = [
        r for g in internal.mobilisation.grids for r in g.reasons_en if people & set(r.split())
    ]
    assert named  # the youyi example has a cadre living far away
    reasons = [r for g in research.mobilisation.grids for r in (*g.reasons_en, *g.reasons_zh)]
    assert not [r for r in reasons if people & set(r.replace("（", " ").split())]
    assert "1 cadre(s) live far from the meeting point" in reasons
    assert "1名党员干部住得离集合点远" in reasons
