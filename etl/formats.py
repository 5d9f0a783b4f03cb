"""Report files of every accepted kind to text: .txt (UTF-8, GB18030/GBK), .docx, .pdf with a
text layer, .html/.htm saved from a government portal (navigation chrome stripped).

The text ``to_text`` returns is the document's stored raw text: every quote is a span of it.
Tables with a column (or a row) per year are written as one sentence per cell,
「2020年，行政诉讼败诉率为8%。」, so the extractor reads one figure per cell with its year.
Archives and texts over the limits are refused before anything is parsed.
"""
from __future__ import annotations

import io
import os
import re
import zipfile
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

from etl import settings
from etl.text import InputError, check_size, code_table, codes_in, decode

ACCEPTED = (".txt", ".docx", ".pdf", ".html", ".htm")

# Longest text (characters) handed to the extractor: about 500 pages, 20 times a long report.
MAX_TEXT_CHARS = int(os.environ.get("FAZHI_MAX_CHARS", 1_000_000))
# Most pages read from one PDF.
MAX_PDF_PAGES = int(os.environ.get("FAZHI_MAX_PAGES", 500))


def to_text(name: str, data: bytes, max_bytes: int | None = None) -> tuple[str, str]:
    """Read one report file.

    Input: the file's name (its suffix picks the reader) and bytes; ``max_bytes`` overrides the
    size limit (``settings.MAX_REPORT_BYTES``), which also bounds every inflated zip member and
    PDF stream. Output: (text, how it was read), e.g. ``("…", "docx")`` or ``("…", "html/utf-8")``;
    the text has no control characters except tab and newline and at most ``MAX_TEXT_CHARS``
    characters. Raises InputError with a Chinese + English message for the user.
    """
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    label = f"「{name}」"
    if suffix not in ACCEPTED:
        raise InputError(f"{label}的格式 {suffix or '(无扩展名)'} 不支持，请上传 .txt、.docx、.pdf 或 .html 文件 "
                         f"(unsupported file type)")
    limit = settings.MAX_REPORT_BYTES if max_bytes is None else max_bytes
    if suffix == ".txt":
        text, how = decode(data, name, max_bytes)
    else:
        check_size(data, name, max_bytes)
        if suffix == ".docx":
            text, how = _docx(data, label, limit), "docx"
        elif suffix == ".pdf":
            text, how = _pdf(data, label, limit), "pdf"
        else:
            html, enc = decode(data, name, max_bytes)
            _check_chars(len(html), label)
            text, how = html_to_text(html), f"html/{enc}"
    text = strip_controls(text)
    _check_chars(len(text), label)
    # Year tables (a PDF dump saved as .txt aligns them with tabs or spaces too) become sentences.
    text = text_tables(text)
    return text, how


_NEWLINE_CONTROLS = re.compile(r"\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1b\x1f]")
_ANY_CONTROL = code_table([(0x00, 0x08), (0x0B, 0x1F), (0x85, 0x85), (0x2028, 0x2029)])   # either of the two above


def strip_controls(text: str) -> str:
    """``text`` with CR, vertical tab, form feed and the other line separators as ``\\n`` and every
    other control character U+0000–U+001F except tab and newline removed."""
    if not codes_in(_ANY_CONTROL, text).any():
        return text                   # most text: one quick scan instead of two rewrites
    return _CONTROLS.sub("", _NEWLINE_CONTROLS.sub("\n", text))


def _check_chars(n: int, label: str) -> None:
    if n > MAX_TEXT_CHARS:
        raise InputError(f"{label}的文字有 {n:,} 字，超过上限 {MAX_TEXT_CHARS:,} 字 (text too long)")


# ------------------------------------------------------------------------------------------ .docx

