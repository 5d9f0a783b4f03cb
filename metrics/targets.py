"""Target status: is each district on its plan's targets, or on another district's, or on custom
thresholds?

Rules (also in metrics/README.md)
- Window. A span target ('2021-2025') holds in every year of the span; a deadline target ('2022')
  holds from the deadline year on; a custom threshold without period holds in every year.
- Actual used: the latest annual figure in the window up to `as_of` (default: the latest year in
  the facts); failing that, a multi-year figure whose span equals the target's span.
- Status: with an actual → 达标 / 未达标 (缺少参照值 if a relative target cannot be resolved);
  without one → 未到期 when the deadline (span end) is after `as_of`, else 暂无数据. For 未到期
  the latest earlier figure is shown as progress (actual_value, gap) with a note.
- gap = actual − target in the indicator's unit, signed so that positive = better than target:
  (actual − target) for '>=', (target − actual) for '<=', −|actual − target| for '='; a 'rank'
  target resolved to a threshold uses the indicator's direction.
- Relative targets ('上年度全市平均值') take the value of the `reference` table: area 全市 in the
  year before the actual's year ('上年度…'; the same year otherwise). A reference row whose area is
  the whole reference text (e.g. '全市前列' with a threshold) is used first.
- Projection: the Theil–Sen line of the district's annual figures up to `as_of` (n ≥ 4, else
  projection_note '数据不足'): the projected value at the deadline and the first year the line meets
  the target.
"""
from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

from metrics.compare import scope_tag
from metrics.data import Frames, best_facts, normalise
from metrics.trends import MIN_POINTS, trend_for

MET, UNMET, NO_DATA, NOT_DUE, NO_REFERENCE = "达标", "未达标", "暂无数据", "未到期", "缺少参照值"
COMPARATORS = {">=", "<=", "=", "rank"}
HORIZON = 50  # years: a target the trend would reach later than this is reported as not reached
COLUMNS = ["district", "standard", "indicator", "name_zh", "unit", "direction", "comparator", "target_value",
           "target_period", "deadline", "relative", "reference", "actual_value", "actual_period", "actual_qualifier", "actual_scope", "status", "gap",
           "projected_value", "projected_year_reached", "projection_note", "note", "target_source",
           "target_doc", "target_quote", "target_district", "target_id", "fact_id"]


def _sense(comparator: str, direction: str) -> int:
    """+1 when higher values satisfy the comparator, −1 when lower ones do, 0 for '='."""
    if comparator == "rank":
        return -1 if direction == "lower" else 1
    return {">=": 1, "<=": -1}.get(comparator, 0)


def meets(actual: float, target: float, comparator: str, direction: str = "higher", decimals: int = 2) -> bool:
    """Whether `actual` satisfies `comparator target`; '=' allows half a unit of the last decimal."""
    sense, tol = _sense(comparator, direction), 1e-9 * max(1.0, abs(target))
    if sense == 0:
        return abs(actual - target) <= 0.5 * 10.0 ** -decimals + tol
    return sense * (actual - target) >= -tol


def gap(actual: float, target: float, comparator: str, direction: str = "higher") -> float:
    """actual − target signed so that positive = better than the target (see module docstring)."""
    sense = _sense(comparator, direction)
    return sense * (actual - target) if sense else -abs(actual - target)


def _custom(standard) -> pd.DataFrame:
    t = normalise("targets", standard)
    for i, r in enumerate(t.to_dict("records"), start=1):
        if r["comparator"] not in COMPARATORS:
            raise ValueError(f"第 {i} 行：比较符 {r['comparator']!r} 不在 {sorted(COMPARATORS)} 中")
        if pd.isna(r["value"]) and not r["relative"]:
            raise ValueError(f"第 {i} 行：指标 {r['indicator']!r} 缺少阈值")
    return t.assign(quote=[q or f"自定义：{c} {v:g}" for q, c, v in zip(t["quote"], t["comparator"], t["value"])])


