"""Localized page -> HTML document, with Jinja2 (autoescape, StrictUndefined)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from pipeline.assemble import FALLBACK, STALE_SHOWN, LocalizedPage
from pipeline.render import (
    Alternate,
    direction,
    fill,
    has_state,
    language_tag,
    plain,
    reviewed_date,
    segment_html,
    updated_date,
)


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("pipeline.render", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["md"] = segment_html
    env.filters["plain"] = plain
    env.globals["fill"] = fill
    return env


def page_html(page: LocalizedPage, alternates: Sequence[Alternate], x_default: str) -> str:
    """The HTML document of one page in one language."""
    this = next(alternate for alternate in alternates if alternate.language == page.language)
    return environment().get_template("page.html.j2").render(
        page=page,
        language=page.language,
        tag=language_tag(page.language),
        dir=direction(page.language),
        alternates=alternates,
        canonical=this.url,
        x_default=x_default,
        root="../",
        fallback=has_state(page, FALLBACK),
        stale=has_state(page, STALE_SHOWN),
        updated=updated_date(page),
        reviewed=reviewed_date(page.page.reviewed, page.language),
    )
