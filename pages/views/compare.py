"""区县对比 Compare: one indicator across districts (Wilson intervals where counts exist,
statistically tied districts grouped, comparability footnotes) and a district × indicator heatmap."""
import streamlit as st

from metrics import compare
from ui import charts, db, state
from ui.widgets import downloads, literal, value_text

view = st.session_state["view"]
frames = db.frames()
st.title("区县对比" if view.lang == "zh" else "Compare districts")
ids, names = state.measured(frames, view)
wanted = st.query_params.get("indicator", "online_service_rate")
if wanted not in ids:
    if "indicator" in st.query_params:
        st.warning(f"未识别的指标 indicator={literal(repr(wanted))}，已改用默认值 (unknown indicator, using the default)")
    wanted = ids[0]
st.session_state.setdefault("compare_indicator", wanted)
if st.session_state["compare_indicator"] not in ids:
    st.session_state["compare_indicator"] = wanted
indicator = st.selectbox("指标" if view.lang == "zh" else "Indicator", ids, format_func=names.get,
                         key="compare_indicator")
st.query_params["indicator"] = indicator
meta = frames.indicator(indicator)
period = None if view.period == "latest" else view.period
c = db.metric(compare.compare_districts, indicator, period, list(view.districts))
shown = c.dropna(subset=["value"])
if shown.empty:
    st.info("所选区县在此时期没有该指标的数据 (no data for this selection)")
else:
    st.altair_chart(charts.compare_chart(shown, meta, view.lang), width="stretch")
    counts = ["k", "n", "ci_low", "ci_high"] if shown["k"].notna().any() else []   # rates given with counts only
    table = c.assign(数值=[value_text(v, meta, view.lang, q) for v, q in zip(c["value"], c["qualifier"])])[
        ["district", "数值", "period", "scope_tag", "rank", "group", *counts, "flags", "quote", "doc"]]
    state.show(view, table.rename(columns={"district": "区县", "period": "时期", "scope_tag": "口径", "rank": "排名",
                                       "group": "统计分组", "flags": "可比性说明", "quote": "原文",
                                       "doc": "来源文件"}), hide_index=True)
    ranked = shown[shown["ranked"]]
    notes = ([f"排名只在同一时期、同一口径的数据之间进行：本表排名组为「{ranked['comparable_set'].iloc[0]}」"
              f"（{len(ranked)} 个区县）；其余数据灰色显示、不排名，原因见「可比性说明」。"] if len(ranked) else
             ["所选数据没有两个以上同一时期、同一口径的区县，均不排名（灰色）；可在侧栏选择具体时期。"])
    if meta["direction"] == "neutral":
        notes = ["该指标无好坏方向（neutral），不排名。"]
    missing = c.loc[c["value"].isna(), "district"].tolist()
    if missing:
        notes.append(f"无数据：{'、'.join(missing)}")
    if ranked["k"].notna().sum() >= 2:
        notes.append("统计分组：Fisher 精确检验（Holm 校正），同字母的区县差异不显著，不应分先后。")
    for n in notes:
        st.caption(literal(n))
    downloads(table, f"compare_{indicator}", "compare")

st.subheader("区县 × 指标" if view.lang == "zh" else "District × indicator")
h = db.metric(compare.heatmap_frame, list(view.districts), ids, period)
h = h[h["direction"] != "neutral"]
if h.empty:
    st.info("暂无数据 (no data)")
else:
    st.altair_chart(charts.heatmap_chart(h, view.lang), width="stretch")
    st.caption("每格注明时期。颜色按方向处理，且只在每个指标的排名组（同一时期、同一口径）之内比较：蓝色为相对最好、"
               "橙红为相对最差（败诉率越低越好）；其他时期或口径的数据为灰色，不参与比较（悬停可见原因）。")
