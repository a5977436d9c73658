"""The segmenter against a hand-segmented corpus of patient-education prose: its error count is
the one docs/segmentation.md reports."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.source.segment import split_sentences

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests/data/segmentation"
# What docs/segmentation.md says of each file: "<name>: N errors in S sentences of T texts"
REPORTED = r"{name}: (\d+) errors? in (\d+) sentences of (\d+) texts"


def corpus(name: str = "corpus") -> list[tuple[str, ...]]:
    """Each text of a corpus file as its expected sentences."""
    texts: list[tuple[str, ...]] = []
    current: list[str] = []
    for line in [*(DATA / f"{name}.txt").read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("#"):
            continue
        if line.strip():
            current.append(line.strip())
        elif current:
            texts.append(tuple(current))
            current = []
    return texts


def starts(text: str, sentences: tuple[str, ...]) -> set[int]:
    """Where each sentence after the first starts in the text."""
    found, position = set(), 0
    for sentence in sentences:
        position = text.index(sentence, position)
        found.add(position)
        position += len(sentence)
    return found - {0}


def errors(expected: tuple[str, ...]) -> tuple[set[int], set[int]]:
    """The boundaries the segmenter misses and those it adds, in one text."""
    text = " ".join(expected)
    truth, found = starts(text, expected), starts(text, split_sentences(text))
    return truth - found, found - truth


def test_the_corpus_is_large_and_varied() -> None:
    texts = corpus()
    sentences = [sentence for text in texts for sentence in text]
    assert len(sentences) >= 300
    for pattern in (r"\bU\.S\.$", r"^No\.$", r"^Yes\.$", r"\b[A-Z]\. [A-Z][a-z]", r"\d\.\d",
                    r"\d+ to \d+", "\\d\u2013\\d", r"\d (?:mg|kg|cm|mm|IU|g)\b", r"https://",
                    r"www\.", r"\ba\.m\.", r"\bNo\. \d", r"\be\.g\.", r"\bapprox\.", r"hrs\.$",
                    r"\]\(/"):
        assert any(re.search(pattern, sentence) for sentence in sentences), pattern


@pytest.mark.parametrize("name", ["corpus", "held-out"])
def test_the_error_count_is_the_one_reported(name: str) -> None:
    texts = corpus(name)
    missed = added = 0
    for text in texts:
        lost, extra = errors(text)
        missed += len(lost)
        added += len(extra)
    docs = (ROOT / "docs/segmentation.md").read_text(encoding="utf-8")
    reported = re.search(REPORTED.format(name=name), docs)
    assert reported is not None
    count = sum(len(text) for text in texts)
    assert (missed + added, count, len(texts)) == tuple(map(int, reported.groups())), \
        f"{missed} missed and {added} added boundaries"


def test_the_rules_of_the_documented_exceptions() -> None:
    by_first = {text[0]: text for text in corpus()}
    for first in ("Plantar fasciitis is the most common cause of heel pain in the U.S.",
                  "Take vitamin D.", "Bring your medicines, X-rays, etc.",
                  "Take the tablet at 8 a.m.", "Ice the area for 15 min.",
                  "Does a heel spur cause my pain?", "Can I keep running?",
                  "Wait at least 2 hrs.", "The handout lists exercises No. 1 to No. 6.",
                  "Written by Steven J. Lee, MD.", "Take the medicine 2 hrs. before your "
                  "therapy session."):
        assert errors(by_first[first]) == (set(), set()), first
