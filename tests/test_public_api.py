"""Freeze the public API: what ``__all__`` promises is exactly what is exported.

Modelled on httpx ``tests/test_exported_members.py`` and pydantic ``tests/test_exports.py``.
Adding a name means adding it here on purpose; removing one needs a deprecation first.
"""

from __future__ import annotations

import importlib

import pytest

import gridgov

TOP_LEVEL = [
    "Finding",
    "GridgovError",
    "Problem",
    "Structure",
    "StructureError",
    "__version__",
    "datasets",
    "errors",
    "graph",
    "io",
    "load",
    "org",
    "report",
    "save",
    "scoring",
]

# Subpackages whose __all__ is part of the contract; each must be sorted and resolvable.
SUBPACKAGES = [
    "gridgov.assess",
    "gridgov.analysis",
    "gridgov.errors",
    "gridgov.org",
    "gridgov.org.codes",
    "gridgov.scoring",
    "gridgov.graph",
    "gridgov.io",
    "gridgov.datasets",
    "gridgov.report",
    "gridgov.service",
    "gridgov.service.store",
    "gridgov.spec",
    "gridgov.testing",
]

# Names DESIGN.md §3 promises; they must stay.
CONTRACT = {
    "gridgov": ["Structure", "load", "save"],
    "gridgov.errors": ["StructureError", "UnknownScorerError", "GridgovError"],
    "gridgov.io": ["from_popolo", "to_jsonld", "to_popolo"],
    "gridgov.spec": ["VERSION", "validate"],
    "gridgov.service": ["WorkingCalendar"],
    "gridgov.assess": ["assess", "Assessment", "schemes", "indicators"],
    "gridgov.analysis": [
        "assign_report_back",
        "mobilisation",
        "partition_grids",
        "service_circles",
        "travel_times",
    ],
    "gridgov.datasets": ["load", "synthetic_city", "events", "ratings", "place"],
    "gridgov.scoring": [
        "CriteriaTable",
        "available_scorers",
        "get_scorer",
        "fuzzy_comprehensive",
        "weights",
    ],
    "gridgov.graph": [
        "hierarchy",
        "cobuilding",
        "appointments",
        "joint_committees",
        "project",
        "cobuilding_summary",
    ],
}


def test_top_level_all_is_frozen() -> None:
    assert gridgov.__all__ == TOP_LEVEL


def test_top_level_names_resolve() -> None:
    for name in gridgov.__all__:
        assert getattr(gridgov, name) is not None, name


def test_unknown_attribute_raises() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = gridgov.nope  # type: ignore[attr-defined]


@pytest.mark.parametrize("module_name", SUBPACKAGES)
def test_subpackage_all_unique_and_resolvable(module_name: str) -> None:
    # sortedness (isort-style: CONSTANTS, Classes, functions) is ruff's RUF022, run in CI
    module = importlib.import_module(module_name)
    names = list(module.__all__)
    assert len(names) == len(set(names))
    for name in names:
        assert hasattr(module, name), f"{module_name}.{name} is in __all__ but missing"


@pytest.mark.parametrize(("module_name", "names"), sorted(CONTRACT.items()))
def test_design_contract_names_exist(module_name: str, names: list[str]) -> None:
    module = importlib.import_module(module_name)
    for name in names:
        assert name in module.__all__, f"{module_name}.{name} is a DESIGN.md contract"
