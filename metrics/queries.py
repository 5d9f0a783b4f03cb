"""Named SQL over the warehouse (see etl/schema.py). Values are always bound parameters (`?`);
no query is ever built from user text."""
from __future__ import annotations

import pandas as pd

QUERIES: dict[str, str] = {
    "facts": "SELECT * FROM facts ORDER BY district, indicator, period_end, period_start, fact_id",
    "targets": "SELECT * FROM targets ORDER BY district, indicator, period_end, target_id",
    "indicators": "SELECT * FROM indicators ORDER BY category, id",
    # raw_text is left out: pages never need the whole report in memory.
    "documents": "SELECT * EXCLUDE (raw_text) FROM documents ORDER BY doc",
    "reference": "SELECT * FROM reference ORDER BY area, indicator, year",
    "facts_for": """SELECT * FROM facts WHERE district = ? AND indicator = ?
                    ORDER BY period_end, period_start, fact_id""",
    "targets_of": "SELECT * FROM targets WHERE district = ? ORDER BY indicator, period_end, target_id",
    "districts": "SELECT DISTINCT district FROM facts WHERE district IS NOT NULL ORDER BY district",
    "document_text": "SELECT raw_text FROM documents WHERE doc = ?",
    "flags": "SELECT * FROM flags ORDER BY district, indicator, period, doc",
    "superseded": "SELECT * FROM mentions WHERE status <> 'kept' ORDER BY district, indicator, period, doc",
    "columns": """SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ?
                  ORDER BY ordinal_position""",
}


def run(con, name: str, params: list | tuple = ()) -> pd.DataFrame:
    """Run the named query with bound `params` on its own cursor (safe to share `con`)."""
    if name not in QUERIES:
        raise KeyError(f"未知的查询名 {name!r}；可用：{', '.join(sorted(QUERIES))}")
    cur = con.cursor()
    try:
        return cur.execute(QUERIES[name], list(params)).df()
    finally:
        cur.close()
