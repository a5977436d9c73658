"""Gettext PO files at the edge: read strictly, write in msgcat's canonical form exactly."""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.errors import PipelineError, raise_all
from pipeline.po.model import Catalog, Entry, Forms, Parsed
from pipeline.po.posyntax import CONTROL, FIX, PAGE_WIDTH, STRING
from pipeline.po.powrap import po_lines
from pipeline.runtime.fsio import CATALOG, read_bounded

# --- reading -------------------------------------------------------------------------------

_NPLURALS = re.compile(r"nplurals\s*=\s*(\d+)")
GETTEXT_NPLURALS = 2  # what gettext reads when a header has no Plural-Forms


# The layout this module and msgcat write, one entry a match: translator comments, extracted
# comments, locations, flags, previous msgid, then the keywords, all or none of them obsolete.
# Text in it is read in one pass and needs none of the line checks; any other text is read by
# polines: polib, after strict checks, to the same entries.
_HELD = rf"[^{CONTROL}]*"
_VISIBLE = rf"[^\s{CONTROL}]"


def _strings(prefix: str) -> str:
    return rf"({STRING}\n(?:{prefix}{STRING}\n)*)"


_SAME = r"\7"  # the obsolete prefix of the entry's first keyword, or none
CANONICAL = re.compile(
    rf"(?:[ \t]*\n)*((?:#(?: {_HELD})?\n)*)((?:#\. {_VISIBLE}{_HELD}\n)*)"
    rf"((?:#: {_VISIBLE}{_HELD}\n)*)(?:#, ({_VISIBLE}{_HELD})\n)?"
    rf"(?:#\| msgid {_strings('#[|] ')})?(?:#\| msgid_plural {_strings('#[|] ')})?"
    rf"((?:#~ )?)(?:msgctxt {_strings(_SAME)}\7)?msgid {_strings(_SAME)}"
    rf"(?:\7msgid_plural {_strings(_SAME)})?"
    rf"(?:\7msgstr {_strings(_SAME)}|((?:\7msgstr\[[0-9]\] {STRING}\n(?:\7{STRING}\n)*)+))"
)
_BLANK_LINES = re.compile(r"(?:[ \t]*\n)*")
_FORM = re.compile(r"^(?:#~ )?msgstr\[([0-9])\] ", re.MULTILINE)
_ESCAPE = re.compile(r'\\(\\|n|t|r|v|b|f|a|")')
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "v": "\v", "b": "\b", "f": "\f", "a": "\a",
            "\\": "\\", '"': '"'}


def unescape(text: str) -> str:
    return _ESCAPE.sub(lambda found: _ESCAPES[found.group(1)], text) if "\\" in text else text


def header_fields(msgstr: str) -> dict[str, str]:
    """The header fields; a line without a colon continues the field before it."""
    metadata: dict[str, str] = {}
    key = None
    for line in msgstr.splitlines():
        name, colon, value = line.partition(":")
        if colon:
            key = name
            metadata[key] = value.strip()
        elif key is not None:
            metadata[key] += "\n" + line.strip()
    return metadata


def string_value(block: str, joint: str) -> str:
    """The text of a keyword's string and its continuation lines, which the joint separates (a
    closing quote, a line feed, the line's prefix, an opening quote)."""
    return unescape(block[1:-2].replace(joint, ""))


def _forms(block: str, joint: str) -> dict[int, str]:
    pieces = _FORM.split(block)
    return {int(index): string_value(text, joint)
            for index, text in zip(pieces[1::2], pieces[2::2], strict=True)}


def _comments(values: list[str]) -> tuple[str, ...]:
    """Comment lines without the empty ones before the first, as polib reads them."""
    while values and not values[0]:
        values.pop(0)
    return tuple(values)


