import math
from pathlib import Path

import pandas as pd
import pytest
import yaml

from metrics import queries
from metrics.data import best_facts, load_frames, make_frames, parse_period

CATALOG = Path(__file__).resolve().parents[2] / "etl" / "catalog" / "indicators.yaml"


def test_fixture_indicators_agree_with_the_catalog(frames):
    catalog = {i["id"]: i for i in yaml.safe_load(CATALOG.read_text(encoding="utf-8"))["indicators"]}
    for row in frames.indicators.to_dict("records"):
        assert (row["unit"], row["decimals"], row["direction"]) == (
            catalog[row["id"]]["unit"], catalog[row["id"]]["decimals"], catalog[row["id"]]["direction"])


@pytest.mark.parametrize("name, params", [
    ("document_text", ["r_yb.txt"]), ("flags", [["渝北区"]]), ("superseded", [["渝北区"]])])
def test_every_named_query_runs_on_the_warehouse_schema(con, name, params):
    assert queries.run(con, name, params) is not None


def test_named_query_binds_its_parameters(con):
    assert len(queries.run(con, "document_text", ["r_yb.txt"])) == 1
    assert queries.run(con, "document_text", ["r_yb.txt' OR '1'='1"]).empty


def test_unknown_query_name_is_refused_with_its_name(con):
    with pytest.raises(KeyError, match="no_such_query"):
        queries.run(con, "no_such_query")


def test_load_frames_reads_all_five_tables_without_raw_text(frames):
    assert len(frames.facts) == 15 and len(frames.targets) == 4 and len(frames.reference) == 1
    assert len(frames.indicators) == 5 and "raw_text" not in frames.documents.columns


def test_load_frames_treats_a_missing_reference_table_as_empty(con):
    con.execute("DROP TABLE reference")
    assert load_frames(con).reference.empty


def test_make_frames_fills_absent_columns_and_periods():
    f = make_frames(facts=[{"fact_id": 1, "district": "渝北区", "indicator": "x", "period": "2016–2020",
                            "value": 3}]).facts
    row = f.iloc[0]
    assert (row["period"], row["period_start"], row["period_end"]) == ("2016-2020", 2016, 2020)
    assert (row["span_kind"], row["scope_level"], row["qualifier"]) == ("cumulative", "unstated", "exact")
    assert not row["derived"]
    assert math.isnan(row["numerator"])


def test_parse_period_reads_single_years_and_spans():
    assert parse_period("2021") == (2021, 2021)
    assert parse_period("2021—2025") == (2021, 2025)
    assert all(math.isnan(v) for v in parse_period(""))


def test_best_facts_prefers_whole_district_scope_then_exact_figures():
    rows = [dict(fact_id=1, district="a", indicator="x", period="2021", value=1, scope_level="government"),
            dict(fact_id=2, district="a", indicator="x", period="2021", value=2, scope_level="district",
                 qualifier="approximate"),
            dict(fact_id=3, district="a", indicator="x", period="2021", value=3, scope_level="district"),
            dict(fact_id=4, district="a", indicator="x", period="2020", value=4, scope_level="government")]
    best = best_facts(make_frames(facts=rows).facts)
    assert best["fact_id"].tolist() == [4, 3]


def test_frames_replace_normalises_the_new_table(frames):
    edited = frames.replace(facts=frames.facts.assign(value=1.0).drop(columns=["span_kind"]))
    assert set(edited.facts["span_kind"]) == {"annual", "cumulative"}
    assert frames.facts["value"].max() == pytest.approx(500)


def test_load_frames_casts_in_sql_and_keeps_insertion_order(frames):
    f = frames.facts
    assert f["fact_id"].is_monotonic_increasing                      # as inserted, no ORDER BY
    assert f["value"].dtype == float and f["derived"].dtype == bool
    assert not f["scope"].isna().any() and (f["scope"] == "").any()  # NULL text arrives as ''
    assert frames.measured >= {"head_appearance_rate", "litigation_loss_rate"}
    assert "綦江区" in frames.reporting and "head_appearance_rate" not in frames.planned - frames.measured


