"""Find every user-visible message template in gridgov's source, by reading it with ``ast``.

Used by ``tests/test_messages.py`` (every template has its Chinese form, no catalogue entry is
stale) and run as a script to bring the catalogue up to date after code changes::

    python tests/_message_scan.py            # list what is missing or stale
    python tests/_message_scan.py --update   # add missing templates (empty Chinese), drop stale

A *template* is the literal text of a message with each ``{expression}`` of an f-string (or
each ``%s`` / ``{}`` of a formatted string) replaced by a numbered placeholder ``{0}``, ``{1}``
…, and literal braces doubled — what :mod:`gridgov._i18n` matches at display time.

Messages are: the text of every gridgov error built (``XError("…")``, ``raise …``), of a
``Problem`` (its ``message``), of click's exceptions and of the command line's ``InputError``,
the ``purpose`` of ``missing_extra``, ``warnings.warn`` texts, and strings marked with
``N_("…")`` (progress labels, error prefixes, lines the command line prints). A message the
scanner cannot see (a variable it cannot trace, a call) is reported, so that it is made
visible.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "gridgov"
CATALOGUE = SRC / "locale" / "zh.toml"

#: errors whose first argument is a list of problems, not a message (their problems are read)
_PROBLEM_LISTS = {
    "StructureError",
    "TableError",
    "LedgerError",
    "SpecError",
    "TemplateError",
    "EventLogError",
    "StoreError",
}
_CLICK_ERRORS = {
    "InputError",
    "ClickException",
    "UsageError",
    "BadParameter",
    "BadOptionUsage",
    "BadArgumentUsage",
    "FileError",
}
_CJK = re.compile(r"[\u3400-\u9fff]")
_LETTER = re.compile(r"[A-Za-z]")
_SENTENCE = re.compile(r"[A-Za-z]{2,}(?: [A-Za-z]{2,}){2,}")
#: a parameter that carries a message into a helper that builds the error or problem
_MESSAGE_PARAM = re.compile(r"message|msg|reason|purpose|text|label")


def _error_classes() -> set[str]:
    tree = ast.parse((SRC / "errors.py").read_text(encoding="utf-8"))
    names = {n.name for n in tree.body if isinstance(n, ast.ClassDef)}
    return (names - _PROBLEM_LISTS - {"Problem", "_ProblemsMixin"}) | _CLICK_ERRORS


@dataclass
class Found:
    """What the scan found: templates with where they are, and messages it cannot see."""

    templates: dict[str, list[str]] = field(default_factory=dict)
    hidden: list[str] = field(default_factory=list)
    #: (module, function, index, parameter) of helpers that pass a message parameter on
    helpers: set[tuple[str, str, int, str]] = field(default_factory=set)


class _InvisibleError(Exception):
    pass


def _esc(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


class _Templater:
    """Turns a message expression into its templates (several when it has branches)."""

    def __init__(self, scopes: list[ast.AST], found: Found, where: str) -> None:
        self.scopes = scopes  # the module, then each enclosing function (innermost last)
        self.found = found
        self.where = where

    def templates(self, node: ast.expr, depth: int = 0) -> list[list[str | None]]:
        """Each template as pieces: a literal string, or None for a placeholder."""
        if depth > 6:
            raise _InvisibleError
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return [[node.value]]
        if isinstance(node, ast.JoinedStr):
            pieces: list[str | None] = []
            for part in node.values:
                if isinstance(part, ast.Constant):
                    pieces.append(str(part.value))
                else:
                    pieces.append(None)
            return [pieces]
        if isinstance(node, ast.IfExp):
            return self.templates(node.body, depth + 1) + self.templates(node.orelse, depth + 1)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            rights = self.templates(node.right, depth + 1)
            return [a + b for a in self.templates(node.left, depth + 1) for b in rights]
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
            lefts = self.templates(node.left, depth + 1)
            return [_percent(t) for t in lefts if all(p is not None for p in t)]
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "format"
        ):
            return [_dotformat(t) for t in self.templates(node.func.value, depth + 1)]
        if isinstance(node, ast.Name):
            return self._name(node.id, depth)
        if _is_passthrough(node):
            return [[None]]
        if isinstance(node, ast.Call) and _call_name(node) == "N_" and node.args:
            return self.templates(node.args[0], depth + 1)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "join"
            and isinstance(node.func.value, ast.Constant)
            and len(node.args) == 1
        ):
            self._items(node.args[0], depth)
            return [[None]]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            function = _module_function(self.scopes[0], node.func.id)
            if function is not None:
                returns = [
                    n.value
                    for n in ast.walk(function)
                    if isinstance(n, ast.Return) and n.value is not None
                ]
                inner = _Templater([self.scopes[0], function], self.found, self.where)
                out = []
                for value in returns:
                    out.extend(inner.templates(value, depth + 1))
                if out:
                    return out
        raise _InvisibleError

    def _items(self, node: ast.expr, depth: int) -> None:
        """Record the messages a joined list holds (each item is a message of its own)."""
        elements: list[ast.expr] = []
        if isinstance(node, ast.ListComp | ast.GeneratorExp | ast.SetComp):
            elements = [node.elt]
        elif isinstance(node, ast.List | ast.Tuple):
            elements = list(node.elts)
        elif isinstance(node, ast.Name):
            for scope in reversed(self.scopes):
                for n in ast.walk(scope):
                    if (
                        isinstance(n, ast.Call)
                        and isinstance(n.func, ast.Attribute)
                        and n.func.attr in {"append", "extend"}
                        and isinstance(n.func.value, ast.Name)
                        and n.func.value.id == node.id
                        and n.args
                    ):
                        arg = n.args[0]
                        if n.func.attr == "extend" and isinstance(
                            arg, ast.ListComp | ast.GeneratorExp
                        ):
                            arg = arg.elt
                        elements.append(arg)
                if elements:
                    break
        for element in elements:
            _record(element, self.scopes, self.where, self.found)

    def _name(self, name: str, depth: int) -> list[list[str | None]]:
        for scope in reversed(self.scopes):
            values = [
                n.value
                for n in ast.walk(scope)
                if isinstance(n, ast.Assign | ast.AnnAssign)
                and n.value is not None
                and any(
                    isinstance(t, ast.Name) and t.id == name
                    for t in (n.targets if isinstance(n, ast.Assign) else [n.target])
                )
            ]
            if values:
                out = []
                for value in values:
                    out.extend(self.templates(value, depth + 1))
                return out
            if (
                isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef)
                and name in _params(scope)
                and not scope.name.startswith("__")
                and _MESSAGE_PARAM.search(name)
            ):
                module = self.where.rsplit(":", 1)[0]
                self.found.helpers.add((module, scope.name, _params(scope).index(name), name))
                return [[None]]
        raise _InvisibleError


def _params(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    a = function.args
    names = [p.arg for p in [*a.posonlyargs, *a.args, *a.kwonlyargs]]
    return names[1:] if names[:1] in (["self"], ["cls"]) else names


def _module_function(module: ast.AST, name: str) -> ast.FunctionDef | None:
    for n in getattr(module, "body", []):
        if isinstance(n, ast.FunctionDef) and n.name == name:
            return n
    return None


def _is_passthrough(node: ast.expr) -> bool:
    """Another message shown again: ``str(exc)``, ``problem.message``, pydantic's ``e["msg"]``."""
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice):
        return _is_passthrough(node.value) or isinstance(node.value, ast.Name)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in {"replace", "strip", "rstrip", "lstrip"}
    ):
        return _is_passthrough(node.func.value)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "str":
        return True
    if isinstance(node, ast.Attribute) and node.attr in {"message", "msg"}:
        return True
    return (
        isinstance(node, ast.Subscript)
        and isinstance(node.slice, ast.Constant)
        and node.slice.value == "msg"
    )


