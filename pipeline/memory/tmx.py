"""TMX 1.4b files at the edge: read any tool's TMX safely, write the project's deterministically."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from pipeline import __version__
from pipeline.errors import PipelineError
from pipeline.languages import same_language
from pipeline.model import MemoryUnit, UnitStatus
from pipeline.runtime import safexml
from pipeline.runtime.fsio import EXCHANGE, FileKind, read_bounded

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ORIGIN = "x-origin"
STATUS = "x-status"  # a unit's UnitStatus, when it is not current
PLURAL = "x-msgid-plural"  # the English plural of a plural entry
FORM = "x-form-"  # x-form-1, x-form-2...: the forms after the first of a plural entry
STATUSES = frozenset(status.value for status in UnitStatus)
# Inline elements whose content is the original document's native code: dropped from the text.
NATIVE_CODE = frozenset({"bpt", "ept", "it", "ph", "ut"})


def _text(seg: ElementTree.Element) -> str:
    """A segment's text: native-code elements dropped, <hi> and <sub> text kept (walked
    without recursion: a hostile file may nest them thousands deep)."""
    parts: list[str] = []
    pending: list[ElementTree.Element | str] = [seg]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            parts.append(item)
            continue
        if item is seg or item.tag not in NATIVE_CODE:
            parts.append(item.text or "")
            for child in reversed(item):
                pending += [child.tail or "", child]
    return " ".join("".join(parts).split())


def _props(tu: ElementTree.Element) -> dict[str, str]:
    return {prop.get("type", ""): prop.text or "" for prop in tu.findall("prop")}


def _unit(tu: ElementTree.Element, source: str, target: str, language: str,
          default_origin: str) -> MemoryUnit:
    """A unit with what the project's own files say of it: status, comments, plural forms."""
    props = _props(tu)
    status = props.get(STATUS, UnitStatus.CURRENT.value)
    plural = props.get(PLURAL)
    forms = [target] + [props[name] for name in sorted(
        (name for name in props if name.startswith(FORM)), key=_form_number)]
    comments = tuple(" ".join((note.text or "").split()) for note in tu.findall("note"))
    return MemoryUnit(source, target, language, props.get(ORIGIN, default_origin),
                      UnitStatus(status) if status in STATUSES else UnitStatus.UNTRUSTED,
                      tuple(comment for comment in comments if comment), plural,
                      tuple(forms) if plural is not None else ())


def _form_number(name: str) -> int:
    number = name.removeprefix(FORM)
    return int(number) if number.isdigit() else 0


def parse(data: bytes, path: Path, source_language: str) -> tuple[MemoryUnit, ...]:
    """The units of a TMX document (UTF-8 or UTF-16), from `source_language` to each other one;
    a unit's language is the tag as written in the file, such as es-ES.

    Raises PipelineError naming the file and line for anything malformed or unsafe: entity
    declarations and DTDs named by URL are refused without being fetched or expanded.
    """
    root = safexml.parse(data, path, "TMX")
    if root.tag != "tmx" or root.find("body") is None:
        raise PipelineError("not a TMX document: the root must be <tmx> with a <body>", path)
    units = []
    for tu in root.iter("tu"):
        variants = [(tuv.get(XML_LANG) or tuv.get("lang") or "", tuv.find("seg"))
                    for tuv in tu.findall("tuv")]
        texts = [(language, _text(seg)) for language, seg in variants if seg is not None]
        # The English is the source whatever the file's srclang says: a TMX made from Spanish
        # originals pairs the same sentences, and the memory looks them up by their English.
        source = next((text for language, text in texts
                       if same_language(language, source_language)), None)
        if not source:
            continue
        kept_comments = tu.find("note") is not None  # a translator's comment alone is kept too
        for language, text in texts:
            if (text or kept_comments) and not same_language(language, source_language):
                units.append(_unit(tu, source, text, language, f"import:{path.name}"))
    return tuple(units)




def read(path: Path, source_language: str,
         kind: FileKind = EXCHANGE) -> tuple[MemoryUnit, ...]:
    return parse(read_bounded(path, kind), path, source_language)


# Characters XML 1.0 cannot carry at all; a translation holding one loses only that character.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Text as XML element content: markup escaped, characters XML cannot carry dropped."""
    return escape(NOT_XML.sub("", text))


def _order(unit: MemoryUnit) -> tuple[str, ...]:
    return (unit.source, unit.language, unit.target, unit.origin, unit.status.value,
            unit.plural or "", *unit.forms, "\0", *unit.comments)


def _extra_props(unit: MemoryUnit) -> list[str]:
    props = [] if unit.trusted else [(STATUS, unit.status.value)]
    if unit.plural is not None:
        props.append((PLURAL, unit.plural))
        props += [(f"{FORM}{number}", form) for number, form in enumerate(unit.forms)
                  if number]
    return [f'      <prop type="{name}">{xml_text(value)}</prop>' for name, value in props]


def render(units: Iterable[MemoryUnit], source_language: str) -> bytes:
    """A TMX 1.4b document (valid against its DTD) with one <tu> per unit, sorted."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<tmx version="1.4">',
        f'  <header creationtool="clinic-pipeline" creationtoolversion="{__version__}" '
        f'segtype="sentence" o-tmf="gettext" adminlang="en" '
        f'srclang={quoteattr(source_language)} datatype="plaintext"/>',
        "  <body>",
    ]
    for unit in sorted(set(units), key=_order):
        lines += [
            "    <tu>",
            *(f"      <note>{xml_text(comment)}</note>" for comment in unit.comments),
            f'      <prop type="{ORIGIN}">{xml_text(unit.origin)}</prop>',
            *_extra_props(unit),
            f"      <tuv xml:lang={quoteattr(source_language)}><seg>{xml_text(unit.source)}</seg>"
            "</tuv>",
            f"      <tuv xml:lang={quoteattr(unit.language)}><seg>{xml_text(unit.target)}</seg>"
            "</tuv>",
            "    </tu>",
        ]
    lines += ["  </body>", "</tmx>", ""]
    return "\n".join(lines).encode("utf-8")
