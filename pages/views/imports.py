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
from ui.text import bilingual
from ui.widgets import doc_label, literal, unit_label, value_text

view = state.view()
st.title(view.t("page.import"))
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
who = st.text_input(view.t("import.who"), key="who")

st.subheader(view.t("import.reports"))
ups = st.file_uploader(view.t("import.uploader"),
                       type=["txt", "docx", "pdf", "html", "htm"], accept_multiple_files=True,
                       key=f"upload_{st.session_state.get('upload_round', 0)}")  # a new key empties it after an import
st.caption(view.t("import.uploader_help"))
single = len(ups or []) <= 1
c1, c2, c3 = st.columns(3)
district = c1.text_input(view.t("import.district"), key="imp_district", disabled=not single) or None
period = c2.text_input(view.t("import.period"), key="imp_period", disabled=not single) or None
doc_type = c3.selectbox(view.t("col.doc_type"), ["", "annual_report", "multi_year_report", "plan"], key="imp_type",
                        disabled=not single, format_func=lambda t: view.label("doc_type", t or "auto")) or None
KEY = ["_kind", "_indicator", "period", "_comparator"]
names = state.names(db.frames(), view)
units = dict(zip(db.frames().indicators["id"], db.frames().indicators["unit"]))
accepted, previews = [], []
seen = set()
for i, up in enumerate(ups or []):
    data = up.getvalue()
    options = dict(district=district, period=period, doc_type=doc_type) if single else {}
    confirm = st.session_state.get(f"confirm_new_{i}", False)
    key, p = checked(store.Upload(up.name, data, confirm_new_district=confirm, **options))
    seen.add(key)
    if isinstance(p, InputError):
        with st.expander(view.t("import.refused", name=up.name), expanded=True):
            st.error(literal(p))
            if "不在已知区县名单中" in str(p):
                st.checkbox(view.t("import.confirm_new"), key=f"confirm_new_{i}")
        continue
    rows = [{"take": True, "kind": view.label("kind", kind), "indicator": names.get(m.indicator, m.indicator),
             "period": m.period, "comparator": view.label("cmp", m.comparator), "value": m.value,
             "unit": unit_label(units.get(m.indicator, ""), view.lang), "quote": p.ex.quote(m), "_kind": kind,
             "_indicator": m.indicator, "_comparator": m.comparator}
            for kind, items in (("actual", p.ex.facts), ("target", p.ex.targets)) for m in items]
    with st.expander(view.t("import.preview", name=up.name, district=p.meta.district, period=p.meta.period,
                            facts=len(p.ex.facts), targets=len(p.ex.targets)), expanded=single):
        st.write(view.t("import.detected", district=literal(p.meta.district), period=literal(p.meta.period),
                        type=view.label("doc_type", p.meta.doc_type), title=literal(p.meta.title)))
        if not rows:
            why = why_empty(up.name, data, p.raw, held=len(p.ex.mentions) + len(p.ex.flags))
            st.warning(literal(view.t("import.no_figures", why=bilingual(view.lang, why))))
        take = st.checkbox(view.t("import.take"), value=True, key=f"take_{i}")
        review = st.data_editor(pd.DataFrame(rows), hide_index=True, key=f"review_{i}",
                                disabled=["kind", "indicator", "period", "comparator", "unit", "quote"],
                                column_config={"_kind": None, "_indicator": None, "_comparator": None,
                                               "take": view.t("col.take"), "kind": view.t("col.kind"),
                                               "indicator": view.t("col.indicator"), "period": view.t("col.period"),
                                               "comparator": view.t("col.comparator"),
                                               "value": st.column_config.NumberColumn(view.t("col.value_editable")),
                                               "unit": view.t("col.unit"), "quote": view.t("col.quote")}
                                ) if rows else pd.DataFrame(rows)
    if take:
        orig = {tuple(r[k] for k in KEY): r["value"] for r in rows}
        records = review.to_dict("records")
        accepted.append(store.Upload(
            up.name, data, confirm_new_district=confirm, **options,
            rejected=tuple(tuple(r[k] for k in KEY) for r in records if not r["take"]),
            edits={tuple(r[k] for k in KEY): float(r["value"]) for r in records
                   if r["take"] and pd.notna(r["value"]) and r["value"] != orig[tuple(r[k] for k in KEY)]}))
        previews.append(p)  # the bounded child's preview: committing does not extract again in this process
for stale in set(st.session_state.get("import_previews", {})) - seen:  # previews of files no longer selected
    del st.session_state["import_previews"][stale]
