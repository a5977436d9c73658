"""Edited English paired by its position between unchanged entries: every kind of edit at every
kind of place, twins, heavy rewords and unrelated replacements; no translation ever lost, and
a result that depends on the references, not on the order of the entries."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.memory.index import score
from pipeline.memory.suggestions import suggester
from pipeline.memory.units import catalog_units
from pipeline.po.catalogs import merge_units
from pipeline.po.model import Catalog, Entry

HEADER = (("Project-Id-Version", "a"), ("Language", "es"),
          ("Plural-Forms", "nplurals=2; plural=(n != 1);"))
TODAY = "2026-11-25"
FIRST = "Wear the brace during the day. Take it off at night to let the skin rest."
NEAR_A = "Take 400 mg of ibuprofen up to 3 times a day with food."
MIDDLE = "Loosen the straps if your toes feel cold. Call us if the numbness stays."
NEAR_B = "Take 600 mg of ibuprofen up to 3 times a day with food."
BESIDE_MOVED = "Wash the liner by hand in warm water. Let it dry flat, away from heat."
LAST = "Bring the brace to every visit. We check the fit as the swelling goes down."
DOCUMENT = ["Getting started with your knee brace", FIRST, NEAR_A, MIDDLE, NEAR_B,
            "Cleaning the brace", BESIDE_MOVED, "Questions", LAST]
OTHER = ["Sleeping with a brace", "Most people sleep better once the swelling settles.",
         "Ask before you drive with a brace on the right knee."]
MOVED = OTHER[1]


def spanish(text: str) -> str:
    return f"ES {text}"


def places(texts: list[str], path: str, shift: int = 0) -> list[tuple[str, str]]:
    """Each text with its `path:line`, a blank line after it, `shift` lines of other text
    above them."""
    line = 1 + shift
    found = []
    for text in texts:
        found.append((text, f"{path}:{line}"))
        line += 2 + len(text) // 70
    return found


def merged(old: list[tuple[str, str]], new: list[tuple[str, str]],
           suggest: bool = False) -> tuple[dict[str, Entry], tuple[int, ...]]:
    """The merge of new English into a catalog that translated the old, by msgid (obsolete
    entries under `~msgid`), and the counts: kept, fuzzy, new, suggested, obsoleted."""
    catalog = Catalog((), HEADER, tuple(Entry(text, spanish(text), locations=(place,))
                                        for text, place in old))
    units = [Entry(text, locations=(place,)) for text, place in new]
    result, counts = merge_units("a", units, catalog, "es", (), TODAY, suggester(
        catalog_units(catalog, "es", "old.po")) if suggest else None)
    return ({("~" if entry.obsolete else "") + entry.msgid: entry for entry in result.entries},
            (counts.kept, counts.fuzzy, counts.new, counts.memory_fuzzy, counts.obsoleted))


EDITS = {
    "words changed": lambda text: text.replace("the ", "your ", 1).replace("to ", "so as to ", 1),
    "sentence appended": lambda text: f"{text} Ask the clinic if you are unsure.",
    "sentence removed": lambda text: text.split(". ")[0] + ".",
}


@pytest.mark.parametrize("edit", sorted(EDITS))
@pytest.mark.parametrize("target", [FIRST, MIDDLE, BESIDE_MOVED, LAST],
                         ids=["first", "between near-duplicates", "next to a moved entry",
                              "last"])
def test_each_edit_at_each_place_keeps_its_translation_as_stale(edit: str,
                                                                 target: str) -> None:
    """Lines shift by 7 (text added above), an entry of another file moves in beside one of
    them, and one sentence is edited: it alone becomes stale, with its own old English."""
    after = EDITS[edit](target)
    assert after != target
    new_document = [after if text == target else text for text in DOCUMENT]
    new_document.insert(new_document.index("Cleaning the brace") + 1, MOVED)
    old = places(DOCUMENT, "docs/brace.md") + places(OTHER, "docs/sleep.md")
    new = places(new_document, "docs/brace.md", shift=7) + places(
        [text for text in OTHER if text != MOVED], "docs/sleep.md")
    entries, counts = merged(old, new)
    stale = entries[after]
    assert stale.fuzzy and stale.previous_msgid == target and stale.msgstr == spanish(target)
    for text in [*DOCUMENT, *OTHER]:
        if text != target:
            assert entries[text].msgstr == spanish(text) and not entries[text].fuzzy
    assert counts == (len(DOCUMENT) + len(OTHER) - 1, 1, 0, 0, 0)


def test_one_of_two_identical_sentences_edited_takes_the_translation_of_its_twin() -> None:
    """The same English at two places is one entry; when one place's English changes, that
    place's sentence becomes stale with the twin's translation, and the twin stays current."""
    twin = "Rest the tendon for two days."
    edited = "Rest the tendon for three days."
    catalog = Catalog((), HEADER, (
        Entry("Getting started", "Primeros pasos", locations=("p.yaml:intro.title",)),
        Entry(twin, spanish(twin), locations=("p.yaml:intro.1.s2", "p.yaml:faq.1.answer.s1")),
        Entry("Ice helps.", "El hielo ayuda.", locations=("p.yaml:faq.1.answer.s2",))))
    units = [Entry("Getting started", locations=("p.yaml:intro.title",)),
             Entry(twin, locations=("p.yaml:intro.1.s2",)),
             Entry(edited, locations=("p.yaml:faq.1.answer.s1",)),
             Entry("Ice helps.", locations=("p.yaml:faq.1.answer.s2",))]
    result, counts = merge_units("p", units, catalog, "es", (), TODAY, None)
    entries = {entry.msgid: entry for entry in result.entries}
    assert entries[twin].msgstr == spanish(twin) and not entries[twin].fuzzy
    assert entries[edited].fuzzy and entries[edited].previous_msgid == twin
    assert entries[edited].msgstr == spanish(twin)
    assert (counts.kept, counts.fuzzy, counts.obsoleted) == (3, 1, 0)


HEAVY = ("X-rays show arthritis or a high-riding ball.",
         "Images reveal arthritis or the upper arm bone riding high.")


def _at_one_place(before: str, after: str) -> tuple[dict[str, Entry], tuple[int, ...]]:
    around = ["Diagnosis", "Your doctor examines the shoulder.", "Treatment"]
    old = [(around[0], "p.yaml:diagnosis.title"), (around[1], "p.yaml:diagnosis.1.s1"),
           (before, "p.yaml:diagnosis.1.s2"), (around[2], "p.yaml:treatment.title")]
    return merged(old, [(after if text == before else text, place) for text, place in old])


def test_a_heavy_reword_at_an_unchanged_place_becomes_stale() -> None:
    """Less similar than the place threshold the pairing had before (55), still the same
    sentence rewritten: stale, with the English it was translated from."""
    before, after = HEAVY
    assert 50 <= score(before, after) < 55
    entries, counts = _at_one_place(before, after)
    assert entries[after].fuzzy and entries[after].previous_msgid == before
    assert entries[after].msgstr == spanish(before)
    assert entries[after].comments[-1] == f"stale since {TODAY}"
    assert counts == (3, 1, 0, 0, 0)


def test_an_unrelated_sentence_at_the_same_place_is_new_and_the_old_one_obsolete() -> None:
    before, after = HEAVY[0], "Most people recover in six weeks."
    entries, counts = _at_one_place(before, after)
    assert entries[after].msgstr == "" and entries[after].previous_msgid is None
    assert entries[f"~{before}"].msgstr == spanish(before)
    assert counts == (3, 0, 1, 0, 1)


WORDS = ("rest", "the", "tendon", "heals", "slowly", "pain", "eases", "6", "weeks", "ice",
         "knee", "brace", "walk", "daily", "swelling", "night", "splint", "calf")


@st.composite
def revisions(draw: st.DrawFn) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Two files' old English and a revision: entries kept, edited, removed, moved to the
    other file or added, lines shifted by the text added above."""
    rng = random.Random(draw(st.integers(0, 2**32)))
    texts = list(dict.fromkeys(" ".join(rng.choices(WORDS, k=rng.randint(2, 12)))
                               for _ in range(draw(st.integers(1, 30)))))
    files: list[list[str]] = [[], []]
    for text in texts:
        files[rng.randrange(2)].append(text)
    new_files: list[list[str]] = [[], []]
    for number, texts_of_file in enumerate(files):
        for text in texts_of_file:
            roll = rng.random()
            if roll < 0.15:
                continue
            if roll < 0.4:
                text = f"{text} {rng.choice(WORDS)}"
            target = 1 - number if roll > 0.9 else number
            new_files[target].insert(rng.randint(0, len(new_files[target])), text)
    new_files[rng.randrange(2)].append(" ".join(rng.choices(WORDS, k=5)))
    old = [pair for number in (0, 1) for pair in places(files[number], f"f{number}.md")]
    new = [pair for number in (0, 1) for pair in places(
        list(dict.fromkeys(new_files[number])), f"f{number}.md", rng.randint(0, 20))]
    return old, list(dict(new).items())


@pytest.mark.slow
@settings(max_examples=150)
@given(revisions(), st.randoms(use_true_random=False))
def test_no_translation_is_lost_and_the_order_of_entries_does_not_matter(
        revision: tuple[list[tuple[str, str]], list[tuple[str, str]]],
        rng: random.Random) -> None:
    old, new = revision
    entries, _ = merged(old, new, suggest=True)
    kept = {entry.msgstr for entry in entries.values()}
    assert {spanish(text) for text, _ in old} <= kept
    shuffled_old, shuffled_new = old[:], new[:]
    rng.shuffle(shuffled_old)
    rng.shuffle(shuffled_new)
    assert merged(shuffled_old, shuffled_new, suggest=True) == (entries, merged(old, new, True)[1])
