"""The warehouse's tables: the contract between etl/ and metrics/, declared once.

Each table is a frozen dataclass whose fields are its columns, in order, each with its SQL type
and a one-line meaning; enumerations and range checks sit on the field. From these declarations
come the DDL (with CHECK, enumerations, and the keys as unique indexes a loader may create after
loading: ``ddl(keys=False)`` then ``key_ddl()``), the strict row check
the build uses (``check_columns``: a misnamed or missing column is an error, never a silent
NULL), the column kinds the metrics loader casts to (``column_kinds``) and the README's table
(``markdown_table``; a test compares them).
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields

DOC_TYPES = ("annual_report", "multi_year_report", "plan")
SPAN_KINDS = ("annual", "cumulative")
QUALIFIERS = ("exact", "approximate", "at_least", "at_most")
SCOPE_LEVELS = ("district", "agencies", "government", "departments", "unstated")
COMPARATORS = (">=", "<=", "=", "rank")
MENTION_KINDS = ("actual", "target")
FLAG_KINDS = ("ambiguous_change", "change_points", "change_percent", "change_count", "list_mismatch", "future_year",
              "out_of_range", "unknown_year", "conflict")
DIRECTIONS = ("higher", "lower", "neutral")
CORRECTION_ACTIONS = ("set", "reject", "undo")

# Why a mention is or is not the document's figure: code → (Chinese, English); ``{}`` is the
# mention's ``status_detail``. The one vocabulary of ``Mention.status`` and ``mentions.status``.
STATUSES = {
    "kept": ("已采用", "used"),
    "carried_over": ("上年结转的数，不是本年数", "carried over from the year before"),
    "applications": ("收到的申请数，另有依法受理数", "applications received; the count accepted is kept"),
    "handled": ("办理数（可含上年结转），同句另有新收/受理数", "cases handled, not the count received"),
    "other_stage": ("其他环节（{}）的数，不是收案数", "another stage's count ({}), not the count received"),
    "one_procedure": ("单一事项（{}）的数值，不是全区的指标", "one procedure's figure ({}), not the district's"),
    "joined": ("两项合计的数，不是本指标的数", "two items counted together, not this indicator's count"),
    "others": ("其他单位的数或与其他活动合计的数，不是本指标的数",
               "other bodies' count or a count pooled with other events, not this indicator's"),
    "end_year_unknown": ("时段的截止年份不明（文件没有年份），未采用", "a span whose end year is unknown"),
    "held_bound": ("多年间保持的上限或下限，不是某一年的水平", "a bound held over several years, not one year's level"),
    "this_year_unknown": ("「今年」所指年份不明（文件没有日期），未作为目标", "「今年」 without a document date"),
    "future_year": ("年份在报告期之后且没有目标用语，不作为实际数或目标",
                    "a year after the reporting period without a target word: neither an actual nor a target"),
    "out_of_range": ("比率 {}% 超出 0–100", "rate {}% out of range 0–100"),
    "part_year": ("年内部分时段（{}）的数值，不是全年数", "a part of the year ({}), not the whole year's figure"),
    "repeated_target": ("同一目标的重复表述", "repeated target"),
    "higher_level": ("上级（全市/全省）的数值，不是本级的数据", "figure of a higher level (city, province)"),
    "part": ("一部分（{}）的数值，不是全区的总数", "part of the total or another population ({})"),
    "elsewhere": ("其他地方（{}）的数值，不是本地的数据", "figure of another place ({})"),
    "summed": ("已合并为全区合计", "summed into a district total"),
    "conflicting": ("同一文件同一范围另有数值 {}", "conflicting mention: the document also gives {} for the same scope"),
    "repeated": ("重复表述", "repeated"),
    "narrower_scope": ("范围较窄（{}），保留范围更大的数值", "narrower scope ({}); the broader scope's figure is kept"),
    "unstated_scope": ("未说明范围的另一数值（可能是另一类对象），保留{}的数值",
                       "another figure of unstated scope (possibly another population); the figure of {} is kept"),
}


def status_text(status: str, detail: str = "", lang: str = "zh") -> str:
    """The message of a mention status code in ``lang`` ('zh' or 'en'), its blank filled with
    ``detail``: ('part', '涉企', 'zh') → '一部分（涉企）的数值，不是全区的总数'. An unknown code (a
    warehouse of an older version) is returned as it is, never an error."""
    if status not in STATUSES:
        return str(status)
    zh, en = STATUSES[status]
    return (en if lang == "en" else zh).format(detail or ("未说明" if lang != "en" else "unstated"))


class SchemaError(ValueError):
    """Rows that do not fit their table's declaration (a column missing or unknown)."""


