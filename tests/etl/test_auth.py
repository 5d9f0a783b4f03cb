"""Who may edit: the hash format, the fail-closed policy with its exact messages, and the
hash-password command (no password on the command line, empty refused)."""
import io
import sys

import pytest

from etl import auth
from etl.__main__ import main
from etl.text import InputError


@pytest.fixture(scope="module")
def stored():
    return auth.hash_password("Gu4rd-北碚")


def test_new_hashes_use_pbkdf2_sha256_with_at_least_600000_iterations_and_a_16_byte_salt(stored):
    algo, iterations, salt, digest = stored.split("$")
    assert algo == "pbkdf2_sha256" and int(iterations) >= 600_000
    assert len(bytes.fromhex(salt)) == 16 and len(bytes.fromhex(digest)) == 32
    assert auth.hash_password("Gu4rd-北碚") != stored  # a fresh salt every time


def test_the_right_password_verifies_and_wrong_or_empty_ones_do_not(stored):
    assert auth.verify_password("Gu4rd-北碚", stored)
    assert not auth.verify_password("Gu4rd-北", stored)
    assert not auth.verify_password("", stored)


def test_an_older_hash_keeps_working_with_its_own_iteration_count():
    old = auth.hash_password("legacy pass", bytes(range(16)), iterations=200_000)
    assert old.split("$")[1] == "200000"
    assert auth.verify_password("legacy pass", old) and not auth.verify_password("legacy", old)


def test_an_empty_password_is_never_hashed():
    with pytest.raises(InputError) as e:
        auth.hash_password("")
    assert str(e.value) == "编辑密码不能为空 (the editor password must not be empty)"


FORMAT = ("应为 pbkdf2_sha256$迭代次数$盐$摘要，盐为 16–64 字节、摘要为 32 字节的十六进制 "
          "(expected pbkdf2_sha256$iterations$salt-hex$sha256-digest-hex)")


@pytest.mark.parametrize("bad, reason", [
    ("s3cret", FORMAT),                                                   # the password itself pasted
    (12345, FORMAT),                                                      # not a string
    ("pbkdf2_sha256$600000$" + "ab" * 16 + "$" + "cd" * 31, FORMAT),      # digest one byte short
    ("pbkdf2_sha256$600000$" + "ab" * 8 + "$" + "cd" * 32, FORMAT),       # salt of 8 bytes
    ("pbkdf2_sha1$600000$" + "ab" * 16 + "$" + "cd" * 32, FORMAT),        # other algorithm
    ("pbkdf2_sha256$1000$" + "ab" * 16 + "$" + "cd" * 32,
     "迭代次数 1000 不在 200000–10000000 之间 (iterations 1000 outside 200000–10000000)"),
    ("pbkdf2_sha256$999999999$" + "ab" * 16 + "$" + "cd" * 32,
     "迭代次数 999999999 不在 200000–10000000 之间 (iterations 999999999 outside 200000–10000000)"),
])
def test_a_malformed_hash_locks_editing_and_says_what_is_wrong(bad, reason):
    with pytest.raises(InputError) as e:
        auth.parse_hash(bad)
    assert str(e.value) == reason
    got = auth.decide_access({"editor_password_hash": bad}, "", "0.0.0.0")
    assert got.mode == "locked"
    assert got.message == (f"编辑已锁定：secrets.toml 中的 editor_password_hash 格式不正确（{reason}），"
                           "请管理员用 python -m etl hash-password 重新生成。(Editing is locked: editor_password_hash "
                           "in secrets.toml is malformed; administrator, regenerate it with python -m etl hash-password.)")


def test_a_valid_hash_asks_for_the_password_on_any_address(stored):
    for address in ("0.0.0.0", "127.0.0.1", ""):
        got = auth.decide_access({"editor_password_hash": stored + "\n"}, "", address)
        assert got == auth.Access("password", "导入和修改数据需要编辑权限；浏览数据不需要。(Import and corrections need "
                                              "the editor password.)", stored)


def test_a_misspelt_key_locks_editing_and_lists_the_keys_found(stored):
    got = auth.decide_access({"editor_pasword_hash": stored, "other": 1}, "", "127.0.0.1")
    assert got.mode == "locked"
    assert got.message == ("编辑已锁定：secrets.toml 中没有 editor_password_hash（现有的键：editor_pasword_hash、other），"
                           "请管理员写入 python -m etl hash-password 打印的那一行。(Editing is locked: secrets.toml has "
                           "no editor_password_hash; administrator, add the line printed by python -m etl hash-password.)")
    assert "现有的键：无" in auth.decide_access({}, "", "127.0.0.1").message


