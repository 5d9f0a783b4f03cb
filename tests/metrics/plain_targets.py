"""The plain computation of `metrics.targets.target_status` as it was before it read figures as
records through `Frames.best_of` (issue 13): a DataFrame per district and indicator, filtered
per target, a frame scan per relative target. Tests compare the fast path against it."""
from __future__ import annotations

import math
import re
from dataclasses import replace

import numpy as np
import pandas as pd

from metrics.compare import scope_tag
from metrics.data import Frames, best_facts
from metrics.targets import (COLUMNS, LATE, MET, NO_DATA, NO_REFERENCE, NOT_DUE, UNMET, _as_of,
                             _bound_note, _custom, _projection, _sense, gap, meets)
from metrics.trends import TrendResult, trend_test


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


def _actual(t: dict, series: pd.DataFrame, spans: pd.DataFrame):
    """(figure judged or None, latest other figure or None, notes). The figure judged is the
    latest annual figure in the target's window, else a multi-year figure of exactly the
    target's span; the other figure (progress, or the last one before a missed window) is the
    latest annual figure, else the latest span, not judged."""
    start, end = t["period_start"], t["period_end"]
    lo = -np.inf if pd.isna(end) else start if start != end else end   # the window [lo, hi]
    hi = end if pd.notna(end) and start != end else np.inf
    inside = series[(series["period_end"] >= lo) & (series["period_end"] <= hi)]
    whole = spans[(spans["period_start"] == start) & (spans["period_end"] == end)]
    if len(inside):
        return inside.iloc[-1], None, []
    if len(whole):
        return whole.iloc[-1], None, [f"按 {whole.iloc[-1]['period']} 多年累计值判断"]
    other = series if len(series) else spans
    return None, (other.iloc[-1] if len(other) else None), []


def _deadline_check(t: dict, series: pd.DataFrame, year, target_at, meta) -> tuple[bool | None, list[str]]:
    """Whether a deadline target ('2020') was met in its deadline year: True / False, or None when
    the deadline is still ahead of `year`, the target is a span or has no deadline, or there is
    no figure for the deadline year."""
    start, end = t["period_start"], t["period_end"]
    if pd.isna(end) or start != end or year is None or year < end:
        return None, []
    at = series[series["period_end"] == end]
    if at.empty:
        return None, [f"期限 {int(end)} 年无数据，是否按期达标未知"]
    target, _ = target_at(int(end))
    if pd.isna(target):
        return None, []
    v = at.iloc[-1]["value"]
    return bool(meets(v, target, t["comparator"], meta["direction"], meta["decimals"])), []


def _trend(frames: Frames, series: pd.DataFrame, district: str, indicator: str, year) -> TrendResult:
    """The former trend_of_points on the frame of the annual figures (the scope note by a groupby)."""
    r = trend_test(series["period_end"], series["value"])
    if series["scope_level"].nunique() < 2:
        return r
    tags = [scope_tag(x) for x in series[["scope", "scope_level"]].to_dict("records")]
    parts = [f"{'、'.join(str(int(y)) for y in g)} 年为{tag}"
             for tag, g in series["period_end"].groupby(pd.Series(tags, index=series.index), sort=False)]
    note = f"序列口径不一（{'；'.join(parts)}），趋势可能来自口径变化"
    return replace(r, mixed_scope=True, note="；".join(x for x in (r.note, note) if x))


def target_status(frames: Frames, districts: list[str] | None = None, standard=None,
                  as_of=None) -> pd.DataFrame:
    """Status of every (district, indicator, target); columns COLUMNS.

    standard: None → each district's own targets; a district name → that district's targets for
    every selected district (default: all districts); a DataFrame or list of dicts with columns
    indicator, comparator, value[, period] → custom thresholds for every selected district.
    as_of: None → each district is judged as of its own latest report year (`report_years`), so
    importing another district's report never changes this district's statuses; an int → that
    year for every district; a dict {district: year} → those years (others: their own). Only
    figures up to the district's year are used; the year is the `as_of` column.
    See the module docstring for the window, status, gap and projection rules.
    """
    plan = _plan(frames, districts, standard)
    years = _as_of(frames, sorted(set(plan["district"])), as_of)
    # only the figures the targets can use, read through the district index (never a scan of every fact)
    f = frames.facts_of(sorted(set(plan["district"])))
    f = f[f["indicator"].isin(set(plan["indicator"]))]
    facts = best_facts(f[f["period_end"] <= f["district"].map(years).astype(float)])
    annual = {k: g for k, g in facts[facts["span_kind"] == "annual"].groupby(["district", "indicator"])}
    spans = {k: g for k, g in facts[facts["span_kind"] != "annual"].groupby(["district", "indicator"])}
    empty, trends, rows = facts.iloc[:0], {}, []
    for t in plan.to_dict("records"):
        d, ind, meta = t["district"], t["indicator"], frames.indicator(t["indicator"])
        year = years.get(d)
        deadline = None if pd.isna(t["period_end"]) else int(t["period_end"])
        series = annual.get((d, ind), empty)
        used, other, notes = _actual(t, series, spans.get((d, ind), empty))
        target_at = lambda y, t=t: _resolve(t, y, frames.reference)
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
        if (d, ind) not in trends:
            trends[(d, ind)] = _trend(frames, series, d, ind, year)
        proj, reached, proj_note = _projection(trends[(d, ind)], series["period_end"].max(), deadline, target,
                                               t["comparator"], meta, int(used["period_end"]) if ok and used is not None
                                               else None)
        rows.append(dict(
            district=d, standard=t["standard"], as_of=year, indicator=ind, name_zh=meta["name_zh"], unit=meta["unit"],
            direction=meta["direction"], comparator=t["comparator"], target_value=target,
            target_period=t["period"], deadline=deadline, relative=t["relative"], reference=t["reference"],
            actual_value=actual, actual_period=fig["period"] if fig is not None else "",
            actual_qualifier=fig["qualifier"] if fig is not None else "",
            actual_scope=scope_tag(fig.to_dict()) if fig is not None else "", status=status,
            met_by_deadline=on_time,
            gap=gap(actual, target, t["comparator"], meta["direction"]) if pd.notna(target) else math.nan,
            projected_value=proj, projected_year_reached=reached, projection_note=proj_note,
            note="；".join(notes), target_source=f"{t['doc']}：{t['quote']}" if t["doc"] else t["quote"],
            target_doc=t["doc"], target_quote=t["quote"], target_district=t["target_district"],
            target_id=t["target_id"], fact_id=fig["fact_id"] if fig is not None else math.nan))
    out = pd.DataFrame(rows, columns=COLUMNS).sort_values(["district", "indicator", "target_period"], kind="stable")
    return out.reset_index(drop=True).astype({c: "Int64" for c in ("as_of", "deadline", "projected_year_reached",
                                                                   "target_id", "fact_id")})
