import math

import pandas as pd
import pytest

from metrics.data import make_frames

from metrics.compare import (change, compare_districts, heatmap_frame, letter_groups, pairwise_fisher,
                             wilson)

LOSS, HEAD, CASES = "litigation_loss_rate", "head_appearance_rate", "litigation_cases"


def _with_facts(frames, *rows, drop=()):
    facts = frames.facts[~frames.facts["fact_id"].isin(drop)].to_dict("records")
    return frames.replace(facts=facts + [dict(r) for r in rows])


def test_lower_loss_rate_ranks_first(frames):
    c = compare_districts(frames, LOSS)
    assert c[["district", "rank"]].values.tolist() == [["北碚区", 1], ["渝北区", 2], ["綦江区", 3]]
    assert set(c["period"]) == {"2021"} and set(c["unit"]) == {"%"}


def test_higher_appearance_rate_ranks_first_and_another_scope_is_not_ranked(frames):
    # 2021: 北碚 96, 渝北 88 (scope unstated) and 綦江 ≈92 of 区政府 only: 綦江 is another comparable set.
    c = compare_districts(frames, HEAD).set_index("district")
    assert c["rank"].dropna().to_dict() == {"北碚区": 1, "渝北区": 2} and math.isnan(c.loc["綦江区", "rank"])
    assert c.loc["綦江区", "rank_note"] == "口径区政府与排名组（2021 · 口径未说明）不同，不排名"
    assert "约数" in c.loc["綦江区", "flags"] and c.loc["綦江区", "scope_tag"] == "区政府"
    assert c.loc["北碚区", "flags"] == "" and c.loc["北碚区", "comparable_set"] == "2021 · 口径未说明"


def test_tied_values_share_the_lowest_rank(frames):
    tied = frames.replace(facts=frames.facts.assign(value=frames.facts["value"].where(
        frames.facts["fact_id"] != 10, 2.5)))
    c = compare_districts(tied, LOSS).set_index("district")
    assert c["rank"].to_dict() == {"北碚区": 1, "渝北区": 1, "綦江区": 3}


def test_neutral_indicator_is_not_ranked(frames):
    c = compare_districts(frames, CASES)
    assert c["rank"].isna().all() and set(c["rank_note"]) == {"中性指标（无好坏方向），不排名"}


def test_wilson_interval_matches_the_formula_by_hand():
    # k = 2, n = 40, z = 1.959964: p = 0.05, centre = (p + z²/2n)/(1 + z²/n) = 0.098018/1.096037 = 0.089430,
    # half = z·sqrt(p(1−p)/n + z²/4n²)/(1 + z²/n) = 0.082871/1.096037 = 0.075609 → [0.013821, 0.165039]
    # (the same as R prop.test(2, 40, correct = FALSE)$conf.int).
    assert wilson(2, 40) == pytest.approx((0.0138207, 0.1650388), abs=1e-6)


def test_rates_with_counts_carry_their_wilson_interval_in_percent(frames):
    c = compare_districts(frames, LOSS).set_index("district")
    assert (c.loc["渝北区", "k"], c.loc["渝北区", "n"]) == (2, 40)
    assert (c.loc["渝北区", "ci_low"], c.loc["渝北区", "ci_high"]) == pytest.approx((1.38207, 16.50388), abs=1e-4)
    assert c.loc["渝北区", "ci_low"] < c.loc["渝北区", "value"] < c.loc["渝北区", "ci_high"]


def test_pairwise_fisher_matches_the_hypergeometric_sum():
    # 2 of 40 vs 8 of 40: with margins 40/40 and 10 losses, P(X = x) = C(40,x)·C(40,10−x)/C(80,10) is
    # symmetric about 5, so the two-sided p = 2·(P(0) + P(1) + P(2)) = 0.0871803.
    hand = 2 * sum(math.comb(40, x) * math.comb(40, 10 - x) for x in range(3)) / math.comb(80, 10)
    assert hand == pytest.approx(0.0871803, abs=1e-7)
    import pandas as pd
    p = pairwise_fisher(pd.DataFrame({"district": ["a", "b"], "k": [2, 8], "n": [40, 40]}))
    assert p.loc[0, "p_value"] == pytest.approx(hand)
    assert not p.loc[0, "significant"]


