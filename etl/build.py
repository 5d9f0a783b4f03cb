"""Build the DuckDB warehouse from data/raw: documents, indicators, facts, targets, mentions,
flags, reference. Deterministic (sorted inputs, sequential ids) and atomic: the database is
written to a temporary file beside the old one and moved over it with ``os.replace``, so a
running dashboard never sees a half-built file or a writer's lock."""
from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, fields
from functools import partial
from pathlib import Path

import duckdb
import pandas as pd
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from etl import settings
from etl.catalog import load_catalog, load_districts
from etl.corrections import active_corrections, apply_corrections, read_corrections
from etl.formats import ACCEPTED as TEXT_SUFFIXES
from etl.grammar import grammar
from etl.pipeline import process_file, require_fields
from etl.safe import restore_formula
from etl.schema import SchemaError, ddl, key_ddl
from etl.schema import TABLES as SCHEMA_TABLES
from etl.schema import columns as schema_columns
from etl.text import InputError

METADATA_FILE = "metadata.csv"
METADATA_FIELDS = ["doc", "title", "district", "doc_type", "period", "doc_date", "sha256", "original_name",
                   "added_by", "added_at"]


def raw_files(raw_dir: Path) -> list[Path]:
    """The report files of ``raw_dir`` (.txt, .docx, .pdf, .html …; not metadata.csv), sorted by name: the build's
    document order."""
    return sorted(p for p in raw_dir.iterdir() if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES)


def read_metadata(raw_dir: Path) -> dict:
    """metadata.csv as {doc: record}. InputError naming the file and the problem when it is not
    UTF-8 CSV text with a ``doc`` column."""
    path = raw_dir / METADATA_FILE
    if not path.exists():
        return {}
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(f"「{path}」不是 UTF-8 文本（第 {e.start} 字节无法解码），请恢复或重新保存为 UTF-8 CSV "
                         f"(metadata.csv is not UTF-8 text)") from None
    if "\x00" in text:
        raise InputError(f"「{path}」含有二进制内容，不是 CSV 文本，请从备份恢复 (metadata.csv holds binary data)")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if "doc" not in (reader.fieldnames or []):
        raise InputError(f"「{path}」缺少 doc 列；列应为 {','.join(METADATA_FIELDS)} (metadata.csv has no doc column)")
    rows = ({k: restore_formula(v) for k, v in r.items()} for r in reader)  # written by store._write_csv
    return {r["doc"]: r for r in rows if r.get("doc")}


CODE_DIR = Path(__file__).parent   # the extractor and table declarations a warehouse was built by


def is_stale(db: Path, raw_dir: Path) -> bool:
    """True when ``db`` has no generation, or any of its inputs changed after it was built: a
    report or metadata.csv, the catalog, corrections, reference figures — or the extractor and
    table declarations themselves (etl/*.py), so an upgraded checkout rebuilds the warehouse
    (new columns, new rules) instead of serving one its code can no longer read."""
    if settings.current_warehouse(db) is None:
        return True
    inputs = [*raw_dir.iterdir(), *settings.CATALOG_DIR.iterdir()] if raw_dir.exists() else []
    inputs += list(CODE_DIR.glob("*.py"))
    inputs += [p for p in (settings.data_dir() / "corrections.jsonl", settings.data_dir() / "reference" / "reference.csv")
               if p.exists()]
    return any(p.stat().st_mtime > db.stat().st_mtime for p in inputs) or _other_extractor(db, raw_dir)


def _other_extractor(db: Path, raw_dir: Path) -> bool:
    """Whether the current generation was extracted by another extractor than this process runs
    (its first document's ``extract_key`` differs from the key this process gives it): e.g. an
    app process that kept an older catalog built it after the catalog changed on disk."""
    con = _open_generation(settings.current_warehouse(db))
    if con is None:
        return True
    try:
        row = con.execute("SELECT doc, extract_key, sha256 FROM documents ORDER BY doc LIMIT 1").fetchone()
    except duckdb.Error:        # a generation without the column: older code built it
        return True
    finally:
        con.close()
    if row is None:
        return False
    doc, key, sha = row
    path = raw_dir / doc
    try:
        record = read_metadata(raw_dir).get(doc, {})
        return not path.is_file() or key != extract_key(extractor_signature(), doc, sha, record)
    except InputError:
        return True


TABLES = ("documents", "facts", "targets", "mentions", "flags", "dropped")
RECORD_FIELDS = ("title", "district", "doc_type", "period", "doc_date", "sha256", "original_name", "added_by",
                 "added_at")   # what doc_rows reads of a document's metadata.csv record


