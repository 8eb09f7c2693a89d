"""Graphs of a governance structure and the network analyses researchers run on them.

**Views** turn a :class:`~gridgov.org.Structure` into networkx graphs whose node ids are
gridgov ids and whose attribute keys are the constants exported here (``KIND``, ``LABEL``,
``RELATION``, ``WEIGHT``…; documented in :mod:`gridgov.graph._attrs`):
:func:`hierarchy`, :func:`cobuilding`, :func:`appointments`, :func:`joint_committees`,
:func:`supervision`.

**Analyses** are functions of a graph, networkx style, with the same argument names
everywhere (``G``, ``nodes``, ``weight``, ``k``, ``seed``): centrality (:func:`degree`,
:func:`betweenness`, :func:`eigenvector`, :func:`closeness`, :func:`centrality_table`);
structural holes (:func:`constraint`, :func:`burt_hierarchy`, :func:`effective_size`,
:func:`efficiency`, :func:`structural_holes`); two-mode projections with scipy.sparse
(:func:`project`); components, bridges and articulation points as governance facts
(:func:`governance_facts`); community detection (:func:`detect_communities`).

**Summaries** restate the reports' figures (:func:`cobuilding_summary`,
:func:`cross_appointment_summary`, :func:`chair_rotations`); **rendering** writes Mermaid and
Graphviz text or draws with matplotlib (:func:`to_mermaid`, :func:`to_dot`,
:func:`draw_cobuilding`); **export** writes GraphML, GEXF and node-link JSON that read back
with every attribute (:func:`write_graphml`, :func:`read_graphml`…).

Importing this package imports networkx, but neither scipy (the ``graph`` extra, needed by
:func:`project` and for fast structural holes) nor matplotlib (the ``plot`` extra).

Examples
--------
>>> from gridgov.graph import cobuilding, cobuilding_summary, project
>>> from gridgov.graph._demo import demo_structure
>>> s = demo_structure()
>>> G = cobuilding(s)
>>> cobuilding_summary(s).projects
3
>>> project(G, onto=1, as_="edges").rows()  # communities linked by shared units
[]
"""

from __future__ import annotations

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
from gridgov.graph.brokerage import (
    burt_hierarchy,
    constraint,
    effective_size,
    efficiency,
    structural_holes,
)
from gridgov.graph.centrality import (
    betweenness,
    centrality_table,
    closeness,
    degree,
    eigenvector,
)
from gridgov.graph.communities import (
    detect_communities,
    modularity,
)
from gridgov.graph.components import (
    GovernanceFact,
    articulation_points,
    bridges,
    connected_components,
    governance_facts,
)
from gridgov.graph.export import (
    from_node_link,
    read_gexf,
    read_graphml,
    read_json,
    to_node_link,
    write_gexf,
    write_graphml,
    write_json,
)
from gridgov.graph.projection import (
    ProjectionMatrix,
    project,
)
from gridgov.graph.render import (
    draw_cobuilding,
    to_dot,
    to_mermaid,
)
from gridgov.graph.summary import (
    CobuildingSummary,
    CrossAppointmentSummary,
    RotationCheck,
    chair_rotations,
    cobuilding_summary,
    cross_appointment_summary,
)
from gridgov.graph.views import (
    appointments,
    cobuilding,
    hierarchy,
    joint_committees,
    supervision,
)

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
    "CobuildingSummary",
    "CrossAppointmentSummary",
    "Entity",
    "GovernanceFact",
    "ProjectionMatrix",
    "Relation",
    "RotationCheck",
    "appointments",
    "articulation_points",
    "betweenness",
    "bridges",
    "burt_hierarchy",
    "centrality_table",
    "chair_rotations",
    "closeness",
    "cobuilding",
    "cobuilding_summary",
    "connected_components",
    "constraint",
    "cross_appointment_summary",
    "degree",
    "detect_communities",
    "draw_cobuilding",
    "effective_size",
    "efficiency",
    "eigenvector",
    "from_node_link",
    "governance_facts",
    "hierarchy",
    "joint_committees",
    "modularity",
    "project",
    "read_gexf",
    "read_graphml",
    "read_json",
    "structural_holes",
    "supervision",
    "to_dot",
    "to_mermaid",
    "to_node_link",
    "write_gexf",
    "write_graphml",
    "write_json",
]
