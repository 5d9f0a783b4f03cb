"""Comparisons across districts and between periods, honest about comparability."""
from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
from scipy import stats

from metrics.data import SCOPE_ZH, Frames, best_facts

Z95 = stats.norm.ppf(0.975)
# Units whose figures do not grow with the length of the period (rates, averages): a 5-year
# figure and a 1-year figure of these can be set side by side with a flag; counts (件, 项 …) cannot.
INTENSIVE_UNITS = {"%", "次"}
SCOPE_TAG = {**SCOPE_ZH, "unstated": "口径未说明"}
QUALIFIER_ZH = {"approximate": "约数", "at_least": "下限值（至少）", "at_most": "上限值（至多）"}
COMPARE_COLUMNS = ["district", "indicator", "period", "span_kind", "value", "unit", "qualifier", "scope",
                   "scope_level", "k", "n", "ci_low", "ci_high", "rank", "rank_note", "group", "flags",
                   "note", "fact_id", "doc", "quote"]


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


def _majority(values: pd.Series):
    """The value more rows share than any other, or None when there is no single such value."""
    counts = values.value_counts()
    return counts.index[0] if len(counts) and (len(counts) == 1 or counts.iloc[0] > counts.iloc[1]) else None


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


def _differs(label: str, own: str, summary: tuple, show=str, text: str = "") -> list[str]:
    """'期间为2020（多数为2021）' when `own` is not the majority value, '…（各区不同）' without one.
    `summary` is (number of distinct values, majority value or None), computed once per comparison."""
    distinct, major = summary
    if distinct < 2:
        return []
    if major is None:
        return [f"{label}为{text or show(own)}（各区不同）"]
    return [f"{label}为{text or show(own)}（多数为{show(major)}）"] if own != major else []


def _flags(r: dict, ctx: dict) -> str:
    """Comparability notes of one row against the other rows compared with it (`ctx`: the
    summaries of those rows, from `_context`)."""
    out = []
    if r["span_kind"] == "cumulative" and ctx["has_annual"]:
        out.append(f"{r['period']} 为多年累计值，与年度值不可直接比较")
    elif r["span_kind"] == "annual":
        out += _differs("期间", r["period"], ctx["period"])
    out += _differs("口径", r["scope_level"], ctx["scope"], lambda v: SCOPE_ZH.get(v, v), r["scope"])
    out += [QUALIFIER_ZH[r["qualifier"]]] if r["qualifier"] in QUALIFIER_ZH else []
    if r["derived"]:
        out.append(f"推算值（{r['formula']}）" if r["formula"] else "推算值")
    return "；".join(out)


