"""The meeting brief: one row builder, laid out as printable HTML and as a Word document; the chart
drawn on the server with a CJK font or left out with the reason."""
import html
import io
import re

import duckdb
import pytest
from docx import Document
from docx.oxml.ns import qn

from metrics.data import load_frames
from ui import chart_image
from ui.brief import HEADERS, KEYS, brief_chart, brief_html, brief_rows
from ui.brief_docx import brief_docx

DISTRICTS = ["北碚区", "渝北区", "綦江区", "两江新区"]   # two with figures, two with plans only
# One process runs the module (pytest-xdist's loadgroup): its four Word briefs are made once, not per process.
pytestmark = pytest.mark.xdist_group("brief")


@pytest.fixture(scope="module")
def frames(warehouse):
    return load_frames(duckdb.connect(str(warehouse), read_only=True))


@pytest.fixture(scope="module")
def docs(frames):
    """Each district's Word brief, opened again with python-docx."""
    return {d: Document(io.BytesIO(brief_docx(frames, d))) for d in DISTRICTS}


def _table(doc) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in doc.tables[0].rows]


def _text(doc) -> str:
    return "\n".join([p.text for p in doc.paragraphs] + ["\t".join(r) for r in _table(doc)])


def test_the_word_brief_shows_the_warehouse_figure_with_period_scope_and_quote(docs, warehouse):
    con = duckdb.connect(str(warehouse), read_only=True)
    value, period, quote, title = con.execute(
        "SELECT f.value, f.period, f.quote, d.title FROM facts f JOIN documents d USING (doc) "
        "WHERE f.district = '北碚区' AND f.indicator = 'online_service_rate'").fetchone()
    table = _table(docs["北碚区"])
    assert table[0] == HEADERS
    row = dict(zip(HEADERS, next(r for r in table if r[0] == "全程网办率")))
    assert (row["最新值"], row["时期"], row["口径"]) == (f"{value:.2f}%", period, "全区") == ("72.00%", "2020", "全区")
    text = _text(docs["北碚区"])
    assert f"数值：「{quote}」（{title}，2020）" in text
    assert not re.search(r"\d{3}_[0-9a-f]{16}\.txt", text)   # titles, never file names


def test_a_derived_figure_carries_its_formula_in_the_value_cell(docs):
    row = dict(zip(HEADERS, next(r for r in _table(docs["北碚区"]) if r[0] == "人民调解成功率")))
    assert row["最新值"] == "98.49%\n推算值（2348 / 2384 × 100）"


def test_targets_and_their_status_reach_the_table_with_units_and_their_quote(docs, frames):
    row = dict(zip(HEADERS, next(r for r in _table(docs["渝北区"]) if r[0] == "行政机关负责人出庭应诉率")))
    assert row["时期"] == "2016-2020（多年累计）" and row["目标"] == "不低于 50.00%（2020-2025）" and row["状态"] == "未到期"
    two = dict(zip(HEADERS, next(r for r in _table(docs["綦江区"]) if r[0] == "行政机关负责人出庭应诉率")))
    assert two["目标"] == "不低于 90.00%（2022）；全市前列（2025）" and two["状态"] == "暂无数据（2022）；暂无数据（2025）"
    loss = dict(zip(HEADERS, next(r for r in _table(docs["綦江区"]) if r[0] == "行政诉讼败诉率")))
    assert loss["目标"] == "不高于上年度全市平均值（2021-2025）" and loss["最新值"] == "—"
    assert "目标（2022）：「2022年全区行政机关负责人出庭应诉率达90%以上」" in _text(docs["綦江区"])


def _html_table(page: str) -> list[list[str]]:
    cell = lambda c: html.unescape(re.sub(r"<[^>]+>", "", c.replace("<br>", "\n")))
    return [[cell(c) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row)]
            for row in re.findall(r"<tr>(.*?)</tr>", page, flags=re.S)]


