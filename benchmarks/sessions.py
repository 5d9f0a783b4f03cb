"""Goal 3: N viewers at once against `python -m ui.serve` (== `streamlit run app.py`), alone and as
several processes behind nginx (deploy/serve.py), on the warehouse named by ``--db``.

    python -m benchmarks.sessions --db PATH [--sessions 8] [--processes 1,2] [--reruns 5]
                                  [--selections 4] [--client ws|chromium]

Each viewer is a light client (``Viewer``) that speaks Streamlit's own websocket protocol from
Python, as the browser's frontend does: an HTTP GET of the page (index.html, and the cookie a
proxy sets), a websocket to ``/_stcore/stream``, a ``BackMsg.rerun_script`` carrying the page, the
query string and the changed widget's value, and every ``ForwardMsg`` read until
``script_finished``. A run counts only when the page really ran: it finished successfully, drew its
title (an ``h1``) and no exception box. The client does no rendering, so the times are the server's
(plus the loopback network). ``--client chromium`` drives headless Chromium browsers on the same
cores instead, as a spot check: there a cached rerun is a page load of the overview and a new
selection a page load with the selection in the URL, and the times include the browsers' work.

Per deployment (``--processes 1,2``: one plain ``ui.serve``, then 2 processes behind nginx, in one
run so the figures sit side by side on the same load), after one visitor per process filled its
caches, the ``--sessions`` viewers open the overview and then, each phase started by all at once:
- *cached reruns*: ``--reruns`` reruns of the open session with nothing changed (every result in
  the server's caches);
- *new selections*: ``--selections`` reruns that each change the district multiselect to a
  12-district selection nobody asked for before, on the overview, compare, trends and targets pages
  in turn;
- *link opens*: one new session per viewer opening a page with yet another new selection in the
  URL (a shared link: a new session and nothing cached).
Prints p50/p95 beside the goals (cached p95 ≤ 1.5 s, new p95 ≤ 3 s), the KB sent and the server
CPU seconds per run (all app processes' CPU over the phase / runs: a figure that does not depend on
the other work on a shared machine, unlike the times) with what it implies on an idle machine —
n runs at once need n × that CPU, spread over about min(processes, cores) cores, since one process
runs its sessions' Python on one core at a time — the load average, the memory of each process
and, behind nginx, how many sessions each process got.
"""
from __future__ import annotations

import argparse
import asyncio
import http.cookiejar
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
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parent.parent
PAGES = ("overview", "compare", "trends", "targets")


def url_path(page: str) -> str:
    """A page's URL path: the default page (the overview) is the app's root, as st.navigation says."""
    return "" if page == PAGES[0] else page
TIMEOUT = 180.0
PICK = 12


# --------------------------------------------------------------------------------------------
# The light client
@dataclass
class Run:
    """One script run as a viewer saw it: seconds from the action to ``script_finished``, the
    finish status (a ``ScriptFinishedStatus`` name, or 'timeout' / 'closed' / 'page not found'),
    the deltas received, the ``h1`` titles drawn, the exception messages shown, bytes received."""
    seconds: float
    status: str
    deltas: int = 0
    titles: list = field(default_factory=list)
    exceptions: list = field(default_factory=list)
    received: int = 0

    @property
    def ok(self) -> bool:
        return self.status == "FINISHED_SUCCESSFULLY" and bool(self.titles) and not self.exceptions

    def problem(self) -> str:
        """Why the run does not count ('' when it does)."""
        if self.exceptions:
            return f"exception: {self.exceptions[0][:200]}"
        if self.status != "FINISHED_SUCCESSFULLY":  # also 'selection not applied', set by the workload
            return f"status {self.status}"
        return "" if self.titles else "no page title drawn"


