"""The :class:`Report` model: what a report says, as data, independent of how it is printed.

A report is built by :func:`~gridgov.report.build_report` and printed by
:func:`~gridgov.report.render` (text, Markdown or JSON, in English or Chinese). Being a pydantic
model it serialises to JSON losslessly (``report.model_dump_json()``, read back with
``Report.model_validate_json``), which is what ``gridgov report --format json`` prints; the
computed fields (``passed``, ``two_way``, ``covered_share``) are written out for readers of the
JSON and recomputed on reading. It holds ids, names, counts and findings; it never
holds personal fields (``id_number``, ``phone``).

Examples
--------
>>> r = RuleResult(rule="unit_head_per_unit", label_en="a unit head per unit",
...                label_zh="每个单元有单元长", severity="warning", findings=0)
>>> r.passed
True
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field

from gridgov.report.reach import SpatialAnalysis

__all__ = [
    "AssessmentRow",
    "AssessmentSummary",
    "CoBuildingLink",
    "Coverage",
    "CrossAppointmentEntry",
    "EntryPairEntry",
    "FindingEntry",
    "RateRow",
    "Report",
    "RollupRow",
    "RuleResult",
    "Summary",
]

Severity = Literal["error", "warning", "info"]
#: A count; ``None`` when a ``public`` report suppresses it.
Count = Annotated[int, Field(ge=0)] | None


class _ReportModel(BaseModel):
    # "ignore": computed fields (passed, two_way, covered_share) are written to JSON and
    # recomputed when a report is read back, so model_validate_json(dump) round-trips.
    model_config = ConfigDict(extra="ignore", frozen=True)


class FindingEntry(_ReportModel):
    """One finding of a rule (a copy of :class:`gridgov.org.rules.Finding`'s public fields)."""

    rule: str
    severity: Severity
    subject: str
    message: str
    message_zh: str

    def text(self, lang: Literal["en", "zh"] = "en") -> str:
        """The message in ``lang``."""
        return self.message_zh if lang == "zh" else self.message


class RuleResult(_ReportModel):
    """One rule the profile enables, and how the structure fared."""

    rule: str
    label_en: str
    label_zh: str
    severity: Severity = Field(description="Severity of this rule's findings under the profile.")
    findings: int = Field(ge=0, description="Number of findings of this rule.")

    @computed_field  # type: ignore[prop-decorator]  # pydantic's documented usage
    @property
    def passed(self) -> bool:
        """No finding of this rule (info findings included)."""
        return self.findings == 0


class RollupRow(_ReportModel):
    """Counts for one area (a row of :meth:`gridgov.org.Structure.rollup`).

    A count is ``None`` when suppressed (a ``public`` report: :attr:`Report.suppressed_below`).
    """

    id: str
    name: str = ""
    households: Count = 0
    residents: Count = 0
    party_members: Count = 0
    posts: Count = 0
    posts_filled: Count = 0
    posts_vacant: Count = 0
    linked_households: Count = 0


class CrossAppointmentEntry(_ReportModel):
    """A person holding concurrent posts in organisations of two sectors."""

    person: str
    name: str = ""
    first_post: str
    first_post_kind: str
    first_organisation: str
    first_organisation_name: str = ""
    second_post: str
    second_post_kind: str
    second_organisation: str
    second_organisation_name: str = ""
    sectors: tuple[str, str]


class EntryPairEntry(_ReportModel):
    """Cross-appointments between one community and one property company."""

    community: str
    community_name: str = ""
    company: str
    company_name: str = ""
    community_to_company: Count = 0
    company_to_community: Count = 0

    @computed_field  # type: ignore[prop-decorator]  # pydantic's documented usage
    @property
    def two_way(self) -> bool:
        """Both directions exist (双向进入); a suppressed count (``None``) is one or more."""
        return all(
            n is None or n > 0 for n in (self.community_to_company, self.company_to_community)
        )


class Coverage(_ReportModel):
    """How many buildings, units or households lack their head or linked party member."""

    level: Literal["building", "unit", "household"]
    total: Count
    uncovered: Count
    examples: tuple[str, ...] = Field(
        default=(), description="Up to 20 uncovered ids, in structure order."
    )

    @computed_field  # type: ignore[prop-decorator]  # pydantic's documented usage
    @property
    def covered_share(self) -> float | None:
        """Share covered (1.0 when there is nothing to cover; ``None`` when suppressed)."""
        if self.total is None or self.uncovered is None:
            return None
        return 1.0 if self.total == 0 else round((self.total - self.uncovered) / self.total, 4)


class CoBuildingLink(_ReportModel):
    """Co-building agreements (共驻共建) in force between one community and one unit."""

    community: str
    community_name: str = ""
    unit: str
    unit_name: str = ""
    agreements: int = Field(default=1, ge=1)
    projects: int = Field(default=0, ge=0, description="Projects in force under them.")


class RateRow(_ReportModel):
    """One rate (or count) of the cases in an event log, for one period.

    ``metric`` names the :mod:`gridgov.service.rates` function; for a count (``filed_count``)
    ``numerator`` is the count and ``denominator`` and ``rate`` are ``None``.
    """

    metric: str
    label_en: str
    label_zh: str
    period: str
    numerator: int | None = Field(ge=0, description="None when suppressed (public).")
    denominator: int | None = Field(default=None, ge=0)
    rate: float | None = Field(default=None, ge=0, le=1)


class AssessmentRow(_ReportModel):
    """One subject of an assessment (a row of :meth:`gridgov.assess.Assessment.to_frame`).

    ``reason_en`` and ``reason_zh`` say in one line why a subject is on its list (a one-vote
    veto with the record's kind and date, or the grade); empty for a subject on no list.
    """

    id: str
    name: str = ""
    score: float
    rank: int = Field(ge=1)
    grade: str = ""
    list: Literal["red", "black"] | None = None
    reason_en: str = ""
    reason_zh: str = ""

    def reason(self, lang: Literal["en", "zh"] = "en") -> str:
        """The one-line reason in ``lang``."""
        return self.reason_zh if lang == "zh" else self.reason_en


class AssessmentSummary(_ReportModel):
    """An assessment under a scheme (:func:`gridgov.assess.assess`), compacted for a report.

    ``rows`` are every subject, best rank first; ``red`` and ``black`` the ids on each list.
    """

    scheme: str
    label_en: str = ""
    label_zh: str = ""
    subject: str = Field(default="", description="Subject kind (property_company, grid …).")
    period: tuple[dt.date, dt.date] = Field(description="Start and exclusive end.")
    rows: tuple[AssessmentRow, ...] = ()

    def label(self, lang: Literal["en", "zh"] = "en") -> str:
        """The scheme's label in ``lang`` (its name when it has none)."""
        return (self.label_zh if lang == "zh" else self.label_en) or self.scheme

    def listed(self, list_name: Literal["red", "black"]) -> tuple[AssessmentRow, ...]:
        """Rows on ``list_name``, best rank first."""
        return tuple(r for r in self.rows if r.list == list_name)


class Summary(_ReportModel):
    """Headline figures of a structure on the report's day (``None``: suppressed)."""

    streets: Count = 0
    communities: Count = 0
    grids: Count = 0
    buildings: Count = 0
    units: Count = 0
    households: Count = 0
    residents: Count = 0
    compounds: Count = 0
    organisations: Count = 0
    party_organisations: Count = 0
    people: Count = 0
    party_members: Count = 0
    posts: Count = 0
    posts_filled: Count = 0
    posts_vacant: Count = 0
    appointments: Count = 0
    cross_appointments: Count = 0
    linked_households: Count = 0
    report_backs: Count = 0
    agreements: Count = 0
    projects: Count = 0
    joint_committees: Count = 0


class Report(_ReportModel):
    """A structure's report: summary, rules and findings, roll-ups, cross-appointments, coverage.

    Parameters
    ----------
    title
        The structure's name (or a title given to :func:`~gridgov.report.build_report`).
    reference_date
        The day the figures describe.
    profile, profile_label_zh
        The profile whose rules were run.
    summary
        Headline figures.
    rules
        Every rule the profile enables, with its number of findings.
    findings
        Every finding, most serious first.
    rollups
        Level (``"street"``, ``"community"``, ``"grid"`` …) → one row per area.
    cross_appointments, entry_pairs, coverage
        See the classes.
    cobuilding
        Co-building links (community ↔ unit) in force on the day.
    rates
        Monthly rates of an event log's cases (empty when no log was given), for the year of
        the reference date.
    assessment
        An assessment under a scheme (``None`` when none was given).
    analysis
        Service-circle coverage and mobilisation of a located structure
        (:mod:`gridgov.report.reach`; ``None`` without geography or with ``analysis=False``).
    privacy, suppressed_below, complementary
        The level the report was built at and, at ``public``, the threshold ``k``: every
        suppressed count is ``None`` (:mod:`gridgov.report._suppress` says which and why);
        those hidden only to protect a small count elsewhere are named in ``complementary``.
    """

    title: str
    reference_date: dt.date
    profile: str
    profile_label_zh: str = ""
    summary: Summary
    rules: tuple[RuleResult, ...] = ()
    findings: tuple[FindingEntry, ...] = ()
    rollups: dict[str, tuple[RollupRow, ...]] = Field(default_factory=dict)
    cross_appointments: tuple[CrossAppointmentEntry, ...] = ()
    entry_pairs: tuple[EntryPairEntry, ...] = ()
    coverage: tuple[Coverage, ...] = ()
    cobuilding: tuple[CoBuildingLink, ...] = ()
    rates: tuple[RateRow, ...] = ()
    assessment: AssessmentSummary | None = None
    analysis: SpatialAnalysis | None = None
    privacy: Literal["public", "research", "internal", "full"] = "internal"
    suppressed_below: int | None = Field(
        default=None,
        ge=1,
        description="k of a public report: counts from 1 to k-1 are None (printed '<k').",
    )
    complementary: tuple[str, ...] = Field(
        default=(),
        description="Cells hidden (None) so that no small count comes back from a total, "
        "printed 'x': 'summary::<field>' or '<level>:<area id>:<field>'.",
    )

    @computed_field  # type: ignore[prop-decorator]  # pydantic's documented usage
    @property
    def passed(self) -> bool:
        """Every rule passed (no findings at all)."""
        return not self.findings

    def counts_by_severity(self) -> dict[str, int]:
        """Number of findings per severity (``error``, ``warning``, ``info``; zeros included)."""
        out = {"error": 0, "warning": 0, "info": 0}
        for f in self.findings:
            out[f.severity] += 1
        return out
