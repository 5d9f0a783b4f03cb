"""The benchmark's light client against a real `python -m ui.serve` on the shipped data, and the
nginx deployment of deploy/serve.py (skipped where nginx is not installed)."""
import asyncio
import os
import time
import urllib.parse

import pytest

from benchmarks.sessions import Run, Viewer, _free_base_port
from deploy.serve import Deployment, app_process, nginx_binary, nginx_config, wait_healthy
from etl.build import build


def test_a_run_counts_only_with_a_title_and_no_exception():
    assert Run(0.1, "FINISHED_SUCCESSFULLY", titles=["总览"]).ok
    assert not Run(0.1, "FINISHED_SUCCESSFULLY").ok
    crashed = Run(0.1, "FINISHED_SUCCESSFULLY", titles=["总览"], exceptions=["KeyError: 'x'"])
    assert not crashed.ok and "KeyError" in crashed.problem()
    assert "timeout" in Run(180, "timeout", titles=["总览"]).problem()


def test_the_client_runs_pages_of_a_served_app(home):
    build()
    port = _free_base_port(1)
    proc = app_process(port, dict(os.environ))
    try:
        wait_healthy(f"http://127.0.0.1:{port}", proc)

        async def scenario():
            v = Viewer(f"http://127.0.0.1:{port}")
            first = await v.open("")
            again = await v.rerun()
            chosen = ["北碚区", "渝北区"]
            other = await v.rerun("compare", chosen)
            shown = urllib.parse.parse_qs(v.query)["districts"][0]
            stay = await v.rerun()
            await v.close()
            lost = Viewer(f"http://127.0.0.1:{port}")
            missing = await lost.open("no-such-page")
            await lost.close()
            return first, again, other, shown, stay, missing

        first, again, other, shown, stay, missing = asyncio.run(scenario())
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    assert first.ok and first.titles == ["总览"] and first.deltas > 5, first
    assert again.ok and again.titles == ["总览"], again
    assert other.ok and other.titles == ["区县对比"], other
    assert shown == "北碚区,渝北区"                 # the widget value sent reached the app
    assert stay.ok and stay.titles == ["区县对比"]   # a rerun stays on the session's page
    assert missing.status == "page not found" and not missing.ok


def test_the_nginx_config_pins_each_browser_to_one_process(tmp_path):
    conf = nginx_config("127.0.0.1:9000", [9001, 9002], tmp_path)
    assert "@" not in conf.replace("@RUN@", "")
    assert '"127.0.0.1:9002" fazhi_9002;' in conf and "least_conn;" in conf
    assert "proxy_set_header Upgrade $http_upgrade;" in conf


@pytest.mark.skipif(nginx_binary() is None, reason="nginx is not installed (apt-get install nginx)")
def test_viewers_behind_nginx_are_spread_over_the_processes_and_stay_on_theirs(home):
    build()
    dep = Deployment(2, port=_free_base_port(3), env=dict(os.environ))
    with dep:
        async def scenario():
            viewers = [Viewer(dep.url), Viewer(dep.url)]
            runs = []
            for v in viewers:
                runs.append(await v.open(""))
            cookies = [{c.name: c.value for c in v.cookies}.get("fazhi_backend") for v in viewers]
            for v in viewers:
                await v.close()
            return runs, cookies

        runs, cookies = asyncio.run(scenario())
        for _ in range(50):                      # nginx logs a websocket when it closes
            if sum(dep.sessions_per_backend().values()) == 2:
                break
            time.sleep(0.1)
        split = dep.sessions_per_backend()
    assert all(r.ok for r in runs), [r.problem() for r in runs]
    assert sorted(cookies) == [f"127.0.0.1:{p}" for p in dep.backends]
    assert sorted(split.values()) == [1, 1], split
