import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SEEDS = sorted((REPO / "data" / "raw").glob("*.txt"))


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A private FAZHI_HOME with a copy of the shipped raw data."""
    shutil.copytree(REPO / "data" / "raw", tmp_path / "data" / "raw")
    monkeypatch.setenv("FAZHI_HOME", str(tmp_path))
    monkeypatch.delenv("FAZHI_DB", raising=False)
    return tmp_path
