"""A rebuild extracts only the documents that changed: the others' rows are read from the
current generation, and the warehouse is the same as a full build's."""
import csv

import duckdb
import pytest

import etl.build as b
from etl.build import build
from etl.corrections import append_correction
from etl.settings import current_warehouse
from tests.conftest import SEEDS

TABLES = ("documents ORDER BY doc", "facts ORDER BY fact_id", "targets ORDER BY target_id",
          "mentions ORDER BY mention_id", "flags ORDER BY doc, start, kind, indicator, period", "dropped ORDER BY doc",
          "corrections ORDER BY id")


def contents(db):
    con = duckdb.connect(str(current_warehouse(db)), read_only=True)
    try:
        return {t: con.execute(f"SELECT * FROM {t}").fetchall() for t in TABLES}
    finally:
        con.close()


def same_as_full_build(home):
    """The warehouse now equals what a full build (every document extracted) writes."""
    db = home / "data" / "warehouse.duckdb"
    now = contents(db)
    build(full=True, workers=1)
    return contents(db) == now


def test_an_unchanged_folder_is_rebuilt_without_extracting_anything(home, extracted, monkeypatch):
    monkeypatch.setattr(b, "CHUNK_DOCS", 2)    # runs of reused documents across chunk boundaries
    db = home / "data" / "warehouse.duckdb"
    build(workers=1)
    first = contents(db)
    assert sorted(extracted) == sorted(p.name for p in SEEDS)
    extracted.clear()
    built = build(workers=1)
    assert extracted == []
    assert built.message.endswith("其中 5 份文件未变，沿用上一版的抽取结果，未重新抽取 (5 unchanged documents reused)")
    assert contents(db) == first
    (keys,), = duckdb.connect(str(current_warehouse(db)), read_only=True).execute(
        "SELECT count(DISTINCT extract_key) FROM documents").fetchall()
    assert keys == 5


def test_only_changed_and_new_documents_are_extracted(home, extracted, monkeypatch):
    monkeypatch.setattr(b, "CHUNK_DOCS", 2)
    raw = home / "data" / "raw"
    build(workers=1)
    extracted.clear()
    changed = raw / SEEDS[1].name
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text + "\n全区人民调解组织共调解纠纷1234件，调解成功1200件。\n", encoding="utf-8")
    (raw / "aa_copy.txt").write_text((raw / SEEDS[3].name).read_text(encoding="utf-8"), encoding="utf-8")
    (raw / SEEDS[4].name).unlink()
    built = build(workers=1)
    assert sorted(extracted) == sorted(["aa_copy.txt", SEEDS[1].name])
    assert "3 unchanged documents reused" in built.message
    assert same_as_full_build(home)


