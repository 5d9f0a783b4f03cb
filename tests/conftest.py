import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs hypothesis derandomised (the same examples every run, so a failure reproduces);
# developers get fresh examples. Both print the failing example.
settings.register_profile("ci", derandomize=True, print_blob=True, deadline=None)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

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
