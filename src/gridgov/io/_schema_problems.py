"""Schema errors as problems: the exact place, a plain message, no personal value echoed.

A JSON Schema validator's own messages quote the failing instance whole: a bad row in a
83 000-row ``households`` array (which the schema allows to be an array *or* a table
reference, an ``anyOf``) came out as "``[…the whole array…]`` is not valid under any of the
given schemas", at ``households`` rather than at the row, and a malformed phone number was
quoted back in clear. Here every error is taken down its ``anyOf``/``oneOf`` branches to the
branch the value was meant for (the one whose errors lie deepest: its type matched), so the
problem names the row and field (``households[81234].residents``); messages are built from
the failed keyword and the schema's values, and quote the value itself only when it is a short
scalar outside people (``people`` / ``persons``), never a container and never personal data.

Two engines feed it: jsonschema-rs (Rust, ~400× faster than the pure-Python validator on a
county's document; draft 2020-12) for gridgov's own schema, and the pure-Python ``jsonschema``
for the Popolo schemas, which are draft 3 (jsonschema-rs starts at draft 4).

Examples
--------
>>> describe("type", ["integer"], 3.5, personal=False)
'must be of type integer; got 3.5'
>>> describe("pattern", "^1[0-9]{10}$", "12345", personal=True)
'does not match the pattern ^1[0-9]{10}$'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from gridgov.errors import Problem

__all__ = ["describe", "place", "problems_from_python", "problems_from_rust"]

#: Collections whose items are people: values under them are never quoted back.
PERSONAL_COLLECTIONS = frozenset({"people", "persons"})
_ECHO_LIMIT = 40
_LIST_LIMIT = 20


def place(path: Sequence[str | int]) -> str:
    """``["households", 3, "parent"]`` → ``households[3].parent``."""
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


def _listing(values: Any) -> str:
    items = [str(v) for v in values] if isinstance(values, list | tuple) else [str(values)]
    more = f", … (+{len(items) - _LIST_LIMIT})" if len(items) > _LIST_LIMIT else ""
    return ", ".join(items[:_LIST_LIMIT]) + more


def _kinds(value: Any) -> str:
    """A draft-3 or later ``type`` value: ``['string', 'null']`` → ``string | null``."""
    values = value if isinstance(value, list | tuple) else [value]
    return " | ".join(v if isinstance(v, str) else "{…}" for v in values)


_SIGN = {"minimum": "≥", "exclusiveMinimum": ">", "maximum": "≤", "exclusiveMaximum": "<"}
#: Keywords whose failing value is an object: nothing to quote.
_OF_OBJECTS = frozenset({"required", "additionalProperties", "uniqueItems"})


def _expectation(keyword: str, x: Any) -> str:  # noqa: PLR0911, PLR0912  # one per keyword
    """What the schema expected, in words (each return is a template the message scan reads)."""
    match keyword:
        case "type":
            return f"must be of type {_kinds(x)}"
        case "enum":
            return f"must be one of: {_listing(x)}"
        case "const":
            return f"must be {x!r}"
        case "pattern":
            return f"does not match the pattern {x}"
        case "format":
            return f"is not a valid {x}"
        case "minimum" | "exclusiveMinimum" | "maximum" | "exclusiveMaximum":
            return f"must be {_SIGN[keyword]} {x}"
        case "minLength":
            return f"must have at least {x} characters"
        case "maxLength":
            return f"must have at most {x} characters"
        case "minItems":
            return f"must have at least {x} items"
        case "maxItems":
            return f"must have at most {x} items"
        case "uniqueItems":
            return "items must be unique"
        case "required":
            return f"missing the required field {x!r}"
        case "additionalProperties":
            return f"unknown field(s): {_listing(x)}"
        case "anyOf" | "oneOf":
            return f"matches none of the allowed forms ({x})"
    return f"breaks the schema's {keyword!r} rule"


def describe(keyword: str, expected: Any, value: Any, *, personal: bool) -> str:
    """A message for a failed ``keyword`` whose schema value is ``expected``.

    ``value`` (the failing instance) is quoted only if short, a scalar and not ``personal``.
    """
    text = _expectation(keyword, expected)
    shown = repr(value)
    if (
        not personal
        and isinstance(value, str | int | float | bool | type(None))
        and len(shown) <= _ECHO_LIMIT
        and keyword not in _OF_OBJECTS
    ):
        return f"{text}; got {shown}"
    return text


def _is_personal(path: Sequence[str | int]) -> bool:
    return bool(path) and path[0] in PERSONAL_COLLECTIONS


# -- jsonschema-rs ---------------------------------------------------------------------------
def _rs_depth(errors: Sequence[Any]) -> tuple[int, int]:
    return (max((len(e.instance_path) for e in errors), default=0), -len(errors))


#: One problem before its message: (path, failing value, keyword, what the schema expected).
_Leaf = tuple[list[str | int], Any, str, Any]


def _rs_leaves(error: Any) -> Iterable[_Leaf]:
    """What is wrong, down the branch of each ``anyOf``/``oneOf`` the value was meant for."""
    kind = error.kind
    context = getattr(kind, "context", None) if kind.name in ("anyOf", "oneOf") else None
    if not context:
        yield list(error.instance_path), error.instance, kind.name, _rs_expected(kind)
        return
    depth = max(_rs_depth(branch) for branch in context)
    tied = [branch for branch in context if _rs_depth(branch) == depth]
    if depth[0] > len(error.instance_path):
        picks = [e for branch in tied for e in branch if e.kind.name in ("const", "enum")]
        if len(tied) > 1 and len(picks) == len(tied):
            # a tagged union (``kind`` const per branch) and the tag fits none: name them all
            tags = {str(t) for e in picks for t in _as_list(_rs_expected(e.kind))}
            yield list(picks[0].instance_path), picks[0].instance, "enum", sorted(tags)
            return
        for sub in tied[0]:
            yield from _rs_leaves(sub)
        return
    # no branch got further than the value itself: say which forms were allowed
    forms = [
        describe(e.kind.name, _rs_expected(e.kind), None, personal=True)
        for branch in context
        for e in branch
    ]
    yield list(error.instance_path), error.instance, kind.name, "; ".join(dict.fromkeys(forms))


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _rs_expected(kind: Any) -> Any:
    for attr in ("types", "options", "expected_value", "pattern", "format", "limit", "property"):
        if hasattr(kind, attr):
            return getattr(kind, attr)
    return getattr(kind, "unexpected", None)


def problems_from_rust(errors: Iterable[Any], source: str, code: str = "schema") -> list[Problem]:
    """Problems from jsonschema-rs errors (``validator.iter_errors(doc)``)."""
    problems: list[Problem] = []
    for top in errors:
        for path, value, keyword, expected in _rs_leaves(top):
            message = describe(keyword, expected, value, personal=_is_personal(path))
            problems.append(Problem(code, f"{source} {place(path) or '$'}", message))
    return problems


# -- jsonschema (pure Python; the Popolo schemas are draft 3) -------------------------------
def problems_from_python(
    errors: Iterable[Any], source: str, prefix: Sequence[str | int] = (), code: str = "schema"
) -> list[Problem]:
    """Problems from ``jsonschema`` errors, each taken to its most relevant leaf."""
    from jsonschema.exceptions import best_match

    problems: list[Problem] = []
    for top in errors:
        err = best_match([top]) if top.context else top
        path = [*prefix, *err.absolute_path]
        keyword = str(err.validator)
        expected = err.validator_value
        if keyword == "additionalProperties":  # the keys only, never their values
            known = err.schema.get("properties", {})
            expected = [k for k in err.instance if k not in known]
        elif keyword == "required" and isinstance(expected, bool):  # draft 3: on the field
            expected = path[-1] if path else "?"
        message = describe(keyword, expected, err.instance, personal=_is_personal(path))
        problems.append(Problem(code, f"{source} {place(path) or '$'}", message))
    return problems
