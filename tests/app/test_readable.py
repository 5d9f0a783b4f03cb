"""`ui.state.readable` (columns built first, one frame made) against its former column-by-column
body (tests/app/plain_state.py): the same frame — values, dtypes, index, headers and the columns'
own name — for text, numbers, flags, missing values, a selection's index and a coverage grid."""
import numpy as np
import pandas as pd
import pytest

from metrics.data import coverage_grid
from tests.app import plain_state
from ui.state import Header, View, readable


def _frames():
    rng = np.random.default_rng(4)
    n = 9
    mixed = pd.DataFrame({
        "district": ["渝北区", None, "北碚区", "綦江区", "渝北区", "", "北碚区", "綦江区", "x"],
        "value": np.where(rng.random(n) < .3, np.nan, rng.random(n) * 100),
        "n_chars": np.arange(n, dtype="int64") * 1000,
        "k": pd.array([1, None, 3, 4, 5, 6, None, 8, 9], dtype="Int64"),
        "ok": [True, False] * 4 + [True],
        "whole": [1.0, 2.0, np.nan, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0],
        "quote": pd.array(["a", None, "c", "d", "e", "f", "g", "h", "i"], dtype="string"),
    }, index=[3, 7, 8, 11, 12, 20, 21, 30, 31])
    grid = coverage_grid(["a", "b", "a", "c"], ["渝北区 2021", "渝北区 2021", "北碚区 2020", "北碚区 2021"],
                         ["1%", "2 件", "3%", "—"], {"b": 0, "a": 1})
    return [
        (mixed, {"district": "col.district", "value": "col.value", "n_chars": "col.n_chars", "k": Header("k"),
                 "ok": Header("ok?"), "whole": Header("whole"), "quote": "col.quote"}),
        (mixed.iloc[:0], {"district": "col.district", "value": "col.value"}),
        (mixed[["district", "value"]].iloc[2:5], {"value": "col.value", "district": "col.district"}),
        (grid, {"indicator": "col.indicator", **{c: Header(c) for c in grid.columns if c != "indicator"}}),
    ]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_readable_equals_the_column_by_column_computation(lang):
    view = View(lang, ("渝北区",), "latest", "all", False)
    for df, columns in _frames():
        got, want = readable(view, df, columns), plain_state.readable(view, df, columns)
        pd.testing.assert_frame_equal(got, want)
        assert got.columns.name == want.columns.name and list(got.index) == list(df.index)
    assert readable(view, _frames()[3][0], _frames()[3][1]).columns.name == "column"
