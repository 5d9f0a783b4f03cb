"""Invariants checked on generated inputs (hypothesis)."""
import dataclasses

import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy.stats import binomtest

from metrics.compare import change, compare_districts, wilson
from metrics.composite import composite_score
from metrics.data import make_frames
from metrics.targets import gap, meets, target_status
from metrics.trends import trend_test

rates = st.floats(0, 100, allow_nan=False).map(lambda v: round(v, 1))


BASE = {d: make_frames(facts=[dict(fact_id=0, district="区0", indicator="x", period="2021", value=0.0)],
                       targets=[dict(target_id=1, district="区0", indicator="x", period="2021-2025", comparator=">=",
                                     value=0.0)],
                       indicators=[dict(id="x", name_zh="某率", unit="%", decimals=1, direction=d)])
        for d in ("higher", "lower")}   # built once: make_frames per example made these tests slow


def _with_facts(base, rows, **tables):
    """`base` with its facts replaced by `rows` (each completed from base's first fact) and other
    tables as given, without normalising again."""
    template = base.facts.iloc[0].to_dict()
    return dataclasses.replace(base, facts=pd.DataFrame([{**template, **r} for r in rows]), **tables)


def _frames(values, direction="higher", target=None):
    """One 2021 figure per district 区0, 区1 …; `target` = (comparator, value) for 区0's 2021-2025 plan."""
    base = BASE[direction]
    rows = [dict(fact_id=i, district=f"区{i}", value=v) for i, v in enumerate(values)]
    plan = base.targets.assign(comparator=target[0], value=float(target[1])) if target else base.targets.iloc[:0]
    return _with_facts(base, rows, targets=plan)


@given(st.lists(st.sampled_from([0.0, 12.5, 50.0, 87.5, 100.0]) | rates, min_size=2, max_size=8))
@settings(max_examples=60, deadline=None)
def test_flipping_an_indicators_direction_reverses_its_ranks(values):
    up = compare_districts(_frames(values, "higher"), "x").set_index("district")["rank"]
    down = compare_districts(_frames(values, "lower"), "x").set_index("district")["rank"]
    v = dict(zip((f"区{i}" for i in range(len(values))), values))
    for d in up.index:   # with 'min' ties: rank_up + rank_down = n + 2 − (number of districts sharing the value)
        assert up[d] + down[d] == len(values) + 2 - sum(x == v[d] for x in values)
        for e in up.index:
            if v[d] != v[e]:
                assert (up[d] < up[e]) == (down[d] > down[e])


@given(target=rates, worse=rates, better=rates, lower_is_better=st.booleans(), rank=st.booleans())
@settings(max_examples=200, deadline=None)
def test_a_status_never_goes_from_met_to_unmet_as_the_value_improves(target, worse, better, lower_is_better, rank):
    direction = "lower" if lower_is_better else "higher"
    comparator = "rank" if rank else "<=" if lower_is_better else ">="
    worse, better = sorted([worse, better], reverse=lower_is_better)
    if meets(worse, target, comparator, direction):
        assert meets(better, target, comparator, direction)
    assert meets(better, target, comparator, direction) == (gap(better, target, comparator, direction) >= 0)


@given(target=rates, worse=rates, better=rates, lower_is_better=st.booleans())
@settings(max_examples=40, deadline=None)
def test_target_status_is_monotone_in_the_value(target, worse, better, lower_is_better):
    direction, comparator = ("lower", "<=") if lower_is_better else ("higher", ">=")
    worse, better = sorted([worse, better], reverse=lower_is_better)
    status = lambda v: target_status(_frames([v], direction, (comparator, target))).loc[0, "status"]
    assert status(worse) in ("达标", "未达标")
    if status(worse) == "达标":
        assert status(better) == "达标"


@given(n=st.integers(1, 500), data=st.data())
@settings(max_examples=100, deadline=None)
def test_wilson_interval_contains_the_estimate_and_agrees_with_scipy(n, data):
    k = data.draw(st.integers(0, n))
    lo, hi = wilson(k, n)
    ref = binomtest(k, n).proportion_ci(method="wilson")
    assert 0 <= lo <= k / n <= hi <= 1
    assert (lo, hi) == pytest.approx((ref.low, ref.high), abs=1e-9)


