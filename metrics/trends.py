"""Trend of one district's annual series: Mann–Kendall test plus the Theil–Sen slope.

Multi-year spans are not points of an annual series. A figure for 2016-2020 (span_kind
'cumulative': a five-year total, average or end-of-span rate) is a different quantity from a
one-year figure, so it never enters the trend test: it is not placed at its end year, not at
its middle, and not spread over its years. `district_series` lists such spans with
`in_trend=False` so a page can show them beside the annual points.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy import stats

from metrics.compare import scope_tag
from metrics.data import Frames, best_facts

MIN_POINTS = 4
UP, DOWN, FLAT, INSUFFICIENT = "上升", "下降", "无显著趋势", "数据不足"
EXACT_TIES_MAX_N = 9  # exact permutation p-value with tied values up to 9! = 362,880 orderings


@dataclass(frozen=True)
class TrendResult:
    method: str
    n: int
    slope: float          # Theil–Sen slope, indicator units per year
    slope_low: float      # its (1 − alpha) interval (Sen 1968)
    slope_high: float
    intercept: float      # Theil–Sen intercept: value ≈ intercept + slope × year
    tau: float            # Kendall's tau-b of value against year
    p_value: float | None  # two-sided Mann–Kendall p; None when 数据不足
    direction: str        # 上升 / 下降 / 无显著趋势 / 数据不足
    significant: bool
    note: str
    mixed_scope: bool = False  # the annual points are of more than one scope level (trend_for says which)

    def predict(self, year: float) -> float:
        return self.intercept + self.slope * year if self.n >= MIN_POINTS else math.nan


def _mk_statistic(y: np.ndarray, axis: int = -1) -> np.ndarray:
    """Mann–Kendall S = Σ_{i<j} sign(y_j − y_i) for y ordered by year (vectorised over rows)."""
    y = np.moveaxis(y, axis, -1)
    d = np.sign(y[..., None, :] - y[..., :, None])
    return np.triu(d, 1).sum(axis=(-2, -1))


def trend_test(years, values=None, alpha: float = 0.05) -> TrendResult:
    """Mann–Kendall trend test and Theil–Sen slope of `values` observed in `years`.

    `years` may also be a Series indexed by year with `values` omitted. Missing values are
    dropped; a year given twice is an error. Fewer than 4 points → direction 数据不足, no
    p-value. The p-value is exact: `kendalltau(method='exact')` without ties; with tied values
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
        raise ValueError(f"年份 {len(x)} 个，数值 {len(y)} 个：数量必须相同")
    keep = ~(np.isnan(x) | np.isnan(y))
    x, y = x[keep], y[keep]
    order = np.argsort(x, kind="stable")
    x, y = x[order], y[order]
    if len(np.unique(x)) != len(x):
        dup = sorted({int(v) for v in x[np.r_[False, np.diff(x) == 0]]})
        raise ValueError(f"年份重复：{dup}；年度序列每年只能有一个值")
    n, nan = len(x), math.nan
    if n < MIN_POINTS:
        return TrendResult("Mann–Kendall + Theil–Sen", n, nan, nan, nan, nan, nan, None, INSUFFICIENT,
                           False, f"仅 {n} 个年度数据点，至少需要 {MIN_POINTS} 个")
    ts = stats.theilslopes(y, x, alpha=1 - alpha)
    notes = []
    if np.ptp(y) == 0:
        method, tau, p = "Mann–Kendall（各年数值相同）", 0.0, 1.0
        notes.append("各年数值相同")
    elif len(np.unique(y)) == n:
        r = stats.kendalltau(x, y, method="exact")
        method, tau, p = "Mann–Kendall exact", float(r.statistic), float(r.pvalue)
    else:
        tau = float(stats.kendalltau(x, y).statistic)
        if n <= EXACT_TIES_MAX_N:
            perm = stats.permutation_test((y,), _mk_statistic, permutation_type="pairings",
                                          vectorized=True, n_resamples=np.inf, batch=20000)
            method, p = "Mann–Kendall exact permutation (ties)", float(perm.pvalue)
        else:
            method, p = "Mann–Kendall normal approximation (ties)", float(stats.kendalltau(x, y).pvalue)
    if 2 / math.factorial(n) > alpha:
        notes.append(f"{n} 个点时精确检验的最小 p 值为 {2 / math.factorial(n):.3f}，不可能在 {alpha} 水平显著")
    significant = p < alpha
    direction = (UP if tau > 0 else DOWN) if significant else FLAT
    return TrendResult(method, n, float(ts.slope), float(ts.low_slope), float(ts.high_slope),
                       float(ts.intercept), tau, p, direction, bool(significant), "；".join(notes))


def district_series(frames: Frames, district: str, indicator: str) -> pd.DataFrame:
    """All figures of one district and indicator (one per period, see `best_facts`), sorted by
    period end: annual points with `in_trend=True`, multi-year spans with `in_trend=False`."""
    f = frames.facts
    s = best_facts(f[(f["district"] == district) & (f["indicator"] == indicator)])
    s = s.assign(year=s["period_end"].where(s["span_kind"] == "annual"), in_trend=s["span_kind"] == "annual")
    s["scope_tag"] = [scope_tag(r) for r in s[["scope", "scope_level"]].to_dict("records")] if len(s) else ""
    cols = ["district", "indicator", "period", "period_start", "period_end", "span_kind", "year", "value",
            "unit", "qualifier", "scope", "scope_level", "scope_tag", "in_trend", "fact_id", "doc", "quote", "note"]
    return s[cols].sort_values(["period_end", "period_start"], ascending=[True, False]).reset_index(drop=True)


def trend_for(frames: Frames, district: str, indicator: str, alpha: float = 0.05,
              as_of: int | None = None) -> TrendResult:
    """`trend_test` of the district's annual points (up to `as_of` when given). A series whose
    points are of more than one scope level is tested but flagged: `mixed_scope=True` and the
    note names the years of each scope (a change of scope can look like a trend)."""
    s = district_series(frames, district, indicator)
    s = s[s["in_trend"] & (s["year"] <= (as_of if as_of is not None else np.inf))]
    r = trend_test(s["year"], s["value"], alpha=alpha)
    if s["scope_level"].nunique() < 2:
        return r
    parts = [f"{'、'.join(str(int(y)) for y in g['year'])} 年为{tag}" for tag, g in s.groupby("scope_tag", sort=False)]
    note = f"序列口径不一（{'；'.join(parts)}），趋势可能来自口径变化"
    return replace(r, mixed_scope=True, note="；".join(x for x in (r.note, note) if x))
