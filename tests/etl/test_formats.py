"""Report files to text: .docx structure read in order, year tables one figure per cell, bombs
and oversized texts refused fast, no control characters. Fixtures are built here, never committed."""
import io
import struct
import time
import zipfile

import pytest

from etl import formats
from etl.formats import table_lines, to_text
from etl.pipeline import process_bytes, rows
from etl.text import InputError

NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
      'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
      'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
      'xmlns:v="urn:schemas-microsoft-com:vml"')
TITLE = "示例区2021年法治政府建设年度报告"


def para(text):
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def table(cells):
    def cell(c):
        return f"<w:tc>{c if c.startswith('<') else para(c)}</w:tc>"
    return "<w:tbl>" + "".join("<w:tr>" + "".join(cell(c) for c in r) + "</w:tr>" for r in cells) + "</w:tbl>"


def docx(body, extra=(), document_xml=None):
    """A minimal .docx: [Content_Types].xml, the package relationship and word/document.xml."""
    xml = document_xml or (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                           f'<w:document {NS}><w:body>{para(TITLE)}{body}<w:sectPr/></w:body></w:document>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="xml" ContentType="application/xml"/></Types>')
        z.writestr("_rels/.rels",
                   '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                   'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
                   '2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr("word/document.xml", xml)
        for name, data in extra:
            z.writestr(name, data)
    return buf.getvalue()


def figures(name, data):
    p = process_bytes(name, data, {"district": "示例区", "period": "2021", "doc_type": "annual_report"})
    return sorted((r["indicator"], r["period"], r["value"], r["unit"]) for r in rows(p))


def quotes(name, data):
    p = process_bytes(name, data, {"district": "示例区", "period": "2021", "doc_type": "annual_report"})
    return {(r["indicator"], r["period"]): r["quote"] for r in rows(p)}


# ------------------------------------------------------------------ .docx read in document order

def text_box(text):
    box = f"<w:txbxContent>{para(text)}</w:txbxContent>"
    return ('<w:p><w:r><w:t>见下框。</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
            f'<wps:wsp><wps:txbx>{box}</wps:txbx></wps:wsp></w:drawing></mc:Choice><mc:Fallback><w:pict>'
            f'<v:shape><v:textbox>{box}</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>')


def test_a_text_box_is_read_once_its_vml_fallback_copy_is_not():
    data = docx(text_box("2021年，全区行政复议案件为135件。"))
    text, how = to_text("r.docx", data)
    assert how == "docx"
    assert text.count("行政复议案件为135件") == 1
    assert figures("r.docx", data) == [("reconsideration_cases", "2021", "135", "件")]


def test_tracked_insertions_are_read_and_deletions_are_not():
    body = ('<w:p><w:r><w:t>2021年，行政诉讼败诉率为</w:t></w:r><w:del><w:r><w:delText>9.1%</w:delText></w:r></w:del>'
            '<w:ins><w:r><w:t>6.5%</w:t></w:r></w:ins><w:r><w:t>。</w:t></w:r></w:p>')
    text, _ = to_text("r.docx", docx(body))
    assert "9.1" not in text
    assert figures("r.docx", docx(body)) == [("litigation_loss_rate", "2021", "6.5", "%")]


def test_a_deleted_paragraph_and_a_deleted_table_row_are_skipped():
    body = ('<w:del><w:p><w:r><w:delText>2021年，行政复议纠错率为30%。</w:delText></w:r></w:p></w:del>'
            + table([["指标", "2020年", "2021年"], ["行政复议纠错率（%）", "12.5", "10"]]).replace(
                "</w:tbl>", '<w:tr><w:trPr><w:del w:id="1" w:author="a"/></w:trPr>'
                '<w:tc>' + para("行政复议纠错率（%）") + '</w:tc><w:tc>' + para("40") + '</w:tc>'
                '<w:tc>' + para("41") + '</w:tc></w:tr></w:tbl>'))
    assert figures("r.docx", docx(body)) == [("reconsideration_correction_rate", "2020", "12.5", "%"),
                                            ("reconsideration_correction_rate", "2021", "10", "%")]


def test_content_controls_at_block_and_run_level_are_read():
    body = ("<w:sdt><w:sdtPr/><w:sdtContent>" + para("2021年，行政机关负责人出庭应诉率为98.5%。")
            + "</w:sdtContent></w:sdt>"
            "<w:p><w:r><w:t>2021年，全区办理行政复议案件</w:t></w:r><w:sdt><w:sdtContent><w:r><w:t>86</w:t></w:r>"
            "</w:sdtContent></w:sdt><w:r><w:t>件。</w:t></w:r></w:p>")
    assert figures("r.docx", docx(body)) == [("head_appearance_rate", "2021", "98.5", "%"),
                                            ("reconsideration_cases", "2021", "86", "件")]


def test_field_codes_hidden_text_and_ruby_pinyin_are_not_text():
    body = ('<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE 99件</w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>2021年，</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
            '<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏文字</w:t></w:r>'
            '<w:r><w:ruby><w:rt><w:r><w:t>bàn</w:t></w:r></w:rt><w:rubyBase><w:r><w:t>办</w:t></w:r></w:rubyBase>'
            '</w:ruby></w:r><w:r><w:t>理行政复议案件77件。</w:t></w:r></w:p>')
    text, _ = to_text("r.docx", docx(body))
    assert "2021年，办理行政复议案件77件。" in text
    assert "PAGE" not in text and "隐藏" not in text and "bàn" not in text


def test_a_table_nested_in_a_layout_cell_is_read_as_a_year_table():
    inner = table([["指标", "2020年", "2021年"], ["行政复议纠错率（%）", "12.5", "10"],
                   ["行政复议案件（件）", "120", "135"]])
    data = docx(table([["主要指标", inner]]))
    assert figures("r.docx", data) == [
        ("reconsideration_cases", "2020", "120", "件"), ("reconsideration_cases", "2021", "135", "件"),
        ("reconsideration_correction_rate", "2020", "12.5", "%"),
        ("reconsideration_correction_rate", "2021", "10", "%")]


def test_a_python_docx_document_with_a_year_table_gives_one_figure_per_cell():
    docx_lib = pytest.importorskip("docx")
    d = docx_lib.Document()
    d.add_paragraph(TITLE)
    t = d.add_table(rows=3, cols=4)
    for r, cells in enumerate([["项目", "单位", "2020年", "2021年"],
                               ["行政机关负责人出庭应诉率", "%", "96.2", "100"],
                               ["行政诉讼案件", "件", "58", "61"]]):
        for c, v in enumerate(cells):
            t.cell(r, c).text = v
    buf = io.BytesIO()
    d.save(buf)
    data = buf.getvalue()
    assert figures("t.docx", data) == [
        ("head_appearance_rate", "2020", "96.2", "%"), ("head_appearance_rate", "2021", "100", "%"),
        ("litigation_cases", "2020", "58", "件"), ("litigation_cases", "2021", "61", "件")]
    assert quotes("t.docx", data)[("head_appearance_rate", "2020")] == "行政机关负责人出庭应诉率为96.2%"


def test_a_vertically_merged_label_is_repeated_on_the_rows_it_covers():
    merged = '<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>'
    body = ("<w:tbl><w:tr><w:tc>" + para("类别") + "</w:tc><w:tc>" + para("指标") + "</w:tc><w:tc>" + para("2021年")
            + "</w:tc><w:tc>" + para("2022年") + "</w:tc></w:tr>"
            '<w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr>' + para("行政复议") + "</w:tc><w:tc>"
            + para("纠错率（%）") + "</w:tc><w:tc>" + para("11.2") + "</w:tc><w:tc>" + para("9.8") + "</w:tc></w:tr>"
            "<w:tr>" + merged + "<w:tc>" + para("案件（件）") + "</w:tc><w:tc>" + para("64") + "</w:tc><w:tc>"
            + para("70") + "</w:tc></w:tr></w:tbl>")
    text, _ = to_text("r.docx", docx(body))
    assert "2022年，行政复议案件为70件。" in text
    assert "2021年，行政复议纠错率为11.2%。" in text


# ------------------------------------------------------------------ year tables

def test_a_year_column_table_gives_one_sentence_per_cell_with_the_label_unit():
    assert table_lines([["指标", "2020年", "2021年"],
                        ["行政诉讼败诉率（%）", "8", "6.5"],
                        ["行政复议案件（单位：件）", "1,200", "—"]]) == [
        "2020年，行政诉讼败诉率为8%。", "2021年，行政诉讼败诉率为6.5%。", "2020年，行政复议案件为1,200件。"]


def test_cells_with_their_own_unit_keep_it_and_other_columns_give_no_year():
    assert table_lines([["项目", "2019年度", "2020年度", "2025年目标"],
                        ["全程网办率", "90.5%", "95%", "98%"]]) == [
        "2019年，全程网办率为90.5%。", "2020年，全程网办率为95%。", "全程网办率（2025年目标）：98%。"]


def test_a_table_with_a_row_per_year_reads_each_column_as_an_indicator():
    assert table_lines([["年份", "行政复议案件（件）", "纠错率（%）"],
                        ["2021", "88", "7.5"],
                        ["2022", "93", "6"]]) == [
        "2021年，行政复议案件为88件。", "2022年，行政复议案件为93件。",
        "2021年，纠错率为7.5%。", "2022年，纠错率为6%。"]


def test_a_year_header_with_a_unit_gives_it_to_bare_numbers():
    assert table_lines([["指标", "2022年(件)", "2023年(件)"], ["行政应诉案件", "47", "52"]]) == [
        "2022年，行政应诉案件为47件。", "2023年，行政应诉案件为52件。"]


def test_a_table_without_year_headers_keeps_one_line_per_row():
    assert table_lines([["序号", "事项"], ["1", "制定规范性文件"], [None, ""]]) == ["序号 事项。", "1 制定规范性文件。"]
    assert table_lines([["第一段。\n第二段。"]]) == ["第一段。\n第二段。"]


def test_a_docx_year_table_quote_holds_the_row_label_and_the_cell():
    data = docx(table([["指标", "2020年", "2021年"], ["行政诉讼败诉率（%）", "8", "6.5"]]))
    got = figures("r.docx", data)
    assert got == [("litigation_loss_rate", "2020", "8", "%"), ("litigation_loss_rate", "2021", "6.5", "%")]
    assert quotes("r.docx", data)[("litigation_loss_rate", "2020")] == "行政诉讼败诉率为8%"


# ------------------------------------------------------------------ .pdf tables with pdfplumber

def pdf_with_table(cells, before="一、主要指标如下表。", after="二、下一步工作。全面推进依法行政。"):
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("zh", fontName="STSong-Light", fontSize=10, leading=14)
    t = Table(cells)
    t.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), "STSong-Light", 10), ("GRID", (0, 0), (-1, -1), 0.5, "black")]))
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4).build([Paragraph(TITLE, style), Paragraph(before, style), t,
                                               Paragraph(after, style)])
    return buf.getvalue()


