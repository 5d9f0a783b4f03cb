"""数据 Data: documents, a coverage matrix (district × year × indicator), flags and conflicts."""
import pandas as pd
import streamlit as st

from ui import db, state
from ui.widgets import downloads

view = st.session_state["view"]
frames = db.frames()
st.title("数据" if view.lang == "zh" else "Data")
st.subheader("文件")
docs = frames.documents.loc[frames.documents["district"].isin(view.districts),
                           ["doc", "title", "district", "doc_type", "period", "doc_date", "encoding", "n_chars", "sha256"]]
state.show(view, docs.rename(columns={"doc": "文件", "title": "标题", "district": "区县", "doc_type": "类型", "period": "时期",
                                  "doc_date": "日期", "encoding": "编码", "n_chars": "字数"}), hide_index=True)
downloads(docs, "documents", "docs")
dropped = db.table("dropped")
if len(dropped):
    st.error(f"有 {len(dropped)} 份文件未能使用，没有进入数据库；请按说明补全后重新构建。"
             f"({len(dropped)} documents were left out of the warehouse.)")
    state.show(view, dropped.rename(columns={"doc": "文件", "message": "原因"}), hide_index=True)

st.subheader("覆盖情况（区县 × 时期 × 指标）")
names = dict(zip(frames.indicators["id"], frames.indicators["name_zh"]))
f = frames.facts[frames.facts["district"].isin(view.districts)]
cov = pd.crosstab([f["indicator"].map(names)], [f["district"], f["period"]])
state.show(view, cov, width="stretch")
t = frames.targets[frames.targets["district"].isin(view.districts)]
st.caption(f"数字为该区县该时期的数据条数；另有目标 {len(t)} 条（见「目标」页）。")

st.subheader("标记与冲突")
flags = db.table("flags", view.districts)
if flags.empty:
    st.info("没有标记 (no flags)")
else:
    state.show(view, flags[["district", "period", "indicator", "kind", "message", "quote", "doc"]].rename(columns={
        "district": "区县", "period": "时期", "indicator": "指标", "kind": "类型", "message": "说明", "quote": "原文",
        "doc": "来源文件"}), hide_index=True)
st.subheader("未采用的提及")
sup = db.table("superseded", view.districts)
state.show(view, sup[["district", "period", "kind", "indicator", "value", "scope", "quote", "status", "doc"]], hide_index=True)
st.caption("同一文件中范围较窄、重复或被合并的数字：保留在此，未作为该区县的数据。")