def col(sql: str, doc: str, *, values: tuple | None = None, check: str = ""):
    """A column: its SQL type, its meaning, optionally the values it may take or a CHECK."""
    return field(default=None, metadata={"sql": sql, "doc": doc, "values": values, "check": check})


@dataclass(frozen=True)
class Document:
    """One source document of data/raw."""
    doc: str = col("VARCHAR PRIMARY KEY", "file name in data/raw")
    title: str = col("VARCHAR", "title, detected or from metadata.csv")
    district: str = col("VARCHAR NOT NULL", "district the document speaks for")
    doc_type: str = col("VARCHAR NOT NULL", "type", values=DOC_TYPES)
    period: str = col("VARCHAR NOT NULL", "'YYYY' or 'YYYY-YYYY'")
    period_start: int = col("INTEGER NOT NULL", "first year")
    period_end: int = col("INTEGER NOT NULL", "last year", check="period_end >= period_start")
    doc_date: str = col("VARCHAR", "ISO date when the text gives one")
    sha256: str = col("VARCHAR", "of the file's bytes")
    text_sha256: str = col("VARCHAR", "of the normalised text (the same report re-encoded or re-formatted)")
    encoding: str = col("VARCHAR", "how the file was read (utf-8, gb18030, docx, pdf …)")
    n_chars: int = col("INTEGER", "characters of raw_text", check="n_chars >= 0")
    detected: str = col("VARCHAR", "fields detected rather than overridden by metadata")
    original_name: str = col("VARCHAR", "an upload's own file name")
    added_by: str = col("VARCHAR", "who imported it")
    added_at: str = col("VARCHAR", "when")
    extract_key: str = col("VARCHAR", "sha256 of what the rows were extracted from (the file's bytes, its "
                                      "metadata.csv record, the extractor's code and catalog): a rebuild reuses "
                                      "the rows of a document whose key is unchanged")
    raw_text: str = col("VARCHAR", "the decoded text; every start/end indexes into it")


@dataclass(frozen=True)
class Indicator:
    """One catalog indicator (etl/catalog/indicators.yaml)."""
    id: str = col("VARCHAR PRIMARY KEY", "indicator id")
    name_zh: str = col("VARCHAR", "Chinese name")
    name_en: str = col("VARCHAR", "English name")
    category: str = col("VARCHAR", "category id")
    category_zh: str = col("VARCHAR", "category, Chinese")
    category_en: str = col("VARCHAR", "category, English")
    unit: str = col("VARCHAR", "catalog unit")
    decimals: int = col("INTEGER", "decimals shown")
    direction: str = col("VARCHAR", "which way is better", values=DIRECTIONS)
    headline: bool = col("BOOLEAN", "shown on the overview")
    phrases: str = col("VARCHAR", "'|'-joined wordings")


@dataclass(frozen=True)
class Fact:
    """One kept figure: one per (document, indicator, period)."""
    fact_id: int = col("INTEGER PRIMARY KEY", "sequential id in document order")
    doc: str = col("VARCHAR NOT NULL", "source document")
    district: str = col("VARCHAR NOT NULL", "district")
    period: str = col("VARCHAR NOT NULL", "'YYYY' or 'YYYY-YYYY'")
    period_start: int = col("INTEGER", "first year")
    period_end: int = col("INTEGER", "last year")
    span_kind: str = col("VARCHAR NOT NULL", "one year or a multi-year span", values=SPAN_KINDS)
    indicator: str = col("VARCHAR NOT NULL", "indicator id")
    value: float = col("DOUBLE", "in the catalog unit; a rate lies in 0–100, a count is ≥ 0",
                       check="value IS NULL OR (value >= 0 AND (unit <> '%' OR value <= 100))")
    unit: str = col("VARCHAR", "catalog unit")
    qualifier: str = col("VARCHAR NOT NULL", "exact or a bound", values=QUALIFIERS)
    scope: str = col("VARCHAR", "the wording that narrows it (区政府, 全区 …) or ''")
    scope_level: str = col("VARCHAR NOT NULL", "scope level", values=SCOPE_LEVELS)
    numerator: float = col("DOUBLE", "k of a rate k/n when the text gives counts", check="numerator >= 0")
    denominator: float = col("DOUBLE", "n of a rate k/n", check="denominator >= 0")
    derived: bool = col("BOOLEAN", "computed from other figures")
    formula: str = col("VARCHAR", "how, e.g. '2348 / 2384 × 100'")
    mention_id: int = col("INTEGER", "its row in mentions (every built figure is a mention too)")
    inputs: list = col("INTEGER[]", "a derived figure's inputs, as mention_id (join facts or mentions on "
                                    "mention_id: a ratio's counts are facts, a sum's 区政府 and 部门 parts "
                                    "are mentions only); empty when stated")
    start: int = col("INTEGER", "span in documents.raw_text")
    end: int = col("INTEGER", "end of that span")
    quote: str = col("VARCHAR", "the sentence part (normalised)")
    rule: str = col("VARCHAR", "extraction rule")
    note: str = col("VARCHAR", "notes: a merged list, an ambiguous change …")
    corrected: bool = col("BOOLEAN", "a reviewer changed the value")
    original_value: float = col("DOUBLE", "the extracted value before the correction")
    correction: str = col("VARCHAR", "who, when, why")


