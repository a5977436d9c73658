"""The pipeline's verbs, each a few lines over the stages: extract, update, build, status, check."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from pipeline import cache, unchanged
from pipeline.build import localizing, publish
from pipeline.config import Settings
from pipeline.errors import PipelineError, raise_all
from pipeline.languages import language_name
from pipeline.memory import archive, tmx
from pipeline.memory.index import Match, MemoryIndex, Source, catalog_units
from pipeline.memory.index import digest as memory_digest
from pipeline.model import MemoryUnit, Page, Template, Text, UnitStatus
from pipeline.po import catalogs, history, pofile
from pipeline.po.catalogs import MergeCounts
from pipeline.po.model import Catalog
from pipeline.qa import checks, glossary
from pipeline.render.outputs import BuildResult
from pipeline.report import status as status_report
from pipeline.runtime.fsio import Staged, commit, discard, stage, write_if_changed
from pipeline.runtime.parallel import PARALLEL_FROM, batches, collector_paused, mapped
from pipeline.source import load as source
from pipeline.source import segment

TEMPLATES_FOLDER = "templates"
Progress = publish.Progress  # told (done, total) as long work advances


def no_progress(done: int, total: int) -> None:
    """The default progress reporter: silent."""


@dataclass(frozen=True)
class Written:
    """A file a verb produced, and whether its bytes changed."""

    path: Path
    changed: bool


@dataclass(frozen=True)
class UpdateResult:
    path: Path
    language: str
    domain: str
    counts: MergeCounts
    changed: bool


def template_path(settings: Settings, domain: str) -> Path:
    return settings.locales_dir / TEMPLATES_FOLDER / f"{domain}.pot"


def templates(settings: Settings, workers: int | None = None) -> tuple[Template, ...]:
    """Load and validate the source, and segment it: one template per page, one for the site.
    A page whose bytes are those of a page an earlier run segmented keeps that template; many
    other pages are segmented over `workers` processes (every core by default)."""
    root = settings.root
    site = source.load_site_strings(settings.source_dir)
    digests = {path: cache.bytes_digest(path.read_bytes())
               for path in source.page_files(settings.source_dir)}
    keys = {path: cache.template_key(settings.segmentation, root, path, digest)
            for path, digest in digests.items()}
    table = cache.load_table(settings.cache_dir / cache.TEMPLATES)
    made = {path: found for path, key in keys.items()
            if isinstance(found := table.get(key), Template)}
    pages = source.load_pages(settings.source_dir,
                              {path: template.domain for path, template in made.items()})
    folder = settings.cache_dir / cache.SENTENCES
    work = partial(_page_templates, settings.segmentation, root, folder)
    keyed = [(page, cache.sentences_key(digests[page.path])) for page in pages]
    made |= zip([page.path for page in pages],
                [template for done in mapped(work, batches(keyed),
                                             workers if len(pages) >= PARALLEL_FROM else 1)
                 for template in done], strict=True)
    cache.prune(folder, {cache.sentences_key(digest) for digest in digests.values()})
    cache.store(settings.cache_dir / cache.TEMPLATES, {keys[path]: template
                                                        for path, template in made.items()})
    return (segment.site_template(site, root),
            *sorted(made.values(), key=lambda template: template.domain))


def _page_templates(granularity: str, root: Path, folder: Path,
                    pages: Sequence[tuple[Page[Text], str]]) -> list[Template]:
    """Some pages' templates, their sentences split as the cache kept them, if it did."""
    made = []
    for page, key in pages:
        cache.segment_page(folder, key, page)
        made.append(segment.page_template(page, granularity, root))
    return made


def _template_comment(domain: str) -> tuple[str, ...]:
    return (f"Template for the {domain!r} catalog, generated from source/ by `nox -s extract`.",
            "Do not edit: change the English in source/ and run the pipeline again.")


def catalog_comment(language: str, domain: str) -> tuple[str, ...]:
    return (f"{language_name(language)} translation of the {domain!r} catalog.",
            "Translations are drafts until a clinician has reviewed them (docs/translating.md).")


def _store(path: Path, data: bytes, write: bool) -> bool:
    """Write the file if its bytes change; with write=False only say whether they would."""
    if write:
        return write_if_changed(path, data)
    return not path.exists() or path.read_bytes() != data


