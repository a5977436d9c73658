"""Page + catalogs -> localized page: each segment current, marked stale or shown in English."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from pipeline.config import Policy, SectionRule, StalePolicy
from pipeline.languages import parse_plural_forms, plural_forms
from pipeline.model import (
    Page,
    Reviewed,
    Section,
    SiteStrings,
    Text,
    collect,
    map_texts,
    word_count,
)
from pipeline.po.changes import ChangeClass
from pipeline.po.headers import revision_date
from pipeline.po.model import Catalog, Entry
from pipeline.po.states import State, entry_state
from pipeline.source.segment import NO_SPLITS, join_sentences, sentences_of

NONE_FAILED: Mapping[str, str] = MappingProxyType({})  # no translation fails a check


class Shown(StrEnum):
    """How a segment is shown on a localized page."""

    SOURCE = "source"
    TRANSLATED = "translated"
    STALE = "stale"
    FALLBACK = "fallback"


ENGLISH_PLURAL = "(n != 1)"  # the source language's Plural-Forms expression


@dataclass(frozen=True)
class LocalizedSegment:
    """One sentence or label as a reader sees it, with the state that decided it."""

    source: str  # the English
    text: str  # what is shown
    state: str  # source, translated, stale or fallback
    reason: str | None = None  # why it is not current: untranslated, suggested, stale,
    # unreviewed, or check:<name> when the translation fails an error-level check
    change: str | None = None  # for stale entries: substantive or critical
    since: str | None = None  # for stale entries: when the English changed


@dataclass(frozen=True)
class LocalizedText:
    segments: tuple[LocalizedSegment, ...]
    language: str

    @property
    def text(self) -> str:
        segments = self.segments
        if len(segments) == 1:
            return segments[0].text
        return join_sentences([segment.text for segment in segments], self.language)

    @property
    def current(self) -> bool:
        return all(segment.state in (Shown.SOURCE, Shown.TRANSLATED) for segment in self.segments)


@dataclass(frozen=True)
class Completeness:
    segments: int
    current_segments: int
    words: int
    current_words: int

    @property
    def ratio(self) -> float:
        return self.current_words / self.words if self.words else 1.0


@dataclass(frozen=True)
class Publication:
    """Whether a page is published in a language, and if not, why."""

    published: bool
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Withheld:
    """A page a build does not publish in a language, and why; withdrawn when that build
    removed its files, which an earlier build had published."""

    slug: str
    language: str
    reasons: tuple[str, ...]
    withdrawn: bool = False


@dataclass(frozen=True)
class LocalizedPage:
    """A page in one language, with its site strings, its completeness and its publication."""

    language: str
    page: Page[LocalizedText]
    chrome: Mapping[str, LocalizedText]
    plurals: Mapping[str, tuple[str, ...]]
    completeness: Completeness
    publication: Publication
    updated: str | None  # when a translator last saved the page's catalog (YYYY-MM-DD)
    # per plural site string, the Plural-Forms expression of n that picks one of its `plurals`
    plural_rules: Mapping[str, str]
    states: frozenset[str]  # the states its segments (site strings included) are shown in

    def shows(self, state: str) -> bool:
        return state in self.states

    def shows_critical(self) -> bool:
        """Whether English stands in for a translation whose English changed critically."""
        return Shown.FALLBACK in self.states and any(
            segment.state == Shown.FALLBACK and segment.change == ChangeClass.CRITICAL
            for text in texts_of(self.page) for segment in text.segments)


@dataclass(frozen=True)
class SiteText:
    """A language's site strings, the same on every page in that language."""

    language: str
    chrome: Mapping[str, LocalizedText]
    plurals: Mapping[str, tuple[str, ...]]
    plural_rules: Mapping[str, str]


@dataclass(frozen=True)
class Listing:
    """What the rest of the site needs of a page in one language: its index page, the
    manifest, the sitemap and the page's other languages (a build keeps it between builds)."""

    language: str
    slug: str
    title: LocalizedText
    category: LocalizedText
    reviewed: Reviewed
    completeness: Completeness
    publication: Publication
    updated: str | None
    complete: bool  # no segment, site strings included, is shown in English


def site_text(page: LocalizedPage) -> SiteText:
    return SiteText(page.language, page.chrome, page.plurals, page.plural_rules)


def listing(page: LocalizedPage) -> Listing:
    return Listing(page.language, page.page.slug, page.page.title, page.page.category,
                   page.page.reviewed, page.completeness, page.publication, page.updated,
                   not page.shows(Shown.FALLBACK))


def texts_of(node: object) -> Iterator[LocalizedText]:
    """Every LocalizedText in a localized page tree, in reading order."""
    return collect(node, LocalizedText)


def translations(catalog: Catalog | None) -> dict[str, Entry]:
    """The active entries of a catalog by English text."""
    if catalog is None:
        return {}
    return {entry.msgid: entry for entry in catalog.entries if not entry.obsolete}


def localize_segment(english: str, entry: Entry | None, policy: Policy,
                     failed_check: str | None = None) -> LocalizedSegment:
    """What a reader sees for one English segment, under the publication policy; a translation
    that fails an error-level check (`failed_check`, docs/checks.md) is never published."""
    state = entry_state(entry)
    if state.state == State.CURRENT and entry is not None and failed_check is not None:
        return LocalizedSegment(english, english, Shown.FALLBACK, f"check:{failed_check}")
    if state.state == State.CURRENT and entry is not None:
        if policy.require_review and not state.reviewed:
            return LocalizedSegment(english, english, Shown.FALLBACK, "unreviewed")
        return LocalizedSegment(english, entry.msgstr, Shown.TRANSLATED)
    if state.state == State.STALE and entry is not None:
        if policy.stale == StalePolicy.MARKED and not state.critical:
            return LocalizedSegment(english, entry.msgstr, Shown.STALE, "stale", state.change,
                                    state.since)
        return LocalizedSegment(english, english, Shown.FALLBACK, "stale", state.change,
                                state.since)
    return LocalizedSegment(english, english, Shown.FALLBACK, state.state)


