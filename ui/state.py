"""Shared view state: language, districts, period, indicator category, presentation mode.

The state lives in ``st.query_params`` (so a view is shared by URL and survives page switches);
values are validated: an unknown value gives a warning and the default.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from metrics.data import Frames
from ui import db, text
from ui.widgets import csv_bytes, literal, xlsx_bytes



@dataclass(frozen=True)
class View:
    """The validated view state. ``terms``: indicator and category names zh → en, for notes."""
    lang: str
    districts: tuple
    period: str          # 'latest' or 'YYYY' / 'YYYY-YYYY'
    category: str        # 'all' or a category id
    present: bool
    terms: dict = field(default_factory=dict, compare=False, hash=False)

    def t(self, key: str, /, **values) -> str:
        """A message of ui/text.py in the view's language (KeyError when the key is missing)."""
        return text.t(self.lang, key, **values)

    def label(self, group: str, code) -> str:
        """A code (status, verdict, flag kind, doc type …) as words."""
        return text.label(self.lang, group, code)

    def note(self, value) -> str:
        """A Chinese note of metrics/ in the view's language."""
        return text.note(self.lang, value, self.terms)

    def name(self, row) -> str:
        return row["name_zh"] if self.lang == "zh" else row["name_en"]


def _warn(key: str, value: str) -> None:
    """A bad URL value, said in both languages (the language itself may be the bad value)."""
    shown = literal(repr(value))  # a crafted URL value stays text, never a link
    st.warning(f"{text.t('zh', 'side.unknown', key=key, value=shown)} "
               f"({text.t('en', 'side.unknown', key=key, value=shown)})")


def read(frames: Frames, all_districts: list) -> View:
    """Validated view state from the query parameters."""
    q = st.query_params
    lang = q.get("lang", "zh")
    if lang not in text.LANGS:
        _warn("lang", lang)
        lang = "zh"
    districts = tuple(dict.fromkeys(d.strip() for d in q.get("districts", "").split(",") if d.strip()))
    bad = [d for d in districts if d not in all_districts]
    if bad:
        _warn("districts", ",".join(bad))
        districts = tuple(d for d in districts if d in all_districts)
    period = q.get("period", "latest")
    if period != "latest" and not re.fullmatch(r"(19|20)\d{2}(-(19|20)\d{2})?", period):
        _warn("period", period)
        period = "latest"
    categories = set(frames.indicators["category"])
    category = q.get("category", "all")
    if category != "all" and category not in categories:
        _warn("category", category)
        category = "all"
    present = q.get("present", "0") == "1"
    return View(lang, districts or default_districts(all_districts), period, category, present, terms(frames))


def terms(frames: Frames) -> dict:
    """Indicator and category names zh → en (the words of metrics' notes that come from the catalog)."""
    ind = frames.indicators
    return {**dict(zip(ind["name_zh"], ind["name_en"])), **dict(zip(ind["category_zh"], ind["category_en"]))}


DEFAULT_MAX = 12  # a national warehouse has thousands of districts: start with a readable handful
LIST_MAX = 300    # up to this many districts the sidebar offers them all; beyond, a search box finds them
MATCHES_MAX = 50  # districts a search offers at most


def default_districts(all_districts: list) -> tuple:
    """The districts selected when the URL names none: the first DEFAULT_MAX (12) of ``all_districts``."""
    return tuple(all_districts[:DEFAULT_MAX])


def district_options(all_districts: list, selected, words: str) -> list:
    """The options of the district box: every district up to LIST_MAX of them; beyond, the
    selected ones (the default ones when none is), then up to MATCHES_MAX districts whose name
    contains one of the space- or comma-separated `words`, so a rerun never sends the whole
    list of a national warehouse (2,849 names, 93 KB) to the browser."""
    if len(all_districts) <= LIST_MAX:
        return list(all_districts)
    terms = [w for w in re.split(r"[\s,，、；;]+", words or "") if w]
    found = [d for d in all_districts if any(w in d for w in terms)][:MATCHES_MAX] if terms else []
    return list(dict.fromkeys([*(selected or default_districts(all_districts)), *found]))


