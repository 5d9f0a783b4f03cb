"""The grammar of figures: Arabic and Chinese numerals, scales (万, 亿), approximate
quantifiers (余, 多, 近, 超过, 以上) and units, read from normalised text."""
from __future__ import annotations

import re
from dataclasses import dataclass

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}
CN_CHARS = "".join(_CN_DIGITS) + "".join(_CN_UNITS) + "".join(_CN_BIG)

UNITS = ("个百分点", "%", "‰", "件次", "人次", "学时", "课时", "万元", "亿元", "元", "件", "项", "次",
         "名", "人", "个", "条", "期", "场", "宗", "起", "户", "家", "份")

TOKEN = re.compile(
    r"(?<![\d.])(?:"
    r"百分之(?P<pct>[\d.]+|[" + CN_CHARS + r"点]+)"
    r"|(?P<num>\d{1,3}(?:,\d{3})+(?![\d])|\d+)(?P<frac>\.\d+)?(?P<scale>万(?!元)|亿(?!元))?"
    r"|(?P<cn>[" + CN_CHARS + r"]+)"
    r")(?P<approx>余|多)?(?P<unit>" + "|".join(map(re.escape, UNITS)) + r")?"
    r"(?P<post>及以上|以上|以下|以内|左右)?"
)
_BEFORE_APPROX = re.compile(r"(近|约|将近|大约|超过|逾|多达|达到近)$")


def cn_to_number(s: str) -> float | None:
    """Chinese numeral to number: 一 → 1, 两 → 2, 十五 → 15, 三百零八 → 308, 一万二千 → 12000,
    万 → 10000, 九十五点五 → 95.5. None when ``s`` is not a well-formed numeral."""
    if not s:
        return None
    if "点" in s:
        whole, _, frac = s.partition("点")
        w = cn_to_number(whole) if whole else 0
        if w is None or not frac or any(c not in _CN_DIGITS for c in frac):
            return None
        return float(f"{int(w)}." + "".join(str(_CN_DIGITS[c]) for c in frac))
    total, section, digit = 0, 0, None
    for ch in s:
        if ch in _CN_DIGITS:
            if digit and ch not in "零〇":
                return None  # two digits in a row (一二) is not a numeral
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            section += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
        elif ch in _CN_BIG:
            section += digit or 0
            total += (section or 1) * _CN_BIG[ch]
            section, digit = 0, None
        else:
            return None
    return float(total + section + (digit or 0))


@dataclass(frozen=True)
class Figure:
    value: float        # in the unit written (scale applied: 7万 → 70000)
    unit: str           # unit as written, '' when none
    qualifier: str      # exact | approximate | at_least | at_most
    post: str           # 以上 / 以下 / ... as written
    start: int
    end: int
    text: str


def parse_figure(m: re.Match, text: str) -> Figure | None:
    """Turn a TOKEN match into a Figure; None for tokens that are not figures
    (bare Chinese characters without a unit, ordinals like 第一, document numbers)."""
    g = m.groupdict()
    unit = g["unit"] or ""
    if g["pct"] is not None:
        p = g["pct"]
        value = float(p) if p[0].isdigit() else cn_to_number(p)
        unit = "%"
    elif g["num"] is not None:
        value = float(g["num"].replace(",", "") + (g["frac"] or ""))
        if g["scale"]:
            value *= _CN_BIG[g["scale"]]
    else:
        cn = g["cn"]
        if not unit:
            return None
        if cn == "万" and not _BEFORE_APPROX.search(text[max(0, m.start() - 4):m.start()]):
            return None
        value = cn_to_number(cn)
    if value is None:
        return None
    before = text[max(0, m.start() - 1):m.start()]
    if before == "第" or (g["num"] and not unit and text[m.end():m.end() + 1] in ("年", "月", "日", "号", "〕", "]")):
        return None
    qualifier = "exact"
    if g["approx"] or g["post"] in ("以上", "及以上") or re.search(r"(超过|逾|多达)$", text[max(0, m.start() - 3):m.start()]):
        qualifier = "at_least"
    elif g["post"] in ("以下", "以内"):
        qualifier = "at_most"
    elif g["post"] == "左右" or re.search(r"(近|约|将近|大约)$", text[max(0, m.start() - 2):m.start()]):
        qualifier = "approximate"
    return Figure(value, unit, qualifier, g["post"] or "", m.start(), m.end(), m.group())


def figures(text: str) -> list[Figure]:
    """Every figure in ``text``, in order."""
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
