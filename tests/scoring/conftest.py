"""Fixtures of the scoring tests: random tables for agreement tests against peer libraries."""

from __future__ import annotations

import numpy as np
import pytest

Problem = tuple[np.ndarray, np.ndarray, np.ndarray]


@pytest.fixture(scope="session")
def peer_tables() -> list[Problem]:
    """Twenty positive tables (values in [1, 10)), random weights, mixed directions.

    The first criterion is a benefit and the last a cost, so every table has both.
    """
    rng = np.random.default_rng(2024)
    out = []
    for _ in range(20):
        m = int(rng.integers(3, 12))
        n = int(rng.integers(2, 7))
        x = rng.uniform(1.0, 10.0, size=(m, n))
        w = rng.uniform(0.1, 1.0, size=n)
        b = rng.random(n) < 0.5
        b[0] = True
        b[-1] = False
        out.append((x, w / w.sum(), b))
    return out
