"""The build: the pages whose inputs changed, localized and rendered in parallel, then the files
that list every page (index pages, manifest, sitemap), all committed together."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from pipeline import cache, checks, glossary, incremental, pofile, pseudo, segment, source
from pipeline.assemble import (
    Listing,
    LocalizedPage,
    SiteText,
    listing,
    localize,
    localize_site,
    site_text,
)
from pipeline.config import Settings
from pipeline.errors import PipelineError, raise_all
from pipeline.fsio import (
    Staged,
    commit,
    discard,
    flushing,
    remove_unlisted,
    stage,
    write_if_changed,
)
from pipeline.incremental import BuildState, PageRecord, Stamp
from pipeline.model import Page, SiteStrings, Template, Text
from pipeline.parallel import PARALLEL_FROM, batches, collector_paused, mapped
from pipeline.render import Site, language_tag
from pipeline.render.html import INDEX
from pipeline.render.outputs import (
    SUFFIXES,
    BuildResult,
    page_files,
    page_names,
    site_files,
    site_paths,
)

Progress = Callable[[int, int], None]  # told (done, total) as long work advances


@dataclass(frozen=True)
class PageJob:
    """A page file to build again in some languages, knowing how the last build listed it."""

    path: Path
    redo: tuple[str, ...]  # the languages whose inputs or outputs changed
    before: Mapping[str, Listing]  # every language as the last build listed it
    sentences: str  # where the splits of its prose are kept (pipeline/cache.py)


@dataclass(frozen=True)
class PageDone:
    path: Path
    slug: str
    listings: Mapping[str, Listing]  # every language, in build order
    built: tuple[str, ...]  # the languages localized anew
    strings: Mapping[str, SiteText]  # their site strings (the same on every page: only the
    # first page of a task that localizes a language carries them)
    staged: tuple[Staged, ...]  # files with new bytes, to commit when the whole build succeeds
    checked: Mapping[str, dict[str, str]]  # check results found anew, to keep (pipeline/cache.py)


def read_catalog(path: Path) -> pofile.Catalog | None:
    return pofile.read(path) if path.exists() else None


def check_context(settings: Settings, language: str,
                  terms: glossary.Glossary) -> checks.Context:
    return checks.Context(language, terms, settings.checks.length_ratio)


def checks_base(settings: Settings, context: checks.Context) -> str:
    """What a catalog's check results depend on besides its bytes."""
    return cache.digest(cache.code_version(), repr(context),
                        repr(sorted(settings.checks.severities.items())))


def build_languages(settings: Settings) -> tuple[str, ...]:
    """The source language, the translations, then the pseudo-languages."""
    return (*settings.all_languages, *settings.pseudo_languages)


def site_of(settings: Settings) -> Site:
    return Site(settings.base_url, settings.source_language, settings.all_languages,
                settings.pseudo_languages)


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
    previous = incremental.load(settings)
    stamps, taken, read = incremental.stamp(incremental.inputs(settings), previous)
    keys = _key_maker(settings, stamps)
    found = incremental.outputs(settings.outputs_dir)
    paths = [str(path) for path in source.page_files(settings.source_dir)]
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
    incremental.save(settings, BuildState(incremental.FORMAT, taken, stamps, records,
                                          incremental.outputs_after(found, settings.outputs_dir,
                                                                    written, removed),
                                          frozenset(expected)),
                     replace(listings, taken_ns=taken))
    return BuildResult(tuple(written), len(expected) - len(written), tuple(removed),
                       tuple(sorted((page.slug, language) for page in done
                                    for language in page.built)))


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
    return BuildResult((), len(previous.outputs), ())


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
    work = partial(_build_pages, settings, site, build)
    for finished in mapped(work, batches(jobs), workers if len(jobs) >= PARALLEL_FROM else 1):
        results += finished
        progress(len(results), len(jobs))
    done = [result for result in results if isinstance(result, PageDone)]
    problems = [result for result in results if isinstance(result, PipelineError)]
    if problems:
        discard(item for page in done for item in page.staged)
        raise_all(problems)
    return done


