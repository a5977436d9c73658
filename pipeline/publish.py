"""The build's stages: the page versions a plan says to redo, localized and rendered in workers;
the files that list every page (index pages, manifest, sitemap); all committed together."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass
from functools import partial
from math import ceil
from pathlib import Path

from pipeline import skip
from pipeline.build import localizing
from pipeline.build.assemble import Listing, Withheld
from pipeline.build.localizing import (
    PageDone,
    PageJob,
    build_languages,
    checks_bases,
    site_of,
)
from pipeline.config import Settings
from pipeline.errors import PipelineError, raise_all
from pipeline.languages import bcp47
from pipeline.model import SiteStrings
from pipeline.po import history
from pipeline.render.html import INDEX
from pipeline.render.outputs import SUFFIXES, BuildResult, page_names, site_files, site_paths
from pipeline.runtime.fsio import commit, discard, flushing, remove_unlisted, write_if_changed
from pipeline.runtime.parallel import PAGES_PER_TASK, PARALLEL_FROM, batches, mapped, usable_cores
from pipeline.source import load as source

Progress = Callable[[int, int], None]  # told (done, total) as long work advances
TASKS_PER_CORE = 8  # a task shares one worker's glossaries, site strings and check results


@dataclass(frozen=True)
class Listed:
    """Every page as this build made or kept it, and the site's files that list them."""

    records: dict[str, skip.PageRecord]  # by page file
    listings: skip.Listings
    by_slug: dict[str, list[Listing]]  # every page's versions, in build order
    names: tuple[Path, ...]  # the files that list them all
    files: dict[Path, bytes]  # of those, the ones to make again


def jobs(settings: Settings, plan: skip.Plan) -> list[PageJob]:
    """The page files to build again, with the languages to redo and how each was listed."""
    before = skip.taken_versions(plan, build_languages(settings))
    return [PageJob(Path(path), languages, before[path], plan.stamps[path].digest)
            for path, languages in plan.redo.items()]


def _check_keys(settings: Settings, plan: skip.Plan) -> Callable[[str], list[str]]:
    """Where the check results of a page's catalogs (by its slug) are kept, as they are now."""
    bases = checks_bases(settings)

    def keys(slug: str) -> list[str]:  # for every page on every build: strings, as skip's keys
        return [skip.check_key(base, found.digest, record.digest if record else "-")
                for language, base in bases.items()
                if (found := plan.stamps.get(catalog := settings.catalog_file(language, slug)))
                for record in [plan.stamps.get(history.record_name(catalog))]]

    return keys


def pages(settings: Settings, site: SiteStrings, todo: Sequence[PageJob], progress: Progress,
          workers: int | None) -> list[PageDone]:
    """Every page's versions staged, over a process pool when there are many, with the check
    results kept (read once, handed to every task); all problems raised together."""
    results: list[PageDone | PipelineError] = []
    workers = workers if len(todo) >= PARALLEL_FROM else 1
    size = max(PAGES_PER_TASK, ceil(len(todo) / ((workers or usable_cores()) * TASKS_PER_CORE)))
    try:
        with flushing():
            work = partial(localizing.build_pages, settings, site,
                           skip.kept_checks(settings.cache_dir))
            with closing(mapped(work, batches(todo, size), workers, _discard_staged)) as found:
                for finished in found:
                    results += finished
                    progress(len(results), len(todo))
    except BaseException:  # Ctrl-C among them: what was staged is not left behind
        _discard_staged(results)
        raise
    done = [result for result in results if isinstance(result, PageDone)]
    problems = [result for result in results if isinstance(result, PipelineError)]
    if problems:
        discard(item for page in done for item in page.staged)
        raise_all(problems)
    return done


def _discard_staged(results: Sequence[PageDone | PipelineError]) -> None:
    discard(item for page in results if isinstance(page, PageDone) for item in page.staged)


def listed(settings: Settings, plan: skip.Plan, done: Sequence[PageDone]) -> Listed:
    """What lists every page, refusing two pages with one slug; the staged pages discarded if
    it cannot be made."""
    try:
        return _listed(settings, plan, done)
    except BaseException:
        discard(item for page in done for item in page.staged)
        raise


