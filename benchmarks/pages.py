"""Each page's AppTest rerun time, for cached reruns and for NEW district selections, on a
warehouse and on the shipped data side by side, with the app process's peak memory.

    python -m benchmarks.pages                                   # FAZHI_DB (or the shipped data) only
    python -m benchmarks.pages --scale national --keep /tmp/nat  # build a synthetic corpus once, reuse it
    python -m benchmarks.pages --scale national --documents 20 --keep /tmp/nat20   # 20 documents per district

Each warehouse is measured in its own child process (all pages share that process and its
caches, as the sessions of one server do; its peak memory is the app's). Per page: the median
and worst of `--rounds` cached reruns (same selection, everything cached), and of `--rounds` new
selections: each a fresh random choice of 12 reporting districts (all of them when there are
fewer) with the metric and query caches emptied first, so nothing of the selection is cached
(what is read once per warehouse version stays: the frames, and the flags and mentions of every
district that a selection's rows are picked from). Goals (issue 13): a new selection on the
national corpus ≤ 500 ms median on every page and ≤ 2× the same page on the shipped data; the
app ≤ 1 GB at national scale (reported at 20 documents per district too). Printed, never asserted.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCALES = {"chongqing": 41, "province": 200, "national": 2850}
SELECTION = 12


def measure(rounds: int, seed: int = 1) -> dict:
    """Time every page on the warehouse of FAZHI_DB in this process; return {slug: {...}} and
    the peak memory (MB) under the key '_peak_mb'."""
    os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")
    from streamlit.testing.v1 import AppTest

    from benchmarks import peak_mb
    from pages.views.registry import PAGES
    from ui import db

    def fresh():   # the selection's results: metrics, named queries, document texts
        for fn in (db._metric, db._table, db._document_text):
            fn.clear()

    out, rng = {}, random.Random(seed)
    t0 = time.perf_counter()
    for page in PAGES:
        at = AppTest.from_file(str(REPO / "app.py"), default_timeout=300)
        at.run()
        if page.slug == "overview":
            out["_first_run_s"] = time.perf_counter() - t0   # includes loading the frames once
            districts = sorted(db.frames().reporting)
        else:
            at.switch_page(page.path)
            at.run()
        if at.exception:
            out[page.slug] = {"error": str(at.exception[0].value)[:300]}
            continue
        cached, new = [], []
        for _ in range(rounds):
            t = time.perf_counter()
            at.run()
            cached.append(time.perf_counter() - t)
        for _ in range(rounds):
            at.session_state["districts"] = rng.sample(districts, min(SELECTION, len(districts)))
            fresh()
            t = time.perf_counter()
            at.run()
            new.append(time.perf_counter() - t)
        error = str(at.exception[0].value)[:300] if at.exception else ""
        out[page.slug] = {"cached": cached, "new": new, "error": error}
    out["_peak_mb"] = peak_mb()
    out["_districts"] = len(districts)
    return out


def run_child(db: Path, rounds: int) -> dict:
    r = subprocess.run([sys.executable, "-m", "benchmarks.pages", "--measure", "--rounds", str(rounds)], cwd=REPO,
                       capture_output=True, text=True, env={**os.environ, "FAZHI_DB": str(db)})
    lines = [x for x in r.stdout.splitlines() if x.startswith("{")]
    if r.returncode or not lines:
        raise SystemExit(f"page benchmark failed on {db}:\n{r.stderr[-3000:]}")
    return json.loads(lines[-1])


def corpus_db(scale: str, documents: int, keep: Path | None) -> Path:
    """The warehouse of a synthetic corpus of `scale` with `documents` per district, built in
    `keep` unless it is already there (a temporary folder without `keep`)."""
    from benchmarks.run import build_in_child
    from benchmarks.synth import write_corpus
    home = keep or Path(tempfile.mkdtemp(prefix=f"fazhi-pages-{scale}-"))
    db = home / "data" / "warehouse.duckdb"
    if db.exists():
        print(f"reusing the corpus built in {home}")
        return db
    t0 = time.perf_counter()
    reports, size = write_corpus(home / "data" / "raw", SCALES[scale], workers=os.cpu_count() or 1,
                                 documents=documents)
    b = build_in_child(home)
    print(f"built {len(reports)} SYNTHETIC documents ({size / 1e6:.0f} MB) in {home}: "
          f"{time.perf_counter() - t0:.0f} s (build {b['wall']:.0f} s)")
    return db


def earlier_copy(db: Path, shift: int = 10) -> Path:
    """A warehouse of twice the years beside `db` (``warehouse_x2.duckdb``, made once): its
    documents, facts and targets again, `shift` years earlier, under new ids and file names (a
    quick stand-in for a corpus of twenty documents per district, `--documents 20`, whose
    national build takes far longer). Measures the app's memory at twice the facts."""
    import shutil

    import duckdb

    from etl.settings import current_warehouse
    out = db.with_name("warehouse_x2.duckdb")
    if out.exists():
        return out
    tmp = out.with_name(out.name + ".tmp")
    shutil.copyfile(current_warehouse(db), tmp)
    label = (f"CASE WHEN period_start = period_end THEN CAST(period_start - {shift} AS VARCHAR) ELSE "
             f"CAST(period_start - {shift} AS VARCHAR) || '-' || CAST(period_end - {shift} AS VARCHAR) END")
    moved = f"period_start - {shift} AS period_start, period_end - {shift} AS period_end, {label} AS period"
    con = duckdb.connect(str(tmp))
    try:
        con.execute(f"INSERT INTO documents SELECT * REPLACE ('earlier_' || doc AS doc, {moved}) FROM documents")
        for table, key in (("facts", "fact_id"), ("targets", "target_id")):
            top = con.execute(f"SELECT max({key}) FROM {table}").fetchone()[0] or 0
            con.execute(f"INSERT INTO {table} SELECT * REPLACE ({key} + {top} AS {key}, 'earlier_' || doc AS doc, "
                        f"{moved}) FROM {table} WHERE period_start IS NOT NULL")
    finally:
        con.close()
    tmp.rename(out)
    return out