def test_a_pdf_table_with_a_column_per_year_gives_one_figure_per_cell():
    data = pdf_with_table([["指标", "2020年", "2021年"], ["行政诉讼败诉率（%）", "8", "6.5"],
                           ["行政复议案件（件）", "120", "135"]])
    assert figures("r.pdf", data) == [
        ("litigation_loss_rate", "2020", "8", "%"), ("litigation_loss_rate", "2021", "6.5", "%"),
        ("reconsideration_cases", "2020", "120", "件"), ("reconsideration_cases", "2021", "135", "件")]
    assert quotes("r.pdf", data)[("reconsideration_cases", "2021")] == "行政复议案件为135件"


def test_pdf_text_around_a_table_stays_in_reading_order():
    data = pdf_with_table([["项目", "单位", "2022年", "2023年"], ["行政机关负责人出庭应诉率", "%", "97", "99.1"]],
                          before="前文一段。", after="后文一段。")
    text, how = to_text("r.pdf", data)
    assert how == "pdf"
    lines = [l for l in text.splitlines() if l.strip()]
    assert lines.index("前文一段。") < lines.index("2022年，行政机关负责人出庭应诉率为97%。") \
        < lines.index("2023年，行政机关负责人出庭应诉率为99.1%。") < lines.index("后文一段。")


