"""``assess``: structure + cases + ratings → indicators → CriteriaTable → scores → Assessment."""

from __future__ import annotations

import datetime as dt
import json
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from gridgov.assess.indicators import Indicator, compute_indicators, lookup
from gridgov.assess.schemes import RATER_SCORE, Scheme, load_scheme
from gridgov.errors import AssessError

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl

    from gridgov.org.structure import Structure

__all__ = ["AssessWarning", "Assessment", "assess"]


class AssessWarning(UserWarning):
    """Scored by a documented convention: a missing value filled, a rater group missing."""


Period = tuple[dt.date, dt.date]


def _period(period: Any, cases: pl.DataFrame) -> Period:
    """``(start, end)`` with ``end`` exclusive; from a year, ``(start, end)`` or the whole log."""
    if period is None:
        when = cases.get_column("filed_at").drop_nulls()
        if when.is_empty():
            raise AssessError(
                "the event log has no filed cases, so it has no period / 事件日志无立案"
            )
        first, last = when.min(), when.max()
        assert isinstance(first, dt.datetime)
        assert isinstance(last, dt.datetime)
        return first.date(), last.date() + dt.timedelta(days=1)
    if isinstance(period, int) or (isinstance(period, str) and period.isdigit()):
        y = int(period)
        return dt.date(y, 1, 1), dt.date(y + 1, 1, 1)
    if (
        isinstance(period, tuple)
        and len(period) == 2
        and all(isinstance(d, dt.date) for d in period)
    ):
        if period[1] <= period[0]:
            raise AssessError(f"period {period[0]}..{period[1]} is empty")
        return period[0], period[1]
    raise AssessError(
        f"period {period!r}: give a year (2024), (start, end) dates or None / 考评期无效"
    )


