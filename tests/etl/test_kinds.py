"""Extraction on wordings it was not tuned on: one section per failure kind of issue 15.

Each eval case (shared/eval/cases/cNN_*.txt) is restated here with its right value, followed by
other wordings of the same kind (other indicators, other numbers)."""
import itertools

import pytest

from etl.pipeline import process_bytes, rows

REPORT = "示例区{year}年法治政府建设年度报告\n"


def run(text: str, period: str | None = "2022", district: str = "示例区", **override):
    """The processed document of ``text`` given as a user would import it."""
    ov = {"district": district, **override}
    if period:
        ov["period"] = period
    return process_bytes("t.txt", text.encode("utf-8"), ov)


def table(text: str, period: str | None = "2022", **override) -> dict:
    """{(kind, indicator, period): (value, comparator)} of every row of ``text``."""
    return {(r["kind"], r["indicator"], r["period"]): (float(r["value"]) if r["value"] else None, r["comparator"])
            for r in rows(run(text, period, **override), include_rank=True)}


def report(body: str, year: int = 2022) -> str:
    return REPORT.format(year=year) + body


def statuses(p, indicator: str) -> dict:
    """{value: status} of the mentions of ``indicator``."""
    return {m.value: m.status for m in p.ex.mentions if m.indicator == indicator}


# --- 8. Comparators, and one figure for one indicator ------------------------------------------

AT_MOST = ["不超过", "不高于", "不得超过", "不得高于", "低于", "控制在"]
AT_LEAST = ["不低于", "不少于", "不得低于", "不得少于", "超过", "高于", "至少"]


@pytest.mark.parametrize("cue, comparator", [(c, "<=") for c in AT_MOST] + [(c, ">=") for c in AT_LEAST])
def test_every_comparator_cue_gives_its_own_direction(cue, comparator):
    plan = f"示例区法治政府建设实施方案（2021—2025年）\n到2025年，全区行政诉讼败诉率{cue}5%。"
    assert table(plan, None)[("target", "litigation_loss_rate", "2025")] == (5, comparator)


@pytest.mark.parametrize("post, comparator", [("以下", "<="), ("以内", "<="), ("以上", ">="), ("及以上", ">=")])
def test_a_word_after_the_figure_gives_the_comparator_against_the_direction(post, comparator):
    # 出庭应诉率 is "higher is better" and 败诉率 "lower is better": the stated word wins over both.
    plan = f"示例区法治政府建设实施方案（2021—2025年）\n到2025年，出庭应诉率达到80%{post}，败诉率在6%{post}。"
    got = table(plan, None)
    assert got[("target", "head_appearance_rate", "2025")] == (80, comparator)
    assert got[("target", "litigation_loss_rate", "2025")] == (6, comparator)


@pytest.mark.parametrize("first, second", itertools.permutations(AT_MOST[:4] + AT_LEAST[:4], 2))
def test_two_cues_in_either_order_each_keep_their_direction(first, second):
    plan = (f"示例区法治政府建设实施方案（2021—2025年）\n"
            f"到2025年，行政机关负责人出庭应诉率{first}85%，行政复议决定履行率{second}95%。")
    got = table(plan, None)
    want = lambda cue: "<=" if cue in AT_MOST else ">="
    assert got[("target", "head_appearance_rate", "2025")] == (85, want(first))
    assert got[("target", "reconsideration_fulfilment_rate", "2025")] == (95, want(second))


def test_case_c24_not_exceeding_is_at_most_and_not_below_is_at_least():
    plan = "示例区法治政府建设实施方案（2021—2025年）\n到2025年，全区行政诉讼败诉率不超过5%，行政机关负责人出庭应诉率不低于90%。"
    got = table(plan, None)
    assert got[("target", "litigation_loss_rate", "2025")] == (5, "<=")
    assert got[("target", "head_appearance_rate", "2025")] == (90, ">=")


@pytest.mark.parametrize("cue, comparator", [("不低于", ">="), ("不得低于", ">="), ("高于", ">="),
                                             ("不高于", "<="), ("不得高于", "<="), ("低于", "<="), ("不超过", "<=")])
