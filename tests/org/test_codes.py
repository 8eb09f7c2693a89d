"""Tests for gridgov.org.codes: parsing, formatting, hierarchy checks and the registry."""

from __future__ import annotations

import importlib.metadata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gridgov.errors import GridCodeError, PluginError
from gridgov.org import codes
from gridgov.org.codes import (
    CIVIL_AFFAIRS_12,
    CJT349_20,
    DB11_15,
    DISABLE_PLUGINS_ENV,
    ENTRY_POINT_GROUP,
    CodeFlag,
    CodePart,
    CodeScheme,
    available_schemes,
    get_scheme,
    register_scheme,
)

BUILTINS = (CIVIL_AFFAIRS_12, DB11_15, CJT349_20)
scheme_ids = pytest.mark.parametrize("scheme", BUILTINS, ids=lambda s: s.name)


# -- strategies ---------------------------------------------------------------------------


def _value(part: CodePart) -> st.SearchStrategy[int]:
    """A non-zero value the part accepts."""
    return st.integers(1, part.max_value or 10**part.width - 1)


@st.composite
def code_fields(
    draw: st.DrawFn, scheme: CodeScheme, min_depth: int = 0, max_depth: int | None = None
) -> dict[str, int]:
    """Part values of a valid code whose level is between min_depth and max_depth."""
    top = len(scheme.levels) - 1 if max_depth is None else max_depth
    depth = draw(st.integers(min_depth, top))
    fields: dict[str, int] = {}
    for part in scheme.parts:
        if part.level is None:
            fields[part.name] = draw(st.integers(0, 10**part.width - 1))
        elif scheme.levels.index(part.level) <= depth:
            fields[part.name] = draw(_value(part))
    return fields


@st.composite
def scheme_and_code(draw: st.DrawFn) -> tuple[CodeScheme, str]:
    scheme = draw(st.sampled_from(BUILTINS))
    return scheme, scheme.format(**draw(code_fields(scheme)))


@st.composite
def parent_child_mutant(draw: st.DrawFn) -> tuple[CodeScheme, str, str, str]:
    """A parent, a descendant built from the parent's prefix, and a descendant of a sibling."""
    scheme = draw(st.sampled_from(BUILTINS))
    parent_fields = draw(code_fields(scheme, max_depth=len(scheme.levels) - 2))
    parent = scheme.format(**parent_fields)
    p_depth = scheme.levels.index(scheme.level_of(parent))
    child_depth = draw(st.integers(p_depth + 1, len(scheme.levels) - 1))
    child_fields = dict(parent_fields)
    for part in scheme.parts:
        if part.level is not None and p_depth < scheme.levels.index(part.level) <= child_depth:
            child_fields[part.name] = draw(_value(part))
    child = scheme.format(**child_fields)
    # Change one part of the parent's prefix to another valid value.
    prefix_parts = [
        p for p in scheme.parts if p.level is None or scheme.levels.index(p.level) <= p_depth
    ]
    part = draw(st.sampled_from(prefix_parts))
    low = 0 if part.level is None else 1
    new = draw(
        st.integers(low, part.max_value or 10**part.width - 1).filter(
            lambda v: v != child_fields[part.name]
        )
    )
    mutant = scheme.format(**{**child_fields, part.name: new})
    return scheme, parent, child, mutant


# -- properties ---------------------------------------------------------------------------


@given(scheme_and_code())
def test_parse_format_round_trip(case: tuple[CodeScheme, str]) -> None:
    scheme, code = case
    parsed = scheme.parse(code)
    assert parsed.code == code
    assert parsed.scheme == scheme.name
    assert "".join(parsed.parts.values()) == code
    assert scheme.format(**parsed.parts) == code
    assert scheme.format(**{k: int(v) for k, v in parsed.parts.items()}) == code
    assert code.startswith(parsed.prefix)
    assert code[len(parsed.prefix) :].strip("0") == ""
    assert scheme.truncate(code, parsed.level) == code
    assert scheme.parse(code) == parsed
    assert hash(scheme.parse(code)) == hash(parsed)


@given(st.sampled_from(BUILTINS), st.text(alphabet="0123456789", min_size=20, max_size=20))
def test_any_digit_string_parses_or_raises_grid_code_error(scheme: CodeScheme, text: str) -> None:
    code = text[: scheme.length]
    if scheme.is_valid(code):
        assert scheme.format(**scheme.parse(code).parts) == code
    else:
        with pytest.raises(GridCodeError, match=f"^{scheme.name}: code '{code}' "):
            scheme.parse(code)


