"""The grammar of figures, with property tests over generated numbers."""
import pytest
from hypothesis import given, strategies as st

from etl.catalog import load_catalog
from etl.numbers import arabic_years, cn_to_number, cn_year, convert, figures

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


# --- decimals with a scale, Arabic digits mixed with Chinese units, spoken shorthand, signs ---

CN = dict(enumerate(DIGITS))


@given(st.integers(min_value=0, max_value=9999), st.text(alphabet=DIGITS, min_size=1, max_size=3))
def test_a_chinese_decimal_keeps_its_scale(whole, frac):
    """十二点四万元 = 12.4 万元; 三点零五万件 = 30500 件."""
    written = (to_chinese(whole) if whole else "零") + "点" + frac
    value = float(f"{whole}." + "".join(str(DIGITS.index(c)) for c in frac))
    (money,) = figures(f"收缴资金{written}万元。")
    assert (money.value, money.unit) == (pytest.approx(value), "万元")
    (count,) = figures(f"受理{written}万件。")
    assert (count.value, count.unit) == (pytest.approx(value * 10000), "件")


def to_mixed(n: int) -> str:
    """Independent writer of Arabic digits mixed with 万 and 千 (2万3千, 1万零5), 0 < n < 10**8."""
    hi, lo = divmod(n, 10000)
    out = f"{hi}万" if hi else ""
    th, rest = divmod(lo, 1000)
    if th:
        out += f"{th}千"
    if rest:
        # a lone digit right after a unit would read as shorthand (3千5 = 3500): write 零 first
        out += ("零" if out and (rest < 100 or th == 0) else "") + str(rest)
    return out


@given(st.integers(min_value=1, max_value=99_999_999))
def test_arabic_digits_mixed_with_chinese_units_read_back(n):
    assert cn_to_number(to_mixed(n)) == n


@given(st.integers(min_value=1, max_value=9), st.integers(min_value=1, max_value=9),
       st.sampled_from([("万", 10_000), ("千", 1000), ("百", 100)]))
def test_spoken_shorthand_counts_the_last_digit_in_the_next_lower_unit(a, b, unit):
    word, size = unit
    assert cn_to_number(f"{CN[a]}{word}{CN[b]}") == a * size + b * size // 10
    assert cn_to_number(f"{CN[a]}{word}零{CN[b]}") == a * size + b    # 一万零二 is 10002


@pytest.mark.parametrize("text, value, unit, qualifier", [
    ("共调解矛盾纠纷2万3千余件", 23000, "件", "at_least"),
    ("培训执法人员1万2千人次", 12000, "人次", "exact"),
    ("公开信息3千余条", 3000, "条", "at_least"),
    ("罚没款1亿2000万元", 12000, "万元", "exact"),
    ("罚没款三点五亿元", 3.5, "亿元", "exact"),
    ("收缴资金十五点八万元", 15.8, "万元", "exact"),
    ("办理一万二件", 12000, "件", "exact"),
    ("受理三万五人次", 35000, "人次", "exact"),
    ("结案率九十五点五%", 95.5, "%", "exact"),
    ("百分之十二点五", 12.5, "%", "exact"),
])
def test_numbers_written_the_ways_reports_write_them(text, value, unit, qualifier):
    (f,) = figures(text)
    assert (f.value, f.unit, f.qualifier) == (pytest.approx(value), unit, qualifier)


@given(st.integers(min_value=0, max_value=10000), st.integers(min_value=0, max_value=9),
       st.sampled_from(["-", "−", "为负", "为-", "增长率为−"]))
def test_a_sign_is_kept(whole, tenth, sign):
    (f,) = figures(f"同比{sign}{whole}.{tenth}%")
    assert f.value == pytest.approx(-(whole + tenth / 10)) and f.unit == "%"


@pytest.mark.parametrize("text, values", [
    ("3-5件", [3, 5]),                     # a range, not a minus
    ("2016-2020年共受理12件", [2016, 12]),   # 2020年 is a year, not a figure
    ("负责人出庭应诉12件", [12]),
    ("肩负3项任务", [3]),                   # 负 inside a word
])
def test_dashes_and_words_with_fu_are_not_signs(text, values):
    assert [f.value for f in figures(text)] == values


@given(st.integers(min_value=1900, max_value=2099), st.sampled_from(["〇", "零", "○"]))
def test_years_written_in_chinese_digits(year, zero):
    written = "".join(zero if d == "0" else DIGITS[int(d)] for d in str(year))
    assert cn_year(written) == year
    text = f"关于{written}年度法治政府建设情况的报告"
    converted = arabic_years(text)
    assert converted == f"关于{year}年度法治政府建设情况的报告" and len(converted) == len(text)


@pytest.mark.parametrize("text", ["一二〇〇件", "二〇二一点五", "二十二〇二一", "一九九件"])
def test_only_four_digit_years_are_rewritten(text):
    assert arabic_years(text) == text


def test_a_chinese_digit_year_is_not_a_figure():
    assert figures("二〇二一年度") == [] and cn_to_number("二〇二一") is None
