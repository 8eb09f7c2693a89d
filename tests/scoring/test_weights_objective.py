"""MEREC, variance, Gini, CILOS, IDOCRIW, LOPCOW: published examples and pymcdm agreement."""

from __future__ import annotations

import numpy as np
import pytest
from pymcdm import weights as pw

from gridgov.errors import ScoringError
from gridgov.scoring import CriteriaTable
from gridgov.scoring.weights import WeightSet, cilos, gini, idocriw, lopcow, merec, variance


def test_merec_keshavarz_ghorabaee_et_al_2021() -> None:
    # Keshavarz-Ghorabaee et al. (2021), Symmetry 13(4), 525, the illustrative example:
    # published weights 0.5752, 0.0141, 0.4016, 0.0091 (as in pymcdm TestMERECWeights)
    x = [
        [450, 8000, 54, 145],
        [10, 9100, 2, 160],
        [100, 8200, 31, 153],
        [220, 9300, 1, 162],
        [5, 8400, 23, 158],
    ]
    ws = merec(x, is_benefit=[True, True, False, False])
    assert isinstance(ws, WeightSet)
    assert ws.method == "merec"
    assert np.allclose(ws.weights, [0.5752, 0.0141, 0.4016, 0.0091], atol=5e-5)


def test_cilos_idocriw_zavadskas_podvezko_2016() -> None:
    # Zavadskas & Podvezko (2016), IJITDM 15(2), 267-283: CILOS 0.3343, 0.2199, 0.1957,
    # 0.2501 and IDOCRIW 0.1658, 0.1885, 0.3545, 0.2911 (as in pymcdm test_weights.py)
    x = [[3, 100, 10, 7], [2.5, 80, 8, 5], [1.8, 50, 20, 11], [2.2, 70, 12, 9]]
    b = [False, True, False, True]
    assert np.allclose(cilos(x, is_benefit=b).weights, [0.3343, 0.2199, 0.1957, 0.2501], atol=5e-5)
    ws = idocriw(x, is_benefit=b)
    assert np.allclose(ws.weights, [0.1658, 0.1885, 0.3545, 0.2911], atol=5e-5)
    assert np.allclose(ws.details["cilos_weights"], cilos(x, is_benefit=b).weights)


def test_lopcow_ecer_pamucar_2022() -> None:
    # Ecer & Pamucar (2022), Omega 112, 102690: nine banks, ten benefit and seven cost
    # criteria (as in pymcdm TestLOPCOWWeights)
    x = np.array(
        [
            [
                21.8,
                14.1,
                10.7,
                1.6,
                1.8,
                770,
                12750,
                18,
                5100,
                1.5,
                9.1,
                1.054,
                4.196,
                29.407,
                7.03,
                15.08,
                9.705,
            ],
            [
                16.4,
                8.5,
                13.9,
                1.2,
                1.3,
                524,
                12087,
                5.7,
                2941,
                2.208,
                15.2,
                1.123,
                3.86,
                5.228,
                14.724,
                32.103,
                19.0,
            ],
            [
                14.5,
                7.0,
                2.3,
                0.2,
                0.2,
                238,
                3265,
                1.9,
                320,
                2.32,
                16.202,
                1.008,
                3.095,
                5.549,
                17.34,
                65.129,
                32.056,
            ],
            [
                18.2,
                10.3,
                11.4,
                1.2,
                1.1,
                835,
                16037,
                21.3,
                4332,
                0.875,
                9.484,
                0.856,
                2.191,
                23.75,
                13.1,
                58.157,
                27.46,
            ],
            [
                18.5,
                8.1,
                11.1,
                1.0,
                1.1,
                504,
                9464,
                1.4,
                1743,
                2.95,
                0.7,
                0.479,
                2.44,
                8.77,
                13.48,
                33.45,
                17.68,
            ],
            [
                18.7,
                11.4,
                10.8,
                1.3,
                1.5,
                1227,
                24053,
                20.0,
                6521,
                0.733,
                1.6,
                0.857,
                2.377,
                4.985,
                11.743,
                26.732,
                24.485,
            ],
            [
                18.5,
                12.6,
                10.8,
                1.4,
                1.8,
                912,
                18800,
                18.2,
                5300,
                1.29,
                8.27,
                0.558,
                0.635,
                5.22,
                13.829,
                31.914,
                7.515,
            ],
            [
                16.4,
                6.7,
                12.6,
                0.9,
                0.9,
                951,
                16767,
                22.0,
                3917,
                2.46,
                3.9,
                0.724,
                0.568,
                4.491,
                14.357,
                28.869,
                7.313,
            ],
            [
                15.2,
                6.3,
                6.9,
                0.5,
                0.5,
                1013,
                20170,
                10.97,
                4060,
                1.67,
                1.7,
                0.704,
                2.96,
                3.24,
                10.029,
                60.981,
                23.541,
            ],
        ]
    )
    expected = [
        0.0495,
        0.0366,
        0.0846,
        0.0706,
        0.0637,
        0.0661,
        0.0699,
        0.0504,
        0.0690,
        0.0492,
        0.0556,
        0.0487,
        0.0482,
        0.0763,
        0.0551,
        0.0532,
        0.0534,
    ]
    ws = lopcow(x, is_benefit=[True] * 10 + [False] * 7)
    assert np.allclose(ws.weights, expected, atol=5e-5)


def test_agree_with_pymcdm(peer_tables: list) -> None:
    for x, _, b in peer_tables:
        types = np.where(b, 1, -1)
        assert np.allclose(merec(x, is_benefit=b).weights, pw.merec_weights(x, types))
        assert np.allclose(variance(x).weights, pw.variance_weights(x))
        assert np.allclose(gini(x).weights, pw.gini_weights(x))
        assert np.allclose(lopcow(x, is_benefit=b).weights, pw.lopcow_weights(x, types))
        theirs = pw.cilos_weights(x, types)
        if theirs.shape != (x.shape[1],):  # scipy found a null space of dimension > 1
            with pytest.raises(ScoringError, match="not unique"):
                cilos(x, is_benefit=b)
            continue
        assert np.allclose(cilos(x, is_benefit=b).weights, theirs)
        assert np.allclose(idocriw(x, is_benefit=b).weights, pw.idocriw_weights(x, types))


def test_tables_and_names() -> None:
    t = CriteriaTable(
        [[1, 9, 3], [3, 5, 3], [2, 8, 4]],
        ["A", "B", "C"],
        ["x", "y", "z"],
        ["benefit", "cost", "benefit"],
    )
    for f in (merec, variance, gini, cilos, idocriw, lopcow):
        ws = f(t)
        assert ws.criteria == ("x", "y", "z")
        assert ws.weights.sum() == pytest.approx(1.0)


def test_degenerate_data() -> None:
    ws = variance([[1, 5], [2, 5], [3, 5]])
    assert ws.weights.tolist() == [1.0, 0.0]
    assert "constant" in ws.notes[0]
    assert gini([[1, 5], [2, 5], [3, 5]]).weights.tolist() == [1.0, 0.0]
    with pytest.raises(ScoringError, match="every criterion is constant"):
        variance([[1, 5], [1, 5]])
    with pytest.raises(ScoringError, match="positive values"):
        merec([[0, 1], [1, 2]])
    with pytest.raises(ScoringError, match="constant"):
        lopcow([[1, 5], [2, 5]])
    with pytest.raises(ScoringError, match="non-negative"):
        gini([[-1, 5], [2, 6]])
    with pytest.raises(ScoringError, match="not unique"):  # A is best on both
        cilos([[3.0, 3.0], [1.0, 2.0], [2.0, 1.0]])
