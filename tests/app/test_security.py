"""Security of the running app: editing fails closed, password attempts are throttled, document
text is shown literally (no Markdown links or remote images), exports never hold a live formula."""
import csv
import io
import re

import openpyxl
import pandas as pd
import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from etl import auth
from pages.views.registry import PAGES
from tests.conftest import REPO
from ui.auth import MSG_TOO_SOON, MSG_WRONG, MSG_WRONG_FIRST
from ui.widgets import csv_bytes, highlighted, literal, xlsx_bytes

BY_SLUG = {p.slug: p for p in PAGES}
LINK = "[点此核对](//evil.example)"
IMAGE = "![x](https://evil.example/p.png)"
TITLE = '=HYPERLINK("http://evil.example","[点此](//evil.example)")'
DOC = "a[x](__evil.example).txt"


def page(slug, secrets=None):
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=30)
    for k, v in (secrets or {}).items():
        at.secrets[k] = v
    at.run()
    at.switch_page(BY_SLUG[slug].path)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture
def option(monkeypatch):
    """Set a Streamlit config option for one test (secrets.files, server.address)."""
    saved = {}

    def set_(key, value):
        saved.setdefault(key, config.get_option(key))
        config.set_option(key, value)
    yield set_
    for key, value in saved.items():
        config.set_option(key, value)


@pytest.fixture
def secrets_file(tmp_path, option):
    import streamlit as st

    def write(text: bytes):
        path = tmp_path / "secrets.toml"
        path.write_bytes(text)
        option("secrets.files", [str(path)])
        st.secrets._reset()
        return path
    yield write
    st.secrets._reset()


@pytest.fixture(scope="module")
def stored():
    return auth.hash_password("s3cret")


def locked(at) -> str:
    assert not any("修改或撤销" in s.value for s in at.subheader), "editing must stay locked"
    assert "editor_password" not in [w.key for w in at.text_input], "no password prompt when locked"
    return at.error[0].value


# ---------------------------------------------------------------- editing fails closed

def test_a_secrets_file_that_cannot_be_parsed_locks_editing(app, secrets_file):
    secrets_file(b'editor_password_hash = "pbkdf2_sha256$600000$ab\n')     # unterminated string
    message = locked(page("import"))
    assert message.startswith("编辑已锁定：secrets.toml 无法解析，请管理员修正：")
    assert message.endswith(" (Editing is locked: the secrets file cannot be parsed; administrator, please fix it.)")
    assert "line 1" in message


def test_a_secrets_file_that_is_not_utf8_locks_editing(app, secrets_file):
    secrets_file(b"\xff\xfe garbage")
    assert locked(page("import")).startswith("编辑已锁定：secrets.toml 无法解析，请管理员修正：")


def test_a_misspelt_key_locks_editing(app, stored):
    at = page("import", {"editor_pasword_hash": stored})
    assert locked(at) == auth.MSG_NO_KEY.format(keys="editor_pasword_hash")


def test_a_malformed_hash_locks_editing(app):
    at = page("import", {"editor_password_hash": "s3cret"})
    assert locked(at) == auth.MSG_MALFORMED.format(reason=(
        "应为 pbkdf2_sha256$迭代次数$盐$摘要，盐为 16–64 字节、摘要为 32 字节的十六进制 "
        "(expected pbkdf2_sha256$iterations$salt-hex$sha256-digest-hex)"))


def test_the_shipped_config_listens_on_this_computer_only():
    import tomllib
    assert tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())["server"]["address"] == "127.0.0.1"


def test_without_secrets_editing_is_open_only_when_the_server_listens_on_this_computer(app, option):
    at = page("import")
    assert at.info[0].value == auth.MSG_LOCAL and any("修改或撤销" in s.value for s in at.subheader)
    option("server.address", "0.0.0.0")
    at = page("import")
    assert locked(at) == auth.MSG_EXPOSED.format(zh="0.0.0.0", en="0.0.0.0")


class Clock:
    """A stand-in for time.monotonic that moves only when the test says so."""
    now = 1000.0

    def monotonic(self):
        return self.now


def test_wrong_passwords_are_slowed_down_per_session(app, stored, monkeypatch):
    clock = Clock()
    monkeypatch.setattr("ui.auth.time", clock)
    at = page("import", {"editor_password_hash": stored})
    box = lambda: at.text_input(key="editor_password")  # noqa: E731
    box().input("wrong-1").run()
    assert at.error[0].value == MSG_WRONG_FIRST == "密码不正确 (wrong password)"
    assert box().value == ""                                   # the field is cleared after each attempt
    box().input("wrong-2").run()
    assert at.error[0].value == MSG_WRONG.format(s=1) == "密码不正确，请 1 秒后再试 (wrong password; try again in 1 s)"
    box().input("s3cret").run()                                # too soon: not even checked
    assert at.error[0].value == MSG_TOO_SOON.format(s=1) == "尝试过于频繁，请 1 秒后再试 (too many attempts; try again in 1 s)"
    assert not any("修改或撤销" in s.value for s in at.subheader)
    assert at.session_state["editor_failures"] == 2
    clock.now += 0.5
    box().input("s3cret").run()
    assert at.error[0].value == MSG_TOO_SOON.format(s=1)       # half a second left, rounded up
    clock.now += 0.5                                           # the wait is over
    box().input("s3cret").run()
    assert any("修改或撤销" in s.value for s in at.subheader) and not at.error


