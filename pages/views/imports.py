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


def checked(upload: store.Upload):
    """The upload's check (its Processed preview, or the InputError that refuses it), computed
    once per file and options in this session, not on every rerun (a 19 MB text took 42 s per
    rerun)."""
    key = (hashlib.sha256(upload.data).hexdigest(), upload.name, upload.district, upload.period, upload.doc_type,
           upload.confirm_new_district)
    cache = st.session_state.setdefault("import_previews", {})
    if key not in cache:
        try:
            cache[key] = store.check_isolated(upload)  # in a child process with bounded memory and time
        except InputError as e:
            cache[key] = e
    return key, cache[key]


def done(message: str) -> None:
    """After a write: rerun so this page and the sidebar read the new warehouse generation."""
    st.session_state["import_done"] = message
    st.rerun()

if not auth.editor():
    st.stop()
who = st.text_input("操作人姓名（记录在每条修改中）", key="who")

st.subheader("1. 导入报告")
ups = st.file_uploader("选择一个或多个报告文件（.txt / .docx / .pdf / .html，每个不超过 20 MB）",
                       type=["txt", "docx", "pdf", "html", "htm"], accept_multiple_files=True,
                       key=f"upload_{st.session_state.get('upload_round', 0)}")  # a new key empties it after an import
st.caption("可一次选择同一批的多份报告；每份文件分别预览，确认后一起导入（全部成功或全部不导入）。"
           "区县、时期、类型留空则从正文识别；只上传一份时可在下方指定。")
single = len(ups or []) <= 1
c1, c2, c3 = st.columns(3)
district = c1.text_input("区县（留空则自动识别）", key="imp_district", disabled=not single) or None
period = c2.text_input("时期 YYYY 或 YYYY-YYYY（留空则自动识别）", key="imp_period", disabled=not single) or None
doc_type = c3.selectbox("类型", ["", "annual_report", "multi_year_report", "plan"], key="imp_type", disabled=not single,
                        format_func=lambda t: {"": "自动识别", "annual_report": "年度报告", "multi_year_report": "多年总结",
                                               "plan": "规划/方案"}[t]) or None
KEY = ["_kind", "指标", "时期", "比较"]
accepted = []
seen = set()
for i, up in enumerate(ups or []):
    data = up.getvalue()
    options = dict(district=district, period=period, doc_type=doc_type) if single else {}
    confirm = st.session_state.get(f"confirm_new_{i}", False)
    key, p = checked(store.Upload(up.name, data, confirm_new_district=confirm, **options))
    seen.add(key)
    if isinstance(p, InputError):
        with st.expander(f"✗ {up.name}：未能导入", expanded=True):
            st.error(literal(p))
            if "不在已知区县名单中" in str(p):
                st.checkbox("确认作为新区县导入", key=f"confirm_new_{i}")
        continue
    rows = [{"采用": True, "类型": "实际" if kind == "actual" else "目标", "指标": m.indicator, "时期": m.period,
             "比较": m.comparator, "数值": m.value, "原文": p.ex.quote(m), "_kind": kind}
            for kind, items in (("actual", p.ex.facts), ("target", p.ex.targets)) for m in items]
    with st.expander(f"{up.name}：{p.meta.district} · {p.meta.period} · {len(p.ex.facts)} 条数据、"
                     f"{len(p.ex.targets)} 条目标", expanded=single):
        st.write(f"识别结果：**{literal(p.meta.district)}** · {literal(p.meta.period)} · {p.meta.doc_type} · "
                 f"《{literal(p.meta.title)}》")
        if not rows:
            st.warning(literal(f"文件中未找到任何指标数据 (no figures found)：{why_empty(up.name, data, p.raw)}"))
        take = st.checkbox("导入此文件", value=True, key=f"take_{i}")
        review = st.data_editor(pd.DataFrame(rows), hide_index=True, key=f"review_{i}",
                                disabled=["类型", "指标", "时期", "比较", "原文", "_kind"],
                                column_config={"_kind": None}) if rows else pd.DataFrame(rows)
    if take:
        orig = {tuple(r[k] for k in KEY): r["数值"] for r in rows}
        records = review.to_dict("records")
        accepted.append(store.Upload(
            up.name, data, confirm_new_district=confirm, **options,
            rejected=tuple(tuple(r[k] for k in KEY) for r in records if not r["采用"]),
            edits={tuple(r[k] for k in KEY): float(r["数值"]) for r in records
                   if r["采用"] and pd.notna(r["数值"]) and r["数值"] != orig[tuple(r[k] for k in KEY)]}))
for stale in set(st.session_state.get("import_previews", {})) - seen:  # previews of files no longer selected
    del st.session_state["import_previews"][stale]
if ups:
    reason = st.text_input("审核说明（记录在修改中）", value="导入审核", key="imp_reason")
    if st.button(f"确认导入 {len(accepted)} 份文件", type="primary", key="do_import",
                 disabled=not who.strip() or not accepted):
        try:
            added = store.add_many(accepted, who=who, reason=reason)
        except InputError as e:
            st.error(literal(e))
        else:
            st.session_state["upload_round"] = st.session_state.get("upload_round", 0) + 1
            st.session_state.pop("import_previews", None)
            done("\n\n".join(a.message for a in added))
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
