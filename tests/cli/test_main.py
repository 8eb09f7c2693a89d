"""Tests for gridgov.cli.main and ``python -m gridgov.cli``: real processes, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import gridgov.cli


def _run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gridgov.cli", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=120,
    )


def test_module_run_exit_codes_and_no_traceback(files: dict[str, Path]) -> None:
    # Real processes for the two refusals (the in-process runner covers every other case,
    # test_app.py); each must exit 2 with one line on standard error and no traceback.
    cases = [
        ("validate", files["tag"]),
        ("validate", files["valid"], "--ledger", files["formula"]),
    ]
    for args in cases:
        done = _run(*args)
        assert done.returncode == 2, (args, done.stderr)
        assert "Traceback" not in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1
        assert done.stderr.startswith("gridgov: error: ")


def test_main_exits_with_the_status(files: dict[str, Path]) -> None:
    with pytest.raises(SystemExit) as done:
        gridgov.cli.main(["validate", str(files["invalid"])])
    assert done.value.code == 1


def test_main_without_click_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "click", None)  # makes `import click` raise ImportError
    with pytest.raises(SystemExit) as done:
        gridgov.cli.main(["--help"])
    assert done.value.code == 2
    assert "install gridgov[cli]" in capsys.readouterr().err


def test_the_console_script_ends_with_exit_handlers_run_and_output_flushed() -> None:
    """Without arguments, ``main`` ends the process at once (no teardown), but not rudely."""
    code = (
        "import atexit, sys\n"
        "from gridgov.cli import _end\n"
        "atexit.register(lambda: print('handler ran'))\n"
        "print('partial line, not yet flushed', end='')\n"
        "sys.stderr.write('to stderr')\n"
        "_end(3)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 3
    assert done.stdout == "partial line, not yet flushedhandler ran\n"
    assert done.stderr == "to stderr"
