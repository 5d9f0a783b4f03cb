"""Start the dashboard: ``python -m ui.serve [streamlit options]`` = ``streamlit run app.py …``.

Streamlit treats an app whose folder holds a ``pages/`` directory as a legacy multipage app until
its first script run calls ``st.navigation``, so the very first visitor who opens a page by its
own address (``/compare``) got a "Page not found" dialog (streamlit/streamlit#9992). This
project's ``pages/`` holds the views registered with ``st.navigation``; the launcher says so
before the server starts. ``streamlit run app.py`` still works, with that one dialog.

Streamlit runs a full garbage collection after every script run (``runner.postScriptGC``): with a
national warehouse's frames in the process that costs 0.1 s of CPU per rerun, half of a cached
rerun's. The launcher turns it off (Python's own generational collection still runs; the
environment variable ``STREAMLIT_RUNNER_POST_SCRIPT_GC=true`` or ``--runner.postScriptGC true``
turns it back on).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app.py"


def main(argv: list[str] | None = None) -> None:
    """Run the Streamlit server on app.py with ``argv`` as extra ``streamlit run`` options."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli

    if hasattr(PagesManager, "uses_pages_directory"):
        PagesManager.uses_pages_directory = False  # navigation is declared by st.navigation in app.py
    os.environ.setdefault("STREAMLIT_RUNNER_POST_SCRIPT_GC", "false")   # see the module docstring
    sys.argv = ["streamlit", "run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    cli.main()


if __name__ == "__main__":
    main()
