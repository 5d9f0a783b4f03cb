"""Trend of one district's annual series: Mann–Kendall test plus the Theil–Sen slope.

Multi-year spans are not points of an annual series. A figure for 2016-2020 (span_kind
'cumulative': a five-year total, average or end-of-span rate) is a different quantity from a
one-year figure, so it never enters the trend test: it is not placed at its end year, not at
its middle, and not spread over its years. `district_series` lists such spans with
`in_trend=False` so a page can show them beside the annual points.
"""
from __future__ import annotations

import itertools
import math
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import stats

from metrics.compare import scope_tag
from metrics.data import Frames, records

MIN_POINTS = 4
UP, DOWN, FLAT, INSUFFICIENT, UNTESTABLE = "上升", "下降", "无显著趋势", "数据不足", "点数不足以检验"
EXACT_TIES_MAX_N = 9  # exact permutation p-value with tied values up to 9! = 362,880 orderings


@dataclass(frozen=True)
class TrendResult:
    """One trend test of a district's annual series: method, n, Theil–Sen slope with its interval and real
    confidence, Kendall τ, the Mann–Kendall p and the direction (上升 / 下降 / 无显著趋势 / 点数不足以检验 / 数据不足)."""
    method: str
    n: int
    slope: float          # Theil–Sen slope, indicator units per year
    slope_low: float      # its (1 − alpha) interval (Sen 1968)
    slope_high: float
    intercept: float      # Theil–Sen intercept: value ≈ intercept + slope × year
    tau: float            # Kendall's tau-b of value against year
    p_value: float | None  # two-sided Mann–Kendall p; None when 数据不足
    direction: str        # 上升 / 下降 / 无显著趋势 / 点数不足以检验 / 数据不足
    significant: bool
    note: str
    mixed_scope: bool = False  # the annual points are of more than one scope level (trend_for says which)
    min_p: float = math.nan    # smallest p any ordering of these values could give (`smallest_p`)
    slope_conf: float = math.nan  # actual confidence of [slope_low, slope_high] (`sen_confidence`)

    def predict(self, year: float) -> float:
        return self.intercept + self.slope * year if self.n >= MIN_POINTS else math.nan


@lru_cache(maxsize=64)
def _pairs(n: int) -> tuple[np.ndarray, np.ndarray]:
    """The index pairs i < j of n points (``np.triu_indices(n, 1)``), built once per n."""
    return np.triu_indices(n, 1)


def _mahonian(n: int) -> list[int]:
    """Coefficients of the q-factorial [n]! = Π (1 + q + … + q^(m−1)), m = 1 … n: how many orderings
    of n distinct items have k inversions, k = 0 … n(n−1)/2 (exact integers)."""
    counts = [1]
    for m in range(2, n + 1):
        counts = [sum(counts[max(0, k - m + 1):k + 1]) for k in range(len(counts) + m - 1)]
    return counts


def _divide(num: list[int], den: list[int]) -> list[int]:
    """The integer polynomial num / den (coefficients lowest power first) when den divides num
    exactly and den's leading coefficient is 1 (as a q-factorial's is)."""
    num, out = list(num), [0] * (len(num) - len(den) + 1)
    for k in range(len(out) - 1, -1, -1):
        out[k] = c = num[k + len(den) - 1]
        for j, d in enumerate(den):
            num[k + j] -= c * d
    return out


