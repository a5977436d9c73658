"""File-system edge: atomic, change-only writes confined to a root folder; the project lock."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import stat
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import PipelineError, raise_all, system_advice

# A write in progress; one left by a run that was killed is removed by the next run's lock.
TEMPORARY_SUFFIX = ".pipeline-tmp"


@dataclass(frozen=True)
class FileKind:
    """A kind of file the pipeline reads: how messages name it, and the largest it may be."""

    name: str  # with its article: "a page"
    plain: str  # what it is when it is right: ".yaml"
    limit: int  # bytes
    advice: str = "check what it holds"


MIB = 1 << 20
PAGE = FileKind("a page", ".yaml", MIB, "split it or check what it holds")  # a page is ~20 KB
SITE_STRINGS = FileKind("the site strings file", ".yaml", MIB)
SETTINGS = FileKind("pyproject.toml", ".toml", MIB)
GLOSSARY = FileKind("a glossary", ".yaml", 16 * MIB)
CATALOG = FileKind("a catalog", ".po", 64 * MIB)  # a page's catalog is ~50 KB
MEMORY = FileKind("a memory file", ".tmx", 512 * MIB, "split it in its tool")
# What other tools send: a whole translation memory may be large.
EXCHANGE = FileKind("an exchange file", ".tmx, .xlf, .tbx or .csv", 512 * MIB,
                    "split it in its tool")
HISTORY = FileKind("a history record", ".history.json", 4 * MIB,  # a fact is ~300 bytes
                   "restore it from git, or delete it and run `update` (it is rewritten from "
                   "the catalog)")
CACHE = FileKind("a cache file", ".json", 1 << 30)  # read as a miss when it is not one


def _new_file_mode() -> int:
    """What open() would give a new file: mkstemp's 0600 would hide outputs from web servers."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


NEW_FILE_MODE = _new_file_mode()


def write_if_changed(path: Path, data: bytes) -> bool:
    """Atomically replace `path` with `data` unless it holds exactly that; True if written.

    Whoever reads the file, and whenever the run is killed, sees the old bytes or the new ones:
    the data goes to a temporary file beside it, reaches the disk, and is renamed over it.
    """
    staged = stage(path, data)
    if staged is not None:
        commit([staged])
    return staged is not None


Staged = tuple[Path, Path]  # a temporary file holding new bytes, and the file it replaces


def write_or_compare(path: Path, data: bytes, write: bool) -> bool:
    """Write the file if its bytes change; with write=False only say whether they would."""
    if write:
        return write_if_changed(path, data)
    return not holds(path, data)


def holds(path: Path, data: bytes) -> bool:
    """Whether `path` is a regular file (or a link to one) holding exactly `data`; a FIFO, a
    device or a file of another size is not read."""
    return _current(path, data)[0]