def test_a_pdf_that_is_not_a_pdf_is_refused():
    with pytest.raises(InputError, match=r"「x\.pdf」不是有效的 PDF 文件 \(not a valid PDF\)"):
        to_text("x.pdf", b"%PDF-1.4 garbage " * 10)


# ------------------------------------------------------------------ bombs and limits (issue 14)

def zip_bomb(member="word/document.xml", size=60_000_000):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("_rels/.rels", "<Relationships/>")
        with z.open(member, "w", force_zip64=True) as f:
            chunk = b"<w:t>" + b"\x20" * (1 << 20)
            for _ in range(size // len(chunk) + 1):
                f.write(chunk)
    return buf.getvalue()


def test_a_docx_whose_member_inflates_over_the_limit_is_refused_in_under_a_second():
    data = zip_bomb()
    assert len(data) < 1_000_000
    t0 = time.perf_counter()
    with pytest.raises(InputError) as e:
        to_text("bomb.docx", data)
    assert time.perf_counter() - t0 < 1.0
    assert str(e.value).startswith("「bomb.docx」中的「word/document.xml」解压后 60.8 MB，超过上限 21 MB，疑似压缩炸弹，已拒绝 "
                                   "(zip member word/document.xml inflates to 60.8 MB")


def test_an_embedded_member_over_the_limit_is_refused_too():
    with pytest.raises(InputError, match="「word/media/image1.png」解压后"):
        to_text("bomb.docx", zip_bomb("word/media/image1.png", 25_000_000))


def lie_about_size(data, member, size):
    """The zip ``data`` with ``member``'s uncompressed size in both headers set to ``size``."""
    out = bytearray(data)
    name = member.encode()
    for sig, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = out.find(sig + b"")
        while at != -1:
            n = struct.unpack_from("<H", out, at + (26 if sig == b"PK\x03\x04" else 28))[0]
            start = at + (30 if sig == b"PK\x03\x04" else 46)
            if bytes(out[start:start + n]) == name:
                struct.pack_into("<I", out, at + offset, size)
            at = out.find(sig, at + 4)
    return bytes(out)


def test_a_member_whose_header_understates_its_size_is_still_read_only_to_the_limit():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("_rels/.rels", "<Relationships/>")
        z.writestr("word/document.xml", b"<w:t>" + b" " * 30_000_000)
    data = lie_about_size(buf.getvalue(), "word/document.xml", 1000)
    assert zipfile.ZipFile(io.BytesIO(data)).getinfo("word/document.xml").file_size == 1000
    t0 = time.perf_counter()
    with pytest.raises(InputError) as e:
        to_text("liar.docx", data, max_bytes=5_000_000)
    assert time.perf_counter() - t0 < 1.0
    assert "liar.docx" in str(e.value) and "(" in str(e.value)


def test_a_docx_with_an_entity_declaration_is_refused():
    xml = ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
           f'<w:document {NS}><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>')
    with pytest.raises(InputError, match=r"「e\.docx」的 XML 含有 DTD 声明，已拒绝 \(XML with a DTD refused\)"):
        to_text("e.docx", docx("", document_xml=xml))