@given(parent_child_mutant())
def test_children_built_from_prefix_pass_and_mutants_fail(
    case: tuple[CodeScheme, str, str, str],
) -> None:
    scheme, parent, child, mutant = case
    assert scheme.check_child(parent, child) is None
    assert scheme.truncate(child, scheme.level_of(parent)) == parent
    problem = scheme.check_child(parent, mutant)
    assert problem is not None
    assert "prefix" in problem
    assert parent in problem
    assert mutant in problem


# -- published examples -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "parts", "level"),
    [
        # NBS 统计用区划代码 2016 (as mirrored in github.com/Vonng/adcode, data/adcode/110105.csv):
        # 110105001024 南郎家园社区居委会 under 110105001000 建外街道办事处, 朝阳区.
        ("110105001024", ("110105", "001", "024"), "community"),
        ("110105001000", ("110105", "001", "000"), "street"),
        ("110105000000", ("110105", "000", "000"), "district"),
        # Same list: 110105400000 首都机场街道办事处, a street part in 400–599 (类似乡级单位).
        ("110105400000", ("110105", "400", "000"), "street"),
        # Worked example in a description of the NBS code (dssz.net/8189007.html): 32 江苏省,
        # 05 苏州市, 08 姑苏区, 019 金阊街道, 044 养育巷社区居委会.
        ("320508019044", ("320508", "019", "044"), "community"),
        # NBS list as mirrored by suixincha.cn/areacode/code/230129100000: 城郊村村委会 (a
        # village part of 200 is a village, not "empty").
        ("230129100200", ("230129", "100", "200"), "community"),
        # suixincha.cn/areacode/code/522632210000: 522632210500 摆拉村委会.
        ("522632210500", ("522632", "210", "500"), "community"),
    ],
)
def test_civil_affairs_published_codes(code: str, parts: tuple[str, ...], level: str) -> None:
    parsed = CIVIL_AFFAIRS_12.parse(code)
    assert tuple(parsed.parts.values()) == parts
    assert parsed.level == level
    assert not parsed.flags


def test_civil_affairs_published_parent_child_pair() -> None:
    # Both rows from the NBS 2016 list (Vonng/adcode): the street is the community's parent.
    assert CIVIL_AFFAIRS_12.check_child("110105001000", "110105001024", immediate=True) is None
    assert CIVIL_AFFAIRS_12.parent("110105001024") == "110105001000"
    # 呼家楼街道 (003) is not the parent of a 建外街道 (001) community.
    problem = CIVIL_AFFAIRS_12.check_child("110105003000", "110105001024")
    assert problem is not None
    assert "'110105003'" in problem


def test_db11_layout_and_example() -> None:
    # DB11/T 2157-2023 §5.2: 6 district + 3 street + 3 community + 3 grid sequence number. No
    # published grid code was found; this one appends grid 001 to the NBS community code
    # 110105001024 (南郎家园社区), assuming DB11/T 064 street codes agree with NBS ones.
    assert DB11_15.layout == "6 district + 3 street + 3 community + 3 grid"
    parsed = DB11_15.parse("110105001024001")
    assert dict(parsed.parts) == {
        "district": "110105",
        "street": "001",
        "community": "024",
        "grid": "001",
    }
    assert parsed.level == "grid"
    assert DB11_15.truncate("110105001024001", "community") == "110105001024000"
    assert DB11_15.truncate("110105001024001", "community")[:12] == "110105001024"
    # DB11 street codes follow DB11/T 064, so GB/T 10114's 599 ceiling does not apply.
    assert DB11_15.is_valid("110105600001001")


def test_cjt349_layout_flags_and_example() -> None:
    # CJ/T 349-2010 §5.2-5.7. No published code was found; service object 100100 is a
    # made-up major category (last two digits 00, §5.3), 520321 is 播州区 (GB/T 2260).
    assert CJT349_20.length == 20
    ordinary = CJT349_20.parse("10010052032100100301")
    assert dict(ordinary.parts) == {
        "service_object": "100100",
        "district": "520321",
        "street": "001",
        "community": "003",
        "grid": "01",
    }
    assert ordinary.level == "grid"
    assert not ordinary.merged_communities
    assert not ordinary.undivided_community
    # §5.7: a community not subdivided keeps grid 00.
    undivided = CJT349_20.parse("10010052032100100300")
    assert undivided.level == "community"
    assert undivided.undivided_community
    assert not undivided.merged_communities
    # §5.6: merged communities are numbered from 601.
    merged = CJT349_20.parse("10010052032100160102")
    assert merged.merged_communities
    assert not merged.undivided_community
    assert merged.flags == frozenset({"merged_communities"})
    assert not CJT349_20.parse("10010052032100160002").merged_communities
    # A street-level code is neither.
    assert CJT349_20.parse("10010052032100100000").flags == frozenset()
    # The service object is part of the prefix: another object's grid is not a child.
    problem = CJT349_20.check_child("10010052032100100300", "20020052032100100301")
    assert problem is not None
    assert "prefix" in problem


