"""The warehouse build: tables, determinism, atomic replacement, bad input leaves it as it was."""
import hashlib

import duckdb
import pyarrow as pa
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


def test_a_derived_figure_joins_to_its_input_figures_by_id(home):
    build()
    db = home / "data" / "warehouse.duckdb"
    # a ratio's inputs are facts themselves: 北碚区 2020 人民调解成功率 = 2348 / 2384
    rows = table(db, "SELECT g.indicator, g.value FROM facts f JOIN facts g ON list_contains(f.inputs, g.mention_id) "
                     "WHERE f.district = '北碚区' AND f.indicator = 'people_mediation_success_rate' ORDER BY g.value")
    assert rows == [("people_mediation_success", 2348.0), ("people_mediation_cases", 2384.0)]
    # a sum's parts are mentions only (区政府 929 + 部门 1022), each marked as summed
    (formula, parts), = table(db, "SELECT formula, list(m.value ORDER BY m.value) FROM facts f JOIN mentions m "
                                  "ON list_contains(f.inputs, m.mention_id) WHERE f.rule = 'derived_sum' GROUP BY formula")
    assert formula == "929 + 1022" and parts == [929.0, 1022.0]
    # every fact is its own mention, and a stated figure has no inputs
    assert table(db, "SELECT count(*) FROM facts f JOIN mentions m USING (mention_id) "
                     "WHERE m.indicator = f.indicator AND m.value = f.value AND m.status = 'kept'") == \
        table(db, "SELECT count(*) FROM facts")
    assert table(db, "SELECT count(*) FROM facts WHERE NOT derived AND len(inputs) > 0") == [(0,)]


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
    assert "未重建" in build(if_missing=True).message
    assert checksum(db) == before


def test_if_missing_rebuilds_after_the_extractor_changed(home, tmp_path, monkeypatch):
    import os
    import etl.build
    build()
    code = tmp_path / "code"
    code.mkdir()
    (code / "rules.py").write_text("# changed", encoding="utf-8")
    later = (home / "data" / "warehouse.duckdb").stat().st_mtime + 10
    os.utime(code / "rules.py", (later, later))
    monkeypatch.setattr(etl.build, "CODE_DIR", code)
    assert "未重建" not in build(if_missing=True).message


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


def test_a_bad_file_in_raw_is_listed_as_dropped_and_the_rest_still_builds(home):
    (home / "data" / "raw" / "broken.txt").write_bytes(b"\x00\x01\x02" * 100)
    built = build()
    assert built.dropped == (("broken.txt", "「broken.txt」是二进制文件，不是文本报告 (binary file, not a text report)"),)
    assert "有 1 份文件未能使用，已跳过" in built.message
    db = home / "data" / "warehouse.duckdb"
    assert table(db, "SELECT count(*) FROM documents") == [(5,)]
    assert table(db, "SELECT doc FROM dropped") == [("broken.txt",)]


def run_cli(home, *args):
    import os
    import subprocess
    import sys
    from tests.conftest import REPO
    return subprocess.run([sys.executable, "-m", "etl", *args], cwd=REPO, capture_output=True, text=True,
                          env={**os.environ, "FAZHI_HOME": str(home)})


def test_a_document_with_a_bad_period_in_metadata_is_dropped_and_the_build_exits_non_zero(home):
    meta = home / "data" / "raw" / "metadata.csv"
    lines = meta.read_text(encoding="utf-8").splitlines()
    fields = lines[2].split(",")
    fields[4] = "二〇二〇"                    # the period column of 001 (渝北区 2021)
    meta.write_text("\n".join([lines[0], lines[1], ",".join(fields), *lines[3:]]) + "\n", encoding="utf-8")
    r = run_cli(home, "build")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "有 1 份文件未能使用，已跳过" in r.stdout
    assert "001_5a39812d42fbe727.txt：时期「二〇二〇」格式不对，应为 YYYY 或 YYYY-YYYY" in r.stdout
    assert table(home / "data" / "warehouse.duckdb", "SELECT count(*) FROM documents") == [(4,)]


@pytest.mark.parametrize("content, message", [
    (b"title,district\nx,y\n", "缺少 doc 列；列应为 doc,title,district,doc_type,period,doc_date,sha256"),
    (b"\x00\xff\xfe garbage \x00" * 20, "不是 UTF-8 文本（第 1 字节无法解码）"),
    (b"doc,title\n\x00\x01,\x00\n", "含有二进制内容，不是 CSV 文本，请从备份恢复 (metadata.csv holds binary data)"),
])
def test_a_broken_metadata_file_is_a_message_and_the_warehouse_stays(home, content, message):
    build()
    before = checksum(home / "data" / "warehouse.duckdb")
    (home / "data" / "raw" / "metadata.csv").write_bytes(content)
    r = run_cli(home, "build")
    assert r.returncode == 2 and message in r.stderr and "Traceback" not in r.stderr
    assert checksum(home / "data" / "warehouse.duckdb") == before


