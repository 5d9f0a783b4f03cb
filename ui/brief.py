"""One-page meeting brief per district: printable HTML with the key table, a chart, target
status and quoted evidence. Every text from the data is escaped."""
from __future__ import annotations

from datetime import date

import pandas as pd

from etl.safe import html_text
from metrics import compare, targets
from metrics.data import Frames
from metrics.format import fmt_delta, fmt_value

E = html_text  # escapes markup and Markdown link/image syntax, drops control characters


def _svg(rows: list[dict]) -> str:
    """Horizontal bars on a 0–100 scale for the % indicators, a black tick at each target."""
    rows = [r for r in rows if r["unit"] == "%" and pd.notna(r["value"])]
    h = 28 * len(rows) + 20
    parts = [f"<svg width='720' height='{h}' xmlns='http://www.w3.org/2000/svg' font-size='13'>"]
    for i, r in enumerate(rows):
        y = 10 + 28 * i
        w = max(0.0, min(100.0, float(r["value"]))) * 3.6
        colour = "#0072B2" if r["status"] != "未达标" else "#D55E00"
        parts.append(f"<text x='0' y='{y + 14}'>{E(r['name'])}</text>"
                     f"<rect x='250' y='{y}' width='{w:.1f}' height='18' fill='{colour}'/>"
                     f"<text x='{255 + w:.1f}' y='{y + 14}'>{E(r['shown'])}</text>")
        if pd.notna(r.get("target")):
            tx = 250 + max(0.0, min(100.0, float(r["target"]))) * 3.6
            parts.append(f"<line x1='{tx:.1f}' x2='{tx:.1f}' y1='{y - 3}' y2='{y + 21}' stroke='black' stroke-width='3'/>")
    return "".join(parts) + "</svg>"


def _change_text(c, meta) -> str:
    """'+2.00 百分点（较2020，变差）' for a comparable change; '不可比：<reason>' otherwise."""
    if not c["comparable"]:
        return f"不可比：{c['flag']}"
    verdict = {True: "，改善", False: "，变差"}.get(c["improved"], "")
    gap = f"，{c['flag']}" if c["flag"] else ""
    return f"{fmt_delta(c['delta_points'], meta['unit'], int(meta['decimals']))}（较{c['from_period']}{verdict}{gap}）"


def brief_html(frames: Frames, district: str, period: str | None = None) -> str:
    ind = frames.indicators[frames.indicators["headline"]]
    status = targets.target_status(frames, districts=[district])
    rows = []
    for _, m in ind.iterrows():
        c = compare.compare_districts(frames, m["id"], period, [district])
        c = c[c["value"].notna()]
        st = status[status["indicator"] == m["id"]]
        r = c.iloc[0] if len(c) else None
        ch = compare.change(frames, m["id"], district)
        ch = ch[ch["to_period"] == r["period"]] if r is not None else ch.iloc[:0]   # the change *of the figure shown*
        rows.append({
            "name": m["name_zh"], "unit": m["unit"], "value": r["value"] if r is not None else float("nan"),
            "shown": fmt_value(r["value"] if r is not None else None, m["unit"], int(m["decimals"]),
                               qualifier=r["qualifier"] if r is not None else None),
            "period": r["period"] if r is not None else "", "quote": r["quote"] if r is not None else "",
            "doc": r["doc"] if r is not None else "", "scope": r["scope_tag"] if r is not None else "",
            "flags": "；".join(x for x in r["flags"].split("；") if x and x != r["rank_note"]) if r is not None else "",
            "change": _change_text(ch.iloc[0], m) if len(ch) else "—",
            "status": st.iloc[0]["status"] if len(st) else "无本区目标",
            "target": st.iloc[0]["target_value"] if len(st) else float("nan"),
            "target_text": f"{st.iloc[0]['comparator']} {st.iloc[0]['target_value']:g}（{st.iloc[0]['target_period']}）"
            if len(st) and pd.notna(st.iloc[0]["target_value"]) else "—"})
    table = "".join(
        f"<tr><td>{E(r['name'])}</td><td class='n'>{E(r['shown'])}</td><td>{E(r['period'])}</td><td>{E(r['scope'])}</td>"
        f"<td class='n'>{E(r['change'])}</td><td>{E(r['target_text'])}</td><td>{E(r['status'])}</td></tr>" for r in rows)
    quotes = "".join(f"<li><b>{E(r['name'])}</b>：「{E(r['quote'])}」<span class='src'>（{E(r['doc'])}"
                     f"{'；' + E(r['flags']) if r['flags'] else ''}）</span></li>" for r in rows if r["quote"])
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{E(district)} 法治政府建设指标简报</title>
<style>body{{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:24px;max-width:900px}}
table{{border-collapse:collapse;width:100%}}td,th{{border:1px solid #999;padding:4px 8px}}.n{{text-align:right}}
.src{{color:#666;font-size:12px}}@media print{{body{{margin:0}}}}</style></head><body>
<h1>{E(district)} 法治政府建设主要指标简报</h1><p>生成日期 {date.today().isoformat()}；数据来自已导入的法治政府建设报告，每个数字附原文。</p>
<table><tr><th>指标</th><th>最新值</th><th>时期</th><th>口径</th><th>较上一可比期</th><th>目标</th><th>状态</th></tr>{table}</table>
<h2>比率指标与目标</h2>{_svg(rows)}<p class="src">蓝色为达标或未判定，橙红为未达标；黑色竖线为目标值。</p>
<h2>原文依据</h2><ul>{quotes}</ul></body></html>"""
