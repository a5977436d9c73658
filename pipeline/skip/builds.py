"""What a build may skip: digests of its inputs, what the last build made of every page, and so
which page versions this one must build again."""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pipeline.build.assemble import Listing, SiteText, Withheld
from pipeline.config import Settings
from pipeline.languages import bcp47
from pipeline.po import history
from pipeline.qa import glossary
from pipeline.runtime.fsio import checked_inputs
from pipeline.skip.store import VERSION, Unfit, code_files, decoder, digest, load, store
from pipeline.source import load as source
from pipeline.source import segment

STATE_FILE = "build-state.json"
LISTINGS_FILE = "build-listings.json"

Sizes = Mapping[str, tuple[int, int]]  # size and modification time, by path under outputs/


@dataclass(frozen=True)
class Stamp:
    """An input file as the last build saw it."""

    size: int
    mtime_ns: int
    digest: str


@dataclass(frozen=True)
class PageRecord:
    """What the last build made of one page file."""

    slug: str
    keys: Mapping[str, str]  # language -> digest of every input its version read


@dataclass(frozen=True)
class BuildState:
    taken_ns: int = 0  # when the inputs were stamped
    stamps: Mapping[str, Stamp] = field(default_factory=dict)  # every input, by path
    pages: Mapping[str, PageRecord] = field(default_factory=dict)  # by page file
    outputs: Sizes = field(default_factory=dict)
    # the files of outputs/ the build made: the only ones a later build may delete
    owned: frozenset[str] = frozenset()
    withheld: tuple[Withheld, ...] = ()  # what the build did not publish, for a build after it
    folder: str = ""  # the outputs folder (its real path) whose files `owned` names


@dataclass(frozen=True)
class Listings:
    """How the last build listed every page in every language, and each language's site
    strings: what index pages and the manifest are made of. They are kept apart from the state
    because a build with nothing to do does not read them."""

    taken_ns: int  # that of the state they belong with
    pages: Mapping[str, Mapping[str, Listing]]  # page file -> language -> listing
    strings: Mapping[str, SiteText]  # by language


Keys = Callable[[str, str], dict[str, str]]  # (page file, slug) -> language -> digest


@dataclass(frozen=True)
class Plan:
    """What a build must do, from its inputs as they are and the last build's state: the page
    versions to build again (by page file), and how the last build listed every page (None
    when it must start clean)."""

    previous: BuildState
    stamps: Mapping[str, Stamp]
    taken_ns: int
    read: int  # how many inputs were read to be stamped
    found: Sizes  # outputs/ before the build
    paths: tuple[str, ...]  # every page file
    redo: Mapping[str, tuple[str, ...]]  # page file -> languages to build again
    listed: Listings
    keys: Keys
    nothing_to_do: bool  # no version to build, outputs/ as the last build left it


def plan(settings: Settings, languages: tuple[str, ...]) -> Plan:
    """What a build of the pages in `languages` must do again since the last build."""
    paths = tuple(str(path) for path in source.page_files(settings.source_dir))  # checked first
    previous = load_state(settings.cache_dir)
    if previous.folder != outputs_folder(settings):  # a state of other outputs owns none here
        previous = BuildState()
    stamps, taken, read = stamp(inputs(settings), previous)
    keys = _key_maker(settings, stamps, languages)
    if _same_inputs(stamps, read, previous):  # each page's keys are those last recorded
        keys = _recorded_keys(previous, keys)
    found = outputs(settings.outputs_dir)
    redo = {path: redone for path in paths
            if (redone := _redo(previous, found, keys, path, languages))}
    idle = not redo and found == previous.outputs and set(previous.pages) == set(paths)
    listed = None if idle else load_listings(settings.cache_dir, previous)
    if listed is None and not idle:  # a clean build
        redo = dict.fromkeys(paths, languages)
    return Plan(previous, stamps, taken, read, found, paths, redo,
                listed or Listings(0, {}, {}), keys, idle)


def _same_inputs(stamps: Mapping[str, Stamp], read: int, previous: BuildState) -> bool:
    """Whether every input is as the last build stamped it (no file needed reading, and none
    came or went): then its keys need no digests, a third of a no-op build's time."""
    return read == 0 and stamps.keys() == previous.stamps.keys()


def _recorded_keys(previous: BuildState, keys: Keys) -> Keys:
    """A page file's keys as the last build recorded them; `keys` for a file it did not see."""
    def recorded(path: str, slug: str) -> dict[str, str]:
        record = previous.pages.get(path)
        return dict(record.keys) if record is not None and record.slug == slug \
            else keys(path, slug)
    return recorded


