"""Scorer protocol, registry, entry points, the decorator, and import hygiene."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from gridgov.errors import PluginError, UnknownScorerError
from gridgov.scoring import (
    CriteriaTable,
    PluginWarning,
    Scorer,
    ScoreResult,
    Topsis,
    available_scorers,
    get_scorer,
    register_scorer,
    scorer,
    unregister_scorer,
)
from gridgov.scoring._registry import _reset_registry
from gridgov.scoring.testing import check_scorer

BUILTINS = [
    "aras",
    "cocoso",
    "codas",
    "comet",
    "copras",
    "edas",
    "electre_i",
    "electre_iii",
    "grey_relational",
    "mabac",
    "marcos",
    "moora",
    "multimoora",
    "promethee_ii",
    "spotis",
    "todim",
    "topsis",
    "vikor",
    "waspas",
    "weighted_product",
    "weighted_sum",
]


@pytest.fixture(autouse=True)
def clean_registry() -> Iterator[None]:
    _reset_registry()
    yield
    _reset_registry()


def table() -> CriteriaTable:
    return CriteriaTable([[1, 5], [3, 4], [2, 2]], ["A", "B", "C"], ["x", "y"], "benefit")


class ConstantScorer:
    name = "constant"
    higher_is_better = True

    def score(self, table: CriteriaTable) -> ScoreResult:
        return ScoreResult(self.name, np.arange(len(table), dtype=float), True, table)


class FakeEntryPoint:
    def __init__(self, name: str, value: str, obj: object = None, error: Exception | None = None):
        self.name = name
        self.value = value
        self._obj = obj
        self._error = error

    def load(self) -> object:
        if self._error is not None:
            raise self._error
        return self._obj


def fake_entry_points(points: list[FakeEntryPoint]) -> Any:
    def entry_points(*, group: str) -> list[FakeEntryPoint]:
        assert group == "gridgov.scorers"
        return points

    return entry_points


def test_builtins_available_and_sorted() -> None:
    names = available_scorers()
    assert names == sorted(names)
    assert set(BUILTINS) <= set(names)


#: Built-ins whose defaults scale by the data's ranges: improving one alternative can widen
#: a range and change how the *other* alternatives compare with each other, so its rank
#: may drop although its own comparisons only improved (documented in each method).
NOT_MONOTONE = {"electre_i"}


@pytest.mark.parametrize("name", BUILTINS)
def test_every_builtin_passes_the_conformance_kit(name: str) -> None:
    s = get_scorer(name)
    assert isinstance(s, Scorer)
    assert s.name == name
    check_scorer(s, monotone=name not in NOT_MONOTONE)


@pytest.mark.parametrize("name", sorted(NOT_MONOTONE))
def test_not_monotone_builtins_really_are_not(name: str) -> None:
    # keep the exemption honest: the conformance table shows the rank drop
    with pytest.raises(AssertionError, match="not monotone"):
        check_scorer(get_scorer(name), monotone=True)


def test_installed_entry_points_match_builtins() -> None:
    declared = {
        ep.name: ep.value for ep in importlib.metadata.entry_points(group="gridgov.scorers")
    }
    # the installed metadata lags pyproject.toml until the package is reinstalled; what it
    # declares must match, and the five original built-ins are always declared
    assert {"grey_relational", "promethee_ii", "topsis", "vikor", "weighted_sum"} <= set(declared)
    for name in set(BUILTINS) & set(declared):
        module, attr = declared[name].split(":")
        assert type(get_scorer(name)).__name__ == attr
        assert module == "gridgov.scoring.methods"


def test_pyproject_declares_every_builtin() -> None:
    pyproject = Path(__file__).parents[2] / "pyproject.toml"
    declared = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["entry-points"][
        "gridgov.scorers"
    ]
    assert sorted(declared) == BUILTINS
    for name, value in declared.items():
        module, attr = value.split(":")
        assert module == "gridgov.scoring.methods"
        assert type(get_scorer(name)).__name__ == attr


def test_unknown_name_lists_available_and_suggests() -> None:
    with pytest.raises(UnknownScorerError) as info:
        get_scorer("topsys")
    message = str(info.value)
    assert message.startswith("unknown scorer 'topsys'; available: ")
    assert ", ".join(BUILTINS) in message
    assert message.endswith("did you mean 'topsis'?")
    assert isinstance(info.value, LookupError)
    with pytest.raises(UnknownScorerError, match="available") as info:
        get_scorer("zzzzzz")
    assert "did you mean" not in str(info.value)


def test_params_are_passed() -> None:
    assert get_scorer("topsis", normalisation="minmax").params == {"normalisation": "minmax"}
    with pytest.raises(TypeError):
        get_scorer("topsis", v=0.5)


def test_register_class_and_factory() -> None:
    register_scorer("constant", ConstantScorer)
    assert "constant" in available_scorers()
    assert get_scorer("constant").score(table()).ranking.tolist() == [3, 2, 1]
    with pytest.raises(PluginError, match="already registered"):
        register_scorer("constant", ConstantScorer)

    def factory(**params: object) -> ConstantScorer:
        assert params == {}
        return ConstantScorer()

    register_scorer("constant", factory, replace=True)
    assert isinstance(get_scorer("constant"), ConstantScorer)
    unregister_scorer("constant")
    assert "constant" not in available_scorers()
    with pytest.raises(UnknownScorerError, match="not registered"):
        unregister_scorer("constant")


def test_registration_checks_protocol() -> None:
    class NoScore:
        name = "x"
        higher_is_better = True

    class BadDirection:
        name = "x"
        higher_is_better = "yes"

        def score(self, table: CriteriaTable) -> ScoreResult:  # pragma: no cover
            raise NotImplementedError

    with pytest.raises(PluginError, match=r"missing score\(table\)"):
        register_scorer("no_score", NoScore)
    with pytest.raises(PluginError, match="higher_is_better must be a bool"):
        register_scorer("bad_direction", BadDirection)
    with pytest.raises(PluginError, match="class or a factory"):
        register_scorer("instance", 42)
    with pytest.raises(PluginError, match="lower-case"):
        register_scorer("Bad Name", ConstantScorer)
    with pytest.raises(PluginError, match="built-in"):
        register_scorer("topsis", ConstantScorer)

    # a factory is checked when called
    def liar() -> object:
        return object()

    register_scorer("liar", liar)
    with pytest.raises(PluginError, match="lacks"):
        get_scorer("liar")


def test_broken_entry_point_warns_and_is_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    points = [
        FakeEntryPoint("topsis", "gridgov.scoring.methods:Topsis", Topsis),  # ours: silent
        FakeEntryPoint("good", "pkg:Good", ConstantScorer),
        FakeEntryPoint("broken", "pkg:Broken", error=ImportError("no module named pkg")),
        FakeEntryPoint("not_a_scorer", "pkg:thing", obj=42),
        FakeEntryPoint("vikor", "evil:Vikor", ConstantScorer),  # cannot shadow a built-in
    ]
    monkeypatch.setattr(importlib.metadata, "entry_points", fake_entry_points(points))
    with pytest.warns(PluginWarning) as record:
        names = available_scorers()
    messages = [str(w.message) for w in record]
    assert any("'broken'" in m and "ImportError: no module named pkg" in m for m in messages)
    assert any("'not_a_scorer'" in m for m in messages)
    assert any("'vikor'" in m and "already taken" in m for m in messages)
    assert len(messages) == 3
    assert "good" in names
    assert "broken" not in names
    assert "not_a_scorer" not in names
    assert isinstance(get_scorer("good"), ConstantScorer)
    assert isinstance(get_scorer("vikor"), type(get_scorer("vikor")))
    assert type(get_scorer("vikor")).__name__ == "Vikor"
    # read once and cached: no second warning
    assert available_scorers() == names


def test_entry_points_are_loaded_lazily(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def entry_points(*, group: str) -> list[FakeEntryPoint]:
        calls.append(group)
        return [FakeEntryPoint("good", "pkg:Good", ConstantScorer)]

    monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)
    assert calls == []
    get_scorer("good")
    get_scorer("good")
    available_scorers()
    assert calls == ["gridgov.scorers"]


@pytest.mark.parametrize(
    ("value", "disabled"), [("1", True), ("yes", True), ("0", False), ("", False)]
)
def test_env_var_disables_plugins(
    monkeypatch: pytest.MonkeyPatch, value: str, disabled: bool
) -> None:
    monkeypatch.setattr(
        importlib.metadata,
        "entry_points",
        fake_entry_points([FakeEntryPoint("good", "pkg:Good", ConstantScorer)]),
    )
    monkeypatch.setenv("GRIDGOV_DISABLE_PLUGINS", value)
    names = available_scorers()
    assert ("good" not in names) is disabled
    assert set(BUILTINS) <= set(names)  # built-ins never depend on metadata


def test_builtins_work_without_metadata(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importlib.metadata, "entry_points", fake_entry_points([]))
    for name in BUILTINS:
        check_scorer(get_scorer(name))


def test_decorator() -> None:
    @scorer(name="first_column", higher_is_better=False)
    def first_column(
        values: np.ndarray, weights: np.ndarray, is_benefit: np.ndarray, scale: float = 1.0
    ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        return values[:, 0] * scale, {"raw": values[:, 0]}

    assert first_column.__name__ == "FirstColumnScorer"
    assert "first_column" in available_scorers()
    s = get_scorer("first_column", scale=2.0)
    r = s.score(table())
    assert r.scores.tolist() == [2.0, 6.0, 4.0]
    assert r.ranking.tolist() == [1, 3, 2]
    assert r.params == {"scale": 2.0}
    assert r.details["raw"].tolist() == [1.0, 3.0, 2.0]
    assert r.method == "first_column"
    assert repr(s) == "FirstColumnScorer(scale=2.0)"
    check_scorer(s)
    with pytest.raises(TypeError, match="unknown parameter"):
        get_scorer("first_column", shift=1)

    # re-decorating the same function (a re-run notebook cell) replaces it quietly
    @scorer(name="first_column", higher_is_better=False)
    def first_column(
        values: np.ndarray,
        weights: np.ndarray,
        is_benefit: np.ndarray,
        scale: float = 1.0,
    ) -> np.ndarray:
        return values[:, 0] * scale

    assert get_scorer("first_column").score(table()).details == {}


def test_decorator_without_registration_and_required_params() -> None:
    @scorer(register=False)
    def scaled(
        values: np.ndarray, weights: np.ndarray, is_benefit: np.ndarray, *, factor: float
    ) -> np.ndarray:
        return values @ weights * factor

    assert "scaled" not in available_scorers()
    with pytest.raises(TypeError, match="needs parameter"):
        scaled()
    assert scaled(factor=2.0).score(table()).scores.tolist() == [6.0, 7.0, 4.0]


def test_decorator_rejects_bad_functions_and_outputs() -> None:
    with pytest.raises(PluginError, match="must take"):

        @scorer(register=False)
        def too_few(values: np.ndarray) -> np.ndarray:  # pragma: no cover
            return values

    @scorer(register=False)
    def wrong_shape(values: np.ndarray, weights: np.ndarray, is_benefit: np.ndarray) -> np.ndarray:
        return values

    @scorer(register=False)
    def with_nan(values: np.ndarray, weights: np.ndarray, is_benefit: np.ndarray) -> np.ndarray:
        return np.full(len(values), np.nan)

    with pytest.raises(PluginError, match=r"invalid result.*shape"):
        wrong_shape().score(table())
    with pytest.raises(PluginError, match="non-finite"):
        with_nan().score(table())


def _modules_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nprint('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True
    ).stdout
    return set(out.split())


def test_import_gridgov_does_not_import_scoring() -> None:
    assert "gridgov.scoring" not in _modules_after("import gridgov")


def test_scoring_imports_only_numpy_and_errors() -> None:
    loaded = _modules_after("import gridgov.scoring")
    gridgov_modules = {m for m in loaded if m.startswith("gridgov.")}
    assert {m.split(".")[1] for m in gridgov_modules} <= {"errors", "scoring"}
    for heavy in ("scipy", "polars", "pandas", "networkx", "pydantic"):
        assert heavy not in loaded, heavy
    # the other helpers' submodules load lazily
    assert "gridgov.scoring.weights" not in loaded


def test_lazy_submodules() -> None:
    import gridgov.scoring as scoring

    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = scoring.nope  # type: ignore[attr-defined]
    assert "weights" in dir(scoring)
    for name in ("weights", "credit", "raters"):
        if importlib.util.find_spec(f"gridgov.scoring.{name}") is not None:
            assert getattr(scoring, name).__name__ == f"gridgov.scoring.{name}"
