"""Reference values are computed by hand from the definitions, not by the code under test:

- Mann–Kendall S = Σ_{i<j} sign(y_j − y_i); with distinct values S = n(n−1)/2 − 2·I where I is the
  number of inversions, so the exact null distribution of S is that of I over all n! orderings
  (Mahonian numbers; for n = 6: 1, 5, 14, 29, …). Two-sided p = P(|S| ≥ |s|).
- Theil–Sen slope = median of the n(n−1)/2 pairwise slopes, written out below; intercept =
  median(y) − slope·median(x) (SciPy's 'separate' method). Its 95 % interval follows Sen (1968)
  as in R trend::sens.slope: C = 1.96·sqrt(Var S), Var S = n(n−1)(2n+5)/18, bounds are the
  round((N − C)/2)-th and round((N + C)/2 + 1)-th smallest pairwise slopes (1-based), N = n(n−1)/2.
"""
import itertools
import math

import numpy as np
import pandas as pd
import pytest

from metrics.data import make_frames
from metrics.trends import district_series, trend_for, trend_test

YEARS6 = [2016, 2017, 2018, 2019, 2020, 2021]
DOWNISH = [10, 9, 9.5, 7, 6, 6.5]


def test_fewer_than_four_points_is_insufficient_without_p_value():
    r = trend_test([2019, 2020, 2021], [1.0, 2.0, 3.0])
    assert (r.direction, r.n, r.p_value, r.significant) == ("数据不足", 3, None, False)
    assert math.isnan(r.slope)


def test_missing_values_do_not_count_as_points():
    assert trend_test([2018, 2019, 2020, 2021], [1.0, None, 2.0, 3.0]).direction == "数据不足"


def test_mann_kendall_exact_p_matches_hand_enumeration_for_five_points():
    # y = 1, 2, 3, 5, 4: every pair concordant except (5, 4) → S = 9 − 1 = 8, tau = 8/10.
    # |S| ≥ 8 ⇔ I ≤ 1: 1 + 4 orderings on each side → p = 2·5/120 = 1/12.
    r = trend_test([2016, 2017, 2018, 2019, 2020], [1, 2, 3, 5, 4])
    assert r.tau == pytest.approx(0.8)
    assert r.p_value == pytest.approx(1 / 12)
    assert r.direction == "无显著趋势" and "exact" in r.method


def test_theil_sen_slope_and_interval_match_the_pairwise_slopes_written_out():
    # pairwise slopes of y = 1, 2, 3, 5, 4 sorted: −1, 0.5, 0.667, 0.75, 1, 1, 1, 1.333, 1.5, 2 → median 1.
    # Var S = 5·4·15/18 = 16.67, C = 8.00, N = 10 → bounds: 1st and 10th smallest = −1 and 2.
    # intercept = median(y) − 1·median(x) = 3 − 2018 = −2015.
    r = trend_test([2016, 2017, 2018, 2019, 2020], [1, 2, 3, 5, 4])
    assert (r.slope, r.slope_low, r.slope_high) == pytest.approx((1.0, -1.0, 2.0))
    assert r.predict(2021) == pytest.approx(6.0)


def test_downward_looking_six_points_are_not_yet_significant():
    # y = 10, 9, 9.5, 7, 6, 6.5: row sums of signs −5, −2, −3, −2, +1 → S = −11, tau = −11/15.
    # |S| ≥ 11 ⇔ I ≤ 2 on either side: (1 + 5 + 14) · 2 / 720 = 40/720 = 0.0556 > 0.05.
    r = trend_test(YEARS6, DOWNISH)
    assert r.tau == pytest.approx(-11 / 15)
    assert r.p_value == pytest.approx(40 / 720)
    assert r.direction == "无显著趋势" and not r.significant


def test_six_point_exact_p_agrees_with_brute_force_over_all_orderings():
    s = lambda y: sum(np.sign(y[j] - y[i]) for i, j in itertools.combinations(range(len(y)), 2))
    observed = abs(s(DOWNISH))
    null = [abs(s(p)) >= observed for p in itertools.permutations(DOWNISH)]
    assert trend_test(YEARS6, DOWNISH).p_value == pytest.approx(sum(null) / len(null))


