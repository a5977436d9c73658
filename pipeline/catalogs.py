"""Templates from units, and the merge of a template into a language's catalog (pure, and file
to file for `merge`)."""

from __future__ import annotations

import datetime
import os
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

from pipeline.changes import COSMETIC, CRITICAL, classify, critical_difference, normalize
from pipeline.errors import PipelineError
from pipeline.headers import header
from pipeline.languages import PluralForms, parse_plural_forms, plural_forms
from pipeline.pofile import Catalog, Entry
from pipeline.states import (
    COSMETIC_NOTE,
    MEMORY_NOTE,
    OUTDATED_REVIEW,
    PIPELINE_NOTES,
    PLURAL_NOTE,
    STALE_SINCE,
    is_reviewed,
    pipeline_notes,
    stale_since,
)

if TYPE_CHECKING:
    from pipeline.memory import Match
    from pipeline.model import Template

# Babel, rapidfuzz and the memory are imported where they are used: a merge without edited
# English does not wait for them (docs/performance.md).

# A changed sentence is paired with the old entry that stood at its place when this similar
# (percent, memory.score), and with one from elsewhere on the page when this similar (ratio).
SAME_PLACE_THRESHOLD = 55.0
ELSEWHERE_THRESHOLD = 90.0
SAME_PLACE_BONUS = 15.0
SAME_BLOCK_BONUS = 8.0


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


def _carry(unit: Unit, old: Entry, plurals: int) -> Entry:
    """The unit, keeping the old entry's translation, flags, history and translator comments."""
    notes = tuple(note for note in pipeline_notes(old)
                  if old.fuzzy or not old.translated or not note.startswith(PLURAL_NOTE)) \
        if old.comments else ()
    if notes and not _is_stale(old):  # a translator accepted the change: it is no longer stale
        notes = tuple(note for note in notes if not note.startswith(STALE_SINCE))
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
    if change == COSMETIC and not _is_stale(old):
        return replace(carried, comments=unit.comments + history + (f"{COSMETIC_NOTE}{today}",))
    since = (stale_since(old) if _is_stale(old) else None) or today
    note = f"{STALE_SINCE}{since}"
    if change == CRITICAL:
        note += f": critical change ({critical_difference(previous, unit.msgid)})"
    reviews = tuple(f"{OUTDATED_REVIEW}{comment}" if is_reviewed(replace(
        old, translator_comments=(comment,))) else comment
        for comment in old.translator_comments)
    return replace(carried.with_flag("fuzzy", True), previous_msgid=previous,
                   previous_msgid_plural=old.msgid_plural,
                   comments=unit.comments + history + (note,), translator_comments=reviews)


def _from_memory(unit: Unit, match: Match, plurals: int) -> Entry:
    """New English pre-filled from the memory: an exact match as a translation, any other as a
    fuzzy suggestion; a comment says where it came from and what differs."""
    blank = _blank(unit, plurals)
    if match.exact:
        note = f"{MEMORY_NOTE}100% from {match.unit.origin}"
        return replace(blank, msgstr=match.unit.target, comments=(*unit.comments, note))
    note = f"{MEMORY_NOTE}{match.score:.0f}% from {match.unit.origin}: {match.unit.source}"
    if difference := critical_difference(match.unit.source, unit.msgid):
        note += f" (numbers, units or negations differ: {difference})"
    return replace(blank, msgstr=match.unit.target, flags=("fuzzy", *blank.flags),
                   comments=(*unit.comments, note))


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


def _block(location: str) -> str:
    """A location without its sentence number: the paragraph or item it belongs to."""
    head, _, tail = location.rpartition(".s")
    return head if tail.isdigit() else location


def _one_change(before: str, after: str) -> bool:
    """The words differ in one place: one run of words replaced, added or removed."""
    from rapidfuzz.distance import Indel

    runs = 0
    changed = False
    for step in Indel.opcodes(before.split(), after.split()):
        runs += step.tag != "equal" and not changed
        changed = step.tag != "equal"
    return runs <= 1


