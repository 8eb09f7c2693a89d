"""Scorer protocol, registry, entry-point plug-ins and the ``@scorer`` decorator.

Where scorers come from, in order of precedence:

1. the built-ins (registered directly, so they work even with stale package metadata);
2. :func:`register_scorer` calls in this process;
3. entry points of the group ``gridgov.scorers`` in installed distributions, read once and
   loaded on the first :func:`get_scorer` or :func:`available_scorers` call, then cached.
   A plug-in that fails to import or breaks the :class:`Scorer` protocol emits a
   :class:`PluginWarning` and is skipped. Setting the environment variable
   ``GRIDGOV_DISABLE_PLUGINS`` to any non-empty value other than ``"0"`` (before that first
   call) skips third-party entry points altogether.
"""

from __future__ import annotations

import difflib
import importlib
import importlib.metadata
import inspect
import os
import re
import threading
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Protocol, cast, runtime_checkable

import numpy as np

from gridgov.errors import PluginError, ScoringError, UnknownScorerError
from gridgov.scoring._result import ScoreResult
from gridgov.scoring._table import CriteriaTable, ScoringWarning, warn

__all__ = [
    "ENTRY_POINT_GROUP",
    "FunctionScorer",
    "PluginWarning",
    "Scorer",
    "available_scorers",
    "get_scorer",
    "register_scorer",
    "scorer",
    "unregister_scorer",
]

ENTRY_POINT_GROUP = "gridgov.scorers"
DISABLE_ENV = "GRIDGOV_DISABLE_PLUGINS"

_BUILTINS: dict[str, tuple[str, str]] = {
    "aras": ("gridgov.scoring.methods", "Aras"),
    "cocoso": ("gridgov.scoring.methods", "Cocoso"),
    "codas": ("gridgov.scoring.methods", "Codas"),
    "comet": ("gridgov.scoring.methods", "Comet"),
    "copras": ("gridgov.scoring.methods", "Copras"),
    "edas": ("gridgov.scoring.methods", "Edas"),
    "electre_i": ("gridgov.scoring.methods", "ElectreI"),
    "electre_iii": ("gridgov.scoring.methods", "ElectreIII"),
    "grey_relational": ("gridgov.scoring.methods", "GreyRelational"),
    "mabac": ("gridgov.scoring.methods", "Mabac"),
    "marcos": ("gridgov.scoring.methods", "Marcos"),
    "moora": ("gridgov.scoring.methods", "Moora"),
    "multimoora": ("gridgov.scoring.methods", "Multimoora"),
    "promethee_ii": ("gridgov.scoring.methods", "PrometheeII"),
    "spotis": ("gridgov.scoring.methods", "Spotis"),
    "todim": ("gridgov.scoring.methods", "Todim"),
    "topsis": ("gridgov.scoring.methods", "Topsis"),
    "vikor": ("gridgov.scoring.methods", "Vikor"),
    "waspas": ("gridgov.scoring.methods", "Waspas"),
    "weighted_product": ("gridgov.scoring.methods", "WeightedProduct"),
    "weighted_sum": ("gridgov.scoring.methods", "WeightedSum"),
}
_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")


class PluginWarning(ScoringWarning):
    """A scorer plug-in that could not be loaded or broke the protocol; it was skipped."""


@runtime_checkable
class Scorer(Protocol):
    """What every scorer provides.

    Attributes
    ----------
    name : str
        Registered name (``"topsis"``).
    higher_is_better : bool
        Direction of the scores it returns.

    Examples
    --------
    >>> from gridgov.scoring import Scorer, Topsis
    >>> isinstance(Topsis(), Scorer)
    True
    """

    name: str
    higher_is_better: bool

    def score(self, table: CriteriaTable) -> ScoreResult:
        """Score every alternative of ``table``."""
        ...  # pragma: no cover - protocol


ScorerFactory = Callable[..., Scorer]


class _Registry:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.registered: dict[str, ScorerFactory] = {}
        self.plugins: dict[str, ScorerFactory] = {}
        self.plugins_loaded = False


_state = _Registry()


def _plugins_disabled() -> bool:
    value = os.environ.get(DISABLE_ENV, "")
    return value not in ("", "0")


