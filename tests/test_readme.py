"""Every Python example in README.md runs, and prints what the README shows.

The ```python blocks are doctests that share one namespace, in order, as a reader would type
them into one session; they run in a temporary directory because they write files.
"""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def python_blocks() -> list[str]:
    return BLOCK.findall(README.read_text(encoding="utf-8"))


def test_readme_has_python_examples() -> None:
    assert len(python_blocks()) >= 5


def test_readme_python_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    namespace: dict[str, object] = {}
    failures: list[str] = []
    for number, block in enumerate(python_blocks(), start=1):
        test = parser.get_doctest(block, namespace, f"README block {number}", str(README), 0)
        out: list[str] = []
        result = runner.run(test, out=out.append, clear_globs=False)
        namespace.update(test.globs)  # DocTest copies its globals; carry them to the next block
        if result.failed:
            failures.append("".join(out))
    assert not failures, "\n".join(failures)
