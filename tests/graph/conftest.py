"""Fixtures for the graph tests: the tiny demo structure, a builder, the ``huanan`` example."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from gridgov.graph._demo import demo_structure
from gridgov.org import Structure

Build = Callable[..., Structure]


@pytest.fixture(scope="session")
def demo() -> Structure:
    return demo_structure()


@pytest.fixture(scope="session")
def huanan() -> Structure:
    from gridgov import datasets

    return datasets.load("huanan")


def _build(**parts: Any) -> Structure:
    data: dict[str, Any] = {
        "name": "t",
        "areas": [
            {"id": "S1", "level": "street", "name": "一街道"},
            {"id": "C1", "level": "community", "parent": "S1", "name": "一社区"},
            {"id": "C2", "level": "community", "parent": "S1", "name": "二社区"},
            {"id": "C3", "level": "community", "parent": "S1", "name": "三社区"},
            {"id": "G1", "level": "grid", "parent": "C1"},
        ],
    }
    for key, value in parts.items():
        data[key] = data["areas"] + list(value) if key == "areas" else value
    return Structure.model_validate(data)


@pytest.fixture(scope="session")
def build() -> Build:
    """``build(organisations=[...], agreements=[...], ...)``: a small structure with three
    communities (C1–C3) under street S1 and a grid G1 in C1, plus the given parts."""
    return _build
