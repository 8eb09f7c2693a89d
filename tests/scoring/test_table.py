"""CriteriaTable: validation, immutability, derived tables, constructors."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import polars as pl
import pytest

from gridgov.errors import ScoringError
from gridgov.scoring import CriteriaTable, WeightsNormalisedWarning


def make(**overrides: object) -> CriteriaTable:
    kwargs: dict[str, object] = {
        "values": [[1.0, 10.0, 3.0], [2.0, 20.0, 1.0]],
        "alternatives": ["A", "B"],
        "criteria": ["x", "y", "z"],
        "directions": ["benefit", "cost", "benefit"],
        "weights": [0.5, 0.25, 0.25],
    }
    kwargs.update(overrides)
    return CriteriaTable(**kwargs)  # type: ignore[arg-type]


def test_attributes() -> None:
    t = make()
    assert t.shape == (2, 3)
    assert len(t) == 2
    assert t.alternatives == ("A", "B")
    assert t.criteria == ("x", "y", "z")
    assert t.directions == ("benefit", "cost", "benefit")
    assert t.values.dtype == np.float64
    assert t.is_benefit.tolist() == [True, False, True]
    assert t.weights.tolist() == [0.5, 0.25, 0.25]
    assert t.column("y").tolist() == [10.0, 20.0]


def test_equal_weights_by_default_and_single_direction() -> None:
    t = make(weights=None, directions="cost")
    assert np.allclose(t.weights, 1 / 3)
    assert t.directions == ("cost", "cost", "cost")


def test_mappings_for_directions_and_weights() -> None:
    t = make(
        directions={"x": "benefit", "y": "cost", "z": "cost"},
        weights={"x": 0.5, "y": 0.25, "z": 0.25},
    )
    assert t.directions == ("benefit", "cost", "cost")
    assert t.weights.tolist() == [0.5, 0.25, 0.25]
    with pytest.raises(ScoringError, match="missing"):
        make(directions={"x": "benefit"})
    with pytest.raises(ScoringError, match="unknown"):
        make(weights={"x": 1, "y": 1, "z": 1, "w": 1})


def test_immutable() -> None:
    t = make()
    for array in (t.values, t.weights, t.is_benefit):
        assert not array.flags.writeable
        with pytest.raises(ValueError, match="read-only"):
            array[0] = 0
    with pytest.raises(AttributeError, match="immutable"):
        t.foo = 1  # type: ignore[attr-defined]
    with pytest.raises(AttributeError, match="immutable"):
        del t._values
    assert not hasattr(t, "__dict__")


def test_input_is_copied() -> None:
    raw = np.array([[1.0, 2.0], [3.0, 4.0]])
    t = CriteriaTable(raw, ["a", "b"], ["x", "y"], "benefit")
    raw[0, 0] = 99
    assert t.values[0, 0] == 1.0


def test_weights_not_summing_to_one_warn_and_normalise() -> None:
    with pytest.warns(WeightsNormalisedWarning, match="summed to 4"):
        t = make(weights=[2, 1, 1])
    assert t.weights.tolist() == [0.5, 0.25, 0.25]
    # float noise is not a user error
    t = make(weights=[0.1, 0.2, 0.7000000000000001])
    assert t.weights.sum() == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ([0.5, -0.25, 0.75], "non-negative"),
        ([0, 0, 0], "sum to zero"),
        ([0.5, np.nan, 0.5], "not finite"),
        ([1, 1], r"shape \(3,\)"),
        (["a", "b", "c"], "numbers"),
    ],
)
def test_bad_weights(weights: object, message: str) -> None:
    with pytest.raises(ScoringError, match=message):
        make(weights=weights)


def test_nan_cell_is_named() -> None:
    with pytest.raises(ScoringError, match=r"alternative 'B', criterion 'y' \(row 1, column 1\)"):
        make(values=[[1.0, 10.0, 3.0], [2.0, np.nan, 1.0]])
    with pytest.raises(ScoringError, match="1 more non-finite"):
        make(values=[[np.inf, 10.0, 3.0], [2.0, np.nan, 1.0]])


def test_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="not finite"):
        make(values=[[1.0, 10.0, 3.0], [2.0, np.inf, 1.0]])


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"values": [[1, 2, 3]]}, "shape"),
        ({"values": [1, 2, 3]}, "2-D"),
        ({"values": [["a", "b", "c"], ["d", "e", "f"]]}, "numbers"),
        ({"alternatives": ["A", "A"]}, "duplicate alternative"),
        ({"criteria": ["x", "x", "z"]}, "duplicate criterion"),
        ({"alternatives": "AB"}, "single string"),
        ({"directions": ["benefit", "cost"]}, "2 direction"),
        ({"directions": ["benefit", "max", "cost"]}, "'max' is not one of"),
    ],
)
def test_invalid(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ScoringError, match=message):
        make(**overrides)


def test_zero_alternatives_or_criteria() -> None:
    with pytest.raises(ScoringError, match="at least one alternative"):
        CriteriaTable(np.empty((0, 2)), [], ["x", "y"], "benefit")
    with pytest.raises(ScoringError, match="at least one criterion"):
        CriteriaTable(np.empty((2, 0)), ["a", "b"], [], "benefit")


def test_with_weights_shares_values() -> None:
    t = make()
    u = t.with_weights([0.25, 0.25, 0.5])
    assert u.values is t.values
    assert u.weights.tolist() == [0.25, 0.25, 0.5]


def test_with_weights_warns() -> None:
    with pytest.warns(WeightsNormalisedWarning):
        make().with_weights([1, 1, 1])


def test_drop_append_select() -> None:
    t = make()
    assert t.drop("A").alternatives == ("B",)
    assert t.drop(["A"]).values.tolist() == [[2.0, 20.0, 1.0]]
    with pytest.raises(ScoringError, match="unknown alternative"):
        t.drop("Z")
    with pytest.raises(ScoringError, match="empty"):
        t.drop(["A", "B"])
    u = t.append("C", [3, 30, 2])
    assert u.alternatives == ("A", "B", "C")
    assert u.append("D", {"x": 1, "y": 2, "z": 3}).values[-1].tolist() == [1, 2, 3]
    with pytest.raises(ScoringError, match="duplicate"):
        t.append("A", [1, 1, 1])
    with pytest.raises(ScoringError, match="3 values"):
        t.append("C", [1, 1])
    with pytest.raises(ScoringError, match="lacks"):
        t.append("C", {"x": 1})
    with pytest.raises(ScoringError, match="not finite"):
        t.append("C", [1, np.nan, 1])
    s = t.select(["z", "x"])
    assert s.criteria == ("z", "x")
    assert s.directions == ("benefit", "benefit")
    assert s.weights.tolist() == pytest.approx([1 / 3, 2 / 3])
    with pytest.raises(ScoringError, match="unknown criterion"):
        t.select(["nope"])
    with pytest.raises(ScoringError, match="at least one"):
        t.select([])
    with pytest.raises(ScoringError, match="zero weight"):
        make(weights=[1, 0, 0]).select(["y"])


def test_repr_eq_hash() -> None:
    t = make()
    assert repr(t) == (
        "CriteriaTable(2 alternatives x 3 criteria: x(+, w=0.5), y(-, w=0.25), z(+, w=0.25))"
    )
    wide = CriteriaTable(np.ones((1, 9)), ["a"], [f"c{j}" for j in range(9)], "benefit")
    assert "…" in repr(wide)
    assert "1 alternative x 9 criteria" in repr(wide)
    assert t == make()
    assert hash(t) == hash(make())
    assert t != make(weights=[0.4, 0.3, 0.3])
    assert t != "table"


def test_from_columns() -> None:
    t = CriteriaTable.from_columns(
        {"x": [1, 2], "y": [3, 4]}, alternatives=["a", "b"], directions="benefit"
    )
    assert t.values.tolist() == [[1, 3], [2, 4]]
    with pytest.raises(ScoringError, match="different lengths"):
        CriteriaTable.from_columns(
            {"x": [1, 2], "y": [3]}, alternatives=["a", "b"], directions="cost"
        )
    with pytest.raises(ScoringError, match="not numeric"):
        CriteriaTable.from_columns({"x": ["a", "b"]}, alternatives=["a", "b"], directions="cost")
    with pytest.raises(ScoringError, match="1-D"):
        CriteriaTable.from_columns({"x": [[1, 2]]}, alternatives=["a"], directions="cost")


def test_from_polars_frame() -> None:
    df = pl.DataFrame({"grid": ["G1", "G2"], "visits": [40, 55], "complaints": [3.0, 1.0]})
    t = CriteriaTable.from_frame(df, alternatives="grid", directions=["benefit", "cost"])
    assert t.alternatives == ("G1", "G2")
    assert t.criteria == ("visits", "complaints")
    t = CriteriaTable.from_frame(
        df, alternatives="grid", directions="cost", criteria=["complaints"]
    )
    assert t.criteria == ("complaints",)
    unnamed = CriteriaTable.from_frame(df.drop("grid"), directions="benefit")
    assert unnamed.alternatives == ("0", "1")
    with pytest.raises(ScoringError, match="not in the frame"):
        CriteriaTable.from_frame(df, alternatives="nope", directions="cost")
    with pytest.raises(ScoringError, match="not in the frame"):
        CriteriaTable.from_frame(df, alternatives="grid", directions="cost", criteria=["x"])
    with pytest.raises(ScoringError, match="not numeric"):
        CriteriaTable.from_frame(df, directions="cost")
    with pytest.raises(ScoringError, match="DataFrame"):
        CriteriaTable.from_frame([[1, 2]], directions="cost")


class _PandasLike:
    """Enough of a pandas DataFrame for duck typing: ``columns``, ``index``, ``df[c]``."""

    def __init__(self, data: dict[str, list[float]], index: list[str]) -> None:
        self._data = data
        self.columns = list(data)
        self.index = index

    def __getitem__(self, key: str) -> SimpleNamespace:
        return SimpleNamespace(to_numpy=lambda: np.asarray(self._data[key]))

    def __len__(self) -> int:
        return len(self.index)


def test_from_pandas_like_frame_uses_index() -> None:
    df = _PandasLike({"x": [1.0, 2.0], "y": [3.0, 4.0]}, index=["r1", "r2"])
    t = CriteriaTable.from_frame(df, directions="benefit", weights={"x": 0.25, "y": 0.75})
    assert t.alternatives == ("r1", "r2")
    assert t.weights.tolist() == [0.25, 0.75]


def test_huge_weights_are_scaled_before_summing() -> None:
    # issue 8: [1e308] * 3 summed to inf, every weight became 0 and every alternative tied
    with pytest.warns(WeightsNormalisedWarning, match=r"summed to more than 1\.79769e\+308, not 1"):
        t = CriteriaTable(
            [[1, 2, 3], [3, 2, 1]], ["a", "b"], ["x", "y", "z"], "benefit", [1e308] * 3
        )
    assert t.weights.tolist() == [1 / 3] * 3
