"""Templates + catalogs -> catalogs: each language's catalogs read and merged in its own process
(those an update may leave unread left so), staged, then committed together with what leaves
them for the memory files."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from pipeline import skip
from pipeline.config import TEMPLATES_FOLDER, Settings
from pipeline.errors import PipelineError, raise_all
from pipeline.languages import language_name
from pipeline.memory import archive
from pipeline.memory.index import Match, MemoryIndex
from pipeline.memory.index import digest as memory_digest
from pipeline.memory.units import catalog_units
from pipeline.model import MemoryUnit, Template, UnitStatus
from pipeline.po import catalogs, history, pofile
from pipeline.po.catalogs import MergeCounts
from pipeline.po.model import Catalog
from pipeline.qa import glossary
from pipeline.runtime.fsio import Staged, Written, commit, discard, stage, write_or_compare
from pipeline.runtime.parallel import PARALLEL_FROM, collector_paused, mapped

Progress = Callable[[int, int], None]  # told (done, total) as long work advances


@dataclass(frozen=True)
class UpdateResult:
    path: Path
    language: str
    domain: str
    counts: MergeCounts
    changed: bool


@dataclass(frozen=True)
class Gone:
    """A catalog of a page gone from source/, read before anything is written."""

    language: str
    path: Path
    catalog: Catalog


@dataclass(frozen=True)
class Inputs:
    """What every language's merge reads: the templates (and their digests), the glossaries,
    the memory's version, the day, the catalogs that may be left unread, and the catalogs of
    pages gone from source/ (read before anything is written)."""

    templates: tuple[Template, ...]
    digests: dict[str, str]
    glossaries: dict[str, glossary.Glossary]
    memory: str
    date: str
    unread: skip.Records
    gone: tuple[Gone, ...]


@dataclass(frozen=True)
class LanguageUpdate:
    """One language's catalogs brought up to date, nothing written yet: the files to commit,
    the obsolete entries to move to the memory file first, or why its catalogs cannot be read."""

    language: str
    results: list[UpdateResult]
    staged: list[Staged]
    leaving: list[MemoryUnit]  # what pruned or doubled entries held, for memory/
    problems: list[PipelineError]
    records: dict[str, skip.Record]  # by domain
    emptied: list[Path]  # catalogs whose history record is empty now, to remove after commit


def catalog_comment(language: str, domain: str) -> tuple[str, ...]:
    return (f"{language_name(language)} translation of the {domain!r} catalog.",
            "Translations are drafts until a clinician has reviewed them (docs/translating.md).")


def inputs(settings: Settings, made: Sequence[Template], digests: dict[str, str],
           prune_obsolete: bool) -> Inputs:
    """What the merges read; the memory brought up to date once, for every worker (a catalog
    that cannot be read is the workers' to report, with all the others')."""
    domains = [template.domain for template in made]
    gone = tuple(Gone(language, path, pofile.read(path))
                 for language, path in archive.orphans(settings, domains))
    glossaries = glossary.load_all(settings.root, settings.languages)
    sources = archive.sources(settings, unreadable_empty=True)
    archive.open_memory(settings, sources).close()
    memory = skip.memory_version(sources)
    found = {source.path: source.digest for source in sources}
    current = {language: _merge_inputs(settings, made, digests, glossaries[language], found,
                                       language) for language in settings.languages}
    unread = {} if prune_obsolete else skip.unread(skip.kept_records(settings.cache_dir),
                                                   current, memory)
    return Inputs(tuple(made), digests, glossaries, memory, catalogs.today(), unread, gone)


def _merge_inputs(settings: Settings, made: Sequence[Template], digests: dict[str, str],
                  terms: glossary.Glossary, found: dict[str, str],
                  language: str) -> dict[str, str]:
    """What each existing catalog's merge in a language reads, by domain (catalogs named by
    strings: an update names every one of them)."""
    locales = archive.source_name(settings.locales_dir, settings)
    inputs = {}
    for template in made:
        name = settings.catalog_name(language, template.domain)
        digest = found.get(f"{locales}/{name}")
        if digest is not None:
            inputs[template.domain] = skip.merge_inputs(
                digests[template.domain], terms, catalog_comment(language, template.domain),
                settings.memory_threshold, digest,
                history.digest(settings.catalog_file(language, template.domain)))
    return inputs


def merged(settings: Settings, given: Inputs, write: bool, prune_obsolete: bool,
           progress: Progress, workers: int | None) -> list[LanguageUpdate]:
    """Every language's catalogs merged and staged, over `workers` processes; every catalog is
    read before any file is written: one bad file stops all, shows all."""
    work = partial(merge_language, settings, given, write, prune_obsolete)
    total = len(settings.languages) * len(given.templates)
    if workers is None:  # (the catalogs left unread cost next to nothing)
        unread = sum(len(found) for found in given.unread.values())
        workers = None if total - unread >= PARALLEL_FROM * 4 else 1
    done: list[LanguageUpdate] = []
    try:
        with closing(mapped(work, settings.languages, workers,
                            lambda left: discard(left.staged))) as languages:
            for language in languages:
                done.append(language)
                progress(sum(len(item.results) for item in done), total)
        raise_all([problem for language in done for problem in language.problems])
    except BaseException:
        discard(item for language in done for item in language.staged)
        raise
    return done


def merge_language(settings: Settings, given: Inputs, write: bool, prune_obsolete: bool,
                   language: str) -> LanguageUpdate:
    """Every catalog of one language read and merged, the changed ones staged beside their
    files (a unit of work of a parallel update); only problems if one cannot be read. The
    catalogs that the last update left as a merge would write them are not read."""
    kept = given.unread.get(language, {})
    olds: dict[str, Catalog | None] = {}
    problems = []
    with collector_paused():
        for template in given.templates:
            if template.domain in kept:
                continue
            path = settings.catalog_path(language, template.domain)
            try:
                olds[template.domain] = history.read_catalog(path) if path.exists() else None
            except PipelineError as error:
                problems.append(error)
        if problems:
            return LanguageUpdate(language, [], [], [], problems, {}, [])
        return _merge_all(settings, given, write, prune_obsolete, language, olds)


def _merge_all(settings: Settings, given: Inputs, write: bool, prune_obsolete: bool,
               language: str, olds: dict[str, Catalog | None]) -> LanguageUpdate:
    kept = given.unread.get(language, {})
    done = LanguageUpdate(language, [], [], [], [], dict(kept), [])
    with closing(MemoryIndex.open(settings.cache_dir / archive.INDEX_FILE)) as memory, \
            _discarded_on_error(done.staged):
        recall = partial(memory.exact, language)
        for template in given.templates:
            path = settings.catalog_path(language, template.domain)
            if template.domain in kept:
                done.results.append(UpdateResult(path, language, template.domain,
                                                 kept[template.domain].counts, False))
            else:
                suggest = _suggester(memory, language, settings.memory_threshold,
                                     template.domain)
                _merge_one(settings, given, write, prune_obsolete, template,
                           olds[template.domain], suggest, recall, done)
    return done


def _suggester(memory: MemoryIndex, language: str, threshold: float,
               domain: str) -> catalogs.Suggest:
    """The memory's match for a catalog's untranslated English: what the catalog itself held
    when its page, its slug or its entries left it (a translation, else a translator's draft,
    with its comments), so that a page brought back gets its own work back; else the memory's
    best match."""
    own = f"archive:{domain}"

    def suggest(text: str) -> Match | None:
        mine = sorted((match for match in memory.exact(language, text)
                       if match.unit.origin == own and match.unit.status != UnitStatus.UNTRUSTED),
                      key=lambda match: (not match.unit.trusted, match.unit.target))
        return mine[0] if mine else memory.suggest(language, text, threshold)

    return suggest


def _merge_one(settings: Settings, given: Inputs, write: bool, prune_obsolete: bool,
               template: Template, old: Catalog | None, suggest: catalogs.Suggest,
               recall: catalogs.Recall, done: LanguageUpdate) -> None:
    """One catalog merged, its file staged if its bytes change, and what leaves it noted."""
    language, domain = done.language, template.domain
    comment = catalog_comment(language, domain)
    old, doubled = catalogs.without_doubles(old)
    done.leaving.extend(replace(unit, status=UnitStatus.UNTRUSTED)
                        for unit in catalog_units(doubled, language, f"archive:{domain}",
                                                  leaving=True))
    catalog, counts = catalogs.merge(template, old, language, comment, given.date, suggest,
                                     recall)
    counts = replace(counts, doubled=len(doubled.entries))
    catalog = glossary.annotate(catalog, given.glossaries[language])
    if prune_obsolete:
        obsolete = replace(catalog, entries=tuple(e for e in catalog.entries if e.obsolete))
        done.leaving.extend(catalog_units(obsolete, language, f"archive:{domain}",
                                          leaving=True))
        catalog = replace(catalog, entries=tuple(e for e in catalog.entries if not e.obsolete))
    data = pofile.render(catalog)
    kept_facts = history.render(history.facts(catalog))
    done.records[domain] = skip.record(catalog, skip.merge_inputs(
        given.digests[domain], given.glossaries[language], comment, settings.memory_threshold,
        memory_digest(data), history.data_digest(kept_facts)), given.memory)
    path = settings.catalog_path(language, domain)
    if write:
        items = [item for item in (stage(path, data), history.stage_record(path, kept_facts))
                 if item]
        done.staged.extend(items)
        done.emptied.extend([] if kept_facts else [path])
        changed = bool(items) or (not kept_facts and history.differs(path, kept_facts))
    else:
        changed = (write_or_compare(path, data, write=False)
                   or history.differs(path, kept_facts))
    done.results.append(UpdateResult(path, language, domain, counts, changed))


@contextmanager
def discarded_unless_committed(done: Sequence[LanguageUpdate]) -> Iterator[None]:
    """Discard what the languages staged if the block ends by an error (Ctrl-C among them)
    before it committed them; once committed, nothing is left to discard."""
    with _discarded_on_error([item for language in done for item in language.staged]):
        yield


@contextmanager
def _discarded_on_error(staged: list[Staged]) -> Iterator[None]:
    try:
        yield
    except BaseException:
        discard(staged)
        raise


def committed(settings: Settings, given: Inputs, done: Sequence[LanguageUpdate],
              pots: Sequence[Written], write: bool) -> tuple[UpdateResult, ...]:
    """The merged catalogs committed (what leaves them reaching the memory files first), the
    catalogs and templates of pages gone from source/ removed, and what was done."""
    for language in done:  # pruned entries reach the memory files before leaving the catalogs
        if language.leaving:
            archive.keep(settings, language.language, language.leaving, write)
    commit([item for language in done for item in language.staged])  # one flush for all
    for path in (path for language in done for path in language.emptied if write):
        history.remove_empty(path)
    if write:
        skip.keep_records(settings.cache_dir, [(language.language, language.records)
                                               for language in done])
    results = [result for language in done for result in language.results]
    for gone in given.gone:
        archive.archive_catalog(settings, gone.language, gone.path.stem, gone.catalog, write)
        if write:
            gone.path.unlink()
            history.remove_empty(gone.path)
        results.append(UpdateResult(gone.path, gone.language, gone.path.stem,
                                    MergeCounts(obsoleted=len(gone.catalog.entries)), True))
    domains = {template.domain for template in given.templates}
    for pot in sorted((settings.locales_dir / TEMPLATES_FOLDER).glob("*.pot")):
        if pot.stem not in domains:
            if write:
                pot.unlink()
            results.append(UpdateResult(pot, "templates", pot.stem, MergeCounts(), True))
    results += [UpdateResult(item.path, "templates", item.path.stem, MergeCounts(), True)
                for item in pots if item.changed]
    return tuple(results)
