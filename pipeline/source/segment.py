"""Page -> units: prose split into sentences (pysbd plus our exceptions), labels kept whole."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from types import MappingProxyType

import pysbd

from pipeline.model import Page, SiteStrings, Template, Text, Unit, texts

# Where a period after an abbreviation or an initial may or may not end a sentence
# (docs/segmentation.md): these abbreviations, a dotted one such as "U.S." or "a.m.", and a
# single capital letter (an initial, or "vitamin D.").
_ABBREVIATIONS = "approx|vs|cf|incl|est|min|max|fig|figs|ca|avg|wk|wks|hr|hrs"
_DOTTED_OR_INITIAL = r"(?<![\w.])(?:[A-Za-z]\.)+[A-Za-z]|\b[A-Z]"
_AMBIGUOUS = re.compile(rf"(?:\b(?i:{_ABBREVIATIONS})|{_DOTTED_OR_INITIAL})\.\s+\Z")
_NOT_ENDING = frozenset({"e.g.", "i.e.", "E.g.", "I.e."})  # they always introduce more
# "No." and "Nos." abbreviate "number" only before one; otherwise "No." is a word (an answer).
_NUMBER_SIGN = re.compile(r"\b(?i:nos?)\.\s+\Z")
# The periods after which a sentence may end where pysbd does not end one.
_MAYBE_FINAL = re.compile(
    rf"(?:\b(?i:{_ABBREVIATIONS}|nos?)|{_DOTTED_OR_INITIAL})\.\s+(?=[A-Z])")
# What a sentence never starts with ("St., Suite 4", "Mon.\u2013Fri."): it goes on.
_GOES_ON = frozenset(",;:)]}\u2013\u2014-")
# Words that open a sentence, and hardly ever follow an initial or an abbreviation in a name
# ("Steven J. Lee", "the U.S. Army"): closed-class words, and the verbs that open instructions.
SENTENCE_STARTS = frozenset({
    "A", "An", "The", "This", "That", "These", "Those", "It", "Its", "It's", "I", "We", "You",
    "Your", "They", "Their", "There", "Here", "He", "She", "His", "Her", "Our", "Most", "Many",
    "Some", "Few", "All", "Any", "Each", "Every", "Both", "Either", "Neither", "Another", "Other",
    "Such", "About", "After", "Before", "During", "In", "On", "At", "For", "From", "If", "When",
    "Whenever", "While", "Because", "Although", "Though", "Since", "Until", "Unless", "As", "But",
    "And", "Or", "So", "Yet", "Then", "Also", "However", "Still", "Only", "Even", "Often",
    "Usually", "Sometimes", "Rarely", "Never", "No", "Not", "Yes", "Nor", "One", "Two", "Three",
    "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten", "Half", "More", "Less", "Without",
    "With", "Once", "To", "Over", "Under", "Up", "Around", "Nearly", "Almost", "Roughly",
    "Approximately", "How", "What", "Why", "Which", "Who", "Where", "Call", "Take", "Ask", "Apply",
    "Avoid", "Rest", "Wear", "See", "Use", "Keep", "Stop", "Do", "Don't", "Try", "Talk", "Tell",
    "Let", "Make", "Bring", "Get", "Go", "Give", "Check", "Follow", "Start", "Continue", "Expect",
    "Remember", "Overall", "Instead", "Otherwise", "Later", "Afterward", "Afterwards", "Today",
    "Now", "Next", "First", "Second", "Third", "Finally",
})
# Inline Markdown spans that a sentence boundary must never cut: links, code, strong, emphasis.
INLINE_SPAN = re.compile(
    r"!?\[(?:[^\]\\]|\\.)*\]\((?:[^)\\]|\\.)*\)"
    r"|`[^`]+`"
    r"|\*\*(?:[^*\\]|\\.)+?\*\*|__(?:[^_\\]|\\.)+?__"
    r"|\*(?:[^*\\]|\\.)+?\*|(?<!\w)_(?:[^_\\]|\\.)+?_(?!\w)"
)
# Languages whose sentences are written without a space between them.
NO_SPACE_LANGUAGES = frozenset({"zh", "ja", "th", "lo", "km", "my"})


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False)


# Prose of plain words (no quotes, brackets, colons, ellipses, exclamation marks or Markdown),
# in which every "." or "?" ends the text or comes after a word or a number and before one
# space and a capital. Unless a period follows a single letter, an abbreviation, a word that
# could be a roman numeral or a number that could number a list, pysbd's rules for lists,
# numbers, abbreviations, quotations and exclamation words have nothing to act on, and it ends
# a sentence after each of them.
_PLAIN_PROSE = re.compile(
    r"[A-Za-z0-9](?:[A-Za-z0-9 ,'\-]|(?<=[A-Za-z0-9])[.?](?= [A-Z]))*"
    r"(?:(?<=[A-Za-z0-9])[.?])?")
_BEFORE_TERMINATOR = re.compile(r"(?:[A-Za-z]+|[0-9]+)(?=[.?])")
_WORD_APOSTROPHE = re.compile(r"(?<![A-Za-z])'|'(?![A-Za-z])")
_ROMAN_LETTERS = frozenset("ivxlcdm")  # a word of these before a period could be a list item


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    english = pysbd.languages.LANGUAGE_CODES["en"].Abbreviation
    return frozenset(name.lower() for name in (*english.ABBREVIATIONS,
                                               *english.PREPOSITIVE_ABBREVIATIONS,
                                               *english.NUMBER_ABBREVIATIONS))


def _numbers_a_list(numbers: list[int]) -> bool:
    """Whether pysbd reads some of these numbers before periods as items of a numbered list:
    two in a row that follow each other (or 9 and 0, either way)."""
    return any(second == first + 1 or {first, second} == {0, 9}
               for first, second in pairwise(numbers))


def _plain_sentence_ends(text: str) -> list[int] | None:
    """sentence_ends of plain prose (_PLAIN_PROSE) without pysbd; None for any other text."""
    if not _PLAIN_PROSE.fullmatch(text) or _WORD_APOSTROPHE.search(text):
        return None
    ends = []
    numbered = []  # one- or two-digit numbers before a period within the text
    for found in _BEFORE_TERMINATOR.finditer(text):
        word, start, position = found.group(), found.start(), found.end()
        period = text[position] == "."
        if word.isdigit():
            if start == 0 or text[start - 1] != " ":
                return None
            if period and len(word) <= 2 and position + 1 < len(text):
                numbered.append(int(word))
        elif period and (len(word) < 2 or word.lower() in _abbreviations()
                         or _ROMAN_LETTERS.issuperset(word.lower())):
            return None
        ends.append(min(position + 2, len(text)))
    if _numbers_a_list(numbered):
        return None
    if not ends or ends[-1] != len(text):
        ends.append(len(text))
    return ends


def sentence_ends(text: str) -> list[int]:
    """Where each of pysbd's sentences ends in the text, with the spaces after it.

    Plain prose is split where pysbd would split it, without pysbd. For other text, pysbd's
    segment() finds them with one new regular expression per sentence, which also pushes
    pysbd's own patterns out of the re module's cache; finding each of its processor's
    sentences after the last one's end gives the same offsets, much faster.
    """
    plain = _plain_sentence_ends(text)
    if plain is not None:
        return plain
    ends, position = [], 0
    for sentence in _segmenter().processor(text).process():
        start = text.find(sentence, position)
        if start < 0:  # pysbd changed the sentence's text: take its char spans after all
            return [span.end for span in pysbd.Segmenter(language="en", clean=False,
                                                         char_span=True).segment(text)]
        position = start + len(sentence)
        while position < len(text) and text[position].isspace():
            position += 1
        ends.append(position)
    return ends


def _protected(text: str) -> list[tuple[int, int]]:
    return [match.span() for match in INLINE_SPAN.finditer(text)]


# Text with none of these before its last character is one sentence: pysbd is not asked.
_TERMINATOR = re.compile(r"[.!?\u2026;:\n\r]")
NO_SPLITS: Mapping[str, tuple[str, ...]] = MappingProxyType({})  # none made before


@lru_cache(maxsize=1)
def segmenter_version() -> str:
    """What splits depend on besides the text: this module's code and pysbd's version."""
    code = Path(__file__).read_bytes() + pysbd.__version__.encode()
    return hashlib.blake2b(code, digest_size=16).hexdigest()


def _one_sentence(text: str) -> bool:
    return not _TERMINATOR.search(text, 0, len(text.rstrip()) - 1)


def prose_sentences(page: Page[Text]) -> dict[str, tuple[str, ...]]:
    """The splits of a page's prose that need pysbd: what a run keeps for the next."""
    return {text.value: split_sentences(text.value) for text in texts(page)
            if text.prose and not _one_sentence(text.value)
            and _plain_sentence_ends(text.value) is None}


