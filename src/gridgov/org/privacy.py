"""Privacy levels for every export: what of a person may leave, fail-closed.

Four levels, from safest to fullest:

============  ==================================================================================
level         what of people an export holds
============  ==================================================================================
``public``    no person-level data at all: no people, appointments, households, linked
              households or report-backs; counts only, and a count under the threshold ``k``
              (default :data:`DEFAULT_K`) is suppressed (written as ``null``).
``research``  people pseudonymised with a keyed HMAC-SHA256 (:func:`pseudonym`): the same key
              gives the same pseudonym in every export, so files made with one key link up;
              without the key they link to nothing. No names, phones or ID numbers; birth
              years coarsened to the first year of a :data:`BIRTH_YEAR_BAND`-year band; the
              day a member joined the party is dropped. A key is required: there is no
              default key.
``internal``  names, and everything else except ID numbers and phones.
``full``      everything, ID numbers and phones included; never a default, only when the
              caller passes ``privacy="full"``.
============  ==================================================================================

Anything else is refused (:class:`~gridgov.errors.PrivacyError`): an unknown level, a
``research`` export without a key or with a key shorter than :data:`MIN_KEY_BYTES` bytes.

Default per output (the safest level that still serves the output's purpose):

* ``gridgov.save`` / :func:`gridgov.io.save`: ``internal``; a saved structure is the
  working file a grid office edits, and it needs names to be useful; ID numbers and
  phones are written only with ``privacy="full"`` (``include_personal=True`` is its old,
  deprecated spelling).
* :func:`gridgov.io.to_popolo` and :func:`gridgov.io.to_jsonld`: ``public``; interchange
  formats are made to be published and passed on.
* graph exports (GraphML, GEXF, node-link JSON): ``public``; a graph file goes into
  Gephi, yEd or a paper's supplement; person and household nodes are left out.
* reports: ``internal``; a report is read by the office that acts on it (who holds
  which cross-appointment), and holds no ID numbers or phones at any level. At ``public``
  its counts are suppressed with complementary suppression (:mod:`gridgov.report._suppress`).
* the command line: ``--privacy`` on every command that writes or prints people's data,
  each with its own default (:data:`gridgov.cli._privacy.DEFAULTS`; the table with the
  reasons is in the documentation's page "Privacy levels").

Examples
--------
>>> p = policy("research", key=b"0123456789abcdef")
>>> p.pseudonym("P0001") == policy("research", key=b"0123456789abcdef").pseudonym("P0001")
True
>>> p.pseudonym("P0001") == policy("research", key=b"another key, 16+").pseudonym("P0001")
False
>>> policy("research")
Traceback (most recent call last):
...
gridgov.errors.PrivacyError: privacy 'research' needs a key ...
>>> suppress([12, 3, 0, 7], k=5)
[12, None, 0, 7]
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, get_args

from gridgov.errors import PrivacyError

if TYPE_CHECKING:
    import networkx as nx
    import polars as pl

    from gridgov.org import Structure

__all__ = [
    "BIRTH_YEAR_BAND",
    "DEFAULT_K",
    "LEVELS",
    "MIN_KEY_BYTES",
    "Level",
    "Privacy",
    "coarsen_birth_year",
    "policy",
    "protect",
    "pseudonym",
    "redact_graph",
    "redact_structure",
    "suppress",
    "suppressed_rollup",
]

Level = Literal["public", "research", "internal", "full"]

#: The levels, safest first.
LEVELS: tuple[Level, ...] = get_args(Level)

#: Counts under this threshold are suppressed at ``public``. Five is the smallest cell many
#: statistical offices publish (e.g. the UK ONS and Eurostat rules of thumb for frequency
#: tables); a caller with a stricter rule passes a larger ``k``.
DEFAULT_K = 5

#: Shortest accepted HMAC key: 128 bits.
MIN_KEY_BYTES = 16

#: Width of the bands birth years are coarsened to at ``research``.
BIRTH_YEAR_BAND = 5

#: Pseudonyms are this many hex digits of the HMAC (80 bits: no collision among a city's
#: people in practice) after the prefix ``"R"``.
_DIGITS = 20
_DOMAIN = b"gridgov/person/v1\x00"

_PERSON_FIELDS_RESEARCH_DROPS = ("name", "id_number", "phone")


@dataclass(frozen=True, slots=True)
class Privacy:
    """A checked privacy level with its key (never shown) and suppression threshold."""

    level: Level
    key: bytes | None = field(default=None, repr=False)
    k: int = DEFAULT_K

    def pseudonym(self, person_id: str) -> str:
        """The person's pseudonym under this policy's key (``research`` only)."""
        if self.key is None:
            raise PrivacyError(f"privacy {self.level!r} has no key to pseudonymise with")
        return pseudonym(person_id, self.key)

    @property
    def people(self) -> bool:
        """Whether person-level rows may appear at all (every level but ``public``)."""
        return self.level != "public"

    @property
    def personal(self) -> bool:
        """Whether ID numbers and phones may appear (``full`` only)."""
        return self.level == "full"


def policy(
    level: str | Privacy,
    *,
    key: bytes | str | None = None,
    k: int = DEFAULT_K,
) -> Privacy:
    """Check a level (and its key) and return the policy; refuse anything unclear.

    Parameters
    ----------
    level
        ``"public"``, ``"research"``, ``"internal"`` or ``"full"`` (or a :class:`Privacy`,
        returned as it is).
    key
        The HMAC key for ``research`` (bytes, or text encoded as UTF-8), at least
        :data:`MIN_KEY_BYTES` bytes. Ignored at other levels.
    k
        Suppression threshold for counts at ``public`` (at least 1).

    Raises
    ------
    gridgov.errors.PrivacyError
        An unknown level, a missing or short key for ``research``, or ``k < 1``.
    """
    if isinstance(level, Privacy):
        return level
    if level not in LEVELS:
        raise PrivacyError(
            f"unknown privacy level {level!r}: choose one of {', '.join(LEVELS)} / 未知的隐私级别"
        )
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise PrivacyError(f"suppression threshold k must be an integer >= 1, got {k!r}")
    raw: bytes | None = None
    if level == "research":
        if key is None or key in (b"", ""):
            raise PrivacyError(
                "privacy 'research' needs a key (pseudonyms are keyed HMAC-SHA256; there is "
                "no default key) / research 级别需要密钥"
            )
        raw = key.encode("utf-8") if isinstance(key, str) else bytes(key)
        if len(raw) < MIN_KEY_BYTES:
            raise PrivacyError(
                f"privacy 'research' needs a key of at least {MIN_KEY_BYTES} bytes "
                f"/ 密钥至少 {MIN_KEY_BYTES} 字节"
            )
    return Privacy(level=level, key=raw, k=k)


def pseudonym(person_id: str, key: bytes) -> str:
    """``"R"`` and 20 hex digits of HMAC-SHA256(key, person id): stable per key, keyed.

    Examples
    --------
    >>> pseudonym("P1", b"0123456789abcdef")
    'R...'
    >>> len(pseudonym("P1", b"0123456789abcdef"))
    21
    """
    mac = hmac.new(key, _DOMAIN + person_id.encode("utf-8"), hashlib.sha256)
    return "R" + mac.hexdigest()[:_DIGITS]


def coarsen_birth_year(year: int | None, band: int = BIRTH_YEAR_BAND) -> int | None:
    """The first year of the ``band``-year band holding ``year`` (``None`` stays ``None``).

    Examples
    --------
    >>> coarsen_birth_year(1957), coarsen_birth_year(1960), coarsen_birth_year(None)
    (1955, 1960, None)
    """
    return None if year is None else year - year % band


def suppress(counts: Iterable[int | None], k: int = DEFAULT_K) -> list[int | None]:
    """Counts with every value in ``1 .. k-1`` replaced by ``None`` (zeros are kept).

    A zero reveals no one; a count of one to ``k - 1`` may point at a person.
    """
    return [None if c is not None and 0 < c < k else c for c in counts]


# -- structures ---------------------------------------------------------------------------
def redact_structure(structure: Structure, privacy: Privacy) -> Structure:
    """The structure as ``privacy`` lets it leave (a new, validated structure).

    ``full`` and ``internal`` give the structure itself (the level then decides whether a
    dump writes ID numbers and phones). ``research`` replaces every person id, wherever it
    appears (people, appointments, linked households, report-backs), by its pseudonym,
    blanks names, drops ID numbers, phones and party-joining days, and coarsens birth years.
    ``public`` keeps areas, compounds, organisations (member counts under ``k`` suppressed),
    posts, agreements, joint committees and supervision, and leaves out every person-level
    or household-level row. Both leave out where people live (geography points of kind
    ``residence``): a home's coordinates identify its resident whatever id it carries.
    """
    from gridgov.org import Structure as _Structure

    data = {name: getattr(structure, name) for name in type(structure).model_fields}
    if privacy.level in ("full", "internal"):
        return structure
    data["geography"] = _without_residences(structure.geography)
    if privacy.level == "public":
        for name in ("people", "appointments", "report_backs"):
            data[name] = ()
        data["households"] = type(structure.households)()
        data["linked_households"] = type(structure.linked_households)()
        orgs = data["organisations"]
        data["organisations"] = tuple(_suppress_members(o, privacy.k) for o in orgs)
        return _Structure(**data)
    ids = {p.id: privacy.pseudonym(p.id) for p in structure.people}

    def alias(person_id: str) -> str:
        return ids.get(person_id) or privacy.pseudonym(person_id)

    people = []
    for p in structure.people:
        party = p.party.model_copy(update={"joined": None}) if p.party is not None else None
        people.append(
            p.model_copy(
                update={
                    "id": ids[p.id],
                    "name": "",
                    "id_number": None,
                    "phone": None,
                    "birth_year": coarsen_birth_year(p.birth_year),
                    "party": party,
                }
            )
        )
    data["people"] = tuple(people)
    data["appointments"] = tuple(
        a.model_copy(update={"person": alias(a.person)}) for a in structure.appointments
    )
    data["report_backs"] = tuple(
        r.model_copy(update={"member": alias(r.member)}) for r in structure.report_backs
    )
    data["linked_households"] = _alias_column(structure.linked_households, "member", alias)
    return _Structure(**data)


def _without_residences(geography: Any) -> Any:
    """``geography`` without the points that locate a person's home."""
    import polars as pl

    if geography is None:
        return None
    points = geography.points.filter(pl.col("kind") != "residence")
    return geography.model_copy(update={"points": points})


