"""The whole workflow through the CLI: extract, translate, edit the English, update, build."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

from pipeline.po import pofile
from tests.conftest import run_cli, snapshot
from tests.htmltext import Document

PAGE = "source/pages/achilles-tendonitis.yaml"
ES = "locales/es/LC_MESSAGES/achilles-tendonitis.po"


def translate_everything(path: Path, marker: str) -> dict[str, str]:
    """Do a translator's work: give every active entry a translation; return them by English."""
    catalog = pofile.read(path)
    entries = []
    for entry in catalog.entries:
        if not entry.obsolete and entry.msgid_plural:
            entry = replace(entry, msgstr_plural=tuple(f"{marker} {entry.msgid}"
                                                        for _ in entry.msgstr_plural))
        elif not entry.obsolete:
            entry = replace(entry, msgstr=f"{marker} {entry.msgid}", flags=())
        entries.append(entry)
    path.write_bytes(pofile.render(replace(catalog, entries=tuple(entries))))
    return {entry.msgid: entry.msgstr for entry in entries if not entry.msgid_plural}


def edit(project: Path, old: str, new: str) -> None:
    path = project / PAGE
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_extract_translate_edit_update_build(project: Path) -> None:
    shutil.rmtree(project / "locales")
    run_cli(project, "extract")
    assert (project / "locales/templates/achilles-tendonitis.pot").exists()
    assert (project / "locales/templates/site.pot").exists()
    run_cli(project, "update")
    for language in ("es", "de", "ar"):
        for domain in ("site", "achilles-tendonitis"):
            assert (project / f"locales/{language}/LC_MESSAGES/{domain}.po").exists()
    translations = translate_everything(project / ES, "ES")
    translate_everything(project / "locales/es/LC_MESSAGES/site.po", "ES")

    run_cli(project, "build")
    spanish = Document((project / "outputs/es/achilles-tendonitis.html").read_text("utf-8"))
    assert not spanish.find_all("span", lang="en"), "a complete translation has no fallback"
    assert "ES Improvement is gradual." in spanish.text

    # The English changes: one sentence edited, one list item added, one deleted.
    edit(project, "Improvement is gradual.", "Improvement is slow but steady.")
    edit(project, "          - A creaking sensation in the tendon in some cases\n",
         "          - A creaking sensation in the tendon in some cases\n"
         "          - Swelling at the back of the heel\n")
    edit(project, "          - Load and training-volume management\n", "")
    run_cli(project, "update")

    catalog = pofile.read(project / ES)
    by_id = {entry.msgid: entry for entry in catalog.entries}
    changed = by_id["Improvement is slow but steady."]
    assert changed.fuzzy and changed.previous_msgid == "Improvement is gradual."
    assert changed.msgstr == "ES Improvement is gradual."
    removed = by_id["Load and training-volume management"]
    assert removed.obsolete and removed.msgstr == "ES Load and training-volume management"
    assert by_id["Swelling at the back of the heel"].msgstr == ""
    kept = {entry.msgstr for entry in catalog.entries}
    assert set(translations.values()) <= kept, "no translation is lost"
    for path in (project / "locales").rglob("*.po*"):
        canonical = subprocess.run(["msgcat", str(path)], capture_output=True, check=True)
        assert canonical.stdout == path.read_bytes(), f"{path} is not canonical"
        subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], check=True,
                       capture_output=True)

    run_cli(project, "build")
    spanish = Document((project / "outputs/es/achilles-tendonitis.html").read_text("utf-8"))
    fallbacks = [text for _, text in spanish.find_all("span", lang="en")]
    assert "Improvement is slow but steady." in fallbacks, "a fuzzy translation is not published"
    assert "Swelling at the back of the heel" in fallbacks
    assert "ES Improvement is gradual." not in spanish.text
    assert spanish.find_all("p", **{"class": "notice", "role": "note"})
    assert spanish.find_all("html", lang="es", dir="ltr")


