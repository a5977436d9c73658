"""Sort keys in a language's alphabetical order (CLDR's for es, de, ar), with no ICU needed."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Each language's letters in order. A letter not listed sorts as its base letter (NFD without
# marks), and the marks only break ties; a language not listed uses the default.
ALPHABETS = {
    "default": "abcdefghijklmnopqrstuvwxyz",
    "es": "abcdefghijklmnñopqrstuvwxyz",  # ñ is a letter of its own, after n
    "ar": "ءابتثجحخدذرزسشصضطظعغفقكلمنهوي",  # أ is alef + hamza by NFD: an alef
}
# Letters that CLDR sorts as another letter, after it at the second level (ar: &ت<<ة, &ي<<ى).
VARIANTS = {"ar": {"ة": "ت", "ى": "ي", "ٱ": "\u0627"}}  # alef wasla sorts as alef
TATWEEL = "\u0640"  # Arabic elongation: typography, not a letter
# Groups, in CLDR's root order: spaces and punctuation, digits, the language's letters, the rest.
SPACING, DIGIT, LETTER, OTHER = range(4)

Weight = tuple[int, int]
SortKey = tuple[tuple[Weight, ...], tuple[tuple[int, ...], ...], tuple[int, ...], str]


def _weigh(char: str, order: dict[str, int], variants: dict[str, str],
           ) -> tuple[Weight | None, tuple[int, ...]]:
    """One (case-folded) character's first-level weight (None: ignorable) and its marks."""
    if char in order:
        return (LETTER, order[char]), ()
    if char in variants:
        return (LETTER, order[variants[char]]), (1,)
    decomposed = unicodedata.normalize("NFD", char)
    base, marks = decomposed[0], tuple(ord(mark) for mark in decomposed[1:])
    category = unicodedata.category(base)
    if category == "Mn" or base == TATWEEL:
        return None, (ord(base), *marks)
    if base in order:
        return (LETTER, order[base]), marks
    if (digit := unicodedata.digit(base, None)) is not None:
        return (DIGIT, digit), marks
    if category[0] in "LN":
        return (OTHER, ord(base)), marks
    return (SPACING, ord(base)), marks


def sort_key(text: str, language: str) -> SortKey:
    """A key that sorts texts as the language's dictionaries do: by letters in its alphabet
    first, then by accents, then lowercase before uppercase, then by code point."""
    base = language.replace("_", "-").split("-")[0]
    primary: list[Weight] = []
    secondary: list[tuple[int, ...]] = []
    tertiary: list[int] = []
    for original in unicodedata.normalize("NFC", text):
        for char in original.casefold():  # ß -> ss, as German dictionaries sort it
            weight, marks = _character(char, base)
            if weight is not None:
                primary.append(weight)
                tertiary.append(1 if original.isupper() else 0)
            secondary.append(marks)
    return tuple(primary), tuple(secondary), tuple(tertiary), text


@lru_cache(maxsize=65536)  # a language's titles use few characters, each many times
def _character(char: str, base: str) -> tuple[Weight | None, tuple[int, ...]]:
    order = {letter: index for index, letter in
             enumerate(ALPHABETS.get(base, ALPHABETS["default"]))}
    return _weigh(char, order, VARIANTS.get(base, {}))
