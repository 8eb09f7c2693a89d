"""Report-backs (双报到) of a located city, derived by the assignment rather than drawn at random.

:func:`synthetic_city` registers in-service party members with the grid they live in and has
no geography to do more. Once a city is placed (:func:`~gridgov.datasets.place`), its
report-backs are the output of the mechanism: :func:`assigned_report_backs` runs
:func:`gridgov.analysis.assign_report_back` (就地 before 就近, on HiGHS) and takes each
registered member's grid and ``principle`` from it; each record keeps its id and dates. The
bundled examples are made this way.

Capacity. A grid's room for report-back members is the profile's
(``report_back.capacity_factor`` × the even share, an assumption) or, with
``room_for_residents=True``, at least the number of in-service members living in the grid.
The bundled examples use the latter: the seed reports that every one of 友谊县's 300-odd
in-service members reported back to the grid where they live (「推动300余名在职党员回居住地网格
报到」), which the profiles' rule ``in_service_members_registered`` checks; under the assumed
factor alone 11 of youyi's 316 would be sent 就近 to a neighbouring grid.

Examples
--------
>>> from collections import Counter
>>> from gridgov.datasets import load
>>> youyi = load("youyi")  # made with room_for_residents=True
>>> Counter(rb.principle for rb in youyi.report_backs)
Counter({'就地': 316})
>>> tight = assigned_report_backs(youyi, profile="youyi")  # the profile's capacity alone
>>> Counter(rb.principle for rb in tight.report_backs)
Counter({'就地': 305, '就近': 11})
"""

from __future__ import annotations

import math
from collections import Counter
from typing import TYPE_CHECKING

from gridgov.errors import DatasetError

if TYPE_CHECKING:
    from gridgov.org import Structure
    from gridgov.org.profiles import Profile, ProfileRef

__all__ = ["assigned_report_backs", "report_back_capacity"]


def report_back_capacity(
    structure: Structure, *, profile: ProfileRef | Profile = "default"
) -> dict[str, int]:
    """Per grid: the profile's capacity, raised to the in-service members who live there.

    The profile's capacity is ``report_back.capacity_factor`` × (in-service members ÷ grids),
    rounded up — the default of :func:`gridgov.analysis.assign_report_back`.

    Examples
    --------
    >>> from gridgov.datasets import load
    >>> cap = report_back_capacity(load("youyi"), profile="youyi")
    >>> len(cap), min(cap.values()), max(cap.values())
    (76, 7, 10)
    """
    import polars as pl

    from gridgov.analysis._space import number
    from gridgov.org.profiles import load_profile
    from gridgov.org.vocab import AreaLevel, MemberService

    factor = number(load_profile(profile), "report_back.capacity_factor")
    grids: list[str] = (
        structure.areas.frame.filter(pl.col("level") == "grid").get_column("id").to_list()
    )
    households = [
        p.household
        for p in structure.people
        if p.party is not None and p.party.service is MemberService.IN_SERVICE
    ]
    even = math.ceil(factor * len(households) / max(len(grids), 1))
    ix = structure.index
    grid_row = ix.household_ancestor_at(AreaLevel.GRID)
    rows = structure.households.key_index.positions(pl.Series(households, dtype=pl.String))
    home = grid_row[rows[rows >= 0]]
    residents = Counter(ix.ids[int(g)] for g in home[home >= 0])
    return {g: max(even, residents[g]) for g in grids}


def assigned_report_backs(
    structure: Structure,
    *,
    profile: ProfileRef | Profile = "default",
    room_for_residents: bool = False,
) -> Structure:
    """A copy of ``structure`` whose report-backs are the assignment's (see the module).

    Parameters
    ----------
    structure : Structure
        A located structure (:func:`~gridgov.datasets.place`) with report-backs.
    profile : str or Profile
        The profile of :func:`gridgov.analysis.assign_report_back`.
    room_for_residents : bool
        Give each grid room for every in-service member living in it
        (:func:`report_back_capacity`); otherwise the profile's capacity.

    Returns
    -------
    Structure
        The same report-back records (ids, members, dates) with the grid and principle the
        assignment gives; a member the assignment leaves unassigned (no room nearby) keeps no
        report-back.

    Raises
    ------
    DatasetError
        When the structure has no geography.
    """
    from gridgov.analysis import assign_report_back

    if structure.geography is None:
        raise DatasetError(
            "report-backs are assigned by location: place the city first "
            "(gridgov.datasets.place) / 双报到按位置分配，请先生成地理位置"
        )
    capacity = report_back_capacity(structure, profile=profile) if room_for_residents else None
    result = assign_report_back(structure, profile=profile, level="grid", capacity=capacity)
    got = {
        m: (g, p)
        for m, g, p in zip(result.members, result.assigned, result.principle, strict=True)
        if g is not None
    }
    kept = tuple(
        rb.model_copy(update={"grid": got[rb.member][0], "principle": got[rb.member][1] or ""})
        for rb in structure.report_backs
        if rb.member in got
    )
    return structure.model_copy(update={"report_backs": kept})