def _percent(t: list[str | None]) -> list[str | None]:
    text = "".join(p for p in t if p is not None)
    out: list[str | None] = []
    for i, chunk in enumerate(re.split(r"%(?:\([^)]*\))?[-+ #0]*\d*(?:\.\d+)?[sdrfgi]", text)):
        if i:
            out.append(None)
        out.append(chunk.replace("%%", "%"))
    return out


def _dotformat(t: list[str | None]) -> list[str | None]:
    text = "".join(p for p in t if p is not None)
    out: list[str | None] = []
    for i, chunk in enumerate(re.split(r"(?<!\{)\{[^{}]*\}(?!\})", text)):
        if i:
            out.append(None)
        out.append(chunk.replace("{{", "{").replace("}}", "}"))
    return out


def render(pieces: list[str | None]) -> str:
    """The template text: literal pieces with braces doubled, placeholders numbered."""
    out, n = [], 0
    for piece in pieces:
        if piece is None:
            out.append(f"{{{n}}}")
            n += 1
        else:
            out.append(_esc(piece))
    return "".join(out)


def translatable(template: str) -> bool:
    """Whether a template has words to translate: English, possibly with a Chinese aside."""
    literal = re.sub(r"\{\d+\}", "", template)
    if _CJK.search(literal):  # Chinese already, unless it is English with a Chinese aside
        return bool(_SENTENCE.search(literal))
    return bool(_LETTER.search(literal))


def _call_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _arg(node: ast.Call, index: int, keyword: str) -> ast.expr | None:
    for kw in node.keywords:
        if kw.arg == keyword:
            return kw.value
    if len(node.args) > index and not isinstance(node.args[index], ast.Starred):
        return node.args[index]
    return None


