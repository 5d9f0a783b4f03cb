"""Attacks on incremental rebuilds: after each sequence of user actions, a reuse build's warehouse
must equal a full build's — every table, every column, in physical row order. The full build
goes to a separate warehouse (``build(full=True, db=...)``), so a chain of reuse builds is never
reset by the comparison."""
import csv
import random
import shutil
import subprocess
import sys

import duckdb
import pytest

import etl.build as b
import etl.catalog
import etl.grammar
from etl import settings, store
from etl.build import build
from etl.settings import current_warehouse
from tests.conftest import REPO, SEEDS


def snapshot(db) -> dict:
    """Every table of the generation ``db`` names: its column names and rows in physical order."""
    con = duckdb.connect(str(current_warehouse(db)), read_only=True)
    try:
        tables = [t for (t,) in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY table_name").fetchall()]
        out = {}
        for t in tables:
            cur = con.execute(f"SELECT * FROM {t} ORDER BY rowid")
            rows = cur.fetchall()
            out[t] = ([d[0] for d in cur.description], [tuple("NaN" if v != v else v for v in r) for r in rows])
        return out
    finally:
        con.close()


def full_snapshot(home) -> dict:
    """What a full build (every document extracted) of the same inputs writes, in its own warehouse."""
    other = home / "full" / "warehouse.duckdb"
    other.parent.mkdir(exist_ok=True)
    build(full=True, db=other, workers=1)
    return snapshot(other)


def assert_as_full(home) -> None:
    """The warehouse equals a full build's; on a difference, name the table and the first rows that differ."""
    now, full = snapshot(home / "data" / "warehouse.duckdb"), full_snapshot(home)
    assert now.keys() == full.keys()
    for t in full:
        assert now[t][0] == full[t][0], t
        if now[t][1] != full[t][1]:
            extra = [r for r in now[t][1] if r not in full[t][1]][:2]
            missing = [r for r in full[t][1] if r not in now[t][1]][:2]
            pytest.fail(f"table {t} differs from a full build: {len(now[t][1])} vs {len(full[t][1])} rows; "
                        f"only in reuse build: {extra}; only in full build: {missing}")


def report(district: str, year: int, n: int, k: int, rate: float, extra: str = "") -> str:
    """A short annual report with a stated count pair (a derived loss rate with inputs), a rate, a
    rate out of range (a flag) and a target."""
    return (f"{district}{year}年法治政府建设年度报告\n"
            f"{year}年，全区审结行政诉讼案件{n}件，其中行政机关败诉{k}件。行政机关负责人出庭应诉率达到{rate:g}%。"
            f"全区行政复议案件办理率为112%。{extra}\n"
            f"力争到{year + 1}年行政机关负责人出庭应诉率达到100%。\n")


def write_metadata(raw, rows: list[dict], fields=None) -> None:
    fields = fields or sorted({k for r in rows for k in r}, key=lambda k: (k != "doc", k))
    with open(raw / "metadata.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)


def read_meta(raw) -> list[dict]:
    with open(raw / "metadata.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture
def small(monkeypatch):
    """Tiny chunks and copy runs: every run boundary is exercised with a handful of documents."""
    monkeypatch.setattr(b, "CHUNK_DOCS", 2)
    monkeypatch.setattr(b, "COPY_DOCS", 2)


# ---------------------------------------------------------------- renames, swaps, same-size edits

def test_renaming_a_file_with_and_without_its_metadata_record(home, extracted, small):
    raw = home / "data" / "raw"
    build(workers=1)
    # Renamed without its record: the old name's record is orphaned, the new name has none.
    (raw / SEEDS[2].name).rename(raw / "zzz_renamed.txt")
    extracted.clear()
    build(workers=1)
    assert extracted == ["zzz_renamed.txt"]
    assert_as_full(home)
    # Renamed again (to sort first) and its record follows it.
    (raw / "zzz_renamed.txt").rename(raw / "000_first.txt")
    rows = read_meta(raw)
    for r in rows:
        if r["doc"] == SEEDS[2].name:
            r["doc"] = "000_first.txt"
    write_metadata(raw, rows, list(rows[0]))
    extracted.clear()
    build(workers=1)
    assert extracted == ["000_first.txt"]
    assert_as_full(home)


def test_two_documents_swapping_names(home, extracted, small):
    raw = home / "data" / "raw"
    build(workers=1)
    a, c = raw / SEEDS[1].name, raw / SEEDS[3].name
    data_a, data_c = a.read_bytes(), c.read_bytes()
    a.write_bytes(data_c), c.write_bytes(data_a)   # records stay with the names: sha256 differs, warned
    extracted.clear()
    build(workers=1)
    assert sorted(extracted) == sorted([a.name, c.name])
    assert_as_full(home)
    rows = read_meta(raw)                          # records swapped too: each name has the other's record
    by = {r["doc"]: dict(r) for r in rows}
    by[a.name], by[c.name] = {**by[c.name], "doc": a.name}, {**by[a.name], "doc": c.name}
    write_metadata(raw, [by[r["doc"]] for r in rows], list(rows[0]))
    extracted.clear()
    build(workers=1)
    assert sorted(extracted) == sorted([a.name, c.name])
    assert_as_full(home)
    a.write_bytes(data_a), c.write_bytes(data_c)   # and back: records and bytes as at first
    write_metadata(raw, rows, list(rows[0]))
    extracted.clear()
    build(workers=1)
    assert sorted(extracted) == sorted([a.name, c.name])
    assert_as_full(home)


def test_a_content_change_that_keeps_the_size_and_mtime(home, extracted, small):
    import os
    raw = home / "data" / "raw"
    p = raw / "yb.txt"
    p.write_text(report("渝北区", 2022, 80, 4, 96), encoding="utf-8")
    build(workers=1)
    st = p.stat()
    p.write_text(report("渝北区", 2022, 80, 6, 96), encoding="utf-8")   # 4 → 6: same size
    os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))                   # and the same mtime
    assert p.stat().st_size == st.st_size
    extracted.clear()
    build(workers=1)
    assert extracted == ["yb.txt"]
    con = duckdb.connect(str(current_warehouse(home / "data" / "warehouse.duckdb")), read_only=True)
    assert con.execute("SELECT value FROM facts WHERE doc = 'yb.txt' AND indicator = 'litigation_losses'").fetchall() \
        == [(6.0,)]
    con.close()
    assert_as_full(home)


# ---------------------------------------------------------------- metadata.csv edits

def test_a_sequence_of_metadata_edits(home, extracted, small):
    raw = home / "data" / "raw"
    (raw / "x1.txt").write_text(report("渝北区", 2022, 80, 4, 96), encoding="utf-8")
    (raw / "x2.txt").write_text(report("北碚区", 2022, 50, 2, 90), encoding="utf-8")
    build(workers=1)
    base = read_meta(raw)
    fields = list(base[0])

    def step(rows, flds=None, expect=None):
        write_metadata(raw, rows, flds or fields)
        extracted.clear()
        build(workers=1)
        if expect is not None:
            assert sorted(extracted) == sorted(expect)
        assert_as_full(home)

    step(base + [{"doc": "x1.txt", "district": "北碚区"}], expect=["x1.txt"])               # district override
    step(base + [{"doc": "x1.txt", "district": "北碚区", "period": "2021"}], expect=["x1.txt"])  # period
    step(base + [{"doc": "x1.txt", "district": "北碚区", "period": "2021", "doc_type": "plan"}],
         expect=["x1.txt"])                                                                  # a plan: targets only
    step(base + [{"doc": "x1.txt", "title": "另一个标题"}, {"doc": "x2.txt", "title": ""}], expect=["x1.txt"])
    step(base + [{"doc": "x2.txt"}], expect=["x1.txt"])                  # empty record = no record
    step([{**r, "sha256": ""} for r in base], expect=[p.name for p in SEEDS])   # sha256 emptied: in the key
    step([{k: v for k, v in r.items() if k != "sha256"} for r in base], [f for f in fields if f != "sha256"],
         expect=[])                                                      # removed = empty
    wrong = [{**r, "sha256": "0" * 64} if r["doc"] == SEEDS[0].name else r for r in base]
    step(wrong, expect=[p.name for p in SEEDS])                          # a wrong sha256: extracted, warned
    step(wrong, expect=[SEEDS[0].name])                                  # ... every time
    step(base, expect=[SEEDS[0].name])
    (raw / "metadata.csv").unlink()                                      # no metadata.csv at all
    extracted.clear()
    build(workers=1)
    assert_as_full(home)
    step(base + [{"doc": "x1.txt", "district": "", "period": "", "doc_type": "", "title": ""}])


def test_metadata_with_short_rows_and_extra_columns(home, extracted, small):
    raw = home / "data" / "raw"
    build(workers=1)
    text = (raw / "metadata.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    # A short row (missing trailing fields → None) and an extra column nobody reads.
    lines[0] += ",remark"
    lines[1] = lines[1] + ",备注"
    lines[2] = ",".join(lines[2].split(",")[:3])
    (raw / "metadata.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    extracted.clear()
    build(workers=1)
    assert extracted == [SEEDS[1].name]     # its period, type and sha256 became missing
    assert_as_full(home)


# ---------------------------------------------------------------- deletions, runs, chunks, pools

@pytest.mark.parametrize("chunk,copy,workers", [(1, 1, 1), (2, 3, 1), (3, 2, 1), (2, 1, 2), (256, 2048, 2)])
def test_deleting_and_adding_documents_in_the_middle_of_runs(home, monkeypatch, chunk, copy, workers):
    monkeypatch.setattr(b, "CHUNK_DOCS", chunk)
    monkeypatch.setattr(b, "COPY_DOCS", copy)
    raw = home / "data" / "raw"
    for i in range(8):
        (raw / f"r{i}.txt").write_text(report("渝北区" if i % 2 else "北碚区", 2020 + i % 3, 80 + i, i, 90 + i),
                                      encoding="utf-8")
    build(workers=workers)
    (raw / "r2.txt").unlink(), (raw / "r5.txt").unlink(), (raw / SEEDS[2].name).unlink()   # id gaps
    build(workers=workers)
    assert_as_full(home)
    (raw / "r3.txt").write_text(report("渝北区", 2021, 70, 7, 77), encoding="utf-8")       # a change between runs
    (raw / "r5.txt").write_text(report("渝北区", 2022, 60, 6, 66), encoding="utf-8")       # back, other figures
    (raw / "r45.txt").write_text(report("北碚区", 2021, 61, 6, 61), encoding="utf-8")      # new, inside a run
    build(workers=workers)
    assert_as_full(home)
    for p in raw.glob("r*.txt"):                                                         # only seeds left
        p.unlink()
    build(workers=workers)
    assert_as_full(home)


def test_every_document_deleted_then_back(home, small):
    raw = home / "data" / "raw"
    build(workers=1)
    keep = home / "keep"
    shutil.copytree(raw, keep)
    for p in raw.iterdir():
        p.unlink()
    build(workers=1)
    assert_as_full(home)
    for p in keep.iterdir():
        shutil.copy(p, raw / p.name)
    build(workers=1)
    assert_as_full(home)


# ---------------------------------------------------------------- dropped documents

def test_a_dropped_document_becoming_valid_and_back(home, extracted, small):
    raw = home / "data" / "raw"
    anon = "2022年法治政府建设年度报告\n" + report("", 2022, 80, 4, 96).split("\n", 1)[1]  # no district anywhere
    (raw / "m_anon.txt").write_text(anon, encoding="utf-8")
    built = build(workers=1)
    assert [d for d, _ in built.dropped] == ["m_anon.txt"]
    assert_as_full(home)
    rows = read_meta(raw)
    fields = list(rows[0])
    write_metadata(raw, rows + [{"doc": "m_anon.txt", "district": "渝北区"}], fields)     # now valid
    extracted.clear()
    built = build(workers=1)
    assert extracted == ["m_anon.txt"] and built.dropped == ()
    assert_as_full(home)
    write_metadata(raw, rows + [{"doc": "m_anon.txt", "district": ""}], fields)          # dropped again
    extracted.clear()
    built = build(workers=1)
    assert extracted == ["m_anon.txt"] and [d for d, _ in built.dropped] == ["m_anon.txt"]
    assert_as_full(home)
    extracted.clear()
    build(workers=1)                                # a dropped document is never copied: extracted again
    assert extracted == ["m_anon.txt"]
    assert_as_full(home)


def test_an_unreadable_document_between_reused_ones(home, small):
    raw = home / "data" / "raw"
    build(workers=1)
    (raw / "002_empty.txt").write_bytes(b"")                    # dropped: no text
    (raw / "002_binary.txt").write_bytes(bytes(range(256)) * 4)
    build(workers=1)
    assert_as_full(home)


# ---------------------------------------------------------------- corrections

def test_corrections_set_undo_reject_and_a_lost_log(home, extracted):
    raw = home / "data" / "raw"
    (raw / "c.txt").write_text(report("渝北区", 2022, 80, 4, 96), encoding="utf-8")
    (raw / "d.txt").write_text(report("渝北区", 2022, 80, 5, 95), encoding="utf-8")   # conflicts with c.txt
    build(workers=1)
    rec = store.correct("facts", "c.txt", "head_appearance_rate", "2022", "张三", "复核", value=95)
    assert_as_full(home)                                 # c now agrees with d: their conflict is gone
    store.undo(rec["id"], "李四")
    assert_as_full(home)
    store.correct("facts", "c.txt", "litigation_losses", "2022", "张三", "误读", reject=True)
    assert_as_full(home)
    store.correct("targets", "d.txt", "head_appearance_rate", "2023", "张三", "复核", value=99, comparator=">=")
    assert_as_full(home)
    extracted.clear()
    build(workers=1)
    assert sorted(extracted) == ["c.txt", "d.txt"]        # named by corrections: extracted every time
    # The log is lost (restored from an old backup): the old generation still names c and d.
    log = settings.data_dir() / "corrections.jsonl"
    saved = log.read_bytes()
    log.unlink()
    extracted.clear()
    build(workers=1)
    assert sorted(extracted) == ["c.txt", "d.txt"]
    assert_as_full(home)
    extracted.clear()
    build(workers=1)                                    # now clean: reused
    assert extracted == []
    assert_as_full(home)
    log.write_bytes(saved)                              # and back: applied again
    extracted.clear()
    build(workers=1)
    assert sorted(extracted) == ["c.txt", "d.txt"]
    assert_as_full(home)


def test_a_correction_of_a_deleted_document_that_comes_back(home, extracted):
    raw = home / "data" / "raw"
    (raw / "c.txt").write_text(report("渝北区", 2022, 80, 4, 96), encoding="utf-8")
    build(workers=1)
    store.correct("facts", "c.txt", "head_appearance_rate", "2022", "张三", "复核", value=95)
    saved = (raw / "c.txt").read_bytes()
    (raw / "c.txt").unlink()
    build(workers=1)
    assert_as_full(home)
    (raw / "c.txt").write_bytes(saved)
    extracted.clear()
    build(workers=1)
    assert extracted == ["c.txt"]
    assert_as_full(home)
    con = duckdb.connect(str(current_warehouse(home / "data" / "warehouse.duckdb")), read_only=True)
    assert con.execute("SELECT value, corrected FROM facts WHERE doc = 'c.txt' AND indicator = 'head_appearance_rate'"
                       ).fetchall() == [(95.0, True)]
    con.close()


# ---------------------------------------------------------------- reference figures

def test_reference_figures_added_and_removed(home, extracted, small):
    build(workers=1)
    extracted.clear()
    store.add_reference("area,indicator,year,value,source\n全市,litigation_loss_rate,2021,8.5,市报告\n".encode())
    assert extracted == []
    assert_as_full(home)
    store.reference_path().unlink()
    build(workers=1)
    assert_as_full(home)


# ---------------------------------------------------------------- conflicts between documents

def test_conflicts_whose_first_document_changes(home, extracted, small):
    raw = home / "data" / "raw"
    for name, k in (("m.txt", 4), ("n.txt", 5), ("p.txt", 6), ("q.txt", 4)):
        (raw / name).write_text(report("渝北区", 2022, 80, k, 90 + k), encoding="utf-8")
    build(workers=1)
    assert_as_full(home)
    (raw / "m.txt").unlink()                            # the first of the conflict: n becomes first
    extracted.clear()
    build(workers=1)
    assert extracted == []
    assert_as_full(home)
    (raw / "a.txt").write_text(report("渝北区", 2022, 80, 6, 96), encoding="utf-8")   # a new first, agreeing with p
    extracted.clear()
    build(workers=1)
    assert extracted == ["a.txt"]
    assert_as_full(home)
    (raw / "p.txt").rename(raw / "0p.txt")              # renamed to sort first
    build(workers=1)
    assert_as_full(home)


# ---------------------------------------------------------------- names that sort in surprising ways

NAMES = ["a.txt", "a b.txt", "a_1.txt", "a.txt.txt", "A.txt", "B.txt", "a.TXT", "渝北区.txt", "Ａ.txt", "\u00e9.txt",
         "e\u0301.txt", "😀.txt", "10.txt", "9.txt", "a-b.txt", "a%b.txt", "a'b.txt", "a[1].txt"]


@pytest.mark.parametrize("chunk,copy", [(1, 1), (2, 2), (3, 5), (256, 2048)])
def test_names_that_sort_differently_in_other_collations(home, extracted, monkeypatch, chunk, copy):
    monkeypatch.setattr(b, "CHUNK_DOCS", chunk)
    monkeypatch.setattr(b, "COPY_DOCS", copy)
    raw = home / "data" / "raw"
    for i, name in enumerate(NAMES):
        (raw / name).write_text(report("渝北区" if i % 3 else "北碚区", 2020 + i % 4, 80 + i, i % 7, 80 + i),
                                encoding="utf-8")
    build(workers=1)
    assert_as_full(home)
    rnd = random.Random(chunk * 100 + copy)
    for _ in range(3):
        changed = rnd.sample(NAMES, 4)
        for name in changed[:2]:
            (raw / name).write_text(report("渝北区", 2021, rnd.randint(10, 99), rnd.randint(0, 9), rnd.randint(50, 99)),
                                    encoding="utf-8")
        (raw / changed[2]).unlink(missing_ok=True)
        (raw / changed[3]).write_text(report("北碚区", 2022, 33, 3, 75), encoding="utf-8")
        extracted.clear()
        build(workers=1)
        assert len(extracted) < len(NAMES)              # something was reused
        assert_as_full(home)


# ---------------------------------------------------------------- a random walk of user actions

@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_random_sequence_of_actions(home, monkeypatch, seed):
    rnd = random.Random(seed)
    monkeypatch.setattr(b, "CHUNK_DOCS", rnd.choice([1, 2, 3]))
    monkeypatch.setattr(b, "COPY_DOCS", rnd.choice([1, 2, 4]))
    raw = home / "data" / "raw"
    for p in SEEDS[2:]:                       # two seeds and small reports: fast builds
        (raw / p.name).unlink()
    names = [f"{c}{i}.txt" for c in "ab" for i in range(5)] + ["渝北.txt", "Z.txt"]
    districts = ["渝北区", "北碚区", "綦江区"]

    def write(name):
        (raw / name).write_text(report(rnd.choice(districts), rnd.choice([2021, 2022]), rnd.randint(50, 99),
                                       rnd.randint(0, 9), rnd.choice([90, 95, 96, 100])), encoding="utf-8")
    for n in rnd.sample(names, 6):
        write(n)
    build(workers=1)
    for _ in range(8):
        present = sorted(p.name for p in raw.glob("*.txt"))
        action = rnd.choice(["add", "delete", "edit", "rename", "swap", "meta", "meta_clear"])
        if action == "add":
            write(rnd.choice(names))
        elif action == "delete" and present:
            (raw / rnd.choice(present)).unlink()
        elif action == "edit" and present:
            write(rnd.choice(present))
        elif action == "rename" and present:
            (raw / rnd.choice(present)).rename(raw / rnd.choice(names))
        elif action == "swap" and len(present) > 1:
            x, y = rnd.sample(present, 2)
            dx, dy = (raw / x).read_bytes(), (raw / y).read_bytes()
            (raw / x).write_bytes(dy), (raw / y).write_bytes(dx)
        elif action in ("meta", "meta_clear") and present:
            rows = [r for r in read_meta(raw)]
            doc = rnd.choice(present)
            rows = [r for r in rows if r["doc"] != doc]
            if action == "meta":
                rows.append({"doc": doc, "district": rnd.choice(districts), "period": rnd.choice(["2021", "2022"])})
            write_metadata(raw, rows, ["doc", "title", "district", "doc_type", "period", "doc_date", "sha256"])
        build(workers=rnd.choice([1, 2]))
        assert_as_full(home)


# ---------------------------------------------------------------- older, broken or busy generations

def test_a_generation_without_a_corrections_table_or_with_null_keys(home, extracted):
    db = home / "data" / "warehouse.duckdb"
    build(workers=1)
    con = duckdb.connect(str(current_warehouse(db)))
    con.execute("UPDATE documents SET extract_key = NULL WHERE doc = ?", [SEEDS[0].name])
    con.close()
    extracted.clear()
    build(workers=1)
    assert extracted == [SEEDS[0].name]
    assert_as_full(home)
    con = duckdb.connect(str(current_warehouse(db)))
    con.execute("DROP TABLE corrections")
    con.close()
    extracted.clear()
    build(workers=1)
    assert len(extracted) == 5
    assert_as_full(home)


def test_a_current_generation_that_is_not_a_database(home, extracted):
    db = home / "data" / "warehouse.duckdb"
    build(workers=1)
    current_warehouse(db).write_bytes(b"not a database at all" * 100)
    extracted.clear()
    build(workers=1)
    assert len(extracted) == 5
    assert_as_full(home)


def test_a_reader_holding_the_source_generation_while_it_is_pruned(home, small):
    db = home / "data" / "warehouse.duckdb"
    raw = home / "data" / "raw"
    build(workers=1)
    reader = duckdb.connect(str(current_warehouse(db)), read_only=True)
    try:
        for i in range(4):                              # the first generation is pruned under the reader
            (raw / f"n{i}.txt").write_text(report("渝北区", 2021, 50 + i, i, 90), encoding="utf-8")
            build(workers=1)
            assert reader.execute("SELECT count(*) FROM documents").fetchone()[0] == 5
        assert_as_full(home)
    finally:
        reader.close()


# ---------------------------------------------------------------- the extractor changes

@pytest.fixture
def own_catalog(tmp_path, monkeypatch):
    """A private copy of etl/catalog that the test may edit; the process's caches are emptied
    before and after, so no other test sees it."""
    cat = tmp_path / "catalog"
    shutil.copytree(settings.CATALOG_DIR, cat)
    monkeypatch.setattr(settings, "CATALOG_DIR", cat)
    monkeypatch.setattr(etl.catalog, "CATALOG_DIR", cat)

    def forget():
        etl.catalog.load_catalog.cache_clear()
        etl.catalog.load_districts.cache_clear()
        etl.catalog.load_rules.cache_clear()
        etl.grammar._GRAMMAR = None
    forget()
    yield cat, forget
    forget()
    monkeypatch.undo()
    forget()


def drop_phrase(cat) -> None:
    """An edit of the catalog that changes the figures: 出庭应诉率 is no longer a phrasing of the rate."""
    path = cat / "indicators.yaml"
    text = path.read_text(encoding="utf-8")
    old = "phrases: [负责人出庭应诉率, 出庭应诉率, 负责人出庭率, 负责人出庭应诉比例, 出庭应诉比例,"
    assert old in text
    path.write_text(text.replace(old, "phrases: [负责人出庭率, 负责人出庭应诉比例, 出庭应诉比例,"), encoding="utf-8")


def test_a_catalog_edit_between_processes_extracts_everything(home, extracted, own_catalog):
    cat, forget = own_catalog
    (home / "data" / "raw" / "x.txt").write_text(report("渝北区", 2022, 80, 4, 96), encoding="utf-8")
    build(workers=1)
    drop_phrase(cat)
    forget()                                            # a new process: the edited catalog is read
    extracted.clear()
    build(workers=1)
    assert len(extracted) == 6
    assert_as_full(home)


def test_a_catalog_edited_while_the_dashboard_runs(home, extracted, own_catalog):
    """The dashboard's build after the edit uses the catalog it loaded and says so in its keys:
    the restarted process extracts those documents again."""
    cat, forget = own_catalog
    raw = home / "data" / "raw"
    (raw / "x.txt").write_text(report("渝北区", 2022, 80, 4, 96), encoding="utf-8")
    build(workers=1)                                    # the dashboard process: catalog loaded and cached
    drop_phrase(cat)                                    # an administrator edits the catalog (or git pull)
    (raw / "y.txt").write_text(report("北碚区", 2022, 50, 2, 90), encoding="utf-8")
    build(workers=1)                                    # an import in the dashboard: cached catalog, new signature
    forget()                                            # the dashboard restarts
    extracted.clear()
    build(workers=1)                                    # the next rebuild extracts everything again
    assert len(extracted) == 7
    assert_as_full(home)                                # the full build no longer finds 出庭应诉率 96%


# ---------------------------------------------------------------- determinism across processes

def test_full_builds_in_processes_with_other_hash_seeds_agree(home, tmp_path):
    """Reused rows come from an earlier process: extraction must not depend on the process's hash seed."""
    import os
    raw = home / "data" / "raw"
    for i in range(3):
        (raw / f"h{i}.txt").write_text(report("渝北区", 2021 + i % 2, 70 + i, i, 91 + i), encoding="utf-8")
    snaps = []
    for seed in ("1", "2"):
        db = tmp_path / f"w{seed}" / "warehouse.duckdb"
        db.parent.mkdir()
        r = subprocess.run([sys.executable, "-m", "etl", "build", "--full"], cwd=REPO, capture_output=True, text=True,
                           env={**os.environ, "FAZHI_HOME": str(home), "FAZHI_DB": str(db), "PYTHONHASHSEED": seed},
                           timeout=300)
        assert r.returncode == 0, r.stderr
        snaps.append({k: v for k, v in snapshot(db).items()})
    for t in snaps[0]:
        assert snaps[0][t] == snaps[1][t], t


def test_code_upgraded_on_disk_while_the_dashboard_runs(home, tmp_path, monkeypatch):
    """The old process labels its rows with the code it imported; the restarted one extracts again."""
    import etl.pipeline
    code = tmp_path / "etl"
    shutil.copytree(b.CODE_DIR, code, ignore=shutil.ignore_patterns("catalog", "__pycache__"))
    monkeypatch.setattr(b, "CODE_DIR", code)            # the checkout on disk, which the upgrade rewrites
    raw = home / "data" / "raw"
    (raw / "x.txt").write_text(report("渝北区", 2022, 80, 4, 96), encoding="utf-8")
    real = etl.pipeline.extract

    def old_code(meta, norm, catalog):                  # the running process's (older) extractor: no rates
        ex = real(meta, norm, catalog)
        ex.facts[:] = [f for f in ex.facts if f.indicator != "head_appearance_rate"]
        return ex
    with monkeypatch.context() as m:
        m.setattr(etl.pipeline, "extract", old_code)
        build(workers=1)
        (code / "extract.py").write_text((code / "extract.py").read_text(encoding="utf-8") + "\n# upgraded\n",
                                         encoding="utf-8")   # git pull: the new extractor is on disk
        (raw / "y.txt").write_text(report("北碚区", 2022, 50, 2, 90), encoding="utf-8")
        build(workers=1)                                # an import in the old process: old rows, old key
    monkeypatch.setattr(b, "_CODE", b.code_hash())      # restarted: the new extractor is imported
    build(workers=1)
    assert_as_full(home)                                # the full build finds 出庭应诉率 96% again