@given(st.lists(st.integers(0, 20), min_size=4, max_size=8), st.floats(0.1, 10), st.floats(-50, 50))
@settings(max_examples=60, deadline=None)
def test_trend_test_is_unchanged_by_rescaling_and_reversed_by_negation(values, scale, shift):
    years = list(range(2014, 2014 + len(values)))
    base = trend_test(years, values)
    scaled = trend_test(years, [scale * v + shift for v in values])
    negated = trend_test(years, [-v for v in values])
    assert scaled.p_value == pytest.approx(base.p_value) and negated.p_value == pytest.approx(base.p_value)
    assert scaled.slope == pytest.approx(scale * base.slope, abs=1e-9)
    assert negated.tau == pytest.approx(-base.tau)
    assert {base.direction, negated.direction} in ({"无显著趋势"}, {"点数不足以检验"}, {"上升", "下降"})
    assert scaled.min_p == pytest.approx(base.min_p) and negated.min_p == pytest.approx(base.min_p)
    assert (base.direction == "点数不足以检验") == (base.min_p >= 0.05 and len(set(values)) > 1)


COMPOSITE_BASE = make_frames(facts=[dict(fact_id=0, district="区0", indicator="a", period="2021", value=0.0)],
                             indicators=[dict(id="a", unit="%", direction="higher"),
                                         dict(id="b", unit="%", direction="lower")])


@given(st.lists(st.tuples(rates | st.none(), rates | st.none()), min_size=2, max_size=6),
       st.floats(0.1, 5), st.floats(0.1, 5))
@example(rows=[(0.0, 0.0), (34.0, 34.0), (0.0, None), (0.0, 0.0), (34.0, 34.0)], wa=5.0, wb=0.109375)  # float noise split a tie
@settings(max_examples=60, deadline=None)
def test_composite_scores_stay_in_range_and_missing_data_never_lowers_a_score(rows, wa, wb):
    facts = [dict(fact_id=10 * i + j, district=f"区{i}", indicator=ind, value=v)
             for i, row in enumerate(rows) for j, (ind, v) in enumerate(zip("ab", row)) if v is not None]
    if not facts:
        return
    f = _with_facts(COMPOSITE_BASE, facts)
    both = composite_score(f, ["a", "b"], [wa, wb], min_coverage=0).set_index("district")
    only_a = composite_score(f, ["a"], [wa], min_coverage=0).set_index("district")
    scored = both[both["score"].notna()]
    assert ((scored["score"] >= -1e-9) & (scored["score"] <= 100 + 1e-9)).all()
    assert ((scored["rank_min"] <= scored["rank"]) & (scored["rank"] <= scored["rank_max"])).all()
    for d, row in enumerate(rows):   # a district without b is scored on a alone, not penalised for b
        if row[0] is not None and row[1] is None and f"区{d}" in both.index:
            assert both.loc[f"区{d}", "score"] == pytest.approx(only_a.loc[f"区{d}", "score"])
            assert both.loc[f"区{d}", "coverage"] == pytest.approx(wa / (wa + wb))



SPAN_BASE = make_frames(facts=[dict(fact_id=0, district="甲", indicator="x", period="2015", value=1.0)],
                        indicators=[dict(id="x", name_zh="某率", unit="%", decimals=1, direction="lower")])
spans = st.tuples(st.integers(2010, 2022), st.integers(0, 4)).map(lambda t: (t[0], t[0] + t[1]))


def _fact(i, span, value, scope_level="unstated"):
    a, b = span
    return dict(fact_id=i, period=f"{a}" if a == b else f"{a}-{b}", period_start=float(a), period_end=float(b),
                span_kind="annual" if a == b else "cumulative", value=value, scope_level=scope_level)


@given(st.lists(st.tuples(spans, rates), min_size=1, max_size=7, unique_by=lambda t: t[0]),
       st.tuples(st.integers(2010, 2022), st.integers(1, 5)), rates)
