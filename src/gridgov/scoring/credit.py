"""Credit rules as data: capped sections, uncapped penalties, grade bands, vetoes, red/black lists.

A :class:`CreditPolicy` is a pydantic model loaded from TOML or YAML. It describes

* **sections** of the score (基础分 / 加分 / 扣分): each ``basic``, ``bonus`` or ``penalty``,
  with an optional cap on its subtotal (e.g. basic <= 80, bonus <= 40; penalties usually
  uncapped);
* **grade bands** over the total score with explicit edge inclusion (``lower``, ``upper``,
  ``include_lower``, ``include_upper``) and optional conditions held as data
  (``requires_no_records_in = ["penalty"]``, ``otherwise = "C"``: "below 60 with no bad record
  is B, otherwise C"); bands are checked for gaps and overlaps over the reachable range;
* **one-vote vetoes** (一票否决): a valid record of a named kind (or any serious record)
  forces a grade such as ``"blacklist"``;
* **lists** (红榜 / 黑榜): membership by grade, veto and absence of bad records;
* **record validity**: a record counts from ``effective`` through ``expiry`` (both inclusive);
  without an expiry it counts for ``default_validity_months`` (one year by default); a
  serious record counts until it is rectified.

:func:`evaluate` scores every subject at once with numpy (10 000 subjects x 20 records in a
few tenths of a second from columns) and returns a :class:`CreditEvaluation`, a mapping
``subject -> CreditAssessment`` whose assessments are built on demand, each listing the rules
fired with English and Chinese text (:meth:`CreditAssessment.explain`).

Two example policies ship with gridgov (:func:`available_policies`), modelled on published
municipal and provincial rules for property-service enterprises; each states its ``source``
and which numbers are reported and which are illustrative.

Examples
--------
>>> import datetime as dt
>>> from gridgov.scoring.credit import CreditRecord, evaluate, load_policy
>>> policy = load_policy("shandong_property_services")
>>> records = [
...     CreditRecord(subject="Co1", kind="registration", section="basic", points=80,
...                  effective=dt.date(2024, 1, 1)),
...     CreditRecord(subject="Co1", kind="award_city", section="bonus", points=10,
...                  effective=dt.date(2024, 3, 1)),
... ]
>>> a = evaluate(policy, records, as_of=dt.date(2024, 6, 30))["Co1"]
>>> a.total, a.grade, a.lists
(90.0, 'AAA', ('red',))
"""

from __future__ import annotations

import datetime as dt
import math
import tomllib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from itertools import pairwise
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, TypeAlias

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from gridgov.errors import CreditPolicyError, ScoringError, missing_extra

__all__ = [
    "CreditAssessment",
    "CreditEvaluation",
    "CreditPolicy",
    "CreditRecord",
    "FiredRule",
    "Grade",
    "GradeBand",
    "Lang",
    "ListRule",
    "RecordKind",
    "RuleKind",
    "Section",
    "SectionKind",
    "VetoRule",
    "available_policies",
    "evaluate",
    "load_policy",
]

Lang: TypeAlias = Literal["en", "zh"]
SectionKind: TypeAlias = Literal["basic", "bonus", "penalty"]
RuleKind: TypeAlias = Literal[
    "basic", "bonus", "penalty", "base", "cap", "condition", "veto", "list", "ignored"
]
FloatArray: TypeAlias = npt.NDArray[np.float64]
BoolArray: TypeAlias = npt.NDArray[np.bool_]
IntArray: TypeAlias = npt.NDArray[np.int64]

_POLICY_PACKAGE = "gridgov.scoring.policies"
_POLICY_SUFFIXES = (".toml", ".yaml", ".yml")
#: Totals are rounded to this many decimals before banding (float noise must not miss an edge).
_TOTAL_DECIMALS = 9
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
_NAT = np.datetime64("NaT", "D")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


# --------------------------------------------------------------------------- policy parts


class Section(_Model):
    """One part of the credit score (基础分, 加分 or 扣分).

    Parameters
    ----------
    name : str
        Identifier used by records (``"basic"``, ``"bonus"``, ``"penalty"``).
    kind : {"basic", "bonus", "penalty"}
        ``"penalty"`` subtotals are subtracted; the others are added.
    cap : float, optional
        Upper bound of the section's subtotal (after summing its valid records); ``None``
        (the default) leaves it uncapped.
    label_en, label_zh : str
        Labels for explanations.
    """

    name: str = Field(min_length=1)
    kind: SectionKind
    cap: float | None = Field(default=None, ge=0.0, allow_inf_nan=False)
    label_en: str = ""
    label_zh: str = ""

    def label(self, lang: Lang = "en") -> str:
        """The label in ``lang``, falling back to the name."""
        text = self.label_zh if lang == "zh" else self.label_en
        return text or self.name


class Grade(_Model):
    """A credit grade; a policy lists its grades from best to worst."""

    code: str = Field(min_length=1)
    label_en: str = ""
    label_zh: str = ""

    def label(self, lang: Lang = "en") -> str:
        """The label in ``lang``, falling back to the code."""
        text = self.label_zh if lang == "zh" else self.label_en
        return text or self.code


def _fmt(x: float) -> str:
    return f"{x:g}"


class GradeBand(_Model):
    """A score interval mapped to a grade, with stated edge inclusion and an optional condition.

    Parameters
    ----------
    grade : str
        Grade given to totals in the interval (when the condition holds).
    lower, upper : float, optional
        Interval ends; ``None`` means unbounded below / above.
    include_lower : bool, default True
        Whether a total exactly equal to ``lower`` is in the band.
    include_upper : bool, default False
        Whether a total exactly equal to ``upper`` is in the band.
    requires_no_records_in : tuple of str
        Sections in which the subject must have no valid record (e.g. ``("penalty",)`` for
        "no bad record").
    requires_no_records_of : tuple of str
        Record kinds the subject must not have (valid) for the band's grade.
    otherwise : str, optional
        Grade given when the condition fails; required exactly when a condition is given.

    Examples
    --------
    >>> b = GradeBand(grade="AA", lower=80, upper=85)
    >>> b.interval(), b.contains(80.0), b.contains(85.0)
    ('[80, 85)', True, False)
    """

    grade: str = Field(min_length=1)
    lower: float | None = Field(default=None, allow_inf_nan=False)
    upper: float | None = Field(default=None, allow_inf_nan=False)
    include_lower: bool = True
    include_upper: bool = False
    requires_no_records_in: tuple[str, ...] = ()
    requires_no_records_of: tuple[str, ...] = ()
    otherwise: str | None = None

    @model_validator(mode="after")
    def _condition_complete(self) -> GradeBand:
        conditional = bool(self.requires_no_records_in or self.requires_no_records_of)
        if conditional and self.otherwise is None:
            raise ValueError(
                f"band of grade {self.grade!r} has a condition but no 'otherwise' grade"
            )
        if self.otherwise is not None and not conditional:
            raise ValueError(
                f"band of grade {self.grade!r} has 'otherwise' = {self.otherwise!r} but no "
                "condition (requires_no_records_in / requires_no_records_of)"
            )
        return self

    @property
    def conditional(self) -> bool:
        """Whether the band's grade depends on a condition."""
        return bool(self.requires_no_records_in or self.requires_no_records_of)

    @property
    def lo(self) -> float:
        """Lower end as a float (``-inf`` when unbounded)."""
        return -math.inf if self.lower is None else float(self.lower)

    @property
    def hi(self) -> float:
        """Upper end as a float (``inf`` when unbounded)."""
        return math.inf if self.upper is None else float(self.upper)

    def contains(self, total: float) -> bool:
        """Whether ``total`` lies in the band (edges as stated)."""
        above = total > self.lo or (self.include_lower and total == self.lo)
        below = total < self.hi or (self.include_upper and total == self.hi)
        return above and below

    def interval(self) -> str:
        """The interval in mathematical notation, e.g. ``'[60, 70)'``."""
        left = "[" if self.include_lower and self.lower is not None else "("
        right = "]" if self.include_upper and self.upper is not None else ")"
        lo = "-inf" if self.lower is None else _fmt(self.lower)
        hi = "inf" if self.upper is None else _fmt(self.upper)
        return f"{left}{lo}, {hi}{right}"


