"""总览 Overview: per district, cards for the headline indicators: latest value and its period,
change against the previous comparable period, target status."""
import pandas as pd
import streamlit as st

from metrics import compare, targets
from metrics.format import fmt_delta
from ui import db
from ui.brief import brief_html
from ui.brief_docx import MIME, brief_docx
from ui.widgets import delta_style, literal, value_text

view = st.session_state["view"]
frames = db.frames()
st.title("总览" if view.lang == "zh" else "Overview")
headline = frames.indicators[frames.indicators["headline"]]
period = None if view.period == "latest" else view.period
latest = {i: db.metric(compare.compare_districts, i, period, list(view.districts)).dropna(subset=["value"])
          .set_index("district") for i in headline["id"]}
status = {k: g for k, g in db.metric(targets.target_status, districts=list(view.districts))
          .groupby(["district", "indicator"])}
no_targets = pd.DataFrame(columns=["status", "comparator", "target_value", "target_period"])
STATUS_ICON = {"达标": "● 达标", "逾期达标": "◐ 逾期达标", "未达标": "▲ 未达标"}

for district in view.districts:
    st.subheader(literal(district))
    st.download_button("下载会议简报（可打印 HTML）", lambda d=district: brief_html(frames, d, period).encode("utf-8"),
                       f"brief_{district}.html", "text/html", key=f"brief-{district}")
    st.download_button("下载会议简报（Word）", lambda d=district: brief_docx(frames, d, period),
                       f"brief_{district}.docx", MIME, key=f"brief-docx-{district}")
    if district not in frames.reporting:
        n = int((frames.targets["district"] == district).sum())
        st.caption(f"该区县目前只有规划目标（{n} 条），尚无实际数据；请在「目标」页查看，或在「数据」页导入年度报告。")
        continue
    cols = st.columns(len(headline))
    for col, (_, meta) in zip(cols, headline.iterrows()):
        name = view.name(meta)
        if district not in latest[meta["id"]].index:
            col.metric(name, "—", help="暂无数据 (no data)")
            continue
        r = latest[meta["id"]].loc[district]
        ch = db.metric(compare.change, meta["id"], district)
        ch = ch[ch["to_period"] == r["period"]]
        delta, style, note = None, {}, ""
        if len(ch) and ch.iloc[-1]["comparable"]:
            c = ch.iloc[-1]
            delta = f"{fmt_delta(c['delta_points'], meta['unit'], int(meta['decimals']), view.lang)}（较{c['from_period']}）"
            style = delta_style(c["delta_points"], meta["direction"])
        elif len(ch):
            note = f"\n\n变化：{ch.iloc[-1]['flag']}"
        st_rows = status.get((district, meta["id"]), no_targets)
        target_line = "；".join(f"{STATUS_ICON.get(s, s)}（目标 {c} {v:g}，{p}）" for s, c, v, p in
                               zip(st_rows["status"], st_rows["comparator"], st_rows["target_value"].fillna(float("nan")),
                                   st_rows["target_period"])) or "无本区目标"
        col.metric(name, value_text(r["value"], meta, view.lang, r["qualifier"]), delta=delta, **style,
                   help=f"原文：「{literal(r['quote'])}」\n\n来源：{literal(r['doc'])}\n\n"
                        f"时期：{r['period']}{'（多年累计）' if r['span_kind'] == 'cumulative' else ''}\n\n"
                        f"口径：{r['scope_tag'].removeprefix('口径')}\n\n目标：{target_line}{note}"
                        + (f"\n\n说明：{flags}" if (flags := "；".join(x for x in r["flags"].split("；")
                                                                  if x and x != r["rank_note"])) else ""))
        col.caption(f"{r['period']} · {r['scope_tag']} · {target_line}")