def test_nothing_changes_when_nothing_changed(project: Path) -> None:
    run_cli(project, "update")
    run_cli(project, "build")
    before = {folder: snapshot(project / folder) for folder in ("locales", "outputs", "memory")}
    result = run_cli(project, "update")
    run_cli(project, "build")
    assert {folder: snapshot(project / folder) for folder in before} == before
    assert "yes" not in result.stdout


def test_an_edited_sentence_changes_only_its_own_entry(project: Path) -> None:
    run_cli(project, "update")
    before = (project / ES).read_text(encoding="utf-8").split("\n\n")
    edit(project, "Improvement is gradual.", "Improvement is slow but steady.")
    run_cli(project, "update")
    after = (project / ES).read_text(encoding="utf-8").split("\n\n")
    assert len(before) == len(after)
    differing = [(old, new) for old, new in zip(before, after, strict=True) if old != new]
    assert len(differing) == 1
    assert 'msgid "Improvement is slow but steady."' in differing[0][1]
    assert '#| msgid "Improvement is gradual."' in differing[0][1]


def test_two_builds_are_byte_identical_and_a_removed_page_loses_its_outputs(
        project: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(project, other)
    run_cli(project, "build")
    run_cli(other, "build")
    assert snapshot(project / "outputs") == snapshot(other / "outputs")

    copy = project / "source/pages/second-page.yaml"
    copy.write_text((project / PAGE).read_text(encoding="utf-8").replace(
        "slug: achilles-tendonitis", "slug: second-page"), encoding="utf-8")
    run_cli(project, "build")
    assert (project / "outputs/en/second-page.html").exists()
    assert not (project / "outputs/ar/second-page.html").exists(), "untranslated: unpublished"
    copy.unlink()
    run_cli(project, "build")
    assert not list((project / "outputs").rglob("second-page.*"))
    assert snapshot(project / "outputs") == snapshot(other / "outputs")


def test_status_counts_entries_and_words(project: Path) -> None:
    import json

    run_cli(project, "update")
    result = run_cli(project, "status", "--json")
    report = json.loads(result.stdout)
    rows = {(row["language"], row["domain"]): row for row in report["catalogs"]}
    assert set(rows) == {(language, domain) for language in ("es", "de", "ar")
                         for domain in ("site", "achilles-tendonitis")}
    page = rows["es", "achilles-tendonitis"]
    assert sum(page["entries"].values()) == 69
    table = run_cli(project, "status").stdout
    assert "achilles-tendonitis" in table and "all pages" in table


def test_update_check_finds_stale_catalogs_and_writes_nothing(project: Path) -> None:
    assert run_cli(project, "update", "--check").returncode == 0
    edit(project, "Improvement is gradual.", "Improvement is slow but steady.")
    before = snapshot(project / "locales")
    result = run_cli(project, "update", "--check", check=False)
    assert result.returncode == 1
    assert "locales/es/LC_MESSAGES/achilles-tendonitis.po: out of date" in result.stderr
    assert "locales/templates/achilles-tendonitis.pot: out of date" in result.stderr
    assert "site.po" not in result.stderr
    assert snapshot(project / "locales") == before


def test_a_language_with_a_region_and_one_with_a_script_go_through_every_verb(
        project: Path) -> None:
    settings = project / "pyproject.toml"
    settings.write_text(settings.read_text("utf-8").replace(
        'languages = ["es", "de", "ar"]', 'languages = ["es", "pt-BR", "zh-Hant"]'), "utf-8")
    run_cli(project, "update")
    catalog = project / "locales/pt-BR/LC_MESSAGES/achilles-tendonitis.po"
    translate_everything(catalog, "PT")
    run_cli(project, "build")
    page = Document((project / "outputs/pt-BR/achilles-tendonitis.html").read_text("utf-8"))
    assert page.find_all("html")[0][0]["lang"] == "pt-BR"
    assert "PT " in page.text
    assert '"zh-Hant"' in (project / "outputs/index.json").read_text("utf-8")
    assert "Português" in (project / "outputs/es/achilles-tendonitis.html").read_text("utf-8")
    run_cli(project, "status")
