"""Write the localized pages, the manifest and the assets into outputs/; remove what is gone."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from pipeline.assemble import LocalizedPage
from pipeline.fsio import inside, remove_unlisted, write_if_changed
from pipeline.render import Alternate, direction, has_fallback, language_tag, native_name
from pipeline.render.html import page_html
from pipeline.render.json import FORMAT_VERSION, dumps, page_document

MANIFEST = "index.json"
ASSETS = "assets"


@dataclass(frozen=True)
class BuildResult:
    written: tuple[Path, ...]  # files whose bytes changed
    unchanged: int
    removed: tuple[Path, ...]
    manifest: dict[str, Any]


def alternates(slug: str, languages: Sequence[str], base_url: str) -> tuple[Alternate, ...]:
    """The page in every language, in the configured order."""
    result = []
    for language in languages:
        path = f"{language_tag(language)}/{slug}.html"
        result.append(Alternate(language, language_tag(language), native_name(language), path,
                                f"{base_url}/{path}"))
    return tuple(result)


def _manifest(localized: Sequence[LocalizedPage], languages: Sequence[str],
              source_language: str, links: dict[str, tuple[Alternate, ...]]) -> dict[str, Any]:
    pages: dict[str, dict[str, Any]] = {}
    for page in localized:
        slug = page.page.slug
        entry = pages.setdefault(slug, {"slug": slug, "category": page.page.category.text,
                                        "languages": {}})
        if page.language == source_language:
            entry["category"] = page.page.category.text
            entry["title"] = page.page.title.text
        alternate = next(a for a in links[slug] if a.language == page.language)
        entry["languages"][alternate.tag] = {
            "html": alternate.path,
            "json": alternate.path.removesuffix(".html") + ".json",
            "url": alternate.url,
            "title": page.page.title.text,
            "completeness": round(page.completeness.ratio, 4),
            "fallback_segments": page.completeness.segments
            - page.completeness.translated_segments,
            "complete": not has_fallback(page),
        }
    return {
        "format_version": FORMAT_VERSION,
        "source_language": language_tag(source_language),
        "languages": [{"code": language_tag(language), "name": native_name(language),
                       "direction": direction(language)} for language in languages],
        "pages": [pages[slug] for slug in sorted(pages)],
    }


def write_outputs(localized: Sequence[LocalizedPage], languages: Sequence[str],
                  source_language: str, base_url: str, outputs_dir: Path) -> BuildResult:
    """Write every page as HTML and JSON, the manifest and the stylesheet; delete stale files."""
    slugs = sorted({page.page.slug for page in localized})
    links = {slug: alternates(slug, languages, base_url) for slug in slugs}
    files: dict[Path, bytes] = {}
    for page in localized:
        slug = page.page.slug
        folder = inside(outputs_dir, language_tag(page.language))
        x_default = next(a.url for a in links[slug] if a.language == source_language)
        files[inside(folder, f"{slug}.html")] = \
            page_html(page, links[slug], x_default).encode("utf-8")
        files[inside(folder, f"{slug}.json")] = \
            dumps(page_document(page, links[slug])).encode("utf-8")
    manifest = _manifest(localized, languages, source_language, links)
    files[outputs_dir / MANIFEST] = dumps(manifest).encode("utf-8")
    stylesheet = resources.files("pipeline.render").joinpath("assets/site.css").read_bytes()
    files[outputs_dir / ASSETS / "site.css"] = stylesheet
    written = tuple(path for path, data in files.items() if write_if_changed(path, data))
    removed = remove_unlisted(outputs_dir, set(files), (".html", ".json", ".css"))
    return BuildResult(written, len(files) - len(written), tuple(removed), manifest)
