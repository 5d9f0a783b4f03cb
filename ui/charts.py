"""Chart builders: functions returning ``alt.Chart`` (testable through ``.to_dict()``).
Titles, units and decimals come from the catalog row passed in; colours are Okabe–Ito
(colour-blind safe): better = blue, worse = vermillion, neutral = grey."""
from __future__ import annotations

import altair as alt
import pandas as pd

from ui.text import t
from ui.widgets import unit_label, value_text

BETTER, WORSE, NEUTRAL, TARGET = "#0072B2", "#D55E00", "#999999", "#009E73"
UNRANKED = "#E0E0E0"   # heatmap cells outside the ranked comparable set: shown, not coloured
UNRANKED_DOT = "#A0A0A0"   # dots outside the ranked set: grey, still visible on white
FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, WenQuanYi Micro Hei, sans-serif"


# Row heights are steps: Streamlit fits a chart's whole height (axes included) into a fixed
# height, which squeezed two districts into 60 px.


def _config(chart: alt.Chart, big: bool = False) -> alt.Chart:
    """Fonts (CJK first) and sizes; ``big`` (presentation mode): every chart text larger. Set on
    ``chart`` itself, a chart this module has just built: the spec of ``configure().configure_axis()…``,
    without its copies (each copy of a layered chart deep-copies every layer, and a target chart
    sorted by 176 labels took a tenth of a second to copy six times)."""
    label, title = (20, 22) if big else (12, 13)
    chart.config = alt.Config(
        font=FONT, axis=alt.AxisConfig(labelFont=FONT, titleFont=FONT, labelFontSize=label, titleFontSize=title),
        legend=alt.LegendConfig(labelFont=FONT, titleFont=FONT, labelFontSize=label, titleFontSize=title),
        header=alt.HeaderConfig(labelFont=FONT, titleFont=FONT, labelFontSize=title + 2, titleFontSize=title + 2),
        title=alt.TitleConfig(fontSize=title + 4))
    return chart


def _axis_title(meta: dict, lang: str) -> str:
    name = meta["name_zh"] if lang == "zh" else meta["name_en"]
    return t(lang, "axis.with_unit", name=name, unit=unit_label(meta["unit"], lang)) if meta["unit"] else name


def _value_axis(values: pd.Series, meta: dict) -> tuple[alt.Scale, alt.Axis]:
    """A value scale and axis with the catalog's decimals. With one distinct value Vega-Lite
    would spread a tiny domain around it (ticks 3.400000, 3.400000 …): the domain is then set
    from 0 (rates: 0–100)."""
    decimals = int(meta["decimals"])
    axis = alt.Axis(format=f",.{decimals}~f", tickMinStep=10 ** -decimals if decimals else 1)
    v = values.dropna()
    if len(v) and v.max() == v.min():
        top = 100.0 if meta["unit"] == "%" else max(float(v.max()) * 1.5, 1.0)
        return alt.Scale(domain=[min(0.0, float(v.min())), top], nice=True), axis
    return alt.Scale(zero=False, padding=70), axis  # room for labels