@pytest.mark.parametrize("lines, message", [
    (['{"id": 1, "made_at": "2026-01-01", "who": "a", "action": "set", "tbl": "facts", "doc": "d", "indicator": "i",',],
     "第 1 行不是完整的 JSON 记录（可能写入时被中断），请从备份恢复该行或删除它 (line 1 is not a complete JSON record)"),
    (['{"id": 1, "who": "a"}'], "第 1 行缺少字段 made_at、action、tbl、doc、indicator、period、after、reason (line 1 lacks keys)"),
])
def test_a_broken_corrections_file_is_a_message_and_the_warehouse_stays(home, lines, message):
    build()
    before = checksum(home / "data" / "warehouse.duckdb")
    (home / "data" / "corrections.jsonl").write_text("\n".join(lines), encoding="utf-8")
    r = run_cli(home, "build")
    assert r.returncode == 2 and message in r.stderr and "Traceback" not in r.stderr
    assert checksum(home / "data" / "warehouse.duckdb") == before


def fails_leaving_the_old_warehouse(home, monkeypatch, change, error):
    """A full build whose chunks pass through ``change`` (Arrow tables → Arrow tables) raises
    ``error``, and the warehouse link and every generation file stay as they were."""
    import etl.build as b
    build()
    db = home / "data" / "warehouse.duckdb"
    before, gens = checksum(db), sorted((home / "data" / "warehouse.duckdb.d").iterdir())
    real = b.DocumentStream._chunk_tables
    monkeypatch.setattr(b.DocumentStream, "_chunk_tables", lambda self, *args: change(real(self, *args)))
    with pytest.raises(error):
        build(full=True)
    assert checksum(db) == before
    assert sorted((home / "data" / "warehouse.duckdb.d").iterdir()) == gens


def test_a_failed_build_leaves_the_old_warehouse_byte_for_byte(home, monkeypatch):
    def corrupt(tables):  # the insert into facts fails half-way through writing the new file
        facts = tables["facts"]
        tables["facts"] = facts.set_column(facts.column_names.index("value"), "value",
                                           pa.array(["not a number"] * facts.num_rows))
        return tables
    fails_leaving_the_old_warehouse(home, monkeypatch, corrupt, duckdb.Error)


@pytest.mark.parametrize("key", ["fact_id", "doc_indicator_period"])
def test_a_duplicate_key_fails_the_build_and_the_old_warehouse_stays(home, monkeypatch, key):
    """The keys' indexes are created after loading: a duplicate still fails the build, loudly."""
    def duplicate(tables):  # the first fact twice: same fact_id, or same document, indicator and period
        facts = tables["facts"]
        twin = facts.slice(0, 1)
        if key != "fact_id":
            twin = twin.set_column(twin.column_names.index("fact_id"), "fact_id", pa.array([10**6], pa.int32()))
        tables["facts"] = pa.concat_tables([facts, twin])
        return tables
    fails_leaving_the_old_warehouse(home, monkeypatch, duplicate, duckdb.ConstraintException)


def test_the_built_warehouse_refuses_a_later_duplicate(home):
    build()
    con = duckdb.connect(str(current_warehouse(home / "data" / "warehouse.duckdb")))
    try:
        with pytest.raises(duckdb.ConstraintException):   # same document, indicator and period
            con.execute("INSERT INTO facts SELECT * REPLACE (fact_id + 100000 AS fact_id) FROM facts LIMIT 1")
        with pytest.raises(duckdb.ConstraintException):   # same id
            con.execute("INSERT INTO facts SELECT * REPLACE (period || 'x' AS period) FROM facts LIMIT 1")
        with pytest.raises(duckdb.ConstraintException):
            con.execute("INSERT INTO documents SELECT * FROM documents LIMIT 1")
        with pytest.raises(duckdb.ConstraintException):
            con.execute("INSERT INTO mentions SELECT * FROM mentions LIMIT 1")
        with pytest.raises(duckdb.ConstraintException):
            con.execute("INSERT INTO facts SELECT * REPLACE (NULL AS fact_id, period || 'x' AS period) FROM facts LIMIT 1")
    finally:
        con.close()


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
    from etl.build import all_tables
    raw = home / "data" / "raw"
    one, _ = all_tables(raw, workers=1)
    two, _ = all_tables(raw, workers=2)
    for name in ("documents", "facts", "targets", "mentions", "flags"):
        assert one[name].equals(two[name]), name


