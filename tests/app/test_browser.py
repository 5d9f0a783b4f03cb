"""A real browser against a live `streamlit run`: every page loads without an error box.
Screenshots go to screenshots/ (git-ignored). Needs Debian's chromium and chromium-driver
(apt-get install chromium chromium-driver fonts-noto-cjk); skipped with that reason otherwise."""
import os
import re
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
# One process runs them all (pytest-xdist's loadgroup): one server and one chromium for the module.
pytestmark = [pytest.mark.skipif(not (os.path.exists(CHROMIUM) and os.path.exists(DRIVER)) and not os.environ.get("CI"),
                                 reason="Debian chromium/chromium-driver not installed"),
              pytest.mark.xdist_group("browser")]
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


MODES = {"zh": "lang=zh", "en": "lang=en", "present": "lang=zh&present=1"}
IDENTIFIER = re.compile(r"\b[a-z]+_[a-z_]+\b")     # a raw identifier: online_service_rate, kind = ambiguous_change
QUOTED = re.compile(r"「[^」]*」|“[^”]*”")           # quotes of the reports may hold anything
MISSING = {"None", "nan", "NaN", "<NA>", "NaT", "null"}


def visible_cells(browser) -> list[str]:
    """Cell texts of every data grid (Glide draws on a canvas; its accessible table holds the
    cells) and of every HTML table."""
    return browser.execute_script(
        "return [...document.querySelectorAll('[data-testid=stDataFrame] td, [data-testid=stDataFrame] th,"
        " [data-testid=stTable] td, [data-testid=stTable] th')].map(c => c.innerText.trim())")


def full_screenshot(browser, path):
    """The whole page, not the first screen: the window is made as tall as the content."""
    height = browser.execute_script(
        "return Math.max(...[...document.querySelectorAll('[data-testid=stMain], [data-testid=stAppViewContainer],"
        " section, body')].map(e => e.scrollHeight))")
    browser.set_window_size(1600, min(max(int(height) + 120, 1100), 9000))
    time.sleep(1)
    browser.save_screenshot(str(path))
    browser.set_window_size(1600, 1100)


def open_page(browser, server, slug, query):
    from selenium.webdriver.common.by import By
    browser.get(f"{server}/{'' if slug == PAGES[0].slug else slug}?{query}")  # the default page's address is /
    assert wait_for(browser, "h1"), f"{slug}: no title rendered"
    for _ in range(40):  # until the page has finished running (no spinner, status widget idle)
        time.sleep(0.5)
        if not browser.find_elements(By.CSS_SELECTOR, '[data-testid="stStatusWidget"] [data-testid="stSpinner"],'
                                                       ' [data-testid="stSkeleton"]'):
            break
    time.sleep(1.5)  # let charts and tables finish


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("page", PAGES, ids=[p.slug for p in PAGES])
def test_every_page_reads_clean_in_a_real_browser(server, browser, page, mode):
    """No error box, no raw identifier outside quotes, no None/nan cell, the title in the
    view's language; a full-page screenshot per page and mode in screenshots/."""
    from selenium.webdriver.common.by import By
    open_page(browser, server, page.slug, MODES[mode])
    title = browser.find_element(By.CSS_SELECTOR, "h1").text
    assert page.title("en" if mode == "en" else "zh").split()[0] in title
    assert not browser.find_elements(By.CSS_SELECTOR, '[data-testid="stException"]'), f"{page.slug}: exception shown"
    errors = browser.find_elements(By.CSS_SELECTOR, '[data-testid="stAlertContentError"]')
    assert not errors, f"{page.slug}: {[e.text for e in errors]}"
    cells = visible_cells(browser)
    text = browser.find_element(By.TAG_NAME, "body").text + "\n" + "\n".join(cells)
    assert "Page not found" not in text
    icons = set(browser.execute_script(  # Material icons are ligatures: 'format_quote' is drawn as a glyph
        "return [...document.querySelectorAll('[data-testid=stIconMaterial]')].map(e => e.innerText.trim())"))
    raw = sorted(set(IDENTIFIER.findall(QUOTED.sub("", text))) - icons)
    assert not raw, f"{page.slug} ({mode}): raw identifiers on screen: {raw}"
    missing = sorted({c for c in cells if c in MISSING})
    assert not missing, f"{page.slug} ({mode}): missing values printed as {missing}"
    shots = REPO / "screenshots"
    shots.mkdir(exist_ok=True)
    full_screenshot(browser, shots / f"{page.slug}_{mode}.png")
    assert (shots / f"{page.slug}_{mode}.png").stat().st_size > 10_000


