"""Bring your own reports: import, corrections, reference figures — and lose nothing.

Everything a person adds lives in files under data/ that the build reads, so it survives
rebuilding the warehouse from data/raw:
  data/raw/<generated name>     the uploaded report (never a path taken from the user)
  data/raw/metadata.csv         one record per document (original name, who, when)
  data/corrections.jsonl        every manual change, append-only (undo is a record too)
  data/reference/reference.csv  reference figures (全市平均 …) for relative targets
Each change takes a lock, writes, rebuilds the warehouse atomically, and restores the files it
touched when anything fails, so a failed import leaves everything byte-for-byte as before.
"""
from __future__ import annotations

import csv
import fcntl
import hashlib
import io
import json
import math
import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from etl import settings
from etl.build import METADATA_FIELDS, METADATA_FILE, build, read_metadata, read_reference
from etl.corrections import append_correction, corrections_path, now, read_corrections
from etl.catalog import load_catalog, load_districts
from etl.safe import neutralise_formula
from etl.pipeline import Processed, process_bytes, require_fields
from etl.text import InputError

REFERENCE_FIELDS = ["area", "indicator", "year", "value", "source"]


def reference_path() -> Path:
    """``data/reference/reference.csv``: published comparison figures (columns REFERENCE_FIELDS)."""
    return settings.data_dir() / "reference" / "reference.csv"


def _journal() -> Path:
    return settings.data_dir() / ".journal"


@contextmanager
def lock():
    """Hold the data lock (one writer at a time, across processes). InputError when data/ cannot
    be written."""
    data = settings.data_dir()
    try:
        data.mkdir(parents=True, exist_ok=True)
        handle = open(data / ".lock", "a")
    except OSError as e:
        raise InputError(f"无法写入数据目录「{data}」：{e.strerror} (data folder not writable)") from None
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def recover() -> list[str]:
    """Roll back a change that a killed process left half-done (call with the lock held).

    The journal holds, for every file the change was to touch, its bytes before (or the fact
    that it did not exist); its manifest is written before the first file is touched and the
    journal is removed as the change's last step. Returns the restored paths (empty when there
    was nothing to undo)."""
    journal = _journal()
    manifest = journal / "manifest.json"
    restored = []
    if manifest.exists():
        for i, entry in enumerate(json.loads(manifest.read_text(encoding="utf-8"))):
            path = Path(entry["path"])
            if entry["existed"]:
                _replace_bytes(path, (journal / str(i)).read_bytes())
            else:
                path.unlink(missing_ok=True)
            restored.append(str(path))
    if journal.exists():
        shutil.rmtree(journal)
    return restored


