"""Live data: a change written by another process reaches open sessions on their next rerun and
new sessions at once, in the same server process, without a restart."""
import os
import subprocess
import sys

from etl.build import build
from tests.conftest import REPO, SEEDS


def districts_offered(at):
    return set(at.multiselect(key="districts").options)


def test_an_import_by_another_process_reaches_open_and_new_sessions(home, monkeypatch):
    from streamlit.testing.v1 import AppTest
    build()
    monkeypatch.chdir(REPO)
    first = AppTest.from_file(str(REPO / "app.py"), default_timeout=30)
    first.run()
    assert "巫山县" not in districts_offered(first)
    version_before = [c.value for c in first.sidebar.caption]

    report = home / "upload.txt"
    report.write_text(SEEDS[2].read_text(encoding="utf-8").replace("北碚区", "巫山县"), encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "etl", "add", str(report), "--who", "测试"], cwd=REPO,
                       capture_output=True, text=True, env={**os.environ, "FAZHI_HOME": str(home)})
    assert r.returncode == 0, r.stderr

    first.run()                                  # the open session, next rerun
    assert not first.exception
    assert "巫山县" in districts_offered(first)
    assert [c.value for c in first.sidebar.caption] != version_before   # the version shown moved on
    assert "6 份文件" in " ".join(c.value for c in first.sidebar.caption)
    second = AppTest.from_file(str(REPO / "app.py"), default_timeout=30)
    second.run()                                 # a new session
    assert "巫山县" in districts_offered(second)
