"""趋势 Trends: each district's series (multi-year spans drawn as spans), the trend test in
words and numbers; 数据不足 said plainly."""
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
shown = []
for district in view.districts:
    s = db.metric(trends.district_series, district, indicator)
    if s.empty:
        continue
    st.subheader(district)
    r = db.metric(trends.trend_for, district, indicator)
    unit = "百分点" if meta["unit"] == "%" else meta["unit"]
    if r.direction == "数据不足":
        st.warning(f"数据不足：只有 {r.n} 个年度数据点，至少需要 4 个才能检验趋势；多年累计值不计入。")
        line = None
    else:
        st.markdown(f"**{r.direction}**：Theil–Sen 斜率 {r.slope:+.2f} {unit}/年"
                    f"（95% 区间 {r.slope_low:+.2f} 至 {r.slope_high:+.2f}），Mann–Kendall τ = {r.tau:.2f}，"
                    f"p = {r.p_value:.3f}，n = {r.n}。{r.note}")
        y0, y1 = int(s["year"].min()), int(s["year"].max())
        line = (y0, y1, r.predict(y0), r.predict(y1))
    st.altair_chart(charts.series_chart(s, meta, view.lang, line), width="stretch")
    st.caption("横条为多年累计值（跨越其年份），不作为年度点参与趋势检验。")
    shown.append(s)
if shown:
    downloads(pd.concat(shown, ignore_index=True), f"series_{indicator}", "series")
