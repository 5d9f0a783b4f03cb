"""Document text that could act instead of being shown: formulas in exports, control characters,
Markdown links and images, HTML."""
import re

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl.safe import clean_text, html_text, markdown_literal, neutralise_formula, restore_formula, safe_frame


@pytest.mark.parametrize("cell, written", [
    ('=HYPERLINK("http://evil.example","点此")', '\'=HYPERLINK("http://evil.example","点此")'),
    ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
    ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\n=1+1"),                 # CR becomes a newline; still quoted
    ("\x07=1+1", "'=1+1"),                 # a control character hid the formula
    ("  =1+1", "'  =1+1"),
    ("'=1+1", "''=1+1"),                   # already quoted: quoted once more, so reading back is exact
    ("渝北区", "渝北区"), ("a=b", "a=b"), ("", ""), ("'", "'"),
    ("-5", "-5"), ("+3.25", "+3.25"), ("-5%", "-5%"), ("-.5e3", "-.5e3"),   # numbers written as text stay as they are
])
def test_a_cell_that_would_start_a_formula_is_written_as_text(cell, written):
    assert neutralise_formula(cell) == written


@pytest.mark.parametrize("value", [-5.0, 3, None, True, pd.Timestamp("2021-01-13")])
def test_values_that_are_not_text_pass_unchanged(value):
    assert neutralise_formula(value) is value


def test_control_characters_are_removed_but_tab_and_newline_kept():
    assert clean_text("a\x00b\x1fc\td\ne\r\nf\rg\x0bh") == "ab" + "c\td\ne\nf\ng" + "h"


@given(st.text(alphabet=st.sampled_from(list("'=+-@\t\r\n \x01a1.%")), max_size=8) | st.text(max_size=12))
def test_neutralised_cells_never_start_a_formula_and_read_back_exactly(cell):
    out = neutralise_formula(cell)
    assert not re.search(r"[\x00-\x08\x0b-\x1f]", out)
    if out.lstrip()[:1] in set("=+-@"):
        assert re.fullmatch(r"[+-][\d.eE+\-]*%?", out), out    # only a plain number may start with + or -
    assert restore_formula(out) == clean_text(cell)


def test_a_table_keeps_its_numbers_numeric_and_its_text_safe():
    df = pd.DataFrame({"=区县": ["=HYPERLINK(\"//x\")", "渝北区"], "value": [-5.0, 72.5], "n": [1, 2],
                       "kind": pd.Categorical(["@x", "a"]), "quote": ["72%\x0c", None]})
    out = safe_frame(df)
    assert list(out.columns) == ["'=区县", "value", "n", "kind", "quote"]
    assert out["value"].dtype == float and out["value"].iloc[0] == pytest.approx(-5.0)
    assert out["n"].dtype == df["n"].dtype
    assert list(out["'=区县"]) == ["'=HYPERLINK(\"//x\")", "渝北区"]
    assert list(out["kind"]) == ["'@x", "a"] and out["quote"].iloc[0] == "72%" and pd.isna(out["quote"].iloc[1])
    assert df.iloc[0, 0] == "=HYPERLINK(\"//x\")"     # the shown table is not changed


HOSTILE = "[点此核对](//evil.example) ![x](https://evil.example/p.png) <img src=x onerror=alert(1)> $x$ :red[警告]"


def unescaped(md: str) -> str:
    """The Markdown source with every backslash escape removed: what the parser sees as syntax."""
    return re.sub(r"\\.", "", md, flags=re.S)


@given(st.text())
def test_literal_markdown_leaves_no_link_image_html_or_latex_syntax(text):
    bare = unescaped(markdown_literal(text))
    assert not set(bare) & set("[]<>`$*_\\:&@")


def test_literal_markdown_of_a_hostile_quote():
    md = markdown_literal(HOSTILE)
    assert "](" not in unescaped(md) and "![" not in unescaped(md)
    assert md.startswith(r"\[点此核对\](//evil\.example) !\[x\](https\://evil\.example/p\.png) \<img src\=x")
    assert markdown_literal("全流程网上办率72.5%，2016-2020年（2348 / 2384 × 100）") == \
        "全流程网上办率72.5%，2016-2020年（2348 / 2384 × 100）"   # numbers and ranges stay readable


def test_html_text_escapes_markup_and_markdown_link_syntax():
    out = html_text(HOSTILE + "\x00 & 'q' \"d\"")
    assert not set(out) & set("[]()<>!`$:\x00\"'")
    assert out.startswith("&#91;点此核对&#93;&#40;//evil.example&#41; &#33;&#91;x&#93;")
    assert "&lt;img src=x onerror=alert&#40;1&#41;&gt;" in out and "&amp; &#39;q&#39; &quot;d&quot;" in out
    assert html_text("全流程网上办率72.00%，002_d61b.txt") == "全流程网上办率72.00%，002_d61b.txt"
