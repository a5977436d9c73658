"""The translation memory: scores, language codes, the index, leverage on update, TMX in and out,
and translations that leave the catalogs kept in memory/."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polib
import pytest

from pipeline.memory import index as memory
from pipeline.memory import tmx
from pipeline.memory.index import Source, score
from pipeline.model import MemoryUnit
from tests.conftest import DATA, run_cli, snapshot

PAGE = "source/pages/achilles-tendonitis.yaml"


def test_score_folds_whitespace_and_typographic_quotes() -> None:
    assert score("Every patient's case  is different.",
                 "Every patient\u2019s case is different.") == 100.0
    assert 75 <= score("Weeks 0 to 10", "Weeks 0 to 12") < 100
    assert score("Rest helps.", "Surgery is rarely needed.") < 50


def units(count: int) -> list[MemoryUnit]:
    conditions = ["heel", "knee", "wrist", "shoulder", "ankle", "hip", "elbow", "back"]
    found = []
    for number in range(count):
        place = conditions[number % len(conditions)]
        found.append(MemoryUnit(
            f"Pain in the {place} lasts about {number} weeks with {place} exercise number "
            f"{number * 7}.", f"El dolor de {place} dura unas {number} semanas ({number * 7}).",
            "es", f"page-{number % 50}"))
    return found


def test_index_exact_fuzzy_refresh_and_candidate_filter(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    everything = units(3000)
    index = memory.open_index(tmp_path / "memory.sqlite",
                              [Source("a.po", "1", lambda: everything[:1500]),
                               Source("b.po", "1", lambda: everything[1500:])])
    wanted = everything[2345]
    assert [match.unit for match in index.exact("es", wanted.source)] == [wanted]
    compared: list[str] = []
    real_score = memory.score
    monkeypatch.setattr(memory, "score", lambda a, b: compared.append(b) or real_score(a, b))
    query = wanted.source.replace("about 2345 weeks", "about 2346 weeks")
    best = index.search("es", query, minimum=75, limit=3)
    assert best[0].unit == wanted and 90 < best[0].score < 100
    assert len(compared) <= memory.CANDIDATES < len(everything)
    monkeypatch.undo()

    # A changed file is re-indexed, a removed one dropped, an unchanged one left alone.
    replaced = [MemoryUnit("Rest helps briefly.", "El reposo ayuda brevemente.", "es", "b")]
    assert index.refresh([Source("b.po", "2", lambda: replaced)]) == 1
    assert index.exact("es", wanted.source) == []
    assert [match.unit.target for match in index.exact("es", "Rest helps briefly.")] == \
        ["El reposo ayuda brevemente."]
    index.close()


def _content(index: memory.MemoryIndex) -> tuple[list[tuple[object, ...]], ...]:
    """What an index holds, whatever order its rows were written in."""
    database = index._db
    return (sorted(database.execute("SELECT file, language, source, key, target, origin "
                                    "FROM units").fetchall()),
            sorted(database.execute("SELECT language, term, docs FROM terms").fetchall()),
            sorted(database.execute("SELECT u.source, u.target, f.terms FROM units u "
                                    "JOIN units_fts f ON f.rowid = u.id").fetchall()),
            sorted(database.execute("SELECT path, digest FROM files").fetchall()))


def test_a_refresh_changes_only_what_changed_and_equals_a_fresh_index(tmp_path: Path) -> None:
    everything = units(400)
    edited = [*everything[:150], MemoryUnit("Rest helps briefly.", "Reposo breve.", "es", "x"),
              everything[150], everything[150], *everything[170:200]]  # a duplicate, some gone
    index = memory.open_index(tmp_path / "old.sqlite", [
        Source("a.po", "1", lambda: everything[:200]),
        Source("b.po", "1", lambda: everything[200:]),
        Source("c.po", "1", lambda: everything[:10])])
    kept = dict(index._db.execute("SELECT source, id FROM units WHERE file = 'a.po'").fetchall())
    sources = [Source("a.po", "2", lambda: edited), Source("b.po", "1", lambda: everything[200:])]
    assert index.refresh(sources) == 1
    fresh = memory.open_index(tmp_path / "new.sqlite", sources)
    assert _content(index) == _content(fresh)
    ids = dict(index._db.execute("SELECT source, id FROM units WHERE file = 'a.po'").fetchall())
    assert all(ids[unit.source] == kept[unit.source] for unit in everything[:150])  # untouched
    query = everything[180].source.replace("weeks", "days")
    assert index.search("es", query, minimum=60) == fresh.search("es", query, minimum=60)
    index.close()
    fresh.close()


def test_a_damaged_index_is_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "memory.sqlite"
    path.write_bytes(b"this is not a database")
    index = memory.open_index(path, [Source("a.po", "1", lambda: units(3))])
    assert len(index.units("es")) == 3
    index.close()


def edit(project: Path, old: str, new: str, page: str = PAGE) -> None:
    path = project / page
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def second_page(project: Path) -> Path:
    """A new page that shares a sentence with the Achilles page and nearly shares another."""
    text = (project / PAGE).read_text(encoding="utf-8")
    text = text.replace("slug: achilles-tendonitis", "slug: plantar-fasciitis")
    text = text.replace("title: Weeks 0 to 12", "title: Weeks 0 to 10")
    text = text.replace("Tenderness and sometimes thickening of the tendon",
                        "Tenderness and sometimes thickening of the fascia")
    path = project / "source/pages/plantar-fasciitis.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_update_fills_exact_matches_and_suggests_fuzzy_ones(project: Path) -> None:
    second_page(project)
    result = run_cli(project, "update")
    assert "plantar-fasciitis" in result.stdout
    catalog = polib.pofile(str(project / "locales/es/LC_MESSAGES/plantar-fasciitis.po"))
    exact = catalog.find("Improvement is gradual.")
    assert exact.msgstr == "La mejoría es gradual." and "fuzzy" not in exact.flags
    assert "memory: 100% from achilles-tendonitis" in exact.comment
    weeks = catalog.find("Weeks 0 to 10")
    assert weeks.msgstr == "Semanas 0 a 12" and "fuzzy" in weeks.flags
    assert weeks.previous_msgid is None, "a suggestion, not a stale translation"
    assert "memory: 94% from achilles-tendonitis: Weeks 0 to 12 (numbers, units or negations " \
           "differ: removed 12; added 10)" in weeks.comment
    report = json.loads(run_cli(project, "status", "--json", "--lang", "es",
                                "--page", "plantar-fasciitis").stdout)
    assert report["catalogs"][0]["entries"]["suggested"] == 2
    run_cli(project, "build")
    page = json.loads((project / "outputs/es/plantar-fasciitis.json").read_text("utf-8"))
    steps = page["sections"][5]["blocks"][1]["steps"]
    assert steps[0]["title"]["segments"][0]["reason"] == "suggested"


def test_a_memory_note_leaves_once_the_translation_is_rewritten(project: Path) -> None:
    second_page(project)
    run_cli(project, "update")
    path = project / "locales/es/LC_MESSAGES/plantar-fasciitis.po"
    catalog = polib.pofile(str(path))
    filled = [entry for entry in catalog if "memory: 100% from" in entry.comment]
    assert len(filled) >= 2
    rewritten, untouched = filled[0], filled[1]
    rewritten.msgstr = rewritten.msgstr + " (revisado)"
    catalog.save()
    run_cli(project, "update")
    after = polib.pofile(str(path))
    assert after.find(rewritten.msgid).msgstr == rewritten.msgstr
    assert "memory:" not in after.find(rewritten.msgid).comment
    assert "memory: 100% from achilles-tendonitis" in after.find(untouched.msgid).comment
    run_cli(project, "update")
    assert polib.pofile(str(path)).find(untouched.msgid).comment == \
        after.find(untouched.msgid).comment


def test_leverage_never_overwrites_a_translators_work(project: Path) -> None:
    second_page(project)
    run_cli(project, "update")
    path = project / "locales/es/LC_MESSAGES/plantar-fasciitis.po"
    catalog = polib.pofile(str(path))
    mine = catalog.find("Improvement is gradual.")
    mine.msgstr = "La mejoría llega poco a poco."
    catalog.find("Weeks 0 to 10").msgstr = ""
    catalog.find("Weeks 0 to 10").flags.remove("fuzzy")
    catalog.save()
    run_cli(project, "update")
    again = polib.pofile(str(path))
    assert again.find("Improvement is gradual.").msgstr == "La mejoría llega poco a poco."
    assert "fuzzy" in again.find("Weeks 0 to 10").flags, "an empty entry is offered again"


def test_export_delete_the_cache_import_same_lookups(project: Path, tmp_path: Path) -> None:
    run_cli(project, "update")
    before = run_cli(project, "memory", "search", "Weeks 0 to 10", "--lang", "es", "--json").stdout
    run_cli(project, "memory", "export", "--lang", "es", "-o", str(tmp_path / "es.tmx"))
    exported = tmx.read(tmp_path / "es.tmx", "en")
    assert len(exported) == 84  # the plural site string among them, with its forms
    assert [unit.forms for unit in exported if unit.plural] == [
        ("{count} página", "{count} páginas")]

    fresh = tmp_path / "fresh"
    shutil.copytree(project, fresh)
    shutil.rmtree(fresh / ".cache")
    shutil.rmtree(fresh / "locales/es")
    result = run_cli(fresh, "memory", "import", str(tmp_path / "es.tmx"))
    assert "kept 84 es" in result.stdout
    assert (fresh / "memory/es.tmx").exists()
    after = run_cli(fresh, "memory", "search", "Weeks 0 to 10", "--lang", "es", "--json").stdout
    assert json.loads(after)[0]["translation"] == json.loads(before)[0]["translation"]
    stats = json.loads(run_cli(fresh, "memory", "stats", "--json").stdout)
    assert {"language": "es", "origin": "imported", "units": 84} in stats


@pytest.mark.parametrize("trusted", [False, True])
def test_a_new_language_starts_prefilled_from_an_imported_tmx(project: Path, tmp_path: Path,
                                                             trusted: bool) -> None:
    french = [MemoryUnit("Improvement is gradual.", "L'amélioration est progressive.", "fr-FR",
                         "agency"),
              MemoryUnit("Weeks 0 to 12", "Semaines 0 à 12", "fr-FR", "agency")]
    (tmp_path / "fr.tmx").write_bytes(tmx.render(french, "en-US"))
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text("utf-8").replace(
        'languages = ["es", "de", "ar"]', 'languages = ["es", "de", "ar", "fr"]'), "utf-8")
    run_cli(project, "memory", "import", str(tmp_path / "fr.tmx"), *["--trusted"] * trusted)
    run_cli(project, "update")
    catalog = polib.pofile(str(project / "locales/fr/LC_MESSAGES/achilles-tendonitis.po"))
    entry = catalog.find("Improvement is gradual.")
    assert entry.msgstr == "L'amélioration est progressive."
    assert catalog.find("Weeks 0 to 12").msgstr == "Semaines 0 à 12"
    assert catalog.metadata["Language"] == "fr"
    # nobody read an agency's memory in this page's context: a suggestion until accepted
    assert entry.fuzzy != trusted
    assert ("memory: 100% from agency (untrusted, for review)" in entry.comment) != trusted
    status = json.loads(run_cli(project, "status", "--json").stdout)
    page = next(item for item in status["catalogs"]
                if item["language"] == "fr" and item["domain"] == "achilles-tendonitis")
    assert (page["entries"]["suggested"] > 0) != trusted


def test_a_removed_page_leaves_its_translations_in_memory(project: Path) -> None:
    second_page(project)
    run_cli(project, "update")
    path = project / "locales/es/LC_MESSAGES/plantar-fasciitis.po"
    catalog = polib.pofile(str(path))
    accepted = catalog.find("Tenderness and sometimes thickening of the fascia")
    accepted.msgstr = "Dolor a la palpación y, a veces, engrosamiento de la fascia"
    accepted.flags.remove("fuzzy")
    catalog.save()
    (project / "source/pages/plantar-fasciitis.yaml").unlink()
    run_cli(project, "update")
    assert not path.exists()
    assert not (project / "locales/templates/plantar-fasciitis.pot").exists()
    kept = {(unit.source, unit.target): unit for unit in
            tmx.read(project / "memory/es.tmx", "en")}
    unit = kept["Tenderness and sometimes thickening of the fascia",
                "Dolor a la palpación y, a veces, engrosamiento de la fascia"]
    assert unit.origin == "archive:plantar-fasciitis"
    found = json.loads(run_cli(project, "memory", "search", "Tenderness and sometimes "
                               "thickening of the fascia", "--lang", "es", "--json").stdout)
    assert found[0]["score"] == 100.0 and found[0]["origin"] == "archive:plantar-fasciitis"


def test_pruned_obsolete_entries_go_to_memory(project: Path) -> None:
    edit(project, "          - Load and training-volume management\n", "")
    run_cli(project, "update")
    es = project / "locales/es/LC_MESSAGES/achilles-tendonitis.po"
    assert polib.pofile(str(es)).obsolete_entries()
    run_cli(project, "update", "--prune-obsolete")
    assert not polib.pofile(str(es)).obsolete_entries()
    kept = {unit.source: unit for unit in tmx.read(project / "memory/es.tmx", "en")}
    assert kept["Load and training-volume management"].origin == "archive:achilles-tendonitis"


def test_a_malformed_tmx_imports_nothing(project: Path) -> None:
    before = snapshot(project / "locales")
    result = run_cli(project, "memory", "import", str(DATA / "tmx/malformed.tmx"), check=False)
    assert result.returncode == 1
    assert f"{DATA / 'tmx/malformed.tmx'}:8:" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "memory").exists()
    assert snapshot(project / "locales") == before


def test_search_rejects_an_unknown_language(project: Path) -> None:
    result = run_cli(project, "memory", "search", "Rest", "--lang", "fr", check=False)
    assert result.returncode == 1 and "not a configured language: fr" in result.stderr
