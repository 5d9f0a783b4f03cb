"""The write path under hostile input and faults: a message (Chinese, then English), a non-zero
exit, no traceback, and every file under data/ byte-identical afterwards."""
import errno
import hashlib
import os
import signal
import subprocess
import sys
import time

import duckdb
import pytest

from etl import store
from etl.__main__ import main
from etl.build import build
from etl.corrections import read_corrections
from etl.settings import current_warehouse
from etl.text import InputError
from tests.conftest import REPO, SEEDS

BEIBEI = "002_d61b1cf0558df1ae.txt"


def state(home):
    data = home / "data"
    return {p.relative_to(data).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in data.rglob("*") if p.is_file() and p.name != ".lock"}


@pytest.fixture
def built(home):
    build()
    return home


def cli(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("args, message", [
    (["correct", "--doc", "x"], "错误：缺少必需的参数：--indicator, --period, --who, --reason (the following arguments are required"),
    (["correct", "--doc", BEIBEI, "--indicator", "litigation_loss_rate", "--period", "2020", "--value", "abc",
      "--who", "张三", "--reason", "核对"], "错误：参数 --value 的值「abc」无效，应为 数值 (argument --value: invalid float value: 'abc')"),
    (["build", "--bogus"], "错误：无法识别的参数：--bogus (unrecognized arguments: --bogus)"),
])
def test_argument_errors_are_chinese_and_english(built, capsys, args, message):
    before = state(built)
    with pytest.raises(SystemExit) as e:
        main(args)
    assert e.value.code == 2
    assert message in capsys.readouterr().err
    assert state(built) == before


@pytest.mark.parametrize("args, message", [
    (["reference"], "错误：请给出参照数据 CSV 文件，例如 python -m etl reference 参照.csv；模板见 --template (give a CSV file; see --template)"),
    (["reference", "/no/such/file.csv"], "错误：找不到文件「/no/such/file.csv」 (file not found)"),
    (["correct", "--doc", BEIBEI, "--indicator", "litigation_loss_rate", "--period", "2020", "--value", "250",
      "--who", "张三", "--reason", "核对"], "错误：比率 250% 超出 0–100，未保存 (rate out of range)"),
    (["correct", "--doc", BEIBEI, "--indicator", "people_mediation_cases", "--period", "2020", "--value", "-3",
      "--who", "张三", "--reason", "核对"], "错误：数量 -3 件 不能为负，未保存 (count below zero)"),
    (["correct", "--doc", BEIBEI, "--indicator", "litigation_loss_rate", "--period", "2019", "--value", "5",
      "--who", "张三", "--reason", "核对"],
     "错误：没有找到要修改的数据：文件「002_d61b1cf0558df1ae.txt」、指标「litigation_loss_rate」、时期「2019」；请核对后重试 (no such figure)"),
    (["correct", "--doc", "nosuch.txt", "--indicator", "litigation_loss_rate", "--period", "2020", "--reject",
      "--who", "张三", "--reason", "核对"], "错误：没有找到要修改的数据：文件「nosuch.txt」"),
    (["undo", "7", "--who", "张三"], "错误：没有编号为 7 的修改记录 (no such correction)"),
])
def test_refused_commands_name_the_value_and_change_nothing(built, capsys, args, message):
    before = state(built)
    code, out, err = cli(capsys, *args)
    assert code == 2 and message in err and "Traceback" not in err
    assert state(built) == before


def test_undoing_a_correction_twice_is_refused(built, capsys):
    store.correct("facts", BEIBEI, "online_service_rate", "2020", "张三", "核对原文", value=73.0)
    code, _, _ = cli(capsys, "undo", "1", "--who", "李四")
    assert code == 0
    before = state(built)
    code, _, err = cli(capsys, "undo", "1", "--who", "王五")
    assert code == 2 and "修改 #1 已于" in err and "由 李四 撤销（记录 #2），未重复撤销 (already undone)" in err
    assert state(built) == before


def test_a_correction_records_the_value_it_replaced(built):
    rec = store.correct("facts", BEIBEI, "online_service_rate", "2020", "张三", "核对原文", value=73.0)
    assert rec["before"] == 72.0 and rec["after"] == 73.0


@pytest.mark.parametrize("fault, message", [
    (OSError(errno.ENOSPC, "No space left on device", "/data/raw/x"),
     "错误：磁盘空间不足，无法写入「/data/raw/x」；数据未改动 (disk full: nothing was changed)"),
    (OSError(errno.EROFS, "Read-only file system", "/data/raw"),
     "错误：没有写入权限「/data/raw」；请检查 data 目录的权限 (permission denied: nothing was changed)"),
    (duckdb.IOException('IO Error: Could not write file "w.duckdb": No space left on device'),
     "错误：磁盘空间不足，数据库未能写入；数据未改动 (disk full: nothing was changed)"),
])
def test_a_full_disk_or_read_only_folder_during_an_import_is_a_message_and_data_is_restored(built, capsys,
                                                                                            monkeypatch, fault, message):
    report = built / "upload.txt"
    report.write_text(SEEDS[2].read_text(encoding="utf-8").replace("北碚区", "巫山县"), encoding="utf-8")
    before = state(built)

    def failing_write(*args, **kwargs):
        raise fault
    monkeypatch.setattr("etl.build.write_warehouse", failing_write)
    code, _, err = cli(capsys, "add", str(report), "--who", "张三")
    assert code == 1 and message.replace("错误：", "错误：本批文件均未导入：").replace("changed)", "changed) (nothing of this batch was imported)") in err and "Traceback" not in err
    report.unlink()
    assert state(built) == before


def test_a_data_folder_that_cannot_be_written_is_a_message(home, capsys, monkeypatch):
    monkeypatch.setattr("etl.store.open", lambda *a, **k: (_ for _ in ()).throw(PermissionError(13, "Permission denied")),
                        raising=False)
    before = state(home)
    code, _, err = cli(capsys, "build")
    assert code == 2 and "错误：无法写入数据目录「" in err and "Permission denied (data folder not writable)" in err
    assert state(home) == before


def test_a_killed_import_is_rolled_back_by_the_next_writer(built):
    """kill -9 in the middle of an import (after the raw file and metadata row were written,
    before the build finished): the next command restores data/ and rebuilds."""
    before = state(built)
    report = built / "upload.txt"
    report.write_text(SEEDS[2].read_text(encoding="utf-8").replace("北碚区", "巫山县"), encoding="utf-8")
    code = ("import os, sys, signal\n"
            "import etl.build as b\n"
            "def killed(*a, **k): os.kill(os.getpid(), signal.SIGKILL)\n"
            "b.write_warehouse = killed\n"
            "from etl import store\n"
            f"store.add('upload.txt', open({str(report)!r}, 'rb').read(), who='张三')\n")
    env = {**os.environ, "FAZHI_HOME": str(built)}
    r = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True)
    assert r.returncode == -signal.SIGKILL
    assert (built / "data" / ".journal" / "manifest.json").exists()      # the kill left a half import
    assert any(p.name.startswith("u_") for p in (built / "data" / "raw").iterdir())
    r = subprocess.run([sys.executable, "-m", "etl", "build"], cwd=REPO, env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    report.unlink()
    after = state(built)
    assert {k: v for k, v in after.items() if not k.startswith("warehouse")} == \
           {k: v for k, v in before.items() if not k.startswith("warehouse")}
    con = duckdb.connect(str(current_warehouse()), read_only=True)
    assert con.execute("SELECT count(*) FROM documents WHERE district = '巫山县'").fetchone() == (0,)
    con.close()


def test_an_import_without_a_detectable_period_asks_for_it(built):
    text = "某某区法治政府建设情况\n全区行政复议案件办理情况良好，共收到行政复议申请40件。\n"
    before = state(built)
    with pytest.raises(InputError) as e:
        store.add("noperiod.txt", text.encode("utf-8"), district="渝中区", who="张三")
    assert str(e.value).startswith("「noperiod.txt」未能识别报告时期，请指定时期 YYYY 或 YYYY-YYYY")
    assert state(built) == before
    added = store.add("noperiod.txt", text.encode("utf-8"), district="渝中区", period="2022", who="张三")
    assert added.period == "2022"


def test_corrections_read_every_record(built):
    store.correct("facts", BEIBEI, "online_service_rate", "2020", "张三", "核对原文", value=73.0)
    assert [c["id"] for c in read_corrections()] == [1]


def test_control_characters_never_reach_the_stored_text_or_quotes():
    from etl.pipeline import process_bytes
    text = SEEDS[2].read_text(encoding="utf-8").replace("全流程网上办率72%", "全流程网上\x07办率72%\x0b")
    p = process_bytes("ctl.txt", text.encode("utf-8"))
    assert not any(ord(c) < 32 and c not in "\t\n" for c in p.raw)
    quote = next(p.ex.quote(f) for f in p.ex.facts if f.indicator == "online_service_rate")
    assert quote.endswith("办率72%") and "\x07" not in quote


def test_a_formula_title_in_metadata_and_reference_is_stored_as_text_and_read_back_unchanged(built):
    text = SEEDS[2].read_text(encoding="utf-8").replace("北碚区", "渝中区")
    store.add("f.txt", ("=HYPERLINK(\"http://x\")\n" + text).encode("utf-8"), district="渝中区", period="2020",
              doc_type="annual_report", who="@admin")
    meta = (built / "data" / "raw" / "metadata.csv").read_text(encoding="utf-8")
    assert ",@admin," not in meta and ",'@admin," in meta
    rec = next(r for r in store.read_metadata(built / "data" / "raw").values() if r["district"] == "渝中区")
    assert rec["added_by"] == "@admin"
    store.add_reference("area,indicator,year,value,source\n全市,litigation_loss_rate,2021,9,=cmd|' /C calc'!A0\n"
                        .encode("utf-8"))
    raw = (built / "data" / "reference" / "reference.csv").read_text(encoding="utf-8")
    assert ",'=cmd" in raw
    from etl.build import read_reference
    assert read_reference()["source"].tolist() == ["=cmd|' /C calc'!A0"]


def test_the_isolated_preview_gives_the_same_figures_and_refuses_what_needs_too_much_memory(built):
    data = SEEDS[2].read_text(encoding="utf-8").replace("北碚区", "渝中区").encode("utf-8")
    upload = store.Upload("a.txt", data)
    isolated = store.check_isolated(upload, memory_mb=40)
    assert [(f.indicator, f.value) for f in isolated.ex.facts] == [(f.indicator, f.value) for f in store.check(upload).ex.facts]
    with pytest.raises(InputError) as e:
        store.check_isolated(store.Upload("big.txt", data * 80), memory_mb=1)   # 1.7 MB of text: ~80 MB to read
    assert str(e.value) == "「big.txt」解析时占用内存超过上限 1 MB，未导入 (reading the file needed more than 1 MB)"
    with pytest.raises(InputError, match="「empty.txt」是空文件"):
        store.check_isolated(store.Upload("empty.txt", b""))


def test_committing_checked_previews_does_not_extract_again_but_still_refuses_a_duplicate(built, monkeypatch):
    data = SEEDS[2].read_text(encoding="utf-8").replace("北碚区", "渝中区").encode("utf-8")
    upload = store.Upload("a.txt", data)
    preview = store.check_isolated(upload)
    copy = store.Upload("copy.txt", data)
    copy_preview = store.check(copy)

    def no_extraction(u):
        raise AssertionError("extraction ran again in the server process")
    monkeypatch.setattr(store, "check", no_extraction)
    added = store.add_many([upload], who="张三", previews=[preview])
    assert (added[0].district, added[0].n_facts) == ("渝中区", len(preview.ex.facts))
    before = state(built)
    with pytest.raises(InputError) as e:   # checked before the first import: the lock's check still refuses it
        store.add_many([copy], who="张三", previews=[copy_preview])
    assert str(e.value) == f"「copy.txt」已经导入过（与「{added[0].doc}」内容相同），未重复导入 (same report already imported)"
    assert state(built) == before


def test_one_range_rule_for_corrections_and_reference_rows():
    assert store.value_problem("%", 250) == ("比率 250% 超出 0–100", "rate out of range")
    assert store.value_problem("件", -3) == ("数量 -3 件 不能为负", "count below zero")
    assert store.value_problem("件", float("nan")) == ("数值「nan」无效", "not a number")
    assert store.value_problem("%", 100) is None and store.value_problem("件", 0) is None
    with pytest.raises(InputError) as e:
        store.validate_reference([{"area": "渝中区", "indicator": "litigation_cases", "year": "2021", "value": "-3"}])
    assert str(e.value) == "参照数据有误，未写入：\n第 2 行「value」列：数量 -3 件 不能为负 (count below zero)"
