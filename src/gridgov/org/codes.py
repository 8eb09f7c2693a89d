"""Grid-code schemes: fixed-width numeric codes that nest district, street, community and grid.

A *code scheme* describes one fixed-width layout of digits. Each part of a code belongs to an
area level (``"district"``, ``"street"``, ``"community"``, ``"grid"`` — the values of
:class:`~gridgov.org.vocab.AreaLevel`) or, for a leading qualifier such as the CJ/T 349
service object, to no level at all. A part made only of zeros means "this level is not
reached": the civil-affairs code of a street is its county code, its street code and
``000``. So one scheme codes every level of its tree, and a child's code always starts with
its parent's *significant prefix* — the digits up to and including the parent's own level.

Three schemes are built in; more can be plugged in (see :func:`register_scheme` and the
entry-point group ``gridgov.code_schemes``).

=================  =====  ===========================================================  ==========
name               digits layout                                                       source
=================  =====  ===========================================================  ==========
civil_affairs_12   12     6 district + 3 street + 3 community                          [1]_–[3]_
db11_15            15     6 district + 3 street + 3 community + 3 grid                 [4]_
cjt349_20          20     6 service object + 6 district + 3 street + 3 community       [5]_
                          + 2 grid
=================  =====  ===========================================================  ==========

Details the schemes enforce or report:

- ``civil_affairs_12`` and ``cjt349_20``: the street part follows GB/T 10114, which assigns
  001–099 to sub-district offices (街道), 100–199 to towns (镇), 200–399 to townships (乡) and
  400–599 to units treated like townships (开发区, farms…); 600–999 are rejected.
- ``db11_15``: street codes follow the Beijing list DB11/T 064, so their range is not checked;
  grid numbers run west to east, north to south within a community.
- ``cjt349_20``: a grid formed by merging two or more communities takes a community part from
  601 upwards (flag ``merged_communities``); a community that is not subdivided has grid part
  ``00`` (flag ``undivided_community``), so its one grid carries the community's own code and
  parses at level ``"community"``. When the service object is a major category its last two
  digits are ``00``.

Examples
--------
>>> p = CIVIL_AFFAIRS_12.parse("230522100001")
>>> dict(p.parts), p.level, p.prefix
({'district': '230522', 'street': '100', 'community': '001'}, 'community', '230522100001')
>>> CIVIL_AFFAIRS_12.level_of("230522100000")
'street'
>>> CIVIL_AFFAIRS_12.check_child("230522100000", "230522100001") is None
True
>>> print(CIVIL_AFFAIRS_12.check_child("230522101000", "230522100001"))
civil_affairs_12: child '230522100001' does not carry its parent's prefix '230522101' \
(parent '230522101000' at level 'street')
>>> DB11_15.format(district=110105, street=1, community=24, grid=3)
'110105001024003'
>>> g = CJT349_20.parse("10010052032100360100")
>>> g.level, g.merged_communities, g.undivided_community
('community', True, True)
>>> get_scheme("db11_15") is DB11_15
True

References
----------
.. [1] GB/T 2260, *Codes for the administrative divisions of the People's Republic of China*
   (中华人民共和国行政区划代码): the six-digit province/prefecture/county code.
.. [2] GB/T 10114-2003, *Rules of coding for the administrative divisions under county*
   (县级以下行政区划代码编制规则): the three-digit street/town code and its ranges, as restated
   in [3]_ and in the NBS code lists; the text of GB/T 10114 itself was not consulted.
.. [3] National Bureau of Statistics, 统计用区划代码和城乡划分代码编制规则: positions 1–2
   province, 3–4 prefecture, 5–6 county, 7–9 township, 10–12 village-level (居委会/村委会).
   Restated by the Gansu statistics bureau,
   http://tjj.gansu.gov.cn/HdApp/HdBas/HdClsContentDisp.asp?Id=11689. The civil-affairs
   rule (民政统计代码编制规则, 民发〔2002〕170号) that DB11/T 2157 cites for community codes
   uses the same 6 + 3 + 3 layout according to secondary sources; its text was not consulted.
.. [4] DB11/T 2157-2023, *Grid city management system — unit grid division*
   (网格化城市管理系统 单元网格划分), §5.2–5.4: a 15-digit unit-grid identifier of 6-digit
   district code (GB/T 2260), 3-digit street code (DB11/T 064), 3-digit community (village)
   code and 3-digit grid sequence number. Read from a preview of the standard,
   https://renrendoc.com/paper/357496345.html. No published example code was found.
.. [5] CJ/T 349-2010, *Digital community management and service — rules for grid division
   and coding* (数字社区管理与服务 网格划分与编码规则), §5.2–5.7. Read from a preview of the
   standard, https://wnwk.com/doc/48162.html. The service-object codes come from
   CJ/T 348-2010, which was not consulted, so their values are not checked; no published
   example code was found. The community part "refers to" CJ/T 213-2005 (城市市政综合监管
   信息系统 单元网格划分与编码规则, the digital city-management unit-grid standard), whose own
   layout is not modelled here.
"""

