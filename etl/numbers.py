"""The grammar of figures: Arabic and Chinese numerals (also mixed: 2万3千; spoken shorthand:
一万二; decimals with a scale: 十二点四万), a sign (-5%, −5%, 负5%), scales (万, 亿), approximate
quantifiers (余, 多, 近, 超过, 以上) and units, read from normalised text."""
from __future__ import annotations

import re
from decimal import Decimal
from typing import NamedTuple

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}
CN_CHARS = "".join(_CN_DIGITS) + "".join(_CN_UNITS) + "".join(_CN_BIG)
_CN_DIGIT_CHARS = "".join(_CN_DIGITS)

UNITS = ("个百分点", "%", "‰", "件次", "人次", "学时", "课时", "万元", "亿元", "元", "件", "项", "次",
         "名", "人", "个", "条", "期", "场", "宗", "起", "户", "家", "份")

_DIGIT_UNIT = r"[" + CN_CHARS + r"]"
# A middle dot between digits (98·76%, OCR and typeset yearbooks) is a decimal point only in a
# rate; elsewhere (“12·4”国家宪法日) the dotted digits are a name, and no part of them a figure.
_MID_DOTS = "·・•∙‧"
TOKEN = re.compile(
    r"(?=[-−负\d" + CN_CHARS + r"])"      # cheap first-character test: most positions fail here
    r"(?<![\d." + _MID_DOTS + r"])"
    # a sign: a minus not joining two figures (3-5 is a range); 负 before a numeral where it
    # follows a copula or punctuation (为负5%), not inside a word (肩负3项任务)
    r"(?P<sign>(?<![0-9A-Za-z.%)])[-−]|(?<![^为是至到达率值长:,;(\n])负(?=[\d" + _CN_DIGIT_CHARS + r"十百千]|百分之))?(?:"
    r"百分之(?P<pct>[\d.]+|[" + CN_CHARS + r"点]+)"
    # Arabic integers mixed with Chinese units: 2万3千, 1亿2000万, 3千, 2万3
    r"|(?P<mixed>\d+[千百](?:\d+|" + _DIGIT_UNIT + r")*|\d+[万亿](?:\d+|" + _DIGIT_UNIT + r")+)"
    r"|(?P<num>\d{1,3}(?:,\d{3})+(?![\d])|\d+)(?P<frac>[." + _MID_DOTS + r"]\d+)?(?P<scale>万(?!元)|亿(?!元))?"
    r"|(?P<cn>[" + CN_CHARS + r"]+(?:点[" + _CN_DIGIT_CHARS + r"]+[万亿]?)?)"
    r")(?P<approx>余|多)?(?P<unit>" + "|".join(map(re.escape, UNITS)) + r")?"
    r"(?P<post>及以上|以上|以下|以内|左右)?"
)
_BEFORE_APPROX = re.compile(r"(近|约|将近|大约|超过|逾|多达|达到近)$")
_NUMERAL_PART = re.compile(r"\d+|.")


def cn_to_number(s: str) -> float | None:
    """Chinese numeral, possibly mixed with Arabic digits, to its value.

    一 → 1, 两 → 2, 十五 → 15, 三百零八 → 308, 一万二千 → 12000, 万 → 10000, 九十五点五 → 95.5,
    十二点四万 → 124000, 2万3千 → 23000, 1亿2000万 → 120000000; spoken shorthand: a bare digit
    after a unit counts in the next lower unit (一万二 → 12000, 三千五 → 3500; 一万零二 → 10002).
    None when ``s`` is not a well-formed numeral (一二, 二〇二一: use ``cn_year`` for years).
    """
    if not s:
        return None
    if "点" in s:
        whole, _, frac = s.partition("点")
        scale = 1
        if frac[-1:] in _CN_BIG:
            frac, scale = frac[:-1], _CN_BIG[frac[-1]]
        w = cn_to_number(whole) if whole else 0
        if w is None or not frac or any(c not in _CN_DIGITS for c in frac):
            return None
        value = Decimal(f"{int(w)}." + "".join(str(_CN_DIGITS[c]) for c in frac)) * scale
        return float(value)
    total, section, digit = 0, 0, None
    last_unit, zero, single = 0, False, False    # unit before the pending digit; 零 before it
    for part in _NUMERAL_PART.findall(s):
        if part.isdigit() and part.isascii():
            if digit is not None:
                return None
            digit, single = int(part), len(part) == 1
        elif part in _CN_DIGITS:
            if _CN_DIGITS[part] == 0:
                if digit is not None:
                    return None
                zero = True
                continue
            if digit is not None:
                return None  # two digits in a row (一二) is not a numeral
            digit, single = _CN_DIGITS[part], True
        elif part in _CN_UNITS:
            section += (1 if digit is None else digit) * _CN_UNITS[part]
            digit, last_unit, zero = None, _CN_UNITS[part], False
        elif part in _CN_BIG:
            big = _CN_BIG[part]
            section += digit or 0
            if total and total < big:          # 一万亿: the larger unit scales all before it
                total = (total + section) * big
            else:
                total += (section or (0 if total else 1)) * big
            section, digit, last_unit, zero = 0, None, big, False
        else:
            return None
    if digit is not None:
        if single and not zero and last_unit > 10:
            digit *= last_unit // 10          # 一万二 = 12000, 三千五 = 3500
        section += digit
    return float(total + section)


def cn_year(s: str) -> int | None:
    """A year written digit by digit in Chinese: 二〇二一 / 二零二一 / 二○二一 → 2021.
    None unless ``s`` is exactly four such digits."""
    digits = [_YEAR_DIGITS.get(c) for c in s]
    if len(digits) != 4 or None in digits:
        return None
    return int("".join(map(str, digits)))


