"""JSON Schema of a structure file, for editors, validators and other languages.

The schema is pydantic's (``Structure.model_json_schema()``, draft 2020-12) with an ``$id`` and
a title, and two additions that describe the files gridgov actually writes: each table field
(``areas``, ``households``, ``linked_households``) may also be a *table reference* to a file
beside the main file (:mod:`gridgov.io.tables`), and a top-level ``"$schema"`` key is allowed
(and ignored by :func:`gridgov.io.load`) so editors can find the schema.

The schema checks shape and field types only; the integrity rules that need the whole
structure (references resolve, ids are unique, parents have the right level …) are checked by
:class:`~gridgov.org.Structure` on load.

Examples
--------
>>> schema = structure_schema()
>>> schema["$id"], schema["title"]
('urn:gridgov:schema:structure', 'gridgov structure')
>>> sorted(schema["properties"]["households"]["anyOf"][1])
['$ref']
"""

from __future__ import annotations

import copy
import functools
import json
import os
from pathlib import Path
from typing import Any

from gridgov.io._atomic import atomic_write
from gridgov.io.tables import TABLE_FIELDS, TABLE_FORMATS
from gridgov.org.structure import Structure

__all__ = ["SCHEMA_DIALECT", "SCHEMA_ID", "structure_schema", "write_schema"]

#: The schema's ``$id``.
SCHEMA_ID = "urn:gridgov:schema:structure"
#: The JSON Schema dialect pydantic produces.
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def structure_schema() -> dict[str, Any]:
    """The JSON Schema of a structure file (a new dict on each call; built once, ~1 s).

    Returns
    -------
    dict
        A draft 2020-12 JSON Schema with ``$schema``, ``$id``, ``title`` and ``$defs``.
    """
    return copy.deepcopy(_schema())


@functools.cache
def _schema() -> dict[str, Any]:
    schema = Structure.model_json_schema()
    defs = schema.setdefault("$defs", {})
    defs["TableReference"] = {
        "type": "object",
        "title": "TableReference",
        "description": "A table kept in a file beside the main file (same directory).",
        "properties": {
            "file": {"type": "string", "minLength": 1, "description": "Relative file name."},
            "format": {"enum": list(TABLE_FORMATS)},
            "rows": {"type": "integer", "minimum": 0},
            "sha256": {
                "type": "string",
                "pattern": "^[0-9a-f]{64}$",
                "description": "SHA-256 of the file's bytes; a mismatch is refused.",
            },
        },
        "required": ["file"],
        "additionalProperties": False,
    }
    props = schema["properties"]
    for field in TABLE_FIELDS:
        inline = props[field]
        props[field] = {
            "anyOf": [inline, {"$ref": "#/$defs/TableReference"}],
            "description": inline.get("description", f"The {field} table, inline or in a file."),
        }
    props["$schema"] = {"type": "string", "description": "Schema hint for editors; ignored."}
    head = {
        "$schema": SCHEMA_DIALECT,
        "$id": SCHEMA_ID,
        "title": "gridgov structure",
        "description": schema.get("description", ""),
    }
    return {**head, **{k: v for k, v in schema.items() if k not in head}}


def write_schema(path: str | os.PathLike[str]) -> Path:
    """Write :func:`structure_schema` to ``path`` as indented JSON, atomically."""
    text = json.dumps(structure_schema(), ensure_ascii=False, indent=2) + "\n"
    return atomic_write(path, lambda fh: fh.write(text.encode("utf-8")))
