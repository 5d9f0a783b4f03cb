"""Comparisons across districts and between periods, honest about comparability."""
from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
from scipy import stats

from metrics.data import SCOPE_PREFERENCE, SCOPE_ZH, Frames, records

Z95 = stats.norm.ppf(0.975)
# Units whose figures do not grow with the length of the period (rates, averages): a 5-year
# figure and a 1-year figure of these can be set side by side with a flag; counts (件, 项 …) cannot.
INTENSIVE_UNITS = {"%", "次"}
SCOPE_TAG = {**SCOPE_ZH, "unstated": "口径未说明"}
QUALIFIER_ZH = {"approximate": "约数", "at_least": "下限值（至少）", "at_most": "上限值（至多）"}
COMPARE_COLUMNS = ["district", "indicator", "period", "span_kind", "value", "unit", "qualifier", "scope",
                   "scope_level", "scope_tag", "comparable_set", "ranked", "k", "n", "ci_low", "ci_high", "rank",
                   "rank_note", "group", "flags", "note", "fact_id", "doc", "quote"]
# the columns of a figure compare_districts reads (a selection's facts have 26)
FIGURE_COLUMNS = ["district", "indicator", "period", "period_start", "period_end", "span_kind", "value", "unit",
                  "qualifier", "scope", "scope_level", "numerator", "denominator", "derived", "formula", "note",
                  "fact_id", "doc", "quote"]


