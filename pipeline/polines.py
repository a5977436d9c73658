"""PO text in any layout, read line by line: strict checks of every line and entry first, then
the entries as gettext's line grammar builds them."""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.errors import PipelineError, raise_all
from pipeline.pofile import CONTROL, FIX, STRING, header_fields, unescape

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


class RawEntry:
    """An entry as the line reader builds it."""

    def __init__(self, line: int) -> None:
        self.msgid = self.msgstr = self.msgid_plural = self.comment = self.tcomment = ""
        self.forms: dict[int, str] = {}
        self.msgctxt: str | None = None
        self.previous_msgid: str | None = None
        self.previous_msgid_plural: str | None = None
        self.obsolete = False
        self.locations: list[str] = []
        self.flags: list[str] = []
        self.line = line

    def same(self, other: RawEntry) -> bool:
        """Equal as the header search compares entries (not by comments, flags or history)."""
        return (self.obsolete == other.obsolete and sorted(self.locations) ==
                sorted(other.locations) and (self.msgctxt or "0") == (other.msgctxt or "0")
                and (self.msgid_plural or "0") == (other.msgid_plural or "0")
                and list(self.forms.values()) == list(other.forms.values())
                and self.msgid == other.msgid and self.msgstr == other.msgstr)


class _SyntaxError(Exception):
    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


# The line reader's states, what the last line read was: st the start, he the header comment,
# tc a translator comment, gc an extracted comment, oc locations, fl flags, pc, pm, pp the
# previous msgctxt, msgid, msgid_plural, ct msgctxt, mi msgid, mp msgid_plural, ms msgstr, mx
# msgstr[N]; mc is a continuation line, which keeps the state. A line of each kind may follow
# only these: polib's transitions, so that every catalog that polib read reads the same.
_ALL = frozenset(("st", "he", "gc", "oc", "fl", "ct", "pc", "pm", "pp", "tc", "ms", "mp", "mx",
                  "mi"))
_FOLLOWS = {"tc": _ALL - {"ct"}, "gc": _ALL, "oc": _ALL, "fl": _ALL, "pc": _ALL, "pm": _ALL,
            "pp": _ALL, "ct": _ALL - {"ct", "mp", "mi"}, "mi": _ALL - {"mi", "mp"},
            "mp": frozenset(("tc", "gc", "pc", "pm", "pp", "mi")),
            "ms": frozenset(("mi", "mp", "tc")), "mx": frozenset(("mi", "mx", "mp", "tc")),
            "mc": frozenset(("ct", "mi", "mp", "ms", "mx", "pm", "pp", "pc"))}
_KEYWORDS = {"msgctxt": "ct", "msgid": "mi", "msgstr": "ms", "msgid_plural": "mp"}
_PREVIOUS = {"msgid_plural": "pp", "msgid": "pm", "msgctxt": "pc"}
_UNESCAPED_QUOTE = re.compile(r'([^\\]|^)"')


def _symbol(line: str, tokens: list[str], number: int) -> tuple[str, str] | None:
    """What a stripped, non-blank line is (a state) and its text; None for a line to skip."""
    if tokens[0] in _KEYWORDS and len(tokens) > 1:
        token = line[len(tokens[0]):].lstrip()
        if _UNESCAPED_QUOTE.search(token[1:-1]):
            raise _SyntaxError(number)
        return _KEYWORDS[tokens[0]], token
    if line[:1] == '"':
        if _UNESCAPED_QUOTE.search(line[1:-1]):
            raise _SyntaxError(number)
        return "mc", line
    if line[:7] == "msgstr[":
        return "mx", line
    marker = tokens[0]
    if marker in ("#:", "#,", "#.") and len(tokens) == 1:
        return None
    if marker in ("#:", "#,", "#."):
        return {"#:": "oc", "#,": "fl", "#.": "gc"}[marker], line
    if marker == "#" or marker.startswith("##"):
        return "tc", line
    if marker != "#|" or len(tokens) == 1:
        raise _SyntaxError(number)
    token = line[2:].lstrip()
    if tokens[1].startswith('"'):
        return "mc", token
    if len(tokens) == 2 or tokens[1] not in _PREVIOUS:
        raise _SyntaxError(number)
    return _PREVIOUS[tokens[1]], token[len(tokens[1]):].lstrip()


