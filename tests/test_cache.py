"""Results kept between runs: used only for the same bytes, settings and code, then pruned."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline import cache, flow, incremental
from pipeline.config import load_settings
from pipeline.errors import PipelineError
from pipeline.po import pofile
from pipeline.source import load as source
from pipeline.source import segment

from .conftest import run_cli, snapshot
from .test_checks import ES, _retranslate, _segment
from .test_incremental import PAGE, clean_build


def kept(project: Path, kind: str) -> set[str]:
    return {path.name for path in (project / ".cache" / kind).iterdir()}


def kept_checks(project: Path) -> set[str]:
    return set(cache.load_table(project / ".cache" / cache.CHECKS))


def build_again(project: Path) -> None:
    """A build of every page in every language, with whatever .cache/ holds besides."""
    shutil.rmtree(project / "outputs")
    (project / ".cache" / incremental.STATE_FILE).unlink()
    run_cli(project, "build")


def test_a_build_from_kept_results_gives_a_clean_builds_bytes(project: Path,
                                                               tmp_path: Path) -> None:
    run_cli(project, "build")
    pages = len(list((project / "source/pages").glob("*.yaml")))
    catalogs = len(list((project / "locales").glob("*/LC_MESSAGES/*.po"))) - len(
        list((project / "locales").glob("*/LC_MESSAGES/site.po")))
    assert len(kept(project, cache.SENTENCES)) == pages
    assert len(kept_checks(project)) == catalogs
    build_again(project)
    assert snapshot(project / "outputs") == clean_build(project, tmp_path)


def test_check_results_follow_the_catalog_s_bytes_and_the_settings(project: Path) -> None:
    run_cli(project, "build")
    assert _segment(project, "es", "Weeks 0 to 12")["state"] == "translated"
    before = kept_checks(project)
    original = (project / ES).read_bytes()

    _retranslate(project, ES, {"Weeks 0 to 12": "Semanas 0 a 10"})
    build_again(project)
    assert _segment(project, "es", "Weeks 0 to 12")["reason"] == "check:numbers"
    assert len(kept_checks(project) - before) == 1  # the old result was pruned
    assert len(before - kept_checks(project)) == 1

    settings = project / "pyproject.toml"
    settings.write_text(settings.read_text("utf-8").replace(
        "[tool.pipeline.checks]\n", '[tool.pipeline.checks]\nnumbers = "warning"\n'), "utf-8")
    build_again(project)
    assert _segment(project, "es", "Weeks 0 to 12")["text"] == "Semanas 0 a 10"

    settings.write_text(settings.read_text("utf-8").replace('numbers = "warning"\n', ""),
                        "utf-8")
    (project / ES).write_bytes(original)
    build_again(project)
    assert _segment(project, "es", "Weeks 0 to 12")["state"] == "translated"
    assert kept_checks(project) == before


def test_kept_sentences_are_used_for_the_same_page_bytes_only(project: Path) -> None:
    settings = load_settings(project)
    page = project / PAGE
    key = cache.sentences_key(cache.bytes_digest(page.read_bytes()))
    folder = settings.cache_dir / cache.SENTENCES
    prose = "A structured calf-loading program with load management. Improvement is gradual."
    assert prose in page.read_text("utf-8")
    cache.store(cache.entry(folder, key), {prose: ("A structured calf-loading program",
                                      "with load management. Improvement is gradual.")})
    run_cli(project, "extract")  # a new process: only the kept entry can split it so
    template = pofile.read(project / "locales/templates/achilles-tendonitis.pot")
    assert "A structured calf-loading program" in {entry.msgid for entry in template.entries}

    cache.entry(folder, key).write_bytes(b"not a pickle")
    (settings.cache_dir / cache.TEMPLATES).unlink()  # (or the page's kept template is used)
    run_cli(project, "extract")
    template = pofile.read(project / "locales/templates/achilles-tendonitis.pot")
    assert "Improvement is gradual." in {entry.msgid for entry in template.entries}
    assert cache.load(cache.entry(folder, key)) == segment.prose_sentences(
        source.load_page(page))  # rewritten with pysbd's splits

    page.write_text(page.read_text("utf-8").replace("Improvement is gradual.",
                                                    "Improvement is slow."), "utf-8")
    run_cli(project, "extract")
    assert kept(project, cache.SENTENCES) == {
        f"{cache.sentences_key(cache.bytes_digest(page.read_bytes()))}{cache.SUFFIX}"}


def test_a_cache_that_cannot_be_written_costs_only_time(project: Path, tmp_path: Path) -> None:
    (project / ".cache").mkdir()
    (project / ".cache" / cache.CHECKS).mkdir()  # a folder where the file should be
    (project / ".cache" / cache.SENTENCES).write_text("a file where a folder should be", "utf-8")
    run_cli(project, "build")
    assert snapshot(project / "outputs") == clean_build(project, tmp_path)


def test_unreadable_check_results_are_found_again(project: Path, tmp_path: Path) -> None:
    (project / ".cache").mkdir()
    (project / ".cache" / cache.CHECKS).write_bytes(b"not a pickle")
    run_cli(project, "build")
    assert snapshot(project / "outputs") == clean_build(project, tmp_path)
    assert kept_checks(project)  # written again, whole


def test_a_page_keeps_its_template_until_its_bytes_change(project: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load_settings(project)
    made = flow.templates(settings)
    loaded: list[Path] = []
    real = source.load_page
    monkeypatch.setattr(source, "load_page", lambda path: loaded.append(path) or real(path))
    assert flow.templates(settings) == made
    assert loaded == []
    page = project / PAGE
    page.write_text(page.read_text("utf-8").replace("Improvement is gradual.",
                                                    "Improvement is slow."), "utf-8")
    edited = flow.templates(settings)
    assert loaded == [page]
    (settings.cache_dir / cache.TEMPLATES).unlink()
    assert edited == flow.templates(settings) != made
    assert set(cache.load_table(settings.cache_dir / cache.TEMPLATES)) == {
        cache.template_key(settings.segmentation, settings.root, page,
                           cache.bytes_digest(page.read_bytes()))}


def test_a_page_with_a_kept_template_still_owns_its_slug(project: Path) -> None:
    settings = load_settings(project)
    flow.templates(settings)
    copy = project / "source/pages/a-copy.yaml"
    shutil.copy(project / PAGE, copy)
    with pytest.raises(PipelineError) as raised:
        flow.templates(settings)
    assert "a-copy.yaml" in str(raised.value) and "slug" in str(raised.value)


@pytest.mark.parametrize("damage", ["not a pickle", "a folder", "another table"])
def test_a_damaged_template_table_costs_only_time(project: Path, damage: str) -> None:
    settings = load_settings(project)
    made = flow.templates(settings)
    table = settings.cache_dir / cache.TEMPLATES
    table.unlink()
    if damage == "not a pickle":
        table.write_bytes(b"not a pickle")
    elif damage == "a folder":
        table.mkdir()
    else:
        cache.store(table, {key: "not a template" for key in range(3)})
    assert flow.templates(settings) == made
