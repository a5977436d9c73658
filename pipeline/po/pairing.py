"""Edited English paired with the old entry it came from: by its position between unchanged
entries, then by high similarity anywhere (docs/translating.md)."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from itertools import pairwise
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from pipeline.po.catalogs import Unit
    from pipeline.po.model import Entry

# An old entry between the same unchanged neighbours is paired when this similar (percent,
# memory.score); one from another gap, section or file only when this similar (ratio) and
# changed in one place. Unrelated English scores about 35 to 45; a heavy reword 50 to 65.
PLACE_THRESHOLD = 50.0
ELSEWHERE_THRESHOLD = 90.0
SAME_PLACE_BONUS = 15.0  # an identical reference (the project's structural places)
FULL_GAP = 100  # candidate pairs a gap may have before only nearby ones are scored
BAND = 8  # in a larger gap, old entries within this many of the proportional position

Key = tuple[tuple[int, int, str], ...]


class Slot(NamedTuple):
    """A unit's or an old entry's place in a sequence (sorted by place, then English)."""

    key: Key
    msgid: str
    item: int  # the unit's index, or the old entry's
    location: str  # the reference as written


class Candidate(NamedTuple):
    """A possible pair, sorted best first: by rank, then by how near the same offset in the
    gap, then by text (so that ties break the same way every time)."""

    minus_rank: float
    distance: int
    english: str
    old_english: str
    old_location: str
    unit: int  # the unit's index
    takes: tuple[int, str]  # the old entry, or one place of it
    old_index: int

_PARTS = re.compile(r"\d+|\D+")


def sequence_place(location: str) -> tuple[str, Key]:
    """The sequence a reference belongs to and its key there: `path:line` is the file and the
    line; a structural place `path:section.rest` is the section of the file, and the rest in
    natural order (s2 before s10)."""
    path, colon, rest = location.rpartition(":")
    if not colon:
        return location, ()
    if rest.isdigit():
        return path, ((0, int(rest), ""),)
    section, _, within = rest.partition(".")
    return f"{path}:{section}", tuple((0, int(part), "") if part.isdigit() else (1, 0, part)
                                      for part in _PARTS.findall(within))


def pair_changed(units: Sequence[Unit], waiting: Sequence[tuple[int, Unit]],
                 olds: Sequence[Entry], leftovers: Sequence[Entry],
                 folded: Sequence[tuple[int, Entry]]) -> list[tuple[int, Entry]]:
    """Pair each waiting unit with the old entry it most likely came from, one to one.

    `olds` is every old entry; `leftovers` the translated ones no unit took; `folded` the
    pairs made by typography-folded English. The other units that are not waiting kept the old
    entry with their English, and are the anchors. A waiting unit takes a translated old
    entry that stood between the same anchors (or another place of an anchor's entry that
    the new English no longer has) when PLACE_THRESHOLD similar; then one from elsewhere when
    ELSEWHERE_THRESHOLD similar, changed in one place, and not similar to a unit of its own gap.
    """
    if not waiting or not olds:
        return []
    free = {id(entry) for entry in leftovers}
    waiting_ids = {index for index, _ in waiting}
    anchors = _anchors(units, waiting_ids, olds, folded)
    files = {sequence_place(location)[0] for _, unit in waiting for location in unit.locations}
    candidates: list[Candidate] = []
    nearby: dict[int, set[int]] = {}
    for name, (news, old_slots) in _sequences(units, olds, files).items():
        candidates += _gap_candidates(name, news, old_slots, anchors, waiting_ids, olds, free,
                                      nearby)
    candidates.sort()
    pairs = _greedy(candidates)
    taken_units = {index for index, _ in pairs}
    taken_olds = {id(olds[index]) for _, index in pairs}
    claimed = {id(olds[candidate.old_index]) for candidate in candidates} | taken_olds
    rest = [(index, unit) for index, unit in waiting if index not in taken_units]
    others = [entry for entry in leftovers if id(entry) not in claimed]
    found = [(index, olds[old]) for index, old in pairs]
    return sorted(found + _elsewhere(rest, others, nearby, olds), key=lambda pair: pair[0])


def _anchors(units: Sequence[Unit], waiting: set[int], olds: Sequence[Entry],
             folded: Sequence[tuple[int, Entry]]) -> dict[int, int]:
    """Each unit that kept an old entry with a place, by the old entry's index."""
    placed = {entry.msgid: index for index, entry in enumerate(olds)
              if entry.locations and entry.msgctxt is None}
    by_identity = {id(entry): index for index, entry in enumerate(olds)}
    anchors = {index: by_identity[id(entry)] for index, entry in folded}
    for index, unit in enumerate(units):
        if index not in waiting and index not in anchors and unit.msgid in placed:
            anchors[index] = placed[unit.msgid]
    return anchors


