"""The evidence pack read back with openpyxl: numbers are numbers with the catalog's format, every
column a Chinese header, bold and frozen, sources readable, derivations kept."""
import io

import duckdb
import pytest
from openpyxl import load_workbook

from etl.settings import current_warehouse
from metrics.data import load_frames
from ui.evidence_pack import FIGURE_COLUMNS, evidence_pack


@pytest.fixture(scope="module")
def frames(warehouse):
    con = duckdb.connect(str(current_warehouse(warehouse)), read_only=True)
    yield load_frames(con)
    con.close()


def test_the_pack_stores_numbers_as_numbers_with_the_catalog_format(frames):
    wb = load_workbook(io.BytesIO(evidence_pack(frames, ["北碚区", "綦江区"])))
    assert wb.sheetnames == ["证据", "文件"]
    ws = wb["证据"]
    header = [c.value for c in ws[1]]
    assert header == [h for h, _ in FIGURE_COLUMNS] and all(c.font.bold for c in ws[1]) and ws.freeze_panes == "A2"
    rows = [dict(zip(header, (c for c in row))) for row in ws.iter_rows(min_row=2)]
    online = next(r for r in rows if r["指标"].value == "全程网办率" and r["区县"].value == "北碚区")
    assert online["数值"].value == 72 and online["数值"].data_type == "n"        # the quote: 全流程网上办率72%
    assert online["数值"].number_format == '#,##0.00"%"' and online["单位"].value == "%"
    assert online["时期"].value == "2020" and online["文件年份"].value == "2020"
    assert online["来源文件"].value == "重庆市北碚区人民政府关于2020年度法治政府建设情况的报告"
    assert "72%" in online["原文"].value
    rate = next(r for r in rows if r["指标"].value == "人民调解成功率")
    assert rate["推算方法"].value == "2348 / 2384 × 100" and rate["数值"].value == pytest.approx(98.49)
    target = next(r for r in rows if r["类型"].value == "目标")
    assert target["区县"].value == "綦江区" and target["比较"].value in ("不低于", "不高于", "等于", "排名")
    docs = wb["文件"]
    assert [c.value for c in docs[1]][:3] == ["文件", "标题", "区县"] and docs.max_row == 3


def test_a_formula_like_quote_is_text_in_the_pack(frames):
    import dataclasses
    facts = frames.facts.copy()
    facts.loc[facts.index[0], "quote"] = "=HYPERLINK(\"http://x\",\"y\")"
    forged = dataclasses.replace(frames, facts=facts)
    ws = load_workbook(io.BytesIO(evidence_pack(forged, list(facts["district"].unique()))))["证据"]
    quotes = [row[11].value for row in ws.iter_rows(min_row=2)]
    assert "'=HYPERLINK(\"http://x\",\"y\")" in quotes
