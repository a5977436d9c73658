"""XLIFF 1.2 at the edge: entries written for CAT tools, their work read back safely."""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import quoteattr

from pipeline import __version__
from pipeline.errors import PipelineError, raise_all
from pipeline.memory.tmx import NOT_XML, xml_text
from pipeline.runtime import safexml

NAMESPACE = "urn:oasis:names:tc:xliff:document:1.2"
NAMESPACE_1_1 = "urn:oasis:names:tc:xliff:document:1.1"
VERSIONS = ("1.2", "1.1")
# XLIFF 1.2's states: a unit in one of these is done; in any other it needs a translator's look.
DONE = frozenset({"translated", "signed-off", "final"})
STATES = DONE | {"new", "needs-translation", "needs-adaptation", "needs-l10n",
                 "needs-review-translation", "needs-review-adaptation", "needs-review-l10n"}
# Inline elements whose text is the translation's (kept); any other inline element is a code
# of an original format, which no exported English holds.
TEXT_ELEMENTS = frozenset({"g", "mrk"})
PREVIOUS = "previous-version"  # alttranstype of a stale unit's English and translation
PROPOSAL = "proposal"  # alttranstype of a memory match
MSGCTXT = "x-po-msgctxt"  # the context-type of msgctxt, as translate-toolkit writes it


@dataclass(frozen=True)
class Alternative:
    """An alt-trans: a memory match (proposal) or a stale unit's previous English."""

    source: str
    target: str
    kind: str
    origin: str
    quality: str | None = None


@dataclass(frozen=True)
class OutUnit:
    """A catalog entry as a trans-unit; notes are (from, text)."""

    msgid: str
    msgctxt: str | None
    target: str
    state: str
    approved: bool
    qualifier: str | None = None
    notes: tuple[tuple[str, str], ...] = ()
    alternatives: tuple[Alternative, ...] = ()


@dataclass(frozen=True)
class OutFile:
    """One catalog's units; `original` is the catalog's path in the project."""

    original: str
    domain: str
    units: tuple[OutUnit, ...]


@dataclass(frozen=True)
class InUnit:
    """A trans-unit read back: its English and context name the entry; line is in the file."""

    msgid: str
    msgctxt: str | None
    target: str | None
    state: str | None
    approved: str | None
    line: int


@dataclass(frozen=True)
class InFile:
    original: str
    source_language: str
    target_language: str
    line: int
    units: tuple[InUnit, ...]


def unit_id(domain: str, msgctxt: str | None, msgid: str) -> str:
    """A unit's id: the same for the same catalog, context and English, in any export.

    >>> unit_id("site", None, "Symptoms")
    'site-a2888cc1ed060d4b'
    """
    key = "\0".join((domain, msgctxt or "", msgid)).encode("utf-8")
    return f"{domain}-{hashlib.sha256(key).hexdigest()[:16]}"


def _attribute(text: str) -> str:
    return quoteattr(NOT_XML.sub("", text))


def _unit_lines(domain: str, unit: OutUnit) -> Iterator[str]:
    approved = "yes" if unit.approved else "no"
    yield (f"      <trans-unit id={_attribute(unit_id(domain, unit.msgctxt, unit.msgid))} "
           f'approved="{approved}" xml:space="preserve">')
    yield f"        <source>{xml_text(unit.msgid)}</source>"
    qualifier = f" state-qualifier={_attribute(unit.qualifier)}" if unit.qualifier else ""
    yield f'        <target state="{unit.state}"{qualifier}>{xml_text(unit.target)}</target>'
    if unit.msgctxt is not None:
        yield ('        <context-group name="po-entry" purpose="information">'
               f'<context context-type="{MSGCTXT}">{xml_text(unit.msgctxt)}</context>'
               "</context-group>")
    for author, text in unit.notes:
        yield f"        <note from={_attribute(author)}>{xml_text(text)}</note>"
    for alternative in unit.alternatives:
        quality = f" match-quality={_attribute(alternative.quality)}" \
            if alternative.quality else ""
        yield (f"        <alt-trans alttranstype={_attribute(alternative.kind)} "
               f"origin={_attribute(alternative.origin)}{quality}>"
               f"<source>{xml_text(alternative.source)}</source>"
               f"<target>{xml_text(alternative.target)}</target></alt-trans>")
    yield "      </trans-unit>"