def test_a_changed_metadata_record_extracts_that_document_again(home, extracted):
    raw = home / "data" / "raw"
    build(workers=1)
    extracted.clear()
    with open(raw / "metadata.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows[0]["doc"] == SEEDS[0].name
    rows[0]["title"] = "另一个标题"
    with open(raw / "metadata.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    build(workers=1)
    assert extracted == [SEEDS[0].name]
    assert same_as_full_build(home)


def test_a_changed_extractor_or_catalog_extracts_everything(home, extracted, monkeypatch):
    build(workers=1)
    extracted.clear()
    monkeypatch.setattr(b, "extractor_signature", lambda: "another extractor")
    built = build(workers=1)
    assert len(extracted) == 5 and "reused" not in built.message


def test_the_signature_is_the_extractor_this_process_runs(tmp_path, monkeypatch):
    import shutil

    import etl.catalog
    import etl.grammar

    def forget():                                        # what a new process would read
        etl.catalog.load_catalog.cache_clear(), etl.catalog.load_rules.cache_clear()
        etl.catalog.load_districts.cache_clear()
        etl.grammar._GRAMMAR = None
    code, catalog = tmp_path / "etl", tmp_path / "catalog"
    code.mkdir()
    shutil.copytree(b.settings.CATALOG_DIR, catalog)
    (code / "x.py").write_text("A = 1\n")
    monkeypatch.setattr(b, "CODE_DIR", code)
    monkeypatch.setattr(b.settings, "CATALOG_DIR", catalog)
    monkeypatch.setattr(etl.catalog, "CATALOG_DIR", catalog)
    monkeypatch.setattr(b, "_CODE", b.code_hash())
    forget()
    try:
        first = b.extractor_signature()
        with open(catalog / "rules.yaml", "a", encoding="utf-8") as f:
            f.write("\n# edited\n")
        assert b.extractor_signature() == first          # this process still runs the rules it parsed
        forget()
        second = b.extractor_signature()                 # a process that reads the edited rules
        (code / "x.py").write_text("A = 2\n")
        assert b.extractor_signature() == second and b.code_hash() != b._CODE   # the code it imported
        monkeypatch.setattr(b, "_CODE", b.code_hash())  # a process started after the upgrade
        third = b.extractor_signature()
        monkeypatch.setattr(b.settings, "MAX_REPORT_BYTES", 1024)   # a report over the limit is no longer read
        assert len({first, second, third, b.extractor_signature()}) == 4
    finally:
        monkeypatch.undo()
        forget()


def test_a_warehouse_built_by_another_extractor_is_stale(home, monkeypatch):
    db = home / "data" / "warehouse.duckdb"
    build(workers=1)
    assert not b.is_stale(db, home / "data" / "raw")
    monkeypatch.setattr(b, "_CODE", "a process started after an upgrade")
    assert b.is_stale(db, home / "data" / "raw")


def test_a_corrected_document_is_extracted_again_and_corrected(home, extracted):
    build(workers=1)
    extracted.clear()
    append_correction("set", ("actual", "approval_time_compression_rate", "2020"), SEEDS[2].name, "张三", "复核",
                      after=80.5)
    build(workers=1)
    assert extracted == [SEEDS[2].name]
    extracted.clear()
    build(workers=1)                         # named by a correction: never reused
    assert extracted == [SEEDS[2].name]
    assert same_as_full_build(home)


def test_a_generation_of_an_older_schema_is_not_reused(home, extracted):
    build(workers=1)
    con = duckdb.connect(str(current_warehouse(home / "data" / "warehouse.duckdb")))
    for (index,) in con.execute("SELECT index_name FROM duckdb_indexes() WHERE table_name = 'documents'").fetchall():
        con.execute(f"DROP INDEX {index}")   # DuckDB alters no table an index depends on
    con.execute("ALTER TABLE documents DROP COLUMN extract_key")
    con.close()
    extracted.clear()
    build(workers=1)
    assert len(extracted) == 5
    assert same_as_full_build(home)


def test_reused_rows_are_the_same_with_a_pool(home, extracted, monkeypatch):
    monkeypatch.setattr(b, "CHUNK_DOCS", 2)
    raw = home / "data" / "raw"
    build(workers=1)
    (raw / "zz_new.txt").write_text((raw / SEEDS[0].name).read_text(encoding="utf-8"), encoding="utf-8")
    build(workers=2)
    assert same_as_full_build(home)


def test_the_cli_reuses_by_default_and_extracts_everything_with_full(home):
    import os
    import subprocess
    import sys

    from tests.conftest import REPO

    def etl_build(*flags):
        r = subprocess.run([sys.executable, "-m", "etl", "build", *flags], cwd=REPO, capture_output=True, text=True,
                           env={**os.environ, "FAZHI_HOME": str(home)}, timeout=120)
        assert r.returncode == 0, r.stderr
        return r.stdout
    assert "reused" not in etl_build()
    assert "(5 unchanged documents reused)" in etl_build()
    assert "reused" not in etl_build("--full")


def test_a_copy_failing_half_way_leaves_the_old_warehouse_as_it_was(home, monkeypatch):
    import hashlib
    db = home / "data" / "warehouse.duckdb"
    build(workers=1)
    gens = sorted((home / "data" / "warehouse.duckdb.d").iterdir())
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in gens}
    real = b._copy

    def fail(con, c):                   # the disk fills up after the first run of documents was copied
        real(con, c)
        raise duckdb.IOException("No space left on device")
    monkeypatch.setattr(b, "_copy", fail)
    with pytest.raises(duckdb.IOException):
        build(workers=1)
    after = sorted((home / "data" / "warehouse.duckdb.d").iterdir())
    assert after == gens and {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in after} == before
    assert current_warehouse(db) == gens[-1]


def test_an_import_extracts_only_the_new_report_and_a_correction_only_its_document(home, extracted):
    from etl import store
    build(workers=1)
    extracted.clear()
    seed = next(p for p in SEEDS if "北碚区" in p.read_text(encoding="utf-8"))
    text = (home / "data" / "raw" / seed.name).read_text(encoding="utf-8").replace("北碚区", "渝中区")
    added = store.add("渝中区报告.txt", text.encode("utf-8"), who="张三")
    assert extracted == [added.doc]            # the metadata.csv rewrite leaves the other records' keys alone
    extracted.clear()
    store.correct("facts", added.doc, "approval_time_compression_rate", "2020", "张三", "复核", value=80.5)
    assert extracted == [added.doc]
    assert same_as_full_build(home)