# -- hierarchy checks ---------------------------------------------------------------------


def test_child_under_a_different_street_is_detected() -> None:
    street = "230522101000"
    child = "230522100001"  # community 001 of street 100, not 101
    problem = CIVIL_AFFAIRS_12.check_child(street, child)
    assert problem == (
        "civil_affairs_12: child '230522100001' does not carry its parent's prefix "
        "'230522101' (parent '230522101000' at level 'street')"
    )
    assert CIVIL_AFFAIRS_12.check_child("230522100000", child) is None


@scheme_ids
def test_child_at_the_same_level_or_above_is_rejected(scheme: CodeScheme) -> None:
    community = scheme.format(
        **{p.name: 1 for p in scheme.parts if p.level in {None, "district", "street", "community"}}
    )
    sibling = scheme.format(
        **{p.name: 2 if p.level == "community" else 1 for p in scheme.parts if p.level != "grid"}
    )
    for child in (community, sibling, scheme.truncate(community, "street")):
        problem = scheme.check_child(community, child)
        assert problem is not None
        assert "not below its parent" in problem


def test_immediate_child_required() -> None:
    assert DB11_15.check_child("110105001000000", "110105001024003") is None
    problem = DB11_15.check_child("110105001000000", "110105001024003", immediate=True)
    assert problem is not None
    assert "skips 'community'" in problem


def test_truncate_parent_and_child_code() -> None:
    assert CIVIL_AFFAIRS_12.truncate("230822100001", "district") == "230822000000"
    assert CIVIL_AFFAIRS_12.parent("230822000000") is None
    assert CIVIL_AFFAIRS_12.child_code("230822000000", 2) == "230822002000"
    assert CJT349_20.child_code("10010052032100300000", 601) == "10010052032100360100"
    with pytest.raises(GridCodeError, match="no ancestor at level 'community'"):
        CIVIL_AFFAIRS_12.truncate("230822100000", "community")
    with pytest.raises(GridCodeError, match=r"level 'grid' is not coded.*district, street"):
        CIVIL_AFFAIRS_12.truncate("230822100001", "grid")
    with pytest.raises(GridCodeError, match="deepest level"):
        DB11_15.child_code("110105001024003", 1)
    with pytest.raises(GridCodeError, match="child number"):
        DB11_15.child_code("110105001024000", 0)
    with pytest.raises(GridCodeError, match="does not fit"):
        DB11_15.child_code("110105001024000", 1000)
    with pytest.raises(GridCodeError, match="above the largest allowed 599"):
        CIVIL_AFFAIRS_12.child_code("230822000000", 600)


def test_area_level_values_agree_with_vocab() -> None:
    from gridgov.org.vocab import AreaLevel

    assert tuple(AreaLevel) == codes._LEVEL_ORDER


# -- bad inputs ---------------------------------------------------------------------------


@scheme_ids
@pytest.mark.parametrize(
    ("mangle", "message"),
    [
        (lambda c: "", "has 0 characters"),
        (lambda c: c[:-1], "characters, expected"),
        (lambda c: c + "0", "characters, expected"),
        (lambda c: c[:-1] + "A", "contains 'A'"),
        (lambda c: " " + c[1:], "contains ' '"),
        (lambda c: c[:-1] + "\uff11", "contains '\uff11'"),  # full-width digit one
        (lambda c: c[:3] + "-" + c[4:], "contains '-'"),
    ],
    ids=["empty", "short", "long", "letter", "space", "fullwidth", "dash"],
)
def test_bad_inputs_name_the_scheme(
    scheme: CodeScheme, mangle: Callable[[str], str], message: str
) -> None:
    good = scheme.format(**{p.name: 1 for p in scheme.parts})
    bad = mangle(good)
    with pytest.raises(GridCodeError, match=message) as info:
        scheme.parse(bad)
    assert str(info.value).startswith(f"{scheme.name}: code {bad!r} ")
    assert isinstance(info.value, ValueError)
    assert not scheme.is_valid(bad)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("230522000001", "community part 001 under an empty street part"),
        ("000000100001", "street part 100 under an empty district part"),
        ("000000000000", "all-zero district part"),
        ("230522600000", "street part 600, above the largest allowed 599"),
    ],
)
def test_structural_errors(code: str, message: str) -> None:
    with pytest.raises(GridCodeError, match=message):
        CIVIL_AFFAIRS_12.parse(code)