class VetoRule(_Model):
    """A one-vote veto (一票否决): a valid record of these kinds forces ``grade``.

    Parameters
    ----------
    name : str
        Identifier.
    grade : str
        The grade forced (the worse of it and the banded grade is kept).
    kinds : tuple of str
        Record kinds that trigger the veto.
    any_serious : bool, default False
        Any valid serious record also triggers it.
    label_zh, text_en, text_zh : str
        Labels and an explanation of the rule.
    """

    name: str = Field(min_length=1)
    grade: str = Field(min_length=1)
    kinds: tuple[str, ...] = ()
    any_serious: bool = False
    label_zh: str = ""
    text_en: str = ""
    text_zh: str = ""

    @model_validator(mode="after")
    def _has_trigger(self) -> VetoRule:
        if not self.kinds and not self.any_serious:
            raise ValueError(f"veto {self.name!r} needs trigger kinds or any_serious = true")
        return self


class ListRule(_Model):
    """Membership of a list such as the red list (红榜) or black list (黑榜).

    A subject is a member when (its grade is in ``grades``, or ``when_vetoed`` and a veto
    fired) and it has no valid record in ``requires_no_records_in`` nor of
    ``requires_no_records_of``.

    Examples
    --------
    Red list = grade AAA and no bad record; black list = vetoed or graded ``blacklist``:

    >>> red = ListRule(name="red", grades=("AAA",), requires_no_records_in=("penalty",))
    >>> black = ListRule(name="black", grades=("blacklist",), when_vetoed=True)
    """

    name: str = Field(min_length=1)
    label_en: str = ""
    label_zh: str = ""
    grades: tuple[str, ...] = ()
    when_vetoed: bool = False
    requires_no_records_in: tuple[str, ...] = ()
    requires_no_records_of: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _has_trigger(self) -> ListRule:
        if not self.grades and not self.when_vetoed:
            raise ValueError(f"list {self.name!r} needs grades or when_vetoed = true")
        return self

    def label(self, lang: Lang = "en") -> str:
        """The label in ``lang``, falling back to ``"<name> list"``."""
        if lang == "zh":
            return self.label_zh or f"{self.name}名单"
        return self.label_en or f"{self.name} list"


class RecordKind(_Model):
    """A catalogue entry of the scoring standard (评分标准): section, points and labels."""

    section: str = Field(min_length=1)
    points: float = Field(ge=0.0, allow_inf_nan=False)
    serious: bool = False
    label_en: str = ""
    label_zh: str = ""


class CreditRecord(_Model):
    """One credit record of a subject (a company, a grid, a volunteer…).

    Parameters
    ----------
    subject : str
        Id of the subject the record is about.
    kind : str
        What happened (``"award_city"``, ``"complaint_verified"``, ``"serious_dishonesty"``).
    section : str
        The policy section it scores in.
    points : float
        Non-negative magnitude; a penalty section subtracts it.
    effective : datetime.date
        First day the record counts.
    expiry : datetime.date, optional
        Last day the record counts (inclusive). Default: the policy's default validity.
    serious : bool, default False
        A serious record counts until ``rectified_on`` (its expiry is not used).
    rectified_on : datetime.date, optional
        Day the problem was rectified; a serious record no longer counts from that day.
    note : str
        Free text shown in explanations.

    Examples
    --------
    >>> import datetime as dt
    >>> CreditRecord(subject="Co1", kind="complaint_verified", section="penalty", points=2,
    ...              effective=dt.date(2024, 5, 1)).points
    2.0
    """

    subject: str = Field(min_length=1)
    kind: str = Field(min_length=1)
    section: str = Field(min_length=1)
    points: float = Field(ge=0.0, allow_inf_nan=False)
    effective: dt.date
    expiry: dt.date | None = None
    serious: bool = False
    rectified_on: dt.date | None = None
    note: str = ""

    @model_validator(mode="after")
    def _dates_ordered(self) -> CreditRecord:
        if self.expiry is not None and self.expiry < self.effective:
            raise ValueError(
                f"record {self.kind!r} of {self.subject!r}: expiry {self.expiry} is before "
                f"effective {self.effective}"
            )
        if self.rectified_on is not None and self.rectified_on < self.effective:
            raise ValueError(
                f"record {self.kind!r} of {self.subject!r}: rectified_on {self.rectified_on} "
                f"is before effective {self.effective}"
            )
        return self


# --------------------------------------------------------------------------- the policy


def _gap_in_range(
    left: tuple[float, bool], right: tuple[float, bool], reach: tuple[float, float]
) -> bool:
    """Whether the interval between two ends meets the closed range ``reach``.

    Each end is ``(value, excluded)``: ``excluded`` says the end point itself is not in the
    interval.
    """
    lo, hi = reach
    start, start_open = left if left[0] >= lo else (lo, False)
    end, end_open = right if right[0] <= hi else (hi, False)
    if start < end:
        return True
    return start == end and not start_open and not end_open and math.isfinite(start)


