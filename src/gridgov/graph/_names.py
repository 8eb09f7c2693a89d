"""How nodes and relations are named in sentences and drawings (English and Chinese)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from typing import Any

from gridgov.graph._attrs import KIND, KIND_ZH, LABEL, Entity, Relation
from gridgov.org.vocab import AreaLevel, Lang, OrgKind

__all__ = ["describe", "join", "kind_names", "label", "plural", "relation_label", "who"]

_EXTRA_KINDS = {
    "party_member": ("party member", "党员"),
    "person": ("person", "人员"),
}


def label(attrs: Mapping[str, Any], node: Hashable) -> str:
    """The node's display text: its ``LABEL``, else its id."""
    return str(attrs.get(LABEL, node))


def kind_names(attrs: Mapping[str, Any]) -> tuple[str, str]:
    """English and Chinese name of the node's ``KIND`` (``("node", "节点")`` when unknown)."""
    kind = attrs.get(KIND)
    if not isinstance(kind, str) or not kind:
        return "node", "节点"
    for enum in (OrgKind, AreaLevel, Entity):
        try:
            member = enum(kind)
        except ValueError:
            continue
        return member.label_en, member.label_zh
    if kind in _EXTRA_KINDS:
        return _EXTRA_KINDS[kind]
    return kind.replace("_", " "), str(attrs.get(KIND_ZH, kind))


def plural(noun: str, count: int) -> str:
    """``noun`` in the plural when ``count != 1`` (English, regular forms)."""
    if count == 1:
        return noun
    head, _, tail = noun.rpartition(" ")
    word = tail or noun
    if word.endswith("y") and not word.endswith(("ay", "ey", "oy", "uy")):
        word = word[:-1] + "ies"
    elif word.endswith(("s", "x", "ch", "sh")):
        word += "es"
    else:
        word += "s"
    return f"{head} {word}" if head else word


def who(attrs: Mapping[str, Any], node: Hashable, lang: Lang) -> str:
    """``"community 光明社区"`` / ``"社区光明社区"``: kind and label of one node."""
    en, zh = kind_names(attrs)
    name = label(attrs, node)
    return f"{zh}{name}" if lang == "zh" else f"{en} {name}"


def describe(
    nodes: Mapping[Hashable, Mapping[str, Any]],
    part: Iterable[Hashable],
    lang: Lang,
    *,
    listed: int = 3,
    rank: Mapping[Hashable, float] | None = None,
) -> str:
    """A group of nodes in words: one node by kind and name; several by counts and names.

    ``nodes`` maps node to attributes (``G.nodes``); ``rank`` orders the names listed
    (highest first, e.g. degree), else node order.
    """
    members = list(part)
    if len(members) == 1:
        return who(nodes[members[0]], members[0], lang)
    if rank is not None:
        members.sort(key=lambda n: -rank.get(n, 0))
    counts: Counter[tuple[str, str]] = Counter(kind_names(nodes[n]) for n in members)
    names = [label(nodes[n], n) for n in members[:listed]]
    more = len(members) > listed
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    if lang == "zh":
        tally = "、".join(f"{c}个{zh}" for (_, zh), c in ordered)
        return f"{'、'.join(names)}{'等' if more else ''}（{tally}）"
    tally = ", ".join(f"{c} {plural(en, c)}" for (en, _), c in ordered)
    return f"the group of {tally} ({', '.join(names)}{', …' if more else ''})"


def _join_en(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def join(items: list[str], lang: Lang) -> str:
    """``"A, B and C"`` / ``"A、B与C"``."""
    if lang == "zh":
        return items[0] if len(items) == 1 else f"{'、'.join(items[:-1])}与{items[-1]}"
    return _join_en(items)


def relation_label(code: object, lang: Lang) -> str:
    """The label of a ``RELATION`` code in ``lang`` (the code itself when unknown)."""
    if not isinstance(code, str):
        return "" if code is None else str(code)
    try:
        return Relation(code).label(lang)
    except ValueError:
        return code
