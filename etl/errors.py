"""Messages for failures of the machine rather than of the input: a full disk, a read-only
folder, a database held by another program. Each is Chinese, then English, and names the path."""
from __future__ import annotations

import errno
import re

import duckdb


def system_message(e: BaseException) -> str:
    """One readable line for an OSError or a duckdb.Error (never a traceback)."""
    text = str(e)
    if isinstance(e, OSError):
        where = f"「{e.filename}」" if e.filename else ""
        if e.errno == errno.ENOSPC:
            return f"磁盘空间不足，无法写入{where}；数据未改动 (disk full: nothing was changed)"
        if e.errno == errno.ENOENT:
            return f"找不到文件{where} (file not found)"
        if e.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return f"没有写入权限{where}；请检查 data 目录的权限 (permission denied: nothing was changed)"
        if e.errno == errno.EISDIR:
            return f"{where or '所给路径'}是文件夹，不是文件；请给出报告文件 (a folder, not a file: name the report files)"
        return f"文件操作失败{where} (file operation failed: {e.strerror or text})"
    if "No space left" in text or "disk is full" in text.lower():
        return "磁盘空间不足，数据库未能写入；数据未改动 (disk full: nothing was changed)"
    if "Could not set lock" in text or "Conflicting lock" in text:
        return ("数据库正被另一个程序以写入方式打开（例如 DuckDB 命令行），请关闭它后重试 "
                "(the warehouse is held open for writing by another program: close it and retry)")
    if isinstance(e, duckdb.Error):
        first = text.splitlines()[0] if text else type(e).__name__
        return f"数据库操作失败：{first} (database error)"
    return f"{type(e).__name__}: {text}"


_ARGPARSE = [  # argparse's English message → its Chinese reading
    (re.compile(r"the following arguments are required: (.+)"), "缺少必需的参数：{0}"),
    (re.compile(r"argument (\S+): invalid (\w+) value: '(.*)'"), "参数 {0} 的值「{2}」无效，应为 {1}"),
    (re.compile(r"argument (\S+): invalid choice: '?([^' ]*)'? \(choose from (.+)\)"), "参数 {0} 的取值「{1}」无效，可选：{2}"),
    (re.compile(r"argument (\S+): not allowed with argument (\S+)"), "参数 {0} 不能与 {1} 同时使用"),
    (re.compile(r"one of the arguments (.+) is required"), "必须给出以下参数之一：{0}"),
    (re.compile(r"argument (\S+): expected one argument"), "参数 {0} 需要一个值"),
    (re.compile(r"unrecognized arguments: (.+)"), "无法识别的参数：{0}"),
]


_TYPES = {"float": "数值", "int": "整数"}


def argparse_message(message: str) -> str:
    """argparse's error ``message`` as 「中文 (English)」."""
    for pattern, zh in _ARGPARSE:
        m = pattern.search(message)
        if m:
            groups = [_TYPES.get(g, g) for g in m.groups()]
            return f"{zh.format(*groups)} ({message})"
    return f"命令参数有误 ({message})"
