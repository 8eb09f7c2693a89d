"""Summaries that restate what the reports say: co-building, cross-appointments, rotations.

* :func:`cobuilding_summary` — units, communities, agreements, projects (桦南县: 120 units
  with 21 communities, 221 projects), per community and per unit, and who has no partner;
* :func:`cross_appointment_summary` — cross-appointments (交叉任职) per direction, and
  community–company pairs with entry one way or both ways (双向进入);
* :func:`chair_rotations` — whether each joint committee's (大党委) chair rotates validly:
  every member chairs in turn, with no gap and no overlap.

Each returns a frozen dataclass with a ``text(lang)`` rendering in English or Chinese and a
``to_dict()`` of plain JSON-ready data.

Examples
--------
>>> from gridgov.graph._demo import demo_structure
>>> s = cobuilding_summary(demo_structure())
>>> s.units, s.communities, s.agreements, s.projects, s.communities_without_partner
(2, 2, 2, 3, ('C2',))
>>> print(s.text("zh").splitlines()[0])
demo：共建单位2个，社区2个，共建协议2份，共建项目3个。
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gridgov.org.vocab import AreaLevel, Lang, OrgKind, Sector

if TYPE_CHECKING:
    import polars as pl

    from gridgov.org.structure import Structure

__all__ = [
    "CobuildingSummary",
    "CrossAppointmentSummary",
    "RotationCheck",
    "chair_rotations",
    "cobuilding_summary",
    "cross_appointment_summary",
]


@dataclass(frozen=True, slots=True)
class CobuildingSummary:
    """The co-building (共驻共建) picture of a structure.

    Attributes
    ----------
    name
        The structure's name.
    units, communities
        Co-building units and communities in the structure, partnered or not.
    agreements, projects, problems_solved
        Agreements, projects under them, and problems those projects solved.
    units_with_agreements, communities_with_partners
        How many have at least one agreement.
    units_without_partner, communities_without_partner
        Their ids, in structure order.
    categories, statuses
        Agreements per category (三联…) and per status code.
    per_community
        polars frame: ``community``, ``name``, ``units``, ``agreements``, ``projects``,
        ``problems_solved`` (every community, in structure order).
    per_unit
        polars frame: ``unit``, ``name``, ``category``, ``communities``, ``agreements``,
        ``projects``, ``problems_solved`` (every unit, in structure order).
    """

    name: str
    units: int
    communities: int
    agreements: int
    projects: int
    problems_solved: int
    units_with_agreements: int
    communities_with_partners: int
    units_without_partner: tuple[str, ...]
    communities_without_partner: tuple[str, ...]
    categories: dict[str, int] = field(hash=False)
    statuses: dict[str, int] = field(hash=False)
    per_community: pl.DataFrame = field(hash=False, compare=False)
    per_unit: pl.DataFrame = field(hash=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """Plain data: counts, lists, and the two tables as lists of row dicts."""
        return {
            "name": self.name,
            "units": self.units,
            "communities": self.communities,
            "agreements": self.agreements,
            "projects": self.projects,
            "problems_solved": self.problems_solved,
            "units_with_agreements": self.units_with_agreements,
            "communities_with_partners": self.communities_with_partners,
            "units_without_partner": list(self.units_without_partner),
            "communities_without_partner": list(self.communities_without_partner),
            "categories": dict(self.categories),
            "statuses": dict(self.statuses),
            "per_community": self.per_community.to_dicts(),
            "per_unit": self.per_unit.to_dicts(),
        }

    def text(self, lang: Lang = "en") -> str:
        """A short paragraph in ``lang``."""
        from gridgov.org.vocab import AgreementCategory

        def cat(code: str) -> str:
            try:
                return AgreementCategory(code).label(lang)
            except ValueError:
                return code

        cats = sorted(self.categories.items(), key=lambda kv: (-kv[1], kv[0]))
        if lang == "zh":
            lines = [
                (
                    f"{self.name}：共建单位{self.units}个，社区{self.communities}个，"
                    f"共建协议{self.agreements}份，共建项目{self.projects}个。"
                ),
                (
                    f"有协议的单位{self.units_with_agreements}个，有共建伙伴的社区"
                    f"{self.communities_with_partners}个；项目解决问题{self.problems_solved}件。"
                ),
            ]
            if cats:
                lines.append("协议类别：" + "，".join(f"{cat(c)}{n}份" for c, n in cats) + "。")
            if self.communities_without_partner:
                lines.append(
                    "没有共建伙伴的社区：" + "、".join(self.communities_without_partner) + "。"
                )
            return "\n".join(lines)
        lines = [
            (
                f"{self.name}: {self.units} co-building units, {self.communities} communities, "
                f"{self.agreements} agreements, {self.projects} projects."
            ),
            (
                f"{self.units_with_agreements} units have agreements and "
                f"{self.communities_with_partners} communities have partners; the projects "
                f"solved {self.problems_solved} problems."
            ),
        ]
        if cats:
            lines.append("Agreements by category: " + ", ".join(f"{cat(c)} {n}" for c, n in cats))
        if self.communities_without_partner:
            lines.append(
                "Communities with no partner: " + ", ".join(self.communities_without_partner)
            )
        return "\n".join(lines)


def cobuilding_summary(structure: Structure, *, as_of: dt.date | None = None) -> CobuildingSummary:
    """Count the co-building units, communities, agreements and projects of a structure.

    Parameters
    ----------
    structure
        The structure.
    as_of
        Take the structure as it stood on this day first (agreements and projects valid
        that day).

    Returns
    -------
    CobuildingSummary

    Examples
    --------
    >>> from gridgov.graph._demo import demo_structure
    >>> cobuilding_summary(demo_structure()).per_community.rows()
    [('C1', '光明社区', 2, 2, 3, 0), ('C2', '和平社区', 0, 0, 0, 0)]
    """
    import polars as pl

    s = structure if as_of is None else structure.as_of(as_of)
    units = [o for o in s.organisations if o.kind is OrgKind.CO_BUILDING_UNIT]
    frame = s.areas.frame.filter(pl.col("level") == AreaLevel.COMMUNITY.value)
    communities = frame.get_column("id").to_list()
    community_names = frame.get_column("name").to_list()
    rows = [
        (
            a.unit,
            a.community,
            len(a.projects),
            sum(p.problems_solved for p in a.projects),
        )
        for a in s.agreements
    ]
    agreements = pl.DataFrame(
        rows,
        schema={
            "unit": pl.String,
            "community": pl.String,
            "projects": pl.Int64,
            "problems_solved": pl.Int64,
        },
        orient="row",
    )
    counts = [pl.len().alias("agreements"), pl.sum("projects"), pl.sum("problems_solved")]
    by_community = agreements.group_by("community").agg(
        pl.col("unit").n_unique().alias("units"), *counts
    )
    by_unit = agreements.group_by("unit").agg(
        pl.col("community").n_unique().alias("communities"), *counts
    )
    per_community = (
        pl.DataFrame(
            {"community": communities, "name": community_names},
            schema={"community": pl.String, "name": pl.String},
        )
        .join(by_community, on="community", how="left", maintain_order="left")
        .fill_null(0)
        .select("community", "name", "units", "agreements", "projects", "problems_solved")
    )
    per_unit = (
        pl.DataFrame(
            {
                "unit": [u.id for u in units],
                "name": [u.name for u in units],
                "category": [getattr(u, "category", "") for u in units],
            },
            schema={"unit": pl.String, "name": pl.String, "category": pl.String},
        )
        .join(by_unit, on="unit", how="left", maintain_order="left")
        .fill_null(0)
        .select(
            "unit", "name", "category", "communities", "agreements", "projects", "problems_solved"
        )
    )
    partnered_units = set(agreements.get_column("unit").to_list())
    partnered_communities = set(agreements.get_column("community").to_list())
    return CobuildingSummary(
        name=s.name,
        units=len(units),
        communities=len(communities),
        agreements=len(s.agreements),
        projects=int(agreements.get_column("projects").sum()),
        problems_solved=int(agreements.get_column("problems_solved").sum()),
        units_with_agreements=len(partnered_units),
        communities_with_partners=len(partnered_communities),
        units_without_partner=tuple(u.id for u in units if u.id not in partnered_units),
        communities_without_partner=tuple(c for c in communities if c not in partnered_communities),
        categories=dict(Counter(a.category.value for a in s.agreements)),
        statuses=dict(Counter(a.status.value for a in s.agreements)),
        per_community=per_community,
        per_unit=per_unit,
    )


@dataclass(frozen=True, slots=True)
class CrossAppointmentSummary:
    """Cross-appointments (交叉任职) and two-way entry (双向进入) of a structure.

    Attributes
    ----------
    cross_appointments
        Pairs of concurrent appointments in organisations of different sectors.
    people
        Distinct people holding them.
    by_direction
        ``{"community → enterprise_party": 5, …}``: pairs per direction, reading from the
        sector of the earlier appointment to the later one.
    community_to_company, company_to_community
        Cross-appointments between a community and a property company (its party
        organisation included), by direction, summed over pairs (:meth:`Structure.entry_pairs
        <gridgov.org.Structure.entry_pairs>`).
    pairs, two_way_pairs
        Community–company pairs with any cross-appointment, and those with both directions.
    """

    cross_appointments: int
    people: int
    by_direction: dict[str, int] = field(hash=False)
    community_to_company: int = 0
    company_to_community: int = 0
    pairs: int = 0
    two_way_pairs: int = 0

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {
            "cross_appointments": self.cross_appointments,
            "people": self.people,
            "by_direction": dict(self.by_direction),
            "community_to_company": self.community_to_company,
            "company_to_community": self.company_to_community,
            "pairs": self.pairs,
            "two_way_pairs": self.two_way_pairs,
        }

    def text(self, lang: Lang = "en") -> str:
        """A short paragraph in ``lang``."""

        def direction(key: str, lang: Lang) -> str:
            a, _, b = key.partition(" → ")
            try:
                return f"{Sector(a).label(lang)} → {Sector(b).label(lang)}"
            except ValueError:
                return key

        ordered = sorted(self.by_direction.items(), key=lambda kv: (-kv[1], kv[0]))
        if lang == "zh":
            lines = [
                f"交叉任职{self.cross_appointments}对，涉及{self.people}人。",
                (
                    f"社区→物业企业{self.community_to_company}人次，物业企业→社区"
                    f"{self.company_to_community}人次；社区与企业结对{self.pairs}对，"
                    f"其中双向进入{self.two_way_pairs}对。"
                ),
            ]
            if ordered:
                lines.append(
                    "按方向：" + "，".join(f"{direction(k, 'zh')} {n}" for k, n in ordered) + "。"
                )
            return "\n".join(lines)
        lines = [
            f"{self.cross_appointments} cross-appointments held by {self.people} people.",
            (
                f"Community → company: {self.community_to_company}; company → community: "
                f"{self.company_to_community}; {self.pairs} community–company pairs, "
                f"{self.two_way_pairs} of them two-way."
            ),
        ]
        if ordered:
            lines.append(
                "By direction: " + "; ".join(f"{direction(k, 'en')} {n}" for k, n in ordered)
            )
        return "\n".join(lines)


def cross_appointment_summary(
    structure: Structure, *, as_of: dt.date | None = None
) -> CrossAppointmentSummary:
    """Count cross-appointments per direction and community–company entry pairs.

    Parameters
    ----------
    structure
        The structure.
    as_of
        Count only appointments valid on this day (else any two that overlap in time).

    Examples
    --------
    >>> from gridgov.graph._demo import demo_structure
    >>> cross_appointment_summary(demo_structure()).by_direction
    {'community → enterprise_party': 1}
    """
    crossed = structure.cross_appointments(on=as_of)
    pairs = structure.entry_pairs(on=as_of)
    return CrossAppointmentSummary(
        cross_appointments=len(crossed),
        people=len({x.person for x in crossed}),
        by_direction=dict(Counter(x.direction for x in crossed)),
        community_to_company=sum(p.community_to_company for p in pairs),
        company_to_community=sum(p.company_to_community for p in pairs),
        pairs=len(pairs),
        two_way_pairs=sum(p.two_way for p in pairs),
    )


@dataclass(frozen=True, slots=True)
class RotationCheck:
    """Whether one joint committee's chair rotation is valid.

    ``problems`` are the sentences of :meth:`JointCommittee.rotation_problems
    <gridgov.org.JointCommittee.rotation_problems>` (a chair who is not a member, a gap, an
    overlap, an open term followed by another, a member who never chairs); ``chairs`` the
    chairing organisations in date order.
    """

    committee: str
    name: str
    community: str
    chairs: tuple[str, ...]
    problems: tuple[str, ...]

    @property
    def valid(self) -> bool:
        """No problem found."""
        return not self.problems

    def text(self, lang: Lang = "en") -> str:
        """One line in ``lang``."""
        label = self.name or self.committee
        if lang == "zh":
            if self.valid:
                return f"{label}：轮值主席安排有效（{len(self.chairs)}届）。"
            return f"{label}：轮值主席安排有{len(self.problems)}个问题：" + "；".join(self.problems)
        if self.valid:
            return f"{label}: chair rotation valid ({len(self.chairs)} terms)."
        return f"{label}: {len(self.problems)} rotation problem(s): " + "; ".join(self.problems)


def chair_rotations(structure: Structure, *, as_of: dt.date | None = None) -> list[RotationCheck]:
    """Check every joint committee's chair rotation (every member in turn, no gap, no overlap).

    Examples
    --------
    >>> from gridgov.graph._demo import demo_structure
    >>> [c.text() for c in chair_rotations(demo_structure())]
    ['JC1: chair rotation valid (2 terms).']
    """
    s = structure if as_of is None else structure.as_of(as_of)
    out: list[RotationCheck] = []
    for jc in s.joint_committees:
        terms = sorted(jc.chair_rotation, key=lambda t: t.start or dt.date.min)
        out.append(
            RotationCheck(
                committee=jc.id,
                name=jc.name,
                community=jc.community,
                chairs=tuple(t.organisation for t in terms),
                problems=tuple(jc.rotation_problems()),
            )
        )
    return out