class Viewer:
    """One browser tab's Streamlit session, without the browser.

    ``Viewer(base_url)``; ``await open(path, query)`` loads a page by its URL path ('' for the
    default page) as a new session; ``await rerun(path=None, districts=None)`` reruns the session
    on its page, or on another page, and optionally with the district multiselect set to ``districts``;
    ``await close()``. Each returns a :class:`Run`."""

    def __init__(self, base_url: str):
        self.base = base_url.rstrip("/")
        self.cookies = http.cookiejar.CookieJar()
        self._http = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        self.ws = None
        self.query = ""
        self.page_hashes: dict[str, str] = {}   # url path → page_script_hash, from the navigation message
        self.districts_widget = ""              # the multiselect's widget id, from its delta
        self.page_hash = ""                     # the page the session shows now

    def _get(self, path: str) -> None:
        with self._http.open(self.base + path, timeout=TIMEOUT) as r:
            r.read()

    async def open(self, path: str = "", query: str = "", timeout: float = TIMEOUT) -> Run:
        from websockets.asyncio.client import connect
        t0 = time.perf_counter()
        await asyncio.to_thread(self._get, f"/{path}" + (f"?{query}" if query else ""))
        headers = {"Origin": self.base}
        cookie = "; ".join(f"{c.name}={c.value}" for c in self.cookies)
        if cookie:
            headers["Cookie"] = cookie
        ws_url = "ws" + self.base[len("http"):] + "/_stcore/stream"
        self.ws = await connect(ws_url, subprotocols=["streamlit"], additional_headers=headers, max_size=None,
                                open_timeout=timeout, ping_interval=None)
        self.query = query
        from streamlit.proto.ClientState_pb2 import ClientState
        return await self._run(ClientState(query_string=query, page_name=path), t0, timeout)

    async def rerun(self, path: str | None = None, districts: list[str] | None = None,
                    timeout: float = TIMEOUT) -> Run:
        from streamlit.proto.ClientState_pb2 import ClientState
        state = ClientState(query_string=self.query)
        if path is not None:
            state.page_name = path
            state.page_script_hash = self.page_hashes.get(path, "")
        else:
            state.page_script_hash = self.page_hash
        if districts is not None:
            if not self.districts_widget:
                raise RuntimeError("no district multiselect seen in this session")
            w = state.widget_states.widgets.add()
            w.id = self.districts_widget
            w.string_array_value.data.extend(districts)
        return await self._run(state, time.perf_counter(), timeout)

    async def _run(self, state, t0: float, timeout: float) -> Run:
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
        from websockets.exceptions import ConnectionClosed
        back = BackMsg()
        back.rerun_script.CopyFrom(state)
        await self.ws.send(back.SerializeToString())
        run = Run(0.0, "")
        try:
            async with asyncio.timeout(max(0.0, t0 + timeout - time.perf_counter())):
                while True:
                    raw = await self.ws.recv()
                    run.received += len(raw)
                    msg = ForwardMsg()
                    msg.ParseFromString(raw)
                    kind = msg.WhichOneof("type")
                    if kind == "delta" or kind == "ref_hash":
                        run.deltas += 1
                        if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                            self._element(msg.delta.new_element, run)
                    elif kind == "navigation":
                        self.page_hashes.update({p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages})
                        self.page_hash = msg.navigation.page_script_hash
                    elif kind == "page_info_changed":
                        self.query = msg.page_info_changed.query_string
                    elif kind == "page_not_found":
                        run.status = "page not found"
                    elif kind == "script_finished":
                        status = msg.script_finished
                        if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                            continue                  # a rerun follows at once: wait for its end
                        run.status = run.status or ForwardMsg.ScriptFinishedStatus.Name(status)
                        break
        except TimeoutError:
            run.status = "timeout"
        except ConnectionClosed:
            run.status = "closed"
        run.seconds = time.perf_counter() - t0
        return run

    def _element(self, el, run: Run) -> None:
        kind = el.WhichOneof("type")
        if kind == "heading" and el.heading.tag == "h1":
            run.titles.append(el.heading.body)
        elif kind == "exception":
            run.exceptions.append(f"{el.exception.type}: {el.exception.message}")
        elif kind == "multiselect" and el.multiselect.id.endswith("-districts"):
            self.districts_widget = el.multiselect.id

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
            self.ws = None


# --------------------------------------------------------------------------------------------
# The workload
def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))] if values else float("nan")


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


def _free_base_port(k: int) -> int:
    """A port p such that p … p+k-1 are free on 127.0.0.1 now."""
    rng = random.Random()
    for _ in range(200):
        base = rng.randrange(20000, 60000 - k)
        try:
            socks = []
            for p in range(base, base + k):
                s = socket.socket()
                socks.append(s)
                s.bind(("127.0.0.1", p))
            return base
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    raise RuntimeError("no free ports")


