"""Failure kinds found on a third set of real reports (issue 15, third held-out set): each kind in
the project's own wordings, with other indicators and numbers than the reports had."""
import pytest

from etl.pipeline import rows
from tests.etl.test_kinds import report, run, statuses


def table(text: str, period: str | None = "2022", **override) -> dict:
    """{(kind, indicator, period): value} of every row of ``text``."""
    return {(r["kind"], r["indicator"], r["period"]): float(r["value"]) if r["value"] else None
            for r in rows(run(text, period, **override))}


# --- 1. Every unit's lectures, or lectures pooled with other events, are not the leadership's ----

POOLED = {"joined", "others"}              # counted with other events, or by other bodies


def test_every_units_lectures_do_not_outrank_the_leaderships_own():
    text = report("区政府常务会议会前学法12次，举办法治专题讲座4期。全区各单位开展法治专题讲座56场。")
    p = run(text)
    assert table(text)[("actual", "law_lectures_per_year", "2022")] == 4
    assert statuses(p, "law_lectures_per_year")[56] in POOLED


@pytest.mark.parametrize("body, value", [
    ("全县各级行政机关共举办法治专题讲座130期。", 130),
    ("各部门开展法治专题讲座、宣讲报告会等88场。", 88),
    ("全年举办法治专题讲座等各类学法活动41场。", 41),
])
def test_a_pooled_or_all_units_lecture_count_is_a_mention_with_its_reason(body, value):
    p = run(report(body))
    assert "law_lectures_per_year" not in {r["indicator"] for r in rows(p)}
    assert statuses(p, "law_lectures_per_year")[value] in POOLED


def test_the_leaderships_lectures_alone_are_still_taken():
    assert table(report("区政府党组全年举办法治专题讲座6期。"))[("actual", "law_lectures_per_year", "2022")] == 6


# --- 2. 政府信息公开 wordings: the heading gives the context; the parts are not the total ----------

def gk(body: str, year: int = 2022) -> str:
    return f"示例区人民政府{year}年政府信息公开工作年度报告\n{body}"


def test_a_total_of_information_items_under_a_proactive_heading_line():
    text = gk("（一）主动公开情况。\n1.发布情况。全年，全区累计公开政府信息3120条。区政府网站公开政府信息1200条，"
              "各镇街共公开各类政府信息1920条。\n（二）依申请公开情况。全年共收到公开申请27件，均按时答复。")
    got = table(text)
    assert got[("actual", "proactive_disclosure_items", "2022")] == 3120
    assert got[("actual", "disclosure_requests", "2022")] == 27


def test_various_items_with_spaces_under_a_proactive_heading():
    text = gk("（一）主动公开\n全县共公开各类政府信息 4521 条。\n（二）依申请公开\n本机关共受理9件依申请公开，均依法答复。")
    got = table(text)
    assert got[("actual", "proactive_disclosure_items", "2022")] == 4521
    assert got[("actual", "disclosure_requests", "2022")] == 9


@pytest.mark.parametrize("body, indicator", [
    ("三、严格规范执法\n全区累计公开政府信息3120条。", "proactive_disclosure_items"),
    ("三、严格规范执法\n全年共收到公开申请27件。", "disclosure_requests"),
    ("（二）依申请公开情况。全年依申请公开信息312条。", "disclosure_requests"),
])
def test_without_a_disclosure_heading_or_in_items_no_disclosure_figure(body, indicator):
    assert indicator not in {r["indicator"] for r in rows(run(report(body)))}


# --- 3. Elliptic year clauses joined by 、 inside one clause give one figure per year ------------

def test_year_clauses_joined_by_a_dunhao_give_each_year_its_rate():
    text = "示例市法院2019—2021年行政审判白皮书\n2019年行政机关败诉率为11.2%、2020年为9.6%、2021年为7.4%。"
    got = table(text, "2019-2021", district="示例市")
    assert [got[("actual", "litigation_loss_rate", y)] for y in ("2019", "2020", "2021")] == [11.2, 9.6, 7.4]


def test_year_clauses_joined_by_he_give_each_year_its_count():
    text = report("2021年新收行政复议案件86件和2022年为93件。")
    got = table(text, "2021-2022")
    assert got[("actual", "reconsideration_cases", "2021")] == 86
    assert got[("actual", "reconsideration_cases", "2022")] == 93


def test_a_dunhao_list_of_other_items_is_no_year_clause():
    got = table(report("全区行政机关负责人出庭应诉率为96.5%、行政诉讼败诉率为3.1%。"))
    assert got[("actual", "head_appearance_rate", "2022")] == 96.5
    assert got[("actual", "litigation_loss_rate", "2022")] == 3.1
    assert len([k for k in got if k[1] == "head_appearance_rate"]) == 1


def test_a_heading_lends_no_context_to_a_count_of_another_item_in_its_sentence_part():
    text = report("4.行政复议、信访工作进一步规范。全年受理行政复议案件40件，办结38件；"
                  "受理土地权属争议调处申请75件，办结72件。")
    assert table(text)[("actual", "reconsideration_closed", "2022")] == 38
    assert 72 not in statuses(run(text), "reconsideration_closed")


def test_a_topic_list_before_the_lectures_pools_nothing():
    got = table(report("区政府围绕民法典、行政复议法等开展法治专题讲座5期。"))
    assert got[("actual", "law_lectures_per_year", "2022")] == 5
