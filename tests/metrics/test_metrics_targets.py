import math

import pandas as pd
import pytest

from metrics.data import make_frames
from metrics.targets import gap, meets, target_status

LOSS, HEAD, CASES = "litigation_loss_rate", "head_appearance_rate", "litigation_cases"


def _row(df, district, target_id=None, indicator=None):
    sel = df["district"] == district
    sel &= (df["target_id"] == target_id) if target_id is not None else (df["indicator"] == indicator)
    assert sel.sum() == 1, df[sel]
    return df[sel].iloc[0]


def test_latest_actual_in_the_span_meets_the_target(frames):
    r = _row(target_status(frames), "渝北区", 4)   # 2020-2025: ≥ 50 %, 2021 actual 88 %
    assert (r["status"], r["actual_period"], r["fact_id"]) == ("达标", "2021", 5)
    assert r["gap"] == pytest.approx(38.0)
    assert r["target_source"] == "plan_yb.txt：年均出庭应诉率不得低于50%"


def test_deadline_after_as_of_without_an_actual_is_not_due_and_shows_progress(frames):
    r = _row(target_status(frames), "綦江区", 1)   # ≥ 90 % by 2022; data end in 2021 with 92 %
    assert (r["status"], r["deadline"], r["actual_period"]) == ("未到期", 2022, "2021")
    assert r["gap"] == pytest.approx(2.0) and "进度" in r["note"]


def test_a_passed_deadline_without_an_actual_is_no_data(frames):
    r = _row(target_status(frames, as_of=2023), "綦江区", 1)
    assert r["status"] == "暂无数据" and math.isnan(r["actual_value"]) and "最近为 2021 年" in r["note"]


def test_relative_target_is_resolved_from_the_previous_years_city_average(frames):
    r = _row(target_status(frames), "綦江区", 2)   # ≤ 上年度全市平均值: 2021 actual 20 % vs 全市 2020 4 %
    assert (r["status"], r["target_value"]) == ("未达标", pytest.approx(4.0))
    assert r["gap"] == pytest.approx(-16.0) and "全市 2020 年 4" in r["note"]


def test_relative_target_without_a_reference_value_says_so(frames):
    r = _row(target_status(frames.replace(reference=None)), "綦江区", 2)
    assert r["status"] == "缺少参照值" and math.isnan(r["gap"]) and "2020" in r["note"]


def test_rank_target_needs_its_own_reference_row(frames):
    ref = pd.concat([frames.reference, pd.DataFrame([dict(area="全市前列", indicator=HEAD, year=2025, value=95.0)])])
    r = _row(target_status(frames.replace(reference=ref), as_of=2025), "綦江区", 3)
    assert r["status"] == "暂无数据"                   # no 2025 figure yet
    r = _row(target_status(frames), "綦江区", 3)
    assert r["status"] == "未到期" and math.isnan(r["target_value"])


def test_other_districts_are_judged_by_qijiang_plan(frames):
    s = target_status(frames, districts=["渝北区", "北碚区"], standard="綦江区")
    assert set(s["district"]) == {"渝北区", "北碚区"} and set(s["standard"]) == {"綦江区规划"}
    loss = s[s["indicator"] == LOSS].set_index("district")
    assert loss["status"].to_dict() == {"渝北区": "未达标", "北碚区": "达标"}
    assert loss["gap"].to_dict() == pytest.approx({"渝北区": -1.0, "北碚区": 1.5})


def test_projection_uses_the_theil_sen_line_of_four_or_more_points(frames):
    # 渝北区 60, 70, 75, 85, 88 (2017–2021). Pairwise slopes sorted: 3, 5, 6, 6.5, 7, 7.5, 7.5, 8.33, 10, 10
    # → slope 7.25; intercept = 75 − 7.25·2019. Value in 2022 = 75 + 7.25·3 = 96.75; the line reaches
    # 90 at 2019 + 15/7.25 = 2021.07 → first whole year 2022.
    r = _row(target_status(frames, districts=["渝北区"], standard="綦江区"), "渝北区", 1)
    assert r["status"] == "未到期" and r["projected_value"] == pytest.approx(96.75)
    assert r["projected_year_reached"] == 2022 and r["projection_note"].startswith("Theil–Sen")


def test_projection_needs_four_annual_points(frames):
    r = _row(target_status(frames), "綦江区", 1)
    assert r["projection_note"] == "数据不足" and math.isnan(r["projected_value"])
    assert pd.isna(r["projected_year_reached"])