def _read_canonical(text: str) -> Parsed | None:
    """The catalog of text in the canonical layout, or None for any other text."""
    text = text if text.endswith("\n") else text + "\n"
    match, count = CANONICAL.match, text.count
    header: tuple[str, ...] = ()
    entries: list[Entry] = []
    plurals: list[tuple[Entry, Forms]] = []
    headers: list[int] = []  # the entries with msgid "", not obsolete
    position = previous = 0
    number = 1
    while found := match(text, position):
        start = found.start(1)
        number += count("\n", previous, start)
        previous = start
        tc, gc, oc, fl, pm, pp, prefix, ct, mi, mp, ms, mx = found.groups()
        joint = '"\n#~ "' if prefix else '"\n"'
        translator = _comments([line.rstrip()[2:] for line in tc[:-1].split("\n")]) \
            if tc else ()
        if not entries:
            header, translator = translator, ()
        msgid = mi[1:-2].replace(joint, "")
        if "\\" in msgid:
            msgid = unescape(msgid)
        plural = string_value(mp, joint) if mp else None
        forms = _forms(mx, joint) if mx else {}
        keys = tuple(sorted(forms)) if forms else ()
        if plural:
            msgstr, translations = "", tuple(forms[key] for key in keys)
        else:
            translations = ()
            msgstr = ms[1:-2].replace(joint, "") if ms else ""
            if "\\" in msgstr:
                msgstr = unescape(msgstr)
        if not msgid and not prefix:
            headers.append(len(entries))
        entry = Entry(  # positional: faster than keywords for the thousands of entries
            msgid, msgstr, plural or None, translations,
            string_value(ct, joint) if ct is not None else None,
            tuple(oc[3:].replace("\n#: ", " ").split()) if oc else (),
            tuple(line.rstrip() for line in gc[3:-1].split("\n#. ")) if gc else (),
            translator,
            tuple(flag.strip() for flag in fl.rstrip().split(",")) if fl else (),
            string_value(pm, '"\n#| "') if pm else None,
            string_value(pp, '"\n#| "') if pp else None,
            bool(prefix), number if entries else 0)
        entries.append(entry)
        if mx or mp:
            plurals.append((entry, keys))
        position = found.end()
    if not _BLANK_LINES.fullmatch(text, position):
        return None
    if len(headers) > 1 or (headers and entries[headers[0]].msgid_plural is not None):
        return None  # polib's rules decide which is the header, and its text
    if not headers:
        return Parsed(header, {}, entries, plurals)
    first = entries.pop(headers[0])
    return Parsed(header, header_fields(first.msgstr), entries,
                  [(entry, keys) for entry, keys in plurals if entry is not first])


def parse(text: str, path: Path) -> Catalog:
    """A catalog from PO text; syntax errors become PipelineErrors with the line."""
    read = _read_canonical(text)
    if read is None:
        from pipeline.po import polines  # (imported when needed: it imports polib)

        read = polines.read(text, path)
    _check_header_and_plurals(read.metadata, read.plurals, path)
    _refuse_duplicates(read.entries, path)
    return Catalog(header_comment=read.header_comment, header=tuple(read.metadata.items()),
                   entries=tuple(read.entries))


def _plural_problem(entry: Entry, forms: Forms, declared: str, count: int) -> str | None:
    if entry.msgid_plural is None:
        return (f"msgstr[{forms[0]}] without msgid_plural: an entry without plural forms has "
                f"one msgstr; {FIX}") if forms else None
    if forms and forms == tuple(range(len(forms))):
        # A count other than the header's is a rule that changed: update keeps every form and
        # asks for review (catalogs.py), msgfmt's check keeps the entry from being published.
        return None
    have = ", ".join(f"msgstr[{index}]" for index in forms) or "no msgstr[N]"
    return (f"the entry has {have} where {declared}; give it msgstr[0] to "
            f"msgstr[{count - 1}], or correct Plural-Forms in the header")


def _check_header_and_plurals(metadata: dict[str, str], plurals: list[tuple[Entry, Forms]],
                              path: Path) -> None:
    """A header, and every plural entry with its forms numbered from 0 without a gap: a gap
    would be filled by the merge with the wrong form."""
    problems = []
    if not metadata:
        problems.append(PipelineError(
            'the catalog has no header (a first entry msgid "" with Language, Content-Type and '
            "Plural-Forms); restore it from git, or copy the header of another catalog of its "
            "language", path, 1))
    nplurals = _NPLURALS.search(metadata.get("Plural-Forms", ""))
    count = int(nplurals.group(1)) if nplurals else GETTEXT_NPLURALS
    declared = f"the header says nplurals={count}" if nplurals else \
        f"the header has no nplurals (gettext reads {GETTEXT_NPLURALS})"
    for entry, forms in plurals:
        if (message := _plural_problem(entry, forms, declared, count)) is not None:
            problems.append(PipelineError(message, path, entry.line))
    raise_all(problems)


