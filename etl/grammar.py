"""The grammar's compiled word lists (rules.yaml) and the structure of a sentence.

In: the normalised text. Out: sentences (spans split at 。！？ and hard line breaks), each a
Sentence with its clauses (split at ，：；, not at a figure's thousands separator), its parts (split at ；) and its figures (etl.numbers);
Grammar: every pattern of rules.yaml compiled once.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from etl.catalog import load_rules
from etl.numbers import figures

try:                                        # the parser behind ``re``: re._parser from Python 3.11
    from re import _constants as _sre_constants, _parser as _sre_parse
except ImportError:                         # pragma: no cover - Python 3.10
    import sre_constants as _sre_constants
    import sre_parse as _sre_parse

# Where a sentence ends (。！？ after NFKC, and a line end): the sentence spans (etl.extract) and the
# paragraph opening both split here.
SENTENCE_END_CHARS = "。!?\n"
SENTENCE_END = re.compile(f"[{SENTENCE_END_CHARS}]")
_CLAUSE_SEP_RE = re.compile("[,;:]")
_DIGIT_COMMA = re.compile(r"\d,\d")   # what a figure with a thousands separator holds


@dataclass(frozen=True)
class Grammar:
    """The compiled rules of etl/catalog/rules.yaml (scopes, periods, comparator and target cues, change verbs,
    stages, parts …), one instance per process (``grammar()``)."""
    scope_re: re.Pattern
    scope_rank: dict
    periods: dict
    period_groups: tuple          # the periods by a character each of their matches holds (``marker_groups``)
    comparator_cue: re.Pattern    # a cue ending the text before a figure: group ge or le
    target_cue: re.Pattern
    not_target_cue: re.Pattern    # a cue inside these words is none (完成年度目标任务, 争取…支持)
    goal_run: re.Pattern          # 「到2022年底，」 opening a sentence: the next goal of a run of goals
    negation: re.Pattern
    value_words: dict
    value_word_re: re.Pattern
    relative: tuple
    change: re.Pattern            # a change statement (a flag): verb, number, unit
    change_before: re.Pattern     # the words ending just before a figure that make it a change
    concluded: re.Pattern
    concluded_after: re.Pattern   # 「…389件已审结」: a concluded word just after a count
    received: re.Pattern
    handled: re.Pattern           # 办理: a count handled, not necessarily received
    other_stages: re.Pattern      # 开庭, 败诉, 维持 …: a stage after receipt
    carried_over: re.Pattern
    bare_count_noun: re.Pattern   # 「…案件4696，」: a noun after which a bare whole number is a count
    list_joint: re.Pattern        # what may stand between two figures of one list
    list_clause: re.Pattern       # 「，2020年、2021年分别为…」: a list clause after a phrasing without a figure
    elliptic: re.Pattern          # a clause's words before its figure that continue with another year
    from_level: re.Pattern        # 「由12.3%降至8.4%」: before the figure that is the old level …
    to_level: re.Pattern          # … and after it
    basis: re.Pattern             # 「较上年的52件」: before a figure that is a comparison's basis
    place: re.Pattern             # another province's or city's name opening a clause
    averages: re.Pattern          # 「高于全国平均水平」, 「全省平均」: an average, a comparison's reference
    units: re.Pattern             # 「金桥镇」, 「城南街道」 opening a clause: a unit below the district
    own_level: dict               # the district name's ending → the scope word of its own level
    parts: re.Pattern             # 「涉企领域」 ending the words before a phrasing: a part of the total
    part_actors: re.Pattern       # 村（社区）法律顾问, 接边地区联合调解: a sub-actor's counts are parts
    procedures: re.Pattern        # one procedure's name (开办企业 …)
    bodies: re.Pattern            # after a phrasing: part of a body's name (法律援助机构)
    share_clause: re.Pattern      # 「，占比94.1%」: the share of the items counted just before
    level_clause: re.Pattern      # 「…同比提高8个百分点，达到96.8%」: the level after a change
    count_clause: re.Pattern      # 「法律援助…，援助各类案件1200件」: the count of the subject just named
    joined_before: re.Pattern     # 「行政复议、」 before a phrasing: a count of both items together …
    joined_after: re.Pattern      # … or 「和行政诉讼案件」 after it
    each: re.Pattern              # 分别, 均: each item its own figure
    task_after: re.Pattern        # 「95%的考核任务」: after a figure that names a task, not a level
    applied: re.Pattern           # 收到申请: an application, not yet a case …
    accepted_verbs: re.Pattern    # … 受理, 立案 as a count's last received word: the case accepted


class once:
    """A method read as an attribute, computed on first use and then stored on the instance (as
    ``functools.cached_property``, without its lock: a Sentence is read by one thread)."""

    def __init__(self, func):
        self.func, self.name, self.__doc__ = func, func.__name__, func.__doc__

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.func(obj)
        return value


_GRAMMAR: Grammar | None = None


def grammar() -> Grammar:
    """The Grammar compiled from rules.yaml, once per process. CatalogError (Chinese, then English) when rules.yaml
    breaks its schema."""
    global _GRAMMAR
    if _GRAMMAR is None:
        r = load_rules()
        scope_re = compile_fast("|".join(f"(?P<{s['level']}>{s['pattern']})" for s in r["scopes"]))
        vw = {k: float(v) for k, v in r["value_words"].items()}
        _GRAMMAR = Grammar(
            scope_re=scope_re, scope_rank=r["scope_rank"], periods={k: compile_fast(v) for k, v in r["periods"].items()},
            period_groups=marker_groups(r["periods"]),
            comparator_cue=compile_fast(f"(?:(?P<ge>{r['at_least']})|(?P<le>{r['at_most']}))$"),
            target_cue=compile_fast(r["target_cues"]), not_target_cue=compile_fast(r["not_target_cues"]),
            goal_run=compile_fast(r["goal_run"]),
            negation=compile_fast(f"(?:{r['negations']})$"), value_words=vw,
            value_word_re=compile_fast("|".join(sorted(map(re.escape, vw), key=len, reverse=True))),
            relative=tuple((x["comparator"], compile_fast(x["pattern"])) for x in r["relative"]),
            change=compile_fast(r["change"].replace("{verbs}", r["change_verbs"])),
            change_before=compile_fast(f"(?:{r['change_before'].replace('{verbs}', r['change_verbs'])})$"),
            concluded=compile_fast(r["concluded_words"]),
            concluded_after=compile_fast(f"(?:已|均|全部|都)*(?:{r['concluded_words']})"),
            received=compile_fast(r["received_words"]), handled=compile_fast(r["handled_words"]),
            other_stages=compile_fast(r["other_stages"]),
            carried_over=compile_fast(r["carried_over"]), bare_count_noun=compile_fast(r["bare_count_nouns"]),
            list_joint=compile_fast(r["list_joint"]), list_clause=compile_fast(r["list_clause"]),
            elliptic=compile_fast(r["elliptic"]),
            from_level=compile_fast(f"(?:{r['from_level']})$"), to_level=compile_fast(r["to_level"]),
            basis=compile_fast(f"(?:{r['basis']})$"), own_level=dict(r["own_level"]), place=compile_fast(r["place"]),
            averages=compile_fast(r["averages"]), units=compile_fast(r["units"]),
            parts=compile_fast(r["parts"]), part_actors=compile_fast(r["part_actors"]),
            procedures=compile_fast(r["procedures"]), bodies=compile_fast(r["bodies"]), share_clause=compile_fast(r["share_clause"]),
            level_clause=compile_fast(r["level_clause"]), count_clause=compile_fast(r["count_clause"]),
            joined_before=compile_fast(r["joined_before"]), joined_after=compile_fast(r["joined_after"]),
            each=compile_fast(r["each"]), task_after=compile_fast(r["task_after"]),
            applied=compile_fast(r["applied_words"]), accepted_verbs=compile_fast(r["accepted_verbs"]))
    return _GRAMMAR


def marker_groups(patterns: dict) -> tuple:
    """The patterns ``patterns`` ({name: pattern}) grouped by a character that every match of
    each holds (the one most of them share; '' when a pattern holds none for sure): ((character,
    ((order, name, compiled), …)), …), ``order`` the pattern's place in ``patterns``. Where that
    character is missing, none of its group can match (etl.periods.marker)."""
    held = {name: required_chars(p) for name, p in patterns.items()}
    shared = {c: sum(c in h for h in held.values()) for h in held.values() for c in h}
    groups: dict[str, list] = {}
    for order, (name, p) in enumerate(patterns.items()):
        key = max(sorted(held[name]), key=shared.get, default="")
        groups.setdefault(key, []).append((order, name, compile_fast(p)))
    return tuple((key, tuple(g)) for key, g in groups.items())


def required_chars(pattern: str) -> frozenset:
    """Characters that every match of ``pattern`` holds (within the match, not in a look-around),
    read from its parse tree: its literals outside optional parts, and those that every branch of an
    alternation holds. Empty when none is sure (a flag such as (?i) counts as none)."""
    if re.compile(pattern).flags != re.UNICODE:
        return frozenset()
    return _required(list(_sre_parse.parse(pattern)))


def _required(seq: list) -> frozenset:
    c = _sre_constants
    out: set[str] = set()
    for op, av in seq:
        if op is c.LITERAL:
            out.add(chr(av))
        elif op is c.IN and len(av) == 1 and av[0][0] is c.LITERAL:
            out.add(chr(av[0][1]))
        elif op is c.SUBPATTERN and not (av[1] or av[2]):
            out |= _required(list(av[3]))
        elif op is c.ATOMIC_GROUP:
            out |= _required(list(av))
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and av[0] >= 1:
            out |= _required(list(av[2]))
        elif op is c.BRANCH:
            out |= frozenset.intersection(*(_required(list(b)) for b in av[1]))
    return frozenset(out)


def compile_fast(pattern: str) -> re.Pattern:
    """``re.compile(pattern)`` behind a look-ahead for the few characters a match can start with,
    when the pattern's parse tree tells them and no match is empty: ``re`` skips to a possible
    first character by itself only when the pattern opens with a character, a class or plain
    words; otherwise (an optional part, words inside groups, an assertion: 「(?:到|至)?2020年」) it
    tries the whole pattern at every position, and the look-ahead turns most positions away at
    their first character. Same matches, groups and names; the plain pattern otherwise."""
    rx = re.compile(pattern)
    if rx.flags != re.UNICODE:              # a flag of its own ((?i), (?x) …): kept as written
        return rx
    parsed = list(_sre_parse.parse(pattern))
    first = None if _skips_by_itself(parsed) else _first(parsed)
    if first is None or first[1]:
        return rx
    return re.compile(f"(?=[{''.join(dict.fromkeys(first[0]))}])(?:{pattern})")


def _skips_by_itself(seq: list) -> bool:
    """Whether ``re`` finds where a match of the parsed pattern ``seq`` can start by itself: the
    pattern opens (inside plain groups) with a character, a class or words that each open with a
    character."""
    c = _sre_constants
    while seq and seq[0][0] is c.SUBPATTERN and not (seq[0][1][1] or seq[0][1][2]):
        seq = list(seq[0][1][3])
    if not seq:
        return False
    op, av = seq[0]
    return op in (c.LITERAL, c.IN) or op is c.BRANCH and all(b and list(b)[0][0] is c.LITERAL for b in av[1])


_CLASS_SPECIAL = "\\]^-["
_CATEGORY = {"CATEGORY_DIGIT": r"\d", "CATEGORY_WORD": r"\w", "CATEGORY_SPACE": r"\s"}


def _in_class(cp: int) -> str:
    ch = chr(cp)
    return "\\" + ch if ch in _CLASS_SPECIAL else ch


def _first(seq: list):
    """(parts of a character class holding every character a match of the parsed sequence ``seq``
    can start with, whether it can match the empty string), or None when not known (any
    character, a negated class, a back-reference …)."""
    c = _sre_constants
    out: list[str] = []
    for op, av in seq:
        if op is c.LITERAL:
            return out + [_in_class(av)], False
        if op is c.IN:
            for o, v in av:
                if o is c.LITERAL:
                    out.append(_in_class(v))
                elif o is c.RANGE and v[1] - v[0] < 256:     # not 一-鿿: no help
                    out.append(f"{_in_class(v[0])}-{_in_class(v[1])}")
                elif o is c.CATEGORY and str(v) in _CATEGORY:
                    out.append(_CATEGORY[str(v)])
                else:
                    return None
            return out, False
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue                                  # consumes nothing
        if op is c.SUBPATTERN:
            if av[1] & re.IGNORECASE:
                return None
            got = _first(list(av[3]))
        elif op is c.ATOMIC_GROUP:
            got = _first(list(av))
        elif op is c.BRANCH:
            got, empty = [], False
            for b in av[1]:
                r = _first(list(b))
                if r is None:
                    return None
                got, empty = got + r[0], empty or r[1]
            got = (got, empty)
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            r = _first(list(av[2]))
            got = None if r is None else (r[0], r[1] or av[0] == 0)
        else:
            return None
        if got is None:
            return None
        out += got[0]
        if not got[1]:
            return out, False
    return out, True


@lru_cache(maxsize=None)
def nil_outcomes_re(outcomes: tuple) -> re.Pattern:
    """The counts of the other outcomes ``outcomes`` (a nil rate's catalog ``nil_outcomes``:
    胜诉, 撤诉 …): one of them, at most four words that are no figure, clause break or 败, then its
    count in 件/宗/起 (group 1). Compiled once per tuple."""
    return re.compile(f"(?:{'|'.join(map(re.escape, outcomes))})[^\\d,;:败]{{0,4}}?(\\d+)[件宗起]")


def has_target_cue(g: Grammar, text: str, end: int) -> bool:
    """Whether ``text[:end]`` holds a target cue (力争, 确保, 不低于 …) that is not part of words
    about a goal met or support sought (完成年度目标任务, 争取上级支持)."""
    cues = [m.start() for m in g.target_cue.finditer(text, 0, end)]
    if not cues:
        return False
    spans = [m.span() for m in g.not_target_cue.finditer(text, 0, end)]
    return any(not any(a <= c < b for a, b in spans) for c in cues)


class Sentence:
    """One sentence of the clean text: its text, its offset in the document, its figures (``figures``) and its
    clauses (split at ，；： but not inside a figure such as 1,236件)."""
    def __init__(self, text: str, offset: int):
        self.text, self.offset = text, offset
        # A comma inside a figure (1,236件) is a thousands separator, not a clause break; the
        # figures are read here only when a digit stands on each side of a comma.
        inside = {i for f in self.figs if "," in f.text for i in range(f.start, f.end)} \
            if _DIGIT_COMMA.search(text) else ()
        seps = [m.start() for m in _CLAUSE_SEP_RE.finditer(text)]
        self.seps = [i for i in seps if i not in inside] if inside else seps
        self.segs = [i for i in seps if text[i] == ";"] if ";" in text else []     # ; is a clause break too
        self._clauses: dict[int, tuple[int, int]] = {}

    @once
    def figs(self) -> list:
        """The sentence's figures (``figures``), read when first asked: a sentence whose
        phrasings all lack their context words needs none."""
        return figures(self.text)

    @once
    def changes(self) -> frozenset:
        """Starts of the figures that state a change, not a level: after a change word in their
        clause (rules.yaml change_before: 「比上年提升9.78%」, 「同比增幅为4.2%」, 「减少12件」) and the
        figures listed after one (「分别比上年提升9.78%、5.1%」)."""
        g, seps = grammar(), self.seps
        out: set[int] = set()
        prev = None
        for f in self.figs:
            k = bisect.bisect_right(seps, f.start)           # the figure's clause opens after seps[k - 1]
            lo = max(seps[k - 1] + 1 if k else 0, f.start - 10)
            if g.change_before.search(self.text, lo, f.start) or (
                    prev is not None and prev.start in out and g.list_joint.fullmatch(self.text, prev.end, f.start)):
                out.add(f.start)
            prev = f
        return frozenset(out)

    def clause(self, i: int) -> tuple[int, int]:
        """(start, end) of the clause holding position ``i``, separators left out (at a separator: the clause after it)."""
        c = self._clauses.get(i)
        if c is None:
            k = bisect.bisect_right(self.seps, i)
            c = self._clauses[i] = (self.seps[k - 1] + 1 if k else 0), (self.seps[k] if k < len(self.seps) else len(self.text))
        return c

    def segment(self, i: int) -> tuple[int, int]:
        """(start, end) of the segment holding position ``i``: a clause's wider unit, cut only at ；
        (``;`` after NFKC), separators left out."""
        k = bisect.bisect_right(self.segs, i)
        return (self.segs[k - 1] + 1 if k else 0), (self.segs[k] if k < len(self.segs) else len(self.text))

