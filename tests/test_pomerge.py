"""The merge verb's copy of unchanged entries as text: the same bytes and counts as the merge of
catalogs, on catalogs of every shape, in msgcat's layout or not (docs/performance.md)."""

from __future__ import annotations

import os
import random
import subprocess
from dataclasses import replace
from itertools import pairwise
from pathlib import Path

import polib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.corpus import edit, sentences
from benchmarks.merge import write_pair
from pipeline import pofile, pomerge
from pipeline.errors import PipelineError
from pipeline.parallel import Forked
from pipeline.pofile import Catalog, Entry

HEADER = (("Project-Id-Version", "p"), ("Language", "es"), ("MIME-Version", "1.0"),
          ("Content-Type", "text/plain; charset=UTF-8"), ("Content-Transfer-Encoding", "8bit"),
          ("Plural-Forms", "nplurals=2; plural=(n != 1);"))
WORDS = ("rest", "the", "Achilles", "tendon", "heals", "slowly,", "pain", "eases.", "6", "weeks",
         "calf-raise", "(daily)", "ibuprofen", "it's", "not", "x" * 40, "a/b", "día", "née",
         "врач", "πόνος", "Łódź", "U.S.", "p.m.", "e.g.,", "38.5", "50%", "$5", "!", "?", ",",
         "¿Qué?", "10:30;", "x.com")
ODD = ("", '"', "\\", "\t", "\n", "  ", " ", "é", "中")


def _merge_of_catalogs(folder: Path) -> tuple[bytes, pomerge.MergeCounts]:
    """What the merge verb wrote before it copied entries as text, from old.po and new.pot."""
    old, template = folder / "old.po", folder / "new.pot"
    catalog, counts = pomerge._merged(pofile.read(old), pofile.read(template), old, template,
                                      None)
    return pofile.render(catalog), counts


def _both(tmp_path: Path, old: bytes, template: bytes) -> tuple[bytes, bytes | None]:
    """The merge verb's output and counts, with whether the copy as text took part."""
    (tmp_path / "old.po").write_bytes(old)
    (tmp_path / "new.pot").write_bytes(template)
    counts = pomerge.merge_files(tmp_path / "old.po", tmp_path / "new.pot", tmp_path / "out.po")
    expected, expected_counts = _merge_of_catalogs(tmp_path)
    assert (tmp_path / "out.po").read_bytes() == expected
    assert counts == expected_counts
    with Forked(pomerge._merged_rest, pomerge._load_merge) as rest:
        copied = pomerge._merge_texts(rest, tmp_path / "old.po", tmp_path / "new.pot", None)
    return expected, copied[0] if copied else None


@st.composite
def texts(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=40))
    text = " ".join(words)
    if draw(st.integers(0, 4)) == 0:
        place = draw(st.integers(0, len(text)))
        text = text[:place] + draw(st.sampled_from(ODD)) + text[place:]
    return text or "x"


def _layouts(escaped: str, lines: list[str]) -> list[str]:
    """The escaped text on one line, on two at every cut, and on the given lines with each
    boundary moved by up to 3 characters."""
    layouts = [f'"{escaped}"\n', f'""\n"{escaped}"\n']
    cuts = [[cut] for cut in range(1, len(escaped))]
    ends = [sum(map(len, lines[: index + 1])) for index in range(len(lines) - 1)]
    for index, end in enumerate(ends):
        cuts += [[*ends[:index], end + shift, *ends[index + 1:]] for shift in range(-3, 4)]
    for positions in cuts:
        bounds = [0, *positions, len(escaped)]
        if bounds != sorted(set(bounds)) or any(escaped[cut - 1] == "\\" for cut in positions):
            continue  # (a cut escape is not a PO string)
        layouts.append('""\n' + "".join(f'"{escaped[start:end]}"\n'
                                        for start, end in pairwise(bounds)))
    return layouts


@settings(max_examples=300, deadline=None)
@given(texts(), st.sampled_from(("msgid", "msgstr")))
def test_a_string_is_as_written_exactly_when_pofile_writes_it_so(text: str,
                                                                   keyword: str) -> None:
    field = pofile.field_text(keyword, text).removeprefix(f"{keyword} ")
    assert pomerge._as_written(keyword, field)
    lines = field[1:-2].split('"\n"')
    escaped = "".join(lines)
    for layout in _layouts(escaped, [line for line in lines if line]):
        assert pomerge._as_written(keyword, layout) == (layout == field), layout