def extract(settings: Settings, write: bool = True, made: Sequence[Template] | None = None,
            digests: Mapping[str, str] | None = None) -> tuple[Written, ...]:
    """Write locales/templates/<domain>.pot for the site strings and every page (from the
    templates already `made` of the source, and their digests, if given). A template file
    whose bytes the last extract made from the same template is not made again."""
    made = templates(settings) if made is None else made
    digests = digests or {template.domain: unchanged.template_digest(template)
                          for template in made}
    known = unchanged.load_pots(settings.cache_dir)
    pots = {}
    written = []
    for template in made:
        path = template_path(settings, template.domain)
        try:
            current = unchanged.pot_digest(digests[template.domain], path.read_bytes())
        except OSError:  # none yet
            current = None
        if current is not None and current == known.get(template.domain):
            written.append(Written(path, False))
            pots[template.domain] = current
            continue
        catalog = catalogs.template_catalog(template, _template_comment(template.domain))
        data = pofile.render(catalog)
        written.append(Written(path, _store(path, data, write)))
        pots[template.domain] = unchanged.pot_digest(digests[template.domain], data)
    if write:
        unchanged.save_pots(settings.cache_dir, pots)
    return tuple(written)


def update(settings: Settings, write: bool = True, progress: Progress = no_progress,
           prune_obsolete: bool = False, workers: int | None = None,
           ) -> tuple[UpdateResult, ...]:
    """Extract, then merge every template into every language's catalog, offering English that
    has no translation to the translation memory.

    Catalogs of pages gone from source/ (and, with prune_obsolete, obsolete entries) leave the
    catalogs for the committed memory files. With write=False nothing is written: the results
    say which catalogs are out of date. Languages are updated in parallel over `workers`
    processes (every core for a large project by default), with the same bytes as serially.
    """
    with collector_paused():
        return _update(settings, write, progress, prune_obsolete, workers)


def _update(settings: Settings, write: bool, progress: Progress, prune_obsolete: bool,
            workers: int | None) -> tuple[UpdateResult, ...]:
    all_templates = templates(settings, workers)
    domains = [template.domain for template in all_templates]
    leaving = [(language, path, pofile.read(path))
               for language, path in archive.orphans(settings, domains)]
    glossaries = glossary.load_all(settings.root, settings.languages)
    # brought up to date once, for every worker; a catalog that cannot be read is the workers'
    # to report, with all the others'
    sources = archive.sources(settings, unreadable_empty=True)
    archive.open_memory(settings, sources).close()
    memory = unchanged.memory_version(sources)
    digests = {template.domain: unchanged.template_digest(template)
               for template in all_templates}
    kept = {} if prune_obsolete else _unchanged(settings, all_templates, glossaries, sources,
                                                 digests, memory)
    work = partial(_update_language, settings, all_templates, digests, memory,
                   catalogs.today(), write, prune_obsolete)
    jobs = [(language, glossaries[language],
             {domain: found for (name, domain), found in kept.items() if name == language})
            for language in settings.languages]
    if workers is None:  # (the catalogs left unread cost next to nothing)
        workers = None if len(jobs) * len(domains) - len(kept) >= PARALLEL_FROM * 4 else 1
    done: list[LanguageUpdate] = []
    try:
        for merged in mapped(work, jobs, workers):
            done.append(merged)
            progress(sum(len(item.results) for item in done), len(jobs) * len(domains))
        # every catalog is read before any file is written: one bad file stops all, shows all
        raise_all([problem for merged in done for problem in merged.problems])
    except BaseException:
        discard(item for merged in done for item in merged.staged)
        raise
    stale_templates = [item for item in extract(settings, write, all_templates, digests)
                       if item.changed]
    for merged in done:  # pruned entries reach the memory files before leaving the catalogs
        if merged.leaving:
            archive.keep(settings, merged.language, merged.leaving, write)
    commit([item for merged in done for item in merged.staged])  # one flush for all
    for path in (path for merged in done for path in merged.emptied if write):
        history.remove_empty(path)
    if write:
        unchanged.save(settings.cache_dir, {name: found for merged in done
                                            for name, found in merged.records.items()})
    results = [result for merged in done for result in merged.results]
    for language, path, gone in leaving:
        archive.archive_catalog(settings, language, path.stem, gone, write)
        if write:
            path.unlink()
            history.remove_empty(path)
        results.append(UpdateResult(path, language, path.stem,
                                    MergeCounts(obsoleted=len(gone.entries)), True))
    for pot in sorted((settings.locales_dir / TEMPLATES_FOLDER).glob("*.pot")):
        if pot.stem not in domains:
            if write:
                pot.unlink()
            results.append(UpdateResult(pot, "templates", pot.stem, MergeCounts(), True))
    results += [UpdateResult(item.path, "templates", item.path.stem, MergeCounts(), True)
                for item in stale_templates]
    return tuple(results)


@dataclass(frozen=True)
class LanguageUpdate:
    """One language's catalogs brought up to date, nothing written yet: the files to commit,
    the obsolete entries to move to the memory file first, or why its catalogs cannot be read."""

    language: str
    results: list[UpdateResult]
    staged: list[Staged]
    leaving: list[MemoryUnit]  # what pruned or doubled entries held, for memory/
    problems: list[PipelineError]
    records: dict[unchanged.Catalogs, unchanged.Record]
    emptied: list[Path]  # catalogs whose history record is empty now, to remove after commit


