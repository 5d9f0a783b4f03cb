"""Failure kinds found on a second set of real reports (issue 15, second held-out set): each kind
in the project's own wordings, with other indicators and numbers than the reports had."""
import pytest

from etl.pipeline import rows
from tests.etl.test_kinds import report, run, statuses, table


# --- A. A sub-area's or sub-actor's count is a part, never the place's figure -----------------------

@pytest.mark.parametrize("text, indicator, total, part", [
    ("全区新收行政复议案件240件，其中涉企领域行政复议案件52件。", "reconsideration_cases", 240, 52),
    ("全区涉及民生领域行政复议案件73件，全年新收行政复议案件310件。", "reconsideration_cases", 310, 73),
    ("全县法律援助中心全年受理法律援助案件615件；其中涉企法律援助案件38件。", "legal_aid_cases", 615, 38),
    ("全区行政诉讼案件162件，其中涉企行政诉讼案件41件。", "litigation_cases", 162, 41),
])
def test_a_field_count_is_a_part_and_the_total_wins(text, indicator, total, part):
    p = run(report(text))
    assert table(report(text))[("actual", indicator, "2022")] == (total, "")
    assert statuses(p, indicator)[part] == "part"


@pytest.mark.parametrize("text, indicator, total, part", [
    ("全年受理行政复议案件120件。因征地拆迁引发的行政复议案件45件。", "reconsideration_cases", 120, 45),
    ("全区新收行政诉讼案件37件，因政府信息公开引起的行政诉讼案件6件。", "litigation_cases", 37, 6),
    ("全年受理法律援助案件615件；因拖欠农民工工资引发的法律援助案件96件。", "legal_aid_cases", 615, 96),
])
def test_a_count_of_one_cause_is_a_part_and_the_total_wins(text, indicator, total, part):
    p = run(report(text))
    assert table(report(text))[("actual", indicator, "2022")] == (total, "")
    assert statuses(p, indicator)[part] == "part"


@pytest.mark.parametrize("text, indicator", [
    ("因依申请公开引发的行政复议案件10件、行政诉讼案件1件。", "reconsideration_cases"),
    ("因依申请公开引发的行政复议案件10件、行政诉讼案件1件。", "litigation_cases"),
    ("因土地征收导致的行政诉讼案件23件。", "litigation_cases"),
])
def test_a_count_of_one_cause_alone_is_a_mention_not_a_figure(text, indicator):
    p = run(report(text))
    assert indicator not in {r["indicator"] for r in rows(p)}
    assert "part" in statuses(p, indicator).values()


@pytest.mark.parametrize("text, indicator", [
    ("深化与邻县的接边地区联合调解机制，全年联合调处成功纠纷480余件。", "people_mediation_success"),
    ("推行一村（社区）一法律顾问，村（社区）法律顾问全年代理法律援助案件35件。", "legal_aid_cases"),
    ("聘请村居法律顾问120名，开展法治讲座200余场，代理法律援助案件62件。", "legal_aid_cases"),
])
def test_a_sub_actors_count_alone_is_a_mention_not_a_figure(text, indicator):
    p = run(report(text))
    assert indicator not in {r["indicator"] for r in rows(p)}
    assert "part" in statuses(p, indicator).values()


def test_a_sub_actor_named_in_the_paragraphs_heading_makes_its_counts_parts():
    text = report("加强村（社区）法律顾问工作。全年为群众提供咨询3000余次，代理法律援助案件47件。\n"
                  "全县法律援助机构全年办理法律援助案件1020件。")
    assert table(text)[("actual", "legal_aid_cases", "2022")] == (1020, "")
    assert statuses(run(text), "legal_aid_cases")[47] == "part"


def test_of_two_concluded_counts_the_one_after_qizhong_is_a_part():
    text = report("全省共审结行政复议案件8120件，其中省政府审结行政复议案件356件。", 2022)
    p = run(text, district="示例省")
    assert table(text, district="示例省")[("actual", "reconsideration_closed", "2022")] == (8120, "")
    assert statuses(p, "reconsideration_closed")[356] == "part"


def test_a_place_named_country_wide_takes_its_own_level():
    text = "国家2023年行政复议工作情况\n2023年，全国新收行政复议案件28.2万件，其中涉企行政复议案件2.6万件。"
    assert table(text, "2023", district="全国")[("actual", "reconsideration_cases", "2023")] == (282000, "")