class CreditPolicy(_Model):
    """A complete credit policy; see the module docstring for the model.

    Construct it with :meth:`from_dict`, :meth:`from_toml`, :meth:`from_yaml` or
    :func:`load_policy`, which raise :class:`~gridgov.errors.CreditPolicyError` naming every
    problem. (Calling ``CreditPolicy(...)`` directly raises pydantic's ``ValidationError``, also
    a ``ValueError``, with the same messages.)

    Parameters
    ----------
    name : str
        Identifier of the policy.
    source : str
        The published rule the policy is modelled on.
    confidence : str
        How far the numbers are verified (``"reported"``, ``"assumed"``, …).
    notes : str
        Which values are illustrative.
    provenance : mapping of str to str
        Per-setting source or confidence notes.
    initial_score : float, default 0
        Points every subject starts with (e.g. a base of 90), outside the sections.
    base_section : str, optional
        Section receiving ``base_scores`` passed to :func:`evaluate`.
    default_validity_months : int, default 12
        Validity of a non-serious record without an expiry: it counts through the day before
        the same date ``default_validity_months`` later (the anniversary is clamped to the end
        of a shorter month).
    sections, grades, bands, vetoes, lists : sequences
        As described by :class:`Section`, :class:`Grade` (best first), :class:`GradeBand`,
        :class:`VetoRule` and :class:`ListRule`.
    kinds : mapping of str to RecordKind
        Optional catalogue of record kinds (the scoring standard); if given, every kind
        named by a rule must be in it.

    Raises
    ------
    gridgov.errors.CreditPolicyError
        Bands that overlap anywhere or leave a gap within the reachable score range, unknown
        grades, sections or kinds, duplicate names, a penalty ``base_section``.
    """

    name: str = Field(min_length=1)
    label_zh: str = ""
    source: str = Field(min_length=1)
    confidence: str = "assumed"
    notes: str = ""
    provenance: dict[str, str] = Field(default_factory=dict)
    initial_score: float = Field(default=0.0, allow_inf_nan=False)
    base_section: str | None = None
    default_validity_months: int = Field(default=12, ge=1, le=1200)
    sections: tuple[Section, ...] = Field(min_length=1)
    grades: tuple[Grade, ...] = Field(min_length=1)
    bands: tuple[GradeBand, ...] = Field(min_length=1)
    vetoes: tuple[VetoRule, ...] = ()
    lists: tuple[ListRule, ...] = ()
    kinds: dict[str, RecordKind] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> CreditPolicy:
        problems = self._problems()
        if problems:
            raise CreditPolicyError(
                f"credit policy {self.name!r} is inconsistent: " + "; ".join(problems)
            )
        return self

    # ---------------------------------------------------------------- checks

    def _references(self) -> Iterator[tuple[str, Literal["grade", "section", "kind"], str]]:
        """Every (where, what, name) reference the rules make to grades, sections and kinds."""
        for band in self.bands:
            where = f"band {band.interval()} of grade {band.grade!r}"
            yield where, "grade", band.grade
            if band.otherwise is not None:
                yield where, "grade", band.otherwise
            yield from ((where, "section", name) for name in band.requires_no_records_in)
            yield from ((where, "kind", name) for name in band.requires_no_records_of)
        for veto in self.vetoes:
            where = f"veto {veto.name!r}"
            yield where, "grade", veto.grade
            yield from ((where, "kind", name) for name in veto.kinds)
        for rule in self.lists:
            where = f"list {rule.name!r}"
            yield from ((where, "grade", code) for code in rule.grades)
            yield from ((where, "section", name) for name in rule.requires_no_records_in)
            yield from ((where, "kind", name) for name in rule.requires_no_records_of)
        for code, entry in self.kinds.items():
            yield f"kind {code!r}", "section", entry.section
        if self.base_section is not None:
            yield "base_section", "section", self.base_section

    def _problems(self) -> list[str]:
        problems: list[str] = []
        named = {
            "section": [s.name for s in self.sections],
            "grade": [g.code for g in self.grades],
            "veto": [v.name for v in self.vetoes],
            "list": [x.name for x in self.lists],
        }
        for what, names in named.items():
            dupes = sorted({n for n in names if names.count(n) > 1})
            if dupes:
                problems.append(f"duplicate {what} name(s) {dupes}")
        known = {"grade": named["grade"], "section": named["section"], "kind": sorted(self.kinds)}
        for where, what, name in self._references():
            if what == "kind" and not self.kinds:
                continue  # kinds are free-form unless the policy has a catalogue
            if name not in known[what]:
                problems.append(f"{where} names unknown {what} {name!r}; known: {known[what]}")
        if any(s.name == self.base_section and s.kind == "penalty" for s in self.sections):
            problems.append(f"base_section {self.base_section!r} is a penalty section")
        problems.extend(self._band_problems())
        return problems

    def reachable_range(self) -> tuple[float, float]:
        """Lowest and highest total reachable under the section caps.

        Records and base scores are non-negative, so an additive section contributes between
        0 and its cap and a penalty section between minus its cap and 0; uncapped sections
        make the range unbounded.

        Examples
        --------
        >>> load_policy("shandong_property_services").reachable_range()
        (-inf, 120.0)
        """
        lo = hi = float(self.initial_score)
        for s in self.sections:
            cap = math.inf if s.cap is None else float(s.cap)
            if s.kind == "penalty":
                lo -= cap
            else:
                hi += cap
        return lo, hi

    def _band_problems(self) -> list[str]:
        problems: list[str] = []
        lo, hi = self.reachable_range()
        bands = sorted(self.bands, key=lambda b: (b.lo, not b.include_lower))
        problems.extend(
            f"band {b.interval()} of grade {b.grade!r} is empty"
            for b in bands
            if b.lo > b.hi or (b.lo == b.hi and not (b.include_lower and b.include_upper))
        )
        first, last = bands[0], bands[-1]
        if _gap_in_range((-math.inf, True), (first.lo, first.include_lower), (lo, hi)):
            problems.append(
                f"no band covers totals below {first.interval()} (reachable range "
                f"[{_fmt(lo)}, {_fmt(hi)}])"
            )
        if _gap_in_range((last.hi, last.include_upper), (math.inf, True), (lo, hi)):
            problems.append(
                f"no band covers totals above {last.interval()} (reachable range "
                f"[{_fmt(lo)}, {_fmt(hi)}])"
            )
        for a, b in pairwise(bands):
            if a.hi > b.lo or (a.hi == b.lo and a.include_upper and b.include_lower):
                problems.append(
                    f"bands {a.interval()} (grade {a.grade!r}) and {b.interval()} "
                    f"(grade {b.grade!r}) overlap"
                )
            elif _gap_in_range((a.hi, a.include_upper), (b.lo, b.include_lower), (lo, hi)):
                problems.append(
                    f"gap between bands {a.interval()} (grade {a.grade!r}) and {b.interval()} "
                    f"(grade {b.grade!r}) within the reachable range [{_fmt(lo)}, {_fmt(hi)}]"
                )
        return problems

    # ---------------------------------------------------------------- helpers

    def grade(self, code: str) -> Grade:
        """Return the :class:`Grade` with this code."""
        for g in self.grades:
            if g.code == code:
                return g
        raise CreditPolicyError(
            f"policy {self.name!r} has no grade {code!r}; grades: {[g.code for g in self.grades]}"
        )

    def section(self, name: str) -> Section:
        """Return the :class:`Section` with this name."""
        for s in self.sections:
            if s.name == name:
                return s
        raise CreditPolicyError(
            f"policy {self.name!r} has no section {name!r}; "
            f"sections: {[s.name for s in self.sections]}"
        )

    def record(
        self,
        subject: str,
        kind: str,
        effective: dt.date,
        **overrides: Any,
    ) -> CreditRecord:
        """Build a :class:`CreditRecord` from the policy's catalogue entry for ``kind``.

        Parameters
        ----------
        subject : str
            The subject's id.
        kind : str
            A kind of the policy's ``kinds`` catalogue; its section, points and seriousness
            are used unless overridden.
        effective : datetime.date
            First day the record counts.
        **overrides
            Any other :class:`CreditRecord` field (``points``, ``expiry``, ``note``…).

        Returns
        -------
        CreditRecord

        Examples
        --------
        >>> import datetime as dt
        >>> p = load_policy("shandong_property_services")
        >>> r = p.record("Co1", "complaint_verified", dt.date(2024, 5, 1))
        >>> r.section, r.points
        ('penalty', 2.0)
        """
        if kind not in self.kinds:
            raise CreditPolicyError(
                f"policy {self.name!r} has no record kind {kind!r}; kinds: {sorted(self.kinds)}"
            )
        entry = self.kinds[kind]
        data: dict[str, Any] = {
            "subject": subject,
            "kind": kind,
            "section": entry.section,
            "points": entry.points,
            "effective": effective,
            "serious": entry.serious,
        }
        data.update(overrides)
        return CreditRecord(**data)

    # ---------------------------------------------------------------- loaders

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, origin: str | None = None) -> CreditPolicy:
        """Validate a policy from plain data, raising ``CreditPolicyError`` on any problem.

        Parameters
        ----------
        data : mapping
            The policy as loaded from TOML, YAML or JSON.
        origin : str, optional
            Where the data came from, for messages.

        Returns
        -------
        CreditPolicy
        """
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            where = f"{origin}: " if origin else ""
            raise CreditPolicyError(f"{where}invalid credit policy: {exc}") from exc

    @classmethod
    def from_toml(cls, text: str, *, origin: str | None = None) -> CreditPolicy:
        """Load a policy from TOML text (see the shipped files for the layout).

        Examples
        --------
        >>> p = CreditPolicy.from_toml('''
        ... name = "demo"
        ... source = "illustration"
        ... sections = [{name = "bonus", kind = "bonus", cap = 10}]
        ... grades = [{code = "A"}, {code = "B"}]
        ... bands = [{grade = "A", lower = 5}, {grade = "B", upper = 5}]
        ... ''')
        >>> [b.interval() for b in p.bands]
        ['[5, inf)', '(-inf, 5)']
        """
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            where = f"{origin}: " if origin else ""
            raise CreditPolicyError(f"{where}not valid TOML: {exc}") from exc
        return cls.from_dict(data, origin=origin)

    @classmethod
    def from_yaml(cls, text: str, *, origin: str | None = None) -> CreditPolicy:
        """Load a policy from YAML text (``yaml.safe_load``; needs ``gridgov[io]``).

        Examples
        --------
        >>> p = CreditPolicy.from_yaml('''
        ... name: demo
        ... source: illustration
        ... sections: [{name: bonus, kind: bonus, cap: 10}]
        ... grades: [{code: A}, {code: B}]
        ... bands: [{grade: A, lower: 5}, {grade: B, upper: 5}]
        ... ''')
        >>> p.section("bonus").cap
        10.0
        """
        try:
            import yaml
        except ImportError as exc:
            raise missing_extra("yaml", "io", "YAML credit policies") from exc
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            where = f"{origin}: " if origin else ""
            raise CreditPolicyError(f"{where}not valid YAML: {exc}") from exc
        if not isinstance(data, Mapping):
            raise CreditPolicyError(f"{origin or 'YAML'}: a credit policy must be a mapping")
        return cls.from_dict(data, origin=origin)