def _refuse_duplicates(entries: list[Entry], path: Path) -> None:
    """Two active entries with the same English."""
    active = [(entry.msgctxt, entry.msgid) for entry in entries if not entry.obsolete]
    if len(set(active)) == len(active):
        return
    seen: dict[tuple[str | None, str], Entry] = {}
    problems = []
    for entry in entries:
        if entry.obsolete:
            continue
        first = seen.setdefault((entry.msgctxt, entry.msgid), entry)
        if first is not entry:
            problems.append(PipelineError(
                f"duplicate entry for msgid {entry.msgid!r} (first at line {first.line}); merge "
                "the two and keep one", path, entry.line))
    raise_all(problems)


def read(path: Path) -> Catalog:
    """Read a PO/POT file; it must be UTF-8 (a byte-order mark is allowed)."""
    return from_bytes(file_bytes(path), path)


def file_bytes(path: Path) -> bytes:
    """The bytes of a catalog file, or a PipelineError that says why they cannot be read."""
    return read_bounded(path, CATALOG)


def from_bytes(data: bytes, path: Path) -> Catalog:
    """A catalog from the bytes of the PO/POT file at `path` (which errors name)."""
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise PipelineError("not UTF-8: save the catalog as UTF-8 (charset=UTF-8 in its header)",
                            path, line) from None
    if not text or text.isspace():
        raise PipelineError("the catalog is empty; delete it and run `update` to recreate it, "
                            "or restore it from git", path)
    catalog = parse(text, path)
    charset = (catalog.header_value("Content-Type") or "").lower()
    if "charset=" in charset and "charset=utf-8" not in charset.replace(" ", ""):
        declared = next((number for number, found in enumerate(text.split("\n"), start=1)
                         if found.startswith('"Content-Type:')), None)
        raise PipelineError(f"the header declares {charset!r}; the pipeline reads and writes "
                            "UTF-8 only: convert it with `msgconv --to-code=UTF-8`", path,
                            declared)
    return catalog


# --- writing -------------------------------------------------------------------------------

def _references(locations: tuple[str, ...]) -> list[str]:
    if len(locations) == 1:  # the usual case: one line, however long
        return [f"#: {locations[0]}"]
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
    previous = "#~| " if entry.obsolete else "#| "  # "#~|" is skipped when read: never written
    flags = entry.flags  # (no-wrap, and a format's directives, change where lines break)
    if entry.previous_msgid is not None:
        lines += po_lines("msgid", entry.previous_msgid, previous, flags)
    if entry.previous_msgid_plural is not None:
        lines += po_lines("msgid_plural", entry.previous_msgid_plural, previous, flags)
    if entry.msgctxt is not None:
        lines += po_lines("msgctxt", entry.msgctxt, prefix, flags)
    lines += po_lines("msgid", entry.msgid, prefix, flags)
    if entry.msgid_plural is not None:
        lines += po_lines("msgid_plural", entry.msgid_plural, prefix, flags)
        forms = entry.msgstr_plural or ("", "")
        for index, form in enumerate(forms):
            lines += po_lines(f"msgstr[{index}]", form, prefix, flags)
    else:
        lines += po_lines("msgstr", entry.msgstr, prefix, flags)
    return lines


def header_text(catalog: Catalog) -> str:
    """The header comment and header entry of a catalog, as render writes them."""
    lines = [_comment("#", text) for text in catalog.header_comment]
    header = "".join(f"{key}: {value}\n" for key, value in catalog.header)
    lines += po_lines("msgid", "") + po_lines("msgstr", header)
    return "\n".join(lines) + "\n"


def entry_text(entry: Entry) -> str:
    """One entry, as render writes it (the blank line that separates entries not included)."""
    return "\n".join(_entry_lines(entry)) + "\n"


def field_text(keyword: str, text: str) -> str:
    """A keyword and its string, as render writes them in an entry that is not obsolete and has
    no flags."""
    return "\n".join(po_lines(keyword, text)) + "\n"


def render(catalog: Catalog) -> bytes:
    """The canonical text of a catalog: what `msgcat` would write, so msgcat changes nothing."""
    # gettext writes obsolete entries after all others.
    entries = [entry for entry in catalog.entries if not entry.obsolete] + \
        [entry for entry in catalog.entries if entry.obsolete]
    return "\n".join([header_text(catalog), *map(entry_text, entries)]).encode("utf-8")
