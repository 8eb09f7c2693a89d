"""PROMETHEE II: net outranking flows with the six generalised criteria of Brans & Vincke."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, Literal, TypeAlias

import numpy as np
import numpy.typing as npt

from gridgov.errors import ScoringError
from gridgov.scoring._checks import (
    FloatArray,
    as_inputs,
    constant_columns,
    finite_scores,
    names_or_columns,
    require_alternatives,
    warn_identical,
)
from gridgov.scoring._result import Computed
from gridgov.scoring._table import CriteriaTable
from gridgov.scoring.methods._base import BuiltinScorer

__all__ = ["PREFERENCE_FUNCTIONS", "PrometheeII", "promethee_ii"]

_NAME = "promethee_ii"

PreferenceName: TypeAlias = Literal["usual", "u-shape", "v-shape", "level", "linear", "gaussian"]

#: Preference function name -> thresholds it needs.
PREFERENCE_FUNCTIONS: Mapping[str, tuple[str, ...]] = {
    "usual": (),
    "u-shape": ("q",),
    "v-shape": ("p",),
    "level": ("q", "p"),
    "linear": ("q", "p"),
    "gaussian": ("s",),
}

#: Elements of the (chunk x m) difference block computed at once (~16 MiB of float64).
_BLOCK = 2_000_000

PreferenceLike: TypeAlias = str | Sequence[str] | Mapping[str, str]
ThresholdLike: TypeAlias = float | Sequence[float | None] | Mapping[str, float] | None


def _per_criterion(spec: Any, n: int, names: Sequence[str], label: str) -> list[Any]:
    if spec is None or isinstance(spec, int | float | str):
        return [spec] * n
    if isinstance(spec, Mapping):
        unknown = [k for k in spec if k not in names]
        if unknown:
            raise ScoringError(f"{_NAME}: {label} names unknown criteria {unknown}")
        return [spec.get(c) for c in names]
    items = list(spec)
    if len(items) != n:
        raise ScoringError(f"{_NAME}: {label} has {len(items)} entries for {n} criteria")
    return items


def _resolve(
    n: int,
    criteria: Sequence[str] | None,
    *,
    preference: PreferenceLike,
    q: ThresholdLike,
    p: ThresholdLike,
    s: ThresholdLike,
) -> tuple[tuple[str, ...], FloatArray, FloatArray, FloatArray]:
    names = names_or_columns(n, criteria)
    kinds = [
        str(k).lower().replace("_", "-") for k in _per_criterion(preference, n, names, "preference")
    ]
    thresholds = {
        "q": _per_criterion(q, n, names, "q"),
        "p": _per_criterion(p, n, names, "p"),
        "s": _per_criterion(s, n, names, "s"),
    }
    arrays = {key: np.full(n, np.nan) for key in thresholds}
    for j, kind in enumerate(kinds):
        if kind not in PREFERENCE_FUNCTIONS:
            raise ScoringError(
                f"{_NAME}: criterion {names[j]!r}: unknown preference {kind!r}; available: "
                f"{', '.join(PREFERENCE_FUNCTIONS)}"
            )
        for key in PREFERENCE_FUNCTIONS[kind]:
            raw = thresholds[key][j]
            if raw is None or not math.isfinite(float(raw)):
                raise ScoringError(
                    f"{_NAME}: criterion {names[j]!r} uses the {kind!r} preference function, "
                    f"which needs a finite {key} threshold"
                )
            arrays[key][j] = float(raw)
        qj, pj, sj = arrays["q"][j], arrays["p"][j], arrays["s"][j]
        if "q" in PREFERENCE_FUNCTIONS[kind] and qj < 0:
            raise ScoringError(f"{_NAME}: criterion {names[j]!r}: q must be >= 0, got {qj}")
        if kind == "v-shape" and pj <= 0:
            raise ScoringError(f"{_NAME}: criterion {names[j]!r}: p must be > 0, got {pj}")
        if kind in ("level", "linear") and not pj > qj:
            raise ScoringError(
                f"{_NAME}: criterion {names[j]!r}: {kind} needs q < p, got q={qj}, p={pj}"
            )
        if kind == "gaussian" and sj <= 0:
            raise ScoringError(f"{_NAME}: criterion {names[j]!r}: s must be > 0, got {sj}")
    return tuple(kinds), arrays["q"], arrays["p"], arrays["s"]


def _preference(d: FloatArray, kind: str, q: float, p: float, s: float) -> FloatArray:
    """Apply a generalised criterion to differences ``d`` (already oriented: > 0 = better)."""
    if kind == "usual":
        return (d > 0).astype(np.float64)
    if kind == "u-shape":
        return (d > q).astype(np.float64)
    if kind == "v-shape":
        return np.clip(d / p, 0.0, 1.0)
    if kind == "level":
        return np.where(d > p, 1.0, np.where(d > q, 0.5, 0.0))
    if kind == "linear":
        return np.clip((d - q) / (p - q), 0.0, 1.0)
    # gaussian
    positive = np.maximum(d, 0.0)
    return -np.expm1(-(positive * positive) / (2.0 * s * s))


def _compute(
    x: FloatArray,
    w: FloatArray,
    b: npt.NDArray[np.bool_],
    *,
    kinds: tuple[str, ...],
    q: FloatArray,
    p: FloatArray,
    s: FloatArray,
    chunk_size: int | None = None,
) -> Computed:
    m, n = x.shape
    require_alternatives(m, _NAME)
    oriented = np.where(b, x, -x)
    chunk = chunk_size if chunk_size is not None else max(1, _BLOCK // m)
    leaving = np.zeros((m, n))  # sum over b of P_j(a, b)
    entering = np.zeros((m, n))  # sum over b of P_j(b, a)
    for start in range(0, m, chunk):
        stop = min(start + chunk, m)
        for j in range(n):
            if w[j] == 0:
                continue
            # a difference beyond the float range becomes +-inf, which is exact for every
            # generalised criterion: it exceeds every (finite) threshold
            with np.errstate(over="ignore"):
                d = oriented[start:stop, j, None] - oriented[None, :, j]
                leaving[start:stop, j] = _preference(d, kinds[j], q[j], p[j], s[j]).sum(axis=1)
                entering[start:stop, j] = _preference(-d, kinds[j], q[j], p[j], s[j]).sum(axis=1)
    if constant_columns(x)[w > 0].all():
        warn_identical(_NAME, "every flow is 0 (all tie)")
    unicriterion = (leaving - entering) / (m - 1)
    phi_plus = leaving @ w / (m - 1)
    phi_minus = entering @ w / (m - 1)
    phi = phi_plus - phi_minus
    details: dict[str, npt.NDArray[Any]] = {
        "phi_plus": phi_plus,
        "phi_minus": phi_minus,
        "phi": phi,
    }
    return Computed(finite_scores(phi, _NAME), unicriterion, unicriterion * w, details)


def promethee_ii(
    values: npt.ArrayLike,
    weights: npt.ArrayLike,
    is_benefit: npt.ArrayLike | None = None,
    *,
    preference: PreferenceLike = "usual",
    q: ThresholdLike = None,
    p: ThresholdLike = None,
    s: ThresholdLike = None,
    chunk_size: int | None = None,
) -> FloatArray:
    r"""Return PROMETHEE II net outranking flows (higher is better).

    For each criterion the oriented difference :math:`d_j(a, b) = g_j(a) - g_j(b)` (negated
    for costs) goes through a generalised criterion :math:`P_j \in [0, 1]`:

    ============  ==========  =========================================================
    preference    thresholds  :math:`P(d)` (0 for :math:`d \le 0`)
    ============  ==========  =========================================================
    ``usual``     --          1
    ``u-shape``   q >= 0      0 if d <= q, else 1
    ``v-shape``   p > 0       d / p up to p, then 1
    ``level``     0 <= q < p  0 if d <= q; 1/2 if q < d <= p; 1 if d > p
    ``linear``    0 <= q < p  0 if d <= q; (d - q) / (p - q) if q < d <= p; 1 if d > p
    ``gaussian``  s > 0       1 - exp(-d^2 / (2 s^2))
    ============  ==========  =========================================================

    Then :math:`\pi(a, b) = \sum_j w_j P_j(a, b)`,
    :math:`\phi^+(a) = \frac{1}{m-1}\sum_b \pi(a, b)`,
    :math:`\phi^-(a) = \frac{1}{m-1}\sum_b \pi(b, a)` and :math:`\phi = \phi^+ - \phi^-`.
    Pairs are evaluated with numpy broadcasting in row chunks, so memory stays bounded
    (about 16 MiB per block); time grows as :math:`m^2 n`.

    Parameters
    ----------
    values : array_like, shape (m, n)
        Finite raw values (any sign: only differences matter).
    weights : array_like, shape (n,)
        Non-negative weights; rescaled to sum to 1 (with a ``WeightsNormalisedWarning`` when
        they did not).
    is_benefit : array_like of bool, shape (n,), optional
        ``True`` for benefit criteria. Default: all benefit.
    preference : str or sequence of str, default "usual"
        One name for every criterion, or one per criterion (a mapping by criterion name is
        accepted by :class:`PrometheeII`).
    q, p, s : float or sequence of float, optional
        Indifference, preference and Gaussian thresholds, in each criterion's own units; a
        scalar applies to every criterion, ``None`` entries where a function does not need
        one. Default ``None``: a function that needs a missing threshold raises.
    chunk_size : int, optional
        Rows per block. Default: about 2 000 000 / m.

    Returns
    -------
    numpy.ndarray
        Net flows in [-1, 1], summing to 0, shape (m,).

    Raises
    ------
    gridgov.errors.ScoringError
        Fewer than two alternatives, non-finite input, an unknown preference function, or a
        missing or inconsistent threshold (the message names the criterion).

    Warns
    -----
    DegenerateDataWarning
        All alternatives identical (every flow 0).

    See Also
    --------
    PrometheeII : the scorer class; ``details`` hold ``phi_plus``, ``phi_minus``, ``phi``.

    References
    ----------
    .. [1] Brans, J.-P., Vincke, Ph. (1985). A preference ranking organisation method (the
       PROMETHEE method for multiple criteria decision-making). *Management Science* 31(6),
       647-656.
    .. [2] Brans, J.-P., Vincke, Ph., Mareschal, B. (1986). How to select and how to rank
       projects: the PROMETHEE method. *European Journal of Operational Research* 24(2),
       228-238.

    Examples
    --------
    >>> from gridgov.scoring import promethee_ii
    >>> promethee_ii([[1.0, 5.0], [2.0, 3.0], [3.0, 4.0]], [0.5, 0.5])
    array([ 0. , -0.5,  0.5])
    """
    x, w, b = as_inputs(values, weights, is_benefit)
    kinds, qq, pp, ss = _resolve(x.shape[1], None, preference=preference, q=q, p=p, s=s)
    return _compute(x, w, b, kinds=kinds, q=qq, p=pp, s=ss, chunk_size=chunk_size).scores


def _threshold_param(values: FloatArray) -> tuple[float | None, ...]:
    return tuple(None if math.isnan(v) else float(v) for v in values)


class PrometheeII(BuiltinScorer):
    r"""PROMETHEE II scorer (``"promethee_ii"``); see :func:`promethee_ii`.

    Parameters
    ----------
    preference : str, sequence of str or mapping criterion -> str, default "usual"
        Generalised criterion per criterion.
    q, p, s : float, sequence or mapping criterion -> float, optional
        Thresholds in the criteria's units (see :func:`promethee_ii`).
    chunk_size : int, optional
        Rows per block (memory bound); not recorded, it does not change results.

    Notes
    -----
    ``normalised`` holds the unicriterion net flows
    :math:`\phi_j(a) = \frac{1}{m-1}\sum_b [P_j(a,b) - P_j(b,a)]` and contributions
    :math:`w_j \phi_j(a)`, which sum to the net flow. ``params`` record the resolved
    preference function and thresholds per criterion (``None`` where unused).

    Examples
    --------
    >>> from gridgov.scoring import CriteriaTable, PrometheeII
    >>> t = CriteriaTable([[1, 5], [2, 3], [3, 4]], ["A", "B", "C"], ["x", "y"], "benefit")
    >>> r = PrometheeII(preference="v-shape", p=2).score(t)
    >>> r.scores.round(4), r.params["preference"]
    (array([ 0.   , -0.375,  0.375]), ('v-shape', 'v-shape'))
    """

    __slots__ = ("_chunk_size", "_p", "_preference", "_q", "_s")
    name: str = _NAME
    higher_is_better: bool = True
    contribution_meaning = (
        "weight x unicriterion net flow (sums to the net flow)",
        "权重 × 单指标净流量（合计即净流量）",
    )

    def __init__(
        self,
        *,
        preference: PreferenceLike = "usual",
        q: ThresholdLike = None,
        p: ThresholdLike = None,
        s: ThresholdLike = None,
        chunk_size: int | None = None,
    ) -> None:
        if chunk_size is not None and chunk_size < 1:
            raise ScoringError(f"{_NAME}: chunk_size must be >= 1, got {chunk_size}")
        if isinstance(preference, str) and all(
            t is None or isinstance(t, int | float) for t in (q, p, s)
        ):
            _resolve(
                1, None, preference=preference, q=q, p=p, s=s
            )  # fail early: nothing depends on the table
        self._preference = preference
        self._q = q
        self._p = p
        self._s = s
        self._chunk_size = chunk_size

    @property
    def params(self) -> dict[str, Any]:
        """Parameters as given (resolved per criterion in each result's ``params``)."""
        return {"preference": self._preference, "q": self._q, "p": self._p, "s": self._s}

    def _run(self, table: CriteriaTable) -> tuple[Computed, dict[str, Any]]:
        kinds, q, p, s = _resolve(
            len(table.criteria),
            table.criteria,
            preference=self._preference,
            q=self._q,
            p=self._p,
            s=self._s,
        )
        computed = _compute(
            table.values,
            table.weights,
            table.is_benefit,
            kinds=kinds,
            q=q,
            p=p,
            s=s,
            chunk_size=self._chunk_size,
        )
        params = {
            "preference": kinds,
            "q": _threshold_param(q),
            "p": _threshold_param(p),
            "s": _threshold_param(s),
        }
        return computed, params
