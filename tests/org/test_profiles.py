"""Tests for gridgov.org.profiles: shipped profiles, inheritance, user files, errors."""

from __future__ import annotations

import json
import sys
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from gridgov.errors import MissingExtraError, ProfileError, UnknownProfileError
from gridgov.org.profiles import (
    CONFIDENCE_LEVELS,
    MAX_PROFILE_BYTES,
    Profile,
    ProfileDifference,
    SourcedValue,
    available_profiles,
    load_profile,
)

SHIPPED = ["bozhou", "default", "huanan", "youyi"]


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# -- shipped profiles ---------------------------------------------------------------------------


def test_available_profiles_lists_the_shipped_files() -> None:
    assert available_profiles() == SHIPPED


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_profile_loads(name: str) -> None:
    profile = load_profile(name)
    assert profile.name == name
    assert profile.label_zh
    assert profile.description
    assert profile.origin == f"shipped:{name}"
    assert profile.enabled_rules()


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_value_has_a_source_and_a_valid_confidence(name: str) -> None:
    # read the raw file, so inherited values do not hide a file's own omissions
    raw = tomllib.loads(resources.files("gridgov.profiles").joinpath(f"{name}.toml").read_text())
    assert raw["values"], f"{name} declares no values"
    for key, entry in raw["values"].items():
        assert set(entry) <= {"value", "source", "confidence", "note"}, key
        assert "value" in entry, key
        assert entry["source"].strip(), key
        assert entry["confidence"] in CONFIDENCE_LEVELS, key
    for key, value in load_profile(name).values.items():
        assert value.source.strip(), key
        assert value.confidence in CONFIDENCE_LEVELS, key


@pytest.mark.parametrize("name", ["youyi", "huanan", "bozhou"])
def test_county_profiles_extend_default_and_cite_the_seed(name: str) -> None:
    profile = load_profile(name)
    assert profile.extends == "default"
    own = tomllib.loads(resources.files("gridgov.profiles").joinpath(f"{name}.toml").read_text())
    county = profile.label_zh
    for key in own["values"]:
        sourced = profile.sourced(key)
        if sourced.confidence == "verified":
            assert f"seed report, {county}" in sourced.source, key


def test_youyi_values_match_the_seed_report() -> None:
    # seed report, 友谊县: 以200—300户为单位…10分钟内覆盖全部群众、30分钟内党员干部全部到位;
    # 将60%以上的空间用于居民活动; 15分钟社区生活圈
    youyi = load_profile("youyi")
    assert youyi.get("grid.households") == [200, 300]
    assert youyi.get("grid.party_groups") == 1
    assert youyi.get("grid.full_time_workers") == 1
    assert youyi.get("building.heads") == 1
    assert youyi.get("unit.heads") == 1
    assert youyi.get("mobilisation.instruction_reach_minutes") == 10
    assert youyi.get("mobilisation.cadres_in_place_minutes") == 30
    assert youyi.get("service_centre.min_resident_space_share") == 0.6
    assert youyi.get("grid.coded") is True
    assert {"building_head_per_building", "unit_head_per_unit"} <= set(youyi.enabled_rules())


def test_huanan_and_bozhou_values_match_the_seed_report() -> None:
    # seed report, 桦南县: 办公及活动场所全部达到300平方米…服务区域面积均在80%以上;
    # 步行“10分钟党群服务圈”
    huanan = load_profile("huanan")
    assert huanan.get("service_centre.min_floor_area_m2") == 300
    assert huanan.get("service_centre.min_resident_space_share") == 0.8
    assert huanan.get("service_circle.party_mass_walk_minutes") == 10
    assert "service_centre_area" in huanan.enabled_rules()
    # seed report, 播州区: 推动69家物业企业将党建工作写入公司章程; 双向进入、交叉任职
    bozhou = load_profile("bozhou")
    assert bozhou.get("property.charter_party_building") is True
    assert bozhou.get("entry.two_way") is True
    assert {"company_party_building", "two_way_entry"} <= set(bozhou.enabled_rules())
    assert bozhou.setting("two_way_entry").severity == "warning"
    assert load_profile("default").setting("two_way_entry").severity == "info"


