"""The extraction CLI: the scoring contract, and clear messages for bad input."""
import csv
import io
import subprocess
import sys

import pytest

from tests.conftest import REPO, SEEDS, SHARED

COLUMNS = {"doc", "district", "period", "kind", "indicator", "value", "comparator", "unit", "qualifier", "scope",
           "quote", "start", "end", "rule"}


def run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "etl", *map(str, args)], cwd=REPO, capture_output=True,
                          text=True, env=env, timeout=120)


def parse(stdout):
    return list(csv.DictReader(io.StringIO(stdout)))


@pytest.fixture(scope="module")
def seeds_csv():
    """`extract` of every seed as CSV, run once for the tests that read it."""
    return run("extract", *SEEDS, "--format", "csv")


def test_extract_prints_the_contract_columns_for_every_seed(seeds_csv):
    r = seeds_csv
    assert r.returncode == 0, r.stderr
    rows = parse(r.stdout)
    assert COLUMNS <= set(rows[0])
    assert {row["doc"] for row in rows} == {p.name for p in SEEDS}
    assert {row["kind"] for row in rows} == {"actual", "target"}
    assert all(row["comparator"] in (">=", "<=", "=") for row in rows if row["kind"] == "target")


def test_seed_extraction_meets_the_accuracy_bar(tmp_path, seeds_csv):
    score = SHARED / "eval" / "score.py"
    if not score.exists():
        pytest.skip("shared/eval not beside the repository")
    out = tmp_path / "out.csv"
    out.write_text(seeds_csv.stdout, encoding="utf-8")
    r = subprocess.run([sys.executable, str(score), str(SHARED / "eval" / "seed_gold.csv"), str(out),
                        "--min-recall", "0.95", "--min-precision", "0.97", "--quiet"], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_a_gbk_copy_gives_the_same_figures_as_the_utf8_original(tmp_path):
    seed = SEEDS[2]
    gbk = tmp_path / seed.name
    gbk.write_bytes(seed.read_text(encoding="utf-8").encode("gb18030"))
    a, b = parse(run("extract", seed).stdout), parse(run("extract", gbk).stdout)
    assert len(a) > 10
    key = lambda rows: [(r["indicator"], r["period"], r["value"], r["quote"], r["start"], r["end"]) for r in rows]
    assert key(a) == key(b)


def test_district_and_period_options_override_detection():
    rows = parse(run("extract", SEEDS[1], "--district", "测试区", "--period", "2022").stdout)
    assert {r["district"] for r in rows} == {"测试区"}
    assert "2022" in {r["period"] for r in rows}


@pytest.mark.parametrize("content, message", [
    (b"", "空文件"),
    (b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 4, "二进制"),
])
def test_unusable_files_get_a_message_and_a_nonzero_exit(tmp_path, content, message):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    r = run("extract", bad)
    assert r.returncode == 1
    assert message in r.stderr and "bad.txt" in r.stderr and "Traceback" not in r.stderr


def test_a_folder_or_a_missing_file_is_named_in_both_languages(tmp_path):
    r = run("extract", tmp_path, tmp_path / "gone.txt", SEEDS[0])
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert r.stderr.splitlines()[:2] == [
        f"错误：「{tmp_path}」是文件夹，不是文件；请给出报告文件 (a folder, not a file: name the report files)",
        f"错误：找不到文件「{tmp_path / 'gone.txt'}」 (file not found)"]
    assert parse(r.stdout)                             # the good file is still read


def test_add_names_a_folder_and_writes_nothing(tmp_path):
    import os
    r = run("add", tmp_path, env={**os.environ, "FAZHI_HOME": str(tmp_path)})
    assert r.returncode == 1 and list(tmp_path.iterdir()) == []
    assert r.stderr == f"错误：「{tmp_path}」是文件夹，不是文件；请给出报告文件 (a folder, not a file: name the report files)\n"


def test_a_file_without_figures_says_so_and_succeeds(tmp_path):
    empty = tmp_path / "notes.txt"
    empty.write_text("关于加强法治政府建设的通知\n各单位要认真贯彻落实。\n", encoding="utf-8")
    r = run("extract", empty)
    assert r.returncode == 0 and "未找到任何指标数据" in r.stderr and len(parse(r.stdout)) == 0


def test_a_30_mb_file_is_refused_with_its_size(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(SEEDS[0].read_bytes() * (30_000_000 // SEEDS[0].stat().st_size + 1))
    r = run("extract", big)
    assert r.returncode == 1 and "超过上限" in r.stderr and "MB" in r.stderr


def test_a_malformed_period_option_is_refused():
    r = run("extract", SEEDS[0], "--period", "20x1")
    assert r.returncode == 2 and "YYYY" in r.stderr


def test_extract_never_touches_the_warehouse(tmp_path):
    import os
    db = tmp_path / "w.duckdb"
    db.write_bytes(b"sentinel")
    env = {**os.environ, "FAZHI_DB": str(db)}
    run("extract", *SEEDS, env=env)
    assert db.read_bytes() == b"sentinel"
