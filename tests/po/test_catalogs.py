"""The merge: unchanged English keeps its translation, changed becomes fuzzy, removed obsolete."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.model import Template, Unit
from pipeline.po.catalogs import merge, template_catalog
from pipeline.po.model import Catalog, Entry
from pipeline.po.pofile import render
from pipeline.po.pomerge import merge_files

COMMENT = ("Spanish translation.",)
TODAY = "2026-11-25"


def unit(msgid: str, place: str, plural: str | None = None) -> Unit:
    return Unit(msgid, (f"source/pages/p.yaml:{place}",), (f"note for {place}",), plural)


def translate(catalog: Catalog, table: dict[str, str]) -> Catalog:
    return replace(catalog, entries=tuple(
        replace(entry, msgstr=table.get(entry.msgid, entry.msgstr)) for entry in catalog.entries))


BEFORE = Template("p", (
    unit("Rest alone usually is not enough.", "misunderstandings.2.1.lead"),
    unit("Weeks 0 to 12", "recovery.2.1.title"),
    unit("Pain with running, jumping, and climbing stairs", "symptoms.2.3.s1"),
    unit("A creaking sensation in the tendon in some cases", "symptoms.2.4.s1"),
))
SPANISH = {
    "Rest alone usually is not enough.": "El reposo por sí solo no suele bastar.",
    "Weeks 0 to 12": "Semanas 0 a 12",
    "Pain with running, jumping, and climbing stairs": "Dolor al correr, saltar y subir escaleras",
    "A creaking sensation in the tendon in some cases":
        "En algunos casos, una sensación de crujido en el tendón",
}


def translated_catalog() -> Catalog:
    catalog, _ = merge(BEFORE, None, "es", COMMENT, TODAY)
    catalog = translate(catalog, SPANISH)
    first = catalog.entries[0]
    entries = (replace(first, translator_comments=("checked with Dr. Lee",)),
               *catalog.entries[1:])
    return replace(catalog, entries=entries)


def test_a_new_catalog_has_the_language_header_and_empty_entries() -> None:
    catalog, counts = merge(BEFORE, None, "ar", COMMENT, TODAY)
    header = dict(catalog.header)
    assert header["Language"] == "ar"
    assert header["Plural-Forms"].startswith("nplurals=6; plural=")
    assert header["Content-Type"] == "text/plain; charset=UTF-8"
    assert counts.new == 4 and not any(entry.msgstr for entry in catalog.entries)
    assert catalog.header_comment == COMMENT


def test_unchanged_english_keeps_translation_flags_and_comments() -> None:
    old = translated_catalog()
    new, counts = merge(BEFORE, old, "es", COMMENT, TODAY)
    assert new == old
    assert counts.kept == 4 and counts.fuzzy == counts.new == counts.obsoleted == 0


def test_edits_become_fuzzy_with_previous_english_and_removals_become_obsolete() -> None:
    after = Template("p", (
        unit("Rest alone usually is not enough.", "misunderstandings.2.1.lead"),
        unit("Weeks 0 to 10", "recovery.2.1.title"),
        unit("Pain with running, jumping, or climbing stairs", "symptoms.2.3.s1"),
        unit("Swelling at the back of the heel", "symptoms.2.4.s1"),
    ))
    new, counts = merge(after, translated_catalog(), "es", COMMENT, TODAY)
    by_id = {entry.msgid: entry for entry in new.entries}
    weeks = by_id["Weeks 0 to 10"]
    assert weeks.fuzzy and weeks.previous_msgid == "Weeks 0 to 12"
    assert weeks.msgstr == "Semanas 0 a 12"
    assert by_id["Pain with running, jumping, or climbing stairs"].previous_msgid == \
        "Pain with running, jumping, and climbing stairs"
    assert by_id["Rest alone usually is not enough."].translator_comments == \
        ("checked with Dr. Lee",)
    creaking = by_id["A creaking sensation in the tendon in some cases"]
    assert creaking.obsolete and creaking.msgstr == SPANISH[creaking.msgid]
    assert by_id["Swelling at the back of the heel"].msgstr == ""
    assert (counts.kept, counts.fuzzy, counts.new, counts.obsoleted) == (1, 2, 1, 1)


def test_near_identical_sentences_keep_their_own_translations() -> None:
    before = Template("p", (
        unit("Rest for 2 weeks, then walk for 10 minutes a day.", "recovery.1.s1"),
        unit("Rest for 3 weeks, then walk for 15 minutes a day.", "recovery.2.s1"),
    ))
    old, _ = merge(before, None, "es", COMMENT, TODAY)
    old = translate(old, {
        before.units[0].msgid: "Descanse 2 semanas y luego camine 10 minutos al día.",
        before.units[1].msgid: "Descanse 3 semanas y luego camine 15 minutos al día.",
    })
    # Each sentence's number changes so that it reads almost exactly like the *other* old one.
    after = Template("p", (
        unit("Rest for 3 weeks, then walk for 10 minutes a day.", "recovery.1.s1"),
        unit("Rest for 2 weeks, then walk for 15 minutes a day.", "recovery.2.s1"),
    ))
    new, _ = merge(after, old, "es", COMMENT, TODAY)
    assert new.entries[0].previous_msgid == before.units[0].msgid
    assert new.entries[0].msgstr.startswith("Descanse 2 semanas")
    assert new.entries[1].previous_msgid == before.units[1].msgid


def test_a_fuzzy_entry_edited_again_keeps_the_english_it_was_translated_from() -> None:
    first = Template("p", (unit("Weeks 0 to 10", "recovery.2.1.title"),))
    second = Template("p", (unit("Weeks 0 to 8", "recovery.2.1.title"),))
    stage1, _ = merge(first, translated_catalog(), "es", COMMENT, TODAY)
    stage2, _ = merge(second, stage1, "es", COMMENT, TODAY)
    assert stage2.entries[0].previous_msgid == "Weeks 0 to 12"


def test_an_obsolete_translation_comes_back_when_its_english_does() -> None:
    removed = Template("p", BEFORE.units[:3])
    stage1, _ = merge(removed, translated_catalog(), "es", COMMENT, TODAY)
    stage2, counts = merge(BEFORE, stage1, "es", COMMENT, TODAY)
    assert stage2 == translated_catalog()
    assert counts.kept == 4


def test_merge_twice_is_merge_once() -> None:
    after = Template("p", (unit("Weeks 0 to 10", "recovery.2.1.title"),))
    once, _ = merge(after, translated_catalog(), "es", COMMENT, TODAY)
    twice, _ = merge(after, once, "es", COMMENT, TODAY)
    assert twice == once


def test_team_header_fields_from_a_translators_tool_are_kept() -> None:
    old = translated_catalog()
    old = replace(old, header=(*old.header, ("Last-Translator", "María <maria@example.org>"),
                               ("X-Generator", "Poedit 3.4")))
    new, _ = merge(BEFORE, old, "es", COMMENT, TODAY)
    header = dict(new.header)
    assert header["Last-Translator"] == "María <maria@example.org>"
    assert header["X-Generator"] == "Poedit 3.4"


def test_template_catalog_has_no_dates() -> None:
    pot = template_catalog(BEFORE, ("Template.",))
    assert all("Date" not in key for key, _ in pot.header)
    assert [entry.msgid for entry in pot.entries] == [u.msgid for u in BEFORE.units]
    assert pot.entries[0] == Entry(BEFORE.units[0].msgid, locations=BEFORE.units[0].locations,
                                   comments=BEFORE.units[0].comments)


def spanish_catalog(table: dict[str, str], places: dict[str, str]) -> Catalog:
    before = Template("p", tuple(unit(english, places[english]) for english in table))
    return translate(merge(before, None, "es", COMMENT, TODAY)[0], table)


def test_english_from_elsewhere_is_paired_only_when_changed_in_one_place() -> None:
    """A sentence that moved and changed one word keeps its translation (stale); one that reads
    like a removed sentence of another place but differs in two places is a new sentence (a
    sibling: another dose, another joint), not an edit of it."""
    old = spanish_catalog({
        "Ice the heel for 15 minutes every 2 hours during the first days.":
            "Aplique hielo en el talón 15 minutos cada 2 horas durante los primeros días.",
        "Take 400 mg of ibuprofen up to 3 times a day with food and water.":
            "Tome 400 mg de ibuprofeno hasta 3 veces al día con comida y agua.",
    }, {"Ice the heel for 15 minutes every 2 hours during the first days.": "treatment.1.s1",
        "Take 400 mg of ibuprofen up to 3 times a day with food and water.": "treatment.2.s1"})
    after = Template("p", (
        unit("Ice the heel for 20 minutes every 2 hours during the first days.", "recovery.1.s1"),
        unit("Take 600 mg of ibuprofen up to 4 times a day with food and water.",
             "recovery.2.s1"),
    ))
    new, counts = merge(after, old, "es", COMMENT, TODAY)
    ice, dose = new.entries[:2]
    assert ice.fuzzy and ice.previous_msgid == old.entries[0].msgid
    assert ice.msgstr == old.entries[0].msgstr
    assert dose.msgstr == "" and dose.previous_msgid is None
    assert (counts.fuzzy, counts.new, counts.obsoleted) == (1, 1, 1)


def test_an_edit_in_place_keeps_its_old_entry_from_a_closer_sentence_elsewhere() -> None:
    """A clause cut from a sentence leaves it less similar to its old self than a sentence
    added elsewhere is; the old entry still goes to the sentence at its place."""
    sentence = "Avoid running for 6 days, then add it back slowly as the pain allows."
    old = spanish_catalog({sentence: "Evite correr 6 días y retómelo poco a poco."},
                          {sentence: "treatment.1.s1"})
    after = Template("p", (
        unit("Avoid running for 6 days.", "treatment.1.s1"),
        unit("Avoid jumping for 6 days, then add it back slowly as the pain allows.",
             "faq.1.answer.s1"),
    ))
    new, _ = merge(after, old, "es", COMMENT, TODAY)
    assert new.entries[0].previous_msgid == sentence
    assert new.entries[1].msgstr == ""


def test_merge_files_is_update_for_any_catalog_pair(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    after = Template("p", (unit("Weeks 0 to 10", "recovery.2.1.title"),))
    (tmp_path / "old.po").write_bytes(render(translated_catalog()))
    (tmp_path / "new.pot").write_bytes(render(template_catalog(after, ("Template.",))))
    counts = merge_files(tmp_path / "old.po", tmp_path / "new.pot", tmp_path / "out.po")
    expected, _ = merge(after, translated_catalog(), "es", COMMENT, "2026-11-18")
    assert (tmp_path / "out.po").read_bytes() == render(expected)
    assert "stale since 2026-11-18" in (tmp_path / "out.po").read_text("utf-8")
    assert (counts.fuzzy, counts.obsoleted) == (1, 3)


def test_the_merge_verb_imports_no_module_of_the_site_build(tmp_path: Path) -> None:
    """`merge` of a large catalog is timed against msgmerge, start-up included."""
    (tmp_path / "old.po").write_bytes(render(translated_catalog()))
    (tmp_path / "new.pot").write_bytes(render(template_catalog(BEFORE, ())))
    script = ("import sys; from pipeline import cli; code = cli.main(sys.argv[1:]); "
              "print(sorted(name for name in sys.modules if name.split('.')[0] in "
              "('rich', 'jinja2', 'markdown_it', 'yaml') or name in ('pipeline.flow', "
              "'pipeline.qa.checks', 'pipeline.config')), code)")
    done = subprocess.run([sys.executable, "-c", script, "-q", "merge", str(tmp_path / "old.po"),
                           str(tmp_path / "new.pot"), "-o", str(tmp_path / "out.po")],
                          capture_output=True, text=True, check=True)
    assert done.stdout == "[] 0\n"


def test_merge_files_reads_a_template_s_entries_as_units(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A POT entry is its own unit when it has no flags; its flags other than format flags
    are dropped as from a Unit."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    units = (unit("Weeks 0 to 10", "recovery.2.1.title"),
             Unit("{count} week", ("p.yaml:weeks",), (), "{count} weeks",
                  ("python-brace-format",)),
             unit("Rest alone usually is not enough.", "misunderstandings.2.1.lead"))
    pot = template_catalog(Template("p", units), ("Template.",))
    flagged = (replace(pot.entries[0], flags=("fuzzy", "no-wrap")), *pot.entries[1:])
    (tmp_path / "old.po").write_bytes(render(translated_catalog()))
    (tmp_path / "new.pot").write_bytes(render(replace(pot, entries=flagged)))
    merge_files(tmp_path / "old.po", tmp_path / "new.pot", tmp_path / "out.po")
    expected, _ = merge(Template("p", units), translated_catalog(), "es", COMMENT, "2026-11-18")
    assert (tmp_path / "out.po").read_bytes() == render(expected)