def test_a_pdf_stream_that_inflates_over_the_limit_is_refused():
    import zlib
    blob = zlib.compress(b"0" * 30_000_000, 9)
    data = (b"%PDF-1.4\n1 0 obj\n<< /Length " + str(len(blob)).encode() + b" /Filter /FlateDecode >>\nstream\n" + blob
            + b"\nendstream\nendobj\ntrailer\n<< >>\n%%EOF\n")
    t0 = time.perf_counter()
    with pytest.raises(InputError, match=r"「s\.pdf」中偏移 \d+ 处的数据流解压后超过上限 5 MB，疑似压缩炸弹"):
        to_text("s.pdf", data, max_bytes=5_000_000)
    assert time.perf_counter() - t0 < 1.0


def test_a_text_over_the_character_limit_is_refused_before_extraction(monkeypatch):
    monkeypatch.setattr(formats, "MAX_TEXT_CHARS", 1000)
    with pytest.raises(InputError, match=r"「long\.txt」的文字有 1,500 字，超过上限 1,000 字 \(text too long\)"):
        to_text("long.txt", ("行政复议" * 375).encode("utf-8"))
    with pytest.raises(InputError, match=r"「long\.docx」的文字有 \d,\d{3} 字，超过上限 1,000 字"):
        to_text("long.docx", docx(para("行政诉讼" * 300)))


