"""Locality profiles: policy as data, every value with its source and a confidence.

A *profile* holds the numbers and switches one locality's policy fixes — the grid size band,
the code scheme, service-centre floor areas, mobilisation time limits — and selects and
parameterises the rules of :mod:`gridgov.org.rules`. Profiles are TOML (or YAML, or JSON)
files; the ones shipped with gridgov live in the ``gridgov.profiles`` package
(:func:`available_profiles`). Users fork a profile into their own file and load it by path;
they never patch code.

File layout::

    name = "youyi"
    label_zh = "友谊县"
    extends = "default"            # inherit every value and rule setting, then override
    description = "..."

    [values."grid.households"]
    value = [200, 300]
    source = "seed report, 友谊县: 以200—300户为单位，统一划分网格76个"
    confidence = "verified"       # verified | secondary | assumed
    note = "optional remark"

    [rules.building_head_per_building]
    enabled = true                 # default true
    severity = "warning"           # optional override of the rule's default
    params = {}                    # optional, overrides values bound to the rule's parameters

Confidence says how a value is known:

``verified``
    stated in the cited source, in those words or figures;
``secondary``
    read from a secondary source, or inferred from a cited source (e.g. "one per grid" from
    "76 party groups for 76 grids");
``assumed``
    no consulted source states it; chosen as plausible and open to correction.

``extends`` names a shipped profile or, in a user file, a path relative to that file. Values
are inherited key by key; a rule setting is inherited field by field (``params`` key by
key). A cycle of ``extends`` is a :class:`~gridgov.errors.ProfileError`.

Examples
--------
>>> youyi = load_profile("youyi")
>>> youyi.get("grid.households"), youyi.sourced("grid.households").confidence
([200, 300], 'verified')
>>> [d.key for d in youyi.diff(load_profile("default")) if d.key.startswith("grid.")]
['grid.coded', 'grid.full_time_workers', 'grid.households', 'grid.party_groups']
>>> load_profile("yuoyi")
Traceback (most recent call last):
...
gridgov.errors.UnknownProfileError: unknown profile 'yuoyi' (did you mean 'youyi'?); \
shipped profiles: bozhou, default, huanan, youyi; or give the path of a .toml, .yaml, .yml \
or .json file
"""

from __future__ import annotations

import difflib
import functools
import json
import os
import re
import tomllib
from collections.abc import Collection, Mapping
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    JsonValue,
    PrivateAttr,
    ValidationError,
    field_validator,
)

from gridgov.errors import Problem, ProfileError, UnknownProfileError, missing_extra

__all__ = [
    "CONFIDENCE_LEVELS",
    "MAX_PROFILE_BYTES",
    "PROFILE_SUFFIXES",
    "Confidence",
    "Profile",
    "ProfileDifference",
    "RuleSetting",
    "Severity",
    "SourcedValue",
    "available_profiles",
    "load_profile",
]

#: How a value is known (see the module docstring).
Confidence = Literal["verified", "secondary", "assumed"]
CONFIDENCE_LEVELS: tuple[str, ...] = ("verified", "secondary", "assumed")

#: How serious a finding is; also the order findings sort in.
Severity = Literal["error", "warning", "info"]

#: File suffixes :func:`load_profile` reads.
PROFILE_SUFFIXES: tuple[str, ...] = (".toml", ".yaml", ".yml", ".json")

#: Profile files larger than this are refused (a profile is a page of settings, not data).
MAX_PROFILE_BYTES = 1_048_576

_PACKAGE = "gridgov.profiles"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_SHIPPED_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_KEY = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")
_RULE_ID = re.compile(r"^[a-z][a-z0-9_]*$")


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class SourcedValue(_Frozen):
    """One policy value with where it comes from and how sure we are of it.

    Examples
    --------
    >>> SourcedValue(value=10, source="seed report, 友谊县: 10分钟内覆盖全部群众",
    ...              confidence="verified").value
    10
    """

    value: JsonValue = Field(description="The value: a number, string, bool, list or table.")
    source: str = Field(min_length=1, description="Where the value comes from.")
    confidence: Confidence = Field(description="verified, secondary or assumed.")
    note: str = Field(default="", description="Any remark: caveats, derivation, alternatives.")