def _sequences(units: Sequence[Unit], olds: Sequence[Entry],
               files: set[str]) -> dict[str, tuple[list[Slot], list[Slot]]]:
    """The units' and the old entries' places in each sequence of `files`, in order."""
    found: dict[str, tuple[list[Slot], list[Slot]]] = {name: ([], []) for name in files}
    for side, items in ((0, units), (1, olds)):
        for index, item in enumerate(items):
            for location in item.locations:
                name, key = sequence_place(location)
                if name in found:
                    found[name][side].append(Slot(key, item.msgid, index, location))
    for news, old_slots in found.values():
        news.sort()
        old_slots.sort()
    return found


def _gap_candidates(name: str, news: list[Slot], old_slots: list[Slot],
                    anchors: Mapping[int, int], waiting: set[int],
                    olds: Sequence[Entry], free: set[int],
                    nearby: dict[int, set[int]]) -> list[Candidate]:
    """The pairs of a waiting unit and an old entry between the same anchors of a sequence
    that are PLACE_THRESHOLD similar; `nearby` gets every old entry each unit was compared
    with."""
    from pipeline.memory.index import score

    links = _links(news, old_slots, anchors)
    linked = {old for _, old in links}
    found: list[Candidate] = []
    bounds = [(-1, -1), *_increasing(links), (len(news), len(old_slots))]
    for (new_start, old_start), (new_end, old_end) in pairwise(bounds):
        gap_news = [position for position in range(new_start + 1, new_end)
                    if news[position].item in waiting]
        gap_olds = [position for position in range(old_start + 1, old_end)
                    if position not in linked and olds[old_slots[position].item].translated]
        for new, old in _nearby_pairs(gap_news, gap_olds):
            _, english, index, location = news[new]
            _, old_english, old_index, old_location = old_slots[old]
            nearby.setdefault(index, set()).add(old_index)
            value = score(english, old_english)
            if value < PLACE_THRESHOLD:
                continue
            entry = olds[old_index]
            takes = (old_index, "") if id(entry) in free else (old_index, f"{name}:{old}")
            rank = value + (SAME_PLACE_BONUS if location == old_location else 0.0)
            distance = abs((new - new_start) - (old - old_start))
            found.append(Candidate(-rank, distance, english, old_english, old_location, index,
                                   takes, old_index))
    return found


def _links(news: list[Slot], old_slots: list[Slot],
           anchors: Mapping[int, int]) -> list[tuple[int, int]]:
    """Anchored units' places with their old entries' places in the sequence, in order."""
    old_places: dict[int, list[int]] = {}
    for position, slot in enumerate(old_slots):
        old_places.setdefault(slot.item, []).append(position)
    new_places: dict[int, list[int]] = {}
    for position, slot in enumerate(news):
        if slot.item in anchors:
            new_places.setdefault(slot.item, []).append(position)
    links = [link for index, places in new_places.items()
             for link in zip(places, old_places.get(anchors[index], ()), strict=False)]
    return sorted(links)


