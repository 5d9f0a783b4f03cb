"""Chart builders: functions returning ``alt.Chart`` (testable through ``.to_dict()``).
Titles, units and decimals come from the catalog row passed in; colours are Okabe–Ito
(colour-blind safe): better = blue, worse = vermillion, neutral = grey."""
from __future__ import annotations

import altair as alt
import pandas as pd

from metrics.format import fmt_value

BETTER, WORSE, NEUTRAL, TARGET = "#0072B2", "#D55E00", "#999999", "#009E73"
UNRANKED = "#E0E0E0"   # figures outside the ranked comparable set: shown, not coloured
FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, WenQuanYi Micro Hei, sans-serif"


# Row heights are steps: Streamlit fits a chart's whole height (axes included) into a fixed
# height, which squeezed two districts into 60 px.


def _config(chart: alt.Chart) -> alt.Chart:
    return chart.configure(font=FONT).configure_axis(labelFont=FONT, titleFont=FONT).configure_legend(
        labelFont=FONT, titleFont=FONT)


def _axis_title(meta: dict, lang: str) -> str:
    name = meta["name_zh"] if lang == "zh" else meta["name_en"]
    return f"{name}（{meta['unit']}）" if meta["unit"] else name


def compare_chart(df: pd.DataFrame, meta: dict, lang: str = "zh") -> alt.Chart:
    """Sorted dots, the ranked comparable set first (best first), with Wilson intervals where
    counts exist. Only ranked figures are coloured (blue = best shading to vermillion = worst);
    figures of another period or scope are grey, and every label carries its period and scope."""
    data = df.dropna(subset=["value"]).assign(
        label=lambda d: d["district"] + " · " + d["period"] + " · " + d["scope_tag"]
        + d["group"].map(lambda g: f"（组{g}）" if g else ""),
        shown=lambda d: [fmt_value(v, meta["unit"], int(meta["decimals"]), lang, q)
                         for v, q in zip(d["value"], d["qualifier"])],
        rank_shown=lambda d: d["rank"].where(d["ranked"]))
    order = list(data["label"])
    x = alt.X("value:Q", title=_axis_title(meta, lang), scale=alt.Scale(zero=False, padding=70))  # room for labels
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=320))
    ranked = data["ranked"].astype(bool)
    # rank as a quantity: blue (best) shading to vermillion (worst); an ordinal scale with two
    # colours would cycle them (rank 3 blue again). Unranked figures: grey.
    colour = (alt.condition("isValid(datum.rank_shown)",
                            alt.Color("rank_shown:Q", scale=alt.Scale(domain=[1, max(2, data["rank_shown"].max())]
                                                                      if ranked.any() else [1, 2],
                                                                      range=[BETTER, WORSE]), legend=None),
                            alt.value(UNRANKED))
              if meta["direction"] in ("higher", "lower") else alt.value(NEUTRAL))
    tooltip = [alt.Tooltip("district:N", title="区县"), alt.Tooltip("shown:N", title="数值"),
               alt.Tooltip("period:N", title="时期"), alt.Tooltip("scope_tag:N", title="口径"),
               alt.Tooltip("flags:N", title="可比性"), alt.Tooltip("doc:N", title="来源文件"),
               alt.Tooltip("quote:N", title="原文")]
    dots = alt.Chart(data).mark_circle(size=220).encode(x=x, y=y, color=colour, tooltip=tooltip)
    bars = alt.Chart(data.dropna(subset=["ci_low"])).mark_rule(strokeWidth=3, color=NEUTRAL).encode(
        x="ci_low:Q", x2="ci_high:Q", y=y)
    labels = dots.mark_text(align="left", dx=12, fontSize=14).encode(text="shown:N", color=alt.value("#333"))
    return _config(alt.layer(bars, dots, labels).properties(height=alt.Step(44)))


def heatmap_chart(df: pd.DataFrame, lang: str = "zh") -> alt.Chart:
    """District × indicator, coloured by direction-aware standing within each indicator's ranked
    comparable set (blue = best, vermillion = worst); other figures grey. Every cell shows its
    value and its period."""
    data = df.assign(
        shown=[fmt_value(v, u, int(d) if pd.notna(d) else 2, lang, q) if pd.notna(v) else ""
               for v, d, u, q in zip(df["value"], df["decimals"], df["unit"], df["qualifier"])],
        cell=lambda d: [f"{s}（{p}）" if s else "" for s, p in zip(d["shown"], d["period"])])
    base = alt.Chart(data).encode(
        x=alt.X("district:N", title=None, axis=alt.Axis(labelAngle=0 if data["district"].nunique() <= 6 else -40,
                                                        orient="top", labelOverlap=False, labelLimit=160)),
        y=alt.Y("name_zh:N", title=None, sort=list(dict.fromkeys(data["name_zh"])),
                axis=alt.Axis(labelLimit=320, labelOverlap=False)))
    tooltip = [alt.Tooltip("name_zh:N", title="指标"), alt.Tooltip("district:N", title="区县"),
               alt.Tooltip("shown:N", title="数值"), alt.Tooltip("period:N", title="时期"),
               alt.Tooltip("scope_tag:N", title="口径"), alt.Tooltip("flags:N", title="说明")]
    cells = base.mark_rect(stroke="white").encode(
        color=alt.condition("isValid(datum.standing)",
                            alt.Color("standing:Q", scale=alt.Scale(domain=[0, 1], range=[WORSE, "#F0E442", BETTER]),
                                      legend=alt.Legend(title="相对水平（1 = 最好，仅同期同口径）")),
                            alt.value(UNRANKED)),
        tooltip=tooltip)
    text = base.mark_text(fontSize=12).encode(text="cell:N")
    return _config(alt.layer(cells, text).properties(height=alt.Step(28)))


