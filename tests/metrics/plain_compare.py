"""The plain computation of `metrics.compare.rank_sets` before issue 13 (two merges of the whole
frame, a loop over itertuples). Tests compare the dict-lookup path against it."""
from __future__ import annotations

import numpy as np
import pandas as pd

from metrics.compare import SCOPE_TAG, set_label
from metrics.data import SCOPE_PREFERENCE


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