_YEAR_DIGITS = {**_CN_DIGITS, "○": 0, "O": 0, "o": 0}
del _YEAR_DIGITS["两"]
_CN_YEAR = re.compile(r"(?:一九|二[〇零○Oo])[〇零○一二三四五六七八九]{2}(?![" + CN_CHARS + r"○点])")
# What every match of _CN_YEAR opens with, sought from its second character (rarer than 一 and 二,
# and a class: ``re`` skips to it by itself).
_CN_YEAR_OPENING = re.compile(r"[九〇零○Oo](?<=一九|二[〇零○Oo])")
_NUMERAL_CHARS = frozenset(CN_CHARS + "○")


def arabic_years(text: str) -> str:
    """``text`` with every year written digit by digit in Chinese (一九九九, 二〇二一, 二零二一,
    二○二一) rewritten in Arabic digits. Same length, so character offsets stay valid."""
    if not _CN_YEAR_OPENING.search(text):
        return text
    def year(m: re.Match) -> str:
        if m.start() and text[m.start() - 1] in _NUMERAL_CHARS:
            return m.group()              # inside a longer numeral
        return str(cn_year(m.group()))
    return _CN_YEAR.sub(year, text)


class Figure(NamedTuple):
    """A number as written in the text: value (scale applied, sign kept), unit as written, qualifier, the bound word
    after it, and its span in the sentence."""
    value: float        # in the unit written (scale applied: 7万 → 70000), negative with a sign
    unit: str           # unit as written, '' when none
    qualifier: str      # exact | approximate | at_least | at_most
    post: str           # 以上 / 以下 / ... as written
    start: int
    end: int
    text: str


_GROUPS = ("sign", "pct", "mixed", "num", "frac", "scale", "cn", "approx", "unit", "post")  # TOKEN's, in order
_AT_LEAST_BEFORE = re.compile(r"(?:超过|逾|多达)$")
_ABOUT_BEFORE = re.compile(r"(?:近|约为?|将近|大约为?)$")
# The last characters of their words, and a line break ($ matches before one that ends the text).
_AT_LEAST_LAST, _ABOUT_LAST = "过逾达\n", "近约为\n"
_new_figure = tuple.__new__                     # Figure(…) without its Python-level __new__
_NOT_AFTER_BARE = ("年", "月", "日", "号", "〕", "]")


def parse_figure(m: re.Match, text: str) -> Figure | None:
    """Turn a TOKEN match into a Figure; None for tokens that are not figures
    (bare Chinese characters without a unit, ordinals like 第一, document numbers)."""
    sign, pct, mixed, num, frac, scale, cn, approx, unit, post = m.groups()
    start, end = m.span()
    unit = unit or ""
    if num is not None:                       # the common case: Arabic digits
        if frac and frac[0] in _MID_DOTS:
            if unit not in ("%", "‰"):
                return None                   # 12·4 (a day's name): neither 12.4 nor 4
            frac = "." + frac[1:]
        if "," in num:
            num = num.replace(",", "")
        if scale:
            value = float(Decimal(num + (frac or "")) * _CN_BIG[scale])   # 12.4万: exactly 124000
        else:
            value = float(num + frac if frac else num)
    elif pct is not None:
        value = float(pct) if pct[0].isdigit() else cn_to_number(pct)
        unit = "%"
    elif mixed is not None:
        value = cn_to_number(mixed)
    else:
        if not unit:
            return None
        if cn == "万" and not _BEFORE_APPROX.search(text[max(0, start - 4):start]):
            return None
        value = cn_to_number(cn)
    if value is None:
        return None
    if unit == "元" and (mixed or cn or "")[-1:] in _CN_BIG:
        # 十二点四万元, 1亿2000万元: keep the scale in the unit, as with 12.4万元
        numeral = mixed or cn
        value, unit = value / _CN_BIG[numeral[-1]], numeral[-1] + "元"
    if sign:
        value = -value
    last = text[start - 1] if start else " "      # the patterns before a figure end with one of a few characters
    if last == "第" or (num and not unit and text[end:end + 1] in _NOT_AFTER_BARE):
        return None
    qualifier = "exact"
    if approx or post in ("以上", "及以上") or last in _AT_LEAST_LAST and _AT_LEAST_BEFORE.search(text, max(0, start - 3), start):
        qualifier = "at_least"
    elif post in ("以下", "以内"):
        qualifier = "at_most"
    elif post == "左右" or last in _ABOUT_LAST and _ABOUT_BEFORE.search(text, max(0, start - 3), start):
        qualifier = "approximate"
    return _new_figure(Figure, (value, unit, qualifier, post or "", start, end, m.group()))


def figures(text: str) -> list[Figure]:
    """Every figure in ``text``, in order, as Figures: value in the unit written (scale applied:
    7万 → 70000), unit as written or '', qualifier (exact / approximate / at_least / at_most), the
    bound word after it, start and end offsets in ``text`` and the matched text."""
    out = []
    for m in TOKEN.finditer(text):
        if m.end() == m.start():
            continue
        f = parse_figure(m, text)
        if f is not None:
            out.append(f)
    return out


def convert(value: float, unit_written: str, catalog_unit: str, unit_table: dict) -> float | None:
    """Value in the catalog's unit, or None when the written unit does not fit it."""
    factor = unit_table.get(catalog_unit, {}).get(unit_written)
    return None if factor is None else value * factor