class RuleSetting(_Frozen):
    """Whether a profile runs a rule, at what severity, with which parameter overrides."""

    enabled: bool = True
    severity: Severity | None = Field(default=None, description="Overrides the rule's default.")
    params: dict[str, JsonValue] = Field(
        default_factory=dict, description="Parameter values; override values bound by the rule."
    )


class ProfileDifference(_Frozen):
    """One key on which two profiles differ (:meth:`Profile.diff`).

    ``kind`` is ``"value"`` for a policy value and ``"rule"`` for a rule setting (``value`` is
    then the setting as a dict). A side that does not have the key has ``source = None`` and
    ``value = None``; rule settings have no source (``""``).
    """

    key: str
    kind: Literal["value", "rule"]
    value: JsonValue = None
    other_value: JsonValue = None
    source: str | None = None
    other_source: str | None = None
    confidence: Confidence | None = None
    other_confidence: Confidence | None = None


class Profile(_Frozen):
    """A locality profile: sourced policy values and the rules they drive.

    Build one with :func:`load_profile`, which also resolves ``extends``; a ``Profile``
    constructed directly is taken as already resolved.

    Parameters
    ----------
    name
        Short name (``"youyi"``); letters, digits, ``_``, ``.`` and ``-``.
    label_zh
        Chinese name of the locality or practice (``"友谊县"``).
    description
        One paragraph saying what the profile stands for.
    extends
        The profile this one was derived from (already merged in).
    values
        Policy values by dotted key (``"grid.households"``).
    rules
        Rule settings by rule id; a rule runs when its setting is enabled.
    """

    name: str
    label_zh: str = ""
    description: str = ""
    extends: str | None = None
    values: dict[str, SourcedValue] = Field(default_factory=dict)
    rules: dict[str, RuleSetting] = Field(default_factory=dict)

    _origin: str = PrivateAttr(default="")

    @field_validator("name")
    @classmethod
    def _check_name(cls, name: str) -> str:
        if not _NAME.match(name):
            raise ValueError("must be 1-64 letters, digits, '_', '.' or '-', starting alphanumeric")
        return name

    @field_validator("values")
    @classmethod
    def _check_keys(cls, values: dict[str, SourcedValue]) -> dict[str, SourcedValue]:
        bad = [k for k in values if not _KEY.match(k)]
        if bad:
            raise ValueError(
                f"bad key(s) {', '.join(map(repr, bad))}: use dotted lower-case words "
                "such as 'grid.households'"
            )
        return values

    @field_validator("rules")
    @classmethod
    def _check_rule_ids(cls, rules: dict[str, RuleSetting]) -> dict[str, RuleSetting]:
        bad = [k for k in rules if not _RULE_ID.match(k)]
        if bad:
            raise ValueError(f"bad rule id(s) {', '.join(map(repr, bad))}: use snake_case")
        return rules

    # -- reading ----------------------------------------------------------------------------
    @property
    def origin(self) -> str:
        """Where the profile was loaded from (``"shipped:youyi"``, a file path, or ``""``)."""
        return self._origin

    def keys(self) -> list[str]:
        """The value keys, sorted."""
        return sorted(self.values)

    def has(self, key: str) -> bool:
        """Whether the profile has a value for ``key``."""
        return key in self.values

    def sourced(self, key: str) -> SourcedValue:
        """The value of ``key`` with its source, confidence and note.

        Raises
        ------
        gridgov.errors.ProfileError
            If the profile has no such key; the message lists the known keys.
        """
        found = self.values.get(key)
        if found is None:
            near = difflib.get_close_matches(key, self.values, n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            raise ProfileError(
                f"profile {self.name!r} has no value {key!r}{hint}; "
                f"known keys: {', '.join(self.keys()) or '(none)'}"
            )
        return found

    def get(self, key: str) -> JsonValue:
        """The value of ``key`` (see :meth:`sourced` for its source).

        Examples
        --------
        >>> load_profile("huanan").get("service_centre.min_floor_area_m2")
        300
        """
        return self.sourced(key).value

    def enabled_rules(self) -> list[str]:
        """Ids of the rules this profile runs, sorted."""
        return sorted(r for r, s in self.rules.items() if s.enabled)

    def setting(self, rule_id: str) -> RuleSetting:
        """The setting of ``rule_id`` (a disabled default setting if the profile has none)."""
        return self.rules.get(rule_id) or RuleSetting(enabled=False)

    # -- comparing --------------------------------------------------------------------------
    def diff(self, other: Profile, *, rules: bool = True) -> list[ProfileDifference]:
        """Keys whose values (and, with ``rules``, rule settings) differ from ``other``'s.

        Values differ when the value, the source or the confidence differs. Values come first,
        then rules, each sorted by key.

        Examples
        --------
        >>> d = load_profile("youyi").diff(load_profile("default"))
        >>> band = next(x for x in d if x.key == "grid.households")
        >>> band.value, band.other_value
        ([200, 300], [300, 500])
        """
        out: list[ProfileDifference] = []
        for key in sorted(self.values.keys() | other.values.keys()):
            a, b = self.values.get(key), other.values.get(key)
            if a == b:
                continue
            out.append(
                ProfileDifference(
                    key=key,
                    kind="value",
                    value=a.value if a else None,
                    other_value=b.value if b else None,
                    source=a.source if a else None,
                    other_source=b.source if b else None,
                    confidence=a.confidence if a else None,
                    other_confidence=b.confidence if b else None,
                )
            )
        if rules:
            for rid in sorted(self.rules.keys() | other.rules.keys()):
                ra, rb = self.rules.get(rid), other.rules.get(rid)
                if ra == rb:
                    continue
                out.append(
                    ProfileDifference(
                        key=rid,
                        kind="rule",
                        value=ra.model_dump() if ra else None,
                        other_value=rb.model_dump() if rb else None,
                        source="" if ra else None,
                        other_source="" if rb else None,
                    )
                )
        return out


# -- loading ------------------------------------------------------------------------------------
def available_profiles() -> list[str]:
    """Names of the profiles shipped with gridgov, sorted.

    Examples
    --------
    >>> available_profiles()
    ['bozhou', 'default', 'huanan', 'youyi']
    """
    root = resources.files(_PACKAGE)
    return sorted(
        entry.name.removesuffix(".toml")
        for entry in root.iterdir()
        if entry.name.endswith(".toml") and entry.is_file()
    )


ProfileRef = str | os.PathLike[str]


def load_profile(source: ProfileRef | Profile | Mapping[str, Any]) -> Profile:
    """Load a profile: a shipped name, the path of a user's file, or a mapping.

    ``extends`` is resolved: the parent's values and rule settings are merged in, the
    child's winning. A string without a path separator or a profile suffix is a shipped
    name; anything else is a path (TOML, YAML via ``yaml.safe_load``, or JSON). A mapping is
    read as the contents of a file, its ``extends`` resolved against the current directory.

    Parameters
    ----------
    source
        ``"youyi"``, ``"./my_county.toml"``, a :class:`~pathlib.Path`, a mapping, or a
        :class:`Profile` (returned unchanged).

    Returns
    -------
    Profile

    Raises
    ------
    gridgov.errors.UnknownProfileError
        For a name that is not shipped, or a path that does not exist; the message lists the
        shipped names.
    gridgov.errors.ProfileError
        For a malformed file (the message names the file and the field), a file that is too
        large, or a cycle of ``extends``.
    gridgov.errors.MissingExtraError
        For a YAML file when PyYAML is not installed.

    Examples
    --------
    >>> p = load_profile({"name": "mine", "extends": "youyi", "values": {"grid.households": {
    ...     "value": [150, 250], "source": "our county's 2024 plan", "confidence": "verified"}}})
    >>> p.get("grid.households"), p.get("mobilisation.instruction_reach_minutes")
    ([150, 250], 10)
    """
    if isinstance(source, Profile):
        return source
    if isinstance(source, Mapping):
        return _resolve(dict(source), "<mapping>", Path.cwd(), ())
    return _load_ref(source, Path.cwd(), ())


def _is_path(ref: ProfileRef) -> bool:
    if not isinstance(ref, str):
        return True
    return not _SHIPPED_NAME.match(ref)


def _load_ref(ref: ProfileRef, base: Path | None, chain: tuple[str, ...]) -> Profile:
    if _is_path(ref):
        if base is None:
            raise ProfileError(
                f"shipped profile {chain[-1] if chain else '?'} extends a path ({ref!s}); "
                "shipped profiles may only extend shipped profiles"
            )
        path = Path(os.fspath(ref))
        if not path.is_absolute():
            path = base / path
        identity = str(path.resolve())
        _check_cycle(identity, chain)
        data = _read_file(path)
        return _resolve(data, str(path), path.parent, (*chain, identity))
    name = str(ref)
    identity = f"shipped:{name}"
    _check_cycle(identity, chain)
    data = _read_shipped(name)
    return _resolve(data, identity, None, (*chain, identity))


def _check_cycle(identity: str, chain: tuple[str, ...]) -> None:
    if identity in chain:
        loop = " → ".join((*chain[chain.index(identity) :], identity))
        raise ProfileError(f"profiles extend each other in a cycle: {loop}")


def _unknown(name: str) -> UnknownProfileError:
    shipped = available_profiles()
    near = difflib.get_close_matches(name, shipped, n=1)
    hint = f" (did you mean {near[0]!r}?)" if near else ""
    return UnknownProfileError(
        f"unknown profile {name!r}{hint}; shipped profiles: {', '.join(shipped)}; "
        f"or give the path of a .toml, .yaml, .yml or .json file"
    )


def _read_shipped(name: str) -> dict[str, Any]:
    entry = resources.files(_PACKAGE).joinpath(f"{name}.toml")
    if not entry.is_file():
        raise _unknown(name)
    where = f"shipped profile {name}.toml"
    try:
        return tomllib.loads(entry.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:  # pragma: no cover - shipped files are tested
        raise ProfileError(f"{where}: not valid TOML: {exc}") from None


def _read_file(path: Path) -> dict[str, Any]:
    suffix = path.suffix.lower()
    if suffix not in PROFILE_SUFFIXES:
        raise ProfileError(
            f"{path}: cannot read a profile from a {suffix or 'suffix-less'} file; "
            f"use one of {', '.join(PROFILE_SUFFIXES)}"
        )
    try:
        size = path.stat().st_size
        if size > MAX_PROFILE_BYTES:
            raise ProfileError(
                f"{path}: {size} bytes is too large for a profile (limit {MAX_PROFILE_BYTES})"
            )
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise _unknown(str(path)) from None
    except UnicodeDecodeError as exc:
        raise ProfileError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise ProfileError(f"{path}: cannot read: {exc.strerror or exc}") from None
    data: object
    if suffix == ".toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ProfileError(f"{path}: not valid TOML: {exc}") from None
    elif suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ProfileError(f"{path}: not valid JSON: {exc}") from None
    else:
        data = _read_yaml(text, path)
    if not isinstance(data, dict):
        raise ProfileError(f"{path}: a profile must be a table of fields, not {_kind(data)}")
    return data


def _read_yaml(text: str, path: Path) -> object:
    try:
        import yaml
    except ImportError:
        raise missing_extra("yaml", "io", "YAML profiles") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ProfileError(f"{path}: not valid (safe) YAML: {exc}") from None


def _kind(data: object) -> str:
    return "nothing" if data is None else f"a {type(data).__name__}"


def _resolve(
    data: dict[str, Any], where: str, base: Path | None, chain: tuple[str, ...]
) -> Profile:
    """Validate one file's contents, then merge its parent (if any) under it."""
    own = _validate(data, where)
    if own.extends is None:
        profile = own
    else:
        parent = _load_ref(own.extends, base, chain or (where,))
        profile = _merge(parent, own, data, where)
    profile._origin = where
    return profile


def _validate(data: dict[str, Any], where: str) -> Profile:
    """Validate one file's contents; every problem (unknown keys first) in one error."""
    problems = _unknown_keys(data)
    try:
        profile = Profile.model_validate(data)
    except ValidationError as exc:
        problems += [
            Problem(err["type"].replace("_", "-"), _loc(err["loc"]), err["msg"])
            for err in exc.errors(include_url=False, include_input=False)
            if err["type"] != "extra_forbidden"  # reported above, with a suggestion
        ]
    if problems:
        lines = [f"  - {p.location}: [{p.code}] {p.message}" for p in problems]
        raise ProfileError(
            f"{where}: invalid profile, {len(lines)} problem(s):\n" + "\n".join(lines),
            problems=problems,
        )
    return profile


def _unknown_key(key: str, known: Collection[str], where: tuple[str, ...]) -> Problem:
    near = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.6)
    hint = f" (did you mean {near[0]!r}?)" if near else ""
    return Problem("unknown-key", _loc((*where, key)), f"unknown key {key!r}{hint}")


@functools.cache
def _value_catalogue() -> frozenset[str]:
    """Every value key a shipped profile sets."""
    keys: set[str] = set()
    for name in available_profiles():
        values = _read_shipped(name).get("values", {})
        keys |= set(values) if isinstance(values, dict) else set()
    return frozenset(keys)


def _unknown_keys(data: Mapping[str, Any]) -> list[Problem]:
    """Keys that are not fields, value keys, rule ids or rule parameters, at every level.

    Value keys are those the shipped profiles set and those registered rules read; rule ids
    and their parameters are those of the registered rules (:mod:`gridgov.org.rules`).
    """
    from gridgov.org import rules as rule_registry  # rules import this module: a late import

    out = [_unknown_key(k, Profile.model_fields, ()) for k in data if k not in Profile.model_fields]
    registered = {rid: rule_registry.get_rule(rid) for rid in rule_registry.available_rules()}
    bound = {key for r in registered.values() for key in getattr(r, "profile_keys", {}).values()}
    known_values = _value_catalogue() | bound
    values = data.get("values")
    for key, entry in values.items() if isinstance(values, Mapping) else ():
        if key not in known_values:
            out.append(_unknown_key(str(key), known_values, ("values",)))
        if isinstance(entry, Mapping):
            fields = SourcedValue.model_fields
            out += [_unknown_key(str(f), fields, ("values", key)) for f in entry if f not in fields]
    rules = data.get("rules")
    for rid, setting in rules.items() if isinstance(rules, Mapping) else ():
        found = registered.get(rid)
        if found is None:
            out.append(_unknown_key(str(rid), registered, ("rules",)))
        if not isinstance(setting, Mapping):
            continue
        fields = RuleSetting.model_fields
        out += [_unknown_key(str(f), fields, ("rules", rid)) for f in setting if f not in fields]
        params, model = setting.get("params"), getattr(found, "params", None)
        if isinstance(params, Mapping) and model is not None:
            names = model.model_fields
            out += [
                _unknown_key(str(p), names, ("rules", rid, "params"))
                for p in params
                if p not in names
            ]
    return out


def _loc(loc: tuple[int | str, ...]) -> str:
    """``('values', 'grid.households', 'source')`` → ``values."grid.households".source``."""
    parts: list[str] = []
    for item in loc:
        text = str(item)
        parts.append(text if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", text) else json.dumps(text))
    return ".".join(parts) or "(top level)"


def _merge(parent: Profile, child: Profile, raw: dict[str, Any], where: str) -> Profile:
    rules = dict(parent.rules)
    for rid, setting in child.rules.items():
        base = rules.get(rid)
        if base is None:
            rules[rid] = setting
            continue
        update = {f: getattr(setting, f) for f in setting.model_fields_set}
        if "params" in update:
            update["params"] = {**base.params, **setting.params}
        rules[rid] = base.model_copy(update=update)
    merged = {
        "name": child.name,
        "label_zh": child.label_zh if "label_zh" in raw else parent.label_zh,
        "description": child.description if "description" in raw else parent.description,
        "extends": child.extends,
        "values": {**parent.values, **child.values},
        "rules": rules,
    }
    try:
        return Profile.model_validate(merged)
    except ValidationError as exc:  # pragma: no cover - both halves were validated
        raise ProfileError(f"{where}: cannot merge with its parent: {exc}") from None
