"""JSON-LD on the W3C Organization Ontology (ORG), FOAF and OWL-Time, with a versioned context.

:func:`to_jsonld` writes a structure as a JSON-LD document whose ``@context``
(:func:`context`, versioned with :data:`gridgov.io.popolo.SPEC_VERSION`) maps gridgov's terms
to W3C vocabularies:

==========================  ==================================================================
gridgov                     RDF
==========================  ==================================================================
organisation                ``org:Organization`` (and ``org:FormalOrganization``),
                            ``org:subOrganizationOf`` its parent, ``org:hasSite`` its area
area                        ``org:Site`` with ``gg:level``, ``gg:gridCode``, ``gg:within``
post                        ``org:Post``, ``org:postIn`` its organisation
person                      ``foaf:Person`` (``foaf:name`` at ``internal`` and ``full`` only)
appointment                 ``org:Membership``: ``org:member``, ``org:organization``,
                            ``org:role`` → the post, ``org:memberDuring`` a ``time:Interval``
                            with ``time:hasBeginning`` / ``time:hasEnd`` dates
cross-appointment           ``gg:CrossAppointment`` with ``gg:appointment`` ×2 and
                            ``gg:direction``
co-building agreement       ``gg:CoBuildingAgreement``: ``gg:unit``, ``gg:community``
joint committee             ``gg:JointCommittee``: ``gg:memberOrganisation``
==========================  ==================================================================

``gg:`` is gridgov's vocabulary namespace, ``urn:gridgov:vocab:`` (grid, grid party group,
linked household, co-building agreement, joint committee, cross-appointment); node ids are
``urn:gridgov:id:<id>``. The default privacy is ``public`` (no person-level nodes).

Examples
--------
>>> import gridgov
>>> doc = to_jsonld(gridgov.datasets.load("huanan"))
>>> doc["@context"]["org"]
'http://www.w3.org/ns/org#'
>>> sorted({n["@type"] for n in doc["@graph"]})[:3]
['gg:CoBuildingAgreement', 'gg:JointCommittee', 'org:Organization']
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gridgov.io.popolo import SPEC_VERSION

if TYPE_CHECKING:
    from gridgov.io.privacy import Privacy
    from gridgov.org import Structure

__all__ = ["ID_PREFIX", "SHAPES", "VOCAB", "context", "to_jsonld"]

#: gridgov's vocabulary namespace.
VOCAB = "urn:gridgov:vocab:"
#: Prefix of node ids.
ID_PREFIX = "urn:gridgov:id:"


def context() -> dict[str, Any]:
    """The JSON-LD ``@context`` of this specification version."""
    ref = {"@type": "@id"}
    date = {"@type": "xsd:date"}
    return {
        "@version": 1.1,
        "org": "http://www.w3.org/ns/org#",
        "foaf": "http://xmlns.com/foaf/0.1/",
        "time": "http://www.w3.org/2006/time#",
        "xsd": "http://www.w3.org/2001/XMLSchema#",
        "skos": "http://www.w3.org/2004/02/skos/core#",
        "gg": VOCAB,
        "ggid": ID_PREFIX,
        "specVersion": {"@id": "gg:specVersion"},
        "name": {"@id": "skos:prefLabel"},
        "personName": {"@id": "foaf:name"},
        "kind": {"@id": "gg:kind"},
        "level": {"@id": "gg:level"},
        "gridCode": {"@id": "gg:gridCode"},
        "within": {"@id": "gg:within", **ref},
        "subOrganizationOf": {"@id": "org:subOrganizationOf", **ref},
        "hasSite": {"@id": "org:hasSite", **ref},
        "postIn": {"@id": "org:postIn", **ref},
        "member": {"@id": "org:member", **ref},
        "organization": {"@id": "org:organization", **ref},
        "role": {"@id": "org:role", **ref},
        "memberDuring": {"@id": "org:memberDuring"},
        "hasBeginning": {"@id": "time:hasBeginning"},
        "hasEnd": {"@id": "time:hasEnd"},
        "inXSDDate": {"@id": "time:inXSDDate", **date},
        "appointment": {"@id": "gg:appointment", **ref},
        "direction": {"@id": "gg:direction"},
        "unit": {"@id": "gg:unit", **ref},
        "community": {"@id": "gg:community", **ref},
        "memberOrganisation": {"@id": "gg:memberOrganisation", **ref},
        "partyStatus": {"@id": "gg:partyMembershipStatus"},
    }


def _id(value: str) -> str:
    return f"ggid:{value}"


def _interval(start: Any, end: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"@type": "time:Interval"}
    if start is not None:
        out["hasBeginning"] = {"@type": "time:Instant", "inXSDDate": start.isoformat()}
    if end is not None:
        out["hasEnd"] = {"@type": "time:Instant", "inXSDDate": end.isoformat()}
    return out


def to_jsonld(
    structure: Structure,
    *,
    privacy: str | Privacy = "public",
    key: bytes | str | None = None,
) -> dict[str, Any]:
    """The structure as a JSON-LD document on W3C ORG (see the module notes).

    Raises
    ------
    gridgov.errors.PrivacyError
        An unknown level, or ``"research"`` without a key.
    """
    from gridgov.io.privacy import policy, redact_structure

    level = policy(privacy, key=key)
    s = redact_structure(structure, level)
    graph = _areas(s) + _organisations(s)
    org_of = {p.id: p.organisation for p in s.posts}
    graph.extend(
        {"@id": _id(p.id), "@type": "org:Post", "kind": p.kind.value, "postIn": _id(p.organisation)}
        for p in s.posts
    )
    for person in s.people:
        node: dict[str, Any] = {"@id": _id(person.id), "@type": "foaf:Person"}
        if person.name:
            node["personName"] = person.name
        if person.party is not None:
            node["partyStatus"] = person.party.status.value
        graph.append(node)
    graph.extend(
        {
            "@id": _id(a.id),
            "@type": "org:Membership",
            "member": _id(a.person),
            "organization": _id(org_of[a.post]),
            "role": _id(a.post),
            "memberDuring": _interval(a.start, a.end),
        }
        for a in s.appointments
    )
    for k, x in enumerate(s.cross_appointments(), start=1):
        one, two = (sector.value for sector in x.sectors)
        graph.append(
            {
                "@id": _id(f"cross-{k}"),
                "@type": "gg:CrossAppointment",
                "appointment": [_id(x.first.id), _id(x.second.id)],
                "direction": f"{one}->{two}",
            }
        )
    graph.extend(
        {
            "@id": _id(ag.id),
            "@type": "gg:CoBuildingAgreement",
            "unit": _id(ag.unit),
            "community": _id(ag.community),
        }
        for ag in s.agreements
    )
    graph.extend(
        {
            "@id": _id(jc.id),
            "@type": "gg:JointCommittee",
            "community": _id(jc.community),
            "memberOrganisation": [_id(m) for m in jc.members],
        }
        for jc in s.joint_committees
    )
    return {"@context": context(), "specVersion": SPEC_VERSION, "@graph": graph}


def _areas(s: Structure) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for aid, lvl, parent, name, code in s.areas.frame.select(
        "id", "level", "parent", "name", "code"
    ).iter_rows():
        node: dict[str, Any] = {"@id": _id(aid), "@type": "org:Site", "level": lvl}
        if parent is not None:
            node["within"] = _id(parent)
        if name:
            node["name"] = name
        if code:
            node["gridCode"] = code
        out.append(node)
    return out


def _organisations(s: Structure) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for org in s.organisations:
        node: dict[str, Any] = {"@id": _id(org.id), "@type": "org:Organization"}
        node["kind"] = org.kind.value
        if org.name:
            node["name"] = org.name
        parent: str | None = getattr(org, "parent", None)
        if parent is not None:
            node["subOrganizationOf"] = _id(parent)
        site: str | None = getattr(org, "area", None)
        if site is not None:
            node["hasSite"] = _id(site)
        out.append(node)
    return out


#: SHACL shapes (Turtle) for the integrity rules a shape can express: every reference
#: resolves to a node of the right class, and single-valued links have one value.
SHAPES = """\
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix gg: <urn:gridgov:vocab:> .
@prefix ggs: <urn:gridgov:shapes:> .