from __future__ import annotations

import difflib
import importlib.metadata
import itertools
import os
import threading
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from gridgov.errors import GridCodeError, PluginError

__all__ = [
    "CIVIL_AFFAIRS_12",
    "CJT349_20",
    "DB11_15",
    "DISABLE_PLUGINS_ENV",
    "ENTRY_POINT_GROUP",
    "CodeCheck",
    "CodeFlag",
    "CodePart",
    "CodeScheme",
    "ParsedCode",
    "available_schemes",
    "get_scheme",
    "register_scheme",
]

#: Entry-point group through which other packages contribute :class:`CodeScheme` objects.
ENTRY_POINT_GROUP = "gridgov.code_schemes"

#: Set this environment variable (to anything but ``""``, ``"0"``, ``"false"`` or ``"no"``)
#: to ignore third-party code schemes; the built-in schemes stay available.
DISABLE_PLUGINS_ENV = "GRIDGOV_DISABLE_PLUGINS"

# Area levels from the top down; the same string values as gridgov.org.vocab.AreaLevel (a test
# keeps them in step). Kept here so that this module imports nothing but gridgov.errors.
_LEVEL_ORDER: tuple[str, ...] = (
    "district",
    "street",
    "community",
    "grid",
    "micro_grid",
    "building",
    "unit",
    "household",
)

#: A cross-part rule: given the parts of a code (name → digits), a problem sentence or ``None``.
CodeCheck = Callable[[Mapping[str, str]], "str | None"]


@dataclass(frozen=True, slots=True)
class CodePart:
    """One fixed-width run of digits in a code.

    Parameters
    ----------
    name : str
        Key of the part in :attr:`ParsedCode.parts` and keyword of :meth:`CodeScheme.format`;
        for an area part, by convention the level's name.
    width : int
        Number of digits.
    level : str or None, default None
        The area level the part codes (``"district"``, ``"street"``, ``"community"``,
        ``"grid"``, …), or ``None`` for a qualifier that is not an area level (the CJ/T 349
        service object). Qualifiers must come before every area part.
    label_zh : str, default ""
        The part's name in the standard, for reports.
    max_value : int or None, default None
        Largest value the part may take, when its standard restricts the range.
    """

    name: str
    width: int
    level: str | None = None
    label_zh: str = ""
    max_value: int | None = None

    def __post_init__(self) -> None:
        if not self.name.isidentifier():
            raise GridCodeError(f"code part name {self.name!r} is not a Python identifier")
        if self.width < 1:
            raise GridCodeError(f"code part {self.name!r}: width must be at least 1")
        if self.level is not None and self.level not in _LEVEL_ORDER:
            raise GridCodeError(
                f"code part {self.name!r}: unknown level {self.level!r}; "
                f"levels: {', '.join(_LEVEL_ORDER)}"
            )
        if self.max_value is not None and not 0 < self.max_value < 10**self.width:
            raise GridCodeError(
                f"code part {self.name!r}: max_value {self.max_value} does not fit "
                f"{self.width} digit(s)"
            )


