"""The record beside each catalog of what update knows of its entries, for tools that drop it."""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.po.changes import ChangeClass, classify
from pipeline.po.model import Catalog, Entry
from pipeline.po.pofile import read, unescape
from pipeline.po.posyntax import STRING
from pipeline.po.states import COSMETIC_NOTE, STALE_SINCE, stale_note, stale_since
from pipeline.runtime.fsio import HISTORY, Staged, holds, read_optional, stage

SUFFIX = ".history.json"  # locales/<lang>/LC_MESSAGES/<domain>.history.json
FORMAT = 1
MAX_BYTES = HISTORY.limit  # a fact is a few hundred bytes: thousands of stale entries fit
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_FIELDS = {"msgid": str, "msgctxt": str, "previous": str, "previous_plural": str,
           "since": str, "change": str, "cosmetic": str}
_FIX = HISTORY.advice
# A stale entry's English may come back to what its translation was made for: "cosmetic" too.
_CHANGES = ", ".join(f'"{change}"' for change in ChangeClass)

Key = tuple[str | None, str]


@dataclass(frozen=True)
class Fact:
    """What update knew of one entry: the English a stale translation was made for and since
    when it is stale, or the day a cosmetic edit of its English was carried over."""

    msgid: str
    msgctxt: str | None = None
    previous: str | None = None
    previous_plural: str | None = None
    since: str | None = None
    cosmetic: str | None = None

    @property
    def key(self) -> Key:
        return (self.msgctxt, self.msgid)


def record_path(catalog_path: Path) -> Path:
    return Path(record_name(str(catalog_path)))


def record_name(catalog: str) -> str:
    """A catalog's record, as a string: a build names one per catalog."""
    return catalog.removesuffix(".po") + SUFFIX


# --- from a catalog, and back into one ------------------------------------------------------

def _cosmetic_date(entry: Entry) -> str | None:
    notes = (comment for comment in entry.comments if comment.startswith(COSMETIC_NOTE))
    return next((found.group() for note in notes if (found := _DATE.search(note))), None)


def facts(catalog: Catalog) -> tuple[Fact, ...]:
    """The facts of a catalog an update wrote, sorted by English."""
    found = []
    for entry in catalog.entries:
        if entry.obsolete:
            continue
        stale = entry.fuzzy and entry.translated and entry.previous_msgid is not None
        fact = Fact(entry.msgid, entry.msgctxt,
                    entry.previous_msgid if stale else None,
                    entry.previous_msgid_plural if stale else None,
                    stale_since(entry) if stale else None, _cosmetic_date(entry))
        if fact.previous is not None or fact.cosmetic is not None:
            found.append(fact)
    return tuple(sorted(found, key=lambda fact: (fact.msgctxt or "", fact.msgid)))


def reconcile(catalog: Catalog, known: Mapping[Key, Fact]) -> Catalog:
    """The catalog with Babel's `# | msgid` comments made previous English again, and what a
    tool dropped of a still stale entry (previous English, since when) or of a cosmetic carry
    restored from the record. The catalog's own facts win: a different previous English means
    another edit, and of two since-dates the newer one is kept."""
    if not known and not any(entry.translator_comments for entry in catalog.entries):
        return catalog  # most catalogs, most of the time: nothing to repair or restore
    entries = tuple(_restored(repaired, known.get(repaired.key)) if not repaired.obsolete
                    else repaired
                    for repaired in (_repaired(entry) if entry.translator_comments else entry
                                     for entry in catalog.entries))
    same = all(new is old for new, old in zip(entries, catalog.entries, strict=True))
    return catalog if same else replace(catalog, entries=entries)


def _restored(entry: Entry, fact: Fact | None) -> Entry:
    if fact is None:
        return entry
    if fact.cosmetic and _cosmetic_date(entry) is None:
        entry = replace(entry, comments=(*entry.comments, f"{COSMETIC_NOTE}{fact.cosmetic}"))
    if fact.previous is None or not (entry.fuzzy and entry.translated):
        return entry  # a translator made it current (or emptied it): the record forgets it
    if entry.previous_msgid is None:
        entry = replace(entry, previous_msgid=fact.previous,
                        previous_msgid_plural=fact.previous_plural)
    elif entry.previous_msgid != fact.previous:
        return entry
    since = stale_since(entry)
    if fact.since is None or (since is not None and since >= fact.since):
        return entry
    note = stale_note(fact.since, entry.previous_msgid or fact.previous, entry.msgid)
    kept = tuple(comment for comment in entry.comments if not comment.startswith(STALE_SINCE))
    return replace(entry, comments=(*kept, note))


