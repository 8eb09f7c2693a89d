"""The decision matrix every scorer reads: :class:`CriteriaTable`, and the scoring warnings."""

from __future__ import annotations

import math
import sys
import warnings
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal, TypeAlias

import numpy as np
import numpy.typing as npt

from gridgov.errors import ScoringError

__all__ = [
    "CriteriaTable",
    "DegenerateDataWarning",
    "Direction",
    "InconsistentJudgementsWarning",
    "ScoringWarning",
    "WeightsNormalisedWarning",
]

Direction: TypeAlias = Literal["benefit", "cost"]
_DIRECTIONS: tuple[Direction, ...] = ("benefit", "cost")

#: Weights whose sum is this close to 1 are rescaled silently (float noise, not a user error).
_WEIGHT_SUM_TOL = 1e-9
#: How many columns ``repr`` shows before eliding.
_REPR_COLUMNS = 6

DirectionsLike: TypeAlias = str | Sequence[str] | Mapping[str, str]
WeightsLike: TypeAlias = npt.ArrayLike | Mapping[str, float] | None


class ScoringWarning(UserWarning):
    """Base class of every warning :mod:`gridgov.scoring` emits."""


class WeightsNormalisedWarning(ScoringWarning):
    """Weights that did not sum to 1 were divided by their sum."""


class DegenerateDataWarning(ScoringWarning):
    """Data a method can score only by a documented convention (e.g. a constant criterion).

    The message names the criterion or alternatives concerned and the value substituted.
    """


class InconsistentJudgementsWarning(ScoringWarning):
    """AHP pairwise judgements whose consistency ratio is at or above the threshold.

    Emitted by :func:`gridgov.scoring.weights.ahp` (and for the merged matrix of
    :func:`gridgov.scoring.raters.merge_ahp`); the message reports CR, CI, RI and n. The
    weights are still returned, with ``consistent=False``; Saaty (1990) accepts CR <= 0.10.
    """


def warn(message: str, category: type[Warning]) -> None:
    """Emit ``message`` attributed to the first caller outside :mod:`gridgov.scoring`."""
    frame = sys._getframe(1)
    level = 2
    while frame.f_back is not None and str(frame.f_globals.get("__name__", "")).startswith(
        "gridgov.scoring"
    ):
        frame = frame.f_back
        level += 1
    warnings.warn(message, category, stacklevel=level)


def pow2_scale(values: npt.NDArray[np.float64], axis: int | None = None) -> npt.NDArray[np.float64]:
    """Multiply ``values`` by a power of two so that the largest ``|value|`` lies in [0.5, 1).

    With ``axis=0`` each column gets its own power of two. The scaling is exact (a power of two
    changes only the exponent), so every scale-invariant formula gives bitwise the same result
    on the scaled values, while sums of values or of squares can no longer overflow and tiny
    values no longer underflow. An all-zero slice is left as it is.
    """
    top = np.max(np.abs(values), axis=axis, keepdims=True)
    _, exponent = np.frexp(top)
    scaled: npt.NDArray[np.float64] = np.ldexp(values, -exponent)
    return scaled


def unit_sum(weights: npt.NDArray[np.float64]) -> tuple[npt.NDArray[np.float64], float]:
    """Divide non-negative ``weights`` (not all zero) by their sum without overflow.

    Returns the normalised weights and the sum as a float (``inf`` when the true sum exceeds
    the largest float, as for ``[1e308] * 3``; the normalised weights are right regardless).
    """
    scaled = pow2_scale(weights)
    _, exponent = np.frexp(np.max(weights))
    scaled_total = float(scaled.sum())
    with np.errstate(over="ignore"):
        total = float(np.ldexp(scaled_total, int(exponent)))
    return scaled / scaled_total, total


def describe_sum(total: float) -> str:
    """``total`` for a message: ``"2.5"``, or ``"more than 1.79769e+308"`` past the float range."""
    return f"{total:.6g}" if math.isfinite(total) else f"more than {sys.float_info.max:.6g}"