@settings(max_examples=80, deadline=None)
def test_adding_a_span_figure_never_removes_an_annual_change(figures, span, value):
    rows = [_fact(i, s, v) for i, (s, v) in enumerate(figures)]
    extra = _fact(99, (span[0], span[0] + span[1]), value)
    if any(r["period"] == extra["period"] for r in rows):
        return
    annual = lambda c: {(a, b, round(d, 9), i) for a, b, d, i, k in zip(c["from_period"], c["to_period"], c["delta_points"],
                                                                      c["improved"], c["comparable"]) if k and "-" not in b}
    before = annual(change(_with_facts(SPAN_BASE, rows), "x", "甲"))
    after = annual(change(_with_facts(SPAN_BASE, rows + [extra]), "x", "甲"))
    assert before == after


SCOPES = ["district", "government"]
figure = st.tuples(st.sampled_from(["2020", "2021", "2016-2020", "2019-2020"]), st.sampled_from(SCOPES), rates)


@given(st.lists(figure, min_size=2, max_size=9), st.booleans())
@settings(max_examples=60, deadline=None)
def test_a_figures_rank_never_depends_on_incomparable_figures(figures, lower):
    """Dropping every figure outside a ranked figure's comparable set (same period, same scope
    level) leaves its rank unchanged."""
    base = BASE["lower" if lower else "higher"]
    rows = [dict(fact_id=i, district=f"区{i}", period=p, period_start=float(p[:4]), period_end=float(p[-4:]),
                 span_kind="annual" if len(p) == 4 else "cumulative", scope_level=sc, value=v)
            for i, (p, sc, v) in enumerate(figures)]
    c = compare_districts(_with_facts(base, rows), "x").set_index("district")
    for label, ranked in c[c["ranked"]].groupby("comparable_set"):
        alone = [r for r in rows if f"区{r['fact_id']}" in ranked.index]
        own = compare_districts(_with_facts(base, alone), "x").set_index("district")
        assert own["rank"].to_dict() == ranked["rank"].to_dict()
        assert len(ranked) >= 2 and ranked["period"].nunique() == 1 and ranked["scope_level"].nunique() == 1
    assert c.loc[~c["ranked"], "rank"].isna().all() and (c.loc[~c["ranked"], "rank_note"] != "").all()


OWN = make_frames(
    facts=[dict(fact_id=i, district="渝北区", indicator="x", period=str(y), value=v)
           for i, (y, v) in enumerate([(2018, 60.0), (2019, 70.0), (2020, 80.0), (2021, 88.0)])],
    targets=[dict(target_id=1, district="渝北区", indicator="x", period="2022", comparator=">=", value=90.0),
             dict(target_id=2, district="渝北区", indicator="x", period="2020", comparator=">=", value=75.0),
             dict(target_id=3, district="渝北区", indicator="x", period="2021-2025", comparator=">=", value=85.0),
             dict(target_id=4, district="北碚区", indicator="x", period="2021-2025", comparator=">=", value=85.0)],
    documents=[dict(doc="yb.txt", district="渝北区", doc_type="annual_report", period="2021")],
    indicators=[dict(id="x", name_zh="某率", unit="%", decimals=1, direction="higher")])
OWN_STATUS = target_status(OWN)


@given(st.lists(st.tuples(st.integers(2015, 2030), rates), min_size=1, max_size=6, unique_by=lambda t: t[0]),
       st.integers(2015, 2030))
@settings(max_examples=40, deadline=None)
def test_importing_another_districts_report_never_changes_this_districts_statuses(figures, report_year):
    rows = [*OWN.facts.to_dict("records"),
            *({**OWN.facts.iloc[0].to_dict(), "fact_id": 100 + i, "district": "北碚区", "period": str(y),
               "period_start": float(y), "period_end": float(y), "value": v} for i, (y, v) in enumerate(figures))]
    docs = pd.concat([OWN.documents, OWN.documents.assign(doc="bb.txt", district="北碚区", period=str(report_year),
                                                          period_start=float(report_year), period_end=float(report_year))])
    after = target_status(dataclasses.replace(OWN, facts=pd.DataFrame(rows), documents=docs))
    mine = lambda s: s[s["district"] == "渝北区"].reset_index(drop=True)
    pd.testing.assert_frame_equal(mine(OWN_STATUS), mine(after))
    assert set(mine(after)["status"]) == {"未到期", "达标"}