@lru_cache(maxsize=1024)
def _null_counts(sizes: tuple) -> np.ndarray:
    """How many of the n! orderings of values with tie groups of `sizes` (in value order) give
    each Mann–Kendall S, indexed by S + n(n−1)/2 (int64): the null distribution depends on the tie
    pattern only, so it is built once per pattern (n ≤ 9, at most 511 patterns), not per series.
    Counted, not enumerated: an ordering with I inversions between unequal values has
    S = n(n−1)/2 − T − 2I (T: pairs of equal values); the distinct orderings of the multiset are
    counted by I by the q-multinomial [n]! / Π [tᵢ]! (MacMahon), and each stands for Π tᵢ! of the n!."""
    n = sum(sizes)
    pairs, tied = n * (n - 1) // 2, sum(t * (t - 1) // 2 for t in sizes)
    by_inversions = _mahonian(n)
    for t in sizes:
        by_inversions = _divide(by_inversions, _mahonian(t))
    same = math.prod(math.factorial(t) for t in sizes)
    out = np.zeros(2 * pairs + 1, dtype=np.int64)
    for i, c in enumerate(by_inversions):
        out[pairs - tied - 2 * i + pairs] += c * same
    return out


def exact_permutation_p(y) -> float:
    """Two-sided exact permutation p-value of the Mann–Kendall S of `y` (values in year order):
    the share of the n! orderings of the values whose S is at least as extreme, as
    ``scipy.stats.permutation_test((y,), S, permutation_type='pairings', n_resamples=np.inf)``
    gives it (min(2·min(P(S* ≤ S), P(S* ≥ S)), 1)), counted from the distribution of S over the
    n! orderings, built once per tie pattern (`_null_counts`). n ≤ 9."""
    y = np.asarray(y, dtype=float)
    n = len(y)
    if n > EXACT_TIES_MAX_N:
        raise ValueError(f"精确置换检验最多 {EXACT_TIES_MAX_N} 个点，收到 {n} 个 (exact test up to {EXACT_TIES_MAX_N} points)")
    values, ranks, sizes = np.unique(y, return_inverse=True, return_counts=True)  # S depends on the order only
    i, j = _pairs(n)
    observed = int(np.sign(ranks[j] - ranks[i]).sum())
    counts = np.cumsum(_null_counts(tuple(int(k) for k in sizes)))
    pairs, total = n * (n - 1) // 2, math.factorial(n)
    at_most = int(counts[observed + pairs])
    at_least = total - (int(counts[observed + pairs - 1]) if observed + pairs > 0 else 0)
    less = np.float64(at_most) / total
    greater = np.float64(at_least) / total
    return float(np.clip(np.minimum(less, greater) * 2, 0.0, 1.0))


def smallest_p(values) -> float:
    """The smallest two-sided Mann–Kendall p-value that any ordering of `values` could give, by
    the method `trend_test` uses for them: 2·Π(tᵢ!)/n! exactly (tᵢ = sizes of groups of equal
    values; only the two sorted orders reach the largest |S|) without ties or for n ≤ 9; the
    tie-corrected normal approximation of a sorted series otherwise; 1 for a constant series.
    n = 4 distinct values → 2/24 = 0.083; 99, 100, 100, 100, 100 → 2·4!/5! = 0.4."""
    y = np.sort(np.asarray(values, dtype=float))
    n, counts = len(y), np.unique(y, return_counts=True)[1]
    if len(counts) <= 1:
        return 1.0
    if len(counts) == n or n <= EXACT_TIES_MAX_N:
        return min(1.0, 2 * math.prod(math.factorial(int(t)) for t in counts) / math.factorial(n))
    return float(stats.kendalltau(np.arange(n), y).pvalue)


def _inversions(n: int) -> np.ndarray:
    """Number of permutations of n items with k inversions, k = 0 … n(n−1)/2 (Mahonian numbers)."""
    counts = np.array([1], dtype=float)
    for m in range(2, n + 1):
        counts = np.convolve(counts, np.ones(m))
    return counts


