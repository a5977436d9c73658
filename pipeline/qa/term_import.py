"""Glossary import: the terms of a CSV or TBX file merged into glossary/<lang>.yaml."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import PipelineError, raise_all
from pipeline.languages import covers
from pipeline.qa.glossary import Glossary, Term, load, path_of, render
from pipeline.runtime import safexml
from pipeline.runtime.fsio import EXCHANGE, read_bounded, write_if_changed
from pipeline.source.yamlread import CONTROL

CSV_COLUMNS = ("term", "translation", "note")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# TBX 2 (ISO 30042:2008, <martif>) and TBX 3 (ISO 30042:2019, <tbx>) names of the same parts.
TBX_ENTRIES = frozenset({"termEntry", "conceptEntry"})
TBX_LANGUAGES = frozenset({"langSet", "langSec"})
UNKNOWN_LANGUAGE = "xx"  # translate-toolkit's tag for a language it was not told


@dataclass(frozen=True)
class Imported:
    """What a glossary import did."""

    path: Path
    read: int
    added: int
    changed: int
    unchanged: int
    written: bool



# --- reading --------------------------------------------------------------------------------

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