def _shipped() -> dict[str, Any]:
    folder = resources.files(_POLICY_PACKAGE)
    return {
        Path(entry.name).stem: entry
        for entry in folder.iterdir()
        if entry.name.endswith(_POLICY_SUFFIXES)
    }


def available_policies() -> list[str]:
    """Names of the credit policies shipped with gridgov, sorted.

    Examples
    --------
    >>> available_policies()
    ['lianyungang_property_services', 'shandong_property_services']
    """
    return sorted(_shipped())


def load_policy(name_or_path: str | Path) -> CreditPolicy:
    """Load a shipped policy by name, or a policy file (``.toml``, ``.yaml``, ``.yml``).

    Parameters
    ----------
    name_or_path : str or pathlib.Path
        A name from :func:`available_policies` or a path to a file.

    Returns
    -------
    CreditPolicy

    Raises
    ------
    gridgov.errors.CreditPolicyError
        Unknown name (the message lists the shipped ones), unreadable file, bad syntax or an
        inconsistent policy.

    Examples
    --------
    >>> p = load_policy("lianyungang_property_services")
    >>> p.initial_score, [g.code for g in p.grades]
    (90.0, ['AAAA', 'AAA', 'AA', 'A', 'B'])
    """
    shipped = _shipped()
    if isinstance(name_or_path, str) and name_or_path in shipped:
        entry = shipped[name_or_path]
        return _parse(entry.read_text(encoding="utf-8"), entry.name, f"policy {name_or_path!r}")
    path = Path(name_or_path)
    if path.suffix.lower() not in _POLICY_SUFFIXES:
        raise CreditPolicyError(
            f"unknown credit policy {str(name_or_path)!r}: not a shipped policy "
            f"({', '.join(sorted(shipped))}) nor a .toml/.yaml/.yml file"
        )
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CreditPolicyError(f"cannot read credit policy file {str(path)!r}: {exc}") from exc
    return _parse(text, path.name, str(path))


def _parse(text: str, filename: str, origin: str) -> CreditPolicy:
    if filename.endswith(".toml"):
        return CreditPolicy.from_toml(text, origin=origin)
    return CreditPolicy.from_yaml(text, origin=origin)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class FiredRule:
    """One rule that contributed to an assessment, with English and Chinese text.

    Attributes
    ----------
    kind : str
        ``"basic"``, ``"bonus"``, ``"penalty"`` (a record counted), ``"base"`` (a base score),
        ``"cap"`` (a section capped), ``"condition"`` (a band condition evaluated), ``"veto"``,
        ``"list"`` or ``"ignored"`` (a record not counted as of the date, and why).
    rule : str
        The record kind, section, band grade, veto or list concerned.
    points : float or None
        Signed points for records, caps and base scores; ``None`` otherwise.
    text_en, text_zh : str
        The explanation.
    """

    kind: RuleKind
    rule: str
    points: float | None
    text_en: str
    text_zh: str

    def text(self, lang: Lang = "en") -> str:
        """The explanation in ``lang``."""
        return self.text_zh if lang == "zh" else self.text_en


@dataclass(frozen=True, slots=True)
class CreditAssessment:
    """The credit assessment of one subject as of a date.

    Attributes
    ----------
    subject : str
        The subject's id.
    as_of : datetime.date
        Evaluation date.
    policy : str
        Policy name.
    subtotals : mapping of str to float
        Section subtotals after caps, as magnitudes (penalties positive).
    raw_subtotals : mapping of str to float
        Section subtotals before caps.
    penalties : float
        Total deducted (sum of penalty subtotals).
    total : float
        ``initial_score + additive subtotals - penalties``.
    band_grade : str
        Grade of the band the total falls in, before its condition and vetoes.
    grade : str
        Final grade after the band condition and vetoes.
    vetoed : bool
        Whether a one-vote veto fired.
    lists : tuple of str
        Names of the lists the subject is on.
    rules : tuple of FiredRule
        Every rule fired, in order: records, base score, caps, condition, vetoes, lists.
    grade_label_en, grade_label_zh : str
        Labels of ``grade``.
    section_info : tuple of Section
        The policy's sections (for labels in explanations).
    """

    subject: str
    as_of: dt.date
    policy: str
    subtotals: Mapping[str, float]
    raw_subtotals: Mapping[str, float]
    penalties: float
    total: float
    band_grade: str
    grade: str
    vetoed: bool
    lists: tuple[str, ...]
    rules: tuple[FiredRule, ...]
    grade_label_en: str
    grade_label_zh: str
    section_info: tuple[Section, ...] = ()

    def rules_of(self, kind: RuleKind) -> tuple[FiredRule, ...]:
        """Return the fired rules of one kind."""
        return tuple(r for r in self.rules if r.kind == kind)

    def explain(self, lang: Lang = "en") -> str:
        """Explain the assessment in English (``"en"``) or Chinese (``"zh"``).

        Examples
        --------
        >>> import datetime as dt
        >>> p = load_policy("shandong_property_services")
        >>> recs = [p.record("Co9", "registration", dt.date(2024, 1, 2), points=62),
        ...         p.record("Co9", "complaint_verified", dt.date(2024, 4, 1))]
        >>> print(evaluate(p, recs, as_of=dt.date(2024, 6, 30))["Co9"].explain("en"))
        Co9: grade B (qualified) as of 2024-06-30, total 60
          basic 62, bonus 0, penalty -2
          - basic +62: registration information (effective 2024-01-02)
          - penalty -2: verified complaint (effective 2024-04-01)
        """
        if lang == "zh":
            head = (
                f"{self.subject}:信用等级{self.grade}({self.grade_label_zh}),"
                f"评价日期{self.as_of.isoformat()},总分{_fmt(self.total)}"
            )
            parts = ",".join(
                f"{s.label('zh')}{'扣' if s.kind == 'penalty' and self.subtotals[s.name] else ''}"
                f"{_fmt(self.subtotals[s.name])}分"
                for s in self.section_info
            )
        else:
            head = (
                f"{self.subject}: grade {self.grade} ({self.grade_label_en}) as of "
                f"{self.as_of.isoformat()}, total {_fmt(self.total)}"
            )
            parts = ", ".join(
                f"{s.label('en')} {'-' if s.kind == 'penalty' and self.subtotals[s.name] else ''}"
                f"{_fmt(self.subtotals[s.name])}"
                for s in self.section_info
            )
        lines = [head, f"  {parts}"]
        lines.extend(f"  - {r.text(lang)}" for r in self.rules)
        return "\n".join(lines)


