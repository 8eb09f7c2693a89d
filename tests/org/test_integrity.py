"""Tests for gridgov.org._integrity: every corruption is caught, all problems at once.

Each corruption takes the plain data of a valid generated structure and breaks it in one
place. Ids added by a corruption start with ``~``, which generated ids never contain
(:data:`gridgov.testing.ID_ALPHABET`), so they cannot collide with existing ones.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gridgov.errors import Problem, StructureError
from gridgov.org import Structure
from gridgov.org._integrity import MAX_PER_CODE, max_concurrent
from gridgov.org.codes import get_scheme
from gridgov.testing import ID_ALPHABET, structures

FEW = settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)
SCHEMES = st.sampled_from(["civil_affairs_12", "db11_15", "cjt349_20"])
D = dt.date
Data = dict[str, Any]
# A corruption edits the data in place and returns the problem code it must cause. With
# ``exact`` it must cause exactly one problem (used when three are combined).
Corruption = Callable[[Data, st.DataObject, bool, str], str]

assert "~" not in ID_ALPHABET


def dump(s: Structure) -> Data:
    """Plain data of ``s`` with lists (not tuples) so that corruptions can append."""
    data = s.model_dump(context={"include_personal": True})
    return {k: list(v) if isinstance(v, tuple) else v for k, v in data.items()}


def fresh_post(data: Data, tag: str, **post: Any) -> tuple[str, str]:
    """Add an open-ended social organisation, a post in it and a person; return their ids."""
    org, post_id, person = f"~org-{tag}", f"~post-{tag}", f"~person-{tag}"
    data["organisations"].append({"id": org, "kind": "social_organisation"})
    data["posts"].append({"id": post_id, "kind": "volunteer", "organisation": org, **post})
    data["people"].append({"id": person})
    return post_id, person


def areas_at(data: Data, level: str) -> list[Data]:
    return [a for a in data["areas"] if a["level"] == level]


# -- the corruptions ------------------------------------------------------------------------
def dangling(data: Data, draw: st.DataObject, exact: bool, tag: str) -> str:
    options = ["post-organisation"]
    if not exact:
        options += ["organisation-parent"]
        options += ["household-parent"] if data["households"] else []
        options += ["appointment-person"] if data["appointments"] else []
        options += ["link-household"] if data["linked_households"] else []
    choice = draw.draw(st.sampled_from(options), label="dangling")
    if choice == "post-organisation":
        data["posts"].append({"id": f"~post-{tag}", "kind": "liaison", "organisation": "~nope"})
    elif choice == "organisation-parent":
        org = draw.draw(st.sampled_from(data["organisations"]))
        org["parent"] = "~nope"
    elif choice == "household-parent":
        draw.draw(st.sampled_from(data["households"]))["parent"] = "~nope"
    elif choice == "appointment-person":
        draw.draw(st.sampled_from(data["appointments"]))["person"] = "~nope"
    else:
        draw.draw(st.sampled_from(data["linked_households"]))["household"] = "~nope"
    return "dangling-reference"


def cycle(data: Data, draw: st.DataObject, exact: bool, tag: str) -> str:
    if exact or draw.draw(st.booleans(), label="organisations"):
        # kinds free to report to anything: a self-loop is the only problem
        free = ("street_office", "residents_committee", "party_committee", "department")
        org = draw.draw(st.sampled_from([o for o in data["organisations"] if o["kind"] in free]))
        org["parent"] = org["id"]
    else:
        # a street placed under one of its own communities (also a wrong parent kind)
        community = draw.draw(st.sampled_from(areas_at(data, "community")))
        street = next(a for a in data["areas"] if a["id"] == community["parent"])
        street["parent"] = community["id"]
    return "cycle"


def duplicate(data: Data, draw: st.DataObject, exact: bool, tag: str) -> str:
    kind = draw.draw(st.sampled_from(["person", "post", "area"]), label="duplicate as")
    taken = draw.draw(
        st.sampled_from(
            [a["id"] for a in data["areas"]]
            + [o["id"] for o in data["organisations"]]
            + [h["id"] for h in data["households"]]
        )
    )
    if kind == "person":
        data["people"].append({"id": taken})
    elif kind == "post":
        data["posts"].append(
            {"id": taken, "kind": "volunteer", "organisation": data["organisations"][0]["id"]}
        )
    else:
        data["areas"].append({"id": taken, "level": "street"})
    return "duplicate-id"


def wrong_parent_kind(data: Data, draw: st.DataObject, exact: bool, tag: str) -> str:
    street = draw.draw(st.sampled_from(areas_at(data, "street")))
    choice = "new-grid" if exact else draw.draw(st.sampled_from(["new-grid", "move", "group"]))
    if choice == "new-grid":  # a grid directly under a street
        # within the street's lifetime (or open, when another corruption inverted it)
        start, end = street.get("start"), street.get("end")
        if start is not None and end is not None and end < start:
            start = end = None
        data["areas"].append(
            {"id": f"~grid-{tag}", "level": "grid", "parent": street["id"],
             "start": start, "end": end}
        )  # fmt: skip
    elif choice == "move":
        grid = draw.draw(st.sampled_from(areas_at(data, "grid")))
        community = next(a for a in data["areas"] if a["id"] == grid["parent"])
        grid["parent"] = community["parent"]
    else:  # a grid party group reporting straight to the party committee
        top = next(o for o in data["organisations"] if o["kind"] == "party_committee")
        data["organisations"].append(
            {"id": f"~group-{tag}", "kind": "grid_party_group", "parent": top["id"]}
        )
    return "wrong-parent-kind"


def end_before_start(data: Data, draw: st.DataObject, exact: bool, tag: str) -> str:
    tables = ["areas"] if exact else ["areas", "households", "compounds", "agreements"]
    table = draw.draw(st.sampled_from([t for t in tables if data[t]]), label="dated")
    row = draw.draw(st.sampled_from(data[table]))
    row["start"], row["end"] = D(2020, 1, 2), D(2020, 1, 1)
    return "end-before-start"


def over_filled(data: Data, draw: st.DataObject, exact: bool, tag: str) -> str:
    post_id, person = fresh_post(data, tag, max_holders=draw.draw(st.integers(1, 3)))
    most = data["posts"][-1]["max_holders"]
    for k in range(most + 1):
        start = D(2020, 1, 1) + dt.timedelta(days=k)  # all seats taken from 2020-01-01 + most
        data["appointments"].append(
            {"id": f"~appt-{tag}-{k}", "person": person, "post": post_id, "start": start}
        )
    return "over-filled-post"


def household_in_two_units(data: Data, draw: st.DataObject, exact: bool, tag: str) -> str:
    household = draw.draw(st.sampled_from(data["households"]))
    places = [
        a
        for a in data["areas"]
        if a["level"] in {"unit", "building", "micro_grid", "grid"}
        and a["id"] != household["parent"]
    ]
    if not places:  # one grid only, holding the household directly: add a building to it
        home = next(a for a in data["areas"] if a["id"] == household["parent"])
        places = [{"id": f"~building-{tag}", "level": "building", "parent": home["id"],
                   "start": home.get("start"), "end": home.get("end")}]  # fmt: skip
        data["areas"].append(places[0])
    place = draw.draw(st.sampled_from(places))
    # the copy lives as long as its new place (open, when another corruption inverted it), so
    # that it is in two places and nothing else
    start, end = place.get("start"), place.get("end")
    if start is not None and end is not None and end < start:
        start = end = None
    data["households"].append({**household, "parent": place["id"], "start": start, "end": end})
    return "household-multiple-parents"


def outside_post(data: Data, draw: st.DataObject, exact: bool, tag: str) -> str:
    post_id, person = fresh_post(data, tag, start=D(2020, 1, 1), end=D(2020, 12, 31))
    early = draw.draw(st.booleans(), label="too early")
    start, end = (D(2019, 12, 1), D(2020, 6, 30)) if early else (D(2020, 6, 1), None)
    data["appointments"].append(
        {"id": f"~appt-{tag}", "person": person, "post": post_id, "start": start, "end": end}
    )
    return "appointment-outside-post"


def outside_organisation(data: Data, draw: st.DataObject, exact: bool, tag: str) -> str:
    post_id, person = fresh_post(data, tag)
    data["organisations"][-1]["end"] = D(2021, 6, 30)
    data["appointments"].append(
        {"id": f"~appt-{tag}", "person": person, "post": post_id, "start": D(2021, 1, 1)}
    )
    return "appointment-outside-org"


def code_mismatch(data: Data, draw: st.DataObject, exact: bool, tag: str) -> str:
    """Give the deepest coded area a code whose prefix names another parent."""
    scheme = get_scheme(data["code_scheme"])
    by_id: dict[str, Data] = {}
    for a in data["areas"]:
        by_id.setdefault(a["id"], a)  # rows added by other corruptions come later
    deepest = scheme.levels[-1]
    coded = [a for a in areas_at(data, deepest) if a.get("code") and by_id[a["parent"]].get("code")]
    area = draw.draw(st.sampled_from(coded))
    parent = scheme.parse(by_id[area["parent"]]["code"])
    part = next(p for p in scheme.parts if p.level == parent.level)
    value = int(parent[part.name])
    other = value + 1 if value + 1 <= (part.max_value or 10**part.width - 1) else value - 1
    other_parent = scheme.format(**{**dict(parent.parts), part.name: other})
    taken = {a.get("code") for a in data["areas"]}  # a fresh code: not also a duplicate-code
    area["code"] = next(
        c for c in (scheme.child_code(other_parent, n) for n in range(7, 99)) if c not in taken
    )
    return "code-mismatch"


CORRUPTIONS: dict[str, Corruption] = {
    "dangling-reference": dangling,
    "cycle": cycle,
    "duplicate-id": duplicate,
    "wrong-parent-kind": wrong_parent_kind,
    "end-before-start": end_before_start,
    "over-filled-post": over_filled,
    "household-multiple-parents": household_in_two_units,
    "appointment-outside-post": outside_post,
    "appointment-outside-org": outside_organisation,
    "code-mismatch": code_mismatch,
}

corrupted_structures = structures(min_households=1, max_households=20, code_scheme=SCHEMES)


@pytest.mark.parametrize("name", list(CORRUPTIONS))
@FEW
@given(s=corrupted_structures, draw=st.data())
def test_each_corruption_is_rejected_with_its_code(
    name: str, s: Structure, draw: st.DataObject
) -> None:
    data = dump(s)
    code = CORRUPTIONS[name](data, draw, False, "x")
    assert code == name
    with pytest.raises(StructureError) as info:
        Structure.model_validate(data)
    assert code in info.value.codes
    assert all(isinstance(p, Problem) and p.location and p.message for p in info.value.problems)


@pytest.mark.parametrize("name", list(CORRUPTIONS))
@settings(FEW, max_examples=5)
@given(s=corrupted_structures, draw=st.data())
def test_exact_corruptions_cause_exactly_one_problem(
    name: str, s: Structure, draw: st.DataObject
) -> None:
    data = dump(s)
    code = CORRUPTIONS[name](data, draw, True, "x")
    with pytest.raises(StructureError) as info:
        Structure.model_validate(data)
    assert info.value.codes == [code]


@FEW
@given(
    s=corrupted_structures,
    names=st.lists(st.sampled_from(list(CORRUPTIONS)), min_size=3, max_size=3, unique=True),
    draw=st.data(),
)
def test_three_independent_corruptions_give_three_problems(
    s: Structure, names: list[str], draw: st.DataObject
) -> None:
    data = dump(s)
    codes = [CORRUPTIONS[n](data, draw, True, str(k)) for k, n in enumerate(names)]
    with pytest.raises(StructureError) as info:
        Structure.model_validate(data)
    assert sorted(info.value.codes) == sorted(codes)
    assert len(info.value.problems) == 3
    text = str(info.value)
    assert all(f"[{c}]" in text for c in codes)


def test_problems_name_their_location() -> None:
    with pytest.raises(StructureError) as info:
        Structure.model_validate(
            {
                "areas": [
                    {"id": "S1", "level": "street"},
                    {"id": "G1", "level": "grid", "parent": "S1"},
                ],
                "households": [{"id": "H1", "parent": "NOPE"}],
            }
        )
    assert [(p.code, p.location) for p in info.value.problems] == [
        ("wrong-parent-kind", "area:G1"),
        ("dangling-reference", "household:H1"),
    ]


def test_compound_both_self_governed_and_managed() -> None:
    data = {
        "organisations": [{"id": "PC", "kind": "property_company"}],
        "compounds": [{"id": "CP", "property_company": "PC", "self_governed": True}],
    }
    with pytest.raises(StructureError) as info:
        Structure.model_validate(data)
    assert info.value.codes == ["compound-contradiction"]


def test_reference_of_the_wrong_kind() -> None:
    data = {
        "areas": [
            {"id": "S1", "level": "street"},
            {"id": "C1", "level": "community", "parent": "S1"},
            {"id": "G1", "level": "grid", "parent": "C1"},
        ],
        "organisations": [{"id": "U", "kind": "department"}],
        "agreements": [{"id": "AG", "unit": "U", "community": "G1"}],
    }
    with pytest.raises(StructureError) as info:
        Structure.model_validate(data)
    assert info.value.codes == ["wrong-reference-kind", "wrong-reference-kind"]


def test_invalid_code_under_the_scheme() -> None:
    data = {"code_scheme": "db11_15", "areas": [{"id": "S1", "level": "street", "code": "12AB"}]}
    with pytest.raises(StructureError) as info:
        Structure.model_validate(data)
    assert info.value.codes == ["code-invalid"]


def test_many_problems_of_one_code_are_capped_with_a_count() -> None:
    n = MAX_PER_CODE + 5
    data = {"households": {"id": [f"H{i}" for i in range(n)], "parent": ["NOPE"] * n}}
    with pytest.raises(StructureError) as info:
        Structure.model_validate(data)
    assert len(info.value.problems) == MAX_PER_CODE + 1
    assert "5 more" in info.value.problems[-1].message


@pytest.mark.parametrize(
    ("periods", "expected"),
    [
        ([], 0),
        ([(None, None)], 1),
        # a period ending the day before another starts does not overlap it
        ([(D(2024, 1, 1), D(2024, 6, 30)), (D(2024, 7, 1), None)], 1),
        ([(D(2024, 1, 1), D(2024, 6, 30)), (D(2024, 6, 30), None), (D(2024, 7, 1), None)], 2),
        ([(None, D(2020, 1, 1)), (None, None), (D(2019, 1, 1), None)], 3),
    ],
)
def test_max_concurrent(periods: list[tuple[D | None, D | None]], expected: int) -> None:
    assert max_concurrent(periods) == expected


# -- issue 8 regressions ----------------------------------------------------------------------
def _coded(street: str, community: str, grids: list[str], scheme: str = "db11_15") -> Data:
    return {
        "code_scheme": scheme,
        "areas": [
            {"id": "S1", "level": "street", "code": street},
            {"id": "C1", "level": "community", "parent": "S1", "code": community},
            *(
                {"id": f"G{k + 1}", "level": "grid", "parent": "C1", "code": code}
                for k, code in enumerate(grids)
            ),
        ],
    }


def test_a_code_at_another_level_than_its_area_is_a_problem() -> None:
    # db11_15 = 6 district + 3 street + 3 community + 3 grid (gridgov.org.codes)
    ok = _coded("110101001000000", "110101001002000", ["110101001002001"])
    Structure.model_validate(ok)
    street_with_grid_code = _coded("110101001002001", "110101001002000", [])
    with pytest.raises(StructureError) as info:
        Structure.model_validate(street_with_grid_code)
    assert ("code-wrong-level", "area:S1") in {(p.code, p.location) for p in info.value.problems}
    assert "grid code" in str(info.value)


def test_two_grids_sharing_one_code_is_a_problem() -> None:
    data = _coded("110101001000000", "110101001002000", ["110101001002001"] * 2)
    with pytest.raises(StructureError) as info:
        Structure.model_validate(data)
    assert [(p.code, p.location) for p in info.value.problems] == [("duplicate-code", "area:G2")]
    # one after the other (the old grid ended before the new one began) is fine
    data["areas"][2]["end"] = D(2023, 12, 31)
    data["areas"][3]["start"] = D(2024, 1, 1)
    Structure.model_validate(data)


def test_an_area_or_household_outside_its_parents_lifetime_is_a_problem() -> None:
    # issue 8: a grid ended while its building lived on; as_of made the building a root
    data: Data = {
        "areas": [
            {"id": "S1", "level": "street"},
            {"id": "C1", "level": "community", "parent": "S1"},
            {"id": "G1", "level": "grid", "parent": "C1", "end": D(2023, 12, 31)},
            {"id": "B1", "level": "building", "parent": "G1"},  # outlives G1
            {
                "id": "B2",
                "level": "building",
                "parent": "G1",
                "start": D(2024, 1, 1),
                "end": D(2024, 2, 1),
            },
            {"id": "G2", "level": "grid", "parent": "C1", "start": D(2020, 1, 1)},
        ],
        "households": [
            {"id": "H1", "parent": "G2", "start": D(2019, 5, 1)},  # starts before G2
            {"id": "H2", "parent": "G2"},  # no start: before G2 too
            {"id": "H3", "parent": "G2", "start": D(2020, 1, 1)},
        ],
        "linked_households": [{"member": "P1", "household": "H3", "start": D(2019, 1, 1)}],
        "people": [{"id": "P1", "party": {}}],
    }
    with pytest.raises(StructureError) as info:
        Structure.model_validate(data)
    got = [(p.code, p.location) for p in info.value.problems]
    assert got == [
        ("outside-parent-period", "area:B1"),
        ("outside-parent-period", "area:B2"),
        ("outside-parent-period", "household:H1"),
        ("outside-parent-period", "household:H2"),
        ("outside-parent-period", "linked_household:P1"),
    ]
    text = str(info.value)
    assert "area:B1: [outside-parent-period] has no end, but its parent G1 ends 2023-12-31" in text
    assert "starts 2024-01-01, but its parent G1 ends" not in text  # an early end is not a start
    assert "starts 2019-05-01, but its area G2 starts 2020-01-01" in text


@FEW
@given(s=structures(), day=st.dates(D(2008, 1, 1), D(2037, 12, 31)))
def test_as_of_keeps_the_spatial_tree_whole(s: Structure, day: dt.date) -> None:
    # issue 8: as_of could return a structure failing its own validation (a building whose
    # grid had ended became a root and dropped out of every roll-up). Every area, household
    # and linked household of the day still hangs from the tree, and the snapshot's tables
    # pass every check.
    t = s.as_of(day)
    data = t.model_dump(context={"include_personal": True})
    tree_only = {k: data[k] for k in ("name", "code_scheme", "areas", "households")}
    Structure.model_validate(tree_only)  # raises with every problem, if any
    ix = t.index
    assert (ix.parent != -2).all()
    assert (ix.hh_parent != -2).all()
    tops = [lvl for lvl in ("district", "street", "community") if t.rollup(lvl).height]
    for level in tops[:1]:
        roots_hh = int((ix.hh_parent >= 0).sum())
        assert int(t.rollup(level)["households"].sum()) <= roots_hh
    linked = set(t.linked_households.frame["household"].to_list())
    assert linked <= set(t.households.ids())


def test_a_linked_household_member_must_be_a_party_member() -> None:
    # issue 8: 党员联系户 means a party member's linked household
    data: Data = {
        "areas": [
            {"id": "G1", "level": "grid", "parent": "C1"},
            {"id": "C1", "level": "community", "parent": "S1"},
            {"id": "S1", "level": "street"},
        ],
        "households": [{"id": "H1", "parent": "G1"}, {"id": "H2", "parent": "G1"}],
        "people": [{"id": "M1", "party": {}}, {"id": "N1"}],
        "linked_households": [
            {"member": "M1", "household": "H1"},
            {"member": "N1", "household": "H2"},
        ],
    }
    with pytest.raises(StructureError) as info:
        Structure.model_validate(data)
    [problem] = info.value.problems
    assert (problem.code, problem.location) == ("link-not-party-member", "linked_household:N1")
    assert "'H2'" in problem.message


def test_a_building_in_two_compounds_at_once_is_a_problem() -> None:
    data: Data = {
        "areas": [
            {"id": "S1", "level": "street"},
            {"id": "C1", "level": "community", "parent": "S1"},
            {"id": "G1", "level": "grid", "parent": "C1"},
            {"id": "B1", "level": "building", "parent": "G1"},
            {"id": "B2", "level": "building", "parent": "G1"},
        ],
        "compounds": [
            {"id": "CP1", "buildings": ["B1", "B2"]},
            {"id": "CP2", "buildings": ["B2"]},
        ],
    }
    with pytest.raises(StructureError) as info:
        Structure.model_validate(data)
    assert [(p.code, p.location) for p in info.value.problems] == [
        ("building-multiple-compounds", "compound:CP2")
    ]
    assert "'B2'" in info.value.problems[0].message
    # one compound after the other (a compound split, say) is fine
    data["compounds"][0]["end"] = D(2023, 12, 31)
    data["compounds"][1]["start"] = D(2024, 1, 1)
    Structure.model_validate(data)


def test_every_problem_code_is_in_the_code_table() -> None:
    import gridgov.org._integrity as integrity

    doc = integrity.__doc__ or ""
    source = Path(integrity.__file__).read_text(encoding="utf-8")
    used = set(re.findall(r'(?:Problem\(|_capped\(|\*_capped\()\s*"([a-z-]+)"', source))
    assert used, "no codes found"
    assert {c for c in used if f"``{c}``" not in doc} == set()
