"""The built pages in headless Chromium, served from localhost: direction, links, console, axe."""

from __future__ import annotations

import base64
import functools
import http.server
import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from .conftest import ROOT, copy_project, run_cli

CHROMIUM = Path("/usr/bin/chromium")  # Debian's chromium and chromium-driver (.ci/run)
CHROMEDRIVER = Path("/usr/bin/chromedriver")
AXE = ROOT / "tests/browser/node_modules/axe-core/axe.min.js"  # npm, installed by .ci/run
SCREENSHOTS = ROOT / "artifacts/screenshots"
SLUG = "achilles-tendonitis"
LANGUAGES = ("en", "es", "de", "ar", "en-XA", "ar-XB")
# Without these, Chromium tries to reach Google's services, which this closed network refuses.
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1000,1400")

missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER, AXE) if not path.exists()]
if missing and not os.environ.get("CI"):
    pytest.skip(f"needs {', '.join(missing)}: run .ci/run once (apt-get install chromium "
                "chromium-driver; npm install in tests/browser)", allow_module_level=True)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Served requests are not the test's output."""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh build of the project, served on an ephemeral port of 127.0.0.1."""
    project = copy_project(tmp_path_factory.mktemp("browser") / "project")
    run_cli(project, "build")
    handler = functools.partial(_Quiet, directory=str(project / "outputs"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    thread.join()
    server.server_close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)),
                              options=options)
    yield driver
    driver.quit()


def _open(browser: webdriver.Chrome, url: str) -> None:
    browser.get(url)
    assert browser.execute_script("return document.readyState") == "complete"


def _errors(browser: webdriver.Chrome) -> list[dict[str, Any]]:
    """The console's errors since it was last read: a failed load, a CSP refusal, a crash."""
    return [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]


def _direction(browser: webdriver.Chrome, selector: str) -> list[str]:
    return list(browser.execute_script(
        "return [...document.querySelectorAll(arguments[0])]"
        ".map(element => getComputedStyle(element).direction)", selector))


def test_arabic_runs_right_to_left_with_english_fallbacks_left_to_right(
        site: str, browser: webdriver.Chrome) -> None:
    _open(browser, f"{site}/ar/{SLUG}.html")
    assert _direction(browser, "html, body, main, h1, p.summary") == ["rtl"] * 5
    assert _direction(browser, "span.fallback") == ["ltr"] * 4
    edges = browser.execute_script(
        "const main = document.querySelector('main').getBoundingClientRect();"
        "const range = document.createRange();"
        "range.selectNodeContents(document.querySelector('p.reviewed'));"
        "const line = range.getClientRects()[0];"
        "return [main.right - line.right, line.left - main.left]")
    assert abs(edges[0]) < 2 and edges[1] > 100, "a short line sits at the right edge"
    _open(browser, f"{site}/ar-XB/{SLUG}.html")
    assert _direction(browser, "html, main, h1") == ["rtl"] * 3
    assert not _errors(browser)


def test_the_language_switchers_links_lead_to_each_language(
        site: str, browser: webdriver.Chrome) -> None:
    for start in (f"en/{SLUG}.html", "es/index.html"):
        _open(browser, f"{site}/{start}")
        links = browser.find_elements(By.CSS_SELECTOR, "nav.languages a")
        targets = [(str(link.get_attribute("hreflang")), str(link.get_attribute("href")))
                   for link in links]
        assert [tag for tag, _ in targets] == ["en", "es", "de", "ar"]
        for tag, href in targets:
            _open(browser, f"{site}/{start}")
            browser.find_element(By.CSS_SELECTOR, f'nav.languages a[hreflang="{tag}"]').click()
            assert browser.current_url == href
            assert browser.execute_script("return document.documentElement.lang") == tag
            assert browser.find_element(By.CSS_SELECTOR, "[aria-current=page]").text
    _open(browser, f"{site}/ar/{SLUG}.html")
    browser.find_element(By.CSS_SELECTOR, "header .category a").click()
    assert browser.current_url == f"{site}/ar/index.html#category-foot-ankle"
    browser.find_element(By.CSS_SELECTOR, f'main a[href="{SLUG}.html"]').click()
    assert browser.current_url == f"{site}/ar/{SLUG}.html"
    assert not _errors(browser)


def test_the_csp_runs_no_page_script_yet_keeps_json_ld_as_data(
        site: str, browser: webdriver.Chrome) -> None:
    _open(browser, f"{site}/es/{SLUG}.html")
    _errors(browser)
    data = browser.execute_script(
        "return JSON.parse(document.querySelector('script[type=\"application/ld+json\"]')"
        ".textContent)")
    assert data["@graph"][0]["inLanguage"] == "es"
    assert data["@graph"][0]["name"] == "Tendinitis de Aquiles"
    ran = browser.execute_script(
        "window.injected = false; const script = document.createElement('script');"
        "script.textContent = 'window.injected = true'; document.head.append(script);"
        "return window.injected")
    assert ran is False, "the page's Content-Security-Policy refuses inline script"
    assert any("Content Security Policy" in entry["message"] for entry in _errors(browser))


def test_every_page_passes_axe_with_no_console_errors(site: str,
                                                      browser: webdriver.Chrome) -> None:
    axe = AXE.read_text("utf-8")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for language in LANGUAGES:
        for name in (f"{SLUG}.html", "index.html"):
            _open(browser, f"{site}/{language}/{name}")
            assert not _errors(browser), f"{language}/{name}"
            # WebDriver's script is the browser's, not the page's: the CSP does not stop it
            browser.execute_script(axe)
            result = browser.execute_async_script(
                "const done = arguments[arguments.length - 1];"
                "axe.run(document).then(result => done(JSON.stringify(result)),"
                " error => done(JSON.stringify({error: String(error)})))")
            report = json.loads(result)
            assert "error" not in report
            assert report["passes"], "axe ran its rules"
            violations = [(item["id"], [node["target"] for node in item["nodes"]])
                          for item in report["violations"]]
            assert not violations, f"{language}/{name}: {violations}"
            if name != "index.html":
                _screenshot(browser, SCREENSHOTS / f"{language}.png")


def _screenshot(browser: webdriver.Chrome, path: Path) -> None:
    """The whole page, beyond the window, as a build artifact for people to look at."""
    width, height = browser.execute_script(
        "const root = document.documentElement; return [root.clientWidth, root.scrollHeight]")
    shot = browser.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}})
    path.write_bytes(base64.b64decode(shot["data"]))
