"""数据 Data: the documents and every figure extracted from them."""
import duckdb
import streamlit as st

from etl.settings import warehouse_path


@st.cache_resource
def _connection(path: str, mtime: float):
    return duckdb.connect(path, read_only=True)


path = warehouse_path()
if not path.exists():
    st.error("尚未构建数据库，请先运行 python -m etl build (warehouse missing)")
    st.stop()
con = _connection(str(path), path.stat().st_mtime).cursor()
st.title("数据")
st.subheader("文件")
st.dataframe(con.execute("SELECT doc, title, district, doc_type, period, doc_date FROM documents ORDER BY doc").df(),
             hide_index=True)
st.subheader("指标数据")
st.dataframe(con.execute("SELECT district, period, indicator, value, unit, scope, quote, doc FROM facts ORDER BY fact_id").df(),
             hide_index=True)