def test_non_string_code_rejected() -> None:
    with pytest.raises(GridCodeError, match="is a int, not a str"):
        CIVIL_AFFAIRS_12.parse(230522100001)  # type: ignore[arg-type]


def test_format_errors() -> None:
    with pytest.raises(GridCodeError, match=r"unknown part.*road.*parts: district"):
        CIVIL_AFFAIRS_12.format(district=230522, road=1)
    with pytest.raises(GridCodeError, match="'district' is required"):
        CIVIL_AFFAIRS_12.format(street=1)
    with pytest.raises(GridCodeError, match="'service_object' is required"):
        CJT349_20.format(district=520321)
    with pytest.raises(GridCodeError, match=r"3 digit.*does not fit"):
        CIVIL_AFFAIRS_12.format(district=230522, street=1000)
    with pytest.raises(GridCodeError, match="negative"):
        CIVIL_AFFAIRS_12.format(district=230522, street=-1)
    with pytest.raises(GridCodeError, match="must be digits"):
        CIVIL_AFFAIRS_12.format(district="23O522")
    with pytest.raises(GridCodeError, match="str or int, not bool"):
        CIVIL_AFFAIRS_12.format(district=230522, street=True)
    with pytest.raises(GridCodeError, match="under an empty street part"):
        CIVIL_AFFAIRS_12.format(district=230522, community=1)
    assert CIVIL_AFFAIRS_12.format(district="230522", street="1", community="01") == (
        "230522001001"
    )


# -- defining schemes ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ((), "has no parts"),
        ((CodePart("a", 2), CodePart("a", 2, "district")), "repeats a part name"),
        ((CodePart("q", 2),), "no area part"),
        ((CodePart("d", 2, "district"), CodePart("q", 2)), "must precede area parts"),
        ((CodePart("s", 2, "street"), CodePart("d", 2, "district")), "strictly deeper"),
        ((CodePart("d", 2, "district"), CodePart("e", 2, "district")), "strictly deeper"),
    ],
)
def test_inconsistent_layouts_rejected(parts: tuple[CodePart, ...], message: str) -> None:
    with pytest.raises(GridCodeError, match=message):
        CodeScheme("bad", "bad", "坏", parts)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "1st", "width": 2}, "not a Python identifier"),
        ({"name": "a", "width": 0}, "width must be at least 1"),
        ({"name": "a", "width": 2, "level": "county"}, "unknown level 'county'; levels: district"),
        ({"name": "a", "width": 2, "max_value": 100}, "does not fit 2 digit"),
    ],
)
def test_bad_code_parts_rejected(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(GridCodeError, match=message):
        CodePart(**kwargs)


def _no_grid_500_and_up(parts: Mapping[str, str]) -> str | None:
    return "has a grid part of 500 or more" if int(parts["grid"]) >= 500 else None


TOWN_GRID = CodeScheme(
    name="town_grid_9",
    label_en="test scheme: town + grid",
    label_zh="测试：镇+网格",
    parts=(CodePart("district", 6, "district"), CodePart("grid", 3, "grid")),
    flags=(CodeFlag("even", "grid number is even", lambda p: int(p["grid"]) % 2 == 0),),
    checks=(_no_grid_500_and_up,),
)


def test_custom_scheme_checks_and_flags() -> None:
    assert TOWN_GRID.parse("230522002").flags == frozenset({"even"})
    assert TOWN_GRID.check_child("230522000", "230522003") is None
    with pytest.raises(GridCodeError, match="town_grid_9: code '230522500' has a grid part"):
        TOWN_GRID.parse("230522500")


# -- registry -----------------------------------------------------------------------------


@dataclass
class FakeEntryPoint:
    name: str
    value: str
    load: Callable[[], object]


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> codes._Registry:
    fresh = codes._Registry()
    monkeypatch.setattr(codes, "_REGISTRY", fresh)
    monkeypatch.delenv(DISABLE_PLUGINS_ENV, raising=False)
    return fresh


def _fake_entry_points(
    monkeypatch: pytest.MonkeyPatch, eps: list[FakeEntryPoint]
) -> list[str | None]:
    calls: list[str | None] = []

    def entry_points(*, group: str | None = None) -> list[FakeEntryPoint]:
        calls.append(group)
        return eps

    monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)
    return calls