def test_qizhong_before_another_indicator_is_no_part():
    got = table(report("全区审结行政诉讼案件80件，其中行政机关败诉4件。"))
    assert got[("actual", "litigation_loss_rate", "2022")] == (5, "")
    got = table(report("全年办理各类案件500件，其中行政复议案件120件。"))
    assert got[("actual", "reconsideration_cases", "2022")] == (120, "")


# --- B. In a text about a plan, each 「到YYYY年底」 clause of a run of goals is a target ---------------

def test_each_years_goal_in_a_run_of_deadline_sentences_is_a_target():
    text = ("示例区召开会议部署营商环境行动方案\n方案提出分年度目标：到2023年底，政务服务事项全程网办率提高至85%以上。"
            "到2024年底，全程网办率提高至92%以上。到2025年底，全程网办率达到98%。")
    got = table(text, "2023-2025")
    assert got == {("target", "online_service_rate", str(y)): (v, ">=") for y, v in ((2023, 85), (2024, 92), (2025, 98))}


def test_a_run_of_goals_holds_for_other_indicators_and_headed_items():
    text = ("示例市印发依法行政三年行动计划\n计划明确，力争到2022年底，行政机关负责人出庭应诉率达到90%以上。\n"
            "到2023年底，行政机关负责人出庭应诉率达到95%以上；\n到2024年底，行政机关负责人出庭应诉率达到100%。")
    got = table(text, "2022-2024", district="示例市")
    assert got == {("target", "head_appearance_rate", str(y)): (v, ">=") for y, v in ((2022, 90), (2023, 95), (2024, 100))}


def test_a_deadline_sentence_without_a_goal_before_it_stays_an_actual():
    text = report("到2022年底，全区政务服务事项全程网办率提高至96.5%。")
    assert table(text) == {("actual", "online_service_rate", "2022"): (96.5, "")}


# --- C. 差评整改率 is not 差评回访率 ----------------------------------------------------------------

@pytest.mark.parametrize("text", ["全区政务服务差评整改率达98%。", "实名差评整改率100%，好评率99.6%。"])
def test_rectification_rate_of_negative_reviews_is_not_the_callback_rate(text):
    assert "negative_review_callback_rate" not in {r["indicator"] for r in rows(run(report(text)))}


def test_the_callback_rate_beside_a_rectification_rate_is_kept():
    got = table(report("差评整改率97.5%，实名差评回访率达到100%。"))
    assert got[("actual", "negative_review_callback_rate", "2022")] == (100, "")


# --- D. A relative span never narrows the period the user gave -----------------------------------------

@pytest.mark.parametrize("text, indicator, value", [
    ("三年来，全区共受理行政复议案件368件。", "reconsideration_cases", 368),
    ("两年来，全区行政机关负责人出庭应诉率达到97.1%。", "head_appearance_rate", 97.1),
])
def test_a_relative_span_inside_the_given_period_keeps_the_given_period(text, indicator, value):
    p = run(report(text, 2021), "2017-2021")
    got = {(r["indicator"], r["period"]): float(r["value"]) for r in rows(p)}
    assert got == {(indicator, "2017-2021"): value}
    assert any("2017-2021" in r["note"] for r in rows(p))


def test_a_relative_span_of_a_one_year_report_still_gives_its_years():
    got = table(report("三年来，全区累计办理行政复议案件412件。"))
    assert got == {("actual", "reconsideration_cases", "2020-2022"): (412, "")}


def test_a_relative_span_of_a_detected_period_still_narrows_it():
    text = "示例区2016—2020年法治政府建设情况报告\n近三年来，全区共受理行政复议案件301件。"
    assert table(text, None) == {("actual", "reconsideration_cases", "2018-2020"): (301, "")}


# --- E. Of applications received and cases accepted, the accepted count is the indicator's ------------

@pytest.mark.parametrize("text, accepted, received", [
    ("全区共收到行政复议申请156件，受理142件。", 142, 156),
    ("全区各级行政复议机关共收到行政复议申请880件，其中，依法受理761件，占收案总数的86.5%。", 761, 880),
    ("全区新收行政复议申请512件，依法受理468件、审结430件。", 468, 512),
    ("全区新收行政复议申请3318件，比上年增加210件；受理行政复议案件2907件，受理率为87.6%。", 2907, 3318),
])
def test_the_accepted_count_wins_over_the_applications_received(text, accepted, received):
    p = run(report(text), district="示例区")
    assert table(report(text))[("actual", "reconsideration_cases", "2022")] == (accepted, "")
    assert statuses(p, "reconsideration_cases")[received] == "applications"


