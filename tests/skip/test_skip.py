"""The skip layer: results kept between runs, used only for the same bytes, settings and code,
then pruned; stored as JSON data, so a damaged, hostile or foreign cache only costs time."""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest

from pipeline import extracting, flow
from pipeline.build import localizing
from pipeline.config import Settings, load_settings
from pipeline.errors import PipelineError
from pipeline.model import Template
from pipeline.po import pofile
from pipeline.skip import builds, kept, store
from pipeline.source import load as source
from pipeline.source import segment
from tests.conftest import run_cli, snapshot
from tests.qa.test_checks import ES, _retranslate, _segment
from tests.test_publish import PAGE, clean_build


def kept_files(project: Path, kind: str) -> set[str]:
    return {path.name for path in (project / ".cache" / kind).iterdir()}


def kept_checks(project: Path) -> set[str]:
    return set(kept.kept_checks(project / ".cache"))


def build_again(project: Path) -> None:
    """A build of every page in every language, with whatever .cache/ holds besides."""
    shutil.rmtree(project / "outputs")
    (project / ".cache" / builds.STATE_FILE).unlink()
    run_cli(project, "build")


def test_a_build_from_kept_results_gives_a_clean_builds_bytes(project: Path,
                                                               tmp_path: Path) -> None:
    run_cli(project, "build")
    pages = len(list((project / "source/pages").glob("*.yaml")))
    catalogs = len(list((project / "locales").glob("*/LC_MESSAGES/*.po"))) - len(
        list((project / "locales").glob("*/LC_MESSAGES/site.po")))
    assert len(kept_files(project, kept.SENTENCES)) == pages
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
    key = kept.sentences_key(store.digest(page.read_bytes()))
    folder = settings.cache_dir / kept.SENTENCES
    prose = "A structured calf-loading program with load management. Improvement is gradual."
    assert prose in page.read_text("utf-8")
    store.store(store.entry(folder, key), {prose: ("A structured calf-loading program",
                                      "with load management. Improvement is gradual.")})
    run_cli(project, "extract")  # a new process: only the kept entry can split it so
    template = pofile.read(project / "locales/templates/achilles-tendonitis.pot")
    assert "A structured calf-loading program" in {entry.msgid for entry in template.entries}

    store.entry(folder, key).write_bytes(b"not JSON")
    (settings.cache_dir / kept.TEMPLATES).unlink()  # (or the page's kept template is used)
    run_cli(project, "extract")
    template = pofile.read(project / "locales/templates/achilles-tendonitis.pot")
    assert "Improvement is gradual." in {entry.msgid for entry in template.entries}
    splits = store.load(store.entry(folder, key), dict[str, tuple[str, ...]])
    assert splits == segment.prose_sentences(source.load_page(page))  # rewritten by pysbd

    page.write_text(page.read_text("utf-8").replace("Improvement is gradual.",
                                                    "Improvement is slow."), "utf-8")
    run_cli(project, "extract")
    assert kept_files(project, kept.SENTENCES) == {
        f"{kept.sentences_key(store.digest(page.read_bytes()))}{store.SUFFIX}"}


def test_a_cache_that_cannot_be_written_costs_only_time(project: Path, tmp_path: Path) -> None:
    (project / ".cache").mkdir()
    (project / ".cache" / kept.CHECKS).mkdir()  # a folder where the file should be
    (project / ".cache" / kept.SENTENCES).write_text("a file where a folder should be", "utf-8")
    run_cli(project, "build")
    assert snapshot(project / "outputs") == clean_build(project, tmp_path)


def test_unreadable_check_results_are_found_again(project: Path, tmp_path: Path) -> None:
    (project / ".cache").mkdir()
    (project / ".cache" / kept.CHECKS).write_bytes(b"not JSON")
    run_cli(project, "build")
    assert snapshot(project / "outputs") == clean_build(project, tmp_path)
    assert kept_checks(project)  # written again, whole


