"""A tiny warehouse in memory: etl.schema.DDL plus a handful of rows, never a committed file.

The story: 渝北区 reports head-appearance rates for 2017–2021 (rising) and a 2016–2020
cumulative loss rate; 北碚区 and 綦江区 report a few annual figures; 綦江区's 2021–2025 plan holds
the targets (one relative to 上年度全市平均值, one 全市前列); the reference table has the 2020 全市
average loss rate.
"""
from __future__ import annotations

import duckdb
import pytest

from etl.schema import DDL
from metrics.data import load_frames

# (id, name_zh, unit, decimals, direction): copied from etl/catalog/indicators.yaml
# (test_metrics_data checks they still agree).
INDICATORS = [
    ("litigation_loss_rate", "行政诉讼败诉率", "disputes", "%", 2, "lower"),
    ("head_appearance_rate", "行政机关负责人出庭应诉率", "disputes", "%", 2, "higher"),
    ("litigation_cases", "行政诉讼案件数", "disputes", "件", 0, "neutral"),
    ("average_visits", "平均跑动次数", "functions", "次", 2, "lower"),
    ("online_service_rate", "全程网办率", "functions", "%", 2, "higher"),
]

FACTS = [
    # fact_id, doc, district, period, indicator, value, numerator, denominator, qualifier, scope, scope_level
    (1, "r_yb.txt", "渝北区", "2017", "head_appearance_rate", 60.0, None, None, "exact", "", "unstated"),
    (2, "r_yb.txt", "渝北区", "2018", "head_appearance_rate", 70.0, None, None, "exact", "", "unstated"),
    (3, "r_yb.txt", "渝北区", "2019", "head_appearance_rate", 75.0, None, None, "exact", "", "unstated"),
    (4, "r_yb.txt", "渝北区", "2020", "head_appearance_rate", 85.0, None, None, "exact", "", "unstated"),
    (5, "r_yb.txt", "渝北区", "2021", "head_appearance_rate", 88.0, None, None, "exact", "", "unstated"),
    (6, "r_bb.txt", "北碚区", "2020", "head_appearance_rate", 95.0, None, None, "exact", "", "unstated"),
    (7, "r_bb.txt", "北碚区", "2021", "head_appearance_rate", 96.0, None, None, "exact", "", "unstated"),
    (8, "r_qj.txt", "綦江区", "2021", "head_appearance_rate", 92.0, None, None, "approximate", "区政府", "government"),
    (10, "r_yb.txt", "渝北区", "2021", "litigation_loss_rate", 5.0, 2, 40, "exact", "", "unstated"),
    (11, "r_bb.txt", "北碚区", "2021", "litigation_loss_rate", 2.5, 1, 40, "exact", "", "unstated"),
    (12, "r_qj.txt", "綦江区", "2021", "litigation_loss_rate", 20.0, 8, 40, "exact", "", "unstated"),
    (13, "r_yb5.txt", "渝北区", "2016-2020", "litigation_loss_rate", 4.0, None, None, "exact", "", "unstated"),
    (20, "r_yb.txt", "渝北区", "2021", "litigation_cases", 120.0, None, None, "exact", "", "unstated"),
    (21, "r_bb.txt", "北碚区", "2021", "litigation_cases", 80.0, None, None, "exact", "", "unstated"),
    (22, "r_yb5.txt", "渝北区", "2016-2020", "litigation_cases", 500.0, None, None, "exact", "", "unstated"),
]

TARGETS = [
    # target_id, doc, district, period, indicator, comparator, value, relative, reference, quote
    (1, "plan_qj.txt", "綦江区", "2022", "head_appearance_rate", ">=", 90.0, False, "",
     "2022年全区行政机关负责人出庭应诉率达90%以上"),
    (2, "plan_qj.txt", "綦江区", "2021-2025", "litigation_loss_rate", "<=", None, True, "上年度全市平均值",
     "行政诉讼败诉率不高于上年度全市平均值"),
    (3, "plan_qj.txt", "綦江区", "2025", "head_appearance_rate", "rank", None, True, "全市前列",
     "到2025年年底，实现行政机关负责人出庭应诉率位于全市前列"),
    (4, "plan_yb.txt", "渝北区", "2020-2025", "head_appearance_rate", ">=", 50.0, False, "",
     "年均出庭应诉率不得低于50%"),
]

REFERENCE = [("全市", "litigation_loss_rate", 2020, 4.0, "市司法局通报")]


def _period(p: str) -> tuple[int, int, str]:
    a, b = (p.split("-") * 2)[:2]
    return int(a), int(b), "annual" if a == b else "cumulative"


@pytest.fixture
def con():
    con = duckdb.connect()
    con.execute(DDL)
    for i, name, cat, unit, dec, direction in INDICATORS:
        con.execute("INSERT INTO indicators (id, name_zh, category, unit, decimals, direction, headline) "
                    "VALUES (?, ?, ?, ?, ?, ?, true)", [i, name, cat, unit, dec, direction])
    for fid, doc, d, p, ind, v, k, n, q, scope, level in FACTS:
        unit = {i: u for i, _, _, u, _, _ in INDICATORS}[ind]
        con.execute("INSERT INTO facts (fact_id, doc, district, period, period_start, period_end, span_kind, "
                    "indicator, value, unit, qualifier, scope, scope_level, numerator, denominator, derived, "
                    "quote, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, false, ?, '')",
                    [fid, doc, d, p, *_period(p), ind, v, unit, q, scope, level, k, n, f"{ind} {v}"])
    for tid, doc, d, p, ind, comp, v, rel, ref, quote in TARGETS:
        con.execute("INSERT INTO targets (target_id, doc, district, period, period_start, period_end, indicator, "
                    "comparator, value, unit, relative, reference, quote) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '%', ?, ?, ?)",
                    [tid, doc, d, p, *_period(p)[:2], ind, comp, v, rel, ref, quote])
    con.executemany("INSERT INTO reference VALUES (?, ?, ?, ?, ?)", REFERENCE)
    con.execute("INSERT INTO documents (doc, district, doc_type, period, period_start, period_end, raw_text) VALUES "
                "('r_yb.txt', '渝北区', 'annual_report', '2021', 2021, 2021, '全文……')")
    yield con
    con.close()


@pytest.fixture
def frames(con):
    return load_frames(con)
