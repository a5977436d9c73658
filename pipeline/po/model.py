"""The catalog model: a PO file's entries and header as frozen values, apart from PO syntax."""

from __future__ import annotations

from dataclasses import dataclass, field, replace


@dataclass(frozen=True, slots=True)  # slots: an update holds every entry of every catalog
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


Forms = tuple[int, ...]  # the N of an entry's msgstr[N], in order


@dataclass(frozen=True)
class Parsed:
    """What a reader found in PO text, before its header and plural forms are checked."""

    header_comment: tuple[str, ...]
    metadata: dict[str, str]
    entries: list[Entry]
    plurals: list[tuple[Entry, Forms]]  # the entries with msgid_plural or msgstr[N]