# Presentation mode: everything a room reads from a projector is larger. Streamlit's data grid
# draws on a canvas (CSS font sizes do not reach it), so show() renders static tables as HTML
# tables in this mode. The remaining grids (the what-if editors, the selectable evidence table) keep
# their size: a CSS zoom made them wider than the page (the grid sizes its canvas before the zoom).
PRESENT_CSS = """<style>
html, body, [data-testid="stAppViewContainer"] {font-size: 20px;}
[data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stMarkdownContainer"] {font-size: 1.25rem;}
[data-testid="stMain"] h1 {font-size: 3.2rem !important;}
[data-testid="stMain"] h2 {font-size: 2.4rem !important;}
[data-testid="stMain"] h3 {font-size: 2rem !important;}
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * {font-size: 3.4rem !important; line-height: 1.2;}
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * {font-size: 1.4rem !important;}
[data-testid="stMetricDelta"], [data-testid="stMetricDelta"] * {font-size: 1.3rem !important;}
[data-testid="stCaptionContainer"] {font-size: 1.15rem !important;}
[data-testid="stTable"] td, [data-testid="stTable"] th {font-size: 1.3rem !important; padding: .5rem .75rem !important;
  min-width: 5.5em;}
[data-testid="stWidgetLabel"] p, [data-testid="stSelectbox"] div, [data-testid="stRadio"] label p {font-size: 1.2rem !important;}
</style>"""


_VIEW = "_view"


def view() -> View:
    """The View of this rerun — language, districts, period, category, presentation mode — that
    app.py's ``sidebar`` drew before the page runs. Pages call this instead of reading session
    state. RuntimeError when no sidebar ran in this session (a page run without app.py)."""
    try:
        return st.session_state[_VIEW]
    except KeyError:
        raise RuntimeError("ui.state.view() before ui.state.sidebar(): pages run through app.py") from None


def sidebar(frames: Frames) -> View:
    """Draw the shared sidebar, keep the query parameters in step with it, and hold the resulting
    View for this rerun's page (``view()``); returns it."""
    all_districts, periods = db.choices()
    view = read(frames, all_districts)
    cats = frames.indicators.drop_duplicates("category")
    cat_ids = ["all", *cats["category"]]
    seed = {"lang": view.lang, "districts": list(view.districts), "period": view.period if view.period in
            ["latest", *periods] else "latest", "category": view.category, "present": view.present}
    for key, value in seed.items():  # the URL seeds the widgets once; afterwards the widgets lead
        st.session_state.setdefault(key, value)
    lang = st.session_state["lang"] if st.session_state["lang"] in text.LANGS else view.lang
    tt = lambda key, **v: text.t(lang, key, **v)
    cat_names = {"all": tt("side.all"), **dict(zip(cats["category"], cats["category_zh" if lang == "zh" else "category_en"]))}
    with st.sidebar:
        lang = st.radio(tt("side.lang"), ["zh", "en"], horizontal=True,
                        format_func=lambda l: {"zh": "中文", "en": "English"}[l], key="lang")
        words = (st.text_input(tt("side.search"), key="district_search",
                               placeholder=tt("side.search_hint", n=f"{len(all_districts):,}"))
                 if len(all_districts) > LIST_MAX else "")
        districts = st.multiselect(tt("side.districts"), district_options(all_districts, st.session_state["districts"], words),
                                   key="districts", placeholder=tt("choose"))
        period = st.selectbox(tt("side.period"), ["latest", *periods],
                              format_func=lambda p: tt("side.latest") if p == "latest" else p, key="period")
        category = st.selectbox(tt("side.category"), cat_ids, format_func=lambda c: cat_names.get(c, c), key="category")
        present = st.toggle(tt("side.present"), key="present")
        v = db.version()
        st.caption(tt("side.version", built=v["built_at"], docs=v["documents"], facts=v["facts"]), help=v["file"])
    new = View(lang, tuple(districts) or default_districts(all_districts), period, category, present, view.terms)
    params = {"lang": new.lang, "period": new.period, "category": new.category, "present": "1" if present else "0",
              "districts": ",".join(districts)}
    for k, val in params.items():
        if st.query_params.get(k) != val:
            st.query_params[k] = val
    if new.present:
        st.html(PRESENT_CSS)
    st.session_state[_VIEW] = new
    return new


