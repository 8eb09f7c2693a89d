"""Workflow templates: service processes as data, a state machine per template, checked statically.

A *template* says how one kind of service case runs — 四单, 吹哨报到, a 12345 call, an
urban-management case — as a state machine a user can read and fork without touching code:

- **states**, each with bilingual labels, the role that owns it (who must act next) and whether
  the clock runs in it (a pause such as 延期 or 挂账 is a state whose clock is stopped; 恢复 is
  the transition out of it);
- **transitions**: an activity fired from one of several states into one target state, by one of
  the roles allowed;
- **deadlines** per transition, keyed by case kind and urgency (``"*"`` for any), as limit
  strings (``"2 working days"``, ``"8 working hours"``, ``"24 hours"``; see
  :class:`~gridgov.service.limits.Limit`), counted from an earlier activity (``since``);
- **end states** (no transition leaves one) and **milestones**: which activities file (立案),
  dispatch (派遣), close (结案), rework (返工), rate (评单 / 回访) or respond to (联系) a case —
  the rates of :mod:`gridgov.service.rates` count them.

Every value carries a ``source`` and a ``confidence`` (``verified``, ``secondary`` or
``assumed``), the convention of the locality profiles (:mod:`gridgov.org.profiles`).

One design rule keeps conformance vectorised (:mod:`gridgov.service.conformance`): **an activity
names its target state** — every transition of an activity leads to the same state — so the
state a case is in after an event is a function of that event alone. Together with the rest
of the static checks (:func:`check_template`) it is enforced when a template is loaded:

=============================  =============================================================
code                           problem
=============================  =============================================================
``invalid-field``              a field has the wrong type or shape (milestones ``filed`` and
                               ``closed`` must name at least one activity)
``unknown-state``              a transition, deadline or ``start`` names no declared state
``unknown-role``               a transition or state owner names no declared role
``unknown-activity``           a deadline or milestone names no activity of a transition
``unknown-kind``               a deadline keyed by an undeclared case kind (or urgency)
``unknown-variant``            a transition restricted to an undeclared variant
``no-end-state``               no state is marked ``end``
``unreachable-state``          a state the start state cannot reach
``cannot-end``                 a state from which no end state can be reached
``transition-from-end``        a transition leaving an end state
``ambiguous-activity``         one activity leading to two different states
``deadline-unowned``           a deadline on a transition out of a state nobody owns
``duplicate-deadline``         two deadlines for the same activity, kind and urgency
=============================  =============================================================

Examples
--------
>>> t = load_template("urban_case")
>>> t.label_zh, t.start, t.state("handling").label_zh
('数字化城市管理案件', 'new', '处置中')
>>> t.deadline("close", kind="event", urgency="normal").limit
'5 working days'
>>> template_names()
['four_lists', 'hotline_12345', 'urban_case', 'whistle']
"""

from __future__ import annotations

import difflib
import json
import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from gridgov.errors import Problem, TemplateError

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = [
    "ANY",
    "MILESTONES",
    "Deadline",
    "Labelled",
    "Milestones",
    "State",
    "Template",
    "Transition",
    "check_template",
    "load_template",
    "template_names",
]

#: Wildcard for a deadline's ``kind`` or ``urgency``.
ANY = "*"
#: Milestone names (:class:`Milestones`).
MILESTONES: tuple[str, ...] = (
    "filed",
    "dispatched",
    "responded",
    "closed",
    "reworked",
    "rated",
)

_PACKAGE = "gridgov.service.templates"
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_MAX_BYTES = 1_048_576

Confidence = Literal["verified", "secondary", "assumed"]


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, populate_by_name=True
    )


class Labelled(_Model):
    """Something with bilingual labels and a source: a role, a case kind or a variant."""

    label: str = Field(default="", description="English label.")
    label_zh: str = Field(default="", description="Chinese label.")
    source: str = Field(min_length=1, description="Where it comes from.")
    confidence: Confidence = Field(description="verified, secondary or assumed.")
    note: str = ""


class State(Labelled):
    """A state of a case: who owns it, whether the clock runs, whether it ends the case."""

    owner: str | None = Field(default=None, description="Role that must act next; None: nobody.")
    clock: bool = Field(default=True, description="False for pauses (延期, 挂账).")
    end: bool = Field(default=False, description="An end state: no transition leaves it.")


