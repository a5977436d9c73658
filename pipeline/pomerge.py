"""The merge verb: msgmerge's job on any catalog pair, with update's semantics. The entries that
only carry their translation are copied as text while a forked process merges the others as
catalogs (docs/performance.md)."""

from __future__ import annotations

import re
from collections.abc import Collection
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.parallel import Forked, collector_paused
from pipeline.posyntax import BREAK_INSIDE, CONTROL, LETTERS, PAGE_WIDTH, STRING, WORD

if TYPE_CHECKING:
    from pipeline.catalogs import MergeCounts, Unit
    from pipeline.pofile import Catalog

# This module imports only what the copy as text needs, so that the forked process is loading
# Babel, rapidfuzz and the merge of catalogs while this one reads the files.

# A catalog in msgcat's layout is entries separated by one blank line. An entry in one of these
# shapes has no flags, history, context, plural or translator's comment, so a merge that finds
# its English unchanged only carries the translation (catalogs._carry): its text is the
# template entry's lines, then the old entry's msgstr lines. Any other entry is an OTHER block,
# read as PO and merged as entries. Lines that read back differently (a comment with trailing
# blanks, two references on a line) are not in these shapes.
_VISIBLE = rf"[^\s{CONTROL}]"
_FIELD = rf"((?:{STRING}\n)+)"
_OTHER = r"((?:[^\n]+\n)+)"
_END = r"(?=\n|\Z)"
_TEMPLATE_BLOCK = re.compile(
    rf"((?:((?:#\. {_VISIBLE}(?:[^{CONTROL}]*{_VISIBLE})?\n)*#: {_VISIBLE}+\n)"
    rf'msgid {_FIELD}msgstr ""\n{_END}|{_OTHER})\n?)')
_OLD_BLOCK = re.compile(
    rf"((?:(?:#: {_VISIBLE}[^{CONTROL}]*\n)*msgid {_FIELD}msgstr {_FIELD}{_END}|{_OTHER})\n?)")
_WIDTH = PAGE_WIDTH - 2  # of a continuation line's text, between its quotes
_JOINT = '"\n"'  # between the strings of a keyword that is not obsolete
# A string of plain words (powrap.plain) on continuation lines, each but the last ending with
# a space; a string of characters one column wide each.
_WORD = rf"{WORD}++"
_PLAIN_LINES = re.compile(rf'""\n(?:"(?:{_WORD} )++"\n)*+"{_WORD}(?: {_WORD})*+"\n')
_BREAK_INSIDE = re.compile(BREAK_INSIDE)
_ONE_COLUMN = re.compile(rf'"[ -~{LETTERS}]*"\n')


def merge_files(old_path: Path, template_path: Path, output: Path,
                language: str | None = None) -> MergeCounts:
    """msgmerge's job on any catalog pair, with update's semantics: exact carry, edited English
    paired and made fuzzy with the previous msgid, removed English obsolete."""
    with collector_paused():  # the ~10 objects per entry all live to the end
        with Forked(_merged_rest, prepare=_load_merge,
                    fork=_size(old_path) + _size(template_path) >= FORK_FROM) as rest:
            merged = _merge_texts(rest, old_path, template_path, language)
        if merged is None:  # not in msgcat's layout, or an error to report with its line
            from pipeline import pofile

            catalog, counts = _merged(pofile.read(old_path), pofile.read(template_path),
                                      old_path, template_path, language)
            merged = pofile.render(catalog), counts
    from pipeline.fsio import write_if_changed

    write_if_changed(output, merged[0])
    return merged[1]


# Smaller catalogs (about 600 entries) are merged sooner in one process than a forked one can
# import what it needs.
FORK_FROM = 200_000  # bytes of both files


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # (reported when it is read)


def _merged(old: Catalog, template: Catalog, old_path: Path, template_path: Path,
            language: str | None) -> tuple[Catalog, MergeCounts]:
    from dataclasses import replace

    from pipeline.catalogs import merge_units, today
    from pipeline.errors import PipelineError

    language = language or old.header_value("Language")
    if not language:
        raise PipelineError("the catalog has no Language header: give the language with --lang",
                            old_path)
    domain = old.header_value("Project-Id-Version") or template_path.stem
    # A template's entries as units: their flags other than format flags are dropped.
    units: list[Unit] = [
        entry if not entry.flags else replace(entry, flags=tuple(
            flag for flag in entry.flags if flag.endswith("-format")))
        for entry in template.entries if not entry.obsolete]
    return merge_units(domain, units, old, language, old.header_comment, today(), None)


