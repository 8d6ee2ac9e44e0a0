#!/usr/bin/env python3
"""Reference values for @sqltrace/validator's statistics, computed with SciPy.

Run once (python3 with scipy; Debian: apt-get install python3-scipy) and commit the output:
    python3 tools/stats-reference/make-reference.py > packages/validator/test/fixtures/scipy-reference.json

Large samples are not stored: both sides rebuild them from MINSTD (x <- 48271 x mod 2^31-1), which
is exact in double precision, so the JSON stays small.
"""
import json
import sys

import numpy as np
import scipy
from scipy import stats
from scipy.spatial.distance import jensenshannon

M = 2**31 - 1


def minstd(seed, n):
    out, x = [], seed
    for _ in range(n):
        x = (48271 * x) % M
        out.append(x)
    return out


def sample(spec):
    """spec: {"seed", "n", "kind": "uniform"|"ties"|"shifted", ...} -> list of floats."""
    xs = minstd(spec["seed"], spec["n"])
    if spec["kind"] == "uniform":
        return [x / M for x in xs]
    if spec["kind"] == "ties":
        return [float(x % spec["levels"]) for x in xs]
    if spec["kind"] == "shifted":
        return [x / M + spec["shift"] for x in xs]
    raise ValueError(spec["kind"])


def ks_cases():
    cases = []
    small = [
        ([0.61, 0.29, 0.06, 0.59, -1.73, -0.74, 0.51, -0.56, 0.39, 1.64, 0.05, -0.06, 0.64, -0.82, 0.37, 1.77, 1.09, -1.28, 2.36, 1.31, 1.05, -0.52, -0.74, 0.12, 0.76],
         [-0.45, -2.84, 0.02, -1.01, -0.33, -1.27, -0.48, 0.82, 1.43, -0.5, 0.19, 0.11, -0.6, -0.05, -0.63, 0.17, -1.58, 0.18, 0.81, -0.2]),
        ([1, 2, 2, 3, 3, 3, 4, 4, 5], [2, 3, 3, 4, 4, 4, 5, 5, 6, 6, 7]),
        ([1.0, 2.0, 3.0], [1.0, 2.0, 3.0]),
        ([5.0], [1.0, 2.0, 3.0, 4.0]),
        ([0.1, 0.2, 0.3, 0.4, 0.5], [0.6, 0.7, 0.8, 0.9, 1.0]),
    ]
    for a, b in small:
        for alt in ("two-sided", "less", "greater"):
            r = stats.ks_2samp(a, b, alternative=alt, method="exact")
            cases.append({"a": a, "b": b, "alternative": alt, "method": "exact", "statistic": float(r.statistic), "pValue": float(r.pvalue)})
    generated = [
        ({"seed": 1, "n": 200, "kind": "uniform"}, {"seed": 2, "n": 300, "kind": "shifted", "shift": 0.05}),
        ({"seed": 3, "n": 500, "kind": "ties", "levels": 20}, {"seed": 4, "n": 450, "kind": "ties", "levels": 22}),
        ({"seed": 5, "n": 1000, "kind": "uniform"}, {"seed": 6, "n": 1000, "kind": "shifted", "shift": 0.03}),
        ({"seed": 7, "n": 800, "kind": "uniform"}, {"seed": 7, "n": 800, "kind": "uniform"}),
        ({"seed": 8, "n": 60, "kind": "uniform"}, {"seed": 9, "n": 45, "kind": "uniform"}),
        ({"seed": 10, "n": 3000, "kind": "uniform"}, {"seed": 11, "n": 2000, "kind": "shifted", "shift": 0.02}),
    ]
    for sa, sb in generated:
        a, b = sample(sa), sample(sb)
        for alt in ("two-sided", "less", "greater"):
            r = stats.ks_2samp(a, b, alternative=alt, method="exact")
            cases.append({"sampleA": sa, "sampleB": sb, "alternative": alt, "method": "exact", "statistic": float(r.statistic), "pValue": float(r.pvalue)})
    # Large samples: the asymptotic distributions. Two-sided: Kolmogorov's limiting distribution
    # (scipy.stats.kstwobign) of sqrt(en)*D, as the validator documents; ks_2samp's own asymp
    # p-value (kstwo with n = round(en)) is recorded beside it. One-sided: Hodges, as ks_2samp.
    large = [
        ({"seed": 12, "n": 20000, "kind": "uniform"}, {"seed": 13, "n": 30000, "kind": "shifted", "shift": 0.01}),
        ({"seed": 14, "n": 50000, "kind": "uniform"}, {"seed": 15, "n": 50000, "kind": "uniform"}),
        ({"seed": 16, "n": 40000, "kind": "ties", "levels": 1000}, {"seed": 17, "n": 25000, "kind": "ties", "levels": 1001}),
    ]
    for sa, sb in large:
        a, b = sample(sa), sample(sb)
        for alt in ("two-sided", "less", "greater"):
            r = stats.ks_2samp(a, b, alternative=alt, method="asymp")
            m, n = sorted([float(sa["n"]), float(sb["n"])], reverse=True)
            en = m * n / (m + n)
            p = float(stats.kstwobign.sf(np.sqrt(en) * r.statistic)) if alt == "two-sided" else float(r.pvalue)
            cases.append({"sampleA": sa, "sampleB": sb, "alternative": alt, "method": "asymp", "statistic": float(r.statistic), "pValue": p, "scipyKs2sampPValue": float(r.pvalue)})
    return cases