def font_px(browser, css) -> float:
    """Computed font size of the innermost element holding the first match's text (0 when absent)."""
    wait_for(browser, css, seconds=15)
    return browser.execute_script(
        "let e = document.querySelector(arguments[0]); if (!e) return 0;"
        "while (e.firstElementChild && e.firstElementChild.innerText.trim()) e = e.firstElementChild;"
        "return parseFloat(getComputedStyle(e).fontSize);", css)


def test_presentation_mode_makes_figures_titles_and_tables_larger_and_hides_the_sidebar(server, browser):
    from selenium.webdriver.common.by import By
    sizes = {}
    for present in ("0", "1"):
        open_page(browser, server, "overview", f"present={present}")
        sizes[present] = {"metric": font_px(browser, '[data-testid="stMetricValue"] div'),
                          "title": font_px(browser, "h1")}
        open_page(browser, server, "compare", f"present={present}")
        sizes[present]["table"] = font_px(browser, '[data-testid="stTable"] td')
        sizes[present]["sidebar"] = browser.execute_script(  # how much of the sidebar is on screen
            "const r = document.querySelector('[data-testid=stSidebar]').getBoundingClientRect();"
            "return Math.max(0, Math.min(r.right, window.innerWidth) - Math.max(r.left, 0));")
    assert sizes["1"]["metric"] >= 1.3 * sizes["0"]["metric"] > 0, sizes
    assert sizes["1"]["title"] > sizes["0"]["title"] > 0, sizes
    assert sizes["1"]["table"] >= 20 and sizes["0"]["table"] == 0, sizes   # a large HTML table instead of the grid
    assert sizes["1"]["sidebar"] < 5 and sizes["0"]["sidebar"] > 200, sizes
    # the sidebar's toggle does the same as the address
    open_page(browser, server, "overview", "present=0")
    toggle = next(e for e in browser.find_elements(By.CSS_SELECTOR, '[data-testid="stSidebar"] label')
                  if "演示模式" in e.text)
    toggle.click()
    for _ in range(30):
        time.sleep(0.5)
        if font_px(browser, '[data-testid="stMetricValue"]') >= 1.3 * sizes["0"]["metric"]:
            break
    assert font_px(browser, '[data-testid="stMetricValue"]') >= 1.3 * sizes["0"]["metric"]
    assert "present=1" in browser.current_url


def no_error_boxes(browser):
    from selenium.webdriver.common.by import By
    return not browser.find_elements(By.CSS_SELECTOR, '[data-testid="stException"], [data-testid="stAlertContentError"]')


@pytest.fixture
def private_server(tmp_path, monkeypatch):
    """A server of its own on a copy of the shipped data: (url, environment)."""
    import shutil

    from etl.build import build
    shutil.copytree(REPO / "data" / "raw", tmp_path / "data" / "raw")
    env = {"FAZHI_HOME": str(tmp_path), "FAZHI_DB": str(tmp_path / "data" / "warehouse.duckdb")}
    for k, v in env.items():   # built in this process (what `python -m etl build` does, without starting Python)
        monkeypatch.setenv(k, v)
    build()
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
    # the batch uploader (multiple files): the page also has a one-file uploader, for reference figures
    wait_for(browser, 'input[type="file"][multiple]')[0].send_keys("\n".join(files))
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
