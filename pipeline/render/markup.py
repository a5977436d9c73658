"""Inline Markdown to safe HTML: raw HTML is escaped, unsafe link schemes are not linked."""

from __future__ import annotations

import re
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


# Text without any of these characters has no Markdown in it: it is only escaped.
# (linkify, typographer and images are off: parentheses, "!" and bare URLs are plain text).
MARKDOWN = re.compile(r"[\\`*_\[\]<>&\n\r\0]")  # markdown-it reads NUL as U+FFFD


@lru_cache(maxsize=65536)
def inline_html(text: str) -> str:
    """Render one segment's inline Markdown; anything that is not Markdown comes out as text."""
    if not MARKDOWN.search(text):
        # as markdown-it escapes text; four replace() passes beat one translate() tenfold
        return text.strip().replace("&", "&amp;").replace("<", "&lt;").replace(
            ">", "&gt;").replace('"', "&quot;")
    return str(_parser().renderInline(text)).strip()


def inline_text(text: str) -> str:
    """A segment's inline Markdown as plain text: the words of links and emphasis, no markup."""
    if not MARKDOWN.search(text):
        return text.strip()
    parts = []
    for token in _parser().parseInline(text):
        for child in token.children or ():
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append(" ")
    return "".join(parts).strip()


def has_emphasis(text: str) -> bool:
    """Whether a segment's inline Markdown holds `*emphasis*` or `**strong emphasis**`."""
    if "*" not in text and "_" not in text:
        return False
    return any(child.type in ("em_open", "strong_open") for token in _parser().parseInline(text)
               for child in token.children or ())
