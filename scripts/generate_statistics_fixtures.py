#!/usr/bin/env python3
"""Golden values for DriftCore's statistics, computed with numpy/scipy.

Writes Tests/DriftCoreTests/Fixtures/statistics/{binned,samples,special,bounds}.json.
Deterministic (numpy default_rng with fixed seeds). Run from the repository root:

    python3 scripts/generate_statistics_fixtures.py

Requires scipy >= 1.17, numpy >= 2.4 (the versions the goldens were made with are recorded).
"""
import json
import math
import os
import warnings

import numpy as np
import scipy
from scipy import special, stats
from scipy.spatial.distance import jensenshannon

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "DriftCoreTests", "Fixtures", "statistics")
PSEUDO = 0.5  # HistogramDistance.defaultPseudoCount


def f(x):
    """JSON-safe float (None for NaN)."""
    x = float(x)
    return None if math.isnan(x) else x


def quantile_edges(sample, inner_bins):
    """Training-style edges: min, inner quantiles, next double above max (open outer bins)."""
    qs = np.quantile(sample, np.linspace(0, 1, inner_bins + 1)[1:-1])
    edges = np.concatenate([[sample.min()], qs, [np.nextafter(sample.max(), np.inf)]])
    return np.unique(edges)


def histogram(values, edges):
    """Bin of x = number of edges <= x (BinSearch convention)."""
    idx = np.searchsorted(edges, values, side="right")
    return np.bincount(idx, minlength=len(edges) + 1).astype(float)


CVM_SERIES_TAIL_LIMIT = 3.0  # CramerVonMisesDistribution.seriesTailLimit


def cvm_p(res, nx, ny):
    return cvm_p_from_t(res.statistic, res.pvalue, nx, ny)


def cvm_p_from_t(t, pvalue, nx, ny):
    """scipy's asymptotic CvM p-value, or None where its series is past its range of validity
    (normalised statistic above 3; scipy's own docs: inaccurate above ~4). DriftCore then uses
    the leading-eigenvalue tail and the tests only require p < 1e-7."""
    n, k = nx + ny, nx * ny
    et = (1 + 1 / n) / 6
    vt = (n + 1) * (4 * k * n - 3 * (nx ** 2 + ny ** 2) - 2 * k) / (45 * n ** 2 * 4 * k)
    tn = 1 / 6 + (t - et) / math.sqrt(45 * vt)
    return None if tn > CVM_SERIES_TAIL_LIMIT else f(pvalue)


