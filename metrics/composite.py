"""Composite score over chosen indicators with user weights.

Each figure is placed on a fixed scale that keeps distances (`bounds`), never on a min–max of
the districts compared: with min–max a 0.01-point lead became the whole range. Only the figures
`compare_districts` ranks (one comparable set per indicator) are scored; a district needs a
minimum share of the weight with data (`min_coverage`) to be ranked; the rank range varies the
weights and, where counts exist, the data within their Wilson intervals.
"""
from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from metrics.compare import compare_indicators
from metrics.data import Frames

PERTURBATION = 0.2   # each weight × (1 − 0.2, 1, 1 + 0.2)
GRID_MAX = 3 ** 8    # full grid up to 8 indicators, else a seeded random sample of this size
SEED = 20240101
MIN_COVERAGE = 0.6   # share of the weight a district needs data for to be ranked


def _weight_grid(w: np.ndarray) -> np.ndarray:
    factors = np.array([1 - PERTURBATION, 1.0, 1 + PERTURBATION])
    if 3 ** len(w) <= GRID_MAX:
        grid = np.array(list(itertools.product(factors, repeat=len(w))))
    else:
        grid = np.vstack([np.ones(len(w)), np.random.default_rng(SEED).choice(factors, size=(GRID_MAX - 1, len(w)))])
    return grid * w