# --------------------------------------------------------------------------- evaluation


@dataclass(frozen=True, slots=True)
class _Columns:
    subject: list[str]
    kind: list[str]
    section: list[str]
    points: FloatArray
    effective: npt.NDArray[np.datetime64]
    expiry: npt.NDArray[np.datetime64]
    serious: BoolArray
    rectified: npt.NDArray[np.datetime64]
    note: Sequence[str] | None


def _days(values: Iterable[dt.date | None], count: int) -> npt.NDArray[np.datetime64]:
    nat = np.iinfo(np.int64).min
    ordinals = np.fromiter(
        (nat if v is None else v.toordinal() - _EPOCH_ORDINAL for v in values),
        dtype=np.int64,
        count=count,
    )
    return ordinals.view("datetime64[D]")


def _from_models(records: Sequence[CreditRecord]) -> _Columns:
    n = len(records)
    bad = next((r for r in records if not isinstance(r, CreditRecord)), None)
    if bad is not None:
        raise ScoringError(
            f"records must be CreditRecord objects or a mapping of columns, got {bad!r}"
        )
    return _Columns(
        subject=[r.subject for r in records],
        kind=[r.kind for r in records],
        section=[r.section for r in records],
        points=np.fromiter((r.points for r in records), dtype=np.float64, count=n),
        effective=_days((r.effective for r in records), n),
        expiry=_days((r.expiry for r in records), n),
        serious=np.fromiter((r.serious for r in records), dtype=bool, count=n),
        rectified=_days((r.rectified_on for r in records), n),
        note=[r.note for r in records],
    )


def _from_columns(table: Any) -> _Columns:
    names = list(table.keys()) if isinstance(table, Mapping) else [str(c) for c in table.columns]
    required = ("subject", "kind", "section", "points", "effective")
    missing = [c for c in required if c not in names]
    if missing:
        raise ScoringError(f"record columns {missing} are missing; got {names}")

    def column(name: str) -> npt.NDArray[Any]:
        values = table[name]
        if hasattr(values, "to_numpy"):
            values = values.to_numpy()
        return np.asarray(values)

    def strings(name: str) -> list[str]:
        values = column(name)
        if values.ndim != 1:
            raise ScoringError(f"record column {name!r} must be 1-D, got shape {values.shape}")
        items = values.tolist()
        if values.dtype.kind == "U":
            return list(items)
        return [str(v) for v in items]

    subject = strings("subject")
    n = len(subject)

    def dates(name: str) -> npt.NDArray[np.datetime64]:
        if name not in names:
            return np.full(n, _NAT)
        raw = column(name)
        try:
            if raw.dtype == object:
                return np.array([_NAT if v is None else v for v in raw], dtype="datetime64[D]")
            return raw.astype("datetime64[D]")
        except (TypeError, ValueError) as exc:
            raise ScoringError(f"record column {name!r} does not hold dates: {exc}") from exc

    try:
        points = column("points").astype(np.float64)
    except (TypeError, ValueError) as exc:
        raise ScoringError(f"record column 'points' is not numeric: {exc}") from exc
    serious = column("serious").astype(bool) if "serious" in names else np.zeros(n, dtype=bool)
    note = [str(v) for v in column("note").tolist()] if "note" in names else None
    cols = _Columns(
        subject=subject,
        kind=strings("kind"),
        section=strings("section"),
        points=points,
        effective=dates("effective"),
        expiry=dates("expiry"),
        serious=serious,
        rectified=dates("rectified_on"),
        note=note,
    )
    lengths = {(len(cols.kind),), (len(cols.section),)} | {
        a.shape
        for a in (
            cols.points,
            cols.effective,
            cols.expiry,
            cols.serious,
            cols.rectified,
        )
    }
    if lengths != {(n,)}:
        raise ScoringError(f"record columns must be 1-D and of equal length; got {lengths}")
    if np.isnat(cols.effective).any():
        k = int(np.flatnonzero(np.isnat(cols.effective))[0])
        raise ScoringError(f"record {k} (subject {subject[k]!r}) has no effective date")
    bad = np.flatnonzero(~np.isfinite(points) | (points < 0))
    if bad.size:
        k = int(bad[0])
        raise ScoringError(
            f"record {k} (subject {subject[k]!r}): points must be finite and non-negative, "
            f"got {points[k]}"
        )
    bad = np.flatnonzero(~np.isnat(cols.expiry) & (cols.expiry < cols.effective))
    if bad.size:
        k = int(bad[0])
        raise ScoringError(f"record {k} (subject {subject[k]!r}): expiry is before effective")
    return cols


def _factorize(values: Sequence[str]) -> tuple[list[str], IntArray]:
    """Sorted distinct values and each value's position among them (hashing, no string sort)."""
    names = sorted(set(values))
    lookup = {v: k for k, v in enumerate(names)}
    codes = np.fromiter(map(lookup.__getitem__, values), dtype=np.int64, count=len(values))
    return names, codes


def _add_months(days: npt.NDArray[np.datetime64], months: int) -> npt.NDArray[np.datetime64]:
    """Same day ``months`` later, clamped to the end of a shorter month."""
    month = days.astype("datetime64[M]")
    day_of_month = (days - month.astype("datetime64[D]")).astype(np.int64)
    target = month + np.timedelta64(months, "M")
    start = target.astype("datetime64[D]")
    length = ((target + np.timedelta64(1, "M")).astype("datetime64[D]") - start).astype(np.int64)
    result: npt.NDArray[np.datetime64] = start + np.minimum(day_of_month, length - 1).astype(
        "timedelta64[D]"
    )
    return result


