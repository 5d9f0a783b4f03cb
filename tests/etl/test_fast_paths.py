"""The quick paths of the extractor give what the plain ones give: the trie-shaped phrasing
pattern, the one-pass sentence screening, the control-character scan, the figure parser."""
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from etl import formats
from etl.catalog import load_catalog, longest_first
from etl.extract import _GoalRuns, _phrased_sentences, _sentence_spans
from etl.grammar import SENTENCE_END, Sentence, compile_fast, grammar, has_target_cue, required_chars
from etl.numbers import _GROUPS, TOKEN, figures
from etl.periods import marker

CAT = load_catalog()
PHRASES = sorted(CAT.phrases)
PLAIN = re.compile("|".join(re.escape(p) for p in sorted(PHRASES, key=len, reverse=True)))
_TEXT = st.lists(st.one_of(st.sampled_from(PHRASES), st.sampled_from(list("行政复议案件率调解成功。！?\n,;达为12%件")),
                           st.sampled_from([p[:-1] for p in PHRASES if len(p) > 2])), max_size=30).map("".join)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_the_trie_pattern_finds_what_the_plain_alternation_finds(text):
    assert [m.span() for m in CAT.phrase_re.finditer(text)] == [m.span() for m in PLAIN.finditer(text)]


def test_the_trie_pattern_prefers_the_longest_word_at_each_position():
    rx = re.compile(longest_first(["调解", "调解成功率", "调解成功", "成功率"]))
    assert [m.group() for m in rx.finditer("调解成功率调解成功调解功率成功率")] == [
        "调解成功率", "调解成功", "调解", "成功率"]


def test_no_catalog_phrasing_holds_a_sentence_end():
    """The sentence screening finds phrasings in the whole text at once: a phrasing across a
    sentence end would be found in no sentence."""
    assert [p for p in PHRASES if SENTENCE_END.search(p)] == []


def iter_sentences(text: str):
    """The plain sentence split: (start, end) of each non-empty sentence of ``text``."""
    start = 0
    for m in SENTENCE_END.finditer(text):
        if m.start() > start:
            yield start, m.start()
        start = m.end()
    if start < len(text):
        yield start, len(text)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_the_screened_sentences_are_those_holding_a_phrasing(text):
    assert list(zip(*_sentence_spans(text))) == list(iter_sentences(text))
    expected = [(si, m, [h.start() for h in PLAIN.finditer(text[m[0]:m[1]])])
                for si, m in enumerate(iter_sentences(text)) if PLAIN.search(text, *m)]
    assert list(_phrased_sentences(text, CAT)) == expected


def test_text_without_control_characters_is_returned_as_it_is_and_others_rewritten_alike():
    for cp in range(0x10000):
        t = f"a{chr(cp)}\r\nb"
        assert formats.strip_controls(t) == formats._CONTROLS.sub("", formats._NEWLINE_CONTROLS.sub("\n", t))
    assert formats.strip_controls("办结率\u2028100%\r\n") == "办结率\n100%\n"


def test_the_figure_parser_reads_the_token_groups_in_their_order():
    assert tuple(sorted(TOKEN.groupindex, key=TOKEN.groupindex.get)) == _GROUPS and TOKEN.groups == len(_GROUPS)
    assert [(f.value, f.unit, f.qualifier) for f in figures("受理1,236件，约12.5万元，超过99.51%，第3名")] == [
        (1236.0, "件", "exact"), (12.5, "万元", "approximate"), (99.51, "%", "at_least")]


def _plain_goal_runs(text: str) -> set:
    """The sentences that continue a run of goals, by walking every sentence in order."""
    g, out, goal = grammar(), set(), False
    for si, (a, b) in enumerate(iter_sentences(text)):
        if goal and g.goal_run.match(text, a, b):
            out.add(si)
            continue
        goal = bool(g.periods["deadline"].search(text, a, b)) and has_target_cue(g, text[a:b], b - a)
    return out


_GOALS = st.lists(st.sampled_from(["到2022年底，", "(一)到2023年，", "目标：", "力争", "确保", "完成年度目标任务", "行政复议案件",
                                   "达到95%", "2021年", "。", "\n", "，", "至2025年"]), max_size=25).map("".join)


