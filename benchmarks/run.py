"""How cost grows with the work: one district → Chongqing → a province → every county in China.

    python -m benchmarks.run [--scales chongqing,province,national] [--sample 400]

For each scale it writes SYNTHETIC reports (benchmarks/synth.py) to a temporary folder and prints:
extraction throughput on one core and on all cores (reports/s, MB/s), warehouse build time and
the build's peak memory, recall of the known figures, the time of each page's metrics queries
(p50/p95), a plain-pandas baseline of the two heaviest page computations (as a ratio), and,
where benchmarks/pages.py is present, each page's AppTest rerun time and the app's peak memory.
Nothing here is shipped or shown in the app.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import duckdb

from benchmarks.synth import corpus
from etl.pipeline import process_bytes, rows

SCALES = {"chongqing": 41, "province": 200, "national": 2850}
REPO = Path(__file__).resolve().parent.parent


def _extract_one(item: tuple[str, bytes]) -> int:
    return len(rows(process_bytes(*item)))


def throughput(blobs: list[tuple[str, bytes]], workers: int) -> tuple[float, float, float]:
    """(reports/s, MB/s, pool start-up seconds): the pool is started and warmed before timing,
    its start-up (imports, catalog, tables in each worker) is reported separately."""
    mb = sum(len(b) for _, b in blobs) / 1e6
    if workers == 1:
        _extract_one(blobs[0])
        t0 = time.perf_counter()
        for item in blobs:
            _extract_one(item)
        dt = time.perf_counter() - t0
        return len(blobs) / dt, mb / dt, 0.0
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        list(pool.map(_extract_one, blobs[:workers * 2], chunksize=1))
        startup = time.perf_counter() - t0
        t0 = time.perf_counter()
        list(pool.map(_extract_one, blobs, chunksize=max(1, len(blobs) // (workers * 8))))
        dt = time.perf_counter() - t0
    return len(blobs) / dt, mb / dt, startup


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def build_in_child(home: Path) -> tuple[float, float]:
    """(seconds, peak MB of the build's main process) of `python -m etl build` in a child process
    (the child reports its own peak: a forked child's ru_maxrss would include this process's size)."""
    code = "import sys; from etl.__main__ import main; from benchmarks import peak_mb; r = main(['build']); " \
           "print(f'PEAK_MB {peak_mb():.0f}'); sys.exit(r)"
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-c", code], cwd=REPO, env={**os.environ, "FAZHI_HOME": str(home)},
                       capture_output=True, text=True)
    dt = time.perf_counter() - t0
    if r.returncode:
        raise SystemExit(r.stderr)
    return dt, float(r.stdout.rsplit("PEAK_MB", 1)[1])


def recall(db: Path, known: dict) -> float:
    con = duckdb.connect(str(db), read_only=True)
    got = {(d, i, p): v for d, i, p, v in con.execute("SELECT doc, indicator, period, value FROM facts").fetchall()}
    con.close()
    hit = sum(1 for k, v in known.items() if k in got and got[k] is not None and abs(got[k] - v) <= 0.011 * max(1, abs(v) / 100))
    return hit / len(known)


def page_queries(db: Path, rounds: int = 7) -> dict[str, list[float]]:
    from metrics.data import load_frames
    import logging
    logging.getLogger("streamlit").setLevel(logging.ERROR)  # ui.state's caches warn outside a running app
    from metrics import compare, targets, trends
    from ui.state import DEFAULT_MAX
    con = duckdb.connect(str(db), read_only=True)
    out: dict[str, list[float]] = {}

    def timed(name, fn):
        for _ in range(rounds):
            t0 = time.perf_counter()
            fn()
            out.setdefault(name, []).append(time.perf_counter() - t0)

    frames = load_frames(con)
    chosen = sorted(frames.reporting)[:DEFAULT_MAX]   # what the pages ask for: the default selection
    district = chosen[0]
    timed("load_frames", lambda: load_frames(con))
    timed("compare_districts", lambda: compare.compare_districts(frames, "online_service_rate", None, chosen))
    timed("heatmap_frame", lambda: compare.heatmap_frame(frames, chosen))
    timed("heatmap_frame, all districts", lambda: compare.heatmap_frame(frames))
    timed("trend_for", lambda: trends.trend_for(frames, district, "online_service_rate"))
    timed("target_status", lambda: targets.target_status(frames, districts=chosen))
    con.close()
    return out


def pandas_baseline(db: Path, rounds: int = 5) -> list[tuple[str, float, float]]:
    """The two heaviest page computations, done in plain pandas, against metrics/."""
    from metrics.data import load_frames
    from metrics import compare
    con = duckdb.connect(str(db), read_only=True)
    frames = load_frames(con)
    raw = con.execute("SELECT * FROM facts").df()
    con.close()

    def pandas_compare():
        df = raw[raw.indicator == "online_service_rate"]
        latest = df.sort_values("period_end").groupby("district").tail(1)
        return latest.assign(rank=latest["value"].rank(ascending=False, method="min")).sort_values("rank")

    def pandas_heatmap():
        latest = raw.sort_values("period_end").groupby(["district", "indicator"]).tail(1)
        g = latest.groupby("indicator")["value"]
        return latest.assign(standing=(latest["value"] - g.transform("min")) / (g.transform("max") - g.transform("min")))

    out = []
    for name, ours, base in (("compare one indicator", lambda: compare.compare_districts(frames, "online_service_rate"),
                              pandas_compare),
                             ("district × indicator heatmap", lambda: compare.heatmap_frame(frames), pandas_heatmap)):
        t_ours = statistics.median(_time(ours) for _ in range(rounds))
        t_base = statistics.median(_time(base) for _ in range(rounds))
        out.append((name, t_ours, t_base))
    return out


def _time(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def run_scale(name: str, n_districts: int, sample: int) -> None:
    print(f"\n== {name}: {n_districts} districts × 10 years = {n_districts * 10} synthetic reports ==")
    with tempfile.TemporaryDirectory(prefix=f"fazhi-bench-{name}-") as tmp:
        home = Path(tmp)
        raw = home / "data" / "raw"
        raw.mkdir(parents=True)
        t0 = time.perf_counter()
        known, blobs, size = {}, [], 0
        for rep in corpus(n_districts):
            data = rep.text.encode("utf-8")
            (raw / rep.name).write_bytes(data)
            size += len(data)
            if len(blobs) < sample:
                blobs.append((rep.name, data))
            for ind, period, value in rep.figures:
                known[(rep.name, ind, period)] = value
        print(f"generated {size / 1e6:.1f} MB in {time.perf_counter() - t0:.1f} s")
        for workers in (1, os.cpu_count() or 1):
            rps, mbps, startup = throughput(blobs, workers)
            print(f"extraction on {workers} core{'s' if workers > 1 else ''}: {rps:.0f} reports/s, {mbps:.2f} MB/s "
                  f"(sample of {len(blobs)}{f', pool start-up {startup:.2f} s not counted' if workers > 1 else ''}; "
                  f"goal ≥ 5 MB/s on two cores)")
        dt, peak = build_in_child(home)
        print(f"build: {dt:.1f} s, peak memory {peak:.0f} MB (goal at national scale ≤ 60 s)")
        db = home / "data" / "warehouse.duckdb"
        print(f"recall of the known figures: {recall(db, known):.4f} over {len(known)} figures (guard ≥ 0.99)")
        try:
            for q, times in page_queries(db).items():
                print(f"query {q:<29} p50 {statistics.median(times) * 1000:7.1f} ms   p95 {pct(times, .95) * 1000:7.1f} ms")
            for label, ours, base in pandas_baseline(db):
                print(f"baseline {label}: metrics {ours * 1000:.1f} ms, plain pandas {base * 1000:.1f} ms, "
                      f"ratio {ours / base:.2f}")
        except ImportError as e:
            print(f"page queries skipped: {e}")
        pages = REPO / "benchmarks" / "pages.py"
        if pages.exists() and name in ("chongqing", "national"):
            r = subprocess.run([sys.executable, "-m", "benchmarks.pages"], cwd=REPO, capture_output=True, text=True,
                               env={**os.environ, "FAZHI_DB": str(db)})
            print(r.stdout.rstrip() or r.stderr[-2000:])  # ends with the app process's own peak memory


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scales", default="chongqing,province,national")
    ap.add_argument("--sample", type=int, default=2000, help="reports timed for extraction throughput")
    a = ap.parse_args()
    for name in a.scales.split(","):
        run_scale(name, SCALES[name], a.sample)


if __name__ == "__main__":
    main()
