"""Localized pages -> HTML documents, with Jinja2 (autoescape, StrictUndefined)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup

from pipeline.build.assemble import (
    Listing,
    LocalizedPage,
    LocalizedText,
    Shown,
    SiteText,
    site_text,
)
from pipeline.languages import bcp47
from pipeline.render import (
    Links,
    count_html,
    direction,
    plain,
    reviewed_date,
    updated_date,
)
from pipeline.render.collation import SortKey, sort_key
from pipeline.render.json import dumps
from pipeline.render.jsonld import page_jsonld
from pipeline.render.markup import inline_text
from pipeline.render.runs import CRITICAL_LABEL, fill, segment_html, texts_html

INDEX = "index.html"  # a language's list of its pages, beside them
PAGE_COUNT = "page_count"  # the plural site string that counts a category's pages


@dataclass(frozen=True)
class IndexEntry:
    href: str  # relative to the index page
    title: LocalizedText


@dataclass(frozen=True)
class IndexCategory:
    id: str  # the HTML id, from the English name, the same in every language
    name: LocalizedText
    count: Markup  # "5 pages", as the language says it
    entries: tuple[IndexEntry, ...]


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("pipeline.render", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        auto_reload=False,  # the templates are the package's: no stat of them per page
    )
    env.filters["md"] = _md
    env.filters["plain"] = plain
    env.globals["fill"] = _fill
    env.globals["bullet"] = _bullet
    return env


def _label(context: Context) -> LocalizedText:
    label: LocalizedText = context["t"][CRITICAL_LABEL]
    return label


@pass_context
def _md(context: Context, text: LocalizedText) -> Markup:
    return segment_html(text, _label(context))


@pass_context
def _fill(context: Context, template: LocalizedText, **values: LocalizedText) -> Markup:
    return fill(template, _label(context), **values)


@pass_context
def _bullet(context: Context, lead: LocalizedText | None, text: LocalizedText | None,
            style: str = "bold") -> Markup:
    """A bullet: its lead-in (bold, or plain text in a span) and its text, English runs
    isolated across the two."""
    parts = [(lead, "strong" if style == "bold" else 'span class="lead"')] if lead else []
    if text:
        parts.append((text, ""))
    return texts_html(parts, _label(context))


def english(text: LocalizedText) -> str:
    """The English a text was translated from."""
    return " ".join(segment.source for segment in text.segments)


def category_id(name: str) -> str:
    """The anchor of a category on the index pages: "Foot & Ankle" -> "category-foot-ankle"."""
    return "category-" + (re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "other")


def _order(text: LocalizedText) -> SortKey:
    return sort_key(inline_text(text.text), text.language)


def _render(template: str, strings: SiteText, links: Links, /, **values: Any) -> str:
    return environment().get_template(template).render(
        language=strings.language,
        tag=bcp47(strings.language),
        dir=direction(strings.language),
        links=links,
        root="../",
        t=strings.chrome,
        **values,
    )


def page_html(page: LocalizedPage, links: Links) -> str:
    """The HTML document of one page in one language."""
    return _render(
        "page.html.j2", site_text(page), links,
        page=page,
        p=page.page,
        jsonld=Markup(dumps(page_jsonld(page, links.this.url))),
        category_href=f"{INDEX}#{category_id(english(page.page.category))}",
        fallback=page.shows(Shown.FALLBACK),
        stale=page.shows(Shown.STALE),
        critical=page.shows_critical(),
        updated=updated_date(page),
        reviewed=reviewed_date(page.page.reviewed, page.language),
    )


def index_categories(pages: Sequence[Listing],
                     strings: SiteText) -> tuple[IndexCategory, ...]:
    """One language's pages by category, categories and titles in its alphabetical order."""
    groups: dict[str, list[Listing]] = {}
    for page in pages:
        groups.setdefault(english(page.category), []).append(page)
    categories = []
    for name, members in groups.items():
        members.sort(key=lambda page: _order(page.title))
        shown = next((page.category for page in members if page.category.current),
                     members[0].category)
        categories.append(IndexCategory(
            category_id(name), shown, count_html(strings, PAGE_COUNT, len(members)),
            tuple(IndexEntry(f"{page.slug}.html", page.title) for page in members)))
    return tuple(sorted(categories, key=lambda category: _order(category.name)))


def index_html(pages: Sequence[Listing], strings: SiteText, links: Links) -> str:
    """A language's index page: the pages published in it, by category."""
    categories = index_categories(pages, strings)
    shown = [text for category in categories for text in
             (category.name, *(entry.title for entry in category.entries))]
    chrome = (strings.chrome["index_title"], strings.chrome[PAGE_COUNT])
    fallback = any(segment.state == Shown.FALLBACK for text in (*shown, *chrome)
                   for segment in text.segments)
    return _render("index.html.j2", strings, links, categories=categories,
                   fallback=fallback)