def test_holm_adjustment_multiplies_the_smallest_p_by_the_number_of_pairs(frames):
    p = pairwise_fisher(compare_districts(frames, LOSS)).sort_values("p_value").reset_index(drop=True)
    assert len(p) == 3
    assert p.loc[0, "p_adjusted"] == pytest.approx(3 * p.loc[0, "p_value"])
    assert p.loc[0, "p_value"] < 0.05 and not p.loc[0, "significant"]


def test_three_rates_from_forty_cases_each_are_statistically_indistinguishable(frames):
    # 1/40, 2/40 and 8/40 rank 1, 2, 3 but no Holm-adjusted Fisher test separates them.
    c = compare_districts(frames, LOSS)
    assert c["rank"].tolist() == [1, 2, 3] and set(c["group"]) == {"A"}


def test_a_clearly_worse_rate_gets_its_own_group(frames):
    worse = dict(frames.facts[frames.facts["fact_id"] == 12].iloc[0], value=30.0, numerator=12)
    c = compare_districts(_with_facts(frames, worse, drop=[12]), LOSS).set_index("district")
    assert c["group"].to_dict() == {"北碚区": "A", "渝北区": "A", "綦江区": "B"}


def test_letter_groups_share_a_letter_exactly_when_not_significant():
    # a ≠ c, but b is indistinguishable from both.
    assert letter_groups(["a", "b", "c"], [("a", "c")]) == {"a": "A", "b": "AB", "c": "B"}
    assert letter_groups(["a", "b"], []) == {"a": "A", "b": "A"}


def test_without_a_period_each_district_shows_its_latest_figure_and_other_years_are_not_ranked(frames):
    older = dict(district="大足区", indicator=LOSS, period="2020", value=1.0, fact_id=99)
    c = compare_districts(_with_facts(frames, older), LOSS).set_index("district")
    assert c.loc["大足区", "period"] == "2020" and math.isnan(c.loc["大足区", "rank"])
    assert "时期 2020与排名组（2021 · 口径未说明）不同" in c.loc["大足区", "flags"]
    assert c.loc["渝北区", "period"] == "2021" and c["rank"].dropna().to_dict() == {"北碚区": 1, "渝北区": 2, "綦江区": 3}


def test_a_multi_year_figure_is_flagged_against_annual_ones(frames):
    only_span = dict(district="大足区", indicator=LOSS, period="2016-2020", value=1.0, fact_id=99)
    c = compare_districts(_with_facts(frames, only_span), LOSS).set_index("district")
    assert c.loc["大足区", "span_kind"] == "cumulative" and "时期 2016-2020与排名组" in c.loc["大足区", "flags"]
    assert math.isnan(c.loc["大足区", "rank"]) and not c.loc["大足区", "ranked"]   # a 5-year rate beside 2021 ones


def test_spans_of_different_lengths_are_never_ranked_together(frames):
    # The audit's input: 150 件 over 2011–2015 against 60 over 2019–2020: two sets of one figure each.
    rows = [dict(district="大足区", indicator=CASES, period="2011-2015", value=150, fact_id=98),
            dict(district="北碚区", indicator=CASES, period="2019-2020", value=60, fact_id=97)]
    pretend = frames.replace(facts=rows, indicators=frames.indicators.assign(direction="higher"))
    c = compare_districts(pretend, CASES).set_index("district")
    assert c["rank"].isna().all() and not c["ranked"].any()
    assert c.loc["北碚区", "rank_note"] == "同期同口径无其他区县，不排名"
    assert c.loc["大足区", "rank_note"] == "同期同口径无其他区县，不排名"


def test_the_audit_pair_of_other_years_and_scopes_is_not_ranked_and_each_row_shows_its_period():
    # 渝北区 27.10 % (2016–2020, 全区) and 北碚区 64.29 % (2020, 区级行政机关): nothing to rank.
    facts = [dict(fact_id=1, district="渝北区", indicator=HEAD, period="2016-2020", value=27.10,
                  scope="区政府、部门、镇街", scope_level="district"),
             dict(fact_id=2, district="北碚区", indicator=HEAD, period="2020", value=64.29, scope="区级行政机关",
                  scope_level="agencies")]
    f = make_frames(facts=facts, indicators=[dict(id=HEAD, name_zh="出庭应诉率", unit="%", decimals=2,
                                                  direction="higher")])
    h = heatmap_frame(f).set_index("district")
    assert h["standing"].isna().all() and h["rank"].isna().all()
    assert h["period"].to_dict() == {"渝北区": "2016-2020", "北碚区": "2020"}
    assert h["scope_tag"].to_dict() == {"渝北区": "区政府、部门、镇街", "北碚区": "区级行政机关"}
    c = compare_districts(f, HEAD, districts=["渝北区", "北碚区", "大足区"]).set_index("district")
    assert c["rank"].isna().all() and c.loc["大足区", "flags"] == "无数据"