def wilson(k: float, n: float, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a proportion k/n (as fractions 0–1)."""
    p, z2 = k / n, z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return max(0.0, min(p, centre - half)), min(1.0, max(p, centre + half))  # guards rounding at k = 0, n


def scope_tag(r) -> str:
    """Short scope tag of a figure for display: its own scope words (区政府、部门、镇街) when the
    report gave them, else the level's name (全区 / 行政机关 / 区政府 / 部门 / 口径未说明)."""
    return r.get("scope") or SCOPE_TAG.get(r.get("scope_level") or "unstated", r.get("scope_level", ""))


def _counts(row) -> tuple[int, int] | None:
    k, n = row.get("numerator"), row.get("denominator")
    if pd.isna(k) or pd.isna(n) or n <= 0 or not 0 <= k <= n or k != int(k) or n != int(n):
        return None
    return int(k), int(n)


def direction_rank(values: pd.Series, direction: str) -> pd.Series:
    """1 = best; ties share the lowest rank ('min'); NaN for neutral indicators or missing values."""
    if direction not in ("higher", "lower"):
        return pd.Series(np.nan, index=values.index)
    return values.rank(method="min", ascending=direction == "lower")


def pairwise_fisher(df: pd.DataFrame, alpha: float = 0.05, adjust: str | None = "holm") -> pd.DataFrame:
    """Two-sided Fisher exact test for every pair of districts with counts k of n (columns
    district, k, n as returned by `compare_districts`). `significant` uses the Holm-adjusted
    p-value unless `adjust=None`."""
    rows = [r for r in df.to_dict("records") if _counts({"numerator": r.get("k"), "denominator": r.get("n")})]
    out = []
    for a, b in itertools.combinations(rows, 2):
        ka, na, kb, nb = int(a["k"]), int(a["n"]), int(b["k"]), int(b["n"])
        p = stats.fisher_exact([[ka, na - ka], [kb, nb - kb]]).pvalue
        out.append(dict(district_a=a["district"], district_b=b["district"], k_a=ka, n_a=na, k_b=kb, n_b=nb,
                        p_value=float(p)))
    res = pd.DataFrame(out, columns=["district_a", "district_b", "k_a", "n_a", "k_b", "n_b", "p_value"])
    res["p_adjusted"] = _holm(res["p_value"].to_numpy()) if adjust == "holm" else res["p_value"]
    res["significant"] = res["p_adjusted"] < alpha
    return res


def _holm(p: np.ndarray) -> np.ndarray:
    order, m = np.argsort(p), len(p)
    adj = np.maximum.accumulate(np.minimum(1.0, (m - np.arange(m)) * p[order]))
    out = np.empty(m)
    out[order] = adj
    return out


def letter_groups(items: list[str], significant_pairs: list[tuple[str, str]]) -> dict[str, str]:
    """Compact letter display (Piepho 2004, insert-and-absorb): two items share a letter exactly
    when their difference is not significant. `items` best first; letters follow that order."""
    sets = [set(items)] if items else []
    for a, b in significant_pairs:
        split = [part for s in sets for part in ([s - {a}, s - {b}] if a in s and b in s else [s])]
        sets = [s for i, s in enumerate(split)
                if s and not any(s < t or (s == t and j < i) for j, t in enumerate(split))]
    sets.sort(key=lambda s: min(items.index(x) for x in s))
    return {x: "".join(chr(65 + i) for i, s in enumerate(sets) if x in s) for x in items}


def _notes(r: dict) -> list[str]:
    """Notes on one figure itself: a bound or approximate value, a derived value."""
    out = [QUALIFIER_ZH[r["qualifier"]]] if r["qualifier"] in QUALIFIER_ZH else []
    if r["derived"]:
        out.append(f"推算值（{r['formula']}）" if r["formula"] else "推算值")
    return out


def set_label(period: str, scope_level: str) -> str:
    """'2021 · 全区': the comparable set of a figure (its period and its scope level)."""
    return f"{period} · {SCOPE_TAG.get(scope_level, scope_level)}"


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
    f = f.assign(comparable_set=[set_label(p, s) for p, s in zip(f["period"], f["scope_level"])]).reset_index(drop=True)
    keys = [*by, "period", "scope_level"]
    has = f.loc[f["value"].notna(), [*keys, "period_end", "period_start"]]
    groups = {}   # the sets in order of appearance: size, first period end and start (as groupby.agg gives them)
    for *key, end, start in zip(*(has[c].tolist() for c in has.columns)):
        g = groups.setdefault(tuple(key), [0, math.nan, math.nan])
        g[0] += 1
        g[1] = end if math.isnan(g[1]) else g[1]
        g[2] = start if math.isnan(g[2]) else g[2]
    sets = pd.DataFrame([[*k, *g] for k, g in groups.items()], columns=[*keys, "size", "end", "start"]).astype(
        {"size": "int64", "end": "float64", "start": "float64"})
    sets["_scope"] = sets["scope_level"].map({v: i for i, v in enumerate(SCOPE_PREFERENCE)}).fillna(len(SCOPE_PREFERENCE))
    sets = sets.sort_values(["size", "end", "start", "_scope", "period"], ascending=[False, False, False, True, True])
    best = sets.drop_duplicates(by)
    best = best[best["size"] >= 2]
    # group of `by` → (period, scope level) of its ranked set; a row is in it when its own set is that one
    ref = {k[:-2]: k[-2:] for k in zip(*(best[c].tolist() for c in keys))}
    refs = [ref.get(k) for k in zip(*(f[c].tolist() for c in by))]
    own = list(zip(f["period"].tolist(), f["scope_level"].tolist()))
    directed = f["direction"].isin(["higher", "lower"])
    f["ranked"] = np.array([r == o for r, o in zip(refs, own)], dtype=bool) & f["value"].notna() & directed
    signed = f["value"].where(f["ranked"]) * np.where(f["direction"] == "lower", -1, 1)
    f["rank"] = signed.groupby([f[c] for c in by]).rank(method="min", ascending=False)
    notes = []
    for ranked, missing, directed_, r, (period, scope) in zip(f["ranked"].tolist(), f["value"].isna().tolist(),
                                                               directed.tolist(), refs, own):
        if ranked:
            notes.append("")
        elif missing:
            notes.append("无数据")
        elif not directed_:
            notes.append("中性指标（无好坏方向），不排名")
        elif r is None:
            notes.append("同期同口径无其他区县，不排名")
        else:
            diff = ([f"时期 {period}"] if period != r[0] else []) + \
                   ([f"口径{SCOPE_TAG.get(scope, scope)}"] if scope != r[1] else [])
            notes.append(f"{'、'.join(diff)}与排名组（{set_label(*r)}）不同，不排名")
    f["rank_note"] = notes
    return f


def pick_period(f: pd.DataFrame, period: str | None, keys: list[str]) -> pd.DataFrame:
    """Exactly `period` when given; else per `keys` the latest annual figure (the latest
    multi-year span only where there is no annual one)."""
    if period is not None:
        return f[f["period"] == str(period).replace("–", "-").replace("—", "-")]
    if f.empty:
        return f
    return (f.assign(_cum=f["span_kind"] != "annual")
            .sort_values(["_cum", "period_end", "period_start"], ascending=[True, False, False])
            .drop_duplicates(keys).drop(columns="_cum"))


def compare_districts(frames: Frames, indicator: str, period: str | None = None,
                      districts: list[str] | None = None, alpha: float = 0.05, groups: bool = True) -> pd.DataFrame:
    """One row per district for `indicator` (columns COMPARE_COLUMNS).

    period: 'YYYY' or 'YYYY-YYYY' selects exactly that period; None takes each district's latest
    annual figure (a district with only multi-year figures gets its latest span).
    rank: only within one comparable set (same period, same scope level; see `rank_sets`):
    1 = best by the indicator's direction, ties share the lowest rank; every other figure has
    rank NaN, `ranked` False and the reason in `rank_note` (and in `flags`).
    k, n, ci_low, ci_high: counts of a % rate and its Wilson 95 % interval (in %).
    group: compact letters from pairwise Fisher tests (Holm-adjusted) over the ranked rows with
    counts k of n; districts sharing a letter are statistically indistinguishable; '' otherwise,
    and '' everywhere with ``groups=False`` (no Fisher tests: for pages that show no letters).
    scope_tag: short scope words for display (区政府, 全区, 口径未说明 …).
    flags: Chinese notes ('' if none): why the figure is not ranked, 约数, 下限/上限值, 推算值;
    note: the extraction's own note. Requested districts without a figure get a row with value
    NaN and flag 无数据. Rows: the ranked set by rank, then the others (latest first), then 无数据.
    """
    return compare_indicators(frames, [indicator], period, districts, alpha, groups)


def compare_indicators(frames: Frames, indicators: list[str], period: str | None = None,
                       districts: list[str] | None = None, alpha: float = 0.05, groups: bool = True) -> pd.DataFrame:
    """`compare_districts` of several indicators in one pass over the selection's figures: its
    rows for each indicator of `indicators` in turn (a repeated id counts once), index 0…n−1.
    Each indicator is ranked, grouped and ordered on its own, exactly as by `compare_districts`."""
    metas = {i: frames.indicator(i) for i in dict.fromkeys(indicators)}
    f = pick_period(frames.best_of(districts, list(metas))[FIGURE_COLUMNS], period, ["district", "indicator"])
    rows = []
    for r in records(f):
        meta = metas[r["indicator"]]
        kn = _counts(r) if meta["unit"] == "%" else None
        lo, hi = wilson(*kn) if kn else (np.nan, np.nan)
        rows.append(dict(r, unit=meta["unit"] or r["unit"], k=kn[0] if kn else np.nan, n=kn[1] if kn else np.nan,
                         ci_low=lo * 100, ci_high=hi * 100, scope_tag=scope_tag(r), _notes=_notes(r)))
    present = set(zip(f["indicator"].tolist(), f["district"].tolist()))
    wanted = sorted(set(districts or []))
    rows += [dict(district=d, indicator=i, unit=meta["unit"], value=np.nan, _notes=[])
             for i, meta in metas.items() for d in wanted if (i, d) not in present]
    out = pd.DataFrame(rows).reindex(columns=list(dict.fromkeys([*COMPARE_COLUMNS, "period_start", "period_end",
                                                                   "_notes"])))
    for c in ("period", "span_kind", "qualifier", "scope", "scope_level", "scope_tag", "note", "doc", "quote"):
        out[c] = out[c].fillna("")
    direction = {i: m["direction"] for i, m in metas.items()}
    out = rank_sets(out.drop(columns=["rank", "rank_note", "ranked", "comparable_set"]).assign(
        direction=out["indicator"].map(direction)), by=["indicator"])
    out["flags"] = ["；".join(([n] if n and n != "中性指标（无好坏方向），不排名" else []) + extra)
                    for n, extra in zip(out["rank_note"], out["_notes"])]
    letters = {}   # 'indicator\0district' → its letters
    if groups:
        for i, meta in metas.items():
            counted = out[(out["indicator"] == i) & out["k"].notna() & out["ranked"]].sort_values(
                "value", ascending=meta["direction"] == "lower")
            sig = pairwise_fisher(counted, alpha)
            sig = sig[sig["significant"]]
            found = letter_groups(list(counted["district"]), list(zip(sig["district_a"], sig["district_b"])))
            letters.update((f"{i}\0{d}", x) for d, x in found.items())
    keys = out["indicator"] + "\0" + out["district"] if letters else out["district"]   # none: nothing to join
    out["group"] = keys.map(letters).fillna("")
    out[["k", "n", "fact_id"]] = out[["k", "n", "fact_id"]].astype("Int64")
    order = {i: k for k, i in enumerate(metas)}
    out = out.assign(_i=out["indicator"].map(order), _o=np.where(out["ranked"], 0, np.where(out["value"].notna(), 1, 2)),
                     _end=-out["period_end"].fillna(0))
    return (out.sort_values(["_i", "_o", "rank", "_end", "value", "district"], na_position="last")[COMPARE_COLUMNS]
            .reset_index(drop=True))


CHANGE_COLUMNS = ["district", "indicator", "from_period", "to_period", "from_value", "to_value", "unit", "delta_points",
                  "delta_unit", "delta_pct", "improved", "comparable", "flag", "from_fact_id", "to_fact_id"]


def _kind_zh(r: dict) -> str:
    return "多年累计" if r["span_kind"] == "cumulative" else "年度"


def _comparable_pair(a: dict, b: dict) -> bool:
    """Whether `a` is a figure `b` can be compared with: same span kind and length, same scope
    level, and `a` ends before `b` starts."""
    return (a["span_kind"] == b["span_kind"] and a["scope_level"] == b["scope_level"]
            and a["period_end"] - a["period_start"] == b["period_end"] - b["period_start"]
            and a["period_end"] < b["period_start"])


def _why_not(a: dict, b: dict) -> list[str]:
    out = []
    if a["span_kind"] != b["span_kind"] or a["period_end"] - a["period_start"] != b["period_end"] - b["period_start"]:
        out.append(f"{a['period']}（{_kind_zh(a)}）与{b['period']}（{_kind_zh(b)}）期间不同，不可直接比较")
    elif b["period_start"] <= a["period_end"]:
        out.append(f"{a['period']} 与 {b['period']} 期间重叠，不可直接比较")
    if a["scope_level"] != b["scope_level"]:
        out.append(f"口径不同（{scope_tag(a)}→{scope_tag(b)}），不可直接比较")
    return out


def change(frames: Frames, indicator: str, district: str) -> pd.DataFrame:
    """One row per figure of one district that has an earlier figure: the change from the
    previous *comparable* figure, or, when there is none, an incomparable row against the
    figure just before it.

    Figures are sorted by period end (a span before an annual figure of the same end year).
    The previous comparable figure of `b` is the latest figure `a` with the same span kind and
    length and the same scope level that ends before `b` starts: 2019, 2020, 2021 and
    2016-2020 give 2019→2020 and 2020→2021, the span pairing with nothing annual. A gap of years
    is flagged (间隔 2 年) but comparable.

    Returns columns CHANGE_COLUMNS. delta_points is in the indicator's unit (百分点 for %, see
    delta_unit); delta_pct is relative to the earlier value (NaN from 0). Incomparable rows
    (comparable False, flag says why) carry deltas only for rates and averages
    (INTENSIVE_UNITS), never for counts, and `improved` None; comparable rows carry `improved`
    True/False by the indicator's direction (None for no change or a neutral indicator).
    """
    return changes(frames, [indicator], [district])


def changes(frames: Frames, indicators: list[str] | None = None, districts: list[str] | None = None) -> pd.DataFrame:
    """`change` of every (district, indicator) of the selection at once (None: every indicator /
    every district), rows by district, indicator and period: one pass over the selection's facts
    (read through the district index), never one scan of the warehouse per district and indicator."""
    s = frames.best_of(districts, indicators)
    s = s[FIGURE_COLUMNS].sort_values(["district", "indicator", "period_end", "period_start"],
                                      ascending=[True, True, True, False])
    rows, metas = [], {}
    for (district, indicator), figures in itertools.groupby(records(s),
                                                            key=lambda r: (r["district"], r["indicator"])):
        meta = metas.get(indicator) or metas.setdefault(indicator, frames.indicator(indicator))
        rows += _change_rows(list(figures), meta)
    return pd.DataFrame(rows, columns=CHANGE_COLUMNS).astype({"from_fact_id": "Int64", "to_fact_id": "Int64"})


def _change_rows(s: list[dict], meta: dict) -> list[dict]:
    """The rows of `change` for one district's figures of one indicator (`best_facts` records,
    sorted by period end, then the longer span first)."""
    unit, rows = meta["unit"], []
    for j, b in enumerate(s):
        earlier = [a for a in s[:j] if _comparable_pair(a, b)]
        if earlier:
            a = max(earlier, key=lambda r: r["period_end"])
            comparable, gap = True, int(b["period_start"] - a["period_end"])
            flags = [f"间隔 {gap} 年"] if gap > 1 else []
        elif j:
            a, comparable = s[j - 1], False
            flags = _why_not(a, b)
        else:
            continue
        flags += [f"{p}为{QUALIFIER_ZH[q]}" for p, q in ((a["period"], a["qualifier"]), (b["period"], b["qualifier"]))
                  if q in QUALIFIER_ZH]
        show = comparable or unit in INTENSIVE_UNITS
        delta = b["value"] - a["value"] if show else np.nan
        pct = delta / abs(a["value"]) * 100 if show and a["value"] != 0 else np.nan
        better = None
        if comparable and delta != 0 and meta["direction"] in ("higher", "lower"):
            better = bool((delta > 0) == (meta["direction"] == "higher"))
        rows.append(dict(district=b["district"], indicator=b["indicator"], from_period=a["period"],
                         to_period=b["period"], from_value=a["value"], to_value=b["value"], unit=unit,
                         delta_points=delta, delta_unit="百分点" if unit == "%" else unit, delta_pct=pct,
                         improved=better, comparable=comparable, flag="；".join(flags), from_fact_id=a["fact_id"],
                         to_fact_id=b["fact_id"]))
    return rows


def standing(values: pd.Series, direction: str) -> pd.Series:
    """Direction-aware min-max position in [0, 1], 1 = best; 0.5 when all values are equal;
    NaN for neutral indicators or missing values."""
    if direction not in ("higher", "lower"):
        return pd.Series(np.nan, index=values.index)
    lo, hi = values.min(), values.max()
    if not hi > lo:
        return values.where(values.isna(), 0.5)
    s = (values - lo) / (hi - lo)
    return s if direction == "higher" else 1 - s


def heatmap_frame(frames: Frames, districts: list[str] | None = None, indicators: list[str] | None = None,
                  period: str | None = None) -> pd.DataFrame:
    """Long frame district × indicator: value, unit, period, scope_tag, comparable_set, ranked,
    rank, rank_note, `standing` in [0, 1] and flags, with the same choice of figure and the same
    ranking rule as `compare_districts` (one comparable set per indicator, `rank_sets`),
    computed for all indicators at once. standing: 1 = best, direction-aware min-max over the
    ranked set only (0.5 when its values are all equal); NaN for every figure outside it, so
    a colour scale never spans two periods or two scopes. flags: why a figure is not ranked,
    约数/上下限, 推算值 (the Fisher groups are left to the single-indicator comparison)."""
    cols = ["district", "indicator", "name_zh", "category_zh", "value", "unit", "decimals", "direction", "qualifier",
            "period", "span_kind", "scope_tag", "comparable_set", "ranked", "rank", "rank_note", "standing", "flags"]
    f = pick_period(frames.best_of(districts, indicators)[FIGURE_COLUMNS], period, ["district", "indicator"])
    if f.empty:
        return pd.DataFrame(columns=cols)
    meta = frames.indicators.set_index("id")[["name_zh", "category_zh", "unit", "decimals", "direction"]]
    f = f.drop(columns=["unit"]).join(meta, on="indicator")
    f["direction"] = f["direction"].fillna("neutral")
    f["unit"] = f["unit"].fillna("")
    f = rank_sets(f, by=["indicator"])
    signed = f["value"].where(f["ranked"]) * np.where(f["direction"] == "lower", -1, 1)
    by = signed.groupby(f["indicator"])
    lo, hi = by.transform("min"), by.transform("max")
    f["standing"] = np.where(hi > lo, (signed - lo) / (hi - lo), np.where(signed.notna(), 0.5, np.nan))
    f["scope_tag"] = [s or SCOPE_TAG.get(lv, lv) for s, lv in zip(f["scope"], f["scope_level"])]
    f["flags"] = [
        "；".join(x for x in ("" if n.startswith("中性") else n, QUALIFIER_ZH.get(q, ""),
                             (f"推算值（{fm}）" if fm else "推算值") if d else "") if x)
        for n, q, d, fm in zip(f["rank_note"], f["qualifier"], f["derived"], f["formula"])]
    order = {i: k for k, i in enumerate(frames.indicators["id"])}
    f = f.assign(_o=f["indicator"].map(order).fillna(len(order))).sort_values(["_o", "rank", "district"])
    return f[cols].reset_index(drop=True)
