"""Who may edit. No streamlit import: ui/auth.py reads the secrets and the server address and asks
:func:`decide_access`; the CLI's ``hash-password`` uses :func:`hash_password`.

The editor password is stored only as ``pbkdf2_sha256$<iterations>$<salt hex>$<digest hex>``
(PBKDF2-HMAC-SHA256, 16-byte random salt) under ``editor_password_hash`` in
``.streamlit/secrets.toml``. Editing fails closed: a secrets file that cannot be parsed, lacks the
key or holds a malformed hash locks editing with a message to the administrator. Local
single-user mode (editing without a password) only when no secrets file exists at all and the
server listens on a loopback address.
"""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

from etl.text import InputError

ALGORITHM = "pbkdf2_sha256"
ITERATIONS = 600_000         # new hashes: OWASP's 2023 figure for PBKDF2-HMAC-SHA256
MIN_ITERATIONS = 200_000     # the count this tool used before; stored hashes below it are refused
MAX_ITERATIONS = 10_000_000  # more would stall the server for seconds at every attempt
SECRET_KEY = "editor_password_hash"
_HASH = re.compile(r"pbkdf2_sha256\$(\d{1,9})\$((?:[0-9a-f]{2}){16,64})\$([0-9a-f]{64})")

MSG_LOCAL = ("本地单用户模式：未配置编辑密码，编辑功能已开启，仅本机可以访问。"
             "(Local single-user mode: no editor password is set; editing is on and only this computer can open the app.)")
MSG_PASSWORD = "导入和修改数据需要编辑权限；浏览数据不需要。(Import and corrections need the editor password.)"
MSG_EXPOSED = ("编辑已锁定：未配置编辑密码，而服务器监听「{zh}」，其他电脑也能打开本应用。"
               "请用 python -m etl hash-password 设置编辑密码，写入 .streamlit/secrets.toml。"
               "(Editing is locked: no editor password is set and the server listens on {en}, so other computers "
               "can open the app. Set one with python -m etl hash-password in .streamlit/secrets.toml.)")
MSG_UNREADABLE = ("编辑已锁定：secrets.toml 无法解析，请管理员修正：{error} "
                  "(Editing is locked: the secrets file cannot be parsed; administrator, please fix it.)")
MSG_NO_KEY = ("编辑已锁定：secrets.toml 中没有 editor_password_hash（现有的键：{keys}），"
              "请管理员写入 python -m etl hash-password 打印的那一行。"
              "(Editing is locked: secrets.toml has no editor_password_hash; administrator, "
              "add the line printed by python -m etl hash-password.)")
MSG_MALFORMED = ("编辑已锁定：secrets.toml 中的 editor_password_hash 格式不正确（{reason}），"
                 "请管理员用 python -m etl hash-password 重新生成。"
                 "(Editing is locked: editor_password_hash in secrets.toml is malformed; administrator, "
                 "regenerate it with python -m etl hash-password.)")
MSG_EMPTY = "编辑密码不能为空 (the editor password must not be empty)"


def hash_password(password: str, salt: bytes | None = None, iterations: int = ITERATIONS) -> str:
    """``pbkdf2_sha256$<iterations>$<salt hex>$<digest hex>`` of a password (str, UTF-8).
    A new 16-byte random salt unless one is given. Raises InputError for an empty password."""
    if not password:
        raise InputError(MSG_EMPTY)
    salt = salt or os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    return f"{ALGORITHM}${iterations}${salt.hex()}${digest.hex()}"


def parse_hash(stored) -> tuple[int, bytes, bytes]:
    """(iterations, salt, digest) of a stored hash. Raises InputError naming what is wrong: not a
    string of the form above, or an iteration count outside MIN_ITERATIONS–MAX_ITERATIONS."""
    m = _HASH.fullmatch(stored.strip()) if isinstance(stored, str) else None
    if m is None:
        raise InputError("应为 pbkdf2_sha256$迭代次数$盐$摘要，盐为 16–64 字节、摘要为 32 字节的十六进制 "
                         "(expected pbkdf2_sha256$iterations$salt-hex$sha256-digest-hex)")
    iterations = int(m[1])
    if not MIN_ITERATIONS <= iterations <= MAX_ITERATIONS:
        raise InputError(f"迭代次数 {iterations} 不在 {MIN_ITERATIONS}–{MAX_ITERATIONS} 之间 "
                         f"(iterations {iterations} outside {MIN_ITERATIONS}–{MAX_ITERATIONS})")
    return iterations, bytes.fromhex(m[2]), bytes.fromhex(m[3])


def verify_password(password: str, stored: str) -> bool:
    """True when the password matches the stored hash, computed with the hash's own iteration
    count (older hashes of MIN_ITERATIONS still work). Constant-time comparison. An empty password
    is False. Raises InputError for a malformed stored hash (see :func:`parse_hash`)."""
    iterations, salt, digest = parse_hash(stored)
    if not password:
        return False
    return hmac.compare_digest(hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations), digest)


def retry_delay(failures: int) -> int:
    """Seconds a session waits before its next password attempt after ``failures`` wrong ones in
    a row: none after one typo, then 1, 2, 4, … capped at 60."""
    return 0 if failures <= 1 else min(2 ** (failures - 2), 60)


def is_loopback(address: str | None) -> bool:
    """True for an address only this computer can reach (127.0.0.0/8, ::1, "localhost"); False
    for an empty address (Streamlit then listens on every interface) and any other."""
    if not address:
        return False
    if address.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip().strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Access:
    """What the app lets this server do: ``mode`` is "local" (edit without a password), "password"
    (edit after the password) or "locked" (nobody edits); ``message`` is shown on the page
    (Chinese, then English); ``stored_hash`` is set in "password" mode."""
    mode: str
    message: str
    stored_hash: str = ""


def decide_access(secrets: Mapping | None, read_error: str = "", address: str | None = None) -> Access:
    """Editing policy from the secrets and the server address.

    ``secrets``: the parsed secrets (a mapping), or None when no secrets file exists at all.
    ``read_error``: non-empty when a secrets file exists but could not be read or parsed.
    ``address``: the server's configured ``server.address`` ("" or None: every interface).
    """
    if read_error:
        return Access("locked", MSG_UNREADABLE.format(error=read_error))
    if secrets is None:
        if is_loopback(address):
            return Access("local", MSG_LOCAL)
        return Access("locked", MSG_EXPOSED.format(zh=address or "所有网络地址", en=address or "every address"))
    if SECRET_KEY not in secrets:
        return Access("locked", MSG_NO_KEY.format(keys="、".join(map(str, secrets)) or "无"))
    stored = secrets[SECRET_KEY]
    try:
        parse_hash(stored)
    except InputError as e:
        return Access("locked", MSG_MALFORMED.format(reason=e))
    return Access("password", MSG_PASSWORD, stored.strip())