def outputs_folder(settings: Settings) -> str:
    """The outputs folder as a build's state names it: its real path."""
    return os.path.realpath(settings.outputs_dir)


def inputs(settings: Settings) -> list[str]:
    """Everything a build reads: source, catalogs and their history records, glossaries,
    settings, and the pipeline."""
    return sorted([*_files(settings.source_dir, (".yaml",)),
                   *_files(settings.locales_dir, (".po", history.SUFFIX)),
                   *_files(settings.root / glossary.FOLDER, (".yaml",)),
                   *_files(settings.root, ("pyproject.toml",), recurse=False), *code_files()])


def _files(folder: Path, suffixes: tuple[str, ...], recurse: bool = True) -> list[str]:
    found = []
    for parent, folders, names in os.walk(folder):
        found += [os.path.join(parent, name) for name in names if name.endswith(suffixes)]
        if not recurse:
            folders.clear()
    return found


def stamp(paths: list[str], previous: BuildState) -> tuple[dict[str, Stamp], int, int]:
    """Every file's size, time and digest, the time they were taken, and how many were read;
    each file checked first to be a regular file within its kind's limit.

    A file whose size and modification time are those of the last build keeps its digest
    without being read, unless it was modified no earlier than the last build took its stamps:
    a file written in the same clock tick as that could have changed unseen (git's "racily
    clean" entries), so it is read again.
    """
    taken = time.time_ns()
    stamps, read = {}, 0
    for path, status in checked_inputs(paths).items():
        old = previous.stamps.get(path)
        if old is not None and (old.size, old.mtime_ns) == (status.st_size, status.st_mtime_ns) \
                and status.st_mtime_ns < previous.taken_ns:
            stamps[path] = old
            continue
        with open(path, "rb") as stream:
            stamps[path] = Stamp(status.st_size, status.st_mtime_ns, digest(stream.read()))
        read += 1
    return stamps, taken, read


def key(stamps: Mapping[str, Stamp], paths: Iterable[str], *extra: str) -> str:
    """One digest of some inputs (a missing file counts as such) and some other values."""
    return digest(*extra, *(f"{path}={seen.digest if (seen := stamps.get(path)) else '-'}"
                            for path in paths))


def _key_maker(settings: Settings, stamps: Mapping[str, Stamp],
               languages: tuple[str, ...]) -> Keys:
    """Per language, the digest of everything a page's version in it reads: the page, its
    catalog, the site catalog and glossary of the language (each catalog with its history
    record), and what all pages share."""
    shared = key(stamps, [*code_files(), str(settings.root / "pyproject.toml"),
                          str(settings.source_dir / source.SITE_FILE)], VERSION)
    bases = {language: key(stamps, [
        *_with_record(settings.catalog_path(language, segment.SITE_DOMAIN)),
        str(glossary.path_of(settings.root, language))] if language in settings.languages
        else [], shared, language) for language in languages}

    def keys(path: str, slug: str) -> dict[str, str]:  # for every page on every build: strings
        found = {}
        for language, base in bases.items():
            if language in settings.languages:
                catalog = settings.catalog_file(language, slug)
                found[language] = key(stamps, [path, catalog, history.record_name(catalog)], base)
            else:
                found[language] = key(stamps, [path], base)
        return found

    return keys


def _with_record(catalog: Path) -> tuple[str, str]:
    return str(catalog), history.record_name(str(catalog))


def _redo(previous: BuildState, found: Sizes, keys: Keys, path: str,
          languages: tuple[str, ...]) -> tuple[str, ...]:
    """The languages to build a page file in again: all if the last build did not see it, else
    those whose inputs changed or whose files are not as the last build left them."""
    record = previous.pages.get(path)
    if record is None:
        return languages
    now = keys(path, record.slug)

    def touched(language: str) -> bool:
        names = (f"{bcp47(language)}/{record.slug}{suffix}" for suffix in (".html", ".json"))
        return any(found.get(name) != previous.outputs.get(name) for name in names)

    return tuple(language for language in languages
                 if now[language] != record.keys.get(language) or touched(language))


def records(plan: Plan, redone: Mapping[str, str]) -> dict[str, PageRecord]:
    """What this build made of every page file: the slugs of the pages built again (by file),
    the last build's records of the others."""
    return {path: PageRecord(slug, plan.keys(path, slug)) if (slug := redone.get(path))
            else plan.previous.pages[path] for path in plan.paths}


