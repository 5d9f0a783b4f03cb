"""The metrics read a selection's facts through the district index (`Frames.facts_of`) and give
exactly what the full-frame path gave: one scan of every fact per district × indicator.

The reference path is kept here: a `FullScanFrames` whose `facts_of` masks the whole facts frame,
and the former per-district `district_series`, `trend_for` and `change`, each selecting its
figures from the whole frame. Both paths run on the shipped warehouse, on a synthetic corpus of
several districts built by the ETL, and on random multi-district frames with the cases that
matter (figures of one period at several scopes and qualifiers, derived duplicates, spans,
relative targets, districts without figures, names not in the warehouse).
"""
from __future__ import annotations

import math
import random
from dataclasses import asdict, dataclass
from functools import cache

import numpy as np
import pandas as pd
import pytest

from benchmarks.synth import write_corpus
from etl.build import build
from etl.settings import current_warehouse
from metrics import compare, targets, trends
from metrics.data import TABLES, Frames, best_facts, coverage_grid, load_frames, make_frames
from tests.conftest import REPO
from tests.metrics import plain_compare, plain_data, plain_targets


@dataclass(frozen=True, eq=False)
class FullScanFrames(Frames):
    """The full-frame path: every selection masks the whole facts frame."""

    def facts_of(self, districts=None) -> pd.DataFrame:
        return self.facts if districts is None else self.facts[self.facts["district"].isin(list(districts))]

    def best_of(self, districts=None, indicators=None) -> pd.DataFrame:
        f = self.facts_of(districts)
        return best_facts(f if indicators is None else f[f["indicator"].isin(list(indicators))])


def full_scan(frames: Frames) -> FullScanFrames:
    return FullScanFrames(**{t: getattr(frames, t) for t in TABLES})


# The reference functions are pure functions of (frames, …) and the tests call them with the same
# arguments many times (a district of a random selection again in the all-districts selection, a
# series once per trend): each result is computed once. Frames compare by identity (eq=False), so
# a cached result is never one of another frame. Callers never modify what they get.
@cache
def old_district_series(frames: Frames, district: str, indicator: str) -> pd.DataFrame:
    f = frames.facts
    s = best_facts(f[(f["district"] == district) & (f["indicator"] == indicator)])
    s = s.assign(year=s["period_end"].where(s["span_kind"] == "annual"), in_trend=s["span_kind"] == "annual")
    s["scope_tag"] = [compare.scope_tag(r) for r in s[["scope", "scope_level"]].to_dict("records")] if len(s) else ""
    cols = ["district", "indicator", "period", "period_start", "period_end", "span_kind", "year", "value",
            "unit", "qualifier", "scope", "scope_level", "scope_tag", "in_trend", "fact_id", "doc", "quote", "note"]
    return s[cols].sort_values(["period_end", "period_start"], ascending=[True, False]).reset_index(drop=True)


@cache
def old_trend_for(frames: Frames, district: str, indicator: str, as_of=None) -> trends.TrendResult:
    s = old_district_series(frames, district, indicator)
    s = s[s["in_trend"] & (s["year"] <= (as_of if as_of is not None else np.inf))]
    r = trends.trend_test(s["year"], s["value"])
    if s["scope_level"].nunique() < 2:
        return r
    parts = [f"{'、'.join(str(int(y)) for y in g['year'])} 年为{tag}" for tag, g in s.groupby("scope_tag", sort=False)]
    note = f"序列口径不一（{'；'.join(parts)}），趋势可能来自口径变化"
    return trends.replace(r, mixed_scope=True, note="；".join(x for x in (r.note, note) if x))


@cache
def old_change(frames: Frames, indicator: str, district: str) -> pd.DataFrame:
    f = frames.facts
    s = best_facts(f[(f["district"] == district) & (f["indicator"] == indicator)])
    s = s.sort_values(["period_end", "period_start"], ascending=[True, False]).to_dict("records")
    rows = compare._change_rows(s, frames.indicator(indicator))
    return pd.DataFrame(rows, columns=compare.CHANGE_COLUMNS).astype({"from_fact_id": "Int64", "to_fact_id": "Int64"})


def same_trend(a: trends.TrendResult, b: trends.TrendResult) -> bool:
    same = lambda x, y: (x == y) or (isinstance(x, float) and isinstance(y, float) and math.isnan(x) and math.isnan(y))
    return all(same(x, y) for x, y in zip(asdict(a).values(), asdict(b).values()))


