"""Attribute keys of the graphs gridgov builds, and the vocabularies of their values.

Every view in :mod:`gridgov.graph` stores node, edge and graph attributes under the keys
below, so code reads ``G.nodes[n][KIND]`` rather than a string it has to guess. Values are
plain Python data (``str`` codes, ``int``, ``float``, ``bool``, ``datetime.date`` and tuples
of those), never enum members or models, so graphs export and compare without surprises.
An attribute whose value would be ``None`` is left out rather than stored as ``None``.

Node attributes
---------------
============================  ===============================================================
key                           value
============================  ===============================================================
``ENTITY`` (``"entity"``)     what the node is: an :class:`Entity` code (``"area"``,
                              ``"household"``, ``"organisation"``, ``"person"``,
                              ``"joint_committee"``)
``KIND`` (``"kind"``)         the fine kind: the area level (``"community"``), the
                              organisation kind (``"co_building_unit"``), ``"household"``,
                              ``"party_member"`` or ``"person"``, ``"joint_committee"``
``KIND_ZH`` (``"kind_zh"``)   the Chinese label of the kind (``"社区"``, ``"共驻共建单位"``)
``LABEL`` (``"label"``)       display text: the entity's name, or its id when it has none
``LEVEL`` (``"level"``)       area level code (areas and households only)
``CODE`` (``"code"``)         the area's grid code, when it has one
``SECTOR`` (``"sector"``)     organisation's effective :class:`~gridgov.org.Sector` code
``CATEGORY`` (``"category"``) co-building unit's category (agency, school, …), when given
``BIPARTITE``                 ``0`` or ``1``: the side of a two-mode graph (networkx's own
(``"bipartite"``)             convention, understood by :mod:`networkx.algorithms.bipartite`)
``RESIDENTS``                 number of residents of a household
(``"residents"``)
``COMMUNITY``                 id of the community a joint committee belongs to
(``"community"``)
``SECTORS`` (``"sectors"``)   sorted tuple of the sectors a person holds posts in
``CROSS_APPOINTED``           whether a person holds concurrent posts in organisations of
(``"cross_appointed"``)       different sectors (交叉任职)
``ROTATION_PROBLEMS``         tuple of sentences from
(``"rotation_problems"``)     :meth:`~gridgov.org.JointCommittee.rotation_problems`
============================  ===============================================================

Edge attributes
---------------
============================  ===============================================================
``RELATION``                  a :class:`Relation` code (``"contains"``, ``"leads"``, …)
(``"relation"``)
``ALSO`` (``"also"``)         other relations between the same ordered pair (hierarchy only)
``WEIGHT`` (``"weight"``)     tie strength: agreements or projects (co-building),
                              appointments (appointments), shared neighbours (projections)
``AGREEMENTS``                agreement ids, in structure order; ``CATEGORIES``,
(``"agreements"``)            ``STATUSES``, ``STARTS`` and ``ENDS`` are parallel tuples
``PROJECTS`` (``"projects"``) ids of the projects under those agreements
``N_PROJECTS``                number of projects
(``"n_projects"``)
``APPOINTMENTS``              appointment ids; ``POSTS``, ``POST_KINDS``, ``STARTS``,
(``"appointments"``)          ``ENDS`` are parallel tuples
``CHAIR_TERMS``               ``((start, end), …)``: the organisation's turns as rotating
(``"chair_terms"``)           chair of a joint committee
``START`` / ``END``           the period of a dated link (supervision), when known
``LABEL`` (``"label"``)       the supervision link's own label, when given
============================  ===============================================================

Graph attributes
----------------
``NAME`` (``"name"``: the structure's name), ``VIEW`` (``"view"``: which view built the
graph), ``AS_OF`` (``"as_of"``: the day, when the view was taken ``as_of`` one) and
``WEIGHT_BY`` (``"weight_by"``: what ``WEIGHT`` counts in the co-building view).

Examples
--------
>>> Relation.COBUILDING.label_zh
'共建'
>>> Entity("joint_committee").label("en")
'joint committee'
"""

