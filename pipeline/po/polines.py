"""PO text in any layout: strict checks of every line and entry, then polib reads it."""

from __future__ import annotations

import re
from pathlib import Path

import polib

from pipeline.errors import PipelineError, raise_all
from pipeline.po.model import Entry, Forms, Parsed
from pipeline.po.posyntax import CONTROL, FIX, STRING

# Every line is first checked against the PO grammar's line shapes: an unterminated or
# stray-quoted string would otherwise lose the text after it.
_LINE = re.compile(
    rf"(?:#~\|? ?)?(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)[ \t]+)?{STRING}[ \t]*"
    rf"|#[^{CONTROL}]*|[ \t]*"
)
_CONTROL_CHARACTER = re.compile(f"[{CONTROL}]")
# An entry's keyword line (group 1) or continuation line (no group), current or obsolete.
_ENTRY_LINE = re.compile(r'(?:#~ ?)?(?:(msgctxt|msgid_plural|msgid|msgstr)(?:\[\d+\])?[ \t]*)?"')


def _entry_pattern(prefix: str) -> str:
    """An entry: msgctxt (optional), msgid, msgid_plural (for plurals), msgstr or its forms."""
    def keyword(name: str) -> str:
        return rf"{prefix}{name}[ \t]+{STRING}[ \t]*\n(?:{prefix}{STRING}[ \t]*\n)*"

    forms = keyword(r"msgstr\[\d+\]")
    return (rf"(?:{keyword('msgctxt')})?{keyword('msgid')}(?:{keyword('msgid_plural')})?"
            rf"(?:{keyword('msgstr')}|(?:{forms})+)")


# A file of whole entries, current or obsolete, with comments and blank lines between them: an
# entry without its msgstr, or a msgstr without its msgid, would be joined to a neighbour, and
# the translations of both lost.
_ITEM = re.compile(rf'[ \t]*\n|#(?!~ ?(?:msg|")).*\n|{_entry_pattern("")}|'
                   rf'{_entry_pattern("#~ ?")}')
_ENTRIES = re.compile(rf"(?:{_ITEM.pattern})*")
# The whole text as lines of those shapes: one C-level match for a file that is well formed.
_WELL_FORMED = re.compile(rf"(?:(?:{_LINE.pattern})(?:\r?\n|\Z))*")
_LINE_END = re.compile(r"[^\n]*\n|[^\n]+")
_ERROR_LINE = re.compile(r"\(line (\d+)\)")  # where polib's syntax error names the line


class _Text(str):
    """PO text that polib splits into lines as gettext does: at line feeds only (str.splitlines
    also splits at U+2028, U+0085 and others, which a translation may hold)."""

    def splitlines(self, keepends: bool = False) -> list[str]:
        lines = _LINE_END.findall(self)
        return lines if keepends else [line.removesuffix("\n") for line in lines]


def _split_lines(text: str) -> list[str]:
    """The lines of PO text, split at line feeds only (as _Text), CRLF allowed."""
    return [line.removesuffix("\r") for line in text.split("\n")]


def _check_lines(text: str, path: Path) -> None:
    if _WELL_FORMED.fullmatch(text):
        return
    problems = []
    for number, line in enumerate(_split_lines(text), start=1):
        if _LINE.fullmatch(line):
            continue
        if control := _CONTROL_CHARACTER.search(line):
            problems.append(PipelineError(
                f"a control character (U+{ord(control.group()):04X}), which no catalog holds "
                f"(a damaged file?); {FIX}", path, number, control.start() + 1))
        else:
            problems.append(PipelineError(
                "not a valid PO file: this line is not a comment, keyword or a complete "
                f'"quoted string" (an unterminated string or a stray quote?); {FIX}',
                path, number))
    raise_all(problems)


def _check_complete(lines: list[str], path: Path) -> None:
    """The last entry has its msgstr and nothing follows it: a file cut off midway (an
    interrupted copy, a full disk) is refused, not read as a shorter catalog."""
    number = len(lines)
    while number and not lines[number - 1].strip():
        number -= 1
    trailing = None
    while number and lines[number - 1].startswith("#") \
            and not _ENTRY_LINE.match(lines[number - 1]):
        trailing = number
        number -= 1
        while number and not lines[number - 1].strip():
            number -= 1
    if trailing is not None:
        raise PipelineError("comments that belong to no entry end the file, so it looks cut "
                            "off; restore it from git (or delete them)", path, trailing)
    while number and (found := _ENTRY_LINE.match(lines[number - 1])) and not found.group(1):
        number -= 1  # the continuation lines of the last keyword
    found = _ENTRY_LINE.match(lines[number - 1]) if number else None
    if found and found.group(1) != "msgstr":
        raise PipelineError("this entry has no msgstr, so the file looks cut off; restore it "
                            "from git", path, number)


def _check_entries(text: str, path: Path) -> None:
    text = text.replace("\r\n", "\n") + ("" if text.endswith("\n") else "\n")
    if _ENTRIES.fullmatch(text):
        return
    position = 0
    while (found := _ITEM.match(text, position)) and found.end() > position:
        position = found.end()
    raise PipelineError("this entry is incomplete or out of order (an entry is msgctxt, msgid, "
                        f"msgid_plural, then msgstr or msgstr[N]); {FIX}", path,
                        text.count("\n", 0, position) + 1)


def read(text: str, path: Path) -> Parsed:
    """The catalog of PO text in any layout, as polib reads it once the strict checks pass; a
    syntax error becomes a PipelineError with its line."""
    _check_lines(text, path)
    _check_complete(_split_lines(text), path)
    _check_entries(text, path)
    try:
        raw = polib.pofile(_Text(text), encoding="utf-8")
    except OSError as error:
        found = _ERROR_LINE.search(str(error))
        raise PipelineError(f"not a valid PO file: Syntax error in po file; {FIX}", path,
                            int(found.group(1)) if found else None) from None
    entries: list[Entry] = []
    plurals: list[tuple[Entry, Forms]] = []
    for item in raw:
        entry = _entry(item)
        entries.append(entry)
        if item.msgstr_plural or item.msgid_plural:
            plurals.append((entry, tuple(sorted(item.msgstr_plural))))
    header = tuple(raw.header.split("\n")) if raw.header else ()
    return Parsed(header, dict(raw.metadata), entries, plurals)


def _entry(raw: polib.POEntry) -> Entry:
    plural = raw.msgid_plural or None
    forms = raw.msgstr_plural
    return Entry(
        msgid=raw.msgid, msgstr="" if plural else raw.msgstr, msgid_plural=plural,
        msgstr_plural=tuple(forms[key] for key in sorted(forms)) if plural else (),
        msgctxt=raw.msgctxt,
        locations=tuple(f"{file}:{line}" if line else file for file, line in raw.occurrences),
        comments=tuple(raw.comment.split("\n")) if raw.comment else (),
        translator_comments=tuple(raw.tcomment.split("\n")) if raw.tcomment else (),
        flags=tuple(raw.flags), previous_msgid=raw.previous_msgid,
        previous_msgid_plural=raw.previous_msgid_plural, obsolete=bool(raw.obsolete),
        line=raw.linenum)
