"""gridgov: typed models, graphs and scoring for party-led grid governance (党建引领网格化治理).

The public API is re-exported here and listed in ``__all__``. Names are imported lazily on
first use so that ``import gridgov`` stays fast: pydantic, numpy, polars and networkx load only
when something that needs them is touched.

Examples
--------
>>> import gridgov
>>> gridgov.__version__ != ""
True
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from gridgov import datasets, graph, io, org, report, scoring
    from gridgov.errors import GridgovError, Problem, StructureError
    from gridgov.io import load, save
    from gridgov.org.rules import Finding
    from gridgov.org.structure import Structure

# name -> module that defines it; imported on first attribute access (PEP 562).
_LAZY: dict[str, str] = {
    "Finding": "gridgov.org.rules",
    "GridgovError": "gridgov.errors",
    "Problem": "gridgov.errors",
    "Structure": "gridgov.org.structure",
    "StructureError": "gridgov.errors",
    "load": "gridgov.io",
    "save": "gridgov.io",
}
# subpackages reachable as attributes without an explicit import (``gridgov.datasets.load``)
_SUBPACKAGES = frozenset({"datasets", "errors", "graph", "io", "org", "report", "scoring"})

__all__ = [
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


def __getattr__(name: str) -> Any:
    if name == "__version__":  # looked up on first use: importlib.metadata costs 30 ms
        found = _version()
        globals()[name] = found
        return found
    if name in _SUBPACKAGES:
        value: Any = importlib.import_module(f"gridgov.{name}")
        globals()[name] = value
        return value
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'gridgov' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("gridgov")
    except PackageNotFoundError:  # pragma: no cover - a source tree without install
        return "0+unknown"


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