def _scores(s: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted mean of available standings, per district (rows) and weight vector (columns)."""
    have = ~np.isnan(s)
    with np.errstate(invalid="ignore", divide="ignore"):
        # rounded: BLAS may sum equal rows in another order, and float noise must not split a tie
        return np.round((np.nan_to_num(s) @ weights.T) / (have @ weights.T), 12)


def bounds(frames: Frames, indicator: str, span_kind: str = "annual") -> tuple[float, float, str]:
    """(worst, best, how) of the fixed scale an indicator's figures are placed on.

    Rates (%) use their natural range: 0 and 100 (worst 100 when lower is better). Other units
    use the worst and best figure of a fixed reference set: every figure of the indicator in the
    warehouse of the same span kind (all districts and years, not only the ones compared), so a
    district's standing does not depend on which districts are selected."""
    meta = frames.indicator(indicator)
    lower = meta["direction"] == "lower"
    if meta["unit"] == "%":
        return (100.0, 0.0, "0–100%") if lower else (0.0, 100.0, "0–100%")
    lo, hi = frames.value_range.get((indicator, span_kind), (np.nan, np.nan))
    return (hi, lo, "全库最差—最好") if lower else (lo, hi, "全库最差—最好")


def _place(values, worst: float, best: float) -> np.ndarray:
    """Position on the fixed scale: 0 = worst, 1 = best, clipped; 0.5 when the scale is empty."""
    values = np.asarray(values, dtype=float)
    if not best != worst:
        return np.where(np.isnan(values), np.nan, 0.5)
    return np.clip((values - worst) / (best - worst), 0.0, 1.0)


def _slices(c: pd.DataFrame, indicators: list[str]) -> list[pd.DataFrame]:
    """The rows of each of `indicators` in `c` (a `compare_indicators` result: each indicator's
    rows together, in the order asked), index 0…n−1 as `compare_districts` gives them."""
    ids = c["indicator"].to_numpy()
    return [c.iloc[np.flatnonzero(ids == i)].reset_index(drop=True) for i in indicators]


def composite_score(frames: Frames, indicators: list[str], weights, districts: list[str] | None = None,
                    period: str | None = None, min_coverage: float = MIN_COVERAGE, scale: dict | None = None
                    ) -> pd.DataFrame:
    """Score 0–100 = weighted mean of each figure's position on a fixed scale (`bounds`:
    0 = worst, 100 = best; `scale` overrides it per indicator as {indicator: (worst, best)}).

    weights: dict {indicator: weight} or a list aligned with `indicators` (≥ 0, not all 0);
    indicators of weight 0 are neither used nor counted. Only figures `compare_districts` ranks
    (one comparable set per indicator) are scored; a district's other indicators are left out and
    the rest reweighted, never counted as 0. coverage = share of the weight it has data for; a
    district below `min_coverage` keeps its score but is not ranked (rank_note says why).
    rank_min/rank_max: the best and worst rank over every weight vector with each weight × 0.8,
    1 or 1.2 (full grid up to 8 indicators, else a seeded sample) *and* every value anywhere in
    its Wilson 95 % interval where counts exist (exact: a district's best case is its upper ends
    against everyone else's lower ends). Neutral indicators are not scored (note). flagged:
    indicators whose figure carries a note (约数, 推算值 …).

    Returns columns district, score, coverage, n_indicators_used, rank, rank_min, rank_max,
    rank_note, missing, flagged, note.
    """
    w = [weights[i] for i in indicators] if isinstance(weights, dict) else list(weights)
    if len(w) != len(indicators):
        raise ValueError(f"{len(indicators)} 个指标却有 {len(w)} 个权重 ({len(indicators)} indicators but {len(w)} weights)")
    w = np.asarray(w, dtype=float)
    if (w < 0).any() or not w.sum() > 0:
        raise ValueError(f"权重须非负且不全为 0：{w.tolist()} (weights must be ≥ 0 and not all 0)")
    if not 0 <= min_coverage <= 1:
        raise ValueError(f"最低覆盖率须在 0 到 1 之间：{min_coverage} (min_coverage must be within 0–1)")
    neutral = [i for i in indicators if frames.indicator(i)["direction"] not in ("higher", "lower")]
    notes = [f"{frames.indicator(i)['name_zh']} 为中性指标，未计分" for i in neutral]
    keep = [k for k, i in enumerate(indicators) if i not in neutral and w[k] > 0]
    w, indicators = w[keep], [indicators[k] for k in keep]
    if not len(w) or not w.sum() > 0:
        raise ValueError("没有可计分的指标：所选指标均为中性或权重为 0 (no scorable indicator: all neutral or weight 0)")
    mid, low, high, flagged = {}, {}, {}, {}
    every = compare_indicators(frames, indicators, period, districts, groups=False)   # one pass, sliced below
    for ind, c in zip(indicators, _slices(every, indicators)):
        meta = frames.indicator(ind)
        ranked = c[c["ranked"]]
        kind = ranked["span_kind"].iloc[0] if len(ranked) else "annual"
        worst, best, how = (*scale[ind], "自定义") if scale and ind in scale else bounds(frames, ind, kind)
        notes.append(f"{meta['name_zh']}：标尺 {worst:g}（最差）—{best:g}（最好），{how}")
        ends = [ranked["ci_low"].fillna(ranked["value"]), ranked["ci_high"].fillna(ranked["value"])]
        at = lambda v: pd.Series(_place(v, worst, best), index=ranked["district"])
        mid[ind], a, b = at(ranked["value"]), at(ends[0]), at(ends[1])
        low[ind], high[ind] = np.minimum(a, b), np.maximum(a, b)
        for d in ranked.loc[ranked["flags"] != "", "district"]:
            flagged.setdefault(d, []).append(meta["name_zh"])
    frame = lambda cols: (lambda t: t.reindex(districts) if districts is not None else t.sort_index())(
        pd.DataFrame(cols, columns=indicators))
    table = frame(mid)
    s, s_low, s_high = (frame(x).reindex(table.index).to_numpy(dtype=float) for x in (mid, low, high))
    score = _scores(s, w[None, :])[:, 0] * 100
    coverage = (~np.isnan(s)) @ w / w.sum()
    ok = ~np.isnan(score) & (coverage >= min_coverage - 1e-12)
    rank, rank_min, rank_max = (np.full(len(s), np.nan) for _ in range(3))
    if ok.any():
        grid = _weight_grid(w)
        lo_scores, hi_scores = _scores(s_low[ok], grid), _scores(s_high[ok], grid)
        base = score[ok]
        rank[ok] = [1 + (base > x).sum() for x in base]
        rank_min[ok] = [1 + (np.delete(lo_scores, i, 0) > hi_scores[i]).sum(0).min() for i in range(ok.sum())]
        rank_max[ok] = [1 + (np.delete(hi_scores, i, 0) > lo_scores[i]).sum(0).max() for i in range(ok.sum())]
    names = {i: frames.indicator(i)["name_zh"] for i in indicators}
    out = pd.DataFrame({
        "district": table.index, "score": score, "coverage": coverage,
        "n_indicators_used": (~np.isnan(s)).sum(axis=1), "rank": rank, "rank_min": rank_min, "rank_max": rank_max,
        "rank_note": ["" if k else "无可计分数据（没有与其他区县同期同口径的数据）" if np.isnan(v) else f"覆盖率 {c:.0%} 低于 {min_coverage:.0%}，不排名"
                      for k, v, c in zip(ok, score, coverage)],
        "missing": ["、".join(names[i] for i, v in zip(indicators, row) if np.isnan(v)) for row in s],
        "flagged": ["、".join(flagged.get(d, [])) for d in table.index], "note": "；".join(notes)})
    return out.sort_values(["rank", "score", "district"], ascending=[True, False, True],
                           na_position="last").reset_index(drop=True)
