"""Editor role: import and corrections need the editor password when .streamlit/secrets.toml
holds `editor_password_hash` (from `python -m etl hash-password`); without it the app runs in
local single-user mode with editing on, and says so."""
from __future__ import annotations

import streamlit as st

from etl.auth import verify_password


def _stored_hash() -> str:
    try:
        return str(st.secrets.get("editor_password_hash", ""))
    except FileNotFoundError:
        return ""
    except Exception as e:  # a malformed secrets.toml is reported, editing stays locked
        if type(e).__name__ == "StreamlitSecretNotFoundError":
            return ""
        raise


def editor() -> bool:
    """True when this session may edit; draws the password prompt or the local-mode notice."""
    stored = _stored_hash()
    if not stored:
        st.info("本地单用户模式：未配置编辑密码，编辑功能已开启。(Local single-user mode: editing is on.)")
        return True
    if st.session_state.get("editor_ok"):
        return True
    pw = st.text_input("编辑密码 (editor password)", type="password", key="editor_password")
    if pw:
        if verify_password(pw, stored):
            st.session_state["editor_ok"] = True
            st.rerun()
        st.error("密码不正确 (wrong password)")
    st.warning("导入和修改数据需要编辑权限；浏览数据不需要。(Import and corrections need the editor password.)")
    return False
