"""outputs/sitemap.xml (sitemaps.org 0.9): every public page with its hreflang alternates."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from xml.sax.saxutils import escape, quoteattr

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"
_attribute = lru_cache(maxsize=65536)(quoteattr)  # each URL is an alternate of all its languages


@dataclass(frozen=True)
class SitemapUrl:
    loc: str
    lastmod: str | None  # YYYY-MM-DD; None when only the month is known
    alternates: tuple[tuple[str, str], ...]  # (hreflang, href), x-default last


def sitemap_xml(urls: Sequence[SitemapUrl]) -> str:
    """The sitemap, in the order given; alternates as Google reads them (xhtml:link)."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<urlset xmlns="{NAMESPACE}" xmlns:xhtml="{XHTML}">']
    for url in urls:
        lines += ["  <url>", f"    <loc>{escape(url.loc)}</loc>"]
        if url.lastmod is not None:
            lines.append(f"    <lastmod>{escape(url.lastmod)}</lastmod>")
        lines += [f'    <xhtml:link rel="alternate" hreflang={_attribute(hreflang)} '
                  f'href={_attribute(href)}/>' for hreflang, href in url.alternates]
        lines.append("  </url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"
