"""The shared body of the built-in scorer classes.

Each method module holds a pure numpy function and a thin class; the class only validates
its parameters and says how to compute on a table. Building the :class:`ScoreResult`,
recording parameters and ``repr`` are the same for all and live here.
"""

from __future__ import annotations

import abc
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from gridgov.scoring._checks import BoolArray, FloatArray
from gridgov.scoring._result import Computed, ScoreResult
from gridgov.scoring._table import CriteriaTable

__all__ = ["BuiltinScorer", "NormalisingScorer", "ParameterlessScorer"]

if TYPE_CHECKING:
    #: A method's computation ``(values, weights, is_benefit, criteria) -> Computed``, held by
    #: a class as a static method.
    Kernel = staticmethod[[FloatArray, FloatArray, BoolArray, Sequence[str] | None], Computed]
    #: The same with a normalisation: ``(values, weights, is_benefit, normalisation, criteria)``.
    NormalisingKernel = staticmethod[
        [FloatArray, FloatArray, BoolArray, str, Sequence[str] | None], Computed
    ]


class BuiltinScorer(abc.ABC):
    """Base of the built-in scorers; third-party scorers need only the ``Scorer`` protocol."""

    __slots__ = ()
    name: str
    higher_is_better: bool = True
    #: What one contribution in the explanation means, in English and in Chinese.
    contribution_meaning: tuple[str, str]

    @property
    @abc.abstractmethod
    def params(self) -> dict[str, Any]:
        """Parameters of this scorer, as given."""

    @abc.abstractmethod
    def _run(self, table: CriteriaTable) -> tuple[Computed, dict[str, Any]]:
        """Compute on ``table``; return the computation and the parameters to record."""

    def score(self, table: CriteriaTable) -> ScoreResult:
        """Score every alternative of ``table``.

        Parameters
        ----------
        table : CriteriaTable
            The decision matrix.

        Returns
        -------
        ScoreResult
        """
        computed, params = self._run(table)
        return ScoreResult.from_computed(
            table,
            method=self.name,
            higher_is_better=self.higher_is_better,
            params=params,
            computed=computed,
            contribution_meaning=self.contribution_meaning,
        )

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        return f"{type(self).__name__}({args})"


class ParameterlessScorer(BuiltinScorer):
    """Base of the built-in scorers without parameters: they run ``_kernel`` on the table.

    A subclass sets ``_kernel = staticmethod(_compute)``, its module's computation.
    """

    __slots__ = ()
    _kernel: ClassVar[Kernel]

    @property
    def params(self) -> dict[str, Any]:
        """Parameters of this scorer (none)."""
        return {}

    def _run(self, table: CriteriaTable) -> tuple[Computed, dict[str, Any]]:
        x, w, b = table.values, table.weights, table.is_benefit
        return type(self)._kernel(x, w, b, table.criteria), self.params


class NormalisingScorer(BuiltinScorer):
    """Base of the built-in scorers whose one parameter is a normalisation.

    A subclass validates ``normalisation`` into ``_normalisation`` in its ``__init__`` (each
    has its own default) and sets ``_kernel = staticmethod(_compute)``.
    """

    __slots__ = ("_normalisation",)
    _normalisation: str
    _kernel: ClassVar[NormalisingKernel]

    @property
    def params(self) -> dict[str, Any]:
        """Parameters of this scorer."""
        return {"normalisation": self._normalisation}

    def _run(self, table: CriteriaTable) -> tuple[Computed, dict[str, Any]]:
        x, w, b = table.values, table.weights, table.is_benefit
        return type(self)._kernel(x, w, b, self._normalisation, table.criteria), self.params