def _message_args(
    node: ast.Call, errors: set[str], found: Found, rel: str, imports: dict[str, str]
) -> Iterator[ast.expr]:
    name = _call_name(node)
    for module, helper, index, param in list(found.helpers):
        if name == helper and imports.get(name, rel) == module:
            arg = _arg(node, index, param)
            if arg is not None:
                yield arg
    if name in errors:
        arg = _arg(node, 0, "message")
        if arg is not None:
            yield arg
    elif name == "Problem":
        arg = _arg(node, 2, "message")
        if arg is not None:
            yield arg
    elif name == "missing_extra":
        arg = _arg(node, 2, "purpose")
        if arg is not None:
            yield arg
    elif name == "warn" and isinstance(node.func, ast.Attribute):
        arg = _arg(node, 0, "message")
        if arg is not None:
            yield arg
    elif name == "_init_problems":  # the first line of an error that lists problems
        arg = _arg(node, 1, "prefix")
        if arg is not None:
            yield arg
    elif name in {"N_", "say", "tr"}:  # marked, or printed by the command line translated
        arg = _arg(node, 0, "message")
        if arg is not None:
            yield arg


def _has_cjk_branch(node: ast.expr) -> bool:
    return any(
        isinstance(n, ast.Constant) and isinstance(n.value, str) and _CJK.search(n.value)
        for n in ast.walk(node)
    )


def scan(root: Path = SRC) -> Found:
    """Every message template under ``root`` with where it is, and what cannot be seen."""
    errors = _error_classes()
    trees: dict[str, ast.Module] = {
        path.relative_to(root.parent).as_posix(): ast.parse(path.read_text(encoding="utf-8"))
        for path in sorted(root.rglob("*.py"))
    }
    imports = {rel: _imports(tree, trees) for rel, tree in trees.items()}
    seen: set[tuple[str, str, int, str]] = set()
    while True:
        found = Found(helpers=set(seen))
        for rel, tree in trees.items():
            _visit(tree, [tree], rel, errors, found, imports[rel])
            if rel in SWEPT:
                _sweep(tree, rel, found)
        if found.helpers <= seen:
            return found
        seen |= found.helpers


def _imports(tree: ast.AST, trees: dict[str, ast.AST]) -> dict[str, str]:
    """Names a module imports from gridgov's modules, with the file each comes from."""
    out = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("gridgov"):
            base = node.module.replace(".", "/")
            path = f"{base}.py" if f"{base}.py" in trees else f"{base}/__init__.py"
            for alias in node.names:
                out[alias.asname or alias.name] = path
    return out


#: Functions whose messages travel in tuples or table columns the scan cannot follow: every
#: sentence in them (a string literal with letters and a space, not a docstring) is a message.
SWEPT = {
    "gridgov/errors.py": {"_summarise"},  # the count line of every error that lists problems
    "gridgov/org/_integrity.py": None,  # (location, message) pairs handed to _capped
    "gridgov/org/tables.py": {"_validate_frame", "id_problem_masks"},
    "gridgov/org/_fields.py": {"id_problem_masks"},
    "gridgov/service/log.py": None,  # messages in the problems frame's "message" column
    "gridgov/scoring/credit.py": {"_problems", "_band_problems"},
}