def binned_expectations(b, w, edges):
    b = np.asarray(b, float)
    w = np.asarray(w, float)
    out = {}
    k = len(b)
    p, q = b / b.sum(), w / w.sum()
    ps = (b + PSEUDO) / (b.sum() + PSEUDO * k)
    qs = (w + PSEUDO) / (w.sum() + PSEUDO * k)
    out["psi"] = f(np.sum((qs - ps) * np.log(qs / ps)))
    out["kl_divergence"] = f(np.sum(qs * np.log(qs / ps)))
    jsd = jensenshannon(p, q)  # natural log, distance
    out["jensen_shannon"] = f(jsd)
    out["jensen_shannon_divergence"] = f(jsd ** 2)
    out["hellinger"] = f(np.sqrt(0.5 * np.sum((np.sqrt(p) - np.sqrt(q)) ** 2)))
    out["total_variation"] = f(0.5 * np.sum(np.abs(p - q)))
    out["l_infinity"] = f(np.max(np.abs(p - q)))
    keep = (b + w) > 0
    table = np.vstack([b[keep], w[keep]])
    if table.shape[1] >= 2:
        c = stats.chi2_contingency(table, correction=False)
        g = stats.chi2_contingency(table, correction=False, lambda_="log-likelihood")
        neff = b.sum() * w.sum() / (b.sum() + w.sum())
        out["chi_square"] = {"statistic": f(c.statistic), "df": int(c.dof), "p": f(c.pvalue),
                             "effect": f(math.sqrt(c.statistic / neff))}
        out["g_test"] = {"statistic": f(g.statistic), "df": int(g.dof), "p": f(g.pvalue),
                         "effect": f(math.sqrt(g.statistic / neff))}
    else:
        out["chi_square"] = {"statistic": 0.0, "df": 0, "p": 1.0, "effect": 0.0}
        out["g_test"] = {"statistic": 0.0, "df": 0, "p": 1.0, "effect": 0.0}
    if edges is not None:
        # Numeric tests on the bin-index data (every value replaced by its bin).
        xb = np.repeat(np.arange(k), b.astype(int)).astype(float)
        xw = np.repeat(np.arange(k), w.astype(int)).astype(float)
        ks = stats.ks_2samp(xb, xw, method="asymp")
        out["ks"] = {"statistic": f(ks.statistic), "p": f(ks.pvalue)}
        if len(xb) >= 2 and len(xw) >= 2:
            # Tie-aware ECDF form of T (scipy's midrank formula is biased upward under heavy ties),
            # with scipy's asymptotic p-value for that T.
            nb, nw = b.sum(), w.sum()
            cdiff = np.cumsum(b) / nb - np.cumsum(w) / nw
            t = nb * nw / (nb + nw) ** 2 * np.sum((b + w) * cdiff ** 2)
            from scipy._lib._array_api import array_namespace
            pv = float(stats._hypotests._pval_cvm_2samp_asymptotic(
                np.asarray(t), nb + nw, nb, nw, nb * nw, xp=array_namespace(np.asarray(t))))
            out["cramer_von_mises"] = {"statistic": f(t), "p": cvm_p_from_t(t, pv, nb, nw)}
        if len(np.unique(np.concatenate([xb, xw]))) > 1:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ad = stats.anderson_ksamp([xb, xw], midrank=True)
            out["anderson_darling"] = {"statistic": f(ad.statistic), "p": f(ad.pvalue)}
        else:
            # scipy refuses a single distinct value; DriftCore reports "no evidence" (p at the 0.25 cap).
            out["anderson_darling"] = None
        # Wasserstein: CDFs linear inside inner bins, outer bins at the outermost edges.
        cp = np.concatenate([[0], np.cumsum(p)])
        cq = np.concatenate([[0], np.cumsum(q)])
        total = 0.0
        for i in range(1, k - 1):
            width = edges[i] - edges[i - 1]
            a, c2 = cp[i] - cq[i], cp[i + 1] - cq[i + 1]
            if a * c2 >= 0:
                total += width * (abs(a) + abs(c2)) / 2
            else:
                total += width * (a * a + c2 * c2) / (2 * (abs(a) + abs(c2)))
        out["wasserstein"] = f(total)
    return out


def binned_cases():
    rng = np.random.default_rng(20240611)
    cases = []
    base = rng.normal(0, 1, 50_000)
    edges = quantile_edges(base, 10)
    b = histogram(base, edges)

    def add(name, bb, ww, ee):
        cases.append({"name": name, "baseline": list(map(float, bb)), "window": list(map(float, ww)),
                      "edges": None if ee is None else list(map(float, ee)),
                      "expected": binned_expectations(bb, ww, ee)})

    add("normal_vs_shift_0.25", b, histogram(rng.normal(0.25, 1, 10_000), edges), edges)
    add("normal_vs_same_distribution", b, histogram(rng.normal(0, 1, 10_000), edges), edges)
    add("normal_vs_shift_1_wider", b, histogram(rng.normal(1, 1.5, 10_000), edges), edges)
    add("identical_histograms", b, b.copy(), edges)
    add("disjoint_supports", b, histogram(rng.normal(20, 1, 5_000), edges), edges)
    add("tiny_window", b, histogram(rng.normal(0, 1, 7), edges), edges)
    big = rng.normal(0.05, 1, 1_000_000)
    add("large_window_small_shift", b, histogram(big, edges), edges)
    zb = np.array([0, 30, 0, 50, 20, 0], float)
    zw = np.array([3, 10, 0, 60, 0, 7], float)
    add("zero_bins_both_sides", zb, zw, np.array([0.0, 1.0, 2.0, 3.5, 10.0]))
    const_edges = np.array([5.0, np.nextafter(5.0, np.inf)])
    add("constant_same", np.array([0, 1000, 0], float), np.array([0, 400, 0], float), const_edges)
    add("constant_moved", np.array([0, 1000, 0], float), np.array([0, 100, 300], float), const_edges)
    # Categorical: categories + "other" bin (no edges, no ordered tests).
    add("categorical_same", np.array([500, 300, 200, 0], float), np.array([260, 140, 100, 0], float), None)
    add("categorical_new_category_only_in_window", np.array([500, 300, 200, 0], float),
        np.array([200, 150, 100, 50], float), None)
    add("categorical_category_missing_in_window", np.array([500, 300, 200, 0], float),
        np.array([300, 0, 200, 0], float), None)
    add("binary_shift", np.array([7000, 3000, 0], float), np.array([640, 360, 0], float), None)
    return cases


