"""The warehouse tables as DataFrames (`Frames`): the input of every metrics function.

`load_frames(con)` reads them with named queries; `make_frames(...)` builds them from DataFrames
or lists of dicts (tests, the what-if page), filling absent columns so partial frames work.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

import duckdb
import numpy as np
import pandas as pd

from etl.schema import DDL
from metrics import queries

TABLES = ("facts", "targets", "indicators", "documents", "reference")
NUMERIC_TYPES = ("INTEGER", "BIGINT", "DOUBLE", "FLOAT", "DECIMAL", "HUGEINT", "SMALLINT", "REAL")
# Which of several facts for the same (district, indicator, period) speaks for the district.
SCOPE_PREFERENCE = ["district", "agencies", "unstated", "government", "departments"]  # as the ETL ranks scopes
QUALIFIER_PREFERENCE = ["exact", "at_least", "at_most", "approximate"]
SCOPE_ZH = {"district": "全区", "government": "区政府", "agencies": "行政机关", "departments": "部门",
            "unstated": "未说明"}


@cache
def _columns(table: str) -> dict[str, str]:
    """Column → 'number' | 'bool' | 'text' for a warehouse table, read from etl.schema.DDL."""
    con = duckdb.connect()
    con.execute(DDL)
    cols = queries.run(con, "columns", [table])
    kind = lambda t: "number" if t.startswith(NUMERIC_TYPES) else "bool" if t == "BOOLEAN" else "text"
    return {c: kind(t) for c, t in zip(cols["column_name"], cols["data_type"])}


def parse_period(period) -> tuple[float, float]:
    """'2020' → (2020, 2020); '2016-2020' (also – — ～ 至) → (2016, 2020); else (nan, nan)."""
    years = re.findall(r"\d{4}", str(period)) if period is not None else []
    return (float(years[0]), float(years[-1])) if years else (np.nan, np.nan)


def period_label(start, end) -> str:
    if pd.isna(start):
        return ""
    return f"{int(start)}" if start == end else f"{int(start)}-{int(end)}"


def normalise(table: str, rows) -> pd.DataFrame:
    """A copy of `rows` with every warehouse column of `table` (numbers as float, flags as bool,
    text as str with '' for missing; other columns kept as given) and periods filled from one
    another ('YYYY' or 'YYYY-YYYY')."""
    df = pd.DataFrame(rows if rows is not None else [])
    kinds = {c: k for c, k in _columns(table).items() if c != "raw_text"}  # never held in frames
    df = df.reindex(columns=list(dict.fromkeys([*kinds, *df.columns])))
    for c in df.columns:
        if kinds.get(c) == "number":
            df[c] = pd.to_numeric(df[c], errors="coerce").astype(float)
        elif kinds.get(c) == "bool":
            df[c] = df[c].astype(object).where(df[c].notna(), False).astype(bool)
        elif c in kinds:
            df[c] = df[c].astype(object).where(df[c].notna(), "").astype(str)
    if "period" in df and "period_start" in df and len(df):
        parsed = df["period"].map(parse_period)
        df["period_start"] = df["period_start"].fillna(parsed.str[0])
        df["period_end"] = df["period_end"].fillna(parsed.str[1])
        df["period"] = [period_label(s, e) or p for p, s, e in zip(df.period, df.period_start, df.period_end)]
    if table == "facts" and len(df):
        inferred = np.where(df.period_start == df.period_end, "annual", "cumulative")
        df["span_kind"] = df["span_kind"].where(df["span_kind"] != "", inferred)
        df["scope_level"] = df["scope_level"].where(df["scope_level"] != "", "unstated")
        df["qualifier"] = df["qualifier"].where(df["qualifier"] != "", "exact")
    return df.reset_index(drop=True)


@dataclass(frozen=True, eq=False)
class Frames:
    facts: pd.DataFrame
    targets: pd.DataFrame
    indicators: pd.DataFrame
    documents: pd.DataFrame
    reference: pd.DataFrame

    def indicator(self, indicator: str) -> dict:
        """Catalog row of `indicator` as a dict. An id missing from the catalog falls back to the
        unit of its facts, 2 decimals and direction 'neutral' (never ranked)."""
        row = self.indicators[self.indicators["id"] == indicator]
        if len(row):
            meta = row.iloc[0].to_dict()
            meta["decimals"] = 2 if pd.isna(meta["decimals"]) else int(meta["decimals"])
            meta["direction"] = meta["direction"] or "neutral"
            meta["name_zh"] = meta["name_zh"] or indicator
            return meta
        units = self.facts.loc[self.facts["indicator"] == indicator, "unit"]
        return {"id": indicator, "name_zh": indicator, "name_en": indicator, "category_zh": "",
                "unit": units.iloc[0] if len(units) else "", "decimals": 2, "direction": "neutral"}

    def replace(self, **tables) -> "Frames":
        """A copy with some tables replaced (each normalised), e.g. for what-if edits."""
        return replace(self, **{t: normalise(t, rows) for t, rows in tables.items()})

    def latest_year(self) -> int:
        end = self.facts["period_end"].max() if len(self.facts) else np.nan
        return int(end) if pd.notna(end) else pd.Timestamp.today().year


def make_frames(facts=None, targets=None, indicators=None, documents=None, reference=None) -> Frames:
    given = dict(facts=facts, targets=targets, indicators=indicators, documents=documents,
                 reference=reference)
    return Frames(**{t: normalise(t, given[t]) for t in TABLES})


def load_frames(con) -> Frames:
    """Read the five tables from a warehouse connection (a missing table reads as empty)."""
    tables = {}
    for t in TABLES:
        try:
            tables[t] = queries.run(con, t)
        except duckdb.CatalogException:
            tables[t] = None
    return make_frames(**tables)


def best_facts(facts: pd.DataFrame) -> pd.DataFrame:
    """One fact per (district, indicator, period): prefer the whole-district scope
    (全区 > unstated > 区政府 > 行政机关 > 部门), then an exact figure over a bound (at least / at most) or
    an approximate one, then a stated figure over a derived one, then the lowest fact_id."""
    if facts.empty:
        return facts
    rank = lambda col, order: facts[col].map({v: i for i, v in enumerate(order)}).fillna(len(order))
    f = facts.assign(_s=rank("scope_level", SCOPE_PREFERENCE), _q=rank("qualifier", QUALIFIER_PREFERENCE),
                     _d=facts["derived"].astype(int))
    f = f.sort_values(["_s", "_q", "_d", "fact_id"], kind="stable")
    f = f.drop_duplicates(["district", "indicator", "period"]).drop(columns=["_s", "_q", "_d"])
    return f.sort_values(["district", "indicator", "period_end", "period_start"]).reset_index(drop=True)
