"""The files of a build: each page's HTML and JSON, index pages, manifest, sitemap and assets."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from pipeline.build.assemble import Listing, LocalizedPage, SiteText, Withheld
from pipeline.errors import PipelineError, raise_all
from pipeline.languages import bcp47
from pipeline.render import (
    Alternate,
    Links,
    Site,
    day,
    last_modified,
    latest,
    native_name,
)
from pipeline.render.html import INDEX, index_html, page_html
from pipeline.render.json import dumps_bytes, page_document, site_strings, translation_status
from pipeline.render.manifest import MANIFEST, SITEMAP, manifest_document
from pipeline.render.schemas import problems
from pipeline.render.sitemap import SitemapUrl, sitemap_xml
from pipeline.runtime.fsio import inside

ASSETS = "assets"
ASSET_FILES = ("site.css", "favicon.svg")
SUFFIXES = (".html", ".json", ".xml", ".css", ".svg")  # what a build owns in outputs/
SitePart = Callable[[LocalizedPage], dict[str, Any]]  # a page -> its site strings' JSON


@dataclass(frozen=True)
class BuildResult:
    written: tuple[Path, ...]  # files whose bytes changed
    unchanged: int
    removed: tuple[Path, ...]
    rebuilt: tuple[tuple[str, str], ...] = ()  # (slug, language): page versions built anew
    withheld: tuple[Withheld, ...] = ()  # every page version not published, by slug


def alternate(name: str, language: str, base_url: str) -> Alternate:
    """A file of one language: `name` is "<slug>.html" or "index.html"."""
    path = f"{bcp47(language)}/{name}"
    return Alternate(language, bcp47(language), native_name(language), path,
                     f"{base_url}/{path}")


def links_of(this: Alternate, published: Mapping[str, Alternate], site: Site) -> Links:
    """What one document links to: a public one, its public languages; a pseudo-language's,
    only them and itself from its switcher (no alternate names it, nor does it name any)."""
    public = tuple(published[language] for language in site.languages if language in published)
    if this.language in site.languages:
        return Links(this, public, public, published[site.source_language].url)
    return Links(this, (), (*public, this), None)


def published_versions(versions: Sequence[Listing], site: Site) -> dict[str, Alternate]:
    """The languages a page is published in, with their files."""
    return {page.language: alternate(f"{page.slug}.html", page.language, site.base_url)
            for page in versions if page.publication.published}


def page_names(versions: Sequence[Listing]) -> list[str]:
    """The files of one page in every language it is published in, relative to outputs/."""
    return [f"{bcp47(page.language)}/{page.slug}{suffix}"
            for page in versions if page.publication.published for suffix in (".html", ".json")]


def page_files(rendered: Sequence[LocalizedPage], versions: Sequence[Listing], site: Site,
               outputs_dir: Path, site_part: SitePart = site_strings) -> dict[Path, bytes]:
    """The HTML and JSON of a page in the `rendered` languages, among all its `versions`,
    after checking the JSON against its schema.

    A language in which the page is not published gets no file and is left out of the page's
    alternates. Pseudo-languages are written like the others but are not public: no
    alternate or switcher of a public page links them, and their pages ask not to be indexed.
    """
    published = published_versions(versions, site)
    statuses = [translation_status(page, published.get(page.language))
                for page in versions if page.language in site.languages]
    files: dict[Path, bytes] = {}
    invalid: list[PipelineError] = []
    for page in rendered:
        slug = page.page.slug
        if f"{slug}.html" == INDEX:
            raise PipelineError(f"the slug {slug!r} is kept for each language's list of pages: "
                                "give this page another slug", page.page.path)
        if page.language not in published:
            continue
        page_links = links_of(published[page.language], published, site)
        folder = bcp47(page.language)
        files[inside(outputs_dir, folder, f"{slug}.html")] = page_html(
            page, page_links).encode("utf-8")
        document = page_document(page, page_links.alternates, statuses, page_links.public,
                                 site_part)
        json_path = inside(outputs_dir, folder, f"{slug}.json")
        invalid += problems(document, "page", json_path)
        files[json_path] = dumps_bytes(document)
    raise_all(invalid)
    return files


def _sitemap_urls(documents: Mapping[str, Alternate], modified: Mapping[str, str],
                  site: Site) -> list[SitemapUrl]:
    """One document's public languages, each listing all of them and x-default."""
    urls = []
    for language in site.languages:
        if language in documents:
            links = links_of(documents[language], documents, site)
            alternates = tuple((item.tag, item.url) for item in links.alternates)
            urls.append(SitemapUrl(links.this.url, day(modified[language]),
                                   (*alternates, ("x-default", str(links.x_default)))))
    return urls


def _listed(by_slug: Mapping[str, Sequence[Listing]], site: Site) -> dict[str, list[Listing]]:
    """Each language's published pages, in slug order."""
    listed: dict[str, list[Listing]] = {language: [] for language in site.all_languages}
    for versions in by_slug.values():
        for page in versions:
            if page.publication.published:
                listed[page.language].append(page)
    return {language: pages for language, pages in listed.items() if pages}


def site_paths(by_slug: Mapping[str, Sequence[Listing]], site: Site,
               outputs_dir: Path) -> list[Path]:
    """The files site_files writes."""
    return [*(outputs_dir / alternate(INDEX, language, site.base_url).path
              for language in _listed(by_slug, site)),
            outputs_dir / MANIFEST, outputs_dir / SITEMAP,
            *(outputs_dir / ASSETS / name for name in ASSET_FILES)]


def site_files(by_slug: Mapping[str, Sequence[Listing]], strings: Mapping[str, SiteText],
               site: Site, outputs_dir: Path,
               index_languages: Collection[str] | None = None) -> dict[Path, bytes]:
    """What lists every page (`by_slug`, in slug order): each language's index page (only
    those of `index_languages` when given), the manifest and the sitemap; and the assets."""
    links = {slug: published_versions(versions, site) for slug, versions in by_slug.items()}
    sitemap: list[SitemapUrl] = []
    for slug, versions in by_slug.items():
        sitemap += _sitemap_urls(links[slug], {page.language: last_modified(page)
                                               for page in versions}, site)
    listed = _listed(by_slug, site)
    indexes = {language: alternate(INDEX, language, site.base_url) for language in listed}
    files = {outputs_dir / indexes[language].path: index_html(
        pages, strings[language], links_of(indexes[language], indexes, site)).encode("utf-8")
        for language, pages in listed.items()
        if index_languages is None or language in index_languages}
    sitemap += _sitemap_urls(indexes, {language: latest(map(last_modified, pages))
                                       for language, pages in listed.items()}, site)
    manifest = manifest_document(site, by_slug, links, indexes)
    raise_all(problems(manifest, "manifest", outputs_dir / MANIFEST))
    files[outputs_dir / MANIFEST] = dumps_bytes(manifest)
    files[outputs_dir / SITEMAP] = sitemap_xml(sitemap).encode("utf-8")
    assets = resources.files("pipeline.render").joinpath(ASSETS)
    for name in ASSET_FILES:
        files[outputs_dir / ASSETS / name] = assets.joinpath(name).read_bytes()
    return files
