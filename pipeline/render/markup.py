"""Inline Markdown to safe HTML: raw HTML is escaped, unsafe link schemes are not linked."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from urllib.parse import urlsplit

from markdown_it import MarkdownIt

SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
HOST_SCHEMES = frozenset({"http", "https"})  # a URL of these without a host is not kept
_DROPPED = re.compile(r"[\t\n\r]")  # a browser removes these anywhere in a URL
_C0_AND_SPACE = "".join(map(chr, range(0x21)))  # ...and these at either end
PLACEHOLDER = re.compile(r"\{([A-Za-z_]\w*)\}")  # {title} in a site string, filled by the pipeline


def safe_link(url: str) -> bool:
    """Whether a link is kept: a reference within the site (a path, a query, a fragment), an
    http or https URL with a host, mailto: or tel:. The URL is read as a browser reads it, so a
    protocol-relative //host (or \\\\host), http:/host and a scheme behind spaces or controls are
    not taken for a path.

    >>> [safe_link(url) for url in ("/contact", "#faq", "HTTPS://example.org", "tel:+15550100")]
    [True, True, True, True]
    >>> [safe_link(url) for url in ("//evil.example/x", "http:/x", "\\x01javascript:x", "a:b")]
    [False, False, False, False]
    """
    url = _DROPPED.sub("", url).strip(_C0_AND_SPACE).replace("\\", "/")
    try:
        parts = urlsplit(url)
    except ValueError:  # such as an unclosed [ in the host
        return False
    if not parts.scheme:  # RFC 3986: a path's first segment has no colon ("./a:b" if need be)
        return not url.startswith("//") and ":" not in parts.path.split("/")[0]
    if parts.scheme not in SAFE_SCHEMES:
        return False
    return bool(parts.netloc) if parts.scheme in HOST_SCHEMES else bool(parts.path)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.disable(["image"])  # a patient page's text carries no images from translators
    parser.validateLink = safe_link  # type: ignore[method-assign]
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


def placeholder_parts(template: str, names: frozenset[str]) -> Iterator[tuple[str, bool]]:
    """A template cut at its placeholders: (text, False) for its own text, (name, True) for a
    placeholder among `names`; an unknown one stays text.

    >>> list(placeholder_parts("{title}: {x}", frozenset({"title"})))
    [('title', True), (': {x}', False)]
    """
    start = 0
    for match in PLACEHOLDER.finditer(template):
        if match.group(1) in names:
            if match.start() > start:
                yield template[start:match.start()], False
            yield match.group(1), True
            start = match.end()
    if start < len(template):
        yield template[start:], False


def fill_text(template: str, values: Mapping[str, str]) -> str:
    """A template with its placeholders filled in one pass: a value is never searched for
    placeholders of its own.

    >>> fill_text("{title}: {tagline}", {"title": "{tagline}", "tagline": "Heel pain"})
    '{tagline}: Heel pain'
    """
    return "".join(values[text] if name else text
                   for text, name in placeholder_parts(template, frozenset(values)))
