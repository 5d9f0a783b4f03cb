"""Mentions of one sentence: catalog phrasings bound to their values.

In: a Sentence, its index, the document's metadata, the catalog, the grammar, the Extraction
(flags are appended to it). Out: a list of Mention, one per phrasing that binds a value (or a
relative target), with a status of etl.schema.STATUSES, 'kept' or why not (a figure of one procedure, a count
carried over, a rate outside 0–100, a year after the report's period without a target cue).

  1. phrasings, longest first; a generic one (成功率, 满意率 …) counts only with a context word in
     its sentence part, or, for a rate, earlier in the sentence;
  2. value: the first figure after it in its clause whose unit fits (not a change, not a basis
     of comparison, not a level moved from), a value word (全覆盖), the next clause when it holds
     only the value (「，占比94.1%」, 「，达到96.8%」, 「，援助各类案件1200件」), or a figure before it
     where the catalog allows; a concluded word before or just after the figure makes a received
     count the concluded one; one figure is one mention of an indicator;
  3. a list of figures gives one figure per year only when the sentence names as many years (or
     per scope, 「区政府和部门…分别为」, as many scopes), else a flag; elliptic clauses
     (「，2022年为7.1%」, 「，其中新收72件」) go on with the same indicator; a count handled (办理) is
     not the count received when the sentence gives that one (新收, 受理), nor are applications
     (收到申请) when the count accepted follows, in the sentence or opening the next one
     (「…申请500件。受理460件」);
  4. kind: a plan's figures are targets; a report's only after a target cue; comparator from the
     longest cue (不超过 is <=); a figure after an average referred to (「高于全国平均水平（41.8%）」) is
     the reference's, not the place's;
  5. a change statement is a flag of the nearest indicator before it, unless a subject outside the
     catalog stands in between (「…；矛盾纠纷化解率36.3%，同比提高8.4个百分点」).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from itertools import chain

from etl.catalog import Catalog, Indicator
from etl.documents import DocMeta, format_period
from etl.grammar import SENTENCE_END, Grammar, Sentence, compile_fast, has_target_cue, nil_outcomes_re, once
from etl.model import Extraction, Mention, fmt
from etl.numbers import Figure, convert
from etl.periods import (OPEN_SPAN, PART_YEAR, SUBJECTLESS, YEAR_TO_DATE, average_ref, listed_years, marker,
                         part_year_title, period_at, scope_at)

_PUNCT = re.compile(r"[,;:、]")
_HEADING = re.compile(r"(?:[一二三四五六七八九十]{1,3}、|\([一二三四五六七八九十\d]{1,3}\)|\d{1,2}[、.])")
_HEADING_LINE = 30                                # the longest line read as a heading alone
KEPT = ("kept", "")                              # a status code of etl.schema.STATUSES and its detail
CARRIED_OVER = ("carried_over", "")
_DENOMINATOR = re.compile(r"(?:审结|结案|判决|办结|已结)(\d+)[件宗起]")
_COPULA_END = re.compile(r"(?:达到?|为|是|保持)$")                # before a figure, after its comparator cue
_TIME_WORDS = compile_fast(r"(?:19|20)\d{2}年度?|全年|本年度?|今年|年内")  # no subject of a clause


def _choose_phrase(text: str, s: Sentence, i: int, cat: Catalog):
    """The claim of the wording ``text`` at ``i`` whose context fits: a claim without context words, else
    the one whose context word stands nearest before it in its sentence part (split at ；), else
    after it in that part, else, for a rate (…率, …度), nearest before it in the sentence's earlier
    parts (the sentence's subject: 「办理代表建议和委员提案186件；代表委员满意率达100%」; a count
    such as 办结 has its own subject in its part); None when none fits. A part that holds nothing
    but figures, phrasings and linking words before the wording (「…受理行政调解案件326件；调解成功
    298件，调解成功率91.4%」) has no subject of its own: the nearest earlier part that has one is
    taken as its own, for context and ``unless`` words alike."""
    cands = cat.candidates(text)
    if text in cat.plain or not cands:
        return cands[0] if cands else None        # the common case: nothing of the sentence to read
    a, b = s.segment(i)
    while a > 0 and _subjectless(s.text[a:i], cat):
        a = s.segment(a - 2)[0]                   # no subject here: the part before lends its own
    seg, lead = s.text[a:b], s.text[s.clause(i)[0]:i]
    cands = [p for p in cands if not (p.unless and any(w in seg for w in p.unless))
             and (not p.subject or any(w in lead for w in p.subject))]
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


def _subjectless(lead: str, cat: Catalog) -> bool:
    """Whether the words of a part before a phrasing are only figures, catalog phrasings and
    linking words (「调解成功298件，」), so that the part has no subject of its own."""
    return not lead or not _PUNCT.sub("", SUBJECTLESS.sub("", cat.phrase_re.sub("", lead)))


def _after(s: Sentence, pm: re.Match, c1: int, respectively: dict, g: Grammar):
    """Figures after a phrasing in its clause, skipping those that state a change
    (「较上年减少12件」), a count carried over (「上年结转14件」) or a task (「95%的考核任务」);
    under 「分别」 only the figure paired with this phrasing."""
    if pm.start() in respectively:
        return [respectively[pm.start()]]
    out, lo = [], pm.end()
    start = lo
    for f in s.figs:
        if start <= f.start < c1 and f.start not in s.changes \
                and not g.carried_over.search(s.text, lo, f.start) and not _old_level(s, f, g) \
                and not g.task_after.match(s.text, f.end):
            out.append(f)
        if f.end > lo:
            lo = f.end
    return out


def _old_level(s: Sentence, f: Figure, g: Grammar) -> bool:
    """The figure a level moved from (「由12.3%降至8.4%」: 12.3) or a comparison's basis
    (「较上年的52件」), not the level reached."""
    lo = max(0, f.start - 12)
    return bool(g.basis.search(s.text, lo, f.start)
                or g.from_level.search(s.text, lo, f.start) and g.to_level.match(s.text, f.end))


def _respectively(s: Sentence, cat: Catalog) -> dict:
    """「A、B分别为32件、17件」: the k-th phrasing before 分别 takes the k-th figure after it."""
    out = {}
    k = s.text.find("分别")
    while k >= 0:
        c0, c1 = s.clause(k)
        phrases = [pm for pm in cat.phrase_re.finditer(s.text, c0, k)]
        figs = [f for f in s.figs if k + 2 <= f.start < c1 and f.start not in s.changes]
        if len(phrases) > 1 and len(phrases) == len(figs):
            out.update({pm.start(): f for pm, f in zip(phrases, figs)})
        k = s.text.find("分别", k + 2)
    return out


def _fits(ind: Indicator, f: Figure, cat: Catalog) -> float | None:
    return convert(f.value, f.unit, ind.unit, cat.units)


def _stated_comparator(s: Sentence, f_start: int, post: str, lo: int, g: Grammar) -> str:
    """The comparator the words around a figure state: a cue just before it (the longest cue
    wins: 不超过 is ``<=`` although it ends with 超过), else a word just after it (以上 / 以下);
    '' when none."""
    before = s.text[max(lo, f_start - 10):f_start]
    m = g.comparator_cue.search(before)
    if m is None and _COPULA_END.search(before):  # else the words without the copula are the same
        m = g.comparator_cue.search(_COPULA_END.sub("", before))
    if m:
        return ">=" if m.group("ge") else "<="
    if post in ("以上", "及以上"):
        return ">="
    if post in ("以下", "以内"):
        return "<="
    return ""


def _comparator(s: Sentence, f_start: int, post: str, lo: int, ind: Indicator, g: Grammar) -> str:
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
    comparator: str = ""          # a relative target's comparator and reference
    reference: str = ""
    average: str = ""             # the figure is an average's after a comparison (「高于全国平均水平（41.8%）」)


def _bind(p, ind: Indicator, s: Sentence, pm: re.Match, c0: int, c1: int, respectively: dict,
          cat: Catalog, g: Grammar) -> _Binding | None:
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
        if v is None and i == 0 and _bare_count(ind, f, s, g):
            v = f.value                           # 「共审结复议案件4696，」: 件 implied by 案件
        if v is not None:
            avg = average_ref(s, pm.end(), f.start, g)
            listed = () if pm.start() in respectively or avg else _listed(s, after[i:], ind, cat, g)
            return _Binding(v, "phrase_figure", f.start, f.end, f, listed, average=avg)
    if vw is not None and not g.negation.search(s.text[max(c0, vw.start() - 2):vw.start()]):
        return _Binding(g.value_words[vw.group()], "phrase_value_word", vw.start(), vw.end())
    nxt = _next_clause_value(ind, s, c1, cat, g) or _next_clause_list(ind, s, c1, cat, g)
    if nxt is not None:
        return nxt
    if p.before:
        for f in reversed(s.figs):
            if c0 <= f.start < pm.start() and f.start not in s.changes:
                v = _fits(ind, f, cat)
                if v is not None:
                    return _Binding(v, "figure_phrase", f.start, f.end, f)
    return None


def _bare_count(ind: Indicator, f: Figure, s: Sentence, g: Grammar) -> bool:
    """Whether ``f`` is a whole number written without its unit right after a noun that names the
    items counted (rules.yaml ``bare_count_nouns``: 「审结复议案件4696，」) and ending its clause:
    a count in the indicator's unit when that is 件."""
    return (ind.unit == "件" and not f.unit and f.value == int(f.value) and f.value >= 0
            and s.clause(f.start)[1] == f.end and bool(g.bare_count_noun.search(s.text, 0, f.start)))


