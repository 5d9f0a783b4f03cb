"""Decoding and normalisation: the text the extractor reads, and its way back to the raw file."""
import pytest

from etl.text import InputError, decode, normalise


def test_hard_wrapped_lines_and_split_numbers_are_joined():
    raw = "全区人民调解组织受理矛盾纠纷\n\n10\n542 件，调解成功率达 99.51%；\n"
    assert normalise(raw).text.startswith("全区人民调解组织受理矛盾纠纷10542件,调解成功率达99.51%;")


def test_page_markers_are_dropped_and_the_sentence_mended():
    raw = "强化内部权力制约体系，健全\n\n\n\n— 6 —\n\n公共资源转让监督体系。\n"
    assert normalise(raw).text == "强化内部权力制约体系,健全公共资源转让监督体系。\n"


def test_portal_navigation_is_dropped():
    raw = ("中国政府网|重庆市人民政府网\n您当前的位置: 首页>政务公开\n[ 索引号 ] 1150/2022-00025\n"
           "行政复议决定履行率达100%。\n扫一扫在手机打开当前页\n智能问答\n微博 公开信箱 智能问答\n")
    assert normalise(raw).text == "行政复议决定履行率达100%。\n"


def test_full_width_digits_and_punctuation_become_half_width():
    assert normalise("满意率达１００％，").text == "满意率达100%,\n"


def test_a_line_before_a_heading_keeps_its_break():
    text = normalise("法治政府建设情况\n（一）强化组织领导\n").text
    assert text == "法治政府建设情况\n(一)强化组织领导\n"


def test_every_clean_character_maps_back_to_the_same_raw_character():
    raw = "区政府行政诉讼平均\n\n 败诉率为零，答复率 １００％。"
    n = normalise(raw)
    for i, ch in enumerate(n.text):
        if ch != "\n":
            assert raw[n.pos[i]] in (ch, "％", "１", "０", "，")
    a, b = n.raw_span(n.text.index("答复率"), n.text.index("%") + 1)
    assert raw[a:b] == "答复率 １００％"


def test_gbk_bytes_decode_to_the_same_text_as_utf8():
    text = "綦江区行政复议决定履行率达100%。"
    assert decode(text.encode("gb18030"))[0] == decode(text.encode("utf-8"))[0] == text


@pytest.mark.parametrize("data, words", [
    (b"", "空文件"),
    (b"   \n\n", "空文件"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "二进制"),
    (bytes(range(128, 256)) * 50, "编码"),
])
def test_unusable_bytes_get_a_clear_message(data, words):
    with pytest.raises(InputError, match=words):
        decode(data, "x.txt")


def test_oversized_input_is_refused_before_decoding():
    with pytest.raises(InputError, match="超过上限"):
        decode(b"a" * 2000, "big.txt", max_bytes=1000)


# --- characters: traditional, inline pinyin, radicals of the supplement ---

import unicodedata  # noqa: E402

import etl.text as text_module  # noqa: E402
from etl.text import RADICALS, to_simplified  # noqa: E402


def _maps_back(raw: str, n) -> None:
    """Every clean character comes from a raw character at its recorded offset."""
    assert len(n.pos) == len(n.text)
    for i, ch in enumerate(n.text):
        if ch != "\n":
            assert 0 <= n.pos[i] < len(raw) and not raw[n.pos[i]].isspace()


def test_traditional_text_reads_as_simplified_with_exact_spans():
    raw = "全區受理行政復議案件98件，辦結92件。\n負責人出庭應訴率為 93.5％。"
    n = normalise(raw)
    assert n.text == "全区受理行政复议案件98件,办结92件。\n负责人出庭应诉率为93.5%。\n"
    _maps_back(raw, n)
    a, b = n.raw_span(n.text.index("负责人"), n.text.index("%") + 1)
    assert raw[a:b] == "負責人出庭應訴率為 93.5％"


def test_traditional_headings_and_titles_keep_their_line_breaks():
    text = normalise("某某區2021年法治政府建設年度報告\n全年辦結案件12件。\n").text
    assert text == "某某区2021年法治政府建设年度报告\n全年办结案件12件。\n"


def test_simplified_text_is_left_as_it_is():
    text = "乾隆年间著作显著，于是全区办结案件"
    assert to_simplified(text) is text


