"""Decoding and normalisation of report text.

``normalise`` returns the clean text the extractor reads plus, for every character of it, the
index of the raw character it came from, so every quote maps back to a span of the raw text.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from etl.settings import MAX_REPORT_BYTES


class InputError(ValueError):
    """A file the extractor cannot use. The message is for the user: Chinese, then English."""


def check_size(data: bytes, name: str = "", max_bytes: int | None = None) -> str:
    """Refuse empty and oversized input; return the label used in messages."""
    limit = MAX_REPORT_BYTES if max_bytes is None else max_bytes
    label = f"「{name}」" if name else "文件"
    if not data.strip():
        raise InputError(f"{label}是空文件，没有可读取的内容 (empty file)")
    if len(data) > limit:
        raise InputError(
            f"{label}大小 {len(data) / 1e6:.1f} MB，超过上限 {limit / 1e6:.0f} MB (file too large)")
    return label


def decode(data: bytes, name: str = "", max_bytes: int | None = None) -> tuple[str, str]:
    """Return (text, encoding). Raise InputError for empty, oversized, binary or undecodable input."""
    label = check_size(data, name, max_bytes)
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(enc), enc
    if b"\x00" in data[:65536]:
        raise InputError(f"{label}是二进制文件，不是文本报告 (binary file, not a text report)")
    for enc in ("utf-8", "gb18030"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            break
        return text, enc
    raise InputError(f"{label}无法识别编码，请另存为 UTF-8 或 GBK 文本 (unknown encoding or binary file)")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ue000-\uf8ff\ud800-\udfff]")


def _looks_binary(text: str) -> bool:
    sample = text[:65536]
    return len(_CONTROL.findall(sample)) > max(8, len(sample) // 100)


# Lines that are not report text: page markers of PDF dumps, web-portal navigation.
_DROP_LINE = re.compile(
    r"""^\s*(?:
        [-—–－_]+\s*\d{1,4}\s*[-—–－_]+          # — 6 —
      | 第\s*\d+\s*页(?:\s*[/,，]?\s*共\s*\d+\s*页)?   # 第 3 页 共 9 页
      | .*(?:您当前的位置|当前位置)\s*[:：].*       # breadcrumb
      | \[\s*[^\]]{1,12}\s*\].*                    # [ 索引号 ] ... metadata rows
      | .*扫一扫.*
      | [^。，,；;]{0,60}\|[^。，,；;]{0,60}         # nav bar with | separators
    )\s*$""",
    re.X,
)
_NAV_WORDS = frozenset(
    "智能问答 便民地图 政策问答 数据中心 新媒体矩阵 营商环境 公开信箱 微博 微信 打印 关闭 "
    "打印本页 关闭窗口 分享到 字号 大 中 小 返回顶部 上一篇 下一篇 网站地图 联系我们".split())
_INLINE_DROP = re.compile(r"\[bookmark:[^\]]*\]")
_HEADING_START = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．](?!\d)|第[一二三四五六七八九十]+)")
_TERMINAL = set("。！？；：!?;:")
_TITLE_END = re.compile(r"(?:报告|方案|通知|纲要|意见|规划|总结)$")


def _drop_line(line: str) -> bool:
    if _DROP_LINE.match(line):
        return True
    words = line.split()
    return bool(words) and all(w in _NAV_WORDS for w in words)


_KEEP = frozenset("“”‘’、。《》〔〕【】「」—…·")


def _nfkc(ch: str) -> str:
    if ch in _KEEP:
        return ch
    return unicodedata.normalize("NFKC", ch)


def _tables() -> tuple[dict, re.Pattern]:
    """One-to-one NFKC replacements for str.translate, and a pattern of the characters whose
    NFKC form is longer than one character (handled one by one)."""
    one, expanding = {}, []
    for cp in range(0x80, 0x10000):
        ch = chr(cp)
        if 0xD800 <= cp <= 0xDFFF or ch in _KEEP:
            continue
        n = unicodedata.normalize("NFKC", ch)
        if n == ch:
            continue
        if len(n) == 1 and not n.isspace():
            one[cp] = n
        else:
            expanding.append(re.escape(ch))
    return one, re.compile("[" + "".join(expanding) + "]")


_ONE_TO_ONE, _EXPANDING = _tables()
_TOKEN_RUN = re.compile(r"[^ \t\u3000\xa0\r\f\v\u200b\ufeff]+")


@dataclass(frozen=True)
class Normalised:
    text: str          # clean text: no spaces, no soft line breaks, half-width digits and punctuation
    pos: tuple         # pos[i] = index in the raw text of text[i]

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        if start >= end:
            return (self.pos[start] if start < len(self.pos) else 0,) * 2
        return self.pos[start], self.pos[end - 1] + 1


def normalise(raw: str) -> Normalised:
    """Clean ``raw`` for extraction.

    - full-width digits, letters and punctuation become half-width (NFKC), Chinese quotes and
      the enumeration comma 、 stay;
    - spaces disappear (Chinese needs none; PDF dumps put them inside numbers: ``168 件``);
    - a line break is kept (as ``\\n``) only where a sentence or a heading ends; elsewhere the
      two lines are joined, which mends sentences and numbers broken by hard wrapping;
    - page markers (``— 6 —``) and web-portal navigation lines are dropped.
    """
    out: list[str] = []
    pos: list[int] = []
    offset = 0
    lines = raw.split("\n")
    for li, line in enumerate(lines):
        start = offset
        offset += len(line) + 1
        if not line.strip() or _drop_line(line):
            continue
        line_out_start = len(out)
        for run in _TOKEN_RUN.finditer(_INLINE_DROP.sub(lambda m: " " * len(m.group()), line)):
            a, chunk = run.start(), run.group()
            if _EXPANDING.search(chunk):
                for j, ch in enumerate(chunk):
                    for c in _nfkc(ch):
                        if not c.isspace():
                            out.append(c)
                            pos.append(start + a + j)
            else:
                out.extend(chunk.translate(_ONE_TO_ONE))
                pos.extend(range(start + a, start + a + len(chunk)))
        if len(out) == line_out_start:
            continue
        # Decide whether the break after this line ends a sentence.
        nxt = next((l for l in lines[li + 1:] if l.strip() and not _drop_line(l)), "")
        if out[-1] in _TERMINAL or _HEADING_START.match(nxt) or not nxt or _TITLE_END.search(line.rstrip()):
            out.append("\n")
            pos.append(start + len(line))
    return Normalised("".join(out), tuple(pos))