def _next_clause_value(ind: Indicator, s: Sentence, c1: int, cat: Catalog, g: Grammar) -> _Binding | None:
    """The value in the clause after ``c1`` when that clause holds the value and nothing else:
    the share of the items counted (「全程网办事项达1523项，占比94.1%」), the level after a
    change (「…同比提高8个百分点，达到96.8%」) or the count of the subject just named
    (「法律援助实现应援优援，援助各类案件1200件」)."""
    if c1 >= len(s.text):
        return None
    hi = s.clause(c1 + 1)[1]
    figs = [f for f in s.figs if c1 < f.start < hi]
    if len(figs) != 1 or figs[0].end != hi or figs[0].start in s.changes:
        return None
    f = figs[0]
    for rule, rx in (("share_clause", g.share_clause if ind.unit == "%" else None), ("level_clause", g.level_clause),
                     ("count_clause", g.count_clause if ind.unit != "%" else None)):
        if rx is not None and rx.fullmatch(s.text, c1 + 1, f.start):
            v = _fits(ind, f, cat)
            return None if v is None else _Binding(v, rule, f.start, f.end, f)
    return None


def _next_clause_list(ind: Indicator, s: Sentence, c1: int, cat: Catalog, g: Grammar) -> _Binding | None:
    """The list in the clause after ``c1`` when that clause holds years, 分别 and the list only
    (「，2020年、2021年、2022年分别办理86件、71件、64件」)."""
    if c1 >= len(s.text):
        return None
    hi = s.clause(c1 + 1)[1]
    figs = [f for f in s.figs if c1 < f.start < hi]
    if len(figs) < 2 or figs[-1].end != hi or not g.list_clause.fullmatch(s.text, c1 + 1, figs[0].start):
        return None
    listed = _listed(s, figs, ind, cat, g)
    if len(listed) != len(figs) or _fits(ind, figs[0], cat) is None:
        return None
    return _Binding(_fits(ind, figs[0], cat), "phrase_figure", figs[0].start, figs[0].end, figs[0], listed)


