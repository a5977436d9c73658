"""Per-language glossaries: approved terms and do-not-translate names, their use, CSV/TBX import."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import yaml
from yaml.nodes import Node

from pipeline.errors import PipelineError, raise_all
from pipeline.languages import covers, language_name
from pipeline.po.model import Catalog, Entry
from pipeline.po.states import PIPELINE_NOTES
from pipeline.runtime import safexml
from pipeline.runtime.fsio import EXCHANGE, GLOSSARY, read_bounded, write_if_changed
from pipeline.source.yamlread import CONTROL, Reader, compose

FOLDER = "glossary"
COMMENT = "glossary: "  # the extracted comments that update regenerates from the glossary
CSV_COLUMNS = ("term", "translation", "note")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# TBX 2 (ISO 30042:2008, <martif>) and TBX 3 (ISO 30042:2019, <tbx>) names of the same parts.
TBX_ENTRIES = frozenset({"termEntry", "conceptEntry"})
TBX_LANGUAGES = frozenset({"langSet", "langSec"})
UNKNOWN_LANGUAGE = "xx"  # translate-toolkit's tag for a language it was not told
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


@dataclass(frozen=True)
class Imported:
    """What a glossary import did."""

    path: Path
    read: int
    added: int
    changed: int
    unchanged: int
    written: bool


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

def _english_pattern(text: str, plural: bool) -> re.Pattern[str]:
    words = [re.escape(word) for word in re.split(f"[\\s{_DASHES}]+", text.strip()) if word]
    body = f"[\\s{_DASHES}]+".join(words)
    if plural:  # tendon/tendons, injury/injuries
        body = body[:-1] + "(?:y|ies)" if body.endswith("y") else body + "(?:e?s)?"
    flags = re.IGNORECASE if plural else 0
    return re.compile(rf"(?<!\w){body}(?!\w)", flags)


@lru_cache(maxsize=4096)
def _matcher(text: str, plural: bool) -> tuple[str, re.Pattern[str]]:
    """A term's pattern, and its head: what every match begins with (the first word, less a
    final "y" that the plural replaces, as in "injur" of "injury")."""
    words = [word for word in re.split(f"[\\s{_DASHES}]+", text.strip()) if word]
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


# --- import --------------------------------------------------------------------------------

def read_csv(data: bytes, path: Path) -> tuple[tuple[Term, ...], tuple[str, ...]]:
    """Terms and do-not-translate names (no translation) from CSV: term,translation,note."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise PipelineError("not UTF-8: save the CSV as UTF-8", path, line) from None
    rows = csv.reader(io.StringIO(text, newline=""))
    header = [column.strip().lower() for column in next(rows, [])]
    if header[:2] != ["term", "translation"] or not set(header) <= set(CSV_COLUMNS):
        raise PipelineError(f"the first row must name the columns {','.join(CSV_COLUMNS)} "
                            f"(note is optional), not {','.join(header) or 'nothing'}", path, 1)
    terms: dict[str, Term] = {}
    keep: dict[str, str] = {}
    problems = []
    for row in rows:
        if not any(cell.strip() for cell in row):
            continue
        cells = dict(zip(header, (cell.strip() for cell in row), strict=False))
        term, translation = cells.get("term", ""), cells.get("translation", "")
        if not term or len(row) > len(header):
            problems.append(PipelineError(f"expected {','.join(header)} with a term; got "
                                          f"{len(row)} cells", path, rows.line_num))
        elif found := CONTROL.search("".join(cells.values())):
            problems.append(PipelineError(f"a control character (U+{ord(found.group()):04X}); "
                                          "remove it", path, rows.line_num))
        elif term.casefold() in terms or term.casefold() in keep:
            problems.append(PipelineError(f"{term!r} is listed twice", path, rows.line_num))
        elif translation:
            terms[term.casefold()] = Term(term, translation, cells.get("note", ""))
        else:
            keep[term.casefold()] = term
    raise_all(problems)
    return tuple(terms.values()), tuple(keep.values())


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _terms_of(element: ElementTree.Element) -> list[str]:
    return [" ".join("".join(node.itertext()).split()) for node in element.iter()
            if _local(node.tag) == "term" and "".join(node.itertext()).strip()]