def _current(path: Path, data: bytes) -> tuple[bool, int | None]:
    """Whether the file at `path` holds exactly `data`, and its permissions (None when there
    is no regular file there, which a write replaces)."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return False, None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            return False, None
        if status.st_size != len(data):
            return False, status.st_mode & 0o777
        chunks, size = [], 0
        while size <= len(data) and (chunk := os.read(descriptor, len(data) + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks) == data, status.st_mode & 0o777
    except OSError:
        return False, None
    finally:
        os.close(descriptor)


@dataclass(frozen=True)
class Written:
    """A file a verb produced, and whether its bytes changed."""

    path: Path
    changed: bool


def stage(path: Path, data: bytes) -> Staged | None:
    """Put `data` in a file beside `path`, ready to replace it; None when it holds exactly that.

    Staged files are committed together once a whole run has succeeded, or discarded.
    """
    same, mode = _current(path, data)
    if same:
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMPORARY_SUFFIX,
                                             dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                os.fchmod(stream.fileno(), NEW_FILE_MODE if mode is None else mode)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise _unwritable(error, path) from None
    return Path(temporary), path


@contextmanager
def flushing(every: float = 1.0) -> Iterator[None]:
    """Write dirty file data to the disk every `every` seconds while the block runs, so that
    the sync before the renames of a large commit finds little left to write."""
    done = threading.Event()

    def flush() -> None:
        while not done.wait(every):
            os.sync()

    flusher = threading.Thread(target=flush, name="flushing", daemon=True)
    flusher.start()
    try:
        yield
    finally:
        done.set()
        flusher.join()


def commit(staged: Iterable[Staged]) -> None:
    """Bring staged files to the disk, then rename each over the file it replaces, atomically;
    all or none: when one rename fails, the files already replaced get their old bytes back
    and no temporary file is left."""
    files = list(staged)
    if len(files) == 1:
        descriptor = os.open(files[0][0], os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
    elif files:
        os.sync()  # one flush for all: a build can stage thousands of files
    done: list[tuple[Path, Path | None]] = []  # replaced files, with their old bytes' link
    current = None
    try:
        for temporary, current in files:
            old = _keep_old(current)
            done.append((current, old))
            os.replace(temporary, current)
    except BaseException as error:
        for path, old in reversed(done):
            _restore(path, old)
        discard(files)
        if isinstance(error, OSError) and current is not None:
            raise _unwritable(error, current) from None
        raise
    for _, old in done:
        if old is not None:
            old.unlink(missing_ok=True)


def _keep_old(path: Path) -> Path | None:
    """A second name for the file's old bytes (a hard link: nothing copied), or None when
    there is no such file."""
    keep = path.with_name(f".{path.name}.old{TEMPORARY_SUFFIX}")
    keep.unlink(missing_ok=True)
    try:
        os.link(path, keep)
    except FileNotFoundError:
        return None
    except OSError:  # a file system without hard links
        shutil.copy2(path, keep)
    return keep


def _restore(path: Path, old: Path | None) -> None:
    if old is None:
        path.unlink(missing_ok=True)
    else:
        os.replace(old, path)


def discard(staged: Iterable[Staged]) -> None:
    for temporary, _ in staged:
        temporary.unlink(missing_ok=True)


def _unwritable(error: OSError, path: Path) -> PipelineError:
    """The error of a write, about the file meant (never a temporary one), with what to do."""
    return PipelineError(f"cannot write: {system_advice(error)}", path)


def inside(root: Path, *parts: str) -> Path:
    """`root / parts`, refusing any part that would leave `root` (`..`, absolute, NUL, too long)."""
    for part in parts:
        if (
            not part
            or "\0" in part
            or "/" in part
            or "\\" in part
            or part in {".", ".."}
            or len(part.encode()) > 200
        ):
            raise PipelineError(
                f"refusing to write {part!r}: a file name must be one plain path component",
                root,
            )
    target = root.joinpath(*parts)
    base = real = os.path.realpath(root)
    for part in parts:  # where realpath(target) leads, reading only the links among the parts
        real = os.path.join(real, part)
        if os.path.islink(real):
            real = os.path.realpath(real)
    if real != base and not real.startswith(base.rstrip(os.sep) + os.sep):
        raise PipelineError(f"refusing to write outside this folder: {'/'.join(parts)} leads "
                            "out of it through a link; remove the link (the pipeline writes "
                            "only inside its own folders)", root)
    return target


def remove_unlisted(root: Path, present: Iterable[str], keep: set[str],
                    suffixes: tuple[str, ...]) -> list[Path]:
    """Delete the files of `present` (paths relative to `root`, found by a walk that does not
    follow links to folders, and made by the pipeline as its recorded state says) with one of
    `suffixes` that are not in `keep`; return them.

    Each deletion is atomic; a link to a file is removed, never its target.
    """
    removed = [root / name for name in sorted(present)
               if name.endswith(suffixes) and name not in keep]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def remove_temporaries(folders: Iterable[Path]) -> list[Path]:
    """Delete the temporary files that runs killed mid-write left in these folders."""
    removed = []
    for folder in folders:
        if folder.is_dir():
            for path in sorted(folder.rglob(f".*{TEMPORARY_SUFFIX}")):
                path.unlink(missing_ok=True)
                removed.append(path)
    return removed


@contextmanager
def project_lock(path: Path, folders: Iterable[Path] = ()) -> Iterator[None]:
    """Hold the project's lock while a run writes, so that two runs never interleave writes.

    The lock is an flock on `path`, which the kernel releases when the process ends, however
    it ends: a killed run leaves no stale lock. Once held, temporary files that killed runs
    left in `folders` are removed; while it is held, every temporary file there is this run's,
    so a run that ends by an error (Ctrl-C among them) removes what it staged and did not
    commit, whichever step it was at. A second run fails at once, naming the process that
    holds it.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:  # never through a link: its target would be truncated
        handle = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    except OSError as error:
        if error.errno != errno.ELOOP:
            raise
        raise PipelineError("the lock file is a symbolic link; delete it (the pipeline makes a "
                            "plain file)", path) from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(handle, 32, 0).decode("ascii", errors="replace").strip()
            raise PipelineError(
                f"another pipeline run (pid {holder or 'unknown'}) is working in this project; "
                "wait for it to finish (or stop it), then run again", path) from None
        os.ftruncate(handle, 0)
        os.pwrite(handle, f"{os.getpid()}\n".encode("ascii"), 0)
        remove_temporaries(folders)
        try:
            yield
        except BaseException:
            with contextlib.suppress(OSError):  # the error that ended the run is the one to tell
                remove_temporaries(folders)
            raise
    finally:
        os.close(handle)