def _raise_import_error() -> object:
    raise ImportError("no module named 'gridgov_hangzhou'")


def test_builtins_available(registry: codes._Registry, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_entry_points(monkeypatch, [])
    assert available_schemes() == ["civil_affairs_12", "cjt349_20", "db11_15"]
    for scheme in BUILTINS:
        assert get_scheme(scheme.name) is scheme
        assert get_scheme(scheme) is scheme


def test_unknown_scheme_lists_names(
    registry: codes._Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_entry_points(monkeypatch, [])
    with pytest.raises(GridCodeError) as info:
        get_scheme("gb_12")
    message = str(info.value)
    assert message.startswith("unknown code scheme 'gb_12'")
    assert "available: civil_affairs_12, cjt349_20, db11_15" in message
    assert isinstance(info.value, ValueError)


def test_plugins_loaded_lazily_once_and_broken_ones_skipped(
    registry: codes._Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _fake_entry_points(
        monkeypatch,
        [
            FakeEntryPoint("broken", "gridgov_hangzhou:SCHEME", _raise_import_error),
            FakeEntryPoint("wrong_type", "somewhere:THING", lambda: 42),
            FakeEntryPoint("clash", "somewhere:DB11", lambda: DB11_15),
            FakeEntryPoint("town", "somewhere:TOWN_GRID", lambda: TOWN_GRID),
            FakeEntryPoint("factory", "somewhere:make", lambda: lambda: _renamed("factory_9")),
        ],
    )
    # A built-in name is served without touching entry points.
    assert get_scheme("db11_15") is DB11_15
    assert calls == []
    with pytest.warns(RuntimeWarning) as record:
        names = available_schemes()
    assert calls == [ENTRY_POINT_GROUP]
    assert names == ["civil_affairs_12", "cjt349_20", "db11_15", "factory_9", "town_grid_9"]
    messages = [str(w.message) for w in record]
    assert len(messages) == 3
    assert "'broken'" in messages[0]
    assert "ImportError" in messages[0]
    assert "skipped" in messages[0]
    assert "int, not a CodeScheme" in messages[1]
    assert "reuses the registered name 'db11_15'" in messages[2]
    assert get_scheme("town_grid_9") is TOWN_GRID
    # Cached: no second look-up, no second round of warnings.
    assert available_schemes() == names
    with pytest.raises(GridCodeError, match=r"available: .*town_grid_9"):
        get_scheme("nope")
    assert calls == [ENTRY_POINT_GROUP]


def _renamed(name: str) -> CodeScheme:
    return CodeScheme(name, TOWN_GRID.label_en, TOWN_GRID.label_zh, TOWN_GRID.parts)


@pytest.mark.parametrize("value", ["1", "true", "yes"])
def test_env_var_disables_plugins(
    registry: codes._Registry, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    calls = _fake_entry_points(
        monkeypatch, [FakeEntryPoint("town", "somewhere:TOWN_GRID", lambda: TOWN_GRID)]
    )
    monkeypatch.setenv(DISABLE_PLUGINS_ENV, value)
    assert available_schemes() == ["civil_affairs_12", "cjt349_20", "db11_15"]
    assert calls == []


@pytest.mark.parametrize("value", ["", "0", "false"])
def test_env_var_falsy_values_keep_plugins(
    registry: codes._Registry, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    _fake_entry_points(
        monkeypatch, [FakeEntryPoint("town", "somewhere:TOWN_GRID", lambda: TOWN_GRID)]
    )
    monkeypatch.setenv(DISABLE_PLUGINS_ENV, value)
    assert "town_grid_9" in available_schemes()


def test_register_scheme(registry: codes._Registry, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_entry_points(monkeypatch, [])
    assert register_scheme(TOWN_GRID) is TOWN_GRID
    assert get_scheme("town_grid_9") is TOWN_GRID
    with pytest.raises(GridCodeError, match="already registered; pass replace=True"):
        register_scheme(TOWN_GRID)
    other = _renamed("town_grid_9")
    assert register_scheme(other, replace=True) is other
    assert get_scheme("town_grid_9") is other
    with pytest.raises(PluginError, match="needs a CodeScheme, got str"):
        register_scheme("db11_15")  # type: ignore[arg-type]


def test_public_names_sorted_and_present() -> None:
    assert codes.__all__ == sorted(codes.__all__, key=lambda n: (not n.isupper(), n))
    for name in codes.__all__:
        assert hasattr(codes, name)
