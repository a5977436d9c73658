"""Each entry's state, derived from the catalog alone (flags, previous msgid, comments).

The conventions, which survive Poedit, Lokalize, Weblate and msgcat (docs/staleness.md):
- current: translated, not fuzzy;
- stale: fuzzy with the previous English (`#| msgid`); its change class is recomputed from the
  previous and current English; `#. stale since DATE` says when an update first saw the change;
- suggested: fuzzy without previous English (a memory match, or marked "needs work");
- untranslated: empty msgstr; obsolete: `#~`.
A translator comment starting with "reviewed" marks a current entry as reviewed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from pipeline.po.changes import ChangeClass, classify, critical_difference
from pipeline.po.model import Entry


class State(StrEnum):
    """An entry's state, derived from the catalog alone."""

    CURRENT = "current"
    STALE = "stale"
    SUGGESTED = "suggested"
    UNTRANSLATED = "untranslated"
    OBSOLETE = "obsolete"


STALE_SINCE = "stale since "
COSMETIC_NOTE = "cosmetic English edit carried over on "
MEMORY_NOTE = "memory: "
PLURAL_NOTE = "plural forms: "
PIPELINE_NOTES = (STALE_SINCE, COSMETIC_NOTE, MEMORY_NOTE, PLURAL_NOTE)
OUTDATED_REVIEW = "outdated review: "
_REVIEWED = re.compile(r"reviewed\b", re.IGNORECASE)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class EntryState:
    """What an entry is, why, and since when."""

    state: State
    change: ChangeClass | None = None  # for stale entries: substantive or critical
    since: str | None = None  # for stale entries: the date the update saw the change
    reviewed: bool = False

    @property
    def critical(self) -> bool:
        return self.change == ChangeClass.CRITICAL


def pipeline_notes(entry: Entry) -> tuple[str, ...]:
    """The extracted comments the pipeline wrote about the entry's history."""
    return tuple(comment for comment in entry.comments if comment.startswith(PIPELINE_NOTES))


def stale_since(entry: Entry) -> str | None:
    for comment in entry.comments:
        if comment.startswith(STALE_SINCE) and (match := _DATE.search(comment)):
            return match.group()
    return None


def stale_note(since: str, previous: str, english: str) -> str:
    """The note of a stale entry: since when, and what made the change critical, if it was."""
    difference = critical_difference(previous, english)
    return f"{STALE_SINCE}{since}: critical change ({difference})" if difference \
        else f"{STALE_SINCE}{since}"


def is_reviewed(entry: Entry) -> bool:
    return bool(entry.translator_comments) and any(
        _REVIEWED.match(comment.strip()) for comment in entry.translator_comments)


# the states without a date or a change class, made once: every build asks for each entry's
_PLAIN = {(state, reviewed): EntryState(state, reviewed=reviewed)
          for state in State for reviewed in (False, True)}


def entry_state(entry: Entry | None) -> EntryState:
    """The state of one entry of a language's catalog (None: not in the catalog at all)."""
    if entry is None or (not entry.translated and not entry.obsolete):
        return _PLAIN[State.UNTRANSLATED, False]
    if entry.obsolete:
        return _PLAIN[State.OBSOLETE, False]
    if entry.fuzzy and entry.previous_msgid is not None:
        return EntryState(State.STALE, classify(entry.previous_msgid, entry.msgid),
                          stale_since(entry))
    if entry.fuzzy:
        return _PLAIN[State.SUGGESTED, False]
    return _PLAIN[State.CURRENT, is_reviewed(entry)]
