"""Periods and scopes of a mention.

In: a Sentence, a position in it, the document's metadata. Out: (period_start, period_end, rule)
from the nearest period marker before the position (「2016年以来」, 「2019—2021年」, 「2020年度」, 「三年来」,
「全年」, 「到2022年底」, 「1-10月」: a part of a year) or the document's period; the years a list of figures runs over; and
(scope words, scope level) from the scope wording before the position (全区, 区政府, 部门、镇街 …).
"""
from __future__ import annotations

import re
from functools import lru_cache

from etl.documents import DocMeta
from etl.grammar import Grammar, Sentence, compile_fast, grammar
from etl.numbers import arabic_years, cn_to_number

# What may stand before a phrasing in a clause that has no subject of its own.
SUBJECTLESS = compile_fast(r"\d+(?:\.\d+)?[件项次名人个条%]?|已|共|其中|中|并|且|均|累计|审结|办结|结案|实现|达到?")
_CYCLES = {"十二五": 2011, "十三五": 2016, "十四五": 2021}
_LEVEL_SUFFIX = re.compile(r"(?:区|县|市|省|自治区|自治州|自治县)$")
# The rule of a span whose end is unknown (「自2006年以来」, 「20年来」 in an undated text): no period.
OPEN_SPAN = "open_span"
# The rule of a part of a year (「1-10月」, 「上半年」, 「截至6月底」): an actual of it is a mention only.
PART_YEAR = "part_year"
# A year-end report is written in its last weeks and gives the year so far: a figure from January
# to November (「截至11月底」, 「1-11月」, 「截止到11月30日」) is that report's figure of the year, kept
# with a note naming the months; shorter runs (「1-10月」, 「前三季度」, 「上半年」) are parts of the year.
YEAR_TO_DATE = "year_to_date"
YEAR_TO_DATE_FROM = 11        # the last month a year-to-date figure reaches at least
PART_YEAR_MARKERS = ("part_year", "part_half", "part_quarter")    # rules.yaml periods of a part of a year
_A_YEAR = re.compile(r"(?:19|20)\d{2}")


