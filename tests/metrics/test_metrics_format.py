import pandas as pd
import pytest

from metrics.format import fmt_delta, fmt_value


@pytest.mark.parametrize("value, unit, decimals, text", [
    (64.2857, "%", 2, "64.29%"), (1951, "件", 0, "1,951 件"), (0.13, "次", 2, "0.13 次"), (100, "%", 2, "100.00%")])
def test_fmt_value_renders_unit_and_decimals_from_the_catalog(value, unit, decimals, text):
    assert fmt_value(value, unit, decimals) == text


def test_missing_value_renders_as_a_dash_not_zero():
    assert fmt_value(None, "%", 2) == "—" and fmt_value(float("nan"), "件", 0) == "—"
    assert fmt_value(pd.NA, "%", 2) == "—"


def test_english_labels_translate_count_units():
    assert fmt_value(1951, "件", 0, lang="en") == "1,951 cases"


def test_rate_changes_are_in_percentage_points():
    assert fmt_delta(-2.5, "%", 2) == "−2.50 百分点"
    assert fmt_delta(12, "件", 0) == "+12 件"


@pytest.mark.parametrize("value, unit, decimals, qualifier, lang, text", [
    (1300, "人", 0, "at_least", "zh", "≥ 1,300 人"),          # 「1300余名」
    (50000, "条", 0, "at_least", "zh", "≥ 50,000 条"),        # 「5万余条」
    (1300, "人", 0, "at_least", "en", "≥ 1,300 people"),
    (92, "%", 2, "approximate", "zh", "约 92.00%"), (92, "%", 2, "approximate", "en", "≈ 92.00%"),
    (5, "%", 2, "at_most", "zh", "≤ 5.00%"), (1300, "人", 0, "exact", "zh", "1,300 人"), (1300, "人", 0, "", "zh", "1,300 人")])
def test_a_qualified_figure_keeps_its_qualifier(value, unit, decimals, qualifier, lang, text):
    assert fmt_value(value, unit, decimals, lang, qualifier) == text
