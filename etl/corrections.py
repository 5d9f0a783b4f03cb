"""Manual corrections: an append-only log (data/corrections.jsonl) applied at every build, so
they survive rebuilding the warehouse; an undo is a record of its own."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from etl import settings


def corrections_path() -> Path:
    return settings.data_dir() / "corrections.jsonl"


def now() -> str:
    return datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")


def read_corrections() -> list[dict]:
    path = corrections_path()
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def append_correction(action: str, key: tuple, doc: str, who: str, reason: str, after=None, before=None,
                       undoes: int | None = None) -> dict:
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
    records = read_corrections() if records is None else records
    undone = {c["undoes"] for c in records if c["action"] == "undo"}
    return [c for c in records if c["action"] != "undo" and c["id"] not in undone]


def apply_corrections(tables: dict[str, pd.DataFrame], records: list[dict]) -> None:
    """Apply the active corrections to the built facts and targets, in order; later wins."""
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


