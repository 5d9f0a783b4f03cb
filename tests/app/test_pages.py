"""Every registered page renders real content; filters change the output; the view survives in
the URL. Parametrised from the registry app.py uses."""
import pytest

from pages.views.registry import PAGES

BY_SLUG = {p.slug: p for p in PAGES}


def texts(at):
    out = [m.value for m in at.markdown] + [c.value for c in at.caption] + [t.value for t in at.title]
    out += [w.value for w in at.warning] + [i.value for i in at.info] + [s.value for s in at.subheader]
    for df in at.dataframe:
        out.append(df.value.to_string())
    for m in at.metric:
        out.append(f"{m.label}={m.value}")
    return "\n".join(map(str, out))


EXPECTED = {
    "overview": ["全程网办率=72.00%", "全程网办率=87.41%", "行政机关负责人出庭应诉率=64.29%"],
    "compare": ["北碚区", "72.00%", "87.41%"],
    "trends": ["数据不足"],
    "targets": ["綦江区", "达标", "未到期"],
    "whatif": ["满足全部条件"],
    "evidence": ["2348 / 2384 × 100", "全流程网上办率72%"],
    "data": ["002_d61b1cf0558df1ae.txt", "变化表述不明（百分点或百分比）", "范围较窄", "未说明范围的另一数值（可能是另一类对象），保留全区的数值"],
    "import": ["本地单用户模式", "修改或撤销", "参照数据"],
}


@pytest.mark.parametrize("page", PAGES, ids=[p.slug for p in PAGES])
def test_every_page_renders_its_content(app, page):
    at = app(page)
    shown = texts(at)
    for needle in EXPECTED[page.slug]:
        assert needle in shown, f"{page.slug}: {needle!r} not shown"
    assert not at.error


def test_the_whatif_filter_passes_only_districts_meeting_every_threshold(app):
    at = app(BY_SLUG["whatif"])
    table = next(d.value for d in at.dataframe if "满足全部条件" in d.value.columns).set_index("区县")
    assert table.loc["渝北区", "满足全部条件"] == "是"      # 87.41 % > 80 %, 败诉率 0 < 5 %
    assert table.loc["北碚区", "满足全部条件"] == "否"      # 72 % online


def test_changing_the_compare_indicator_changes_the_table(app):
    at = app(BY_SLUG["compare"])
    before = at.dataframe[0].value.to_string()
    at.selectbox(key="compare_indicator").set_value("head_appearance_rate").run()
    after = at.dataframe[0].value.to_string()
    assert before != after and "64.29%" in after
    assert at.query_params["indicator"] == "head_appearance_rate"


def test_the_district_filter_narrows_the_overview(app):
    at = app(BY_SLUG["overview"])
    assert "渝北区" in [s.value for s in at.subheader]
    at.multiselect(key="districts").set_value(["北碚区"]).run()
    assert [s.value for s in at.subheader] == ["北碚区"]
    assert at.query_params["districts"] == "北碚区"


def test_query_parameters_round_trip_into_the_view(app):
    at = app(BY_SLUG["compare"], districts="北碚区", indicator="head_appearance_rate", lang="en", period="2020")
    assert at.multiselect(key="districts").value == ["北碚区"]
    assert at.selectbox(key="period").value == "2020"
    assert at.radio(key="lang").value == "en"
    assert "64.29%" in at.dataframe[0].value.to_string()
    assert at.query_params["period"] == "2020"


def test_unknown_query_values_warn_and_fall_back_to_defaults(app):
    at = app(BY_SLUG["overview"], period="20x1", lang="fr", districts="火星区")
    warnings = " ".join(w.value for w in at.warning)
    assert "period='20x1'" in warnings and "lang='fr'" in warnings and "火星区" in warnings
    assert at.selectbox(key="period").value == "latest"


def test_choosing_another_districts_plan_judges_by_its_targets(app):
    at = app(BY_SLUG["targets"])
    at.radio(key="standard_kind").set_value("plan").run()
    table = next(d.value for d in at.dataframe if "目标出处" in d.value.columns)
    assert set(table["区县"]) >= {"渝北区", "北碚区"}
    assert set(table["目标所属区县"]) == {"綦江区"}