def sample_cases():
    rng = np.random.default_rng(7)
    cases = []

    def add(name, a, b):
        a = np.asarray(a, float)
        b = np.asarray(b, float)
        ks = stats.ks_2samp(a, b)  # method="auto"
        exp = {"ks": {"statistic": f(ks.statistic), "p": f(ks.pvalue),
                      "method": "exact" if max(len(a), len(b)) <= 10000 else "asymp"},
               "wasserstein": f(stats.wasserstein_distance(a, b))}
        if len(a) >= 2 and len(b) >= 2:
            c = stats.cramervonmises_2samp(a, b)
            exact = max(len(a), len(b)) <= 20
            exp["cramer_von_mises"] = {"statistic": f(c.statistic),
                                       "p": f(c.pvalue) if exact else cvm_p(c, len(a), len(b))}
        if len(a) + len(b) >= 4:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ad = stats.anderson_ksamp([a, b])
            exp["anderson_darling"] = {"statistic": f(ad.statistic), "p": f(ad.pvalue)}
        cases.append({"name": name, "a": list(map(float, a)), "b": list(map(float, b)), "expected": exp})

    add("tiny_3_vs_4", rng.normal(0, 1, 3), rng.normal(0.5, 1, 4))
    add("small_15_vs_18_shift", rng.normal(0, 1, 15), rng.normal(0.8, 1, 18))
    add("small_20_vs_20_same", rng.normal(0, 1, 20), rng.normal(0, 1, 20))
    add("medium_500_vs_700_shift", rng.normal(0, 1, 500), rng.normal(0.25, 1, 700))
    add("equal_300_vs_300_shift", rng.normal(0, 1, 300), rng.normal(0.3, 1, 300))
    add("ties_rounded_400_vs_350", np.round(rng.normal(0, 1, 400), 1), np.round(rng.normal(0.1, 1, 350), 1))
    add("disjoint_supports_50_vs_60", rng.normal(0, 1, 50), rng.normal(100, 1, 60))
    add("identical_samples_200", *(lambda x: (x, x.copy()))(rng.normal(0, 1, 200)))
    add("constant_vs_constant_different", np.full(30, 2.0), np.full(40, 3.0))
    add("large_12000_vs_10500_shift", rng.normal(0, 1, 12000), rng.normal(0.05, 1, 10500))
    add("large_15000_vs_11000_same", rng.normal(0, 1, 15000), rng.normal(0, 1, 11000))
    add("unbalanced_20000_vs_60", rng.normal(0, 1, 20000), rng.normal(0.4, 1, 60))
    return cases