def _check_factory(name: str, obj: object) -> ScorerFactory:
    """Check ``obj`` against the protocol as far as possible without instantiating it."""
    if not isinstance(name, str) or not _NAME_RE.match(name):
        raise PluginError(
            f"scorer name {name!r} must be lower-case letters, digits and underscores, "
            "starting with a letter"
        )
    if isinstance(obj, type):
        annotations: dict[str, Any] = {}
        for klass in reversed(obj.__mro__):
            annotations.update(getattr(klass, "__annotations__", {}))
        missing = [
            attribute
            for attribute in ("name", "higher_is_better")
            if not hasattr(obj, attribute) and attribute not in annotations
        ]
        if not callable(getattr(obj, "score", None)):
            missing.append("score(table)")
        if missing:
            raise PluginError(
                f"scorer {name!r}: class {obj.__qualname__} does not follow the Scorer "
                f"protocol; missing {', '.join(missing)}"
            )
        if hasattr(obj, "higher_is_better") and not isinstance(obj.higher_is_better, bool):
            raise PluginError(f"scorer {name!r}: higher_is_better must be a bool")
        if hasattr(obj, "name") and not isinstance(obj.name, str):
            raise PluginError(f"scorer {name!r}: name must be a str")
        return obj
    if callable(obj):
        return obj  # a factory: checked on instantiation
    raise PluginError(
        f"scorer {name!r}: expected a class or a factory callable, got {type(obj).__name__}"
    )


def _load_plugins() -> None:
    with _state.lock:
        if _state.plugins_loaded:
            return
        _state.plugins_loaded = True
        if _plugins_disabled():
            return
        for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
            target = _BUILTINS.get(ep.name)
            if target is not None and ep.value.replace(" ", "") == ":".join(target):
                continue  # our own declaration of a built-in
            if ep.name in _BUILTINS or ep.name in _state.plugins:
                warn(
                    f"scorer plug-in {ep.name!r} ({ep.value}) is skipped: the name is "
                    "already taken",
                    PluginWarning,
                )
                continue
            try:
                loaded = ep.load()
                _state.plugins[ep.name] = _check_factory(ep.name, loaded)
            except Exception as exc:  # any failure of third-party code: warn and skip
                warn(
                    f"scorer plug-in {ep.name!r} ({ep.value}) is skipped: "
                    f"{type(exc).__name__}: {exc}",
                    PluginWarning,
                )


def _builtin(name: str) -> ScorerFactory:
    module, attribute = _BUILTINS[name]
    factory: ScorerFactory = getattr(importlib.import_module(module), attribute)
    return factory


def available_scorers() -> list[str]:
    """Return the sorted names of every usable scorer.

    Returns
    -------
    list of str
        Built-ins, in-process registrations and loaded plug-ins.

    Examples
    --------
    >>> from gridgov.scoring import available_scorers
    >>> {"grey_relational", "promethee_ii", "topsis", "vikor", "weighted_sum"}.issubset(
    ...     available_scorers())
    True
    """
    _load_plugins()
    with _state.lock:
        return sorted({*_BUILTINS, *_state.registered, *_state.plugins})


