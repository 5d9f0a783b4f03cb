"""Composite score over chosen indicators with user weights."""
from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from scipy.stats import rankdata

from metrics.compare import compare_districts, standing
from metrics.data import Frames

PERTURBATION = 0.2   # each weight × (1 − 0.2, 1, 1 + 0.2)
GRID_MAX = 3 ** 8    # full grid up to 8 indicators, else a seeded random sample of this size
SEED = 20240101


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
        return (np.nan_to_num(s) @ weights.T) / (have @ weights.T)


def composite_score(frames: Frames, indicators: list[str], weights, districts: list[str] | None = None,
                    period: str | None = None) -> pd.DataFrame:
    """Score 0–100 = weighted mean of direction-aware min-max standings (1 = best district).

    weights: dict {indicator: weight} or a list aligned with `indicators` (≥ 0, not all 0).
    A district's missing indicators are left out and the others reweighted, never counted as 0;
    coverage = share of the total weight it has data for. Neutral indicators and figures
    `compare_districts` does not rank are not scored. flagged: indicators whose figure carries a
    comparability flag in `compare_districts` (other period, multi-year span, scope …). rank_min/rank_max: the best and worst rank
    over every weight vector with each weight × 0.8, 1 or 1.2 (full grid up to 8 indicators, else
    a seeded sample).
    """
    w = [weights[i] for i in indicators] if isinstance(weights, dict) else list(weights)
    if len(w) != len(indicators):
        raise ValueError(f"{len(indicators)} 个指标却有 {len(w)} 个权重")
    w = np.asarray(w, dtype=float)
    if (w < 0).any() or not w.sum() > 0:
        raise ValueError(f"权重须非负且不全为 0：{w.tolist()}")
    neutral = [i for i in indicators if frames.indicator(i)["direction"] not in ("higher", "lower")]
    notes = [f"{frames.indicator(i)['name_zh']} 为中性指标，未计分" for i in neutral]
    w = np.array([x for i, x in zip(indicators, w) if i not in neutral])
    indicators = [i for i in indicators if i not in neutral]
    if not w.sum() > 0:
        raise ValueError("没有可计分的指标：所选指标均为中性或权重为 0")
    cols, flagged = {}, {}
    for ind in indicators:
        meta, c = frames.indicator(ind), compare_districts(frames, ind, period, districts)
        ranked = c[c["rank"].notna()]
        cols[ind] = pd.Series(standing(ranked["value"], meta["direction"]).to_numpy(), index=ranked["district"])
        for d in ranked.loc[ranked["flags"] != "", "district"]:
            flagged.setdefault(d, []).append(meta["name_zh"])
    table = pd.DataFrame(cols, columns=indicators)
    table = table.reindex(districts) if districts is not None else table.sort_index()
    s = table.to_numpy(dtype=float)
    score = _scores(s, w[None, :])[:, 0] * 100
    ok = ~np.isnan(score)
    rank, rank_min, rank_max = (np.full(len(s), np.nan) for _ in range(3))
    if ok.any():
        grid_ranks = rankdata(-_scores(s[ok], _weight_grid(w)), axis=0, method="min")
        rank[ok], rank_min[ok], rank_max[ok] = rankdata(-score[ok], method="min"), grid_ranks.min(1), grid_ranks.max(1)
    names = {i: frames.indicator(i)["name_zh"] for i in indicators}
    out = pd.DataFrame({
        "district": table.index, "score": score, "coverage": (~np.isnan(s)) @ w / w.sum(),
        "n_indicators_used": (~np.isnan(s)).sum(axis=1), "rank": rank, "rank_min": rank_min, "rank_max": rank_max,
        "missing": ["、".join(names[i] for i, v in zip(indicators, row) if np.isnan(v)) for row in s],
        "flagged": ["、".join(flagged.get(d, [])) for d in table.index], "note": "；".join(notes)})
    return out.sort_values(["rank", "district"], na_position="last").reset_index(drop=True)