def test_a_conversion_that_changes_length_falls_back_to_single_characters(monkeypatch):
    class Stretching:
        def convert(self, s):
            return "长长" if s == "長" else ("後" if s == "後" else s.replace("區", "区") + ("!" if len(s) > 1 else ""))
    monkeypatch.setattr(text_module, "_T2S", Stretching())
    assert to_simplified("全區長後") == "全区長後"       # same length; 長 kept, not stretched


@pytest.mark.parametrize("raw, clean", [
    ("全年辦(bàn)結(jié)行政復議案件212件。", "全年办结行政复议案件212件。\n"),
    ("全年办（bàn）结（jié）案件12件。", "全年办结案件12件。\n"),
    ("审结(shěn jié)案件7件。", "审结案件7件。\n"),
    ("调解(tiao2jie3)纠纷30件。", "调解纠纷30件。\n"),
])
def test_inline_pinyin_is_dropped_from_the_clean_text_not_from_the_raw_span(raw, clean):
    n = normalise(raw)
    assert n.text == clean
    _maps_back(raw, n)
    a, b = n.raw_span(0, n.text.index("件") + 1)
    assert "(" in raw[a:b] or "（" in raw[a:b]


@pytest.mark.parametrize("raw", ["使用政务服务(app)办理", "推进PPP(ppp)项目", "(一)强化组织领导", "共5件(2021年)"])
def test_brackets_that_are_not_pinyin_stay(raw):
    assert "(" in normalise(raw).text


@pytest.mark.parametrize("raw, clean", [
    ("全程网办率同比增⻓3.2个百分点。", "全程网办率同比增长3.2个百分点。\n"),
    ("⻔户网站公开信息⻋辆⻢上办", "门户网站公开信息车辆马上办\n"),
    ("⾏政复议", "行政复议\n"),                       # a Kangxi radical, mapped by NFKC
])
def test_radicals_become_ideographs(raw, clean):
    n = normalise(raw)
    assert n.text == clean and len(n.pos) == len(n.text)


def test_radical_table_agrees_with_the_unicode_names_and_opencc():
    """Every C-SIMPLIFIED radical is mapped; a radical named after a Kangxi radical whose
    simplified form is a different single ideograph maps to that form (⻓ LONG → 長 → 长)."""
    kangxi = {unicodedata.name(chr(c))[len("KANGXI RADICAL "):]: unicodedata.normalize("NFKC", chr(c))
              for c in range(0x2F00, 0x2FD6)}
    cc = text_module._t2s()
    checked = 0
    for cp in range(0x2E80, 0x2F00):
        name = unicodedata.name(chr(cp), "")
        if name.startswith("CJK RADICAL C-SIMPLIFIED "):
            assert chr(cp) in RADICALS, name
            full = kangxi.get(name[len("CJK RADICAL C-SIMPLIFIED "):])
            if full and len(cc.convert(full)) == 1 and cc.convert(full) != full:
                assert RADICALS[chr(cp)] == cc.convert(full), name
                checked += 1
    assert checked >= 15
    for radical, ideograph in RADICALS.items():
        assert 0x2E80 <= ord(radical) <= 0x2EFF
        assert unicodedata.name(ideograph).startswith("CJK UNIFIED IDEOGRAPH")


# --- encodings ---

REPORT = "綦江区2021年法治政府建设年度报告\n全区行政复议案件98件，纠错率为12.5%。\n"
TRADITIONAL = "綦江區2021年法治政府建設年度報告\n全區行政復議案件98件，糾錯率為12.5%。\n"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark(encoding):
    assert decode(REPORT.encode(encoding), "x.txt") == (REPORT, encoding)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig"])
def test_byte_order_marks(encoding):
    assert decode(REPORT.encode(encoding), "x.txt")[0] == REPORT


@pytest.mark.parametrize("text", [TRADITIONAL, TRADITIONAL * 20])
def test_big5_is_not_read_as_gb18030_garbage(text):
    got, encoding = decode(text.encode("big5"), "x.txt")
    assert got == text and "big5" in encoding


def test_traditional_text_in_gb18030_stays_gb18030():
    assert decode(TRADITIONAL.encode("gb18030"), "x.txt") == (TRADITIONAL, "gb18030")


def test_one_bad_byte_in_utf8_is_named_by_its_offset():
    data = bytearray((REPORT * 5).encode("utf-8"))
    bad = data.index("纠错率".encode()) + 1          # the second byte of 纠
    data[bad] = 0x41
    with pytest.raises(InputError) as e:
        decode(bytes(data), "x.txt")
    offset = bad - 1                                  # where the broken sequence starts
    assert f"字节偏移 {offset}" in str(e.value) and f"byte offset {offset}" in str(e.value)
    assert "第 2 行" in str(e.value)


