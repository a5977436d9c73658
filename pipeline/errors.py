"""One exception family for every expected failure; str() reads as `path:line:column: message`."""

from __future__ import annotations

import errno
from collections.abc import Iterable
from pathlib import Path
from typing import Any


class PipelineError(Exception):
    """A problem the user can fix: it names the file, the line where known, and what to do."""

    def __init__(
        self,
        message: str,
        path: Path | str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.column = column

    def __reduce__(self) -> tuple[type[PipelineError], tuple[Any, ...]]:
        # Kept whole when a worker process of a parallel build sends it back.
        return (PipelineError, (self.message, self.path, self.line, self.column))

    def __str__(self) -> str:
        where = [part for part in (self.path, self.line, self.column) if part is not None]
        prefix = ":".join(str(part) for part in where)
        return f"{prefix}: {self.message}" if prefix else self.message


class PipelineErrors(PipelineError):
    """Several problems reported at once, so that one error does not hide the others."""

    def __init__(self, errors: Iterable[PipelineError]) -> None:
        self.errors = tuple(errors)
        super().__init__("\n".join(str(error) for error in self.errors))

    def __reduce__(self) -> tuple[type[PipelineError], tuple[Any, ...]]:
        return (PipelineErrors, (self.errors,))

    def __str__(self) -> str:
        return "\n".join(str(error) for error in self.errors)


def flatten(error: PipelineError) -> tuple[PipelineError, ...]:
    """The single problems an error stands for, in order."""
    if isinstance(error, PipelineErrors):
        return tuple(single for inner in error.errors for single in flatten(inner))
    return (error,)


def system_advice(error: OSError) -> str:
    """What the system said, and what to do about it."""
    return {errno.ENOSPC: "the disk is full: free some space",
            errno.EDQUOT: "the disk quota is used up: free some space",
            errno.EACCES: "no permission: check the permissions of the file and its folder",
            errno.EPERM: "no permission: check the permissions of the file and its folder",
            errno.EROFS: "the file system is read-only",
            errno.ENOENT: "no such file or folder"}.get(error.errno or 0) or \
        str(error.strerror or error)


def shown_path(path: Path, root: Path) -> str:
    """A path as people read it: relative to the project `root` when inside it, else as given."""
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def describe(error: PipelineError, root: Path) -> str:
    """One `path:line: message` line per problem, a path under `root` written relative to it
    (as `check` writes it, and as editors and CI link it)."""
    lines = []
    for single in flatten(error):
        path = single.path
        if path is not None and Path(path).is_absolute():
            path = shown_path(Path(path), root)
        lines.append(str(PipelineError(single.message, path, single.line, single.column)))
    return "\n".join(lines)


def raise_all(errors: list[PipelineError]) -> None:
    """Raise nothing, the one error, or all of them together, each problem once (pages that
    share a faulty catalog all report it)."""
    errors = list({str(single): single for error in errors for single in flatten(error)}.values())
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise PipelineErrors(errors)
