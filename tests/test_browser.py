"""The built pages in headless Chromium, served from localhost: direction, links, console, axe."""

from __future__ import annotations

import base64
import functools
import http.server
import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from tests.conftest import ROOT
from tests.fallbacks import RUNS, fallback_project

pytestmark = pytest.mark.slow  # a real browser: run by CI, left out of the fast loop

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


@contextmanager
def _served(outputs: Path) -> Iterator[str]:
    """A folder served on an ephemeral port of 127.0.0.1."""
    handler = functools.partial(_Quiet, directory=str(outputs))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    thread.join()
    server.server_close()


@pytest.fixture(scope="module")
def site(built_project: Path) -> Iterator[str]:
    """A build of the project, served."""
    with _served(built_project / "outputs") as url:
        yield url


@pytest.fixture(scope="module")
def fallback_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A build whose Arabic page shows runs of 1, 2, 3 and 5 English sentences, served."""
    project = fallback_project(tmp_path_factory.mktemp("fallbacks") / "project")
    with _served(project / "outputs") as url:
        yield url


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
    assert _direction(browser, "span.fallback") == ["ltr"] * 2
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
            assert not _axe(browser, axe), f"{language}/{name}"
            if name != "index.html":
                _screenshot(browser, SCREENSHOTS / f"{language}.png")


def _axe(browser: webdriver.Chrome, axe: str) -> list[tuple[str, list[Any]]]:
    """axe-core's violations on the open page."""
    # WebDriver's script is the browser's, not the page's: the CSP does not stop it
    browser.execute_script(axe)
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document).then(result => done(JSON.stringify(result)),"
        " error => done(JSON.stringify({error: String(error)})))")
    report = json.loads(result)
    assert "error" not in report
    assert report["passes"], "axe ran its rules"
    return [(item["id"], [node["target"] for node in item["nodes"]])
            for item in report["violations"]]


def test_critical_fallbacks_are_marked_and_pass_axe(fallback_site: str,
                                                   browser: webdriver.Chrome) -> None:
    _open(browser, f"{fallback_site}/ar/{SLUG}.html")
    critical = browser.find_element(By.CSS_SELECTOR, ".fallback .critical")
    assert critical.value_of_css_property("border-bottom-style") == "solid"
    label = critical.find_element(By.CSS_SELECTOR, ".visually-hidden")
    assert label.get_attribute("lang") == "ar" and label.size["width"] <= 1, "heard, not seen"
    assert browser.find_element(By.CSS_SELECTOR, ".critical-notice").is_displayed()
    assert not _axe(browser, AXE.read_text("utf-8"))
    assert not _errors(browser)


def _screenshot(browser: webdriver.Chrome, path: Path) -> None:
    """The whole page, beyond the window, as a build artifact for people to look at."""
    width, height = browser.execute_script(
        "const root = document.documentElement; return [root.clientWidth, root.scrollHeight]")
    shot = browser.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}})
    path.write_bytes(base64.b64decode(shot["data"]))


# Each English word of a block, as the screen shows it: the first box of a Range over it.
WORDS = """
const words = [];
const walker = document.createTreeWalker(arguments[0], NodeFilter.SHOW_TEXT);
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  const parent = node.parentElement;
  if (!parent.closest('[lang="en"]') || parent.closest('.visually-hidden')) continue;
  for (const match of node.data.matchAll(/\\S+/g)) {
    const range = document.createRange();
    range.setStart(node, match.index);
    range.setEnd(node, match.index + match[0].length);
    const box = [...range.getClientRects()].find(rect => rect.width > 0);
    words.push({word: match[0], left: box.left, top: box.top, height: box.height});
  }
}
return words;
"""


def _as_read(words: list[dict[str, Any]]) -> str:
    """The words in the order a reader of English takes them from the screen: lines top to
    bottom (words whose tops are within half a line are on one line), each left to right."""
    lines: list[list[dict[str, Any]]] = []
    for word in sorted(words, key=lambda word: word["top"]):
        if lines and word["top"] < lines[-1][0]["top"] + word["height"] / 2:
            lines[-1].append(word)
        else:
            lines.append([word])
    return " ".join(word["word"] for line in lines
                    for word in sorted(line, key=lambda word: word["left"]))


@pytest.mark.parametrize("width", [390, 768, 1280])
def test_arabic_pages_show_runs_of_english_fallbacks_in_reading_order(
        fallback_site: str, browser: webdriver.Chrome, width: int) -> None:
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600})
    try:
        _open(browser, f"{fallback_site}/ar/{SLUG}.html")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        lines = set()
        for name, (selector, english, sentences) in RUNS.items():
            block = browser.find_element(By.CSS_SELECTOR, selector)
            browser.execute_script("arguments[0].scrollIntoView()", block)
            shot = SCREENSHOTS / f"ar-fallback-{name}-{sentences}-{width}.png"
            shot.write_bytes(block.screenshot_as_png)
            words = browser.execute_script(WORDS, block)
            read = _as_read(words)
            assert read == english, f"{selector} at {width} px reads {read!r}"
            lines.add(len({round(word["top"]) for word in words}))
            runs = block.find_elements(By.CSS_SELECTOR, ".fallback:not(.fallback .fallback)")
            assert len(runs) == 1, f"{selector}: one isolated run"
            assert runs[0].value_of_css_property("direction") == "ltr"
            assert runs[0].value_of_css_property("unicode-bidi") == "isolate"
        assert max(lines) > 2, "the runs wrap over lines, where their order shows"
        assert not _errors(browser)
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
