"""The warehouse tables as DataFrames (`Frames`): the input of every metrics function.

`load_frames(con)` reads them with named queries; `make_frames(...)` builds them from DataFrames
or lists of dicts (tests, the what-if page), filling absent columns so partial frames work.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

import duckdb
import numpy as np
import pandas as pd

from etl.catalog import load_rules
from etl.documents import format_period
from etl.documents import parse_period as etl_parse_period
from etl.text import InputError
from etl.schema import SCOPE_LEVELS, column_kinds

TABLES = ("facts", "targets", "indicators", "documents", "reference")
# Which of several facts for the same (district, indicator, period) speaks for the district.
# The ETL's own ranking of scopes (etl/catalog/rules.yaml scope_rank), broadest first: one home for the rule.
SCOPE_PREFERENCE = [s for s, _ in sorted(load_rules()["scope_rank"].items(), key=lambda kv: kv[1]) if s in SCOPE_LEVELS]
QUALIFIER_PREFERENCE = ["exact", "at_least", "at_most", "approximate"]
SCOPE_ZH = {"district": "全区", "government": "区政府", "agencies": "行政机关", "departments": "部门",
            "unstated": "未说明"}


def _columns(table: str) -> dict[str, str]:
    """Column → 'number' | 'bool' | 'text' for a warehouse table, from its declaration (etl.schema).
    Lists of row ids (``facts.inputs``) stay in the warehouse for audit queries, out of the frames."""
    return {c: k for c, k in column_kinds(table).items() if k != "ids"}


def parse_period(period) -> tuple[float, float]:
    """etl.documents.parse_period as floats ('2016-2020' → (2016.0, 2020.0)); (nan, nan) for a
    malformed period, so no page ever raises on one bad row."""
    try:
        start, end = etl_parse_period(str(period))
    except InputError:
        return np.nan, np.nan
    return float(start), float(end)


def period_label(start, end) -> str:
    """etl.documents.format_period of float years; '' when unknown."""
    return "" if pd.isna(start) else format_period(int(start), int(end))


def coerce_frame(table: str, rows) -> pd.DataFrame:
    """A copy of `rows` with every warehouse column of `table` (numbers as float, flags as bool,
    text as str with '' for missing; other columns kept as given) and periods filled from one
    another ('YYYY' or 'YYYY-YYYY'). Columns already in shape are kept as they are (a national
    warehouse's facts arrive in shape from `load_frames`; converting them again would double
    the memory)."""
    df = pd.DataFrame(rows if rows is not None else [])
    kinds = {c: k for c, k in _columns(table).items() if c != "raw_text"}  # never held in frames
    df = df.reindex(columns=list(dict.fromkeys([*kinds, *df.columns])))
    for c in df.columns:
        kind, s = kinds.get(c), df[c]
        if kind == "number" and s.dtype != float:
            df[c] = pd.to_numeric(s, errors="coerce").astype(float)
        elif kind == "bool" and s.dtype != bool:
            df[c] = s.astype(object).where(s.notna(), False).astype(bool)
        elif kind == "text" and not (pd.api.types.is_string_dtype(s) and s.notna().all()):
            df[c] = s.astype(object).where(s.notna(), "").astype(str)
    if "period" in df and "period_start" in df and len(df):
        missing = df["period_start"].isna() | df["period_end"].isna()
        if missing.any():
            parsed = df.loc[missing, "period"].map(parse_period)
            df["period_start"] = df["period_start"].fillna(parsed.str[0])
            df["period_end"] = df["period_end"].fillna(parsed.str[1])
        s, e = df["period_start"], df["period_end"]
        one, two = s.fillna(0).astype(int).astype(str), e.fillna(0).astype(int).astype(str)
        label = one.where(s == e, one + "-" + two)
        df["period"] = label.where(s.notna() & e.notna(), df["period"])
    if table == "facts" and len(df):
        inferred = np.where(df.period_start == df.period_end, "annual", "cumulative")
        df["span_kind"] = df["span_kind"].where(df["span_kind"] != "", inferred)
        df["scope_level"] = df["scope_level"].where(df["scope_level"] != "", "unstated")
        df["qualifier"] = df["qualifier"].where(df["qualifier"] != "", "exact")
    return df.reset_index(drop=True)


def _district_index(frame: pd.DataFrame) -> dict:
    """district → ascending positions of its rows in ``frame`` (one pass; {} for no rows)."""
    return frame.groupby("district", sort=False).indices if len(frame) else {}


def _rows_of(frame: pd.DataFrame, index: dict, districts) -> pd.DataFrame:
    """The rows of ``frame`` whose district is one of ``districts`` (None → the whole frame), in
    frame order, from ``index`` (district → ascending row positions)."""
    if districts is None:
        return frame
    parts = [index[d] for d in dict.fromkeys(districts) if d in index]
    return frame.iloc[np.sort(np.concatenate(parts))] if parts else frame.iloc[:0]


@dataclass(frozen=True, eq=False)
class Frames:
    """The warehouse tables as DataFrames (facts, targets, indicators, documents, reference; columns as declared in
    etl/schema.py), read-only and shared by every session; cached lookups (``facts_of`` a selection of
    districts, measured / planned / reporting sets) are built once per warehouse version."""
    facts: pd.DataFrame
    targets: pd.DataFrame
    indicators: pd.DataFrame
    documents: pd.DataFrame
    reference: pd.DataFrame

    def indicator(self, indicator: str) -> dict:
        """Catalog row of `indicator` as a (new) dict. An id missing from the catalog falls back to
        the unit of its facts, 2 decimals and direction 'neutral' (never ranked)."""
        meta = self._catalog.get(indicator)
        if meta is not None:
            return dict(meta)
        units = self.facts.loc[self.facts["indicator"] == indicator, "unit"]
        return {"id": indicator, "name_zh": indicator, "name_en": indicator, "category_zh": "",
                "unit": units.iloc[0] if len(units) else "", "decimals": 2, "direction": "neutral"}

    @cached_property
    def _catalog(self) -> dict:
        """id → catalog row (the first row of an id), with decimals, direction and name filled."""
        out = {}
        for meta in self.indicators.drop_duplicates("id").to_dict("records"):
            meta["decimals"] = 2 if pd.isna(meta["decimals"]) else int(meta["decimals"])
            meta["direction"] = meta["direction"] or "neutral"
            meta["name_zh"] = meta["name_zh"] or meta["id"]
            out[meta["id"]] = meta
        return out

    def replace(self, **tables) -> "Frames":
        """A copy with some tables replaced (each coerced to its columns), e.g. for what-if edits."""
        return replace(self, **{t: coerce_frame(t, rows) for t, rows in tables.items()})

    @cached_property
    def measured(self) -> frozenset:
        """Indicator ids that have facts (computed once per Frames: a national warehouse has
        456,000 facts, and a Python set over them costs most of a second)."""
        return frozenset(self.facts["indicator"].unique())

    @cached_property
    def reporting(self) -> frozenset:
        """Districts that have facts."""
        return frozenset(self.facts["district"].unique())

    @cached_property
    def planning(self) -> tuple:
        """Districts that have targets, sorted (the plans a page offers as a standard; computed
        once per Frames: a Python set over a national warehouse's targets costs 50 ms a rerun)."""
        return tuple(sorted(self.targets["district"].unique()))

    @cached_property
    def _rows_by_district(self) -> dict:
        """district → positions (ascending) of its rows in `facts`: built once per Frames (one
        pass over the facts; a national warehouse's 800,000 facts take a tenth of a second) and
        shared read-only, so a page's cost follows the districts it shows, not the warehouse."""
        return _district_index(self.facts)

    def facts_of(self, districts=None) -> pd.DataFrame:
        """The facts of `districts` (an iterable of names; None → every fact): the same rows, in
        the same order and with the same index, as ``facts[facts["district"].isin(districts)]``,
        read through the district index instead of a scan of every fact."""
        return _rows_of(self.facts, self._rows_by_district, districts)

    @cached_property
    def _targets_by_district(self) -> dict:
        """district → positions (ascending) of its rows in `targets`, built once per Frames."""
        return _district_index(self.targets)

    def targets_of(self, districts=None) -> pd.DataFrame:
        """The targets of `districts` (None → every target): the rows, order and index of
        ``targets[targets["district"].isin(districts)]``, read through a district index."""
        return _rows_of(self.targets, self._targets_by_district, districts)

    @cached_property
    def _best_rows(self) -> tuple[np.ndarray, dict, np.ndarray, dict]:
        """Positions in `facts` of the `best_facts` rows, in `best_facts` order; district → its
        share of them; the indicator of each (as codes) and indicator → code: once per Frames,
        with `best_facts`' ordering done on integer codes (sorted codes order as the text does),
        so no copy of the facts' text is made (a national warehouse has 456,000 facts)."""
        f = self.facts
        if f.empty:
            return np.zeros(0, dtype=np.intp), {}, np.zeros(0, dtype=np.intp), {}
        code = lambda col: pd.factorize(f[col], sort=True)
        (district, districts), (indicator, names), (period, _) = code("district"), code("indicator"), code("period")
        rank = lambda col, order: f[col].map({v: i for i, v in enumerate(order)}).fillna(len(order)).to_numpy()
        # best_facts: prefer scope, then qualifier, then stated over derived, then the lowest fact_id
        order = np.lexsort((f["fact_id"].to_numpy(), f["derived"].to_numpy(dtype=int),
                            rank("qualifier", QUALIFIER_PREFERENCE), rank("scope_level", SCOPE_PREFERENCE)))
        keep = ~pd.DataFrame({"d": district[order], "i": indicator[order], "p": period[order]}).duplicated().to_numpy()
        order = order[keep]
        # … then by district, indicator, period end and start (NaN last), ties in that order
        end, start = f["period_end"].to_numpy()[order], f["period_start"].to_numpy()[order]
        pos = order[np.lexsort((start, end, indicator[order], district[order]))]
        codes = indicator[pos]
        starts = np.flatnonzero(np.r_[True, np.diff(district[pos]) != 0])
        bounds = np.r_[starts, len(pos)]
        by_district = {districts[district[pos[a]]]: np.arange(a, b) for a, b in zip(bounds[:-1], bounds[1:])}
        return pos, by_district, codes, {n: k for k, n in enumerate(names)}

    def best_of(self, districts=None, indicators=None) -> pd.DataFrame:
        """``best_facts(facts_of(districts))`` (one fact per district, indicator and period; the
        same rows, columns and order, index 0…n−1), read from positions chosen once per Frames;
        with `indicators`, only the rows of those indicators (as a filter afterwards would give).
        A filter on whole (district, indicator, period) groups commutes with `best_facts`, so
        ``best_of(ds)[mask]`` equals ``best_facts(facts_of(ds)[mask])`` for masks on district,
        indicator, period or its years (up to the index)."""
        pos, by_district, codes, code_of = self._best_rows
        if districts is None:
            rows = np.arange(len(pos))
        else:
            parts = [by_district[d] for d in sorted(set(districts)) if d in by_district]
            rows = np.concatenate(parts) if parts else np.zeros(0, dtype=np.intp)
        if indicators is not None:
            wanted = [code_of[i] for i in set(indicators) if i in code_of]
            rows = rows[np.isin(codes[rows], wanted)]
        if not len(rows):
            return self.facts.iloc[:0] if len(pos) or districts is not None or indicators is not None else self.facts
        return self.facts.iloc[pos[rows]].reset_index(drop=True)

    @cached_property
    def value_range(self) -> dict:
        """{(indicator, span_kind): (smallest, largest value)} over every fact with a value,
        computed once per Frames (the composite score's fixed scales read it per indicator)."""
        g = self.facts.groupby(["indicator", "span_kind"])["value"].agg(["min", "max"])   # NaN skipped; no copy
        return {k: (float(lo), float(hi)) for k, lo, hi in zip(g.index, g["min"], g["max"])}

    @cached_property
    def years(self) -> tuple:
        """Every period end year of the facts, latest first."""
        return tuple(int(y) for y in sorted(self.facts["period_end"].dropna().unique(), reverse=True))

    @cached_property
    def report_years(self) -> dict:
        """{district: the year of its latest report}: the latest period end of its documents that
        are not plans, else of its facts. Districts without either are absent. Computed once."""
        docs = self.documents
        docs = docs[(docs["doc_type"] != "plan") & docs["period_end"].notna() & (docs["district"] != "")]
        years = docs.groupby("district")["period_end"].max().to_dict()
        for d, y in self.facts.groupby("district")["period_end"].max().items():
            years.setdefault(d, y)
        return {d: int(y) for d, y in years.items() if pd.notna(y)}

    @cached_property
    def _titles(self) -> dict:
        d = self.documents
        return dict(zip(d["doc"], zip(d["title"], d["period"])))

    def title(self, doc: str) -> tuple[str, str] | None:
        """(title, period) of the document named `doc` (None when absent), by a lookup built once."""
        return self._titles.get(doc)

    @cached_property
    def planned(self) -> frozenset:
        """Indicator ids that have targets."""
        return frozenset(self.targets["indicator"].unique())

    def latest_year(self) -> int:
        end = self.facts["period_end"].max() if len(self.facts) else np.nan
        return int(end) if pd.notna(end) else pd.Timestamp.today().year


def records(df: pd.DataFrame, columns=None) -> list[dict]:
    """``df[columns].to_dict("records")`` (every column by default; the same Python values),
    built from whole columns: twice as fast on Arrow-backed text columns, which
    ``to_dict`` reads one element at a time."""
    cols = list(df.columns if columns is None else columns)
    return [dict(zip(cols, row)) for row in zip(*(df[c].tolist() for c in cols))]


def coverage_grid(indicators, columns, cells, order: dict) -> pd.DataFrame:
    """An indicator × column grid of text: column ``indicator`` (each id once: those of `order`
    {id: position} by position, then the others by id), then one column per distinct name of
    `columns` in sorted order (the columns' index named 'column'), each cell the first of `cells`
    (text) given for its indicator and column, '' where none is. `indicators`, `columns` and
    `cells`: one entry per figure. The pivot ``pivot_table(index='indicator', columns='column',
    aggfunc='first')`` sorted so, built with dicts (a 12-district selection's 120 columns take the
    pivot a tenth of a second)."""
    grid = {}   # column → {indicator: first cell}
    for i, c, v in zip(indicators, columns, cells):
        grid.setdefault(c, {}).setdefault(i, v)
    ids = set(indicators)
    rows = sorted(ids & order.keys(), key=order.get) + sorted(ids - order.keys())
    names = sorted(grid)
    body = np.array([[grid[c].get(i, "") for c in names] for i in rows], dtype=object).reshape(len(rows), len(names))
    out = pd.concat([pd.DataFrame({"indicator": rows}), pd.DataFrame(body, columns=names)], axis=1)
    out.columns.name = "column"
    return out


def make_frames(facts=None, targets=None, indicators=None, documents=None, reference=None) -> Frames:
    """Frames from rows (lists of dicts or DataFrames; any table may be None): every declared column present and
    typed (``coerce_frame``). For tests and the what-if page."""
    given = dict(facts=facts, targets=targets, indicators=indicators, documents=documents,
                 reference=reference)
    return Frames(**{t: coerce_frame(t, given[t]) for t in TABLES})


def _select(table: str) -> str:
    """SELECT of `table` with its columns already in frame shape (numbers as DOUBLE, missing text
    as '', missing flags as FALSE), built from the schema alone, never from user input. No ORDER
    BY: rows come in insertion order (the build inserts them by id), and a sort of every fact in
    DuckDB would hold a second copy of the table."""
    cast = {"number": 'CAST("{c}" AS DOUBLE)', "bool": 'COALESCE("{c}", FALSE)', "text": 'COALESCE("{c}", \'\')'}
    cols = ", ".join(f'{cast[k].format(c=c)} AS "{c}"' for c, k in _columns(table).items() if c != "raw_text")
    return f"SELECT {cols} FROM {table}"


def load_frames(con) -> Frames:
    """Read the five tables from a warehouse connection (a missing table reads as empty) through
    Arrow: at national scale (456,000 facts) this peaks at a third of the memory of `.df()`."""
    tables = {}
    for t in TABLES:
        cur = con.cursor()
        try:
            # one chunk per column: positional reads (`facts_of`) on an array of thousands of
            # chunks cost a millisecond each whatever their size
            tables[t] = cur.sql(_select(t)).to_arrow_table().combine_chunks().to_pandas()
        except duckdb.CatalogException:
            tables[t] = None
        finally:
            cur.close()
    return make_frames(**tables)


def best_facts(facts: pd.DataFrame) -> pd.DataFrame:
    """One fact per (district, indicator, period): prefer the broader scope in the ETL's order
    (``SCOPE_PREFERENCE``, from rules.yaml scope_rank), then an exact figure over a bound (at least / at most) or
    an approximate one, then a stated figure over a derived one, then the lowest fact_id."""
    if facts.empty:
        return facts
    rank = lambda col, order: facts[col].map({v: i for i, v in enumerate(order)}).fillna(len(order))
    f = facts.assign(_s=rank("scope_level", SCOPE_PREFERENCE), _q=rank("qualifier", QUALIFIER_PREFERENCE),
                     _d=facts["derived"].astype(int))
    f = f.sort_values(["_s", "_q", "_d", "fact_id"], kind="stable")
    f = f.drop_duplicates(["district", "indicator", "period"]).drop(columns=["_s", "_q", "_d"])
    return f.sort_values(["district", "indicator", "period_end", "period_start"]).reset_index(drop=True)