@dataclass(frozen=True)
class Target:
    """One target of a plan or a report."""
    target_id: int = col("INTEGER PRIMARY KEY", "sequential id in document order")
    doc: str = col("VARCHAR NOT NULL", "source document")
    district: str = col("VARCHAR NOT NULL", "district")
    period: str = col("VARCHAR NOT NULL", "deadline 'YYYY' or the span it holds for 'YYYY-YYYY'")
    period_start: int = col("INTEGER", "first year")
    period_end: int = col("INTEGER", "deadline")
    indicator: str = col("VARCHAR NOT NULL", "indicator id")
    comparator: str = col("VARCHAR NOT NULL", "direction of the target", values=COMPARATORS)
    value: float = col("DOUBLE", "threshold in the catalog unit; NULL when relative",
                       check="value IS NULL OR (value >= 0 AND (unit <> '%' OR value <= 100))")
    unit: str = col("VARCHAR", "catalog unit")
    relative: bool = col("BOOLEAN", "against a reference (全市平均 …)")
    reference: str = col("VARCHAR", "the reference: 上年度全市平均值, 全市前列 …")
    scope: str = col("VARCHAR", "the wording that narrows it or ''")
    start: int = col("INTEGER", "span in documents.raw_text")
    end: int = col("INTEGER", "end of that span")
    quote: str = col("VARCHAR", "the sentence part (normalised)")
    rule: str = col("VARCHAR", "extraction rule")
    corrected: bool = col("BOOLEAN", "a reviewer changed the value")
    original_value: float = col("DOUBLE", "the extracted value before the correction")
    correction: str = col("VARCHAR", "who, when, why")


@dataclass(frozen=True)
class Mention:
    """Every match of a phrasing with a figure, kept or not."""
    mention_id: int = col("INTEGER PRIMARY KEY", "sequential id in document order")
    doc: str = col("VARCHAR", "source document")
    district: str = col("VARCHAR", "district")
    period: str = col("VARCHAR", "period")
    kind: str = col("VARCHAR", "actual or target", values=MENTION_KINDS)
    indicator: str = col("VARCHAR", "indicator id")
    value: float = col("DOUBLE", "value as read (may be out of range: then not kept)")
    scope: str = col("VARCHAR", "scope wording")
    start: int = col("INTEGER", "span in documents.raw_text")
    end: int = col("INTEGER", "end of that span")
    quote: str = col("VARCHAR", "the sentence part")
    rule: str = col("VARCHAR", "extraction rule")
    status: str = col("VARCHAR", "'kept' or why not: a code of STATUSES (etl/schema.py)", values=tuple(STATUSES))
    status_detail: str = col("VARCHAR", "the blank of the status message (a scope, a value, a word)")


@dataclass(frozen=True)
class Flag:
    """A statement kept aside, never turned into a figure."""
    doc: str = col("VARCHAR", "source document")
    district: str = col("VARCHAR", "district")
    period: str = col("VARCHAR", "period")
    indicator: str = col("VARCHAR", "indicator id")
    kind: str = col("VARCHAR", "why it was kept aside", values=FLAG_KINDS)
    message: str = col("VARCHAR", "what to check (Chinese, then English)")
    start: int = col("INTEGER", "span in documents.raw_text")
    end: int = col("INTEGER", "end of that span")
    quote: str = col("VARCHAR", "the sentence part")


@dataclass(frozen=True)
class Correction:
    """A manual change, append-only (data/corrections.jsonl); an undo is a record too."""
    id: int = col("INTEGER", "correction number")
    made_at: str = col("VARCHAR", "when")
    who: str = col("VARCHAR", "who")
    action: str = col("VARCHAR", "set, reject or undo", values=CORRECTION_ACTIONS)
    tbl: str = col("VARCHAR", "facts or targets")
    doc: str = col("VARCHAR", "document")
    indicator: str = col("VARCHAR", "indicator id")
    period: str = col("VARCHAR", "period")
    comparator: str = col("VARCHAR", "targets: which one")
    before: float = col("DOUBLE", "value before")
    after: float = col("DOUBLE", "value after")
    reason: str = col("VARCHAR", "why")
    undoes: int = col("INTEGER", "the correction an undo undoes")
    active: bool = col("BOOLEAN", "in force (not undone)")