def test_default_band_is_marked_as_an_assumption() -> None:
    band = load_profile("default").sourced("grid.households")
    assert band.value == [300, 500]
    assert band.confidence == "assumed"
    assert band.note


# -- reading ----------------------------------------------------------------------------------


def test_get_unknown_key_lists_known_keys() -> None:
    with pytest.raises(ProfileError, match=r"no value 'grid\.household'") as info:
        load_profile("youyi").get("grid.household")
    message = str(info.value)
    assert "did you mean 'grid.households'" in message
    assert "known keys:" in message
    assert "mobilisation.cadres_in_place_minutes" in message


def test_sourced_returns_the_whole_entry() -> None:
    sourced = load_profile("youyi").sourced("mobilisation.cadres_in_place_minutes")
    assert isinstance(sourced, SourcedValue)
    assert sourced.value == 30
    assert "30分钟内党员干部全部到位" in sourced.source


def test_profile_is_frozen_and_forbids_extra_fields() -> None:
    profile = load_profile("default")
    with pytest.raises(ValueError, match="frozen"):
        profile.name = "x"  # type: ignore[misc]  # the point of the test
    with pytest.raises(ValueError, match="Extra inputs"):
        Profile.model_validate({"name": "x", "colour": "red"})


def test_setting_of_an_unlisted_rule_is_disabled() -> None:
    assert load_profile("default").setting("no_such_rule").enabled is False


# -- diff -------------------------------------------------------------------------------------


def test_diff_youyi_default_lists_the_grid_band() -> None:
    diff = load_profile("youyi").diff(load_profile("default"))
    assert all(isinstance(d, ProfileDifference) for d in diff)
    band = next(d for d in diff if d.key == "grid.households")
    assert band.kind == "value"
    assert (band.value, band.other_value) == ([200, 300], [300, 500])
    assert band.source is not None
    assert "200—300户" in band.source
    assert band.other_source is not None
    # keys only youyi has: the other side is absent
    reach = next(d for d in diff if d.key == "mobilisation.instruction_reach_minutes")
    assert (reach.value, reach.other_value, reach.other_source) == (10, None, None)
    # rule settings that differ
    heads = next(d for d in diff if d.key == "building_head_per_building")
    assert heads.kind == "rule"
    assert isinstance(heads.value, dict)
    assert isinstance(heads.other_value, dict)
    assert (heads.value["enabled"], heads.other_value["enabled"]) == (True, False)
    # values first, then rules; nothing equal is listed
    kinds = [d.kind for d in diff]
    assert kinds == sorted(kinds, key=["value", "rule"].index)
    # a value listed with the same figure differs in its source or confidence
    scheme = next(d for d in diff if d.key == "code.scheme")
    assert scheme.value == scheme.other_value == "cjt349_20"
    assert (scheme.confidence, scheme.other_confidence) == ("assumed", "secondary")


def test_diff_of_a_profile_with_itself_is_empty() -> None:
    youyi = load_profile("youyi")
    assert youyi.diff(load_profile("youyi")) == []
    assert [d for d in youyi.diff(load_profile("default"), rules=False) if d.kind == "rule"] == []


# -- inheritance ------------------------------------------------------------------------------


def test_user_toml_extends_a_shipped_profile(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "mine.toml",
        """
name = "mine"
extends = "youyi"

[values."grid.households"]
value = [150, 250]
source = "our county's 2024 plan"
confidence = "verified"

[rules.two_way_entry]
severity = "error"

[rules.service_centre_area.params]
min_floor_area_m2 = 200
""",
    )
    mine = load_profile(path)
    assert mine.origin == str(path)
    assert mine.extends == "youyi"
    assert mine.get("grid.households") == [150, 250]
    assert mine.get("mobilisation.cadres_in_place_minutes") == 30  # inherited from youyi
    assert mine.get("code.scheme") == "cjt349_20"  # inherited from default through youyi
    assert mine.label_zh == "友谊县"  # inherited when not given
    # a rule setting merges field by field: enabled and severity from the parents …
    two_way = mine.setting("two_way_entry")
    assert (two_way.enabled, two_way.severity) == (True, "error")
    assert mine.setting("service_centre_area").enabled is True
    assert mine.setting("service_centre_area").params == {"min_floor_area_m2": 200}
    # … and the same path as a string works too
    assert load_profile(str(path)) == mine


