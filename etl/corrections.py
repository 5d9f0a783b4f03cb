"""Manual corrections: an append-only log (data/corrections.jsonl) applied at every build, so
they survive rebuilding the warehouse; an undo is a record of its own."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from etl import settings
from etl.text import InputError


def corrections_path() -> Path:
    """``data/corrections.jsonl`` under FAZHI_HOME: one JSON record a line (keys: REQUIRED)."""
    return settings.data_dir() / "corrections.jsonl"


def now() -> str:
    """The local time with its UTC offset, to the second: 'YYYY-MM-DDTHH:MM:SS+08:00'."""
    return datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")


REQUIRED = ("id", "made_at", "who", "action", "tbl", "doc", "indicator", "period", "after", "reason")
ACTIONS = ("set", "reject", "undo")


def read_corrections() -> list[dict]:
    """Every record of data/corrections.jsonl, in order. InputError naming the line when a line
    is not a JSON object with the required keys (a line cut half-way, a hand-edited record)."""
    path = corrections_path()
    if not path.exists():
        return []
    try:
        lines = path.read_bytes().decode("utf-8").splitlines()
    except UnicodeDecodeError as e:
        raise InputError(f"「{path}」不是 UTF-8 文本（第 {e.start} 字节）(corrections file is not UTF-8)") from None
    out = []
    for i, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError:
            raise InputError(f"「{path}」第 {i} 行不是完整的 JSON 记录（可能写入时被中断），请从备份恢复该行或删除它 "
                             f"(line {i} is not a complete JSON record)") from None
        missing = [k for k in REQUIRED if not isinstance(rec, dict) or k not in rec]
        if missing:
            raise InputError(f"「{path}」第 {i} 行缺少字段 {'、'.join(missing)} (line {i} lacks keys)")
        if rec["action"] not in ACTIONS:
            raise InputError(f"「{path}」第 {i} 行的 action「{rec['action']}」未知，应为 {' / '.join(ACTIONS)} "
                             f"(unknown action)")
        out.append(rec)
    return out


def append_correction(action: str, key: tuple, doc: str, who: str, reason: str, after=None, before=None,
                       undoes: int | None = None) -> dict:
    """Append one record to the log and return it: ``action`` 'set' (``after`` the new value),
    'reject' or 'undo' (``undoes`` the id undone); ``key`` (kind 'actual'/'target', indicator,
    period[, comparator]) names the row of document ``doc``; ``before`` the value replaced. The id is
    the next integer. Callers hold the store's lock (etl.store.transaction); OSError when the folder
    cannot be written."""
    existing = read_corrections()
    kind, indicator, period, *rest = key if key else ("", "", "")
    record = {"id": max((c["id"] for c in existing), default=0) + 1, "made_at": now(), "who": who,
              "action": action, "tbl": "targets" if kind == "target" else "facts", "doc": doc,
              "indicator": indicator, "period": period, "comparator": rest[0] if rest else "",
              "before": before, "after": after, "reason": reason, "undoes": undoes}
    path = corrections_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps(record, ensure_ascii=False) + "\n")
    return record


def active_corrections(records: list[dict] | None = None) -> list[dict]:
    """The 'set' and 'reject' records no later 'undo' cancels, in log order (default: the whole log).
    InputError as ``read_corrections``."""
    records = read_corrections() if records is None else records
    undone = {c["undoes"] for c in records if c["action"] == "undo"}
    return [c for c in records if c["action"] != "undo" and c["id"] not in undone]


def apply_corrections(tables: dict[str, pd.DataFrame], records: list[dict]) -> None:
    """Apply the active corrections of ``records`` (correction records, undone ones skipped) to the
    ``facts`` and ``targets`` DataFrames of ``tables`` in place, in order (a later one wins): a set
    writes ``value`` (the first ``original_value`` kept, ``corrected`` True, ``correction`` who, when,
    why and the record id); a reject drops the row. Rows match by doc, indicator and period (and
    comparator for targets). Returns None; raises nothing for a correction that matches no row
    (``etl correct`` refuses those when they are made)."""
    for table in ("facts", "targets"):
        df = tables.get(table)
        if df is None or df.empty:
            continue
        df["corrected"] = False
        df["original_value"] = float("nan")
        df["correction"] = ""
        keep = pd.Series(True, index=df.index)
        for c in active_corrections(records):
            if c["tbl"] != table:
                continue
            hit = (df["doc"] == c["doc"]) & (df["indicator"] == c["indicator"]) & (df["period"] == c["period"])
            if table == "targets" and c.get("comparator"):
                hit &= df["comparator"] == c["comparator"]
            note = f"{c['who']} 于 {c['made_at'][:16].replace('T', ' ')} 修改：{c['reason']}（记录 #{c['id']}）"
            if c["action"] == "reject":
                keep &= ~hit
                continue
            first = hit & ~df["corrected"]
            df.loc[first, "original_value"] = df.loc[first, "value"]
            df.loc[hit, "value"] = c["after"]
            df.loc[hit, "corrected"] = True
            df.loc[hit, "correction"] = note
        tables[table] = df[keep].reset_index(drop=True)
    tables["corrections"] = pd.DataFrame(
        [{**c, "active": c in active_corrections(records)} for c in records]) if records else pd.DataFrame()


