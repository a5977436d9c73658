"""What a build may skip: digests of its inputs, and what the last build made of every page."""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pipeline
from pipeline.assemble import Listing, SiteText
from pipeline.config import Settings
from pipeline.fsio import write_if_changed

STATE_FILE = "build-state.pickle"
CODE = Path(pipeline.__file__).resolve().parent
CODE_SUFFIXES = (".py", ".j2", ".css", ".json", ".svg")
FORMAT = f"1:{pipeline.__version__}"  # a state written by another version is not read


@dataclass(frozen=True)
class Stamp:
    """An input file as the last build saw it."""

    size: int
    mtime_ns: int
    digest: str


@dataclass(frozen=True)
class PageRecord:
    """What the last build made of one page file, in every language."""

    slug: str
    keys: Mapping[str, str]  # language -> digest of every input its version read
    listings: Mapping[str, Listing]  # language -> what the site's other files need of it


@dataclass(frozen=True)
class BuildState:
    format: str = FORMAT
    taken_ns: int = 0  # when the inputs were stamped
    stamps: Mapping[str, Stamp] = field(default_factory=dict)  # every input, by path
    pages: Mapping[str, PageRecord] = field(default_factory=dict)  # by page file
    strings: Mapping[str, SiteText] = field(default_factory=dict)  # by language
    outputs: Mapping[str, tuple[int, int]] = field(default_factory=dict)  # size, mtime


def inputs(settings: Settings) -> list[Path]:
    """Everything a build reads: source, catalogs, glossaries, settings, and the pipeline."""
    found = [*settings.source_dir.rglob("*.yaml"), *settings.locales_dir.rglob("*.po"),
             *(settings.root / "glossary").rglob("*.yaml"), settings.root / "pyproject.toml",
             *code_files()]
    return sorted(path for path in found if path.is_file())


def code_files() -> list[Path]:
    return sorted(path for path in CODE.rglob("*") if path.suffix in CODE_SUFFIXES)


def stamp(paths: Iterable[Path], previous: BuildState) -> tuple[dict[str, Stamp], int, int]:
    """Every file's size, time and digest, the time they were taken, and how many were read.

    A file whose size and modification time are those of the last build keeps its digest
    without being read, unless it was modified no earlier than the last build took its stamps:
    a file written in the same clock tick as that could have changed unseen (git's "racily
    clean" entries), so it is read again.
    """
    taken = time.time_ns()
    stamps, read = {}, 0
    for path in paths:
        status = path.stat()
        old = previous.stamps.get(str(path))
        if old is not None and (old.size, old.mtime_ns) == (status.st_size, status.st_mtime_ns) \
                and status.st_mtime_ns < previous.taken_ns:
            stamps[str(path)] = old
            continue
        digest = hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
        stamps[str(path)] = Stamp(status.st_size, status.st_mtime_ns, digest)
        read += 1
    return stamps, taken, read


def key(stamps: Mapping[str, Stamp], paths: Iterable[Path], *extra: str) -> str:
    """One digest of some inputs (a missing file counts as such) and some other values."""
    parts = [*extra, *(f"{path}={seen.digest if (seen := stamps.get(str(path))) else '-'}"
                       for path in paths)]
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=16).hexdigest()


def outputs(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under `folder`: size and modification time, by path relative to it."""
    found = {}
    for parent, _, names in os.walk(folder):
        relative = Path(parent).relative_to(folder)
        for name in names:
            status = os.stat(os.path.join(parent, name))
            if stat.S_ISREG(status.st_mode):
                found[(relative / name).as_posix()] = (status.st_size, status.st_mtime_ns)
    return found


def _state_path(settings: Settings) -> Path:
    return settings.cache_dir / STATE_FILE


def load(settings: Settings) -> BuildState:
    """The last build's state, or an empty one (a clean build) when there is none to trust.

    The state is a pickle in .cache/, which only this project's builds write.
    """
    try:
        state = pickle.loads(_state_path(settings).read_bytes())
    except Exception:  # any unreadable state only means a clean build
        return BuildState()
    return state if isinstance(state, BuildState) and state.format == FORMAT else BuildState()


def save(settings: Settings, state: BuildState) -> None:
    write_if_changed(_state_path(settings), pickle.dumps(state, pickle.HIGHEST_PROTOCOL))