@dataclass(frozen=True)
class Assessment:
    """The result of :func:`assess`: one row per subject, with evidence for each.

    Attributes
    ----------
    scheme : Scheme
    period : (datetime.date, datetime.date)
        Start and exclusive end.
    frame : polars.DataFrame
        See :meth:`to_frame`.
    indicators : tuple of Indicator
    notes : dict of str to list of str
        Per subject: rules applied (a filled value, a redistributed rater weight).
    credit : mapping or None
        The :class:`~gridgov.scoring.credit.CreditEvaluation` when the scheme has a policy.
    """

    scheme: Scheme
    period: Period
    frame: pl.DataFrame
    indicators: tuple[Indicator, ...]
    notes: dict[str, list[str]] = field(default_factory=dict)
    credit: Any = None
    records: pl.DataFrame | None = None

    def to_frame(self) -> pl.DataFrame:
        """One row per subject, with indicator values, score, rank, grade and list.

        Columns ``subject``, ``name``, indicator values, ``norm_<id>``,
        ``score`` (0-100), ``rank`` (1 = best), ``grade``, ``list`` (``red``, ``black`` or null),
        ``rank_min``/``rank_max`` under ±10 % weight changes, ``robust`` (rank unchanged) and
        ``movement`` (places gained since the previous period, null without one).
        """
        return self.frame

    def members(self, list_name: str) -> list[str]:
        """Subjects on ``list_name`` (``"red"`` or ``"black"``), best first."""
        import polars as pl

        return (
            self.frame.filter(pl.col("list") == list_name)
            .sort("rank")
            .get_column("subject")
            .to_list()
        )

    def _row(self, subject: str) -> dict[str, Any]:
        import polars as pl

        rows = self.frame.filter(pl.col("subject") == subject).to_dicts()
        if not rows:
            raise AssessError(f"{subject!r} is not a subject of this assessment")
        return rows[0]

    def explain(self, subject: str, lang: str = "zh") -> str:
        """Why ``subject`` has its score, grade and list, naming the evidence.

        Lines: score, rank and grade; the list and its reason (a one-vote veto with the kind
        and date of the record that fired it); each indicator's value and place; the rater
        score; the credit rules fired; a rank that is not robust; movement; the notes.
        """
        row = self._row(subject)
        n = self.frame.height
        zh = lang == "zh"
        lines = [
            f"{row['name']}（{subject}）：得分 {row['score']:.1f}，第 {row['rank']}/{n} 名，"
            f"等级 {row['grade']}"
            if zh
            else f"{row['name']} ({subject}): score {row['score']:.1f}, rank {row['rank']} of "
            f"{n}, grade {row['grade']}"
        ]
        if row["list"] is not None and self.credit is not None:
            lines.append(self._list_line(subject, row, zh=zh))
        lines += [self._indicator_line(ind, row[ind.id], zh=zh) for ind in self.indicators]
        if RATER_SCORE in self.frame.columns and row[RATER_SCORE] is not None:
            v = row[RATER_SCORE]
            lines.append(f"多方评价 {v:.1f}" if zh else f"rater score {v:.1f}")
        if self.credit is not None:
            lines.append(self.credit[subject].explain("zh" if zh else "en"))
        if not row["robust"]:
            lo, hi = row["rank_min"], row["rank_max"]
            lines.append(
                f"排名不稳健：权重 ±10% 时在第 {lo}–{hi} 名之间"
                if zh
                else f"rank not robust: between {lo} and {hi} under ±10 % weight changes"
            )
        if row.get("movement") is not None:
            m = row["movement"]
            word = ("上升", "up") if m > 0 else ("下降", "down") if m < 0 else ("持平", "unchanged")
            lines.append(
                f"较上期{word[0]} {abs(m)} 名"
                if zh
                else f"{word[1]} {abs(m)} places since the previous period"
            )
        lines += self.notes.get(subject, [])
        return "\n".join(lines)

    def _list_line(self, subject: str, row: dict[str, Any], *, zh: bool) -> str:
        import polars as pl

        from gridgov.scoring.credit import load_policy

        a = self.credit[subject]
        label = {"red": ("red list", "红榜"), "black": ("black list", "黑榜")}[row["list"]]
        vetoes = [r for r in a.rules if r.kind == "veto"]
        if not vetoes or self.scheme.credit_policy is None:
            return f"{label[1]}：等级 {row['grade']}" if zh else f"{label[0]}: grade {row['grade']}"
        policy = load_policy(self.scheme.credit_policy)
        veto = next(v for v in policy.vetoes if v.name == vetoes[0].rule)
        dates: list[str] = []
        if self.records is not None and self.records.height:
            mine = self.records.filter(pl.col("subject") == subject)
            hit = pl.col("kind").is_in(list(veto.kinds))
            if veto.any_serious and "serious" in mine.columns:
                hit = hit | pl.col("serious").fill_null(value=False)
            dates = sorted(str(d) for d in mine.filter(hit).get_column("effective").to_list())
        when = dates[0] if dates else str(a.as_of)
        what = veto.label_zh or veto.name
        return (
            f"{label[1]}：{what}一票否决（{when}）"
            if zh
            else f"{label[0]}: one-vote veto for {what} on {when}"
        )

    def _indicator_line(self, ind: Indicator, value: float | None, *, zh: bool) -> str:
        n = self.frame.height
        if value is None:
            return (
                f"{ind.name_zh} 无数据（{ind.unit}）"
                if zh
                else f"{ind.name_en}: no data ({ind.unit})"
            )
        col = self.frame.get_column(ind.id)
        benefit = ind.direction == "benefit"
        place = 1 + int(((col > value) if benefit else (col < value)).sum())
        worst = int(((col < value) if benefit else (col > value)).sum()) == 0
        pos = ("最差", "worst") if worst else ("最好", "best") if place == 1 else None
        if zh:
            extra = f"，{n} 家中{pos[0]}" if pos else ""
            return f"{ind.name_zh} {value:.3g}（{ind.unit}），第 {place}/{n}{extra}"
        extra = f", {pos[1]} of {n}" if pos else ""
        return f"{ind.name_en} {value:.3g} {ind.unit}, place {place}/{n}{extra}"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary: scheme, period, lists and the rows."""
        return {
            "scheme": self.scheme.name,
            "period": [self.period[0].isoformat(), self.period[1].isoformat()],
            "red": self.members("red"),
            "black": self.members("black"),
            "subjects": [
                {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in r.items()}
                for r in self.frame.sort("rank").to_dicts()
            ],
        }

    def to_json(self) -> str:
        """:meth:`to_dict` as JSON text (UTF-8, Chinese kept readable)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2, allow_nan=False)

    def to_markdown(self, lang: str = "zh", *, top: int | None = None) -> str:
        """Red and black lists first, then the ranking as a Markdown table."""
        zh = lang == "zh"
        out = [f"# {self.scheme.label_zh if zh else self.scheme.label_en}", ""]
        if self.credit is not None:
            for name, label in (
                ("red", "红榜" if zh else "Red list"),
                ("black", "黑榜" if zh else "Black list"),
            ):
                members = self.members(name)
                out += [f"## {label} ({len(members)})", ""]
                out += ["| # | subject | name | score | grade |", "|---|---|---|---|---|"]
                for sid in members:
                    r = self._row(sid)
                    out.append(
                        f"| {r['rank']} | {sid} | {r['name']} | {r['score']:.1f} | {r['grade']} |"
                    )
                out.append("")
        cols = [i.id for i in self.indicators]
        out += ["## " + ("排名" if zh else "Ranking"), ""]
        out.append("| rank | subject | name | " + " | ".join(cols) + " | score | grade | list |")
        out.append("|" + "---|" * (len(cols) + 6))
        for r in self.frame.sort("rank").head(top or self.frame.height).to_dicts():
            vals = " | ".join("—" if r[c] is None else f"{r[c]:.3g}" for c in cols)
            out.append(
                f"| {r['rank']} | {r['subject']} | {r['name']} | {vals} | {r['score']:.1f} "
                f"| {r['grade']} | {r['list'] or ''} |"
            )
        return "\n".join(out) + "\n"