def _plan(frames: Frames, districts, standard) -> pd.DataFrame:
    """Rows of (judged district, target)."""
    if standard is None:
        t = frames.targets.assign(target_district=frames.targets["district"], standard="本区规划")
        return t if districts is None else t[t["district"].isin(districts)]
    if isinstance(standard, str):
        t = frames.targets[frames.targets["district"] == standard]
        label = f"{standard}规划"
        judged = districts or sorted(frames.reporting | set(frames.targets["district"].unique()) - {""})
    else:
        t, label = _custom(standard), "自定义标准"
        judged = districts or sorted(frames.reporting - {""})
    t = t.assign(target_district=t["district"] if label != "自定义标准" else "", standard=label).drop(columns="district")
    return t.merge(pd.DataFrame({"district": list(judged)}), how="cross")


def _resolve(t: dict, year, reference: pd.DataFrame) -> tuple[float, str]:
    """The target's threshold for an actual of `year`; relative targets via the reference table."""
    if pd.notna(t["value"]) or not t["relative"]:
        return t["value"], ""
    ref = t["reference"]
    if year is None or pd.isna(year):
        return math.nan, ""
    ref_year = int(year) - 1 if "上年" in ref else int(year)
    r = reference[(reference["indicator"] == t["indicator"]) & (reference["year"] == ref_year)]
    hit = r[r["area"] == ref]
    area = re.search(r"全[市国省区]", ref)
    if hit.empty and area and "平均" in ref:
        hit = r[r["area"] == area.group(0)]
    if hit.empty:
        return math.nan, f"缺少参照值：{ref}（{ref_year} 年）"
    h = hit.iloc[0]
    return float(h["value"]), f"参照值：{h['area']} {ref_year} 年 {h['value']:g}" + (f"（{h['source']}）" if h["source"] else "")


def _projection(tr, last_year, deadline, target, comparator, meta, reached_year) -> tuple[float, float, str]:
    if tr.n < MIN_POINTS:
        return math.nan, math.nan, "数据不足"
    note = f"Theil–Sen 外推（n={tr.n}，{tr.direction}，p={tr.p_value:.3f}）"
    note += "" if tr.significant else "；趋势不显著，外推仅供参考"
    value = tr.predict(deadline) if deadline is not None else math.nan
    if meta["unit"] == "%":
        value = min(max(value, 0.0), 100.0)
    sense, year = _sense(comparator, meta["direction"]), math.nan
    if reached_year is not None:
        year = reached_year
    elif pd.notna(target) and sense and sense * tr.slope > 0:
        year = max(math.ceil((target - tr.intercept) / tr.slope - 1e-9), int(last_year) + 1)
        if year > last_year + HORIZON:
            year, note = math.nan, note + f"；按当前趋势 {HORIZON} 年内达不到"
    elif pd.notna(target) and sense:
        note += "；按当前趋势达不到目标"
    return value, year, note


def _bound_note(qualifier: str, sense: int, status: str) -> list[str]:
    """A figure stated as a bound ('至少 95%') settles the status only in one direction."""
    bound = {"at_least": 1, "at_most": -1}.get(qualifier)
    if not bound or (bound == sense) != (status == UNMET):
        return []
    return [f"实际值为{'下限（至少）' if bound > 0 else '上限（至多）'}，真实值可能{'更高' if bound > 0 else '更低'}，此判断未必成立"]


def _actual(t: dict, series: pd.DataFrame, spans: pd.DataFrame, as_of: int):
    """(fact used or None, status if no fact is judged, whether the fact is only progress, notes)."""
    start, end = t["period_start"], t["period_end"]
    lo = -np.inf if pd.isna(end) else start if start != end else end   # the window [lo, hi]
    hi = end if pd.notna(end) and start != end else np.inf
    inside = series[(series["period_end"] >= lo) & (series["period_end"] <= hi)]
    whole = spans[(spans["period_start"] == start) & (spans["period_end"] == end)]
    if len(inside) or len(whole):
        used = inside.iloc[-1] if len(inside) else whole.iloc[-1]
        return used, None, False, [] if len(inside) else [f"按 {used['period']} 多年累计值判断"]
    if pd.notna(end) and end > as_of:
        before = series[series["period_end"] < lo]
        if len(before):
            return before.iloc[-1], NOT_DUE, True, [f"尚未到期，按 {before.iloc[-1]['period']} 年进度"]
        return None, NOT_DUE, False, []
    return None, NO_DATA, False, [f"目标期间内无数据（最近为 {series.iloc[-1]['period']} 年）"] if len(series) else []


