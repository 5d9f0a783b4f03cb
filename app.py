"""法治政府建设指标看板 — entry point: page config, navigation, shared sidebar."""
import streamlit as st

from pages.registry import PAGES

st.set_page_config(page_title="法治政府建设指标看板", layout="wide")
st.navigation([st.Page(p.path, title=p.title_zh, url_path=p.slug) for p in PAGES]).run()
