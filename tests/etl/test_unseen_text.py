"""Reports written or saved in ways the seeds never were: traditional characters with inline
pinyin, Big5 and UTF-16 files, radicals of the supplement, numbers in Chinese words."""
import pytest

from etl.pipeline import process_bytes, rows

OVERRIDE = {"district": "测试区", "period": "2022"}


def _facts(name: str, data: bytes, override: dict | None = OVERRIDE) -> dict:
    p = process_bytes(name, data, override)
    return {r["indicator"]: r for r in rows(p) if r["kind"] == "actual"}


TRADITIONAL = ("測試區2022年法治政府建設年度報告\n"
               "全年共受理行政復議(fu4 yi4)案件156件，辦(ban4)結148件。\n"
               "行政機關負責人出庭應訴率達到95.2%。\n")


@pytest.mark.parametrize("encoding", ["utf-8", "big5", "utf-16-le", "gb18030"])
def test_a_traditional_report_with_pinyin_gives_its_figures_in_any_encoding(encoding):
    p = process_bytes("report.txt", TRADITIONAL.encode(encoding), OVERRIDE)
    facts = {r["indicator"]: r for r in rows(p)}
    assert float(facts["reconsideration_cases"]["value"]) == 156
    assert float(facts["head_appearance_rate"]["value"]) == pytest.approx(95.2)
    assert p.encoding == ("big5" if encoding == "big5" else encoding)
    a, b = facts["reconsideration_cases"]["start"], facts["reconsideration_cases"]["end"]
    assert "復議(fu4 yi4)案件156件" in p.raw[a:b]          # the span is the raw text, pinyin and all


def test_a_radical_inside_a_phrase_still_names_the_indicator():
    facts = _facts("r.txt", "全区人⺠调解组织受理矛盾纠纷1万5千余件。\n".encode())
    assert facts["people_mediation_cases"]["value"] == "15000"
    assert facts["people_mediation_cases"]["qualifier"] == "at_least"


@pytest.mark.parametrize("sentence, value", [
    ("督促整改问题资金三点二亿元。", 32000),
    ("全年督促收缴整改资金十五点八万元。", 15.8),
    ("整改资金1亿2000万元。", 12000),
])
def test_money_written_in_chinese_words_converts_to_wan_yuan(sentence, value):
    facts = _facts("m.txt", sentence.encode())
    assert float(facts["audit_rectified_funds"]["value"]) == pytest.approx(value)


def test_a_title_year_in_chinese_digits_gives_the_period():
    data = "测试区人民政府关于二〇二二年度法治政府建设情况的报告\n全年共办理行政复议案件64件。\n".encode()
    p = process_bytes("t.txt", data, {"district": "测试区"})
    assert (p.meta.period_start, p.meta.period_end) == (2022, 2022)
    assert [r["period"] for r in rows(p) if r["indicator"] == "reconsideration_cases"] == ["2022"]


@pytest.mark.parametrize("raw, simplified", [
    ("按時答(dá)覆(fù)率100%", "按时答(dá)复(fù)率100%"),
    ("政府信息公開申（shēn）請（qǐng）268件", "政府信息公开申（shēn）请（qǐng）268件"),
])
def test_pinyin_inside_a_phrase_does_not_stop_its_conversion(raw, simplified):
    from etl.text import normalise, to_simplified
    assert to_simplified(raw) == simplified          # same length: offsets stay valid
    assert "(" not in normalise(raw).text
