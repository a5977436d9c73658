"""What a translation must carry over (links, emphasis, numbers, names, terms) and not add."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache

from babel.numbers import get_decimal_symbol, get_group_symbol
from markdown_it import MarkdownIt
from markdown_it.token import Token

from pipeline.qa.checks.context import Context, prose
from pipeline.qa.glossary import Term, translates, uses
from pipeline.render.markup import MARKDOWN, safe_link

# --- Markdown ------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False})
    parser.validateLink = safe_link  # type: ignore[method-assign]  # a link as pages render it
    return parser


@lru_cache(maxsize=65536)
def _inline(text: str) -> tuple[Token, ...]:
    """The inline tokens of a text (read only: shared by every check that asks)."""
    if not MARKDOWN.search(text):
        return (Token("text", "", 0, content=text),)
    return tuple(child for token in _markdown().parseInline(text)
                 for child in token.children or ())


# Inline Markdown has a link only as [text](url) or <url>, emphasis only with * or _, and
# markers readers would see only with these, brackets or entities.
_LINK = re.compile(r"\]\(|<")
_EMPHASIS = re.compile(r"[*_]")
_MARKER = re.compile(r"[*_\]&]")  # & for entities, such as &ast;


def _urls(text: str) -> Counter[str]:
    return Counter(str(token.attrs.get("href", "")) for token in _inline(text)
                   if token.type == "link_open")


def links(english: str, translation: str, context: Context) -> Iterator[str]:
    """The translation links to the same URLs as the English, in any order.

    >>> list(links("[Book](/contact) or [call](tel:555)", "[Llame](tel:555)", Context("es")))
    ['the English links to /contact; the translation does not']
    """
    if not _LINK.search(english) and not _LINK.search(translation):
        return
    ours, theirs = _urls(english), _urls(translation)
    for url in sorted((ours - theirs).elements()):
        yield f"the English links to {url}; the translation does not"
    for url in sorted((theirs - ours).elements()):
        yield f"the translation links to {url}; the English does not"


def emphasis(english: str, translation: str, context: Context) -> Iterator[str]:
    """The translation has as many **strong** and *emphasis* spans as the English.

    >>> list(emphasis("**Rest alone** is not enough.", "El reposo no basta.", Context("es")))
    ['the English has 1 **strong** span, the translation 0']
    """
    if not _EMPHASIS.search(english) and not _EMPHASIS.search(translation):
        return
    for kind, label in (("strong_open", "**strong**"), ("em_open", "*emphasis*")):
        ours = sum(token.type == kind for token in _inline(english))
        theirs = sum(token.type == kind for token in _inline(translation))
        if ours != theirs:
            spans = "span" if ours == 1 else "spans"
            yield f"the English has {ours} {label} {spans}, the translation {theirs}"


# Markdown markers that readers would see as they are, because they do not render.
_MARKERS = {"**": "an unclosed ** (readers would see the asterisks)",
            "__": "an unclosed __ (readers would see the underscores)",
            "*": "a stray * (an unclosed emphasis?)",
            "] (": "a space between ] and ( breaks the link: write [text](url)",
            "](": "a link that does not render (an unbalanced bracket or parenthesis?)"}


def _literal(text: str) -> str:
    """The text readers would see, where Markdown left its markers as they are."""
    return "".join(token.content for token in _inline(text) if token.type == "text")


def broken_markdown(english: str, translation: str, context: Context) -> Iterator[str]:
    """Markdown in the translation that does not render: an unclosed `**`, `] (`...

    >>> list(broken_markdown("**Rest** helps.", "**El reposo ayuda.", Context("es")))
    ['an unclosed ** (readers would see the asterisks)']
    """
    if not _MARKER.search(translation):
        return
    ours, theirs = _literal(english), _literal(translation)
    for marker, message in _MARKERS.items():
        if theirs.count(marker) > ours.count(marker):
            yield message
        # "**" also counts as two "*": a longer marker is reported once
        theirs, ours = theirs.replace(marker, ""), ours.replace(marker, "")


# --- numbers and units ---------------------------------------------------------------------

# Units a number may carry, with the forms a translation may write them in (Spanish "UI" and
# German "IE" are international units; the Arabic forms are written with Arabic letters).
UNITS = {"%": ("%", "\u066a"), "mg": ("mg", "ملغ", "مغ"), "mcg": ("mcg", "µg", "ميكروغرام"),
         "µg": ("µg", "mcg", "ميكروغرام"), "kg": ("kg", "كغ", "كجم"), "g": ("g", "غ"),
         "ml": ("ml", "mL", "مل"), "mL": ("ml", "mL", "مل"), "cm": ("cm", "سم"),
         "mm": ("mm", "مم"), "km": ("km", "كم"), "IU": ("IU", "UI", "IE", "وحدة دولية"),
         "°C": ("°C", "°م"), "°F": ("°F",)}
_UNIT_FORMS = {unit: tuple(re.compile(rf"(?<![A-Za-z]){re.escape(form)}(?![A-Za-z])")
                          for form in forms) for unit, forms in UNITS.items()}
_UNIT_AFTER = re.compile(r"[\s\u00a0\u202f]?(" + "|".join(map(re.escape, UNITS)) + r")(?!\w)")
# Decimal and group separators, with the Arabic ones and the spaces and apostrophes of groups.
_SEPARATORS = ".,\u066b\u066c\u00a0\u202f\u2019'"
_DIGIT = re.compile(r"\d")
_NUMBER = re.compile(rf"\d+(?:[{_SEPARATORS}]\d+)*")


@lru_cache(maxsize=64)
def _conventions(language: str) -> tuple[tuple[str, str], ...]:
    """(decimal, group) separators a translation may use: the English ones, the language's own
    from Babel (with Latin and with native digits), and the Arabic ones."""
    found = [(".", ","), ("\u066b", "\u066c")]
    for system in ("latn", "default"):
        try:
            pair = (get_decimal_symbol(language, numbering_system=system),
                    get_group_symbol(language, numbering_system=system))
        except Exception:  # Babel's errors for a numbering system it lacks have no common base
            continue
        if pair not in found:
            found.append(pair)
    return tuple(found)


def _value(digits: str, decimal: str, group: str) -> str | None:
    """The number's value under one convention, such as "1000.5", or None if it cannot be."""
    if digits.count(decimal) > 1:
        return None
    integer, _, fraction = digits.partition(decimal)
    parts = integer.split(group)
    if len(parts) > 1 and not (len(parts[0]) <= 3 and all(len(part) == 3 for part in parts[1:])):
        return None
    integer = "".join(parts)
    if not integer.isdigit() or (fraction and not fraction.isdigit()):
        return None
    fraction = fraction.rstrip("0")
    return str(int(integer)) + (f".{fraction}" if fraction else "")