def _factory(name: str) -> ScorerFactory:
    _load_plugins()
    with _state.lock:
        if name in _BUILTINS:
            return _builtin(name)
        if name in _state.registered:
            return _state.registered[name]
        if name in _state.plugins:
            return _state.plugins[name]
    names = available_scorers()
    close = difflib.get_close_matches(str(name), names, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise UnknownScorerError(f"unknown scorer {name!r}; available: {', '.join(names)}{hint}")


def get_scorer(name: str, **params: Any) -> Scorer:
    """Return a new scorer instance by registered name.

    Parameters
    ----------
    name : str
        A name from :func:`available_scorers`.
    **params
        Keyword parameters of the scorer (``normalisation=``, ``v=``, ``rho=``,
        ``preference=`` …).

    Returns
    -------
    Scorer

    Raises
    ------
    gridgov.errors.UnknownScorerError
        For an unknown name; the message lists the available names and the closest one.
    gridgov.errors.PluginError
        If the factory returns something that breaks the :class:`Scorer` protocol.

    Examples
    --------
    >>> from gridgov.scoring import get_scorer
    >>> get_scorer("vikor", v=0.4)
    Vikor(v=0.4)
    >>> try:
    ...     get_scorer("topsys")
    ... except LookupError as err:
    ...     print(err)
    unknown scorer 'topsys'; available: aras, ...; did you mean 'topsis'?
    """
    instance = _factory(name)(**params)
    if not isinstance(instance, Scorer):
        raise PluginError(
            f"scorer {name!r}: its factory returned {type(instance).__name__}, which lacks "
            "name, higher_is_better or score(table)"
        )
    if not isinstance(instance.name, str) or not isinstance(instance.higher_is_better, bool):
        raise PluginError(
            f"scorer {name!r}: name must be a str and higher_is_better a bool, got "
            f"{instance.name!r} and {instance.higher_is_better!r}"
        )
    return instance


def register_scorer(name: str, cls_or_factory: object, *, replace: bool = False) -> None:
    """Register a scorer class or factory under ``name`` for this process.

    Parameters
    ----------
    name : str
        Lower-case identifier (letters, digits, underscores).
    cls_or_factory : type or callable
        A class following :class:`Scorer` (checked now) or a callable returning one (checked
        by :func:`get_scorer`).
    replace : bool, default False
        Allow replacing an earlier in-process registration. Built-in names cannot be replaced.

    Raises
    ------
    gridgov.errors.PluginError
        If the class breaks the protocol, the name is invalid or already taken.

    Examples
    --------
    >>> from gridgov.scoring import Topsis, get_scorer, register_scorer, unregister_scorer
    >>> register_scorer("topsis_minmax", lambda: Topsis(normalisation="minmax"))
    >>> get_scorer("topsis_minmax")
    Topsis(normalisation='minmax')
    >>> unregister_scorer("topsis_minmax")
    """
    factory = _check_factory(name, cls_or_factory)
    with _state.lock:
        if name in _BUILTINS:
            raise PluginError(f"scorer name {name!r} is a built-in and cannot be replaced")
        if name in _state.registered and not replace:
            raise PluginError(
                f"scorer {name!r} is already registered; pass replace=True to replace it"
            )
        _state.registered[name] = factory


def unregister_scorer(name: str) -> None:
    """Remove an in-process registration made with :func:`register_scorer`.

    Parameters
    ----------
    name : str
        A registered name.

    Raises
    ------
    gridgov.errors.UnknownScorerError
        If ``name`` was not registered in this process.
    """
    with _state.lock:
        if name not in _state.registered:
            raise UnknownScorerError(
                f"scorer {name!r} was not registered with register_scorer; registered: "
                f"{', '.join(sorted(_state.registered)) or 'none'}"
            )
        del _state.registered[name]


def _reset_registry() -> None:
    """Forget registrations and plug-ins (for tests); entry points are read again next time."""
    with _state.lock:
        _state.registered.clear()
        _state.plugins.clear()
        _state.plugins_loaded = False


class FunctionScorer:
    """Base of the scorer classes made by :func:`scorer` from a plain function.

    Parameters
    ----------
    **params
        Keyword parameters passed to the function; names are checked against its signature
        and defaults are recorded in ``result.params``.
    """

    name: str = "function"
    higher_is_better: bool = True
    function: ClassVar[Callable[..., Any]]
    defaults: ClassVar[Mapping[str, Any]] = {}

    def __init__(self, **params: Any) -> None:
        unknown = sorted(set(params) - set(self.defaults))
        if unknown:
            valid = ", ".join(sorted(self.defaults)) or "none"
            raise TypeError(
                f"scorer {self.name!r} got unknown parameter(s) {unknown}; valid: {valid}"
            )
        missing = sorted(k for k, v in self.defaults.items() if v is _REQUIRED and k not in params)
        if missing:
            raise TypeError(f"scorer {self.name!r} needs parameter(s) {missing}")
        self._params = {**self.defaults, **params}

    @property
    def params(self) -> dict[str, Any]:
        """Parameters passed to the function (defaults included)."""
        return dict(self._params)

    def score(self, table: CriteriaTable) -> ScoreResult:
        """Call the function on ``table``'s arrays and wrap its scores.

        Parameters
        ----------
        table : CriteriaTable
            The decision matrix.

        Returns
        -------
        ScoreResult

        Raises
        ------
        gridgov.errors.PluginError
            If the function returns scores of the wrong shape or non-finite scores.
        """
        output = type(self).function(table.values, table.weights, table.is_benefit, **self._params)
        details: Mapping[str, Any] = {}
        if isinstance(output, tuple) and len(output) == 2 and isinstance(output[1], Mapping):
            output, details = output
        try:
            return ScoreResult(
                method=self.name,
                scores=np.asarray(output, dtype=np.float64),
                higher_is_better=self.higher_is_better,
                table=table,
                params=self._params,
                details={k: np.asarray(v) for k, v in details.items()},
            )
        except (ScoringError, TypeError, ValueError) as exc:
            raise PluginError(f"scorer {self.name!r} returned an invalid result: {exc}") from exc

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in self._params.items())
        return f"{type(self).__name__}({shown})"


