"""Plain computations of metrics/compare.py that tests compare the product's faster paths
against: `rank_sets` before issue 13 (two merges of the whole frame, a loop over itertuples) and
`compare_districts` of one indicator at a time (before `compare_indicators` did several in one pass)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from metrics.compare import (COMPARE_COLUMNS, FIGURE_COLUMNS, SCOPE_TAG, _counts, _notes, letter_groups,
                             pairwise_fisher, pick_period, scope_tag, set_label, wilson)
from metrics.compare import rank_sets as fast_rank_sets
from metrics.data import SCOPE_PREFERENCE, Frames, records


def rank_sets(f: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Ranks within one comparable set per group of `by` (e.g. per indicator).

    `f` has one figure per row with columns `by`, period, period_start, period_end,
    scope_level, value and direction. A comparable set is the figures of one period (one year,
    or one exact span: 2011-2015 and 2019-2020 are different sets) and one scope level. Per group
    the ranked set is the one with the most figures (ties: the latest period end, then the
    latest start, then the broadest scope); a set of one figure is never ranked. Returns `f` with
    `comparable_set` (label of the row's own set), `ranked` (row is in the ranked set),
    `rank` (1 = best by direction, ties 'min'; NaN outside the ranked set and for neutral
    indicators) and `rank_note` (why a figure is not ranked, '' when it is). A figure's rank
    therefore depends only on the figures of its own set.
    """
    f = f.assign(comparable_set=[set_label(p, s) for p, s in zip(f["period"], f["scope_level"])])
    has = f[f["value"].notna()]
    keys = [*by, "period", "scope_level"]
    sets = has.groupby(keys, sort=False).agg(size=("value", "size"), end=("period_end", "first"),
                                             start=("period_start", "first")).reset_index()
    sets["_scope"] = sets["scope_level"].map({v: i for i, v in enumerate(SCOPE_PREFERENCE)}).fillna(len(SCOPE_PREFERENCE))
    sets = sets.sort_values(["size", "end", "start", "_scope", "period"], ascending=[False, False, False, True, True])
    best = sets.drop_duplicates(by)
    ranked_sets = best[best["size"] >= 2]
    f = f.merge(ranked_sets[[*by, "period", "scope_level"]].rename(columns={"period": "ref_period_",
                                                                           "scope_level": "ref_scope_"}),
                on=by, how="left")
    f["ranked"] = f.merge(ranked_sets[keys].assign(_in=True), on=keys, how="left")["_in"].fillna(False).astype(bool)
    f["ranked"] &= f["value"].notna() & f["direction"].isin(["higher", "lower"])
    signed = f["value"].where(f["ranked"]) * np.where(f["direction"] == "lower", -1, 1)
    f["rank"] = signed.groupby([f[c] for c in by]).rank(method="min", ascending=False)
    notes = []
    for r in f[["ranked", "value", "direction", "period", "scope_level", "ref_period_", "ref_scope_"]].itertuples(index=False):
        if r.ranked:
            notes.append("")
        elif pd.isna(r.value):
            notes.append("无数据")
        elif r.direction not in ("higher", "lower"):
            notes.append("中性指标（无好坏方向），不排名")
        elif pd.isna(r.ref_period_):
            notes.append("同期同口径无其他区县，不排名")
        else:
            diff = ([f"时期 {r.period}"] if r.period != r.ref_period_ else []) + \
                   ([f"口径{SCOPE_TAG.get(r.scope_level, r.scope_level)}"] if r.scope_level != r.ref_scope_ else [])
            notes.append(f"{'、'.join(diff)}与排名组（{set_label(r.ref_period_, r.ref_scope_)}）不同，不排名")
    f["rank_note"] = notes
    return f.drop(columns=["ref_period_", "ref_scope_"])


def compare_districts(frames: Frames, indicator: str, period: str | None = None,
                      districts: list[str] | None = None, alpha: float = 0.05, groups: bool = True) -> pd.DataFrame:
    """`metrics.compare.compare_districts` computed for one indicator alone (its former body)."""
    meta = frames.indicator(indicator)
    f = pick_period(frames.best_of(districts, [indicator])[FIGURE_COLUMNS], period, ["district"])
    rows = []
    for r in records(f):
        kn = _counts(r) if meta["unit"] == "%" else None
        lo, hi = wilson(*kn) if kn else (np.nan, np.nan)
        rows.append(dict(r, unit=meta["unit"] or r["unit"], k=kn[0] if kn else np.nan, n=kn[1] if kn else np.nan,
                         ci_low=lo * 100, ci_high=hi * 100, scope_tag=scope_tag(r), _notes=_notes(r)))
    missing = sorted(set(districts or []) - set(f["district"]))
    rows += [dict(district=d, indicator=indicator, unit=meta["unit"], value=np.nan, _notes=[]) for d in missing]
    out = pd.DataFrame(rows).reindex(columns=list(dict.fromkeys([*COMPARE_COLUMNS, "period_start", "period_end",
                                                                   "_notes"])))
    for c in ("period", "span_kind", "qualifier", "scope", "scope_level", "scope_tag", "note", "doc", "quote"):
        out[c] = out[c].fillna("")
    out = fast_rank_sets(out.drop(columns=["rank", "rank_note", "ranked", "comparable_set"]).assign(
        direction=meta["direction"]), by=["indicator"])
    out["flags"] = ["；".join(([n] if n and n != "中性指标（无好坏方向），不排名" else []) + extra)
                    for n, extra in zip(out["rank_note"], out["_notes"])]
    letters = {}
    if groups:
        counted = out[out["k"].notna() & out["ranked"]].sort_values("value", ascending=meta["direction"] == "lower")
        sig = pairwise_fisher(counted, alpha)
        sig = sig[sig["significant"]]
        letters = letter_groups(list(counted["district"]), list(zip(sig["district_a"], sig["district_b"])))
    out["group"] = out["district"].map(letters).fillna("")
    out[["k", "n", "fact_id"]] = out[["k", "n", "fact_id"]].astype("Int64")
    out = out.assign(_o=np.where(out["ranked"], 0, np.where(out["value"].notna(), 1, 2)),
                     _end=-out["period_end"].fillna(0))
    return (out.sort_values(["_o", "rank", "_end", "value", "district"], na_position="last")[COMPARE_COLUMNS]
            .reset_index(drop=True))