def test_import_needs_the_editor_password_when_one_is_configured(app, warehouse, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from etl.auth import hash_password
    from tests.conftest import REPO
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=30)
    at.secrets["editor_password_hash"] = hash_password("s3cret")
    at.run()
    at.switch_page(BY_SLUG["import"].path)
    at.run()
    assert not at.exception
    assert any("需要编辑权限" in w.value for w in at.warning)
    assert not any("修改或撤销" in s.value for s in at.subheader)
    at.text_input(key="editor_password").input("wrong").run()
    assert any("密码不正确" in e.value for e in at.error)
    at.text_input(key="editor_password").input("s3cret").run()
    assert any("修改或撤销" in s.value for s in at.subheader)


def test_english_toggle_translates_navigation_and_table_headers(app):
    at = app(BY_SLUG["compare"], lang="en")
    assert at.title[0].value == "Compare districts"
    assert "District" in at.dataframe[0].value.columns and "区县" not in at.dataframe[0].value.columns


def test_series_chart_draws_spans_as_spans_on_a_year_axis_one_panel_per_district():
    import pandas as pd

    from ui.charts import series_chart
    s = pd.DataFrame([{"district": d, "period": "2016-2020", "period_start": 2016, "period_end": 2020,
                       "span_kind": "cumulative", "value": 99.02, "quote": "q", "doc": "doc"} for d in "AB"]
                     + [{"district": "A", "period": "2021", "period_start": 2021, "period_end": 2021, "span_kind": "annual",
                         "value": 99.51, "quote": "q", "doc": "doc"}])
    spec = series_chart(s, {"name_zh": "人民调解成功率", "name_en": "x", "unit": "%", "decimals": 2},
                        lines={"A": (2016, 2021, 98.0, 99.5)}, titles={"A": "A · 上升"}).to_dict()
    span_layer, point_layer, trend_layer = spec["spec"]["layer"]
    assert span_layer["mark"]["type"] == "rule" and span_layer["encoding"]["x2"]["field"] == "x1"
    assert span_layer["encoding"]["x"]["scale"]["domain"] == [2015.5, 2022.5]
    assert point_layer["mark"]["type"] == "line" and trend_layer["mark"]["strokeDash"] == [6, 4]
    assert span_layer["encoding"]["y"]["title"] == "人民调解成功率（%）"
    assert spec["facet"]["field"] == "panel" and spec["facet"]["sort"] == ["A · 上升", "B"]
    rows = next(iter(spec["datasets"].values()))
    assert {r["kind"] for r in rows if r["district"] == "A"} == {"span", "annual", "trend"}


def test_edits_lists_only_the_values_the_user_changed():
    import math

    import pandas as pd

    from ui.widgets import edits
    before = pd.DataFrame({"fact_id": [1, 2, 3], "value": [1.0, math.nan, 3.0]})
    after = before.assign(value=[1.0, math.nan, 4.5])
    assert edits(before, after, "fact_id") == {3: 4.5}
    assert edits(before, before.copy(), "fact_id") == {}


def test_no_page_changes_the_shared_warehouse_frames(app, warehouse):
    """Frames are one shared object (cache_resource): a page that modified them in place would
    change every other session's figures."""
    import pandas as pd

    from etl.settings import current_warehouse
    from ui import db
    path = str(current_warehouse(warehouse))
    shared = lambda: db._frames(path)
    digest = lambda f: [pd.util.hash_pandas_object(getattr(f, t), index=True).sum() for t in ("facts", "targets", "indicators")]
    app(BY_SLUG["overview"])
    before = digest(shared())
    for page in PAGES:
        at = app(page)
        assert not at.exception
    assert shared() is shared() and digest(shared()) == before


def test_delta_arrows_follow_the_sign_and_colours_the_indicator_direction():
    from ui.widgets import delta_style
    assert delta_style(-1.7, "lower") == {"delta_arrow": "down", "delta_color": "blue"}   # 败诉率 falls: better
    assert delta_style(-2.2, "higher") == {"delta_arrow": "down", "delta_color": "red"}
    assert delta_style(3.0, "higher") == {"delta_arrow": "up", "delta_color": "blue"}
    assert delta_style(3.0, "neutral")["delta_color"] == "gray"
    assert delta_style(0.0, "higher") == {"delta_arrow": "off", "delta_color": "gray"}