_REQUIRED = object()


def scorer(
    name: str | None = None, *, higher_is_better: bool = True, register: bool = True
) -> Callable[[Callable[..., Any]], type[FunctionScorer]]:
    """Turn ``f(values, weights, is_benefit, **params) -> scores`` into a scorer class.

    The function receives the table's read-only ``values`` (m, n), ``weights`` (n,, summing to
    1) and ``is_benefit`` (n,) arrays plus the keyword parameters, and returns an (m,) array of
    finite scores, or ``(scores, details)`` with a mapping of named arrays.

    Parameters
    ----------
    name : str, optional
        Registered name; default the function's ``__name__``.
    higher_is_better : bool, default True
        Direction of the scores the function returns.
    register : bool, default True
        Also :func:`register_scorer` the class (replacing an earlier class made from a function
        with the same module and qualified name, so re-running a notebook cell works).

    Returns
    -------
    callable
        A decorator returning a :class:`FunctionScorer` subclass.

    Raises
    ------
    gridgov.errors.PluginError
        If the function does not take ``(values, weights, is_benefit, ...)``, or ``register``
        is true and the name is a built-in or was registered by something else.

    Examples
    --------
    >>> import numpy as np
    >>> from gridgov.scoring import CriteriaTable, get_scorer, scorer, unregister_scorer
    >>> @scorer(name="best_column")
    ... def best_column(values, weights, is_benefit, column=0):
    ...     signed = np.where(is_benefit, values, -values)
    ...     return signed[:, column]
    >>> t = CriteriaTable([[1, 5], [3, 4]], ["A", "B"], ["x", "y"], "benefit")
    >>> get_scorer("best_column", column=1).score(t).ranking
    array([1, 2])
    >>> unregister_scorer("best_column")
    """

    def decorate(function: Callable[..., Any]) -> type[FunctionScorer]:
        scorer_name = name if name is not None else function.__name__
        signature = inspect.signature(function)
        positional = list(signature.parameters.values())[:3]
        if len(positional) < 3:
            raise PluginError(
                f"scorer {scorer_name!r}: the function must take (values, weights, is_benefit, "
                "**params)"
            )
        defaults = {
            p.name: (_REQUIRED if p.default is inspect.Parameter.empty else p.default)
            for p in list(signature.parameters.values())[3:]
            if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
        }
        class_name = "".join(part.title() for part in scorer_name.split("_")) + "Scorer"
        namespace = {
            "name": scorer_name,
            "higher_is_better": bool(higher_is_better),
            "function": staticmethod(function),
            "defaults": defaults,
            "__doc__": function.__doc__ or f"Scorer made from {function.__qualname__}.",
            "__module__": function.__module__,
            "__qualname__": class_name,
            "_origin": (function.__module__, function.__qualname__),
        }
        cls = cast("type[FunctionScorer]", type(class_name, (FunctionScorer,), namespace))
        if register:
            with _state.lock:
                previous = _state.registered.get(scorer_name)
                same = getattr(previous, "_origin", None) == namespace["_origin"]
                register_scorer(scorer_name, cls, replace=same)
        return cls

    return decorate
