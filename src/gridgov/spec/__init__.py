"""gridgov's open data specification: schema, code lists, changelog and a validator.

The specification is versioned (:data:`VERSION`) and shipped in the package (``files/``:
:func:`files`) and in the repository's ``docs/spec/``, so that a platform that never imports
gridgov can still produce conforming files:

* ``structure.schema.json`` — the JSON Schema (draft 2020-12) of a structure file, with the
  versioned ``$id`` ``urn:gridgov:spec:<VERSION>:structure``;
* ``codelists/`` — bilingual code lists (``code``, ``label_en``, ``label_zh``) as CSV and
  one JSON file: area levels, sectors, organisation kinds, post kinds, party-membership
  status and service, agreement statuses and categories, case templates and activities;
* ``CHANGELOG.md`` — what changed between versions.

:func:`validate` checks any document against it, whatever produced it: a gridgov structure
document (JSON Schema, then the structure's integrity rules) or a Popolo document (the
Popolo schemas, gridgov's extension fields, then integrity); ``gridgov spec validate FILE``
does the same from the command line.

Examples
--------
>>> import gridgov
>>> from gridgov.io import to_data, to_popolo
>>> validate(to_popolo(gridgov.datasets.load("huanan")))
'popolo'
>>> validate({"areas": [{"id": "G1", "level": "grid", "parent": "C9"}]})
Traceback (most recent call last):
...
gridgov.errors.SpecError: document: does not conform, 1 problem(s):
  - ...
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from gridgov.errors import DataFileError, Problem, SpecError, StructureError
from gridgov.io._schema_problems import problems_from_rust
from gridgov.io.popolo import SPEC_VERSION, from_popolo, validate_popolo

__all__ = ["SUPPORTED_VERSIONS", "VERSION", "files", "validate"]

#: The specification's version (semantic versioning; see ``CHANGELOG.md``).
VERSION = SPEC_VERSION

# keys only a Popolo document has (a structure document also has "posts" and "areas")
_POPOLO_ONLY = ("persons", "organizations", "memberships", "gridgov")

#: Versions a document may declare and still be checked by this library.
SUPPORTED_VERSIONS = frozenset({VERSION})


def files() -> Traversable:
    """The folder of the specification's files inside the package."""
    return resources.files("gridgov.spec") / "files"


def validate(doc: Any, *, source: str = "document", path: str | None = None) -> str:
    """Check a document against the specification; return its kind or report every problem.

    Parameters
    ----------
    doc
        A parsed JSON or YAML document: a gridgov structure (``areas``, ``organisations`` …)
        or a Popolo document (``persons``, ``organizations``, ``memberships``, ``posts``).
    source
        What to call the document in messages (a file name).
    path
        The file the document was read from, if any: a structure whose tables are kept in
        files beside it (table references) is then read whole, tables included.

    Returns
    -------
    str
        ``"structure"`` or ``"popolo"``.

    Raises
    ------
    gridgov.errors.SpecError
        Listing every problem, each with the place (``organisations[2].kind``,
        ``persons[0].birth_date``, ``grid:G1``) and what is wrong there.
    """
    if not isinstance(doc, Mapping):
        raise SpecError(
            [
                Problem(
                    "not-an-object",
                    source,
                    f"a document is a JSON object, not {type(doc).__name__}",
                )
            ],
            source=source,
        )
    if any(key in doc for key in _POPOLO_ONLY):
        _validate_popolo(doc, source)
        return "popolo"
    _validate_structure(doc, source, path)
    return "structure"


def _validate_popolo(doc: Mapping[str, Any], source: str) -> None:
    problems: list[Problem] = []
    ext = doc.get("gridgov")
    if ext is not None:
        if not isinstance(ext, Mapping):
            problems.append(Problem("bad-extension", f"{source} gridgov", "must be an object"))
        elif ext.get("version") not in SUPPORTED_VERSIONS:
            problems.append(
                Problem(
                    "unknown-version",
                    f"{source} gridgov.version",
                    f"{ext.get('version')!r} is not a specification version this library "
                    f"checks ({', '.join(sorted(SUPPORTED_VERSIONS))})",
                )
            )
    try:
        validate_popolo(doc, source=source)
    except SpecError as exc:
        problems.extend(exc.problems)
    if problems:
        raise SpecError(problems, source=source)
    try:
        from_popolo(doc, source=source)
    except (StructureError, SpecError) as exc:
        raise SpecError(exc.problems, source=source) from None


@functools.cache
def _structure_validator() -> Any:
    try:
        import jsonschema_rs
    except ImportError as exc:  # pragma: no cover - depends on the environment
        from gridgov.errors import missing_extra

        raise missing_extra("jsonschema-rs", "interop", "Specification checks") from exc
    import json

    schema = json.loads((files() / "structure.schema.json").read_text("utf-8"))
    return jsonschema_rs.Draft202012Validator(schema)


def _validate_structure(doc: Mapping[str, Any], source: str, path: str | None) -> None:
    from gridgov.io import from_data, load
    from gridgov.io.tables import TABLE_FIELDS

    problems = problems_from_rust(_structure_validator().iter_errors(dict(doc)), source)
    if problems:
        raise SpecError(problems, source=source)
    beside = any(isinstance(doc.get(f), Mapping) for f in TABLE_FIELDS)
    try:
        if beside and path is not None:
            load(path)
        else:
            from_data(dict(doc), source=source)
    except (StructureError, DataFileError) as exc:
        found = getattr(exc, "problems", None) or (Problem("invalid", source, str(exc)),)
        raise SpecError(found, source=source) from None
