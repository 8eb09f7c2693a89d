r"""Comparing rankings: rank-similarity coefficients and one table scored by several methods.

The coefficients take two rankings (1 = best; ties may share a rank or hold mid-ranks):

- :func:`spearman`: Spearman's :math:`r_s`, the Pearson correlation of the ranks, in [-1, 1];
- :func:`weighted_spearman`: :math:`r_w`, disagreements near the top weigh more (Pinto da
  Costa & Soares 2005), in [-1, 1];
- :func:`ws_similarity`: WS (Sałabun & Urbaniak 2020), asymmetric (the first ranking is the
  reference), in [0, 1];
- :func:`kendall_tau`: Kendall's :math:`\tau_b` (or :math:`\tau_a`), in [-1, 1];
- :func:`goodman_kruskal_gamma`: Goodman & Kruskal's :math:`\gamma`, in [-1, 1].

:func:`compare` scores one :class:`~gridgov.scoring.CriteriaTable` with several scorers and
returns a :class:`RankingComparison`: the rankings side by side and their similarity matrix;
:func:`plot_comparison` draws both (matplotlib, the ``plot`` extra).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

import numpy as np
import numpy.typing as npt

from gridgov.errors import ScoringError, missing_extra
from gridgov.scoring._ranking import rank
from gridgov.scoring._registry import Scorer, get_scorer
from gridgov.scoring._table import CriteriaTable

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    from matplotlib.figure import Figure

__all__ = [
    "COEFFICIENTS",
    "RankingComparison",
    "compare",
    "goodman_kruskal_gamma",
    "kendall_tau",
    "plot_comparison",
    "spearman",
    "weighted_spearman",
    "ws_similarity",
]

FloatArray = npt.NDArray[np.float64]
Coefficient: TypeAlias = Literal["rs", "rw", "ws", "tau", "gamma"]
_BLOCK = 1 << 22  # pairs per block of the O(n^2) coefficients


def _pair(x: npt.ArrayLike, y: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    try:
        a = np.asarray(x, dtype=np.float64)
        b = np.asarray(y, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ScoringError(f"rankings must be numbers: {exc}") from exc
    if a.ndim != 1 or a.shape != b.shape:
        raise ScoringError(
            f"rankings must be two 1-D arrays of one length, got shapes {a.shape} and {b.shape}"
        )
    if a.size < 2:
        raise ScoringError(f"comparing rankings needs at least 2 alternatives, got {a.size}")
    if not (np.isfinite(a).all() and np.isfinite(b).all()):
        raise ScoringError("rankings must be finite")
    return a, b


def spearman(x: npt.ArrayLike, y: npt.ArrayLike) -> float:
    r"""Spearman's rank correlation :math:`r_s`: the Pearson correlation of two rankings.

    Parameters
    ----------
    x, y : array_like, shape (n,)
        Rankings (ties as mid-ranks give the tie-corrected coefficient).

    Returns
    -------
    float
        In [-1, 1].

    Raises
    ------
    gridgov.errors.ScoringError
        Malformed input, or a ranking in which every alternative ties (undefined).

    References
    ----------
    .. [1] Spearman, C. (1904). The proof and measurement of association between two
       things. *American Journal of Psychology* 15(1), 72-101.

    Examples
    --------
    >>> from gridgov.scoring import spearman
    >>> spearman([1, 2, 3, 4, 5], [1, 3, 2, 4, 5])
    0.9
    """
    a, b = _pair(x, y)
    da = a - a.mean()
    db = b - b.mean()
    denominator = float(np.sqrt((da @ da) * (db @ db)))
    if denominator == 0:
        raise ScoringError("Spearman's r_s is undefined when every alternative ties in a ranking")
    return round(float(da @ db) / denominator, 15)


def weighted_spearman(x: npt.ArrayLike, y: npt.ArrayLike) -> float:
    r"""Weighted Spearman :math:`r_w`: disagreements near the top count more.

    .. math:: r_w = 1 - \frac{6 \sum_i (x_i - y_i)^2 \left((N - x_i + 1) + (N - y_i + 1)\right)}
              {N^4 + N^3 - N^2 - N}

    Parameters
    ----------
    x, y : array_like, shape (n,)
        Rankings, 1 = best.

    Returns
    -------
    float
        1 for identical rankings, -1 for reversed ones (without ties).

    References
    ----------
    .. [1] Pinto da Costa, J., Soares, C. (2005). A weighted rank measure of correlation.
       *Australian & New Zealand Journal of Statistics* 47(4), 515-529.

    Examples
    --------
    >>> from gridgov.scoring import weighted_spearman
    >>> round(weighted_spearman([1, 2, 3, 4, 5], [1, 3, 2, 4, 5]), 4)
    0.8833
    """
    a, b = _pair(x, y)
    n = a.size
    numerator = 6.0 * float(((a - b) ** 2 * ((n - a + 1) + (n - b + 1))).sum())
    return 1.0 - numerator / float(n**4 + n**3 - n**2 - n)


def ws_similarity(x: npt.ArrayLike, y: npt.ArrayLike) -> float:
    r"""WS rank similarity of ``y`` to the reference ranking ``x`` (asymmetric).

    .. math:: WS = 1 - \sum_i 2^{-x_i} \frac{|x_i - y_i|}{\max(|x_i - 1|, |x_i - N|)}

    A swap near the top of the reference costs more than one near the bottom.

    Parameters
    ----------
    x : array_like, shape (n,)
        The reference ranking, 1 = best.
    y : array_like, shape (n,)
        The ranking compared with it.

    Returns
    -------
    float
        In [0, 1] for rankings of 1..N; 1 when they agree.

    References
    ----------
    .. [1] Sałabun, W., Urbaniak, K. (2020). A new coefficient of rankings similarity in
       decision-making problems. *Computational Science - ICCS 2020*, LNCS 12138, 632-645.

    Examples
    --------
    >>> from gridgov.scoring import ws_similarity
    >>> round(ws_similarity([1, 2, 3, 4, 5], [1, 3, 2, 4, 5]), 4)
    0.8542
    """
    a, b = _pair(x, y)
    n = a.size
    spread = np.maximum(np.abs(a - 1.0), np.abs(n - a))
    return 1.0 - float((2.0**-a * np.abs(a - b) / spread).sum())


def _concordance(a: FloatArray, b: FloatArray) -> tuple[int, int, int, int, int]:
    """Counts over pairs i < j: concordant, discordant, tied in x only, in y only, in both."""
    n = a.size
    concordant = discordant = tie_x = tie_y = tie_both = 0
    rows = max(1, _BLOCK // n)
    for start in range(0, n, rows):
        stop = min(start + rows, n)
        sx = np.sign(a[start:stop, None] - a[None, :])
        sy = np.sign(b[start:stop, None] - b[None, :])
        upper = np.arange(start, stop)[:, None] < np.arange(n)[None, :]
        product = (sx * sy)[upper]
        zx = (sx == 0)[upper]
        zy = (sy == 0)[upper]
        concordant += int((product > 0).sum())
        discordant += int((product < 0).sum())
        tie_both += int((zx & zy).sum())
        tie_x += int((zx & ~zy).sum())
        tie_y += int((zy & ~zx).sum())
    return concordant, discordant, tie_x, tie_y, tie_both


def kendall_tau(x: npt.ArrayLike, y: npt.ArrayLike, *, variant: str = "b") -> float:
    r"""Kendall's rank correlation :math:`\tau`.

    With :math:`P` concordant and :math:`Q` discordant pairs among
    :math:`n_0 = n(n-1)/2`: :math:`\tau_a = (P - Q) / n_0`; :math:`\tau_b` divides by
    :math:`\sqrt{(n_0 - T_x)(n_0 - T_y)}` instead (ties corrected). O(n²) time in blocks.

    Parameters
    ----------
    x, y : array_like, shape (n,)
        Rankings.
    variant : {"b", "a"}, default "b"
        ``"a"`` is what pymcdm computes; they agree when there are no ties.

    Returns
    -------
    float
        In [-1, 1].

    Raises
    ------
    gridgov.errors.ScoringError
        Malformed input, an unknown variant, or (``"b"``) a ranking in which all tie.

    References
    ----------
    .. [1] Kendall, M. G. (1938). A new measure of rank correlation. *Biometrika* 30(1/2),
       81-93.
    .. [2] Kendall, M. G. (1945). The treatment of ties in ranking problems. *Biometrika*
       33(3), 239-251.

    Examples
    --------
    >>> from gridgov.scoring import kendall_tau
    >>> kendall_tau([1, 2, 3, 4, 5], [1, 3, 2, 4, 5])
    0.8
    """
    if variant not in ("a", "b"):
        raise ScoringError(f"kendall_tau: unknown variant {variant!r}; available: a, b")
    a, b = _pair(x, y)
    concordant, discordant, tie_x, tie_y, tie_both = _concordance(a, b)
    n0 = a.size * (a.size - 1) // 2
    if variant == "a":
        return (concordant - discordant) / n0
    denominator = float(np.sqrt((n0 - tie_x - tie_both) * (n0 - tie_y - tie_both)))
    if denominator == 0:
        raise ScoringError("Kendall's tau_b is undefined when every alternative ties in a ranking")
    return round((concordant - discordant) / denominator, 15)


def goodman_kruskal_gamma(x: npt.ArrayLike, y: npt.ArrayLike) -> float:
    r"""Goodman and Kruskal's :math:`\gamma = (P - Q) / (P + Q)`, ties left out.

    Parameters
    ----------
    x, y : array_like, shape (n,)
        Rankings.

    Returns
    -------
    float
        In [-1, 1].

    Raises
    ------
    gridgov.errors.ScoringError
        Malformed input, or no pair ordered in both rankings (undefined).

    References
    ----------
    .. [1] Goodman, L. A., Kruskal, W. H. (1954). Measures of association for cross
       classifications. *Journal of the American Statistical Association* 49(268), 732-764.

    Examples
    --------
    >>> from gridgov.scoring import goodman_kruskal_gamma
    >>> goodman_kruskal_gamma([1, 2, 3, 4, 5], [1, 3, 2, 4, 5])
    0.8
    """
    a, b = _pair(x, y)
    concordant, discordant, *_ = _concordance(a, b)
    if concordant + discordant == 0:
        raise ScoringError("Goodman-Kruskal gamma is undefined: no pair is ordered in both")
    return (concordant - discordant) / (concordant + discordant)


#: Name -> coefficient function, for :func:`compare` and :meth:`RankingComparison.matrix`.
COEFFICIENTS: Mapping[str, Callable[[npt.ArrayLike, npt.ArrayLike], float]] = {
    "gamma": goodman_kruskal_gamma,
    "rs": spearman,
    "rw": weighted_spearman,
    "tau": kendall_tau,
    "ws": ws_similarity,
}


def _check_coefficient(name: str) -> str:
    if name not in COEFFICIENTS:
        raise ScoringError(
            f"unknown rank coefficient {name!r}; available: {', '.join(sorted(COEFFICIENTS))}"
        )
    return name


_TEXT = {
    "en": {"alternative": "alternative", "rank": "ranks", "matrix": "similarity ({})"},
    "zh": {"alternative": "评价对象", "rank": "各方法排名", "matrix": "排名相似度（{}）"},
}


@dataclass(frozen=True, eq=False)
class RankingComparison:
    """One table's alternatives ranked by several scorers, and how similar the rankings are.

    Attributes
    ----------
    labels : tuple of str
        One label per scorer (its name, made unique with ``#2`` … when repeated).
    alternatives : tuple of str
        The table's alternatives.
    scores : numpy.ndarray, shape (m, k)
        Each scorer's scores (in its own direction).
    rankings : numpy.ndarray, shape (m, k)
        Mid-ranks (1 = best; tied alternatives share the average of their places).
    params : tuple of dict
        Each scorer's recorded parameters.
    coefficient : str
        The coefficient of ``similarity`` (a key of :data:`COEFFICIENTS`).
    similarity : numpy.ndarray, shape (k, k)
        ``similarity[i, j]`` compares ranking ``j`` with ranking ``i`` (the reference, for
        the asymmetric ``"ws"``).

    Examples
    --------
    >>> from gridgov.scoring import CriteriaTable, compare
    >>> t = CriteriaTable([[1, 9], [3, 5], [2, 8]], ["A", "B", "C"], ["x", "y"], "benefit",
    ...                   [0.3, 0.7])
    >>> c = compare(t, ["weighted_sum", "topsis"])
    >>> c.rankings
    array([[1., 2.],
           [3., 3.],
           [2., 1.]])
    >>> print(c.to_text())
    alternative  weighted_sum  topsis
    A            1             2
    B            3             3
    C            2             1
    similarity (rw)  weighted_sum  topsis
    weighted_sum     1.0000        0.3750
    topsis           0.3750        1.0000
    """

    labels: tuple[str, ...]
    alternatives: tuple[str, ...]
    scores: FloatArray
    rankings: FloatArray
    params: tuple[dict[str, Any], ...]
    coefficient: str
    similarity: FloatArray = field(repr=False)

    def matrix(self, coefficient: str) -> FloatArray:
        """Return the (k, k) similarity matrix of the rankings under ``coefficient``.

        Parameters
        ----------
        coefficient : {"rs", "rw", "ws", "tau", "gamma"}
            A key of :data:`COEFFICIENTS`.

        Returns
        -------
        numpy.ndarray
        """
        function = COEFFICIENTS[_check_coefficient(coefficient)]
        k = len(self.labels)
        out = np.empty((k, k))
        for i in range(k):
            for j in range(k):
                out[i, j] = function(self.rankings[:, i], self.rankings[:, j])
        return out

    def to_dict(self) -> dict[str, Any]:
        """Plain lists and dicts (JSON-ready): rankings by method and the matrix by rows.

        Returns
        -------
        dict
        """
        return {
            "alternatives": list(self.alternatives),
            "methods": list(self.labels),
            "params": {label: dict(p) for label, p in zip(self.labels, self.params, strict=True)},
            "rankings": {
                label: self.rankings[:, j].tolist() for j, label in enumerate(self.labels)
            },
            "coefficient": self.coefficient,
            "similarity": {
                label: dict(zip(self.labels, self.similarity[i].tolist(), strict=True))
                for i, label in enumerate(self.labels)
            },
        }

    def to_text(self, lang: Literal["en", "zh"] = "en", digits: int = 4) -> str:
        """A plain-text table of the rankings and the similarity matrix.

        Parameters
        ----------
        lang : {"en", "zh"}, default "en"
            Language of the headings.
        digits : int, default 4
            Decimals of the similarities.

        Returns
        -------
        str
        """
        words = _TEXT[lang]

        def fmt_rank(v: float) -> str:
            return str(int(v)) if float(v).is_integer() else f"{v:g}"

        def table(rows: list[list[str]]) -> list[str]:
            widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
            return [
                "  ".join(cell.ljust(widths[c]) for c, cell in enumerate(r)).rstrip() for r in rows
            ]

        ranks = [[words["alternative"], *self.labels]]
        ranks += [
            [name, *(fmt_rank(v) for v in self.rankings[i])]
            for i, name in enumerate(self.alternatives)
        ]
        head = words["matrix"].format(self.coefficient)
        matrix = [[head, *self.labels]]
        matrix += [
            [label, *(f"{v:.{digits}f}" for v in self.similarity[i])]
            for i, label in enumerate(self.labels)
        ]
        return "\n".join(table(ranks) + table(matrix))


def compare(
    table: CriteriaTable,
    methods: Sequence[str | Scorer] | Mapping[str, str | Scorer],
    *,
    coefficient: str = "rw",
) -> RankingComparison:
    """Score ``table`` with several scorers and compare their rankings.

    Parameters
    ----------
    table : CriteriaTable
        The decision matrix.
    methods : sequence of (str or Scorer), or mapping of label to (str or Scorer)
        Registered names (default parameters) or scorer instances; a mapping gives the
        labels (e.g. ``{"TOPSIS minmax": Topsis(normalisation="minmax")}``).
    coefficient : {"rw", "rs", "ws", "tau", "gamma"}, default "rw"
        The coefficient of the similarity matrix; others via
        :meth:`RankingComparison.matrix`.

    Returns
    -------
    RankingComparison

    Raises
    ------
    gridgov.errors.ScoringError
        No method, an unknown coefficient, or fewer than two alternatives.
    gridgov.errors.UnknownScorerError
        An unknown scorer name.

    Examples
    --------
    >>> from gridgov.scoring import CriteriaTable, compare
    >>> t = CriteriaTable([[1, 9], [3, 5], [2, 8]], ["A", "B", "C"], ["x", "y"],
    ...                   ["benefit", "cost"])
    >>> c = compare(t, ["weighted_sum", "vikor", "spotis"], coefficient="ws")
    >>> c.labels
    ('weighted_sum', 'vikor', 'spotis')
    >>> c.similarity.round(3)
    array([[1., 1., 1.],
           [1., 1., 1.],
           [1., 1., 1.]])
    """
    coefficient = _check_coefficient(coefficient)
    items = list(methods.items()) if isinstance(methods, Mapping) else [(None, m) for m in methods]
    if not items:
        raise ScoringError("compare needs at least one method")
    labels: list[str] = []
    scores = []
    rankings = []
    params: list[dict[str, Any]] = []
    for label, method in items:
        scorer = get_scorer(method) if isinstance(method, str) else method
        result = scorer.score(table)
        name = label if label is not None else scorer.name
        unique = name
        count = 2
        while unique in labels:
            unique = f"{name}#{count}"
            count += 1
        labels.append(unique)
        scores.append(result.scores)
        rankings.append(rank(result.scores, result.higher_is_better, "average"))
        params.append(dict(result.params))
    if len(table.alternatives) < 2:
        raise ScoringError("compare needs at least 2 alternatives to rank")
    comparison = RankingComparison(
        labels=tuple(labels),
        alternatives=table.alternatives,
        scores=np.column_stack(scores),
        rankings=np.column_stack(rankings).astype(np.float64),
        params=tuple(params),
        coefficient=coefficient,
        similarity=np.empty((0, 0)),
    )
    object.__setattr__(comparison, "similarity", comparison.matrix(coefficient))
    return comparison


def plot_comparison(comparison: RankingComparison, *, title: str | None = None) -> Figure:
    """Draw the rankings (one line per alternative across methods) and the similarity matrix.

    The figure most method-comparison papers print. Needs matplotlib (``gridgov[plot]``).

    Parameters
    ----------
    comparison : RankingComparison
        From :func:`compare`.
    title : str, optional
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        Two axes: rankings (rank 1 on top) and the annotated matrix.

    Raises
    ------
    gridgov.errors.MissingExtraError
        Without matplotlib.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from gridgov.scoring import CriteriaTable, compare, plot_comparison
    >>> t = CriteriaTable([[1, 9], [3, 5], [2, 8]], ["A", "B", "C"], ["x", "y"], "benefit")
    >>> fig = plot_comparison(compare(t, ["weighted_sum", "topsis", "vikor"]))
    >>> len(fig.axes)
    3
    """
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise missing_extra("matplotlib", "plot", "ranking comparison plots") from None
    k = len(comparison.labels)
    m = len(comparison.alternatives)
    fig = Figure(figsize=(5 + 1.2 * k, 4 + 0.1 * m), layout="constrained")
    left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.3, 1]})
    positions = np.arange(k)
    for i, name in enumerate(comparison.alternatives):
        left.plot(positions, comparison.rankings[i], marker="o", label=name)
    left.set_xticks(positions, comparison.labels, rotation=30, ha="right")
    left.set_ylabel("rank")
    left.invert_yaxis()
    if m <= 15:
        left.legend(fontsize="small", loc="center left", bbox_to_anchor=(1.0, 0.5))
    low = -1.0 if comparison.coefficient != "ws" else 0.0
    image = right.imshow(comparison.similarity, vmin=low, vmax=1.0, cmap="viridis")
    right.set_xticks(positions, comparison.labels, rotation=30, ha="right")
    right.set_yticks(positions, comparison.labels)
    for i in range(k):
        for j in range(k):
            value = comparison.similarity[i, j]
            right.text(
                j,
                i,
                f"{value:.2f}",
                ha="center",
                va="center",
                fontsize="small",
                color="white" if value < (low + 1) / 2 + 0.25 else "black",
            )
    right.set_title(comparison.coefficient)
    fig.colorbar(image, ax=right, shrink=0.8)
    if title:
        fig.suptitle(title)
    return fig