# --- Babel's `# | msgid` --------------------------------------------------------------------

_KEYWORD = re.compile(rf"(msgctxt|msgid|msgid_plural) ({STRING})$")
_STRING = re.compile(rf"{STRING}$")
_PREVIOUS = ("msgctxt ", "msgid ", "msgid_plural ", '"')


def _repaired(entry: Entry) -> Entry:
    """Babel reads `#| msgid "..."` as a translator comment and writes it back as `# | msgid
    "..."`, wrapped at its width (a wrapped piece loses its `|`): such lines become the entry's
    previous English again when they parse as msgid (with msgctxt or msgid_plural)."""
    comments = entry.translator_comments
    start = next((index for index, comment in enumerate(comments)
                  if comment.startswith(("| msgctxt ", "| msgid "))), None)
    if start is None:
        return entry
    fields, end = _previous_fields(comments, start)
    if "msgid" not in fields:
        return entry
    kept = (*comments[:start], *comments[end:])
    if entry.previous_msgid is not None:  # the file has both: the real one wins
        return replace(entry, translator_comments=kept)
    return replace(entry, translator_comments=kept, previous_msgid=fields["msgid"],
                   previous_msgid_plural=fields.get("msgid_plural"))


def _previous_fields(comments: tuple[str, ...], start: int) -> tuple[dict[str, str], int]:
    """The fields of the `| ` comments from `start` on, and where they end; no fields when
    they do not parse whole (then they are a person's comment, and stay)."""
    fields: dict[str, str] = {}
    field = None
    index = start
    while index < len(comments) and comments[index].startswith("| ") and \
            comments[index][2:].startswith(_PREVIOUS):
        line = comments[index][2:]
        index += 1
        while not (_KEYWORD.match(line) or _STRING.match(line)) and index < len(comments) \
                and not comments[index].startswith("| "):
            line = f"{line} {comments[index]}"  # Babel broke it at a space
            index += 1
        if (keyword := _KEYWORD.match(line)) and keyword.group(1) not in fields:
            field = keyword.group(1)
            fields[field] = unescape(keyword.group(2)[1:-1])
        elif field is not None and _STRING.match(line):
            fields[field] += unescape(line[1:-1])
        else:
            return {}, start
    return fields, index


# --- the file ---------------------------------------------------------------------------------

def render(known: tuple[Fact, ...]) -> bytes:
    """The record's bytes, one fact a line, sorted; empty when there is nothing to keep (then
    there is no file)."""
    if not known:
        return b""
    lines = [json.dumps(_fact_object(fact), ensure_ascii=False, sort_keys=True)
             for fact in known]
    body = ",\n  ".join(lines)
    return f'{{\n "entries": [\n  {body}\n ],\n "format": {FORMAT}\n}}\n'.encode()


def _fact_object(fact: Fact) -> dict[str, str]:
    found = {"msgid": fact.msgid, "msgctxt": fact.msgctxt, "previous": fact.previous,
             "previous_plural": fact.previous_plural, "since": fact.since,
             "cosmetic": fact.cosmetic}
    if fact.previous is not None:  # for a reader of the diff; recomputed when restored
        found["change"] = classify(fact.previous, fact.msgid)
    return {name: value for name, value in found.items() if value is not None}


def load(path: Path) -> dict[Key, Fact]:
    """The facts of a record file (none when there is none); a file that is not a record is
    refused, naming the file, the line and what to do, since it is committed data."""
    data = read_optional(path, HISTORY)  # a regular file of a record's size, if any
    return {} if data is None else parse(data, path)