def indicators_in(frames: Frames, view: View, only_present: bool = True):
    """The catalog rows (DataFrame of indicators) of the view's category; with ``only_present``, only indicators with
    a figure or a target in the warehouse."""
    ind = frames.indicators
    if view.category != "all":
        ind = ind[ind["category"] == view.category]
    if only_present:
        ind = ind[ind["id"].isin(frames.measured | frames.planned)]
    return ind


def measured(frames: Frames, view: View) -> tuple[list, dict]:
    """Ids of the category's indicators that have figures, and their display names."""
    inds = indicators_in(frames, view)
    inds = inds[inds["id"].isin(frames.measured)]
    return list(inds["id"]), dict(zip(inds["id"], inds["name_zh" if view.lang == "zh" else "name_en"]))


def names(frames: Frames, view: View) -> dict:
    """Indicator id → name in the view's language (every indicator of the catalog)."""
    ind = frames.indicators
    return dict(zip(ind["id"], ind["name_zh" if view.lang == "zh" else "name_en"]))


class Header(str):
    """A column header given as words (e.g. a threshold rule 「全程网办率 > 80.00%」), not a message key."""


def readable(view: View, df: pd.DataFrame, columns: dict | None = None) -> pd.DataFrame:
    """The table as a person reads it: ``columns`` {column: message key or Header} picks and
    orders the columns and gives each its header in the view's language (without ``columns``,
    every column name must be a key ``col.<name>``); missing values become '—', booleans 是/否, floats that
    are whole numbers lose their '.0'. Screen and downloads use this same frame."""
    columns = columns or {c: f"col.{c}" for c in df.columns}
    none, data = view.t("none"), {}
    for c in columns:   # every column built first, the frame made once (a coverage grid has 120 columns)
        s = df[c]
        if pd.api.types.is_bool_dtype(s):
            data[c] = s.map({True: view.t("yes"), False: view.t("no")})
        elif pd.api.types.is_numeric_dtype(s):
            whole = s.dropna().apply(lambda x: float(x).is_integer()).all()
            data[c] = [none if pd.isna(x) else f"{int(x)}" if whole else f"{float(x):,.2f}" for x in s]
        elif isinstance(s.dtype, pd.StringDtype) and not s.hasnans:
            data[c] = s.tolist()   # text without a gap (most columns): nothing to replace, no test per cell
        else:
            data[c] = [none if x is None or (isinstance(x, float) and x != x) or x is pd.NA else x
                       for x in s.tolist()]   # not `in s`: Arrow-backed text is read one element at a time
    out = pd.DataFrame(data, index=df.index, columns=df.columns[df.columns.get_indexer(list(columns))])
    return out.rename(columns={c: k if isinstance(k, Header) else view.t(k) for c, k in columns.items()})


def show(view: View, df: pd.DataFrame, columns: dict | None = None, download: str | None = None,
         brief: list | None = None, **kwargs):
    """A table on screen with readable headers and cells (``readable``) and, when ``download``
    names it, its CSV and XLSX downloads with the same headers. In presentation mode a static
    table is drawn as a large HTML table of the ``brief`` columns only (when given: quotes and
    sources do not fit a projector; the downloads keep every column); a selectable one
    (``on_select``) stays a data grid."""
    shown = readable(view, df, columns)
    if view.present and "on_select" not in kwargs:
        out = st.table(shown[[readable_header(view, columns, c) for c in brief]] if brief else shown, hide_index=True)
    else:
        out = st.dataframe(shown, hide_index=True, placeholder=view.t("none"), **kwargs)
    if download:
        downloads(view, shown, download, kwargs.get("key") or download)
    return out


def readable_header(view: View, columns: dict | None, column: str) -> str:
    """The header ``readable`` gives ``column``."""
    key = (columns or {}).get(column, f"col.{column}")
    return key if isinstance(key, Header) else view.t(key)


def downloads(view: View, shown: pd.DataFrame, name: str, key: str) -> None:
    """CSV and XLSX of a table as shown on screen, built only when clicked (an XLSX of a few
    thousand rows takes most of a second: never on every rerun)."""
    c1, c2, _ = st.columns([1, 1, 4])
    c1.download_button(view.t("download.csv"), lambda: csv_bytes(shown), f"{name}.csv", "text/csv", key=f"{key}-csv")
    c2.download_button(view.t("download.xlsx"), lambda: xlsx_bytes({name: shown}), f"{name}.xlsx",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"{key}-xlsx")