# What the forked process sends back: the header's text; for each template block it was sent,
# the text of its merged entry (None for the header, an obsolete entry or an error); the texts
# of the obsolete entries; the merge's counts; and the English of every entry it read, as
# pofile writes its msgid.
_Rest = tuple[str, list[str | None], list[str], tuple[int, ...], list[str]]


def _load_merge() -> None:
    """Import what the merge of catalogs needs, before it is needed."""
    import babel.messages.plurals  # noqa: F401
    import rapidfuzz  # noqa: F401

    import pipeline.catalogs
    import pipeline.memory  # noqa: F401


def _merged_rest(old_blocks: list[str], template_blocks: list[str], old_path: str,
                 template_path: str, language: str | None) -> _Rest | None:
    """The merge of the blocks not copied as text; None for an error that the merge of the
    whole catalogs reports, or a block of more than one entry."""
    from bisect import bisect_right
    from dataclasses import astuple

    from pipeline import pofile
    from pipeline.errors import PipelineError

    try:
        old = pofile.parse(_joined(old_blocks), Path(old_path))
        template = pofile.parse(_joined(template_blocks), Path(template_path))
        catalog, counts = _merged(old, template, Path(old_path), Path(template_path), language)
    except PipelineError:
        return None
    starts = [1]  # the line each template block starts on (an entry's line is its first)
    for block in template_blocks[:-1]:
        starts.append(starts[-1] + block.removesuffix("\n").count("\n") + 1)
    places = [bisect_right(starts, max(entry.line, 1)) - 1
              for entry in template.entries if not entry.obsolete]
    texts: list[str | None] = [None] * len(template_blocks)
    for place, entry in zip(places, (entry for entry in catalog.entries if not entry.obsolete),
                            strict=True):
        texts[place] = pofile.entry_text(entry)
    if texts[0] is not None or len(set(places)) != len(places):
        return None  # a template whose first block is not its header, or a block of two
    return (pofile.header_text(catalog), texts,
            [pofile.entry_text(entry) for entry in catalog.entries if entry.obsolete],
            astuple(counts), [pofile.field_text("msgid", entry.msgid).removeprefix("msgid ")
                              for entry in (*old.entries, *template.entries)])


def _text(data: bytes) -> str | None:
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        return None
    return None if "\r" in text else text


def _as_written(keyword: str, field: str) -> bool:
    """The string lines are what pofile writes for their text."""
    room = PAGE_WIDTH - len(keyword) - 3  # for the text on the keyword's line, in its quotes
    if field.find("\n") == len(field) - 1:
        if len(field) - 3 <= room and "\\" not in field and (
                "\t" not in field if field.isascii() else _ONE_COLUMN.fullmatch(field)):
            return True
    elif _PLAIN_LINES.fullmatch(field):
        # Plain words break after the last space that fits (powrap.plain): the next line's
        # first word would not have fitted after the line before it.
        lines = field[4:-2].split('"\n"')
        # (else a word longer than a line, or a break inside a word or not at a space: below)
        if max(map(len, lines)) <= _WIDTH and not _BREAK_INSIDE.search("".join(lines)):
            if len(lines) == 1:
                return len(lines[0]) > room and " " in lines[0]
            for line, after in pairwise(lines):
                free = _WIDTH - len(line)
                if len(after) <= free or after.find(" ", 0, free) >= 0:
                    return False
            return True
    from pipeline import pofile

    return pofile.field_text(keyword, pofile.string_value(field, _JOINT)) == \
        f"{keyword} {field}"


def _blocks(pattern: re.Pattern[str], text: str) -> list[tuple[str, ...]] | None:
    """The regular expression's groups for each block (the first is the header's); None for
    text with a line in no block."""
    found = pattern.findall(text)
    return found if found and sum(len(block[0]) for block in found) == len(text) else None


