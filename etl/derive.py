"""Derived figures, each with its formula and inputs.

In: the mentions or facts of one document. Out: a summed district figure from complementary
scopes (sum_parts: 929 + 1022), and rates derived from their counts (derive_ratios: the catalog's
`derive: ratio` — 2348 / 2384 × 100 for people's mediation, losses / concluded lawsuits for the
loss rate), appended to ex.facts and ex.mentions; a stated rate keeps its value and gains the
counts, or a note when they disagree.
"""
from __future__ import annotations

from dataclasses import replace

from etl.catalog import Catalog, Indicator
from etl.model import Extraction, Mention, fmt


def sum_parts(parts: list[Mention], ind: Indicator) -> Mention:
    """One district figure summed from complementary scopes' mentions (区政府 929 + 部门 1022 → 1951, formula '929 +
    1022', ``inputs`` = the parts, approximate when any part is); the parts keep their own rows in mentions."""
    total = sum(p.value for p in parts)
    return replace(parts[0], value=total, scope="、".join(p.scope for p in parts), scope_level="district",
                   norm_start=min(p.norm_start for p in parts), norm_end=max(p.norm_end for p in parts), derived=True,
                   rule="derived_sum", formula=" + ".join(fmt(p.value) for p in parts),
                   qualifier="approximate" if any(p.qualifier != "exact" for p in parts) else "exact",
                   inputs=list(parts), status="kept", status_detail="")


def derive_ratios(ex: Extraction, cat: Catalog) -> None:
    """Append to ``ex.facts`` and ``ex.mentions`` each rate the catalog derives (``derive: ratio``) from two counts
    of one period: value = k / n × 100 rounded to the indicator's decimals, formula '2348 / 2384 × 100',
    ``inputs`` = the two count facts. A stated rate of that period wins: it gains the counts when they agree
    within 0.6 points, a note when they do not. Returns None."""
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
            formula = f"{fmt(num.value)} / {fmt(den.value)} × 100"
            stated = by_key.get((ind.id, ps, pe))
            if stated is not None:
                if stated.numerator is None and abs((stated.value or 0) - value) <= 0.6:
                    stated.numerator, stated.denominator = num.value, den.value
                elif abs((stated.value or 0) - value) > 0.6:
                    stated.add_note(f"由计数推算为 {fmt(value)}%（{formula}），与所述不一致")
                continue
            first, last = (num, den) if num.norm_start <= den.norm_start else (den, num)
            start, end = first.norm_start, last.norm_end
            if first.sentence != last.sentence:
                end = first.norm_end
            fact = Mention(ind.id, "actual", value, ind.unit, "exact", period_start=ps, period_end=pe,
                           scope=den.scope, scope_level=den.scope_level, norm_start=start, norm_end=max(end, first.norm_end),
                           rule="derived_ratio", numerator=num.value, denominator=den.value, derived=True,
                           formula=formula,
                           inputs=[num, den],
                           sentence=first.sentence, pos=max(num.pos, den.pos))
            ex.facts.append(fact)
            ex.mentions.append(fact)