def outputs(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under `folder`: size and modification time, by path relative to it."""
    found = {}
    start = len(str(folder)) + 1
    for parent, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(parent, name)
            try:
                status = os.stat(path)
            except FileNotFoundError:  # a broken link is not a file of the build's
                continue
            if stat.S_ISREG(status.st_mode):
                found[path[start:]] = (status.st_size, status.st_mtime_ns)
    return found


def outputs_after(found: Sizes, folder: Path, written: Iterable[Path],
                  removed: Iterable[Path]) -> dict[str, tuple[int, int]]:
    """`found` (what `outputs` said before a build) with what the build wrote and removed."""
    after = dict(found)
    start = len(str(folder)) + 1  # written and removed files are all under folder (as outputs)
    for path in written:
        name = str(path)
        status = os.stat(name)
        after[name[start:]] = (status.st_size, status.st_mtime_ns)
    for path in removed:
        after.pop(str(path)[start:], None)
    return after


def keep_state(cache_dir: Path, state: BuildState, listings: Listings) -> None:
    """Keep a build's state and listings, the listings first (they go with that state)."""
    store(cache_dir / LISTINGS_FILE, replace(listings, taken_ns=state.taken_ns))
    store(cache_dir / STATE_FILE, _state_data(state))


def keep_stamps(cache_dir: Path, plan: Plan) -> None:
    """After a build with nothing to do that had to read files: the last state with the new
    stamps (the digests are those of the last build)."""
    listings = load_listings(cache_dir, plan.previous) if plan.read else None
    if listings is not None:
        keep_state(cache_dir, replace(plan.previous, taken_ns=plan.taken_ns, stamps=plan.stamps),
                   listings)


def load_state(cache_dir: Path) -> BuildState:
    """The last build's state, or an empty one (a clean build) when there is none to trust."""
    data = load(cache_dir / STATE_FILE, dict[str, Any])
    try:
        return _state(data) if data is not None else BuildState()
    except (Unfit, LookupError, TypeError, ValueError):
        return BuildState()


def load_listings(cache_dir: Path, state: BuildState) -> Listings | None:
    """The listings that go with the state, if they are there."""
    listings: Listings | None = load(cache_dir / LISTINGS_FILE, Listings)
    if listings is not None and state.taken_ns and listings.taken_ns == state.taken_ns:
        return listings
    return None


def _state_data(state: BuildState) -> dict[str, object]:
    """The state as compact JSON data: a no-op build reads nothing else."""
    return {"taken_ns": state.taken_ns,
            "stamps": {path: [item.size, item.mtime_ns, item.digest]
                       for path, item in state.stamps.items()},
            "pages": {path: [record.slug, dict(record.keys)]
                      for path, record in state.pages.items()},
            "outputs": state.outputs, "owned": sorted(state.owned), "withheld": state.withheld,
            "folder": state.folder}


def _state(data: Mapping[str, Any]) -> BuildState:
    """The state from its JSON data, each part checked."""
    stamps, pages, sizes = data["stamps"], data["pages"], data["outputs"]
    if not (type(stamps) is dict and type(pages) is dict and type(sizes) is dict
            and all(type(item) is list and len(item) == 3 and type(item[0]) is int
                    and type(item[1]) is int and type(item[2]) is str
                    for item in stamps.values())
            and all(type(item) is list and len(item) == 2 and type(item[0]) is int
                    and type(item[1]) is int for item in sizes.values())
            and all(type(item) is list and len(item) == 2 and type(item[0]) is str
                    and type(item[1]) is dict
                    and all(type(value) is str for value in item[1].values())
                    for item in pages.values())):
        raise Unfit("a build state")
    taken, owned, folder = data["taken_ns"], data["owned"], data["folder"]
    if type(taken) is not int or type(owned) is not list or type(folder) is not str or \
            not all(type(name) is str for name in owned):
        raise Unfit("a build state")
    return BuildState(taken, {path: Stamp(*item) for path, item in stamps.items()},
                      {path: PageRecord(*item) for path, item in pages.items()},
                      {path: (item[0], item[1]) for path, item in sizes.items()},
                      frozenset(owned), _withheld(data["withheld"]), folder)


def _withheld(data: object) -> tuple[Withheld, ...]:
    found: tuple[Withheld, ...] = decoder(tuple[Withheld, ...])(data)
    return found


def taken_versions(plan: Plan, languages: Sequence[str]) -> dict[str, dict[str, Listing]]:
    """By page file to build again, how the last build listed it in each language."""
    return {path: {language: version for language, version
                   in plan.listed.pages.get(path, {}).items() if language in languages}
            for path in plan.redo}