class Transition(Labelled):
    """An activity fired from one of ``from_`` into ``to`` by one of ``roles``."""

    activity: str = Field(description="Activity name as it appears in event logs.")
    from_: tuple[str, ...] = Field(alias="from", min_length=1, description="Source states.")
    to: str = Field(description="Target state.")
    roles: tuple[str, ...] = Field(min_length=1, description="Roles allowed to fire it.")
    variants: tuple[str, ...] = Field(
        default=(), description="Variants this transition belongs to; empty: all."
    )

    @field_validator("activity")
    @classmethod
    def _check_activity(cls, value: str) -> str:
        if not _NAME.match(value):
            raise ValueError("an activity is a snake_case name")
        return value


class Deadline(_Model):
    """The time allowed for ``activity``, counted from the last ``since`` event before it."""

    activity: str
    since: str
    kind: str = ANY
    urgency: str = ANY
    limit: str = Field(
        description="A time limit as gridgov.service.limits.Limit reads it: '2 working days', "
        "'8 working hours', '24 hours', '3 days', '5个工作日' …"
    )
    source: str = Field(min_length=1)
    confidence: Confidence
    note: str = ""

    @field_validator("limit")
    @classmethod
    def _check_limit(cls, value: str) -> str:
        from gridgov.service.limits import Limit

        Limit.parse(value)
        return value


class Milestones(_Model):
    """Which activities mark the events the rates count (each a tuple of activity names)."""

    filed: tuple[str, ...] = Field(min_length=1, description="立案: the case is filed.")
    dispatched: tuple[str, ...] = Field(default=(), description="派遣 / 派单.")
    responded: tuple[str, ...] = Field(default=(), description="响应: first contact, 签收.")
    closed: tuple[str, ...] = Field(min_length=1, description="结案 / 办结.")
    reworked: tuple[str, ...] = Field(default=(), description="返工 (a failed check).")
    rated: tuple[str, ...] = Field(default=(), description="评单 / 回访 with a rating.")