def test_relative_targets_read_the_longest_cue(cue, comparator):
    plan = f"示例区法治政府建设实施方案（2021—2025年）\n行政机关负责人出庭应诉率{cue}全市平均水平。"
    (t,) = [r for r in rows(run(plan, None)) if r["kind"] == "target"]
    assert (t["comparator"], t["note"]) == (comparator, "全市平均水平")


@pytest.mark.parametrize("text, qualifier", [("全年行政复议纠错率控制在3%以内。", "at_most"),
                                             ("全年行政复议纠错率低于3%。", "at_most"),
                                             ("全年行政复议纠错率高于3%。", "at_least")])
def test_an_actual_figure_keeps_the_stated_bound_as_its_qualifier(text, qualifier):
    (r,) = [r for r in rows(run(report(text))) if r["indicator"] == "reconsideration_correction_rate"]
    assert (r["kind"], r["value"], r["qualifier"]) == ("actual", "3", qualifier)


def test_not_exceeding_in_a_report_is_a_target_at_most():
    (r,) = [r for r in rows(run(report("全年行政复议纠错率不超过3%。"))) if r["indicator"] == "reconsideration_correction_rate"]
    assert (r["kind"], r["value"], r["comparator"]) == ("target", "3", "<=")


def test_case_c25_a_concluded_count_is_not_the_received_count():
    got = table("示例区2022年行政复议工作报告\n全年审结行政复议案件977件，纠错率9.8%。")
    assert got[("actual", "reconsideration_closed", "2022")] == (977, "")
    assert ("actual", "reconsideration_cases", "2022") not in got


def test_case_c23_court_concluded_cases_are_not_lawsuits_received():
    got = table(report("全年法院审结一审行政诉讼案件64件。"))
    assert ("actual", "litigation_cases", "2022") not in got
    assert got[("actual", "litigation_concluded", "2022")] == (64, "")


@pytest.mark.parametrize("text, closed, received", [
    ("全区办结行政复议案件48件。", 48, None),
    ("全区已结行政复议案件41件，另有7件正在审理。", 41, None),
    ("全年受理并审结行政复议案件30件。", 30, 30),
    ("全年共收到行政复议申请66件，审结59件。", 59, 66),
])
def test_concluded_and_received_counts_each_go_to_their_own_indicator(text, closed, received):
    got = table(report(text))
    assert got.get(("actual", "reconsideration_closed", "2022"), (None,))[0] == closed
    assert got.get(("actual", "reconsideration_cases", "2022"), (None,))[0] == received


def test_case_c26_a_count_carried_over_is_not_the_years_count():
    got = table("示例区2022年政府信息公开工作年度报告\n2022年，全区收到政府信息公开申请236件，另有上年结转申请14件。")
    assert got[("actual", "disclosure_requests", "2022")] == (236, "")


@pytest.mark.parametrize("text, value", [
    ("全年政府信息公开申请上年结转9件、本年新收181件。", 181),
    ("上年结转行政复议案件6件。全年受理行政复议案件52件。", 52),
])
def test_carried_over_counts_never_become_the_figure(text, value):
    got = table(report(text))
    ind = "disclosure_requests" if "公开" in text else "reconsideration_cases"
    assert got[("actual", ind, "2022")] == (value, "")


# --- 4. Derived figures -------------------------------------------------------------------------

def test_case_c11_loss_rate_derived_from_losses_and_concluded_cases():
    p = run(report("全年审结行政诉讼案件80件，其中行政机关败诉4件。"))
    (rate,) = [f for f in p.ex.facts if f.indicator == "litigation_loss_rate"]
    assert rate.value == pytest.approx(5.0) and rate.derived
    assert (rate.numerator, rate.denominator, rate.formula) == (4, 80, "4 / 80 × 100")


@pytest.mark.parametrize("text, value, formula", [
    ("一审行政诉讼案件审结125件，行政机关败诉案件6件。", 4.8, "6 / 125 × 100"),
    ("全区行政机关共审结行政应诉案件40件，败诉3件。", 7.5, "3 / 40 × 100"),
])
def test_loss_rate_derived_from_other_wordings(text, value, formula):
    p = run(report(text))
    (rate,) = [f for f in p.ex.facts if f.indicator == "litigation_loss_rate"]
    assert rate.value == pytest.approx(value) and rate.formula == formula


