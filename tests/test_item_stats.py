"""The reports' item statistics: against their definitions on matrices small enough to check by hand,
and against a slow, loop-by-loop implementation of the same definitions on a random matrix."""

import math
import random

import numpy as np
import pytest

from tools.report import stats

# 4 candidates x 3 binary items. Totals 2, 1, 0, 3 (mean 1.5, variance 5/3); item variances 1/4, 1/3,
# 1/4 (sum 5/6), so alpha = 3/2 * (1 - (5/6) / (5/3)) = 3/4.
SMALL = [[1, 1, 0], [1, 0, 0], [0, 0, 0], [1, 1, 1]]


def test_difficulty_is_the_mean_share_of_each_items_points():
    assert stats.difficulty(SMALL, [1, 1, 1]) == pytest.approx([0.75, 0.5, 0.25], abs=1e-15)
    assert stats.difficulty([[2, 0], [1, 3]], [2, 4]) == pytest.approx([0.75, 0.375], abs=1e-15)


def test_cronbach_alpha_by_hand():
    assert stats.cronbach_alpha(SMALL) == pytest.approx(0.75, abs=1e-12)


def test_item_rest_correlation_by_hand():
    # Item 1 is (1, 1, 0, 1) and the rest of the test (1, 0, 0, 2): r = 0.75 / sqrt(0.75 * 2.75).
    r = stats.item_rest_correlation(SMALL)
    assert r[0] == pytest.approx(math.sqrt(3 / 11), abs=1e-12)
    # Item 3 is (0, 0, 0, 1), the rest (2, 1, 0, 2): deviations -.25,-.25,-.25,.75 and .75,-.25,-1.25,.75.
    assert r[2] == pytest.approx(0.75 / math.sqrt(0.75 * 2.75), abs=1e-12)


def test_alpha_if_item_deleted_by_hand():
    # Without item 3: totals 2, 1, 0, 2 (variance 2.75 / 3), item variances 1/4 + 1/3, alpha 8/11.
    deleted = stats.alpha_if_deleted(SMALL)
    assert deleted[2] == pytest.approx(8 / 11, abs=1e-12)
    for j in range(3):
        without = np.delete(np.array(SMALL, dtype=float), j, axis=1)
        assert deleted[j] == pytest.approx(stats.cronbach_alpha(without), abs=1e-12)


def test_sem_is_the_sd_of_totals_times_root_one_minus_alpha():
    totals = np.array(SMALL).sum(axis=1)
    assert stats.sem(totals, 0.75) == pytest.approx(math.sqrt(5 / 3) * 0.5, abs=1e-12)
    assert stats.sem(totals, float("nan")) == pytest.approx(math.sqrt(5 / 3), abs=1e-12)
    assert stats.sem(totals, -0.4) == pytest.approx(math.sqrt(5 / 3), abs=1e-12)


def test_parallel_items_are_perfectly_reliable():
    x = [[0, 0], [1, 1], [2, 2], [4, 4]]
    assert stats.cronbach_alpha(x) == pytest.approx(1.0, abs=1e-12)
    assert stats.item_rest_correlation(x) == pytest.approx([1.0, 1.0], abs=1e-12)
    assert stats.sem(np.array(x).sum(axis=1), stats.cronbach_alpha(x)) == pytest.approx(0.0, abs=1e-12)


def test_an_item_everyone_scored_the_same_on_has_no_discrimination():
    x = [[1, 0, 1], [1, 1, 0], [1, 1, 1], [1, 0, 0]]
    r = stats.item_rest_correlation(x)
    assert math.isnan(r[0]) and not math.isnan(r[1])
    assert math.isnan(stats.cronbach_alpha([[1, 1], [1, 1], [1, 1]]))
    assert math.isnan(stats.cronbach_alpha([[1], [0], [1]])), "one item has no alpha"


