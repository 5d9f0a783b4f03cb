"""Report files of every accepted kind to text: .txt (UTF-8, GB18030/GBK), .docx, .pdf with a
text layer, .html/.htm saved from a government portal (navigation chrome stripped)."""
from __future__ import annotations

import io
import re
import zipfile
from html.parser import HTMLParser

from etl.text import InputError, check_size, decode

ACCEPTED = (".txt", ".docx", ".pdf", ".html", ".htm")


def to_text(name: str, data: bytes, max_bytes: int | None = None) -> tuple[str, str]:
    """(text, how it was read). Raises InputError with a message for the user."""
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    label = f"「{name}」"
    if suffix not in ACCEPTED:
        raise InputError(f"{label}的格式 {suffix or '(无扩展名)'} 不支持，请上传 .txt、.docx、.pdf 或 .html 文件 "
                         f"(unsupported file type)")
    if suffix == ".txt":
        return decode(data, name, max_bytes)
    check_size(data, name, max_bytes)
    if suffix == ".docx":
        return _docx(data, label), "docx"
    if suffix == ".pdf":
        return _pdf(data, label), "pdf"
    text, enc = decode(data, name, max_bytes)
    return html_to_text(text), f"html/{enc}"


def _docx(data: bytes, label: str) -> str:
    import docx
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        raise InputError(f"{label}不是有效的 Word (.docx) 文件 (not a valid .docx file)") from e
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" ".join(c.text for c in row.cells))
    return "\n".join(lines)


def _pdf(data: bytes, label: str) -> str:
    import pypdf
    from pypdf.errors import PdfReadError
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError) as e:
        raise InputError(f"{label}不是有效的 PDF 文件 (not a valid PDF)") from e
    text = "\n".join(pages)
    if len(re.sub(r"\s", "", text)) < 20:
        raise InputError(f"{label}是扫描版 PDF，没有文字层，无法提取；请提供文字版 PDF、Word 或文本文件 "
                         f"(scanned PDF without a text layer)")
    return text


_SKIP_TAGS = {"script", "style", "nav", "header", "footer", "noscript", "iframe", "form", "select", "button"}
_BLOCK_TAGS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article",
               "td", "th", "title"}
_CHROME = re.compile(r"nav|menu|footer|header|breadcrumb|crumb|sidebar|share|toolbar|topbar|bottom|position", re.I)


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.stack: list[tuple[str, bool]] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("br",):
            self.out.append("\n")
            return
        if tag in ("meta", "link", "img", "input", "hr"):
            return
        a = dict(attrs)
        chrome = tag in _SKIP_TAGS or bool(_CHROME.search(f"{a.get('class', '')} {a.get('id', '')}"))
        self.stack.append((tag, chrome))
        self.skip += chrome
        if tag in _BLOCK_TAGS:
            self.out.append("\n")

    def handle_endtag(self, tag):
        while self.stack:
            t, chrome = self.stack.pop()
            self.skip -= chrome
            if t == tag:
                break
        if tag in _BLOCK_TAGS:
            self.out.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.out.append(data)


def html_to_text(html: str) -> str:
    """Visible text of a saved web page, without scripts, styles and navigation chrome."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    text = "".join(parser.out)
    return re.sub(r"\n\s*\n+", "\n\n", text).strip() + "\n"
