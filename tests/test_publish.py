"""Incremental and parallel builds: a no-op writes nothing, any change gives exactly the bytes of
a clean build, and a parallel build equals a serial one; the merge verb works on any pair."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest

from pipeline import extracting, flow
from pipeline.build import localizing
from pipeline.config import load_settings
from pipeline.render.outputs import BuildResult
from pipeline.runtime.parallel import PARALLEL_FROM
from pipeline.skip import builds
from tests.conftest import run_cli, snapshot

PAGE = "source/pages/achilles-tendonitis.yaml"


def stats(folder: Path) -> dict[str, int]:
    return {path.relative_to(folder).as_posix(): path.stat().st_mtime_ns
            for path in folder.rglob("*") if path.is_file()}


def clean_build(project: Path, tmp_path: Path) -> dict[str, bytes]:
    clean = tmp_path / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    shutil.copytree(project, clean, ignore=shutil.ignore_patterns("outputs", ".cache"))
    run_cli(clean, "build")
    return snapshot(clean / "outputs")


def test_a_no_op_rebuild_writes_nothing(project: Path) -> None:
    run_cli(project, "build")
    before = stats(project / "outputs")
    result = run_cli(project, "build")
    assert "0 page versions built, 0 files written" in result.stdout
    assert stats(project / "outputs") == before


def test_every_kind_of_change_gives_a_clean_builds_bytes(project: Path, tmp_path: Path) -> None:
    run_cli(project, "build")
    page = project / PAGE
    page.write_text(page.read_text("utf-8").replace("Improvement is gradual.",
                                                    "Improvement is slow."), "utf-8")
    run_cli(project, "build")
    assert snapshot(project / "outputs") == clean_build(project, tmp_path)

    catalog_path = project / "locales/de/LC_MESSAGES/achilles-tendonitis.po"
    catalog = polib.pofile(str(catalog_path))
    catalog.find("Symptoms").msgstr = "Beschwerden"
    catalog.save()
    run_cli(project, "build")
    assert snapshot(project / "outputs") == clean_build(project, tmp_path)
    assert "Beschwerden" in (project / "outputs/de/achilles-tendonitis.html").read_text("utf-8")

    (project / "outputs/es/achilles-tendonitis.html").unlink()
    (project / "outputs/stray.html").write_text("left over", "utf-8")
    (project / "outputs/index.json").write_text("{}", "utf-8")
    (project / "outputs/de/index.html").write_text("edited by hand", "utf-8")
    run_cli(project, "build")
    # a file the build did not make is not the build's to delete
    assert snapshot(project / "outputs") == {**clean_build(project, tmp_path),
                                             "stray.html": b"left over"}
    (project / "outputs/stray.html").unlink()

    # without the listings the state goes with, a build starts clean and ends the same
    (project / ".cache" / builds.LISTINGS_FILE).unlink()
    (project / "outputs/es/index.html").unlink()
    assert len(flow.build(load_settings(project)).rebuilt) == len(languages(project))
    assert snapshot(project / "outputs") == clean_build(project, tmp_path)


def many_pages(project: Path, count: int) -> None:
    text = (project / PAGE).read_text("utf-8")
    for number in range(count):
        slug = f"condition-{number:02d}"
        (project / f"source/pages/{slug}.yaml").write_text(
            text.replace("slug: achilles-tendonitis", f"slug: {slug}"), "utf-8")


def languages(project: Path) -> tuple[str, ...]:
    return localizing.build_languages(load_settings(project))


def written(result: BuildResult, project: Path) -> set[str]:
    return {path.relative_to(project / "outputs").as_posix() for path in result.written}


def test_editing_one_page_builds_that_page_in_every_language(project: Path,
                                                               tmp_path: Path) -> None:
    many_pages(project, 3)
    first = flow.build(load_settings(project))
    assert len(first.rebuilt) == 4 * len(languages(project))
    page = project / "source/pages/condition-01.yaml"
    page.write_text(page.read_text("utf-8").replace("Improvement is gradual.",
                                                    "Improvement is slow."), "utf-8")
    result = flow.build(load_settings(project))
    assert set(result.rebuilt) == {("condition-01", language) for language in languages(project)}
    assert written(result, project) == {"en/condition-01.html", "en/condition-01.json",
                                        "en-XA/condition-01.html", "en-XA/condition-01.json",
                                        "ar-XB/condition-01.html", "ar-XB/condition-01.json"}
    assert snapshot(project / "outputs") == clean_build(project, tmp_path)


def test_editing_one_catalog_builds_only_that_languages_page(project: Path,
                                                             tmp_path: Path) -> None:
    many_pages(project, 2)
    flow.build(load_settings(project))
    path = project / "locales/de/LC_MESSAGES/achilles-tendonitis.po"
    catalog = polib.pofile(str(path))
    catalog.find("Symptoms").msgstr = "Beschwerden"
    catalog.save()
    result = flow.build(load_settings(project))
    assert result.rebuilt == (("achilles-tendonitis", "de"),)
    assert written(result, project) == {"de/achilles-tendonitis.html",
                                        "de/achilles-tendonitis.json"}
    assert snapshot(project / "outputs") == clean_build(project, tmp_path)

    # a new title shows in the language's index page and the manifest, not other languages'
    catalog.find("Achilles Tendonitis").msgstr = "Achillessehnenreizung"
    catalog.save()
    result = flow.build(load_settings(project))
    assert written(result, project) == {"de/achilles-tendonitis.html", "de/index.html",
                                        "de/achilles-tendonitis.json", "index.json"}
    assert snapshot(project / "outputs") == clean_build(project, tmp_path)

    # a change of the language's status shows in every language's page: all are built again
    catalog.find("Symptoms").flags.append("fuzzy")
    catalog.save()
    result = flow.build(load_settings(project))
    assert set(result.rebuilt) == {("achilles-tendonitis", language)
                                   for language in languages(project)}
    assert "es/achilles-tendonitis.json" in written(result, project)
    assert snapshot(project / "outputs") == clean_build(project, tmp_path)


def test_a_removed_page_leaves_with_its_files(project: Path, tmp_path: Path) -> None:
    many_pages(project, 2)
    flow.build(load_settings(project))
    (project / "source/pages/condition-00.yaml").unlink()
    result = flow.build(load_settings(project))
    assert result.rebuilt == ()
    assert not (project / "outputs/en/condition-00.html").exists()
    assert snapshot(project / "outputs") == clean_build(project, tmp_path)


@pytest.mark.slow  # a pool of worker processes
def test_a_parallel_build_equals_a_serial_one(project: Path, tmp_path: Path) -> None:
    many_pages(project, PARALLEL_FROM)
    serial = tmp_path / "serial"
    shutil.copytree(project, serial)
    flow.build(load_settings(project), workers=2)
    flow.build(load_settings(serial), workers=1)
    assert snapshot(project / "outputs") == snapshot(serial / "outputs")
    assert len(list((project / "outputs/en").glob("condition-*.html"))) == PARALLEL_FROM


def test_merge_verb_like_msgmerge(project: Path, tmp_path: Path) -> None:
    page = project / PAGE
    page.write_text(page.read_text("utf-8").replace("title: Weeks 0 to 12",
                                                    "title: Weeks 0 to 10").replace(
        "          - Load and training-volume management\n", ""), "utf-8")
    run_cli(project, "extract")
    out = tmp_path / "out.po"
    result = run_cli(tmp_path, "merge", str(project / "locales/es/LC_MESSAGES/"
                                                      "achilles-tendonitis.po"),
                     str(project / "locales/templates/achilles-tendonitis.pot"), "-o", str(out))
    assert "1 fuzzy" in result.stdout and "1 obsolete" in result.stdout
    merged = polib.pofile(str(out))
    weeks = merged.find("Weeks 0 to 10")
    assert "fuzzy" in weeks.flags and weeks.previous_msgid == "Weeks 0 to 12"
    assert merged.find("Load and training-volume management",
                       include_obsolete_entries=True).obsolete
    assert merged.find("Symptoms").msgstr == "Síntomas"


@pytest.mark.slow  # a pool of worker processes
def test_a_parallel_update_equals_a_serial_one(project: Path, tmp_path: Path) -> None:
    many_pages(project, 4)
    page = project / PAGE
    page.write_text(page.read_text("utf-8").replace("Improvement is gradual.",
                                                    "Improvement is slow."), "utf-8")
    serial = tmp_path / "serial"
    shutil.copytree(project, serial)
    flow.update(load_settings(project), workers=2)
    flow.update(load_settings(serial), workers=1)
    assert snapshot(project / "locales") == snapshot(serial / "locales")
    assert "Improvement is slow." in (project / "locales/es/LC_MESSAGES/achilles-tendonitis.po"
                                      ).read_text("utf-8")


def test_pages_segmented_in_parallel_give_the_serial_templates(project: Path) -> None:
    many_pages(project, PARALLEL_FROM + 3)
    settings = load_settings(project)
    parallel = extracting.templates(settings, workers=2)
    assert len(parallel) == PARALLEL_FROM + 5  # the site, the page, the copies
    assert parallel == extracting.templates(settings, workers=1)


def test_links_in_outputs_are_left_alone_and_never_followed(project: Path,
                                                            tmp_path: Path) -> None:
    run_cli(project, "build")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.html").write_text("not the build's", "utf-8")
    (project / "outputs/linked.html").symlink_to(outside / "keep.html")
    (project / "outputs/broken.html").symlink_to(tmp_path / "missing.html")
    (project / "outputs/folder").symlink_to(outside, target_is_directory=True)
    result = run_cli(project, "build")
    assert "0 removed" in result.stdout  # none of them is a file the build made
    assert (project / "outputs/linked.html").is_symlink()
    assert (outside / "keep.html").read_text("utf-8") == "not the build's"
    assert (project / "outputs/folder/keep.html").exists()  # a link to a folder is left alone


def test_a_build_deletes_only_what_an_earlier_build_made(project: Path) -> None:
    run_cli(project, "build")
    mine = project / "outputs/es/notes.html"
    mine.write_text("a site's own page", "utf-8")
    (project / "outputs/de/achilles-tendonitis.json").write_text("edited", "utf-8")
    page = project / PAGE
    page.write_text(page.read_text("utf-8").replace("slug: achilles-tendonitis", "slug: achilles"),
                    "utf-8")  # the page's files now have another name
    result = run_cli(project, "build")
    assert mine.read_text("utf-8") == "a site's own page"
    assert not (project / "outputs/es/achilles-tendonitis.html").exists()
    assert not (project / "outputs/de/achilles-tendonitis.json").exists()
    assert "0 removed" not in result.stdout
