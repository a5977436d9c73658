"""Write the published pages, index pages, manifest, sitemap and assets; remove what is gone."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from pipeline.assemble import LocalizedPage
from pipeline.errors import PipelineError, raise_all
from pipeline.fsio import inside, remove_unlisted, write_if_changed
from pipeline.render import Alternate, Links, Site, language_tag, last_modified, native_name
from pipeline.render.html import INDEX, index_html, page_html
from pipeline.render.json import dumps, page_document, translation_status
from pipeline.render.manifest import MANIFEST, SITEMAP, manifest_document
from pipeline.render.schemas import problems
from pipeline.render.sitemap import SitemapUrl, sitemap_xml

ASSETS = "assets"
ASSET_FILES = ("site.css", "favicon.svg")
SUFFIXES = (".html", ".json", ".xml", ".css", ".svg")  # what a build owns in outputs/


@dataclass(frozen=True)
class BuildResult:
    written: tuple[Path, ...]  # files whose bytes changed
    unchanged: int
    removed: tuple[Path, ...]
    manifest: dict[str, Any]


def alternate(name: str, language: str, base_url: str) -> Alternate:
    """A file of one language: `name` is "<slug>.html" or "index.html"."""
    path = f"{language_tag(language)}/{name}"
    return Alternate(language, language_tag(language), native_name(language), path,
                     f"{base_url}/{path}")


def links_of(this: Alternate, published: Mapping[str, Alternate], site: Site) -> Links:
    """What one document links to: a public one, its public languages; a pseudo-language's,
    only them and itself from its switcher (no alternate names it, nor does it name any)."""
    public = tuple(published[language] for language in site.languages if language in published)
    if this.language in site.languages:
        return Links(this, public, public, published[site.source_language].url)
    return Links(this, (), (*public, this), None)


def _sitemap_urls(documents: Mapping[str, Alternate], modified: Mapping[str, str],
                  site: Site) -> list[SitemapUrl]:
    """One document's public languages, each listing all of them and x-default."""
    urls = []
    for language in site.languages:
        if language in documents:
            links = links_of(documents[language], documents, site)
            alternates = tuple((item.tag, item.url) for item in links.alternates)
            urls.append(SitemapUrl(links.this.url, modified[language],
                                   (*alternates, ("x-default", str(links.x_default)))))
    return urls


def write_outputs(localized: Sequence[LocalizedPage], languages: Sequence[str],
                  source_language: str, base_url: str, outputs_dir: Path,
                  pseudo_languages: Sequence[str] = ()) -> BuildResult:
    """Write every published page as HTML and JSON, each language's index page, the manifest,
    the sitemap and the assets, after checking the JSON against its schemas.

    A language in which a page is not published gets no file (its URL is not written) and is
    left out of the page's alternates; files that are no longer produced are deleted.
    Pseudo-languages are written like the others but are not public: no alternate, sitemap
    entry or switcher of a public page links them, and their pages ask not to be indexed.
    """
    site = Site(base_url, source_language, tuple(languages), tuple(pseudo_languages))
    by_slug: dict[str, list[LocalizedPage]] = {}
    for page in localized:
        if f"{page.page.slug}.html" == INDEX:
            raise PipelineError(f"the slug {page.page.slug!r} is kept for each language's list "
                                "of pages: give this page another slug", page.page.path)
        by_slug.setdefault(page.page.slug, []).append(page)
    by_slug = dict(sorted(by_slug.items()))
    links = {slug: {page.language: alternate(f"{slug}.html", page.language, base_url)
                    for page in versions if page.publication.published}
             for slug, versions in by_slug.items()}
    files: dict[Path, bytes] = {}
    invalid: list[PipelineError] = []
    sitemap: list[SitemapUrl] = []
    listed: dict[str, list[LocalizedPage]] = {}
    for slug, versions in by_slug.items():
        published = links[slug]
        statuses = [translation_status(page, published.get(page.language))
                    for page in versions if page.language in site.languages]
        for page in versions:
            if page.language not in published:
                continue
            listed.setdefault(page.language, []).append(page)
            page_links = links_of(published[page.language], published, site)
            folder = inside(outputs_dir, language_tag(page.language))
            files[inside(folder, f"{slug}.html")] = page_html(page, page_links).encode("utf-8")
            document = page_document(page, page_links.alternates, statuses, page_links.public)
            invalid += problems(document, "page", inside(folder, f"{slug}.json"))
            files[inside(folder, f"{slug}.json")] = dumps(document).encode("utf-8")
        sitemap += _sitemap_urls(published, {page.language: last_modified(page)
                                             for page in versions}, site)
    indexes = {language: alternate(INDEX, language, base_url) for language in listed}
    for language, pages in listed.items():
        files[outputs_dir / indexes[language].path] = \
            index_html(pages, links_of(indexes[language], indexes, site)).encode("utf-8")
    sitemap += _sitemap_urls(indexes, {language: max(map(last_modified, pages))
                                       for language, pages in listed.items()}, site)
    manifest = manifest_document(site, by_slug, links, indexes)
    invalid += problems(manifest, "manifest", outputs_dir / MANIFEST)
    raise_all(invalid)
    files[outputs_dir / MANIFEST] = dumps(manifest).encode("utf-8")
    files[outputs_dir / SITEMAP] = sitemap_xml(sitemap).encode("utf-8")
    assets = resources.files("pipeline.render").joinpath(ASSETS)
    for name in ASSET_FILES:
        files[outputs_dir / ASSETS / name] = assets.joinpath(name).read_bytes()
    written = tuple(path for path, data in files.items() if write_if_changed(path, data))
    removed = remove_unlisted(outputs_dir, set(files), SUFFIXES)
    return BuildResult(written, len(files) - len(written), tuple(removed), manifest)