def compare_chart(df: pd.DataFrame, meta: dict, lang: str = "zh", big: bool = False) -> alt.Chart:
    """Sorted dots, the ranked comparable set first (best first), with Wilson intervals where
    counts exist. Only ranked figures are coloured (blue = best shading to vermillion = worst);
    figures of another period or scope are grey, and every label carries its period and scope.
    Text columns (scope_tag, flags, doc) are shown as given: the page passes them in its language."""
    data = df.dropna(subset=["value"]).assign(
        label=lambda d: d["district"] + " · " + d["period"] + " · " + d["scope_tag"]
        + d["group"].map(lambda g: t(lang, "chart.group", group=g) if g else ""),
        shown=lambda d: [value_text(v, meta, lang, q) for v, q in zip(d["value"], d["qualifier"])],
        rank_shown=lambda d: d["rank"].where(d["ranked"]))
    order = list(data["label"])
    scale, axis = _value_axis(data["value"], meta)
    x = alt.X("value:Q", title=_axis_title(meta, lang), scale=scale, axis=axis)
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=480 if big else 320))
    ranked = data["ranked"].astype(bool)
    # rank as a quantity: blue (best) shading to vermillion (worst); an ordinal scale with two
    # colours would cycle them (rank 3 blue again). Unranked figures: grey.
    colour = (alt.condition("isValid(datum.rank_shown)",
                            alt.Color("rank_shown:Q", scale=alt.Scale(domain=[1, max(2, data["rank_shown"].max())]
                                                                      if ranked.any() else [1, 2],
                                                                      range=[BETTER, WORSE]), legend=None),
                            alt.value(UNRANKED_DOT))
              if meta["direction"] in ("higher", "lower") else alt.value(NEUTRAL))
    tooltip = _tips(lang, district="chart.district", shown="chart.value", period="chart.period",
                    scope_tag="chart.scope", flags="chart.comparability", doc="chart.source", quote="chart.quote")
    dots = alt.Chart(data).mark_circle(size=320 if big else 220).encode(x=x, y=y, color=colour, tooltip=tooltip)
    bars = alt.Chart(data.dropna(subset=["ci_low"])).mark_rule(strokeWidth=3, color=NEUTRAL).encode(
        x="ci_low:Q", x2="ci_high:Q", y=y)
    labels = dots.mark_text(align="left", dx=12, fontSize=22 if big else 14).encode(text="shown:N", color=alt.value("#333"))
    return _config(alt.layer(bars, dots, labels, height=alt.Step(56 if big else 44)), big)


def _tips(lang: str, **fields: str) -> list:
    """Tooltips {field: message key} with titles in the language."""
    return [alt.Tooltip(f"{f}:N", title=t(lang, key)) for f, key in fields.items()]


def heatmap_chart(df: pd.DataFrame, lang: str = "zh", big: bool = False) -> alt.Chart:
    """District × indicator, coloured by direction-aware standing within each indicator's ranked
    comparable set (blue = best, vermillion = worst); other figures grey. Every cell shows its
    value and its period. ``df``: metrics.compare.heatmap_frame with ``name`` (the indicator's
    name in the language) and scope_tag / flags already in the language."""
    data = df.assign(
        shown=[value_text(v, {"unit": u, "decimals": d}, lang, q) if pd.notna(v) else ""
               for v, d, u, q in zip(df["value"], df["decimals"], df["unit"], df["qualifier"])],
        cell=lambda d: [t(lang, "chart.cell", value=s, period=p) if s else "" for s, p in zip(d["shown"], d["period"])])
    base = alt.Chart(data).encode(
        x=alt.X("district:N", title=None, axis=alt.Axis(labelAngle=0 if data["district"].nunique() <= 6 else -40,
                                                        orient="top", labelOverlap=False, labelLimit=160)),
        y=alt.Y("name:N", title=None, sort=list(dict.fromkeys(data["name"])),
                axis=alt.Axis(labelLimit=420 if big else 320, labelOverlap=False)))
    tooltip = _tips(lang, name="chart.indicator", district="chart.district", shown="chart.value",
                    period="chart.period", scope_tag="chart.scope", flags="chart.note")
    cells = base.mark_rect(stroke="white").encode(
        color=alt.condition("isValid(datum.standing)",
                            alt.Color("standing:Q", scale=alt.Scale(domain=[0, 1], range=[WORSE, "#F0E442", BETTER]),
                                      legend=alt.Legend(title=t(lang, "chart.standing"), orient="bottom",
                                                        gradientLength=300, titleLimit=600)),
                            alt.value(UNRANKED)),
        tooltip=tooltip)
    text = base.mark_text(fontSize=19 if big else 12).encode(text="cell:N")
    return _config(alt.layer(cells, text, height=alt.Step(44 if big else 28)), big)