def test_an_unparseable_secrets_file_locks_editing_even_on_this_computer():
    got = auth.decide_access(None, "Expected '=' after a key (at line 1, column 9)", "127.0.0.1")
    assert got.mode == "locked"
    assert got.message == ("编辑已锁定：secrets.toml 无法解析，请管理员修正：Expected '=' after a key (at line 1, column 9) "
                           "(Editing is locked: the secrets file cannot be parsed; administrator, please fix it.)")


@pytest.mark.parametrize("address", ["127.0.0.1", "127.8.9.10", "localhost", "::1", "[::1]"])
def test_without_a_secrets_file_editing_is_open_only_on_a_loopback_address(address):
    got = auth.decide_access(None, "", address)
    assert got == auth.Access("local", "本地单用户模式：未配置编辑密码，编辑功能已开启，仅本机可以访问。(Local single-user "
                                       "mode: no editor password is set; editing is on and only this computer can open the app.)")


@pytest.mark.parametrize("address, zh, en", [
    ("0.0.0.0", "0.0.0.0", "0.0.0.0"), ("192.168.3.7", "192.168.3.7", "192.168.3.7"), ("::", "::", "::"),
    ("", "所有网络地址", "every address"), (None, "所有网络地址", "every address"),
    ("intranet.example", "intranet.example", "intranet.example")])
def test_without_a_secrets_file_a_reachable_server_locks_editing_and_asks_for_a_password(address, zh, en):
    got = auth.decide_access(None, "", address)
    assert got.mode == "locked"
    assert got.message == (f"编辑已锁定：未配置编辑密码，而服务器监听「{zh}」，其他电脑也能打开本应用。"
                           "请用 python -m etl hash-password 设置编辑密码，写入 .streamlit/secrets.toml。"
                           f"(Editing is locked: no editor password is set and the server listens on {en}, so other "
                           "computers can open the app. Set one with python -m etl hash-password in .streamlit/secrets.toml.)")


def test_failed_attempts_wait_longer_each_time_up_to_a_minute():
    assert [auth.retry_delay(n) for n in range(0, 10)] == [0, 0, 1, 2, 4, 8, 16, 32, 60, 60]


# ---------------------------------------------------------------- python -m etl hash-password

def run_cli(monkeypatch, capsys, stdin_text: str, *args):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin_text))
    code = main(["hash-password", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_hash_password_reads_one_line_from_a_pipe_and_prints_the_secrets_line(monkeypatch, capsys):
    code, out, err = run_cli(monkeypatch, capsys, "Pipe-pass 7\r\nignored second line\n")
    assert code == 0 and err == ""
    assert out.startswith('editor_password_hash = "pbkdf2_sha256$600000$') and out.endswith('"\n')
    stored = out.split('"')[1]
    assert auth.verify_password("Pipe-pass 7", stored) and not auth.verify_password("Pipe-pass 7\r", stored)


@pytest.mark.parametrize("stdin_text", ["\n", ""])
def test_hash_password_refuses_an_empty_password_and_exits_non_zero(monkeypatch, capsys, stdin_text):
    code, out, err = run_cli(monkeypatch, capsys, stdin_text)
    assert (code, out) == (1, "")
    assert err == "错误：编辑密码不能为空 (the editor password must not be empty)\n"


def test_hash_password_no_longer_takes_the_password_on_the_command_line(monkeypatch, capsys):
    with pytest.raises(SystemExit) as e:
        run_cli(monkeypatch, capsys, "x\n", "--password", "visible-in-ps")
    assert e.value.code == 2


def test_hash_password_on_a_terminal_asks_twice_without_echo_and_refuses_two_different_entries(monkeypatch, capsys):
    import getpass
    answers = iter(["Term-pass 1", "Term-pass 2"])
    prompts = []
    monkeypatch.setattr(getpass, "getpass", lambda prompt: prompts.append(prompt) or next(answers))
    tty = io.StringIO()
    tty.isatty = lambda: True
    monkeypatch.setattr(sys, "stdin", tty)
    assert main(["hash-password"]) == 1
    assert prompts == ["编辑密码 (editor password): ", "再输入一次 (again): "]
    out = capsys.readouterr()
    assert out.out == "" and out.err == "错误：两次输入的密码不一致 (the two entries differ)\n"
