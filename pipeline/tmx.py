"""TMX 1.4b files at the edge: read any tool's TMX safely, write the project's deterministically."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from pipeline import __version__, safexml
from pipeline.errors import PipelineError
from pipeline.model import MemoryUnit

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ORIGIN = "x-origin"
# Inline elements whose content is the original document's native code: dropped from the text.
NATIVE_CODE = frozenset({"bpt", "ept", "it", "ph", "ut"})


def _text(seg: ElementTree.Element) -> str:
    """A segment's text: native-code elements dropped, <hi> and <sub> text kept."""
    parts = [seg.text or ""]
    for child in seg:
        if child.tag not in NATIVE_CODE:
            parts.append(_text(child))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def parse(data: bytes, path: Path, source_language: str) -> tuple[MemoryUnit, ...]:
    """The units of a TMX document (UTF-8 or UTF-16), from `source_language` to each other one;
    a unit's language is the tag as written in the file, such as es-ES.

    Raises PipelineError naming the file and line for anything malformed or unsafe: entity
    declarations and DTDs named by URL are refused without being fetched or expanded.
    """
    root = safexml.parse(data, path, "TMX")
    if root.tag != "tmx" or root.find("body") is None:
        raise PipelineError("not a TMX document: the root must be <tmx> with a <body>", path)
    header = root.find("header")
    header_source = header.get("srclang", "") if header is not None else ""
    units = []
    for tu in root.iter("tu"):
        origin = next((prop.text or "" for prop in tu.findall("prop")
                       if prop.get("type") == ORIGIN), f"import:{path.name}")
        source_tag = tu.get("srclang") or header_source
        variants = [(tuv.get(XML_LANG) or tuv.get("lang") or "", tuv.find("seg"))
                    for tuv in tu.findall("tuv")]
        texts = [(language, _text(seg)) for language, seg in variants if seg is not None]
        source = next((text for language, text in texts
                       if _same_language(language, source_tag or source_language)
                       or (source_tag in ("", "*all*")
                           and _same_language(language, source_language))), None)
        if not source:
            continue
        for language, text in texts:
            if text and not _same_language(language, source_language):
                units.append(MemoryUnit(source, text, language, origin))
    return tuple(units)


def _same_language(tag: str, language: str) -> bool:
    first = re.split(r"[-_]", tag.strip().lower())[0]
    return bool(first) and first == re.split(r"[-_]", language.lower())[0]


def read(path: Path, source_language: str) -> tuple[MemoryUnit, ...]:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise PipelineError(f"cannot read: {error.strerror}", path) from None
    return parse(data, path, source_language)


# Characters XML 1.0 cannot carry at all; a translation holding one loses only that character.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Text as XML element content: markup escaped, characters XML cannot carry dropped."""
    return escape(NOT_XML.sub("", text))


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
    for unit in sorted(set(units), key=lambda u: (u.source, u.language, u.target, u.origin)):
        lines += [
            "    <tu>",
            f'      <prop type="{ORIGIN}">{xml_text(unit.origin)}</prop>',
            f"      <tuv xml:lang={quoteattr(source_language)}><seg>{xml_text(unit.source)}</seg>"
            "</tuv>",
            f"      <tuv xml:lang={quoteattr(unit.language)}><seg>{xml_text(unit.target)}</seg>"
            "</tuv>",
            "    </tu>",
        ]
    lines += ["  </body>", "</tmx>", ""]
    return "\n".join(lines).encode("utf-8")
