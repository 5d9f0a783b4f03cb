"""法治政府建设指标看板 — entry point: page config, navigation, shared sidebar."""
import streamlit as st

from pages.views.registry import PAGES
from ui import db, state, text

# the widgets lead once drawn (a toggle in the sidebar), the URL before that
present = st.session_state.get("present", st.query_params.get("present") == "1")
lang = st.session_state.get("lang") or st.query_params.get("lang", "zh")
lang = lang if lang in text.LANGS else "zh"
st.set_page_config(page_title=text.t(lang, "app.title"), layout="wide",
                   initial_sidebar_state="collapsed" if present else "expanded")
pages = [st.Page(p.path, title=p.title(lang), url_path=p.slug, icon=p.icon, default=i == 0)
         for i, p in enumerate(PAGES)]
nav = st.navigation(pages)
db.pin()
state.sidebar(db.frames())
nav.run()
