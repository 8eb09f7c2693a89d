"""Indicators as data: a catalogue of definitions computed for every subject at once.

An :class:`Indicator` names what it measures (bilingual), the kind of subject it describes
(``property_company``, ``grid``, ``community``, ``party_member``, ``co_building_unit``,
``department``), its direction, unit and source, and how it is computed from the structure
and the case table (:func:`gridgov.service.cases`). The shipped catalogue is
``indicators.toml`` beside this module; :func:`load_indicators` reads a user's file of the
same shape, and :func:`indicator_function` registers a Python function for what data cannot
say. :func:`compute_indicators` evaluates a list of indicators with polars group-bys over all
subjects at once (never a per-subject loop).

Examples
--------
>>> sorted(i.id for i in indicators() if i.subject == "property_company")
['complaint_rate', 'resolution_rate', 'satisfaction']
>>> indicators()[0].name_zh
'业主投诉率'
"""

from __future__ import annotations

import datetime as dt
import difflib
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from gridgov.errors import AssessError

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl

    from gridgov.org.structure import Structure

__all__ = [
    "SUBJECT_KINDS",
    "Indicator",
    "IndicatorContext",
    "SubjectKind",
    "compute_indicators",
    "indicator_function",
    "indicators",
    "load_indicators",
    "subjects",
]

SubjectKind: TypeAlias = Literal[
    "property_company", "grid", "community", "department", "party_member", "co_building_unit"
]
#: Subject kinds with their Chinese labels.
SUBJECT_KINDS: dict[str, str] = {
    "property_company": "物业企业",
    "grid": "网格",
    "community": "社区",
    "department": "职能部门",
    "party_member": "党员",
    "co_building_unit": "共驻共建单位",
}


