"""数据导入 Import: bring your own reports (preview, accept / reject / edit each figure, then
commit), corrections with who and why (undoable), reference figures. Nothing is written before
the reviewer confirms; a failed import leaves everything as it was."""
import hashlib

import pandas as pd
import streamlit as st

from etl import store
from etl.formats import why_empty
from etl.text import InputError
from ui import auth, db, state
from ui.widgets import literal

view = st.session_state["view"]
st.title("数据导入" if view.lang == "zh" else "Import")
if "import_done" in st.session_state:  # the change of the last rerun, now visible on every page
    st.success(literal(st.session_state.pop("import_done")))


def preview(name: str, data: bytes, district, period, doc_type):
    """The upload's preview (or its InputError), computed once per file and options in this
    session, not on every rerun (a 19 MB text took 42 s per rerun)."""
    key = (hashlib.sha256(data).hexdigest(), name, district, period, doc_type)
    cache = st.session_state.setdefault("import_previews", {})
    if key not in cache:
        cache.clear()  # one upload at a time: keep memory bounded
        try:
            cache[key] = store.preview(name, data, district, period, doc_type)
        except InputError as e:
            cache[key] = e
    return cache[key]


def done(message: str) -> None:
    """After a write: rerun so this page and the sidebar read the new warehouse generation."""
    st.session_state["import_done"] = message
    st.rerun()

if not auth.editor():
    st.stop()
who = st.text_input("操作人姓名（记录在每条修改中）", key="who")

st.subheader("1. 导入报告")
up = st.file_uploader("选择报告文件（.txt / .docx / .pdf / .html）", type=["txt", "docx", "pdf", "html", "htm"],
                      key="upload")
c1, c2, c3 = st.columns(3)
district = c1.text_input("区县（留空则自动识别）", key="imp_district") or None
period = c2.text_input("时期 YYYY 或 YYYY-YYYY（留空则自动识别）", key="imp_period") or None
doc_type = c3.selectbox("类型", ["", "annual_report", "multi_year_report", "plan"], key="imp_type",
                        format_func=lambda t: {"": "自动识别", "annual_report": "年度报告", "multi_year_report": "多年总结",
                                               "plan": "规划/方案"}[t]) or None
if up is not None:
    data = up.getvalue()
    p = preview(up.name, data, district, period, doc_type)
    if isinstance(p, InputError):
        st.error(literal(p))
        st.stop()
    st.write(f"识别结果：**{literal(p.meta.district or '未识别区县')}** · {literal(p.meta.period)} · {p.meta.doc_type} · "
             f"《{literal(p.meta.title)}》")
    rows = [{"采用": True, "类型": "实际" if kind == "actual" else "目标", "指标": m.indicator, "时期": m.period,
             "比较": m.comparator, "数值": m.value, "原文": p.ex.quote(m), "_kind": kind}
            for kind, items in (("actual", p.ex.facts), ("target", p.ex.targets)) for m in items]
    if not rows:
        st.warning(literal(f"文件中未找到任何指标数据 (no figures found)：{why_empty(up.name, data, p.raw)}"))
    review = st.data_editor(pd.DataFrame(rows), hide_index=True, key="review",
                            disabled=["类型", "指标", "时期", "比较", "原文", "_kind"],
                            column_config={"_kind": None}) if rows else pd.DataFrame(rows)
    new_district = False
    if p.meta.district and not store.known_district(p.meta.district):
        new_district = st.checkbox(f"「{literal(p.meta.district)}」不在已知区县名单中，确认作为新区县导入", key="confirm_new")
    reason = st.text_input("审核说明（记录在修改中）", value="导入审核", key="imp_reason")
    if st.button("确认导入", type="primary", key="do_import", disabled=not who.strip()):
        rejected = [(r["_kind"], r["指标"], r["时期"], r["比较"]) for r in review.to_dict("records") if not r["采用"]]
        orig = {(r["_kind"], r["指标"], r["时期"], r["比较"]): r["数值"] for r in rows}
        edits = {(r["_kind"], r["指标"], r["时期"], r["比较"]): float(r["数值"]) for r in review.to_dict("records")
                 if r["采用"] and pd.notna(r["数值"]) and r["数值"] != orig[(r["_kind"], r["指标"], r["时期"], r["比较"])]}
        try:
            added = store.add(up.name, data, district, period, doc_type, who=who, confirm_new_district=new_district,
                              rejected=rejected, edits=edits, reason=reason)
        except InputError as e:
            st.error(literal(e))
        else:
            done(added.message)
    if not who.strip():
        st.caption("请先填写操作人姓名。")

st.subheader("2. 修改或撤销")
frames = db.frames()
facts = frames.facts[frames.facts["district"].isin(view.districts)]  # a national warehouse: not 456,000 options
names = dict(zip(frames.indicators["id"], frames.indicators["name_zh"]))
st.caption("列出侧栏所选区县的数据；要修改其他区县的数据，请先在侧栏选择该区县。")
if facts.empty:
    st.info("所选区县没有数据可修改 (no figures for the selected districts)")
else:
    choice = st.selectbox("选择一条数据", facts.index, key="fix_pick", format_func=lambda i: (
        f"{facts.at[i, 'district']} · {names.get(facts.at[i, 'indicator'], facts.at[i, 'indicator'])} · "
        f"{facts.at[i, 'period']} · {facts.at[i, 'value']:g}"
        f"{'（已修改）' if facts.at[i, 'corrected'] else ''}"))
    f = facts.loc[choice]
    st.caption(literal(f"原文：「{f['quote']}」（{f['doc']}）"))
    c1, c2 = st.columns(2)
    new_value = c1.number_input("新数值", value=float(f["value"]) if pd.notna(f["value"]) else 0.0, key="fix_value")
    reject = c2.checkbox("此数据有误，删除（驳回）", key="fix_reject")
    fix_reason = st.text_input("修改原因", key="fix_reason")
    if st.button("保存修改", key="do_fix"):
        try:
            rec = store.correct("facts", f["doc"], f["indicator"], f["period"], who=who, reason=fix_reason,
                                value=None if reject else new_value, reject=reject,
                                before=None if pd.isna(f["value"]) else float(f["value"]))
        except InputError as e:
            st.error(literal(e))
        else:
            done(f"已记录修改 #{rec['id']} (correction stored)")
log = pd.DataFrame(store.read_corrections())
if len(log):
    state.show(view, log, hide_index=True)
    undo_id = st.number_input("撤销修改编号", min_value=1, step=1, key="undo_id")
    if st.button("撤销", key="do_undo"):
        try:
            store.undo(int(undo_id), who=who or "未署名")
        except InputError as e:
            st.error(literal(e))
        else:
            done(f"已撤销修改 #{int(undo_id)} (correction undone)")

st.subheader("3. 参照数据（全市平均等）")
st.download_button("下载模板 CSV", store.reference_template().encode("utf-8-sig"), "reference_template.csv",
                   "text/csv", key="ref_template")
ref = st.file_uploader("上传参照数据 CSV", type=["csv"], key="ref_upload")
if ref is not None and st.button("写入参照数据", key="do_ref"):
    try:
        n = store.add_reference(ref.getvalue())
    except InputError as e:
        st.error(literal(e))
    else:
        done(f"已写入 {n} 条参照数据 (reference rows stored)")
