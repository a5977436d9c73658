"""An update leaves unread the catalogs a merge would write back as they are, and its catalogs
and report are those of an update that merges every catalog (docs/performance.md)."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline import flow
from pipeline.config import load_settings
from pipeline.errors import PipelineError
from pipeline.po import history, pofile
from pipeline.po.model import Entry
from pipeline.skip import updates
from tests.conftest import copy_project, snapshot

PAGE = "source/pages/achilles-tendonitis.yaml"


def _update(root: Path) -> list[tuple[str, str, str, object, bool]]:
    results = flow.update(load_settings(root), workers=1)
    return [(result.path.relative_to(root).as_posix(), result.language, result.domain,
             result.counts, result.changed) for result in results]


def _full_update(root: Path) -> list[tuple[str, str, str, object, bool]]:
    """An update that merges every catalog: with no record of the last update."""
    (root / ".cache" / updates.UPDATES).unlink(missing_ok=True)
    return _update(root)


def _translate_one_untranslated(root: Path) -> None:
    """A translator translates the first untranslated entry of the Arabic page catalog."""
    path = root / "locales/ar/LC_MESSAGES/achilles-tendonitis.po"
    catalog = pofile.read(path)
    first = next(index for index, entry in enumerate(catalog.entries)
                 if not entry.obsolete and not entry.translated and entry.msgid_plural is None)
    entries = list(catalog.entries)
    entries[first] = replace(entries[first], msgstr=f"ES {entries[first].msgid}")
    path.write_bytes(pofile.render(replace(catalog, entries=tuple(entries))))


def _edit_english(root: Path) -> None:
    page = root / PAGE
    page.write_text(page.read_text("utf-8").replace("title: Weeks 0 to 12",
                                                    "title: Weeks 0 to 10"), "utf-8")


def _edit_glossary(root: Path) -> None:
    path = root / "glossary/es.yaml"
    path.write_text(path.read_text("utf-8").replace(
        "translation: pantorrilla", "translation: pantorrilla (gemelos)"), "utf-8")


def test_an_update_with_nothing_to_do_reads_no_catalog(project: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    first = _update(project)
    before = snapshot(project / "locales")
    read: list[Path] = []
    for module, name in ((pofile, "read"), (pofile, "file_bytes"), (history, "read_catalog")):
        real = getattr(module, name)
        monkeypatch.setattr(module, name,
                            lambda path, real=real: read.append(path) or real(path))
    again = _update(project)
    assert read == []
    assert snapshot(project / "locales") == before
    assert again == [(path, language, domain, counts, False)
                     for path, language, domain, counts, _ in _full_update(project)]
    assert [row[:3] for row in again] == [row[:3] for row in first]


def test_an_update_equals_one_that_merges_every_catalog(tmp_path: Path) -> None:
    """Two copies of the project take the same edits; one updates with its records of the
    last update, the other merges every catalog; their catalogs and reports stay the same."""
    ours = copy_project(tmp_path / "ours")
    full = copy_project(tmp_path / "full")
    steps = [lambda root: None, lambda root: None, _edit_english, _translate_one_untranslated,
             lambda root: None, _edit_glossary, _translate_one_untranslated, lambda root: None]
    for step in steps:
        step(ours)
        step(full)
        assert _update(ours) == _full_update(full)
        assert snapshot(ours / "locales") == snapshot(full / "locales")


def test_a_translation_in_the_memory_reaches_a_catalog_left_unread_before(
        project: Path) -> None:
    """The Arabic page catalog asks the memory about its untranslated English; once another
    catalog holds a translation of it, the page catalog is merged again and offered it."""
    _update(project)
    page = project / "locales/ar/LC_MESSAGES/achilles-tendonitis.po"
    english = next(entry.msgid for entry in pofile.read(page).entries
                   if not entry.translated and entry.msgid_plural is None)
    site = project / "locales/ar/LC_MESSAGES/site.po"
    catalog = pofile.read(site)
    site.write_bytes(pofile.render(replace(catalog, entries=(*catalog.entries, Entry(
        english, "ترجمة من الذاكرة", obsolete=True)))))
    _update(project)
    offered = {entry.msgid: entry for entry in pofile.read(page).entries}
    assert offered[english].msgstr == "ترجمة من الذاكرة"


def test_a_check_writes_no_record_and_a_damaged_catalog_is_still_reported(
        project: Path) -> None:
    settings = load_settings(project)
    flow.update(settings, write=False, workers=1)
    assert not (project / ".cache" / updates.UPDATES).exists()
    flow.update(settings, workers=1)
    assert (project / ".cache" / updates.UPDATES).exists()
    path = project / "locales/de/LC_MESSAGES/achilles-tendonitis.po"
    path.write_text(path.read_text("utf-8").replace('msgstr "', 'msgstr "\n', 1), "utf-8")
    with pytest.raises(PipelineError, match=r"de/LC_MESSAGES/achilles-tendonitis\.po"):
        flow.update(settings, workers=1)


def test_an_unreadable_record_table_costs_only_time(project: Path) -> None:
    _update(project)
    table = project / ".cache" / updates.UPDATES
    table.write_bytes(b"not JSON")
    assert _update(project) == _full_update(project)
    shutil.rmtree(project / ".cache")
    assert _update(project) == _full_update(project)


def test_extract_makes_again_only_the_template_files_that_would_change(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load_settings(project)
    flow.extract(settings)
    pot = project / "locales/templates/achilles-tendonitis.pot"
    before = pot.read_bytes()
    rendered: list[object] = []
    real = pofile.render
    monkeypatch.setattr(pofile, "render",
                        lambda catalog: rendered.append(catalog) or real(catalog))
    assert not any(item.changed for item in flow.extract(settings))
    assert rendered == []
    pot.write_text("edited by hand\n", "utf-8")
    assert [item.path for item in flow.extract(settings) if item.changed] == [pot]
    assert pot.read_bytes() == before
    pot.unlink()
    assert [item.path for item in flow.extract(settings, write=False) if item.changed] == [pot]
    assert not pot.exists()
    flow.extract(settings)
    assert pot.read_bytes() == before
    _edit_english(project)
    (edited,) = [item.path for item in flow.extract(settings) if item.changed]
    assert edited == pot and b"Weeks 0 to 10" in pot.read_bytes()
    new_page = project / "source/pages/heel-pain.yaml"
    new_page.write_text((project / PAGE).read_text("utf-8").replace(
        "slug: achilles-tendonitis", "slug: heel-pain"), "utf-8")
    flow.extract(settings)
    assert (project / "locales/templates/heel-pain.pot").exists()