_W = ("http://schemas.openxmlformats.org/wordprocessingml/2006/main",
      "http://purl.oclc.org/ooxml/wordprocessingml/main")
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_OFFICE_DOC = re.compile(r"/officeDocument$")
_XML_CONTROLS = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _unzip(data: bytes, label: str, limit: int) -> zipfile.ZipFile:
    """Open a zip archive after checking every member's declared inflated size."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as e:
        raise InputError(f"{label}不是有效的 Word (.docx) 文件 (not a valid .docx file)") from e
    for info in infos:
        if info.file_size > limit:
            raise _bomb(label, info.filename, info.file_size, limit)
    return zf


def _bomb(label: str, member: str, size: int, limit: int) -> InputError:
    return InputError(f"{label}中的「{member}」解压后 {size / 1e6:.1f} MB，超过上限 {limit / 1e6:.0f} MB，"
                      f"疑似压缩炸弹，已拒绝 (zip member {member} inflates to {size / 1e6:.1f} MB, over the "
                      f"{limit / 1e6:.0f} MB limit)")


def _member(zf: zipfile.ZipFile, member: str, label: str, limit: int) -> bytes | None:
    """A member's bytes, read at most ``limit`` + 1 bytes far (a header may lie about the size)."""
    try:
        with zf.open(member) as f:
            out = f.read(limit + 1)
    except KeyError:
        return None
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as e:
        raise InputError(f"{label}不是有效的 Word (.docx) 文件 (not a valid .docx file)") from e
    if len(out) > limit:
        raise _bomb(label, member, len(out), limit)
    return out


def _xml(raw: bytes, label: str) -> ET.Element:
    # Word never writes a DTD: refusing one rules out entity expansion and external entities.
    if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        raise InputError(f"{label}的 XML 含有 DTD 声明，已拒绝 (XML with a DTD refused)")
    try:
        return ET.fromstring(raw)
    except ET.ParseError:
        pass
    try:   # some writers put raw control characters into the XML, which XML forbids
        return ET.fromstring(_XML_CONTROLS.sub(b"", raw))
    except ET.ParseError as e:
        raise InputError(f"{label}不是有效的 Word (.docx) 文件 (not a valid .docx file)") from e


def _docx(data: bytes, label: str, limit: int) -> str:
    zf = _unzip(data, label, limit)
    main = "word/document.xml"
    rels = _member(zf, "_rels/.rels", label, limit)
    if rels is not None:
        for rel in _xml(rels, label):
            if _OFFICE_DOC.search(rel.get("Type", "")) and rel.get("Target"):
                main = rel.get("Target").lstrip("/")
    raw = _member(zf, main, label, limit)
    if raw is None:
        raise InputError(f"{label}不是有效的 Word (.docx) 文件 (not a valid .docx file)")
    body = next((el for el in _xml(raw, label) if _wtag(el) == "body"), None)
    lines: list[str] = []
    try:
        if body is not None:
            _blocks(body, lines)
    except RecursionError as e:
        raise InputError(f"{label}的文档结构嵌套过深，无法读取 (document nested too deeply)") from e
    return "\n".join(lines)


def _wtag(el: ET.Element) -> str | None:
    """Local name of a WordprocessingML element, None for any other namespace."""
    ns, _, local = el.tag.rpartition("}")
    return local if ns[1:] in _W else None


def _is_on(el: ET.Element | None) -> bool:
    if el is None:
        return False
    val = next((v for k, v in el.attrib.items() if k.endswith("}val")), "true")
    return val not in ("0", "false", "off")


# Elements whose content is never visible text: deletions, properties, field codes, ruby text.
_SKIP = {"del", "moveFrom", "delText", "delInstrText", "instrText", "pPr", "rPr", "tblPr", "tblGrid", "trPr", "tcPr",
         "sectPr", "rt", "footnoteReference", "endnoteReference", "commentReference", "fldData"}


def _blocks(parent: ET.Element, lines: list[str]) -> None:
    """Append the lines of the block content of ``parent`` (body, cell, text box), in order."""
    for el in parent:
        tag = _wtag(el)
        if tag == "p":
            boxes: list[str] = []
            lines.append("".join(_inline(el, boxes)))
            lines.extend(boxes)
        elif tag == "tbl":
            lines.extend(table_lines(_docx_grid(el)))
        elif tag not in _SKIP and not _fallback(el):
            _blocks(el, lines)   # sdt, sdtContent, customXml, ins, smartTag …