def test_applications_alone_are_the_count():
    assert table(report("全年收到行政复议申请97件。")) == {("actual", "reconsideration_cases", "2022"): (97, "")}


@pytest.mark.parametrize("text, accepted", [
    ("（一）收案及受理情况\n全年本区各级行政复议机关共收到行政复议申请620件，其中，依法受理531件。", 531),
    ("全年共收到以区级部门为被申请人的行政复议案件58件，同比上升5%，受理52件。", 52),
])
def test_the_accepted_count_follows_a_heading_or_a_change_clause(text, accepted):
    assert table(report(text))[("actual", "reconsideration_cases", "2022")] == (accepted, "")


# --- F. A count without its unit before a comma, when the noun names what is counted -------------

@pytest.mark.parametrize("text, indicator, value", [
    ("全年本区各级行政复议机关共审结复议案件1388，审结率为91.2%。", "reconsideration_closed", 1388),
    ("全年共受理行政复议案件215，同比上升4.9%。", "reconsideration_cases", 215),
    ("全区法律援助机构办理法律援助案件1463，同比增长6%。", "legal_aid_cases", 1463),
])
def test_a_count_after_a_case_noun_needs_no_unit(text, indicator, value):
    assert table(report(text))[("actual", indicator, "2022")] == (value, "")


def test_a_bare_number_after_a_case_noun_inside_a_clause_is_no_count():
    assert "reconsideration_cases" not in {r["indicator"] for r in rows(run(report("行政复议案件2022年度报告已公开。")))}


# --- G. The indicator in the subject, the count after a bare 案件 ------------------------------------

@pytest.mark.parametrize("text, value", [
    ("全区行政复议机关新收案件709件，同比上升12%。", 709),
    ("2022年，全区行政复议机构受理案件156件。", 156),
    ("本年度区行政复议机关共收到案件88件，均依法处理。", 88),
])
def test_a_received_count_of_a_reconsideration_body_is_the_reconsideration_count(text, value):
    assert table(report(text))[("actual", "reconsideration_cases", "2022")] == (value, "")


def test_a_court_subject_with_a_bare_case_count_is_no_reconsideration_count():
    text = report("全区法院新收案件5120件，行政复议工作有序开展。")
    assert "reconsideration_cases" not in {r["indicator"] for r in rows(run(text))}


# --- H. 办复率 in an information-disclosure text is the disclosure reply rate ------------------------

@pytest.mark.parametrize("text", [
    report("全年收到政府信息公开申请215件，依法按时办复，办复率100%。"),
    "示例区2022年政府信息公开工作年度报告\n二、依申请公开情况\n全年受理申请88件。办复率98.9%。",
    report("三、依申请公开工作\n规范答复文书。全年办复率达99.5%。"),
])
def test_a_reply_rate_under_a_disclosure_subject_is_the_disclosure_reply_rate(text):
    got = {r["indicator"] for r in rows(run(text))}
    assert "disclosure_request_response_rate" in got and "judicial_suggestion_response_rate" not in got


def test_a_reply_rate_of_judicial_suggestions_stays_its_own():
    text = "示例区2022年政府信息公开工作年度报告\n全年办理司法建议12件，办复率100%。"
    got = {r["indicator"] for r in rows(run(text))}
    assert "judicial_suggestion_response_rate" in got and "disclosure_request_response_rate" not in got


def test_a_reply_rate_with_its_own_subject_takes_no_context_from_the_title():
    text = "示例区2022年政府信息公开工作年度报告\n全年办理人大代表建议45件。人大代表建议办复率100%。"
    assert "disclosure_request_response_rate" not in {r["indicator"] for r in rows(run(text))}



def test_a_plain_opening_sentence_lends_no_context_to_a_rate():
    text = report("全年收到政府信息公开申请64件，均已答复。全年办复率达99.5%。")
    assert "disclosure_request_response_rate" not in {r["indicator"] for r in rows(run(text))}
