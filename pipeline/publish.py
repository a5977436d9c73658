"""The build: the pages whose inputs changed, localized and rendered in parallel, then the files
that list every page (index pages, manifest, sitemap), all committed together."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path

from pipeline import cache, glossary, incremental, localizing, segment, source
from pipeline.assemble import Listing, Withheld
from pipeline.config import Settings
from pipeline.errors import PipelineError, raise_all
from pipeline.fsio import (
    commit,
    discard,
    flushing,
    regular_inputs,
    remove_unlisted,
    write_if_changed,
)
from pipeline.incremental import BuildState, PageRecord, Stamp
from pipeline.localizing import (
    PageDone,
    PageJob,
    build_languages,
    check_context,
    checks_base,
    site_of,
)
from pipeline.model import SiteStrings
from pipeline.parallel import PARALLEL_FROM, batches, collector_paused, mapped
from pipeline.render import language_tag
from pipeline.render.html import INDEX
from pipeline.render.outputs import (
    SUFFIXES,
    BuildResult,
    page_names,
    site_files,
    site_paths,
)

Progress = Callable[[int, int], None]  # told (done, total) as long work advances


def build(settings: Settings, progress: Progress, workers: int | None = None) -> BuildResult:
    """Build again the pages in the languages whose inputs or outputs changed since the last
    build, then the files that list them all; a build that would change nothing stops early.

    Each page's version in a language depends on the page, that language's catalogs and
    glossary, and what is shared (site.yaml, settings, the pipeline's code); its files also
    list its other languages' status, so a change of status redoes the page in every language.
    Pages are built over `workers` processes (every core by default), with the same bytes.
    """
    with collector_paused():
        return _build(settings, progress, workers)


def _build(settings: Settings, progress: Progress, workers: int | None) -> BuildResult:
    paths = [str(path) for path in source.page_files(settings.source_dir)]  # checked first
    previous = incremental.load(settings)
    stamps, taken, read = incremental.stamp(regular_inputs(incremental.inputs(settings)), previous)
    keys = _key_maker(settings, stamps)
    found = incremental.outputs(settings.outputs_dir)
    redo = {path: languages for path in paths
            if (languages := _redo(settings, previous, found, keys, path))}
    if not redo and found == previous.outputs and set(previous.pages) == set(paths):
        return _unchanged(settings, previous, stamps, taken, read)
    listed = incremental.load_listings(settings, previous)
    if listed is None:  # a clean build
        listed = incremental.Listings(0, {}, {})
        redo = dict.fromkeys(paths, build_languages(settings))
    jobs = [PageJob(Path(path), languages, {
        language: version for language, version in listed.pages.get(path, {}).items()
        if language in build_languages(settings)}, cache.sentences_key(stamps[path].digest))
        for path, languages in redo.items()]
    site = source.load_site_strings(settings.source_dir)
    with flushing():
        done = _run(settings, site, jobs, progress, workers, taken)
    staged = [item for page in done for item in page.staged]
    try:
        records, listings = _records(settings, previous, listed, keys, paths, done)
        by_slug = {records[path].slug: [listings.pages[path][language]
                                        for language in build_languages(settings)]
                   for path in sorted(paths, key=lambda path: records[path].slug)}
        names = site_paths(by_slug, site_of(settings), settings.outputs_dir)
        redo_indexes = _index_languages(settings, listed, listings, found, previous.outputs)
        same = redo_indexes == set() and all(
            found.get(name) == previous.outputs.get(name) is not None
            for name in _relative(names, settings.outputs_dir))
        files = {} if same else site_files(by_slug, listings.strings, site_of(settings),
                                           settings.outputs_dir, redo_indexes)
    except BaseException:
        discard(staged)
        raise
    commit(staged)
    _keep_results(settings, stamps, records, done)
    written = [path for _, path in staged]
    written += [path for path, data in files.items() if write_if_changed(path, data)]
    expected = set(_relative(names, settings.outputs_dir)).union(
        *(page_names(versions) for versions in by_slug.values()))
    removed = remove_unlisted(settings.outputs_dir, previous.owned.intersection(found),
                              expected, SUFFIXES)
    withheld = _withheld(settings, by_slug, set(_relative(removed, settings.outputs_dir)))
    incremental.save(settings, BuildState(incremental.FORMAT, taken, stamps, records,
                                          incremental.outputs_after(found, settings.outputs_dir,
                                                                    written, removed),
                                          frozenset(expected), withheld),
                     replace(listings, taken_ns=taken))
    return BuildResult(tuple(written), len(expected) - len(written), tuple(removed),
                       tuple(sorted((page.slug, language) for page in done
                                    for language in page.built)), withheld)


def _withheld(settings: Settings, by_slug: Mapping[str, Sequence[Listing]],
              removed: set[str]) -> tuple[Withheld, ...]:
    """Every page version not published, by slug and language; withdrawn when this build
    removed its page."""
    return tuple(Withheld(slug, version.language, version.publication.reasons,
                          f"{language_tag(version.language)}/{slug}.html" in removed)
                 for slug, versions in by_slug.items() for version in versions
                 if not version.publication.published)


def _index_languages(settings: Settings, before: incremental.Listings,
                     after: incremental.Listings, found: Mapping[str, tuple[int, int]],
                     left: Mapping[str, tuple[int, int]]) -> set[str] | None:
    """The languages whose index page must be made again: those whose listings or site strings
    changed or whose index file is not as the last build left it; all (None) when a language
    gains or loses its index, since every index page links the others."""
    def indexed(listings: incremental.Listings) -> set[str]:
        return {language for versions in listings.pages.values()
                for language, version in versions.items() if version.publication.published}

    if indexed(before) != indexed(after):
        return None
    pages = set(before.pages) | set(after.pages)
    return {language for language in build_languages(settings)
            if before.strings.get(language) != after.strings.get(language)
            or found.get(name := f"{language_tag(language)}/{INDEX}") != left.get(name)
            or any(before.pages.get(page, {}).get(language) != after.pages.get(page, {}).get(
                language) for page in pages)}


def _relative(paths: Iterable[Path], folder: Path) -> Iterator[str]:
    return (path.relative_to(folder).as_posix() for path in paths)


def _records(settings: Settings, previous: BuildState, listed: incremental.Listings,
             keys: Keys, paths: Sequence[str], done: Sequence[PageDone],
             ) -> tuple[dict[str, PageRecord], incremental.Listings]:
    """What this build made of every page, its own and the last build's, refusing two pages
    with one slug."""
    redone = {str(page.path): page for page in done}
    records = {path: PageRecord(page.slug, keys(path, page.slug)) if (page := redone.get(path))
               else previous.pages[path] for path in paths}
    raise_all(source.slug_problems({Path(path): record.slug
                                    for path, record in records.items()}))
    strings = {language: text for language, text in listed.strings.items()
               if language in build_languages(settings)}
    for page in done:
        strings |= page.strings
    pages = {path: page.listings if (page := redone.get(path)) else listed.pages[path]
             for path in paths}
    return records, incremental.Listings(0, pages, strings)


Keys = Callable[[str, str], dict[str, str]]  # (page file, slug) -> language -> digest


def _key_maker(settings: Settings, stamps: Mapping[str, Stamp]) -> Keys:
    """Per language, the digest of everything a page's version in it reads: the page, its
    catalog, the site catalog and glossary of the language, and what all pages share."""
    shared = incremental.key(stamps, [*incremental.code_files(),
                                      str(settings.root / "pyproject.toml"),
                                      str(settings.source_dir / source.SITE_FILE)],
                             incremental.FORMAT)
    bases = {language: incremental.key(stamps, [
        str(settings.catalog_path(language, segment.SITE_DOMAIN)),
        str(glossary.path_of(settings.root, language))] if language in settings.languages
        else [], shared, language) for language in build_languages(settings)}
    folder = str(settings.locales_dir)

    def keys(path: str, slug: str) -> dict[str, str]:
        return {language: incremental.key(stamps, [path, f"{folder}/{language}/LC_MESSAGES/"
                                                         f"{slug}.po"], base)
                if language in settings.languages else incremental.key(stamps, [path], base)
                for language, base in bases.items()}

    return keys


def _redo(settings: Settings, previous: BuildState, found: Mapping[str, tuple[int, int]],
          keys: Keys, path: str) -> tuple[str, ...]:
    """The languages to build a page file in again: all if the last build did not see it, else
    those whose inputs changed or whose files are not as the last build left them."""
    record = previous.pages.get(path)
    languages = build_languages(settings)
    if record is None:
        return languages
    now = keys(path, record.slug)

    def touched(language: str) -> bool:
        names = (f"{language_tag(language)}/{record.slug}{suffix}" for suffix in (".html", ".json"))
        return any(found.get(name) != previous.outputs.get(name) for name in names)

    return tuple(language for language in languages
                 if now[language] != record.keys.get(language) or touched(language))


def _unchanged(settings: Settings, previous: BuildState, stamps: dict[str, Stamp], taken: int,
               read: int) -> BuildResult:
    """The last build's result; its state is brought up to date when files had to be read."""
    if read:  # the digests are those of the last build: only the stamps are new
        listings = incremental.load_listings(settings, previous)
        if listings is not None:
            incremental.save(settings, replace(previous, taken_ns=taken, stamps=stamps),
                             replace(listings, taken_ns=taken))
    return BuildResult((), len(previous.outputs), (), (), tuple(
        replace(item, withdrawn=False) for item in previous.withheld))


def _keep_results(settings: Settings, stamps: Mapping[str, Stamp],
                  records: Mapping[str, PageRecord], done: Sequence[PageDone]) -> None:
    """Keep the sentences and check results of the pages and catalogs as they are now."""
    cache.prune(settings.cache_dir / cache.SENTENCES,
                {cache.sentences_key(stamps[path].digest) for path in records})
    bases = {language: checks_base(settings, check_context(settings, language, terms))
             for language, terms in glossary.load_all(settings.root,
                                                      settings.languages).items()}
    current = {cache.digest(base, found.digest) for record in records.values()
               for language, base in bases.items()
               if (found := stamps.get(str(settings.catalog_path(language, record.slug))))}
    path = settings.cache_dir / cache.CHECKS
    kept = cache.load_table(path)
    table = {key: failed for key, failed in kept.items() if key in current}
    for page in done:
        table.update((key, failed) for key, failed in page.checked.items() if key in current)
    if table.keys() != kept.keys():
        cache.store(path, table)


def _run(settings: Settings, site: SiteStrings, jobs: Sequence[PageJob], progress: Progress,
         workers: int | None, build: int) -> list[PageDone]:
    """Every job, over a process pool when there are many; all problems raised together."""
    results: list[PageDone | PipelineError] = []
    work = partial(localizing.build_pages, settings, site, build)
    for finished in mapped(work, batches(jobs), workers if len(jobs) >= PARALLEL_FROM else 1):
        results += finished
        progress(len(results), len(jobs))
    done = [result for result in results if isinstance(result, PageDone)]
    problems = [result for result in results if isinstance(result, PipelineError)]
    if problems:
        discard(item for page in done for item in page.staged)
        raise_all(problems)
    return done
