"""法治政府建设指标看板 — entry point: page config, navigation, shared sidebar."""
import streamlit as st

from pages.views.registry import PAGES
from ui import db, state

present = st.query_params.get("present") == "1"
st.set_page_config(page_title="法治政府建设指标看板", layout="wide",
                   initial_sidebar_state="collapsed" if present else "expanded")
lang = st.query_params.get("lang", "zh")
pages = [st.Page(p.path, title=p.title_en if lang == "en" else p.title_zh, url_path=p.slug, icon=p.icon,
                 default=i == 0) for i, p in enumerate(PAGES)]
nav = st.navigation(pages)
db.pin()
st.session_state["view"] = state.sidebar(db.frames())
nav.run()
