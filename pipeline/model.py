"""The frozen dataclasses the stages hand each other."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields, is_dataclass
from enum import Enum, StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any, Generic, TypeVar

T = TypeVar("T")
U = TypeVar("U")


@dataclass(frozen=True)
class Text:
    """One translatable field of a source page, with its place in the page."""

    value: str
    id: str  # stable structural place, such as "symptoms.2.3": used in `#:` references
    role: str  # what it is, for translators: "Symptoms, list item 3"
    prose: bool  # prose is split into sentences; labels are single units
    line: int


@dataclass(frozen=True)
class Author(Generic[T]):
    name: str
    degree: str
    credentials: tuple[T, ...]


class Severity(StrEnum):
    """How much a check's finding matters: an error fails `check`, a warning is shown."""

    ERROR = "error"
    WARNING = "warning"
    OFF = "off"


class LeadStyle(Enum):
    """How a list item's lead-in sentence is shown before its text (docs/schema.md)."""

    BOLD = "bold"
    PLAIN = "plain"


@dataclass(frozen=True)
class ListItem(Generic[T]):
    lead: T | None  # a lead-in sentence, shown before the text
    text: T | None
    lead_style: LeadStyle = LeadStyle.BOLD


@dataclass(frozen=True)
class Paragraph(Generic[T]):
    text: T


@dataclass(frozen=True)
class Bullets(Generic[T]):
    items: tuple[ListItem[T], ...]


@dataclass(frozen=True)
class Step(Generic[T]):
    title: T
    body: T


@dataclass(frozen=True)
class Steps(Generic[T]):
    steps: tuple[Step[T], ...]


Block = Paragraph[T] | Bullets[T] | Steps[T]


class SectionKind(Enum):
    """What a section is about, whatever its id: what the publication policy names
    (docs/staleness.md)."""

    OVERVIEW = "overview"
    SYMPTOMS = "symptoms"
    CAUSES = "causes"
    RISK_FACTORS = "risk-factors"
    DIAGNOSIS = "diagnosis"
    APPROACH = "approach"
    TREATMENT = "treatment"
    MEDICATION = "medication"
    SURGERY = "surgery"
    RECOVERY = "recovery"
    EXERCISES = "exercises"
    PREVENTION = "prevention"
    COMPLICATIONS = "complications"
    WHEN_TO_SEEK_CARE = "when-to-seek-care"
    MISUNDERSTANDINGS = "misunderstandings"
    OTHER = "other"


SECTION_KINDS = tuple(kind.value for kind in SectionKind)


@dataclass(frozen=True)
class Section(Generic[T]):
    id: str
    kind: SectionKind
    title: T
    blocks: tuple[Block[T], ...]


@dataclass(frozen=True)
class Question(Generic[T]):
    question: T
    answer: T


@dataclass(frozen=True)
class Faq(Generic[T]):
    heading: T
    items: tuple[Question[T], ...]


@dataclass(frozen=True)
class NextStep(Generic[T]):
    title: T
    text: T


@dataclass(frozen=True)
class Reviewed:
    """The date a clinician last reviewed the page; the day is optional ("May 2026")."""

    year: int
    month: int
    day: int | None

    def iso(self) -> str:
        date = f"{self.year:04d}-{self.month:02d}"
        return date if self.day is None else f"{date}-{self.day:02d}"


@dataclass(frozen=True)
class Page(Generic[T]):
    """A condition page; Page[Text] is the English source, Page[LocalizedText] a translation."""

    slug: str
    path: Path
    category: T
    title: T
    tagline: T
    summary: T
    author: Author[T]
    reviewed: Reviewed
    intro: tuple[T, ...]
    sections: tuple[Section[T], ...]
    disclaimer: T
    faq: Faq[T]
    next_step: NextStep[T]


@dataclass(frozen=True)
class SiteString:
    """A piece of site chrome ("Written by"), looked up by key from the templates."""

    key: str
    text: str
    plural: str | None
    note: str
    line: int


@dataclass(frozen=True)
class SiteStrings:
    path: Path
    strings: tuple[SiteString, ...]


@dataclass(frozen=True)
class Unit:
    """One entry of a template: a sentence or a label, keyed by its English text."""

    msgid: str
    locations: tuple[str, ...]
    comments: tuple[str, ...]
    msgid_plural: str | None = None
    flags: tuple[str, ...] = ()  # format flags that msgfmt --check verifies


class UnitStatus(Enum):
    """How far a memory unit may be trusted."""

    CURRENT = "current"  # reviewed in this project: an exact match is filled in as current
    DRAFT = "draft"  # a translator's unfinished work (fuzzy): offered, never filled in
    UNTRUSTED = "untrusted"  # from another tool or site, never read here: offered only


@dataclass(frozen=True)
class MemoryUnit:
    """One translation in the memory: the English, a translation, its language and origin;
    how far it may be trusted; and what else its entry held, for the day it comes back."""

    source: str
    target: str  # the first form, for a plural entry
    language: str
    origin: str  # a page slug or "site"; "archive:<slug>" after it left; "import:<file>"
    status: UnitStatus = UnitStatus.CURRENT
    comments: tuple[str, ...] = ()  # the translator's comments, review marks among them
    plural: str | None = None  # the English plural of a plural entry
    forms: tuple[str, ...] = ()  # every form of a plural entry

    @property
    def trusted(self) -> bool:
        """An exact match may be filled in as a current translation."""
        return self.status is UnitStatus.CURRENT


@dataclass(frozen=True)
class Template:
    """The units of one domain (a page, or the site strings), in page order."""

    domain: str
    units: tuple[Unit, ...]


_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {}


def _field_names(kind: type) -> tuple[str, ...] | None:
    """The fields of a dataclass type, None for any other type (a page tree is walked once per
    language: asking dataclasses each time costs more than the walk)."""
    if kind not in _FIELD_NAMES:
        _FIELD_NAMES[kind] = tuple(field.name for field in fields(kind)) \
            if is_dataclass(kind) else None
    return _FIELD_NAMES[kind]


def collect(node: object, kind: type[U]) -> Iterator[U]:
    """Every `kind` node in a page tree, in reading order."""
    if isinstance(node, kind):
        yield node
    elif isinstance(node, tuple):
        for child in node:
            yield from collect(child, kind)
    elif (names := _field_names(type(node))) is not None:
        for name in names:
            yield from collect(getattr(node, name), kind)


def texts(node: object) -> Iterator[Text]:
    """Every Text in a source page tree, in reading order."""
    return collect(node, Text)


def map_texts(node: Any, function: Callable[[Text], U]) -> Any:
    """The same tree with every Text replaced by function(text)."""
    if isinstance(node, Text):
        return function(node)
    if isinstance(node, tuple):
        return tuple([map_texts(child, function) for child in node])
    if (names := _field_names(type(node))) is not None:
        return type(node)(*[map_texts(getattr(node, name), function) for name in names])
    return node


@lru_cache(maxsize=65536)  # every language counts the same English
def word_count(text: str) -> int:
    """Words as every count of the project takes them (status, page JSON, manifest): runs of
    text between spaces."""
    return len(text.split())
