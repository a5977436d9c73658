"""Measured quality: on a corpus of real edits, the memory's fuzzy suggestions are compared with
GNU msgmerge's on the same catalogs, by recall and precision of the right old translation."""

from __future__ import annotations

import random
import subprocess
from dataclasses import dataclass
from pathlib import Path

import polib
import pytest

from pipeline.memory import index as memory
from pipeline.memory.index import Source
from pipeline.model import MemoryUnit, Template, Unit
from pipeline.po import pofile
from pipeline.po.catalogs import merge
from pipeline.po.model import Catalog, Entry
from tests.conftest import ROOT

TEMPLATES = [
    ("Rest for {a} weeks, then walk for {b} minutes a day.",
     "Descanse {a} semanas y luego camine {b} minutos al día."),
    ("Take {a} mg of ibuprofen up to {b} times a day with food.",
     "Tome {a} mg de ibuprofeno hasta {b} veces al día con comida."),
    ("Hold each calf stretch for {a} seconds and repeat it {b} times.",
     "Mantenga cada estiramiento de pantorrilla {a} segundos y repítalo {b} veces."),
    ("Most patients return to running after {a} to {b} months.",
     "La mayoría de los pacientes vuelve a correr después de {a} a {b} meses."),
    ("Ice the heel for {a} minutes every {b} hours during the first days.",
     "Aplique hielo en el talón {a} minutos cada {b} horas durante los primeros días."),
]
VALUES = [(2, 10), (3, 15), (4, 20), (6, 30)]
REWORDINGS = [("structured", "progressive"), ("tendon", "Achilles tendon"),
              ("pain", "discomfort"), ("is avoided", "is not recommended"), ("program", "plan"),
              ("heel", "back of the heel")]


@dataclass(frozen=True)
class Edit:
    new: str
    old: str  # the English the edited sentence came from: its right translation is the old one's


def corpus() -> tuple[dict[str, str], list[Edit]]:
    """The old English with its Spanish, and a deterministic set of edits of it."""
    spanish = pofile.read(ROOT / "locales/es/LC_MESSAGES/achilles-tendonitis.po")
    old = {entry.msgid: entry.msgstr for entry in spanish.entries
           if entry.msgstr and not entry.obsolete}
    for english, translation in TEMPLATES:
        for a, b in VALUES:
            old[english.format(a=a, b=b)] = translation.format(a=a, b=b)
    rng = random.Random(20261125)
    edits = []
    for english, _ in TEMPLATES:  # a number changes: the near-duplicates must not be confused
        for a, b in VALUES[1:3]:
            edits.append(Edit(english.format(a=a, b=b + 1), english.format(a=a, b=b)))
    sentences = sorted(sentence for sentence in old if len(sentence.split()) >= 6
                       and sentence not in {edit.old for edit in edits})
    for sentence in rng.sample(sentences, 24):
        words = [word for word in REWORDINGS if word[0] in sentence]
        if words:  # a reworded phrase
            before, after = rng.choice(words)
            edits.append(Edit(sentence.replace(before, after, 1), sentence))
        elif rng.random() < 0.5:  # a clause appended
            edits.append(Edit(sentence.rstrip(".") + ", as your doctor advises.", sentence))
        else:  # a clause removed
            edits.append(Edit(sentence.rsplit(",", 1)[0] + "." if "," in sentence
                              else "In short, " + sentence[0].lower() + sentence[1:], sentence))
    return old, edits


def score(suggestions: dict[str, str], edits: list[Edit],
          old: dict[str, str]) -> tuple[float, float]:
    right = sum(1 for edit in edits if suggestions.get(edit.new) == old[edit.old])
    made = sum(1 for edit in edits if suggestions.get(edit.new))
    return right / len(edits), (right / made if made else 0.0)


def by_msgmerge(tmp_path: Path, old: dict[str, str], new: list[str]) -> dict[str, str]:
    old_po, new_pot = polib.POFile(), polib.POFile()
    for po in (old_po, new_pot):
        po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "es",
                       "Plural-Forms": "nplurals=2; plural=(n != 1);"}
    for english, translation in old.items():
        old_po.append(polib.POEntry(msgid=english, msgstr=translation))
    for english in new:
        new_pot.append(polib.POEntry(msgid=english, msgstr=""))
    old_po.save(str(tmp_path / "old.po"))
    new_pot.save(str(tmp_path / "new.pot"))
    merged = subprocess.run(["msgmerge", "--quiet", "-o", "-", str(tmp_path / "old.po"),
                             str(tmp_path / "new.pot")], capture_output=True, text=True,
                            check=True).stdout
    return {entry.msgid: entry.msgstr for entry in polib.pofile(merged)
            if "fuzzy" in entry.flags and not entry.obsolete}


def by_memory(tmp_path: Path, old: dict[str, str], new: list[str]) -> dict[str, str]:
    units = [MemoryUnit(english, translation, "es", "old") for english, translation in old.items()]
    index = memory.open_index(tmp_path / "memory.sqlite", [Source("old.po", "1", lambda: units)])
    found = {}
    for english in new:
        match = index.suggest("es", english, 75.0)
        if match is not None and not match.exact:
            found[english] = match.unit.target
    index.close()
    return found


def by_merge(old: dict[str, str], new: list[str]) -> dict[str, str]:
    template = Template("t", tuple(Unit(english, (), ()) for english in new))
    catalog = Catalog((), (), tuple(Entry(english, translation)
                                           for english, translation in old.items()))
    merged, _ = merge(template, catalog, "es", (), "2026-11-25")
    return {entry.msgid: entry.msgstr for entry in merged.entries
            if entry.fuzzy and not entry.obsolete}


def test_memory_suggests_the_right_translation_at_least_as_well_as_msgmerge(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, edits = corpus()
    edited = {edit.old for edit in edits}
    new = [edit.new for edit in edits] + [english for english in old if english not in edited]
    results = {
        "GNU msgmerge": score(by_msgmerge(tmp_path, old, new), edits, old),
        "memory (75%)": score(by_memory(tmp_path, old, new), edits, old),
        "pipeline merge": score(by_merge(old, new), edits, old),
    }
    with capsys.disabled():
        print(f"\nfuzzy suggestions for {len(edits)} edited sentences among {len(old)}:")
        for name, (recall, precision) in results.items():
            print(f"  {name:15} recall {recall:.2f}  precision {precision:.2f}")
    msgmerge_recall, msgmerge_precision = results["GNU msgmerge"]
    memory_recall, memory_precision = results["memory (75%)"]
    assert memory_recall >= msgmerge_recall
    assert memory_precision >= msgmerge_precision
    assert len(edits) >= 30
