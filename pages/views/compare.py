"""区县对比 Compare: one indicator across districts (Wilson intervals where counts exist,
statistically tied districts grouped, comparability footnotes) and a district × indicator heatmap."""
import pandas as pd
import streamlit as st

from metrics import compare
from ui import charts, db, state
from ui.text import term
from ui.widgets import doc_label, literal, value_text

view = state.view()
frames = db.frames()
st.title(view.t("title.compare"))
ids, names = state.measured(frames, view)
wanted = st.query_params.get("indicator", "online_service_rate")
if wanted not in ids:
    if "indicator" in st.query_params:
        st.warning(view.t("unknown_indicator", value=literal(repr(wanted))))
    wanted = ids[0]
st.session_state.setdefault("compare_indicator", wanted)
if st.session_state["compare_indicator"] not in ids:
    st.session_state["compare_indicator"] = wanted
indicator = st.selectbox(view.t("indicator"), ids, format_func=names.get, key="compare_indicator")
st.query_params["indicator"] = indicator
meta = frames.indicator(indicator)
period = None if view.period == "latest" else view.period
c = db.metric(compare.compare_districts, indicator, period, list(view.districts))
shown = c.dropna(subset=["value"])


def localised(df: pd.DataFrame) -> pd.DataFrame:
    """Scope, notes and sources in the view's language (the chart and the table read these)."""
    return df.assign(scope_tag=[term(view.lang, s) for s in df["scope_tag"]], flags=[view.note(f) for f in df["flags"]],
                     doc=[doc_label(frames, d, view.lang) for d in df["doc"]])


if shown.empty:
    st.info(view.t("no_selection_data"))
else:
    st.altair_chart(charts.compare_chart(localised(shown), meta, view.lang, view.present), width="stretch")
    pct = lambda x: value_text(x, meta, view.lang)
    table = localised(c).assign(
        shown=[value_text(v, meta, view.lang, q) for v, q in zip(c["value"], c["qualifier"])],
        counts=[f"{int(k):,} / {int(n):,}" if pd.notna(k) else "" for k, n in zip(c["k"], c["n"])],
        ci=[view.t("fmt.range", lo=pct(a), hi=pct(b)) if pd.notna(a) else "" for a, b in zip(c["ci_low"], c["ci_high"])])
    counted = shown["k"].notna().any()   # rates given with counts only
    state.show(view, table, {"district": "col.district", "shown": "col.value", "period": "col.period",
                             "scope_tag": "col.scope", "rank": "col.rank", "group": "col.group",
                             **({"counts": "col.counts", "ci": "col.ci"} if counted else {}),
                             "flags": "col.comparability", "quote": "col.quote", "doc": "col.source"},
               download=f"compare_{indicator}", key="compare",
               brief=["district", "shown", "period", "scope_tag", "rank", "group", "flags"])
    ranked = shown[shown["ranked"]]
    notes = ([view.t("compare.ranked", set=term(view.lang, ranked["comparable_set"].iloc[0]), n=len(ranked))]
             if len(ranked) else [view.t("compare.unranked")])
    if meta["direction"] == "neutral":
        notes = [view.t("compare.neutral")]
    missing = c.loc[c["value"].isna(), "district"].tolist()
    if missing:
        notes.append(view.t("compare.missing", districts=view.t("sep").join(missing)))
    if ranked["k"].notna().sum() >= 2:
        notes.append(view.t("compare.fisher"))
    for n in notes:
        st.caption(literal(n))

st.subheader(view.t("compare.heatmap"))
h = db.metric(compare.heatmap_frame, list(view.districts), ids, period)
h = h[h["direction"] != "neutral"]
if h.empty:
    st.info(view.t("no_data"))
else:
    h = h.assign(name=h["indicator"].map(state.names(frames, view)), scope_tag=[term(view.lang, s) for s in h["scope_tag"]],
                 flags=[view.note(f) for f in h["flags"]])
    st.altair_chart(charts.heatmap_chart(h, view.lang, view.present), width="stretch")
    st.caption(view.t("compare.heatmap_note"))