def _readonly(array: npt.NDArray[Any]) -> npt.NDArray[Any]:
    array.flags.writeable = False
    return array


def _names(names: Iterable[object], kind: str) -> tuple[str, ...]:
    if isinstance(names, str):
        raise ScoringError(f"{kind} must be a sequence of names, not the single string {names!r}")
    result = tuple(map(str, names))
    if len(set(result)) != len(result):
        duplicates = sorted(name for name, count in Counter(result).items() if count > 1)
        raise ScoringError(f"duplicate {kind} name(s): {', '.join(map(repr, duplicates))}")
    return result


def _directions(directions: DirectionsLike, criteria: tuple[str, ...]) -> tuple[Direction, ...]:
    if isinstance(directions, str):
        raw: list[str] = [directions] * len(criteria)
    elif isinstance(directions, Mapping):
        missing = [c for c in criteria if c not in directions]
        extra = [k for k in directions if k not in criteria]
        if missing or extra:
            raise ScoringError(
                f"directions mapping does not match the criteria: missing {missing}, "
                f"unknown {extra}"
            )
        raw = [directions[c] for c in criteria]
    else:
        raw = list(directions)
        if len(raw) != len(criteria):
            raise ScoringError(
                f"got {len(raw)} direction(s) for {len(criteria)} criteria; "
                "give one 'benefit' or 'cost' per criterion, or a single string for all"
            )
    result: list[Direction] = []
    for criterion, direction in zip(criteria, raw, strict=True):
        if direction not in _DIRECTIONS:
            raise ScoringError(
                f"criterion {criterion!r}: direction {direction!r} is not one of 'benefit', 'cost'"
            )
        result.append(direction)
    return tuple(result)


