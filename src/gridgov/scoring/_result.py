"""What a scorer returns: :class:`ScoreResult`, and its per-criterion :class:`Explanation`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal, NamedTuple

import numpy as np
import numpy.typing as npt

from gridgov.errors import ScoringError
from gridgov.scoring._ranking import rank
from gridgov.scoring._table import CriteriaTable

__all__ = ["Explanation", "ScoreResult"]

Language = Literal["en", "zh"]

#: Default meaning of a contribution (English, Chinese).
WEIGHTED_VALUE = ("weight x normalised value", "权重 × 标准化值")


class Computed(NamedTuple):
    """Arrays a built-in method computes; turned into a :class:`ScoreResult` by the class."""

    scores: npt.NDArray[np.float64]
    normalised: npt.NDArray[np.float64] | None
    contributions: npt.NDArray[np.float64] | None
    details: dict[str, npt.NDArray[Any]]
    criterion_details: tuple[str, ...] = ()


def _frozen(array: npt.ArrayLike) -> npt.NDArray[Any]:
    """Return a read-only array; already read-only arrays are shared, others copied."""
    if isinstance(array, np.ndarray) and not array.flags.writeable:
        return array
    out = np.array(array, copy=True)
    out.flags.writeable = False
    return out


_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "method": "method",
        "higher": "higher is better",
        "lower": "lower is better",
        "params": "parameters",
        "rank": "rank",
        "alternative": "alternative",
        "score": "score",
        "criterion": "criterion",
        "direction": "direction",
        "value": "value",
        "normalised": "normalised",
        "weight": "weight",
        "contribution": "contribution",
        "benefit": "benefit",
        "cost": "cost",
        "meaning": "contribution = {}",
        "more": "… {} more alternative(s) not shown",
        "criteria_details": "per criterion",
        "set": "{}: {}",
    },
    "zh": {
        "method": "方法",
        "higher": "越高越好",
        "lower": "越低越好",
        "params": "参数",
        "rank": "排名",
        "alternative": "评价对象",
        "score": "得分",
        "criterion": "指标",
        "direction": "方向",
        "value": "原始值",
        "normalised": "标准化值",
        "weight": "权重",
        "contribution": "贡献",
        "benefit": "效益型",
        "cost": "成本型",
        "meaning": "贡献 = {}",
        "more": "… 另有 {} 个评价对象未显示",
        "criteria_details": "各指标",
        "set": "{}：{}",
    },
}

_DETAIL_NAMES_ZH: dict[str, str] = {
    "S": "S（群体效用）",
    "R": "R（个体遗憾）",
    "Q": "Q（折中指数）",
    "compromise_set": "折中解集",
    "d_plus": "到正理想解距离 d+",
    "d_minus": "到负理想解距离 d-",
    "ideal": "正理想解",
    "anti_ideal": "负理想解",
    "coefficients": "灰色关联系数",
    "reference": "参考序列",
    "phi_plus": "正流量 φ+",
    "phi_minus": "负流量 φ-",
    "phi": "净流量 φ",
}


def _fmt(value: float, digits: int) -> str:
    return f"{value:.{digits}f}" if np.isfinite(value) else str(value)


@dataclass(frozen=True, eq=False)
class Explanation:
    """Per-alternative, per-criterion account of a :class:`ScoreResult`.

    ``values``, ``normalised`` and ``contributions`` are (m, n) arrays in table order;
    ``normalised`` and ``contributions`` are ``None`` for scorers that do not provide them.
    ``contribution_meaning`` says, in English and Chinese, what a contribution is for this method
    (e.g. ``w * r`` summing to the score for weighted sum; the weighted regret summing to ``S`` for
    VIKOR). ``per_alternative`` and ``per_criterion`` hold the method's named 1-D details.

    Examples
    --------
    >>> from gridgov.scoring import CriteriaTable, WeightedSum
    >>> t = CriteriaTable([[1, 9], [3, 5]], ["A", "B"], ["x", "y"], "benefit")
    >>> e = WeightedSum().score(t).explain()
    >>> e.to_rows()[0]["contribution"]
    0.0
    >>> print(e.to_text(lang="zh").splitlines()[0])
    方法：weighted_sum（越高越好）
    """

    method: str
    higher_is_better: bool
    params: Mapping[str, Any]
    alternatives: tuple[str, ...]
    criteria: tuple[str, ...]
    directions: tuple[str, ...]
    weights: npt.NDArray[np.float64]
    values: npt.NDArray[np.float64]
    normalised: npt.NDArray[np.float64] | None
    contributions: npt.NDArray[np.float64] | None
    scores: npt.NDArray[np.float64]
    ranking: npt.NDArray[np.int64]
    contribution_meaning: tuple[str, str]
    per_alternative: Mapping[str, npt.NDArray[Any]]
    per_criterion: Mapping[str, npt.NDArray[Any]]
    sets: Mapping[str, tuple[str, ...]]

    def to_rows(self) -> list[dict[str, Any]]:
        """Return one dict per (alternative, criterion), best-ranked alternatives first.

        Returns
        -------
        list of dict
            Keys ``alternative``, ``rank``, ``score``, ``criterion``, ``direction``, ``value``,
            ``normalised``, ``weight``, ``contribution`` (``None`` where not provided).
        """
        rows: list[dict[str, Any]] = []
        for i in np.argsort(self.ranking, kind="stable"):
            for j, criterion in enumerate(self.criteria):
                rows.append(
                    {
                        "alternative": self.alternatives[i],
                        "rank": int(self.ranking[i]),
                        "score": float(self.scores[i]),
                        "criterion": criterion,
                        "direction": self.directions[j],
                        "value": float(self.values[i, j]),
                        "normalised": None
                        if self.normalised is None
                        else float(self.normalised[i, j]),
                        "weight": float(self.weights[j]),
                        "contribution": None
                        if self.contributions is None
                        else float(self.contributions[i, j]),
                    }
                )
        return rows

    def to_dict(self) -> dict[str, list[Any]]:
        """Return :meth:`to_rows` as columns, ready for ``polars.DataFrame(...)``.

        Returns
        -------
        dict of str to list
        """
        rows = self.to_rows()
        keys = list(rows[0]) if rows else []
        return {k: [r[k] for r in rows] for k in keys}

    def to_text(
        self, lang: Language = "en", *, max_alternatives: int | None = 20, digits: int = 4
    ) -> str:
        """Render the explanation as plain text in English or Chinese.

        Parameters
        ----------
        lang : {"en", "zh"}, default "en"
            Language of the labels (标准化值, 权重, 贡献, 排名 … for ``"zh"``).
        max_alternatives : int or None, default 20
            Show at most this many alternatives (best first); ``None`` shows all.
        digits : int, default 4
            Decimals printed.

        Returns
        -------
        str
        """
        if lang not in _LABELS:
            raise ScoringError(f"unknown language {lang!r}; available: en, zh")
        lab = _LABELS[lang]
        sep = "：" if lang == "zh" else ": "
        better = lab["higher"] if self.higher_is_better else lab["lower"]
        paren = ("（", "）") if lang == "zh" else (" (", ")")
        lines = [f"{lab['method']}{sep}{self.method}{paren[0]}{better}{paren[1]}"]
        if self.params:
            shown = ", ".join(f"{k}={v}" for k, v in self.params.items())
            lines.append(f"{lab['params']}{sep}{shown}")
        meaning = self.contribution_meaning[1 if lang == "zh" else 0]
        if self.contributions is not None and meaning:
            lines.append(lab["meaning"].format(meaning))
        for name, members in self.sets.items():
            label = _DETAIL_NAMES_ZH.get(name, name) if lang == "zh" else name
            lines.append(lab["set"].format(label, ", ".join(members)))
        for name, array in self.per_criterion.items():
            label = _DETAIL_NAMES_ZH.get(name, name) if lang == "zh" else name
            shown = ", ".join(
                f"{c}={_fmt(float(v), digits)}" for c, v in zip(self.criteria, array, strict=True)
            )
            lines.append(f"{label}{sep}{shown}")
        order = np.argsort(self.ranking, kind="stable")
        limit = len(order) if max_alternatives is None else max_alternatives
        for i in order[:limit]:
            extra = "".join(
                f"  {_DETAIL_NAMES_ZH.get(k, k) if lang == 'zh' else k}={_fmt(float(v[i]), digits)}"
                for k, v in self.per_alternative.items()
            )
            lines.append("")
            lines.append(
                f"{lab['rank']} {int(self.ranking[i])}  {lab['alternative']} "
                f"{self.alternatives[i]}  {lab['score']} {_fmt(float(self.scores[i]), digits)}"
                f"{extra}"
            )
            header = [lab["criterion"], lab["direction"], lab["value"]]
            if self.normalised is not None:
                header.append(lab["normalised"])
            header.append(lab["weight"])
            if self.contributions is not None:
                header.append(lab["contribution"])
            lines.append("    " + " | ".join(header))
            for j, criterion in enumerate(self.criteria):
                cells = [criterion, lab[self.directions[j]], _fmt(float(self.values[i, j]), digits)]
                if self.normalised is not None:
                    cells.append(_fmt(float(self.normalised[i, j]), digits))
                cells.append(_fmt(float(self.weights[j]), digits))
                if self.contributions is not None:
                    cells.append(_fmt(float(self.contributions[i, j]), digits))
                lines.append("    " + " | ".join(cells))
        if len(order) > limit:
            lines.append("")
            lines.append(lab["more"].format(len(order) - limit))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text("en")


@dataclass(frozen=True, eq=False)
class ScoreResult:
    """Scores of every alternative of a table, their ranking and the method's intermediates.

    Parameters
    ----------
    method : str
        Registered name of the scorer (``"topsis"``…).
    scores : array_like of float, shape (m,)
        One finite score per alternative, in the table's alternative order.
    higher_is_better : bool
        Direction of ``scores``.
    table : CriteriaTable
        The table that was scored.
    params : mapping, optional
        Every parameter that shaped the result (``normalisation``, ``v``, ``rho``,
        ``preference`` …), defaults included.
    details : mapping of str to array_like, optional
        Named intermediate arrays (``S``, ``R``, ``Q``, ``compromise_set`` for VIKOR;
        ``coefficients`` for grey relational; ``d_plus``/``d_minus`` for TOPSIS;
        ``phi_plus``/``phi_minus`` for PROMETHEE II).
    normalised, contributions : array_like, shape (m, n), optional
        Per-criterion normalised values and contributions used by :meth:`explain`.
    contribution_meaning : tuple of (str, str), optional
        What a contribution is, in English and Chinese.
    criterion_details : tuple of str, optional
        Names of the ``details`` indexed by criterion (e.g. TOPSIS ``ideal``); every other
        1-D detail of length m is indexed by alternative.

    Attributes
    ----------
    ranking : numpy.ndarray of int64
        Competition ranks (1 = best, ties within 1e-9 share a rank), always consistent with
        ``scores`` and ``higher_is_better`` (computed, never passed in).

    Raises
    ------
    gridgov.errors.ScoringError
        If ``scores`` has the wrong shape or a non-finite value.

    Examples
    --------
    >>> from gridgov.scoring import CriteriaTable, ScoreResult
    >>> t = CriteriaTable([[1.0], [2.0]], ["A", "B"], ["x"], "benefit")
    >>> r = ScoreResult("mine", [0.2, 0.7], True, t)
    >>> r.ranking, r.best
    (array([2, 1]), 'B')
    """

    method: str
    scores: npt.NDArray[np.float64]
    higher_is_better: bool
    table: CriteriaTable
    params: Mapping[str, Any] = field(default_factory=dict)
    details: Mapping[str, npt.NDArray[Any]] = field(default_factory=dict)
    normalised: npt.NDArray[np.float64] | None = None
    contributions: npt.NDArray[np.float64] | None = None
    contribution_meaning: tuple[str, str] = WEIGHTED_VALUE
    criterion_details: tuple[str, ...] = ()
    ranking: npt.NDArray[np.int64] = field(init=False)

    def __post_init__(self) -> None:
        m, n = self.table.shape
        scores = np.asarray(self.scores, dtype=np.float64)
        if scores.shape != (m,):
            raise ScoringError(
                f"scorer {self.method!r} returned scores of shape {scores.shape}; "
                f"expected ({m},), one per alternative"
            )
        bad = np.flatnonzero(~np.isfinite(scores))
        if bad.size:
            raise ScoringError(
                f"scorer {self.method!r} returned a non-finite score ({scores[bad[0]]}) for "
                f"alternative {self.table.alternatives[bad[0]]!r}"
            )
        setter = object.__setattr__
        setter(self, "scores", _frozen(scores))
        setter(self, "higher_is_better", bool(self.higher_is_better))
        setter(self, "params", dict(self.params))
        setter(self, "details", MappingProxyType({k: _frozen(v) for k, v in self.details.items()}))
        for name in ("normalised", "contributions"):
            array = getattr(self, name)
            if array is not None:
                array = np.asarray(array, dtype=np.float64)
                if array.shape != (m, n):
                    raise ScoringError(
                        f"scorer {self.method!r}: {name} has shape {array.shape}, expected {(m, n)}"
                    )
                setter(self, name, _frozen(array))
        setter(self, "ranking", _frozen(rank(scores, self.higher_is_better)))

    @classmethod
    def from_computed(
        cls,
        table: CriteriaTable,
        *,
        method: str,
        higher_is_better: bool,
        params: Mapping[str, Any],
        computed: Computed,
        contribution_meaning: tuple[str, str] = WEIGHTED_VALUE,
    ) -> ScoreResult:
        """Wrap a built-in method's :class:`Computed` arrays (internal helper).

        Parameters
        ----------
        table : CriteriaTable
            The scored table.
        method : str
            Scorer name.
        higher_is_better : bool
            Direction of the scores.
        params : mapping
            Parameters to record.
        computed : Computed
            Scores, normalised values, contributions and details.
        contribution_meaning : tuple of (str, str), optional
            What a contribution is (English, Chinese).

        Returns
        -------
        ScoreResult
        """
        for array in (
            computed.scores,
            computed.normalised,
            computed.contributions,
            *computed.details.values(),
        ):
            if isinstance(array, np.ndarray) and array.base is None:
                array.flags.writeable = False  # freshly computed and owned: share, don't copy
        return cls(
            method=method,
            scores=computed.scores,
            higher_is_better=higher_is_better,
            table=table,
            params=params,
            details=computed.details,
            normalised=computed.normalised,
            contributions=computed.contributions,
            contribution_meaning=contribution_meaning,
            criterion_details=computed.criterion_details,
        )

    @property
    def alternatives(self) -> tuple[str, ...]:
        """Alternative names, in the order of ``scores``."""
        return self.table.alternatives

    @property
    def criteria(self) -> tuple[str, ...]:
        """Criterion names of the scored table."""
        return self.table.criteria

    @property
    def order(self) -> npt.NDArray[np.intp]:
        """Indices of the alternatives from best to worst (ties in table order)."""
        return np.argsort(self.ranking, kind="stable")

    @property
    def best(self) -> str:
        """Name of the best alternative (the first in table order among ties)."""
        return self.table.alternatives[int(self.order[0])]

    def ranked(self) -> list[tuple[int, str, float]]:
        """Return ``(rank, alternative, score)`` from best to worst.

        Returns
        -------
        list of tuple
        """
        return [
            (int(self.ranking[i]), self.alternatives[i], float(self.scores[i])) for i in self.order
        ]

    def explain(self) -> Explanation:
        """Return the per-criterion :class:`Explanation` of this result.

        Returns
        -------
        Explanation
        """
        m, n = self.table.shape
        per_alternative: dict[str, npt.NDArray[Any]] = {}
        per_criterion: dict[str, npt.NDArray[Any]] = {}
        sets: dict[str, tuple[str, ...]] = {}
        for name, array in self.details.items():
            if name in self.criterion_details:
                if array.shape == (n,):
                    per_criterion[name] = array
            elif array.dtype == np.bool_ and array.shape == (m,):
                sets[name] = tuple(
                    a for a, keep in zip(self.alternatives, array, strict=True) if keep
                )
            elif array.shape == (m,):
                per_alternative[name] = array
        return Explanation(
            method=self.method,
            higher_is_better=self.higher_is_better,
            params=dict(self.params),
            alternatives=self.table.alternatives,
            criteria=self.table.criteria,
            directions=self.table.directions,
            weights=self.table.weights,
            values=self.table.values,
            normalised=self.normalised,
            contributions=self.contributions,
            scores=self.scores,
            ranking=self.ranking,
            contribution_meaning=self.contribution_meaning,
            per_alternative=MappingProxyType(per_alternative),
            per_criterion=MappingProxyType(per_criterion),
            sets=MappingProxyType(sets),
        )

    def to_dict(self) -> dict[str, list[Any]]:
        """Return columns ``alternative``, ``score``, ``rank`` and every 1-D per-alternative detail.

        Returns
        -------
        dict of str to list
            Ready for ``polars.DataFrame(result.to_dict())``.
        """
        m = len(self.alternatives)
        out: dict[str, list[Any]] = {
            "alternative": list(self.alternatives),
            "score": self.scores.tolist(),
            "rank": self.ranking.tolist(),
        }
        for name, array in self.details.items():
            if array.shape == (m,) and name not in out and name not in self.criterion_details:
                out[name] = array.tolist()
        return out

    def to_rows(self) -> list[dict[str, Any]]:
        """Return :meth:`to_dict` as one dict per alternative, in table order.

        Returns
        -------
        list of dict
        """
        columns = self.to_dict()
        return [
            dict(zip(columns, values, strict=True))
            for values in zip(*columns.values(), strict=True)
        ]

    def __repr__(self) -> str:
        m, n = self.table.shape
        better = "higher" if self.higher_is_better else "lower"
        return (
            f"ScoreResult(method={self.method!r}, {m} alternatives x {n} criteria, "
            f"{better} is better, best={self.best!r})"
        )