@dataclass(frozen=True)
class Dropped:
    """A document of data/raw the build could not use."""
    doc: str = col("VARCHAR", "file name")
    message: str = col("VARCHAR", "why (Chinese, then English)")


@dataclass(frozen=True)
class Reference:
    """A reference value for relative targets (全市平均 …), from data/reference/reference.csv."""
    area: str = col("VARCHAR", "全市, 全省, 全国 or a district")
    indicator: str = col("VARCHAR", "indicator id")
    year: int = col("INTEGER", "year")
    value: float = col("DOUBLE", "value in the catalog unit")
    source: str = col("VARCHAR", "where it comes from")


TABLES: dict[str, type] = {"documents": Document, "indicators": Indicator, "facts": Fact, "targets": Target,
                           "mentions": Mention, "flags": Flag, "corrections": Correction, "dropped": Dropped,
                           "reference": Reference}
UNIQUE = {"facts": ("doc", "indicator", "period")}   # one kept fact per document, indicator and period


def columns(table: str) -> list[str]:
    """The column names of ``table``, in order. KeyError for an unknown table."""
    return [f.name for f in fields(TABLES[table])]


def _quote(name: str) -> str:
    return f'"{name}"' if name in ("end", "start", "before", "after") else name


def _key_columns(table: str) -> list[tuple[str, ...]]:
    """The unique keys of ``table``: its PRIMARY KEY column, then its UNIQUE column sets."""
    primary = [(f.name,) for f in fields(TABLES[table]) if "PRIMARY KEY" in f.metadata["sql"]]
    return primary + ([UNIQUE[table]] if table in UNIQUE else [])


def ddl(keys: bool = True) -> str:
    """CREATE TABLE statements for every table, with CHECKs and enumerations (a PRIMARY KEY column
    is NOT NULL), then, with ``keys``, :func:`key_ddl`. Without ``keys`` a loader appends rows
    without checking each against an index and runs ``key_ddl()`` after loading (a duplicate
    then fails that statement)."""
    out = []
    for table, cls in TABLES.items():
        lines = []
        for f in fields(cls):
            sql = f"    {_quote(f.name)} {f.metadata['sql'].replace('PRIMARY KEY', 'NOT NULL')}"
            if f.metadata["values"]:
                allowed = ", ".join("'" + v.replace("'", "''") + "'" for v in f.metadata["values"])
                sql += f" CHECK ({_quote(f.name)} IN ({allowed}))"
            lines.append(sql)
        checks = [f.metadata["check"] for f in fields(cls) if f.metadata["check"]]
        lines += [f"    CHECK ({c})" for c in checks]
        out.append(f"CREATE TABLE {table} (\n" + ",\n".join(lines) + "\n);")
    return "\n".join(out + ([key_ddl()] if keys else []))


def key_ddl() -> str:
    """CREATE UNIQUE INDEX statements for every table's keys (PRIMARY KEY columns, ``UNIQUE``):
    once they exist, an INSERT of a duplicate is refused (duckdb.ConstraintException); run on
    rows holding a duplicate they fail (duckdb.ConstraintException)."""
    return "\n".join(f"CREATE UNIQUE INDEX {table}_{'_'.join(key)} ON {table} ({', '.join(map(_quote, key))});"
                     for table in TABLES for key in _key_columns(table))


DDL = ddl()


def column_kinds(table: str) -> dict[str, str]:
    """Column → 'number' | 'bool' | 'text' | 'ids' (a list of row ids), what the metrics loader casts
    each column to. KeyError for an unknown table."""
    kind = {int: "number", float: "number", bool: "bool", str: "text", list: "ids", "int": "number",
            "float": "number", "bool": "bool", "str": "text", "list": "ids"}
    return {f.name: kind[f.type] for f in fields(TABLES[table])}


def check_columns(table: str, names) -> None:
    """SchemaError unless ``names`` are exactly the columns of ``table`` (any order)."""
    want, got = set(columns(table)), set(names)
    if want != got:
        raise SchemaError(f"表 {table} 的列与声明不符：缺少 {sorted(want - got)}，多出 {sorted(got - want)} "
                          f"(columns of {table} do not match its declaration)")


def markdown_table() -> str:
    """The README's table of warehouse tables: one row per table, its columns with their meaning."""
    rows = ["| table | columns |", "|---|---|"]
    for table, cls in TABLES.items():
        described = []
        for f in fields(cls):
            extra = f" ({' / '.join(f.metadata['values'])})" if f.metadata["values"] else ""
            described.append(f"`{f.name}` {f.metadata['doc']}{extra}")
        rows.append(f"| `{table}` | {(cls.__doc__ or '').strip()} " + "; ".join(described) + " |")
    return "\n".join(rows)