def test_a_changed_password_locks_a_session_that_had_logged_in(app, stored):
    at = page("import", {"editor_password_hash": stored})
    at.text_input(key="editor_password").input("s3cret").run()
    assert any("修改或撤销" in s.value for s in at.subheader)
    at.secrets["editor_password_hash"] = auth.hash_password("n3w-secret")
    at.run()
    assert not any("修改或撤销" in s.value for s in at.subheader)


# ---------------------------------------------------------------- document text shown literally

@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A warehouse of one report whose file name, title and quote carry Markdown links, an image
    and a spreadsheet formula."""
    from etl.build import build
    home = tmp_path_factory.mktemp("hostile")
    raw = home / "data" / "raw"
    raw.mkdir(parents=True)
    (raw / DOC).write_text(f"重庆市北碚区2021年法治政府建设年度报告\n\n2021年，全区{IMAGE}{LINK}全流程网上办率达到72%，"
                           "行政机关负责人出庭应诉率为95%。\n", encoding="utf-8")
    with open(raw / "metadata.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=["doc", "title", "district", "doc_type", "period", "doc_date", "sha256"])
        w.writeheader()
        w.writerow({"doc": DOC, "title": TITLE, "district": "北碚区", "doc_type": "annual_report", "period": "2021"})
    db = home / "warehouse.duckdb"
    mp = pytest.MonkeyPatch()
    mp.setenv("FAZHI_HOME", str(home))
    build(db=db, raw_dir=raw)
    mp.undo()
    return home, db


@pytest.fixture
def hostile_app(hostile, monkeypatch):
    home, db = hostile
    monkeypatch.setenv("FAZHI_HOME", str(home))
    monkeypatch.setenv("FAZHI_DB", str(db))
    monkeypatch.chdir(REPO)
    return lambda slug: page(slug)


def no_markdown_syntax(md: str) -> bool:
    """True when, escapes removed, the Markdown holds no link, image or HTML syntax."""
    bare = re.sub(r"\\.", "", md, flags=re.S)
    return not re.search(r"[\[\]<>]", bare)


def markdown_sources(at) -> list[str]:
    out = [e.value for kind in ("markdown", "caption", "subheader", "info", "success", "warning", "error")
           for e in getattr(at, kind)]
    return out + [m.help for m in at.metric if m.help] + [c.label for c in at.checkbox]


def test_a_quote_with_a_link_and_an_image_is_shown_as_text_on_the_overview(hostile_app):
    at = hostile_app("overview")
    helps = [m.help for m in at.metric if m.help and "全流程网上办率达到72%" in m.help]
    assert helps and literal(LINK) in helps[0]
    assert all(no_markdown_syntax(s) for s in markdown_sources(at)), markdown_sources(at)


def test_a_title_with_a_link_is_shown_as_text_on_the_evidence_page(hostile_app):
    at = hostile_app("evidence")
    assert any(literal(TITLE) in c.value for c in at.caption)   # the source is named by its title, as text
    assert all(no_markdown_syntax(s) for s in markdown_sources(at)), markdown_sources(at)


def test_a_quote_with_a_link_is_shown_as_text_on_the_import_page(hostile_app):
    at = hostile_app("import")
    assert any(literal(LINK) in c.value for c in at.caption)
    assert all(no_markdown_syntax(s) for s in markdown_sources(at)), markdown_sources(at)


def test_the_evidence_snippet_is_html_with_no_markup_or_markdown_link_from_the_document():
    raw = f"前文<script>alert(1)</script>{IMAGE}{LINK}全流程网上办率达到72%。"
    start = raw.index("全流程")
    out = highlighted(raw, start, start + 12)
    inner = re.sub(r"^<div [^>]*>|</div>$", "", out).replace("<mark style='background:#F0E442'>", "").replace("</mark>", "")
    assert "<" not in inner and "](" not in inner and "![" not in inner
    assert "&lt;script&gt;" in inner and "&#91;点此核对&#93;&#40;//evil.example&#41;" in inner


# ---------------------------------------------------------------- exports

def test_the_xlsx_export_holds_text_not_formulas_and_keeps_numbers_numeric(hostile):
    import duckdb

    from metrics.data import load_frames
    docs = load_frames(duckdb.connect(str(hostile[1]), read_only=True)).documents
    table = pd.DataFrame({"区县": ["=cmd|' /C calc'!A0", "北碚区"], "数值": [-5.0, 72.0],
                          "原文": ["@SUM(A1)\x07", "+1 条\x1b"], "来源文件": [DOC, DOC]})
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes({"证据": table, "文件": docs[["doc", "title", "district"]]})))
    ev, files = book["证据"], book["文件"]
    assert [c.value for c in ev[2]] == ["'=cmd|' /C calc'!A0", -5.0, "'@SUM(A1)", DOC]
    assert [c.value for c in ev[3]] == ["北碚区", 72.0, "'+1 条", DOC]
    assert ev["B2"].data_type == "n" and ev["A2"].data_type == "s"
    title = files["B2"]
    assert title.data_type == "s" and title.value.startswith("'=HYPERLINK(")
    assert not any(c.data_type == "f" for sheet in book for row in sheet.iter_rows() for c in row)


def test_the_csv_export_quotes_formulas_and_drops_control_characters():
    table = pd.DataFrame({"区县": ["=HYPERLINK(\"//x\")", "渝北区"], "数值": [-5.0, 95.5], "原文": ["a\x00b", "-3 项"]})
    rows = list(csv.reader(io.StringIO(csv_bytes(table).decode("utf-8-sig"))))
    assert rows == [["区县", "数值", "原文"], ["'=HYPERLINK(\"//x\")", "-5.0", "ab"], ["渝北区", "95.5", "'-3 项"]]