# --- warehouses ------------------------------------------------------------------------------

def _frames_of(db) -> Frames:
    import duckdb
    con = duckdb.connect(str(current_warehouse(db)), read_only=True)
    try:
        return load_frames(con)
    finally:
        con.close()


@pytest.fixture(scope="module")
def shipped(tmp_path_factory) -> Frames:
    db = tmp_path_factory.mktemp("shipped") / "warehouse.duckdb"
    build(db=db, raw_dir=REPO / "data" / "raw")
    return _frames_of(db)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Frames:
    """Four districts × ten SYNTHETIC documents (benchmarks/synth.py) through the ETL."""
    home = tmp_path_factory.mktemp("synth")
    write_corpus(home / "raw", 4)
    build(db=home / "warehouse.duckdb", raw_dir=home / "raw")
    return _frames_of(home / "warehouse.duckdb")


def random_frames(indicators: pd.DataFrame, seed: int, n_districts: int = 20) -> Frames:
    """Random facts of many districts: each (district, indicator) a few annual years and spans,
    some periods given twice at another scope, qualifier or as a derived figure; targets of
    every kind of period, some relative to the reference table; a few districts only in targets."""
    rng = random.Random(seed)
    ids = list(indicators["id"])
    unit = dict(zip(indicators["id"], indicators["unit"]))
    facts, tgts, docs, fid = [], [], [], 0
    districts = [f"测试{i:02d}区" for i in range(n_districts)]
    own = {}
    for d in districts[:-3]:                       # the last three have targets only
        own[d] = rng.sample(ids, 8)
        for ind in own[d]:
            periods = sorted(rng.sample(range(2012, 2023), rng.randint(1, 9)))
            spans = rng.sample([(2011, 2015), (2016, 2020), (2016, 2021)], rng.randint(0, 2))
            for a, b in [(y, y) for y in periods] + spans:
                for _ in range(rng.choice((1, 1, 1, 2, 3))):
                    fid += 1
                    k = rng.randint(0, 50)
                    n = k + rng.randint(0, 50) if unit[ind] == "%" and rng.random() < .3 else None
                    facts.append(dict(
                        fact_id=fid, doc=f"{d}_{b}.txt", district=d, period=str(a) if a == b else f"{a}-{b}",
                        period_start=a, period_end=b, indicator=ind, unit=unit[ind],
                        value=round(k / n * 100, 2) if n else round(rng.uniform(0, 100), rng.choice((0, 2))),
                        numerator=k if n else None, denominator=n,
                        qualifier=rng.choice(("exact", "exact", "approximate", "at_least", "at_most")),
                        scope_level=rng.choice(("district", "district", "government", "agencies", "unstated")),
                        scope=rng.choice(("", "", "区政府", "镇街")), derived=rng.random() < .15,
                        quote=f"{ind} {fid}"))
            docs.append(dict(doc=f"{d}_{max(periods)}.txt", district=d, doc_type="annual_report",
                             period=str(max(periods)), period_start=max(periods), period_end=max(periods)))
    for d in districts:
        for ind in rng.sample(own.get(d, ids), 5) + rng.sample(ids, 1):   # mostly indicators it reports
            a, b = rng.choice(((2021, 2025), (2022, 2022), (2020, 2020), (2018, 2018), (2016, 2020)))
            relative = rng.random() < .15
            tgts.append(dict(target_id=len(tgts) + 1, doc=f"{d}_plan.txt", district=d, indicator=ind,
                             period=str(a) if a == b else f"{a}-{b}", period_start=a, period_end=b,
                             comparator=rng.choice((">=", "<=", "=")), unit=unit[ind],
                             value=None if relative else round(rng.uniform(0, 100), 1), relative=relative,
                             reference="上年度全市平均值" if relative else "", quote=f"目标 {ind}"))
    reference = [dict(area="全市", indicator=i, year=y, value=rng.uniform(0, 100), source="测试")
                 for i in ids for y in range(2012, 2023)]
    return make_frames(facts, tgts, indicators, docs, reference)


def selections(frames: Frames, seed: int, rounds: int = 1) -> list[list[str]]:
    """Random 12-district selections (with a name not in the warehouse) plus every district."""
    names = sorted(frames.reporting | set(frames.targets["district"]))
    rng = random.Random(seed)
    return [rng.sample(names, min(12, len(names))) + ["不存在区"] for _ in range(rounds)] + [names]


