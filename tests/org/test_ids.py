"""Tests for gridgov.org._ids: confusable ids are refused, NFC is applied, CJK mixes freely."""

from __future__ import annotations

import polars as pl
import pydantic
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gridgov.errors import StructureError, TableError
from gridgov.org import Person, Structure
from gridgov.org._ids import check_id, id_problem, id_problem_masks, normalise_id
from gridgov.org.tables import HouseholdTable

ZWSP = "\u200b"
CYRILLIC_ES = "\u0421"  # looks like Latin C
GOOD = ["G1", "S01第1网格", "网格-3", "社区:C/1", CYRILLIC_ES + "1", "Ω-7", "楼栋#2.单元_1"]
BAD = ["G1" + ZWSP, "\ufeffG1", "G\u202e1", CYRILLIC_ES + "C1", "AΒ1", "Cafe" + "\u0430"]


@pytest.mark.parametrize("good", GOOD)
def test_legitimate_ids_pass_both_checks(good: str) -> None:
    assert check_id(good) == good
    masks = id_problem_masks(pl.Series([good]))
    assert not any(m.any() for m, _ in masks)


@pytest.mark.parametrize("bad", BAD)
def test_confusable_ids_fail_both_checks(bad: str) -> None:
    assert id_problem(normalise_id(bad)) is not None
    with pytest.raises(ValueError, match=r"invisible|look alike"):
        check_id(bad)
    masks = id_problem_masks(pl.Series([normalise_id(bad)]))
    assert any(bool(m.any()) for m, _ in masks)


# letters of the confusable scripts, Han, digits, punctuation and invisible characters
LETTERS = "AaCcEeOoXxΑαΕεΟοΩωАаСсЕеОоХхԱաՕօ网格社区第0189-_.:/#"
INVISIBLE = "\u200b\u200d\ufeff\u202e\u2060\x07\ue000"
ALPHABET = LETTERS + INVISIBLE


@given(st.text(st.sampled_from(ALPHABET), min_size=1, max_size=12))
def test_column_check_agrees_with_the_string_check(text: str) -> None:
    value = normalise_id(text)
    series = pl.Series([value], dtype=pl.String)
    flagged = any(bool(m.any()) for m, _ in id_problem_masks(series))
    assert flagged == (id_problem(value) is not None)


def test_ids_are_normalised_to_nfc_in_models_and_tables() -> None:
    decomposed, composed = "Cafe\u0301", "Caf\u00e9"
    assert Person(id=decomposed).id == composed
    table = HouseholdTable.from_rows([{"id": decomposed, "parent": "U1"}])
    assert table.ids() == [composed]


def test_zero_width_and_cyrillic_twins_are_refused_side_by_side() -> None:
    # issue 8: `G1` and `G1`+U+200B, Latin `C1` and Cyrillic `С1` were accepted together
    data = {
        "areas": [
            {"id": "C1", "level": "community"},
            {"id": CYRILLIC_ES + "1x", "level": "community"},  # Cyrillic + Latin x
            {"id": "G1", "level": "grid", "parent": "C1"},
            {"id": "G1" + ZWSP, "level": "grid", "parent": "C1"},
        ]
    }
    with pytest.raises(StructureError) as info:
        Structure.model_validate(data)
    found = {(p.code, p.location) for p in info.value.problems}
    assert ("bad-id", "areas row 2, column id") in found
    assert ("bad-id", "areas row 4, column id") in found
    with pytest.raises(TableError):
        HouseholdTable.from_rows([{"id": "H1", "parent": "G1" + ZWSP}])
    with pytest.raises(pydantic.ValidationError, match="look alike"):
        Person(id=CYRILLIC_ES + "C")
