"""Pseudo-languages, translated by rule at build time: en-XA accented and longer, ar-XB mirrored."""

from __future__ import annotations

import gettext
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

from babel import Locale
from babel.messages.plurals import get_plural

from pipeline.languages import locale
from pipeline.model import Template, Unit
from pipeline.po.model import Catalog, Entry

EXPANSION = 0.35  # translations run about a third longer than English; layouts must cope
PADDING = "·"  # fills up to the expanded length where doubled vowels do not
REVIEWED = "reviewed: generated pseudo-translation"  # published under require_review too
# Left exactly as they are: link destinations, autolinks, bare URLs and e-mail addresses,
# {placeholders}, code spans, character references and backslash escapes.
PROTECTED = re.compile(
    r"\]\((?:[^)\\]|\\.)*\)"
    r"|<[A-Za-z][A-Za-z0-9+.-]*:[^<>\s]*>"
    r"|\b(?:https?://|mailto:|tel:|www\.)[^\s<>()]+"
    r"|[\w.+-]+@[\w-]+\.[\w.-]+"
    r"|\{[^{}\s]*\}"
    r"|`[^`]*`"
    r"|&#?[A-Za-z0-9]+;"
    r"|\\."
)
LATIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
ACCENTED = "ȧƀƈḓḗƒɠħīĵķŀḿƞǿƥɋřşŧŭṽẇẋẏẑȦƁƇḒḖƑƓĦĪĴĶĿḾȠǾƤɊŘŞŦŬṼẆẊẎẐ"
ACCENTS = str.maketrans(LATIN, ACCENTED)
VOWEL = re.compile("[aeiouyAEIOUY]")
DOUBLED = {ord(letter): accent * (2 if VOWEL.match(letter) else 1)
           for letter, accent in zip(LATIN, ACCENTED, strict=True)}
LETTER_RUN = re.compile(r"[A-Za-z]+")
RLM, RLO, PDF = "\u200f", "\u202e", "\u202c"


def _pieces(text: str) -> list[tuple[bool, str]]:
    """The text cut into (protected, piece) runs, in order."""
    pieces: list[tuple[bool, str]] = []
    start = 0
    for match in PROTECTED.finditer(text):
        pieces += [(False, text[start:match.start()]), (True, match.group())]
        start = match.end()
    pieces.append((False, text[start:]))
    return [(protected, piece) for protected, piece in pieces if piece]


@lru_cache(maxsize=65536)  # pages share sentences
def accented(text: str) -> str:
    """en-XA: every Latin letter accented, vowels doubled to about 35% more length, the whole
    between brackets, so untranslated, truncated or concatenated text stands out."""
    pieces = _pieces(text)
    budget = math.ceil(sum(len(piece) for protected, piece in pieces if not protected)
                       * EXPANSION)
    out = []
    for protected, piece in pieces:
        if protected:
            out.append(piece)
            continue
        doubled = [match.end() for match in islice(VOWEL.finditer(piece), budget)]
        budget -= len(doubled)
        cut = doubled[-1] if doubled else 0  # the vowels before it are doubled
        out.append(piece[:cut].translate(DOUBLED) + piece[cut:].translate(ACCENTS))
    return "[" + "".join(out) + PADDING * budget + "]"


@lru_cache(maxsize=65536)
def mirrored(text: str) -> str:
    """ar-XB: each run of Latin letters in a right-to-left override, so that the English reads
    mirrored and every place that assumes left to right shows."""
    return RLM + "".join(
        piece if protected else LETTER_RUN.sub(lambda match: RLO + match.group() + PDF, piece)
        for protected, piece in _pieces(text)) + RLM


@dataclass(frozen=True)
class PseudoLanguage:
    """A pseudo-language: its rule, and the real language whose CLDR data it borrows."""

    base: str  # direction, dates and plural rules come from this language
    region: str  # CLDR's name for the pseudo-region: XA "Pseudo-Accents", XB "Pseudo-Bidi"
    translate: Callable[[str], str]


LANGUAGES = {
    "en-XA": PseudoLanguage("en", "XA", accented),
    "ar-XB": PseudoLanguage("ar", "XB", mirrored),
}


def is_pseudo(language: str) -> bool:
    return language in LANGUAGES


def base_language(language: str) -> str:
    """The Babel locale whose data a language uses: itself, or a pseudo-language's base."""
    return LANGUAGES[language].base if language in LANGUAGES else language


def native_name(language: str) -> str:
    """The base language and CLDR's name of the pseudo-region: English (Pseudo-Accents)."""
    pseudo = LANGUAGES[language]
    english = Locale.parse("en")
    base = str(english.languages.get(pseudo.base, pseudo.base))
    return f"{base} ({english.territories.get(pseudo.region, pseudo.region)})"


def _entry(unit: Unit, pseudo: PseudoLanguage, count: int, singular: int) -> Entry:
    """A unit translated by the rule; a plural one in every form the base language has."""
    if unit.msgid_plural is None:
        return Entry(unit.msgid, pseudo.translate(unit.msgid), locations=unit.locations,
                     comments=unit.comments, translator_comments=(REVIEWED,), flags=unit.flags)
    forms = tuple(pseudo.translate(unit.msgid if index == singular else unit.msgid_plural)
                  for index in range(count))
    return Entry(unit.msgid, "", unit.msgid_plural, forms, locations=unit.locations,
                 comments=unit.comments, translator_comments=(REVIEWED,), flags=unit.flags)


@lru_cache(maxsize=8)
def _plurals(language: str) -> tuple[int, str, int]:
    """nplurals, the plural expression and the index of the singular form in a language."""
    plural = get_plural(locale(language))
    return plural.num_plurals, plural.plural_expr, gettext.c2py(plural.plural_expr)(1)


def catalog(template: Template, language: str) -> Catalog:
    """The catalog of one domain in a pseudo-language: every entry translated by its rule."""
    pseudo = LANGUAGES[language]
    count, expression, singular = _plurals(pseudo.base)
    header = (("Language", language), ("MIME-Version", "1.0"),
              ("Content-Type", "text/plain; charset=UTF-8"),
              ("Plural-Forms", f"nplurals={count}; plural={expression};"))
    return Catalog((), header, tuple(_entry(unit, pseudo, count, singular)
                                     for unit in template.units))