# ------------------------------------------------------------------ control characters

@pytest.mark.parametrize("name, make", [
    ("c.docx", lambda: docx(para("2021年，行政复议\x01案件\x1f为\x0b42件。\x07"))),
    ("c.html", lambda: "<p>2021年，行政复议&#1;案件\x1f为\x0b42件。\x07</p><p>完&#0;&#x1b;</p>".encode("utf-8")),
])
def test_no_control_character_except_tab_and_newline_reaches_the_text(name, make):
    text, _ = to_text(name, make())
    assert not any(ord(c) < 32 and c not in "\t\n" for c in text)
    assert "42件" in text


def test_control_characters_of_a_pdf_text_layer_are_removed(monkeypatch):
    # reportlab drops control characters when drawing; a text layer that maps glyphs to them does not.
    monkeypatch.setattr(formats, "_pdf", lambda data, label, limit: "2021年，行政复议\x02案件为\x1b42件。\x0c下一页")
    text, _ = to_text("c.pdf", b"%PDF-1.4")
    assert text == "2021年，行政复议案件为42件。\n下一页"


def test_strip_controls_maps_line_separators_to_newlines():
    assert formats.strip_controls("a\r\nb\rc\x0cd\x00e\tf") == "a\nb\nc\nde\tf"


# ------------------------------------------------------------------ why an import gave no figure

def pdf_pages(first_page_text, blank_pages):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.setFont("STSong-Light", 12)
    c.drawString(40, 800, first_page_text)
    for _ in range(blank_pages):
        c.showPage()
        c.rect(50, 50, 400, 600, fill=1)   # a scanned page: an image, no text
    c.save()
    return buf.getvalue()


def no_figures(name, data):
    text, _ = to_text(name, data)
    p = process_bytes(name, data, {"district": "示例区", "period": "2021", "doc_type": "annual_report"})
    assert rows(p) == []
    return formats.why_empty(name, data, text, held=len(p.ex.mentions) + len(p.ex.flags))


def test_a_pdf_with_a_text_cover_and_scanned_pages_is_called_a_scan():
    data = pdf_pages("示例区人民政府关于2021年度法治政府建设情况的报告", 3)
    assert no_figures("scan.pdf", data) == \
        "「scan.pdf」：PDF 没有文字层（可能是扫描件），请提供文字版 (scanned PDF without a text layer)"


def test_a_text_pdf_without_indicators_is_not_called_a_scan():
    data = pdf_with_table([["序号", "事项"], ["1", "召开常务会议学法"]], before="区政府召开常务会议，集体学习宪法。"
                          "会议强调，各部门要提高依法决策水平，推进政务公开。")
    assert no_figures("talk.pdf", data).endswith("可能不是法治政府建设报告 (no indicator phrasing found)")


def test_a_report_naming_indicators_without_numbers_says_which_it_found():
    text = (TITLE + "\n一年来，我区行政复议工作扎实推进，行政诉讼败诉率持续下降，"
            "行政机关负责人出庭应诉率稳步提高，各项工作取得新成效。\n").encode("utf-8")
    msg = no_figures("words.txt", text)
    assert msg.startswith("「words.txt」提到了「") and "败诉率" in msg
    assert msg.endswith("等指标，但没有读到属于这些指标的数值 (indicator phrases found but no figures of theirs)")


@pytest.mark.parametrize("sentence", ["全区行政诉讼败诉率同比下降2.5个百分点。",
                                      "全程网办率较上年提高6个百分点，群众办事更加便捷。"])
def test_a_report_whose_only_figures_are_changes_in_points_says_they_were_held_back(sentence):
    filler = "一年来，我区坚持以习近平法治思想为指导，扎实推进法治政府建设各项工作，依法行政水平不断提高。"
    msg = no_figures("points.txt", (TITLE + "\n" + filler + sentence + "\n").encode("utf-8"))
    assert msg.startswith("「points.txt」提到了「") and "旁边的 1 处数值未能确认为这些指标的数据" in msg
    assert msg.endswith("(1 figures beside indicator phrases were held back: changes in points, other scopes or units)")


