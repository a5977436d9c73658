"""Checks of whole catalog files: readable, valid for msgfmt, right header, no duplicates."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pipeline.languages import language_name, parse_plural_forms, plural_forms
from pipeline.qa.checks.context import Context, Document

_KEYWORD = re.compile(r'(#~ ?)?(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+"(.*)"\s*\Z')
_CONTINUED = re.compile(r'(#~ ?)?"(.*)"\s*\Z')


def _keys(text: str) -> Iterator[tuple[int, tuple[bool, str | None, str]]]:
    """(first line, (obsolete, msgctxt, msgid)) of every entry, read from the raw text: the
    pipeline's reader refuses a catalog with duplicates, so they are found here."""
    start: int | None = None
    fields: dict[str, str] = {}
    current, obsolete = "", False
    for number, line in enumerate([*text.splitlines(), ""], start=1):
        keyword = _KEYWORD.match(line)
        continued = None if keyword else _CONTINUED.match(line)
        begins = not line.strip() or not (keyword or continued) or (
            keyword is not None and keyword.group(2) in ("msgctxt", "msgid"))
        if begins and start is not None and any(name.startswith("msgstr") for name in fields):
            yield start, (obsolete, fields.get("msgctxt"), fields.get("msgid", ""))
            start, fields, current = None, {}, ""
        if not line.strip():
            continue
        start = number if start is None else start
        if keyword:
            obsolete, current = bool(keyword.group(1)), keyword.group(2)
            fields[current] = keyword.group(3)
        elif continued and current:
            fields[current] += continued.group(2)


def duplicates(document: Document, context: Context) -> Iterator[tuple[int, str]]:
    """The same msgid (and msgctxt) twice in one catalog, found in the raw text.

    >>> text = 'msgid "Rest"\\nmsgstr "Reposo"\\n\\nmsgid "Rest"\\nmsgstr "Descanso"\\n'
    >>> list(duplicates(Document("es.po", text, None), Context("es")))
    [(4, 'a second entry for msgid "Rest" (the first is at line 1); keep one')]
    """
    seen: dict[tuple[bool, str | None, str], int] = {}
    for line, key in _keys(document.text):
        if key in seen:
            where = f' and msgctxt "{key[1]}"' if key[1] is not None else ""
            yield line, (f'a second entry for msgid "{key[2][:60]}"{where} (the first is at '
                         f"line {seen[key]}); keep one")
        else:
            seen[key] = line


def syntax(document: Document, context: Context) -> Iterator[tuple[int, str]]:
    """The pipeline can read the catalog: UTF-8, complete "quoted strings", well-formed entries.

    >>> from pipeline.errors import PipelineError
    >>> bad = PipelineError("not a valid PO file: an unterminated string", "es.po", 12)
    >>> list(syntax(Document("es.po", "", None, (bad,)), Context("es")))
    [(12, 'not a valid PO file: an unterminated string')]
    """
    duplicated = any(duplicates(document, context))
    for problem in document.problems:
        # The reader refuses a duplicate: the duplicates check (and msgfmt) report it instead.
        if duplicated and "duplicate entry for msgid" in problem.message:
            continue
        yield problem.line or 1, problem.message


def _header_line(text: str, name: str) -> int:
    lines = text.splitlines()
    found = next((number for number, line in enumerate(lines, start=1)
                  if line.startswith(f'"{name}:')), None)
    return found or next((number for number, line in enumerate(lines, start=1)
                          if line.startswith('msgid ""')), 1)


def header(document: Document, context: Context) -> Iterator[tuple[int, str]]:
    """Language names the catalog's folder, and Plural-Forms is a valid rule (the project's, from
    pipeline/data/plural-forms.json, or a translation team's own).

    >>> from pipeline.po.model import Catalog
    >>> catalog = Catalog((), (("Language", "en"),), ())
    >>> list(header(Document("es.po", "", catalog), Context("es")))[0]
    (1, 'Language is "en", but the catalog is Spanish ("es"); `update` sets it')
    """
    if document.catalog is None:
        return
    language = document.catalog.header_value("Language") or ""
    if language != context.language:
        yield (_header_line(document.text, "Language"),
               f'Language is "{language}", but the catalog is {language_name(context.language)} '
               f'("{context.language}"); `update` sets it')
    plural = document.catalog.header_value("Plural-Forms") or ""
    rule, ours = parse_plural_forms(plural), plural_forms(context.language)
    if rule is not None and ours is not None and rule != ours:
        yield (_header_line(document.text, "Plural-Forms"),
               f'Plural-Forms is "{plural}", but GNU gettext\'s rule for {context.language} is '
               f'"{ours.header}": delete the line and `update` sets it, or, if your team chose '
               "this rule, set this check to off")
    if rule is None:
        yield (_header_line(document.text, "Plural-Forms"),
               f'Plural-Forms "{plural}" is not a valid rule (nplurals=N; plural=a C expression '
               "of n that picks one of the N forms); delete the line and `update` sets GNU "
               "gettext's rule for the language")


_GNU = re.compile(r"(?P<path>.+?):(?:(?P<line>\d+):)?(?:\d+:)? (?P<message>.+)")


def _msgfmt_lines(document: Document, warnings: bool) -> list[tuple[int, str]]:
    """msgfmt's `file:line: message` lines about the document, errors or warnings, with its
    `...` notes joined; a message without a line is about the header."""
    found: list[tuple[int, str]] = []
    kept = False
    for line in document.msgfmt.splitlines():
        match = _GNU.fullmatch(line.strip())
        if match is None or match.group("path") != document.path:
            continue  # "msgfmt: found 1 fatal error", or an indented explanation
        number = int(match.group("line") or _header_line(document.text, "Content-Type"))
        message = match.group("message")
        if message.startswith("..."):  # a note about the message before
            if kept:
                found[-1] = (found[-1][0], f"{found[-1][1]} ({message.strip('. ')}: line "
                                           f"{number})")
            continue
        kept = message.startswith("warning: ") == warnings
        if kept:
            found.append((number, message.removeprefix("warning: ")))
    return found


def msgfmt(document: Document, context: Context) -> Iterator[tuple[int, str]]:
    """The errors `msgfmt --check` finds: format strings, newlines, plural forms, duplicates.

    >>> said = "es.po:9: a format specification for argument 'count' doesn't exist in 'msgstr'"
    >>> list(msgfmt(Document("es.po", "", None, msgfmt=said), Context("es")))
    [(9, "a format specification for argument 'count' doesn't exist in 'msgstr'")]
    """
    yield from _msgfmt_lines(document, warnings=False)


def msgfmt_warnings(document: Document, context: Context) -> Iterator[tuple[int, str]]:
    """The warnings of `msgfmt --check`, except header fields that translation tools fill in
    (Last-Translator...): the header check covers what the pipeline needs of the header.

    >>> said = "es.po:2: warning: header field 'Last-Translator' missing in header"
    >>> list(msgfmt_warnings(Document("es.po", "", None, msgfmt=said), Context("es")))
    []
    """
    for line, message in _msgfmt_lines(document, warnings=True):
        if not message.startswith("header field"):
            yield line, message
