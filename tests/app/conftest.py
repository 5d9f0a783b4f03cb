import pytest

from etl.build import build
from tests.conftest import REPO


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory):
    db = tmp_path_factory.mktemp("wh") / "warehouse.duckdb"
    build(db=db, raw_dir=REPO / "data" / "raw")
    return db


@pytest.fixture
def app(warehouse, monkeypatch):
    from streamlit.testing.v1 import AppTest
    monkeypatch.setenv("FAZHI_DB", str(warehouse))
    monkeypatch.chdir(REPO)

    def make(page=None, **params):
        at = AppTest.from_file(str(REPO / "app.py"), default_timeout=30)
        for k, v in params.items():
            at.query_params[k] = v
        at.run()
        if page is not None and page.slug != "overview":  # overview is the default page
            at.switch_page(page.path)
            at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at
    return make
