"""Checks of how a translation is written: translated at all, spacing, punctuation, length."""

from __future__ import annotations

import re
from collections.abc import Iterator

import unicode_segmentation_rs

from pipeline.qa.checks.context import Context, prose

UNTRANSLATED_MIN_WORDS = 4  # shorter English ("PRP", "Dr. Lee") is often the same translated
LENGTH_MIN_WIDTH = 20  # shorter English (a heading, a label) varies too much to judge


def untranslated(english: str, translation: str, context: Context) -> Iterator[str]:
    """A translation identical to the English, for English of four words or more.

    >>> list(untranslated("Rest alone is not enough.", "Rest alone is not enough.", Context("de")))
    ['the translation is the English text']
    """
    if translation.strip() == english.strip() and \
            len(english.split()) >= UNTRANSLATED_MIN_WORDS:
        yield "the translation is the English text"


def _edges(text: str) -> tuple[str, str]:
    return text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):]


def whitespace(english: str, translation: str, context: Context) -> Iterator[str]:
    """Leading and trailing whitespace as in the English.

    >>> list(whitespace("Symptoms", "Síntomas ", Context("es")))
    ["trailing whitespace differs from the English: ' ' instead of ''"]
    """
    for side, ours, theirs in zip(("leading", "trailing"), _edges(english), _edges(translation),
                                  strict=True):
        if ours != theirs:
            yield f"{side} whitespace differs from the English: {theirs!r} instead of {ours!r}"


_DOUBLED = re.compile(r"(?<!\w)(\w+)\s+\1(?!\w)", re.IGNORECASE)
# Doubles that are grammatical: German "die die" (relative pronoun, article), French "nous nous".
GRAMMATICAL_DOUBLES = {"de": frozenset({"die", "der", "das", "den", "dem"}),
                       "fr": frozenset({"nous", "vous"})}


def doubled_words(english: str, translation: str, context: Context) -> Iterator[str]:
    """The same word twice in a row, where the English does not double it.

    >>> list(doubled_words("The tendon heals.", "El el tendón se cura.", Context("es")))
    ['"El el": a doubled word']
    """
    allowed = GRAMMATICAL_DOUBLES.get(context.base, frozenset())
    ours = {match.group(1).casefold() for match in _DOUBLED.finditer(english)}
    for match in _DOUBLED.finditer(translation):
        word = match.group(1).casefold()
        if not word.isdigit() and word not in allowed and word not in ours:
            yield f'"{match.group()}": a doubled word'


def doubled_spaces(english: str, translation: str, context: Context) -> Iterator[str]:
    """Two spaces in a row inside the translation, where the English has none.

    >>> list(doubled_spaces("Pain with running", "Dolor al  correr", Context("es")))
    ['two spaces in a row after "Dolor al"']
    """
    if "  " not in english.strip():
        for match in re.finditer(r"\S {2,}(?=\S)", translation):
            before = translation[:match.start() + 1].split()[-2:]
            yield f'two spaces in a row after "{" ".join(before)}"'


# Full-width marks of Chinese and Japanese, and the Arabic question mark, semicolon and comma.
FULL_WIDTH = {".": "\u3002", "!": "\uff01", "?": "\uff1f", ":": "\uff1a", ";": "\uff1b"}
ARABIC_SCRIPT = {"?": "\u061f", ";": "\u061b"}
END_MARKS = ".!?:;\u2026" + "".join(FULL_WIDTH.values()) + "".join(ARABIC_SCRIPT.values())
# What may close a sentence after its end mark: brackets, quotes, Markdown emphasis.
_CLOSERS = ")]}\"'*_\u00bb\u201d\u2019\u300d\u300f\uff09"
# Each language's form of an English end mark, where it differs from the English one.
END_FORMS: dict[str, dict[str, str]] = {"zh": FULL_WIDTH, "ja": FULL_WIDTH, "ar": ARABIC_SCRIPT,
                                        "fa": ARABIC_SCRIPT, "ur": ARABIC_SCRIPT,
                                        "el": {"?": ";"}}