def _listed(s: Sentence, figs: list, ind: Indicator, cat: Catalog, g: Grammar) -> tuple:
    """The figures of a list starting at ``figs[0]`` (joined by 、 和 及 与 only), when there are
    two or more of the indicator's unit; () otherwise."""
    out = [figs[0]]
    for f in figs[1:]:
        if not g.list_joint.fullmatch(s.text, out[-1].end, f.start) or _fits(ind, f, cat) is None:
            break
        out.append(f)
    return tuple(out) if len(out) > 1 else ()


def _elliptic_listed(s: Sentence, end: int, c1: int, ind: Indicator, cat: Catalog, g: Grammar):
    """Year clauses joined to the figure ending at ``end`` inside its clause by 、 (or 和 及 与), each
    another year and its figure only (「…败诉率为13.5%、2021年为20.2%、2022年为15.5%」): (match of
    the clause's words, figure) pairs, in order, up to the clause's end ``c1``."""
    pos = end
    while pos < c1 and g.list_joint.match(s.text, pos):
        f = next((f for f in s.figs if pos < f.start < c1), None)
        m = g.elliptic.fullmatch(s.text, pos + 1, f.start) if f is not None else None
        if m is None or not (m.group("y") or m.group("prev")) or _fits(ind, f, cat) is None or f.start in s.changes:
            return
        yield m, f
        pos = f.end


def _elliptic(s: Sentence, c1: int, ind: Indicator, cat: Catalog, g: Grammar):
    """Clauses that go on with the same indicator and nothing else: another year
    (「…败诉率为9.8%，2022年为7.1%，2023年为5.0%」), another scope (「，我区为4.5%」) or the year's
    new count (「，本年新收56件」, 「，其中新收65件、上年结转13件」: the first of a list of counts):
    (match of the clause's words, figure) pairs, in order."""
    pos = c1
    while pos < len(s.text):
        lo, hi = pos + 1, s.clause(pos + 1)[1]
        if g.change.fullmatch(s.text, lo, hi):
            pos = hi                              # 「，同比上升5%，受理81件」: a change, then the count
            continue
        figs = [f for f in s.figs if lo <= f.start < hi]
        if s.text[lo:hi] == "其中" or figs and all(f.start in s.changes for f in figs):
            pos = hi                              # 「，其中，依法受理761件」, 「，同比上升3%，受理34件」
            continue
        if not figs or _fits(ind, figs[0], cat) is None:
            return
        m = g.elliptic.fullmatch(s.text, lo, figs[0].start)
        if not m:
            return
        if len(figs) == 1 and figs[0].end == hi:
            yield m, figs[0]
        elif not (m.group("y") or m.group("prev") or m.group("scope")) and g.list_joint.match(s.text, figs[0].end):
            yield m, figs[0]                      # 「，其中新收65件、上年结转13件」: the new count, then stop
            return
        else:
            return
        pos = hi


