"""Schema errors as problems: exact places, plain messages, no personal value quoted back."""

from __future__ import annotations

import copy
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

import gridgov
from gridgov.errors import SpecError
from gridgov.graph._demo import demo_structure
from gridgov.io import to_data, to_popolo
from gridgov.io._schema_problems import describe, place, problems_from_python
from gridgov.spec import validate

BASE = to_data(demo_structure())
POPOLO = to_popolo(demo_structure(), privacy="internal")


def _problems(doc: Any) -> list[str]:
    with pytest.raises(SpecError) as info:
        validate(doc, source="d")
    return [f"{p.location}: {p.message}" for p in info.value.problems]


def test_a_bad_row_deep_in_a_large_array_is_named_not_the_array() -> None:
    # the schema allows households to be an array or a table reference (anyOf): the old
    # messages stopped at "households" and quoted the whole array
    doc = to_data(gridgov.datasets.load("youyi"))
    doc["households"][12345]["residents"] = "many"
    (line,) = _problems(doc)
    assert line == "d households[12345].residents: must be of type integer; got 'many'"
    assert len(line) < 200


def test_an_unknown_tag_of_a_tagged_union_lists_the_allowed_tags() -> None:
    doc = copy.deepcopy(BASE)
    doc["organisations"][0]["kind"] = "no_such_kind"
    (line,) = _problems(doc)
    assert line.startswith("d organisations[0].kind: must be one of: ")
    for kind in ("party_committee", "property_company", "grid_party_group"):
        assert kind in line
    assert "; got 'no_such_kind'" in line


def test_a_wrong_field_of_a_known_kind_is_named_under_its_branch() -> None:
    doc = copy.deepcopy(BASE)
    doc["organisations"][0]["area"] = 123
    (line,) = _problems(doc)
    assert line.startswith("d organisations[0].area: matches none of the allowed forms")


def test_every_problem_of_a_document_at_once() -> None:
    doc = copy.deepcopy(BASE)
    doc["areas"][0]["level"] = "planet"
    doc["posts"][0]["max_holders"] = "many"
    doc["people"][0]["unexpected"] = 1
    lines = _problems(doc)
    assert [line.split(":")[0] for line in lines] == [
        "d areas[0].level",
        "d people[0]",
        "d posts[0].max_holders",
    ]
    assert "unknown field(s): unexpected" in lines[1]


personal = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=6)


@pytest.mark.parametrize("field", ["name", "phone", "id_number", "gender", "birth_year"])
@given(secret=st.one_of(personal, st.integers(min_value=10**5), st.lists(personal, min_size=1)))
def test_a_person_s_bad_value_is_never_quoted_back(field: str, secret: Any) -> None:
    doc = copy.deepcopy(BASE)
    doc["people"][0][field] = secret
    try:
        validate(doc, source="d")
    except SpecError as exc:
        text = str(exc)
        shown = secret if isinstance(secret, list) else [secret]
        assert not any(str(s) in text for s in shown if len(str(s)) >= 6)


@given(secret=st.one_of(personal, st.integers(min_value=10**5)))
def test_a_popolo_person_s_bad_value_is_never_quoted_back(secret: Any) -> None:
    doc = copy.deepcopy(POPOLO)
    doc["persons"][0]["name"] = [secret]
    doc["persons"][0]["birth_date"] = str(secret)
    with pytest.raises(SpecError) as info:
        validate(doc, source="d")
    assert str(secret) not in str(info.value)


def test_popolo_draft3_required_names_the_field() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "string", "required": True}}}
    errors = jsonschema.Draft3Validator(schema).iter_errors({})
    (p,) = problems_from_python(errors, "s", ("persons", 2))
    assert (p.location, p.message) == ("s persons[2].a", "missing the required field 'a'")


@pytest.mark.parametrize(
    ("keyword", "expected", "value", "message"),
    [
        ("type", ["integer"], 3.5, "must be of type integer; got 3.5"),
        ("type", ["string", "null"], 3, "must be of type string | null; got 3"),
        ("enum", ["a", "b"], "c", "must be one of: a, b; got 'c'"),
        ("minimum", 0, -1, "must be ≥ 0; got -1"),
        ("maxLength", 2, "abc", "must have at most 2 characters; got 'abc'"),
        ("required", "id", {"x": 1}, "missing the required field 'id'"),
        ("type", "object", [1, 2], "must be of type object"),  # containers are never quoted
        ("type", "string", "x" * 41, "must be of type string"),  # nor long values
        ("if", {}, 1, "breaks the schema's 'if' rule; got 1"),
    ],
)
def test_messages(keyword: str, expected: Any, value: Any, message: str) -> None:
    assert describe(keyword, expected, value, personal=False) == message


def test_place() -> None:
    assert place(["households", 3, "parent"]) == "households[3].parent"
    assert place([]) == ""