@pytest.fixture(scope="module", params=["shipped", "synthetic", "random-1", "random-2"])
def case(request, shipped) -> Frames:
    if request.param == "shipped":
        return shipped
    if request.param == "synthetic":
        return request.getfixturevalue("synthetic")
    return random_frames(shipped.indicators, seed=int(request.param[-1]))


# --- the two paths agree ---------------------------------------------------------------------

def test_facts_of_gives_the_rows_index_and_order_of_the_full_mask(case):
    for sel in [*selections(case, 1), [], ["不存在区"], None]:
        got = case.facts_of(sel)
        want = case.facts if sel is None else case.facts[case.facts["district"].isin(sel)]
        pd.testing.assert_frame_equal(got, want)


def test_best_of_gives_best_facts_of_the_selection_also_under_group_filters(case):
    """`Frames.best_of` (positions chosen once per warehouse) against `best_facts` of the
    selection's facts, also after a filter on indicator and period end (whole groups)."""
    rng = random.Random(7)
    ind = sorted(case.measured)
    for sel in [*selections(case, 8, rounds=3), [], ["不存在区"], None]:
        plain = best_facts(case.facts_of(sel))
        pd.testing.assert_frame_equal(case.best_of(sel), plain.reset_index(drop=True) if len(plain) else plain)
        some, year = set(rng.sample(ind, max(1, len(ind) // 3))), rng.choice((2016, 2019, 2021))
        f = case.facts_of(sel)
        plain = best_facts(f[f["indicator"].isin(some) & (f["period_end"] <= year)])
        b = case.best_of(sel)
        got = b[b["indicator"].isin(some) & (b["period_end"] <= year)]
        pd.testing.assert_frame_equal(got.reset_index(drop=True), plain.reset_index(drop=True))
        only = case.best_of(sel, indicators=[*some, "not_an_indicator"])
        pd.testing.assert_frame_equal(only.reset_index(drop=True), b[b["indicator"].isin(some)].reset_index(drop=True))


def test_changes_of_a_selection_equal_the_per_district_changes_of_the_full_frame(case):
    for sel in selections(case, 2):
        got = compare.changes(case, None, sel)
        parts = [old_change(case, i, d) for d in sorted(set(sel)) for i in sorted(case.measured)]
        want = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) \
            else pd.DataFrame(columns=compare.CHANGE_COLUMNS)
        pd.testing.assert_frame_equal(got.reset_index(drop=True), want.astype(got.dtypes.to_dict()),
                                      check_dtype=False)
        assert len(got) == sum(len(p) for p in parts)
    one = sorted(case.reporting)[0]
    for i in sorted(case.measured):
        pd.testing.assert_frame_equal(compare.change(case, i, one), old_change(case, i, one))


def test_series_and_trend_tests_equal_those_of_the_full_frame(case):
    sel = selections(case, 3)[0]
    for d in sel:
        for i in sorted(set(case.facts_of([d])["indicator"])) + ["not_an_indicator"]:
            pd.testing.assert_frame_equal(trends.district_series(case, d, i), old_district_series(case, d, i))
            for as_of in (None, 2018):
                assert same_trend(trends.trend_for(case, d, i, as_of=as_of), old_trend_for(case, d, i, as_of=as_of))


def test_selection_series_are_each_districts_own_series(case):
    """`selection_series` (one pass) gives each district the frame `district_series` gives it alone:
    rows, columns, dtypes, order and index; districts without figures are left out."""
    rng = random.Random(19)
    for sel in selections(case, 20, rounds=2):
        for ind in rng.sample(sorted(case.measured), min(3, len(case.measured))) + ["not_an_indicator"]:
            got = trends.selection_series(case, sel, ind)
            for d in sel:
                want = trends.district_series(case, d, ind)
                if want.empty:
                    assert d not in got
                else:
                    pd.testing.assert_frame_equal(got[d], want)
            assert list(got) == [d for d in dict.fromkeys(sel) if d in got]
    assert any(trends.selection_series(case, sel, i) for sel in selections(case, 20) for i in sorted(case.measured))


def test_target_statuses_equal_those_of_the_plain_full_frame_path(case):
    """The records path of target_status (figures through `best_of`, a lookup of the reference
    table) against the former DataFrame-per-target computation (tests/metrics/plain_targets.py)
    on a full scan of the facts: random selections, every district, fixed years, another plan,
    custom thresholds with a relative one."""
    full = full_scan(case)
    planners = sorted(set(case.targets["district"]))
    runs = [dict(districts=sel) for sel in selections(case, 4, rounds=3)[:-1]]
    runs += [dict(districts=None), dict(districts=runs[0]["districts"], as_of=2019),
             dict(districts=runs[1]["districts"], as_of={runs[1]["districts"][0]: 2017})]
    if planners:
        runs.append(dict(districts=runs[0]["districts"][:4], standard=planners[0]))
    ids = sorted(case.measured)[:3]
    runs.append(dict(districts=runs[2]["districts"], standard=pd.DataFrame(
        [dict(indicator=ids[0], comparator=">=", value=50.0, period="2021-2025"),
         dict(indicator=ids[-1], comparator="<=", value=None, relative=True, reference="上年度全市平均值")])))
    new = [targets.target_status(case, **kw) for kw in runs]
    for kw, got in zip(runs, new):
        pd.testing.assert_frame_equal(got, plain_targets.target_status(full, **kw))
    assert not planners or any(len(x) for x in new)


def test_target_statuses_of_some_indicators_are_those_rows_of_every_indicators_statuses(case):
    """target_status(indicators=…) judges only those targets: the same rows as a filter of the
    full result, for each standard kind and a fixed year."""
    rng = random.Random(14)
    ind = sorted(case.measured | case.planned)
    planners = sorted(set(case.targets["district"]))
    for sel in selections(case, 15, rounds=2)[:-1]:
        some = rng.sample(ind, min(4, len(ind))) + ["not_an_indicator"]
        for kw in (dict(), dict(as_of=2019), dict(standard=planners[0]) if planners else dict()):
            full = targets.target_status(case, districts=sel, **kw)
            want = full[full["indicator"].isin(some)].reset_index(drop=True)
            got = targets.target_status(case, districts=sel, indicators=some, **kw)
            pd.testing.assert_frame_equal(got, want, check_dtype=len(want) > 0)
            assert len(want) < len(full) or len(full) == 0 or set(full["indicator"]) <= set(some)


def test_comparisons_and_heatmaps_equal_those_of_the_full_frame(case):
    full = full_scan(case)
    for sel in [*selections(case, 6), None]:
        for i in sorted(case.measured):
            pd.testing.assert_frame_equal(compare.compare_districts(case, i, None, sel),
                                          compare.compare_districts(full, i, None, sel))
        pd.testing.assert_frame_equal(compare.heatmap_frame(case, sel), compare.heatmap_frame(full, sel))


def test_comparisons_of_several_indicators_equal_one_indicator_at_a_time(case):
    """`compare_indicators` (one pass for several indicators) against the former single-indicator
    `compare_districts` (tests/metrics/plain_compare.py), indicator by indicator, with and
    without letters, for the latest figures and a fixed period, with an id twice and one unknown;
    `compare_districts` (the same pass for one indicator) to the dtype."""
    rng = random.Random(12)
    ind = sorted(case.measured)
    for sel in [*selections(case, 13, rounds=2), None]:
        some = rng.sample(ind, min(5, len(ind)))
        asked = [*some, some[0], "not_an_indicator"]
        for period in (None, "2020"):
            for groups in (False, True):
                got = compare.compare_indicators(case, asked, period, sel, groups=groups)
                want = [plain_compare.compare_districts(case, i, period, sel, groups=groups)
                        for i in dict.fromkeys(asked)]
                assert len(got) == sum(len(w) for w in want)
                at = 0
                for w in want:
                    part = got.iloc[at:at + len(w)].reset_index(drop=True)
                    at += len(w)
                    pd.testing.assert_frame_equal(part, w, check_dtype=False)   # one column, several indicators
                    one = compare.compare_districts(case, w["indicator"].iloc[0], period, sel, groups=groups) \
                        if len(w) else w
                    pd.testing.assert_frame_equal(one, w)
        assert got["indicator"].nunique() >= min(2, len(ind))


def test_rank_sets_equal_the_plain_merges_on_random_selections(case):
    """`rank_sets` (dict lookups of each group's ranked set) against the former two merges, per
    indicator and over every indicator at once, with missing values and neutral directions."""
    rng = np.random.default_rng(11)
    direction = dict(zip(case.indicators["id"], case.indicators["direction"]))
    for sel in selections(case, 9, rounds=3):
        f = compare.pick_period(best_facts(case.facts_of(sel)), None if rng.random() < .5 else "2020",
                                ["district", "indicator"])
        f = f.assign(direction=f["indicator"].map(direction).fillna("neutral"),
                     value=f["value"].where(rng.random(len(f)) > .1))
        for by in (["indicator"], ["indicator", "span_kind"]):
            pd.testing.assert_frame_equal(compare.rank_sets(f, by), plain_compare.rank_sets(f, by))
        one = f[f["indicator"] == f["indicator"].iloc[0]] if len(f) else f
        pd.testing.assert_frame_equal(compare.rank_sets(one, ["indicator"]), plain_compare.rank_sets(one, ["indicator"]))


def test_coverage_grid_equals_the_pivot_table(case):
    """`coverage_grid` (dicts) against the data page's former pivot table: a selection's best
    figures by indicator and 'district period', the catalog's order, an indicator outside it, and
    two cells for one place (the first one wins)."""
    order = {i: k for k, i in enumerate(case.indicators["id"])}
    for sel in selections(case, 16, rounds=2):
        f = case.best_of(sel)
        if f.empty:
            continue
        ind, cols = f["indicator"].tolist(), (f["district"] + " " + f["period"]).tolist()
        cells = [f"{v:.2f}" if v == v else "—" for v in f["value"]]
        ind += ["not_in_catalog", "not_in_catalog", ind[0]]
        cols += [cols[-1], "a column", cols[0]]
        cells += ["x", "y", "second"]
        got = coverage_grid(ind, cols, cells, order)
        want = plain_data.coverage_grid(ind, cols, cells, order)
        pd.testing.assert_frame_equal(got, want, check_dtype=False)
        assert got.columns.name == want.columns.name == "column" and "second" not in got.to_numpy()


def test_composite_scores_equal_those_from_one_comparison_per_indicator(case, monkeypatch):
    """`composite_score` reads one `compare_indicators` pass; against the same function fed the
    former one-indicator-at-a-time comparisons (tests/metrics/plain_compare.py)."""
    from metrics import composite
    rng = random.Random(17)
    ind = sorted(i for i in case.measured if case.indicator(i)["direction"] in ("higher", "lower"))
    runs = []
    for sel in [*selections(case, 18, rounds=2), None]:
        some = rng.sample(ind, min(5, len(ind)))
        runs.append((some, {i: rng.choice((0.5, 1.0, 2.0)) for i in some}, sel, rng.choice((None, "2020"))))
    got = [composite.composite_score(case, *r) for r in runs]
    plain = lambda frames, inds, period, districts, groups=True: pd.concat(
        [plain_compare.compare_districts(frames, i, period, districts, groups=groups) for i in dict.fromkeys(inds)],
        ignore_index=True)
    monkeypatch.setattr(composite, "compare_indicators", plain)
    for r, g in zip(runs, got):
        pd.testing.assert_frame_equal(g, composite.composite_score(case, *r))
    assert len(case.reporting) < 3 or any(g["score"].notna().any() for g in got)   # the shipped data: 2 districts


def test_composite_bounds_equal_a_scan_of_every_fact(case):
    """`bounds` reads `Frames.value_range` (once per warehouse): the same worst and best as a
    scan of every fact of the indicator and span kind."""
    from metrics.composite import bounds
    f = case.facts
    for ind in sorted(case.measured) + ["not_an_indicator"]:
        for kind in ("annual", "cumulative"):
            v = f.loc[(f["indicator"] == ind) & (f["span_kind"] == kind), "value"].dropna()
            meta = case.indicator(ind)
            lo, hi = (float(v.min()), float(v.max())) if len(v) else (math.nan, math.nan)
            want = (100.0, 0.0) if meta["unit"] == "%" and meta["direction"] == "lower" else \
                (0.0, 100.0) if meta["unit"] == "%" else (hi, lo) if meta["direction"] == "lower" else (lo, hi)
            got = bounds(case, ind, kind)[:2]
            assert got == want or all(math.isnan(x) for x in got + want), (ind, kind, got, want)


def test_random_frames_hold_the_cases_the_comparison_needs(shipped):
    """The random warehouse is not trivially easy: several figures of one period, spans, mixed
    scopes in a trend, relative targets, and statuses of more than one kind."""
    f = random_frames(shipped.indicators, seed=1)
    assert f.facts.duplicated(["district", "indicator", "period"]).sum() > 100
    assert (f.facts["span_kind"] == "cumulative").sum() > 100
    assert f.targets["relative"].sum() > 5
    st = targets.target_status(f)
    assert st["status"].nunique() >= 4
    assert compare.changes(f)["comparable"].nunique() == 2