class SentenceMentions:
    """Builds the mentions of one sentence; holds what every phrasing of it shares."""

    def __init__(self, s: Sentence, si: int, meta: DocMeta, cat: Catalog, g: Grammar, ex: Extraction,
                 goal: bool = False):
        self.s, self.si, self.meta, self.cat, self.g, self.ex, self.goal = s, si, meta, cat, g, ex, goal

    @once
    def head(self) -> str:
        """The opening sentence of the sentence's paragraph (a line of the normalised text) when
        it is another sentence: the paragraph's subject (「加强村（社区）法律顾问工作。」)."""
        text, at = self.ex.norm.text, self.s.offset
        a = text.rfind("\n", 0, at) + 1
        m = SENTENCE_END.search(text, a)
        return text[a:m.start()] if m and m.end() <= at else ""

    def flag(self, indicator: str, period: str, kind: str, message: str, a: int, b: int) -> None:
        s = self.s
        self.ex.flags.append({"indicator": indicator, "period": period, "kind": kind, "message": message,
                              "norm_start": s.offset + a, "norm_end": s.offset + b,
                              "quote": self.ex.norm.text[s.offset + a:s.offset + b]})

    def mention(self, ind: Indicator, pm: re.Match, b: _Binding, status: tuple[str, str],
                year: int | None = None, scope: tuple[str, str] | None = None) -> Mention | None:
        """One mention of ``ind`` named at ``pm`` with value ``b`` (for ``year`` and of the (scope
        words, level) ``scope`` when given); None when nothing can be stated (no value and no
        relative target)."""
        s, g, meta = self.s, self.g, self.meta
        c0, c1 = s.clause(pm.start())
        # A target cue anywhere earlier in the sentence (「力争…，…控制在5%以内」) governs it.
        # So does the run of goals the sentence continues (「…目标：到2021年底…。到2022年底，…」).
        kind = "target" if meta.doc_type == "plan" or self.goal or has_target_cue(g, s.text, b.start) else "actual"
        if b.value is None:
            b = self.relative(pm, c1) if kind == "target" else None
            if b is None:
                return None
        qualifier, comparator = self.bounds(ind, b, kind, c0)
        first, last = min(pm.start(), b.start), max(pm.end(), b.end)
        at = b.start if b.start > pm.start() else first
        if year is not None:
            ps, pe, prule = year, year, "list_year"
        else:
            ps, pe, prule = period_at(s, at, meta, g, kind)
        # A clause that names its own scope (「，我区为4.5%」) takes it; others, the phrasing's.
        if b.average and kind == "actual" and not scope:
            scope = b.average, "city"             # 「…高于全国平均出庭应诉率（41.8%）」: the reference's
        scope, level = scope or scope_at(s, b.start if b.rule == "elliptic_scope" else pm.start(), g, meta, self.head)
        q0, q1 = s.clause(first)[0], s.clause(max(last - 1, first))[1]
        m = Mention(ind.id, kind, b.value, ind.unit, qualifier, comparator, b.rule == "relative", b.reference,
                    ps, pe, scope, level, s.offset + q0, s.offset + q1, f"{b.rule}+{prule}", sentence=self.si,
                    pos=s.offset + (b.start if year is not None or b.rule.startswith(("elliptic", "list")) else pm.start()),
                    status=status[0], status_detail=status[1])
        if prule == "given_period":
            said = marker(s, at, g)[1].group()
            m.add_note(f"文中「{said}」与导入时给定的时期 {meta.period} 不一致，按给定时期计 "
                       f"(a relative span that differs from the period given at import: the given period is kept)")
        if prule == YEAR_TO_DATE:
            said = marker(s, at, g)[1].group()
            m.add_note(f"文中「{said}」：年初至该月的数值，按全年计 (year to date: counted as the year's figure)")
        if m.status == "kept":
            self.check(m, q0, q1)
        part = (marker(s, at, g)[1].group() if prule == PART_YEAR else part_year_title(meta.title)) \
            if kind == "actual" and m.status == "kept" else ""
        if part:
            m.supersede("part_year", part)        # 「2021年1-10月，…」, a half-year summary: not the year's figure
        return m

    def relative(self, pm: re.Match, c1: int) -> _Binding | None:
        """A target compared with a reference instead of a number (「不高于上年度全市平均值」)."""
        for comp, rx in self.g.relative:
            rm = rx.search(self.s.text, pm.end(), c1)
            if rm:
                return _Binding(None, "relative", rm.start(), rm.end(), comparator=comp, reference=rm.group("ref"))
        return None

    def bounds(self, ind: Indicator, b: _Binding, kind: str, c0: int) -> tuple[str, str]:
        """(qualifier, comparator): a target's comparator from the longest cue, else the
        indicator's direction; an actual's stated bound as its qualifier (「不超过3件」 is at most
        although the numeral grammar reads 超过 as "more than")."""
        if b.value is None:
            return "exact", b.comparator
        lo = c0 if b.start >= c0 else self.s.clause(b.start)[0]
        post = b.fig.post if b.fig else ""
        if kind == "target":
            qualifier = b.fig.qualifier if b.fig and b.fig.qualifier not in ("at_least", "at_most") else "exact"
            return qualifier, _comparator(self.s, b.start, post, lo, ind, self.g)
        if b.fig is None:
            return "exact", ""
        stated = _stated_comparator(self.s, b.start, post, lo, self.g)
        return ({">=": "at_least", "<=": "at_most"}[stated] if stated else b.fig.qualifier), ""

    def check(self, m: Mention, q0: int, q1: int) -> None:
        """Mentions that are never figures, kept with the reason and a flag: a target of 「今年」 in
        an undated document, an actual of a year after the report's period without a target cue,
        a rate outside 0–100 %, a span whose end year is unknown (「自2006年以来」 in an undated text),
        a rate's bound held over several years (「2018年以来…保持在9%以下」: not one year's level)."""
        meta = self.meta
        if m.rule.endswith(OPEN_SPAN):
            m.supersede("end_year_unknown")
            self.flag(m.indicator, "", "unknown_year",
                      "「…以来」「N年来」的截止年份不明（文件没有年份），未采用 (a span whose end year is unknown; not used)",
                      q0, q1)
        elif m.kind == "actual" and m.unit == "%" and m.qualifier in ("at_most", "at_least") \
                and m.rule.split("+")[-1] in ("since", "recent", "span") and m.period_end != m.period_start:
            m.supersede("held_bound")
        elif m.rule.endswith("this_year_unknown"):
            m.supersede("this_year_unknown")
            self.flag(m.indicator, "", "unknown_year",
                      "「今年」所指年份不明（文件没有日期），未采用 (「今年」 of an undated document; not used)", q0, q1)
        elif m.kind == "actual" and meta.doc_type != "plan" and meta.period_end and m.period_start \
                and m.period_start > meta.period_end:
            m.supersede("future_year")
            self.flag(m.indicator, m.period, "future_year",
                      f"{m.period}年的数值出现在{meta.period}年的报告中，且没有目标用语，未采用 "
                      f"(a year after the report's period without a target cue; not used)", q0, q1)
        elif m.value is not None and m.unit == "%" and not 0 <= m.value <= 100:
            m.supersede("out_of_range", fmt(m.value))
            self.flag(m.indicator, m.period, "out_of_range",
                      f"比率 {fmt(m.value)}% 超出 0–100，未采用 (rate out of range; not used)", q0, q1)

    def run(self, starts: list[int] | None = None) -> list[Mention]:
        """Every Mention of the sentence, in phrasing order: each catalog phrasing bound to its
        value (or a relative target), with period, scope and status; figures listed after one
        phrasing give one mention each (per year or scope), or a flag when they cannot be paired.
        ``starts``: where the phrasings' pattern matches in the sentence, when known."""
        s, cat = self.s, self.cat
        out: list[Mention] = []
        named: list[tuple[int, str]] = []
        bound: set[tuple[str, int]] = set()       # (indicator, figure start): one mention per figure
        counts: dict[int, str] = {}               # id(mention) → 'received' (新收, 受理) or 'handled' (办理)
        respectively = _respectively(s, cat)
        rx = cat.phrase_re
        for pm in rx.finditer(s.text) if starts is None else [rx.match(s.text, i) for i in starts]:
            p = _choose_phrase(pm.group(), s, pm.start(), cat) or self.subject_phrase(pm)
            if p is None or self.g.bodies.match(s.text, pm.end()):
                continue                          # no context, or part of a body's name (法律援助机构)
            named.append((pm.start(), p.indicator))
            ind, status = self.indicator(cat.indicators[p.indicator], pm)
            c0, c1 = s.clause(pm.start())
            b = _bind(p, ind, s, pm, c0, c1, respectively, cat, self.g) or _Binding(None, "", pm.start(), pm.end())
            ind = self.stage(ind, pm, b)
            if ind is None or b.fig is not None and (ind.id, b.start) in bound:
                continue                          # no count of it, or its figure bound already
            if b.fig is not None and self.named_again(p.indicator, pm.end(), b.start):
                continue                          # 「收案及受理情况…收到行政复议申请620件」: the nearer one
            if b.fig is not None:
                bound.add((ind.id, b.start))
            if status == KEPT and self.joined(pm, b):
                status = ("joined", "")
            if status == KEPT and self.others(p, pm, b):
                status = ("others", "")
            if b.listed:
                out.extend(self.listed(ind, pm, b, status))
                continue
            m = self.mention(ind, pm, b, status)
            if m is None:
                continue
            self.qizhong(m, pm, out)
            if p.zero:
                self.zero_counts(m, pm, c0)
            out.append(m)
            words = s.text[c0:pm.start()] + s.text[pm.end():max(pm.end(), b.start)]
            if ind.concluded:
                m.stage = self.stage_of(words + pm.group())
            handled = bool(ind.concluded) and self.g.handled.search(words) and not self.g.received.search(words)
            applied = bool(ind.concluded) and not handled and m.stage == "applications"
            if handled or applied:
                counts[id(m)] = "handled" if handled else "applied"
            elif ind.concluded and self.g.received.search(words):
                counts[id(m)] = "received"
            if b.fig is not None and b.rule == "phrase_figure":
                base = self.moved_from(ind, pm, b, m, status)
                if base is not None:
                    bound.add((ind.id, base.pos - s.offset))
                    out.append(base)
                more = self.elliptic(ind, pm, b.end, c1, status, bool(handled or applied), m)
                if applied and not more and c1 == len(s.text):
                    more = self.accepted_next(ind, pm, b.end, status)
                for e in more:
                    out.append(e)
                    if e.rule.startswith("elliptic_count"):
                        counts[id(e)] = "received"
        _supersede_handled(out, counts)
        out.extend(self.no_losses(out))
        _change_flags(s, out, named, cat, self.g, self.ex)
        return out

    def named_again(self, indicator: str, lo: int, hi: int) -> bool:
        """Whether another wording of ``indicator`` stands between ``lo`` and ``hi``: the figure
        after it is that wording's (a heading's 「收案…」 before 「…收到行政复议申请620件」)."""
        return any(any(p.indicator == indicator for p in self.cat.candidates(m.group()))
                   for m in self.cat.phrase_re.finditer(self.s.text, lo, hi))

    @once
    def headings(self) -> str:
        """The headings the sentence stands under: its paragraph's opening sentence when that opens
        with a heading number (「二、依申请公开情况…」), and the nearest earlier line that is a
        heading alone (「（一）主动公开情况。」 above 「1.信息发布情况。…」), joined by a space."""
        out = [self.head] if _HEADING.match(self.head) else []
        text = self.ex.norm.text
        end = text.rfind("\n", 0, self.s.offset)
        while end > 0:
            a = text.rfind("\n", 0, end) + 1
            if end - a > _HEADING_LINE and not (text[a].isspace() or text[end - 1].isspace()):
                end = a - 1                       # a paragraph, not a heading: not copied
                continue
            line = text[a:end].strip()
            if _HEADING.match(line) and len(line) <= _HEADING_LINE:
                out.append(line)
                break
            end = a - 1
        return " ".join(out)

    def subject_phrase(self, pm: re.Match):
        """The claim of a wording without context in its sentence (「办复率98.9%」, 「全县累计公开政府
        信息2150条」) whose context stands in the headings it stands under (``headings``) or, for a
        rate, in the document's title (「…政府信息公开工作年度报告」), when the wording has no
        subject of its own in its clause (nothing but scope and time words before it; for a count, in its
        sentence part, received words allowed: 「全年共收到公开申请32件」, not 「受理…协调申请102件，办结
        101件」) and one claim fits; else None. A plain earlier
        sentence lends no context (「办理代表建议186件。满意率达100%。」)."""
        s = self.s
        rate = pm.group().endswith(("率", "度"))
        a, b = s.segment(pm.start())
        lead = self.g.scope_re.sub("", s.text[s.clause(pm.start())[0] if rate else a:pm.start()])
        lead = _TIME_WORDS.sub("", lead)
        if not rate:
            lead = self.g.received.sub("", lead)
        if not _subjectless(lead, self.cat):
            return None
        head = self.headings
        fits = [p for p in self.cat.candidates(pm.group())
                if p.context and not any(w in s.text[a:b] for w in p.unless)
                and any(w in head or rate and w in self.meta.title for w in p.context)]
        return fits[0] if len(fits) == 1 else None

    def qizhong(self, m: Mention, pm: re.Match, earlier: list[Mention]) -> None:
        """A count after 其中 of an indicator the sentence counted already is a part of that count
        (「办结…29.3万件，其中司法部办结…4644件」): level 'part'. After 其中, another indicator
        (「审结80件，其中行政机关败诉4件」) is its own figure."""
        if m.scope_level == "part" or "其中" not in self.s.text:
            return
        lo = max([0] + [f.end for f in self.s.figs if f.end <= pm.start()])
        if "其中" in self.s.text[lo:pm.start()] \
                and any((e.indicator, e.kind, e.period) == (m.indicator, m.kind, m.period) for e in earlier):
            m.scope, m.scope_level = "其中", "part"

    def indicator(self, ind: Indicator, pm: re.Match) -> tuple[Indicator, tuple[str, str]]:
        """The indicator a phrasing names where it stands, and the status of its mention: a
        received count after a concluded word is the concluded count (「审结行政复议案件977件」);
        a count carried over (结转) and one procedure's figure (开办企业网上办理率) are not kept."""
        s, g = self.s, self.g
        c0, _ = s.clause(pm.start())
        lead = s.text[c0:pm.start()]
        if ind.concluded and not g.received.search(lead):
            stage = g.other_stages.search(lead)
            if stage:
                return ind, ("other_stage", stage.group())
            if g.concluded.search(lead):
                ind = self.cat.indicators[ind.concluded]
        if g.carried_over.search(lead):
            return ind, CARRIED_OVER
        if ind.whole_district:
            lo = max([c0] + [f.end for f in s.figs if c0 <= f.end <= pm.start()])
            proc = g.procedures.search(s.text, lo, pm.start())
            if proc:
                return ind, ("one_procedure", proc.group())
        return ind, KEPT

    def stage(self, ind: Indicator, pm: re.Match, b: _Binding) -> Indicator | None:
        """The count a received count's phrasing binds when words stand between it and its
        figure: a concluded word makes it the concluded count (「行政复议案件审结58件」), another
        stage's word no count of it (「行政诉讼案件开庭审理72件」: None); so does a concluded word
        just after the figure (「行政诉讼案件389件已审结」) when no received word stands before. A
        concluded count's figure after another stage's word is that stage's (「审结的一审行政案件中
        行政机关败诉36件」: None)."""
        if not (ind.concluded or ind.id in self.cat.concluded_ids) or b.fig is None:
            return ind
        s, g = self.s, self.g
        between = s.text[pm.end():b.start] if b.start > pm.end() else ""
        if g.received.search(between):
            return ind
        if ind.concluded and (g.concluded.search(between) or (
                g.concluded_after.match(s.text, b.end)
                and not g.received.search(s.text, s.clause(pm.start())[0], pm.start()))):
            return self.cat.indicators[ind.concluded]
        return None if g.other_stages.search(between) else ind

    def stage_of(self, words: str) -> str:
        """The stage a received count's words (its clause's words before the figure, phrasing
        included) name, for the document-wide choice (etl.select): from their last received word
        (a heading's 「受理情况」 before 「…收到申请」 is not the count's), 'accepted' (受理, 立案),
        'applications' (收到, 接收, or 新收…申请) or ''."""
        last = None
        for last in self.g.received.finditer(words):
            pass
        if last is not None and self.g.accepted_verbs.match(words, last.start()):
            return "accepted"
        return "applications" if self.g.applied.search(words, last.start() if last else 0) else ""

    def others(self, p, pm: re.Match, b: _Binding) -> bool:
        """Whether one of the wording's ``others`` bodies stands before it in its clause (「全市各单位
        开展法治专题讲座56场」) or one of its ``pooled`` words between it and its figure (「法治专题
        讲座、报告会等235场」)."""
        if b.fig is None or not (p.others or p.pooled):
            return False
        s = self.s
        lo = min(s.clause(pm.start())[0], b.start)
        between = s.text[pm.end():b.start] if b.start > pm.end() else ""
        return any(w in s.text[lo:pm.start()] for w in p.others) or any(w in between for w in p.pooled)

    def joined(self, pm: re.Match, b: _Binding) -> bool:
        """Whether the figure counts the phrasing's item together with another one joined to it
        (「行政复议、行政诉讼案件743件」, 「行政复议案件和行政诉讼案件共215件」), with no word that
        gives each its own figure (分别, 均). Rates are not summed: 「满意度、办复率100%」 gives each 100."""
        s, g = self.s, self.g
        if b.fig is None or b.start < pm.end() or b.fig.unit in ("%", "‰"):
            return False
        between = s.text[pm.end():b.start]
        if g.each.search(between):
            return False
        c0, _ = s.clause(pm.start())
        lo = max([c0] + [f.end for f in s.figs if c0 <= f.end <= pm.start()])
        return bool(g.joined_after.match(between) or g.joined_before.search(s.text[lo:pm.start()]))

    def moved_from(self, ind: Indicator, pm: re.Match, b: _Binding, reached: Mention,
                   status: tuple[str, str]) -> Mention | None:
        """The level an actual figure ``reached`` (bound as ``b``) moved from, when the words before
        that level name its year (「由2021年的60%提升至2022年的85%」: 60 of 2021; 「由上年的…」: of the
        year before, etl.periods.period_at): that year's mention, its ``pos`` at the old level;
        None when the old level names no year (「由12.3%降至8.4%」), the start of a year
        (「由2021年初的…」) or the year of the level reached."""
        s, g = self.s, self.g
        if reached.kind != "actual":
            return None
        for f in s.figs:
            if not pm.end() <= f.start < b.start or not g.to_level.match(s.text, f.end):
                continue
            fm = g.from_level.search(s.text, max(0, f.start - 12), f.start)
            v = _fits(ind, f, self.cat)
            if not fm or not (fm.group("y") or fm.group("prev")) or v is None:
                continue
            e = self.mention(ind, pm, _Binding(v, "from_level", f.start, f.end, f), status)
            if e is not None and e.kind == "actual" and e.rule.endswith(("+from_year", "+prev_year")) \
                    and e.period != reached.period:
                e.pos = s.offset + f.start
                return e
        return None

    def elliptic(self, ind: Indicator, pm: re.Match, end: int, c1: int, status: tuple[str, str],
                 handled: bool = False, main: Mention | None = None) -> list[Mention]:
        """Mentions of the clauses after the figure ending at ``end`` that go on with another year
        (「，2022年为7.1%」, 「、2023年为5.0%」 inside its clause), another scope
        (「，我区为4.5%」) or the year's new count after a count carried over (「，本年新收56件」:
        kept although the phrasing's own count is not), after a count handled (「共办理86件，新收72件」)
        or the count accepted after the applications received (「收到申请156件，受理142件」). A clause
        of the year before (「，上年为9.3%」) is of the year before ``main``'s (the figure it goes on
        from) when that is one year of an actual outside a part-year summary; else it ends the run."""
        out = []
        carried = status == CARRIED_OVER
        if carried:
            status = KEPT
        for em, f in chain(_elliptic_listed(self.s, end, c1, ind, self.cat, self.g),
                           _elliptic(self.s, c1, ind, self.cat, self.g)):
            year = int(em.group("y")) if em.group("y") else None
            if em.group("prev"):
                year = self.year_before(main)
                if year is None:
                    break
            rule = "elliptic_year" if year else "elliptic_scope" if em.group("scope") else "elliptic_count"
            if rule == "elliptic_count" and not (carried or handled):
                break                             # 「新收156件，受理142件」: not a second count
            accepted = rule == "elliptic_count" and self.stage_of(em.group()) == "accepted"
            e = self.mention(ind, pm, _Binding(_fits(ind, f, self.cat), rule, f.start, f.end, f), status, year)
            if e is not None and em.group("prev") and e.kind != "actual":
                break
            if e is not None:
                e.stage = "accepted" if accepted else ""
                out.append(e)
        return out

    def accepted_next(self, ind: Indicator, pm: re.Match, end: int, status: tuple[str, str]) -> list[Mention]:
        """The count accepted in the next sentence when that sentence opens with it and no subject of
        its own (「区政府共收到行政复议申请500件。受理460件，…」): read as an elliptic clause of this
        sentence (``elliptic`` on both sentences joined), after the applications ending at ``end``;
        [] when the next sentence opens otherwise."""
        text, at = self.ex.norm.text, self.s.offset + len(self.s.text)
        if not text.startswith("。", at):
            return []
        nxt = SENTENCE_END.search(text, at + 1)
        both = Sentence(text[self.s.offset:nxt.start() if nxt else len(text)], self.s.offset)
        joined = SentenceMentions(both, self.si, self.meta, self.cat, self.g, self.ex, self.goal)
        return [e for e in joined.elliptic(ind, pm, end, len(self.s.text), status, handled=True)
                if e.stage == "accepted"]

    def year_before(self, main: Mention | None) -> int | None:
        """The year before ``main``'s (「2023年…败诉率为4.5%，上年为9.3%」: 2022) when ``main`` is an
        actual of one year, not of a part of a year, in a report that is no part-year summary; else None."""
        if main is None or main.kind != "actual" or main.period_start is None or main.period_start != main.period_end \
                or main.status == "part_year" or self.meta.doc_type == "plan" or part_year_title(self.meta.title):
            return None
        return main.period_start - 1

    def listed(self, ind: Indicator, pm: re.Match, b: _Binding, status: tuple[str, str]) -> list[Mention]:
        """A list of figures after one phrasing: one figure per year when the sentence names as
        many years (「2019—2021年…分别为82%、90.5%、97%」); otherwise a flag and no figure."""
        s = self.s
        years = self.own_year_apart(ind, b, listed_years(s, b.listed[0].start, self.meta, self.g))
        c0, c1 = s.clause(pm.start())
        if years and len(years) == len(b.listed):
            out = []
            for y, f in zip(years, b.listed):
                m = self.mention(ind, pm, _Binding(_fits(ind, f, self.cat), "list_by_year", f.start, f.end, f), status, y)
                if m is not None:
                    out.append(m)
            return out
        scopes = self.listed_scopes(pm, b)
        if scopes:
            out = []
            for scope, f in zip(scopes, b.listed):
                m = self.mention(ind, pm, _Binding(_fits(ind, f, self.cat), "list_by_scope", f.start, f.end, f), status,
                                 scope=scope)
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

    def own_year_apart(self, ind: Indicator, b: _Binding, years: list[int]) -> list[int]:
        """The years of a list since a year (「2018年以来…分别为a、b、c、d」) that is one figure short
        of the years up to the report's: when the sentence goes on with the last year and the same
        indicator (「，2022年…败诉率为6.88%」), the list ends the year before; otherwise ``years``."""
        s, cat = self.s, self.cat
        best = marker(s, b.listed[0].start, self.g)
        if not years or not best or best[0] != "since" or len(years) - 1 != len(b.listed):
            return years
        at = s.text.find(f"{years[-1]}年", b.listed[-1].end)
        if at >= 0 and any(p.indicator == ind.id for m in cat.phrase_re.finditer(s.text, at)
                           for p in cat.candidates(m.group())):
            return years[:-1]
        return years

    def listed_scopes(self, pm: re.Match, b: _Binding) -> list[tuple[str, str]]:
        """「以区政府和部门为被告的…分别为12件、30件」: the (scope words, level) a list after 分别 runs
        over, when the words before 分别 in its clause (not the phrasing's own) name as many scopes,
        each of its own level (words of one level in a row are one scope: 「部门、镇街」); []
        otherwise."""
        s = self.s
        c0 = s.clause(pm.start())[0]
        k = s.text.rfind("分别", c0, b.listed[0].start)
        if k < 0:
            return []
        hits: list[tuple[str, str]] = []
        for m in self.g.scope_re.finditer(s.text, c0, k):
            if m.end() > pm.start() and m.start() < pm.end():
                continue                          # the phrasing's own word (行政机关负责人出庭应诉率)
            if hits and hits[-1][1] == m.lastgroup:
                hits[-1] = (f"{hits[-1][0]}、{m.group()}", m.lastgroup)    # 「部门、镇街」: one scope
            else:
                hits.append((m.group(), m.lastgroup))
        if len(hits) != len(b.listed) or len({level for _, level in hits}) != len(hits):
            return []
        return hits

    def no_losses(self, out: list[Mention]) -> list[Mention]:
        """「审结30件，其中胜诉26件，撤诉4件」: a rate of 0 (losses / concluded) when the counts after the
        denominator's figure in its sentence are all of other outcomes (the catalog's `nil_outcomes`)
        and add up to it, and the sentence gives no count or rate of the rate itself."""
        s, cat, new = self.s, self.cat, []
        for ind in cat.nil_rates if out else ():
            ratio = ind.derive.get("ratio")
            if any(m.indicator in (ind.id, ratio[0]) for m in out):
                continue
            rx = nil_outcomes_re(ind.nil_outcomes)
            for m in out:
                if m.indicator != ratio[1] or m.status != "kept" or not m.value:
                    continue
                tail = s.text[m.norm_end - s.offset:]
                parts = [int(x.group(1)) for x in rx.finditer(tail)]
                if len(parts) > 1 and sum(parts) == m.value and "败诉" not in tail.replace("无败诉", ""):
                    new.append(replace(m, indicator=ind.id, value=0.0, unit=ind.unit, qualifier="exact",
                                       rule="derived_no_losses", numerator=0.0, denominator=m.value, derived=True,
                                       formula=f"0 / {fmt(m.value)}：{' + '.join(map(str, parts))} = {fmt(m.value)}"))
                    break
        return new

    def zero_counts(self, m: Mention, pm: re.Match, c0: int) -> None:
        """「已审结15件中无败诉案件」: a nil rate of 0 out of the concluded count."""
        dm = None
        for dm in _DENOMINATOR.finditer(self.s.text, c0, pm.start()):
            pass
        if dm:
            m.numerator, m.denominator = 0.0, float(dm.group(1))
            m.derived, m.formula = True, f"0 / {dm.group(1)}：{dm.group()}中{pm.group()}"