def series_chart(series: pd.DataFrame, meta: dict, lang: str = "zh", lines: dict | None = None,
                 titles: dict | None = None, columns: int = 3, big: bool = False) -> alt.Chart:
    """Small multiples, one panel per district (one chart, however many districts): annual
    points as a line of dots, multi-year spans as horizontal bars over their years, and the
    Theil–Sen line where `lines` gives {district: (year0, year1, value0, value1)}. `titles`
    maps a district to its panel title (e.g. with the trend verdict)."""
    titles = titles or {}
    quals = series["qualifier"] if "qualifier" in series else pd.Series("", index=series.index)
    s = series.assign(shown=[value_text(v, meta, lang, q) for v, q in zip(series["value"], quals)],
                      x0=series["period_start"].astype(float), x1=series["period_end"].astype(float) + 0.98,
                      x=series["period_start"].astype(float) + 0.5,
                      kind=(series["span_kind"] == "annual").map({True: "annual", False: "span"}))
    trend = pd.DataFrame([{"district": d, "x": x + 0.5, "value": v, "kind": "trend"}
                          for d, (y0, y1, v0, v1) in (lines or {}).items() for x, v in ((y0, v0), (y1, v1))])
    data = pd.concat([s, trend], ignore_index=True)
    data["panel"] = data["district"].map(lambda d: titles.get(d, d))
    y = alt.Y("value:Q", title=_axis_title(meta, lang), scale=alt.Scale(zero=False),
              axis=alt.Axis(format=f",.{int(meta['decimals'])}~f"))
    fields = dict(district="chart.district", period="chart.period", shown="chart.value",
                  **({"scope_tag": "chart.scope"} if "scope_tag" in series else {}), quote="chart.quote",
                  doc="chart.source")
    tip = _tips(lang, **fields)
    years = alt.Scale(domain=[float(s["period_start"].min()) - 0.5, float(s["period_end"].max()) + 1.5], nice=False,
                      zero=False)
    x_axis = alt.Axis(format="d", tickMinStep=1)
    year = t(lang, "chart.year")
    only = lambda kind: alt.Chart().transform_filter(alt.datum.kind == kind)
    layers = alt.layer(
        only("span").mark_rule(strokeWidth=6, color=NEUTRAL, opacity=0.7).encode(
            x=alt.X("x0:Q", title=year, axis=x_axis, scale=years), x2="x1:Q", y=y, tooltip=tip),
        only("annual").mark_line(point=alt.OverlayMarkDef(size=160 if big else 120), color=BETTER).encode(
            x=alt.X("x:Q", title=year, axis=x_axis, scale=years), y=y, tooltip=tip),
        only("trend").mark_line(strokeDash=[6, 4], color="#555555").encode(x="x:Q", y="value:Q"),
        data=data, width=340 if big else 260, height=260 if big else 200)
    order = [titles.get(d, d) for d in dict.fromkeys(s["district"])]
    facet = alt.Facet("panel:N", sort=order, title=None, header=alt.Header(labelFont=FONT))
    return _config(layers.facet(facet=facet, columns=columns), big)


def bullet_chart(status: pd.DataFrame, lang: str = "zh", big: bool = False) -> alt.Chart:
    """Target versus actual per indicator: a bar for the actual (its value written beside it with
    its unit, so a 0 % loss rate does not look like missing data), a tick for the target.
    ``status``: metrics.targets.target_status rows with ``name`` (indicator name in the language),
    ``actual_text``, ``target_text`` and ``status_text`` (the status in words)."""
    d = status.dropna(subset=["target_value"]).assign(
        label=lambda x: x["district"] + " · " + x["name"],
        colour=lambda x: x["status"].map({"达标": BETTER, "未达标": WORSE}).fillna(NEUTRAL))
    y = alt.Y("label:N", title=None, sort=list(d["label"]), axis=alt.Axis(labelLimit=480 if big else 360))
    tip = _tips(lang, label="chart.indicator", actual_text="chart.actual", target_text="chart.target",
                status_text="chart.status", actual_period="chart.actual_period", target_source="chart.target_source")
    bars = alt.Chart(d).mark_bar(height=22 if big else 16).encode(
        x=alt.X("actual_value:Q", title=t(lang, "chart.bullet_axis")), y=y, color=alt.Color("colour:N", scale=None),
        tooltip=tip)
    ticks = alt.Chart(d).mark_tick(thickness=3, size=34 if big else 26, color="#000").encode(
        x="target_value:Q", y=y, tooltip=tip)
    values = bars.mark_text(align="left", dx=6, fontSize=20 if big else 13).encode(
        text="actual_text:N", color=alt.value("#333"))
    return _config(alt.layer(bars, ticks, values, height=alt.Step(44 if big else 34)), big)