def five_year_cycle_end(year: int) -> int:
    """End of the five-year planning cycle (2016–2020, 2021–2025 …) that contains ``year``."""
    return 2016 + ((year - 2016) // 5) * 5 + 4


def marker(s: Sentence, i: int, g: Grammar):
    """The period marker nearest before position ``i`` in the sentence (of two that end
    together, the longer: 「2020年、2021年和2022年」 rather than its 「2022年」): (name, match) or None."""
    best, best_key, text = None, None, s.text
    for held, group in g.period_groups:              # a group only where the character its matches hold stands
        if held and text.find(held, 0, i) < 0:
            continue
        for order, name, rx in group:
            for m in rx.finditer(text, 0, i):
                key = (m.end(), -m.start(), -order)  # of two that end together, the longer, then the first pattern
                if best is None or key > best_key:
                    best, best_key = (name, m), key
    return best


def listed_years(s: Sentence, i: int, meta: DocMeta, g: Grammar) -> list[int]:
    """The years a list of figures starting at position ``i`` runs over, from the period marker
    before it: 「2019—2021年」, 「2020年、2021年和2022年」, 「2020年以来」 (to the report's last year),
    「十三五期间」; [] when the marker names no run of years."""
    best = marker(s, i, g)
    if not best:
        return []
    name, m = best
    if name == "year_list":
        return [int(y) for y in re.findall(r"(?:19|20)\d{2}", m.group())]
    if name in ("since", "span", "plan_cycle", "recent"):
        ps, pe, _ = period_of(name, m, meta)
        return list(range(ps, pe + 1)) if ps and pe and pe > ps else []
    return []


def period_of(name: str, m: re.Match, meta: DocMeta) -> tuple[int | None, int | None, str]:
    """(first year, last year, rule) a period marker names (``name``: since, span, year, deadline …; ``m`` its match)
    in a document with ``meta``; a year is None when the text leaves it unknown (「自2006年以来」 in an undated
    text)."""
    de = meta.period_end
    if name in PART_YEAR_MARKERS:
        y = m.group("y") or m.groupdict().get("y2")
        y = int(y) if y else de if meta.period_start == de else None
        span = _month_span(m)
        if span == (1, 12):
            rule = "as_of" if m.group("m3") else "year"            # 「截至12月底」, 「1-12月」: the whole year
            return (y, y, rule) if y else (None, None, "")
        if y and span and span[0] == 1 and span[1] >= YEAR_TO_DATE_FROM:
            return y, y, YEAR_TO_DATE     # 「截至11月底」 in a year-end report: the year's figure, with a note
        return y, y, PART_YEAR
    if name == "since":
        y = int(m.group("y"))
        if de is None:
            return y, None, OPEN_SPAN       # 「自2006年以来」 in an undated text: the end is unknown
        if m.group("mo") and int(m.group("mo")) > 1 and y >= de:
            return y, y, PART_YEAR          # 「2021年5月以来」 in a report of 2021: a part of the year
        return y, max(y, de), "since"
    if name == "span":
        return int(m.group("y1")), int(m.group("y2")), "span"
    if name == "year_list":
        ys = [int(y) for y in re.findall(r"(?:19|20)\d{2}", m.group())]
        return min(ys), max(ys), "year_list"
    if name == "deadline":
        y = int(m.group("y") or m.group("y3") or m.group("y4") or m.group("y5"))
        return y, y, "deadline"
    if name in ("year", "as_of"):
        y = int(m.group("y"))
        return y, y, name
    if name == "recent":                  # 「三年来」, 「近五年」: the years up to the report's last
        n = m.group("n") or m.group("n2")
        n = int(n) if n.isdigit() else int(cn_to_number(n))
        return (de - n + 1, de, "recent") if de else (None, None, OPEN_SPAN)
    if name == "plan_cycle":
        first = _CYCLES[m.group("cycle")]
        return (first, first + 4, "plan_cycle") if not m.group().endswith("以来") else (first, max(first, de or first), "since")
    if name == "this_year" and meta.doc_date:
        y = int(meta.doc_date[:4])
        return y, y, "this_year"
    if name == "this_year" and meta.doc_type == "plan" and meta.period_start == meta.period_end:
        return meta.period_start, meta.period_end, "this_year"
    if name == "this_year":
        return None, None, "this_year_unknown"
    if name == "whole_year" and m.group("y"):
        y = int(m.group("y"))             # 「2020年全年」: that year's
        return y, y, "whole_year"
    if name == "whole_year" and meta.doc_type == "annual_report":
        return de, de, "whole_year"
    return None, None, ""


def _month_span(m: re.Match) -> tuple[int, int] | None:
    """(first month, last month) of a ``part_year`` marker that names months (「1-10月」 → (1, 10),
    「5月至当年底」 → (5, 12), 「截至6月底」 → (1, 6)); None for a half or a quarter of a year."""
    def month(word: str) -> int:
        return int(word) if word.isdigit() else int(cn_to_number(word) or 0)
    got = m.groupdict()
    if got.get("m1"):
        return month(got["m1"]), 12
    if got.get("m0"):
        return month(got["m0"]), month(got["m2"])
    if got.get("m3") or got.get("m4"):
        return 1, month(got["m3"] or got["m4"])
    return None


@lru_cache(maxsize=256)
def part_year_title(title: str) -> str:
    """The words of a document's title that name a part of a year (「青石区2023年上半年…工作总结」 →
    「2023年上半年」, 「…1-9月…通报」, 「…第三季度…」): the document summarises that part, so none of
    its actual figures is a year's figure; '' when the title names none (「1-12月」 is the whole year)
    or names a year of its own first (「2022年度…报告及2023年上半年工作打算」)."""
    title = arabic_years(title)
    for name in PART_YEAR_MARKERS:
        for m in grammar().periods[name].finditer(title):
            if _month_span(m) != (1, 12) and not _A_YEAR.search(title, 0, m.start()):
                return m.group()
    return ""


def given_span(meta: DocMeta) -> bool:
    """Whether the document's period is a span of years the user gave at import (not detected)."""
    return "period" not in meta.detected.split(",") and bool(meta.period_start) and meta.period_end != meta.period_start


def period_at(s: Sentence, i: int, meta: DocMeta, g: Grammar, kind: str) -> tuple[int | None, int | None, str]:
    """(first year, last year, rule) of a figure at position ``i`` of sentence ``s``: the nearest period marker
    before it, else the document's period; ``kind`` 'actual' or 'target' (a target's deadline rules differ).
    An actual level moved from right before ``i`` is of the year it names (「从2019年全年的15%」: 2019,
    rule from_year) or of the year before the one in force there (「由上年的60%」 in a 2022 report:
    2021, rule prev_year; not in a part-year summary, whose 「上年」 is the same part of the year before)."""
    fm = g.from_level.search(s.text, max(0, i - 12), i) if kind == "actual" else None
    if fm and fm.group("y"):
        y = int(fm.group("y"))
        return y, y, "from_year"
    if fm and fm.group("prev") and meta.doc_type != "plan" and not part_year_title(meta.title):
        ps, pe, rule = period_at(s, fm.start(), meta, g, kind)
        if ps is not None and ps == pe and rule != PART_YEAR:
            return ps - 1, ps - 1, "prev_year"
    best = marker(s, i, g)
    ds, de = meta.period_start, meta.period_end
    if best:
        ps, pe, rule = period_of(*best, meta)
        if rule == PART_YEAR and kind == "target":     # a deadline within a named year: that year's
            rule = "year" if ps and any(best[1].groupdict().get(k) for k in ("y", "y2")) else ""
        if rule == "this_year_unknown" and kind == "actual":
            rule = ""                     # a figure stated as done 「今年」 is of the report's year
        if rule == "recent" and given_span(meta) and (ps, pe) != (ds, de):
            return ds, de, "given_period"  # 「两年来」 never narrows the span the user gave at import
        if rule:
            return ps, pe, rule
    if kind == "target" and meta.doc_type != "plan" and de:
        # A standing target found in a report holds from the report's last year to the end of
        # the five-year planning cycle that follows it (a 2016–2020 report → 2020–2025).
        return de, five_year_cycle_end(de + 1), "report_target"
    return ds, de, "document"


def scope_at(s: Sentence, i: int, g: Grammar, meta: DocMeta, head: str = "") -> tuple[str, str]:
    """Scope wording before position ``i`` in its clause; when the clause opens with the
    phrasing itself (no subject of its own: 「…出庭应诉54件,负责人出庭应诉率达到64.29%」),
    the previous clause of the same sentence part lends its subject. The scope word of the
    document's own level (全市 of a city, 全省 of a province) is its district scope. A clause that
    opens with another place's name (「成都市行政诉讼败诉率为9.3%」 in 都江堰市's report) is that
    place's figure: level 'elsewhere'. A field named just before the phrasing (「涉企领域」) or a
    sub-actor named before it in the sentence or in ``head`` (the opening sentence of its
    paragraph: 「村（社区）法律顾问」) or a unit below the district named by its own name opening the
    clause (「金桥镇」, 「城南街道」) makes it a part of the total: level 'part'. An average that is a
    comparison's reference ending the words before it (「高于2020年全国平均」, 「全省平均败诉率」:
    ``average_ref``) makes it the reference's figure: the reference's words, level 'city'."""
    part = part_at(s, i, g, head)
    if part:
        return part, "part"
    ref = average_ref(s, s.clause(i)[0], i + 2 if s.text.startswith("平均", i) else i, g, meta, end=True)
    if ref:
        return ref, "city"                    # 「高于全国平均出庭应诉率」: the reference's figure
    words, level = _scope_words(s, i, g, meta)
    if level == "city":
        own = next((w for end, w in g.own_level.items() if meta.district.endswith(end)), None)
        if own and any(re.fullmatch(own, w) for w in words.split("、")):
            return words, "district"
    return words, level


def average_ref(s: Sentence, lo: int, hi: int, g: Grammar, meta: DocMeta | None = None, end: bool = False) -> str:
    """The words of the last average in ``s.text[lo:hi]`` (rules.yaml ``averages``) that is a
    comparison's reference: after a comparison word (「高于全区平均水平」) or a higher level's
    (「2020年全国平均」; 全市平均 in a city's own report is its own, when ``meta`` is given); with
    ``end``, only one that ends at ``hi``. The words without the comparison word, or ''."""
    last = None
    for last in g.averages.finditer(s.text, lo, hi):
        pass
    if last is None or end and last.end() != hi:
        return ""
    top = last.group("top")
    if not last.group("cmp"):
        own = next((w for e, w in g.own_level.items() if meta.district.endswith(e)), None) if meta else None
        if not top or own and re.fullmatch(own, top):
            return ""
    return last.group("ref")


def part_at(s: Sentence, i: int, g: Grammar, head: str = "") -> str:
    """The words that make a phrasing at ``i`` name a part of the place's total: a field ending
    the words before it in its clause (rules.yaml ``parts``), or a sub-actor before it in the
    sentence or in ``head`` (``part_actors``); '' when none."""
    m = g.parts.search(s.text, s.clause(i)[0], i) or g.part_actors.search(s.text, 0, i)
    return m.group() if m else _actor_in(head) if head else ""


@lru_cache(maxsize=64)
def _actor_in(head: str) -> str:
    """The first sub-actor (rules.yaml ``part_actors``) named in ``head``, or '': read once per
    paragraph opening, not once per mention under it."""
    m = grammar().part_actors.search(head)
    return m.group() if m else ""


def _elsewhere(s: Sentence, lo: int, hi: int, g: Grammar, meta: DocMeta) -> str:
    """The name of a place other than the document's own that opens ``s.text[lo:hi]`` (after a
    year or 其中), or ''. 「四川省成都市武侯区」 in 武侯区's report is its own name."""
    m = g.place.match(s.text, lo, hi)
    if not m or not meta.district:
        return ""
    head = s.text[m.start("place"):hi]
    short = _LEVEL_SUFFIX.sub("", meta.district)
    if meta.district in head or (len(short) >= 2 and short in head) or m.group("place") in meta.district:
        return ""
    return m.group("place")


def _scope_words(s: Sentence, i: int, g: Grammar, meta: DocMeta) -> tuple[str, str]:
    a, _ = s.segment(i)
    c0, _ = s.clause(i)
    spans = [(c0, i)]
    if not SUBJECTLESS.sub("", s.text[c0:i]):
        while len(spans) < 4 and c0 - 1 > a:
            lo = max(a, s.clause(c0 - 2)[0])
            spans.append((lo, c0 - 1))
            if len(SUBJECTLESS.sub("", s.text[lo:c0 - 1])) > 14:
                break
            c0 = lo
    for lo, hi in spans:
        place = _elsewhere(s, lo, hi, g, meta)
        if place:
            return place, "elsewhere"
        unit = g.units.match(s.text, lo, hi)
        if unit:
            return unit.group("unit"), "part"     # 「金桥镇人民调解成功率」: that town's figure
        hits = [(m.lastgroup, m.group()) for m in g.scope_re.finditer(s.text, lo, hi)]
        if hits:
            levels = {h[0] for h in hits}
            words = "、".join(dict.fromkeys(h[1] for h in hits))
            if "city" in levels:
                return words, "city"          # 「全市行政机关」: the higher level's agencies
            if {"government", "departments"} <= levels:
                return words, "district"
            return words, min(levels, key=lambda l: g.scope_rank.get(l, 9))
    return "", "unstated"