def chi_square_cases():
    tables = [
        [[10, 20, 30], [15, 25, 20]],
        [[120, 80, 40, 10], [100, 95, 50, 12]],
        [[5000, 3000, 2000], [5200, 2900, 1900]],
        [[50000, 30000, 20000, 100], [40000, 35000, 25000, 300]],
        [[7, 9], [9, 7]],
        [[1000, 1000], [1000, 1000]],
    ]
    out = []
    for t in tables:
        chi2, p, dof, _ = stats.chi2_contingency(np.array(t), correction=False)
        v = stats.contingency.association(np.array(t), method="cramer")
        out.append({"first": t[0], "second": t[1], "statistic": float(chi2), "pValue": float(p), "dof": int(dof), "cramersV": float(v)})
    return out


def chi2_sf_cases():
    return [{"x": x, "dof": k, "sf": float(stats.chi2.sf(x, k))} for x, k in [(0.5, 1), (3.84, 1), (10, 3), (50, 3), (200, 10), (1000, 20), (0.01, 5), (30, 30), (2000, 3)]]


def kolmogorov_cases():
    return [{"x": x, "sf": float(stats.kstwobign.sf(x))} for x in [0.2, 0.5, 0.8, 0.99, 1.0, 1.2, 1.36, 2.0, 3.0, 5.0]]


def distance_cases():
    out = []
    for p, q in [([1, 2, 3, 4], [4, 3, 2, 1]), ([10, 0, 5], [0, 10, 5]), ([1, 1, 1], [1, 1, 1]), ([0.7, 0.2, 0.1, 0], [0.1, 0.2, 0.3, 0.4])]:
        pn, qn = np.array(p, float) / sum(p), np.array(q, float) / sum(q)
        out.append({"p": p, "q": q, "tvd": float(0.5 * np.abs(pn - qn).sum()), "jensenShannon": float(jensenshannon(p, q, base=2) ** 2)})
    w = []
    for u, v in [([0, 1, 3], [5, 6, 8]), ([1.5, 2.5, 2.5, 4], [1, 3, 3, 3, 7]), ([3.0], [3.0])]:
        w.append({"u": u, "v": v, "wasserstein": float(stats.wasserstein_distance(u, v))})
    sa, sb = {"seed": 18, "n": 5000, "kind": "uniform"}, {"seed": 19, "n": 4000, "kind": "shifted", "shift": 0.1}
    w.append({"sampleA": sa, "sampleB": sb, "wasserstein": float(stats.wasserstein_distance(sample(sa), sample(sb)))})
    return out, w


def holm(ps):
    # (statsmodels is not installed: Holm's step-down by its definition.)
    m = len(ps)
    order = np.argsort(ps, kind="stable")
    adjusted = np.empty(m)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * ps[i]))
        adjusted[i] = running
    return adjusted.tolist()


def main():
    ps = [0.01, 0.04, 0.03, 0.005, 0.2, 0.9, 0.049]
    distances, wasserstein = distance_cases()
    json.dump({
        "scipy": scipy.__version__,
        "ks": ks_cases(),
        "chiSquare": chi_square_cases(),
        "chi2Survival": chi2_sf_cases(),
        "kolmogorov": kolmogorov_cases(),
        "distances": distances,
        "wasserstein": wasserstein,
        "multipleTesting": {"p": ps, "holm": holm(ps), "bh": stats.false_discovery_control(ps, method="bh").tolist()},
    }, sys.stdout, indent=1)
    sys.stdout.write("\n")


main()
