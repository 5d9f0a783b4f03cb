"""One-page meeting brief per district: the key table (value with unit and qualifier, period,
scope, change against the previous comparable figure, targets and their status), a chart of the
rate indicators against their targets, and the quoted evidence with each document's title and
year. `brief_rows` builds the rows once; the printable HTML (`brief_html`, here) and the Word
brief (`ui.brief_docx.brief_docx`) only lay them out, so the two cannot disagree. No streamlit
import. Every text from the data is escaped in the HTML."""
from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd

from etl.safe import clean_text, html_text
from metrics import compare, targets
from metrics.data import Frames
from metrics.format import fmt_delta, fmt_value
from ui.charts import BETTER, FONT, WORSE
from ui.chart_image import chart_svg

E = html_text  # escapes markup and Markdown link/image syntax, drops control characters

TITLE = "{district} 法治政府建设主要指标简报"
INTRO = "生成日期 {today}；数据来自已导入的法治政府建设报告，每个数字附原文。"
HEADERS = ["指标", "最新值", "时期", "口径", "较上一可比期", "目标", "状态"]
KEYS = ["name", "shown", "period", "scope", "change", "target_text", "status"]  # the table's cells, by HEADERS
CHART_TITLE = "比率指标与目标"
CHART_NOTE = "蓝色为达标或未判定，橙红为未达标；黑色竖线为目标值。"
NO_RATES = "本区暂无比率指标的数值，不绘图。"
COMPARATOR_ZH = {">=": "不低于", "<=": "不高于", "=": "等于", "rank": ""}
NO_TARGET = "无本区目标"


def _change_text(c, meta) -> str:
    """'+2.00 百分点（较2020，变差）' for a comparable change; '不可比：<reason>' otherwise."""
    if not c["comparable"]:
        return f"不可比：{c['flag']}"
    verdict = {True: "，改善", False: "，变差"}.get(c["improved"], "")
    gap = f"，{c['flag']}" if c["flag"] else ""
    return f"{fmt_delta(c['delta_points'], meta['unit'], int(meta['decimals']))}（较{c['from_period']}{verdict}{gap}）"


def is_delta(change: str) -> bool:
    """Whether a row's change text is a signed number (right-aligned) rather than a reason."""
    return change[:1] in "+−±"


def _target_text(t: dict, meta) -> str:
    """'不低于 90.00%（2022）', '不高于上年度全市平均值（2021-2025）', '全市前列（2025）'."""
    value = fmt_value(t["target_value"], meta["unit"], int(meta["decimals"])) if pd.notna(t["target_value"]) else ""
    words = COMPARATOR_ZH.get(t["comparator"], t["comparator"])
    if t["relative"]:
        what = f"{words}{t['reference']}" + (f"（{value}）" if value else "")
    else:
        what = f"{words} {value}".strip()
    return f"{what}（{t['target_period']}）"


def _source(frames: Frames, doc: str) -> str:
    """'<title>，<period>' of a document (its file name only when it has no title); '' for ''."""
    if not doc:
        return ""
    d = frames.documents[frames.documents["doc"] == doc]
    if not len(d) or not d.iloc[0]["title"]:
        return doc
    return f"{d.iloc[0]['title']}，{d.iloc[0]['period']}" if d.iloc[0]["period"] else d.iloc[0]["title"]


def brief_rows(frames: Frames, district: str, period: str | None = None) -> list[dict]:
    """The brief's rows: one per headline indicator of the catalog, in catalog order.

    period: 'YYYY' or 'YYYY-YYYY' shows that period's figures; None the district's latest
    (`compare.compare_districts`). Each row is a dict of text ready to print, never None or NaN:
    name, unit, shown (value with unit and qualifier prefix, '—' when none), period ('—' when
    none; a multi-year span says 多年累计), scope (口径 words), note (约数, 下限值, 推算值 and its
    formula …), change (against the previous comparable figure of the same district, or why
    there is none comparable; '—' when there is no earlier figure), target_text and status (every
    target of the district for the indicator, '；'-joined; 无本区目标), quote, source (document
    title and year), evidence (list of (label, quote, source) for the figure and each target);
    plus numbers for the chart: value (float, NaN when none), targets (list of floats), unmet
    (bool: some target 未达标).
    """
    headline = frames.indicators[frames.indicators["headline"]]
    status = targets.target_status(frames, districts=[district])
    rows = []
    for _, m in headline.iterrows():
        c = compare.compare_districts(frames, m["id"], period, [district])
        c = c[c["value"].notna()]
        r = c.iloc[0] if len(c) else None
        ch = compare.change(frames, m["id"], district)
        ch = ch[ch["to_period"] == r["period"]] if r is not None else ch.iloc[:0]   # the change *of the figure shown*
        ts = status[status["indicator"] == m["id"]].to_dict("records")
        several = len(ts) > 1
        evidence = [("数值", clean_text(r["quote"]), _source(frames, r["doc"]))] if r is not None and r["quote"] else []
        evidence += [(f"目标（{t['target_period']}）", clean_text(t["target_quote"]), _source(frames, t["target_doc"]))
                     for t in ts if t["target_quote"]]
        rows.append({
            "indicator": m["id"], "name": m["name_zh"], "unit": m["unit"],
            "value": float(r["value"]) if r is not None else float("nan"),
            "shown": fmt_value(r["value"] if r is not None else None, m["unit"], int(m["decimals"]),
                               qualifier=r["qualifier"] if r is not None else None),
            "period": (r["period"] + ("（多年累计）" if r["span_kind"] == "cumulative" else "")) if r is not None else "—",
            "scope": r["scope_tag"] if r is not None else "—",
            "note": "；".join(x for x in r["flags"].split("；") if x and x != r["rank_note"]) if r is not None else "",
            "change": _change_text(ch.iloc[0], m) if len(ch) else "—",
            "target_text": "；".join(_target_text(t, m) for t in ts) or "—",
            "status": "；".join(t["status"] + (f"（{t['target_period']}）" if several else "") for t in ts) or NO_TARGET,
            "targets": [float(t["target_value"]) for t in ts if pd.notna(t["target_value"])],
            "unmet": any(t["status"] == targets.UNMET for t in ts),
            "quote": clean_text(r["quote"]) if r is not None else "",
            "source": _source(frames, r["doc"]) if r is not None else "",
            "evidence": evidence})
    return rows


