"""The xliff verb: catalogs out to agencies as XLIFF 1.2, their work merged back, losing nothing."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from pipeline.agency import xliff
from pipeline.config import Settings
from pipeline.errors import PipelineError, raise_all
from pipeline.languages import match
from pipeline.memory import archive
from pipeline.memory.index import Match
from pipeline.memory.units import catalog_units
from pipeline.model import MemoryUnit
from pipeline.po import history, pofile, states
from pipeline.po.model import Catalog, Entry
from pipeline.qa.glossary import COMMENT as GLOSSARY_NOTE
from pipeline.runtime.fsio import (
    EXCHANGE,
    Staged,
    commit,
    discard,
    read_bounded,
    stage,
    write_if_changed,
)

State = states.State
EXPORTED_STATES = (State.CURRENT, State.STALE, State.SUGGESTED, State.UNTRANSLATED)
MATCHES = 3  # memory matches offered per unit that needs work
_XLIFF_STATE = {State.STALE: "needs-review-translation",
                State.SUGGESTED: "needs-review-translation",
                State.UNTRANSLATED: "new"}


@dataclass(frozen=True)
class Exported:
    """What an export wrote: catalogs (files), units, and plural entries left out."""

    files: int
    units: int
    plurals: int


@dataclass(frozen=True)
class Imported:
    """What an import merged, and the units it refused because their English changed."""

    current: int = 0
    review: int = 0
    unchanged: int = 0
    empty: int = 0
    archived: int = 0  # replaced translations kept in memory/<lang>.tmx
    refused: tuple[PipelineError, ...] = ()
    written: tuple[Path, ...] = ()


def parse_states(text: str | None) -> tuple[str, ...]:
    """The states asked for with --state (comma-separated), all but obsolete by default."""
    if not text:
        return EXPORTED_STATES
    wanted = tuple(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
    unknown = [state for state in wanted if state not in EXPORTED_STATES]
    if unknown or not wanted:
        raise PipelineError(f"unknown state {', '.join(unknown) or repr(text)}: use "
                            f"{', '.join(EXPORTED_STATES)} (comma-separated)")
    return wanted


def _notes(entry: Entry) -> tuple[tuple[str, str], ...]:
    notes = [("location", location) for location in entry.locations]
    for comment in entry.comments:
        if comment.startswith(GLOSSARY_NOTE):
            notes.append(("glossary", comment.removeprefix(GLOSSARY_NOTE)))
        else:
            notes.append(("pipeline" if comment.startswith(states.PIPELINE_NOTES)
                          else "developer", comment))
    return (*notes, *(("translator", comment) for comment in entry.translator_comments))


def _out_unit(entry: Entry, state: states.EntryState, matches: Sequence[Match]) -> xliff.OutUnit:
    own = {(entry.msgid, entry.msgstr), (entry.previous_msgid, entry.msgstr)}
    alternatives = [xliff.Alternative(entry.previous_msgid, entry.msgstr, xliff.PREVIOUS,
                                      "previous English")] \
        if state.state == states.State.STALE and entry.previous_msgid is not None else []
    alternatives += [xliff.Alternative(match.unit.source, match.unit.target, xliff.PROPOSAL,
                                       match.unit.origin, f"{match.score:.0f}")
                     for match in matches if (match.unit.source, match.unit.target) not in own]
    memory = state.state == states.State.SUGGESTED and any(
        comment.startswith(states.MEMORY_NOTE) for comment in entry.comments)
    current = state.state == states.State.CURRENT
    state_name = ("signed-off" if state.reviewed else "translated") if current \
        else _XLIFF_STATE[state.state]
    return xliff.OutUnit(entry.msgid, entry.msgctxt, entry.msgstr, state_name, current,
                         "fuzzy-match" if memory else None, _notes(entry), tuple(alternatives))


def _catalogs(settings: Settings, language: str,
              pages: Sequence[str] | None) -> list[tuple[Path, Catalog]]:
    found = {path.stem: path for path in archive.catalog_files(settings, language)}
    unknown = sorted(set(pages or ()) - set(found))
    if unknown:
        raise PipelineError(f"no catalog of {language} for {', '.join(unknown)}; see "
                            f"{archive.source_name(settings.locales_dir, settings)}/{language}/"
                            "LC_MESSAGES/")
    chosen = [path for domain, path in sorted(found.items()) if not pages or domain in pages]
    read: list[tuple[Path, Catalog]] = []
    problems = []
    for path in chosen:
        try:
            read.append((path, history.read_catalog(path)))
        except PipelineError as error:
            problems.append(error)
    raise_all(problems)
    return read


def export(settings: Settings, language: str, pages: Sequence[str] | None,
           wanted: Sequence[str], target: Path) -> Exported:
    """Write a language's catalogs (or some pages') as XLIFF 1.2: the entries in the wanted
    states, each with its notes, previous English and the memory's best matches; no file when
    no entry is in those states."""
    if language not in settings.languages:
        raise PipelineError(f"not a configured language: {language}; configured: "
                            f"{', '.join(settings.languages)} ([tool.pipeline] languages)")
    files, plurals = [], 0
    with closing(archive.open_memory(settings)) as memory:
        for path, catalog in _catalogs(settings, language, pages):
            units = []
            for entry in catalog.entries:
                state = states.entry_state(entry)
                if entry.obsolete or state.state not in wanted:
                    continue
                if entry.msgid_plural is not None:
                    plurals += 1
                    continue
                matches = memory.search(language, entry.msgid, settings.memory_threshold,
                                        MATCHES) if state.state != states.State.CURRENT else []
                units.append(_out_unit(entry, state, matches))
            if units:
                files.append(xliff.OutFile(archive.source_name(path, settings), path.stem,
                                           tuple(units)))
    if files:  # XLIFF has at least one <file>: with no unit, nothing is written
        write_if_changed(target, xliff.render(files, settings.source_language, language))
    return Exported(len(files), sum(len(file.units) for file in files), plurals)


# --- import --------------------------------------------------------------------------------

Key = tuple[str, str]  # (language, domain)


def _resolve(settings: Settings, files: Sequence[xliff.InFile],
             path: Path) -> dict[int, tuple[str, Path]]:
    """Each file's language and catalog (by its position), or every problem at once."""
    known = {(language, catalog.stem): catalog for language in settings.languages
             for catalog in archive.catalog_files(settings, language)}
    found, problems = {}, []
    for number, file in enumerate(files):
        language = match(file.target_language, settings.languages)
        name = PurePosixPath(file.original.replace("\\", "/")).name
        if match(file.source_language, [settings.source_language]) is None:
            problems.append(PipelineError(
                f"the file's source-language is {file.source_language!r}, not "
                f"{settings.source_language!r}: import the file this pipeline exported",
                path, file.line))
        elif language is None:
            problems.append(PipelineError(
                f"the file's target-language {file.target_language!r} is not a configured "
                f"language ({', '.join(settings.languages)}); see [tool.pipeline] languages",
                path, file.line))
        elif not name.endswith(".po") or (language, name[:-3]) not in known:
            problems.append(PipelineError(
                f"no catalog {file.original!r} in {language}: import a file this pipeline "
                "exported (its <file original> names the catalog)", path, file.line))
        else:
            found[number] = (language, known[language, name[:-3]])
    raise_all(problems)
    return found


