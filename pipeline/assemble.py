"""Page + catalogs -> localized page: every segment translated or shown in English, with why."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pipeline.model import Page, SiteString, SiteStrings, Text, map_texts
from pipeline.pofile import Catalog, Entry
from pipeline.segment import join_sentences, sentences_of

TRANSLATED = "translated"
FALLBACK = "fallback"
SOURCE = "source"


@dataclass(frozen=True)
class LocalizedSegment:
    """One sentence or label as a reader sees it, with the state that decided it."""

    source: str  # the English
    text: str  # what is shown
    state: str  # source (English page), translated, or fallback (shown in English)
    reason: str | None  # why a segment falls back: untranslated, fuzzy


@dataclass(frozen=True)
class LocalizedText:
    segments: tuple[LocalizedSegment, ...]
    language: str

    @property
    def text(self) -> str:
        return join_sentences((segment.text for segment in self.segments), self.language)


@dataclass(frozen=True)
class Completeness:
    segments: int
    translated_segments: int
    words: int
    translated_words: int

    @property
    def ratio(self) -> float:
        return self.translated_words / self.words if self.words else 1.0


@dataclass(frozen=True)
class LocalizedPage:
    """A page in one language, with its site strings and how much of it is translated."""

    language: str
    page: Page[LocalizedText]
    chrome: Mapping[str, LocalizedText]
    plurals: Mapping[str, tuple[str, ...]]
    completeness: Completeness


def translations(catalog: Catalog | None) -> dict[str, Entry]:
    """The active entries of a catalog by English text."""
    if catalog is None:
        return {}
    return {entry.msgid: entry for entry in catalog.entries if not entry.obsolete}


def _segment(english: str, entries: Mapping[str, Entry], source_page: bool) -> LocalizedSegment:
    if source_page:
        return LocalizedSegment(english, english, SOURCE, None)
    entry = entries.get(english)
    if entry is None or not entry.msgstr:
        return LocalizedSegment(english, english, FALLBACK, "untranslated")
    if entry.fuzzy:
        return LocalizedSegment(english, english, FALLBACK, "fuzzy")
    return LocalizedSegment(english, entry.msgstr, TRANSLATED, None)


def _words(text: str) -> int:
    return len(text.split())


def localize(page: Page[Text], catalog: Catalog | None, site: SiteStrings,
             site_catalog: Catalog | None, language: str, source_language: str,
             granularity: str) -> LocalizedPage:
    """The page in `language`, falling back to English for every segment not translated."""
    is_source = language == source_language
    entries = translations(catalog)
    counted: list[LocalizedSegment] = []

    def localize_text(text: Text) -> LocalizedText:
        segments = tuple(_segment(sentence, entries, is_source)
                         for sentence in sentences_of(text, granularity))
        counted.extend(segments)
        return LocalizedText(segments, language)

    localized: Page[LocalizedText] = map_texts(page, localize_text)
    site_entries = translations(site_catalog)
    chrome = {string.key: LocalizedText((_segment(string.text, site_entries, is_source),),
                                        language)
              for string in site.strings}
    plurals = {string.key: _plural_forms(site_entries.get(string.text), string, is_source)
               for string in site.strings if string.plural}
    done = [segment for segment in counted if segment.state != FALLBACK]
    completeness = Completeness(
        segments=len(counted),
        translated_segments=len(done),
        words=sum(_words(segment.source) for segment in counted),
        translated_words=sum(_words(segment.source) for segment in done),
    )
    return LocalizedPage(language, localized, chrome, plurals, completeness)


def _plural_forms(entry: Entry | None, string: SiteString, is_source: bool) -> tuple[str, ...]:
    assert string.plural is not None
    if is_source or entry is None or entry.fuzzy or not entry.translated:
        return (string.text, string.plural)
    return entry.msgstr_plural
