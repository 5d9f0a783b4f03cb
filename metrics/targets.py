"""Target status: is each district on its plan's targets, or on another district's, or on custom
thresholds?

Rules (also in metrics/README.md)
- Judging year. Each district is judged as of its own latest report year (`Frames.report_years`;
  the `as_of` column), or a year the user picks; only figures up to that year are used, so importing
  another district's report never changes this district's statuses.
- Window. A span target ('2021-2025') holds in every year of the span; a deadline target ('2022')
  holds from the deadline year on; a custom threshold without period holds in every year.
- Actual used: the latest annual figure in the window; failing that, a multi-year figure whose
  span equals the target's span.
- Status: with an actual → 达标 / 逾期达标 (a deadline target missed in its deadline year, met
  later) / 未达标 (缺少参照值 if a relative target cannot be resolved); without one → 未到期 when
  the deadline is after the judging year and an earlier figure exists (shown as progress:
  actual_value, gap, note), else 暂无数据. `met_by_deadline`: True / False for a deadline target
  judged in or after its deadline year with a figure for that year (and for a span target judged
  after its span), else None.
- gap = actual − target in the indicator's unit, signed so that positive = better than target:
  (actual − target) for '>=', (target − actual) for '<=', −|actual − target| for '='; a 'rank'
  target resolved to a threshold uses the indicator's direction. Rounded to 9 decimals, never −0.
- Relative targets ('上年度全市平均值') take the value of the `reference` table: area 全市 in the
  year before the actual's year ('上年度…'; the same year otherwise). A reference row whose area is
  the whole reference text (e.g. '全市前列' with a threshold) is used first.
- Projection: the Theil–Sen line of the district's annual figures up to its judging year (n ≥ 4,
  else projection_note '数据不足'): the projected value at the deadline (never below 0; rates at
  most 100) and the first year the line meets the target.
"""
from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

from metrics.compare import scope_tag
from metrics.data import Frames, coerce_frame, records
from metrics.trends import MIN_POINTS, trend_of_records

