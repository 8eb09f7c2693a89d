"""Popolo JSON: people, organisations, posts, memberships and areas for civic-tech tools.

`Popolo <https://www.popoloproject.com/>`_ is the open standard for people, organisations,
posts and memberships. :func:`to_popolo` writes a structure as one Popolo document::

    {"gridgov": {...}, "persons": [...], "organizations": [...], "posts": [...],
     "memberships": [...], "areas": [...]}

that validates against the Popolo 1.0.1 JSON Schemas (vendored in ``popolo_schemas/`` with
their CC BY 4.0 licence; :func:`validate_popolo`), and :func:`from_popolo` reads it back.

What goes where
---------------
==================  ===============================================================================
gridgov             Popolo
==================  ===============================================================================
area (table row)    ``areas[]``: ``id``, ``name``, ``classification`` = the level code
                    (``"grid"``), ``parent_id``, ``identifier`` = the grid code
organisation        ``organizations[]``: ``id``, ``name``, ``classification`` = the kind code
                    (``"grid_party_group"``), ``parent_id``, ``area_id``,
                    ``founding_date``, ``dissolution_date``
person              ``persons[]``: ``id``, ``name``, ``gender``, ``birth_date`` (the year,
                    ``"1957"``), ``identifiers`` (``scheme`` ``"gridgov:id_number"``) and
                    ``contact_details`` (``type`` ``"voice"``) at ``privacy="full"`` only
post                ``posts[]``: ``id``, ``label`` (the post's title, else the kind's
                    Chinese label), ``role`` = the kind code, ``organization_id``,
                    ``area_id``, ``start_date``, ``end_date``
appointment         ``memberships[]``: ``id``, ``person_id``, ``post_id``, ``organization_id``
                    and ``role`` (the post's, repeated as Popolo asks), ``start_date``,
                    ``end_date``
==================  ===============================================================================

Extension fields
----------------
Popolo objects allow more properties; gridgov puts its own facts in one documented property,
``"gridgov"``, and never in a Popolo core field:

* on each object: every field of the gridgov record that the table above does not map
  (a person's ``household`` and ``party`` — party-membership ``status``, ``service``,
  ``organisation``, ``employer``, ``joined``; an area's other columns; an organisation's
  ``sector``, ``host``, ``category`` …; a post's ``max_holders``);
* on a membership that is part of a cross-appointment (交叉任职), ``cross_appointment``: a
  list of ``{"with": <the other membership's id>, "direction": "<this sector>-><other
  sector>"}``, one per concurrent appointment it crosses with
  — derived from the structure, ignored on reading (the structure recomputes it);
* at the top: ``gridgov.version`` (of :mod:`gridgov.spec`), ``gridgov.privacy`` (the level
  the file was written at) and ``gridgov.structure``: the structure's name, code scheme,
  reference date, compounds, households, linked households, report-backs, co-building
  agreements, joint committees, supervision and geography, as gridgov's own JSON writes them.

So ``from_popolo(to_popolo(s, privacy="full"))`` is ``s`` again, and a Popolo document
written by another tool (no ``gridgov`` properties) reads as a structure of its areas,
organisations, people, posts and memberships with a post.

Privacy
-------
``privacy`` defaults to ``"public"`` (:mod:`gridgov.io.privacy`): a Popolo file is made to be
published, so by default it holds areas, organisations and posts, and no people,
memberships or households.

Examples
--------
>>> import gridgov
>>> doc = to_popolo(gridgov.datasets.load("youyi"))
>>> sorted(doc)
['areas', 'gridgov', 'memberships', 'organizations', 'persons', 'posts']
>>> len(doc["persons"]), doc["organizations"][0]["classification"]
(0, 'party_committee')
>>> validate_popolo(doc)
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from importlib import resources
from typing import TYPE_CHECKING, Any

from gridgov.errors import DataFileError, Problem, SpecError, StructureError
from gridgov.io._schema_problems import problems_from_python

if TYPE_CHECKING:
    from gridgov.io.privacy import Privacy
    from gridgov.org import Structure

__all__ = ["POPOLO_COLLECTIONS", "SPEC_VERSION", "from_popolo", "to_popolo", "validate_popolo"]

#: Version of gridgov's open data specification (:mod:`gridgov.spec` re-exports it as
#: ``VERSION``) written into every Popolo and JSON-LD document.
SPEC_VERSION = "1.0.0"

#: Popolo collection → the schema its objects validate against.
POPOLO_COLLECTIONS = {
    "persons": "person",
    "organizations": "organization",
    "memberships": "membership",
    "posts": "post",
    "areas": "area",
}

_EXT = "gridgov"
_ID_SCHEME = "gridgov:id_number"
_STRUCTURE_FIELDS = (
    "name",
    "code_scheme",
    "reference_date",
    "compounds",
    "households",
    "linked_households",
    "report_backs",
    "agreements",
    "joint_committees",
    "supervision",
    "geography",
)
# gridgov field → Popolo field, per kind of object
_AREA = {"id": "id", "name": "name", "level": "classification", "parent": "parent_id"}
_AREA_CODE = ("code", "identifier")
_ORG = {
    "id": "id",
    "name": "name",
    "kind": "classification",
    "parent": "parent_id",
    "area": "area_id",
    "start": "founding_date",
    "end": "dissolution_date",
}
_POST = {
    "id": "id",
    "kind": "role",
    "organisation": "organization_id",
    "area": "area_id",
    "start": "start_date",
    "end": "end_date",
}
_PERSON = {"id": "id", "name": "name", "gender": "gender"}
_APPT = {
    "id": "id",
    "person": "person_id",
    "post": "post_id",
    "start": "start_date",
    "end": "end_date",
}


def _out(record: Mapping[str, Any], mapping: Mapping[str, str]) -> dict[str, Any]:
    """Map a gridgov record's fields to Popolo's; every other field goes to ``gridgov``."""
    obj: dict[str, Any] = {}
    ext: dict[str, Any] = {}
    for name, value in record.items():
        if name in mapping:
            if value is not None:
                obj[mapping[name]] = value
        else:
            ext[name] = value
    if ext:
        obj[_EXT] = ext
    return obj


def _in(obj: Mapping[str, Any], mapping: Mapping[str, str]) -> dict[str, Any]:
    """The inverse of :func:`_out` (a Popolo field that is absent reads as ``None``)."""
    record: dict[str, Any] = {name: obj.get(key) for name, key in mapping.items()}
    ext = obj.get(_EXT)
    if isinstance(ext, Mapping):
        record.update(ext)
    return {k: v for k, v in record.items() if v is not None or k in (ext or {})}


def to_popolo(
    structure: Structure,
    *,
    privacy: str | Privacy = "public",
    key: bytes | str | None = None,
) -> dict[str, Any]:
    """The structure as a Popolo JSON document (see the module notes for the mapping).

    Parameters
    ----------
    structure
        The structure.
    privacy
        ``"public"`` (default: no people, memberships or households), ``"research"``
        (pseudonymised people, with ``key``), ``"internal"`` (names) or ``"full"``
        (ID numbers as ``identifiers``, phones as ``contact_details``).
    key
        The HMAC key for ``"research"``.

    Raises
    ------
    gridgov.errors.PrivacyError
        An unknown level, or ``"research"`` without a key.
    """
    from gridgov.io.json_yaml import to_data
    from gridgov.io.privacy import policy, redact_structure
    from gridgov.org.vocab import PostKind

    level = policy(privacy, key=key)
    s = redact_structure(structure, level)
    data = to_data(s, include_personal=level.personal)
    org_of = {p["id"]: p["organisation"] for p in data["posts"]}
    kind_of = {p["id"]: p["kind"] for p in data["posts"]}

    areas = []
    for row in data["areas"]:
        obj = _out({k: v for k, v in row.items() if k != _AREA_CODE[0]}, _AREA)
        if row.get(_AREA_CODE[0]) is not None:
            obj[_AREA_CODE[1]] = row[_AREA_CODE[0]]
        areas.append(obj)
    persons = []
    for person in data["people"]:
        rest = {k: v for k, v in person.items() if k not in ("birth_year", "id_number", "phone")}
        obj = _out(rest, _PERSON)
        if not obj.get("name"):  # research blanks names: write none rather than ""
            obj.pop("name", None)
        if person.get("birth_year") is not None:
            obj["birth_date"] = f"{person['birth_year']:04d}"
        if person.get("id_number"):
            obj["identifiers"] = [{"scheme": _ID_SCHEME, "identifier": person["id_number"]}]
        if person.get("phone"):
            obj["contact_details"] = [{"type": "voice", "value": person["phone"]}]
        persons.append(obj)
    posts = []
    for post in data["posts"]:
        obj = _out(post, _POST)
        obj["label"] = post.get("title") or PostKind(post["kind"]).label_zh
        posts.append(obj)
    crossed = _cross_directions(s)
    memberships = []
    for appt in data["appointments"]:
        obj = _out(appt, _APPT)
        obj["organization_id"] = org_of.get(appt["post"])
        obj["role"] = kind_of.get(appt["post"])
        if appt["id"] in crossed:
            obj.setdefault(_EXT, {})["cross_appointment"] = crossed[appt["id"]]
        memberships.append(obj)
    return {
        _EXT: {
            "version": SPEC_VERSION,
            "privacy": level.level,
            "structure": {f: data[f] for f in _STRUCTURE_FIELDS},
        },
        "persons": persons,
        "organizations": [_out(o, _ORG) for o in data["organisations"]],
        "posts": posts,
        "memberships": memberships,
        "areas": areas,
    }


def _cross_directions(structure: Structure) -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = {}
    for x in structure.cross_appointments():
        a, b = x.first.id, x.second.id
        one, two = (s.value for s in x.sectors)
        out.setdefault(a, []).append({"with": b, "direction": f"{one}->{two}"})
        out.setdefault(b, []).append({"with": a, "direction": f"{two}->{one}"})
    return out


def from_popolo(doc: Mapping[str, Any], *, source: str = "popolo") -> Structure:
    """Read a Popolo document (from :func:`to_popolo` or another tool) as a structure.

    The document is first validated against the Popolo schemas; gridgov's extension fields
    are read where present. Memberships without a ``post_id`` (Popolo's plain memberships)
    cannot be gridgov appointments and are reported.

    Raises
    ------
    gridgov.errors.SpecError
        The document does not validate against the Popolo schemas, or holds a membership
        without a post; ``.problems`` name each place (``memberships[3].post_id``).
    gridgov.errors.StructureError
        What it describes is not a valid structure (every problem).
    """
    from gridgov.org import Structure

    validate_popolo(doc, source=source)
    problems: list[Problem] = []
    ext = doc.get(_EXT) if isinstance(doc.get(_EXT), Mapping) else {}
    data: dict[str, Any] = dict((ext or {}).get("structure") or {})
    areas = []
    for obj in doc.get("areas") or []:
        row = _in(obj, _AREA)
        if obj.get(_AREA_CODE[1]) is not None:
            row[_AREA_CODE[0]] = obj[_AREA_CODE[1]]
        areas.append(row)
    people = []
    for obj in doc.get("persons") or []:
        person = _in(obj, _PERSON)
        if obj.get("birth_date"):
            person["birth_year"] = int(str(obj["birth_date"])[:4])
        for ident in obj.get("identifiers") or []:
            if ident.get("scheme") == _ID_SCHEME:
                person["id_number"] = ident.get("identifier")
        for contact in obj.get("contact_details") or []:
            if contact.get("type") == "voice":
                person["phone"] = contact.get("value")
        people.append(person)
    appointments = []
    for i, obj in enumerate(doc.get("memberships") or []):
        if not obj.get("post_id"):
            problems.append(
                Problem(
                    "membership-without-post",
                    f"{source} memberships[{i}].post_id",
                    "a gridgov appointment holds a post; this membership names none",
                )
            )
            continue
        appt = _in(obj, _APPT)
        appt.pop("cross_appointment", None)
        appointments.append(appt)
    if problems:
        raise SpecError(problems, source=source)
    data.update(
        areas=areas,
        organisations=[_in(o, _ORG) for o in doc.get("organizations") or []],
        people=people,
        posts=[_in(p, _POST) for p in doc.get("posts") or []],
        appointments=appointments,
    )
    try:
        return Structure.model_validate(data)
    except StructureError as exc:
        raise StructureError(exc.problems, source=source) from None


# -- validation ---------------------------------------------------------------------------
@functools.cache
def _validators() -> dict[str, Any]:
    try:
        import jsonschema
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT3
    except ImportError as exc:  # pragma: no cover - depends on the environment
        from gridgov.errors import missing_extra

        raise missing_extra("jsonschema", "interop", "Popolo validation") from exc
    folder = resources.files("gridgov.io") / "popolo_schemas"
    schemas: dict[str, Any] = {}
    for entry in folder.iterdir():
        if entry.name.endswith(".json"):
            schemas[entry.name.removesuffix(".json")] = json.loads(entry.read_text("utf-8"))
    registry: Registry[Any] = Registry().with_resources(
        (s["id"].rstrip("#"), Resource.from_contents(s, default_specification=DRAFT3))
        for s in schemas.values()
    )
    registry = registry.with_resources(
        (s["id"], Resource.from_contents(s, default_specification=DRAFT3)) for s in schemas.values()
    )
    return {
        name: jsonschema.Draft3Validator(schemas[name], registry=registry)
        for name in POPOLO_COLLECTIONS.values()
    }


def validate_popolo(doc: Any, *, source: str = "popolo") -> None:
    """Check a Popolo document against the Popolo schemas; report every problem at once.

    Raises
    ------
    gridgov.errors.SpecError
        Naming each place (``persons[2].birth_date``) and what is wrong there.
    """
    if not isinstance(doc, Mapping):
        raise DataFileError(
            f"{source}: a Popolo document is a JSON object, not {type(doc).__name__}"
        )
    validators = _validators()
    problems: list[Problem] = []
    for collection, schema in POPOLO_COLLECTIONS.items():
        items = doc.get(collection, [])
        if not isinstance(items, list):
            problems.append(Problem("not-a-list", f"{source} {collection}", "must be a list"))
            continue
        for i, item in enumerate(items):
            errors = validators[schema].iter_errors(item)
            problems += problems_from_python(errors, source, (collection, i), "popolo-schema")
    if problems:
        raise SpecError(problems, source=source)