def _fallback(el: ET.Element) -> bool:
    return el.tag == f"{{{_MC}}}Fallback"   # the VML copy of a text box already read in mc:Choice


def _inline(el: ET.Element, boxes: list[str]):
    """Yield the visible text of a paragraph; text boxes inside it go to ``boxes`` as lines."""
    for child in el:
        tag = _wtag(child)
        if tag == "t":
            yield child.text or ""
        elif tag == "tab":
            yield "\t"
        elif tag in ("br", "cr"):
            yield "\n"
        elif tag == "noBreakHyphen":
            yield "-"
        elif tag == "txbxContent":
            _blocks(child, boxes)
        elif tag == "r" and _is_on(_find(child, "rPr", "vanish")):
            continue   # hidden text
        elif tag not in _SKIP and not _fallback(child):
            yield from _inline(child, boxes)


def _find(el: ET.Element, *path: str) -> ET.Element | None:
    for name in path:
        el = next((c for c in el if _wtag(c) == name), None) if el is not None else None
    return el


def _docx_grid(tbl: ET.Element) -> list[list[str]]:
    """Cell texts of a table on its grid: a cell spanning n columns is followed by n − 1 empty
    cells; a cell continuing a vertical merge is None."""
    grid: list[list[str | None]] = []
    for tr in (c for c in tbl if _wtag(c) == "tr"):
        if _find(tr, "trPr", "del") is not None:
            continue   # a deleted row
        row: list[str | None] = []
        for tc in (c for c in tr if _wtag(c) in ("tc", "sdt", "customXml")):
            for cell in _cells(tc):
                lines: list[str] = []
                _blocks(cell, lines)
                merge = _find(cell, "tcPr", "vMerge")
                if merge is not None and merge.get(f"{{{_W[0]}}}val", merge.get(f"{{{_W[1]}}}val")) != "restart":
                    row.append(None)
                else:
                    row.append("\n".join(l for l in lines if l.strip()))
                span = _find(cell, "tcPr", "gridSpan")
                n = int(next(iter(span.attrib.values()), "1")) if span is not None else 1
                row.extend([""] * max(0, min(n, 64) - 1))
        grid.append(row)
    return grid


def _cells(el: ET.Element):
    if _wtag(el) == "tc":
        yield el
        return
    for child in el:   # a content control or custom XML around cells
        if _wtag(child) in ("tc", "sdt", "sdtContent", "customXml"):
            yield from _cells(child)


# ------------------------------------------------------------------------------------------ tables

_YEAR_HEAD = re.compile(r"^((?:19|20)\d\d)\s*年?度?\s*(?:[（(]([^）)]{1,8})[）)])?$")
_UNIT_PAREN = re.compile(r"[（(]\s*(?:单位\s*[:：]\s*)?([^（）()]{1,8}?)\s*[）)]\s*$")
_UNIT_HEAD = re.compile(r"^(?:计量)?单位$")
_BARE_NUMBER = re.compile(r"^[-+−]?\d[\d,，]*(?:\.\d+)?$")
_PLACEHOLDER = re.compile(r"^[-—–－/／\\、…·.。\s]*$|^(?:无|暂无|空)$")
_UNITS = frozenset("% ‰ 件 个 人 人次 次 家 项 起 万元 元 亿元 千元 万 天 日 小时 分钟 个百分点 百分点 户 名 份 条 部 场 所".split())


def _year(text: str | None) -> tuple[str, str] | None:
    m = _YEAR_HEAD.match(re.sub(r"\s+", "", text or ""))
    return (m.group(1), m.group(2) or "") if m else None