def _sweep(tree: ast.Module, rel: str, found: Found) -> None:
    functions = SWEPT[rel]
    docstrings = {
        id(n.body[0].value)
        for n in ast.walk(tree)
        if isinstance(n, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and n.body
        and isinstance(n.body[0], ast.Expr)
        and isinstance(n.body[0].value, ast.Constant)
    }
    roots = [
        n
        for n in ast.walk(tree)
        if functions is None
        or (isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.name in functions)
    ][: 1 if functions is None else None]
    for root in roots:
        inside = {id(v) for n in ast.walk(root) if isinstance(n, ast.JoinedStr) for v in n.values}
        for n in ast.walk(root):
            if id(n) in docstrings or id(n) in inside:
                continue
            if isinstance(n, ast.Constant | ast.JoinedStr) and (
                isinstance(n, ast.JoinedStr) or isinstance(n.value, str)
            ):
                pieces = _Templater([tree], found, rel).templates(n)[0]
                if isinstance(n, ast.Constant) and "{}" in n.value:
                    pieces = _dotformat(pieces)
                for line in render(pieces).split("\n"):
                    template = line.strip()
                    if translatable(template) and " " in template:
                        found.templates.setdefault(template, []).append(f"{rel}:{n.lineno}")


def _visit(
    node: ast.AST,
    scopes: list[ast.AST],
    rel: str,
    errors: set[str],
    found: Found,
    imports: dict[str, str],
) -> None:
    for child in ast.iter_child_nodes(node):
        inner = scopes
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            inner = [*scopes, child]
        if isinstance(child, ast.Call):
            for arg in _message_args(child, errors, found, rel, imports):
                _record(arg, inner, f"{rel}:{child.lineno}", found)
        _visit(child, inner, rel, errors, found, imports)


def _record(arg: ast.expr, scopes: list[ast.AST], where: str, found: Found) -> None:
    if _has_cjk_branch(arg) and isinstance(arg, ast.IfExp):
        return  # already bilingual at the call
    try:
        pieces = _Templater(scopes, found, where).templates(arg)
    except _InvisibleError:
        if where.rsplit(":", 1)[0] in SWEPT:
            return
        found.hidden.append(f"{where}: {ast.unparse(arg)}")
        return
    for p in pieces:
        for line in render(p).split("\n"):
            template = line.strip()
            if translatable(template):
                found.templates.setdefault(template, []).append(where)


def _toml_string(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    import json

    return json.dumps(text, ensure_ascii=False)


def read_catalogue(path: Path = CATALOGUE) -> dict[str, dict[str, str]]:
    """The catalogue's sections: ``messages`` (from the source) and ``external``."""
    import tomllib

    if not path.exists():
        return {"messages": {}, "external": {}, "terms": {}}
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {k: dict(data.get(k, {})) for k in ("messages", "external", "terms")}


#: what a structure's references name, as the integrity checks say it ("organisation 'O9'
#: does not exist"), beside the vocabulary's codes
REFERENCE_TERMS = {
    "area": "区域",
    "chair": "轮值主席",
    "compound": "小区",
    "employer": "工作单位",
    "host": "承办单位",
    "lead": "牵头单位",
    "member": "成员",
    "organisation": "组织",
    "parent": "上级",
    "person": "人员",
    "post": "职位",
    "supervisor": "监管单位",
}


def vocabulary_terms() -> dict[str, str]:
    """The domain's terms by code (levels, organisation and post kinds) and their labels."""
    from gridgov.org.vocab import AreaLevel, OrgKind, PostKind

    terms = {str(m.value): m.label_zh for e in (AreaLevel, OrgKind, PostKind) for m in e}
    return terms | {k: v for k, v in REFERENCE_TERMS.items() if k not in terms}


_HEADER = """\
# gridgov's message catalogue, English → Chinese (read by gridgov._i18n; checked by
# tests/test_messages.py against the messages in the source).
#
# [messages]: every message template of gridgov's source: its literal text with each
# {expression} replaced by a numbered placeholder {0}, {1} … (literal braces doubled). The
# Chinese template holds the same placeholders, in any order. Regenerate the list after code
# changes with `python tests/_message_scan.py --update` (new entries get an empty Chinese form,
# which the test refuses until it is written; entries no message uses any more are dropped).
# [external]: messages of the libraries gridgov shows as they are (click's usage errors,
# the operating system's, pydantic's, the json module's), kept by hand.
# [terms]: codes of gridgov.org.vocab (levels, organisation and post kinds) with their
# label_zh, for a placeholder that holds one ("no grid 'G9' in the structure"); written
# from the vocabulary by --update.
"""


def write_catalogue(
    templates: dict[str, list[str]], old: dict[str, dict[str, str]], path: Path = CATALOGUE
) -> None:
    """Write the catalogue: one entry per template, grouped by the file it first appears in."""
    lines = [_HEADER, "[messages]"]
    by_file: dict[str, list[str]] = {}
    for template, where in templates.items():
        by_file.setdefault(min(where).rsplit(":", 1)[0], []).append(template)
    for rel in sorted(by_file):
        lines.append(f"\n# {rel}")
        for template in sorted(by_file[rel]):
            zh = old["messages"].get(template, "")
            lines.append(f"{_toml_string(template)} = {_toml_string(zh)}")
    lines.append("\n[external]")
    for template, zh in old["external"].items():
        lines.append(f"{_toml_string(template)} = {_toml_string(zh)}")
    lines.append("\n[terms]")
    for code, zh in vocabulary_terms().items():
        lines.append(f"{_toml_string(code)} = {_toml_string(zh)}")
    path.parent.mkdir(exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    result = scan()
    print(len(result.templates), "templates;", len(result.hidden), "hidden")
    for h in result.hidden:
        print("HIDDEN", h)
    if "--list" in sys.argv:
        for t, w in sorted(result.templates.items()):
            print(repr(t), w[0])
    old = read_catalogue()
    missing = sorted(set(result.templates) - set(old["messages"]))
    stale = sorted(set(old["messages"]) - set(result.templates))
    print(len(missing), "missing;", len(stale), "stale")
    if "--update" in sys.argv:
        write_catalogue(result.templates, old)
        print("wrote", CATALOGUE)
    if "--helpers" in sys.argv:
        for h in sorted(result.helpers):
            print("HELPER", h)