def test_documents_stream_in_chunks_in_document_order(home):
    from etl.build import DocumentStream
    with DocumentStream(home / "data" / "raw", workers=1, chunk=2) as stream:
        docs = [chunk["documents"].column("doc").to_pylist() for chunk in stream]
    assert docs == [[p.name for p in SEEDS[:2]], [p.name for p in SEEDS[2:4]], [SEEDS[4].name]]
    assert stream.counts["documents"] == 5 and stream.counts["facts"] > 0


def test_the_chunk_size_and_the_pool_do_not_change_the_warehouse(home, monkeypatch):
    import etl.build as b
    tables = ("documents ORDER BY doc", "facts ORDER BY fact_id", "targets ORDER BY target_id", "mentions",
              "flags", "dropped")
    build(workers=1)
    db = home / "data" / "warehouse.duckdb"
    first = [table(db, f"SELECT * FROM {t}") for t in tables]
    monkeypatch.setattr(b, "CHUNK_DOCS", 2)
    build(workers=2)
    assert [table(db, f"SELECT * FROM {t}") for t in tables] == first


def test_ids_are_sequential_in_document_order(home):
    build()
    db = home / "data" / "warehouse.duckdb"
    for tbl, key in (("facts", "fact_id"), ("targets", "target_id")):
        rows = table(db, f"SELECT {key}, doc FROM {tbl} ORDER BY {key}")
        assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
        assert [r[1] for r in rows] == sorted(r[1] for r in rows)


def test_a_conflict_is_flagged_for_each_later_document_that_differs_from_the_first(home):
    raw = home / "data" / "raw"
    text = (raw / SEEDS[2].name).read_text(encoding="utf-8")
    assert "全区行政审批时限压缩率81%" in text
    (raw / "zz_same.txt").write_text(text, encoding="utf-8")
    (raw / "zz_other.txt").write_text(text.replace("全区行政审批时限压缩率81%", "全区行政审批时限压缩率83.5%"),
                                      encoding="utf-8")
    build()
    rows = table(home / "data" / "warehouse.duckdb", "SELECT doc, indicator, message FROM flags WHERE kind = 'conflict'")
    assert rows == [("zz_other.txt", "approval_time_compression_rate",
                     f"与「{SEEDS[2].name}」的数值 81.0 不一致，两者均保留 (conflicting sources, both kept)")]


def test_corrections_apply_in_every_chunk(home, monkeypatch):
    import etl.build as b
    from etl.corrections import append_correction
    monkeypatch.setattr(b, "CHUNK_DOCS", 1)
    append_correction("set", ("actual", "approval_time_compression_rate", "2020"), SEEDS[2].name, "张三", "复核", after=80.5)
    append_correction("reject", ("actual", "online_service_rate", "2021"), SEEDS[1].name, "张三", "重复")
    build()
    db = home / "data" / "warehouse.duckdb"
    assert table(db, "SELECT value, original_value, corrected FROM facts WHERE doc = ? AND indicator = ?".replace(
        "?", "'{}'").format(SEEDS[2].name, "approval_time_compression_rate")) == [(80.5, 81.0, True)]
    assert table(db, f"SELECT count(*) FROM facts WHERE doc = '{SEEDS[1].name}' AND indicator = 'online_service_rate'") == [(0,)]
    assert table(db, "SELECT count(*) FROM facts WHERE corrected IS NULL") == [(0,)]
    assert table(db, "SELECT count(*), count(*) FILTER (WHERE active) FROM corrections") == [(2, 2)]


def test_a_pool_build_leaves_no_result_files_whether_it_succeeds_or_fails(home, monkeypatch, tmp_path):
    """Workers hand their tables back as files in a temporary folder of their own; it is gone
    after the build, and after a build that failed half-way."""
    import tempfile

    import etl.build as b
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.setattr(b, "BATCH_DOCS", 2)      # several result files per chunk
    build(workers=2, full=True)
    assert list(scratch.iterdir()) == []
    assert table(home / "data" / "warehouse.duckdb", "SELECT count(*) FROM documents") == [(5,)]

    def corrupt(tables):
        facts = tables["facts"]
        tables["facts"] = facts.set_column(facts.column_names.index("value"), "value",
                                           pa.array(["not a number"] * facts.num_rows))
        return tables
    real = b.DocumentStream._chunk_tables
    monkeypatch.setattr(b.DocumentStream, "_chunk_tables", lambda self, *args: corrupt(real(self, *args)))
    with pytest.raises(duckdb.Error):
        build(workers=2, full=True)
    assert list(scratch.iterdir()) == []
