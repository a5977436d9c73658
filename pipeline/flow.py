"""The pipeline's verbs, each a few lines over the stages: extract, update, build, status, check."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import closing
from pathlib import Path

from pipeline import extracting, publish, skip, updating
from pipeline.build import localizing
from pipeline.config import TEMPLATES_FOLDER, Settings
from pipeline.errors import PipelineError, raise_all, shown_path
from pipeline.languages import bcp47
from pipeline.memory import archive, tmx
from pipeline.memory.index import Match
from pipeline.model import Template
from pipeline.po import history
from pipeline.po.model import Catalog
from pipeline.qa import checks, glossary, term_import
from pipeline.render.outputs import ASSETS, BuildResult
from pipeline.report import status as status_report
from pipeline.runtime.fsio import Written, inside, write_if_changed
from pipeline.runtime.parallel import collector_paused
from pipeline.source import load as source
from pipeline.updating import UpdateResult

Progress = publish.Progress  # told (done, total) as long work advances


def no_progress(done: int, total: int) -> None:
    """The default progress reporter: silent."""


def fence(settings: Settings) -> None:
    """Refuse to run a verb that writes when a folder it writes in or deletes from leads out of
    its configured folder through a link: a language's catalogs, the templates, a language's
    outputs, the assets, the glossaries, the kept sentences (the configured folders themselves
    are checked when the settings are read)."""
    languages = (*settings.all_languages, *settings.pseudo_languages)
    folders = [(settings.locales_dir, (TEMPLATES_FOLDER,)),
               *((settings.locales_dir, (language, "LC_MESSAGES"))
                 for language in settings.languages),
               *((settings.outputs_dir, (bcp47(language),)) for language in languages),
               (settings.outputs_dir, (ASSETS,)), (settings.root, (glossary.FOLDER,)),
               (settings.cache_dir, (skip.SENTENCES,))]
    problems = []
    for base, parts in folders:
        try:
            inside(base, *parts)
        except PipelineError:
            where = "the project" if base == settings.root else \
                f"{shown_path(base, settings.root)}/"
            problems.append(PipelineError(
                f"leads out of {where} through a symbolic link: replace the link with a real "
                "folder (the pipeline writes and deletes only inside its own folders)",
                base.joinpath(*parts)))
    raise_all(problems)


def extract(settings: Settings, write: bool = True) -> tuple[Written, ...]:
    """Write locales/templates/<domain>.pot for the site strings and every page; a template
    file whose bytes the last extract made from the same template is not made again."""
    made = extracting.templates(settings, keep=write)
    return extracting.template_files(settings, made, extracting.template_digests(made), write)


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
        made = extracting.templates(settings, workers, keep=write)
        digests = extracting.template_digests(made)
        given = updating.inputs(settings, made, digests, prune_obsolete)
        done = updating.merged(settings, given, write, prune_obsolete, progress, workers)
        with updating.discarded_unless_committed(done):
            pots = extracting.template_files(settings, made, digests, write)
            return updating.committed(settings, given, done, pots, write)


def build(settings: Settings, progress: Progress = no_progress,
          workers: int | None = None) -> BuildResult:
    """Localize every page into every language and write outputs/, redoing only what changed
    since the last build (docs/performance.md), over `workers` processes.

    Each page's version in a language depends on the page, that language's catalogs and
    glossary, and what is shared (site.yaml, settings, the pipeline's code); its files also
    list its other languages' status, so a change of status redoes the page in every language.
    """
    with collector_paused():
        plan = skip.plan(settings, localizing.build_languages(settings))
        if plan.nothing_to_do:
            skip.keep_stamps(settings.cache_dir, plan)
            return publish.unchanged(plan)
        site = source.load_site_strings(settings.source_dir)
        done = publish.pages(settings, site, publish.jobs(settings, plan), progress, workers)
        made = publish.listed(settings, plan, done)
        result, state = publish.written(settings, plan, done, made)
        publish.keep_checks(settings, plan, made, done)
        skip.keep_state(settings.cache_dir, state, made.listings)
        return result


def _read_all(settings: Settings,
              domains: list[str]) -> dict[tuple[str, str], Catalog | None]:
    """Every catalog of every language, with what its history record restores, reading all
    before failing so that all problems show."""
    found: dict[tuple[str, str], Catalog | None] = {}
    problems: list[PipelineError] = []
    for language in settings.languages:
        for domain in domains:
            path = settings.catalog_path(language, domain)
            try:
                found[language, domain] = history.read_catalog(path) if path.exists() else None
            except PipelineError as error:
                problems.append(error)
    raise_all(problems)
    return found


def status(settings: Settings, languages: Sequence[str] | None = None,
           pages: Sequence[str] | None = None,
           progress: Progress = no_progress) -> tuple[status_report.Row, ...]:
    """The state of every entry of every catalog, and whether a build publishes each page in
    each language, optionally only some languages or pages."""
    all_templates = extracting.templates(settings, keep=False)
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
                                          shown_path(path, settings.root),
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
    known = known or extracting.templates(settings, keep=False)
    domains = [template.domain for template in known
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


def glossary_import(settings: Settings, path: Path, language: str) -> term_import.Imported:
    """Merge a CSV or TBX glossary into glossary/<language>.yaml, sorted and stable."""
    return term_import.import_file(settings.root, path, _configured(settings, language),
                                   settings.source_language)


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