class CreditEvaluation(Mapping[str, CreditAssessment]):
    """Credit assessments of many subjects: columns for analysis, a mapping for detail.

    ``evaluation[subject]`` builds that subject's :class:`CreditAssessment` on demand;
    iteration yields subject ids in sorted order. The arrays below are aligned with
    :attr:`subjects`.

    Attributes
    ----------
    policy : CreditPolicy
    as_of : datetime.date
    subjects : tuple of str
    sections : tuple of str
        Section names, the columns of ``raw`` and ``subtotals``.
    raw, subtotals : numpy.ndarray, shape (S, n_sections)
        Section sums before and after caps (magnitudes).
    penalties, totals : numpy.ndarray, shape (S,)
    band_grades, grades : numpy.ndarray of str, shape (S,)
    vetoed : numpy.ndarray of bool, shape (S,)
    lists : mapping of str to numpy.ndarray of bool
        Membership per list.
    """

    def __init__(
        self,
        *,
        policy: CreditPolicy,
        as_of: dt.date,
        subjects: npt.NDArray[np.str_],
        raw: FloatArray,
        subtotals: FloatArray,
        penalties: FloatArray,
        totals: FloatArray,
        band_index: IntArray,
        band_grades: npt.NDArray[np.str_],
        condition_met: BoolArray,
        grades: npt.NDArray[np.str_],
        vetoes: BoolArray,
        lists: Mapping[str, BoolArray],
        base: FloatArray | None,
        columns: _Columns,
        record_subject: IntArray,
        valid: BoolArray,
        end: npt.NDArray[np.datetime64],
    ) -> None:
        self.policy = policy
        self.as_of = as_of
        self._subject_names = subjects
        self.subjects: tuple[str, ...] = tuple(str(s) for s in subjects)
        self._position = {s: i for i, s in enumerate(self.subjects)}
        self.sections: tuple[str, ...] = tuple(s.name for s in policy.sections)
        for array in (raw, subtotals, penalties, totals, grades, band_grades, vetoes):
            array.flags.writeable = False
        self.raw = raw
        self.subtotals = subtotals
        self.penalties = penalties
        self.totals = totals
        self.band_grades = band_grades
        self.grades = grades
        self.vetoed: BoolArray = np.asarray(vetoes.any(axis=1), dtype=bool)
        self.vetoed.flags.writeable = False
        self.lists: Mapping[str, BoolArray] = MappingProxyType(dict(lists))
        self._band_index = band_index
        self._condition_met = condition_met
        self._vetoes = vetoes
        self._base = base
        self._columns = columns
        order = np.argsort(record_subject, kind="stable")
        self._record_order = order
        counts = np.bincount(record_subject, minlength=len(subjects))
        self._record_offsets = np.concatenate([[0], np.cumsum(counts)])
        self._valid = valid
        self._end = end

    # ---------------------------------------------------------------- mapping protocol

    def __getitem__(self, subject: str) -> CreditAssessment:
        try:
            i = self._position[subject]
        except KeyError:
            raise KeyError(subject) from None
        return self._assessment(i)

    def __iter__(self) -> Iterator[str]:
        return iter(self.subjects)

    def __len__(self) -> int:
        return len(self.subjects)

    def __repr__(self) -> str:
        return (
            f"CreditEvaluation(policy={self.policy.name!r}, as_of={self.as_of.isoformat()}, "
            f"{len(self)} subjects)"
        )

    # ---------------------------------------------------------------- summaries

    def grade_counts(self) -> dict[str, int]:
        """Number of subjects per grade, in the policy's grade order (best first).

        Examples
        --------
        >>> import datetime as dt
        >>> p = load_policy("lianyungang_property_services")
        >>> ev = evaluate(p, [], as_of=dt.date(2024, 1, 1), subjects=["a", "b"])
        >>> ev.grade_counts()
        {'AAAA': 0, 'AAA': 0, 'AA': 0, 'A': 2, 'B': 0}
        """
        values, counts = np.unique(self.grades, return_counts=True)
        found = {str(v): int(c) for v, c in zip(values, counts, strict=True)}
        return {g.code: found.get(g.code, 0) for g in self.policy.grades}

    def members(self, list_name: str) -> tuple[str, ...]:
        """Subjects on the named list, sorted."""
        if list_name not in self.lists:
            raise CreditPolicyError(
                f"policy {self.policy.name!r} has no list {list_name!r}; lists: {list(self.lists)}"
            )
        return tuple(str(s) for s in self._subject_names[self.lists[list_name]])

    def to_columns(self) -> dict[str, npt.NDArray[Any]]:
        """Columns for a DataFrame.

        Returns
        -------
        dict of str to numpy.ndarray
            ``subject``, one column per section subtotal, ``penalties``, ``total``,
            ``band_grade``, ``grade``, ``vetoed`` and ``list_<name>`` per list.

        Examples
        --------
        >>> import datetime as dt
        >>> ev = evaluate(load_policy("lianyungang_property_services"), [],
        ...               as_of=dt.date(2024, 1, 1), subjects=["a"])
        >>> sorted(ev.to_columns())[:4]
        ['band_grade', 'bonus', 'grade', 'list_black']
        """
        out: dict[str, npt.NDArray[Any]] = {"subject": self._subject_names}
        for k, name in enumerate(self.sections):
            out[name] = self.subtotals[:, k]
        out["penalties"] = self.penalties
        out["total"] = self.totals
        out["band_grade"] = self.band_grades
        out["grade"] = self.grades
        out["vetoed"] = self.vetoed
        for name, mask in self.lists.items():
            out[f"list_{name}"] = mask
        return out

    # ---------------------------------------------------------------- one subject

    def _record_texts(self, j: int) -> FiredRule:
        policy, cols = self.policy, self._columns
        kind = str(cols.kind[j])
        section = policy.section(str(cols.section[j]))
        points = float(cols.points[j])
        entry = policy.kinds.get(kind)
        kind_en = (entry.label_en if entry else "") or kind
        kind_zh = (entry.label_zh if entry else "") or kind
        eff = str(cols.effective[j])
        note = cols.note[j] if cols.note is not None else ""
        tail_en = f": {note}" if note else ""
        tail_zh = f":{note}" if note else ""
        if self._valid[j]:
            sign = -1.0 if section.kind == "penalty" else 1.0
            verb_zh = "扣" if section.kind == "penalty" else "加"
            return FiredRule(
                kind=section.kind,
                rule=kind,
                points=sign * points,
                text_en=(
                    f"{section.label('en')} {'-' if sign < 0 else '+'}{_fmt(points)}: "
                    f"{kind_en} (effective {eff}){tail_en}"
                ),
                text_zh=(
                    f"{section.label('zh')}{verb_zh}{_fmt(points)}分:{kind_zh}"
                    f"(生效日期{eff}){tail_zh}"
                ),
            )
        as_of = np.datetime64(self.as_of, "D")
        if cols.effective[j] > as_of:
            why_en, why_zh = f"not yet effective (effective {eff})", f"尚未生效(生效日期{eff})"
        elif cols.serious[j]:
            rect = str(cols.rectified[j])
            why_en, why_zh = f"rectified on {rect}", f"已于{rect}整改完毕"
        else:
            end = str(self._end[j])
            why_en, why_zh = f"expired after {end}", f"有效期已于{end}届满"
        return FiredRule(
            kind="ignored",
            rule=kind,
            points=None,
            text_en=f"not counted: {kind_en} ({section.label('en')}, {_fmt(points)}) {why_en}",
            text_zh=f"未计入:{kind_zh}({section.label('zh')},{_fmt(points)}分){why_zh}",
        )

    def _assessment(self, i: int) -> CreditAssessment:
        policy = self.policy
        rules: list[FiredRule] = []
        start, stop = self._record_offsets[i], self._record_offsets[i + 1]
        rules.extend(self._record_texts(int(j)) for j in self._record_order[start:stop])
        sections = policy.sections
        if self._base is not None and self._base[i] != 0 and policy.base_section is not None:
            s = policy.section(policy.base_section)
            b = float(self._base[i])
            rules.append(
                FiredRule(
                    kind="base",
                    rule=s.name,
                    points=b,
                    text_en=f"{s.label('en')} +{_fmt(b)}: base score supplied",
                    text_zh=f"{s.label('zh')}加{_fmt(b)}分:外部提供的基础分",
                )
            )
        for k, s in enumerate(sections):
            raw = float(self.raw[i, k])
            if s.cap is not None and raw > s.cap:
                rules.append(
                    FiredRule(
                        kind="cap",
                        rule=s.name,
                        points=float(s.cap) - raw if s.kind != "penalty" else raw - float(s.cap),
                        text_en=f"{s.label('en')} capped at {_fmt(s.cap)} (raw {_fmt(raw)})",
                        text_zh=f"{s.label('zh')}封顶{_fmt(s.cap)}分(原始{_fmt(raw)}分)",
                    )
                )
        total = float(self.totals[i])
        band = policy.bands[int(self._band_index[i])]
        if band.conditional:
            met = bool(self._condition_met[i])
            outcome = band.grade if met else str(band.otherwise)
            need_en = _requirement_en(band.requires_no_records_in, band.requires_no_records_of)
            need_zh = _requirement_zh(
                policy, band.requires_no_records_in, band.requires_no_records_of
            )
            rules.append(
                FiredRule(
                    kind="condition",
                    rule=band.grade,
                    points=None,
                    text_en=(
                        f"total {_fmt(total)} lies in {band.interval()}, grade {band.grade} if "
                        f"{need_en}: {'met' if met else 'not met'}, grade {outcome}"
                    ),
                    text_zh=(
                        f"总分{_fmt(total)}位于{band.interval()},{need_zh}则为{band.grade}级:"
                        f"{'满足' if met else '不满足'},定为{outcome}级"
                    ),
                )
            )
        for v, veto in enumerate(policy.vetoes):
            if self._vetoes[i, v]:
                g = policy.grade(veto.grade)
                rules.append(
                    FiredRule(
                        kind="veto",
                        rule=veto.name,
                        points=None,
                        text_en=(
                            f"one-vote veto {veto.name!r}"
                            + (f" ({veto.text_en})" if veto.text_en else "")
                            + f": grade set to {g.code} ({g.label('en')})"
                        ),
                        text_zh=(
                            f"一票否决「{veto.label_zh or veto.name}」"
                            + (f"({veto.text_zh})" if veto.text_zh else "")
                            + f":等级定为{g.code}({g.label('zh')})"
                        ),
                    )
                )
        on_lists = tuple(name for name, mask in self.lists.items() if mask[i])
        rules.extend(
            FiredRule(
                kind="list",
                rule=rule.name,
                points=None,
                text_en=f"on the {rule.label('en')}",
                text_zh=f"列入{rule.label('zh')}",
            )
            for rule in policy.lists
            if rule.name in on_lists
        )
        grade = policy.grade(str(self.grades[i]))
        return CreditAssessment(
            subject=self.subjects[i],
            as_of=self.as_of,
            policy=policy.name,
            subtotals=MappingProxyType(
                {s.name: float(self.subtotals[i, k]) for k, s in enumerate(sections)}
            ),
            raw_subtotals=MappingProxyType(
                {s.name: float(self.raw[i, k]) for k, s in enumerate(sections)}
            ),
            penalties=float(self.penalties[i]),
            total=total,
            band_grade=str(self.band_grades[i]),
            grade=grade.code,
            vetoed=bool(self.vetoed[i]),
            lists=on_lists,
            rules=tuple(rules),
            grade_label_en=grade.label("en"),
            grade_label_zh=grade.label("zh"),
            section_info=tuple(sections),
        )


