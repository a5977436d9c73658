"""The staleness report: every entry's state, counted by entries and words per page and language."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from pipeline.build.assemble import Publication
from pipeline.model import Template, word_count
from pipeline.po.model import Catalog, Entry
from pipeline.po.states import State, entry_state

COUNTED = (State.CURRENT, State.STALE, State.SUGGESTED, State.UNTRANSLATED)
CRITICAL_KEY = "critical"  # stale entries whose change is critical, counted apart as well
REVIEWED_KEY = "reviewed"  # current entries a reviewer has marked


@dataclass(frozen=True)
class EntryReport:
    """One entry of one language, as the report lists it."""

    msgid: str
    state: str
    change: str | None
    since: str | None
    reviewed: bool
    previous: str | None
    line: int
    words: int


@dataclass(frozen=True)
class Row:
    """The state of one catalog: a page (or the site strings) in one language."""

    language: str
    domain: str
    path: str
    entries: dict[str, int]
    words: dict[str, int]
    obsolete: int
    details: tuple[EntryReport, ...]
    published: bool | None = None  # as a build decides; None for the site strings
    reasons: tuple[str, ...] = ()  # why it is withheld

    @property
    def total_words(self) -> int:
        return sum(self.words[state] for state in COUNTED)

    def share(self, key: str = State.CURRENT) -> float:
        return self.words[key] / self.total_words if self.total_words \
            else float(key == State.CURRENT)


def _empty() -> dict[str, int]:
    return dict.fromkeys((*COUNTED, CRITICAL_KEY, REVIEWED_KEY), 0)


def row(language: str, template: Template, catalog: Catalog | None, path: str,
        publication: Publication | None = None) -> Row:
    """Every unit of the template with its state in the language's catalog, and the counts;
    for a page, whether a build publishes it in the language (`publication`)."""
    by_msgid: dict[str, Entry] = {entry.msgid: entry for entry in catalog.entries
                                  if not entry.obsolete} if catalog else {}
    entry_counts, word_counts = _empty(), _empty()
    details = []
    for unit in template.units:
        entry = by_msgid.get(unit.msgid)
        state = entry_state(entry)
        size = word_count(unit.msgid)
        keys: list[str] = [state.state]
        if state.critical:
            keys.append(CRITICAL_KEY)
        if state.reviewed:
            keys.append(REVIEWED_KEY)
        for key in keys:
            entry_counts[key] += 1
            word_counts[key] += size
        details.append(EntryReport(unit.msgid, state.state, state.change, state.since,
                                   state.reviewed, entry.previous_msgid if entry else None,
                                   entry.line if entry else 0, size))
    obsolete = sum(1 for entry in catalog.entries if entry.obsolete) if catalog else 0
    return Row(language, template.domain, path, entry_counts, word_counts, obsolete,
               tuple(details), publication.published if publication else None,
               publication.reasons if publication else ())


def total(rows: Iterable[Row]) -> Row:
    """All rows of one language added up."""
    listed = list(rows)
    return Row(
        language=listed[0].language if listed else "",
        domain="*",
        path="",
        entries={key: sum(item.entries[key] for item in listed) for key in _empty()},
        words={key: sum(item.words[key] for item in listed) for key in _empty()},
        obsolete=sum(item.obsolete for item in listed),
        details=(),
    )


def failing(rows: Iterable[Row], percent: float) -> list[Row]:
    """The catalogs with less than `percent` of their words current."""
    return [item for item in rows if item.share() * 100 < percent]


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """A word-level diff as (kind, text) pieces: kind is "=", "-" or "+"."""
    before, after = old.split(), new.split()
    pieces: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(("=", " ".join(before[a1:a2])))
            continue
        if a2 > a1:
            pieces.append(("-", " ".join(before[a1:a2])))
        if b2 > b1:
            pieces.append(("+", " ".join(after[b1:b2])))
    return pieces


def as_json(rows: Iterable[Row]) -> dict[str, Any]:
    listed = list(rows)
    languages = dict.fromkeys(item.language for item in listed)
    totals = {language: total(item for item in listed if item.language == language)
              for language in languages}
    return {
        "states": [*COUNTED, State.OBSOLETE],
        "catalogs": [{**asdict(item), "share_current": round(item.share(), 4)}
                     for item in listed],
        "totals": {language: {"entries": item.entries, "words": item.words,
                              "obsolete": item.obsolete, "share_current": round(item.share(), 4)}
                   for language, item in totals.items()},
    }
