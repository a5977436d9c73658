"""Per-entry translation state, counted by entries and words per page and language."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from pipeline.model import Template
from pipeline.pofile import Catalog, Entry

TRANSLATED = "translated"
FUZZY = "fuzzy"
UNTRANSLATED = "untranslated"
STATES = (TRANSLATED, FUZZY, UNTRANSLATED)


def entry_state(entry: Entry | None) -> str:
    """What a reader would get: a translation, a fuzzy one that is not published, or nothing."""
    if entry is None or not entry.translated:
        return UNTRANSLATED
    return FUZZY if entry.fuzzy else TRANSLATED


def words(text: str) -> int:
    return len(text.split())


@dataclass(frozen=True)
class Row:
    """The state of one catalog: a page (or the site strings) in one language."""

    language: str
    domain: str
    entries: dict[str, int]
    words: dict[str, int]
    obsolete: int

    @property
    def total_words(self) -> int:
        return sum(self.words.values())

    @property
    def share(self) -> float:
        return self.words[TRANSLATED] / self.total_words if self.total_words else 1.0


def row(language: str, template: Template, catalog: Catalog | None) -> Row:
    """Count the template's units by their state in the language's catalog."""
    entries = {entry.msgid: entry for entry in catalog.entries if not entry.obsolete} \
        if catalog else {}
    entry_counts = dict.fromkeys(STATES, 0)
    word_counts = dict.fromkeys(STATES, 0)
    for unit in template.units:
        state = entry_state(entries.get(unit.msgid))
        entry_counts[state] += 1
        word_counts[state] += words(unit.msgid)
    obsolete = sum(1 for entry in catalog.entries if entry.obsolete) if catalog else 0
    return Row(language, template.domain, entry_counts, word_counts, obsolete)


def total(rows: Iterable[Row]) -> Row:
    """All rows of one language added up."""
    listed = list(rows)
    return Row(
        language=listed[0].language if listed else "",
        domain="*",
        entries={state: sum(item.entries[state] for item in listed) for state in STATES},
        words={state: sum(item.words[state] for item in listed) for state in STATES},
        obsolete=sum(item.obsolete for item in listed),
    )


def as_json(rows: Iterable[Row]) -> dict[str, Any]:
    listed = list(rows)
    totals: dict[str, dict[str, int]] = {}
    for item in listed:
        total = totals.setdefault(item.language, {f"{kind}_{state}": 0 for kind in
                                                  ("entries", "words") for state in STATES})
        for state in STATES:
            total[f"entries_{state}"] += item.entries[state]
            total[f"words_{state}"] += item.words[state]
    return {
        "catalogs": [{**asdict(item), "share_translated": round(item.share, 4)}
                     for item in listed],
        "totals": totals,
    }
