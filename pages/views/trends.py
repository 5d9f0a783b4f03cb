"""趋势 Trends: the selected districts' series as small multiples in one chart (multi-year
spans drawn as spans), and a table of the trend tests in words and numbers; 数据不足 said plainly."""
import pandas as pd
import streamlit as st

from metrics import trends
from ui import charts, db, state
from ui.widgets import downloads

view = st.session_state["view"]
frames = db.frames()
st.title("趋势" if view.lang == "zh" else "Trends")
ids, names = state.measured(frames, view)
indicator = st.selectbox("指标", ids, index=ids.index("people_mediation_success_rate")
                         if "people_mediation_success_rate" in ids else 0, format_func=names.get, key="trend_indicator")
meta = frames.indicator(indicator)
unit = "百分点" if meta["unit"] == "%" else meta["unit"]
slope = f"斜率（{unit}/年）" if view.lang == "zh" else f"Slope ({'pp' if meta['unit'] == '%' else meta['unit']}/yr)"
shown, tests, lines, titles = [], [], {}, {}
for district in view.districts:
    s = db.metric(trends.district_series, district, indicator)
    if s.empty:
        continue
    r = db.metric(trends.trend_for, district, indicator)
    shown.append(s)
    titles[district] = f"{district} · {r.direction}" + (" · 口径不一" if r.mixed_scope else "")
    scopes = "、".join(dict.fromkeys(s.loc[s["in_trend"], "scope_tag"]))
    if r.direction == trends.INSUFFICIENT:
        tests.append({"区县": district, "趋势": r.direction, "n": r.n, "口径": scopes,
                      "说明": f"只有 {r.n} 个年度数据点，至少需要 {trends.MIN_POINTS} 个才能检验趋势；多年累计值不计入。"})
        continue
    y0, y1 = int(s["year"].min()), int(s["year"].max())
    lines[district] = (y0, y1, r.predict(y0), r.predict(y1))
    tests.append({"区县": district, "趋势": r.direction, "n": r.n, "口径": scopes, slope: round(r.slope, 2),
                  "斜率区间（实际置信度）": f"{r.slope_low:+.2f} 至 {r.slope_high:+.2f}（{r.slope_conf:.1%}）",
                  "Kendall τ": round(r.tau, 2), "p": round(r.p_value, 3), "可达最小 p": round(r.min_p, 3), "说明": r.note})
if not shown:
    st.info("所选区县没有该指标的数据 (no data for this selection)")
    st.stop()
state.show(view, pd.DataFrame(tests), hide_index=True)
st.caption("趋势：Mann–Kendall 检验（双侧，α = 0.05）与 Theil–Sen 斜率；年度数据点少于 4 个时不检验，标为「数据不足」；"
           "这组数值任何排列都达不到 p < 0.05 时（如 4 个点，最小 p = 0.083）标为「点数不足以检验」，而不是「无显著趋势」。"
           "斜率区间按 Sen (1968) 计算，括号内为其在该点数下的实际置信度（4 个点时为 91.7%，并非 95%）。")
series = pd.concat(shown, ignore_index=True)
st.altair_chart(charts.series_chart(series, meta, view.lang, lines, titles))
st.caption("蓝点为年度值，灰色虚线为 Theil–Sen 趋势线；灰色横条为多年累计值（跨越其年份），不作为年度点参与趋势检验。")
downloads(series, f"series_{indicator}", "series")