def test_a_stated_loss_rate_is_kept_and_not_replaced_by_a_derivation():
    p = run(report("审结行政诉讼案件50件，败诉2件，败诉率为4%。"))
    (rate,) = [f for f in p.ex.facts if f.indicator == "litigation_loss_rate"]
    assert rate.value == pytest.approx(4) and not rate.derived and (rate.numerator, rate.denominator) == (2, 50)


def test_losses_without_a_concluded_count_derive_nothing():
    got = table(report("全年收到行政诉讼案件90件，败诉5件。"))
    assert ("actual", "litigation_loss_rate", "2022") not in got


# --- 3. Lists and year structure ----------------------------------------------------------------

def test_case_c06_a_span_of_years_pairs_with_a_list_by_position():
    got = table(report("2019—2021年，全区行政机关负责人出庭应诉率分别为82%、90.5%、97%。", 2021), "2021")
    assert [got[("actual", "head_appearance_rate", y)][0] for y in ("2019", "2020", "2021")] == [82, 90.5, 97]
    assert ("actual", "head_appearance_rate", "2019-2021") not in got


def test_case_c07_named_years_pair_with_a_list_by_position():
    got = table(report("2020年、2021年和2022年，全区受理行政复议案件分别为88件、102件、131件。"))
    assert [got[("actual", "reconsideration_cases", y)][0] for y in ("2020", "2021", "2022")] == [88, 102, 131]


def test_case_c08_elliptic_year_clauses_each_give_their_year():
    got = table(report("2021年全区行政诉讼败诉率为9.8%，2022年为7.1%，2023年为5.0%。", 2023), "2023")
    assert [got[("actual", "litigation_loss_rate", y)][0] for y in ("2021", "2022", "2023")] == [9.8, 7.1, 5.0]


def test_case_c09_a_list_longer_or_shorter_than_its_years_is_a_flag_and_no_figure():
    p = run(report("2020年以来，全区行政诉讼败诉率分别为8%、6.5%。"))
    assert not [r for r in rows(p) if r["indicator"] == "litigation_loss_rate"]
    (flag,) = p.ex.flags
    assert (flag["kind"], flag["period"]) == ("list_mismatch", "2020-2022") and "8%、6.5%" in flag["quote"]


def test_case_c10_a_level_that_fell_is_the_level_it_fell_to():
    got = table(report("全区行政诉讼败诉率由12.3%降至8.4%。"))
    assert got[("actual", "litigation_loss_rate", "2022")] == (8.4, "")


@pytest.mark.parametrize("text, period, want", [
    ("2018年至2020年，全区行政复议案件分别为45件、52件和61件。", "2020",
     {"2018": 45, "2019": 52, "2020": 61}),
    ("2021年和2022年，全区人民调解成功率分别为97.5%、98.1%。", "2022", {"2021": 97.5, "2022": 98.1}),
    ("全区行政复议案件2020年、2021年、2022年分别为88件、102件、131件。", "2022",
     {"2020": 88, "2021": 102, "2022": 131}),
    ("2016年以来，全区人民调解组织受理矛盾纠纷分别为1200件、1350件、1410件、1388件、1502件。", "2020",
     {"2016": 1200, "2017": 1350, "2018": 1410, "2019": 1388, "2020": 1502}),
])
def test_other_lists_of_years_pair_by_position(text, period, want):
    got = table(report(text, int(period)), period)
    ind = next(k[1] for k in got)
    assert {k[2]: v[0] for k, v in got.items() if k[1] == ind} == want


@pytest.mark.parametrize("text", [
    "全区行政诉讼败诉率分别为3%、4%。",
    "2021年，全区受理行政复议案件分别为30件、41件。",
    "十四五以来，全区行政机关负责人出庭应诉率分别为88%、91%、93%。",
])
def test_lists_that_do_not_pair_with_years_give_a_flag_and_no_figure(text):
    p = run(report(text))
    assert not p.ex.facts
    assert [f["kind"] for f in p.ex.flags] == ["list_mismatch"]


