"""JSON-LD: schema.org read by a JSON-LD processor, in the page's language and never mislabelled."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from pyld import jsonld

from pipeline.po import pofile
from tests.conftest import run_cli

BASE = "https://www.example-clinic.org"
PUBLIC = ("en", "es", "de", "ar")
SLUG = "achilles-tendonitis"
# schema.org's context, as https://schema.org serves it in short: its vocabulary (no network here)
SCHEMA_ORG = {"@context": {"@vocab": "http://schema.org/", "url": {"@type": "@id"}}}


@pytest.fixture
def outputs(built_project: Path) -> Path:
    return built_project / "outputs"


def _jsonld(path: Path) -> Any:
    html = path.read_text("utf-8")
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    assert len(blocks) == 1
    assert not set("<>&") & set(blocks[0]), "markup characters are escaped as \\u003c..."
    return json.loads(blocks[0])


def _offline_loader(url: str, options: object = None) -> dict[str, Any]:
    assert url.rstrip("/") in ("https://schema.org", "http://schema.org"), url
    return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
            "document": SCHEMA_ORG}


def test_each_page_carries_localized_json_ld_that_a_json_ld_parser_reads(outputs: Path) -> None:
    titles = {"en": "Achilles Tendonitis", "es": "Tendinitis de Aquiles",
              "de": "Achillessehnenentzündung", "ar": "التهاب وتر العرقوب (أخيل)"}
    schema = "http://schema.org/"
    for tag in PUBLIC:
        document = _jsonld(outputs / tag / f"{SLUG}.html")
        expanded = jsonld.expand(document, {"documentLoader": _offline_loader})
        nodes = {node["@id"]: node for node in jsonld.flatten(
            expanded, None, {"documentLoader": _offline_loader})}
        url = f"{BASE}/{tag}/{SLUG}.html"
        page, faq = nodes[url], nodes[f"{url}#patient-questions"]
        assert page["@type"] == [f"{schema}MedicalWebPage"]
        assert page[f"{schema}inLanguage"] == [{"@value": tag}]
        assert faq["@type"] == [f"{schema}FAQPage"]
        condition = nodes[page[f"{schema}about"][0]["@id"]]
        assert condition["@type"] == [f"{schema}MedicalCondition"]
        assert page[f"{schema}name"][0]["@value"].startswith(titles[tag][:12])
        assert condition[f"{schema}name"] == page[f"{schema}name"]
        questions = [nodes[item["@id"]] for item in faq[f"{schema}mainEntity"]]
        # Arabic shows the answer to the third question in English: not Arabic, so left out
        assert len(questions) == (2 if tag == "ar" else 3)
        for question in questions:
            assert question["@type"] == [f"{schema}Question"]
            answer = nodes[question[f"{schema}acceptedAnswer"][0]["@id"]]
            assert answer["@type"] == [f"{schema}Answer"]
            assert "**" not in answer[f"{schema}text"][0]["@value"], "plain text, no Markdown"


def _untranslate(project: Path, language: str, *english: str) -> None:
    """Empties the translations of the given English in a language's page catalog."""
    path = project / f"locales/{language}/LC_MESSAGES/{SLUG}.po"
    catalog = pofile.read(path)
    entries = tuple(replace(entry, msgstr="") if entry.msgid.startswith(english) else entry
                    for entry in catalog.entries)
    path.write_bytes(pofile.render(replace(catalog, entries=entries)))


def test_json_ld_never_labels_english_as_the_pages_language(project: Path) -> None:
    _untranslate(project, "ar", "Could it turn", "Achilles tendonitis is pain", "Like other tendon",
                 "The key is")
    _untranslate(project, "es", "The tendon needs progressive", "Like other tendon")
    run_cli(project, "build")
    arabic = _jsonld(project / f"outputs/ar/{SLUG}.html")["@graph"]
    summary = ("Achilles tendonitis is pain and stiffness in the heel cord from overuse. Like "
               "other tendon problems, it is mostly degeneration, and a loading exercise program "
               "is the foundation. The key is to treat it before the tendon is at risk of rupture.")
    assert arabic[0]["description"] == {"@value": summary, "@language": "en"}
    english = [item for item in arabic[1]["mainEntity"] if "inLanguage" in item]
    assert [item["name"] for item in english] == ["Could it turn into a rupture?"]
    assert english[0]["acceptedAnswer"]["inLanguage"] == "en"
    assert english[0]["acceptedAnswer"]["text"].startswith("A tendon weakened by chronic")
    expanded = jsonld.expand(arabic[0] | {"@context": "https://schema.org"},
                             {"documentLoader": _offline_loader})
    assert expanded[0]["http://schema.org/description"] == [{"@value": summary,
                                                              "@language": "en"}]
    spanish = _jsonld(project / f"outputs/es/{SLUG}.html")["@graph"]
    assert "description" not in spanish[0], "a summary half in English is no Spanish one"
    assert [item["name"] for item in spanish[1]["mainEntity"]] == \
        ["¿Me pueden poner una inyección de cortisona?", "¿Puede llegar a romperse el tendón?"]
    assert all("inLanguage" not in item for item in spanish[1]["mainEntity"])


def test_json_ld_stays_data_whatever_a_translation_holds(project: Path) -> None:
    settings = project / "pyproject.toml"
    settings.write_text(settings.read_text("utf-8").replace(
        "[tool.pipeline.checks]\n", '[tool.pipeline.checks]\nraw-html = "off"\n'), "utf-8")
    catalog = project / f"locales/es/LC_MESSAGES/{SLUG}.po"
    hostile = '</script><script>alert()</script> <!-- Tendinitis & "Aquiles"'
    escaped = hostile.replace('"', '\\"')
    catalog.write_text(catalog.read_text("utf-8").replace(
        'msgstr "Tendinitis de Aquiles"', f'msgstr "{escaped}"'), "utf-8")
    run_cli(project, "build")
    path = project / f"outputs/es/{SLUG}.html"
    graph = _jsonld(path)["@graph"]
    assert graph[0]["name"] == hostile and graph[0]["about"]["name"] == hostile
    assert path.read_text("utf-8").count("<script") == 1