def _rater_scores(
    scheme: Scheme, ratings: pl.DataFrame | None, subjects: list[str], period: Period
) -> tuple[np.ndarray, dict[str, list[str]]]:
    import polars as pl

    from gridgov.assess.ratings import validate_ratings
    from gridgov.org.profiles import load_profile
    from gridgov.scoring.raters import RaterGroup, aggregate_ratings

    assert scheme.raters is not None
    spec = scheme.raters
    weights = load_profile(scheme.profile).get(spec.weights_key)
    if not isinstance(weights, dict):
        raise AssessError(
            f"profile {scheme.profile!r}: {spec.weights_key} must be a table of group weights"
        )
    unknown = [g.name for g in spec.groups if not isinstance(weights.get(g.name), int | float)]
    if unknown:
        raise AssessError(
            f"profile {scheme.profile!r}: {spec.weights_key} has no numeric weight for "
            f"{', '.join(unknown)}"
        )
    groups = [
        RaterGroup(
            name=g.name,
            weight=float(weights[g.name]),  # type: ignore[arg-type]
            label_zh=g.label_zh,
            aggregate=g.aggregate,
            min_sample=g.min_sample,
        )
        for g in spec.groups
    ]
    if ratings is None:
        raise AssessError(
            f"scheme {scheme.name!r} scores rater_score but no ratings were given / 缺少评价数据"
        )
    frame = validate_ratings(ratings).filter(
        (pl.col("item") == spec.item)
        & pl.col("date").is_between(period[0], period[1], closed="left")
    )
    agg = aggregate_ratings(
        groups,
        subject=frame.get_column("subject").to_numpy(),
        group=frame.get_column("rater_group").to_numpy(),
        rater=frame.get_column("rater_id").to_numpy(),
        score=frame.get_column("score").to_numpy(),
        subjects=subjects,
    )
    by_subject = pl.DataFrame({"subject": list(agg.subjects), "score": agg.scores})
    scores = (
        pl.DataFrame({"subject": subjects})
        .join(by_subject, on="subject", how="left", maintain_order="left")
        .get_column("score")
        .fill_null(float("nan"))
        .to_numpy()
        .astype(float)
    )
    notes = {s: list(n) for s, n in agg.notes.items() if n}
    return scores, notes


