"""AHP hierarchies, incomplete judgements (Harker 1987) and group AHP (re-exported by weights).

- :func:`harker` completes a pairwise matrix with missing judgements by Harker's method and
  returns the usual :class:`~gridgov.scoring.weights.AHPResult`;
- :func:`group_ahp` completes each rater's matrix that way, then merges them by the
  geometric mean (:func:`gridgov.scoring.raters.merge_ahp`);
- :func:`ahp_hierarchy` combines local priorities down a hierarchy into global weights.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from gridgov.errors import ScoringError

if TYPE_CHECKING:  # pragma: no cover - weights.py re-exports this module: import it lazily
    from gridgov.scoring.raters import AHPGroupResult
    from gridgov.scoring.weights import AHPResult, PairwiseLike, WeightSet

__all__ = ["AHPHierarchy", "ahp_hierarchy", "group_ahp", "harker"]

FloatArray = npt.NDArray[np.float64]


def _incomplete(
    pairwise: PairwiseLike, criteria: Sequence[str] | None, rtol: float
) -> tuple[FloatArray, tuple[str, ...]]:
    """Parse a pairwise matrix whose missing cells (both of a pair) stay NaN."""
    from gridgov.scoring import weights as base

    rows, names = base._pairwise_cells(pairwise, criteria)
    n = len(names)
    if n == 0:
        raise ScoringError("a pairwise comparison matrix needs at least one element")
    a = np.array(
        [
            [base._parse_judgement(rows[i][j], f"cell ({names[i]}, {names[j]})") for j in range(n)]
            for i in range(n)
        ],
        dtype=np.float64,
    ).reshape(n, n)
    base._check_diagonal(a, names, rtol)
    bad = np.argwhere(~np.isnan(a) & ~(np.isfinite(a) & (a > 0)))
    if bad.size:
        i, j = (int(k) for k in bad[0])
        raise ScoringError(
            f"judgement at cell ({names[i]}, {names[j]}) is {a[i, j]:g}; judgements must be "
            "positive and finite"
        )
    for i in range(n):
        for j in range(i + 1, n):
            if math.isnan(a[i, j]) and not math.isnan(a[j, i]):
                a[i, j] = 1.0 / a[j, i]
            elif math.isnan(a[j, i]) and not math.isnan(a[i, j]):
                a[j, i] = 1.0 / a[i, j]
    return a, names


def _connected(known: npt.NDArray[np.bool_]) -> bool:
    n = known.shape[0]
    seen = np.zeros(n, dtype=bool)
    seen[0] = True
    frontier = [0]
    while frontier:
        i = frontier.pop()
        for j in np.flatnonzero(known[i] & ~seen):
            seen[j] = True
            frontier.append(int(j))
    return bool(seen.all())


def _harker_matrix(a: FloatArray, names: tuple[str, ...]) -> tuple[FloatArray, list[str]]:
    """Complete the NaN cells with w_i / w_j from Harker's auxiliary matrix."""
    missing = np.isnan(a)
    if not missing.any():
        return a, []
    if not _connected(~missing):
        raise ScoringError(
            "the given judgements do not link every element to every other (the comparison "
            "graph is disconnected), so the missing ones cannot be inferred"
        )
    c = np.where(missing, 0.0, a)
    c[np.diag_indices_from(c)] = 1.0 + missing.sum(axis=1)
    values, vectors = np.linalg.eig(c)
    k = int(np.argmax(values.real))
    w = np.abs(vectors[:, k].real)
    w = w / w.sum()
    completed = np.where(missing, w[:, None] / w[None, :], a)
    notes = [
        f"judgement ({names[i]}, {names[j]}) was missing; Harker's method completed it as "
        f"{completed[i, j]:.4g}"
        for i, j in np.argwhere(np.triu(missing, 1))
    ]
    return completed, notes


