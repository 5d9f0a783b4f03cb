"""One file in, its document record, facts and targets out (as plain rows)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from etl.catalog import load_catalog
from etl.documents import DocMeta, detect
from etl.extract import Extraction, extract
from etl.model import fmt
from etl.formats import to_text
from etl.text import InputError, normalise

FACT_COLUMNS = ["doc", "district", "period", "kind", "indicator", "value", "comparator", "unit", "qualifier",
                "scope", "quote", "start", "end", "rule", "derived", "formula", "note"]


@dataclass
class Processed:
    """One document read and extracted: metadata, the raw text, the encoding used, sha256 of the bytes and of the
    normalised text, and the Extraction."""
    meta: DocMeta
    raw: str
    encoding: str
    sha256: str
    ex: Extraction

    @property
    def text_sha256(self) -> str:
        """sha256 of the normalised text without line breaks: equal for the same report saved in
        another encoding or format (GBK / UTF-8 / .docx), so a re-encoded copy is a duplicate."""
        return hashlib.sha256(self.ex.norm.text.replace("\n", "").encode("utf-8")).hexdigest()


def process_bytes(name: str, data: bytes, override: dict | None = None) -> Processed:
    """Decode, normalise and extract one file's bytes (``name`` gives its format by suffix); ``override`` holds the
    fields a user gave (district, period, doc_type, title, doc_date) over the detected ones. Returns
    Processed. InputError (Chinese, then English) for an empty, unreadable, oversized or undecodable file."""
    raw, enc = to_text(name, data)
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    norm = normalise(raw)
    if not norm.text.strip():
        raise InputError(f"「{name}」没有可读的文字 (no readable text)")
    meta = detect(name, raw, norm, override)
    return Processed(meta, raw, enc, hashlib.sha256(data).hexdigest(), extract(meta, norm, load_catalog()))


def require_fields(name: str, meta: DocMeta) -> None:
    """A document enters the warehouse only with a district, a period and a type: raise
    InputError asking for the one that is missing."""
    if not meta.district:
        raise InputError(f"「{name}」未能识别区县，请指定区县（--district、导入页的「区县」或 metadata.csv 的 district 列）"
                         f"(district not detected: give it)")
    if meta.period_start is None or meta.period_end is None:
        raise InputError(f"「{name}」未能识别报告时期，请指定时期 YYYY 或 YYYY-YYYY（--period、导入页的「时期」或 "
                         f"metadata.csv 的 period 列）(period not detected: give it)")


def process_file(path: str | Path, override: dict | None = None) -> Processed:
    """``process_bytes`` of the file at ``path``. InputError when it cannot be read."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise InputError(f"「{path}」是文件夹，不是文件；请给出报告文件 (a folder, not a file: name the report files)") from None
    except FileNotFoundError:
        raise InputError(f"找不到文件「{path}」 (file not found)") from None
    except PermissionError:
        raise InputError(f"没有读取文件「{path}」的权限 (permission denied)") from None
    except OSError as e:
        raise InputError(f"无法读取文件「{path}」 (cannot read file: {e.strerror})") from None
    return process_bytes(path.name, data, override)


def rows(p: Processed, include_rank: bool = False) -> list[dict]:
    """Facts then targets of one document, as the extraction CSV's rows. Rank targets
    (「位于全市前列」) have no threshold on the indicator's scale: they stay in the warehouse's
    targets table and are printed only with ``include_rank``."""
    out = []
    for kind, items in (("actual", p.ex.facts), ("target", p.ex.targets)):
        for m in items:
            if m.comparator == "rank" and not include_rank:
                continue
            a, b = p.ex.raw_span(m)
            out.append({
                "doc": p.meta.doc, "district": p.meta.district, "period": m.period, "kind": kind,
                "indicator": m.indicator, "value": fmt(m.value), "comparator": m.comparator, "unit": m.unit,
                "qualifier": m.qualifier if kind == "actual" else ("relative" if m.relative else m.qualifier),
                "scope": m.scope, "quote": p.ex.quote(m), "start": a, "end": b, "rule": m.rule,
                "derived": int(m.derived), "formula": m.formula, "note": m.note or m.reference})
    return out