def _suppress_members(org: Any, k: int) -> Any:
    members = getattr(org, "members", None)
    if isinstance(members, int) and 0 < members < k:
        return org.model_copy(update={"members": None})
    return org


def _alias_column(table: Any, column: str, alias: Any) -> Any:
    import polars as pl

    frame: pl.DataFrame = table.frame
    if frame.height == 0:
        return table
    values = frame.get_column(column).unique().to_list()
    mapping = {v: alias(v) for v in values if v is not None}
    return type(table)(frame.with_columns(pl.col(column).replace_strict(mapping, default=None)))


def suppressed_rollup(structure: Structure, level: str, *, k: int = DEFAULT_K) -> pl.DataFrame:
    """``structure.rollup(level)`` with every count in ``1 .. k-1`` replaced by null.

    With complementary suppression (:func:`protect`): the rows of one parent area add up to
    the parent's count (printed by the parent level's roll-up), and ``posts = posts_filled +
    posts_vacant`` in each row, so wherever one cell of such a sum is hidden another is
    hidden too, until no sum has a single hidden cell. A lone row equals its parent's count:
    the parent level's roll-up hides that as a small count too.

    Examples
    --------
    >>> import gridgov
    >>> frame = suppressed_rollup(gridgov.datasets.load("youyi"), "grid", k=5)
    >>> int(frame.get_column("party_members").min() or 0) >= 5
    True
    """
    import polars as pl

    frame = structure.rollup(level)
    counts = [c for c, t in frame.schema.items() if t.is_integer()]
    values = {c: frame.get_column(c).fill_null(0).to_list() for c in counts}
    hidden = {c: {i for i, v in enumerate(values[c]) if 0 < v < k} for c in counts}
    groups: dict[str | None, list[int]] = {}
    for i, area in enumerate(frame.get_column("id").to_list()):
        groups.setdefault(structure.parent(area), []).append(i)
    row_sums = [("posts", ("posts_filled", "posts_vacant"))] if "posts_vacant" in values else []
    changed = True
    while changed:
        changed = False
        for column in counts:
            for rows in groups.values():
                cells = [values[column][i] for i in rows]
                before = {j for j, i in enumerate(rows) if i in hidden[column]}
                after, _ = protect(cells, before, total=sum(cells), k=k)
                changed = changed or after != before
                hidden[column].update(rows[j] for j in after)
        for total, parts in row_sums:
            for i in range(frame.height):
                cells = [values[c][i] for c in parts]
                before = {j for j, c in enumerate(parts) if i in hidden[c]}
                after, hide = protect(
                    cells, before, total=values[total][i], k=k, total_hidden=i in hidden[total]
                )
                changed = changed or after != before or hide
                for j in after:
                    hidden[parts[j]].add(i)
                if hide:
                    hidden[total].add(i)
    index = pl.int_range(pl.len())
    return frame.with_columns(
        pl.when(index.is_in(sorted(hidden[c]))).then(None).otherwise(pl.col(c)).alias(c)
        for c in counts
    )


