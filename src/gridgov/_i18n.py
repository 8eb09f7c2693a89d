"""Every message a user sees, in English or Chinese, from one catalogue.

gridgov writes its messages in English, in the source, where they are raised: ``raise
DataFileError(f"{path}: not valid JSON: {why}")``. Translating them *there* (``_("…")`` at
some six hundred sites, each with its own argument handling) would tie every module to a
language and make a message's wording live in two places. Instead the catalogue
``gridgov/locale/zh.toml`` maps each English message *template* — the literal text of the
source's string or f-string with each ``{expression}`` replaced by a numbered placeholder
``{0}``, ``{1}`` … — to its Chinese template, and :func:`translate` matches a finished English
message against the templates at display time and fills the Chinese one in (placeholders may
be reordered). The catalogue is checked against the source by ``tests/test_messages.py``,
which reads every message template out of the source with ``ast``: a message without its
Chinese form, or a catalogue entry no message uses any more, fails the tests.

Why not gettext: gettext needs each message wrapped at its site in a *format* string
(``_("{path}: not valid JSON").format(...)``), not an f-string, so adopting it means rewriting
every raise, in modules other people are changing, for no gain to English users. Matching at
display time costs a regular-expression match per message shown (about 60 µs; fifty thousand
problems of a bad ledger take three seconds) and one rule for ambiguity (below); in return the
source stays plain English and the test keeps source and catalogue in step.

Matching rules, so that a message composed of others translates too:

- the most specific template wins (the one with the most literal text);
- a placeholder's value that is a term of the domain (``grid``, ``party_branch``: the codes of
  :mod:`gridgov.org.vocab`, in the catalogue's ``[terms]``) is shown by its Chinese label;
- a placeholder's value that is itself a catalogue message is translated as well (``cannot
  generate that city: {0}`` with a known reason in ``{0}``), so are the parts of a value
  joined with ``"; "``, and a known message after a ``where: `` prefix;
- a multi-line message is translated line by line, keeping indentation and ``- `` bullets; a
  line of the form ``location: [code] message`` (a :class:`~gridgov.errors.Problem`) keeps its
  location and code and translates its message;
- text that matches nothing is shown as it is (a library's own message, a file name).

The language comes from the caller (``lang="zh"``), else from the environment variable
``GRIDGOV_LANG`` (``en`` or ``zh``), else English. The catalogue is read (``tomllib``) on the
first Chinese message only, so ``import gridgov`` stays fast; this module imports nothing of
gridgov, so every layer may use it, like :mod:`gridgov.errors`.

Examples
--------
>>> translate("no such file", "zh")
'没有这个文件'
>>> translate("households must be at least 1, got 0", "zh")
'households 至少为 1，实为 0'
>>> translate("cannot generate that city: households must be at least 1, got 0", "zh")
'无法生成该城市：households 至少为 1，实为 0'
>>> translate("events.txt: cannot read an event log from a .txt file; use one of .csv", "zh")
'events.txt：无法从 .txt 文件读取事件日志；请使用以下之一：.csv'
>>> translate("something gridgov never says", "zh")
'something gridgov never says'
>>> translate("no such file", "en")
'no such file'
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache, lru_cache

__all__ = ["ENV_LANG", "LANGS", "N_", "catalogue", "resolve_lang", "translate"]

#: The languages messages are shown in.
LANGS = ("en", "zh")
#: The environment variable that chooses the language when no ``lang`` is given.
ENV_LANG = "GRIDGOV_LANG"

_PLACEHOLDER = re.compile(r"\{(\d+)\}|\{\{|\}\}")
_WORD = re.compile(r"[A-Za-z]+")
_PROBLEM_LINE = re.compile(r"^(?P<head>.*?: \[[A-Za-z0-9_.-]+\] )(?P<message>.*)$", re.DOTALL)
_BULLET = re.compile(r"^(?P<lead>\s*(?:[-*•]\s+)?)(?P<body>.*?)(?P<tail>\s*)$", re.DOTALL)
_MAX_DEPTH = 4
_COLON = {"en": ": ", "zh": "："}
_NAMED = re.compile(r"(?P<term>[a-z_]+) (?P<id>\(.*\)|'.*')")
_CJK_END = re.compile(r"[\u3000-\u303f\uff00-\uffef]\Z")


def N_(text: str) -> str:  # noqa: N802  # gettext's name for "mark for translation"
    """Mark ``text`` as a message for the catalogue; returns it unchanged (English).

    Use it for text shown to users that is not the message of an error or problem (a progress
    label, a line the command line prints), so that the catalogue test finds it.

    Examples
    --------
    >>> N_("loading")
    'loading'
    """
    return text


def resolve_lang(lang: str | None = None) -> str:
    """The language to show messages in: ``lang``, else ``$GRIDGOV_LANG``, else ``"en"``.

    An unknown value falls back to English (a message must always be shown).

    Examples
    --------
    >>> resolve_lang("zh"), resolve_lang("fr")
    ('zh', 'en')
    """
    if lang is None:
        lang = os.environ.get(ENV_LANG, "en").strip().lower()
    return lang if lang in LANGS else "en"


def translate(text: str, lang: str | None = None) -> str:
    """``text`` (an English message of gridgov's) in ``lang``; unchanged when unknown or English.

    Parameters
    ----------
    text
        The message as gridgov writes it (English), possibly several lines.
    lang
        ``"en"`` or ``"zh"``; ``None`` reads ``GRIDGOV_LANG`` (default English).
    """
    lang = resolve_lang(lang)
    if lang == "en" or not text:
        return text
    if "\n" in text:
        return "\n".join(_line(line, lang) for line in text.split("\n"))
    return _line(text, lang)


def _line(line: str, lang: str) -> str:
    match = _BULLET.match(line)
    assert match is not None  # the pattern matches any text
    lead, body, tail = match.group("lead", "body", "tail")
    if not body:
        return line
    problem = _PROBLEM_LINE.match(body)
    if problem is not None and _translated(body, lang, 0) is None:
        head, message = problem.group("head", "message")
        body = f"{head}{_any(message, lang, 0)}"
    else:
        body = _any(body, lang, 0)
    return f"{lead}{body}{'' if _CJK_END.search(body) else tail}"


def _any(text: str, lang: str, depth: int) -> str:
    """``text`` translated if the catalogue knows it (or its ``;``-joined parts), else as is."""
    found = _translated(text, lang, depth)
    if found is not None:
        return found
    head, sep, rest = text.partition(": ")
    while sep:  # "where: message" with a known message after some prefix
        done = _translated(rest, lang, depth)
        if done is not None:
            return f"{head}{_COLON[lang]}{done.lstrip()}"
        more, sep, rest = rest.partition(": ")
        head = f"{head}: {more}"
    if "; " in text:
        parts = text.split("; ")
        each = [_translated(p, lang, depth) for p in parts]
        if any(d is not None for d in each):
            joiner = "；" if lang == "zh" else "; "
            return joiner.join(d if d is not None else p for d, p in zip(each, parts, strict=True))
    return text


@lru_cache(maxsize=8192)
def _translated(text: str, lang: str, depth: int) -> str | None:
    """The translation of one line, or None when no template matches it."""
    stripped = text.strip()
    if not stripped or depth > _MAX_DEPTH or not _WORD.search(stripped):
        return None
    catalogue = _catalogue(lang)
    exact = catalogue.exact.get(stripped)
    if exact is None and depth > 0 and " " not in stripped:
        # a single word in a placeholder is data (an id, a name), or a term of the domain
        # (a level, an organisation or post kind: "no grid 'G9' in the structure")
        term = catalogue.terms.get(stripped)
        return None if term is None else text.replace(stripped, term)
    if depth > 0 and (named := _NAMED.fullmatch(stripped)) and named["term"] in catalogue.terms:
        # a term and the id it names: "street (S1)", "grid 'G9'"
        return text.replace(named["term"], catalogue.terms[named["term"]], 1)
    result: str | None = exact
    if result is None:
        for entry in catalogue.candidates(stripped):
            match = entry.pattern.fullmatch(stripped)
            if match is not None:
                values = [_any(v, lang, depth + 1) if v else v for v in match.groups()]
                result = entry.fill(values)
                break
        if result is None:
            return None
    start = text[: len(text) - len(text.lstrip())]
    end = "" if _CJK_END.search(result) else text[len(text.rstrip()) :]
    return f"{start}{result}{end}"


@dataclass(frozen=True, slots=True)
class _Entry:
    template: str
    target: str
    pattern: re.Pattern[str]
    weight: int
    numbers: tuple[int, ...]

    def fill(self, values: list[str]) -> str:
        """The target template with each placeholder's value (from the English match)."""
        by_number = dict(zip(self.numbers, values, strict=True))

        def one(m: re.Match[str]) -> str:
            if m.group(1) is not None:
                return by_number.get(int(m.group(1)), m.group(0))
            return m.group(0)[0]

        return _PLACEHOLDER.sub(one, self.target)


class _Compiled:
    """The catalogue of one language, indexed by a word each template must contain."""

    def __init__(self, messages: dict[str, str], terms: dict[str, str]) -> None:
        self.terms = terms
        self.exact: dict[str, str] = {}
        compiled = []
        for template, target in messages.items():
            if not target:
                continue
            if _PLACEHOLDER.search(template):
                compiled.append(_compile(template, target))
            else:
                self.exact[template] = target
        # most specific first: an entry's place in this list is its rank
        self.entries = sorted(compiled, key=lambda e: (-e.weight, e.template))
        self.by_word: dict[str, list[int]] = {}
        self.anywhere: list[int] = []
        for rank, entry in enumerate(self.entries):
            word = _anchor(entry.template)
            if word is None:
                self.anywhere.append(rank)
            else:
                self.by_word.setdefault(word, []).append(rank)

    def candidates(self, text: str) -> list[_Entry]:
        """The templates that may match ``text``, most specific first."""
        ranks = list(self.anywhere)
        for word in set(_WORD.findall(text)):
            ranks.extend(self.by_word.get(word, ()))
        ranks.sort()
        return [self.entries[r] for r in ranks]


def _pieces(template: str) -> list[str | int]:
    """A template as literal text and placeholder numbers."""
    out: list[str | int] = []
    pos, literal = 0, ""
    for m in _PLACEHOLDER.finditer(template):
        literal += template[pos : m.start()]
        if m.group(1) is None:
            literal += m.group(0)[0]
        else:
            out.append(literal)
            out.append(int(m.group(1)))
            literal = ""
        pos = m.end()
    out.append(literal + template[pos:])
    return out


def _compile(template: str, target: str) -> _Entry:
    pieces = _pieces(template)
    regex = "".join("(.*?)" if isinstance(p, int) else re.escape(p) for p in pieces)
    numbers = tuple(p for p in pieces if isinstance(p, int))
    weight = sum(len(p) for p in pieces if isinstance(p, str))
    return _Entry(template, target, re.compile(regex, re.DOTALL), weight, numbers)


def _anchor(template: str) -> str | None:
    """The longest word of a template that cannot run into a placeholder's value."""
    best: str | None = None
    pieces = _pieces(template)
    for i, piece in enumerate(pieces):
        if not isinstance(piece, str):
            continue
        for m in _WORD.finditer(piece):
            if m.start() == 0 and i > 0:
                continue  # may continue a value's word
            if m.end() == len(piece) and i < len(pieces) - 1:
                continue
            if best is None or len(m.group(0)) > len(best):
                best = m.group(0)
    return best


@cache
def _catalogue(lang: str) -> _Compiled:
    data = catalogue(lang)
    messages: dict[str, str] = {}
    for section in ("external", "messages"):
        messages.update(data.get(section, {}))
    return _Compiled(messages, data.get("terms", {}))


def catalogue(lang: str = "zh") -> dict[str, dict[str, str]]:
    """The catalogue of ``lang`` as read from its file: ``{"messages", "external", "terms"}``."""
    import tomllib
    from importlib.resources import files

    data = tomllib.loads(
        files("gridgov").joinpath("locale", f"{lang}.toml").read_text(encoding="utf-8")
    )
    return {k: {str(a): str(b) for a, b in v.items()} for k, v in data.items()}
