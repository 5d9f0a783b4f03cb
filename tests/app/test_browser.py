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
# Skipped on a developer machine without the packages; in CI (.ci/run installs them) never skipped.
pytestmark = pytest.mark.skipif(not (os.path.exists(CHROMIUM) and os.path.exists(DRIVER)) and not os.environ.get("CI"),
                                reason="Debian chromium/chromium-driver not installed")
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1600,1100"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(env):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "ui.serve", "--server.port", str(port),
                             "--server.headless", "true", "--server.address", "127.0.0.1"],
                            cwd=REPO, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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
    return proc, url


@pytest.fixture(scope="module")
def server(warehouse):
    proc, url = start({"FAZHI_DB": str(warehouse)})
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


def no_error_boxes(browser):
    from selenium.webdriver.common.by import By
    return not browser.find_elements(By.CSS_SELECTOR, '[data-testid="stException"], [data-testid="stAlertContentError"]')


@pytest.fixture
def private_server(tmp_path):
    """A server of its own on a copy of the shipped data: (url, environment)."""
    import shutil
    shutil.copytree(REPO / "data" / "raw", tmp_path / "data" / "raw")
    env = {"FAZHI_HOME": str(tmp_path), "FAZHI_DB": str(tmp_path / "data" / "warehouse.duckdb")}
    subprocess.run([sys.executable, "-m", "etl", "build"], cwd=REPO, env={**os.environ, **env}, check=True)
    proc, url = start(env)
    yield url, env
    proc.terminate()
    proc.wait(timeout=10)


def test_importing_while_the_app_is_serving_gives_its_users_no_error(browser, private_server, tmp_path):
    from selenium.webdriver.common.by import By
    url, env = private_server
    report = tmp_path / "upload.txt"
    report.write_text((REPO / "data" / "raw" / "002_d61b1cf0558df1ae.txt").read_text(encoding="utf-8")
                      .replace("北碚区", "渝中区"), encoding="utf-8")
    importer = subprocess.Popen([sys.executable, "-m", "etl", "add", str(report), "--who", "测试"], cwd=REPO,
                                env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    while importer.poll() is None:  # users keep loading pages while the import rebuilds the warehouse
        browser.get(f"{url}/data")
        assert wait_for(browser, "h1")
        assert no_error_boxes(browser)
    out, err = importer.communicate()
    assert importer.returncode == 0, err
    for _ in range(3):
        browser.get(f"{url}/data")
        wait_for(browser, "h1")
        time.sleep(2)
        assert no_error_boxes(browser)
        if "渝中区" in browser.find_element(By.TAG_NAME, "body").text:
            break
    assert "渝中区" in browser.find_element(By.TAG_NAME, "body").text


def test_a_batch_of_reports_is_previewed_per_file_and_imported_together(browser, private_server, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    url, _ = private_server
    seed = (REPO / "data" / "raw" / "002_d61b1cf0558df1ae.txt").read_text(encoding="utf-8")
    files = []
    for name in ("渝中区", "巫山县"):
        f = tmp_path / f"{name}.txt"
        f.write_text(seed.replace("北碚区", name), encoding="utf-8")
        files.append(str(f))
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    files.append(str(bad))
    browser.get(f"{url}/import")  # the fresh server's first page: no "Page not found" dialog (ui/serve.py)
    wait_for(browser, 'input[type="file"]')[0].send_keys("\n".join(files))
    for _ in range(60):
        body = browser.find_element(By.TAG_NAME, "body").text
        if "渝中区.txt：渝中区 · 2020" in body and "巫山县.txt：巫山县 · 2020" in body and "empty.txt：未能导入" in body:
            break
        time.sleep(0.5)
    assert "「empty.txt」是空文件" in body and "Page not found" not in body
    browser.save_screenshot(str(REPO / "screenshots" / "import_batch_preview.png"))
    who = browser.find_element(By.CSS_SELECTOR, 'input[aria-label^="操作人姓名"]')
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", who)
    who.click()
    who.send_keys("测试", Keys.TAB)
    time.sleep(2)
    button = next(b for b in browser.find_elements(By.TAG_NAME, "button") if "确认导入 2 份文件" in b.text)
    assert button.is_enabled()
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", button)
    for _ in range(60):
        body = browser.find_element(By.TAG_NAME, "body").text
        if "已导入「巫山县.txt」" in body:
            break
        time.sleep(0.5)
    assert "已导入「渝中区.txt」" in body and "已导入「巫山县.txt」" in body
    assert not browser.find_elements(By.CSS_SELECTOR, '[data-testid="stException"]')
    browser.save_screenshot(str(REPO / "screenshots" / "import_batch.png"))