def table_lines(rows: list[list[str | None]]) -> list[str]:
    """Lines of text for one table given as rows of cell texts (None: a cell merged into the one
    above or beside it).

    A table with a column per year (header 指标 | 2020年 | 2021年) or a row per year (header
    年份 | 行政复议案件（件）) becomes one sentence per filled cell, 「2020年，行政复议案件为120件。」:
    the period comes from the cell's year header, the unit from the label's parenthesis
    (「（%）」「（单位：件）」), a 单位 column or the year header, appended to bare numbers. Other
    columns of such a table become 「label（header）：cell。」. Any other table gives one line per
    row, its cells separated by spaces, ended by 。 when it has two or more cells (a cell of
    several lines, such as a nested table, stays a block of its own lines).
    """
    rows = [list(r) for r in rows if any(c and c.strip() for c in r)]
    if not rows:
        return []
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    for h in range(min(3, len(rows))):
        heads = [c for c in rows[h][1:] if _year(c)]
        # bare 4-digit headers (no 年) only in the first row: below it they may be counts
        if len(heads) >= 2 and (h == 0 or any("年" in c for c in heads)):
            return _year_columns(rows, h)
    if len(rows) >= 3 and sum(_year(r[0]) is not None for r in rows[1:]) >= 2:
        return _year_columns([list(col) for col in zip(*rows)], 0)
    return [_plain_row(row) for row in rows]


def _plain_row(row: list[str | None]) -> str:
    cells = [c.strip() for c in row if c and c.strip()]
    if any("\n" in c for c in cells):   # a cell holding paragraphs or a nested table: a block each
        return "\n".join(cells)
    line = " ".join(cells)
    if len(cells) >= 2 and line[-1] not in "。；;！？!?":
        line += "。"
    return line


def _year_columns(rows: list[list[str | None]], h: int) -> list[str]:
    """Sentences of a table whose row ``h`` holds the year headers; rows above it are titles.

    A year header spanning several columns needs a row of sub-headers below it (收案 | 结案):
    each sub-header joins the row label. Without one, the spanned columns give no year.
    """
    grid = [[re.sub(r"\s+", "", c) if c is not None else None for c in r] for r in rows]
    head = [c or "" for c in grid[h]]
    first = min(j for j, c in enumerate(head) if j and _year(c))
    sub = grid[h + 1] if len(grid) > h + 1 else []
    if any(sub[:first]) or sum(bool(c) and not _BARE_NUMBER.match(c) for c in sub[first:]) < 2:
        sub = []
    filled = {j for r in grid[h + 1:] for j, c in enumerate(r) if c and not _PLACEHOLDER.match(c)}
    cols: dict[int, tuple[str, str, str] | None] = {}   # column -> (year, sub-header, unit) or None
    year = None
    for j in range(first, len(head)):
        y = _year(head[j])
        year = y if y else (year if not head[j] else None)
        spanned = not y and year is not None and j in filled
        if year is None or (spanned or (head[j + 1:j + 2] == [""] and j + 1 in filled)) and not sub:
            cols[j] = None
            continue
        name, unit = _split_unit(sub[j] if sub else "")
        cols[j] = (year[0], name, unit or (year[1] if year[1] in _UNITS else ""))
    label_cols = [j for j in range(first) if not _UNIT_HEAD.match(head[j])]
    unit_col = next((j for j in range(first) if _UNIT_HEAD.match(head[j])), None)
    lines = [_plain_row(r) for r in rows[:h]]
    above = [""] * len(head)
    for row in grid[h + 1 + bool(sub):]:
        row = [above[j] if c is None and j < first else c or "" for j, c in enumerate(row)]
        above = row
        label, unit = _split_unit("".join(dict.fromkeys(row[j] for j in label_cols if row[j])))  # merges repeat
        if unit_col is not None and row[unit_col]:
            unit = row[unit_col]
        said = False
        for j in range(first, len(row)):
            value = row[j]
            if not value or _PLACEHOLDER.match(value):
                continue
            if cols.get(j):
                y, name, col_unit = cols[j]
                u = unit or col_unit
                lines.append(f"{y}年，{label}{name}为{value + u if _BARE_NUMBER.match(value) else value}。")
            else:
                lines.append(f"{label}（{head[j] or (sub[j] if sub else '')}）：{value}。")
            said = True
        if not said and label:
            lines.append(label)
    return lines


def _split_unit(label: str) -> tuple[str, str]:
    """「行政复议案件（件）」 → ("行政复议案件", "件"); a parenthesis that is not a unit stays."""
    m = _UNIT_PAREN.search(label)
    if m and m.group(1) in _UNITS:
        return label[:m.start()], m.group(1)
    return label, ""


