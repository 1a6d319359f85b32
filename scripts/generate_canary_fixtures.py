#!/usr/bin/env python3
"""Golden values for DriftCore's ConfidenceSequence and CanaryComparison, computed with scipy/numpy.

Writes Tests/DriftCoreTests/Fixtures/canary/confidence_sequence.json:

- `mixture`: the normal-mixture likelihood ratio of a difference d with variance v against
  theta0 = 0, mixing N(0, tau2), computed by numerical integration (scipy.integrate.quad of the
  Gaussian likelihood ratio over the mixing density), not by the closed form the Swift code uses;
  and the half-width h of the confidence sequence, found as the root (scipy.optimize.brentq) of
  Lambda(h) = 1/alpha. So the closed forms in ConfidenceSequence are checked against an
  independent computation.
- `two_sample`: seeded samples of two versions; the difference of means, the variance of the
  difference (sample variances over counts, n - 1 denominators) and the half-width at level
  alpha / K, as CanaryComparison computes them.

Deterministic (numpy default_rng with fixed seeds). Run from the repository root:

    python3 scripts/generate_canary_fixtures.py
"""
import json
import math
import os

import numpy as np
from scipy import integrate, optimize, stats

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "DriftCoreTests", "Fixtures", "canary")


def mixture_ratio(d, v, tau2):
    """Integral over theta ~ N(0, tau2) of N(d; theta, v) / N(d; 0, v)."""
    tau = math.sqrt(tau2)

    def integrand(theta):
        # N(d; theta, v) / N(d; 0, v) = exp((2 d theta - theta^2) / (2 v)), times the mixing density.
        return math.exp((2 * d * theta - theta * theta) / (2 * v)) * stats.norm.pdf(theta, 0, tau)

    # The integrand is a Gaussian bump centred at d tau2 / (v + tau2); integrate around it.
    centre = d * tau2 / (v + tau2)
    width = math.sqrt(v * tau2 / (v + tau2))
    value, _ = integrate.quad(integrand, centre - 40 * width, centre + 40 * width, epsabs=0, epsrel=1e-12, limit=200)
    return value


def half_width(v, tau2, alpha):
    target = 1 / alpha
    upper = math.sqrt(v)
    while mixture_ratio(upper, v, tau2) < target:
        upper *= 2
    return optimize.brentq(lambda h: mixture_ratio(h, v, tau2) - target, 0, upper, xtol=1e-14, rtol=1e-13)


def main():
    mixture = []
    for v, tau2, alpha, d in [
        (0.01, 0.04, 0.05, 0.1),
        (0.0004, 0.0025, 0.05, 0.03),
        (1e-4, 0.01, 0.01, 0.02),
        (2.5e-3, 0.0324, 0.0125, -0.15),
        (1e-5, 0.0004, 0.05, 0.005),
        (0.2, 1.0, 0.1, 0.9),
    ]:
        mixture.append({
            "variance": v, "mixing_variance": tau2, "alpha": alpha, "difference": d,
            "ratio": mixture_ratio(d, v, tau2), "half_width": half_width(v, tau2, alpha),
        })

    rng = np.random.default_rng(20261203)
    cases = []
    for name, n_inc, n_cand, shift, scale in [("equal", 400, 300, 0.0, 1.0), ("shifted", 500, 450, 0.4, 1.3)]:
        inc = np.round(rng.normal(10.0, 2.0, n_inc), 6)
        cand = np.round(rng.normal(10.0 + shift, 2.0 * scale, n_cand), 6)
        d = float(cand.mean() - inc.mean())
        v = float(cand.var(ddof=1) / n_cand + inc.var(ddof=1) / n_inc)
        margin, alpha, k = 0.25, 0.05, 3
        h = half_width(v, margin * margin, alpha / k)
        cases.append({
            "name": name, "incumbent": inc.tolist(), "candidate": cand.tolist(), "margin": margin, "alpha": alpha,
            "quantities": k, "difference": d, "variance": v, "half_width": h,
        })

    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "confidence_sequence.json"), "w") as f:
        json.dump({"mixture": mixture, "two_sample": cases}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