def _note_of(*elements: ElementTree.Element) -> str:
    for element in elements:
        for node in element.iter():
            if _local(node.tag) == "note" or (_local(node.tag) == "descrip"
                                              and node.get("type") == "definition"):
                return " ".join("".join(node.itertext()).split())
    return ""


def read_tbx(data: bytes, path: Path, language: str, source_language: str) -> tuple[Term, ...]:
    """The terms of a TBX file (ISO 30042): per entry, each source-language term with the first
    (preferred) term of `language`, or of the unknown language `xx` where the entry has none of
    `language` (csv2tbx writes it, as a CSV names no language); an entity declaration, or a DTD
    named by a URL, is refused, unread (docs/checks.md)."""
    root = safexml.parse(data, path, "TBX")
    if _local(root.tag) not in ("martif", "tbx"):
        raise PipelineError(f"not a TBX document: the root element is <{_local(root.tag)}>, not "
                            "<martif> (TBX 2) or <tbx> (TBX 3)", path)
    terms: list[Term] = []
    for entry in (node for node in root.iter() if _local(node.tag) in TBX_ENTRIES):
        sets = [(node.get(XML_LANG) or node.get("lang") or "", node) for node in entry
                if _local(node.tag) in TBX_LANGUAGES]
        sources = [term for tag, node in sets if covers(source_language, tag)
                   for term in _terms_of(node)]
        targets = [(term, node) for tag, node in sets if covers(language, tag)
                   for term in _terms_of(node)] or \
            [(term, node) for tag, node in sets if tag == UNKNOWN_LANGUAGE
             for term in _terms_of(node)]
        if sources and targets:
            translation, target = targets[0]
            note = _note_of(target, entry)
            terms += [Term(source, translation, note) for source in dict.fromkeys(sources)]
    return tuple(terms)


def merge(glossary: Glossary, terms: Iterable[Term],
          keep: Iterable[str] = ()) -> tuple[Glossary, Mapping[str, int]]:
    """The glossary with imported terms added or updated (by term, ignoring case), and counts.

    An imported note replaces the old one only when it says something; variants are kept while
    the approved translation stays the same.
    """
    merged = {term.term.casefold(): term for term in glossary.terms}
    names = {name.casefold(): name for name in glossary.do_not_translate}
    counts = {"read": 0, "added": 0, "changed": 0, "unchanged": 0}
    for term in terms:
        counts["read"] += 1
        old = merged.get(term.term.casefold())
        new = term if old is None else Term(
            term.term, term.translation, term.note or old.note,
            old.variants if old.translation == term.translation else ())
        counts["added" if old is None else "unchanged" if old == new else "changed"] += 1
        merged[term.term.casefold()] = new
    for name in keep:
        counts["read"] += 1
        counts["unchanged" if name.casefold() in names else "added"] += 1
        names.setdefault(name.casefold(), name)
    clashes = sorted(set(merged) & set(names))
    if clashes:
        raise PipelineError(f"{', '.join(clashes)}: both a term and a do-not-translate name; "
                            "keep one")
    return Glossary(glossary.language, tuple(merged.values()), tuple(names.values())), counts


def read_import(path: Path, language: str,
                source_language: str) -> tuple[tuple[Term, ...], tuple[str, ...]]:
    """The terms and do-not-translate names of a CSV or TBX file."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".tbx"):
        raise PipelineError("unknown glossary format: import a .csv (term,translation,note) or "
                            "a .tbx file", path)
    data = read_bounded(path, EXCHANGE)
    if suffix == ".csv":
        return read_csv(data, path)
    found = read_tbx(data, path, language, source_language)
    if not found:
        raise PipelineError(f"no term entry with both {source_language} and {language} terms",
                            path)
    return found, ()


def import_file(root: Path, path: Path, language: str, source_language: str) -> Imported:
    """Merge a CSV or TBX file into glossary/<language>.yaml; nothing is written on a problem."""
    old = load(root, language)
    terms, keep = read_import(path, language, source_language)
    merged, counts = merge(old, terms, keep)
    target = path_of(root, language)
    written = write_if_changed(target, render(merged))
    return Imported(target, counts["read"], counts["added"], counts["changed"],
                    counts["unchanged"], written)