class Indicator(BaseModel):
    """One indicator: what it measures and how it is computed.

    ``compute`` is one of ``per_households`` (cases matching ``cases`` per ``per``
    households of the subject per year), ``rate`` (the :mod:`gridgov.service.rates` function
    named ``rate``), ``mean`` (mean of the case-table ``column``), ``count`` (cases per
    subject), ``share`` (among cases matching ``cases`` with ``hit_column`` not null, the
    share with ``hit_column >= hit_min``) or ``function`` (a function registered with
    :func:`indicator_function`).
    ``cases`` filters the case table: column name to the allowed values.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_en: str = Field(min_length=1)
    name_zh: str = Field(min_length=1)
    subject: SubjectKind
    definition: str = Field(min_length=1)
    direction: Literal["benefit", "cost"]
    unit: str = Field(min_length=1)
    source: str = Field(min_length=1)
    compute: Literal["per_households", "rate", "share", "mean", "count", "function"]
    cases: dict[str, list[str | bool]] = Field(default_factory=dict)
    per: float = Field(default=100.0, gt=0)
    rate: str = ""
    column: str = ""
    function: str = ""
    hit_column: str = ""
    hit_min: float | None = None

    def name(self, lang: str = "en") -> str:
        """The name in ``lang`` (``"en"`` or ``"zh"``)."""
        return self.name_zh if lang == "zh" else self.name_en


@dataclass(frozen=True)
class IndicatorContext:
    """What an indicator function receives: the data of one assessment.

    ``cases`` is the case table restricted to the period, with a ``subject`` column for the
    subject kind being computed; ``subjects`` has ``subject`` and ``households``; ``years``
    is the period's length in years; ``events`` the event log of the period when the
    caller has it (``None`` otherwise).
    """

    structure: Structure
    cases: pl.DataFrame
    subjects: pl.DataFrame
    kind: str
    years: float
    as_of: dt.date
    events: pl.DataFrame | None = None


IndicatorFunction: TypeAlias = Callable[[IndicatorContext], "pl.DataFrame"]
_FUNCTIONS: dict[str, IndicatorFunction] = {}


def indicator_function(name: str) -> Callable[[IndicatorFunction], IndicatorFunction]:
    """Register ``f(context) -> DataFrame[subject, value]`` as indicator function ``name``.

    Examples
    --------
    >>> import polars as pl
    >>> @indicator_function("households")
    ... def _households(ctx: IndicatorContext) -> pl.DataFrame:
    ...     return ctx.subjects.select("subject", value=pl.col("households").cast(pl.Float64))
    >>> "households" in registered_functions()
    True
    """

    def register(f: IndicatorFunction) -> IndicatorFunction:
        _FUNCTIONS[name] = f
        return f

    return register


def registered_functions() -> list[str]:
    """Names of the registered indicator functions, sorted."""
    return sorted(_FUNCTIONS)


def _parse(data: Mapping[str, Any], origin: str) -> list[Indicator]:
    raw = data.get("indicator", [])
    if not isinstance(raw, list):
        raise AssessError(f"{origin}: 'indicator' must be an array of tables ([[indicator]])")
    out: list[Indicator] = []
    problems: list[str] = []
    for n, item in enumerate(raw):
        try:
            out.append(Indicator.model_validate(item))
        except ValidationError as exc:
            for e in exc.errors():
                loc = ".".join(str(p) for p in e["loc"])
                problems.append(f"indicator #{n + 1} ({item.get('id', '?')}): {loc}: {e['msg']}")
    ids = [i.id for i in out]
    problems += [
        f"duplicate indicator id {i!r}" for i in sorted({i for i in ids if ids.count(i) > 1})
    ]
    if problems:
        raise AssessError(f"{origin}: " + "; ".join(problems))
    return out


@cache
def _shipped() -> tuple[Indicator, ...]:
    text = resources.files("gridgov.assess").joinpath("indicators.toml").read_text("utf-8")
    return tuple(_parse(tomllib.loads(text), "indicators.toml"))


def indicators() -> list[Indicator]:
    """The shipped indicator catalogue, in file order."""
    return list(_shipped())


def load_indicators(path: str | Path) -> list[Indicator]:
    """Read a TOML file of ``[[indicator]]`` tables (the shape of the shipped catalogue).

    Raises
    ------
    AssessError
        Every invalid field of every indicator, named by position and id.
    """
    from gridgov.io.safety import read_bounded

    p = Path(path)
    try:
        data = tomllib.loads(read_bounded(p).decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise AssessError(f"{p}: not a readable TOML file: {exc}") from exc
    return _parse(data, str(p))


def lookup(ids: Sequence[str], extra: Sequence[Indicator] = ()) -> list[Indicator]:
    """The indicators named ``ids`` from ``extra`` and the shipped catalogue."""
    known = {i.id: i for i in (*_shipped(), *extra)}
    missing = [i for i in ids if i not in known]
    if missing:
        hints = [
            f"{m!r}"
            + (
                f" (did you mean {c[0]!r}?)"
                if (c := difflib.get_close_matches(m, known, 1))
                else ""
            )
            for m in missing
        ]
        raise AssessError(
            f"unknown indicator(s) {', '.join(hints)}; available: {', '.join(sorted(known))}"
        )
    return [known[i] for i in ids]


# -- subjects -----------------------------------------------------------------------------
_ORG_KIND = {
    "property_company": "property_company",
    "co_building_unit": "co_building_unit",
    "department": "department",
}


def subjects(structure: Structure, kind: str) -> pl.DataFrame:
    """Every subject of ``kind`` in ``structure``: ``subject``, ``name``, ``households``.

    Households of a property company are those in the buildings of the compounds it manages;
    of a grid or community, those inside it; other kinds have 0.
    """
    import numpy as np
    import polars as pl

    from gridgov.org.vocab import AreaLevel

    index = structure.index
    schema = {"subject": pl.String, "name": pl.String, "households": pl.Int64}
    if kind in ("grid", "community"):
        level = AreaLevel(kind)
        pos = index.household_ancestor_at(level)
        counts = np.bincount(pos[pos >= 0], minlength=len(index.ids))
        ids = [a.id for a in structure.areas if a.level == level]
        names = [a.name for a in structure.areas if a.level == level]
        at = {s: i for i, s in enumerate(index.ids)}
        return pl.DataFrame(
            {"subject": ids, "name": names, "households": [int(counts[at[i]]) for i in ids]},
            schema=schema,
        )
    if kind == "party_member":
        people = [p for p in structure.people if p.party is not None]
        return pl.DataFrame(
            {
                "subject": [p.id for p in people],
                "name": [p.id for p in people],
                "households": [0] * len(people),
            },
            schema=schema,
        )
    orgs = [o for o in structure.organisations if o.kind.value == _ORG_KIND[kind]]
    frame = pl.DataFrame(
        {"subject": [o.id for o in orgs], "name": [o.name for o in orgs]},
        schema={"subject": pl.String, "name": pl.String},
    )
    if kind != "property_company":
        return frame.with_columns(households=pl.lit(0, pl.Int64))
    building_of = pl.DataFrame(
        [
            (b, c.property_company)
            for c in structure.compounds
            if c.property_company
            for b in c.buildings
        ],
        schema={"building": pl.String, "subject": pl.String},
        orient="row",
    )
    bpos = index.household_ancestor_at(AreaLevel.BUILDING)
    hh = pl.DataFrame(
        {"building": np.asarray(index.ids, dtype=object)[bpos].tolist() if len(bpos) else []},
        schema={"building": pl.String},
    )
    per = (
        hh.join(building_of, on="building")
        .group_by("subject")
        .agg(households=pl.len().cast(pl.Int64))
    )
    return frame.join(per, on="subject", how="left").with_columns(pl.col("households").fill_null(0))


def subject_column(structure: Structure, cases: pl.DataFrame, kind: str) -> pl.DataFrame:
    """The case table with a ``subject`` column for ``kind`` (null where none applies)."""
    import polars as pl

    from gridgov.org.vocab import AreaLevel

    if kind in ("grid", "community"):
        index = structure.index
        anc = index.ancestor_at(AreaLevel(kind))
        units = pl.DataFrame(
            {
                "area": index.ids,
                "subject": [index.ids[a] if a >= 0 else None for a in anc.tolist()],
            },
            schema={"area": pl.String, "subject": pl.String},
        ).unique("area", keep="first")
        return cases.join(units, on="area", how="left", maintain_order="left")
    return cases.with_columns(subject=pl.col("target"))


# -- computing ----------------------------------------------------------------------------
def _filter(ind: Indicator) -> pl.Expr:
    import polars as pl

    expr = pl.lit(True)
    for column, allowed in ind.cases.items():
        expr = expr & pl.col(column).is_in(allowed)
    return expr


def _one(ind: Indicator, ctx: IndicatorContext) -> pl.DataFrame:
    """``subject``, ``value`` (null where undefined) for a ``rate`` or ``function`` indicator."""
    import polars as pl

    cases = ctx.cases.filter(_filter(ind) & pl.col("subject").is_not_null())
    if ind.compute == "function":
        if ind.function not in _FUNCTIONS:
            raise AssessError(
                f"indicator {ind.id!r}: no function {ind.function!r} is registered; "
                f"registered: {', '.join(registered_functions()) or 'none'}"
            )
        import dataclasses

        return _FUNCTIONS[ind.function](dataclasses.replace(ctx, cases=cases)).select(
            "subject", pl.col("value").cast(pl.Float64)
        )
    from gridgov.service import rates

    func = getattr(rates, ind.rate, None)
    if func is None or not ind.rate.endswith("_rate"):
        raise AssessError(f"indicator {ind.id!r}: gridgov.service.rates has no rate {ind.rate!r}")
    rated: pl.DataFrame = func(
        cases.drop("subject").with_columns(target=cases["subject"]), by="target", period=None
    )
    return rated.select(pl.col("target").alias("subject"), value=pl.col("rate").cast(pl.Float64))


def compute_indicators(
    structure: Structure | None,
    cases: pl.DataFrame,
    chosen: Sequence[Indicator],
    *,
    kind: str,
    years: float = 1.0,
    as_of: dt.date | None = None,
    subject_frame: pl.DataFrame | None = None,
    events: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Values of ``chosen`` for every subject of ``kind``: one row per subject.

    Columns ``subject``, ``name``, ``households``, ``cases`` (the subject's cases in the
    table) and one column per indicator id; a value is null where it is undefined (a rate
    with no denominator), never NaN.

    ``subject_frame`` (``subject``, ``name``, ``households``) replaces the structure's
    subjects: for subjects kept outside a :class:`~gridgov.org.Structure` (then
    ``structure`` may be ``None`` for indicators keyed by the case's ``target``).

    Raises
    ------
    AssessError
        An indicator for another subject kind, or one that names an unknown function; no
        structure where one is needed.
    """
    import polars as pl

    wrong = [i.id for i in chosen if i.subject != kind]
    if wrong:
        raise AssessError(
            f"indicator(s) {', '.join(wrong)} describe another subject kind than {kind!r}"
        )
    if structure is None and (
        subject_frame is None
        or kind in ("grid", "community")
        or any(i.compute == "function" for i in chosen)
    ):
        raise AssessError(f"{kind} indicators need the structure / 需要组织结构")
    subs = subjects(structure, kind) if subject_frame is None else subject_frame  # type: ignore[arg-type]
    keyed = (
        cases.with_columns(subject=pl.col("target"))
        if structure is None
        else subject_column(structure, cases, kind)
    )
    day = as_of or (structure.reference_date if structure is not None else None)
    ctx = IndicatorContext(
        structure,  # type: ignore[arg-type]
        keyed,
        subs,
        kind,
        years,
        day or dt.date.today(),
        events,
    )
    # one group-by for every count and mean; rates and functions one query each
    simple = [i for i in chosen if i.compute in ("per_households", "count", "mean", "share")]
    aggs = [pl.len().alias("cases")]
    for ind in simple:
        if ind.compute == "mean":
            aggs.append(
                pl.col(ind.column).filter(_filter(ind)).cast(pl.Float64).mean().alias(ind.id)
            )
        elif ind.compute == "share":
            base = _filter(ind) & pl.col(ind.hit_column).is_not_null()
            hits = (base & (pl.col(ind.hit_column) >= ind.hit_min)).sum()
            aggs.append(pl.when(base.sum() > 0).then(hits / base.sum()).alias(ind.id))
        else:
            aggs.append(_filter(ind).sum().alias(ind.id))
    grouped = keyed.filter(pl.col("subject").is_not_null()).group_by("subject").agg(aggs)
    out = subs.join(grouped, on="subject", how="left", maintain_order="left")
    scaled = [pl.col("cases").fill_null(0)]
    for ind in simple:
        n = pl.col(ind.id).fill_null(0).cast(pl.Float64)
        if ind.compute == "count":
            scaled.append(n.alias(ind.id))
        elif ind.compute == "per_households":
            scaled.append(
                pl.when(pl.col("households") > 0)
                .then(n * ind.per / pl.col("households") / ctx.years)
                .alias(ind.id)
            )
    out = out.with_columns(scaled)
    for ind in chosen:
        if ind not in simple:
            values = _one(ind, ctx).rename({"value": ind.id})
            out = out.join(values, on="subject", how="left", maintain_order="left")
    out = out.select(*subs.columns, "cases", *(i.id for i in chosen))
    return out.with_columns(pl.col(i.id).fill_nan(None) for i in chosen)