def _pair_changed(units: list[tuple[int, Unit]], olds: list[Entry]) -> list[tuple[int, Entry]]:
    """Pair each changed unit with the old entry it most likely came from, one to one.

    An old entry that stood at the unit's place (or in its paragraph or item) is paired when at
    least SAME_PLACE_THRESHOLD similar. One from elsewhere on the page is paired only when
    ELSEWHERE_THRESHOLD similar, changed in one place only, and with no similar unit at its own
    place: English that is both new and elsewhere is more likely a sibling sentence (another
    dose, another joint) than an edit, and the memory still offers it as a suggestion.
    """
    if not units or not olds:
        return []
    from rapidfuzz import fuzz, process, utils

    from pipeline.memory import score

    by_place: dict[str, list[int]] = {}
    by_block: dict[str, list[int]] = {}
    for index, old in enumerate(olds):
        for location in old.locations:
            by_place.setdefault(location, []).append(index)
            by_block.setdefault(_block(location), []).append(index)
    candidates: list[tuple[float, int, int]] = []
    nearby: list[dict[int, float]] = []
    for position, (_, unit) in enumerate(units):
        near: dict[int, float] = {}
        for location in unit.locations:
            for index in by_place.get(location, ()):
                near[index] = SAME_PLACE_BONUS
            for index in by_block.get(_block(location), ()):
                near.setdefault(index, SAME_BLOCK_BONUS)
        for index, bonus in near.items():
            value = score(unit.msgid, olds[index].msgid)
            if value >= SAME_PLACE_THRESHOLD:
                candidates.append((value + bonus, position, index))
        nearby.append(near)
    # A same-place pair scoring above any pair from elsewhere (at most 100) is decided before
    # any of them is considered, so English from elsewhere is searched only for the units and
    # old entries those pairs leave: the pairs are those of one greedy pass over all candidates.
    candidates.sort(key=_rank)
    decided = [candidate for candidate in candidates if candidate[0] > 100.0]
    pairs = _greedy(decided, set(), set())
    taken_units = {position for _, position, _ in pairs}
    taken_olds = {index for _, _, index in pairs}
    claimed = {index for _, _, index in candidates}  # by a similar unit at its own place
    free = sorted(((utils.default_process(old.msgid), index) for index, old in enumerate(olds)
                   if index not in claimed), key=lambda item: len(item[0]))
    texts = [text for text, _ in free]
    lengths = [len(text) for text in texts]
    share = ELSEWHERE_THRESHOLD / 100
    rest = candidates[len(decided):]
    for position, (_, unit) in enumerate(units):
        if position in taken_units:
            continue
        query = utils.default_process(unit.msgid)
        # Texts this similar differ in length by at most 1 - share of their two lengths.
        low = bisect_left(lengths, len(query) * share / (2 - share) - 1)
        high = bisect_right(lengths, len(query) * (2 - share) / share + 1)
        for choice, value, found in process.extract(query, texts[low:high], scorer=fuzz.ratio,
                                                    limit=None, score_cutoff=ELSEWHERE_THRESHOLD):
            index = free[low + found][1]
            if index not in nearby[position] and _one_change(choice, query):
                rest.append((value, position, index))
    rest.sort(key=_rank)
    pairs += _greedy(rest, taken_units, taken_olds)
    return [(units[position][0], olds[index]) for _, position, index in pairs]


def _rank(candidate: tuple[float, int, int]) -> tuple[float, int, int]:
    """Best score first; then the earlier unit, then the earlier old entry."""
    return -candidate[0], candidate[1], candidate[2]


def _greedy(candidates: list[tuple[float, int, int]], taken_units: set[int],
            taken_olds: set[int]) -> list[tuple[float, int, int]]:
    """The candidates taken in their order, each unit and old entry once (the sets grow)."""
    taken = []
    for candidate in candidates:
        _, position, index = candidate
        if position in taken_units or index in taken_olds:
            continue
        taken_units.add(position)
        taken_olds.add(index)
        taken.append(candidate)
    return taken


def merge(template: Template, old: Catalog | None, language: str,
          header_comment: tuple[str, ...], today: str,
          suggest: Suggest | None = None) -> tuple[Catalog, MergeCounts]:
    """Bring a language's catalog up to date with its template, losing no translation.

    Unchanged English keeps its translation; edited English is paired with its old entry (first
    by typography-folded text, then by similarity and place) and keeps the translation if the
    edit was cosmetic or becomes stale with the previous English; English that left the page
    becomes obsolete. `today` (YYYY-MM-DD) dates what this update sees change. English that is
    still untranslated is offered to `suggest`, the translation memory, if given.
    """
    return merge_units(template.domain, template.units, old, language, header_comment,
                       today, suggest)


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
    pairs += _pair_changed(waiting, leftovers)
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
        match = suggest(unit.msgid) if suggest and unit.msgid_plural is None else None
        if match is not None:
            filled = _from_memory(unit, match, plurals)
            merged[index] = replace(filled, translator_comments=entry.translator_comments)
            exact += match.exact
            suggested += not match.exact
    obsolete = [replace(entry, obsolete=True, locations=(), comments=(), previous_msgid=None,
                        previous_msgid_plural=None)
                for key, entry in zip(keys, old_entries, strict=True)
                if key not in used and entry.translated]
    newly_obsolete = sum(1 for entry in obsolete if not by_key[entry.key].obsolete)
    entries = tuple(entry for entry in merged if entry is not None) + tuple(obsolete)
    comment = old.header_comment if old and old.header_comment else header_comment
    catalog = Catalog(header_comment=comment, entries=entries,
                      header=header(language, domain, old.header if old else (), rule))
    return catalog, MergeCounts(kept=kept, cosmetic=len(pairs) - stale, fuzzy=stale, new=new,
                                memory_exact=exact, memory_fuzzy=suggested,
                                obsoleted=newly_obsolete, replural=_replural(entries))


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