def _replace_bytes(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.restore")
    tmp.write_bytes(data)
    os.replace(tmp, path)


@contextmanager
def transaction(*paths: Path):
    """All or nothing: hold the lock, journal ``paths``, run the block; on an error — or, through
    the journal, when the process is killed — every path gets back its bytes (or absence) from
    before. A change that was rolled back after a kill is rebuilt into the warehouse."""
    with lock():
        if recover():
            build()
        journal = _journal()
        journal.mkdir()
        entries = []
        for i, p in enumerate(paths):
            existed = p.exists()
            if existed:
                shutil.copyfile(p, journal / str(i))
            entries.append({"path": str(p), "existed": existed})
        tmp = journal / "manifest.tmp"
        tmp.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
        _fsync(tmp)
        os.replace(tmp, journal / "manifest.json")
        try:
            yield
        except BaseException:
            recover()
            raise
        shutil.rmtree(journal)


def _fsync(path: Path) -> None:
    with open(path, "rb") as f:
        os.fsync(f.fileno())


# ---------------------------------------------------------------- import

def known_district(name: str) -> bool:
    """True when ``name`` is a district of etl/catalog/districts.csv (name or alias) or of a stored report."""
    return any(name == d.name or name in d.aliases for d in load_districts()) or name in _districts_in_data()


def _districts_in_data() -> set:
    return {r.get("district", "") for r in read_metadata(settings.raw_dir()).values()}


def preview(name: str, data: bytes, district: str | None = None, period: str | None = None,
            doc_type: str | None = None) -> Processed:
    """Extract without writing anything: the processed document (etl.pipeline.Processed: its
    metadata, the figures and targets found, each with its quote). Raises InputError (Chinese, then
    English) for bytes that cannot be read, an unknown document type or a malformed period."""
    return process_bytes(name, data, {"district": district, "period": period, "doc_type": doc_type})


def duplicate_of(sha256: str, text_sha256: str = "") -> str | None:
    """The stored document with the same bytes, or the same normalised text (the GBK copy of a
    UTF-8 report, a .docx of the same text), or None. Reads metadata.csv, the raw files without
    a record, and the current warehouse generation."""
    for doc, r in read_metadata(settings.raw_dir()).items():
        if r.get("sha256") == sha256:
            return doc
    gen = settings.current_warehouse()
    if gen is not None and text_sha256:
        try:
            con = duckdb.connect(str(gen), read_only=True, config={"threads": 1})  # one small query; no thread pool
            try:
                hit = con.execute("SELECT doc FROM documents WHERE sha256 = ? OR text_sha256 = ? ORDER BY doc LIMIT 1",
                                  [sha256, text_sha256]).fetchone()
            finally:
                con.close()
        except duckdb.Error:
            hit = None  # an older warehouse without text hashes, or one held by another process
        if hit:
            return hit[0]
    raw = settings.raw_dir()
    known = set(read_metadata(raw))
    if raw.exists():
        for p in raw.iterdir():
            if p.is_file() and p.name != METADATA_FILE and p.name not in known \
                    and hashlib.sha256(p.read_bytes()).hexdigest() == sha256:
                return p.name
    return None


@dataclass(frozen=True)
class Upload:
    """One report to import: its file name and bytes, the options a user gave (empty = detect),
    and the reviewer's decisions: ``rejected`` keys (kind, indicator, period[, comparator]) and
    ``edits`` {key: new value}, both stored as corrections."""
    name: str
    data: bytes
    district: str | None = None
    period: str | None = None
    doc_type: str | None = None
    confirm_new_district: bool = False
    rejected: tuple = ()
    edits: dict | None = None


@dataclass(frozen=True)
class Added:
    """One stored report: its file name under data/raw, the uploaded name, district, period
    ('YYYY' or 'YYYY-YYYY'), the number of figures and targets found, and the bilingual message."""
    doc: str
    original_name: str
    district: str
    period: str
    n_facts: int
    n_targets: int
    message: str


def check(u: Upload) -> Processed:
    """The preview of one upload, refused (InputError, nothing written) when it lacks a district,
    period or type, names an unknown district without confirmation, or was imported before."""
    p = preview(u.name, u.data, u.district, u.period, u.doc_type)
    require_fields(u.name, p.meta)
    if not known_district(p.meta.district) and not u.confirm_new_district:
        raise InputError(f"「{p.meta.district}」不在已知区县名单中；如确为新区县，请确认后再导入 "
                         f"(unknown district: confirm with --confirm-new-district)")
    _refuse_duplicate(u.name, p)
    return p


PREVIEW_MEMORY_MB = int(os.environ.get("FAZHI_PREVIEW_MEMORY_MB", 2048))
PREVIEW_SECONDS = int(os.environ.get("FAZHI_PREVIEW_SECONDS", 180))


def _limited_check(upload: Upload, memory_mb: int) -> Processed:
    """``check`` with at most ``memory_mb`` of address space beyond what the child already holds."""
    import resource
    with open("/proc/self/statm") as f:
        held = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    limit = held + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return check(upload)


def check_isolated(upload: Upload, memory_mb: int = PREVIEW_MEMORY_MB, seconds: int = PREVIEW_SECONDS) -> Processed:
    """``check`` in a child process with at most ``memory_mb`` of memory beyond the loaded program and
    ``seconds`` of time, so a hostile upload cannot take the app server's memory. Same result and InputErrors as
    ``check``; InputError when the child runs out of memory or time."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures import TimeoutError as Timeout
    from concurrent.futures.process import BrokenProcessPool
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("forkserver"))
    try:
        return pool.submit(_limited_check, upload, memory_mb).result(timeout=seconds)
    except (MemoryError, BrokenProcessPool):
        raise InputError(f"「{upload.name}」解析时占用内存超过上限 {memory_mb} MB，未导入 "
                         f"(reading the file needed more than {memory_mb} MB)") from None
    except Timeout:
        for proc in list(getattr(pool, "_processes", {}).values()):
            proc.kill()
        raise InputError(f"「{upload.name}」解析超过 {seconds} 秒，未导入 (reading the file took more than {seconds} s)") \
            from None
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _refuse_duplicate(name: str, p: Processed, batch: dict | None = None) -> None:
    dup = duplicate_of(p.sha256, p.text_sha256) or (batch or {}).get(p.sha256) or (batch or {}).get(p.text_sha256)
    if dup:
        raise InputError(f"「{name}」已经导入过（与「{dup}」内容相同），未重复导入 (same report already imported)")


def add_many(uploads: list[Upload], who: str = "", reason: str = "导入审核",
             previews: list[Processed] | None = None) -> list[Added]:
    """Import several reports together: all are checked first, then one transaction stores them
    and rebuilds the warehouse once. All or nothing: any refusal (InputError naming the file)
    leaves data/ as it was.

    ``previews``: the ``check`` (or ``check_isolated``) result of each upload, in order, when the
    caller has it already (the import page and ``etl add`` do): the extraction is not run again in
    this process; only the duplicate check is repeated, under the lock. Returns one Added per upload."""
    if previews is not None and len(previews) != len(uploads):
        raise ValueError("previews must match uploads one to one")
    checked = list(zip(uploads, previews if previews is not None else [check(u) for u in uploads]))
    raw = settings.raw_dir()
    raw.mkdir(parents=True, exist_ok=True)
    meta_path = raw / METADATA_FILE
    docs = [f"u_{p.sha256[:16]}.{u.name.rsplit('.', 1)[-1].lower()}" for u, p in checked]
    with transaction(meta_path, corrections_path(), *(raw / d for d in docs)):
        records = list(read_metadata(raw).values())
        batch: dict = {}
        for (u, p), doc in zip(checked, docs):
            _refuse_duplicate(u.name, p, batch)  # again under the lock: two imports of one file cannot both pass
            batch[p.sha256] = batch[p.text_sha256] = doc
            (raw / doc).write_bytes(u.data)
            records.append({"doc": doc, "title": p.meta.title, "district": p.meta.district,
                            "doc_type": p.meta.doc_type, "period": p.meta.period, "doc_date": p.meta.doc_date,
                            "sha256": p.sha256, "original_name": u.name, "added_by": who, "added_at": now()})
            for key in u.rejected:
                append_correction("reject", key, doc, who, reason)
            for key, value in (u.edits or {}).items():
                append_correction("set", key, doc, who, reason, after=value)
        _write_csv(meta_path, METADATA_FIELDS, records)
        build()
    return [Added(doc, u.name, p.meta.district, p.meta.period, len(p.ex.facts), len(p.ex.targets),
                  f"已导入「{u.name}」（{p.meta.district} {p.meta.period}），保存为 {doc}：{len(p.ex.facts)} 条数据、"
                  f"{len(p.ex.targets)} 条目标 (imported)") for (u, p), doc in zip(checked, docs)]


def add(name: str, data: bytes, district: str | None = None, period: str | None = None,
        doc_type: str | None = None, who: str = "", confirm_new_district: bool = False,
        rejected: tuple = (), edits: dict | None = None, reason: str = "导入审核") -> Added:
    """Import one report: ``add_many`` of one Upload built from these arguments; returns its Added.
    InputError (nothing written) for the refusals ``check`` names, OSError / duckdb.Error (data/
    restored) when the disk or warehouse fails."""
    return add_many([Upload(name, data, district, period, doc_type, confirm_new_district, tuple(rejected), edits)],
                    who, reason)[0]


def _write_csv(path: Path, fields: list, rows: list) -> None:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    w.writerows({k: neutralise_formula(v) for k, v in r.items()} for r in rows)  # a title like =HYPERLINK(…) stays text
    path.write_text(buf.getvalue(), encoding="utf-8")


# ---------------------------------------------------------------- corrections

def _matching(table: str, doc: str, indicator: str, period: str, comparator: str) -> list:
    """Values of the current warehouse's rows a correction would change."""
    gen = settings.current_warehouse()
    if gen is None:
        raise InputError("尚未构建数据库，无法核对要修改的数据；请先运行 python -m etl build (warehouse missing)")
    sql = f"SELECT value FROM {'targets' if table == 'targets' else 'facts'} WHERE doc = ? AND indicator = ? AND period = ?"
    params = [doc, indicator, period]
    if table == "targets" and comparator:
        sql += " AND comparator = ?"
        params.append(comparator)
    con = duckdb.connect(str(gen), read_only=True)
    try:
        return [r[0] for r in con.execute(sql, params).fetchall()]
    finally:
        con.close()


def value_problem(unit: str, value: float | None) -> tuple[str, str] | None:
    """Why ``value`` cannot be a figure in ``unit`` — not finite, a rate outside 0–100, a negative
    count — as (Chinese, English), or None when it can. The one home of these range rules, used by
    corrections and reference rows; the warehouse's CHECK constraints (etl/schema.py) agree."""
    if value is None or not math.isfinite(value):
        return f"数值「{value}」无效", "not a number"
    if unit == "%" and not 0 <= value <= 100:
        return f"比率 {value:g}% 超出 0–100", "rate out of range"
    if value < 0:
        return f"数量 {value:g} {unit} 不能为负", "count below zero"
    return None


def check_value(indicator: str, value: float) -> None:
    """InputError when the indicator is unknown or ``value`` cannot be its figure (``value_problem``)."""
    ind = load_catalog().indicators.get(indicator)
    if ind is None:
        raise InputError(f"未知指标「{indicator}」(unknown indicator)")
    problem = value_problem(ind.unit, value)
    if problem:
        raise InputError(f"{problem[0]}，未保存 ({problem[1]})")


def correct(table: str, doc: str, indicator: str, period: str, who: str, reason: str,
            value: float | None = None, reject: bool = False, comparator: str = "",
            before: float | None = None) -> dict:
    """Change (or reject) one fact or target; stored with before, after, reason, who and when,
    and applied at every build. Returns the stored record. InputError (nothing written) when
    who or reason is empty, the value cannot be a figure of the indicator, or no figure of the
    current warehouse matches doc, indicator and period."""
    if not who.strip():
        raise InputError("请填写修改人姓名 (who made the change)")
    if not reason.strip():
        raise InputError("请填写修改原因 (reason for the change)")
    if not reject:
        check_value(indicator, value)
    kind = "target" if table == "targets" else "actual"
    with transaction(corrections_path()):
        found = _matching(table, doc, indicator, period, comparator)
        if not found:
            raise InputError(f"没有找到要修改的数据：文件「{doc}」、指标「{indicator}」、时期「{period}」"
                             f"{'、比较「' + comparator + '」' if comparator else ''}；请核对后重试 (no such figure)")
        if before is None and len(set(found)) == 1:
            before = found[0]
        rec = append_correction("reject" if reject else "set", (kind, indicator, period, comparator), doc, who,
                                 reason, after=None if reject else value, before=before)
        build()
    return rec


def undo(correction_id: int, who: str, reason: str = "撤销") -> dict:
    """Undo correction ``correction_id`` (the undo is a record too). InputError when there is
    no such correction, it is itself an undo, or it was undone already."""
    with transaction(corrections_path()):  # checked under the lock: two undos of one record cannot both pass
        records = read_corrections()
        target = next((c for c in records if c["id"] == correction_id), None)
        if target is None or target["action"] == "undo":
            raise InputError(f"没有编号为 {correction_id} 的修改记录 (no such correction)")
        earlier = next((c for c in records if c["action"] == "undo" and c.get("undoes") == correction_id), None)
        if earlier is not None:
            raise InputError(f"修改 #{correction_id} 已于 {earlier['made_at'][:16].replace('T', ' ')} 由 {earlier['who']} "
                             f"撤销（记录 #{earlier['id']}），未重复撤销 (already undone)")
        rec = append_correction("undo", ("target" if target["tbl"] == "targets" else "actual", target["indicator"],
                                          target["period"], target["comparator"]), target["doc"], who, reason,
                                 undoes=correction_id)
        build()
    return rec


# ---------------------------------------------------------------- reference figures

def validate_reference(rows: list[dict], confirm_new: tuple = ()) -> list[dict]:
    """Check reference rows; raise InputError naming every bad row, column and value."""
    cat = load_catalog()
    errors, clean = [], []
    for i, r in enumerate(rows, start=2):  # row 1 is the header
        r = {k: (str(v).strip() if v is not None else "") for k, v in r.items()}
        missing = [c for c in REFERENCE_FIELDS[:4] if not r.get(c)]
        if missing:
            errors.append(f"第 {i} 行：缺少「{'、'.join(missing)}」(missing column)")
            continue
        ind = cat.indicators.get(r["indicator"])
        if ind is None:
            errors.append(f"第 {i} 行「indicator」列：未知指标「{r['indicator']}」(unknown indicator)")
            continue
        area = r["area"]
        if area not in ("全市", "全省", "全国") and not known_district(area) and area not in confirm_new:
            errors.append(f"第 {i} 行「area」列：未知区县「{area}」，如为新区县请确认 (unknown district)")
            continue
        try:
            year = int(r["year"])
            if not 1990 <= year <= 2100:
                raise ValueError
        except ValueError:
            errors.append(f"第 {i} 行「year」列：年份「{r['year']}」无效 (bad year)")
            continue
        try:
            value = float(r["value"].replace(",", "").rstrip("%"))
        except ValueError:
            value = None
        problem = value_problem(ind.unit, value) if value is not None else (f"数值「{r['value']}」无效", "not a number")
        if problem:
            errors.append(f"第 {i} 行「value」列：{problem[0]} ({problem[1]})")
            continue
        clean.append({"area": area, "indicator": ind.id, "year": year, "value": value, "source": r.get("source", "")})
    if errors:
        raise InputError("参照数据有误，未写入：\n" + "\n".join(errors))
    return clean


def add_reference(csv_bytes: bytes, who: str = "", confirm_new: tuple = ()) -> int:
    """Merge a reference CSV (columns REFERENCE_FIELDS; any encoding ``decode`` reads) into
    data/reference/reference.csv and rebuild; returns the number of rows read. InputError (nothing
    written) for a missing column, any bad row (``validate_reference``), an unknown area not in
    ``confirm_new``, or a row that would change a stored value."""
    from etl.text import decode
    text, _ = decode(csv_bytes, "reference.csv")
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in REFERENCE_FIELDS[:4] if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError(f"参照数据缺少列：{'、'.join(missing)}；模板列为 {','.join(REFERENCE_FIELDS)} (missing columns)")
    rows = validate_reference(list(reader), confirm_new)
    path = reference_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with transaction(path):
        old = read_reference().to_dict("records") if path.exists() else []
        merged = {(r["area"], r["indicator"], int(r["year"])): r for r in old}
        for r in rows:
            key = (r["area"], r["indicator"], r["year"])
            if key in merged and float(merged[key]["value"]) != r["value"]:
                raise InputError(f"{r['area']} {r['indicator']} {r['year']} 已有参照值 {merged[key]['value']}，"
                                 f"与新值 {r['value']} 不同；请先删除旧值 (would overwrite an existing value)")
            merged[key] = r
        _write_csv(path, REFERENCE_FIELDS, list(merged.values()))
        build()
    return len(rows)


def reference_template() -> str:
    """A reference CSV with its header and one example row, offered as a download."""
    return ",".join(REFERENCE_FIELDS) + "\n全市,litigation_loss_rate,2021,8.5,重庆市2021年法治政府建设年度报告\n"


