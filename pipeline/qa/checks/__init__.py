"""Translator QA: small checks of translated entries and catalogs, all in one list (CHECKS)."""

from __future__ import annotations

import os
import subprocess
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import PipelineError, shown_path
from pipeline.model import Severity
from pipeline.po.model import Catalog, Entry
from pipeline.po.pofile import read
from pipeline.qa.checks.catalog import duplicates, header, msgfmt, msgfmt_warnings, syntax
from pipeline.qa.checks.content import (
    broken_markdown,
    do_not_translate,
    emphasis,
    invisible_characters,
    links,
    numbers,
    placeholders,
    raw_html,
    terminology,
)
from pipeline.qa.checks.context import (
    Context,
    Document,
    Finding,
)
from pipeline.qa.checks.style import (
    doubled_spaces,
    doubled_words,
    end_punctuation,
    length,
    punctuation,
    untranslated,
    whitespace,
)
from pipeline.runtime.fsio import CATALOG, read_bounded

__all__ = ["CHECKS", "NAMES",
           "Check", "Context", "Document", "Finding", "Report"]

EntryCheck = Callable[[str, str, Context], Iterator[str]]
CatalogCheck = Callable[[Document, Context], Iterator[tuple[int, str]]]


@dataclass(frozen=True)
class Check:
    """A named check with its default severity; it looks at each entry, or at a whole catalog."""

    name: str
    severity: Severity
    entry: EntryCheck | None = None  # (English, translation, context) -> messages
    catalog: CatalogCheck | None = None  # (document, context) -> (line, message)


CHECKS: tuple[Check, ...] = (
    Check("syntax", Severity.ERROR, catalog=syntax),
    Check("msgfmt", Severity.ERROR, catalog=msgfmt),
    Check("msgfmt-warnings", Severity.WARNING, catalog=msgfmt_warnings),
    Check("header", Severity.WARNING, catalog=header),
    Check("duplicates", Severity.WARNING, catalog=duplicates),
    Check("links", Severity.ERROR, entry=links),
    Check("emphasis", Severity.ERROR, entry=emphasis),
    Check("broken-markdown", Severity.ERROR, entry=broken_markdown),
    Check("numbers", Severity.ERROR, entry=numbers),
    Check("placeholders", Severity.ERROR, entry=placeholders),
    Check("do-not-translate", Severity.ERROR, entry=do_not_translate),
    Check("raw-html", Severity.ERROR, entry=raw_html),
    Check("invisible-characters", Severity.ERROR, entry=invisible_characters),
    Check("terminology", Severity.WARNING, entry=terminology),
    Check("untranslated", Severity.WARNING, entry=untranslated),
    Check("whitespace", Severity.WARNING, entry=whitespace),
    Check("doubled-words", Severity.WARNING, entry=doubled_words),
    Check("doubled-spaces", Severity.WARNING, entry=doubled_spaces),
    Check("end-punctuation", Severity.WARNING, entry=end_punctuation),
    Check("punctuation", Severity.WARNING, entry=punctuation),
    Check("length", Severity.WARNING, entry=length),
)
NAMES = tuple(check.name for check in CHECKS)


def checked_entries(catalog: Catalog | None) -> Iterator[Entry]:
    """The entries a reader could be shown: translated, not fuzzy, not obsolete."""
    return (entry for entry in (catalog.entries if catalog else ())
            if entry.translated and not entry.fuzzy and not entry.obsolete)


def _pairs(entry: Entry) -> Iterator[tuple[str, str]]:
    """(English, translation) of an entry: one pair, or one per plural form."""
    if entry.msgid_plural is None:
        yield entry.msgid, entry.msgstr
    for index, form in enumerate(entry.msgstr_plural):
        yield (entry.msgid if index == 0 else entry.msgid_plural or entry.msgid), form


def _active(severities: Mapping[str, str]) -> list[tuple[Check, str]]:
    chosen = [(check, severities.get(check.name, check.severity)) for check in CHECKS]
    return [(check, severity) for check, severity in chosen if severity != Severity.OFF]


def entry_problems(entry: Entry, context: Context, severities: Mapping[str, str],
                   only: str | None = None) -> Iterator[tuple[str, str, str]]:
    """(check name, severity, message) for every problem of one entry's translation (only the
    checks of severity `only`, when given)."""
    active = [(check, severity) for check, severity in _active(severities)
              if only is None or severity == only]
    return _problems(entry, context, active)


def _problems(entry: Entry, context: Context,
              active: list[tuple[Check, str]]) -> Iterator[tuple[str, str, str]]:
    pairs = list(_pairs(entry))
    for check, severity in active:
        if check.entry is not None:
            messages = (message for english, translation in pairs
                        for message in check.entry(english, translation, context))
            for message in dict.fromkeys(messages):
                yield check.name, severity, message