def _band(scheme: Scheme, score: float) -> str:
    for b in scheme.bands:
        if score >= b.lower:
            return b.grade
    return scheme.bands[-1].grade


def assess(  # the contract's five arguments plus keyword options
    structure: Structure | None,
    events: pl.DataFrame,
    ratings: pl.DataFrame | None = None,
    scheme: str | Scheme = "bozhou_property_redblack",
    period: Any = None,
    *,
    records: Any = None,
    previous: Assessment | None = None,
    extra_indicators: tuple[Indicator, ...] = (),
    subject_frame: pl.DataFrame | None = None,
) -> Assessment:
    """Assess every subject of the scheme's kind over ``period``.

    Steps: the case table (:func:`gridgov.service.cases`) restricted to cases filed in the
    period; the scheme's indicators for every subject (:func:`compute_indicators`); the
    rater groups' aggregate (:func:`gridgov.scoring.raters.aggregate_ratings`, a missing
    group's weight redistributed and noted); a :class:`~gridgov.scoring.CriteriaTable`
    scored by the scheme's method; the score 0-100; the grade by the credit policy
    (the score fills its basic section up to ``base_points``; ``records`` are the credit
    records, vetoes and lists as the policy says) or by the scheme's bands; robustness under
    ±10 % changes of each weight; movement against ``previous``.

    Parameters
    ----------
    structure, events
        The structure and its event log (:mod:`gridgov.service.schema`).
    ratings
        A ratings table (:mod:`gridgov.assess.ratings`); needed when the scheme scores raters.
    scheme
        A shipped scheme's name (:func:`schemes`), a file, or a :class:`Scheme`.
    period
        A year (``2024``), ``(start, end)`` dates (end exclusive) or ``None`` for the whole log.
    records
        Credit records (columns of :func:`gridgov.scoring.credit.evaluate`).
    previous
        The previous period's assessment under the same scheme, for ``movement``.
    extra_indicators
        Indicators the scheme may name besides the shipped catalogue.
    subject_frame
        Subjects kept outside a structure (``subject``, ``name``, ``households``); then
        ``structure`` may be ``None`` for indicators keyed by the case's ``target``.

    Warns
    -----
    AssessWarning
        A value missing for some subjects (no cases, nobody rated) filled with the worst
        observed value (``missing = "worst"``), naming the subjects; a rater group missing.
    gridgov.scoring.DegenerateDataWarning
        An indicator constant across subjects (it cannot discriminate; minmax sets it to 1).

    Raises
    ------
    AssessError
        An unknown scheme or indicator, a bad period, no ratings for a scheme that needs them,
        a missing value under ``missing = "error"``, or an indicator missing for every subject.
    """
    import polars as pl

    from gridgov.scoring import CriteriaTable, get_scorer
    from gridgov.service import cases as case_table

    sch = load_scheme(scheme)
    chosen = lookup(sch.indicator_ids(), extra_indicators)
    table = case_table(events)
    start, end = _period(period, table)
    lo, hi = (dt.datetime.combine(d, dt.time()) for d in (start, end))
    in_period = table.filter(
        pl.col("filed_at").dt.replace_time_zone(None).is_between(lo, hi, closed="left")
    )
    last_day = end - dt.timedelta(days=1)
    frame = compute_indicators(
        structure,
        in_period,
        chosen,
        kind=sch.subject,
        years=(end - start).days / 365.25,
        as_of=last_day,
        subject_frame=subject_frame,
        events=events.filter(
            pl.col("timestamp").dt.replace_time_zone(None).is_between(lo, hi, closed="left")
        ),
    )
    subjects = frame.get_column("subject").to_list()
    if len(subjects) < 2:
        raise AssessError(
            f"scheme {sch.name!r} needs at least two {sch.subject} subjects; found {len(subjects)}"
        )
    notes: dict[str, list[str]] = {}
    criteria = [c.indicator for c in sch.criteria]
    if RATER_SCORE in criteria:
        frame = _with_rater_score(sch, frame, ratings, (start, end), notes)
    directions = {i.id: i.direction for i in chosen} | {RATER_SCORE: "benefit"}
    scored = _filled(sch, frame, directions, notes)
    ctable = CriteriaTable(
        scored.select(criteria).to_numpy().astype(float),
        alternatives=subjects,
        criteria=criteria,
        directions=[directions[c] for c in criteria],
        weights=[c.weight for c in sch.criteria],
    )
    params: dict[str, Any] = (
        {"normalisation": sch.normalisation} if sch.method in ("weighted_sum", "topsis") else {}
    )
    scorer = get_scorer(sch.method, **params)
    result = scorer.score(ctable)
    raw = np.asarray(result.scores, dtype=float)
    score = 100 * (raw if result.higher_is_better else 1 - raw)
    from gridgov.scoring import minmax_normalise

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the scorer has warned of a constant criterion by name
        norm = minmax_normalise(ctable.values, ctable.is_benefit)
    rank_min, rank_max = _rank_range(ctable, scorer, np.asarray(result.ranking))
    out = frame.with_columns(
        [pl.Series(f"norm_{c}", norm[:, j]) for j, c in enumerate(criteria)]
        + [
            pl.Series("score", score),
            pl.Series("rank", np.asarray(result.ranking, dtype=np.int64)),
            pl.Series("rank_min", rank_min.astype(np.int64)),
            pl.Series("rank_max", rank_max.astype(np.int64)),
        ]
    ).with_columns(robust=(pl.col("rank_min") == pl.col("rank_max")))
    credit = None
    rec_frame: pl.DataFrame | None = None
    if sch.credit_policy is not None:
        rec_frame = _records_frame(records)
        credit, out = _graded_by_credit(sch, out, subjects, score, rec_frame, last_day)
    else:
        out = out.with_columns(
            pl.Series("grade", [_band(sch, float(x)) for x in score], dtype=pl.String),
            pl.lit(None, pl.String).alias("list"),
        )
    if previous is not None:
        prev = previous.frame.select("subject", pl.col("rank").alias("_prev"))
        out = (
            out.join(prev, on="subject", how="left", maintain_order="left")
            .with_columns(movement=(pl.col("_prev") - pl.col("rank")).cast(pl.Int64))
            .drop("_prev")
        )
    else:
        out = out.with_columns(movement=pl.lit(None, pl.Int64))
    return Assessment(sch, (start, end), out, tuple(chosen), notes, credit, rec_frame)


