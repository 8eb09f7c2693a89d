"""Tests for gridgov.io.privacy: no name, phone or ID number leaves at public or research."""

from __future__ import annotations

import json
import string
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gridgov
from gridgov.errors import PrivacyError
from gridgov.graph import appointments, hierarchy, write_gexf, write_graphml, write_json
from gridgov.graph._demo import demo_structure
from gridgov.io import save, to_jsonld, to_popolo
from gridgov.io.privacy import (
    DEFAULT_K,
    LEVELS,
    policy,
    pseudonym,
    redact_graph,
    redact_structure,
    suppressed_rollup,
)
from gridgov.org import Structure

KEY = b"test key: sixteen bytes or more"
OTHER_KEY = b"another test key, also 16+ bytes"

# Names from an alphabet nothing else in the demo uses (Cyrillic capitals), phones of 11
# digits and 18-character ID numbers: a match anywhere in a file is a leak, not chance.
names = st.text(alphabet="БГДЖЗИЛПФЦЧШЩЭЮЯ", min_size=4, max_size=8)
phones = st.text(alphabet=string.digits, min_size=10, max_size=10).map(lambda d: "1" + d)
id_numbers = st.text(alphabet=string.digits, min_size=17, max_size=17).map(lambda d: d + "X")


@st.composite
def people(draw: st.DrawFn) -> list[dict[str, Any]]:
    n = draw(st.integers(1, 4))
    return [
        {
            "id": f"PQ{i}",
            "name": draw(names),
            "phone": draw(phones),
            "id_number": draw(id_numbers),
            "birth_year": draw(st.integers(1930, 2005)),
            "gender": draw(st.sampled_from(["female", "male"])),
            "household": "H1",
            "party": {"organisation": "PB1", "joined": "2001-03-03"},
        }
        for i in range(n)
    ]


def with_people(persons: list[dict[str, Any]]) -> Structure:
    data = demo_structure().model_dump(mode="json")
    data["people"] = persons
    # one post each, in organisations of two sectors, so some people are cross-appointed
    data["posts"] = [
        *data["posts"],
        *(
            {"id": f"PQP{i}", "kind": "committee_member", "organisation": "RC1"}
            for i in range(len(persons))
        ),
    ]
    data["appointments"] = [
        {"id": f"AQ{i}", "person": p["id"], "post": f"PQP{i}"} for i, p in enumerate(persons)
    ]
    # a linked household (党员联系户) is a party member's
    data["linked_households"] = [
        {"member": p["id"], "household": "H1"} for p in persons if p.get("party")
    ]
    return Structure.model_validate(data)


Export = Callable[[Structure, Path, str], list[Path]]


def _save(fmt: str, tables: str | None) -> Export:
    def export(s: Structure, folder: Path, level: str) -> list[Path]:
        save(s, folder / f"s.{fmt}", privacy=level, key=KEY, tables=tables)
        return sorted(folder.iterdir())

    return export


def _graph(writer: Callable[..., Path], suffix: str) -> Export:
    def export(s: Structure, folder: Path, level: str) -> list[Path]:
        for k, G in enumerate((appointments(s), hierarchy(s, include_households=True))):
            writer(G, folder / f"g{k}.{suffix}", privacy=level, key=KEY)
        return sorted(folder.iterdir())

    return export


def _popolo(s: Structure, folder: Path, level: str) -> list[Path]:
    path = folder / "popolo.json"
    doc = to_popolo(s, privacy=level, key=KEY)
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return [path]


def _jsonld(s: Structure, folder: Path, level: str) -> list[Path]:
    path = folder / "doc.jsonld"
    doc = to_jsonld(s, privacy=level, key=KEY)
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return [path]


