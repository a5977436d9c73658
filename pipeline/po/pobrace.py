"""Python brace format directives as GNU gettext 0.21's PO writer finds them (see powrap)."""

from __future__ import annotations

from collections.abc import Iterable

# gettext keeps a line from breaking inside a format directive, as its format-python-brace.c
# marks them: that parser is ported here, offsets, bytes and errors as it has them.

_FORMATS = ("c", "objc", "python", "python-brace")  # gettext's first formats, in its order


def brace_format(flags: Iterable[str]) -> bool:
    """Whether gettext keeps Python brace format directives whole in an entry with these flags:
    the first of its formats that the flags make possible is python-brace."""
    possible = dict.fromkeys(_FORMATS, False)
    for flag in flags:
        name, value = flag.removesuffix("-format"), True
        for negation, meaning in (("no-", False), ("possible-", True), ("impossible-", False)):
            if name.startswith(negation):
                name, value = name.removeprefix(negation), meaning
                break
        if flag.endswith("-format") and name in possible:
            possible[name] = value
    return next((name for name in _FORMATS if possible[name]), None) == "python-brace"


def held_by_directives(text: str) -> set[int]:
    """The characters of a Python brace format string before which gettext 0.21 allows no break.

    Its format-python-brace.c marks a directive's start and end at offsets from the directive's
    own opening brace, which write-po.c reads as offsets from the start of the string: breaks
    are held from the second byte of the string to the end of the shortest directive found,
    and none are when the parser's first error comes sooner. (gettext 0.25.1 still does so.)"""
    data = text.encode("utf-8")
    ends, error = _brace_marks(data)
    if not ends or (error is not None and error <= min(ends)):
        return set()
    last = min(ends)
    held, place = set(), 0
    for index, char in enumerate(text):
        if place > last:
            break
        if place:
            held.add(index)
        place += len(char.encode("utf-8"))
    return held


def _brace_marks(data: bytes) -> tuple[list[int], int | None]:
    """For each directive before the parser's first error, the offset of its closing brace from
    its opening one; the offset of that error from the opening brace of the directive it is in."""
    ends: list[int] = []
    position = data.find(b"{")
    while position >= 0:
        after, end, error = _directive(data, position, True)
        if error is not None:
            return ends, error
        if end is not None:
            ends.append(end)
        position = data.find(b"{", after)
    return ends, None


_ALIGN = b"<>=^"
_TYPES = b"bcdoxXneEfFgG%"


def _at(data: bytes, place: int) -> int:
    return data[place] if place < len(data) else 0  # (the C string's terminating NUL)


def _field(data: bytes, place: int, numeric: bool) -> int:
    """After an identifier (or a number, when allowed) at the place; the place if none."""
    first = _at(data, place)
    if first == 95 or 65 <= first <= 90 or 97 <= first <= 122:
        while (now := _at(data, place)) == 95 or 65 <= now <= 90 or 97 <= now <= 122 \
                or 48 <= now <= 57:
            place += 1
    elif numeric:
        while 48 <= _at(data, place) <= 57:
            place += 1
    return place


def _directive(data: bytes, start: int, top: bool) -> tuple[int, int | None, int | None]:
    """parse_directive of format-python-brace.c for the brace at start: where parsing goes on,
    the offset of the directive's closing brace (for a top-level directive), the offset of an
    error."""
    if _at(data, start + 1) == 123:  # "{{"
        return start + 2, None, None
    place = _field(data, start + 1, True)
    if place == start + 1:
        return place, None, place - start
    while (now := _at(data, place)) in b".[":
        after = _field(data, place + 1, now == 91)
        if after == place + 1:
            return after, None, after - start
        place = after
        if now == 91:
            place += 1
            if _at(data, after) != 93:
                return place, None, place - start
    if _at(data, place) == 58:  # ":"
        if not top:
            return place, None, place - start
        place += 1
        if _at(data, place) == 123:  # a nested directive
            place, _, error = _directive(data, place, False)
            if error is not None:
                return place, None, error
        else:
            place = _specifier(data, place)
    if _at(data, place) != 125:
        return place, None, place - start
    return place + 1, place - start if top else None, None


def _specifier(data: bytes, place: int) -> int:
    """After a standard format specifier: [[fill]align][sign][#][0][width][.precision][type]."""
    if _at(data, place + 1) in _ALIGN:
        place += 2
    elif _at(data, place) in _ALIGN:
        place += 1
    for optional in (b"+- ", b"#", b"0"):
        place += _at(data, place) in optional
    while 48 <= _at(data, place) <= 57:
        place += 1
    if _at(data, place) == 46:  # "."
        place += 1
        while 48 <= _at(data, place) <= 57:
            place += 1
    return place + (_at(data, place) in _TYPES)
