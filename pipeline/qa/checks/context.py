"""What every check receives: the language's context, a catalog file, and what a finding is."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.config import DEFAULT_LENGTH_RATIO
from pipeline.errors import PipelineError
from pipeline.languages import primary
from pipeline.po.model import Catalog
from pipeline.qa.glossary import Glossary

NO_GLOSSARY = Glossary("")
# A Markdown link's target, "](url)": its digits and marks belong to the URL, not the prose.
_LINK_TARGET = re.compile(r"\]\((?:[^()\\]|\\.|\([^()]*\))*\)")


def prose(text: str) -> str:
    """The text without its links' targets, for checks of what readers read.

    >>> prose("[Call](tel:5550100?x=1) today")
    '[Call] today'
    """
    return _LINK_TARGET.sub("]", text)


@dataclass(frozen=True)
class Context:
    """What a check knows besides the text: the language, its glossary, the length bounds."""

    language: str
    glossary: Glossary = NO_GLOSSARY
    length_ratio: tuple[float, float] = DEFAULT_LENGTH_RATIO

    @property
    def base(self) -> str:
        """The language without its region: "es" for es_MX."""
        return primary(self.language)


@dataclass(frozen=True)
class Document:
    """One catalog file as checked: its text, its catalog (None if unreadable), msgfmt's report."""

    path: str  # relative to the project root, as findings name it
    text: str
    catalog: Catalog | None
    problems: tuple[PipelineError, ...] = ()  # why the pipeline could not read it
    msgfmt: str = ""  # what `msgfmt --check` printed


@dataclass(frozen=True)
class Finding:
    """One problem, printed GNU style: `path:line: severity: check: message`."""

    path: str
    line: int
    severity: str
    check: str
    message: str
    msgid: str | None = None  # the entry at that line, where there is one

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.check}: {self.message}"
