"""The memory's files: what the index reads, and the committed memory/<lang>.tmx that keeps
every translation that left the catalogs or came from another tool."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from pipeline.config import Settings
from pipeline.errors import PipelineError, shown_path
from pipeline.languages import match
from pipeline.memory import tmx
from pipeline.memory.index import (
    MemoryIndex,
    Source,
    digest,
    open_index,
)
from pipeline.memory.units import catalog_units
from pipeline.model import MemoryUnit, UnitStatus
from pipeline.po import pofile
from pipeline.po.model import Catalog
from pipeline.runtime.fsio import CATALOG, MEMORY, holds, read_bounded, write_if_changed

INDEX_FILE = "memory.sqlite"


def memory_file(settings: Settings, language: str) -> Path:
    return settings.memory_dir / f"{language}.tmx"


def source_name(path: Path, settings: Settings) -> str:
    """A file's key in the memory index (Source.path)."""
    return shown_path(path, settings.root)


def catalog_files(settings: Settings, language: str) -> list[Path]:
    return sorted((settings.locales_dir / language / "LC_MESSAGES").glob("*.po"))


def read_memory_file(settings: Settings, language: str) -> list[MemoryUnit]:
    """The committed units of one language (empty when there is no file yet)."""
    path = memory_file(settings, language)
    if not path.exists():
        return []
    return [replace(unit, language=language)
            for unit in tmx.read(path, settings.source_language, MEMORY)
            if match(unit.language, [language]) == language]


def sources(settings: Settings, unreadable_empty: bool = False) -> list[Source]:
    """Every file the memory holds: each language's catalogs and its memory file (a catalog that
    cannot be read holds no units with `unreadable_empty`, for a caller that reports it)."""
    found = []
    for language in settings.languages:
        for path in catalog_files(settings, language):
            try:
                data = read_bounded(path, CATALOG)
            except PipelineError:
                if unreadable_empty:
                    continue
                raise
            found.append(Source(source_name(path, settings), digest(data),
                                partial(_catalog_units, path, language, unreadable_empty)))
        path = memory_file(settings, language)
        if path.exists():
            found.append(Source(source_name(path, settings), digest(read_bounded(path, MEMORY)),
                                partial(read_memory_file, settings, language)))
    return found


def _catalog_units(path: Path, language: str, unreadable_empty: bool) -> list[MemoryUnit]:
    try:
        return catalog_units(pofile.read(path), language, path.stem)
    except PipelineError:
        if unreadable_empty:  # indexed again once fixed, as its digest then changes
            return []
        raise


def open_memory(settings: Settings, found: Sequence[Source] | None = None) -> MemoryIndex:
    """The memory index, refreshed from whatever changed since it was last used (from the
    `found` sources, if given)."""
    return open_index(settings.cache_dir / INDEX_FILE,
                      sources(settings) if found is None else found)


def kept(settings: Settings, language: str, units: Iterable[MemoryUnit]) -> bytes:
    """A language's committed memory file with units added (the file is not written)."""
    known = read_memory_file(settings, language)
    best: dict[tuple[object, ...], MemoryUnit] = {}  # one unit per translation, the most trusted
    for unit in sorted([*known, *units], key=_preference):
        key = (unit.source, unit.target, unit.plural, unit.forms)
        found = best.setdefault(key, unit)
        if found is not unit and not set(unit.comments) <= set(found.comments):
            # the same translation kept again with other comments: it keeps them all
            best[key] = replace(found, comments=(*found.comments, *(
                comment for comment in unit.comments if comment not in found.comments)))
    return tmx.render(best.values(), settings.source_language)


def keep(settings: Settings, language: str, units: Iterable[MemoryUnit], write: bool = True,
         ) -> bool:
    """Add units to a language's committed memory file; True if its bytes change."""
    data = kept(settings, language, units)
    path = memory_file(settings, language)
    if not write:
        return not holds(path, data)
    return write_if_changed(path, data)


def _preference(unit: MemoryUnit) -> tuple[object, ...]:
    return (list(UnitStatus).index(unit.status), unit.origin, unit.comments)


@dataclass(frozen=True)
class Imported:
    """What an import did: units kept per language, and languages of the file not configured."""

    kept: dict[str, int]
    skipped: dict[str, int]


def import_tmx(settings: Settings, path: Path, trusted: bool = False) -> Imported:
    """Read a TMX from any tool into the committed memory files, all or nothing. Its units are
    offered to translators as suggestions, never filled in as current, unless `trusted` (a
    memory the clinic has reviewed)."""
    status = UnitStatus.CURRENT if trusted else UnitStatus.UNTRUSTED
    units = [replace(unit, status=status) for unit in tmx.read(path, settings.source_language)]
    if not units:  # each unit is read from its English, whatever the file's srclang says
        raise PipelineError(f"no unit of this TMX holds both an English "
                            f"({settings.source_language}) text and a translation: export it "
                            "again with English as one of its languages", path)
    by_language: dict[str, list[MemoryUnit]] = {}
    skipped: dict[str, int] = {}
    for unit in units:
        language = match(unit.language, settings.languages)
        if language is None:
            skipped[unit.language] = skipped.get(unit.language, 0) + 1
        else:
            by_language.setdefault(language, []).append(replace(unit, language=language))
    if not by_language:
        raise PipelineError(
            f"no unit of this TMX is in a configured language ({', '.join(sorted(skipped))}); "
            "see [tool.pipeline] languages in pyproject.toml", path)
    for language, found in sorted(by_language.items()):
        keep(settings, language, found)
    return Imported({language: len(found) for language, found in sorted(by_language.items())},
                    skipped)


def export_tmx(index: MemoryIndex, settings: Settings, language: str) -> bytes:
    return tmx.render(index.units(language), settings.source_language)


def archive_catalog(settings: Settings, language: str, domain: str, catalog: Catalog,
                    write: bool) -> bool:
    """Keep every translation of a catalog that is leaving in the language's memory file."""
    units = catalog_units(catalog, language, f"archive:{domain}", leaving=True)
    return keep(settings, language, units, write)


def orphans(settings: Settings, domains: Sequence[str]) -> list[tuple[str, Path]]:
    """Catalogs of pages no longer in source/, by language."""
    return [(language, path) for language in settings.languages
            for path in catalog_files(settings, language) if path.stem not in domains]
