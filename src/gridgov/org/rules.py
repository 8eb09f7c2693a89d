"""Rules → findings: what a profile expects of a structure, and where the structure falls short.

A *rule* looks at a :class:`~gridgov.org.Structure` under a
:class:`~gridgov.org.profiles.Profile` and returns :class:`Finding` objects, one per subject
(a grid, a building, a person, a company…) that breaks it. Profiles select rules and
parameterise them: a rule's parameters are a pydantic model whose fields take their values
from the profile (each rule names the profile keys it reads, :attr:`FunctionRule.profile_keys`)
and may be overridden in the profile's ``[rules.<id>.params]`` table.

:func:`check` runs the rules a profile enables and sorts the findings by severity, rule and
subject. Rules are looked up in a registry (:func:`available_rules`, :func:`get_rule`); new
rules register with the :func:`rule` decorator or :func:`register_rule`. A rule that raises
anything unexpected is reported as a :class:`~gridgov.errors.RuleError` naming the rule — it is
never swallowed.

The catalogue
-------------
=================================  ========  =====================================================
rule id                            default   checks (profile keys read)
=================================  ========  =====================================================
``grid_household_band``            warning   households per grid inside the band
                                             (``grid.households``)
``party_group_per_grid``           warning   exactly ``grid.party_groups`` grid party groups
                                             whose ``area`` is the grid
``grid_worker_per_grid``           warning   at least ``grid.full_time_workers`` filled
                                             full-time grid-worker posts per grid
``building_head_per_building``     warning   every building has a building head (楼长)
``unit_head_per_unit``             warning   every unit has a unit head (单元长)
``party_group_leader_is_member``   error     party-group leaders are party members
``in_service_members_registered``  warning   in-service party members report back to the grid
                                             they live in (在职党员回居住地网格报到)
``service_centre_area``            warning   party-and-mass service centres' floor area and
                                             resident space share
                                             (``service_centre.min_floor_area_m2``,
                                             ``service_centre.min_resident_space_share``)
``compound_has_manager``           warning   every compound has a property company or is
                                             self-governed
``grid_codes_valid``               error     grid codes valid under the structure's
                                             ``code_scheme`` (else ``code.scheme``); required
                                             when ``grid.coded``
``two_way_entry``                  warning   community–company pairs with cross-appointments
                                             have them both ways (双向进入)
``company_party_building``         warning   property companies host a party organisation and
                                             write party building into their charter
                                             (``property.party_organisation``,
                                             ``property.charter_party_building``)
``company_publishes_service_items`` warning  property companies publish service items
=================================  ========  =====================================================

Rules that work per household or per grid use the structure's dense index
(:attr:`~gridgov.org.Structure.index`): a household count per grid is one ``bincount``.

Examples
--------
>>> from gridgov.org import Structure
>>> s = Structure.model_validate({"areas": [
...     {"id": "S1", "level": "street"}, {"id": "C1", "level": "community", "parent": "S1"},
...     {"id": "G1", "level": "grid", "parent": "C1", "name": "一网格"}],
...     "households": [{"id": f"H{i}", "parent": "G1"} for i in range(250)]})
>>> [f.rule for f in check(s, "youyi")]
['grid_codes_valid', 'grid_worker_per_grid', 'party_group_per_grid']
>>> print(grid_household_band(s, "default")[0].text("zh"))
警告：[网格户数在规定范围内] 网格 G1（一网格）有 250 户，少于 300—500 户的规定范围
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Protocol, Self, TypeVar, runtime_checkable

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    JsonValue,
    ValidationError,
    field_validator,
    model_validator,
)

from gridgov.errors import GridCodeError, RuleError
from gridgov.org._base import GridgovModel
from gridgov.org.profiles import Profile, ProfileRef, Severity, load_profile
from gridgov.org.vocab import AreaLevel, Lang, MemberService, OrgKind, PostKind

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from gridgov.org.codes import CodeScheme
    from gridgov.org.structure import Structure

__all__ = [
    "SEVERITIES",
    "Finding",
    "FunctionRule",
    "NoParams",
    "Rule",
    "RuleContext",
    "RuleParams",
    "available_rules",
    "building_head_per_building",
    "check",
    "company_party_building",
    "company_publishes_service_items",
    "compound_has_manager",
    "get_rule",
    "grid_codes_valid",
    "grid_household_band",
    "grid_worker_per_grid",
    "in_service_members_registered",
    "party_group_leader_is_member",
    "party_group_per_grid",
    "register_rule",
    "rule",
    "service_centre_area",
    "two_way_entry",
    "unit_head_per_unit",
    "validate_profile",
]

#: Severities from the most to the least serious; findings sort in this order.
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
_RANK = {s: i for i, s in enumerate(SEVERITIES)}
_SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
_RULE_ID = re.compile(r"^[a-z][a-z0-9_]*$")


# -- findings -------------------------------------------------------------------------------
class Finding(GridgovModel):
    """One subject that breaks one rule.

    Parameters
    ----------
    rule
        Id of the rule (``"grid_household_band"``).
    severity
        ``"error"``, ``"warning"`` or ``"info"``.
    subject
        Id of what is at fault: a grid, building, person, post, company…
    message, message_zh
        The finding in English and in Chinese.
    data
        Figures behind the message (``{"households": 320, "band": [200, 300]}``), for reports.

    Examples
    --------
    >>> f = Finding(rule="unit_head_per_unit", severity="warning", subject="U1",
    ...             message="unit U1 has no unit head", message_zh="单元 U1 没有单元长")
    >>> print(f.text())
    warning: [unit_head_per_unit] unit U1 has no unit head
    >>> print(f.text("zh"))
    警告：[每个单元有单元长] 单元 U1 没有单元长
    """

    rule: str
    severity: Severity
    subject: str
    message: str
    message_zh: str
    data: dict[str, JsonValue] = Field(default_factory=dict)

    def sort_key(self) -> tuple[int, str, str, str]:
        """Severity (most serious first), rule, subject, message."""
        return (_RANK[self.severity], self.rule, self.subject, self.message)

    def text(self, lang: Lang = "en") -> str:
        """One line in English (``lang="en"``) or Chinese (``"zh"``)."""
        if lang == "zh":
            known = _REGISTRY.get(self.rule)
            label = known.label_zh if known is not None and known.label_zh else self.rule
            return f"{_SEVERITY_ZH[self.severity]}：[{label}] {self.message_zh}"
        return f"{self.severity}: [{self.rule}] {self.message}"

    def __str__(self) -> str:
        return self.text("en")


# -- parameters -----------------------------------------------------------------------------
class RuleParams(BaseModel):
    """Base of a rule's parameter model: unknown parameters are errors; values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class NoParams(RuleParams):
    """Parameters of a rule that takes none."""


