"""Plain computations of metrics/data.py that tests compare the product's faster paths against:
the coverage grid as the data page's former pivot table."""
from __future__ import annotations

import pandas as pd


def coverage_grid(indicators, columns, cells, order: dict) -> pd.DataFrame:
    """`metrics.data.coverage_grid` as a pandas pivot (the data page's code before issue 13)."""
    f = pd.DataFrame({"indicator": list(indicators), "column": list(columns), "cell": list(cells)})
    cov = (f.pivot_table(index="indicator", columns="column", values="cell", aggfunc="first")
           .sort_index(axis=1).sort_index(key=lambda s: s.map(order)).fillna(""))
    return cov.reset_index()