@dataclass(frozen=True, slots=True)
class CodeFlag:
    """A named property of a code that a scheme reports on every parse.

    Parameters
    ----------
    name : str
        The flag's name, as found in :attr:`ParsedCode.flags`.
    description : str
        One sentence saying what the flag means, with its source.
    test : callable
        Given the parts of a code (name → digits), whether the flag is set.
    """

    name: str
    description: str
    test: Callable[[Mapping[str, str]], bool] = field(repr=False)


@dataclass(frozen=True, slots=True)
class ParsedCode:
    """A code split into its parts, with its level, significant prefix and flags.

    Attributes
    ----------
    code : str
        The code as given.
    scheme : str
        Name of the scheme it was parsed with.
    parts : Mapping[str, str]
        Read-only, ordered mapping from part name to its digits.
    level : str
        The deepest area level whose part is not all zeros.
    prefix : str
        The digits up to and including the part of :attr:`level`; every descendant's code
        starts with it.
    flags : frozenset of str
        Names of the scheme's :class:`CodeFlag` objects that hold for this code.

    Examples
    --------
    >>> p = DB11_15.parse("110105001024003")
    >>> p.level, p.prefix, p["grid"], str(p)
    ('grid', '110105001024003', '003', '110105001024003')
    """

    code: str
    scheme: str
    parts: Mapping[str, str] = field(hash=False)
    level: str
    prefix: str
    flags: frozenset[str] = frozenset()

    def __getitem__(self, part: str) -> str:
        """Return the digits of ``part``."""
        return self.parts[part]

    def __str__(self) -> str:
        return self.code

    @property
    def merged_communities(self) -> bool:
        """Whether the code is a grid formed from merged communities (CJ/T 349: 601 onwards)."""
        return "merged_communities" in self.flags

    @property
    def undivided_community(self) -> bool:
        """Whether the code is the one grid of a community that is not subdivided (CJ/T 349)."""
        return "undivided_community" in self.flags


