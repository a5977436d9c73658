"""Results kept between runs under a digest of what they were made from: the sentences of a
page's prose (pysbd is slow), each page's template, and which translations of a catalog fail a
check."""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from collections.abc import Collection
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipeline.errors import PipelineError
from pipeline.model import Page, Text
from pipeline.runtime.fsio import write_if_changed
from pipeline.source import segment

SENTENCES = "sentences"  # .cache/sentences/<key>.pickle: text -> its sentences, for one page
CHECKS = "checks.pickle"  # .cache/checks.pickle: key -> {msgid: failed check}, by catalog
TEMPLATES = "templates.pickle"  # .cache/templates.pickle: key -> a page's template
SUFFIX = ".pickle"
CODE = Path(__file__).resolve().parent


def digest(*parts: str | bytes) -> str:
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        hasher.update(part.encode() if isinstance(part, str) else part)
        hasher.update(b"\0")
    return hasher.hexdigest()


@lru_cache(maxsize=1)
def code_version() -> str:
    """The pipeline's Python code: a result kept by another version of it is not used."""
    return digest(*(path.read_bytes() for path in sorted(CODE.rglob("*.py"))),
                  *(path.read_bytes() for path in sorted(CODE.rglob("data/*.json"))))


def sentences_key(page_digest: str) -> str:
    """Where the sentences of a page file (by the digest of its bytes) are kept."""
    return digest(segment.segmenter_version(), page_digest)


def template_key(granularity: str, root: Path, path: Path, page_digest: str) -> str:
    """Where the template of a page file (by the digest of its bytes) is kept."""
    return digest(code_version(), segment.segmenter_version(), granularity, str(root), str(path),
                  page_digest)


def bytes_digest(data: bytes) -> str:
    """The digest of a file's bytes, as build stamps take it."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def load(path: Path) -> Any:
    """What was kept in `path`, or None: a missing or unreadable entry is only a miss.

    Entries are pickles in .cache/, which only this project's runs write.
    """
    try:
        return pickle.loads(path.read_bytes())
    except Exception:
        return None


def store(path: Path, value: object) -> None:
    """Keep `value` in `path`, atomically (a reader sees the whole entry or none)."""
    with contextlib.suppress(PipelineError, OSError):  # a cache that cannot be written
        write_if_changed(path, pickle.dumps(value, pickle.HIGHEST_PROTOCOL))  # costs only time


def entry(folder: Path, key: str) -> Path:
    """Where the entry under `key` is kept in a folder of entries."""
    return folder / f"{key}{SUFFIX}"


def load_table(path: Path) -> dict[Any, Any]:
    """A table of results by key kept in one file (empty if there is none, or unreadable)."""
    table = load(path)
    return table if isinstance(table, dict) else {}


def prune(folder: Path, keep: Collection[str]) -> None:
    """Delete the entries not under one of the `keep` keys, and what killed runs left."""
    try:
        names = os.listdir(folder)
    except OSError:  # none kept, or no folder to keep them in
        return
    kept = {f"{key}{SUFFIX}" for key in keep}
    for name in names:
        if name not in kept:
            (folder / name).unlink(missing_ok=True)


def segment_page(folder: Path, key: str, page: Page[Text]) -> None:
    """Split the page's prose into sentences from what an earlier run kept under `key`, or
    with pysbd, then keep them for the next (a page whose prose pysbd need not split keeps
    nothing: splitting it again costs less than a file)."""
    known = load(entry(folder, key))
    if isinstance(known, dict):
        segment.remember(known)
    elif splits := segment.prose_sentences(page):
        store(entry(folder, key), splits)
