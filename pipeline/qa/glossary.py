"""Per-language glossaries: approved terms and do-not-translate names, and their use."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import yaml
from yaml.nodes import Node

from pipeline.errors import PipelineError, raise_all
from pipeline.languages import language_name
from pipeline.po.model import Catalog, Entry
from pipeline.po.states import PIPELINE_NOTES
from pipeline.runtime.fsio import GLOSSARY
from pipeline.source.yamlread import Reader, compose

FOLDER = "glossary"
COMMENT = "glossary: "  # the extracted comments that update regenerates from the glossary
_DASHES = "\\-\u2010-\u2015"  # inside a character class: hyphen-minus and Unicode dashes


@dataclass(frozen=True)
class Term:
    """An English term and its approved translation; variants are other accepted forms."""

    term: str
    translation: str
    note: str = ""
    variants: tuple[str, ...] = ()


@dataclass(frozen=True)
class Glossary:
    """One language's glossary: glossary/<language>.yaml."""

    language: str
    terms: tuple[Term, ...] = ()
    do_not_translate: tuple[str, ...] = ()  # names and abbreviations kept exactly as in English


def path_of(root: Path, language: str) -> Path:
    return root / FOLDER / f"{language}.yaml"


# --- reading and writing the YAML ----------------------------------------------------------

def _term(reader: Reader, node: Node, where: str, _: int) -> Term | None:
    fields = reader.mapping(node, where, ("term", "translation"), ("variants", "note"))
    if fields is None or "term" not in fields or "translation" not in fields:
        return None
    term = reader.string(fields["term"], f"{where}.term")
    translation = reader.string(fields["translation"], f"{where}.translation")
    note = reader.string(fields["note"], f"{where}.note") if "note" in fields else ""
    variants = reader.sequence(fields["variants"], f"{where}.variants",
                               lambda item, at, _: reader.string(item, at)) \
        if "variants" in fields else ()
    if term is None or translation is None or note is None:
        return None
    return Term(term, translation, note, variants)


def parse(node: Node | None, path: Path, language: str) -> Glossary:
    """A glossary from its composed YAML; every problem is reported at once, with its line."""
    reader = Reader(path)
    if node is None:
        return Glossary(language)
    fields = reader.mapping(node, "the glossary", (), ("terms", "do_not_translate")) or {}
    seen: set[str] = set()

    def once(item: Node, where: str, text: str | None) -> str | None:
        if text is None:
            return None
        if text.casefold() in seen:
            reader.fail(item, f"{where}: {text!r} is listed twice; keep one")
            return None
        seen.add(text.casefold())
        return text

    def term(item: Node, where: str, number: int) -> Term | None:
        found = _term(reader, item, where, number)
        return found if found and once(item, where, found.term) else None

    def name(item: Node, where: str, _: int) -> str | None:
        return once(item, where, reader.string(item, where))

    terms = reader.sequence(fields["terms"], "terms", term, allow_empty=True) \
        if "terms" in fields else ()
    keep = reader.sequence(fields["do_not_translate"], "do_not_translate", name,
                           allow_empty=True) if "do_not_translate" in fields else ()
    raise_all(reader.problems)
    return Glossary(language, tuple(terms), tuple(keep))


def load(root: Path, language: str) -> Glossary:
    """glossary/<language>.yaml, or an empty glossary when there is none."""
    path = path_of(root, language)
    if not path.exists():
        return Glossary(language)
    return parse(compose(path, GLOSSARY), path, language)


def load_all(root: Path, languages: Iterable[str]) -> dict[str, Glossary]:
    """Every language's glossary, reading all before failing so that all problems show."""
    found: dict[str, Glossary] = {}
    problems: list[PipelineError] = []
    for language in languages:
        try:
            found[language] = load(root, language)
        except PipelineError as error:
            problems.extend(getattr(error, "errors", (error,)))
    raise_all(problems)
    return found


