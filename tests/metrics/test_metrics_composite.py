import math

import pytest

from metrics.composite import composite_score
from metrics.data import make_frames

INDICATORS = [dict(id="a", name_zh="甲率", unit="%", decimals=2, direction="higher"),
              dict(id="b", name_zh="乙率", unit="%", decimals=2, direction="lower"),
              dict(id="c", name_zh="丙率", unit="%", decimals=2, direction="higher"),
              dict(id="v", name_zh="跑动次数", unit="次", decimals=2, direction="lower"),
              dict(id="n", name_zh="案件数", unit="件", decimals=0, direction="neutral")]


def _frames(values):
    facts = [dict(fact_id=i, district=d, indicator=ind, period="2021", value=v, **(dict(numerator=k, denominator=n)
                                                                                    if k is not None else {}))
             for i, (d, ind, v, *kn) in enumerate(values) for k, n in [kn if kn else (None, None)]]
    return make_frames(facts=facts, indicators=INDICATORS)


PQR = _frames([("P", "a", 10), ("P", "b", 1), ("Q", "a", 0), ("Q", "b", 3), ("R", "a", 5), ("R", "n", 7)])


def test_rates_are_placed_on_their_natural_scale_and_missing_ones_reweighted():
    # a (higher, 0–100 %): P 0.10, Q 0.00, R 0.05; b (lower: 100 % worst, 0 % best): P 0.99, Q 0.97.
    # Weights 1 : 3 → P = (0.10 + 3·0.99)/4 = 76.75, Q = (0 + 3·0.97)/4 = 72.75; R = 0.05 on a alone = 5
    # (not counted as 0 for b), with coverage 1/4 below the 60 % minimum: scored, not ranked.
    s = composite_score(PQR, ["a", "b"], {"a": 1, "b": 3}).set_index("district")
    assert s["score"].to_dict() == pytest.approx({"P": 76.75, "Q": 72.75, "R": 5.0})
    assert s.loc["R", "coverage"] == pytest.approx(0.25) and s.loc["R", "n_indicators_used"] == 1
    assert s.loc["R", "missing"] == "乙率" and math.isnan(s.loc["R", "rank"])
    assert s.loc["R", "rank_note"] == "覆盖率 25% 低于 60%，不排名"
    assert s["rank"].dropna().to_dict() == {"P": 1, "Q": 2}
    assert composite_score(PQR, ["a", "b"], {"a": 1, "b": 3}, min_coverage=0.2).set_index("district")["rank"].to_dict() \
        == {"P": 1, "Q": 2, "R": 3}


def test_a_district_with_one_indicator_of_three_does_not_rank_first():
    # The audit's case: X has only c (100 %), scoring 100 on a third of the weight.
    f = _frames([("X", "c", 100), ("Y", "a", 90), ("Y", "b", 2), ("Y", "c", 95),
                 ("Z", "a", 80), ("Z", "b", 4), ("Z", "c", 90)])
    s = composite_score(f, ["a", "b", "c"], [1, 1, 1]).set_index("district")
    assert s.loc["X", "score"] == pytest.approx(100) and math.isnan(s.loc["X", "rank"])
    assert s["rank"].dropna().to_dict() == {"Y": 1, "Z": 2}


def test_a_hundredth_of_a_point_stays_a_hundredth_of_a_point():
    # Min–max made 90.00 vs 90.01 a 0-to-100 gap; on the 0–100 % scale the scores are 90.00 and 90.01.
    s = composite_score(_frames([("S", "a", 90.00), ("T", "a", 90.01)]), ["a"], [1]).set_index("district")
    assert s["score"].to_dict() == pytest.approx({"S": 90.00, "T": 90.01})