def _requirement_en(sections: Sequence[str], kinds: Sequence[str]) -> str:
    parts = []
    if sections:
        parts.append(f"no record in {', '.join(sections)}")
    if kinds:
        parts.append(f"no record of kind {', '.join(kinds)}")
    return " and ".join(parts)


def _requirement_zh(policy: CreditPolicy, sections: Sequence[str], kinds: Sequence[str]) -> str:
    parts = []
    if sections:
        parts.append("无" + "、".join(policy.section(s).label("zh") for s in sections) + "记录")
    if kinds:
        labels = [(policy.kinds[k].label_zh if k in policy.kinds else "") or k for k in kinds]
        parts.append("无" + "、".join(labels) + "记录")
    return "且".join(parts)


def evaluate(
    policy: CreditPolicy,
    records: Iterable[CreditRecord] | Mapping[str, npt.ArrayLike] | Any,
    *,
    as_of: dt.date,
    base_scores: Mapping[str, float] | None = None,
    subjects: Iterable[str] | None = None,
) -> CreditEvaluation:
    """Evaluate every subject's credit under a policy as of a date.

    Steps, all vectorised over subjects: keep the records valid on ``as_of``; sum them per
    subject and section (plus ``base_scores`` in ``policy.base_section``); cap each section;
    ``total = initial_score + additive subtotals - penalty subtotals`` (rounded to 9 decimals);
    find the band (edges as stated) and apply its condition; apply vetoes (the worse of the
    banded and the veto grade is kept); decide list membership.

    Parameters
    ----------
    policy : CreditPolicy
        The rules.
    records : iterable of CreditRecord, mapping of columns, or DataFrame
        Records as models, or columns ``subject``, ``kind``, ``section``, ``points``,
        ``effective`` and optionally ``expiry``, ``serious``, ``rectified_on``, ``note`` (dates as
        ``datetime.date``, ISO strings or ``datetime64``; missing dates as ``None``/NaT). Columns
        are the fast path for large inputs.
    as_of : datetime.date
        The evaluation date.
    base_scores : mapping of str to float, optional
        Non-negative points per subject added to ``policy.base_section`` before its cap
        (e.g. a basic-information score computed elsewhere).
    subjects : iterable of str, optional
        Subjects to assess even if they have no records.

    Returns
    -------
    CreditEvaluation
        A mapping ``subject -> CreditAssessment`` with columnar summaries.

    Raises
    ------
    gridgov.errors.ScoringError
        A record naming an unknown section (the message lists the sections), malformed
        columns, negative points or base scores.
    gridgov.errors.CreditPolicyError
        ``base_scores`` given but the policy has no ``base_section``.

    Examples
    --------
    >>> import datetime as dt
    >>> p = load_policy("shandong_property_services")
    >>> recs = [p.record("Co1", "complaint_verified", dt.date(2023, 5, 1)),   # expired
    ...         p.record("Co1", "serious_dishonesty", dt.date(2022, 1, 1))]   # not rectified
    >>> a = evaluate(p, recs, as_of=dt.date(2024, 6, 30), base_scores={"Co1": 80})["Co1"]
    >>> a.total, a.band_grade, a.grade, a.lists
    (60.0, 'B', 'blacklist', ('black',))
    """
    cols = _record_columns(records)
    section_index = {sec.name: k for k, sec in enumerate(policy.sections)}
    n_sec = len(policy.sections)
    sec_codes, sec_inverse = _factorize(cols.section)
    unknown = [name for name in sec_codes if name not in section_index]
    if unknown:
        raise ScoringError(
            f"records name unknown section(s) {unknown}; policy {policy.name!r} has sections "
            f"{list(section_index)}"
        )
    sec_idx = np.array([section_index[name] for name in sec_codes], dtype=np.int64)[sec_inverse]
    names, subj_idx, base = _subjects(policy, cols, base_scores, subjects)
    n_sub = names.shape[0]
    valid, end = _validity(cols, as_of, policy.default_validity_months)

    # section sums, caps, totals
    cell = subj_idx[valid] * n_sec + sec_idx[valid]
    raw: FloatArray = np.bincount(cell, weights=cols.points[valid], minlength=n_sub * n_sec).astype(
        np.float64
    )
    raw = raw.reshape(n_sub, n_sec)
    if base is not None and policy.base_section is not None:
        raw[:, section_index[policy.base_section]] += base
    caps = np.array([math.inf if sec.cap is None else sec.cap for sec in policy.sections])
    subtotals = np.minimum(raw, caps[None, :])
    is_penalty = np.array([sec.kind == "penalty" for sec in policy.sections])
    penalties = subtotals[:, is_penalty].sum(axis=1)
    totals = np.round(
        policy.initial_score + subtotals[:, ~is_penalty].sum(axis=1) - penalties,
        _TOTAL_DECIMALS,
    )

    presence = _Presence.build(
        cols, valid=valid, subj_idx=subj_idx, cell=cell, n_sub=n_sub, section_index=section_index
    )
    band_index, band_grade_idx, grade_idx, condition_met = _band_grades(
        policy, totals, presence, names
    )
    grade_order = {g.code: k for k, g in enumerate(policy.grades)}
    vetoes = np.zeros((n_sub, len(policy.vetoes)), dtype=bool)
    for v, veto in enumerate(policy.vetoes):
        fired = presence.any_kind(veto.kinds)
        if veto.any_serious:
            fired = fired | presence.serious
        vetoes[:, v] = fired
        # the worse of the banded grade and the veto's grade
        grade_idx = np.where(fired, np.maximum(grade_idx, grade_order[veto.grade]), grade_idx)
    vetoed = vetoes.any(axis=1)

    lists: dict[str, BoolArray] = {}
    for rule in policy.lists:
        member = np.isin(grade_idx, [grade_order[g] for g in rule.grades])
        if rule.when_vetoed:
            member = member | vetoed
        member = member & ~(
            presence.any_section(rule.requires_no_records_in)
            | presence.any_kind(rule.requires_no_records_of)
        )
        member.flags.writeable = False
        lists[rule.name] = member

    codes = np.array([g.code for g in policy.grades], dtype=str)
    return CreditEvaluation(
        policy=policy,
        as_of=as_of,
        subjects=names,
        raw=raw,
        subtotals=subtotals,
        penalties=penalties,
        totals=totals,
        band_index=band_index,
        band_grades=codes[band_grade_idx],
        condition_met=condition_met,
        grades=codes[grade_idx],
        vetoes=vetoes,
        lists=lists,
        base=base,
        columns=cols,
        record_subject=subj_idx,
        valid=valid,
        end=end,
    )