@dataclass(frozen=True)
class CodeScheme:
    """A fixed-width numeric code layout: its parts, levels, rules and flags.

    Parameters
    ----------
    name : str
        Registry key, e.g. ``"civil_affairs_12"``.
    label_en, label_zh : str
        Human names for reports.
    parts : tuple of CodePart
        The layout from left to right. Qualifier parts (``level=None``) come first; area parts
        follow from the top level down, each at a deeper level than the one before.
    flags : tuple of CodeFlag, default ()
        Properties reported on each parsed code.
    checks : tuple of callable, default ()
        Extra rules across parts; each returns a problem sentence or ``None``.
    reference : str, default ""
        The standard that defines the layout.

    Attributes
    ----------
    length : int
        Total number of digits.
    levels : tuple of str
        Area levels coded, from the top down.

    Raises
    ------
    GridCodeError
        If the layout is inconsistent (duplicate part names, a qualifier after an area part,
        levels out of order, no area part).
    """

    name: str
    label_en: str
    label_zh: str
    parts: tuple[CodePart, ...]
    flags: tuple[CodeFlag, ...] = ()
    checks: tuple[CodeCheck, ...] = field(default=(), repr=False)
    reference: str = ""
    length: int = field(init=False, compare=False)
    levels: tuple[str, ...] = field(init=False, compare=False, repr=False)
    _spans: tuple[tuple[int, int], ...] = field(init=False, compare=False, repr=False)
    _level_end: Mapping[str, int] = field(init=False, compare=False, repr=False, hash=False)

    def __post_init__(self) -> None:
        self._check_layout()
        spans: list[tuple[int, int]] = []
        start = 0
        for part in self.parts:
            spans.append((start, start + part.width))
            start += part.width
        level_end = {p.level: end for p, (_, end) in zip(self.parts, spans, strict=True) if p.level}
        object.__setattr__(self, "length", start)
        object.__setattr__(self, "levels", tuple(level_end))
        object.__setattr__(self, "_spans", tuple(spans))
        object.__setattr__(self, "_level_end", MappingProxyType(level_end))

    def _check_layout(self) -> None:
        where = f"code scheme {self.name!r}"
        if not self.name:
            raise GridCodeError("a code scheme needs a non-empty name")
        if not self.parts:
            raise GridCodeError(f"{where} has no parts")
        names = [p.name for p in self.parts]
        if len(set(names)) != len(names):
            raise GridCodeError(f"{where} repeats a part name: {', '.join(names)}")
        depths = [_LEVEL_ORDER.index(p.level) for p in self.parts if p.level is not None]
        if not depths:
            raise GridCodeError(f"{where} has no area part (a part with a level)")
        first_area = next(i for i, p in enumerate(self.parts) if p.level is not None)
        if any(p.level is None for p in self.parts[first_area:]):
            raise GridCodeError(f"{where}: qualifier parts (level=None) must precede area parts")
        if any(a >= b for a, b in itertools.pairwise(depths)):
            raise GridCodeError(f"{where}: area parts must go strictly deeper from left to right")

    # -- describing ------------------------------------------------------------------------

    @property
    def layout(self) -> str:
        """The layout in words, e.g. ``"6 district + 3 street + 3 community"``.

        Examples
        --------
        >>> CJT349_20.layout
        '6 service_object + 6 district + 3 street + 3 community + 2 grid'
        """
        return " + ".join(f"{p.width} {p.name}" for p in self.parts)

    def _fail(self, code: object, problem: str) -> GridCodeError:
        return GridCodeError(f"{self.name}: code {code!r} {problem}")

    def _level_known(self, level: str) -> str:
        level = str(level)
        if level not in self._level_end:
            raise GridCodeError(
                f"{self.name}: level {level!r} is not coded by this scheme; "
                f"levels: {', '.join(self.levels)}"
            )
        return level

    # -- parsing ---------------------------------------------------------------------------

    def parse(self, code: str) -> ParsedCode:
        """Split ``code`` into its parts and find its level, prefix and flags.

        Parameters
        ----------
        code : str
            Exactly :attr:`length` ASCII digits, nothing else (no spaces, no separators).

        Returns
        -------
        ParsedCode

        Raises
        ------
        GridCodeError
            Naming the code, the scheme and what is wrong: not a string, wrong length, a
            character that is not a digit, no district, a non-zero part below an all-zero one,
            a part over its maximum, or a failed scheme check.

        Examples
        --------
        >>> CIVIL_AFFAIRS_12.parse("230822001000").level
        'street'
        >>> CIVIL_AFFAIRS_12.parse("23082200100")
        Traceback (most recent call last):
        ...
        gridgov.errors.GridCodeError: civil_affairs_12: code '23082200100' has 11 characters, \
expected 12 (6 district + 3 street + 3 community)
        """
        if not isinstance(code, str):
            raise self._fail(code, f"is a {type(code).__name__}, not a str")
        if len(code) != self.length:
            raise self._fail(
                code, f"has {len(code)} characters, expected {self.length} ({self.layout})"
            )
        if not (code.isascii() and code.isdigit()):
            bad = next(ch for ch in code if not ("0" <= ch <= "9"))
            raise self._fail(code, f"contains {bad!r}; only the digits 0-9 are allowed")
        parts: dict[str, str] = {}
        level: str | None = None
        end = 0
        empty_above: str | None = None
        for part, (start, stop) in zip(self.parts, self._spans, strict=True):
            digits = code[start:stop]
            parts[part.name] = digits
            if part.level is None:
                continue
            if digits.strip("0"):
                if empty_above is not None:
                    raise self._fail(
                        code,
                        f"has {part.name} part {digits} under an empty {empty_above} part; "
                        "parts below an all-zero part must be zero",
                    )
                if part.max_value is not None and int(digits) > part.max_value:
                    raise self._fail(
                        code,
                        f"has {part.name} part {digits}, above the largest allowed "
                        f"{part.max_value:0{part.width}d}",
                    )
                level, end = part.level, stop
            elif empty_above is None:
                empty_above = part.name
        if level is None:
            first = next(p for p in self.parts if p.level is not None)
            raise self._fail(code, f"has an all-zero {first.name} part; it names no area")
        view = MappingProxyType(parts)
        for check in self.checks:
            problem = check(view)
            if problem:
                raise self._fail(code, problem)
        flags = frozenset(f.name for f in self.flags if f.test(view))
        return ParsedCode(code, self.name, view, level, code[:end], flags)

    def is_valid(self, code: str) -> bool:
        """Whether ``code`` parses under this scheme.

        Examples
        --------
        >>> DB11_15.is_valid("110105001024003"), DB11_15.is_valid("11010500102400A")
        (True, False)
        """
        try:
            self.parse(code)
        except GridCodeError:
            return False
        return True

    def level_of(self, code: str) -> str:
        """Return the area level ``code`` denotes (its deepest non-zero area part).

        Examples
        --------
        >>> DB11_15.level_of("110105001000000")
        'street'
        """
        return self.parse(code).level

    # -- building --------------------------------------------------------------------------

    def format(self, /, **parts: str | int) -> str:
        """Build a code from its parts, zero-padding each to its width.

        Parameters
        ----------
        **parts : str or int
            One keyword per part name. Qualifier parts and the first area part are required;
            area parts left out are zero (the code then denotes a shallower level). A string
            must be ASCII digits; both strings and numbers may be shorter than the width.

        Returns
        -------
        str
            The code, already checked with :meth:`parse`.

        Raises
        ------
        GridCodeError
            For an unknown or missing part, a negative number, a value wider than its part,
            or a code that does not parse.

        Examples
        --------
        >>> CIVIL_AFFAIRS_12.format(district="520321", street=1)
        '520321001000'
        >>> CIVIL_AFFAIRS_12.format(district=520321, road=1)
        Traceback (most recent call last):
        ...
        gridgov.errors.GridCodeError: civil_affairs_12: unknown part(s) road; \
parts: district, street, community
        """
        known = {p.name for p in self.parts}
        unknown = [name for name in parts if name not in known]
        if unknown:
            raise GridCodeError(
                f"{self.name}: unknown part(s) {', '.join(unknown)}; "
                f"parts: {', '.join(p.name for p in self.parts)}"
            )
        first_area = next(p.name for p in self.parts if p.level is not None)
        chunks: list[str] = []
        for part in self.parts:
            if part.name not in parts:
                if part.level is None or part.name == first_area:
                    raise GridCodeError(f"{self.name}: part {part.name!r} is required")
                chunks.append("0" * part.width)
                continue
            chunks.append(self._pad(part, parts[part.name]))
        return self.parse("".join(chunks)).code

    def _pad(self, part: CodePart, value: str | int) -> str:
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise GridCodeError(
                f"{self.name}: part {part.name!r} must be a str or int, not {type(value).__name__}"
            )
        if isinstance(value, int):
            if value < 0:
                raise GridCodeError(f"{self.name}: part {part.name!r} is negative ({value})")
            digits = str(value)
        else:
            digits = value
            if not (digits.isascii() and digits.isdigit()):
                raise GridCodeError(
                    f"{self.name}: part {part.name!r} must be digits, got {value!r}"
                )
        if len(digits) > part.width:
            raise GridCodeError(
                f"{self.name}: part {part.name!r} is {part.width} digit(s) wide; "
                f"{value!r} does not fit"
            )
        return digits.zfill(part.width)

    def child_code(self, parent_code: str, number: int) -> str:
        """Return the code of child ``number`` one level below ``parent_code``.

        Parameters
        ----------
        parent_code : str
            A valid code at any level but the deepest.
        number : int
            The child's sequence number in its part, from 1.

        Returns
        -------
        str

        Raises
        ------
        GridCodeError
            If the parent is at the deepest level, or ``number`` is not in
            ``1 .. 10**width - 1`` (or above the part's maximum).

        Examples
        --------
        >>> DB11_15.child_code("110105001024000", 7)
        '110105001024007'
        >>> CJT349_20.child_code("10010052032100300000", 601)
        '10010052032100360100'
        """
        parent = self.parse(parent_code)
        index = self.levels.index(parent.level) + 1
        if index == len(self.levels):
            raise GridCodeError(
                f"{self.name}: {parent_code!r} is at the deepest level ({parent.level}); "
                "it has no children"
            )
        level = self.levels[index]
        part = next(p for p in self.parts if p.level == level)
        if isinstance(number, bool) or not isinstance(number, int) or number < 1:
            raise GridCodeError(f"{self.name}: child number must be an int >= 1, got {number!r}")
        fields: dict[str, str | int] = dict(parent.parts)
        fields[part.name] = number
        return self.format(**fields)

    # -- hierarchy -------------------------------------------------------------------------

    def truncate(self, code: str, level: str) -> str:
        """Return the code of the ancestor at ``level`` (``code`` itself at its own level).

        Raises
        ------
        GridCodeError
            If ``level`` is not coded by the scheme or is deeper than the code's level.

        Examples
        --------
        >>> DB11_15.truncate("110105001024003", "street")
        '110105001000000'
        """
        parsed = self.parse(code)
        level = self._level_known(level)
        if self.levels.index(level) > self.levels.index(parsed.level):
            raise self._fail(
                code, f"is at level {parsed.level!r}; it has no ancestor at level {level!r}"
            )
        end = self._level_end[level]
        return code[:end] + "0" * (self.length - end)

    def parent(self, code: str) -> str | None:
        """Return the code one level up, or ``None`` for a code at the scheme's top level.

        Examples
        --------
        >>> CIVIL_AFFAIRS_12.parent("230522100001"), CIVIL_AFFAIRS_12.parent("230522000000")
        ('230522100000', None)
        """
        index = self.levels.index(self.parse(code).level)
        return None if index == 0 else self.truncate(code, self.levels[index - 1])

    def check_child(
        self, parent_code: str, child_code: str, *, immediate: bool = False
    ) -> str | None:
        """Say what is wrong with ``child_code`` as a code under ``parent_code``.

        The child must lie strictly deeper than the parent and start with the parent's
        significant prefix (for CJ/T 349 that includes the service object).

        Parameters
        ----------
        parent_code, child_code : str
            Codes of the containing and the contained unit.
        immediate : bool, default False
            Also require the child to be exactly one level below the parent.

        Returns
        -------
        str or None
            A problem sentence naming both codes, or ``None`` when the pair is consistent.

        Raises
        ------
        GridCodeError
            If either code does not parse.

        Examples
        --------
        >>> print(DB11_15.check_child("110105001024000", "110105001024000"))
        db11_15: child '110105001024000' is at level 'community', not below its parent \
'110105001024000' at level 'community'
        """
        parent = self.parse(parent_code)
        child = self.parse(child_code)
        p_depth = self.levels.index(parent.level)
        c_depth = self.levels.index(child.level)
        if c_depth <= p_depth:
            return (
                f"{self.name}: child {child_code!r} is at level {child.level!r}, not below "
                f"its parent {parent_code!r} at level {parent.level!r}"
            )
        if not child_code.startswith(parent.prefix):
            return (
                f"{self.name}: child {child_code!r} does not carry its parent's prefix "
                f"{parent.prefix!r} (parent {parent_code!r} at level {parent.level!r})"
            )
        if immediate and c_depth != p_depth + 1:
            return (
                f"{self.name}: child {child_code!r} at level {child.level!r} skips "
                f"{self.levels[p_depth + 1]!r} below its parent {parent_code!r}"
            )
        return None


