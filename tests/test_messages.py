"""Every message a user can see has its Chinese form in the one catalogue (gridgov._i18n).

The scan (``tests/_message_scan.py``) reads every message template out of the source; the
catalogue ``src/gridgov/locale/zh.toml`` must hold each with a Chinese template that has the
same placeholders, must hold nothing the source no longer says, and every template must come
back as its own Chinese form when a message made from it is translated.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gridgov import _i18n
from gridgov._i18n import ENV_LANG, N_, resolve_lang, translate
from gridgov.errors import (
    DataFileError,
    LedgerError,
    Problem,
    ProfileError,
    StructureError,
    missing_extra,
)


def _load_scan() -> ModuleType:
    path = Path(__file__).with_name("_message_scan.py")
    spec = importlib.util.spec_from_file_location("_message_scan", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["_message_scan"] = module
    spec.loader.exec_module(module)
    return module


scan = _load_scan()
FOUND = scan.scan()
CATALOGUE = _i18n.catalogue("zh")
MESSAGES = CATALOGUE["messages"]
EXTERNAL = CATALOGUE["external"]
PLACEHOLDER = re.compile(r"\{(\d+)\}")
CJK = re.compile(r"[\u3400-\u9fff]")


def _placeholders(template: str) -> Counter[str]:
    return Counter(PLACEHOLDER.findall(template.replace("{{", "").replace("}}", "")))


def test_the_scan_finds_the_messages_of_every_kind() -> None:
    # one message of each kind the scan reads, each written in the source as shown
    expected = {
        "{0}: not valid JSON: {1}": "gridgov/io/",  # raise DataFileError(f"...")
        "required": "gridgov/org/tables.py",  # a Problem built through a helper
        "YAML files": "gridgov/io/",  # missing_extra's purpose
        "{0}: is a directory; give the file to write": "gridgov/cli/_app.py",  # InputError
        "{0} problem(s):": "gridgov/errors.py",  # the count line of a problem list
    }
    for template, where in expected.items():
        assert template in FOUND.templates, template
        assert any(w.startswith(where) for w in FOUND.templates[template]), template
    assert len(FOUND.templates) > 500


def test_no_message_is_hidden_from_the_scan() -> None:
    """A message the scan cannot read (a variable it cannot follow) must be made visible."""
    assert FOUND.hidden == []


def test_every_message_has_its_chinese_form() -> None:
    missing = sorted(t for t in FOUND.templates if not MESSAGES.get(t, "").strip())
    assert missing == [], (
        f"{len(missing)} message(s) without Chinese: run `python tests/_message_scan.py "
        f"--update`, then write each in src/gridgov/locale/zh.toml; first: {missing[:5]}"
    )


def test_no_catalogue_entry_is_stale() -> None:
    stale = sorted(set(MESSAGES) - set(FOUND.templates))
    assert stale == [], f"entries no message uses any more (run the scan with --update): {stale}"


@pytest.mark.parametrize("section", ["messages", "external"])
def test_chinese_templates_keep_the_placeholders(section: str) -> None:
    """Every value of the English is in the Chinese (a bilingual original repeats some)."""

    # Chinese text, unless every English word is a name kept as it is ("gridgov: {0}")
    def words(text: str) -> set[str]:
        return set(re.findall(r"[A-Za-z]+", text))

    def placeholders_fit(en: str, zh: str) -> bool:
        if CJK.search(en):  # English with a Chinese aside: each value once is enough
            return set(_placeholders(zh)) <= set(_placeholders(en))
        return _placeholders(en) == _placeholders(zh)

    wrong = [
        (en, zh)
        for en, zh in CATALOGUE[section].items()
        if not placeholders_fit(en, zh) or not (CJK.search(zh) or words(en) <= words(zh))
    ]
    assert wrong == []


def _sample(template: str) -> tuple[str, str]:
    """An English message made from a template, and the Chinese it must translate to."""
    values = {n: f"V{n}x" for n in PLACEHOLDER.findall(template)}

    def fill(text: str) -> str:
        text = PLACEHOLDER.sub(lambda m: values[m.group(1)], text)
        return text.replace("{{", "{").replace("}}", "}")

    return fill(template), fill(MESSAGES.get(template) or EXTERNAL[template])


@pytest.mark.parametrize("template", sorted(set(MESSAGES) | set(EXTERNAL)))
def test_each_template_translates_back_to_its_own_chinese(template: str) -> None:
    english, chinese = _sample(template)
    assert translate(english, "zh") == chinese.strip()
    assert translate(english, "en") == english


def test_placeholders_may_be_reordered() -> None:
    assert MESSAGES["no area {0} in structure {1}"] == "结构 {1} 中没有区域 {0}"
    assert translate("no area G9 in structure youyi", "zh") == "结构 youyi 中没有区域 G9"


def test_the_most_specific_template_wins() -> None:
    # "{0}: refused: {1}" also matches; the longer literal text decides
    text = "x.yaml: refused: YAML tag '!!python' at line 3; gridgov reads plain YAML only"
    text += " and never constructs tagged objects"
    assert translate(text, "zh").startswith("x.yaml：已拒绝：YAML 标签 '!!python'")


def test_a_message_inside_a_message_is_translated() -> None:
    assert (
        translate("cannot generate that city: seed must be a non-negative int, got -1", "zh")
        == "无法生成该城市：seed 必须是非负整数，实为 -1"
    )


def test_unknown_text_is_kept_and_english_is_unchanged() -> None:
    assert translate("a library's own words: line 1 (char 0)", "zh") == (
        "a library's own words: line 1 (char 0)"
    )
    assert translate("no such file", "en") == "no such file"
    assert translate("", "zh") == ""


def test_lines_keep_indentation_bullets_and_problem_heads() -> None:
    text = "a.toml: invalid profile, 2 problem(s):\n  - rules.x: [bad] required\n  - no such file"
    assert translate(text, "zh") == (
        "a.toml：配置无效，2 个问题：\n  - rules.x: [bad] 必填\n  - 没有这个文件"
    )


def test_the_environment_chooses_the_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_LANG, "zh")
    assert resolve_lang() == "zh"
    assert translate("no such file") == "没有这个文件"
    assert translate("no such file", "en") == "no such file"
    monkeypatch.setenv(ENV_LANG, "klingon")
    assert resolve_lang() == "en"
    monkeypatch.delenv(ENV_LANG)
    assert translate("no such file") == "no such file"


def test_errors_and_problems_have_their_text_in_each_language() -> None:
    problems = [
        Problem("dangling-reference", "area:G1", "parent C9 is not an area"),
        Problem("missing", "ledger.csv:3:size", "required"),
    ]
    err = StructureError(problems, source="city.json")
    zh = err.text("zh")
    assert zh.splitlines() == [
        "city.json: 结构无效，2 个问题：",
        "  - area:G1: [dangling-reference] 上级 C9 不是区域",
        "  - ledger.csv:3:size: [missing] 必填",
    ]
    assert err.text("en") == str(err)
    ledger = LedgerError(problems * 15, source="hh.csv")
    assert ledger.text("zh").splitlines()[-1] == "  ……另有 10 个"
    assert DataFileError("x.json: no such file").text("zh") == "x.json：没有这个文件"
    assert missing_extra("yaml", "io", "YAML files").text("zh") == (
        "YAML 文件需要可选模块 'yaml'：pip install 'gridgov[io]'"
    )
    profile = ProfileError("p.toml: invalid profile, 1 problem(s):\n  - weights sum to zero")
    assert profile.text("zh") == "p.toml：配置无效，1 个问题：\n  - 权重之和为零"


def test_n_marks_without_changing() -> None:
    assert N_("loading") == "loading"


@given(st.text(max_size=200))
def test_translation_never_fails_and_english_is_identity(text: str) -> None:
    assert translate(text, "en") == text
    assert isinstance(translate(text, "zh"), str)


def test_terms_are_the_vocabularys_labels() -> None:
    assert CATALOGUE["terms"] == scan.vocabulary_terms()


def test_a_term_in_a_placeholder_is_shown_by_its_label() -> None:
    assert translate("no grid 'G9' in the structure", "zh") == "结构中没有网格 'G9'"
    # a word that is not a term stays as it is
    assert translate("no gird 'G9' in the structure", "zh") == "结构中没有gird 'G9'"