def test_elliptic_clauses_of_counts_and_of_targets():
    got = table(report("2020年全区受理行政复议案件61件，2021年为73件，2022年为80件。"))
    assert [got[("actual", "reconsideration_cases", y)][0] for y in ("2020", "2021", "2022")] == [61, 73, 80]
    plan = "示例区法治政府建设实施方案（2021—2025年）\n到2023年，全区行政机关负责人出庭应诉率达到85%，2025年达到95%。"
    got = table(plan, None)
    assert got[("target", "head_appearance_rate", "2023")] == (85, ">=")
    assert got[("target", "head_appearance_rate", "2025")] == (95, ">=")


def test_a_clause_with_more_than_a_year_and_a_figure_does_not_continue_the_indicator():
    got = table(report("2022年全区行政诉讼败诉率为7.1%，2021年审结行政复议案件34件。"))
    assert got[("actual", "litigation_loss_rate", "2022")] == (7.1, "")
    assert ("actual", "litigation_loss_rate", "2021") not in got


@pytest.mark.parametrize("text, value, before", [
    ("全区行政机关负责人出庭应诉率从85%提高到96.5%。", 96.5, {}),
    ("行政复议纠错率由上年的12%下降至9.6%。", 9.6, {"2021": 12}),        # the old level is the year before's
    ("即办件比例由去年的40%提升为52.5%。", 52.5, {"2021": 40}),
])
def test_a_level_that_moved_is_the_level_reached(text, value, before):
    got = {r["period"]: float(r["value"]) for r in rows(run(report(text)))}
    assert got == {"2022": value, **before}


# --- 6. Scopes: the document's own level ---------------------------------------------------------

def test_case_c21_a_provinces_own_level_is_its_district_scope():
    got = table("示例省2022年行政应诉工作情况通报\n2022年，全省行政机关负责人出庭应诉率达到85.3%。", district="示例省")
    assert got[("actual", "head_appearance_rate", "2022")] == (85.3, "")


def test_an_autonomous_regions_own_level_is_its_district_scope():
    text = "示例自治区2022年法治政府建设情况报告\n全区行政复议案件共1530件；全国行政复议案件数稳中有降。"
    (r,) = rows(run(text, district="示例自治区"))
    assert (r["indicator"], r["value"], r["scope"]) == ("reconsideration_cases", "1530", "全区")


def test_a_higher_level_than_the_documents_own_is_not_its_figure():
    text = "示例市2022年法治政府建设年度报告\n全省行政复议案件3800件，全市行政复议案件420件。"
    p = run(text, district="示例市")
    assert table(text, district="示例市")[("actual", "reconsideration_cases", "2022")] == (420, "")
    (higher,) = [m for m in p.ex.mentions if m.value == 3800]
    assert higher.status == "higher_level"
    got = table(report("全市行政机关负责人出庭应诉率达到91%。"))
    assert ("actual", "head_appearance_rate", "2022") not in got


# --- A rate outside 0–100 % --------------------------------------------------------------------

@pytest.mark.parametrize("text, indicator, value", [
    ("2022年，全区行政诉讼败诉率为112%。", "litigation_loss_rate", 112),        # case c20
    ("全区人民调解成功率达到101.5%。", "people_mediation_success_rate", 101.5),
    ("全程网办率为230%。", "online_service_rate", 230),
])
def test_a_rate_over_100_is_a_flagged_mention_never_a_figure(text, indicator, value):
    p = run(report(text))
    assert not [r for r in rows(p) if r["indicator"] == indicator]
    (m,) = [m for m in p.ex.mentions if m.indicator == indicator]
    assert m.value == value and m.status == "out_of_range"
    assert [f["kind"] for f in p.ex.flags] == ["out_of_range"]


# --- 5. Phrasings and word order ------------------------------------------------------------------