_CELL_VALUE = re.compile(r"^(?:[-+−]?\d[\d,，]*(?:\.\d+)?(?:%|‰|件|个|人|人次|次|家|项|万元|元|亿元|天|日|个百分点)?|[-—–/／])$")


# A line that ends in two year headers separated by blanks (「指标 2020年 2021年」): a cheap test
# that lets texts without any year table skip text_tables' line-by-line reading.
_YEAR_TOKEN = r"(?:19|20)\d\d\s*年?度?\s*(?:[（(][^）)\n]{1,8}[）)])?"
_YEAR_PAIR_LINE = re.compile(_YEAR_TOKEN + r"[ \t\u3000\xa0]+" + _YEAR_TOKEN + r"[ \t\u3000\xa0]*$", re.M)
# What every match of _YEAR_PAIR_LINE holds, found much faster (a space opens it): a space, then a year.
_SPACE_YEAR = re.compile(r"[ \t\u3000\xa0](?:19|20)\d\d")


def text_tables(text: str) -> str:
    """``text`` with its unruled year tables, as a PDF's text layer or tab-aligned paragraphs
    give them (「指标 2020年 2021年」 over 「行政诉讼败诉率（%） 8 6.5」), written by ``table_lines``.

    A header line ends in two or more year tokens; each following line that ends in exactly as
    many values (numbers, with or without a unit, or a dash) is a row, its leading words the
    label; a short line without digits right before such a row is the start of its label.
    The table ends at the first other line. Lines of no such table are returned unchanged.
    """
    if not _SPACE_YEAR.search(text) or not _YEAR_PAIR_LINE.search(text):
        return text                       # no line ends in two year headers: no such table
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        tokens = lines[i].split()
        n = 0
        while n < len(tokens) and _year(tokens[len(tokens) - 1 - n]):
            n += 1
        if n < 2 or any(_year(t) for t in tokens[:len(tokens) - n]):
            out.append(lines[i])
            i += 1
            continue
        grid = [["".join(tokens[:-n]), *tokens[-n:]]]
        j, pending = i + 1, ""
        while j < len(lines):
            cells = lines[j].split()
            if len(cells) > n and all(_CELL_VALUE.match(c) for c in cells[-n:]) and not _CELL_VALUE.match(cells[0]):
                grid.append([pending + "".join(cells[:-n]), *cells[-n:]])
                pending = ""
            elif not pending and cells and len(lines[j]) <= 20 and not re.search(r"\d", lines[j]):
                pending = "".join(cells)
            else:
                break
            j += 1
        if len(grid) == 1:
            out.append(lines[i])
            i += 1
            continue
        j -= bool(pending)   # a label start with no row after it stays a line
        out.extend(table_lines(grid))
        i = j
    return "\n".join(out)


# ------------------------------------------------------------------------------------------ .pdf

_STREAM = re.compile(rb"stream\r?\n")
_CHUNK = 1 << 16


def _inflated_size(data, limit: int) -> int:
    """Bytes that Flate ``data`` (bytes or a memoryview) inflates to, counted at most ``limit`` + 1
    far and fed in chunks, so neither the output nor a copy of the input grows past a chunk."""
    import zlib
    d, n = zlib.decompressobj(), 0
    for pos in range(0, len(data), _CHUNK):
        n += len(d.decompress(data[pos:pos + _CHUNK], limit + 1 - n))
        while d.unconsumed_tail and n <= limit:
            n += len(d.decompress(d.unconsumed_tail, limit + 1 - n))
        if n > limit or d.eof:
            break
    return n


def _stream_bytes(data: bytes, m: re.Match):
    """The encoded bytes of the PDF stream whose ``stream`` keyword ``m`` matched, with an
    ASCII85 or hex layer removed (they wrap Flate data); None for other filters."""
    import base64
    import binascii
    head = data[max(0, m.start() - 2048):m.start()]
    head = head[head.rfind(b"<<"):]
    view = memoryview(data)[m.end():]
    if b"/ASCII85Decode" not in head and b"/A85" not in head and b"/ASCIIHexDecode" not in head and b"/AHx" not in head:
        return view
    end = data.find(b"endstream", m.end())
    body = data[m.end():end if end != -1 else len(data)]
    try:
        if b"/ASCIIHexDecode" in head or b"/AHx" in head:
            return binascii.unhexlify(re.sub(rb"\s|>.*", b"", body, flags=re.S))
        return base64.a85decode(re.sub(rb"\s", b"", body).removeprefix(b"<~").removesuffix(b"~>"))
    except (ValueError, binascii.Error):
        return None