# An entry's English is known by its string lines: pofile writes one layout for a text, and only
# an entry whose lines are that layout is copied as text. The English of the others is compared
# as text, by the forked process, which reads them.
_EMPTY = '""\n'


def _merge_texts(rest: Forked, old_path: Path, template_path: Path,
                 language: str | None) -> tuple[bytes, MergeCounts] | None:
    """The merge, with every entry that only carries its translation copied as text; None when
    a file is not in msgcat's layout or has an error (the merge of catalogs reports it)."""
    try:
        old_text, template_text = _text(old_path.read_bytes()), \
            _text(template_path.read_bytes())
    except OSError:
        return None
    olds = _blocks(_OLD_BLOCK, old_text) if old_text is not None else None
    templates = _blocks(_TEMPLATE_BLOCK, template_text) if template_text is not None else None
    if olds is None or templates is None:
        return None
    simple = [(msgid, msgstr) for _, msgid, msgstr, other in olds[1:] if not other]
    old_msgstrs = dict(simple)
    english = {field for _, _, field, other in templates[1:] if not other}
    if len(old_msgstrs) != len(simple) or _EMPTY in old_msgstrs or _EMPTY in english or \
            len(english) != sum(1 for block in templates[1:] if not block[3]):
        return None  # English twice, or a second header: the merge of catalogs reports it
    candidates = [index for index, (_, _, field, other) in enumerate(templates)
                  if index and not other and field in old_msgstrs]
    rest.send(*_rest(olds, templates, candidates), str(old_path), str(template_path),
              language)
    carried: dict[int, str] = {}
    for index in candidates:
        _, comments, field, _ = templates[index]
        msgstr = old_msgstrs[field]
        if _as_written("msgid", field) and _as_written("msgstr", msgstr):
            carried[index] = f"{comments}msgid {field}msgstr {msgstr}"
    from dataclasses import replace  # (imported while the forked process finishes)

    from pipeline.catalogs import MergeCounts

    def rest_here() -> _Rest | None:
        return _merged_rest(*_rest(olds, templates, carried), str(old_path),
                            str(template_path), language)

    # The forked process merged the rest for every candidate carried; the rest is merged here
    # when some are not laid out as pofile writes them, and again while it has English that a
    # carried entry has (an obsolete twin, a sibling with a context), with those entries.
    merged = rest.result() if len(carried) == len(candidates) else rest_here()
    while merged is not None:
        also = set(merged[4])
        clashing = [index for index in carried if templates[index][2] in also]
        if not clashing:
            break
        for index in clashing:
            del carried[index]
        merged = rest_here()
    if merged is None:
        return None
    untranslated = sum(1 for index in carried if old_msgstrs[templates[index][2]] == _EMPTY)
    counts = MergeCounts(*merged[3])
    return _with_the_rest(templates, carried, merged), \
        replace(counts, kept=counts.kept + len(carried) - untranslated,
                new=counts.new + untranslated)


def _rest(olds: list[tuple[str, ...]], templates: list[tuple[str, ...]],
          carried: Collection[int]) -> tuple[list[str], list[str]]:
    """The old blocks and template blocks that are not copied as text."""
    carried = set(carried)
    taken = {templates[index][2] for index in carried}
    return ([block[0] for index, block in enumerate(olds)
             if not index or block[3] or block[1] not in taken],
            [block[0] for index, block in enumerate(templates) if index not in carried])


def _with_the_rest(templates: list[tuple[str, ...]], carried: dict[int, str],
                   merged: _Rest) -> bytes:
    """The carried entries in their places among the merge of the rest as catalogs."""
    header, texts, obsolete, _, _ = merged
    pieces: list[str | None] = [None] * len(templates)
    for index, text in carried.items():
        pieces[index] = text
    for index, merged_text in zip(
            (index for index in range(len(templates)) if index not in carried), texts,
            strict=True):
        pieces[index] = merged_text
    return "\n".join([header, *filter(None, pieces), *obsolete]).encode("utf-8")


def _joined(blocks: list[str]) -> str:
    return "\n".join(block.removesuffix("\n") for block in blocks)