def picks_for(districts: list[str], rng: random.Random, count: int) -> list[list[str]]:
    """``count`` sorted selections of 12 districts, all different (nobody asked for one before)."""
    seen: set = set()
    out = []
    while len(out) < count:
        s = tuple(sorted(rng.sample(districts, min(PICK, len(districts)))))
        if s not in seen or len(districts) <= PICK:
            seen.add(s)
            out.append(list(s))
    return out


def _cpu_seconds(pids: list[int]) -> float:
    """CPU seconds (user + system) the processes and their children used so far (from /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        kids = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
        for p in [pid, *map(int, kids)]:
            try:
                fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])      # utime, stime
    return total / tick


async def _workload(url: str, n: int, picks: list[list[list[str]]], links: list[list[str]], reruns: int,
                    pids: list[int]) -> dict:
    """The phases, each started by all ``n`` viewers at once and ended when all are done:
    overview opens, cached reruns, new selections, link opens. Returns the seconds of the runs
    that counted per phase, KB received per run, server CPU seconds per phase and the failures."""
    out = {"open": [], "cached": [], "new": [], "link": [], "errors": [], "kb": {}, "cpu": {}}
    viewers = [Viewer(url) for _ in range(n)]
    broken: set = set()

    def keep(name: str, i: int, run: Run, what: str) -> None:
        if run.ok:
            out[name].append(run.seconds)
            out["kb"].setdefault(name, []).append(run.received / 1024)
        else:
            out["errors"].append(f"viewer {i} {what}: {run.problem()}")

    async def opening(i):
        keep("open", i, await viewers[i].open(url_path("overview")), "opening the overview")

    async def cached(i):
        for _ in range(reruns):
            await asyncio.sleep(random.uniform(0, 0.3))
            keep("cached", i, await viewers[i].rerun(), "cached rerun")

    async def new(i):
        v = viewers[i]
        for k, chosen in enumerate(picks[i]):
            page = PAGES[(i + k) % len(PAGES)]
            await asyncio.sleep(random.uniform(0, 0.3))
            r = await v.rerun(url_path(page), chosen)
            shown = urllib.parse.parse_qs(v.query).get("districts", [""])[0].split(",")
            if r.ok and shown != chosen:         # the app puts the selection it used into the URL
                r.status = "selection not applied"
            keep("new", i, r, f"new selection on {page}")

    async def link(i):
        w = Viewer(url)
        page = PAGES[i % len(PAGES)]
        await asyncio.sleep(random.uniform(0, 0.3))
        try:
            keep("link", i, await w.open(url_path(page), urllib.parse.urlencode({"districts": ",".join(links[i])})),
                 f"link to {page}")
        finally:
            await w.close()

    async def guarded(step, i):
        if i in broken:
            return
        try:
            await step(i)
        except (OSError, RuntimeError) as e:     # reported; the other viewers go on
            broken.add(i)
            out["errors"].append(f"viewer {i}: {type(e).__name__}: {e}"[:300])

    try:
        for name, step in (("open", opening), ("cached", cached), ("new", new), ("link", link)):
            cpu0 = _cpu_seconds(pids)
            await asyncio.gather(*(guarded(step, i) for i in range(n)))
            out["cpu"][name] = _cpu_seconds(pids) - cpu0
    finally:
        for v in viewers:
            await v.close()
    return out


async def _warm(urls: list[str]) -> list[Run]:
    """One visitor per process opens the overview (fills the process's caches); their runs."""
    async def one(u):
        v = Viewer(u)
        try:
            return await v.open(url_path("overview"), timeout=900)
        finally:
            await v.close()
    return list(await asyncio.gather(*(one(u) for u in urls)))


# --------------------------------------------------------------------------------------------
# Chromium spot check (the same phases in real browsers)
CHROMIUM, DRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1400,1000"]
# The app's script state and whether a title and an exception box are shown.
DONE_JS = """
const a = document.querySelector('[data-test-script-state]');
return [a ? a.getAttribute('data-test-script-state') : '', !!document.querySelector('h1'),
        !!document.querySelector('[data-testid="stException"]')];
"""


def _wait_loaded(driver, timeout: float = TIMEOUT) -> tuple[float, bool]:
    """Poll until the run of the freshly loaded document (``driver.get`` returns once the new,
    empty document is loaded) ended with the title drawn: (the moment, whether an exception box
    is shown)."""
    end = time.perf_counter() + timeout
    while time.perf_counter() < end:
        state, title, exc = driver.execute_script(DONE_JS)
        if state == "notRunning" and title:
            return time.perf_counter(), exc
        time.sleep(0.02)
    raise TimeoutError("page did not finish within %.0f s" % timeout)


def _chromium_viewer(i: int, url: str, picks: list[list[str]], reruns: int, barrier: threading.Barrier,
                     out: dict, tmp: Path) -> None:
    """Cached: the overview loaded again (a page load: the rerun key is off in this app's toolbar
    mode); new: a page loaded with a new selection in the URL."""
    from selenium import webdriver
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.chrome.service import Service
    driver = None
    try:
        options = webdriver.ChromeOptions()
        for f in FLAGS + [f"--user-data-dir={tmp / f'chrome{i}'}"]:
            options.add_argument(f)
        options.binary_location = CHROMIUM
        driver = webdriver.Chrome(service=Service(DRIVER), options=options)
        driver.get(f"{url}/")
        _wait_loaded(driver, timeout=900)
        barrier.wait()
        actions = [("cached", "overview", None)] * reruns + [
            ("new", PAGES[(i + k) % len(PAGES)], chosen) for k, chosen in enumerate(picks)]
        for name, page, chosen in actions:
            time.sleep(random.uniform(0, 0.3))
            q = "?" + urllib.parse.urlencode({"districts": ",".join(chosen)}) if chosen else ""
            t0 = time.perf_counter()
            driver.get(f"{url}/{url_path(page)}{q}")
            t1, exc = _wait_loaded(driver)
            if exc:
                out["errors"].append(f"browser {i}: exception box on {page}")
            else:
                out[name].append(t1 - t0)
    except (WebDriverException, TimeoutError, threading.BrokenBarrierError) as e:
        out["errors"].append(f"browser {i}: {type(e).__name__}: {e}"[:300])
        barrier.abort()
    finally:
        if driver is not None:
            driver.quit()


def _chromium_workload(url: str, n: int, picks, reruns: int) -> dict:
    out = {"open": [], "cached": [], "new": [], "link": [], "errors": [], "kb": {}}
    with tempfile.TemporaryDirectory(prefix="fazhi-sessions-") as tmp:
        barrier = threading.Barrier(n)
        threads = [threading.Thread(target=_chromium_viewer, args=(i, url, picks[i], reruns, barrier, out, Path(tmp)))
                   for i in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    return out


# --------------------------------------------------------------------------------------------
def _serve(processes: int, db: Path):
    """Start one plain ui.serve (processes == 1) or a deploy.serve Deployment; returns
    (url, backend urls, pids, stop, sessions per backend or None)."""
    from deploy.serve import Deployment, app_process, wait_healthy
    env = {**os.environ, "FAZHI_DB": str(db)}
    base = _free_base_port(processes + 1)
    if processes == 1:
        proc = app_process(base, env)
        try:
            wait_healthy(f"http://127.0.0.1:{base}", proc)
        except RuntimeError:
            proc.kill()
            raise

        def stop():
            proc.terminate()
            proc.wait(timeout=20)
        url = f"http://127.0.0.1:{base}"
        return url, [url], [proc.pid], stop, lambda: None
    dep = Deployment(processes, port=base, env=env).start()
    return dep.url, [f"http://127.0.0.1:{p}" for p in dep.backends], dep.pids, dep.stop, dep.sessions_per_backend


def run_deployment(db: Path, processes: int, n: int, reruns: int, selections: int, rng: random.Random,
                   districts: list[str], client: str = "ws") -> dict:
    """Serve ``db`` from ``processes`` processes, run the workload with ``n`` viewers, print one
    block of figures and return {"cached": [s], "new": [s], "link": [s], "errors": [...], ...}."""
    picks = [picks_for(districts, rng, selections) for _ in range(n)]
    links = [picks_for(districts, rng, 1)[0] for _ in range(n)]
    url, backends, pids, stop, per_backend = _serve(processes, db)
    try:
        t0 = time.perf_counter()
        warm = asyncio.run(_warm(backends))
        cold = time.perf_counter() - t0
        load0, cpu0, w0 = os.getloadavg(), time.process_time(), time.perf_counter()
        if client == "chromium":
            out = _chromium_workload(url, n, picks, reruns)
        else:
            out = asyncio.run(_workload(url, n, picks, links, reruns, pids))
        wall, cpu, load1 = time.perf_counter() - w0, time.process_time() - cpu0, os.getloadavg()
        mem = [_rss_mb(p) for p in pids]
        split = per_backend()
    finally:
        stop()
    out["errors"] += [f"warm-up: {r.problem()}" for r in warm if not r.ok]
    label = "one ui.serve process" if processes == 1 else f"{processes} ui.serve processes behind nginx"
    print(f"goal 3 · {n} {'Chromium browsers' if client == 'chromium' else 'websocket viewers'} on {label} "
          f"(load average {load0[0]:.1f} before, {load1[0]:.1f} after; {os.cpu_count()} cores):")
    print(f"         first visitor per process (cold caches) {cold:5.1f} s; viewers' run {wall:.0f} s wall, "
          f"client CPU {cpu:.1f} s")
    goals = {"cached": 1.5, "new": 3.0}
    names = {"open": "overview opens", "cached": "cached reruns", "new": "new selections", "link": "link opens (new)"}
    for key in ("open", "cached", "new", "link"):
        v = out[key]
        if not v and key in ("open", "link"):
            continue
        goal = f"goal p95 ≤ {goals[key]:.1f} s: {'met' if _pct(v, .95) <= goals[key] else 'missed'}" if key in goals else ""
        kb, cpu = out["kb"].get(key), out.get("cpu", {}).get(key)
        each = ""
        if kb and cpu is not None:
            # n runs at once need n × CPU seconds; one process runs Python on one core at a time (its
            # DuckDB and Arrow work may use a second one: an estimate, not a bound)
            last = n * cpu / len(v) / min(processes, os.cpu_count() or 1)
            each = (f"{statistics.mean(kb):4.0f} KB sent, server CPU {cpu / len(v):5.2f} s each "
                    f"(the last of {n} ≈ {last:4.1f} s on an idle machine)")
        print(f"         {names[key]:<18} p50 {statistics.median(v) if v else float('nan'):5.2f} s   "
              f"p95 {_pct(v, .95):5.2f} s   over {len(v):3}   {each}   {goal}")
    app_mem = mem[:processes]
    print(f"         memory: {' + '.join(f'{m:.0f}' for m in app_mem)} MB app processes"
          + (f" + {mem[-1]:.0f} MB nginx" if len(mem) > processes else "") + f" = {sum(mem):.0f} MB")
    if split:
        print(f"         websocket sessions per process (nginx cookie hash): {', '.join(map(str, split.values()))}")
    for e in out["errors"][:6]:
        print(f"         FAILED {e}")
    return {**out, "memory_mb": mem, "processes": processes, "load": (load0, load1)}


def run_sessions(db: Path, n: int = 8, reruns: int = 5, selections: int = 4, processes=(1, 2),
                 client: str = "ws") -> list[dict]:
    """Goal 3 on ``db`` for each process count in ``processes``, one after the other in one run
    (fresh servers each, new selections never repeated across them); prints, returns their dicts."""
    if client == "chromium" and not (os.path.exists(CHROMIUM) and os.path.exists(DRIVER)):
        print("goal 3 · skipped: Debian chromium / chromium-driver not installed")
        return []
    con = duckdb.connect(str(db), read_only=True)
    districts = [r[0] for r in con.execute("SELECT DISTINCT district FROM documents ORDER BY district").fetchall()]
    con.close()
    rng = random.Random(13)
    from deploy.serve import nginx_binary
    results = []
    for p in processes:
        if p > 1 and nginx_binary() is None:
            print(f"goal 3 · {p} processes skipped: nginx is not installed (apt-get install nginx)")
            continue
        results.append(run_deployment(db, p, n, reruns, selections, rng, districts, client))
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", required=True, type=Path)
    ap.add_argument("--sessions", type=int, default=8)
    ap.add_argument("--reruns", type=int, default=5)
    ap.add_argument("--selections", type=int, default=4)
    ap.add_argument("--processes", default="1,2", help="comma-separated process counts (1: no nginx)")
    ap.add_argument("--client", choices=("ws", "chromium"), default="ws")
    a = ap.parse_args()
    run_sessions(a.db, a.sessions, a.reruns, a.selections, tuple(int(x) for x in a.processes.split(",")), a.client)


if __name__ == "__main__":
    main()
