"""Extraction throughput (KB of report text per second, one core) and warehouse build time on
the shipped data. Prints figures; targets: ≥ 200 KB/s and build < 3 s.

    python -m benchmarks.etl_speed
"""
from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from etl.build import build
from etl.pipeline import process_bytes
from etl.settings import raw_dir


def main(rounds: int = 20) -> None:
    files = sorted(raw_dir().glob("*.txt"))
    blobs = [(p.name, p.read_bytes()) for p in files]
    size = sum(len(b) for _, b in blobs)
    for name, b in blobs:  # warm the catalog and compiled patterns
        process_bytes(name, b)
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        for name, b in blobs:
            process_bytes(name, b)
        times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    print(f"extraction: {size / 1024:.0f} KB in {med * 1000:.1f} ms (median of {rounds}) "
          f"= {size / 1024 / med:.0f} KB/s on one core (target ≥ 200 KB/s)")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "w.duckdb"
        builds = []
        for _ in range(5):
            t0 = time.perf_counter()
            build(db=db)
            builds.append(time.perf_counter() - t0)
    print(f"build: median {statistics.median(builds):.2f} s over 5 runs (target < 3 s)")


if __name__ == "__main__":
    main()
