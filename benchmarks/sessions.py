"""Goal 3: N viewers at once against one `python -m ui.serve` (== `streamlit run app.py`), each a
real headless Chromium session (Debian's chromium and chromedriver) speaking Streamlit's own
websocket protocol, on the warehouse named by FAZHI_DB.

    python -m benchmarks.sessions --db PATH [--sessions 8] [--reruns 5] [--selections 3]

Each session opens the overview, then (all sessions at once, started together)
- opens the overview again ``--reruns`` times (the default selection, every result already in the
  server's caches): the *cached rerun* time. (It is a page load, a new Streamlit session each time:
  the rerun shortcut "r" is off with ``toolbarMode = "minimal"``, and a widget change would change
  the selection.);
- opens ``--selections`` pages (overview, compare, trends, targets in turn) with a 12-district
  selection no session asked for before, in the URL: the *new selection* time (a new session
  and nothing cached for that selection).
A time runs from the action to the moment the app's script state (``data-test-script-state``,
set by Streamlit's frontend) is back to ``notRunning`` with the page title drawn. Chromium renders
on the same two cores as the server, so the times include the browsers' own work: they are an
upper bound of what a viewer on another machine waits. Prints p50/p95 beside the goals.
"""
from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parent.parent
CHROMIUM, DRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1400,1000"]
PAGES = ("overview", "compare", "trends", "targets")
# The app's script state, whether a title and an exception box are shown, and how many runs began
# since this document loaded (a MutationObserver counts them, so a run shorter than a poll counts).
DONE_JS = """
const a = document.querySelector('[data-test-script-state]');
if (!a) return ['', false, false, 0];
if (!window.__fzRuns) {
  window.__fzRuns = {n: 0};
  new MutationObserver(() => { if (a.getAttribute('data-test-script-state') === 'running') window.__fzRuns.n++; })
    .observe(a, {attributes: true, attributeFilter: ['data-test-script-state']});
}
return [a.getAttribute('data-test-script-state'), !!document.querySelector('h1'),
        !!document.querySelector('[data-testid="stException"]'), window.__fzRuns.n];
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "ui.serve", "--server.port", str(port), "--server.headless", "true",
                             "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
                            cwd=REPO, env={**os.environ, "FAZHI_DB": str(db)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=1)
            return proc, url
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("streamlit did not start (ui.serve)")


def _driver(profile: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    for f in FLAGS + [f"--user-data-dir={profile}"]:
        options.add_argument(f)
    options.binary_location = CHROMIUM
    return webdriver.Chrome(service=Service(DRIVER), options=options)


TIMEOUT = 180.0


def _wait_done(driver, runs_before: int | None, timeout: float = TIMEOUT) -> tuple[float, bool, int]:
    """Poll until a run began after the action and the script stopped with the title drawn
    (``runs_before``: the run count before a rerun; None after loading a page). Returns (the
    moment, whether an exception box is shown, the run count)."""
    end = time.perf_counter() + timeout
    seen = False
    while time.perf_counter() < end:
        state, title, exc, runs = driver.execute_script(DONE_JS)
        if state in ("running", "rerunRequested") or (runs_before is not None and runs > runs_before):
            seen = True
        elif seen and state == "notRunning" and title:
            return time.perf_counter(), exc, runs
        elif runs_before is None and state == "notRunning" and title and runs:
            return time.perf_counter(), exc, runs
        time.sleep(0.02)
    raise TimeoutError("page did not finish within %.0f s" % timeout)


def _session(i: int, url: str, selections: list[list[str]], reruns: int, barrier: threading.Barrier,
             out: dict, errors: list, tmp: Path) -> None:
    from selenium.common.exceptions import WebDriverException
    driver = None
    try:
        driver = _driver(tmp / f"chrome{i}")
        driver.get(f"{url}/overview")
        _, _, runs = _wait_done(driver, None, timeout=900)    # the first visitor fills the caches
        barrier.wait()
        for _ in range(reruns):
            time.sleep(random.uniform(0, 0.5))
            t0 = time.perf_counter()
            driver.get(f"{url}/overview")
            try:
                t1, exc, runs = _wait_done(driver, None)
            except TimeoutError:
                out["timeouts"] += 1
                continue
            out["cached"].append(t1 - t0)
            if exc:
                errors.append(f"session {i}: exception box on a cached page")
        for k, chosen in enumerate(selections):
            page = PAGES[(i + k) % len(PAGES)]
            q = urllib.parse.urlencode({"districts": ",".join(chosen)})
            t0 = time.perf_counter()
            driver.get(f"{url}/{page}?{q}")
            try:
                t1, exc, runs = _wait_done(driver, None)
            except TimeoutError:
                out["timeouts"] += 1
                continue
            out["new"].append(t1 - t0)
            out["new_pages"].append(page)
            if exc:
                errors.append(f"session {i}: exception box on {page}")
    except (WebDriverException, TimeoutError, threading.BrokenBarrierError) as e:  # reported; the others go on
        errors.append(f"session {i}: {type(e).__name__}: {e}"[:300])
        try:
            barrier.abort()
        except threading.BrokenBarrierError:
            pass
    finally:
        if driver is not None:
            driver.quit()


def _rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, MB (from /proc)."""
    total = 0
    try:
        pids = [pid] + [int(p) for p in subprocess.run(["pgrep", "-P", str(pid)], capture_output=True,
                                                         text=True).stdout.split()]
        for p in pids:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    except OSError:
        pass
    return total / 1024