def _with_rater_score(
    sch: Scheme,
    frame: pl.DataFrame,
    ratings: pl.DataFrame | None,
    period: Period,
    notes: dict[str, list[str]],
) -> pl.DataFrame:
    import polars as pl

    subjects = frame.get_column("subject").to_list()
    scores, rnotes = _rater_scores(sch, ratings, subjects, period)
    for s, ns in rnotes.items():
        notes.setdefault(s, []).extend(ns)
    if rnotes:
        warnings.warn(
            f"{len(rnotes)} subject(s) lack a rater group; its weight was redistributed over the "
            f"groups present (see Assessment.notes) / {len(rnotes)} 个对象缺少某评价主体，"
            "权重已按比例分配",
            AssessWarning,
            stacklevel=3,
        )
    return frame.with_columns(pl.Series(RATER_SCORE, scores).fill_nan(None))


def _filled(
    sch: Scheme, frame: pl.DataFrame, directions: Mapping[str, str], notes: dict[str, list[str]]
) -> pl.DataFrame:
    """Fill each criterion's missing values by its rule, warning and noting each subject."""
    import polars as pl

    rule = {c.indicator: c.missing or sch.missing for c in sch.criteria}
    filled: list[pl.Expr] = []
    for c, how in rule.items():
        col = frame.get_column(c)
        missing = frame.filter(col.is_null()).get_column("subject").to_list()
        if not missing:
            continue
        if len(missing) == frame.height:
            raise AssessError(
                f"indicator {c!r} has no value for any subject in the period / 指标在考评期内无数据"
            )
        if how == "error":
            raise AssessError(
                f"indicator {c!r} has no value for {', '.join(missing[:10])} / 指标缺少数据"
            )
        value = (
            col.median()
            if how == "median"
            else col.min()
            if directions[c] == "benefit"
            else col.max()
        )
        assert isinstance(value, float | int)
        shown = ", ".join(missing[:5]) + (f" … ({len(missing)} in all)" if len(missing) > 5 else "")
        warnings.warn(
            f"indicator {c!r}: no value for {shown}; filled with the {how} observed value "
            f"{value:.4g} / 指标 {c} 缺少数据，按{'中位数' if how == 'median' else '最差值'}计",
            AssessWarning,
            stacklevel=3,
        )
        for s in missing:
            notes.setdefault(s, []).append(f"{c}: no data, scored at the {how} value {value:.4g}")
        filled.append(pl.col(c).fill_null(value))
    return frame.with_columns(filled) if filled else frame