def check_document(document: Document, context: Context,
                   severities: Mapping[str, str]) -> tuple[Finding, ...]:
    """Every finding of one catalog file, by line."""
    entries = sorted(document.catalog.entries if document.catalog else (),
                     key=lambda entry: entry.line)
    findings: list[Finding] = []
    for check, severity in _active(severities):
        for line, message in check.catalog(document, context) if check.catalog else ():
            owner = [entry.msgid for entry in entries if 0 < entry.line <= line]
            findings.append(Finding(document.path, line, severity, check.name, message,
                                    owner[-1] if owner else None))
    for entry in checked_entries(document.catalog):
        findings += [Finding(document.path, entry.line, severity, name, message, entry.msgid)
                     for name, severity, message in entry_problems(entry, context, severities)]
    order = {name: index for index, name in enumerate(NAMES)}
    return tuple(sorted(findings, key=lambda item: (item.line, order[item.check])))


Pairs = tuple[tuple[str, str], ...]  # an entry's (English, translation) pairs (_pairs)


def failing(catalog: Catalog | None, context: Context, severities: Mapping[str, str],
            known: dict[Pairs, str | None] | None = None) -> dict[str, str]:
    """msgid -> the first error-level check its translation fails: what a build shows in English.

    Only entry checks count: a catalog-level problem (msgfmt, header) is not one segment's.
    `known` holds what earlier calls with the same context and severities found, by pairs
    (pages share sentences, and their translations); it is updated.
    """
    found: dict[str, str] = {}
    active = [(check.name, check.entry) for check, severity in _active(severities)
              if severity == Severity.ERROR and check.entry is not None]
    known = {} if known is None else known
    for entry in checked_entries(catalog):
        pairs = ((entry.msgid, entry.msgstr),) if entry.msgid_plural is None \
            else tuple(_pairs(entry))
        if pairs in known:
            failed = known[pairs]
        else:
            failed = known[pairs] = _first_failure(pairs, active, context)
        if failed is not None:
            found[entry.msgid] = failed
    return found


def _first_failure(pairs: Pairs, active: list[tuple[str, EntryCheck]],
                   context: Context) -> str | None:
    for name, check in active:
        for english, translation in pairs:
            for _ in check(english, translation, context):
                return name
    return None


@dataclass(frozen=True)
class Report:
    """The findings of a check run, and the catalogs it read."""

    findings: tuple[Finding, ...]
    catalogs: tuple[str, ...] = ()

    def count(self, severity: str) -> int:
        return sum(finding.severity == severity for finding in self.findings)

    def as_json(self) -> dict[str, Any]:
        return {"catalogs": list(self.catalogs),
                "counts": {severity.value: self.count(severity)
                           for severity in (Severity.ERROR, Severity.WARNING)},
                "by_check": dict(sorted(Counter(item.check for item in self.findings).items())),
                "findings": [asdict(finding) for finding in self.findings]}


# --- the edge: reading a catalog file, running msgfmt --------------------------------------

def _run_msgfmt(name: str, root: Path) -> str:
    environment = {**os.environ, "LC_ALL": "C.UTF-8", "LANGUAGE": ""}  # untranslated messages
    try:
        result = subprocess.run(["msgfmt", "--check", "-o", os.devnull, name], cwd=root,
                                env=environment, capture_output=True, check=False)
    except FileNotFoundError:
        raise PipelineError("msgfmt is not installed: install GNU gettext (apt-get install "
                            "gettext), or turn the msgfmt checks off in [tool.pipeline.checks]"
                            ) from None
    return result.stderr.decode("utf-8", errors="replace")


def read_document(path: Path, root: Path, run_msgfmt: bool = True) -> Document:
    """A catalog file with what its checks need: text, catalog if readable, msgfmt's report."""
    name = shown_path(path, root)
    text = read_bounded(path, CATALOG).decode("utf-8", errors="replace")
    catalog, problems = None, ()
    try:
        catalog = read(path)
    except PipelineError as error:
        problems = tuple(getattr(error, "errors", (error,)))
    return Document(name, text, catalog, problems, _run_msgfmt(name, root) if run_msgfmt else "")


def check_files(files: Iterable[tuple[Path, Context]], root: Path,
                severities: Mapping[str, str]) -> Report:
    """Every check on catalog files, each with its language's context."""
    run_msgfmt = any(severities.get(name, default) != Severity.OFF for name, default in (
        ("msgfmt", Severity.ERROR), ("msgfmt-warnings", Severity.WARNING)))
    findings: list[Finding] = []
    names: list[str] = []
    for path, context in files:
        document = read_document(path, root, run_msgfmt)
        findings += check_document(document, context, severities)
        names.append(document.path)
    return Report(tuple(findings), tuple(names))