def _ends_here(text: str, end: int) -> bool | None:
    """Whether a sentence ends at `end`: never before punctuation that goes on with it, nor
    between a period and a lowercase word; after an abbreviation or an initial, by the word
    that follows; None (pysbd decides) for any other place."""
    before, after = text[:end], text[end:].split(maxsplit=1)
    following = after[0] if after else ""
    if text[end:end + 1] in _GOES_ON or (following[:1].islower()
                                          and before.rstrip().endswith(".")):
        return False
    if _NUMBER_SIGN.search(before):
        return not following[:1].isdigit()
    if (found := _AMBIGUOUS.search(before)) is None:
        return None
    if found.group().rstrip() in _NOT_ENDING:
        return False
    return following.rstrip(",;:.!?") in SENTENCE_STARTS


@lru_cache(maxsize=65536)
def split_sentences(text: str) -> tuple[str, ...]:
    """Split English prose into sentences, never inside inline Markdown or after an abbreviation."""
    if _one_sentence(text):
        return (text.strip(),) if text.strip() else ()
    spans = _protected(text)
    found = set(sentence_ends(text))
    boundaries: list[int] = []
    for end in sorted(found | {match.end() for match in _MAYBE_FINAL.finditer(text)}):
        ends = _ends_here(text, end)
        if not ends and (ends is not None or end not in found):
            continue
        for start, stop in spans:
            if start < end < stop:
                # A sentence that ends inside "**...**" ends after the closing marker.
                inner = text[start:stop].rstrip("*_)`]")
                end = stop if inner.endswith((".", "!", "?")) else -1
                break
        if 0 < end < len(text):
            boundaries.append(end)
    sentences = []
    start = 0
    for end in [*sorted(set(boundaries)), len(text)]:
        sentence = text[start:end].strip()
        if sentence:
            sentences.append(sentence)
        start = end
    return tuple(sentences)


