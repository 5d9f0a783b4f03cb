"""Kinds of silent wrong values and misses seen on a realistic synthetic corpus (issue 15's
leftovers): each kind with wordings of its own (other indicators, other numbers, other orders).

Rows are compared in full where it matters: value, unit, qualifier, rule and quote."""
import itertools

import pytest

from etl.documents import detect_district, detect_period, detect_title, detect_type
from etl.pipeline import process_bytes, rows

REPORT = "示例区{year}年法治政府建设年度报告\n"


def run(text: str, period: str | None = "2022", district: str = "示例区"):
    ov = {"district": district}
    if period:
        ov["period"] = period
    return process_bytes("t.txt", text.encode("utf-8"), ov)


def report(body: str, year: int = 2022) -> str:
    return REPORT.format(year=year) + body


def facts(text: str, **kw) -> list[dict]:
    return [r for r in rows(run(text, **kw)) if r["kind"] == "actual"]


def row_of(text: str, indicator: str, **kw) -> dict:
    (r,) = [r for r in facts(text, **kw) if r["indicator"] == indicator]
    return r


# --- 1. A change of a rate or a count is never its level -----------------------------------------

VERBS = ["提升", "提高", "增长", "增加", "上升", "下降", "降低", "减少"]
BASES = ["比上年", "同比", "较上年", "较2020年", "与上年相比", "比去年同期"]


@pytest.mark.parametrize("verb, basis", itertools.product(VERBS, BASES))
def test_a_rates_change_in_percent_is_a_flag_never_its_level(verb, basis):
    p = run(report(f"全区行政机关负责人出庭应诉率{basis}{verb}7.45%。"))
    assert not [r for r in rows(p) if r["indicator"] == "head_appearance_rate"]
    assert not [m for m in p.ex.mentions if m.value == 7.45]
    (flag,) = [f for f in p.ex.flags if f["indicator"] == "head_appearance_rate"]
    assert flag["kind"] == "ambiguous_change" and "7.45%" in flag["quote"]


@pytest.mark.parametrize("text, number", [
    ("全区政务服务事项全程网办率比上年提升了约12.3%。", "12.3%"),       # 了 and a qualifier
    ("全年行政复议纠错率同比增幅为4.2%。", "4.2%"),                     # the size of a rise
    ("全区即办件比例较上年降幅达6.5%。", "6.5%"),
    ("全区法治宣传教育普及率较上年增长达3.8%。", "3.8%"),
    ("与2021年相比，全区信访事项按期办结率提高了2.6%。", "2.6%"),       # the basis before the subject
    ("较上年，全区政务服务好评率下降1.9%。", "1.9%"),
])
def test_other_wordings_of_a_change_give_no_level(text, number):
    p = run(report(text))
    assert facts(report(text)) == []
    assert [f for f in p.ex.flags if number in f["quote"]]


def test_changes_in_a_list_after_respectively_are_no_levels():
    text = report("全区全程网办率、即办件比例分别比上年提升9.78%、5.1%。")
    assert facts(text) == []


@pytest.mark.parametrize("text, indicator, value, rule", [
    ("全区全程网办率比上年提升9.78%，达到96.1%。", "online_service_rate", "96.1", "level_clause+document"),
    ("全区行政复议纠错率较上年下降3.5个百分点，为8.2%。", "reconsideration_correction_rate", "8.2", "level_clause+document"),
    ("全区全程网办率提升至96%。", "online_service_rate", "96", "phrase_figure+document"),
    ("全区即办件比例由42.5%提高到51.3%。", "immediate_handling_rate", "51.3", "phrase_figure+document"),
])
def test_the_level_a_change_reaches_is_still_the_figure(text, indicator, value, rule):
    r = row_of(report(text), indicator)
    assert (r["value"], r["unit"], r["qualifier"], r["rule"]) == (value, "%", "exact", rule)


@pytest.mark.parametrize("text, indicator", [
    ("全年办理法律援助案件比上年增加120件。", "legal_aid_cases"),
    ("全区受理行政复议案件同比减少了18件。", "reconsideration_cases"),
    ("全区持证执法人员较上年增长约35人。", "enforcement_officers"),
])
def test_a_counts_change_is_no_count(text, indicator):
    p = run(report(text))
    assert not [r for r in rows(p) if r["indicator"] == indicator]
    assert [f for f in p.ex.flags if f["indicator"] == indicator and f["kind"] == "change_count"]