def _supersede_handled(out: list[Mention], counts: dict) -> None:
    """「全年共办理行政复议案件86件，新收72件」: where a sentence gives the count received (新收, 受理)
    of an indicator, its count handled (办理: with cases carried over) is not that count; nor are
    the applications received (「收到行政复议申请156件，受理142件」: 142 cases accepted)."""
    if not counts:
        return
    received = {m.indicator for m in out if counts.get(id(m)) == "received" and m.status == "kept"}
    for m in out:
        if m.status == "kept" and counts.get(id(m)) in ("handled", "applied") and m.indicator in received:
            m.supersede("handled" if counts[id(m)] == "handled" else "applications")


def sentence_mentions(s: Sentence, si: int, meta: DocMeta, cat: Catalog, g: Grammar, ex: Extraction,
                      goal: bool = False, starts: list[int] | None = None) -> list[Mention]:
    """The mentions of sentence ``s`` (index ``si``); ``goal``: the sentence continues a run of
    goals (etl.extract), so its figures are targets; ``starts``: where ``cat.phrase_re`` matches in
    its text, when known (etl.extract finds them in the whole text)."""
    return SentenceMentions(s, si, meta, cat, g, ex, goal).run(starts)


def _change_flags(s: Sentence, mentions: list, named: list, cat: Catalog, g: Grammar, ex: Extraction):
    """Change statements (「同比上升18.51%」, 「提高12个百分点」, 「减少15件」) of the nearest indicator
    named before them: kept as flags, never turned into a figure of the indicator. A subject outside
    the catalog in between (``_other_subject``) takes the change: no flag."""
    for cm in g.change.finditer(s.text) if named else ():
        before = [(pos, ind) for pos, ind in named if pos < cm.start()]
        if not before or _other_subject(s, before[-1][0], cm.start(), mentions, cat, g):
            continue
        ind = cat.indicators[before[-1][1]]
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
                         "norm_start": a, "norm_end": b, "quote": ex.norm.text[s.offset + s.clause(cm.start())[0]:b]})


def _other_subject(s: Sentence, pos: int, at: int, mentions: list, cat: Catalog, g: Grammar) -> bool:
    """Whether a subject outside the catalog stands between a phrasing at ``pos`` and a change at
    ``at`` (「…纠错率13.4%，同比提高4.4个百分点；矛盾纠纷综合化解率36.3%，同比提高8.4个百分点」): a level
    figure outside the quotes of the sentence's ``mentions`` (not a comparison's basis, not before a
    change 「分别」 shared out over the figures before it), or words of their own (not only figures,
    phrasings and linking words) opening the change's sentence part (split at ；) when that part
    starts after the phrasing."""
    spans = [(m.norm_start - s.offset, m.norm_end - s.offset) for m in mentions]
    if "分别" not in s.text[s.clause(at)[0]:at] and any(
            pos < f.start < at and f.start not in s.changes and not any(a <= f.start < b for a, b in spans)
            and not _old_level(s, f, g) for f in s.figs):
        return True                               # 「同比分别上升76.9%和60.5%」: each of the figures before
    a = s.segment(at)[0]
    return a > pos and not _subjectless(_TIME_WORDS.sub("", s.text[a:at]), cat)