def code_hash() -> str:
    """sha256 (hex) of the extractor's code as it is on disk now (etl/*.py), of Python's version and
    Unicode tables, and of the versions of the libraries that read and normalise a report."""
    import unicodedata
    from importlib import metadata
    h = hashlib.sha256(f"{sys.version}\0{unicodedata.unidata_version}\0".encode())
    for dist in ("charset-normalizer", "OpenCC", "pdfplumber", "pdfminer.six", "python-docx", "PyYAML", "numpy"):
        try:
            h.update(f"{dist}={metadata.version(dist)}\0".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{dist}=-\0".encode())
    for path in sorted(CODE_DIR.glob("*.py")):
        h.update(f"{path.name}\0{path.stat().st_size}\0".encode())
        h.update(path.read_bytes())
    return h.hexdigest()


_CODE = code_hash()   # the extractor this process runs: etl.build imports all of it (an upgrade on disk
                      # takes effect when the process restarts, and so does its signature)


def extractor_signature() -> str:
    """sha256 (hex) of everything a document's rows depend on besides the document itself, as this
    process runs it: the extractor's code and libraries when it started (:func:`code_hash`), the
    catalog files (indicators, rules, districts) as it parsed them (``etl.catalog.LOADED``; loaded
    now when not yet), and the size limits set by environment (FAZHI_MAX_BYTES, FAZHI_MAX_CHARS,
    FAZHI_MAX_PAGES). So rows are never labelled with an extractor other than the one that made
    them: a long-running app process that builds after the catalog or code changed on disk labels
    its rows with what it loaded, and the next process extracts those documents again."""
    from etl import catalog, formats
    catalog.load_catalog(), catalog.load_rules(), catalog.load_districts()
    h = hashlib.sha256(f"{_CODE}\0{settings.MAX_REPORT_BYTES} {formats.MAX_TEXT_CHARS} {formats.MAX_PDF_PAGES}\0"
                       .encode())
    for name, digest in sorted(catalog.LOADED.items()):
        h.update(f"{name}\0{digest}\0".encode())
    return h.hexdigest()


def extract_key(signature: str, name: str, file_sha256: str, record: dict) -> str:
    """sha256 (hex) of one document's inputs: the extractor (``signature``), its file name, the
    sha256 of its bytes and the fields of its metadata.csv ``record`` that the extraction reads.
    Equal keys give equal rows (doc_rows is a pure function of these; an empty field and a
    missing one are read alike, so rewriting metadata.csv with more columns keeps the keys)."""
    data = json.dumps([signature, name, file_sha256, [record.get(k) or "" for k in RECORD_FIELDS]], ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def doc_rows(path: Path, record: dict, signature: str = "", first_mention: int = 0) -> dict:
    """One report → its rows for every table (or its problem), as columns: ``{table: {column:
    [values]}}`` (only the tables it has rows for) and ``warnings`` (messages); a report that
    cannot be used gives only ``dropped`` (doc, message). Its mentions are numbered from
    ``first_mention`` (``mention_id`` of mentions and facts, a fact's ``inputs``). A pure function
    of the file, its metadata ``record`` and the extractor (``signature``, stored in
    documents.extract_key), so it maps over a process pool (and would over Spark, Ray or Dask)
    unchanged."""
    try:
        p = process_file(path, {k: record.get(k) for k in ("title", "district", "doc_type", "period", "doc_date")})
        require_fields(path.name, p.meta)
    except InputError as e:
        return {"dropped": {"doc": [path.name], "message": [str(e)]}, "warnings": []}
    m, ex = p.meta, p.ex
    out: dict = {"warnings": []}
    if record.get("sha256") and record["sha256"] != p.sha256:
        out["warnings"].append(f"「{path.name}」内容与元数据记录的 sha256 不一致，已按文件实际内容处理 "
                               f"(sha256 differs from metadata)")
    out["documents"] = {k: [v] for k, v in {
        "doc": m.doc, "title": m.title, "district": m.district, "doc_type": m.doc_type, "period": m.period,
        "period_start": m.period_start, "period_end": m.period_end, "doc_date": m.doc_date, "sha256": p.sha256,
        "text_sha256": p.text_sha256, "encoding": p.encoding, "n_chars": len(p.raw), "detected": m.detected, "raw_text": p.raw,
        **{k: record.get(k, "") or "" for k in ("original_name", "added_by", "added_at")},
        "extract_key": extract_key(signature, path.name, p.sha256, record)}.items()}
    ms, fs, ts = ex.mentions, ex.facts, ex.targets
    local = {id(x): i for i, x in enumerate(ms)}   # a fact is a mention too: its span and quote are the mention's
    spans = [ex.raw_span(x) for x in ms]
    quotes = [ex.quote(x) for x in ms]
    if ms:
        out["mentions"] = {
            "mention_id": list(range(first_mention, first_mention + len(ms))), "doc": [m.doc] * len(ms),
            "district": [m.district] * len(ms), "period": [x.period for x in ms], "kind": [x.kind for x in ms],
            "indicator": [x.indicator for x in ms], "value": [x.value for x in ms], "scope": [x.scope for x in ms],
            "start": [a for a, _ in spans], "end": [b for _, b in spans], "quote": quotes,
            "rule": [x.rule for x in ms], "status": [x.status for x in ms], "status_detail": [x.status_detail for x in ms]}
    if fs:
        at = [local[id(f)] for f in fs]
        out["facts"] = {
            "doc": [m.doc] * len(fs), "district": [m.district] * len(fs), "period": [f.period for f in fs],
            "period_start": [f.period_start for f in fs], "period_end": [f.period_end for f in fs],
            "span_kind": ["annual" if f.period_start == f.period_end else "cumulative" for f in fs],
            "indicator": [f.indicator for f in fs], "value": [f.value for f in fs], "unit": [f.unit for f in fs],
            "qualifier": [f.qualifier for f in fs], "scope": [f.scope for f in fs],
            "scope_level": [f.scope_level for f in fs], "numerator": [f.numerator for f in fs],
            "denominator": [f.denominator for f in fs], "derived": [f.derived for f in fs],
            "formula": [f.formula for f in fs], "mention_id": [first_mention + i for i in at],
            "inputs": [[first_mention + local[id(x)] for x in f.inputs] for f in fs],
            "start": [spans[i][0] for i in at], "end": [spans[i][1] for i in at], "quote": [quotes[i] for i in at],
            "rule": [f.rule for f in fs], "note": [f.note for f in fs]}
    if ts:
        tspans = [ex.raw_span(t) for t in ts]
        out["targets"] = {
            "doc": [m.doc] * len(ts), "district": [m.district] * len(ts), "period": [t.period for t in ts],
            "period_start": [t.period_start for t in ts], "period_end": [t.period_end for t in ts],
            "indicator": [t.indicator for t in ts], "comparator": [t.comparator for t in ts],
            "value": [t.value for t in ts], "unit": [t.unit for t in ts], "relative": [t.relative for t in ts],
            "reference": [t.reference for t in ts], "scope": [t.scope for t in ts],
            "start": [a for a, _ in tspans], "end": [b for _, b in tspans], "quote": [ex.quote(t) for t in ts],
            "rule": [t.rule for t in ts]}
    if ex.flags:
        fl = ex.flags
        fspans = [ex.norm.raw_span(x["norm_start"], x["norm_end"]) for x in fl]
        out["flags"] = {
            "doc": [m.doc] * len(fl), "district": [m.district] * len(fl), **{k: [x[k] for x in fl] for k in (
                "period", "indicator", "kind", "message")},
            "start": [a for a, _ in fspans], "end": [b for _, b in fspans], "quote": [x["quote"] for x in fl]}
    return out


ARROW_TYPES = {"VARCHAR": pa.string(), "INTEGER": pa.int32(), "DOUBLE": pa.float64(), "BOOLEAN": pa.bool_(),
               "INTEGER[]": pa.list_(pa.int32())}   # a column's SQL type (etl.schema) → its Arrow type


def arrow_type(table: str, column: str) -> pa.DataType:
    """The Arrow type of ``column`` of ``table`` (from its SQL type in etl.schema). KeyError for
    an unknown column or a type without a mapping."""
    return ARROW_TYPES[_SQL_TYPES[table][column]]


_SQL_TYPES = {t: {f.name: f.metadata["sql"].split()[0] for f in fields(cls)} for t, cls in SCHEMA_TABLES.items()}


def _batch_tables(jobs: list) -> dict:
    """doc_rows of consecutive documents (``jobs``: doc_rows arguments) as one Arrow table per
    table ({table: pyarrow.Table or None}), typed as the warehouse declares them: what a worker
    sends back (Arrow pickles as buffers: the main process neither unpickles nor converts Python
    objects row by row). Mention numbers (``mention_id`` of mentions and facts, a fact's
    ``inputs``) count from 0 across the batch, in document order; ``mentions_n`` is their number,
    ``warnings`` a list of messages."""
    cols: dict = {k: {} for k in TABLES}
    warnings, before = [], 0
    for args in jobs:
        r = doc_rows(*args, first_mention=before)
        warnings += r["warnings"]
        before += len(r["mentions"]["mention_id"]) if "mentions" in r else 0
        for k in TABLES:
            for c, values in r.get(k, {}).items():
                cols[k].setdefault(c, []).extend(values)
    out = {k: pa.table({c: pa.array(v, arrow_type(k, c)) for c, v in cs.items()}) if cs else None
           for k, cs in cols.items()}
    return {**out, "warnings": warnings, "mentions_n": before}


def _batch_files(folder: str, jobs: list) -> dict:
    """:func:`_batch_tables` as a worker hands it back: each table written as an Arrow IPC file
    into ``folder`` and replaced by the file's path (a few bytes through the pool's pipe instead
    of the tables: the main process neither reads the pipe nor unpickles them; it maps the files,
    :func:`_mapped`)."""
    out = _batch_tables(jobs)
    stem = os.path.join(folder, f"{os.getpid()}-{next(_BATCHES)}")
    for k in TABLES:
        if out[k] is not None:
            path = f"{stem}-{k}.arrow"
            with pa.OSFile(path, "wb") as sink, pa.ipc.new_file(sink, out[k].schema) as writer:
                writer.write_table(out[k])
            out[k] = path
    return out


def _mapped(r: dict) -> dict:
    """The tables of a :func:`_batch_files` result, read from their files without a copy (memory
    mapped; the files are unlinked at once: the mapping keeps their pages until the tables go)."""
    for k in TABLES:
        if isinstance(r[k], str):
            path, r[k] = r[k], pa.ipc.open_file(pa.memory_map(r[k])).read_all()
            os.unlink(path)
    return r


_BATCHES = itertools.count()   # a worker's batch files: process id and this number
BATCH_DOCS = 8     # consecutive documents a worker extracts and sends back as one set of tables
CHUNK_DOCS = 256   # documents whose rows are held at once before they are written (~50 MB)
COPY_DOCS = 2048   # reused documents copied by one statement: per document 4× cheaper than 256, ~60 MB of text
                   # sorted within the build's memory limit (one statement for 28,500 ran out of it)


def _open_generation(path: Path | None):
    """A read-only connection to the warehouse generation ``path``; None when there is none or it
    cannot be opened (the build then extracts every document)."""
    if path is None or not path.is_file():
        return None
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.Error:
        return None


class DocumentStream:
    """The rows of every document of ``raw_dir``, one chunk of ``chunk`` documents at a time,
    in document order (sorted file names), so a build holds one chunk's rows and raw text, not
    the corpus's. Facts and targets get sequential ids in document order (the same ids whatever
    the pool). Use as a context manager: the process pool (when there are many documents to
    extract) is started on entering, before the caller opens its database, and stopped on leaving.

    ``reuse``: a warehouse generation built before (normally the current one). A document whose
    ``extract_key`` there equals its key now (same bytes, same metadata record, same extractor and
    catalog) and that no correction names (here or there) is not extracted again: its rows are
    copied from that generation by the database, renumbered as a fresh extraction would number
    them. The tables are the same as without ``reuse`` (tested); ``reused`` counts such documents.

    Iterating yields, in document order, either ``{table: pyarrow.Table or None}`` for documents,
    facts, targets, mentions, flags and dropped of extracted documents (workers send Arrow tables
    of ``BATCH_DOCS`` documents, typed as declared; DuckDB reads Arrow without a copy), or
    ``{"copy": Copy}``: a run of reused documents for :func:`write_warehouse` to copy.
    ``warnings`` collects the messages of documents that were kept; ``dropped`` the (doc,
    message) of documents left out; ``counts`` rows per table."""

    def __init__(self, raw_dir: Path, workers: int | None = None, chunk: int | None = None,
                 corrections: list[dict] | None = None, reuse: Path | None = None):
        meta = read_metadata(raw_dir)
        self.signature = extractor_signature()
        self.jobs = [(path, meta.get(path.name, {}), self.signature) for path in raw_files(raw_dir)]
        self.chunk, self.corrections = chunk or CHUNK_DOCS, corrections or []
        self.source = reuse
        self._rows: dict[str, tuple] = self._reusable()     # doc → its (facts, targets, mentions) there
        self.reused = len(self._rows)
        fresh = len(self.jobs) - self.reused
        self.workers = workers if workers is not None else (os.cpu_count() or 1) if fresh >= 64 else 1
        self.warnings: list[str] = []
        self.dropped: list[tuple[str, str]] = []
        self.counts = {k: 0 for k in TABLES}
        self._pool = None

    def _reusable(self) -> dict[str, tuple]:
        """The documents whose rows can be copied from the old generation (see the class), each
        with its number of facts, targets and mentions there."""
        con = _open_generation(self.source)
        if con is None:
            return {}
        try:
            old = dict(con.execute("SELECT doc, extract_key FROM documents").fetchall())
            named = {d for (d,) in con.execute("SELECT DISTINCT doc FROM corrections").fetchall()}
            per_doc = " ".join(f"LEFT JOIN (SELECT doc, count(*) AS {t} FROM {t} GROUP BY doc) USING (doc)"
                                for t in ("facts", "targets", "mentions"))
            counts = {doc: (f or 0, t or 0, m or 0) for doc, f, t, m in con.execute(
                f"SELECT doc, facts, targets, mentions FROM documents {per_doc}").fetchall()}
        except duckdb.Error:        # a generation of an older schema: extract everything
            return {}
        finally:
            con.close()
        named |= {c.get("doc") for c in self.corrections}
        out = {}
        for path, record, signature in self.jobs:
            if not old.get(path.name) or path.name in named:
                continue
            try:
                sha = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError:                 # doc_rows reports it
                continue
            if record.get("sha256") and record["sha256"] != sha:   # doc_rows warns about it
                continue
            if old[path.name] == extract_key(signature, path.name, sha, record):
                out[path.name] = counts[path.name]
        return out

    def __enter__(self):
        if self.workers > 1:
            import multiprocessing
            # Parsed and compiled once, before the fork: the workers share them.
            load_catalog(), grammar(), load_districts()
            self._pool = multiprocessing.get_context("fork").Pool(self.workers)
            self._folder = tempfile.mkdtemp(prefix="fazhi-batches-")   # the workers' result files
        return self

    def __exit__(self, *exc):
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None
            shutil.rmtree(self._folder, ignore_errors=True)

    def _items(self, part: list) -> list:
        """A chunk's documents in order, as items: a reused document's name, or a batch (a list)
        of at most ``BATCH_DOCS`` consecutive documents to extract (doc_rows arguments)."""
        items: list = []
        for job in part:
            if job[0].name in self._rows:
                items.append(job[0].name)
            elif items and isinstance(items[-1], list) and len(items[-1]) < BATCH_DOCS:
                items[-1].append(job)
            else:
                items.append([job])
        return items

    def _extract(self, items: list):
        """Start extracting the batches among ``items``; returns a function that waits for their
        results (:func:`_batch_tables`, in order). With a pool the work runs in the workers meanwhile."""
        batches = [i for i in items if isinstance(i, list)]
        if self._pool is None or not batches:
            return lambda: list(map(_batch_tables, batches))
        results = self._pool.map_async(partial(_batch_files, self._folder), batches, chunksize=1)
        return lambda: [_mapped(r) for r in results.get()]

    def _parts(self):
        """Each chunk of documents, in document order: a list of items, each a batch of extracted
        documents (:func:`_batch_tables`) or a reused document's name. With a pool, the next two
        chunks are being extracted while one is written, and no more: results never pile up in memory."""
        parts = [self._items(self.jobs[i:i + self.chunk]) for i in range(0, len(self.jobs), self.chunk)]
        pending = [(items, self._extract(items)) for items in parts[:2]]
        for nxt in parts[2:] + [None, None]:
            if not pending:
                break
            items, wait = pending.pop(0)
            if nxt is not None:
                pending.append((nxt, self._extract(nxt)))
            fresh = iter(wait())
            yield [next(fresh) if isinstance(i, list) else i for i in items]

    def __iter__(self):
        ids = {"facts": 0, "targets": 0, "mentions": 0}
        parts = self._new_parts()
        run: list[str] = []         # reused documents not yet handed on: one copy for the whole run
        for part in self._parts():
            for r in part:
                if isinstance(r, str):
                    if parts["bases"]:
                        yield self._chunk_tables(parts, ids)
                        parts = self._new_parts()
                    run.append(r)
                    if len(run) == COPY_DOCS:
                        yield self._copy_of(run, ids)
                        run = []
                    continue
                if run:
                    yield self._copy_of(run, ids)
                    run = []
                parts["bases"].append(ids["mentions"] + 1)     # the batch's first mention id
                for k in ("mentions", "facts"):
                    parts[f"n_{k}"].append(r[k].num_rows if r[k] is not None else 0)
                ids["mentions"] += r["mentions_n"]
                self.warnings.extend(r["warnings"])
                if r["dropped"] is not None:
                    self.dropped.extend(zip(r["dropped"]["doc"].to_pylist(), r["dropped"]["message"].to_pylist()))
                for k in TABLES:
                    if r[k] is not None:
                        parts[k].append(r[k])
            if parts["bases"]:
                yield self._chunk_tables(parts, ids)
                parts = self._new_parts()
        if run:
            yield self._copy_of(run, ids)

    @staticmethod
    def _new_parts() -> dict:
        """An empty chunk: per table the Arrow tables of its batches; per batch its first mention
        id (``bases``) and its numbers of mentions and facts."""
        return {**{k: [] for k in TABLES}, "bases": [], "n_mentions": [], "n_facts": []}

    def _copy_of(self, run: list[str], ids: dict) -> dict:
        """The copy of a run of reused documents, numbered after ``ids`` (advanced past it)."""
        copy = Copy(self.source, run, ids["facts"], ids["targets"], ids["mentions"])
        self.counts["documents"] += len(run)
        for i, k in enumerate(("facts", "targets", "mentions")):
            n = sum(self._rows[d][i] for d in run)
            ids[k] += n
            self.counts[k] += n
        return {"copy": copy}

    def _chunk_tables(self, parts: dict, ids: dict) -> dict[str, pa.Table]:
        """One chunk's batches (``parts``, see :meth:`_new_parts`) as one Arrow table per table:
        mention numbers (0, 1, … within a batch, in mentions, facts and a fact's ``inputs``)
        made warehouse ids after the mentions of earlier documents, sequential fact and target ids
        after ``ids`` (advanced), the corrections applied; ``None`` for a table without rows."""
        out = {k: pa.concat_tables(parts[k]) if parts[k] else None for k in TABLES}
        bases = np.asarray(parts["bases"], dtype=np.int32)
        for k in ("mentions", "facts"):
            if out[k] is not None:
                shift = np.repeat(bases, parts[f"n_{k}"])
                i = out[k].column_names.index("mention_id")
                out[k] = out[k].set_column(i, "mention_id", pc.add_checked(out[k]["mention_id"], pa.array(shift)))
        if out["facts"] is not None:
            inputs = out["facts"]["inputs"].combine_chunks()
            shift = np.repeat(np.repeat(bases, parts["n_facts"]), pc.list_value_length(inputs).to_numpy())
            values = pc.add_checked(inputs.flatten(), pa.array(shift))
            i = out["facts"].column_names.index("inputs")
            out["facts"] = out["facts"].set_column(i, "inputs", pa.ListArray.from_arrays(inputs.offsets, values))
        for table, key in (("facts", "fact_id"), ("targets", "target_id")):
            if out[table] is None:
                continue
            n = out[table].num_rows
            out[table] = (out[table].append_column(key, pa.array(np.arange(ids[table] + 1, ids[table] + n + 1, dtype=np.int32)))
                          .append_column("corrected", pa.repeat(False, n))
                          .append_column("original_value", pa.nulls(n, pa.float64()))
                          .append_column("correction", pa.repeat("", n)))
            ids[table] += n
        if self.corrections and (out["facts"] is not None or out["targets"] is not None):
            rows = {k: out[k].to_pandas() for k in ("facts", "targets") if out[k] is not None}
            apply_corrections(rows, self.corrections)     # keyed by document: a chunk at a time is the same
            out.update({k: pa.Table.from_pandas(rows[k], preserve_index=False) for k in ("facts", "targets")
                        if k in rows})
        for k in TABLES:
            self.counts[k] += out[k].num_rows if out[k] is not None else 0
        return out


def indicator_rows() -> pd.DataFrame:
    """The catalog as the ``indicators`` table: one row per indicator (columns of
    etl.schema.Indicator: id, names and category in both languages, unit, decimals, direction,
    headline, phrasings joined by '|'). Raises CatalogError for a broken catalog file."""
    cat = load_catalog()
    return pd.DataFrame([
        {"id": i.id, "name_zh": i.name_zh, "name_en": i.name_en, "category": i.category,
         "category_zh": cat.categories.get(i.category, {}).get("zh", i.category),
         "category_en": cat.categories.get(i.category, {}).get("en", i.category), "unit": i.unit,
         "decimals": i.decimals, "direction": i.direction, "headline": i.headline,
         "phrases": "|".join(dict.fromkeys(p.text for p in i.phrases))} for i in cat.indicators.values()])


def all_tables(raw_dir: Path, workers: int | None = None) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """Every table's rows at once (small folders and tests), and the warnings (messages) of
    documents that were kept. Documents that could not be used are rows of ``dropped`` (doc,
    message). The result does not depend on the pool. Conflicts between documents are not here:
    they are computed in the database after loading (:data:`CONFLICTS_SQL`)."""
    with DocumentStream(raw_dir, workers) as stream:
        chunks = list(stream)
    tables = {k: pd.concat([c[k].to_pandas() for c in chunks if c[k] is not None], ignore_index=True)
              if any(c[k] is not None for c in chunks) else pd.DataFrame() for k in TABLES}
    tables["indicators"] = indicator_rows()
    return tables, stream.warnings


# Two documents giving different values for one district, indicator and period: both facts stay;
# each later fact (by fact_id) that differs from the first one of its key is listed.
CONFLICTS_SQL = """
INSERT INTO flags
WITH first AS (
    SELECT district, indicator, period, min(fact_id) AS first_id,
           arg_min(doc, fact_id) AS first_doc, arg_min(value, fact_id) AS first_value
    FROM facts GROUP BY district, indicator, period HAVING count(*) > 1)
SELECT f.doc, f.district, f.period, f.indicator, 'conflict',
       '与「' || first.first_doc || '」的数值 ' || coalesce(CAST(first.first_value AS VARCHAR), 'None')
           || ' 不一致，两者均保留 (conflicting sources, both kept)',
       f.start, f."end", f.quote
FROM facts f JOIN first USING (district, indicator, period)
WHERE f.fact_id <> first.first_id AND f.doc <> first.first_doc AND f.value IS DISTINCT FROM first.first_value
ORDER BY f.fact_id
"""


BUILD_MEMORY_MB = 256   # DuckDB's own buffer while a generation is written
CHECKPOINT_MB = BUILD_MEMORY_MB // 2   # rows committed but not yet checkpointed (held in memory) before a checkpoint;
                                       # each checkpoint rewrites the table's last row group (all documents' text of it),
                                       # so checkpointing every 16 MB (DuckDB's default) costs more the more is written
KEEP_GENERATIONS = 3  # the current one and two before it, for readers that resolved the link a moment ago


@dataclass(frozen=True)
class Copy:
    """A run of reused documents (names, consecutive in document order) to copy from the
    generation ``source``, numbered after ``facts`` facts, ``targets`` targets and ``mentions``
    mentions of the documents before them."""
    source: Path
    docs: list
    facts: int
    targets: int
    mentions: int


def _copy(con, c: Copy) -> None:
    """Copy the rows of ``c.docs`` from ``c.source`` (attached as ``old``) into the tables of
    ``con``, numbered as a fresh extraction of them at this place numbers them: a document's fact,
    target and mention ids (consecutive in every generation) follow those of the documents before
    it (``c.facts``, ``c.targets``, ``c.mentions`` before the run), a derived figure's inputs
    likewise; conflict flags are left out (recomputed after loading). Rows lie in document order in
    every table, so the document range lets DuckDB skip other documents' row groups."""
    if not any(r[0] == "old" for r in con.execute("SELECT database_name FROM duckdb_databases()").fetchall()):
        con.execute("ATTACH ? AS old (READ_ONLY)", [str(c.source)])
    within = "doc BETWEEN $lo AND $hi AND doc IN (SELECT doc FROM _docs)"
    bounds = {"lo": min(c.docs), "hi": max(c.docs)}
    con.execute("CREATE OR REPLACE TEMP TABLE _docs AS SELECT unnest($docs) AS doc, unnest(range(len($docs))) AS ord",
                {"docs": c.docs})
    # Per document: its first id of each kind there (base) and here (off).
    parts = {"f": ("facts", "fact_id", c.facts), "t": ("targets", "target_id", c.targets),
             "m": ("mentions", "mention_id", c.mentions)}
    groups = " ".join(f"LEFT JOIN (SELECT doc, min({key}) AS {x}base, count(*) AS {x}n FROM old.{table} "
                      f"WHERE {within} GROUP BY doc) USING (doc)" for x, (table, key, _) in parts.items())
    offsets = ", ".join(f"{x}base, CAST({before + 1} + coalesce(sum({x}n) OVER (ORDER BY ord ROWS BETWEEN "
                        f"UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS INTEGER) AS {x}off"
                        for x, (_, _, before) in parts.items())
    con.execute(f"CREATE OR REPLACE TEMP TABLE _base AS SELECT doc, {offsets} FROM _docs {groups}", bounds)
    renumbered = {"fact_id": "fact_id - fbase + foff", "target_id": "target_id - tbase + toff",
                  "mention_id": "mention_id - mbase + moff",
                  "inputs": "CASE WHEN len(inputs) = 0 THEN inputs ELSE list_transform(inputs, lambda x: x - mbase + moff) END",
                  "corrected": "false", "original_value": "NULL::DOUBLE", "correction": "''"}
    for table, order in (("documents", "doc"), ("facts", "fact_id"), ("targets", "target_id"),
                         ("mentions", "mention_id"), ("flags", "rowid")):
        names = schema_columns(table)
        cols = [f'{renumbered[n]} AS "{n}"' if n in renumbered else f'"{n}"' for n in names]
        join = "JOIN _base USING (doc)" if table in ("facts", "targets", "mentions") else ""
        kind = "AND kind <> 'conflict'" if table == "flags" else ""
        con.execute(f"INSERT INTO {table} ({', '.join(f'{chr(34)}{n}{chr(34)}' for n in names)}) "
                    f"SELECT {', '.join(cols)} FROM old.{table} {join} WHERE {within} {kind} ORDER BY {order}", bounds)


def _insert(con, table: str, data) -> None:
    """Append a DataFrame or Arrow table to ``table``, matching columns by name (columns the
    table has and the data lacks stay NULL). SchemaError when the data has a column the table's
    declaration (etl.schema) does not: a misnamed key is an error, never a silent NULL."""
    if data is None or len(data) == 0:
        return
    given = [c for c in data.columns if c] if isinstance(data, pd.DataFrame) else list(data.column_names)
    unknown = sorted(set(given) - set(schema_columns(table)))
    if unknown:
        raise SchemaError(f"表 {table} 没有列 {unknown} (unknown columns for {table})")
    names = ", ".join(f'"{c}"' for c in given)
    con.register("_incoming", data)
    try:
        con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM _incoming")
    finally:
        con.unregister("_incoming")


def write_warehouse(tables, db: Path, reference: pd.DataFrame | None = None) -> Path:
    """Write the tables to a new generation file and point ``db`` at it; return the generation.

    ``tables``: ``{table: DataFrame or Arrow table}``, or an iterable of such chunks (a
    :class:`DocumentStream`),
    appended in order, so only one chunk is held in memory. Conflicts between documents are
    computed in the database once everything is loaded.

    The generation is written under a temporary name, checkpointed, renamed, and only then the
    link ``db`` is swapped (``os.replace`` of a new symbolic link): a reader sees the old or the
    new warehouse, never a half-built one. Older generations beyond ``KEEP_GENERATIONS`` are
    deleted (a reader that still has one open keeps reading it: POSIX keeps an unlinked file
    until it is closed). Leftovers of a killed build are removed first."""
    gens = settings.generations_dir(db)
    gens.mkdir(parents=True, exist_ok=True)
    clean_leftovers(db)
    ns = time.time_ns()  # names sort in build order
    name = f"{time.strftime('%Y%m%dT%H%M%S', time.localtime(ns // 10**9))}-{ns % 10**9:09d}-{os.getpid()}.duckdb"
    tmp = gens / f"{name}.tmp-{os.getpid()}"
    final = gens / name
    chunks = [tables] if isinstance(tables, dict) else tables
    spill = Path(tempfile.mkdtemp(prefix="fazhi-build-"))   # DuckDB's own spill files, never beside the warehouse
    try:
        con = duckdb.connect(str(tmp))
        try:
            con.execute(f"SET memory_limit = '{BUILD_MEMORY_MB}MB'")  # spill and evict rather than grow
            con.execute(f"SET temp_directory = '{spill.as_posix()}'")
            con.execute(f"SET checkpoint_threshold = '{CHECKPOINT_MB}MB'")
            threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
            con.execute("SET threads = 1")  # while loading, the workers have the cores (and a thread per core
                                            # costs more to coordinate over many small Arrow batches than it gains)
            con.execute(ddl(keys=False))   # the keys' indexes once every row is in: cheaper than row by row
            # Each chunk is committed on its own: DuckDB checkpoints as the WAL grows and can
            # evict what it wrote (one transaction would hold every document's raw text until
            # its commit: a row group of `documents` is 122,880 rows).
            for chunk in chunks:
                for table, data in chunk.items():
                    if table == "copy":
                        _copy(con, data)
                    else:
                        _insert(con, table, data)
            if any(r[0] == "old" for r in con.execute("SELECT database_name FROM duckdb_databases()").fetchall()):
                con.execute("DETACH old")
            con.execute(f"SET threads = {int(threads)}")   # the workers are done: indexes and conflicts use every core
            con.execute(key_ddl())          # a duplicate key fails the build here; later inserts are checked
            con.execute(CONFLICTS_SQL)
            if reference is not None and not reference.empty:
                con.register("_ref", reference[["area", "indicator", "year", "value", "source"]])
                con.execute("INSERT INTO reference SELECT * FROM _ref")
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(tmp, final)
        link = db.with_name(f".{db.name}.link-{os.getpid()}")
        link.unlink(missing_ok=True)
        os.symlink(os.path.join(gens.name, name), link)
        os.replace(link, db)
    finally:
        tmp.unlink(missing_ok=True)
        Path(f"{tmp}.wal").unlink(missing_ok=True)
        shutil.rmtree(spill, ignore_errors=True)
    _prune(db)
    return final


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_leftovers(db: Path) -> list[Path]:
    """Delete what a killed build left: temporary databases, their .wal files and half-made links
    of processes that no longer run. Returns the paths removed."""
    removed = []
    candidates = [*settings.generations_dir(db).glob("*.tmp-*"), *db.parent.glob(f".{db.name}.link-*"),
                  *db.parent.glob(f"{db.name}.tmp-*")]
    for p in candidates:
        pid = p.name.rsplit("-", 1)[-1].split(".")[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            p.unlink(missing_ok=True)
            removed.append(p)
    return removed


def _prune(db: Path) -> None:
    current = settings.current_warehouse(db)
    gens = sorted(settings.generations_dir(db).glob("*.duckdb"))
    for old in gens[:-KEEP_GENERATIONS]:
        if old != current:
            old.unlink(missing_ok=True)
            Path(f"{old}.wal").unlink(missing_ok=True)


def read_reference() -> pd.DataFrame | None:
    """data/reference/reference.csv (area, indicator, year, value, source) or None."""
    path = settings.data_dir() / "reference" / "reference.csv"
    if not path.exists():
        return None
    df = pd.read_csv(path, dtype={"area": str, "indicator": str, "source": str}, keep_default_na=False)
    for col in ("area", "indicator", "source"):
        df[col] = df[col].map(restore_formula)
    return df


@dataclass(frozen=True)
class Built:
    """What a build did: ``message`` (Chinese and English summary), ``dropped`` ((doc, message)
    of every document left out), ``generation`` (the file written; None when up to date)."""
    message: str
    dropped: tuple = ()
    generation: Path | None = None


def build(if_missing: bool = False, db: Path | None = None, raw_dir: Path | None = None,
          workers: int | None = None, full: bool = False) -> Built:
    """Build the warehouse from ``raw_dir`` (default data/raw) into a new generation behind
    ``db`` (default the warehouse link). With ``if_missing``: only when missing or older than its
    inputs. Documents unchanged since the current generation (same bytes, metadata record,
    extractor and catalog; no correction) keep their rows from it instead of being extracted
    again (:class:`DocumentStream`'s ``reuse``; the tables are the same); ``full`` extracts every
    document. Raises InputError (raw folder missing, unreadable metadata.csv or corrections) —
    the warehouse is then left as it was. Documents that cannot be used are left out and
    listed in ``Built.dropped`` and in the ``dropped`` table."""
    db = db or settings.warehouse_path()
    raw_dir = raw_dir or settings.raw_dir()
    if not raw_dir.is_dir():
        raise InputError(f"找不到原始报告目录「{raw_dir}」(raw data folder missing)")
    if if_missing and not is_stale(db, raw_dir):
        return Built(f"数据库已是最新，未重建 (warehouse up to date): {db}")
    t0 = time.perf_counter()
    corrections = read_corrections()
    records = active_corrections(corrections)
    with DocumentStream(raw_dir, workers, corrections=corrections,
                        reuse=None if full else settings.current_warehouse(db)) as stream:
        def chunks():
            yield {"indicators": indicator_rows()}
            yield from stream
            yield {"corrections": pd.DataFrame([{**c, "active": c in records} for c in corrections])}
        gen = write_warehouse(chunks(), db, read_reference())
    for msg in stream.warnings:
        print(f"警告：{msg}", file=sys.stderr)
    n = dict(stream.counts)
    con = duckdb.connect(str(gen), read_only=True)
    try:
        n["flags"] = con.execute("SELECT count(*) FROM flags").fetchone()[0]
    finally:
        con.close()
    dropped = tuple(stream.dropped)
    message = (f"已构建 {db}：{n['documents']} 份文件、{n['facts']} 条数据、{n['targets']} 条目标、"
               f"{n['flags']} 条标记，用时 {time.perf_counter() - t0:.2f} 秒 "
               f"(built: {n['documents']} documents, {n['facts']} facts, {n['targets']} targets)")
    if stream.reused:
        message += (f"\n其中 {stream.reused} 份文件未变，沿用上一版的抽取结果，未重新抽取 "
                    f"({stream.reused} unchanged documents reused)")
    if dropped:
        message += (f"\n有 {len(dropped)} 份文件未能使用，已跳过 ({len(dropped)} documents left out):\n"
                    + "\n".join(f"  {doc}：{msg}" for doc, msg in dropped))
    return Built(message, dropped, gen)
