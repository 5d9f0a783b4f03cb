"""目标 Targets: target-versus-actual bullet charts and a status table with gap, deadline and
projection; the standard is selectable (own plan / another district's plan / custom thresholds)."""
import pandas as pd
import streamlit as st

from metrics import targets
from ui import charts, db, state
from ui.widgets import downloads, value_text

view = st.session_state["view"]
frames = db.frames()
st.title("目标" if view.lang == "zh" else "Targets")
planners = sorted(set(frames.targets["district"]))
choice = st.radio("对照标准", ["own", "plan", "custom"], horizontal=True, key="standard_kind",
                  format_func={"own": "本区目标", "plan": "其他区县的规划", "custom": "自定义阈值"}.get)
standard = None
if choice == "plan":
    standard = st.selectbox("采用哪个区县的规划", planners, index=planners.index("綦江区") if "綦江区" in planners else 0,
                            key="standard_plan")
elif choice == "custom":
    default = pd.DataFrame([{"indicator": "online_service_rate", "comparator": ">=", "value": 80.0, "period": "2021-2025"},
                            {"indicator": "litigation_loss_rate", "comparator": "<=", "value": 5.0, "period": "2021-2025"}])
    standard = st.data_editor(default, num_rows="dynamic", key="custom_thresholds", column_config={
        "indicator": st.column_config.SelectboxColumn("指标", options=list(frames.indicators["id"]), required=True),
        "comparator": st.column_config.SelectboxColumn("比较", options=[">=", "<=", "="], required=True),
        "value": st.column_config.NumberColumn("阈值", required=True),
        "period": st.column_config.TextColumn("适用时期", help="YYYY 或 YYYY-YYYY")})
    standard = standard.dropna(subset=["indicator", "comparator", "value"])
years = sorted({int(y) for y in frames.facts["period_end"].dropna()}, reverse=True)
as_of = st.selectbox("评估年份", ["own", *years], key="targets_as_of",
                     format_func=lambda y: "各区县按各自最新报告年份" if y == "own" else f"{y} 年（所有区县）",
                     help="默认每个区县按它自己最新一份报告的年份评估：导入其他区县更新的报告不会改变本区县的状态。")
as_of = None if as_of == "own" else as_of
status = (db.metric(targets.target_status, districts=list(view.districts), standard=standard, as_of=as_of)
          if not isinstance(standard, pd.DataFrame) else
          targets.target_status(frames, districts=list(view.districts), standard=standard, as_of=as_of))
if status.empty:
    st.info("所选区县没有目标 (no targets for this selection)")
    st.stop()
counts = status["status"].value_counts()
cols = st.columns(len(targets.STATUSES))
for col, s in zip(cols, targets.STATUSES):
    col.metric(s, int(counts.get(s, 0)))
judged = status[status["actual_value"].notna() & status["target_value"].notna()]
if len(judged):
    st.altair_chart(charts.bullet_chart(judged, view.lang), width="stretch")
units = dict(zip(frames.indicators["id"], frames.indicators.to_dict("records")))
status = status.assign(actual_text=[value_text(v, units.get(i, {"unit": u, "decimals": 2}), view.lang, q)
                                    for v, i, u, q in zip(status["actual_value"], status["indicator"], status["unit"],
                                                          status["actual_qualifier"])])
status = status.assign(met_by_deadline=status["met_by_deadline"].map({True: "按期", False: "未按期"}).fillna(""))
table = status[["district", "as_of", "target_district", "name_zh", "comparator", "target_value", "target_period", "deadline", "actual_text",
                "actual_period", "actual_scope", "status", "met_by_deadline", "gap", "projected_value", "projected_year_reached", "projection_note",
                "note", "target_source", "target_quote"]]
state.show(view, table.rename(columns={
    "district": "区县", "as_of": "评估年份", "met_by_deadline": "期限时是否达标", "target_district": "目标所属区县", "name_zh": "指标", "comparator": "比较", "target_value": "目标值", "target_period": "目标时期",
    "deadline": "期限", "actual_text": "实际值", "actual_period": "实际值时期", "actual_scope": "实际值口径", "status": "状态", "gap": "差距（正=优于目标）",
    "projected_value": "期限时预测值", "projected_year_reached": "预计达标年份", "projection_note": "预测说明",
    "note": "说明", "target_source": "目标出处", "target_quote": "目标原文"}), hide_index=True)
st.caption("评估年份：每个区县默认按自己最新报告的年份，只用该年及以前的数据。未到期：期限未到，显示已有数据的进度；"
           "暂无数据：目标期间内（或至今）没有数据。逾期达标：期限当年未达标、之后才达标。"
           "差距以指标自身单位计，正数表示优于目标；预测基于 Theil–Sen 趋势（不低于 0，比率不高于 100%），"
           "年度数据少于 4 个时为「数据不足」。")
downloads(table, "target_status", "targets")