def _check_pdf_streams(data: bytes, label: str, limit: int) -> None:
    """Refuse a PDF one of whose Flate streams (raw or under an ASCII85 / hex layer) inflates
    beyond ``limit`` bytes. Streams that are not Flate data are skipped at their first bytes."""
    import zlib
    for m in _STREAM.finditer(data):
        body = _stream_bytes(data, m)
        try:
            n = _inflated_size(body, limit) if body is not None else 0
        except zlib.error:
            continue
        if n > limit:
            raise InputError(f"{label}中偏移 {m.end()} 处的数据流解压后超过上限 {limit / 1e6:.0f} MB，疑似压缩炸弹，"
                             f"已拒绝 (PDF stream at byte {m.end()} inflates beyond the {limit / 1e6:.0f} MB limit)")


def _pdf(data: bytes, label: str, limit: int) -> str:
    """Text of a PDF's text layer, page by page with pdfplumber: words on one baseline form one
    line (so an unruled table keeps its rows) and ruled tables go through ``table_lines``."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError
    from pdfminer.psparser import PSException
    from pdfplumber.utils.exceptions import PdfminerException
    _check_pdf_streams(data, label, limit)
    parts: list[str] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PDF_PAGES:
                raise InputError(f"{label}有 {len(pdf.pages)} 页，超过上限 {MAX_PDF_PAGES} 页 (too many pages)")
            n = 0
            for page in pdf.pages:
                parts.append(_pdf_page(page))
                page.close()
                n += len(parts[-1])
                _check_chars(n, label)
    except InputError:
        raise
    except (PdfminerException, PSException, ValueError, KeyError, TypeError, AttributeError, RecursionError) as e:
        if any(isinstance(a, PDFEncryptionError) for a in (e, *e.args)):   # pdfplumber wraps pdfminer's
            raise InputError(f"{label}已加密，请提供未加密的 PDF (encrypted PDF)") from e
        raise InputError(f"{label}不是有效的 PDF 文件 (not a valid PDF)") from e
    text = "\n".join(parts)
    if len(re.sub(r"\s", "", text)) < 20:
        raise InputError(f"{label}是扫描版 PDF，没有文字层，无法提取；请提供文字版 PDF、Word 或文本文件 "
                         f"(scanned PDF without a text layer)")
    return text


def _pdf_page(page) -> str:
    """A page's text in reading order, its ruled tables written by ``table_lines``."""
    tables = page.find_tables() if page.lines or page.rects else []
    if not tables:
        return page.extract_text() or ""
    tables = sorted(tables, key=lambda t: t.bbox[1])
    boxes = [t.bbox for t in tables]

    def outside(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

    def band(top: float, bottom: float) -> str:
        part = page.filter(lambda o: outside(o) and top <= (o.get("top", 0) + o.get("bottom", 0)) / 2 < bottom)
        return part.extract_text() or ""

    out, y = [], 0.0
    for t in tables:
        out.append(band(y, t.bbox[1]))
        out.extend(table_lines(t.extract()))
        y = t.bbox[3]
    out.append(band(y, float(page.height) + 1))
    return "\n".join(s for s in out if s)


# ------------------------------------------------------------------------------------------ .html

_SKIP_TAGS = {"script", "style", "nav", "header", "footer", "noscript", "iframe", "form", "select", "button"}
_BLOCK_TAGS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article",
               "td", "th", "title"}
_CHROME = re.compile(r"nav|menu|footer|header|breadcrumb|crumb|sidebar|share|toolbar|topbar|bottom|position", re.I)


