"""The benchmark corpus generator: real length, known figures that are really in the text,
deterministic, labelled synthetic, written only where it is told; the scorer counts right."""
import re

import duckdb
import pytest

from benchmarks.synth import (FRAMES, TARGET_FRAMES, district_documents, district_names, phrasings_used, score,
                              write_corpus)


@pytest.fixture(scope="module")
def docs():
    return district_documents("渝北区", 12)


def squeeze(text):
    return re.sub(r"\s+", "", text)


def test_a_district_has_eight_annual_reports_a_five_year_report_and_a_plan_of_real_length(docs):
    kinds = [d.doc_type for d in docs]
    assert kinds.count("annual_report") == 8 and kinds.count("multi_year_report") == 1 and kinds.count("plan") == 1
    lengths = {d.doc_type: len(d.text.encode()) for d in docs}
    assert all(17_000 <= len(d.text.encode()) <= 42_000 for d in docs), lengths
    assert lengths["plan"] > 30_000 and lengths["multi_year_report"] > 27_000


def test_every_stated_figure_is_written_in_the_text(docs):
    for d in docs:
        text = squeeze(d.text)
        for k in d.known:
            if k.kind == "actual" and "{" + k.indicator + "}" in k.frame and k.value:
                written = f"{k.value:.2f}".rstrip("0").rstrip(".")
                assert written in text, (d.name, k)


def test_plans_carry_targets_and_reports_carry_figures_periods_and_change_statements(docs):
    plan = next(d for d in docs if d.doc_type == "plan")
    summary = next(d for d in docs if d.doc_type == "multi_year_report")
    assert len([k for k in plan.known if k.kind == "target"]) >= 8
    assert {k.comparator for k in plan.known} <= {">=", "<="}
    assert any(k.period == "2020-2025" and k.kind == "target" for k in summary.known)
    periods = {k.period for k in summary.known if k.kind == "actual"}
    assert "2016-2020" in periods and periods - {"2016-2020"}
    assert any(k.kind == "change" for d in docs for k in d.known)


def test_the_corpus_is_deterministic_and_a_single_year_in_a_five_year_report_matches_its_annual_report(docs):
    again = district_documents("渝北区", 12)
    assert [d.text for d in again] == [d.text for d in docs]
    annual = {(k.indicator, k.period): k.value for d in docs if d.doc_type == "annual_report" for k in d.known
              if k.kind == "actual" and "{" + k.indicator + "}" in k.frame}
    summary = next(d for d in docs if d.doc_type == "multi_year_report")
    shared = [(k, annual[(k.indicator, k.period)]) for k in summary.known
              if (k.indicator, k.period) in annual and "{" + k.indicator + "}" in k.frame]
    assert all(k.value == v for k, v in shared)


def test_the_frames_use_most_catalog_phrasings():
    docs = [d for i, name in enumerate(district_names(4)) for d in district_documents(name, i)]
    used, total = phrasings_used(docs)
    assert used >= 100 and total >= 100
    assert len([f for fs in FRAMES.values() for f in fs]) + len(TARGET_FRAMES) >= 70


def test_names_are_labelled_synthetic_beyond_the_real_districts():
    names = district_names(60)
    assert len(set(names)) == 60 and names[0] == "万州区"
    assert all(n.startswith("合成") for n in names[41:])


def test_the_corpus_is_written_only_to_the_folder_it_is_given(tmp_path):
    reports, size = write_corpus(tmp_path / "raw", 1)
    assert sorted(p.name for p in (tmp_path / "raw").iterdir()) == sorted(r.name for r in reports)
    assert [p.name for p in tmp_path.iterdir()] == ["raw"] and all(r.name.startswith("syn_") for r in reports)
    assert size == sum(p.stat().st_size for p in (tmp_path / "raw").iterdir())
    assert all(r.text == "" for r in reports)                        # the texts are not kept in memory


def test_score_counts_hits_wrong_values_extra_figures_and_changes_that_became_figures():
    from benchmarks.synth import Known, SynthReport
    rep = SynthReport("a.txt", "甲区", "annual_report", "2020", "", (
        Known("actual", "x", "2020", 10.0), Known("actual", "y", "2020", 5.0),
        Known("target", "x", "2021", 90.0, ">="), Known("change", "z", "2020", None)))
    con = duckdb.connect()
    con.execute("CREATE TABLE facts AS SELECT * FROM (VALUES ('a.txt','x','2020',10.004,'phrase_figure+document','q1'),"
                "('a.txt','y','2020',6.0,'phrase_figure+document','q2'),('a.txt','z','2020',3.0,'phrase_figure+document','q3'))"
                " t(doc, indicator, period, value, rule, quote)")
    con.execute("CREATE TABLE targets AS SELECT * FROM (VALUES ('a.txt','x','2021','>=',90.0,'r','q4')) "
                "t(doc, indicator, period, comparator, value, rule, quote)")
    con.execute("CREATE TABLE flags AS SELECT * FROM (VALUES ('a.txt','z','ambiguous_change')) t(doc, indicator, kind)")
    con.execute("CREATE TABLE documents AS SELECT * FROM (VALUES ('a.txt','甲区','annual_report','2020')) "
                "t(doc, district, doc_type, period)")
    s = score(con, [rep])
    assert s["facts"] == {"hit": 1, "extracted": 3, "known": 2}
    assert s["targets"] == {"hit": 1, "extracted": 1, "known": 1}
    assert s["changes"] == {"written": 1, "flagged": 1, "became_figures": 1}
    assert s["documents"] == {"right": 1, "total": 1}
    assert [m[1] for m in s["missed"]] == ["y"]
