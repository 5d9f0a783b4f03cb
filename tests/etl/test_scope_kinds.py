"""Scope and attribution kinds found by a new user on reports of places the extractor was never
tuned to: a reference average or a unit below the district is not the district's figure, an
accepted count in the next clause wins over the applications, a change belongs to the nearest
subject, court wordings of the litigation count, a title line is not part of the body's quote.
Each kind in the project's own wordings, with other indicators and numbers than the reports."""
import pytest

from etl.pipeline import rows
from tests.etl.test_kinds import report, run, statuses, table


def kept(text: str, indicator: str, period: str = "2022", **override):
    """The kept actual value of ``indicator`` in ``text``, or None."""
    got = table(text, **override).get(("actual", indicator, period))
    return got[0] if got else None


# --- 1. An average is a comparison's reference, never the district's figure ---------------------

@pytest.mark.parametrize("body, indicator, value", [
    ("全区行政诉讼败诉率已低于全市平均败诉率（9.6%）。", "litigation_loss_rate", 9.6),
    ("全县行政复议纠错率超过2021年全省平均纠错率（12.5%）。", "reconsideration_correction_rate", 12.5),
    ("全区负责人出庭应诉率高于全国平均水平（52.3%）。", "head_appearance_rate", 52.3),
    ("全国平均出庭应诉率为47.1%。", "head_appearance_rate", 47.1),
    ("全区行政诉讼败诉率比全区平均水平（6.2%）低1.5个百分点。", "litigation_loss_rate", 6.2),
])
def test_an_average_referred_to_is_a_mention_not_the_districts_figure(body, indicator, value):
    p = run(report(body))
    assert indicator not in {r["indicator"] for r in rows(p) if r["kind"] == "actual"}
    assert statuses(p, indicator)[value] == "higher_level"


@pytest.mark.parametrize("body, indicator, value", [
    ("全区负责人出庭应诉率为97%，高于全省平均水平（80.2%）。", "head_appearance_rate", 97),
    ("全区行政诉讼败诉率为4.1%，比全市平均水平低2.3个百分点。", "litigation_loss_rate", 4.1),
    ("全区行政诉讼平均败诉率为5.5%。", "litigation_loss_rate", 5.5),
    ("全区政务服务事项平均跑动次数0.3次。", "average_visits", 0.3),
])
def test_the_districts_own_figure_beside_or_named_as_an_average_stays(body, indicator, value):
    assert kept(report(body), indicator) == pytest.approx(value)


def test_a_citys_own_average_in_its_own_report_stays():
    text = "示例市2022年法治政府建设年度报告\n全市平均出庭应诉率为93%。"
    assert kept(text, "head_appearance_rate", district="示例市") == 93


# --- 2. A unit below the district, named by its own name, is a part --------------------------------

@pytest.mark.parametrize("body, indicator, value, unit", [
    ("城南街道人民调解成功率达到99.2%。", "people_mediation_success_rate", 99.2, "城南街道"),
    ("2022年，红旗乡行政调解成功率为95%。", "admin_mediation_success_rate", 95, "红旗乡"),
    ("其中和平社区受理矛盾纠纷86件。", "people_mediation_cases", 86, "和平社区"),
    ("金山街道人民调解委员会全年受理矛盾纠纷215件。", "people_mediation_cases", 215, "金山街道"),
])
def test_a_named_town_or_community_gives_its_own_figure_not_the_districts(body, indicator, value, unit):
    p = run(report(body))
    assert indicator not in {r["indicator"] for r in rows(p)}
    (m,) = [m for m in p.ex.mentions if m.indicator == indicator and m.value == value]
    assert (m.status, m.status_detail) == ("part", unit)


def test_the_district_total_beside_a_named_towns_figure_is_kept():
    text = report("2022年，和平社区受理矛盾纠纷86件，全区人民调解组织受理矛盾纠纷2100件。")
    assert kept(text, "people_mediation_cases") == 2100


