"""Localized pages -> files for sites: HTML (Jinja2) and JSON, with their shared helpers."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from babel import Locale
from babel.dates import format_date, format_skeleton
from markupsafe import Markup

from pipeline.assemble import FALLBACK, STALE_SHOWN, LocalizedPage, LocalizedText
from pipeline.markup import inline_html
from pipeline.model import Reviewed
from pipeline.segment import join_sentences


@dataclass(frozen=True)
class Alternate:
    """The same page in another language: its language tag, name and address."""

    language: str
    tag: str  # BCP 47, for lang and hreflang attributes
    name: str  # in its own language, for the language switcher
    path: str  # relative to outputs/: "es/achilles-tendonitis.html"
    url: str  # absolute, for canonical and hreflang links


def language_tag(language: str) -> str:
    """The BCP 47 tag of a Babel locale code: pt_BR -> pt-BR."""
    return language.replace("_", "-")


def direction(language: str) -> str:
    return "rtl" if Locale.parse(language).character_order == "right-to-left" else "ltr"


def native_name(language: str) -> str:
    name = str(Locale.parse(language).get_display_name(language))
    return name[:1].upper() + name[1:]


def reviewed_date(reviewed: Reviewed, language: str) -> str:
    """'May 2026' as the language writes it (CLDR via Babel)."""
    date = datetime.date(reviewed.year, reviewed.month, reviewed.day or 1)
    if reviewed.day is None:
        return str(format_skeleton("yMMMM", date, locale=language))
    return str(format_date(date, format="long", locale=language))


def segment_html(text: LocalizedText) -> Markup:
    """A text's HTML: fallback segments in English spans, kept stale ones marked, for styling."""
    parts = []
    for segment in text.segments:
        html = inline_html(segment.text)
        if segment.state == FALLBACK:
            html = (f'<span lang="en" dir="ltr" class="fallback" '
                    f'data-reason="{segment.reason}">{html}</span>')
        elif segment.state == STALE_SHOWN:
            html = f'<span class="stale" data-stale-since="{segment.since}">{html}</span>'
        parts.append(html)
    return Markup(join_sentences(parts, text.language))


def fill(template: LocalizedText, **values: LocalizedText) -> Markup:
    """A site string with {placeholders} filled by rendered texts; the string itself is escaped."""
    result = str(segment_html(template))
    for name, value in values.items():
        result = result.replace("{" + name + "}", str(segment_html(value)))
    return Markup(result)


def plain(text: LocalizedText) -> str:
    return text.text


def text_state(text: LocalizedText) -> str:
    states = {segment.state for segment in text.segments}
    if states == {FALLBACK}:
        return FALLBACK
    return "partial" if FALLBACK in states else next(iter(states))


def has_state(page: LocalizedPage, state: str) -> bool:
    """Whether any segment of the page (site strings included) is shown in that state."""
    chrome = (segment for text in page.chrome.values() for segment in text.segments)
    return any(segment.state == state for segment in (*page.segments(), *chrome))


def updated_date(page: LocalizedPage) -> str | None:
    """When the page's translation was last saved, written as the language writes dates."""
    if page.updated is None:
        return None
    return str(format_date(datetime.date.fromisoformat(page.updated), format="long",
                           locale=page.language))

