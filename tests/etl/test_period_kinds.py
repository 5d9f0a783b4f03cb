"""Period kinds a new user found on reports of places the extractor was not tuned to: a level moved
from one named year to another, figures of a part of a year, part-year summaries, the year before.
Each kind in the project's own wordings, with other indicators and numbers than the reports had."""
import pytest

from etl.pipeline import rows
from etl.schema import status_text
from tests.etl.test_kinds import report, run


def table(text: str, period: str | None = "2022", **override) -> dict:
    """{(kind, indicator, period): value} of every row of ``text``."""
    return {(r["kind"], r["indicator"], r["period"]): float(r["value"]) if r["value"] else None
            for r in rows(run(text, period, **override))}


def part_year(p) -> dict:
    """{(indicator, value): words} of the mentions kept aside as figures of a part of a year."""
    return {(m.indicator, m.value): m.status_detail for m in p.ex.mentions if m.status == "part_year"}


# --- 1. A level moved from a named year to another, with words between the year and the value --

@pytest.mark.parametrize("body, indicator, reached, moved_from", [
    ("全区行政复议纠错率从2020年年底的14%下降到2021年年底的9.5%。", "reconsideration_correction_rate",
     ("2021", 9.5), ("2020", 14)),
    ("全区政务服务事项全程网办率由2020年度的72.3%提升至2021年度的88%。", "online_service_rate",
     ("2021", 88), ("2020", 72.3)),
    ("行政机关负责人出庭应诉率由2019年全年的36%上升为2021年全年的92.4%。", "head_appearance_rate",
     ("2021", 92.4), ("2019", 36)),
    ("全区行政诉讼败诉率从2020年末的11%降至2021年末的6.25%。", "litigation_loss_rate",
     ("2021", 6.25), ("2020", 11)),
])
def test_the_level_reached_takes_its_own_year_and_the_old_level_its_year(body, indicator, reached, moved_from):
    got = {k[2]: v for k, v in table(report(body)).items() if k[1] == indicator}
    assert got == dict([reached, moved_from])          # never a 2022 row, never the old level as the report's


def test_a_level_reached_without_a_year_is_the_reports_not_the_old_levels_year():
    got = table(report("全区行政机关负责人出庭应诉率由2020年底的41%提高到97%。"))
    assert got[("actual", "head_appearance_rate", "2022")] == 97
    assert got[("actual", "head_appearance_rate", "2020")] == 41


@pytest.mark.parametrize("body, indicator, value", [
    ("全区行政诉讼败诉率由10.5%降至7%。", "litigation_loss_rate", 7),                 # no year: no old level kept
    ("全程网办率由2022年初的60%提升至年底的85%。", "online_service_rate", 85),          # the start of a year: none
    ("全区受理行政复议案件较2021年全年的70件增加到96件。", "reconsideration_cases", 96),  # a basis: none
])
def test_an_old_level_without_a_whole_year_is_no_figure(body, indicator, value):
    got = {k[2]: v for k, v in table(report(body)).items() if k[1] == indicator}
    assert got == {"2022": value}


def test_a_named_years_whole_year_is_that_year_not_the_reports():
    got = table(report("2021年全年，全区受理行政复议案件120件；全年，全区办结行政复议案件118件。"))
    assert got[("actual", "reconsideration_cases", "2021")] == 120
    assert got[("actual", "reconsideration_closed", "2022")] == 118


def test_an_old_level_of_a_named_year_kept_alone_is_of_that_year():
    # the old level, cut from the level reached by a comma, is still of its own year, never the report's
    got = table(report("全区行政机关负责人出庭应诉率从2020年全年的48%，大幅提高到九成以上。"))
    assert got == {("actual", "head_appearance_rate", "2020"): 48}


# --- 2. Figures of a part of a year are mentions with their reason, never the year's figure ------

@pytest.mark.parametrize("body, indicator, value, words", [
    ("2022年1-9月，全区受理行政复议案件87件。", "reconsideration_cases", 87, "2022年1-9月"),
    ("截至10月底，全区行政机关负责人出庭应诉率为96%。", "head_appearance_rate", 96, "截至10月底"),
    ("上半年，全区行政诉讼败诉率为4.1%。", "litigation_loss_rate", 4.1, "上半年"),
    ("第三季度，全区政务服务事项全程网办率达到91.2%。", "online_service_rate", 91.2, "第三季度"),
    ("前两季度全区共办结行政复议案件33件。", "reconsideration_closed", 33, "前两季度"),
    ("6月至当年底，全区受理行政复议案件52件。", "reconsideration_cases", 52, "6月至当年底"),
    ("前8个月，全区受理行政复议案件61件。", "reconsideration_cases", 61, "前8个月"),
    ("截止到2022年9月30日，全区受理行政复议案件70件。", "reconsideration_cases", 70, "截止到2022年9月30日"),
    ("2022年4月以来，全区行政诉讼败诉率为2.9%。", "litigation_loss_rate", 2.9, "2022年4月以来"),
])
def test_a_figure_of_a_part_of_the_year_is_a_mention_with_its_reason(body, indicator, value, words):
    p = run(report(body))
    assert indicator not in {r["indicator"] for r in rows(p)}
    assert part_year(p) == {(indicator, value): words}
    assert status_text("part_year", words) == f"年内部分时段（{words}）的数值，不是全年数"