@pytest.mark.parametrize("text, indicator, value", [
    ("全区98.2%的政务服务事项实现全程网办。", "online_service_rate", 98.2),                    # case c12
    ("全程网办事项达1523项，占比94.1%。", "online_service_rate", 94.1),                        # case c13
    ("全年行政机关负责人出庭率达100%。", "head_appearance_rate", 100),                         # case c14
    ("全年新收行政复议案件356件。", "reconsideration_cases", 356),                             # case c15
    ("全区人民调解组织受理调解案件4120件，调处成功4056件，调解成功率98.4%。", "people_mediation_cases", 4120),  # c16
    ("全区人民调解组织受理调解案件4120件，调处成功4056件，调解成功率98.4%。", "people_mediation_success", 4056),
    ("全区人民调解组织受理调解案件4120件，调处成功4056件，调解成功率98.4%。", "people_mediation_success_rate", 98.4),
    # other wordings of the same kind
    ("依申请政务服务事项中，96.5%实现全程网上办理。", "online_service_rate", 96.5),
    ("全区全程网上办理事项2100项，占全部事项的比例为92.5%。", "online_service_rate", 92.5),
    ("政务服务事项网上全流程办理率达到89.3%。", "online_service_rate", 89.3),
    ("全区行政应诉案件63件，行政机关负责人出庭应诉比例为87.3%。", "head_appearance_rate", 87.3),
    ("全区人民调解组织调解案件1866件，调处成功1801件。", "people_mediation_success", 1801),
    ("全区人民调解组织调解案件1866件，调处成功1801件。", "people_mediation_cases", 1866),
    ("全区人民调解委员会调解纠纷2.1万件，调解成功率98%以上。", "people_mediation_cases", 21000),
])
def test_phrasings_in_either_word_order_name_their_indicator(text, indicator, value):
    got = table(report(text))
    assert got[("actual", indicator, "2022")] == (value, "")


@pytest.mark.parametrize("text, indicator", [
    ("全区开办企业网上办理率达100%。", "online_service_rate"),                                  # case c17
    ("政务服务事项网上可办率达98%。", "online_service_rate"),                                   # case c18
    ("全年法院审结一审行政诉讼案件64件。", "litigation_cases"),                                 # case c23
    ("不动产登记业务全程网办率达到97%。", "online_service_rate"),
    ("企业开办全程网办率100%，即办件比例达到45%。", "online_service_rate"),
    ("100%的工程建设项目审批事项实现全程网办。", "online_service_rate"),
    ("全区办税事项即办率达到80%。", "immediate_handling_rate"),
    ("行政规范性文件备案审查率达到100%。", "normative_doc_review_rate"),
])
def test_near_misses_do_not_become_the_indicator(text, indicator):
    assert ("actual", indicator, "2022") not in table(report(text))


def test_one_procedures_rate_stays_a_mention_with_its_reason():
    p = run(report("全区开办企业网上办理率达100%。"))
    (m,) = p.ex.mentions
    assert m.indicator == "online_service_rate" and m.status == "one_procedure"


def test_availability_online_is_its_own_indicator():
    got = table(report("政务服务事项网上可办率达98%，全程网办率达到85%。"))
    assert got[("actual", "online_available_rate", "2022")] == (98, "")
    assert got[("actual", "online_service_rate", "2022")] == (85, "")


def test_the_district_wide_rate_beside_a_procedures_rate_is_kept():
    got = table(report("企业开办全程网办率100%，全区政务服务事项全程网办率达到91.2%。"))
    assert got[("actual", "online_service_rate", "2022")] == (91.2, "")


# --- 9. Context from the whole sentence --------------------------------------------------------

@pytest.mark.parametrize("text, indicator, value", [
    ("全年共办理代表建议和委员提案186件；代表委员满意率达100%。", "suggestion_satisfaction_rate", 100),  # c27
    ("全年办理来信来访事项1200件；按期办结率99.2%，满意率98.6%。", "petition_satisfaction_rate", 98.6),
    ("全年收到检察建议和司法建议共12件；办复率100%。", "judicial_suggestion_response_rate", 100),
    ("全区受理行政复议案件58件；综合纠错率13.8%。", "reconsideration_correction_rate", 13.8),
])
def test_a_generic_rate_takes_its_context_from_the_sentences_subject(text, indicator, value):
    assert table(report(text))[("actual", indicator, "2022")] == (value, "")


