"""Who can act in a synthetic case: per grid, the structure's posts, organisations and households.

A template names *roles* (``resident``, ``community``, ``volunteer``, ``department``, ``host`` …);
:func:`role_pools` turns each role into, for every grid of a structure, the ids that may fire it
there, read from the structure itself (:data:`ROLE_SOURCES`). Post ids are resolved to the
person holding the post on the event's day by the generator, so actors are real people of the
structure wherever a post is filled.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Final

import polars as pl

if TYPE_CHECKING:  # pragma: no cover
    from gridgov.org import Structure

__all__ = ["HANDLER_ROLES", "ROLE_SOURCES", "Pools", "role_pools"]

#: Where each role's actors come from (the fallback for any other role is the community's
#: residents' committee).
ROLE_SOURCES: Final[dict[str, str]] = {
    "resident": "a household of the grid",
    "grid": "the grid's grid worker or grid leader post",
    "collector": "the grid's grid worker or grid leader post",
    "street": "the street office of the grid's street",
    "operator": "the street office of the grid's street (12345 sub-centre)",
    "dispatcher": "the street office of the grid's street",
    "acceptor": "the street office of the grid's street",
    "community": "a director, secretary or committee post of the community's residents' committee",
    "co_host": "a director, secretary or committee post of the community's residents' committee",
    "volunteer": "a building-head or unit-head post inside the grid (for the community's "
    "volunteer team)",
    "organisation": "the district party committee",
    "department": "a co-building unit with an agreement with the community, or a department "
    "of the street",
    "party": "a property company serving the grid, or a social organisation of the community",
    "host": "the property company of the resident's compound (the residents' committee for "
    "compounds without one)",
}
#: Roles whose organisation handles the case: the case's ``target``, with a latent quality.
HANDLER_ROLES: Final = ("host", "volunteer", "department", "party")


class Pools:
    """Per-role frames ``(grid, actor)`` and, for handler roles, ``(grid, target, households)``.

    ``households`` weights a grid's arrivals between its targets (households of the compounds
    a property company serves; an even split otherwise).
    """

    def __init__(self, structure: Structure) -> None:
        c = pl.col
        areas = structure.areas.frame.select("id", "level", "parent")
        self.grids = areas.filter(c("level") == "grid").select(grid="id").sort("grid")
        self.grid_index = self.grids.with_row_index("grid_no").select(
            "grid", c("grid_no").cast(pl.Int64)
        )
        self.area_grid = _descend(areas, self.grids.select(id="grid", key="grid"))
        self.grid_community = self._ancestor(areas, "community")
        self.grid_street = self._ancestor(areas, "street")
        hh = structure.households.frame.select(c("id").cast(pl.String), "parent")
        self.households = hh.join(
            self.area_grid.rename({"id": "parent", "key": "grid"}), on="parent", how="inner"
        ).select(actor="id", grid="grid")
        orgs = pl.DataFrame(
            {
                "org": [o.id for o in structure.organisations],
                "kind": [str(o.kind) for o in structure.organisations],
                "area": [o.area for o in structure.organisations],
                "team": [getattr(o, "team_kind", None) for o in structure.organisations],
            },
            schema={"org": pl.String, "kind": pl.String, "area": pl.String, "team": pl.String},
        )
        self.orgs = orgs
        self.posts = pl.DataFrame(
            {
                "actor": [p.id for p in structure.posts],
                "kind": [str(p.kind) for p in structure.posts],
                "org": [p.organisation for p in structure.posts],
                "area": [p.area for p in structure.posts],
            },
            schema={"actor": pl.String, "kind": pl.String, "org": pl.String, "area": pl.String},
        )
        rc = orgs.filter(c("kind") == "residents_committee").select("org", community="area")
        self.rc = self.grid_community.join(rc, on="community", how="inner").select(
            "grid", actor="org"
        )
        building_company = pl.DataFrame(
            {
                "id": [b for cp in structure.compounds for b in cp.buildings],
                "key": [
                    cp.property_company if not cp.self_governed else None
                    for cp in structure.compounds
                    for _ in cp.buildings
                ],
            },
            schema={"id": pl.String, "key": pl.String},
        ).filter(c("key").is_not_null())
        area_company = _descend(areas, building_company)
        self.household_company = (
            structure.households.frame.select(c("id").cast(pl.String).alias("actor"), "parent")
            .join(area_company.rename({"id": "parent", "key": "company"}), on="parent")
            .select("actor", "company")
        )
        self.agreements = pl.DataFrame(
            {
                "org": [a.unit for a in structure.agreements],
                "community": [a.community for a in structure.agreements],
            },
            schema={"org": pl.String, "community": pl.String},
        ).unique()

    def _ancestor(self, areas: pl.DataFrame, level: str) -> pl.DataFrame:
        roots = areas.filter(pl.col("level") == level).select("id", key="id")
        return (
            _descend(areas, roots)
            .join(self.grids, left_on="id", right_on="grid", how="semi")
            .select(grid="id", **{level: "key"})
        )

    def actors(self, role: str) -> pl.DataFrame:  # noqa: PLR0911 - one return per role family
        """``(grid, actor)`` rows: who may fire ``role`` in each grid."""
        c = pl.col
        if role == "resident":
            return self.households
        if role in ("grid", "collector"):
            return self._posts_in_grid(("grid_worker", "grid_leader"), exact=True)
        if role in ("street", "operator", "dispatcher", "acceptor"):
            offices = self.orgs.filter(c("kind") == "street_office").select("org", street="area")
            return self.grid_street.join(offices, on="street").select("grid", actor="org")
        if role in ("community", "co_host"):
            rc_posts = self.posts.filter(
                c("kind").is_in(["director", "secretary", "committee_member"])
            ).join(self.rc.select(org="actor").unique(), on="org", how="semi")
            got = self.rc.rename({"actor": "org"}).join(rc_posts.select("org", "actor"), on="org")
            return got.select("grid", "actor")
        if role == "volunteer":
            return self._posts_in_grid(("building_head", "unit_head"), exact=False)
        if role == "organisation":
            pc = self.orgs.filter(c("kind") == "party_committee").select(actor="org")
            return self.grids.join(pc, how="cross")
        if role in ("department", "party", "host"):
            return self.targets(role).select("grid", actor="target")
        return self.rc

    def targets(self, role: str) -> pl.DataFrame:
        """``(grid, target, households)``: the organisations that handle a case in each grid."""
        c = pl.col
        per_grid = self.households.group_by("grid").agg(households=pl.len())
        if role == "host":
            by_company = (
                self.households.join(self.household_company, on="actor", how="left")
                .join(self.rc.rename({"actor": "rc"}), on="grid", how="left")
                .select("grid", target=pl.coalesce("company", "rc"))
                .drop_nulls()
                .group_by("grid", "target")
                .agg(households=pl.len())
            )
            return by_company.sort("grid", "target")
        if role == "volunteer":
            teams = self.orgs.filter(
                (c("kind") == "social_organisation") & (c("team") == "volunteer")
            ).select("org", community="area")
            found = self.grid_community.join(teams, on="community").select("grid", target="org")
        elif role == "department":
            units = self.grid_community.join(self.agreements, on="community").select(
                "grid", target="org"
            )
            deps = self.orgs.filter(c("kind") == "department").select("org", street="area")
            found = pl.concat(
                [units, self.grid_street.join(deps, on="street").select("grid", target="org")]
            )
        elif role == "party":
            companies = (
                self.households.join(self.household_company, on="actor")
                .select("grid", target="company")
                .unique()
            )
            social = self.orgs.filter(c("kind") == "social_organisation").select(
                "org", community="area"
            )
            found = pl.concat(
                [
                    companies,
                    self.grid_community.join(social, on="community").select("grid", target="org"),
                ]
            )
        else:
            found = self.rc.select("grid", target="actor")
        found = found.unique()
        missing = self.rc.join(found, on="grid", how="anti").select("grid", target="actor")
        found = pl.concat([found, missing]).unique()
        share = found.group_by("grid").agg(n=pl.len())
        return (
            found.join(per_grid, on="grid")
            .join(share, on="grid")
            .select("grid", "target", households=c("households").cast(pl.Float64) / c("n"))
            .sort("grid", "target")
        )

    def _posts_in_grid(self, kinds: Iterable[str], *, exact: bool) -> pl.DataFrame:
        posts = self.posts.filter(pl.col("kind").is_in(list(kinds)))
        if exact:
            return posts.join(self.grids, left_on="area", right_on="grid").select(
                grid="area", actor="actor"
            )
        return posts.join(self.area_grid, left_on="area", right_on="id").select(
            grid="key", actor="actor"
        )


def role_pools(structure: Structure) -> Pools:
    """The role pools of ``structure`` (see :class:`Pools`)."""
    return Pools(structure)


def _descend(areas: pl.DataFrame, roots: pl.DataFrame) -> pl.DataFrame:
    """``(id, key)`` for every area at or below a root, carrying the root's ``key`` down."""
    out = [roots]
    current = roots
    for _ in range(16):
        children = areas.join(
            current.select(parent="id", key="key"), on="parent", how="inner"
        ).select("id", "key")
        if children.height == 0:
            break
        out.append(children)
        current = children
    return pl.concat(out).unique("id", keep="first")