def test_overview_cards_point_their_arrows_the_way_the_figure_moved(tmp_path, monkeypatch):
    """Ten synthetic annual reports of two districts give every headline card a change, both ways."""
    from streamlit.proto.Metric_pb2 import Metric
    from streamlit.testing.v1 import AppTest

    from benchmarks.synth import corpus
    from etl.build import build
    from tests.conftest import REPO
    raw = tmp_path / "raw"
    raw.mkdir()
    for rep in corpus(2, years=range(2019, 2022)):
        (raw / rep.name).write_text(rep.text, encoding="utf-8")
    build(db=tmp_path / "w.duckdb", raw_dir=raw)
    monkeypatch.setenv("FAZHI_DB", str(tmp_path / "w.duckdb"))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60).run()
    moved = [m.proto for m in at.metric if m.proto.delta and not m.proto.delta.startswith("±")]  # ± : unchanged
    assert {m.delta[0] for m in moved} == {"+", "−"}
    for m in moved:
        assert m.direction == (Metric.MetricDirection.DOWN if m.delta[0] == "−" else Metric.MetricDirection.UP), m.delta
    loss = [m for m in moved if m.label == "行政诉讼败诉率"]
    assert loss and all(m.color == (Metric.MetricColor.BLUE if m.delta[0] == "−" else Metric.MetricColor.RED) for m in loss)


def test_compare_chart_shades_from_best_to_worst_rank_without_cycling_colours():
    import pandas as pd

    from ui.charts import BETTER, WORSE, compare_chart
    from ui.charts import UNRANKED_DOT
    df = pd.DataFrame({"district": list("ABCD"), "value": [90.0, 80.0, 70.0, 99.0], "rank": [1, 2, 3, None],
                       "ranked": [True, True, True, False], "group": "", "period": ["2021"] * 3 + ["2020"],
                       "scope_tag": "全区", "qualifier": "exact", "flags": "", "doc": "d", "quote": "q",
                       "ci_low": None, "ci_high": None})
    spec = compare_chart(df, {"name_zh": "x", "name_en": "x", "unit": "%", "decimals": 2, "direction": "higher"}).to_dict()
    colour = spec["layer"][1]["encoding"]["color"]
    assert colour["condition"]["type"] == "quantitative"
    assert colour["condition"]["scale"] == {"domain": [1, 3], "range": [BETTER, WORSE]}
    assert colour["value"] == UNRANKED_DOT   # D (2020) is shown grey, never coloured beside the 2021 figures
    labels = {r["label"] for rows in spec["datasets"].values() for r in rows}
    assert "D · 2020 · 全区" in labels and "A · 2021 · 全区" in labels


FREE_TEXT_COLUMNS = {"Quote", "Source", "Title", "Target quote", "Target source", "Derived as", "Correction",
                     "File name", "Handling", "Note"}   # words of the reports themselves (Handling/Note: checked in test_text)


@pytest.mark.parametrize("page", PAGES, ids=[p.slug for p in PAGES])
def test_english_mode_shows_no_chinese_but_names_and_quotes(app, page):
    """Titles, captions, labels, buttons, metrics (and their tooltips), table headers and coded
    cells are English; district names, document titles and quotes may stay Chinese, and a
    message written 「中文 (English)」 (the ETL's and the editor lock's) counts by its English."""
    import re

    from ui.text import bilingual
    at = app(page, lang="en")
    districts = sorted(set(at.multiselect(key="districts").options), key=len, reverse=True)
    shown = [m.value for m in at.markdown] + [c.value for c in at.caption] + [t.value for t in at.title]
    shown += [w.value for w in at.warning] + [i.value for i in at.info] + [s.value for s in at.subheader]
    shown += [e.value for e in at.error] + [s.value for s in at.success]
    shown += [f"{m.label}={m.value}" for m in at.metric] + [m.proto.help for m in at.metric]
    shown += [w.label for kind in ("selectbox", "multiselect", "radio", "text_input", "slider", "toggle", "button",
                                   "checkbox", "number_input") for w in getattr(at, kind)]
    shown += [e.proto.label for e in at.get("download_button")]
    for df in at.dataframe:
        shown += list(df.value.columns)
        shown += [str(v) for col in df.value.columns if col not in FREE_TEXT_COLUMNS for v in df.value[col]]
    left = "\n".join(bilingual("en", x) for x in map(str, shown))
    left = re.sub(r"「[^」]*」|“[^”]*”|《[^》]*》", "", left)
    for d in districts:
        left = left.replace(d, "")
    assert not re.findall(r".{0,20}[\u3400-\u9fff]+.{0,20}", left), page.slug