def run_sessions(db: Path, n: int = 8, reruns: int = 5, selections: int = 3) -> dict:
    """Run ``n`` concurrent browser sessions against a fresh server on ``db``; print and return
    {"cached": [s], "new": [s], "errors": [...], "server_mb": MB}."""
    if not (os.path.exists(CHROMIUM) and os.path.exists(DRIVER)):
        print("goal 3 · skipped: Debian chromium / chromium-driver not installed")
        return {}
    con = duckdb.connect(str(db), read_only=True)
    districts = [r[0] for r in con.execute("SELECT DISTINCT district FROM documents ORDER BY district").fetchall()]
    con.close()
    rng = random.Random(13)
    picks = [[sorted(rng.sample(districts, min(12, len(districts)))) for _ in range(selections)] for _ in range(n)]
    proc, url = start_server(db)
    out = {"cached": [], "new": [], "new_pages": [], "timeouts": 0}
    errors: list[str] = []
    load0 = os.getloadavg()[0]
    try:
        with tempfile.TemporaryDirectory(prefix="fazhi-sessions-") as tmp:
            barrier = threading.Barrier(n)
            threads = [threading.Thread(target=_session, args=(i, url, picks[i], reruns, barrier, out, errors, Path(tmp)))
                       for i in range(n)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        server_mb = _rss_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=20)

    def p(values, q):
        values = sorted(values)
        return values[min(len(values) - 1, int(round(q * (len(values) - 1))))] if values else float("nan")

    c, s = out["cached"], out["new"]
    print(f"goal 3 · {n} browser sessions on one ui.serve process (load average {load0:.1f} before):")
    print(f"         cached reruns   p50 {statistics.median(c) if c else float('nan'):5.2f} s   p95 {p(c, .95):5.2f} s "
          f"over {len(c)} (goal p95 ≤ 1.5 s)")
    print(f"         new selections  p50 {statistics.median(s) if s else float('nan'):5.2f} s   p95 {p(s, .95):5.2f} s "
          f"over {len(s)} on {', '.join(sorted(set(out['new_pages'])))} (goal p95 ≤ 3 s)")
    print(f"         server memory after the sessions: {server_mb:.0f} MB; actions over {TIMEOUT:.0f} s (not in the "
          f"percentiles): {out['timeouts']}")
    for e in errors[:5]:
        print(f"         {e}")
    return {**out, "errors": errors, "server_mb": server_mb}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True, type=Path)
    ap.add_argument("--sessions", type=int, default=8)
    ap.add_argument("--reruns", type=int, default=5)
    ap.add_argument("--selections", type=int, default=3)
    a = ap.parse_args()
    run_sessions(a.db, a.sessions, a.reruns, a.selections)


if __name__ == "__main__":
    main()