def test_stray_bytes_inside_one_character_of_a_short_report_count_as_one_damaged_spot():
    data = bytearray(REPORT.encode("utf-8"))
    at = data.index("案件".encode()) + 1           # inside 案: three stray bytes give three replacement characters
    data[at:at] = b"\xff\xfe\x80"
    with pytest.raises(InputError) as e:
        decode(bytes(data), "x.txt")
    assert str(e.value) == (f"「x.txt」是 UTF-8 文本，但第 2 行（字节偏移 {at - 1}）有无效字节 0xE6，共 1 处；文件可能已损坏，"
                            f"请重新导出为 UTF-8 (invalid UTF-8 byte 0xE6 at byte offset {at - 1}, line 2; "
                            f"1 damaged spot(s) in all)")


def test_a_gbk_file_is_not_called_damaged_utf8():
    assert decode((REPORT * 5).encode("gbk"), "x.txt") == (REPORT * 5, "gb18030")


def test_utf16_with_no_ascii_at_all_is_still_read():
    text = "一万一千一百一十一"                     # only 一 (U+4E00) gives NUL bytes, in the 'wrong' parity
    assert decode(text.encode("utf-16-le"), "x.txt") == (text, "utf-16-le")


# --- normalise against a character-by-character reading of its rules --------------------------

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from etl import text as text_module


def _reference_normalise(raw: str):
    """The rules of ``normalise`` read one character at a time: the oracle of the array version."""
    simple = text_module.to_simplified(raw)
    lines = simple.split("\n")
    kept = [bool(line.strip()) and not _reference_drop_line(line) for line in lines]
    following, nxt = [""] * len(lines), ""
    for li in range(len(lines) - 1, -1, -1):
        following[li] = nxt
        if kept[li]:
            nxt = lines[li]
    out, pos, start = [], [], 0
    for li, line in enumerate(lines):
        line_start, start = start, start + len(line) + 1
        if not kept[li]:
            continue
        blanked = text_module._BOOKMARK.sub(lambda m: " " * len(m.group()), line)
        before = len(out)
        for j, ch in enumerate(blanked):
            for c in text_module._clean(ch):
                out.append(c)
                pos.append(line_start + j)
        if len(out) == before:
            continue
        nxt = following[li]
        if (out[-1] in text_module._TERMINAL or not nxt or text_module._HEADING_START.match(nxt)
                or line.rstrip().endswith(text_module._TITLE_ENDS)):
            out.append("\n")
            pos.append(line_start + len(line))
    text, offsets = text_module._drop_pinyin("".join(out), np.array(pos, dtype=np.int64))
    return text_module.arabic_years(text), tuple(offsets.tolist())


def _reference_drop_line(line: str) -> bool:
    words = line.split()
    return bool(text_module._DROP_LINE.match(line)) or (bool(words) and all(w in text_module._NAV_WORDS for w in words))


_PIECES = [*"办结率达１００％，,。；：！？、“”() \u3000\t\xa0\u200b\ufeff\u2002\u2028\x1c⑴㈠㎡½⻓⻔辦結復議覆答第页—-_6|当前位置扫一扫[]二〇一九年十𝟏𝟐\U0002F800",
           "— 6 —", "第 3 页 共 9 页", "（一）", "一、", "1.", "工作报告", "智能问答 微博",
           "您当前的位置：首页", "[ 索引号 ] 11", "[bookmark:x1]", "(bàn)", "（jie2）", "(app)", "中国|重庆",
           "  ", "１２３", "２０２１年", "2,345件"]


_LINE = st.lists(st.sampled_from(_PIECES), max_size=8).map("".join)


@settings(max_examples=500, deadline=None)
@given(st.lists(_LINE, max_size=12).map("\n".join))
def test_normalise_reads_like_its_rules_one_character_at_a_time(raw):
    n = normalise(raw)
    assert (n.text, n.pos) == _reference_normalise(raw)


@settings(max_examples=300, deadline=None)
@given(_LINE)
def test_dropped_lines_are_the_same_with_and_without_the_quick_test(line):
    assert text_module._drop_line(line) == _reference_drop_line(line)


def test_characters_outside_the_basic_plane_are_normalised_too():
    n = normalise("满意率𝟗𝟖%，\U0002F800。")
    assert n.text == "满意率98%,丽。\n" and n.pos == (0, 1, 2, 3, 4, 5, 6, 7, 8, 9)