@lru_cache(maxsize=65536)  # the English of an entry is checked once for every language
def _numbers(text: str,
             conventions: tuple[tuple[str, str], ...]) -> tuple[tuple[str, frozenset[str]], ...]:
    """Each number as written, with every value it can mean; native digits read as ASCII."""
    found: list[tuple[str, frozenset[str]]] = []
    for match in _NUMBER.finditer(text):
        digits = "".join(str(unicodedata.decimal(char)) if char.isdecimal() else char
                         for char in match.group())
        values = {value for decimal, group in conventions
                  if (value := _value(digits, decimal, group)) is not None}
        if values:
            found.append((match.group(), frozenset(values)))
        else:
            found += [(part, frozenset({str(int(part))})) for part in re.findall(r"\d+", digits)]
    return tuple(found)


def numbers(english: str, translation: str, context: Context) -> Iterator[str]:
    """Every number of the English is in the translation (in the language's decimal style or
    its own digits) with its unit, and the translation has no number the English lacks.

    >>> list(numbers("Take 2.5 mg for 10 days.", "Tome 2,5 mg durante 12 días.", Context("es")))
    ['the English has 10; the translation does not', 'the translation has 12; the English does not']
    >>> list(numbers("Weeks 0 to 12", "الأسابيع \u0660 إلى \u0661\u0662", Context("ar")))
    []
    >>> list(numbers("[Call](tel:5550100) at 9", "[Llame](tel:5550100) a las 9", Context("es")))
    []
    """
    if not _DIGIT.search(english) and not _DIGIT.search(translation):
        return
    english, translation = prose(english), prose(translation)  # URLs are the links check's
    ours = _numbers(english, ((".", ","),))
    # The same numbers, written the same way (in any order): the English reading of each is
    # one of the translation's.
    if {written for written, _ in ours} != set(_NUMBER.findall(translation)):
        yield from _different_numbers(ours, _numbers(translation, _conventions(context.language)))
    for unit in _units(english):
        if not any(pattern.search(translation) for pattern in _UNIT_FORMS[unit]):
            yield f"the English has the unit {unit}; the translation does not"


def _different_numbers(ours: tuple[tuple[str, frozenset[str]], ...],
                       theirs: tuple[tuple[str, frozenset[str]], ...]) -> Iterator[str]:
    values = {value for _, alternatives in ours for value in alternatives}
    for written, alternatives in dict(ours).items():
        if not any(alternatives & other for _, other in theirs):
            yield f"the English has {written}; the translation does not"
    for written, alternatives in dict(theirs).items():
        if not alternatives & values:
            yield f"the translation has {written}; the English does not"


@lru_cache(maxsize=65536)
def _units(english: str) -> tuple[str, ...]:
    """The units written after a number in the English, each once."""
    return tuple(dict.fromkeys(match.group(1) for match in _UNIT_AFTER.finditer(english)
                               if english[:match.start()][-1:].isdecimal()))


_PLACEHOLDER = re.compile(r"\{[A-Za-z_]\w*\}|%(?:\([A-Za-z_]\w*\))?[sdif]")


