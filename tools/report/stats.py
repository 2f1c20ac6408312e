"""Classical test theory on a score matrix: one row per candidate, one column per item.

An item is whatever earns points on its own: a grade cell, or one hidden test case. All functions take
the points each candidate earned on each item (not fractions), as a float array of shape (N, k).

- difficulty: an item's mean score as a fraction of its points (high = easy);
- discrimination: the corrected item-rest correlation, Pearson's r between the item and the total of
  the OTHER items (the item itself left out, so it does not correlate with itself);
- Cronbach's alpha: k / (k - 1) * (1 - sum of item variances / variance of the total);
- alpha if item deleted: alpha of the matrix without that item;
- SEM, the standard error of measurement: SD of the total * sqrt(1 - alpha), alpha clipped to [0, 1].

Variances use N - 1. A statistic that is undefined (an item everyone scored the same on, fewer than two
items) is NaN, never a made-up number.
"""

from __future__ import annotations

import numpy as np

# Below this many candidates, percentiles and item statistics say too little to be shown.
MIN_COHORT = 20
# Flags of the cohort report's item analysis.
LOW_DISCRIMINATION = 0.2
EASY = 0.95
HARD = 0.30


def _matrix(scores) -> np.ndarray:
    x = np.asarray(scores, dtype=float)
    if x.ndim != 2:
        raise ValueError(f"a score matrix is 2-D (candidates x items), not of shape {x.shape}")
    return x


def difficulty(scores, max_points) -> np.ndarray:
    """Each item's mean score as a fraction of its points."""
    x = _matrix(scores)
    return x.mean(axis=0) / np.asarray(max_points, dtype=float)


def _pearson_columns(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Pearson's r between matching columns of `a` and `b`; NaN where either column is constant."""
    da = a - a.mean(axis=0)
    db = b - b.mean(axis=0)
    num = (da * db).sum(axis=0)
    den = np.sqrt((da * da).sum(axis=0) * (db * db).sum(axis=0))
    with np.errstate(invalid="ignore", divide="ignore"):
        r = num / den
    # Float noise on a constant column gives tiny non-zero spreads: treat them as zero.
    flat_a = np.ptp(a, axis=0) == 0
    flat_b = np.ptp(b, axis=0) == 0
    return np.where(flat_a | flat_b, np.nan, r)


def item_rest_correlation(scores) -> np.ndarray:
    """Corrected item-total (item-rest) correlation of each item."""
    x = _matrix(scores)
    rest = x.sum(axis=1, keepdims=True) - x
    return _pearson_columns(x, rest)


def cronbach_alpha(scores) -> float:
    """Cronbach's alpha of the items; NaN with fewer than 2 items or 2 candidates, or a constant total."""
    x = _matrix(scores)
    n, k = x.shape
    if k < 2 or n < 2:
        return float("nan")
    total_var = x.sum(axis=1).var(ddof=1)
    if np.ptp(x.sum(axis=1)) == 0:
        return float("nan")
    return float(k / (k - 1) * (1.0 - x.var(axis=0, ddof=1).sum() / total_var))


def alpha_if_deleted(scores) -> np.ndarray:
    """Cronbach's alpha of the items without item j, for each j."""
    x = _matrix(scores)
    n, k = x.shape
    if k < 3 or n < 2:
        return np.full(k, np.nan)
    item_var = x.var(axis=0, ddof=1)
    rest = x.sum(axis=1, keepdims=True) - x
    rest_var = rest.var(axis=0, ddof=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        alpha = (k - 1) / (k - 2) * (1.0 - (item_var.sum() - item_var) / rest_var)
    return np.where(np.ptp(rest, axis=0) == 0, np.nan, alpha)


def sem(totals, alpha: float) -> float:
    """Standard error of measurement of `totals` given the reliability `alpha` (clipped to [0, 1]).

    An undefined alpha counts as 0: the SEM is then the whole spread of the totals.
    """
    t = np.asarray(totals, dtype=float)
    if t.size < 2:
        return float("nan")
    reliability = 0.0 if np.isnan(alpha) else min(max(alpha, 0.0), 1.0)
    return float(t.std(ddof=1) * np.sqrt(1.0 - reliability))


def percentile_rank(values, x: float) -> float:
    """Percentile rank of `x` among `values`: the percentage below it plus half the percentage equal."""
    v = np.asarray(values, dtype=float)
    if v.size == 0:
        return float("nan")
    below = np.count_nonzero(v < x)
    equal = np.count_nonzero(v == x)
    return float(100.0 * (below + 0.5 * equal) / v.size)


def item_flags(mean_fraction: float, discrimination: float) -> list[str]:
    """The cohort report's flags for an item, in words, with their thresholds."""
    flags = []
    if not np.isnan(discrimination):
        if discrimination < 0:
            flags.append("negative discrimination")
        elif discrimination < LOW_DISCRIMINATION:
            flags.append(f"discrimination below {LOW_DISCRIMINATION:g}")
    if mean_fraction > EASY:
        flags.append(f"mean above {EASY:.0%}")
    elif mean_fraction < HARD:
        flags.append(f"mean below {HARD:.0%}")
    return flags
