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

from etl.catalog import Catalog, load_catalog
from etl.derive import derive_ratios
from etl.documents import DocMeta
from etl.grammar import Sentence, grammar, iter_sentences
from etl.mentions import sentence_mentions
from etl.model import Extraction, Mention, fmt
from etl.select import select
from etl.text import Normalised

__all__ = ["Extraction", "Mention", "extract", "_fmt"]
_fmt = fmt   # the tables' number format, under its former name (etl.pipeline)


def extract(meta: DocMeta, norm: Normalised, catalog: Catalog | None = None) -> Extraction:
    """Facts, targets, mentions and flags of one document (its metadata and normalised text)."""
    cat = catalog or load_catalog()
    g = grammar()
    ex = Extraction(meta, norm)
    raw_mentions: list[Mention] = []
    text = norm.text
    for si, m in enumerate(iter_sentences(text)):
        if not cat.phrase_re.search(text, m[0], m[1]):
            continue                              # no phrasing: nothing to find (most sentences)
        s = Sentence(text[m[0]:m[1]], m[0])
        raw_mentions.extend(sentence_mentions(s, si, meta, cat, g, ex))
    select(ex, raw_mentions, cat)
    derive_ratios(ex, cat)
    ex.facts.sort(key=lambda m: m.pos)
    ex.targets.sort(key=lambda m: m.pos)
    return ex
