"""趋势 Trends: the selected districts' series as small multiples in one chart (multi-year
spans drawn as spans), and a table of the trend tests in words and numbers; 数据不足 said plainly."""
import pandas as pd
import streamlit as st

from metrics import trends
from ui import charts, db, state
from ui.text import term
from ui.widgets import doc_label, unit_label, value_text

view = state.view()
frames = db.frames()
st.title(view.t("page.trends"))
ids, names = state.measured(frames, view)
indicator = st.selectbox(view.t("indicator"), ids, index=ids.index("people_mediation_success_rate")
                         if "people_mediation_success_rate" in ids else 0, format_func=names.get, key="trend_indicator")
meta = frames.indicator(indicator)
unit = view.t("unit.pp") if meta["unit"] == "%" else unit_label(meta["unit"], view.lang)
shown, tests, lines, titles = [], [], {}, {}
every = db.metric(trends.selection_series, list(view.districts), indicator)   # one pass for the selection
for district in view.districts:
    s = every.get(district)
    if s is None or s.empty:
        continue
    r = trends.series_trend(s)   # trend_for of this very series
    shown.append(s)
    verdict = view.label("trend", r.direction)
    titles[district] = f"{district} · {verdict}" + (view.t("trends.mixed") if r.mixed_scope else "")
    scopes = view.t("sep").join(dict.fromkeys(term(view.lang, x) for x in s.loc[s["in_trend"], "scope_tag"]))
    row = {"district": district, "trend": verdict, "n": r.n, "scope": scopes}
    if r.direction == trends.INSUFFICIENT:
        tests.append({**row, "note": view.t("trends.too_few", n=r.n, min=trends.MIN_POINTS)})
        continue
    y0, y1 = int(s["year"].min()), int(s["year"].max())
    lines[district] = (y0, y1, r.predict(y0), r.predict(y1))
    tests.append({**row, "slope": f"{r.slope:+.2f}",
                  "slope_ci": view.t("trends.ci", lo=f"{r.slope_low:+.2f}", hi=f"{r.slope_high:+.2f}",
                                     conf=f"{r.slope_conf:.1%}"),
                  "tau": f"{r.tau:.2f}", "p": f"{r.p_value:.3f}", "min_p": f"{r.min_p:.3f}", "note": view.note(r.note)})
if not shown:
    st.info(view.t("no_selection_data"))
    st.stop()
table = pd.DataFrame(tests).reindex(columns=["district", "trend", "n", "scope", "slope", "slope_ci", "tau", "p", "min_p",
                                             "note"])
table = table.dropna(axis=1, how="all")   # no test statistics when no district has enough points
headers = {"district": "col.district", "trend": "col.trend", "n": "col.n_points", "scope": "col.scope",
           "slope": "col.slope", "slope_ci": "col.slope_ci", "tau": "col.tau", "p": "col.p", "min_p": "col.min_p",
           "note": "col.note"}
state.show(view, table.fillna(""), {c: k for c, k in headers.items() if c in table},
           download=f"trend_tests_{indicator}", key="trend-tests")
st.caption((view.t("trends.slope_unit", unit=view.t("unit.per_year", unit=unit)) + " " if "slope" in table else "")
           + view.t("trends.method"))
series = pd.concat(shown, ignore_index=True)
series = series.assign(scope_tag=[term(view.lang, x) for x in series["scope_tag"]],
                       doc=[doc_label(frames, d, view.lang) for d in series["doc"]])
st.altair_chart(charts.series_chart(series, meta, view.lang, lines, titles, big=view.present))
st.caption(view.t("trends.chart_note"))
st.markdown(f"**{view.t('trends.series')}**")
state.show(view, series.assign(value_shown=[value_text(v, meta, view.lang, q) for v, q in
                                            zip(series["value"], series["qualifier"])],
                               span=[view.label("span", k) for k in series["span_kind"]]),
           {"district": "col.district", "period": "col.period", "span": "col.span", "value_shown": "col.value",
            "scope_tag": "col.scope", "quote": "col.quote", "doc": "col.source"},
           download=f"series_{indicator}", key="series", brief=["district", "period", "span", "value_shown", "scope_tag"])
