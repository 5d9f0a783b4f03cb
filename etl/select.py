"""Selection: one fact per (document, indicator, period) and one target per
(indicator, period, comparator).

In: an Extraction and every Mention of its document. Out: ex.facts, ex.targets and ex.mentions
filled; each mention not kept says why (a higher level's figure, a part of the total, a narrower
scope, a repeat, a conflicting value). The broadest scope wins, then the first mention; figures of complementary
scopes (区政府 + 部门、镇街) of an additive indicator are summed into a derived district figure.
"""
from __future__ import annotations

from etl.catalog import Catalog
from etl.derive import sum_parts
from etl.grammar import grammar
from etl.model import Extraction, Mention, fmt


def select(ex: Extraction, mentions: list[Mention], cat: Catalog) -> None:
    """Fill ``ex.facts``, ``ex.targets`` and ``ex.mentions`` from the document's ``mentions``: one fact per
    (indicator, period) — the broadest scope, then the first; a figure of a higher level or another place is
    not kept; complementary scopes of an additive indicator are summed (``sum_parts``); every mention not kept
    says why in ``status``. Returns None."""
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
            m.supersede("repeated_target")
        else:
            ex.targets.append(m)
    for key, group in actual.items():
        ind = cat.indicators[key[0]]
        _applications(group, rank)
        for m in group:
            if m.scope_level == "city":
                m.supersede("higher_level")
            elif m.scope_level == "part":
                m.supersede("part", m.scope)
            elif m.scope_level == "elsewhere":
                m.supersede("elsewhere", m.scope)
        group = [m for m in group if m.status == "kept"]
        if not group:
            continue
        group.sort(key=lambda m: (rank.get(m.scope_level, 9), m.pos))
        best = group[0]
        if ind.additive and best.scope_level in ("government", "departments"):
            parts = _complementary(group)
            if parts:
                best = sum_parts(parts, ind)
                for p in parts:
                    p.supersede("summed")
                ex.mentions.append(best)
        for m in group:
            if m is best or m.status != "kept":
                continue
            same = rank.get(m.scope_level, 9) == rank.get(best.scope_level, 9)
            if same and m.value != best.value:
                m.supersede("conflicting", fmt(best.value))
                best.add_note(f"同一文件另有数值 {fmt(m.value)}（{ex.quote(m)}）")
            elif same:
                m.supersede("repeated")
            elif m.scope:
                m.supersede("narrower_scope", m.scope)
            else:
                m.supersede("unstated_scope", best.scope)
        ex.facts.append(best)


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


def _applications(group: list[Mention], rank: dict) -> None:
    """Of the applications received (收到…申请) and the cases accepted (受理) of one indicator and
    period, the count accepted is the indicator's: applications are mentions when a count
    accepted of the place itself (or of no stated scope) stands in the document."""
    if any(m.stage == "accepted" and m.status == "kept" and rank.get(m.scope_level, 9) <= rank["unstated"]
           for m in group):
        for m in group:
            if m.stage == "applications" and m.status == "kept":
                m.supersede("applications")
