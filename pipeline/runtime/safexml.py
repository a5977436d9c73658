"""Untrusted XML (TMX, TBX, XLIFF) parsed safely: DOCTYPE allowed, nothing fetched or expanded."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

from defusedxml.ElementTree import DefusedXMLParser

from pipeline.errors import PipelineError

MAX_BYTES = 256 * 1024 * 1024
MAX_DEPTH = 64
# What a DOCTYPE may name as its DTD: a file name such as tmx14.dtd, which nothing fetches.
_DTD_FILE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


class _Refused(Exception):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class _Bounded(ElementTree.TreeBuilder):
    """A tree builder that refuses elements nested deeper than MAX_DEPTH, and notes the line
    where each element starts."""

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind
        self.depth = 0
        self.where: Any = None  # the expat parser, for the line
        self.lines: dict[ElementTree.Element, int] = {}

    def start(self, tag: Any, attrs: Any) -> ElementTree.Element:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _Refused(f"refused: the {self.kind} nests elements more than {MAX_DEPTH} "
                           "deep, which no exchange file needs; export it again from its tool",
                           self.where.CurrentLineNumber)
        element = super().start(tag, attrs)
        self.lines[element] = self.where.CurrentLineNumber
        return element

    def end(self, tag: Any) -> ElementTree.Element:
        self.depth -= 1
        return super().end(tag)


class _Parser(DefusedXMLParser):
    """defusedxml's parser with the DOCTYPE allowed but checked, and every refusal placed."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.builder = _Bounded(kind)
        super().__init__(target=self.builder, forbid_dtd=False, forbid_entities=True,
                         forbid_external=True)
        self.builder.where = self.parser
        self.parser.StartDoctypeDeclHandler = self.doctype

    def _line(self) -> int:
        return int(self.parser.CurrentLineNumber)

    def doctype(self, name: str, sysid: str | None, pubid: str | None, internal: int) -> None:
        if sysid is not None and not _DTD_FILE.fullmatch(sysid):
            raise _Refused(f"refused: the {self.kind}'s <!DOCTYPE> names its DTD at {sysid!r}, "
                           "which a parser could fetch; name the DTD by its file name alone "
                           "(or remove the <!DOCTYPE>) and import again", self._line())

    def defused_entity_decl(self, name: str, *_: Any) -> None:
        raise _Refused(f"refused: the {self.kind} declares an entity ({name!r}), which could "
                       "read other files or expand without end; remove its <!ENTITY> "
                       "declarations (a <!DOCTYPE> alone is fine) and import again", self._line())

    def defused_unparsed_entity_decl(self, name: str, *_: Any) -> None:
        self.defused_entity_decl(name)

    def defused_external_entity_ref_handler(self, context: Any, base: Any, sysid: str | None,
                                            pubid: Any) -> None:
        raise _Refused(f"refused: the {self.kind} refers to an external entity ({sysid!r}); "
                       "remove the reference and import again", self._line())


def parse(data: bytes, path: Path, kind: str) -> ElementTree.Element:
    """The root element of an untrusted document (UTF-8 or UTF-16) of a kind (TMX, TBX, XLIFF).

    Raises PipelineError naming the file and line for anything malformed or unsafe: an entity
    declaration, an external reference, a DTD named by a URL or path (a DOCTYPE naming its DTD by
    file name, as tools write it, is fine and never read), a document over MAX_BYTES or nested
    over MAX_DEPTH.
    """
    return parse_lines(data, path, kind)[0]


def parse_lines(data: bytes, path: Path,
                kind: str) -> tuple[ElementTree.Element, dict[ElementTree.Element, int]]:
    """parse, with the line where each element starts."""
    if len(data) > MAX_BYTES:
        raise PipelineError(f"refused: {len(data) // 2**20} MB is more than the "
                            f"{MAX_BYTES // 2**20} MB a {kind} file may be; split it", path)
    parser = _Parser(kind)
    try:
        parser.feed(data)
        root: ElementTree.Element = parser.close()
    except _Refused as refused:
        raise PipelineError(refused.message, path, refused.line) from None
    except ElementTree.ParseError as error:
        line, column = error.position
        reason = str(error).split(":")[0]
        raise PipelineError(f"not well-formed XML ({reason}); fix the file or export it again "
                            "from its tool", path, line, column + 1) from None
    return root, parser.builder.lines
