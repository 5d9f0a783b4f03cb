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


def test_repeated_districts_in_the_url_are_shown_once(app):
    from pages.views.registry import PAGES
    at = app(PAGES[0], districts="渝北区,渝北区, 北碚区")
    assert not at.exception and not at.error
    assert list(at.multiselect(key="districts").value) == ["渝北区", "北碚区"]


def test_a_warehouse_held_by_another_program_gives_a_message_and_a_later_import_works(home, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from etl.settings import current_warehouse
    build()
    monkeypatch.chdir(REPO)
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time\n"
                               f"con = duckdb.connect({str(current_warehouse())!r})\n"
                               "print('open', flush=True)\ntime.sleep(60)"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        at = AppTest.from_file(str(REPO / "app.py"), default_timeout=30)
        at.run()
        assert not at.exception
        assert [e.value for e in at.error] == [
            "数据库正被另一个程序以写入方式打开（例如 DuckDB 命令行），请关闭它后重试 "
            "(the warehouse is held open for writing by another program: close it and retry)"]
        build()                                   # a later build writes a new generation
        at.run()
        assert not at.exception and not at.error
    finally:
        holder.kill()
        holder.wait()