EXPORTS: dict[str, Export] = {
    "json-ld": _jsonld,
    "json": _save("json", None),
    "yaml": _save("yaml", None),
    "json+csv": _save("json", "csv"),
    "yaml+ndjson": _save("yaml", "ndjson"),
    "json+parquet": _save("json", "parquet"),
    "graphml": _graph(write_graphml, "graphml"),
    "gexf": _graph(write_gexf, "gexf"),
    "node-link": _graph(write_json, "json"),
    "popolo": _popolo,
}


@pytest.mark.parametrize("level", ["public", "research"])
@pytest.mark.parametrize("fmt", sorted(EXPORTS))
@settings(max_examples=8, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(persons=people())
def test_no_personal_string_in_any_byte(
    tmp_path_factory: pytest.TempPathFactory, fmt: str, level: str, persons: list[dict[str, Any]]
) -> None:
    s = with_people(persons)
    folder = tmp_path_factory.mktemp(fmt)
    files = EXPORTS[fmt](s, folder, level)
    assert files
    blob = b"".join(p.read_bytes() for p in files)
    for person in persons:
        for field in ("name", "phone", "id_number"):
            assert person[field].encode("utf-8") not in blob, (fmt, level, field)
        # the original id would link the export to the source: it must not appear either
        assert person["id"].encode() not in blob


@pytest.mark.parametrize("fmt", sorted(EXPORTS))
def test_full_keeps_what_internal_drops(tmp_path: Path, fmt: str) -> None:
    """The checks above are not vacuous: at ``full`` the strings are there (where the format
    holds them), at ``internal`` names but never phones or ID numbers."""
    person = {"id": "PQ0", "name": "БГДЖ", "phone": "13912345678", "id_number": "1" * 17 + "X"}
    s = with_people([person])
    internal = b"".join(p.read_bytes() for p in EXPORTS[fmt](s, tmp_path / "i", "internal"))
    assert b"13912345678" not in internal
    assert b"1" * 17 + b"X" not in internal
    if fmt != "json+parquet":  # parquet compresses the tables; names are in the main file
        assert "БГДЖ".encode() in internal
    if fmt in ("json", "yaml", "popolo"):
        full = b"".join(p.read_bytes() for p in EXPORTS[fmt](s, tmp_path / "f", "full"))
        assert b"13912345678" in full


def _mkdirs(*paths: Path) -> None:
    for p in paths:
        p.mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def _folders(tmp_path: Path) -> None:
    _mkdirs(tmp_path / "i", tmp_path / "f")


@given(person_id=st.text(min_size=1, max_size=64))
def test_pseudonyms_stable_per_key_and_differ_between_keys(person_id: str) -> None:
    assert pseudonym(person_id, KEY) == pseudonym(person_id, KEY)
    assert pseudonym(person_id, KEY) != pseudonym(person_id, OTHER_KEY)
    assert person_id not in pseudonym(person_id, KEY)[1:] or len(person_id) < 3


def test_research_ids_link_across_exports_with_one_key() -> None:
    s = gridgov.datasets.load("youyi")
    one = redact_structure(s, policy("research", key=KEY))
    two = redact_structure(s, policy("research", key=KEY))
    other = redact_structure(s, policy("research", key=OTHER_KEY))
    assert [p.id for p in one.people] == [p.id for p in two.people]
    assert not {p.id for p in one.people} & {p.id for p in other.people}
    # every reference follows its person
    ids = {p.id for p in one.people}
    assert {a.person for a in one.appointments} <= ids
    assert set(one.linked_households.frame.get_column("member").to_list()) <= ids
    assert all(p.name == "" and p.phone is None and p.id_number is None for p in one.people)
    assert all(p.birth_year is None or p.birth_year % 5 == 0 for p in one.people)
    # the structure keeps its shape: cross-appointments and counts are the same
    assert len(one.cross_appointments()) == len(s.cross_appointments())
    assert one.rollup("grid").drop("id", "name").equals(s.rollup("grid").drop("id", "name"))


def test_public_suppresses_small_cells() -> None:
    s = gridgov.datasets.load("youyi")
    raw = s.rollup("building")
    safe = suppressed_rollup(s, "building", k=DEFAULT_K)
    suppressed = 0
    for column in ("households", "residents", "party_members", "linked_households"):
        before, after = raw.get_column(column).to_list(), safe.get_column(column).to_list()
        for b, a in zip(before, after, strict=True):
            if 0 < b < DEFAULT_K:
                assert a is None
            else:  # printed as it is, or hidden to protect a small sibling (tests/org)
                assert a in (b, None)
            suppressed += a is None
    assert suppressed > 0  # buildings have small cells, so the check above is not vacuous


def test_public_structure_has_no_person_level_rows() -> None:
    s = redact_structure(gridgov.datasets.load("youyi"), policy("public"))
    assert (len(s.people), len(s.appointments), len(s.report_backs)) == (0, 0, 0)
    assert (len(s.households), len(s.linked_households)) == (0, 0)
    assert len(s.organisations) > 0
    assert len(s.posts) > 0


def test_graph_levels() -> None:
    G = appointments(demo_structure())
    people = [n for n, d in G.nodes(data=True) if d.get("entity") == "person"]
    assert people
    assert not set(people) & set(redact_graph(G, policy("public")).nodes)
    research = redact_graph(G, policy("research", key=KEY))
    assert {pseudonym(p, KEY) for p in people} <= set(research.nodes)
    assert nx.utils.graphs_equal(redact_graph(G, policy("full")), G)


@pytest.mark.parametrize(
    ("level", "key", "match"),
    [
        ("secret", None, "unknown privacy level"),
        ("", None, "unknown privacy level"),
        ("research", None, "needs a key"),
        ("research", b"", "needs a key"),
        ("research", b"short", "at least 16 bytes"),
    ],
)
def test_fail_closed(tmp_path: Path, level: str, key: bytes | None, match: str) -> None:
    with pytest.raises(PrivacyError, match=match):
        policy(level, key=key)
    s = demo_structure()
    with pytest.raises(PrivacyError, match=match):
        save(s, tmp_path / "x.json", privacy=level, key=key)
    assert not (tmp_path / "x.json").exists()
    with pytest.raises(PrivacyError, match=match):
        to_popolo(s, privacy=level, key=key)
    with pytest.raises(PrivacyError, match=match):
        write_graphml(appointments(s), tmp_path / "g.graphml", privacy=level, key=key)
    assert not (tmp_path / "g.graphml").exists()


def test_levels_and_defaults(tmp_path: Path) -> None:
    assert LEVELS == ("public", "research", "internal", "full")
    s = with_people([{"id": "PQ0", "name": "БГДЖ", "phone": "13912345678"}])
    # save defaults to internal: names, no phones
    text = save(s, tmp_path / "d.json").read_text(encoding="utf-8")
    assert "БГДЖ" in text
    assert "13912345678" not in text
    # the deprecated alias still writes everything
    text = save(s, tmp_path / "a.json", include_personal=True).read_text(encoding="utf-8")
    assert "13912345678" in text
    # Popolo and graph files default to public
    assert to_popolo(s)["persons"] == []
    graph = write_json(appointments(s), tmp_path / "g.json").read_text(encoding="utf-8")
    assert "PQ0" not in graph
    assert "БГДЖ" not in graph


def test_report_levels() -> None:
    from gridgov.report import build_report, render

    s = with_people([{"id": "PQ0", "name": "БГДЖ", "phone": "13912345678"}])
    internal = render(build_report(s), "json")
    assert "13912345678" not in internal
    research = render(build_report(s, privacy="research", key=KEY), "json")
    assert "БГДЖ" not in research
    assert "PQ0" not in research
    public = render(build_report(s, privacy="public"), "json")  # tests/report/test_suppress.py
    assert "БГДЖ" not in public
    assert "PQ0" not in public
    with pytest.raises(PrivacyError, match="needs a key"):
        build_report(s, privacy="research")
