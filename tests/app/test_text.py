"""The message tables (ui/text.py): both languages hold every key with the same placeholders,
every key the code asks for exists, every code of the warehouse and of metrics/ has words, and
metrics' Chinese notes come out in English."""
import re

import pytest

from tests.conftest import REPO
from ui import text

CJK = re.compile(r"[\u3400-\u9fff]")
QUOTED = re.compile(r"「[^」]*」|“[^”]*”|《[^》]*》")


def test_both_languages_hold_the_same_keys_with_the_same_placeholders():
    assert set(text.ZH) == set(text.EN), (sorted(set(text.ZH) - set(text.EN)), sorted(set(text.EN) - set(text.ZH)))
    for key in text.ZH:
        assert text.placeholders(text.ZH[key]) == text.placeholders(text.EN[key]), key


def test_english_messages_are_english():
    """Only the term table's Chinese keys and a few names of Streamlit's own buttons may appear."""
    for key, value in text.EN.items():
        assert not CJK.search(QUOTED.sub("", value)), (key, value)


def test_a_missing_key_is_an_error_not_a_silent_fallback():
    with pytest.raises(KeyError):
        text.t("en", "no.such.key")


NAMESPACES = ("app", "side", "page", "title", "download", "col", "chart", "overview", "compare", "trends", "targets",
              "whatif", "evidence", "data", "import", "unit", "axis", "note", "sub", "fmt", "doc")
LITERAL = re.compile(r"""["']((?:%s)\.[A-Za-z_][\w.]*)["']""" % "|".join(NAMESPACES))


def test_every_message_key_the_code_uses_exists():
    files = [REPO / "app.py", *(REPO / "ui").glob("*.py"), *(REPO / "pages" / "views").glob("*.py")]
    used = {k for f in files if f.name != "text.py" for k in LITERAL.findall(f.read_text(encoding="utf-8"))
            if not k.endswith(".py")}
    assert len(used) > 100
    assert sorted(used - set(text.ZH)) == []


def etl_codes() -> dict[str, set]:
    """Codes the ETL writes, from their one declaration (etl.schema): flag kinds, document types."""
    from etl.schema import DOC_TYPES, FLAG_KINDS
    return {"flag": set(FLAG_KINDS), "doc_type": set(DOC_TYPES)}


def test_every_code_of_the_warehouse_and_of_metrics_has_words_in_both_languages():
    from metrics import targets, trends
    codes = {**etl_codes(), "status": set(targets.STATUSES),
             "trend": {trends.UP, trends.DOWN, trends.FLAT, trends.INSUFFICIENT, trends.UNTESTABLE},
             "cmp": {">=", "<=", "=", "rank"}, "kind": {"actual", "target"}, "span": {"annual", "cumulative"},
             "unit": {"%", "万元", "件", "项", "人", "条", "次", "期", "学时"}}
    assert {"ambiguous_change", "conflict", "list_mismatch"} <= codes["flag"]
    for group, values in codes.items():
        for code in values:
            for lang in ("zh", "en"):
                assert text.has(lang, f"{group}.{code}"), f"{group}.{code} has no {lang} label"
    assert text.label("en", "status", "未到期") == "Not yet due" and text.label("en", "unit", "万元") == "CNY 10k"
    assert text.label("en", "status", "新状态") == "新状态"   # an unknown code is shown, never a crash


def test_metrics_notes_of_the_shipped_reports_read_in_english(warehouse):
    import duckdb

    from metrics import compare, composite, targets, trends
    from metrics.data import load_frames
    from ui.state import terms
    frames = load_frames(duckdb.connect(str(warehouse), read_only=True))
    districts = sorted(frames.reporting | set(frames.targets["district"]))
    notes = set(targets.target_status(frames)[["note", "projection_note"]].stack())
    for ind in sorted(frames.measured):
        c = compare.compare_districts(frames, ind)
        notes |= set(c["flags"]) | set(c["rank_note"])
        for d in frames.reporting:
            notes |= set(compare.change(frames, ind, d)["flag"]) | {trends.trend_for(frames, d, ind).note}
    ranked = [i for i in sorted(frames.measured) if frames.indicator(i)["direction"] != "neutral"][:5]
    score = composite.composite_score(frames, ranked, [1.0] * len(ranked), districts)
    notes |= set(score["note"]) | set(score["rank_note"]) | set(score["missing"])
    notes = {n for n in notes if n}
    assert len(notes) > 10
    names = terms(frames)
    for n in notes:
        english = text.note("en", n, names)
        left = QUOTED.sub("", english)
        for d in districts:
            left = left.replace(d, "")
        left = re.sub(r"[0-9 /×+.]+：[^；;]*", "", left)   # a derivation's own words (0 / 15：已审结15件中…)
        assert not CJK.search(left), (n, english)


def test_notes_are_translated_part_by_part_with_their_values():
    terms = {"全程网办率": "Share of services handled fully online"}
    assert (text.note("en", "时期 2020、口径区政府与排名组（2021 · 全区）不同，不排名")
            == "period 2020 and scope district government differs from the ranked set (2021 · district-wide): not ranked")
    assert (text.note("en", "尚未到期（2022 年），按 2021 年进度；约数")
            == "not yet due (2022); progress as of 2021; approximate")
    assert text.note("en", "全程网办率：标尺 0（最差）—100（最好），0–100%", terms).startswith("Share of services")
    assert text.note("zh", "约数") == "约数" and text.note("en", None) == ""
    assert text.bilingual("en", "范围较窄（区政府），保留全区的数值 (narrower scope)") == "narrower scope"
    assert text.bilingual("zh", "范围较窄（区政府），保留全区的数值 (narrower scope)") == "范围较窄（区政府），保留全区的数值"