def test_the_nearest_context_in_the_sentence_wins():
    got = table(report("办理人大代表建议45件；受理来信来访事项300件，满意率97.5%。"))
    assert got[("actual", "petition_satisfaction_rate", "2022")] == (97.5, "")
    assert ("actual", "suggestion_satisfaction_rate", "2022") not in got


def test_context_in_another_sentence_does_not_count():
    got = table(report("全年办理代表建议186件。满意率达100%。"))
    assert ("actual", "suggestion_satisfaction_rate", "2022") not in got


# --- 7. Document type and period ------------------------------------------------------------------

def test_case_c22_a_report_citing_a_plans_name_gives_actuals():
    text = ("根据《示例区法治政府建设实施方案（2021—2025年）》部署，2022年各项工作有序推进。"
            "全年办理行政复议案件95件，行政机关负责人出庭应诉率达到96%。")
    got = table(text)
    assert got[("actual", "reconsideration_cases", "2022")] == (95, "")
    assert got[("actual", "head_appearance_rate", "2022")] == (96, "")
    assert not [k for k in got if k[0] == "target"]


def test_a_news_lead_naming_an_opinion_and_a_work_plan_is_not_a_plan():
    text = ("区委依法治区办印发《关于加强行政复议工作的意见》和2023年工作计划，2022年全区行政复议案件112件，"
            "行政诉讼败诉率4.2%。")
    got = table(text, None)
    assert got[("actual", "reconsideration_cases", "2022")] == (112, "")
    assert got[("actual", "litigation_loss_rate", "2022")] == (4.2, "")


@pytest.mark.parametrize("text", [
    "2023年，全区行政机关负责人出庭应诉率为100%。",
    "截至2023年3月，全区办理行政复议案件15件。",
])
def test_a_year_after_the_reports_period_without_a_target_cue_is_neither_actual_nor_target(text):
    p = run(report(text))
    assert not rows(p)
    assert [f["kind"] for f in p.ex.flags] == ["future_year"]


def test_a_year_after_the_reports_period_with_a_target_cue_is_a_target():
    got = table(report("2023年，力争行政机关负责人出庭应诉率达到100%。"))
    assert got[("target", "head_appearance_rate", "2023")] == (100, ">=")


def test_a_historical_year_is_an_actual_of_that_year_not_a_target():
    got = table(report("2019年，全区行政复议案件为48件；2022年，全区行政复议案件为66件。"))
    assert got[("actual", "reconsideration_cases", "2019")] == (48, "")
    assert got[("actual", "reconsideration_cases", "2022")] == (66, "")
    assert not [k for k in got if k[0] == "target"]


def test_a_count_in_another_part_of_the_sentence_keeps_its_own_subject():
    p = run(report("全年受理行政复议案件32件，办结25件；受理征地补偿安置争议协调申请102件，办结101件。"))
    assert table(report("全年受理行政复议案件32件，办结25件；受理征地补偿安置争议协调申请102件，办结101件。"))[
        ("actual", "reconsideration_closed", "2022")] == (25, "")
    assert not [m for m in p.ex.mentions if m.value == 101]


@pytest.mark.parametrize("text, indicator, value, period, others", [
    # the level moved from, of a named year, is that year's (etl.mentions moved_from), never the level's
    ("全区行政机关负责人出庭应诉率由2021年的85%提高到96%。", "head_appearance_rate", 96, "2022", {"2021": 85}),
    ("全区受理行政复议案件较上年的52件增加到66件。", "reconsideration_cases", 66, "2022", {}),
    ("全区受理行政复议案件66件，比2021年的52件有所增加。", "reconsideration_cases", 66, "2022", {}),
])
def test_a_comparisons_basis_is_never_the_level_nor_its_year_the_period(text, indicator, value, period, others):
    got = table(report(text))
    assert got[("actual", indicator, period)] == (value, "")
    assert {k[2]: v[0] for k, v in got.items() if k[1] == indicator and k[2] != period} == others


