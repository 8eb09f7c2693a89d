"""Views: networkx graphs of a :class:`~gridgov.org.Structure`.

Each view is a function of a structure (taken ``as_of`` a day if one is given, with
:meth:`Structure.as_of <gridgov.org.Structure.as_of>`) that returns a new networkx graph.
Node ids are gridgov ids, which are unique across areas, households, organisations,
people, posts and joint committees, so graphs of one structure can be composed with
:func:`networkx.compose`. Attribute keys are the constants of :mod:`gridgov.graph`
(documented in ``gridgov.graph._attrs``); values are plain codes, numbers, dates and tuples.

=====================  ===========  ==============================================================
view                   graph type   nodes and edges
=====================  ===========  ==============================================================
:func:`hierarchy`      ``DiGraph``  areas and organisations (+ households and linked party
                                    members on request); ``contains``, ``leads``, ``directs``,
                                    ``covers``, ``serves``, ``hosts``, ``linked``
:func:`cobuilding`     ``Graph``    co-building units (``bipartite=0``) and communities
                                    (``bipartite=1``); one edge per unit–community pair
:func:`appointments`   ``Graph``    people (``0``) and organisations (``1``); one edge per
                                    person–organisation pair, through posts
:func:`joint_committees` ``Graph``  joint committees (``0``) and organisations (``1``);
                                    ``member`` and ``lead`` edges with chair terms
:func:`supervision`    ``DiGraph``  supervisor → subject (organisations or areas)
=====================  ===========  ==============================================================

Examples
--------
>>> from gridgov.graph import KIND, WEIGHT, cobuilding
>>> from gridgov.graph._demo import demo_structure  # a tiny structure
>>> G = cobuilding(demo_structure())
>>> sorted(G.nodes(data=KIND))
[('C1', 'community'), ('C2', 'community'), ('U1', 'co_building_unit'), ('U2', 'co_building_unit')]
>>> G["U1"]["C1"][WEIGHT], G["U1"]["C1"]["projects"]
(1, ('PR1', 'PR2'))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Literal

from gridgov.graph._attrs import (
    AGREEMENTS,
    ALSO,
    APPOINTMENTS,
    AS_OF,
    BIPARTITE,
    CATEGORIES,
    CATEGORY,
    CHAIR_TERMS,
    CODE,
    COMMUNITY,
    CROSS_APPOINTED,
    END,
    ENDS,
    ENTITY,
    KIND,
    KIND_ZH,
    LABEL,
    LEVEL,
    N_PROJECTS,
    NAME,
    POST_KINDS,
    POSTS,
    PROJECTS,
    RELATION,
    RESIDENTS,
    ROTATION_PROBLEMS,
    SECTOR,
    SECTORS,
    START,
    STARTS,
    STATUSES,
    VIEW,
    WEIGHT,
    WEIGHT_BY,
    Entity,
    Relation,
)
from gridgov.org.vocab import AgreementCategory, AgreementStatus, AreaLevel, OrgKind, PostKind

if TYPE_CHECKING:
    import networkx as nx

    from gridgov.org.organisations import OrgBase
    from gridgov.org.relations import CoBuildingAgreement
    from gridgov.org.structure import Structure

__all__ = ["appointments", "cobuilding", "hierarchy", "joint_committees", "supervision"]

# enum member -> plain code, looked up in hot loops instead of calling ``.value``
_CATEGORY = {c: c.value for c in AgreementCategory}
_STATUS = {s: s.value for s in AgreementStatus}
_POST_KIND = {k: k.value for k in PostKind}
_LEVEL_ZH = {lvl.value: lvl.label_zh for lvl in AreaLevel}
_KIND = {k: (k.value, k.label_zh) for k in OrgKind}
_ID = attrgetter("id")

# precedence of hierarchy relations when two fall on the same ordered pair
_PRECEDENCE = (
    Relation.CONTAINS,
    Relation.LEADS,
    Relation.COVERS,
    Relation.SERVES,
    Relation.HOSTS,
    Relation.DIRECTS,
    Relation.LINKED,
)


def _at(structure: Structure, as_of: dt.date | None) -> Structure:
    return structure if as_of is None else structure.as_of(as_of)


def _graph_attrs(structure: Structure, view: str, as_of: dt.date | None) -> dict[str, Any]:
    attrs: dict[str, Any] = {NAME: structure.name, VIEW: view}
    if as_of is not None:
        attrs[AS_OF] = as_of
    return attrs


def _org_attrs(org: OrgBase) -> dict[str, Any]:
    kind, kind_zh = _KIND[org.kind]
    attrs: dict[str, Any] = {
        ENTITY: Entity.ORGANISATION.value,
        KIND: kind,
        KIND_ZH: kind_zh,
        LABEL: org.name or org.id,
        SECTOR: org.effective_sector.value,
    }
    category = getattr(org, "category", "")
    if category:
        attrs[CATEGORY] = category
    return attrs


def _area_nodes(
    structure: Structure, levels: Iterable[AreaLevel] | None = None
) -> list[tuple[str, dict[str, Any]]]:
    """``(id, attrs)`` of the areas (of the given levels), in table order."""
    frame = structure.areas.frame
    if levels is not None:
        import polars as pl

        frame = frame.filter(pl.col("level").is_in([lvl.value for lvl in levels]))
    columns = [frame.get_column(c).to_list() for c in ("id", "level", "name", "code")]
    return [(i, _area_attrs(i, *rest)) for i, *rest in zip(*columns, strict=True)]


def _area_attrs(area_id: str, level: str, name: str | None, code: str | None) -> dict[str, Any]:
    attrs: dict[str, Any] = {
        ENTITY: Entity.AREA.value,
        KIND: level,
        KIND_ZH: _LEVEL_ZH[level],
        LABEL: name or area_id,
        LEVEL: level,
    }
    if code is not None:
        attrs[CODE] = code
    return attrs


def _area(s: Structure, area_id: str) -> dict[str, Any]:
    a = s.area(area_id)
    return _area_attrs(a.id, a.level.value, a.name, a.code)


def _person_attrs(structure: Structure, person_id: str) -> dict[str, Any]:
    person = structure.person(person_id)
    party = person.party is not None
    return {
        ENTITY: Entity.PERSON.value,
        KIND: "party_member" if party else "person",
        KIND_ZH: "党员" if party else "人员",
        LABEL: person.name or person.id,
    }


def hierarchy(
    structure: Structure, *, include_households: bool = False, as_of: dt.date | None = None
) -> nx.DiGraph:
    """The spatial and party trees together, as one directed graph from superior to inferior.

    Edges (``RELATION``) read downwards:

    * ``contains``: area → area (and area → household);
    * ``leads``: party organisation → the party organisation reporting to it (``parent``);
    * ``directs``: organisation → a non-party organisation reporting to it, or any
      organisation reporting to a non-party one;
    * ``covers``: grid party group → its grid (``area``);
    * ``serves``: any other organisation → the area it serves (``area``);
    * ``hosts``: body → the organisation it hosts (``host``: a company → its party
      organisation);
    * ``linked``: party member → household (党员联系户), only with ``include_households``.

    One edge per ordered pair: when two relations fall on the same pair (an organisation
    that is both parent and host of another), ``RELATION`` holds the first in the order
    above and ``ALSO`` the others.

    Parameters
    ----------
    structure
        The structure.
    include_households
        Add households (``contains`` edges from their area) and the party members linked to
        them. Off by default: a city has about a million households, which makes the graph
        some fifty times larger and slower to build than the rest of the tree.
    as_of
        Take the structure as it stood on this day first.

    Returns
    -------
    networkx.DiGraph
        Nodes: areas (``ENTITY="area"``), organisations, and with ``include_households``
        households and linked party members.

    Examples
    --------
    >>> from gridgov.graph._demo import demo_structure
    >>> G = hierarchy(demo_structure())
    >>> G["S1"]["C1"]["relation"], G["GPG1"]["G1"]["relation"]
    ('contains', 'covers')
    >>> hierarchy(demo_structure(), include_households=True)["PM1"]["H1"]["relation"]
    'linked'
    """
    import networkx as nx

    s = _at(structure, as_of)
    G = nx.DiGraph(**_graph_attrs(s, "hierarchy", as_of))
    G.add_nodes_from(_area_nodes(s))
    orgs = {o.id: o for o in s.organisations}
    G.add_nodes_from((o.id, _org_attrs(o)) for o in s.organisations)
    edges: dict[tuple[str, str], list[Relation]] = {}

    def link(u: str, v: str, rel: Relation) -> None:
        edges.setdefault((u, v), []).append(rel)

    frame = s.areas.frame.filter(s.areas.frame.get_column("parent").is_not_null())
    for parent, child in zip(
        frame.get_column("parent").to_list(), frame.get_column("id").to_list(), strict=True
    ):
        if parent in G:  # a parent that had ended by ``as_of`` is not drawn
            link(parent, child, Relation.CONTAINS)
    for o in s.organisations:
        if o.parent is not None and o.parent in orgs:
            up = orgs[o.parent]
            rel = Relation.LEADS if o.kind.is_party and up.kind.is_party else Relation.DIRECTS
            link(o.parent, o.id, rel)
        if o.area is not None and o.area in G:
            rel = Relation.COVERS if o.kind is OrgKind.GRID_PARTY_GROUP else Relation.SERVES
            link(o.id, o.area, rel)
        if o.host is not None and o.host in orgs:
            link(o.host, o.id, Relation.HOSTS)
    rank = {rel: i for i, rel in enumerate(_PRECEDENCE)}
    out: list[tuple[str, str, dict[str, Any]]] = []
    for (u, v), rels in edges.items():
        rels.sort(key=rank.__getitem__)
        attrs: dict[str, Any] = {RELATION: rels[0].value}
        if len(rels) > 1:
            attrs[ALSO] = tuple(r.value for r in rels[1:])
        out.append((u, v, attrs))
    G.add_edges_from(out)
    if include_households:
        _add_households(s, G)
    return G


def _add_households(s: Structure, G: nx.DiGraph) -> None:
    """Households (contained by their area) and linked party members (linked to them).

    Neither edge can coincide with another relation (a household is only ever contained by
    an area and linked from a person), so they are added in bulk. Links to areas or
    households that had ended by ``as_of`` are left out.
    """
    import polars as pl

    frame = s.households.frame
    ids = frame.get_column("id").to_list()
    household = Entity.HOUSEHOLD.value
    level = AreaLevel.HOUSEHOLD.value
    zh = AreaLevel.HOUSEHOLD.label_zh
    G.add_nodes_from(
        (
            h,
            {ENTITY: household, KIND: level, KIND_ZH: zh, LABEL: h, LEVEL: level, RESIDENTS: r},
        )
        for h, r in zip(ids, frame.get_column("residents").to_list(), strict=True)
    )
    areas = s.areas.frame.get_column("id")
    inside = frame.filter(pl.col("parent").is_in(areas.implode()))
    G.add_edges_from(
        zip(inside.get_column("parent").to_list(), inside.get_column("id").to_list(), strict=True),
        **{RELATION: Relation.CONTAINS.value},
    )
    links = s.linked_households.frame.filter(
        pl.col("household").is_in(frame.get_column("id").implode())
    )
    members = links.get_column("member").to_list()
    G.add_nodes_from((m, _person_attrs(s, m)) for m in dict.fromkeys(members))
    G.add_edges_from(
        zip(members, links.get_column("household").to_list(), strict=True),
        **{RELATION: Relation.LINKED.value},
    )


def cobuilding(
    structure: Structure,
    *,
    as_of: dt.date | None = None,
    weight_by: Literal["agreements", "projects"] = "agreements",
) -> nx.Graph:
    """The two-mode graph of co-building units and communities (共驻共建).

    Every organisation of kind ``co_building_unit`` is a node with ``BIPARTITE=0`` and every
    community a node with ``BIPARTITE=1``, partnered or not (a community with no partner is
    an isolated node). One edge joins a unit and a community that have at least one
    agreement; it carries those agreements in structure order:

    ``AGREEMENTS``, ``CATEGORIES``, ``STATUSES``, ``STARTS``, ``ENDS``
        parallel tuples, one item per agreement (ids, category and status codes, dates or
        ``None``);
    ``PROJECTS``, ``N_PROJECTS``
        the ids and number of the projects under them;
    ``WEIGHT``
        the number of agreements (``weight_by="agreements"``, the default: every edge
        weighs at least 1) or of projects (``weight_by="projects"``: an agreement without
        projects adds nothing, so an edge can weigh 0);
    ``RELATION``
        ``"cobuilding"``.

    Parameters
    ----------
    structure
        The structure.
    as_of
        Take the structure as it stood on this day first (agreements and projects valid
        that day).
    weight_by
        What ``WEIGHT`` counts, recorded in the graph attribute ``WEIGHT_BY``.

    Returns
    -------
    networkx.Graph

    Examples
    --------
    >>> from gridgov.graph._demo import demo_structure
    >>> G = cobuilding(demo_structure(), weight_by="projects")
    >>> G.graph["weight_by"], G["U1"]["C1"]["weight"], G.nodes["C2"]["bipartite"]
    ('projects', 2, 1)
    """
    import networkx as nx

    if weight_by not in ("agreements", "projects"):
        raise ValueError(f"weight_by must be 'agreements' or 'projects', not {weight_by!r}")
    s = _at(structure, as_of)
    G = nx.Graph(**_graph_attrs(s, "cobuilding", as_of), **{WEIGHT_BY: weight_by})
    unit_kind = OrgKind.CO_BUILDING_UNIT
    nodes: list[tuple[str, dict[str, Any]]] = []
    for o in s.organisations:
        if o.kind is unit_kind:
            attrs = _org_attrs(o)
            attrs[BIPARTITE] = 0
            nodes.append((o.id, attrs))
    for cid, attrs in _area_nodes(s, (AreaLevel.COMMUNITY,)):
        attrs[BIPARTITE] = 1
        nodes.append((cid, attrs))
    G.add_nodes_from(nodes)

    # Each agreement becomes an edge as networkx takes it: the attribute dict is
    # short-lived (networkx copies it), so the garbage collector has little to trace while
    # a large graph is built. A pair with several agreements is rare; networkx keeps the
    # last one's attributes, and such pairs are then rebuilt from all their agreements.
    by_projects = weight_by == "projects"
    agreements: Sequence[CoBuildingAgreement] = s.agreements
    if as_of is not None:  # a unit or community may have ended while an agreement runs on
        agreements = [a for a in agreements if a.unit in G and a.community in G]
    G.add_edges_from(_agreement_edges(agreements, by_projects))
    if G.number_of_edges() != len(agreements):
        groups: dict[tuple[str, str], list[CoBuildingAgreement]] = {}
        for a in agreements:
            groups.setdefault((a.unit, a.community), []).append(a)
        for (unit, community), group in groups.items():
            if len(group) > 1:
                merged = G[unit][community]
                merged.clear()
                merged.update(_merged_attrs(group, by_projects))
    return G


def _agreement_edges(
    agreements: Iterable[CoBuildingAgreement], by_projects: bool
) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """``(unit, community, attrs)`` of each agreement, attributes as one-item tuples."""
    rel = Relation.COBUILDING.value
    cat, stat, ident = _CATEGORY, _STATUS, _ID
    for a in agreements:
        f = a.__dict__  # the fields of a pydantic model: faster than attribute access
        projects = tuple(map(ident, f["projects"])) if f["projects"] else ()
        n = len(projects)
        yield (
            f["unit"],
            f["community"],
            {
                RELATION: rel,
                AGREEMENTS: (f["id"],),
                CATEGORIES: (cat[f["category"]],),
                STATUSES: (stat[f["status"]],),
                STARTS: (f["start"],),
                ENDS: (f["end"],),
                PROJECTS: projects,
                N_PROJECTS: n,
                WEIGHT: n if by_projects else 1,
            },
        )


def _merged_attrs(group: list[CoBuildingAgreement], by_projects: bool) -> dict[str, Any]:
    """The attributes of an edge carrying several agreements, in structure order."""
    projects = tuple([p.id for a in group for p in a.projects])
    return {
        RELATION: Relation.COBUILDING.value,
        AGREEMENTS: tuple([a.id for a in group]),
        CATEGORIES: tuple([_CATEGORY[a.category] for a in group]),
        STATUSES: tuple([_STATUS[a.status] for a in group]),
        STARTS: tuple([a.start for a in group]),
        ENDS: tuple([a.end for a in group]),
        PROJECTS: projects,
        N_PROJECTS: len(projects),
        WEIGHT: len(projects) if by_projects else len(group),
    }


def appointments(structure: Structure, *, as_of: dt.date | None = None) -> nx.Graph:
    """People and organisations tied through the posts people hold (two-mode).

    People who hold (or held) at least one post are nodes with ``BIPARTITE=0``; every
    organisation is a node with ``BIPARTITE=1`` and its ``SECTOR``. One edge joins a person
    and an organisation in which the person holds posts, with parallel tuples
    ``APPOINTMENTS``, ``POSTS``, ``POST_KINDS``, ``STARTS`` and ``ENDS`` (one item per
    appointment) and ``WEIGHT`` = the number of appointments.

    A person's ``SECTORS`` lists the sectors of the organisations he or she is tied to;
    ``CROSS_APPOINTED`` says whether the structure counts the person as cross-appointed
    (concurrent posts in different sectors, :meth:`Structure.cross_appointments
    <gridgov.org.Structure.cross_appointments>`). Without ``as_of`` every appointment ever
    recorded is included; with it, those valid that day (an appointment to a post or in an
    organisation that had ended by then is left out).

    Examples
    --------
    >>> from gridgov.graph._demo import demo_structure
    >>> G = appointments(demo_structure())
    >>> G.nodes["PM1"]["sectors"], G.nodes["PM1"]["cross_appointed"]
    (('community', 'enterprise_party'), True)
    >>> G["PM1"]["EPO1"]["post_kinds"]
    ('board_member',)
    """
    import networkx as nx

    s = _at(structure, as_of)
    G = nx.Graph(**_graph_attrs(s, "appointments", as_of))
    orgs = {o.id: o for o in s.organisations}
    posts = {p.id: p for p in s.posts}
    edges: dict[tuple[str, str], dict[str, Any]] = {}
    rel = Relation.HOLDS_POST.value
    for a in s.appointments:
        post = posts.get(a.post)
        if post is None or post.organisation not in orgs:
            continue  # the post or its organisation had ended by ``as_of``
        key = (a.person, post.organisation)
        d = edges.get(key)
        if d is None:
            edges[key] = {
                RELATION: rel,
                APPOINTMENTS: (a.id,),
                POSTS: (post.id,),
                POST_KINDS: (_POST_KIND[post.kind],),
                STARTS: (a.start,),
                ENDS: (a.end,),
                WEIGHT: 1,
            }
        else:
            d[APPOINTMENTS] += (a.id,)
            d[POSTS] += (post.id,)
            d[POST_KINDS] += (_POST_KIND[post.kind],)
            d[STARTS] += (a.start,)
            d[ENDS] += (a.end,)
            d[WEIGHT] += 1
    sectors: dict[str, set[str]] = {}
    for person, org in edges:
        sectors.setdefault(person, set()).add(orgs[org].effective_sector.value)
    crossed = {x.person for x in s.cross_appointments(on=as_of)}
    for person, held in sectors.items():
        attrs = _person_attrs(s, person)
        attrs[BIPARTITE] = 0
        attrs[SECTORS] = tuple(sorted(held))
        attrs[CROSS_APPOINTED] = person in crossed
        G.add_node(person, **attrs)
    G.add_nodes_from((o.id, {**_org_attrs(o), BIPARTITE: 1}) for o in s.organisations)
    G.add_edges_from([(p, o, d) for (p, o), d in edges.items()])
    return G


def joint_committees(structure: Structure, *, as_of: dt.date | None = None) -> nx.Graph:
    """Joint committees (大党委) and their member organisations (two-mode).

    Each joint committee is a node with ``BIPARTITE=0``, ``COMMUNITY`` (the community's id)
    and ``ROTATION_PROBLEMS`` (empty when every member chairs in turn with no gap and no
    overlap). Each organisation that leads or sits on a committee is a node with
    ``BIPARTITE=1``. Edges: ``RELATION="lead"`` for the committee's lead organisation,
    ``"member"`` for the others, with ``CHAIR_TERMS`` — the organisation's turns as
    rotating chair, ``((start, end), …)`` in date order — and ``WEIGHT=1``.

    Projecting onto the organisations (:func:`gridgov.graph.project`) links organisations
    that sit on committees together.

    Examples
    --------
    >>> from gridgov.graph._demo import demo_structure
    >>> G = joint_committees(demo_structure())
    >>> G["JC1"]["WC1"]["relation"], G["JC1"]["U1"]["chair_terms"]
    ('lead', ((datetime.date(2024, 1, 1), datetime.date(2024, 6, 30)),))
    >>> G.nodes["JC1"]["rotation_problems"]
    ()
    """
    import networkx as nx

    s = _at(structure, as_of)
    G = nx.Graph(**_graph_attrs(s, "joint_committees", as_of))
    orgs = {o.id: o for o in s.organisations}
    edges: list[tuple[str, str, dict[str, Any]]] = []
    for jc in s.joint_committees:
        G.add_node(
            jc.id,
            **{
                ENTITY: Entity.JOINT_COMMITTEE.value,
                KIND: Entity.JOINT_COMMITTEE.value,
                KIND_ZH: Entity.JOINT_COMMITTEE.label_zh,
                LABEL: jc.name or jc.id,
                BIPARTITE: 0,
                COMMUNITY: jc.community,
                ROTATION_PROBLEMS: tuple(jc.rotation_problems()),
            },
        )
        terms: dict[str, list[tuple[dt.date | None, dt.date | None]]] = {}
        for t in sorted(jc.chair_rotation, key=lambda t: t.start or dt.date.min):
            terms.setdefault(t.organisation, []).append((t.start, t.end))
        seats = dict.fromkeys([*([jc.lead] if jc.lead else []), *jc.members])
        for org in seats:
            if org not in orgs:
                continue  # had ended by ``as_of``
            rel = Relation.LEAD if org == jc.lead else Relation.MEMBER
            attrs = {RELATION: rel.value, CHAIR_TERMS: tuple(terms.get(org, ())), WEIGHT: 1}
            edges.append((jc.id, org, attrs))
    G.add_nodes_from((o, {**_org_attrs(orgs[o]), BIPARTITE: 1}) for _, o, _ in edges if o not in G)
    G.add_edges_from(edges)
    return G


def supervision(structure: Structure, *, as_of: dt.date | None = None) -> nx.DiGraph:
    """Supervision links: supervisor → subject (``RELATION="supervises"``).

    For example an industry party committee over property companies, a street over its
    communities (DOMAIN §4). Subjects may be organisations or areas; the edge keeps the
    link's own ``LABEL`` and ``START``/``END`` when given. With ``as_of``, links whose
    supervisor or subject had ended by then are left out.

    Examples
    --------
    >>> from gridgov.graph._demo import demo_structure
    >>> G = supervision(demo_structure())
    >>> list(G.edges(data="relation"))
    [('IPC1', 'PC1', 'supervises')]
    """
    import networkx as nx

    s = _at(structure, as_of)
    G = nx.DiGraph(**_graph_attrs(s, "supervision", as_of))
    orgs = {o.id: o for o in s.organisations}
    rel = Relation.SUPERVISES.value
    areas = s.index.pos
    for sv in s.supervision:
        ends = (sv.supervisor, sv.subject)
        if not all(n in orgs or n in areas for n in ends):
            continue  # one end had ended by ``as_of``
        for node in ends:
            if node not in G:
                G.add_node(node, **(_org_attrs(orgs[node]) if node in orgs else _area(s, node)))
        attrs: dict[str, Any] = {RELATION: rel}
        if sv.label:
            attrs[LABEL] = sv.label
        if sv.start is not None:
            attrs[START] = sv.start
        if sv.end is not None:
            attrs[END] = sv.end
        G.add_edge(sv.supervisor, sv.subject, **attrs)
    return G