def series_chart(series: pd.DataFrame, meta: dict, lang: str = "zh", lines: dict | None = None,
                 titles: dict | None = None, columns: int = 3) -> alt.Chart:
    """Small multiples, one panel per district (one chart, however many districts): annual
    points as a line of dots, multi-year spans as horizontal bars over their years, and the
    Theil–Sen line where `lines` gives {district: (year0, year1, value0, value1)}. `titles`
    maps a district to its panel title (e.g. with the trend verdict)."""
    titles = titles or {}
    quals = series["qualifier"] if "qualifier" in series else pd.Series("", index=series.index)
    s = series.assign(shown=[fmt_value(v, meta["unit"], int(meta["decimals"]), lang, q)
                             for v, q in zip(series["value"], quals)],
                      x0=series["period_start"].astype(float), x1=series["period_end"].astype(float) + 0.98,
                      x=series["period_start"].astype(float) + 0.5,
                      kind=(series["span_kind"] == "annual").map({True: "annual", False: "span"}))
    trend = pd.DataFrame([{"district": d, "x": x + 0.5, "value": v, "kind": "trend"}
                          for d, (y0, y1, v0, v1) in (lines or {}).items() for x, v in ((y0, v0), (y1, v1))])
    data = pd.concat([s, trend], ignore_index=True)
    data["panel"] = data["district"].map(lambda d: titles.get(d, d))
    y = alt.Y("value:Q", title=_axis_title(meta, lang), scale=alt.Scale(zero=False),
              axis=alt.Axis(format=f".{int(meta['decimals'])}f"))
    tip = [alt.Tooltip("district:N", title="区县"), alt.Tooltip("period:N", title="时期"),
           alt.Tooltip("shown:N", title="数值"), *([alt.Tooltip("scope_tag:N", title="口径")] if "scope_tag" in series else []),
           alt.Tooltip("quote:N", title="原文"),
           alt.Tooltip("doc:N", title="来源文件")]
    years = alt.Scale(domain=[float(s["period_start"].min()) - 0.5, float(s["period_end"].max()) + 1.5], nice=False,
                      zero=False)
    x_axis = alt.Axis(format="d", tickMinStep=1)
    only = lambda kind: alt.Chart().transform_filter(alt.datum.kind == kind)
    layers = alt.layer(
        only("span").mark_rule(strokeWidth=6, color=NEUTRAL, opacity=0.7).encode(
            x=alt.X("x0:Q", title="年份", axis=x_axis, scale=years), x2="x1:Q", y=y, tooltip=tip),
        only("annual").mark_line(point=alt.OverlayMarkDef(size=120), color=BETTER).encode(
            x=alt.X("x:Q", title="年份", axis=x_axis, scale=years), y=y, tooltip=tip),
        only("trend").mark_line(strokeDash=[6, 4], color="#555555").encode(x="x:Q", y="value:Q"),
        data=data).properties(width=260, height=200)
    order = [titles.get(d, d) for d in dict.fromkeys(s["district"])]
    facet = alt.Facet("panel:N", sort=order, title=None, header=alt.Header(labelFontSize=15, labelFont=FONT))
    return _config(layers.facet(facet=facet, columns=columns))


def bullet_chart(status: pd.DataFrame, lang: str = "zh") -> alt.Chart:
    """Target versus actual per indicator: a bar for the actual (its value written beside it, so
    a 0 % loss rate does not look like missing data), a tick for the target."""
    d = status.dropna(subset=["target_value"]).assign(
        label=lambda x: x["district"] + " · " + x["name_zh"],
        colour=lambda x: x["status"].map({"达标": BETTER, "未达标": WORSE}).fillna(NEUTRAL))
    y = alt.Y("label:N", title=None, sort=list(d["label"]), axis=alt.Axis(labelLimit=360))
    tip = [alt.Tooltip("label:N", title="指标"), alt.Tooltip("actual_value:Q", title="实际"),
           alt.Tooltip("target_value:Q", title="目标"), alt.Tooltip("status:N", title="状态"),
           alt.Tooltip("actual_period:N", title="实际值时期"), alt.Tooltip("target_source:N", title="目标出处")]
    bars = alt.Chart(d).mark_bar(height=16).encode(x=alt.X("actual_value:Q", title="实际值 / 目标值（各指标单位）"),
                                                   y=y, color=alt.Color("colour:N", scale=None), tooltip=tip)
    ticks = alt.Chart(d).mark_tick(thickness=3, size=26, color="#000").encode(x="target_value:Q", y=y, tooltip=tip)
    values = bars.mark_text(align="left", dx=6, fontSize=13).encode(
        text=alt.Text("actual_value:Q", format=",.2~f"), color=alt.value("#333"))
    return _config(alt.layer(bars, ticks, values).properties(height=alt.Step(34)))