@pytest.mark.parametrize("body", [
    "截至2022年12月31日，全区受理行政复议案件87件。",
    "2022年1-12月，全区受理行政复议案件87件。",
    "1月至年底，全区受理行政复议案件87件。",
    "截至2022年底，全区受理行政复议案件87件。",
    "截至年底，全区受理行政复议案件87件。",
    "全年，全区受理行政复议案件87件。",
    "每年第一季度向区人大常委会报告，全区受理行政复议案件87件。",
    "提前3个月完成任务，全区受理行政复议案件87件。",
    "2022年1月以来，全区受理行政复议案件87件。",
])
def test_whole_year_wordings_still_give_the_years_figure(body):
    assert table(report(body)) == {("actual", "reconsideration_cases", "2022"): 87}


@pytest.mark.parametrize("body, indicator, value, words", [
    ("截至11月底，全区行政机关负责人出庭应诉率为96%。", "head_appearance_rate", 96, "截至11月底"),
    ("截止到2022年11月30日，全区受理行政复议案件70件。", "reconsideration_cases", 70, "截止到2022年11月30日"),
    ("2022年1-11月，全区行政诉讼败诉率为3.6%。", "litigation_loss_rate", 3.6, "2022年1-11月"),
])
def test_a_year_end_reports_figure_to_november_is_the_years_with_a_note(body, indicator, value, words):
    p = run(report(body))
    assert table(report(body)) == {("actual", indicator, "2022"): value}
    [fact] = [f for f in p.ex.facts if f.indicator == indicator]
    assert fact.note == f"文中「{words}」：年初至该月的数值，按全年计 (year to date: counted as the year's figure)"
    assert fact.rule.endswith("+year_to_date") and part_year(p) == {}


def test_a_part_years_figure_beside_the_whole_years_keeps_the_whole_year():
    got = table(report("全年，全区受理行政复议案件140件。其中1-6月，全区受理行政复议案件66件。"))
    assert got == {("actual", "reconsideration_cases", "2022"): 140}


def test_a_plans_target_within_a_year_is_that_years_target():
    plan = "示例区法治政府建设实施方案（2021—2025年）\n2023年上半年，全区政务服务事项全程网办率达到90%以上。"
    assert table(plan, None)[("target", "online_service_rate", "2023")] == 90


def test_a_reports_target_for_the_second_half_is_a_standing_target_as_before():
    got = table(report("下半年，力争全区行政复议纠错率控制在9%以内。"))
    assert got == {("target", "reconsideration_correction_rate", "2022-2025"): 9}


# --- 3. A part-year summary is no annual report: its figures are mentions --------------------------

@pytest.mark.parametrize("title, words", [
    ("示例区2022年前三季度法治政府建设工作情况通报", "2022年前三季度"),
    ("示例区2022年1—6月行政复议工作总结", "2022年1—6月"),
    ("示例区司法局2022年上半年工作总结", "2022年上半年"),
])
def test_the_figures_of_a_part_year_summary_are_mentions(title, words):
    p = run(f"{title}\n全区受理行政复议案件58件，行政机关负责人出庭应诉率为97.1%。", None)
    assert p.meta.period == "2022" and not rows(p)
    assert part_year(p) == {("reconsideration_cases", 58): words, ("head_appearance_rate", 97.1): words}


@pytest.mark.parametrize("title", ["示例区2022年1-12月法治政府建设工作总结", "示例区2022年法治政府建设年度报告",
                                   "示例区关于2022年度法治政府建设情况的报告",
                                   "示例区2022年度法治政府建设情况及2023年上半年工作安排的报告"])
def test_a_whole_year_summary_keeps_its_figures(title):
    got = table(f"{title}\n全区受理行政复议案件58件。", None)
    assert got == {("actual", "reconsideration_cases", "2022"): 58}


def test_a_part_year_summary_without_figures_says_why():
    from etl.formats import why_empty
    text = "示例县2021年第一季度行政复议工作情况通报\n" + "本季度依法受理行政复议申请，按期审结，依法公开。" * 6
    assert "年内部分时段（2021年第一季度）" in why_empty("q1.txt", text.encode(), text)
    text = text.replace("第一季度", "")
    assert "年内部分时段" not in why_empty("q1.txt", text.encode(), text)


def test_the_year_before_in_a_part_year_summary_is_no_figure():
    p = run("示例区2022年上半年法治政府建设工作总结\n全区行政诉讼败诉率为3.3%，上年为5%。", None)
    assert not rows(p)


# --- 4. A stated year before ----------------------------------------------------------------------

@pytest.mark.parametrize("body, indicator, now, before", [
    ("2022年全区受理行政复议案件132件，上年为118件。", "reconsideration_cases", 132, 118),
    ("全区行政机关负责人出庭应诉率为98%，去年为91%。", "head_appearance_rate", 98, 91),
    ("2022年全区行政诉讼败诉率为2.5%，上一年度为4%。", "litigation_loss_rate", 2.5, 4),
])
def test_the_year_before_stated_after_the_figure_is_that_years(body, indicator, now, before):
    got = {k[2]: v for k, v in table(report(body)).items() if k[1] == indicator}
    assert got == {"2022": now, "2021": before}


def test_the_year_before_follows_the_figures_own_year():
    got = table(report("2020年全区受理行政复议案件90件，上年为75件。"))
    assert got == {("actual", "reconsideration_cases", "2020"): 90, ("actual", "reconsideration_cases", "2019"): 75}


@pytest.mark.parametrize("body", [
    "全区行政诉讼败诉率为2.5%，上年同期为4%。",                      # the same part of the year before
    "力争全区行政诉讼败诉率控制在3%以内，上年为4%。",                 # after a target
    "2020—2022年全区累计受理行政复议案件350件，上年为118件。",         # after a span of years
])
def test_the_year_before_of_no_single_years_actual_is_no_figure(body):
    assert not [k for k in table(report(body)) if k[0] == "actual" and k[2] == "2021"]