# -- built-in schemes ---------------------------------------------------------------------

_DISTRICT_ZH = "县级及县级以上行政区划代码"
_STREET_ZH = "街道（乡镇）代码"
# GB/T 10114: 001–099 街道, 100–199 镇, 200–399 乡, 400–599 units treated like townships.
_GBT10114_MAX = 599

CIVIL_AFFAIRS_12 = CodeScheme(
    name="civil_affairs_12",
    label_en="civil-affairs / statistical division code (12 digits)",
    label_zh="民政统计代码 / 统计用区划代码（12位）",
    parts=(
        CodePart("district", 6, "district", _DISTRICT_ZH),
        CodePart("street", 3, "street", _STREET_ZH, max_value=_GBT10114_MAX),
        CodePart("community", 3, "community", "村级（居委会、村委会）代码"),
    ),
    reference="GB/T 2260; GB/T 10114-2003; NBS 统计用区划代码和城乡划分代码编制规则",
)
"""The 12-digit county + street + community code (GB/T 2260 + GB/T 10114 + 3 digits)."""

DB11_15 = CodeScheme(
    name="db11_15",
    label_en="Beijing unit-grid identifier, DB11/T 2157-2023 (15 digits)",
    label_zh="北京市单元网格标识码（DB11/T 2157—2023，15位）",
    parts=(
        CodePart("district", 6, "district", "区级及区级以上行政区划代码"),
        CodePart("street", 3, "street", _STREET_ZH),
        CodePart("community", 3, "community", "社区（村）代码"),
        CodePart("grid", 3, "grid", "单元网格顺序码"),
    ),
    reference="DB11/T 2157-2023 网格化城市管理系统 单元网格划分, 5.2-5.4",
)
"""Beijing's 15-digit unit-grid identifier: the 12-digit community code + 3-digit grid number."""