@lru_cache(maxsize=256)
def sen_confidence(n: int, alpha: float = 0.05) -> float:
    """Actual coverage of SciPy's Theil–Sen (1 − alpha) interval for n points at distinct years.

    `theilslopes` takes the slopes of ranks Rl + 1 and Ru + 1 (1-based) from Sen's normal
    approximation, clipped to the smallest and largest slope. At the true slope the number of
    pairwise slopes below it is the number of inversions I of the residuals, which under the
    null is distributed as the inversions of a random permutation, so the coverage is exactly
    P(Rl + 1 ≤ I ≤ Ru). n = 4: the interval is [min, max] of the 6 slopes, missed only by the two
    sorted orders: 1 − 2/24 = 0.917, not 0.95."""
    big_n = n * (n - 1) // 2
    z = stats.norm.ppf(1 - alpha / 2) * math.sqrt(n * (n - 1) * (2 * n + 5) / 18)
    lo = max(int(np.round((big_n - z) / 2)) - 1, 0)
    hi = min(int(np.round((big_n + z) / 2)), big_n - 1)
    counts = _inversions(n)
    return float(counts[lo + 1:hi + 1].sum() / counts.sum())


@lru_cache(maxsize=16)
def _sen_z(alpha: float) -> float:
    """The normal quantile `scipy.stats.theilslopes(..., alpha)` uses for its interval."""
    if alpha > 0.5:
        alpha = 1. - alpha
    return stats.norm.ppf(alpha / 2.)