def test_extends_a_relative_path(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    _write(
        tmp_path / "base.toml",
        'name = "base"\nextends = "huanan"\n[values."grid.households"]\n'
        'value = [100, 200]\nsource = "s"\nconfidence = "assumed"\n',
    )
    child = _write(tmp_path / "sub" / "child.toml", 'name = "child"\nextends = "../base.toml"\n')
    profile = load_profile(child)
    assert profile.get("grid.households") == [100, 200]
    assert profile.get("service_centre.min_floor_area_m2") == 300


def test_extends_cycle_is_rejected(tmp_path: Path) -> None:
    _write(tmp_path / "a.toml", 'name = "a"\nextends = "b.toml"\n')
    _write(tmp_path / "b.toml", 'name = "b"\nextends = "a.toml"\n')
    with pytest.raises(ProfileError, match=r"cycle: .*a\.toml → .*b\.toml → .*a\.toml"):
        load_profile(tmp_path / "a.toml")


def test_extends_itself_is_a_cycle(tmp_path: Path) -> None:
    path = _write(tmp_path / "self.toml", 'name = "self"\nextends = "self.toml"\n')
    with pytest.raises(ProfileError, match="cycle"):
        load_profile(path)


def test_mapping_profiles_resolve_extends() -> None:
    profile = load_profile({"name": "inline", "extends": "bozhou"})
    assert profile.origin == "<mapping>"
    assert profile.get("property.charter_party_building") is True


def test_a_profile_instance_is_returned_unchanged() -> None:
    profile = load_profile("huanan")
    assert load_profile(profile) is profile


# -- other formats ----------------------------------------------------------------------------


def test_user_yaml_file_loads(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "county.yaml",
        """
name: county
label_zh: 某县
extends: default
values:
  grid.households:
    value: [250, 350]
    source: county plan 2024
    confidence: secondary
    note: 以250—350户为单位
rules:
  building_head_per_building:
    enabled: true
""",
    )
    profile = load_profile(path)
    assert profile.get("grid.households") == [250, 350]
    assert profile.sourced("grid.households").note == "以250—350户为单位"
    assert "building_head_per_building" in profile.enabled_rules()
    assert profile.get("grid.party_groups") == 1


def test_user_json_file_loads(tmp_path: Path) -> None:
    data = {"name": "j", "extends": "youyi", "description": "from JSON"}
    profile = load_profile(_write(tmp_path / "j.json", json.dumps(data)))
    assert profile.description == "from JSON"
    assert profile.get("grid.households") == [200, 300]


def test_yaml_python_tag_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path / "evil.yml", "name: !!python/object/apply:os.system ['true']\n")
    with pytest.raises(ProfileError, match=r"evil\.yml: not valid \(safe\) YAML"):
        load_profile(path)


def test_yaml_without_pyyaml_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path / "p.yaml", "name: p\n")
    monkeypatch.setitem(sys.modules, "yaml", None)
    with pytest.raises(MissingExtraError, match=r"YAML profiles .*gridgov\[io\]"):
        load_profile(path)


# -- malformed files --------------------------------------------------------------------------


def test_missing_source_names_the_file_and_the_field(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "bad.toml",
        'name = "bad"\n[values."grid.households"]\nvalue = [1, 2]\nconfidence = "verified"\n',
    )
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    message = str(info.value)
    assert str(path) in message
    assert 'values."grid.households".source' in message


def test_bad_confidence_names_the_field(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "bad.toml",
        'name = "bad"\n[values."grid.households"]\nvalue = 1\nsource = "s"\n'
        'confidence = "certain"\n',
    )
    with pytest.raises(ProfileError, match=r'values\."grid\.households"\.confidence'):
        load_profile(path)