_CJT_MERGED_FROM = 601


def _cjt_merged(parts: Mapping[str, str]) -> bool:
    return int(parts["community"]) >= _CJT_MERGED_FROM


def _cjt_undivided(parts: Mapping[str, str]) -> bool:
    return parts["grid"] == "00" and parts["community"] != "000"


CJT349_20 = CodeScheme(
    name="cjt349_20",
    label_en="digital-community grid code, CJ/T 349-2010 (20 digits)",
    label_zh="数字社区管理与服务网格编码（CJ/T 349—2010，20位）",
    parts=(
        CodePart("service_object", 6, None, "管理或服务对象代码"),
        CodePart("district", 6, "district", _DISTRICT_ZH),
        CodePart("street", 3, "street", _STREET_ZH, max_value=_GBT10114_MAX),
        CodePart("community", 3, "community", "社区代码"),
        CodePart("grid", 2, "grid", "专业网格顺序码"),
    ),
    flags=(
        CodeFlag(
            "merged_communities",
            "community part 601 or above: a grid formed by merging communities (CJ/T 349 5.6)",
            _cjt_merged,
        ),
        CodeFlag(
            "undivided_community",
            "grid part 00: the community is not subdivided and is one grid (CJ/T 349 5.7)",
            _cjt_undivided,
        ),
    ),
    reference="CJ/T 349-2010 数字社区管理与服务 网格划分与编码规则, 5.2-5.7",
)
"""CJ/T 349-2010's 20-digit grid code: service object + county + street + community + grid."""

