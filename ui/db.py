"""The one caching module: a read-only DuckDB connection per warehouse generation, and the
warehouse frames. Pages never connect themselves.

Every cache is keyed on the generation file the warehouse link names at the start of the call
(``etl.settings.current_warehouse``). A build writes a new generation under a new name, so the
next rerun of every session — and every new session — reads it, with no restart."""
from __future__ import annotations

import os
import re
from datetime import datetime

import duckdb
import streamlit as st

from etl.errors import system_message
from etl.settings import current_warehouse, warehouse_path
from metrics.data import Frames, load_frames
from metrics.queries import DistrictRows, run


@st.cache_resource(max_entries=2)
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    """``path`` is a generation file: never rewritten, so a connection to it never goes stale."""
    return duckdb.connect(path, read_only=True)


@st.cache_resource(max_entries=2, show_spinner=False)
def _frames(path: str) -> Frames:
    """One shared copy for every session and rerun (cache_data would keep a pickled copy and
    unpickle another on every rerun: 2 × 150 MB at national scale). Pages and metrics treat
    frames as read-only; tests/app check that a run of every page leaves them unchanged."""
    return load_frames(_connection(path))


_PIN = "_warehouse_generation"
PERIOD = re.compile(r"\d{4}(-\d{4})?")


def pin() -> str:
    """Fix the generation this rerun reads (called once by app.py before the page runs), so a
    build finishing mid-rerun cannot mix two versions on one page."""
    gen = current_warehouse()
    if gen is None:
        st.error(f"尚未构建数据库：请先运行 `python -m etl build`。 (The warehouse {warehouse_path()} is missing: "
                 "run `python -m etl build`.)")
        st.stop()
    st.session_state[_PIN] = str(gen)
    return str(gen)


def generation() -> str:
    """The generation pinned for this rerun (the current one when nothing pinned it)."""
    return st.session_state.get(_PIN) or pin()


@st.cache_data(max_entries=4, show_spinner=False)
def _version(path: str) -> dict:
    f = _frames(path)
    built = datetime.fromtimestamp(os.stat(path).st_mtime).strftime("%Y-%m-%d %H:%M")
    return {"built_at": built, "documents": len(f.documents), "facts": len(f.facts), "file": os.path.basename(path)}


def version() -> dict:
    """The version this rerun reads: built_at ('YYYY-MM-DD HH:MM', local time), documents,
    facts (row counts) and the generation file's name."""
    return _version(generation())


def frames() -> Frames:
    """The warehouse tables of the current generation, shared read-only by every session. When
    the file cannot be opened (another program holds it for writing) the page shows why and stops."""
    try:
        return _frames(generation())
    except duckdb.Error as e:
        st.error(system_message(e))
        st.stop()


@st.cache_data(max_entries=4, show_spinner=False)
def _choices(path: str) -> tuple[list, list]:
    f = _frames(path)
    districts = sorted(f.reporting | set(f.targets["district"].unique()))
    periods = sorted((p for p in set(f.facts["period"].dropna().unique()) if PERIOD.fullmatch(str(p))),
                     key=lambda p: (p[-4:], p))  # a malformed period is not offered, never a crash
    return districts, periods


def choices() -> tuple[list, list]:
    """(districts, periods) of the warehouse, for the sidebar: computed once per version."""
    return _choices(generation())


@st.cache_data(max_entries=64, show_spinner=False)
def _document_text(path: str, doc: str) -> str:
    df = run(_connection(path), "document_text", [doc])
    return "" if df.empty else str(df.iloc[0, 0])


def document_text(doc: str) -> str:
    """The raw text of document ``doc`` in the pinned warehouse generation ('' when there is none), cached per
    generation."""
    return _document_text(generation(), doc)


@st.cache_data(max_entries=16, show_spinner=False)
def _table(path: str, name: str):
    return run(_connection(path), name)


@st.cache_resource(max_entries=4, show_spinner=False)
def _district_rows(path: str, name: str) -> DistrictRows:
    """Every district's rows of a selection query, once per generation (shared read-only, as the frames)."""
    return DistrictRows(_connection(path), name)


def table(name: str, districts=None):
    """A named query of metrics/queries.py, over some districts (flags, superseded mentions: read
    once per generation for every district, a selection picked from them) or over the whole
    warehouse (dropped documents). A new frame each call for a selection."""
    if districts is None:
        return _table(generation(), name)
    return _district_rows(generation(), name).of(districts)


@st.cache_data(max_entries=512, show_spinner=False)
def _metric(path: str, module: str, name: str, args: tuple, kwargs: tuple):
    import importlib
    fn = getattr(importlib.import_module(module), name)
    return fn(_frames(path), *args, **dict(kwargs))


def metric(fn, *args, **kwargs):
    """A metrics function called on the warehouse frames, cached per warehouse version and
    arguments (the what-if page calls metrics directly on its edited frames instead)."""
    return _metric(generation(), fn.__module__, fn.__name__, args, tuple(sorted(kwargs.items())))
