"""总览 Overview: per district, cards for the headline indicators: latest value and its period,
change against the previous comparable period, target status."""
import pandas as pd
import streamlit as st

from metrics import compare, targets
from ui import db, state
from ui.brief import brief_html
from ui.brief_docx import MIME, brief_docx
from ui.text import term
from ui.widgets import delta_style, delta_text, doc_label, literal, value_text

view = state.view()
frames = db.frames()
st.title(view.t("page.overview"))
headline = frames.indicators[frames.indicators["headline"]]
period = None if view.period == "latest" else view.period
latest = {i: db.metric(compare.compare_districts, i, period, list(view.districts)).dropna(subset=["value"])
          .set_index("district") for i in headline["id"]}
status = {k: g for k, g in db.metric(targets.target_status, districts=list(view.districts))
          .groupby(["district", "indicator"])}
changes = {k: g for k, g in db.metric(compare.changes, list(headline["id"]), list(view.districts))
           .groupby(["district", "indicator"])}
no_targets = pd.DataFrame(columns=["status", "comparator", "target_value", "target_period"])
no_changes = pd.DataFrame(columns=compare.CHANGE_COLUMNS)
ICON = {"达标": "● ", "逾期达标": "◐ ", "未达标": "▲ "}
scope = lambda s: term(view.lang, s)

for district in view.districts:
    st.subheader(literal(district))
    st.download_button(view.t("overview.brief"), lambda d=district: brief_html(frames, d, period).encode("utf-8"),
                       f"brief_{district}.html", "text/html", key=f"brief-{district}")
    st.download_button(view.t("overview.brief_docx"), lambda d=district: brief_docx(frames, d, period),
                       f"brief_{district}.docx", MIME, key=f"brief-docx-{district}")
    if district not in frames.reporting:
        n = int((frames.targets["district"] == district).sum())
        st.caption(view.t("overview.only_targets", n=n, targets=view.t("page.targets"), imports=view.t("page.import")))
        continue
    cols = st.columns(len(headline))
    for col, (_, meta) in zip(cols, headline.iterrows()):
        name = view.name(meta)
        if district not in latest[meta["id"]].index:
            col.metric(name, "—", help=view.t("no_data"))
            continue
        r = latest[meta["id"]].loc[district]
        ch = changes.get((district, meta["id"]), no_changes)
        ch = ch[ch["to_period"] == r["period"]]
        delta, style, note = None, {}, ""
        if len(ch) and ch.iloc[-1]["comparable"]:
            c = ch.iloc[-1]
            delta = view.t("overview.delta", delta=delta_text(c["delta_points"], meta, view.lang), since=c["from_period"])
            style = delta_style(c["delta_points"], meta["direction"])
        elif len(ch):
            note = "\n\n" + view.t("overview.change_note", note=view.note(ch.iloc[-1]["flag"]))
        st_rows = status.get((district, meta["id"]), no_targets)
        target_line = view.t("list_sep").join(
            view.t("overview.target", status=ICON.get(s, "") + view.label("status", s), cmp=view.label("cmp", c),
                   value=value_text(v, meta, view.lang), period=p)
            for s, c, v, p in zip(st_rows["status"], st_rows["comparator"], st_rows["target_value"], st_rows["target_period"])
        ) or view.t("overview.no_target")
        span = view.t("overview.cumulative") if r["span_kind"] == "cumulative" else ""
        flags = view.note("；".join(x for x in r["flags"].split("；") if x and x != r["rank_note"]))
        col.metric(name, value_text(r["value"], meta, view.lang, r["qualifier"]), delta=delta, **style,
                   help=view.t("overview.help", quote=literal(r["quote"]),
                               source=literal(doc_label(frames, r["doc"], view.lang)),
                               period=r["period"] + span, scope=scope(r["scope_tag"]), targets=target_line) + note
                   + ("\n\n" + view.t("overview.flags", flags=flags) if flags else ""))
        col.caption(f"{r['period']} · {scope(r['scope_tag'])} · {target_line}")
