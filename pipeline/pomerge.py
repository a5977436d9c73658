"""The merge verb: msgmerge's job on any catalog pair, with update's semantics; the entries that
only carry their translation are copied as text (docs/performance.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from itertools import pairwise
from pathlib import Path

from pipeline import pofile
from pipeline.catalogs import MergeCounts, Unit, merge_units, today
from pipeline.errors import PipelineError
from pipeline.fsio import write_if_changed
from pipeline.parallel import collector_paused
from pipeline.pofile import CONTROL, LETTERS, PAGE_WIDTH, STRING, Catalog

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
# A string of plain words (pofile.plain) on continuation lines, each but the last ending with
# a space; a string of characters one column wide each.
_WORD = rf"[!#-'*+,.0-=?-\[\]-z|~{LETTERS}]++"
_PLAIN_LINES = re.compile(rf'""\n(?:"(?:{_WORD} )++"\n)++"{_WORD}(?: {_WORD})*+"\n')
_ONE_COLUMN = re.compile(rf'"[ -~{LETTERS}]*"\n')


def merge_files(old_path: Path, template_path: Path, output: Path,
                language: str | None = None) -> MergeCounts:
    """msgmerge's job on any catalog pair, with update's semantics: exact carry, edited English
    paired and made fuzzy with the previous msgid, removed English obsolete."""
    old_data = pofile.file_bytes(old_path)
    template_data = pofile.file_bytes(template_path)
    with collector_paused():  # the ~10 objects per entry all live to the end
        merged = _merge_texts(old_data, template_data, old_path, template_path, language)
        if merged is None:  # not in msgcat's layout, or an error to report with its line
            catalog, counts = _merged(pofile.from_bytes(old_data, old_path),
                                      pofile.from_bytes(template_data, template_path),
                                      old_path, template_path, language)
            merged = pofile.render(catalog), counts
    write_if_changed(output, merged[0])
    return merged[1]


def _units(template: Catalog) -> list[Unit]:
    """A template's entries as units: their flags other than format flags are dropped."""
    return [entry if not entry.flags else replace(entry, flags=tuple(
                flag for flag in entry.flags if flag.endswith("-format")))
            for entry in template.entries if not entry.obsolete]


def _merged(old: Catalog, template: Catalog, old_path: Path, template_path: Path,
            language: str | None) -> tuple[Catalog, MergeCounts]:
    language = language or old.header_value("Language")
    if not language:
        raise PipelineError("the catalog has no Language header: give the language with --lang",
                            old_path)
    domain = old.header_value("Project-Id-Version") or template_path.stem
    return merge_units(domain, _units(template), old, language, old.header_comment, today(),
                       None)


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
        # Plain words break after the last space that fits (pofile._wrap): the next line's
        # first word would not have fitted after the line before it.
        lines = field[4:-2].split('"\n"')
        for line, after in pairwise(lines):
            free = _WIDTH - len(line)
            if free < 0 or len(after) <= free or after.find(" ", 0, free) >= 0:
                return False
        return len(lines[-1]) <= _WIDTH  # (two lines this long never fit on one)
    return pofile.field_text(keyword, pofile.string_value(field, _JOINT)) == \
        f"{keyword} {field}"