def parse(data: bytes, path: Path) -> dict[Key, Fact]:
    """The facts of a record's bytes (`render`'s), read from `path`; refused as `load` says."""
    try:
        document = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise PipelineError(f"the history record is not UTF-8; {_FIX}", path,
                            data[: error.start].count(b"\n") + 1) from None
    except json.JSONDecodeError as error:
        raise PipelineError(f"the history record is not JSON ({error.msg}); {_FIX}", path,
                            error.lineno, error.colno) from None
    except (ValueError, RecursionError) as error:  # a number too long, nesting too deep
        raise PipelineError(f"the history record cannot be read ({error}); {_FIX}",
                            path) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT or \
            not isinstance(document.get("entries"), list) or len(document) != 2:
        raise PipelineError(f'not a history record (an object with "format": {FORMAT} and a '
                            f'list of "entries"); {_FIX}', path, 1)
    found: dict[Key, Fact] = {}
    for number, item in enumerate(document["entries"], start=1):
        fact = _fact(item, path, number, data)
        if fact.key in found:
            raise PipelineError(f"entry {number} repeats the English of another; {_FIX}", path,
                                _line(data, number))
        found[fact.key] = fact
    return found


def _fact(item: object, path: Path, number: int, data: bytes) -> Fact:
    problem = _problem(item)
    if problem is not None:
        raise PipelineError(f"entry {number} {problem}; {_FIX}", path, _line(data, number))
    assert isinstance(item, dict)
    return Fact(item["msgid"], item.get("msgctxt"), item.get("previous"),
                item.get("previous_plural"), item.get("since"), item.get("cosmetic"))


def _problem(item: object) -> str | None:
    """What makes an entry of a record not a fact, or None."""
    if not isinstance(item, dict):
        return "is not an object"
    unknown = sorted(set(item) - set(_FIELDS))
    if unknown:
        return f"has unknown fields: {', '.join(unknown)}"
    wrong = sorted(name for name, value in item.items() if not isinstance(value, str))
    if wrong:
        return f"has fields that are not text: {', '.join(wrong)}"
    if "msgid" not in item or not (item.get("previous") or item.get("cosmetic")):
        return "needs a msgid, and a previous English or a cosmetic date"
    if any(name in item and not _DATE.fullmatch(item[name]) for name in ("since", "cosmetic")):
        return "has a date that is not YYYY-MM-DD"
    if item.get("change", ChangeClass.SUBSTANTIVE) not in set(ChangeClass):
        return f"has a change that is not one of {_CHANGES}"
    return None


def _line(data: bytes, number: int) -> int | None:
    """The line of the record's `number`th entry in the layout `render` writes (one a line),
    or None for a file laid out otherwise."""
    lines = data.split(b"\n")[2:number + 2]
    if len(lines) < number or not all(line.lstrip().startswith(b'{"') for line in lines):
        return None
    return number + 2


# --- reading a catalog ------------------------------------------------------------------------

def reconciled(catalog: Catalog, path: Path) -> Catalog:
    """A catalog read from `path`, as update, status and build see it: with its record."""
    return reconcile(catalog, load(record_path(path)))


def read_catalog(path: Path) -> Catalog:
    """The catalog at `path` as every verb sees it: with what its record restores."""
    return reconciled(read(path), path)


def digest(catalog: str) -> str:
    """The digest of a catalog's record as it is (a missing one is empty); the catalog named
    by a string, as an update names 10,000 of them."""
    return data_digest(read_optional(record_name(catalog), HISTORY) or b"")


def data_digest(data: bytes) -> str:
    """The digest of a record's bytes (`render`'s), as `digest` takes it of the file."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def stage_record(catalog_path: Path, data: bytes) -> Staged | None:
    """Stage a catalog's record (`render`'s bytes) to commit with the catalog; an empty record
    is not staged: `remove_empty` removes its file once the catalogs are committed."""
    return stage(record_path(catalog_path), data) if data else None


def differs(catalog_path: Path, data: bytes) -> bool:
    """The catalog's record file is not `render`'s bytes (or exists when they are empty)."""
    path = record_path(catalog_path)
    return not holds(path, data) if data else os.path.lexists(path)


def remove_empty(catalog_path: Path) -> None:
    """Remove the record of a catalog that no longer has anything to keep (after its commit: a
    record left by a run killed in between restores nothing, as the entries it names are gone
    or current)."""
    record_path(catalog_path).unlink(missing_ok=True)
