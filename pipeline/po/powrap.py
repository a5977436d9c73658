"""The lines of a PO string exactly as GNU gettext's msgcat writes them (docs/design.md)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import accumulate, pairwise
from pathlib import Path

from pipeline.po.pobrace import brace_format, held_by_directives
from pipeline.po.posyntax import BREAK_INSIDE, ESCAPES, WORD, escape

# This is gettext 0.21's write-po.c wrap() with libunistring 1.0's u8_width_linebreaks_v2 and
# u8_possible_linebreaks_v2 (UAX #14 as that library implements it), for a UTF-8 catalog written
# without --indent, --escape or --no-wrap. The class and width of each code point and the table
# of class pairs are the library's own (pipeline/data/linebreak.txt, tools/linebreak_tables.py).

PAGE_WIDTH = 79  # gettext's default page width
_UNLIMITED = 2**31 - 1  # a no-wrap string's page width: C's INT_MAX
_TABLES = Path(__file__).resolve().parent.parent / "data" / "linebreak.txt"

# libunistring's class numbers: below 33 they index the pair table.
(WJ, GL, B2, BA, BB, HY, CL, CP1, CP2, EX, IN, NS, OP1, OP2, QU, IS, NU, PO, PR, SY, AL, H2, H3,
 ID1, ID2, JL, JV, JT, HL, RI, ZWJ, EB, EM, BK, CR, LF, CM, ZW, SP, CB, AI, SA, XX) = range(43)
_HL_BA = 100  # a Hebrew letter then a hyphen or break-after: known only while breaking
_CLASSES = ("WJ", "GL", "B2", "BA", "BB", "HY", "CL", "CP1", "CP2", "EX", "IN", "NS", "OP1", "OP2",
            "QU", "IS", "NU", "PO", "PR", "SY", "AL", "H2", "H3", "ID1", "ID2", "JL", "JV", "JT",
            "HL", "RI", "ZWJ", "EB", "EM", "BK", "CR", "LF", "CM", "ZW", "SP", "CB", "AI", "SA",
            "XX")
# What libunistring resolves before breaking, for an encoding that is not a CJK one: ambiguous
# as alphabetic, contingent as ideographic, complex-context scripts and unknown as alphabetic.
_RESOLVED = {AI: AL, CB: ID1, SA: AL, XX: AL}
_WORDS = re.compile(rf"{WORD}+(?: {WORD}+)*")
_BREAK_INSIDE = re.compile(BREAK_INSIDE)
_PORTION = re.compile(r"[^\n]*\n|[^\n]+")  # gettext writes each line of a text apart


@dataclass(frozen=True)
class Tables:
    """libunistring's line breaking data: code point -> class, code point -> columns, and for
    two classes whether a break may come between them (directly, after spaces, never)."""

    classes: bytes  # 0x110000 entries, resolved as _RESOLVED says
    widths: bytes  # 0x110000 entries; a control character's -1 counted as 0
    pairs: tuple[bytes, ...]  # pairs[before][after]: ord("D"), ord("I") or ord("P")


@cache
def tables() -> Tables:
    """The tables of pipeline/data/linebreak.txt (read once, when first needed)."""
    lines = [line for line in _TABLES.read_text("utf-8").splitlines()
             if not line.startswith("#")]
    codes = lines.index("codes")
    pairs = tuple(row.split()[1].encode("ascii") for row in lines[1:codes])
    classes, widths = bytearray(0x110000), bytearray(0x110000)
    starts = [line.split() for line in lines[codes + 1:]]
    for (first, name, width), (end, _, _) in zip(starts, [*starts[1:], ("110000", "", "")],
                                                 strict=True):
        start, stop = int(first, 16), int(end, 16)
        number = _CLASSES.index(name)
        classes[start:stop] = bytes((_RESOLVED.get(number, number),)) * (stop - start)
        widths[start:stop] = bytes((max(int(width), 0),)) * (stop - start)
    return Tables(bytes(classes), bytes(widths), pairs)


def columns(text: str) -> int:
    """The columns gettext counts for a text (uc_width of each character, without escapes)."""
    return len(text) if text.isascii() and text.isprintable() else \
        sum(text.translate(tables().widths).encode("latin-1"))


def opportunities(text: str) -> list[tuple[int, bool]]:
    """u8_possible_linebreaks_v2: the places before which a line may break, each with whether
    the character there is a line break character (U+2028, U+0085...)."""
    data = tables()
    pairs = data.pairs
    result = []
    before = last = BK  # the class of the character before, of the last that is not a space
    space = False  # spaces since the last character that was not one
    regional = 0  # regional indicators just before
    for place, now in enumerate(text.translate(data.classes).encode("latin-1")):
        if now in (BK, LF, CR):
            result.append((place, True))
            before, last, space = now, BK, False
            regional = 0
            continue
        if now == SP:
            space = True
        elif now == ZW:
            last, space = ZW, False
        elif now in (CM, ZWJ):  # as the character before it, or else as a letter
            if last in (BK, ZW) or space:
                if last != BK:
                    result.append((place, False))
                last, space = AL, False
        else:
            if _pair(before, last, now, space, regional, pairs):
                result.append((place, False))
            last, space = now, False
        before = _HL_BA if before == HL and now in (HY, BA) else now
        regional = regional + 1 if now == RI else 0
    return result


def _pair(before: int, last: int, now: int, space: bool, regional: int,
          pairs: tuple[bytes, ...]) -> bool:
    """Whether a line may break before a character that is not a space or combining mark."""
    if last == BK:
        return False
    if last == ZW:
        return True
    if before == ZWJ:
        return False
    if last == RI and now == RI:
        return space or regional % 2 == 0
    if before == _HL_BA:
        return False
    pair = pairs[last][now]
    return pair == 68 or (pair == 73 and space)  # "D", or "I" after spaces


def breaker(text: str, held: Iterable[int]) -> Callable[[int, int], list[int]]:
    """u8_width_linebreaks_v2 for an escaped text: the function that gives where its lines
    start after the first, for lines of `width` columns of which the first starts at column
    `start`. `held` are the places where gettext allows no break (inside an escape or a format
    directive). The places where a line may break are found once, when first needed."""
    held = set(held)
    ascii_ = text.isascii() and text.isprintable()
    total = len(text) if ascii_ else columns(text)
    found: list[list[tuple[int, bool]]] = []  # (once found)
    ends: Sequence[int] = range(len(text) + 1) if ascii_ else \
        list(accumulate(text.translate(tables().widths).encode("latin-1"), initial=0))

    def breaks(width: int, start: int) -> list[int]:
        if start + total <= width:
            return []
        if not held and plain(text):
            return _plain_breaks(text, width, start)
        if not found:
            found.append([(place, mandatory) for place, mandatory in opportunities(text)
                          if place not in held])
        return _layout(found[0], ends, width, start)

    return breaks


def _layout(found: list[tuple[int, bool]], ends: Sequence[int], width: int,
            start: int) -> list[int]:
    """The breaks among the opportunities found, for lines of `width` columns; `ends` are the
    columns before each character and after the last."""
    result = []
    last: int | None = None  # the last opportunity, where a line may yet be broken
    column, begin = start, 0  # where the piece since that opportunity starts, and its first
    for place, mandatory in found:
        piece = ends[place] - ends[begin]
        if last is not None and column + piece > width:
            result.append(last)
            column = 0
        if mandatory:  # a new line of the text, which gettext writes on the same line
            last, column, begin = None, 0, place + 1
        else:
            last, column, begin = place, column + piece, place
    if last is not None and column + ends[-1] - ends[begin] > width:
        result.append(last)
    return result


def plain(text: str) -> bool:
    """Words of one column between single spaces, where a line may break only at a space and
    at every space: their lines break after the last space that fits."""
    return bool(_WORDS.fullmatch(text)) and not _BREAK_INSIDE.search(text)


def _plain_breaks(text: str, width: int, start: int) -> list[int]:
    result = []
    begin, column = 0, start
    while column + len(text) - begin > width:
        cut = text.rfind(" ", begin, begin + width - column) + 1
        if cut <= begin:  # the line's first word does not fit: alone on its line
            cut = text.find(" ", begin) + 1
            if not cut:
                break
        result.append(cut)
        begin, column = cut, 0
    return result


def wraps(flags: Iterable[str]) -> bool:
    """Whether gettext wraps the strings of an entry with these flags: not with no-wrap."""
    result = True
    for flag in flags:
        if flag in ("wrap", "no-wrap"):
            result = flag == "wrap"
    return result


def _escaped(portion: str, offset: int, inside: set[int]) -> tuple[str, list[int]]:
    """A portion of a string as the PO file holds it, and the places in it where gettext allows
    no break: the second character of an escape, and any but the first of a directive."""
    if not inside:
        escaped = escape(portion)
        if len(escaped) == len(portion):
            return escaped, []
    pieces, held = [], []
    place = 0
    for index, char in enumerate(portion, offset):
        piece = ESCAPES.get(char, char)
        if index in inside:
            held.append(place)
        if len(piece) == 2:
            held.append(place + 1)
        pieces.append(piece)
        place += len(piece)
    return "".join(pieces), held


def po_lines(keyword: str, text: str, prefix: str = "", flags: Iterable[str] = (),
             width: int = PAGE_WIDTH) -> list[str]:
    """A keyword and its string as msgcat writes them: each line of the text on lines of its
    own, wrapped to the page width; a string that takes more than one line starts with ""."""
    flags = tuple(flags)
    width = max(width, 20)  # as gettext takes --width
    inside = held_by_directives(text) if text and brace_format(flags) else set()
    after_break = len(prefix) + 1  # where a continuation line's text starts
    room = (width if wraps(flags) else _UNLIMITED) - 1 - after_break  # (1: the closing quote)
    lines: list[str] = []
    head = f"{prefix}{keyword} "  # the first line's start
    portions = _PORTION.findall(text) or [""]
    offset = 0
    for number, portion in enumerate(portions, 1):
        escaped, held = _escaped(portion, offset, inside)
        offset += len(portion)
        if portion.endswith("\n"):
            held.append(len(escaped) - 2)  # no break just before the \n at the end
        breaks = breaker(escaped, held)
        cuts = breaks(room, len(keyword) + 1 if number == 1 else 0)
        # gettext starts a string that takes more than one line on a line of its own
        if number == 1 and escaped and (len(portions) > 1 or cuts or len(keyword) + 1 > room):
            lines.append(f'{head}""')
            head = prefix
            cuts = breaks(room, 0)
        ends = [*cuts, len(escaped)]
        lines.append(f'{head}"{escaped[:ends[0]]}"')
        lines += [f'{prefix}"{escaped[begin:end]}"' for begin, end in pairwise(ends)]
        head = prefix
    return lines