class Template(_Model):
    """A workflow template (see the module docstring); build one with :func:`load_template`."""

    name: str
    label: str = ""
    label_zh: str = ""
    description: str = ""
    source: str = Field(min_length=1)
    confidence: Confidence
    variant: str | None = Field(default=None, description="The variant this was restricted to.")
    start: str
    urgencies: tuple[str, ...] = ("normal", "urgent")
    kinds: dict[str, Labelled] = Field(min_length=1)
    roles: dict[str, Labelled] = Field(min_length=1)
    variants: dict[str, Labelled] = Field(default_factory=dict)
    states: dict[str, State] = Field(min_length=1)
    transitions: tuple[Transition, ...] = Field(min_length=1)
    deadlines: tuple[Deadline, ...] = ()
    milestones: Milestones

    @field_validator("name")
    @classmethod
    def _check_name(cls, value: str) -> str:
        if not re.fullmatch(r"[a-z][a-z0-9_]*(:[a-z][a-z0-9_]*)?", value):
            raise ValueError("a template name is snake_case")
        return value

    # -- reading ----------------------------------------------------------------------------
    def state(self, name: str) -> State:
        """The state ``name``; a :class:`~gridgov.errors.TemplateError` names the known ones."""
        found = self.states.get(name)
        if found is None:
            raise TemplateError(
                [Problem("unknown-state", f"template:{self.name}", _unknown(name, self.states))],
                template=self.name,
            )
        return found

    def activities(self) -> list[str]:
        """Activity names, sorted."""
        return sorted({t.activity for t in self.transitions})

    def end_states(self) -> list[str]:
        """Names of the end states, sorted."""
        return sorted(s for s, st in self.states.items() if st.end)

    def pause_states(self) -> list[str]:
        """Names of the states other than the start whose clock is stopped (延期, 挂账), sorted."""
        return sorted(s for s, st in self.states.items() if not st.clock and s != self.start)

    def target(self, activity: str) -> str:
        """The state ``activity`` leads to (one per activity; see the module docstring)."""
        for t in self.transitions:
            if t.activity == activity:
                return t.to
        raise TemplateError(
            [
                Problem(
                    "unknown-activity",
                    f"template:{self.name}",
                    _unknown(activity, self.activities()),
                )
            ],
            template=self.name,
        )

    def deadline(self, activity: str, *, kind: str, urgency: str) -> Deadline | None:
        """The deadline for ``activity`` in a case of ``kind`` and ``urgency``, if any.

        The most specific entry wins: kind and urgency both given, then kind only, then
        urgency only, then neither.
        """
        best: tuple[int, Deadline] | None = None
        for d in self.deadlines:
            if (
                d.activity != activity
                or d.kind not in (kind, ANY)
                or d.urgency not in (urgency, ANY)
            ):
                continue
            rank = (d.kind != ANY) * 2 + (d.urgency != ANY)
            if best is None or rank > best[0]:
                best = (rank, d)
        return None if best is None else best[1]

    def graph(self) -> nx.MultiDiGraph:
        """The template as a networkx multigraph: states are nodes, each edge one transition.

        Edge attributes: ``activity`` and ``roles``; node attributes are the state's fields.
        """
        import networkx as nx

        g = nx.MultiDiGraph(name=self.name)
        for name, st in self.states.items():
            g.add_node(name, **st.model_dump())
        for t in self.transitions:
            for f in t.from_:
                g.add_edge(f, t.to, key=t.activity, activity=t.activity, roles=t.roles)
        return g

    def restrict(self, variant: str) -> Template:
        """The template as one variant runs it: only that variant's transitions.

        States no longer reachable are dropped (with their deadlines); the result passes
        :func:`check_template` or raises.

        Examples
        --------
        >>> four = load_template("four_lists")
        >>> sorted(four.variants)
        ['huanan', 'youyi']
        >>> [t.roles for t in four.restrict("huanan").transitions if t.activity == "order"]
        [('community',)]
        """
        if variant not in self.variants:
            raise TemplateError(
                [
                    Problem(
                        "unknown-variant", f"template:{self.name}", _unknown(variant, self.variants)
                    )
                ],
                template=self.name,
            )
        kept = tuple(t for t in self.transitions if not t.variants or variant in t.variants)
        reach = {self.start}
        frontier = [self.start]
        while frontier:
            here = frontier.pop()
            for t in kept:
                if here in t.from_ and t.to not in reach:
                    reach.add(t.to)
                    frontier.append(t.to)
        kept = tuple(
            t.model_copy(update={"from_": tuple(f for f in t.from_ if f in reach)})
            for t in kept
            if any(f in reach for f in t.from_)
        )
        acts = {t.activity for t in kept}
        ms = {k: tuple(a for a in getattr(self.milestones, k) if a in acts) for k in MILESTONES}
        restricted = self.model_copy(
            update={
                "name": f"{self.name.split(':')[0]}:{variant}",
                "variant": variant,
                "states": {k: v for k, v in self.states.items() if k in reach},
                "transitions": kept,
                "deadlines": tuple(
                    d for d in self.deadlines if d.activity in acts and d.since in acts
                ),
                "milestones": Milestones.model_validate(ms)
                if ms["filed"] and ms["closed"]
                else self.milestones,
            }
        )
        check_template(restricted)
        return restricted


# -- static checks ------------------------------------------------------------------------------
def check_template(template: Template, *, roles: Iterable[str] | None = None) -> Template:
    """Check a template's graph; return it unchanged or raise listing every problem.

    Parameters
    ----------
    template
        The template.
    roles
        The roles a profile defines, if it should restrict them further; by default the
        template's own ``roles`` table is the list of known roles.

    Raises
    ------
    gridgov.errors.TemplateError
        With one :class:`~gridgov.errors.Problem` per problem (codes in the module docstring).

    Examples
    --------
    >>> t = load_template("whistle")
    >>> broken = t.model_copy(update={"start": "nowhere"})
    >>> check_template(broken)
    Traceback (most recent call last):
    ...
    gridgov.errors.TemplateError: template whistle: 1 problem(s):
      - template:whistle.start: [unknown-state] unknown state 'nowhere'; known: ...
    """
    checker = _Checker(template, roles)
    checker.references()
    checker.graph()
    checker.deadlines()
    if checker.problems:
        raise TemplateError(checker.problems, template=template.name)
    return template


