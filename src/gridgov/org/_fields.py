"""Field problems as :class:`~gridgov.errors.Problem`, and what validates despite them.

A structure is checked in one pass: when some fields fail pydantic's validation, the parts
that did validate are still checked for integrity, and a single
:class:`~gridgov.errors.StructureError` lists both kinds of problem. This module does the two
steps that make that possible:

* :func:`field_problems` turns a :class:`pydantic.ValidationError` into problems: location
  ``people[3].birth_year`` (a document path, list indices from 0), a kebab-case code
  (pydantic's ``int_parsing`` becomes ``int-parsing``), and the message; a table's own cell
  problems (``households row 4, column residents``, rows from 1) are kept as they are;
* :func:`salvage` keeps of the input only what validated: an entity with a bad field is left
  out (its id is remembered, so that references to it are not reported as dangling), a
  table keeps its good rows, a bad scalar field falls back to its default.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from gridgov.errors import Problem
from gridgov.org._ids import normalise_id

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError

__all__ = ["field_problems", "kebab", "salvage"]


def kebab(code: str) -> str:
    """``"int_parsing"`` → ``"int-parsing"``.

    Examples
    --------
    >>> kebab("string_pattern_mismatch")
    'string-pattern-mismatch'
    """
    return code.replace("_", "-")


def field_problems(exc: ValidationError) -> list[Problem]:
    """One problem per pydantic error; a table's errors keep their own row/column problems."""
    problems: list[Problem] = []
    for err in exc.errors(include_url=False, include_input=False):
        cause = (err.get("ctx") or {}).get("error")
        inner = getattr(cause, "problems", None)
        if isinstance(inner, tuple) and all(isinstance(p, Problem) for p in inner):
            problems.extend(inner)
            continue
        message = err["msg"]
        if cause is not None and message.startswith("Value error, "):
            message = message[len("Value error, ") :]
        problems.append(Problem(kebab(err["type"]), location(err["loc"]), message))
    return problems


def location(loc: tuple[int | str, ...]) -> str:
    """``("posts", 0, "kind")`` → ``"posts[0].kind"``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "structure"


def salvage(
    model: type[BaseModel], data: Mapping[str, Any], exc: ValidationError
) -> tuple[dict[str, Any], frozenset[str]]:
    """The part of ``data`` that validates, and the ids of the entities left out.

    ``model`` is the structure class: its table fields (those with a ``salvage``
    classmethod) keep their good rows; its tuple fields drop the items with errors; any
    other field with an error is dropped (so it takes its default).
    """
    drop_items: dict[str, set[int]] = {}
    drop_fields: set[str] = set()
    for err in exc.errors(include_url=False, include_input=False):
        loc = err["loc"]
        if not loc:
            return {}, frozenset()
        name = str(loc[0])
        if len(loc) > 1 and isinstance(loc[1], int):
            drop_items.setdefault(name, set()).add(loc[1])
        else:
            drop_fields.add(name)
    kept: dict[str, Any] = {}
    left_out: set[str] = set()
    for name, value in data.items():
        field = model.model_fields.get(name)
        if field is None:
            continue  # an unknown field (reported); nothing to check
        table = getattr(field.annotation, "salvage", None)
        if table is not None:
            if name in drop_fields or name in drop_items:
                good, dropped = table(value)
                left_out |= dropped
                kept[name] = good
            else:
                kept[name] = value
        elif name in drop_fields:
            continue
        elif name in drop_items and isinstance(value, Sequence) and not isinstance(value, str):
            bad = drop_items[name]
            kept[name] = [v for i, v in enumerate(value) if i not in bad]
            left_out |= {_id_of(v) for i, v in enumerate(value) if i in bad} - {""}
        elif name not in drop_items:
            kept[name] = value
    return kept, frozenset(left_out)


def _id_of(item: object) -> str:
    raw = item.get("id") if isinstance(item, Mapping) else getattr(item, "id", None)
    return normalise_id(raw.strip()) if isinstance(raw, str) else ""
