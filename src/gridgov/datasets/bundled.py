"""The bundled examples ``youyi``, ``huanan`` and ``bozhou``: synthetic, calibrated, cached.

Each example is generated on first use by :func:`~gridgov.datasets.synthetic_city` from a
fixed seed and fixed options, then kept in memory (nothing large ships with the package). The
options pin the published figures of the three county reports (summarised on the documentation
page Sources, ``docs/sources.md``); all people, names and places below the county are invented,
codes carry the synthetic district code ``990101``, and the reference date is 2024-06-30.
Each is placed at its county's seat (:func:`~gridgov.datasets.place`) and its report-backs
(双报到) are the output of :func:`gridgov.analysis.assign_report_back`, 就地 before 就近, with
room in each grid for the in-service members living there (the seed has all of them report
back to their grid of residence; see ``datasets/_report_back.py``).

=========  =====================================================================================
example    calibrated to (Sources, docs/sources.md; the seed report's words)
=========  =====================================================================================
youyi      76 grids of 200-300 households (「以200—300户为单位，统一划分网格76个」), 76 full-time
           grid workers, 76 party groups, 145 party member homes (「配备专职网格员76名，建立党
           小组76个、党员之家145个」), 377 building heads and 1 697 unit heads (「配备楼长377人、
           单元长1697人」), 316 in-service members reporting back (「300余名在职党员回居住地网格
           报到」), 84 self-governed compounds (「已有80余个小区」), centres with ≥ 60 % resident
           space, 38 友小驿 micro-stations (「设立“友小驿”微驿站38处」), 1 036 volunteers
           (「1000余人」), the 友谊大妈团 mediators. Passes every rule of the ``youyi`` profile.
huanan     21 communities and 252 grid party groups (「建立党小组252个」), 120 co-building units
           with 221 projects with the 21 communities (「120家共驻共建单位与21个社区签订共建项目221
           个」) solving 736 problems (「已解决实际问题730余件」), 大党委 with rotating chairs,
           centres all ≥ 300 m² with 9 over 1 000 m² and ≥ 80 % service area (「全部达到300平方米，
           其中9个面积超过1000平方米，服务区域面积均在80%以上」), 21 community grid service
           stations, 3 business-district stations, 21 other service places, 15 community teams.
bozhou     76 property companies, all publishing their service items (「指导督促76家物业企业」),
           69 with party building in the charter (「推动69家物业企业将党建工作写入公司章程」),
           5 community two-committee members on company party boards and 48 board members also
           in company management (「5名社区“两委”成员担任物业企业党组织班子成员，48名物业企业党
           组织班子成员与企业管理层实现交叉任职」), each community–company pair two-way, the
           property-industry party committee supervising the companies, 3 vanguard teams of 160
           people (「成立3支共160人的物业服务先锋队」).
=========  =====================================================================================

Examples
--------
>>> available()
['bozhou', 'huanan', 'youyi']
>>> load("youyi").rollup("grid").height
76
"""

from __future__ import annotations

import datetime as dt
import difflib
from functools import cache
from typing import TYPE_CHECKING, Any

from gridgov.errors import UnknownDatasetError

if TYPE_CHECKING:
    from gridgov.org import Structure

__all__ = ["EXAMPLES", "available", "load"]

#: The options each example is generated with (fixed seeds; see the module docstring).
EXAMPLES: dict[str, dict[str, Any]] = {
    "youyi": {
        "households": 19_000,
        "seed": 76,
        "profile": "youyi",
        "name": "友谊县（合成示例）",
        "district_name": "友谊县（合成）",
        "grids": 76,
        "communities": 8,
        "streets": 2,
        "buildings": 377,
        "units": 1_697,
        "compounds": 150,
        "self_governed_compounds": 84,
        "property_companies": 10,
        "community_party_org": "branch",
        "in_service_members": 316,
        "report_back_share": 1.0,
        "party_member_homes": 145,
        "vacancy_rate": 0.0,
        "turnover_share": 0.0,
        "grid_established": dt.date(2024, 3, 1),
        "board_placements": 3,
        "two_way_share": 1.0,
        "centre_area": (300.0, 950.0),
        "small_centre_share": 0.0,
        "resident_space_share": (0.6, 0.8),
        "micro_stations": 38,
        "micro_station_brand": "友小驿",
        "volunteers_total": 1_036,
        "mediation_team": "友谊大妈团",
    },
    "huanan": {
        "households": 83_000,
        "seed": 252,
        "profile": "huanan",
        "name": "桦南县（合成示例）",
        "district_name": "桦南县（合成）",
        "grids": 252,
        "communities": 21,
        "streets": 3,
        "community_party_org": "branch",
        "community_working_committee": True,
        "report_back_share": 1.0,
        "vacancy_rate": 0.0,
        "turnover_share": 0.0,
        "grid_established": dt.date(2023, 1, 1),
        "two_way_share": 1.0,
        "co_building_units": 120,
        "projects": 221,
        "problems_solved": 736,
        "joint_committee_share": 1.0,
        "centre_area": (300.0, 999.0),
        "large_centres": 9,
        "small_centre_share": 0.0,
        "resident_space_share": (0.8, 0.92),
        "grid_service_stations": True,
        "business_stations": 3,
        "service_stations": 21,
        "community_teams": 15,
    },
    "bozhou": {
        "households": 36_000,
        "seed": 69,
        "profile": "bozhou",
        "name": "播州区（合成示例）",
        "district_name": "播州区（合成）",
        "communities": 12,
        "streets": 4,
        "community_party_org": "branch",
        "property_companies": 76,
        "charter_companies": 69,
        "publishes_share": 1.0,
        "board_placements": 5,
        "board_managers": 48,
        "two_way_share": 1.0,
        "report_back_share": 1.0,
        "vacancy_rate": 0.0,
        "turnover_share": 0.0,
        "small_centre_share": 0.0,
        "vanguard_teams": (54, 53, 53),
    },
}


def available() -> list[str]:
    """Names of the bundled examples, sorted.

    Examples
    --------
    >>> "youyi" in available()
    True
    """
    return sorted(EXAMPLES)


def load(name: str) -> Structure:
    """The bundled example ``name`` (generated once per process, then cached).

    Parameters
    ----------
    name : str
        ``"youyi"``, ``"huanan"`` or ``"bozhou"`` (see :func:`available`).

    Returns
    -------
    gridgov.org.Structure
        The validated, immutable example; every call returns the same object.

    Raises
    ------
    UnknownDatasetError
        For any other name; the message lists the available ones.

    Examples
    --------
    >>> load("bozhou") is load("bozhou")
    True
    >>> load("yuoyi")
    Traceback (most recent call last):
    ...
    gridgov.errors.UnknownDatasetError: unknown dataset 'yuoyi' (did you mean 'youyi'?); \
available: bozhou, huanan, youyi
    """
    if not isinstance(name, str) or name not in EXAMPLES:
        close = difflib.get_close_matches(str(name), available(), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise UnknownDatasetError(
            f"unknown dataset {name!r}{hint}; available: {', '.join(available())}"
        )
    return _generate(name)


@cache
def _generate(name: str) -> Structure:
    from gridgov.datasets._report_back import assigned_report_backs
    from gridgov.datasets.geography import SEATS, place
    from gridgov.datasets.synthetic import synthetic_city

    options = EXAMPLES[name]
    placed = place(synthetic_city(**options), centre=SEATS[name], seed=options["seed"])
    # report-backs by the assignment (就地 before 就近), each grid with room for the members
    # living in it: the seed has every one report back to the grid where they live
    return assigned_report_backs(placed, profile=options["profile"], room_for_residents=True)
