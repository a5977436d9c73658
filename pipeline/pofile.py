"""Gettext PO files at the edge: read with polib, write in msgcat's canonical form exactly."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import polib
import unicode_segmentation_rs

from pipeline.errors import PipelineError, raise_all

PAGE_WIDTH = 79  # GNU gettext's default output page width.


@dataclass(frozen=True)
class Entry:
    """One message of a catalog, in the terms of the PO format."""

    msgid: str
    msgstr: str = ""
    msgid_plural: str | None = None
    msgstr_plural: tuple[str, ...] = ()
    msgctxt: str | None = None
    locations: tuple[str, ...] = ()
    comments: tuple[str, ...] = ()  # extracted comments (#.), written by the pipeline
    translator_comments: tuple[str, ...] = ()  # (# ), written by people, always kept
    flags: tuple[str, ...] = ()
    previous_msgid: str | None = None
    previous_msgid_plural: str | None = None
    obsolete: bool = False
    line: int = field(default=0, compare=False)  # where it stood in the file that was read

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        """Has a complete translation, whether or not it is fuzzy."""
        if self.msgid_plural is not None:
            return bool(self.msgstr_plural) and all(self.msgstr_plural)
        return bool(self.msgstr)

    def with_flag(self, flag: str, present: bool) -> Entry:
        flags = [f for f in self.flags if f != flag]
        if present:
            flags.insert(0, flag)
        return replace(self, flags=tuple(flags))


@dataclass(frozen=True)
class Catalog:
    """A PO or POT file: header comment, header fields in order, entries in order."""

    header_comment: tuple[str, ...]
    header: tuple[tuple[str, str], ...]
    entries: tuple[Entry, ...]

    def header_value(self, name: str) -> str | None:
        return next((value for key, value in self.header if key.lower() == name.lower()), None)


# --- reading -------------------------------------------------------------------------------

def _entry(raw: polib.POEntry | polib.MOEntry, obsolete: bool) -> Entry:
    plural = tuple(raw.msgstr_plural[index] for index in sorted(raw.msgstr_plural)) \
        if raw.msgid_plural else ()
    return Entry(
        msgid=raw.msgid,
        msgstr=raw.msgstr if not raw.msgid_plural else "",
        msgid_plural=raw.msgid_plural or None,
        msgstr_plural=plural,
        msgctxt=raw.msgctxt,
        locations=tuple(f"{file}:{line}" if line else file for file, line in raw.occurrences),
        comments=tuple(raw.comment.split("\n")) if raw.comment else (),
        translator_comments=tuple(raw.tcomment.split("\n")) if raw.tcomment else (),
        flags=tuple(raw.flags),
        previous_msgid=raw.previous_msgid,
        previous_msgid_plural=raw.previous_msgid_plural,
        obsolete=bool(obsolete),
        line=raw.linenum or 0,
    )


# polib accepts an unterminated or stray-quoted string silently, and would lose the text after it,
# so every line is checked against the PO grammar's line shapes first. No line holds a control
# character other than a tab (a damaged file): gettext would cut the string at a NUL.
_CONTROL = r"\x00-\x08\x0a-\x1f\x7f"
# (Unrolled: a run of plain characters, then escapes each followed by a run; 4x faster.)
_STRING = rf'"[^"\\{_CONTROL}]*(?:\\[^{_CONTROL}][^"\\{_CONTROL}]*)*"'
_LINE = re.compile(
    rf"(?:#~\|? ?)?(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)[ \t]+)?{_STRING}[ \t]*"
    rf"|#[^{_CONTROL}]*|[ \t]*"
)
_CONTROL_CHARACTER = re.compile(f"[{_CONTROL}]")
# An entry's keyword line (group 1) or continuation line (no group), current or obsolete.
_ENTRY_LINE = re.compile(r'(?:#~ ?)?(?:(msgctxt|msgid_plural|msgid|msgstr)(?:\[\d+\])?[ \t]*)?"')
_NPLURALS = re.compile(r"nplurals\s*=\s*(\d+)")
GETTEXT_NPLURALS = 2  # what gettext reads when a header has no Plural-Forms
FIX = "fix it in your PO editor or restore the file from git"


# The whole text as lines of those shapes: one C-level match for a file that is well formed.
_WELL_FORMED = re.compile(rf"(?:(?:{_LINE.pattern})(?:\r?\n|\Z))*")


def _entry_pattern(prefix: str) -> str:
    """An entry: msgctxt (optional), msgid, msgid_plural (for plurals), msgstr or its forms."""
    def keyword(name: str) -> str:
        return rf"{prefix}{name}[ \t]+{_STRING}[ \t]*\n(?:{prefix}{_STRING}[ \t]*\n)*"

    forms = keyword(r"msgstr\[\d+\]")
    return (rf"(?:{keyword('msgctxt')})?{keyword('msgid')}(?:{keyword('msgid_plural')})?"
            rf"(?:{keyword('msgstr')}|(?:{forms})+)")


# A file of whole entries, current or obsolete, with comments and blank lines between them:
# polib reads an entry without its msgstr, or a msgstr without its msgid, by joining it to a
# neighbour, and the translations of both are lost.
_ITEM = re.compile(rf'[ \t]*\n|#(?!~ ?(?:msg|")).*\n|{_entry_pattern("")}|'
                   rf'{_entry_pattern("#~ ?")}')
_ENTRIES = re.compile(rf"(?:{_ITEM.pattern})*")


def _lines(text: str) -> list[str]:
    """The lines of PO text as gettext reads them: split at line feeds only (str.splitlines
    also splits at U+2028, U+0085 and others, which a translation may hold), CRLF allowed."""
    return [line.removesuffix("\r") for line in text.split("\n")]


class _Text(str):
    """PO text that polib splits into lines as gettext does (polib calls its splitlines)."""

    def splitlines(self, keepends: bool = False) -> list[str]:
        return _lines(self)


def _check_lines(text: str, path: Path) -> None:
    if _WELL_FORMED.fullmatch(text):
        return
    problems = []
    for number, line in enumerate(_lines(text), start=1):
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


def parse(text: str, path: Path) -> Catalog:
    """A catalog from PO text; syntax errors become PipelineErrors with the line."""
    _check_lines(text, path)
    _check_complete(_lines(text), path)
    _check_entries(text, path)
    try:
        raw = polib.pofile(_Text(text), wrapwidth=0)
    except (OSError, ValueError) as error:
        message = str(error)
        line = None
        if "(line " in message:
            line = int(message.rsplit("(line ", 1)[1].split(")")[0])
            message = message.split(" (line ")[0]
        raise PipelineError(f"not a valid PO file: {message}; {FIX}", path, line) from None
    _check_header_and_plurals(raw, path)
    header_lines = raw.header.split("\n") if raw.header else []
    header = tuple((key, value) for key, value in raw.metadata.items())
    entries = [_entry(entry, obsolete=entry.obsolete) for entry in raw]
    _refuse_duplicates(entries, path)
    return Catalog(header_comment=tuple(header_lines), header=header, entries=tuple(entries))


def _plural_problem(raw: polib.POEntry, declared: str, count: int) -> str | None:
    forms = sorted(raw.msgstr_plural)
    if not raw.msgid_plural:
        return (f"msgstr[{forms[0]}] without msgid_plural: an entry without plural forms has "
                f"one msgstr; {FIX}") if forms else None
    if forms == list(range(count)):
        return None
    have = ", ".join(f"msgstr[{index}]" for index in forms) or "no msgstr[N]"
    return (f"the entry has {have} where {declared}; give it msgstr[0] to "
            f"msgstr[{count - 1}], or correct Plural-Forms in the header")


def _check_header_and_plurals(raw: polib.POFile, path: Path) -> None:
    """A header, and every plural entry with as many forms as the header says: polib would
    drop a form or leave a gap that the merge then fills with the wrong form."""
    problems = []
    if not raw.metadata:
        problems.append(PipelineError(
            'the catalog has no header (a first entry msgid "" with Language, Content-Type and '
            "Plural-Forms); restore it from git, or copy the header of another catalog of its "
            "language", path, 1))
    nplurals = _NPLURALS.search(raw.metadata.get("Plural-Forms", ""))
    count = int(nplurals.group(1)) if nplurals else GETTEXT_NPLURALS
    declared = f"the header says nplurals={count}" if nplurals else \
        f"the header has no nplurals (gettext reads {GETTEXT_NPLURALS})"
    for entry in raw:
        if (message := _plural_problem(entry, declared, count)) is not None:
            problems.append(PipelineError(message, path, entry.linenum))
    raise_all(problems)


def _refuse_duplicates(entries: list[Entry], path: Path) -> None:
    """Two active entries with the same English (polib's own check is quadratic)."""
    seen: dict[tuple[str | None, str], Entry] = {}
    problems = []
    for entry in entries:
        if entry.obsolete:
            continue
        if entry.key in seen:
            problems.append(PipelineError(
                f"duplicate entry for msgid {entry.msgid!r} (first at line "
                f"{seen[entry.key].line}); merge the two and keep one", path, entry.line))
        else:
            seen[entry.key] = entry
    raise_all(problems)


def read(path: Path) -> Catalog:
    """Read a PO/POT file; it must be UTF-8 (a byte-order mark is allowed)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise PipelineError(f"cannot read: {error.strerror}", path) from None
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise PipelineError("not UTF-8: save the catalog as UTF-8 (charset=UTF-8 in its header)",
                            path, line) from None
    if not text.strip():
        raise PipelineError("the catalog is empty; delete it and run `update` to recreate it, "
                            "or restore it from git", path)
    catalog = parse(text, path)
    charset = (catalog.header_value("Content-Type") or "").lower()
    if "charset=" in charset and "charset=utf-8" not in charset.replace(" ", ""):
        declared = next((number for number, found in enumerate(_lines(text), start=1)
                         if found.startswith('"Content-Type:')), None)
        raise PipelineError(f"the header declares {charset!r}; the pipeline reads and writes "
                            "UTF-8 only: convert it with `msgconv --to-code=UTF-8`", path,
                            declared)
    return catalog


# --- writing -------------------------------------------------------------------------------

def _escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            .replace("\t", "\\t").replace("\r", "\\r"))


def _field(prefix: str, keyword: str, text: str) -> list[str]:
    """A keyword and its string, wrapped as GNU gettext wraps it."""
    escaped = _escape(text)
    single = f'{prefix}{keyword} "{escaped}"'
    if "\n" not in text[:-1] and unicode_segmentation_rs.text_width(single) <= PAGE_WIDTH:
        return [single]
    width = PAGE_WIDTH - 2 - unicode_segmentation_rs.text_width(prefix)
    lines = [f'{prefix}{keyword} ""']
    parts: list[str] = []
    # gettext breaks after every newline first, then wraps each piece at the page width.
    for piece in text.splitlines(keepends=True):
        parts.extend(unicode_segmentation_rs.gettext_wrap(_escape(piece), width))
    lines.extend(f'{prefix}"{part}"' for part in parts)
    return lines


def _references(locations: tuple[str, ...]) -> list[str]:
    lines: list[str] = []
    current = "#:"
    for location in locations:
        if current != "#:" and len(current) + 1 + len(location) > PAGE_WIDTH:
            lines.append(current)
            current = "#:"
        current += " " + location
    if current != "#:":
        lines.append(current)
    return lines


def _comment(marker: str, text: str) -> str:
    return f"{marker} {text}".rstrip() if text else marker


def _entry_lines(entry: Entry) -> list[str]:
    lines = [_comment("#", text) for text in entry.translator_comments]
    if not entry.obsolete:
        lines += [_comment("#.", text) for text in entry.comments]
        lines += _references(entry.locations)
    if entry.flags:
        lines.append("#, " + ", ".join(entry.flags))
    prefix = "#~ " if entry.obsolete else ""
    previous = "#~| " if entry.obsolete else "#| "  # polib cannot read "#~|": never written
    if entry.previous_msgid is not None:
        lines += _field(previous, "msgid", entry.previous_msgid)
    if entry.previous_msgid_plural is not None:
        lines += _field(previous, "msgid_plural", entry.previous_msgid_plural)
    if entry.msgctxt is not None:
        lines += _field(prefix, "msgctxt", entry.msgctxt)
    lines += _field(prefix, "msgid", entry.msgid)
    if entry.msgid_plural is not None:
        lines += _field(prefix, "msgid_plural", entry.msgid_plural)
        forms = entry.msgstr_plural or ("", "")
        for index, form in enumerate(forms):
            lines += _field(prefix, f"msgstr[{index}]", form)
    else:
        lines += _field(prefix, "msgstr", entry.msgstr)
    return lines


def render(catalog: Catalog) -> bytes:
    """The canonical text of a catalog: what `msgcat` would write, so msgcat changes nothing."""
    lines = [_comment("#", text) for text in catalog.header_comment]
    header = "".join(f"{key}: {value}\n" for key, value in catalog.header)
    lines += _field("", "msgid", "") + _field("", "msgstr", header)
    # gettext writes obsolete entries after all others.
    ordered = sorted(catalog.entries, key=lambda entry: entry.obsolete)
    for entry in ordered:
        lines.append("")
        lines += _entry_lines(entry)
    return ("\n".join(lines) + "\n").encode("utf-8")