@settings(max_examples=300, deadline=None)
@given(_GOALS)
def test_goal_runs_read_on_demand_are_those_of_the_plain_walk(text):
    spans = _sentence_spans(text)
    runs = _GoalRuns(text, spans, grammar())
    assert {si for si in range(len(spans[0])) if runs.continues(si)} == _plain_goal_runs(text)


def test_a_run_of_goals_goes_on_over_each_sentence_that_opens_with_a_deadline():
    text = "目标：到2021年底，复议纠错率不低于15%。到2022年底，达到18%。到2023年底，达到20%。2024年，办理120件。"
    runs = _GoalRuns(text, _sentence_spans(text), grammar())
    assert [runs.continues(si) for si in range(4)] == [False, True, True, False]


def _plain_marker(text: str, i: int):
    best = None
    for name, rx in grammar().periods.items():
        for m in rx.finditer(text, 0, i):
            if best is None or (m.end(), -m.start()) > (best[1].end(), -best[1].start()):
                best = (name, m)
    return best and (best[0], best[1].span())


_PERIODS = st.lists(st.sampled_from(["2020年", "2021年度", "、", "和", "至", "—", "以来", "底", "前", "自", "近三年", "三年来",
                                     "今年", "全年", "十三五", "期间", "截至", "(", "》", "12月", "每年", "达到", "95%", "，",
                                     "行政复议案件", "本年度", "年内"]), max_size=16).map("".join)


@settings(max_examples=400, deadline=None)
@given(_PERIODS)
def test_the_nearest_period_marker_is_the_one_every_pattern_scanned_from_the_start_gives(text):
    s = Sentence(text, 0)
    for i in range(len(text) + 1):
        got = marker(s, i, grammar())
        assert (got and (got[0], got[1].span())) == _plain_marker(text, i)


def _grammar_patterns() -> dict:
    g = grammar()
    out = {k: v for k, v in vars(g).items() if isinstance(v, re.Pattern)}
    out.update({f"periods.{k}": v for k, v in g.periods.items()})
    return out


_WRAPPED = {k: (rx, re.compile(rx.pattern[rx.pattern.index("])(?:") + 5:-1]))
            for k, rx in _grammar_patterns().items() if rx.pattern.startswith("(?=[")}
# The words of the rules (their runs of Chinese characters) and figures, to make texts that match.
_RULE_WORDS = sorted({w for _, plain in _WRAPPED.values() for w in re.findall("[\u4e00-\u9fff“”]+", plain.pattern)}
                     | {"2020年", "2019", "12", "95%", ",", "、", ":", "(", "一"})


def test_the_first_character_look_ahead_is_put_only_where_re_would_try_every_position():
    assert {"periods.deadline", "change_before", "target_cue"} <= set(_WRAPPED)
    assert "concluded" not in _WRAPPED and "periods.this_year" not in _WRAPPED   # open with words: re skips by itself
    assert compile_fast("(?:到|至)?20\\d{2}年").pattern == "(?=[到至2])(?:(?:到|至)?20\\d{2}年)"
    assert compile_fast("(?:a|b)?").pattern == "(?:a|b)?"              # may match nothing
    assert compile_fast("(?:[^a]|b)c").pattern == "(?:[^a]|b)c"        # any first character
    assert compile_fast("(?i)(?:a|b)?c").pattern == "(?i)(?:a|b)?c"      # a flag of its own: as written


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_RULE_WORDS), max_size=10).map("".join))
def test_a_pattern_behind_its_first_character_look_ahead_matches_as_the_plain_one(text):
    for rx, plain in _WRAPPED.values():
        assert [(m.span(), m.groups()) for m in rx.finditer(text)] == [(m.span(), m.groups()) for m in plain.finditer(text)]
        for i in range(len(text) + 1):
            got, want = rx.match(text, i), plain.match(text, i)
            assert (got and (got.span(), got.groups())) == (want and (want.span(), want.groups()))
            got, want = rx.search(text, 0, i), plain.search(text, 0, i)
            assert (got and got.span()) == (want and want.span())


