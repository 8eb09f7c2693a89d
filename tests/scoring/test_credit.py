"""Tests of gridgov.scoring.credit: policies as data, validity, caps, bands, vetoes and lists."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from gridgov.errors import CreditPolicyError, MissingExtraError, ScoringError
from gridgov.scoring.credit import (
    CreditPolicy,
    CreditRecord,
    GradeBand,
    available_policies,
    evaluate,
    load_policy,
)

AS_OF = dt.date(2024, 6, 30)
D = dt.date


@pytest.fixture(scope="module")
def shandong() -> CreditPolicy:
    return load_policy("shandong_property_services")


@pytest.fixture(scope="module")
def lianyungang() -> CreditPolicy:
    return load_policy("lianyungang_property_services")


def _minimal(**changes: Any) -> dict[str, Any]:
    """A small valid policy as plain data: basic <= 100, penalties <= 20, grades A/B/C."""
    data: dict[str, Any] = {
        "name": "mini",
        "source": "test",
        "base_section": "basic",
        "sections": [
            {"name": "basic", "kind": "basic", "cap": 100},
            {"name": "penalty", "kind": "penalty", "cap": 20},
        ],
        "grades": [{"code": "A"}, {"code": "B"}, {"code": "C"}],
        "bands": [
            {"grade": "A", "lower": 80, "upper": 100, "include_upper": True},
            {"grade": "B", "lower": 50, "upper": 80},
            {"grade": "C", "lower": -20, "upper": 50},
        ],
    }
    data.update(changes)
    return data


# --------------------------------------------------------------------------- loading


def test_shipped_policies_load_and_cite_their_source(
    shandong: CreditPolicy, lianyungang: CreditPolicy
) -> None:
    assert available_policies() == ["lianyungang_property_services", "shandong_property_services"]
    assert "烟建住房〔2022〕13号" in shandong.source
    assert "山东省物业服务企业信用信息管理措施" in shandong.source
    assert "连云港市物业服务企业信用评价管理办法(试行)" in lianyungang.source
    for policy in (shandong, lianyungang):
        assert policy.confidence == "reported"
        assert "assumed" in policy.notes.lower() or "illustrative" in policy.notes.lower()
        assert any(v.startswith("assumed") for v in policy.provenance.values())
    assert shandong.section("basic").cap == 80
    assert shandong.section("bonus").cap == 40
    assert shandong.section("penalty").cap is None
    assert shandong.reachable_range() == (-np.inf, 120.0)
    assert lianyungang.reachable_range() == (-np.inf, np.inf)


def test_policy_loads_from_toml_and_yaml_text(shandong: CreditPolicy) -> None:
    data = shandong.model_dump(mode="json")
    from_yaml = CreditPolicy.from_yaml(yaml.safe_dump(data, allow_unicode=True))
    assert from_yaml == shandong
    toml_text = """
