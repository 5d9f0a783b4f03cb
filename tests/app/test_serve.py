"""The launcher (ui/serve.py): no full garbage collection after every script run unless asked for."""
import sys

import pytest

from ui import serve


@pytest.mark.parametrize("given, want", [(None, "false"), ("true", "true")])
def test_the_launcher_turns_off_the_collection_after_each_run_unless_the_operator_set_it(monkeypatch, given, want):
    from streamlit.web import cli
    seen = {}
    if given is None:
        monkeypatch.delenv("STREAMLIT_RUNNER_POST_SCRIPT_GC", raising=False)
    else:
        monkeypatch.setenv("STREAMLIT_RUNNER_POST_SCRIPT_GC", given)
    monkeypatch.setattr(cli, "main", lambda: seen.update(argv=list(sys.argv)))
    monkeypatch.setattr(sys, "argv", list(sys.argv))
    serve.main(["--server.port", "1"])
    import os
    assert os.environ["STREAMLIT_RUNNER_POST_SCRIPT_GC"] == want
    assert seen["argv"][:2] == ["streamlit", "run"] and seen["argv"][-2:] == ["--server.port", "1"]