class _Checker:
    """The static checks of :func:`check_template`, one method per group."""

    def __init__(self, template: Template, roles: Iterable[str] | None) -> None:
        self.t = template
        self.where = f"template:{template.name}"
        self.problems: list[Problem] = []
        self.roles = set(template.roles) if roles is None else set(roles) & set(template.roles)
        self.activities = {t.activity for t in template.transitions}

    def add(self, code: str, loc: str, message: str) -> None:
        self.problems.append(Problem(code, f"{self.where}.{loc}", message))

    def references(self) -> None:
        t, states = self.t, self.t.states
        if t.start not in states:
            self.add("unknown-state", "start", _unknown(t.start, states))
        for name, st in states.items():
            if st.owner is not None and st.owner not in self.roles:
                self.add(
                    "unknown-role", f"states.{name}.owner", _unknown(st.owner, self.roles, "role")
                )
        self.transitions()
        for m in MILESTONES:
            for a in getattr(t.milestones, m):
                if a not in self.activities:
                    self.add(
                        "unknown-activity",
                        f"milestones.{m}",
                        _unknown(a, self.activities, "activity"),
                    )

    def transitions(self) -> None:
        t, states = self.t, self.t.states
        targets: dict[str, set[str]] = {}
        for i, tr in enumerate(t.transitions):
            loc = f"transitions[{i}]({tr.activity})"
            for s in (*tr.from_, tr.to):
                if s not in states:
                    self.add("unknown-state", loc, _unknown(s, states))
            for r in tr.roles:
                if r not in self.roles:
                    self.add("unknown-role", loc, _unknown(r, self.roles, "role"))
            for v in tr.variants:
                if v not in t.variants:
                    self.add("unknown-variant", loc, _unknown(v, t.variants, "variant"))
            for f in tr.from_:
                if f in states and states[f].end:
                    self.add(
                        "transition-from-end",
                        loc,
                        f"activity {tr.activity!r} leaves end state {f!r}",
                    )
            targets.setdefault(tr.activity, set()).add(tr.to)
        for act, tos in sorted(targets.items()):
            if len(tos) > 1:
                self.add(
                    "ambiguous-activity",
                    f"activity:{act}",
                    f"activity {act!r} leads to {len(tos)} states ({', '.join(sorted(tos))}); "
                    "an activity must name one target state",
                )

    def graph(self) -> None:
        import networkx as nx

        t, states = self.t, self.t.states
        ends = [s for s, st in states.items() if st.end]
        if not ends:
            self.add("no-end-state", "states", "no state is marked end = true")
        g = t.graph()
        g.remove_nodes_from([n for n in list(g) if n not in states])
        if t.start in states:
            reach = nx.descendants(g, t.start) | {t.start}
            for s in states:
                if s not in reach:
                    self.add(
                        "unreachable-state",
                        f"states.{s}",
                        f"state {s!r} cannot be reached from {t.start!r}",
                    )
        if ends:
            can_end: set[str] = set()
            for e in ends:
                can_end |= nx.ancestors(g, e) | {e}
            for s in states:
                if s not in can_end:
                    self.add("cannot-end", f"states.{s}", f"no end state can be reached from {s!r}")

    def deadlines(self) -> None:
        t, states = self.t, self.t.states
        seen: set[tuple[str, str, str]] = set()
        for i, d in enumerate(t.deadlines):
            loc = f"deadlines[{i}]"
            for a in (d.activity, d.since):
                if a not in self.activities:
                    self.add("unknown-activity", loc, _unknown(a, self.activities, "activity"))
            if d.kind != ANY and d.kind not in t.kinds:
                self.add("unknown-kind", loc, _unknown(d.kind, t.kinds, "case kind"))
            if d.urgency != ANY and d.urgency not in t.urgencies:
                self.add("unknown-kind", loc, _unknown(d.urgency, t.urgencies, "urgency"))
            key = (d.activity, d.kind, d.urgency)
            if key in seen:
                self.add(
                    "duplicate-deadline",
                    loc,
                    f"a second deadline for {d.activity!r}, kind {d.kind!r}, urgency {d.urgency!r}",
                )
            seen.add(key)
            unowned = {
                f
                for tr in t.transitions
                if tr.activity == d.activity
                for f in tr.from_
                if f in states and states[f].owner is None
            }
            for f in sorted(unowned):
                self.add(
                    "deadline-unowned",
                    loc,
                    f"deadline on {d.activity!r} runs in state {f!r}, which nobody owns",
                )