def _increasing(links: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of links whose old places also increase (the anchors that did not
    move), the earliest such run when there are several."""
    tails: list[int] = []  # old place ending the best run of each length
    ends: list[int] = []  # its link
    before: list[int] = []
    for number, (_, old) in enumerate(links):
        length = bisect_left(tails, old)
        if length == len(tails):
            tails.append(old)
            ends.append(number)
        else:
            tails[length] = old
            ends[length] = number
        before.append(ends[length - 1] if length else -1)
    chosen: list[tuple[int, int]] = []
    number = ends[-1] if ends else -1
    while number >= 0:
        chosen.append(links[number])
        number = before[number]
    return chosen[::-1]


def _nearby_pairs(news: list[int], olds: list[int]) -> Iterable[tuple[int, int]]:
    """Every pair of a small gap; in a large one, each unit with the old entries near its
    proportional place, so that a file rewritten whole costs time in proportion to its size."""
    if len(news) * len(olds) <= FULL_GAP:
        return ((new, old) for new in news for old in olds)
    scale = len(olds) / len(news)
    return ((new, olds[other]) for number, new in enumerate(news)
            for other in range(max(0, int(number * scale) - BAND),
                               min(len(olds), int(number * scale) + BAND + 1)))


def _greedy(candidates: Iterable[Candidate]) -> list[tuple[int, int]]:
    """The candidates taken best first, each unit and each old entry or place once."""
    units: set[int] = set()
    taken: set[tuple[int, str]] = set()
    pairs = []
    for candidate in candidates:
        if candidate.unit in units or candidate.takes in taken:
            continue
        units.add(candidate.unit)
        taken.add(candidate.takes)
        pairs.append((candidate.unit, candidate.old_index))
    return pairs


def _elsewhere(units: list[tuple[int, Unit]], olds: list[Entry], nearby: dict[int, set[int]],
               every: Sequence[Entry]) -> list[tuple[int, Entry]]:
    """English moved to another gap, section or file: paired with a translated old entry when
    ELSEWHERE_THRESHOLD similar and changed in one place, best first."""
    if not units or not olds:
        return []
    from rapidfuzz import fuzz, process, utils

    index_of = {id(entry): index for index, entry in enumerate(every)}
    texts = sorted((utils.default_process(entry.msgid), entry.msgid, entry.msgctxt or "",
                    number) for number, entry in enumerate(olds))
    lengths = [len(text) for text, *_ in texts]
    share = ELSEWHERE_THRESHOLD / 100
    found: list[tuple[float, str, str, str, int, int]] = []
    for index, unit in units:
        query = utils.default_process(unit.msgid)
        # Texts this similar differ in length by at most 1 - share of their two lengths.
        low = bisect_left(lengths, len(query) * share / (2 - share) - 1)
        high = bisect_right(lengths, len(query) * (2 - share) / share + 1)
        choices = [text for text, *_ in texts[low:high]]
        for choice, value, at in process.extract(query, choices, scorer=fuzz.ratio, limit=None,
                                                 score_cutoff=ELSEWHERE_THRESHOLD):
            _, english, context, number = texts[low + at]
            entry = olds[number]
            if index_of[id(entry)] not in nearby.get(index, ()) and \
                    one_change(choice, query):
                found.append((-value, unit.msgid, english, context, index, number))
    found.sort()
    taken_units: set[int] = set()
    taken_olds: set[int] = set()
    pairs = []
    for *_, index, number in found:
        if index not in taken_units and number not in taken_olds:
            taken_units.add(index)
            taken_olds.add(number)
            pairs.append((index, olds[number]))
    return pairs


def one_change(before: str, after: str) -> bool:
    """The words differ in one place: one run of words replaced, added or removed."""
    from rapidfuzz.distance import Indel

    runs = 0
    changed = False
    for step in Indel.opcodes(before.split(), after.split()):
        runs += step.tag != "equal" and not changed
        changed = step.tag != "equal"
    return runs <= 1
