"""Tests for gridgov.spec: shipped files, the validator and ``gridgov spec validate``."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import gridgov
from gridgov.cli._app import cli
from gridgov.errors import SpecError
from gridgov.graph._demo import demo_structure
from gridgov.io import save, to_data, to_popolo
from gridgov.spec import VERSION, files, validate
from gridgov.spec._build import build, codelists

DOCS = Path(__file__).resolve().parents[2] / "docs" / "spec"
KEY = b"spec test key of 16+ bytes"


@pytest.mark.parametrize("rel", sorted(build()))
def test_shipped_files_are_what_the_library_builds(rel: str) -> None:
    # regenerate with: python -m gridgov.spec._build
    want = build()[rel]
    assert (files() / rel).read_text("utf-8") == want
    assert (DOCS / rel).read_text(encoding="utf-8") == want


def test_version_and_schema_id() -> None:
    schema = json.loads((files() / "structure.schema.json").read_text("utf-8"))
    assert schema["$id"] == f"urn:gridgov:spec:{VERSION}:structure"
    assert f"## {VERSION}" in (files() / "CHANGELOG.md").read_text("utf-8")


def test_codelists_are_bilingual() -> None:
    lists = codelists()
    assert {"area_levels", "organisation_kinds", "post_kinds", "party_member_status"} <= set(lists)
    assert {"agreement_categories", "case_templates", "case_activities"} <= set(lists)
    for name, rows in lists.items():
        assert rows, name
        for row in rows:
            assert row["code"], name
            assert row["label_en"], (name, row)
            assert row["label_zh"], (name, row)
    templates = {r["code"] for r in lists["case_templates"]}
    assert {"four_lists", "whistle", "hotline_12345", "urban_case"} <= templates
    assert {r["template"] for r in lists["case_activities"]} == templates


def _run(*args: Any) -> Any:
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.mark.parametrize("name", ["youyi", "huanan", "bozhou"])
def test_every_popolo_export_conforms(name: str) -> None:
    s = gridgov.datasets.load(name)
    for level in ("public", "research", "full"):
        assert validate(to_popolo(s, privacy=level, key=KEY)) == "popolo"


def test_every_file_export_conforms(tmp_path: Path) -> None:
    s = gridgov.datasets.load("youyi")
    paths = [
        save(s, tmp_path / "s.json", privacy="full"),
        save(s, tmp_path / "r.yaml", privacy="research", key=KEY),
        save(s, tmp_path / "p.json", privacy="public"),
        save(s, tmp_path / "t.json", privacy="internal", tables="csv"),
    ]
    for level in ("public", "research", "internal"):
        path = tmp_path / f"popolo-{level}.json"
        doc = to_popolo(s, privacy=level, key=KEY)
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        paths.append(path)
    for path in paths:
        result = _run("spec", "validate", path)
        assert result.exit_code == 0, result.output
        assert "conforms" in result.output


def _structure_errors() -> list[tuple[str, Any, str]]:
    """(what, corrupt document, the place its message must name)."""
    base = to_data(demo_structure())
    out = []
    doc = copy.deepcopy(base)
    doc["organisations"][3]["kind"] = "no_such_kind"
    out.append(("unknown code", doc, "organisations[3]"))
    doc = copy.deepcopy(base)
    doc["posts"][1]["max_holders"] = "many"
    out.append(("wrong type", doc, "posts[1].max_holders"))
    doc = copy.deepcopy(base)
    doc["appointments"][0]["person"] = "NOBODY"
    out.append(("dangling reference", doc, "NOBODY"))
    doc = copy.deepcopy(base)
    doc["posts"].append(copy.deepcopy(doc["posts"][0]))
    out.append(("duplicate id", doc, doc["posts"][0]["id"]))
    return out


def _popolo_errors() -> list[tuple[str, Any, str]]:
    base = to_popolo(demo_structure(), privacy="internal")
    out = []
    doc = copy.deepcopy(base)
    doc["persons"][0]["birth_date"] = "1970s"
    out.append(("popolo schema", doc, "persons[0].birth_date"))
    doc = copy.deepcopy(base)
    doc["gridgov"]["version"] = "0.0.1"
    out.append(("unknown version", doc, "gridgov.version"))
    doc = copy.deepcopy(base)
    del doc["memberships"][1]["post_id"]
    out.append(("membership without post", doc, "memberships[1].post_id"))
    doc = copy.deepcopy(base)
    doc["memberships"][0]["person_id"] = "NOBODY"
    out.append(("dangling person", doc, "NOBODY"))
    return out


CASES = _structure_errors() + _popolo_errors()


@pytest.mark.parametrize(("what", "doc", "place"), CASES, ids=[c[0] for c in CASES])
def test_each_kind_of_error_is_rejected_naming_the_place(
    tmp_path: Path, what: str, doc: Any, place: str
) -> None:
    with pytest.raises(SpecError) as info:
        validate(doc, source="doc.json")
    assert any(place in f"{p.location} {p.message}" for p in info.value.problems), (
        what,
        info.value.problems[:3],
    )
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result = _run("spec", "validate", path)
    assert result.exit_code == 1
    assert place in result.output


def test_unreadable_and_non_object(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert _run("spec", "validate", bad).exit_code == 2
    assert _run("spec", "validate", tmp_path / "missing.json").exit_code == 2
    with pytest.raises(SpecError, match="not-an-object"):
        validate([1, 2])
    listing = tmp_path / "list.json"
    listing.write_text("[1]", encoding="utf-8")
    result = _run("spec", "validate", listing, "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.output)["problems"][0]["code"] == "not-an-object"
    assert _run("spec", "version").output.strip() == VERSION


def test_cli_export_takes_a_privacy_level(tmp_path: Path) -> None:
    data = to_data(demo_structure())
    data["people"][0]["phone"] = "13912345678"
    src = tmp_path / "demo.json"
    src.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out.json"
    # default public: no person at all
    assert _run("spec", "export", src, "-o", out).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["persons"] == []
    # research needs a key file; refused without one, nothing written
    refused = _run("spec", "export", src, "-o", tmp_path / "r.json", "--privacy", "research")
    assert refused.exit_code == 2
    assert "needs a key" in refused.output
    assert not (tmp_path / "r.json").exists()
    key = tmp_path / "key"
    key.write_bytes(KEY)
    args = ("--privacy", "research", "--key-file", key)
    assert _run("spec", "export", src, "-o", out, *args).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "李红" not in text
    assert "13912345678" not in text
    assert _run("spec", "validate", out).exit_code == 0
    structure = tmp_path / "s.yaml"
    assert _run("spec", "export", src, "-o", structure, "--to", "structure", *args).exit_code == 0
    assert "李红" not in structure.read_text(encoding="utf-8")