def render(files: Sequence[OutFile], source_language: str, target_language: str) -> bytes:
    """An XLIFF 1.2 document (valid against its schema), one <file> per catalog, no dates."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<xliff version="1.2" xmlns="{NAMESPACE}">']
    for file in files:
        lines += [
            f"  <file original={_attribute(file.original)} source-language="
            f"{_attribute(source_language)} target-language={_attribute(target_language)} "
            'datatype="po">',
            '    <header><tool tool-id="clinic-pipeline" tool-name="clinic-pipeline" '
            f'tool-version="{__version__}"/></header>',
            "    <body>",
        ]
        for unit in file.units:
            lines += _unit_lines(file.domain, unit)
        lines += ["    </body>", "  </file>"]
    lines += ["</xliff>", ""]
    return "\n".join(lines).encode("utf-8")


# --- reading -------------------------------------------------------------------------------

def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(element: ElementTree.Element, name: str) -> ElementTree.Element | None:
    return next((child for child in element if _local(child.tag) == name), None)


def _text(element: ElementTree.Element, path: Path, line: int) -> str:
    """The text of a <source> or <target>, with that of <g> and <mrk>; any other inline
    element is an original format's code, which the exported English never holds."""
    parts = [element.text or ""]
    for child in element:
        if _local(child.tag) not in TEXT_ELEMENTS:
            raise PipelineError(f"the unit holds an inline code <{_local(child.tag)}>, which its "
                                "English does not: translate the text alone (Markdown such as "
                                "**bold** and [links](/url) is text) and export again", path,
                                line)
        parts += [_text(child, path, line), child.tail or ""]
    return "".join(parts)


def _context(unit: ElementTree.Element) -> str | None:
    return next((context.text or "" for context in unit.iter() if _local(context.tag) ==
                 "context" and context.get("context-type") == MSGCTXT), None)


def _unit(element: ElementTree.Element, path: Path, line: int) -> InUnit:
    source = _child(element, "source")
    if source is None:
        raise PipelineError("a <trans-unit> without <source>; export it again from its tool",
                            path, line)
    target = _child(element, "target")
    state = target.get("state") if target is not None else None
    if state is not None and state not in STATES and not state.startswith("x-"):
        raise PipelineError(f"state {state!r} is not an XLIFF 1.2 state (such as translated or "
                            "needs-review-translation)", path, line)
    return InUnit(_text(source, path, line), _context(element),
                  _text(target, path, line) if target is not None else None, state,
                  element.get("approved"), line)


def _file(element: ElementTree.Element, lines: dict[ElementTree.Element, int],
          path: Path) -> InFile:
    line = lines.get(element, 0)
    missing = [name for name in ("original", "source-language", "target-language")
               if not element.get(name)]
    if missing:
        raise PipelineError(f"the <file> has no {', '.join(missing)}: import a file this "
                            "pipeline exported (xliff export), translated", path, line)
    units, problems = [], []
    for unit in element.iter():
        if _local(unit.tag) == "trans-unit":
            try:
                units.append(_unit(unit, path, lines.get(unit, 0)))
            except PipelineError as error:
                problems.append(error)
    raise_all(problems)
    return InFile(element.get("original", ""), element.get("source-language", ""),
                  element.get("target-language", ""), line, tuple(units))


def parse(data: bytes, path: Path) -> tuple[InFile, ...]:
    """The files and units of an untrusted XLIFF 1.2 document; every problem is reported at
    once, with its line, and nothing is returned if there is one."""
    root, lines = safexml.parse_lines(data, path, "XLIFF")
    namespace = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
    if _local(root.tag) != "xliff" or namespace not in ("", NAMESPACE, NAMESPACE_1_1):
        raise PipelineError(f"not an XLIFF document: the root element is <{_local(root.tag)}>, "
                            "not <xliff> (XLIFF 1.2)", path, 1)
    if root.get("version") not in VERSIONS:
        raise PipelineError(f"XLIFF {root.get('version')} is not read: save the file as XLIFF "
                            "1.2 in its tool", path, lines.get(root))
    files, problems = [], []
    for element in root:
        if _local(element.tag) == "file":
            try:
                files.append(_file(element, lines, path))
            except PipelineError as error:
                problems.append(error)
    raise_all(problems)
    return tuple(files)
