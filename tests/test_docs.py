"""Every example in README.md and in the documentation site (docs/) runs, and shows what it says.

Each Markdown page is read top to bottom as a reader would work through it, in a fresh
temporary directory (examples write files) and in one namespace per page:

- a ```python block is a doctest; the blocks of a page share their names, in order;
- a block with a title (```toml title="repair.toml") is a file the reader saves: it is
  written to the directory under that name before the blocks after it run;
- a ```console block is a shell session: every ``$ command`` line runs (``gridgov`` is this
  tree's command line, run by the Python running the tests), its stdout and stderr together
  are compared with the lines below it up to the next ``$`` line, ``...`` (or a line holding
  only ``…``) matches anything, and ``$?`` is the previous command's exit status.

The one exception is ``python3 tasks.py demo`` and ``python3 tasks.py test``: those are the two
commands of the README and of "Getting started", and CI *is* them (they create the
environment and run every gate, including this test), so they are not run again from here.
Other fences (```text, ```toml, ```mermaid …) are prose and are not run.
"""

from __future__ import annotations

import doctest
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = ROOT / "docs"
FENCE = re.compile(
    r'^```(python|console|[\w-]+ title="[^"/\\]+")\n(.*?)^```', re.MULTILINE | re.DOTALL
)
TITLE = re.compile(r'title="(.+)"')
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
NOT_RUN = re.compile(r"^python3? tasks\.py (demo|test)\b")


def blocks(page: Path) -> list[tuple[str, str]]:
    """The ```python, ```console and titled blocks of ``page``, in order, as (kind, body)."""
    return FENCE.findall(page.read_text(encoding="utf-8"))


def pages() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


def pages_with_examples() -> list[Path]:
    return [page for page in pages() if blocks(page)]


def shell_session(block: str) -> list[tuple[str, str]]:
    """(command, expected output) pairs of a ```console block."""
    session: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            session.append((line[2:], []))
        elif session:
            session[-1][1].append("..." if line.strip() == "…" else line)
        elif line.strip():
            raise AssertionError(f"console block starts with output, not a command: {line!r}")
    return [(cmd, "\n".join(out) + "\n" if out else "") for cmd, out in session]


def gridgov_shim(folder: Path) -> dict[str, str]:
    """An environment whose ``gridgov`` is this tree's command line under this Python."""
    bin_dir = folder / ".bin"
    bin_dir.mkdir()
    shim = bin_dir / "gridgov"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m gridgov.cli "$@"\n', encoding="utf-8")
    shim.chmod(shim.stat().st_mode | stat.S_IXUSR)
    env = dict(os.environ)
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    env["COLUMNS"] = "200"
    return env


def run_page(page: Path, folder: Path) -> list[str]:
    """Run every example of ``page`` in ``folder``; return the failures, as reports."""
    parser, checker = doctest.DocTestParser(), doctest.OutputChecker()
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    namespace: dict[str, object] = {"__name__": "__main__"}
    env = gridgov_shim(folder)
    status, failures = 0, []
    for number, (kind, body) in enumerate(blocks(page), start=1):
        where = f"{page.relative_to(ROOT)} block {number}"
        if titled := TITLE.search(kind):
            (folder / titled.group(1)).write_text(body, encoding="utf-8")
            continue
        if kind == "python":
            test = parser.get_doctest(body, namespace, where, str(page), 0)
            out: list[str] = []
            result = runner.run(test, out=out.append, clear_globs=False)
            namespace.update(test.globs)  # DocTest copies its globals; carry them on
            if result.failed:
                failures.append("".join(out))
            continue
        for command, expected in shell_session(body):
            if NOT_RUN.match(command):
                continue
            done = subprocess.run(
                ["bash", "-c", f"(exit {status}); {command}"],
                cwd=folder,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            status = done.returncode
            got = done.stdout + done.stderr
            if not checker.check_output(expected, got, FLAGS):
                failures.append(f"{where}: $ {command}\nexpected:\n{expected}got:\n{got}")
    return failures


def test_readme_and_docs_have_examples() -> None:
    assert sum(kind == "python" for kind, _ in blocks(README)) >= 5
    assert sum(kind == "console" for kind, _ in blocks(README)) >= 3
    assert len(pages()) >= 15
    assert sum(len(blocks(page)) for page in pages()) >= 20


def test_readme_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    failures = run_page(README, tmp_path)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("page", pages_with_examples(), ids=lambda p: str(p.relative_to(DOCS)))
def test_docs_examples_run(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    failures = run_page(page, tmp_path)
    assert not failures, "\n".join(failures)


NOTEBOOKS = sorted((ROOT / "examples").glob("*.ipynb"))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_are_stored_with_their_outputs(notebook: Path) -> None:
    """The site renders the stored outputs (it executes nothing): each code cell ran, in order,
    without an error, and each figure a notebook draws is stored as a PNG.

    Refresh them by executing the notebook (Jupyter, or ``nbclient``) and committing it.
    """
    import json

    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    code = [cell for cell in cells if cell["cell_type"] == "code"]
    assert [cell["execution_count"] for cell in code] == list(range(1, len(code) + 1))
    outputs = [output for cell in code for output in cell["outputs"]]
    assert not [output for output in outputs if output["output_type"] == "error"]
    drawn = sum("plt.subplots(" in "".join(cell["source"]) for cell in code)
    pngs = sum("image/png" in output.get("data", {}) for output in outputs)
    assert drawn >= 1
    assert pngs == drawn