def sentences_of(text: Text, granularity: str,
                 known: Mapping[str, tuple[str, ...]] = NO_SPLITS) -> tuple[str, ...]:
    """The units a text is translated in: sentences of prose (as this segmenter split them
    before, if `known` says), or the whole text."""
    if text.prose and granularity == "sentence":
        found = known.get(text.value)
        return split_sentences(text.value) if found is None else found
    return (text.value,)


@lru_cache(maxsize=256)
def sentence_separator(language: str) -> str:
    """What stands between two sentences in the language: a space, or nothing (zh, ja, th...)."""
    return "" if language.split("_")[0].split("-")[0] in NO_SPACE_LANGUAGES else " "


def join_sentences(sentences: Iterable[str], language: str) -> str:
    """Reassemble translated sentences as the language writes them."""
    return sentence_separator(language).join(sentences)


def _merge(units: Iterable[Unit]) -> tuple[Unit, ...]:
    """Identical English within one domain is one entry, with every place it stands."""
    merged: dict[tuple[str, str | None], Unit] = {}
    for unit in units:
        key = (unit.msgid, unit.msgid_plural)
        if key in merged:
            known = merged[key]
            comments = known.comments + tuple(c for c in unit.comments if c not in known.comments)
            merged[key] = Unit(unit.msgid, known.locations + unit.locations, comments,
                               unit.msgid_plural)
        else:
            merged[key] = unit
    return tuple(merged.values())


def _reference(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name


def page_template(page: Page[Text], granularity: str, root: Path,
                  known: Mapping[str, tuple[str, ...]] = NO_SPLITS) -> Template:
    """The template of one page: its units in reading order (with the `known` splits of its
    prose)."""
    file = _reference(page.path, root)
    units = []
    for text in texts(page):
        parts = sentences_of(text, granularity, known)
        for number, sentence in enumerate(parts, start=1):
            place = f"{text.id}.s{number}" if text.prose else text.id
            comment = text.role if len(parts) == 1 else \
                f"{text.role}, sentence {number} of {len(parts)}"
            units.append(Unit(sentence, (f"{file}:{place}",), (comment,)))
    return Template(domain=page.slug, units=_merge(units))


SITE_DOMAIN = "site"
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def site_template(site: SiteStrings, root: Path) -> Template:
    """The template of the site chrome strings."""
    file = _reference(site.path, root)
    units = [Unit(string.text, (f"{file}:{string.key}",), (string.note,), string.plural,
                  ("python-brace-format",) if PLACEHOLDER.search(string.text) else ())
             for string in site.strings]
    return Template(domain=SITE_DOMAIN, units=_merge(units))