def placeholders(english: str, translation: str, context: Context) -> Iterator[str]:
    """The translation keeps every {placeholder} of the English, and adds none.

    >>> list(placeholders("{count} pages", "{número} páginas", Context("es")))
    ['{count} is missing', '{número} is not in the English']
    """
    if "{" not in english + translation and "%" not in english + translation:
        return
    ours = Counter(_PLACEHOLDER.findall(english))
    theirs = Counter(_PLACEHOLDER.findall(translation))
    yield from (f"{name} is missing" for name in sorted((ours - theirs).elements()))
    yield from (f"{name} is not in the English" for name in sorted((theirs - ours).elements()))


# --- the glossary --------------------------------------------------------------------------

def do_not_translate(english: str, translation: str, context: Context) -> Iterator[str]:
    """Names and abbreviations on the glossary's do-not-translate list stay exactly as they are.

    >>> from pipeline.qa.glossary import Glossary
    >>> keep = Context("es", Glossary("es", do_not_translate=("PRP", "Dr. Lee")))
    >>> list(do_not_translate("Dr. Lee offers PRP.", "El doctor Lee ofrece PRP.", keep))
    ['keep "Dr. Lee" exactly as it is (glossary: do not translate)']
    """
    for name in uses(english, context.glossary):
        if isinstance(name, str) and name not in translation:
            yield f'keep "{name}" exactly as it is (glossary: do not translate)'


def terminology(english: str, translation: str, context: Context) -> Iterator[str]:
    """Where the English uses a glossary term, the translation uses its approved translation
    (compared without case or accents, so inflected and compound forms count).

    >>> from pipeline.qa.glossary import Glossary
    >>> glossary = Glossary("es", (Term("tendinopathy", "tendinopatía"),))
    >>> list(terminology("It is a tendinopathy.", "Es una tendinitis.", Context("es", glossary)))
    ['the English uses "tendinopathy": use the approved "tendinopatía"']
    """
    for term in uses(english, context.glossary):
        if isinstance(term, Term) and not translates(translation, term):
            yield f'the English uses "{term.term}": use the approved "{term.translation}"'


# --- no HTML -------------------------------------------------------------------------------

_HTML = re.compile(r"<\s*/?\s*([A-Za-z][\w-]*)(?=[\s/>])[^<>]*>|<!--|\bjavascript:"
                   r"|&(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);", re.IGNORECASE)


def _html(text: str) -> Counter[str]:
    return Counter(f"<{match.group(1).lower()}>" if match.group(1) else match.group().lower()
                   for match in _HTML.finditer(text))


def raw_html(english: str, translation: str, context: Context) -> Iterator[str]:
    """No raw HTML, script or entity in the translation that the English does not have.

    >>> list(raw_html("Call us.", 'Llámenos <script>alert(1)</script>.', Context("es")))
    ['raw HTML <script> that the English does not have; pages show it as text, never as HTML']
    """
    if ("<" not in translation and "&" not in translation
            and "javascript:" not in translation.lower()) or not _HTML.search(translation):
        return  # (the plain test first: the expression is slow to find nothing)
    for construct in dict.fromkeys((_html(translation) - _html(english)).elements()):
        yield (f"raw HTML {construct} that the English does not have; pages show it as text, "
               "never as HTML")


# --- no hidden characters ------------------------------------------------------------------

# Characters that change what readers see without being seen: bidi embeddings, overrides and
# isolates (which can reorder the digits of a dose), zero-width spaces, invisible operators and
# tag characters. ZWNJ and ZWJ (U+200C, U+200D) and the marks LRM, RLM and ALM are not among
# them: Persian, Arabic, Indic scripts and emoji need them.
_INVISIBLE = re.compile("[\u202a-\u202e\u2066-\u2069\u200b\u2060-\u2064\ufeff\u180e"
                        "\U000e0000-\U000e007f]")
# Languages written without spaces between words mark the breaks with U+200B.
ZERO_WIDTH_SPACE_LANGUAGES = frozenset({"th", "lo", "km", "my"})


def invisible_characters(english: str, translation: str, context: Context) -> Iterator[str]:
    """No bidi control or zero-width character that the English does not have.

    >>> print(*invisible_characters("Take 10 mg.", "Tome \\u202e01 mg.", Context("es")))
    an invisible U+202E RIGHT-TO-LEFT OVERRIDE that the English does not have; remove it
    """
    if not _INVISIBLE.search(translation):
        return
    allowed = {"\u200b"} if context.base in ZERO_WIDTH_SPACE_LANGUAGES else set()
    ours = Counter(_INVISIBLE.findall(english))
    theirs = Counter(char for char in _INVISIBLE.findall(translation) if char not in allowed)
    for char in dict.fromkeys((theirs - ours).elements()):
        yield (f"an invisible U+{ord(char):04X} {unicodedata.name(char, 'CHARACTER')} that the "
               "English does not have; remove it")