def _context(rows: pd.DataFrame) -> dict:
    annual = rows.loc[rows["span_kind"] == "annual", "period"]
    return {"has_annual": bool(len(annual)), "period": (annual.nunique(), _majority(annual)),
            "scope": (rows["scope_level"].nunique(), _majority(rows["scope_level"]))}


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
                      districts: list[str] | None = None, alpha: float = 0.05) -> pd.DataFrame:
    """One row per district for `indicator`.

    period: 'YYYY' or 'YYYY-YYYY' selects exactly that period; None takes each district's latest
    annual figure (a district with only multi-year figures gets its latest span, flagged).
    rank: 1 = best by the indicator's direction, ties share the lowest rank; NaN for neutral
    indicators (rank_note 'neutral') and for counts of multi-year spans beside annual counts.
    k, n, ci_low, ci_high: counts of a % rate and its Wilson 95 % interval (in %).
    group: compact letters from pairwise Fisher tests (Holm-adjusted) over rows with counts k of n;
    districts sharing a letter are statistically indistinguishable; '' without counts.
    flags: Chinese comparability notes ('' if none); note: the extraction's own note. Requested
    districts without data get a row with value NaN and flag 无数据.
    """
    meta = frames.indicator(indicator)
    f = frames.facts[frames.facts["indicator"] == indicator]
    if districts is not None:
        f = f[f["district"].isin(districts)]
    f = pick_period(best_facts(f), period, ["district"])
    ref_span = "annual" if (f["span_kind"] == "annual").any() else "cumulative"   # counts rank only within it
    rows, ctx = [], _context(f)
    for r in f.to_dict("records"):
        kn = _counts(r) if meta["unit"] == "%" else None
        lo, hi = wilson(*kn) if kn else (np.nan, np.nan)
        rows.append(dict(r, unit=meta["unit"] or r["unit"], k=kn[0] if kn else np.nan, n=kn[1] if kn else np.nan,
                         ci_low=lo * 100, ci_high=hi * 100, flags=_flags(r, ctx),
                         _rankable=meta["unit"] in INTENSIVE_UNITS or r["span_kind"] == ref_span))
    missing = sorted(set(districts or []) - set(f["district"]))
    rows += [dict(district=d, indicator=indicator, unit=meta["unit"], value=np.nan, flags="无数据",
                  _rankable=False) for d in missing]
    out = pd.DataFrame(rows).reindex(columns=[*COMPARE_COLUMNS, "_rankable"])
    direction = meta["direction"]
    out["rank"] = direction_rank(out["value"].where(out["_rankable"].astype(bool)), direction)
    out["rank_note"] = "neutral" if direction not in ("higher", "lower") else ""
    counted = out[out["k"].notna()].sort_values("value", ascending=direction == "lower")
    sig = pairwise_fisher(counted, alpha)
    sig = sig[sig["significant"]]
    letters = letter_groups(list(counted["district"]), list(zip(sig["district_a"], sig["district_b"])))
    out["group"] = out["district"].map(letters).fillna("")
    for c in ("period", "span_kind", "qualifier", "scope", "scope_level", "note", "doc", "quote"):
        out[c] = out[c].fillna("")
    out[["k", "n", "fact_id"]] = out[["k", "n", "fact_id"]].astype("Int64")
    return (out.drop(columns="_rankable").sort_values(["rank", "value", "district"], na_position="last")
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
    meta = frames.indicator(indicator)
    f = frames.facts
    s = best_facts(f[(f["district"] == district) & (f["indicator"] == indicator)])
    s = s.sort_values(["period_end", "period_start"], ascending=[True, False]).to_dict("records")
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
        rows.append(dict(district=district, indicator=indicator, from_period=a["period"], to_period=b["period"],
                         from_value=a["value"], to_value=b["value"], unit=unit, delta_points=delta,
                         delta_unit="百分点" if unit == "%" else unit, delta_pct=pct, improved=better,
                         comparable=comparable, flag="；".join(flags), from_fact_id=a["fact_id"],
                         to_fact_id=b["fact_id"]))
    return pd.DataFrame(rows, columns=CHANGE_COLUMNS).astype({"from_fact_id": "Int64", "to_fact_id": "Int64"})


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
    """Long frame district × indicator: value, unit, period, rank and `standing` in [0, 1]
    (1 = best, direction-aware min-max over the ranked figures), with the same choice of figure
    and the same ranking rules as `compare_districts`, computed for all indicators at once.
    flags: 多年累计 beside annual figures, 约数/上下限, 推算值 (the Fisher groups are left to the
    single-indicator comparison)."""
    cols = ["district", "indicator", "name_zh", "category_zh", "value", "unit", "decimals", "direction",
            "period", "span_kind", "rank", "standing", "flags"]
    f = frames.facts
    if districts is not None:
        f = f[f["district"].isin(districts)]
    if indicators is not None:
        f = f[f["indicator"].isin(indicators)]
    f = pick_period(best_facts(f), period, ["district", "indicator"])
    if f.empty:
        return pd.DataFrame(columns=cols)
    meta = frames.indicators.set_index("id")[["name_zh", "category_zh", "unit", "decimals", "direction"]]
    f = f.drop(columns=["unit"]).join(meta, on="indicator")
    f["direction"] = f["direction"].fillna("neutral")
    f["unit"] = f["unit"].fillna("")
    annual = (f["span_kind"] == "annual").groupby(f["indicator"]).transform("any")
    rankable = (f["unit"].isin(INTENSIVE_UNITS) | (f["span_kind"] == np.where(annual, "annual", "cumulative"))) \
        & f["direction"].isin(["higher", "lower"])
    signed = f["value"].where(rankable) * np.where(f["direction"] == "lower", -1, 1)
    by = signed.groupby(f["indicator"])
    f["rank"] = by.rank(method="min", ascending=False)
    lo, hi = by.transform("min"), by.transform("max")
    f["standing"] = np.where(hi > lo, (signed - lo) / (hi - lo), np.where(signed.notna(), 0.5, np.nan))
    cum = (f["span_kind"] == "cumulative") & annual
    f["flags"] = [
        "；".join(x for x in (f"{p} 为多年累计值，与年度值不可直接比较" if c else "", QUALIFIER_ZH.get(q, ""),
                             (f"推算值（{fm}）" if fm else "推算值") if d else "") if x)
        for p, c, q, d, fm in zip(f["period"], cum, f["qualifier"], f["derived"], f["formula"])]
    order = {i: k for k, i in enumerate(frames.indicators["id"])}
    f = f.assign(_o=f["indicator"].map(order).fillna(len(order))).sort_values(["_o", "rank", "district"])
    return f[cols].reset_index(drop=True)


