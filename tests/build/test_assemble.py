"""assemble.localize on a small page and catalogs made here: what a reader sees for each
entry state, under each stale policy, and the English runs in a right-to-left language."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.build import assemble
from pipeline.build.assemble import LocalizedPage, LocalizedSegment, Shown
from pipeline.config import Policy
from pipeline.model import Page, Text
from pipeline.po import pofile
from pipeline.po.model import Catalog
from pipeline.source import load as source
from tests.conftest import ROOT

PAGE = """\
slug: heel-pain
category: Foot
title: Heel pain
tagline: a sore heel.
summary: Heel pain is common.
author: {name: A B, degree: MD, credentials: [Sports Medicine]}
reviewed: 2026-05
intro:
  - Rest helps. Ice helps too.
sections:
  - id: treatment
    title: Treatment
    blocks:
      - paragraph: Take 200 mg twice a day. Stretch daily.
  - id: symptoms
    title: Symptoms
    blocks:
      - paragraph: It hurts in the morning. It eases with walking.
disclaimer: Not medical advice.
faq: {heading: Questions, items: [{question: Why?, answer: Because.}]}
next_step: {title: Book a visit., text: We can help.}
"""

# (English, translation, previous English or None, fuzzy, reviewed)
ENTRIES = {
    "es": [
        ("Heel pain", "Dolor de talón", None, False, True),
        ("Rest helps.", "El reposo ayuda.", None, False, False),
        ("Ice helps too.", "El hielo ayuda.", "Ice helps.", True, False),  # substantive
        ("Take 200 mg twice a day.", "Tome 100 mg dos veces al día.",
         "Take 100 mg twice a day.", True, False),  # critical
        ("Stretch daily.", "Estire a diario.", None, False, True),
        ("It hurts in the morning.", "Duele por la mañana.", "It hurts in the morning .",
         True, False),  # cosmetic
        ("It eases with walking.", "Mejora al caminar.", None, True, False),  # suggested
    ],
    "ar": [
        ("Heel pain", "ألم الكعب", None, False, False),
        ("Rest helps.", "الراحة تساعد.", None, False, False),
        ("Stretch daily.", "تمدد يوميا.", None, False, False),
    ],
}


def catalog(language: str, entries: list[tuple[str, str, str | None, bool, bool]]
            ) -> Catalog:
    plural = "nplurals=2; plural=(n != 1);" if language == "es" else \
        "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 " \
        ": n%100>=11 ? 4 : 5);"
    lines = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"',
             f'"Language: {language}\\n"', f'"Plural-Forms: {plural}\\n"', ""]
    for english, translation, previous, fuzzy, reviewed in entries:
        lines += ["# reviewed"] if reviewed else []
        lines += ["#. stale since 2026-04-01"] if previous else []
        lines += ["#, fuzzy"] if fuzzy else []
        lines += [f'#| msgid "{previous}"'] if previous else []
        lines += [f'msgid "{english}"', f'msgstr "{translation}"', ""]
    return pofile.from_bytes("\n".join(lines).encode(), Path(f"{language}.po"))


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Page[Text]:
    path = tmp_path_factory.mktemp("page") / "heel-pain.yaml"
    path.write_text(PAGE, encoding="utf-8")
    return source.load_page(path)


ANY_SHARE = Policy(min_current=0)


def localized(page: Page[Text], language: str, policy: Policy = ANY_SHARE,
              entries: list[tuple[str, str, str | None, bool, bool]] | None = None
              ) -> LocalizedPage:
    site = source.load_site_strings(ROOT / "source")
    strings = assemble.localize_site(site, None, language, "en", policy)
    return assemble.localize(page, catalog(language, ENTRIES[language] if entries is None
                                           else entries),
                             strings, "en", "sentence", policy)


def segments(page: LocalizedPage) -> dict[str, LocalizedSegment]:
    return {segment.source: segment for text in assemble.texts_of(page.page)
            for segment in text.segments}


def test_each_state_as_a_reader_sees_it(page: Page[Text]) -> None:
    seen = segments(localized(page, "es"))
    assert seen["Rest helps."] == LocalizedSegment("Rest helps.", "El reposo ayuda.",
                                                   Shown.TRANSLATED)
    assert seen["Ice helps too."] == LocalizedSegment(
        "Ice helps too.", "Ice helps too.", Shown.FALLBACK, "stale", "substantive", "2026-04-01")
    assert (seen["Take 200 mg twice a day."].state, seen["Take 200 mg twice a day."].change) \
        == (Shown.FALLBACK, "critical")
    assert (seen["It hurts in the morning."].state, seen["It hurts in the morning."].change) \
        == (Shown.FALLBACK, "cosmetic")
    assert (seen["It eases with walking."].state, seen["It eases with walking."].reason) \
        == (Shown.FALLBACK, "suggested")
    assert (seen["Symptoms"].text, seen["Symptoms"].reason) == ("Symptoms", "untranslated")


def test_completeness_counts_the_current_words(page: Page[Text]) -> None:
    done = localized(page, "es").completeness
    current = ("Heel pain", "Rest helps.", "Stretch daily.")
    assert done.current_segments == 3
    assert done.current_words == sum(len(text.split()) for text in current)
    assert done.words > done.current_words and done.segments > 3


def test_marked_shows_old_text_but_never_a_critical_one(page: Page[Text]) -> None:
    seen = segments(localized(page, "es", Policy(min_current=0, stale="marked")))
    assert (seen["Ice helps too."].state, seen["Ice helps too."].text) \
        == (Shown.STALE, "El hielo ayuda.")
    assert seen["It hurts in the morning."].state == Shown.STALE
    assert seen["Take 200 mg twice a day."].state == Shown.FALLBACK
    assert seen["Take 200 mg twice a day."].text == "Take 200 mg twice a day."
    assert seen["It eases with walking."].state == Shown.FALLBACK  # a suggestion is never shown


def test_require_review_publishes_only_reviewed_entries(page: Page[Text]) -> None:
    seen = segments(localized(page, "es", Policy(min_current=0, require_review=True)))
    assert seen["Stretch daily."].state == Shown.TRANSLATED
    assert (seen["Rest helps."].state, seen["Rest helps."].reason) == (Shown.FALLBACK, "unreviewed")


def test_a_failing_check_keeps_a_current_translation_in_english(page: Page[Text]) -> None:
    site = source.load_site_strings(ROOT / "source")
    policy = Policy(min_current=0)
    strings = assemble.localize_site(site, None, "es", "en", policy)
    done = assemble.localize(page, catalog("es", ENTRIES["es"]), strings, "en", "sentence",
                             policy, {"Rest helps.": "numbers"})
    assert (segments(done)["Rest helps."].state, segments(done)["Rest helps."].reason) \
        == (Shown.FALLBACK, "check:numbers")


def test_english_runs_inside_a_right_to_left_page(page: Page[Text]) -> None:
    arabic = localized(page, "ar")
    intro = arabic.page.intro[0]
    assert [(part.state, part.text) for part in intro.segments] == [
        (Shown.TRANSLATED, "الراحة تساعد."), (Shown.FALLBACK, "Ice helps too.")]
    assert intro.text.startswith("الراحة تساعد.") and intro.text.endswith("Ice helps too.")
    assert not intro.current and arabic.shows(Shown.FALLBACK) and arabic.language == "ar"
    treatment = [text for text in assemble.texts_of(arabic.page.sections[0])][-1]
    assert [part.state for part in treatment.segments] == [Shown.FALLBACK, Shown.TRANSLATED]


def test_site_strings_made_once_per_language_equal_the_plain_path(page: Page[Text]) -> None:
    from pipeline.render.json import SiteParts, page_document

    site = source.load_site_strings(ROOT / "source")
    parts = SiteParts()
    for language in ("es", "ar", "es"):
        strings = assemble.localize_site(site, None, language, "en", ANY_SHARE)
        versions = [assemble.localize(page, catalog(language, entries), strings, "en",
                                      "sentence", ANY_SHARE)
                    for entries in (ENTRIES[language], [])]
        for version in versions:
            assert page_document(version, [], [], True, parts) == \
                page_document(version, [], [], True)
