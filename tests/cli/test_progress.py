"""The progress bar: drawn on a terminal (a real pseudo-terminal here), never otherwise.

``gridgov`` runs in a child process whose standard error is a pty, as on a user's terminal;
the bar must appear there (in the run's language), and must not with ``--quiet`` or when
standard error is a pipe.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gridgov.cli import _ui
from gridgov.cli._ui import Progress

_MAIN = "from gridgov.cli import main; main()"


def on_terminal(*args: object, tmp_path: Path) -> tuple[int, str, str]:
    """Run gridgov with standard error on a pseudo-terminal: (status, stdout, terminal)."""
    master, slave = os.openpty()
    out = tmp_path / "stdout.txt"
    with out.open("wb") as stdout:
        proc = subprocess.Popen(
            [sys.executable, "-c", _MAIN, *map(str, args)],
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=slave,
        )
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # the child closed the terminal (EIO on Linux)
                break
            if not data:
                break
            chunks.append(data)
        status = proc.wait()
    os.close(master)
    return status, out.read_text("utf-8"), b"".join(chunks).decode("utf-8", "replace")


def on_pipe(*args: object) -> tuple[int, str]:
    """Run gridgov with standard error on a pipe: (status, standard error)."""
    proc = subprocess.run(
        [sys.executable, "-c", _MAIN, *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
    )
    return proc.returncode, proc.stderr


@pytest.fixture
def city(files: dict[str, Path]) -> Path:
    return files["valid"]


def test_validate_shows_its_stages_on_a_terminal(city: Path, tmp_path: Path) -> None:
    status, stdout, terminal = on_terminal(
        "validate", city, "--profile", "default", tmp_path=tmp_path
    )
    assert status == 0, terminal
    assert "gridgov [" in terminal
    assert "1/2 loading and checking" in terminal
    assert "2/2 rules" in terminal
    assert terminal.endswith("\r\x1b[2K")  # the bar is erased at the end
    assert "gridgov [" not in stdout  # results are never mixed with it


def test_the_bar_speaks_the_runs_language(city: Path, tmp_path: Path) -> None:
    status, _, terminal = on_terminal("--lang", "zh", "report", city, tmp_path=tmp_path)
    assert status == 0, terminal
    assert "1/3 加载并检查" in terminal
    assert "3/3 生成报告" in terminal


def test_quiet_silences_the_bar(city: Path, tmp_path: Path) -> None:
    status, _, terminal = on_terminal("--quiet", "validate", city, tmp_path=tmp_path)
    assert status == 0, terminal
    assert "gridgov [" not in terminal
    assert terminal == ""
    status, _, terminal = on_terminal(
        "-q", "synth", "--households", "50", "-o", tmp_path / "c.json", tmp_path=tmp_path
    )
    assert status == 0, terminal
    assert "synth:" not in terminal


def test_synth_draws_its_bar_on_a_terminal(tmp_path: Path) -> None:
    status, stdout, terminal = on_terminal(
        "synth", "--households", "50", "-o", tmp_path / "c.json", tmp_path=tmp_path
    )
    assert status == 0, terminal
    assert "synth: generate" in terminal
    assert "wrote" in stdout


def test_no_bar_without_a_terminal(city: Path, tmp_path: Path) -> None:
    status, stderr = on_pipe("validate", city, "--profile", "default")
    assert status == 0
    assert stderr == ""
    status, stderr = on_pipe("report", city, "-o", tmp_path / "r.txt")
    assert status == 0
    assert stderr == f"wrote {tmp_path / 'r.txt'}\n"


def test_import_ledger_shows_its_stages(files: dict[str, Path], tmp_path: Path) -> None:
    status, _, terminal = on_terminal(
        "import-ledger", files["valid"], files["ledger_ok"], "-o", tmp_path / "o.json",
        tmp_path=tmp_path,
    )  # fmt: skip
    assert status == 0, terminal
    assert "3/3 writing" in terminal


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_draws_each_stage_and_erases_itself() -> None:
    stream = _Terminal()
    with Progress(["loading", "checking"], stream=stream) as bar:
        bar.step("loading")
        bar.step("checking")
    text = stream.getvalue()
    assert "1/2 loading" in text
    assert "[############------------] 2/2 checking" in text
    assert text.endswith("\r\x1b[2K")


def test_progress_is_silent_when_quiet_or_not_a_terminal() -> None:
    quiet = _Terminal()
    _ui.begin_run(["--quiet", "validate"])
    try:
        with Progress(["loading"], stream=quiet) as bar:
            bar.step("loading")
    finally:
        _ui.begin_run([])
    assert quiet.getvalue() == ""
    plain = io.StringIO()
    with Progress(["loading"], stream=plain) as bar:
        bar.step("loading")
    assert plain.getvalue() == ""