@pytest.mark.parametrize("text, indicator, value", [
    ("全区行政机关负责人出庭应诉率同比提高8个百分点，达到96.8%。", "head_appearance_rate", 96.8),
    ("全年受理行政复议案件同比增加12件，达到86件。", "reconsideration_cases", 86),
])
def test_the_level_in_the_clause_after_a_change_is_the_figure(text, indicator, value):
    p = run(report(text))
    assert table(report(text))[("actual", indicator, "2022")] == (value, "")
    assert p.ex.flags and p.ex.flags[0]["indicator"] == indicator


# --- Wordings of the unseen set (tests/etl/unseen): the rules behind them, with their flags ------

def test_a_thousands_separator_does_not_split_a_list_of_named_years():
    got = table(report("2020年、2021年和2022年，全区分别办理法律援助案件1,865件、2,012件、2,247件。"))
    assert {k[2]: v[0] for k, v in got.items()} == {"2020": 1865, "2021": 2012, "2022": 2247}


@pytest.mark.parametrize("text", [
    "全区法律援助机构共提供法律咨询1.2万余件次，办理法律援助案件1,230件。",
    "区法律援助中心接待来访群众3,400件次，全年办理法律援助案件1,230件。",
])
def test_a_phrasing_inside_a_bodys_name_is_the_subject_not_the_count(text):
    assert table(report(text)) == {("actual", "legal_aid_cases", "2022"): (1230, "")}


@pytest.mark.parametrize("text, kind", [
    ("全面完成年度目标任务，政务服务事项全程网办率达到92.5%。", "actual"),
    ("积极争取市级部门支持，全年办理行政复议案件203件。", "actual"),
    ("2023年，全区行政复议纠错率要控制在10%以内。", "target"),
    ("2023年，力争行政复议纠错率控制在10%以内。", "target"),
])
def test_goal_words_of_a_past_year_are_no_target_cue(text, kind):
    assert [r["kind"] for r in rows(run(report(text)))] == [kind]


def test_a_part_without_a_subject_takes_the_earlier_parts_for_context_and_unless():
    got = table(report("全区各级行政调解组织共受理行政调解案件326件；调解成功298件，调解成功率91.4%。"))
    assert set(k[1] for k in got) == {"admin_mediation_cases", "admin_mediation_success", "admin_mediation_success_rate"}
    got = table(report("全年受理行政复议案件32件；受理征地补偿安置争议协调申请102件，办结101件。"))
    assert ("actual", "reconsideration_closed", "2022") not in got


@pytest.mark.parametrize("district, text, kept", [
    ("都江堰市", "全市行政机关负责人出庭应诉率达到100%。成都市行政诉讼败诉率为9.3%。", {"head_appearance_rate"}),
    ("南宁市", "广西壮族自治区全区行政诉讼败诉率为10.2%，全市行政复议纠错率为8%。", {"reconsideration_correction_rate"}),
    ("武侯区", "成都市武侯区行政机关负责人出庭应诉率达到100%。", {"head_appearance_rate"}),
    ("武侯区", "智慧城市建设持续推进，全程网办率达到93%。", {"online_service_rate"}),
])
def test_a_clause_opening_with_another_places_name_is_that_places_figure(district, text, kept):
    p = run(report(text), district=district)
    assert {r["indicator"] for r in rows(p)} == kept
    assert all(m.status == "elsewhere" for m in p.ex.mentions if m.scope_level == "elsewhere")


@pytest.mark.parametrize("text, period", [
    ("三年来，全区累计办理行政复议案件412件。", "2020-2022"),
    ("近五年，全区共办理行政复议案件1,020件。", "2018-2022"),
    ("“十三五”时期，全区累计办理行政复议案件625件。", "2016-2020"),
])
def test_recent_years_and_cycles_in_quotes_are_spans_ending_at_the_report(text, period):
    assert [r["period"] for r in rows(run(report(text)))] == [period]


def test_a_deadline_with_a_date_dates_a_plans_target():
    plan = "示例区法治政府建设实施方案（2021—2025年）\n2022年12月31日前，重点部门行政调解组织建成率达到100%。"
    assert table(plan, None) == {("target", "key_dept_mediation_org_rate", "2022"): (100, ">=")}