class _Dumper(yaml.SafeDumper):
    """Indents list items under their key, as people write YAML by hand."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _order(text: str) -> tuple[str, str]:
    return (text.casefold(), text)


def render(glossary: Glossary) -> bytes:
    """The canonical YAML of a glossary: terms sorted, a fixed header, the same bytes each time."""
    name = language_name(glossary.language)
    code = glossary.language
    header = (
        f"# {name} glossary ({code}): the approved translation of each term, and the names\n"
        "# that are never translated. `update` shows them to translators as `#. glossary:`\n"
        "# comments and `check` enforces them (docs/checks.md). Edit this file by hand, or\n"
        f"# merge a CSV or TBX file: `python -m pipeline glossary import FILE --lang {code}`.\n"
        "# Import rewrites it sorted: put explanations in `note`, not in comments.\n"
    )
    terms = []
    for term in sorted(glossary.terms, key=lambda item: _order(item.term)):
        fields: dict[str, object] = {"term": term.term, "translation": term.translation}
        if term.variants:
            fields["variants"] = list(term.variants)
        if term.note:
            fields["note"] = term.note
        terms.append(fields)
    document = {"terms": terms, "do_not_translate": sorted(glossary.do_not_translate, key=_order)}
    body = yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=False)
    return (header + body).encode("utf-8")


# --- where the English uses a term, and whether a translation does --------------------------

def _words(text: str) -> list[str]:
    return [word for word in re.split(f"[\\s{_DASHES}]+", text.strip()) if word]


def _english_pattern(text: str, plural: bool) -> re.Pattern[str]:
    body = f"[\\s{_DASHES}]+".join(re.escape(word) for word in _words(text))
    if plural:  # tendon/tendons, injury/injuries
        body = body[:-1] + "(?:y|ies)" if body.endswith("y") else body + "(?:e?s)?"
    flags = re.IGNORECASE if plural else 0
    return re.compile(rf"(?<!\w){body}(?!\w)", flags)


@lru_cache(maxsize=4096)
def _matcher(text: str, plural: bool) -> tuple[str, re.Pattern[str]]:
    """A term's pattern, and its head: what every match begins with (the first word, less a
    final "y" that the plural replaces, as in "injur" of "injury")."""
    words = _words(text)
    head = words[0] if words else ""
    if plural and len(words) == 1 and head.endswith("y"):
        head = head[:-1]
    return head, _english_pattern(text, plural)


def _could_match(head: str, plural: bool, english: str, ascii_lowered: str | None) -> bool:
    """False only where the pattern cannot match: its head is not in the English. A term
    ignores case, which lower() mirrors exactly only when both texts are ASCII; else True.

    A substring test costs a tenth of a regular expression's search, and most terms are not
    in most sentences: `check` and `update` ask this of every term for every entry.
    """
    if not plural:
        return head in english
    if ascii_lowered is None or not head.isascii():
        return True
    return head.lower() in ascii_lowered


def uses(english: str, glossary: Glossary) -> tuple[Term | str, ...]:
    """The terms (Term) and do-not-translate names (str) the English uses, in reading order.

    Where matches overlap, the longest wins: "Achilles tendon" hides "tendon" inside it.
    """
    found: list[tuple[int, int, Term | str]] = []
    items: tuple[Term | str, ...] = (*glossary.terms, *glossary.do_not_translate)
    ascii_lowered = english.lower() if english.isascii() else None
    for item in items:
        text, plural = (item.term, True) if isinstance(item, Term) else (item, False)
        head, pattern = _matcher(text, plural)
        if _could_match(head, plural, english, ascii_lowered):
            found += [(match.start(), match.end(), item) for match in pattern.finditer(english)]
    found.sort(key=lambda hit: (hit[0] - hit[1], hit[0]))
    taken: list[tuple[int, int, Term | str]] = []
    for start, end, item in found:
        if all(end <= other_start or start >= other_end for other_start, other_end, _ in taken):
            taken.append((start, end, item))
    ordered = dict.fromkeys(item for _, _, item in sorted(taken, key=lambda hit: hit[0]))
    return tuple(ordered)


def fold(text: str) -> str:
    """Text as terms are compared in translations: no case, accents, Arabic vowel marks, dashes.

    >>> fold("Tendinopatía") == fold("TENDINOPATIA"), fold("تنكّس") == fold("تنكس")
    (True, True)
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(char for char in decomposed
                   if not unicodedata.combining(char) and char != "\u0640")  # tatweel
    return " ".join(re.sub(f"[{_DASHES}]", " ", kept).split())


def translates(translation: str, term: Term) -> bool:
    """Whether a translation uses the approved translation of a term (or an accepted variant),
    anywhere, so that inflected and compound forms count: "Achillessehne" uses "Sehne"."""
    folded = fold(translation)
    return any(fold(form) in folded for form in (term.translation, *term.variants))


def comments(english: str, glossary: Glossary) -> tuple[str, ...]:
    """The `#. glossary:` comments for an entry whose English is `english`."""
    return tuple(f"{COMMENT}{item.term} = {item.translation}" if isinstance(item, Term)
                 else f"{COMMENT}{item} (do not translate)" for item in uses(english, glossary))


def annotate(catalog: Catalog, glossary: Glossary) -> Catalog:
    """The catalog with each active entry's glossary comments regenerated from the glossary,
    after the template's comments and before the pipeline's notes (which must come last)."""
    def annotated(entry: Entry) -> Entry:
        kept = [comment for comment in entry.comments if not comment.startswith(COMMENT)]
        if entry.obsolete:
            made = tuple(kept)
        else:
            english = entry.msgid if entry.msgid_plural is None else \
                f"{entry.msgid}\n{entry.msgid_plural}"
            at = next((index for index, comment in enumerate(kept)
                       if comment.startswith(PIPELINE_NOTES)), len(kept))
            made = (*kept[:at], *comments(english, glossary), *kept[at:])
        return entry if made == entry.comments else replace(entry, comments=made)

    return replace(catalog, entries=tuple(annotated(entry) for entry in catalog.entries))