def _unchanged(settings: Settings, all_templates: Sequence[Template],
               glossaries: dict[str, glossary.Glossary], sources: Sequence[Source],
               digests: dict[str, str], memory: str) -> dict[unchanged.Catalogs, unchanged.Record]:
    """The catalogs an update may leave unread, as the last update left them."""
    found = {source.path: source.digest for source in sources}
    locales = archive.source_name(settings.locales_dir, settings)
    current = {}
    for language in settings.languages:
        for template in all_templates:
            name = f"{locales}/{settings.catalog_name(language, template.domain)}"
            if (digest := found.get(name)) is not None:
                current[language, template.domain] = unchanged.inputs(
                    digests[template.domain], glossaries[language],
                    catalog_comment(language, template.domain), settings.memory_threshold,
                    digest, history.digest(settings.catalog_path(language, template.domain)))
    return unchanged.unchanged(unchanged.load(settings.cache_dir), current, memory)


Job = tuple[str, glossary.Glossary, dict[str, unchanged.Record]]  # and the unchanged catalogs


def _update_language(settings: Settings, all_templates: Sequence[Template],
                     digests: dict[str, str], memory_state: str, date: str, write: bool,
                     prune_obsolete: bool, job: Job) -> LanguageUpdate:
    """Every catalog of one language read and merged, the changed ones staged beside their
    files (a unit of work of a parallel update); only problems if one cannot be read. The
    catalogs that the last update left as a merge would write them are not read."""
    with collector_paused():
        return _language_update(settings, all_templates, digests, memory_state, date, write,
                                prune_obsolete, job)


def _language_update(settings: Settings, all_templates: Sequence[Template],
                     digests: dict[str, str], memory_state: str, date: str, write: bool,
                     prune_obsolete: bool, job: Job) -> LanguageUpdate:
    language, terms, kept = job
    olds: dict[str, Catalog | None] = {}
    problems = []
    for template in all_templates:
        if template.domain in kept:
            continue
        try:
            olds[template.domain] = localizing.read_catalog(
                settings.catalog_path(language, template.domain))
        except PipelineError as error:
            problems.append(error)
    if problems:
        return LanguageUpdate(language, [], [], [], problems, {}, [])
    results: list[UpdateResult] = []
    leaving: list[MemoryUnit] = []
    records = {(language, domain): found for domain, found in kept.items()}
    staged: list[Staged] = []
    emptied: list[Path] = []
    with closing(MemoryIndex.open(settings.cache_dir / archive.INDEX_FILE)) as memory, \
            _discarded_on_error(staged):
        def suggest(text: str) -> Match | None:
            return memory.suggest(language, text, settings.memory_threshold)

        for template in all_templates:
            path = settings.catalog_path(language, template.domain)
            if template.domain in kept:
                results.append(UpdateResult(path, language, template.domain,
                                            kept[template.domain].counts, False))
                continue
            comment = catalog_comment(language, template.domain)
            old, doubled = catalogs.without_doubles(olds[template.domain])
            leaving += [replace(unit, status=UnitStatus.UNTRUSTED)
                        for unit in catalog_units(doubled, language, f"archive:{template.domain}")]
            catalog, counts = catalogs.merge(template, old, language, comment, date, suggest,
                                             partial(memory.exact, language))
            counts = replace(counts, doubled=len(doubled.entries))
            catalog = glossary.annotate(catalog, terms)
            if prune_obsolete:
                obsolete = replace(catalog, entries=tuple(e for e in catalog.entries
                                                          if e.obsolete))
                leaving += catalog_units(obsolete, language, f"archive:{template.domain}")
                catalog = replace(catalog, entries=tuple(e for e in catalog.entries
                                                         if not e.obsolete))
            data = pofile.render(catalog)
            kept_facts = history.render(history.facts(catalog))
            records[language, template.domain] = unchanged.record(catalog, unchanged.inputs(
                digests[template.domain], terms, comment, settings.memory_threshold,
                memory_digest(data), cache.bytes_digest(kept_facts)), memory_state)
            if write:
                items = [item for item in (stage(path, data),
                                           history.stage_record(path, kept_facts)) if item]
                staged += items
                emptied += [] if kept_facts else [path]
                changed = bool(items) or (not kept_facts and history.differs(path, kept_facts))
            else:
                changed = _store(path, data, write=False) or history.differs(path, kept_facts)
            results.append(UpdateResult(path, language, template.domain, counts, changed))
    return LanguageUpdate(language, results, staged, leaving, [], records, emptied)


