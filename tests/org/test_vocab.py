"""Tests for gridgov.org.vocab: bilingual labels, stable codes, level order."""

from __future__ import annotations

import re

import pytest

from gridgov.org import vocab
from gridgov.org.vocab import AreaLevel, BilingualEnum, OrgKind, Sector

ENUMS = [getattr(vocab, name) for name in vocab.__all__ if name not in {"BilingualEnum", "Lang"}]
HAN = re.compile(r"[\u4e00-\u9fff]")


def test_every_public_enum_is_bilingual() -> None:
    assert ENUMS
    assert all(issubclass(e, BilingualEnum) for e in ENUMS)


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_every_member_has_labels_and_a_unique_stable_code(enum: type[BilingualEnum]) -> None:
    codes = [m.value for m in enum]
    assert len(codes) == len(set(codes))
    for member in enum:
        assert member.label_en.strip()
        assert member.label_zh.strip()
        assert HAN.search(member.label_zh), member
        assert re.fullmatch(r"[a-z][a-z0-9_]*", member.value), member
        assert enum(member.value) is member  # a code read back from a file is the member
        assert member.label("en") == member.label_en
        assert member.label("zh") == member.label_zh
        assert member.label() == member.label_en
        assert str(member) == member.value


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_labels_are_unique_within_an_enum(enum: type[BilingualEnum]) -> None:
    assert len({m.label_en for m in enum}) == len(enum)
    assert len({m.label_zh for m in enum}) == len(enum)


def test_area_level_depth_follows_the_tree_from_district_to_household() -> None:
    order = [
        "district",
        "street",
        "community",
        "grid",
        "micro_grid",
        "building",
        "unit",
        "household",
    ]
    assert [lvl.value for lvl in sorted(AreaLevel, key=lambda lvl: lvl.depth)] == order
    assert [lvl.depth for lvl in AreaLevel] == list(range(len(order)))
    assert AreaLevel.GRID.label_zh == "网格"


def test_codes_match_the_grid_code_module() -> None:
    from gridgov.org import codes

    assert tuple(lvl.value for lvl in AreaLevel) == codes._LEVEL_ORDER


def test_every_organisation_kind_has_a_sector() -> None:
    for kind in OrgKind:
        assert isinstance(kind.default_sector, Sector)
    party = {k for k in OrgKind if k.is_party}
    assert OrgKind.GRID_PARTY_GROUP in party
    assert OrgKind.ENTERPRISE_PARTY_ORG in party
    assert OrgKind.PROPERTY_COMPANY not in party
    assert OrgKind.ENTERPRISE_PARTY_ORG.default_sector is Sector.ENTERPRISE_PARTY
    assert OrgKind.PROPERTY_COMPANY.default_sector is Sector.ENTERPRISE


def test_unknown_code_is_rejected() -> None:
    with pytest.raises(ValueError, match="village"):
        AreaLevel("village")