if ups:
    reason = st.text_input(view.t("import.reason"), value=view.t("import.reason_default"), key="imp_reason")
    if st.button(view.t("import.do", n=len(accepted)), type="primary", key="do_import",
                 disabled=not who.strip() or not accepted):
        try:
            added = store.add_many(accepted, who=who, reason=reason, previews=previews)
        except InputError as e:
            st.error(literal(e))
        else:
            st.session_state["upload_round"] = st.session_state.get("upload_round", 0) + 1
            st.session_state.pop("import_previews", None)
            done("\n\n".join(view.t("import.added", name=a.original_name, district=a.district, period=a.period,
                                        facts=a.n_facts, targets=a.n_targets) for a in added))
    if not who.strip():
        st.caption(view.t("import.who_first"))

st.subheader(view.t("import.corrections"))
frames = db.frames()
facts = frames.facts_of(view.districts)  # a national warehouse: not 456,000 options
meta = {i: frames.indicator(i) for i in frames.indicators["id"]}
st.caption(view.t("import.corrections_help"))
if facts.empty:
    st.info(view.t("import.no_facts"))
else:
    labels = {i: f"{d} · {names.get(ind, ind)} · {p} · "   # built once: a lookup per option (thousands) was most of the page
                 f"{value_text(v, meta.get(ind, {'unit': '', 'decimals': 2}), view.lang, q)}"
                 f"{view.t('import.corrected') if c else ''}"
              for i, d, ind, p, v, q, c in zip(facts.index, *(facts[k].tolist() for k in (
                  "district", "indicator", "period", "value", "qualifier", "corrected")))}
    choice = st.selectbox(view.t("import.pick"), facts.index, key="fix_pick", format_func=labels.get)
    f = facts.loc[choice]
    st.caption(literal(view.t("import.quote", quote=f["quote"], source=doc_label(frames, f["doc"], view.lang))))
    c1, c2 = st.columns(2)
    new_value = c1.number_input(view.t("import.new_value", unit=unit_label(f["unit"], view.lang)),
                                value=float(f["value"]) if pd.notna(f["value"]) else 0.0, key="fix_value")
    reject = c2.checkbox(view.t("import.reject"), key="fix_reject")
    fix_reason = st.text_input(view.t("import.fix_reason"), key="fix_reason")
    if st.button(view.t("import.save"), key="do_fix"):
        try:
            rec = store.correct("facts", f["doc"], f["indicator"], f["period"], who=who, reason=fix_reason,
                                value=None if reject else new_value, reject=reject,
                                before=None if pd.isna(f["value"]) else float(f["value"]))
        except InputError as e:
            st.error(literal(e))
        else:
            done(view.t("import.saved", id=rec["id"]))
log = pd.DataFrame(store.read_corrections())
if len(log):
    log = log.assign(action_text=[view.label("action", a) for a in log["action"]],
                     table_text=[view.label("tbl", x) for x in log["tbl"]],
                     name=log["indicator"].map(names).fillna(log["indicator"]),
                     made=log["made_at"].astype(str).str[:16].str.replace("T", " "),
                     source=[doc_label(frames, d, view.lang) for d in log["doc"]],
                     active_text=log["active"].map({True: view.t("yes"), False: view.t("no")}) if "active" in log else "")
    state.show(view, log, {"id": "col.correction_id", "made": "col.made_at", "who": "col.who", "action_text": "col.action",
                           "table_text": "col.table", "source": "col.source", "name": "col.indicator",
                           "period": "col.period", "before": "col.before", "after": "col.after", "reason": "col.fix_reason",
                           "active_text": "col.active"}, download="corrections", key="corrections")
    undo_id = st.number_input(view.t("import.undo_id"), min_value=1, step=1, key="undo_id")
    if st.button(view.t("import.undo"), key="do_undo"):
        try:
            store.undo(int(undo_id), who=who or view.t("import.anonymous"))
        except InputError as e:
            st.error(literal(e))
        else:
            done(view.t("import.undone", id=int(undo_id)))

st.subheader(view.t("import.reference"))
st.caption(view.t("import.reference_help"))
st.download_button(view.t("import.template"), store.reference_template().encode("utf-8-sig"), "reference_template.csv",
                   "text/csv", key="ref_template")
ref = st.file_uploader(view.t("import.reference_upload"), type=["csv"], key="ref_upload")
if ref is not None and st.button(view.t("import.reference_do"), key="do_ref"):
    try:
        n = store.add_reference(ref.getvalue())
    except InputError as e:
        st.error(literal(e))
    else:
        done(view.t("import.reference_done", n=n))
