"""Decoding and normalisation of report text.

``normalise`` returns the clean text the extractor reads plus, for every character of it, the
index of the raw character it came from, so every quote maps back to a span of the raw text.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from etl.numbers import arabic_years
from etl.settings import MAX_REPORT_BYTES


class InputError(ValueError):
    """A file the extractor cannot use. The message is for the user: Chinese, then English."""


def check_size(data: bytes, name: str = "", max_bytes: int | None = None) -> str:
    """Refuse empty and oversized input (above ``max_bytes``, default FAZHI_MAX_BYTES / 20 MB) with
    an InputError; return the label used in messages (「name」, or 文件 without a name)."""
    limit = MAX_REPORT_BYTES if max_bytes is None else max_bytes
    label = f"「{name}」" if name else "文件"
    if not data.strip():
        raise InputError(f"{label}是空文件，没有可读取的内容 (empty file)")
    if len(data) > limit:
        raise InputError(
            f"{label}大小 {len(data) / 1e6:.1f} MB，超过上限 {limit / 1e6:.0f} MB (file too large)")
    return label


def decode(data: bytes, name: str = "", max_bytes: int | None = None) -> tuple[str, str]:
    """Return (text, encoding name) of a text file's bytes.

    Tried in order: a byte-order mark (UTF-8, UTF-16, UTF-32); UTF-16 without a mark when the
    bytes hold NULs (the high bytes of ASCII characters); UTF-8; GB18030 when the result reads as
    common Chinese; then the better-reading of GB18030 and the encoding charset-normalizer finds
    (Big5, other legacy encodings; its name is returned, e.g. 'big5'). Raise InputError for empty, oversized, binary or undecodable
    input, and for a UTF-8 file spoiled by a few invalid bytes (the message names the first one's
    byte offset and line).
    """
    label = check_size(data, name, max_bytes)
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
                     (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as e:
                raise InputError(f"{label}以 {enc} 字节顺序标记开头，但第 {e.start} 字节起无法按 {enc} 解码 "
                                 f"(invalid {enc} at byte offset {e.start})") from None
    if b"\x00" in data[:65536]:
        enc = _utf16_without_bom(data)
        if enc is None:
            raise InputError(f"{label}是二进制文件，不是文本报告 (binary file, not a text report)")
        return data.decode(enc), enc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        _refuse_damaged_utf8(data, e, label)
    else:
        if _looks_binary(text):
            raise InputError(f"{label}无法识别编码，请另存为 UTF-8 或 GBK 文本 (unknown encoding or binary file)")
        return text, "utf-8"
    try:
        gb = data.decode("gb18030")
    except UnicodeDecodeError:
        gb = None
    if gb is not None and _chinese_share(gb) >= 0.9:
        return gb, "gb18030"
    # GB18030 reads almost any bytes: Big5 misread as GB18030 is mostly rare characters.
    import charset_normalizer
    best = charset_normalizer.from_bytes(data).best()
    readings = [(gb, "gb18030"), (str(best) if best else None, best.encoding if best else "")]
    share, text, enc = max(((_chinese_share(t), t, e) for t, e in readings if t is not None), default=(0, "", ""))
    if share >= 0.5:
        return text, enc
    raise InputError(f"{label}无法识别编码，请另存为 UTF-8 或 GBK 文本 (unknown encoding or binary file)")


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when ``data`` decodes as such to Chinese text, the byte order
    the NUL bytes point to tried first (ASCII characters put theirs in odd positions in
    little-endian text); None otherwise (binary data)."""
    if len(data) % 2:
        return None
    sample = data[:65536]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    for enc in ("utf-16-le", "utf-16-be") if odd >= even else ("utf-16-be", "utf-16-le"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _chinese_share(text) >= 0.5:
            return enc
    return None


_REPLACED = re.compile("\ufffd+")


def _refuse_damaged_utf8(data: bytes, err: UnicodeDecodeError, label: str) -> None:
    """Raise InputError naming the first bad byte when ``data`` is UTF-8 apart from a few bytes
    (a truncated copy, one corrupted byte); return when it is not UTF-8 at all."""
    text = data.decode("utf-8", errors="replace")
    # a damaged spot: one run of replacement characters (3 stray bytes inside a character give 3 of them)
    bad = len(_REPLACED.findall(text)) - len(_REPLACED.findall(data.decode("utf-8", errors="ignore")))
    wide = sum(1 for c in text if c > "\u07ff" and c != "\ufffd")    # 3-byte sequences: CJK
    if wide < 10 * bad or bad > 3 + wide // 100:
        return
    line = data.count(b"\n", 0, err.start) + 1
    byte = data[err.start]
    raise InputError(
        f"{label}是 UTF-8 文本，但第 {line} 行（字节偏移 {err.start}）有无效字节 0x{byte:02X}，共 {bad} 处；"
        f"文件可能已损坏，请重新导出为 UTF-8 "
        f"(invalid UTF-8 byte 0x{byte:02X} at byte offset {err.start}, line {line}; {bad} damaged spot(s) in all)")


def code_table(ranges) -> np.ndarray:
    """A table of the Basic Multilingual Plane: True at the code points of ``ranges`` ((first, last), …); read
    characters above it at U+FFFF (``codes_in``)."""
    table = np.zeros(0x10000, dtype=bool)
    for a, b in ranges:
        table[a:b + 1] = True
    return table


def codes_in(table: np.ndarray, text: str) -> np.ndarray:
    """For each character of ``text``, whether ``table`` (``code_table``) holds it: one array
    operation instead of a pattern's test of every character."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return table[np.minimum(codes, 0xFFFF)]


# Controls, private use and lone surrogates: the characters of binary data read as text.
_IS_CONTROL = code_table([(0x00, 0x08), (0x0B, 0x0B), (0x0E, 0x1F), (0x7F, 0x9F), (0xE000, 0xF8FF), (0xD800, 0xDFFF)])


def _looks_binary(text: str) -> bool:
    sample = text[:65536]
    return int(np.count_nonzero(codes_in(_IS_CONTROL, sample))) > max(8, len(sample) // 100)


def _block(leads: range, trails: list, encoding: str) -> frozenset:
    return frozenset(bytes(b for lead in leads for t in trails for b in (lead, t)).decode(encoding, errors="ignore"))


# Common characters: level-1 hanzi of GB2312 (simplified), 常用字 of Big5 (traditional), CJK and
# full-width punctuation.
_COMMON_CHINESE = (_block(range(0xB0, 0xD8), list(range(0xA1, 0xFF)), "gb2312")
                   | _block(range(0xA4, 0xC7), [*range(0x40, 0x7F), *range(0xA1, 0xFF)], "big5")
                   | frozenset(map(chr, [*range(0x3000, 0x3040), *range(0xFF00, 0xFFF0), *range(0x2010, 0x2040)])))


def _chinese_share(text: str) -> float:
    """Share of the non-ASCII characters of ``text`` that are common Chinese characters or
    punctuation: near 1 for real Chinese text, simplified or traditional; far lower for bytes
    decoded with the wrong encoding (Big5 read as GB18030 scores about 0.35). 0 for binary-looking
    text; 1 for text without non-ASCII characters."""
    sample = text[:65536]
    if _looks_binary(sample):
        return 0.0
    wide = [c for c in sample if c > "\x7f"]
    return sum(c in _COMMON_CHINESE for c in wide) / len(wide) if wide else 1.0


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
# The first character of every line _DROP_LINE or _NAV_WORDS matches, unless it holds 当前, 扫一扫 or |.
_DROP_START = frozenset("-—–－_第[") | {w[0] for w in _NAV_WORDS}
_HEADING_START = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．](?!\d)|第[一二三四五六七八九十]+)")
_TERMINAL = set("。！？；：!?;:")
_TITLE_ENDS = ("报告", "方案", "通知", "纲要", "意见", "规划", "总结")


def _drop_line(line: str) -> bool:
    """Whether ``line`` is a page marker or portal navigation (``_DROP_LINE``, ``_NAV_WORDS``).
    Most lines are report text that starts with none of the characters these lines start with
    and holds none of the words they hold: those are answered without the patterns."""
    if not (line.lstrip()[:1] in _DROP_START or "当前" in line or "扫一扫" in line or "|" in line):
        return False
    if _DROP_LINE.match(line):
        return True
    words = line.split()
    return bool(words) and all(w in _NAV_WORDS for w in words)


_KEEP = frozenset("“”‘’、。《》〔〕【】「」—…·")

# CJK Radicals Supplement (U+2E80–U+2EFF) → the ideograph each stands for (after Unicode's
# EquivalentUnifiedIdeograph.txt). NFKC maps the Kangxi radicals (U+2F00–U+2FDF) but only two of
# these; PDF text layers use them for ordinary characters (增⻓ for 增长). Full characters first,
# then the component forms (亻氵扌 …), which never stand alone in text.
RADICALS = dict(zip(
    "⺟⺠⺜⺝⺩⻁⻄⻅⻆⻉⻋⻑⻓⻔⻘⻙⻚⻛⻜⻝⻢⻣⻤⻥⻦⻧⻨⻩⻪⻫⻬⻭⻮⻯⻰⻱⻲⻳"
    "⺁⺅⺉⺊⺒⺓⺕⺖⺘⺙⺡⺣⺦⺨⺭⺯⺰⺹⺺⺽⺾⺿⻀⻂⻈⻌⻏⻐⻖⻠",
    "母民日月王虎西见角贝车長长门青韦页风飞食马骨鬼鱼鸟卤麦黄黾斉齐歯齿竜龙龜亀龟"
    "厂亻刂卜巳幺彐忄扌攵氵灬丬犭礻糹纟耂肀臼艹艹艹衤讠辶阝钅阝饣"))


def _nfkc(ch: str) -> str:
    """NFKC form of one character, radicals of the supplement as ideographs, the _KEEP
    characters unchanged."""
    if ch in _KEEP:
        return ch
    return RADICALS.get(ch) or unicodedata.normalize("NFKC", ch)


# Characters removed wherever they stand: spaces (Chinese needs none; PDF dumps put them inside
# numbers: ``168 件``), zero-width spaces and byte-order marks.
_SPACES = " \t\u3000\xa0\r\f\v\u200b\ufeff"


def _clean(ch: str) -> str:
    """What one raw character becomes in the clean text: '' for a space, a line break or any
    character whose NFKC form is only spaces; else its NFKC form (``_nfkc``) without spaces,
    usually one character (１ → 1, ， → ,), sometimes more (⑴ → (1), ㎡ → m2)."""
    return "" if ch in _SPACES else "".join(c for c in _nfkc(ch) if not c.isspace())


_KEEP_CHAR, _DROP_CHAR, _EXPAND_CHAR = 0, 1, 2


def _tables() -> tuple[np.ndarray, np.ndarray]:
    """For every code point of the Basic Multilingual Plane: the one code point it becomes
    (itself when unchanged) and its kind: kept (one character), dropped ('') or expanded
    (two or more characters, handled one by one). Code points above it are expanded."""
    one = np.arange(0x10000, dtype=np.uint32)
    kind = np.zeros(0x10000, dtype=np.uint8)
    for cp in range(0x10000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        if unicodedata.is_normalized("NFKC", ch) and ch not in RADICALS and ch not in _SPACES and not ch.isspace():
            continue                  # most characters: unchanged, answered without _clean
        out = _clean(ch)
        if out == ch:
            continue
        if not out:
            kind[cp] = _DROP_CHAR
        elif len(out) == 1:
            one[cp] = ord(out)
        else:
            kind[cp] = _EXPAND_CHAR
    return one, kind


_ONE, _KIND = _tables()
_IS_TERMINAL = np.zeros(0x10000, dtype=bool)
_IS_TERMINAL[[ord(c) for c in _TERMINAL]] = True
_BOOKMARK = re.compile(r"\[bookmark:[^\]\n]*\]")

# Inline pinyin after a character, 辦(bàn)結(jié) or 办（ban4）结: at least one tone mark or tone
# number, so (app) or (PPP) stay.
_TONES = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ\u0300-\u036f"
_PINYIN = re.compile(r"\((?=[^)]*[" + _TONES + r"1-5])(?:[a-zü" + _TONES + r"]+[1-5]?'?){1,6}\)")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
# The same annotation in raw text, before full-width brackets become half-width.
_RAW_PINYIN = re.compile(r"(?<=[\u3400-\u4dbf\u4e00-\u9fff])[(（](?=[^)）]*[" + _TONES + r"1-5])"
                         r"(?:\s?[a-zü" + _TONES + r"]+[1-5]?'?){1,6}\s?[)）]")


def _char_class(chars) -> str:
    """Regex class body for ``chars``, runs of consecutive code points as ranges."""
    cps, out = sorted(map(ord, chars)), []
    i = 0
    while i < len(cps):
        j = i
        while j + 1 < len(cps) and cps[j + 1] == cps[j] + 1:
            j += 1
        out.append(re.escape(chr(cps[i])) + ("-" + re.escape(chr(cps[j])) if j > i else ""))
        i = j + 1
    return "".join(out)


# An ideograph outside GB2312 (the simplified set): a hint of traditional text.
_GB2312 = _block(range(0xB0, 0xF8), list(range(0xA1, 0xFF)), "gb2312")
_NOT_GB2312 = re.compile("[^\x00-\u33ff\ua000-\uf8ff\ufb00-\U0010ffff" + _char_class(_GB2312) + "]")
# The same class as a table of the Basic Multilingual Plane (\uffff stands for any character above it:
# none of those is in the class).
_IS_NOT_GB2312 = np.zeros(0x10000, dtype=bool)
_IS_NOT_GB2312[0x3400:0xA000] = _IS_NOT_GB2312[0xF900:0xFB00] = True
_IS_NOT_GB2312[[ord(c) for c in _GB2312]] = False
_T2S = None


def _t2s():
    """OpenCC's traditional → simplified converter, loaded on first use (about 0.1 s)."""
    global _T2S
    if _T2S is None:
        import opencc
        _T2S = opencc.OpenCC("t2s")
    return _T2S


def to_simplified(text: str) -> str:
    """``text`` with traditional characters turned simplified (OpenCC t2s, phrase by phrase:
    乾淨 → 干净, 乾隆 stays), keeping its length, so every character keeps its position.

    Only lines holding a character outside GB2312 (the simplified set) are converted; a line
    whose conversion changes its length is converted character by character instead, keeping
    any character whose own conversion is not a single character.
    """
    if not _NOT_GB2312.search(text):
        return text
    cc = _t2s()
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if not _NOT_GB2312.search(line):
            continue
        if not _RAW_PINYIN.search(line):
            conv = cc.convert(line)
            lines[i] = conv if len(conv) == len(line) else _one_by_one(cc, line)
            continue
        # Inline pinyin (答(dá)覆(fù)) would cut a phrase OpenCC converts as a whole (答覆 → 答复):
        # convert the line's other characters together and put them back in place.
        keep = [True] * len(line)
        for m in _RAW_PINYIN.finditer(line):
            keep[m.start():m.end()] = [False] * (m.end() - m.start())
        idx = [j for j, k in enumerate(keep) if k]
        bare = "".join(line[j] for j in idx)
        conv = cc.convert(bare)
        if len(conv) != len(bare):
            conv = _one_by_one(cc, bare)
        chars = list(line)
        for j, c in zip(idx, conv):
            chars[j] = c
        lines[i] = "".join(chars)
    return "\n".join(lines)


def _one_by_one(cc, text: str) -> str:
    """``text`` converted character by character, keeping any character whose own conversion
    is not a single character (so the length stays)."""
    return "".join(s if len(s := cc.convert(c)) == 1 else c for c in text)


@dataclass(frozen=True)
class Normalised:
    """The clean text the extractor reads and, for each of its characters, the index of the raw character it came
    from (``offsets``), so any span maps back to the raw text (``raw_span``)."""
    text: str          # clean text: no spaces, no soft line breaks, half-width digits and punctuation
    offsets: np.ndarray = field(repr=False, compare=False)   # offsets[i] = index in the raw text of text[i]

    @cached_property
    def pos(self) -> tuple:
        """``offsets`` as a tuple of ints: pos[i] = index in the raw text of text[i]."""
        return tuple(self.offsets.tolist())

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The raw text's (start, end) of the clean text's ``text[start:end]``."""
        pos = self.offsets
        if start >= end:
            return (int(pos[start]) if start < len(pos) else 0,) * 2
        return int(pos[start]), int(pos[end - 1]) + 1


def normalise(raw: str) -> Normalised:
    """Clean ``raw`` for extraction.

    - full-width digits, letters and punctuation become half-width (NFKC), Chinese quotes and
      the enumeration comma 、 stay;
    - spaces disappear (Chinese needs none; PDF dumps put them inside numbers: ``168 件``);
    - a line break is kept (as ``\\n``) only where a sentence or a heading ends; elsewhere the
      two lines are joined, which mends sentences and numbers broken by hard wrapping;
    - page markers (``— 6 —``) and web-portal navigation lines are dropped;
    - radicals of the CJK Radicals Supplement become ideographs (⻓ → 长), inline pinyin
      (辦(bàn)結(jié)) is dropped, traditional characters become simplified (``to_simplified``),
      years written in Chinese digits become Arabic (二〇二一年 → 2021年, ``arabic_years``).
    Every character of the result keeps the raw offset it came from (``pos``).
    """
    # Every character as a code point; one line break more stands for the last line's break.
    codes = np.frombuffer((raw + "\n").encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    simple = raw
    if _IS_NOT_GB2312[np.minimum(codes, 0xFFFF)].any():     # as to_simplified's own test, on the codes
        simple = to_simplified(raw)    # same length: offsets into it are offsets into raw
        codes = np.frombuffer((simple + "\n").encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    lines = simple.split("\n")
    lengths = np.fromiter(map(len, lines), dtype=np.int64, count=len(lines))
    ends = np.cumsum(lengths + 1) - 1          # each line's break (len(raw) for the last line)
    starts = ends - lengths
    wide = np.flatnonzero(codes >= 0x10000)
    bmp = codes if not wide.size else np.where(codes >= 0x10000, 0, codes)
    kept = _kept_lines(simple, lines, bmp, starts, ends)
    kind = _KIND[bmp]
    if wide.size:
        kind = kind.copy()
        kind[wide] = [_EXPAND_CHAR if _clean(chr(c)) else _DROP_CHAR for c in codes[wide].tolist()]
    take = np.repeat(kept, lengths + 1) & (kind != _DROP_CHAR)
    if "[bookmark:" in simple:
        for m in _BOOKMARK.finditer(simple):
            take[m.start():m.end()] = False
    # A line's break is kept (as \n) only where a sentence or a heading ends.
    idx = np.flatnonzero(take)
    last = np.searchsorted(idx, ends) - 1      # each line's last character taken, if in the line
    has = (last >= 0) & (idx[np.maximum(last, 0)] >= starts) if idx.size else np.zeros(len(lines), dtype=bool)
    if has.any():
        last_idx = idx[np.maximum(last, 0)]
        terminal = _IS_TERMINAL[_ONE[bmp[last_idx]]]
        for li in np.flatnonzero(has & (kind[last_idx] == _EXPAND_CHAR)).tolist():
            terminal[li] = _clean(simple[last_idx[li]])[-1] in _TERMINAL
    else:
        terminal = has
    take[ends[has & terminal]] = True
    kept_lines = np.flatnonzero(kept)
    open_lines = np.flatnonzero(has & ~terminal)
    following = np.searchsorted(kept_lines, open_lines, side="right").tolist()
    kept_lines = kept_lines.tolist() + [None]
    for li, k in zip(open_lines.tolist(), following):
        nxt = lines[kept_lines[k]] if kept_lines[k] is not None else ""    # the next kept line
        if not nxt or _HEADING_START.match(nxt) or lines[li].rstrip().endswith(_TITLE_ENDS):
            take[ends[li]] = True
    idx = np.flatnonzero(take)
    text = _ONE[bmp[idx]].tobytes().decode("utf-32-le", "surrogatepass")
    expand = np.flatnonzero(kind[idx] == _EXPAND_CHAR).tolist()
    if expand:
        pos, parts, part_pos, done = idx.tolist(), [], [], 0
        for j in expand:
            out = _clean(simple[pos[j]])
            parts += [text[done:j], out]
            part_pos += pos[done:j] + [pos[j]] * len(out)
            done = j + 1
        text = "".join(parts) + text[done:]
        idx = np.array(part_pos + pos[done:], dtype=np.int64)
    text, idx = _drop_pinyin(text, idx)
    return Normalised(arabic_years(text), idx)


_IS_SPACE = np.array([chr(cp).isspace() for cp in range(0x10000)], dtype=bool)
_IS_DROP_START = np.zeros(0x10000, dtype=bool)
_IS_DROP_START[[ord(c) for c in _DROP_START]] = True
_DROP_WORDS = ("当前", "扫一扫", "|")


def _kept_lines(simple: str, lines: list, bmp: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Whether each line is kept: not blank and not a page marker or navigation (``_drop_line``,
    asked only of the lines that start with a character such lines start with or hold one of
    their words)."""
    solid = np.flatnonzero(~_IS_SPACE[bmp])        # characters that are not spaces or breaks
    if not solid.size:
        return np.zeros(len(lines), dtype=bool)
    first = np.minimum(np.searchsorted(solid, starts), len(solid) - 1)
    first_at = solid[first]
    kept = (first_at >= starts) & (first_at < ends)
    suspect = kept & _IS_DROP_START[bmp[first_at]]
    for w in _DROP_WORDS:
        k = simple.find(w)
        while k >= 0:
            suspect[np.searchsorted(ends, k)] = True
            k = simple.find(w, k + len(w))
    for li in np.flatnonzero(suspect).tolist():
        kept[li] = not _drop_line(lines[li])
    return kept


def _drop_pinyin(text: str, offsets: np.ndarray) -> tuple[str, np.ndarray]:
    """``text`` and its ``offsets`` without the inline pinyin after Chinese characters (``_PINYIN``)."""
    if "(" not in text:
        return text, offsets
    drop = [m.span() for m in _PINYIN.finditer(text) if m.start() and _HAN.match(text, m.start() - 1)]
    if not drop:
        return text, offsets
    keep = np.ones(len(text), dtype=bool)
    parts, done = [], 0
    for a, b in drop:
        keep[a:b] = False
        parts.append(text[done:a])
        done = b
    return "".join(parts) + text[done:], offsets[keep]
