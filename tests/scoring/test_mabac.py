"""MABAC: Pamučar & Ćirović's example and Isik et al.'s, agreement with pymcdm."""

from __future__ import annotations

import numpy as np
import pytest
from pymcdm import methods as pm

from gridgov.scoring import CriteriaTable, DegenerateDataWarning, Mabac, get_scorer, mabac
from gridgov.scoring.testing import check_scorer


def test_pamucar_cirovic_2015_forklifts() -> None:
    # Pamučar, D., Ćirović, G. (2015). The selection of transport and handling resources in
    # logistics centers using MABAC. Expert Systems with Applications 42(6), 3016-3028
    # (as in pymcdm TestMABAC). The weights sum to 1.000.
    x = [
        [22600, 3800, 2, 5, 1.06, 3.00, 3.5, 2.8, 24.5, 6.5],
        [19500, 4200, 3, 2, 0.95, 3.00, 3.4, 2.2, 24, 7.0],
        [21700, 4000, 1, 3, 1.25, 3.20, 3.3, 2.5, 24.5, 7.3],
        [20600, 3800, 2, 5, 1.05, 3.25, 3.2, 2.0, 22.5, 11.0],
        [22500, 3800, 4, 3, 1.35, 3.20, 3.7, 2.1, 23, 6.3],
        [23250, 4210, 3, 5, 1.45, 3.60, 3.5, 2.8, 23.5, 7.0],
        [20300, 3850, 2, 5, 0.90, 3.25, 3.0, 2.6, 21.5, 6.0],
    ]
    w = [0.146, 0.144, 0.119, 0.121, 0.115, 0.101, 0.088, 0.068, 0.050, 0.048]
    b = [False, True, True, True, False, False, True, True, True, True]
    s = mabac(x, w, b)
    assert np.allclose(s, [0.0826, 0.2183, -0.0488, 0.0246, -0.0704, 0.0465, 0.0464], atol=5e-5)


def test_isik_aydin_kosaroglu_2020() -> None:
    # Isik, O., Aydin, Y., Kosaroglu, S. M. (2020). The assessment of the logistics
    # performance index of CEE countries with the new combination of SV and MABAC methods.
    # LogForum 16(4) (as in pyrepo-mcda tests/test_mcda_methods_1.py).
    x = [
        [2.937588, 2.762986, 3.233723, 2.881315, 3.015289, 3.313491],
        [2.978555, 3.012820, 2.929487, 3.096154, 3.012820, 3.593939],
        [3.286673, 3.464600, 3.746009, 3.715632, 3.703427, 4.133620],
        [3.322037, 3.098638, 3.262154, 3.147851, 3.206675, 3.798684],
        [3.354866, 3.270945, 3.221880, 3.213207, 3.670508, 3.785941],
        [2.796570, 2.983000, 2.744904, 2.692550, 2.787563, 2.878851],
        [2.846491, 2.729618, 2.789990, 2.955624, 3.123323, 3.646595],
        [3.253458, 3.208902, 3.678499, 3.580044, 3.505663, 3.954262],
        [2.580718, 2.906903, 3.176497, 3.073653, 3.264727, 3.681887],
        [2.789011, 3.000000, 3.101099, 3.139194, 2.985348, 3.139194],
        [3.418681, 3.261905, 3.187912, 3.052381, 3.266667, 3.695238],
    ]
    w = [0.171761, 0.105975, 0.191793, 0.168824, 0.161768, 0.199880]
    published = [-0.155317, -0.089493, 0.505407, 0.132405, 0.246943, -0.386756]
    published += [-0.179406, 0.362921, -0.084198, -0.167505, 0.139895]
    # the paper's sums are over unrounded q; its weights sum to 1.000001
    with pytest.warns(UserWarning, match="divided by their sum"):
        s = mabac(x, w)
    assert np.allclose(s, published, atol=5e-5)


def test_agrees_with_pymcdm(peer_tables: list) -> None:
    for x, w, b in peer_tables:
        expected = pm.MABAC()(x, w, np.where(b, 1, -1), validation=False)
        assert np.allclose(mabac(x, w, b), expected, rtol=1e-9, atol=1e-12)


def test_large_tables_do_not_underflow() -> None:
    x = np.random.default_rng(3).uniform(1, 10, size=(100_000, 2))
    s = mabac(x, [0.5, 0.5])
    assert np.isfinite(s).all()
    assert abs(float(np.median(s))) < 0.1  # the border sits in the middle, not at 0


def test_details_and_conformance() -> None:
    r = get_scorer("mabac").score(
        CriteriaTable([[1, 3], [3, 1], [2, 2]], ["A", "B", "C"], ["x", "y"], "benefit")
    )
    assert np.allclose(r.contributions.sum(axis=1), r.scores)
    assert r.details["border"].shape == (2,)
    check_scorer(Mabac(), monotone=True)
    with pytest.warns(DegenerateDataWarning, match="'y' has the same value"):
        Mabac().score(CriteriaTable([[1, 3], [3, 3]], ["A", "B"], ["x", "y"], "benefit"))