def target_status(frames: Frames, districts: list[str] | None = None, standard=None,
                  as_of: int | None = None) -> pd.DataFrame:
    """Status of every (district, indicator, target).

    standard: None → each district's own targets; a district name → that district's targets for
    every selected district (default: all districts); a DataFrame or list of dicts with columns
    indicator, comparator, value[, period] → custom thresholds for every selected district.
    See the module docstring for the window, status, gap and projection rules.
    """
    as_of = int(as_of) if as_of is not None else frames.latest_year()
    plan = _plan(frames, districts, standard)
    f = frames.facts
    # only the figures the targets can use: grouping every district of a national warehouse is slow
    facts = best_facts(f[(f["period_end"] <= as_of) & f["district"].isin(set(plan["district"]))
                         & f["indicator"].isin(set(plan["indicator"]))])
    annual = {k: g for k, g in facts[facts["span_kind"] == "annual"].groupby(["district", "indicator"])}
    spans = {k: g for k, g in facts[facts["span_kind"] != "annual"].groupby(["district", "indicator"])}
    empty, trends, rows = facts.iloc[:0], {}, []
    for t in plan.to_dict("records"):
        d, ind, meta = t["district"], t["indicator"], frames.indicator(t["indicator"])
        deadline = None if pd.isna(t["period_end"]) else int(t["period_end"])
        series = annual.get((d, ind), empty)
        used, status, progress, notes = _actual(t, series, spans.get((d, ind), empty), as_of)
        target, ref_note = _resolve(t, used["period_end"] if used is not None else None, frames.reference)
        notes += [ref_note] if ref_note else []
        actual = used["value"] if used is not None else math.nan
        ok = used is not None and pd.notna(target) and meets(actual, target, t["comparator"], meta["direction"],
                                                            meta["decimals"])
        if used is not None and not progress:
            status = NO_REFERENCE if pd.isna(target) else MET if ok else UNMET
        if used is not None and status in (MET, UNMET):
            notes += _bound_note(used["qualifier"], _sense(t["comparator"], meta["direction"]), status)
        if (d, ind) not in trends:
            trends[(d, ind)] = trend_for(frames, d, ind, as_of=as_of)
        proj, reached, proj_note = _projection(trends[(d, ind)], series["period_end"].max(), deadline, target,
                                               t["comparator"], meta, int(used["period_end"]) if ok else None)
        rows.append(dict(
            district=d, standard=t["standard"], indicator=ind, name_zh=meta["name_zh"], unit=meta["unit"],
            direction=meta["direction"], comparator=t["comparator"], target_value=target,
            target_period=t["period"], deadline=deadline, relative=t["relative"], reference=t["reference"],
            actual_value=actual, actual_period=used["period"] if used is not None else "",
            actual_qualifier=used["qualifier"] if used is not None else "",
            actual_scope=scope_tag(used.to_dict()) if used is not None else "", status=status,
            gap=gap(actual, target, t["comparator"], meta["direction"]) if pd.notna(target) else math.nan,
            projected_value=proj, projected_year_reached=reached, projection_note=proj_note,
            note="；".join(notes), target_source=f"{t['doc']}：{t['quote']}" if t["doc"] else t["quote"],
            target_doc=t["doc"], target_quote=t["quote"], target_district=t["target_district"],
            target_id=t["target_id"], fact_id=used["fact_id"] if used is not None else math.nan))
    out = pd.DataFrame(rows, columns=COLUMNS).sort_values(["district", "indicator", "target_period"], kind="stable")
    return out.reset_index(drop=True).astype({c: "Int64" for c in ("deadline", "projected_year_reached", "target_id", "fact_id")})
