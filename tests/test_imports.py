"""``import gridgov`` stays light: heavy libraries load on first use (DESIGN.md §4)."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("networkx", "polars", "pandas", "numpy", "scipy", "matplotlib", "hypothesis", "yaml")


def _modules_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nprint('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True
    ).stdout
    return set(out.split())


def test_import_gridgov_loads_no_heavy_module() -> None:
    loaded = _modules_after("import gridgov")
    assert not {m for m in HEAVY if m in loaded}


def test_import_errors_is_light() -> None:
    loaded = _modules_after("import gridgov.errors")
    assert not {m for m in (*HEAVY, "pydantic") if m in loaded}


def test_heavy_modules_load_on_first_use() -> None:
    loaded = _modules_after("import gridgov\ngridgov.Structure(name='x')")
    assert "polars" in loaded
    assert "networkx" not in loaded