def test_flags_and_superseded_queries_return_only_the_given_districts(con):
    con.execute("INSERT INTO flags (doc, district, period, indicator, kind, message) VALUES "
                "('r_yb.txt', '渝北区', '2021', 'x', 'conflict', 'm'), ('r_bb.txt', '北碚区', '2021', 'x', 'conflict', 'm')")
    assert queries.run(con, "flags", [["渝北区"]])["district"].tolist() == ["渝北区"]
    assert len(queries.run(con, "flags", [["渝北区", "北碚区"]])) == 2
    assert queries.run(con, "flags", [[]]).empty


def test_district_rows_answer_a_selection_as_its_own_query_does(con):
    """`DistrictRows` (every district read once, a selection by position) against the named query
    of the selection: the same rows in the same order, also for rows alike in the sort keys."""
    import random
    con.execute("INSERT INTO flags (doc, district, period, indicator, kind, message) VALUES "
                "('r_yb.txt', '渝北区', '2021', 'x', 'conflict', 'b'), ('r_bb.txt', '北碚区', '2021', 'x', 'conflict', 'm'), "
                "('r_yb.txt', '渝北区', '2021', 'x', 'conflict', 'a'), ('r_qj.txt', '綦江区', '2020', 'y', 'out_of_range', 'm'), "
                "('r_yb.txt', '渝北区', '2019', 'y', 'out_of_range', 'c'), ('r_x.txt', NULL, '2019', 'y', 'out_of_range', 'n')")
    con.execute("INSERT INTO mentions (mention_id, doc, district, period, kind, indicator, value, status) VALUES "
                "(1, 'r_yb.txt', '渝北区', '2021', 'actual', 'x', 1, 'kept'), (2, 'r_yb.txt', '渝北区', '2021', 'actual', 'x', 2, 'repeated'), "
                "(3, 'r_bb.txt', '北碚区', '2021', 'actual', 'x', 3, 'repeated'), (4, 'r_yb.txt', '渝北区', '2021', 'actual', 'x', 4, 'repeated')")
    names = ["渝北区", "北碚区", "綦江区", "不存在区"]
    rng = random.Random(3)
    for name in ("flags", "superseded"):
        rows = queries.DistrictRows(con, name)
        for sel in [names, names[:1], names[1:], [], *(rng.sample(names, 2) for _ in range(4))]:
            want, got = queries.run(con, name, [sel]), rows.of(sel)
            pd.testing.assert_frame_equal(got, want, check_dtype=len(want) > 0)
        assert len(rows.of(names)) >= 2
    assert queries.DistrictRows(con, "flags").of(["渝北区"])["message"].tolist() == ["b", "a", "c"]
    with pytest.raises(KeyError, match="dropped"):
        queries.DistrictRows(con, "dropped")


def test_status_on_the_selected_districts_facts_equals_status_on_all_facts(frames):
    """The what-if page computes scenarios on the selected districts' facts only, with the
    warehouse's latest year pinned: the baseline must not change by that."""
    from metrics.targets import target_status
    chosen = ["綦江区", "渝北区"]
    subset = frames.replace(facts=frames.facts[frames.facts["district"].isin(chosen)])
    full = target_status(frames, districts=chosen, as_of=frames.latest_year())
    part = target_status(subset, districts=chosen, as_of=frames.latest_year())
    assert len(full) and full.equals(part)


def test_planning_lists_the_districts_with_targets_sorted(frames):
    assert frames.planning == tuple(sorted(set(frames.targets["district"])))
    assert frames.planning and len(frames.planning) < len(frames.targets)
    fewer = frames.replace(targets=frames.targets[frames.targets["district"] != frames.planning[0]])
    assert fewer.planning == frames.planning[1:]
