"""Command line: python -m etl build | extract FILE … | add FILE …"""
from __future__ import annotations

import argparse
import csv
import json
import sys

import duckdb

from etl.documents import parse_period
from etl.pipeline import FACT_COLUMNS, process_file, rows
from etl.errors import argparse_message, system_message
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
            print(f"提示：「{p.meta.doc}」中未找到任何指标数据 (no figures found)：{_why_empty(path, p)}", file=sys.stderr)
        all_rows.extend(r)
    if args.format == "json":
        json.dump(all_rows, sys.stdout, ensure_ascii=False, indent=1)
    else:
        w = csv.DictWriter(sys.stdout, fieldnames=FACT_COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(all_rows)
    return 1 if failed else 0


def _guard(fn):
    """Every command's expected failures become one message (Chinese, then English) and exit 2."""
    def run(args) -> int:
        try:
            return fn(args)
        except InputError as e:
            print(f"错误：{e}", file=sys.stderr)
        except (OSError, duckdb.Error) as e:
            print(f"错误：{system_message(e)}", file=sys.stderr)
        return 2
    return run


def _why_empty(path, p) -> str:
    from pathlib import Path

    from etl.formats import why_empty
    return why_empty(Path(path).name, Path(path).read_bytes(), p.raw, held=len(p.ex.mentions) + len(p.ex.flags))


@_guard
def _build(args) -> int:
    from etl.build import build
    from etl.store import recover, lock
    with lock():
        recover()  # a change killed half-way is rolled back before building
        built = build(if_missing=args.if_missing, full=args.full)
    print(built.message)
    return 1 if built.dropped else 0


@_guard
def _add(args) -> int:
    """Every file is checked and its problem printed; the good ones are imported together."""
    from etl import store
    from pathlib import Path
    good, previews, failed = [], [], 0
    for path in map(Path, args.files):
        try:
            upload = store.Upload(path.name, path.read_bytes(), args.district, args.period, args.type,
                                  args.confirm_new_district)
            p = store.check(upload)
        except InputError as e:
            print(f"错误：{e}", file=sys.stderr)
            failed += 1
            continue
        except OSError as e:
            print(f"错误：{system_message(e)}", file=sys.stderr)
            failed += 1
            continue
        print(f"「{path.name}」：{p.meta.district} {p.meta.period}，{len(p.ex.facts)} 条数据、{len(p.ex.targets)} 条目标"
              f" ({len(p.ex.facts)} figures, {len(p.ex.targets)} targets)")
        if not p.ex.facts and not p.ex.targets:
            print(f"提示：{_why_empty(path, p)}", file=sys.stderr)
        good.append(upload)
        previews.append(p)
    if good:
        try:
            for added in store.add_many(good, who=args.who, previews=previews):
                print(added.message)
        except InputError as e:
            print(f"错误：{e}；本批文件均未导入 (nothing of this batch was imported)", file=sys.stderr)
            return 1
        except (OSError, duckdb.Error) as e:
            print(f"错误：本批文件均未导入：{system_message(e)} (nothing of this batch was imported)", file=sys.stderr)
            return 1
    return 1 if failed else 0


@_guard
def _correct(args) -> int:
    from etl import store
    rec = store.correct(args.table, args.doc, args.indicator, args.period, args.who, args.reason,
                        value=args.value, reject=args.reject, comparator=args.comparator or "")
    print(f"已记录修改 #{rec['id']} (correction stored)")
    return 0


@_guard
def _undo(args) -> int:
    from etl import store
    rec = store.undo(args.id, args.who, args.reason)
    print(f"已撤销修改 #{args.id}（记录 #{rec['id']}）(correction undone)")
    return 0


@_guard
def _reference(args) -> int:
    from etl import store
    from pathlib import Path
    if args.template:
        print(store.reference_template(), end="")
        return 0
    if not args.file:
        raise InputError("请给出参照数据 CSV 文件，例如 python -m etl reference 参照.csv；模板见 --template "
                         "(give a CSV file; see --template)")
    n = store.add_reference(Path(args.file).read_bytes(), confirm_new=tuple(args.confirm_new_district or ()))
    print(f"已写入 {n} 条参照数据 (reference rows stored)")
    return 0


def _hash_password(args) -> int:
    """Read the password without echo (twice on a terminal; one line from a pipe), print the
    secrets.toml line. Exit 1 for an empty password or two entries that differ."""
    import getpass

    from etl.auth import hash_password
    if sys.stdin.isatty():
        pw = getpass.getpass("编辑密码 (editor password): ")
        if pw and getpass.getpass("再输入一次 (again): ") != pw:
            print("错误：两次输入的密码不一致 (the two entries differ)", file=sys.stderr)
            return 1
    else:
        pw = sys.stdin.readline().rstrip("\r\n")
    try:
        print(f'editor_password_hash = "{hash_password(pw)}"')
    except InputError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 1
    return 0


@_guard
def _unused(args) -> int:
    """Catalog phrasings and district aliases that match nothing in the files (owid's
    unused-mapping warning): candidates for a typo or a dead entry."""
    from etl.catalog import unused_mappings
    from etl.formats import to_text
    from etl.text import normalise
    from pathlib import Path
    texts = [normalise(to_text(Path(f).name, Path(f).read_bytes())[0]).text for f in args.files]
    unused = unused_mappings(texts)
    for indicator, wording in unused["phrases"]:
        print(f"phrase\t{indicator}\t{wording}")
    for district, alias in unused["aliases"]:
        print(f"alias\t{district}\t{alias}")
    print(f"{len(unused['phrases'])} 条指标措辞、{len(unused['aliases'])} 个区县别名在这 {len(texts)} 份文件中从未出现 "
          f"({len(unused['phrases'])} phrasings and {len(unused['aliases'])} aliases matched nothing)", file=sys.stderr)
    return 0


def _file_options(p) -> None:
    p.add_argument("files", nargs="+")
    p.add_argument("--district", help="district name (overrides detection)")
    p.add_argument("--period", help="YYYY or YYYY-YYYY (overrides detection)")
    p.add_argument("--type", choices=["annual_report", "multi_year_report", "plan"])


class _Parser(argparse.ArgumentParser):
    """argparse with its errors in Chinese and English (exit 2, usage on stderr, no traceback)."""

    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(2, f"错误：{argparse_message(message)}\n")


def main(argv=None) -> int:
    """The command line (``python -m etl COMMAND …``; ``argv`` defaults to sys.argv[1:]): returns the exit
    code — 0 done, 1 done with refusals (dropped documents, files not imported), 2 refused (a bilingual
    message on stderr, data/ unchanged). Every command runs through ``_guard``."""
    ap = _Parser(prog="python -m etl", description="法治政府建设指标 ETL")
    sub = ap.add_subparsers(dest="cmd", required=True, parser_class=_Parser)
    b = sub.add_parser("build", help="build the DuckDB warehouse from data/raw")
    b.add_argument("--if-missing", action="store_true", help="only when the warehouse is missing or older than its inputs")
    b.add_argument("--full", action="store_true",
                   help="extract every document again (by default unchanged documents keep their rows)")
    b.set_defaults(fn=_build)
    e = sub.add_parser("extract", help="print the figures and targets found in files (warehouse untouched)")
    _file_options(e)
    e.add_argument("--format", choices=["csv", "json"], default="csv")
    e.add_argument("--include-rank", action="store_true", help="also print rank targets (位于全市前列)")
    e.set_defaults(fn=_extract)
    a = sub.add_parser("add", help="import reports into data/raw and rebuild the warehouse")
    _file_options(a)
    a.add_argument("--who", default="", help="name recorded with the import")
    a.add_argument("--confirm-new-district", action="store_true", help="accept a district not in the list")
    a.set_defaults(fn=_add)
    c = sub.add_parser("correct", help="change or reject one fact or target (kept across rebuilds)")
    c.add_argument("--table", choices=["facts", "targets"], default="facts")
    c.add_argument("--doc", required=True)
    c.add_argument("--indicator", required=True)
    c.add_argument("--period", required=True)
    c.add_argument("--comparator")
    g = c.add_mutually_exclusive_group(required=True)
    g.add_argument("--value", type=float)
    g.add_argument("--reject", action="store_true")
    c.add_argument("--who", required=True)
    c.add_argument("--reason", required=True)
    c.set_defaults(fn=_correct)
    u = sub.add_parser("undo", help="undo a correction by its number")
    u.add_argument("id", type=int)
    u.add_argument("--who", required=True)
    u.add_argument("--reason", default="撤销")
    u.set_defaults(fn=_undo)
    r = sub.add_parser("reference", help="add reference figures (全市平均 …) from a CSV")
    r.add_argument("file", nargs="?")
    r.add_argument("--template", action="store_true", help="print the CSV template")
    r.add_argument("--confirm-new-district", nargs="*")
    r.set_defaults(fn=_reference)
    um = sub.add_parser("unused-mappings", help="list catalog phrasings and district aliases that match nothing in FILES")
    um.add_argument("files", nargs="+")
    um.set_defaults(fn=_unused)
    h = sub.add_parser("hash-password", help="read the editor password (no echo; or one line from stdin) and "
                                             "print its hash for .streamlit/secrets.toml")
    h.set_defaults(fn=_hash_password)
    args = ap.parse_args(argv)
    return args.fn(args)


if __name__ == "__main__":
    sys.exit(main())
