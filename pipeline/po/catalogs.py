"""Templates from units, and the merge of a template into a language's catalog (pure, and file
to file for `merge`)."""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

from pipeline.errors import PipelineError
from pipeline.languages import PluralForms, parse_plural_forms, plural_forms
from pipeline.po.changes import ChangeClass, classify, critical_difference, normalize
from pipeline.po.headers import header
from pipeline.po.model import Catalog, Entry
from pipeline.po.pairing import pair_changed
from pipeline.po.states import (
    COSMETIC_NOTE,
    MEMORY_NOTE,
    OUTDATED_REVIEW,
    PIPELINE_NOTES,
    PLURAL_NOTE,
    STALE_SINCE,
    is_reviewed,
    pipeline_notes,
    stale_note,
    stale_since,
)

if TYPE_CHECKING:
    from pipeline.memory.index import Match
    from pipeline.model import Template

# Babel, rapidfuzz and the memory are imported where they are used: a merge without edited
# English does not wait for them (docs/performance.md).



@dataclass(frozen=True)
class MergeCounts:
    """What one merge did, for the update report."""

    kept: int = 0
    cosmetic: int = 0  # edited English whose translation stays current
    fuzzy: int = 0  # edited English whose translation became stale
    new: int = 0  # English with no translation here...
    memory_exact: int = 0  # ...of which the memory filled this many with an exact match
    memory_fuzzy: int = 0  # ...and suggested this many (fuzzy, for review)
    obsoleted: int = 0
    replural: int = 0  # translated plural entries whose forms no longer match the rule's count
    doubled: int = 0  # obsolete entries with a live entry's English, moved to memory/


class Unit(Protocol):
    """What a merge reads of a template's unit: a model.Unit, or an entry of a POT file whose
    flags are its format flags (merge_files reads the entries as units without a copy)."""

    @property
    def msgid(self) -> str: ...
    @property
    def locations(self) -> tuple[str, ...]: ...
    @property
    def comments(self) -> tuple[str, ...]: ...
    @property
    def msgid_plural(self) -> str | None: ...
    @property
    def flags(self) -> tuple[str, ...]: ...


Suggest = Callable[[str], "Match | None"]  # the memory's best match for English, if good enough
Recall = Callable[[str], "Sequence[Match]"]  # every unit the memory holds for exactly this English


def plural_rule(language: str, old: Catalog | None) -> PluralForms:
    """The plural rule of a language's catalog: the catalog's own valid Plural-Forms (a
    translation team's choice) if it has one, else the project's (pipeline/languages.py)."""
    kept = parse_plural_forms(old.header_value("Plural-Forms") or "") if old else None
    if kept is not None:
        return kept
    rule = plural_forms(language)
    if rule is None:
        raise PipelineError(f"no plural rule is known for {language!r}: add its row to "
                            "pipeline/data/plural-forms.json")
    return rule


def template_catalog(template: Template, comment: tuple[str, ...]) -> Catalog:
    """The POT catalog of a template: untranslated entries with places and notes."""
    header = (
        ("Project-Id-Version", template.domain),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=UTF-8"),
        ("Content-Transfer-Encoding", "8bit"),
    )
    entries = tuple(_blank(unit, 2) for unit in template.units)
    return Catalog(header_comment=comment, header=header, entries=entries)


def _blank(unit: Unit, plurals: int) -> Entry:
    return Entry(
        msgid=unit.msgid,
        msgid_plural=unit.msgid_plural,
        msgstr_plural=("",) * plurals if unit.msgid_plural else (),
        locations=unit.locations,
        comments=unit.comments,
        flags=unit.flags,
    )


def _flags(unit: Unit, old: Entry) -> tuple[str, ...]:
    """The old entry's own flags (fuzzy, no-wrap...), with the template's format flags."""
    kept = tuple(flag for flag in old.flags if not flag.endswith("-format"))
    if not old.translated:
        kept = tuple(flag for flag in kept if flag != "fuzzy")
    return kept + unit.flags


def _fit_plurals(forms: tuple[str, ...], count: int) -> tuple[str, ...]:
    """The forms, with empty ones added up to the rule's count; none is ever dropped."""
    return forms + ("",) * (count - len(forms))