def test_six_point_theil_sen_matches_the_hand_listed_slopes():
    # 15 pairwise slopes sorted: −2.5, −1.75, −1 (×7), −0.7, −0.625, −0.25, −0.25, 0.5, 0.5 → median −1.
    # Var S = 6·5·17/18 = 28.33, C = 10.43 → round(2.28) = 2nd = −1.75, round(13.72) = 14th = 0.5.
    # intercept = median(y) − (−1)·median(x) = 8 + 2018.5 = 2026.5 → value in 2022 = 4.5.
    r = trend_test(YEARS6, DOWNISH)
    assert (r.slope, r.slope_low, r.slope_high) == pytest.approx((-1.0, -1.75, 0.5))
    assert r.predict(2022) == pytest.approx(4.5)


def test_strictly_falling_six_points_are_a_significant_decrease():
    # Only the fully reversed ordering reaches S = −15: p = 2/720.
    r = trend_test(YEARS6, [9, 8, 7, 6, 5, 4])
    assert r.p_value == pytest.approx(2 / 720)
    assert (r.direction, r.significant) == ("下降", True)


def test_tied_values_use_an_exact_permutation_p():
    # y = 1, 2, 2, 4, 5: the tied pair scores 0 so S = 9 is the maximum, reached by the 2 orderings
    # that keep the values sorted (the two 2s swapped); S = −9 by 2 more → p = 4/120.
    # tau-b = 9 / sqrt(10 · 9). The normal approximation would give 0.023.
    r = trend_test([2016, 2017, 2018, 2019, 2020], [1, 2, 2, 4, 5])
    assert r.p_value == pytest.approx(4 / 120)
    assert r.tau == pytest.approx(9 / math.sqrt(90))
    assert r.direction == "上升" and "permutation" in r.method


def test_four_points_are_untestable_not_without_trend():
    # n = 4: only the 2 sorted orders of 4! = 24 reach |S| = 6, so the smallest p is 2/24 = 0.083 > 0.05.
    r = trend_test([2018, 2019, 2020, 2021], [1, 2, 3, 4])
    assert r.p_value == pytest.approx(2 / 24) and r.min_p == pytest.approx(2 / 24)
    assert r.direction == "点数不足以检验" and "n=4" in r.note and "0.083" in r.note and not r.significant


def test_a_tie_pattern_that_cannot_reach_significance_is_untestable():
    # 99, 100, 100, 100, 100: the largest |S| = 4 is reached by the 4! orders keeping 99 first and the
    # 4! keeping it last: p = 2·24/120 = 0.4 (the same by brute force over all 120 orders below).
    values = [99, 100, 100, 100, 100]
    s = lambda y: sum(np.sign(y[j] - y[i]) for i, j in itertools.combinations(range(len(y)), 2))
    brute = sum(abs(s(p)) >= 4 for p in itertools.permutations(values)) / 120
    r = trend_test([2017, 2018, 2019, 2020, 2021], values)
    assert brute == pytest.approx(0.4) and r.min_p == pytest.approx(brute) and r.p_value == pytest.approx(brute)
    assert r.direction == "点数不足以检验" and "0.400" in r.note


def test_five_distinct_points_can_be_tested():
    r = trend_test([2017, 2018, 2019, 2020, 2021], [60, 70, 75, 85, 88])
    assert r.min_p == pytest.approx(2 / 120) and r.direction == "上升"


