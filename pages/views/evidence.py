"""证据 Evidence: every figure with its document, quote and highlighted surrounding text;
search by district, indicator or words; export the evidence pack (XLSX)."""
import pandas as pd
import streamlit as st

from ui import db, state
from ui.evidence_pack import evidence_pack
from ui.text import term
from ui.widgets import doc_label, highlighted, literal, value_texts

view = state.view()
frames = db.frames()
st.title(view.t("page.evidence"))
names = state.names(frames, view)
inds = state.indicators_in(frames, view)
c1, c2 = st.columns([1, 2])
chosen = c1.multiselect(view.t("indicator"), list(inds["id"]), format_func=lambda i: names.get(i, i),
                        key="evidence_indicators", placeholder=view.t("choose"))
words = c2.text_input(view.t("evidence.search"), key="evidence_words")
facts = frames.facts_of(view.districts).assign(kind="actual")
tgts = frames.targets_of(view.districts).assign(
    kind="target", fact_id=None, derived=False, formula="", corrected=False)
rows = []
for df in (facts, tgts):
    df = df.assign(name=df["indicator"].map(names).fillna(df["indicator"]),
                   name_zh=df["indicator"].map(dict(zip(frames.indicators["id"], frames.indicators["name_zh"]))))
    if chosen:
        df = df[df["indicator"].isin(chosen)]
    if words:
        df = df[df["quote"].str.contains(words, regex=False) | df["name"].str.contains(words, regex=False)
                | df["name_zh"].fillna("").str.contains(words, regex=False)]
    rows.append(df)
meta = frames.indicators.set_index("id").to_dict("index")
table = {k: [] for k in ("kind", "district", "name", "shown", "period", "quote", "source", "formula", "correction",
                         "_doc", "_start", "_end")}
sources = {}   # document → its label, worked out once per document
for df in rows:   # whole columns, not a dict per row: a selection has thousands of figures
    col = lambda c, default="": df[c].tolist() if c in df else [default] * len(df)
    ind, ref = col("indicator"), col("reference")
    metas = [meta[i] if i in meta else {"unit": u, "decimals": 2} for i, u in zip(ind, col("unit"))]
    shown = [s if ok else view.t("evidence.relative", reference=term(view.lang, r)) for s, ok, r in
             zip(value_texts(col("value"), metas, view.lang, col("qualifier", None)), df["value"].notna().tolist(), ref)]
    shown = [f"{view.label('cmp', c)} {s}" if k == "target" else s for k, c, s in zip(col("kind"), col("comparator"), shown)]
    docs = col("doc")
    for d in docs:
        if d not in sources:
            sources[d] = doc_label(frames, d, view.lang)
    for k, xs in zip(table, ([view.label("kind", k) for k in col("kind")], col("district"), col("name"), shown,
                             col("period"), col("quote"), [sources[d] for d in docs],
                             [f if der else "" for f, der in zip(col("formula"), col("derived", False))],
                             [c if cor else "" for c, cor in zip(col("correction"), col("corrected", False))],
                             docs, col("start"), col("end"))):
        table[k].extend(xs)
table = pd.DataFrame(table) if table["kind"] else pd.DataFrame()
if table.empty:
    st.info(view.t("evidence.nothing"))
    st.stop()
st.caption(view.t("evidence.count", n=len(table)))
event = state.show(view, table, {"kind": "col.kind", "district": "col.district", "name": "col.indicator",
                                 "shown": "col.value", "period": "col.period", "quote": "col.quote",
                                 "source": "col.source", "formula": "col.formula", "correction": "col.correction"},
                   on_select="rerun", selection_mode="single-row", key="evidence_table")
picked = event.selection.rows[0] if event.selection.rows else 0
r = table.iloc[picked]
st.subheader(literal(f"{r['district']} · {r['name']} · {r['shown']}（{r['period']}）" if view.lang == "zh" else
                     f"{r['district']} · {r['name']} · {r['shown']} ({r['period']})"))
st.caption(literal(view.t("evidence.source", source=r["source"])))
st.html(highlighted(db.document_text(r["_doc"]), int(r["_start"]), int(r["_end"])))
st.download_button(view.t("evidence.pack"), lambda: evidence_pack(frames, list(view.districts), chosen, words),
                   "evidence_pack.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   key="evidence_xlsx")
