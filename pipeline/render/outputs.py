"""Write the published pages, the manifest and the assets into outputs/; remove what is gone."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from pipeline.assemble import FALLBACK, LocalizedPage
from pipeline.fsio import inside, remove_unlisted, write_if_changed
from pipeline.render import Alternate, direction, has_state, language_tag, native_name
from pipeline.render.html import page_html
from pipeline.render.json import FORMAT_VERSION, dumps, page_document, translation_status

MANIFEST = "index.json"
ASSETS = "assets"


@dataclass(frozen=True)
class BuildResult:
    written: tuple[Path, ...]  # files whose bytes changed
    unchanged: int
    removed: tuple[Path, ...]
    manifest: dict[str, Any]


def alternate(slug: str, language: str, base_url: str) -> Alternate:
    path = f"{language_tag(language)}/{slug}.html"
    return Alternate(language, language_tag(language), native_name(language), path,
                     f"{base_url}/{path}")


def _manifest(by_slug: dict[str, list[LocalizedPage]], languages: Sequence[str],
              source_language: str, links: dict[str, dict[str, Alternate]]) -> dict[str, Any]:
    pages = []
    for slug, versions in by_slug.items():
        english = next(page for page in versions if page.language == source_language)
        entry: dict[str, Any] = {"slug": slug, "category": english.page.category.text,
                                 "title": english.page.title.text, "languages": {}}
        for page in versions:
            status = translation_status(page, links[slug].get(page.language))
            status["title"] = page.page.title.text
            status["complete"] = not has_state(page, FALLBACK)
            status["fallback_segments"] = page.completeness.segments \
                - page.completeness.current_segments
            entry["languages"][language_tag(page.language)] = status
        pages.append(entry)
    return {
        "format_version": FORMAT_VERSION,
        "source_language": language_tag(source_language),
        "languages": [{"code": language_tag(language), "name": native_name(language),
                       "direction": direction(language)} for language in languages],
        "pages": pages,
    }


def write_outputs(localized: Sequence[LocalizedPage], languages: Sequence[str],
                  source_language: str, base_url: str, outputs_dir: Path) -> BuildResult:
    """Write every published page as HTML and JSON, the manifest and the stylesheet.

    A language in which a page is not published gets no file (its URL is not written) and is
    left out of the page's alternates; files that are no longer produced are deleted.
    """
    by_slug: dict[str, list[LocalizedPage]] = {}
    for page in localized:
        by_slug.setdefault(page.page.slug, []).append(page)
    by_slug = dict(sorted(by_slug.items()))
    links = {slug: {page.language: alternate(slug, page.language, base_url)
                    for page in versions if page.publication.published}
             for slug, versions in by_slug.items()}
    files: dict[Path, bytes] = {}
    for slug, versions in by_slug.items():
        published = [links[slug][language] for language in languages if language in links[slug]]
        statuses = [translation_status(page, links[slug].get(page.language))
                    for page in versions]
        for page in versions:
            if not page.publication.published:
                continue
            folder = inside(outputs_dir, language_tag(page.language))
            x_default = links[slug][source_language].url
            files[inside(folder, f"{slug}.html")] = \
                page_html(page, published, x_default).encode("utf-8")
            files[inside(folder, f"{slug}.json")] = \
                dumps(page_document(page, published, statuses)).encode("utf-8")
    manifest = _manifest(by_slug, languages, source_language, links)
    files[outputs_dir / MANIFEST] = dumps(manifest).encode("utf-8")
    stylesheet = resources.files("pipeline.render").joinpath("assets/site.css").read_bytes()
    files[outputs_dir / ASSETS / "site.css"] = stylesheet
    written = tuple(path for path, data in files.items() if write_if_changed(path, data))
    removed = remove_unlisted(outputs_dir, set(files), (".html", ".json", ".css"))
    return BuildResult(written, len(files) - len(written), tuple(removed), manifest)
