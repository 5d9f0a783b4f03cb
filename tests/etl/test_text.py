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