def test_a_single_value_compare_axis_is_not_spread_over_a_tiny_domain():
    import pandas as pd

    from ui.charts import compare_chart
    one = pd.DataFrame({"district": ["A"], "value": [3.4], "rank": [None], "ranked": [False], "group": "",
                        "period": ["2021"], "scope_tag": "全区", "qualifier": "exact", "flags": "", "doc": "d",
                        "quote": "q", "ci_low": None, "ci_high": None})
    meta = {"name_zh": "平均跑动次数", "name_en": "Average visits", "unit": "次", "decimals": 2, "direction": "lower"}
    x = compare_chart(one, meta, "en").to_dict()["layer"][1]["encoding"]["x"]
    assert x["scale"]["domain"] == [0.0, 5.1] and x["axis"]["format"] == ",.2~f"
    assert x["title"] == "Average visits (times)"
    big = compare_chart(one, meta, "zh", big=True).to_dict()["config"]["axis"]
    assert big["labelFontSize"] > compare_chart(one, meta, "zh").to_dict()["config"]["axis"]["labelFontSize"]


def test_tables_read_the_same_on_screen_and_in_their_downloads():
    import io
    import math

    import pandas as pd

    from ui.state import View, readable
    from ui.widgets import csv_bytes, value_text
    df = pd.DataFrame({"district": ["北碚区", "渝北区"], "rank": [1.0, math.nan], "ranked": [True, False],
                       "quote": ["q", None], "score": [33.33333333333333, 50.0]})
    shown = readable(View("en", ("北碚区",), "latest", "all", False), df,
                     {"district": "col.district", "rank": "col.rank", "ranked": "col.meets_all", "quote": "col.quote",
                      "score": "col.score_new"})
    assert list(shown.columns) == ["District", "Rank", "Meets every condition", "Quote", "Scenario score (0–100)"]
    assert shown.iloc[1].tolist() == ["渝北区", "—", "no", "—", "50.00"] and shown.iloc[0, 4] == "33.33"
    back = pd.read_csv(io.BytesIO(csv_bytes(shown)), encoding="utf-8-sig", dtype=str)
    assert list(back.columns) == list(shown.columns)
    assert value_text(674725, {"unit": "万元", "decimals": 2}, "en") == "674,725.00 CNY 10k"
    assert value_text(float("nan"), {"unit": "件", "decimals": 0}, "zh") == "—"


def test_a_large_warehouse_offers_the_selected_districts_and_the_matches_of_a_search():
    from ui.state import DEFAULT_MAX, MATCHES_MAX, district_options
    names = [f"{a}{b}区" for a in "东南西北中" for b in range(700)]   # 3,500 names
    assert district_options(names[:40], ("北1区",), "") == names[:40]          # a small warehouse: all of them
    assert district_options(names, (), "") == names[:DEFAULT_MAX]               # nothing chosen: the default ones
    assert district_options(names, ("中5区",), "北69 南699") == [                # selected first, then in list order
        "中5区", "南699区", "北69区", *(f"北69{i}区" for i in range(10))]
    assert district_options(names, ("北690区",), "北690，") == ["北690区"]         # no duplicate, separators ignored
    assert len(district_options(names, ("中5区",), "北")) == 1 + MATCHES_MAX


def test_beyond_the_list_size_the_sidebar_searches_instead_of_listing_every_district(app, monkeypatch):
    import ui.state
    monkeypatch.setattr(ui.state, "LIST_MAX", 1)
    at = app(BY_SLUG["overview"], districts="北碚区")                  # the URL still selects
    box = at.multiselect(key="districts")
    assert box.value == ["北碚区"] and box.options == ["北碚区"]
    at.text_input(key="district_search").set_value("渝北").run()
    assert at.multiselect(key="districts").options == ["北碚区", "渝北区"]
    at.multiselect(key="districts").set_value(["北碚区", "渝北区"]).run()
    assert [s.value for s in at.subheader] == ["北碚区", "渝北区"]
    assert at.query_params["districts"] == "北碚区,渝北区"
