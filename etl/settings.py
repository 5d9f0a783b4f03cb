"""Paths and limits. No project imports: every other module may import this one.

Every path derives from one base directory, ``FAZHI_HOME`` (default: the repository root),
so tests can point the whole product at ``tmp_path``.
"""
from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
CATALOG_DIR = REPO_ROOT / "etl" / "catalog"


def home() -> Path:
    """The base folder of every path: FAZHI_HOME, or the repository root."""
    return Path(os.environ.get("FAZHI_HOME", REPO_ROOT))


def data_dir() -> Path:
    """``<home>/data``: raw reports, metadata, corrections, reference figures, the warehouse."""
    return home() / "data"


def raw_dir() -> Path:
    """``<home>/data/raw``: the stored reports and their ``metadata.csv``."""
    return data_dir() / "raw"


def warehouse_path() -> Path:
    """The warehouse's stable name (``data/warehouse.duckdb`` or ``FAZHI_DB``): a symbolic link
    to the current generation, so any tool that opens this path reads the newest build."""
    return Path(os.environ.get("FAZHI_DB", data_dir() / "warehouse.duckdb"))


def generations_dir(db: Path | None = None) -> Path:
    """Folder of the immutable warehouse generations behind ``db`` (``warehouse.duckdb.d``)."""
    db = db or warehouse_path()
    return db.with_name(db.name + ".d")


def current_warehouse(db: Path | None = None) -> Path | None:
    """The generation file ``db`` names now (the resolved link), or None when there is none.

    Readers open this path, never the link: every build writes a new file under a new name, so a
    reader cannot be handed a stale database (DuckDB caches open databases by path: reconnecting
    to a path whose file was replaced returns the old data)."""
    db = db or warehouse_path()
    real = Path(os.path.realpath(db))
    return real if real.is_file() else None


# Largest report the extractor accepts, in bytes (a 30 MB file is refused with a message).
MAX_REPORT_BYTES = int(os.environ.get("FAZHI_MAX_BYTES", 20 * 1024 * 1024))
