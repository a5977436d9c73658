"""What a build may skip: digests of its inputs, and what the last build made of every page."""

from __future__ import annotations

import os
import pickle
import stat
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pipeline
from pipeline.build.assemble import Listing, SiteText, Withheld
from pipeline.cache import bytes_digest, digest
from pipeline.config import Settings
from pipeline.po import history
from pipeline.qa import glossary
from pipeline.runtime.fsio import write_if_changed

STATE_FILE = "build-state.pickle"
LISTINGS_FILE = "build-listings.pickle"
CODE = Path(pipeline.__file__).resolve().parent
CODE_SUFFIXES = (".py", ".j2", ".css", ".json", ".svg")
FORMAT = f"2:{pipeline.__version__}"  # a state written by another version is not read


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
    format: str = FORMAT
    taken_ns: int = 0  # when the inputs were stamped
    stamps: Mapping[str, Stamp] = field(default_factory=dict)  # every input, by path
    pages: Mapping[str, PageRecord] = field(default_factory=dict)  # by page file
    outputs: Mapping[str, tuple[int, int]] = field(default_factory=dict)  # size, mtime
    # the files of outputs/ the build made: the only ones a later build may delete
    owned: frozenset[str] = frozenset()
    withheld: tuple[Withheld, ...] = ()  # what the build did not publish, for a build after it


@dataclass(frozen=True)
class Listings:
    """How the last build listed every page in every language, and each language's site
    strings: what index pages and the manifest are made of. They are kept apart from the state
    because a build with nothing to do does not read them."""

    taken_ns: int  # that of the state they belong with
    pages: Mapping[str, Mapping[str, Listing]]  # page file -> language -> listing
    strings: Mapping[str, SiteText]  # by language


def inputs(settings: Settings) -> list[str]:
    """Everything a build reads: source, catalogs and their history records, glossaries,
    settings, and the pipeline."""
    return sorted([*_files(settings.source_dir, (".yaml",)),
                   *_files(settings.locales_dir, (".po", history.SUFFIX)),
                   *_files(settings.root / glossary.FOLDER, (".yaml",)),
                   *_files(settings.root, ("pyproject.toml",), recurse=False), *code_files()])


def code_files() -> list[str]:
    return _files(CODE, CODE_SUFFIXES)


def _files(folder: Path, suffixes: tuple[str, ...], recurse: bool = True) -> list[str]:
    found = []
    for parent, folders, names in os.walk(folder):
        found += [os.path.join(parent, name) for name in names if name.endswith(suffixes)]
        if not recurse:
            folders.clear()
    return found


def stamp(paths: Iterable[str], previous: BuildState) -> tuple[dict[str, Stamp], int, int]:
    """Every file's size, time and digest, the time they were taken, and how many were read.

    A file whose size and modification time are those of the last build keeps its digest
    without being read, unless it was modified no earlier than the last build took its stamps:
    a file written in the same clock tick as that could have changed unseen (git's "racily
    clean" entries), so it is read again.
    """
    taken = time.time_ns()
    stamps, read = {}, 0
    for path in paths:
        status = os.stat(path)
        old = previous.stamps.get(path)
        if old is not None and (old.size, old.mtime_ns) == (status.st_size, status.st_mtime_ns) \
                and status.st_mtime_ns < previous.taken_ns:
            stamps[path] = old
            continue
        with open(path, "rb") as stream:
            stamps[path] = Stamp(status.st_size, status.st_mtime_ns, bytes_digest(stream.read()))
        read += 1
    return stamps, taken, read


def key(stamps: Mapping[str, Stamp], paths: Iterable[str], *extra: str) -> str:
    """One digest of some inputs (a missing file counts as such) and some other values."""
    return digest(*extra, *(f"{path}={seen.digest if (seen := stamps.get(path)) else '-'}"
                            for path in paths))


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


def outputs_after(found: Mapping[str, tuple[int, int]], folder: Path, written: Iterable[Path],
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


def _state_path(settings: Settings) -> Path:
    return settings.cache_dir / STATE_FILE


def _listings_path(settings: Settings) -> Path:
    return settings.cache_dir / LISTINGS_FILE


def _unpickle(path: Path) -> object:
    try:
        return pickle.loads(path.read_bytes())
    except Exception:  # any unreadable state only means a clean build
        return None


def load(settings: Settings) -> BuildState:
    """The last build's state, or an empty one (a clean build) when there is none to trust.

    The state is a pickle in .cache/, which only this project's builds write.
    """
    state = _unpickle(_state_path(settings))
    return state if isinstance(state, BuildState) and state.format == FORMAT else BuildState()


def load_listings(settings: Settings, state: BuildState) -> Listings | None:
    """The listings that go with the state, if they are there."""
    listings = _unpickle(_listings_path(settings))
    if isinstance(listings, Listings) and state.taken_ns and listings.taken_ns == state.taken_ns:
        return listings
    return None


def save(settings: Settings, state: BuildState, listings: Listings) -> None:
    write_if_changed(_listings_path(settings), pickle.dumps(listings, pickle.HIGHEST_PROTOCOL))
    write_if_changed(_state_path(settings), pickle.dumps(state, pickle.HIGHEST_PROTOCOL))