def _unknown(name: str, known: Iterable[str], what: str = "state") -> str:
    choices = sorted(known)
    near = difflib.get_close_matches(name, choices, n=1)
    hint = f" (did you mean {near[0]!r}?)" if near else ""
    return f"unknown {what} {name!r}{hint}; known: {', '.join(choices) or '(none)'}"


# -- loading ------------------------------------------------------------------------------------
def template_names() -> list[str]:
    """Names of the templates shipped with gridgov, sorted.

    Examples
    --------
    >>> "urban_case" in template_names()
    True
    """
    root = resources.files(_PACKAGE)
    return sorted(
        e.name.removesuffix(".toml")
        for e in root.iterdir()
        if e.name.endswith(".toml") and e.is_file()
    )


TemplateRef = str | os.PathLike[str]


def load_template(source: TemplateRef | Template | Mapping[str, Any]) -> Template:
    """Load and check a workflow template: a shipped name, a file path, or a mapping.

    A name may carry a variant after a colon (``"four_lists:huanan"``, see
    :meth:`Template.restrict`). A string with a path separator or a ``.toml``/``.json``
    suffix is a path.

    Raises
    ------
    gridgov.errors.TemplateError
        For an unknown name (listing the shipped ones), an unreadable or malformed file (every
        field problem at once) or a template that fails :func:`check_template`.

    Examples
    --------
    >>> load_template("hotline_12345").milestones.responded
    ('contact',)
    >>> load_template("hotlin_12345")
    Traceback (most recent call last):
    ...
    gridgov.errors.TemplateError: template hotlin_12345: 1 problem(s):
      - template:hotlin_12345: [unknown-template] unknown template 'hotlin_12345' (did you mean \
'hotline_12345'?); known: four_lists, hotline_12345, urban_case, whistle
    """
    if isinstance(source, Template):
        return source
    if isinstance(source, Mapping):
        return _build(dict(source), "<mapping>")
    text = os.fspath(source)
    if isinstance(source, str) and re.fullmatch(r"[a-z][a-z0-9_]*(:[a-z][a-z0-9_]*)?", text):
        base, _, variant = text.partition(":")
        t = _shipped(base)
        return t.restrict(variant) if variant else t
    return _build(_read(Path(text)), text)


@cache
def _shipped(name: str) -> Template:
    entry = resources.files(_PACKAGE).joinpath(f"{name}.toml")
    if not entry.is_file():
        raise TemplateError(
            [
                Problem(
                    "unknown-template",
                    f"template:{name}",
                    _unknown(name, template_names(), "template"),
                )
            ],
            template=name,
        )
    return _build(tomllib.loads(entry.read_text(encoding="utf-8")), f"{name}.toml")


def _read(path: Path) -> dict[str, Any]:
    where = str(path)

    def fail(message: str) -> TemplateError:
        return TemplateError([Problem("unreadable", where, message)], template=path.stem)

    try:
        if path.stat().st_size > _MAX_BYTES:
            raise fail(f"larger than {_MAX_BYTES} bytes")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise fail("no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(f"cannot read: {exc}") from None
    try:
        data: object = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        raise fail(f"not valid {path.suffix.lstrip('.').upper() or 'TOML'}: {exc}") from None
    if not isinstance(data, dict):
        raise fail("a template must be a table of fields")
    return data


def _build(data: dict[str, Any], where: str) -> Template:
    name = str(data.get("name", Path(where).stem))
    try:
        template = Template.model_validate(data)
    except ValidationError as exc:
        raise TemplateError(
            [
                Problem("invalid-field", f"{where}:{'.'.join(map(str, e['loc']))}", e["msg"])
                for e in exc.errors()
            ],
            template=name,
        ) from None
    return check_template(template)
