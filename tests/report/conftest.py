"""Fixtures for the report tests: a small structure with a cross-appointment and gaps."""

from __future__ import annotations

from typing import Any

import pytest

from gridgov.org import Structure

SECRET_PHONE = "13800000000"
SECRET_ID = "SYN-000042"


def report_data() -> dict[str, Any]:
    return {
        "name": "演示县",
        "reference_date": "2024-06-30",
        "areas": [
            {"id": "S1", "level": "street", "name": "桂花桥街道"},
            {"id": "C1", "level": "community", "parent": "S1", "name": "幸福社区"},
            {"id": "G1", "level": "grid", "parent": "C1", "name": "第一网格"},
            {"id": "G2", "level": "grid", "parent": "C1", "name": "第二网格"},
            {"id": "B1", "level": "building", "parent": "G1"},
            {"id": "U1", "level": "unit", "parent": "B1"},
            {"id": "B2", "level": "building", "parent": "G2"},
            {"id": "U2", "level": "unit", "parent": "B2"},
            {"id": "B3", "level": "building", "parent": "G2", "start": "2025-01-01"},
        ],
        "households": [
            *({"id": f"H{i}", "parent": "U1", "residents": 3} for i in range(230)),
            *({"id": f"K{i}", "parent": "U2", "residents": 2} for i in range(250)),
            {"id": "LATE", "parent": "U2", "start": "2025-01-01"},
        ],
        "people": [
            {
                "id": "P1",
                "name": "张三",
                "household": "H1",
                "phone": SECRET_PHONE,
                "id_number": SECRET_ID,
                "party": {"status": "full", "service": "retired"},
            },
            {"id": "P2", "name": "李四", "household": "K1"},
        ],
        "organisations": [
            {"id": "RC1", "kind": "residents_committee", "area": "C1", "name": "幸福社区居委会"},
            {"id": "PC1", "kind": "property_company", "name": "安居物业"},
            {"id": "IPC", "kind": "industry_party_committee", "name": "物业行业党委"},
            {
                "id": "EP1",
                "kind": "enterprise_party_org",
                "host": "PC1",
                "parent": "IPC",
                "name": "安居物业党支部",
            },
        ],
        "posts": [
            {"id": "PO1", "kind": "building_head", "organisation": "RC1", "area": "B1"},
            {"id": "PO2", "kind": "committee_member", "organisation": "RC1"},
            {"id": "PO3", "kind": "board_member", "organisation": "EP1"},
            {"id": "PO4", "kind": "unit_head", "organisation": "RC1", "area": "U2"},
        ],
        "appointments": [
            {"id": "A1", "person": "P1", "post": "PO1", "start": "2023-01-01"},
            {"id": "A2", "person": "P1", "post": "PO2", "start": "2022-01-01"},
            {"id": "A3", "person": "P1", "post": "PO3", "start": "2023-05-01"},
        ],
        "linked_households": [
            {"member": "P1", "household": "H1"},
            {"member": "P1", "household": "H2"},
            {"member": "P1", "household": "K3", "start": "2025-01-01"},
        ],
    }


@pytest.fixture
def town() -> Structure:
    return Structure.model_validate(report_data())