def _duplicates(files: Sequence[xliff.InFile], where: dict[int, tuple[str, Path]],
                path: Path) -> None:
    first: dict[tuple[str, Path, str | None, str], int] = {}
    problems = []
    for number, file in enumerate(files):
        for unit in file.units:
            key = (*where[number], unit.msgctxt, unit.msgid)
            if key in first:
                problems.append(PipelineError(f"a second unit for the same English (first at "
                                              f"line {first[key]}); keep one", path, unit.line))
            first.setdefault(key, unit.line)
    raise_all(problems)


def _merged(entry: Entry, unit: xliff.InUnit) -> tuple[Entry, str]:
    """The entry with the unit's translation: current when its state says it is done, fuzzy
    (for review) otherwise; and which of current, review, unchanged or empty it was."""
    if not unit.target:
        return entry, "empty"
    done = (unit.state in xliff.DONE and unit.approved != "no") or \
        (unit.state is None and unit.approved == "yes")
    if done:
        reviews = entry.translator_comments if unit.target == entry.msgstr else tuple(
            f"{states.OUTDATED_REVIEW}{comment}"
            if states.is_reviewed(replace(entry, translator_comments=(comment,))) else comment
            for comment in entry.translator_comments)
        new = replace(entry.with_flag("fuzzy", False), msgstr=unit.target, previous_msgid=None,
                      previous_msgid_plural=None, translator_comments=reviews,
                      comments=tuple(comment for comment in entry.comments
                                     if not comment.startswith(states.STALE_SINCE)))
    else:
        new = replace(entry.with_flag("fuzzy", True), msgstr=unit.target)
    return new, "unchanged" if new == entry else "current" if done else "review"


