"""Rendering: language attributes, alternates, localized dates, and translations that stay text."""

from __future__ import annotations

import doctest
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.build.assemble import LocalizedSegment, LocalizedText, Shown
from pipeline.po import pofile
from pipeline.render import markup
from pipeline.render.markup import MARKDOWN, _parser, fill_text, inline_html, inline_text, safe_link
from pipeline.render.runs import fill, segment_html, texts_html
from tests.conftest import run_cli
from tests.fallbacks import CRITICAL, fallback_project
from tests.htmltext import Document


@given(st.text(st.sampled_from("ab (1)!:/.w,\"' é\u0644-+#=~|{}$%^\t\u00a0\u2003\0"),
               max_size=40))
def test_plain_text_skips_the_markdown_parser_with_the_same_html(text: str) -> None:
    if MARKDOWN.search(text):
        assert "\0" in text
        return
    assert inline_html(text) == str(_parser().renderInline(text)).strip()
    words = [child.content for token in _parser().parseInline(text)
             for child in token.children or ()]
    assert inline_text(text) == "".join(words).strip()


def test_inline_markdown_escapes_raw_html_and_refuses_unsafe_links() -> None:
    assert inline_html("**Rest** and *load*") == "<strong>Rest</strong> and <em>load</em>"
    assert inline_html("[book](/contact)") == '<a href="/contact">book</a>'
    assert inline_html("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert "<a" not in inline_html("[click](javascript:alert(1))")
    assert "<a" not in inline_html("[click](data:text/html,hi)")
    assert inline_html('[x](https://a.example/?q="><b>)').count("<b>") == 0


def test_arabic_page_is_right_to_left_with_english_fallback(project: Path) -> None:
    run_cli(project, "build")
    page = Document((project / "outputs/ar/achilles-tendonitis.html").read_text("utf-8"))
    assert page.find_all("html", lang="ar", dir="rtl")
    runs = page.find_all("span", lang="en")
    assert [text.count(".") for _, text in runs] == [2, 2], "two runs of two sentences"
    assert all(attrs["dir"] == "ltr" and attrs["class"] == "fallback" for attrs, _ in runs)
    assert page.find_all("p", **{"class": "notice"})
    assert "مايو 2026" in page.text


def test_alternates_switcher_and_dates(project: Path) -> None:
    run_cli(project, "build")
    page = Document((project / "outputs/de/achilles-tendonitis.html").read_text("utf-8"))
    alternates = {attrs["hreflang"]: attrs["href"]
                  for attrs, _ in page.find_all("link", rel="alternate")}
    base = "https://www.example-clinic.org"
    assert alternates == {"en": f"{base}/en/achilles-tendonitis.html",
                          "es": f"{base}/es/achilles-tendonitis.html",
                          "de": f"{base}/de/achilles-tendonitis.html",
                          "ar": f"{base}/ar/achilles-tendonitis.html",
                          "x-default": f"{base}/en/achilles-tendonitis.html"}
    switcher = {text: attrs for attrs, text in page.find_all("a") if attrs.get("hreflang")}
    assert set(switcher) == {"English", "Español", "Deutsch", "العربية"}
    assert switcher["Deutsch"].get("aria-current") == "page"
    for attrs in switcher.values():
        assert (project / "outputs/de" / str(attrs["href"])).resolve().exists()
    assert "Mai 2026" in page.text
    assert not page.find_all("p", **{"class": "notice"}), "German is complete"


def test_a_hostile_translation_stays_text(project: Path) -> None:
    # The raw-html check keeps such a translation from being published at all
    # (tests/qa/test_checks.py); here it is off, to test the renderer's own defence.
    settings = project / "pyproject.toml"
    text = settings.read_text(encoding="utf-8")
    table = "[tool.pipeline.checks]\n"
    text = text.replace(table, table + 'raw-html = "off"\n') if table in text \
        else text + f'\n{table}raw-html = "off"\n'
    settings.write_text(text, encoding="utf-8")
    path = project / "locales/es/LC_MESSAGES/achilles-tendonitis.po"
    catalog = pofile.read(path)
    hostile = {
        "Symptoms": '<script>alert("x")</script>Síntomas',
        "Improvement is gradual.": '<img src=x onerror="alert(1)"> [clic](javascript:alert(1))',
    }
    entries = tuple(replace(entry, msgstr=hostile.get(entry.msgid, entry.msgstr))
                    for entry in catalog.entries)
    path.write_bytes(pofile.render(replace(catalog, entries=entries)))
    run_cli(project, "build")
    html = (project / "outputs/es/achilles-tendonitis.html").read_text("utf-8")
    page = Document(html)
    assert [attrs for attrs, _ in page.find_all("script")] == [{"type": "application/ld+json"}]
    assert not page.find_all("img")
    assert not [attrs for attrs, _ in page.find_all("a")
                if str(attrs.get("href", "")).startswith("javascript:")]
    assert '<script>alert("x")</script>Síntomas' in page.text
    document = json.loads((project / "outputs/es/achilles-tendonitis.json").read_text("utf-8"))
    assert document["sections"][0]["title"]["html"].startswith("&lt;script&gt;")
    assert "<" not in (project / "outputs/es/achilles-tendonitis.json").read_text("utf-8")


def test_manifest_lists_pages_and_languages(project: Path) -> None:
    run_cli(project, "build")
    manifest = json.loads((project / "outputs/index.json").read_text("utf-8"))
    assert [language["code"] for language in manifest["languages"] if language["public"]] \
        == ["en", "es", "de", "ar"]
    page = manifest["pages"][0]
    assert page["slug"] == "achilles-tendonitis"
    assert page["languages"]["es"]["completeness"]["ratio"] == 1.0
    assert page["languages"]["es"]["published"] is True
    assert page["languages"]["ar"]["fallback_segments"] == 4
    assert 0.8 < page["languages"]["ar"]["completeness"]["ratio"] < 1.0
    assert page["languages"]["ar"]["url"].endswith("/ar/achilles-tendonitis.html")


def test_a_plain_lead_in_is_shown_as_text_and_named_in_the_json(project: Path) -> None:
    page = project / "source/pages/achilles-tendonitis.yaml"
    text = page.read_text(encoding="utf-8")
    old = "          - lead: Rest alone usually is not enough.\n"
    assert old in text
    page.write_text(text.replace(old, old + "            lead_style: plain\n"), encoding="utf-8")
    run_cli(project, "build")
    for language, lead in (("en", "Rest alone usually is not enough."),
                           ("es", "El reposo por sí solo no suele ser suficiente.")):
        html = (project / f"outputs/{language}/achilles-tendonitis.html").read_text("utf-8")
        assert f'<li><span class="lead">{lead}</span> ' in html
        assert f"<strong>{lead}</strong>" not in html
        document = json.loads((project / f"outputs/{language}/achilles-tendonitis.json")
                              .read_bytes())
        section = document["sections"][6]
        assert section["kind"] == "misunderstandings"
        items = section["blocks"][1]["items"]
        assert [item["lead_style"] for item in items] == ["plain", "bold"]
        assert document["sections"][0]["blocks"][1]["items"][0]["lead_style"] is None


def _text(language: str, *states: str, change: str | None = None) -> LocalizedText:
    """Sentences "S1."... in `states`, English where a state is fallback."""
    return LocalizedText(tuple(
        LocalizedSegment(f"S{n}.", f"S{n}." if state == Shown.FALLBACK else f"T{n}.", state,
                         "untranslated" if state == Shown.FALLBACK else None,
                         change if state == Shown.FALLBACK else None)
        for n, state in enumerate(states, 1)), language)


LABEL = LocalizedText((LocalizedSegment("updated", "محدّث", Shown.TRANSLATED),), "ar")


@pytest.mark.parametrize("language", ["ar", "he", "fa", "ur", "ar-XB", "es"])
def test_consecutive_fallbacks_are_one_isolated_english_run_in_any_language(
        language: str) -> None:
    text = _text(language, Shown.FALLBACK, Shown.FALLBACK, Shown.FALLBACK, Shown.TRANSLATED,
                 Shown.FALLBACK)
    html = str(segment_html(text, LABEL))
    assert html == ('<span lang="en" dir="ltr" class="fallback"><span data-reason="untranslated">'
                    'S1.</span> <span data-reason="untranslated">S2.</span> '
                    '<span data-reason="untranslated">S3.</span></span> T4. '
                    '<span lang="en" dir="ltr" class="fallback" data-reason="untranslated">S5.'
                    '</span>')


def test_a_lead_in_and_its_text_share_one_run_across_the_bold() -> None:
    lead = _text("ar", Shown.TRANSLATED, Shown.FALLBACK)
    body = _text("ar", Shown.FALLBACK, Shown.TRANSLATED)
    html = str(texts_html(((lead, "strong"), (body, "")), LABEL))
    assert html == ('<strong>T1.</strong> <span lang="en" dir="ltr" class="fallback"><strong>'
                    '<span data-reason="untranslated">S2.</span></strong> '
                    '<span data-reason="untranslated">S1.</span></span> T2.')


def test_a_critical_fallback_is_marked_and_labelled_in_the_pages_language() -> None:
    html = str(segment_html(_text("ar", Shown.FALLBACK, change="critical"), LABEL))
    assert html == ('<span lang="en" dir="ltr" class="fallback critical" data-reason="untranslated"'
                    ' data-change="critical"><span class="visually-hidden" lang="ar" dir="rtl">'
                    'محدّث</span>S1.</span>')
    english = LocalizedText((LocalizedSegment("updated", "updated", Shown.FALLBACK,
                                              "untranslated"),), "ar")
    assert 'class="visually-hidden" lang="en" dir="ltr">updated<' in str(
        segment_html(_text("ar", Shown.FALLBACK, change="critical"), english))


def test_a_page_with_a_critical_fallback_says_so_at_the_top(tmp_path: Path) -> None:
    project = fallback_project(tmp_path / "project")
    page = Document((project / "outputs/ar/achilles-tendonitis.html").read_text("utf-8"))
    notices = [attrs["class"] for attrs, _ in page.find_all("p", role="note")]
    assert notices == ["notice", "notice critical-notice"]
    [(critical, text)] = page.find_all("span", **{"class": "critical"})
    assert critical["data-change"] == "critical"
    assert text == "معلومات طبية محدّثة، معروضة بالإنجليزية إلى أن تتم مراجعتها" + CRITICAL
    document = json.loads((project / "outputs/ar/achilles-tendonitis.json").read_text("utf-8"))
    approach = document["sections"][2]["blocks"][1]["text"]
    assert [segment["change"] for segment in approach["segments"]] == \
        ["substantive", "critical", "substantive"]
    assert 'class="critical"' in approach["html"]
    for language, notice in (("es", "Parte de la información médica"),
                             ("de", "Einige medizinische Angaben")):
        other = Document((project / f"outputs/{language}/achilles-tendonitis.html")
                         .read_text("utf-8"))
        assert notice in other.text
        [(_, text)] = other.find_all("span", **{"class": "critical"})
        assert text.endswith(CRITICAL)


def _one(text: str, state: Shown = Shown.TRANSLATED, change: str | None = None) -> LocalizedText:
    english = state == Shown.FALLBACK
    return LocalizedText((LocalizedSegment(text, text, state, "stale" if english else None,
                                           change),), "es")


def _markup(html: str) -> list[tuple[str, dict[str, str | None]]]:
    return [(tag, attributes) for tag, attributes, _ in Document(html).elements]


HEADLINES = [  # a translated site string "{title}: {tagline}" that tries to get at its values
    '[Ver](/a "{title}") {tagline}',  # a value inside a link's title attribute
    '<a title="{title}">{tagline}</a>',
    '"><script>alert(1)</script>{title} " onclick="x" {tagline}',
    "**{title}**: *{tagline}*",  # Markdown does not reach across a placeholder
    "{title}{title}: {tagline} {unknown} {",
    "{tagline}",  # a missing placeholder
]
VALUES = [  # (title, tagline) as translated, or shown in English
    (_one("Tendinitis"), _one("**Dolor** en el talón")),
    (_one("{tagline}"), _one("{title}")),  # a placeholder inside a value is text
    (_one("[a](https://example.org)", Shown.FALLBACK, "critical"), _one('" onmouseover="alert(2)')),
]


@pytest.mark.parametrize("headline", HEADLINES)
@pytest.mark.parametrize("state", [Shown.TRANSLATED, Shown.FALLBACK])
@pytest.mark.parametrize("values", VALUES, ids=["plain", "recursive", "fallback"])
def test_a_site_string_adds_no_element_or_attribute_around_its_values(
        headline: str, state: str, values: tuple[LocalizedText, LocalizedText]) -> None:
    title, tagline = values
    html = str(fill(_one(headline, state), LABEL, title=title, tagline=tagline))
    shown = {"title": str(segment_html(title, LABEL)), "tagline": str(segment_html(tagline, LABEL))}
    expected = _markup(str(segment_html(_one("x", state), LABEL)))  # the English run, if any
    for name in re.findall(r"\{(title|tagline)\}", headline):
        expected += _markup(shown[name])
    elements = _markup(html)
    assert sorted(map(repr, elements)) == sorted(map(repr, expected)), html
    assert not [value for _, attributes in elements for value in attributes.values()
                if value and re.search("[<>{]", value)]


def test_a_site_string_is_filled_as_text_before_it_is_rendered() -> None:
    title, tagline = _one("{tagline}"), _one("**b**")
    assert str(fill(_one("{title}: {tagline}"), LABEL, title=title, tagline=tagline)) == \
        "{tagline}: <strong>b</strong>"
    assert str(fill(_one('[x](/a "{title}")'), LABEL, title=_one("T", Shown.FALLBACK),
                    tagline=tagline)) == (
        '[x](/a &quot;<span lang="en" dir="ltr" class="fallback" data-reason="stale">T</span>'
        "&quot;)")
    assert fill_text("{title}: {tagline}", {"title": "{tagline}", "tagline": "t"}) == \
        "{tagline}: t"


@pytest.mark.parametrize("url", [
    "//evil.example/x", "\\\\evil.example/x", "/\\evil.example", "http:/evil.example",
    "https:///evil.example", "http:evil.example", " //evil.example", "\x01javascript:alert(1)",
    "java\tscript:alert(1)", "JaVaScRiPt:alert(1)", " \njavascript:x", "data:text/html,x",
    "file:///etc/passwd", "mailto:", "localhost:8000/x", "c:/windows",
    "jav%09ascript:alert(1)"])
def test_a_link_that_is_not_within_the_site_or_a_safe_scheme_is_text(url: str) -> None:
    assert not safe_link(url)
    markdown = f"[a]({url.strip()})" if " " not in url.strip() else f"[a](<{url.strip()}>)"
    links = [attributes["href"] or "" for _, attributes in _markup(inline_html(markdown))]
    if "\\" in url:  # Markdown reads a backslash as an escape, and percent-encodes what is left
        assert not [href for href in links if "\\" in href or href.startswith("//")]
    else:
        assert links == []


@pytest.mark.parametrize("url", ["/contact", "page.html", "#faq", "?q=1", "./a:b",
                                 "HtTpS://www.example.org/x", "http://example.org",
                                 "mailto:care@example.org", "tel:+15550100", "%2F%2Fx"])
def test_a_relative_or_safe_link_is_kept(url: str) -> None:
    assert safe_link(url)
    assert not safe_link("https://[evil")  # a host urlsplit cannot read is no link
    assert _markup(inline_html(f"[a]({url})")) == [("a", {"href": url})]


def test_the_markup_examples_hold() -> None:
    result = doctest.testmod(markup)
    assert result.failed == 0 and result.attempted >= 4