# --- 2. A concluded count is never the received count, wherever the verb stands -------------------

@pytest.mark.parametrize("text, indicator, value", [
    ("全年行政诉讼案件审结389件，无一败诉。", "litigation_concluded", "389"),
    ("全年行政诉讼案件共审结214件。", "litigation_concluded", "214"),
    ("全年行政应诉案件依法审结76件。", "litigation_concluded", "76"),
    ("全年行政复议案件累计办结58件。", "reconsideration_closed", "58"),
    ("全年行政复议案件已全部结案，共61件。", None, None),
    ("全年共依法办结行政复议申请71件。", "reconsideration_closed", "71"),
    ("全年行政诉讼案件389件已审结。", "litigation_concluded", "389"),
    ("全年行政复议案件47件均已办结。", "reconsideration_closed", "47"),
])
def test_a_concluded_count_is_the_concluded_indicator_and_not_the_received_one(text, indicator, value):
    got = {r["indicator"]: r for r in facts(report(text))}
    assert "litigation_cases" not in got and "reconsideration_cases" not in got
    if indicator:
        r = got[indicator]
        assert (r["value"], r["unit"], r["qualifier"], r["rule"]) == (value, "件", "exact", r["rule"])
        assert r["rule"].startswith("phrase_figure") and value + "件" in r["quote"]


@pytest.mark.parametrize("text, received, concluded", [
    ("全年受理行政复议案件90件，办结行政复议案件80件。", "90", "80"),
    ("全年行政复议案件受理90件，审结80件。", "90", "80"),
    ("全年共办结行政复议案件80件，新收行政复议案件90件。", "90", "80"),
])
def test_received_and_concluded_in_one_sentence_each_keep_their_own(text, received, concluded):
    got = {r["indicator"]: r["value"] for r in facts(report(text))}
    assert got == {"reconsideration_cases": received, "reconsideration_closed": concluded}


@pytest.mark.parametrize("text, indicator, total, formula", [
    ("区政府行政诉讼案件审结12件，部门行政诉讼案件审结30件。", "litigation_concluded", "42", "12 + 30"),
    ("以区政府为被告的行政诉讼案件审结19件，以部门、镇街为被告的行政诉讼案件审结44件。",
     "litigation_concluded", "63", "19 + 44"),
    ("区政府本级收到行政诉讼案件12件，部门收到行政诉讼案件30件。", "litigation_cases", "42", "12 + 30"),
])
def test_concluded_counts_of_complementary_scopes_are_summed_once(text, indicator, total, formula):
    (r,) = facts(report(text))
    assert (r["indicator"], r["value"], r["rule"], r["formula"]) == (indicator, total, "derived_sum", formula)


def test_one_figure_is_one_mention_of_an_indicator():
    p = run(report("全年行政诉讼案件审结389件。"))
    assert len([m for m in p.ex.mentions if m.value == 389]) == 1


# --- 3. A count in the clause after its subject: 「法律援助…，援助各类案件N件」 ----------------------

@pytest.mark.parametrize("text, indicator, value, quote", [
    ("法律援助实现应援优援，援助各类案件1200件，持续实现了法律援助零投诉。", "legal_aid_cases", "1200",
     "法律援助实现应援优援,援助各类案件1200件"),
    ("法律援助工作扎实推进，共办理各类案件860件。", "legal_aid_cases", "860",
     "法律援助工作扎实推进,共办理各类案件860件"),
    ("依申请公开工作依法规范，累计受理各项申请156件。", "disclosure_requests", "156",
     "依申请公开工作依法规范,累计受理各项申请156件"),
    ("法律援助挽回经济损失320万元，援助各种案件1,045件。", "legal_aid_cases", "1045",
     "法律援助挽回经济损失320万元,援助各种案件1,045件"),
])
def test_a_count_in_the_clause_after_its_subject_is_its_figure(text, indicator, value, quote):
    r = row_of(report(text), indicator)
    assert (r["value"], r["unit"], r["qualifier"], r["rule"], r["quote"]) == (value, "件", "exact",
                                                                               "count_clause+document", quote)


