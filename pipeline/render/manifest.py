"""The manifest, outputs/index.json: every page in every language, for a site's navigation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pipeline.build.assemble import Listing
from pipeline.languages import bcp47
from pipeline.render import (
    Alternate,
    Site,
    direction,
    last_modified,
    native_name,
    plain,
)
from pipeline.render.json import FORMAT_VERSION, translation_status

MANIFEST = "index.json"
SITEMAP = "sitemap.xml"


def _link(alternate: Alternate | None) -> dict[str, str] | None:
    return {"path": alternate.path, "url": alternate.url} if alternate else None


def _language(page: Listing, alternate: Alternate | None, public: bool) -> dict[str, Any]:
    status = translation_status(page, alternate)
    status.update(
        public=public,
        title=plain(page.title),
        category=plain(page.category),
        complete=page.complete,
        fallback_segments=page.completeness.segments - page.completeness.current_segments,
        last_modified=last_modified(page),
    )
    return status


def manifest_document(site: Site, by_slug: Mapping[str, Sequence[Listing]],
                      links: Mapping[str, Mapping[str, Alternate]],
                      indexes: Mapping[str, Alternate]) -> dict[str, Any]:
    """Languages with their index pages, and pages with each language's publication state."""
    counts = {language: sum(language in published for published in links.values())
              for language in site.all_languages}
    pages = []
    for slug, versions in by_slug.items():
        english = next(page for page in versions if page.language == site.source_language)
        pages.append({
            "slug": slug,
            "category": plain(english.category),
            "title": plain(english.title),
            "reviewed": english.reviewed.iso(),
            "languages": {bcp47(page.language): _language(
                page, links[slug].get(page.language), page.language in site.languages)
                for page in versions},
        })
    return {
        "format_version": FORMAT_VERSION,
        "base_url": site.base_url,
        "source_language": bcp47(site.source_language),
        "sitemap": {"path": SITEMAP, "url": f"{site.base_url}/{SITEMAP}"},
        "languages": [{"code": bcp47(language), "name": native_name(language),
                       "direction": direction(language),
                       "public": language in site.languages,
                       "index": _link(indexes.get(language)),
                       "published_pages": counts[language]}
                      for language in site.all_languages],
        "pages": pages,
    }