def test_a_rank_and_a_colour_span_one_period_and_one_scope_only(frames):
    # Latest figures: 渝北 2021 and 北碚 2021 loss rates (ranked), 大足 2020 (not) and 江北 2021 of 区政府 (not).
    rows = [dict(district="大足区", indicator=LOSS, period="2020", value=0.5, fact_id=90),
            dict(district="江北区", indicator=LOSS, period="2021", value=0.1, fact_id=91, scope_level="government")]
    f = _with_facts(frames, *rows)
    h = heatmap_frame(f, indicators=[LOSS]).set_index("district")
    assert h["standing"].dropna().index.tolist() == ["北碚区", "渝北区", "綦江区"]
    assert h.loc["北碚区", "standing"] == pytest.approx(1.0) and h.loc["綦江区", "standing"] == pytest.approx(0.0)
    for d in ("大足区", "江北区"):
        assert math.isnan(h.loc[d, "rank"]) and "不排名" in h.loc[d, "flags"]


def test_an_explicit_period_selects_exactly_that_period(frames):
    c = compare_districts(frames, LOSS, period="2016-2020")
    assert c["district"].tolist() == ["渝北区"] and c["value"].tolist() == pytest.approx([4.0])
    c = compare_districts(frames, LOSS, period="2020", districts=["渝北区", "北碚区"])
    assert c["flags"].tolist() == ["无数据", "无数据"]     # no 2020 loss rate: listed, not dropped


def test_a_requested_district_without_data_gets_a_row_saying_so(frames):
    c = compare_districts(frames, LOSS, districts=["渝北区", "北碚区", "大足区"]).set_index("district")
    assert math.isnan(c.loc["大足区", "value"]) and c.loc["大足区", "flags"] == "无数据"
    assert c.loc["北碚区", "rank"] == 1 and c.loc["渝北区", "rank"] == 2


def test_heatmap_standing_is_one_for_the_best_and_zero_for_the_worst(frames):
    h = heatmap_frame(frames, indicators=[LOSS, CASES]).set_index(["indicator", "district"])
    assert h.loc[(LOSS, "北碚区"), "standing"] == pytest.approx(1.0)
    assert h.loc[(LOSS, "綦江区"), "standing"] == pytest.approx(0.0)
    # 渝北 5.0 between 2.5 (best) and 20 (worst): 1 − (5 − 2.5)/(20 − 2.5)
    assert h.loc[(LOSS, "渝北区"), "standing"] == pytest.approx(1 - 2.5 / 17.5)
    assert h.loc[CASES, "standing"].isna().all()


def test_change_reports_percentage_points_and_percent(frames):
    c = change(frames, HEAD, "渝北区").set_index("to_period")
    last = c.loc["2021"]
    assert (last["delta_points"], last["delta_pct"]) == pytest.approx((3.0, 3 / 85 * 100))
    assert last["delta_unit"] == "百分点" and last["comparable"] and last["improved"] and last["flag"] == ""
    assert len(c) == 4


def test_a_loss_rate_change_from_a_five_year_figure_to_one_year_is_flagged(frames):
    c = change(frames, LOSS, "渝北区").iloc[0]
    assert (c["from_period"], c["to_period"], c["comparable"]) == ("2016-2020", "2021", False)
    assert "不可直接比较" in c["flag"] and c["delta_points"] == pytest.approx(1.0) and c["improved"] is None


def test_a_count_change_from_a_five_year_total_has_no_delta(frames):
    c = change(frames, CASES, "渝北区").iloc[0]
    assert not c["comparable"] and math.isnan(c["delta_points"]) and math.isnan(c["delta_pct"])


def test_a_gap_between_annual_figures_is_flagged_but_comparable(frames):
    c = change(frames.replace(facts=frames.facts[frames.facts["fact_id"] != 3]), HEAD, "渝北区")
    row = c[c["to_period"] == "2020"].iloc[0]
    assert row["from_period"] == "2018" and row["comparable"] and row["flag"] == "间隔 2 年"