def shipped_db() -> Path:
    from etl.build import build
    db = Path(tempfile.mkdtemp(prefix="fazhi-pages-shipped-")) / "warehouse.duckdb"
    build(db=db, raw_dir=REPO / "data" / "raw")
    return db


def report(label: str, res: dict, base: dict | None) -> None:
    ms = lambda xs: statistics.median(xs) * 1000
    print(f"-- {label}: {res['_districts']} districts; first run (loads the frames) {res['_first_run_s']:.1f} s; "
          f"app peak memory {res['_peak_mb']:.0f} MB")
    print(f"   {'page':<9} {'cached p50':>10} {'new p50':>9} {'new worst':>9}" + ("  new ÷ shipped" if base else ""))
    for slug, r in res.items():
        if slug.startswith("_"):
            continue
        if "cached" not in r:
            print(f"   {slug:<9} FAILED: {r['error']}")
            continue
        line = f"   {slug:<9} {ms(r['cached']):8.0f} ms {ms(r['new']):6.0f} ms {max(r['new']) * 1000:6.0f} ms"
        if base and "new" in base.get(slug, {}):
            ratio = ms(r["new"]) / ms(base[slug]["new"])
            ok = ms(r["new"]) <= 500 and ratio <= 2
            line += f"  {ratio:5.2f}×  {'goal met' if ok else 'over the goal (≤ 500 ms and ≤ 2×)'}"
        print(line + (f"  ERROR {r['error']}" if r["error"] else ""))


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--scale", choices=sorted(SCALES), help="build a synthetic corpus of this scale (else FAZHI_DB)")
    ap.add_argument("--documents", type=int, default=10, help="documents per district of the synthetic corpus "
                    "(10: eight annual reports, a completion report and a plan; 20: eighteen annual reports …)")
    ap.add_argument("--keep", type=Path, help="folder of the synthetic corpus: built there once, reused afterwards")
    ap.add_argument("--twice-the-years", action="store_true",
                    help="also measure a copy of the warehouse with its documents, facts and targets ten years earlier")
    ap.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.measure:
        print(json.dumps(measure(a.rounds)))
        return
    target = corpus_db(a.scale, a.documents, a.keep) if a.scale else (
        Path(os.environ["FAZHI_DB"]) if os.environ.get("FAZHI_DB") else None)
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    base = run_child(shipped_db(), a.rounds)
    report("shipped data", base, None)
    if target is not None:
        label = f"{a.scale} × {a.documents} documents" if a.scale else str(target)
        report(label, run_child(target, a.rounds), base)
        if a.twice_the_years:
            report(f"{label}, twice the years (the same figures again ten years earlier)",
                   run_child(earlier_copy(target), a.rounds), base)
        print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