def test_a_lead_inside_the_wilson_intervals_is_not_a_clear_first_place():
    # 901/1000 vs 900/1000: Wilson 95 % intervals [88.1, 91.8] and [88.0, 91.7] (scipy
    # binomtest(901, 1000).proportion_ci(method='wilson')) overlap: either district can be first.
    f = _frames([("S", "a", 90.0, 900, 1000), ("T", "a", 90.1, 901, 1000)])
    s = composite_score(f, ["a"], [1]).set_index("district")
    assert s["rank"].to_dict() == {"T": 1, "S": 2}
    assert s[["rank_min", "rank_max"]].values.tolist() == [[1, 2], [1, 2]]
    exact = composite_score(_frames([("S", "a", 90.0), ("T", "a", 90.1)]), ["a"], [1]).set_index("district")
    assert exact[["rank_min", "rank_max"]].values.tolist() == [[1, 1], [2, 2]]   # no counts: no data range


def test_counts_are_placed_between_the_worst_and_best_figure_of_the_whole_warehouse():
    # 跑动次数 (lower is better) in the warehouse: 0.1 … 0.9 (W's 0.9 is not among the districts compared).
    f = _frames([("S", "v", 0.1), ("T", "v", 0.5), ("W", "v", 0.9)])
    s = composite_score(f, ["v"], [1], districts=["S", "T"]).set_index("district")
    assert s["score"].to_dict() == pytest.approx({"S": 100.0, "T": 50.0})
    custom = composite_score(f, ["v"], [1], districts=["S", "T"], scale={"v": (1.0, 0.0)}).set_index("district")
    assert custom["score"].to_dict() == pytest.approx({"S": 90.0, "T": 50.0})


def test_a_district_without_any_data_has_no_score_and_no_rank():
    s = composite_score(PQR, ["a", "b"], [1, 1], districts=["P", "Z"]).set_index("district")
    assert math.isnan(s.loc["Z", "score"]) and math.isnan(s.loc["Z", "rank"]) and s.loc["Z", "coverage"] == 0


def test_rank_range_shows_a_lead_that_weight_changes_can_reverse():
    # S: a 60, b 40 → 0.6, 0.6; T: a 40, b 25 → 0.4, 0.75. Weights 1 : 1.6: S = 0.6, T = (0.4 + 1.2)/2.6 = 0.615
    # → T first; a × 1.2 and b × 0.8: S 0.6, T = (0.48 + 0.96)/2.48 = 0.581 → S first.
    f = _frames([("S", "a", 60), ("S", "b", 40), ("T", "a", 40), ("T", "b", 25)])
    s = composite_score(f, ["a", "b"], {"a": 1, "b": 1.6}).set_index("district")
    assert s["rank"].to_dict() == {"T": 1, "S": 2}
    assert s[["rank_min", "rank_max"]].values.tolist() == [[1, 2], [1, 2]]


def test_a_clear_leader_keeps_its_rank_under_weight_changes():
    s = composite_score(PQR, ["a", "b"], [1, 1]).set_index("district")
    assert (s.loc["P", "rank_min"], s.loc["P", "rank_max"]) == (1, 1)


def test_neutral_and_zero_weight_indicators_are_not_used():
    s = composite_score(PQR, ["a", "n"], [1, 1]).set_index("district")
    assert "案件数 为中性指标" in s.loc["P", "note"] and s.loc["R", "coverage"] == pytest.approx(1.0)
    z = composite_score(PQR, ["a", "b"], [1, 0]).set_index("district")
    assert z.loc["P", "n_indicators_used"] == 1 and z.loc["R", "coverage"] == pytest.approx(1.0)
    assert z.loc["R", "missing"] == "" and z.loc["P", "score"] == pytest.approx(10.0)


@pytest.mark.parametrize("weights, message", [([1, -1], "非负"), ([1], "2 个指标却有 1 个权重"), ([0, 0], "不全为 0")])
def test_bad_weights_are_refused_with_the_offending_values(weights, message):
    with pytest.raises(ValueError, match=message):
        composite_score(PQR, ["a", "b"], weights)


def test_figures_with_comparability_flags_are_named():
    f = _frames([("P", "a", 10), ("Q", "a", 0)])
    f = f.replace(facts=f.facts.assign(qualifier=["approximate", "exact"]))
    s = composite_score(f, ["a"], [1]).set_index("district")
    assert s.loc["P", "flagged"] == "甲率" and s.loc["Q", "flagged"] == ""
