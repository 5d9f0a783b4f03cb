"""证据 Evidence: every figure with its document, quote and highlighted surrounding text;
search by district, indicator or words; export the evidence pack (XLSX)."""
import pandas as pd
import streamlit as st

from ui import db, state
from ui.evidence_pack import evidence_pack
from ui.widgets import highlighted, literal, value_text

view = st.session_state["view"]
frames = db.frames()
st.title("证据" if view.lang == "zh" else "Evidence")
names = dict(zip(frames.indicators["id"], frames.indicators["name_zh"]))
inds = state.indicators_in(frames, view)
c1, c2 = st.columns([1, 2])
chosen = c1.multiselect("指标", list(inds["id"]), format_func=lambda i: names.get(i, i), key="evidence_indicators")
words = c2.text_input("搜索原文或指标名", key="evidence_words")
facts = frames.facts[frames.facts["district"].isin(view.districts)].assign(kind="实际", name=lambda d: d["indicator"].map(names))
tgts = frames.targets[frames.targets["district"].isin(view.districts)].assign(
    kind="目标", name=lambda d: d["indicator"].map(names), fact_id=None, derived=False, formula="", corrected=False)
rows = []
for df in (facts, tgts):
    if chosen:
        df = df[df["indicator"].isin(chosen)]
    if words:
        df = df[df["quote"].str.contains(words, regex=False) | df["name"].str.contains(words, regex=False)]
    rows.append(df)
meta = frames.indicators.set_index("id").to_dict("index")
table = []
for df in rows:
    for r in df.to_dict("records"):
        m = meta.get(r["indicator"], {"unit": r["unit"], "decimals": 2})
        shown = value_text(r["value"], m, view.lang) if r["value"] == r["value"] else f"相对目标：{r.get('reference', '')}"
        if r["kind"] == "目标":
            shown = f"{r['comparator']} {shown}"
        table.append({"类型": r["kind"], "区县": r["district"], "指标": r["name"], "数值": shown, "时期": r["period"],
                      "原文": r["quote"], "来源文件": r["doc"], "位置": f"{int(r['start'])}–{int(r['end'])}",
                      "推算": r.get("formula", "") if r.get("derived") else "",
                      "人工修改": r.get("correction", "") if r.get("corrected") else "",
                      "_doc": r["doc"], "_start": r["start"], "_end": r["end"]})
table = pd.DataFrame(table)
if table.empty:
    st.info("没有符合条件的数据 (nothing matches)")
    st.stop()
st.caption(f"共 {len(table)} 条。点选一行查看原文上下文。已人工修改的数字在「人工修改」列注明修改人、时间和原因。")
event = state.show(view, table.drop(columns=["_doc", "_start", "_end"]), hide_index=True, on_select="rerun",
                     selection_mode="single-row", key="evidence_table")
picked = event.selection.rows[0] if event.selection.rows else 0
r = table.iloc[picked]
st.subheader(literal(f"{r['区县']} · {r['指标']} · {r['数值']}（{r['时期']}）"))
st.caption(literal(f"来源：{r['来源文件']}，字符位置 {r['位置']}"))
st.html(highlighted(db.document_text(r["_doc"]), int(r["_start"]), int(r["_end"])))
st.download_button("导出证据包（XLSX）", lambda: evidence_pack(frames, list(view.districts), chosen, words),
                   "evidence_pack.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   key="evidence_xlsx")
