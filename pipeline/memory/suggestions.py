"""Suggestions from one catalog's own translations, scored as the memory scores them: what
`merge` offers new English when it runs without a project's memory (docs/memory.md)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from pipeline.memory.index import (
    CANDIDATES,
    RARE_WORDS,
    Match,
    distinctive_words,
    folded_score,
    key,
)

if TYPE_CHECKING:
    from pipeline.model import MemoryUnit

THRESHOLD = 75.0  # as memory_threshold's default (docs/configuration.md)


def suggester(units: Sequence[MemoryUnit], threshold: float = THRESHOLD
              ) -> Callable[[str], Match | None]:
    """The best unit at or above the threshold for some English, as MemoryIndex.suggest finds
    it: the same folded English, else the units sharing any of its rarest words, the
    CANDIDATES that share most of them scored. The index is made at the first look-up."""
    ordered = sorted(set(units), key=lambda unit: (unit.source, unit.target, unit.origin))
    folded: list[str] = []
    exact: dict[str, MemoryUnit] = {}
    postings: dict[str, list[int]] = {}
    # A score of `threshold` needs a ratio of at least this (the partial ratio is at most 100).
    least_ratio = 2 * threshold - 100

    def suggest(text: str) -> Match | None:
        if not folded and ordered:
            folded.extend(key(unit.source) for unit in ordered)
            for number, english in enumerate(folded):
                exact.setdefault(english, ordered[number])
                for word in distinctive_words(english):
                    postings.setdefault(word, []).append(number)
        query = key(text)
        if query in exact:
            return Match(exact[query], 100.0)
        rare = sorted((word for word in distinctive_words(query) if word in postings),
                      key=lambda word: (len(postings[word]), word))[:RARE_WORDS]
        shared = Counter(number for word in rare for number in postings[word])
        best: Match | None = None
        for number, _ in shared.most_common(CANDIDATES):  # (ties: the earlier unit first)
            if fuzz.ratio(query, folded[number], score_cutoff=least_ratio):
                value = folded_score(query, folded[number])
                if value >= threshold and (best is None or value > best.score):
                    best = Match(ordered[number], value)
        return best

    return suggest