def test_the_theil_sen_interval_carries_its_real_confidence():
    # n = 4: Sen's ranks clip to the smallest and largest of the 6 slopes; the true slope lies outside
    # only when all 6 residual pairs are in order, i.e. for the 2 sorted orders of 24: 22/24 = 0.9167.
    # The simulation below (normal errors, true slope 0) agrees within its error.
    from metrics.trends import sen_confidence
    assert sen_confidence(4) == pytest.approx(22 / 24)
    assert sen_confidence(5) == pytest.approx(118 / 120)   # [min, max] again: 1 − 2/120
    rng = np.random.default_rng(1)
    from scipy.stats import theilslopes
    years = np.arange(4.0)
    hits = [lo <= 0 <= hi for lo, hi in (theilslopes(rng.normal(size=4), years)[2:] for _ in range(4000))]
    assert np.mean(hits) == pytest.approx(22 / 24, abs=0.015)
    assert trend_test([2018, 2019, 2020, 2021], [1, 2, 3, 5]).slope_conf == pytest.approx(22 / 24)


def test_constant_series_has_no_trend():
    r = trend_test(YEARS6, [100] * 6)
    assert (r.direction, r.slope, r.p_value) == ("无显著趋势", pytest.approx(0.0), pytest.approx(1.0))


def test_duplicate_years_are_refused_naming_the_year():
    with pytest.raises(ValueError, match="2019"):
        trend_test([2018, 2019, 2019, 2020], [1, 2, 3, 4])


def test_a_series_indexed_by_year_is_accepted():
    r = trend_test(pd.Series([9, 8, 7, 6, 5, 4], index=YEARS6))
    assert r.n == 6 and r.direction == "下降"


def test_district_series_keeps_cumulative_spans_out_of_the_trend(frames):
    s = district_series(frames, "渝北区", "litigation_loss_rate")
    assert s[["period", "in_trend"]].values.tolist() == [["2016-2020", False], ["2021", True]]


def test_trend_for_uses_only_annual_points():
    facts = [dict(fact_id=i, district="a", indicator="x", period=p, value=v)
             for i, (p, v) in enumerate([("2016-2020", 1.0), ("2019", 2.0), ("2020", 3.0), ("2021", 4.0)])]
    r = trend_for(make_frames(facts=facts), "a", "x")
    assert (r.n, r.direction) == (3, "数据不足")


def test_trend_for_a_rising_district(frames):
    # 渝北区 60, 70, 75, 85, 88 over 2017–2021: all 10 pairs concordant → S = 10, p = 2/120.
    r = trend_for(frames, "渝北区", "head_appearance_rate")
    assert (r.n, r.direction) == (5, "上升")
    assert r.p_value == pytest.approx(2 / 120)


def test_a_series_that_changes_scope_is_flagged():
    # 2017–2019 全区, 2020–2021 区政府 only: tested, but the note says the scope changed in 2020.
    facts = [dict(fact_id=i, district="a", indicator="x", period=str(y), value=v,
                  scope_level="district" if y < 2020 else "government", scope="" if y < 2020 else "区政府")
             for i, (y, v) in enumerate([(2017, 60), (2018, 70), (2019, 75), (2020, 85), (2021, 88)])]
    r = trend_for(make_frames(facts=facts), "a", "x")
    assert r.mixed_scope and "序列口径不一（2017、2018、2019 年为全区；2020、2021 年为区政府）" in r.note
    assert not trend_for(make_frames(facts=[dict(f, scope_level="district", scope="") for f in facts]), "a", "x").mixed_scope


def test_the_exact_permutation_p_equals_scipys_permutation_test_bit_for_bit():
    """`exact_permutation_p` against scipy.stats.permutation_test over every ordering, on tied
    and untied values, n = 2 … 8 and one n = 9."""
    from scipy import stats
    from metrics.trends import exact_permutation_p

    def s(y, axis=-1):
        y = np.moveaxis(y, axis, -1)
        return np.triu(np.sign(y[..., None, :] - y[..., :, None]), 1).sum(axis=(-2, -1))

    rng = np.random.default_rng(5)
    cases = [rng.choice(rng.uniform(0, 100, size=k), size=n) for n in range(2, 9) for k in (1, 2, 3, n) for _ in range(3)]
    cases += [np.array([99.0, 100, 100, 100, 97, 100, 98, 100, 99])]
    for y in cases:
        want = stats.permutation_test((y,), s, permutation_type="pairings", vectorized=True, n_resamples=np.inf).pvalue
        assert exact_permutation_p(y) == float(want), y


