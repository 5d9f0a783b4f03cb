"""Each page's rerun time through AppTest (median and worst of 7 reruns) on the warehouse
named by FAZHI_DB (default: the shipped data), and the process's peak memory (all pages share
one process and its caches, as the sessions of one server do). Prints figures; goals: median
≤ 300 ms at Chongqing scale, ≤ 1 s and ≤ 1 GB at national scale.

    python -m benchmarks.pages
"""
from __future__ import annotations

import statistics
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from benchmarks import peak_mb
from pages.views.registry import PAGES

REPO = Path(__file__).resolve().parent.parent


def main(rounds: int = 7) -> None:
    for page in PAGES:
        at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
        at.run()
        if page.slug != "overview":
            at.switch_page(page.path)
            at.run()
        if at.exception:
            print(f"page {page.slug:<9} FAILED: {at.exception[0].value}")
            continue
        times = []
        for _ in range(rounds):
            t0 = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - t0)
        times.sort()
        print(f"page {page.slug:<9} rerun median {statistics.median(times) * 1000:7.1f} ms   "
              f"worst {times[-1] * 1000:7.1f} ms   {'≤ 300 ms' if statistics.median(times) <= 0.3 else 'over 300 ms'}")
    print(f"peak memory of the app process: {peak_mb():.0f} MB (goal at national scale ≤ 1 GB)")


if __name__ == "__main__":
    main()
