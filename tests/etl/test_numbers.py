"""The grammar of figures, with property tests over generated numbers."""
import pytest
from hypothesis import given, strategies as st

from etl.catalog import load_catalog
from etl.numbers import cn_to_number, convert, figures

DIGITS = "零一二三四五六七八九"


def to_chinese(n: int) -> str:
    """Independent writer of Chinese numerals (0 < n < 100000000), used to test the reader."""
    def below_10k(x: int) -> str:
        out, zero = "", False
        for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d, x = divmod(x, value)
            if d:
                if zero and out:
                    out += "零"
                out += DIGITS[d] + unit
                zero = False
            else:
                zero = True
        return out
    hi, lo = divmod(n, 10000)
    if not hi:
        return below_10k(lo)
    tail = below_10k(lo)
    return below_10k(hi) + "万" + (("零" if 0 < lo < 1000 else "") + tail if lo else "")


@given(st.integers(min_value=1, max_value=99_999_999))
def test_chinese_numerals_read_back_to_their_value(n):
    assert cn_to_number(to_chinese(n)) == n


@pytest.mark.parametrize("text, value", [("两", 2), ("一", 1), ("十五", 15), ("万", 10000), ("九十五点五", 95.5)])
def test_common_chinese_numerals(text, value):
    assert cn_to_number(text) == pytest.approx(value)


@given(st.integers(min_value=0, max_value=10**7), st.sampled_from(["件", "项", "名", "条", "次"]))
def test_an_integer_with_its_unit_is_read_exactly(n, unit):
    (f,) = figures(f"共受理{n}{unit},")
    assert (f.value, f.unit, f.qualifier) == (n, unit, "exact")


@given(st.integers(min_value=0, max_value=10000), st.integers(min_value=0, max_value=99))
def test_percentages_keep_their_decimals(whole, frac):
    (f,) = figures(f"达{whole}.{frac:02d}%")
    assert f.value == pytest.approx(whole + frac / 100) and f.unit == "%"


@given(st.integers(min_value=1, max_value=9999), st.sampled_from([("万", 10_000), ("亿", 100_000_000)]))
def test_scales_multiply(n, scale):
    word, factor = scale
    (f,) = figures(f"公开信息{n}{word}余条")
    assert f.value == n * factor and f.qualifier == "at_least" and f.unit == "条"


@pytest.mark.parametrize("text, value, unit, qualifier", [
    ("1300余名", 1300, "名", "at_least"),
    ("近万名", 10000, "名", "approximate"),
    ("两期以上", 2, "期", "at_least"),
    ("约30件", 30, "件", "approximate"),
    ("超过60%", 60, "%", "at_least"),
    ("百分之九十五", 95, "%", "exact"),
    ("5.29亿元", 5.29, "亿元", "exact"),
    ("1,951件", 1951, "件", "exact"),
])
def test_quantifiers_and_units(text, value, unit, qualifier):
    (f,) = figures(text)
    assert (f.value, f.unit, f.qualifier) == (pytest.approx(value), unit, qualifier)


@pytest.mark.parametrize("text", ["2021年", "第一批", "〔2020〕57号", "统一登记", "十九届五中全会"])
def test_years_ordinals_and_words_are_not_figures(text):
    assert [f for f in figures(text) if f.unit] == []


def test_money_converts_to_the_catalog_unit():
    units = load_catalog().units
    assert convert(5.29, "亿元", "万元", units) == pytest.approx(52900)
    assert convert(674725, "万元", "万元", units) == 674725
    assert convert(3, "件", "%", units) is None
