"""The warehouse's tables: the contract between etl/ and metrics/.

Column meanings are documented in README.md ("Warehouse tables").
"""
from __future__ import annotations

DDL = """
CREATE TABLE documents (
    doc          VARCHAR PRIMARY KEY,  -- file base name, e.g. 002_d61b1cf0558df1ae.txt
    title        VARCHAR,
    district     VARCHAR,
    doc_type     VARCHAR,              -- annual_report | multi_year_report | plan
    period       VARCHAR,              -- 'YYYY' or 'YYYY-YYYY'
    period_start INTEGER,
    period_end   INTEGER,
    doc_date     VARCHAR,              -- ISO date when the text gives one
    sha256       VARCHAR,              -- of the file's bytes
    text_sha256  VARCHAR,              -- of its normalised text: the same report re-encoded or re-formatted
    encoding     VARCHAR,
    n_chars      INTEGER,
    detected     VARCHAR,              -- which fields were detected vs overridden by metadata
    original_name VARCHAR,             -- the uploaded file's own name (stored under `doc`)
    added_by     VARCHAR,
    added_at     VARCHAR,
    raw_text     VARCHAR               -- decoded text; fact spans index into it
);
CREATE TABLE indicators (
    id        VARCHAR PRIMARY KEY,
    name_zh   VARCHAR,
    name_en   VARCHAR,
    category  VARCHAR,
    category_zh VARCHAR,
    category_en VARCHAR,
    unit      VARCHAR,
    decimals  INTEGER,
    direction VARCHAR,                 -- higher | lower | neutral
    headline  BOOLEAN,
    phrases   VARCHAR                  -- '|'-joined wordings
);
CREATE TABLE facts (
    fact_id      INTEGER PRIMARY KEY,
    doc          VARCHAR,
    district     VARCHAR,
    period       VARCHAR,
    period_start INTEGER,
    period_end   INTEGER,
    span_kind    VARCHAR,              -- annual | cumulative (a multi-year span)
    indicator    VARCHAR,
    value        DOUBLE,
    unit         VARCHAR,
    qualifier    VARCHAR,              -- exact | approximate | at_least
    scope        VARCHAR,              -- the wording that narrows it (区政府, 全区 ...) or ''
    scope_level  VARCHAR,              -- district | agencies | government | departments | unstated
    numerator    DOUBLE,               -- k of a rate k/n when the text gives counts
    denominator  DOUBLE,               -- n of a rate k/n
    derived      BOOLEAN,
    formula      VARCHAR,              -- how a derived figure was computed, e.g. '2348 / 2384 × 100'
    inputs       VARCHAR,              -- fact ids or quotes the formula used
    start        INTEGER,              -- character span in documents.raw_text
    "end"        INTEGER,
    quote        VARCHAR,              -- the sentence part, normalised (line breaks removed)
    rule         VARCHAR,              -- which extraction rule matched
    note         VARCHAR,              -- flags: conflicting mentions, ambiguous change ...
    corrected    BOOLEAN,              -- a reviewer changed the value (see corrections)
    original_value DOUBLE,             -- the extracted value before the correction
    correction   VARCHAR               -- who, when, why
);
CREATE TABLE targets (
    target_id    INTEGER PRIMARY KEY,
    doc          VARCHAR,
    district     VARCHAR,
    period       VARCHAR,              -- deadline year 'YYYY' or the span it holds for 'YYYY-YYYY'
    period_start INTEGER,
    period_end   INTEGER,
    indicator    VARCHAR,
    comparator   VARCHAR,              -- >= | <= | = | rank
    value        DOUBLE,               -- NULL for relative targets
    unit         VARCHAR,
    relative     BOOLEAN,
    reference    VARCHAR,              -- relative targets: 上年度全市平均值, 全市前列 ...
    scope        VARCHAR,
    start        INTEGER,
    "end"        INTEGER,
    quote        VARCHAR,
    rule         VARCHAR,
    corrected    BOOLEAN,
    original_value DOUBLE,
    correction   VARCHAR
);
CREATE TABLE mentions (               -- every match, including the ones not kept as facts
    doc VARCHAR, district VARCHAR, period VARCHAR, kind VARCHAR, indicator VARCHAR,
    value DOUBLE, scope VARCHAR, start INTEGER, "end" INTEGER, quote VARCHAR,
    rule VARCHAR, status VARCHAR      -- kept | superseded: <why>
);
CREATE TABLE flags (                  -- statements kept aside, never turned into numbers
    doc VARCHAR, district VARCHAR, period VARCHAR, indicator VARCHAR, kind VARCHAR,
    message VARCHAR, start INTEGER, "end" INTEGER, quote VARCHAR
);
CREATE TABLE corrections (           -- every manual change, append-only; undo is a record too
    id INTEGER, made_at VARCHAR, who VARCHAR, action VARCHAR,   -- set | reject | undo
    tbl VARCHAR, doc VARCHAR, indicator VARCHAR, period VARCHAR, comparator VARCHAR,
    before DOUBLE, after DOUBLE, reason VARCHAR, undoes INTEGER, active BOOLEAN
);
CREATE TABLE dropped (                -- documents of data/raw the build could not use, and why
    doc VARCHAR, message VARCHAR
);
CREATE TABLE reference (              -- reference values for relative targets (全市平均 ...)
    area VARCHAR, indicator VARCHAR, year INTEGER, value DOUBLE, source VARCHAR
);
"""
