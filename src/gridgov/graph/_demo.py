"""A tiny structure used by the examples in :mod:`gridgov.graph` docstrings and its tests.

Examples
--------
>>> demo_structure().name
'demo'
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gridgov.org.structure import Structure

__all__ = ["demo_structure"]


def demo_structure() -> Structure:
    """Two communities, two co-building units, a party line, a company and a joint committee."""
    from gridgov.org.structure import Structure

    d = dt.date
    return Structure.model_validate(
        {
            "name": "demo",
            "areas": [
                {"id": "S1", "level": "street", "name": "桂花桥街道"},
                {"id": "C1", "level": "community", "parent": "S1", "name": "光明社区"},
                {"id": "C2", "level": "community", "parent": "S1", "name": "和平社区"},
                {"id": "G1", "level": "grid", "parent": "C1"},
                {"id": "B1", "level": "building", "parent": "G1"},
            ],
            "households": [{"id": "H1", "parent": "B1", "residents": 3}],
            "organisations": [
                {"id": "WC1", "kind": "working_committee", "area": "C1", "name": "社区党工委"},
                {"id": "PB1", "kind": "party_branch", "parent": "WC1", "area": "C1"},
                {"id": "GPG1", "kind": "grid_party_group", "parent": "PB1", "area": "G1"},
                {"id": "RC1", "kind": "residents_committee", "area": "C1"},
                {"id": "PC1", "kind": "property_company", "name": "物业公司"},
                {"id": "IPC1", "kind": "industry_party_committee"},
                {"id": "EPO1", "kind": "enterprise_party_org", "parent": "IPC1", "host": "PC1"},
                {"id": "U1", "kind": "co_building_unit", "name": "县医院", "category": "hospital"},
                {"id": "U2", "kind": "co_building_unit", "name": "第一中学"},
            ],
            "people": [
                {"id": "PM1", "name": "李红", "household": "H1", "party": {"organisation": "PB1"}}
            ],
            "posts": [
                {"id": "P1", "kind": "committee_member", "organisation": "RC1"},
                {"id": "P2", "kind": "board_member", "organisation": "EPO1"},
            ],
            "appointments": [
                {"id": "A1", "person": "PM1", "post": "P1", "start": d(2023, 1, 1)},
                {"id": "A2", "person": "PM1", "post": "P2", "start": d(2024, 1, 1)},
            ],
            "linked_households": [{"member": "PM1", "household": "H1"}],
            "agreements": [
                {
                    "id": "AG1",
                    "unit": "U1",
                    "community": "C1",
                    "category": "service",
                    "start": d(2024, 1, 1),
                    "projects": [{"id": "PR1"}, {"id": "PR2"}],
                },
                {"id": "AG2", "unit": "U2", "community": "C1", "projects": [{"id": "PR3"}]},
            ],
            "joint_committees": [
                {
                    "id": "JC1",
                    "community": "C1",
                    "lead": "WC1",
                    "members": ["U1", "U2"],
                    "chair_rotation": [
                        {"organisation": "U1", "start": d(2024, 1, 1), "end": d(2024, 6, 30)},
                        {"organisation": "U2", "start": d(2024, 7, 1), "end": d(2024, 12, 31)},
                    ],
                }
            ],
            "supervision": [{"supervisor": "IPC1", "subject": "PC1"}],
        }
    )
