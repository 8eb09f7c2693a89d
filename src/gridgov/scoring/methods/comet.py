"""COMET: the characteristic objects method (Sałabun 2015)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

import numpy as np
import numpy.typing as npt

from gridgov.errors import ScoringError
from gridgov.scoring._checks import (
    FloatArray,
    as_inputs,
    names_or_columns,
    require_alternatives,
)
from gridgov.scoring._result import Computed
from gridgov.scoring._table import CriteriaTable, Direction
from gridgov.scoring.methods._base import BuiltinScorer

__all__ = ["Comet", "comet"]

_NAME = "comet"
_CHUNK = 4096  # rows per block of the tensor contraction (memory: CHUNK x COs / k_n)

CValues = tuple[tuple[float, ...], ...]


def _check_cvalues(cvalues: Sequence[Sequence[float]] | None) -> CValues | None:
    if cvalues is None:
        return None
    out = []
    for j, column in enumerate(cvalues):
        c = np.asarray(column, dtype=np.float64)
        if c.ndim != 1 or c.size < 2 or not np.isfinite(c).all() or (np.diff(c) <= 0).any():
            raise ScoringError(
                f"comet: characteristic values of criterion {j} must be at least two finite, "
                f"strictly increasing numbers, got {np.asarray(column).tolist()}"
            )
        out.append(tuple(float(v) for v in c))
    if not out:
        raise ScoringError("comet: cvalues must list the characteristic values of each criterion")
    return tuple(out)


def _memberships(v: FloatArray, c: FloatArray) -> FloatArray:
    """Triangular memberships of values ``v`` in the fuzzy numbers centred on ``c``."""
    k = c.size
    idx = np.clip(np.searchsorted(c, v, side="right") - 1, 0, k - 2)
    t = (v - c[idx]) / (c[idx + 1] - c[idx])
    mu = np.zeros((v.size, k))
    flat = mu.reshape(-1)
    base = np.arange(v.size) * k + idx
    flat[base] = 1.0 - t
    flat[base + 1] += t
    return mu


def _characteristic_objects(cvalues: CValues) -> FloatArray:
    grids = np.meshgrid(*[np.asarray(c) for c in cvalues], indexing="ij")
    return np.column_stack([g.ravel() for g in grids])


def _preferences(
    cos: FloatArray,
    w: FloatArray,
    directions: tuple[Direction, ...],
    criteria: Sequence[str],
    *,
    expert: str,
    expert_params: Mapping[str, Any],
) -> FloatArray:
    from gridgov.scoring._registry import get_scorer

    judge = get_scorer(expert, **expert_params)
    table = CriteriaTable._trusted(
        cos, tuple(f"CO{i + 1}" for i in range(len(cos))), tuple(criteria), directions, w
    )
    result = judge.score(table)
    # an expert's scores equal to 12 significant digits are one preference level
    scores = np.asarray(result.scores, dtype=np.float64)
    keyed = np.round(scores if result.higher_is_better else -scores, 12)
    levels, inverse = np.unique(keyed, return_inverse=True)
    if levels.size < 2:
        raise ScoringError(
            f"comet: the expert {expert!r} scored every characteristic object the same, so "
            "COMET has no preference to interpolate"
        )
    preference: FloatArray = inverse / (levels.size - 1.0)
    return preference


def _compute(
    x: FloatArray,
    w: FloatArray,
    b: npt.NDArray[np.bool_],
    cvalues: CValues | None,
    *,
    expert: str,
    expert_params: Mapping[str, Any],
    criteria: Sequence[str] | None = None,
) -> Computed:
    m, n = x.shape
    require_alternatives(m, _NAME)
    names = names_or_columns(n, criteria)
    if cvalues is None:
        lo = x.min(axis=0)
        hi = x.max(axis=0)
        flat = np.flatnonzero(lo == hi)
        if flat.size:
            listed = ", ".join(repr(names[int(j)]) for j in flat)
            raise ScoringError(
                f"comet: criterion {listed} has the same value for every alternative, so "
                "characteristic values taken from the data are empty; pass cvalues="
            )
        cvalues = tuple((float(a), float(z)) for a, z in zip(lo, hi, strict=True))
    elif len(cvalues) != n:
        raise ScoringError(f"comet: cvalues has {len(cvalues)} criteria, the table {n}")
    for j, c in enumerate(cvalues):
        outside = (x[:, j] < c[0]) | (x[:, j] > c[-1])
        if outside.any():
            i = int(np.flatnonzero(outside)[0])
            raise ScoringError(
                f"comet: value {x[i, j]} at row {i} lies outside the characteristic values "
                f"[{c[0]}, {c[-1]}] of criterion {names[j]!r}"
            )
    cos = _characteristic_objects(cvalues)
    directions = cast("tuple[Direction, ...]", tuple("benefit" if v else "cost" for v in b))
    p = _preferences(cos, w, directions, names, expert=expert, expert_params=expert_params)
    sizes = [len(c) for c in cvalues]
    tensor = p.reshape(sizes)
    mus = [_memberships(x[:, j], np.asarray(c)) for j, c in enumerate(cvalues)]
    scores = np.empty(m)
    for start in range(0, m, _CHUNK):
        stop = min(start + _CHUNK, m)
        rows = stop - start
        # contract the criteria from the front, each over a contiguous block (einsum:
        # no BLAS thread start-up per chunk): (rows, k_2 .. k_n), ..., (rows, 1)
        acc = np.einsum("kj,rk->rj", tensor.reshape(sizes[0], -1), mus[0][start:stop])
        for j in range(1, n):
            block = acc.reshape(rows, sizes[j], -1)
            acc = np.einsum("rkj,rk->rj", block, mus[j][start:stop])
        scores[start:stop] = acc[:, 0]
    details = {"characteristic_objects": cos, "co_preferences": p.reshape(1, -1)}
    return Computed(scores, None, None, details)


def comet(
    values: npt.ArrayLike,
    weights: npt.ArrayLike,
    is_benefit: npt.ArrayLike | None = None,
    *,
    cvalues: Sequence[Sequence[float]] | None = None,
    expert: str = "topsis",
    expert_params: Mapping[str, Any] | None = None,
) -> FloatArray:
    r"""Score alternatives by COMET, interpolating an expert's ranking of characteristic objects.

    Each criterion gets characteristic values :math:`c_{j1} < \dots < c_{jk_j}` and
    triangular fuzzy numbers centred on them; the characteristic objects (COs) are all
    their combinations. An expert compares the COs (here: a registered scorer, with the
    table's weights and directions); their preference :math:`P` is the dense rank of that
    judgement scaled to [0, 1]. An alternative's score is the rule base
    :math:`\sum_{CO} P_{CO} \prod_j \mu_{j}(x_{ij})`, a multilinear interpolation between
    the COs, so alternatives never change the model and cannot reverse one another's ranks.

    Parameters
    ----------
    values : array_like, shape (m, n)
        Finite raw values inside the characteristic values.
    weights : array_like, shape (n,)
        Non-negative weights passed to the expert; rescaled to sum to 1.
    is_benefit : array_like of bool, shape (n,), optional
        ``True`` for benefit criteria. Default: all benefit.
    cvalues : sequence of sequences of float, optional
        Characteristic values per criterion, strictly increasing. Default: the minimum and
        maximum of each column (two per criterion, :math:`2^n` COs).
    expert : str, default "topsis"
        Registered scorer that judges the COs.
    expert_params : mapping, optional
        Parameters of the expert (``{"normalisation": "minmax"}`` …).

    Returns
    -------
    numpy.ndarray
        Preferences in [0, 1], shape (m,); higher is better.

    Raises
    ------
    gridgov.errors.ScoringError
        Fewer than two alternatives, malformed characteristic values, a value outside them,
        or an expert that cannot tell the COs apart.

    References
    ----------
    .. [1] Sałabun, W. (2015). The characteristic objects method: a new distance-based
       approach to multicriteria decision-making problems. *Journal of Multi-Criteria
       Decision Analysis* 22(1-2), 37-50.
    .. [2] Paradowski, B., Bączkiewicz, A., Wątróbski, J. (2021). Towards proper consumer
       choices - MCDM based product selection. *Procedia Computer Science* 192, 1347-1358.

    Examples
    --------
    >>> from gridgov.scoring import comet
    >>> comet([[0.0, 0.0], [1.0, 1.0], [0.5, 0.5], [1.0, 0.0]], [0.5, 0.5],
    ...       expert="weighted_sum").round(4)
    array([0. , 1. , 0.5, 0.5])
    """
    x, w, b = as_inputs(values, weights, is_benefit)
    params = dict(expert_params or {})
    return _compute(x, w, b, _check_cvalues(cvalues), expert=expert, expert_params=params).scores


class Comet(BuiltinScorer):
    """COMET scorer (``"comet"``); see :func:`comet`.

    Parameters
    ----------
    cvalues : sequence of sequences of float, optional
        Characteristic values; recorded in ``result.params`` as a tuple of tuples
        (``None``: each column's minimum and maximum).
    expert : str, default "topsis"
        Registered scorer judging the characteristic objects; recorded.
    expert_params : mapping, optional
        Its parameters; recorded as a dict.

    Notes
    -----
    COMET has no per-criterion contribution (the rule base is not additive).
    ``details`` hold ``characteristic_objects`` (k, n) and ``co_preferences`` (1, k).

    Examples
    --------
    >>> from gridgov.scoring import Comet, CriteriaTable
    >>> t = CriteriaTable([[0, 0], [1, 1], [0.5, 1]], ["A", "B", "C"], ["x", "y"], "benefit")
    >>> Comet(expert="weighted_sum").score(t).details["characteristic_objects"]
    array([[0., 0.],
           [0., 1.],
           [1., 0.],
           [1., 1.]])
    """

    __slots__ = ("_cvalues", "_expert", "_expert_params")
    name: str = _NAME
    higher_is_better: bool = True
    contribution_meaning = ("(none: the rule base is not additive)", "（无：规则库非加性）")

    def __init__(
        self,
        *,
        cvalues: Sequence[Sequence[float]] | None = None,
        expert: str = "topsis",
        expert_params: Mapping[str, Any] | None = None,
    ) -> None:
        self._cvalues = _check_cvalues(cvalues)
        if not isinstance(expert, str):
            raise ScoringError(f"comet: expert must be a registered scorer name, got {expert!r}")
        self._expert = expert
        self._expert_params = dict(expert_params or {})

    @property
    def params(self) -> dict[str, Any]:
        """Parameters of this scorer."""
        return {
            "cvalues": self._cvalues,
            "expert": self._expert,
            "expert_params": dict(self._expert_params),
        }

    def _run(self, table: CriteriaTable) -> tuple[Computed, dict[str, Any]]:
        x, w, b = table.values, table.weights, table.is_benefit
        computed = _compute(
            x,
            w,
            b,
            self._cvalues,
            expert=self._expert,
            expert_params=self._expert_params,
            criteria=table.criteria,
        )
        return computed, self.params
