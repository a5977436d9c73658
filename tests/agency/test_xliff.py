"""XLIFF 1.2 for agencies: what `xliff export` writes validates against the XLIFF 1.2 schema and
is read by translate-toolkit's XLIFF store; what that store writes back is merged by `xliff
import` as translated or for review, losing no translation; units whose English changed since
the export are refused with their line, and the rest merged."""

from __future__ import annotations

import doctest
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree
from translate.storage.xliff import xlifffile

from pipeline.agency import xliff
from pipeline.memory import tmx
from pipeline.model import UnitStatus
from pipeline.po import pofile, states
from pipeline.po.model import Entry
from tests.conftest import DATA, run_cli, snapshot

PAGE = "source/pages/achilles-tendonitis.yaml"
CATALOG = "locales/es/LC_MESSAGES/achilles-tendonitis.po"
STAIRS = "Pain with running, jumping, and climbing stairs"
HILLS = "Pain with running, jumping, and climbing hills"
NEW = "Swelling that gets worse through the day"
CREAK = "A creaking sensation in the tendon in some cases"
CREAK_OFTEN = "A creaking sensation in the tendons in many cases"


def schema() -> etree.XMLSchema:
    """The XLIFF 1.2 strict schema, importing the XML namespace's schema beside it."""
    folder = DATA / "xliff"
    text = (folder / "xliff-core-1.2-strict.xsd").read_bytes().replace(
        b"http://www.w3.org/2001/xml.xsd", b"xml.xsd")
    return etree.XMLSchema(etree.fromstring(text, base_url=str(folder / "schema.xsd")))


def edit(project: Path, old: str, new: str) -> None:
    path = project / PAGE
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.fixture
def worked(project: Path) -> Path:
    """A project whose Spanish has a stale, a suggested and an untranslated entry."""
    edit(project, STAIRS, HILLS)
    edit(project, f"          - {CREAK}\n", f"          - {CREAK}\n          - {CREAK_OFTEN}\n"
                                            f"          - {NEW}\n")
    run_cli(project, "update")
    return project


def export(project: Path, name: str, *options: str) -> Path:
    out = project / "incoming" / name
    out.parent.mkdir(exist_ok=True)
    run_cli(project, "xliff", "export", "--lang", "es", *options, "-o", str(out))
    return out


def units(path: Path) -> dict[str, object]:
    store = xlifffile.parsefile(str(path))
    return {unit.source: unit for unit in store.units if unit.istranslatable()}


def entry(project: Path, msgid: str, name: str = CATALOG) -> Entry:
    return next(found for found in pofile.read(project / name).entries
                if found.msgid == msgid and not found.obsolete)


def test_the_export_is_valid_xliff_1_2_read_by_translate_toolkit(worked: Path) -> None:
    out = export(worked, "es.xlf")
    document = etree.parse(str(out))
    checker = schema()
    assert checker.validate(document), checker.error_log
    assert export(worked, "again.xlf").read_bytes() == out.read_bytes()
    found = units(out)
    site = pofile.read(worked / "locales/es/LC_MESSAGES/site.po")
    page = pofile.read(worked / CATALOG)
    assert len(found) == sum(1 for catalog in (site, page) for item in catalog.entries
                             if not item.obsolete and item.msgid_plural is None)
    current = found["Symptoms"]
    assert (current.target, current.isfuzzy(), current.isapproved()) == ("Síntomas", False, True)
    stale = found[HILLS]
    assert stale.isfuzzy() and stale.target == entry(worked, HILLS).msgstr
    previous = stale.getalttrans(origin="previous English")
    assert [(alt.source, alt.target) for alt in previous] == [(STAIRS, stale.target)]
    assert "stale since" in stale.getnotes("pipeline")
    suggested = found[CREAK_OFTEN]
    assert suggested.isfuzzy()
    proposals = suggested.getalttrans(origin="achilles-tendonitis")
    assert [alt.source for alt in proposals] == [CREAK]
    assert proposals[0].xmlelement.get("match-quality").isdigit()
    untranslated = found[NEW]
    assert (untranslated.target, untranslated.isfuzzy()) == ("", False)
    summary = found["Achilles tendonitis is pain and stiffness in the heel cord from overuse."]
    assert "heel cord = tendón del talón" in summary.getnotes("glossary")
    assert "source/pages/achilles-tendonitis.yaml:summary.s1" in summary.getnotes("location")
    assert "Summary under the title, sentence 1 of 3" in summary.getnotes("developer")


def test_export_by_state_and_page(worked: Path) -> None:
    out = export(worked, "work.xlf", "--state", "stale,untranslated", "--page",
                 "achilles-tendonitis")
    assert sorted(units(out)) == sorted([HILLS, NEW])
    assert b"site.po" not in out.read_bytes()
    nothing = run_cli(worked, "xliff", "export", "--lang", "de", "--state", "untranslated",
                      "--page", "site", "-o", "incoming/none.xlf")
    assert "no entry of de to export" in nothing.stdout
    assert not (worked / "incoming/none.xlf").exists()
    result = run_cli(worked, "xliff", "export", "--lang", "es", "--state", "done", "-o",
                     "x.xlf", check=False)
    assert (result.returncode, result.stderr) == (
        1, "unknown state done: use current, stale, suggested, untranslated (comma-separated)\n")