def special_cases():
    out = {}
    out["gamma_q"] = [{"a": a, "x": x, "q": f(special.gammaincc(a, x)), "p": f(special.gammainc(a, x))}
                      for a, x in [(0.5, 0.1), (0.5, 3.0), (1.0, 1.0), (2.5, 0.5), (3.0, 10.0), (10.0, 9.5),
                                   (10.0, 30.0), (50.0, 45.0), (50.0, 120.0), (4.5, 200.0), (0.1, 1e-3),
                                   (100.0, 100.0), (7.5, 1e-6)]]
    out["chi2_sf"] = [{"x": x, "df": df, "sf": f(stats.chi2.sf(x, df))}
                      for x, df in [(0.0, 1), (3.84, 1), (10.0, 9), (60.0, 16), (500.0, 19), (1e-3, 3), (25.0, 25)]]
    out["normal_sf"] = [{"z": z, "sf": f(stats.norm.sf(z))} for z in [-3.0, -1.0, 0.0, 0.5, 1.96, 5.0, 10.0, 30.0]]
    out["bessel_k"] = [{"nu": nu, "x": x, "k": f(special.kv(nu, x))}
                       for nu, x in [(0.25, 1e-4), (0.25, 0.05), (0.25, 1.0), (0.25, 7.5), (0.25, 100.0),
                                     (0.75, 2.0), (1.25, 0.3), (0.0, 1.0), (0.25, 600.0)]]
    out["kstwo_sf"] = [{"n": n, "d": d, "sf": f(stats.kstwo.sf(d, n))}
                       for n, d in [(1, 0.7), (5, 0.15), (5, 0.95), (10, 0.3), (50, 0.05), (50, 0.2), (100, 0.4),
                                    (140, 0.1), (141, 0.05), (1000, 0.03), (1000, 0.06), (5000, 0.01),
                                    (5000, 0.03), (20000, 0.005), (20000, 0.012), (150000, 0.003),
                                    (150000, 0.0045), (100000, 0.0004), (300, 0.7), (300, 0.0016)]]
    out["smirnov"] = [{"n": n, "d": d, "sf": f(special.smirnov(n, d))}
                      for n, d in [(5, 0.3), (20, 0.2), (100, 0.15), (1000, 0.05), (5000, 0.03), (50000, 0.01)]]
    out["cvm_limit_cdf"] = [{"x": x, "cdf": f(stats._hypotests._cdf_cvm_inf(x))}
                            for x in [0.01, 0.05, 0.1, 0.2, 0.4616, 0.7, 1.0, 1.5, 2.5]]
    out["z_test"] = []
    for s1, n1, s2, n2 in [(300, 1000, 330, 1000), (50, 10000, 90, 10000), (0, 500, 0, 800), (10, 10, 5, 5),
                           (700, 10000, 1500, 10000), (3, 40, 0, 1000)]:
        p1, p2 = s1 / n1, s2 / n2
        pool = (s1 + s2) / (n1 + n2)
        var = pool * (1 - pool) * (1 / n1 + 1 / n2)
        z = 0.0 if var <= 0 else (p2 - p1) / math.sqrt(var)
        out["z_test"].append({"s1": s1, "n1": n1, "s2": s2, "n2": n2, "z": f(z),
                              "p": f(2 * stats.norm.sf(abs(z)))})
    return out


def bound_cases():
    """Raw samples for BinnedErrorBoundTests (binned vs exact CvM and Anderson-Darling): the test
    bins them on the baseline's quantile edges and checks the documented bounds. Full precision,
    so the raw values are untied, as the bounds assume."""
    rng = np.random.default_rng(20261202)
    cases = []

    def add(name, a, b):
        assert len(np.unique(np.concatenate([a, b]))) == len(a) + len(b), name
        cases.append({"name": name, "baseline": [float(x) for x in a], "window": [float(x) for x in b]})

    add("normal_vs_shift_0.3", rng.normal(0, 1, 4_000), rng.normal(0.3, 1, 2_500))
    add("normal_vs_same", rng.normal(0, 1, 4_000), rng.normal(0, 1, 2_500))
    add("normal_vs_wider_1.5", rng.normal(0, 1, 3_000), rng.normal(0, 1.5, 3_000))
    add("exponential_vs_lognormal", rng.exponential(1.0, 4_000), rng.lognormal(-0.35, 0.8, 2_000))
    return cases


def main():
    os.makedirs(OUT, exist_ok=True)
    meta = {"scipy": scipy.__version__, "numpy": np.__version__,
            "generator": "scripts/generate_statistics_fixtures.py"}
    for name, payload in [("binned", binned_cases()), ("samples", sample_cases()), ("special", special_cases()),
                          ("bounds", bound_cases())]:
        with open(os.path.join(OUT, name + ".json"), "w") as fh:
            json.dump({"meta": meta, "cases": payload}, fh, separators=(",", ":"))
        print("wrote", name)


if __name__ == "__main__":
    main()