def _median(sorted_values: list) -> float:
    """``np.median`` of values already sorted: the middle one, or the mean of the two middle ones."""
    n = len(sorted_values)
    return sorted_values[n // 2] if n % 2 else (sorted_values[n // 2 - 1] + sorted_values[n // 2]) / 2


def _ties(values: list) -> int:
    """Σ t(t − 1)(2t + 5) over the groups of t equal values (Sen 1968, eq. 2.6)."""
    return sum(t * (t - 1) * (2 * t + 5) for t in Counter(values).values())


def theil_sen(x: np.ndarray, y: np.ndarray, alpha: float) -> tuple[float, float, float, float]:
    """(slope, intercept, low_slope, high_slope) of ``scipy.stats.theilslopes(y, x, alpha)``
    (method 'separate'), for float arrays of at least two points without NaN: the same arithmetic,
    step for step, in plain Python over the n(n − 1)/2 pairs (a test is run per district ×
    indicator on every new selection; for a series of a few years, SciPy's wrapper and even
    NumPy's per-call overhead cost more than the computation)."""
    xs, ys = x.tolist(), y.tolist()
    n = len(xs)
    slopes = sorted((ys[i] - ys[j]) / (xs[i] - xs[j]) for i in range(n) for j in range(n) if xs[i] - xs[j] > 0)
    medslope = _median(slopes)
    medinter = _median(sorted(ys)) - medslope * _median(sorted(xs))
    z = _sen_z(alpha)
    nt = len(slopes)
    sigsq = 1/18. * (n * (n-1) * (2*n+5) - _ties(xs) - _ties(ys))   # Sen (1968), eq. 2.6
    sigma = np.sqrt(sigsq)
    ru = min(int(np.round((nt - z*sigma)/2.)), nt-1)
    rl = max(int(np.round((nt + z*sigma)/2.)) - 1, 0)
    return float(medslope), float(medinter), float(slopes[rl]), float(slopes[ru])


def _with_inversions(n: int, k: int) -> np.ndarray:
    """A permutation of range(n) with exactly k inversions (its Lehmer code taken greedily)."""
    left, out = list(range(n)), []
    for i in range(n):
        c = min(k, n - 1 - i)
        out.append(left.pop(c))
        k -= c
    return np.array(out, dtype=float)


@lru_cache(maxsize=4096)
def _kendall_exact_p(n: int, discordant: int) -> float:
    """``scipy.stats.kendalltau(x, y, method='exact').pvalue`` of any n untied points with this
    many discordant pairs (the exact p-value depends on n and that count only)."""
    return float(stats.kendalltau(np.arange(n, dtype=float), _with_inversions(n, discordant), method="exact").pvalue)


def kendall_tau_b(y: np.ndarray) -> tuple[float, int]:
    """(tau-b, discordant pairs) of `y` against distinct increasing years, as
    ``scipy.stats.kendalltau(years, y).statistic`` computes tau (same integers, same divisions)."""
    n = len(y)
    i, j = _pairs(n)
    d = y[j] - y[i]
    dis, ytie, tot = int(np.count_nonzero(d < 0)), int(np.count_nonzero(d == 0)), n * (n - 1) // 2
    tau = (tot - ytie - 2 * dis) / np.sqrt(tot) / np.sqrt(tot - ytie)
    return float(np.minimum(1., max(-1., tau))), dis


def trend_test(years, values=None, alpha: float = 0.05) -> TrendResult:
    """Mann–Kendall trend test and Theil–Sen slope of `values` observed in `years`.

    `years` may also be a Series indexed by year with `values` omitted. Missing values are
    dropped; a year given twice is an error. Fewer than 4 points → direction 数据不足, no
    p-value. When no ordering of the values could reach p < alpha (`smallest_p`: n = 4, or tie
    patterns such as 99, 100, 100, 100, 100) → 点数不足以检验, with n and that smallest p in the
    note, instead of 无显著趋势. `slope_conf` is the interval's actual confidence
    (`sen_confidence`: 0.917 at n = 4). The p-value is exact: `kendalltau(method='exact')` without ties; with tied values
    (common with rates of 100 %) an exact permutation test of S for n ≤ 9, else the normal
    approximation with tie-corrected variance.

    Multi-year spans are not points of an annual series: pass annual points only. `trend_for`
    leaves every 'YYYY-YYYY' figure out: it is neither placed at its end or middle year nor
    spread over its years, because a multi-year total or average is another quantity.
    """
    if values is None:
        years, values = pd.Series(years).index, pd.Series(years).to_numpy()
    x, y = np.asarray(years, dtype=float), np.asarray(values, dtype=float)
    if x.shape != y.shape:
        raise ValueError(f"年份 {len(x)} 个，数值 {len(y)} 个：数量必须相同 ({len(x)} years but {len(y)} values)")
    keep = ~(np.isnan(x) | np.isnan(y))
    x, y = x[keep], y[keep]
    order = np.argsort(x, kind="stable")
    x, y = x[order], y[order]
    if len(np.unique(x)) != len(x):
        dup = sorted({int(v) for v in x[np.r_[False, np.diff(x) == 0]]})
        raise ValueError(f"年份重复：{dup}；年度序列每年只能有一个值 (years given twice: {dup})")
    n, nan = len(x), math.nan
    if n < MIN_POINTS:
        return TrendResult("Mann–Kendall + Theil–Sen", n, nan, nan, nan, nan, nan, None, INSUFFICIENT,
                           False, f"仅 {n} 个年度数据点，至少需要 {MIN_POINTS} 个")
    slope, intercept, low, high = theil_sen(x, y, 1 - alpha)
    notes = []
    if np.ptp(y) == 0:
        method, tau, p = "Mann–Kendall（各年数值相同）", 0.0, 1.0
        notes.append("各年数值相同")
    elif len(np.unique(y)) == n:
        tau, discordant = kendall_tau_b(y)
        method, p = "Mann–Kendall exact", _kendall_exact_p(n, discordant)
    else:
        tau = kendall_tau_b(y)[0]
        if n <= EXACT_TIES_MAX_N:
            method, p = "Mann–Kendall exact permutation (ties)", exact_permutation_p(y)
        else:
            method, p = "Mann–Kendall normal approximation (ties)", float(stats.kendalltau(x, y).pvalue)
    least = smallest_p(y)
    significant = p < alpha
    direction = (UP if tau > 0 else DOWN) if significant else FLAT
    if np.ptp(y) > 0 and least >= alpha:
        direction = UNTESTABLE
        notes.append(f"n={n}，这组数值任何排列可达到的最小 p 值为 {least:.3f}（≥ α={alpha:g}），无论趋势如何都不可能显著")
    return TrendResult(method, n, slope, low, high, intercept, tau, p, direction, bool(significant), "；".join(notes),
                       min_p=least, slope_conf=sen_confidence(n, alpha))


SERIES_COLUMNS = ["district", "indicator", "period", "period_start", "period_end", "span_kind", "year", "value",
                  "unit", "qualifier", "scope", "scope_level", "scope_tag", "in_trend", "fact_id", "doc", "quote",
                  "note"]


def district_series(frames: Frames, district: str, indicator: str) -> pd.DataFrame:
    """All figures of one district and indicator (one per period, see `best_facts`), sorted by
    period end: annual points with `in_trend=True`, multi-year spans with `in_trend=False`."""
    s = _series_rows(frames, [district], indicator)
    return s.sort_values(["period_end", "period_start"], ascending=[True, False]).reset_index(drop=True)


def _series_rows(frames: Frames, districts: list[str], indicator: str) -> pd.DataFrame:
    """The figures of `indicator` of `districts` (`Frames.best_of`) with the series columns
    (SERIES_COLUMNS: year and in_trend for annual points, scope_tag), unsorted."""
    f = frames.best_of(districts, [indicator])
    s = f[[c for c in SERIES_COLUMNS if c in f]]
    annual = s["span_kind"] == "annual"
    s = s.assign(year=s["period_end"].where(annual), in_trend=annual,
                 scope_tag=[scope_tag(r) for r in records(s, ["scope", "scope_level"])] if len(s) else "")
    return s[SERIES_COLUMNS]


def selection_series(frames: Frames, districts: list[str], indicator: str) -> dict:
    """{district: its `district_series`} for every district of `districts` that has figures of
    `indicator` (in the order given), read in one pass over the selection's figures: each frame the
    rows, columns, order and index of ``district_series(frames, district, indicator)``."""
    s = _series_rows(frames, districts, indicator).sort_values(["district", "period_end", "period_start"],
                                                                ascending=[True, True, False])
    rows = s.groupby("district", sort=False).indices if len(s) else {}
    return {d: s.iloc[rows[d]].reset_index(drop=True) for d in dict.fromkeys(districts) if d in rows}


def trend_for(frames: Frames, district: str, indicator: str, alpha: float = 0.05,
              as_of: int | None = None) -> TrendResult:
    """`trend_test` of the district's annual points (up to `as_of` when given). A series whose
    points are of more than one scope level is tested but flagged: `mixed_scope=True` and the
    note names the years of each scope (a change of scope can look like a trend)."""
    return series_trend(district_series(frames, district, indicator), alpha, as_of)


def series_trend(series: pd.DataFrame, alpha: float = 0.05, as_of: int | None = None) -> TrendResult:
    """`trend_for` of a `district_series` frame a page already holds (its annual points up to
    `as_of` when given): the same result without reading the series again."""
    s = series
    points = s[s["in_trend"] & (s["year"] <= (as_of if as_of is not None else np.inf))]
    return trend_of_records(points[["period_end", "value", "scope", "scope_level"]].to_dict("records"), alpha)


def trend_of_records(points: list[dict], alpha: float = 0.05) -> TrendResult:
    """`trend_test` of annual figures of one district and indicator as records (dicts with
    period_end, value, scope and scope_level, in period order: what target_status holds per
    district and indicator), flagged as in `trend_for` when they are of more than one scope level."""
    r = trend_test([p["period_end"] for p in points], [p["value"] for p in points], alpha=alpha)
    if len({p["scope_level"] for p in points}) < 2:
        return r
    years = {}
    for p in points:
        years.setdefault(scope_tag(p), []).append(p["period_end"])
    parts = [f"{'、'.join(str(int(y)) for y in g)} 年为{tag}" for tag, g in years.items()]
    note = f"序列口径不一（{'；'.join(parts)}），趋势可能来自口径变化"
    return replace(r, mixed_scope=True, note="；".join(x for x in (r.note, note) if x))