def test_a_report_with_only_the_bare_word_of_an_indicator_names_real_phrasings():
    text = (TITLE + "\n本年度行政处罚被申请行政复议3宗，办理群众来信120件，组织学法活动12场，各项工作平稳推进。\n"
            "执法人员参加培训、考试，全体合格，执法队伍建设得到加强，群众反映良好。\n").encode("utf-8")
    assert no_figures("bare.txt", text) == ("「bare.txt」中没有找到任何指标用语（如「行政复议案件」「败诉率」「全程网办率」），"
                                            "可能不是法治政府建设报告 (no indicator phrasing found)")


def test_a_traditional_text_without_a_phrase_is_named_as_traditional():
    text = ("本區今年舉辦了多場文藝會演和讀書活動，群眾參與熱情高漲，各單位積極響應，"
            "社區服務體系進一步完善，為居民生活帶來諸多便利，受到廣泛好評。").encode("utf-8")
    assert no_figures("trad.txt", text) == \
        "「trad.txt」是繁体中文文本，未找到指标用语 (traditional Chinese text, no indicator phrasing found)"


def test_unreadable_and_foreign_texts_say_so():
    assert formats.why_empty("x.pdf", b"", "(cid:12)(cid:40)(cid:7)" * 20 + "报告").startswith(
        "「x.pdf」的文字大多无法识别（字体缺少 Unicode 映射）")
    assert formats.why_empty("en.txt", b"", "The district reviewed 120 cases in 2021. " * 5) == \
        "「en.txt」几乎没有中文文字，无法匹配指标用语 (hardly any Chinese text)"
    assert formats.why_empty("page.html", b"", "正在加载……") == (
        "「page.html」只有 4 个汉字，文字太少；如果是网页，内容可能由脚本加载，请保存完整网页或复制正文 (too little text)")


# ------------------------------------------------------------------ .html tables

def test_an_html_year_table_with_a_rowspan_label_gives_one_figure_per_cell():
    page = ("<html><body><div id='content'><p>" + TITLE + "</p><p>主要数据见下表。</p><table>"
            "<tr><th>类别</th><th>指标</th><th>2020 年</th><th>2021 年</th></tr>"
            "<tr><td rowspan='2'>行政复议</td><td>纠错率（%）</td><td>11.2</td><td>9.8</td></tr>"
            "<tr><td>案件（件）</td><td>64</td><td>70</td></tr>"
            "<tr><td colspan='2'>行政机关负责人出庭应诉率</td><td>97%</td><td>—</td></tr>"
            "</table><p>后文。</p></div></body></html>").encode("utf-8")
    assert figures("t.html", page) == [
        ("head_appearance_rate", "2020", "97", "%"),
        ("reconsideration_cases", "2020", "64", "件"), ("reconsideration_cases", "2021", "70", "件"),
        ("reconsideration_correction_rate", "2020", "11.2", "%"),
        ("reconsideration_correction_rate", "2021", "9.8", "%")]


def test_an_html_layout_table_keeps_its_paragraphs_and_a_stray_end_tag_closes_nothing():
    page = ("<html><body><div class='nav'>首页</span> 行政复议案件99件</div><table><tr><td><p>第一段。</p>"
            "<p>第二段。</p></td></tr></table></body></html>")
    text = formats.html_to_text(page)
    assert "99件" not in text
    assert [l for l in text.splitlines() if l] == ["第一段。", "第二段。"]


def test_a_pdf_stream_bomb_under_an_ascii85_layer_is_refused_too():
    import base64
    import zlib
    blob = b"<~" + base64.a85encode(zlib.compress(b" " * 12_000_000, 9)) + b"~>"
    data = (b"%PDF-1.4\n1 0 obj\n<< /Length " + str(len(blob)).encode()
            + b" /Filter [/ASCII85Decode /FlateDecode] >>\nstream\n" + blob + b"\nendstream\nendobj\n%%EOF\n")
    with pytest.raises(InputError, match=r"「a\.pdf」中偏移 \d+ 处的数据流解压后超过上限 10 MB"):
        to_text("a.pdf", data, max_bytes=10_000_000)


