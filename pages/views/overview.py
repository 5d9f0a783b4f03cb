"""总览 Overview: per district, cards for the headline indicators: latest value and its period,
change against the previous comparable period, target status."""
import streamlit as st

from metrics import compare, targets
from metrics.data import records
from ui import db, state
from ui.brief import brief_html
from ui.brief_docx import MIME, brief_docx
from ui.text import term
from ui.widgets import delta_style, delta_text, doc_label, literal, value_text

view = state.view()
frames = db.frames()
st.title(view.t("page.overview"))
headline = records(frames.indicators[frames.indicators["headline"]])
period = None if view.period == "latest" else view.period
# plain lookups of the (cached) results: a groupby or a row lookup of a frame per card cost more than the metrics
ids = [m["id"] for m in headline]
c = db.metric(compare.compare_indicators, ids, period, list(view.districts), groups=False)  # letters unused
latest = {(r["indicator"], r["district"]): r for r in records(c[c["value"].notna()], [  # (indicator, district) → figure
    "district", "indicator", "period", "span_kind", "value", "qualifier", "scope_tag", "rank_note", "flags", "doc",
    "quote"])}
status = {}   # (district, indicator) → its targets' rows
for r in records(db.metric(targets.target_status, districts=list(view.districts), indicators=ids),
                 ["district", "indicator", "status", "comparator", "target_value", "target_period"]):
    status.setdefault((r["district"], r["indicator"]), []).append(r)
changes = {}  # (district, indicator, to_period) → the last change into that period
for r in records(db.metric(compare.changes, ids, list(view.districts)),
                 ["district", "indicator", "from_period", "to_period", "delta_points", "comparable", "flag"]):
    changes[(r["district"], r["indicator"], r["to_period"])] = r
ICON = {"达标": "● ", "逾期达标": "◐ ", "未达标": "▲ "}
scope = lambda s: term(view.lang, s)

for district in view.districts:
    st.subheader(literal(district))
    st.download_button(view.t("overview.brief"), lambda d=district: brief_html(frames, d, period).encode("utf-8"),
                       f"brief_{district}.html", "text/html", key=f"brief-{district}")
    st.download_button(view.t("overview.brief_docx"), lambda d=district: brief_docx(frames, d, period),
                       f"brief_{district}.docx", MIME, key=f"brief-docx-{district}")
    if district not in frames.reporting:
        n = len(frames.targets_of([district]))
        st.caption(view.t("overview.only_targets", n=n, targets=view.t("page.targets"), imports=view.t("page.import")))
        continue
    cols = st.columns(len(headline))
    for col, meta in zip(cols, headline):
        name = view.name(meta)
        r = latest.get((meta["id"], district))
        if r is None:
            col.metric(name, "—", help=view.t("no_data"))
            continue
        c = changes.get((district, meta["id"], r["period"]))
        delta, style, note = None, {}, ""
        if c is not None and c["comparable"]:
            delta = view.t("overview.delta", delta=delta_text(c["delta_points"], meta, view.lang), since=c["from_period"])
            style = delta_style(c["delta_points"], meta["direction"])
        elif c is not None:
            note = "\n\n" + view.t("overview.change_note", note=view.note(c["flag"]))
        target_line = view.t("list_sep").join(
            view.t("overview.target", status=ICON.get(t["status"], "") + view.label("status", t["status"]),
                   cmp=view.label("cmp", t["comparator"]), value=value_text(t["target_value"], meta, view.lang),
                   period=t["target_period"])
            for t in status.get((district, meta["id"]), [])
        ) or view.t("overview.no_target")
        span = view.t("overview.cumulative") if r["span_kind"] == "cumulative" else ""
        flags = view.note("；".join(x for x in r["flags"].split("；") if x and x != r["rank_note"]))
        col.metric(name, value_text(r["value"], meta, view.lang, r["qualifier"]), delta=delta, **style,
                   help=view.t("overview.help", quote=literal(r["quote"]),
                               source=literal(doc_label(frames, r["doc"], view.lang)),
                               period=r["period"] + span, scope=scope(r["scope_tag"]), targets=target_line) + note
                   + ("\n\n" + view.t("overview.flags", flags=flags) if flags else ""))
        col.caption(f"{r['period']} · {scope(r['scope_tag'])} · {target_line}")