def protect(
    cells: Sequence[int],
    hidden: set[int],
    *,
    total: int | None,
    k: int,
    total_hidden: bool = False,
) -> tuple[set[int], bool]:
    """Complementary suppression of one sum: which parts to hide, and whether the total too.

    A sum ``total = cells[0] + cells[1] + … (+ a rest no cell explains)`` gives any one of its
    terms back when every other is printed: a hidden part by subtraction, a hidden total by
    addition. So wherever exactly one term is unknown, one more is hidden: the smallest
    non-zero printed part (a zero reveals no one), else the total.

    Parameters
    ----------
    cells
        The true values of the parts.
    hidden
        Indices of the parts already hidden.
    total
        The true total (``None`` when there is no total at all).
    k
        The threshold: a rest (``total - sum(cells)``, items directly under the total) from
        1 to ``k - 1`` is a small count nobody sees, so it is an unknown term of its own; a
        larger rest is taken as known (the strongest reader).
    total_hidden
        Whether the total is hidden.

    Returns
    -------
    (set of int, bool)
        The hidden indices (``hidden`` and those added) and whether the total must be hidden
        because no part is left to hide.
    """
    out = set(hidden)
    if total is None:
        return out, False
    rest = total - sum(cells)
    unknown = len(out) + (1 if 0 < rest < k else 0) + (1 if total_hidden else 0)
    if unknown != 1:
        return out, False
    shown = [i for i in range(len(cells)) if i not in out]
    if not shown:
        return out, not total_hidden
    positive = [i for i in shown if cells[i] > 0] or shown
    out.add(min(positive, key=lambda i: (cells[i], i)))
    return out, False