@pytest.mark.parametrize("district", DISTRICTS)
def test_word_and_html_print_the_same_cells_and_no_cell_prints_none_or_nan(docs, frames, district):
    rows = brief_rows(frames, district)
    table = _table(docs[district])
    assert table[1:] == [[r[k] + (f"\n{r['note']}" if k == "shown" and r["note"] else "") for k in KEYS] for r in rows]
    assert _html_table(brief_html(frames, district)) == table
    cells = [c for row in table for c in row]
    assert all(c.strip() and not re.search(r"\b(None|nan|NaN|NaT)\b", c) for c in cells), cells


def test_the_word_brief_is_a4_with_chinese_fonts_and_a_repeating_header_row(docs):
    doc = docs["北碚区"]
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert (round(section.left_margin.cm, 2), round(section.top_margin.cm, 2)) == (2.2, 2.5)
    east_asia = lambda style: doc.styles[style].element.rPr.rFonts.get(qn("w:eastAsia"))
    assert (east_asia("Normal"), east_asia("Heading 1"), east_asia("Heading 2")) == ("宋体", "黑体", "黑体")
    assert doc.styles["Heading 1"].element.rPr.rFonts.get(qn("w:eastAsiaTheme")) is None   # a theme font would win
    rows = doc.tables[0].rows
    assert rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(r._tr.trPr.find(qn("w:tblHeader")) is None for r in rows[1:])
    assert doc.core_properties.title == "北碚区 法治政府建设主要指标简报"


def test_the_chart_is_embedded_when_a_cjk_font_exists_and_left_out_with_the_reason_otherwise(docs, frames,
                                                                                            monkeypatch):
    if chart_image.cjk_font() is not None:
        assert len(docs["北碚区"].inline_shapes) == 1 and chart_image.NO_CJK_FONT not in _text(docs["北碚区"])
    monkeypatch.setattr(chart_image, "cjk_font", lambda: None)
    doc = Document(io.BytesIO(brief_docx(frames, "北碚区")))
    assert len(doc.inline_shapes) == 0 and chart_image.NO_CJK_FONT in _text(doc)
    assert "本区暂无比率指标的数值" in _text(docs["綦江区"]) and len(docs["綦江区"].inline_shapes) == 0


def test_the_font_finder_returns_a_family_that_draws_chinese_or_none(monkeypatch):
    family = chart_image.cjk_font()
    if family is not None:
        assert chart_image._draws(family)
    assert not chart_image._draws("No Such Font Family")   # vl-convert draws nothing at all with it
    chart_image.cjk_font.cache_clear()
    monkeypatch.setattr(chart_image, "font_roots", lambda: [])
    try:
        assert chart_image.cjk_font() is None
    finally:
        chart_image.cjk_font.cache_clear()


def test_the_chart_shows_each_rate_with_its_period_and_a_tick_at_each_target(frames):
    spec = brief_chart(brief_rows(frames, "渝北区")).to_dict()
    datasets = [row for rows in spec["datasets"].values() for row in rows]
    assert {"label": "行政机关负责人出庭应诉率 · 2016-2020（多年累计）", "target": 50.0} in datasets
    assert any(r.get("label") == "全程网办率 · 2021" and r.get("shown") == "87.41%" for r in datasets)
    png = chart_image.chart_png(brief_chart(brief_rows(frames, "渝北区")))
    assert png is None or png.startswith(b"\x89PNG")


def test_the_html_brief_holds_table_chart_titles_and_escaped_quotes(frames):
    page = brief_html(frames, "北碚区")
    assert "北碚区 法治政府建设主要指标简报" in page and "72.00%" in page and "<svg" in page
    assert "「全流程网上办率72%」" in page and "重庆市北碚区人民政府关于2020年度法治政府建设情况的报告，2020" in page
    assert "002_d61b1cf0558df1ae.txt" not in page
    hostile = frames.replace(facts=frames.facts.assign(quote="<script>alert(1)</script>\x07"))
    assert "<script>" not in brief_html(hostile, "北碚区")
    doc = Document(io.BytesIO(brief_docx(hostile, "北碚区")))   # python-docx refuses control characters
    assert "数值：「<script>alert(1)</script>」" in _text(doc)
