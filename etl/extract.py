"""Figures and targets of one document: catalog phrasings + a grammar of numbers, units,
periods and scopes. Pure functions of (text, metadata, catalog): no I/O.

Pipeline per sentence (split at 。！？ and hard line breaks):
  1. find catalog phrasings (longest first); a generic phrasing (成功率, 满意率 …) counts only
     when one of its context words stands in the same sentence part (split at ；);
  2. bind each phrasing to the first figure after it in the same clause (split at ，：；) whose
     unit fits the indicator's unit (件 for counts, % for rates …), or to a value word
     (全覆盖 = 100 %, 为零 = 0), or, where the catalog allows, to the nearest figure before it;
  3. period: the nearest period marker before it in the sentence (「2016年以来」, 「2020年度」,
     「全年」, 「到2022年底」), else the document's period;
  4. scope: the nearest scope wording before it in its sentence part (全区, 区政府, 区级行政机关 …);
  5. kind: every figure of a plan is a target; in a report a figure is a target only after a
     target cue (不得低于, 力争 …).
Then per (indicator, period) one fact is kept: the broadest scope, first mention; figures of
complementary scopes (区政府 + 部门、镇街) of an additive indicator are summed; rates missing from
the text are derived from their counts. Change statements (「同比上升18.51%」) become flags.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace

from etl.catalog import Catalog, Indicator, load_catalog, load_rules
from etl.documents import DocMeta, format_period
from etl.numbers import Figure, convert, figures
from etl.text import Normalised

_SENTENCE_END = re.compile(r"[。!?\n]")
_CLAUSE_SEP_RE = re.compile("[,;:]")
_SEGMENT_SEP_RE = re.compile(";")
# What may stand before a phrasing in a clause that has no subject of its own.
_SUBJECTLESS = re.compile(r"\d+(?:\.\d+)?[件项次名人个条%]?|已|共|其中|中|并|且|均|累计|审结|办结|结案|实现|达到?")
_CYCLES = {"十二五": 2011, "十三五": 2016, "十四五": 2021}
_CHANGE_BEFORE = re.compile(r"(?:增加|减少|增长|下降|上升|提高|降低|增|减|(?<![至最不])[多少])了?$")
_DENOMINATOR = re.compile(r"(?:审结|结案|判决|办结|已结)(\d+)件")


@dataclass
class Mention:
    indicator: str
    kind: str                     # actual | target
    value: float | None
    unit: str
    qualifier: str = "exact"
    comparator: str = ""
    relative: bool = False
    reference: str = ""
    period_start: int | None = None
    period_end: int | None = None
    scope: str = ""
    scope_level: str = "unstated"
    start: int = 0                # span in the normalised text
    end: int = 0
    rule: str = ""
    numerator: float | None = None
    denominator: float | None = None
    derived: bool = False
    formula: str = ""
    inputs: str = ""
    note: str = ""
    sentence: int = 0
    pos: int = 0
    status: str = "kept"

    @property
    def period(self) -> str:
        return format_period(self.period_start, self.period_end)

    def add_note(self, text: str) -> None:
        self.note = f"{self.note}；{text}" if self.note else text


@dataclass
class Extraction:
    meta: DocMeta
    norm: Normalised
    facts: list = field(default_factory=list)
    targets: list = field(default_factory=list)
    mentions: list = field(default_factory=list)
    flags: list = field(default_factory=list)

    def quote(self, m: Mention) -> str:
        return self.norm.text[m.start:m.end]

    def raw_span(self, m: Mention) -> tuple[int, int]:
        return self.norm.raw_span(m.start, m.end)


@dataclass(frozen=True)
class _Grammar:
    scope_re: re.Pattern
    scope_rank: dict
    periods: dict
    comparator_cue: re.Pattern    # a cue ending the text before a figure: group ge or le
    target_cue: re.Pattern
    negation: re.Pattern
    value_words: dict
    value_word_re: re.Pattern
    relative: tuple
    change: re.Pattern
    concluded: re.Pattern
    received: re.Pattern
    carried_over: re.Pattern
    list_joint: re.Pattern        # what may stand between two figures of one list
    elliptic: re.Pattern          # a clause's words before its figure that continue with another year
    from_level: re.Pattern        # 「由12.3%降至8.4%」: before the figure that is the old level …
    to_level: re.Pattern          # … and after it
    basis: re.Pattern             # 「较上年的52件」: before a figure that is a comparison's basis
    own_level: dict               # the district name's ending → the scope word of its own level
    procedures: re.Pattern        # one procedure's name (开办企业 …)
    share_clause: re.Pattern      # 「，占比94.1%」: the share of the items counted just before
    level_clause: re.Pattern      # 「…同比提高8个百分点，达到96.8%」: the level after a change


_GRAMMAR: _Grammar | None = None


def grammar() -> _Grammar:
    global _GRAMMAR
    if _GRAMMAR is None:
        r = load_rules()
        scope_re = re.compile("|".join(f"(?P<{s['level']}>{s['pattern']})" for s in r["scopes"]))
        vw = {k: float(v) for k, v in r["value_words"].items()}
        _GRAMMAR = _Grammar(
            scope_re=scope_re, scope_rank=r["scope_rank"], periods={k: re.compile(v) for k, v in r["periods"].items()},
            comparator_cue=re.compile(f"(?:(?P<ge>{r['at_least']})|(?P<le>{r['at_most']}))$"),
            target_cue=re.compile(r["target_cues"]), negation=re.compile(f"(?:{r['negations']})$"), value_words=vw,
            value_word_re=re.compile("|".join(sorted(map(re.escape, vw), key=len, reverse=True))),
            relative=tuple((x["comparator"], re.compile(x["pattern"])) for x in r["relative"]),
            change=re.compile(r["change"]), concluded=re.compile(r["concluded_words"]),
            received=re.compile(r["received_words"]), carried_over=re.compile(r["carried_over"]),
            list_joint=re.compile(r["list_joint"]), elliptic=re.compile(r["elliptic"]),
            from_level=re.compile(f"(?:{r['from_level']})$"), to_level=re.compile(r["to_level"]),
            basis=re.compile(f"(?:{r['basis']})$"), own_level=dict(r["own_level"]),
            procedures=re.compile(r["procedures"]), share_clause=re.compile(r["share_clause"]),
            level_clause=re.compile(r["level_clause"]))
    return _GRAMMAR


def five_year_cycle_end(year: int) -> int:
    """End of the five-year planning cycle (2016–2020, 2021–2025 …) that contains ``year``."""
    return 2016 + ((year - 2016) // 5) * 5 + 4


class _Sentence:
    def __init__(self, text: str, offset: int):
        self.text, self.offset = text, offset
        self.seps = [m.start() for m in _CLAUSE_SEP_RE.finditer(text)]
        self.segs = [m.start() for m in _SEGMENT_SEP_RE.finditer(text)]
        self.figs = figures(text)

    def clause(self, i: int) -> tuple[int, int]:
        k = bisect.bisect_right(self.seps, i)
        return (self.seps[k - 1] + 1 if k else 0), (self.seps[k] if k < len(self.seps) else len(self.text))

    def segment(self, i: int) -> tuple[int, int]:
        k = bisect.bisect_right(self.segs, i)
        return (self.segs[k - 1] + 1 if k else 0), (self.segs[k] if k < len(self.segs) else len(self.text))


def extract(meta: DocMeta, norm: Normalised, catalog: Catalog | None = None) -> Extraction:
    cat = catalog or load_catalog()
    g = grammar()
    ex = Extraction(meta, norm)
    raw_mentions: list[Mention] = []
    text = norm.text
    for si, m in enumerate(_iter_sentences(text)):
        if not cat.phrase_re.search(text, m[0], m[1]):
            continue                              # no phrasing: nothing to find (most sentences)
        s = _Sentence(text[m[0]:m[1]], m[0])
        raw_mentions.extend(_sentence_mentions(s, si, meta, cat, g, ex))
    _select(ex, raw_mentions, cat)
    return ex


def _iter_sentences(text: str):
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if m.start() > start:
            yield start, m.start()
        start = m.end()
    if start < len(text):
        yield start, len(text)


def _choose_phrase(cands, s: _Sentence, i: int):
    """The claim of the wording at ``i`` whose context fits: a claim without context words, else
    the one whose context word stands nearest before it in its sentence part (split at ；), else
    after it in that part, else, for a rate (…率, …度), nearest before it in the sentence's earlier
    parts (the sentence's subject: 「办理代表建议和委员提案186件；代表委员满意率达100%」; a count
    such as 办结 has its own subject in its part); None when none fits."""
    a, b = s.segment(i)
    seg = s.text[a:b]
    cands = [p for p in cands if not any(w in seg for w in p.unless)]
    free = [p for p in cands if not p.context]
    if free:
        return free[0]
    best, best_d = None, None
    for p in cands:
        for w in p.context:
            k = s.text.find(w, 0 if p.text[-1] in "率度" else a, b)
            while k >= 0:
                d = i - k
                if k < a:
                    d += 20_000                   # an earlier part of the sentence counts least
                elif d < 0:
                    d = 10_000 - d                # a context word after the phrasing counts less
                if best_d is None or d < best_d:
                    best, best_d = p, d
                k = s.text.find(w, k + 1, b)
    return best


def _marker(s: _Sentence, i: int, g: _Grammar):
    """The period marker nearest before position ``i`` in the sentence (of two that end
    together, the longer: 「2020年、2021年和2022年」 rather than its 「2022年」): (name, match) or None."""
    best = None
    for name, rx in g.periods.items():
        for m in rx.finditer(s.text, 0, i):
            if best is None or (m.end(), -m.start()) > (best[1].end(), -best[1].start()):
                best = (name, m)
    return best


def _listed_years(s: _Sentence, i: int, meta: DocMeta, g: _Grammar) -> list[int]:
    """The years a list of figures starting at position ``i`` runs over, from the period marker
    before it: 「2019—2021年」, 「2020年、2021年和2022年」, 「2020年以来」 (to the report's last year),
    「十三五期间」; [] when the marker names no run of years."""
    best = _marker(s, i, g)
    if not best:
        return []
    name, m = best
    if name == "year_list":
        return [int(y) for y in re.findall(r"(?:19|20)\d{2}", m.group())]
    if name in ("since", "span", "plan_cycle"):
        ps, pe, _ = _period_of(name, m, meta)
        return list(range(ps, pe + 1)) if ps and pe and pe > ps else []
    return []


def _period_of(name: str, m: re.Match, meta: DocMeta) -> tuple[int | None, int | None, str]:
    de = meta.period_end
    if name == "since":
        y = int(m.group("y"))
        return y, max(y, de or y), "since"
    if name == "span":
        return int(m.group("y1")), int(m.group("y2")), "span"
    if name == "year_list":
        ys = [int(y) for y in re.findall(r"(?:19|20)\d{2}", m.group())]
        return min(ys), max(ys), "year_list"
    if name == "deadline":
        y = int(m.group("y") or m.group("y3") or m.group("y4"))
        return y, y, "deadline"
    if name in ("year", "as_of"):
        y = int(m.group("y"))
        return y, y, name
    if name == "plan_cycle":
        first = _CYCLES[m.group("cycle")]
        return (first, first + 4, "plan_cycle") if not m.group().endswith("以来") else (first, max(first, de or first), "since")
    if name == "whole_year" and meta.doc_type == "annual_report":
        return de, de, "whole_year"
    return None, None, ""


def _period(s: _Sentence, i: int, meta: DocMeta, g: _Grammar, kind: str) -> tuple[int | None, int | None, str]:
    best = _marker(s, i, g)
    ds, de = meta.period_start, meta.period_end
    if best:
        ps, pe, rule = _period_of(*best, meta)
        if rule:
            return ps, pe, rule
    if kind == "target" and meta.doc_type != "plan" and de:
        # A standing target found in a report holds from the report's last year to the end of
        # the five-year planning cycle that follows it (a 2016–2020 report → 2020–2025).
        return de, five_year_cycle_end(de + 1), "report_target"
    return ds, de, "document"


def _scope(s: _Sentence, i: int, g: _Grammar, meta: DocMeta) -> tuple[str, str]:
    """Scope wording before position ``i`` in its clause; when the clause opens with the
    phrasing itself (no subject of its own: 「…出庭应诉54件,负责人出庭应诉率达到64.29%」),
    the previous clause of the same sentence part lends its subject. The scope word of the
    document's own level (全市 of a city, 全省 of a province) is its district scope."""
    words, level = _scope_words(s, i, g)
    own = next((w for end, w in g.own_level.items() if meta.district.endswith(end)), None)
    if own and level == "city" and own in words.split("、"):
        return words, "district"
    return words, level


def _scope_words(s: _Sentence, i: int, g: _Grammar) -> tuple[str, str]:
    a, _ = s.segment(i)
    c0, _ = s.clause(i)
    spans = [(c0, i)]
    if not _SUBJECTLESS.sub("", s.text[c0:i]):
        while len(spans) < 4 and c0 - 1 > a:
            lo = max(a, s.clause(c0 - 2)[0])
            spans.append((lo, c0 - 1))
            if len(_SUBJECTLESS.sub("", s.text[lo:c0 - 1])) > 14:
                break
            c0 = lo
    for lo, hi in spans:
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


def _after(s: _Sentence, pm: re.Match, c1: int, respectively: dict, g: _Grammar):
    """Figures after a phrasing in its clause, skipping those that state a change
    (「较上年减少12件」) or a count carried over (「上年结转14件」); under 「分别」 only the
    figure paired with this phrasing."""
    if pm.start() in respectively:
        return [respectively[pm.start()]]
    out, lo = [], pm.end()
    for f in s.figs:
        if pm.end() <= f.start < c1 and not _CHANGE_BEFORE.search(s.text[max(0, f.start - 4):f.start]) \
                and not g.carried_over.search(s.text, lo, f.start) and not _old_level(s, f, g):
            out.append(f)
        lo = max(lo, f.end)
    return out


def _old_level(s: _Sentence, f: Figure, g: _Grammar) -> bool:
    """The figure a level moved from (「由12.3%降至8.4%」: 12.3) or a comparison's basis
    (「较上年的52件」), not the level reached."""
    lo = max(0, f.start - 12)
    return bool(g.basis.search(s.text, lo, f.start)
                or g.from_level.search(s.text, lo, f.start) and g.to_level.match(s.text, f.end))


def _respectively(s: _Sentence, cat: Catalog) -> dict:
    """「A、B分别为32件、17件」: the k-th phrasing before 分别 takes the k-th figure after it."""
    out = {}
    for m in re.finditer("分别", s.text):
        c0, c1 = s.clause(m.start())
        phrases = [pm for pm in cat.phrase_re.finditer(s.text, c0, m.start())]
        figs = [f for f in s.figs if m.end() <= f.start < c1]
        if len(phrases) > 1 and len(phrases) == len(figs):
            out.update({pm.start(): f for pm, f in zip(phrases, figs)})
    return out


def _fits(ind: Indicator, f: Figure, cat: Catalog) -> float | None:
    return convert(f.value, f.unit, ind.unit, cat.units)


def _stated_comparator(s: _Sentence, f_start: int, post: str, lo: int, g: _Grammar) -> str:
    """The comparator the words around a figure state: a cue just before it (the longest cue
    wins: 不超过 is ``<=`` although it ends with 超过), else a word just after it (以上 / 以下);
    '' when none."""
    before = s.text[max(lo, f_start - 10):f_start]
    m = g.comparator_cue.search(before) or g.comparator_cue.search(re.sub(r"(?:达到?|为|是|保持)$", "", before))
    if m:
        return ">=" if m.group("ge") else "<="
    if post in ("以上", "及以上"):
        return ">="
    if post in ("以下", "以内"):
        return "<="
    return ""


def _comparator(s: _Sentence, f_start: int, post: str, lo: int, ind: Indicator, g: _Grammar) -> str:
    """A target's comparator: as stated, else from the indicator's direction."""
    return _stated_comparator(s, f_start, post, lo, g) or ("<=" if ind.direction == "lower" else ">=")


@dataclass
class _Binding:
    """The value a phrasing binds to: a figure, a value word or the phrasing itself."""
    value: float | None
    rule: str
    start: int                    # span of the value in the sentence
    end: int
    fig: Figure | None = None
    listed: tuple = ()            # two or more figures in a list (「分别为82%、90.5%、97%」)


def _bind(p, ind: Indicator, s: _Sentence, pm: re.Match, c0: int, c1: int, respectively: dict,
          cat: Catalog, g: _Grammar) -> _Binding | None:
    if p.zero:
        return _Binding(0.0, "zero_phrase", pm.start(), pm.end())
    if p.value is not None:
        return _Binding(float(p.value), "implied_value", pm.start(), pm.end())
    vw = g.value_word_re.search(s.text, pm.end(), c1) if ind.unit == "%" else None
    after = _after(s, pm, c1, respectively, g)
    for i, f in enumerate(after):
        if vw is not None and f.start >= vw.start():
            break
        v = _fits(ind, f, cat)
        if v is not None:
            listed = () if pm.start() in respectively else _listed(s, after[i:], ind, cat, g)
            return _Binding(v, "phrase_figure", f.start, f.end, f, listed)
    if vw is not None and not g.negation.search(s.text[max(c0, vw.start() - 2):vw.start()]):
        return _Binding(g.value_words[vw.group()], "phrase_value_word", vw.start(), vw.end())
    if c1 < len(s.text):
        # The next clause gives the value and nothing else: the share of the items counted
        # (「全程网办事项达1523项，占比94.1%」) or the level after a change (「…提高8个百分点，达到96.8%」).
        hi = s.clause(c1 + 1)[1]
        figs = [f for f in s.figs if c1 < f.start < hi]
        if len(figs) == 1 and figs[0].end == hi:
            for rule, rx in (("share_clause", g.share_clause if ind.unit == "%" else None), ("level_clause", g.level_clause)):
                if rx is not None and rx.fullmatch(s.text, c1 + 1, figs[0].start):
                    v = _fits(ind, figs[0], cat)
                    if v is not None:
                        return _Binding(v, rule, figs[0].start, figs[0].end, figs[0])
    if p.before:
        for f in reversed(s.figs):
            if c0 <= f.start < pm.start():
                v = _fits(ind, f, cat)
                if v is not None:
                    return _Binding(v, "figure_phrase", f.start, f.end, f)
    return None


def _listed(s: _Sentence, figs: list, ind: Indicator, cat: Catalog, g: _Grammar) -> tuple:
    """The figures of a list starting at ``figs[0]`` (joined by 、 和 及 与 only), when there are
    two or more of the indicator's unit; () otherwise."""
    out = [figs[0]]
    for f in figs[1:]:
        if not g.list_joint.fullmatch(s.text, out[-1].end, f.start) or _fits(ind, f, cat) is None:
            break
        out.append(f)
    return tuple(out) if len(out) > 1 else ()


def _elliptic(s: _Sentence, c1: int, ind: Indicator, cat: Catalog, g: _Grammar):
    """Clauses that go on with another year of the same indicator and nothing else
    (「…败诉率为9.8%，2022年为7.1%，2023年为5.0%」): (year, figure) pairs, in order."""
    pos = c1
    while pos < len(s.text):
        lo, hi = pos + 1, s.clause(pos + 1)[1]
        figs = [f for f in s.figs if lo <= f.start < hi]
        if len(figs) != 1 or figs[0].end != hi or _fits(ind, figs[0], cat) is None:
            return
        m = g.elliptic.fullmatch(s.text, lo, figs[0].start)
        if not m:
            return
        yield int(m.group("y")), figs[0]
        pos = hi


class _Sentences:
    """Builds the mentions of one sentence; holds what every phrasing of it shares."""

    def __init__(self, s: _Sentence, si: int, meta: DocMeta, cat: Catalog, g: _Grammar, ex: Extraction):
        self.s, self.si, self.meta, self.cat, self.g, self.ex = s, si, meta, cat, g, ex

    def flag(self, indicator: str, period: str, kind: str, message: str, a: int, b: int) -> None:
        s = self.s
        self.ex.flags.append({"indicator": indicator, "period": period, "kind": kind, "message": message,
                              "start": s.offset + a, "end": s.offset + b,
                              "quote": self.ex.norm.text[s.offset + a:s.offset + b]})

    def mention(self, ind: Indicator, pm: re.Match, b: _Binding, status: str,
                year: int | None = None) -> Mention | None:
        """One mention of ``ind`` named at ``pm`` with value ``b`` (for ``year`` when given);
        None when nothing can be stated (no value and no relative target)."""
        s, g, meta = self.s, self.g, self.meta
        c0, c1 = s.clause(pm.start())
        value, rule, vstart, vend = b.value, b.rule, b.start, b.end
        qualifier, post = (b.fig.qualifier, b.fig.post) if b.fig else ("exact", "")
        lo = c0 if vstart >= c0 else s.clause(vstart)[0]
        if b.fig is not None:
            stated = _stated_comparator(s, vstart, post, lo, g)
            if stated:
                # 「不超过3件」 is at most although the numeral grammar reads 超过 as "more than"
                qualifier = "at_least" if stated == ">=" else "at_most"
        # A target cue anywhere earlier in the sentence (「力争…，…控制在5%以内」) governs it.
        kind = "target" if meta.doc_type == "plan" or g.target_cue.search(s.text, 0, vstart) else "actual"
        comparator, relative, reference = "", False, ""
        if value is None:
            if kind != "target":
                return None
            for comp, rx in g.relative:
                rm = rx.search(s.text, pm.end(), c1)
                if rm:
                    comparator, relative, reference, rule = comp, True, rm.group("ref"), "relative"
                    vstart, vend = rm.start(), rm.end()
                    break
            if not relative:
                return None
        elif kind == "target":
            comparator = _comparator(s, vstart, post, lo, ind, g)
            if qualifier in ("at_least", "at_most"):
                qualifier = "exact"
        first, last = min(pm.start(), vstart), max(pm.end(), vend)
        if year is not None:
            ps, pe, prule = year, year, "list_year"
        else:
            ps, pe, prule = _period(s, vstart if vstart > pm.start() else first, meta, g, kind)
        scope, level = _scope(s, pm.start(), g, meta)
        q0, _ = s.clause(first)
        _, q1 = s.clause(max(last - 1, first))
        m = Mention(ind.id, kind, value, ind.unit, qualifier, comparator, relative, reference, ps, pe, scope, level,
                    s.offset + q0, s.offset + q1, f"{rule}+{prule}", sentence=self.si,
                    pos=s.offset + pm.start() + (vstart - pm.start() if year is not None else 0), status=status)
        if kind == "actual" and meta.doc_type != "plan" and meta.period_end and ps and ps > meta.period_end \
                and m.status == "kept":
            m.status = ("superseded: 年份在报告期之后且没有目标用语，不作为实际数或目标 "
                        "(a year after the report's period without a target cue)")
            self.flag(ind.id, m.period, "future_year",
                      f"{m.period}年的数值出现在{meta.period}年的报告中，且没有目标用语，未采用 "
                      f"(a year after the report's period without a target cue; not used)", q0, q1)
        if value is not None and ind.unit == "%" and not 0 <= value <= 100 and m.status == "kept":
            m.status = f"superseded: 比率 {_fmt(value)}% 超出 0–100 (rate out of range)"
            self.flag(ind.id, m.period, "out_of_range", f"比率 {_fmt(value)}% 超出 0–100，未采用 (rate out of range; not used)",
                      q0, q1)
        return m

    def run(self) -> list[Mention]:
        s, cat, g = self.s, self.cat, self.g
        out: list[Mention] = []
        named: list[tuple[int, str]] = []
        respectively = _respectively(s, cat)
        for pm in cat.phrase_re.finditer(s.text):
            p = _choose_phrase(cat.candidates(pm.group()), s, pm.start())
            if p is None:
                continue
            named.append((pm.start(), p.indicator))
            ind = cat.indicators[p.indicator]
            c0, c1 = s.clause(pm.start())
            status = "kept"
            lead = s.text[c0:pm.start()]
            if ind.concluded and g.concluded.search(lead) and not g.received.search(lead):
                ind = cat.indicators[ind.concluded]   # 「审结行政复议案件977件」: concluded, not received
            if g.carried_over.search(lead):
                status = "superseded: 上年结转的数，不是本年数 (carried over from the year before)"
            b = _bind(p, ind, s, pm, c0, c1, respectively, cat, g) or _Binding(None, "", pm.start(), pm.end())
            if ind.whole_district and status == "kept":
                lo = max([c0] + [f.end for f in s.figs if c0 <= f.end <= pm.start()])
                proc = g.procedures.search(s.text, lo, pm.start())
                if proc:
                    status = (f"superseded: 单一事项（{proc.group()}）的数值，不是全区的指标 "
                              f"(one procedure's figure, not the district's)")
            if b.listed:
                out.extend(self.listed(ind, pm, b, status))
                continue
            m = self.mention(ind, pm, b, status)
            if m is None:
                continue
            if p.zero:
                self.zero_counts(m, pm, c0)
            out.append(m)
            if b.fig is not None and b.rule == "phrase_figure":
                for year, f in _elliptic(s, c1, ind, cat, g):
                    v = _fits(ind, f, cat)
                    e = self.mention(ind, pm, _Binding(v, "elliptic_year", f.start, f.end, f), status, year)
                    if e is not None:
                        out.append(e)
        _change_flags(s, out, named, cat, g, self.ex)
        return out

    def listed(self, ind: Indicator, pm: re.Match, b: _Binding, status: str) -> list[Mention]:
        """A list of figures after one phrasing: one figure per year when the sentence names as
        many years (「2019—2021年…分别为82%、90.5%、97%」); otherwise a flag and no figure."""
        s = self.s
        years = _listed_years(s, b.listed[0].start, self.meta, self.g)
        c0, c1 = s.clause(pm.start())
        if years and len(years) == len(b.listed):
            out = []
            for y, f in zip(years, b.listed):
                m = self.mention(ind, pm, _Binding(_fits(ind, f, self.cat), "list_by_year", f.start, f.end, f), status, y)
                if m is not None:
                    out.append(m)
            return out
        said = f"{len(years)} 个年份" if years else "没有对应的年份"
        period = format_period(years[0], years[-1]) if years else self.meta.period
        self.flag(ind.id, period, "list_mismatch",
                  f"{len(b.listed)} 个数值，{said}，不能一一对应，未采用 "
                  f"({len(b.listed)} values, {len(years) or 'no'} years: not paired, not used)",
                  c0, c1)
        return []

    def zero_counts(self, m: Mention, pm: re.Match, c0: int) -> None:
        """「已审结15件中无败诉案件」: a nil rate of 0 out of the concluded count."""
        dm = None
        for dm in _DENOMINATOR.finditer(self.s.text, c0, pm.start()):
            pass
        if dm:
            m.numerator, m.denominator = 0.0, float(dm.group(1))
            m.derived, m.formula = True, f"0 / {dm.group(1)}：{dm.group()}中{pm.group()}"


def _sentence_mentions(s: _Sentence, si: int, meta: DocMeta, cat: Catalog, g: _Grammar, ex: Extraction):
    return _Sentences(s, si, meta, cat, g, ex).run()


def _change_flags(s: _Sentence, mentions: list, named: list, cat: Catalog, g: _Grammar, ex: Extraction):
    """Change statements (「同比上升18.51%」, 「提高12个百分点」, 「减少15件」) of the nearest indicator
    named before them: kept as flags, never turned into a figure of the indicator."""
    for cm in g.change.finditer(s.text):
        before = [ind for pos, ind in named if pos < cm.start()]
        if not before:
            continue
        ind = cat.indicators[before[-1]]
        unit = cm.group("unit")
        if unit == "个百分点":
            kind, msg = "change_points", f"「{cm.group()}」：以百分点表示的变化，未并入数值 (change in points)"
        elif unit == "%" and ind.unit == "%":
            kind = "ambiguous_change"
            msg = (f"「{cm.group()}」：比率的变化，未说明是百分点还是百分比，未换算为数值 "
                   f"(ambiguous: points or percent; not converted)")
        elif unit == "%":
            kind, msg = "change_percent", f"「{cm.group()}」：相对变化，未并入数值 (relative change)"
        else:
            kind, msg = "change_count", f"「{cm.group()}」：增减量，未并入数值 (change in count)"
        a, b = s.offset + cm.start(), s.offset + cm.end()
        related = [m for m in mentions if m.indicator == ind.id]
        period = related[-1].period if related else format_period(ex.meta.period_start, ex.meta.period_end)
        for m in related[-1:]:
            m.add_note(msg)
        ex.flags.append({"indicator": ind.id, "period": period, "kind": kind, "message": msg,
                         "start": a, "end": b, "quote": ex.norm.text[s.offset + s.clause(cm.start())[0]:b]})


def _select(ex: Extraction, mentions: list[Mention], cat: Catalog) -> None:
    g = grammar()
    rank = g.scope_rank
    actual: dict = {}
    for m in mentions:
        ex.mentions.append(m)
        if m.status != "kept":
            continue
        if m.kind == "actual":
            actual.setdefault((m.indicator, m.period_start, m.period_end), []).append(m)
            continue
        key = (m.indicator, m.period_start, m.period_end, m.comparator, m.relative)
        if any((t.indicator, t.period_start, t.period_end, t.comparator, t.relative) == key for t in ex.targets):
            m.status = "superseded: 同一目标的重复表述 (repeated target)"
        else:
            ex.targets.append(m)
    for key, group in actual.items():
        ind = cat.indicators[key[0]]
        for m in group:
            if m.scope_level == "city":
                m.status = "superseded: 上级（全市/全省）的数值，不是本级的数据 (figure of a higher level)"
        group = [m for m in group if m.status == "kept"]
        if not group:
            continue
        group.sort(key=lambda m: (rank.get(m.scope_level, 9), m.pos))
        best = group[0]
        if ind.additive and best.scope_level in ("government", "departments"):
            parts = _complementary(group)
            if parts:
                best = _sum(parts, ind)
                for p in parts:
                    p.status = "superseded: 已合并为全区合计 (summed into a district total)"
                ex.mentions.append(best)
        for m in group:
            if m is best or m.status != "kept":
                continue
            same = rank.get(m.scope_level, 9) == rank.get(best.scope_level, 9)
            if same and m.value != best.value:
                m.status = f"superseded: 同一文件同一范围另有数值 {_fmt(best.value)} (conflicting mention)"
                best.add_note(f"同一文件另有数值 {_fmt(m.value)}（{ex.quote(m)}）")
            elif same:
                m.status = "superseded: 重复表述 (repeated)"
            else:
                m.status = f"superseded: 范围较窄（{m.scope or '未说明'}），保留{best.scope or '未说明范围'}的数值 (narrower scope)"
        ex.facts.append(best)
    _derive_ratios(ex, cat)
    ex.facts.sort(key=lambda m: m.pos)
    ex.targets.sort(key=lambda m: m.pos)


def _complementary(group: list[Mention]) -> list[Mention]:
    """Mentions in one sentence whose scopes are 区政府 and 部门/镇街: parts of a district total."""
    by_sentence: dict = {}
    for m in group:
        by_sentence.setdefault(m.sentence, []).append(m)
    for parts in by_sentence.values():
        levels = {m.scope_level for m in parts}
        if levels == {"government", "departments"}:
            return sorted(parts, key=lambda m: m.pos)
    return []


def _sum(parts: list[Mention], ind: Indicator) -> Mention:
    total = sum(p.value for p in parts)
    return replace(parts[0], value=total, scope="、".join(p.scope for p in parts), scope_level="district",
                   start=min(p.start for p in parts), end=max(p.end for p in parts), derived=True,
                   rule="derived_sum", formula=" + ".join(_fmt(p.value) for p in parts),
                   qualifier="approximate" if any(p.qualifier != "exact" for p in parts) else "exact",
                   inputs=" | ".join(f"{p.scope}: {_fmt(p.value)}" for p in parts), status="kept")


def _derive_ratios(ex: Extraction, cat: Catalog) -> None:
    by_key = {(m.indicator, m.period_start, m.period_end): m for m in ex.facts}
    for ind in cat.indicators.values():
        ratio = ind.derive.get("ratio")
        if not ratio:
            continue
        periods = {(k[1], k[2]) for k in by_key if k[0] == ratio[1]}
        for ps, pe in sorted(periods, key=lambda p: (p[0] or 0, p[1] or 0)):
            num, den = by_key.get((ratio[0], ps, pe)), by_key.get((ratio[1], ps, pe))
            if not num or not den or not den.value:
                continue
            value = round(num.value / den.value * 100, ind.decimals)
            formula = f"{_fmt(num.value)} / {_fmt(den.value)} × 100"
            stated = by_key.get((ind.id, ps, pe))
            if stated is not None:
                if stated.numerator is None and abs((stated.value or 0) - value) <= 0.6:
                    stated.numerator, stated.denominator = num.value, den.value
                elif abs((stated.value or 0) - value) > 0.6:
                    stated.add_note(f"由计数推算为 {_fmt(value)}%（{formula}），与所述不一致")
                continue
            first, last = (num, den) if num.start <= den.start else (den, num)
            start, end = first.start, last.end
            if first.sentence != last.sentence:
                end = first.end
            fact = Mention(ind.id, "actual", value, ind.unit, "exact", period_start=ps, period_end=pe,
                           scope=den.scope, scope_level=den.scope_level, start=start, end=max(end, first.end),
                           rule="derived_ratio", numerator=num.value, denominator=den.value, derived=True,
                           formula=formula,
                           inputs=f"{ratio[0]}: {ex.quote(num)} | {ratio[1]}: {ex.quote(den)}",
                           sentence=first.sentence, pos=max(num.pos, den.pos))
            ex.facts.append(fact)
            ex.mentions.append(fact)


def _fmt(v: float | None) -> str:
    if v is None:
        return ""
    return f"{v:.4f}".rstrip("0").rstrip(".") if v != int(v) else str(int(v))