# -- graphs -------------------------------------------------------------------------------
_PERSON_ENTITIES = frozenset({"person"})
_PUBLIC_DROPS = frozenset({"person", "household"})


def redact_graph(graph: nx.Graph, privacy: Privacy) -> nx.Graph:
    """A copy of ``graph`` as ``privacy`` lets it leave (``graph`` is not changed).

    Person nodes are the nodes whose ``entity`` attribute is ``"person"``
    (:mod:`gridgov.graph`'s views). ``public`` removes person and household nodes;
    ``research`` renames person nodes to their pseudonyms and sets their label to it, and
    removes ``name``, ``phone`` and ``id_number`` attributes; ``internal`` removes
    ``phone`` and ``id_number`` attributes; ``full`` copies.
    """
    if privacy.level == "full":
        return graph.copy()
    if privacy.level == "public":
        gone = [n for n, d in graph.nodes(data=True) if d.get("entity") in _PUBLIC_DROPS]
        out = graph.copy()
        out.remove_nodes_from(gone)
        return out
    drops: Sequence[str] = ("id_number", "phone")
    if privacy.level == "research":
        drops = _PERSON_FIELDS_RESEARCH_DROPS
    out = graph.copy()
    for _, d in out.nodes(data=True):
        for name in drops:
            d.pop(name, None)
    if privacy.level == "research":
        import networkx as nx

        mapping = {
            n: privacy.pseudonym(str(n))
            for n, d in graph.nodes(data=True)
            if d.get("entity") in _PERSON_ENTITIES
        }
        for n, alias in mapping.items():
            out.nodes[n]["label"] = alias
            if "birth_year" in out.nodes[n]:
                out.nodes[n]["birth_year"] = coarsen_birth_year(out.nodes[n]["birth_year"])
        out = nx.relabel_nodes(out, mapping, copy=True)
    return out
