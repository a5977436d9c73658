"""Localized pages -> files for sites: HTML, JSON, JSON-LD and a sitemap, with shared helpers."""

from __future__ import annotations

import datetime
import gettext
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal
from markupsafe import Markup

from pipeline import languages
from pipeline.build import pseudo
from pipeline.build.assemble import (
    ENGLISH_PLURAL,
    Listing,
    LocalizedPage,
    LocalizedText,
    Shown,
    SiteText,
)
from pipeline.model import Reviewed
from pipeline.render.markup import fill_text, inline_html


@dataclass(frozen=True)
class Alternate:
    """The same page in another language: its language tag, name and address."""

    language: str
    tag: str  # BCP 47, for lang and hreflang attributes
    name: str  # in its own language, for the language switcher
    path: str  # relative to outputs/: "es/achilles-tendonitis.html"
    url: str  # absolute, for canonical and hreflang links


@dataclass(frozen=True)
class Site:
    """The languages a build writes, and where the site lives."""

    base_url: str
    source_language: str
    languages: tuple[str, ...]  # public: the source language first, then the translations
    pseudo_languages: tuple[str, ...]  # built and listed, but never linked for readers

    @property
    def all_languages(self) -> tuple[str, ...]:
        return (*self.languages, *self.pseudo_languages)


@dataclass(frozen=True)
class Links:
    """Where one document stands among its languages: what its HTML links to."""

    this: Alternate
    alternates: tuple[Alternate, ...]  # hreflang: the public languages it is published in
    switcher: tuple[Alternate, ...]  # the language switcher (a pseudo-language lists itself too)
    x_default: str | None  # the source language's URL; None when the document is not public

    @property
    def public(self) -> bool:
        return self.x_default is not None


def locale(language: str) -> Locale:
    """The CLDR data a language is written with (a pseudo-language borrows its base's)."""
    return languages.locale(pseudo.base_language(language))


def direction(language: str) -> str:
    return "rtl" if locale(language).character_order == "right-to-left" else "ltr"


@lru_cache(maxsize=256)  # every alternate link names its language
def native_name(language: str) -> str:
    if pseudo.is_pseudo(language):
        return pseudo.native_name(language)
    name = str(languages.locale(language).get_display_name(languages.locale(language)))
    return name[:1].upper() + name[1:]


@lru_cache(maxsize=1024)  # every version of a page says it, and Babel's formatting is slow
def reviewed_date(reviewed: Reviewed, language: str) -> str:
    """'May 2026' as the language writes it (CLDR via Babel)."""
    date = datetime.date(reviewed.year, reviewed.month, reviewed.day or 1)
    if reviewed.day is None:
        return str(format_skeleton("yMMMM", date, locale=locale(language)))
    return str(format_date(date, format="long", locale=locale(language)))


def plain(text: LocalizedText) -> str:
    return text.text


def text_state(text: LocalizedText) -> str:
    states = {segment.state for segment in text.segments}
    if states == {Shown.FALLBACK}:
        return Shown.FALLBACK
    if Shown.FALLBACK in states:
        return "partial"
    return Shown.STALE if Shown.STALE in states else next(iter(states))  # source or translated


def updated_date(page: LocalizedPage) -> str | None:
    """When the page's translation was last saved, written as the language writes dates."""
    if page.updated is None:
        return None
    return str(format_date(datetime.date.fromisoformat(page.updated), format="long",
                           locale=locale(page.language)))


@lru_cache(maxsize=32)
def _plural_form(rule: str) -> Callable[[int], int]:
    return gettext.c2py(rule)


def _latest_first(date: str) -> str:
    # a month sorts after each of its days: its unknown day may be the last
    return date if len(date) == len("YYYY-MM-DD") else f"{date}-99"


def latest(dates: Iterable[str]) -> str:
    """The latest of dates written as days (YYYY-MM-DD) or months (YYYY-MM); a month is later
    than any of its days, so a month and a day of it give the month (the truth, no more)."""
    return max(dates, key=_latest_first)


def last_modified(page: Listing) -> str:
    """When the page last changed in this language, as precisely as it is known: the later of
    its medical review (a month or a day, as written) and its translation's save (a day)."""
    return latest((page.reviewed.iso(), *((page.updated,) if page.updated else ())))


def day(date: str) -> str | None:
    """A date that names its day, or None for a month: a sitemap's lastmod must be a day."""
    return date if len(date) == len("YYYY-MM-DD") else None


def count_html(strings: SiteText, key: str, count: int) -> Markup:
    """A plural site string for `count` ("1 page", "5 pages") in the strings' language: the
    form its catalog's Plural-Forms picks, in English (marked) where it is not translated."""
    forms = strings.plurals[key]
    index = _plural_form(strings.plural_rules.get(key, ENGLISH_PLURAL))(count)
    number = str(format_decimal(count, locale=locale(strings.language)))
    html = inline_html(fill_text(forms[min(index, len(forms) - 1)], {"count": number}))
    if strings.chrome[key].segments[0].state not in (Shown.SOURCE, Shown.TRANSLATED):
        html = f'<span lang="en" dir="ltr" class="fallback">{html}</span>'
    return Markup(html)

