import math

import pytest

from metrics.composite import composite_score
from metrics.data import make_frames

INDICATORS = [dict(id="a", name_zh="甲率", unit="%", decimals=2, direction="higher"),
              dict(id="b", name_zh="乙率", unit="%", decimals=2, direction="lower"),
              dict(id="n", name_zh="案件数", unit="件", decimals=0, direction="neutral")]


def _frames(values):
    facts = [dict(fact_id=i, district=d, indicator=ind, period="2021", value=v)
             for i, (d, ind, v) in enumerate(values)]
    return make_frames(facts=facts, indicators=INDICATORS)


PQR = _frames([("P", "a", 10), ("P", "b", 1), ("Q", "a", 0), ("Q", "b", 3), ("R", "a", 5), ("R", "n", 7)])


def test_a_missing_indicator_is_reweighted_not_counted_as_zero():
    # standings a: P 1, Q 0, R 0.5; b (lower is better): P 1, Q 0, R missing.
    # R = 0.5·1 / 1 = 50, not (0.5·1 + 0·3)/4 = 12.5.
    s = composite_score(PQR, ["a", "b"], {"a": 1, "b": 3}).set_index("district")
    assert s["score"].to_dict() == pytest.approx({"P": 100.0, "Q": 0.0, "R": 50.0})
    assert s.loc["R", "coverage"] == pytest.approx(0.25) and s.loc["R", "n_indicators_used"] == 1
    assert s.loc["R", "missing"] == "乙率" and s["rank"].to_dict() == {"P": 1, "R": 2, "Q": 3}


def test_a_district_without_any_data_has_no_score_and_no_rank():
    s = composite_score(PQR, ["a", "b"], [1, 1], districts=["P", "Z"]).set_index("district")
    assert math.isnan(s.loc["Z", "score"]) and math.isnan(s.loc["Z", "rank"]) and s.loc["Z", "coverage"] == 0


def test_rank_range_shows_a_lead_that_weight_changes_can_reverse():
    # S best on a, T best on b; weights 1 : 1.1 put T first, but a × 1.2 and b × 0.8 put S first.
    f = _frames([("S", "a", 1), ("S", "b", 5), ("T", "a", 0), ("T", "b", 4)])
    s = composite_score(f, ["a", "b"], {"a": 1, "b": 1.1}).set_index("district")
    assert s["rank"].to_dict() == {"T": 1, "S": 2}
    assert s[["rank_min", "rank_max"]].values.tolist() == [[1, 2], [1, 2]]


def test_a_clear_leader_keeps_its_rank_under_weight_changes():
    s = composite_score(PQR, ["a", "b"], [1, 1]).set_index("district")
    assert (s.loc["P", "rank_min"], s.loc["P", "rank_max"]) == (1, 1)


def test_neutral_indicators_are_left_out_with_a_note():
    s = composite_score(PQR, ["a", "n"], [1, 1]).set_index("district")
    assert "案件数 为中性指标" in s.loc["P", "note"] and s.loc["R", "coverage"] == pytest.approx(1.0)


@pytest.mark.parametrize("weights, message", [([1, -1], "非负"), ([1], "2 个指标却有 1 个权重"), ([0, 0], "不全为 0")])
def test_bad_weights_are_refused_with_the_offending_values(weights, message):
    with pytest.raises(ValueError, match=message):
        composite_score(PQR, ["a", "b"], weights)


def test_figures_with_comparability_flags_are_named():
    f = _frames([("P", "a", 10), ("Q", "a", 0)])
    f = f.replace(facts=f.facts.assign(qualifier=["approximate", "exact"]))
    s = composite_score(f, ["a"], [1]).set_index("district")
    assert s.loc["P", "flagged"] == "甲率" and s.loc["Q", "flagged"] == ""