class _Table:
    """Cells of one HTML table on its grid, as ``table_lines`` takes them."""

    def __init__(self):
        self.rows: list[list] = []
        self.cell: list[str] | None = None
        self.down: dict[int, int] = {}   # column -> rows a rowspan still covers

    def _cover(self, row: list) -> None:
        while self.down.get(len(row), 0) > 0:
            self.down[len(row)] -= 1
            row.append(None)

    def end_cell(self) -> None:
        if self.cell is not None:
            self.rows[-1][self.cell_at] = "".join(self.cell)
            self.cell = None

    def new_row(self) -> None:
        self.end_cell()
        if self.rows:
            self._cover(self.rows[-1])
        self.rows.append([])

    def new_cell(self, attrs: dict) -> None:
        self.end_cell()
        if not self.rows:
            self.rows.append([])
        row = self.rows[-1]
        self._cover(row)
        self.cell, self.cell_at = [], len(row)
        span, down = (min(int(attrs.get(k) or 1) if str(attrs.get(k) or 1).isdigit() else 1, 64)
                      for k in ("colspan", "rowspan"))
        row.extend([""] * max(span, 1))
        for j in range(self.cell_at, self.cell_at + max(span, 1)):
            if down > 1:
                self.down[j] = down - 1

    def lines(self) -> list[str]:
        self.end_cell()
        return table_lines([[c.strip() if c else c for c in r] for r in self.rows])


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.stack: list[tuple[str, bool]] = []
        self.skip = 0
        self.tables: list[_Table] = []

    def _sink(self) -> list[str] | None:
        if not self.tables:
            return self.out
        return self.tables[-1].cell   # None between cells: layout whitespace

    def _emit(self, s: str) -> None:
        sink = self._sink()
        if sink is not None:
            sink.append(s)

    def handle_starttag(self, tag, attrs):
        if tag in ("br",):
            self._emit("\n")
            return
        if tag in ("meta", "link", "img", "input", "hr"):
            return
        a = dict(attrs)
        chrome = tag in _SKIP_TAGS or bool(_CHROME.search(f"{a.get('class', '')} {a.get('id', '')}"))
        self.stack.append((tag, chrome))
        self.skip += chrome
        if tag == "table":
            self.tables.append(_Table())
        elif tag == "tr" and self.tables:
            self.tables[-1].new_row()
        elif tag in ("td", "th") and self.tables:
            self.tables[-1].new_cell(a)
        elif tag in _BLOCK_TAGS:
            self._emit("\n")

    def handle_endtag(self, tag):
        if not any(t == tag for t, _ in self.stack):
            return   # a stray end tag closes nothing
        while self.stack:
            t, chrome = self.stack.pop()
            self.skip -= chrome
            if t == "table" and self.tables:
                lines = self.tables.pop().lines()
                self._emit("\n" + "\n".join(lines) + "\n")
            if t == tag:
                break
        if tag in ("td", "th") and self.tables:
            self.tables[-1].end_cell()
        elif tag in _BLOCK_TAGS:
            self._emit("\n")

    def handle_data(self, data):
        if self.skip:
            return
        self._emit(re.sub(r"\s+", " ", data) if self.tables else data)