def harker(
    pairwise: PairwiseLike,
    method: str = "eigenvector",
    random_index: str | Mapping[int, float] = "saaty",
    *,
    threshold: float = 0.1,
    criteria: Sequence[str] | None = None,
    rtol: float = 0.05,
) -> AHPResult:
    r"""AHP weights from a pairwise matrix with missing judgements (Harker's method).

    A missing pair (both cells empty: ``None``, ``NaN`` or ``""``) becomes 0 in Harker's
    auxiliary matrix :math:`C`, whose diagonal is 1 plus the number of missing judgements
    in the row; :math:`C`'s principal eigenvector :math:`w` fills each missing cell with
    :math:`w_i / w_j`. The completed matrix has the same principal eigenvector, so the
    weights, :math:`\lambda_{max}` and the consistency ratio are those of
    :func:`~gridgov.scoring.weights.ahp` on it. The given judgements must connect every
    element to every other.

    Parameters
    ----------
    pairwise : array_like, mapping or str
        As for :func:`~gridgov.scoring.weights.ahp`, with missing pairs allowed.
    method, random_index, threshold, criteria, rtol
        As for :func:`~gridgov.scoring.weights.ahp`.

    Returns
    -------
    AHPResult
        ``params["completion"] == "harker"``; ``notes`` list each completed judgement.

    Raises
    ------
    gridgov.errors.ScoringError
        Malformed judgements or a disconnected comparison graph.

    References
    ----------
    .. [1] Harker, P. T. (1987). Incomplete pairwise comparisons in the analytic hierarchy
       process. *Mathematical Modelling* 9(11), 837-848.

    Examples
    --------
    A consistent matrix (weights 4 : 2 : 1) with the judgement (A, C) left out:

    >>> from gridgov.scoring.weights import harker
    >>> r = harker([[1, 2, None], ["1/2", 1, 2], [None, "1/2", 1]], criteria="ABC")
    >>> r.weights.round(4), round(float(r.matrix[0, 2]), 4)
    (array([0.5714, 0.2857, 0.1429]), 4.0)
    """
    from gridgov.scoring.weights import AHPResult, ahp

    a, names = _incomplete(pairwise, criteria, rtol)
    completed, notes = _harker_matrix(a, names)
    result = ahp(
        completed,
        method,  # type: ignore[arg-type]  # checked by ahp
        random_index,
        threshold=threshold,
        criteria=names,
        rtol=rtol,
    )
    return AHPResult(
        weights=result.weights,
        criteria=result.criteria,
        method="ahp",
        params={**result.params, "completion": "harker"},
        notes=(*notes, *result.notes),
        matrix=result.matrix,
        lambda_max=result.lambda_max,
        ci=result.ci,
        ri=result.ri,
        cr=result.cr,
        threshold=result.threshold,
        consistent=result.consistent,
    )


def group_ahp(
    judgements: Mapping[str, PairwiseLike] | Sequence[PairwiseLike],
    threshold: float = 0.1,
    *,
    method: str = "eigenvector",
    random_index: str | Mapping[int, float] = "saaty",
    criteria: Sequence[str] | None = None,
    rater_weights: Mapping[str, float] | None = None,
    rtol: float = 0.05,
) -> AHPGroupResult:
    """Group AHP: complete each rater's missing judgements (Harker), then merge them.

    Each rater's matrix is completed with :func:`harker` when judgements are missing; the
    completed matrices are merged by the element-wise (weighted) geometric mean of
    :func:`gridgov.scoring.raters.merge_ahp`, which also leaves out raters whose
    consistency ratio reaches ``threshold`` and reports them.

    Parameters
    ----------
    judgements : mapping of rater to pairwise matrix, or sequence of matrices
        Matrices as for :func:`harker` (missing pairs allowed).
    threshold : float, default 0.1
        Consistency ratio at or above which a rater is left out.
    method, random_index, criteria, rater_weights
        As for :func:`~gridgov.scoring.raters.merge_ahp`.
    rtol : float, default 0.05
        Reciprocity tolerance.

    Returns
    -------
    AHPGroupResult
        As from ``merge_ahp``; ``notes`` add each completed judgement (by rater).

    Raises
    ------
    gridgov.errors.ScoringError
        Malformed or disconnected judgements, raters comparing different elements, or
        every rater inconsistent.

    References
    ----------
    .. [1] Harker, P. T. (1987). Incomplete pairwise comparisons in the analytic hierarchy
       process. *Mathematical Modelling* 9(11), 837-848.
    .. [2] Aczél, J., Saaty, T. L. (1983). Procedures for synthesizing ratio judgements.
       *Journal of Mathematical Psychology* 27(1), 93-102.

    Examples
    --------
    >>> from gridgov.scoring.weights import group_ahp
    >>> g = group_ahp({"ann": [[1, 2, None], ["1/2", 1, 2], [None, "1/2", 1]],
    ...                "bob": [[1, 2, 4], ["1/2", 1, 2], ["1/4", "1/2", 1]]}, criteria="ABC")
    >>> g.weights.round(4)
    array([0.5714, 0.2857, 0.1429])
    """
    from gridgov.scoring.raters import merge_ahp

    items = (
        [(str(k), v) for k, v in judgements.items()]
        if isinstance(judgements, Mapping)
        else [(f"R{k + 1}", v) for k, v in enumerate(judgements)]
    )
    completed: dict[str, FloatArray] = {}
    notes: list[str] = []
    names: tuple[str, ...] | None = None
    for rater, matrix in items:
        try:
            a, names = _incomplete(matrix, criteria, rtol)
            full, filled = _harker_matrix(a, names)
        except ScoringError as exc:
            raise ScoringError(f"rater {rater!r}: {exc}") from exc
        completed[rater] = full
        notes.extend(f"rater {rater!r}: {note}" for note in filled)
    merged = merge_ahp(
        completed,
        threshold,
        method=method,  # type: ignore[arg-type]  # checked by ahp
        random_index=random_index,
        criteria=names,
        rater_weights=rater_weights,
    )
    return dataclasses.replace(merged, notes=(*notes, *merged.notes))