@pytest.mark.parametrize("body, indicator, value", [
    ("全区各镇街人民调解组织受理矛盾纠纷1500件。", "people_mediation_cases", 1500),
    ("全区城乡社区人民调解成功率97%。", "people_mediation_success_rate", 97),
    ("各乡镇人民调解成功率98%。", "people_mediation_success_rate", 98),
    ("城关镇等8个乡镇人民调解成功率96.5%。", "people_mediation_success_rate", 96.5),
    ("区政府收到行政复议申请62件。", "reconsideration_cases", 62),
    ("全区组织社区人民调解组织受理矛盾纠纷640件。", "people_mediation_cases", 640),
])
def test_the_districts_collective_wordings_are_not_one_unit(body, indicator, value):
    assert kept(report(body), indicator) == pytest.approx(value)


# --- 3. The count accepted in the next, subject-less sentence wins over the applications ----------

@pytest.mark.parametrize("body, value", [
    ("全年共收到行政复议申请230件。依法受理215件，审结201件。", 215),
    ("2022年，区政府共接收行政复议申请75件。受理68件。", 68),
    ("全区新收行政复议申请140件。其中受理131件，不予受理9件。", 131),
])
def test_an_accepted_count_opening_the_next_sentence_is_the_reconsideration_count(body, value):
    assert kept(report(body), "reconsideration_cases") == value


def test_the_applications_before_an_accepted_count_in_the_next_sentence_stay_a_mention():
    p = run(report("全年共收到行政复议申请230件。依法受理215件。"))
    assert statuses(p, "reconsideration_cases") == {230: "applications", 215: "kept"}


@pytest.mark.parametrize("body, value", [
    ("全年共收到行政复议申请40件。审结38件。", 40),
    ("全年共收到行政复议申请40件。受理行政诉讼案件12件。", 40),
    ("全年共收到行政复议申请40件。全区受理矛盾纠纷320件。", 40),
    ("全年共收到行政复议申请40件，同比下降5%。受理率100%。", 40),
])
def test_a_next_sentence_with_its_own_subject_or_another_count_leaves_the_applications(body, value):
    assert kept(report(body), "reconsideration_cases") == value


# --- 4. A change statement belongs to the nearest subject, a rate outside the catalog included ------

def changes(body: str) -> list[tuple[str, str]]:
    """(indicator, quote) of the change flags of ``body``."""
    return [(f["indicator"], f["quote"]) for f in run(report(body)).ex.flags if f["kind"].startswith(("change", "ambiguous"))]


@pytest.mark.parametrize("body, indicator, own", [
    ("全区负责人出庭应诉率96%，同比提高3个百分点；行政执法案卷优秀率88.5%，同比提高6.2个百分点。",
     "head_appearance_rate", "3个百分点"),
    ("全区行政诉讼败诉率5.1%，诉前化解率32%，同比下降2个百分点。", "litigation_loss_rate", None),
    ("全区行政复议纠错率9.7%；群众对执法工作的满意度较上年提高1.6个百分点。", "reconsideration_correction_rate", None),
])
def test_a_change_after_a_subject_outside_the_catalog_is_not_the_indicators(body, indicator, own):
    got = [q for ind, q in changes(body) if ind == indicator]
    assert [own in q for q in got] == ([True] if own else [])
    notes = [r["note"] for r in rows(run(report(body))) if r["indicator"] == indicator]
    assert all(("6.2" not in n and "2个百分点" not in n and "1.6" not in n) for n in notes)


@pytest.mark.parametrize("body, indicator", [
    ("全区行政复议纠错率12.3%，同比提高2.1个百分点。", "reconsideration_correction_rate"),
    ("全区受理行政复议案件142件，较上年的130件增加12件。", "reconsideration_cases"),
    ("全区受理行政诉讼案件58件，结案51件，同比分别上升16%和9%。", "litigation_cases"),
    ("全区行政诉讼败诉率4.2%；同比下降1.3个百分点。", "litigation_loss_rate"),
])
def test_a_change_of_the_indicator_itself_is_still_flagged(body, indicator):
    assert [ind for ind, _ in changes(body)] == [indicator]
