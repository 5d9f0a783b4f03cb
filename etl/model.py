"""The extraction's data shapes: a Mention (one phrasing bound to a value, kept or not, with
its period, scope, span and rule) and an Extraction (one document's facts, targets, mentions and
flags). Spans are offsets in the normalised text; Extraction.raw_span maps them to the raw text.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from etl.documents import DocMeta, format_period
from etl.schema import STATUSES
from etl.text import Normalised


@dataclass
class Mention:
    """One wording of an indicator bound to a value in one document, kept or not: kind (actual /
    target), value in the catalog unit, qualifier, comparator, period (first and last year),
    scope, span in the NORMALISED text (``norm_start``/``norm_end``; ``Extraction.raw_span`` maps it to the
    raw text), the rule that read it, a derived figure's formula and input Mentions, and
    ``status`` (a code of ``STATUSES``: 'kept' or why it was not kept, with ``status_detail``
    filling the message's blank; set through ``supersede``)."""
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
    norm_start: int = 0           # span in the normalised text (raw offsets: Extraction.raw_span)
    norm_end: int = 0
    rule: str = ""
    numerator: float | None = None
    denominator: float | None = None
    derived: bool = False
    formula: str = ""
    inputs: list = field(default_factory=list)   # the Mentions a derived figure is computed from
    note: str = ""
    sentence: int = 0
    pos: int = 0
    status: str = "kept"          # a code of STATUSES
    status_detail: str = ""       # the blank of the status message: a scope, a value, a word
    stage: str = ""               # of a received count: 'accepted' (受理) or 'applications' (收到…申请)

    @property
    def period(self) -> str:
        """'2020' or '2016-2020' (etl.documents.format_period); '' without a first year."""
        return format_period(self.period_start, self.period_end)

    def supersede(self, status: str, detail: object = "") -> None:
        """Mark the mention not kept, for the reason ``status`` (a code of ``STATUSES`` other than
        'kept') with ``detail`` filling its message's blank. Raises ValueError for an unknown code."""
        if status not in STATUSES or status == "kept":
            raise ValueError(f"unknown mention status {status!r}")
        self.status, self.status_detail = status, str(detail)

    def add_note(self, text: str) -> None:
        """Append ``text`` to the note (「；」 between notes)."""
        self.note = f"{self.note}；{text}" if self.note else text


@dataclass
class Extraction:
    """One document's extraction: its metadata and normalised text, the kept facts and targets,
    every mention (kept or not) and the flags (statements kept aside: ambiguous changes, list
    mismatches, …)."""
    meta: DocMeta
    norm: Normalised
    facts: list = field(default_factory=list)
    targets: list = field(default_factory=list)
    mentions: list = field(default_factory=list)
    flags: list = field(default_factory=list)

    def quote(self, m: Mention) -> str:
        """The normalised text of ``m``'s span (the quote the tables show)."""
        return self.norm.text[m.norm_start:m.norm_end]

    def raw_span(self, m: Mention) -> tuple[int, int]:
        """``m``'s span as (start, end) character offsets of the raw text (facts.start/end)."""
        return self.norm.raw_span(m.norm_start, m.norm_end)


def fmt(v: float | None) -> str:
    """A value as the tables print it: 5 → '5', 98.4900 → '98.49', None → ''."""
    if v is None:
        return ""
    return f"{v:.4f}".rstrip("0").rstrip(".") if v != int(v) else str(int(v))
