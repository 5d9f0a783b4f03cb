"""The meeting brief of one district as a Word document (.docx, opens in Word and WPS), laid out
from the same rows as the printable HTML (`ui.brief.brief_rows`). No streamlit import.

A4 portrait, 2.5 cm top and bottom and 2.2 cm side margins; body 宋体 (Latin: Times New Roman),
headings and the table header 黑体 (set as East Asian fonts, w:eastAsia, with the theme fonts
removed so Word and WPS do not substitute them); the key table's header row repeats on every
page and no row splits across pages; the chart is a PNG drawn on the server (`ui.chart_image`),
or, without a CJK font there, a sentence saying why it is left out; page numbers in the footer.
"""
from __future__ import annotations

import io
from datetime import date, datetime, timezone

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from etl.safe import clean_text
from metrics.data import Frames
from ui.brief import (CHART_NOTE, CHART_TITLE, HEADERS, INTRO, KEYS, NO_RATES, TITLE, brief_chart, brief_rows,
                      is_delta)
from ui.chart_image import NO_CJK_FONT, chart_png

BODY, HEADING, LATIN = "宋体", "黑体", "Times New Roman"
WIDTHS_CM = [2.9, 1.9, 1.9, 1.9, 3.3, 2.4, 2.3]   # by HEADERS; sum = text width 21 − 2 × 2.2
GREY = RGBColor(0x59, 0x59, 0x59)
MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _fonts(element, east_asia: str) -> None:
    """Set Latin and East Asian fonts on a style's or run's rPr, dropping theme fonts (which win)."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr, name in (("w:ascii", LATIN), ("w:hAnsi", LATIN), ("w:eastAsia", east_asia)):
        fonts.set(qn(attr), name)


def _style(doc, name: str, east_asia: str, size: float, bold: bool = False) -> None:
    style = doc.styles[name]
    _fonts(style.element, east_asia)
    style.font.size, style.font.bold = Pt(size), bold
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)


def _run(paragraph, text: str, size: float | None = None, bold: bool = False, east_asia: str | None = None,
         colour: RGBColor | None = None):
    run = paragraph.add_run(clean_text(str(text)))   # python-docx refuses control characters
    run.bold = bold or None
    if size:
        run.font.size = Pt(size)
    if east_asia:
        _fonts(run._element, east_asia)
    if colour is not None:
        run.font.color.rgb = colour
    return run


def _row_flags(row, header: bool = False) -> None:
    """A table row that never splits across pages; the header row also repeats on each page."""
    trpr = row._tr.get_or_add_trPr()
    for tag in ("w:cantSplit", *(("w:tblHeader",) if header else ())):
        el = OxmlElement(tag)
        el.set(qn("w:val"), "true")
        trpr.append(el)


def _shade(cell, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear"), shd.set(qn("w:color"), "auto"), shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def _page_number(paragraph) -> None:
    """'第 N 页' with a PAGE field (Word and WPS fill it in)."""
    _run(paragraph, "第 ", 9)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        run = _run(paragraph, "", 9)
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._element.append(el)
    _run(paragraph, " 页", 9)


def _setup(doc, district: str) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2.5)
    section.left_margin = section.right_margin = Cm(2.2)
    _style(doc, "Normal", BODY, 12)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US"), lang.set(qn("w:eastAsia"), "zh-CN")
    doc.styles["Normal"].element.get_or_add_rPr().append(lang)
    _style(doc, "Heading 1", HEADING, 18)
    _style(doc, "Heading 2", HEADING, 14)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number(footer)
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = TITLE.format(district=district), "法治政府建设指标看板", ""
    props.created = props.modified = datetime.now(timezone.utc).replace(microsecond=0)
    props.comments = props.keywords = props.subject = ""


def _table(doc, rows: list[dict]) -> None:
    table = doc.add_table(rows=1, cols=len(HEADERS))
    table.style, table.alignment, table.autofit = "Table Grid", WD_TABLE_ALIGNMENT.CENTER, False
    _row_flags(table.rows[0], header=True)
    for column, width in zip(table.columns, WIDTHS_CM):
        column.width = Cm(width)   # the grid (LibreOffice, WPS); Word reads the cells' widths
    for cell, text, width in zip(table.rows[0].cells, HEADERS, WIDTHS_CM):
        cell.width = Cm(width)
        _shade(cell, "D9D9D9")
        _run(cell.paragraphs[0], text, 10.5, bold=True, east_asia=HEADING)
    for r in rows:
        row = table.add_row()
        _row_flags(row)
        for cell, key, width in zip(row.cells, KEYS, WIDTHS_CM):
            cell.width = Cm(width)
            p = cell.paragraphs[0]
            _run(p, r[key], 10.5)
            if key == "shown" or key == "change" and is_delta(r[key]):
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if key == "shown" and r["note"]:
                note = cell.add_paragraph()
                note.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                _run(note, r["note"], 8, colour=GREY)


def brief_docx(frames: Frames, district: str, period: str | None = None) -> bytes:
    """The brief of `district` as .docx bytes (MIME type `MIME`). period: as in `brief_rows`.
    Sections: title and date, 一、主要指标 (the key table), 二、比率指标与目标 (chart image, or the
    reason it is absent), 三、原文依据 (each figure's and target's quote with document title and year)."""
    rows = brief_rows(frames, district, period)
    doc = Document()
    _setup(doc, district)
    title = doc.add_paragraph(style="Heading 1")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, TITLE.format(district=district))
    _run(doc.add_paragraph(), INTRO.format(today=date.today().isoformat()), 10.5, colour=GREY)

    _run(doc.add_paragraph(style="Heading 2"), "一、主要指标")
    _table(doc, rows)

    _run(doc.add_paragraph(style="Heading 2"), f"二、{CHART_TITLE}")
    chart = brief_chart(rows)
    png = chart_png(chart) if chart is not None else None
    if png is not None:
        doc.add_picture(io.BytesIO(png), width=Cm(16.0))
        doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(doc.add_paragraph(), CHART_NOTE, 9, colour=GREY)
    else:
        _run(doc.add_paragraph(), NO_RATES if chart is None else NO_CJK_FONT, 10.5)

    _run(doc.add_paragraph(style="Heading 2"), "三、原文依据")
    for r in rows:
        if not r["evidence"]:
            continue
        _run(doc.add_paragraph(), r["name"], 12, bold=True, east_asia=HEADING)
        for label, quote, source in r["evidence"]:
            p = doc.add_paragraph()
            p.paragraph_format.left_indent = Cm(0.74)
            _run(p, f"{label}：「{quote}」", 10.5)
            _run(p, f"（{source}）", 9, colour=GREY)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