def test_every_problem_is_listed(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "bad.toml",
        'name = "bad"\ncolour = "red"\n[rules.grid_household_band]\nseverity = "fatal"\n',
    )
    with pytest.raises(ProfileError, match="2 problem") as info:
        load_profile(path)
    assert "colour" in str(info.value)
    assert "rules.grid_household_band.severity" in str(info.value)


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        (
            'name = "x"\n[values."Grid Households"]\nvalue=1\nsource="s"\nconfidence="assumed"\n',
            "bad key",
        ),
        ('name = "x"\n[rules.GridBand]\nenabled = true\n', "snake_case"),
        ('name = "has space"\n', "name"),
        ("name = \n", "not valid TOML"),
        ("", "name"),
    ],
)
def test_malformed_toml_is_a_profile_error(tmp_path: Path, text: str, pattern: str) -> None:
    path = _write(tmp_path / "x.toml", text)
    with pytest.raises(ProfileError, match=pattern) as info:
        load_profile(path)
    assert "x.toml" in str(info.value)


def test_non_mapping_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match=r"list\.yaml: a profile must be a table"):
        load_profile(_write(tmp_path / "list.yaml", "- a\n- b\n"))


def test_unsupported_suffix_and_oversized_files(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match=r"\.ini file"):
        load_profile(_write(tmp_path / "p.ini", "name = x"))
    big = tmp_path / "big.toml"
    big.write_text('name = "big"\n' + "#" * MAX_PROFILE_BYTES, encoding="utf-8")
    with pytest.raises(ProfileError, match="too large"):
        load_profile(big)


def test_unknown_name_lists_shipped_names() -> None:
    with pytest.raises(UnknownProfileError) as info:
        load_profile("yuoyi")
    message = str(info.value)
    assert "did you mean 'youyi'" in message
    assert "bozhou, default, huanan, youyi" in message
    assert isinstance(info.value, LookupError)


def test_missing_file_is_unknown(tmp_path: Path) -> None:
    with pytest.raises(UnknownProfileError, match="shipped profiles: bozhou"):
        load_profile(tmp_path / "nowhere.toml")


def test_unknown_shipped_parent_is_reported(tmp_path: Path) -> None:
    path = _write(tmp_path / "orphan.toml", 'name = "orphan"\nextends = "atlantis"\n')
    with pytest.raises(UnknownProfileError, match="unknown profile 'atlantis'"):
        load_profile(path)


def test_misspelt_keys_at_every_level_are_refused_with_a_suggestion(tmp_path: Path) -> None:
    # issue 8: a custom profile with a misspelt key was accepted silently
    path = _write(
        tmp_path / "mine.toml",
        'name = "mine"\nextends = "default"\nlable_zh = "x"\n'
        '[values."grid.housholds"]\nvalue = [1, 2]\nsource = "s"\nconfidence = "assumed"\n'
        'cnfidence = "x"\n'
        "[rules.grid_codes_vaild]\nenabled = true\n"
        '[rules.grid_household_band]\nsevrity = "error"\nparams = { bnad = [1, 2] }\n',
    )
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    err = info.value
    assert [(p.code, p.location) for p in err.problems] == [
        ("unknown-key", "lable_zh"),
        ("unknown-key", 'values."grid.housholds"'),
        ("unknown-key", 'values."grid.housholds".cnfidence'),
        ("unknown-key", "rules.grid_codes_vaild"),
        ("unknown-key", "rules.grid_household_band.sevrity"),
        ("unknown-key", "rules.grid_household_band.params.bnad"),
    ]
    for wrong, right in [
        ("lable_zh", "label_zh"),
        ("grid.housholds", "grid.households"),
        ("cnfidence", "confidence"),
        ("grid_codes_vaild", "grid_codes_valid"),
        ("sevrity", "severity"),
        ("bnad", "band"),
    ]:
        assert f"unknown key {wrong!r} (did you mean {right!r}?)" in str(err)


def test_a_rejected_profile_names_every_reason_in_its_message(tmp_path: Path) -> None:
    # issue 8: the command line showed "invalid profile, 1 problem(s):" and nothing more
    path = _write(tmp_path / "x.toml", 'name = "x"\ncolour = "red"\n')
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    assert len(info.value.problems) == 1
    assert str(info.value.problems[0]) in str(info.value)
    assert "colour" in str(info.value).splitlines()[1]


def test_every_shipped_profile_uses_only_known_keys() -> None:
    for name in available_profiles():
        assert load_profile(name).name == name
