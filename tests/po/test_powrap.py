"""The PO writer's layout is msgcat's: the installed GNU msgcat rewrites none of its lines."""

from __future__ import annotations

import random
import subprocess
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.po import posyntax, powrap
from tests import potexts

Make = Callable[[random.Random], str]


def _entry(number: int, text: str, flags: tuple[str, ...], width: int) -> list[str]:
    """An entry whose every keyword holds text: msgid, its plural and msgstr[N], and as the
    previous msgid of a fuzzy entry ("#| ") or the strings of an obsolete one ("#~ ")."""
    def lines(keyword: str, value: str, prefix: str = "") -> list[str]:
        return powrap.po_lines(keyword, value, prefix, flags, width)

    marks = [f"#, {', '.join(flags)}"] if flags else []
    kind = number % 4
    if kind == 0:
        return marks + lines("msgid", f"{number} {text}") + lines("msgstr", text)
    if kind == 1:
        return (marks + lines("msgctxt", text) + lines("msgid", f"{number}")
                + lines("msgid_plural", text) + lines("msgstr[0]", text)
                + lines("msgstr[1]", f"{number} {text}"))
    if kind == 2:
        return [f"#, {', '.join(('fuzzy', *flags))}", *lines("msgid", text, "#| "),
                *lines("msgid", f"{number}"), *lines("msgstr", text)]
    return marks + lines("msgid", f"{number} {text}", "#~ ") + lines("msgstr", text, "#~ ")


def _catalog(texts: list[str], flags: tuple[str, ...], width: int) -> str:
    header = powrap.po_lines("msgid", "", width=width) + powrap.po_lines(
        "msgstr", "Content-Type: text/plain; charset=UTF-8\n", width=width)
    return "\n".join("\n".join(lines) + "\n" for lines in
                     [header, *(_entry(number, text, flags, width)
                                for number, text in enumerate(texts))])


def rewritten(make: Make, count: int, seed: int, flags: tuple[str, ...] = (),
              width: int = powrap.PAGE_WIDTH) -> list[tuple[str, str]]:
    """The entries of a catalog of `count` texts laid out by powrap that msgcat (one run for the
    whole catalog) writes otherwise, each with msgcat's."""
    rng = random.Random(seed)
    ours = _catalog([make(rng) for _ in range(count)], flags, width)
    theirs = subprocess.run(["msgcat", f"--width={width}", "-"], input=ours.encode("utf-8"),
                            capture_output=True, check=True).stdout.decode("utf-8")
    # (msgcat writes the obsolete entries last: entries are compared, not their order)
    written, read = ours.split("\n\n"), theirs.split("\n\n")
    assert len(written) == len(read)
    return list(zip(sorted(set(written) - set(read)), sorted(set(read) - set(written)),
                    strict=True))


# Every kind of text, at the page width and at narrow ones where many more lines break; Python
# brace format strings, whose directives gettext 0.21 marks at offsets from the string's start;
# strings of entries with no-wrap.
RUNS: list[tuple[Make, tuple[str, ...], int]] = [
    (potexts.text, (), 79), (potexts.text, (), 20), (potexts.text, (), 33),
    (potexts.brace_text, ("python-brace-format",), 20),
    (potexts.brace_text, ("python-brace-format",), 27),
    (potexts.text, ("python-brace-format",), 79), (potexts.text, ("no-wrap",), 79),
]


@pytest.mark.parametrize(("make", "flags", "width"), RUNS)
def test_msgcat_rewrites_no_line_of_a_sample(make: Make, flags: tuple[str, ...],
                                              width: int) -> None:
    assert rewritten(make, 1_500, width, flags, width) == []


@pytest.mark.slow
@pytest.mark.parametrize(("make", "flags", "width"), RUNS)
def test_msgcat_rewrites_no_line_of_many(make: Make, flags: tuple[str, ...], width: int) -> None:
    count = 100_000 if make is potexts.text and width == powrap.PAGE_WIDTH and not flags \
        else 20_000
    assert rewritten(make, count, 1_000 + width, flags, width) == []


X = "x" * 60


@pytest.mark.parametrize(("text", "lines"), [
    # after the "U." of "U.S.", the "p." of "p.m.", the "example." of a URL; before a "°"
    (f"{X}{'x' * 13} U.S. more", [f"{X}{'x' * 13} U.", "S. more"]),
    (f"{X}{'x' * 13} p.m. more", [f"{X}{'x' * 13} p.", "m. more"]),
    (f"{X}xxx www.example.org/a", [f"{X}xxx www.example.", "org/a"]),
    (f"{X}{'x' * 10} 38.5 °C", [f"{X}{'x' * 10} 38.5 ", "°C"]),
    # lam-alef is two characters of one column each (one ligature of one column would fit)
    ("لا" * 36 + " a", ["لا" * 36 + " a"]),
])
def test_where_msgcat_breaks_what_the_old_writer_did_not(text: str, lines: list[str]) -> None:
    assert powrap.po_lines("msgid", text) == ['msgid ""', *(f'"{line}"' for line in lines)]
    assert rewritten(lambda _: text, 1, 0) == []