_BUILTINS: tuple[CodeScheme, ...] = (CIVIL_AFFAIRS_12, DB11_15, CJT349_20)


# -- registry -----------------------------------------------------------------------------


def _plugins_disabled() -> bool:
    value = os.environ.get(DISABLE_PLUGINS_ENV, "").strip().lower()
    return value not in {"", "0", "false", "no"}


class _Registry:
    """Built-in schemes plus, once asked for, those contributed through entry points."""

    def __init__(self) -> None:
        self.schemes: dict[str, CodeScheme] = {s.name: s for s in _BUILTINS}
        self.plugins_loaded = False
        # Re-entrant: a plug-in being imported may itself call get_scheme().
        self._lock = threading.RLock()

    def ensure_plugins(self) -> None:
        with self._lock:
            if self.plugins_loaded:
                return
            self.plugins_loaded = True
            if not _plugins_disabled():
                self._load(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP))

    def _load(self, entry_points: Iterable[Any]) -> None:
        for ep in entry_points:
            where = f"code-scheme plug-in {ep.name!r} ({ep.value})"
            try:
                obj = ep.load()
                scheme = obj() if callable(obj) and not isinstance(obj, CodeScheme) else obj
            except Exception as exc:  # a broken plug-in must not break gridgov
                _warn(f"{where} failed to load and is skipped: {type(exc).__name__}: {exc}")
                continue
            if not isinstance(scheme, CodeScheme):
                _warn(f"{where} is a {type(scheme).__name__}, not a CodeScheme; skipped")
            elif scheme.name in self.schemes:
                _warn(f"{where} reuses the registered name {scheme.name!r}; skipped")
            else:
                self.schemes[scheme.name] = scheme


