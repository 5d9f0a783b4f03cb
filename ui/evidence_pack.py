"""The evidence pack (证据包, XLSX) for 法治政府建设示范创建 preparation: every figure and target of
the chosen districts with its unit, period, scope, qualifier, source document (title and year),
quote and derivation. No streamlit import: the page calls it on click and the tests read it back.

Numbers are stored as numbers with the catalog's number format (decimals; a "%" unit shows as a
suffix, the value stays the catalog value, e.g. 81.1 for 81.1 %), never as text such as
「81.10%」. Every sheet has a Chinese header row, bold and frozen, and column widths that fit.
Text cells go through etl.safe (no formulas, no control characters)."""
from __future__ import annotations

import io

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from etl.safe import neutralise_formula

QUALIFIER_ZH = {"exact": "", "approximate": "约", "at_least": "不少于（余/以上）", "at_most": "不超过"}
SCOPE_ZH = {"district": "全区", "agencies": "区级行政机关", "government": "区政府", "departments": "部门、镇街",
            "unstated": "未说明"}
DOC_TYPE_ZH = {"annual_report": "年度报告", "multi_year_report": "多年总结报告", "plan": "规划/实施方案"}
COMPARATOR_ZH = {">=": "不低于", "<=": "不高于", "=": "等于", "rank": "排名"}

FIGURE_COLUMNS = [  # (header, width in characters)
    ("类型", 6), ("区县", 10), ("指标", 22), ("数值", 12), ("单位", 6), ("比较", 8), ("限定", 12), ("时期", 11),
    ("范围", 12), ("来源文件", 40), ("文件年份", 10), ("原文", 60), ("推算方法", 24), ("人工修改", 30)]
DOC_COLUMNS = [("文件", 26), ("标题", 50), ("区县", 10), ("类型", 14), ("时期", 11), ("成文日期", 12),
               ("SHA-256", 20)]


def _number_format(unit: str, decimals: int) -> str:
    base = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return f'{base}"%"' if unit == "%" else base


def evidence_rows(frames, districts: list[str], indicators: list[str] | None = None, words: str = "") -> list[dict]:
    """The pack's rows (one per figure or target) as dicts with the Chinese headers of
    ``FIGURE_COLUMNS`` plus ``_unit`` and ``_decimals`` for the number format."""
    ind = frames.indicators.set_index("id")
    docs = frames.documents.set_index("doc")
    out = []
    for kind, df in (("实际", frames.facts), ("目标", frames.targets)):
        df = df[df["district"].isin(districts)]
        if indicators:
            df = df[df["indicator"].isin(indicators)]
        if words:
            names = df["indicator"].map(ind["name_zh"]).fillna("")
            df = df[df["quote"].str.contains(words, regex=False) | names.str.contains(words, regex=False)]
        for r in df.to_dict("records"):
            m = ind.loc[r["indicator"]] if r["indicator"] in ind.index else None
            d = docs.loc[r["doc"]] if r["doc"] in docs.index else None
            value = r.get("value")
            out.append({
                "类型": kind, "区县": r["district"], "指标": m["name_zh"] if m is not None else r["indicator"],
                "数值": None if pd.isna(value) else float(value), "单位": r.get("unit") or (m["unit"] if m is not None else ""),
                "比较": COMPARATOR_ZH.get(r.get("comparator", ""), "") if kind == "目标" else "",
                "限定": (f"相对：{r.get('reference', '')}" if kind == "目标" and r.get("relative") else
                         QUALIFIER_ZH.get(r.get("qualifier", "exact"), "") if kind == "实际" else ""),
                "时期": r["period"], "范围": SCOPE_ZH.get(r.get("scope_level", ""), r.get("scope", "") or ""),
                "来源文件": d["title"] if d is not None and d["title"] else r["doc"],
                "文件年份": d["period"] if d is not None else "", "原文": r["quote"],
                "推算方法": r.get("formula", "") if r.get("derived") else "",
                "人工修改": r.get("correction", "") if r.get("corrected") else "",
                "_unit": r.get("unit") or (m["unit"] if m is not None else ""),
                "_decimals": int(m["decimals"]) if m is not None else 2})
    return out


def _sheet(ws, columns: list[tuple[str, int]], rows: list[dict]) -> None:
    ws.append([h for h, _ in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="center")
    ws.freeze_panes = "A2"
    for i, (_, width) in enumerate(columns, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    headers = [h for h, _ in columns]
    value_col = headers.index("数值") + 1 if "数值" in headers else None
    for r in rows:
        ws.append([neutralise_formula(r.get(h)) if isinstance(r.get(h), str) else r.get(h) for h in headers])
        if value_col and r.get("数值") is not None:
            ws.cell(ws.max_row, value_col).number_format = _number_format(r["_unit"], r["_decimals"])
    if "原文" in headers:
        col = get_column_letter(headers.index("原文") + 1)
        for cell in ws[col][1:]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def evidence_pack(frames, districts: list[str], indicators: list[str] | None = None, words: str = "") -> bytes:
    """XLSX bytes: sheet 「证据」 (FIGURE_COLUMNS, one row per figure and target of ``districts``,
    optionally only ``indicators`` and rows whose quote or indicator name contains ``words``) and
    sheet 「文件」 (DOC_COLUMNS, the documents those rows cite)."""
    rows = evidence_rows(frames, districts, indicators, words)
    wb = Workbook()
    ws = wb.active
    ws.title = "证据"
    _sheet(ws, FIGURE_COLUMNS, rows)
    cited = {r["来源文件"] for r in rows}
    docs = frames.documents[frames.documents["title"].isin(cited) | frames.documents["doc"].isin(cited)]
    _sheet(wb.create_sheet("文件"), DOC_COLUMNS, [
        {"文件": d["doc"], "标题": d["title"], "区县": d["district"], "类型": DOC_TYPE_ZH.get(d["doc_type"], d["doc_type"]),
         "时期": d["period"], "成文日期": d["doc_date"] or "", "SHA-256": d["sha256"]} for d in docs.to_dict("records")])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