def _refusal(path: Path | str, kind: FileKind, status: os.stat_result) -> PipelineError | None:
    if not stat.S_ISREG(status.st_mode):
        return PipelineError("not a regular file (a FIFO, a device or a folder); "
                             f"{kind.name} is a plain {kind.plain} file", path)
    if status.st_size > kind.limit:
        return _too_large(path, kind, status.st_size)
    return None


def _too_large(path: Path | str, kind: FileKind, size: int) -> PipelineError:
    return PipelineError(f"{size:,} bytes, more than {kind.name}'s limit of {kind.limit:,}; "
                         f"{kind.advice}", path)


def read_bounded(path: Path | str, kind: FileKind) -> bytes:
    """The bytes of a file the pipeline reads, which must be a regular file within its kind's
    limit: a FIFO would hang the run, a link to /dev/zero exhaust its memory. Opened without
    blocking and checked on the open file, so nothing can swap it between check and read."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as error:
        raise PipelineError(f"cannot read: {system_advice(error)}", path) from None
    try:
        status = os.fstat(descriptor)
        refusal = _refusal(path, kind, status)
        if refusal is not None:
            raise refusal
        chunks, size = [], 0
        while size <= kind.limit:  # the size it had, then whatever it grew by since
            chunk = os.read(descriptor, max(status.st_size + 1 - size, 1 << 16))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        data = b"".join(chunks)
    except OSError as error:
        raise PipelineError(f"cannot read: {system_advice(error)}", path) from None
    finally:
        os.close(descriptor)
    if len(data) > kind.limit:  # it grew since
        raise _too_large(path, kind, len(data))
    return data


def read_optional(path: Path | str, kind: FileKind) -> bytes | None:
    """read_bounded, or None when there is no file (nor link) at `path`."""
    return read_bounded(path, kind) if os.path.lexists(path) else None


def _kind(path: str) -> FileKind:
    """The kind of one of a build's inputs, by its name (string tests: a build asks this of
    every catalog)."""
    if path.endswith(".yaml"):
        return GLOSSARY if os.path.basename(os.path.dirname(path)) == "glossary" else \
            SITE_STRINGS if os.path.basename(path) == "site.yaml" else PAGE
    if path.endswith(HISTORY.plain):
        return HISTORY
    return CATALOG if path.endswith(".po") else SETTINGS if path.endswith(".toml") else EXCHANGE


def checked_inputs(paths: list[str]) -> dict[str, os.stat_result]:
    """Each of `paths` (a build's inputs) with its status, once each is a regular file within
    its kind's limit, as read_bounded finds it: a build fingerprints its inputs before any
    reader sees them."""
    found, problems = {}, []
    for path in paths:
        try:
            status = os.stat(path)
        except OSError as error:
            problems.append(PipelineError(f"cannot read: {system_advice(error)}", path))
            continue
        if (refusal := _refusal(path, _kind(path), status)) is not None:
            problems.append(refusal)
        found[path] = status
    raise_all(problems)
    return found