def _warn(message: str) -> None:
    warnings.warn(f"gridgov: {message}", RuntimeWarning, stacklevel=5)


_REGISTRY = _Registry()


def available_schemes() -> list[str]:
    """Names of every registered code scheme, sorted; loads plug-ins on first use.

    Examples
    --------
    >>> {"civil_affairs_12", "cjt349_20", "db11_15"} <= set(available_schemes())
    True
    """
    _REGISTRY.ensure_plugins()
    return sorted(_REGISTRY.schemes)


def get_scheme(name: str | CodeScheme) -> CodeScheme:
    """Return the registered scheme called ``name`` (a :class:`CodeScheme` as is).

    Raises
    ------
    GridCodeError
        For an unknown name; the message lists the available names.

    Examples
    --------
    >>> get_scheme("db11_16")
    Traceback (most recent call last):
    ...
    gridgov.errors.GridCodeError: unknown code scheme 'db11_16' (did you mean 'db11_15'?); \
available: ...civil_affairs_12, cjt349_20, db11_15...
    """
    if isinstance(name, CodeScheme):
        return name
    scheme = _REGISTRY.schemes.get(name)
    if scheme is not None:
        return scheme
    names = available_schemes()
    if name in _REGISTRY.schemes:
        return _REGISTRY.schemes[name]
    close = difflib.get_close_matches(str(name), names, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise GridCodeError(f"unknown code scheme {name!r}{hint}; available: {', '.join(names)}")


def register_scheme(scheme: CodeScheme, *, replace: bool = False) -> CodeScheme:
    """Add ``scheme`` to the registry under ``scheme.name`` and return it.

    Parameters
    ----------
    scheme : CodeScheme
        The scheme to register.
    replace : bool, default False
        Allow replacing a registered scheme of the same name.

    Returns
    -------
    CodeScheme
        ``scheme``, so the call can wrap a module-level definition.

    Raises
    ------
    PluginError
        If ``scheme`` is not a :class:`CodeScheme`.
    GridCodeError
        If the name is taken and ``replace`` is false.
    """
    given: object = scheme  # checked at run time: plug-in authors may pass anything
    if not isinstance(given, CodeScheme):
        raise PluginError(f"register_scheme needs a CodeScheme, got {type(given).__name__}")
    _REGISTRY.ensure_plugins()
    if scheme.name in _REGISTRY.schemes and not replace:
        raise GridCodeError(
            f"code scheme {scheme.name!r} is already registered; pass replace=True to replace it"
        )
    _REGISTRY.schemes[scheme.name] = scheme
    return scheme
