"""The batch helpers pages use on a national selection give exactly what their one-at-a-time
twins give."""
import math

import pandas as pd


def test_value_texts_writes_every_figure_as_value_text_does():
    from ui.widgets import value_text, value_texts
    metas = [{"unit": "%", "decimals": 2}, {"unit": "件", "decimals": 0}, {"unit": "万元", "decimals": 2},
             {"unit": "", "decimals": 1}, {"unit": "次", "decimals": math.nan}, {"unit": None}, {"unit": "人", "decimals": 3.0}]
    values = [0.0, 1.5, -2.25, 1300, 674725, 99.999, math.nan, None, pd.NA, 12345678.9]
    qualifiers = ["exact", "at_least", "at_most", "approximate", "", None, math.nan, "unknown"]
    for lang in ("zh", "en"):
        vs, ms, qs = zip(*[(v, m, q) for v in values for m in metas for q in qualifiers])
        expected = [value_text(v, m, lang, q) for v, m, q in zip(vs, ms, qs)]
        assert value_texts(vs, ms, lang, qs) == expected
        assert value_texts(vs, ms, lang) == [value_text(v, m, lang) for v, m in zip(vs, ms)]
    assert value_texts([1300.0, 5.0], [metas[6], metas[0]], "zh", ["at_least", "at_most"]) == ["≥ 1,300.000 人", "≤ 5.00%"]


def test_value_texts_keeps_apart_catalog_rows_made_one_per_figure():
    from ui.widgets import value_texts
    # a new dict per figure (an indicator missing from the catalog): each keeps its own unit
    shown = value_texts([1.0, 2.0, 3.0], ({"unit": u, "decimals": 0} for u in ("件", "%", "人")), "zh")
    assert shown == ["1 件", "2%", "3 人"]