def _refit(entry: Entry, old: Entry, count: int) -> Entry:
    """A translated plural entry whose forms do not match the rule's count keeps all its forms,
    with a note, since a translator must say which form now means what: fuzzy when it has more
    forms than the rule, incomplete (untranslated) when it has fewer."""
    if entry.msgid_plural is None or not old.translated or len(old.msgstr_plural) == count \
            or any(note.startswith(PLURAL_NOTE) for note in entry.comments):
        return entry
    note = f"{PLURAL_NOTE}{len(old.msgstr_plural)} translated, the rule has {count}"
    return replace(entry.with_flag("fuzzy", entry.translated),
                   comments=(*entry.comments, note))


def _is_stale(entry: Entry) -> bool:
    return entry.fuzzy and entry.translated and entry.previous_msgid is not None


def _is_suggestion_note(note: str) -> bool:
    """A memory note of a fuzzy suggestion (`memory: 94% from ...: English`), which names
    another English or another text than the one a reviewed entry holds."""
    return note.startswith(MEMORY_NOTE) and (not note.startswith(f"{MEMORY_NOTE}100% ")
                                             or "for review" in note)


def _carry(unit: Unit, old: Entry, plurals: int) -> Entry:
    """The unit, keeping the old entry's translation, flags, history and translator comments."""
    notes = tuple(note for note in pipeline_notes(old)
                  if old.fuzzy or not old.translated or not note.startswith(PLURAL_NOTE)) \
        if old.comments else ()
    if notes and not _is_stale(old):  # a translator accepted the change: it is no longer stale
        notes = tuple(note for note in notes if not note.startswith(STALE_SINCE))
    if notes and not old.fuzzy:  # a suggestion a translator accepted or rewrote is theirs now
        notes = tuple(note for note in notes if not _is_suggestion_note(note))
    history = "fuzzy" in old.flags and old.translated
    plural = unit.msgid_plural
    return _refit(Entry(
        msgid=unit.msgid, msgstr="" if plural else old.msgstr, msgid_plural=plural,
        msgstr_plural=_fit_plurals(old.msgstr_plural or (old.msgstr,), plurals)
        if plural else (),
        msgctxt=None, locations=unit.locations, comments=unit.comments + notes,
        translator_comments=old.translator_comments,
        flags=_flags(unit, old) if old.flags or unit.flags else (),
        previous_msgid=old.previous_msgid if history else None,
        previous_msgid_plural=old.previous_msgid_plural if history else None,
        obsolete=False, line=0), old, plurals)


def _changed(unit: Unit, old: Entry, plurals: int, today: str) -> Entry:
    """The unit with the translation of the English it replaced, classified by the edit.

    A cosmetic edit keeps the translation as it was; any other edit makes it stale (fuzzy, with
    the English it was translated from), since the day this update first saw the change.
    """
    carried = _carry(unit, old, plurals)
    previous = old.previous_msgid if _is_stale(old) and old.previous_msgid else old.msgid
    change = classify(previous, unit.msgid)
    history = tuple(note for note in pipeline_notes(old)
                    if not note.startswith((STALE_SINCE, COSMETIC_NOTE)))
    if change == ChangeClass.COSMETIC and not _is_stale(old):
        return replace(carried, comments=unit.comments + history + (f"{COSMETIC_NOTE}{today}",))
    since = (stale_since(old) if _is_stale(old) else None) or today
    note = stale_note(since, previous, unit.msgid)
    reviews = tuple(f"{OUTDATED_REVIEW}{comment}" if is_reviewed(replace(
        old, translator_comments=(comment,))) else comment
        for comment in old.translator_comments)
    return replace(carried.with_flag("fuzzy", True), previous_msgid=previous,
                   previous_msgid_plural=old.msgid_plural,
                   comments=unit.comments + history + (note,), translator_comments=reviews)


def _true_provenance(entry: Entry, recall: Recall) -> Entry:
    """The entry without its `memory: 100% from ORIGIN` note once ORIGIN holds this English
    with another text: a translator rewrote the translation here (or ORIGIN did), so the note
    no longer describes it. Unknown to the memory, the note stays: it may still be true."""
    prefix = f"{MEMORY_NOTE}100% from "
    notes = [note for note in entry.comments if note.startswith(prefix)]
    if not notes or entry.fuzzy or not entry.translated:
        return entry
    texts = entry.msgstr_plural if entry.msgid_plural is not None else (entry.msgstr,)
    origins = {note.removeprefix(prefix) for note in notes}
    there = [match.unit for match in recall(entry.msgid) if match.unit.origin in origins]
    if not there or any((unit.forms or (unit.target,)) == texts for unit in there):
        return entry
    return replace(entry, comments=tuple(note for note in entry.comments if note not in notes))