def _end(text: str) -> str:
    stripped = text.rstrip().rstrip(_CLOSERS).rstrip().replace("...", "\u2026")
    return stripped[-1] if stripped and stripped[-1] in END_MARKS else ""


def end_punctuation(english: str, translation: str, context: Context) -> Iterator[str]:
    """The translation ends with the English end mark, as the language writes it: Arabic ؟
    for ?, Chinese and Japanese full-width marks, Greek ; for ?.

    >>> list(end_punctuation("Could it tear?", "هل يمكن أن يتمزق الوتر?", Context("ar")))
    ['the English ends with "?": end with "؟", not "?"']
    >>> list(end_punctuation("Symptoms", "Síntomas.", Context("es")))
    ['the English ends with no mark: end without one, not "."']
    """
    ours, theirs = _end(english), _end(translation)
    expected = END_FORMS.get(context.base, {}).get(ours, ours)
    if theirs != expected:
        ending = f'"{ours}"' if ours else "no mark"
        wanted = f'end with "{expected}"' if expected else "end without one"
        found = f'"{theirs}"' if theirs else "none"
        yield f"the English ends with {ending}: {wanted}, not {found}"


# Marks each language writes its own way after its own letters (ASCII ones are typos there).
_ARABIC_MARKS = {",": "\u060c", ";": "\u061b", "?": "\u061f"}
OWN_MARKS: dict[str, tuple[str, str, dict[str, str]]] = {
    "ar": ("Arabic", r"[\u0600-\u06ff]", _ARABIC_MARKS),
    "fa": ("Persian", r"[\u0600-\u06ff]", _ARABIC_MARKS),
    "ur": ("Urdu", r"[\u0600-\u06ff]", _ARABIC_MARKS),
    "zh": ("Chinese", r"[\u3400-\u9fff]", {",": "\uff0c", **FULL_WIDTH}),
    "ja": ("Japanese", r"[\u3040-\u30ff\u3400-\u9fff]", {",": "\u3001", **FULL_WIDTH}),
}
OPENING_MARKS = frozenset({"es", "ast", "gl"})  # Spanish (and neighbours) open ¿questions?


def punctuation(english: str, translation: str, context: Context) -> Iterator[str]:
    """The language's own marks: Spanish opens a question with ¿ and an exclamation with ¡;
    Arabic and Persian write ، ؛ ؟ after their letters; Chinese and Japanese full-width marks.

    >>> list(punctuation("Why? Now!", "Por qué? ¡Ahora!", Context("es")))
    ['1 ? but 0 ¿: open every question with ¿']
    >>> list(punctuation("Rest, then load.", "الراحة, ثم التحميل.", Context("ar")))
    ['"," after Arabic text: write "،"']
    """
    translation = prose(translation)
    if context.base in OPENING_MARKS:
        for opening, closing, kind in (("¿", "?", "question"), ("¡", "!", "exclamation")):
            if translation.count(opening) != translation.count(closing):
                yield (f"{translation.count(closing)} {closing} but {translation.count(opening)} "
                       f"{opening}: open every {kind} with {opening}")
    if context.base in OWN_MARKS:
        name, letters, marks = OWN_MARKS[context.base]
        for mark, own in marks.items():
            if re.search(rf"{letters}\s*{re.escape(mark)}", translation):
                yield f'"{mark}" after {name} text: write "{own}"'


def length(english: str, translation: str, context: Context) -> Iterator[str]:
    """A translation far shorter or longer than usual, in display columns (a CJK character is
    two), outside [tool.pipeline.checks] length_ratio (0.4 to 2.5 by default).

    >>> list(length("Pain with running, jumping, and climbing stairs", "Dolor", Context("es")))
    ['the translation is 0.11 times as long as the English (usual: 0.4 to 2.5)']
    """
    ours = unicode_segmentation_rs.text_width(english)
    if ours < LENGTH_MIN_WIDTH:
        return
    ratio = unicode_segmentation_rs.text_width(translation) / ours
    low, high = context.length_ratio
    if not low <= ratio <= high:
        yield (f"the translation is {ratio:.2f} times as long as the English "
               f"(usual: {low:g} to {high:g})")