def test_projected_rate_is_kept_within_zero_and_hundred(frames):
    assert _row(target_status(frames), "渝北区", 4)["projected_value"] == pytest.approx(100.0)  # 118.5 unclipped


def test_an_earlier_as_of_uses_only_what_was_known_then(frames):
    r = _row(target_status(frames, as_of=2019), "渝北区", 4)
    assert (r["status"], r["actual_period"], r["projection_note"]) == ("未到期", "2019", "数据不足")


def test_custom_thresholds_apply_to_every_district(frames):
    s = target_status(frames, standard=[dict(indicator=HEAD, comparator=">=", value=90)]).set_index("district")
    assert s["status"].to_dict() == {"北碚区": "达标", "渝北区": "未达标", "綦江区": "达标"}
    assert s.loc["渝北区", "gap"] == pytest.approx(-2.0) and s.loc["渝北区", "standard"] == "自定义标准"


def test_a_trend_going_the_wrong_way_never_reaches_the_target(frames):
    r = target_status(frames, districts=["渝北区"], standard=[dict(indicator=HEAD, comparator="<=", value=50)]).iloc[0]
    assert r["status"] == "未达标" and pd.isna(r["projected_year_reached"]) and "达不到" in r["projection_note"]


def test_custom_threshold_with_an_unknown_comparator_is_refused(frames):
    with pytest.raises(ValueError, match="第 1 行：比较符 '>>'"):
        target_status(frames, standard=[dict(indicator=HEAD, comparator=">>", value=90)])


def test_neutral_target_just_follows_its_comparator(frames):
    s = target_status(frames, standard=[dict(indicator=CASES, comparator="<=", value=100)]).set_index("district")
    assert s["status"].to_dict() == {"北碚区": "达标", "渝北区": "未达标", "綦江区": "暂无数据"}
    assert s.loc["渝北区", "gap"] == pytest.approx(-20.0)


def test_a_multi_year_figure_is_used_only_for_a_target_of_the_same_span(frames):
    same = target_status(frames, districts=["渝北区"],
                         standard=[dict(indicator=LOSS, comparator="<=", value=4.5, period="2016-2020")]).iloc[0]
    assert (same["status"], same["actual_period"]) == ("达标", "2016-2020") and "多年累计" in same["note"]
    other = target_status(frames, districts=["渝北区"],
                          standard=[dict(indicator=LOSS, comparator="<=", value=4.5, period="2017-2020")]).iloc[0]
    assert other["status"] == "暂无数据"


def test_equal_target_allows_half_a_unit_of_the_last_decimal():
    assert meets(96.004, 96.0, "=", decimals=2) and not meets(96.01, 96.0, "=", decimals=2)
    assert gap(96.004, 96.0, "=") == pytest.approx(-0.004)


def test_gap_is_positive_when_better_than_the_target():
    assert gap(95, 90, ">=") == pytest.approx(5) and gap(3, 4, "<=") == pytest.approx(1)
    assert gap(3, 4, "rank", "lower") == pytest.approx(1) and gap(3, 4, "rank", "higher") == pytest.approx(-1)


def test_a_lower_bound_that_falls_short_is_flagged_as_undecided(frames):
    at_least = frames.facts.assign(qualifier=frames.facts["qualifier"].where(frames.facts["fact_id"] != 7, "at_least"))
    s = target_status(frames.replace(facts=at_least), districts=["北碚区"],
                      standard=[dict(indicator=HEAD, comparator=">=", value=97), dict(indicator=HEAD, comparator=">=",
                                                                                       value=90)])
    short, met = s.sort_values("target_value", ascending=False).to_dict("records")
    assert short["status"] == "未达标" and "下限（至少）" in short["note"] and "未必成立" in short["note"]
    assert met["status"] == "达标" and met["note"] == ""


def test_each_district_is_judged_as_of_its_own_latest_report_year(frames):
    # 綦江区 reports up to 2021: its ≥ 90 % by 2022 target is 未到期 (progress 92 % in 2021). A 2023
    # report of 北碚区 moved the judging year of every district to 2023 (→ 暂无数据); no longer.
    newer = dict(frames.facts[frames.facts["fact_id"] == 7].iloc[0], fact_id=70, period="2023", period_start=2023,
                 period_end=2023, value=97.0)
    before = target_status(frames)
    after = target_status(frames.replace(facts=[*frames.facts.to_dict("records"), newer]))
    mine = lambda s: s[s["district"] != "北碚区"].reset_index(drop=True)
    pd.testing.assert_frame_equal(mine(before), mine(after))
    r = _row(after, "綦江区", 1)
    assert (r["status"], r["as_of"]) == ("未到期", 2021)
    assert frames.replace(facts=[*frames.facts.to_dict("records"), newer]).report_years["北碚区"] == 2023