MET, LATE, UNMET, NO_DATA, NOT_DUE, NO_REFERENCE = "达标", "逾期达标", "未达标", "暂无数据", "未到期", "缺少参照值"
STATUSES = [MET, LATE, UNMET, NOT_DUE, NO_DATA, NO_REFERENCE]
COMPARATORS = {">=", "<=", "=", "rank"}
HORIZON = 50  # years: a target the trend would reach later than this is reported as not reached
COLUMNS = ["district", "standard", "as_of", "indicator", "name_zh", "unit", "direction", "comparator", "target_value",
           "target_period", "deadline", "relative", "reference", "actual_value", "actual_period", "actual_qualifier", "actual_scope", "status", "met_by_deadline", "gap",
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
    g = sense * (actual - target) if sense else -abs(actual - target)
    return round(g, 9) + 0.0   # no −0.00 for a gap of zero (nor for float noise around it)


def _custom(standard) -> pd.DataFrame:
    t = coerce_frame("targets", standard)
    for i, r in enumerate(t.to_dict("records"), start=1):
        if r["comparator"] not in COMPARATORS:
            raise ValueError(f"第 {i} 行：比较符 {r['comparator']!r} 不在 {sorted(COMPARATORS)} 中 (row {i}: unknown comparator)")
        if pd.isna(r["value"]) and not r["relative"]:
            raise ValueError(f"第 {i} 行：指标 {r['indicator']!r} 缺少阈值 (row {i}: threshold missing)")
    return t.assign(quote=[q or f"自定义：{c} {v:g}" for q, c, v in zip(t["quote"], t["comparator"], t["value"])])


def _plan(frames: Frames, districts, standard) -> pd.DataFrame:
    """Rows of (judged district, target)."""
    if standard is None:
        t = frames.targets_of(districts)
        return t.assign(target_district=t["district"], standard="本区规划")
    if isinstance(standard, str):
        t = frames.targets[frames.targets["district"] == standard]
        label = f"{standard}规划"
        judged = districts or sorted(frames.reporting | set(frames.targets["district"].unique()) - {""})
    else:
        t, label = _custom(standard), "自定义标准"
        judged = districts or sorted(frames.reporting - {""})
    t = t.assign(target_district=t["district"] if label != "自定义标准" else "", standard=label).drop(columns="district")
    return t.merge(pd.DataFrame({"district": list(judged)}), how="cross")


class _References:
    """The reference table as {(indicator, year, area): its first row}, for `_resolve`."""

    def __init__(self, reference: pd.DataFrame):
        self.rows = {}
        for r in records(reference, ["indicator", "year", "area", "value", "source"]):
            self.rows.setdefault((r["indicator"], r["year"], r["area"]), r)

    def get(self, indicator: str, year: int, area: str) -> dict | None:
        return self.rows.get((indicator, float(year), area))


def _resolve(t: dict, year, refs: _References) -> tuple[float, str]:
    """The target's threshold for an actual of `year`; relative targets via the reference table
    (the row of area `reference`, else of 全市/全国/… for an average; the first such row)."""
    if pd.notna(t["value"]) or not t["relative"]:
        return t["value"], ""
    ref = t["reference"]
    if year is None or pd.isna(year):
        return math.nan, ""
    ref_year = int(year) - 1 if "上年" in ref else int(year)
    h = refs.get(t["indicator"], ref_year, ref)
    area = re.search(r"全[市国省区]", ref)
    if h is None and area and "平均" in ref:
        h = refs.get(t["indicator"], ref_year, area.group(0))
    if h is None:
        return math.nan, f"缺少参照值：{ref}（{ref_year} 年）"
    return float(h["value"]), f"参照值：{h['area']} {ref_year} 年 {h['value']:g}" + (f"（{h['source']}）" if h["source"] else "")


def _projection(tr, last_year, deadline, target, comparator, meta, reached_year) -> tuple[float, float, str]:
    if tr.n < MIN_POINTS:
        return math.nan, math.nan, "数据不足"
    note = f"Theil–Sen 外推（n={tr.n}，{tr.direction}，p={tr.p_value:.3f}）"
    note += "" if tr.significant else "；趋势不显著，外推仅供参考"
    value = tr.predict(deadline) if deadline is not None else math.nan
    value = max(value, 0.0)   # counts, visits, items, hours, yuan and rates are never negative
    if meta["unit"] == "%":
        value = min(value, 100.0)
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


def _actual(t: dict, series: list, spans: list):
    """(figure judged or None, latest other figure or None, notes). The figure judged is the
    latest annual figure in the target's window, else a multi-year figure of exactly the
    target's span; the other figure (progress, or the last one before a missed window) is the
    latest annual figure, else the latest span, not judged. `series` and `spans`: the
    district's annual and multi-year figures of the indicator (`best_facts` records, in order)."""
    start, end = t["period_start"], t["period_end"]
    lo = -np.inf if pd.isna(end) else start if start != end else end   # the window [lo, hi]
    hi = end if pd.notna(end) and start != end else np.inf
    inside = [r for r in series if lo <= r["period_end"] <= hi]
    if inside:
        return inside[-1], None, []
    whole = [r for r in spans if r["period_start"] == start and r["period_end"] == end]
    if whole:
        return whole[-1], None, [f"按 {whole[-1]['period']} 多年累计值判断"]
    other = series or spans
    return None, (other[-1] if other else None), []


def _as_of(frames: Frames, districts, as_of) -> dict:
    """{district: judging year}: `as_of` for everyone when an int, a dict's own entries, else each
    district's own latest report year (`Frames.report_years`)."""
    if as_of is not None and not isinstance(as_of, dict):
        return {d: int(as_of) for d in districts}
    own = frames.report_years            # read-only, built once per warehouse version: no copy
    given = {d: int(y) for d, y in (as_of or {}).items() if y is not None and pd.notna(y)}
    return {d: given.get(d, own.get(d)) for d in districts}


def _deadline_check(t: dict, series: list, year, target_at, meta) -> tuple[bool | None, list[str]]:
    """Whether a deadline target ('2020') was met in its deadline year: True / False, or None when
    the deadline is still ahead of `year`, the target is a span or has no deadline, or there is
    no figure for the deadline year. `series`: the annual figures (records, in period order)."""
    start, end = t["period_start"], t["period_end"]
    if pd.isna(end) or start != end or year is None or year < end:
        return None, []
    at = [r for r in series if r["period_end"] == end]
    if not at:
        return None, [f"期限 {int(end)} 年无数据，是否按期达标未知"]
    target, _ = target_at(int(end))
    if pd.isna(target):
        return None, []
    v = at[-1]["value"]
    return bool(meets(v, target, t["comparator"], meta["direction"], meta["decimals"])), []


FIGURE = ["district", "indicator", "period", "period_start", "period_end", "span_kind", "value", "qualifier", "scope",
          "scope_level", "fact_id"]


def _figures(frames: Frames, plan: pd.DataFrame, years: dict) -> tuple[dict, dict]:
    """{(district, indicator): annual figures} and {…: multi-year figures}: the `best_facts`
    records (in period order) of the plan's districts and indicators up to each district's
    judging year, read through `Frames.best_of` (no scan of every fact, no frame per pair)."""
    f = frames.best_of(sorted(set(plan["district"])), set(plan["indicator"]))
    f = f[f["period_end"] <= f["district"].map(years).astype(float)]
    annual, spans = {}, {}
    for r in records(f, FIGURE):
        (annual if r["span_kind"] == "annual" else spans).setdefault((r["district"], r["indicator"]), []).append(r)
    return annual, spans


def target_status(frames: Frames, districts: list[str] | None = None, standard=None,
                  as_of=None, indicators: list[str] | None = None) -> pd.DataFrame:
    """Status of every (district, indicator, target); columns COLUMNS.

    standard: None → each district's own targets; a district name → that district's targets for
    every selected district (default: all districts); a DataFrame or list of dicts with columns
    indicator, comparator, value[, period] → custom thresholds for every selected district.
    as_of: None → each district is judged as of its own latest report year (`Frames.report_years`), so
    importing another district's report never changes this district's statuses; an int → that
    year for every district; a dict {district: year} → those years (others: their own). Only
    figures up to the district's year are used; the year is the `as_of` column.
    indicators: None → every indicator; else only the rows of these (the same rows as a filter of
    the full result: each target is judged on its own).
    See the module docstring for the window, status, gap and projection rules.
    """
    plan = _plan(frames, districts, standard)
    if indicators is not None:
        plan = plan[plan["indicator"].isin(list(indicators))]
    years = _as_of(frames, sorted(set(plan["district"])), as_of)
    annual, spans = _figures(frames, plan, years)
    refs = _References(frames.reference) if plan["relative"].any() else None
    trends, metas, rows = {}, {}, []
    for t in records(plan):
        d, ind = t["district"], t["indicator"]
        meta = metas.get(ind) or metas.setdefault(ind, frames.indicator(ind))
        year = years.get(d)
        deadline = None if pd.isna(t["period_end"]) else int(t["period_end"])
        series = annual.get((d, ind), [])
        used, other, notes = _actual(t, series, spans.get((d, ind), []))
        target_at = lambda y, t=t: _resolve(t, y, refs)
        fig = used if used is not None else other if deadline is not None and year is not None and deadline > year \
            else None
        target, ref_note = target_at(fig["period_end"] if fig is not None else None)
        notes += [ref_note] if ref_note else []
        actual = fig["value"] if fig is not None else math.nan
        ok = fig is not None and pd.notna(target) and meets(actual, target, t["comparator"], meta["direction"],
                                                            meta["decimals"])
        on_time, more = _deadline_check(t, series, year, target_at, meta) if used is not None else (None, [])
        notes += more
        if used is not None:
            status = NO_REFERENCE if pd.isna(target) else (LATE if on_time is False else MET) if ok else UNMET
            if status == LATE:
                notes.append(f"期限 {deadline} 年未达标，{used['period']} 年才达标")
            elif status == UNMET and on_time:
                notes.append(f"期限 {deadline} 年曾达标，{used['period']} 年未达标")
            elif status in (MET, UNMET) and deadline is not None and year is not None and year >= deadline \
                    and t["period_start"] != t["period_end"]:
                on_time = ok   # a span target judged after its span: the figure is of the span itself
        elif fig is not None:
            status = NOT_DUE
            notes.append(f"尚未到期（{deadline} 年），按 {fig['period']} 年进度" if fig["span_kind"] == "annual"
                         else f"尚未到期（{deadline} 年），按 {fig['period']} 多年累计值进度")
        else:
            status = NO_DATA
            notes.append(f"目标期间内无数据（最近为 {other['period']} 年）" if other is not None
                         else f"截至 {year} 年尚无该指标的数据" if year is not None else "尚无该指标的数据")
        if used is not None and status in (MET, LATE, UNMET):
            notes += _bound_note(used["qualifier"], _sense(t["comparator"], meta["direction"]), status)
        if (d, ind) not in trends:   # the district's annual figures up to its judging year
            trends[(d, ind)] = trend_of_records(series)
        last = max((r["period_end"] for r in series), default=math.nan)
        proj, reached, proj_note = _projection(trends[(d, ind)], last, deadline, target, t["comparator"], meta,
                                               int(used["period_end"]) if ok and used is not None else None)
        rows.append(dict(
            district=d, standard=t["standard"], as_of=year, indicator=ind, name_zh=meta["name_zh"], unit=meta["unit"],
            direction=meta["direction"], comparator=t["comparator"], target_value=target,
            target_period=t["period"], deadline=deadline, relative=t["relative"], reference=t["reference"],
            actual_value=actual, actual_period=fig["period"] if fig is not None else "",
            actual_qualifier=fig["qualifier"] if fig is not None else "",
            actual_scope=scope_tag(fig) if fig is not None else "", status=status,
            met_by_deadline=on_time,
            gap=gap(actual, target, t["comparator"], meta["direction"]) if pd.notna(target) else math.nan,
            projected_value=proj, projected_year_reached=reached, projection_note=proj_note,
            note="；".join(notes), target_source=f"{t['doc']}：{t['quote']}" if t["doc"] else t["quote"],
            target_doc=t["doc"], target_quote=t["quote"], target_district=t["target_district"],
            target_id=t["target_id"], fact_id=fig["fact_id"] if fig is not None else math.nan))
    out = pd.DataFrame(rows, columns=COLUMNS).sort_values(["district", "indicator", "target_period"], kind="stable")
    return out.reset_index(drop=True).astype({c: "Int64" for c in ("as_of", "deadline", "projected_year_reached",
                                                                   "target_id", "fact_id")})
