"""Plain computations of ui/state.py that tests compare the faster paths against: `readable` as it
was before issue 13 (a copy of the frame, every column replaced one at a time)."""
from __future__ import annotations

import pandas as pd

from ui.state import Header, View


def readable(view: View, df: pd.DataFrame, columns: dict | None = None) -> pd.DataFrame:
    """`ui.state.readable`'s former body."""
    columns = columns or {c: f"col.{c}" for c in df.columns}
    out = df[list(columns)].copy()
    for c in out.columns:
        s = out[c]
        if pd.api.types.is_bool_dtype(s):
            out[c] = s.map({True: view.t("yes"), False: view.t("no")})
        elif pd.api.types.is_numeric_dtype(s):
            whole = s.dropna().apply(lambda x: float(x).is_integer()).all()
            out[c] = [view.t("none") if pd.isna(x) else f"{int(x)}" if whole else f"{float(x):,.2f}" for x in s]
        else:
            out[c] = [view.t("none") if x is None or (isinstance(x, float) and x != x) or x is pd.NA else x
                      for x in s.tolist()]
    return out.rename(columns={c: k if isinstance(k, Header) else view.t(k) for c, k in columns.items()})