from __future__ import annotations

from typing import Final

from gridgov.org.vocab import BilingualEnum

__all__ = [
    "AGREEMENTS",
    "ALSO",
    "APPOINTMENTS",
    "AS_OF",
    "BIPARTITE",
    "CATEGORIES",
    "CATEGORY",
    "CHAIR_TERMS",
    "CODE",
    "COMMUNITY",
    "CROSS_APPOINTED",
    "END",
    "ENDS",
    "ENTITY",
    "KIND",
    "KIND_ZH",
    "LABEL",
    "LEVEL",
    "NAME",
    "N_PROJECTS",
    "POSTS",
    "POST_KINDS",
    "PROJECTS",
    "RELATION",
    "RESIDENTS",
    "ROTATION_PROBLEMS",
    "SECTOR",
    "SECTORS",
    "START",
    "STARTS",
    "STATUSES",
    "VIEW",
    "WEIGHT",
    "WEIGHT_BY",
    "Entity",
    "Relation",
]

# -- nodes ------------------------------------------------------------------------------------
ENTITY: Final = "entity"
KIND: Final = "kind"
KIND_ZH: Final = "kind_zh"
LABEL: Final = "label"
LEVEL: Final = "level"
CODE: Final = "code"
SECTOR: Final = "sector"
CATEGORY: Final = "category"
BIPARTITE: Final = "bipartite"
RESIDENTS: Final = "residents"
COMMUNITY: Final = "community"
SECTORS: Final = "sectors"
CROSS_APPOINTED: Final = "cross_appointed"
ROTATION_PROBLEMS: Final = "rotation_problems"

# -- edges ------------------------------------------------------------------------------------
RELATION: Final = "relation"
ALSO: Final = "also"
WEIGHT: Final = "weight"
AGREEMENTS: Final = "agreements"
CATEGORIES: Final = "categories"
STATUSES: Final = "statuses"
STARTS: Final = "starts"
ENDS: Final = "ends"
PROJECTS: Final = "projects"
N_PROJECTS: Final = "n_projects"
APPOINTMENTS: Final = "appointments"
POSTS: Final = "posts"
POST_KINDS: Final = "post_kinds"
CHAIR_TERMS: Final = "chair_terms"
START: Final = "start"
END: Final = "end"

# -- graph ------------------------------------------------------------------------------------
NAME: Final = "name"
VIEW: Final = "view"
AS_OF: Final = "as_of"
WEIGHT_BY: Final = "weight_by"


class Entity(BilingualEnum):
    """What a node stands for (the value of :data:`ENTITY`)."""

    AREA = "area", "area", "区域"
    HOUSEHOLD = "household", "household", "户"
    ORGANISATION = "organisation", "organisation", "组织"
    PERSON = "person", "person", "人员"
    JOINT_COMMITTEE = "joint_committee", "joint committee", "大党委"


class Relation(BilingualEnum):
    """What an edge stands for (the value of :data:`RELATION`).

    Directed relations read from the first node to the second: an area *contains* an area,
    a party organisation *leads* the one that reports to it, a grid party group *covers*
    its grid, an organisation *serves* its area, a body *hosts* the organisation it carries
    (a company its party organisation), a party member is *linked* to a household, a
    supervisor *supervises* its subject. Two-mode relations (*cobuilding*, *holds_post*,
    *member*, *lead*) are undirected.
    """

    CONTAINS = "contains", "contains", "包含"
    LEADS = "leads", "leads (party line)", "领导"
    DIRECTS = "directs", "directs", "指导"
    COVERS = "covers", "covers (grid)", "覆盖"
    SERVES = "serves", "serves", "服务"
    HOSTS = "hosts", "hosts", "依托"
    LINKED = "linked", "linked household", "联系户"
    COBUILDING = "cobuilding", "co-building", "共建"
    HOLDS_POST = "holds_post", "holds a post in", "任职"
    MEMBER = "member", "member unit", "成员单位"
    LEAD = "lead", "lead unit", "牵头单位"
    SUPERVISES = "supervises", "supervises", "监督"