@pytest.mark.parametrize("length", range(60, 170))
def test_plain_words_of_every_length_are_as_written_only_where_pofile_breaks_them(
        length: int) -> None:
    rng = random.Random(length)
    for _ in range(10):
        words = []
        while sum(map(len, words)) + len(words) < length:
            words.append(rng.choice(("a", "to", "the", "calf", "tendon", "médico", "боль",
                                     "x" * rng.randint(5, 30))))
        text = " ".join(words)[:length].strip()
        field = pofile.field_text("msgid", text).removeprefix("msgid ")
        lines = field[1:-2].split('"\n"')
        for layout in _layouts("".join(lines), [line for line in lines if line]):
            assert pomerge._as_written("msgid", layout) == (layout == field), layout


@pytest.mark.parametrize("length", range(64, 80))
@pytest.mark.parametrize("odd", ["中", "é", "e\u0301", "ж", "\t"])
def test_a_one_line_string_is_as_written_only_when_its_columns_fit(length: int,
                                                                   odd: str) -> None:
    """Wide, combining and accented characters and tabs, on one line or wrapped."""
    text = f"{odd}{'x' * (length - 1)}"
    for keyword in ("msgid", "msgstr"):
        field = pofile.field_text(keyword, text).removeprefix(f"{keyword} ")
        lines = field[1:-2].split('"\n"')
        for layout in _layouts("".join(lines), [line for line in lines if line]):
            assert pomerge._as_written(keyword, layout) == (layout == field), layout
    if odd == "\t":  # written escaped
        assert not pomerge._as_written("msgid", f'"{text}"\n')


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


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 2**32), st.integers(1, 40))
def test_the_merge_verb_equals_the_merge_of_catalogs(seed: int, size: int) -> None:
    import tempfile

    old, template = _pair(seed, size)
    with tempfile.TemporaryDirectory() as folder:
        assert _both(Path(folder), old, template)[1] is not None


def test_unchanged_entries_are_copied_on_the_benchmark_s_catalogs(tmp_path: Path) -> None:
    old, template = write_pair(edit(sentences(600, seed=3), seed=4), tmp_path)
    expected, copied = _both(tmp_path, old.read_bytes(), template.read_bytes())
    assert copied == expected


@pytest.mark.parametrize("where", ["no fork", "the child dies"])
def test_the_rest_merged_in_this_process_gives_the_same_bytes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    """Without a second core (or fork), or when the forked process dies, this process merges
    the rest itself."""
    if where == "no fork":
        monkeypatch.setattr("pipeline.parallel.usable_cores", lambda: 1)
    else:
        monkeypatch.setattr(pomerge, "_load_merge", lambda: os._exit(3))
    old, template = write_pair(edit(sentences(300, seed=5), seed=6), tmp_path)
    expected, copied = _both(tmp_path, old.read_bytes(), template.read_bytes())
    assert copied == expected


def test_other_layouts_are_merged_as_catalogs_to_the_same_bytes(tmp_path: Path) -> None:
    old, template = _pair(7, 60)
    narrow = polib.pofile(old.decode("utf-8"), wrapwidth=40)
    rewrapped = str(narrow).encode("utf-8")
    assert rewrapped != old
    _both(tmp_path, rewrapped, template)
    _both(tmp_path, old.replace(b"\n", b"\r\n"), template)
    _both(tmp_path, b"\xef\xbb\xbf" + old, template)
    _both(tmp_path, old.replace(b"\n\n", b"\n\n\n", 3), template)
    _both(tmp_path, old, template.replace(b"\n\n", b"\n", 5))


def test_msgcat_s_output_is_copied(tmp_path: Path) -> None:
    old, template = _pair(11, 80, twins=False)
    (tmp_path / "in.po").write_bytes(old)
    subprocess.run(["msgcat", "-o", str(tmp_path / "cat.po"), str(tmp_path / "in.po")],
                   check=True)
    expected, copied = _both(tmp_path, (tmp_path / "cat.po").read_bytes(), template)
    assert copied == expected


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
