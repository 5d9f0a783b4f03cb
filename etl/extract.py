"""Figures and targets of one document: catalog phrasings + a grammar of numbers, units,
periods, scopes and lists. Pure functions of (text, metadata, catalog): no I/O.

Stages, each a module with its input and output shapes in its docstring:
  etl.grammar   sentences, clauses and figures of the normalised text; the compiled rules;
  etl.mentions  per sentence, every phrasing bound to its value (kept or not, with flags);
  etl.periods   the period and scope of each mention (called by etl.mentions);
  etl.select    one fact per (indicator, period): the broadest scope, complementary scopes summed;
  etl.derive    rates derived from their counts, with formula and inputs.
etl.model holds the shapes they pass: Mention and Extraction.
"""
from __future__ import annotations

import bisect
from itertools import groupby

import numpy as np

from etl.catalog import Catalog, load_catalog
from etl.derive import derive_ratios
from etl.documents import DocMeta
from etl.grammar import SENTENCE_END_CHARS, Grammar, Sentence, grammar, has_target_cue
from etl.mentions import sentence_mentions
from etl.model import Extraction, Mention
from etl.select import select
from etl.text import Normalised

__all__ = ["Extraction", "Mention", "extract"]


def extract(meta: DocMeta, norm: Normalised, catalog: Catalog | None = None) -> Extraction:
    """One document's Extraction from its metadata (DocMeta: district, period, type) and
    normalised text (etl.text.Normalised): ``facts`` (one Mention per indicator and period, value
    in the catalog unit, spans in the normalised text, sorted by position), ``targets``, every
    ``mentions`` (kept or not, each with its status code) and ``flags`` (statements kept aside).
    ``catalog`` defaults to the shipped one. Pure: reads nothing but the catalog and rule files;
    raises CatalogError only for a broken catalog, never for odd text (it yields fewer figures)."""
    cat = catalog or load_catalog()
    g = grammar()
    ex = Extraction(meta, norm)
    raw_mentions: list[Mention] = []
    text = norm.text
    spans = _sentence_spans(text)
    goals = _GoalRuns(text, spans, g)
    for si, (a, b), starts in _phrased_sentences(text, cat, spans):
        raw_mentions.extend(sentence_mentions(Sentence(text[a:b], a), si, meta, cat, g, ex, goals.continues(si), starts))
    select(ex, raw_mentions, cat)
    derive_ratios(ex, cat)
    ex.facts.sort(key=lambda m: m.pos)
    ex.targets.sort(key=lambda m: m.pos)
    return ex


_END_CODES = [ord(c) for c in SENTENCE_END_CHARS]


def _sentence_spans(text: str) -> tuple[list[int], list[int]]:
    """(starts, ends) of the sentences of ``text``: the non-empty spans between sentence ends
    (``grammar.SENTENCE_END_CHARS``: 。！？ and line ends), as two lists: sentence ``si`` is
    ``text[starts[si]:ends[si]]``. The ends are found among the text's code points (faster than a
    pattern's matches, one object each)."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)   # one per character
    ends = np.append(np.flatnonzero(np.logical_or.reduce([codes == c for c in _END_CODES])), len(text))
    begins = np.concatenate(([0], ends[:-1] + 1))
    kept = ends > begins
    return begins[kept].tolist(), ends[kept].tolist()


def _phrased_sentences(text: str, cat: Catalog, spans: tuple[list[int], list[int]] | None = None):
    """(index, (start, end), phrasing starts) of the sentences of ``text`` (``spans``: their
    ``_sentence_spans``, computed when not given) that hold a catalog phrasing, found with one pass
    of the phrasings' pattern over the whole text: most sentences hold none, and only these are
    split into clauses and read for figures. The starts (in the sentence) are where the pattern
    matches in the sentence alone, too: a phrasing never holds a sentence end (a test checks the
    catalog), so each match lies inside one sentence, and the pattern looks at nothing around."""
    hits = [m.start() for m in cat.phrase_re.finditer(text)]
    if not hits:
        return
    begins, ends = spans or _sentence_spans(text)
    for si, group in groupby(hits, lambda h: bisect.bisect_right(ends, h)):    # in order: each sentence once
        a = begins[si]
        yield si, (a, ends[si]), [h - a for h in group]


class _GoalRuns:
    """Which sentences continue a run of goals, one per year: a sentence opening with a deadline
    (rules.yaml ``goal_run``: 「到2022年底，…」) right after a sentence that holds a deadline and a
    target cue (「目标：到2021年底，…」) or that continues a run itself. Their figures are targets
    although they hold no cue of their own. Read on demand, walking back from the sentence asked
    about (sentences ``spans``, as ``_sentence_spans`` gives them), so the sentences are not
    walked a second time."""

    def __init__(self, text: str, spans: tuple[list[int], list[int]], g: Grammar):
        self.text, self.begins, self.ends, self.g = text, spans[0], spans[1], g

    def continues(self, si: int) -> bool:
        """Whether sentence ``si`` continues a run of goals."""
        return self._opens_with_deadline(si) and self._goal_after(si - 1)

    def _opens_with_deadline(self, si: int) -> bool:
        return self.g.goal_run.match(self.text, self.begins[si], self.ends[si]) is not None

    def _goal_after(self, si: int) -> bool:
        """Whether a run of goals goes on after sentence ``si``: it states a goal (a deadline and
        a target cue), or continues a run that does."""
        text, deadline = self.text, self.g.periods["deadline"]
        while si >= 0:
            a, b = self.begins[si], self.ends[si]
            if deadline.search(text, a, b) and has_target_cue(self.g, text[a:b], b - a):
                return True
            if not self._opens_with_deadline(si):
                return False
            si -= 1
        return False