def test_the_judging_year_can_be_picked_per_district_or_for_all(frames):
    assert _row(target_status(frames, as_of=2023), "綦江区", 1)["status"] == "暂无数据"
    s = target_status(frames, as_of={"綦江区": 2023})
    assert _row(s, "綦江区", 1)["as_of"] == 2023 and _row(s, "渝北区", 4)["as_of"] == 2021


def test_a_report_year_comes_from_the_documents_before_the_facts(frames):
    docs = pd.DataFrame([dict(doc="r_qj22.txt", district="綦江区", doc_type="annual_report", period="2022"),
                         dict(doc="plan_qj.txt", district="綦江区", doc_type="plan", period="2021-2025")])
    years = frames.replace(documents=docs).report_years
    assert years["綦江区"] == 2022 and years["渝北区"] == 2021   # a plan's 2025 is not a report year


LOSS_META = [dict(id="visits", name_zh="平均跑动次数", unit="次", decimals=2, direction="lower"),
             dict(id="rate", name_zh="某率", unit="%", decimals=2, direction="higher")]


def _series(indicator, *figures):
    return make_frames(facts=[dict(fact_id=i, district="甲区", indicator=indicator, period=p, value=v)
                              for i, (p, v) in enumerate(figures)], indicators=LOSS_META)


@pytest.mark.parametrize("at_deadline, later, status, on_time", [
    (80, 95, "逾期达标", False),     # the audit's case: ≥ 90 by 2020 with 2020 = 80 and 2021 = 95
    (92, 95, "达标", True), (92, 85, "未达标", True), (80, 85, "未达标", False)])
def test_a_past_deadline_says_whether_it_was_met_by_the_deadline_or_only_later(at_deadline, later, status, on_time):
    s = target_status(_series("rate", ("2020", at_deadline), ("2021", later)),
                      standard=[dict(indicator="rate", comparator=">=", value=90, period="2020")]).iloc[0]
    assert (s["status"], s["met_by_deadline"], s["actual_period"], s["as_of"]) == (status, on_time, "2021", 2021)
    if status == "逾期达标":
        assert "期限 2020 年未达标，2021 年才达标" in s["note"]


def test_without_a_figure_for_the_deadline_year_timeliness_is_unknown():
    s = target_status(_series("rate", ("2019", 80), ("2021", 95)),
                      standard=[dict(indicator="rate", comparator=">=", value=90, period="2020")]).iloc[0]
    assert s["status"] == "达标" and s["met_by_deadline"] is None and "是否按期达标未知" in s["note"]


def test_not_due_needs_a_figure_and_no_figure_at_all_is_no_data(frames):
    plan = [dict(indicator=HEAD, comparator=">=", value=90, period="2025"),
            dict(indicator="online_service_rate", comparator=">=", value=90, period="2025")]
    s = target_status(frames, districts=["北碚区"], standard=plan).set_index("indicator")
    assert s.loc[HEAD, "status"] == "未到期" and s.loc[HEAD, "actual_period"] == "2021"
    assert s.loc["online_service_rate", "status"] == "暂无数据"
    assert s.loc["online_service_rate", "note"] == "截至 2021 年尚无该指标的数据"


def test_a_falling_count_is_never_projected_below_zero():
    # 1.0, 0.6, 0.3, 0.1 次 over 2017–2020. Pairwise slopes: −0.4, −0.35, −0.3, −0.3, −0.25, −0.2 → −0.3;
    # intercept: median(y) − slope·median(x) → value in 2025 = 0.45 − 0.3·6.5 = −1.5 → shown as 0.
    s = target_status(_series("visits", ("2017", 1.0), ("2018", 0.6), ("2019", 0.3), ("2020", 0.1)),
                      standard=[dict(indicator="visits", comparator="<=", value=0.05, period="2025")]).iloc[0]
    assert s["status"] == "未到期" and s["projected_value"] == 0.0


def test_a_gap_of_zero_prints_without_a_minus_sign():
    for g in (gap(90, 90, "<="), gap(90, 90, ">="), gap(96, 96, "="), gap(94.99999999999999, 95, ">=")):
        assert f"{g:.2f}" == "0.00"
