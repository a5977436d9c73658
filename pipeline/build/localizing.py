"""Pages localized for a build or a report: each language's catalogs read and checked once per
process, and the page's version in every language it must be built in."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from pipeline import skip
from pipeline.build import pseudo
from pipeline.build.assemble import (
    Listing,
    LocalizedPage,
    Publication,
    SiteText,
    listing,
    localize,
    localize_site,
    site_text,
)
from pipeline.config import Settings
from pipeline.errors import PipelineError, raise_all
from pipeline.model import Page, SiteStrings, Template, Text
from pipeline.po import history, pofile
from pipeline.po.model import Catalog
from pipeline.qa import checks, glossary
from pipeline.render import Site
from pipeline.render.json import SiteParts
from pipeline.render.outputs import page_files
from pipeline.runtime.fsio import (
    HISTORY,
    PAGE,
    Staged,
    discard,
    read_bounded,
    read_optional,
    stage,
)
from pipeline.runtime.parallel import collector_paused
from pipeline.source import load as source
from pipeline.source import segment


@dataclass(frozen=True)
class PageJob:
    """A page file to build again in some languages, knowing how the last build listed it."""

    path: Path
    redo: tuple[str, ...]  # the languages whose inputs or outputs changed
    before: Mapping[str, Listing]  # every language as the last build listed it
    digest: str  # of the page file's bytes, under which the splits of its prose are kept


@dataclass(frozen=True)
class PageDone:
    path: Path
    slug: str
    listings: Mapping[str, Listing]  # every language, in build order
    built: tuple[str, ...]  # the languages localized anew
    strings: Mapping[str, SiteText]  # their site strings (the same on every page: only the
    # first page of a task that localizes a language carries them)
    staged: tuple[Staged, ...]  # files with new bytes, to commit when the whole build succeeds
    checked: Mapping[str, dict[str, str]]  # check results found anew, to keep (pipeline/skip)


def checks_bases(settings: Settings) -> dict[str, str]:
    """By language, what its page catalogs' check results depend on besides their bytes."""
    return {language: checks_base(settings, check_context(settings, language, terms))
            for language, terms in glossary.load_all(settings.root, settings.languages).items()}


def check_context(settings: Settings, language: str,
                  terms: glossary.Glossary) -> checks.Context:
    return checks.Context(language, terms, settings.checks.length_ratio)


def checks_base(settings: Settings, context: checks.Context) -> str:
    """What a catalog's check results depend on besides its bytes."""
    return skip.digest(skip.code_version(), repr(context),
                       repr(sorted(settings.checks.severities.items())))


def build_languages(settings: Settings) -> tuple[str, ...]:
    """The source language, the translations, then the pseudo-languages."""
    return (*settings.all_languages, *settings.pseudo_languages)


def site_of(settings: Settings) -> Site:
    return Site(settings.base_url, settings.source_language, settings.all_languages,
                settings.pseudo_languages)