# -- shipped functions --------------------------------------------------------------------
def _active_links(ctx: IndicatorContext) -> pl.DataFrame:
    import polars as pl

    links = ctx.structure.linked_households.frame
    return links.filter(
        (pl.col("start").is_null() | (pl.col("start") <= ctx.as_of))
        & (pl.col("end").is_null() | (pl.col("end") > ctx.as_of))
    )


@indicator_function("linked_households_per_member")
def _linked_per_member(ctx: IndicatorContext) -> pl.DataFrame:
    import polars as pl

    per = _active_links(ctx).group_by("member").agg(value=pl.col("household").n_unique())
    return ctx.subjects.join(per, left_on="subject", right_on="member", how="left").select(
        "subject", value=pl.col("value").fill_null(0).cast(pl.Float64)
    )


@indicator_function("linked_household_coverage")
def _linked_coverage(ctx: IndicatorContext) -> pl.DataFrame:
    import numpy as np
    import polars as pl

    from gridgov.org.vocab import AreaLevel

    index = ctx.structure.index
    level = AreaLevel(ctx.kind)
    pos = index.household_ancestor_at(level)
    hh = ctx.structure.households.frame.select("id").with_columns(
        subject=pl.Series(
            np.asarray(index.ids, dtype=object)[np.maximum(pos, 0)].tolist(), dtype=pl.String
        )
    )
    linked = _active_links(ctx).select(pl.col("household").alias("id")).unique()
    per = (
        hh.join(linked.with_columns(linked=pl.lit(1)), on="id", how="left")
        .group_by("subject")
        .agg(n=pl.col("linked").fill_null(0).sum())
    )
    return ctx.subjects.join(per, on="subject", how="left").select(
        "subject",
        value=pl.when(pl.col("households") > 0).then(
            pl.col("n").fill_null(0) / pl.col("households")
        ),
    )