def html_to_text(html: str) -> str:
    """Visible text of a saved web page, without scripts, styles and navigation chrome; its
    tables written by ``table_lines`` (a year table one sentence per cell)."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    while parser.tables:   # a table never closed
        parser.out.extend(["\n", "\n".join(parser.tables.pop().lines()), "\n"])
    text = "".join(parser.out)
    return re.sub(r"\n\s*\n+", "\n\n", text).strip() + "\n"


# ------------------------------------------------------------------------------------------ no figure

# Characters that occur in traditional Chinese only (their simplified forms differ).
_TRADITIONAL = frozenset("區縣會議與為們這個國際發機關務審結訴訟複調處辦應數據說對從來時間實現歸導網環續書點條單後門開"
                         "長報總體產業運動電話紀響標執權員規則劃濟職專項辦屬營護衛醫療廳協範勵稅貫徹覆蓋轉讓歷覽")
_GARBLED = re.compile(r"[\u00c0-\u00ff\ufffd\ue000-\uf8ff]|\(cid:\d+\)")
_CJK = re.compile(r"[\u3400-\u9fff]")


def why_empty(name: str, data: bytes, text: str, held: int = 0) -> str:
    """The likeliest reason an imported document gave no figure, as a message for the user.

    Input: the file's name and bytes and the raw text ``to_text`` returned for it. Output: one
    Chinese + English sentence, e.g. 「「x.pdf」：PDF 没有文字层（可能是扫描件），请提供文字版 (scanned
    PDF without a text layer)」. Reasons, first that applies: a PDF most of whose pages have no
    text; unreadable characters (fonts without a Unicode map, a wrong encoding); hardly any
    Chinese; a title that names a part of a year (「…2023年上半年工作总结」: its figures are mentions);
    too little text; traditional characters; no catalog phrasing; phrasings whose numbers were held
    back (``held``: the extraction's mentions and flags, e.g. a change in percentage points);
    phrasings without a number of their own. Never raises on a file ``to_text`` accepted.
    """
    from etl.catalog import load_catalog
    from etl.documents import detect_title
    from etl.periods import part_year_title
    from etl.text import normalise, to_simplified
    label = f"「{name}」"
    if name.lower().endswith(".pdf") and _mostly_without_text(data):
        return f"{label}：PDF 没有文字层（可能是扫描件），请提供文字版 (scanned PDF without a text layer)"
    visible = re.sub(r"\s", "", text)
    n = max(len(visible), 1)
    garbled = sum(len(m.group()) for m in _GARBLED.finditer(visible))
    if garbled > 0.2 * n:
        why = "字体缺少 Unicode 映射" if name.lower().endswith(".pdf") else "可能是编码错误"
        return f"{label}的文字大多无法识别（{why}），请另存为 UTF-8 文本或 Word 文件后再导入 (mostly unreadable characters)"
    cjk = len(_CJK.findall(visible))
    if len(visible) >= 50 and cjk < 0.2 * n:
        return f"{label}几乎没有中文文字，无法匹配指标用语 (hardly any Chinese text)"
    part = part_year_title(to_simplified(detect_title(text)))
    if part:
        return (f"{label}是年内部分时段（{part}）的总结，其中的数字不作为全年数据，列在「未采用的提及」中 "
                f"(a summary of part of a year: its figures are mentions, not the year's figures)")
    if cjk < 50:
        page = "；如果是网页，内容可能由脚本加载，请保存完整网页或复制正文" if name.lower().endswith((".html", ".htm")) else ""
        return f"{label}只有 {cjk} 个汉字，文字太少{page} (too little text)"
    norm = normalise(text).text
    found = dict.fromkeys(m.group() for m in load_catalog().phrase_re.finditer(norm))
    if not found:
        if sum(c in _TRADITIONAL for c in visible) > 0.03 * cjk:
            return f"{label}是繁体中文文本，未找到指标用语 (traditional Chinese text, no indicator phrasing found)"
        return (f"{label}中没有找到任何指标用语（如「行政复议案件」「败诉率」「全程网办率」），可能不是法治政府建设报告 "
                f"(no indicator phrasing found)")
    named = "」「".join(list(found)[:3])
    if held:
        return (f"{label}提到了「{named}」等指标，旁边的 {held} 处数值未能确认为这些指标的数据（如以百分点表示的变化、"
                f"其他口径或单位），未计入 ({held} figures beside indicator phrases were held back: changes in points, "
                f"other scopes or units)")
    return f"{label}提到了「{named}」等指标，但没有读到属于这些指标的数值 (indicator phrases found but no figures of theirs)"


def _mostly_without_text(data: bytes) -> bool:
    """True when half or more of a PDF's pages carry fewer than 20 characters of text."""
    import pdfplumber
    from pdfminer.psparser import PSException
    from pdfplumber.utils.exceptions import PdfminerException
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = pdf.pages[:MAX_PDF_PAGES]
            bare = sum(len(page.chars) < 20 for page in pages)
    except (PdfminerException, PSException, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return False
    return bool(pages) and bare * 2 >= len(pages)