@dataclass(frozen=True, eq=False)
class AHPHierarchy:
    """Global weights of an AHP hierarchy and the local analyses they come from.

    Attributes
    ----------
    weights : WeightSet
        Global weights of the leaves, named by their path (``"cost/price"``);
        ``method="ahp_hierarchy"``.
    local : mapping of str to AHPResult
        The analysis of each node's pairwise matrix, by node path (``""`` for the goal).
    consistent : bool
        Every local matrix is consistent.

    Examples
    --------
    >>> from gridgov.scoring.weights import ahp_hierarchy
    >>> h = ahp_hierarchy([[1, 3], ["1/3", 1]], criteria=["cost", "service"],
    ...                   children={"cost": {"pairwise": [[1, 1], [1, 1]],
    ...                                      "criteria": ["price", "upkeep"]}})
    >>> h.weights.as_dict()
    {'cost/price': 0.375, 'cost/upkeep': 0.375, 'service': 0.25}
    """

    weights: WeightSet
    local: Mapping[str, AHPResult]
    consistent: bool

    def by_leaf(self) -> dict[str, float]:
        """Sum the global weights of leaves with the same last name.

        When the last level of the hierarchy holds the alternatives (each criterion
        comparing the same ones), this is the AHP synthesis: each alternative's overall
        priority.

        Returns
        -------
        dict of str to float
        """
        out: dict[str, float] = {}
        for path, w in self.weights.as_dict().items():
            leaf = path.rsplit("/", 1)[-1]
            out[leaf] = out.get(leaf, 0.0) + w
        return out


def ahp_hierarchy(
    pairwise: PairwiseLike,
    *,
    criteria: Sequence[str] | None = None,
    children: Mapping[str, Mapping[str, Any]] | None = None,
    method: str = "eigenvector",
    random_index: str | Mapping[int, float] = "saaty",
    threshold: float = 0.1,
) -> AHPHierarchy:
    """Global weights of a hierarchy: local AHP priorities multiplied down each path.

    Parameters
    ----------
    pairwise : array_like, mapping or str
        Pairwise comparison of the goal's criteria (missing pairs completed by
        :func:`harker`).
    criteria : sequence of str, optional
        Their names.
    children : mapping of str to mapping, optional
        For a criterion with sub-criteria: ``{"pairwise": ..., "criteria": ...,
        "children": ...}``, nested to any depth. Criteria without children are leaves.
    method, random_index, threshold
        As for :func:`~gridgov.scoring.weights.ahp`, at every node.

    Returns
    -------
    AHPHierarchy

    Raises
    ------
    gridgov.errors.ScoringError
        A malformed matrix (the message names the node), or children of an unknown
        criterion.

    References
    ----------
    .. [1] Saaty, T. L. (1980). *The Analytic Hierarchy Process*. McGraw-Hill.
    .. [2] Papathanasiou, J., Ploskas, N. (2018). AHP. In *Multiple Criteria Decision Aid*,
       109-129. Springer.
    """
    from gridgov.scoring.weights import WeightSet

    local: dict[str, AHPResult] = {}
    leaves: dict[str, float] = {}

    def visit(node: Mapping[str, Any], path: str, share: float) -> None:
        try:
            result = harker(
                node["pairwise"],
                method,
                random_index,
                threshold=threshold,
                criteria=node.get("criteria"),
            )
        except ScoringError as exc:
            raise ScoringError(f"hierarchy node {path or '(goal)'!r}: {exc}") from exc
        local[path] = result
        kids = node.get("children") or {}
        unknown = sorted(set(kids) - set(result.criteria))
        if unknown:
            raise ScoringError(
                f"hierarchy node {path or '(goal)'!r}: children given for unknown "
                f"criteria {unknown}; its criteria are {list(result.criteria)}"
            )
        for name, w in zip(result.criteria, result.weights, strict=True):
            child_path = f"{path}/{name}" if path else name
            if name in kids:
                visit(kids[name], child_path, share * float(w))
            else:
                leaves[child_path] = share * float(w)

    visit({"pairwise": pairwise, "criteria": criteria, "children": children}, "", 1.0)
    weights = WeightSet(
        weights=np.array(list(leaves.values())),
        criteria=tuple(leaves),
        method="ahp_hierarchy",
        params={"method": method, "threshold": threshold},
        notes=tuple(
            n for path, r in local.items() for n in (f"{path or '(goal)'}: {x}" for x in r.notes)
        ),
    )
    return AHPHierarchy(
        weights=weights,
        local=MappingProxyType(local),
        consistent=all(r.consistent for r in local.values()),
    )
