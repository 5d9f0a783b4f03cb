"""Bring your own reports: import, corrections, reference figures; nothing lost or overwritten."""
import hashlib
import io
import subprocess
import sys

import duckdb
import pytest

from etl import store
from etl.build import build
from etl.pipeline import process_bytes, rows
from etl.settings import current_warehouse
from etl.text import InputError
from tests.conftest import REPO, SEEDS

BEIBEI = SEEDS[2]  # 北碚区 2020 annual report


def checksum(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def query(home, sql, *params):
    con = duckdb.connect(str(current_warehouse()), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


@pytest.fixture
def built(home):
    build()
    return home


def state(home):
    data = home / "data"
    return {p.relative_to(data).as_posix(): checksum(p) for p in data.rglob("*") if p.is_file() and p.name != ".lock"}


# ------------------------------------------------------------- the same report in every format

def seed_text():
    return BEIBEI.read_text(encoding="utf-8")


def as_docx(text):
    import docx
    d = docx.Document()
    for line in text.splitlines():
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def as_pdf(text):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    y = 800
    for line in text.splitlines():
        for k in range(0, max(len(line), 1), 40):  # wrap long lines as a PDF does
            c.setFont("STSong-Light", 9)
            c.drawString(30, y, line[k:k + 40])
            y -= 12
            if y < 40:
                c.showPage()
                y = 800
    c.save()
    return buf.getvalue()


def as_html(text):
    import html
    body = "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines())
    return (f"<html><head><title>x</title><script>var a='全程网办率99%';</script></head><body>"
            f"<div class='nav'>首页 | 政务公开 | 行政复议案件99件</div><div id='content'>{body}</div>"
            f"<div class='footer'>网站地图 联系我们</div></body></html>").encode("utf-8")


def figures(name, data):
    p = process_bytes(name, data, {"district": "北碚区", "period": "2020", "doc_type": "annual_report"})
    return sorted((r["kind"], r["indicator"], r["period"], r["value"]) for r in rows(p))


@pytest.mark.parametrize("suffix, make", [
    (".txt", lambda t: t.encode("gb18030")),
    (".docx", as_docx),
    (".pdf", as_pdf),
    (".html", as_html),
])
def test_every_format_of_a_seed_gives_the_same_figures_as_its_utf8_text(suffix, make):
    want = figures("seed.txt", seed_text().encode("utf-8"))
    assert len(want) > 15
    assert figures("seed" + suffix, make(seed_text())) == want


# ------------------------------------------------------------- bad input: exact message, nothing changed

def scanned_pdf():
    from reportlab.pdfgen import canvas
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.rect(50, 50, 400, 600, fill=1)  # an image-like page without any text
    c.save()
    return buf.getvalue()


@pytest.mark.parametrize("name, data, message", [
    ("empty.txt", b"", "「empty.txt」是空文件，没有可读取的内容 (empty file)"),
    ("bin.txt", b"\x00\x01\x02\x03" * 64, "「bin.txt」是二进制文件，不是文本报告 (binary file, not a text report)"),
    ("report.xls", b"PK\x03\x04 spreadsheet", "「report.xls」的格式 .xls 不支持，请上传 .txt、.docx、.pdf 或 .html 文件 (unsupported file type)"),
    ("scan.pdf", None, "「scan.pdf」是扫描版 PDF，没有文字层，无法提取；请提供文字版 PDF、Word 或文本文件 (scanned PDF without a text layer)"),
    ("fake.docx", b"not a zip at all", "「fake.docx」不是有效的 Word (.docx) 文件 (not a valid .docx file)"),
])
def test_bad_files_are_refused_with_their_message_and_change_nothing(built, name, data, message):
    before = state(built)
    with pytest.raises(InputError) as e:
        store.add(name, data if data is not None else scanned_pdf(), who="测试")
    assert str(e.value) == message
    assert state(built) == before


def test_a_file_over_the_size_limit_is_refused(built, monkeypatch):
    monkeypatch.setattr("etl.text.MAX_REPORT_BYTES", 1000)
    before = state(built)
    with pytest.raises(InputError, match=r"「big.txt」大小 0\.0 MB，超过上限 0 MB \(file too large\)"):
        store.add("big.txt", b"x" * 2000)
    assert state(built) == before


def test_an_unknown_district_asks_for_confirmation_instead_of_inventing_one(built):
    text = seed_text().replace("北碚区", "新设区")
    before = state(built)
    with pytest.raises(InputError, match="「新设区」不在已知区县名单中；如确为新区县，请确认后再导入"):
        store.add("new.txt", text.encode("utf-8"))
    assert state(built) == before
    added = store.add("new.txt", text.encode("utf-8"), confirm_new_district=True, who="张三")
    assert added.district == "新设区"
    assert query(built, "SELECT count(*) FROM facts WHERE district = '新设区'")[0][0] > 10


# ------------------------------------------------------------- no silent overwrite

def test_the_same_file_twice_is_recognised(built):
    data = seed_text().replace("北碚区", "渝中区").encode("utf-8")
    store.add("a.txt", data, who="张三")
    before = state(built)
    with pytest.raises(InputError, match="已经导入过（与「u_[0-9a-f]{16}\\.txt」内容相同），未重复导入 \\(same report"):
        store.add("copy-of-a.txt", data, who="李四")
    assert state(built) == before


@pytest.mark.parametrize("suffix, make", [(".txt", lambda t: t.encode("gb18030")), (".docx", as_docx)])
def test_a_re_encoded_or_re_formatted_copy_is_recognised_as_the_same_report(built, suffix, make):
    """The GBK copy of a UTF-8 report doubled its district's figures: bytes differ, text does not."""
    text = seed_text().replace("北碚区", "渝中区")
    store.add("a.txt", text.encode("utf-8"), who="张三")
    before = state(built)
    with pytest.raises(InputError, match=f"「copy{suffix}」已经导入过（与「u_[0-9a-f]{{16}}\\.txt」内容相同）"):
        store.add("copy" + suffix, make(text), who="李四")
    assert state(built) == before


def test_two_concurrent_imports_of_one_file_store_it_once(built):
    import os
    f = built / "same.txt"
    f.write_text(seed_text().replace("北碚区", "渝中区"), encoding="utf-8")
    env = {**os.environ, "FAZHI_HOME": str(built)}
    procs = [subprocess.Popen([sys.executable, "-m", "etl", "add", str(f), "--who", f"用户{i}"], cwd=REPO, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in range(2)]
    codes = sorted(p.wait(timeout=120) for p in procs)
    assert codes == [0, 1]
    assert sum(1 for r in store.read_metadata(built / "data" / "raw").values() if r["district"] == "渝中区") == 1


def test_a_second_source_with_another_value_is_a_visible_conflict_and_both_are_kept(built):
    text = seed_text().replace("全流程网上办率72%", "全流程网上办率75%") + "\n"
    added = store.add("revised.txt", text.encode("utf-8"), who="张三")
    values = query(built, "SELECT doc, value FROM facts WHERE district='北碚区' AND indicator='online_service_rate' "
                          "AND period='2020' ORDER BY doc")
    assert sorted(v for _, v in values) == [72.0, 75.0]
    (msg,) = query(built, "SELECT message FROM flags WHERE kind='conflict' AND indicator='online_service_rate'")[0]
    assert "两者均保留" in msg
    assert added.doc.startswith("u_") and "/" not in added.doc


def test_uploaded_files_are_stored_under_generated_names(built):
    added = store.add("../../etc/passwd.txt", seed_text().replace("北碚区", "渝中区").encode("utf-8"), who="x")
    assert (built / "data" / "raw" / added.doc).exists()
    assert not (built / "etc").exists()
    (orig,) = query(built, "SELECT original_name FROM documents WHERE doc = ?", added.doc)[0]
    assert orig == "../../etc/passwd.txt"


# ------------------------------------------------------------- review before commit

def test_preview_writes_nothing_and_review_decisions_are_stored(built):
    before = state(built)
    p = store.preview("r.txt", seed_text().replace("北碚区", "渝中区").encode("utf-8"))
    assert state(built) == before and len(p.ex.facts) > 10
    added = store.add("r.txt", seed_text().replace("北碚区", "渝中区").encode("utf-8"), who="王五",
                      rejected=[("actual", "good_review_rate", "2020")],
                      edits={("actual", "online_service_rate", "2020"): 73.0})
    assert query(built, "SELECT count(*) FROM facts WHERE doc=? AND indicator='good_review_rate'", added.doc) == [(0,)]
    (value, corrected, original, note), = query(
        built, "SELECT value, corrected, original_value, correction FROM facts WHERE doc=? AND indicator='online_service_rate'",
        added.doc)
    assert (value, corrected, original) == (73.0, True, 72.0) and "王五" in note


# ------------------------------------------------------------- corrections survive rebuilds and can be undone

def test_a_correction_survives_rebuilding_and_can_be_undone(built):
    doc = BEIBEI.name
    rec = store.correct("facts", doc, "online_service_rate", "2020", who="赵六", reason="原文笔误，应为 74%", value=74.0,
                        before=72.0)
    r = subprocess.run([sys.executable, "-m", "etl", "build"], cwd=REPO, capture_output=True, text=True,
                       env={**__import__("os").environ, "FAZHI_HOME": str(built)})
    assert r.returncode == 0, r.stderr
    (value, original, note), = query(built, "SELECT value, original_value, correction FROM facts WHERE doc=? "
                                            "AND indicator='online_service_rate'", doc)
    assert (value, original) == (74.0, 72.0) and "赵六" in note and "原文笔误" in note
    (who, before, after, reason), = query(built, "SELECT who, before, after, reason FROM corrections WHERE id=?", rec["id"])
    assert (who, before, after, reason) == ("赵六", 72.0, 74.0, "原文笔误，应为 74%")
    store.undo(rec["id"], who="赵六")
    assert query(built, "SELECT value, corrected FROM facts WHERE doc=? AND indicator='online_service_rate'", doc) == \
        [(72.0, False)]


def test_a_correction_needs_a_name_and_a_reason(built):
    with pytest.raises(InputError, match="修改人"):
        store.correct("facts", BEIBEI.name, "online_service_rate", "2020", who=" ", reason="x", value=1.0)
    with pytest.raises(InputError, match="修改原因"):
        store.correct("facts", BEIBEI.name, "online_service_rate", "2020", who="x", reason="", value=1.0)


# ------------------------------------------------------------- reference figures

def test_reference_csv_rows_are_validated_with_row_column_and_value(built):
    before = state(built)
    bad = ("area,indicator,year,value,source\n"
           "全市,litigation_loss_rate,2021,120,x\n"
           "全市,no_such_indicator,2021,5,x\n"
           "全市,litigation_cases,2021,abc,x\n"
           "火星区,litigation_loss_rate,2021,5,x\n").encode("utf-8")
    with pytest.raises(InputError) as e:
        store.add_reference(bad)
    assert str(e.value).splitlines() == [
        "参照数据有误，未写入：",
        "第 2 行「value」列：比率 120% 超出 0–100 (rate out of range)",
        "第 3 行「indicator」列：未知指标「no_such_indicator」(unknown indicator)",
        "第 4 行「value」列：数值「abc」无效 (not a number)",
        "第 5 行「area」列：未知区县「火星区」，如为新区县请确认 (unknown district)",
    ]
    assert state(built) == before


def test_valid_reference_rows_reach_the_warehouse(built):
    n = store.add_reference(store.reference_template().encode("utf-8"))
    assert n == 1
    assert query(built, "SELECT area, indicator, year, value FROM reference") == [("全市", "litigation_loss_rate", 2021, 8.5)]


def test_reference_never_silently_overwrites_a_value(built):
    store.add_reference(b"area,indicator,year,value\n\xe5\x85\xa8\xe5\xb8\x82,litigation_loss_rate,2021,8.5\n")
    with pytest.raises(InputError, match="已有参照值"):
        store.add_reference("area,indicator,year,value\n全市,litigation_loss_rate,2021,9\n".encode("utf-8"))


# ------------------------------------------------------------- the CLI

def test_add_cli_imports_and_reports(built):
    f = built / "upload.txt"
    f.write_text(seed_text().replace("北碚区", "渝中区"), encoding="utf-8")
    env = {**__import__("os").environ, "FAZHI_HOME": str(built)}
    r = subprocess.run([sys.executable, "-m", "etl", "add", str(f), "--who", "张三"], cwd=REPO, capture_output=True,
                       text=True, env=env)
    assert r.returncode == 0 and "已导入「upload.txt」（渝中区 2020）" in r.stdout
    r = subprocess.run([sys.executable, "-m", "etl", "add", str(f)], cwd=REPO, capture_output=True, text=True, env=env)
    assert r.returncode == 1 and "已经导入过" in r.stderr and "Traceback" not in r.stderr