def _fits(unit: Unit, match: Match, plurals: int) -> bool:
    """A match can fill the unit: one form for one, or the same plural with every form."""
    if unit.msgid_plural is None:
        return match.unit.plural is None
    return match.exact and match.unit.plural == unit.msgid_plural and \
        len(match.unit.forms) == plurals


def _from_memory(unit: Unit, match: Match, plurals: int) -> Entry:
    """New English pre-filled from the memory: a trusted exact match as a translation, with the
    translator's comments it had; any other as a fuzzy suggestion (a draft, or a unit nobody
    read here, says so); a comment says where it came from and what differs."""
    blank = _blank(unit, plurals)
    found = match.unit
    text = {"msgstr_plural": found.forms} if unit.msgid_plural else {"msgstr": found.target}
    if match.exact and found.trusted:
        note = f"{MEMORY_NOTE}100% from {found.origin}"
        return replace(blank, **text, comments=(*unit.comments, note),
                       translator_comments=found.comments)
    kind = "" if found.trusted else f" ({found.status.value}, for review)"
    note = f"{MEMORY_NOTE}{match.score:.0f}% from {found.origin}{kind}"
    if not match.exact:
        note += f": {found.source}"
    if difference := critical_difference(found.source, unit.msgid):
        note += f" (numbers, units or negations differ: {difference})"
    return replace(blank, **text, flags=("fuzzy", *blank.flags), comments=(*unit.comments, note),
                   translator_comments=found.comments if match.exact else ())


def _unwrapped(entry: Entry) -> Entry:
    """The entry with its pipeline notes whole again. The pipeline writes them last, one line
    each; a tool that wraps comments (polib) splits a long one into lines, and the lines after a
    note that do not start like a note are its continuation."""
    comments: list[str] = []
    in_note = False
    for comment in entry.comments:
        if in_note and not comment.startswith(PIPELINE_NOTES):
            comments[-1] = f"{comments[-1]} {comment}"
            continue
        in_note = in_note or comment.startswith(PIPELINE_NOTES)
        comments.append(comment)
    return entry if len(comments) == len(entry.comments) else \
        replace(entry, comments=tuple(comments))


def merge(template: Template, old: Catalog | None, language: str,
          header_comment: tuple[str, ...], today: str,
          suggest: Suggest | None = None, recall: Recall | None = None,
          ) -> tuple[Catalog, MergeCounts]:
    """Bring a language's catalog up to date with its template, losing no translation.

    Unchanged English keeps its translation; edited English is paired with its old entry (first
    by typography-folded text, then by similarity and place) and keeps the translation if the
    edit was cosmetic or becomes stale with the previous English; English that left the page
    becomes obsolete. `today` (YYYY-MM-DD) dates what this update sees change. English that is
    still untranslated is offered to `suggest`, the translation memory, if given; a note that
    a translation came whole from the memory stays only while `recall` finds it there.
    """
    catalog, counts = merge_units(template.domain, template.units, old, language,
                                  header_comment, today, suggest)
    if recall is None:
        return catalog, counts
    return replace(catalog, entries=tuple(_true_provenance(entry, recall)
                                          for entry in catalog.entries)), counts


