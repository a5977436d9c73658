"""Settings from pyproject.toml: defaults, and every problem reported at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import load_settings
from pipeline.errors import PipelineError
from tests.conftest import ROOT


def test_the_project_settings() -> None:
    settings = load_settings(ROOT)
    assert settings.languages == ("es", "de", "ar")
    assert settings.all_languages[0] == "en"
    assert settings.segmentation == "sentence"


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.pipeline]\nlanguages = ["es", "xx-nowhere", "es"]\nsegmentation = "word"\n'
        'base_url = "example.org"\ncolour = "blue"\n', encoding="utf-8")
    with pytest.raises(PipelineError) as caught:
        load_settings(tmp_path)
    message = str(caught.value)
    assert "unknown setting 'colour'" in message
    assert "'xx-nowhere' is not a BCP 47 language tag" in message
    assert "a language is listed twice" in message
    assert "segmentation must be one of sentence, block, not 'word'" in message
    assert "base_url must be the site's absolute URL" in message
    assert all(line.startswith(str(tmp_path / "pyproject.toml")) for line in message.splitlines())


def test_no_pyproject(tmp_path: Path) -> None:
    with pytest.raises(PipelineError, match=r"no pyproject\.toml here"):
        load_settings(tmp_path)


def _refused(root: Path, settings: str) -> str:
    (root / "pyproject.toml").write_text(
        f'[tool.pipeline]\nlanguages = ["es"]\nbase_url = "https://x.org"\n{settings}\n',
        encoding="utf-8")
    with pytest.raises(PipelineError) as caught:
        load_settings(root)
    return str(caught.value)


@pytest.mark.parametrize(("languages", "expected"), [
    ('["es./../../../x"]', "'es./../../../x' is not a BCP 47 language tag"),
    ('["de@/../../../../srv/x"]', "'de@/../../../../srv/x' is not a BCP 47 language tag"),
    ('["es", "ES"]', "write the language tag 'ES' as 'es', its canonical form"),
    ('["pt_BR"]', "write the language tag 'pt_BR' as 'pt-BR', its canonical form"),
    ('["iw"]', "write the language tag 'iw' as 'he', its canonical form"),
    ('["es", "es"]', "a language is listed twice"),
    ('["en"]', "'en' is the source language"),
])
def test_language_tags_are_strict_bcp47(tmp_path: Path, languages: str, expected: str) -> None:
    (tmp_path / "pyproject.toml").write_text(
        f'[tool.pipeline]\nlanguages = {languages}\nbase_url = "https://x.org"\n',
        encoding="utf-8")
    with pytest.raises(PipelineError) as caught:
        load_settings(tmp_path)
    assert expected in str(caught.value)


@pytest.mark.parametrize(("setting", "shared"), [
    ('outputs_dir = "tests"', "tests/"), ('outputs_dir = "pipeline"', "pipeline/"),
    ('outputs_dir = "locales"', "the locales_dir folder"),
    ('outputs_dir = "source/out"', "the source_dir folder"),
    ('outputs_dir = "docs/site"', "docs/"), ('outputs_dir = ".git"', ".git/"),
    ('cache_dir = "memory"', "the memory_dir folder"), ('cache_dir = "glossary"', "glossary/"),
    ('cache_dir = "outputs/cache"', "the outputs_dir folder"),
    ('memory_dir = ".cache/memory"', "the memory_dir folder"),
])
def test_outputs_and_cache_are_folders_of_their_own(tmp_path: Path, setting: str,
                                                    shared: str) -> None:
    message = _refused(tmp_path, setting)
    assert f"would share {shared}" in message
    assert "must be a folder of its own" in message


def test_a_folder_linked_outside_the_project_is_refused(tmp_path: Path) -> None:
    root, web = tmp_path / "project", tmp_path / "www"
    root.mkdir()
    web.mkdir()
    (root / "outputs").symlink_to(web)
    (root / ".cache").symlink_to("/tmp")
    message = _refused(root, "")
    assert "outputs_dir = 'outputs' leads outside the project" in message
    assert "cache_dir = '.cache' leads outside the project" in message


def test_a_tool_section_that_is_not_a_table(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool]\npipeline = "x"\n', encoding="utf-8")
    with pytest.raises(PipelineError, match=r"\[tool.pipeline\] must be a table of settings"):
        load_settings(tmp_path)
