"""数据 Data: documents, a coverage matrix (indicator × district and period, each cell the figure),
flags and mentions not used."""
import pandas as pd
import streamlit as st

from etl.schema import status_text
from metrics.data import coverage_grid
from ui import db, state
from ui.state import Header
from ui.text import bilingual, term
from ui.widgets import doc_label, value_texts

view = state.view()
frames = db.frames()
st.title(view.t("page.data"))
names = state.names(frames, view)
meta = {i: frames.indicator(i) for i in frames.indicators["id"]}
other = {"unit": "", "decimals": 2}   # an indicator missing from the catalog
values_of = lambda vs, ids, qs=None: value_texts(vs, [meta.get(i, other) for i in ids], view.lang, qs)
sources = lambda docs: docs.map({d: doc_label(frames, d, view.lang) for d in docs.unique()})   # once per document

st.subheader(view.t("data.documents"))
docs = frames.documents[frames.documents["district"].isin(view.districts)]
state.show(view, docs.assign(type=[view.label("doc_type", t) for t in docs["doc_type"]]),
           {"title": "col.title", "district": "col.district", "type": "col.doc_type", "period": "col.period",
            "doc_date": "col.doc_date", "n_chars": "col.n_chars", "encoding": "col.encoding", "doc": "col.file"},
           download="documents", key="docs", brief=["title", "district", "type", "period"])
dropped = db.table("dropped")
if len(dropped):
    st.error(view.t("data.dropped", n=len(dropped)))
    state.show(view, dropped.assign(message=[bilingual(view.lang, m) for m in dropped["message"]]),
               {"doc": "col.file", "message": "col.reason"})

st.subheader(view.t("data.coverage"))
f = frames.best_of(view.districts)
if f.empty:
    st.info(view.t("no_data"))
else:
    ind = f["indicator"].tolist()
    cells = values_of(f["value"].tolist(), ind, f["qualifier"].tolist())
    cov = coverage_grid(ind, [f"{d} {p}" for d, p in zip(f["district"].tolist(), f["period"].tolist())], cells,
                        {i: k for k, i in enumerate(frames.indicators["id"])})
    cov = cov.assign(indicator=cov["indicator"].map(names))
    state.show(view, cov, {"indicator": "col.indicator", **{c: Header(c) for c in cov.columns if c != "indicator"}},
               download="coverage", key="coverage")
t = frames.targets_of(view.districts)
st.caption(view.t("data.coverage_note", n=len(t), targets=view.t("page.targets")))

st.subheader(view.t("data.flags"))
flags = db.table("flags", view.districts)
if flags.empty:
    st.info(view.t("data.no_flags"))
else:
    state.show(view, flags.assign(name=flags["indicator"].map(names), kind_text=[view.label("flag", k) for k in flags["kind"]],
                                  why=[bilingual(view.lang, m) for m in flags["message"]], source=sources(flags["doc"])),
               {"district": "col.district", "period": "col.period", "name": "col.indicator", "kind_text": "col.flag_kind",
                "why": "col.note", "quote": "col.quote", "source": "col.source"}, download="flags", key="flags",
               brief=["district", "period", "name", "kind_text", "why"])
st.subheader(view.t("data.superseded"))
sup = db.table("superseded", view.districts)
if sup.empty:
    st.info(view.t("no_data"))
else:
    state.show(view, sup.assign(
        kind_text=[view.label("kind", k) for k in sup["kind"]], name=sup["indicator"].map(names),
        shown=values_of(sup["value"].tolist(), sup["indicator"].tolist()),
        scope_text=[term(view.lang, s) for s in sup["scope"]],
        status_text=[status_text(s, term(view.lang, d), view.lang)     # no status_detail: a warehouse of an older version
                     for s, d in zip(sup["status"], sup.get("status_detail", [""] * len(sup)))],
        source=sources(sup["doc"])),
        {"district": "col.district", "period": "col.period", "kind_text": "col.kind", "name": "col.indicator",
         "shown": "col.value", "scope_text": "col.scope", "quote": "col.quote", "status_text": "col.mention_status",
         "source": "col.source"}, download="mentions_not_used", key="mentions",
        brief=["district", "period", "name", "shown", "status_text"])
st.caption(view.t("data.superseded_note"))
