"""Translations are untrusted (docs/errors.md): a hostile catalog injects no markup or script.

With the checks off, the hostile text reaches the renderer and stays text: the built pages,
read by an HTML parser, have no script but the JSON-LD data block, no event handler, no link
with an unsafe scheme, and a strict Content-Security-Policy; every JSON output is valid and
escaped for embedding. With the default checks, the build publishes none of it, and `check`
names every hostile translation.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.po import pofile
from pipeline.qa import checks
from pipeline.render.markup import fill_text
from tests.conftest import copy_project, run_cli
from tests.htmltext import Document

CATALOG = "locales/es/LC_MESSAGES/achilles-tendonitis.po"
HOSTILE = {  # English -> a translation an attacker (or a careless paste) could submit
    "Achilles Tendonitis": 'Tendinitis"></title><script>alert(1)</script>',
    "Symptoms": '<script>alert("x")</script>Síntomas',
    "Typical complaints include:": '<!-- x --><style>*{}</style><img src=x onerror="alert(1)">',
    "Improvement is gradual.": "[clic](jav&#x09;ascript:alert(1)) [b](JaVaScRiPt:alert(2))",
    "Two things to get right:": '<a href="javascript:alert(3)" onclick="alert(4)">Dos</a> '
                                "[c](data:text/html,<script>alert(5)</script>)",
    "Months 3 to 6": '[d](vbscript:msgbox(6)) [e](/contact "t\\" onmouseover=\\"alert(7)")',
    "Recovery timeline": '[f](https://example.org/?q="><svg onload=alert(8)>) <javascript:x>',
    "How it is diagnosed": "Cómo se \u202ediagnostica\u202c \u2067x\u2069",
    "Non-surgical treatment": "Tratamiento\u200b sin\u2060 cirugía\ufeff",
    "Achilles tendonitis is pain and stiffness in the heel cord from overuse.":
        'Tendinitis" onload="alert(9)" data-x="\u2028</script><script>alert(10)</script>',
}
SITE_CATALOG = "locales/es/LC_MESSAGES/site.po"
# The page's heading: its values put where markup would take them, before the fix in a link's
# title attribute, where the page's own HTML for a value broke out of the quotes.
HEADLINE = ('[Ver](/a "{title}") {tagline} <a title="{title}"> [x](//evil.example/{title}) '
            "{tagline}{title}")
UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "srcset", "poster", "xlink:href")
# Elements that run, load or restyle something: none may come from a translation.
FORBIDDEN_TAGS = {"style", "img", "svg", "math", "iframe", "frame", "object", "embed", "form",
                  "input", "button", "base", "video", "audio", "source", "template"}
INVISIBLE = ("\u202e", "\u2067", "\u200b", "\u2060", "\ufeff")


def hostile_project(project: Path, checks_off: bool) -> Path:
    path = project / CATALOG
    catalog = pofile.read(path)
    assert set(HOSTILE) <= {entry.msgid for entry in catalog.entries}
    entries = tuple(replace(entry, msgstr=HOSTILE.get(entry.msgid, entry.msgstr))
                    for entry in catalog.entries)
    path.write_bytes(pofile.render(replace(catalog, entries=entries)))
    site = pofile.read(project / SITE_CATALOG)
    entries = tuple(replace(entry, msgstr=HEADLINE) if entry.msgid == "{title}: {tagline}"
                    else entry for entry in site.entries)
    (project / SITE_CATALOG).write_bytes(pofile.render(replace(site, entries=entries)))
    if checks_off:
        settings = project / "pyproject.toml"
        text = settings.read_text(encoding="utf-8")
        names = "|".join(map(re.escape, checks.NAMES))
        text = re.sub(rf'^(?:{names}) = "\w+".*\n', "", text, flags=re.MULTILINE)
        table = "[tool.pipeline.checks]\n"
        assert table in text
        off = "".join(f'{name} = "off"\n' for name in checks.NAMES)
        settings.write_text(text.replace(table, table + off), encoding="utf-8")
    return project


def unsafe(url: str) -> bool:
    """Whether a browser would run or load the URL: it drops whitespace and control characters
    and ignores case before it reads the scheme."""
    folded = "".join(char for char in url if char > " ").lower()
    return folded.startswith(UNSAFE_SCHEMES)


def assert_safe_page(html: str) -> None:
    page = Document(html)
    for tag, attributes, texts in page.elements:
        assert tag not in FORBIDDEN_TAGS, tag
        assert not (tag == "meta" and attributes.get("http-equiv") == "refresh")
        for name, value in attributes.items():
            assert not name.lower().startswith("on"), (tag, name, value)
            if name in URL_ATTRIBUTES:
                assert not unsafe(value or ""), (tag, name, value)
        if tag == "script":
            assert attributes == {"type": "application/ld+json"}, attributes
            json.loads("".join(texts))
    policy = dict(part.strip().split(" ", 1) for part in next(
        attributes["content"] or "" for tag, attributes, _ in page.elements
        if attributes.get("http-equiv") == "Content-Security-Policy").split(";"))
    assert policy["default-src"] == "'none'"
    assert "unsafe" not in " ".join(policy.values())
    assert "script-src" not in policy, "scripts fall under default-src 'none'"


def assert_safe_json(text: str) -> None:
    json.loads(text)
    assert not re.search("[<>&\u2028\u2029]", text), "not escaped for embedding in a page"


@pytest.fixture(scope="module")
def built_with_checks_off(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = hostile_project(copy_project(tmp_path_factory.mktemp("hostile") / "p"), True)
    run_cli(project, "build")
    return project


def test_hostile_text_stays_text_in_the_html(built_with_checks_off: Path) -> None:
    outputs = built_with_checks_off / "outputs"
    pages = sorted(outputs.rglob("*.html"))
    assert outputs / "es/achilles-tendonitis.html" in pages
    for path in pages:
        assert_safe_page(path.read_text(encoding="utf-8"))
    text = Document((outputs / "es/achilles-tendonitis.html").read_text("utf-8")).text
    assert '<script>alert("x")</script>Síntomas' in text
    assert '<img src=x onerror="alert(1)">' in text
    assert "[clic](jav ascript:alert(1))" in text  # not a link: the tab is only spacing here
    for char in INVISIBLE[:-1]:  # the renderer keeps them as text; the checks refuse them
        assert char in text


def test_the_heading_s_placeholders_are_filled_as_text(built_with_checks_off: Path) -> None:
    html = (built_with_checks_off / "outputs/es/achilles-tendonitis.html").read_text("utf-8")
    heading = html[html.index("<h1>"):html.index("</h1>") + len("</h1>")]
    assert [(tag, attributes) for tag, attributes, _ in Document(heading).elements] == \
        [("h1", {})], "the title and tagline bring no markup, and the string adds none"
    page = json.loads((built_with_checks_off / "outputs/es/achilles-tendonitis.json")
                      .read_text("utf-8"))
    shown = fill_text(HEADLINE, {"title": page["title"]["text"],
                                 "tagline": page["tagline"]["text"]})
    assert Document(heading).text == " ".join(shown.split())


def test_no_unsafe_link_survives(built_with_checks_off: Path) -> None:
    html = (built_with_checks_off / "outputs/es/achilles-tendonitis.html").read_text("utf-8")
    links = [attributes for tag, attributes, _ in Document(html).elements if tag == "a"]
    assert links and not [link for link in links if unsafe(link.get("href") or "")]
    titled = [link for link in links if link.get("title")]
    assert titled == [{"href": "/contact", "title": 't" onmouseover="alert(7)'}]


def test_the_json_outputs_are_valid_and_safe_to_embed(built_with_checks_off: Path) -> None:
    paths = sorted((built_with_checks_off / "outputs").rglob("*.json"))
    assert paths
    for path in paths:
        assert_safe_json(path.read_text(encoding="utf-8"))
    page = json.loads((built_with_checks_off / "outputs/es/achilles-tendonitis.json")
                      .read_text("utf-8"))
    assert page["title"]["text"] == HOSTILE["Achilles Tendonitis"]


def test_with_the_default_checks_nothing_hostile_is_published(tmp_path: Path) -> None:
    project = hostile_project(copy_project(tmp_path / "p"), checks_off=False)
    run_cli(project, "build")
    for path in (project / "outputs").rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml"):
            text = path.read_text("utf-8")
            if path.suffix == ".json":
                text = json.dumps(json.loads(text), ensure_ascii=False)
            assert "alert(" not in text and "msgbox" not in text, path
            # (the pseudo-locales mark their text with bidi controls on purpose)
            if path.parent.name == "es":
                assert not any(char in text for char in INVISIBLE), path
    found = run_cli(project, "check", "--json", "--lang", "es", check=False)
    assert found.returncode == 1
    failing = {finding["msgid"]: finding["check"]
               for finding in json.loads(found.stdout)["findings"]
               if finding["severity"] == "error"}
    assert set(HOSTILE) <= set(failing)
    assert failing["How it is diagnosed"] == "invisible-characters"
    assert failing["Non-surgical treatment"] == "invisible-characters"