def test_the_stream_check_inflates_each_stream_of_a_real_pdf():
    data = pdf_with_table([["指标", "2020年"], ["行政复议案件（件）", "40"]])
    formats._check_pdf_streams(data, "「r.pdf」", 10_000_000)   # a real report passes
    with pytest.raises(InputError, match="疑似压缩炸弹"):
        formats._check_pdf_streams(data, "「r.pdf」", 100)       # its content streams are Flate data


def test_a_year_spanning_two_sub_columns_joins_each_sub_header_to_the_label():
    assert table_lines([["指标", "2021年", None, "2022年", None],
                        [None, "收案（件）", "结案（件）", "收案（件）", "结案（件）"],
                        ["行政复议", "64", "60", "70", "66"]]) == [
        "2021年，行政复议收案为64件。", "2021年，行政复议结案为60件。",
        "2022年，行政复议收案为70件。", "2022年，行政复议结案为66件。"]


def test_a_year_spanning_two_columns_without_sub_headers_gives_no_year():
    lines = table_lines([["指标", "2021年", "", "2022年", ""],
                         ["行政复议案件（件）", "64", "60", "70", "66"]])
    assert not any(l.startswith("2021年") or l.startswith("2022年") for l in lines)
    assert lines[0] == "行政复议案件（2021年）：64。"
    assert table_lines([["指标", "2021年", "2022年", ""], ["行政复议案件（件）", "64", "70", ""]]) == [
        "2021年，行政复议案件为64件。", "2022年，行政复议案件为70件。"]   # an empty trailing column spans nothing


def test_a_docx_nested_thousands_deep_is_refused_with_a_message():
    body = "<w:sdt><w:sdtContent>" * 5000 + para("x") + "</w:sdtContent></w:sdt>" * 5000
    with pytest.raises(InputError, match=r"「deep\.docx」的文档结构嵌套过深，无法读取 \(document nested too deeply\)"):
        to_text("deep.docx", docx(body))


def test_a_pdf_locked_with_a_password_says_it_is_encrypted():
    from reportlab.pdfgen import canvas
    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt="secret")
    c.drawString(40, 800, "2021 report " * 5)
    c.save()
    with pytest.raises(InputError, match=r"^「lock\.pdf」已加密，请提供未加密的 PDF \(encrypted PDF\)$"):
        to_text("lock.pdf", buf.getvalue())


def test_an_unruled_pdf_table_keeps_one_row_per_line():
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    t = Table([["指标", "2020年", "2021年"], ["行政诉讼败诉率（%）", "8", "6.5"]])
    t.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), "STSong-Light", 10)]))   # no grid lines
    buf = io.BytesIO()
    SimpleDocTemplate(buf).build([Paragraph(TITLE, ParagraphStyle("zh", fontName="STSong-Light")), t])
    text, _ = to_text("u.pdf", buf.getvalue())
    assert "2020年，行政诉讼败诉率为8%。" in text and "2021年，行政诉讼败诉率为6.5%。" in text


def test_a_tab_aligned_year_table_is_read_row_by_row_until_a_row_does_not_fit():
    text = ("前文。\n指标\t2020年\t2021年\n行政机关负责人出庭\n应诉率（%）\t95\t100\n"
            "行政复议案件（件）\t120\n后文。")
    assert formats.text_tables(text).split("\n") == [
        "前文。", "2020年，行政机关负责人出庭应诉率为95%。", "2021年，行政机关负责人出庭应诉率为100%。",
        "行政复议案件（件）\t120", "后文。"]


def test_a_line_of_years_without_value_rows_is_left_alone():
    text = "规划期 2021年 2025年\n全面推进依法行政。\n项目 2020年 2021年\n"
    assert formats.text_tables(text) == text


def test_counts_that_look_like_years_below_the_first_row_are_not_year_headers():
    lines = table_lines([["事项", "收案", "结案"], ["行政复议（件）", "2015", "2018"], ["行政应诉（件）", "1998", "2003"]])
    assert not any(l.startswith(("2015年", "2018年", "1998年", "2003年")) for l in lines)
    assert table_lines([["项目", "2020", "2021"], ["行政应诉案件（件）", "47", "52"]]) == [
        "2020年，行政应诉案件为47件。", "2021年，行政应诉案件为52件。"]
