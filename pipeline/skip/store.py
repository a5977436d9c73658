"""Kept results on disk as JSON data, never code: one version, one digest, one loader, one store;
a file that is missing, damaged, hostile or from another version is no result at all."""

from __future__ import annotations

import contextlib
import hashlib
import os
import types
from collections.abc import Callable, Collection, Mapping
from dataclasses import fields, is_dataclass
from enum import Enum
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Union, get_args, get_origin, get_type_hints

import orjson

import pipeline
from pipeline.errors import PipelineError
from pipeline.runtime.fsio import CACHE, read_bounded, write_if_changed

VERSION = f"3:{pipeline.__version__}"  # what another version kept is not read
SUFFIX = ".json"
CODE = Path(pipeline.__file__).resolve().parent
CODE_SUFFIXES = (".py", ".j2", ".css", ".json", ".svg")

Decoder = Callable[[Any], Any]


class Unfit(ValueError):
    """Kept data that is not of the type it should be."""


def digest(*parts: str | bytes) -> str:
    """The one digest of the skip layer: of a file's bytes, or of what a result was made from."""
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        hasher.update(part.encode() if isinstance(part, str) else part)
        hasher.update(b"\0")
    return hasher.hexdigest()


def code_files() -> list[str]:
    """The pipeline's own files: its code, templates, styles and data."""
    found = []
    for parent, _, names in os.walk(CODE):
        found += [os.path.join(parent, name) for name in names if name.endswith(CODE_SUFFIXES)]
    return found


@lru_cache(maxsize=1)
def code_version() -> str:
    """The pipeline's code and data: a result kept by another version of them is not used."""
    return digest(VERSION, *(Path(path).read_bytes() for path in sorted(code_files())))


def load(path: Path, kind: Any) -> Any:
    """What was kept in `path` as a `kind` (a type such as dict[str, Template]), or None."""
    try:  # a regular file of a cache file's size: a FIFO there would hang the run
        kept = orjson.loads(read_bounded(path, CACHE))
    except (PipelineError, ValueError):  # missing, a folder, a FIFO, too large, not JSON
        return None
    if type(kept) is not dict or kept.get("version") != VERSION or "value" not in kept:
        return None
    try:
        return decoder(kind)(kept["value"])
    except (Unfit, LookupError, TypeError, ValueError):
        return None


def store(path: Path, value: object) -> None:
    """Keep `value` in `path`, atomically; a cache that cannot be written costs only time."""
    data = orjson.dumps({"version": VERSION, "value": value}, default=_plain,
                        option=orjson.OPT_SORT_KEYS)
    with contextlib.suppress(PipelineError, OSError):
        write_if_changed(path, data)


def entry(folder: Path, key: str) -> Path:
    """Where the entry under `key` is kept in a folder of entries."""
    return folder / f"{key}{SUFFIX}"


def prune(folder: Path, keep: Collection[str]) -> None:
    """Delete the entries not under one of the `keep` keys, and anything else in the folder;
    never through a link: a folder that is one is left alone, its target untouched."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:  # none kept, no folder to keep them in, or a link
        return
    try:
        kept = {f"{key}{SUFFIX}" for key in keep}
        for name in os.listdir(descriptor):
            if name not in kept:
                with contextlib.suppress(OSError):  # a folder there costs only its space
                    os.unlink(name, dir_fd=descriptor)
    finally:
        os.close(descriptor)


def _plain(value: object) -> object:
    """What orjson does not write by itself, as JSON data."""
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"cannot keep a {type(value).__name__}")


def _exactly(kind: type) -> Decoder:
    def check(value: Any) -> Any:
        if type(value) is not kind:
            raise Unfit(kind.__name__)
        return value

    return check


def _optional(inner: Decoder) -> Decoder:
    return lambda value: None if value is None else inner(value)


def _sequence(inner: Decoder, make: Callable[[Any], Any]) -> Decoder:
    def check(value: Any) -> Any:
        if type(value) is not list:
            raise Unfit("a list")
        return make(map(inner, value))

    return check


def _pair(first: Decoder, second: Decoder) -> Decoder:
    def check(value: Any) -> Any:
        if type(value) is not list or len(value) != 2:
            raise Unfit("a pair")
        return first(value[0]), second(value[1])

    return check


def _table(inner: Decoder) -> Decoder:
    def check(value: Any) -> Any:
        if type(value) is not dict:
            raise Unfit("an object")
        return {key: inner(item) for key, item in value.items()}

    return check


def _record(kind: type) -> Decoder:
    hints = get_type_hints(kind)
    parts = [(field.name, hints[field.name] if hints[field.name] in _PLAIN else None,
              decoder(hints[field.name])) for field in fields(kind)]
    size = len(parts)
    # made as unpickling makes them (their fields set at once) where no __init__ checks
    # anything: a frozen dataclass's __init__ sets one field at a time, and a build reads
    # thousands of listings
    direct = "__dict__" in dir(kind) and not hasattr(kind, "__post_init__")

    def check(value: Any) -> Any:
        if type(value) is not dict or len(value) != size:
            raise Unfit(kind.__name__)
        found = {}
        for name, plain, part in parts:
            item = value[name]
            if plain is None:
                found[name] = part(item)
            elif type(item) is plain:
                found[name] = item
            else:
                raise Unfit(f"{kind.__name__}.{name}")
        if not direct:
            return kind(**found)
        made: Any = object.__new__(kind)
        made.__dict__.update(found)
        return made

    return check


_PLAIN = (str, int, float, bool)


@cache
def decoder(kind: Any) -> Decoder:
    """A function from JSON data to a `kind`, raising Unfit (or a LookupError) when it is not
    one: dataclasses as objects of their fields, tuples and frozensets as lists, mappings with
    string keys as objects, enums as their values."""
    origin, args = get_origin(kind), get_args(kind)
    if kind is Any:  # checked by its reader
        return lambda value: value
    if kind in (str, int, float, bool, type(None)):
        return _exactly(kind)
    if origin in (Union, types.UnionType) and len(args) == 2 and type(None) in args:
        return _optional(decoder(next(arg for arg in args if arg is not type(None))))
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return _sequence(decoder(args[0]), tuple)
    if origin is tuple and len(args) == 2:
        return _pair(decoder(args[0]), decoder(args[1]))
    if origin is frozenset:
        return _sequence(decoder(args[0]), frozenset)
    if origin in (dict, Mapping) and args[0] is str:
        return _table(decoder(args[1]))
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind
    if isinstance(kind, type) and is_dataclass(kind):
        return _record(kind)
    raise TypeError(f"no way to keep a {kind!r}")
