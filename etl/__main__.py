"""Command line: python -m etl build | extract FILE … | add FILE …"""
from __future__ import annotations

import argparse
import csv
import json
import sys

from etl.documents import parse_period
from etl.pipeline import FACT_COLUMNS, process_file, rows
from etl.text import InputError


def _extract(args) -> int:
    override = {"district": args.district, "doc_type": args.type}
    if args.period:
        try:
            parse_period(args.period)
        except InputError as e:
            print(f"错误：{e}", file=sys.stderr)
            return 2
        override["period"] = args.period
    all_rows, failed = [], 0
    for path in args.files:
        try:
            p = process_file(path, override)
        except InputError as e:
            print(f"错误：{e}", file=sys.stderr)
            failed += 1
            continue
        r = rows(p, include_rank=args.include_rank)
        if not p.meta.district:
            print(f"提示：「{p.meta.doc}」未能识别区县，请用 --district 指定 (district not detected)", file=sys.stderr)
        if not r:
            print(f"提示：「{p.meta.doc}」中未找到任何指标数据 (no figures found)", file=sys.stderr)
        all_rows.extend(r)
    if args.format == "json":
        json.dump(all_rows, sys.stdout, ensure_ascii=False, indent=1)
    else:
        w = csv.DictWriter(sys.stdout, fieldnames=FACT_COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(all_rows)
    return 1 if failed else 0


def _build(args) -> int:
    from etl.build import build
    try:
        report = build(if_missing=args.if_missing)
    except InputError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    print(report)
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m etl", description="法治政府建设指标 ETL")
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="build the DuckDB warehouse from data/raw")
    b.add_argument("--if-missing", action="store_true", help="only when the warehouse is missing or older than its inputs")
    b.set_defaults(fn=_build)
    e = sub.add_parser("extract", help="print the figures and targets found in files (warehouse untouched)")
    e.add_argument("files", nargs="+")
    e.add_argument("--district")
    e.add_argument("--period")
    e.add_argument("--type", choices=["annual_report", "multi_year_report", "plan"])
    e.add_argument("--format", choices=["csv", "json"], default="csv")
    e.add_argument("--include-rank", action="store_true", help="also print rank targets (位于全市前列)")
    e.set_defaults(fn=_extract)
    args = ap.parse_args(argv)
    return args.fn(args)


if __name__ == "__main__":
    sys.exit(main())