def test_the_characters_a_pattern_requires_are_its_sure_literals():
    assert required_chars("a(?:b|cb)d?e+[f]") == {"a", "b", "e", "f"}
    assert required_chars("(?=x)y(?<=y)(?!z)") == {"y"}          # a look-around holds nothing of the match
    assert required_chars("(?:ab|cd)|b") == frozenset()
    assert required_chars("(?i)ab") == required_chars("(?i:a)") == frozenset()
    assert {k for k, _ in grammar().period_groups} == {"年", "五", "月", "季"}   # part years: 1-10月, 前三季度


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_RULE_WORDS + ["今年", "全年", "每年", "十三五期间", "截至"]), max_size=10).map("".join))
def test_every_match_holds_the_characters_its_pattern_requires(text):
    for rx in _grammar_patterns().values():
        held = required_chars(rx.pattern)
        for m in rx.finditer(text):
            assert held <= set(m.group())


def _plain_changes(s: Sentence) -> frozenset:
    """The starts of the figures that state a change, each clause asked of Sentence.clause."""
    g, out, prev = grammar(), set(), None
    for f in s.figs:
        if g.change_before.search(s.text, max(s.clause(f.start)[0], f.start - 10), f.start) or (
                prev is not None and prev.start in out and g.list_joint.fullmatch(s.text, prev.end, f.start)):
            out.add(f.start)
        prev = f
    return frozenset(out)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["比上年", "提升", "增加", "减少了", "增幅为", "同比", "9.78%", "5.1%", "12件", "1,236件", "、", "和",
                                 "，", "；", "：", "受理", "达到", "至", "不少于"]), max_size=14).map("".join))
def test_the_figures_that_state_a_change_are_those_the_plain_clause_walk_finds(text):
    assert Sentence(text, 0).changes == _plain_changes(Sentence(text, 0))


def test_a_plain_wording_is_one_whose_claims_read_nothing_and_its_first_claim_is_chosen():
    from etl.mentions import _choose_phrase
    reads = {t for t in PHRASES if any(p.unless or p.subject or p.context for p in CAT.candidates(t))}
    assert CAT.plain == set(PHRASES) - reads and reads and CAT.plain
    for t in PHRASES:
        s = Sentence(f"全区{t}达到95%", 0)
        if t in CAT.plain:
            assert _choose_phrase(t, s, 2, CAT) is CAT.candidates(t)[0]
    assert _choose_phrase("不是措辞", Sentence("不是措辞", 0), 0, CAT) is None


_EVERY_CHARACTER = "".join(map(chr, range(0x10000))) + "\U00010000\U0010ffff"


def test_the_control_tables_hold_the_characters_of_their_classes():
    """The code-point tables answer as the character classes they stand for."""
    from etl.formats import _ANY_CONTROL
    from etl.text import _IS_CONTROL, _IS_NOT_GB2312, _NOT_GB2312, codes_in
    for table, cls in ((_IS_CONTROL, r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ue000-\uf8ff\ud800-\udfff]"),
                       (_ANY_CONTROL, r"[\x00-\x08\x0b-\x1f\x85\u2028\u2029]"), (_IS_NOT_GB2312, _NOT_GB2312.pattern)):
        rx = re.compile(cls)
        assert codes_in(table, _EVERY_CHARACTER).tolist() == [bool(rx.match(c)) for c in _EVERY_CHARACTER]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(list("一二九〇零○Oo三五点十x年") + ["二〇二一", "一九九九", "二O二O", "二零零八"]),
                max_size=12).map("".join))
def test_years_in_chinese_digits_are_rewritten_as_the_plain_substitution_does(text):
    from etl.numbers import _CN_YEAR, _NUMERAL_CHARS, arabic_years, cn_year
    plain = _CN_YEAR.sub(lambda m: m.group() if m.start() and text[m.start() - 1] in _NUMERAL_CHARS
                         else str(cn_year(m.group())), text)
    assert arabic_years(text) == plain