def _weights(weights: WeightsLike, criteria: tuple[str, ...]) -> npt.NDArray[np.float64]:
    n = len(criteria)
    if weights is None:
        return np.full(n, 1.0 / n)
    if isinstance(weights, Mapping):
        missing = [c for c in criteria if c not in weights]
        extra = [k for k in weights if k not in criteria]
        if missing or extra:
            raise ScoringError(
                f"weights mapping does not match the criteria: missing {missing}, unknown {extra}"
            )
        weights = [weights[c] for c in criteria]
    try:
        w = np.array(weights, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ScoringError(f"weights must be numbers: {exc}") from exc
    if w.shape != (n,):
        raise ScoringError(f"weights must have shape ({n},) (one per criterion), got {w.shape}")
    bad = np.flatnonzero(~np.isfinite(w))
    if bad.size:
        raise ScoringError(f"weight of criterion {criteria[bad[0]]!r} is {w[bad[0]]} (not finite)")
    negative = np.flatnonzero(w < 0)
    if negative.size:
        names = ", ".join(f"{criteria[j]!r}={w[j]}" for j in negative)
        raise ScoringError(f"weights must be non-negative: {names}")
    if not (w > 0).any():
        raise ScoringError("weights sum to zero: at least one criterion needs a positive weight")
    normalised, total = unit_sum(w)
    if not math.isclose(total, 1.0, rel_tol=0.0, abs_tol=_WEIGHT_SUM_TOL):
        warn(
            f"weights summed to {describe_sum(total)}, not 1; they were divided by their sum",
            WeightsNormalisedWarning,
        )
    return normalised


def _values(values: npt.ArrayLike) -> npt.NDArray[np.float64]:
    try:
        x = np.array(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ScoringError(f"values must be numbers: {exc}") from exc
    if x.ndim != 2:
        raise ScoringError(
            f"values must be a 2-D array (alternatives x criteria), got {x.ndim}-D shape {x.shape}"
        )
    return x


class CriteriaTable:
    """An immutable decision matrix: alternatives x criteria, directions and weights.

    Parameters
    ----------
    values : array_like, shape (m, n)
        ``values[i, j]`` is alternative ``i`` measured on criterion ``j``. Copied to a read-only
        ``float64`` array; every value must be finite.
    alternatives : sequence of str, length m
        Unique names of the alternatives (rows). Non-string names are converted with ``str``.
    criteria : sequence of str, length n
        Unique names of the criteria (columns).
    directions : {"benefit", "cost"} or sequence of them or mapping criterion -> direction
        ``"benefit"``: more is better; ``"cost"``: less is better. A single string applies to
        every criterion.
    weights : array_like of float or mapping criterion -> float, optional
        Non-negative criterion weights. Default ``None`` gives equal weights ``1/n``. Weights
        that do not sum to 1 (beyond 1e-9) are divided by their sum with a
        :class:`WeightsNormalisedWarning`.

    Raises
    ------
    gridgov.errors.ScoringError
        On wrong shapes, a non-finite value (the message names the cell), duplicate names, an
        unknown direction, negative or all-zero weights, or zero alternatives or criteria.

    See Also
    --------
    CriteriaTable.from_columns, CriteriaTable.from_frame

    Notes
    -----
    The table accepts a single alternative and constant criteria; the scoring methods decide
    what they can do with them (see :mod:`gridgov.scoring`, "Degenerate data").

    Examples
    --------
    >>> from gridgov.scoring import CriteriaTable
    >>> t = CriteriaTable(
    ...     [[250, 16, 12], [200, 16, 8], [300, 32, 16]],
    ...     alternatives=["P1", "P2", "P3"],
    ...     criteria=["price", "storage", "camera"],
    ...     directions=["cost", "benefit", "benefit"],
    ...     weights=[0.5, 0.25, 0.25],
    ... )
    >>> t.shape
    (3, 3)
    >>> t.is_benefit
    array([False,  True,  True])
    >>> t.values.flags.writeable
    False
    >>> t.select(["storage", "camera"]).weights
    array([0.5, 0.5])
    """

    __slots__ = ("_alternatives", "_criteria", "_directions", "_is_benefit", "_values", "_weights")

    _values: npt.NDArray[np.float64]
    _alternatives: tuple[str, ...]
    _criteria: tuple[str, ...]
    _directions: tuple[Direction, ...]
    _weights: npt.NDArray[np.float64]
    _is_benefit: npt.NDArray[np.bool_]

    def __init__(
        self,
        values: npt.ArrayLike,
        alternatives: Sequence[str],
        criteria: Sequence[str],
        directions: DirectionsLike,
        weights: WeightsLike = None,
    ) -> None:
        x = _values(values)
        alts = _names(alternatives, "alternative")
        crit = _names(criteria, "criterion")
        if x.shape != (len(alts), len(crit)):
            raise ScoringError(
                f"values have shape {x.shape} but there are {len(alts)} alternative(s) and "
                f"{len(crit)} criteria"
            )
        if not alts:
            raise ScoringError("a criteria table needs at least one alternative; got none")
        if not crit:
            raise ScoringError("a criteria table needs at least one criterion; got none")
        finite = np.isfinite(x)
        if not finite.all():
            bad = np.argwhere(~finite)
            i, j = (int(k) for k in bad[0])
            more = f" (and {len(bad) - 1} more non-finite cell(s))" if len(bad) > 1 else ""
            raise ScoringError(
                f"value {x[i, j]} at alternative {alts[i]!r}, criterion {crit[j]!r} "
                f"(row {i}, column {j}) is not finite{more}"
            )
        dirs = _directions(directions, crit)
        w = _weights(weights, crit)
        self._set(x, alts, crit, dirs, w)

    def _set(
        self,
        values: npt.NDArray[np.float64],
        alternatives: tuple[str, ...],
        criteria: tuple[str, ...],
        directions: tuple[Direction, ...],
        weights: npt.NDArray[np.float64],
    ) -> None:
        setter = object.__setattr__
        setter(self, "_values", _readonly(values))
        setter(self, "_alternatives", alternatives)
        setter(self, "_criteria", criteria)
        setter(self, "_directions", directions)
        setter(self, "_weights", _readonly(weights))
        setter(self, "_is_benefit", _readonly(np.array([d == "benefit" for d in directions])))

    @classmethod
    def _trusted(
        cls,
        values: npt.NDArray[np.float64],
        alternatives: tuple[str, ...],
        criteria: tuple[str, ...],
        directions: tuple[Direction, ...],
        weights: npt.NDArray[np.float64],
    ) -> CriteriaTable:
        """Build from parts already validated (no copies, no checks)."""
        table = cls.__new__(cls)
        table._set(values, alternatives, criteria, directions, weights)
        return table

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"CriteriaTable is immutable; cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"CriteriaTable is immutable; cannot delete {name!r}")

    # ---------------------------------------------------------------- constructors

    @classmethod
    def from_columns(
        cls,
        mapping: Mapping[str, npt.ArrayLike],
        *,
        alternatives: Sequence[str],
        directions: DirectionsLike,
        weights: WeightsLike = None,
    ) -> CriteriaTable:
        """Build a table from ``{criterion: column}``, criteria in the mapping's order.

        Parameters
        ----------
        mapping : mapping of str to array_like
            One 1-D column of length m per criterion.
        alternatives : sequence of str
            Names of the m alternatives.
        directions : {"benefit", "cost"} or sequence or mapping
            As for :class:`CriteriaTable`.
        weights : array_like or mapping, optional
            As for :class:`CriteriaTable`; default equal weights.

        Returns
        -------
        CriteriaTable

        Examples
        --------
        >>> from gridgov.scoring import CriteriaTable
        >>> t = CriteriaTable.from_columns(
        ...     {"coverage": [0.9, 0.7], "complaints": [12, 3]},
        ...     alternatives=["G1", "G2"],
        ...     directions={"coverage": "benefit", "complaints": "cost"},
        ... )
        >>> t.criteria, t.directions
        (('coverage', 'complaints'), ('benefit', 'cost'))
        """
        criteria = list(mapping)
        columns = []
        for name in criteria:
            try:
                column = np.asarray(mapping[name], dtype=np.float64)
            except (TypeError, ValueError) as exc:
                raise ScoringError(f"column {name!r} is not numeric: {exc}") from exc
            if column.ndim != 1:
                raise ScoringError(f"column {name!r} must be 1-D, got shape {column.shape}")
            columns.append(column)
        lengths = {c.shape[0] for c in columns}
        if len(lengths) > 1:
            detail = ", ".join(
                f"{n!r}: {c.shape[0]}" for n, c in zip(criteria, columns, strict=True)
            )
            raise ScoringError(f"columns have different lengths ({detail})")
        m = len(alternatives)
        values = np.column_stack(columns) if columns else np.empty((m, 0))
        return cls(values, alternatives, criteria, directions, weights)

    @classmethod
    def from_frame(
        cls,
        df: Any,
        *,
        alternatives: str | None = None,
        directions: DirectionsLike,
        weights: WeightsLike = None,
        criteria: Sequence[str] | None = None,
    ) -> CriteriaTable:
        """Build a table from a polars or pandas DataFrame (duck-typed; neither is imported).

        Parameters
        ----------
        df : polars.DataFrame or pandas.DataFrame
            Anything with ``.columns`` and ``df[column].to_numpy()``.
        alternatives : str, optional
            Column holding the alternative names. Default ``None``: a pandas frame's index, or
            ``"0"``, ``"1"``, … for a frame without an index (polars).
        directions : {"benefit", "cost"} or sequence or mapping
            As for :class:`CriteriaTable`, one per criterion column.
        weights : array_like or mapping, optional
            As for :class:`CriteriaTable`; default equal weights.
        criteria : sequence of str, optional
            Columns to use as criteria, in this order. Default: every column except
            ``alternatives``.

        Returns
        -------
        CriteriaTable

        Examples
        --------
        >>> import polars as pl
        >>> from gridgov.scoring import CriteriaTable
        >>> df = pl.DataFrame({"grid": ["G1", "G2"], "visits": [40, 55], "complaints": [3, 1]})
        >>> t = CriteriaTable.from_frame(df, alternatives="grid", directions=["benefit", "cost"])
        >>> t.alternatives, t.criteria
        (('G1', 'G2'), ('visits', 'complaints'))
        """
        if not hasattr(df, "columns"):
            raise ScoringError(
                f"from_frame expects a polars or pandas DataFrame, got {type(df).__name__}"
            )
        columns = [str(c) for c in df.columns]
        if alternatives is not None and alternatives not in columns:
            raise ScoringError(
                f"alternatives column {alternatives!r} is not in the frame; columns: {columns}"
            )
        if criteria is None:
            criteria = [c for c in columns if c != alternatives]
        else:
            unknown = [c for c in criteria if c not in columns]
            if unknown:
                raise ScoringError(f"criteria {unknown} are not in the frame; columns: {columns}")
        if alternatives is not None:
            names = [str(v) for v in np.asarray(df[alternatives].to_numpy()).tolist()]
        elif hasattr(df, "index"):
            names = [str(v) for v in df.index]
        else:
            names = [str(i) for i in range(len(df))]
        mapping = {c: np.asarray(df[c].to_numpy()) for c in criteria}
        for name, column in mapping.items():
            if column.dtype.kind not in "biuf":
                raise ScoringError(f"column {name!r} is not numeric (dtype {column.dtype})")
        return cls.from_columns(mapping, alternatives=names, directions=directions, weights=weights)

    # ---------------------------------------------------------------- attributes

    @property
    def values(self) -> npt.NDArray[np.float64]:
        """Read-only ``float64`` array of shape ``(m, n)``."""
        return self._values

    @property
    def alternatives(self) -> tuple[str, ...]:
        """Names of the alternatives (rows)."""
        return self._alternatives

    @property
    def criteria(self) -> tuple[str, ...]:
        """Names of the criteria (columns)."""
        return self._criteria

    @property
    def directions(self) -> tuple[Direction, ...]:
        """``"benefit"`` or ``"cost"`` per criterion."""
        return self._directions

    @property
    def weights(self) -> npt.NDArray[np.float64]:
        """Read-only ``float64`` weights, one per criterion, summing to 1."""
        return self._weights

    @property
    def is_benefit(self) -> npt.NDArray[np.bool_]:
        """Read-only boolean array: ``True`` where the criterion is a benefit."""
        return self._is_benefit

    @property
    def shape(self) -> tuple[int, int]:
        """``(number of alternatives, number of criteria)``."""
        m, n = self._values.shape
        return int(m), int(n)

    def __len__(self) -> int:
        return len(self._alternatives)

    # ---------------------------------------------------------------- derived tables

    def with_weights(self, weights: WeightsLike) -> CriteriaTable:
        """Return a copy with other weights (validated and normalised as in the constructor).

        Parameters
        ----------
        weights : array_like or mapping, optional
            New weights; ``None`` gives equal weights.

        Returns
        -------
        CriteriaTable
            Shares the read-only values with this table.
        """
        w = _weights(weights, self._criteria)
        return self._trusted(self._values, self._alternatives, self._criteria, self._directions, w)

    def column(self, criterion: str) -> npt.NDArray[np.float64]:
        """Return the read-only column of one criterion.

        Parameters
        ----------
        criterion : str
            A criterion name.

        Returns
        -------
        numpy.ndarray
            Shape ``(m,)``.
        """
        return self._values[:, self._index(self._criteria, [criterion], "criterion")[0]]

    @staticmethod
    def _index(names: tuple[str, ...], wanted: Iterable[str], kind: str) -> list[int]:
        if isinstance(wanted, str):
            wanted = [wanted]
        position = {n: k for k, n in enumerate(names)}
        wanted = list(wanted)
        unknown = [w for w in wanted if w not in position]
        if unknown:
            raise ScoringError(f"unknown {kind}(s) {unknown}; available: {', '.join(names)}")
        if len(set(wanted)) != len(wanted):
            raise ScoringError(f"{kind} names repeated in {wanted}")
        return [position[w] for w in wanted]

    def drop(self, alternatives: str | Iterable[str]) -> CriteriaTable:
        """Return a table without the named alternatives.

        Parameters
        ----------
        alternatives : str or iterable of str
            Names to remove; each must exist.

        Returns
        -------
        CriteriaTable

        Raises
        ------
        gridgov.errors.ScoringError
            If a name is unknown or nothing would remain.
        """
        gone = set(self._index(self._alternatives, alternatives, "alternative"))
        keep = np.array([i for i in range(len(self._alternatives)) if i not in gone], dtype=np.intp)
        if keep.size == 0:
            raise ScoringError("dropping every alternative would leave an empty table")
        return self._trusted(
            self._values[keep],
            tuple(self._alternatives[i] for i in keep),
            self._criteria,
            self._directions,
            self._weights,
        )

    def append(
        self, alternative_name: str, row: npt.ArrayLike | Mapping[str, float]
    ) -> CriteriaTable:
        """Return a table with one more alternative at the end.

        Parameters
        ----------
        alternative_name : str
            A new, unused name.
        row : array_like of float or mapping criterion -> float
            One finite value per criterion.

        Returns
        -------
        CriteriaTable
        """
        if isinstance(row, Mapping):
            missing = [c for c in self._criteria if c not in row]
            if missing:
                raise ScoringError(f"row for {alternative_name!r} lacks criteria {missing}")
            row = [row[c] for c in self._criteria]
        r = np.asarray(row, dtype=np.float64)
        if r.shape != (len(self._criteria),):
            raise ScoringError(
                f"row for {alternative_name!r} must have {len(self._criteria)} values, "
                f"got shape {r.shape}"
            )
        return CriteriaTable(
            np.vstack([self._values, r]),
            [*self._alternatives, str(alternative_name)],
            self._criteria,
            self._directions,
            self._weights,
        )

    def select(self, criteria: Iterable[str]) -> CriteriaTable:
        """Return a table with only the named criteria, in the order given.

        The kept weights are divided by their sum (silently: selecting is an explicit request).

        Parameters
        ----------
        criteria : iterable of str
            Criterion names; each must exist.

        Returns
        -------
        CriteriaTable

        Raises
        ------
        gridgov.errors.ScoringError
            If a name is unknown, none is given, or every kept weight is zero.
        """
        idx = self._index(self._criteria, criteria, "criterion")
        if not idx:
            raise ScoringError("select needs at least one criterion")
        w = self._weights[idx]
        total = float(w.sum())
        if total <= 0.0:
            raise ScoringError("the selected criteria all have zero weight")
        return self._trusted(
            np.ascontiguousarray(self._values[:, idx]),
            self._alternatives,
            tuple(self._criteria[j] for j in idx),
            tuple(self._directions[j] for j in idx),
            w / total,
        )

    # ---------------------------------------------------------------- dunder

    def __repr__(self) -> str:
        m, n = self.shape
        cols = [
            f"{c}({'+' if d == 'benefit' else '-'}, w={w:.3g})"
            for c, d, w in zip(self._criteria, self._directions, self._weights, strict=True)
        ]
        if n > _REPR_COLUMNS:
            cols = [*cols[: _REPR_COLUMNS - 1], "…", cols[-1]]
        alts = "alternative" if m == 1 else "alternatives"
        crit = "criterion" if n == 1 else "criteria"
        return f"CriteriaTable({m} {alts} x {n} {crit}: {', '.join(cols)})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CriteriaTable):
            return NotImplemented
        return (
            self._alternatives == other._alternatives
            and self._criteria == other._criteria
            and self._directions == other._directions
            and np.array_equal(self._values, other._values)
            and np.array_equal(self._weights, other._weights)
        )

    def __hash__(self) -> int:
        return hash(
            (
                self._alternatives,
                self._criteria,
                self._directions,
                self._values.tobytes(),
                self._weights.tobytes(),
            )
        )
