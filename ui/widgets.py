"""Small shared pieces: formatted values, downloads, evidence snippets (always escaped)."""
from __future__ import annotations

import io
import itertools

import pandas as pd
import streamlit as st

from etl.safe import html_text, markdown_literal, safe_frame
from metrics.format import fmt_value
from ui import text

literal = markdown_literal  # document text inside st.markdown / st.caption / st.write / labels / help


def unit_label(unit: str, lang: str = "zh") -> str:
    """A catalog unit in words of the language ('万元' → 'CNY 10k'); an unknown unit as it is."""
    return text.label(lang, "unit", unit) if unit else ""


def value_text(value, meta: dict, lang: str = "zh", qualifier: str | None = None) -> str:
    """A figure as the catalog says to show it, with its qualifier (≥ 1,300 人 for 「1300余名」);
    the unit's words come from ui/text.py. Missing → '—'."""
    unit = meta.get("unit") or ""
    decimals = int(meta["decimals"]) if pd.notna(meta.get("decimals")) else 2
    if unit == "%":
        return fmt_value(value, unit, decimals, lang=lang, qualifier=qualifier)
    shown = fmt_value(value, "", decimals, lang=lang, qualifier=qualifier)
    return shown if shown == "—" or not unit else f"{shown} {unit_label(unit, lang)}"


def value_texts(values, metas, lang: str = "zh", qualifiers=None) -> list[str]:
    """``value_text`` of each value with its catalog row (``metas``: one dict per value) and
    qualifier (``qualifiers`` None: none): a page's column of figures in one call."""
    qualifiers = itertools.repeat(None) if qualifiers is None else qualifiers
    return [value_text(v, m, lang, q) for v, m, q in zip(values, metas, qualifiers)]


def delta_text(delta, meta: dict, lang: str = "zh") -> str:
    """A signed change in the indicator's unit: '+2.50 百分点' ('+2.50 pp'), '−3 件'."""
    if pd.isna(delta):
        return "—"
    sign = "+" if delta > 0 else "−" if delta < 0 else "±"
    if meta.get("unit") == "%":
        return f"{sign}{abs(float(delta)):,.{int(meta['decimals'])}f} {text.t(lang, 'unit.pp')}"
    return sign + value_text(abs(float(delta)), meta, lang)


def doc_label(frames, doc: str, lang: str = "zh") -> str:
    """A document (file name ``doc`` of ``frames``, a metrics.data.Frames) as a person names it:
    《title》（period）; the file name when it has no title."""
    r = frames.title(doc)
    if r is None or not str(r[0] or "").strip():
        return doc or ""
    return text.t(lang, "doc.label", title=r[0], period=r[1])


def delta_style(delta: float, direction: str) -> dict:
    """st.metric keywords for a change: the arrow follows the sign; the colour says whether it is
    better (blue) or worse (red) for the indicator's direction; grey for neutral indicators or no
    change. Set explicitly: the delta text starts with '−' (U+2212), which Streamlit reads as a rise."""
    if pd.isna(delta) or delta == 0:
        return {"delta_arrow": "off", "delta_color": "gray"}
    better = (delta > 0) == (direction == "higher")
    return {"delta_arrow": "up" if delta > 0 else "down",
            "delta_color": "gray" if direction not in ("higher", "lower") else "blue" if better else "red"}


def csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 CSV (with BOM, so Excel reads Chinese) of a table, made safe by etl.safe.safe_frame:
    no cell starts a formula, no control characters."""
    return safe_frame(df).to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """XLSX workbook, one sheet per {name: table} (names cut to Excel's 31 characters); cells made
    safe by etl.safe.safe_frame, so a title like =HYPERLINK(…) is text, not a formula."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as w:
        for name, df in sheets.items():
            safe_frame(df).to_excel(w, sheet_name=name[:31], index=False)
    return buf.getvalue()


def edits(before: pd.DataFrame, after: pd.DataFrame, key: str) -> dict:
    """{id: new value} of the rows the user changed in a data editor."""
    old = dict(zip(before[key], before["value"]))
    return {i: v for i, v in zip(after[key], after["value"]) if not (v == old.get(i) or pd.isna(v) and pd.isna(old.get(i)))}


def highlighted(raw: str, start: int, end: int, margin: int = 120) -> str:
    """HTML of the text around [start, end) with the quote highlighted; every character of the
    document goes through etl.safe.html_text, so no document can inject markup, nor Markdown links
    or images if the HTML is ever shown through st.markdown."""
    a, b = max(0, start - margin), min(len(raw), end + margin)
    pre, mid, post = (html_text(raw[a:start]), html_text(raw[start:end]), html_text(raw[end:b]))
    return ("<div style='line-height:1.8;white-space:pre-wrap'>" + ("…" if a else "") + pre
            + f"<mark style='background:#F0E442'>{mid}</mark>" + post + ("…" if b < len(raw) else "") + "</div>")
