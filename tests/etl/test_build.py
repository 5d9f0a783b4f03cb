"""The warehouse build: tables, determinism, atomic replacement, bad input leaves it as it was."""
import hashlib

import duckdb
import pytest

from etl.build import KEEP_GENERATIONS, build
from etl.settings import current_warehouse
from tests.conftest import SEEDS
from etl.text import InputError


def checksum(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def table(db, sql):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_build_writes_the_four_contract_tables(home):
    build()
    db = home / "data" / "warehouse.duckdb"
    names = {r[0] for r in table(db, "SELECT table_name FROM information_schema.tables")}
    assert {"documents", "indicators", "facts", "targets"} <= names
    assert table(db, "SELECT count(*) FROM documents") == [(5,)]
    (value, formula, derived), = table(db, "SELECT value, formula, derived FROM facts WHERE district='北碚区' "
                                           "AND indicator='people_mediation_success_rate'")
    assert value == pytest.approx(98.49) and formula == "2348 / 2384 × 100" and derived


def test_every_fact_quote_comes_from_its_span_of_the_document(home):
    build()
    db = home / "data" / "warehouse.duckdb"
    rows = table(db, "SELECT f.quote, substr(d.raw_text, f.start + 1, f.\"end\" - f.start) FROM facts f "
                     "JOIN documents d USING (doc)")
    assert rows
    for quote, raw in rows:
        squeezed = "".join(raw.split())
        assert len(squeezed) == len(quote), (quote, raw)


def test_build_is_deterministic(home):
    build()
    db = home / "data" / "warehouse.duckdb"
    first = table(db, "SELECT * FROM facts ORDER BY fact_id") + table(db, "SELECT * FROM targets ORDER BY target_id")
    build()
    assert table(db, "SELECT * FROM facts ORDER BY fact_id") + table(db, "SELECT * FROM targets ORDER BY target_id") == first


def test_build_writes_a_new_generation_and_leaves_no_temporary_files(home):
    build()
    data = home / "data"
    first = current_warehouse()
    build()
    assert sorted(p.name for p in data.iterdir() if "warehouse" in p.name) == ["warehouse.duckdb", "warehouse.duckdb.d"]
    assert (data / "warehouse.duckdb").is_symlink() and current_warehouse() != first
    assert all(p.suffix == ".duckdb" for p in (data / "warehouse.duckdb.d").iterdir())


def test_only_the_newest_generations_are_kept(home):
    for _ in range(KEEP_GENERATIONS + 2):
        build()
    gens = sorted((home / "data" / "warehouse.duckdb.d").iterdir())
    assert len(gens) == KEEP_GENERATIONS and gens[-1] == current_warehouse()


def test_a_reader_in_the_same_process_sees_every_rebuild(home):
    """DuckDB caches open databases by path: reconnecting to a replaced file returned the old rows.
    Readers open the generation the link names, a new path per build."""
    build()
    old = duckdb.connect(str(current_warehouse()), read_only=True)
    (home / "data" / "raw" / SEEDS[0].name).unlink()
    build()
    new = duckdb.connect(str(current_warehouse()), read_only=True)
    try:
        assert old.execute("SELECT count(*) FROM documents").fetchone()[0] == 5
        assert new.execute("SELECT count(*) FROM documents").fetchone()[0] == 4
    finally:
        old.close()
        new.close()


def test_leftovers_of_a_killed_build_are_removed_by_the_next_build(home):
    build()
    gens = home / "data" / "warehouse.duckdb.d"
    dead = 2 ** 22 + 7  # above the default pid_max: no process has it
    leftovers = [gens / f"x.duckdb.tmp-{dead}", gens / f"x.duckdb.tmp-{dead}.wal",
                 home / "data" / f".warehouse.duckdb.link-{dead}"]
    for p in leftovers:
        p.write_bytes(b"half")
    build()
    assert not any(p.exists() for p in leftovers)


def test_if_missing_skips_an_up_to_date_warehouse(home):
    build()
    db = home / "data" / "warehouse.duckdb"
    before = checksum(db)
    assert "未重建" in build(if_missing=True)
    assert checksum(db) == before


def test_a_reader_holding_the_old_file_does_not_block_a_rebuild(home):
    build()
    db = home / "data" / "warehouse.duckdb"
    reader = duckdb.connect(str(db), read_only=True)
    try:
        build()
        assert reader.execute("SELECT count(*) FROM facts").fetchone()[0] > 0
    finally:
        reader.close()
    assert table(db, "SELECT count(*) FROM documents") == [(5,)]


def test_a_bad_file_in_raw_is_reported_and_the_rest_still_builds(home, capsys):
    (home / "data" / "raw" / "broken.txt").write_bytes(b"\x00\x01\x02" * 100)
    build()
    assert "broken.txt" in capsys.readouterr().err
    assert table(home / "data" / "warehouse.duckdb", "SELECT count(*) FROM documents") == [(5,)]


def test_a_failed_build_leaves_the_old_warehouse_byte_for_byte(home, monkeypatch):
    build()
    db = home / "data" / "warehouse.duckdb"
    before, gens = checksum(db), sorted((home / "data" / "warehouse.duckdb.d").iterdir())
    import etl.build as b
    real = b.frames

    def corrupt(*args):  # the insert into facts fails half-way through writing the new file
        tables, problems = real(*args)
        tables["facts"]["value"] = "not a number"
        return tables, problems
    monkeypatch.setattr(b, "frames", corrupt)
    with pytest.raises(duckdb.Error):
        build()
    assert checksum(db) == before
    assert sorted((home / "data" / "warehouse.duckdb.d").iterdir()) == gens


def test_missing_raw_folder_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("FAZHI_HOME", str(tmp_path))
    with pytest.raises(InputError, match="找不到原始报告目录"):
        build()


def test_metadata_record_overrides_detection(home):
    meta = home / "data" / "raw" / "metadata.csv"
    text = meta.read_text(encoding="utf-8").replace(",北碚区,annual_report,2020,", ",北碚区,annual_report,2021,")
    meta.write_text(text, encoding="utf-8")
    build()
    periods = {r[0] for r in table(home / "data" / "warehouse.duckdb", "SELECT period FROM facts WHERE district='北碚区'")}
    assert "2021" in periods and "2020" in periods  # 「全年」 follows the record; 「2020年度」 stays 2020


def test_a_process_pool_builds_the_same_warehouse(home):
    from etl.build import frames
    raw = home / "data" / "raw"
    one, _ = frames(raw, workers=1)
    two, _ = frames(raw, workers=2)
    for name in ("documents", "facts", "targets", "mentions", "flags"):
        assert one[name].equals(two[name]), name