@contextmanager
def _discarded_on_error(staged: list[Staged]) -> Iterator[None]:
    try:
        yield
    except BaseException:
        discard(staged)
        raise


def _read_all(settings: Settings,
              domains: list[str]) -> dict[tuple[str, str], Catalog | None]:
    """Every catalog of every language, reading all before failing so that all problems show."""
    found: dict[tuple[str, str], Catalog | None] = {}
    problems: list[PipelineError] = []
    for language in settings.languages:
        for domain in domains:
            try:
                found[language, domain] = localizing.read_catalog(
                    settings.catalog_path(language, domain))
            except PipelineError as error:
                problems.append(error)
    raise_all(problems)
    return found


def build(settings: Settings, progress: Progress = no_progress,
          workers: int | None = None) -> BuildResult:
    """Localize every page into every language and write outputs/, redoing only what changed
    since the last build (docs/performance.md), over `workers` processes."""
    return publish.build(settings, progress, workers)


def status(settings: Settings, languages: Sequence[str] | None = None,
           pages: Sequence[str] | None = None,
           progress: Progress = no_progress) -> tuple[status_report.Row, ...]:
    """The state of every entry of every catalog, and whether a build publishes each page in
    each language, optionally only some languages or pages."""
    all_templates = templates(settings)
    domains, wanted = _select(settings, languages, pages, all_templates)
    chosen = [template for template in all_templates if template.domain in domains]
    found = _read_all(settings, domains)
    loaded = [page for page in source.load_pages(settings.source_dir) if page.slug in domains]
    decided = localizing.publications(settings, source.load_site_strings(settings.source_dir),
                                      loaded, wanted)
    rows = []
    for language in wanted:
        for template in chosen:
            path = settings.catalog_path(language, template.domain)
            rows.append(status_report.row(language, template, found[language, template.domain],
                                          _relative(path, settings.root),
                                          decided.get((template.domain, language))))
            progress(len(rows), len(wanted) * len(chosen))
    return tuple(rows)


def check(settings: Settings, languages: Sequence[str] | None = None,
          pages: Sequence[str] | None = None) -> checks.Report:
    """Every check on every translated entry of every catalog (docs/checks.md)."""
    domains, wanted = _select(settings, languages, pages)
    glossaries = glossary.load_all(settings.root, wanted)
    files = [(path, localizing.check_context(settings, language, glossaries[language]))
             for language in wanted for domain in domains
             if (path := settings.catalog_path(language, domain)).exists()]
    return checks.check_files(files, settings.root, settings.checks.severities)


def _select(settings: Settings, languages: Sequence[str] | None, pages: Sequence[str] | None,
            known: Sequence[Template] | None = None) -> tuple[list[str], list[str]]:
    """The domains and languages asked for (all when none are), refusing unknown ones."""
    domains = [template.domain for template in (known or templates(settings))
               if not pages or template.domain in pages]
    unknown = sorted(set(pages or ()) - set(domains))
    if unknown:
        raise PipelineError(f"no such page: {', '.join(unknown)}; see source/pages/")
    wanted = [language for language in settings.languages
              if not languages or language in languages]
    unknown = sorted(set(languages or ()) - set(wanted))
    if unknown:
        raise PipelineError(f"not a configured language: {', '.join(unknown)}; see "
                            "[tool.pipeline] languages in pyproject.toml")
    return domains, wanted


def glossary_import(settings: Settings, path: Path, language: str) -> glossary.Imported:
    """Merge a CSV or TBX glossary into glossary/<language>.yaml, sorted and stable."""
    return glossary.import_file(settings.root, path, _configured(settings, language),
                                settings.source_language)


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def _configured(settings: Settings, language: str) -> str:
    if language not in settings.languages:
        raise PipelineError(f"not a configured language: {language}; configured: "
                            f"{', '.join(settings.languages)} ([tool.pipeline] languages)")
    return language


def memory_search(settings: Settings, text: str, language: str, minimum: float,
                  limit: int) -> list[Match]:
    """Concordance: the memory's best matches for some English, best first."""
    with closing(archive.open_memory(settings)) as memory:
        return memory.search(_configured(settings, language), text, minimum, limit)


def memory_export(settings: Settings, language: str, target: Path) -> int:
    """Write every translation the memory holds for a language as TMX; returns how many."""
    with closing(archive.open_memory(settings)) as memory:
        units = memory.units(_configured(settings, language))
    write_if_changed(target, tmx.render(units, settings.source_language))
    return len(units)


def memory_import(settings: Settings, path: Path, trusted: bool = False) -> archive.Imported:
    """Keep a TMX from another tool in the committed memory files."""
    return archive.import_tmx(settings, path, trusted)


def memory_stats(settings: Settings) -> list[tuple[str, str, int]]:
    with closing(archive.open_memory(settings)) as memory:
        return memory.stats()
