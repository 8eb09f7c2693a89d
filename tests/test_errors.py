"""Tests for gridgov.errors: one root, builtin bases, unique codes, the drawn tree is complete."""

from __future__ import annotations

import builtins
import re

import pytest

from gridgov import errors
from gridgov.errors import GridgovError, Problem, StructureError, TableError, missing_extra

CLASSES = {
    name: obj
    for name in errors.__all__
    if isinstance(obj := getattr(errors, name), type) and issubclass(obj, BaseException)
}
# One line of the tree: indentation, the class, its code, the builtin in parentheses if any.
TREE_LINE = re.compile(
    r"^(?P<indent>[\s│├└─]*)(?P<name>[A-Z]\w+)\s+(?P<code>GG\d{3})(?:\s+\((?P<builtin>\w+)\))?"
)


def drawn_tree() -> list[tuple[int, str, str, str | None]]:
    """(depth, class name, code, builtin) for each class drawn in the module docstring."""
    assert errors.__doc__ is not None
    block = errors.__doc__.split("The tree::", 1)[1].split("Examples", 1)[0]
    out = []
    base: int | None = None
    for line in block.splitlines():
        m = TREE_LINE.match(line)
        if m:
            base = len(m["indent"]) if base is None else base
            depth = (len(m["indent"]) - base) // 4  # each level adds "├── " or "│   "
            out.append((depth, m["name"], m["code"], m["builtin"]))
    return out


def test_there_are_error_classes() -> None:
    assert "GridgovError" in CLASSES
    assert len(CLASSES) >= 15


@pytest.mark.parametrize("name", sorted(CLASSES))
def test_every_error_is_a_gridgov_error_and_a_builtin(name: str) -> None:
    cls = CLASSES[name]
    assert issubclass(cls, GridgovError)
    builtin_bases = [
        b
        for b in cls.__mro__[1:]
        if getattr(builtins, b.__name__, None) is b and b not in {Exception, BaseException, object}
    ]
    if cls is not GridgovError:
        assert builtin_bases, f"{name} subclasses no specific builtin exception"


def test_codes_are_unique_and_well_formed() -> None:
    codes = [cls.code for cls in CLASSES.values()]  # type: ignore[attr-defined]
    assert all(re.fullmatch(r"GG\d{3}", c) for c in codes)
    assert len(codes) == len(set(codes))


def test_the_drawn_tree_lists_every_class_with_its_code_and_parent() -> None:
    tree = drawn_tree()
    assert {name for _, name, _, _ in tree} == set(CLASSES)
    assert len(tree) == len(CLASSES)
    stack: list[str] = []
    for depth, name, code, builtin in tree:
        cls = CLASSES[name]
        assert cls.code == code, name  # type: ignore[attr-defined]
        del stack[depth:]
        if stack:
            assert CLASSES[stack[-1]] in cls.__mro__[1:], f"{name} is not under {stack[-1]}"
        if builtin is not None:
            assert issubclass(cls, getattr(builtins, builtin)), f"{name} is not a {builtin}"
        stack.append(name)
    assert tree[0][:2] == (0, "GridgovError")
    assert max(depth for depth, *_ in tree) == 2  # e.g. UnknownProfileError under ProfileError


def test_structure_error_lists_every_problem() -> None:
    problems = [Problem("cycle", f"area:A{i}", "is its own ancestor") for i in range(25)]
    err = StructureError(problems, source="city.json")
    assert err.problems == tuple(problems)
    assert err.codes == ["cycle"] * 25
    text = str(err)
    assert text.startswith("city.json: invalid structure, 25 problem(s):")
    assert "area:A0: [cycle] is its own ancestor" in text
    assert "… and 5 more" in text
    assert isinstance(err, ValueError)


def test_table_error_names_the_table() -> None:
    err = TableError(
        [Problem("missing", "households row 3, column parent", "required")], table="households"
    )
    assert str(err).startswith("households: 1 problem(s)")
    assert err.codes == ["missing"]


def test_problem_str() -> None:
    assert str(Problem("cycle", "area:A1", "x")) == "area:A1: [cycle] x"


def test_missing_extra_names_the_extra() -> None:
    err = missing_extra("yaml", "io", "YAML files")
    assert isinstance(err, ImportError)
    assert isinstance(err, GridgovError)
    assert "gridgov[io]" in str(err)