@pytest.mark.parametrize("text", [
    "法律援助实现应援优援，其中刑事案件86件。",             # a part of the count
    "法律援助实现应援优援，审结各类案件86件。",             # another stage
    "法律援助实现应援优援，受理行政复议案件86件。",         # its own subject
    "法律援助实现应援优援，各类案件较上年增加86件。",       # a change
])
def test_a_clause_that_is_not_only_a_count_lends_no_figure(text):
    assert [r for r in facts(report(text)) if r["indicator"] == "legal_aid_cases"] == []


# --- 4. The district of a title with issuing bodies --------------------------------------------

@pytest.mark.parametrize("title, district", [
    ("中共合成安安县委 合成安安县人民政府\n关于印发《合成安安县法治政府建设实施方案（2021—2025年）》的通知", "合成安安县"),
    ("中共新和区委、新和区人民政府关于印发《新和区法治政府建设实施方案》的通知", "新和区"),
    ("中国共产党云阳县委员会 云阳县人民政府\n关于2021年法治政府建设情况的报告", "云阳县"),
    ("中共宁平区委全面依法治区委员会办公室 宁平区人民政府办公室\n关于印发《宁平区2022年法治政府建设工作要点》的通知", "宁平区"),
    ("中共湖南省长沙市岳麓区委 长沙市岳麓区人民政府关于印发《岳麓区法治政府建设实施方案》的通知", "岳麓区"),
    ("中共浙江省委 浙江省人民政府关于印发《浙江省法治政府建设实施方案》的通知", "浙江省"),
    ("中共福安区委办公室 福安区人民政府办公室关于印发《法治政府建设工作要点》的通知", "福安区"),
])
def test_the_district_of_issuing_bodies_is_their_administrative_unit(title, district):
    assert detect_district(detect_title(title + "\n正文。"), "") == district


@pytest.mark.parametrize("title", [
    "中共甲乙区委 丙丁县人民政府关于印发《法治政府建设实施方案》的通知",   # two units: unsure
])
def test_issuing_bodies_of_two_units_leave_the_district_unknown(title):
    assert detect_district(detect_title(title + "\n正文。"), "") == ""


def test_a_plan_issued_by_party_committee_and_government_imports_with_its_district():
    raw = ("中共合成安安县委 合成安安县人民政府\n关于印发《合成安安县法治政府建设实施方案（2021—2025年）》的通知\n"
           "各乡镇人民政府，县政府各部门：\n到2025年，全县行政机关负责人出庭应诉率不低于90%。\n")
    p = process_bytes("p.txt", raw.encode("utf-8"), {})
    assert (p.meta.district, p.meta.doc_type, p.meta.period) == ("合成安安县", "plan", "2021-2025")


# --- 5. The period of a completion report -----------------------------------------------------

def meta_of(raw: str):
    return process_bytes("r.txt", raw.encode("utf-8"), {"district": "示例区"}).meta


LATER_SINCE = "2017年以来，办理行政复议案件406件。2017年以来，法律援助案件8064件。2017年以来，调解纠纷3万件。"


@pytest.mark.parametrize("title", [
    "示例区2016—2020年法治政府建设工作总结报告",
    "示例区人民政府关于2016-2020年法治政府建设情况的报告",
    "示例区法治政府建设（2016—2020年）工作总结",
])
def test_a_span_in_the_title_is_the_reports_own_period_whatever_the_text_counts_from(title):
    meta = meta_of(f"{title}\n2016年以来，全区法治政府建设成效明显。{LATER_SINCE}\n")
    assert (meta.doc_type, meta.period) == ("multi_year_report", "2016-2020")


@pytest.mark.parametrize("title, cycle, period", [
    ("示例区人民政府关于法治政府建设实施纲要（2015-2020）落实完成情况的报告", "十三五", "2016-2020"),
    ("示例区人民政府关于法治政府建设实施方案（2011-2015年）落实完成情况的报告", "“十二五”", "2011-2015"),
])
def test_a_completion_report_of_a_cited_plan_covers_the_five_year_cycle_its_text_names(title, cycle, period):
    meta = meta_of(f"{title}\n{cycle}期间，全区法治政府建设成效明显。{LATER_SINCE.replace('2017', period[:2] + str(int(period[2:4]) + 1))}\n")
    assert (meta.doc_type, meta.period) == ("multi_year_report", period)


