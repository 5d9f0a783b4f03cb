"""The one caching module: a read-only DuckDB connection per warehouse file version, and the
warehouse frames. Pages never connect themselves."""
from __future__ import annotations

import duckdb
import streamlit as st

from etl.settings import warehouse_path
from metrics.data import Frames, load_frames
from metrics.queries import run


@st.cache_resource(max_entries=2)
def _connection(path: str, mtime: float) -> duckdb.DuckDBPyConnection:
    """Keyed on the file's mtime: a rebuild (os.replace) gives a new connection."""
    return duckdb.connect(path, read_only=True)


@st.cache_resource(max_entries=2, show_spinner=False)
def _frames(path: str, mtime: float) -> Frames:
    """One shared copy for every session and rerun (cache_data would keep a pickled copy and
    unpickle another on every rerun: 2 × 150 MB at national scale). Pages and metrics treat
    frames as read-only; tests/app check that a run of every page leaves them unchanged."""
    return load_frames(_connection(path, mtime))


def frames() -> Frames:
    path = warehouse_path()
    if not path.exists():
        st.error("尚未构建数据库：请先运行 `python -m etl build`。 (The warehouse is missing: run `python -m etl build`.)")
        st.stop()
    return _frames(str(path), path.stat().st_mtime)


@st.cache_data(max_entries=4, show_spinner=False)
def _choices(path: str, mtime: float) -> tuple[list, list]:
    f = _frames(path, mtime)
    districts = sorted(f.reporting | set(f.targets["district"].unique()))
    periods = sorted(set(f.facts["period"].unique()), key=lambda p: (int(p[-4:]), p))
    return districts, periods


def choices() -> tuple[list, list]:
    """(districts, periods) of the warehouse, for the sidebar: computed once per version."""
    path = warehouse_path()
    return _choices(str(path), path.stat().st_mtime)


@st.cache_data(max_entries=64, show_spinner=False)
def _document_text(path: str, mtime: float, doc: str) -> str:
    df = run(_connection(path, mtime), "document_text", [doc])
    return "" if df.empty else str(df.iloc[0, 0])


def document_text(doc: str) -> str:
    path = warehouse_path()
    return _document_text(str(path), path.stat().st_mtime, doc)


@st.cache_data(max_entries=16, show_spinner=False)
def _table(path: str, mtime: float, name: str, districts: tuple):
    return run(_connection(path, mtime), name, [list(districts)])


def table(name: str, districts):
    """A named query of metrics/queries.py over some districts (flags, superseded mentions)."""
    path = warehouse_path()
    return _table(str(path), path.stat().st_mtime, name, tuple(districts))


@st.cache_data(max_entries=512, show_spinner=False)
def _metric(path: str, mtime: float, module: str, name: str, args: tuple, kwargs: tuple):
    import importlib
    fn = getattr(importlib.import_module(module), name)
    return fn(_frames(path, mtime), *args, **dict(kwargs))


def metric(fn, *args, **kwargs):
    """A metrics function called on the warehouse frames, cached per warehouse version and
    arguments (the what-if page calls metrics directly on its edited frames instead)."""
    path = warehouse_path()
    return _metric(str(path), path.stat().st_mtime, fn.__module__, fn.__name__, args, tuple(sorted(kwargs.items())))


def clear() -> None:
    _frames.clear()
    _document_text.clear()
