"""The merge verb on catalogs of every shape and layout: the merge of catalogs, with the old
catalog's translations as suggestions for new English; bad files reported with their line."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import polib
import pytest

from pipeline.errors import PipelineError
from pipeline.po import pofile, pomerge
from pipeline.po.model import Catalog, Entry

HEADER = (("Project-Id-Version", "p"), ("Language", "es"), ("MIME-Version", "1.0"),
          ("Content-Type", "text/plain; charset=UTF-8"), ("Content-Transfer-Encoding", "8bit"),
          ("Plural-Forms", "nplurals=2; plural=(n != 1);"))
WORDS = ("rest", "the", "Achilles", "tendon", "heals", "slowly,", "pain", "eases.", "6", "weeks",
         "calf-raise", "(daily)", "ibuprofen", "it's", "not", "x" * 40, "a/b", "día", "née",
         "врач", "πόνος", "Łódź", "U.S.", "p.m.", "e.g.,", "38.5", "50%", "$5", "!", "?", ",",
         "¿Qué?", "10:30;", "x.com")
ODD = ("", '"', "\\", "\t", "\n", "  ", " ", "é", "中")


def _entry(rng: random.Random, msgid: str, number: int) -> Entry:
    """An old entry of a random shape: most only translated, the others of every kind."""
    kind = rng.choice(["plain"] * 6 + ["untranslated", "translator", "fuzzy", "stale", "notes",
                                       "obsolete", "context", "plural", "places", "flags"])
    entry = Entry(msgid, f"ES {msgid}", locations=(f"p.yaml:s{number}",))
    match kind:
        case "untranslated":
            return replace(entry, msgstr="")
        case "translator":
            return replace(entry, translator_comments=("checked by Ana",))
        case "fuzzy":
            return replace(entry, flags=("fuzzy",))
        case "stale":
            return replace(entry, flags=("fuzzy",), previous_msgid=f"{msgid} before",
                           comments=("stale since 2026-01-02",))
        case "notes":
            return replace(entry, comments=("a note for translators",
                                            "cosmetic English edit carried over on 2026-01-02"))
        case "obsolete":
            return replace(entry, obsolete=True, locations=())
        case "context":
            return replace(entry, msgctxt="menu")
        case "plural":
            return replace(entry, msgid_plural=f"{msgid}s", msgstr="",
                           msgstr_plural=(f"ES {msgid}", f"ES {msgid}s"))
        case "places":
            return replace(entry, locations=("p.yaml:a", "p.yaml:b"))
        case "flags":
            return replace(entry, flags=("no-wrap",))
    return entry


def _pair(seed: int, size: int, twins: bool = True) -> tuple[bytes, bytes]:
    """An old catalog of entries of every shape and a template that edits, adds, removes and
    moves some of its English, and repeats some as a sibling entry of another shape. With
    twins, the old catalog also has obsolete entries of active English (which msgcat refuses,
    and the pipeline reads)."""
    rng = random.Random(seed)
    english = list(dict.fromkeys(" ".join(rng.choices(WORDS, k=rng.randint(1, 30)))
                                 for _ in range(size)))
    olds = [_entry(rng, msgid, number) for number, msgid in enumerate(english)]
    # English removed once, then back
    for twin in rng.sample(olds, k=len(olds) // 8 if twins else 0):
        if not twin.obsolete and twin.msgctxt is None:
            olds.append(Entry(twin.msgid, "ES earlier", obsolete=True))
    units = []
    for number, msgid in enumerate(english):
        roll = rng.random()
        if roll < 0.1:
            continue
        if roll < 0.2:
            msgid = f"{msgid} {rng.choice(WORDS)}"
        comments = ("section: treatment",) if rng.random() < 0.3 else ()
        units.append(Entry(msgid, locations=(f"p.yaml:s{number}",), comments=comments))
    units += [Entry(f"{rng.choice(english)} again", locations=("p.yaml:new",))]
    if rng.random() < 0.3:  # the same English as an old entry's, with a context
        units.insert(rng.randint(0, len(units)), Entry(rng.choice(english), msgctxt="menu",
                                                       locations=("p.yaml:menu",)))
    if rng.random() < 0.3:
        units.append(Entry("gone", obsolete=True))
    rng.shuffle(units[: len(units) // 10])
    old = Catalog(("Spanish.",), HEADER, tuple(olds))
    template = Catalog(("Template.",), HEADER[:1] + HEADER[2:5],
                       tuple(dict(((unit.msgctxt, unit.msgid), unit)
                                  for unit in units).values()))
    return pofile.render(old), pofile.render(template)


def _merge_of_catalogs(folder: Path) -> tuple[bytes, pomerge.MergeCounts]:
    """The merge of old.po and new.pot as read by pofile."""
    old, template = folder / "old.po", folder / "new.pot"
    catalog, counts = pomerge.merged(pofile.read(old), pofile.read(template), old, template, None)
    return pofile.render(catalog), counts


def _both(tmp_path: Path, old: bytes, template: bytes) -> bytes:
    """The merge verb's output, checked against the merge of the catalogs read from the same
    files."""
    (tmp_path / "old.po").write_bytes(old)
    (tmp_path / "new.pot").write_bytes(template)
    counts = pomerge.merge_files(tmp_path / "old.po", tmp_path / "new.pot", tmp_path / "out.po")
    expected, expected_counts = _merge_of_catalogs(tmp_path)
    assert (tmp_path / "out.po").read_bytes() == expected
    assert counts == expected_counts
    return expected


def test_other_layouts_are_read_and_merged(tmp_path: Path) -> None:
    old, template = _pair(7, 60)
    expected = _both(tmp_path, old, template)
    narrow = polib.pofile(old.decode("utf-8"), wrapwidth=40)
    rewrapped = str(narrow).encode("utf-8")
    assert rewrapped != old
    _both(tmp_path, rewrapped, template)
    assert _both(tmp_path, old.replace(b"\n", b"\r\n"), template) == expected
    assert _both(tmp_path, b"\xef\xbb\xbf" + old, template) == expected


@pytest.mark.parametrize("odd", ["template twice", "second header", "empty English"])
def test_odd_catalogs_merge_or_fail_as_the_merge_of_catalogs(tmp_path: Path, odd: str) -> None:
    rest = Entry("Rest the tendon.", "Descanse el tendón.", locations=("p.yaml:s1",))
    olds = [rest, Entry("Walk daily.", "Camine.", locations=("p.yaml:s2",))]
    units = [Entry(entry.msgid, locations=entry.locations) for entry in olds]
    if odd == "template twice":
        units.append(units[0])
    elif odd == "second header":
        olds.append(Entry("", "Language: fr\n", locations=("p.yaml:s3",)))
    else:
        units.append(Entry("", locations=("p.yaml:s3",)))
    old = pofile.render(Catalog((), HEADER, tuple(olds)))
    template = pofile.render(Catalog((), HEADER[:1], tuple(units)))
    (tmp_path / "old.po").write_bytes(old)
    (tmp_path / "new.pot").write_bytes(template)
    try:
        expected: object = _merge_of_catalogs(tmp_path)
    except PipelineError as error:
        expected = str(error)
    try:
        counts = pomerge.merge_files(tmp_path / "old.po", tmp_path / "new.pot",
                                     tmp_path / "out.po")
        actual: object = ((tmp_path / "out.po").read_bytes(), counts)
    except PipelineError as error:
        actual = str(error)
    assert actual == expected


@pytest.mark.parametrize("damage", ["duplicate", "cut", "no header"])
def test_a_damaged_catalog_is_reported_with_its_line_as_before(tmp_path: Path,
                                                               damage: str) -> None:
    rest = Entry("Rest the tendon.", "Descanse el tendón.", locations=("p.yaml:s1",))
    entries = (rest, Entry("Walk daily.", "Camine.", locations=("p.yaml:s2",)))
    if damage == "duplicate":  # an entry in the shape copied as text, twice
        entries += (replace(rest, msgstr="Descanse."),)
    template = pofile.render(Catalog((), HEADER[:1], tuple(
        Entry(entry.msgid, locations=entry.locations) for entry in entries[:2])))
    text = pofile.render(Catalog((), HEADER, entries)).decode("utf-8")
    if damage == "cut":
        text = text[: text.rindex("msgstr")]
    elif damage == "no header":
        text = text[text.index("#: p.yaml:s1"):]
    (tmp_path / "old.po").write_text(text, "utf-8")
    (tmp_path / "new.pot").write_bytes(template)
    with pytest.raises(PipelineError) as caught:
        pomerge.merge_files(tmp_path / "old.po", tmp_path / "new.pot", tmp_path / "out.po")
    with pytest.raises(PipelineError) as expected:
        pofile.read(tmp_path / "old.po")
    assert str(caught.value) == str(expected.value)
    assert not (tmp_path / "out.po").exists()


def test_new_english_gets_the_old_catalog_s_best_match_as_a_suggestion(tmp_path: Path) -> None:
    """English that pairs with nothing (here another section, two words changed) is offered
    the closest old translation, fuzzy, without a previous msgid, with its score and origin;
    English unlike any old entry is left empty."""
    dose = "Take 400 mg of ibuprofen up to 3 times a day with food and water."
    olds = (Entry(dose, "Tome 400 mg de ibuprofeno hasta 3 veces al día.",
                  locations=("p.yaml:treatment.1.s1",)),
            Entry("Walk daily.", "Camine a diario.", locations=("p.yaml:treatment.2.s1",)))
    units = (Entry("Walk daily.", locations=("p.yaml:treatment.2.s1",)),
             Entry("Take 600 mg of ibuprofen up to 4 times a day with food and water.",
                   locations=("p.yaml:recovery.1.s1",)),
             Entry("Swelling at the back of the heel.", locations=("p.yaml:recovery.2.s1",)))
    (tmp_path / "old.po").write_bytes(pofile.render(Catalog((), HEADER, olds)))
    (tmp_path / "new.pot").write_bytes(pofile.render(Catalog((), HEADER[:1], units)))
    counts = pomerge.merge_files(tmp_path / "old.po", tmp_path / "new.pot", tmp_path / "out.po")
    merged = {entry.msgid: entry for entry in pofile.read(tmp_path / "out.po").entries}
    suggested = merged[units[1].msgid]
    assert suggested.fuzzy and suggested.previous_msgid is None
    assert suggested.msgstr == olds[0].msgstr
    assert suggested.comments[-1].startswith("memory: ")
    assert f"% from old.po: {dose} (numbers, units or negations differ" in suggested.comments[-1]
    assert merged[units[2].msgid].msgstr == ""
    assert (counts.memory_fuzzy, counts.new, counts.obsoleted) == (1, 2, 1)