def test_a_word_longer_than_a_line_stays_on_the_keyword_line() -> None:
    word = "x" * 100
    assert powrap.po_lines("msgstr", word) == [f'msgstr "{word}"']
    assert powrap.po_lines("msgstr", f"a {word}") == ['msgstr ""', '"a "', f'"{word}"']
    assert powrap.po_lines("msgstr", "a\nb") == ['msgstr ""', '"a\\n"', '"b"']


def test_flags_that_change_the_layout() -> None:
    text = "word " * 30
    assert len(powrap.po_lines("msgid", text, flags=("fuzzy", "no-wrap"))) == 1
    assert len(powrap.po_lines("msgid", text, flags=("no-wrap", "wrap"))) > 1
    assert powrap.brace_format(("python-brace-format",))
    assert powrap.brace_format(("possible-python-brace-format", "fuzzy"))
    assert not powrap.brace_format(("no-python-brace-format",))
    assert not powrap.brace_format(("c-format", "python-brace-format"))  # C's parser first
    assert not powrap.brace_format(("xpython-brace-format",))


def test_gettext_holds_breaks_at_offsets_from_the_strings_start() -> None:
    """format-python-brace.c marks "{count}" at 0 and 6 from its own brace; write-po.c reads
    them from the string's start, so no break in its first 7 characters, wherever it is."""
    text = "a b c d " + "{count}"
    assert powrap.held_by_directives(text) == set(range(1, 7))
    assert powrap.held_by_directives("{a} {bad") == {1, 2}  # (an error after the end)
    assert powrap.held_by_directives("{abcdef} {!") == set()  # an error before it: none
    assert powrap.held_by_directives("é {ab}") == {1, 2}  # bytes: é takes two


# --- the tables, and the fast path that skips them -------------------------------------------

WORD_CHARACTERS = [chr(code) for code in range(0x21, 0x7F)
                   if powrap.re.fullmatch(posyntax.WORD, chr(code))]
LETTERS = [chr(code) for code in range(0xC0, 0x460)
           if powrap.re.fullmatch(f"[{posyntax.LETTERS}]", chr(code))]


def test_plain_characters_are_of_one_column_and_classes_without_rules_of_their_own() -> None:
    tables = powrap.tables()
    assert len(WORD_CHARACTERS) == 82 and len(LETTERS) == 347
    for char in WORD_CHARACTERS + LETTERS:
        assert tables.widths[ord(char)] == 1
        assert tables.classes[ord(char)] in (powrap.AL, powrap.NU, powrap.QU, powrap.PR,
                                             powrap.PO, powrap.IS, powrap.EX)
    assert {tables.classes[ord(char)] for char in LETTERS} == {powrap.AL}


def test_plain_text_breaks_at_every_space_and_nowhere_else() -> None:
    """For every two plain characters: posyntax.BREAK_INSIDE finds them exactly when a line may
    break between them, or may not break at a space between them (a letter stands for all)."""
    inside = powrap.re.compile(posyntax.BREAK_INSIDE)
    for first in [*WORD_CHARACTERS, LETTERS[0], LETTERS[-1]]:
        for second in [*WORD_CHARACTERS, LETTERS[0], LETTERS[-1]]:
            together, apart = first + second, f"{first} {second}"
            assert bool(powrap.opportunities(together)) == bool(inside.search(together))
            assert bool(powrap.opportunities(apart)) != bool(inside.search(apart))


plain_texts = st.lists(st.sampled_from(("a", "to", "the", "U.S.", "p.m.", "38.5", "50%", "!",
                                        "word,", "it's", "$5", "ж", "día", "x" * 30, "y" * 90,
                                        ":", "a!", "?b")),
                       min_size=1, max_size=40).map(" ".join)


@pytest.mark.slow
@settings(max_examples=1_000)
@given(plain_texts, st.integers(20, 120), st.integers(0, 30))
def test_the_fast_path_breaks_plain_text_as_the_line_breaker(text: str, width: int,
                                                             start: int) -> None:
    plain = powrap.plain(text)
    found = powrap.opportunities(text)
    expected = powrap._layout(found, range(len(text) + 1), width, start)
    if plain:
        assert powrap._plain_breaks(text, width, start) == expected
    assert powrap.breaker(text, ())(width, start) == (expected if start + len(text) > width
                                                      else [])
