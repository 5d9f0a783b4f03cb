"""A real browser against a live `streamlit run`: every page loads without an error box.
Screenshots go to screenshots/ (git-ignored). Needs Debian's chromium and chromium-driver
(apt-get install chromium chromium-driver fonts-noto-cjk); skipped with that reason otherwise."""
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from pages.views.registry import PAGES
from tests.conftest import REPO

CHROMIUM, DRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
pytestmark = pytest.mark.skipif(not (os.path.exists(CHROMIUM) and os.path.exists(DRIVER)),
                                reason="Debian chromium/chromium-driver not installed")
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1600,1100"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(warehouse):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                             "--server.headless", "true", "--server.address", "127.0.0.1"],
                            cwd=REPO, env={**os.environ, "FAZHI_DB": str(warehouse)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=1)
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("streamlit did not start")
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    for f in FLAGS + [f"--user-data-dir={tmp_path_factory.mktemp('chrome')}"]:
        options.add_argument(f)
    options.binary_location = CHROMIUM
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    yield driver
    driver.quit()


def wait_for(driver, css, seconds=30):
    from selenium.webdriver.common.by import By
    end = time.time() + seconds
    while time.time() < end:
        found = driver.find_elements(By.CSS_SELECTOR, css)
        if found:
            return found
        time.sleep(0.3)
    return []


@pytest.mark.parametrize("page", PAGES, ids=[p.slug for p in PAGES])
def test_every_page_loads_in_a_real_browser_without_an_error_box(server, browser, page):
    from selenium.webdriver.common.by import By
    browser.get(f"{server}/{page.slug}")
    assert wait_for(browser, "h1"), f"{page.slug}: no title rendered"
    time.sleep(2)  # let charts and tables finish
    title = browser.find_element(By.CSS_SELECTOR, "h1").text
    assert page.title_zh in title
    assert not browser.find_elements(By.CSS_SELECTOR, '[data-testid="stException"]'), f"{page.slug}: exception shown"
    errors = browser.find_elements(By.CSS_SELECTOR, '[data-testid="stAlertContentError"]')
    assert not errors, f"{page.slug}: {[e.text for e in errors]}"
    shots = REPO / "screenshots"
    shots.mkdir(exist_ok=True)
    browser.save_screenshot(str(shots / f"{page.slug}.png"))
    assert (shots / f"{page.slug}.png").stat().st_size > 10_000