def test_a_target_of_this_year_in_an_undated_text_is_a_flag_and_in_a_dated_one_its_year():
    body = "今年全区行政机关负责人出庭应诉率要达到100%。"
    p = run(body, period=None)
    assert not rows(p) and [f["kind"] for f in p.ex.flags] == ["unknown_year"]
    dated = "示例区召开法治政府建设工作会议\n发布时间：2023-02-10\n" + body
    assert table(dated, None) == {("target", "head_appearance_rate", "2023"): (100, ">=")}


@pytest.mark.parametrize("text, want", [
    ("全年行政诉讼案件开庭审理72件。", {}),
    ("行政复议案件审结58件，行政复议案件中维持30件。", {("actual", "reconsideration_closed", "2022"): (58, "")}),
    ("上年结转行政复议案件9件，本年新收56件。", {("actual", "reconsideration_cases", "2022"): (56, "")}),
    ("全区共收到行政复议申请156件，受理142件。", {("actual", "reconsideration_cases", "2022"): (142, "")}),  # accepted
])
def test_a_count_is_the_received_count_only_without_another_stages_word(text, want):
    assert table(report(text)) == want


@pytest.mark.parametrize("text, want", [
    ("全市行政诉讼败诉率为8%，我区为4.5%。", {("actual", "litigation_loss_rate", "2022"): (4.5, "")}),
    ("2022年，全区办理行政复议案件145件，2023年办理182件。",
     {("actual", "reconsideration_cases", "2022"): (145, ""), ("actual", "reconsideration_cases", "2023"): (182, "")}),
    ("全区行政复议案件逐年下降，2020年、2021年、2022年分别办理86件、71件、64件。",
     {("actual", "reconsideration_cases", str(y)): (v, "") for y, v in ((2020, 86), (2021, 71), (2022, 64))}),
])
def test_clauses_that_go_on_with_the_indicator_just_named(text, want):
    assert table(report(text, 2023 if "2023" in text else 2022), "2023" if "2023" in text else "2022") == want


@pytest.mark.parametrize("text, indicator", [
    ("12345政务服务热线受理群众诉求36.5万件，按时答复率达到99.2%。", "disclosure_request_response_rate"),
    ("12345热线及时办结率98.2%。", "petition_ontime_rate"),
    ("人大代表建议、政协委员提案按期办结率100%。", "petition_ontime_rate"),
    ("全程网办事项1,680项，占全市全程网办事项的4.1%。", "online_service_rate"),
])
def test_generic_rates_without_their_subject_give_no_figure(text, indicator):
    assert indicator not in {r["indicator"] for r in rows(run(report(text)))}


def test_a_year_table_in_a_text_file_gives_one_figure_per_cell():
    text = report("主要指标 2021年 2022年\n行政诉讼败诉率（%） 9.5 7.2\n行政复议案件（件）\t102\t131\n")
    got = table(text)
    assert got[("actual", "litigation_loss_rate", "2021")] == (9.5, "")
    assert got[("actual", "reconsideration_cases", "2022")] == (131, "")
    assert ("actual", "litigation_loss_rate", "2022") in got and len(got) == 4


# --- A second figure without a stated scope is not called a narrower scope ------------------------

@pytest.mark.parametrize("body, indicator, other, kept", [
    ("全年全区各级调解组织共调解民间纠纷1560件，调解成功1532件。设立婚姻家庭纠纷调解室，受理家事纠纷84件，调解成功80件。",
     "people_mediation_success", 80, 1532),
    ("全区法律援助机构共办理法律援助案件930件。设立农民工法律援助工作站，办理法律援助案件66件。",
     "legal_aid_cases", 66, 930),
])
def test_a_second_figure_of_unstated_scope_is_possibly_another_population(body, indicator, other, kept):
    from etl.schema import status_text
    p = run(report(body))
    (m,) = [m for m in p.ex.mentions if m.indicator == indicator and m.value == other]
    assert (m.status, m.status_detail) == ("unstated_scope", "全区")
    assert status_text(m.status, m.status_detail) == "未说明范围的另一数值（可能是另一类对象），保留全区的数值"
    assert [f.value for f in p.ex.facts if f.indicator == indicator] == [kept]