def test_negatively_discriminating_item():
    # Item 3 is passed exactly by those who fail the others.
    x = [[1, 1, 0], [1, 1, 0], [0, 0, 1], [0, 0, 1], [1, 0, 0]]
    assert stats.item_rest_correlation(x)[2] < 0
    assert "negative discrimination" in stats.item_flags(0.4, stats.item_rest_correlation(x)[2])


def test_percentile_rank_counts_ties_half():
    assert stats.percentile_rank([10, 20, 20, 30], 20) == 50.0
    assert stats.percentile_rank([10, 20, 20, 30], 30) == 87.5
    assert stats.percentile_rank([10, 20, 20, 30], 5) == 0.0
    assert stats.percentile_rank([10, 20, 20, 30], 25) == 75.0


def test_flags_and_their_thresholds():
    assert stats.item_flags(0.97, 0.5) == ["mean above 95%"]
    assert stats.item_flags(0.2, 0.5) == ["mean below 30%"]
    assert stats.item_flags(0.6, 0.1) == ["discrimination below 0.2"]
    assert stats.item_flags(0.6, -0.1) == ["negative discrimination"]
    assert stats.item_flags(0.6, 0.25) == []
    assert stats.item_flags(0.95, 0.2) == [], "the thresholds themselves are not flagged"
    assert stats.item_flags(1.0, float("nan")) == ["mean above 95%"]


# The same definitions, one number at a time, as a textbook would compute them.


def slow_variance(values):
    mean = sum(values) / len(values)
    return sum((v - mean) ** 2 for v in values) / (len(values) - 1)


def slow_pearson(a, b):
    ma, mb = sum(a) / len(a), sum(b) / len(b)
    num = sum((x - ma) * (y - mb) for x, y in zip(a, b))
    den = math.sqrt(sum((x - ma) ** 2 for x in a) * sum((y - mb) ** 2 for y in b))
    return num / den


def slow_alpha(rows):
    k = len(rows[0])
    items = [[row[j] for row in rows] for j in range(k)]
    totals = [sum(row) for row in rows]
    return k / (k - 1) * (1 - sum(slow_variance(item) for item in items) / slow_variance(totals))


def test_vectorised_statistics_match_a_slow_loop_on_a_random_matrix():
    rng = random.Random(20261120)
    points = [1, 2, 0.5, 3, 1, 1, 2, 4]
    # Candidates of different ability, so items correlate as on a real test.
    rows = []
    for _ in range(57):
        ability = rng.random()
        rows.append(
            [
                p * (rng.random() < 0.25 + 0.6 * ability) * (1 if p != 3 else rng.choice([1, 2 / 3]))
                for p in points
            ]
        )
    x = np.array(rows)
    k = len(points)
    assert stats.cronbach_alpha(x) == pytest.approx(slow_alpha(rows), abs=1e-12)
    rest_r = stats.item_rest_correlation(x)
    deleted = stats.alpha_if_deleted(x)
    means = stats.difficulty(x, points)
    for j in range(k):
        item = [row[j] for row in rows]
        rest = [sum(row) - row[j] for row in rows]
        assert rest_r[j] == pytest.approx(slow_pearson(item, rest), abs=1e-12)
        assert deleted[j] == pytest.approx(slow_alpha([row[:j] + row[j + 1 :] for row in rows]), abs=1e-12)
        assert means[j] == pytest.approx(sum(item) / len(item) / points[j], abs=1e-12)
    totals = [sum(row) for row in rows]
    alpha = slow_alpha(rows)
    assert stats.sem(totals, alpha) == pytest.approx(
        math.sqrt(slow_variance(totals)) * math.sqrt(1 - alpha), abs=1e-12
    )
    for value in (min(totals), totals[3], max(totals), 2.5):
        below = sum(t < value for t in totals)
        equal = sum(t == value for t in totals)
        assert stats.percentile_rank(totals, value) == pytest.approx(
            100 * (below + equal / 2) / len(totals), abs=1e-12
        )