def brief_chart(rows: list[dict]) -> alt.LayerChart | None:
    """Horizontal bars on a 0–100 scale for the rows in % with a value (blue; vermillion when a
    target is 未达标), the value printed at the bar's end and a black tick at each numeric target;
    None when no row qualifies. Unconfigured (the caller sets the font)."""
    rates = [r for r in rows if r["unit"] == "%" and pd.notna(r["value"])]
    if not rates:
        return None
    bars = pd.DataFrame({"label": [f"{r['name']} · {r['period']}" for r in rates],
                         "value": [min(100.0, max(0.0, r["value"])) for r in rates],
                         "shown": [r["shown"] for r in rates],
                         "colour": [WORSE if r["unmet"] else BETTER for r in rates]})
    ticks = pd.DataFrame([{"label": f"{r['name']} · {r['period']}", "target": min(100.0, max(0.0, t))}
                          for r in rates for t in r["targets"]], columns=["label", "target"])
    y = alt.Y("label:N", sort=list(bars["label"]), title=None, axis=alt.Axis(labelLimit=520, labelFontSize=15))
    x = alt.X("value:Q", scale=alt.Scale(domain=[0, 100]), title="数值（%）",
              axis=alt.Axis(labelFontSize=13, titleFontSize=14))
    base = alt.Chart(bars).encode(y=y)
    layers = [base.mark_bar(height=20).encode(x=x, color=alt.Color("colour:N", scale=None)),
              base.mark_text(align="left", dx=4, fontSize=15).encode(x="value:Q", text="shown:N")]
    if len(ticks):
        layers.append(alt.Chart(ticks).mark_tick(color="black", opacity=1, thickness=3, size=26).encode(x="target:Q", y=y))
    return alt.layer(*layers).properties(width=340, height=alt.Step(32))


def brief_html(frames: Frames, district: str, period: str | None = None) -> str:
    """The printable meeting brief of ``district`` (its latest report year, or ``period``) as one
    HTML page (UTF-8 text): title, the table of ``brief_rows`` (value with unit, period, scope,
    change, targets and their status), the chart as inline SVG and the quotes with document title
    and year. Every text is escaped. A district without figures gets rows of '—', never an error."""
    rows = brief_rows(frames, district, period)
    cell = lambda r, k: (f"<td class='n'>{E(r[k])}" + (f"<br><span class='src'>{E(r['note'])}</span>" if r["note"] else "")
                         + "</td>" if k == "shown" else
                         f"<td class='n'>{E(r[k])}</td>" if k == "change" and is_delta(r[k]) else f"<td>{E(r[k])}</td>")
    table = "".join("<tr>" + "".join(cell(r, k) for k in KEYS) + "</tr>" for r in rows)
    quotes = "".join(f"<li><b>{E(r['name'])}</b>" + "".join(
        f"<br>{E(label)}：「{E(q)}」<span class='src'>（{E(src)}）</span>" for label, q, src in r["evidence"]) + "</li>"
        for r in rows if r["evidence"])
    chart = brief_chart(rows)
    figure = (f"<p>{E(NO_RATES)}</p>" if chart is None else
              f"{chart_svg(chart, FONT)}<p class='src'>{E(CHART_NOTE)}</p>")
    head = "".join(f"<th>{h}</th>" for h in HEADERS)
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{E(TITLE.format(district=district))}</title>
<style>body{{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:24px;max-width:900px}}
table{{border-collapse:collapse;width:100%}}td,th{{border:1px solid #999;padding:4px 8px}}.n{{text-align:right}}
.src{{color:#666;font-size:12px}}@media print{{body{{margin:0}}}}</style></head><body>
<h1>{E(TITLE.format(district=district))}</h1><p>{E(INTRO.format(today=date.today().isoformat()))}</p>
<table><tr>{head}</tr>{table}</table>
<h2>{CHART_TITLE}</h2>{figure}
<h2>原文依据</h2><ul>{quotes}</ul></body></html>"""
