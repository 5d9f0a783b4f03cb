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

import re

import numpy as np

from etl.catalog import Catalog, load_catalog
from etl.derive import derive_ratios
from etl.documents import DocMeta
from etl.grammar import SENTENCE_END, Grammar, Sentence, grammar, has_target_cue, iter_sentences
from etl.mentions import sentence_mentions
from etl.model import Extraction, Mention
from etl.select import select
from etl.text import Normalised

__all__ = ["Extraction", "Mention", "extract"]


def extract(meta: DocMeta, norm: Normalised, catalog: Catalog | None = None) -> Extraction:
    """Facts, targets, mentions and flags of one document (its metadata and normalised text)."""
    cat = catalog or load_catalog()
    g = grammar()
    ex = Extraction(meta, norm)
    raw_mentions: list[Mention] = []
    text = norm.text
    goals = _goal_runs(text, g)
    for si, (a, b) in _phrased_sentences(text, cat):
        raw_mentions.extend(sentence_mentions(Sentence(text[a:b], a), si, meta, cat, g, ex, si in goals))
    select(ex, raw_mentions, cat)
    derive_ratios(ex, cat)
    ex.facts.sort(key=lambda m: m.pos)
    ex.targets.sort(key=lambda m: m.pos)
    return ex


def _phrased_sentences(text: str, cat: Catalog):
    """(index, (start, end)) of the sentences of ``text`` (those of ``iter_sentences``: the
    non-empty spans between sentence ends) that hold a catalog phrasing, found with one pass of
    the phrasings' pattern over the whole text: most sentences hold none, and only these are
    split into clauses and read for figures. A phrasing never holds a sentence end (a test
    checks the catalog), so each match lies inside one sentence."""
    hits = [m.start() for m in cat.phrase_re.finditer(text)]
    if not hits:
        return
    ends = np.array([m.start() for m in SENTENCE_END.finditer(text)] + [len(text)], dtype=np.int64)
    begins = np.concatenate(([0], ends[:-1] + 1))
    index = np.concatenate(([0], np.cumsum(ends > begins)))     # sentences before each span
    for k in np.unique(np.searchsorted(ends, hits, side="right")).tolist():
        yield int(index[k]), (int(begins[k]), int(ends[k]))


_DEADLINE_YEAR = re.compile(r"(?:到|至)(?:19|20)\d{2}年")


def _goal_runs(text: str, g: Grammar) -> frozenset:
    """Indices (as ``iter_sentences`` counts them) of the sentences that continue a run of goals,
    one per year: a sentence opening with a deadline (rules.yaml ``goal_run``: 「到2022年底，…」)
    right after a sentence that holds a deadline and a target cue (「目标：到2021年底，…」) or that
    continues a run itself. Their figures are targets although they hold no cue of their own."""
    out: set[int] = set()
    if not _DEADLINE_YEAR.search(text):
        return frozenset()
    goal = False
    deadline = g.periods["deadline"]
    for si, (a, b) in enumerate(iter_sentences(text)):
        if goal and g.goal_run.match(text, a, b):
            out.add(si)
            continue
        goal = bool(deadline.search(text, a, b)) and has_target_cue(g, text[a:b], b - a)
    return frozenset(out)