def scipy_trend_test(years, values, alpha=0.05):
    """The plain computation `trend_test` replaced: SciPy's theilslopes and kendalltau on every
    call, and the exact permutation p over the n! orderings of this very series."""
    import itertools
    import math

    from scipy import stats

    from metrics import trends
    x, y = np.asarray(years, dtype=float), np.asarray(values, dtype=float)
    n = len(x)
    ts = stats.theilslopes(y, x, alpha=1 - alpha)
    if np.ptp(y) == 0:
        tau, p = 0.0, 1.0
    elif len(np.unique(y)) == n:
        r = stats.kendalltau(x, y, method="exact")
        tau, p = float(r.statistic), float(r.pvalue)
    else:
        tau = float(stats.kendalltau(x, y).statistic)
        if n <= trends.EXACT_TIES_MAX_N:
            s = lambda v: sum(np.sign(v[j] - v[i]) for i, j in itertools.combinations(range(n), 2))
            null = [s(y[list(o)]) for o in itertools.permutations(range(n))]
            obs = s(y)
            less = np.float64(sum(v <= obs for v in null)) / math.factorial(n)
            greater = np.float64(sum(v >= obs for v in null)) / math.factorial(n)
            p = float(np.clip(np.minimum(less, greater) * 2, 0.0, 1.0))
        else:
            p = float(stats.kendalltau(x, y).pvalue)
    return float(ts.slope), float(ts.low_slope), float(ts.high_slope), float(ts.intercept), tau, p


def test_trend_test_gives_scipys_numbers_bit_for_bit_on_random_series():
    """The fast Theil–Sen, Kendall tau-b, cached exact p-values and tie-pattern null
    distributions give exactly SciPy's figures: untied, tied and constant-ish series, n = 4 … 18,
    years with gaps."""
    rng = np.random.default_rng(13)
    checked = 0
    for n in list(range(4, 10)) * 12 + list(range(10, 19)) * 4:
        years = np.sort(rng.choice(np.arange(2000, 2030), size=n, replace=False))
        kind = rng.integers(4)
        y = (rng.normal(50, 20, size=n) if kind == 0 else rng.integers(0, 4, size=n) * 2.5 + 90 if kind == 1
             else np.minimum(100, rng.normal(99, 1.5, size=n).round(0)) if kind == 2 else
             np.cumsum(rng.normal(1, 1, size=n)).round(1))
        if np.ptp(y) == 0:
            continue
        r = trend_test(years, y)
        want = scipy_trend_test(years, y)
        assert (r.slope, r.slope_low, r.slope_high, r.intercept, r.tau, r.p_value) == want, (years, y)
        checked += 1
    assert checked > 80


def test_the_counted_null_distribution_equals_the_one_over_every_ordering():
    """`_null_counts` (q-multinomial counts) against S listed over all n! orderings, for every tie
    pattern up to n = 7 and some of n = 9."""
    import itertools

    from metrics.trends import _null_counts

    def listed(sizes):
        n = sum(sizes)
        r = np.repeat(np.arange(len(sizes)), sizes)[np.array(list(itertools.permutations(range(n))))]
        i, j = np.triu_indices(n, 1)
        pairs = n * (n - 1) // 2
        return np.bincount(np.sign(r[:, j] - r[:, i]).sum(axis=1) + pairs, minlength=2 * pairs + 1)

    def patterns(n):
        if n == 0:
            yield ()
        for k in range(1, n + 1):
            for rest in patterns(n - k):
                yield (k, *rest)

    for sizes in [p for n in range(1, 8) for p in patterns(n)] + [(2, 3, 4), (1, 2, 1, 2, 1, 2), (9,), (1,) * 9]:
        got = _null_counts(sizes)
        assert got.dtype == np.int64 and got.tolist() == listed(sizes).tolist(), sizes
