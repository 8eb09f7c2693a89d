"""Real errors from real bad input, shown in Chinese (``gridgov --lang zh``, ``GRIDGOV_LANG``).

Each case runs the command line on a broken structure, a bad ledger, an unreadable file or a
bad argument, and checks the Chinese output holds no English sentence (three English words in
a row) while the English output is what it always was.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from gridgov.cli._app import cli

#: three English words in a row: a sentence left untranslated (paths, codes, ids and lists of
#: names, which stay as they are, have none)
ENGLISH = re.compile(r"\b[A-Za-z]{2,}(?: [A-Za-z]{2,}){2,}\b")
CJK = re.compile(r"[\u4e00-\u9fff]")


def run(*args: object, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], env=env, prog_name="gridgov")


def english_sentences(text: str) -> list[str]:
    return ENGLISH.findall(text)


CASES = {
    "invalid structure": (["validate", "{invalid}"], 1),
    "bad ledger": (["validate", "{valid}", "--ledger", "{ledger_bad}"], 1),
    "bad ledger import": (["import-ledger", "{valid}", "{ledger_bad}", "-o", "{out}"], 1),
    "missing file": (["validate", "{missing}"], 2),
    "garbled file": (["validate", "{garbled}"], 2),
    "missing argument": (["validate"], 2),
    "bad argument": (["synth", "--households", "0", "-o", "{out}"], 2),
    "unknown command": (["valdate", "{valid}"], 2),
    "unknown profile": (["report", "{valid}", "--profile", "nosuch"], 2),
    "bad seed": (["synth", "--households", "10", "--seed", "-1", "-o", "{out}"], 2),
    "spec problems": (["spec", "validate", "{invalid}"], 1),
    "spec conforms": (["spec", "validate", "{valid}"], 0),
}


def _args(case: str, files: dict[str, Path], tmp_path: Path) -> tuple[list[str], int]:
    args, status = CASES[case]
    names = {**{k: str(v) for k, v in files.items()}, "out": str(tmp_path / "out.json")}
    return [a.format(**names) for a in args], status


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("how", ["option", "environment"])
def test_errors_are_shown_in_chinese(
    case: str, how: str, files: dict[str, Path], tmp_path: Path
) -> None:
    args, status = _args(case, files, tmp_path)
    if how == "option":
        result = run("--lang", "zh", *args)
    else:
        result = run(*args, env={"GRIDGOV_LANG": "zh"})
    assert result.exit_code == status, result.output
    assert CJK.search(result.output), result.output
    assert english_sentences(result.output) == [], result.output


@pytest.mark.parametrize("case", sorted(CASES))
def test_english_output_is_unchanged(case: str, files: dict[str, Path], tmp_path: Path) -> None:
    args, status = _args(case, files, tmp_path)
    plain = run(*args, env={"GRIDGOV_LANG": ""})
    assert plain.exit_code == status
    assert not CJK.search(plain.stderr), plain.stderr
    assert run("--lang", "en", *args, env={"GRIDGOV_LANG": "zh"}).output == plain.output
    assert run(*args, env={"GRIDGOV_LANG": "en"}).output == plain.output


def test_known_english_lines(files: dict[str, Path], tmp_path: Path) -> None:
    # the lines as they were before messages were translatable (tests/cli/test_app.py too)
    result = run("validate", files["missing"], env={"GRIDGOV_LANG": ""})
    assert result.stderr == f"gridgov: error: {files['missing']}: cannot read: no such file\n"
    result = run("synth", "--households", "0", "-o", tmp_path / "x.json")
    assert result.stderr.splitlines()[-1] == (
        "Error: Invalid value for '--households': 0 is not in the range x>=1."
    )


def test_chinese_lines_read_as_chinese(files: dict[str, Path], tmp_path: Path) -> None:
    result = run("--lang", "zh", "validate", files["missing"])
    assert result.stderr == f"gridgov：错误：{files['missing']}：无法读取：没有这个文件\n"
    result = run("--lang", "zh", "validate", files["invalid"])
    assert "[dangling-reference] 上级 'C9' 不是区域" in result.stdout
    result = run("--lang", "zh", "synth", "--households", "0", "-o", tmp_path / "x.json")
    assert result.stderr.splitlines() == [
        "用法：gridgov synth [OPTIONS]",
        "运行 'gridgov synth --help' 查看帮助。",
        "",
        "错误：'--households' 的值无效：0 不在范围 x>=1 内。",
    ]


def test_a_commands_own_lang_wins_and_sets_the_messages(files: dict[str, Path]) -> None:
    # the global choice reaches the command's output (rule findings) ...
    by_global = run("--lang", "zh", "validate", files["valid"], "--profile", "default")
    by_own = run("validate", files["valid"], "--profile", "default", "--lang", "zh")
    assert by_global.output == by_own.output
    assert CJK.search(by_own.output)
    # ... and the command's own --lang overrides the environment, both ways
    english = run("validate", files["missing"], "--lang", "en", env={"GRIDGOV_LANG": "zh"})
    assert english.stderr.startswith("gridgov: error:")
    chinese = run("validate", files["missing"], "--lang", "zh", env={"GRIDGOV_LANG": "en"})
    assert chinese.stderr.startswith("gridgov：错误：")


def test_an_unknown_environment_language_falls_back_to_english(files: dict[str, Path]) -> None:
    result = run("validate", files["missing"], env={"GRIDGOV_LANG": "fr"})
    assert result.exit_code == 2
    assert result.stderr.startswith("gridgov: error:")


def test_the_global_options_are_in_the_help() -> None:
    text = run("--help").output
    assert "--lang [en|zh]" in text
    assert "-q, --quiet" in text
    assert "GRIDGOV_LANG" in text


def test_demo_prints_one_language_when_one_is_asked_for() -> None:
    both = run("demo", env={"GRIDGOV_LANG": ""}).output
    chinese = run("--lang", "zh", "demo").output
    assert chinese == run("demo", "--lang", "zh").output
    assert chinese in both
    assert len(chinese) < len(both)