def _publication(page: Page[LocalizedText], completeness: Completeness, policy: Policy,
                 is_source: bool) -> Publication:
    """Published unless under min_current, or a required section holds what the policy's rule
    refuses (docs/staleness.md#publication-policy-toolpipelinepublish)."""
    if is_source:
        return Publication(True, ())
    reasons = []
    share = completeness.ratio * 100
    if share < policy.min_current:
        reasons.append(f"only {share:.0f}% of the words are current; at least "
                       f"{policy.min_current:g}% must be")
    for section in page.sections:
        if section.kind.value in policy.required_sections:
            reasons += _required_section_reasons(section, policy.required_rule)
    return Publication(not reasons, tuple(reasons))


def _required_section_reasons(section: Section[LocalizedText], rule: SectionRule) -> list[str]:
    named = f"the {section.kind.value} section {section.id!r}"
    segments = [segment for text in texts_of(section) for segment in text.segments]
    if rule == SectionRule.CURRENT:
        if all(segment.state in (Shown.SOURCE, Shown.TRANSLATED) for segment in segments):
            return []
        return [f"{named} must be wholly current and is not "
                f"(required_sections_rule = '{SectionRule.CURRENT}')"]
    critical = [segment.source for segment in segments
                if segment.change == ChangeClass.CRITICAL and segment.state != Shown.TRANSLATED]
    if not critical:
        return []
    entries = "a critical stale entry" if len(critical) == 1 else \
        f"{len(critical)} critical stale entries"
    return [f"{named} holds {entries} (a number, dose, duration or negation changed in the "
            f"English since it was translated): {critical[0]!r}"]


def _date(catalog: Catalog | None) -> str | None:
    return revision_date(catalog.header_value("PO-Revision-Date")) if catalog else None


def _segments(entries: Mapping[str, Entry], failed: Mapping[str, str], policy: Policy,
              is_source: bool) -> Callable[[str], LocalizedSegment]:
    """What a reader sees for each English segment of a catalog (see localize_segment)."""
    def segment(english: str) -> LocalizedSegment:
        if is_source:
            return LocalizedSegment(english, english, Shown.SOURCE)
        return localize_segment(english, entries.get(english), policy, failed.get(english))
    return segment


def localize_site(site: SiteStrings, site_catalog: Catalog | None, language: str,
                  source_language: str, policy: Policy,
                  site_failed: Mapping[str, str] = NONE_FAILED) -> SiteText:
    """The site strings in `language`, the same for every page (`site_failed` as in localize)."""
    site_entries = translations(site_catalog)
    segment = _segments(site_entries, site_failed, policy, language == source_language)
    chrome = {string.key: LocalizedText((segment(string.text),), language)
              for string in site.strings}
    # a plural string is translated only where its site string is shown translated
    translated = {string.key for string in site.strings if string.plural is not None
                  and chrome[string.key].segments[0].state == Shown.TRANSLATED}
    plurals = {string.key: site_entries[string.text].msgstr_plural if string.key in translated
               else (string.text, str(string.plural))
               for string in site.strings if string.plural is not None}
    rule = _plural_rule(site_catalog, language)
    rules = {key: rule if key in translated else ENGLISH_PLURAL for key in plurals}
    return SiteText(language, chrome, plurals, rules)


def localize(page: Page[Text], catalog: Catalog | None, strings: SiteText,
             source_language: str, granularity: str, policy: Policy,
             failed: Mapping[str, str] = NONE_FAILED,
             known: Mapping[str, tuple[str, ...]] = NO_SPLITS) -> LocalizedPage:
    """The page in the language of `strings` (localize_site): current translations, and
    English wherever one is not current.

    `failed` maps the English of the catalog's translations that fail an error-level check to
    that check: those are shown in English. `known` holds splits of its prose made before.
    """
    language = strings.language
    is_source = language == source_language
    segment = _segments(translations(catalog), failed, policy, is_source)
    counted: list[LocalizedSegment] = []  # every segment of the page, in reading order

    def localize_text(text: Text) -> LocalizedText:
        segments = tuple([segment(sentence) for sentence in sentences_of(text, granularity,
                                                                        known)])
        counted.extend(segments)
        return LocalizedText(segments, language)

    localized: Page[LocalizedText] = map_texts(page, localize_text)
    done = [part for part in counted if part.state in (Shown.SOURCE, Shown.TRANSLATED)]
    completeness = Completeness(
        segments=len(counted),
        current_segments=len(done),
        words=sum([word_count(part.source) for part in counted]),
        current_words=sum([word_count(part.source) for part in done]),
    )
    states = {part.state for part in counted}
    states.update(part.state for text in strings.chrome.values() for part in text.segments)
    return LocalizedPage(language, localized, strings.chrome, strings.plurals, completeness,
                         _publication(localized, completeness, policy, is_source),
                         None if is_source else _date(catalog), strings.plural_rules,
                         frozenset(states))


def _plural_rule(catalog: Catalog | None, language: str) -> str:
    """The expression of n that picks a plural form: the catalog's own rule, as update keeps
    it, else the project's for the language."""
    value = catalog.header_value("Plural-Forms") if catalog else None
    rule = parse_plural_forms(value or "") or plural_forms(language)
    return rule.expression if rule else ENGLISH_PLURAL