P = TypeVar("P", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class RuleContext(Generic[P]):
    """What a rule function sees: the structure, the profile, its parameters and the day.

    :meth:`finding` builds a :class:`Finding` with the rule's id and effective severity.
    """

    rule: str
    severity: Severity
    structure: Structure
    profile: Profile
    params: P
    day: dt.date

    def finding(self, subject: str, message: str, message_zh: str, **data: Any) -> Finding:
        """A finding of this rule about ``subject``."""
        return Finding(
            rule=self.rule,
            severity=self.severity,
            subject=subject,
            message=message,
            message_zh=message_zh,
            data=data,
        )


# -- the rule protocol and registry ---------------------------------------------------------
@runtime_checkable
class Rule(Protocol):
    """What :func:`check` needs of a rule; :func:`register_rule` checks it on registration.

    ``params`` is the pydantic model of the rule's parameters; ``profile_keys`` maps a
    parameter name to the profile value that supplies it.
    """

    @property
    def id(self) -> str:
        """Stable snake_case id."""

    @property
    def label_en(self) -> str:
        """Short English name."""

    @property
    def label_zh(self) -> str:
        """Short Chinese name."""

    @property
    def severity(self) -> Severity:
        """Severity of its findings unless a profile overrides it."""

    @property
    def params(self) -> type[BaseModel]:
        """Model of the parameters."""

    @property
    def profile_keys(self) -> Mapping[str, str]:
        """Parameter name → profile value key."""

    def __call__(
        self, structure: Structure, profile: ProfileRef | Profile, /, *, on: dt.date | None = None
    ) -> list[Finding]:
        """Findings of this rule (whether or not the profile enables it), sorted."""


RuleFunction = Callable[[RuleContext[P]], Iterable[Finding]]


@dataclass(frozen=True)
class FunctionRule(Generic[P]):
    """A rule made from a function of a :class:`RuleContext` (what :func:`rule` builds)."""

    id: str
    label_en: str
    label_zh: str
    severity: Severity
    params: type[P]
    profile_keys: Mapping[str, str]
    func: RuleFunction[P] = field(repr=False)
    description: str = ""

    def resolve_params(self, profile: Profile) -> P:
        """The parameters under ``profile``: bound profile values, then the rule's overrides.

        Raises
        ------
        gridgov.errors.RuleError
            Naming the rule, the profile and the parameter (and the profile key it reads).
        """
        return _resolve_params(self.id, self.params, self.profile_keys, profile)

    def __call__(
        self, structure: Structure, profile: ProfileRef | Profile, /, *, on: dt.date | None = None
    ) -> list[Finding]:
        """Findings of this rule on ``structure`` under ``profile``, sorted."""
        prof = load_profile(profile)
        params = self.resolve_params(prof)
        severity = prof.setting(self.id).severity or self.severity
        day = on or structure.reference_date or dt.date.today()
        ctx = RuleContext(self.id, severity, structure, prof, params, day)
        try:
            found = list(self.func(ctx))
        except RuleError:
            raise
        except Exception as exc:
            raise RuleError(
                f"rule {self.id!r} failed on structure {structure.name!r}: "
                f"{type(exc).__name__}: {exc}"
            ) from exc
        return sorted(found, key=Finding.sort_key)


_REGISTRY: dict[str, Rule] = {}


def register_rule(rule_obj: Rule, *, replace: bool = False) -> Rule:
    """Add a rule to the registry, checking that it honours :class:`Rule`.

    Raises
    ------
    gridgov.errors.RuleError
        If the object lacks part of the protocol, its id is not snake_case, its severity or
        parameter bindings are invalid, or the id is taken (unless ``replace``).
    """
    if not isinstance(rule_obj, Rule):
        raise RuleError(f"{rule_obj!r} is not a rule: it lacks part of the Rule protocol")
    rid = rule_obj.id
    if not isinstance(rid, str) or not _RULE_ID.match(rid):
        raise RuleError(f"rule id {rid!r} must be snake_case (lower-case letters, digits, _)")
    if rule_obj.severity not in SEVERITIES:
        raise RuleError(f"rule {rid!r}: severity {rule_obj.severity!r} not in {SEVERITIES}")
    if not (isinstance(rule_obj.params, type) and issubclass(rule_obj.params, BaseModel)):
        raise RuleError(f"rule {rid!r}: params must be a pydantic model class")
    unknown = set(rule_obj.profile_keys) - set(rule_obj.params.model_fields)
    if unknown:
        raise RuleError(f"rule {rid!r} binds unknown parameter(s) {', '.join(sorted(unknown))}")
    if rid in _REGISTRY and not replace:
        raise RuleError(f"a rule {rid!r} is already registered; pass replace=True to replace it")
    _REGISTRY[rid] = rule_obj
    return rule_obj


def rule(
    rule_id: str,
    *,
    label_en: str,
    label_zh: str,
    severity: Severity = "warning",
    params: type[P] = NoParams,  # type: ignore[assignment]  # default for rules without params
    profile_keys: Mapping[str, str] | None = None,
    replace: bool = False,
) -> Callable[[RuleFunction[P]], FunctionRule[P]]:
    """Register a function of a :class:`RuleContext` as a rule.

    Examples
    --------
    >>> @rule("demo_named_grids", label_en="grids have names", label_zh="网格有名称",
    ...       severity="info", replace=True)
    ... def demo_named_grids(ctx: RuleContext[NoParams]) -> list[Finding]:
    ...     s = ctx.structure
    ...     grids = s.areas.frame.filter(level="grid", name="")
    ...     return [ctx.finding(g, f"grid {g} has no name", f"网格 {g} 没有名称")
    ...             for g in grids.get_column("id")]
    >>> "demo_named_grids" in available_rules()
    True
    >>> _ = _REGISTRY.pop("demo_named_grids")
    """

    def wrap(func: RuleFunction[P]) -> FunctionRule[P]:
        doc = (func.__doc__ or "").strip().splitlines()
        made = FunctionRule(
            id=rule_id,
            label_en=label_en,
            label_zh=label_zh,
            severity=severity,
            params=params,
            profile_keys=dict(profile_keys or {}),
            func=func,
            description=doc[0] if doc else label_en,
        )
        register_rule(made, replace=replace)
        return made

    return wrap


def available_rules() -> list[str]:
    """Ids of the registered rules, sorted.

    Examples
    --------
    >>> "grid_household_band" in available_rules()
    True
    """
    return sorted(_REGISTRY)


def get_rule(rule_id: str) -> Rule:
    """The rule ``rule_id``; an unknown id raises :class:`RuleError` listing the known ones."""
    found = _REGISTRY.get(rule_id)
    if found is None:
        near = difflib.get_close_matches(rule_id, _REGISTRY, n=1)
        hint = f" (did you mean {near[0]!r}?)" if near else ""
        raise RuleError(
            f"unknown rule {rule_id!r}{hint}; available: {', '.join(available_rules())}"
        )
    return found


M = TypeVar("M", bound=BaseModel)


def _resolve_params(
    rule_id: str, model: type[M], profile_keys: Mapping[str, str], profile: Profile
) -> M:
    """Validate a rule's parameters: bound profile values, then ``[rules.<id>.params]``."""
    data: dict[str, Any] = {
        name: profile.get(key) for name, key in profile_keys.items() if profile.has(key)
    }
    data.update(profile.setting(rule_id).params)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            name = str(err["loc"][0]) if err["loc"] else ""
            key = profile_keys.get(name)
            where = f"parameter {name!r}" if name else "parameters"
            if key:
                where += f" (profile value {key!r} or rules.{rule_id}.params.{name})"
            problems.append(f"{where}: {err['msg']}")
        raise RuleError(
            f"rule {rule_id!r} under profile {profile.name!r}: " + "; ".join(problems)
        ) from None


def validate_profile(profile: ProfileRef | Profile) -> dict[str, BaseModel]:
    """Check that every rule a profile names exists and every enabled rule's parameters resolve.

    Returns
    -------
    dict
        Rule id → resolved parameters, for the enabled rules.

    Raises
    ------
    gridgov.errors.RuleError
        For a rule id that is not registered (enabled or not) or parameters that do not
        validate.

    Examples
    --------
    >>> sorted(validate_profile("huanan")["service_centre_area"].model_dump().items())
    [('facility_kind', 'party_mass_service_centre'), ('min_floor_area_m2', 300.0), \
('min_resident_space_share', 0.8)]
    """
    prof = load_profile(profile)
    unknown = sorted(set(prof.rules) - set(_REGISTRY))
    if unknown:
        raise RuleError(
            f"profile {prof.name!r} names unknown rule(s) {', '.join(unknown)}; "
            f"available: {', '.join(available_rules())}"
        )
    out: dict[str, BaseModel] = {}
    for rid in prof.enabled_rules():
        r = _REGISTRY[rid]
        out[rid] = _resolve_params(rid, r.params, r.profile_keys, prof)
    return out


def check(
    structure: Structure, profile: ProfileRef | Profile = "default", *, on: dt.date | None = None
) -> list[Finding]:
    """Run the rules ``profile`` enables; findings sorted by severity, rule and subject.

    Parameters
    ----------
    structure
        The structure to check.
    profile
        A shipped profile name, the path of a profile file, or a :class:`Profile`.
    on
        The day to check (default: the structure's reference date, else today).

    Raises
    ------
    gridgov.errors.RuleError
        If the profile names an unknown rule, a parameter does not validate, or a rule fails
        unexpectedly (the message names the rule; the original exception is chained).
    """
    prof = load_profile(profile)
    validate_profile(prof)
    found: list[Finding] = []
    for rid in prof.enabled_rules():
        try:
            found += _REGISTRY[rid](structure, prof, on=on)
        except RuleError:
            raise
        except Exception as exc:  # a third-party rule that does not wrap its own failures
            raise RuleError(
                f"rule {rid!r} failed on structure {structure.name!r}: {type(exc).__name__}: {exc}"
            ) from exc
    return sorted(found, key=Finding.sort_key)


# -- helpers shared by the rules ---------------------------------------------------------------
def _valid_mask(frame: Any, day: dt.date) -> npt.NDArray[np.bool_]:
    """Rows of a polars frame with ``start``/``end`` columns valid on ``day``, as numpy bools."""
    import polars as pl

    expr = (pl.col("start").is_null() | (pl.col("start") <= day)) & (
        pl.col("end").is_null() | (pl.col("end") >= day)
    )
    return frame.select(expr.alias("ok")).get_column("ok").to_numpy()  # type: ignore[no-any-return]


def _areas_at(s: Structure, level: AreaLevel, day: dt.date) -> npt.NDArray[np.int64]:
    """Positions of the areas at ``level`` valid on ``day``, in table order."""
    import numpy as np

    ix = s.index
    return np.flatnonzero((ix.depth == level.depth) & _valid_mask(s.areas.frame, day))


class _Labels:
    """``G1（第一网格）`` / ``G1 (第一网格)``: an area's id with its name, if it has one."""

    def __init__(self, s: Structure) -> None:
        self.ids = s.index.ids
        self.names: list[str | None] = s.areas.frame.get_column("name").to_list()

    def en(self, i: int) -> str:
        name = self.names[i]
        return f"{self.ids[i]} ({name})" if name else self.ids[i]

    def zh(self, i: int) -> str:
        name = self.names[i]
        # a space after a bare id keeps it apart from the Chinese that follows
        return f"{self.ids[i]}（{name}）" if name else f"{self.ids[i]} "


def _join(ids: Iterable[str]) -> str:
    return ", ".join(ids)


# -- the catalogue ----------------------------------------------------------------------------
class BandParams(RuleParams):
    """``band``: the inclusive (min, max) number of households a grid should hold."""

    band: tuple[int, int]

    @field_validator("band")
    @classmethod
    def _ordered(cls, band: tuple[int, int]) -> tuple[int, int]:
        lo, hi = band
        if lo < 0 or lo > hi:
            raise ValueError(f"must be (min, max) with 0 <= min <= max, got {list(band)}")
        return band


@rule(
    "grid_household_band",
    label_en="households per grid within the band",
    label_zh="网格户数在规定范围内",
    severity="warning",
    params=BandParams,
    profile_keys={"band": "grid.households"},
)
def grid_household_band(ctx: RuleContext[BandParams]) -> list[Finding]:
    """Each grid whose number of households lies outside the profile's band."""
    import numpy as np

    s, day = ctx.structure, ctx.day
    ix = s.index
    anc = ix.household_ancestor_at(AreaLevel.GRID)
    keep = (anc >= 0) & _valid_mask(s.households.frame, day)
    counts = np.bincount(anc[keep], minlength=ix.n)
    grids = _areas_at(s, AreaLevel.GRID, day)
    lo, hi = ctx.params.band
    n = counts[grids]
    outside = (n < lo) | (n > hi)
    labels = _Labels(s)
    out = []
    for i, count in zip(grids[outside].tolist(), n[outside].tolist(), strict=True):
        fewer = count < lo
        out.append(
            ctx.finding(
                ix.ids[i],
                f"grid {labels.en(i)} has {count} households, {'fewer' if fewer else 'more'} "
                f"than the band {lo}–{hi}",
                f"网格 {labels.zh(i)}有 {count} 户，{'少于' if fewer else '多于'} "
                f"{lo}—{hi} 户的规定范围",
                households=count,
                band=[lo, hi],
            )
        )
    return out


class CountParams(RuleParams):
    """``count``: how many of something each grid should have."""

    count: int = Field(default=1, ge=0)


@rule(
    "party_group_per_grid",
    label_en="one party group per grid",
    label_zh="每个网格建有一个党小组",
    severity="warning",
    params=CountParams,
    profile_keys={"count": "grid.party_groups"},
)
def party_group_per_grid(ctx: RuleContext[CountParams]) -> list[Finding]:
    """Grids without exactly ``count`` grid party groups, and party groups covering no grid."""
    s, day, want = ctx.structure, ctx.day, ctx.params.count
    ix = s.index
    grid_depth = AreaLevel.GRID.depth
    labels = _Labels(s)
    by_grid: dict[int, list[str]] = defaultdict(list)
    out = []
    for org in s.organisations:
        if org.kind is not OrgKind.GRID_PARTY_GROUP or not org.valid_on(day):
            continue
        i = ix.pos.get(org.area) if org.area else None
        if i is not None and int(ix.depth[i]) == grid_depth:
            by_grid[i].append(org.id)
            continue
        if org.area is None:
            what, what_zh = "not set", "未指定区域"
        elif i is None:
            what, what_zh = f"{org.area}, which is not an area", f"所属区域 {org.area} 不存在"
        else:
            lvl = ix.level_of(i)
            what, what_zh = f"{org.area}, a {lvl.label_en}", f"所属区域 {org.area} 是{lvl.label_zh}"
        out.append(
            ctx.finding(
                org.id,
                f"grid party group {org.id} covers no grid (its area is {what})",
                f"网格党小组 {org.id} 没有对应网格（{what_zh}）",
            )
        )
    for i in _areas_at(s, AreaLevel.GRID, day).tolist():
        groups = by_grid.get(i, [])
        if len(groups) == want:
            continue
        if not groups:
            en = f"grid {labels.en(i)} has no grid party group"
            zh = f"网格 {labels.zh(i)}没有建立网格党小组"
        else:
            en = (
                f"grid {labels.en(i)} has {len(groups)} grid party groups ({_join(groups)}), "
                f"expected {want}"
            )
            zh = (
                f"网格 {labels.zh(i)}有 {len(groups)} 个网格党小组（{_join(groups)}），"
                f"应为 {want} 个"
            )
        out.append(ctx.finding(ix.ids[i], en, zh, party_groups=groups, expected=want))
    return out


class MinCountParams(RuleParams):
    """``min_count``: the least number of filled posts each grid should have."""

    min_count: int = Field(default=1, ge=0)


@rule(
    "grid_worker_per_grid",
    label_en="a full-time grid worker per grid",
    label_zh="每个网格配备专职网格员",
    severity="warning",
    params=MinCountParams,
    profile_keys={"min_count": "grid.full_time_workers"},
)
def grid_worker_per_grid(ctx: RuleContext[MinCountParams]) -> list[Finding]:
    """Grids with fewer filled full-time grid-worker posts than ``min_count``.

    A post counts for a grid when its ``area`` is the grid, or it has no area and its
    organisation serves the grid; it is filled when someone holds it on the day.
    """
    s, day, want = ctx.structure, ctx.day, ctx.params.min_count
    ix = s.index
    grid_depth = AreaLevel.GRID.depth
    orgs = {o.id: o for o in s.organisations}
    holders = s._rollups.holders(day).tolist()  # per post, its holders on the day (kept)
    filled: Counter[int] = Counter()
    vacant: dict[int, list[str]] = defaultdict(list)
    for post, held in zip(s.posts, holders, strict=True):
        if post.kind is not PostKind.GRID_WORKER or not post.valid_on(day):
            continue
        org = orgs.get(post.organisation)
        target = post.area or (org.area if org is not None else None)
        i = ix.pos.get(target) if target else None
        if i is None or int(ix.depth[i]) != grid_depth:
            continue
        if held > 0:
            filled[i] += 1
        else:
            vacant[i].append(post.id)
    labels = _Labels(s)
    out = []
    for i in _areas_at(s, AreaLevel.GRID, day).tolist():
        n = filled.get(i, 0)
        if n >= want:
            continue
        en = f"grid {labels.en(i)} has {n} full-time grid worker(s) in post, fewer than {want}"
        zh = f"网格 {labels.zh(i)}在岗专职网格员 {n} 名，少于 {want} 名"
        if vacant.get(i):
            en += f"; vacant post(s): {_join(vacant[i])}"
            zh += f"；空缺岗位：{_join(vacant[i])}"
        out.append(
            ctx.finding(ix.ids[i], en, zh, in_post=n, expected=want, vacant=vacant.get(i, []))
        )
    return out


def _uncovered(ctx: RuleContext[NoParams], level: AreaLevel, post: PostKind) -> list[Finding]:
    s, day = ctx.structure, ctx.day
    ix = s.index
    valid = _valid_mask(s.areas.frame, day)
    labels = _Labels(s)
    out = []
    for area in s.uncovered(level, on=day):
        i = ix.pos[area]
        if not valid[i]:
            continue
        out.append(
            ctx.finding(
                area,
                f"{level.value} {labels.en(i)} has no {post.label_en}",
                f"{level.label_zh} {labels.zh(i)}没有{post.label_zh}",
            )
        )
    return out


@rule(
    "building_head_per_building",
    label_en="a building head per building",
    label_zh="每栋楼有楼长",
    severity="warning",
)
def building_head_per_building(ctx: RuleContext[NoParams]) -> list[Finding]:
    """Buildings with no building head (楼长) on the day."""
    return _uncovered(ctx, AreaLevel.BUILDING, PostKind.BUILDING_HEAD)


@rule(
    "unit_head_per_unit",
    label_en="a unit head per unit",
    label_zh="每个单元有单元长",
    severity="warning",
)
def unit_head_per_unit(ctx: RuleContext[NoParams]) -> list[Finding]:
    """Units with no unit head (单元长) on the day."""
    return _uncovered(ctx, AreaLevel.UNIT, PostKind.UNIT_HEAD)


@rule(
    "party_group_leader_is_member",
    label_en="party-group leaders are party members",
    label_zh="党小组长为党员",
    severity="error",
)
def party_group_leader_is_member(ctx: RuleContext[NoParams]) -> list[Finding]:
    """Holders of party-group-leader posts on the day who are not party members."""
    s, day = ctx.structure, ctx.day
    posts = {p.id: p for p in s.posts if p.kind is PostKind.PARTY_GROUP_LEADER}
    people = s._by_id("person")  # kept by the structure
    out = []
    for a in s.appointments:
        if a.post not in posts or not a.valid_on(day):
            continue
        person = people.get(a.person)
        if person is None or person.party is not None:
            continue
        org = posts[a.post].organisation
        who = f"{person.id} ({person.name})" if person.name else person.id
        who_zh = f"{person.id}（{person.name}）" if person.name else f"{person.id} "
        out.append(
            ctx.finding(
                person.id,
                f"{who} holds party-group leader post {a.post} of {org} but is not a party member",
                f"{who_zh}担任 {org} 的党小组长（岗位 {a.post}），但不是党员",
                post=a.post,
                organisation=org,
            )
        )
    return out


@rule(
    "in_service_members_registered",
    label_en="in-service party members report back to their grid of residence",
    label_zh="在职党员回居住地网格报到",
    severity="warning",
)
def in_service_members_registered(ctx: RuleContext[NoParams]) -> list[Finding]:
    """In-service party members with no report-back, on the day, to the grid they live in."""
    import numpy as np
    import polars as pl

    s, day = ctx.structure, ctx.day
    members = [
        p for p in s.people if p.party is not None and p.party.service is MemberService.IN_SERVICE
    ]
    if not members:
        return []
    ix = s.index
    grid_pos = ix.household_ancestor_at(AreaLevel.GRID)
    # each home's row, in the households' kept key index (-1: none or unknown)
    homes = pl.Series([p.household for p in members], dtype=pl.String)
    rows = s.households.key_index.positions(homes).astype(np.int64)
    at = np.full(len(rows), -1, dtype=np.int64)  # (no households: no homes at all)
    at[rows >= 0] = grid_pos[rows[rows >= 0]]
    grids = [ix.ids[g] if g >= 0 else None for g in at.tolist()]
    reported: dict[str, list[str]] = defaultdict(list)
    for rb in s.report_backs:
        if rb.valid_on(day):
            reported[rb.member].append(rb.grid)
    labels = _Labels(s)
    out = []
    for person, grid in zip(members, grids, strict=True):
        to = sorted(set(reported.get(person.id, [])))
        if grid and grid in to:  # reported back where they live: nothing to say
            continue
        who = f"{person.id} ({person.name})" if person.name else person.id
        who_zh = f"{person.id}（{person.name}）" if person.name else f"{person.id} "
        if not grid:
            if person.household is None:
                en = f"in-service party member {who} has no household, so no grid of residence"
                zh = f"在职党员 {who_zh}没有登记住户，无法确定居住地网格"
            else:
                en = f"in-service party member {who} lives in {person.household}, outside any grid"
                zh = f"在职党员 {who_zh}的住户 {person.household} 不在任何网格内"
            out.append(ctx.finding(person.id, en, zh, household=person.household, reported=to))
            continue
        g = labels.en(ix.pos[grid])
        g_zh = labels.zh(ix.pos[grid])
        if to:
            en = (
                f"in-service party member {who} reported back to {_join(to)}, not to grid {g} "
                "where they live"
            )
            zh = f"在职党员 {who_zh}报到网格为 {_join(to)}，不是居住地网格 {g_zh}"
        else:
            en = f"in-service party member {who} has not reported back to grid {g} where they live"
            zh = f"在职党员 {who_zh}未回居住地网格 {g_zh}报到"
        out.append(ctx.finding(person.id, en, zh, grid=grid, reported=to))
    return out


class ServiceCentreParams(RuleParams):
    """Which facilities are service centres and the least floor area and resident share."""

    facility_kind: str = "party_mass_service_centre"
    min_floor_area_m2: float | None = Field(default=None, ge=0)
    min_resident_space_share: float | None = Field(default=None, ge=0, le=1)

    @model_validator(mode="after")
    def _something(self) -> Self:
        if self.min_floor_area_m2 is None and self.min_resident_space_share is None:
            raise ValueError(
                "set min_floor_area_m2 (service_centre.min_floor_area_m2) or "
                "min_resident_space_share (service_centre.min_resident_space_share)"
            )
        return self


@rule(
    "service_centre_area",
    label_en="service-centre floor area and resident space share",
    label_zh="党群服务中心面积及居民活动空间占比",
    severity="warning",
    params=ServiceCentreParams,
    profile_keys={
        "min_floor_area_m2": "service_centre.min_floor_area_m2",
        "min_resident_space_share": "service_centre.min_resident_space_share",
    },
)
def service_centre_area(ctx: RuleContext[ServiceCentreParams]) -> list[Finding]:
    """Party-and-mass service centres below the floor area or resident share, or unrecorded."""
    from gridgov.org.organisations import ServiceFacility

    p = ctx.params
    out = []
    for org in ctx.structure.organisations:
        if not isinstance(org, ServiceFacility) or not org.valid_on(ctx.day):
            continue
        if org.facility_kind != p.facility_kind:
            continue
        en: list[str] = []
        zh: list[str] = []
        area, share = org.floor_area_m2, org.resident_space_share
        if p.min_floor_area_m2 is not None:
            if area is None:
                en.append("floor area not recorded")
                zh.append("未登记面积")
            elif area < p.min_floor_area_m2:
                en.append(f"floor area {area:g} m² is below {p.min_floor_area_m2:g} m²")
                zh.append(f"面积 {area:g} 平方米，低于 {p.min_floor_area_m2:g} 平方米")
        if p.min_resident_space_share is not None:
            need = p.min_resident_space_share
            if share is None:
                en.append("resident space share not recorded")
                zh.append("未登记居民活动空间占比")
            elif share < need:
                en.append(f"resident space share {share:.0%} is below {need:.0%}")
                zh.append(f"居民活动空间占比 {share:.0%}，低于 {need:.0%}")
        if en:
            name = f" ({org.name})" if org.name else ""
            name_zh = f"（{org.name}）" if org.name else ""
            out.append(
                ctx.finding(
                    org.id,
                    f"service centre {org.id}{name}: {'; '.join(en)}",
                    f"党群服务中心 {org.id}{name_zh}：{'；'.join(zh)}",
                    floor_area_m2=area,
                    resident_space_share=share,
                )
            )
    return out


@rule(
    "compound_has_manager",
    label_en="every compound has a property company or governs itself",
    label_zh="小区有物业企业或实行居民自治",
    severity="warning",
)
def compound_has_manager(ctx: RuleContext[NoParams]) -> list[Finding]:
    """Compounds with neither a (current) property company nor the self-governed mark."""
    s, day = ctx.structure, ctx.day
    orgs = {o.id: o for o in s.organisations}
    out = []
    for c in s.compounds:
        if not c.valid_on(day) or c.self_governed:
            continue
        name = f" ({c.name})" if c.name else ""
        name_zh = f"（{c.name}）" if c.name else " "
        if c.property_company is None:
            out.append(
                ctx.finding(
                    c.id,
                    f"compound {c.id}{name} has no property company and is not marked "
                    "self-governed",
                    f"小区 {c.id}{name_zh}既无物业企业，也未标记为居民自治",
                )
            )
            continue
        company = orgs.get(c.property_company)
        if company is None or not company.valid_on(day):
            out.append(
                ctx.finding(
                    c.id,
                    f"compound {c.id}{name} is managed by {c.property_company}, which is not "
                    f"active on {day.isoformat()}",
                    f"小区 {c.id}{name_zh}的物业企业 {c.property_company} "
                    f"在 {day.isoformat()} 不在存续期",
                    property_company=c.property_company,
                )
            )
    return out


class GridCodeParams(RuleParams):
    """``scheme``: the grid-code scheme; ``require_code``: whether every grid must have a code."""

    scheme: str
    require_code: bool = False

    @model_validator(mode="after")
    def _codes_grids(self) -> Self:
        from gridgov.org.codes import get_scheme

        try:
            scheme = get_scheme(self.scheme)
        except GridCodeError as exc:
            raise ValueError(str(exc)) from None
        if AreaLevel.GRID.value not in scheme.levels:
            raise ValueError(
                f"code scheme {self.scheme!r} does not code grids (levels: "
                f"{', '.join(scheme.levels)}); choose a scheme with a grid part, e.g. cjt349_20"
            )
        return self


def _grid_code_problem(
    scheme: CodeScheme, code: str, *, parent_code: str | None, grids_in_community: int
) -> str | None:
    try:
        parsed = scheme.parse(code)
    except GridCodeError as exc:
        return str(exc)
    if "undivided_community" in parsed.flags:
        if grids_in_community > 1:
            return (
                f"{scheme.name}: code {code!r} marks an undivided community (one grid), but the "
                f"community has {grids_in_community} grids"
            )
        return None
    if parsed.level != AreaLevel.GRID.value:
        return f"{scheme.name}: code {code!r} is at level {parsed.level!r}, not a grid"
    if parent_code and scheme.is_valid(parent_code):
        return scheme.check_child(parent_code, code)
    return None


@rule(
    "grid_codes_valid",
    label_en="grid codes valid under the structure's scheme",
    label_zh="网格编码符合编码规则",
    severity="error",
    params=GridCodeParams,
    profile_keys={"scheme": "code.scheme", "require_code": "grid.coded"},
)
def grid_codes_valid(ctx: RuleContext[GridCodeParams]) -> list[Finding]:
    """Grids whose code is invalid, and (with ``require_code``) grids without a code.

    A code is invalid when it does not parse under the scheme, is not at the grid level, misses
    its community's prefix, or is shared by two grids. The scheme is the structure's own
    (``Structure.code_scheme``); the profile's ``code.scheme`` is used only for a structure
    that names none. A CJ/T 349 code with grid part ``00`` (an undivided community, whose one
    grid carries the community's code) is valid only for the one grid of its community.
    """
    import numpy as np

    from gridgov.org.codes import get_scheme

    s, day = ctx.structure, ctx.day
    scheme = get_scheme(s.code_scheme or ctx.params.scheme)  # the structure's own first
    ix = s.index
    codes: list[str | None] = s.areas.frame.get_column("code").to_list()
    community = ix.ancestor_at(AreaLevel.COMMUNITY)
    grids = _areas_at(s, AreaLevel.GRID, day)
    in_community = np.bincount(community[grids][community[grids] >= 0], minlength=ix.n)
    seen = Counter(codes[i] for i in grids.tolist() if codes[i])
    labels = _Labels(s)
    out = []
    for i in grids.tolist():
        code = codes[i]
        g, g_zh = labels.en(i), labels.zh(i)
        if not code:
            if ctx.params.require_code:
                out.append(ctx.finding(ix.ids[i], f"grid {g} has no code", f"网格 {g_zh}未赋码"))
            continue
        c = int(community[i])
        problem = _grid_code_problem(
            scheme,
            code,
            parent_code=codes[c] if c >= 0 else None,
            grids_in_community=int(in_community[c]) if c >= 0 else 1,
        )
        if problem is None and seen[code] > 1:
            problem = f"code {code!r} is shared by {seen[code]} grids"
        if problem is not None:
            out.append(
                ctx.finding(
                    ix.ids[i],
                    f"grid {g} has an invalid code: {problem}",
                    f"网格 {g_zh}的编码 {code} 不符合 {scheme.label_zh}：{problem}",
                    code=code,
                    scheme=scheme.name,
                )
            )
    return out


@rule(
    "two_way_entry",
    label_en="two-way entry between communities and property companies",
    label_zh="社区与物业企业双向进入",
    severity="warning",
)
def two_way_entry(ctx: RuleContext[NoParams]) -> list[Finding]:
    """Community–property-company pairs with cross-appointments in one direction only."""
    out = []
    for pair in ctx.structure.entry_pairs(on=ctx.day):
        if pair.two_way:
            continue
        one_way = pair.community_to_company > 0
        n = pair.community_to_company if one_way else pair.company_to_community
        en_dir = (
            "from the community to the company" if one_way else "from the company to the community"
        )
        zh_dir = "社区到企业" if one_way else "企业到社区"
        out.append(
            ctx.finding(
                pair.company,
                f"community {pair.community} and property company {pair.company} have "
                f"cross-appointments only {en_dir} ({n}); entry is not two-way",
                f"社区 {pair.community} 与物业企业 {pair.company} 之间只有{zh_dir}的交叉任职"
                f"（{n} 人），未实现双向进入",
                community=pair.community,
                community_to_company=pair.community_to_company,
                company_to_community=pair.company_to_community,
            )
        )
    return out


class CompanyPartyParams(RuleParams):
    """What a property company must have: a party organisation, party building in its charter."""

    require_party_organisation: bool = True
    require_charter: bool = True


@rule(
    "company_party_building",
    label_en="property companies build the party in",
    label_zh="物业企业建立党组织并将党建写入章程",
    severity="warning",
    params=CompanyPartyParams,
    profile_keys={
        "require_party_organisation": "property.party_organisation",
        "require_charter": "property.charter_party_building",
    },
)
def company_party_building(ctx: RuleContext[CompanyPartyParams]) -> list[Finding]:
    """Property companies without a party organisation or without party building in the charter.

    The party organisation is one whose ``host`` is the company, active on the day.
    """
    from gridgov.org.organisations import PropertyCompany

    s, day, p = ctx.structure, ctx.day, ctx.params
    hosts = {o.host for o in s.organisations if o.host and o.kind.is_party and o.valid_on(day)}
    out = []
    for org in s.organisations:
        if not isinstance(org, PropertyCompany) or not org.valid_on(day):
            continue
        en: list[str] = []
        zh: list[str] = []
        if p.require_party_organisation and org.id not in hosts:
            en.append("has no party organisation of its own")
            zh.append("未建立物业党组织")
        if p.require_charter and not org.charter_includes_party_building:
            en.append("has not written party building into its charter")
            zh.append("未将党建工作写入公司章程")
        if en:
            name = f" ({org.name})" if org.name else ""
            name_zh = f"（{org.name}）" if org.name else " "
            out.append(
                ctx.finding(
                    org.id,
                    f"property company {org.id}{name} {' and '.join(en)}",
                    f"物业企业 {org.id}{name_zh}{'，'.join(zh)}",
                    party_organisation=org.id in hosts,
                    charter_includes_party_building=org.charter_includes_party_building,
                )
            )
    return out


@rule(
    "company_publishes_service_items",
    label_en="property companies publish their service items",
    label_zh="物业企业公开服务项目",
    severity="warning",
)
def company_publishes_service_items(ctx: RuleContext[NoParams]) -> list[Finding]:
    """Property companies that do not publish their service items, standards and scope."""
    from gridgov.org.organisations import PropertyCompany

    out = []
    for org in ctx.structure.organisations:
        if not isinstance(org, PropertyCompany) or not org.valid_on(ctx.day):
            continue
        if org.publishes_service_items:
            continue
        name = f" ({org.name})" if org.name else ""
        name_zh = f"（{org.name}）" if org.name else " "
        out.append(
            ctx.finding(
                org.id,
                f"property company {org.id}{name} does not publish its service items, "
                "standards and scope",
                f"物业企业 {org.id}{name_zh}未公开服务项目、标准和范围",
            )
        )
    return out
