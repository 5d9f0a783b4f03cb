"""Golden tests: short real excerpts in, the expected rows (golden/expected.csv) out: value,
scope, unit, qualifier, rule and quote of every row."""
import csv
from pathlib import Path

import pytest

from etl.pipeline import process_bytes, rows

GOLDEN = Path(__file__).parent / "golden"
with open(GOLDEN / "expected.csv", encoding="utf-8") as f:
    EXPECTED = list(csv.DictReader(f))
CASES = sorted({r["case"] for r in EXPECTED})


@pytest.mark.parametrize("case", CASES)
def test_excerpt_gives_exactly_the_expected_rows(case):
    want = [r for r in EXPECTED if r["case"] == case]
    override = {"district": "测试区", "doc_type": want[0]["doc_type"], "period": want[0]["doc_period"]}
    got = rows(process_bytes(f"{case}.txt", (GOLDEN / f"{case}.txt").read_bytes(), override), include_rank=True)
    key = lambda r: (r["kind"], r["indicator"], r["period"], r["comparator"])
    got_by = {key(r): r for r in got}
    assert sorted(got_by) == sorted(key(r) for r in want)
    for w in want:
        g = got_by[key(w)]
        if w["value"]:
            assert float(g["value"]) == pytest.approx(float(w["value"]), abs=0.005), key(w)
        else:
            assert g["value"] == "", key(w)
        for col in ("scope", "unit", "qualifier", "rule", "quote"):
            assert g[col] == w[col], (key(w), col)


def test_every_quote_is_the_text_of_its_raw_span():
    data = (GOLDEN / "wrapped_pdf.txt").read_bytes()
    p = process_bytes("wrapped_pdf.txt", data, {"district": "测试区", "period": "2021"})
    for r in rows(p):
        raw = p.raw[r["start"]:r["end"]]
        assert "".join(raw.split()).replace("，", ",").replace("％", "%") == r["quote"]


def test_derived_rate_says_how_it_was_derived():
    p = process_bytes("x.txt", (GOLDEN / "scope_and_derived.txt").read_bytes(),
                      {"district": "测试区", "doc_type": "annual_report", "period": "2020"})
    rate = next(f for f in p.ex.facts if f.indicator == "people_mediation_success_rate")
    assert rate.derived and rate.formula == "2348 / 2384 × 100"
    assert (rate.numerator, rate.denominator) == (2348, 2384)
    loss = next(f for f in p.ex.facts if f.indicator == "litigation_loss_rate")
    assert (loss.numerator, loss.denominator) == (0, 15) and loss.formula.startswith("0 / 15")


def test_ambiguous_change_is_flagged_not_turned_into_a_number():
    p = process_bytes("x.txt", (GOLDEN / "scope_and_derived.txt").read_bytes(),
                      {"district": "测试区", "doc_type": "annual_report", "period": "2020"})
    (flag,) = [f for f in p.ex.flags if f["kind"] == "ambiguous_change"]
    assert flag["indicator"] == "head_appearance_rate" and "18.51%" in flag["quote"]
    assert all(f.value != 18.51 for f in p.ex.facts)
    assert not any(m.value == 18.51 for m in p.ex.mentions)


def test_narrower_scope_is_kept_as_a_superseded_mention():
    p = process_bytes("x.txt", (GOLDEN / "scope_and_derived.txt").read_bytes(),
                      {"district": "测试区", "doc_type": "annual_report", "period": "2020"})
    (narrow,) = [m for m in p.ex.mentions if m.indicator == "head_appearance_rate" and m.value == 100]
    assert narrow.scope == "区政府" and narrow.status == "narrower_scope"


def test_changes_in_points_and_counts_are_flags_of_the_indicator_named_before_them():
    p = process_bytes("x.txt", (GOLDEN / "other_district.txt").read_bytes(), {"district": "测试区"})
    kinds = {(f["kind"], f["indicator"]) for f in p.ex.flags}
    assert kinds == {("change_count", "litigation_cases"), ("change_points", "head_appearance_rate")}
    assert not any(m.value in (12, 15) for m in p.ex.mentions)