def test_two_scopes_of_one_figure_each_are_not_ranked(frames):
    rows = frames.facts[frames.facts["indicator"] == HEAD].to_dict("records")
    two = [dict(r, scope_level="district" if r["district"] == "北碚区" else "agencies") for r in rows
           if r["district"] in ("北碚区", "渝北区")]
    c = compare_districts(frames.replace(facts=two), HEAD).set_index("district")
    assert c["rank"].isna().all()
    assert set(c["flags"]) == {"同期同口径无其他区县，不排名"}


def test_extraction_notes_travel_in_their_own_column(frames):
    noted = frames.facts.assign(note=frames.facts["fact_id"].map({11: "两处数值不一致"}).fillna(""))
    c = compare_districts(frames.replace(facts=noted), LOSS).set_index("district")
    assert c.loc["北碚区", "note"] == "两处数值不一致" and c.loc["北碚区", "flags"] == ""


def _loss_series(*figures, scope_level="unstated"):
    facts = [dict(fact_id=i, district="渝北区", indicator=LOSS, period=p, value=v, scope_level=scope_level)
             for i, (p, v) in enumerate(figures)]
    return make_frames(facts=facts, indicators=[dict(id=LOSS, name_zh="行政诉讼败诉率", unit="%", decimals=2,
                                                     direction="lower", headline=True)])


def test_a_five_year_span_does_not_hide_the_latest_annual_change():
    # The audit's input: 2019 = 4.0, 2020 = 3.0, 2021 = 5.0 and 2016–2020 = 3.5. By hand: 2021 pairs
    # with 2020 (same span kind and length, same scope): 5.0 − 3.0 = +2.00 points, a loss rate going
    # up → worse; 2020 pairs with 2019: −1.00, better; the span has no comparable predecessor.
    c = change(_loss_series(("2019", 4.0), ("2020", 3.0), ("2021", 5.0), ("2016-2020", 3.5)), LOSS, "渝北区")
    last = c.set_index("to_period").loc["2021"]
    assert (last["from_period"], last["comparable"], last["improved"]) == ("2020", True, False)
    assert last["delta_points"] == pytest.approx(2.0)
    first = c.set_index("to_period").loc["2020"]
    assert (first["from_period"], first["delta_points"], first["improved"]) == ("2019", pytest.approx(-1.0), True)
    span = c.set_index("to_period").loc["2016-2020"]
    assert not span["comparable"] and span["improved"] is None and "期间不同" in span["flag"]


def test_the_brief_prints_the_change_of_the_year_it_shows():
    from ui.brief import brief_html
    page = brief_html(_loss_series(("2019", 4.0), ("2020", 3.0), ("2021", 5.0), ("2016-2020", 3.5)), "渝北区")
    assert "<td>2021</td><td>口径未说明</td><td class='n'>+2.00 百分点（较2020，变差）</td>" in page
    assert "−1.00" not in page


def test_a_change_across_scopes_is_incomparable_and_not_judged():
    f = _loss_series(("2020", 3.0), ("2021", 5.0))
    f = f.replace(facts=f.facts.assign(scope_level=["district", "government"], scope=["", "区政府"]))
    row = change(f, LOSS, "渝北区").iloc[0]
    assert not row["comparable"] and row["improved"] is None and "口径不同（全区→区政府）" in row["flag"]


def test_a_year_of_another_scope_in_between_is_skipped_with_the_gap_flagged():
    # 2019 and 2021 are 全区, 2020 is 区政府 only: 2021 pairs with 2019 (gap 2 years), 2020 with nothing.
    f = _loss_series(("2019", 4.0), ("2020", 3.0), ("2021", 5.0))
    f = f.replace(facts=f.facts.assign(scope_level=["district", "government", "district"]))
    c = change(f, LOSS, "渝北区").set_index("to_period")
    assert (c.loc["2021", "from_period"], c.loc["2021", "comparable"], c.loc["2021", "flag"]) == ("2019", True, "间隔 2 年")
    assert c.loc["2021", "delta_points"] == pytest.approx(1.0) and not c.loc["2020", "comparable"]


def test_without_groups_only_the_letters_are_left_out(frames):
    """``groups=False`` (pages that show no letters) runs no Fisher test: every other column is
    what the full comparison gives."""
    for indicator in ("litigation_loss_rate", "head_appearance_rate", "litigation_cases"):
        full = compare_districts(frames, indicator)
        bare = compare_districts(frames, indicator, groups=False)
        assert (bare["group"] == "").all()
        pd.testing.assert_frame_equal(bare.drop(columns="group"), full.drop(columns="group"))
    assert (compare_districts(frames, "litigation_loss_rate")["group"] != "").any()
