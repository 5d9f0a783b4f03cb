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
    return Path(os.environ.get("FAZHI_HOME", REPO_ROOT))


def data_dir() -> Path:
    return home() / "data"


def raw_dir() -> Path:
    return data_dir() / "raw"


def warehouse_path() -> Path:
    return Path(os.environ.get("FAZHI_DB", data_dir() / "warehouse.duckdb"))


# Largest report the extractor accepts, in bytes (a 30 MB file is refused with a message).
MAX_REPORT_BYTES = int(os.environ.get("FAZHI_MAX_BYTES", 20 * 1024 * 1024))
