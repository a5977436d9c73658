"""One exception family for every expected failure; str() reads as `path:line:column: message`."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


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

    def __str__(self) -> str:
        where = [part for part in (self.path, self.line, self.column) if part is not None]
        prefix = ":".join(str(part) for part in where)
        return f"{prefix}: {self.message}" if prefix else self.message


class PipelineErrors(PipelineError):
    """Several problems reported at once, so that one error does not hide the others."""

    def __init__(self, errors: Iterable[PipelineError]) -> None:
        self.errors = tuple(errors)
        super().__init__("\n".join(str(error) for error in self.errors))

    def __str__(self) -> str:
        return "\n".join(str(error) for error in self.errors)


def raise_all(errors: list[PipelineError]) -> None:
    """Raise nothing, the one error, or all of them together."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise PipelineErrors(errors)