class _Worker:
    """What the pages of one build share in a process: glossaries, each language's site
    strings (from its checked site catalog), and each page's template for the
    pseudo-languages."""

    def __init__(self, settings: Settings, site: SiteStrings) -> None:
        self.settings = settings
        self.site = site
        self.glossaries = glossary.load_all(settings.root, settings.languages)
        self.contexts = {language: check_context(settings, language, terms)
                         for language, terms in self.glossaries.items()}
        self.checks_bases = {language: checks_base(settings, context)
                             for language, context in self.contexts.items()}
        self.site_texts: dict[str, SiteText] = {}
        self.page_templates: dict[str, Template] = {}
        self.kept_checks = cache.load_table(settings.cache_dir / cache.CHECKS)
        self.checked: dict[str, dict[str, str]] = {}  # found anew since the last page was done
        self.translations_checked: dict[str, dict[checks.Pairs, str | None]] = {
            language: {} for language in settings.languages}  # the same in many catalogs

    def _checked(self, language: str, domain: str) -> tuple[pofile.Catalog | None,
                                                            dict[str, str]]:
        """A catalog and, by English, the error-level check each failing translation fails
        (as an earlier run found them for the same bytes, when it kept them)."""
        path = self.settings.catalog_path(language, domain)
        if not path.exists():
            return None, {}
        data = pofile.file_bytes(path)
        catalog = pofile.from_bytes(data, path)
        if domain == segment.SITE_DOMAIN:  # checked once per worker, not kept
            return catalog, checks.failing(catalog, self.contexts[language],
                                           self.settings.checks.severities,
                                           self.translations_checked[language])
        key = cache.digest(self.checks_bases[language], cache.bytes_digest(data))
        failed = self.kept_checks.get(key)
        if not isinstance(failed, dict):
            failed = checks.failing(catalog, self.contexts[language],
                                    self.settings.checks.severities,
                                    self.translations_checked[language])
            self.checked[key] = failed
        return catalog, failed

    def site_text(self, language: str) -> SiteText:
        """The site strings in a language, localized once per worker."""
        if language not in self.site_texts:
            settings = self.settings
            site_catalog: pofile.Catalog | None = None
            site_failed: dict[str, str] = {}
            if language in settings.pseudo_languages:
                site_catalog = pseudo.catalog(segment.site_template(self.site, settings.root),
                                              language)
            elif language in settings.languages:
                site_catalog, site_failed = self._checked(language, segment.SITE_DOMAIN)
            self.site_texts[language] = localize_site(
                self.site, site_catalog, language, settings.source_language, settings.policy,
                site_failed)
        return self.site_texts[language]

    def localized(self, page: Page[Text], language: str) -> LocalizedPage:
        settings = self.settings
        catalog = None
        failed: dict[str, str] = {}
        if language in settings.pseudo_languages:
            if page.slug not in self.page_templates:  # one for every pseudo-language
                self.page_templates[page.slug] = segment.page_template(
                    page, settings.segmentation, settings.root)
            catalog = pseudo.catalog(self.page_templates[page.slug], language)
        elif language in settings.languages:
            catalog, failed = self._checked(language, page.slug)
        return localize(page, catalog, self.site_text(language), settings.source_language,
                        settings.segmentation, settings.policy, failed)

    def localized_all(self, page: Page[Text],
                      languages: Sequence[str]) -> dict[str, LocalizedPage]:
        """The page in some languages; the problems of all their catalogs raised together."""
        found, problems = {}, []
        for language in languages:
            try:
                found[language] = self.localized(page, language)
            except PipelineError as error:
                problems.append(error)
        raise_all(problems)
        return found

    def build(self, job: PageJob) -> PageDone:
        """The page's files in the languages to redo, and in every language if the status of
        one of those changed (each language's files list the others')."""
        self.checked = {}
        page = source.load_page(job.path)
        cache.segment_page(self.settings.cache_dir / cache.SENTENCES, job.sentences, page)
        languages = build_languages(self.settings)
        fresh = self.localized_all(page, job.redo)
        listings = {**job.before, **{language: listing(fresh[language]) for language in fresh}}
        if any(_status(listings[language]) != _status(job.before.get(language))
               for language in job.redo):
            fresh |= self.localized_all(page, [language for language in languages
                                               if language not in fresh])
            listings = {language: listing(fresh[language]) for language in languages}
        versions = [listings[language] for language in languages]
        files = page_files([fresh[language] for language in languages if language in fresh],
                           versions, site_of(self.settings), self.settings.outputs_dir)
        staged: list[Staged] = []
        try:
            for path, data in files.items():
                if (item := stage(path, data)) is not None:
                    staged.append(item)
        except BaseException:
            discard(staged)
            raise
        checked, self.checked = self.checked, {}
        return PageDone(job.path, page.slug, {language: listings[language]
                                              for language in languages}, tuple(fresh),
                        {language: site_text(version) for language, version in fresh.items()},
                        tuple(staged), checked)


def _status(version: Listing | None) -> object:
    """What a page's files say of its version in one language."""
    return version and (version.publication, version.completeness, version.updated)


_workers: dict[int, _Worker] = {}  # this process's, by build


def _build_pages(settings: Settings, site: SiteStrings, build: int,
                 jobs: Sequence[PageJob]) -> list[PageDone | PipelineError]:
    """Some pages (a unit of work of a parallel build); a page's problems are returned."""
    if build not in _workers:
        _workers.clear()
        _workers[build] = _Worker(settings, site)
    worker = _workers[build]
    results: list[PageDone | PipelineError] = []
    carried: set[str] = set()
    with collector_paused():
        for job in jobs:
            try:
                done = worker.build(job)
            except PipelineError as error:
                results.append(error)
                continue
            results.append(replace(done, strings={language: text for language, text
                                                  in done.strings.items()
                                                  if language not in carried}))
            carried.update(done.strings)
    return results
