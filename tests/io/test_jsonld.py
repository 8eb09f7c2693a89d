"""Tests for gridgov.io.jsonld: the export parses with rdflib and conforms to the SHACL shapes;
each corruption gridgov's integrity check names is a SHACL violation where a shape can say it."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pyshacl
import pytest
import rdflib

import gridgov
from gridgov.errors import StructureError
from gridgov.graph._demo import demo_structure
from gridgov.io import from_data, to_data
from gridgov.io.jsonld import ID_PREFIX, SHAPES, to_jsonld

# pyshacl 0.40 builds rdflib ConjunctiveGraphs internally, which rdflib 7.6 deprecates
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")

KEY = b"json-ld test key, 16+ bytes"
ORG = rdflib.Namespace("http://www.w3.org/ns/org#")


def _graph(doc: dict[str, Any]) -> rdflib.Graph:
    return rdflib.Graph().parse(data=json.dumps(doc, ensure_ascii=False), format="json-ld")


def _shacl(doc: dict[str, Any]) -> tuple[bool, rdflib.Graph]:
    shapes = rdflib.Graph().parse(data=SHAPES, format="turtle")
    conforms, report, _ = pyshacl.validate(_graph(doc), shacl_graph=shapes)
    assert isinstance(report, rdflib.Graph)
    return bool(conforms), report


@pytest.mark.parametrize("level", ["public", "research", "internal", "full"])
def test_demo_parses_and_conforms(level: str) -> None:
    doc = to_jsonld(demo_structure(), privacy=level, key=KEY)
    g = _graph(doc)
    memberships = set(g.subjects(rdflib.RDF.type, ORG.Membership))
    assert len(memberships) == (0 if level == "public" else 2)
    assert set(g.subjects(rdflib.RDF.type, ORG.Post))
    conforms, report = _shacl(doc)
    assert conforms, report.serialize(format="turtle")


def test_bundled_example_conforms() -> None:
    s = gridgov.datasets.load("youyi")
    doc = to_jsonld(s, privacy="research", key=KEY)
    assert "龙凤晶" not in json.dumps(doc, ensure_ascii=False)  # a name from the example
    conforms, report = _shacl(doc)
    assert conforms, report.serialize(format="turtle")[:2000]


def _node(doc: dict[str, Any], node_id: str) -> dict[str, Any]:
    return next(n for n in doc["@graph"] if n["@id"] == f"ggid:{node_id}")


def _set(node_id: str, key: str, value: str) -> Callable[[dict[str, Any]], None]:
    def edit(doc: dict[str, Any]) -> None:
        _node(doc, node_id)[key] = f"ggid:{value}"

    return edit


def _data_set(field: str, index: int, key: str, value: str) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        data[field][index][key] = value

    return edit


# (gridgov's problem code, corruption of the structure data, the same in JSON-LD, focus node)
CORRUPTIONS = [
    (
        "dangling-reference",
        _data_set("appointments", 0, "person", "NOBODY"),
        _set("A1", "member", "NOBODY"),
        "A1",
    ),
    (
        "dangling-reference",
        _data_set("posts", 0, "organisation", "NOWHERE"),
        _set("P1", "postIn", "NOWHERE"),
        "P1",
    ),
    (
        "dangling-reference",
        _data_set("agreements", 0, "unit", "NOUNIT"),
        _set("AG1", "unit", "NOUNIT"),
        "AG1",
    ),
    (
        "dangling-reference",
        _data_set("organisations", 1, "parent", "NOPARENT"),
        _set("PB1", "subOrganizationOf", "NOPARENT"),
        "PB1",
    ),
]


@pytest.mark.parametrize(
    ("code", "corrupt_data", "corrupt_doc", "focus"),
    CORRUPTIONS,
    ids=[f"{c[0]}-{c[3]}" for c in CORRUPTIONS],
)
def test_corruptions_gridgov_names_are_shacl_violations(
    code: str,
    corrupt_data: Callable[[dict[str, Any]], None],
    corrupt_doc: Callable[[dict[str, Any]], None],
    focus: str,
) -> None:
    data = to_data(demo_structure(), include_personal=True)
    corrupt_data(data)
    with pytest.raises(StructureError) as info:
        from_data(data)
    assert code in info.value.codes
    doc = copy.deepcopy(to_jsonld(demo_structure(), privacy="full"))
    corrupt_doc(doc)
    conforms, report = _shacl(doc)
    assert not conforms
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    foci = {str(o) for o in report.objects(None, sh.focusNode)}
    assert foci == {ID_PREFIX + focus}
