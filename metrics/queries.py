"""Named SQL over the warehouse (see etl/schema.py). Values are always bound parameters (`?`);
no query is ever built from user text."""
from __future__ import annotations

import numpy as np
import pandas as pd

QUERIES: dict[str, str] = {
    # The five frame tables are read by metrics.data.load_frames (columns from the schema).
    "document_text": "SELECT raw_text FROM documents WHERE doc = ?",
    "flags": "SELECT * FROM flags WHERE list_contains(?, district) ORDER BY district, indicator, period, doc",
    "superseded": """SELECT * FROM mentions WHERE status <> 'kept' AND list_contains(?, district)
                     ORDER BY district, indicator, period, doc""",
    "dropped": "SELECT doc, message FROM dropped ORDER BY doc",
}
# The queries of a selection of districts (their one parameter) as the rows of every district, in
# the same order (rows alike in that order: as stored), for `DistrictRows`.
EVERY_DISTRICT: dict[str, str] = {
    "flags": "SELECT * FROM flags ORDER BY district, indicator, period, doc, rowid",
    "superseded": "SELECT * FROM mentions WHERE status <> 'kept' ORDER BY district, indicator, period, doc, rowid",
}


def run(con, name: str, params: list | tuple = ()) -> pd.DataFrame:
    """Run the named query with bound `params` on its own cursor (safe to share `con`)."""
    if name not in QUERIES:
        raise KeyError(f"未知的查询名 {name!r}；可用：{', '.join(sorted(QUERIES))}")
    return _df(con, QUERIES[name], params)


def _df(con, sql: str, params=()) -> pd.DataFrame:
    cur = con.cursor()
    try:
        return cur.execute(sql, list(params)).df()
    finally:
        cur.close()


class DistrictRows:
    """The named query `name` of EVERY_DISTRICT ('flags', 'superseded') read once for every district,
    answering any selection by position: ``of(districts)`` gives the rows and order of
    ``run(con, name, [districts])`` (index 0…n−1) without that query's scan of the whole table
    (a national warehouse's 880,000 mentions take a tenth of a second per selection). Read-only.
    KeyError for a name that has no such query."""

    def __init__(self, con, name: str):
        if name not in EVERY_DISTRICT:
            raise KeyError(f"未知的按区县查询 {name!r}；可用：{', '.join(sorted(EVERY_DISTRICT))}")
        self.rows = _df(con, EVERY_DISTRICT[name])
        self.index = self.rows.groupby("district", sort=False).indices if len(self.rows) else {}

    def of(self, districts) -> pd.DataFrame:
        """The rows of `districts` (an iterable of names), in the query's order."""
        parts = [self.index[d] for d in dict.fromkeys(districts) if d in self.index]
        rows = np.sort(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.intp)
        return self.rows.iloc[rows].reset_index(drop=True)
