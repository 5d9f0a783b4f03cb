"""Shared view state: language, districts, period, indicator category, presentation mode.

The state lives in ``st.query_params`` (so a view is shared by URL and survives page switches);
values are validated: an unknown value gives a warning and the default.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import streamlit as st

from metrics.data import Frames
from ui import db
from ui.widgets import literal

TEXT = {
    "zh": {
        "app": "法治政府建设指标看板", "lang": "语言", "districts": "区县", "period": "时期", "latest": "最新",
        "category": "指标类别", "all": "全部", "present": "演示模式（大字号）", "unknown": "未识别的参数",
        "use_default": "已改用默认值", "evidence": "证据", "source": "来源", "quote": "原文", "derived": "推算",
        "no_data": "暂无数据", "download_csv": "下载 CSV", "download_xlsx": "下载 XLSX", "indicator": "指标",
        "value": "数值", "status": "状态", "target": "目标", "actual": "实际", "gap": "差距", "rank": "排名",
        "local_mode": "本地单用户模式：未配置编辑密码，编辑功能已开启。",
        "version": "数据版本", "n_docs": "份文件", "n_facts": "条数据",
    },
    "en": {
        "app": "Rule-of-law indicator dashboard", "lang": "Language", "districts": "Districts", "period": "Period",
        "latest": "Latest", "category": "Indicator category", "all": "All", "present": "Presentation mode",
        "unknown": "Unrecognised parameter", "use_default": "using the default", "evidence": "Evidence",
        "source": "Source", "quote": "Quote", "derived": "Derived", "no_data": "No data",
        "download_csv": "Download CSV", "download_xlsx": "Download XLSX", "indicator": "Indicator", "value": "Value",
        "status": "Status", "target": "Target", "actual": "Actual", "gap": "Gap", "rank": "Rank",
        "local_mode": "Local single-user mode: no editor password configured, editing is on.",
        "version": "Data version", "n_docs": "documents", "n_facts": "figures",
    },
}


@dataclass(frozen=True)
class View:
    lang: str
    districts: tuple
    period: str          # 'latest' or 'YYYY' / 'YYYY-YYYY'
    category: str        # 'all' or a category id
    present: bool

    def t(self, key: str) -> str:
        return TEXT[self.lang].get(key, TEXT["zh"].get(key, key))

    def name(self, row) -> str:
        return row["name_zh"] if self.lang == "zh" else row["name_en"]


def _warn(key: str, value: str) -> None:
    shown = literal(repr(value))  # a crafted URL value stays text, never a link
    st.warning(f"{TEXT['zh']['unknown']} {key}={shown}，{TEXT['zh']['use_default']} "
               f"({TEXT['en']['unknown']} {key}={shown}, {TEXT['en']['use_default']})")


def read(frames: Frames, all_districts: list) -> View:
    """Validated view state from the query parameters."""
    q = st.query_params
    lang = q.get("lang", "zh")
    if lang not in TEXT:
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
    return View(lang, districts or default_districts(all_districts), period, category, present)


DEFAULT_MAX = 12  # a national warehouse has thousands of districts: start with a readable handful


def default_districts(all_districts: list) -> tuple:
    return tuple(all_districts[:DEFAULT_MAX])


def sidebar(frames: Frames) -> View:
    """Draw the shared sidebar and keep the query parameters in step with it."""
    all_districts, periods = db.choices()
    view = read(frames, all_districts)
    cats = frames.indicators.drop_duplicates("category")
    cat_ids = ["all", *cats["category"]]
    cat_names = {"all": view.t("all"), **dict(zip(cats["category"], cats["category_zh" if view.lang == "zh" else "category_en"]))}
    seed = {"lang": view.lang, "districts": list(view.districts), "period": view.period if view.period in
            ["latest", *periods] else "latest", "category": view.category, "present": view.present}
    for key, value in seed.items():  # the URL seeds the widgets once; afterwards the widgets lead
        st.session_state.setdefault(key, value)
    with st.sidebar:
        lang = st.radio(view.t("lang"), ["zh", "en"], horizontal=True,
                        format_func=lambda l: {"zh": "中文", "en": "English"}[l], key="lang")
        districts = st.multiselect(view.t("districts"), all_districts, key="districts")
        period = st.selectbox(view.t("period"), ["latest", *periods],
                              format_func=lambda p: view.t("latest") if p == "latest" else p, key="period")
        category = st.selectbox(view.t("category"), cat_ids, format_func=lambda c: cat_names.get(c, c), key="category")
        present = st.toggle(view.t("present"), key="present")
        v = db.version()
        st.caption(f"{view.t('version')}: {v['built_at']} · {v['documents']} {view.t('n_docs')} · "
                   f"{v['facts']} {view.t('n_facts')}", help=v["file"])
    new = View(lang, tuple(districts) or default_districts(all_districts), period, category, present)
    params = {"lang": new.lang, "period": new.period, "category": new.category, "present": "1" if present else "0",
              "districts": ",".join(districts)}
    for k, v in params.items():
        if st.query_params.get(k) != v:
            st.query_params[k] = v
    if new.present:
        st.html("<style>html, body, [class*='st-'] {font-size: 1.25rem;} h1 {font-size: 2.6rem !important;}"
                "[data-testid='stMetricValue'] {font-size: 3rem !important;}</style>")
    return new


def indicators_in(frames: Frames, view: View, only_present: bool = True):
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


HEADERS_EN = {
    "区县": "District", "时期": "Period", "排名": "Rank", "统计分组": "Statistical group", "可比性说明": "Comparability",
    "原文": "Quote", "来源文件": "Source file", "数值": "Value", "文件": "File", "标题": "Title", "类型": "Type",
    "日期": "Date", "编码": "Encoding", "字数": "Characters", "指标": "Indicator", "说明": "Note",
    "目标所属区县": "Target of", "比较": "Comparator", "目标值": "Target", "目标时期": "Target period", "期限": "Deadline",
    "实际值": "Actual", "实际值时期": "Actual period", "状态": "Status", "差距（正=优于目标）": "Gap (+ = better)",
    "期限时预测值": "Projected at deadline", "预计达标年份": "Year reached", "预测说明": "Projection note",
    "目标出处": "Target source", "目标原文": "Target quote", "满足全部条件": "Meets all", "基准目标": "Baseline target",
    "基准实际": "Baseline actual", "基准状态": "Baseline status", "假设目标": "Scenario target",
    "假设实际": "Scenario actual", "假设状态": "Scenario status", "变化": "Change", "数据覆盖率": "Coverage",
    "排名区间下限": "Best rank", "排名区间上限": "Worst rank", "位置": "Span", "推算": "Derived as",
    "人工修改": "Corrected", "趋势": "Trend", "95% 区间": "95% interval",
}


def show(view: View, df, **kwargs):
    """st.dataframe with the headers in the view's language."""
    if view.lang == "en":
        df = df.rename(columns=HEADERS_EN)
    return st.dataframe(df, hide_index=kwargs.pop("hide_index", True), **kwargs)