def _merge_file(catalog: Catalog, file: xliff.InFile, label: str, path: Path,
                counts: dict[str, int]) -> tuple[Catalog, list[Entry], list[PipelineError]]:
    """A catalog with a file's units merged, the entries whose translation they replaced, and
    the units refused because the catalog no longer has their English."""
    index = {entry.key: number for number, entry in enumerate(catalog.entries)
             if not entry.obsolete and entry.msgid_plural is None}
    entries = list(catalog.entries)
    replaced, refused = [], []
    for unit in file.units:
        number = index.get((unit.msgctxt, unit.msgid))
        if number is None:
            refused.append(PipelineError(
                f"the English of this unit is no longer in {label} (it changed since the "
                f"export): {unit.msgid!r}; its translation was not merged: export again",
                path, unit.line))
            continue
        old = entries[number]
        entries[number], outcome = _merged(old, unit)
        counts[outcome] += 1
        if old.msgstr and old.msgstr != entries[number].msgstr:
            replaced.append(old)
    return replace(catalog, entries=tuple(entries)), replaced, refused


def import_file(settings: Settings, path: Path) -> Imported:
    """Merge a translated XLIFF into the catalogs it came from. A malformed or unsafe file, or
    one whose files name no catalog, is refused before anything is written; units whose English
    left their catalog are refused and listed, the rest merged. A translation replaced goes to
    memory/<lang>.tmx first."""
    files = xliff.parse(read_bounded(path, EXCHANGE), path)
    if not any(file.units for file in files):
        raise PipelineError("the XLIFF has no <trans-unit>: nothing to import", path)
    where = _resolve(settings, files, path)
    _duplicates(files, where, path)
    catalogs: dict[Path, Catalog] = {}
    read = {catalog for _, catalog in where.values()}
    problems = []
    for catalog_path in sorted(read):
        try:
            catalogs[catalog_path] = history.read_catalog(catalog_path)
        except PipelineError as error:
            problems.append(error)
    raise_all(problems)
    counts = dict.fromkeys(("current", "review", "unchanged", "empty"), 0)
    kept: dict[str, list[MemoryUnit]] = {}
    refused: list[PipelineError] = []
    for number, file in enumerate(files):
        language, catalog_path = where[number]
        label = archive.source_name(catalog_path, settings)
        catalogs[catalog_path], replaced, lost = _merge_file(catalogs[catalog_path], file, label,
                                                             path, counts)
        refused += lost
        kept.setdefault(language, []).extend(catalog_units(
            Catalog((), (), tuple(replaced)), language, f"archive:{catalog_path.stem}",
            leaving=True))
    written = _write(settings, kept, catalogs)
    return Imported(counts["current"], counts["review"], counts["unchanged"], counts["empty"],
                    sum(len(units) for units in kept.values()), tuple(refused), written)


def _write(settings: Settings, kept: dict[str, list[MemoryUnit]],
           catalogs: dict[Path, Catalog]) -> tuple[Path, ...]:
    """Stage the memory files, then the catalogs, and commit them together (memory first, so
    that a replaced translation is never only in the old catalog)."""
    staged: list[Staged] = []
    try:
        for language, units in sorted(kept.items()):
            if units:
                item = stage(archive.memory_file(settings, language),
                             archive.kept(settings, language, units))
                staged += [item] if item else []
        for catalog_path, catalog in sorted(catalogs.items()):
            item = stage(catalog_path, pofile.render(catalog))
            staged += [item] if item else []
    except BaseException:
        discard(staged)
        raise
    commit(staged)
    return tuple(target for _, target in staged)