def _record_columns(records: object) -> _Columns:
    if isinstance(records, Mapping) or hasattr(records, "columns"):
        return _from_columns(records)
    if not isinstance(records, Iterable):
        raise ScoringError(f"cannot read credit records of type {type(records).__name__}")
    return _from_models(list(records))


def _subjects(
    policy: CreditPolicy,
    cols: _Columns,
    base_scores: Mapping[str, float] | None,
    subjects: Iterable[str] | None,
) -> tuple[npt.NDArray[np.str_], IntArray, FloatArray | None]:
    """Sorted subject ids, each record's subject index, and base scores per subject."""
    base_names: list[str] = []
    base_values = np.zeros(0)
    if base_scores:
        if policy.base_section is None:
            raise CreditPolicyError(
                f"base_scores were given but policy {policy.name!r} has no base_section"
            )
        base_names = [str(k) for k in base_scores]
        base_values = np.array([float(base_scores[k]) for k in base_scores], dtype=np.float64)
        bad = np.flatnonzero(~np.isfinite(base_values) | (base_values < 0))
        if bad.size:
            k = int(bad[0])
            raise ScoringError(
                f"base score of {base_names[k]!r} must be finite and non-negative, "
                f"got {base_values[k]}"
            )
    extra = [str(x) for x in subjects] if subjects is not None else []
    name_list, inverse = _factorize([*cols.subject, *base_names, *extra])
    n_rec = len(cols.subject)
    names = np.array(name_list, dtype=str)
    base = None
    if base_names:
        base = np.zeros(names.shape[0])
        np.add.at(base, inverse[n_rec : n_rec + len(base_names)], base_values)
    return names, inverse[:n_rec], base


def _validity(
    cols: _Columns, as_of: dt.date, months: int
) -> tuple[BoolArray, npt.NDArray[np.datetime64]]:
    """Which records count on ``as_of``, and each non-serious record's last valid day."""
    day = np.datetime64(as_of, "D")
    default_end = _add_months(cols.effective, months) - np.timedelta64(1, "D")
    end = np.where(np.isnat(cols.expiry), default_end, cols.expiry)
    started = cols.effective <= day
    ordinary = started & (day <= end)
    serious_ok = started & (np.isnat(cols.rectified) | (day < cols.rectified))
    return np.asarray(np.where(cols.serious, serious_ok, ordinary), dtype=bool), end


@dataclass(frozen=True, slots=True)
class _Presence:
    """Which subjects have valid records per section, per kind, and serious ones."""

    in_section: BoolArray
    section_index: Mapping[str, int]
    has_kind: BoolArray
    kind_position: Mapping[str, int]
    serious: BoolArray

    @classmethod
    def build(
        cls,
        cols: _Columns,
        *,
        valid: BoolArray,
        subj_idx: IntArray,
        cell: IntArray,
        n_sub: int,
        section_index: Mapping[str, int],
    ) -> _Presence:
        n_sec = len(section_index)
        in_section = np.bincount(cell, minlength=n_sub * n_sec).reshape(n_sub, n_sec) > 0
        kind_codes, kind_inverse = _factorize(cols.kind)
        n_kind = len(kind_codes)
        counts = np.bincount(
            subj_idx[valid] * n_kind + kind_inverse[valid], minlength=n_sub * n_kind
        )
        return cls(
            in_section=in_section,
            section_index=section_index,
            has_kind=counts.reshape(n_sub, n_kind) > 0,
            kind_position={k: i for i, k in enumerate(kind_codes)},
            serious=np.bincount(subj_idx[valid & cols.serious], minlength=n_sub) > 0,
        )

    def any_kind(self, kinds: Sequence[str]) -> BoolArray:
        """Subjects with a valid record of any of ``kinds``."""
        columns = [self.kind_position[k] for k in kinds if k in self.kind_position]
        if not columns:
            return np.zeros(self.in_section.shape[0], dtype=bool)
        return np.asarray(self.has_kind[:, columns].any(axis=1), dtype=bool)

    def any_section(self, sections: Sequence[str]) -> BoolArray:
        """Subjects with a valid record in any of ``sections``."""
        if not sections:
            return np.zeros(self.in_section.shape[0], dtype=bool)
        columns = [self.section_index[name] for name in sections]
        return np.asarray(self.in_section[:, columns].any(axis=1), dtype=bool)


def _band_grades(
    policy: CreditPolicy,
    totals: FloatArray,
    presence: _Presence,
    names: npt.NDArray[np.str_],
) -> tuple[IntArray, IntArray, IntArray, BoolArray]:
    """Band of each total, the band's grade, the grade after its condition, condition met."""
    n_sub = totals.shape[0]
    grade_order = {g.code: k for k, g in enumerate(policy.grades)}
    band_index = np.full(n_sub, -1, dtype=np.int64)
    band_grade = np.full(n_sub, -1, dtype=np.int64)
    grade = np.full(n_sub, -1, dtype=np.int64)
    condition_met = np.ones(n_sub, dtype=bool)
    for b, band in enumerate(policy.bands):
        above = (totals > band.lo) | (band.include_lower & (totals == band.lo))
        below = (totals < band.hi) | (band.include_upper & (totals == band.hi))
        inside = above & below
        band_index[inside] = b
        band_grade[inside] = grade_order[band.grade]
        if band.conditional:
            met = ~(
                presence.any_section(band.requires_no_records_in)
                | presence.any_kind(band.requires_no_records_of)
            )
            condition_met[inside] = met[inside]
            chosen = np.where(met, grade_order[band.grade], grade_order[str(band.otherwise)])
            grade[inside] = chosen[inside]
        else:
            grade[inside] = grade_order[band.grade]
    outside = np.flatnonzero(band_index < 0)
    if outside.size:
        i = int(outside[0])
        raise CreditPolicyError(
            f"total {totals[i]:g} of subject {names[i]!r} falls in no band of policy "
            f"{policy.name!r}"
        )
    return band_index, band_grade, grade, condition_met
