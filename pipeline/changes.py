"""Classify an edit of the English: cosmetic, substantive, or critical for a medical reader."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

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


def normalize(text: str) -> str:
    """The text with typography and spacing folded: equal normal forms mean a cosmetic edit."""
    text = unicodedata.normalize("NFC", text).translate(_QUOTES)
    text = _DASHES.sub("-", text)
    return " ".join(text.split())


def _critical_terms(text: str) -> Counter[str]:
    folded = normalize(text).lower()
    terms: Counter[str] = Counter(_NUMBER.findall(folded))
    terms.update(f"%{mark}" for mark in re.findall(r"%|‰", folded))
    for word in _WORD.findall(folded):
        if word in NUMBER_WORDS or word in UNIT_WORDS or word in NEGATIONS or \
                word.endswith("n't"):
            terms[word] += 1
    return terms


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


def classify(old: str, new: str) -> str:
    """The class of an edit from `old` to `new` English (docs/staleness.md)."""
    if normalize(old) == normalize(new):
        return COSMETIC
    return CRITICAL if critical_difference(old, new) else SUBSTANTIVE