class Worker:
    """What the pages of one task of a build share: glossaries, the check results kept, each
    language's site strings (from its checked site catalog), and each page's template for
    the pseudo-languages."""

    def __init__(self, settings: Settings, site: SiteStrings,
                 kept_checks: Mapping[str, dict[str, str]]) -> None:
        self.settings = settings
        self.site = site
        self.glossaries = glossary.load_all(settings.root, settings.languages)
        self.contexts = {language: check_context(settings, language, terms)
                         for language, terms in self.glossaries.items()}
        self.checks_bases = {language: checks_base(settings, context)
                             for language, context in self.contexts.items()}
        self.site_texts: dict[str, SiteText] = {}
        self.site_parts = SiteParts()
        self.page_templates: dict[str, Template] = {}
        self.kept_checks = kept_checks
        self.translations_checked: dict[str, dict[checks.Pairs, str | None]] = {
            language: {} for language in settings.languages}  # the same in many catalogs

    def _checked(self, language: str, domain: str,
                 found: dict[str, dict[str, str]]) -> tuple[Catalog | None, dict[str, str]]:
        """A catalog and, by English, the error-level check each failing translation fails
        (as an earlier run found them for the same bytes, when it kept them; else checked now
        and added to `found`, by where they are kept)."""
        path = self.settings.catalog_path(language, domain)
        if not path.exists():
            return None, {}
        data = pofile.file_bytes(path)
        catalog = history.reconciled(pofile.from_bytes(data, path), path)
        if domain == segment.SITE_DOMAIN:  # checked once per worker, not kept
            return catalog, checks.failing(catalog, self.contexts[language],
                                           self.settings.checks.severities,
                                           self.translations_checked[language])
        record = history.record_path(path)
        key = skip.check_key(self.checks_bases[language], skip.digest(data),
                             skip.digest(kept) if (kept := read_optional(record, HISTORY))
                             is not None else "-")
        failed = self.kept_checks.get(key)
        if failed is None:
            failed = checks.failing(catalog, self.contexts[language],
                                    self.settings.checks.severities,
                                    self.translations_checked[language])
            found[key] = failed
        return catalog, failed

    def site_text(self, language: str) -> SiteText:
        """The site strings in a language, localized once per worker."""
        if language not in self.site_texts:
            settings = self.settings
            site_catalog: Catalog | None = None
            site_failed: dict[str, str] = {}
            if language in settings.pseudo_languages:
                site_catalog = pseudo.catalog(segment.site_template(self.site, settings.root),
                                              language)
            elif language in settings.languages:
                site_catalog, site_failed = self._checked(language, segment.SITE_DOMAIN, {})
            self.site_texts[language] = localize_site(
                self.site, site_catalog, language, settings.source_language, settings.policy,
                site_failed)
        return self.site_texts[language]

    def localized(self, page: Page[Text], language: str, known: skip.Splits = segment.NO_SPLITS,
                  found: dict[str, dict[str, str]] | None = None) -> LocalizedPage:
        """The page in a language, with the `known` splits of its prose; the check results
        found anew are added to `found`."""
        settings = self.settings
        catalog = None
        failed: dict[str, str] = {}
        if language in settings.pseudo_languages:
            if page.slug not in self.page_templates:  # one for every pseudo-language
                self.page_templates[page.slug] = segment.page_template(
                    page, settings.segmentation, settings.root, known)
            catalog = pseudo.catalog(self.page_templates[page.slug], language)
        elif language in settings.languages:
            catalog, failed = self._checked(language, page.slug, {} if found is None else found)
        return localize(page, catalog, self.site_text(language), settings.source_language,
                        settings.segmentation, settings.policy, failed, known)

    def localized_all(self, page: Page[Text], languages: Sequence[str], known: skip.Splits,
                      found: dict[str, dict[str, str]]) -> dict[str, LocalizedPage]:
        """The page in some languages; the problems of all their catalogs raised together."""
        made, problems = {}, []
        for language in languages:
            try:
                made[language] = self.localized(page, language, known, found)
            except PipelineError as error:
                problems.append(error)
        raise_all(problems)
        return made

    def build(self, job: PageJob) -> PageDone:
        """The page's files in the languages to redo, and in every language if the status of
        one of those changed (each language's files list the others')."""
        page = source.load_page(job.path)
        known = skip.page_sentences(self.settings.cache_dir, job.digest, page)
        checked: dict[str, dict[str, str]] = {}
        languages = build_languages(self.settings)
        fresh = self.localized_all(page, job.redo, known, checked)
        listings = {**job.before, **{language: listing(fresh[language]) for language in fresh}}
        if any(status_of(listings[language]) != status_of(job.before.get(language))
               for language in job.redo):
            fresh |= self.localized_all(page, [language for language in languages
                                               if language not in fresh], known, checked)
            listings = {language: listing(fresh[language]) for language in languages}
        versions = [listings[language] for language in languages]
        files = page_files([fresh[language] for language in languages if language in fresh],
                           versions, site_of(self.settings), self.settings.outputs_dir,
                           self.site_parts)
        staged: list[Staged] = []
        try:
            for path, data in files.items():
                if (item := stage(path, data)) is not None:
                    staged.append(item)
        except BaseException:
            discard(staged)
            raise
        return PageDone(job.path, page.slug, {language: listings[language]
                                              for language in languages}, tuple(fresh),
                        {language: site_text(version) for language, version in fresh.items()},
                        tuple(staged), checked)


def status_of(version: Listing | None) -> object:
    """What a page's files say of its version in one language."""
    return version and (version.publication, version.completeness, version.updated)


def build_pages(settings: Settings, site: SiteStrings, kept_checks: Mapping[str, dict[str, str]],
                jobs: Sequence[PageJob]) -> list[PageDone | PipelineError]:
    """Some pages (a unit of work of a parallel build), sharing one worker and the check
    results kept; a page's problems are returned."""
    worker = Worker(settings, site, kept_checks)
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


def publications(settings: Settings, site: SiteStrings, pages: Sequence[Page[Text]],
                 languages: Sequence[str]) -> dict[tuple[str, str], Publication]:
    """Whether each page is published in each language, and why not, as a build decides."""
    worker = Worker(settings, site, skip.kept_checks(settings.cache_dir))
    known = {page.slug: skip.page_sentences(settings.cache_dir,
                                            skip.digest(read_bounded(page.path, PAGE)), page,
                                            keep=False) for page in pages}
    return {(page.slug, language): worker.localized(page, language, known[page.slug]).publication
            for page in pages for language in languages}