def test_of_two_starts_counted_from_as_often_a_completion_report_takes_the_earlier():
    raw = ("示例区人民政府关于法治政府建设实施纲要（2015-2020）落实完成情况的报告\n"
           "2016年以来，办理行政复议案件406件。2016年以来，法律援助案件8064件。"
           "2017年以来，调解纠纷3万件。2017年以来，受理行政诉讼案件512件。\n")
    assert meta_of(raw).period == "2016-2020"


# --- 6. Lists tied to scopes; 办理 is not the count received when 新收 is given -------------------

@pytest.mark.parametrize("text, indicator, total, formula, inputs", [
    ("以区政府和部门为被告的行政诉讼案件分别为12件、30件。", "litigation_cases", "42", "12 + 30",
     "区政府: 12 | 部门: 30"),
    ("全年区政府、镇街收到行政诉讼案件分别为25件和61件。", "litigation_cases", "86", "25 + 61",
     "区政府: 25 | 镇街: 61"),
    ("区政府和部门、镇街收到行政诉讼案件分别为19件、40件。", "litigation_cases", "59", "19 + 40",
     "区政府: 19 | 部门、镇街: 40"),                               # words of one level in a row: one scope
])
def test_a_list_after_as_many_scopes_gives_one_figure_per_scope_summed_when_complementary(text, indicator, total,
                                                                                          formula, inputs):
    p = run(report(text))
    (r,) = [r for r in rows(p) if r["indicator"] == indicator]
    assert (r["value"], r["unit"], r["rule"], r["formula"]) == (total, "件", "derived_sum", formula)
    (m,) = [m for m in p.ex.mentions if m.rule == "derived_sum"]
    assert " | ".join(f"{x.scope}: {x.value:g}" for x in m.inputs) == inputs   # the summed mentions themselves
    assert not [f for f in p.ex.flags if f["kind"] == "list_mismatch"]


def test_a_list_of_rates_after_two_scopes_keeps_each_scopes_figure():
    p = run(report("区政府和部门负责人出庭应诉率分别为100%、92.5%。"))
    got = {(m.scope, m.value) for m in p.ex.mentions if m.indicator == "head_appearance_rate"}
    assert got == {("区政府", 100), ("部门", 92.5)}
    assert not [f for f in p.ex.flags if f["kind"] == "list_mismatch"]


@pytest.mark.parametrize("text", [
    "全区、区政府和部门行政诉讼案件分别为12件、30件。",        # three scopes, two figures
    "全区行政诉讼案件分别为12件、30件。",                        # one scope
])
def test_a_list_whose_scopes_do_not_pair_stays_a_flag(text):
    p = run(report(text))
    assert not [r for r in rows(p) if r["indicator"] == "litigation_cases"]
    assert [f for f in p.ex.flags if f["kind"] == "list_mismatch"]


@pytest.mark.parametrize("text, received", [
    ("全年共办理行政复议案件86件，新收72件。", "72"),
    ("全年办理行政复议案件86件，其中新收72件。", "72"),
    ("全年新收行政复议案件72件，办理行政复议案件86件。", "72"),
    ("全年共办理行政诉讼案件143件，受理行政诉讼案件120件。", "120"),
    ("全年行政复议案件共计办理78件，其中新收65件、上年结转13件。", "65"),
])
def test_a_count_handled_is_not_the_count_received_when_the_received_one_is_given(text, received):
    p = run(report(text))
    (r,) = [r for r in rows(p) if r["indicator"] in ("reconsideration_cases", "litigation_cases")]
    assert (r["value"], r["unit"], r["period"]) == (received, "件", "2022")
    assert not r["note"]                                 # no conflicting value: the handled count is not one
    assert [m for m in p.ex.mentions if m.status == "handled"]


def test_a_count_handled_alone_is_still_the_count():
    assert row_of(report("全年共办理行政复议案件86件。"), "reconsideration_cases")["value"] == "86"