def test_a_page_keeps_its_template_until_its_bytes_change(project: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load_settings(project)
    made = extracting.templates(settings)
    loaded: list[Path] = []
    real = source.load_page
    monkeypatch.setattr(source, "load_page", lambda path: loaded.append(path) or real(path))
    assert extracting.templates(settings) == made
    assert loaded == []
    page = project / PAGE
    page.write_text(page.read_text("utf-8").replace("Improvement is gradual.",
                                                    "Improvement is slow."), "utf-8")
    edited = extracting.templates(settings)
    assert loaded == [page]
    (settings.cache_dir / kept.TEMPLATES).unlink()
    assert edited == extracting.templates(settings) != made
    assert set(store.load(settings.cache_dir / kept.TEMPLATES, dict[str, Template])) == {
        kept.template_key(settings.segmentation, settings.root, page,
                          store.digest(page.read_bytes()))}


def test_a_page_with_a_kept_template_still_owns_its_slug(project: Path) -> None:
    settings = load_settings(project)
    extracting.templates(settings)
    copy = project / "source/pages/a-copy.yaml"
    shutil.copy(project / PAGE, copy)
    with pytest.raises(PipelineError) as raised:
        extracting.templates(settings)
    assert "a-copy.yaml" in str(raised.value) and "slug" in str(raised.value)


@pytest.mark.parametrize("damage", ["not JSON", "a folder", "another table"])
def test_a_damaged_template_table_costs_only_time(project: Path, damage: str) -> None:
    settings = load_settings(project)
    made = extracting.templates(settings)
    table = settings.cache_dir / kept.TEMPLATES
    table.unlink()
    if damage == "not JSON":
        table.write_bytes(b"not JSON")
    elif damage == "a folder":
        table.mkdir()
    else:
        store.store(table, {str(key): "not a template" for key in range(3)})
    assert extracting.templates(settings) == made


class _Planted:
    """An object whose unpickling creates a file: proof that a cache file ran code."""

    def __init__(self, witness: Path) -> None:
        self.witness = witness

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return os.system, (f"touch {self.witness}",)


def _cache_files(project: Path) -> list[Path]:
    return sorted(path for path in (project / ".cache").rglob("*")
                  if path.is_file() and path.suffix == store.SUFFIX)


OLD_NAMES = ("build-state.pickle", "build-listings.pickle", "checks.pickle", "templates.pickle",
             "updates.pickle", "pots.pickle")


def test_a_cache_file_holding_a_pickle_runs_no_code(project: Path, tmp_path: Path) -> None:
    run_cli(project, "update")
    run_cli(project, "build")
    witness = tmp_path / "ran"
    payload = pickle.dumps(_Planted(witness))
    files = _cache_files(project)
    assert {path.name for path in files} >= {kept.TEMPLATES, kept.CHECKS, builds.STATE_FILE,
                                             builds.LISTINGS_FILE}
    for path in files:
        path.write_bytes(payload)
    for name in OLD_NAMES:  # what earlier versions kept, where they kept it
        (project / ".cache" / name).write_bytes(payload)
    (project / "outputs/en/achilles-tendonitis.html").unlink()
    run_cli(project, "update")
    run_cli(project, "build")
    assert not witness.exists()
    assert snapshot(project / "outputs") == clean_build(project, tmp_path)


def test_a_python_object_in_json_is_only_data(project: Path, tmp_path: Path) -> None:
    """JSON that names a class or a callable is refused by its shape, never resolved."""
    run_cli(project, "build")
    hostile = b'{"version": "%s", "value": {"py/object": "os.system", "args": ["touch %s"]}}' % (
        store.VERSION.encode(), str(tmp_path / "ran").encode())
    for path in _cache_files(project):
        path.write_bytes(hostile)
    build_again(project)
    assert not (tmp_path / "ran").exists()
    assert snapshot(project / "outputs") == clean_build(project, tmp_path)


@pytest.mark.parametrize("damage", ["truncated", "garbled", "another version"])
def test_a_damaged_or_foreign_cache_only_costs_time(project: Path, tmp_path: Path,
                                                   damage: str) -> None:
    run_cli(project, "update")
    run_cli(project, "build")
    locales = snapshot(project / "locales")
    for path in _cache_files(project):
        data = path.read_bytes()
        if damage == "truncated":
            path.write_bytes(data[:len(data) // 2])
        elif damage == "garbled":
            path.write_bytes(data.replace(b'"', b"'", 3))
        else:
            path.write_bytes(data.replace(store.VERSION.encode(), b"2:0.0.1"))
    assert store.load(project / ".cache" / builds.STATE_FILE, dict[str, object]) is None
    (project / "outputs/en/achilles-tendonitis.html").unlink()
    run_cli(project, "update")
    run_cli(project, "build")
    assert snapshot(project / "locales") == locales
    assert snapshot(project / "outputs") == clean_build(project, tmp_path)


def test_kept_data_of_the_wrong_shape_is_no_result() -> None:
    unit = {"msgid": "Rest.", "locations": ["a:1"], "comments": [], "msgid_plural": None,
            "flags": []}
    read = store.decoder(dict[str, Template])
    assert read({"k": {"domain": "d", "units": [unit]}})["k"].units[0].msgid == "Rest."
    for wrong in ({"k": {"domain": "d"}}, {"k": {"domain": 1, "units": []}},
                  {"k": {"domain": "d", "units": [{**unit, "msgid": ["Rest."]}]}},
                  {"k": {"domain": "d", "units": [{**unit, "extra": 1}]}}, ["k"]):
        with pytest.raises((store.Unfit, LookupError)):
            read(wrong)


def test_templates_round_trip_to_the_same_dataclasses(project: Path) -> None:
    settings = load_settings(project)
    made = extracting.templates(settings)
    table = store.load(settings.cache_dir / kept.TEMPLATES, dict[str, Template])
    assert sorted(table.values(), key=lambda template: template.domain) == list(made[1:])
    assert all(type(unit.locations) is tuple for template in table.values()
               for unit in template.units)


def test_status_and_check_write_nothing_to_the_cache(project: Path) -> None:
    run_cli(project, "status")
    run_cli(project, "check")
    assert not (project / ".cache").exists() or not _cache_files(project)


def test_a_cached_run_gives_a_cold_runs_catalogs_and_outputs(project: Path,
                                                             tmp_path: Path) -> None:
    cold = tmp_path / "cold"
    shutil.copytree(project, cold)
    for root in (project, cold):
        page = root / PAGE
        page.write_text(page.read_text("utf-8").replace("Improvement is gradual.",
                                                        "Improvement is slow."), "utf-8")
    run_cli(project, "update")
    run_cli(project, "build")
    build_again(project)  # every page again, from what the first runs kept
    run_cli(project, "update")
    run_cli(cold, "update")
    shutil.rmtree(cold / ".cache")
    run_cli(cold, "build")
    assert snapshot(project / "locales") == snapshot(cold / "locales")
    assert snapshot(project / "outputs") == snapshot(cold / "outputs")


def test_a_build_with_nothing_to_do_reads_no_listings(project: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load_settings(project)
    flow.build(settings, workers=1)
    flow.build(settings, workers=1)  # the stamps of files written in the first build's tick
    read: list[Path] = []
    real = builds.load_listings
    monkeypatch.setattr(builds, "load_listings",
                        lambda folder, state: read.append(folder) or real(folder, state))
    assert flow.build(settings, workers=1).rebuilt == ()
    assert read == []


def _plans(settings: Settings,
           monkeypatch: pytest.MonkeyPatch) -> tuple[builds.Plan, builds.Plan]:
    """A build's plan, and the plan with every key digested again (no shortcut)."""
    languages = localizing.build_languages(settings)
    quick = builds.plan(settings, languages)
    with monkeypatch.context() as patch:
        patch.setattr(builds, "_same_inputs", lambda *_: False)
        plain = builds.plan(settings, languages)
    return quick, plain


def test_a_plan_over_unchanged_inputs_equals_one_that_digests_every_key(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load_settings(project)
    flow.build(settings, workers=1)
    flow.build(settings, workers=1)  # the stamps of files written in the first build's tick
    page = project / "source/pages/achilles-tendonitis.yaml"
    for change in ("none", "an output", "a page", "a new record"):
        if change == "an output":
            (project / "outputs/de/achilles-tendonitis.html").write_text("x", encoding="utf-8")
        elif change == "a page":
            page.write_text(page.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        elif change == "a new record":
            (project / "locales/es/LC_MESSAGES/achilles-tendonitis.history.json").write_text(
                "{}", encoding="utf-8")
        quick, plain = _plans(settings, monkeypatch)
        assert builds._same_inputs(quick.stamps, quick.read, quick.previous) == (change in (
            "none", "an output")), change
        assert (quick.redo, quick.nothing_to_do) == (plain.redo, plain.nothing_to_do), change
        assert all(quick.keys(path, record.slug) == plain.keys(path, record.slug)
                   for path, record in quick.previous.pages.items()), change
