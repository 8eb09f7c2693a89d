"""Build a :class:`~gridgov.report.model.Report` from a structure and a profile.

Everything in a report comes from the structure's own queries
(:meth:`~gridgov.org.Structure.rollup`, :meth:`~gridgov.org.Structure.cross_appointments`,
:meth:`~gridgov.org.Structure.entry_pairs`, :meth:`~gridgov.org.Structure.uncovered`) and the
profile's rules (:func:`gridgov.org.rules.check`), on one day: the structure's reference date,
else today. Counts over areas and households are vectorised (the structure's dense index), so
a report on a million-household city takes seconds, not minutes.

Examples
--------
>>> from gridgov.org import Structure
>>> s = Structure.model_validate({"name": "demo", "reference_date": "2024-06-30", "areas": [
...     {"id": "S1", "level": "street"}, {"id": "C1", "level": "community", "parent": "S1"},
...     {"id": "G1", "level": "grid", "parent": "C1"}],
...     "households": [{"id": f"H{i}", "parent": "G1"} for i in range(250)]})
>>> report = build_report(s, "youyi")
>>> report.summary.grids, report.summary.households, report.passed
(1, 250, False)
>>> [r.rule for r in report.rules if not r.passed]
['grid_codes_valid', 'grid_worker_per_grid', 'party_group_per_grid']
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import TYPE_CHECKING, Literal

from gridgov.org._rollup import day_number, rollup_as_of
from gridgov.org.privacy import Privacy
from gridgov.org.profiles import Profile, ProfileRef, load_profile
from gridgov.org.rules import check, get_rule
from gridgov.org.vocab import AreaLevel
from gridgov.report._analysis import DEFAULT_RUNS, build_analysis
from gridgov.report.model import (
    AssessmentRow,
    AssessmentSummary,
    CoBuildingLink,
    Coverage,
    CrossAppointmentEntry,
    EntryPairEntry,
    FindingEntry,
    RateRow,
    Report,
    RollupRow,
    RuleResult,
    Summary,
)

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import polars as pl

    from gridgov.assess import Assessment
    from gridgov.org.posts import CrossAppointment
    from gridgov.org.structure import Structure

__all__ = ["REPORT_RATES", "ROLLUP_LEVELS", "build_report"]

#: Rates a report computes from an event log: (function name in gridgov.service.rates, English
#: label, Chinese label); the first is a count.
REPORT_RATES: tuple[tuple[str, str, str], ...] = (
    ("filed_count", "cases filed", "立案数"),
    ("closing_rate", "closing rate", "结案率"),
    ("on_time_closing_rate", "on-time closing rate", "按期结案率"),
    ("response_rate", "response rate", "响应率"),
    ("satisfaction_rate", "satisfaction rate", "满意率"),
)
#: Levels a report rolls up to (those the structure has).
ROLLUP_LEVELS = (AreaLevel.DISTRICT, AreaLevel.STREET, AreaLevel.COMMUNITY, AreaLevel.GRID)
_EXAMPLES = 20
CoverageLevel = Literal["building", "unit", "household"]
_COVERAGE_LEVELS: tuple[CoverageLevel, ...] = ("building", "unit", "household")


def build_report(
    structure: Structure,
    profile: ProfileRef | Profile = "default",
    *,
    on: dt.date | None = None,
    title: str | None = None,
    events: pl.DataFrame | None = None,
    privacy: str | Privacy = "internal",
    key: bytes | str | None = None,
    k: int | None = None,
    assessment: Assessment | None = None,
    analysis: bool = True,
    runs: int = DEFAULT_RUNS,
    seed: int = 0,
) -> Report:
    """The report on ``structure`` under ``profile``.

    Parameters
    ----------
    structure
        The structure.
    profile
        A shipped profile name (``"default"``, ``"youyi"`` …), a profile file or a
        :class:`~gridgov.org.profiles.Profile`; its enabled rules are run.
    on
        The day to describe (default: the structure's reference date, else today).
    title
        Title of the report (default: the structure's name).
    events
        A validated event log of the structure's cases (:func:`gridgov.service.read_events`,
        or a bundled example's :func:`gridgov.datasets.events`); when given, the report holds
        its monthly rates (:data:`REPORT_RATES`) for the year of the report's day.
    privacy
        ``"internal"`` (default: a report is read by the office that acts on it, so
        cross-appointed people are named; it never holds ID numbers or phones), ``"full"``
        (the same: a report holds no personal fields), ``"research"`` (people under their
        pseudonyms for ``key``, no names) or ``"public"`` (no person-level item; counts of
        people and households from 1 to ``k - 1`` suppressed, with complementary suppression
        so that none comes back by subtraction: :mod:`gridgov.report._suppress`), or a
        :class:`gridgov.io.privacy.Privacy`.
    key
        The HMAC key for ``"research"``.
    k
        The suppression threshold of ``"public"`` (default: the profile's value
        ``privacy.k`` when it has one, else :data:`gridgov.io.privacy.DEFAULT_K`, 5).
    assessment
        An assessment (:func:`gridgov.assess.assess`); when given, the report holds its
        scheme, period and per subject the score, rank, grade, list and why it is listed.
    analysis
        When the structure has geography, also its service-circle coverage at the profile's
        circles and the mobilisation probabilities per grid against its 10/30-minute targets
        (``Report.analysis``, :mod:`gridgov.report.reach`); ``False`` leaves them out (faster).
    runs, seed
        Monte Carlo runs and seed of the mobilisation (default 200 runs, seed 0: reproducible).

    Returns
    -------
    Report

    Raises
    ------
    gridgov.errors.UnknownProfileError, gridgov.errors.ProfileError, gridgov.errors.RuleError
        For a profile that cannot be loaded or whose rules do not resolve.
    """
    from gridgov.io.privacy import policy as privacy_policy
    from gridgov.io.privacy import redact_structure

    prof = load_profile(profile)
    if isinstance(privacy, Privacy) and k is not None:  # a policy is kept as it is, unless k
        key = privacy.key
        privacy = privacy.level
    level = privacy_policy(privacy, key=key, k=k if k is not None else _profile_k(prof))
    # the unredacted structure: public is built on it, then suppressed, and the analyses
    # measure where cadres live, which redaction drops
    whole = structure
    if level.level != "public":
        structure = redact_structure(structure, level)
    day = on or structure.reference_date or dt.date.today()
    findings = check(structure, prof, on=day)
    per_rule = Counter(f.rule for f in findings)
    rules = []
    for rid in prof.enabled_rules():
        r = get_rule(rid)
        rules.append(
            RuleResult(
                rule=rid,
                label_en=r.label_en,
                label_zh=r.label_zh,
                severity=prof.setting(rid).severity or r.severity,
                findings=per_rule.get(rid, 0),
            )
        )
    crosses = structure.cross_appointments(on=day)
    built = Report(
        title=title if title is not None else structure.name,
        reference_date=day,
        profile=prof.name,
        profile_label_zh=prof.label_zh,
        summary=_summary(structure, day, len(crosses)),
        rules=tuple(rules),
        findings=tuple(
            FindingEntry(
                rule=f.rule,
                severity=f.severity,
                subject=f.subject,
                message=f.message,
                message_zh=f.message_zh,
            )
            for f in findings
        ),
        rollups=_rollups(structure, day),
        cross_appointments=_crosses(structure, crosses),
        entry_pairs=_pairs(structure, day),
        coverage=tuple(_coverage(structure, level, day) for level in _COVERAGE_LEVELS),
        cobuilding=_cobuilding(structure, day),
        rates=() if events is None else _rates(events, day.year),
        assessment=None if assessment is None else _assessment(assessment, level),
        analysis=(
            build_analysis(whole, prof, day, runs=runs, seed=seed, privacy=level)
            if analysis
            else None
        ),
        privacy=level.level,
    )
    if level.level == "public":
        from gridgov.report._suppress import public_report

        return public_report(built, whole, level.k)
    return built


def _profile_k(prof: Profile) -> int:
    """The profile's suppression threshold ``privacy.k`` (else the default, 5)."""
    from gridgov.io.privacy import DEFAULT_K

    value = prof.values.get("privacy.k")
    raw = getattr(value, "value", value)
    return raw if isinstance(raw, int) and not isinstance(raw, bool) and raw >= 1 else DEFAULT_K


def _assessment(a: Assessment, privacy: Privacy) -> AssessmentSummary:
    rows = []
    people = a.scheme.subject == "party_member" and privacy.level == "research"
    for row in a.to_frame().sort("rank").iter_rows(named=True):
        r = row
        listed = r["list"] is not None and a.credit is not None
        # explain()'s second line is the list and its reason when the subject is listed
        reasons = [
            a.explain(r["subject"], lang).splitlines()[1] if listed else "" for lang in ("en", "zh")
        ]
        if people:  # person subjects under their pseudonyms; the reasons name the evidence
            r = {**r, "subject": privacy.pseudonym(r["subject"]), "name": ""}
            reasons = ["", ""]
        rows.append(
            AssessmentRow(
                id=r["subject"],
                name=r["name"] or "",
                score=round(float(r["score"]), 2),
                rank=r["rank"],
                grade=r["grade"] or "",
                list=r["list"],
                reason_en=reasons[0],
                reason_zh=reasons[1],
            )
        )
    return AssessmentSummary(
        scheme=a.scheme.name,
        label_en=a.scheme.label_en,
        label_zh=a.scheme.label_zh,
        subject=a.scheme.subject,
        period=a.period,
        rows=tuple(rows),
    )


def _cobuilding(s: Structure, day: dt.date) -> tuple[CoBuildingLink, ...]:
    links: dict[tuple[str, str], list[int]] = {}
    for a in s.agreements:
        if not a.valid_on(day):
            continue
        counts = links.setdefault((a.community, a.unit), [0, 0])
        counts[0] += 1
        counts[1] += sum(1 for p in a.projects if p.valid_on(day))
    return tuple(
        CoBuildingLink(
            community=community,
            community_name=s.area(community).name,
            unit=unit,
            unit_name=s.organisation(unit).name,
            agreements=n,
            projects=projects,
        )
        for (community, unit), (n, projects) in sorted(links.items())
    )


def _rates(events: pl.DataFrame, year: int) -> tuple[RateRow, ...]:
    import polars as pl

    from gridgov.service import cases, rates

    table = cases(events)
    out: list[RateRow] = []
    for metric, label_en, label_zh in REPORT_RATES:
        frame = getattr(rates, metric)(table, period="month")
        frame = frame.filter(pl.col("period").str.starts_with(f"{year}-"))
        for row in frame.iter_rows(named=True):
            count = "count" in row
            out.append(
                RateRow(
                    metric=metric,
                    label_en=label_en,
                    label_zh=label_zh,
                    period=row["period"],
                    numerator=row["count"] if count else row["numerator"],
                    denominator=None if count else row["denominator"],
                    rate=None if count else row["rate"],
                )
            )
    return tuple(out)


def _summary(s: Structure, day: dt.date, crosses: int) -> Summary:
    import numpy as np

    ix = s.index
    valid_area = _valid(s.areas.frame, day)
    depth_counts = np.bincount(ix.depth[valid_area], minlength=len(AreaLevel))
    hh = s.households.frame.filter(_expr(day))
    people = s._by_id("person")  # kept by the structure (the report names people)
    # posts and appointments valid on the day, over the arrays the roll-ups keep
    arrays, d = s._rollups.post_arrays(), day_number(day)
    posts = (arrays.post_start <= d) & (arrays.post_end >= d)
    filled = int(np.count_nonzero(posts & (s._rollups.holders(day) > 0)))
    appointments = (arrays.appointment_start <= d) & (arrays.appointment_end >= d)
    orgs = [o for o in s.organisations if o.valid_on(day)]
    return Summary(
        streets=int(depth_counts[AreaLevel.STREET.depth]),
        communities=int(depth_counts[AreaLevel.COMMUNITY.depth]),
        grids=int(depth_counts[AreaLevel.GRID.depth]),
        buildings=int(depth_counts[AreaLevel.BUILDING.depth]),
        units=int(depth_counts[AreaLevel.UNIT.depth]),
        households=hh.height,
        residents=int(hh.get_column("residents").sum() or 0),
        compounds=sum(1 for c in s.compounds if c.valid_on(day)),
        organisations=len(orgs),
        party_organisations=sum(1 for o in orgs if o.kind.is_party),
        people=len(people),
        party_members=sum(1 for p in people.values() if p.party is not None),
        posts=int(np.count_nonzero(posts)),
        posts_filled=filled,
        posts_vacant=int(np.count_nonzero(posts)) - filled,
        appointments=int(np.count_nonzero(appointments)),
        cross_appointments=crosses,
        linked_households=_linked_count(s, d),
        report_backs=sum(1 for r in s.report_backs if r.valid_on(day)),
        agreements=sum(1 for a in s.agreements if a.valid_on(day)),
        projects=sum(
            1 for a in s.agreements if a.valid_on(day) for p in a.projects if p.valid_on(day)
        ),
        joint_committees=sum(1 for j in s.joint_committees if j.valid_on(day)),
    )


def _linked_rows(s: Structure, d: int) -> npt.NDArray[np.bool_] | None:
    """Per household, whether a link valid on day number ``d`` names it.

    ``None`` when a link names no household (never in a valid structure).
    """
    import numpy as np

    rows, start, end = s._rollups.links()
    rows = rows[(start <= d) & (end >= d)]
    if (rows < 0).any():
        return None
    seen = np.zeros(len(s.households), dtype=bool)
    seen[rows] = True
    return seen


def _linked_count(s: Structure, d: int) -> int:
    """Households with a link valid on day number ``d`` (over the roll-ups' link rows)."""
    import numpy as np

    seen = _linked_rows(s, d)
    if seen is None:
        import polars as pl

        start, end = s._rollups.links()[1:]
        valid = pl.Series((start <= d) & (end >= d))
        return s.linked_households.frame.filter(valid).get_column("household").n_unique()
    return int(np.count_nonzero(seen))


def _rollups(s: Structure, day: dt.date) -> dict[str, tuple[RollupRow, ...]]:
    # Structure.rollup counts every household and post in the tables; the report counts what
    # exists on its day, so it rolls up the structure as it stood then (s.as_of(day), from
    # s's own cached arrays rather than by building that structure).
    out: dict[str, tuple[RollupRow, ...]] = {}
    for level in ROLLUP_LEVELS:
        frame = rollup_as_of(s, level, day)
        if frame.height == 0:
            continue
        rows = frame.drop("level").with_columns(frame.get_column("name").fill_null(""))
        out[level.value] = tuple(RollupRow.model_validate(r) for r in rows.iter_rows(named=True))
    return out


def _crosses(s: Structure, crosses: list[CrossAppointment]) -> tuple[CrossAppointmentEntry, ...]:
    out = []
    for x in crosses:
        first, second = s.post(x.first.post), s.post(x.second.post)
        out.append(
            CrossAppointmentEntry(
                person=x.person,
                name=s.person(x.person).name,
                first_post=first.id,
                first_post_kind=first.kind.value,
                first_organisation=x.first_organisation,
                first_organisation_name=s.organisation(x.first_organisation).name,
                second_post=second.id,
                second_post_kind=second.kind.value,
                second_organisation=x.second_organisation,
                second_organisation_name=s.organisation(x.second_organisation).name,
                sectors=(x.sectors[0].value, x.sectors[1].value),
            )
        )
    return tuple(out)


def _pairs(s: Structure, day: dt.date) -> tuple[EntryPairEntry, ...]:
    return tuple(
        EntryPairEntry(
            community=p.community,
            community_name=s.area(p.community).name,
            company=p.company,
            company_name=s.organisation(p.company).name,
            community_to_company=p.community_to_company,
            company_to_community=p.company_to_community,
        )
        for p in s.entry_pairs(on=day)
    )


def _coverage(s: Structure, level: CoverageLevel, day: dt.date) -> Coverage:
    import numpy as np
    import polars as pl

    if level == "household":
        valid = _valid(s.households.frame, day)
        linked = _linked_rows(s, day_number(day))
        if linked is None:  # a link to no household (never in a valid structure): by id
            hh = s.households.frame.filter(_expr(day)).get_column("id")
            links = s.linked_households.frame.filter(_expr(day)).get_column("household")
            total = hh.len()
            missing = hh.filter(~hh.is_in(links.implode()))
        else:
            total = int(np.count_nonzero(valid))
            ids = s.households.frame.get_column("id")
            missing = ids.gather(pl.Series(np.flatnonzero(valid & ~linked)))
    else:
        ix = s.index
        mask = (ix.depth == AreaLevel(level).depth) & _valid(s.areas.frame, day)
        total = int(np.count_nonzero(mask))
        valid_ids = s.areas.frame.get_column("id").filter(pl.Series(mask))
        uncovered = pl.Series(s.uncovered(level, on=day), dtype=pl.String)
        missing = uncovered.filter(uncovered.is_in(valid_ids.implode()))
    # counted in polars: a city may leave hundreds of thousands uncovered, the report names 20
    return Coverage(
        level=level,
        total=total,
        uncovered=missing.len(),
        examples=tuple(missing.head(_EXAMPLES).to_list()),
    )


def _expr(day: dt.date) -> pl.Expr:
    import polars as pl

    return (pl.col("start").is_null() | (pl.col("start") <= day)) & (
        pl.col("end").is_null() | (pl.col("end") >= day)
    )


def _valid(frame: pl.DataFrame, day: dt.date) -> npt.NDArray[np.bool_]:
    ok: npt.NDArray[np.bool_] = frame.select(_expr(day).alias("ok")).get_column("ok").to_numpy()
    return ok