def _listed(settings: Settings, plan: skip.Plan, done: Sequence[PageDone]) -> Listed:
    languages = build_languages(settings)
    redone = {str(page.path): page for page in done}
    records = skip.records(plan, {path: page.slug for path, page in redone.items()})
    raise_all(source.slug_problems({Path(path): record.slug
                                    for path, record in records.items()}))
    strings = {language: text for language, text in plan.listed.strings.items()
               if language in languages}
    for page in done:
        strings |= page.strings
    listings = skip.Listings(plan.taken_ns, {
        path: found.listings if (found := redone.get(path)) else plan.listed.pages[path]
        for path in plan.paths}, strings)
    by_slug = {records[path].slug: [listings.pages[path][language] for language in languages]
               for path in sorted(plan.paths, key=lambda path: records[path].slug)}
    names = tuple(site_paths(by_slug, site_of(settings), settings.outputs_dir))
    redo_indexes = _index_languages(languages, plan.listed, listings, plan.found,
                                    plan.previous.outputs)
    same = redo_indexes == set() and all(
        plan.found.get(name) == plan.previous.outputs.get(name) is not None
        for name in _relative(names, settings.outputs_dir))
    files = {} if same else site_files(by_slug, listings.strings, site_of(settings),
                                       settings.outputs_dir, redo_indexes)
    return Listed(records, listings, by_slug, names, files)


def written(settings: Settings, plan: skip.Plan, done: Sequence[PageDone],
            made: Listed) -> tuple[BuildResult, skip.BuildState]:
    """Every staged page and listing file in place, what the build no longer makes removed:
    the build's result, and its state for the next."""
    staged = [item for page in done for item in page.staged]
    commit(staged)
    folder = settings.outputs_dir
    files = [path for _, path in staged]
    files += [path for path, data in made.files.items() if write_if_changed(path, data)]
    expected = set(_relative(made.names, folder)).union(
        *(page_names(versions) for versions in made.by_slug.values()))
    removed = remove_unlisted(folder, plan.previous.owned.intersection(plan.found), expected,
                              SUFFIXES)
    withheld = _withheld(made.by_slug, set(_relative(removed, folder)))
    state = skip.BuildState(plan.taken_ns, plan.stamps, made.records,
                            skip.outputs_after(plan.found, folder, files, removed),
                            frozenset(expected), withheld, skip.outputs_folder(settings))
    return BuildResult(tuple(files), len(expected) - len(files), tuple(removed),
                       tuple(sorted((page.slug, language) for page in done
                                    for language in page.built)), withheld), state


def unchanged(plan: skip.Plan) -> BuildResult:
    """The last build's result, for a build with nothing to do."""
    return BuildResult((), len(plan.previous.outputs), (), (), tuple(
        Withheld(item.slug, item.language, item.reasons) for item in plan.previous.withheld))


def keep_checks(settings: Settings, plan: skip.Plan, made: Listed,
                done: Sequence[PageDone]) -> None:
    """Keep the check results of the page catalogs as they are now."""
    keys = _check_keys(settings, plan)
    current = {key for record in made.records.values() for key in keys(record.slug)}
    skip.keep_checks(settings.cache_dir, current,
                     {key: failed for page in done for key, failed in page.checked.items()})


def _withheld(by_slug: Mapping[str, Sequence[Listing]], removed: set[str]) -> tuple[Withheld, ...]:
    """Every page version not published, by slug and language; withdrawn when this build
    removed its page."""
    return tuple(Withheld(slug, version.language, version.publication.reasons,
                          f"{bcp47(version.language)}/{slug}.html" in removed)
                 for slug, versions in by_slug.items() for version in versions
                 if not version.publication.published)


def _index_languages(languages: Sequence[str], before: skip.Listings, after: skip.Listings,
                     found: Mapping[str, tuple[int, int]],
                     left: Mapping[str, tuple[int, int]]) -> set[str] | None:
    """The languages whose index page must be made again: those whose listings or site strings
    changed or whose index file is not as the last build left it; all (None) when a language
    gains or loses its index, since every index page links the others."""
    def indexed(listings: skip.Listings) -> set[str]:
        return {language for versions in listings.pages.values()
                for language, version in versions.items() if version.publication.published}

    if indexed(before) != indexed(after):
        return None
    pages = set(before.pages) | set(after.pages)
    return {language for language in languages
            if before.strings.get(language) != after.strings.get(language)
            or found.get(name := f"{bcp47(language)}/{INDEX}") != left.get(name)
            or any(before.pages.get(page, {}).get(language) != after.pages.get(page, {}).get(
                language) for page in pages)}


def _relative(paths: Iterable[Path], folder: Path) -> Iterator[str]:
    return (path.relative_to(folder).as_posix() for path in paths)