@indicator_function("report_back_registered")
def _report_back(ctx: IndicatorContext) -> pl.DataFrame:
    import polars as pl

    active = [
        r.member
        for r in ctx.structure.report_backs
        if (r.start is None or r.start <= ctx.as_of) and (r.end is None or r.end > ctx.as_of)
    ]
    return ctx.subjects.select("subject", value=pl.col("subject").is_in(active).cast(pl.Float64))


@indicator_function("orders_taken_by_member")
def _orders_taken(ctx: IndicatorContext) -> pl.DataFrame:
    """接单 events whose actor is the member, or a post the member held that day."""
    import polars as pl

    if ctx.events is None:
        raise AssessError("indicator orders_taken_by_member needs the event log / 需要事件日志")
    takes = ctx.events.filter(pl.col("activity") == "take").select(
        "actor", day=pl.col("timestamp").dt.date()
    )
    held = pl.DataFrame(
        [(a.post, a.person, a.start, a.end) for a in ctx.structure.appointments],
        schema={"actor": pl.String, "person": pl.String, "start": pl.Date, "end": pl.Date},
        orient="row",
    )
    via_post = (
        takes.join(held, on="actor")
        .filter(
            (pl.col("start").is_null() | (pl.col("start") <= pl.col("day")))
            & (pl.col("end").is_null() | (pl.col("end") > pl.col("day")))
        )
        .select(subject="person")
    )
    direct = takes.select(subject="actor")
    counts = pl.concat([via_post, direct]).group_by("subject").agg(value=pl.len())
    return ctx.subjects.join(counts, on="subject", how="left").select(
        "subject", value=pl.col("value").fill_null(0).cast(pl.Float64)
    )