def merge_units(domain: str, units: Sequence[Unit], old: Catalog | None, language: str,
                header_comment: tuple[str, ...], today: str,
                suggest: Suggest | None) -> tuple[Catalog, MergeCounts]:
    """merge, for any units (a template's, or the entries of a POT file) of the domain."""
    rule = plural_rule(language, old)
    plurals = rule.count
    old_entries = tuple(_unwrapped(entry) if entry.comments else entry
                        for entry in old.entries) if old else ()
    keys = [(entry.msgctxt, entry.msgid) for entry in old_entries]
    by_key: dict[tuple[str | None, str], Entry] = {}
    for key, entry in zip(keys, old_entries, strict=True):
        if key not in by_key or by_key[key].obsolete:  # an active entry wins over an obsolete one
            by_key[key] = entry
    merged: list[Entry | None] = []
    used: set[tuple[str | None, str]] = set()
    kept = 0
    for unit in units:
        key = (None, unit.msgid)
        found = by_key.get(key)
        if found is not None and key not in used:
            merged.append(_carry(unit, found, plurals))
            used.add(key)
            kept += found.translated
        else:
            merged.append(None)
    folded: dict[str, Entry] = {}
    for key, entry in zip(keys, old_entries, strict=True):
        if key not in used and entry.translated and entry.msgctxt is None:
            folded.setdefault(normalize(entry.msgid), entry)
    pairs: list[tuple[int, Entry]] = []
    for index, unit in enumerate(units):
        found = folded.get(normalize(unit.msgid)) if merged[index] is None else None
        if found is not None and found.key not in used:
            pairs.append((index, found))
            used.add(found.key)
    paired = {index for index, _ in pairs}
    waiting = [(index, unit) for index, unit in enumerate(units)
               if merged[index] is None and index not in paired]
    leftovers = [entry for key, entry in zip(keys, old_entries, strict=True)
                 if key not in used and entry.translated]
    pairs += pair_changed(units, waiting, old_entries, leftovers, pairs)
    stale = 0
    for index, entry in pairs:
        changed = _changed(units[index], entry, plurals, today)
        merged[index] = changed
        stale += changed.fuzzy
        used.add(entry.key)
    new = exact = suggested = 0
    for index, unit in enumerate(units):
        entry = merged[index] or _blank(unit, plurals)
        merged[index] = entry
        if entry.translated:
            continue
        new += 1
        match = suggest(unit.msgid) if suggest else None
        if match is not None and _fits(unit, match, plurals):
            filled = _from_memory(unit, match, plurals)
            merged[index] = replace(filled, translator_comments=entry.translator_comments
                                    or filled.translator_comments)
            exact += not filled.fuzzy
            suggested += filled.fuzzy
    obsolete = [replace(entry, obsolete=True, locations=(), comments=(), previous_msgid=None,
                        previous_msgid_plural=None)
                for key, entry in zip(keys, old_entries, strict=True)
                if key not in used and holds_work(entry)]
    newly_obsolete = sum(1 for entry in obsolete if not by_key[entry.key].obsolete)
    entries = tuple(entry for entry in merged if entry is not None) + tuple(obsolete)
    comment = old.header_comment if old and old.header_comment else header_comment
    catalog = Catalog(header_comment=comment, entries=entries,
                      header=header(language, domain, old.header if old else (), rule))
    return catalog, MergeCounts(kept=kept, cosmetic=len(pairs) - stale, fuzzy=stale, new=new,
                                memory_exact=exact, memory_fuzzy=suggested,
                                obsoleted=newly_obsolete, replural=_replural(entries))


def without_doubles(catalog: Catalog | None) -> tuple[Catalog | None, Catalog]:
    """The catalog without its obsolete entries whose English is also a live entry's (GNU's
    tools refuse such a file), and those entries, for the memory."""
    if catalog is None:
        return None, Catalog((), (), ())
    live = {entry.key for entry in catalog.entries if not entry.obsolete}
    doubled = tuple(entry for entry in catalog.entries if entry.obsolete and entry.key in live)
    if not doubled:
        return catalog, Catalog((), (), ())
    return (replace(catalog, entries=tuple(entry for entry in catalog.entries
                                           if entry not in doubled)),
            Catalog((), (), doubled))


def holds_work(entry: Entry) -> bool:
    """The entry holds a translator's text: a translation, a form, a draft or a comment."""
    return bool(entry.msgstr or any(entry.msgstr_plural) or entry.translator_comments)


def _replural(entries: Sequence[Entry]) -> int:
    return sum(1 for entry in entries if entry.msgid_plural is not None and not entry.obsolete
               and any(note.startswith(PLURAL_NOTE) for note in entry.comments))


def today() -> str:
    """The date an update records for what it sees change: SOURCE_DATE_EPOCH when set, for
    reproducible runs, else today (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.datetime.fromtimestamp(int(epoch), datetime.UTC) if epoch and \
        epoch.isdigit() else datetime.datetime.now(datetime.UTC)
    return moment.date().isoformat()
