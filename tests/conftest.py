"""Shared test set-up: hypothesis settings, and a small hand-made structure (io, cli).

Hypothesis's per-example deadline and its "too slow" health check are timing checks; on a
shared 2-core CI machine they fail for load, not for a bug. Performance is measured by the
benchmarks in ``bench/``, so the profiles used here turn both off and keep every
correctness check. Under CI (``CI`` set) examples are derandomised, so main's verdict does
not change from run to run; developers' runs explore new examples, and what they find is
kept as a regression test.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from gridgov.org import Structure

settings.register_profile(
    "gridgov", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.register_profile("gridgov-ci", settings.get_profile("gridgov"), derandomize=True)
settings.load_profile("gridgov-ci" if os.environ.get("CI") else "gridgov")

#: Secret values that must never reach a file unless asked for.
SECRET_PHONE = "13800000000"
SECRET_ID = "SYN-000042"


def small_data() -> dict[str, Any]:
    return {
        "name": "演示县",
        "code_scheme": None,
        "reference_date": "2024-06-30",
        "areas": [
            {"id": "S1", "level": "street", "name": "桂花桥街道", "code": None},
            {"id": "C1", "level": "community", "parent": "S1", "name": "幸福社区"},
            {"id": "G1", "level": "grid", "parent": "C1", "name": "=第一网格"},
            {"id": "G2", "level": "grid", "parent": "C1", "name": "+2", "start": "2021-03-01"},
            {"id": "B1", "level": "building", "parent": "G1", "name": "-1号楼"},
            {"id": "U1", "level": "unit", "parent": "B1", "name": "@一单元"},
            {"id": "U2", "level": "unit", "parent": "B1", "name": "'二单元"},
            # within G2's lifetime (an area starting before its parent is a problem)
            {"id": "B2", "level": "building", "parent": "G2", "name": "", "start": "2021-03-01"},
        ],
        "households": [
            {"id": "H1", "parent": "U1", "residents": 3, "start": "2020-01-01"},
            {"id": "H2", "parent": "U1", "residents": 0},
            {"id": "H3", "parent": "U2", "residents": 5, "end": "2030-12-31"},
            {"id": "-H4", "parent": "B2", "residents": 1, "start": "2021-03-01"},
        ],
        "compounds": [{"id": "K1", "name": "幸福小区", "buildings": ["B1"], "self_governed": True}],
        "organisations": [
            {"id": "RC1", "kind": "residents_committee", "area": "C1", "name": "幸福社区居委会"},
        ],
        "people": [
            {
                "id": "P1",
                "name": "张三",
                "household": "H1",
                "phone": SECRET_PHONE,
                "id_number": SECRET_ID,
                "party": {"status": "full", "service": "in_service"},
            }
        ],
        "posts": [{"id": "PO1", "kind": "building_head", "organisation": "RC1", "area": "B1"}],
        "appointments": [{"id": "A1", "person": "P1", "post": "PO1", "start": "2023-01-01"}],
        "linked_households": [{"member": "P1", "household": "H1", "start": "2023-02-01"}],
    }


@pytest.fixture
def small() -> Structure:
    return Structure.model_validate(small_data())
