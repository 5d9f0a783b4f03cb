"""One declaration per warehouse table: the DDL, the loader's column kinds and the README's table
come from it, and the database enforces what readers rely on."""
import duckdb
import pytest

from etl.schema import DDL, SchemaError, TABLES, check_columns, column_kinds, columns, markdown_table
from tests.conftest import REPO


def test_the_readme_table_is_the_declaration():
    assert markdown_table() in (REPO / "README.md").read_text(encoding="utf-8")


def test_the_ddl_creates_every_declared_column_in_order():
    con = duckdb.connect()
    con.execute(DDL)
    for table in TABLES:
        got = [r[0] for r in con.execute("SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                                         "ORDER BY ordinal_position", [table]).fetchall()]
        assert got == columns(table)
    assert column_kinds("facts")["value"] == "number" and column_kinds("facts")["derived"] == "bool"


def fact(**over):
    row = {c: None for c in columns("facts")}
    row.update(fact_id=1, mention_id=1, doc="d", district="x", period="2021", span_kind="annual", indicator="litigation_loss_rate",
               value=5.0, unit="%", qualifier="exact", scope_level="district")
    row.update(over)
    return row


def insert(con, row):
    cols = ", ".join(f'"{c}"' for c in row)
    con.execute(f"INSERT INTO facts ({cols}) VALUES ({', '.join('?' * len(row))})", list(row.values()))


@pytest.mark.parametrize("bad", [
    {"value": 250.0},                        # a rate of 250 %
    {"value": -5.0, "unit": "件"},           # a negative count
    {"qualifier": "roughly"},                # not an enumerated qualifier
    {"span_kind": "decade"},
    {"scope_level": "county"},
    {"denominator": -1.0},
])
def test_the_warehouse_rejects_a_row_readers_could_not_rely_on(bad):
    con = duckdb.connect()
    con.execute(DDL)
    insert(con, fact())
    with pytest.raises(duckdb.ConstraintException):
        insert(con, fact(fact_id=2, period="2020", **bad))


def test_two_kept_facts_for_one_document_indicator_and_period_are_refused():
    con = duckdb.connect()
    con.execute(DDL)
    insert(con, fact())
    with pytest.raises(duckdb.ConstraintException):
        insert(con, fact(fact_id=2, value=6.0))


def test_a_column_mismatch_is_an_error():
    check_columns("dropped", ["message", "doc"])
    with pytest.raises(SchemaError, match=r"缺少 \['message'\]，多出 \['mesage'\]"):
        check_columns("dropped", ["doc", "mesage"])


def test_the_build_refuses_a_misnamed_column_instead_of_writing_null():
    from etl.build import _insert
    import pandas as pd
    con = duckdb.connect()
    con.execute(DDL)
    with pytest.raises(SchemaError, match=r"表 dropped 没有列 \['mesage'\]"):
        _insert(con, "dropped", pd.DataFrame({"doc": ["a.txt"], "mesage": ["x"]}))


def test_every_flag_kind_the_extractor_writes_is_declared():
    """A kind missing from FLAG_KINDS would fail the build on its CHECK: read the extractor's calls."""
    import re
    from etl.schema import FLAG_KINDS
    src = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "etl").glob("*.py"))
    written = set(re.findall(r'self\.flag\([^"\n]*"([a-z_]+)"', src)) | set(re.findall(r'kind(?:, msg)? = "([a-z]+_[a-z_]+)"', src))
    assert written and written <= set(FLAG_KINDS), sorted(written - set(FLAG_KINDS))


def test_every_mention_status_has_one_message_per_language_with_the_same_blanks():
    from etl.schema import STATUSES, status_text
    for code, (zh, en) in STATUSES.items():
        assert zh and en and zh.count("{}") == en.count("{}") <= 1, code
    assert status_text("part", "涉企") == "一部分（涉企）的数值，不是全区的总数"
    assert status_text("part", "涉企", "en") == "part of the total or another population (涉企)"
    assert status_text("narrower_scope", "") == "范围较窄（未说明），保留范围更大的数值"
    assert status_text("superseded: 重复表述 (repeated)", "", "en") == "superseded: 重复表述 (repeated)"


def test_every_status_the_extractor_sets_is_declared_and_an_unknown_one_is_refused():
    import re
    from etl.model import Mention
    from etl.schema import STATUSES
    src = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "etl").glob("*.py"))
    written = set(re.findall(r'supersede\("([a-z_]+)"', src)) | set(re.findall(r'status = \("([a-z_]+)", ', src)) | set(re.findall(r'return ind, \("([a-z_]+)"', src))
    assert {"part", "handled", "joined", "unstated_scope"} <= written <= set(STATUSES), sorted(written - set(STATUSES))
    m = Mention("litigation_loss_rate", "actual", 5.0, "%")
    with pytest.raises(ValueError, match="unknown mention status 'narrow'"):
        m.supersede("narrow")
    m.supersede("part", "涉企")
    assert (m.status, m.status_detail) == ("part", "涉企")


def test_the_warehouse_refuses_a_mention_status_outside_the_vocabulary():
    con = duckdb.connect()
    con.execute(DDL)
    row = {c: None for c in columns("mentions")}
    row.update(mention_id=1, doc="d", kind="actual", indicator="x", status="kept")
    cols = ", ".join(f'"{c}"' for c in row)
    sql = f"INSERT INTO mentions ({cols}) VALUES ({', '.join('?' * len(row))})"
    con.execute(sql, list(row.values()))
    with pytest.raises(duckdb.ConstraintException):
        con.execute(sql, list({**row, "mention_id": 2, "status": "superseded: 重复表述 (repeated)"}.values()))


def test_keys_created_after_loading_refuse_rows_loaded_with_a_duplicate():
    """The build loads without indexes (ddl(keys=False)) and adds them after: the duplicate fails then."""
    from etl.schema import ddl, key_ddl
    for duplicate in (fact(fact_id=2, value=6.0), fact(period="2020")):   # same (doc, indicator, period); same id
        con = duckdb.connect()
        con.execute(ddl(keys=False))
        insert(con, fact())
        insert(con, duplicate)                       # not checked yet
        with pytest.raises(duckdb.ConstraintException):
            con.execute(key_ddl())
    con = duckdb.connect()
    con.execute(ddl(keys=False))
    insert(con, fact())
    con.execute(key_ddl())
    with pytest.raises(duckdb.ConstraintException):
        insert(con, fact(fact_id=2, value=6.0))
    assert {r[0] for r in con.execute("SELECT index_name FROM duckdb_indexes()").fetchall()} == {
        "documents_doc", "indicators_id", "facts_fact_id", "facts_doc_indicator_period", "targets_target_id",
        "mentions_mention_id"}
