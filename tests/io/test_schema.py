"""Tests for gridgov.io.schema: the JSON Schema describes the files gridgov writes."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema  # installed with nbformat (the dev extra's notebook runner)
import pytest

from gridgov.io import SCHEMA_ID, save, structure_schema, write_schema
from gridgov.io.schema import SCHEMA_DIALECT
from gridgov.org import Structure


def test_schema_has_id_title_and_dialect() -> None:
    schema = structure_schema()
    assert list(schema)[:3] == ["$schema", "$id", "title"]
    assert schema["$schema"] == SCHEMA_DIALECT
    assert schema["$id"] == SCHEMA_ID
    jsonschema.Draft202012Validator.check_schema(schema)


def test_schema_properties_are_the_structure_fields() -> None:
    props = set(structure_schema()["properties"])
    assert props == {*Structure.model_fields, "$schema"}


@pytest.mark.parametrize("tables", [None, "parquet"])
def test_saved_files_validate_against_the_schema(
    small: Structure, tmp_path: Path, tables: str | None
) -> None:
    path = save(small, tmp_path / "city.json", tables=tables)
    jsonschema.validate(json.loads(path.read_text("utf-8")), structure_schema())


def test_schema_rejects_a_bad_document() -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"households": [{"id": "H1"}]}, structure_schema())


def test_write_schema(tmp_path: Path) -> None:
    path = write_schema(tmp_path / "structure.schema.json")
    assert json.loads(path.read_text("utf-8")) == structure_schema()