def test_translate_toolkit_writes_it_back_and_import_merges_losing_nothing(worked: Path) -> None:
    out = export(worked, "es.xlf")
    store = xlifffile.parsefile(str(out))
    by_source = {unit.source: unit for unit in store.units}
    old_stale = entry(worked, HILLS).msgstr
    suggested = entry(worked, CREAK_OFTEN).msgstr  # the memory's fuzzy suggestion
    translations = {HILLS: "Dolor al correr, saltar y subir cuestas",
                    NEW: "Hinchazón que empeora a lo largo del día",
                    CREAK_OFTEN: "Una sensación de crujido en los tendones en muchos casos",
                    "Symptoms": "Síntomas principales"}
    for source, text in translations.items():
        by_source[source].settarget(text)
        by_source[source].markfuzzy(source == CREAK_OFTEN)  # for review: needs-review-translation
    back = worked / "incoming/es-done.xlf"
    back.write_bytes(bytes(store))
    result = run_cli(worked, "xliff", "import", "incoming/es-done.xlf")
    assert "3 translated, 1 for review (fuzzy)" in result.stdout, result.stdout
    # the stale translation, the current one, and the suggestion (a translator may have
    # rewritten it): replaced, each is kept
    assert "3 replaced translations kept in memory/" in " ".join(result.stdout.split())
    for source in (HILLS, NEW, "Symptoms"):
        merged = entry(worked, source)
        assert (merged.msgstr, states.entry_state(merged).state) == (translations[source],
                                                                     states.State.CURRENT)
        assert merged.previous_msgid is None
        assert not any(note.startswith(states.STALE_SINCE) for note in merged.comments)
    review = entry(worked, CREAK_OFTEN)
    assert (review.msgstr, states.entry_state(review).state) == (translations[CREAK_OFTEN],
                                                                 states.State.SUGGESTED)
    memory = {(unit.source, unit.target) for unit in tmx.read(worked / "memory/es.tmx", "en")}
    assert (STAIRS, old_stale) in memory
    assert ("Symptoms", "Síntomas") in memory
    assert [unit.status for unit in tmx.read(worked / "memory/es.tmx", "en")
            if (unit.source, unit.target) == (CREAK_OFTEN, suggested)] == [UnitStatus.UNTRUSTED]
    run_cli(worked, "update")
    assert run_cli(worked, "update", "--check", check=False).returncode == 0
    assert entry(worked, HILLS).msgstr == translations[HILLS]
    if shutil.which("msgfmt"):
        subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(worked / CATALOG)], check=True)
    again = run_cli(worked, "xliff", "import", "incoming/es-done.xlf")
    assert again.stdout.startswith("xliff import: 0 translated, 0 for review (fuzzy), ")


def _unit_line(path: Path, source: str) -> int:
    """The line of the <trans-unit> whose English is `source`."""
    lines = path.read_text("utf-8").splitlines()
    at = next(number for number, line in enumerate(lines) if f"<source>{source}<" in line)
    return next(number + 1 for number in range(at, -1, -1) if "<trans-unit" in lines[number])


def test_units_whose_english_changed_are_refused_with_their_line(worked: Path) -> None:
    out = export(worked, "es.xlf", "--state", "stale,untranslated")
    store = xlifffile.parsefile(str(out))
    for unit in store.units:
        unit.settarget(f"traducción de: {unit.source}")
        unit.markfuzzy(False)
    back = worked / "incoming/es-done.xlf"
    back.write_bytes(bytes(store))
    edit(worked, NEW, "Swelling that gets worse during the day")
    run_cli(worked, "update")
    before = snapshot(worked / "locales")
    result = run_cli(worked, "xliff", "import", "incoming/es-done.xlf", check=False)
    line = _unit_line(back, NEW)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"incoming/es-done.xlf:{line}: the English of this unit is no longer in {CATALOG} (it "
        f"changed since the export): {NEW!r}; its translation was not merged: export again"]
    assert "1 translated" in result.stdout
    assert entry(worked, HILLS).msgstr == f"traducción de: {HILLS}"
    assert snapshot(worked / "locales") != before


@pytest.mark.parametrize("cut", [0.5, 0.9])
def test_a_truncated_file_writes_nothing(worked: Path, cut: float) -> None:
    out = export(worked, "es.xlf")
    data = out.read_bytes().replace(b'state="new"></target>', b'state="translated">x</target>')
    out.write_bytes(data[:int(len(data) * cut)])
    before = {folder: snapshot(worked / folder) for folder in ("locales", "memory")}
    result = run_cli(worked, "xliff", "import", "incoming/es.xlf", check=False)
    assert result.returncode == 1
    assert result.stderr.startswith("incoming/es.xlf:")
    assert "not well-formed XML" in result.stderr
    assert {folder: snapshot(worked / folder) for folder in ("locales", "memory")} == before


def test_the_examples_in_the_docstrings() -> None:
    assert doctest.testmod(xliff).failed == 0