ggs:Site a sh:NodeShape ; sh:targetClass org:Site ;
  sh:property [ sh:path gg:level ; sh:minCount 1 ; sh:maxCount 1 ] ;
  sh:property [ sh:path gg:within ; sh:maxCount 1 ; sh:class org:Site ] .

ggs:Organization a sh:NodeShape ; sh:targetClass org:Organization ;
  sh:property [ sh:path gg:kind ; sh:minCount 1 ; sh:maxCount 1 ] ;
  sh:property [ sh:path org:subOrganizationOf ; sh:maxCount 1 ; sh:class org:Organization ] ;
  sh:property [ sh:path org:hasSite ; sh:maxCount 1 ; sh:class org:Site ] .

ggs:Post a sh:NodeShape ; sh:targetClass org:Post ;
  sh:property [ sh:path org:postIn ; sh:minCount 1 ; sh:maxCount 1 ; sh:class org:Organization ] .

ggs:Membership a sh:NodeShape ; sh:targetClass org:Membership ;
  sh:property [ sh:path org:member ; sh:minCount 1 ; sh:maxCount 1 ; sh:class foaf:Person ] ;
  sh:property [ sh:path org:organization ; sh:minCount 1 ; sh:maxCount 1 ;
                sh:class org:Organization ] ;
  sh:property [ sh:path org:role ; sh:minCount 1 ; sh:maxCount 1 ; sh:class org:Post ] .

ggs:CoBuildingAgreement a sh:NodeShape ; sh:targetClass gg:CoBuildingAgreement ;
  sh:property [ sh:path gg:unit ; sh:minCount 1 ; sh:maxCount 1 ; sh:class org:Organization ] ;
  sh:property [ sh:path gg:community ; sh:minCount 1 ; sh:maxCount 1 ; sh:class org:Site ] .

ggs:JointCommittee a sh:NodeShape ; sh:targetClass gg:JointCommittee ;
  sh:property [ sh:path gg:community ; sh:minCount 1 ; sh:maxCount 1 ; sh:class org:Site ] ;
  sh:property [ sh:path gg:memberOrganisation ; sh:class org:Organization ] .
"""
