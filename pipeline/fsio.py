"""File-system edge: atomic, change-only writes confined to a root folder."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from pipeline.errors import PipelineError


def write_if_changed(path: Path, data: bytes) -> bool:
    """Atomically replace `path` with `data` unless it holds exactly that; True if written."""
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True


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
    if not target.resolve().is_relative_to(root.resolve()):
        raise PipelineError(f"refusing to write outside {root}: {target}", root)
    return target


def remove_unlisted(root: Path, keep: set[Path], suffixes: tuple[str, ...]) -> list[Path]:
    """Delete files under `root` with one of `suffixes` that are not in `keep`; return them."""
    removed: list[Path] = []
    if not root.exists():
        return removed
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in suffixes and path not in keep:
            path.unlink()
            removed.append(path)
    return removed
