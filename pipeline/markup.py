"""Inline Markdown to safe HTML: raw HTML is escaped, unsafe link schemes are not linked."""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt

SAFE_SCHEMES = ("http://", "https://", "mailto:", "tel:")


def _safe_link(url: str) -> bool:
    lowered = url.strip().lower()
    if ":" not in lowered.split("/")[0].split("?")[0].split("#")[0]:
        return True  # relative: /contact, page.html, #section
    return lowered.startswith(SAFE_SCHEMES)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.disable(["image"])  # a patient page's text carries no images from translators
    parser.validateLink = _safe_link  # type: ignore[method-assign]
    return parser


def inline_html(text: str) -> str:
    """Render one segment's inline Markdown; anything that is not Markdown comes out as text."""
    return str(_parser().renderInline(text)).strip()
