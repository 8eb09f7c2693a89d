"""Rates with exact formulas, per area, target organisation and period.

Every function here takes the per-case table of :func:`gridgov.service.case_table.cases` and
returns a frame with one row per group and period: the grouping column (if any), ``period``,
``numerator``, ``denominator`` and ``rate`` (``numerator / denominator``, null when the
denominator is 0) — or, for counts, ``count``. Each docstring states the definition, the
timestamp that places a case in a period and the source.

Grouping (``by``):

* ``None`` — the whole log;
* ``"area"`` — the case's own area;
* ``"grid"``, ``"community"``, ``"street"`` (any :class:`~gridgov.org.vocab.AreaLevel`) — the
  case's area rolled up to its ancestor at that level in ``structure`` (areas above that level,
  or not in the structure, give a null group);
* ``"target"`` — the organisation the case was sent to; ``"department"`` and ``"company"``
  keep only targets that are government departments or property companies in ``structure``.

Periods (``period``): ``"month"`` (``2024-06``), ``"quarter"`` (``2024-Q2``), ``"year"``
(``2024``) or ``"all"``; or one period written that way (``"2024-06"``), which both groups by
that granularity and keeps that period only. Periods are local dates (Asia/Shanghai).

Examples
--------
>>> import polars as pl
>>> from gridgov.service.case_table import cases
>>> from gridgov.service.sample import sample_log
>>> table = cases(sample_log(["whistle"], cases=40, seed=1, urgent_share=1.0))
>>> closing_rate(table, period="all").select("numerator", "denominator", "rate").row(0)
(40, 40, 1.0)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Literal

import polars as pl

from gridgov.errors import ServiceError

if TYPE_CHECKING:  # pragma: no cover
    from gridgov.org.profiles import Profile
    from gridgov.org.structure import Structure

__all__ = [
    "PERIODS",
    "closing_rate",
    "due_count",
    "filed_count",
    "four_lists_counts",
    "four_lists_satisfaction",
    "hotline_score",
    "on_time_closing_rate",
    "resolution_rate",
    "response_rate",
    "rework_rate",
    "satisfaction_rate",
    "timely_dispatch_rate",
]

#: Period granularities.
PERIODS: tuple[str, ...] = ("month", "quarter", "year", "all")

_ONE = {
    "month": re.compile(r"^\d{4}-\d{2}$"),
    "quarter": re.compile(r"^\d{4}-Q[1-4]$"),
    "year": re.compile(r"^\d{4}$"),
}
_ORG_KINDS = {"department": ("department",), "company": ("property_company",)}


# -- grouping and periods -----------------------------------------------------------------------
def _period(period: str | None) -> tuple[str, str | None]:
    if period is None or period == "all":
        return "all", None
    if period in PERIODS:
        return period, None
    for grain, pattern in _ONE.items():
        if pattern.match(period):
            return grain, period
    raise ServiceError(
        f"unknown period {period!r}: use one of {', '.join(PERIODS)}, or one period such as "
        "'2024-06', '2024-Q2' or '2024' / 无法识别的统计周期"
    )


def _label(column: str, grain: str) -> pl.Expr:
    ts = pl.col(column)
    if grain == "month":
        return ts.dt.strftime("%Y-%m")
    if grain == "quarter":
        return pl.format("{}-Q{}", ts.dt.year(), ts.dt.quarter())
    if grain == "year":
        return ts.dt.year().cast(pl.String)
    return pl.lit("all")


def _groups(
    table: pl.DataFrame, by: str | None, structure: Structure | None
) -> tuple[pl.DataFrame, list[str]]:
    """The table with a group column named ``by`` (none for ``by=None``)."""
    if by is None:
        return table, []
    if by == "area":
        return table, ["area"]
    if by in ("target", *_ORG_KINDS):
        if by == "target":
            return table.with_columns(pl.col("target").alias("target")), ["target"]
        if structure is None:
            raise ServiceError(f"grouping by {by!r} needs the structure / 按{by}统计需要组织结构")
        keep = [o.id for o in structure.organisations if o.kind in _ORG_KINDS[by]]
        return (
            table.filter(pl.col("target").is_in(keep)).with_columns(pl.col("target").alias(by)),
            [by],
        )
    from gridgov.org.vocab import AreaLevel

    try:
        level = AreaLevel(by)
    except ValueError:
        raise ServiceError(
            f"unknown grouping {by!r}: use area, target, department, company or an area level "
            f"({', '.join(v.value for v in AreaLevel)})"
        ) from None
    if structure is None:
        raise ServiceError(f"grouping by {by!r} needs the structure / 按{by}统计需要组织结构")
    index = structure.index
    ancestor = index.ancestor_at(level)
    units = pl.DataFrame(
        {
            "area": index.ids,
            by: [index.ids[a] if a >= 0 else None for a in ancestor.tolist()],
        },
        schema={"area": pl.String, by: pl.String},
    ).unique("area", keep="first")
    return table.join(units, on="area", how="left", maintain_order="left"), [by]


def _placed(
    table: pl.DataFrame,
    *,
    when: str,
    base: pl.Expr,
    by: str | None,
    period: str | None,
    structure: Structure | None,
) -> tuple[pl.DataFrame, list[str]]:
    """Cases where ``base`` holds and ``when`` is set, with their period, and the group keys.

    The ``period`` column is the period of ``when`` at the grain of ``period``; one period
    asked for (such as ``"2024-06"``) keeps only its cases.
    """
    grain, only = _period(period)
    frame, keys = _groups(table, by, structure)
    frame = frame.filter(base.fill_null(value=False) & pl.col(when).is_not_null()).with_columns(
        period=_label(when, grain)
    )
    if only is not None:
        frame = frame.filter(pl.col("period") == only)
    return frame, keys


def _rate(
    table: pl.DataFrame,
    *,
    when: str,
    base: pl.Expr,
    hit: pl.Expr,
    by: str | None,
    period: str | None,
    structure: Structure | None,
) -> pl.DataFrame:
    """Group cases where ``base`` holds by ``by`` and the period of ``when``; count ``hit``."""
    frame, keys = _placed(table, when=when, base=base, by=by, period=period, structure=structure)
    out = frame.group_by(*keys, "period").agg(
        numerator=hit.fill_null(value=False).sum().cast(pl.Int64),
        denominator=pl.len().cast(pl.Int64),
    )
    return out.with_columns(
        rate=pl.when(pl.col("denominator") > 0).then(pl.col("numerator") / pl.col("denominator"))
    ).sort(*keys, "period", nulls_last=True)


def _count(
    table: pl.DataFrame,
    *,
    when: str,
    base: pl.Expr,
    by: str | None,
    period: str | None,
    structure: Structure | None,
    extra: tuple[str, ...] = (),
) -> pl.DataFrame:
    """Group cases where ``base`` holds by ``by``, ``extra`` and the period of ``when``."""
    frame, keys = _placed(table, when=when, base=base, by=by, period=period, structure=structure)
    return (
        frame.group_by(*keys, *extra, "period")
        .agg(count=pl.len().cast(pl.Int64))
        .sort(*keys, *extra, "period", nulls_last=True)
    )


# -- counts -------------------------------------------------------------------------------------
def filed_count(
    table: pl.DataFrame,
    *,
    by: str | None = None,
    period: str | None = "month",
    structure: Structure | None = None,
) -> pl.DataFrame:
    """立案数: cases filed, placed in the period of ``filed_at``.

    A case is filed by its template's *filed* milestone (立案 for urban cases, 受理 for 12345,
    点单 for 四单, 吹哨 for whistles). Source: CJ/T 292-2008 城市市政综合监管信息系统 绩效评价
    (立案数 among the evaluation counts).
    """
    return _count(
        table, when="filed_at", base=pl.lit(value=True), by=by, period=period, structure=structure
    )


def due_count(
    table: pl.DataFrame,
    *,
    by: str | None = None,
    period: str | None = "month",
    structure: Structure | None = None,
) -> pl.DataFrame:
    """应结案数: filed cases whose closing deadline (``due_at``) falls in the period.

    Source: CJ/T 292-2008 (应结案数); the issue's worked example (972 cases due in one month).
    """
    return _count(
        table,
        when="due_at",
        base=pl.col("filed_at").is_not_null(),
        by=by,
        period=period,
        structure=structure,
    )


# -- closing ------------------------------------------------------------------------------------
def closing_rate(
    table: pl.DataFrame,
    *,
    by: str | None = None,
    period: str | None = "month",
    structure: Structure | None = None,
) -> pl.DataFrame:
    """结案率 = 结案数 / 应结案数.

    Denominator: filed cases whose ``due_at`` falls in the period (应结案数). Numerator: those
    of them closed (a *closed* milestone, 结案) by the time the table describes (its
    ``as_of``), on time or late. Source: CJ/T 292-2008 (结案率); figures of the worked
    example in the issue: 911 closed of 972 due = 93.72 %.
    """
    return _rate(
        table,
        when="due_at",
        base=pl.col("filed_at").is_not_null(),
        hit=pl.col("closed"),
        by=by,
        period=period,
        structure=structure,
    )


def on_time_closing_rate(
    table: pl.DataFrame,
    *,
    by: str | None = None,
    period: str | None = "month",
    structure: Structure | None = None,
) -> pl.DataFrame:
    """按期结案率 = 按期结案数 / 应结案数.

    Denominator as :func:`closing_rate`. Numerator: those closed no later than ``due_at``
    (the deadline moved later by time in 延期/挂账). Source: CJ/T 292-2008 (按期结案率); the
    worked example: 737 on time of 972 due = 75.82 %.
    """
    return _rate(
        table,
        when="due_at",
        base=pl.col("filed_at").is_not_null(),
        hit=pl.col("on_time"),
        by=by,
        period=period,
        structure=structure,
    )


def rework_rate(
    table: pl.DataFrame,
    *,
    denominator: Literal["closed", "filed"] | None = None,
    profile: str | Profile = "default",
    by: str | None = None,
    period: str | None = "month",
    structure: Structure | None = None,
) -> pl.DataFrame:
    """返工率 = cases reworked at least once (返工) / the denominator's cases.

    ``denominator="closed"``: cases closed in the period (by ``closed_at``), of which those
    with a rework; ``"filed"``: cases filed in the period (by ``filed_at``). Cities differ, so
    by default the profile's ``service.rework_denominator`` decides. Source: CJ/T 292-2008
    (返工率).
    """
    if denominator is None:
        denominator = _profile_value(profile, "service.rework_denominator")  # type: ignore[assignment]
    if denominator not in ("closed", "filed"):
        raise ServiceError(f"rework denominator must be 'closed' or 'filed', not {denominator!r}")
    when = "closed_at" if denominator == "closed" else "filed_at"
    return _rate(
        table,
        when=when,
        base=pl.lit(value=True),
        hit=pl.col("reworks") > 0,
        by=by,
        period=period,
        structure=structure,
    )


def timely_dispatch_rate(
    table: pl.DataFrame,
    *,
    by: str | None = None,
    period: str | None = "month",
    structure: Structure | None = None,
) -> pl.DataFrame:
    """及时派遣率 = cases dispatched by their dispatch deadline / filed cases that have one.

    Denominator: cases filed in the period (by ``filed_at``) whose template sets a deadline on
    dispatching (``dispatch_due_at``); cases never dispatched count as not timely. Source:
    CJ/T 292-2008 (及时派遣率).
    """
    return _rate(
        table,
        when="filed_at",
        base=pl.col("dispatch_due_at").is_not_null(),
        hit=pl.col("dispatched_on_time"),
        by=by,
        period=period,
        structure=structure,
    )


# -- 12345 --------------------------------------------------------------------------------------
def response_rate(
    table: pl.DataFrame,
    *,
    by: str | None = None,
    period: str | None = "month",
    structure: Structure | None = None,
) -> pl.DataFrame:
    """响应率 = cases responded to (联系) by the response deadline / cases whose clock started.

    Denominator: cases filed (受理) in the period with a response deadline (the clock starts
    at dispatch, so a call answered directly is not counted). Source: 北京市接诉即办工作条例
    (2021), which assesses 响应率, 解决率 and 满意率; the deadlines are the template's.
    """
    return _rate(
        table,
        when="filed_at",
        base=pl.col("response_due_at").is_not_null(),
        hit=pl.col("responded_on_time"),
        by=by,
        period=period,
        structure=structure,
    )


def resolution_rate(
    table: pl.DataFrame,
    *,
    min_rating: int | None = None,
    profile: str | Profile = "default",
    by: str | None = None,
    period: str | None = "month",
    structure: Structure | None = None,
) -> pl.DataFrame:
    """解决率 = rated cases with a rating of at least ``min_rating`` / rated cases.

    Placed by ``filed_at``. ``min_rating`` defaults to the profile's
    ``service.resolved_min_rating`` (3; an assumption, see the profile). Source: 北京市接诉即办
    工作条例 (2021) (解决率).
    """
    floor = _rating_floor(min_rating, profile, "service.resolved_min_rating")
    return _rate(
        table,
        when="filed_at",
        base=pl.col("rating").is_not_null(),
        hit=pl.col("rating") >= floor,
        by=by,
        period=period,
        structure=structure,
    )


def satisfaction_rate(
    table: pl.DataFrame,
    *,
    min_rating: int | None = None,
    profile: str | Profile = "default",
    by: str | None = None,
    period: str | None = "month",
    structure: Structure | None = None,
) -> pl.DataFrame:
    """满意率 = rated cases with a rating of at least ``min_rating`` / rated cases.

    Placed by ``filed_at``. ``min_rating`` defaults to the profile's
    ``service.satisfied_min_rating`` (4: 满意 or 基本满意). Source: 北京市接诉即办工作条例 (2021)
    (满意率).
    """
    floor = _rating_floor(min_rating, profile, "service.satisfied_min_rating")
    return _rate(
        table,
        when="filed_at",
        base=pl.col("rating").is_not_null(),
        hit=pl.col("rating") >= floor,
        by=by,
        period=period,
        structure=structure,
    )


def hotline_score(
    table: pl.DataFrame,
    *,
    weights: Mapping[str, float] | None = None,
    profile: str | Profile = "default",
    by: str | None = None,
    period: str | None = "month",
    structure: Structure | None = None,
) -> pl.DataFrame:
    """The weighted composite of 响应率, 解决率 and 满意率 (三率).

    ``score = w_response · 响应率 + w_resolution · 解决率 + w_satisfaction · 满意率`` with the
    weights of ``weights`` or the profile's ``service.hotline_rate_weights``, normalised to sum
    to 1; a rate that is null (no case in its denominator) leaves the score null. Columns: the
    group, ``period``, ``response``, ``resolution``, ``satisfaction``, ``score``.
    """
    w = (
        dict(weights)
        if weights is not None
        else _profile_value(profile, "service.hotline_rate_weights")
    )
    if not isinstance(w, Mapping) or set(w) != {"response", "resolution", "satisfaction"}:
        raise ServiceError(
            "hotline weights must be a table with response, resolution and satisfaction"
        )
    total = float(sum(float(v) for v in w.values()))
    if total <= 0:
        raise ServiceError("hotline weights must sum to more than 0")
    kw = {"by": by, "period": period, "structure": structure}
    parts = {
        "response": response_rate(table, **kw),  # type: ignore[arg-type]
        "resolution": resolution_rate(table, profile=profile, **kw),  # type: ignore[arg-type]
        "satisfaction": satisfaction_rate(table, profile=profile, **kw),  # type: ignore[arg-type]
    }
    keys = [*([] if by is None else [by]), "period"]
    out: pl.DataFrame | None = None
    for name, frame in parts.items():
        f = frame.select(*keys, pl.col("rate").alias(name))
        out = (
            f if out is None else out.join(f, on=keys, how="full", coalesce=True, nulls_equal=True)
        )
    assert out is not None
    score = sum(pl.col(k) * (float(v) / total) for k, v in w.items())
    return out.with_columns(score=score).sort(*keys, nulls_last=True)


# -- 四单 ---------------------------------------------------------------------------------------
def four_lists_counts(
    table: pl.DataFrame,
    *,
    by: str | None = None,
    period: str | None = "month",
    structure: Structure | None = None,
) -> pl.DataFrame:
    """四单 orders by kind: cases of a ``four_lists`` template filed (点单) in the period.

    Columns: the group, ``kind``, ``period``, ``count``. Source: seed report, 友谊县 (「累计开展
    政策宣传246次、健康科普41次、安全检查81次、扶贫帮困53次、文艺汇演20次」 — counts by kind).
    """
    four = _four_lists()
    return _count(
        table,
        when="filed_at",
        base=four,
        by=by,
        period=period,
        structure=structure,
        extra=("kind",),
    )


def four_lists_satisfaction(
    table: pl.DataFrame,
    *,
    min_rating: int | None = None,
    profile: str | Profile = "default",
    by: str | None = None,
    period: str | None = "month",
    structure: Structure | None = None,
) -> pl.DataFrame:
    """评单 satisfaction: rated 四单 orders with a rating ≥ ``min_rating`` / rated 四单 orders.

    Placed by ``filed_at``; ``min_rating`` defaults to the profile's
    ``service.satisfied_min_rating``. Source: seed report, 友谊县 (「群众评单」).
    """
    floor = _rating_floor(min_rating, profile, "service.satisfied_min_rating")
    four = _four_lists()
    return _rate(
        table,
        when="filed_at",
        base=four & pl.col("rating").is_not_null(),
        hit=pl.col("rating") >= floor,
        by=by,
        period=period,
        structure=structure,
    )


def _four_lists() -> pl.Expr:
    """True for the cases of a ``four_lists`` (四单) template."""
    return pl.col("template").str.split(":").list.first() == "four_lists"


def _profile_value(profile: str | Profile, key: str) -> object:
    from gridgov.org.profiles import load_profile

    return load_profile(profile).get(key)


def _rating_floor(given: int | None, profile: str | Profile, key: str) -> int:
    value = given if given is not None else _profile_value(profile, key)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise ServiceError(f"{key} must be a rating from 1 to 5, not {value!r}")
    return value