def _rank_range(table: Any, scorer: Any, base: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Best and worst rank of each subject when one weight moves by ±10 % of itself."""
    from gridgov.scoring.sensitivity import one_at_a_time

    lo, hi = base.copy(), base.copy()
    for j, c in enumerate(table.criteria):
        w = float(table.weights[j])
        if w <= 0:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a constant criterion was already warned about
            oat = one_at_a_time(table, scorer, deltas=(-0.1 * w, 0.1 * w), criteria=[c])
        lo = np.minimum(lo, oat.rankings.min(axis=(0, 1)))
        hi = np.maximum(hi, oat.rankings.max(axis=(0, 1)))
    return lo, hi


def _records_frame(records: Any) -> pl.DataFrame:
    import polars as pl

    if records is None:
        return pl.DataFrame(
            schema={
                "subject": pl.String,
                "kind": pl.String,
                "section": pl.String,
                "points": pl.Float64,
                "effective": pl.Date,
            }
        )
    return records if isinstance(records, pl.DataFrame) else pl.DataFrame(records)


def _graded_by_credit(  # noqa: PLR0917  # private helper, each argument a step's output
    sch: Scheme,
    out: pl.DataFrame,
    subjects: list[str],
    score: np.ndarray,
    records: pl.DataFrame,
    as_of: dt.date,
) -> tuple[Any, pl.DataFrame]:
    import polars as pl

    from gridgov.scoring.credit import evaluate, load_policy

    assert sch.credit_policy is not None
    policy = load_policy(sch.credit_policy)
    base = dict(zip(subjects, (score / 100 * sch.base_points).tolist(), strict=True))
    columns = {c: records.get_column(c).to_list() for c in records.columns}
    credit = evaluate(policy, columns, as_of=as_of, base_scores=base, subjects=subjects)
    table = credit.to_columns()
    none = np.zeros(len(table["subject"]), dtype=bool)
    black, red = table.get("list_black", none), table.get("list_red", none)
    cols = pl.DataFrame(
        {
            "subject": table["subject"],
            "credit_total": np.asarray(table["total"], dtype=float),
            "grade": table["grade"],
            # black before red: a vetoed company is never on the red list
            "list": np.where(black, "black", np.where(red, "red", "")),
        }
    ).with_columns(
        pl.col("grade").cast(pl.String),
        pl.when(pl.col("list") != "").then(pl.col("list")).alias("list"),
    )
    return credit, out.join(cols, on="subject", how="left", maintain_order="left")
