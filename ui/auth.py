"""Editor role on the pages. The policy is etl.auth.decide_access: a password from
.streamlit/secrets.toml (``editor_password_hash``, made by ``python -m etl hash-password``); local
single-user mode only when no secrets file exists and the server listens on 127.0.0.1; any
problem with the secrets locks editing with a message to the administrator."""
from __future__ import annotations

import math
import time
from pathlib import Path

import streamlit as st

from etl.auth import Access, decide_access, retry_delay, verify_password

MSG_WRONG_FIRST = "密码不正确 (wrong password)"
MSG_WRONG = "密码不正确，请 {s} 秒后再试 (wrong password; try again in {s} s)"
MSG_TOO_SOON = "尝试过于频繁，请 {s} 秒后再试 (too many attempts; try again in {s} s)"


def access() -> Access:
    """This server's editing policy, read on every run (a changed secrets file counts at once)."""
    try:
        secrets, error = st.secrets.to_dict(), ""
    except (OSError, ValueError) as e:  # StreamlitSecretNotFoundError is a FileNotFoundError
        exists = any(Path(p).exists() for p in st.get_option("secrets.files"))
        secrets, error = None, (str(e) if exists else "")
    return decide_access(secrets, error, st.get_option("server.address"))


def _attempt(stored: str) -> None:
    """Password field callback: check one attempt, at most one per retry_delay(failures) seconds."""
    ss = st.session_state
    pw, ss["editor_password"] = ss.get("editor_password", ""), ""
    if not pw:
        return
    wait = ss.get("editor_retry_at", 0.0) - time.monotonic()
    if wait > 0:
        ss["editor_notice"] = MSG_TOO_SOON.format(s=math.ceil(wait))
    elif verify_password(pw, stored):
        ss["editor_ok"], ss["editor_failures"], ss["editor_notice"] = stored, 0, ""
    else:
        ss["editor_failures"] = ss.get("editor_failures", 0) + 1
        delay = retry_delay(ss["editor_failures"])
        ss["editor_retry_at"] = time.monotonic() + delay
        ss["editor_notice"] = MSG_WRONG.format(s=delay) if delay else MSG_WRONG_FIRST


def editor() -> bool:
    """True when this session may edit; draws the password prompt, the local-mode notice or the
    reason editing is locked."""
    policy = access()
    if policy.mode == "local":
        st.info(policy.message)
        return True
    if policy.mode == "locked":
        st.error(policy.message)
        return False
    if st.session_state.get("editor_ok") == policy.stored_hash:
        return True
    st.text_input("编辑密码 (editor password)", type="password", key="editor_password",
                  on_change=_attempt, args=(policy.stored_hash,))
    if st.session_state.get("editor_notice"):
        st.error(st.session_state["editor_notice"])
    st.warning(policy.message)
    return False
