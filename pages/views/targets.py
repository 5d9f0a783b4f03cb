"""目标 Targets: target-versus-actual bullet charts and a status table with gap, deadline and
projection; the standard is selectable (own plan / another district's plan / custom thresholds)."""
import pandas as pd
import streamlit as st

from metrics import targets
from ui import charts, db, state
from ui.text import term
from ui.widgets import delta_text, doc_label, value_texts

view = state.view()
frames = db.frames()
st.title(view.t("page.targets"))
names = state.names(frames, view)
ids_by_name = {v: k for k, v in names.items()}
planners = list(frames.planning)
choice = st.radio(view.t("targets.standard"), ["own", "plan", "custom"], horizontal=True, key="standard_kind",
                  format_func=lambda k: view.label("standard", k))
standard = None
CMP = {"≥": ">=", "≤": "<=", "=": "="}
if choice == "plan":
    standard = st.selectbox(view.t("targets.which_plan"), planners,
                            index=planners.index("綦江区") if "綦江区" in planners else 0, key="standard_plan")
elif choice == "custom":
    default = pd.DataFrame([{"indicator": names["online_service_rate"], "comparator": "≥", "value": 80.0,
                             "period": "2021-2025"},
                            {"indicator": names["litigation_loss_rate"], "comparator": "≤", "value": 5.0,
                             "period": "2021-2025"}])
    edited = st.data_editor(default, num_rows="dynamic", key="custom_thresholds", hide_index=True, column_config={
        "indicator": st.column_config.SelectboxColumn(view.t("col.indicator"), options=list(names.values()),
                                                      required=True),
        "comparator": st.column_config.SelectboxColumn(view.t("col.comparator"), options=list(CMP), required=True),
        "value": st.column_config.NumberColumn(view.t("col.threshold"), required=True,
                                               help=view.t("targets.threshold_help")),
        "period": st.column_config.TextColumn(view.t("col.applies"), help=view.t("targets.period_help"))})
    edited = edited.dropna(subset=["indicator", "comparator", "value"])
    standard = edited.assign(indicator=edited["indicator"].map(ids_by_name), comparator=edited["comparator"].map(CMP))
years = list(frames.years)
as_of = st.selectbox(view.t("targets.as_of"), ["own", *years], key="targets_as_of",
                     format_func=lambda y: view.t("targets.own_year") if y == "own" else view.t("targets.year", year=y),
                     help=view.t("targets.as_of_help"))
as_of = None if as_of == "own" else as_of
status = (db.metric(targets.target_status, districts=list(view.districts), standard=standard, as_of=as_of)
          if not isinstance(standard, pd.DataFrame) else
          targets.target_status(frames, districts=list(view.districts), standard=standard, as_of=as_of))
if status.empty:
    st.info(view.t("targets.none"))
    st.stop()
counts = status["status"].value_counts()
cols = st.columns(len(targets.STATUSES))
for col, s in zip(cols, targets.STATUSES):
    col.metric(view.label("status", s), int(counts.get(s, 0)))
meta = {i: frames.indicator(i) if i in names else {"unit": u, "decimals": 2}
        for i, u in zip(status["indicator"], status["unit"])}
metas = [meta[i] for i in status["indicator"]]
status = status.assign(
    name=status["indicator"].map(names).fillna(status["name_zh"]),
    actual_text=value_texts(status["actual_value"].tolist(), metas, view.lang, status["actual_qualifier"].tolist()),
    target_text=[f"{view.label('cmp', c)} {x}" if pd.notna(v) else f"{view.label('cmp', c)} {term(view.lang, r)}"
                 for c, v, x, r in zip(status["comparator"], status["target_value"],
                                       value_texts(status["target_value"].tolist(), metas, view.lang), status["reference"])],
    status_text=[view.label("status", s) for s in status["status"]],
    met=[view.label("met", m) if isinstance(m, bool) else "" for m in status["met_by_deadline"]],
    gap_text=[delta_text(g, meta[i], view.lang) for g, i in zip(status["gap"], status["indicator"])],
    projected=value_texts(status["projected_value"].tolist(), metas, view.lang),
    scope=[term(view.lang, s) for s in status["actual_scope"]],
    projection=[view.note(n) for n in status["projection_note"]], why=[view.note(n) for n in status["note"]],
    source=status["target_doc"].map({d: doc_label(frames, d, view.lang) for d in status["target_doc"].unique()}))
judged = status[status["actual_value"].notna() & status["target_value"].notna()]
if len(judged):
    st.altair_chart(charts.bullet_chart(judged.assign(target_source=judged["source"]), view.lang, view.present),
                    width="stretch")
state.show(view, status, {
    "district": "col.district", "as_of": "col.as_of", "target_district": "col.target_of", "name": "col.indicator",
    "target_text": "col.target", "target_period": "col.target_period", "deadline": "col.deadline",
    "actual_text": "col.actual", "actual_period": "col.actual_period", "scope": "col.actual_scope",
    "status_text": "col.status", "met": "col.met_by_deadline", "gap_text": "col.gap", "projected": "col.projected",
    "projected_year_reached": "col.year_reached", "projection": "col.projection_note", "why": "col.note",
    "source": "col.target_source", "target_quote": "col.target_quote"}, download="target_status", key="targets",
    brief=["district", "name", "target_text", "deadline", "actual_text", "actual_period", "status_text", "gap_text"])
st.caption(view.t("targets.note"))