name = "demo"
source = "illustration"
base_section = "basic"
sections = [{name = "basic", kind = "basic", cap = 80}, {name = "penalty", kind = "penalty"}]
grades = [{code = "good"}, {code = "bad"}]
bands = [{grade = "good", lower = 60}, {grade = "bad", upper = 60}]
"""
    demo = CreditPolicy.from_toml(toml_text)
    assert demo.bands[0].interval() == "[60, inf)"
    assert demo.bands[1].interval() == "(-inf, 60)"


def test_load_policy_from_files(tmp_path: Path, shandong: CreditPolicy) -> None:
    shipped = Path(__file__).parents[2] / "src/gridgov/scoring/policies"
    toml_file = tmp_path / "mine.toml"
    toml_file.write_text(
        (shipped / "shandong_property_services.toml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    assert load_policy(toml_file) == shandong
    yaml_file = tmp_path / "mine.yml"
    yaml_file.write_text(
        yaml.safe_dump(shandong.model_dump(mode="json"), allow_unicode=True), encoding="utf-8"
    )
    assert load_policy(str(yaml_file)) == shandong


def test_load_policy_errors(tmp_path: Path) -> None:
    with pytest.raises(CreditPolicyError, match=r"lianyungang_property_services, shandong_prop"):
        load_policy("beijing")
    with pytest.raises(CreditPolicyError, match="cannot read credit policy file"):
        load_policy(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("name = [", encoding="utf-8")
    with pytest.raises(CreditPolicyError, match=r"bad\.toml: not valid TOML"):
        load_policy(bad)
    bad_yaml = tmp_path / "bad.yaml"
    bad_yaml.write_text("- a list, not a mapping\n", encoding="utf-8")
    with pytest.raises(CreditPolicyError, match="must be a mapping"):
        load_policy(bad_yaml)


def test_yaml_without_pyyaml_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "yaml", None)
    with pytest.raises(MissingExtraError, match=r"pip install 'gridgov\[io\]'"):
        CreditPolicy.from_yaml("name: x")


# --------------------------------------------------------------------------- validation


def test_minimal_policy_is_valid() -> None:
    p = CreditPolicy.from_dict(_minimal())
    assert p.reachable_range() == (-20.0, 100.0)


@pytest.mark.parametrize(
    ("bands", "message"),
    [
        (
            [
                {"grade": "A", "lower": 50, "include_lower": True},
                {"grade": "B", "upper": 50, "include_upper": True},
            ],
            r"bands \(-inf, 50\] \(grade 'B'\) and \[50, inf\) \(grade 'A'\) overlap",
        ),
        (
            [{"grade": "A", "lower": 40}, {"grade": "B", "upper": 60}],
            "overlap",
        ),
        (
            [
                {"grade": "A", "lower": 50, "include_lower": False},
                {"grade": "B", "upper": 50, "include_upper": False},
            ],
            r"gap between bands \(-inf, 50\) \(grade 'B'\) and \(50, inf\)",
        ),
        (
            [{"grade": "A", "lower": 60}, {"grade": "B", "lower": -20, "upper": 50}],
            "gap between bands",
        ),
        (
            [
                {"grade": "A", "lower": 50, "upper": 100},
                {"grade": "B", "lower": -20, "upper": 50},
            ],
            r"no band covers totals above \[50, 100\) \(reachable range \[-20, 100\]\)",
        ),
        (
            [{"grade": "A", "lower": 0}],
            r"no band covers totals below \[0, inf\)",
        ),
        (
            [{"grade": "A", "lower": 5, "upper": 5}, {"grade": "B", "upper": 5}],
            r"band \[5, 5\) of grade 'A' is empty",
        ),
    ],
)
def test_inconsistent_bands_are_rejected(bands: list[dict[str, Any]], message: str) -> None:
    with pytest.raises(CreditPolicyError, match=message):
        CreditPolicy.from_dict(_minimal(bands=bands))


def test_gaps_outside_the_reachable_range_are_allowed() -> None:
    # reachable range is [-20, 100]: nothing needs to cover totals above 100 or below -20
    bands = [
        {"grade": "A", "lower": 50, "upper": 100, "include_upper": True},
        {"grade": "C", "lower": -20, "upper": 50},
    ]
    p = CreditPolicy.from_dict(_minimal(bands=bands))
    ev = evaluate(p, [], as_of=AS_OF, base_scores={"top": 100, "low": 0})
    assert ev["top"].grade == "A"
    assert ev["low"].grade == "C"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"grades": [{"code": "A"}, {"code": "A"}, {"code": "C"}]},
            r"duplicate grade name\(s\) \['A'\]",
        ),
        ({"base_section": "penalty"}, "base_section 'penalty' is a penalty section"),
        ({"base_section": "extra"}, "base_section names unknown section 'extra'"),
        (
            {"vetoes": [{"name": "v", "grade": "blacklist", "kinds": ["fraud"]}]},
            "veto 'v' names unknown grade 'blacklist'",
        ),
        (
            {"lists": [{"name": "red", "grades": ["A"], "requires_no_records_in": ["bad"]}]},
            "list 'red' names unknown section 'bad'",
        ),
        (
            {"kinds": {"k": {"section": "nowhere", "points": 1}}},
            "kind 'k' names unknown section 'nowhere'",
        ),
        ({"vetoes": [{"name": "v", "grade": "C"}]}, "needs trigger kinds or any_serious"),
        ({"sections": []}, "at least 1 item"),
    ],
)
def test_inconsistent_policies_are_rejected(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(CreditPolicyError, match=message):
        CreditPolicy.from_dict(_minimal(**changes))


def test_direct_construction_raises_a_value_error() -> None:
    data = _minimal(bands=[{"grade": "A", "lower": 0}, {"grade": "B", "upper": 10}])
    with pytest.raises(ValueError, match="overlap"):
        CreditPolicy.model_validate(data)


def test_band_condition_needs_an_otherwise_grade() -> None:
    with pytest.raises(ValueError, match="has a condition but no 'otherwise' grade"):
        GradeBand(grade="B", upper=60, requires_no_records_in=("penalty",))
    with pytest.raises(ValueError, match="has 'otherwise' = 'C' but no condition"):
        GradeBand(grade="B", upper=60, otherwise="C")


def test_record_dates_are_checked() -> None:
    with pytest.raises(ValueError, match="expiry 2024-01-01 is before effective 2024-02-01"):
        CreditRecord(
            subject="s",
            kind="k",
            section="bonus",
            points=1,
            effective=D(2024, 2, 1),
            expiry=D(2024, 1, 1),
        )
    with pytest.raises(ValueError, match="greater than or equal to 0"):
        CreditRecord(subject="s", kind="k", section="bonus", points=-1, effective=D(2024, 1, 1))


# --------------------------------------------------------------------------- the Shandong policy


def _shandong_records(p: CreditPolicy) -> list[CreditRecord]:
    r = p.record
    return [
        # "good": basic 100 capped at 80, bonus 45 capped at 40: total 120, AAA, red list
        r("good", "registration", D(2024, 1, 2)),
        r("good", "staff", D(2024, 1, 2)),
        r("good", "track_record", D(2024, 1, 2)),
        r("good", "track_record", D(2024, 2, 1)),
        r("good", "award_national", D(2024, 3, 1)),
        r("good", "award_provincial", D(2024, 1, 10)),
        r("good", "award_city", D(2023, 9, 1)),  # valid through 2024-08-31
        # "mid": 80 - 2 - 5 = 73: A
        r("mid", "complaint_verified", D(2024, 5, 1)),
        r("mid", "rectification_order", D(2024, 2, 1)),
        # "low_bad": 60 - 2 = 58, below 60 with a bad record: C
        r("low_bad", "complaint_verified", D(2024, 6, 1)),
        # "veto": 80 - 20 = 60 (band B) but an unrectified serious record: blacklist
        r("veto", "serious_dishonesty", D(2022, 1, 1)),
        # "rectified": the serious record stops counting on the day it was rectified: 80, AA
        r("rectified", "serious_dishonesty", D(2022, 1, 1), rectified_on=AS_OF),
        # "expired": effective 2023-06-30, default validity ends 2024-06-29: 80, AA
        r("expired", "complaint_verified", D(2023, 6, 30), note="late repair"),
        # "future": not yet effective on the date: 80, AA
        r("future", "administrative_penalty", D(2024, 7, 1)),
    ]


SHANDONG_BASE = {
    "mid": 80,
    "low_clean": 55,
    "low_bad": 60,
    "veto": 80,
    "rectified": 80,
    "expired": 80,
    "future": 80,
}


def test_shandong_example_hand_computed(shandong: CreditPolicy) -> None:
    ev = evaluate(shandong, _shandong_records(shandong), as_of=AS_OF, base_scores=SHANDONG_BASE)
    expected = {
        # subject: (total, band grade, grade, lists)
        "good": (120.0, "AAA", "AAA", ("red",)),
        "mid": (73.0, "A", "A", ()),
        "low_clean": (55.0, "B", "B", ()),
        "low_bad": (58.0, "B", "C", ()),
        "veto": (60.0, "B", "blacklist", ("black",)),
        "rectified": (80.0, "AA", "AA", ()),
        "expired": (80.0, "AA", "AA", ()),
        "future": (80.0, "AA", "AA", ()),
    }
    assert set(ev) == set(expected)
    for subject, (total, band_grade, grade, lists) in expected.items():
        a = ev[subject]
        assert (a.total, a.band_grade, a.grade, a.lists) == (total, band_grade, grade, lists), (
            subject
        )
    good = ev["good"]
    assert dict(good.subtotals) == {"basic": 80.0, "bonus": 40.0, "penalty": 0.0}
    assert dict(good.raw_subtotals) == {"basic": 100.0, "bonus": 45.0, "penalty": 0.0}
    assert [r.rule for r in good.rules_of("cap")] == ["basic", "bonus"]
    assert ev["mid"].penalties == 7.0
    assert ev["veto"].vetoed
    assert not ev["rectified"].vetoed
    assert ev.members("black") == ("veto",)
    assert ev.members("red") == ("good",)
    assert ev.grade_counts() == {"AAA": 1, "AA": 3, "A": 1, "B": 1, "C": 1, "blacklist": 1}


def test_caps_apply_but_penalties_are_uncapped(shandong: CreditPolicy) -> None:
    r = shandong.record
    records = [r("s", "administrative_penalty", D(2024, 1, 1), points=150)]
    a = evaluate(shandong, records, as_of=AS_OF, base_scores={"s": 500})["s"]
    assert a.subtotals["basic"] == 80.0
    assert a.subtotals["penalty"] == 150.0
    assert a.total == -70.0
    assert a.grade == "C"


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        (120, "AAA"),
        (85, "AAA"),  # >= 85
        (84.999, "AA"),
        (80, "AA"),  # 80 <= s < 85
        (79.5, "A"),
        (70, "A"),  # 70 <= s < 80
        (69.99, "B"),
        (60, "B"),  # 60 <= s < 70
        (59.99, "B"),  # below 60, no bad record
        (0, "B"),
    ],
)
def test_band_edges_as_stated(shandong: CreditPolicy, total: float, grade: str) -> None:
    base = min(total, 80)  # basic is capped at 80: the rest comes from a bonus record
    records = [shandong.record("s", "award_city", D(2024, 1, 1), points=total - base)]
    a = evaluate(shandong, records, as_of=AS_OF, base_scores={"s": base})["s"]
    assert a.total == pytest.approx(total, abs=1e-12)
    assert a.grade == grade


def test_float_noise_does_not_miss_an_edge() -> None:
    bands = [
        {"grade": "A", "lower": 1, "upper": 100, "include_upper": True},
        {"grade": "B", "lower": -20, "upper": 1},
    ]
    p = CreditPolicy.from_dict(_minimal(bands=bands))
    records = [
        CreditRecord(subject="s", kind="k", section="basic", points=x, effective=D(2024, 1, 1))
        for x in (0.7, 0.2, 0.1)
    ]
    assert 0.7 + 0.2 + 0.1 < 1.0  # the float sum really is noisy
    a = evaluate(p, records, as_of=AS_OF)["s"]
    assert a.total == 1.0
    assert a.grade == "A"


def test_below_60_condition_explained(shandong: CreditPolicy) -> None:
    r = shandong.record
    records = [r("bad", "complaint_verified", D(2024, 6, 1))]
    ev = evaluate(shandong, records, as_of=AS_OF, base_scores={"bad": 60, "clean": 58})
    (bad,) = ev["bad"].rules_of("condition")
    assert bad.text_en == (
        "total 58 lies in (-inf, 60), grade B if no record in penalty: not met, grade C"
    )
    assert bad.text_zh.endswith("不满足,定为C级")
    (clean,) = ev["clean"].rules_of("condition")
    assert clean.text_en.endswith(": met, grade B")
    assert "无不良信用信息记录则为B级" in clean.text_zh


def test_record_validity_as_of_a_date(shandong: CreditPolicy) -> None:
    r = shandong.record
    records = [
        r("s", "complaint_verified", D(2023, 3, 1)),  # default: through 2024-02-29 (leap year)
        r("s", "rectification_order", D(2024, 1, 1), expiry=D(2024, 3, 31)),  # inclusive expiry
    ]

    def penalty_on(day: dt.date) -> float:
        return evaluate(shandong, records, as_of=day, base_scores={"s": 80})["s"].penalties

    assert penalty_on(D(2023, 2, 28)) == 0.0  # nothing effective yet
    assert penalty_on(D(2023, 3, 1)) == 2.0
    assert penalty_on(D(2024, 2, 29)) == 7.0
    assert penalty_on(D(2024, 3, 1)) == 5.0  # first record expired
    assert penalty_on(D(2024, 3, 31)) == 5.0
    assert penalty_on(D(2024, 4, 1)) == 0.0


def test_default_validity_clamps_to_month_end(shandong: CreditPolicy) -> None:
    records = [shandong.record("s", "complaint_verified", D(2024, 2, 29))]
    ev = evaluate(shandong, records, as_of=D(2025, 2, 27), base_scores={"s": 80})
    assert ev["s"].penalties == 2.0
    ev = evaluate(shandong, records, as_of=D(2025, 2, 28), base_scores={"s": 80})
    assert ev["s"].penalties == 0.0
    (ignored,) = ev["s"].rules_of("ignored")
    assert ignored.text_en.endswith("expired after 2025-02-27")


def test_serious_record_persists_until_rectified(shandong: CreditPolicy) -> None:
    record = shandong.record("s", "serious_dishonesty", D(2020, 1, 1), rectified_on=D(2024, 6, 30))

    def grade_on(day: dt.date) -> str:
        return evaluate(shandong, [record], as_of=day, base_scores={"s": 80})["s"].grade

    assert grade_on(D(2019, 12, 31)) == "AA"
    assert grade_on(D(2020, 1, 1)) == "blacklist"
    assert grade_on(D(2023, 1, 1)) == "blacklist"  # years beyond the default validity
    assert grade_on(D(2024, 6, 29)) == "blacklist"
    assert grade_on(D(2024, 6, 30)) == "AA"  # rectified that day
    ev = evaluate(shandong, [record], as_of=D(2024, 7, 1), base_scores={"s": 80})
    (ignored,) = ev["s"].rules_of("ignored")
    assert ignored.text_en.endswith("rectified on 2024-06-30")
    assert ignored.text_zh.endswith("已于2024-06-30整改完毕")


def test_veto_forces_blacklist_and_explains(shandong: CreditPolicy) -> None:
    records = [shandong.record("s", "serious_dishonesty", D(2024, 1, 1))]
    a = evaluate(shandong, records, as_of=AS_OF, base_scores={"s": 80})["s"]
    assert (a.total, a.band_grade, a.grade, a.vetoed, a.lists) == (
        60.0,
        "B",
        "blacklist",
        True,
        ("black",),
    )
    (veto,) = a.rules_of("veto")
    assert veto.text_en.startswith("one-vote veto 'serious_dishonesty'")
    assert veto.text_en.endswith("grade set to blacklist (blacklist (serious dishonesty))")
    assert veto.text_zh.startswith("一票否决「严重失信」")
    en, zh = a.explain("en"), a.explain("zh")
    assert en.splitlines()[0] == (
        "s: grade blacklist (blacklist (serious dishonesty)) as of 2024-06-30, total 60"
    )
    assert "penalty -20: serious dishonesty (effective 2024-01-01)" in en
    assert "basic +80: base score supplied" in en
    assert zh.splitlines()[0] == (
        "s:信用等级blacklist(诚信黑名单(严重失信)),评价日期2024-06-30,总分60"
    )
    assert "不良信用信息扣20分:严重失信行为(生效日期2024-01-01)" in zh
    assert "列入失信黑榜" in zh


# --------------------------------------------------------------------------- the Lianyungang policy


def test_lianyungang_example_hand_computed(lianyungang: CreditPolicy) -> None:
    r = lianyungang.record
    records = [
        r("X", "award_city", D(2024, 1, 1)),
        r("X", "award_provincial", D(2024, 2, 1)),  # 90 + 10 + 20 = 120: 3A (edge included)
        r("Y", "rectification_order", D(2024, 3, 1)),  # 90 - 5 = 85: A (edge included)
        r("Z", "complaint_verified", D(2024, 3, 1)),
        r("Z", "major_safety_incident", D(2024, 4, 1)),  # 90 - 32 = 58 and a veto: B
        r("W", "award_provincial", D(2024, 1, 1)),
        r("W", "award_provincial", D(2024, 5, 1)),
        r("W", "award_city", D(2024, 6, 1)),  # 90 + 50 = 140: 4A, red list
        r("U", "award_city", D(2024, 6, 1), points=9.5),  # 99.5: A
    ]
    ev = evaluate(lianyungang, records, as_of=AS_OF, subjects=["V"])  # V: no records, 90: A
    got = {s: (a.total, a.grade, a.vetoed, a.lists) for s, a in ev.items()}
    assert got == {
        "U": (99.5, "A", False, ()),
        "V": (90.0, "A", False, ()),
        "W": (140.0, "AAAA", False, ("red",)),
        "X": (120.0, "AAA", False, ()),
        "Y": (85.0, "A", False, ()),
        "Z": (58.0, "B", True, ("black",)),
    }
    assert ev["Z"].rules_of("veto")[0].text_zh.startswith("一票否决「一票否决」")


def test_lianyungang_veto_applies_even_with_a_high_score(lianyungang: CreditPolicy) -> None:
    r = lianyungang.record
    records = [
        *(r("s", "award_provincial", D(2024, 1, k)) for k in range(1, 5)),
        r("s", "bid_rigging", D(2024, 2, 1)),
    ]
    a = evaluate(lianyungang, records, as_of=AS_OF)["s"]
    assert (a.total, a.band_grade, a.grade, a.lists) == (140.0, "AAAA", "B", ("black",))


# --------------------------------------------------------------------------- inputs and results


def test_columns_and_models_agree(shandong: CreditPolicy) -> None:
    records = _shandong_records(shandong)
    columns = {
        "subject": [x.subject for x in records],
        "kind": [x.kind for x in records],
        "section": [x.section for x in records],
        "points": [x.points for x in records],
        "effective": [x.effective.isoformat() for x in records],
        "expiry": [x.expiry for x in records],
        "serious": [x.serious for x in records],
        "rectified_on": [x.rectified_on for x in records],
        "note": [x.note for x in records],
    }
    a = evaluate(shandong, records, as_of=AS_OF, base_scores=SHANDONG_BASE)
    b = evaluate(shandong, columns, as_of=AS_OF, base_scores=SHANDONG_BASE)
    assert a.subjects == b.subjects
    np.testing.assert_array_equal(a.totals, b.totals)
    np.testing.assert_array_equal(a.grades, b.grades)
    assert a["expired"].explain() == b["expired"].explain()


def test_polars_frame_input(shandong: CreditPolicy) -> None:
    pl = pytest.importorskip("polars")
    frame = pl.DataFrame(
        {
            "subject": ["a", "a", "b"],
            "kind": ["award_city", "complaint_verified", "serious_dishonesty"],
            "section": ["bonus", "penalty", "penalty"],
            "points": [10.0, 2.0, 20.0],
            "effective": [D(2024, 1, 1), D(2024, 2, 1), D(2024, 3, 1)],
            "serious": [False, False, True],
            "rectified_on": [None, None, None],
        }
    )
    ev = evaluate(shandong, frame, as_of=AS_OF, base_scores={"a": 80, "b": 80})
    assert ev["a"].total == 88.0
    assert ev["b"].grade == "blacklist"
    table = pl.DataFrame(ev.to_columns())
    assert table.columns[:4] == ["subject", "basic", "bonus", "penalty"]
    assert table["list_black"].to_list() == [False, True]


def test_evaluation_is_a_mapping(shandong: CreditPolicy) -> None:
    ev = evaluate(shandong, [], as_of=AS_OF, base_scores={"b": 1, "a": 2}, subjects=["c"])
    assert list(ev) == ["a", "b", "c"]
    assert len(ev) == 3
    assert "a" in ev
    with pytest.raises(KeyError):
        ev["zz"]
    with pytest.raises(CreditPolicyError, match="has no list 'gold'"):
        ev.members("gold")
    assert repr(ev).startswith("CreditEvaluation(policy='shandong_property_services'")
    with pytest.raises(ValueError, match="read-only"):
        ev.totals[0] = 1.0


def test_evaluate_input_errors(shandong: CreditPolicy, lianyungang: CreditPolicy) -> None:
    record = CreditRecord(subject="s", kind="k", section="extra", points=1, effective=AS_OF)
    with pytest.raises(ScoringError, match=r"unknown section\(s\) \['extra'\].*'basic', 'bonus'"):
        evaluate(shandong, [record], as_of=AS_OF)
    with pytest.raises(CreditPolicyError, match="has no base_section"):
        evaluate(lianyungang, [], as_of=AS_OF, base_scores={"s": 1})
    with pytest.raises(ScoringError, match="base score of 's' must be finite and non-negative"):
        evaluate(shandong, [], as_of=AS_OF, base_scores={"s": -1})
    with pytest.raises(ScoringError, match="CreditRecord objects or a mapping of columns"):
        evaluate(shandong, [("s", "k")], as_of=AS_OF)  # type: ignore[list-item]
    with pytest.raises(ScoringError, match=r"columns \['effective'\] are missing"):
        evaluate(
            shandong,
            {"subject": ["s"], "kind": ["k"], "section": ["bonus"], "points": [1]},
            as_of=AS_OF,
        )
    with pytest.raises(ScoringError, match="points must be finite and non-negative"):
        evaluate(
            shandong,
            {
                "subject": ["s"],
                "kind": ["k"],
                "section": ["bonus"],
                "points": [-1],
                "effective": ["2024-01-01"],
            },
            as_of=AS_OF,
        )
    with pytest.raises(CreditPolicyError, match="has no record kind 'nope'"):
        shandong.record("s", "nope", AS_OF)


def _synthetic_columns(policy: CreditPolicy, subjects: int, per_subject: int) -> dict[str, Any]:
    rng = np.random.default_rng(0)
    n = subjects * per_subject
    kinds = np.array(list(policy.kinds))
    k = rng.integers(0, len(kinds), n)
    return {
        "subject": np.char.add("co", (np.arange(n) // per_subject).astype(str)),
        "kind": kinds[k],
        "section": np.array([policy.kinds[x].section for x in kinds])[k],
        "points": np.array([policy.kinds[x].points for x in kinds])[k],
        "effective": np.datetime64("2022-01-01") + rng.integers(0, 900, n).astype("m8[D]"),
        "serious": np.array([policy.kinds[x].serious for x in kinds])[k],
    }


def _anniversary(day: dt.date) -> dt.date:
    """Same date a year later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def test_vectorised_evaluation_matches_per_subject_definition(shandong: CreditPolicy) -> None:
    cols = _synthetic_columns(shandong, subjects=40, per_subject=12)
    ev = evaluate(shandong, cols, as_of=AS_OF)
    caps = {"basic": 80.0, "bonus": 40.0, "penalty": np.inf}
    for i, subject in enumerate(ev.subjects):
        rows = np.flatnonzero(cols["subject"] == subject)
        sums = dict.fromkeys(caps, 0.0)
        serious_valid = False
        bad = False
        for j in rows:
            eff = cols["effective"][j].astype(object)
            if cols["serious"][j]:
                valid = eff <= AS_OF
                serious_valid |= valid
            else:
                valid = eff <= AS_OF < _anniversary(eff)
            if valid:
                sums[str(cols["section"][j])] += float(cols["points"][j])
                bad |= str(cols["section"][j]) == "penalty"
        total = min(sums["basic"], 80) + min(sums["bonus"], 40) - sums["penalty"]
        assert ev.totals[i] == pytest.approx(total), subject
        if serious_valid:
            assert ev.grades[i] == "blacklist"
        elif total < 60:
            assert ev.grades[i] == ("C" if bad else "B")


def test_ten_thousand_subjects_with_twenty_records_each(shandong: CreditPolicy) -> None:
    # scale smoke only: speed is measured by bench/bench_credit.py, not by a timed test
    cols = _synthetic_columns(shandong, subjects=10_000, per_subject=20)
    ev = evaluate(shandong, cols, as_of=AS_OF)
    assert len(ev) == 10_000
    assert np.isfinite(ev.totals).all()