def _merge_texts(old_data: bytes, template_data: bytes, old_path: Path, template_path: Path,
                 language: str | None) -> tuple[bytes, MergeCounts] | None:
    """The merge, with every entry that only carries its translation copied as text; None when
    a file is not in msgcat's layout or has an error (the merge of catalogs reports it)."""
    old_text, template_text = _text(old_data), _text(template_data)
    if old_text is None or template_text is None:
        return None
    olds = _Blocks.read(_OLD_BLOCK, old_text, field=1)
    templates = _Blocks.read(_TEMPLATE_BLOCK, template_text, field=2)
    if olds is None or templates is None:
        return None
    # English that an entry of another shape also has is merged with it, as entries.
    elsewhere = olds.others | templates.others
    old_msgstrs = {msgid: found[2] for found, msgid in zip(olds.found, olds.msgids, strict=True)
                   if not found[3]}
    carried: dict[int, str] = {}
    untranslated = 0
    for index, ((_, comments, field, other), msgid) in enumerate(
            zip(templates.found, templates.msgids, strict=True)):
        msgstr = old_msgstrs.get(msgid) if index and not other and msgid not in elsewhere \
            else None
        if msgstr is not None and _as_written("msgid", field) and _as_written("msgstr", msgstr):
            carried[index] = f"{comments}msgid {field}msgstr {msgstr}"
            untranslated += msgstr == '""\n'
    counts = MergeCounts(kept=len(carried) - untranslated, new=untranslated)
    return _with_the_rest(olds, templates, carried, counts, old_path, template_path, language)


@dataclass(frozen=True)
class _Blocks:
    """A catalog's blocks, one entry each (the first is the header): the regular expression's
    groups, each one's msgid, which are obsolete, and the msgids of the OTHER blocks."""

    found: list[tuple[str, ...]]
    msgids: list[str]
    obsolete: frozenset[int]
    others: frozenset[str]

    @staticmethod
    def read(pattern: re.Pattern[str], text: str, field: int) -> _Blocks | None:
        """None for text with a line in no block, a block of more than one entry, or a second
        header."""
        found = pattern.findall(text)
        if not found or sum(len(block[0]) for block in found) != len(text):
            return None
        msgids = [""]
        obsolete = set()
        others = set()
        for index, block in enumerate(found[1:], start=1):
            if not block[-1]:
                msgids.append(pofile.string_value(block[field], _JOINT))
                continue
            entry = pofile.CANONICAL.fullmatch(block[-1])
            if entry is None:
                return None
            msgid = pofile.string_value(entry.group(9),
                                        '"\n#~ "' if entry.group(7) else _JOINT)
            msgids.append(msgid)
            others.add(msgid)
            if entry.group(7):
                obsolete.add(index)
        if "" in msgids[1:]:
            return None
        return _Blocks(found, msgids, frozenset(obsolete), frozenset(others))


def _with_the_rest(olds: _Blocks, templates: _Blocks, carried: dict[int, str],
                   carried_counts: MergeCounts, old_path: Path, template_path: Path,
                   language: str | None) -> tuple[bytes, MergeCounts] | None:
    """The carried entries in their places among the merge of the rest as catalogs."""
    taken = {templates.msgids[index] for index in carried}
    old_rest = [found[0] for index, (found, msgid) in enumerate(
                    zip(olds.found, olds.msgids, strict=True))
                if not index or found[3] or msgid not in taken]
    if len(taken) != len(carried) or len(old_rest) + len(taken) != len(olds.found):
        return None  # English twice: an error that the merge of catalogs reports
    try:
        catalog, counts = _merged(
            pofile.parse(_joined(old_rest), old_path),
            pofile.parse(_joined([found[0] for index, found in enumerate(templates.found)
                                  if index not in carried]), template_path),
            old_path, template_path, language)
    except PipelineError:
        return None
    places = [index for index in range(1, len(templates.found))
              if index not in carried and index not in templates.obsolete]
    active = [entry for entry in catalog.entries if not entry.obsolete]
    if [entry.msgid for entry in active] != [templates.msgids[index] for index in places]:
        return None  # (a template whose first entry is not its header)
    texts = dict(carried) | {index: pofile.entry_text(entry)
                             for index, entry in zip(places, active, strict=True)}
    return "\n".join([pofile.header_text(catalog), *(texts[index] for index in sorted(texts)),
                      *(pofile.entry_text(entry) for entry in catalog.entries
                        if entry.obsolete)]).encode("utf-8"), \
        replace(counts, kept=counts.kept + carried_counts.kept,
                new=counts.new + carried_counts.new)


def _joined(blocks: list[str]) -> str:
    return "\n".join(block.removesuffix("\n") for block in blocks)
