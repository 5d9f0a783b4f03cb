"""Each page's rerun time through AppTest (median and p95 of several reruns) on the warehouse
named by FAZHI_DB (default: the shipped data). Prints figures; goal ≤ 300 ms median.

    python -m benchmarks.pages
"""
from __future__ import annotations

import statistics
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from pages.views.registry import PAGES

REPO = Path(__file__).resolve().parent.parent


def main(rounds: int = 7) -> None:
    for page in PAGES:
        at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
        at.run()
        if page.slug != "overview":
            at.switch_page(page.path)
            at.run()
        times = []
        for _ in range(rounds):
            t0 = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - t0)
        times.sort()
        print(f"page {page.slug:<9} rerun median {statistics.median(times) * 1000:7.1f} ms   "
              f"p95 {times[-1] * 1000:7.1f} ms   {'ok' if statistics.median(times) <= 0.3 else 'over 300 ms'}")


if __name__ == "__main__":
    main()