def _read_lines(text: str) -> tuple[tuple[str, ...], dict[str, str], list[RawEntry]]:
    """The header comment, header fields and entries of text that passed the line checks."""
    header, state, tokens, form = "", "st", [], 0
    entries: list[RawEntry] = []
    current = RawEntry(0)
    for number, line in enumerate(_split_lines(text), start=1):
        line = line.strip()
        if not line:
            continue
        tokens = line.split(None, 2)
        if tokens[0] == "#~|":
            continue
        obsolete = tokens[0] == "#~" and len(tokens) > 1
        if obsolete:
            line, tokens = line[3:].strip(), tokens[1:]
        if (found := _symbol(line, tokens, number)) is None:
            continue
        symbol, token = found
        if state not in _FOLLOWS[symbol]:
            raise _SyntaxError(number)
        if symbol not in ("mp", "ms", "mx", "mc") and state in ("ms", "mx"):
            entries.append(current)
            current = RawEntry(number)
        if symbol == "tc" and state in ("st", "he"):
            header += ("\n" if header else "") + token[2:]
            state = "he"
            continue
        if symbol != "mc":
            state = symbol
        if symbol == "tc":
            comment = token.lstrip("#")
            current.tcomment += ("\n" if current.tcomment else "") + comment.removeprefix(" ")
        elif symbol == "gc":
            current.comment += ("\n" if current.comment else "") + token[3:]
        elif symbol == "oc":
            current.locations += token[3:].split()
        elif symbol == "fl":
            current.flags += [flag.strip() for flag in token[3:].split(",")]
        elif symbol == "mx":
            try:
                form = int(token[7])
            except (IndexError, ValueError):
                raise _SyntaxError(number) from None
            current.forms[form] = unescape(token[token.find('"') + 1:-1])
        elif symbol == "mc":
            _continue(current, state, form, unescape(token[1:-1]))
        else:
            _keyword(current, symbol, unescape(token[1:-1]), obsolete)
    if tokens and not tokens[0].startswith("#"):
        entries.append(current)
    metadata, read = _header_of(entries)
    return tuple(header.split("\n")) if header else (), metadata, read


def _keyword(raw: RawEntry, symbol: str, value: str, obsolete: bool) -> None:
    if symbol == "mi":
        raw.msgid, raw.obsolete = value, obsolete
    elif symbol == "ct":
        raw.msgctxt = value
    elif symbol == "mp":
        raw.msgid_plural = value
    elif symbol == "ms":
        raw.msgstr = value
    elif symbol == "pm":
        raw.previous_msgid = value
    elif symbol == "pp":
        raw.previous_msgid_plural = value


def _continue(raw: RawEntry, state: str, form: int, value: str) -> None:
    """A continuation line: more text for the string of the keyword before it."""
    if state == "mx":
        raw.forms[form] += value
    elif state != "pc":
        field = {"ct": "msgctxt", "mi": "msgid", "mp": "msgid_plural", "ms": "msgstr",
                 "pm": "previous_msgid", "pp": "previous_msgid_plural"}[state]
        setattr(raw, field, getattr(raw, field) + value)


def _header_of(raws: list[RawEntry]) -> tuple[dict[str, str], list[RawEntry]]:
    """The header fields, and the entries without the header: the one current entry with an
    empty msgid or, of several, the last without a context (else the first)."""
    found = [raw for raw in raws if raw.msgid == "" and not raw.obsolete]
    if not found:
        return {}, raws
    header = found[0] if len(found) == 1 else \
        next((raw for raw in reversed(found) if not raw.msgctxt), found[0])
    del raws[next(index for index, raw in enumerate(raws) if raw is header or raw.same(header))]
    return header_fields(header.msgstr), raws


def _split_lines(text: str) -> list[str]:
    """The lines of PO text as gettext reads them: split at line feeds only (str.splitlines
    also splits at U+2028, U+0085 and others, which a translation may hold), CRLF allowed."""
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


def read(text: str, path: Path) -> tuple[tuple[str, ...], dict[str, str], list[RawEntry]]:
    """The header comment, header fields and entries of PO text in any layout; a syntax error
    becomes a PipelineError with its line."""
    _check_lines(text, path)
    _check_complete(_split_lines(text), path)
    _check_entries(text, path)
    try:
        return _read_lines(text)
    except _SyntaxError as error:
        raise PipelineError(f"not a valid PO file: Syntax error in po file; {FIX}", path,
                            error.line) from None
