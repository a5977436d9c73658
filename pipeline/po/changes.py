"""Classify an edit of the English: cosmetic, substantive, or critical for a medical reader."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from enum import StrEnum
from functools import lru_cache


class ChangeClass(StrEnum):
    """What an edit of the English means for its translation (docs/staleness.md)."""

    COSMETIC = "cosmetic"
    SUBSTANTIVE = "substantive"
    CRITICAL = "critical"


# Typographic quotes, primes and guillemets fold to ASCII quotes (written as escapes for clarity).
_QUOTES = str.maketrans(dict.fromkeys("\u2018\u2019\u201a\u201b\u2032", "'")
                        | dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'))
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
NUMBER_WORDS = frozenset({
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "twenty", "thirty", "hundred", "thousand", "once", "twice", "half",
    "single", "double", "dozen"})
UNIT_WORDS = frozenset({
    "mg", "g", "kg", "mcg", "µg", "ml", "l", "iu", "units", "unit", "cm", "mm", "m", "km",
    "percent", "second", "seconds", "minute", "minutes", "hour", "hours", "day", "days", "daily",
    "week", "weeks", "weekly", "month", "months", "monthly", "year", "years", "dose", "doses",
    "tablet", "tablets", "injection", "injections", "times"})
NEGATIONS = frozenset({
    "not", "never", "no", "none", "nor", "avoid", "avoided", "avoids", "without", "cannot",
    "can't", "don't", "doesn't", "didn't", "won't", "isn't", "aren't", "shouldn't", "mustn't",
    "neither", "stop", "contraindicated"})


_CRITICAL_WORDS = NUMBER_WORDS | UNIT_WORDS | NEGATIONS
_PERCENT = re.compile(r"%|‰")


# Spaces beside a dash or any other punctuation or symbol ("pain—carpenters", "pain — carpenters").
_SPACED_MARK = re.compile(r"\s+(?=[^\w\s])|(?<=[^\w\s])\s+")


def normalize(text: str) -> str:
    """The text with typography and spacing folded: equal normal forms mean a cosmetic edit."""
    if not text.isascii():  # the quotes, dashes and composed forms folded are not ASCII
        text = unicodedata.normalize("NFC", text).translate(_QUOTES)
        text = _DASHES.sub("-", text)
    return _SPACED_MARK.sub("", " ".join(text.split()))


def _critical_terms(text: str) -> Counter[str]:
    folded = normalize(text).lower()
    words = _WORD.findall(folded)
    terms = [*_NUMBER.findall(folded), *(f"%{mark}" for mark in _PERCENT.findall(folded)),
             *(word for word in words if word in _CRITICAL_WORDS)]
    if "n't" in folded:
        terms += [word for word in words if word.endswith("n't") and word not in _CRITICAL_WORDS]
    return Counter(terms)


# An update meets the same edit of the English once per language, and a merge asks for the
# class of an edit and then its critical difference.
@lru_cache(maxsize=4096)
def critical_difference(old: str, new: str) -> str | None:
    """What makes an edit critical (numbers, units, durations, negations), or None."""
    before, after = _critical_terms(old), _critical_terms(new)
    if before == after:
        return None
    removed = sorted((before - after).elements())
    added = sorted((after - before).elements())
    parts = []
    if removed:
        parts.append("removed " + ", ".join(removed))
    if added:
        parts.append("added " + ", ".join(added))
    return "; ".join(parts)


def classify(old: str, new: str) -> ChangeClass:
    """The class of an edit from `old` to `new` English (docs/staleness.md)."""
    if normalize(old) == normalize(new):
        return ChangeClass.COSMETIC
    return ChangeClass.CRITICAL if critical_difference(old, new) else ChangeClass.SUBSTANTIVE
