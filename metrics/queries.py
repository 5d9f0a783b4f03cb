"""Named SQL over the warehouse (see etl/schema.py). Values are always bound parameters (`?`);
no query is ever built from user text."""
from __future__ import annotations

import pandas as pd

QUERIES: dict[str, str] = {
    # The five frame tables are read by metrics.data.load_frames (columns from the schema).
    "document_text": "SELECT raw_text FROM documents WHERE doc = ?",
    "flags": "SELECT * FROM flags WHERE list_contains(?, district) ORDER BY district, indicator, period, doc",
    "superseded": """SELECT * FROM mentions WHERE status <> 'kept' AND list_contains(?, district)
                     ORDER BY district, indicator, period, doc""",
    "dropped": "SELECT doc, message FROM dropped ORDER BY doc",
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
